#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "core/date.h"
#include "import/exporter.h"
#include "import/external.h"
#include "import/importer.h"
#include "import/mapping.h"
#include "snapshot/loader.h"

namespace poles::cli {
namespace {

std::string entity_list() {
  std::string out;
  for (const auto& e : schema::entities()) out += (out.empty() ? "" : ", ") + std::string(e.name);
  return out;
}

std::vector<std::string> entity_names() {
  std::vector<std::string> out;
  for (const auto& e : schema::entities()) out.emplace_back(e.name);
  return out;
}

const schema::Entity* entity_or_fail(const std::string& name, CommandContext& ctx) {
  const schema::Entity* e = schema::find_entity(name);
  if (e == nullptr)
    ctx.fail(Status::invalid_argument(
        fmt::format("unknown entity '{}' (one of: {})", name, entity_list())));
  return e;
}

template <typename Args>
void run_mapped_import(const Args& args, CommandContext& ctx) {
  std::map<std::string, std::string> params;
  for (const auto& p : args.params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      ctx.fail(Status::invalid_argument(fmt::format("--param '{}': expected NAME=VALUE", p)));
      return;
    }
    params[p.substr(0, eq)] = p.substr(eq + 1);
  }
  auto mapping = import::read_mapping(args.mapping, params);
  if (!mapping.has_value()) {
    ctx.fail(mapping.error());
    return;
  }
  if (!args.separator.empty())
    mapping->delimiter = args.separator == "tab" ? '\t' : args.separator[0];
  auto store = ctx.open_store();
  if (!store) return;
  import::MappedImportOptions opt;
  opt.dry_run = args.dry_run;
  if (args.skip_invalid) opt.skip_invalid = true;
  opt.preview_rows = args.preview;
  opt.snapshot_date = args.snapshot;
  opt.max_errors = args.max_errors;
  opt.actor = "cli";
  const std::string& file = args.operands[0];
  auto report = import::import_mapped_file(*store, *mapping, file, opt);
  if (!report.has_value()) {
    ctx.fail(report.error());
    return;
  }
  if (ctx.global.quiet) return;
  const auto& r = *report;
  for (const auto& row : r.preview) {
    std::string line = fmt::format("{} (row {}):", row.entity, row.line);
    for (const auto& [field, value] : row.values)
      if (!value.empty()) line += fmt::format(" {}={}", field, value);
    std::cout << line << "\n";
  }
  std::cout << fmt::format("{} {}{}: {} rows read, {} accepted, {} refused{}\n",
                           r.dry_run ? "validated (nothing written)" : "imported", file,
                           r.sheet.empty() ? "" : " (sheet " + r.sheet + ")", r.source_rows,
                           r.accepted_rows, r.rejected_lines.size(),
                           r.blank_rows > 0 ? fmt::format(", {} blank", r.blank_rows) : "");
  if (r.snapshot_withheld)
    std::cout << fmt::format(
        "  the snapshot of {} is not applied: {} rows are refused, and a member among them would "
        "be ended; correct them and import again\n",
        args.snapshot, r.rejected_lines.size());
  else if (!args.snapshot.empty())
    std::cout << fmt::format("  {} memberships absent from the snapshot of {} {}\n", r.ended,
                             args.snapshot, r.dry_run ? "would be ended" : "ended");
  for (const auto& [entity, c] : r.counts)
    std::cout << fmt::format("  {}: {} rows ({} inserted, {} updated, {} unchanged)\n", entity,
                             c.rows, c.inserted, c.updated, c.unchanged);
  for (const auto& e : r.errors) std::cout << "  refused: " << e.format() << "\n";
  if (r.total_errors > static_cast<int64_t>(r.errors.size()))
    std::cout << fmt::format("  … and {} more\n",
                             r.total_errors - static_cast<int64_t>(r.errors.size()));
  if (!r.unused_columns.empty()) {
    std::string cols;
    for (const auto& col : r.unused_columns) cols += (cols.empty() ? "" : ", ") + col;
    std::cout << "columns not mapped: " << cols << "\n";
  }
}

// The rows described by an import (ImportOptions::describe): "+" inserted, "~" updated with
// each field's before and after, "-" deleted.
void print_changes(const import::ImportReport& r) {
  const auto text = [](const std::optional<std::string>& v) {
    return v ? fmt::format("'{}'", *v) : std::string("(empty)");
  };
  for (const auto& c : r.changes) {
    const char mark = c.kind == import::RowChange::Kind::kInserted  ? '+'
                      : c.kind == import::RowChange::Kind::kUpdated ? '~'
                                                                    : '-';
    std::string fields;
    for (const auto& f : c.fields) {
      fields += fields.empty() ? "" : "; ";
      fields +=
          c.kind == import::RowChange::Kind::kUpdated
              ? fmt::format("{} {} -> {}", f.name, text(f.before), text(f.after))
              : fmt::format("{} {}", f.name,
                            text(c.kind == import::RowChange::Kind::kDeleted ? f.before : f.after));
    }
    std::cout << fmt::format("{} {} '{}'{}: {}\n", mark, c.entity, c.key,
                             c.line > 0 ? fmt::format(" (line {})", c.line) : " (not in the file)",
                             fields);
  }
  if (r.changes_truncated)
    std::cout << fmt::format("… more rows change than the {} described (--preview N)\n",
                             r.changes.size());
}

}  // namespace

