#include "store/store.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "store/version_watch.h"
#include "store_fixture.h"

namespace poles::store {
namespace {

using testing::StoreTest;

const schema::Entity& entity(std::string_view name) { return *schema::find_entity(name); }

Row make(const schema::Entity& e, std::initializer_list<std::pair<const char*, Value>> cells) {
  Row row(e.fields.size());
  for (const auto& [name, v] : cells) row[static_cast<size_t>(schema::field_index(e, name))] = v;
  return row;
}

Row cluster_row(const std::string& id, const std::string& name) {
  return make(entity("cluster"), {{"id", id},
                                  {"name", name},
                                  {"region", std::string("84")},
                                  {"scale", std::string("national")},
                                  {"founded", int64_t{2005}}});
}

void put(Store& s, const schema::Entity& e, const std::vector<Row>& rows) {
  auto tx = s.begin();
  ASSERT_TRUE(tx.has_value()) << tx.error().to_string();
  for (const auto& r : rows) {
    auto res = (*tx)->upsert(e, r);
    ASSERT_TRUE(res.has_value()) << res.error().to_string();
  }
  ASSERT_TRUE((*tx)->commit().is_ok());
}

TEST_P(StoreTest, MigrationsCreateEveryEntityWithItsColumns) {
  auto v = store_->schema_version();
  ASSERT_TRUE(v.has_value());
  // The highest migration (numbers may have gaps while branches that add migrations merge).
  EXPECT_EQ(*v, migrations().back().version);
  for (const auto& e : schema::entities()) {
    auto page = store_->list(e, {});
    EXPECT_TRUE(page.has_value()) << e.name << ": " << page.error().to_string();
  }
  // Reopening does not re-apply migrations.
  auto again = reopen();
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(*again->schema_version(), migrations().back().version);
}

TEST_P(StoreTest, UpsertInsertsUpdatesAndDetectsNoChange) {
  const auto& e = entity("cluster");
  auto tx = std::move(store_->begin()).value();
  EXPECT_TRUE(*tx->upsert(e, cluster_row("aero", "Aerospace")));
  EXPECT_FALSE(*tx->upsert(e, cluster_row("aero", "Aerospace")));  // identical
  EXPECT_TRUE(*tx->upsert(e, cluster_row("aero", "Aerospace Valley")));
  ASSERT_TRUE(tx->commit().is_ok());
  auto got = store_->get(e, {std::string("aero")});
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ((**got)[1], Value(std::string("Aerospace Valley")));
  EXPECT_EQ((**got)[static_cast<size_t>(schema::field_index(e, "founded"))], Value(int64_t{2005}));
  EXPECT_TRUE(is_null((**got)[static_cast<size_t>(schema::field_index(e, "website"))]));
}

TEST_P(StoreTest, DataVersionMovesOnlyWhenDataChanges) {
  const auto& e = entity("cluster");
  const uint64_t v0 = *store_->data_version();
  put(*store_, e, {cluster_row("a", "A")});
  const uint64_t v1 = *store_->data_version();
  EXPECT_EQ(v1, v0 + 1);
  put(*store_, e, {cluster_row("a", "A")});  // no change
  EXPECT_EQ(*store_->data_version(), v1);
  // Visible from another connection.
  auto other = reopen();
  EXPECT_EQ(*other->data_version(), v1);
}

// The date pages print as "data as of": set by the commit that moves the data version, to the
// clock's second (checked against the clock read around the write), and left by a commit that
// changes nothing.
TEST_P(StoreTest, DataChangedAtIsTheTimeOfTheLastDataChange) {
  const auto& e = entity("cluster");
  auto stamp = [] {
    return fmt::format(
        "{:%Y-%m-%dT%H:%M:%SZ}",
        fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
  };
  if (*store_->data_version() == 0) {
    EXPECT_EQ(*store_->data_changed_at(), "") << "no change yet";
  }
  const std::string before = stamp();
  put(*store_, e, {cluster_row("a", "A")});
  const std::string after = stamp();
  const std::string at = *store_->data_changed_at();
  EXPECT_GE(at, before);
  EXPECT_LE(at, after);
  EXPECT_EQ(at.size(), 20u) << at;
  EXPECT_EQ(*reopen()->data_changed_at(), at) << "visible from another connection";
}

// A login writes a session and an audit entry: the views computed from the data stay valid, so
// the data version must not move (it empties the server's caches and the snapshot file).
TEST_P(StoreTest, AccountWritesLeaveTheDataVersion) {
  const uint64_t v0 = *store_->data_version();
  {
    auto tx = std::move(store_->begin()).value();
    ASSERT_TRUE(tx->execute("INSERT INTO app_user (name, password_hash, role, scope, disabled, "
                            "created_at) VALUES (?, ?, ?, ?, 0, ?)",
                            {std::string("ada"), std::string("$argon2id$…"), std::string("admin"),
                             Value(), std::string("2026-01-01T00:00:00Z")})
                    .is_ok());
    ASSERT_TRUE(tx->commit().is_ok());
  }
  EXPECT_EQ(*store_->data_version(), v0) << "a new user";
  {
    // As Accounts::create_session does on a successful login.
    auto tx = std::move(store_->begin()).value();
    ASSERT_TRUE(
        tx->execute("INSERT INTO session (token_hash, user_name, csrf, created_at, "
                    "expires_at) VALUES (?, ?, ?, ?, ?)",
                    {std::string("h1"), std::string("ada"), std::string("c1"),
                     std::string("2026-01-01T00:00:00Z"), std::string("2026-01-02T00:00:00Z")})
            .is_ok());
    ASSERT_TRUE(tx->append_audit({0, "2026-01-01T00:00:00Z", "ada", "login", "user", "ada", "", ""})
                    .is_ok());
    EXPECT_EQ(tx->changes(), 2);
    ASSERT_TRUE(tx->commit().is_ok());
  }
  EXPECT_EQ(*store_->data_version(), v0) << "a login";
  {
    auto tx = std::move(store_->begin()).value();
    ASSERT_TRUE(tx->execute("INSERT INTO api_token (token_hash, user_name, label, created_at) "
                            "VALUES (?, ?, ?, ?)",
                            {std::string("t1"), std::string("ada"), std::string("script"),
                             std::string("2026-01-01T00:00:00Z")})
                    .is_ok());
    ASSERT_TRUE(
        tx->execute("UPDATE \"app_user\" SET disabled = 1 WHERE name = ?", {std::string("ada")})
            .is_ok());
    ASSERT_TRUE(
        tx->execute("DELETE FROM session WHERE user_name = ?", {std::string("ada")}).is_ok());
    ASSERT_TRUE(tx->commit().is_ok());
  }
  EXPECT_EQ(*store_->data_version(), v0) << "a token, a disabled user, a logout";
  EXPECT_EQ(store_->audit(0, 10)->size(), 1u);

  // Entity data moves it: an upsert, and a statement on an entity table.
  const auto& e = entity("cluster");
  put(*store_, e, {cluster_row("a", "A")});
  const uint64_t v1 = *store_->data_version();
  EXPECT_EQ(v1, v0 + 1);
  {
    auto tx = std::move(store_->begin()).value();
    ASSERT_TRUE(tx->execute("UPDATE cluster SET name = ? WHERE id = ?",
                            {std::string("B"), std::string("a")})
                    .is_ok());
    ASSERT_TRUE(tx->commit().is_ok());
  }
  EXPECT_EQ(*store_->data_version(), v1 + 1);
  // Both in one transaction: it moves once.
  {
    auto tx = std::move(store_->begin()).value();
    ASSERT_TRUE(tx->upsert(e, cluster_row("b", "B")).has_value());
    ASSERT_TRUE(
        tx->append_audit({0, "2026-01-01T00:00:00Z", "ada", "create", "cluster", "b", "", "{}"})
            .is_ok());
    ASSERT_TRUE(tx->commit().is_ok());
  }
  EXPECT_EQ(*store_->data_version(), v1 + 2);
  auto other = reopen();
  EXPECT_EQ(*other->data_version(), v1 + 2);
}

TEST(Store, WritesOnlyAccounts) {
  EXPECT_TRUE(writes_only_accounts("INSERT INTO session (a) VALUES (?)"));
  EXPECT_TRUE(writes_only_accounts("  insert into \"audit\" (\"at\") VALUES (?)"));
  EXPECT_TRUE(writes_only_accounts("INSERT OR IGNORE INTO api_token VALUES (?)"));
  EXPECT_TRUE(writes_only_accounts("UPDATE app_user SET disabled = ? WHERE name = ?"));
  EXPECT_TRUE(writes_only_accounts("DELETE FROM public.session WHERE token_hash = ?;"));
  EXPECT_FALSE(writes_only_accounts("INSERT INTO cluster (id) VALUES (?)"));
  EXPECT_FALSE(writes_only_accounts("UPDATE \"project\" SET status = ?"));
  EXPECT_FALSE(writes_only_accounts("DELETE FROM sessions"));
  EXPECT_FALSE(writes_only_accounts("DELETE FROM session; DELETE FROM cluster"));
  EXPECT_FALSE(writes_only_accounts("WITH x AS (SELECT 1) DELETE FROM session"));
  EXPECT_FALSE(writes_only_accounts(""));
}

TEST_P(StoreTest, StoreIdIsDrawnOncePerDatabase) {
  auto id = store_->store_id();
  ASSERT_TRUE(id.has_value()) << id.error().to_string();
  EXPECT_EQ(id->size(), 32u);
  EXPECT_EQ(*reopen()->store_id(), *id) << "reopening keeps it";
}

TEST_P(StoreTest, UncommittedTransactionLeavesNothing) {
  const auto& e = entity("cluster");
  {
    auto tx = std::move(store_->begin()).value();
    EXPECT_TRUE(*tx->upsert(e, cluster_row("x", "X")));
  }  // destroyed without commit
  EXPECT_EQ(*store_->count(e), 0);
  EXPECT_EQ(*store_->data_version(), 0u);
}

TEST_P(StoreTest, ForeignKeysAreEnforced) {
  const auto& p = entity("participation");
  auto tx = std::move(store_->begin()).value();
  auto r = tx->upsert(p, make(p, {{"project_id", std::string("nope")},
                                  {"organisation_id", std::string("nobody")},
                                  {"role", std::string("partner")}}));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kConflict);
}

TEST_P(StoreTest, DeleteCascadesToOwnedRowsAndRestrictsOthers) {
  const auto& org = entity("organisation");
  const auto& proj = entity("project");
  const auto& part = entity("participation");
  put(*store_, org,
      {make(org, {{"id", std::string("o1")},
                  {"name", std::string("Org")},
                  {"kind", std::string("company")}})});
  put(*store_, proj,
      {make(proj, {{"id", std::string("p1")},
                   {"acronym", std::string("P1")},
                   {"programme", std::string("FUI")},
                   {"status", std::string("funded")}})});
  put(*store_, part,
      {make(part, {{"project_id", std::string("p1")},
                   {"organisation_id", std::string("o1")},
                   {"role", std::string("coordinator")}})});
  {
    auto tx = std::move(store_->begin()).value();
    auto r = tx->remove(org, {std::string("o1")});  // still referenced by a participation
    EXPECT_FALSE(r.has_value());
  }
  auto tx = std::move(store_->begin()).value();
  EXPECT_TRUE(*tx->remove(proj, {std::string("p1")}));
  ASSERT_TRUE(tx->commit().is_ok());
  EXPECT_EQ(*store_->count(part), 0);
  EXPECT_EQ(*store_->count(org), 1);
}

TEST_P(StoreTest, PagesWithCursorCoverEveryRowOnceInKeyOrder) {
  const auto& e = entity("cluster");
  std::vector<Row> rows;
  for (int i = 0; i < 57; ++i)
    rows.push_back(cluster_row(fmt::format("c{:03d}", i), i % 2 ? "Bio" : "Numérique"));
  rows.push_back(cluster_row("Z-upper", "Upper"));  // byte order: 'Z' < 'c'
  put(*store_, e, rows);
  std::vector<std::string> seen;
  ListQuery q;
  q.limit = 10;
  while (true) {
    auto page = store_->list(e, q);
    ASSERT_TRUE(page.has_value()) << page.error().to_string();
    for (const auto& r : page->rows) seen.push_back(std::get<std::string>(r[0]));
    if (!page->next) break;
    q.after = page->next;
  }
  ASSERT_EQ(seen.size(), 58u);
  EXPECT_EQ(seen.front(), "Z-upper");
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 58u);

