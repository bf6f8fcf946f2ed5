// Callaway & Sant'Anna (2021) group-time average treatment effects ATT(g,t) on a panel,
// as R's `did` package computes them: never-treated or not-yet-treated controls, varying or
// universal base period, outcome regression, inverse probability weighting (Hájek) or the doubly
// robust estimator of Sant'Anna & Zhao (2020) with covariates; influence functions for every
// ATT(g,t) and for the aggregations (simple, dynamic with `balance_e`, group, calendar), analytic
// or multiplier-bootstrap standard errors with uniform bands, and the Wald pre-test of parallel
// trends.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "impact/frame.h"
#include "impact/interval.h"

namespace poles::impact {

enum class ControlGroup { kNeverTreated, kNotYetTreated };
enum class BasePeriod { kVarying, kUniversal };
enum class DidMethod { kRegression, kIpw, kDoublyRobust };

// Long panel: one row per unit and period.
struct DidData {
  std::vector<int64_t> unit;
  std::vector<int> time;   // integer periods (years)
  std::vector<int> group;  // first treated period; 0 = never treated
  std::vector<double> y;
  std::vector<std::string> covariate_names;
  std::vector<std::vector<double>>
      covariates;               // columns; the base-period value of each unit is used
  std::vector<double> weights;  // unit weights (constant within a unit); empty = 1
  // A cluster above the unit for the inference (R did's clustervars; e.g. the pôle), constant
  // within a unit; a negative value: the unit is its own cluster. Empty: every unit is its own.
  std::vector<int64_t> cluster;
};

struct DidOptions {
  ControlGroup control = ControlGroup::kNeverTreated;
  BasePeriod base = BasePeriod::kVarying;
  DidMethod method = DidMethod::kDoublyRobust;
  int anticipation = 0;
  // Called after each group-time comparison with the share done; returning false cancels.
  std::function<bool(double)> progress;
  // Which units each ATT(g,t) compares. kBalanced: only the units observed in every period (R
  // did's default). With an unbalanced panel every unit observed at least once is kept and
  // counts in the group shares, and each comparison uses
  //  kPairs: the units observed in both of its periods (the panel estimator on them, covariates
  //    included; its influence scaled as the balanced one's), or
  //  kRepeatedCrossSection: the four means of the outcome — group g and its controls, at t and at
  //    the base — over the units observed then, as R did's allow_unbalanced_panel (its repeated
  //    cross-section estimator without covariates), a unit's influence the sum of its
  //    observations' terms (errors clustered by unit); no covariates.
  enum class Panel : uint8_t { kBalanced, kPairs, kRepeatedCrossSection } panel = Panel::kBalanced;
};

struct AttGt {
  int g = 0, t = 0;
  double att = 0, se = 0;
  int64_t treated = 0, controls = 0;
  bool post = false;
  bool reference = false;  // universal base: the base period itself (0 by construction)
};

// The influence functions of the ATT(g,t), units × cells, kept per cell rather than as a dense
// matrix (1 M units × 323 cells would take 2.6 GB): a cell without covariates is a difference of
// weighted means, held as its few numbers and evaluated on the panel's outcomes when read; a cell
// with covariates holds its values on its own sample (sparse: the treated group and its controls).
class CellInfluence {
 public:
  Eigen::Index rows() const;
  Eigen::Index cols() const;
  // out(i) += scale · ψ(start + i, c) for every i < out.size().
  void add_to(Eigen::Index c, double scale, Eigen::Ref<Eigen::VectorXd> out,
              Eigen::Index start = 0) const;
  Eigen::VectorXd col(Eigen::Index c) const;
  // Rows [start, start + len) of the columns `which` (every column when empty).
  Eigen::MatrixXd block(Eigen::Index start, Eigen::Index len,
                        const std::vector<Eigen::Index>& which = {}) const;
  Eigen::MatrixXd dense(const std::vector<Eigen::Index>& which = {}) const;
  double squared_norm(Eigen::Index c) const;  // Σ_i ψ(i, c)²

  struct Impl;  // the panel's outcomes and the cells' parameters (did.cpp)
  explicit CellInfluence(std::shared_ptr<const Impl> impl = nullptr) : impl_(std::move(impl)) {}

