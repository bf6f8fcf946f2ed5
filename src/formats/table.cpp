#include "formats/table.h"

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "formats/csv.h"

namespace poles::formats {
namespace {

struct WorkbookCloser {
  void operator()(lxw_workbook* wb) const noexcept { workbook_close(wb); }
};

Status xlsx_error(lxw_error err, const std::string& what) {
  return Status::internal(fmt::format("{}: {}", what, lxw_strerror(err)));
}

}  // namespace

std::string sheet_title(std::string_view name) {
  std::string out;
  int chars = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    const auto u = static_cast<unsigned char>(name[i]);
    if (u < 0x20 || std::string_view("[]:*?/\\").find(name[i]) != std::string_view::npos) {
      continue;
    }
    if ((u & 0xC0) != 0x80 && ++chars > 31) break;  // whole UTF-8 characters
    out.push_back(name[i]);
  }
  while (!out.empty() && (out.front() == '\'' || out.front() == ' ')) out.erase(0, 1);
  while (!out.empty() && (out.back() == '\'' || out.back() == ' ')) out.pop_back();
  if (out.empty()) return "Tableau";
  std::string lower = out;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return lower == "history" ? out + " 1" : out;  // Excel keeps "History" for itself
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
    lxw_worksheet* ws = workbook_add_worksheet(wb.get(), sheet_title(name).c_str());
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

Result<std::string> xlsx_bytes(const std::vector<std::pair<std::string, Table>>& sheets) {
  std::error_code ec;
  const auto dir = std::filesystem::temp_directory_path(ec);
  if (ec) return Status::internal("no temporary directory for a workbook");
  std::string path = (dir / "poles-xlsx-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return Status::internal("cannot create a temporary file for a workbook");
  ::close(fd);
  struct Remove {
    const std::string& p;
    ~Remove() { std::remove(p.c_str()); }
  } remove{path};
  POLES_RETURN_IF_ERROR(write_xlsx(path, sheets));
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.is_open() || in.bad()) return Status::internal("cannot read back a workbook");
  return bytes;
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

}  // namespace poles::formats
