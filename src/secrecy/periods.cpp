#include "secrecy/periods.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace poles::secrecy {

double PeriodInterval::relative_half_width() const {
  if (value == 0) return kUnbounded;
  return std::min(value - low, up - value) / std::fabs(value);
}

// A cell's firms as the primary rule reads them (as secrecy::add_two_way does): the parts the
// reader does not know decide.
struct OverYears::Acc {
  struct Firm {
    double secret = 0, known = 0;
    bool any_secret = false;
  };
  std::map<std::string, Firm> firms;

  void add(const Contribution& c) {
    Firm& f = firms[c.firm];
    (c.known ? f.known : f.secret) += c.value;
    f.any_secret |= !c.known;
  }
  double total() const {
    double t = 0;
    for (const auto& [id, f] : firms) t += f.secret + f.known;
    return t;
  }
  double known() const {
    double k = 0;
    for (const auto& [id, f] : firms) k += f.known;
    return k;
  }
  // Fails the rule over the contributions the reader does not know (a cell it knows entirely,
  // or an empty one, does not).
  bool primary(const Rule& rule) const {
    size_t secret_firms = 0;
    double abs_secret = 0, largest = 0;
    for (const auto& [id, f] : firms) {
      if (!f.any_secret) continue;
      ++secret_firms;
      abs_secret += std::fabs(f.secret);
      largest = std::max(largest, std::fabs(f.secret));
    }
    return secret_firms > 0 && !publishable(secret_firms, abs_secret, largest, rule);
  }
};

struct OverYears::PeriodCell {
  int row = 0;
  std::vector<size_t> years;  // indices in years_
  double value = 0, known = 0;
  int firms = 0;
};

OverYears OverYears::publish(int rows, std::vector<DatedContribution> contributions,
                             const Rule& rule, const std::vector<std::vector<int>>& insiders) {
  // A reader that knows contributions starts from the years' masks published to all.
  if (std::any_of(contributions.begin(), contributions.end(),
                  [](const DatedContribution& d) { return d.c.known; })) {
    auto unknown = contributions;
    for (auto& d : unknown) d.c.known = false;
    return publish_for_reader(publish(rows, std::move(unknown), rule, insiders),
                              std::move(contributions));
  }
  OverYears out;
  out.rows_ = rows;
  out.rule_ = rule;
  out.insiders_ = insiders;
  out.declare(std::move(contributions), nullptr);
  if (!out.failed_ && !out.protect_insiders().is_ok()) out.failed_ = true;
  return out;
}

OverYears OverYears::publish_for_reader(const OverYears& everyone,
                                        std::vector<DatedContribution> contributions) {
  OverYears out;
  out.rows_ = everyone.rows_;
  out.rule_ = everyone.rule_;
  out.failed_ = everyone.failed_;
  out.declare(std::move(contributions), &everyone);
  return out;
}

void OverYears::declare(std::vector<DatedContribution> contributions, const OverYears* everyone) {
  nonnegative_ = std::all_of(contributions.begin(), contributions.end(),
                             [](const DatedContribution& d) { return d.c.value >= 0; });
  for (auto& d : contributions) d.c.col = 0;
  contributions_ = std::move(contributions);
  Protection p;
  p.share = rule_.protection;
  std::map<int, std::vector<Contribution>> by_year;
  for (const auto& d : contributions_) by_year[d.year].push_back(d.c);
  for (auto& [year, cs] : by_year) {  // kUndated (0) sorts first
    Year y;
    y.year = year;
    y.grid = add_two_way(y.linked, year == kUndated ? "undated" : std::to_string(year), rows_, 1,
                         cs, rule_, nonnegative_);
    if (everyone) {
      // The same figures: the same years (otherwise fail closed, every cell masked).
      const auto same = std::find_if(everyone->years_.begin(), everyone->years_.end(),
                                     [&](const Year& e) { return e.year == y.year; });
      if (same == everyone->years_.end() || same->linked.cells.size() != y.linked.cells.size())
        failed_ = true;
      else
        start_from_public_masks(y.linked, same->linked);
    }
    if (!failed_ && !protect(y.linked, p).is_ok()) failed_ = true;
    years_.push_back(std::move(y));
  }
  if (!failed_ && !protect_periods(p).is_ok()) failed_ = true;
}

