#include "impact/interval.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace poles::impact {

Interval interval(double estimate, double se, double critical) {
  return Interval{estimate, se, estimate - critical * se, estimate + critical * se};
}

double normal_critical(double alpha) {
  return boost::math::quantile(boost::math::complement(boost::math::normal(), alpha / 2));
}

double student_critical(double df, double alpha) {
  if (std::isinf(df))  // the normal law (z tests)
    return boost::math::quantile(boost::math::complement(boost::math::normal(), alpha / 2));
  const boost::math::students_t_distribution<double> t(std::max(df, 1.0));
  return boost::math::quantile(boost::math::complement(t, alpha / 2));
}

}  // namespace poles::impact
