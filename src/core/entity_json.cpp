#include "core/entity_json.h"

#include <cctype>

namespace poles::tj {

Json entity_schema(Schemas& schemas, const schema::Entity& e, bool for_write) {
  std::string name;
  for (size_t i = 0; i < e.name.size(); ++i) {
    const char c = e.name[i];
    name.push_back(i == 0 || e.name[i - 1] == '_'
                       ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                       : c);
  }
  name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
  name = (for_write ? "New" : "") + name;
  if (schemas.components().contains(name)) return Schemas::ref(name);
  Json props = Json::object();
  Json required = Json::array();
  for (const auto& f : e.fields) {
    Json t;
    switch (f.type) {
      case schema::Type::kText:
        t = Json{{"type", "string"}};
        break;
      case schema::Type::kInt:
        t = Json{{"type", "integer"}};
        break;
      case schema::Type::kReal:
        t = Json{{"type", "number"}};
        break;
      case schema::Type::kDate:
        t = Json{{"type", "string"}, {"format", "date"}};
        break;
      case schema::Type::kBool:
        t = Json{{"type", "boolean"}};
        break;
    }
    if (f.check == schema::Check::kEnum)
      t["enum"] = std::vector<std::string>(f.codes.begin(), f.codes.end());
    if (f.min) t["minimum"] = *f.min;
    if (f.max) t["maximum"] = *f.max;
    if (!f.required) {
      // Optional fields are null when empty.
      if (t.contains("enum")) t["enum"].push_back(nullptr);
      t["type"] = Json::array({t["type"], "null"});
    }
    if (!f.doc.empty()) t["description"] = std::string(f.doc);
    props[std::string(f.name)] = std::move(t);
    if (!for_write || f.required) required.push_back(std::string(f.name));
  }
  Json s{{"type", "object"},
         {"description", std::string(e.doc)},
         {"properties", props},
         {"required", required},
         {"additionalProperties", false}};
  return schemas.add(name, std::move(s));
}

}  // namespace poles::tj
