#include "core/value.h"

#include <fmt/format.h>

namespace poles {

std::string value_to_text(const Value& v) {
  switch (v.index()) {
    case 1:
      return fmt::format("{}", std::get<int64_t>(v));
    case 2:
      return fmt::format("{}", std::get<double>(v));
    case 3:
      return std::get<std::string>(v);
    default:
      return {};
  }
}

}  // namespace poles
