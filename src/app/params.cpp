#include "app/params.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace poles::app {

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
