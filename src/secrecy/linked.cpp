#include "secrecy/linked.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "numeric/lp.h"

namespace poles::secrecy {
namespace {

// Values are divided by a scale that brings the largest to 1e4, so that the solver's absolute
// tolerances (1e-7) stay far below the protection of the smallest cells.
double scale_of(const LinkedTables& lt) {
  double m = 0;
  for (const auto& c : lt.cells) m = std::max(m, std::fabs(c.value));
  return m > 0 ? m / 1e4 : 1.0;
}

double scaled(double v, double s) { return std::isinf(v) ? v : v / s; }

// The tolerance of a comparison in scaled units (solver tolerance plus a relative part).
double tolerance(double required) { return 1e-6 + 1e-6 * required; }

}  // namespace

int LinkedTables::add_table(std::string name) {
  tables.push_back(std::move(name));
  return static_cast<int>(tables.size() - 1);
}

int LinkedTables::add_cell(const LinkedCell& c) {
  cells.push_back(c);
  return static_cast<int>(cells.size() - 1);
}

void LinkedTables::add_sum(int total, std::vector<int> parts) {
  sums.push_back({total, std::move(parts)});
}

int LinkedTables::masked(CellState state) const {
  return static_cast<int>(std::count_if(cells.begin(), cells.end(),
                                        [&](const LinkedCell& c) { return c.state == state; }));
}

double CellInterval::relative_half_width() const {
  if (value == 0) return kUnbounded;
  return std::min(value - low, up - value) / std::fabs(value);
}

Grid add_two_way(LinkedTables& lt, std::string name, int rows, int cols,
                 const std::vector<Contribution>& contributions, const Rule& rule,
                 bool nonnegative) {
  const int R = rows + 1, C = cols + 1;
  const auto cell_index = [&](int r, int c) {
    return static_cast<size_t>(r) * static_cast<size_t>(C) + static_cast<size_t>(c);
  };
  // Each firm's contributions summed per cell (margins included), then added to the cell's
  // count, total, absolute total and largest contribution: contributions sorted by firm.
  // Per cell: every firm (firms, total) and the firms whose contribution the reader does not
  // know (secret_*: the primary rule's input; known: the rest of the value).
  struct Acc {
    int firms = 0, secret_firms = 0;
    double total = 0, known = 0, abs_secret = 0, largest_secret = 0;
  };
  std::vector<Acc> acc(static_cast<size_t>(R) * static_cast<size_t>(C));
  std::vector<size_t> order(contributions.size());
  std::iota(order.begin(), order.end(), size_t{0});
  const auto by_firm = [&](size_t a, size_t b) {
    return contributions[a].firm < contributions[b].firm;
  };
  if (!std::is_sorted(order.begin(), order.end(), by_firm))
    std::sort(order.begin(), order.end(), by_firm);
  struct Mine {  // one contribution of one firm to one cell
    size_t cell;
    double value;
    bool known;
  };
  std::vector<Mine> mine;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    mine.clear();
    while (j < order.size() && contributions[order[j]].firm == contributions[order[i]].firm) {
      const auto& c = contributions[order[j]];
      for (int r : {c.row, rows}) {
        for (int k : {c.col, cols}) mine.push_back({cell_index(r, k), c.value, c.known});
      }
      ++j;
    }
    std::sort(mine.begin(), mine.end(),
              [](const Mine& a, const Mine& b) { return a.cell < b.cell; });
    for (size_t a = 0; a < mine.size();) {
      size_t b = a;
      double secret = 0, known = 0;
      bool any_secret = false;
      for (; b < mine.size() && mine[b].cell == mine[a].cell; ++b) {
        (mine[b].known ? known : secret) += mine[b].value;
        any_secret |= !mine[b].known;
      }
      Acc& cell = acc[mine[a].cell];
      ++cell.firms;
      cell.total += secret + known;
      cell.known += known;
      if (any_secret) {
        ++cell.secret_firms;
        cell.abs_secret += std::fabs(secret);
        cell.largest_secret = std::max(cell.largest_secret, std::fabs(secret));
      }
      a = b;
    }
    i = j;
  }
  Grid g;
  g.table = lt.add_table(std::move(name));
  g.rows = rows;
  g.cols = cols;
  g.ids.resize(static_cast<size_t>(R) * static_cast<size_t>(C));
  for (int r = 0; r < R; ++r) {
    for (int k = 0; k < C; ++k) {
      const Acc& a = acc[cell_index(r, k)];
      LinkedCell cell;
      cell.value = a.total;
      cell.firms = a.firms;
      cell.table = g.table;
      // An empty cell (no firm) is a structural zero, published as 0 and known to everyone (the
      // firms' regions and sectors are public): its bounds are [0, 0].
      if (a.firms == 0) {
        cell.lower = cell.upper = 0;
      } else if (a.secret_firms == 0) {
        // Every contribution is the reader's own: it knows the value.
        cell.lower = cell.upper = a.total;
        cell.known = a.total;
      } else {
        cell.known = a.known;
        cell.lower = nonnegative ? a.known : -kUnbounded;
        cell.upper = kUnbounded;
        if (!publishable(static_cast<size_t>(a.secret_firms), a.abs_secret, a.largest_secret, rule))
          cell.state = CellState::kPrimary;
      }
      g.ids[cell_index(r, k)] = lt.add_cell(cell);
    }
  }
  // The margins: each row's total is the sum of its cells, each column's likewise.
  for (int r = 0; r < R; ++r) {
    std::vector<int> parts;
    parts.reserve(static_cast<size_t>(cols));
    for (int k = 0; k < cols; ++k) parts.push_back(g.at(r, k));
    lt.add_sum(g.at(r, cols), std::move(parts));
  }
  for (int k = 0; k < C; ++k) {
    std::vector<int> parts;
    parts.reserve(static_cast<size_t>(rows));
    for (int r = 0; r < rows; ++r) parts.push_back(g.at(r, k));
    lt.add_sum(g.at(rows, k), std::move(parts));
  }
  return g;
}

