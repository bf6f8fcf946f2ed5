#include "impact/formula.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace poles::impact {
namespace {

// What a formula may build: its text, its columns, and their values (a dummy per value of a
// firm identifier would be 50,000 columns of a million rows: such a variable is a fixed effect).
constexpr size_t kMaxFormulaLength = 4096;
constexpr size_t kMaxColumns = 1000;
constexpr size_t kMaxValues = 20'000'000;
constexpr size_t kMaxFixedEffects = 8, kMaxCombined = 4;

Status within_limits(const Frame& f, const ModelColumns& m, size_t more, std::string_view term) {
  const size_t columns = m.x.size() + more;
  if (columns > kMaxColumns || columns * f.rows() > kMaxValues)
    return Status::invalid_argument(fmt::format(
        "formula: term '{}' would make {} columns of {} rows (at most {} columns and {} values): "
        "a variable of many values belongs after '|', as a fixed effect",
        term, columns, f.rows(), kMaxColumns, kMaxValues));
  return Status::ok();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// The parts of `s` between the `sep` outside parentheses (trimmed); an unbalanced parenthesis is
// an error.
Result<std::vector<std::string_view>> split_top(std::string_view s, char sep,
                                                std::string_view what) {
  std::vector<std::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] == ')' && --depth < 0) break;
    if (depth == 0 && s[i] == sep) {
      parts.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (depth != 0)
    return Status::invalid_argument(
        fmt::format("formula: unbalanced parentheses in {} '{}'", what, s));
  parts.push_back(trim(s.substr(start)));
  return parts;
}

std::string_view unquote(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    s = s.substr(1, s.size() - 2);
  return s;
}

bool parse_double(std::string_view s, double& out) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

// The code of `value` among a column's levels: numerically on a numeric column, else as text.
Result<int32_t> level_of(const Frame& f, std::string_view column, const Codes& codes,
                         std::string_view value, std::string_view term) {
  const Column* c = f.find(column);
  double v = 0;
  for (int32_t k = 0; k < codes.levels(); ++k) {
    const auto& label = codes.labels[static_cast<size_t>(k)];
    double l = 0;
    if (c && c->numeric ? parse_double(value, v) && parse_double(label, l) && l == v
                        : label == value)
      return k;
  }
  return Status::invalid_argument(
      fmt::format("formula: term '{}': no value '{}' in column '{}'", term, value, column));
}

// A fixed effect (or cluster) `a` or `a^b^…`: one level per combination seen, missing when any
// part is.
Result<FixedEffect> combined(const Frame& f, std::string_view spec) {
  POLES_ASSIGN_OR_RETURN(const auto parts, split_top(spec, '^', "fixed effect"));
  if (parts.size() > kMaxCombined)
    return Status::invalid_argument(fmt::format("formula: '{}' combines {} variables, at most {}",
                                                spec, parts.size(), kMaxCombined));
  std::vector<Codes> codes;
  for (auto p : parts) {
    if (p.empty())
      return Status::invalid_argument(fmt::format("formula: empty name in '{}'", spec));
    POLES_ASSIGN_OR_RETURN(auto c, f.codes(p));
    codes.push_back(std::move(c));
  }
  FixedEffect fe;
  fe.name = std::string(spec);
  fe.code.assign(f.rows(), -1);
  if (codes.size() == 1) {
    fe.code = codes[0].code;
    fe.levels = codes[0].levels();
    return fe;
  }
  std::map<std::vector<int32_t>, int32_t> index;
  std::vector<int32_t> key(codes.size());
  for (size_t i = 0; i < f.rows(); ++i) {
    bool missing = false;
    for (size_t k = 0; k < codes.size(); ++k) {
      key[k] = codes[k].code[i];
      missing |= key[k] < 0;
    }
    if (missing) continue;
    fe.code[i] = index.emplace(key, static_cast<int32_t>(index.size())).first->second;
  }
  fe.levels = static_cast<int32_t>(index.size());
  return fe;
}

// i(var), i(var, ref), i(var, treat), i(var, treat, ref), ref also as `ref = value`.
Status add_factor(const Frame& f, std::string_view term, ModelColumns& m) {
  const std::string_view inner = term.substr(2, term.size() - 3);
  POLES_ASSIGN_OR_RETURN(const auto args, split_top(inner, ',', "term"));
  std::string_view var, treat, ref;
  bool has_ref = false;
  std::vector<std::string_view> positional;
  for (auto a : args) {
    const auto eq = a.find('=');
    if (eq != std::string_view::npos) {
      const auto key = trim(a.substr(0, eq));
      if (key != "ref")
        return Status::invalid_argument(fmt::format(
            "formula: term '{}': unknown argument '{}' (i() takes a variable, an interacted "
            "variable and ref)",
            term, key));
      ref = unquote(a.substr(eq + 1));
      has_ref = true;
    } else {
      positional.push_back(a);
    }
  }
  if (positional.empty() || positional.size() > 3 || positional[0].empty())
    return Status::invalid_argument(fmt::format(
        "formula: term '{}': i() takes a variable, then optionally an interacted variable and a "
        "reference value",
        term));
  var = positional[0];
  if (positional.size() >= 2) {
    if (f.find(positional[1]) || positional.size() == 3) {
      treat = positional[1];
    } else {
      ref = unquote(positional[1]);
      has_ref = true;
    }
  }
  if (positional.size() == 3) {
    if (has_ref)
      return Status::invalid_argument(
          fmt::format("formula: term '{}': the reference is given twice", term));
    ref = unquote(positional[2]);
    has_ref = true;
  }
  POLES_ASSIGN_OR_RETURN(const auto codes, f.codes(var));
  std::vector<double> t;
  if (!treat.empty()) {
    POLES_ASSIGN_OR_RETURN(t, f.numeric(treat));
  }
  int32_t skip = -1;
  if (has_ref) {
    POLES_ASSIGN_OR_RETURN(skip, level_of(f, var, codes, ref, term));
  }
  POLES_RETURN_IF_ERROR(
      within_limits(f, m, static_cast<size_t>(codes.levels() - (skip >= 0 ? 1 : 0)), term));
  const size_t first = m.x.size();
  std::vector<int> column_of(static_cast<size_t>(codes.levels()), -1);
  for (int32_t k = 0; k < codes.levels(); ++k) {
    if (k == skip) continue;
    column_of[static_cast<size_t>(k)] = static_cast<int>(m.x.size());
    std::string name = fmt::format("{}::{}", var, codes.labels[static_cast<size_t>(k)]);
    if (!treat.empty()) name += fmt::format(":{}", treat);
    m.x_names.push_back(std::move(name));
    m.x.emplace_back(f.rows(), 0.0);
  }
  for (size_t i = 0; i < f.rows(); ++i) {
    const int32_t k = codes.code[i];
    const double w = treat.empty() ? 1.0 : t[i];
    if (k < 0 || std::isnan(w)) {  // missing: missing in every column of the term
      for (size_t j = first; j < m.x.size(); ++j) m.x[j][i] = NAN;
      continue;
    }
    const int j = column_of[static_cast<size_t>(k)];
    if (j >= 0) m.x[static_cast<size_t>(j)][i] = w;
  }
  return Status::ok();
}

// A numeric term: an expression or a product a:b:…
Status add_numeric(const Frame& f, std::string_view term, ModelColumns& m) {
  POLES_RETURN_IF_ERROR(within_limits(f, m, 1, term));
  POLES_ASSIGN_OR_RETURN(const auto factors, split_top(term, ':', "term"));
  std::vector<double> product(f.rows(), 1.0);
  for (auto factor : factors) {
    if (factor.empty())
      return Status::invalid_argument(fmt::format("formula: empty factor in term '{}'", term));
    auto v = f.numeric(factor);
    if (!v.has_value())
      return Status::invalid_argument(
          fmt::format("formula: term '{}': {}", term, v.error().message()));
    for (size_t i = 0; i < f.rows(); ++i) product[i] *= (*v)[i];
  }
  m.x_names.emplace_back(term);
  m.x.push_back(std::move(product));
  return Status::ok();
}

}  // namespace

