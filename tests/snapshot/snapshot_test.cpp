#include "snapshot/snapshot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "core/date.h"
#include "demo/load.h"
#include "import/importer.h"
#include "pipeline/funnel.h"
#include "snapshot/loader.h"
#include "store_fixture.h"

namespace poles::snapshot {
namespace {

class SnapshotTest : public testing::StoreTest {
 protected:
  void import(const std::string& entity, const std::string& csv) {
    std::istringstream in(csv);
    auto r = import::import_csv(*store_, *schema::find_entity(entity), in, entity + ".csv", {});
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
  }
  void seed() {
    import("cluster",
           "id,name,region,scale\naero,Aerospace Valley,76,national\nmina,Minalogic,84,regional\n");
    import("organisation",
           "id,name,kind,siren,commune,headcount,turnover\n"
           "o1,Un,company,732829320,31555,12,1500000\n"
           "o2,Deux,research,,75056,,\n");
    import("project",
           "id,acronym,programme,status,total_cost,public_aid,trl_start,trl_target,follow_on_of\n"
           "p2,BETA,ANR,labelled,500000,250000,2,4,p1\n"
           "p1,ALPHA,FUI,funded,1000000,400000,3,6,\n");
    import("participation",
           "project_id,organisation_id,role,cost\np1,o1,coordinator,600000\np1,o2,partner,\np2,o2,"
           "coordinator,1\n");
    import("membership", "organisation_id,cluster_id,start_date\no1,mina,2019-03-01\n");
  }
  // Loads through the cache file `cache` (an empty path: none).
  SnapshotPtr load_with(const std::filesystem::path& cache, LoadReport* report = nullptr,
                        const std::vector<std::string_view>& tables = {}) {
    LoadOptions o;
    o.cache_file = cache;
    o.report = report;
    auto snap = tables.empty() ? load(*store_, o) : load(*store_, tables, o);
    EXPECT_TRUE(snap.has_value()) << snap.error().to_string();
    return snap.has_value() ? *snap : nullptr;
  }
  std::filesystem::path file() const { return cache_dir_ / "cache.snapshot"; }

