// Store: the one persistence interface, with two backends hidden behind it (SQLite, the
// embedded default, and PostgreSQL). Rows are schema-driven (core/schema.h), so every entity
// gets the same operations: upsert on its natural key, get, delete, keyed scans, filtered
// pages with a cursor.
//
// A Store object owns one connection and is not thread-safe; open one per thread (SQLite in
// WAL mode and PostgreSQL both serve concurrent connections). Every write happens inside a
// Transaction; committing a transaction that changed data increments the data version, which
// tells readers (the Snapshot) when to reload. Writes to the accounts' tables (users, sessions,
// tokens, the audit log) do not move it: a login must not invalidate what was computed from the
// data.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/schema.h"
#include "core/status.h"
#include "core/value.h"

namespace poles::store {

enum class Backend { kSqlite, kPostgres };

struct OpenOptions {
  // Apply pending migrations on open (the default). Tests may turn it off.
  bool migrate = true;
  // SQLite: busy timeout while another process holds the write lock.
  int busy_timeout_ms = 10000;
};

// A filter on one field: equality, or a case-insensitive substring match on text.
struct Filter {
  int field = -1;
  Value value;
  // Rows whose field contains the text, case-insensitively (a LIKE with its wildcards escaped).
  bool contains = false;
  // With contains: further fields, any of which may contain the text instead.
  std::vector<int> or_fields = {};
};

struct ListQuery {
  std::vector<Filter> filters;
  // Cursor: the key of the last row of the previous page (rows come in key order).
  std::optional<Row> after;
  int limit = 100;
};

struct Page {
  std::vector<Row> rows;
  // Key of the last row when more rows may follow; nullopt on the last page.
  std::optional<Row> next;
};

// Accounts, sessions and the audit log (issue: server and accounts) are plain records, kept
// apart from the schema-driven entities.
struct AuditEntry {
  int64_t id = 0;
  std::string at;      // ISO 8601 UTC timestamp
  std::string actor;   // user name, "cli" or "import"
  std::string action;  // create, update, delete, import, login, …
  std::string entity;
  std::string key;     // natural key as text ("a|b" for composite keys)
  std::string before;  // JSON, empty when none
  std::string after;   // JSON, empty when none
};

class Transaction {
 public:
  virtual ~Transaction() = default;  // rolls back unless committed

  // Inserts the row, or updates the row with the same natural key. Returns true when the
  // store changed (false when an identical row was already there).
  // REQUIRES: row has e.fields.size() values, already validated.
  virtual Result<bool> upsert(const schema::Entity& e, const Row& row) = 0;
  // Upserts rows of one entity, in one go; returns how many changed the store. The result,
  // and the error when a row is refused (the first such row, named as `upsert` names it), are
  // those of calling `upsert` on each row in turn. The default does exactly that; PostgreSQL
  // streams the rows with COPY into a staging table and merges them with one statement (bulk
  // paths: imports, the demo), falling back to row by row to name the row a merge refuses.
  virtual Result<int64_t> upsert_many(const schema::Entity& e, std::span<const Row> rows);
  // The same for rows the caller knows are new: their keys are not in the store (its table of
  // the entity was empty when this transaction began writing it) and none repeats. PostgreSQL
  // copies them straight into the table; if a key is there after all, the batch goes row by
  // row as upsert_many's would. The default is upsert_many.
  virtual Result<int64_t> insert_many(const schema::Entity& e, std::span<const Row> rows) {
    return upsert_many(e, rows);
  }
  // Deletes by natural key (key values in key-field order). Returns false when absent.
  virtual Result<bool> remove(const schema::Entity& e, const Row& key) = 0;
  // Reads a row and keeps it locked until the transaction ends (read-check-write is atomic).
  virtual Result<std::optional<Row>> get(const schema::Entity& e, const Row& key) = 0;
  virtual Status append_audit(const AuditEntry& entry) = 0;
  // Runs a statement of the backend's SQL dialect (administration, accounts tables).
  virtual Status execute(const std::string& sql, const std::vector<Value>& params) = 0;
  virtual Result<std::vector<Row>> query(const std::string& sql,
                                         const std::vector<Value>& params) = 0;
  // Makes every change durable and visible, and increments the data version when entity data
  // changed: rows upserted or removed, or rows written by `execute` in a table other than the
  // accounts' (writes_only_accounts). After commit the transaction is finished.
  virtual Status commit() = 0;
  // Number of rows this transaction changed so far (entity data, accounts and audit alike).
  virtual int64_t changes() const = 0;
};

class Store {
 public:
  // Opens "postgresql://…" / "postgres://…" with the PostgreSQL backend, anything else
  // ("file.db", "sqlite:file.db") as a SQLite file (created when absent).
  static Result<std::unique_ptr<Store>> open(const std::string& url,
                                             const OpenOptions& options = {});

