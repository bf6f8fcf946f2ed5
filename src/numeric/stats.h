// Small numerics shared by the engines: the median, quantiles (R's type 7, the default of
// quantile()), and ranks. One home each, so that every engine summarises the same way.
#pragma once

#include <limits>
#include <span>
#include <vector>

namespace poles::numeric {

// A missing number (null when written, left out of sums by the engines).
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The median of the values (the mean of the two middle ones for an even count); NaN when empty.
double median(std::vector<double> values);
// The q-quantile of values already sorted ascending, interpolated as R's type 7; NaN when empty.
double quantile_sorted(std::span<const double> sorted, double q);
// The same of values in any order.
double quantile(std::vector<double> values, double q);
// Ranks, 1 for the highest value; tied values share their best (lowest) rank; NaN values come
// last, in index order.
std::vector<int> ranks(std::span<const double> values);

}  // namespace poles::numeric
