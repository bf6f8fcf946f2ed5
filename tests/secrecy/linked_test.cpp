// Linked tables: secondary suppression by linear programming and the attacker's audit, checked
// against an independent attacker (GLPK through tests/secrecy/attack.py) on synthetic tables.
#include "secrecy/linked.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "glpk_attacker.h"
#include "secrecy/table.h"

namespace poles::secrecy {
namespace {

using testing::PublishedGrid;

// A deterministic table: `rows` x `cols` cells of 1 to 6 firms (a linear congruential sequence),
// some dominated by one firm; every third firm is a "member".
struct Synthetic {
  std::vector<Contribution> all, members;
};
Synthetic synthetic(int rows, int cols, uint32_t seed) {
  Synthetic s;
  uint32_t x = seed;
  auto next = [&] {
    x = x * 1664525u + 1013904223u;
    return x >> 8;
  };
  int firm = 0;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const int n = 1 + static_cast<int>(next() % 6);
      for (int i = 0; i < n; ++i) {
        double v = 10 + static_cast<double>(next() % 1000);
        if (i == 0 && next() % 5 == 0) v *= 40;  // a dominant firm
        Contribution k{r, c, v, "f" + std::to_string(firm++)};
        if (firm % 3 == 0) s.members.push_back(k);
        s.all.push_back(k);
      }
    }
  }
  return s;
}

using testing::published;

TEST(LinkedTables, ProtectedTableKeepsEveryPrimaryCellsInterval) {
  const Synthetic s = synthetic(5, 6, 7);
  LinkedTables lt;
  const Grid g = add_two_way(lt, "t", 5, 6, s.all, Rule{}, true);
  ASSERT_GT(lt.masked(CellState::kPrimary), 2);
  // Before protection the attacker recovers primary cells.
  auto before = audit(lt, Protection{});
  ASSERT_TRUE(before.has_value()) << before.error().to_string();
  EXPECT_GT(before->failures, 0);
  ASSERT_TRUE(protect(lt, Protection{}).is_ok());
  EXPECT_GT(lt.masked(CellState::kSecondary), 0);
  auto after = audit(lt, Protection{});
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->failures, 0);
  for (const auto& iv : after->cells) {
    if (!iv.primary) continue;
    EXPECT_LE(iv.low, iv.value * 0.85 + 1e-6 * iv.value) << iv.cell;
    EXPECT_GE(iv.up, iv.value * 1.15 - 1e-6 * iv.value) << iv.cell;
  }
  // Deterministic: the same cells give the same masks.
  LinkedTables again;
  add_two_way(again, "t", 5, 6, s.all, Rule{}, true);
  ASSERT_TRUE(protect(again, Protection{}).is_ok());
  for (size_t i = 0; i < lt.cells.size(); ++i) EXPECT_EQ(lt.cells[i].state, again.cells[i].state);
  (void)g;
}

// The audit's intervals are those of GLPK on the same published table: after the protection
// (every primary cell safe) and under the former line rule (cells recovered exactly).
TEST(LinkedTables, AuditAgreesWithAnIndependentSolver) {
  if (!testing::glpk_available()) GTEST_SKIP() << "glpsol (glpk-utils) is not installed";
  const Synthetic s = synthetic(5, 6, 11);
  for (const bool line_rule : {false, true}) {
    LinkedTables lt;
    const Grid g = add_two_way(lt, "t", 5, 6, s.all, Rule{}, true);
    if (line_rule) {
      const SecretTable t = publish_line_rule(5, 6, s.all);
      for (int r = 0; r <= 5; ++r) {
        for (int c = 0; c <= 6; ++c) {
          if (t.cells[static_cast<size_t>(r)][static_cast<size_t>(c)].suppression ==
              Suppression::kSecondary)
            lt.cells[static_cast<size_t>(g.at(r, c))].state = CellState::kSecondary;
        }
      }
    } else {
      ASSERT_TRUE(protect(lt, Protection{}).is_ok());
    }
    auto ours = audit(lt, Protection{});
    ASSERT_TRUE(ours.has_value());
    const auto theirs = testing::glpk_attack({published(lt, g)}, {}, true);
    ASSERT_EQ(theirs.size(), ours->cells.size());
    int exact = 0;
    for (const auto& t : theirs) {
      const int id = g.at(t.row, t.col);
      const auto it = std::find_if(ours->cells.begin(), ours->cells.end(),
                                   [&](const CellInterval& iv) { return iv.cell == id; });
      ASSERT_NE(it, ours->cells.end());
      const double tol = 1e-6 * std::max(1.0, std::fabs(it->value));
      EXPECT_NEAR(it->low, t.low, tol) << t.row << "," << t.col;
      if (std::isinf(t.up)) {
        EXPECT_TRUE(std::isinf(it->up));
      } else {
        EXPECT_NEAR(it->up, t.up, tol) << t.row << "," << t.col;
      }
      exact += t.up - t.low <= tol;
    }
    if (line_rule) {
      EXPECT_GT(ours->failures, 0) << "the line rule leaves cells the attacker narrows";
    } else {
      EXPECT_EQ(ours->failures, 0);
    }
    (void)exact;
  }
}

