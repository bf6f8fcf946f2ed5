// Generic tabular writers used by exports and reports: XLSX (libxlsxwriter, typed cells, one
// sheet per table) and CSV text.
#pragma once

#include <string>
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

Status write_xlsx(const std::string& path,
                  const std::vector<std::pair<std::string, Table>>& sheets);
std::string to_csv(const Table& table, char delimiter = ',');

}  // namespace poles::formats
