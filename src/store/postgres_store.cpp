#include "store/postgres_store.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <pqxx/tablewriter>
#include <set>
#include <stdexcept>

#include "store/sql_builder.h"
#include "store/version_watch.h"

namespace poles::store {
namespace {

constexpr Dialect kD = Dialect::kPostgres;
constexpr int kScanChunk = 20000;
// Below this many rows, upsert_many writes row by row (a COPY costs three round trips).
constexpr size_t kCopyMinRows = 32;
// Batches of a transaction written inside a savepoint (so that a refused row can be named): the
// first ones, well below the 64 subtransactions PostgreSQL caches per transaction.
constexpr int kMaxSavepoints = 32;
// How long an import into an empty table waits for the locks that let it check its references
// as one query at commit (PgTransaction::defer_references) before it leaves them row by row.
constexpr const char* kDeferLockWait = "2s";

// Parameters as text (NULL as a null pointer); the server converts them to column types.
class Params {
 public:
  explicit Params(const std::vector<Value>& values) {
    text_.reserve(values.size());
    for (const auto& v : values) {
      text_.push_back(value_to_text(v));
      // Passed as C strings: a NUL would cut the text short (and PostgreSQL's texts cannot hold
      // one). "admin\0x" must not be read as "admin".
      if (text_.back().find('\0') != std::string::npos)
        throw std::invalid_argument("a text holds a NUL character");
    }
    for (size_t i = 0; i < values.size(); ++i)
      ptrs_.push_back(is_null(values[i]) ? nullptr : text_[i].c_str());
  }
  auto dynamic() const { return pqxx::prepare::make_dynamic_params(ptrs_); }

 private:
  std::vector<std::string> text_;
  std::vector<const char*> ptrs_;
};

Value read_field(const pqxx::field& f, schema::Type t) {
  if (f.is_null()) return std::monostate{};
  switch (t) {
    case schema::Type::kInt:
    case schema::Type::kBool:
      return static_cast<int64_t>(f.as<long long>());
    case schema::Type::kReal:
      return f.as<double>();
    default:
      return std::string(f.c_str(), f.size());
  }
}

Value read_any(const pqxx::field& f) {
  if (f.is_null()) return std::monostate{};
  // OIDs of int2/int4/int8 and float4/float8/numeric.
  switch (f.type()) {
    case 20:
    case 21:
    case 23:
      return static_cast<int64_t>(f.as<long long>());
    case 700:
    case 701:
    case 1700:
      return f.as<double>();
    default:
      return std::string(f.c_str(), f.size());
  }
}

Row read_row(const pqxx::row& r, const schema::Entity& e) {
  Row row;
  row.reserve(e.fields.size());
  for (size_t i = 0; i < e.fields.size(); ++i)
    row.push_back(read_field(r[static_cast<int>(i)], e.fields[i].type));
  return row;
}

// One row as a line of COPY's text format: tab-separated, \N for NULL, backslash escapes for
// the backslash and the characters that separate fields and lines. The connection's encoding
// is UTF-8 (set at open), where no byte of a multibyte character can be read as one of these.
void copy_line(const Row& row, std::string& line) {
  line.clear();
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) line += '\t';
    if (is_null(row[i])) {
      line += "\\N";
      continue;
    }
    for (char c : value_to_text(row[i])) {
      switch (c) {
        case '\\':
          line += "\\\\";
          break;
        case '\t':
          line += "\\t";
          break;
        case '\n':
          line += "\\n";
          break;
        case '\r':
          line += "\\r";
          break;
        default:
          line += c;
      }
    }
  }
}

Status from_exception(const std::exception& ex, const std::string& what) {
  if (dynamic_cast<const std::invalid_argument*>(&ex) != nullptr)
    return Status::invalid_argument(fmt::format("{}: {}", what, ex.what()));
  if (const auto* se = dynamic_cast<const pqxx::sql_error*>(&ex)) {
    const std::string& state = se->sqlstate();
    if (state.starts_with("23")) return Status::conflict(fmt::format("{}: {}", what, ex.what()));
    if (state == "40001" || state == "40P01")
      return Status::unavailable(fmt::format("{}: {}", what, ex.what()));
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&ex) != nullptr) {
    return Status::unavailable(fmt::format("{}: connection lost: {}", what, ex.what()));
  }
  return Status::internal(fmt::format("{}: {}", what, ex.what()));
}