  ListQuery f;
  f.filters.push_back({schema::field_index(e, "name"), std::string("numé"), true});
  EXPECT_EQ(store_->list(e, f)->rows.size(), 29u);
  ListQuery eq;
  eq.filters.push_back({schema::field_index(e, "name"), std::string("Bio"), false});
  EXPECT_EQ(store_->list(e, eq)->rows.size(), 28u);
}

namespace {

std::vector<Row> participations(int from, int n, const std::string& project) {
  std::vector<Row> rows;
  for (int i = from; i < from + n; ++i)
    rows.push_back(make(entity("participation"), {{"project_id", project},
                                                  {"organisation_id", fmt::format("o{}", i)},
                                                  {"role", std::string("partner")}}));
  return rows;
}

void put_parents(Store& s, int n_orgs) {
  const auto& org = entity("organisation");
  std::vector<Row> orgs;
  for (int i = 0; i < n_orgs; ++i)
    orgs.push_back(make(org, {{"id", fmt::format("o{}", i)},
                              {"name", std::string("Org")},
                              {"kind", std::string("company")}}));
  put(s, org, orgs);
  const auto& proj = entity("project");
  put(s, proj,
      {make(proj, {{"id", std::string("p1")},
                   {"acronym", std::string("P1")},
                   {"programme", std::string("FUI")},
                   {"status", std::string("funded")}})});
}

// The foreign keys of `table` as transaction `tx` sees them (PostgreSQL).
int64_t foreign_keys(Transaction& tx, const std::string& table) {
  auto r = tx.query(
      "SELECT count(*) FROM pg_constraint WHERE conrelid = CAST(? AS regclass) AND contype = 'f'",
      {table});
  return r.has_value() ? std::get<int64_t>((*r)[0][0]) : -1;
}

int64_t foreign_keys(Store& s, const std::string& table) {
  auto tx = std::move(s.begin()).value();
  return foreign_keys(*tx, table);
}

}  // namespace

// PostgreSQL keeps identifiers (text keys and references) in collation "C", the byte order in
// which pages are read, so that their indexes give the pages' order (before, each page of a
// list sorted its whole table). A store made before (a column in the database's collation) is
// altered when opened, its foreign keys kept; names keep the database's collation.
TEST_P(StoreTest, IdentifiersCompareByteWise) {
  if (store_->backend() != Backend::kPostgres) GTEST_SKIP() << "SQLite compares bytes already";
  const auto collation = [&](const char* table, const char* column) {
    auto tx = std::move(store_->begin()).value();
    auto r = tx->query(
        "SELECT COALESCE(collation_name, 'default') FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?",
        {std::string(table), std::string(column)});
    return r.has_value() && r->size() == 1 ? std::get<std::string>((*r)[0][0]) : "?";
  };
  EXPECT_EQ(collation("organisation", "id"), "C");
  EXPECT_EQ(collation("project", "id"), "C");
  EXPECT_EQ(collation("participation", "project_id"), "C");
  EXPECT_EQ(collation("participation", "organisation_id"), "C");
  EXPECT_EQ(collation("organisation", "name"), "default");
  {
    auto tx = std::move(store_->begin()).value();
    ASSERT_TRUE(tx->execute("ALTER TABLE \"participation\" ALTER COLUMN \"organisation_id\" "
                            "TYPE TEXT COLLATE \"default\"",
                            {})
                    .is_ok());
    ASSERT_TRUE(tx->commit().is_ok());
  }
  ASSERT_EQ(collation("participation", "organisation_id"), "default");
  auto reopened = Store::open(url_);
  ASSERT_TRUE(reopened.has_value()) << reopened.error().to_string();
  EXPECT_EQ(collation("participation", "organisation_id"), "C");
  EXPECT_EQ(foreign_keys(*store_, "participation"), 2);
}

TEST_P(StoreTest, CompositeKeysAndScan) {
  const auto& e = entity("employment");
  std::vector<Row> rows;
  for (int year = 2020; year >= 2015; --year) {
    for (const char* code : {"84", "11"}) {
      rows.push_back(make(e, {{"level", std::string("region")},
                              {"code", std::string(code)},
                              {"sector", std::string("total")},
                              {"year", int64_t{year}},
                              {"jobs", 1000.5 + year}}));
    }
  }
  put(*store_, e, rows);
  std::vector<std::string> order;
  ASSERT_TRUE(store_
                  ->scan(e,
                         [&](Row& r) {
                           order.push_back(std::get<std::string>(r[1]) + "/" +
                                           std::to_string(std::get<int64_t>(r[3])));
                           return Status::ok();
                         })
                  .is_ok());
  ASSERT_EQ(order.size(), 12u);
  EXPECT_EQ(order.front(), "11/2015");
  EXPECT_EQ(order.back(), "84/2020");
  auto got = store_->get(
      e, {std::string("region"), std::string("84"), std::string("total"), int64_t{2017}});
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_DOUBLE_EQ(std::get<double>((**got)[4]), 3017.5);

  ListQuery q;
  q.limit = 5;
  q.after = Row{std::string("region"), std::string("11"), std::string("total"), int64_t{2019}};
  auto page = store_->list(e, q);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(std::get<int64_t>(page->rows[0][3]), 2020);
  EXPECT_EQ(std::get<std::string>(page->rows[1][1]), "84");
}

TEST_P(StoreTest, AuditLogAppendsInOrder) {
  auto tx = std::move(store_->begin()).value();
  ASSERT_TRUE(tx->append_audit({0, "2026-01-01T00:00:00Z", "alice", "create", "cluster", "a", "",
                                "{\"id\":\"a\"}"})
                  .is_ok());
  ASSERT_TRUE(tx->append_audit({0, "2026-01-01T00:00:01Z", "bob", "delete", "cluster", "a",
                                "{\"id\":\"a\"}", ""})
                  .is_ok());
  ASSERT_TRUE(tx->commit().is_ok());
  auto log = store_->audit(0, 10);
  ASSERT_TRUE(log.has_value());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].actor, "alice");
  EXPECT_EQ((*log)[1].before, "{\"id\":\"a\"}");
  EXPECT_EQ((*log)[1].after, "");
  EXPECT_LT((*log)[0].id, (*log)[1].id);
}

