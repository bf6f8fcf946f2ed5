// Small descriptive statistics shared by the engines.
#pragma once

#include <vector>

namespace poles {

// The median of the values (the mean of the two middle ones for an even count); NaN when empty.
double median(std::vector<double> values);

}  // namespace poles