const EntitySql& entity_sql(const schema::Entity& e) {
  static const auto* all = [] {
    auto* m = new std::map<std::string_view, EntitySql>();  // NOLINT: process-lifetime table
    for (const auto& ent : schema::entities()) (*m)[ent.name] = build_entity_sql(ent, kD);
    return m;
  }();
  return all->at(e.name);
}

// Names prepared statements per connection.
class Prepared {
 public:
  explicit Prepared(pqxx::connection& c) : conn_(c) {}
  const std::string& name(const std::string& sql) {
    auto it = names_.find(sql);
    if (it == names_.end()) {
      std::string n = fmt::format("s{}", names_.size());
      conn_.prepare(n, sql);
      it = names_.emplace(sql, std::move(n)).first;
    }
    return it->second;
  }

 private:
  pqxx::connection& conn_;
  std::map<std::string, std::string> names_;
};

pqxx::result run(pqxx::transaction_base& tx, Prepared& prep, const std::string& sql,
                 const std::vector<Value>& params) {
  Params p(params);
  return tx.exec_prepared(prep.name(sql), p.dynamic());
}

class PgTransaction final : public Transaction {
 public:
  PgTransaction(pqxx::connection& c, Prepared& prep)
      : tx_(std::make_unique<pqxx::work>(c)), prep_(prep) {}

