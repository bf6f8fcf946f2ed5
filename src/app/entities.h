// Use cases on the registry entities, shared by the HTTP API (and any other front end):
// list with filters and a cursor, get with an ETag, create, update with If-Match, delete.
// Every write is one transaction that checks the user's rights on the row, validates it like
// an import does (cells, cross-field rules, references, unique fields, lifecycle), records
// before/after in the audit log, and commits — or changes nothing.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "core/schema.h"
#include "store/store.h"

namespace poles::app {

struct ListRequest {
  std::map<std::string, std::string> filters;  // field -> value (text form, parsed per field)
  std::string q;       // case-insensitive substring of the entity's name field
  std::string cursor;  // from a previous page's next_cursor
  int limit = 50;      // 1..1000
};

struct Item {
  Row row;
  std::string etag;  // quoted strong ETag of the row
};

struct ListResult {
  std::vector<Row> rows;
  std::string next_cursor;  // empty on the last page
};

std::string etag_of(const schema::Entity& e, const Row& row);

// The key of an entity from its URL segments (one per key field, in key order).
Result<Row> parse_key(const schema::Entity& e, const std::vector<std::string>& segments);

Result<ListResult> list_rows(store::Store& s, const User& u, const schema::Entity& e,
                             const ListRequest& r);
Result<Item> get_row(store::Store& s, const User& u, const schema::Entity& e, const Row& key);

enum class WriteMode : uint8_t { kCreate, kReplace, kMerge };
// kCreate: the row must not exist (Conflict). kReplace / kMerge: it must exist (NotFound) and
// `if_match` must equal its current ETag (PreconditionFailed otherwise; empty if_match is
// refused with PreconditionFailed too: updates must say which version they change).
Result<Item> write_row(store::Store& s, const User& u, const schema::Entity& e, const Row* key,
                       const nlohmann::json& body, WriteMode mode, const std::string& if_match);
Status delete_row(store::Store& s, const User& u, const schema::Entity& e, const Row& key,
                  const std::string& if_match);

}  // namespace poles::app