std::vector<OverYears::Insider> OverYears::insiders() const {
  std::vector<Insider> out;
  for (const auto& rows : insiders_) out.push_back({rows, ""});
  // A firm alone in a masked cell knows that cell: two such cells protecting each other would
  // give each firm the other's figure (a table of one row has no other cell to read).
  if (rows_ > 1) {
    std::set<std::string> alone;
    std::map<std::pair<int, int>, std::set<std::string>> firms;  // (year, row) -> firms
    for (const auto& d : contributions_) firms[{d.year, d.c.row}].insert(d.c.firm);
    for (const Year& y : years_) {
      for (int r = 0; r < rows_; ++r) {
        const auto& c = y.linked.cells[static_cast<size_t>(y.grid.at(r, 0))];
        const auto f = firms.find({y.year, r});
        if (c.masked() && f != firms.end() && f->second.size() == 1)
          alone.insert(*f->second.begin());
      }
    }
    for (const auto& firm : alone) out.push_back({{}, firm});
  }
  return out;
}

std::optional<OverYears> OverYears::view_of(const Insider& who) const {
  auto known = contributions_;
  bool knows_a_mask = false;
  std::map<int, size_t> index_of;
  for (size_t y = 0; y < years_.size(); ++y) index_of[years_[y].year] = y;
  for (auto& d : known) {
    d.c.known = std::find(who.rows.begin(), who.rows.end(), d.c.row) != who.rows.end() ||
                (!who.firm.empty() && d.c.firm == who.firm);
    if (!d.c.known) continue;
    const Year& y = years_[index_of.at(d.year)];
    knows_a_mask |= y.linked.cells[static_cast<size_t>(y.grid.at(d.c.row, 0))].masked();
  }
  // An insider that knows no masked cell learns nothing the published values do not tell.
  if (!knows_a_mask) return std::nullopt;
  return publish_for_reader(*this, std::move(known));
}

Status OverYears::protect_insiders() {
  // Each insider's own view starts from the public masks and masks what that reader must not
  // read (a cell it could recover, a total whose unknown part fails the rule); the public table
  // masks it too, since that reader reads the public table. More masks only widen every
  // attacker's interval: the readers before stay protected. Masks can make new firms alone in a
  // masked cell: a new round takes them, until none is new.
  // An insider that knew no masked cell is looked at again in the next round (new masks may
  // now hide one of its cells); one whose view was protected is done.
  std::set<std::pair<std::vector<int>, std::string>> done;
  for (int round = 0; round < 8; ++round) {
    bool any = false;
    for (const auto& who : insiders()) {
      if (done.count({who.rows, who.firm}) > 0) continue;
      const auto view = view_of(who);
      if (!view) continue;
      done.insert({who.rows, who.firm});
      any = true;
      if (view->failed_) return Status::internal("an insider's view could not be protected");
      for (size_t y = 0; y < years_.size(); ++y) {
        auto& mine = years_[y].linked.cells;
        const auto& theirs = view->years_[y].linked.cells;
        for (size_t i = 0; i < mine.size(); ++i) {
          const bool known_a_priori = theirs[i].lower == theirs[i].upper;
          if (theirs[i].masked() && !known_a_priori && !mine[i].masked())
            mine[i].state = CellState::kSecondary;
        }
      }
    }
    if (!any) return Status::ok();
  }
  return Status::internal("the insiders' protection did not settle");
}

