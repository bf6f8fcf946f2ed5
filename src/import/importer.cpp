#include "import/importer.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "formats/csv.h"

namespace poles::import {

Result<ImportReport> import_csv(store::Store& store, const schema::Entity& e, std::istream& in,
                                const std::string& name, const ImportOptions& options) {
  ImportReport report;
  report.entity = std::string(e.name);
  report.file = name;
  report.dry_run = options.dry_run;

  Loader loader(store, {options.max_errors, options.dry_run, options.actor});
  std::vector<int> field_column(e.fields.size(), 0);  // field -> 1-based file column
  std::vector<int> column_field;                      // file column (0-based) -> field or -1
  bool have_header = false;
  bool header_ok = true;
  size_t width = 0;
  RowOrigin origin{name, 0, &field_column};

  const auto error = [&](int64_t line, int64_t column, std::string field, std::string value,
                         std::string rule) {
    loader.add_error({name, line, column, std::move(field), std::move(value), std::move(rule)});
  };

  formats::CsvReader reader(formats::CsvReadOptions{options.delimiter});
  const Status read = reader.read(
      in, name,
      [&](std::span<const std::string> fields, int64_t line) {
        if (!have_header) {
          have_header = true;
          width = fields.size();
          column_field.assign(fields.size(), -1);
          for (size_t c = 0; c < fields.size(); ++c) {
            const int f = schema::field_index(e, fields[c]);
            if (f < 0) {
              report.ignored_columns.push_back(fields[c]);
              continue;
            }
            if (field_column[static_cast<size_t>(f)] != 0) {
              error(line, static_cast<int64_t>(c) + 1, fields[c], fields[c],
                    fmt::format("column appears twice (also column {})",
                                field_column[static_cast<size_t>(f)]));
              header_ok = false;
              continue;
            }
            field_column[static_cast<size_t>(f)] = static_cast<int>(c) + 1;
            column_field[c] = f;
          }
          for (size_t f = 0; f < e.fields.size(); ++f) {
            if (e.fields[f].required && field_column[f] == 0) {
              error(line, 0, std::string(e.fields[f].name), "", "required column is missing");
              header_ok = false;
            }
          }
          return header_ok;
        }
        if (fields.size() != width) {
          error(
              line, 0, "", fmt::format("{} fields", fields.size()),
              fmt::format("the record has {} fields but the header has {}", fields.size(), width));
          return true;
        }
        bool cells_ok = true;
        Row row(e.fields.size());
        for (size_t c = 0; c < fields.size(); ++c) {
          const int f = column_field[c];
          if (f < 0) continue;
          const auto& field = e.fields[static_cast<size_t>(f)];
          if (auto rule = schema::parse_cell(field, fields[c], row[static_cast<size_t>(f)])) {
            error(line, static_cast<int64_t>(c) + 1, std::string(field.name), fields[c],
                  std::move(*rule));
            cells_ok = false;
          }
        }
        if (!cells_ok) return true;
        origin.line = line;
        loader.add(e, std::move(row), origin);
        return true;
      },
      options.progress ? formats::ProgressFn(options.progress) : formats::ProgressFn{});
  report.delimiter = reader.delimiter();
  if (!read.is_ok()) {
    for (const auto& fe : read.field_errors()) loader.add_error(fe);
  }
  if (!have_header && read.is_ok())
    error(1, 0, "", "", "the file is empty: a header line naming the columns is required");

  POLES_ASSIGN_OR_RETURN(LoadReport load, loader.finish(name));
  const auto it = load.entities.find(std::string(e.name));
  if (it != load.entities.end()) report.counts = it->second;
  return report;
}

Result<ImportReport> import_csv_file(store::Store& store, const schema::Entity& e,
                                     const std::string& path, const ImportOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::invalid_argument(fmt::format("cannot open '{}'", path));
  return import_csv(store, e, in, path, options);
}

}  // namespace poles::import