Result<ModelColumns> model_columns(const Frame& f, std::string_view formula) {
  if (formula.size() > kMaxFormulaLength)
    return Status::invalid_argument(
        fmt::format("formula: {} characters, at most {}", formula.size(), kMaxFormulaLength));
  POLES_ASSIGN_OR_RETURN(const auto sides, split_top(formula, '~', "formula"));
  if (sides.size() != 2 || sides[0].empty() || sides[1].empty())
    return Status::invalid_argument(
        fmt::format("formula: '{}' needs one '~' between the outcome and the regressors", formula));
  POLES_ASSIGN_OR_RETURN(const auto parts, split_top(sides[1], '|', "formula"));
  if (parts.size() > 2)
    return Status::invalid_argument(
        "formula: one '|' at most, before the fixed effects (instruments are not supported)");
  ModelColumns m;
  m.y_name = std::string(sides[0]);
  auto y = f.numeric(sides[0]);
  if (!y.has_value())
    return Status::invalid_argument(
        fmt::format("formula: outcome '{}': {}", sides[0], y.error().message()));
  m.y = std::move(*y);
  POLES_ASSIGN_OR_RETURN(const auto terms, split_top(parts[0], '+', "regressors"));
  for (auto term : terms) {
    if (term.empty())
      return Status::invalid_argument(fmt::format("formula: an empty term in '{}'", parts[0]));
    if (term.starts_with("i(") && term.ends_with(")")) {
      POLES_RETURN_IF_ERROR(add_factor(f, term, m));
    } else {
      POLES_RETURN_IF_ERROR(add_numeric(f, term, m));
    }
  }
  std::set<std::string> names;
  for (const auto& n : m.x_names) {
    if (!names.insert(n).second)
      return Status::invalid_argument(fmt::format("formula: the term '{}' appears twice", n));
  }
  if (parts.size() == 2) {
    POLES_ASSIGN_OR_RETURN(const auto fes, split_top(parts[1], '+', "fixed effects"));
    if (fes.size() > kMaxFixedEffects)
      return Status::invalid_argument(
          fmt::format("formula: {} fixed effects, at most {}", fes.size(), kMaxFixedEffects));
    for (auto fe : fes) {
      if (fe.empty())
        return Status::invalid_argument(
            fmt::format("formula: an empty fixed effect in '{}'", parts[1]));
      POLES_ASSIGN_OR_RETURN(auto e, combined(f, fe));
      m.fe.push_back(std::move(e));
    }
  }
  return m;
}