// All firms ⊃ members: protecting each table alone leaves a member cell that the all-firms
// table bounds; protected together, GLPK (given the link and non-negativity) finds every primary
// cell of both tables at least ±15 % wide.
TEST(LinkedTables, LinkedTablesAreProtectedTogether) {
  if (!testing::glpk_available()) GTEST_SKIP() << "glpsol (glpk-utils) is not installed";
  const Synthetic s = synthetic(4, 5, 3);
  LinkedTables lt;
  const Grid all = add_two_way(lt, "all", 4, 5, s.all, Rule{}, true);
  const Grid mem = add_two_way(lt, "members", 4, 5, s.members, Rule{}, true);
  link_subset(lt, all, mem, true);
  ASSERT_TRUE(protect(lt, Protection{}).is_ok());
  auto ours = audit(lt, Protection{});
  ASSERT_TRUE(ours.has_value());
  EXPECT_EQ(ours->failures, 0);
  const auto theirs =
      testing::glpk_attack({published(lt, all), published(lt, mem)}, {{0, 1}}, true);
  int primaries = 0;
  for (const auto& t : theirs) {
    const Grid& g = t.table == 0 ? all : mem;
    const auto& cell = lt.cells[static_cast<size_t>(g.at(t.row, t.col))];
    if (cell.state != CellState::kPrimary) continue;
    ++primaries;
    const double half = 0.15 * std::fabs(cell.value) * (1 - 1e-6);
    EXPECT_LE(t.low, cell.value - half) << t.table << ":" << t.row << "," << t.col;
    EXPECT_GE(t.up, cell.value + half) << t.table << ":" << t.row << "," << t.col;
  }
  EXPECT_GT(primaries, 0);
}

// publish() (a table alone: the sector sheet's, the factory's) passes the audit.
TEST(LinkedTables, PublishedTwoWayTablePassesTheAudit) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    const Synthetic s = synthetic(6, 4, seed);
    const SecretTable t = publish(6, 4, s.all);
    LinkedTables lt;
    const Grid g = add_two_way(lt, "t", 6, 4, s.all, Rule{}, true);
    for (int r = 0; r <= 6; ++r) {
      for (int c = 0; c <= 4; ++c) {
        if (t.cells[static_cast<size_t>(r)][static_cast<size_t>(c)].suppression ==
            Suppression::kSecondary)
          lt.cells[static_cast<size_t>(g.at(r, c))].state = CellState::kSecondary;
      }
    }
    auto a = audit(lt, Protection{});
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->failures, 0) << "seed " << seed;
  }
}

