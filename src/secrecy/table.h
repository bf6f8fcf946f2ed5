// A two-way table of sums over firms, published under statistical secrecy: each cell follows the
// primary rule (secrecy/rule.h); then cells are masked in addition so that the interval an
// attacker can compute for each primary cell from the published ones (margins included, values
// non-negative when every contribution is) reaches the protection interval (secrecy/linked.h).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "secrecy/rule.h"

namespace poles::secrecy {

// One firm's contribution to cell (row, col) of a two-way table.
struct Contribution {
  int row = 0;
  int col = 0;
  double value = 0;
  std::string firm;  // identifier: several contributions of one firm to a cell add up
  // The reader knows this contribution (a row it may read: its own firm's, its cluster's, a
  // project it owns; or one it could have written itself). The primary rule is then applied to
  // the contributions it does not know, the protection interval is that of their sum, and a
  // cell made only of known contributions is the reader's own: published to it, never used to
  // protect another. A cell that another reader could recover because it knows its own cell
  // next to it is protected for that reader (docs/secrecy.md, "What the reader knows").
  bool known = false;
};

enum class Suppression : uint8_t { kNone, kPrimary, kSecondary };

struct PublishedCell {
  std::optional<double> value;  // nullopt when masked
  int firms = 0;                // reported only when published
  Suppression suppression = Suppression::kNone;
};

// rows x cols cells, plus row totals (last column), column totals (last row) and the grand
// total (bottom right): cells[rows][cols] is the grand total.
struct SecretTable {
  int rows = 0, cols = 0;
  std::vector<std::vector<PublishedCell>> cells;  // (rows + 1) x (cols + 1)
  int masked() const;
};

// Published alone (a table linked to no other), protected to rule.protection. Should the solver
// fail, every cell is masked.
SecretTable publish(int rows, int cols, const std::vector<Contribution>& contributions,
                    const Rule& rule = {});
// The same with cells masked beforehand (row, col; margins included: a row's total is column
// `cols`, a column's total row `rows`), e.g. because another table they add up from masks them:
// the secondary suppression then protects them too.
SecretTable publish(int rows, int cols, const std::vector<Contribution>& contributions,
                    const Rule& rule, const std::vector<std::pair<int, int>>& also_masked);

// The former secondary suppression, kept as the baseline the audit is compared with: cells are
// masked until no row or column holds exactly one masked cell (which its total would reveal by
// subtraction). It resists that subtraction only, not linear programming (docs/secrecy.md).
SecretTable publish_line_rule(int rows, int cols, const std::vector<Contribution>& contributions,
                              const Rule& rule = {});

}  // namespace poles::secrecy
