// The impact study as the CLI, the API and the dashboard see it: one estimation described by
// parameters (impact_params(), the same names everywhere), run on the store's firm panel or on any
// CSV, returned as a typed result with statistical secrecy applied to every figure that rests on
// firms; the impact report (report::impact_report_html) is drawn from that result.
//
// The app layer only orchestrates: it reads the parameters, asks the impact engine for the
// design, the estimate and its inference, and decides with secrecy::publishable what may be
// published (a masked figure is null).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/params.h"
#include "core/status.h"
#include "core/typed_json.h"
#include "impact/frame.h"
#include "snapshot/snapshot.h"

namespace poles::app {

// Progress of a long estimation: `report` receives the share done and the stage's name;
// `cancelled` is polled between steps.
struct ImpactProgress {
  std::function<void(double, const std::string&)> report;
  std::function<bool()> cancelled;
};

// --- what every estimator shares ----------------------------------------------------------------

// How many figures statistical secrecy masked, and the rule's threshold of firms.
struct ImpactSecrecyNote {
  int min_firms = 0;
  int masked = 0;
};
POLES_JSON(ImpactSecrecyNote, min_firms, masked)

// The rows of the data the estimation read.
struct ImpactRows {
  int64_t rows = 0;
};
POLES_JSON(ImpactRows, rows)

// Where a store estimation's data came from (absent for a CSV): the treatment, the sample and,
// except for the cohort matching, the exposure of non-members.
struct ImpactSource {
  std::string kind;  // "store"
  std::string treatment, sample;
  tj::Omittable<std::string> exposure;
};
POLES_JSON(ImpactSource, kind, treatment, sample, exposure)

// A decision-maker's reading of the headline estimate. On a log outcome (log, log1p) or in a
// Poisson model the estimate is in log points: it reads as a change in percent, 100 (e^b − 1),
// and so do the ends of its interval ("+12 % [11 %; 13 %]"); on another outcome it reads in the
// outcome's own units. Null figures where the estimate is not published (secrecy).
struct ImpactReading {
  std::string term;   // the estimate read: "simple" (DiD's overall effect), "att", or a variable
  std::string scale;  // "percent" or "level"
  std::optional<double> value, low, high;
  // The interval excludes zero (true), contains it (false), or is not known (null).
  std::optional<bool> conclusive;
};
POLES_JSON(ImpactReading, term, scale, value, low, high, conclusive)
// The reading of an estimate of `outcome` (an expression such as "log(rd_spending)"; with
// `log_points`, the estimate is in log points whatever the outcome: a Poisson model, or a change
// of a log outcome).
ImpactReading read_estimate(std::string_view outcome, bool log_points, std::string term,
                            std::optional<double> estimate, std::optional<double> low,
                            std::optional<double> high);

// --- by: the effect in each group and the test that they are equal ---------------------------

// One group's estimate (null when masked, or when `note` says: "not_estimable", the group's
// estimation failed; "collinear", its interaction is collinear with the fixed effects) and its
// reading; rows: the group's own rows (split: without the shared controls; interaction: its
// treated rows), null when masked. A group's interval is analytic (the test's covariance).
struct ImpactGroup {
  std::string key;
  std::optional<int64_t> rows;
  std::optional<double> estimate, se, ci_low, ci_high;
  ImpactReading reading;
  tj::Omittable<std::string> note;
};
POLES_JSON(ImpactGroup, key, rows, estimate, se, ci_low, ci_high, reading, note)

// The Wald test that every published group's estimate is equal: chi-square with df = groups − 1.
// left_out: the groups without a published estimate, which the test leaves out (with them it
// could give a masked one back).
struct ImpactEquality {
  std::optional<double> stat;
  int df = 0;
  std::optional<double> p;
  std::vector<std::string> left_out;
  // Why there is no statistic: "fewer_than_two" groups tested, or a "singular" covariance.
  tj::Omittable<std::string> reason, warning;
};
POLES_JSON(ImpactEquality, stat, df, p, left_out, reason, warning)

// Heterogeneity (parameter by): `term` estimated in each group of `variable` (a unit's group:
// its value in its first period). Secondary suppression: the groups not shown must together
// pass the rule (their union's estimate would be published), else the shown group with the
// fewest treated firms is masked too.
//  method "split": each group's own estimation on its rows (did, sunab, match; ols and ppml with
//    by_mode=split, as fixest's split=, term the treatment regressor); with shared_controls, the
//    never-treated rows, which belong to no group, are every group's controls (did only); the
//    test's covariance from the estimates' influence functions (did: units in several groups
//    count in each, so shared controls are accounted for), else the groups are independent
//    samples;
//  method "interaction": one regression, the treatment (the first regressor) interacted with
//    the groups' dummies, the same controls for all (shared_controls), the test on the
//    regression's covariance.
// ungrouped: the treated rows in no group (a firm without a size class, a funded non-member by
// pôle), left out of the groups' estimations.
struct ImpactBy {
  std::string variable, method, term;
  bool shared_controls = false;
  std::vector<ImpactGroup> groups;
  ImpactEquality equality;
  int64_t ungrouped = 0;
};
POLES_JSON(ImpactBy, variable, method, term, shared_controls, groups, equality, ungrouped)

// --- did: Callaway & Sant'Anna ------------------------------------------------------------------

// cluster: the variable whose clusters the errors and bands are drawn over (R did's
// clustervars, with the clusters' summed influence: impact::cluster_influence), a unit without
// one its own; absent: the unit.
struct ImpactDidOptions {
  std::string control, base, method;
  int anticipation = 0;
  std::vector<std::string> covariates;
  int bootstrap = 0;
  int seed = 0;
  double alpha = 0;
  tj::Omittable<std::string> cluster;
  std::string panel;  // balanced, pairs or rc (impact::DidOptions::Panel)
};
POLES_JSON(ImpactDidOptions, control, base, method, anticipation, covariates, bootstrap, seed,
           alpha, cluster, panel)

struct ImpactDidData {
  int64_t units = 0, dropped_units = 0;  // dropped: incomplete panel, or treated at the start
  std::vector<int> periods, groups;
  int64_t rows = 0;
  tj::Omittable<int64_t> clusters;  // with options.cluster: how many
};
POLES_JSON(ImpactDidData, units, dropped_units, periods, groups, rows, clusters)

// One ATT(g,t): the pointwise interval and the uniform band; null when masked (fewer than
// min_firms treated or control firms), the base period of a universal base excepted.
struct ImpactDidCell {
  int g = 0, t = 0, e = 0;
  bool post = false, reference = false;
  std::optional<int64_t> treated, controls;
  std::optional<double> estimate, se, ci_low, ci_high, band_low, band_high;
};
POLES_JSON(ImpactDidCell, g, t, e, post, reference, treated, controls, estimate, se, ci_low,
           ci_high, band_low, band_high)

// The Wald pre-test of parallel trends (p null without pre-treatment cells).
struct ImpactDidPretest {
  std::optional<double> stat;
  int df = 0;
  std::optional<double> p;
  // Present when no statistic is given: the pre-treatment estimates' covariance is singular.
  tj::Omittable<std::string> warning;
};
POLES_JSON(ImpactDidPretest, stat, df, p, warning)

// The simple aggregation: one overall ATT.
struct ImpactDidOverall {
  std::optional<double> estimate, se, ci_low, ci_high;
};
POLES_JSON(ImpactDidOverall, estimate, se, ci_low, ci_high)

// One term of an aggregation (event time, cohort or year), with its uniform band.
struct ImpactDidTerm {
  int key = 0;
  std::optional<double> estimate, se, ci_low, ci_high, band_low, band_high;
};
POLES_JSON(ImpactDidTerm, key, estimate, se, ci_low, ci_high, band_low, band_high)

// The dynamic, group and calendar aggregations: the mean of their terms, and the terms.
struct ImpactDidAggregation {
  std::optional<double> estimate, se, ci_low, ci_high;
  std::vector<ImpactDidTerm> terms;
  std::optional<double> uniform_critical_value;
};
POLES_JSON(ImpactDidAggregation, estimate, se, ci_low, ci_high, terms, uniform_critical_value)

struct ImpactDidAggregations {
  ImpactDidOverall simple;
  ImpactDidAggregation dynamic, group, calendar;
};
POLES_JSON(ImpactDidAggregations, simple, dynamic, group, calendar)

// Robustness of the overall effect (parameter robustness=1): a placebo that moves every
// cohort's treatment `shift` periods earlier on the rows before the true treatment (the firms
// compared over the pairs of periods they are seen in: no effect is expected), and the overall
// effect leaving each cohort out in turn. Analytic errors; each figure under the secrecy rule of
// the overall effect.
struct ImpactLeaveOut {
  int cohort = 0;
  std::optional<double> estimate, se, ci_low, ci_high;
  tj::Omittable<std::string> note;  // "not_estimable" without the cohort
};
POLES_JSON(ImpactLeaveOut, cohort, estimate, se, ci_low, ci_high, note)
struct ImpactRobustness {
  int placebo_shift = 0;
  ImpactDidOverall placebo;
  tj::Omittable<std::string> placebo_note;  // "not_estimable" when no comparison is left
  std::vector<ImpactLeaveOut> leave_one_out;
};
POLES_JSON(ImpactRobustness, placebo_shift, placebo, placebo_note, leave_one_out)

struct ImpactDid {
  std::string estimator = "did";
  std::string outcome;
  ImpactDidOptions options;
  ImpactDidData data;
  std::vector<ImpactDidCell> cells;
  std::optional<double> uniform_critical_value;  // of the cells' band
  ImpactDidPretest pretest;
  ImpactDidAggregations aggregations;
  ImpactSecrecyNote secrecy;
  tj::Omittable<ImpactSource> source;
  ImpactReading reading;  // of the overall effect (aggregations.simple)
  tj::Omittable<ImpactBy> by;
  tj::Omittable<ImpactRobustness> robustness;
};
POLES_JSON(ImpactDid, estimator, outcome, options, data, cells, uniform_critical_value, pretest,
           aggregations, secrecy, source, reading, by, robustness)

// --- ols: fixed-effects regression --------------------------------------------------------------

// A coefficient (null when the regression rests on fewer than min_firms rows).
struct ImpactCoefficient {
  std::string name;
  std::optional<double> estimate, se, ci_low, ci_high, t, p;
};
POLES_JSON(ImpactCoefficient, name, estimate, se, ci_low, ci_high, t, p)

struct ImpactFixedEffect {
  std::string name;
  int32_t levels = 0;
};
POLES_JSON(ImpactFixedEffect, name, levels)

struct ImpactDemeaning {
  int iterations = 0;
  bool conjugate_gradient = false;
};
POLES_JSON(ImpactDemeaning, iterations, conjugate_gradient)

// The small-sample conventions of a regression's errors, as fixest's ssc(): the preset and each
// setting used (adj: (n − 1)/(n − K); fixef_k: how the fixed effects count in K, nested, full,
// none or dimensions; cluster_adj: G/(G − 1); cluster_df: min or conventional; t_df: min,
// conventional or normal).
struct ImpactSsc {
  std::string preset;
  bool adj = true;
  std::string fixef_k;
  bool cluster_adj = true;
  std::string cluster_df, t_df;
};
POLES_JSON(ImpactSsc, preset, adj, fixef_k, cluster_adj, cluster_df, t_df)

struct ImpactOls {
  std::string estimator = "ols";
  std::string outcome;
  std::vector<ImpactCoefficient> coefficients;
  std::vector<std::string> collinear;
  std::vector<ImpactFixedEffect> fixed_effects;
  std::string vcov;
  std::vector<std::string> clusters;
  int64_t n = 0, singletons = 0, missing = 0;
  std::optional<double> df_t;  // null: z tests (ssc t_df normal)
  std::optional<double> rmse, r2, adj_r2, within_r2;
  ImpactDemeaning demeaning;
  ImpactRows data;
  tj::Omittable<ImpactSource> source;
  // ppml only (estimator "ppml": a Poisson regression, its coefficients log points, z tests):
  // the deviance, 1 − deviance / null deviance, the rows of fixed-effect levels whose outcome is
  // zero throughout (dropped), the IRLS iterations.
  tj::Omittable<double> deviance, pseudo_r2;
  tj::Omittable<int64_t> perfect_fit;
  tj::Omittable<int> iterations;
  tj::Omittable<ImpactReading> reading;  // of the first coefficient (the treatment)
  tj::Omittable<ImpactBy> by;
  tj::Omittable<ImpactSsc> ssc;  // ols
};
POLES_JSON(ImpactOls, estimator, outcome, coefficients, collinear, fixed_effects, vcov, clusters, n,
           singletons, missing, df_t, rmse, r2, adj_r2, within_r2, demeaning, data, source,
           deviance, pseudo_r2, perfect_fit, iterations, reading, by, ssc)

// --- event: two-way fixed-effects event study ---------------------------------------------------

// A coefficient by event time (null when the treated rows at that time are of fewer than
// min_firms firms, the reference period excepted).
// band_low/high: the uniform (sup-t) band over every estimated term (the leads' pre-trends read
// jointly).
struct ImpactEventTerm {
  int e = 0;
  std::optional<double> estimate, se, ci_low, ci_high, band_low, band_high;
  std::optional<int64_t> rows;
  bool reference = false;
};
POLES_JSON(ImpactEventTerm, e, estimate, se, ci_low, ci_high, band_low, band_high, rows, reference)

// The joint F test that every lead is zero.
struct ImpactPretrend {
  std::optional<double> f;
  int df = 0;
  std::optional<double> p;
  tj::Omittable<std::string> warning;  // as ImpactDidPretest::warning
};
POLES_JSON(ImpactPretrend, f, df, p, warning)

// sunab: one cohort's effect at one relative period, its rows and firms, and its weight in that
// period's average (its rows' share); null when it rests on fewer than min_firms firms.
struct ImpactCohortEffect {
  int g = 0, e = 0;
  std::optional<double> estimate, se;
  std::optional<int64_t> rows, firms;
  std::optional<double> weight;
};
POLES_JSON(ImpactCohortEffect, g, e, estimate, se, rows, firms, weight)

// estimator "event": the two-way fixed-effects event study; "sunab": Sun & Abraham's
// interaction-weighted one (terms are the cohorts' effects averaged by their rows at each
// relative period), with the cohorts' effects, the ATT over every post-treatment cell, and the
// control cohort (0: the never treated; else the last-treated cohort, until its treatment).
// A sunab term or the ATT is null when one of the cohort effects it averages is (else the
// published average and the other cohorts would give the masked one).
struct ImpactEvent {
  std::string estimator = "event";
  std::string outcome;
  std::vector<ImpactEventTerm> terms;
  std::optional<double> uniform_critical_value;  // of the terms' band (seeded draws)
  ImpactPretrend pretrend;
  int64_t n = 0, clusters = 0;
  ImpactSecrecyNote secrecy;
  ImpactRows data;
  tj::Omittable<ImpactSource> source;
  tj::Omittable<std::vector<ImpactCohortEffect>> cohorts;
  tj::Omittable<ImpactDidOverall> att;
  tj::Omittable<int> control_cohort;
  tj::Omittable<int64_t> dropped_always_treated;  // rows of units treated from the first period
  tj::Omittable<ImpactReading> reading;           // of the ATT
  tj::Omittable<ImpactBy> by;                     // sunab only
  tj::Omittable<ImpactSsc> ssc;  // the small-sample conventions of the clustered errors
};
POLES_JSON(ImpactEvent, estimator, outcome, terms, uniform_critical_value, pretrend, n, clusters,
           secrecy, data, source, cohorts, att, control_cohort, dropped_always_treated, reading, by,
           ssc)

// --- match: matching (and the conditional DiD on the store) -------------------------------------

// A row of the balance table; a mean is null when its group has fewer than min_firms firms or
// one firm holds more than the rule's share of it.
struct ImpactBalanceRow {
  std::string name;
  bool binary = false;
  std::optional<double> mean_treated, mean_control, smd, variance_ratio;
  std::optional<double> matched_mean_treated, matched_mean_control, matched_smd,
      matched_variance_ratio;
};
POLES_JSON(ImpactBalanceRow, name, binary, mean_treated, mean_control, smd, variance_ratio,
           matched_mean_treated, matched_mean_control, matched_smd, matched_variance_ratio)

// The ATT in the matched sample (null unless min_firms treated and controls are matched).
struct ImpactMatchAtt {
  std::optional<double> estimate, se, ci_low, ci_high;
  std::string se_type;
};
POLES_JSON(ImpactMatchAtt, estimate, se, ci_low, ci_high, se_type)

// The store's cohort design: the change of `outcome` from cohort - 1 to cohort + horizon.
struct ImpactMatchDesign {
  int cohort = 0, horizon = 0;
  std::string outcome, description;
};
POLES_JSON(ImpactMatchDesign, cohort, horizon, outcome, description)

struct ImpactMatch {
  std::string estimator = "match";
  std::string method, treat;
  std::vector<std::string> covariates;
  int treated = 0, controls = 0, treated_matched = 0, controls_matched = 0;
  std::optional<double> caliper_width;
  std::vector<ImpactBalanceRow> balance;
  tj::Omittable<std::string> outcome;  // with an outcome, the ATT in the matched sample
  tj::Omittable<ImpactMatchAtt> att;
  ImpactRows data;
  tj::Omittable<ImpactMatchDesign> design;
  tj::Omittable<ImpactSource> source;
  tj::Omittable<ImpactReading> reading;  // of the ATT
  tj::Omittable<ImpactBy> by;
};
POLES_JSON(ImpactMatch, estimator, method, treat, covariates, treated, controls, treated_matched,
           controls_matched, caliper_width, balance, outcome, att, data, design, source, reading,
           by)

// --- the result
// -----------------------------------------------------------------------------------

// An estimation's result: exactly one of the four is set, by the estimator. Its JSON is that
// estimator's object (its "estimator" field tells which), its schema one of the four.
struct ImpactEstimate {
  std::optional<ImpactDid> did;
  std::optional<ImpactOls> ols;
  std::optional<ImpactEvent> event;
  std::optional<ImpactMatch> match;

