// Rows as JSON objects (field name -> value, nulls as null), for the JSON export and the API.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "core/schema.h"
#include "core/status.h"

namespace poles::formats {

nlohmann::ordered_json value_to_json(const Value& v);
nlohmann::ordered_json row_to_json(const schema::Entity& e, const Row& row);

// Reads a JSON object into a row of `e`, checking every cell (schema::check_value) and the
// cross-field rules (schema::check_row). Fields absent from the object are taken from `base`
// when given (a merge), null otherwise. Unknown fields are errors. Errors name the field, the
// value and the rule, with `source` as the file (e.g. "request").
Result<Row> row_from_json(const schema::Entity& e, const nlohmann::json& obj, const Row* base,
                          const std::string& source);

}  // namespace poles::formats
