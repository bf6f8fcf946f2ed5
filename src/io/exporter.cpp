#include "io/exporter.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>

#include "io/csv.h"
#include "io/json.h"

namespace poles::io {
namespace {

constexpr int64_t kXlsxMaxRows = 1048575;  // Excel's limit, less the header row

struct WorkbookCloser {
  void operator()(lxw_workbook* wb) const noexcept { workbook_close(wb); }
};

Status xlsx_error(lxw_error err, const std::string& what) {
  return Status::internal(fmt::format("{}: {}", what, lxw_strerror(err)));
}

}  // namespace

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
        append_csv_field(line, value_to_text(row[i]));
      }
      out << line << '\n';
      ++n;
      return Status::ok();
    }));
  } else {
    out << "[";
    POLES_RETURN_IF_ERROR(store.scan(e, [&](Row& row) {
      out << (n ? ",\n" : "\n") << row_to_json(e, row).dump();
      ++n;
      return Status::ok();
    }));
    out << (n ? "\n]\n" : "]\n");
  }
  if (!out) return Status::internal("write failed");
  return n;
}

Status write_xlsx(const std::string& path,
                  const std::vector<std::pair<std::string, Table>>& sheets) {
  lxw_workbook_options opts{};
  opts.constant_memory = LXW_TRUE;
  std::unique_ptr<lxw_workbook, WorkbookCloser> wb(workbook_new_opt(path.c_str(), &opts));
  if (!wb) return Status::internal(fmt::format("cannot create '{}'", path));
  lxw_format* bold = workbook_add_format(wb.get());
  format_set_bold(bold);
  for (const auto& [name, table] : sheets) {
    if (static_cast<int64_t>(table.rows.size()) > kXlsxMaxRows) {
      return Status::invalid_argument(fmt::format(
          "{} rows exceed the XLSX limit of {}; export as CSV", table.rows.size(), kXlsxMaxRows));
    }
    lxw_worksheet* ws = workbook_add_worksheet(wb.get(), name.substr(0, 31).c_str());
    if (ws == nullptr) return Status::internal(fmt::format("cannot add sheet '{}'", name));
    for (size_t c = 0; c < table.columns.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), table.columns[c].c_str(), bold);
    }
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const auto row = static_cast<lxw_row_t>(r + 1);
      for (size_t c = 0; c < table.rows[r].size(); ++c) {
        const Value& v = table.rows[r][c];
        const auto col = static_cast<lxw_col_t>(c);
        if (const auto* i = std::get_if<int64_t>(&v)) {
          worksheet_write_number(ws, row, col, static_cast<double>(*i), nullptr);
        } else if (const auto* d = std::get_if<double>(&v)) {
          worksheet_write_number(ws, row, col, *d, nullptr);
        } else if (const auto* s = std::get_if<std::string>(&v)) {
          worksheet_write_string(ws, row, col, s->c_str(), nullptr);
        }
      }
    }
  }
  const lxw_error err = workbook_close(wb.release());
  if (err != LXW_NO_ERROR) return xlsx_error(err, fmt::format("write '{}'", path));
  return Status::ok();
}

std::string to_csv(const Table& table, char delimiter) {
  std::string out;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (c) out.push_back(delimiter);
    append_csv_field(out, table.columns[c], delimiter);
  }
  out.push_back('\n');
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      if (c) out.push_back(delimiter);
      append_csv_field(out, value_to_text(row[c]), delimiter);
    }
    out.push_back('\n');
  }
  return out;
}

Result<int64_t> export_file(store::Store& store, const schema::Entity& e, ExportFormat format,
                            const std::string& path) {
  if (format != ExportFormat::kXlsx) {
    std::ofstream out(path, std::ios::binary);
    if (!out) return Status::invalid_argument(fmt::format("cannot write '{}'", path));
    return export_stream(store, e, format, out);
  }
  Table table;
  for (const auto& f : e.fields) table.columns.emplace_back(f.name);
  POLES_RETURN_IF_ERROR(store.scan(e, [&](Row& row) {
    if (static_cast<int64_t>(table.rows.size()) >= kXlsxMaxRows) {
      return Status::invalid_argument(
          fmt::format("more than {} rows exceed the XLSX limit; export as CSV", kXlsxMaxRows));
    }
    table.rows.push_back(std::move(row));
    return Status::ok();
  }));
  POLES_RETURN_IF_ERROR(write_xlsx(path, {{std::string(e.name), table}}));
  return static_cast<int64_t>(table.rows.size());
}

}  // namespace poles::io