  Result<bool> upsert(const schema::Entity& e, const Row& row) override {
    try {
      const auto r = run(*tx_, prep_, entity_sql(e).upsert, row);
      changes_ += r.affected_rows();
      data_changes_ += r.affected_rows();
      return r.affected_rows() > 0;
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("upsert {} '{}'", e.name, key_text(e, row)));
    }
  }

  Result<int64_t> upsert_many(const schema::Entity& e, std::span<const Row> rows) override {
    return bulk(e, rows, false);
  }

  Result<int64_t> insert_many(const schema::Entity& e, std::span<const Row> rows) override {
    return bulk(e, rows, true);
  }

  Result<bool> remove(const schema::Entity& e, const Row& key) override {
    try {
      const auto r = run(*tx_, prep_, entity_sql(e).delete_by_key, key);
      changes_ += r.affected_rows();
      data_changes_ += r.affected_rows();
      return r.affected_rows() > 0;
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("delete {}", e.name));
    }
  }

  Result<std::optional<Row>> get(const schema::Entity& e, const Row& key) override {
    try {
      const auto r = run(*tx_, prep_, entity_sql(e).select_for_update, key);
      if (r.empty()) return std::optional<Row>();
      return std::optional<Row>(read_row(r[0], e));
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
      const auto n = run(*tx_, prep_, number_placeholders(sql, kD), params).affected_rows();
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
      const auto r = run(*tx_, prep_, number_placeholders(sql, kD), params);
      std::vector<Row> rows;
      for (const auto& row : r) {
        Row out;
        for (const auto& f : row) out.push_back(read_any(f));
        rows.push_back(std::move(out));
      }
      return rows;
    } catch (const std::exception& ex) {
      return from_exception(ex, "query");
    }
  }

  Status commit() override {
    if (!tx_) return Status::internal("transaction already finished");
    for (const auto& [table, add] : deferred_refs_) {
      try {
        tx_->exec(add);
      } catch (const std::exception& ex) {
        tx_.reset();
        return from_exception(ex, fmt::format("the references of {}, checked at commit", table));
      }
    }
    try {
      if (data_changes_ > 0) {
        // The servers watching the store (VersionWatch) hear of the new version at commit.
        const auto v = tx_->exec(
            "UPDATE \"meta\" SET \"value\" = CAST(CAST(\"value\" AS BIGINT) + 1 AS TEXT) "
            "WHERE \"key\" = 'data_version' RETURNING \"value\"");
        if (!v.empty())
          tx_->exec_params("SELECT pg_notify($1, $2)", std::string(kDataChannel),
                           std::string(v[0][0].c_str()));
        tx_->exec(
            "UPDATE \"meta\" SET \"value\" = "
            "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
            "WHERE \"key\" = 'data_changed_at'");
      }
      tx_->commit();
      tx_.reset();
      return Status::ok();
    } catch (const std::exception& ex) {
      tx_.reset();
      return from_exception(ex, "commit");
    }
  }

  int64_t changes() const override { return changes_; }

 private:
  // A batch by COPY: `fresh` rows straight into the table, others through the staging table
  // and a merge (copy_merge).
  Result<int64_t> bulk(const schema::Entity& e, std::span<const Row> rows, bool fresh) {
    if (rows.size() < kCopyMinRows || copy_off_) return Transaction::upsert_many(e, rows);
    if (fresh && ++fresh_batches_[std::string(e.name)] == 2) {
      if (auto s = defer_references(e); !s.is_ok()) return s;
    }
    std::optional<int64_t> merged;
    if (savepoints_ >= kMaxSavepoints) {
      // Past the first batches a savepoint each would overflow PostgreSQL's cache of
      // subtransactions (64 per transaction; beyond it every snapshot of the cluster slows until
      // the import ends). A refusal now ends the transaction with PostgreSQL's own account,
      // which names the key (the loader has checked references and keys before this point).
      try {
        merged = copy_merge(*tx_, e, rows, fresh);
      } catch (const std::exception& ex) {
        return from_exception(ex,
                              fmt::format("upsert {} (a batch of {} rows)", e.name, rows.size()));
      }
    } else {
      ++savepoints_;
      try {
        pqxx::subtransaction sub(*tx_, "copy");
        merged = copy_merge(sub, e, rows, fresh);
        sub.commit();
      } catch (const pqxx::broken_connection& ex) {
        return from_exception(ex, fmt::format("upsert {}", e.name));
      } catch (const std::exception&) {
        // The batch's savepoint is rolled back; row by row names the row refused as upsert
        // does (two rows with one key, a broken reference, a unique value taken).
        merged.reset();
      }
    }
    if (!merged) {
      auto one_by_one = Transaction::upsert_many(e, rows);
      // Refused as a batch but written row by row (a key twice in the batch; a role without the
      // right to make temporary tables): the rest of the transaction goes row by row.
      if (one_by_one) copy_off_ = true;
      return one_by_one;
    }
    if (!fresh) staged_.insert(stage_name(e));
    changes_ += *merged;
    data_changes_ += *merged;
    return *merged;
  }

  // A large load into an empty table (its second batch) checks the table's references as one
  // query per foreign key at commit, as pg_restore does, instead of PostgreSQL's trigger per
  // row and key (two index lookups for each of a million participations: two thirds of the
  // load's time). The foreign keys are dropped in this transaction and added back, validated,
  // before it commits; nobody else sees them missing. The price: dropping a foreign key locks
  // the tables on both sides until the commit, so their readers wait for the import. The locks
  // are waited for at most kDeferLockWait (a long reader holds them); failing that, or
  // without the right to alter the table (not its owner), nothing changes and PostgreSQL
  // checks each row as before.
  Status defer_references(const schema::Entity& e) {
    if (savepoints_ >= kMaxSavepoints) return Status::ok();
    ++savepoints_;
    const std::string table = quote_ident(e.name);
    try {
      pqxx::subtransaction sub(*tx_, "refs");
      const std::string wait = sub.exec("SELECT current_setting('lock_timeout')")[0][0].c_str();
      sub.exec(fmt::format("SET LOCAL lock_timeout = '{}'", kDeferLockWait));
      const auto keys = sub.exec_params(
          "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
          "WHERE conrelid = CAST($1 AS regclass) AND contype = 'f' ORDER BY conname",
          table);
      std::string drop, add;
      for (const auto& k : keys) {
        const std::string name = sub.quote_name(k[0].c_str());
        drop += fmt::format("{}DROP CONSTRAINT {}", drop.empty() ? "" : ", ", name);
        add += fmt::format("{}ADD CONSTRAINT {} {}", add.empty() ? "" : ", ", name, k[1].c_str());
      }
      if (!drop.empty()) sub.exec(fmt::format("ALTER TABLE {} {}", table, drop));
      sub.exec_params("SELECT set_config('lock_timeout', $1, true)", wait);
      sub.commit();
      if (!add.empty())
        deferred_refs_.emplace_back(std::string(e.name),
                                    fmt::format("ALTER TABLE {} {}", table, add));
    } catch (const pqxx::broken_connection& ex) {
      return from_exception(ex, fmt::format("upsert {}", e.name));
    } catch (const std::exception&) {
      // Locks not granted in time, or not the table's owner: references checked row by row.
    }
    return Status::ok();
  }

  // COPY `target` (a table, with its column list) FROM STDIN, one line per row.
  static void write_copy(pqxx::transaction_base& t, const std::string& target,
                         std::span<const Row> rows) {
    // libpqxx 6.4 (Debian 12) streams rows of a run-time width only through tablewriter (its
    // stream_to takes tuples), deprecated there in favour of stream_to. It writes the target
    // as given: "COPY <target> FROM STDIN".
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    pqxx::tablewriter writer(t, target);
#pragma GCC diagnostic pop
    std::string line;
    for (const auto& row : rows) {
      copy_line(row, line);
      writer.write_raw_line(line);
    }
    writer.complete();
  }

  static std::string stage_name(const schema::Entity& e) {
    std::string stage = "poles_stage_";
    for (char c : e.name) stage += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
    return stage;
  }

  // In `t` (the transaction, or a savepoint of it): new rows (`fresh`) copied into the table;
  // others into a temporary table of the entity's columns (made once per transaction, dropped
  // at its end), then one INSERT … SELECT with the upsert's ON CONFLICT — the rows the store did
  // not hold are inserted, those that differ updated, the others left — and the staging table
  // emptied. Column names are given (a table's columns may be in another order
  // than the entity's fields, after migrations that added some).
  int64_t copy_merge(pqxx::transaction_base& t, const schema::Entity& e, std::span<const Row> rows,
                     bool fresh) {
    const EntitySql& sql = entity_sql(e);
    if (fresh) {
      write_copy(t, fmt::format("{} ({})", quote_ident(e.name), sql.columns), rows);
      return static_cast<int64_t>(rows.size());
    }
    const std::string stage = stage_name(e);
    if (!staged_.contains(stage)) {
      t.exec(
          fmt::format("CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA",
                      stage, sql.columns, quote_ident(e.name)));
    }
    write_copy(t, stage, rows);
    const auto r =
        t.exec(fmt::format("INSERT INTO {} ({}) SELECT {} FROM {} {}", quote_ident(e.name),
                           sql.columns, sql.columns, stage, sql.on_conflict));
    t.exec("TRUNCATE " + stage);
    return static_cast<int64_t>(r.affected_rows());
  }

  std::unique_ptr<pqxx::work> tx_;  // destroyed uncommitted -> rolled back
  std::set<std::string> staged_;    // staging tables made in this transaction
  bool copy_off_ = false;           // COPY failed where row by row did not: not tried again
  int savepoints_ = 0;              // batches written inside a savepoint so far
  std::map<std::string, int> fresh_batches_;  // batches copied straight in, by entity
  // Foreign keys dropped for a load (defer_references): table, and the ALTER that adds them back.
  std::vector<std::pair<std::string, std::string>> deferred_refs_;
  Prepared& prep_;
  int64_t changes_ = 0;
  int64_t data_changes_ = 0;  // of entity data: what moves the data version
};

