// The designs read from the store's firm panel (impact::design_panel, cohort_cross_section), on a
// hand-made panel of five firms.
#include "impact/panel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "impact/frame.h"

namespace poles::impact {
namespace {

// Firm 1 joins in 2003 (first aid 2004), firm 5 in 2004; firm 2 is a non-member exposed in its
// zone and sector from 2002, firm 4 through a project from 2003; firm 3 is never exposed and
// lacks 2004. R&D spending is 10 × firm + year - 2000.
Frame panel() {
  struct Firm {
    double join, funded, zone, network;
  };
  const std::map<int, Firm> firms = {{1, {2003, 2004, 0, 0}},
                                     {2, {0, 0, 2002, 0}},
                                     {3, {0, 0, 0, 0}},
                                     {4, {0, 0, 0, 2003}},
                                     {5, {2004, 0, 0, 0}}};
  Frame f;
  std::vector<double> firm, year, join, funded, zone, network, rd, headcount, turnover;
  for (const auto& [id, x] : firms) {
    for (int y = 2001; y <= 2005; ++y) {
      if (id == 3 && y == 2004) continue;
      firm.push_back(id);
      year.push_back(y);
      join.push_back(x.join);
      funded.push_back(x.funded);
      zone.push_back(x.zone);
      network.push_back(x.network);
      rd.push_back(10.0 * id + y - 2000);
      headcount.push_back(id);
      turnover.push_back(100.0 * id);
    }
  }
  f.add_numeric("firm", firm);
  f.add_numeric("year", year);
  f.add_numeric("join_year", join);
  f.add_numeric("funded_year", funded);
  f.add_numeric("zone_sector_exposed", zone);
  f.add_numeric("network_exposed", network);
  f.add_numeric("rd_spending", rd);
  f.add_numeric("headcount", headcount);
  f.add_numeric("turnover", turnover);
  return f;
}

// firm -> its treated_group, over the rows of a designed panel.
std::map<int, double> groups(const Frame& f) {
  std::map<int, double> out;
  const auto firm = *f.numeric("firm");
  const auto g = *f.numeric("treated_group");
  for (size_t i = 0; i < f.rows(); ++i) out[static_cast<int>(firm[i])] = g[i];
  return out;
}

TEST(ImpactPanel, SamplesKeepTheirFirmsAndDateTheirTreatment) {
  const Frame p = panel();
  auto direct = design_panel(p, {});
  ASSERT_TRUE(direct.has_value()) << direct.error().to_string();
  // Members and the never-exposed non-members (firm 4 is exposed through the network only).
  EXPECT_EQ(groups(*direct), (std::map<int, double>{{1, 2003}, {3, 0}, {4, 0}, {5, 2004}}));
  const auto year = *direct->numeric("year");
  const auto firm = *direct->numeric("firm");
  const auto post = *direct->numeric("treated_post");
  for (size_t i = 0; i < direct->rows(); ++i) {
    const bool expected = (firm[i] == 1 && year[i] >= 2003) || (firm[i] == 5 && year[i] >= 2004);
    EXPECT_EQ(post[i], expected ? 1 : 0) << firm[i] << " " << year[i];
  }
  auto direct_network =
      design_panel(p, {PanelTreatment::kMembership, PanelSample::kDirect, PanelExposure::kNetwork});
  ASSERT_TRUE(direct_network.has_value());
  EXPECT_EQ(groups(*direct_network), (std::map<int, double>{{1, 2003}, {2, 0}, {3, 0}, {5, 2004}}));
  auto spill = design_panel(
      p, {PanelTreatment::kMembership, PanelSample::kSpillover, PanelExposure::kZoneSector});
  ASSERT_TRUE(spill.has_value());
  EXPECT_EQ(groups(*spill), (std::map<int, double>{{2, 2002}, {3, 0}, {4, 0}}));
  auto spill_network = design_panel(
      p, {PanelTreatment::kMembership, PanelSample::kSpillover, PanelExposure::kNetwork});
  ASSERT_TRUE(spill_network.has_value());
  EXPECT_EQ(groups(*spill_network), (std::map<int, double>{{2, 0}, {3, 0}, {4, 2003}}));
  auto funded =
      design_panel(p, {PanelTreatment::kFunded, PanelSample::kAll, PanelExposure::kZoneSector});
  ASSERT_TRUE(funded.has_value());
  EXPECT_EQ(funded->rows(), p.rows());
  EXPECT_EQ(groups(*funded), (std::map<int, double>{{1, 2004}, {2, 0}, {3, 0}, {4, 0}, {5, 0}}));
  Frame bare;
  bare.add_numeric("year", {2001});
  EXPECT_FALSE(design_panel(bare, {}).has_value());
}

TEST(ImpactPanel, CohortCrossSectionComparesTheCohortWithTheNeverTreated) {
  auto designed = design_panel(panel(), {});
  ASSERT_TRUE(designed.has_value());
  auto cs = cohort_cross_section(*designed, {2003, 1, "rd_spending"});
  ASSERT_TRUE(cs.has_value()) << cs.error().to_string();
  // Firm 1 (the 2003 cohort) against firms 3 and 4; firm 5 joins later and is left out. One row
  // per firm, from the year before joining.
  ASSERT_EQ(cs->rows(), 3u);
  const auto firm = *cs->numeric("firm");
  const auto year = *cs->numeric("year");
  const auto change = *cs->numeric("outcome_change");
  const auto treated = *cs->numeric("treated");
  const auto log_headcount = *cs->numeric("log_headcount");
  std::set<int> seen;
  for (size_t i = 0; i < cs->rows(); ++i) {
    seen.insert(static_cast<int>(firm[i]));
    EXPECT_EQ(year[i], 2002);
    EXPECT_EQ(treated[i], firm[i] == 1 ? 1 : 0);
    EXPECT_DOUBLE_EQ(log_headcount[i], std::log(firm[i]));
    if (firm[i] == 3) {
      EXPECT_TRUE(std::isnan(change[i]));  // no 2004 row: not read as 0
    } else {
      EXPECT_EQ(change[i], 2) << firm[i];  // from 2002 to 2004
    }
  }
  EXPECT_EQ(seen, (std::set<int>{1, 3, 4}));
  EXPECT_FALSE(cohort_cross_section(*designed, {2003, 1, "no_such_column"}).has_value());
}

}  // namespace
}  // namespace poles::impact