TEST_P(StoreTest, RealValuesRoundTripExactly) {
  const auto& e = entity("firm_year");
  const double tricky = 0.1 + 0.2;
  put(*store_, e,
      {make(e, {{"siren", std::string("732829320")},
                {"year", int64_t{2010}},
                {"turnover", tricky},
                {"rd_spending", 1e15 / 3}})});
  auto got = store_->get(e, {std::string("732829320"), int64_t{2010}});
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ(std::get<double>((**got)[3]), tricky);
  EXPECT_EQ(std::get<double>((**got)[5]), 1e15 / 3);
}

// upsert_many writes a batch at once (PostgreSQL: COPY into a staging table, then one merge):
// its counts, values and refusals must be upsert's, row by row. Texts hold what COPY's text
// format escapes (tab, newline, carriage return, backslash, a literal \N) beside NULLs and
// empty texts; reals need every digit.
TEST_P(StoreTest, UpsertManyIsUpsertRowByRow) {
  const auto& e = entity("cluster");
  const auto& fy = entity("firm_year");
  const std::vector<std::string> awkward = {"tab\there",        "two\nlines",  "cr\rhere",
                                            "back\\slash",      "\\N",         "",
                                            "guillemets « é »", "quote ' \" ;"};
  std::vector<Row> rows;
  for (int i = 0; i < 100; ++i) {
    Row r =
        cluster_row(fmt::format("c{:03d}", i), awkward[static_cast<size_t>(i) % awkward.size()]);
    if (i % 3 == 0) r[static_cast<size_t>(schema::field_index(e, "founded"))] = Value();
    rows.push_back(std::move(r));
  }
  std::vector<Row> years;
  for (int i = 0; i < 50; ++i)
    years.push_back(make(fy, {{"siren", fmt::format("{:09d}", 100000000 + i)},
                              {"year", int64_t{2010}},
                              {"turnover", 0.1 + 0.2 + i},
                              {"rd_spending", 1e15 / 3}}));
  {
    auto tx = std::move(store_->begin()).value();
    auto n = tx->upsert_many(e, rows);
    ASSERT_TRUE(n.has_value()) << n.error().to_string();
    EXPECT_EQ(*n, 100);
    auto m = tx->upsert_many(fy, years);
    ASSERT_TRUE(m.has_value()) << m.error().to_string();
    EXPECT_EQ(*m, 50);
    if (store_->backend() == Backend::kPostgres) {
      // The batch went through COPY (its staging table exists), not row by row.
      auto staged = tx->query(
          "SELECT count(*) FROM pg_class WHERE relname IN ('poles_stage_cluster', "
          "'poles_stage_firm_year') AND relpersistence = 't'",
          {});
      ASSERT_TRUE(staged.has_value()) << staged.error().to_string();
      EXPECT_EQ((*staged)[0][0], Value(int64_t{2}));
    }
    ASSERT_TRUE(tx->commit().is_ok());
  }
  EXPECT_EQ(*store_->data_version(), 1u);
  for (int i : {0, 1, 2, 3, 4, 5, 6, 7, 99}) {
    auto got = store_->get(e, {fmt::format("c{:03d}", i)});
    ASSERT_TRUE(got.has_value() && got->has_value()) << i;
    EXPECT_EQ((**got)[1], Value(awkward[static_cast<size_t>(i) % awkward.size()])) << i;
    const Value& founded = (**got)[static_cast<size_t>(schema::field_index(e, "founded"))];
    if (i % 3 == 0) {
      EXPECT_TRUE(is_null(founded)) << i;
    } else {
      EXPECT_EQ(founded, Value(int64_t{2005})) << i;
    }
  }
  auto year = store_->get(fy, {std::string("100000007"), int64_t{2010}});
  ASSERT_TRUE(year.has_value() && year->has_value());
  EXPECT_EQ(std::get<double>((**year)[3]), 0.1 + 0.2 + 7);
  EXPECT_EQ(std::get<double>((**year)[5]), 1e15 / 3);

  // Again: 60 rows as they are, 30 changed, 10 new: 40 (on PostgreSQL, through the merge).
  std::vector<Row> again(rows.begin(), rows.begin() + 90);
  for (int i = 60; i < 90; ++i) again[static_cast<size_t>(i)][1] = std::string("renamed");
  for (int i = 100; i < 110; ++i) again.push_back(cluster_row(fmt::format("c{:03d}", i), "New"));
  {
    auto tx = std::move(store_->begin()).value();
    auto n = tx->upsert_many(e, again);
    ASSERT_TRUE(n.has_value()) << n.error().to_string();
    EXPECT_EQ(*n, 40);
    // One key twice in a batch (the later row wins, both count, as two upserts would): 1 + 1,
    // the 38 others as they are.
    std::vector<Row> twice(rows.begin(), rows.begin() + 38);
    twice.push_back(cluster_row("c200", "first"));
    twice.push_back(cluster_row("c200", "second"));
    auto m = tx->upsert_many(e, twice);
    ASSERT_TRUE(m.has_value()) << m.error().to_string();
    EXPECT_EQ(*m, 2);
    ASSERT_TRUE(tx->commit().is_ok());
  }
  EXPECT_EQ(*store_->count(e), 111);
  EXPECT_EQ((**store_->get(e, {std::string("c200")}))[1], Value(std::string("second")));
  EXPECT_EQ((**store_->get(e, {std::string("c075")}))[1], Value(std::string("renamed")));
  EXPECT_EQ((**store_->get(e, {std::string("c105")}))[1], Value(std::string("New")));
  EXPECT_EQ(*store_->data_version(), 2u);

  // A batch with one broken reference: refused, naming that row, and nothing of it kept.
  const auto& part = entity("participation");
  const auto& org = entity("organisation");
  const auto& proj = entity("project");
  std::vector<Row> orgs;
  for (int i = 0; i < 40; ++i)
    orgs.push_back(make(org, {{"id", fmt::format("o{}", i)},
                              {"name", std::string("Org")},
                              {"kind", std::string("company")}}));
  put(*store_, org, orgs);
  put(*store_, proj,
      {make(proj, {{"id", std::string("p1")},
                   {"acronym", std::string("P1")},
                   {"programme", std::string("FUI")},
                   {"status", std::string("funded")}})});
  std::vector<Row> parts;
  for (int i = 0; i < 40; ++i)
    parts.push_back(make(part, {{"project_id", std::string("p1")},
                                {"organisation_id", fmt::format("o{}", i == 33 ? 999 : i)},
                                {"role", std::string("partner")}}));
  {
    auto tx = std::move(store_->begin()).value();
    auto n = tx->upsert_many(part, parts);
    ASSERT_FALSE(n.has_value());
    EXPECT_EQ(n.error().code(), ErrorCode::kConflict);
    EXPECT_NE(n.error().to_string().find("upsert participation 'p1|o999'"), std::string::npos)
        << n.error().to_string();
  }
  EXPECT_EQ(*store_->count(part), 0);
}

