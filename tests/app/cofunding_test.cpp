// A Region's co-funding (app/cofunding.h) on the small demo: its money, projects and cost per euro
// against sums written in SQL here (not through the engine), by owning cluster with the
// ownership rule of docs/access.md in SQL; its clusters' published evaluations appear once a
// year is published, never before; who may read it, by hand.
#include "app/cofunding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "app/access.h"
#include "app/evaluate.h"
#include "demo/load.h"
#include "snapshot/loader.h"
#include "test_support.h"

namespace poles::app {
namespace {

class Cofunding : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto s = store::Store::open((*dir_ / "d.db").string());
    ASSERT_TRUE(s.has_value());
    demo::Options o;
    o.scale = demo::Scale::kSmall;
    ASSERT_TRUE(demo::generate_into(**s, o).has_value());
    auto snap = snapshot::load(**s);
    ASSERT_TRUE(snap.has_value());
    snap_ = *snap;
    store_ = s->release();
  }
  static void TearDownTestSuite() {
    snap_.reset();
    delete store_;
    delete dir_;
  }
  static Result<RegionCofunding> view(const std::string& region, int from, int to) {
    auto a =
        parse(cofunding_params(), {{"from", std::to_string(from)}, {"to", std::to_string(to)}});
    if (!a) return a.error();
    return region_cofunding(*snap_, *store_, region, *a);
  }
  static std::vector<Row> sql(const std::string& q) {
    auto rows = query_on(*store_)(q, {});
    EXPECT_TRUE(rows.has_value()) << q;
    return rows ? *rows : std::vector<Row>{};
  }
  static double number(const Value& v) {
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    return 0;
  }
  static inline store::Store* store_ = nullptr;
  static inline testing::TempDir* dir_ = nullptr;
  static inline snapshot::SnapshotPtr snap_;
};

// The Region's money on the projects starting in the window, in SQL.
constexpr const char* kMoney = R"(
  WITH money AS (
    SELECT pf.project_id, sum(pf.amount) AS aid FROM project_funding pf
    JOIN funder f ON f.id = pf.funder_id JOIN project p ON p.id = pf.project_id
    WHERE f.region = '11' AND substr(p.start_date, 1, 4) BETWEEN '2013' AND '2022'
    GROUP BY pf.project_id)
  SELECT (SELECT l.cluster_id FROM project_label l WHERE l.project_id = m.project_id
          ORDER BY l.date, l.cluster_id LIMIT 1) AS owner,
         count(*), sum(m.aid), sum(coalesce(p.total_cost, 0)), sum(coalesce(p.public_aid, 0))
  FROM money m JOIN project p ON p.id = m.project_id GROUP BY owner ORDER BY owner)";

TEST_F(Cofunding, TheRegionsMoneyByClusterEqualsSumsWrittenInSql) {
  const auto x = view("11", 2013, 2022);
  ASSERT_TRUE(x.has_value()) << x.error().to_string();
  EXPECT_EQ(x->name, "Île-de-France");
  ASSERT_EQ(x->years.size(), 10u);
  double aid = 0, cost = 0, public_aid = 0;
  int projects = 0;
  std::map<std::string, std::tuple<int, double, double>> by_owner;
  for (const auto& r : sql(kMoney)) {
    const int n = static_cast<int>(number(r[1]));
    projects += n;
    aid += number(r[2]);
    cost += number(r[3]);
    public_aid += number(r[4]);
    if (const auto* owner = std::get_if<std::string>(&r[0]))
      by_owner[*owner] = {n, number(r[2]), number(r[3])};
  }
  ASSERT_GE(projects, 8) << "the small demo's Region 11 co-funds projects in 2013–2022";
  EXPECT_EQ(x->projects, projects);
  EXPECT_NEAR(x->aid, aid, 1e-6);
  EXPECT_NEAR(x->project_cost, cost, 1e-6);
  EXPECT_NEAR(*x->cost_per_euro, cost / aid, 1e-12);
  EXPECT_NEAR(*x->aid_share, aid / public_aid, 1e-12);
  double by_year = 0;
  for (const auto& y : x->years) by_year += y.aid;
  EXPECT_NEAR(by_year, aid, 1e-6);
  double by_funder = 0;
  for (const auto& f : x->funders) by_funder += f.aid;
  EXPECT_NEAR(by_funder, aid, 1e-6);
  for (const auto& [owner, expected] : by_owner) {
    const auto it = std::find_if(x->clusters.begin(), x->clusters.end(),
                                 [&, id = owner](const auto& c) { return c.cluster == id; });
    ASSERT_NE(it, x->clusters.end()) << owner;
    EXPECT_EQ(it->projects, std::get<0>(expected)) << owner;
    EXPECT_NEAR(it->aid, std::get<1>(expected), 1e-6) << owner;
    EXPECT_NEAR(it->project_cost, std::get<2>(expected), 1e-6) << owner;
  }
  // Every cluster of region 11 is listed, co-funded or not; and marked as the Region's own.
  for (const auto& r : sql("SELECT id FROM cluster WHERE region = '11'")) {
    const auto id = std::get<std::string>(r[0]);
    const auto it = std::find_if(x->clusters.begin(), x->clusters.end(),
                                 [&](const auto& c) { return c.cluster == id; });
    ASSERT_NE(it, x->clusters.end()) << id;
    EXPECT_TRUE(it->home);
  }
}