  std::string_view estimator() const;  // "did", "ols", "ppml", "event", "sunab" or "match"
  const std::string& outcome() const;  // "" for a matching without outcome
};
tj::Json poles_to_json(const ImpactEstimate& r);
tj::Json poles_json_schema(const ImpactEstimate*, tj::Schemas& s);

// Runs the estimation of `args` (parsed with impact_params()) on any frame. The columns have no
// default here: did and event need outcome, unit, time and group; ols outcome and x; match treat
// and covariates (outcome optional). The method defaults to dr (did) or nearest (match); vcov to
// cluster when cluster is given, else iid.
Result<ImpactEstimate> impact_estimate(const impact::Frame& data, const Args& args,
                                       const ImpactProgress* progress = nullptr);
// The same on the store's firm panel (impact::firm_panel), read by the design of treatment,
// sample and exposure (impact::design_panel), the columns defaulting to the panel's:
// outcome log(rd_spending), unit firm, time year, group the treatment's first year; ols: x
// treated_post with firm and year effects, clustered by firm; match: the cohort design
// (impact::cohort_cross_section): firms joining in `cohort` against never-treated firms, on
// their values the year before, the outcome being its change up to `horizon` years after.
Result<ImpactEstimate> impact_from_store(const snapshot::Snapshot& s, const Args& args,
                                         const ImpactProgress* progress = nullptr);
// The tables the store's estimation needs.
const std::vector<std::string_view>& impact_tables();

// The parameters of an estimation (shared by the CLI, the API's jobs and the report).
const ParamSpecs& impact_params();

}  // namespace poles::app