// insert_many: rows the caller knows are new go straight into the table (PostgreSQL: COPY into
// it, no staging table); if one is there after all, the batch is written as upsert_many would.
TEST_P(StoreTest, InsertManyCopiesNewRowsStraightIn) {
  const auto& e = entity("cluster");
  std::vector<Row> rows;
  for (int i = 0; i < 60; ++i)
    rows.push_back(cluster_row(fmt::format("n{:03d}", i), i % 2 ? "tab\there" : "Numérique"));
  rows[3][static_cast<size_t>(schema::field_index(e, "founded"))] = Value();
  auto tx = std::move(store_->begin()).value();
  auto n = tx->insert_many(e, rows);
  ASSERT_TRUE(n.has_value()) << n.error().to_string();
  EXPECT_EQ(*n, 60);
  if (store_->backend() == Backend::kPostgres) {
    auto staged = tx->query(
        "SELECT count(*) FROM pg_class WHERE relname = 'poles_stage_cluster' AND "
        "relpersistence = 't'",
        {});
    ASSERT_TRUE(staged.has_value());
    EXPECT_EQ((*staged)[0][0], Value(int64_t{0})) << "copied straight in";
  }
  // Wrongly said new: 59 rows as they are, one changed, five new: 6, as upserts.
  std::vector<Row> again = rows;
  again[10][1] = std::string("changed");
  for (int i = 60; i < 65; ++i) again.push_back(cluster_row(fmt::format("n{:03d}", i), "New"));
  auto m = tx->insert_many(e, again);
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  EXPECT_EQ(*m, 6);
  ASSERT_TRUE(tx->commit().is_ok());
  EXPECT_EQ(*store_->count(e), 65);
  EXPECT_EQ((**store_->get(e, {std::string("n001")}))[1], Value(std::string("tab\there")));
  EXPECT_EQ((**store_->get(e, {std::string("n010")}))[1], Value(std::string("changed")));
  EXPECT_TRUE(is_null((**store_->get(
      e, {std::string("n003")}))[static_cast<size_t>(schema::field_index(e, "founded"))]));
}

