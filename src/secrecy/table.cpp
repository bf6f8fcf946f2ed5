#include "secrecy/table.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "secrecy/linked.h"

namespace poles::secrecy {

int SecretTable::masked() const {
  int n = 0;
  for (const auto& r : cells) {
    for (const auto& c : r) n += !c.value.has_value();
  }
  return n;
}

SecretTable publish(int rows, int cols, const std::vector<Contribution>& contributions,
                    const Rule& rule) {
  return publish(rows, cols, contributions, rule, {});
}

SecretTable publish(int rows, int cols, const std::vector<Contribution>& contributions,
                    const Rule& rule, const std::vector<std::pair<int, int>>& also_masked) {
  const bool nonnegative = std::all_of(contributions.begin(), contributions.end(),
                                       [](const Contribution& c) { return c.value >= 0; });
  LinkedTables lt;
  const Grid g = add_two_way(lt, "table", rows, cols, contributions, rule, nonnegative);
  Protection p;
  p.share = rule.protection;
  Status st = Status::ok();
  if (std::any_of(contributions.begin(), contributions.end(),
                  [](const Contribution& c) { return c.known; })) {
    // A reader that knows contributions starts from the table published to all.
    std::vector<Contribution> unknown = contributions;
    for (auto& c : unknown) c.known = false;
    LinkedTables everyone;
    add_two_way(everyone, "table", rows, cols, unknown, rule, nonnegative);
    st = protect(everyone, p);
    if (st.is_ok()) start_from_public_masks(lt, everyone);
  }
  for (const auto& [r, c] : also_masked) {
    if (r < 0 || r > rows || c < 0 || c > cols) continue;
    auto& cell = lt.cells[static_cast<size_t>(g.at(r, c))];
    if (!cell.masked() && cell.lower < cell.upper) cell.state = CellState::kSecondary;
  }
  if (st.is_ok()) st = protect(lt, p);
  if (!st.is_ok()) {
    // The solver failed: publish nothing rather than an unprotected table.
    SecretTable t = to_secret_table(lt, g);
    for (auto& line : t.cells) {
      for (auto& cell : line) {
        if (cell.value) cell.suppression = Suppression::kSecondary;
        cell.value.reset();
      }
    }
    return t;
  }
  return to_secret_table(lt, g);
}

SecretTable publish_line_rule(int rows, int cols, const std::vector<Contribution>& contributions,
                              const Rule& rule) {
  const int R = rows + 1, C = cols + 1;
  // Per cell (margins included): each firm's total contribution.
  std::vector<std::vector<std::map<std::string, double>>> by_firm(
      static_cast<size_t>(R), std::vector<std::map<std::string, double>>(static_cast<size_t>(C)));
  for (const auto& c : contributions) {
    for (int r : {c.row, rows}) {
      for (int k : {c.col, cols})
        by_firm[static_cast<size_t>(r)][static_cast<size_t>(k)][c.firm] += c.value;
    }
  }
  SecretTable t;
  t.rows = rows;
  t.cols = cols;
  t.cells.assign(static_cast<size_t>(R), std::vector<PublishedCell>(static_cast<size_t>(C)));
  std::vector<std::vector<double>> sum(static_cast<size_t>(R),
                                       std::vector<double>(static_cast<size_t>(C), 0.0));
  std::vector<std::vector<bool>> mask(static_cast<size_t>(R),
                                      std::vector<bool>(static_cast<size_t>(C), false));
  for (int r = 0; r < R; ++r) {
    for (int k = 0; k < C; ++k) {
      const auto& firms = by_firm[static_cast<size_t>(r)][static_cast<size_t>(k)];
      double total = 0, largest = 0, abs_total = 0;
      for (const auto& [f, v] : firms) {
        total += v;
        abs_total += std::fabs(v);
        largest = std::max(largest, std::fabs(v));
      }
      sum[static_cast<size_t>(r)][static_cast<size_t>(k)] = total;
      auto& cell = t.cells[static_cast<size_t>(r)][static_cast<size_t>(k)];
      cell.firms = static_cast<int>(firms.size());
      // An empty cell (no firm) is a structural zero, published as 0.
      if (!firms.empty() && !publishable(firms.size(), abs_total, largest, rule)) {
        mask[static_cast<size_t>(r)][static_cast<size_t>(k)] = true;
        cell.suppression = Suppression::kPrimary;
      }
    }
  }
  // Secondary suppression: no line (row or column, with its total) may hold exactly one masked
  // cell. Mask the smallest published non-empty cell of the line (the total if none is left).
  auto fix_line = [&](bool is_row, int index) {
    const int n = is_row ? C : R;
    int masked = 0;
    for (int i = 0; i < n; ++i)
      masked += is_row ? mask[static_cast<size_t>(index)][static_cast<size_t>(i)]
                       : mask[static_cast<size_t>(i)][static_cast<size_t>(index)];
    if (masked != 1) return false;
    int best = -1;
    double best_value = 0;
    for (int i = 0; i < n - 1; ++i) {  // inner cells first (the last one is the line's total)
      const size_t r = static_cast<size_t>(is_row ? index : i),
                   k = static_cast<size_t>(is_row ? i : index);
      if (mask[r][k] || t.cells[r][k].firms == 0) continue;
      const double v = std::fabs(sum[r][k]);
      if (best < 0 || v < best_value) {
        best = i;
        best_value = v;
      }
    }
    if (best < 0) best = n - 1;
    const size_t r = static_cast<size_t>(is_row ? index : best),
                 k = static_cast<size_t>(is_row ? best : index);
    if (mask[r][k]) return false;  // the only published cell left is empty: nothing to reveal
    mask[r][k] = true;
    t.cells[r][k].suppression = Suppression::kSecondary;
    return true;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (int r = 0; r < R; ++r) changed |= fix_line(true, r);
    for (int k = 0; k < C; ++k) changed |= fix_line(false, k);
  }
  for (int r = 0; r < R; ++r) {
    for (int k = 0; k < C; ++k) {
      auto& cell = t.cells[static_cast<size_t>(r)][static_cast<size_t>(k)];
      if (!mask[static_cast<size_t>(r)][static_cast<size_t>(k)]) {
        cell.value = sum[static_cast<size_t>(r)][static_cast<size_t>(k)];
      } else {
        cell.firms = 0;  // the count of a masked cell is itself withheld
      }
    }
  }
  return t;
}

}  // namespace poles::secrecy
