// XLSX reading: a workbook's sheets as rows of text cells, for the imports. The archive is
// opened with libzip and its XML streamed with expat (no hand-written zip or XML parser). An
// upload is hostile until proven otherwise: the number of entries, each entry's and the total
// uncompressed size and the inflate ratio are capped (a zip bomb is refused before it is
// inflated, and the bytes actually inflated are counted too, since an archive can lie about its
// sizes), entry paths that escape the archive are refused, and so is any DOCTYPE (no entity can
// expand: XXE, billion laughs).
//
// Cells come as the text a person sees in the sheet, normalised for the importers: shared and
// inline strings as they are, numbers in their shortest decimal form ("1234", "0.043"), a number
// under a date format as an ISO date ("2024-03-01", or "2024-03-01T08:30:00" with a time; the
// 1900 system's phantom 29 February 1900 and the 1904 system are handled), booleans as "1"/"0",
// formulas as their cached value, error cells ("#N/A") as they are.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace poles::formats {

struct XlsxLimits {
  int64_t max_entries = 10'000;
  // One uncompressed part, and every part read from one opened workbook (counted as inflated:
  // the archive's declared sizes are checked too, but a part may be named twice).
  uint64_t max_entry_bytes = 256ULL << 20;
  uint64_t max_total_bytes = 1ULL << 30;
  int max_sheets = 1'000;
  int64_t max_shared_strings = 4'000'000;
  size_t max_string_bytes = 32'767 * 4;  // Excel's 32,767 characters, in UTF-8
  int64_t max_rows = 1'048'576;          // Excel's last row
  // Cells of a sheet handed out, counting the empty ones before the last of each row (a row
  // made of one cell at XFD is 16,384): what a reader that keeps the rows holds.
  int64_t max_cells = 20'000'000;
  // Compressed / uncompressed below this (for parts above 1 MiB) is a zip bomb, as Apache POI's
  // ZipSecureFile.setMinInflateRatio.
  double min_inflate_ratio = 0.01;
  int max_columns = 16'384;  // XFD, Excel's last column
};

// Called for each row holding at least one cell, with its 1-based row number (rows come in
// increasing order: a sheet whose row numbers go back is refused); cells[i] is column i (A = 0),
// "" for an empty cell. Return false to stop reading.
using XlsxRowFn = std::function<bool(std::span<const std::string> cells, int64_t row)>;

// "A", "Z", "AA", … for a 0-based column.
std::string xlsx_column_name(int column);
// "Sheet!B12" for a 0-based column and a 1-based row.
std::string xlsx_cell_name(std::string_view sheet, int column, int64_t row);

class XlsxBook {
 public:
  ~XlsxBook();
  XlsxBook(XlsxBook&&) noexcept;
  XlsxBook& operator=(XlsxBook&&) noexcept;

  // Opens a workbook; errors name `name` (the file as the user knows it).
  static Result<XlsxBook> open_file(const std::string& path, const XlsxLimits& limits = {});
  static Result<XlsxBook> open_bytes(std::string bytes, const std::string& name,
                                     const XlsxLimits& limits = {});

  const std::vector<std::string>& sheet_names() const;
  // The name of the sheet read_sheet(`requested`) reads (the first sheet for an empty one, the
  // first whose name matches without ASCII case otherwise); empty when there is none.
  std::string resolve_sheet(std::string_view requested) const;
  // Streams the rows of a sheet (by name, case-insensitively; empty: the first sheet).
  Status read_sheet(std::string_view sheet, const XlsxRowFn& on_row) const;

 private:
  struct Impl;
  explicit XlsxBook(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// True when the bytes start like a ZIP archive (an XLSX file), to tell it from a CSV upload.
bool looks_like_xlsx(std::string_view head);

}  // namespace poles::formats
