// Calls and selection, innovation risk: conflicts of interest, reviewer assignment, scores,
// portfolio, the success model and the Monte Carlo of a portfolio; recording the assignment and
// the decisions; a reviewer's own proposals.
#include "app/select.h"

#include "http/router.h"
#include "http/services.h"

namespace poles::http {

void add_select_routes(Router& r, Services&) {
  // Views that name reviewers or show their effects are the selection capability of the policy
  // (admin, state, evaluator): applicants and cluster or regional staff never see who reviewed.
  const auto selectors = [](RouteBuilder b) { return b.may(app::Op::kRead, "selection"); };
  selectors(r.get("/api/v1/select/calls",
                  "Calls with their rules and counts of proposals, reviews and decisions",
                  "select"))
      .cached()
      .returns<app::SelectCalls>()
      .handle([](Ctx& c) { c.view([](const auto& s) { return app::select_calls(s); }); });
  selectors(r.get("/api/v1/select/calls/{id}/conflicts", "Conflicts of interest found in the data",
                  "select"))
      .params(app::conflicts_params())
      .cached()
      .returns<app::SelectConflicts>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::select_conflicts(s, c.path[0], c.args); });
      });
  selectors(r.get("/api/v1/select/calls/{id}/assignment", "Reviewer assignment by integer program",
                  "select"))
      .params(app::assignment_params())
      .cached()
      .returns<app::SelectAssignment>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::select_assignment(s, c.path[0], c.args); });
      });
  selectors(r.get("/api/v1/select/calls/{id}/scores",
                  "Scores without reviewer bias, disagreement, rank intervals", "select"))
      .params(app::scores_params())
      .cached()
      .returns<app::SelectScores>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::select_scores(s, c.path[0], c.args); });
      });
  selectors(r.get("/api/v1/select/calls/{id}/portfolio", "Optimal portfolio against sprinkling",
                  "select"))
      .params(app::portfolio_params())
      .cached()
      .returns<app::SelectPortfolio>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::select_portfolio(s, c.path[0], c.args); });
      });
  // The success model is a selection view: it weighs applicants' chances (the selection
  // capability of the policy).
  selectors(r.get("/api/v1/risk/model", "Success model of projects (logistic, on ended projects)",
                  "risk"))
      .cached()
      .returns<app::RiskModel>()
      .handle([](Ctx& c) { c.view([](const auto& s) { return app::risk_model(s); }); });
  selectors(r.get("/api/v1/risk/calls/{id}", "Monte Carlo of a call's portfolio", "risk"))
      .params(app::risk_simulation_params())
      .cached()
      .returns<app::RiskSimulation>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::risk_simulation(s, c.path[0], c.args); });
      });

  // Recording the selection: the optimised assignment, the optimised portfolio as decisions.
  auto record = [](Ctx& c, const auto& fn) {
    auto snap = c.snapshot();
    if (!snap) return c.fail(snap.error());
    auto result = fn(*c.store, c.user(), **snap, c.path[0], c.args);
    if (!result) return c.fail(result.error());
    c.reply(200, *result);
  };
  r.post("/api/v1/select/calls/{id}/assignment", "Record the optimised assignment as the call's",
         "select")
      .may(app::Action::kWrite, "assignment")
      .params(app::recording_params(app::assignment_params()))
      .returns<app::RecordedAssignment>()
      .handle([record](Ctx& c) { record(c, app::save_assignment); });
  r.post("/api/v1/select/calls/{id}/decisions",
         "Record the optimised portfolio as the call's decisions", "select")
      .may(app::Action::kWrite, "decision")
      .params(app::recording_params(app::portfolio_params()))
      .returns<app::RecordedDecisions>()
      .handle([record](Ctx& c) { record(c, app::record_decisions); });
  // A reviewer's own page: only the proposals assigned to them (never cached across users).
  r.get("/api/v1/select/my-proposals",
        "The calling reviewer's assigned proposals and their own scores", "select")
      .roles([](app::Role role) { return role == app::Role::kReviewer; })
      .returns<app::ReviewerProposals>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::reviewer_assigned(s, c.user().scope); });
      });
}

}  // namespace poles::http