std::vector<OverYears::PeriodCell> OverYears::primary_periods() const {
  std::vector<size_t> dated;
  std::vector<size_t> undated;
  for (size_t y = 0; y < years_.size(); ++y)
    (years_[y].year == kUndated ? undated : dated).push_back(y);
  std::map<int, size_t> index_of;
  for (size_t y = 0; y < years_.size(); ++y) index_of[years_[y].year] = y;
  // Contributions by row (the total row takes every one) and year.
  std::vector<std::vector<std::vector<const Contribution*>>> cs(
      static_cast<size_t>(rows_) + 1, std::vector<std::vector<const Contribution*>>(years_.size()));
  for (const auto& d : contributions_) {
    const size_t y = index_of.at(d.year);
    cs[static_cast<size_t>(d.c.row)][y].push_back(&d.c);
    cs[static_cast<size_t>(rows_)][y].push_back(&d.c);
  }
  std::vector<PeriodCell> out;
  // A table of one row has a total equal to it: its periods once.
  const int last_row = rows_ == 1 ? 0 : rows_;
  for (int r = 0; r <= last_row; ++r) {
    const auto& row = cs[static_cast<size_t>(r)];
    for (size_t i = 0; i < dated.size(); ++i) {
      // A run that starts or ends on a year without this row's contributions is the shorter
      // run's cell again (the year's cell is a known zero): only runs between two of its years.
      if (row[dated[i]].empty()) continue;
      Acc acc;
      std::vector<size_t> years = undated;
      for (size_t u : undated) {
        for (const auto* c : row[u]) acc.add(*c);
      }
      for (size_t j = i; j < dated.size(); ++j) {
        for (const auto* c : row[dated[j]]) acc.add(*c);
        years.push_back(dated[j]);
        if (row[dated[j]].empty()) continue;
        if (years.size() < 2 || acc.firms.empty() || !acc.primary(rule_)) continue;
        out.push_back({r, years, acc.total(), acc.known(), static_cast<int>(acc.firms.size())});
      }
    }
  }
  return out;
}

Result<std::vector<PeriodInterval>> OverYears::audit_periods(const Protection& p) const {
  return attack(primary_periods(), p);
}

Result<std::vector<PeriodInterval>> OverYears::attack(const std::vector<PeriodCell>& cells,
                                                      const Protection& p) const {
  // Each year's attacker: the interval of every cell of the column (a published cell, or one
  // known a priori, is a point).
  // Only the cells the period cells add up are attacked.
  std::vector<std::set<int>> needed(years_.size());
  for (const auto& cell : cells) {
    for (size_t y : cell.years) needed[y].insert(cell.row);
  }
  std::vector<std::vector<std::pair<double, double>>> interval(years_.size());
  for (size_t y = 0; y < years_.size(); ++y) {
    const Year& year = years_[y];
    std::vector<int> ids;
    for (int r : needed[y]) ids.push_back(year.grid.at(r, 0));
    POLES_ASSIGN_OR_RETURN(auto a, audit_cells(year.linked, ids, p));
    std::map<int, std::pair<double, double>> masked;
    for (const auto& iv : a.cells) masked[iv.cell] = {iv.low, iv.up};
    for (int r = 0; r <= rows_; ++r) {
      const int id = year.grid.at(r, 0);
      const double v = year.linked.cells[static_cast<size_t>(id)].value;
      const auto m = masked.find(id);
      interval[y].push_back(m == masked.end() ? std::pair{v, v} : m->second);
    }
  }
  std::vector<PeriodInterval> out;
  for (const auto& cell : cells) {
    PeriodInterval iv;
    iv.row = cell.row;
    iv.from = years_[cell.years.back()].year;
    iv.to = iv.from;
    for (size_t y : cell.years) {
      if (years_[y].year != kUndated) iv.from = std::min(iv.from, years_[y].year);
      const auto& [low, up] = interval[y][static_cast<size_t>(cell.row)];
      iv.low += low;
      iv.up += up;
    }
    iv.value = cell.value;
    iv.known = cell.known;
    const double half = p.share * std::fabs(cell.value - cell.known);
    const double tol = 1e-6 * (1 + std::fabs(cell.value));
    iv.is_protected =
        !failed_ && iv.low <= cell.value - half + tol && iv.up >= cell.value + half - tol;
    out.push_back(iv);
  }
  return out;
}