// Many batches in one transaction (an import of a million rows): past the first ones, batches
// go without a savepoint each (PostgreSQL caches 64 subtransactions per transaction); the
// counts stay right, and a refused batch then ends the transaction with an error naming the
// entity and, in PostgreSQL's words, the key.
TEST_P(StoreTest, UpsertManyOverManyBatches) {
  const auto& org = entity("organisation");
  const auto& part = entity("participation");
  const auto& proj = entity("project");
  put(*store_, proj,
      {make(proj, {{"id", std::string("p1")},
                   {"acronym", std::string("P1")},
                   {"programme", std::string("FUI")},
                   {"status", std::string("funded")}})});
  auto tx = std::move(store_->begin()).value();
  int64_t total = 0;
  for (int b = 0; b < 45; ++b) {
    std::vector<Row> batch;
    for (int i = 0; i < 40; ++i)
      batch.push_back(make(org, {{"id", fmt::format("o{}-{}", b, i)},
                                 {"name", std::string("Org")},
                                 {"kind", std::string("company")}}));
    auto n = tx->upsert_many(org, batch);
    ASSERT_TRUE(n.has_value()) << b << ": " << n.error().to_string();
    total += *n;
  }
  EXPECT_EQ(total, 45 * 40);
  std::vector<Row> parts;
  for (int i = 0; i < 40; ++i)
    parts.push_back(
        make(part, {{"project_id", std::string("p1")},
                    {"organisation_id", i == 7 ? std::string("nobody") : fmt::format("o3-{}", i)},
                    {"role", std::string("partner")}}));
  auto n = tx->upsert_many(part, parts);
  ASSERT_FALSE(n.has_value());
  EXPECT_EQ(n.error().code(), ErrorCode::kConflict) << n.error().to_string();
  EXPECT_NE(n.error().to_string().find("upsert participation"), std::string::npos)
      << n.error().to_string();
  EXPECT_NE(n.error().to_string().find("nobody"), std::string::npos) << n.error().to_string();
  tx.reset();
  EXPECT_EQ(*store_->count(org), 0) << "rolled back";
}

