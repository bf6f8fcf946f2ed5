// The shared evaluation method as the CLI and the API serve it: one year's evaluation with a
// method file (ranking with rank intervals, pillars, peer groups, ratings, compliance with the
// contracts, proposed corrective actions, sensitivity), a cluster's indicator trends against its
// peers, the qualitative (ESCA-style) assessments with the agreement between evaluators, and the
// characterisation of each cluster (declared against measured scale, regional specialisation of
// its sector, coherence with the filières). docs/evaluate.md.
//
// Each view takes the Args parsed with its ParamSpecs (below). The evaluation's draws, seed and
// sobol_n have no default in the spec: absent, the method file's own values apply (the API's
// default method, methods/default.toml: 10,000 draws, seed 1, sobol_n 500). The computation lives
// in the engines (evaluate, characterise); these functions parse, call them and shape the result.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/accounts.h"
#include "app/params.h"
#include "characterise/characterise.h"
#include "core/status.h"
#include "core/typed_json.h"
#include "evaluate/method_file.h"
#include "formats/table.h"
#include "snapshot/snapshot.h"
#include "store/store.h"

namespace poles::app {

// --- the indicator catalogue ------------------------------------------------------------------

struct IndicatorCatalogueEntry {
  std::string id;
  std::string pillar;
  std::string unit;
  std::string direction;  // higher | lower: which is better
  std::string formula;
  bool firm_aggregate = false;  // a sum over firms, under the secrecy rule
};
POLES_JSON(IndicatorCatalogueEntry, id, pillar, unit, direction, formula, firm_aggregate)

struct IndicatorCatalogue {
  std::vector<IndicatorCatalogueEntry> items;
};
POLES_JSON(IndicatorCatalogue, items)

// --- one year's evaluation ----------------------------------------------------------------------

struct EvaluationMethodInfo {
  std::string name;
  std::string description;
  std::vector<std::string> indicators;  // ids, in the method's order
  std::vector<std::string> pillars;     // pillar codes, in the method's order
  std::string peer_groups;              // none | scale | region
  // rank: rating classes by shares of the ranking (a quota); interval: by the whole rank
  // interval, else not_distinguishable; none: a method by interval evaluated with fewer than 100
  // draws gives no rating (no interval to read), and such an evaluation is not published.
  std::string rating_by;
  // The method's title and description in French (and its title in English) for reports.
  std::string title_fr, title_en, description_fr;
};
POLES_JSON(EvaluationMethodInfo, name, description, indicators, pillars, peer_groups, rating_by,
           title_fr, title_en, description_fr)

struct EvaluationUncertainty {
  uint64_t draws = 0;  // Monte Carlo draws of the rank intervals
  uint64_t seed = 0;
};
POLES_JSON(EvaluationUncertainty, draws, seed)

struct EvaluationSensitivityIndex {
  std::string input;  // one of evaluate::kUncertainInputs
  double first_order = 0;
  double total = 0;
};
POLES_JSON(EvaluationSensitivityIndex, input, first_order, total)

struct EvaluationSensitivity {
  std::string output;  // what the indices decompose
  uint64_t runs = 0;   // 0 when sobol_n is 0
  std::vector<EvaluationSensitivityIndex> indices;
};
POLES_JSON(EvaluationSensitivity, output, runs, indices)

struct EvaluationPeerGroup {
  int clusters = 0;
  tj::OrderedFields<std::optional<double>> pillars;  // mean scores; null when a member has none
};
POLES_JSON(EvaluationPeerGroup, clusters, pillars)

struct EvaluationRankInterval {
  double p05 = 0;
  double median = 0;
  double p95 = 0;
};
POLES_JSON(EvaluationRankInterval, p05, median, p95)

struct EvaluationTarget {
  std::string indicator;
  double target = 0;
  std::optional<double> value;  // null when the indicator has no value
  std::string direction;        // higher | lower
  std::optional<bool> met;      // null when unknown
};
POLES_JSON(EvaluationTarget, indicator, target, value, direction, met)

struct EvaluationAction {
  int level = 0;
  std::string action;
  std::vector<std::string> reasons;  // one per rule of the ladder matched
  std::string action_fr;             // the same in French
  std::vector<std::string> reasons_fr;
};
POLES_JSON(EvaluationAction, level, action, reasons, action_fr, reasons_fr)

// An absolute criterion of the method ([[criterion]]) checked for the cluster in the year.
struct EvaluationCriterion {
  std::string id;
  std::string indicator;
  std::optional<double> value;  // null when the indicator has no value
  std::optional<bool> met;      // null when unknown
  std::string text_fr, text_en;
  // Which way the value must move to meet it: higher for a floor (min, max_fall), lower for a
  // ceiling (max alone). Absent from publications made before it existed.
  tj::Omittable<std::string> direction;
};
POLES_JSON(EvaluationCriterion, id, indicator, value, met, text_fr, text_en, direction)

struct EvaluatedCluster {
  std::string cluster;  // id
  std::string name;
  std::string region;
  std::string scale;
  std::string peer_group;
  std::optional<double> index;  // composite index; null when undefined
  int rank = 0;
  int peer_rank = 0;
  EvaluationRankInterval rank_interval;
  std::string rating;
  std::optional<int> previous_rank;                     // null when not evaluated the year before
  std::string trend;                                    // up | down | stable
  tj::OrderedFields<std::optional<double>> pillars;     // pillar scores, method order
  tj::OrderedFields<std::optional<double>> indicators;  // raw values, method order
  // The same the year before (null when unknown): what an unranked cluster is compared with.
  tj::OrderedFields<std::optional<double>> previous_indicators;
  std::vector<EvaluationTarget> targets;
  int consecutive_misses = 0;
  bool improvement_plan = false;
  std::vector<EvaluationCriterion> criteria;  // the method's absolute criteria, this year
  // Criteria failed this year, the year before, … (empty when the method has none).
  std::vector<int> criteria_failing;
  EvaluationAction action;
};
POLES_JSON(EvaluatedCluster, cluster, name, region, scale, peer_group, index, rank, peer_rank,
           rank_interval, rating, previous_rank, trend, pillars, indicators, previous_indicators,
           targets, consecutive_misses, improvement_plan, criteria, criteria_failing, action)

struct YearEvaluation {
  int year = 0;
  // False when fewer than 3 clusters are labelled in the year (a single cluster's or a region's
  // store): no ranking, rating nor interval (rank 0, index null, rating empty); each cluster is
  // read against itself — its indicators, the year before, its contract targets — and its
  // actions follow from its targets alone.
  bool ranked = true;
  // Clusters the evaluation covers (a published evaluation shows a region or a cluster manager
  // only its own: "rank 12 of 55" reads this).
  int evaluated = 0;
  EvaluationMethodInfo method;
  EvaluationUncertainty uncertainty;
  EvaluationSensitivity sensitivity;
  std::map<std::string, EvaluationPeerGroup> peers;  // by peer group
  std::vector<EvaluatedCluster> clusters;            // by rank
  // The cluster `id`, or null when it is not evaluated.
  const EvaluatedCluster* find(std::string_view id) const;
};
POLES_JSON(YearEvaluation, year, ranked, evaluated, method, uncertainty, sensitivity, peers,
           clusters)

// --- two methods side by side
// -----------------------------------------------------------------------

struct ComparedCluster {
  std::string cluster;
  std::string name;
  int rank =
      0;  // under the method (the composite is the same when only ratings and actions differ)
  EvaluationRankInterval rank_interval;
  std::string rating, rating_against;
  int level = 0, level_against = 0;
  std::vector<std::string> reasons, reasons_against;  // English
  std::vector<std::string> reasons_fr, reasons_against_fr;
};
POLES_JSON(ComparedCluster, cluster, name, rank, rank_interval, rating, rating_against, level,
           level_against, reasons, reasons_against, reasons_fr, reasons_against_fr)

struct MethodComparison {
  int year = 0;
  std::string method, against;
  uint64_t clusters = 0;
  // levels[a][b]: clusters at level a under the method and b under the other (0 to 4).
  std::vector<std::vector<int>> levels;
  uint64_t action_changed = 0, rating_changed = 0;
  std::vector<ComparedCluster> items;  // by the method's rank
};
POLES_JSON(MethodComparison, year, method, against, clusters, levels, action_changed,
           rating_changed, items)

// --- the statistical audit of a method
// ------------------------------------------------------------

struct AuditedIndicator {
  std::string id;
  std::string pillar;
  std::optional<double> with_pillar;  // Pearson r with its pillar's score (null: undefined)
  std::optional<double> with_index;   // with the index
  double nominal_weight = 0;          // in the index (within its pillar × the pillar's weight)
  double effective_weight = 0;        // r² with the index, normalised to sum to 1
};
POLES_JSON(AuditedIndicator, id, pillar, with_pillar, with_index, nominal_weight, effective_weight)

struct AuditComponent {
  double eigenvalue = 0;
  double variance_share = 0;
  tj::OrderedFields<double> loadings;  // by indicator (constant ones left out)
};
POLES_JSON(AuditComponent, eigenvalue, variance_share, loadings)

struct AuditedPillar {
  std::string pillar;
  uint64_t units = 0;                   // clusters with every indicator of the pillar known
  std::vector<std::string> indicators;  // those kept (constant ones left out)
  std::optional<double> alpha;          // Cronbach's α from covariances (null: < 2 indicators)
  std::optional<double> standardised_alpha;  // from the mean correlation
  std::optional<double> mean_correlation;
  std::optional<double> with_index;        // the pillar's score with the index
  std::vector<double> eigenvalues;         // of the correlation matrix, descending
  std::vector<AuditComponent> components;  // those with an eigenvalue >= 1 (the first at least)
};
POLES_JSON(AuditedPillar, pillar, units, indicators, alpha, standardised_alpha, mean_correlation,
           with_index, eigenvalues, components)

struct AuditFlagView {
  // redundant | negative | negative_with_pillar | constant | low_alpha | low_influence | dominant
  std::string kind;
  std::string pillar;
  tj::Omittable<std::string> indicator, other;  // the indicator (and the other of a pair)
  double value = 0;                             // r, α, or effective / nominal weight
};
POLES_JSON(AuditFlagView, kind, pillar, indicator, other, value)

struct AuditThresholdsView {
  double redundant = 0, negative = 0, min_alpha = 0, weight_ratio = 0;
};
POLES_JSON(AuditThresholdsView, redundant, negative, min_alpha, weight_ratio)

struct CorrelationMatrix {
  std::vector<std::string> names;
  std::vector<std::vector<std::optional<double>>> r;  // rows and columns in `names` order
};
POLES_JSON(CorrelationMatrix, names, r)

struct MethodAudit {
  int year = 0;
  std::string method;
  uint64_t clusters = 0;
  AuditThresholdsView thresholds;
  std::vector<AuditFlagView> flags;
  std::vector<AuditedPillar> pillars;
  std::vector<AuditedIndicator> indicators;  // the method's order
  CorrelationMatrix indicator_correlations, pillar_correlations;
};
POLES_JSON(MethodAudit, year, method, clusters, thresholds, flags, pillars, indicators,
           indicator_correlations, pillar_correlations)

// --- the efficiency of the clusters (DEA)
// ----------------------------------------------------------

struct ClusterEfficiencyRow {
  std::string cluster;
  std::string name;
  // False when an input is missing or not positive, or an output is missing: `reason` says which.
  bool assessed = false;
  tj::Omittable<std::string> reason;
  std::optional<double> efficiency;        // under the method's returns to scale, in (0, 1]
  std::optional<double> constant_returns;  // CRS (overall technical efficiency)
  std::optional<double> variable_returns;  // VRS (pure technical efficiency)
  std::optional<double> scale;             // CRS / VRS
  std::vector<std::string> peers;          // the efficient clusters it is compared with
  tj::OrderedFields<std::optional<double>> inputs, outputs;
};
POLES_JSON(ClusterEfficiencyRow, cluster, name, assessed, reason, efficiency, constant_returns,
           variable_returns, scale, peers, inputs, outputs)

struct ClusterEfficiency {
  int year = 0;
  std::string method;
  std::string orientation;  // input | output
  std::string returns;      // constant | variable: which `efficiency` reads
  std::vector<std::string> inputs, outputs;
  uint64_t assessed = 0;
  uint64_t efficient = 0;                      // efficiency 1 (to 1e-9)
  std::vector<ClusterEfficiencyRow> clusters;  // most efficient first; not assessed last
};
POLES_JSON(ClusterEfficiency, year, method, orientation, returns, inputs, outputs, assessed,
           efficient, clusters)

// --- a cluster's trends
// ---------------------------------------------------------------------------

struct IndicatorTrendSeries {
  std::string id;
  std::string pillar;
  std::string unit;
  std::vector<std::optional<double>> values;       // one per year; null when undefined
  std::vector<std::optional<double>> peer_median;  // one per year; null when too few peers
  // How peer_median is computed: "median" of the peers' values, or "central_mean" for a firm
  // aggregate (the mean of the five central peers' figures published to all: evaluate/trends.h).
  std::string peer_statistic;
  // The national figure of each year when the store holds one (national_figure: imported from
  // the State's publications; null otherwise), how it sums up the clusters and its source.
  std::vector<std::optional<double>> national;
  tj::Omittable<std::string> national_statistic, national_source;
};
POLES_JSON(IndicatorTrendSeries, id, pillar, unit, values, peer_median, peer_statistic, national,
           national_statistic, national_source)

struct IndicatorTrends {
  std::string cluster;
  std::vector<int> years;
  std::string peer_group;                        // the cluster's declared scale: its peers
  std::vector<IndicatorTrendSeries> indicators;  // the catalogue's order
  // The series of indicator `id`, or null.
  const IndicatorTrendSeries* find(std::string_view id) const;
};
POLES_JSON(IndicatorTrends, cluster, years, peer_group, indicators)

// --- the qualitative assessments
// ------------------------------------------------------------------

struct AssessmentScore {
  std::string evaluator;
  double score = 0;  // 0 (absent) to 4 (excellent)
  std::string justification;
};
POLES_JSON(AssessmentScore, evaluator, score, justification)

struct AssessmentArea {
  double mean = 0;
  std::vector<AssessmentScore> scores;
};
POLES_JSON(AssessmentArea, mean, scores)

struct AssessedCluster {
  std::string cluster;  // id
  std::string name;
  tj::OrderedFields<AssessmentArea> areas;  // the areas scored, grid order
};
POLES_JSON(AssessedCluster, cluster, name, areas)

struct AssessmentAgreement {
  uint64_t targets = 0;  // (cluster, area) pairs scored by two evaluators or more
  std::optional<double> icc1;
  std::optional<double> exact_agreement;
  std::optional<double> mean_abs_difference;
};
POLES_JSON(AssessmentAgreement, targets, icc1, exact_agreement, mean_abs_difference)

struct AssessmentAgreements {
  AssessmentAgreement overall;
  tj::OrderedFields<AssessmentAgreement> areas;  // grid order
};
POLES_JSON(AssessmentAgreements, overall, areas)

struct AssessmentsView {
  int year = 0;
  std::string scale;  // of the scores
  AssessmentAgreements agreement;
  std::vector<AssessedCluster> clusters;  // the clusters assessed
  // The cluster `id`, or null when it is not assessed.
  const AssessedCluster* find(std::string_view id) const;
};
POLES_JSON(AssessmentsView, year, scale, agreement, clusters)

// --- the characterisation: the engine's result, as it is ----------------------------------------

using characterise::Characterisation;

// --- the use cases
// --------------------------------------------------------------------------------

// The directory of shipped methods: $POLES_METHODS_DIR, else the installed copy
// (<prefix>/share/poles/methods, core/paths.h), else the build's source tree `methods/`.
std::string methods_dir();
// A method by name (a slug, under methods_dir()) or, when allow_path, a file path.
Result<evaluate::MethodFile> find_method(const std::string& name_or_path, bool allow_path);

// REQUIRES: `a` parsed with evaluation_params(). NotFound for an unknown method or a year with
// fewer than three clusters labelled.
Result<YearEvaluation> evaluation(const snapshot::Snapshot& s, const Args& a,
                                  bool allow_path = false);
// The same year under two methods (`method` and `against`, same draws and seed): ratings and
// proposed actions side by side. REQUIRES: `a` parsed with comparison_params().
Result<MethodComparison> compare_methods(const snapshot::Snapshot& s, const Args& a,
                                         bool allow_path = false);
// REQUIRES: `a` parsed with method_params(). NotFound for an unknown method or a year with fewer
// than three clusters labelled.
Result<MethodAudit> method_audit(const snapshot::Snapshot& s, const Args& a,
                                 bool allow_path = false);
// REQUIRES: `a` parsed with efficiency_params().
Result<ClusterEfficiency> cluster_efficiency(const snapshot::Snapshot& s, const Args& a,
                                             bool allow_path = false);
// REQUIRES: `a` parsed with trends_params(). NotFound for an unknown cluster; InvalidArgument when
// from is after to.
Result<IndicatorTrends> indicator_trends(const snapshot::Snapshot& s, const std::string& cluster,
                                         const Args& a);
// REQUIRES: `a` parsed with assessments_params().
AssessmentsView assessments_view(const snapshot::Snapshot& s, const Args& a);
// REQUIRES: `a` parsed with characterisation_params().
Characterisation characterisation(const snapshot::Snapshot& s, const Args& a);
// The indicator catalogue (ids, pillars, units, directions, formulas).
IndicatorCatalogue indicator_catalogue();
// The evaluation as spreadsheet sheets: ranking, pillars, indicators, compliance.
std::vector<std::pair<std::string, formats::Table>> evaluation_sheets(const YearEvaluation& ev);

// --- publication to the evaluated ------------------------------------------------------------

// A year's evaluation as published: frozen on the data version of that day.
struct EvaluationPublication {
  int year = 0;
  int64_t data_version = 0;
  std::string published_by;
  std::string published_at;
  tj::Json parameters;  // the evaluation's parameters (method, draws, seed, sobol_n)
  // When the State chose to show its summary on the public portal (null: not shown).
  std::optional<std::string> public_at;
};
POLES_JSON(EvaluationPublication, year, data_version, published_by, published_at, parameters,
           public_at)

// Showing a published year's summary on the public portal, or withdrawing it.
struct EvaluationPublicBody {
  bool shown = false;
};
POLES_JSON(EvaluationPublicBody, shown)

// What the public portal shows of a published evaluation the State chose to show, for one
// cluster: its rating, its rank and the interval of its rank (the 5th and 95th percentiles of
// the rank under the method's uncertainty), out of how many clusters. No index, pillar,
// indicator or report: those stay with the evaluated.
struct PublicEvaluationSummary {
  int year = 0;
  std::string rating;
  int rank = 0, rank_low = 0, rank_high = 0, clusters = 0;
  std::string trend;     // up | down | stable, or empty
  std::string shown_at;  // when the State chose to show it
};

struct EvaluationPublications {
  std::vector<EvaluationPublication> items;  // by year
};
POLES_JSON(EvaluationPublications, items)

// A cluster's report as published, in one language.
struct PublishedReport {
  std::string cluster;
  std::string lang;
  std::string html;
};

// A peer group's pillar means are published only when the group holds this many clusters: a
// reader knows its own cluster's scores (a region, two of them), and the mean of a group of two
// gave the other cluster's scores exactly.
inline constexpr int kMinPublishedPeerGroup = 4;
// Removes the smaller peer groups from an evaluation about to be published (its stored copy and
// the reports drawn from it).
void withhold_small_peer_groups(YearEvaluation& ev);

// Records `ev` as the published evaluation of its year, with each cluster's report, in one
// transaction with an audit entry. Conflict when the year is published already (a publication
// is frozen).
Result<EvaluationPublication> publish_evaluation(store::Store& s, const User& u,
                                                 const YearEvaluation& ev,
                                                 const tj::Json& parameters,
                                                 const std::vector<PublishedReport>& reports);
Result<EvaluationPublications> evaluation_publications(store::Store& s);
// The published evaluation of `year` (its JSON, as computed then), or nothing.
Result<std::optional<tj::Json>> published_evaluation(store::Store& s, int year);
// Shows (or withdraws) a published year's summary on the public portal, with an audit entry.
// NotFound when the year is not published.
Result<EvaluationPublication> set_evaluation_public(store::Store& s, const User& u, int year,
                                                    bool shown);
// The summary of the latest year shown on the public portal for `cluster`, or nothing (no year
// shown, or the cluster not evaluated that year).
Result<std::optional<PublicEvaluationSummary>> public_evaluation_summary(store::Store& s,
                                                                         std::string_view cluster);
// The published report of a cluster, or nothing.
Result<std::optional<std::string>> published_report(store::Store& s, int year,
                                                    const std::string& cluster,
                                                    const std::string& lang);

// The parameters of the evaluation views (shared by the API and the CLI).
const ParamSpecs& evaluation_params();
const ParamSpecs& comparison_params();  // evaluation_params() and against
const ParamSpecs& method_params();      // year, method
const ParamSpecs& efficiency_params();  // year, method, orientation, returns
const ParamSpecs& trends_params();
const ParamSpecs& assessments_params();
const ParamSpecs& characterisation_params();

}  // namespace poles::app
