// Firm figures over a period of consecutive years that the caller chooses ([from, to]), such as
// the financing raised after a cluster's services or the results of a sector's projects.
//
// Two periods that differ by one year would give that year's figure by subtraction, so a period
// is published only as the sum of its years' columns: each year's column (rows and a total) is
// published by the engine, and a period's cell is masked when one of its years' cells is. A
// published period cell then tells nothing the years do not.
//
// A period's cell can fail the rule while none of its years does alone, or more than its masked
// years protect: a firm alone in 2019 (masked, protected ±15 % of its 2019 value) that holds most
// of 2020 too makes the 2019–2020 cell fail the rule, and the 2019 protection alone is a smaller
// share of the period's value. So every period cell that fails the rule is declared too, as the
// sum of its years' cells, and protected from the years' tables: the years are protected
// together until the attacker's interval of each such period cell reaches value·(1 ± share).
// Because the years' tables share no cell, a period cell's interval is the sum of its years'
// intervals, which the audit computes from each year's attacker (audit_periods).
//
// Readers that know part of a table published to all are attackers too (insiders): a cluster's
// manager knows its cluster's row, a region its clusters' rows (given by the caller), and a firm
// alone in a masked cell knows that cell (found here). For each in turn, the tables as that
// reader reads them are protected as a reader's are (publish_for_reader: its known
// contributions do not count toward the rule, its cells are known a priori, it starts from the
// public masks) and whatever they mask is masked in the public table too.
//
// Deterministic for given contributions: the years' masks do not depend on the period asked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "secrecy/linked.h"
#include "secrecy/rule.h"
#include "secrecy/table.h"

namespace poles::secrecy {

// Contributions of no year (e.g. a project without a start date) count in every period.
inline constexpr int kUndated = 0;

struct DatedContribution {
  int year = kUndated;
  Contribution c;  // its column is ignored: every table is one column
};

// A period cell that fails the rule, attacked from the years' tables.
struct PeriodInterval {
  int row = 0;           // `rows` is the total
  int from = 0, to = 0;  // the first and last dated years of the period
  double value = 0, known = 0;
  double low = 0, up = 0;  // may be ∓kUnbounded
  bool is_protected = true;
  double relative_half_width() const;  // as CellInterval's
};

class OverYears {
 public:
  struct Year {
    int year = kUndated;
    LinkedTables linked;  // this year's column alone, with its final masks
    Grid grid;            // rows x 1
  };

  // Declares and protects every year's column, then the period cells that fail the rule. A reader
  // that knows contributions (Contribution::known) starts from the years' masks published to
  // all. `insiders`: the rows each insider knows whole (the public table is protected against
  // each; a reader's starts from those masks). Should the solver fail, every cell is masked.
  static OverYears publish(int rows, std::vector<DatedContribution> contributions,
                           const Rule& rule = {},
                           const std::vector<std::vector<int>>& insiders = {});
  // A reader's tables from the same figures published to all (`everyone`: publish with no
  // contribution known), for a caller that keeps that one. `contributions` are everyone's, with
  // the reader's known.
  static OverYears publish_for_reader(const OverYears& everyone,
                                      std::vector<DatedContribution> contributions);

  // The cells of the period [from, to] (undated contributions included): rows + 1 cells, the
  // last the total.
  std::vector<PublishedCell> period(int from, int to) const;

  int rows() const { return rows_; }
  const std::vector<Year>& years() const { return years_; }

  // The attacker on every period cell that fails the rule (for the reader the contributions
  // were declared for) and is not a year's own cell: its interval is the sum of its years'
  // intervals, each computed by secrecy::audit on that year's table.
  Result<std::vector<PeriodInterval>> audit_periods(const Protection& p) const;

  // An insider: it knows these rows whole, or this firm's contributions.
  struct Insider {
    std::vector<int> rows;
    std::string firm;
  };
  // The insiders of the table published to all: the rows' readers given to publish, then every
  // firm alone in a masked cell (none for a reader's tables, or a table of one row).
  std::vector<Insider> insiders() const;
  // The tables as `who` reads them (what it knows counted as a reader's), or nothing when it
  // knows no masked cell (it reads what everyone reads). The audit attacks them.
  std::optional<OverYears> view_of(const Insider& who) const;

 private:
  struct Acc;
  struct PeriodCell;
  // Every period cell that fails the rule, with the indices (in years_) of its years (each
  // distinct cell once: runs between two years of the row's contributions).
  // Declares every year's column and protects the years and the periods (a reader's from the
  // masks of `everyone`, the same figures published to all).
  void declare(std::vector<DatedContribution> contributions, const OverYears* everyone);
  std::vector<PeriodCell> primary_periods() const;
  Result<std::vector<PeriodInterval>> attack(const std::vector<PeriodCell>& cells,
                                             const Protection& p) const;
  Status protect_periods(const Protection& p);
  // The public table protected against each insider in turn (its view's masks added).
  Status protect_insiders();

  int rows_ = 0;
  Rule rule_;
  bool nonnegative_ = true;
  std::vector<DatedContribution> contributions_;
  std::vector<std::vector<int>> insiders_;
  std::vector<Year> years_;  // the undated first, then by year
  bool failed_ = false;      // the solver failed: everything is masked
};

}  // namespace poles::secrecy