// A large load into an empty table (its second batch onwards): on PostgreSQL its foreign keys
// are checked as one query each at commit instead of a trigger per row (defer_references). The
// table keeps every foreign key after the commit, and they hold; a broken reference, even in a
// late batch, fails the commit, naming the table and the missing key, and leaves the store as
// it was.
TEST_P(StoreTest, ALargeLoadIntoAnEmptyTableKeepsItsReferences) {
  put_parents(*store_, 120);
  const auto& part = entity("participation");
  const bool pg = store_->backend() == Backend::kPostgres;
  if (pg) {
    ASSERT_EQ(foreign_keys(*store_, "participation"), 2);
  }
  auto tx = std::move(store_->begin()).value();
  for (int b = 0; b < 3; ++b) {
    auto n = tx->insert_many(part, participations(b * 40, 40, "p1"));
    ASSERT_TRUE(n.has_value()) << b << ": " << n.error().to_string();
    EXPECT_EQ(*n, 40);
  }
  if (pg) {
    EXPECT_EQ(foreign_keys(*tx, "participation"), 0) << "checked at commit, not row by row";
  }
  ASSERT_TRUE(tx->commit().is_ok());
  EXPECT_EQ(*store_->count(part), 120);
  if (pg) {
    EXPECT_EQ(foreign_keys(*store_, "participation"), 2) << "added back";
  }
  // They hold: a participation of an unknown organisation is refused.
  auto tx2 = std::move(store_->begin()).value();
  auto bad = tx2->upsert(part, participations(500, 1, "p1")[0]);
  EXPECT_FALSE(bad.has_value());
  tx2.reset();
  // Deleting the project still deletes its participations (ON DELETE CASCADE kept).
  auto tx3 = std::move(store_->begin()).value();
  ASSERT_TRUE(tx3->remove(entity("project"), {std::string("p1")}).has_value());
  ASSERT_TRUE(tx3->commit().is_ok());
  EXPECT_EQ(*store_->count(part), 0);
}

