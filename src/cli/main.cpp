// poles: the command line of the observatory. Thin: parse, call the libraries, format.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"

int main(int argc, char** argv) {
  poles::cli::CommandContext ctx;
  CLI::App app{"Pôles — observatory and steering system for France's competitiveness clusters"};
  app.set_version_flag("--version", "poles " POLES_VERSION_STRING);
  app.require_subcommand(1);
  app.add_option("--db", ctx.global.db,
                 "Store: a SQLite file (default poles.db) or postgresql://user@host:port/db")
      ->capture_default_str();
  app.add_flag("-q,--quiet", ctx.global.quiet, "Print only errors");
  app.fallthrough();
  poles::cli::add_import_export(app, ctx);
  poles::cli::add_info(app, ctx);
  poles::cli::add_external_imports(app, ctx);
  poles::cli::add_demo(app, ctx);
  poles::cli::add_serve(app, ctx);
  poles::cli::add_config(app, ctx);
  poles::cli::add_backup(app, ctx);
  poles::cli::add_user(app, ctx);
  poles::cli::add_network(app, ctx);
  poles::cli::add_select(app, ctx);
  poles::cli::add_factory(app, ctx);
  poles::cli::add_evaluate(app, ctx);
  poles::cli::add_impact(app, ctx);
  poles::cli::add_access(app, ctx);
  poles::cli::add_secrecy(app, ctx);
  poles::cli::add_census(app, ctx);
  poles::cli::add_resolve(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 1;  // usage errors exit 1
  } catch (const std::exception& e) {
    std::fprintf(stderr, "poles: internal error: %s\n", e.what());
    return 3;
  }
  return ctx.exit_code;
}
