// The `poles` command line: each subcommand registers itself on the CLI11 app and returns the
// process exit code through `CommandContext::exit_code`.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace poles::cli {

struct GlobalOptions {
  std::string db = "poles.db";
  bool quiet = false;
};

struct CommandContext {
  GlobalOptions global;
  int exit_code = 0;

  // Opens the store named by --db; on failure prints the error and sets exit_code.
  std::unique_ptr<store::Store> open_store();
  // Prints a failed Status to stderr (every field error on its own line) and records the exit code.
  void fail(const Status& s);
};

void add_import_export(CLI::App& app, CommandContext& ctx);
void add_info(CLI::App& app, CommandContext& ctx);
void add_external_imports(CLI::App& app, CommandContext& ctx);
void add_demo(CLI::App& app, CommandContext& ctx);
void add_serve(CLI::App& app, CommandContext& ctx);
void add_config(CLI::App& app, CommandContext& ctx);
void add_backup(CLI::App& app, CommandContext& ctx);
void add_user(CLI::App& app, CommandContext& ctx);
void add_network(CLI::App& app, CommandContext& ctx);
void add_select(CLI::App& app, CommandContext& ctx);
void add_factory(CLI::App& app, CommandContext& ctx);
void add_evaluate(CLI::App& app, CommandContext& ctx);
void add_impact(CLI::App& app, CommandContext& ctx);
void add_access(CLI::App& app, CommandContext& ctx);
void add_secrecy(CLI::App& app, CommandContext& ctx);
void add_census(CLI::App& app, CommandContext& ctx);
void add_resolve(CLI::App& app, CommandContext& ctx);

// A progress bar on stderr, drawn only when stderr is a terminal and the work is large.
class ProgressBar {
 public:
  enum class Unit { kBytes, kRows };
  ProgressBar(std::string label, uint64_t total, Unit unit = Unit::kBytes);
  ~ProgressBar();
  void update(uint64_t done);
  void finish();

 private:
  std::string label_;
  uint64_t total_;
  Unit unit_;
  bool enabled_;
  int last_percent_ = -1;
  double start_;
};

}  // namespace poles::cli