// What the reader knows (Contribution::known). A column of four clusters' cells and their
// total, read by the manager of cluster 0, who reads its own cluster's rows. Cells 0 and 1 fail
// the primary rule. Published to all, they protect each other and the total is shown: the
// manager, who knows its own cell, then subtracts and gets cluster 1's cell exactly (GLPK's
// attacker, given cell 0's value as the manager knows it). Published to the manager (its
// contributions marked known), cell 0 is its own and another cell is masked in its place:
// cluster 1's cell keeps its ±15 % interval against the same attacker.
TEST(LinkedTables, AReaderWhoKnowsItsOwnCellCannotRecoverAnother) {
  if (!testing::glpk_available()) GTEST_SKIP() << "glpsol (glpk-utils) is not installed";
  const std::vector<std::pair<int, double>> firms = {
      {0, 500}, {0, 700},                                 // cluster 0: two firms (primary)
      {1, 900}, {1, 300},                                 // cluster 1: two firms (primary)
      {2, 400}, {2, 450}, {2, 380}, {2, 410},             // cluster 2: four firms
      {3, 600}, {3, 520}, {3, 610}, {3, 580}, {3, 590}};  // cluster 3: five firms
  const double own = 500 + 700, target = 900 + 300;
  for (const bool reader_knows : {false, true}) {
    std::vector<Contribution> cs;
    for (size_t i = 0; i < firms.size(); ++i)
      cs.push_back({firms[i].first, 0, firms[i].second, "f" + std::to_string(i),
                    reader_knows && firms[i].first == 0});
    const SecretTable t = publish(4, 1, cs);
    testing::PublishedGrid grid;
    for (const auto& line : t.cells) {
      grid.emplace_back();
      for (const auto& c : line) grid.back().push_back(c.value);
    }
    // The manager's own cell, as it knows it from its rows.
    EXPECT_EQ(grid[0][0].has_value(), reader_knows);
    grid[0][0] = own;
    grid[0][1] = own;
    EXPECT_FALSE(grid[1][0].has_value()) << "cluster 1's cell fails the rule for every reader";
    const auto theirs = testing::glpk_attack({grid}, {}, true);
    const auto it = std::find_if(theirs.begin(), theirs.end(),
                                 [](const auto& iv) { return iv.row == 1 && iv.col == 0; });
    ASSERT_NE(it, theirs.end());
    if (reader_knows) {
      EXPECT_LE(it->low, target * 0.85 + 1e-6);
      EXPECT_GE(it->up, target * 1.15 - 1e-6);
    } else {
      // The hole this closes: the total minus the published cells minus its own.
      EXPECT_NEAR(it->low, target, 1e-6);
      EXPECT_NEAR(it->up, target, 1e-6);
    }
  }
}

// A reader that wrote some of a cell's contributions itself (invented results on its own
// project, say) cannot lift the cell over the rule with them: the rule applies to the others.
TEST(LinkedTables, ContributionsTheReaderKnowsDoNotCountTowardTheRule) {
  std::vector<Contribution> cs = {{0, 0, 1000, "real-1"}, {0, 0, 1500, "real-2"}};
  EXPECT_EQ(publish(1, 1, cs).cells[0][0].suppression, Suppression::kPrimary);
  for (int i = 0; i < 5; ++i) cs.push_back({0, 0, 100, "invented-" + std::to_string(i), true});
  const SecretTable to_inventor = publish(1, 1, cs);
  EXPECT_FALSE(to_inventor.cells[0][0].value.has_value());
  EXPECT_EQ(to_inventor.cells[0][0].suppression, Suppression::kPrimary);
  // To a reader who knows none of them, seven firms, none dominant: published.
  for (auto& c : cs) c.known = false;
  const SecretTable to_others = publish(1, 1, cs);
  ASSERT_TRUE(to_others.cells[0][0].value.has_value());
  EXPECT_DOUBLE_EQ(*to_others.cells[0][0].value, 3000);
  // A firm that dominates a cell would learn only the others' sum from it, which passes the
  // rule among themselves (three firms, none above 85 % of their sum); but the cell is masked
  // for all (dominated), and a figure published to one reader and hidden from all could be
  // combined with the public table by anyone who reads both: the reader's table starts from the
  // public masks.
  const std::vector<Contribution> dominant = {
      {0, 0, 90000, "me", true}, {0, 0, 1000, "a"}, {0, 0, 1200, "b"}, {0, 0, 900, "c"}};
  const SecretTable to_dominant = publish(1, 1, {dominant.begin(), dominant.end()});
  EXPECT_FALSE(to_dominant.cells[0][0].value.has_value());
  EXPECT_EQ(to_dominant.cells[0][0].suppression, Suppression::kSecondary);
  auto to_all = dominant;
  to_all[0].known = false;
  EXPECT_EQ(publish(1, 1, to_all).cells[0][0].suppression, Suppression::kPrimary);
  // A cell the reader knows wholly is its own: published to it even where all see it masked.
  const std::vector<Contribution> own = {
      {0, 0, 500, "me", true}, {0, 0, 700, "me2", true}, {1, 0, 400, "a"}, {1, 0, 450, "b"},
      {1, 0, 380, "c"},        {2, 0, 600, "d"},         {2, 0, 520, "e"}, {2, 0, 610, "f"}};
  EXPECT_DOUBLE_EQ(publish(3, 1, own).cells[0][0].value.value_or(-1), 1200);
}

}  // namespace
}  // namespace poles::secrecy
