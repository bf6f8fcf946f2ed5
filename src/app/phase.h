// A cluster's evaluation over a phase of its label (docs/evaluate.md, "Phase evaluation"; issue
// #23 item 3): the policy judges clusters over a phase of four years, not one year at a time.
//
// The phase is a window of years (from–to, at most kMaxPhaseYears). Each year of it is that
// year's evaluation with one method: the published one when the year is published (as the
// evaluated read it), else computed on the current data (the State, evaluators and
// administrators only; regions and cluster managers see the published years alone). For each
// cluster evaluated in at least one year of the window:
//  - levels: per year its rank and rank interval, rating, action level, criteria failed and
//    contract targets met; over the phase its mean pillar scores and median rank;
//  - trend: the least-squares slope of its rank on the years (negative: it climbs), "up" or
//    "down" when the slope times the span moves it by 3 places or more (as the year-on-year
//    trend), else "stable"; and for each indicator of the method the change from the first to the
//    last year of the window it has a value in: the mean annual growth for a volume or a ratio,
//    the change in points for a share;
//  - consistency: the rating it held most often and in how many years (ties go to the later
//    year's), the range of its ranks, the years it met every criterion (all known) and every
//    target; it is "steady" when it held that rating every year it was evaluated and its ranks
//    lie within 10 places, "not_rated" when it was never ranked, else "variable".
// A year published with another method than the phase's is computed again for the State and
// left out for the evaluated; years before 2005 (the data model's first) are left out.
// Index values are not compared across years: a min-max index is relative to the year's clusters.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/evaluate.h"
#include "core/status.h"
#include "core/typed_json.h"

namespace poles::app {

inline constexpr int kMaxPhaseYears = 8;

struct PhaseYear {
  int year = 0;
  bool published = false;  // the published evaluation (else computed on the current data)
  int rank = 0;            // 0 when the year is not ranked
  int clusters = 0;        // clusters evaluated that year
  EvaluationRankInterval rank_interval;
  std::string rating;
  int action_level = 0;
  int criteria_failed = 0, criteria_known = 0;
  int targets_met = 0, targets_known = 0;
};
POLES_JSON(PhaseYear, year, published, rank, clusters, rank_interval, rating, action_level,
           criteria_failed, criteria_known, targets_met, targets_known)

struct PhaseIndicatorChange {
  std::string indicator;
  int from_year = 0, to_year = 0;
  std::optional<double> first, last;
  // Annual growth (volumes, ratios) or change in points per year (shares, unit "share"); null
  // when fewer than two years have a value, or for a growth when the first value is not
  // positive or the last is negative.
  std::optional<double> per_year;
  std::string kind;  // growth | points
};
POLES_JSON(PhaseIndicatorChange, indicator, from_year, to_year, first, last, per_year, kind)

struct PhaseCluster {
  std::string cluster;
  std::string name;
  std::vector<PhaseYear> years;                      // the years it was evaluated, in order
  tj::OrderedFields<std::optional<double>> pillars;  // mean scores over its ranked years
  std::optional<double> median_rank;
  std::optional<double> rank_slope;              // places per year (negative: climbing)
  std::string trend;                             // up | down | stable
  std::vector<PhaseIndicatorChange> indicators;  // the method's, in its order
  std::string rating;                            // held most often (empty when never rated)
  int years_rated = 0, years_with_rating = 0;
  int best_rank = 0, worst_rank = 0;
  int years_all_criteria_met = 0, years_all_targets_met = 0;
  std::string consistency;  // steady | variable | not_rated
};
POLES_JSON(PhaseCluster, cluster, name, years, pillars, median_rank, rank_slope, trend, indicators,
           rating, years_rated, years_with_rating, best_rank, worst_rank, years_all_criteria_met,
           years_all_targets_met, consistency)

struct PhaseEvaluation {
  int from = 0, to = 0;
  EvaluationMethodInfo method;
  std::vector<int> years;              // the years of the window evaluated
  std::vector<int> published_years;    // of which published
  std::vector<PhaseCluster> clusters;  // by median rank, then name
  const PhaseCluster* find(std::string_view id) const;
};
POLES_JSON(PhaseEvaluation, from, to, method, years, published_years, clusters)

// The phase from evaluations of its years (in order; `published[i]`: whether evaluations[i] is
// the published one). REQUIRES every evaluation with the same method.
PhaseEvaluation phase_of(const std::vector<YearEvaluation>& evaluations,
                         const std::vector<bool>& published);

// The parameters of the phase: from, to (2005–2100), method, draws (500 unless given; 0 to
// 5,000), seed.
const ParamSpecs& phase_params();

// The evaluations of the years from–to with a method: the published one of a year (when
// published with that method), else (when `drafts`) one computed on `s` with `draws` draws and no
// Sobol analysis; a year without it, or without a cluster labelled, is left out.
struct PhaseYears {
  std::vector<YearEvaluation> evaluations;
  std::vector<bool> published;
};
Result<PhaseYears> phase_years(const snapshot::Snapshot& s, store::Store& store, int from, int to,
                               const std::string& method, int draws, std::optional<int> seed,
                               bool drafts);

// The phase of the parameters (phase_params): phase_years, then phase_of. InvalidArgument when
// from > to or the window spans more than kMaxPhaseYears; NotFound when no year is read.
Result<PhaseEvaluation> phase_evaluation(const snapshot::Snapshot& s, store::Store& store,
                                         const Args& a, bool drafts);

// The phase window of a cluster's report of `year`: from the start of the label phase that holds
// the year (cluster_label), at most kMaxPhaseYears back, to the year; the year alone when no
// label holds it.
int phase_start(const snapshot::Snapshot& s, const std::string& cluster, int year);

}  // namespace poles::app
