// Event study by two-way fixed effects: the outcome on leads and lags of treatment (event time
// e = t - g, the endpoints binned), unit and period fixed effects, the reference period omitted,
// errors clustered by unit; and the joint test that every lead is zero (pre-trends). With
// staggered adoption and effects that vary by cohort these coefficients mix cohorts with negative
// weights (Sun & Abraham 2021): compare with Callaway & Sant'Anna's dynamic aggregation.
#pragma once

#include <optional>
#include <set>
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
  double alpha = 0.05;
  uint64_t seed = 1;  // of the uniform band's draws
  // The small-sample conventions of the clustered errors (clustered by `cluster`, else the unit).
  VcovSpec vcov{VcovKind::kCluster, {}, true, true, FixedEffectCount::kNested};
};

struct EventTerm {
  int e = 0;
  double coef = 0, se = 0, ci_low = 0, ci_high = 0;
  double band_low = 0, band_high = 0;  // the uniform band over every estimated term
  int64_t rows = 0;                    // treated rows at this event time
  int64_t units = 0;  // distinct treated units among them (several rows each at a binned end)
};

struct EventStudyResult {
  std::vector<EventTerm> terms;         // the reference period included with 0
  Wald pretrend;                        // every lead but the reference
  double uniform_critical_value = NAN;  // of the terms' band (sup_t_critical)
  OlsResult fit;
};

Result<EventStudyResult> event_study(const EventStudyInput& in);

// The critical value of a uniform (sup-t) band over estimates of covariance `cov` (Montiel Olea &
// Plagborg-Møller 2019): the (1 − alpha) quantile of max_j |Z_j| for Z normal with the estimates'
// correlation, from `draws` seeded draws. Every estimate is then within ± c × its error of the
// truth jointly with probability 1 − alpha (the pointwise intervals hold one at a time). NaN
// without an estimate.
double sup_t_critical(const Eigen::MatrixXd& cov, double alpha, uint64_t seed, int draws = 10000);

// Sun & Abraham (2021)'s interaction-weighted event study, as fixest's sunab(): the outcome on one
// dummy per cohort g (first treated period) and relative period e = t - g (every e observed, the
// reference e omitted in every cohort), with unit and period fixed effects; the never-treated
// units are the control cohort (without any, the last-treated cohort is, and the periods from its
// treatment on are dropped); units treated from the first period on have no pre-period and are
// dropped. Each relative period's effect is the average of the cohorts' effects weighted by their
// rows at that period (the sample shares, taken as exact as fixest does: the errors do not carry
// the shares' uncertainty), β_e = Σ_g w_ge δ_ge, its variance w' V w; the ATT averages every
// post-treatment cell (e ≥ 0) by rows; the pre-trend test is the joint Wald test of the leads'
// averages.
struct SunAbrahamInput {
  std::vector<double> y;
  FixedEffect unit, period;
  std::vector<double> time;   // calendar period of each row
  std::vector<double> group;  // first treated period; 0 (or NaN) = never treated
  int reference = -1;
  // Relative periods before -leads (after lags) are binned into -leads (lags), as fixest's
  // bin.rel; none: every relative period has its own dummies.
  std::optional<int> leads, lags;
  VcovSpec vcov{
      VcovKind::kCluster, {}, true, true, FixedEffectCount::kNested};  // no clusters: by unit
  std::vector<double> weights;
  bool drop_singletons = true;
  DemeanOptions demean;
  double alpha = 0.05;
  uint64_t seed = 1;  // of the uniform band's draws
};

// One cohort's effect at one relative period, with its weight in that period's average.
struct CohortEffect {
  int g = 0, e = 0;
  double coef = 0, se = 0;
  int64_t rows = 0;   // rows of the cohort at that relative period in the estimation sample
  int64_t units = 0;  // distinct units among them (a binned end has several rows per unit)
  double weight = 0;  // rows / the rows of every cohort at e
};

struct SunAbrahamResult {
  std::vector<CohortEffect> cells;      // g ascending, then e ascending; the reference omitted
  std::vector<EventTerm> terms;         // by e ascending, the reference included with 0
  double uniform_critical_value = NAN;  // of the terms' band (sup_t_critical)
  EventTerm att;                        // e: 0; rows: treated rows after treatment
  Wald pretrend;                        // every lead's average but the reference
  int control_cohort = 0;               // 0: the never-treated; else the last-treated cohort
  int64_t dropped_always_treated = 0, dropped_after_control = 0;  // rows
  // Rows of the cohorts never observed at the reference period (no base to compare with).
  int64_t dropped_without_reference = 0;
  std::set<int> cohorts_without_reference;
  OlsResult fit;
};

Result<SunAbrahamResult> sun_abraham(const SunAbrahamInput& in);

}  // namespace poles::impact
