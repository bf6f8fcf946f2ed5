// `poles import-sirene-stock`, `poles resolve-siren` and `poles resolve-siren-decide`: INSEE's
// legal units as a reference, organisations without SIREN matched against it, and a person's
// decision on one of them (import/resolve.h; docs/real-data.md, "Matching organisations to
// SIREN"); `poles merge-organisations`: a duplicate merged into the organisation kept
// (import/merge.h).
#include "import/resolve.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "import/merge.h"

namespace poles::cli {

void add_resolve(CLI::App& app, CommandContext& ctx) {
  struct StockArgs {
    std::string legal_units, establishments;
    bool dry_run = false;
  };
  auto stock = std::make_shared<StockArgs>();
  CLI::App* load = app.add_subcommand("import-sirene-stock",
                                      "Load INSEE's legal units (StockUniteLegale, CSV, .gz or "
                                      ".zip) as the reference for matching");
  load->add_option("--legal-units", stock->legal_units, "StockUniteLegale file")
      ->required()
      ->check(CLI::ExistingFile);
  load->add_option("--establishments", stock->establishments,
                   "StockEtablissement file (the head offices' postcode and commune)")
      ->check(CLI::ExistingFile);
  load->add_flag("--dry-run", stock->dry_run, "Read and check, then roll back");
  load->callback([stock, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto r = import::load_sirene_stock(*store, stock->legal_units, stock->establishments,
                                       stock->dry_run);
    if (!r.has_value()) return ctx.fail(r.error());
    if (ctx.global.quiet) return;
    std::cout << fmt::format(
        "{}: {} legal units read, {} stored, {} left out (natural persons, units not open to "
        "publication, invalid SIREN), {} with their head office\n",
        stock->dry_run ? "checked (dry run, nothing written)" : "loaded", r->records, r->stored,
        r->skipped, r->head_offices);
  });

  struct ResolveArgs {
    import::MatchOptions options;
    bool dry_run = false, json = false;
  };
  auto res = std::make_shared<ResolveArgs>();
  CLI::App* resolve = app.add_subcommand(
      "resolve-siren", "Match organisations without SIREN to SIRENE's legal units");
  resolve
      ->add_option("--accept", res->options.accept,
                   "Score from which the best candidate is accepted automatically")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  resolve
      ->add_option("--margin", res->options.margin,
                   "Lead over the next candidate needed to accept automatically")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  resolve
      ->add_option("--review", res->options.review,
                   "Score from which a candidate is proposed for review")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  resolve->add_flag("--dry-run", res->dry_run, "Match and report, then roll back");
  resolve->add_flag("--json", res->json, "Print the counts as JSON");
  resolve->callback([res, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto r = import::resolve_organisations(*store, res->options, res->dry_run, "cli");
    if (!r.has_value()) return ctx.fail(r.error());
    if (res->json) {
      std::cout << nlohmann::json{{"organisations", r->organisations},
                                  {"accepted", r->accepted},
                                  {"review", r->review},
                                  {"none", r->none},
                                  {"kept", r->kept},
                                  {"duplicates", r->duplicates},
                                  {"size_classes", r->size_classes},
                                  {"dry_run", res->dry_run}}
                       .dump(2)
                << "\n";
      return;
    }
    if (ctx.global.quiet) return;
    std::cout << fmt::format(
        "{} organisations without SIREN: {} matched automatically, {} to review, {} without "
        "a candidate, {} already a SIREN of another organisation (to merge), {} kept as a person "
        "decided; {} size classes set from SIRENE (categorieEntreprise, "
        "trancheEffectifsUniteLegale){}\n",
        r->organisations, r->accepted, r->review, r->none, r->duplicates, r->kept, r->size_classes,
        res->dry_run ? " (dry run, nothing written)" : "");
  });

  struct DecideArgs {
    std::string organisation, siren;
    bool reject = false;
  };
  auto dec = std::make_shared<DecideArgs>();
  CLI::App* decide = app.add_subcommand(
      "resolve-siren-decide", "Accept a SIREN for an organisation, or reject its candidates");
  decide->add_option("organisation", dec->organisation, "organisation id")->required();
  auto* siren = decide->add_option("--siren", dec->siren, "the SIREN to accept");
  auto* reject = decide->add_flag("--reject", dec->reject, "reject every candidate");
  siren->excludes(reject);
  decide->callback([dec, &ctx] {
    if (dec->siren.empty() && !dec->reject)
      return ctx.fail(Status::invalid_argument("give --siren or --reject"));
    auto store = ctx.open_store();
    if (!store) return;
    if (auto s = import::decide_match(*store, dec->organisation, dec->siren, "cli"); !s.is_ok())
      return ctx.fail(s);
    if (!ctx.global.quiet)
      std::cout << (dec->reject
                        ? fmt::format("{}: candidates rejected\n", dec->organisation)
                        : fmt::format("{}: SIREN {} accepted\n", dec->organisation, dec->siren));
  });

  struct MergeArgs {
    std::string keep, drop;
  };
  auto mer = std::make_shared<MergeArgs>();
  CLI::App* merge = app.add_subcommand(
      "merge-organisations",
      "Merge a duplicate organisation into another: memberships, participations and history move, "
      "empty fields are filled, the duplicate is deleted");
  merge->add_option("keep", mer->keep, "the organisation kept")->required();
  merge->add_option("drop", mer->drop, "the duplicate, merged then deleted")->required();
  merge->callback([mer, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    auto r = import::merge_organisations(*store, mer->keep, mer->drop, "cli");
    if (!r) return ctx.fail(r.error());
    if (ctx.global.quiet) return;
    std::cout << fmt::format("{} merged into {}\n", r->dropped, r->kept);
    for (const auto& [entity, n] : r->moved)
      std::cout << fmt::format("  {}: {} moved\n", entity, n);
    for (const auto& [entity, n] : r->duplicates)
      std::cout << fmt::format("  {}: {} already the kept one's (the duplicate's dropped)\n",
                               entity, n);
    if (!r->filled.empty())
      std::cout << fmt::format("  filled from the duplicate: {}\n", fmt::join(r->filled, ", "));
  });
}

}  // namespace poles::cli
