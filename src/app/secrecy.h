// Statistical secrecy for aggregates over firms (METHODS.md): a cell is published only when it
// covers at least 3 firms and no firm holds more than 85 % of it (primary suppression); then
// cells are masked in addition so that no row or column of the table — margins included — has
// exactly one masked cell, which subtraction from its total would reveal (secondary
// suppression, iterated until stable). Every aggregate over firms that leaves the app layer
// goes through here.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace poles::app {

struct SecrecyRule {
  int min_firms = 3;
  double max_share = 0.85;  // of the cell's absolute value held by its largest contributor
};

// One firm's contribution to cell (row, col) of a two-way table.
struct Contribution {
  int row = 0;
  int col = 0;
  double value = 0;
  std::string firm;  // identifier: several contributions of one firm to a cell add up
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

SecretTable publish(int rows, int cols, const std::vector<Contribution>& contributions,
                    const SecrecyRule& rule = {});

}  // namespace poles::app