void link_subset(LinkedTables& lt, const Grid& whole, const Grid& part, bool nonnegative) {
  for (size_t i = 0; i < whole.ids.size(); ++i) {
    const LinkedCell& w = lt.cells[static_cast<size_t>(whole.ids[i])];
    const LinkedCell& p = lt.cells[static_cast<size_t>(part.ids[i])];
    LinkedCell rest;
    rest.value = w.value - p.value;
    rest.firms = w.firms - p.firms;
    rest.state = CellState::kHidden;
    if (rest.firms == 0) {
      rest.value = 0;
      rest.lower = rest.upper = 0;
    } else {
      rest.lower = nonnegative ? 0 : -kUnbounded;
    }
    const int id = lt.add_cell(rest);
    lt.add_sum(whole.ids[i], {part.ids[i], id});
  }
}

Status protect(LinkedTables& lt, const Protection& p) {
  const size_t n = lt.cells.size();
  const double S = scale_of(lt);
  // The cost of moving a published cell by one unit: 1 + its size relative to the mean cell, so
  // that the program prefers few cells and small ones (information loss counts both).
  double mean = 0;
  int counted = 0;
  for (const auto& c : lt.cells) {
    if (c.table >= 0 && c.firms > 0) mean += std::fabs(c.value), ++counted;
  }
  mean = counted > 0 && mean > 0 ? mean / counted : 1.0;

  numeric::RepeatedLp lp;
  std::vector<int> up(n, -1), down(n, -1);
  for (size_t j = 0; j < n; ++j) {
    const auto& c = lt.cells[j];
    const double up_room = scaled(c.upper, S) - c.value / S;
    const double down_room = c.value / S - scaled(c.lower, S);
    if (up_room > 0) up[j] = lp.add_column(0, up_room);
    if (down_room > 0) down[j] = lp.add_column(0, down_room);
  }
  for (const auto& sum : lt.sums) {
    std::vector<int> cols;
    std::vector<double> coefs;
    auto term = [&](int cell, double sign) {
      const auto j = static_cast<size_t>(cell);
      if (up[j] >= 0) cols.push_back(up[j]), coefs.push_back(sign);
      if (down[j] >= 0) cols.push_back(down[j]), coefs.push_back(-sign);
    };
    for (int part : sum.parts) term(part, 1.0);
    term(sum.total, -1.0);
    if (!cols.empty()) lp.add_row(cols, coefs, 0, 0);
  }

  std::vector<size_t> order;
  for (size_t j = 0; j < n; ++j) {
    if (lt.cells[j].state == CellState::kPrimary) order.push_back(j);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::fabs(lt.cells[a].value) > std::fabs(lt.cells[b].value);
  });

  for (size_t target : order) {
    const auto& t = lt.cells[target];
    const double required = p.share * std::fabs(t.value - t.known) / S * (1 + 1e-4);
    if (required <= 0) continue;
    for (int direction : {+1, -1}) {
      const int move = direction > 0 ? up[target] : down[target];
      const int back = direction > 0 ? down[target] : up[target];
      // Not enough room a priori (e.g. a bound): the attacker's interval stops at the bound.
      if (move < 0) continue;
      std::vector<int> cols;
      std::vector<double> coefs;
      for (size_t j = 0; j < n; ++j) {
        if (lt.cells[j].masked() || j == target) continue;
        const double cost = 1.0 + std::fabs(lt.cells[j].value) / mean;
        if (up[j] >= 0) cols.push_back(up[j]), coefs.push_back(cost);
        if (down[j] >= 0) cols.push_back(down[j]), coefs.push_back(cost);
      }
      const double room = direction > 0
                              ? scaled(lt.cells[target].upper, S) - lt.cells[target].value / S
                              : lt.cells[target].value / S - scaled(lt.cells[target].lower, S);
      const double step = std::min(required, room);
      lp.set_bounds(move, step, step);
      if (back >= 0) lp.set_bounds(back, 0, 0);
      auto sol = lp.optimise(cols, coefs, false, true);
      lp.set_bounds(move, 0, room);
      if (back >= 0) {
        const double back_room =
            direction > 0 ? lt.cells[target].value / S - scaled(lt.cells[target].lower, S)
                          : scaled(lt.cells[target].upper, S) - lt.cells[target].value / S;
        lp.set_bounds(back, 0, back_room);
      }
      if (!sol) {
        // No deviation exists at all (the sums pin the cell): mask nothing here, the audit
        // reports the cell and publishers refuse the table.
        if (sol.error().code() == ErrorCode::kInvalidArgument) continue;
        return sol.error();
      }
      const double threshold = 1e-7 * required;
      for (size_t j = 0; j < n; ++j) {
        if (lt.cells[j].masked()) continue;
        double moved = 0;
        if (up[j] >= 0) moved += sol->x[static_cast<size_t>(up[j])];
        if (down[j] >= 0) moved += sol->x[static_cast<size_t>(down[j])];
        if (moved > threshold) lt.cells[j].state = CellState::kSecondary;
      }
    }
  }
  return Status::ok();
}

