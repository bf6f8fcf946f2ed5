// The evaluation's views on hand-made snapshots: a cluster's trends against the median of its
// peers, the qualitative assessments with the agreement between evaluators (ICC(1), exact
// agreement, mean absolute difference computed by hand), and the characterisation of the
// clusters (measured scale, main sector and its specialisation, overlaps, gaps).
#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "characterise/characterise.h"
#include "eco.h"
#include "evaluate/assessments.h"
#include "evaluate/indicators.h"
#include "evaluate/trends.h"

namespace poles {
namespace {

using testing_support::Eco;

TEST(EvaluateTrends, PeerMedianOverTheClustersOfTheSameScale) {
  Eco e;
  e.cluster("n1", "11").cluster("n2", "11").cluster("n3", "24").cluster("n4", "24");
  e.row("cluster", {{"id", std::string("r1")},
                    {"name", std::string("Regional")},
                    {"region", std::string("11")},
                    {"scale", std::string("regional")}});
  int k = 0;
  auto members = [&](const std::string& c, int n) {
    for (int i = 0; i < n; ++i) {
      const std::string o = "o" + std::to_string(k++);
      e.org(o, "company", "11").member(o, c);
    }
  };
  members("n1", 1);
  members("n2", 2);
  members("n3", 4);  // n4 has none
  members("r1", 10);
  const auto s = e.build();
  const int32_t n1 = s->table("cluster").find("n1"), n4 = s->table("cluster").find("n4");
  const int m = evaluate::indicator_index("members");
  const int share = evaluate::indicator_index("sme_member_share");

  const evaluate::PublishedFigure all_public = [](int, int, int32_t) { return true; };
  const auto t = evaluate::cluster_trends(*s, n1, 2021, 2022, all_public);
  ASSERT_EQ(t.indicators.size(), evaluate::indicator_defs().size());
  const auto& members_trend = t.indicators[static_cast<size_t>(m)];
  EXPECT_EQ(members_trend.values, (std::vector<double>{1, 1}));
  // n1's peers are the other national clusters, with 2, 4 and 0 members: median 2 (n1 itself,
  // and the regional cluster's 10, are not its peers).
  EXPECT_EQ(members_trend.peer_median, (std::vector<double>{2, 2}));
  // n4's share of SMEs has no base: it is left out of the median, not counted as a value.
  EXPECT_TRUE(std::isnan(evaluate::cluster_trends(*s, n4, 2022, 2022, all_public)
                             .indicators[static_cast<size_t>(share)]
                             .values[0]));
  // Only n2 and n3 have a share: a median of two clusters would give their figures, so none.
  for (double x : t.indicators[static_cast<size_t>(share)].peer_median) EXPECT_TRUE(std::isnan(x));
  // The regional cluster has no other cluster of its scale: no median.
  const int32_t r1 = s->table("cluster").find("r1");
  EXPECT_TRUE(std::isnan(evaluate::cluster_trends(*s, r1, 2022, 2022, all_public)
                             .indicators[static_cast<size_t>(m)]
                             .peer_median[0]));
}

// A firm aggregate's peers' figure is never one cluster's figure (a median is one, and it may be
// a figure a table published to all masks): it is the mean of the five central peers' figures
// (six when they are even), over the peers whose figure is published to all when the caller
// says which are; none with fewer than five. Figures by hand: in 2022, cluster ck (k = 1…8)
// raises 100 k² through each of three firms, 300 k² in all: 300, 1,200, 2,700, 4,800, 7,500,
// 10,800, 14,700, 19,200.
TEST(EvaluateTrends, AFirmAggregatesPeerFigureIsTheCentralPeersMeanNeverOneClustersFigure) {
  Eco e;
  for (int k = 1; k <= 8; ++k) {
    const std::string c = "c" + std::to_string(k);
    e.cluster(c, "11");
    e.row("service", {{"id", "s" + std::to_string(k)},
                      {"cluster_id", c},
                      {"kind", std::string("training")},
                      {"date", std::string("2022-05-01")}});
    for (int f = 0; f < 3; ++f) {
      const std::string o = c + "f" + std::to_string(f);
      e.org(o, "company", "11");
      e.row("service_participant", {{"service_id", "s" + std::to_string(k)},
                                    {"organisation_id", o},
                                    {"financing_raised", 100.0 * k * k}});
    }
  }
  const auto s = e.build();
  const int fin = evaluate::indicator_index("financing_raised");
  const auto row = [&](const std::string& c) { return s->table("cluster").find(c); };
  const evaluate::PublishedFigure all_public = [](int, int, int32_t) { return true; };
  const auto figure = [&](const evaluate::PublishedFigure& published) {
    const auto t = evaluate::cluster_trends(*s, row("c8"), 2022, 2022, published);
    EXPECT_TRUE(t.indicators[static_cast<size_t>(fin)].central_mean);
    EXPECT_EQ(t.indicators[static_cast<size_t>(fin)].values[0], 19200);
    return t.indicators[static_cast<size_t>(fin)].peer_median[0];
  };
  // c8's peers are c1…c7: the central five c2…c6, mean 5,400 (their median, 4,800, is c4's).
  EXPECT_DOUBLE_EQ(figure(all_public), (1200 + 2700 + 4800 + 7500 + 10800) / 5.0);
  // A caller that says nothing publishes nothing: no peers' figure (fails closed).
  EXPECT_TRUE(std::isnan(figure({})));
  // c4's figure not published to all: six peers, all central, mean 6,200 (a median: 5,100).
  const int32_t c3 = row("c3"), c4 = row("c4");
  EXPECT_DOUBLE_EQ(figure([&](int, int, int32_t c) { return c != c4; }),
                   (300 + 1200 + 2700 + 7500 + 10800 + 14700) / 6.0);
  // c3's neither: five, mean 6,900 (a median: 7,500, c5's figure).
  EXPECT_DOUBLE_EQ(figure([&](int, int, int32_t c) { return c != c4 && c != c3; }),
                   (300 + 1200 + 7500 + 10800 + 14700) / 5.0);
  // Four peers published (c4…c7): no figure.
  EXPECT_TRUE(std::isnan(figure([&](int, int, int32_t c) { return c >= c4; })));
  // Another indicator keeps the peers' median and ignores what is published.
  const auto t =
      evaluate::cluster_trends(*s, row("c8"), 2022, 2022, [](int, int, int32_t) { return false; });
  const auto services =
      t.indicators[static_cast<size_t>(evaluate::indicator_index("services_delivered"))];
  EXPECT_FALSE(services.central_mean);
  EXPECT_EQ(services.peer_median[0], 1);
}

// Issue #20: CORDIS projects were attached to no cluster, so no cluster's EU activity counted
// its members' European projects, and FP7 was not European. By hand: o1 is a member of a from
// 2010, o2 of b from 2010, o3 of a from 2019 only.
TEST(EvaluateIndicators, MembersEuropeanProjectsCountWhatTheMembersBringApartFromTheLabelled) {
  Eco e;
  e.cluster("a", "11").cluster("b", "24");
  e.org("o1", "company", "11").org("o2", "research", "24").org("o3", "company", "11");
  e.member("o1", "a").member("o2", "b").member("o3", "a", "2019-01-01");
  e.project("h2020", 2018, {"b"}, {"o2", "o1"}, "H2020");  // labelled by b, o1 of a a partner
  e.project("fp7", 2012, {}, {"o1"}, "FP7");               // labelled by no one
  e.project("fui", 2018, {}, {"o1"}, "FUI");               // not European
  e.project("he", 2018, {}, {"o3"}, "HORIZON_EUROPE");     // o3 joins a in 2019 only
  const auto s = e.build();
  const auto cat = evaluate::catalogue(*s, 2012, 2018);
  const int32_t a = s->table("cluster").find("a"), b = s->table("cluster").find("b");
  const int members_eu = evaluate::indicator_index("members_european_projects");
  const int labelled_eu = evaluate::indicator_index("european_projects");
  ASSERT_GE(members_eu, 0);
  EXPECT_EQ(cat.at(2012, a, members_eu), 1);  // fp7: FP7 is European
  EXPECT_EQ(cat.at(2018, a, members_eu), 1);  // h2020 through o1; not he (o3 not yet a member)
  EXPECT_EQ(cat.at(2018, b, members_eu), 0);  // b labelled h2020: counted apart, below
  EXPECT_EQ(cat.at(2018, b, labelled_eu), 1);
  EXPECT_EQ(cat.at(2018, a, labelled_eu), 0);
  EXPECT_EQ(cat.at(2015, a, members_eu), 0);
}

// Governance, IP and technology transfer (issue #23 item 8), counted by hand on six organisations.
TEST(EvaluateIndicators, BoardSeatsIpAgreementsSattsAndBusinessDevelopment) {
  Eco e;
  e.cluster("a", "11").cluster("b", "24");
  e.org("sme1", "company", "11", "pme").org("sme2", "company", "11", "tpe");
  e.org("big", "company", "11", "ge").org("lab", "research", "11");
  e.org("satt", "satt", "11").org("uni", "higher_education", "24");
  auto seat = [&](const std::string& o, const std::string& c, std::optional<int64_t> held,
                  const std::string& end = "") {
    e.row("membership", {{"organisation_id", o},
                         {"cluster_id", c},
                         {"start_date", std::string("2015-01-01")},
                         {"end_date", end.empty() ? Value{} : Value{end}},
                         {"board_seat", held ? Value{*held} : Value{}}});
  };
  seat("sme1", "a", 1);
  seat("sme2", "a", 1, "2019-06-30");  // off the board (and the cluster) after mid-2019
  seat("big", "a", 1);
  seat("lab", "a", 0);
  seat("satt", "a", std::nullopt);
  seat("uni", "b", std::nullopt);  // b records no seat: no share, not a zero
  // sme1 again, from 2020 (a second membership row): one member, one seat.
  e.row("membership", {{"organisation_id", std::string("sme1")},
                       {"cluster_id", std::string("a")},
                       {"start_date", std::string("2020-01-01")},
                       {"board_seat", int64_t{1}}});
  auto project = [&](const std::string& id, int year, const std::string& ip, double aid,
                     std::vector<std::string> partners) {
    e.row("project", {{"id", id},
                      {"acronym", id},
                      {"programme", std::string("FUI")},
                      {"status", std::string("funded")},
                      {"start_date", std::to_string(year) + "-03-01"},
                      {"public_aid", aid},
                      {"ip_agreement", ip.empty() ? Value{} : Value{ip}}});
    e.row("project_label", {{"project_id", id},
                            {"cluster_id", std::string("a")},
                            {"date", std::to_string(year - 1) + "-11-15"}});
    for (const auto& o : partners)
      e.row("participation",
            {{"project_id", id}, {"organisation_id", o}, {"role", std::string("partner")}});
  };
  project("p1", 2020, "signed", 100, {"sme1", "lab"});
  project("p2", 2020, "draft", 100, {"sme1", "satt"});
  project("p3", 2020, "", 100, {"big"});      // agreement not recorded: out of the share
  project("p4", 2020, "signed", 0, {"lab"});  // not funded: out of the share
  project("p5", 2020, "none", 50, {"sme2"});
  auto result = [&](const std::string& id, const std::string& prj, const std::string& kind,
                    const std::string& holder) {
    e.row("result", {{"id", id},
                     {"project_id", prj},
                     {"organisation_id", holder},
                     {"kind", kind},
                     {"date", std::string("2020-09-01")}});
  };
  result("r1", "p1", "licence", "satt");   // held by a SATT
  result("r2", "p1", "licence", "lab");    // neither
  result("r3", "p2", "spin_off", "sme1");  // from a project with a SATT partner
  result("r4", "p2", "patent", "sme1");    // not a transfer
  auto service = [&](const std::string& id, const std::string& kind) {
    e.row("service", {{"id", id},
                      {"cluster_id", std::string("a")},
                      {"kind", kind},
                      {"date", std::string("2020-05-01")}});
  };
  service("s1", "business_development");
  service("s2", "go_to_market");
  service("s3", "b2b_meeting");
  e.row("service", {{"id", std::string("s0")},  // services are recorded in 2019, not this kind
                    {"cluster_id", std::string("a")},
                    {"kind", std::string("b2b_meeting")},
                    {"date", std::string("2019-05-01")}});
  const auto s = e.build();
  const auto cat = evaluate::catalogue(*s, 2019, 2020);
  const int32_t a = s->table("cluster").find("a"), b = s->table("cluster").find("b");
  auto at = [&](int y, int32_t c, const char* id) {
    const int i = evaluate::indicator_index(id);
    EXPECT_GE(i, 0) << id;
    return cat.at(y, c, i);
  };
  // Seats held in 2019: sme1, sme2, big → 2 SMEs of 3; in 2020 sme1 and big → 1 of 2.
  EXPECT_DOUBLE_EQ(at(2019, a, "sme_board_share"), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(at(2020, a, "sme_board_share"), 0.5);
  EXPECT_TRUE(std::isnan(at(2020, b, "sme_board_share")));
  // Funded with a recorded agreement: p1 signed, p2 draft, p5 none → 1 of 3.
  EXPECT_DOUBLE_EQ(at(2020, a, "ip_agreement_share"), 1.0 / 3.0);
  EXPECT_TRUE(std::isnan(at(2019, a, "ip_agreement_share")));
  // One project of five starting in 2020 with a SATT partner (p2).
  EXPECT_DOUBLE_EQ(at(2020, a, "satt_projects"), 0.2);
  EXPECT_EQ(at(2020, a, "licences"), 2);
  EXPECT_EQ(at(2020, a, "satt_transfers"), 2);  // r1 (held by the SATT), r3 (p2 has one)
  EXPECT_EQ(at(2020, a, "spin_offs"), 1);
  EXPECT_EQ(at(2020, a, "business_development"), 2);
  // Before the first business development action anywhere, no value (not a zero), although
  // services are recorded that year.
  EXPECT_EQ(at(2019, a, "b2b_meetings"), 1);
  EXPECT_TRUE(std::isnan(at(2019, a, "business_development")));
  EXPECT_FALSE(cat.records(2019, evaluate::indicator_index("business_development")));
  EXPECT_EQ(at(2020, a, "b2b_meetings"), 1);
  EXPECT_EQ(at(2020, a, "services_delivered"), 3);
}

TEST(EvaluateAssessments, MeansAndAgreementByHand) {
  Eco e;
  e.cluster("a", "11").cluster("b", "24");
  auto score = [&](const std::string& c, int year, const std::string& area, const std::string& who,
                   int value) {
    e.row("assessment", {{"cluster_id", c},
                         {"year", int64_t{year}},
                         {"criterion", area},
                         {"evaluator", who},
                         {"score", int64_t{value}},
                         {"justification", who + " on " + area}});
  };
  score("b", 2022, "governance", "e1", 4);  // one evaluator: not a target of the agreement
  score("a", 2022, "governance", "e2", 4);
  score("a", 2022, "governance", "e1", 2);
  score("a", 2022, "structure", "e1", 3);
  score("a", 2022, "structure", "e2", 3);
  score("b", 2022, "structure", "e1", 1);
  score("b", 2022, "structure", "e2", 2);
  score("a", 2021, "structure", "e1", 0);  // another year
  const auto s = e.build();
  const auto v = evaluate::assessments(*s, 2022);

  EXPECT_EQ(v.year, 2022);
  ASSERT_EQ(v.clusters.size(), 2u);
  EXPECT_EQ(v.clusters[0].cluster, s->table("cluster").find("a"));
  // Areas in the grid's order (structure before governance), scores in the rows' order.
  ASSERT_EQ(v.clusters[0].areas.size(), 2u);
  EXPECT_EQ(v.clusters[0].areas[0].area, EscaArea::kStructure);
  EXPECT_EQ(v.clusters[0].areas[0].mean, 3);
  EXPECT_EQ(v.clusters[0].areas[1].area, EscaArea::kGovernance);
  EXPECT_EQ(v.clusters[0].areas[1].mean, 3);
  ASSERT_EQ(v.clusters[0].areas[1].scores.size(), 2u);
  EXPECT_EQ(v.clusters[0].areas[1].scores[0].evaluator, "e2");
  EXPECT_EQ(v.clusters[0].areas[1].scores[0].justification, "e2 on governance");
  EXPECT_EQ(v.clusters[1].areas[0].mean, 1.5);
  EXPECT_EQ(v.clusters[1].areas[1].mean, 4);

  // Targets {3, 3}, {2, 4}, {1, 2}: grand mean 2.5, MSB = 3 / 2, MSW = 2.5 / 3, k = 2.
  EXPECT_EQ(v.overall.targets, 3u);
  EXPECT_NEAR(v.overall.icc1, 2.0 / 7.0, 1e-12);
  EXPECT_DOUBLE_EQ(v.overall.exact_agreement, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(v.overall.mean_abs_difference, 1.0);
  ASSERT_EQ(v.areas.size(), 2u);
  // Structure: {3, 3}, {1, 2}: MSB = 2.25, MSW = 0.25.
  EXPECT_EQ(v.areas[0].area, EscaArea::kStructure);
  EXPECT_EQ(v.areas[0].agreement.targets, 2u);
  EXPECT_NEAR(v.areas[0].agreement.icc1, 0.8, 1e-12);
  EXPECT_DOUBLE_EQ(v.areas[0].agreement.exact_agreement, 0.5);
  EXPECT_DOUBLE_EQ(v.areas[0].agreement.mean_abs_difference, 0.5);
  // Governance: one target only, no ICC.
  EXPECT_EQ(v.areas[1].area, EscaArea::kGovernance);
  EXPECT_EQ(v.areas[1].agreement.targets, 1u);
  EXPECT_TRUE(std::isnan(v.areas[1].agreement.icc1));
  EXPECT_DOUBLE_EQ(v.areas[1].agreement.exact_agreement, 0);
  EXPECT_DOUBLE_EQ(v.areas[1].agreement.mean_abs_difference, 2);

  EXPECT_TRUE(evaluate::assessments(*s, 2020).clusters.empty());
  EXPECT_TRUE(std::isnan(evaluate::assessments(*s, 2020).overall.mean_abs_difference));
}

TEST(EvaluateCharacterisation, MeasuredScaleSectorOverlapsAndGaps) {
  Eco e;
  auto cluster = [&](const std::string& id, const std::string& region, const std::string& scale,
                     const std::string& filiere) {
    e.row("cluster", {{"id", id},
                      {"name", "Cluster " + id},
                      {"region", region},
                      {"scale", scale},
                      {"filiere", filiere}});
    e.row("cluster_label", {{"cluster_id", id},
                            {"phase", int64_t{5}},
                            {"start_year", int64_t{id == "c4" ? 2010 : 2019}},
                            {"end_year", int64_t{id == "c4" ? 2018 : 2026}}});
  };
  cluster("c1", "11", "national", "aero");
  cluster("c2", "11", "regional", "aero");
  cluster("c3", "24", "national", "bois");
  cluster("c4", "11", "national", "aero");  // not labelled in 2022
  e.org("o1", "company", "11").org("o2", "company", "11").org("o3", "company", "24");
  e.org("o4", "company", "24");
  for (const char* o : {"o1", "o2", "o3", "o4"}) e.member(o, "c1");
  e.member("o1", "c2");
  auto project = [&](const std::string& id, int year, const std::string& labeller,
                     const std::string& programme, double aid, const std::string& sector,
                     std::vector<std::string> partners) {
    e.row("project", {{"id", id},
                      {"acronym", id},
                      {"programme", programme},
                      {"status", std::string("funded")},
                      {"start_date", std::to_string(year) + "-03-01"},
                      {"public_aid", aid},
                      {"sector", sector}});
    e.row("project_label", {{"project_id", id},
                            {"cluster_id", labeller},
                            {"date", std::to_string(year - 1) + "-11-15"}});
    for (const auto& o : partners)
      e.row("participation",
            {{"project_id", id}, {"organisation_id", o}, {"role", std::string("partner")}});
  };
  project("p1", 2021, "c1", "FUI", 100, "30", {"o1", "o3"});
  project("p2", 2022, "c2", "REGION", 50, "30", {"o1"});
  project("p3", 2015, "c2", "FUI", 1000, "16", {"o3"});  // before the five years: its sector only
  auto jobs = [&](const std::string& region, const std::string& sector, double n) {
    e.row("employment", {{"level", std::string("region")},
                         {"code", region},
                         {"sector", sector},
                         {"year", int64_t{2022}},
                         {"jobs", n}});
  };
  jobs("11", "total", 1000), jobs("11", "30", 100), jobs("11", "16", 20);
  jobs("24", "total", 1000), jobs("24", "30", 10), jobs("24", "16", 500);
  jobs("84", "total", 3000), jobs("84", "30", 10), jobs("84", "16", 10);
  const auto s = e.build();

  const auto c = characterise::characterise(*s, 2022, {});
  EXPECT_EQ(c.year, 2022);
  EXPECT_EQ(c.thresholds.partners_outside, 0.4);
  ASSERT_EQ(c.clusters.size(), 3u);
  const auto& c1 = c.clusters[0];
  EXPECT_EQ(c1.cluster, "c1");
  EXPECT_EQ(c1.members_outside_region, 0.5);
  EXPECT_EQ(c1.partners_outside_region, 0.5);
  EXPECT_EQ(c1.national_funding_share, 1.0);
  EXPECT_EQ(c1.measured_scale, "national");
  EXPECT_FALSE(c1.scale_mismatch);
  EXPECT_EQ(c1.sector, "30");
  ASSERT_TRUE(c1.specialisation.has_value());
  EXPECT_EQ(c1.specialisation->jobs, 100);
  // LQ = (100 / 1,000) / (120 / 5,000); the largest and most focused of the sector's regions.
  EXPECT_NEAR(*c1.specialisation->lq, 0.1 / 0.024, 1e-12);
  EXPECT_EQ(c1.specialisation->stars, 3);

  const auto& c2 = c.clusters[1];
  EXPECT_EQ(c2.members_outside_region, 0.0);
  EXPECT_EQ(c2.partners_outside_region, 0.0);
  EXPECT_EQ(c2.national_funding_share, 0.0);
  EXPECT_EQ(c2.measured_scale, "regional");
  EXPECT_FALSE(c2.scale_mismatch);
  EXPECT_EQ(c2.sector, "16");  // one project of 16, one of 30: the first code on a tie
  ASSERT_TRUE(c2.specialisation.has_value());
  EXPECT_EQ(c2.specialisation->stars, 0);

  const auto& c3 = c.clusters[2];
  EXPECT_FALSE(c3.members_outside_region.has_value());
  EXPECT_FALSE(c3.partners_outside_region.has_value());
  EXPECT_FALSE(c3.national_funding_share.has_value());
  EXPECT_EQ(c3.measured_scale, "regional");
  EXPECT_TRUE(c3.scale_mismatch);
  EXPECT_EQ(c3.sector, "");
  EXPECT_FALSE(c3.specialisation.has_value());

  // c4 shares c1's and c2's filière and region but is not labelled in 2022.
  ASSERT_EQ(c.overlaps.size(), 1u);
  EXPECT_EQ(c.overlaps[0].filiere, "aero");
  EXPECT_EQ(c.overlaps[0].region, "11");
  EXPECT_EQ(c.overlaps[0].clusters, (std::vector<std::string>{"c1", "c2"}));
  // Region 24 is specialised in 16 and none of its clusters has that sector; 11 in 30 has c1.
  ASSERT_EQ(c.gaps.size(), 1u);
  EXPECT_EQ(c.gaps[0].region, "24");
  EXPECT_EQ(c.gaps[0].sector, "16");
  EXPECT_EQ(c.gaps[0].jobs, 500);
  EXPECT_NEAR(*c.gaps[0].lq, 0.5 / 0.106, 1e-12);

  // Stricter thresholds: c1 no longer reaches beyond its region.
  const auto strict = characterise::characterise(*s, 2022, {0.6, 0.6, 0.5});
  EXPECT_EQ(strict.clusters[0].measured_scale, "regional");
  EXPECT_TRUE(strict.clusters[0].scale_mismatch);
}

// The coherence with the strategies (CESE recommendation 11): filières and S3 domains by hand.
TEST(EvaluateCharacterisation, StrategiesOutsidePrioritiesGapsOverlapsAndUnknownIds) {
  Eco e;
  for (const auto& [id, name] : {std::pair{"aeronautique", "Aéronautique"},
                                 {"bois", "Bois"},
                                 {"eau", "Eau"},
                                 {"chimie", "Chimie et matériaux"}})
    e.row("filiere", {{"id", std::string(id)}, {"name", std::string(name)}});
  auto domain = [&](const std::string& id, const std::string& region, const std::string& period) {
    e.row("s3_domain", {{"id", id},
                        {"region", region},
                        {"name", "Domaine " + id},
                        {"period", period.empty() ? Value{} : Value{period}}});
  };
  domain("s3-11-a", "11", "2021-2027");
  domain("s3-11-b", "11", "");
  domain("s3-11-old", "11", "2014-2020");  // another period: neither served nor unknown in 2022
  domain("s3-24-x", "24", "2021-2027");
  auto cluster = [&](const std::string& id, const std::string& region, const std::string& filiere,
                     const std::string& s3) {
    e.row("cluster", {{"id", id},
                      {"name", "Cluster " + id},
                      {"region", region},
                      {"scale", std::string("regional")},
                      {"filiere", filiere},
                      {"s3_domains", s3.empty() ? Value{} : Value{s3}}});
    e.row("cluster_label", {{"cluster_id", id},
                            {"phase", int64_t{5}},
                            {"start_year", int64_t{id == "old" ? 2010 : 2019}},
                            {"end_year", int64_t{id == "old" ? 2018 : 2026}}});
  };
  cluster("c1", "11", "aeronautique", "s3-11-a|bogus|s3-11-old");
  cluster("c2", "11", "transports", "");      // no committee of that name; names no domain
  cluster("c3", "24", "bois", "s3-11-a");     // serves another region's domain, none of its own
  cluster("c5", "84", "EAU", "");             // a committee by its name; 84 has no strategy
  cluster("old", "24", "chimie", "s3-24-x");  // not labelled in 2022: serves nothing that year
  cluster("c6", "11", "bois", "s3-11-a|s3-11-a");  // the same id twice counts once
  const auto s = e.build();
  const auto c = characterise::characterise(*s, 2022, {});
  ASSERT_EQ(c.clusters.size(), 5u);
  const auto& c1 = c.clusters[0];
  EXPECT_EQ(c1.filiere_name, "Aéronautique");
  EXPECT_EQ(c1.s3_domains, std::vector<std::string>{"s3-11-a"});
  EXPECT_EQ(c1.s3_unknown, std::vector<std::string>{"bogus"});
  EXPECT_TRUE(c1.s3_mapped);
  EXPECT_FALSE(c1.outside_priorities);
  const auto& c2 = c.clusters[1];
  EXPECT_EQ(c2.filiere_name, "");
  EXPECT_FALSE(c2.s3_mapped);
  EXPECT_TRUE(c2.outside_priorities);
  const auto& c3 = c.clusters[2];
  EXPECT_EQ(c3.s3_domains, std::vector<std::string>{"s3-11-a"});
  EXPECT_TRUE(c3.s3_mapped);
  EXPECT_TRUE(c3.outside_priorities);
  const auto& c5 = c.clusters[3];
  EXPECT_EQ(c5.filiere_name, "Eau");
  EXPECT_FALSE(c5.outside_priorities);  // nothing to be outside of
  const auto& c6 = c.clusters[4];
  EXPECT_EQ(c6.s3_domains, std::vector<std::string>{"s3-11-a"});
  // s3-11-a: c1 and c6 of region 11 (c3 of region 24 serves it across regions: no duplication).
  ASSERT_EQ(c.s3_overlaps.size(), 1u);
  EXPECT_EQ(c.s3_overlaps[0].domain, "s3-11-a");
  EXPECT_EQ(c.s3_overlaps[0].clusters, (std::vector<std::string>{"c1", "c6"}));
  ASSERT_EQ(c.s3_gaps.size(), 2u);
  EXPECT_EQ(c.s3_gaps[0].domain, "s3-11-b");
  EXPECT_EQ(c.s3_gaps[0].region, "11");
  EXPECT_EQ(c.s3_gaps[1].domain, "s3-24-x");  // only the unlabelled cluster serves it
  ASSERT_EQ(c.filiere_gaps.size(), 1u);
  EXPECT_EQ(c.filiere_gaps[0].filiere, "chimie");  // its only cluster is not labelled
  EXPECT_EQ(c.regions_without_s3, std::vector<std::string>{"84"});
  // In 2016 (only `old` labelled) the 2014–2020 domain counts and the 2021–2027 ones do not:
  // `old` names s3-24-x, of another period (neither served nor unknown).
  const auto before = characterise::characterise(*s, 2016, {});
  ASSERT_EQ(before.clusters.size(), 1u);
  EXPECT_TRUE(before.clusters[0].s3_unknown.empty());
  EXPECT_FALSE(before.clusters[0].s3_mapped);
  std::vector<std::string> gaps;
  for (const auto& g : before.s3_gaps) gaps.push_back(g.domain);
  EXPECT_EQ(gaps, (std::vector<std::string>{"s3-11-b", "s3-11-old"}));

  // Without reference tables, nothing is judged.
  Eco bare;
  bare.cluster("z", "11");
  const auto none = characterise::characterise(*bare.build(), 2022, {});
  ASSERT_EQ(none.clusters.size(), 1u);
  EXPECT_FALSE(none.clusters[0].filiere_name.has_value());
  EXPECT_FALSE(none.clusters[0].outside_priorities);
  EXPECT_TRUE(none.s3_gaps.empty() && none.filiere_gaps.empty() && none.regions_without_s3.empty());
}

}  // namespace
}  // namespace poles
