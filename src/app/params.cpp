#include "app/params.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "core/validate.h"

namespace poles::app {

namespace {

std::optional<double> to_number(const std::string& v) {
  double x = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc{} || end != v.data() + v.size() || !std::isfinite(x)) return std::nullopt;
  return x;
}

// A bound as people write it: 2100, 0.95, 1000000 (never 1e+06).
std::string number_text(double x) {
  if (x == std::floor(x) && std::fabs(x) < 1e15)
    return fmt::format("{}", static_cast<long long>(x));
  return fmt::format("{}", x);
}

std::string bounds(const ParamSpec& s) { return number_text(s.lo) + " and " + number_text(s.hi); }

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

// The rule a value breaks, or nullopt.
std::optional<std::string> check(const ParamSpec& s, const std::string& v) {
  if (validate::utf8(v)) return "must be valid UTF-8 text";
  switch (s.kind) {
    case ParamKind::kInteger: {
      const auto x = to_number(v);
      if (!x || *x != std::floor(*x) || *x < s.lo || *x > s.hi) {
        return "must be a whole number between " + bounds(s);
      }
      return std::nullopt;
    }
    case ParamKind::kNumber: {
      const auto x = to_number(v);
      if (!x || *x < s.lo || *x > s.hi) return "must be a number between " + bounds(s);
      return std::nullopt;
    }
    case ParamKind::kFlag:
      if (v != "true" && v != "false") return "must be true or false";
      return std::nullopt;
    case ParamKind::kChoice:
      for (const auto& c : s.choices) {
        if (v == c) return std::nullopt;
      }
      return "must be one of: " + join(s.choices);
    case ParamKind::kList:
      if (s.choices.empty()) return std::nullopt;
      for (size_t b = 0; b <= v.size();) {
        size_t e = v.find(',', b);
        if (e == std::string::npos) e = v.size();
        const std::string item = v.substr(b, e - b);
        bool ok = item.empty();
        for (const auto& c : s.choices) ok = ok || item == c;
        if (!ok) return fmt::format("item '{}' must be one of: {}", item, join(s.choices));
        b = e + 1;
      }
      return std::nullopt;
    case ParamKind::kText:
      return std::nullopt;
  }
  return std::nullopt;
}

ParamSpec make(std::string name, ParamKind kind, std::string help, std::string fallback) {
  ParamSpec s;
  s.name = std::move(name);
  s.kind = kind;
  s.help = std::move(help);
  s.fallback = std::move(fallback);
  return s;
}

}  // namespace

ParamSpec integer_param(std::string name, std::string help, double lo, double hi,
                        std::string fallback) {
  ParamSpec s = make(std::move(name), ParamKind::kInteger, std::move(help), std::move(fallback));
  s.lo = lo;
  s.hi = hi;
  return s;
}

ParamSpec number_param(std::string name, std::string help, double lo, double hi,
                       std::string fallback) {
  ParamSpec s = make(std::move(name), ParamKind::kNumber, std::move(help), std::move(fallback));
  s.lo = lo;
  s.hi = hi;
  return s;
}

ParamSpec text_param(std::string name, std::string help, std::string fallback) {
  return make(std::move(name), ParamKind::kText, std::move(help), std::move(fallback));
}

ParamSpec choice_param(std::string name, std::string help, std::vector<std::string> choices,
                       std::string fallback) {
  ParamSpec s = make(std::move(name), ParamKind::kChoice, std::move(help), std::move(fallback));
  s.choices = std::move(choices);
  return s;
}

ParamSpec flag_param(std::string name, std::string help) {
  return make(std::move(name), ParamKind::kFlag, std::move(help), "false");
}

ParamSpec list_param(std::string name, std::string help, std::vector<std::string> choices) {
  ParamSpec s = make(std::move(name), ParamKind::kList, std::move(help), "");
  s.choices = std::move(choices);
  return s;
}

ParamSpec year_param(std::string name, std::string help, std::string fallback) {
  return integer_param(std::move(name), std::move(help), 1900, 2100, std::move(fallback));
}

ParamSpecs recording_params(const ParamSpecs& base) {
  ParamSpecs out = base;
  out.push_back(flag_param("replace", "Replace what the call already has recorded"));
  out.push_back(text_param("date", "Date recorded, YYYY-MM-DD (default: today)"));
  return out;
}