void start_from_public_masks(LinkedTables& reader, const LinkedTables& everyone) {
  const size_t n = std::min(reader.cells.size(), everyone.cells.size());
  for (size_t i = 0; i < n; ++i) {
    auto& c = reader.cells[i];
    const bool known_a_priori = c.lower == c.upper;
    if (everyone.cells[i].masked() && !c.masked() && !known_a_priori)
      c.state = CellState::kSecondary;
  }
}

namespace {

// The attacker on the masked cells `wanted` selects (every one when null).
Result<AuditOutcome> attack_cells(const LinkedTables& lt, const Protection& p, bool primaries_only,
                                  const std::vector<uint8_t>* wanted) {
  const size_t n = lt.cells.size();
  const double S = scale_of(lt);
  numeric::RepeatedLp lp;
  std::vector<int> col(n, -1);
  for (size_t j = 0; j < n; ++j) {
    const auto& c = lt.cells[j];
    if (c.masked() && c.lower < c.upper)
      col[j] = lp.add_column(scaled(c.lower, S), scaled(c.upper, S));
  }
  for (const auto& sum : lt.sums) {
    std::vector<int> cols;
    std::vector<double> coefs;
    double constant = 0;  // Σ parts − total over the cells whose value the attacker knows
    auto term = [&](int cell, double sign) {
      const auto j = static_cast<size_t>(cell);
      if (col[j] >= 0) {
        cols.push_back(col[j]), coefs.push_back(sign);
      } else {
        // Published, or known a priori (a structural zero): the attacker knows the value.
        constant += sign * lt.cells[j].value / S;
      }
    };
    for (int part : sum.parts) term(part, 1.0);
    term(sum.total, -1.0);
    if (!cols.empty()) lp.add_row(cols, coefs, -constant, -constant);
  }
  AuditOutcome out;
  for (size_t j = 0; j < n; ++j) {
    const auto& c = lt.cells[j];
    if (c.table < 0 || !c.masked()) continue;
    if (primaries_only && c.state != CellState::kPrimary) continue;
    if (wanted && !(*wanted)[j]) continue;
    CellInterval iv;
    iv.cell = static_cast<int>(j);
    iv.value = c.value;
    iv.primary = c.state == CellState::kPrimary;
    if (col[j] < 0) {
      iv.low = iv.up = c.value;
    } else {
      auto lo = lp.optimise({col[j]}, {1.0}, false);
      if (!lo) return lo.error();
      auto hi = lp.optimise({col[j]}, {1.0}, true);
      if (!hi) return hi.error();
      iv.low = lo->unbounded ? -kUnbounded : lo->objective * S;
      iv.up = hi->unbounded ? kUnbounded : hi->objective * S;
    }
    const double half = p.share * std::fabs(c.value - c.known);
    const double tol = tolerance(half / S) * S;
    if (iv.up - iv.low <= tol) ++out.exact;
    if (iv.primary) {
      iv.is_protected = iv.low <= c.value - half + tol && iv.up >= c.value + half - tol;
      out.failures += !iv.is_protected;
    }
    out.cells.push_back(iv);
  }
  return out;
}

}  // namespace

