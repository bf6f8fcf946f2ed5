#include "core/typed_json.h"

#include <fmt/format.h>

#include "core/validate.h"

namespace poles::tj {

Json Schemas::add(const std::string& name, Json schema) {
  components_[name] = std::move(schema);
  return ref(name);
}

bool Schemas::claim(const std::string& name, std::type_index type) {
  auto [it, inserted] = owners_.emplace(name, type);
  if (!inserted && it->second != type) {
    // Two described types with one name would share a component: a programming error that the
    // OpenAPI test shows at once.
    throw std::logic_error(fmt::format("two types are described as JSON schema '{}'", name));
  }
  return inserted;
}

namespace detail {

void type_error(std::vector<FieldError>& errors, const std::string& field, const Json& value,
                std::string_view expected) {
  const std::string shown =
      validate::truncate_utf8(value.is_string() ? value.get<std::string>() : value.dump(), 60);
  errors.push_back(
      FieldError{"request", 0, 0, field.empty() ? "(body)" : field, shown, std::string(expected)});
}

}  // namespace detail
}  // namespace poles::tj
