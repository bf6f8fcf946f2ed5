// CSV reading (libcsv) with exact physical line numbers, separator detection and UTF-8 BOM
// handling; CSV writing with RFC 4180 quoting.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>

#include "core/status.h"

namespace poles::formats {

struct CsvReadOptions {
  // Field separator; detected from the header line when absent (';' wins over ',' and tab
  // when it is the most frequent, as in French exports).
  std::optional<char> delimiter;
  size_t chunk_size = 1 << 16;
};

// Called for the header and for every record, with the physical line where the record starts
// (1-based). Return false to stop reading.
using RecordFn = std::function<bool(std::span<const std::string> fields, int64_t line)>;
// Called after each chunk with the number of bytes consumed so far.
using ProgressFn = std::function<void(uint64_t bytes)>;

class CsvReader {
 public:
  explicit CsvReader(CsvReadOptions options = {}) : options_(options) {}

  // Reads `in` to the end (or until `on_record` returns false). Blank lines are skipped.
  // Returns InvalidArgument with a FieldError naming `name` and the line when the CSV is
  // malformed (e.g. a stray quote).
  Status read(std::istream& in, const std::string& name, const RecordFn& on_record,
              const ProgressFn& on_progress = {});
  char delimiter() const { return delimiter_; }

 private:
  CsvReadOptions options_;
  char delimiter_ = ',';
};

// Guesses the separator from the first line of a file.
char detect_delimiter(std::string_view first_line);

// Appends one CSV field to `out`, quoted when needed.
void append_csv_field(std::string& out, std::string_view field, char delimiter = ',');

}  // namespace poles::formats
