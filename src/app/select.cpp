#include "app/select.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "app/access.h"
#include "core/date.h"
#include "core/validate.h"
#include "risk/model.h"
#include "risk/portfolio.h"
#include "risk/simulate.h"
#include "select/assign.h"
#include "select/call.h"
#include "select/conflicts.h"
#include "select/portfolio.h"
#include "select/scores.h"

namespace poles::app {

using Json = nlohmann::ordered_json;  // the audit entries' before and after (free-form rows)
using snapshot::Snapshot;
using snapshot::Table;

namespace {

std::string key(const Table& t, int32_t row) {
  return row < 0 ? std::string() : std::string(t.key(static_cast<size_t>(row)));
}

// Ids and names of the rows the views show, their columns resolved once.
class Labels {
 public:
  explicit Labels(const Snapshot& s)
      : proposal_columns_(s),
        proposals_(s.table("proposal")),
        organisations_(s.table("organisation")),
        reviewers_(s.table("reviewer")),
        clusters_(s.table("cluster")),
        calls_(s.table("call")),
        projects_(s.table("project")),
        title_(proposals_.column("title")),
        applicant_(proposals_.column("applicant_id")),
        cluster_(proposals_.column("cluster_id")),
        requested_aid_(proposals_.column("requested_aid")),
        call_(proposals_.column("call_id")),
        organisation_name_(organisations_.column("name")),
        reviewer_name_(reviewers_.column("name")),
        reviewer_organisation_(reviewers_.column("organisation_id")) {}

  std::string proposal_key(int32_t p) const { return key(proposals_, p); }
  std::string reviewer_key(int32_t r) const { return key(reviewers_, r); }
  std::string organisation_key(int32_t o) const { return key(organisations_, o); }
  std::string project_key(int32_t p) const { return key(projects_, p); }
  // The call of proposal row `p`.
  std::string call_of(int32_t p) const { return key(calls_, call_.codes[static_cast<size_t>(p)]); }
  std::string reviewer_name(int32_t r) const { return text(reviewer_name_, r); }
  std::string organisation_name(int32_t o) const { return text(organisation_name_, o); }

  // A T with the proposal fields every view shows: id, title, applicant, applicant_name,
  // cluster, requested_aid, sme_led.
  template <class T>
  T proposal(int32_t p) const {
    const auto r = static_cast<size_t>(p);
    const int32_t applicant = applicant_.codes[r];
    T out{};
    out.id = proposal_key(p);
    out.title = std::string(title_.text(r));
    out.applicant = organisation_key(applicant);
    out.applicant_name = organisation_name(applicant);
    out.cluster = key(clusters_, cluster_.codes[r]);
    out.requested_aid = requested_aid_.reals[r];
    out.sme_led = proposal_columns_.sme_led(p);
    return out;
  }
  // A T with the reviewer fields: id, name, organisation.
  template <class T>
  T reviewer(int32_t r) const {
    T out{};
    out.id = reviewer_key(r);
    out.name = reviewer_name(r);
    out.organisation = organisation_key(reviewer_organisation_.codes[static_cast<size_t>(r)]);
    return out;
  }

