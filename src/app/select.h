// Calls and selection, and innovation risk, as the CLI and the API serve them: parameters checked
// against the specs below (the same names on both), the engines of src/select and src/risk run on
// a snapshot, and typed results. Organisation, reviewer and proposal ids and names are resolved
// here; the figures come from the engines.
//
// Parameters (see the specs for bounds and defaults): k, max_load, candidates (assignment); years
// (conflict window); bootstrap, seed, disagreement_sd (scores); budget, min_share,
// cap_per_cluster, min_sme_share (portfolio; absent: the call's rules), max_theme_share,
// min_score; draws, seed, portfolio = optimised|sprinkled|decided (risk simulation); replace and
// date (recordings, app::recording_params).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/params.h"
#include "core/status.h"
#include "core/typed_json.h"
#include "snapshot/snapshot.h"
#include "store/store.h"

namespace poles::app {

// --- the calls ---------------------------------------------------------------------------------

struct SelectCriterion {
  std::string name;
  double weight = 0;  // the call's weights sum to 1
};
POLES_JSON(SelectCriterion, name, weight)

// A call's rules, with the defaults the engines apply where the store leaves them empty.
struct SelectCallRules {
  double budget = 0;             // euros
  double min_funding_share = 0;  // 0: no minimum
  double cap_per_cluster = 0;    // euros; 0: no cap
  double min_sme_share = 0;      // 0: no minimum
  int reviewers_per_proposal = 0;
  int max_per_reviewer = 0;
  std::vector<SelectCriterion> criteria;
};
POLES_JSON(SelectCallRules, budget, min_funding_share, cap_per_cluster, min_sme_share,
           reviewers_per_proposal, max_per_reviewer, criteria)

struct SelectCall {
  std::string id;
  std::string title;
  std::string programme;
  int year = 0;  // of the close date, else of the open date; 0: unknown (or unreadable rules)
  int64_t proposals = 0;
  int64_t assignments = 0;  // assignment rows of its proposals
  int64_t reviews = 0;      // review rows (one per reviewer and criterion)
  int64_t decisions = 0;
  tj::Omittable<SelectCallRules> rules;  // absent when its criteria cannot be read
};
POLES_JSON(SelectCall, id, title, programme, year, proposals, assignments, reviews, decisions,
           rules)

struct SelectCalls {
  std::vector<SelectCall> items;  // in call id order
};
POLES_JSON(SelectCalls, items)

// Every call with its rules and counts of proposals, recorded assignments, reviews and decisions.
SelectCalls select_calls(const snapshot::Snapshot& s);

// --- conflicts of interest ---------------------------------------------------------------------

struct SelectConflict {
  std::string proposal;
  std::string reviewer;
  std::string reviewer_name;
  std::string reason;        // same_organisation, same_group or co_participation
  std::string organisation;  // the applicant-side organisation concerned
  std::string organisation_name;
  tj::Omittable<std::string> project;    // co_participation: the shared project (else absent)
  tj::Omittable<int> project_last_year;  // co_participation: its last active year (else absent)
};
POLES_JSON(SelectConflict, proposal, reviewer, reviewer_name, reason, organisation,
           organisation_name, project, project_last_year)

struct SelectConflicts {
  std::string call;
  int window_years = 0;
  int64_t count = 0;
  std::vector<SelectConflict> items;  // by proposal, then reviewer
};
POLES_JSON(SelectConflicts, call, window_years, count, items)

// Parameters: conflicts_params().
Result<SelectConflicts> select_conflicts(const snapshot::Snapshot& s, const std::string& call,
                                         const Args& a);

// --- reviewer assignment -----------------------------------------------------------------------

struct AssignedReviewer {
  std::string id;
  std::string name;
  std::string organisation;  // "" when the reviewer names none
  double affinity = 0;       // expertise match, in [0, 1]
};
POLES_JSON(AssignedReviewer, id, name, organisation, affinity)

struct AssignmentProposal {
  std::string id;
  std::string title;
  std::string applicant;
  std::string applicant_name;
  std::string cluster;  // "" when no cluster labels it
  double requested_aid = 0;
  bool sme_led = false;
  std::vector<AssignedReviewer> reviewers;
};
POLES_JSON(AssignmentProposal, id, title, applicant, applicant_name, cluster, requested_aid,
           sme_led, reviewers)

struct ReviewerWorkload {
  std::string id;
  std::string name;
  std::string organisation;
  int assigned = 0;
  int capacity = 0;  // the maximum per reviewer, or the reviewer's own when lower
};
POLES_JSON(ReviewerWorkload, id, name, organisation, assigned, capacity)

struct AssignmentShortage {
  std::string proposal;
  int assigned = 0;    // reviewers it got (fewer than needed)
  int eligible = 0;    // reviewers without conflict and with some capacity
  int conflicted = 0;  // reviewers excluded by a conflict of interest
  std::string why;
};
POLES_JSON(AssignmentShortage, proposal, assigned, eligible, conflicted, why)

struct SelectAssignment {
  std::string call;
  int reviewers_per_proposal = 0;
  int max_per_reviewer = 0;
  bool complete = false;  // every proposal has its reviewers
  bool optimal = false;
  double total_affinity = 0;
  double mean_affinity = 0;
  int64_t conflicts_excluded = 0;
  int64_t variables = 0;  // of the last integer program solved
  std::vector<AssignmentShortage> shortages;
  std::vector<AssignmentProposal> proposals;  // every proposal of the call
  std::vector<ReviewerWorkload> workload;     // every reviewer
};
POLES_JSON(SelectAssignment, call, reviewers_per_proposal, max_per_reviewer, complete, optimal,
           total_affinity, mean_affinity, conflicts_excluded, variables, shortages, proposals,
           workload)

// Parameters: assignment_params() (k and max_load absent: the call's rules).
Result<SelectAssignment> select_assignment(const snapshot::Snapshot& s, const std::string& call,
                                           const Args& a);

// --- scores ------------------------------------------------------------------------------------

struct RankInterval {
  double p05 = 0;
  double median = 0;
  double p95 = 0;
};
POLES_JSON(RankInterval, p05, median, p95)

struct ScoredProposal {
  std::string id;
  std::string title;
  std::string applicant;
  std::string applicant_name;
  std::string cluster;
  double requested_aid = 0;
  bool sme_led = false;
  int rank = 0;               // 1: best adjusted score
  double adjusted_score = 0;  // reviewer severity removed
  double raw_mean = 0;
  int reviewers = 0;
  double sd = 0;
  bool disagreement = false;
  RankInterval rank_interval;  // from the bootstrap (the rank itself without one)
};
POLES_JSON(ScoredProposal, id, title, applicant, applicant_name, cluster, requested_aid, sme_led,
           rank, adjusted_score, raw_mean, reviewers, sd, disagreement, rank_interval)

struct ReviewerSeverity {
  std::string id;
  std::string name;
  std::string organisation;
  int proposals = 0;
  double effect = 0;  // > 0: scores higher than the other reviewers of the same proposals
};
POLES_JSON(ReviewerSeverity, id, name, organisation, proposals, effect)

struct SelectScores {
  std::string call;
  double grand_mean = 0;
  int iterations = 0;
  int components = 0;
  int bootstrap = 0;
  uint64_t seed = 0;
  double disagreement_sd = 0;
  std::vector<ScoredProposal> ranking;
  std::vector<ReviewerSeverity> reviewers;
  std::vector<std::string> unreviewed;  // proposals without any review
};
POLES_JSON(SelectScores, call, grand_mean, iterations, components, bootstrap, seed, disagreement_sd,
           ranking, reviewers, unreviewed)

// Parameters: scores_params().
Result<SelectScores> select_scores(const snapshot::Snapshot& s, const std::string& call,
                                   const Args& a);

// --- portfolio ---------------------------------------------------------------------------------

struct SelectPortfolioRules {
  double budget = 0;
  double min_share = 0;
  double cap_per_cluster = 0;
  double min_sme_share = 0;
  double max_theme_share = 0;
};
POLES_JSON(SelectPortfolioRules, budget, min_share, cap_per_cluster, min_sme_share, max_theme_share)

// A point [x, y] of a chart, written as a two-number array.
struct ChartPoint {
  double x = 0;
  double y = 0;
};
tj::Json poles_to_json(const ChartPoint& p);
tj::Json poles_json_schema(const ChartPoint*, tj::Schemas&);

// An allocation of the budget, described.
struct AllocationSummary {
  int funded = 0;
  double total_aid = 0;
  double mean_aid = 0;    // of the funded proposals (0 when none)
  double median_aid = 0;  // of the funded proposals (0 when none)
  double mean_funded_share = 0;
  double gini = 0;
  double hhi = 0;
  double sme_share = 0;
  double value = 0;
  double expected_products = 0;
  std::vector<ChartPoint> lorenz;  // [share of candidates, share of aid], from [0, 0]
};
POLES_JSON(AllocationSummary, funded, total_aid, mean_aid, median_aid, mean_funded_share, gini, hhi,
           sme_share, value, expected_products, lorenz)

struct PortfolioItem {
  std::string id;
  std::string title;
  std::string applicant;
  std::string applicant_name;
  std::string cluster;
  double requested_aid = 0;
  bool sme_led = false;
  double value = 0;
  std::string theme;  // "" when none
  double success_probability = 0;
  double expected_products = 0;
  double aid_optimised = 0;
  double aid_sprinkled = 0;
};
POLES_JSON(PortfolioItem, id, title, applicant, applicant_name, cluster, requested_aid, sme_led,
           value, theme, success_probability, expected_products, aid_optimised, aid_sprinkled)

struct SelectPortfolio {
  std::string call;
  SelectPortfolioRules rules;  // in force: the parameters, else the call's
  int64_t candidates = 0;
  bool success_model = false;  // success probabilities from the fitted model (else 1)
  // The model's effect of the funded share on the logit of success, which judges both allocations
  // (docs/select.md); absent: the stated rule min(1, share / minimum share) stands in.
  std::optional<double> share_effect;
  bool optimal = false;
  AllocationSummary optimised;
  AllocationSummary sprinkled;
  std::vector<PortfolioItem> items;
};
POLES_JSON(SelectPortfolio, call, rules, candidates, success_model, share_effect, optimal,
           optimised, sprinkled, items)

// The optimised portfolio beside the proportional sprinkling of the same budget. Parameters:
// portfolio_params() (budget, min_share, cap_per_cluster, min_sme_share absent: the call's).
Result<SelectPortfolio> select_portfolio(const snapshot::Snapshot& s, const std::string& call,
                                         const Args& a);

// --- risk --------------------------------------------------------------------------------------

struct RiskCoefficient {
  std::string name;
  double estimate = 0;
  double se = 0;
  double z = 0;
};
POLES_JSON(RiskCoefficient, name, estimate, se, z)

struct RiskModel {
  int64_t projects = 0;
  int64_t successes = 0;
  double base_rate = 0;
  std::string reference_programme;
  double log_likelihood = 0;
  double null_log_likelihood = 0;
  double mcfadden_r2 = 0;
  int iterations = 0;
  std::vector<RiskCoefficient> coefficients;
  std::string success;  // what success is
};
POLES_JSON(RiskModel, projects, successes, base_rate, reference_programme, log_likelihood,
           null_log_likelihood, mcfadden_r2, iterations, coefficients, success)

// The success model fitted on the store's ended projects.
Result<RiskModel> risk_model(const snapshot::Snapshot& s);

struct RiskQuantiles {
  double p05 = 0;
  double p50 = 0;
  double p95 = 0;
};
POLES_JSON(RiskQuantiles, p05, p50, p95)

// A bar of the simulated distribution: [products on the market, draws], written as an array.
struct HistogramBar {
  double products = 0;
  int64_t draws = 0;
};
tj::Json poles_to_json(const HistogramBar& b);
tj::Json poles_json_schema(const HistogramBar*, tj::Schemas&);

struct FragileProposal {
  std::string id;
  std::string title;
  std::string applicant;
  std::string applicant_name;
  std::string cluster;
  double requested_aid = 0;
  bool sme_led = false;
  double success_probability = 0;
  double failure_in_tail = 0;  // share of the worst draws in which it failed
  double lift = 0;             // failure_in_tail − (1 − success_probability)
};
POLES_JSON(FragileProposal, id, title, applicant, applicant_name, cluster, requested_aid, sme_led,
           success_probability, failure_in_tail, lift)

struct RiskSimulation {
  std::string call;
  std::string portfolio;  // optimised, sprinkled or decided
  int64_t projects = 0;
  int draws = 0;
  uint64_t seed = 0;
  double expected_products = 0;
  double mean = 0;
  double sd = 0;
  RiskQuantiles quantiles;
  double value_at_risk_5 = 0;
  double expected_shortfall_5 = 0;
  double probability_zero = 0;
  std::vector<HistogramBar> histogram;        // for each value drawn, ascending
  std::vector<FragileProposal> most_fragile;  // the ten most fragile, most fragile first
};
POLES_JSON(RiskSimulation, call, portfolio, projects, draws, seed, expected_products, mean, sd,
           quantiles, value_at_risk_5, expected_shortfall_5, probability_zero, histogram,
           most_fragile)

// Monte Carlo of a call's portfolio (optimised by default; `decided`: the recorded decisions).
// Parameters: risk_simulation_params().
Result<RiskSimulation> risk_simulation(const snapshot::Snapshot& s, const std::string& call,
                                       const Args& a);

// --- recording the selection -------------------------------------------------------------------

struct UnassignedReview {
  std::string proposal;
  std::string reviewer;
};
POLES_JSON(UnassignedReview, proposal, reviewer)

struct RecordedShortage {
  std::string proposal;
  int assigned = 0;
  std::string why;
};
POLES_JSON(RecordedShortage, proposal, assigned, why)

struct RecordedAssignment {
  std::string call;
  int64_t replaced = 0;  // rows the call had before
  int64_t written = 0;
  std::string date;  // recorded on every row
  bool complete = false;
  bool optimal = false;
  double total_affinity = 0;
  std::vector<RecordedShortage> shortages;
  std::vector<UnassignedReview> reviewed_but_unassigned;  // reviews kept, by proposal, reviewer
};
POLES_JSON(RecordedAssignment, call, replaced, written, date, complete, optimal, total_affinity,
           shortages, reviewed_but_unassigned)

struct RecordedDecisions {
  std::string call;
  int64_t replaced = 0;
  int64_t written = 0;
  std::string date;
  int funded = 0;
  int rejected = 0;
  double total_aid = 0;
  double budget = 0;  // in force
  bool optimal = false;
};
POLES_JSON(RecordedDecisions, call, replaced, written, date, funded, rejected, total_aid, budget,
           optimal)

// Records decisions of the selection in the store, in one transaction with one audit entry
// (action `assign` or `decide`, key the call, before/after the rows replaced), or changes nothing.
// Both recompute from the snapshot `s` of `store` with the same parameters as the views above,
// plus replace and date (app::recording_params): a call that already has rows of that kind is
// refused (Conflict) unless replace is true; date (YYYY-MM-DD, default today) is recorded on every
// row, and a bad one is a field error of parameter 'date'.
//
// save_assignment: the call's assignment rows become the optimised assignment (affinity, date).
// Reviews already recorded are kept; the answer lists reviewers who had reviewed a proposal no
// longer assigned to them. A partial assignment is saved, its shortages listed.
// Parameters: recording_params(assignment_params()).
Result<RecordedAssignment> save_assignment(store::Store& store, const User& user,
                                           const snapshot::Snapshot& s, const std::string& call,
                                           const Args& a);
// record_decisions: every proposal of the call gets a decision from the optimised portfolio:
// `funded` with its aid, or `rejected`. Parameters: recording_params(portfolio_params()).
Result<RecordedDecisions> record_decisions(store::Store& store, const User& user,
                                           const snapshot::Snapshot& s, const std::string& call,
                                           const Args& a);

// --- a reviewer's own page ---------------------------------------------------------------------

struct ReviewerProposal {
  std::string id;
  std::string title;
  std::string applicant;
  std::string applicant_name;
  std::string cluster;
  double requested_aid = 0;
  bool sme_led = false;
  std::string call;
  std::optional<std::string> assigned_on;   // null: reviewed without an assignment, or undated
  std::map<std::string, double> my_scores;  // criterion -> the reviewer's own score
};
POLES_JSON(ReviewerProposal, id, title, applicant, applicant_name, cluster, requested_aid, sme_led,
           call, assigned_on, my_scores)

struct ReviewerProposals {
  std::string reviewer;
  std::string name;
  std::vector<ReviewerProposal> items;
};
POLES_JSON(ReviewerProposals, reviewer, name, items)

// The conflict of interest between a proposal and a reviewer that the detector finds (its kind,
// the organisation and project concerned), or nothing. Unknown ids: nothing (the references
// check of a write reports them). Checked when the State assigns, where it names the conflict.
Result<std::optional<std::string>> assignment_conflict(const snapshot::Snapshot& s,
                                                       const std::string& proposal,
                                                       const std::string& reviewer);
// The conflicts that stand after an assignment, re-checked at every read and write of the
// reviewer (docs/access.md): the applicant is the reviewer's organisation or of its group. Only
// State-written facts count (the proposal's applicant, the reviewer's organisation, SIRENs and
// group SIRENs): a project's participations are written by the cluster that owns the project,
// which could otherwise invent a partnership to take a proposal away from a reviewer. Cheap (no
// detector is built): a reviewer's every request asks it.
std::optional<std::string> standing_conflict(const snapshot::Snapshot& s,
                                             const std::string& proposal,
                                             const std::string& reviewer);
// The proposals assigned to reviewer `reviewer_id` (assignment rows, and proposals they reviewed
// before assignments were recorded) with their own scores per criterion; nothing about other
// reviewers.
Result<ReviewerProposals> reviewer_assigned(const snapshot::Snapshot& s,
                                            const std::string& reviewer_id);

// The parameters of the selection and risk views (shared by the API and the CLI).
const ParamSpecs& conflicts_params();
const ParamSpecs& assignment_params();
const ParamSpecs& scores_params();
const ParamSpecs& portfolio_params();
const ParamSpecs& risk_simulation_params();

}  // namespace poles::app
