// Generic tabular writers used by exports and reports: XLSX (libxlsxwriter, typed cells, one
// sheet per table) and CSV text.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/value.h"

namespace poles::formats {

struct Table {
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

// Excel's row limit, less the header row.
inline constexpr int64_t kXlsxMaxRows = 1048575;

// A sheet's name Excel accepts: its forbidden characters ([]:*?/\ and controls) left out, 31
// characters at most, no apostrophe or space at either end, not "History"; "Tableau" when
// nothing is left.
std::string sheet_title(std::string_view name);
Status write_xlsx(const std::string& path,
                  const std::vector<std::pair<std::string, Table>>& sheets);
// The workbook's bytes (written to a private temporary file, read back and removed: the
// library writes files only).
Result<std::string> xlsx_bytes(const std::vector<std::pair<std::string, Table>>& sheets);
std::string to_csv(const Table& table, char delimiter = ',');

}  // namespace poles::formats
