#include "numeric/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace poles::numeric {

double median(std::vector<double> values) {
  if (values.empty()) return kNaN;
  const size_t m = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(m), values.end());
  const double upper = values[m];
  if (values.size() % 2) return upper;
  return (*std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(m)) +
          upper) /
         2;
}

double quantile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) return kNaN;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return quantile_sorted(values, q);
}

std::vector<int> ranks(std::span<const double> values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const bool na = std::isnan(values[a]), nb = std::isnan(values[b]);
    if (na || nb) return !na && nb;
    return values[a] > values[b];
  });
  std::vector<int> r(values.size());
  for (size_t i = 0; i < order.size(); ++i) {
    const size_t u = order[i];
    const bool tie = i > 0 && !std::isnan(values[u]) && values[order[i - 1]] == values[u];
    r[u] = tie ? r[order[i - 1]] : static_cast<int>(i) + 1;
  }
  return r;
}

}  // namespace poles::numeric