// Identifiers (text keys and references) compare byte by byte in PostgreSQL as in SQLite
// (collation "C"). Pages of the API and the snapshot are read in that order: with the database's
// collation on the columns, their indexes did not give it, and every page of a list was a sort
// of its whole table (a quarter of a second a page for a million participations); each index
// entry also cost a locale comparison. Stores made before are altered once (their indexes and
// foreign keys rebuilt); new ones get it with their tables.
void identifiers_byte_wise(pqxx::transaction_base& tx) {
  std::set<std::pair<std::string, std::string>> other;  // (table, column) not in "C"
  for (const auto& r : tx.exec("SELECT table_name, column_name FROM information_schema.columns "
                               "WHERE table_schema = current_schema() AND data_type = 'text' "
                               "AND collation_name IS DISTINCT FROM 'C'"))
    other.emplace(r[0].c_str(), r[1].c_str());
  for (const auto& e : schema::entities()) {
    std::string alter;
    for (const auto& f : e.fields) {
      const bool text = f.type == schema::Type::kText || f.type == schema::Type::kDate;
      const bool identifier = f.key || !f.references.empty() || !f.referential.empty();
      if (!text || !identifier || !other.contains({std::string(e.name), std::string(f.name)}))
        continue;
      alter += fmt::format("{}ALTER COLUMN {} TYPE TEXT COLLATE \"C\"", alter.empty() ? "" : ", ",
                           quote_ident(f.name));
    }
    if (!alter.empty()) tx.exec(fmt::format("ALTER TABLE {} {}", quote_ident(e.name), alter));
  }
}

