// Event study by two-way fixed effects: the outcome on leads and lags of treatment (event time
// e = t - g, the endpoints binned), unit and period fixed effects, the reference period omitted,
// errors clustered by unit; and the joint test that every lead is zero (pre-trends). With
// staggered adoption and effects that vary by cohort these coefficients mix cohorts with negative
// weights (Sun & Abraham 2021): compare with Callaway & Sant'Anna's dynamic aggregation.
#pragma once

#include <vector>

#include "core/status.h"
#include "impact/hdfe.h"

namespace poles::impact {

struct EventStudyInput {
  std::vector<double> y;
  FixedEffect unit, period;
  std::vector<double> time;   // calendar period of each row
  std::vector<double> group;  // first treated period; 0 = never treated
  int leads = 5, lags = 5;    // event times kept: -leads .. lags, binned beyond
  int reference = -1;
  std::vector<FixedEffect> cluster;  // empty: by unit
  std::vector<double> weights;
  DemeanOptions demean;
};

struct EventTerm {
  int e = 0;
  double coef = 0, se = 0, ci_low = 0, ci_high = 0;
  int64_t rows = 0;  // treated rows at this event time
};

struct EventStudyResult {
  std::vector<EventTerm> terms;  // the reference period included with 0
  Wald pretrend;                 // every lead but the reference
  OlsResult fit;
};

Result<EventStudyResult> event_study(const EventStudyInput& in);

}  // namespace poles::impact
