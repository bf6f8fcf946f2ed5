// `poles demo`: fills an empty store with the synthetic ecosystem.
#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "cli/commands.h"
#include "demo/load.h"

namespace poles::cli {

void add_demo(CLI::App& app, CommandContext& ctx) {
  struct Args {
    uint64_t seed = 2026;
    std::string scale = "france";
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Fill an empty store with the synthetic demo ecosystem (docs/demo-data.md)");
  cmd->add_option("--seed", args->seed, "Random seed (same seed, same data)")
      ->capture_default_str();
  cmd->add_option("--scale", args->scale,
                  "small, france (71 clusters, ~2.4 M panel rows) or national (benchmarks)")
      ->check(CLI::IsMember({"small", "france", "national"}))
      ->capture_default_str();
  cmd->callback([args, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    demo::Options opt;
    opt.seed = args->seed;
    opt.scale = *demo::parse_scale(args->scale);
    const demo::Plan plan = demo::plan_for(opt.scale);
    const uint64_t expected = static_cast<uint64_t>(plan.companies) *
                              static_cast<uint64_t>(plan.non_member_ratio + 1) *
                              static_cast<uint64_t>(plan.last_year - plan.first_year + 1);
    ProgressBar bar("demo " + args->scale, expected, ProgressBar::Unit::kRows);
    demo::LoadOptions load;
    load.progress = [&bar](int64_t rows) { bar.update(static_cast<uint64_t>(rows)); };
    const auto start = std::chrono::steady_clock::now();
    auto report = demo::generate_into(*store, opt, load);
    bar.finish();
    if (!report.has_value()) {
      ctx.fail(report.error());
      return;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!ctx.global.quiet) {
      int64_t total = 0;
      for (const auto& [name, c] : report->entities) {
        std::cout << fmt::format("{:>20} {:>10}\n", name, c.rows);
        total += c.rows;
      }
      std::cout << fmt::format("demo ({} scale, seed {}): {} rows in {:.1f} s\n", args->scale,
                               args->seed, total, seconds);
    }
  });
}

}  // namespace poles::cli
