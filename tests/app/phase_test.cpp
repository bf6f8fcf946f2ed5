// A cluster over a phase of years (app/phase.h), on evaluations written by hand: expectations
// computed by hand below, never by the code under test.
#include "app/phase.h"

#include <gtest/gtest.h>

namespace poles::app {
namespace {

EvaluatedCluster phase_cluster(const std::string& id, int rank, const std::string& rating,
                               double members, double sme_share, bool criterion_met,
                               bool target_met) {
  EvaluatedCluster c;
  c.cluster = id;
  c.name = id;
  c.rank = rank;
  c.rank_interval = {static_cast<double>(rank - 1), static_cast<double>(rank),
                     static_cast<double>(rank + 2)};
  c.rating = rating;
  c.pillars.items = {{"members", 0.1 * rank}, {"projects", std::nullopt}};
  c.indicators.items = {{"members", members}, {"sme_member_share", sme_share}};
  c.criteria.push_back({"floor", "members", members, criterion_met, "", "", {}});
  c.targets.push_back({"members", 100, members, "higher", target_met});
  c.action.level = criterion_met ? 0 : 2;
  return c;
}

YearEvaluation phase_year(int year, std::vector<EvaluatedCluster> clusters) {
  YearEvaluation ev;
  ev.year = year;
  ev.evaluated = static_cast<int>(clusters.size());
  ev.method.name = "default";
  ev.method.pillars = {"members", "projects"};
  ev.method.indicators = {"members", "sme_member_share"};
  ev.clusters = std::move(clusters);
  return ev;
}

TEST(Phase, LevelsTrendAndConsistencyOverTheYears) {
  // a climbs 10 -> 7 -> 4 (slope -3 places a year: 6 places over the span, "up"); b stays 2nd.
  // a's members 100 -> 110 -> 121: +10 % a year; its SME share 0.50 -> 0.60: +5 points a year.
  const std::vector<YearEvaluation> years = {
      phase_year(2019, {phase_cluster("a", 10, "performing", 100, 0.50, false, true),
                        phase_cluster("b", 2, "very_performing", 50, 0.3, true, true)}),
      phase_year(2020, {phase_cluster("a", 7, "performing", 110, 0.55, true, true),
                        phase_cluster("b", 2, "very_performing", 50, 0.3, true, true)}),
      phase_year(2021, {phase_cluster("a", 4, "very_performing", 121, 0.60, true, true),
                        phase_cluster("b", 3, "very_performing", 50, 0.3, true, true)})};
  const auto phase = phase_of(years, {true, true, false});
  EXPECT_EQ(phase.from, 2019);
  EXPECT_EQ(phase.to, 2021);
  EXPECT_EQ(phase.published_years, (std::vector<int>{2019, 2020}));
  ASSERT_EQ(phase.clusters.size(), 2U);
  EXPECT_EQ(phase.clusters[0].cluster, "b") << "by median rank: b 2, a 7";
  const PhaseCluster& a = *phase.find("a");
  ASSERT_EQ(a.years.size(), 3U);
  EXPECT_TRUE(a.years[0].published);
  EXPECT_FALSE(a.years[2].published);
  EXPECT_EQ(a.years[0].criteria_failed, 1);
  EXPECT_EQ(a.years[0].action_level, 2);
  EXPECT_DOUBLE_EQ(*a.median_rank, 7);
  EXPECT_DOUBLE_EQ(*a.rank_slope, -3);
  EXPECT_EQ(a.trend, "up");
  EXPECT_EQ(a.best_rank, 4);
  EXPECT_EQ(a.worst_rank, 10);
  EXPECT_EQ(a.rating, "performing") << "two years of three";
  EXPECT_EQ(a.years_rated, 2);
  EXPECT_EQ(a.years_with_rating, 3);
  EXPECT_EQ(a.consistency, "variable");
  EXPECT_EQ(a.years_all_criteria_met, 2);
  EXPECT_EQ(a.years_all_targets_met, 3);
  // Mean pillar score over the ranked years: (1.0 + 0.7 + 0.4) / 3; no value: null.
  EXPECT_NEAR(**a.pillars.find("members"), 0.7, 1e-12);
  EXPECT_FALSE(*a.pillars.find("projects"));
  ASSERT_EQ(a.indicators.size(), 2U);
  EXPECT_EQ(a.indicators[0].kind, "growth");
  EXPECT_NEAR(*a.indicators[0].per_year, 0.10, 1e-12);
  EXPECT_EQ(a.indicators[1].kind, "points");
  EXPECT_NEAR(*a.indicators[1].per_year, 0.05, 1e-12);
  const PhaseCluster& b = *phase.find("b");
  EXPECT_EQ(b.consistency, "steady") << "one rating every year, ranks within 10 places";
  EXPECT_EQ(b.trend, "stable") << "slope 0.5 a year: 1 place over the span";
  EXPECT_NEAR(*b.rank_slope, 0.5, 1e-12);
  EXPECT_EQ(*b.indicators[0].per_year, 0) << "50 members every year";
}

TEST(Phase, ATieOfRatingsGoesToTheLaterYearAndAGrowthFromZeroIsUnknown) {
  const std::vector<YearEvaluation> years = {
      phase_year(2019, {phase_cluster("a", 5, "less_performing", 0, 0.5, true, true)}),
      phase_year(2020, {phase_cluster("a", 5, "performing", 10, 0.5, true, true)})};
  const auto phase = phase_of(years, {false, false});
  const PhaseCluster& a = *phase.find("a");
  EXPECT_EQ(a.rating, "performing");
  EXPECT_EQ(a.years_rated, 1);
  EXPECT_FALSE(a.indicators[0].per_year) << "no growth rate from zero";
  EXPECT_EQ(*a.indicators[1].per_year, 0);
  EXPECT_EQ(a.consistency, "variable") << "two ratings";
  // One year: no slope, stable.
  const auto one = phase_of({years[0]}, {false});
  EXPECT_FALSE(one.clusters[0].rank_slope);
  EXPECT_EQ(one.clusters[0].trend, "stable");
}

}  // namespace
}  // namespace poles::app
