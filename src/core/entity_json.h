// Rows of the registry's entities in typed results: the JSON Schema of an entity's rows (from
// the schema registry, so the OpenAPI document knows every field), and RowOf<"entity">, a row
// embedded in a described struct (e.g. a profile's `cluster`), written as it is and documented by
// that schema.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "core/schema.h"
#include "core/typed_json.h"

namespace poles::tj {

// The schema of one entity's rows (`for_write`: the body of a create, where required fields are
// required; otherwise every field is present, null when empty). Registered once in `schemas`
// (as e.g. "ClusterLabel", "NewClusterLabel"); returns its $ref.
Json entity_schema(Schemas& schemas, const schema::Entity& e, bool for_write);

// A string usable as a template argument: RowOf<"cluster">.
template <size_t N>
struct EntityName {
  constexpr EntityName(const char (&s)[N]) {
    std::copy_n(s, N, value);
  }  // NOLINT(google-explicit-constructor)
  constexpr std::string_view view() const { return {value, N - 1}; }
  char value[N];
};

// A row of entity `Name` as the API shows it (field -> value, references as keys, null when empty).
template <EntityName Name>
struct RowOf {
  Json fields = Json::object();
};

template <EntityName Name>
Json poles_to_json(const RowOf<Name>& r) {
  return r.fields;
}
template <EntityName Name>
Json poles_json_schema(const RowOf<Name>*, Schemas& s) {
  return entity_schema(s, *schema::find_entity(Name.view()), false);
}

}  // namespace poles::tj