class PgStore final : public Store {
 public:
  PgStore(std::string url, std::unique_ptr<pqxx::connection> conn)
      : url_(std::move(url)), conn_(std::move(conn)), prep_(*conn_) {}

  Backend backend() const override { return Backend::kPostgres; }
  const std::string& url() const override { return url_; }

  Status migrate() {
    try {
      pqxx::work tx(*conn_);
      tx.exec("SELECT pg_advisory_xact_lock(7254001)");
      tx.exec(
          "CREATE TABLE IF NOT EXISTS \"schema_migrations\" (\"version\" BIGINT PRIMARY KEY, "
          "\"name\" TEXT NOT NULL, \"applied_at\" TEXT NOT NULL DEFAULT CAST(now() AS TEXT))");
      const int current =
          tx.exec("SELECT COALESCE(MAX(\"version\"), 0) FROM \"schema_migrations\"")[0][0]
              .as<int>();
      for (const auto& m : migrations()) {
        if (m.version <= current) continue;
        tx.exec(render_migration(m.sql, kD));
        tx.exec_params("INSERT INTO \"schema_migrations\" (\"version\", \"name\") VALUES ($1, $2)",
                       m.version, std::string(m.name));
      }
      identifiers_byte_wise(tx);
      tx.commit();
      return Status::ok();
    } catch (const std::exception& ex) {
      return from_exception(ex, "migrate");
    }
  }

  Result<int> schema_version() override {
    try {
      pqxx::nontransaction tx(*conn_);
      return tx.exec("SELECT COALESCE(MAX(\"version\"), 0) FROM \"schema_migrations\"")[0][0]
          .as<int>();
    } catch (const std::exception& ex) {
      return from_exception(ex, "schema_version");
    }
  }

  Result<uint64_t> data_version() override {
    try {
      pqxx::nontransaction tx(*conn_);
      const auto r = tx.exec("SELECT \"value\" FROM \"meta\" WHERE \"key\" = 'data_version'");
      if (r.empty()) return uint64_t{0};
      return static_cast<uint64_t>(std::stoull(r[0][0].c_str()));
    } catch (const std::exception& ex) {
      return from_exception(ex, "data_version");
    }
  }

  Result<std::string> meta_value(const std::string& key) override {
    try {
      pqxx::nontransaction tx(*conn_);
      const auto r = tx.exec_params("SELECT \"value\" FROM \"meta\" WHERE \"key\" = $1", key);
      if (r.empty()) return std::string();
      return std::string(r[0][0].c_str());
    } catch (const std::exception& ex) {
      return from_exception(ex, "meta " + key);
    }
  }

  Result<std::unique_ptr<Transaction>> begin() override {
    try {
      return std::unique_ptr<Transaction>(std::make_unique<PgTransaction>(*conn_, prep_));
    } catch (const std::exception& ex) {
      return from_exception(ex, "begin");
    }
  }