TEST_P(StoreTest, ABrokenReferenceInALateBatchOfALargeLoadFailsTheCommit) {
  put_parents(*store_, 200);
  const auto& part = entity("participation");
  auto tx = std::move(store_->begin()).value();
  Status failed = Status::ok();
  for (int b = 0; b < 4 && failed.is_ok(); ++b) {
    auto rows = participations(b * 40, 40, "p1");
    if (b == 3) rows[17][1] = std::string("nobody");  // organisation_id
    auto n = tx->insert_many(part, rows);
    if (!n.has_value()) failed = n.error();
  }
  if (failed.is_ok()) failed = tx->commit();
  ASSERT_FALSE(failed.is_ok());
  EXPECT_EQ(failed.code(), ErrorCode::kConflict) << failed.to_string();
  EXPECT_NE(failed.to_string().find("participation"), std::string::npos) << failed.to_string();
  EXPECT_NE(failed.to_string().find("nobody"), std::string::npos) << failed.to_string();
  tx.reset();
  EXPECT_EQ(*store_->count(part), 0) << "nothing written";
  if (store_->backend() == Backend::kPostgres) {
    EXPECT_EQ(foreign_keys(*store_, "participation"), 2) << "still there";
  }
}

// While another connection reads the organisations (a server loading its snapshot), the load
// does not wait for it beyond a short while, nor make that reader wait: the foreign keys stay
// and PostgreSQL checks each row, as before.
TEST_P(StoreTest, ALargeLoadBesideALongReaderChecksEachRow) {
  if (store_->backend() != Backend::kPostgres) GTEST_SKIP() << "PostgreSQL locks";
  put_parents(*store_, 120);
  auto other = Store::open(url_);
  ASSERT_TRUE(other.has_value()) << other.error().to_string();
  auto reader = std::move((*other)->begin()).value();
  ASSERT_TRUE(reader->query("SELECT count(*) FROM \"organisation\"", {}).has_value());
  const auto& part = entity("participation");
  auto tx = std::move(store_->begin()).value();
  for (int b = 0; b < 3; ++b) {
    auto rows = participations(b * 40, 40, "p1");
    if (b == 2) rows[5][1] = std::string("nobody");
    auto n = tx->insert_many(part, rows);
    if (b < 2) {
      ASSERT_TRUE(n.has_value()) << b << ": " << n.error().to_string();
      EXPECT_EQ(foreign_keys(*tx, "participation"), 2) << "left in place";
    } else {
      // Checked row by row: the refused row is named at once, as upsert names it.
      ASSERT_FALSE(n.has_value());
      EXPECT_NE(n.error().to_string().find("upsert participation 'p1|nobody'"), std::string::npos)
          << n.error().to_string();
    }
  }
  // The reader was never blocked: it reads again and ends normally.
  EXPECT_TRUE(reader->query("SELECT count(*) FROM \"project\"", {}).has_value());
  reader.reset();
  tx.reset();
  EXPECT_EQ(foreign_keys(*store_, "participation"), 2);
}