 private:
  static std::string text(const snapshot::Column& c, int32_t row) {
    return row < 0 ? std::string() : std::string(c.text(static_cast<size_t>(row)));
  }
  const select::ProposalColumns proposal_columns_;
  const Table &proposals_, &organisations_, &reviewers_, &clusters_, &calls_, &projects_;
  const snapshot::Column &title_, &applicant_, &cluster_, &requested_aid_, &call_;
  const snapshot::Column &organisation_name_, &reviewer_name_, &reviewer_organisation_;
};

SelectCallRules rules_of(const select::CallData& c) {
  SelectCallRules out{.budget = c.budget,
                      .min_funding_share = c.min_funding_share,
                      .cap_per_cluster = c.cap_per_cluster,
                      .min_sme_share = c.min_sme_share,
                      .reviewers_per_proposal = c.reviewers_per_proposal,
                      .max_per_reviewer = c.max_per_reviewer,
                      .criteria = {}};
  for (const auto& k : c.criteria) out.criteria.push_back({k.name, k.weight});
  return out;
}

// --- options from the parameters (bounds and defaults: the specs at the end of this file) ------

select::AssignOptions assign_options(const Args& a) {
  select::AssignOptions o;
  // k and max_load absent: 0, which the engine reads as the call's rule.
  o.reviewers_per_proposal = a.opt_integer("k").value_or(0);
  o.max_per_reviewer = a.opt_integer("max_load").value_or(0);
  o.candidates = a.integer("candidates");
  o.conflicts.years = a.integer("years");
  return o;
}

select::ScoreOptions score_options(const Args& a) {
  select::ScoreOptions o;
  o.bootstrap = a.integer("bootstrap");
  o.seed = static_cast<uint64_t>(a.integer("seed"));
  o.disagreement_sd = a.number("disagreement_sd");
  return o;
}

struct PortfolioRun {
  select::CallData call;
  std::vector<select::Candidate> candidates;
  std::vector<std::string> themes;
  select::PortfolioRules rules;
  select::Allocation optimised, sprinkled;
  bool risk = false;  // success probabilities from the fitted model
};

Result<PortfolioRun> run_portfolio(const Snapshot& s, const std::string& id, const Args& a) {
  PortfolioRun run;
  POLES_ASSIGN_OR_RETURN(run.call, select::load_call(s, id));
  select::ScoreOptions so;  // the adjusted scores, without their rank intervals
  so.bootstrap = 0;
  POLES_ASSIGN_OR_RETURN(auto scores, select::score_call(s, run.call, so));
  select::CandidateOptions co;
  co.min_score = a.number("min_score");
  if (auto model = risk::fit_success_model(s); model.has_value()) {
    co.success = risk::proposal_success(s, *model);
    co.share_effect = model->share_effect();
    run.risk = true;
  }
  run.candidates = select::call_candidates(s, scores, co, &run.themes);
  // The rules in force: the parameters given, else the call's.
  run.rules = select::call_rules(run.call);
  run.rules.budget = a.opt_number("budget").value_or(run.rules.budget);
  run.rules.min_share = a.opt_number("min_share").value_or(run.rules.min_share);
  run.rules.cap_per_cluster = a.opt_number("cap_per_cluster").value_or(run.rules.cap_per_cluster);
  run.rules.min_sme_share = a.opt_number("min_sme_share").value_or(run.rules.min_sme_share);
  run.rules.max_theme_share = a.number("max_theme_share");
  auto opt = select::optimise_portfolio(run.candidates, run.rules);
  if (!opt.has_value())
    return opt.error().with_context(
        fmt::format("call '{}': the funding rules cannot all be met", id));
  run.optimised = std::move(*opt);
  run.sprinkled = select::sprinkle(run.candidates, run.rules);
  return run;
}

AllocationSummary summary_of(const select::AllocationStats& st) {
  AllocationSummary out{.funded = st.funded,
                        .total_aid = st.total,
                        .mean_aid = st.mean,
                        .median_aid = st.median,
                        .mean_funded_share = st.mean_share,
                        .gini = st.gini,
                        .hhi = st.hhi,
                        .sme_share = st.sme_share,
                        .value = st.value,
                        .expected_products = st.expected_products,
                        .lorenz = {}};
  out.lorenz.reserve(st.lorenz.size());
  for (const auto& [x, y] : st.lorenz) out.lorenz.push_back({x, y});
  return out;
}

// --- recording the selection in the store ---------------------------------------------------

// The rows of `entity` (whose first key field is proposal_id) that belong to the call's proposals.
Result<std::vector<Row>> rows_of_call(store::Transaction& tx, const schema::Entity& e,
                                      const std::string& call) {
  std::string columns;
  for (const auto& f : e.fields)
    columns += fmt::format("{}x.\"{}\"", columns.empty() ? "" : ", ", f.name);
  return tx.query(fmt::format("SELECT {} FROM \"{}\" x JOIN proposal p ON p.id = x.proposal_id "
                              "WHERE p.call_id = ? ORDER BY 1, 2",
                              columns, e.name),
                  {call});
}

// The date recorded: parameter 'date' (YYYY-MM-DD), else today.
Result<std::string> record_date(const Args& a) {
  const std::string& given = a.text("date");
  if (given.empty()) return today_utc().to_string();
  const auto d = Date::parse(given);
  if (!d) {
    return Status::bad_input({FieldError{"query", 0, 0, "date", validate::truncate_utf8(given, 60),
                                         "must be a date YYYY-MM-DD"}});
  }
  return d->to_string();
}

struct Replaced {
  int64_t replaced = 0;  // rows the call had
  int64_t written = 0;
};

// Replaces the call's rows of `e` by `rows` in one transaction with one audit entry.
Result<Replaced> replace_call_rows(store::Store& st, const User& u, const schema::Entity& e,
                                   const std::string& call, const std::vector<Row>& rows,
                                   const std::string& action, bool replace,
                                   const std::function<Json(const Row&)>& describe) {
  if (!may(u.role, Action::kWrite, e)) {
    return Status::permission_denied(
        fmt::format("{} '{}' may not write {}", role_name(u.role), u.name, e.name));
  }
  POLES_ASSIGN_OR_RETURN(auto tx, st.begin());
  POLES_ASSIGN_OR_RETURN(auto before, rows_of_call(*tx, e, call));
  if (!before.empty() && !replace) {
    return Status::conflict(
        fmt::format("call '{}' already has {} {} rows: replace them explicitly (replace=true; on "
                    "the command line --replace)",
                    call, before.size(), e.name));
  }
  const auto keys = schema::key_indices(e);
  for (const auto& row : before) {
    Row key;
    for (int k : keys) key.push_back(row[static_cast<size_t>(k)]);
    POLES_RETURN_IF_ERROR(tx->remove(e, key).status());
  }
  Json was = Json::array(), now = Json::array();
  for (const auto& row : before) was.push_back(describe(row));
  for (const auto& row : rows) {
    POLES_RETURN_IF_ERROR(tx->upsert(e, row).status());
    now.push_back(describe(row));
  }
  store::AuditEntry audit;
  audit.at = utc_timestamp();
  audit.actor = u.name;
  audit.action = action;
  audit.entity = std::string(e.name);
  audit.key = call;
  audit.before = Json{{"rows", before.size()}, {"items", was}}.dump();
  audit.after = Json{{"rows", rows.size()}, {"items", now}}.dump();
  POLES_RETURN_IF_ERROR(tx->append_audit(audit));
  POLES_RETURN_IF_ERROR(tx->commit());
  return Replaced{static_cast<int64_t>(before.size()), static_cast<int64_t>(rows.size())};
}

}  // namespace

namespace {

// A fixed pair [first, second] as JSON Schema 2020-12 writes it.
tj::Json pair_schema(const char* first, const char* second) {
  return tj::Json{
      {"type", "array"},
      {"prefixItems", tj::Json::array({tj::Json{{"type", first}}, tj::Json{{"type", second}}})},
      {"items", false},
      {"minItems", 2}};
}

}  // namespace

tj::Json poles_to_json(const ChartPoint& p) { return tj::to_json(std::vector<double>{p.x, p.y}); }
tj::Json poles_json_schema(const ChartPoint*, tj::Schemas&) {
  return pair_schema("number", "number");
}

tj::Json poles_to_json(const HistogramBar& b) {
  tj::Json out = tj::Json::array({tj::to_json(b.products)});
  out.push_back(b.draws);
  return out;
}
tj::Json poles_json_schema(const HistogramBar*, tj::Schemas&) {
  return pair_schema("number", "integer");
}

SelectCalls select_calls(const Snapshot& s) {
  const auto& calls = s.table("call");
  const auto& title = calls.column("title");
  const auto& programme = calls.column("programme");
  const auto counts = select::call_counts(s);
  SelectCalls out;
  for (size_t c = 0; c < calls.rows; ++c) {
    SelectCall item{.id = std::string(calls.key(c)),
                    .title = std::string(title.text(c)),
                    .programme = std::string(programme.text(c)),
                    .year = 0,
                    .proposals = counts[c].proposals,
                    .assignments = counts[c].assignments,
                    .reviews = counts[c].reviews,
                    .decisions = counts[c].decisions,
                    .rules = {}};
    if (auto data = select::load_call(s, calls.key(c)); data.has_value()) {
      item.year = data->year;
      item.rules = rules_of(*data);
    }
    out.items.push_back(std::move(item));
  }
  return out;
}

Result<SelectConflicts> select_conflicts(const Snapshot& s, const std::string& id, const Args& a) {
  POLES_ASSIGN_OR_RETURN(auto call, select::load_call(s, id));
  const select::ConflictOptions o{.years = a.integer("years")};
  const auto conflicts = select::find_conflicts(s, call, o);
  const Labels labels(s);
  SelectConflicts out{.call = id,
                      .window_years = o.years,
                      .count = static_cast<int64_t>(conflicts.size()),
                      .items = {}};
  for (const auto& c : conflicts) {
    SelectConflict item{.proposal = labels.proposal_key(c.proposal),
                        .reviewer = labels.reviewer_key(c.reviewer),
                        .reviewer_name = labels.reviewer_name(c.reviewer),
                        .reason = std::string(select::to_string(c.kind)),
                        .organisation = labels.organisation_key(c.organisation),
                        .organisation_name = labels.organisation_name(c.organisation),
                        .project = {},
                        .project_last_year = {}};
    if (c.project >= 0) {
      item.project = labels.project_key(c.project);
      item.project_last_year = c.year;
    }
    out.items.push_back(std::move(item));
  }
  return out;
}

Result<SelectAssignment> select_assignment(const Snapshot& s, const std::string& id,
                                           const Args& a) {
  POLES_ASSIGN_OR_RETURN(auto call, select::load_call(s, id));
  POLES_ASSIGN_OR_RETURN(auto asg, select::assign_reviewers(s, call, assign_options(a)));
  const Labels labels(s);
  SelectAssignment out{.call = id,
                       .reviewers_per_proposal = asg.k,
                       .max_per_reviewer = asg.max_load,
                       .complete = asg.shortages.empty(),
                       .optimal = asg.optimal,
                       .total_affinity = asg.total_affinity,
                       .mean_affinity = asg.mean_affinity,
                       .conflicts_excluded = static_cast<int64_t>(asg.conflicts.size()),
                       .variables = static_cast<int64_t>(asg.variables),
                       .shortages = {},
                       .proposals = {},
                       .workload = {}};
  for (const auto& sh : asg.shortages) {
    out.shortages.push_back(
        {labels.proposal_key(sh.proposal), sh.assigned, sh.eligible, sh.conflicted, sh.why});
  }
  std::map<int32_t, std::vector<AssignedReviewer>> by_proposal;
  for (const auto& pair : asg.pairs) {
    auto r = labels.reviewer<AssignedReviewer>(pair.reviewer);
    r.affinity = pair.affinity;
    by_proposal[pair.proposal].push_back(std::move(r));
  }
  for (int32_t prop : call.proposals) {
    auto p = labels.proposal<AssignmentProposal>(prop);
    if (auto it = by_proposal.find(prop); it != by_proposal.end()) p.reviewers = it->second;
    out.proposals.push_back(std::move(p));
  }
  for (size_t r = 0; r < asg.load.size(); ++r) {
    auto w = labels.reviewer<ReviewerWorkload>(static_cast<int32_t>(r));
    w.assigned = asg.load[r];
    w.capacity = asg.capacity[r];
    out.workload.push_back(std::move(w));
  }
  return out;
}

Result<SelectScores> select_scores(const Snapshot& s, const std::string& id, const Args& a) {
  POLES_ASSIGN_OR_RETURN(auto call, select::load_call(s, id));
  const auto o = score_options(a);
  POLES_ASSIGN_OR_RETURN(auto sc, select::score_call(s, call, o));
  const Labels labels(s);
  SelectScores out{.call = id,
                   .grand_mean = sc.grand_mean,
                   .iterations = sc.iterations,
                   .components = sc.components,
                   .bootstrap = o.bootstrap,
                   .seed = sc.seed,
                   .disagreement_sd = o.disagreement_sd,
                   .ranking = {},
                   .reviewers = {},
                   .unreviewed = {}};
  for (const auto& ps : sc.proposals) {
    auto p = labels.proposal<ScoredProposal>(ps.proposal);
    p.rank = ps.rank;
    p.adjusted_score = ps.adjusted;
    p.raw_mean = ps.raw_mean;
    p.reviewers = ps.reviewers;
    p.sd = ps.sd;
    p.disagreement = ps.disagreement;
    p.rank_interval = {ps.rank_p05, ps.rank_median, ps.rank_p95};
    out.ranking.push_back(std::move(p));
  }
  for (const auto& r : sc.reviewers) {
    auto rev = labels.reviewer<ReviewerSeverity>(r.reviewer);
    rev.proposals = r.proposals;
    rev.effect = r.effect;
    out.reviewers.push_back(std::move(rev));
  }
  for (int32_t u : sc.unreviewed) out.unreviewed.push_back(labels.proposal_key(u));
  return out;
}

Result<SelectPortfolio> select_portfolio(const Snapshot& s, const std::string& id, const Args& a) {
  POLES_ASSIGN_OR_RETURN(auto run, run_portfolio(s, id, a));
  const auto& r = run.rules;
  const Labels labels(s);
  SelectPortfolio out{
      .call = id,
      .rules = {r.budget, r.min_share, r.cap_per_cluster, r.min_sme_share, r.max_theme_share},
      .candidates = static_cast<int64_t>(run.candidates.size()),
      .success_model = run.risk,
      .share_effect = {},
      .optimal = run.optimised.optimal,
      .optimised = summary_of(select::describe(run.candidates, r, run.optimised)),
      .sprinkled = summary_of(select::describe(run.candidates, r, run.sprinkled)),
      .items = {}};
  if (!run.candidates.empty() && !std::isnan(run.candidates.front().share_effect))
    out.share_effect = run.candidates.front().share_effect;
  for (size_t i = 0; i < run.candidates.size(); ++i) {
    const auto& c = run.candidates[i];
    auto item = labels.proposal<PortfolioItem>(c.proposal);
    item.value = c.value;
    item.theme = c.theme >= 0 ? run.themes[static_cast<size_t>(c.theme)] : "";
    item.success_probability = c.success;
    item.expected_products = c.products;
    item.aid_optimised = run.optimised.aid[i];
    item.aid_sprinkled = run.sprinkled.aid[i];
    out.items.push_back(std::move(item));
  }
  return out;
}

Result<RiskModel> risk_model(const Snapshot& s) {
  POLES_ASSIGN_OR_RETURN(auto m, risk::fit_success_model(s));
  const auto& fit = m.logit;
  RiskModel out{.projects = static_cast<int64_t>(fit.n),
                .successes = static_cast<int64_t>(m.successes),
                .base_rate = m.base_rate,
                .reference_programme = m.reference_programme,
                .log_likelihood = fit.log_likelihood,
                .null_log_likelihood = fit.null_log_likelihood,
                .mcfadden_r2 = fit.mcfadden_r2(),
                .iterations = fit.iterations,
                .coefficients = {},
                .success = std::string(risk::kSuccessDefinition)};
  for (size_t j = 0; j < fit.coef.size(); ++j)
    out.coefficients.push_back({fit.names[j], fit.coef[j], fit.se[j], fit.z(j)});
  return out;
}

Result<RiskSimulation> risk_simulation(const Snapshot& s, const std::string& id, const Args& a) {
  risk::SimulationOptions o;
  o.draws = a.integer("draws");
  o.seed = static_cast<uint64_t>(a.integer("seed"));
  const std::string& which = a.text("portfolio");
  std::vector<risk::Item> items;
  if (which == "decided") {
    POLES_ASSIGN_OR_RETURN(auto model, risk::fit_success_model(s));
    POLES_ASSIGN_OR_RETURN(auto call, select::load_call(s, id));
    items = risk::decided_items(s, call, risk::proposal_success(s, model), model.share_effect());
  } else {
    // The portfolio's candidates carry the success model's probabilities (fitted once, there).
    POLES_ASSIGN_OR_RETURN(auto run, run_portfolio(s, id, a));
    if (!run.risk)
      return Status::invalid_argument(
          "the success model cannot be fitted on this store's ended projects");
    items = risk::allocation_items(run.candidates,
                                   which == "sprinkled" ? run.sprinkled : run.optimised, run.rules);
  }
  POLES_ASSIGN_OR_RETURN(auto sim, risk::simulate(items, o));
  RiskSimulation out{.call = id,
                     .portfolio = which,
                     .projects = static_cast<int64_t>(items.size()),
                     .draws = sim.draws,
                     .seed = sim.seed,
                     .expected_products = sim.expected,
                     .mean = sim.mean,
                     .sd = sim.sd,
                     .quantiles = {sim.p05, sim.p50, sim.p95},
                     .value_at_risk_5 = sim.value_at_risk,
                     .expected_shortfall_5 = sim.expected_shortfall,
                     .probability_zero = sim.probability_zero,
                     .histogram = {},
                     .most_fragile = {}};
  out.histogram.reserve(sim.histogram.size());
  for (const auto& [v, n] : sim.histogram) out.histogram.push_back({v, n});
  const Labels labels(s);
  for (size_t i = 0; i < std::min<size_t>(10, sim.fragile.size()); ++i) {
    const auto& f = sim.fragile[i];
    auto p = labels.proposal<FragileProposal>(f.id);
    p.success_probability = f.success;
    p.failure_in_tail = f.failure_in_tail;
    p.lift = f.lift;
    out.most_fragile.push_back(std::move(p));
  }
  return out;
}

Result<RecordedAssignment> save_assignment(store::Store& st, const User& u, const Snapshot& s,
                                           const std::string& id, const Args& a) {
  POLES_ASSIGN_OR_RETURN(const std::string date, record_date(a));
  POLES_ASSIGN_OR_RETURN(auto call, select::load_call(s, id));
  POLES_ASSIGN_OR_RETURN(auto asg, select::assign_reviewers(s, call, assign_options(a)));
  const Labels labels(s);
  std::vector<Row> rows;
  rows.reserve(asg.pairs.size());
  for (const auto& pair : asg.pairs) {
    rows.push_back(Row{labels.proposal_key(pair.proposal), labels.reviewer_key(pair.reviewer),
                       pair.affinity, date});
  }
  auto describe = [](const Row& r) {
    return Json(std::get<std::string>(r[0]) + "|" + std::get<std::string>(r[1]));
  };
  POLES_ASSIGN_OR_RETURN(const Replaced done,
                         replace_call_rows(st, u, *schema::find_entity("assignment"), id, rows,
                                           "assign", a.flag("replace"), describe));
  RecordedAssignment out{.call = id,
                         .replaced = done.replaced,
                         .written = done.written,
                         .date = date,
                         .complete = asg.shortages.empty(),
                         .optimal = asg.optimal,
                         .total_affinity = asg.total_affinity,
                         .shortages = {},
                         .reviewed_but_unassigned = {}};
  for (const auto& sh : asg.shortages)
    out.shortages.push_back({labels.proposal_key(sh.proposal), sh.assigned, sh.why});
  // Reviews already written by reviewers the new assignment leaves out: kept, and listed (by
  // proposal and reviewer id).
  std::set<std::pair<std::string, std::string>> kept;
  for (const auto& [p, r] : select::reviewed_but_unassigned(s, call, asg))
    kept.emplace(labels.proposal_key(p), labels.reviewer_key(r));
  for (const auto& [p, r] : kept) out.reviewed_but_unassigned.push_back({p, r});
  return out;
}

Result<RecordedDecisions> record_decisions(store::Store& st, const User& u, const Snapshot& s,
                                           const std::string& id, const Args& a) {
  POLES_ASSIGN_OR_RETURN(const std::string date, record_date(a));
  POLES_ASSIGN_OR_RETURN(auto run, run_portfolio(s, id, a));
  const Labels labels(s);
  std::vector<Row> rows;
  int funded = 0;
  double total = 0;
  for (const auto& d : select::call_decisions(run.call, run.candidates, run.optimised)) {
    if (d.aid > 0) ++funded, total += d.aid;
    rows.push_back(Row{labels.proposal_key(d.proposal),
                       std::string(d.aid > 0 ? "funded" : "rejected"),
                       d.aid > 0 ? Value(d.aid) : Value(), date});
  }
  auto describe = [](const Row& r) {
    return Json{{"proposal", std::get<std::string>(r[0])},
                {"decision", std::get<std::string>(r[1])},
                {"aid", is_null(r[2]) ? Json()
                                      : Json(std::holds_alternative<double>(r[2])
                                                 ? std::get<double>(r[2])
                                                 : static_cast<double>(std::get<int64_t>(r[2])))}};
  };
  POLES_ASSIGN_OR_RETURN(const Replaced done,
                         replace_call_rows(st, u, *schema::find_entity("decision"), id, rows,
                                           "decide", a.flag("replace"), describe));
  return RecordedDecisions{.call = id,
                           .replaced = done.replaced,
                           .written = done.written,
                           .date = date,
                           .funded = funded,
                           .rejected = static_cast<int>(rows.size()) - funded,
                           .total_aid = total,
                           .budget = run.rules.budget,
                           .optimal = run.optimised.optimal};
}

Result<ReviewerProposals> reviewer_assigned(const Snapshot& s, const std::string& reviewer_id) {
  const int32_t me = s.table("reviewer").find(reviewer_id);
  if (me < 0) return Status::not_found(fmt::format("no reviewer '{}'", reviewer_id));
  const Labels labels(s);
  ReviewerProposals out{.reviewer = reviewer_id, .name = labels.reviewer_name(me), .items = {}};
  for (auto& task : select::reviewer_tasks(s, me)) {
    // A conflict that appeared after the assignment withdraws the proposal (docs/access.md).
    if (standing_conflict(s, std::string(labels.proposal_key(task.proposal)), reviewer_id))
      continue;
    auto item = labels.proposal<ReviewerProposal>(task.proposal);
    item.call = labels.call_of(task.proposal);
    if (task.assigned_on) item.assigned_on = Date::from_days(*task.assigned_on).to_string();
    item.my_scores = std::move(task.scores);
    out.items.push_back(std::move(item));
  }
  return out;
}

Result<std::optional<std::string>> assignment_conflict(const Snapshot& s,
                                                       const std::string& proposal,
                                                       const std::string& reviewer) {
  const int32_t p = s.table("proposal").find(proposal);
  if (p < 0 || s.table("reviewer").find(reviewer) < 0) return std::optional<std::string>();
  const Labels labels(s);
  POLES_ASSIGN_OR_RETURN(auto call, select::load_call(s, labels.call_of(p)));
  for (const auto& c : select::find_conflicts(s, call, {})) {
    if (c.proposal != p || labels.reviewer_key(c.reviewer) != reviewer) continue;
    std::string what = fmt::format("{} (organisation '{}'", select::to_string(c.kind),
                                   labels.organisation_key(c.organisation));
    if (c.project >= 0)
      what += fmt::format(", project '{}' active in {}", labels.project_key(c.project), c.year);
    return std::optional<std::string>(what + ")");
  }
  return std::optional<std::string>();
}

std::optional<std::string> standing_conflict(const Snapshot& s, const std::string& proposal,
                                             const std::string& reviewer) {
  const int32_t p = s.table("proposal").find(proposal);
  const int32_t r = s.table("reviewer").find(reviewer);
  if (p < 0 || r < 0) return std::nullopt;
  const int32_t applicant =
      s.table("proposal").column("applicant_id").codes[static_cast<size_t>(p)];
  const int32_t own = s.table("reviewer").column("organisation_id").codes[static_cast<size_t>(r)];
  if (applicant < 0 || own < 0) return std::nullopt;
  const auto& orgs = s.table("organisation");
  const auto key = [&](int32_t o) { return std::string(orgs.key(static_cast<size_t>(o))); };
  if (applicant == own)
    return fmt::format("{} (organisation '{}')",
                       select::to_string(select::ConflictKind::kSameOrganisation), key(own));
  const auto group = [&](int32_t o) {
    const auto head = orgs.column("group_siren").text(static_cast<size_t>(o));
    return head.empty() ? orgs.column("siren").text(static_cast<size_t>(o)) : head;
  };
  if (!group(own).empty() && group(own) == group(applicant))
    return fmt::format("{} (organisation '{}')",
                       select::to_string(select::ConflictKind::kSameGroup), key(applicant));
  return std::nullopt;
}

const ParamSpecs& conflicts_params() {
  static const ParamSpecs k = {integer_param(
      "years",
      "A shared project counts as a conflict when it ran within this many years of the call", 0, 50,
      "3")};
  return k;
}

const ParamSpecs& assignment_params() {
  static const ParamSpecs k = {
      integer_param("k", "Reviewers per proposal (default: the call's rule)", 0, 20),
      integer_param("max_load", "Proposals per reviewer at most (default: the call's rule)", 0,
                    1000),
      integer_param("candidates", "Candidate reviewers considered per proposal", 0, 100000, "40"),
      integer_param(
          "years",
          "A shared project counts as a conflict when it ran within this many years of the call", 0,
          50, "3")};
  return k;
}

const ParamSpecs& scores_params() {
  static const ParamSpecs k = {
      integer_param("bootstrap", "Resamples of the reviews for the rank intervals (0: none)", 0,
                    100000, "500"),
      integer_param("seed", "Seed of the resampling", 0, 2147483647, "1"),
      number_param("disagreement_sd",
                   "Spread of a proposal's scores (SD) above which reviewers disagree", 0, 10,
                   "1.5")};
  return k;
}

const ParamSpecs& portfolio_params() {
  // Only what changes the portfolio (the scores' bootstrap and disagreement do not).
  static const ParamSpecs k = {
      number_param("min_score", "Proposals scored below this are not funded", 0, 10, "0"),
      number_param("budget", "Budget of the call in euros (default: the call's budget)", 0, 1e13),
      number_param("min_share",
                   "Least share of its request a funded proposal gets (default: the call's rule)",
                   0, 1),
      number_param("cap_per_cluster",
                   "Most aid to the proposals of one cluster, in euros (default: the call's rule)",
                   0, 1e13),
      number_param("min_sme_share",
                   "Least share of the aid going to SMEs (default: the call's rule)", 0, 1),
      number_param("max_theme_share", "Most share of the aid going to one theme (0: no limit)", 0,
                   1, "0")};
  return k;
}

const ParamSpecs& risk_simulation_params() {
  static const ParamSpecs k = [] {
    ParamSpecs out = portfolio_params();
    out.push_back(choice_param("portfolio", "Which portfolio to simulate",
                               {"optimised", "sprinkled", "decided"}, "optimised"));
    out.push_back(integer_param("draws", "Monte Carlo draws", 1, 10000000, "100000"));
    out.push_back(integer_param("seed", "Seed of the Monte Carlo", 0, 2147483647, "1"));
    return out;
  }();
  return k;
}

}  // namespace poles::app
