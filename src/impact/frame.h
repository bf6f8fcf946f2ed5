// A columnar data frame for the impact engine: numeric columns (NaN for missing) and text
// columns, read from any CSV or built from the store's firm panel. Any column can serve as a
// fixed effect or a cluster: it is then coded as integers 0..G-1.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace poles::impact {

struct Column {
  std::string name;
  bool numeric = true;
  std::vector<double> values;     // numeric columns (NaN = missing)
  std::vector<std::string> text;  // text columns ("" = missing)
};

// Integer codes of a categorical variable: code[i] in [0, levels), or -1 when missing.
struct Codes {
  std::vector<int32_t> code;
  std::vector<std::string> labels;  // label of each code
  int32_t levels() const { return static_cast<int32_t>(labels.size()); }
};

class Frame {
 public:
  size_t rows() const { return rows_; }
  const std::vector<Column>& columns() const { return columns_; }
  const Column* find(std::string_view name) const;
  // Adds or replaces a column; its length must equal rows() (or set it when the frame is empty).
  Status add(Column c);
  void add_numeric(std::string name, std::vector<double> values);

  // The values of a numeric column or of an expression: `name`, `log(name)` (NaN for values
  // <= 0), `log1p(name)`. Errors name the column and, for text columns, the first bad value.
  Result<std::vector<double>> numeric(std::string_view expression) const;
  // Integer codes of a column (numeric values sorted ascending, text in sorted order).
  Result<Codes> codes(std::string_view name) const;
  // The rows where `keep` is true, in order.
  Frame subset(const std::vector<char>& keep) const;

 private:
  size_t rows_ = 0;
  std::vector<Column> columns_;
};

// Reads a CSV with a header line. A column is numeric when every non-empty value parses as a
// number ("NA" and "" are missing); otherwise it is text. `file` names the input in errors.
Result<Frame> read_csv(const std::string& path);
// The same from a stream; `path` names it in errors.
Result<Frame> read_csv(std::istream& in, const std::string& path);

}  // namespace poles::impact
