// `poles secrecy audit`: every table published from the firm panel attacked by linear
// programming (app/secrecy_audit.h); exit code 1 when a primary cell of a published table is
// narrower than its protection interval.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "app/secrecy_audit.h"
#include "cli/commands.h"
#include "cli/print.h"
#include "core/typed_json.h"
#include "snapshot/loader.h"

namespace poles::cli {
namespace {

struct AuditArgs {
  int year = 0;  // 0: every year of the panel
  double protection = 0.15;
  bool json = false;
  bool baselines = false;
  bool primaries_only = false;
  int threads = 1;
};

std::string percent(double share) { return fmt::format("{:.2f} %", 100 * share); }

}  // namespace

void add_secrecy(CLI::App& app, CommandContext& ctx) {
  CLI::App* sec = app.add_subcommand("secrecy", "Statistical secrecy of the published figures");
  sec->require_subcommand(1);
  CLI::App* audit = sec->add_subcommand(
      "audit",
      "Attack every published table of firm figures by linear programming: each masked cell's "
      "interval given every published value of every linked table and non-negativity; fails "
      "(exit 1) if a primary cell is narrower than its protection interval");
  auto args = std::make_shared<AuditArgs>();
  audit->add_option("--year", args->year, "Only this year of the firm panel (default: all)");
  audit
      ->add_option("--protection", args->protection,
                   "Protection interval, a share of the cell's value (default 0.15: ±15 %)")
      ->check(CLI::Range(0.0, 1.0));
  audit->add_flag("--baselines", args->baselines,
                  "Also attack the former suppression (no line with one masked cell) and "
                  "primary suppression alone, for the information loss before and after");
  audit->add_flag("--primaries-only", args->primaries_only,
                  "Attack primary cells only (the pass/fail test), not the secondary ones");
  audit->add_option("--threads", args->threads, "Worker threads (default 1)")
      ->check(CLI::Range(1, 64));
  audit->add_flag("--json", args->json, "Print JSON");
  audit->callback([&ctx, args] {
    auto store = ctx.open_store();
    if (!store) return;
    // Every table: the publishers audited read the panel, the census, the services and the
    // projects' results.
    auto snap = snapshot::load(*store);
    if (!snap) return ctx.fail(snap.error());
    app::SecrecyAuditOptions o;
    if (args->year != 0) o.year = args->year;
    o.baselines = args->baselines;
    o.primaries_only = args->primaries_only;
    o.threads = args->threads;
    app::SecrecyRule rule;
    rule.protection = args->protection;
    auto r = app::secrecy_audit(**snap, o, rule);
    if (!r) return ctx.fail(r.error());
    if (args->json) {
      std::cout << tj::to_json(*r).dump(2) << "\n";
    } else {
      std::cout << fmt::format(
          "rule: at least {} firms, none above {:g} %; protection interval ±{:g} %\n",
          r->rule.min_firms, 100 * r->rule.max_share, 100 * r->protection);
      Json rows = Json::array();
      for (const auto& p : r->publishers) {
        Json line{
            {"publisher", p.publisher},
            {"suppression", p.suppression},
            {"tables", p.tables},
            {"cells", p.cells},
            {"primary", p.primary},
            {"secondary", p.secondary},
            {"cells masked", percent(p.cells_masked_share)},
            {"value masked", percent(p.value_masked_share)},
            {"attacked", p.attacked},
            {"exact", p.exact},
            {"failures", p.failures},
            {"insider views", p.insider_views},
            {"narrowest",
             p.narrowest && p.narrowest->relative_half_width
                 ? fmt::format("±{:.1f} % ({}, {} × {})", 100 * *p.narrowest->relative_half_width,
                               p.narrowest->table, p.narrowest->row, p.narrowest->column)
                 : std::string("-")},
            {"seconds", fmt::format("{:.1f}", p.seconds)}};
        rows.push_back(std::move(line));
      }
      print_table(rows);
      std::cout << (r->passed ? "passed: every published table keeps its protection interval\n"
                              : "FAILED: a published table reveals a primary cell\n");
    }
    if (!r->passed) ctx.exit_code = 1;
  });
}

}  // namespace poles::cli
