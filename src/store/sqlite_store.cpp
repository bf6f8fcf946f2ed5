#include "store/sqlite_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <map>
#include <memory>
#include <mutex>

#include "store/sql_builder.h"

namespace poles::store {
namespace {

constexpr Dialect kD = Dialect::kSqlite;

void bind_value(SQLite::Statement& st, int index, const Value& v) {
  switch (v.index()) {
    case 0:
      st.bind(index);
      break;
    case 1:
      st.bind(index, static_cast<int64_t>(std::get<int64_t>(v)));
      break;
    case 2:
      st.bind(index, std::get<double>(v));
      break;
    default:
      st.bindNoCopy(index, std::get<std::string>(v));
      break;
  }
}

Value read_column(const SQLite::Column& c, schema::Type t) {
  if (c.isNull()) return std::monostate{};
  switch (t) {
    case schema::Type::kInt:
    case schema::Type::kBool:
      return static_cast<int64_t>(c.getInt64());
    case schema::Type::kReal:
      return c.getDouble();
    default:
      return c.getString();
  }
}

Value read_any(const SQLite::Column& c) {
  if (c.isNull()) return std::monostate{};
  if (c.isInteger()) return static_cast<int64_t>(c.getInt64());
  if (c.isFloat()) return c.getDouble();
  return c.getString();
}

Row read_row(SQLite::Statement& st, const schema::Entity& e) {
  Row row;
  row.reserve(e.fields.size());
  for (size_t i = 0; i < e.fields.size(); ++i)
    row.push_back(read_column(st.getColumn(static_cast<int>(i)), e.fields[i].type));
  return row;
}

Status from_exception(const std::exception& ex, const std::string& what) {
  if (const auto* se = dynamic_cast<const SQLite::Exception*>(&ex)) {
    const int code = se->getErrorCode();
    if (code == SQLITE_CONSTRAINT) return Status::conflict(fmt::format("{}: {}", what, ex.what()));
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
      return Status::unavailable(fmt::format("{}: database is busy ({})", what, ex.what()));
  }
  return Status::internal(fmt::format("{}: {}", what, ex.what()));
}

// Prepared statements per entity, created on first use and kept for the connection's life.
class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}
  SQLite::Statement& get(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end())
      it = cache_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
    it->second->reset();
    it->second->clearBindings();
    return *it->second;
  }
  void clear() { cache_.clear(); }

 private:
  SQLite::Database& db_;
  std::map<std::string, std::unique_ptr<SQLite::Statement>> cache_;
};

// Resets a cached statement when leaving the scope that stepped it (also by an exception).
struct ResetOnExit {
  SQLite::Statement& st;
  explicit ResetOnExit(SQLite::Statement& s) : st(s) {}
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;
  ~ResetOnExit() {
    try {
      st.reset();
    } catch (...) {  // NOLINT(bugprone-empty-catch): a failed reset leaves the statement as it is
    }
  }
};

const EntitySql& entity_sql(const schema::Entity& e) {
  static const auto* all = [] {
    auto* m = new std::map<std::string_view, EntitySql>();  // NOLINT: process-lifetime table
    for (const auto& ent : schema::entities()) (*m)[ent.name] = build_entity_sql(ent, kD);
    return m;
  }();
  return all->at(e.name);
}

class SqliteStore;

