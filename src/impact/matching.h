// Matching on observables, as R's MatchIt computes it: a logit propensity score, 1:k nearest
// neighbour matching (largest score first, with or without replacement, with a caliper in
// standard deviations of the distance), exact and coarsened exact matching (Sturges bins), the
// matching weights for the ATT, and the balance table (standardised mean differences over the
// treated's standard deviation, variance ratios) before and after.
#pragma once

#include <Eigen/Dense>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "impact/frame.h"
#include "impact/interval.h"

namespace poles::impact {

// Covariates of a frame as a numeric matrix. Text columns become one dummy per level: all levels
// in `display` (as MatchIt's balance table shows them), all but the first in `model` (for the
// propensity-score model, which also gets the intercept as its first column).
struct Covariates {
  std::vector<std::string> model_names, display_names;
  Eigen::MatrixXd model, display;
  std::vector<char> binary;    // per display column: takes only 0 and 1
  std::vector<char> complete;  // per row: every covariate present
};
Result<Covariates> covariates(const Frame& f, const std::vector<std::string>& names);

enum class DistanceScale { kPropensity, kLogit };
enum class MatchOrder { kLargest, kSmallest, kData };

struct NearestOptions {
  int ratio = 1;
  bool replace = false;
  std::optional<double> caliper;  // in standard deviations of the distance
  DistanceScale distance = DistanceScale::kPropensity;
  MatchOrder order = MatchOrder::kLargest;
  // Reproduces R's MatchIt 4.5.1 (Debian 12): its C++ compares score gaps with the integer abs(),
  // which truncates them to 0, so it always takes the nearest available control *below* the
  // treated unit's score when there is one (and never applies a caliper). For validation only.
  bool matchit_4_5_1 = false;
};

struct Matching {
  std::string method;
  Eigen::VectorXd distance;               // empty for exact and CEM
  std::vector<std::vector<int>> matches;  // per row: the controls matched to a treated row
  std::vector<double> weights;            // ATT weights (0 = unmatched)
  std::vector<int> subclass;              // pair or stratum, -1 when unmatched
  int treated = 0, controls = 0;          // in the sample
  int treated_matched = 0, controls_matched = 0;
  double caliper_width = 0;  // in units of the distance
};

// treat: 0/1 per row. design: the propensity model (intercept first).
Result<Matching> nearest_neighbour(const Eigen::MatrixXd& design, const std::vector<int>& treat,
                                   const NearestOptions& options = {});
// Strata of identical rows of `strata_columns` (exact) and of their coarsened values (CEM: numeric
// columns cut into Sturges' number of equal bins unless `bins` > 0; binary columns kept exact).
Result<Matching> exact_match(const Eigen::MatrixXd& columns, const std::vector<int>& treat);
Result<Matching> coarsened_exact_match(const Eigen::MatrixXd& columns,
                                       const std::vector<char>& binary,
                                       const std::vector<int>& treat, int bins = 0);

// The rows behind a mean of one group and their absolute contributions |w·x| (w: the row's
// weight, 1 before matching; rows of weight 0 are left out): what a secrecy rule judges the
// publication of the mean by, each row being one firm.
struct MeanSupport {
  int64_t rows = 0;
  double abs_total = 0, largest = 0;
};

struct BalanceRow {
  std::string name;
  bool binary = false;
  double mean_treated = 0, mean_control = 0, smd = 0,
         variance_ratio = 0;  // before (NaN ratio for binary)
  double matched_mean_treated = 0, matched_mean_control = 0, matched_smd = 0,
         matched_variance_ratio = 0;
  // What each of the four means rests on.
  MeanSupport treated_support, control_support, matched_treated_support, matched_control_support;
};
std::vector<BalanceRow> balance(const Covariates& c, const Eigen::VectorXd& distance,
                                const std::vector<int>& treat, const std::vector<double>& weights);

// The rows of a frame a matching can use: a 0/1 treatment, every covariate present and, when an
// outcome is named, the outcome too; the covariates are coded on those rows only.
struct MatchSample {
  Covariates covariates;
  std::vector<int> treat;
  std::vector<double> outcome;  // empty when no outcome is named
};
Result<MatchSample> match_sample(const Frame& frame, const std::string& treat,
                                 const std::vector<std::string>& covariates,
                                 const std::string& outcome = "");

// The ATT in the matched sample: the outcome on the treatment with the matching weights (unmatched
// rows leave the regression), errors clustered by matched set (the pairs of nearest neighbours
// without replacement, the strata of exact and coarsened matching) or, when there is no set
// (with replacement), heteroskedasticity-robust (HC1); Student interval at level 1 - alpha.
struct MatchedAtt {
  Interval att;
  bool clustered_by_set = false;
};
Result<MatchedAtt> matched_att(const std::vector<double>& outcome, const std::vector<int>& treat,
                               const Matching& matching, double alpha = 0.05);

}  // namespace poles::impact
