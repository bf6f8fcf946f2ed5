// Firm figures over a period the caller chooses (secrecy::OverYears): a period cell that fails
// the rule is protected from its years' tables, checked by an independent attacker (GLPK through
// tests/secrecy/attack.py) on the published years.
#include "secrecy/periods.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>

#include "glpk_attacker.h"

namespace poles::secrecy {
namespace {

using testing::PublishedGrid;

// Four rows, 2019 and 2020. Row 0: firm X alone in 2019 (100, masked), X 50 with two firms of 5
// in 2020 (60, published: X holds 83 %). Over 2019–2020, X holds 150 of 160 (94 %): the period
// cell fails the rule, and the cheapest protection of 2019 alone (a row of 21 absorbing the
// deviation) leaves it [60, 181], narrower than 160 ± 24.
std::vector<DatedContribution> example() {
  std::vector<DatedContribution> out;
  const auto add = [&](int year, int row, double v, const std::string& firm) {
    out.push_back({year, {row, 0, v, firm}});
  };
  add(2019, 0, 100, "X");
  add(2020, 0, 50, "X");
  add(2020, 0, 5, "Y");
  add(2020, 0, 5, "Z");
  add(2019, 1, 6, "a1");
  add(2019, 1, 7, "a2");
  add(2019, 1, 8, "a3");
  for (int year : {2019, 2020}) {
    for (int row = 2; row <= 3; ++row) {
      for (int i = 0; i < 4; ++i)
        add(year, row, 200 + 37 * i + 11 * row + year % 7, "r" + std::to_string(row * 10 + i));
    }
  }
  add(2020, 1, 30, "a1");
  add(2020, 1, 31, "a2");
  add(2020, 1, 32, "a3");
  return out;
}

PublishedGrid column(const SecretTable& t) {
  PublishedGrid out;
  for (const auto& line : t.cells) {
    out.emplace_back();
    for (const auto& c : line) out.back().push_back(c.value);
  }
  return out;
}

// The independent attacker's interval of row `row` summed over the years' published columns
// (the years share no cell, so the sum of the years' intervals is the period's).
std::pair<double, double> period_interval(const std::vector<PublishedGrid>& years, int row) {
  const auto intervals = testing::glpk_attack(years, {}, true);
  double low = 0, up = 0;
  for (size_t t = 0; t < years.size(); ++t) {
    const auto& v = years[t][static_cast<size_t>(row)][0];
    if (v) {
      low += *v;
      up += *v;
      continue;
    }
    const auto it = std::find_if(intervals.begin(), intervals.end(), [&](const auto& iv) {
      return iv.table == static_cast<int>(t) && iv.row == row && iv.col == 0;
    });
    EXPECT_NE(it, intervals.end());
    if (it == intervals.end()) return {0, 0};
    low += it->low;
    up += it->up;
  }
  return {low, up};
}

TEST(OverYears, APeriodCellThatFailsTheRuleIsProtectedFromItsYears) {
  if (!testing::glpk_available()) GTEST_SKIP() << "glpsol (glpk-utils) is not installed";
  const auto contributions = example();
  // The premise: each year published alone leaves the period cell of row 0 too narrow.
  std::vector<Contribution> y2019, y2020;
  for (const auto& d : contributions) (d.year == 2019 ? y2019 : y2020).push_back(d.c);
  const auto alone =
      period_interval({column(publish(4, 1, y2019)), column(publish(4, 1, y2020))}, 0);
  EXPECT_DOUBLE_EQ(alone.first, 60) << "2020 published, 2019 down to 0";
  EXPECT_LT(alone.second, 160 + 24) << "years alone: the period's upper bound " << alone.second;

  const auto over = OverYears::publish(4, contributions);
  ASSERT_EQ(over.years().size(), 2u);
  std::vector<PublishedGrid> years;
  for (const auto& y : over.years()) years.push_back(testing::published(y.linked, y.grid));
  const auto [low, up] = period_interval(years, 0);
  EXPECT_LE(low, 160 - 24 + 1e-6);
  EXPECT_GE(up, 160 + 24 - 1e-6);
  // Our own attacker agrees that every period cell that fails the rule is protected.
  auto audited = over.audit_periods(Protection{});
  ASSERT_TRUE(audited.has_value()) << audited.error().to_string();
  bool row0 = false;
  for (const auto& iv : *audited) {
    EXPECT_TRUE(iv.is_protected) << "row " << iv.row << " " << iv.from << "-" << iv.to;
    if (iv.row == 0 && iv.from == 2019 && iv.to == 2020) {
      row0 = true;
      EXPECT_DOUBLE_EQ(iv.value, 160);
      EXPECT_NEAR(iv.low, low, 1e-6 * 160);
      EXPECT_NEAR(iv.up, up, 1e-6 * 160);
    }
  }
  EXPECT_TRUE(row0) << "the period cell of row 0 fails the rule";

  // The period as published: row 0 masked by the rule, the rows of many firms published.
  const auto period = over.period(2019, 2020);
  ASSERT_EQ(period.size(), 5u);
  EXPECT_FALSE(period[0].value.has_value());
  EXPECT_EQ(period[0].suppression, Suppression::kPrimary);
  ASSERT_TRUE(period[2].value.has_value());
  EXPECT_EQ(period[2].firms, 4);
  // And each year as a period of one year is that year's column.
  for (const auto& y : over.years()) {
    const auto one = over.period(y.year, y.year);
    for (int r = 0; r <= 4; ++r) {
      const auto& c = y.linked.cells[static_cast<size_t>(y.grid.at(r, 0))];
      EXPECT_EQ(one[static_cast<size_t>(r)].value.has_value(), !c.masked()) << y.year << " " << r;
    }
  }
}

// Contributions without a year count in every period; a period with no year of its own shows them
// alone, and the years' masks do not depend on the period asked.
TEST(OverYears, UndatedContributionsCountInEveryPeriod) {
  std::vector<DatedContribution> cs;
  for (int i = 0; i < 4; ++i) {
    cs.push_back({kUndated, {0, 0, 10.0 + i, "u" + std::to_string(i)}});
    cs.push_back({2018, {0, 0, 20.0 + i, "a" + std::to_string(i)}});
    cs.push_back({2021, {0, 0, 30.0 + i, "b" + std::to_string(i)}});
  }
  const auto over = OverYears::publish(1, cs);
  ASSERT_EQ(over.years().size(), 3u);
  EXPECT_EQ(over.years().front().year, kUndated);
  const auto only = over.period(2019, 2020);
  ASSERT_TRUE(only[0].value.has_value());
  EXPECT_DOUBLE_EQ(*only[0].value, 10 + 11 + 12 + 13);
  const auto both = over.period(2000, 2030);
  ASSERT_TRUE(both[1].value.has_value());
  EXPECT_DOUBLE_EQ(*both[1].value, 46 + 86 + 126);
  EXPECT_EQ(both[1].firms, 12);
}

// A reader that knows a contribution starts from the years' masks published to all: what is
// masked for everyone stays masked for it, except what it knows a priori.
TEST(OverYears, AReaderStartsFromTheMasksPublishedToAll) {
  auto cs = example();
  const auto everyone = OverYears::publish(4, cs);
  for (auto& d : cs) d.c.known = d.c.firm == "a1";
  const auto reader = OverYears::publish(4, cs);
  ASSERT_EQ(reader.years().size(), everyone.years().size());
  for (size_t y = 0; y < reader.years().size(); ++y) {
    const auto& mine = reader.years()[y].linked.cells;
    const auto& all = everyone.years()[y].linked.cells;
    for (size_t i = 0; i < mine.size(); ++i) {
      if (all[i].masked() && mine[i].lower < mine[i].upper) {
        EXPECT_TRUE(mine[i].masked()) << "year " << reader.years()[y].year << " cell " << i;
      }
    }
  }
}

// An insider knows a row whole (a cluster's manager, its cluster's row of the table published to
// all). Found on the small demo's services financing, 2015: the aero cluster's cell (1,829,071,
// one firm) and the mobility cluster's (1,817,755, one firm) masked, protecting each other, the
// total published: each manager recovered the other's cell exactly as the total minus the
// published rows minus its own. With the insiders declared, the table published to all resists
// each of them: the independent attacker, given the insider's row, cannot narrow the other
// primary cell below ±15 %, in a year or over the two years.
std::vector<DatedContribution> two_insiders() {
  std::vector<DatedContribution> out;
  const auto add = [&](int year, int row, double v, const std::string& firm) {
    out.push_back({year, {row, 0, v, firm}});
  };
  add(2015, 0, 1829071, "aero-X");
  add(2015, 1, 1817755, "mob-Y");
  add(2016, 1, 1500000, "mob-Y");
  for (int i = 0; i < 4; ++i) {
    add(2016, 0, 400000 + 1000 * i, "aero-" + std::to_string(i));
    add(2015, 2, 50000 + 700 * i, "small-" + std::to_string(i));
    add(2016, 2, 60000 + 900 * i, "small-" + std::to_string(i));
    add(2015, 3, 300000 + 5000 * i, "mid-" + std::to_string(i));
    add(2016, 3, 310000 + 4000 * i, "mid-" + std::to_string(i));
  }
  for (int i = 0; i < 5; ++i) {
    add(2015, 4, 420000 + 3000 * i, "big-" + std::to_string(i));
    add(2016, 4, 430000 + 2000 * i, "big-" + std::to_string(i));
  }
  return out;
}

// The years as the insider of `row` reads them: the published grids with its row filled in.
std::vector<PublishedGrid> seen_by_insider(const OverYears& over, int row) {
  std::vector<PublishedGrid> out;
  for (const auto& y : over.years()) {
    auto grid = testing::published(y.linked, y.grid);
    for (int c = 0; c <= y.grid.cols; ++c)
      grid[static_cast<size_t>(row)][static_cast<size_t>(c)] =
          y.linked.cells[static_cast<size_t>(y.grid.at(row, c))].value;
    out.push_back(std::move(grid));
  }
  return out;
}

TEST(OverYears, AManagerCannotRecoverAnotherClustersCellFromItsOwnAndTheTotal) {
  if (!testing::glpk_available()) GTEST_SKIP() << "glpsol (glpk-utils) is not installed";
  const auto cs = two_insiders();
  // The hole: the year protected for the public alone (secrecy::publish), the two primary cells
  // shield each other and the total is published; the aero manager fills in its own cell and
  // gets the mobility cell.
  {
    std::vector<Contribution> year;
    for (const auto& d : cs)
      if (d.year == 2015) year.push_back(d.c);
    auto y2015 = column(publish(5, 1, year));
    y2015[0][0] = y2015[0][1] = 1829071;
    ASSERT_FALSE(y2015[1][0].has_value()) << "the mobility cell is masked";
    ASSERT_TRUE(y2015[5][0].has_value()) << "the total is published";
    const auto [low, up] = period_interval({y2015}, 1);
    EXPECT_NEAR(low, 1817755, 1e-3);
    EXPECT_NEAR(up, 1817755, 1e-3) << "recovered exactly: the premise of the fix";
  }
  // Fixed: each manager's row declared as an insider's.
  const auto over = OverYears::publish(5, cs, {}, {{0}, {1}, {2}, {3}, {4}});
  for (const auto& [insider, victim, value] :
       {std::tuple{0, 1, 1817755.0}, std::tuple{1, 0, 1829071.0}}) {
    const auto years = seen_by_insider(over, insider);
    const auto [low, up] = period_interval({years.front()}, victim);
    EXPECT_LE(low, value * 0.85 + 1e-3) << "insider " << insider << " on row " << victim;
    EXPECT_GE(up, value * 1.15 - 1e-3) << "insider " << insider << " on row " << victim;
  }
  // Over 2015–2016, the mobility firm alone both years: the aero manager still cannot narrow it.
  {
    const auto [low, up] = period_interval(seen_by_insider(over, 0), 1);
    const double value = 1817755 + 1500000;
    EXPECT_LE(low, value * 0.85 + 1e-3);
    EXPECT_GE(up, value * 1.15 - 1e-3);
  }
  // The engine's own attacker agrees, for every insider (the two managers, and each firm alone
  // in a masked cell); and the public one still passes.
  int views = 0;
  for (const auto& who : over.insiders()) {
    const auto view = over.view_of(who);
    if (!view) continue;
    ++views;
    for (const auto& y : view->years()) {
      auto a = audit(y.linked, Protection{}, true);
      ASSERT_TRUE(a.has_value());
      EXPECT_EQ(a->failures, 0) << "insider " << who.firm << " year " << y.year;
    }
    auto periods = view->audit_periods(Protection{});
    ASSERT_TRUE(periods.has_value()) << periods.error().to_string();
    for (const auto& iv : *periods)
      EXPECT_TRUE(iv.is_protected) << "insider " << who.firm << " row " << iv.row;
  }
  EXPECT_GE(views, 2) << "the two managers at least know a masked cell";
  auto everyone = over.audit_periods(Protection{});
  ASSERT_TRUE(everyone.has_value());
  for (const auto& iv : *everyone) EXPECT_TRUE(iv.is_protected) << "row " << iv.row;
  // The rows of many firms stay published: the fix masks what it needs, not everything.
  const auto y2015 = over.period(2015, 2015);
  EXPECT_TRUE(y2015[4].value.has_value()) << "the row of five firms";
}

// A firm alone in two masked cells (two clusters served it) knows both: with the total and the
// other rows published, it read the third masked cell, a cell of two firms, exactly. Each firm
// alone in a masked cell is an insider: it cannot any more.
TEST(OverYears, AFirmAloneInTwoMaskedCellsCannotReadAThird) {
  if (!testing::glpk_available()) GTEST_SKIP() << "glpsol (glpk-utils) is not installed";
  std::vector<DatedContribution> cs;
  const auto add = [&](int row, double v, const std::string& firm) {
    cs.push_back({2020, {row, 0, v, firm}});
  };
  add(0, 100000, "F");
  add(1, 80000, "F");
  add(2, 50000, "G");
  add(2, 60000, "H");
  for (int i = 0; i < 5; ++i) add(3, 300000 + 1000 * i, "big-" + std::to_string(i));
  const auto cells_of = [](const OverYears& over) {
    auto grid = testing::published(over.years().front().linked, over.years().front().grid);
    // F fills in its own two cells.
    grid[0][0] = grid[0][1] = 100000;
    grid[1][0] = grid[1][1] = 80000;
    return grid;
  };
  // The premise: the year's table protected for the public alone (secrecy::publish) masks the
  // three small rows and publishes the total; F fills in its two cells and reads G + H.
  {
    std::vector<Contribution> year;
    for (const auto& d : cs) year.push_back(d.c);
    auto plain = column(publish(4, 1, year));
    ASSERT_FALSE(plain[2][0].has_value());
    ASSERT_TRUE(plain[4][0].has_value()) << "the total is published";
    plain[0][0] = plain[0][1] = 100000;
    plain[1][0] = plain[1][1] = 80000;
    const auto [low, up] = period_interval({plain}, 2);
    EXPECT_NEAR(low, 110000, 1e-3);
    EXPECT_NEAR(up, 110000, 1e-3) << "read exactly before the fix";
  }
  const auto over = OverYears::publish(4, cs);
  const auto grid = cells_of(over);
  ASSERT_FALSE(grid[2][0].has_value()) << "the cell of G and H is masked";
  const auto intervals = testing::glpk_attack({grid}, {}, true);
  bool attacked = false;
  for (const auto& iv : intervals) {
    if (iv.row != 2 || iv.col != 0) continue;
    attacked = true;
    EXPECT_LE(iv.low, 110000 * 0.85 + 1e-3);
    EXPECT_GE(iv.up, 110000 * 1.15 - 1e-3);
  }
  EXPECT_TRUE(attacked);
  bool firm_insider = false;
  for (const auto& who : over.insiders()) firm_insider |= who.firm == "F";
  EXPECT_TRUE(firm_insider) << "F is alone in a masked cell";
}

}  // namespace
}  // namespace poles::secrecy