 private:
  std::shared_ptr<const Impl> impl_;
};

struct DidResult {
  std::vector<AttGt> cells;  // g ascending, then t ascending
  CellInfluence influence;   // units × cells, scaled so that se = sqrt(Σ ψ² ) / n
  int64_t units = 0,
          dropped_units = 0;  // dropped: not observed in every period, or treated at the start
  std::vector<int> groups, periods;
  std::vector<double> group_share;  // P(G = g) over all units, for each group
  std::vector<int64_t> unit_id;     // identifier of each unit (DidData::unit), ascending
  std::vector<int> unit_group;      // group of each unit (0 = never)
  std::vector<double> unit_weight;  // normalised to mean 1
  // The cluster of each unit, coded 0..clusters-1 (DidData::cluster); empty without clusters.
  std::vector<int32_t> unit_cluster;
  int64_t clusters = 0;  // the number of clusters (the units without DidData::cluster)
  // Wald pre-test that every pre-treatment ATT(g,t) is zero (analytic variance).
  double pretest_stat = 0, pretest_p = 1;
  int pretest_df = 0;
  // Their covariance is numerically singular (reciprocal condition number ≤ machine epsilon):
  // no statistic and no p-value, as R's did declines ("singular covariance matrix").
  bool pretest_singular = false;
  double pretest_rcond = 1;
};

Result<DidResult> att_gt(const DidData& data, const DidOptions& options = {});

// The columns of a frame that make a DiD panel: outcome (an expression of Frame::numeric), unit
// and time (numeric, present on every row), group (first treated period; missing or 0: never),
// covariates and weights (optional).
struct DidColumns {
  std::string outcome, unit, time, group;
  std::vector<std::string> covariates;
  std::string weights;  // empty: none
  std::string cluster;  // a cluster above the unit (DidData::cluster; missing: the unit's own)
};
// InvalidArgument naming the column and the row when a unit or a period is missing.
Result<DidData> did_input(const Frame& frame, const DidColumns& columns);

enum class Aggregation { kSimple, kDynamic, kGroup, kCalendar };

struct AggregateOptions {
  std::optional<int> balance_e;           // dynamic: only groups observed e periods after treatment
  int min_e = -1000000, max_e = 1000000;  // dynamic/simple/group: event times kept
};

struct AggregateTerm {
  int key = 0;  // event time, group or period
  double att = 0, se = 0;
};

struct AggregateResult {
  Aggregation type = Aggregation::kSimple;
  double att = 0, se = 0;
  std::vector<AggregateTerm> terms;           // empty for kSimple
  Eigen::VectorXd influence;                  // of the overall ATT
  Eigen::MatrixXd term_influence;             // units × terms
  double critical_value = 1.959963984540054;  // for uniform bands (set by bootstrap)
};

Result<AggregateResult> aggregate(const DidResult& r, Aggregation type,
                                  const AggregateOptions& options = {});

// Analytic standard errors from an influence matrix (units × columns): sqrt(Σ ψ²) / n.
Eigen::VectorXd influence_se(const Eigen::MatrixXd& psi);
Eigen::VectorXd influence_se(const CellInfluence& psi);

// The influence of each cluster (clusters × columns): the sum of its units' rows, times G / n,
// so that the bootstrap and analytic errors drawn over clusters (sqrt(G) mean(ψ̃ v), se = σ /
// sqrt(G)) estimate the cluster-robust variance Σ_c (Σ_{i∈c} ψ_i)² / n². R's did takes the mean
// of the units' rows instead: the same when every cluster has as many units, but otherwise a
// cluster of 100 firms weighs as one firm (on the demo, where the non-members are clusters of
// their own, the mean would give a fifth of this error).
Eigen::MatrixXd cluster_influence(const Eigen::MatrixXd& psi,
                                  const std::vector<int32_t>& unit_cluster, int64_t clusters);
// The same for the columns `which` of the cells' influence (every column when empty).
Eigen::MatrixXd cluster_influence(const CellInfluence& psi,
                                  const std::vector<int32_t>& unit_cluster, int64_t clusters,
                                  const std::vector<Eigen::Index>& which = {});

// Multiplier bootstrap (Rademacher weights, seeded): standard errors from the interquartile range
// of the bootstrap draws and the critical value of a uniform (1 - alpha) band over the columns.
struct Bootstrap {
  Eigen::VectorXd se;
  double critical_value = 0;
};
Bootstrap multiplier_bootstrap(const Eigen::MatrixXd& psi, int iterations, uint64_t seed,
                               double alpha = 0.05);
// The same draws on the cells' influence, read by blocks of units.
Bootstrap multiplier_bootstrap(const CellInfluence& psi, int iterations, uint64_t seed,
                               double alpha = 0.05);

// "simple", "dynamic", "group", "calendar".
std::string_view aggregation_name(Aggregation type);

// The inference R's did reports for an estimation: the pointwise (1 - alpha) interval of every
// ATT(g,t) and of the four aggregations (normal critical value), and uniform bands over the cells
// and over each aggregation's terms (critical value of the multiplier bootstrap; the normal one
// with analytic errors).
struct DidInferenceOptions {
  int bootstrap = 999;  // multiplier bootstrap draws; 0: analytic errors
  uint64_t seed = 1;    // the cells draw with `seed`, the k-th aggregation (1..4) with seed + k
  double alpha = 0.05;
  std::optional<int> balance_e;  // of the dynamic aggregation (AggregateOptions::balance_e)
  // Called before each step (the cells' errors, then each aggregation) with the share of the
  // steps done and the step's name; returning false cancels (Cancelled).
  std::function<bool(double, std::string_view)> progress;
};

struct BandedInterval {
  Interval ci;                         // pointwise
  double band_low = 0, band_high = 0;  // uniform band
};

struct DidTermInference {
  int key = 0;  // event time, group or period
  BandedInterval interval;
};

struct DidAggregateInference {
  Aggregation type = Aggregation::kSimple;
  Interval overall;
  std::vector<DidTermInference> terms;  // empty for kSimple
  double critical_value = 0;            // of the terms' uniform band
};

// With clusters (DidResult::unit_cluster), every error (analytic or bootstrap) and band is drawn
// over the clusters' influence (cluster_influence).
struct DidInference {
  double normal_critical = 0;                       // of the pointwise intervals
  std::vector<BandedInterval> cells;                // one per DidResult::cells, in its order
  double critical_value = 0;                        // of the cells' uniform band
  std::vector<DidAggregateInference> aggregations;  // simple, dynamic, group, calendar
};

Result<DidInference> did_inference(const DidResult& result,
                                   const DidInferenceOptions& options = {});

}  // namespace poles::impact