// A PostgreSQL role that may not make temporary tables (TEMPORARY revoked, as a hardened
// database may have it): the batch cannot go through COPY, so it goes row by row — same result.
// Before the fix, the staging table was made outside the savepoint: its refusal aborted the
// transaction, and the import failed.
TEST_P(StoreTest, UpsertManyWithoutTheRightToMakeTemporaryTables) {
  if (store_->backend() != Backend::kPostgres) GTEST_SKIP() << "PostgreSQL privileges";
  const std::string db = url_.substr(url_.rfind('/') + 1);
  const std::string port = url_.substr(url_.rfind(':') + 1, url_.rfind('/') - url_.rfind(':') - 1);
  const auto sql_file = dir_->path() / "weak.sql";
  std::ofstream(sql_file)
      << "DO $$BEGIN CREATE ROLE poles_weak LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; "
         "END$$;\n"
      << "REVOKE TEMPORARY ON DATABASE \"" << db << "\" FROM PUBLIC;\n"
      << "GRANT USAGE, CREATE ON SCHEMA public TO poles_weak;\n"
      << "GRANT ALL ON ALL TABLES IN SCHEMA public TO poles_weak;\n"
      << "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO poles_weak;\n";
  const std::string psql = fmt::format(
      "psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p {} -U postgres -d {} -f {} > {} 2>&1", port,
      db, sql_file.string(), (dir_->path() / "psql.log").string());
  ASSERT_EQ(std::system(psql.c_str()), 0) << psql;
  std::string weak_url = url_;
  weak_url.replace(weak_url.find("postgres@"), 9, "poles_weak@");
  auto weak = Store::open(weak_url);
  ASSERT_TRUE(weak.has_value()) << weak.error().to_string();
  const auto& e = entity("cluster");
  std::vector<Row> rows;
  for (int i = 0; i < 100; ++i) rows.push_back(cluster_row(fmt::format("w{:03d}", i), "Weak"));
  auto tx = std::move((*weak)->begin()).value();
  auto n = tx->upsert_many(e, rows);
  ASSERT_TRUE(n.has_value()) << n.error().to_string();
  EXPECT_EQ(*n, 100);
  rows[5][1] = std::string("Changed");
  auto m = tx->upsert_many(e, rows);
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  EXPECT_EQ(*m, 1);
  ASSERT_TRUE(tx->commit().is_ok());
  EXPECT_EQ(*store_->count(e), 100);
  EXPECT_EQ((**store_->get(e, {std::string("w005")}))[1], Value(std::string("Changed")));
  // Nor is it the tables' owner: a large load into an empty table cannot drop their foreign
  // keys for the load (defer_references), so PostgreSQL checks each row, as before.
  put_parents(*store_, 120);
  const auto& part = entity("participation");
  auto tx2 = std::move((*weak)->begin()).value();
  for (int b = 0; b < 3; ++b) {
    auto k = tx2->insert_many(part, participations(b * 40, 40, "p1"));
    ASSERT_TRUE(k.has_value()) << b << ": " << k.error().to_string();
  }
  EXPECT_EQ(foreign_keys(*tx2, "participation"), 2) << "left in place";
  ASSERT_TRUE(tx2->commit().is_ok());
  EXPECT_EQ(*store_->count(part), 120);
  EXPECT_EQ(foreign_keys(*store_, "participation"), 2);
}

// PostgreSQL announces each new data version at commit (NOTIFY); a server's VersionWatch hears
// it on a connection of its own: at once for each change, once after a burst has settled, never
// for an account write or a rolled-back change.
TEST_P(StoreTest, CommitsThatChangeDataAreAnnouncedToWatchers) {
  if (store_->backend() != Backend::kPostgres) GTEST_SKIP() << "LISTEN/NOTIFY: PostgreSQL only";
  std::mutex mu;
  std::vector<uint64_t> changed, settled;
  VersionWatch watch(url_,
                     {[&](uint64_t v) {
                        std::lock_guard lock(mu);
                        changed.push_back(v);
                      },
                      [&](uint64_t v) {
                        std::lock_guard lock(mu);
                        settled.push_back(v);
                      }},
                     std::chrono::milliseconds(300));
  const auto wait_for = [&](auto done) {
    for (int i = 0; i < 100; ++i) {
      {
        std::lock_guard lock(mu);
        if (done()) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  };
  ASSERT_TRUE(wait_for([&] { return watch.listening(); })) << "the watch never connected";
  const auto& e = entity("cluster");
  auto other = reopen();  // another server's connection
  put(*other, e, {cluster_row("a", "A")});
  put(*other, e, {cluster_row("b", "B")});
  put(*other, e, {cluster_row("c", "C")});
  ASSERT_TRUE(wait_for([&] { return !settled.empty(); }));
  {
    std::lock_guard lock(mu);
    ASSERT_FALSE(changed.empty());
    EXPECT_EQ(changed.back(), 3u);
    EXPECT_TRUE(std::is_sorted(changed.begin(), changed.end()));
    EXPECT_EQ(settled, (std::vector<uint64_t>{3})) << "one call after the burst";
  }
  EXPECT_EQ(watch.notifications(), 3u);
  // Anyone connected may NOTIFY: a forged version is not believed (the store is read).
  {
    auto tx = std::move(other->begin()).value();
    ASSERT_TRUE(tx->query("SELECT pg_notify('poles_data', '99999999999')", {}).has_value());
    ASSERT_TRUE(tx->commit().is_ok());
  }
  ASSERT_TRUE(wait_for([&] { return watch.notifications() == 4u; }));
  // An account write and a rolled-back change announce nothing.
  {
    auto tx = std::move(other->begin()).value();
    ASSERT_TRUE(
        tx->append_audit({0, "2026-12-02T00:00:00Z", "alice", "login", "", "", "", ""}).is_ok());
    ASSERT_TRUE(tx->commit().is_ok());
  }
  {
    auto tx = std::move(other->begin()).value();
    ASSERT_TRUE(tx->upsert(e, cluster_row("d", "D")).has_value());
  }
  put(*other, e, {cluster_row("e", "E")});
  ASSERT_TRUE(wait_for([&] { return settled.size() == 2; }));
  std::lock_guard lock(mu);
  EXPECT_EQ(changed.back(), 4u);
  EXPECT_EQ(settled, (std::vector<uint64_t>{3, 4}));
  EXPECT_EQ(watch.notifications(), 5u) << "the forged one, then nothing for the audit entry or "
                                          "the rollback";
}

POLES_BOTH_BACKENDS(StoreTest);

}  // namespace
}  // namespace poles::store
