// `poles census release YEAR`: the State's census of members for a year (app/census.h), as
// `POST /api/v1/census/{year}` does, for an operator with the database (the audit log names the
// actor `cli`).
#include "app/census.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/print.h"
#include "core/typed_json.h"

namespace poles::cli {
namespace {

struct CensusArgs {
  int year = 0;
  bool dry_run = false;
  bool json = false;
};

}  // namespace

void add_census(CLI::App& app, CommandContext& ctx) {
  CLI::App* census =
      app.add_subcommand("census", "The State's yearly census of the clusters' members");
  census->require_subcommand(1);
  CLI::App* release = census->add_subcommand(
      "release",
      "Release a year's census: the memberships active that year become the members that firm "
      "figures count (replaces the year's previous release, except the changes of member firms "
      "that the composition rule of secrecy holds back)");
  auto args = std::make_shared<CensusArgs>();
  release->add_option("year", args->year, "Year of the census")->required();
  release->add_flag("--dry-run", args->dry_run, "Tell what would change without writing");
  release->add_flag("--json", args->json, "Print JSON");
  release->callback([&ctx, args] {
    auto store = ctx.open_store();
    if (!store) return;
    const app::User operator_account{"cli", app::Role::kState, ""};
    auto r = app::release_census(*store, operator_account, args->year, args->dry_run);
    if (!r) return ctx.fail(r.error());
    if (args->json) {
      std::cout << tj::to_json(*r).dump(2) << "\n";
      return;
    }
    Json rows = Json::array();
    for (const auto& c : r->clusters)
      rows.push_back({{"cluster", c.cluster},
                      {"members", c.members},
                      {"added", c.added},
                      {"removed", c.removed},
                      {"held back", c.held_back}});
    if (!rows.empty()) print_table(rows);
    std::cout << fmt::format(
        "{} {}: {} members, {} added, {} removed, {} held back by the composition rule\n", r->year,
        r->dry_run ? "(dry run, nothing written)" : "released", r->members, r->added, r->removed,
        r->held_back);
  });
}

}  // namespace poles::cli