// Writers of one database file within this process take turns on a mutex before BEGIN
// IMMEDIATE, instead of spinning in SQLite's busy handler (which sleeps up to 100 ms a try):
// many server threads writing the same file then queue fairly and fast. Other processes are
// still arbitrated by SQLite's lock and busy timeout.
std::mutex& writer_mutex(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<std::mutex>> by_path;
  std::lock_guard lock(mu);
  auto& m = by_path[path];
  if (!m) m = std::make_unique<std::mutex>();
  return *m;
}

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SQLite::Database& db, StatementCache& cache, std::unique_lock<std::mutex> turn)
      : db_(db), cache_(cache), turn_(std::move(turn)) {}
  ~SqliteTransaction() override {
    if (!done_) {
      try {
        db_.exec("ROLLBACK");
      } catch (...) {  // NOLINT(bugprone-empty-catch): nothing to do in a destructor
      }
    }
  }

  Result<bool> upsert(const schema::Entity& e, const Row& row) override {
    try {
      auto& st = cache_.get(entity_sql(e).upsert);
      for (size_t i = 0; i < row.size(); ++i) bind_value(st, static_cast<int>(i) + 1, row[i]);
      const int n = st.exec();
      changes_ += n;
      data_changes_ += n;
      return n > 0;
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("upsert {} '{}'", e.name, key_text(e, row)));
    }
  }

  Result<bool> remove(const schema::Entity& e, const Row& key) override {
    try {
      auto& st = cache_.get(entity_sql(e).delete_by_key);
      for (size_t i = 0; i < key.size(); ++i) bind_value(st, static_cast<int>(i) + 1, key[i]);
      const int n = st.exec();
      changes_ += n;
      data_changes_ += n;
      return n > 0;
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("delete {}", e.name));
    }
  }

  Result<std::optional<Row>> get(const schema::Entity& e, const Row& key) override {
    try {
      auto& st = cache_.get(entity_sql(e).select_by_key);
      for (size_t i = 0; i < key.size(); ++i) bind_value(st, static_cast<int>(i) + 1, key[i]);
      std::optional<Row> out;
      if (st.executeStep()) out = read_row(st, e);
      st.reset();
      return out;
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("get {}", e.name));
    }
  }

  Status append_audit(const AuditEntry& a) override {
    return execute(
        "INSERT INTO \"audit\" (\"at\", \"actor\", \"action\", \"entity\", \"key\", \"before\", "
        "\"after\") "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {a.at, a.actor, a.action, a.entity, a.key, a.before.empty() ? Value() : Value(a.before),
         a.after.empty() ? Value() : Value(a.after)});
  }

  Status execute(const std::string& sql, const std::vector<Value>& params) override {
    try {
      auto& st = cache_.get(number_placeholders(sql, kD));
      for (size_t i = 0; i < params.size(); ++i) bind_value(st, static_cast<int>(i) + 1, params[i]);
      const int n = st.exec();
      changes_ += n;
      if (!writes_only_accounts(sql)) data_changes_ += n;
      return Status::ok();
    } catch (const std::exception& ex) {
      return from_exception(ex, "execute");
    }
  }

  Result<std::vector<Row>> query(const std::string& sql,
                                 const std::vector<Value>& params) override {
    try {
      auto& st = cache_.get(number_placeholders(sql, kD));
      for (size_t i = 0; i < params.size(); ++i) bind_value(st, static_cast<int>(i) + 1, params[i]);
      std::vector<Row> rows;
      while (st.executeStep()) {
        Row r;
        for (int c = 0; c < st.getColumnCount(); ++c) r.push_back(read_any(st.getColumn(c)));
        rows.push_back(std::move(r));
      }
      return rows;
    } catch (const std::exception& ex) {
      return from_exception(ex, "query");
    }
  }

  Status commit() override {
    if (done_) return Status::internal("transaction already finished");
    try {
      if (data_changes_ > 0) {
        db_.exec(
            "UPDATE \"meta\" SET \"value\" = CAST(CAST(\"value\" AS INTEGER) + 1 AS TEXT) "
            "WHERE \"key\" = 'data_version'");
        db_.exec(
            "UPDATE \"meta\" SET \"value\" = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
            "WHERE \"key\" = 'data_changed_at'");
      }
      db_.exec("COMMIT");
      done_ = true;
      if (turn_.owns_lock()) turn_.unlock();
      return Status::ok();
    } catch (const std::exception& ex) {
      return from_exception(ex, "commit");
    }
  }

  int64_t changes() const override { return changes_; }

 private:
  SQLite::Database& db_;
  StatementCache& cache_;
  std::unique_lock<std::mutex> turn_;  // released after commit or rollback (same thread as begin)
  int64_t changes_ = 0;
  int64_t data_changes_ = 0;  // of entity data: what moves the data version
  bool done_ = false;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string url, std::unique_ptr<SQLite::Database> db)
      : url_(std::move(url)), db_(std::move(db)), cache_(*db_) {}

  Backend backend() const override { return Backend::kSqlite; }
  const std::string& url() const override { return url_; }

  Status configure(const OpenOptions& options) {
    try {
      db_->setBusyTimeout(options.busy_timeout_ms);
      db_->exec("PRAGMA journal_mode = WAL");
      db_->exec("PRAGMA synchronous = NORMAL");
      db_->exec("PRAGMA foreign_keys = ON");
      db_->exec("PRAGMA cache_size = -65536");  // 64 MiB
      db_->exec("PRAGMA temp_store = MEMORY");
      // Deleted rows are overwritten where that costs no extra I/O (the portal's support
      // requests hold personal data, deleted after a year or at the firm's request).
      db_->exec("PRAGMA secure_delete = FAST");
      db_->exec(
          "CREATE TABLE IF NOT EXISTS \"schema_migrations\" (\"version\" BIGINT PRIMARY KEY, "
          "\"name\" TEXT NOT NULL, \"applied_at\" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
      return Status::ok();
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("open {}", url_));
    }
  }

  Status migrate() {
    try {
      SQLite::Transaction lock(*db_, SQLite::TransactionBehavior::IMMEDIATE);
      int current = 0;
      {
        SQLite::Statement st(*db_,
                             "SELECT COALESCE(MAX(\"version\"), 0) FROM \"schema_migrations\"");
        st.executeStep();
        current = st.getColumn(0).getInt();
      }
      for (const auto& m : migrations()) {
        if (m.version <= current) continue;
        db_->exec(render_migration(m.sql, kD));
        SQLite::Statement ins(
            *db_, "INSERT INTO \"schema_migrations\" (\"version\", \"name\") VALUES (?, ?)");
        ins.bind(1, m.version);
        ins.bind(2, std::string(m.name));
        ins.exec();
      }
      lock.commit();
      return Status::ok();
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("migrate {}", url_));
    }
  }

  Result<int> schema_version() override {
    try {
      SQLite::Statement st(*db_, "SELECT COALESCE(MAX(\"version\"), 0) FROM \"schema_migrations\"");
      st.executeStep();
      return st.getColumn(0).getInt();
    } catch (const std::exception& ex) {
      return from_exception(ex, "schema_version");
    }
  }

  Result<uint64_t> data_version() override {
    try {
      auto& st = cache_.get("SELECT \"value\" FROM \"meta\" WHERE \"key\" = 'data_version'");
      if (!st.executeStep()) return uint64_t{0};
      const uint64_t v = std::stoull(st.getColumn(0).getString());
      st.reset();
      return v;
    } catch (const std::exception& ex) {
      return from_exception(ex, "data_version");
    }
  }

  Result<std::string> meta_value(const std::string& key) override {
    try {
      SQLite::Statement st(*db_, "SELECT \"value\" FROM \"meta\" WHERE \"key\" = ?");
      st.bind(1, key);
      if (!st.executeStep()) return std::string();
      return st.getColumn(0).getString();
    } catch (const std::exception& ex) {
      return from_exception(ex, "meta " + key);
    }
  }

  Result<std::unique_ptr<Transaction>> begin() override {
    try {
      std::unique_lock turn(writer_mutex(url_));
      db_->exec("BEGIN IMMEDIATE");
      return std::unique_ptr<Transaction>(
          std::make_unique<SqliteTransaction>(*db_, cache_, std::move(turn)));
    } catch (const std::exception& ex) {
      return from_exception(ex, "begin");
    }
  }

  Status scan(const schema::Entity& e, const std::function<Status(Row&)>& fn) override {
    try {
      SQLite::Statement st(*db_, entity_sql(e).scan);
      while (st.executeStep()) {
        Row row = read_row(st, e);
        POLES_RETURN_IF_ERROR(fn(row));
      }
      return Status::ok();
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("scan {}", e.name));
    }
  }

  Result<Page> list(const schema::Entity& e, const ListQuery& q) override {
    try {
      std::vector<Value> params;
      const std::string sql = build_list_sql(e, q, kD, params);
      auto& st = cache_.get(sql);
      for (size_t i = 0; i < params.size(); ++i) bind_value(st, static_cast<int>(i) + 1, params[i]);
      Page page;
      while (st.executeStep()) page.rows.push_back(read_row(st, e));
      st.reset();
      if (static_cast<int>(page.rows.size()) > q.limit) {
        page.rows.pop_back();
        page.next = key_of(e, page.rows.back());
      }
      return page;
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("list {}", e.name));
    }
  }

  Result<std::optional<Row>> get(const schema::Entity& e, const Row& key) override {
    try {
      auto& st = cache_.get(entity_sql(e).select_by_key);
      for (size_t i = 0; i < key.size(); ++i) bind_value(st, static_cast<int>(i) + 1, key[i]);
      std::optional<Row> out;
      if (st.executeStep()) out = read_row(st, e);
      st.reset();
      return out;
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("get {}", e.name));
    }
  }

  Result<int64_t> count(const schema::Entity& e) override {
    try {
      SQLite::Statement st(*db_, entity_sql(e).count);
      st.executeStep();
      return static_cast<int64_t>(st.getColumn(0).getInt64());
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("count {}", e.name));
    }
  }

  Result<std::vector<std::string>> distinct_text(const schema::Entity& e, int field) override {
    try {
      SQLite::Statement st(
          *db_,
          fmt::format("SELECT DISTINCT {} FROM {} WHERE {} IS NOT NULL",
                      quote_ident(e.fields[static_cast<size_t>(field)].name), quote_ident(e.name),
                      quote_ident(e.fields[static_cast<size_t>(field)].name)));
      std::vector<std::string> out;
      while (st.executeStep()) out.push_back(st.getColumn(0).getString());
      return out;
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("distinct {}", e.name));
    }
  }

  Result<std::vector<AuditEntry>> audit(int64_t after_id, int limit) override {
    try {
      SQLite::Statement st(
          *db_,
          "SELECT \"id\", \"at\", \"actor\", \"action\", COALESCE(\"entity\", ''), "
          "COALESCE(\"key\", ''), "
          "COALESCE(\"before\", ''), COALESCE(\"after\", '') FROM \"audit\" WHERE \"id\" > ? "
          "ORDER BY \"id\" LIMIT ?");
      st.bind(1, static_cast<int64_t>(after_id));
      st.bind(2, limit);
      std::vector<AuditEntry> out;
      while (st.executeStep()) {
        out.push_back({st.getColumn(0).getInt64(), st.getColumn(1).getString(),
                       st.getColumn(2).getString(), st.getColumn(3).getString(),
                       st.getColumn(4).getString(), st.getColumn(5).getString(),
                       st.getColumn(6).getString(), st.getColumn(7).getString()});
      }
      return out;
    } catch (const std::exception& ex) {
      return from_exception(ex, "audit");
    }
  }

  Result<std::vector<Row>> query(const std::string& sql,
                                 const std::vector<Value>& params) override {
    try {
      // Prepared once per connection (a bearer token's look-up runs on every request: preparing
      // its join each time cost a tenth of a cached answer), and reset when done, whatever
      // happens, so that no read stays open on the connection.
      auto& st = cache_.get(number_placeholders(sql, kD));
      const ResetOnExit done{st};
      for (size_t i = 0; i < params.size(); ++i) bind_value(st, static_cast<int>(i) + 1, params[i]);
      std::vector<Row> rows;
      while (st.executeStep()) {
        Row r;
        for (int c = 0; c < st.getColumnCount(); ++c) r.push_back(read_any(st.getColumn(c)));
        rows.push_back(std::move(r));
      }
      return rows;
    } catch (const std::exception& ex) {
      return from_exception(ex, "query");
    }
  }

 private:
  std::string url_;
  std::unique_ptr<SQLite::Database> db_;
  StatementCache cache_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite(const std::string& path, const OpenOptions& options) {
  std::unique_ptr<SQLite::Database> db;
  try {
    db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
  } catch (const std::exception& ex) {
    return Status::unavailable(
        fmt::format("cannot open SQLite database '{}': {}", path, ex.what()));
  }
  auto store = std::make_unique<SqliteStore>(path, std::move(db));
  POLES_RETURN_IF_ERROR(store->configure(options));
  if (options.migrate) POLES_RETURN_IF_ERROR(store->migrate());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace poles::store
