// Linked tables under statistical secrecy: the one structure through which publishers of firm
// figures pass (docs/secrecy.md). A publisher declares its cells (each a sum over firms: true
// value, firms covered, primary verdict) and how they add up (a total and its parts: the margins
// of a table, a hierarchy such as region -> department or NAF section -> division, a group and
// its subgroup such as all firms ⊃ members through a hidden complement). Then:
//
// - `protect` chooses the secondary suppressions: for every primary cell, in a fixed order, a
//   linear program finds the cheapest deviation of the published cells that moves the primary
//   cell by its protection interval while every sum still adds up and every cell stays within
//   what anyone knows a priori (non-negative, known empty); the published cells that deviate are
//   masked. Afterwards the attacker can no longer exclude the moved point, so the cell's interval
//   reaches at least value·(1 ± share) (Fischetti & Salazar's cell-by-cell protection, as in
//   τ-ARGUS's and sdcTable's audit-driven heuristics). Deterministic for given cells.
// - `audit` is the attacker: for each masked cell, the minimum and maximum of its value subject
//   to every published value, every sum and every a-priori bound, by linear programming. A
//   primary cell passes when its interval reaches value·(1 ± share) on both sides.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/status.h"
#include "secrecy/rule.h"
#include "secrecy/table.h"

namespace poles::secrecy {

inline constexpr double kUnbounded = std::numeric_limits<double>::infinity();

enum class CellState : uint8_t {
  kPublished,
  kPrimary,    // fails the primary rule: masked and protected
  kSecondary,  // masked so that primary cells keep their protection interval
  kHidden,     // never published (a complement such as the firms that are not members)
};

struct LinkedCell {
  double value = 0;  // the true value (a sum over firms)
  int firms = 0;     // distinct firms covered; 0 = known empty, a structural zero
  double lower = 0;  // what anyone knows a priori: lower <= value <= upper
  double upper = kUnbounded;
  CellState state = CellState::kPublished;
  int table = -1;  // the published table it belongs to (index of LinkedTables::tables), or -1
  // The part of the value the reader knows (its own contributions): the protection interval is
  // share·|value − known| around the value (the secret is the rest).
  double known = 0;
  bool masked() const { return state != CellState::kPublished; }
};

// cells[total] = Σ cells[parts].
struct LinkedSum {
  int total = 0;
  std::vector<int> parts;
};

// The protection interval: a primary cell of value x is protected when the attacker's interval
// contains [x − share·|x − k|, x + share·|x − k|], k being the part the reader knows (0 for
// a table published to all).
struct Protection {
  double share = 0.15;
};

struct LinkedTables {
  std::vector<std::string> tables;  // names of the published tables
  std::vector<LinkedCell> cells;
  std::vector<LinkedSum> sums;

  int add_table(std::string name);
  int add_cell(const LinkedCell& c);
  void add_sum(int total, std::vector<int> parts);
  int masked(CellState state) const;
};

// A two-way table of sums over firms with its margins, as cells of a LinkedTables: ids is
// (rows + 1) x (cols + 1), the last row and column being the totals.
struct Grid {
  int table = -1;
  int rows = 0, cols = 0;
  std::vector<int> ids;
  int at(int r, int c) const {
    return ids[static_cast<size_t>(r) * static_cast<size_t>(cols + 1) + static_cast<size_t>(c)];
  }
};

// Declares the table of `contributions` (one firm's figure for one cell) with its margins; each
// cell's state follows the primary rule, over the contributions the reader does not know
// (Contribution::known): a cell of known contributions only is published with bounds equal to its
// value (the reader knows it), and a cell's known part raises its a-priori lower bound.
// `nonnegative`: the measure cannot be negative, which anyone knows (the a-priori lower bound 0;
// otherwise unbounded).
Grid add_two_way(LinkedTables& lt, std::string name, int rows, int cols,
                 const std::vector<Contribution>& contributions, const Rule& rule,
                 bool nonnegative);
// Links a table to one of its sub-populations (all firms ⊃ members, same rows and columns): a
// hidden complement per cell, whole = part + complement, the complement non-negative when the
// measure is and known empty when both cover the same number of firms.
void link_subset(LinkedTables& lt, const Grid& whole, const Grid& part, bool nonnegative);

// Secondary suppression (see the top of this file). Fails only if the solver does.
Status protect(LinkedTables& lt, const Protection& p = {});

// A reader's tables start from the masks of the same tables published to all (built by the same
// calls, cell for cell, with no contribution known, and protected): every cell masked for all is
// masked for the reader too (secondary), except the cells it knows a priori (its own, structural
// zeros). Otherwise a cell the reader's own firm dominates — masked for all, but publishable for
// the reader from the others' part alone — would be published to it, and anyone who reads both
// tables could combine them. Call before protect(lt).
void start_from_public_masks(LinkedTables& reader, const LinkedTables& everyone);

// One masked cell attacked.
struct CellInterval {
  int cell = 0;
  double value = 0, low = 0, up = 0;  // up may be kUnbounded
  bool primary = false;
  bool is_protected = true;  // primary cells only: the interval reaches value·(1 ± share)
  // The smaller of (value − low) and (up − value), relative to |value| (kUnbounded if value 0).
  double relative_half_width() const;
};

struct AuditOutcome {
  std::vector<CellInterval> cells;  // every masked cell attacked, in cell order
  int failures = 0;                 // primary cells not protected
  int exact = 0;                    // masked cells whose interval is a point
};
// The attacker's intervals of the masked cells (all of them, or the primary ones only).
Result<AuditOutcome> audit(const LinkedTables& lt, const Protection& p = {},
                           bool primaries_only = false);
// The same for the masked cells among `cells` only (a caller that needs a few intervals).
Result<AuditOutcome> audit_cells(const LinkedTables& lt, const std::vector<int>& cells,
                                 const Protection& p = {});

// A grid's cells as the published two-way table.
SecretTable to_secret_table(const LinkedTables& lt, const Grid& g);

}  // namespace poles::secrecy
