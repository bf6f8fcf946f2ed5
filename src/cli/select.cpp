// `poles select …` (calls, conflicts of interest, reviewer assignment, scores, funding portfolio)
// and `poles risk …` (success model, Monte Carlo of a call's portfolio). Tables, or --json.
#include "app/select.h"

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/view_command.h"

namespace poles::cli {
namespace {

// The tables selection and risk read (and, through their references, organisations, clusters).
const std::vector<std::string_view> kSelectTables = {"call",          "proposal",      "reviewer",
                                                     "assignment",    "review",        "decision",
                                                     "participation", "project_label", "result"};

// The command line acts for whoever may open the database file: an administrator, named "cli"
// in the audit log.
const app::User kCliUser{.name = "cli", .role = app::Role::kAdmin, .scope = "", .disabled = false};

// A selection or risk command: CALL argument when `with_call`, the listed options, `table` printed.
CLI::App* command(CLI::App* parent, CommandContext& ctx, const char* name, const char* help,
                  bool with_call, std::vector<std::pair<const char*, const char*>> options,
                  std::string table, ViewFn fn,
                  std::pair<const char*, const char*> record = {nullptr, nullptr}) {
  return view_command(parent, ctx,
                      {.name = name,
                       .help = help,
                       .tables = kSelectTables,
                       .id = with_call ? std::pair<const char*, const char*>{"CALL", "Call id"}
                                       : std::pair<const char*, const char*>{nullptr, nullptr},
                       .options = std::move(options),
                       .table = std::move(table),
                       .record = record},
                      std::move(fn));
}

}  // namespace

void add_select(CLI::App& app, CommandContext& ctx) {
  CLI::App* sel = app.add_subcommand(
      "select", "Calls: conflicts of interest, reviewer assignment, scores, funding portfolio");
  sel->require_subcommand(1);
  command(sel, ctx, "calls", "Calls with their rules and counts", false, {}, "items",
          [](const auto& s, const auto&) -> Result<Json> { return app::select_calls(s); });
  command(sel, ctx, "conflicts",
          "Conflicts of interest between the call's proposals and every reviewer", true,
          {{"years", "Co-participation window before the call, years (default 3)"}}, "items",
          [](const auto& s, const auto& a) { return app::select_conflicts(s, a.id, a.params); });
  command(
      sel, ctx, "assign",
      "Assign reviewers (integer program, CBC): k per proposal, at most L each, no conflict", true,
      {{"k", "Reviewers per proposal (default: the call's)"},
       {"max_load", "Proposals per reviewer at most (default: the call's)"},
       {"candidates", "Best-matching reviewers per proposal in the program (0: all; default 40)"},
       {"years", "Co-participation window, years (default 3)"}},
      "shortages",
      [](const auto& s, const auto& a) -> Result<Json> {
        if (a.record) return app::save_assignment(*a.store, kCliUser, s, a.id, a.params);
        POLES_ASSIGN_OR_RETURN(auto j, app::select_assignment(s, a.id, a.params));
        // Tables: one line per assigned pair.
        Json pairs = Json::array();
        for (const auto& p : j["proposals"]) {
          for (const auto& r : p["reviewers"]) {
            pairs.push_back(
                {{"proposal", p["id"]}, {"reviewer", r["id"]}, {"affinity", r["affinity"]}});
          }
        }
        if (!a.json) j["proposals"] = pairs, j.erase("workload");
        return j;
      },
      {"--save", "Record the assignment in the store (reviewers then see their proposals)"});
  command(sel, ctx, "scores",
          "Review scores with reviewer severity removed, disagreement, rank intervals", true,
          {{"bootstrap", "Resamples for rank intervals (default 500)"},
           {"seed", "Seed of the bootstrap (default 1)"},
           {"disagreement_sd",
            "Flag proposals whose reviewers' scores have a larger SD (default 1.5)"}},
          "ranking",
          [](const auto& s, const auto& a) { return app::select_scores(s, a.id, a.params); });
  command(
      sel, ctx, "portfolio", "Optimal funding portfolio (CBC) against proportional sprinkling",
      true,
      {{"budget", "Budget, euros (default: the call's)"},
       {"min_share", "Minimum funded share of a request"},
       {"cap_per_cluster", "Cap per cluster, euros"},
       {"min_sme_share", "Minimum share of aid to SME-led proposals"},
       {"max_theme_share", "Maximum share of aid per theme"},
       {"min_score", "Leave out proposals scoring below"}},
      "items",
      [](const auto& s, const auto& a) -> Result<Json> {
        if (a.record) return app::record_decisions(*a.store, kCliUser, s, a.id, a.params);
        POLES_ASSIGN_OR_RETURN(auto j, app::select_portfolio(s, a.id, a.params));
        if (!a.json) {
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
          false, {}, "coefficients", [](const auto& s, const auto&) { return app::risk_model(s); });
  command(risk, ctx, "simulate",
          "Monte Carlo of a call's portfolio: products on the market, value at risk", true,
          {{"draws", "Draws (default 100000)"},
           {"seed", "Seed (default 1)"},
           {"portfolio", "optimised (default), sprinkled or decided"},
           {"budget", "Budget for the optimised portfolio"}},
          "most_fragile", [](const auto& s, const auto& a) -> Result<Json> {
            POLES_ASSIGN_OR_RETURN(auto j, app::risk_simulation(s, a.id, a.params));
            if (!a.json) j.erase("histogram");
            return j;
          });
}

}  // namespace poles::cli
