// Innovation risk, part 1: the success model. A logistic regression (IRLS) fitted on the projects
// that have ended (completed, on the market, abandoned): success = on the market or with a
// product, service or process result. Features: TRL gap (target − start), log consortium size,
// SME coordinator, the cluster's track record (its smoothed success rate over projects that ended
// before this one started), the share of its request the project was funded at (public_aid /
// requested_aid, at most 1; when at least 20 ended projects give both, 5 of them funded in part)
// and the programme (one dummy per programme but the most frequent).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "snapshot/snapshot.h"

namespace poles::risk {

// A logistic regression fitted by iteratively reweighted least squares.
struct Logit {
  std::vector<std::string> names;  // "(Intercept)", then the features
  std::vector<double> coef, se;    // coefficients and their (model-based) standard errors
  double log_likelihood = 0, null_log_likelihood = 0;
  int iterations = 0;
  size_t n = 0;
  double predict(const std::vector<double>& x) const;  // x without the intercept
  // Wald statistic of coefficient j: coef / se.
  double z(size_t j) const { return coef[j] / se[j]; }
  // McFadden's pseudo R²: 1 − log L / log L₀ (log L₀ < 0 for any fitted model).
  double mcfadden_r2() const { return 1 - log_likelihood / null_log_likelihood; }
};
// X: rows of features (no intercept column; added first). Fails when IRLS does not converge or the
// design is singular (e.g. a constant feature), naming the feature.
Result<Logit> fit_logit(const std::vector<std::vector<double>>& X, const std::vector<double>& y,
                        const std::vector<std::string>& names, int max_iterations = 50,
                        double tolerance = 1e-10);

// What success is, for the training projects (the model's outcome).
inline constexpr std::string_view kSuccessDefinition =
    "on the market, or with a product, service or process result";

struct SuccessModel {
  Logit logit;
  std::vector<std::string> programmes;  // programmes with a dummy, in column order
  std::string reference_programme;
  double mean_trl_gap = 0, mean_log_size = 0;  // imputed when a value is missing
  bool funded_share = false;                   // the model has the funded share among its features
  double mean_funded_share = 1;
  double base_rate = 0;     // success rate of the training projects
  double prior_weight = 5;  // pseudo-projects shrinking a cluster's record to the base rate
  size_t successes = 0;
  // Cluster record inputs: per cluster row, the (end year, success) of its training projects.
  std::vector<std::vector<std::pair<int, bool>>> cluster_history;

  // Smoothed success rate of a cluster's projects that ended before `year` (base rate when none).
  double cluster_record(int32_t cluster_row, int year) const;
  // Features in column order (without intercept); a missing value (NaN) is imputed.
  std::vector<double> features(double trl_gap, double log_size, bool sme_lead,
                               std::string_view programme, double cluster_record,
                               double funded_share) const;
  // The coefficient of the funded share (logit per unit of share) when the model has it and it is
  // positive and distinct from zero (z > 1.96); NaN otherwise, and the portfolio's stated rule
  // stands in. On observational data it is an association: funders may cut the weaker projects.
  double share_effect() const;
};

// Training design of the store's ended projects, exposed for tests against a reference fit.
struct Design {
  std::vector<std::vector<double>> X;
  std::vector<double> y;
  std::vector<std::string> names;
  std::vector<int32_t> projects;  // project row of each design row
};

Result<SuccessModel> fit_success_model(const snapshot::Snapshot& s, Design* design = nullptr);

// Success probability of each proposal of the store (indexed by proposal row), funded in full:
// features from the proposal (TRL start/target, its project's consortium when it names one, the
// applicant's size, the call's programme, the labelling cluster's record before the call year).
std::vector<double> proposal_success(const snapshot::Snapshot& s, const SuccessModel& m);

}  // namespace poles::risk