void add_import_export(CLI::App& app, CommandContext& ctx) {
  struct ImportArgs {
    std::vector<std::string> operands;
    std::string entity, file, separator, snapshot, mapping, mode = "upsert";
    std::vector<std::string> params, scope;
    bool dry_run = false, skip_invalid = false;
    int max_errors = 100, preview = -1;
  };
  auto args = std::make_shared<ImportArgs>();
  CLI::App* imp = app.add_subcommand(
      "import",
      "Import a CSV file of one entity (all or nothing), or any CSV or XLSX file through a "
      "column mapping (--mapping)");
  imp->add_option("operands", args->operands,
                  "ENTITY FILE (a CSV in the entity's schema; entities: " + entity_list() +
                      "), or FILE with --mapping (CSV or XLSX)")
      ->required()
      ->expected(1, 2);
  imp->add_flag("--dry-run", args->dry_run, "Validate against the store, then roll back");
  imp->add_option("--max-errors", args->max_errors, "Errors listed at most")->capture_default_str();
  imp->add_option("--separator", args->separator, "Force the separator (',' ';' or 'tab')");
  imp->add_option("--snapshot", args->snapshot,
                  "Memberships: the file lists every member of its clusters on this date "
                  "(YYYY-MM-DD); the others still running then are ended the day before");
  imp->add_option("--mapping", args->mapping,
                  "A mapping file (TOML, docs/real-data.md): which column or constant gives each "
                  "field of which entities, with normalisers and label dictionaries")
      ->check(CLI::ExistingFile);
  imp->add_option("--param", args->params,
                  "With --mapping: NAME=VALUE for the mapping's {$NAME} (repeatable)");
  imp->add_flag("--skip-invalid", args->skip_invalid,
                "With --mapping: write the valid rows and report every refused row with its "
                "reasons (default: all or nothing)");
  imp->add_option("--preview", args->preview,
                  "With --mapping: show the first N mapped rows and every row that would be "
                  "refused; nothing is written. Without: describe, field by field, the first N "
                  "rows inserted, updated or deleted (default 20 with --dry-run, else 0)");
  imp->add_option("--mode", args->mode,
                  "How the file meets stored rows of the same key: upsert (the file's columns "
                  "change, the others are kept), insert-only (stored rows are left as they are) "
                  "or replace (the file is the whole record of --scope: rows replaced whole, the "
                  "scope's rows it does not list deleted)")
      ->check(CLI::IsMember({"upsert", "insert-only", "replace"}))
      ->capture_default_str();
  imp->add_option("--scope", args->scope,
                  "With --mode replace: FIELD=VALUE, the rows the file is the record of "
                  "(repeatable: all must hold)");
  imp->callback([args, &ctx] {
    // Usage errors (exit 1, as CLI11's own checks): the operands, the entity, the file.
    const auto usage = [](const std::string& why) { throw CLI::ValidationError("import", why); };
    if (!args->mapping.empty() && args->operands.size() != 1)
      usage("with --mapping, give the file to import only");
    if (args->mapping.empty() && args->operands.size() != 2)
      usage("give the entity and the file (or --mapping MAPPING.toml FILE)");
    if (args->mapping.empty() && schema::find_entity(args->operands[0]) == nullptr)
      usage(fmt::format("unknown entity '{}' (one of: {})", args->operands[0], entity_list()));
    if (!std::filesystem::is_regular_file(args->operands.back()))
      usage(fmt::format("no such file '{}'", args->operands.back()));
    if (!args->mapping.empty() && (args->mode != "upsert" || !args->scope.empty()))
      usage("--mode and --scope apply to an entity's file, not to a mapping");
    if (!args->mapping.empty()) {
      if (args->preview < 0) args->preview = 0;
      run_mapped_import(*args, ctx);
      return;
    }
    args->entity = args->operands[0];
    args->file = args->operands[1];
    const schema::Entity* e = entity_or_fail(args->entity, ctx);
    if (e == nullptr) return;
    auto store = ctx.open_store();
    if (!store) return;
    import::ImportOptions opt;
    opt.max_errors = args->max_errors;
    opt.dry_run = args->dry_run;
    opt.actor = "cli";
    opt.snapshot_date = args->snapshot;
    opt.mode = *import::parse_import_mode(args->mode);
    opt.scope = args->scope;
    opt.describe = args->preview >= 0 ? args->preview : (args->dry_run ? 20 : 0);
    if (!args->separator.empty())
      opt.delimiter = args->separator == "tab" ? '\t' : args->separator[0];
    std::error_code ec;
    const auto size = std::filesystem::file_size(args->file, ec);
    ProgressBar bar("import " + args->entity, ec ? 0 : size);
    opt.progress = [&bar](uint64_t done) { bar.update(done); };
    const auto start = std::chrono::steady_clock::now();
    auto report = import::import_csv_file(*store, *e, args->file, opt);
    bar.finish();
    if (!report.has_value()) {
      ctx.fail(report.error());
      return;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto& c = report->counts;
    if (!ctx.global.quiet) {
      std::cout << fmt::format(
          "{} {}: {} rows ({} inserted, {} updated, {} unchanged{}) in {:.2f} s{}\n",
          report->dry_run ? "validated (dry run, nothing written)" : "imported", args->file, c.rows,
          c.inserted, c.updated, c.unchanged,
          opt.mode == import::ImportMode::kReplace
              ? fmt::format("; {} {}", c.deleted, report->dry_run ? "would be deleted" : "deleted")
              : "",
          seconds,
          c.rows > 0 && seconds > 0
              ? fmt::format(", {:.0f} rows/s", static_cast<double>(c.rows) / seconds)
              : "");
      if (!args->snapshot.empty())
        std::cout << fmt::format(
            "{} memberships absent from the snapshot of {} {} on {}\n", report->ended,
            args->snapshot, report->dry_run ? "would be ended" : "ended",
            Date::from_days(Date::parse(args->snapshot)->to_days() - 1).to_string());
      if (!report->ignored_columns.empty()) {
        std::string cols;
        for (const auto& col : report->ignored_columns) cols += (cols.empty() ? "" : ", ") + col;
        std::cout << "ignored columns: " << cols << "\n";
      }
      print_changes(*report);
    }
  });

  struct ExportArgs {
    std::string entity, format = "csv", output;
  };
  auto ex = std::make_shared<ExportArgs>();
  CLI::App* exp = app.add_subcommand("export", "Export one entity as CSV, JSON or XLSX");
  exp->add_option("entity", ex->entity, "Entity: " + entity_list())
      ->required()
      ->check(CLI::IsMember(entity_names()));
  exp->add_option("--format", ex->format, "csv, json or xlsx")->capture_default_str();
  exp->add_option("-o,--output", ex->output,
                  "Output file (default: standard output; required for xlsx)");
  exp->callback([ex, &ctx] {
    const schema::Entity* e = entity_or_fail(ex->entity, ctx);
    if (e == nullptr) return;
    auto format = import::parse_export_format(ex->format);
    if (!format.has_value()) {
      ctx.fail(format.error());
      return;
    }
    auto store = ctx.open_store();
    if (!store) return;
    auto n = ex->output.empty() || ex->output == "-"
                 ? import::export_stream(*store, *e, *format, std::cout)
                 : import::export_file(*store, *e, *format, ex->output);
    if (!n.has_value()) {
      ctx.fail(n.error());
      return;
    }
    if (!ex->output.empty() && ex->output != "-" && !ctx.global.quiet) {
      std::cerr << fmt::format("exported {} rows of {} to {}\n", *n, ex->entity, ex->output);
    }
  });
}

void add_external_imports(CLI::App& app, CommandContext& ctx) {
  struct Args {
    std::string file, projects, organisations;
    bool dry_run = false, all_countries = false;
  };
  auto args = std::make_shared<Args>();
  auto report = [&ctx](const Result<import::ExternalReport>& r) {
    if (!r.has_value()) return ctx.fail(r.error());
    if (ctx.global.quiet) return;
    std::cout << fmt::format("{}: {} records read, {} left out\n",
                             r->load.dry_run ? "validated (dry run, nothing written)" : "imported",
                             r->records, r->skipped);
    for (const auto& w : r->warnings) std::cout << "warning: " << w << "\n";
    for (const auto& [entity, c] : r->load.entities) {
      std::cout << fmt::format("  {}: {} rows ({} inserted, {} updated, {} unchanged)\n", entity,
                               c.rows, c.inserted, c.updated, c.unchanged);
    }
  };
  CLI::App* sirene = app.add_subcommand(
      "import-sirene", "Import organisations from a SIRENE StockEtablissement CSV (INSEE)");
  sirene->add_option("file", args->file, "SIRENE CSV")->required()->check(CLI::ExistingFile);
  sirene->add_flag("--dry-run", args->dry_run, "Validate against the store, then roll back");
  sirene->callback([args, report, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    import::ExternalImportOptions o;
    o.dry_run = args->dry_run;
    o.actor = "cli";
    report(import::import_sirene(*store, args->file, o));
  });
  struct Fp7Args {
    std::string organisations, projects, facts;
    bool dry_run = false, all_countries = false;
  };
  auto fp7_args = std::make_shared<Fp7Args>();
  CLI::App* fp7 = app.add_subcommand(
      "import-cordis-fp7",
      "Import CORDIS FP7 organisations (French by default) and, optionally, projects");
  fp7->add_option("--organisations", fp7_args->organisations, "organisation table (CSV or .csv.gz)")
      ->required()
      ->check(CLI::ExistingFile);
  auto* projects_opt =
      fp7->add_option("--projects", fp7_args->projects, "project table")->check(CLI::ExistingFile);
  fp7->add_option("--facts", fp7_args->facts,
                  "project facts table (programme, dates, cost, EU contribution)")
      ->check(CLI::ExistingFile)
      ->needs(projects_opt);
  projects_opt->needs("--facts");
  fp7->add_flag("--all-countries", fp7_args->all_countries,
                "Keep organisations from every country");
  fp7->add_flag("--dry-run", fp7_args->dry_run, "Validate against the store, then roll back");
  fp7->callback([fp7_args, report, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    import::ExternalImportOptions o;
    o.dry_run = fp7_args->dry_run;
    o.all_countries = fp7_args->all_countries;
    o.actor = "cli";
    report(import::import_cordis_fp7(*store, fp7_args->organisations, fp7_args->projects,
                                     fp7_args->facts, o));
  });
  struct GeoArgs {
    std::string file, level;
    bool dry_run = false;
  };
  auto geo_args = std::make_shared<GeoArgs>();
  CLI::App* geo = app.add_subcommand(
      "import-geo", "Import region or department names and boundaries from GeoJSON");
  geo->add_option("--level", geo_args->level, "region or department")
      ->required()
      ->check(CLI::IsMember({"region", "department"}));
  geo->add_option("file", geo_args->file, "GeoJSON FeatureCollection (properties code, nom)")
      ->required()
      ->check(CLI::ExistingFile);
  geo->add_flag("--dry-run", geo_args->dry_run, "Validate against the store, then roll back");
  geo->callback([geo_args, report, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    import::ExternalImportOptions o;
    o.dry_run = geo_args->dry_run;
    o.actor = "cli";
    report(import::import_geojson(*store, geo_args->file, geo_args->level, o));
  });
  auto communes_args = std::make_shared<GeoArgs>();
  CLI::App* communes = app.add_subcommand(
      "import-communes",
      "Import the communes of INSEE's official geographic code with their postcodes "
      "(data/communes.json of @etalab/decoupage-administratif)");
  communes->add_option("file", communes_args->file, "communes.json")
      ->required()
      ->check(CLI::ExistingFile);
  communes->add_flag("--dry-run", communes_args->dry_run,
                     "Validate against the store, then roll back");
  communes->callback([communes_args, report, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    import::ExternalImportOptions o;
    o.dry_run = communes_args->dry_run;
    o.actor = "cli";
    report(import::import_communes(*store, communes_args->file, o));
  });
  CLI::App* cordis = app.add_subcommand("import-cordis",
                                        "Import CORDIS projects (FP7, H2020, Horizon Europe; "
                                        "current or older layout) with their French participants");
  cordis->add_option("--projects", args->projects, "CORDIS project.csv")
      ->required()
      ->check(CLI::ExistingFile);
  cordis->add_option("--organisations", args->organisations, "CORDIS organization.csv")
      ->required()
      ->check(CLI::ExistingFile);
  cordis->add_flag("--all-countries", args->all_countries, "Keep participants from every country");
  cordis->add_flag("--dry-run", args->dry_run, "Validate against the store, then roll back");
  cordis->callback([args, report, &ctx] {
    auto store = ctx.open_store();
    if (!store) return;
    import::ExternalImportOptions o;
    o.dry_run = args->dry_run;
    o.all_countries = args->all_countries;
    o.actor = "cli";
    report(import::import_cordis(*store, args->projects, args->organisations, o));
  });
}

void add_info(CLI::App& app, CommandContext& ctx) {
  CLI::App* info = app.add_subcommand("info", "Show the store: backend, versions, row counts");
  auto timing = std::make_shared<bool>(false);
  info->add_flag("--timing", *timing,
                 "Also load the snapshot (through its cache file) and tell how long it took");
  info->callback([&ctx, timing] {
    auto store = ctx.open_store();
    if (!store) return;
    std::cout << fmt::format("store: {} ({})\n", store->url(),
                             store->backend() == store::Backend::kSqlite ? "SQLite" : "PostgreSQL");
    std::cout << fmt::format(
        "schema version: {}\ndata version: {}\n",
        store->schema_version().status().is_ok() ? *store->schema_version() : -1,
        store->data_version().has_value() ? *store->data_version() : 0);
    if (*timing) {
      snapshot::LoadReport report;
      snapshot::LoadOptions options;
      options.report = &report;
      auto snap = snapshot::load(*store, options);
      if (!snap) return ctx.fail(snap.error());
      std::cout << fmt::format(
          "snapshot load: {:.3f} s ({} tables from the cache file, {} from the store)\n",
          report.seconds, report.tables_from_file, report.tables_from_store);
      std::cout << fmt::format(
          "snapshot cache file: {}{}\n", report.file.empty() ? "none" : report.file,
          report.wrote_file ? fmt::format(" (written in {:.3f} s)", report.write_seconds) : "");
      if (!report.note.empty()) std::cout << fmt::format("snapshot cache note: {}\n", report.note);
    }
    for (const auto& e : schema::entities()) {
      auto n = store->count(e);
      if (!n.has_value()) {
        ctx.fail(n.error());
        return;
      }
      std::cout << fmt::format("{:<20} {:>12}\n", e.name, *n);
    }
  });

  CLI::App* sch =
      app.add_subcommand("schema", "Print the import schema of every entity (Markdown)");
  sch->callback([] { std::cout << schema::markdown_reference(); });
}

}  // namespace poles::cli