Status OverYears::protect_periods(const Protection& p) {
  const auto cells = primary_periods();
  if (cells.empty()) return Status::ok();
  POLES_ASSIGN_OR_RETURN(auto attacked, attack(cells, p));
  // The years' tables together (each year's primary cells are protected already: they stay
  // masked, and no longer drive the program) with the period cells not yet protected, each the
  // sum of its years' cells.
  LinkedTables all;
  std::vector<size_t> offset;
  for (const Year& y : years_) {
    offset.push_back(all.cells.size());
    const int table = all.add_table(y.linked.tables.front());
    for (LinkedCell c : y.linked.cells) {
      if (c.state == CellState::kPrimary) c.state = CellState::kSecondary;
      c.table = table;
      all.add_cell(c);
    }
    for (const auto& sum : y.linked.sums) {
      std::vector<int> parts;
      for (int part : sum.parts) parts.push_back(part + static_cast<int>(offset.back()));
      all.add_sum(sum.total + static_cast<int>(offset.back()), std::move(parts));
    }
  }
  const int periods = all.add_table("periods");
  bool any = false;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (attacked[i].is_protected) continue;
    const PeriodCell& pc = cells[i];
    LinkedCell c;
    c.value = pc.value;
    c.firms = pc.firms;
    c.known = pc.known;
    c.lower = nonnegative_ ? pc.known : -kUnbounded;
    c.state = CellState::kPrimary;
    c.table = periods;
    const int id = all.add_cell(c);
    std::vector<int> parts;
    for (size_t y : pc.years)
      parts.push_back(static_cast<int>(offset[y]) + years_[y].grid.at(pc.row, 0));
    all.add_sum(id, std::move(parts));
    any = true;
  }
  if (!any) return Status::ok();
  POLES_RETURN_IF_ERROR(protect(all, p));
  for (size_t y = 0; y < years_.size(); ++y) {
    auto& own = years_[y].linked.cells;
    for (size_t i = 0; i < own.size(); ++i) {
      if (all.cells[offset[y] + i].masked() && !own[i].masked())
        own[i].state = CellState::kSecondary;
    }
  }
  // Fail closed: a period cell the program could not protect (no deviation found) masks
  // everything rather than be published.
  POLES_ASSIGN_OR_RETURN(attacked, attack(cells, p));
  if (std::any_of(attacked.begin(), attacked.end(),
                  [](const PeriodInterval& iv) { return !iv.is_protected; }))
    return Status::internal("a period cell could not be protected");
  return Status::ok();
}

std::vector<PublishedCell> OverYears::period(int from, int to) const {
  std::vector<PublishedCell> out(static_cast<size_t>(rows_) + 1);
  std::vector<bool> masked(out.size(), false);
  std::vector<Acc> acc(out.size());
  for (const Year& y : years_) {
    if (y.year != kUndated && (y.year < from || y.year > to)) continue;
    for (int r = 0; r <= rows_; ++r) {
      const LinkedCell& c = y.linked.cells[static_cast<size_t>(y.grid.at(r, 0))];
      masked[static_cast<size_t>(r)] = masked[static_cast<size_t>(r)] || c.masked() || failed_;
    }
  }
  for (const auto& d : contributions_) {
    if (d.year != kUndated && (d.year < from || d.year > to)) continue;
    acc[static_cast<size_t>(d.c.row)].add(d.c);
    acc[static_cast<size_t>(rows_)].add(d.c);
  }
  for (size_t r = 0; r < out.size(); ++r) {
    if (masked[r]) {
      out[r].suppression = acc[r].primary(rule_) ? Suppression::kPrimary : Suppression::kSecondary;
    } else {
      out[r].value = acc[r].total();
      out[r].firms = static_cast<int>(acc[r].firms.size());
    }
  }
  return out;
}

}  // namespace poles::secrecy
