// A dynamically typed cell and a row of cells, as they travel between files, the store and the
// API. Dates are ISO strings, booleans 0/1 integers, enumerations their text code.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace poles {

using Value = std::variant<std::monostate, int64_t, double, std::string>;
using Row = std::vector<Value>;

inline bool is_null(const Value& v) { return std::holds_alternative<std::monostate>(v); }
// Text form used in CSV output and error messages ("" for null; reals in shortest round-trip form).
std::string value_to_text(const Value& v);

}  // namespace poles
