// SQL text for the schema-driven operations, in either dialect. Internal to the store.
#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace poles::store {

struct EntitySql {
  std::string columns;        // "c1", "c2", …
  std::string upsert;         // params: every field in order
  std::string on_conflict;    // the upsert's tail, "ON CONFLICT (keys) DO …"
  std::string select_by_key;  // params: key fields in order
  // Inside a transaction: the same, locking the row until commit where the dialect needs it
  // (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the write lock).
  std::string select_for_update;
  std::string delete_by_key;  // params: key fields in order
  std::string scan;           // every row in key order
  std::string count;
};

std::string placeholder(Dialect d, int n);  // 1-based
EntitySql build_entity_sql(const schema::Entity& e, Dialect d);
// Builds the page query; appends its parameters to `params`. Fetches limit + 1 rows so the
// caller can tell whether another page follows.
std::string build_list_sql(const schema::Entity& e, const ListQuery& q, Dialect d,
                           std::vector<Value>& params);
// Rewrites '?' placeholders into the dialect's numbered form.
std::string number_placeholders(const std::string& sql, Dialect d);

}  // namespace poles::store
