#include "import/exporter.h"

#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>

#include "formats/csv.h"
#include "formats/json.h"
#include "formats/table.h"

namespace poles::import {

Result<ExportFormat> parse_export_format(const std::string& name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "json") return ExportFormat::kJson;
  if (name == "xlsx") return ExportFormat::kXlsx;
  return Status::invalid_argument(
      fmt::format("unknown export format '{}' (csv, json or xlsx)", name));
}

Result<int64_t> export_stream(store::Store& store, const schema::Entity& e, ExportFormat format,
                              std::ostream& out) {
  if (format == ExportFormat::kXlsx)
    return Status::invalid_argument("XLSX exports need an output file (--output)");
  int64_t n = 0;
  std::string line;
  if (format == ExportFormat::kCsv) {
    for (size_t i = 0; i < e.fields.size(); ++i) {
      if (i) line.push_back(',');
      line += e.fields[i].name;
    }
    out << line << '\n';
    POLES_RETURN_IF_ERROR(store.scan(e, [&](Row& row) {
      line.clear();
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) line.push_back(',');
        formats::append_csv_field(line, value_to_text(row[i]));
      }
      out << line << '\n';
      ++n;
      return Status::ok();
    }));
  } else {
    out << "[";
    POLES_RETURN_IF_ERROR(store.scan(e, [&](Row& row) {
      out << (n ? ",\n" : "\n") << formats::row_to_json(e, row).dump();
      ++n;
      return Status::ok();
    }));
    out << (n ? "\n]\n" : "]\n");
  }
  if (!out) return Status::internal("write failed");
  return n;
}

Result<int64_t> export_file(store::Store& store, const schema::Entity& e, ExportFormat format,
                            const std::string& path) {
  if (format != ExportFormat::kXlsx) {
    std::ofstream out(path, std::ios::binary);
    if (!out) return Status::invalid_argument(fmt::format("cannot write '{}'", path));
    return export_stream(store, e, format, out);
  }
  formats::Table table;
  for (const auto& f : e.fields) table.columns.emplace_back(f.name);
  POLES_RETURN_IF_ERROR(store.scan(e, [&](Row& row) {
    if (static_cast<int64_t>(table.rows.size()) >= formats::kXlsxMaxRows) {
      return Status::invalid_argument(fmt::format(
          "more than {} rows exceed the XLSX limit; export as CSV", formats::kXlsxMaxRows));
    }
    table.rows.push_back(std::move(row));
    return Status::ok();
  }));
  POLES_RETURN_IF_ERROR(formats::write_xlsx(path, {{std::string(e.name), table}}));
  return static_cast<int64_t>(table.rows.size());
}

}  // namespace poles::import
