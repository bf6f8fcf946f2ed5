// `poles impact`: one impact estimation (Callaway & Sant'Anna, fixed-effects OLS, event study or
// matching) on the store's firm panel or on any CSV (--data), printed as tables or JSON, and
// optionally written as the impact report (HTML or PDF, French or English).
#include "app/impact.h"

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/print.h"
#include "cli/view_command.h"
#include "impact/stata.h"
#include "report/impact_report.h"
#include "snapshot/loader.h"

namespace poles::cli {
namespace {

struct ImpactArgs {
  std::map<std::string, std::string> values;
  std::string data, report, format = "html", lang = "fr";
  bool json = false;
};

// The estimation as tables: the main figures first, then the estimator's terms.
void print_did(const app::ImpactDid& r) {
  const auto& ag = r.aggregations;
  auto line = [](const char* name, const auto& a) {
    return Json{{"aggregation", name},
                {"att", tj::to_json(a.estimate)},
                {"se", tj::to_json(a.se)},
                {"ci_low", tj::to_json(a.ci_low)},
                {"ci_high", tj::to_json(a.ci_high)}};
  };
  const Json rows = Json::array({line("simple", ag.simple), line("dynamic", ag.dynamic),
                                 line("group", ag.group), line("calendar", ag.calendar)});
  std::cout << "outcome: " << r.outcome << "\nunits: " << r.data.units << " (dropped "
            << r.data.dropped_units
            << ")\npre-test of parallel trends: p = " << tj::to_json(r.pretest.p) << "\n\n";
  print_table(rows);
  std::cout << "\ndynamic (event time):\n";
  print_table(tj::to_json(ag.dynamic.terms));
  std::cout << "\nby cohort:\n";
  print_table(tj::to_json(ag.group.terms));
}

// A plain dump of a result but its table, and then the table.
template <class R, class Rows>
void print_with_table(const R& r, const char* table, const Rows& rows, const char* title) {
  Json head = tj::to_json(r);
  head.erase(table);
  print_object(head);
  std::cout << "\n" << title;
  print_table(tj::to_json(rows));
}

void print_result(const app::ImpactEstimate& r) {
  if (r.did) {
    print_did(*r.did);
  } else if (r.ols) {
    print_with_table(*r.ols, "coefficients", r.ols->coefficients, "");
  } else if (r.event) {
    std::cout << "pre-trend: F = " << tj::to_json(r.event->pretrend.f)
              << ", p = " << tj::to_json(r.event->pretrend.p) << "\n\n";
    print_table(tj::to_json(r.event->terms));
  } else if (r.match) {
    print_with_table(*r.match, "balance", r.match->balance, "balance:\n");
  }
}

}  // namespace

void add_impact(CLI::App& app, CommandContext& ctx) {
  CLI::App* cmd = app.add_subcommand("impact",
                                     "Impact of the policy on firms: staggered DiD, fixed-effects "
                                     "OLS and PPML, event studies (TWFE, Sun & Abraham), matching");
  auto args = std::make_shared<ImpactArgs>();
  // The options are the parameters of the API's jobs (app::impact_params), with the same checks.
  for (const auto& p : app::impact_params())
    cmd->add_option(fmt::format("--{}", p.name), args->values[p.name], app::describe(p));
  cmd->add_option("--data", args->data,
                  "A CSV or Stata (.dta) file to use instead of the store's firm panel (one row "
                  "per unit and period)");
  cmd->add_flag("--json", args->json, "Print JSON instead of tables");
  cmd->add_option("--report", args->report, "Also write the impact report to this file");
  cmd->add_option("--format", args->format, "Report format: html (default) or pdf");
  cmd->add_option("--lang", args->lang, "Report language: fr (default) or en");
  cmd->callback([&ctx, args] {
    app::Params given;
    for (const auto& [k, v] : args->values) {
      if (!v.empty()) given[k] = v;
    }
    auto params = app::parse(app::impact_params(), given);
    if (!params) return ctx.fail(as_options(params.error()));
    if (!args->report.empty()) {
      if (auto st = check_document(args->format, args->lang); !st.is_ok()) return ctx.fail(st);
    }
    // Progress on stderr when it is a terminal.
    app::ImpactProgress progress;
    const bool tty = !ctx.global.quiet && ::isatty(2);
    progress.report = [tty](double share, const std::string& stage) {
      if (tty)
        std::cerr << fmt::format("\r{:3.0f} % {:<30}", 100 * share, stage)
                  << (share >= 1 ? "\n" : "") << std::flush;
    };
    Result<app::ImpactEstimate> r = Status::internal("unset");
    if (!args->data.empty()) {
      auto frame = impact::read_data(args->data);
      if (!frame) return ctx.fail(frame.error());
      r = app::impact_estimate(*frame, *params, &progress);
    } else {
      auto store = ctx.open_store();
      if (!store) return;
      auto snap = snapshot::load(*store, app::impact_tables());
      if (!snap) return ctx.fail(snap.error());
      r = app::impact_from_store(**snap, *params, &progress);
    }
    if (!r) return ctx.fail(r.error());
    if (!args->report.empty()) {
      if (auto st = write_document(report::impact_report_html(*r, args->lang), args->format,
                                   args->report);
          !st.is_ok())
        return ctx.fail(st);
    }
    if (args->json) {
      std::cout << tj::to_json(*r).dump(2) << "\n";
    } else {
      print_result(*r);
    }
  });
}

}  // namespace poles::cli
