#include "impact/frame.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>

#include "formats/csv.h"
#include "numeric/stats.h"

namespace poles::impact {
namespace {

using numeric::kNaN;

bool missing(std::string_view s) { return s.empty() || s == "NA" || s == "NaN" || s == "."; }

bool parse_number(std::string_view s, double& out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

}  // namespace

const Column* Frame::find(std::string_view name) const {
  for (const auto& c : columns_) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Status Frame::add(Column c) {
  const size_t n = c.numeric ? c.values.size() : c.text.size();
  if (columns_.empty()) rows_ = n;
  if (n != rows_)
    return Status::invalid_argument(
        fmt::format("column '{}' has {} rows, the frame {}", c.name, n, rows_));
  for (auto& existing : columns_) {
    if (existing.name == c.name) {
      existing = std::move(c);
      return Status::ok();
    }
  }
  columns_.push_back(std::move(c));
  return Status::ok();
}

void Frame::add_numeric(std::string name, std::vector<double> values) {
  Column c;
  c.name = std::move(name);
  c.values = std::move(values);
  (void)add(std::move(c));
}

Result<std::vector<double>> Frame::numeric(std::string_view expression) const {
  std::string_view name = expression;
  enum class Fn { kNone, kLog, kLog1p } fn = Fn::kNone;
  auto strip = [&](std::string_view prefix, Fn f) {
    if (name.size() > prefix.size() + 1 && name.substr(0, prefix.size()) == prefix &&
        name.back() == ')') {
      name = name.substr(prefix.size(), name.size() - prefix.size() - 1);
      fn = f;
    }
  };
  strip("log(", Fn::kLog);
  strip("log1p(", Fn::kLog1p);
  const Column* c = find(name);
  if (!c) return Status::invalid_argument(fmt::format("no column '{}' in the data", name));
  if (!c->numeric) {
    for (const auto& v : c->text) {
      if (!missing(v))
        return Status::invalid_argument(
            fmt::format("column '{}' is not numeric (value '{}')", name, v));
    }
  }
  std::vector<double> out = c->numeric ? c->values : std::vector<double>(rows_, kNaN);
  if (fn == Fn::kLog) {
    for (auto& v : out) v = v > 0 ? std::log(v) : kNaN;
  } else if (fn == Fn::kLog1p) {
    for (auto& v : out) v = v > -1 ? std::log1p(v) : kNaN;
  }
  return out;
}

Result<Codes> Frame::codes(std::string_view name) const {
  const Column* c = find(name);
  if (!c) return Status::invalid_argument(fmt::format("no column '{}' in the data", name));
  Codes out;
  out.code.assign(rows_, -1);
  if (c->numeric) {
    std::vector<double> levels;
    levels.reserve(rows_);
    for (double v : c->values) {
      if (!std::isnan(v)) levels.push_back(v);
    }
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    for (size_t i = 0; i < rows_; ++i) {
      const double v = c->values[i];
      if (std::isnan(v)) continue;
      out.code[i] =
          static_cast<int32_t>(std::lower_bound(levels.begin(), levels.end(), v) - levels.begin());
    }
    out.labels.reserve(levels.size());
    for (double v : levels) out.labels.push_back(fmt::format("{}", v));
  } else {
    std::map<std::string_view, int32_t> index;
    for (const auto& v : c->text) {
      if (!missing(v)) index.emplace(v, 0);
    }
    int32_t next = 0;
    for (auto& [label, code] : index) {
      code = next++;
      out.labels.emplace_back(label);
    }
    for (size_t i = 0; i < rows_; ++i) {
      if (!missing(c->text[i])) out.code[i] = index.at(c->text[i]);
    }
  }
  return out;
}

Frame Frame::subset(const std::vector<char>& keep) const {
  Frame out;
  const size_t n = static_cast<size_t>(std::count(keep.begin(), keep.end(), char{1}));
  for (const auto& c : columns_) {
    Column d;
    d.name = c.name;
    d.numeric = c.numeric;
    if (c.numeric) {
      d.values.reserve(n);
      for (size_t i = 0; i < rows_; ++i) {
        if (keep[i]) d.values.push_back(c.values[i]);
      }
    } else {
      d.text.reserve(n);
      for (size_t i = 0; i < rows_; ++i) {
        if (keep[i]) d.text.push_back(c.text[i]);
      }
    }
    (void)out.add(std::move(d));
  }
  return out;
}

Result<Frame> read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::not_found(fmt::format("cannot open {}", path));
  return read_csv(in, path);
}

Result<Frame> read_csv(std::istream& in, const std::string& path) {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> cells;
  Status bad;
  formats::CsvReader reader;
  Status st = reader.read(in, path, [&](std::span<const std::string> fields, int64_t line) {
    if (header.empty()) {
      header.assign(fields.begin(), fields.end());
      cells.resize(header.size());
      return true;
    }
    if (fields.size() != header.size()) {
      bad = Status::bad_input({FieldError{
          path, line, 0, "", "",
          fmt::format("{} fields where the header has {}", fields.size(), header.size())}});
      return false;
    }
    for (size_t j = 0; j < fields.size(); ++j) cells[j].push_back(fields[j]);
    return true;
  });
  POLES_RETURN_IF_ERROR(st);
  POLES_RETURN_IF_ERROR(bad);
  if (header.empty()) return Status::invalid_argument(fmt::format("{}: the file is empty", path));
  Frame frame;
  for (size_t j = 0; j < header.size(); ++j) {
    Column c;
    c.name = header[j];
    c.values.resize(cells[j].size());
    for (size_t i = 0; i < cells[j].size(); ++i) {
      const std::string& s = cells[j][i];
      if (missing(s)) {
        c.values[i] = kNaN;
      } else if (!parse_number(s, c.values[i])) {
        c.numeric = false;
        break;
      }
    }
    if (!c.numeric) {
      c.values.clear();
      c.text = std::move(cells[j]);
    }
    cells[j].clear();
    cells[j].shrink_to_fit();
    POLES_RETURN_IF_ERROR(frame.add(std::move(c)));
  }
  return frame;
}

}  // namespace poles::impact