  virtual ~Store() = default;
  virtual Backend backend() const = 0;
  virtual const std::string& url() const = 0;

  // Highest migration applied.
  virtual Result<int> schema_version() = 0;
  // Increases with every committed change to entity data (not with accounts, sessions, tokens
  // or the audit log).
  virtual Result<uint64_t> data_version() = 0;
  // A random identity drawn when the database was created (migration 0006); "" when absent (a
  // database opened without migrating). Caches kept outside the database are keyed by it, so
  // that another database at the same place is never taken for this one.
  Result<std::string> store_id() { return meta_value("store_id"); }
  // When entity data last changed (ISO 8601, UTC, to the second; migration 0009): what pages
  // print as "data as of". "" before the first change after that migration.
  Result<std::string> data_changed_at() { return meta_value("data_changed_at"); }
  // A value of the meta table ("" when the key is absent).
  virtual Result<std::string> meta_value(const std::string& key) = 0;

  virtual Result<std::unique_ptr<Transaction>> begin() = 0;

  // Calls `fn` for every row of the entity, in natural-key order, from one consistent read.
  // Stops early and returns fn's status when it is not OK.
  virtual Status scan(const schema::Entity& e, const std::function<Status(Row&)>& fn) = 0;
  virtual Result<Page> list(const schema::Entity& e, const ListQuery& q) = 0;
  virtual Result<std::optional<Row>> get(const schema::Entity& e, const Row& key) = 0;
  virtual Result<int64_t> count(const schema::Entity& e) = 0;
  // Values of one field over all rows (e.g. the keys that references must match).
  virtual Result<std::vector<std::string>> distinct_text(const schema::Entity& e, int field) = 0;

  virtual Result<std::vector<AuditEntry>> audit(int64_t after_id, int limit) = 0;
  virtual Result<std::vector<Row>> query(const std::string& sql,
                                         const std::vector<Value>& params) = 0;
};

// SQL dialect helpers shared by both backends.
enum class Dialect { kSqlite, kPostgres };
std::string quote_ident(std::string_view name);
// CREATE TABLE (and indexes) for an entity, as used by the migrations.
std::string create_table_sql(const schema::Entity& e, Dialect d);
// Whether a statement for Transaction::execute writes only the accounts' tables (app_user,
// api_token, session, audit, login_event), the portal's support requests (support_request), the
// SIRENE reference and matching tables (sirene_unit, siren_match), the State's decisions after
// an evaluation (evaluation_decision) or the impact jobs (impact_job) — no snapshot or cached
// view reads them — which the data version ignores. Any other statement, or one this cannot
// read (not a plain INSERT, UPDATE or DELETE), counts as a change of data.
bool writes_only_accounts(std::string_view sql);
// Text of the natural key of a row ("a|b").
std::string key_text(const schema::Entity& e, const Row& row);
// The key values of a full row, in key-field order.
Row key_of(const schema::Entity& e, const Row& row);

struct Migration {
  int version;
  std::string_view name;
  std::string_view
      sql;  // may contain {{serial_pk}}, {{random_id}}, {{random_secret}}, {{current_year}}
};
// All migrations, in order (embedded at build time from src/store/migrations/*.sql).
std::vector<Migration> migrations();
std::string render_migration(std::string_view sql, Dialect d);

}  // namespace poles::store