Result<std::vector<FixedEffect>> cluster_columns(const Frame& f, std::string_view formula) {
  std::string_view s = trim(formula);
  if (s.starts_with("~")) s = trim(s.substr(1));
  if (s.size() > kMaxFormulaLength)
    return Status::invalid_argument(
        fmt::format("cluster: {} characters, at most {}", s.size(), kMaxFormulaLength));
  POLES_ASSIGN_OR_RETURN(const auto parts, split_top(s, '+', "cluster"));
  if (parts.size() > 2)
    return Status::invalid_argument(
        fmt::format("cluster: '{}' names {} variables, one or two", formula, parts.size()));
  std::vector<FixedEffect> out;
  for (auto p : parts) {
    if (p.empty())
      return Status::invalid_argument(fmt::format("cluster: an empty variable in '{}'", formula));
    POLES_ASSIGN_OR_RETURN(auto e, combined(f, p));
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

// The first comparison operator of a condition (the longer one where two start together).
std::pair<size_t, std::string_view> comparison(std::string_view condition) {
  static constexpr std::string_view kOps[] = {"==", "!=", "<=", ">=", "<", ">"};
  size_t at = std::string_view::npos;
  std::string_view op;
  for (auto o : kOps) {
    const auto p = condition.find(o);
    if (p != std::string_view::npos &&
        (at == std::string_view::npos || p < at || (p == at && o.size() > op.size()))) {
      at = p;
      op = o;
    }
  }
  return {at, op};
}

}  // namespace

std::string_view subset_column(std::string_view condition) {
  const auto [at, op] = comparison(condition);
  return at == std::string_view::npos ? std::string_view() : trim(condition.substr(0, at));
}

Result<Frame> subset_rows(const Frame& f, std::string_view condition) {
  const auto [at, op] = comparison(condition);
  if (at == std::string_view::npos)
    return Status::invalid_argument(fmt::format(
        "subset: '{}' needs a comparison, column == value (or != < <= > >=)", condition));
  const auto name = trim(condition.substr(0, at));
  const auto value = unquote(condition.substr(at + op.size()));
  const Column* c = f.find(name);
  if (!c) return Status::invalid_argument(fmt::format("subset: no column '{}' in the data", name));
  std::vector<char> keep(f.rows(), 0);
  if (c->numeric) {
    double v = 0;
    if (!parse_double(value, v))
      return Status::invalid_argument(
          fmt::format("subset: column '{}' is numeric, '{}' is not a number", name, value));
    for (size_t i = 0; i < f.rows(); ++i) {
      const double x = c->values[i];
      if (std::isnan(x)) continue;
      keep[i] = op == "=="   ? x == v
                : op == "!=" ? x != v
                : op == "<"  ? x < v
                : op == "<=" ? x <= v
                : op == ">"  ? x > v
                             : x >= v;
    }
  } else {
    if (op != "==" && op != "!=")
      return Status::invalid_argument(
          fmt::format("subset: column '{}' is text: only == and != compare it", name));
    for (size_t i = 0; i < f.rows(); ++i) {
      const auto& x = c->text[i];
      if (x.empty()) continue;
      keep[i] = (x == value) == (op == "==");
    }
  }
  Frame out = f.subset(keep);
  if (out.rows() == 0)
    return Status::invalid_argument(fmt::format("subset: no row satisfies '{}'", condition));
  return out;
}

}  // namespace poles::impact
