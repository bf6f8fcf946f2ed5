// The shape shared by the analysis subcommands (select, risk, pipeline, services, foresight): an
// optional id argument, numeric or text options passed to the app layer as parameters under the
// same names as the API's, --json, an optional flag that records the result, and the result
// printed as tables (one array of the result as the main table) or as JSON.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/params.h"
#include "cli/commands.h"
#include "snapshot/snapshot.h"

namespace poles::cli {

using Json = nlohmann::ordered_json;

struct ViewArgs {
  std::string id;      // the positional argument, when the command has one
  app::Args args;      // the options checked against ViewSpec::params (every error at once)
  app::Params params;  // the same values as text (given or defaulted)
  bool json = false;
  std::string table;    // key of the array printed as the table (else the whole object)
  bool record = false;  // the recording flag, when the command has one
  store::Store* store = nullptr;
};
using ViewFn = std::function<Result<Json>(const snapshot::Snapshot&, const ViewArgs&)>;

struct ViewSpec {
  const char* name = nullptr;
  const char* help = nullptr;
  std::vector<std::string_view> tables;  // what the snapshot loads (with what they reference)
  std::pair<const char*, const char*> id{nullptr, nullptr};  // positional argument: name, help
  // The options: the use case's parameters, as the API takes them (app::ParamSpecs), each an
  // option --name with its help, bounds and default. (`options` is the older form: free text.)
  app::ParamSpecs params;
  std::vector<std::pair<const char*, const char*>> options;  // --name: help
  std::string table;
  std::pair<const char*, const char*> record{
      nullptr, nullptr};  // e.g. {"--save", help}; adds --replace, --date
};

CLI::App* view_command(CLI::App* parent, CommandContext& ctx, ViewSpec spec, const ViewFn& fn);

// The errors of parameters as the command line names them (option --year rather than query field
// 'year').
Status as_options(const Status& s);

// --format (html|pdf) and --lang (fr|en) of the report commands.
Status check_document(const std::string& format, const std::string& lang);
// Writes a report as HTML, or prints it to PDF with headless Chromium.
Status write_document(const std::string& html, const std::string& format, const std::string& out);

}  // namespace poles::cli