  testing::TempDir cache_dir_;
};

// Every table, column, value, dictionary and key of two snapshots are the same.
void expect_same_table(const Table& a, const Table& b) {
  const std::string name(a.entity->name);
  ASSERT_EQ(a.entity, b.entity);
  ASSERT_EQ(a.rows, b.rows) << name;
  ASSERT_EQ(a.columns.size(), b.columns.size()) << name;
  for (size_t ci = 0; ci < a.columns.size(); ++ci) {
    const Column& x = a.columns[ci];
    const Column& y = b.columns[ci];
    const std::string where = name + "." + std::string(x.field->name);
    EXPECT_EQ(x.field, y.field) << where;
    EXPECT_EQ(x.storage, y.storage) << where;
    EXPECT_EQ(x.ref_table, y.ref_table) << where;
    EXPECT_TRUE(std::ranges::equal(x.ints, y.ints)) << where;
    EXPECT_TRUE(std::ranges::equal(x.present, y.present)) << where;
    EXPECT_TRUE(std::ranges::equal(x.codes, y.codes)) << where;
    // Bit for bit (NaN included).
    ASSERT_EQ(x.reals.size(), y.reals.size()) << where;
    if (!x.reals.empty()) {
      EXPECT_EQ(std::memcmp(x.reals.data(), y.reals.data(), x.reals.size_bytes()), 0) << where;
    }
    EXPECT_TRUE(std::ranges::equal(x.dict, y.dict)) << where;
    for (size_t r = 0; r < a.rows; ++r) {
      if (x.is_null(r) != y.is_null(r)) ADD_FAILURE() << where << " row " << r;
    }
  }
  EXPECT_TRUE(std::ranges::equal(a.key_slots, b.key_slots)) << name;
  EXPECT_TRUE(std::ranges::equal(a.ref_keys, b.ref_keys)) << name;
  if (schema::single_key_index(*a.entity) >= 0) {
    for (size_t r = 0; r < a.rows; ++r) {
      ASSERT_EQ(a.key(r), b.key(r)) << name;
      ASSERT_EQ(b.find(a.key(r)), static_cast<int32_t>(r)) << name << " key " << a.key(r);
    }
    EXPECT_EQ(b.find("no such key"), -1);
  }
}

void expect_same(const Snapshot& a, const Snapshot& b) {
  EXPECT_EQ(a.version, b.version);
  ASSERT_EQ(a.tables.size(), b.tables.size());
  for (size_t t = 0; t < a.tables.size(); ++t) expect_same_table(a.tables[t], b.tables[t]);
}

void expect_same_funnels(const Snapshot& a, const Snapshot& b) {
  const auto fa = pipeline::funnel(a, {}, pipeline::GroupBy::kProgramme);
  const auto fb = pipeline::funnel(b, {}, pipeline::GroupBy::kProgramme);
  ASSERT_EQ(fa.size(), fb.size());
  ASSERT_FALSE(fa.empty());
  for (size_t i = 0; i < fa.size(); ++i) {
    EXPECT_EQ(fa[i].group, fb[i].group);
    EXPECT_EQ(fa[i].projects, fb[i].projects);
    EXPECT_EQ(fa[i].reached, fb[i].reached);
    EXPECT_EQ(fa[i].total_cost, fb[i].total_cost);
    EXPECT_EQ(fa[i].time_to_market.median_days, fb[i].time_to_market.median_days);
  }
}

// Flips one byte of a file in place.
void flip_byte(const std::filesystem::path& p, uint64_t offset) {
  std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5a);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(&c, 1);
}

TEST_P(SnapshotTest, ColumnsAreTypedAndReferencesAreRowIndices) {
  seed();
  auto snap = load(*store_);
  ASSERT_TRUE(snap.has_value()) << snap.error().to_string();
  const Snapshot& s = **snap;
  EXPECT_EQ(s.version, *store_->data_version());

  const Table& org = s.table("organisation");
  ASSERT_EQ(org.rows, 2u);
  EXPECT_EQ(org.find("o2"), 1);
  EXPECT_EQ(org.find("nope"), -1);
  EXPECT_EQ(org.column("region").text(static_cast<size_t>(org.find("o1"))),
            "76");  // derived from the commune
  EXPECT_DOUBLE_EQ(org.column("turnover").reals[0], 1500000);
  EXPECT_TRUE(org.column("turnover").is_null(1));
  const Column& kind = org.column("kind");
  EXPECT_EQ(kind.storage, Storage::kCode);
  EXPECT_EQ(kind.dict[static_cast<size_t>(kind.codes[1])], "research");
  // Enumerations keep the field's code order, so code indices are stable across snapshots.
  EXPECT_EQ(kind.code_of("company"), 0);

  const Table& proj = s.table("project");
  const Column& follow = proj.column("follow_on_of");
  EXPECT_EQ(follow.storage, Storage::kRef);
  const auto p2 = static_cast<size_t>(proj.find("p2"));
  EXPECT_EQ(follow.codes[p2], proj.find("p1"));
  EXPECT_TRUE(follow.is_null(static_cast<size_t>(proj.find("p1"))));
  EXPECT_EQ(proj.column("trl_target").ints[p2], 4);
  EXPECT_EQ(proj.key(p2), "p2");

  const Table& part = s.table("participation");
  ASSERT_EQ(part.rows, 3u);
  const Column& pid = part.column("project_id");
  const Column& oid = part.column("organisation_id");
  double p1_cost = 0;
  for (size_t r = 0; r < part.rows; ++r) {
    if (pid.codes[r] == proj.find("p1") && !part.column("cost").is_null(r))
      p1_cost += part.column("cost").reals[r];
    EXPECT_GE(oid.codes[r], 0);
  }
  EXPECT_DOUBLE_EQ(p1_cost, 600000);

  const Table& mem = s.table("membership");
  EXPECT_EQ(mem.column("start_date").ints[0], Date::parse("2019-03-01")->to_days());
  EXPECT_TRUE(mem.column("end_date").is_null(0));
  EXPECT_EQ(s.table("cluster").key(static_cast<size_t>(mem.column("cluster_id").codes[0])), "mina");
}

TEST_P(SnapshotTest, CacheReloadsOnlyWhenTheStoreChanged) {
  seed();
  Cache cache;
  EXPECT_EQ(cache.peek(), nullptr);
  auto a = cache.get(*store_);
  ASSERT_TRUE(a.has_value());
  auto b = cache.get(*store_);
  EXPECT_EQ(a->get(), b->get()) << "same version: same snapshot object";
  // A write from another connection moves the version; the next get sees it.
  auto other = reopen();
  std::istringstream in("id,name,region,scale\nnew,Nouveau,11,regional\n");
  ASSERT_TRUE(
      import::import_csv(*other, *schema::find_entity("cluster"), in, "c.csv", {}).has_value());
  auto c = cache.get(*store_);
  ASSERT_TRUE(c.has_value());
  EXPECT_NE(c->get(), a->get());
  EXPECT_GT((*c)->version, (*a)->version);
  EXPECT_EQ((*c)->table("cluster").rows, 3u);
  EXPECT_EQ((*a)->table("cluster").rows, 2u) << "an old snapshot never changes";
  // A re-import that changes nothing keeps the version and the snapshot.
  std::istringstream same("id,name,region,scale\nnew,Nouveau,11,regional\n");
  ASSERT_TRUE(
      import::import_csv(*other, *schema::find_entity("cluster"), same, "c.csv", {}).has_value());
  EXPECT_EQ(cache.get(*store_)->get(), c->get());
}

TEST_P(SnapshotTest, CacheFileHoldsTheSnapshotOfTheStore) {
  seed();
  import("firm_year",
         "siren,year,headcount,turnover,naf\n732829320,2019,12,1500000,2611Z\n"
         "732829320,2020,,,\n");
  LoadReport first, second;
  const SnapshotPtr from_store = load_with(file(), &first);
  EXPECT_FALSE(first.from_file);
  EXPECT_TRUE(first.wrote_file) << first.note;
  EXPECT_EQ(first.tables_from_store, static_cast<int>(schema::entities().size()));
  ASSERT_TRUE(std::filesystem::exists(file()));
  const SnapshotPtr mapped = load_with(file(), &second);
  EXPECT_TRUE(second.from_file) << second.note;
  EXPECT_EQ(second.tables_from_store, 0);
  EXPECT_FALSE(second.wrote_file);
  ASSERT_NE(mapped, nullptr);
  expect_same(*from_store, *mapped);
  expect_same(*load_with(""), *mapped);
  // The columns are used in place: they point into the mapping, not into copies.
  EXPECT_EQ(mapped->storage.size(), 1u);
  EXPECT_EQ(mapped->table("firm_year").rows, 2u);
  EXPECT_TRUE(mapped->table("firm_year").column("turnover").is_null(1));
  expect_same_funnels(*from_store, *mapped);
}

// Every entity of the small demo, references of every kind (a key that is a reference too):
// the snapshot mapped from the file is the one read from the store. SQLite only: the demo takes
// a minute to write into PostgreSQL in a debug build.
TEST(SnapshotCacheFile, SmallDemoMappedIsTheSnapshotOfTheStore) {
  testing::TempDir dir;
  auto store = std::move(store::Store::open((dir / "demo.db").string())).value();
  demo::Options o;
  o.scale = demo::Scale::kSmall;
  o.seed = 11;
  ASSERT_TRUE(demo::generate_into(*store, o).has_value());
  LoadReport r;
  LoadOptions options;
  options.report = &r;
  const SnapshotPtr from_store = *load(*store, options);
  EXPECT_TRUE(r.wrote_file) << r.note;
  EXPECT_EQ(r.file, (dir / "demo.db").string() + ".snapshot");
  const SnapshotPtr mapped = *load(*store, options);
  EXPECT_TRUE(r.from_file) << r.note;
  for (const auto& t : mapped->tables) {
    // National figures serve a store of one cluster; communes are INSEE's list, loaded from its
    // file; identifiers are what imports and merges record.
    if (t.entity->name == "national_figure" || t.entity->name == "commune" ||
        t.entity->name == "organisation_identifier")
      continue;
    EXPECT_GT(t.rows, 0u) << t.entity->name << ": the small demo fills every table";
  }
  EXPECT_FALSE(mapped->table("decision").ref_keys.empty());
  expect_same(*from_store, *mapped);
  expect_same_funnels(*from_store, *mapped);
}

TEST_P(SnapshotTest, PartialLoadsReadTheFileAndAddTheirTablesToIt) {
  seed();
  import("firm_year", "siren,year,headcount\n732829320,2019,12\n");
  const SnapshotPtr all = load_with("");
  LoadReport r;
  // The network's tables: the file then holds them and what they refer to.
  const std::vector<std::string_view> few = {"participation"};
  const SnapshotPtr a = load_with(file(), &r, few);
  EXPECT_TRUE(r.wrote_file) << r.note;
  EXPECT_EQ(r.tables_from_store, 5)
      << "participation, project, organisation, and the programme referential with its funders";
  EXPECT_EQ(a->table("cluster").rows, 0u);
  expect_same_table(all->table("participation"), a->table("participation"));
  const SnapshotPtr b = load_with(file(), &r, few);
  EXPECT_TRUE(r.from_file) << r.note;
  expect_same(*a, *b);
  // Other tables: read from the store, those the file holds mapped, the file rewritten with both.
  const SnapshotPtr c = load_with(file(), &r, {"membership", "firm_year"});
  EXPECT_FALSE(r.from_file);
  EXPECT_EQ(r.tables_from_file, 1) << "organisation";
  EXPECT_EQ(r.tables_from_store, 5)
      << "membership, cluster, the S3 domains it names and their filières, firm_year";
  EXPECT_TRUE(r.wrote_file) << r.note;
  EXPECT_EQ(c->table("participation").rows, 0u) << "a partial load leaves other tables empty";
  expect_same_table(all->table("membership"), c->table("membership"));
  const SnapshotPtr d = load_with(file(), &r, {"firm_year", "participation", "membership"});
  EXPECT_TRUE(r.from_file) << r.note;
  for (const char* t : {"firm_year", "participation", "membership", "organisation", "cluster"})
    expect_same_table(all->table(t), d->table(t));
  // A full load completes the file; the next one maps everything.
  expect_same(*all, *load_with(file(), &r));
  EXPECT_TRUE(r.wrote_file) << r.note;
  expect_same(*all, *load_with(file(), &r));
  EXPECT_TRUE(r.from_file) << r.note;
}

TEST_P(SnapshotTest, StaleCacheFileIsIgnoredAndRewritten) {
  seed();
  LoadReport r;
  const SnapshotPtr before = load_with(file(), &r);
  EXPECT_TRUE(r.wrote_file);
  import("cluster", "id,name,region,scale\nnew,Nouveau,11,regional\n");
  const SnapshotPtr after = load_with(file(), &r);
  EXPECT_FALSE(r.from_file);
  EXPECT_NE(r.note.find("data version"), std::string::npos) << r.note;
  EXPECT_TRUE(r.wrote_file);
  EXPECT_EQ(after->table("cluster").rows, 3u);
  EXPECT_EQ(after->version, *store_->data_version());
  const SnapshotPtr again = load_with(file(), &r);
  EXPECT_TRUE(r.from_file) << r.note;
  expect_same(*after, *again);
  EXPECT_EQ(before->table("cluster").rows, 2u) << "an old snapshot never changes";
}

TEST_P(SnapshotTest, CorruptCacheFileIsIgnoredAndRewritten) {
  seed();
  const SnapshotPtr truth = load_with("");
  LoadReport r;
  load_with(file(), &r);
  ASSERT_TRUE(r.wrote_file);
  const auto size = std::filesystem::file_size(file());
  const std::string good = testing::read_file(file());
  struct Damage {
    std::string what;
    std::function<void()> make;
    std::string_view note;  // what the loader says of the file
  };
  const std::vector<Damage> damages = {
      {"truncated", [&] { std::filesystem::resize_file(file(), size / 2); }, "bytes instead of"},
      {"empty", [&] { std::filesystem::resize_file(file(), 0); }, "truncated"},
      {"one byte short", [&] { std::filesystem::resize_file(file(), size - 1); }, "bytes instead"},
      {"foreign", [&] { testing::write_file(file(), std::string(4096, 'x')); }, "not a snapshot"},
      {"header", [&] { flip_byte(file(), 20); }, "bad header checksum"},
      {"table data", [&] { flip_byte(file(), 200); }, "bad checksum of table"},
      {"directory", [&] { flip_byte(file(), size - 40); }, "bad directory checksum"},
  };
  for (const auto& [what, damage, note] : damages) {
    testing::write_file(file(), good);
    damage();
    const SnapshotPtr s = load_with(file(), &r);
    EXPECT_FALSE(r.from_file) << what;
    EXPECT_NE(r.note.find(note), std::string::npos) << what << ": " << r.note;
    EXPECT_TRUE(r.wrote_file) << what << ": " << r.note;
    expect_same(*truth, *s);
    load_with(file(), &r);
    EXPECT_TRUE(r.from_file) << what << ": rewritten, then used: " << r.note;
  }
}

TEST_P(SnapshotTest, WritesToAccountsKeepTheCacheFile) {
  seed();
  LoadReport r;
  load_with(file(), &r);
  ASSERT_TRUE(r.wrote_file);
  auto tx = std::move(store_->begin()).value();
  ASSERT_TRUE(tx->execute("INSERT INTO app_user (name, password_hash, role, disabled, created_at) "
                          "VALUES (?, 'x', 'admin', 0, '2026-01-01T00:00:00Z')",
                          {std::string("ada")})
                  .is_ok());
  ASSERT_TRUE(tx->commit().is_ok());
  load_with(file(), &r);
  EXPECT_TRUE(r.from_file) << r.note;
}

TEST_P(SnapshotTest, ConcurrentLoadsAgree) {
  seed();
  const SnapshotPtr truth = load_with("");
  std::vector<SnapshotPtr> got(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&, i] {
      auto s = reopen();
      for (int k = 0; k < 3; ++k) {
        LoadOptions o;
        o.cache_file = file();
        auto snap = load(*s, o);
        if (snap.has_value()) got[i] = *snap;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& s : got) {
    ASSERT_NE(s, nullptr);
    expect_same(*truth, *s);
  }
}

TEST(SnapshotCacheFile, AnotherDatabaseAtTheSamePathIsNotTrusted) {
  testing::TempDir dir;
  const auto db = dir / "same.db";
  const auto open_seeded = [&](const std::string& name) {
    auto s = std::move(store::Store::open(db.string())).value();
    auto tx = std::move(s->begin()).value();
    const auto& e = *schema::find_entity("cluster");
    Row row(e.fields.size());
    row[0] = std::string("c1");
    row[1] = name;
    row[static_cast<size_t>(schema::field_index(e, "region"))] = std::string("84");
    row[static_cast<size_t>(schema::field_index(e, "scale"))] = std::string("national");
    EXPECT_TRUE(tx->upsert(e, row).has_value());
    EXPECT_TRUE(tx->commit().is_ok());
    return s;
  };
  LoadReport r;
  LoadOptions o;
  o.report = &r;
  {
    auto a = open_seeded("First");
    ASSERT_TRUE(load(*a, o).has_value());
    EXPECT_TRUE(r.wrote_file) << r.note;
    EXPECT_EQ(r.file, db.string() + ".snapshot");
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
  auto b = open_seeded("Second");
  auto snap = load(*b, o);
  ASSERT_TRUE(snap.has_value());
  EXPECT_FALSE(r.from_file) << "same path and data version, another database";
  EXPECT_EQ((*snap)->table("cluster").column("name").text(0), "Second");
}

TEST(SnapshotBuilder, UnknownReferenceIsAnError) {
  Builder b;
  b.add(*schema::find_entity("project"), Row{std::string("p1"), std::string("A")});
  Row part(schema::find_entity("participation")->fields.size());
  part[0] = std::string("p1");
  part[1] = std::string("ghost");
  b.add(*schema::find_entity("participation"), part);
  auto s = std::move(b).build(7);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message(),
            "snapshot: participation row 0 field 'organisation_id' refers to unknown organisation "
            "'ghost'");
}

// Regression: a table whose single key is itself a reference (decision -> proposal) crashed the
// key index, which read row indices that were not resolved yet.
TEST(SnapshotBuilder, KeyThatIsAReference) {
  Builder b;
  auto row_of = [](std::string_view entity,
                   std::initializer_list<std::pair<std::string_view, Value>> cells) {
    const auto* e = schema::find_entity(entity);
    Row r(e->fields.size());
    for (const auto& [f, v] : cells) r[static_cast<size_t>(schema::field_index(*e, f))] = v;
    return r;
  };
  b.add(*schema::find_entity("proposal"),
        row_of("proposal", {{"id", std::string("x1")}, {"title", std::string("X")}}));
  b.add(*schema::find_entity("proposal"),
        row_of("proposal", {{"id", std::string("x2")}, {"title", std::string("Y")}}));
  b.add(*schema::find_entity("decision"),
        row_of("decision",
               {{"proposal_id", std::string("x2")}, {"decision", std::string("funded")}}));
  auto s = std::move(b).build(1);
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  const Table& d = (*s)->table("decision");
  EXPECT_EQ(d.find("x2"), 0);
  EXPECT_EQ(d.key(0), "x2");
  EXPECT_EQ(d.column("proposal_id").codes[0], (*s)->table("proposal").find("x2"));
}

POLES_BOTH_BACKENDS(SnapshotTest);

}  // namespace
}  // namespace poles::snapshot
