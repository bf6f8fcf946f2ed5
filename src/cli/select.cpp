// `poles select …` (calls, conflicts of interest, reviewer assignment, scores, funding portfolio)
// and `poles risk …` (success model, Monte Carlo of a call's portfolio). Tables, or --json. The
// options are the use cases' parameters (app/select.h), checked as the API checks them.
#include "app/select.h"

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/view_command.h"
#include "core/typed_json.h"

namespace poles::cli {
namespace {

// The tables selection and risk read (and, through their references, organisations, clusters).
const std::vector<std::string_view> kSelectTables = {"call",          "proposal",      "reviewer",
                                                     "assignment",    "review",        "decision",
                                                     "participation", "project_label", "result"};

// The command line acts for whoever may open the database file: an administrator, named "cli"
// in the audit log.
const app::User kCliUser{.name = "cli", .role = app::Role::kAdmin, .scope = "", .disabled = false};

// A selection or risk command: CALL argument when `with_call`, the options of `params` (made by
// view_command, checked as the API checks them), `table` printed.
CLI::App* command(CLI::App* parent, CommandContext& ctx, const char* name, const char* help,
                  bool with_call, const app::ParamSpecs& params, std::string table,
                  const ViewFn& fn,
                  std::pair<const char*, const char*> record = {nullptr, nullptr}) {
  return view_command(parent, ctx,
                      {.name = name,
                       .help = help,
                       .tables = kSelectTables,
                       .id = with_call ? std::pair<const char*, const char*>{"CALL", "Call id"}
                                       : std::pair<const char*, const char*>{nullptr, nullptr},
                       .params = params,
                       .table = std::move(table),
                       .record = record},
                      fn);
}

// A recording's arguments: the view's parameters (given or defaulted) with replace and date.
Result<app::Args> recording_args(const app::ParamSpecs& params, const ViewArgs& a) {
  auto parsed = app::parse(app::recording_params(params), a.params);
  if (!parsed) return as_options(parsed.error());
  return parsed;
}

// The typed result of a use case as the JSON the printer shows; its parameter errors (a bad
// --date) named as options.
template <class T>
Result<Json> shown(Result<T> r) {
  if (!r) return as_options(r.error());
  return tj::to_json(*r);
}

}  // namespace

void add_select(CLI::App& app, CommandContext& ctx) {
  CLI::App* sel = app.add_subcommand(
      "select", "Calls: conflicts of interest, reviewer assignment, scores, funding portfolio");
  sel->require_subcommand(1);
  command(
      sel, ctx, "calls", "Calls with their rules and counts", false, {}, "items",
      [](const auto& s, const auto&) -> Result<Json> { return tj::to_json(app::select_calls(s)); });
  command(sel, ctx, "conflicts",
          "Conflicts of interest between the call's proposals and every reviewer", true,
          app::conflicts_params(), "items", [](const auto& s, const auto& a) {
            return shown(app::select_conflicts(s, a.id, a.args));
          });
  command(sel, ctx, "assign",
          "Assign reviewers (integer program, CBC): k per proposal, at most L each, no conflict",
          true, app::assignment_params(), "shortages",
          [](const auto& s, const auto& a) -> Result<Json> {
            if (a.record) {
              POLES_ASSIGN_OR_RETURN(auto args, recording_args(app::assignment_params(), a));
              return shown(app::save_assignment(*a.store, kCliUser, s, a.id, args));
            }
            POLES_ASSIGN_OR_RETURN(auto r, app::select_assignment(s, a.id, a.args));
            Json j = tj::to_json(r);
            if (!a.json) {
              // Tables: one line per assigned pair, without the workload.
              Json pairs = Json::array();
              for (const auto& p : r.proposals) {
                for (const auto& rev : p.reviewers)
                  pairs.push_back(
                      {{"proposal", p.id}, {"reviewer", rev.id}, {"affinity", rev.affinity}});
              }
              j["proposals"] = std::move(pairs);
              j.erase("workload");
            }
            return j;
          },
          {"--save", "Record the assignment in the store (reviewers then see their proposals)"});
  command(sel, ctx, "scores",
          "Review scores with reviewer severity removed, disagreement, rank intervals", true,
          app::scores_params(), "ranking",
          [](const auto& s, const auto& a) { return shown(app::select_scores(s, a.id, a.args)); });
  command(
      sel, ctx, "portfolio", "Optimal funding portfolio (CBC) against proportional sprinkling",
      true, app::portfolio_params(), "items",
      [](const auto& s, const auto& a) -> Result<Json> {
        if (a.record) {
          POLES_ASSIGN_OR_RETURN(auto args, recording_args(app::portfolio_params(), a));
          return shown(app::record_decisions(*a.store, kCliUser, s, a.id, args));
        }
        POLES_ASSIGN_OR_RETURN(auto r, app::select_portfolio(s, a.id, a.args));
        Json j = tj::to_json(r);
        if (!a.json) {
          // Tables: the Lorenz curves are for charts.
          j["optimised"].erase("lorenz");
          j["sprinkled"].erase("lorenz");
        }
        return j;
      },
      {"--decide", "Record the optimised portfolio as the call's decisions (funded or rejected)"});

  CLI::App* risk =
      app.add_subcommand("risk", "Innovation risk: success model and Monte Carlo of a portfolio");
  risk->require_subcommand(1);
  command(risk, ctx, "model", "Logistic success model fitted on the projects that have ended",
          false, {}, "coefficients",
          [](const auto& s, const auto&) { return shown(app::risk_model(s)); });
  command(risk, ctx, "simulate",
          "Monte Carlo of a call's portfolio: products on the market, value at risk", true,
          app::risk_simulation_params(), "most_fragile",
          [](const auto& s, const auto& a) -> Result<Json> {
            POLES_ASSIGN_OR_RETURN(auto r, app::risk_simulation(s, a.id, a.args));
            Json j = tj::to_json(r);
            if (!a.json) j.erase("histogram");  // for charts
            return j;
          });
}

}  // namespace poles::cli
