// One year's evaluation with a method file: the indicator table of the clusters labelled that year,
// the composite (pillars, index, ranks), rank intervals (Monte Carlo) and Sobol indices, peer
// groups, rating classes, contract compliance and the proposed corrective action of each cluster.
//  - Trend: the cluster's rank this year against its rank the year before (same method, same
//    clusters as then): "up" or "down" when it moved by 3 places or more, else "stable".
//  - Compliance: each contract target of the year met or missed by the catalogue's value of its
//    indicator (unknown when the indicator is not in the catalogue or has no value); a year is
//    missed when fewer than min_targets_met_share of its known targets are met; consecutive
//    misses count back from the year.
//  - Action: the highest level of the ladder's rules that match (0, monitoring, when none does).
//  - Peers: the clusters of the same peer group (the method's `peer_groups`: declared scale, home
//    region, or all), with their mean pillar scores.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "evaluate/composite.h"
#include "evaluate/indicators.h"
#include "evaluate/method_file.h"
#include "evaluate/sensitivity.h"
#include "snapshot/snapshot.h"

namespace poles::evaluate {

struct TargetCheck {
  std::string indicator;
  double target = 0, value = 0;
  bool higher = true;
  int met = -1;  // 1 met, 0 missed, −1 unknown
};

// An absolute criterion of the method checked for a cluster in the year.
struct CriterionCheck {
  std::string id;
  double value = 0;     // the indicator's value (NaN: unknown)
  double previous = 0;  // the year before (NaN: unknown), for max_fall
  int met = -1;         // 1 met, 0 failed, −1 unknown
};

struct ProposedAction {
  int level = 0;
  std::string action = "monitoring";
  std::string action_fr = "suivi ordinaire";
  // One per rule of the ladder matched: "level 2 (review…): rated …, …", in English and French.
  std::vector<std::string> reasons, reasons_fr;
};

// What the ladder's conditions read of one cluster.
struct ActionInputs {
  std::string rating;
  int consecutive_misses = 0;
  std::string trend;
  bool improvement_plan = false;
  // Criteria failed in the year, the year before, …: failing[0] is this year.
  std::vector<int> failing;
  std::vector<std::string> failed_fr, failed_en;  // this year's failed criteria, as texts
};
ProposedAction propose_action(const std::vector<ActionRule>& ladder, const ActionInputs& in);

// The rating class whose group of ranks holds the whole interval [p05, p95] among n clusters
// (classes from the top, each the share of n up to ceil(cumulative share × n); the last takes the
// rest), else kNotDistinguishable.
std::string rating_by_interval(const std::vector<RatingClass>& classes, size_t n, double p05,
                               double p95);
// Ratings by interval need this many Monte Carlo draws; with fewer there is no rating.
inline constexpr size_t kMinIntervalDraws = 100;
ProposedAction propose_action(const std::vector<ActionRule>& ladder, const std::string& rating,
                              int consecutive_misses, const std::string& trend,
                              bool improvement_plan);

struct ClusterEvaluation {
  int32_t cluster = -1;
  std::string peer_group;
  std::vector<double> raw;       // indicator values (method order)
  std::vector<double> previous;  // the same the year before (NaN when not labelled then)
  std::vector<double> pillars;   // pillar scores
  double index = 0;
  int rank = 0, peer_rank = 0;
  RankInterval interval;
  std::string rating;
  int previous_rank = 0;  // 0 when not evaluated the year before
  std::string trend = "stable";
  std::vector<TargetCheck> targets;
  int consecutive_misses = 0;
  bool improvement_plan = false;
  std::vector<CriterionCheck> criteria;  // the method's, in its order
  std::vector<int> criteria_failing;     // failed this year, the year before, … (up to 10 years)
  ProposedAction action;
};

// A peer group's mean pillar scores (NaN for a pillar when one of its clusters has none).
struct PeerGroupMeans {
  std::string group;
  int clusters = 0;
  std::vector<double> pillars;  // in the method's pillar order
};

struct Evaluation {
  int year = 0;
  // With fewer than kMinRanked clusters labelled in the year no composite is computed: each
  // cluster is evaluated against itself (its indicators, the year before, its contract targets);
  // index NaN, rank 0, no rating, no interval.
  bool ranked = true;
  std::vector<ClusterEvaluation> clusters;  // by rank
  std::vector<PeerGroupMeans> peers;        // by group name
  SobolIndices sensitivity;                 // on kUncertainInputs (empty when sobol_n = 0)
  size_t draws = 0;
  uint64_t seed = 0;
  std::string rating_by = "rank";  // how the ratings were given: rank, interval or none
};

inline constexpr size_t kMinRanked = 3;  // clusters a ranking needs (normalisation, PCA)

struct RunOptions {
  bool sensitivity = true;
  bool uncertainty = true;
};
Result<Evaluation> evaluate_year(const snapshot::Snapshot& s, const MethodFile& m, int year,
                                 const RunOptions& o = {});
// The statistical audit of the year's composite (evaluate/audit.h) with the method's thresholds.
// `rows`: the clusters' snapshot rows, in the composite's order. NotFound when fewer than
// kMinRanked clusters are labelled in the year (no composite).
struct YearAudit {
  std::vector<int32_t> rows;
  Audit audit;
};
Result<YearAudit> audit_year(const snapshot::Snapshot& s, const MethodFile& m, int year);

// The efficiency (DEA) of the clusters labelled in `year` with the method's inputs, outputs and
// orientation, under both constant and variable returns (scale efficiency = CRS / VRS).
struct YearEfficiency {
  std::vector<int32_t> rows;  // snapshot rows of the clusters labelled in the year
  Table inputs, outputs;      // rows × the method's inputs / outputs (raw values)
  std::vector<DeaUnit> constant, variable;
};
Result<YearEfficiency> efficiency_year(const snapshot::Snapshot& s, const MethodFile& m, int year);

// The raw table of the method's indicators for the clusters labelled in `year` (rows in `rows`).
Table indicator_table(const Catalogue& c, const MethodFile& m, int year,
                      std::vector<int32_t>& rows);

}  // namespace poles::evaluate
