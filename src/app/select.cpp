#include "app/select.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "app/access.h"
#include "app/params.h"
#include "core/date.h"
#include "risk/model.h"
#include "risk/simulate.h"
#include "select/assign.h"
#include "select/call.h"
#include "select/conflicts.h"
#include "select/portfolio.h"
#include "select/scores.h"

namespace poles::app {

using snapshot::Snapshot;

namespace {

std::string key(const Snapshot& s, const char* table, int32_t row) {
  return row < 0 ? std::string() : std::string(s.table(table).key(static_cast<size_t>(row)));
}
std::string name_of(const Snapshot& s, const char* table, int32_t row, const char* field = "name") {
  return row < 0 ? std::string()
                 : std::string(s.table(table).column(field).text(static_cast<size_t>(row)));
}

Json proposal_json(const Snapshot& s, int32_t p) {
  const auto& t = s.table("proposal");
  const auto r = static_cast<size_t>(p);
  const int32_t applicant = t.column("applicant_id").codes[r];
  return Json{{"id", key(s, "proposal", p)},
              {"title", std::string(t.column("title").text(r))},
              {"applicant", key(s, "organisation", applicant)},
              {"applicant_name", name_of(s, "organisation", applicant)},
              {"cluster", key(s, "cluster", t.column("cluster_id").codes[r])},
              {"requested_aid", t.column("requested_aid").reals[r]},
              {"sme_led", select::sme_led(s, p)}};
}

Json reviewer_json(const Snapshot& s, int32_t r) {
  const int32_t org = s.table("reviewer").column("organisation_id").codes[static_cast<size_t>(r)];
  return Json{{"id", key(s, "reviewer", r)},
              {"name", name_of(s, "reviewer", r)},
              {"organisation", key(s, "organisation", org)}};
}

Json rules_json(const select::CallData& c) {
  Json criteria = Json::array();
  for (const auto& k : c.criteria) criteria.push_back({{"name", k.name}, {"weight", k.weight}});
  return Json{{"budget", c.budget},
              {"min_funding_share", c.min_funding_share},
              {"cap_per_cluster", c.cap_per_cluster},
              {"min_sme_share", c.min_sme_share},
              {"reviewers_per_proposal", c.reviewers_per_proposal},
              {"max_per_reviewer", c.max_per_reviewer},
              {"criteria", criteria}};
}

Result<select::ScoreOptions> score_options(const Params& p) {
  select::ScoreOptions o;
  POLES_ASSIGN_OR_RETURN(o.bootstrap, integer(p, "bootstrap", o.bootstrap, 0, 100000));
  POLES_ASSIGN_OR_RETURN(int seed, integer(p, "seed", 1, 0, 2147483647));
  o.seed = static_cast<uint64_t>(seed);
  POLES_ASSIGN_OR_RETURN(o.disagreement_sd, number(p, "disagreement_sd", o.disagreement_sd, 0, 10));
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

Result<PortfolioRun> run_portfolio(const Snapshot& s, const std::string& id, const Params& p) {
  PortfolioRun run;
  POLES_ASSIGN_OR_RETURN(run.call, select::load_call(s, id));
  POLES_ASSIGN_OR_RETURN(auto so, score_options(p));
  so.bootstrap = 0;
  POLES_ASSIGN_OR_RETURN(auto scores, select::score_call(s, run.call, so));
  select::CandidateOptions co;
  POLES_ASSIGN_OR_RETURN(co.min_score, number(p, "min_score", 0, 0, 10));
  if (auto model = risk::fit_success_model(s); model.has_value()) {
    co.success = risk::proposal_success(s, *model);
    run.risk = true;
  }
  run.candidates = select::call_candidates(s, scores, co, &run.themes);
  run.rules = select::call_rules(run.call);
  POLES_ASSIGN_OR_RETURN(run.rules.budget, number(p, "budget", run.rules.budget, 0, 1e13));
  POLES_ASSIGN_OR_RETURN(run.rules.min_share, number(p, "min_share", run.rules.min_share, 0, 1));
  POLES_ASSIGN_OR_RETURN(run.rules.cap_per_cluster,
                         number(p, "cap_per_cluster", run.rules.cap_per_cluster, 0, 1e13));
  POLES_ASSIGN_OR_RETURN(run.rules.min_sme_share,
                         number(p, "min_sme_share", run.rules.min_sme_share, 0, 1));
  POLES_ASSIGN_OR_RETURN(run.rules.max_theme_share, number(p, "max_theme_share", 0, 0, 1));
  auto opt = select::optimise_portfolio(run.candidates, run.rules);
  if (!opt.has_value())
    return opt.error().with_context(
        fmt::format("call '{}': the funding rules cannot all be met", id));
  run.optimised = std::move(*opt);
  run.sprinkled = select::sprinkle(run.candidates, run.rules);
  return run;
}

Result<select::Assignment> run_assignment(const Snapshot& s, const select::CallData& call,
                                          const Params& p) {
  select::AssignOptions o;
  POLES_ASSIGN_OR_RETURN(o.reviewers_per_proposal, integer(p, "k", 0, 0, 20));
  POLES_ASSIGN_OR_RETURN(o.max_per_reviewer, integer(p, "max_load", 0, 0, 1000));
  POLES_ASSIGN_OR_RETURN(o.candidates, integer(p, "candidates", o.candidates, 0, 100000));
  POLES_ASSIGN_OR_RETURN(o.conflicts.years, integer(p, "years", o.conflicts.years, 0, 50));
  return select::assign_reviewers(s, call, o);
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

Result<std::string> record_date(const Params& p) {
  auto it = p.find("date");
  if (it == p.end() || it->second.empty()) return today_utc().to_string();
  auto d = Date::parse(it->second);
  if (!d)
    return Status::invalid_argument(
        fmt::format("parameter 'date' value '{}': must be a date YYYY-MM-DD", it->second));
  return d->to_string();
}

// Replaces the call's rows of `e` by `rows` in one transaction with one audit entry.
Result<Json> replace_call_rows(store::Store& st, const User& u, const schema::Entity& e,
                               const std::string& call, const std::vector<Row>& rows,
                               const std::string& action, const Params& p,
                               const std::function<Json(const Row&)>& describe) {
  if (!may(u.role, Action::kWrite, e)) {
    return Status::permission_denied(
        fmt::format("{} '{}' may not write {}", role_name(u.role), u.name, e.name));
  }
  POLES_ASSIGN_OR_RETURN(auto tx, st.begin());
  POLES_ASSIGN_OR_RETURN(auto before, rows_of_call(*tx, e, call));
  const bool replace = p.contains("replace") && p.at("replace") == "true";
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
  store::AuditEntry a;
  a.at = utc_timestamp();
  a.actor = u.name;
  a.action = action;
  a.entity = std::string(e.name);
  a.key = call;
  a.before = Json{{"rows", before.size()}, {"items", was}}.dump();
  a.after = Json{{"rows", rows.size()}, {"items", now}}.dump();
  POLES_RETURN_IF_ERROR(tx->append_audit(a));
  POLES_RETURN_IF_ERROR(tx->commit());
  return Json{{"call", call}, {"replaced", before.size()}, {"written", rows.size()}};
}

Json stats_json(const select::AllocationStats& st) {
  Json lorenz = Json::array();
  for (const auto& [x, y] : st.lorenz) lorenz.push_back({x, y});
  return Json{{"funded", st.funded},
              {"total_aid", st.total},
              {"mean_aid", st.mean},
              {"median_aid", st.median},
              {"mean_funded_share", st.mean_share},
              {"gini", st.gini},
              {"hhi", st.hhi},
              {"sme_share", st.sme_share},
              {"value", st.value},
              {"expected_products", st.expected_products},
              {"lorenz", lorenz}};
}

}  // namespace

Json select_calls(const Snapshot& s) {
  const auto& calls = s.table("call");
  std::vector<int> proposals(calls.rows, 0), assignments(calls.rows, 0), reviews(calls.rows, 0),
      decisions(calls.rows, 0);
  const auto& prop_call = s.table("proposal").column("call_id");
  auto call_of = [&](const snapshot::Column& proposal_col, size_t r) {
    const int32_t p = proposal_col.codes[r];
    return p < 0 ? -1 : prop_call.codes[static_cast<size_t>(p)];
  };
  for (size_t r = 0; r < prop_call.codes.size(); ++r)
    ++proposals[static_cast<size_t>(prop_call.codes[r])];
  const auto& ap = s.table("assignment").column("proposal_id");
  for (size_t r = 0; r < ap.codes.size(); ++r) ++assignments[static_cast<size_t>(call_of(ap, r))];
  const auto& rp = s.table("review").column("proposal_id");
  for (size_t r = 0; r < rp.codes.size(); ++r) ++reviews[static_cast<size_t>(call_of(rp, r))];
  const auto& dp = s.table("decision").column("proposal_id");
  for (size_t r = 0; r < dp.codes.size(); ++r) ++decisions[static_cast<size_t>(call_of(dp, r))];
  Json items = Json::array();
  for (size_t c = 0; c < calls.rows; ++c) {
    auto data = select::load_call(s, calls.key(c));
    Json item{{"id", std::string(calls.key(c))},
              {"title", std::string(calls.column("title").text(c))},
              {"programme", std::string(calls.column("programme").text(c))},
              {"year", data.has_value() ? data->year : 0},
              {"proposals", proposals[c]},
              {"assignments", assignments[c]},
              {"reviews", reviews[c]},
              {"decisions", decisions[c]}};
    if (data.has_value()) item["rules"] = rules_json(*data);
    items.push_back(std::move(item));
  }
  return Json{{"items", items}};
}

Result<Json> select_conflicts(const Snapshot& s, const std::string& id, const Params& p) {
  POLES_ASSIGN_OR_RETURN(auto call, select::load_call(s, id));
  select::ConflictOptions o;
  POLES_ASSIGN_OR_RETURN(o.years, integer(p, "years", o.years, 0, 50));
  const auto conflicts = select::find_conflicts(s, call, o);
  Json items = Json::array();
  for (const auto& c : conflicts) {
    Json item{{"proposal", key(s, "proposal", c.proposal)},
              {"reviewer", key(s, "reviewer", c.reviewer)},
              {"reviewer_name", name_of(s, "reviewer", c.reviewer)},
              {"reason", std::string(select::to_string(c.kind))},
              {"organisation", key(s, "organisation", c.organisation)},
              {"organisation_name", name_of(s, "organisation", c.organisation)}};
    if (c.project >= 0)
      item["project"] = key(s, "project", c.project), item["project_last_year"] = c.year;
    items.push_back(std::move(item));
  }
  return Json{
      {"call", id}, {"window_years", o.years}, {"count", conflicts.size()}, {"items", items}};
}

Result<Json> select_assignment(const Snapshot& s, const std::string& id, const Params& p) {
  POLES_ASSIGN_OR_RETURN(auto call, select::load_call(s, id));
  POLES_ASSIGN_OR_RETURN(auto a, run_assignment(s, call, p));
  std::map<int32_t, Json> by_proposal;
  for (const auto& pair : a.pairs) {
    auto& j = by_proposal[pair.proposal];
    if (j.is_null()) j = proposal_json(s, pair.proposal), j["reviewers"] = Json::array();
    Json r = reviewer_json(s, pair.reviewer);
    r["affinity"] = pair.affinity;
    j["reviewers"].push_back(std::move(r));
  }
  Json proposals = Json::array();
  for (int32_t prop : call.proposals) {
    auto it = by_proposal.find(prop);
    if (it != by_proposal.end()) {
      proposals.push_back(it->second);
    } else {
      Json j = proposal_json(s, prop);
      j["reviewers"] = Json::array();
      proposals.push_back(std::move(j));
    }
  }
  Json workload = Json::array();
  for (size_t r = 0; r < a.load.size(); ++r) {
    Json w = reviewer_json(s, static_cast<int32_t>(r));
    w["assigned"] = a.load[r];
    w["capacity"] = a.capacity[r];
    workload.push_back(std::move(w));
  }
  Json shortages = Json::array();
  for (const auto& sh : a.shortages) {
    shortages.push_back({{"proposal", key(s, "proposal", sh.proposal)},
                         {"assigned", sh.assigned},
                         {"eligible", sh.eligible},
                         {"conflicted", sh.conflicted},
                         {"why", sh.why}});
  }
  return Json{{"call", id},
              {"reviewers_per_proposal", a.k},
              {"max_per_reviewer", a.max_load},
              {"complete", a.shortages.empty()},
              {"optimal", a.optimal},
              {"total_affinity", a.total_affinity},
              {"mean_affinity",
               a.pairs.empty() ? 0.0 : a.total_affinity / static_cast<double>(a.pairs.size())},
              {"conflicts_excluded", a.conflicts.size()},
              {"variables", a.variables},
              {"shortages", shortages},
              {"proposals", proposals},
              {"workload", workload}};
}

Result<Json> select_scores(const Snapshot& s, const std::string& id, const Params& p) {
  POLES_ASSIGN_OR_RETURN(auto call, select::load_call(s, id));
  POLES_ASSIGN_OR_RETURN(auto o, score_options(p));
  POLES_ASSIGN_OR_RETURN(auto sc, select::score_call(s, call, o));
  Json ranking = Json::array();
  for (const auto& ps : sc.proposals) {
    Json j = proposal_json(s, ps.proposal);
    j.update(Json{{"rank", ps.rank},
                  {"adjusted_score", ps.adjusted},
                  {"raw_mean", ps.raw_mean},
                  {"reviewers", ps.reviewers},
                  {"sd", ps.sd},
                  {"disagreement", ps.disagreement},
                  {"rank_interval",
                   Json{{"p05", ps.rank_p05}, {"median", ps.rank_median}, {"p95", ps.rank_p95}}}});
    ranking.push_back(std::move(j));
  }
  Json reviewers = Json::array();
  for (const auto& r : sc.reviewers) {
    Json j = reviewer_json(s, r.reviewer);
    j["proposals"] = r.proposals;
    j["effect"] = r.effect;
    reviewers.push_back(std::move(j));
  }
  Json unreviewed = Json::array();
  for (int32_t u : sc.unreviewed) unreviewed.push_back(key(s, "proposal", u));
  return Json{{"call", id},
              {"grand_mean", sc.grand_mean},
              {"iterations", sc.iterations},
              {"components", sc.components},
              {"bootstrap", o.bootstrap},
              {"seed", sc.seed},
              {"disagreement_sd", o.disagreement_sd},
              {"ranking", ranking},
              {"reviewers", reviewers},
              {"unreviewed", unreviewed}};
}

Result<Json> select_portfolio(const Snapshot& s, const std::string& id, const Params& p) {
  POLES_ASSIGN_OR_RETURN(auto run, run_portfolio(s, id, p));
  Json items = Json::array();
  for (size_t i = 0; i < run.candidates.size(); ++i) {
    const auto& c = run.candidates[i];
    Json j = proposal_json(s, c.proposal);
    j.update(Json{{"value", c.value},
                  {"theme", c.theme >= 0 ? run.themes[static_cast<size_t>(c.theme)] : ""},
                  {"success_probability", c.success},
                  {"expected_products", c.products},
                  {"aid_optimised", run.optimised.aid[i]},
                  {"aid_sprinkled", run.sprinkled.aid[i]}});
    items.push_back(std::move(j));
  }
  const auto& r = run.rules;
  return Json{{"call", id},
              {"rules", Json{{"budget", r.budget},
                             {"min_share", r.min_share},
                             {"cap_per_cluster", r.cap_per_cluster},
                             {"min_sme_share", r.min_sme_share},
                             {"max_theme_share", r.max_theme_share}}},
              {"candidates", run.candidates.size()},
              {"success_model", run.risk},
              {"optimal", run.optimised.optimal},
              {"optimised", stats_json(select::describe(run.candidates, r, run.optimised))},
              {"sprinkled", stats_json(select::describe(run.candidates, r, run.sprinkled))},
              {"items", items}};
}

Result<Json> risk_model(const Snapshot& s) {
  risk::Design d;
  POLES_ASSIGN_OR_RETURN(auto m, risk::fit_success_model(s, &d));
  Json coefficients = Json::array();
  for (size_t j = 0; j < m.logit.coef.size(); ++j) {
    coefficients.push_back({{"name", m.logit.names[j]},
                            {"estimate", m.logit.coef[j]},
                            {"se", m.logit.se[j]},
                            {"z", m.logit.coef[j] / m.logit.se[j]}});
  }
  return Json{{"projects", m.logit.n},
              {"successes", m.successes},
              {"base_rate", m.base_rate},
              {"reference_programme", m.reference_programme},
              {"log_likelihood", m.logit.log_likelihood},
              {"null_log_likelihood", m.logit.null_log_likelihood},
              {"mcfadden_r2", 1 - m.logit.log_likelihood / m.logit.null_log_likelihood},
              {"iterations", m.logit.iterations},
              {"coefficients", coefficients},
              {"success", "on the market, or with a product, service or process result"}};
}

Result<Json> risk_simulation(const Snapshot& s, const std::string& id, const Params& p) {
  risk::SimulationOptions o;
  POLES_ASSIGN_OR_RETURN(o.draws, integer(p, "draws", o.draws, 1, 10000000));
  POLES_ASSIGN_OR_RETURN(int seed, integer(p, "seed", 1, 0, 2147483647));
  o.seed = static_cast<uint64_t>(seed);
  const auto which = p.contains("portfolio") ? p.at("portfolio") : std::string("optimised");
  if (which != "optimised" && which != "sprinkled" && which != "decided") {
    return Status::invalid_argument(fmt::format(
        "parameter 'portfolio' value '{}': must be optimised, sprinkled or decided", which));
  }
  std::vector<risk::Item> items;
  const auto& proposals = s.table("proposal");
  const double m = 0.5;
  if (which == "decided") {
    POLES_ASSIGN_OR_RETURN(auto model, risk::fit_success_model(s));
    const auto success = risk::proposal_success(s, model);
    POLES_ASSIGN_OR_RETURN(auto call, select::load_call(s, id));
    const auto& d = s.table("decision");
    const auto& dp = d.column("proposal_id");
    const auto& dd = d.column("decision");
    for (size_t r = 0; r < d.rows; ++r) {
      const int32_t prop = dp.codes[r];
      if (dd.text(r) != "funded" ||
          !std::binary_search(call.proposals.begin(), call.proposals.end(), prop))
        continue;
      const double products =
          proposals.column("expected_products").reals[static_cast<size_t>(prop)];
      items.push_back(
          {prop, success[static_cast<size_t>(prop)], std::isnan(products) ? 1.0 : products});
    }
  } else {
    // The portfolio's candidates carry the success model's probabilities (fitted once, there).
    POLES_ASSIGN_OR_RETURN(auto run, run_portfolio(s, id, p));
    if (!run.risk)
      return Status::invalid_argument(
          "the success model cannot be fitted on this store's ended projects");
    const auto& alloc = which == "optimised" ? run.optimised : run.sprinkled;
    const double min_share = run.rules.min_share > 0 ? run.rules.min_share : m;
    for (size_t i = 0; i < run.candidates.size(); ++i) {
      if (alloc.aid[i] <= 0) continue;
      const auto& c = run.candidates[i];
      // Under-funded projects succeed less: success × min(1, share / minimum share).
      const double f = alloc.aid[i] / c.request;
      items.push_back({c.proposal, c.success * std::min(1.0, f / min_share), c.products});
    }
  }
  POLES_ASSIGN_OR_RETURN(auto sim, risk::simulate(items, o));
  Json histogram = Json::array();
  for (const auto& [v, n] : sim.histogram) histogram.push_back({v, n});
  Json fragile = Json::array();
  for (size_t i = 0; i < std::min<size_t>(10, sim.fragile.size()); ++i) {
    const auto& f = sim.fragile[i];
    Json j = proposal_json(s, f.id);
    j.update(Json{{"success_probability", f.success},
                  {"failure_in_tail", f.failure_in_tail},
                  {"lift", f.lift}});
    fragile.push_back(std::move(j));
  }
  return Json{{"call", id},
              {"portfolio", which},
              {"projects", items.size()},
              {"draws", sim.draws},
              {"seed", sim.seed},
              {"expected_products", sim.expected},
              {"mean", sim.mean},
              {"sd", sim.sd},
              {"quantiles", Json{{"p05", sim.p05}, {"p50", sim.p50}, {"p95", sim.p95}}},
              {"value_at_risk_5", sim.value_at_risk},
              {"expected_shortfall_5", sim.expected_shortfall},
              {"probability_zero", sim.probability_zero},
              {"histogram", histogram},
              {"most_fragile", fragile}};
}

Result<Json> save_assignment(store::Store& st, const User& u, const Snapshot& s,
                             const std::string& id, const Params& p) {
  POLES_ASSIGN_OR_RETURN(auto call, select::load_call(s, id));
  POLES_ASSIGN_OR_RETURN(auto a, run_assignment(s, call, p));
  POLES_ASSIGN_OR_RETURN(const std::string date, record_date(p));
  const auto& e = *schema::find_entity("assignment");
  std::vector<Row> rows;
  std::set<std::pair<int32_t, int32_t>> assigned;
  for (const auto& pair : a.pairs) {
    rows.push_back(Row{key(s, "proposal", pair.proposal), key(s, "reviewer", pair.reviewer),
                       pair.affinity, date});
    assigned.emplace(pair.proposal, pair.reviewer);
  }
  auto describe = [](const Row& r) {
    return Json(std::get<std::string>(r[0]) + "|" + std::get<std::string>(r[1]));
  };
  POLES_ASSIGN_OR_RETURN(Json out, replace_call_rows(st, u, e, id, rows, "assign", p, describe));
  // Reviews already written by reviewers the new assignment leaves out: kept, and listed.
  std::set<std::pair<std::string, std::string>> orphans;
  const auto& reviews = s.table("review");
  const auto& rp = reviews.column("proposal_id");
  const auto& rr = reviews.column("reviewer_id");
  for (size_t i = 0; i < reviews.rows; ++i) {
    if (!std::binary_search(call.proposals.begin(), call.proposals.end(), rp.codes[i])) continue;
    if (!assigned.contains({rp.codes[i], rr.codes[i]}))
      orphans.emplace(key(s, "proposal", rp.codes[i]), key(s, "reviewer", rr.codes[i]));
  }
  Json reviewed = Json::array();
  for (const auto& [prop, rev] : orphans)
    reviewed.push_back({{"proposal", prop}, {"reviewer", rev}});
  Json shortages = Json::array();
  for (const auto& sh : a.shortages)
    shortages.push_back({{"proposal", key(s, "proposal", sh.proposal)},
                         {"assigned", sh.assigned},
                         {"why", sh.why}});
  out.update(Json{{"date", date},
                  {"complete", a.shortages.empty()},
                  {"optimal", a.optimal},
                  {"total_affinity", a.total_affinity},
                  {"shortages", shortages},
                  {"reviewed_but_unassigned", reviewed}});
  return out;
}

Result<Json> record_decisions(store::Store& st, const User& u, const Snapshot& s,
                              const std::string& id, const Params& p) {
  POLES_ASSIGN_OR_RETURN(auto run, run_portfolio(s, id, p));
  POLES_ASSIGN_OR_RETURN(const std::string date, record_date(p));
  std::map<int32_t, double> aid;
  for (size_t i = 0; i < run.candidates.size(); ++i)
    aid[run.candidates[i].proposal] = run.optimised.aid[i];
  std::vector<Row> rows;
  int funded = 0;
  double total = 0;
  for (int32_t prop : run.call.proposals) {
    const double a = aid.contains(prop) ? std::round(aid[prop]) : 0.0;
    if (a > 0) ++funded, total += a;
    rows.push_back(Row{key(s, "proposal", prop), std::string(a > 0 ? "funded" : "rejected"),
                       a > 0 ? Value(a) : Value(), date});
  }
  auto describe = [](const Row& r) {
    return Json{{"proposal", std::get<std::string>(r[0])},
                {"decision", std::get<std::string>(r[1])},
                {"aid", is_null(r[2]) ? Json()
                                      : Json(std::holds_alternative<double>(r[2])
                                                 ? std::get<double>(r[2])
                                                 : static_cast<double>(std::get<int64_t>(r[2])))}};
  };
  POLES_ASSIGN_OR_RETURN(Json out, replace_call_rows(st, u, *schema::find_entity("decision"), id,
                                                     rows, "decide", p, describe));
  out.update(Json{{"date", date},
                  {"funded", funded},
                  {"rejected", static_cast<int>(rows.size()) - funded},
                  {"total_aid", total},
                  {"budget", run.rules.budget},
                  {"optimal", run.optimised.optimal}});
  return out;
}

Result<Json> reviewer_assigned(const Snapshot& s, const std::string& reviewer_id) {
  const int32_t me = s.table("reviewer").find(reviewer_id);
  if (me < 0) return Status::not_found(fmt::format("no reviewer '{}'", reviewer_id));
  std::map<int32_t, Json> mine;
  auto entry = [&](int32_t prop) -> Json& {
    auto& j = mine[prop];
    if (j.is_null()) {
      j = proposal_json(s, prop);
      const int32_t call = s.table("proposal").column("call_id").codes[static_cast<size_t>(prop)];
      j["call"] = key(s, "call", call);
      j["assigned_on"] = nullptr;
      j["my_scores"] = Json::object();
    }
    return j;
  };
  const auto& assignments = s.table("assignment");
  const auto& ap = assignments.column("proposal_id");
  const auto& ar = assignments.column("reviewer_id");
  for (size_t i = 0; i < assignments.rows; ++i) {
    if (ar.codes[i] != me) continue;
    const auto& date = assignments.column("date");
    entry(ap.codes[i])["assigned_on"] =
        date.is_null(i) ? Json() : Json(Date::from_days(date.ints[i]).to_string());
  }
  const auto& reviews = s.table("review");
  const auto& rp = reviews.column("proposal_id");
  const auto& rr = reviews.column("reviewer_id");
  for (size_t i = 0; i < reviews.rows; ++i) {
    if (rr.codes[i] != me) continue;
    entry(rp.codes[i])["my_scores"][std::string(reviews.column("criterion").text(i))] =
        reviews.column("score").reals[i];
  }
  Json items = Json::array();
  for (auto& [p, j] : mine) items.push_back(std::move(j));
  return Json{{"reviewer", reviewer_id}, {"name", name_of(s, "reviewer", me)}, {"items", items}};
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
  static const ParamSpecs k = {
      integer_param("bootstrap", "Resamples of the reviews for the rank intervals (0: none)", 0,
                    100000, "500"),
      integer_param("seed", "Seed of the resampling", 0, 2147483647, "1"),
      number_param("disagreement_sd",
                   "Spread of a proposal's scores (SD) above which reviewers disagree", 0, 10,
                   "1.5"),
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
    return out;
  }();
  return k;
}

}  // namespace poles::app