  Status scan(const schema::Entity& e, const std::function<Status(Row&)>& fn) override {
    try {
      // One ordered query read through a cursor, kScanChunk rows at a time, inside one
      // repeatable-read snapshot: consistent, bounded memory, and the table sorted once. (Keyset
      // pages sorted the whole table again for each page: the byte-wise order of text keys is
      // not their index's, so every page was a sort of the table — minutes for the snapshot of
      // the france demo.)
      pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(*conn_);
      tx.exec("SET LOCAL cursor_tuple_fraction = 1");  // every row is read: the fastest whole
      tx.exec("DECLARE poles_scan NO SCROLL CURSOR FOR " + entity_sql(e).scan);
      const std::string fetch = fmt::format("FETCH FORWARD {} FROM poles_scan", kScanChunk);
      while (true) {
        const auto r = tx.exec(fetch);
        for (const auto& row : r) {
          Row values = read_row(row, e);
          POLES_RETURN_IF_ERROR(fn(values));
        }
        if (static_cast<int>(r.size()) < kScanChunk) break;
      }
      tx.exec("CLOSE poles_scan");
      tx.commit();
      return Status::ok();
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("scan {}", e.name));
    }
  }

  Result<Page> list(const schema::Entity& e, const ListQuery& q) override {
    try {
      pqxx::nontransaction tx(*conn_);
      std::vector<Value> params;
      const auto r = run(tx, prep_, build_list_sql(e, q, kD, params), params);
      Page page;
      for (const auto& row : r) page.rows.push_back(read_row(row, e));
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
      pqxx::nontransaction tx(*conn_);
      const auto r = run(tx, prep_, entity_sql(e).select_by_key, key);
      if (r.empty()) return std::optional<Row>();
      return std::optional<Row>(read_row(r[0], e));
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("get {}", e.name));
    }
  }

  Result<int64_t> count(const schema::Entity& e) override {
    try {
      pqxx::nontransaction tx(*conn_);
      return static_cast<int64_t>(tx.exec(entity_sql(e).count)[0][0].as<long long>());
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("count {}", e.name));
    }
  }

  Result<std::vector<std::string>> distinct_text(const schema::Entity& e, int field) override {
    try {
      pqxx::nontransaction tx(*conn_);
      const std::string col = quote_ident(e.fields[static_cast<size_t>(field)].name);
      const auto r = tx.exec(fmt::format("SELECT DISTINCT {} FROM {} WHERE {} IS NOT NULL", col,
                                         quote_ident(e.name), col));
      std::vector<std::string> out;
      out.reserve(r.size());
      for (const auto& row : r) out.emplace_back(row[0].c_str(), row[0].size());
      return out;
    } catch (const std::exception& ex) {
      return from_exception(ex, fmt::format("distinct {}", e.name));
    }
  }

  Result<std::vector<AuditEntry>> audit(int64_t after_id, int limit) override {
    try {
      pqxx::nontransaction tx(*conn_);
      const auto r = tx.exec_params(
          "SELECT \"id\", \"at\", \"actor\", \"action\", COALESCE(\"entity\", ''), "
          "COALESCE(\"key\", ''), "
          "COALESCE(\"before\", ''), COALESCE(\"after\", '') FROM \"audit\" WHERE \"id\" > $1 "
          "ORDER BY \"id\" LIMIT $2",
          static_cast<long long>(after_id), limit);
      std::vector<AuditEntry> out;
      for (const auto& row : r) {
        out.push_back({row[0].as<long long>(), row[1].c_str(), row[2].c_str(), row[3].c_str(),
                       row[4].c_str(), row[5].c_str(), row[6].c_str(), row[7].c_str()});
      }
      return out;
    } catch (const std::exception& ex) {
      return from_exception(ex, "audit");
    }
  }

  Result<std::vector<Row>> query(const std::string& sql,
                                 const std::vector<Value>& params) override {
    try {
      pqxx::nontransaction tx(*conn_);
      const auto r = run(tx, prep_, number_placeholders(sql, kD), params);
      std::vector<Row> rows;
      for (const auto& row : r) {
        Row out;
        for (const auto& f : row) out.push_back(read_any(f));
        rows.push_back(std::move(out));
      }
      return rows;
    } catch (const std::exception& ex) {
      return from_exception(ex, "query");
    }
  }

 private:
  std::string url_;
  std::unique_ptr<pqxx::connection> conn_;
  Prepared prep_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_postgres(const std::string& url, const OpenOptions& options) {
  std::unique_ptr<pqxx::connection> conn;
  try {
    conn = std::make_unique<pqxx::connection>(url);
    pqxx::nontransaction tx(*conn);
    tx.exec("SET client_min_messages = warning");
    tx.exec("SET client_encoding = 'UTF8'");
  } catch (const std::exception& ex) {
    return Status::unavailable(fmt::format("cannot connect to PostgreSQL: {}", ex.what()));
  }
  auto store = std::make_unique<PgStore>(url, std::move(conn));
  if (options.migrate) POLES_RETURN_IF_ERROR(store->migrate());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace poles::store
