// Fuzz target: the XLSX reader (formats/xlsx.h) on arbitrary bytes — libzip's archive, then
// expat's XML of the workbook, its relationships, shared strings, styles and every sheet. The
// seeds store their parts uncompressed, so that mutations reach the XML (the CRC is checked only
// once a part is read through). Limits are small so that an input's cost stays bounded.
// Invariants beyond "no crash, no leak, no UB": a refused workbook says why, a sheet's rows come
// in increasing order within the row limit, no row is wider than the column limit, and the
// cells handed out never exceed the cell limit.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "formats/xlsx.h"

namespace {

using namespace poles;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  formats::XlsxLimits limits;
  limits.max_entries = 64;
  limits.max_entry_bytes = 4 << 20;
  limits.max_total_bytes = 16 << 20;
  limits.max_sheets = 8;
  limits.max_shared_strings = 10'000;
  limits.max_rows = 10'000;
  limits.max_cells = 100'000;
  limits.max_columns = 256;
  auto book = formats::XlsxBook::open_bytes(std::string(reinterpret_cast<const char*>(data), size),
                                            "fuzz.xlsx", limits);
  if (!book) {
    check(!book.error().field_errors().empty() || !book.error().message().empty(),
          "a refused workbook says why");
    return 0;
  }
  check(!book->sheet_names().empty(), "an opened workbook has a sheet");
  for (const auto& sheet : book->sheet_names()) {
    int64_t last = 0, cells = 0;
    const Status st = book->read_sheet(sheet, [&](std::span<const std::string> row, int64_t n) {
      check(n > last && n <= limits.max_rows, "rows in increasing order within the limit");
      check(row.size() <= static_cast<size_t>(limits.max_columns), "no row beyond the columns");
      cells += static_cast<int64_t>(row.size());
      check(cells <= limits.max_cells, "cells within the limit");
      last = n;
      return true;
    });
    if (!st.is_ok()) check(!st.field_errors().empty(), "a refused sheet says why");
  }
  return 0;
}
