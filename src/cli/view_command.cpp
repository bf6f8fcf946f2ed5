#include "cli/view_command.h"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "cli/print.h"
#include "report/pdf.h"
#include "snapshot/loader.h"

namespace poles::cli {

namespace {

void run(CommandContext& ctx, const std::vector<std::string_view>& tables, ViewArgs& a,
         const ViewFn& fn) {
  auto store = ctx.open_store();
  if (!store) return;
  a.store = store.get();
  auto snap = snapshot::load(*store, tables);
  if (!snap) return ctx.fail(snap.error());
  auto j = fn(**snap, a);
  if (!j) return ctx.fail(j.error());
  if (a.json) {
    std::cout << j->dump(2) << "\n";
    return;
  }
  Json head = *j;
  if (!a.table.empty() && j->contains(a.table)) head.erase(a.table);
  print_object(head);
  if (!a.table.empty() && j->contains(a.table)) {
    std::cout << "\n" << a.table << ":\n";
    print_table((*j)[a.table]);
  }
}

}  // namespace

Status as_options(const Status& s) {
  std::vector<FieldError> errors;
  for (auto fe : s.field_errors()) {
    if (fe.file == "query") {
      fe.file.clear();
      fe.field = "--" + fe.field;
    }
    errors.push_back(std::move(fe));
  }
  return errors.empty() ? s : Status::bad_input(std::move(errors));
}

CLI::App* view_command(CLI::App* parent, CommandContext& ctx, ViewSpec spec, const ViewFn& fn) {
  auto args = std::make_shared<ViewArgs>();
  args->table = spec.table;
  CLI::App* cmd = parent->add_subcommand(spec.name, spec.help);
  if (spec.id.first != nullptr)
    cmd->add_option(spec.id.first, args->id, spec.id.second)->required();
  auto values = std::make_shared<std::map<std::string, std::string>>();
  for (const auto& p : spec.params) {
    cmd->add_option(fmt::format("--{}", p.name), (*values)[p.name], app::describe(p));
  }
  for (const auto& [opt, text] : spec.options)
    cmd->add_option(fmt::format("--{}", opt), (*values)[opt], text);
  cmd->add_flag("--json", args->json, "Print JSON instead of tables");
  if (spec.record.first != nullptr) {
    cmd->add_flag(spec.record.first, args->record, spec.record.second);
    cmd->add_flag_callback(
        "--replace", [values] { (*values)["replace"] = "true"; },
        "Replace what is already recorded");
    cmd->add_option("--date", (*values)["date"], "Date recorded (default: today)");
  }
  cmd->callback(
      [&ctx, args, values, fn, tables = std::move(spec.tables), specs = std::move(spec.params)] {
        for (const auto& [k, v] : *values) {
          if (!v.empty()) args->params[k] = v;
        }
        if (!specs.empty()) {
          // The same checks as the API's: every bad value reported at once.
          app::ParamSpecs all = specs;
          if (args->params.contains("replace") || args->params.contains("date"))
            all = app::recording_params(specs);
          auto parsed = app::parse(all, args->params);
          if (!parsed) return ctx.fail(as_options(parsed.error()));
          args->args = std::move(*parsed);
          args->params = args->args.values();
        }
        run(ctx, tables, *args, fn);
      });
  return cmd;
}

Status check_document(const std::string& format, const std::string& lang) {
  if (format != "html" && format != "pdf")
    return Status::invalid_argument(fmt::format("--format '{}': must be html or pdf", format));
  if (lang != "fr" && lang != "en")
    return Status::invalid_argument(fmt::format("--lang '{}': must be fr or en", lang));
  return Status::ok();
}

Status write_document(const std::string& html, const std::string& format, const std::string& out) {
  if (format == "pdf") return report::html_to_pdf(html, out);
  std::ofstream f(out, std::ios::binary);
  f << html;
  if (!f) return Status::invalid_argument(fmt::format("--output '{}': cannot write the file", out));
  return Status::ok();
}

}  // namespace poles::cli
