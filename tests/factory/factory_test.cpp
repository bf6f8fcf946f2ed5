// The funnel, leverage, services, diagnostics and employment engines on hand-made snapshots whose
// answers are worked out by hand in the comments.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/date.h"
#include "eco.h"
#include "foresight/employment.h"
#include "pipeline/funnel.h"
#include "pipeline/leverage.h"
#include "report/html.h"
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
  EXPECT_EQ(x.region, "11");
  EXPECT_EQ(x.sector, "30");
  EXPECT_NEAR(x.national, 10, 1e-12);
  EXPECT_NEAR(x.industry_mix, 100 * (4.0 / 15 - 0.1), 1e-12);
  EXPECT_NEAR(x.competitive, 100 * (0.5 - 4.0 / 15), 1e-12);
  for (const auto& c : *ss)
    EXPECT_NEAR(c.national + c.industry_mix + c.competitive, c.change, 1e-9)
        << c.region << " " << c.sector;
  EXPECT_FALSE(foresight::shift_share(*cube, 2010, 2015).has_value());
  EXPECT_FALSE(foresight::shift_share(*cube, 2020, 2010).has_value());
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
  EXPECT_EQ(a.region, "11");
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
