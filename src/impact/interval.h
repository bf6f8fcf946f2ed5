// Confidence intervals of the impact engine: an estimate with its standard error and the interval
// estimate ± critical value × se, the critical value being a normal quantile (influence-function
// and bootstrap inference of the DiD) or a Student one (regressions, with their degrees of
// freedom). Nothing is rounded or masked here: secrecy is the publisher's business.
#pragma once

namespace poles::impact {

struct Interval {
  double estimate = 0, se = 0, low = 0, high = 0;
};

// estimate ± critical × se.
Interval interval(double estimate, double se, double critical);

// Two-sided critical values at level 1 - alpha: the normal quantile 1 - alpha/2, and Student's
// with `df` degrees of freedom (at least 1).
double normal_critical(double alpha);
double student_critical(double df, double alpha);

}  // namespace poles::impact
