// The funnel, leverage, services, diagnostics, employment and sector-sheet engines on hand-made
// snapshots whose answers are worked out by hand in the comments, and the app layer's typed
// results built from them.
#include "app/factory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>

#include "core/codes.h"
#include "core/date.h"
#include "core/typed_json.h"
#include "eco.h"
#include "foresight/employment.h"
#include "pipeline/funnel.h"
#include "pipeline/leverage.h"
#include "pipeline/sector.h"
#include "report/html.h"
#include "report/sector_sheet.h"
#include "services/diagnostics.h"
#include "services/services.h"

namespace poles {
namespace {

using testing_support::Eco;
using S = std::string;

void project(Eco& e, const S& id, const S& status, const S& start, double cost, double aid,
             const S& programme = "FUI") {
  e.row("project", {{"id", id},
                    {"acronym", id},
                    {"programme", programme},
                    {"status", status},
                    {"start_date", start},
                    {"total_cost", cost},
                    {"public_aid", aid}});
}
void event(Eco& e, const S& p, const S& status, const S& date) {
  e.row("project_event", {{"project_id", p}, {"status", status}, {"date", date}});
}
void label(Eco& e, const S& p, const S& c) {
  e.row("project_label", {{"project_id", p}, {"cluster_id", c}, {"date", S("2018-11-15")}});
}

// Five projects, p3 labelled by both clusters:
//  p1 (a): submitted 2019-01-01, labelled 2019-03-02 (60 days), funded 2019-06-01 (91), running
//  2019-07-01 (30),
//          completed 2021-07-01 (731), on_market 2022-07-01 (365); TRL 3 -> 6, target 6
//  p2 (a): submitted 2019-02-01, labelled 2019-04-02 (60 days), rejected: dropped after labelled
//  p3 (a, b): submitted 2020-01-01, funded 2020-03-01 (labelled not recorded), abandoned: dropped
//  after funded p4 (b): status idea, no event, starts 2021 p5 (b): status completed, no event,
//  starts 2018; TRL 2 -> 4, target 5
Eco funnel_eco() {
  Eco e;
  e.cluster("a", "84").cluster("b", "11");
  project(e, "p1", "on_market", "2019-07-01", 1000, 400);
  project(e, "p2", "rejected", "2019-07-01", 500, 0);
  project(e, "p3", "abandoned", "2020-04-01", 300, 100);
  project(e, "p4", "idea", "2021-01-01", 100, 0);
  e.row("project", {{"id", S("p5")},
                    {"acronym", S("p5")},
                    {"programme", S("FUI")},
                    {"status", S("completed")},
                    {"start_date", S("2018-01-01")},
                    {"total_cost", 200.0},
                    {"public_aid", 50.0},
                    {"trl_start", int64_t{2}},
                    {"trl_target", int64_t{5}},
                    {"trl_reached", int64_t{4}}});
  e.row("project", {{"id", S("p6")},
                    {"acronym", S("p6")},
                    {"programme", S("H2020")},
                    {"status", S("funded")},
                    {"start_date", S("2022-01-01")},
                    {"total_cost", 3000.0},
                    {"public_aid", 1000.0},
                    {"follow_on_of", S("p1")}});
  event(e, "p1", "submitted", "2019-01-01");
  event(e, "p1", "labelled", "2019-03-02");
  event(e, "p1", "funded", "2019-06-01");
  event(e, "p1", "running", "2019-07-01");
  event(e, "p1", "completed", "2021-07-01");
  event(e, "p1", "on_market", "2022-07-01");
  event(e, "p2", "submitted", "2019-02-01");
  event(e, "p2", "labelled", "2019-04-02");
  event(e, "p2", "rejected", "2019-06-01");
  event(e, "p3", "submitted", "2020-01-01");
  event(e, "p3", "funded", "2020-03-01");
  event(e, "p3", "abandoned", "2020-09-01");
  e.row("project", {{"id", S("p7")},
                    {"acronym", S("p7")},
                    {"programme", S("FUI")},
                    {"status", S("completed")},
                    {"start_date", S("2017-01-01")},
                    {"trl_start", int64_t{3}},
                    {"trl_target", int64_t{6}},
                    {"trl_reached", int64_t{6}}});
  label(e, "p1", "a");
  label(e, "p2", "a");
  label(e, "p3", "a");
  label(e, "p3", "b");
  label(e, "p4", "b");
  label(e, "p5", "b");
  return e;
}

TEST(Funnel, StagesConversionDurationsAndDropOuts) {
  Eco e = funnel_eco();
  auto s = e.build();
  pipeline::FunnelFilter all;
  all.from_year = 2019;
  all.to_year =
      2020;  // cohorts 2019 (p1, p2), 2020 (p3); p4 (2021), p5 (2018), p6 (2022), p7 (2017) are out
  const auto f = pipeline::funnel(*s, all, pipeline::GroupBy::kNone).front();
  EXPECT_EQ(f.projects, 3u);
  // Reached: idea 3, submitted 3, labelled 3 (p3 skipped it but went further), funded 2, running 1,
  // completed 1, on_market 1.
  EXPECT_EQ(f.reached, (std::array<size_t, 7>{3, 3, 3, 2, 1, 1, 1}));
  EXPECT_DOUBLE_EQ(f.conversion[2], 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(f.conversion[3], 0.5);
  EXPECT_TRUE(std::isnan(
      pipeline::funnel(*s, {.from_year = 2030}, pipeline::GroupBy::kNone).front().conversion[0]));
  EXPECT_EQ(f.current[static_cast<size_t>(ProjectStatus::kOnMarket)], 1u);
  EXPECT_EQ(f.current[static_cast<size_t>(ProjectStatus::kRejected)], 1u);
  EXPECT_EQ(f.current[static_cast<size_t>(ProjectStatus::kAbandoned)], 1u);
  EXPECT_EQ(f.rejected_after[2], 1u);   // p2 after labelled
  EXPECT_EQ(f.abandoned_after[3], 1u);  // p3 after funded
  // submitted -> labelled: 60 days for both p1 and p2 (2019-01-01 -> 03-02; 02-01 -> 04-02).
  EXPECT_EQ(f.durations[1].n, 2u);
  EXPECT_DOUBLE_EQ(f.durations[1].median_days, 60);
  EXPECT_DOUBLE_EQ(f.durations[2].mean_days,
                   91);  // labelled -> funded, p1 only (p3 has no labelled event)
  EXPECT_DOUBLE_EQ(f.durations[4].median_days, 731);     // running -> completed
  EXPECT_DOUBLE_EQ(f.time_to_market.median_days, 1126);  // 2019-06-01 -> 2022-07-01
  EXPECT_DOUBLE_EQ(f.total_cost, 1800);
  EXPECT_DOUBLE_EQ(f.public_aid, 500);
}

TEST(Funnel, MultiClusterProjectsCountOnceInEachGroup) {
  Eco e = funnel_eco();
  auto s = e.build();
  const auto whole = pipeline::funnel(*s, {}, pipeline::GroupBy::kNone).front();
  EXPECT_EQ(whole.projects, 7u);
  const auto by = pipeline::funnel(*s, {}, pipeline::GroupBy::kCluster);
  ASSERT_EQ(by.size(), 2u);
  EXPECT_EQ(by[0].group, "a");
  EXPECT_EQ(by[0].projects, 3u);  // p1, p2, p3
  EXPECT_EQ(by[1].projects, 3u);  // p3, p4, p5 (p6, p7 unlabelled)
  // TRL of ended projects: p5 gains 2 and misses its target; p7 gains 3 and meets it.
  EXPECT_EQ(whole.trl_n, 2u);
  EXPECT_DOUBLE_EQ(whole.trl_gain_mean, 2.5);
  EXPECT_DOUBLE_EQ(whole.trl_target_share, 0.5);
  const auto years = pipeline::funnel(*s, {}, pipeline::GroupBy::kYear);
  size_t sum = 0;
  for (const auto& g : years) sum += g.projects;
  EXPECT_EQ(sum, 7u);
  pipeline::FunnelFilter only_b;
  only_b.cluster = s->table("cluster").find("b");
  EXPECT_EQ(pipeline::funnel(*s, only_b, pipeline::GroupBy::kNone).front().projects, 3u);
}

TEST(Leverage, PrivateFundingPerEuroOfAidAndFollowOns) {
  Eco e = funnel_eco();
  e.org("o1", "company", "84", "pme").org("o2", "research", "84");
  e.row("participation",
        {{"project_id", S("p1")}, {"organisation_id", S("o1")}, {"role", S("coordinator")}});
  e.row("participation",
        {{"project_id", S("p1")}, {"organisation_id", S("o2")}, {"role", S("partner")}});
  e.row("participation",
        {{"project_id", S("p6")}, {"organisation_id", S("o1")}, {"role", S("coordinator")}});
  auto s = e.build();
  const auto all = pipeline::leverage(*s, 1900, 2100, pipeline::LeverageBy::kNone).front();
  // Funded (aid > 0): p1 (1000, 400), p3 (300, 100), p5 (200, 50), p6 (3000, 1000).
  EXPECT_EQ(all.funded_projects, 4u);
  EXPECT_DOUBLE_EQ(all.public_aid, 1550);
  EXPECT_DOUBLE_EQ(all.private_funding, 2950);
  EXPECT_DOUBLE_EQ(all.leverage, 2950.0 / 1550.0);
  EXPECT_DOUBLE_EQ(all.median_leverage, 2.0);  // 1.5, 2, 2, 3
  EXPECT_EQ(all.follow_ons, 1u);
  EXPECT_EQ(all.larger_follow_ons, 1u);
  EXPECT_DOUBLE_EQ(all.median_cost_ratio, 3.0);
  EXPECT_EQ(all.follow_ons_to_europe, 1u);
  EXPECT_EQ(all.national_participants, 2u);    // o1, o2 in p1
  EXPECT_EQ(all.european_after_national, 1u);  // o1 in p6 (2022) after p1 (2019)
  const auto by = pipeline::leverage(*s, 1900, 2100, pipeline::LeverageBy::kCluster);
  ASSERT_EQ(by.size(), 2u);
  EXPECT_DOUBLE_EQ(by[0].public_aid, 500);  // a: p1, p3
  EXPECT_DOUBLE_EQ(by[1].public_aid, 150);  // b: p3, p5
}

// Employment: two regions, two sectors, 2010 and 2020. National total 1000 -> 1100 (g = 0.1).
Eco employment_eco() {
  Eco e;
  auto row = [&](const S& level, const S& code, const S& sector, int64_t year, double jobs) {
    e.row("employment",
          {{"level", level}, {"code", code}, {"sector", sector}, {"year", year}, {"jobs", jobs}});
  };
  row("region", "11", "30", 2010, 100), row("region", "11", "30", 2020, 150);
  row("region", "11", "62", 2010, 200), row("region", "11", "62", 2020, 200);
  row("region", "84", "30", 2010, 50), row("region", "84", "30", 2020, 40);
  row("region", "84", "62", 2010, 50), row("region", "84", "62", 2020, 80);
  row("region", "11", "total", 2010, 600), row("region", "11", "total", 2020, 650);
  row("region", "84", "total", 2010, 400), row("region", "84", "total", 2020, 450);
  return e;
}

TEST(Employment, ShiftShareSumsToTheChange) {
  Eco e = employment_eco();
  auto s = e.build();
  auto cube = foresight::employment_cube(*s);
  ASSERT_TRUE(cube.has_value()) << cube.error().to_string();
  EXPECT_DOUBLE_EQ(cube->total[0], 1000);  // summed from the regions' totals (no country rows)
  EXPECT_DOUBLE_EQ(cube->sector_total[0][1], 190);
  auto ss = foresight::shift_share(*cube, 2010, 2020);
  ASSERT_TRUE(ss.has_value());
  ASSERT_EQ(ss->size(), 4u);
  // Region 11, sector 30: e0 100, e1 150; g = 0.1, g_s = (190 - 150) / 150 = 4/15, g_rs = 0.5.
  const auto& x = (*ss)[0];
  EXPECT_EQ(x.territory, "11");
  EXPECT_EQ(x.sector, "30");
  EXPECT_NEAR(x.national, 10, 1e-12);
  EXPECT_NEAR(x.industry_mix, 100 * (4.0 / 15 - 0.1), 1e-12);
  EXPECT_NEAR(x.competitive, 100 * (0.5 - 4.0 / 15), 1e-12);
  for (const auto& c : *ss)
    EXPECT_NEAR(c.national + c.industry_mix + c.competitive, c.change, 1e-9)
        << c.territory << " " << c.sector;
  EXPECT_FALSE(foresight::shift_share(*cube, 2010, 2015).has_value());
  EXPECT_FALSE(foresight::shift_share(*cube, 2020, 2010).has_value());
}

// Sections are summed from the divisions when the table has none (divisions 29 and 30 both lie in
// section C and A38 code CL); departments are a level of their own, and a level absent is refused.
TEST(Employment, CoarserSectorsAreSumsOfTheDivisionsAndLevelsStayApart) {
  Eco e = employment_eco();
  e.row("employment", {{"level", S("region")},
                       {"code", S("11")},
                       {"sector", S("29")},
                       {"year", int64_t{2020}},
                       {"jobs", 70.0}});
  e.row("employment", {{"level", S("department")},
                       {"code", S("31")},
                       {"sector", S("C")},
                       {"year", int64_t{2020}},
                       {"jobs", 9.0}});
  auto s = e.build();
  auto a21 = foresight::employment_cube(*s, "region", codes::NafLevel::kA21);
  ASSERT_TRUE(a21.has_value()) << a21.error().to_string();
  EXPECT_EQ(a21->summed_from, codes::NafLevel::kA88);
  EXPECT_EQ(a21->sectors, (std::vector<std::string>{"C", "J"}));        // 29 + 30 -> C, 62 -> J
  EXPECT_EQ(a21->territories, (std::vector<std::string>{"11", "84"}));  // not department 31
  EXPECT_DOUBLE_EQ(a21->jobs[0][0][1], 150 + 70);  // region 11, section C, 2020
  EXPECT_DOUBLE_EQ(a21->jobs[1][0][1], 40);        // region 84: 30 only
  EXPECT_DOUBLE_EQ(a21->sector_total[0][1], 260);
  auto a38 = foresight::employment_cube(*s, "region", codes::NafLevel::kA38);
  ASSERT_TRUE(a38.has_value());
  EXPECT_EQ(a38->sectors, (std::vector<std::string>{"CL", "JC"}));
  auto departments = foresight::employment_cube(*s, "department", codes::NafLevel::kA21);
  ASSERT_TRUE(departments.has_value()) << departments.error().to_string();
  EXPECT_FALSE(departments->summed_from.has_value());
  EXPECT_EQ(departments->territories, std::vector<std::string>{"31"});
  // Divisions cannot be made from sections.
  auto finer = foresight::employment_cube(*s, "department", codes::NafLevel::kA88);
  ASSERT_FALSE(finer.has_value());
  EXPECT_EQ(finer.error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(foresight::employment_cube(*s, "zone").has_value());
}

// Country rows describe another table (divisions, other years): a table by zone × section
// without totals reads its own years, takes each zone's total as the sum of its sections, and
// its national figures from the zones, not from those rows.
TEST(Employment, ZonesBesideCountryRowsOfAnotherTableUseTheirOwnBase) {
  Eco e = employment_eco();
  auto row = [&](const S& level, const S& code, const S& sector, int64_t year, double jobs) {
    e.row("employment",
          {{"level", level}, {"code", code}, {"sector", sector}, {"year", year}, {"jobs", jobs}});
  };
  row("country", "FR", "30", 2010, 1000), row("country", "FR", "total", 2010, 9000);
  row("country", "FR", "total", 2031, 9999);
  row("zone", "1101", "C", 2022, 30), row("zone", "1101", "M", 2022, 70);
  row("zone", "0053", "C", 2022, 60), row("zone", "0053", "M", 2022, 40);
  auto s = e.build();
  EXPECT_FALSE(foresight::employment_cube(*s, "zone").has_value());  // no division by zone
  auto c = foresight::employment_cube(*s, "zone", codes::NafLevel::kA21);
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  EXPECT_EQ(c->years, std::vector<int>{2022});
  EXPECT_DOUBLE_EQ(c->territory_total[1][0], 100);  // 1101: 30 + 70
  EXPECT_DOUBLE_EQ(c->total[0], 200);
  auto spec = foresight::specialisation(*c, 2022);
  ASSERT_TRUE(spec.has_value());
  // Section C in 1101: (30 / 100) / (90 / 200).
  const auto it = std::find_if(spec->begin(), spec->end(), [](const auto& x) {
    return x.territory == "1101" && x.sector == "C";
  });
  ASSERT_NE(it, spec->end());
  EXPECT_DOUBLE_EQ(it->lq, (30.0 / 100) / (90.0 / 200));
}

TEST(Employment, LocationQuotientsAndStars) {
  Eco e = employment_eco();
  auto s = e.build();
  auto cube = foresight::employment_cube(*s);
  ASSERT_TRUE(cube.has_value());
  auto spec = foresight::specialisation(*cube, 2020);
  ASSERT_TRUE(spec.has_value());
  // Sector 30 in 2020: 11 has 150 / 650 of its jobs, France 190 / 1100: LQ = (150/650)/(190/1100).
  const auto& a = (*spec)[0];
  EXPECT_EQ(a.territory, "11");
  EXPECT_NEAR(a.lq, (150.0 / 650) / (190.0 / 1100), 1e-12);
  EXPECT_TRUE(a.size_star);  // the largest of two regions: the top decile is the top one
  EXPECT_TRUE(a.focus_star);
  EXPECT_FALSE(a.specialisation_star);
  EXPECT_FALSE((*spec)[1].size_star);
  foresight::StarRules loose;
  loose.min_lq = 1.0;
  EXPECT_TRUE((*foresight::specialisation(*cube, 2020, loose))[0].specialisation_star);
  EXPECT_FALSE(foresight::specialisation(*cube, 2015).has_value());
}

TEST(Employment, ProjectionOfAnExactTrendAndItsInterval) {
  // Exactly 2 % a year: the fit is exact, the interval has zero width.
  std::vector<int> years;
  std::vector<double> v;
  for (int y = 2010; y <= 2020; ++y) {
    years.push_back(y);
    v.push_back(1000 * std::pow(1.02, y - 2010));
  }
  auto p = foresight::project(years, v, 3);
  ASSERT_TRUE(p.has_value());
  EXPECT_NEAR(p->annual_growth, 0.02, 1e-12);
  const auto& last = p->points.back();
  EXPECT_EQ(last.year, 2023);
  EXPECT_NEAR(last.value, 1000 * std::pow(1.02, 13), 1e-6);
  EXPECT_NEAR(last.high - last.low, 0, 1e-6);
  // With noise the interval widens with the horizon and holds the central value.
  v[3] *= 1.03;
  v[7] *= 0.97;
  p = foresight::project(years, v, 5);
  ASSERT_TRUE(p.has_value());
  const auto& h1 = p->points[11];
  const auto& h5 = p->points[15];
  EXPECT_LT(h1.low, h1.value);
  EXPECT_GT(h1.high, h1.value);
  EXPECT_GT(h5.high - h5.low, h1.high - h1.low);
  EXPECT_FALSE(foresight::project({2010, 2011}, {1, 2}, 3).has_value());
}

// The projection against R's predict(lm(log(y) ~ year), interval = "prediction") on a noisy series.
TEST(Employment, ProjectionAgreesWithRsLmPredict) {
  const char* rscript = POLES_RSCRIPT;
  if (!std::filesystem::exists(rscript))
    GTEST_FAIL() << "Rscript is needed (scripts/install-deps installs r-base-core); CMake found '"
                 << rscript << "'";
  const std::vector<int> years = {2008, 2009, 2010, 2011, 2012, 2013, 2014,
                                  2015, 2016, 2017, 2018, 2019, 2020};
  const std::vector<double> v = {1000, 1032, 1041, 1090, 1077, 1130, 1161,
                                 1150, 1210, 1233, 1270, 1262, 1320};
  auto p = foresight::project(years, v, 4, 0.9);
  ASSERT_TRUE(p.has_value());
  const auto script =
      std::filesystem::temp_directory_path() / ("poles-lm-" + std::to_string(::getpid()) + ".R");
  {
    std::ofstream f(script);
    f << "x <- c(";
    for (size_t i = 0; i < years.size(); ++i) f << (i ? "," : "") << years[i];
    f << ")\ny <- c(";
    for (size_t i = 0; i < v.size(); ++i) f << (i ? "," : "") << v[i];
    f << ")\nfit <- lm(log(y) ~ x)\n"
         "p <- exp(predict(fit, data.frame(x = 2021:2024), interval = 'prediction', level = 0.9))\n"
         "write.table(format(p, digits = 17), quote = FALSE, row.names = FALSE, col.names = "
         "FALSE)\n"
         "cat(format(exp(coef(fit)[2]) - 1, digits = 17), '\\n')\n";
  }
  FILE* pipe =
      ::popen((std::string(rscript) + " --vanilla " + script.string() + " 2>&1").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe)) out += buf;
  ASSERT_EQ(::pclose(pipe), 0) << out;
  std::filesystem::remove(script);
  std::istringstream in(out);
  for (int h = 0; h < 4; ++h) {
    double fit = 0, lwr = 0, upr = 0;
    ASSERT_TRUE(in >> fit >> lwr >> upr) << out;
    const auto& q = p->points[years.size() + static_cast<size_t>(h)];
    EXPECT_EQ(q.year, 2021 + h);
    EXPECT_NEAR(q.value, fit, 1e-9 * fit);
    EXPECT_NEAR(q.low, lwr, 1e-9 * fit);
    EXPECT_NEAR(q.high, upr, 1e-9 * fit);
  }
  double growth = 0;
  ASSERT_TRUE(in >> growth) << out;
  EXPECT_NEAR(p->annual_growth, growth, 1e-12);
}

// Services: cluster c with SME members m1, m2, m3 and large firm g; two services in 2019.
TEST(Services, ReachIntensityAndOutcomes) {
  Eco e;
  e.cluster("c", "84");
  e.org("m1", "company", "84", "pme")
      .org("m2", "company", "84", "tpe")
      .org("m3", "company", "84", "pme")
      .org("g", "company", "84", "ge");
  for (const char* o : {"m1", "m2", "m3", "g"}) e.member(o, "c", "2015-01-01");
  e.row("service", {{"id", S("s1")},
                    {"cluster_id", S("c")},
                    {"kind", S("b2b_meeting")},
                    {"date", S("2019-03-01")},
                    {"country", S("FR")},
                    {"cost", 100.0}});
  e.row("service", {{"id", S("s2")},
                    {"cluster_id", S("c")},
                    {"kind", S("international_mission")},
                    {"date", S("2019-05-01")},
                    {"country", S("DE")},
                    {"cost", 900.0}});
  e.row("service", {{"id", S("s3")},
                    {"cluster_id", S("c")},
                    {"kind", S("training")},
                    {"date", S("2023-05-01")},
                    {"country", S("FR")}});
  auto part = [&](const S& svc, const S& o, int64_t sat, const S& outcome) {
    e.row(
        "service_participant",
        {{"service_id", svc}, {"organisation_id", o}, {"satisfaction", sat}, {"outcome", outcome}});
  };
  part("s1", "m1", 4, "contact"), part("s1", "g", 2, "none"),
      part("s2", "m1", 5, "international_sale"), part("s2", "m2", 3, "none");
  part("s3", "m3", 5, "none");  // outside the period
  // m1 starts a funded project in 2021 (after the period), m3 one in 2017 (before).
  project(e, "q1", "running", "2021-02-01", 100, 40);
  project(e, "q2", "completed", "2017-02-01", 100, 40);
  e.row("participation",
        {{"project_id", S("q1")}, {"organisation_id", S("m1")}, {"role", S("coordinator")}});
  e.row("participation",
        {{"project_id", S("q2")}, {"organisation_id", S("m3")}, {"role", S("coordinator")}});
  auto s = e.build();
  const auto r = services::services_report(*s, 2019, 2019, 3);
  ASSERT_EQ(r.clusters.size(), 1u);
  const auto& c = r.clusters[0];
  EXPECT_EQ(c.services, 2u);
  EXPECT_EQ(c.sme_members, 3u);
  EXPECT_EQ(c.sme_served, 2u);
  EXPECT_DOUBLE_EQ(c.reach, 2.0 / 3);
  EXPECT_EQ(c.participations, 4u);
  EXPECT_EQ(c.participants, 3u);
  EXPECT_DOUBLE_EQ(c.intensity, 4.0 / 3);
  EXPECT_EQ(c.abroad, 1u);
  EXPECT_EQ(c.abroad_europe, 1u);
  EXPECT_DOUBLE_EQ(c.satisfaction, 3.5);
  EXPECT_DOUBLE_EQ(c.cost, 1000);
  EXPECT_EQ(c.outcomes[static_cast<size_t>(ServiceOutcome::kInternationalSale)], 1u);
  // Served m1, m2: later 1/2, baseline 0; not served m3: later 0, baseline 1.
  EXPECT_EQ(r.outcomes.served.firms, 2u);
  EXPECT_DOUBLE_EQ(r.outcomes.served.later, 0.5);
  EXPECT_DOUBLE_EQ(r.outcomes.not_served.baseline, 1.0);
  EXPECT_DOUBLE_EQ(r.outcomes.difference, 0.5);
  EXPECT_DOUBLE_EQ(r.outcomes.difference_in_differences, 0.5 - (0 - 1));
  const auto sp = services::spread({1, 2, 3, 4, NAN});
  EXPECT_EQ(sp.n, 4u);
  EXPECT_DOUBLE_EQ(sp.median, 2.5);
  EXPECT_DOUBLE_EQ(sp.p25, 1.75);
  EXPECT_DOUBLE_EQ(sp.sd, std::sqrt(1.25));
}

// Diagnostics: d1 diagnosed in 2020 (40) and 2022 (50, aided), d2 in 2021 (60) and 2023 (58), d3
// once (70, aided).
TEST(Diagnostics, MaturityProgressAndAid) {
  Eco e;
  e.cluster("c", "84");
  e.org("d1", "company", "84", "tpe")
      .org("d2", "company", "84", "pme")
      .org("d3", "company", "84", "pme");
  auto diag = [&](const S& o, const S& date, double score, double aid) {
    e.row("diagnostic", {{"organisation_id", o},
                         {"date", date},
                         {"cluster_id", S("c")},
                         {"score", score},
                         {"skills", score / 2},
                         {"aid_received", std::isnan(aid) ? Value{} : Value{aid}}});
  };
  diag("d1", "2020-01-10", 40, NAN);
  diag("d1", "2022-01-10", 50, 1000);
  diag("d2", "2021-01-10", 60, NAN);
  diag("d2", "2023-01-10", 58, NAN);
  diag("d3", "2021-06-10", 70, 5000);
  auto s = e.build();
  const auto r = services::diagnostics_report(*s, 2015, 2030);
  EXPECT_EQ(r.diagnostics, 5u);
  EXPECT_EQ(r.firms, 3u);
  EXPECT_DOUBLE_EQ(r.latest[0].mean, (50 + 58 + 70) / 3.0);
  EXPECT_DOUBLE_EQ(r.latest[0].median, 58);
  EXPECT_DOUBLE_EQ(r.latest[5].mean, (25 + 29 + 35) / 3.0);  // skills
  EXPECT_EQ(r.progress.firms, 2u);
  EXPECT_DOUBLE_EQ(r.progress.mean_change[0], (10 - 2) / 2.0);
  EXPECT_DOUBLE_EQ(r.progress.improved_share, 0.5);
  // Paired t interval of (10, -2): mean 4, sd sqrt(72), se 6, t(0.975, 1) = 12.7062047361747.
  EXPECT_NEAR(r.progress.ci_low, 4 - 12.7062047361747 * 6, 1e-9);
  EXPECT_NEAR(r.progress.ci_high, 4 + 12.7062047361747 * 6, 1e-9);
  // First scores 40 (d1), 60 (d2), 70 (d3): three firms make bands Q2..Q4 of one firm each (Q1
  // empty).
  size_t aided = 0, firms = 0;
  for (const auto& b : r.aid_by_maturity) aided += b.aided, firms += b.firms;
  EXPECT_EQ(firms, 3u);
  EXPECT_EQ(aided, 2u);
  ASSERT_EQ(r.aid_by_size.size(), 2u);  // tpe, pme
  EXPECT_EQ(r.aid_by_size[0].band, "tpe");
  EXPECT_EQ(r.aid_by_size[0].aided, 1u);
  EXPECT_DOUBLE_EQ(r.aid_by_size[0].aid[0].second, 1000);
}

// Three years of employment: employment_eco with 2015 in between.
Eco employment_eco3() {
  Eco e = employment_eco();
  auto row = [&](const S& code, const S& sector, double jobs) {
    e.row("employment", {{"level", S("region")},
                         {"code", code},
                         {"sector", sector},
                         {"year", int64_t{2015}},
                         {"jobs", jobs}});
  };
  row("11", "30", 120), row("11", "62", 200), row("84", "30", 45), row("84", "62", 60);
  row("11", "total", 620), row("84", "total", 420);
  return e;
}

TEST(Employment, SectorProfileJoinsSpecialisationAndShiftShare) {
  Eco e = employment_eco3();
  auto s = e.build();
  auto cube = foresight::employment_cube(*s);
  ASSERT_TRUE(cube.has_value());
  const foresight::Window w{2020, 2010, 2020, 3, 0.95};
  auto p = foresight::sector_profile(*cube, w, cube->sector_index("30"));
  ASSERT_TRUE(p.has_value()) << p.error().to_string();
  // National jobs of sector 30 (summed from the regions): 150, 165, 190.
  EXPECT_EQ(p->national, (std::vector<double>{150, 165, 190}));
  EXPECT_DOUBLE_EQ(p->start, 150);
  EXPECT_DOUBLE_EQ(p->end, 190);
  EXPECT_DOUBLE_EQ(p->growth, 40.0 / 150);
  EXPECT_EQ(p->projection.n, 3u);
  EXPECT_EQ(p->projection.points.size(), 6u);  // three observed years, three projected
  // Regions, most jobs first: 11 (150 in 2020), 84 (40), each with its shift-share.
  ASSERT_EQ(p->territories.size(), 2u);
  EXPECT_EQ(p->territories[0].specialisation.territory, "11");
  EXPECT_EQ(p->territories[1].specialisation.territory, "84");
  ASSERT_TRUE(p->territories[0].shift_share.has_value());
  EXPECT_DOUBLE_EQ(p->territories[0].shift_share->change, 50);
  EXPECT_DOUBLE_EQ(p->territories[1].shift_share->change, -10);
  // With two years only, the trend fails and so does the profile.
  Eco two = employment_eco();
  auto s2 = two.build();
  auto cube2 = foresight::employment_cube(*s2);
  ASSERT_TRUE(cube2.has_value());
  EXPECT_FALSE(foresight::sector_profile(*cube2, w, 0).has_value());
}

TEST(Employment, OverviewFiltersAndSumsByRegion) {
  Eco e = employment_eco3();
  auto s = e.build();
  auto cube = foresight::employment_cube(*s);
  ASSERT_TRUE(cube.has_value());
  const foresight::Window w{2020, 2010, 2020, 3, 0.95};
  auto all = foresight::overview(*cube, w, "", "");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->specialisation.size(), 4u);
  EXPECT_EQ(all->cells.size(), 4u);
  ASSERT_EQ(all->territories.size(), 2u);
  // Region 11: 100 + 200 jobs in 2010, +50 + 0 by 2020.
  EXPECT_EQ(all->territories[0].territory, "11");
  EXPECT_DOUBLE_EQ(all->territories[0].start, 300);
  EXPECT_DOUBLE_EQ(all->territories[0].change, 50);
  EXPECT_DOUBLE_EQ(all->territories[0].growth, 50.0 / 300);
  EXPECT_NEAR(all->territories[0].national + all->territories[0].industry_mix +
                  all->territories[0].competitive,
              50, 1e-9);
  ASSERT_EQ(all->projections.size(), 2u);
  auto one = foresight::overview(*cube, w, "84", "30");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->specialisation.size(), 1u);
  EXPECT_EQ(one->cells.size(), 1u);
  ASSERT_EQ(one->projections.size(), 1u);
  // The region's series 50, 45, 40: a falling trend.
  ASSERT_TRUE(one->projections[0].projection.has_value());
  EXPECT_LT(one->projections[0].projection->annual_growth, 0);
  // Two years: no trend, the reason instead of an error.
  Eco two = employment_eco();
  auto s2 = two.build();
  auto cube2 = foresight::employment_cube(*s2);
  ASSERT_TRUE(cube2.has_value());
  auto short_ = foresight::overview(*cube2, w, "", "30");
  ASSERT_TRUE(short_.has_value());
  ASSERT_EQ(short_->projections.size(), 1u);
  EXPECT_FALSE(short_->projections[0].projection.has_value());
  EXPECT_NE(short_->projections[0].error.find("at least 3"), std::string::npos);
}

// The sector sheet's data: sector 30 with three years of employment, projects, results, services,
// diagnostics and a firm panel.
//  - Projects of sector 30: s1 on the market (2019; cost 1000, aid 400; labelled by a), s2 funded
//    (2020; 300, 100; a and b), s4 started 2010 (out of 2015–2025), s5 an idea without start date
//    or money (in). s3 is of sector 62 (c).
//  - Results of s1: r1 by o1 (product, 5 jobs, revenue 1000), r2 without organisation (patent, 2
//    jobs). r3 belongs to s3.
//  - Training of a and b: t1 (two participants); t2 is c's; t3 is an event.
//  - Diagnoses of sector 30's firms: o1 twice (skills 40, 60), o2 once (50); o3 is of sector 62.
//  - Member firms of sector 30 with a SIREN: o1 (84: 10 in 2021, 12 in 2022), o4 (11: 5 in 2022);
//    o2 is not a member.
Eco sector_eco(bool census = true) {
  Eco e = employment_eco3();
  e.cluster("a", "84").cluster("b", "11").cluster("c", "11");
  auto org = [&](const S& id, const S& siren, const S& naf) {
    e.row("organisation", {{"id", id},
                           {"name", "Org " + id},
                           {"kind", S("company")},
                           {"region", S("84")},
                           {"size_class", S("pme")},
                           {"siren", siren},
                           {"naf", naf}});
  };
  org("o1", "100000009", "30.30Z");
  org("o2", "100000017", "30.11Z");
  org("o3", "100000025", "62.01Z");
  org("o4", "100000033", "30.20Z");
  e.member("o1", "a").member("o4", "b").member("o3", "c");
  for (int64_t y : {2021, 2022}) {
    if (census) e.census(y, "o1", "a").census(y, "o4", "b").census(y, "o3", "c");
  }
  auto prj = [&](const S& id, const S& sector, const S& status, const S& start, double cost,
                 double aid) {
    e.row("project", {{"id", id},
                      {"acronym", id},
                      {"programme", S("FUI")},
                      {"status", status},
                      {"sector", sector},
                      {"start_date", start.empty() ? Value{} : Value{start}},
                      {"total_cost", std::isnan(cost) ? Value{} : Value{cost}},
                      {"public_aid", std::isnan(aid) ? Value{} : Value{aid}}});
  };
  prj("s1", "30", "on_market", "2019-03-01", 1000, 400);
  prj("s2", "30", "funded", "2020-03-01", 300, 100);
  prj("s3", "62", "on_market", "2019-03-01", 500, 200);
  prj("s4", "30", "completed", "2010-03-01", 800, 300);
  prj("s5", "30", "idea", "", NAN, NAN);
  label(e, "s1", "a");
  label(e, "s2", "a");
  label(e, "s2", "b");
  label(e, "s3", "c");
  label(e, "s4", "a");
  auto result = [&](const S& id, const S& p, const S& o, const S& kind, double jobs,
                    double revenue) {
    e.row("result", {{"id", id},
                     {"project_id", p},
                     {"organisation_id", o.empty() ? Value{} : Value{o}},
                     {"kind", kind},
                     {"jobs", jobs},
                     {"revenue", std::isnan(revenue) ? Value{} : Value{revenue}}});
  };
  result("r1", "s1", "o1", "product", 5, 1000);
  result("r2", "s1", "", "patent", 2, NAN);
  result("r3", "s3", "o3", "product", 7, 3000);
  auto service = [&](const S& id, const S& c, const S& kind) {
    e.row("service", {{"id", id}, {"cluster_id", c}, {"kind", kind}, {"date", S("2021-05-01")}});
  };
  service("t1", "a", "training");
  service("t2", "c", "training");
  service("t3", "a", "event");
  for (const auto& [svc, o] :
       std::vector<std::pair<S, S>>{{"t1", "o1"}, {"t1", "o4"}, {"t2", "o3"}, {"t3", "o1"}})
    e.row("service_participant", {{"service_id", svc}, {"organisation_id", o}});
  auto diag = [&](const S& o, const S& date, double skills) {
    e.row("diagnostic",
          {{"organisation_id", o}, {"date", date}, {"score", 50.0}, {"skills", skills}});
  };
  diag("o1", "2020-01-10", 40);
  diag("o1", "2022-01-10", 60);
  diag("o2", "2021-01-10", 50);
  diag("o3", "2021-01-10", 90);
  // The panel's sector of each firm, as the registry's (o1, o2, o3, o4).
  const std::map<S, S> naf_of = {{"100000009", "30.30Z"},
                                 {"100000017", "30.11Z"},
                                 {"100000025", "62.01Z"},
                                 {"100000033", "30.20Z"}};
  auto panel = [&](const S& siren, int64_t year, const S& region, double headcount) {
    e.row("firm_year", {{"siren", siren},
                        {"year", year},
                        {"region", region},
                        {"naf", naf_of.at(siren)},
                        {"headcount", headcount}});
  };
  panel("100000009", 2021, "84", 10);
  panel("100000009", 2022, "84", 12);
  panel("100000033", 2022, "11", 5);
  panel("100000017", 2022, "84", 100);
  return e;
}

TEST(SectorSheet, ProjectsOfTheSectorTheirClustersAndResults) {
  Eco e = sector_eco();
  auto s = e.build();
  const auto p = pipeline::sector_projects(*s, "30", 2015, 2025);
  EXPECT_EQ(p.count, 3u);  // s1, s2, s5
  EXPECT_DOUBLE_EQ(p.total_cost, 1300);
  EXPECT_DOUBLE_EQ(p.public_aid, 500);
  EXPECT_DOUBLE_EQ(p.leverage, 800.0 / 500);
  // Furthest stages: s1 on_market, s2 funded, s5 idea.
  EXPECT_EQ(p.reached, (std::array<size_t, 7>{3, 2, 2, 2, 1, 1, 1}));
  ASSERT_EQ(p.clusters.size(), 2u);
  EXPECT_EQ(s->table("cluster").key(static_cast<size_t>(p.clusters[0].cluster)), "a");
  EXPECT_EQ(p.clusters[0].projects, 2u);
  EXPECT_DOUBLE_EQ(p.clusters[0].public_aid, 500);
  EXPECT_EQ(p.clusters[0].on_market, 1u);
  EXPECT_EQ(p.clusters[1].projects, 1u);
  EXPECT_EQ(p.clusters[1].on_market, 0u);
  EXPECT_EQ(p.results_by_kind[static_cast<size_t>(ResultKind::kProduct)], 1u);
  EXPECT_EQ(p.results_by_kind[static_cast<size_t>(ResultKind::kPatent)], 1u);
  ASSERT_EQ(p.result_jobs.size(), 2u);
  EXPECT_EQ(p.result_jobs[0].firm, "o1");
  EXPECT_EQ(p.result_jobs[1].firm, "project:s1");
  ASSERT_EQ(p.result_revenue.size(), 1u);
  EXPECT_EQ(pipeline::sector_projects(*s, "30", 1900, 2100).count, 4u);  // with s4
}

TEST(SectorSheet, TrainingSkillsAndMemberJobs) {
  Eco e = sector_eco();
  auto s = e.build();
  const auto& clusters = s->table("cluster");
  const auto t = services::training(*s, {clusters.find("a"), clusters.find("b")});
  EXPECT_EQ(t.services, 1u);  // t1
  EXPECT_EQ(t.participations, 2u);
  const auto k = services::sector_dimension(*s, "30", "skills");
  EXPECT_EQ(k.diagnoses, 3u);
  EXPECT_EQ(k.firms, 2u);  // o1 twice, o2
  EXPECT_DOUBLE_EQ(k.mean, 50);
  const auto m = foresight::member_jobs(*s, "30");
  EXPECT_EQ(m.year, 2022);
  EXPECT_EQ(m.regions.size(), codes::regions().size());
  ASSERT_EQ(m.firms.size(), 2u);  // o1 (2022) and o4; o2 is not a member
  EXPECT_EQ(m.regions[m.firms[0].region], "84");
  EXPECT_DOUBLE_EQ(m.firms[0].headcount, 12);
  EXPECT_EQ(m.regions[m.firms[1].region], "11");
}

// Member jobs count the State's census of the year, not the membership rows a cluster writes:
// a membership added by a cluster (o2 in a) moves nothing until the State releases the year, and
// a year without a census publishes no member jobs.
TEST(SectorSheet, MemberJobsCountTheCensusNotTheMembershipRows) {
  for (const bool released : {false, true}) {
    Eco e = sector_eco();
    e.member("o2", "a", "2021-06-01");
    if (released) e.census(2022, "o2", "a");
    auto s = e.build();
    const auto m = foresight::member_jobs(*s, "30");
    EXPECT_EQ(m.year, 2022);
    ASSERT_EQ(m.firms.size(), released ? 3u : 2u);  // o1 and o4; o2 once released
    EXPECT_EQ(m.firms[0].siren, "100000009");
    EXPECT_EQ(m.firms[1].siren, "100000033");
    if (released) {
      EXPECT_EQ(m.firms[2].siren, "100000017");
      EXPECT_DOUBLE_EQ(m.firms[2].headcount, 100);
    }
  }
  auto s = sector_eco(false).build();
  const auto m = foresight::member_jobs(*s, "30");
  EXPECT_EQ(m.year, 0);  // no census: no year, no member jobs
  EXPECT_TRUE(m.firms.empty());
}

app::Args args_of(const app::ParamSpecs& specs, const app::Params& given = {}) {
  auto a = app::parse(specs, given);
  EXPECT_TRUE(a.has_value()) << a.error().to_string();
  return *a;
}

// Public aid by funder, every figure worked out by hand:
//  p1 FUI 2019 (a), aid 1000, split state 500, region-84 300, feder-84 100: 100 not split
//  p2 H2020 2020 (a, b), aid 2000, no split: the EU's through its programme (assumed)
//  p3 REGION 2020 (b), aid 400, no split and no funder for REGION: not split
//  p4 FUI 2021 (b), aid 100, split state 80, region-84 70: 150 > 100, listed as over-split
//  p5 ANR 2018 (a), no aid, no split: not counted
TEST(FactoryViews, PublicAidByFunder) {
  Eco e;
  e.cluster("a", "84").cluster("b", "11");
  e.row("funder", {{"id", S("region-84")},
                   {"name", S("Région Auvergne-Rhône-Alpes")},
                   {"kind", S("region")},
                   {"region", S("84")}});
  e.row("funder", {{"id", S("feder-84")},
                   {"name", S("FEDER Auvergne-Rhône-Alpes")},
                   {"kind", S("feder")},
                   {"region", S("84")}});
  project(e, "p1", "funded", "2019-03-01", 3000, 1000);
  project(e, "p2", "funded", "2020-03-01", 5000, 2000, "H2020");
  project(e, "p3", "funded", "2020-06-01", 1000, 400, "REGION");
  project(e, "p4", "funded", "2021-01-01", 500, 100);
  project(e, "p5", "labelled", "2018-01-01", 800, 0, "ANR");
  for (const auto& [p, c] :
       {std::pair{"p1", "a"}, {"p2", "a"}, {"p2", "b"}, {"p3", "b"}, {"p4", "b"}, {"p5", "a"}})
    label(e, p, c);
  auto fund = [&](const S& p, const S& f, double amount) {
    e.row("project_funding", {{"project_id", p}, {"funder_id", f}, {"amount", amount}});
  };
  fund("p1", "state", 500);
  fund("p1", "region-84", 300);
  fund("p1", "feder-84", 100);
  fund("p4", "state", 80);
  fund("p4", "region-84", 70);
  const auto s = e.build();
  auto view = [&](const app::Params& p) {
    auto r = app::pipeline_funding(*s, args_of(app::funding_params(), p));
    EXPECT_TRUE(r.has_value()) << r.error().to_string();
    return r.has_value() ? *r : app::FundingOverview{};
  };

  const auto all = view({});
  EXPECT_EQ(all.projects, 4u);
  EXPECT_DOUBLE_EQ(all.public_aid, 3550);
  EXPECT_DOUBLE_EQ(all.split, 1050);
  EXPECT_DOUBLE_EQ(all.assumed, 2000);
  EXPECT_DOUBLE_EQ(all.not_split, 500);
  ASSERT_EQ(all.by_kind.size(), 4u);
  EXPECT_EQ(all.by_kind[0].kind, "eu");
  EXPECT_DOUBLE_EQ(all.by_kind[0].amount, 2000);
  EXPECT_DOUBLE_EQ(*all.by_kind[0].share, 2000.0 / 3050.0);
  EXPECT_EQ(all.by_kind[1].kind, "state");
  EXPECT_DOUBLE_EQ(all.by_kind[1].amount, 580);
  EXPECT_EQ(all.by_kind[2].kind, "region");
  EXPECT_DOUBLE_EQ(all.by_kind[2].amount, 370);
  EXPECT_EQ(all.by_kind[3].kind, "feder");
  EXPECT_DOUBLE_EQ(all.by_kind[3].amount, 100);
  ASSERT_EQ(all.by_funder.size(), 4u);
  EXPECT_EQ(all.by_funder[0].funder, "eu");
  EXPECT_DOUBLE_EQ(all.by_funder[0].assumed, 2000);
  EXPECT_EQ(all.by_funder[1].funder, "state");
  EXPECT_EQ(all.by_funder[1].projects, 2u);
  EXPECT_EQ(all.by_funder[2].funder, "region-84");
  EXPECT_EQ(*all.by_funder[2].region, "84");
  EXPECT_DOUBLE_EQ(all.by_funder[2].assumed, 0);
  EXPECT_EQ(all.over_split, (std::vector<std::string>{"p4"}));
  ASSERT_EQ(all.by_year.size(), 3u);
  EXPECT_EQ(all.by_year[0].year, 2019);
  EXPECT_DOUBLE_EQ(all.by_year[0].total, 1000);
  EXPECT_DOUBLE_EQ(all.by_year[0].not_split, 100);
  EXPECT_DOUBLE_EQ(all.by_year[0].by_kind[static_cast<size_t>(FunderKind::kState)], 500);
  EXPECT_EQ(all.by_year[1].year, 2020);
  EXPECT_DOUBLE_EQ(all.by_year[1].total, 2400);
  EXPECT_DOUBLE_EQ(all.by_year[1].by_kind[static_cast<size_t>(FunderKind::kEu)], 2000);
  EXPECT_DOUBLE_EQ(all.by_year[1].not_split, 400);

  const auto a = view({{"cluster", "a"}});
  EXPECT_EQ(a.projects, 2u);
  EXPECT_DOUBLE_EQ(a.public_aid, 3000);
  EXPECT_DOUBLE_EQ(a.not_split, 100);
  const auto region11 = view({{"region", "11"}});
  EXPECT_EQ(region11.projects, 3u);
  EXPECT_DOUBLE_EQ(region11.public_aid, 2550);
  // A Region's own money, wherever the projects are: 300 in 2019 and 70 in 2021.
  const auto own = view({{"funder", "region-84"}});
  EXPECT_EQ(own.projects, 2u);
  EXPECT_DOUBLE_EQ(own.public_aid, 370);
  EXPECT_DOUBLE_EQ(own.not_split, 0);
  ASSERT_EQ(own.by_year.size(), 2u);
  EXPECT_DOUBLE_EQ(own.by_year[0].by_kind[static_cast<size_t>(FunderKind::kRegion)], 300);
  EXPECT_EQ(own.by_year[1].year, 2021);
  const auto y2020 = view({{"from", "2020"}, {"to", "2020"}});
  EXPECT_DOUBLE_EQ(y2020.public_aid, 2400);

  // What a region and a cluster manager read (owners, each project's first label: p1, p2, p5 are
  // a's, p3 and p4 b's): region 84 counts a's projects and its own money on p4 (70, not the
  // State's 80 there, nor p4's over-split); b's manager counts p3 (not split) and p4.
  const app::User region84{.name = "r", .role = app::Role::kRegion, .scope = "84"};
  const auto r84 = *app::pipeline_funding(*s, args_of(app::funding_params()), &region84);
  EXPECT_EQ(r84.counted, "own_region");
  EXPECT_EQ(r84.projects, 3u);
  EXPECT_DOUBLE_EQ(r84.public_aid, 3070);
  EXPECT_DOUBLE_EQ(r84.not_split, 100);
  EXPECT_TRUE(r84.over_split.empty());
  const app::User manager_b{.name = "m", .role = app::Role::kClusterManager, .scope = "b"};
  const auto mb = *app::pipeline_funding(*s, args_of(app::funding_params()), &manager_b);
  EXPECT_EQ(mb.counted, "own_cluster");
  EXPECT_EQ(mb.projects, 2u);
  EXPECT_DOUBLE_EQ(mb.public_aid, 550);
  EXPECT_DOUBLE_EQ(mb.not_split, 400);
  EXPECT_EQ(mb.over_split, (std::vector<std::string>{"p4"}));
  // A funder filter lists only the over-splits that funder takes part in.
  EXPECT_TRUE(view({{"funder", "eu"}}).over_split.empty());

  EXPECT_EQ(app::pipeline_funding(*s, args_of(app::funding_params(), {{"funder", "nobody"}}))
                .error()
                .code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(
      app::pipeline_funding(*s, args_of(app::funding_params(), {{"region", "99"}})).error().code(),
      ErrorCode::kInvalidArgument);
}

// A member account knows its own firm's headcount: in a sector sheet's member jobs, a region of
// three member firms one of which is the reader's is masked for that reader (two others), and
// published to everyone else.
TEST(FactoryViews, SectorSheetMemberJobsDoNotCountTheReadersOwnFirm) {
  Eco e = sector_eco(false);
  int n = 0;
  for (const double headcount : {10.0, 11.0, 12.0}) {
    const std::string id = "m" + std::to_string(++n), siren = "20000000" + std::to_string(n);
    e.row("organisation", {{"id", id},
                           {"name", "Org " + id},
                           {"kind", std::string("company")},
                           {"siren", siren},
                           {"naf", std::string("30.30Z")}});
    e.member(id, "a").census(2022, id, "a");
    e.row("firm_year", {{"siren", siren},
                        {"year", int64_t{2022}},
                        {"region", std::string("84")},
                        {"naf", std::string("30.30Z")},
                        {"headcount", headcount}});
  }
  auto s = e.build();
  const auto args = args_of(app::employment_params(), {{"from", "2010"}});
  auto everyone = app::sector_sheet(*s, "30", args);
  ASSERT_TRUE(everyone.has_value()) << everyone.error().to_string();
  ASSERT_TRUE(everyone->member_jobs.total.value.has_value());
  EXPECT_DOUBLE_EQ(*everyone->member_jobs.total.value, 33);
  auto mine = app::sector_sheet(*s, "30", args, {},
                                app::Reader(*s, app::User{"m1", app::Role::kMember, "m1"}));
  ASSERT_TRUE(mine.has_value()) << mine.error().to_string();
  EXPECT_FALSE(mine->member_jobs.total.value.has_value());
  EXPECT_EQ(mine->member_jobs.total.secret.value_or(""), "primary");
}

// Firm figures over a period the caller chooses: 2019 alone and 2019–2020 differ by the one firm
// served in 2020 (its financing raised), or by the one firm's results of a project started in
// 2020. Each year goes through the rule on its own, and a period whose year is masked is masked:
// the two periods no longer give the single firm's figure by subtraction.
TEST(FactoryViews, PeriodsThatDifferByAYearDoNotGiveThatYearsFigure) {
  Eco e;
  e.cluster("a", "84");
  for (int i = 1; i <= 5; ++i) e.org("f" + std::to_string(i), "company", "84", "pme", "30.30Z");
  // Four firms served in 2019, one in 2020.
  e.row("service", {{"id", std::string("s19")},
                    {"cluster_id", std::string("a")},
                    {"kind", std::string("training")},
                    {"date", std::string("2019-05-01")}});
  e.row("service", {{"id", std::string("s20")},
                    {"cluster_id", std::string("a")},
                    {"kind", std::string("training")},
                    {"date", std::string("2020-05-01")}});
  for (int i = 1; i <= 5; ++i)
    e.row("service_participant", {{"service_id", std::string(i < 5 ? "s19" : "s20")},
                                  {"organisation_id", "f" + std::to_string(i)},
                                  {"financing_raised", 100.0 + 10 * i}});
  auto s = e.build();
  auto financing = [&](const std::string& to) {
    auto v =
        app::services_overview(*s, args_of(app::services_params(), {{"from", "2019"}, {"to", to}}));
    EXPECT_TRUE(v.has_value()) << v.error().to_string();
    return v->totals.financing_raised;
  };
  const auto one_year = financing("2019"), two_years = financing("2020");
  ASSERT_TRUE(one_year.value.has_value());
  EXPECT_DOUBLE_EQ(*one_year.value, 110 + 120 + 130 + 140);
  EXPECT_FALSE(two_years.value.has_value()) << "minus 2019's, it gives the one firm of 2020";
  EXPECT_EQ(two_years.secret.value_or(""), "secondary");
  // The same for a sector sheet's results: four firms on a project of 2010, and on projects of
  // 2019 the results of o1 and of a project without organisation (masked).
  Eco sheet_eco = sector_eco();
  for (int i = 1; i <= 4; ++i) {
    const std::string id = "q" + std::to_string(i);
    sheet_eco.org(id, "company", "84", "pme", "30.30Z");
    sheet_eco.row("result", {{"id", "rq" + std::to_string(i)},
                             {"project_id", std::string("s4")},
                             {"organisation_id", id},
                             {"kind", std::string("product")},
                             {"jobs", 20.0 + i}});
  }
  // Employment at the end of both windows (2010–2018 and 2010–2019): the shift-share's years.
  for (const int64_t year : {2018, 2019}) {
    for (const auto& [code, sector, n] :
         std::vector<std::tuple<S, S, double>>{{"11", "30", 130},
                                               {"11", "62", 210},
                                               {"84", "30", 50},
                                               {"84", "62", 65},
                                               {"11", "total", 640},
                                               {"84", "total", 430}})
      sheet_eco.row("employment", {{"level", S("region")},
                                   {"code", code},
                                   {"sector", sector},
                                   {"year", year},
                                   {"jobs", n}});
  }
  auto t = sheet_eco.build();
  auto jobs = [&](const std::string& to) {
    auto v = app::sector_sheet(*t, "30",
                               args_of(app::employment_params(), {{"from", "2010"}, {"to", to}}));
    if (!v) {
      ADD_FAILURE() << v.error().to_string();
      return app::SecretCell{};
    }
    return v->results.jobs;
  };
  const auto before_2019 = jobs("2018"), with_2019 = jobs("2019");
  ASSERT_TRUE(before_2019.value.has_value());
  EXPECT_DOUBLE_EQ(*before_2019.value, 21 + 22 + 23 + 24);
  EXPECT_FALSE(with_2019.value.has_value()) << "minus 2010–2018, it gives 2019's two results";
}

TEST(FactoryViews, SectorSheetPublishesFirmAggregatesThroughSecrecy) {
  Eco e = sector_eco();
  auto s = e.build();
  auto sheet = app::sector_sheet(*s, "30", args_of(app::employment_params(), {{"from", "2010"}}));
  ASSERT_TRUE(sheet.has_value()) << sheet.error().to_string();
  EXPECT_EQ(sheet->employment.year, 2020);  // the data's last year
  EXPECT_EQ(sheet->employment.from, 2010);
  EXPECT_EQ(sheet->projects.from, 2010);  // given: bounds the projects too
  EXPECT_EQ(sheet->projects.to, 2100);    // not given: every year
  EXPECT_EQ(sheet->projects.count, 4u);
  ASSERT_EQ(sheet->clusters.size(), 2u);
  EXPECT_EQ(sheet->clusters[0].name, "Cluster a");
  // Two firms only: result jobs, member jobs and the skills score (three diagnoses of two firms)
  // are masked.
  EXPECT_FALSE(sheet->results.jobs.value.has_value());
  EXPECT_EQ(sheet->results.jobs.secret.value_or(""), "primary");
  EXPECT_FALSE(sheet->member_jobs.total.value.has_value());
  ASSERT_EQ(sheet->member_jobs.regions.size(), 2u);  // 11 and 84, in code order
  EXPECT_EQ(sheet->member_jobs.regions[0].region, "11");
  EXPECT_FALSE(sheet->skills.diagnostic_skills.value.has_value());
  EXPECT_EQ(sheet->skills.training_services, 1u);
  const tj::Json j = tj::to_json(*sheet);
  EXPECT_EQ(j["results"]["jobs"], tj::Json::parse(R"({"value":null,"secret":"primary"})"));
  EXPECT_EQ(j["results"]["by_kind"].begin().key(), "product");
  EXPECT_TRUE(j["employment"]["regions"][0].contains("shift_share"));
  // With a rule of one firm, the cells are published with their firm count.
  auto open =
      app::sector_sheet(*s, "30", args_of(app::employment_params()), app::SecrecyRule{1, 1.0});
  ASSERT_TRUE(open.has_value());
  EXPECT_EQ(tj::to_json(open->results.jobs), tj::Json::parse(R"({"value":7,"firms":2})"));
  ASSERT_TRUE(open->skills.diagnostic_skills.value.has_value());
  EXPECT_DOUBLE_EQ(*open->skills.diagnostic_skills.value, 50);
  EXPECT_EQ(open->skills.diagnostic_skills.firms.value_or(0), 2);  // firms, not diagnoses
  // The document draws it.
  const std::string html = report::sector_sheet_html(*sheet, "en");
  EXPECT_NE(html.find("<title>" + report::sector_sheet_title(*sheet, "en") + "</title>"),
            std::string::npos);
  EXPECT_NE(html.find("Cluster a"), std::string::npos);
  EXPECT_FALSE(app::sector_sheet(*s, "99", args_of(app::employment_params())).has_value());
}

TEST(FactoryViews, FunnelAndLeverageAsTypedResults) {
  Eco e = funnel_eco();
  auto s = e.build();
  auto f = app::pipeline_funnel(*s, args_of(app::funnel_params(), {{"by", "cluster"}}));
  ASSERT_TRUE(f.has_value()) << f.error().to_string();
  EXPECT_EQ(f->filter.from, 1900);  // the spec's defaults
  EXPECT_EQ(f->filter.to, 2100);
  EXPECT_FALSE(f->filter.cluster.has_value());
  EXPECT_EQ(f->all.projects, 7u);
  ASSERT_EQ(f->groups.size(), 2u);
  EXPECT_EQ(f->groups[0].group, "a");
  const tj::Json j = tj::to_json(*f);
  // The statuses in the model's order, not sorted; the last stage has no next one.
  EXPECT_EQ(j["all"]["current"].begin().key(), "idea");
  EXPECT_EQ(j["all"]["current"].size(), 9u);
  EXPECT_TRUE(j["all"]["stages"][0].contains("conversion"));
  EXPECT_FALSE(j["all"]["stages"][6].contains("conversion"));
  EXPECT_FALSE(j["all"]["stages"][6].contains("to_next"));
  EXPECT_EQ(j["filter"]["cluster"], nullptr);
  auto backwards =
      app::pipeline_funnel(*s, args_of(app::funnel_params(), {{"from", "2021"}, {"to", "2019"}}));
  EXPECT_FALSE(backwards.has_value());
  EXPECT_FALSE(
      app::pipeline_funnel(*s, args_of(app::funnel_params(), {{"cluster", "zz"}})).has_value());
  EXPECT_FALSE(
      app::pipeline_funnel(*s, args_of(app::funnel_params(), {{"programme", "XX"}})).has_value());

  auto l = app::pipeline_leverage(*s, args_of(app::leverage_params()));
  ASSERT_TRUE(l.has_value());
  ASSERT_TRUE(l->all.has_value());
  EXPECT_FALSE(l->all->name.has_value());  // the whole is not a cluster
  ASSERT_EQ(l->groups.size(), 2u);
  EXPECT_EQ(l->groups[0].name.value_or(""), "Cluster a");
  EXPECT_FALSE(tj::to_json(*l->all).contains("name"));
  // No participation: no organisation in a national project, no share (null, not NaN).
  EXPECT_FALSE(l->all->european_after_national_share.has_value());
}

// The JSON Schema of the shapes the described structs cannot give by themselves.
TEST(FactoryViews, SchemasOfOmittedFieldsAndCodeKeyedObjects) {
  tj::Schemas schemas;
  EXPECT_EQ(schemas.of<app::FunnelGroup>(), tj::Schemas::ref("FunnelGroup"));
  const auto& c = schemas.components();
  ASSERT_TRUE(c.contains("FunnelStage"));
  EXPECT_EQ(c["FunnelStage"]["required"],
            tj::Json::parse(R"(["stage","reached","rejected_after","abandoned_after"])"));
  EXPECT_EQ(c["FunnelStage"]["properties"]["conversion"],
            tj::Json::parse(R"({"type":["number","null"]})"));
  EXPECT_EQ(c["FunnelStage"]["properties"]["to_next"], tj::Schemas::ref("FunnelDuration"));
  const auto& current = c["FunnelGroup"]["properties"]["current"];
  EXPECT_EQ(current["required"].size(), 9u);
  EXPECT_EQ(current["required"][0], "idea");
  EXPECT_EQ(current["additionalProperties"], false);
  schemas.of<app::SectorSheet>();
  EXPECT_EQ(c["SecretCell"]["required"], tj::Json::parse(R"(["value"])"));
}

TEST(ReportHtml, NumbersAndEscaping) {
  EXPECT_EQ(report::number(1234567.26, 1, "en"), "1,234,567.3");
  EXPECT_EQ(report::number(-1234.6, 0, "fr"), "−1\u202f235");
  EXPECT_EQ(report::number(NAN, 0, "fr"), "—");
  EXPECT_EQ(report::escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  const std::string svg = report::line_chart(
      "Emplois <test>", {{"A", "#000091", {{2010, 1, 0, 0, false}, {2011, 2, 0, 0, false}}, false}},
      "fr");
  EXPECT_NE(svg.find("<title>Emplois &lt;test&gt;</title>"), std::string::npos);
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
}

}  // namespace
}  // namespace poles