Result<AuditOutcome> audit(const LinkedTables& lt, const Protection& p, bool primaries_only) {
  return attack_cells(lt, p, primaries_only, nullptr);
}

Result<AuditOutcome> audit_cells(const LinkedTables& lt, const std::vector<int>& cells,
                                 const Protection& p) {
  std::vector<uint8_t> wanted(lt.cells.size(), 0);
  for (int id : cells) wanted[static_cast<size_t>(id)] = 1;
  return attack_cells(lt, p, false, &wanted);
}

SecretTable to_secret_table(const LinkedTables& lt, const Grid& g) {
  SecretTable t;
  t.rows = g.rows;
  t.cols = g.cols;
  t.cells.assign(static_cast<size_t>(g.rows) + 1,
                 std::vector<PublishedCell>(static_cast<size_t>(g.cols) + 1));
  for (int r = 0; r <= g.rows; ++r) {
    for (int k = 0; k <= g.cols; ++k) {
      const LinkedCell& c = lt.cells[static_cast<size_t>(g.at(r, k))];
      auto& out = t.cells[static_cast<size_t>(r)][static_cast<size_t>(k)];
      out.suppression = c.state == CellState::kPrimary     ? Suppression::kPrimary
                        : c.state == CellState::kSecondary ? Suppression::kSecondary
                                                           : Suppression::kNone;
      if (!c.masked()) {
        out.value = c.value;
        out.firms = c.firms;
      }
    }
  }
  return t;
}

}  // namespace poles::secrecy
