#include "snapshot/snapshot.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/date.h"
#include "import/importer.h"
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
};

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