TEST_F(Cofunding, PublishedEvaluationsOnlyAndOnlyForTheRegionsClusters) {
  auto before = view("11", 2019, 2022);
  ASSERT_TRUE(before.has_value());
  EXPECT_TRUE(before->published_years.empty());
  for (const auto& c : before->clusters) EXPECT_TRUE(c.evaluations.empty()) << c.cluster;

  auto a = parse(evaluation_params(), {{"year", "2022"}, {"draws", "100"}, {"sobol_n", "0"}});
  ASSERT_TRUE(a.has_value());
  auto ev = evaluation(*snap_, *a);
  ASSERT_TRUE(ev.has_value()) << ev.error().to_string();
  const User state{"etat", Role::kState, "", false};
  ASSERT_TRUE(publish_evaluation(*store_, state, *ev, tj::Json::object(), {}).has_value());

  auto after = view("11", 2019, 2022);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->published_years, std::vector<int>{2022});
  int home_rated = 0;
  for (const auto& c : after->clusters) {
    if (!c.home) {
      EXPECT_TRUE(c.evaluations.empty()) << c.cluster << ": another region's cluster";
      continue;
    }
    const auto* e = ev->find(c.cluster);
    if (e == nullptr) continue;  // not labelled in 2022
    ASSERT_EQ(c.evaluations.size(), 1u) << c.cluster;
    EXPECT_EQ(c.evaluations[0].year, 2022);
    EXPECT_EQ(c.evaluations[0].rating, e->rating) << c.cluster;
    EXPECT_EQ(c.evaluations[0].rank, e->rank) << c.cluster;
    ++home_rated;
  }
  EXPECT_GE(home_rated, 2) << "the small demo's region 11 holds several clusters";
}

TEST_F(Cofunding, BadRegionOrWindowIsRefusedWithTheRule) {
  auto none = view("99", 2019, 2022);
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(none.error().message(), "no region '99'");
  auto reversed = view("11", 2022, 2019);
  ASSERT_FALSE(reversed.has_value());
  EXPECT_EQ(reversed.error().code(), ErrorCode::kInvalidArgument);
  auto wide = view("11", 2005, 2020);
  ASSERT_FALSE(wide.has_value());
  EXPECT_NE(wide.error().message().find("at most 12 years"), std::string::npos);
}

// Who reads a region's view, written by hand from docs/access.md.
TEST(CofundingAccess, ARegionReadsItsOwnTheStateEveryOneOthersNone) {
  const User region{"r", Role::kRegion, "11", false};
  EXPECT_TRUE(may_read_region_view(region, "region_cofunding", "11"));
  EXPECT_FALSE(may_read_region_view(region, "region_cofunding", "24"));
  const User unscoped{"r0", Role::kRegion, "", false};
  EXPECT_FALSE(may_read_region_view(unscoped, "region_cofunding", ""));
  for (Role r : {Role::kAdmin, Role::kState, Role::kEvaluator})
    EXPECT_TRUE(may_read_region_view(User{"x", r, "", false}, "region_cofunding", "24"));
  for (Role r : {Role::kClusterManager, Role::kMember, Role::kReviewer})
    EXPECT_FALSE(may_read_region_view(User{"x", r, "11", false}, "region_cofunding", "11"));
}

}  // namespace
}  // namespace poles::app
