// Use cases on the registry entities, shared by the HTTP API (and any other front end):
// list with filters and a cursor, get with an ETag, create, update with If-Match, delete.
// Every write is one transaction that checks the user's rights on the row, validates it like
// an import does (cells, cross-field rules, references, unique fields, lifecycle), records
// before/after in the audit log, and commits — or changes nothing.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/access.h"
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

// Keys derived from the server's secret (drawn once per database, kept in its meta table).
struct ServerKeys {
  std::array<unsigned char, 32> etag{};    // BLAKE2b key of ETags
  std::array<unsigned char, 32> cursor{};  // secretbox key of list cursors
  std::array<unsigned char, 32> form{};    // BLAKE2b key of the portal's form stamps
};
Result<ServerKeys> server_keys(store::Store& s);

// The quoted strong ETag of a row, keyed: nobody without the server's secret can recompute it
// from guessed values.
std::string etag_of(const ServerKeys& k, const schema::Entity& e, const Row& row);

// The key of an entity from its URL segments (one per key field, in key order).
Result<Row> parse_key(const schema::Entity& e, const std::vector<std::string>& segments);

// `conflicts`: the conflict detector, for the roles whose grants ask it
// (needs_conflict_detector); without it, the relation "assigned, not conflicted" does not hold.
// Empties the fields of `row` that `u` may not read (policy.h, read_rules).
void redact_row(const User& u, const schema::Entity& e, Row& row);

Result<ListResult> list_rows(store::Store& s, const User& u, const schema::Entity& e,
                             const ListRequest& r, const ConflictFn& conflicts = nullptr);
Result<Item> get_row(store::Store& s, const User& u, const schema::Entity& e, const Row& key,
                     const ConflictFn& conflicts = nullptr);

// An organisation's place against the list of communes the store holds, as imports check it
// (import/places.h): a commune the write changes must be one of the list; an organisation
// without a commune gets its postal address's, one without a zone its commune's; a zone the
// write gives or changes must be its commune's. Other entities: nothing.
Status complete_place(const QueryFn& q, const schema::Entity& e, Row& row, const Row* before);

enum class WriteMode : uint8_t { kCreate, kReplace, kMerge };
// A check of the row to write that needs more than the store (e.g. the conflict detector on the
// snapshot for assignments); its error refuses the write.
using RowCheck = std::function<Status(const Row& row)>;
// Rights are checked on the row before the change (update: the stored row, which must also be
// readable, NotFound otherwise — as for a missing row; create: the new row, before looking
// whether it exists) and after it, in the same transaction (see check_row_write).
// kCreate: the row must not exist (Conflict). kReplace / kMerge: it must exist (NotFound) and
// `if_match` must equal its current ETag (PreconditionFailed otherwise; empty if_match is
// refused with PreconditionFailed too: updates must say which version they change).
Result<Item> write_row(store::Store& s, const User& u, const schema::Entity& e, const Row* key,
                       const nlohmann::json& body, WriteMode mode, const std::string& if_match,
                       const RowCheck& extra_check = nullptr,
                       const ConflictFn& conflicts = nullptr);
Status delete_row(store::Store& s, const User& u, const schema::Entity& e, const Row& key,
                  const std::string& if_match, const ConflictFn& conflicts = nullptr);

}  // namespace poles::app