Result<Args> parse(const ParamSpecs& specs, const Params& given) {
  Args a;
  std::vector<FieldError> errors;
  for (const auto& s : specs) a.specs_.emplace(s.name, s);
  for (const auto& [name, value] : given) {
    auto it = a.specs_.find(name);
    if (it == a.specs_.end()) {
      std::vector<std::string> names;
      for (const auto& s : specs) names.push_back(s.name);
      errors.push_back(FieldError{"query", 0, 0, validate::truncate_utf8(name, 60), "",
                                  names.empty()
                                      ? "is not a parameter (this takes none)"
                                      : "is not a parameter (parameters: " + join(names) + ")"});
      continue;
    }
    if (value.empty()) continue;  // an empty field of a form is a parameter not given
    if (auto rule = check(it->second, value)) {
      errors.push_back(
          FieldError{"query", 0, 0, name, validate::truncate_utf8(value, 60), std::move(*rule)});
      continue;
    }
    a.values_[name] = value;
  }
  for (const auto& s : specs) {
    if (!a.values_.contains(s.name) && !s.fallback.empty()) {
      a.values_[s.name] = s.fallback;
    }
  }
  if (!errors.empty()) return Status::bad_input(std::move(errors));
  return a;
}

const ParamSpec& Args::spec(const std::string& name, ParamKind kind) const {
  auto it = specs_.find(name);
  if (it == specs_.end() || it->second.kind != kind) {
    throw std::logic_error(fmt::format("parameter '{}' is not declared with this kind", name));
  }
  return it->second;
}

bool Args::has(const std::string& name) const { return values_.contains(name); }

std::optional<int> Args::opt_integer(const std::string& name) const {
  spec(name, ParamKind::kInteger);
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return static_cast<int>(*to_number(it->second));
}

int Args::integer(const std::string& name) const {
  auto v = opt_integer(name);
  if (!v) throw std::logic_error(fmt::format("parameter '{}' has no value nor default", name));
  return *v;
}

std::optional<double> Args::opt_number(const std::string& name) const {
  spec(name, ParamKind::kNumber);
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return *to_number(it->second);
}

double Args::number(const std::string& name) const {
  auto v = opt_number(name);
  if (!v) throw std::logic_error(fmt::format("parameter '{}' has no value nor default", name));
  return *v;
}

const std::string& Args::text(const std::string& name) const {
  static const std::string kEmpty;
  auto it = specs_.find(name);
  if (it == specs_.end() ||
      (it->second.kind != ParamKind::kText && it->second.kind != ParamKind::kChoice)) {
    throw std::logic_error(fmt::format("parameter '{}' is not declared as text", name));
  }
  auto v = values_.find(name);
  return v == values_.end() ? kEmpty : v->second;
}

bool Args::flag(const std::string& name) const {
  spec(name, ParamKind::kFlag);
  auto it = values_.find(name);
  return it != values_.end() && it->second == "true";
}

std::vector<std::string> Args::list(const std::string& name) const {
  spec(name, ParamKind::kList);
  std::vector<std::string> out;
  auto it = values_.find(name);
  if (it == values_.end()) return out;
  const std::string& v = it->second;
  for (size_t b = 0; b <= v.size();) {
    size_t e = v.find(',', b);
    if (e == std::string::npos) e = v.size();
    if (e > b) out.push_back(v.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

std::string describe(const ParamSpec& s) {
  std::string kind;
  switch (s.kind) {
    case ParamKind::kInteger:
      kind = "integer " + number_text(s.lo) + "–" + number_text(s.hi);
      break;
    case ParamKind::kNumber:
      kind = "number " + number_text(s.lo) + "–" + number_text(s.hi);
      break;
    case ParamKind::kText:
      kind = "text";
      break;
    case ParamKind::kFlag:
      kind = "true|false";
      break;
    case ParamKind::kChoice:
      kind = "one of " + join(s.choices);
      break;
    case ParamKind::kList:
      kind =
          s.choices.empty() ? "comma-separated list" : "comma-separated list of " + join(s.choices);
      break;
  }
  if (!s.fallback.empty() && s.kind != ParamKind::kFlag) kind += ", default " + s.fallback;
  return s.help + " (" + kind + ")";
}

Result<double> number(const Params& p, const std::string& name, double fallback, double lo,
                      double hi) {
  auto it = p.find(name);
  if (it == p.end() || it->second.empty()) return fallback;
  double v = 0;
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc{} || end != it->second.data() + it->second.size() || !(v >= lo && v <= hi)) {
    return Status::invalid_argument(fmt::format(
        "parameter '{}' value '{}': must be a number in [{}, {}]", name, it->second, lo, hi));
  }
  return v;
}

Result<int> integer(const Params& p, const std::string& name, int fallback, int lo, int hi) {
  POLES_ASSIGN_OR_RETURN(double v, number(p, name, fallback, lo, hi));
  if (v != std::floor(v))
    return Status::invalid_argument(
        fmt::format("parameter '{}' value '{}': must be an integer", name, v));
  return static_cast<int>(v);
}

std::string text(const Params& p, const std::string& name, const std::string& fallback) {
  auto it = p.find(name);
  return it == p.end() || it->second.empty() ? fallback : it->second;
}

}  // namespace poles::app
