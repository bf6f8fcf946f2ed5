#include "formats/json.h"

#include <fmt/format.h>

namespace poles::formats {

nlohmann::ordered_json value_to_json(const Value& v) {
  switch (v.index()) {
    case 1:
      return std::get<int64_t>(v);
    case 2:
      return std::get<double>(v);
    case 3:
      return std::get<std::string>(v);
    default:
      return nullptr;
  }
}

nlohmann::ordered_json row_to_json(const schema::Entity& e, const Row& row) {
  nlohmann::ordered_json obj = nlohmann::ordered_json::object();
  for (size_t i = 0; i < row.size() && i < e.fields.size(); ++i) {
    const auto* flag = std::get_if<int64_t>(&row[i]);
    if (e.fields[i].type == schema::Type::kBool && flag != nullptr) {
      obj[std::string(e.fields[i].name)] = *flag != 0;  // stored as 0/1, shown as false/true
    } else {
      obj[std::string(e.fields[i].name)] = value_to_json(row[i]);
    }
  }
  return obj;
}

Result<Row> row_from_json(const schema::Entity& e, const nlohmann::json& obj, const Row* base,
                          const std::string& source) {
  std::vector<FieldError> errors;
  auto error = [&](std::string field, std::string value, std::string rule) {
    FieldError fe;
    fe.file = source;
    fe.field = std::move(field);
    fe.value = std::move(value);
    fe.rule = std::move(rule);
    errors.push_back(std::move(fe));
  };
  if (!obj.is_object())
    return Status::invalid_argument(fmt::format("{}: the body must be a JSON object", source));
  for (const auto& [k, v] : obj.items()) {
    if (schema::field_index(e, k) < 0)
      error(k, v.dump(), fmt::format("is not a field of {}", e.name));
  }
  Row row(e.fields.size());
  for (size_t i = 0; i < e.fields.size(); ++i) {
    const auto& f = e.fields[i];
    auto it = obj.find(std::string(f.name));
    if (it == obj.end()) {
      if (base != nullptr) row[i] = (*base)[i];
    } else if (it->is_string()) {
      row[i] = it->get<std::string>();
    } else if (it->is_number_integer()) {
      row[i] = it->get<int64_t>();
    } else if (it->is_number()) {
      row[i] = it->get<double>();
    } else if (it->is_boolean()) {
      row[i] = int64_t{it->get<bool>() ? 1 : 0};
    } else if (!it->is_null()) {
      error(std::string(f.name), it->dump(), "must be a string, a number, a boolean or null");
      continue;
    }
    const std::string shown = value_to_text(row[i]);
    if (auto rule = schema::check_value(f, row[i])) error(std::string(f.name), shown, *rule);
  }
  if (errors.empty()) {
    schema::check_row(e, row, errors);
    for (auto& fe : errors) fe.file = source;
  }
  if (!errors.empty()) {
    const auto n = static_cast<int64_t>(errors.size());
    return Status::bad_input(std::move(errors), n);
  }
  return row;
}

}  // namespace poles::formats
