// `poles evaluate` (one year's evaluation with a method file: table, JSON or XLSX) and its
// subcommands: the indicator catalogue, a cluster's trends, the qualitative assessments, the
// characterisation of the clusters.
#include "app/evaluate.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/print.h"
#include "cli/view_command.h"
#include "evaluate/indicators.h"
#include "snapshot/loader.h"

// Designated initialisers leave the options a command does not have at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace poles::cli {
namespace {

const std::vector<std::string_view> kEvaluateTables = {
    "cluster_label", "membership",      "project_label",       "project_event", "participation",
    "result",        "service",         "service_participant", "diagnostic",    "cluster_budget",
    "contract",      "contract_target", "assessment",          "employment",    "firm_year"};

struct EvaluateArgs {
  app::Params params;
  bool json = false;
  std::string xlsx;
};

}  // namespace

void add_evaluate(CLI::App& app, CommandContext& ctx) {
  CLI::App* ev = app.add_subcommand("evaluate",
                                    "Evaluate the clusters of a year with a method file (ranking, "
                                    "rank intervals, compliance, actions)");
  ev->require_subcommand(0, 1);
  auto args = std::make_shared<EvaluateArgs>();
  auto values = std::make_shared<std::map<std::string, std::string>>();
  for (const auto& [opt, help] : std::vector<std::pair<const char*, const char*>>{
           {"year", "Year evaluated (default 2022)"},
           {"method",
            "Method: a TOML file, or the name of a shipped one (default: methods/default.toml)"},
           {"draws", "Monte Carlo draws of the uncertainty analysis (default: the method's)"},
           {"seed", "Seed of the uncertainty and sensitivity analyses (default: the method's)"},
           {"sobol_n", "Sobol design size N (N × 7 runs; 0: no sensitivity analysis)"}}) {
    ev->add_option(fmt::format("--{}", opt), (*values)[opt], help);
  }
  ev->add_flag("--json", args->json, "Print JSON instead of tables");
  ev->add_option(
      "--xlsx", args->xlsx,
      "Also write the evaluation to this XLSX file (ranking, pillars, indicators, compliance)");
  ev->callback([&ctx, ev, args, values] {
    if (!ev->get_subcommands().empty()) return;
    for (const auto& [k, v] : *values) {
      if (!v.empty()) args->params[k] = v;
    }
    auto store = ctx.open_store();
    if (!store) return;
    auto snap = snapshot::load(*store, kEvaluateTables);
    if (!snap) return ctx.fail(snap.error());
    auto j = app::evaluation(**snap, args->params, true);
    if (!j) return ctx.fail(j.error());
    if (!args->xlsx.empty()) {
      if (auto st = formats::write_xlsx(args->xlsx, app::evaluation_sheets(*j)); !st.is_ok())
        return ctx.fail(st);
    }
    if (args->json) {
      std::cout << j->dump(2) << "\n";
      return;
    }
    Json table = Json::array();
    for (const auto& c : (*j)["clusters"]) {
      table.push_back(Json{
          {"rank", c["rank"]},
          {"cluster", c["cluster"]},
          {"index", c["index"]},
          {"interval", fmt::format("{:g}–{:g}", c["rank_interval"]["p05"].get<double>(),
                                   c["rank_interval"]["p95"].get<double>())},
          {"rating", c["rating"]},
          {"peer",
           fmt::format("{} {}", c["peer_group"].get<std::string>(), c["peer_rank"].get<int>())},
          {"trend", c["trend"]},
          {"misses", c["consecutive_misses"]},
          {"action", fmt::format("{} {}", c["action"]["level"].get<int>(),
                                 c["action"]["action"].get<std::string>())}});
    }
    Json head = *j;
    head.erase("clusters");
    head.erase("peers");
    head["method"].erase("indicators");
    print_object(head);
    std::cout << "\nclusters:\n";
    print_table(table);
    if (!args->xlsx.empty()) std::cout << "\nwritten: " << args->xlsx << "\n";
  });
  {
    CLI::App* ind = ev->add_subcommand(
        "indicators", "The indicator catalogue (id, pillar, unit, direction, formula)");
    auto markdown = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    ind->add_flag("--markdown", *markdown, "Print the Markdown table of docs/indicators.md");
    ind->add_flag("--json", *json, "Print JSON instead of a table");
    ind->callback([markdown, json] {
      if (*markdown) {
        std::cout << evaluate::indicators_markdown();
      } else if (*json) {
        std::cout << app::indicator_catalogue().dump(2) << "\n";
      } else {
        print_table(app::indicator_catalogue());
      }
    });
  }
  view_command(
      ev, ctx,
      {.name = "trends",
       .help = "A cluster's indicators over the years against the median of its peers",
       .tables = kEvaluateTables,
       .id = {"CLUSTER", "Cluster id"},
       .options = {{"from", "First year (default 2009)"}, {"to", "Last year (default 2024)"}}},
      [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
        POLES_ASSIGN_OR_RETURN(auto j, app::indicator_trends(s, a.id, a.params));
        if (a.json) return j;
        Json rows = Json::array();
        for (const auto& i : j["indicators"]) {
          Json line{{"indicator", i["id"]}};
          for (size_t y = 0; y < j["years"].size(); ++y)
            line[std::to_string(j["years"][y].get<int>())] = i["values"][y];
          rows.push_back(std::move(line));
        }
        return Json{{"cluster", j["cluster"]}, {"indicators", rows}};
      });
  view_command(ev, ctx,
               {.name = "assessments",
                .help = "Qualitative (ESCA-style) assessments and the agreement between evaluators",
                .tables = {"assessment"},
                .options = {{"year", "Year (default 2022)"}},
                .table = "clusters"},
               [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
                 POLES_ASSIGN_OR_RETURN(auto j, app::assessments_view(s, a.params));
                 if (a.json) return j;
                 Json rows = Json::array();
                 for (const auto& c : j["clusters"]) {
                   Json line{{"cluster", c["cluster"]}};
                   for (const auto& [area, v] : c["areas"].items()) line[area] = v["mean"];
                   rows.push_back(std::move(line));
                 }
                 j["clusters"] = rows;
                 return j;
               });
  view_command(
      ev, ctx,
      {.name = "characterise",
       .help = "Declared against measured scale, specialisation of each cluster's sector, filière "
               "overlaps and gaps",
       .tables = kEvaluateTables,
       .options =
           {{"year", "Year (default 2022)"},
            {"members_outside", "Share of members outside the region for a national reach (0.25)"},
            {"partners_outside", "Share of partners outside the region for a national reach (0.4)"},
            {"national_funding", "Share of national and European aid for a national scale (0.5)"}},
       .table = "clusters"},
      [](const snapshot::Snapshot& s, const ViewArgs& a) {
        return app::characterisation(s, a.params);
      });
}

}  // namespace poles::cli
