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

const std::vector<std::pair<const char*, const char*>> kImpactOptions = {
    {"estimator",
     "did (default: Callaway & Sant'Anna), ols (fixed effects), event (event study) or match"},
    {"outcome", "Outcome column, or log(col) / log1p(col) (store default: log(rd_spending))"},
    {"unit", "Unit identifier column (store: firm)"},
    {"time", "Period column (store: year)"},
    {"group", "First treated period column, 0 = never (store: by --treatment)"},
    {"covariates",
     "Comma-separated covariates (DiD: at the base period; matching: the score model)"},
    {"control", "did: never (default) or notyet"},
    {"base", "did: varying (default) or universal base period"},
    {"method", "did: dr (default), reg or ipw; match: nearest (default), exact or cem"},
    {"anticipation", "did: periods of anticipation (default 0)"},
    {"balance_e", "did: dynamic aggregation on cohorts observed this many periods after treatment"},
    {"bootstrap", "did: multiplier bootstrap draws (default 999; 0 = analytic errors)"},
    {"seed", "Seed of the bootstrap (default 1)"},
    {"alpha", "Significance level (default 0.05)"},
    {"x", "ols: comma-separated regressors"},
    {"fe", "ols: comma-separated fixed effects"},
    {"cluster", "ols: one or two cluster variables"},
    {"vcov", "ols: iid, hetero or cluster (default: cluster when --cluster is given)"},
    {"weights", "Weights column"},
    {"keep_singletons", "ols: 1 to keep the singletons of the fixed effects (default 0)"},
    {"leads", "event: leads (default 5)"},
    {"lags", "event: lags (default 5)"},
    {"reference", "event: reference event time (default -1)"},
    {"treat", "match: 0/1 treatment column"},
    {"ratio", "match: controls per treated unit (default 1)"},
    {"replace", "match: 1 to match with replacement"},
    {"caliper", "match: caliper in standard deviations of the distance"},
    {"distance", "match: logit (default) or ps"},
    {"treatment", "store: membership (default) or funded (first aided project)"},
    {"sample", "store: direct (default), all, or spillover (non-members by exposure)"},
    {"exposure", "store, spillover: zone_sector (default) or network"},
    {"cohort", "store, match: the entry year matched (default 2010)"},
    {"horizon", "store, match: years after entry of the outcome change (default 3)"},
};

struct ImpactArgs {
  std::map<std::string, std::string> values;
  std::string data, report, format = "html", lang = "fr";
  bool json = false;
};

void print_result(const Json& r) {
  const std::string est = r["estimator"];
  if (est == "did") {
    Json rows = Json::array();
    for (const auto& [name, a] : r["aggregations"].items()) {
      rows.push_back(Json{{"aggregation", name},
                          {"att", a["estimate"]},
                          {"se", a["se"]},
                          {"ci_low", a["ci_low"]},
                          {"ci_high", a["ci_high"]}});
    }
    std::cout << "outcome: " << r["outcome"].get<std::string>() << "\nunits: " << r["data"]["units"]
              << " (dropped " << r["data"]["dropped_units"]
              << ")\npre-test of parallel trends: p = " << r["pretest"]["p"] << "\n\n";
    print_table(rows);
    std::cout << "\ndynamic (event time):\n";
    print_table(r["aggregations"]["dynamic"]["terms"]);
    std::cout << "\nby cohort:\n";
    print_table(r["aggregations"]["group"]["terms"]);
  } else if (est == "ols") {
    Json head = r;
    head.erase("coefficients");
    print_object(head);
    std::cout << "\n";
    print_table(r["coefficients"]);
  } else if (est == "event") {
    std::cout << "pre-trend: F = " << r["pretrend"]["f"] << ", p = " << r["pretrend"]["p"]
              << "\n\n";
    print_table(r["terms"]);
  } else {
    Json head = r;
    head.erase("balance");
    print_object(head);
    std::cout << "\nbalance:\n";
    print_table(r["balance"]);
  }
}

}  // namespace

void add_impact(CLI::App& app, CommandContext& ctx) {
  CLI::App* cmd = app.add_subcommand(
      "impact",
      "Impact of the policy on firms: staggered DiD, fixed-effects OLS, event study, matching");
  auto args = std::make_shared<ImpactArgs>();
  for (const auto& [opt, help] : kImpactOptions)
    cmd->add_option(fmt::format("--{}", opt), args->values[opt], help);
  cmd->add_option("--data", args->data,
                  "A CSV or Stata (.dta) file to use instead of the store's firm panel (one row "
                  "per unit and period)");
  cmd->add_flag("--json", args->json, "Print JSON instead of tables");
  cmd->add_option("--report", args->report, "Also write the impact report to this file");
  cmd->add_option("--format", args->format, "Report format: html (default) or pdf");
  cmd->add_option("--lang", args->lang, "Report language: fr (default) or en");
  cmd->callback([&ctx, args] {
    app::Params params;
    for (const auto& [k, v] : args->values) {
      if (!v.empty()) params[k] = v;
    }
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
    Result<Json> r = Status::internal("unset");
    if (!args->data.empty()) {
      auto frame = impact::read_data(args->data);
      if (!frame) return ctx.fail(frame.error());
      r = app::impact_estimate(*frame, params, &progress);
    } else {
      auto store = ctx.open_store();
      if (!store) return;
      auto snap = snapshot::load(*store, app::impact_tables());
      if (!snap) return ctx.fail(snap.error());
      r = app::impact_from_store(**snap, params, &progress);
    }
    if (!r) return ctx.fail(r.error());
    if (!args->report.empty()) {
      if (auto st = write_document(report::impact_report_html(*r, args->lang), args->format,
                                   args->report);
          !st.is_ok())
        return ctx.fail(st);
    }
    if (args->json) {
      std::cout << r->dump(2) << "\n";
    } else {
      print_result(*r);
    }
  });
}

}  // namespace poles::cli
