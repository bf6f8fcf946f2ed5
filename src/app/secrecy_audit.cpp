#include "app/secrecy_audit.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include "app/factory.h"
#include "core/codes.h"
#include "foresight/employment.h"
#include "pipeline/sector.h"
#include "secrecy/linked.h"
#include "services/services.h"

namespace poles::app {
namespace {

const char* suppression_name(FirmSuppression how) {
  switch (how) {
    case FirmSuppression::kLinked:
      return "linked";
    case FirmSuppression::kLineRule:
      return "line_rule";
    case FirmSuppression::kPrimaryOnly:
      return "primary_only";
  }
  return "linked";
}

// Published tables as the audit sees them: a linked system, its grids and their labels.
struct System {
  secrecy::LinkedTables linked;
  std::vector<secrecy::Grid> grids;
  std::vector<std::string> rows, columns;
};

// Attacks every system (on `threads` threads) and sums up for one publisher.
Result<SecrecyAuditPublisher> attack_systems(std::string publisher, FirmSuppression how,
                                             const std::vector<System>& systems,
                                             const SecrecyAuditOptions& o, const SecrecyRule& rule,
                                             std::chrono::steady_clock::time_point start) {
  SecrecyAuditPublisher out;
  out.publisher = std::move(publisher);
  out.suppression = suppression_name(how);
  std::vector<Result<secrecy::AuditOutcome>> audits(systems.size(), Status::internal("not run"));
  std::atomic<size_t> next{0};
  secrecy::Protection protection;
  protection.share = rule.protection;
  auto attack = [&] {
    for (size_t i = next++; i < systems.size(); i = next++)
      audits[i] = secrecy::audit(systems[i].linked, protection, o.primaries_only);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::min<int>(o.threads, static_cast<int>(systems.size())); ++t)
    pool.emplace_back(attack);
  attack();
  for (auto& t : pool) t.join();

  double inner_value = 0, masked_value = 0;
  double narrowest = secrecy::kUnbounded;
  for (size_t i = 0; i < systems.size(); ++i) {
    if (!audits[i]) return audits[i].error();
    const System& sys = systems[i];
    const auto& lt = sys.linked;
    out.tables += static_cast<int>(lt.tables.size());
    for (const secrecy::Grid& g : sys.grids) {
      for (int r = 0; r <= g.rows; ++r) {
        for (int k = 0; k <= g.cols; ++k) {
          const auto& c = lt.cells[static_cast<size_t>(g.at(r, k))];
          if (c.firms == 0) continue;
          ++out.cells;
          out.primary += c.state == secrecy::CellState::kPrimary;
          out.secondary += c.state == secrecy::CellState::kSecondary;
          if (r < g.rows && k < g.cols) {
            inner_value += std::fabs(c.value);
            if (c.masked()) masked_value += std::fabs(c.value);
          }
        }
      }
    }
    const auto& a = *audits[i];
    out.attacked += static_cast<int>(a.cells.size());
    out.exact += a.exact;
    out.failures += a.failures;
    for (const auto& iv : a.cells) {
      if (!iv.primary || iv.value == 0) continue;
      const double w = iv.relative_half_width();
      if (w >= narrowest) continue;
      narrowest = w;
      const auto& c = lt.cells[static_cast<size_t>(iv.cell)];
      const auto grid = std::find_if(sys.grids.begin(), sys.grids.end(),
                                     [&](const secrecy::Grid& g) { return g.table == c.table; });
      if (grid == sys.grids.end()) continue;
      const auto at = std::find(grid->ids.begin(), grid->ids.end(), iv.cell) - grid->ids.begin();
      const auto r = static_cast<size_t>(at / (grid->cols + 1)),
                 k = static_cast<size_t>(at % (grid->cols + 1));
      SecrecyAuditCell cell;
      cell.table = lt.tables[static_cast<size_t>(c.table)];
      cell.row = r < sys.rows.size() ? sys.rows[r] : "total";
      cell.column = k < sys.columns.size() ? sys.columns[k] : "total";
      cell.value = iv.value;
      if (!std::isinf(iv.low)) cell.low = iv.low;
      if (!std::isinf(iv.up)) cell.up = iv.up;
      if (!std::isinf(w)) cell.relative_half_width = w;
      out.narrowest = cell;
    }
  }
  out.cells_masked_share =
      out.cells > 0 ? static_cast<double>(out.primary + out.secondary) / out.cells : 0;
  out.value_masked_share = inner_value > 0 ? masked_value / inner_value : 0;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

// The tables of /stats/firms under one suppression (built and protected on `threads` threads).
Result<SecrecyAuditPublisher> audit_firm_tables(const snapshot::Snapshot& s,
                                                const SecrecyAuditOptions& o,
                                                const SecrecyRule& rule, FirmSuppression how) {
  const auto start = std::chrono::steady_clock::now();
  auto built = firm_table_sets(s, firm_measures(), o.year, rule, how, o.threads);
  if (!built) return built.error();
  std::vector<System> systems;
  for (auto& set : *built) {
    systems.push_back({std::move(set.linked),
                       {set.all, set.members},
                       std::move(set.rows),
                       std::move(set.columns)});
  }
  return attack_systems("/api/v1/stats/firms", how, systems, o, rule, start);
}

// One column of firm figures by row with its total, as a view publishes it alone
// (secrecy::publish, or the former rule for the baseline).
System column_system(const std::string& table, std::vector<std::string> rows,
                     const std::vector<Contribution>& contributions, const SecrecyRule& rule,
                     FirmSuppression how) {
  System sys;
  const int n = static_cast<int>(rows.size());
  const bool nonnegative = std::all_of(contributions.begin(), contributions.end(),
                                       [](const Contribution& c) { return c.value >= 0; });
  sys.grids.push_back(
      secrecy::add_two_way(sys.linked, table, n, 1, contributions, rule, nonnegative));
  sys.rows = std::move(rows);
  sys.columns = {"value"};
  const SecretTable t = how == FirmSuppression::kLineRule
                            ? secrecy::publish_line_rule(n, 1, contributions, rule)
                            : secrecy::publish(n, 1, contributions, rule);
  if (how != FirmSuppression::kPrimaryOnly) {
    const secrecy::Grid& g = sys.grids.front();
    for (int r = 0; r <= n; ++r) {
      for (int k = 0; k <= 1; ++k) {
        if (t.cells[static_cast<size_t>(r)][static_cast<size_t>(k)].suppression ==
            Suppression::kSecondary)
          sys.linked.cells[static_cast<size_t>(g.at(r, k))].state = secrecy::CellState::kSecondary;
      }
    }
  }
  return sys;
}

// The sector sheets' jobs of member firms by region (/api/v1/foresight/sectors/{sector}, one
// column per NAF division of the registry's organisations, the panel's last year), each a table
// alone as the sheet publishes it (secrecy::publish).
Result<SecrecyAuditPublisher> audit_sector_sheets(const snapshot::Snapshot& s,
                                                  const SecrecyAuditOptions& o,
                                                  const SecrecyRule& rule, FirmSuppression how) {
  const auto start = std::chrono::steady_clock::now();
  std::set<std::string> divisions;
  const auto& naf = s.table("organisation").column("naf");
  for (const auto& code : naf.dict) {
    if (code.size() >= 2 && codes::naf_division_exists(code.substr(0, 2)))
      divisions.emplace(code.substr(0, 2));
  }
  std::vector<System> systems;
  for (const auto& d : divisions) {
    const auto members = foresight::member_jobs(s, d);
    if (o.year && members.year != *o.year) continue;
    std::vector<Contribution> headcount;
    for (const auto& f : members.firms)
      headcount.push_back({static_cast<int>(f.region), 0, f.headcount, f.siren});
    if (headcount.empty()) continue;
    auto sys = column_system(fmt::format("division {} {}", d, members.year), members.regions,
                             headcount, rule, how);
    sys.columns = {"jobs"};
    systems.push_back(std::move(sys));
  }
  return attack_systems("/api/v1/foresight/sectors/{sector}", how, systems, o, rule, start);
}

// A column published over the periods a caller chooses (secrecy::OverYears), as the view builds
// it for a reader that knows no contribution: its years' tables as systems (the year asked
// only, if one is), and every period cell that fails the rule, attacked from those tables.
struct OverYearsSystems {
  struct Period {
    std::string table, row;
    secrecy::PeriodInterval interval;
  };
  std::vector<System> systems;
  std::vector<Period> periods;
  int insider_views = 0, insider_failures = 0;
};

Status add_over_years(OverYearsSystems& out, const std::string& name,
                      const std::vector<std::string>& rows,
                      std::vector<secrecy::DatedContribution> contributions,
                      const SecrecyAuditOptions& o, const SecrecyRule& rule, FirmSuppression how,
                      const std::vector<std::vector<int>>& insiders = {}) {
  const auto label = [&](int year) {
    return fmt::format("{} {}", name, year == secrecy::kUndated ? "undated" : std::to_string(year));
  };
  if (how != FirmSuppression::kLinked) {
    // The baselines: each year's column alone, as they would publish it.
    std::map<int, std::vector<Contribution>> by_year;
    for (const auto& d : contributions) by_year[d.year].push_back(d.c);
    for (const auto& [y, cs] : by_year) {
      if (o.year && y != *o.year) continue;
      out.systems.push_back(column_system(label(y), rows, cs, rule, how));
    }
    return Status::ok();
  }
  const auto over = secrecy::OverYears::publish(static_cast<int>(rows.size()),
                                                std::move(contributions), rule, insiders);
  for (const auto& y : over.years()) {
    if (o.year && y.year != *o.year) continue;
    System sys;
    sys.linked = y.linked;
    sys.linked.tables.front() = label(y.year);
    sys.grids = {y.grid};
    sys.rows = rows;
    sys.columns = {"value"};
    out.systems.push_back(std::move(sys));
  }
  secrecy::Protection protection;
  protection.share = rule.protection;
  POLES_ASSIGN_OR_RETURN(auto periods, over.audit_periods(protection));
  for (auto& iv : periods) {
    if (o.year && (*o.year < iv.from || *o.year > iv.to)) continue;
    const auto r = static_cast<size_t>(iv.row);
    out.periods.push_back(
        {fmt::format("{} {}-{}", name, iv.from, iv.to), r < rows.size() ? rows[r] : "total", iv});
  }
  // Each insider that knows a masked cell (a manager, a region, a firm alone in a masked cell):
  // the tables as it reads them, every primary cell it does not know attacked, and the period
  // cells that fail the rule for it.
  for (const auto& who : over.insiders()) {
    const auto view = over.view_of(who);
    if (!view) continue;
    for (const auto& y : view->years()) {
      if (o.year && y.year != *o.year) continue;
      POLES_ASSIGN_OR_RETURN(auto a, secrecy::audit(y.linked, protection, true));
      ++out.insider_views;
      out.insider_failures += a.failures;
    }
    POLES_ASSIGN_OR_RETURN(auto seen, view->audit_periods(protection));
    for (const auto& iv : seen) {
      if (o.year && (*o.year < iv.from || *o.year > iv.to)) continue;
      out.insider_failures += !iv.is_protected;
    }
  }
  return Status::ok();
}

// The years' systems attacked (attack_systems), then the period cells added to the figures.
Result<SecrecyAuditPublisher> attack_over_years(std::string publisher,
                                                const OverYearsSystems& built, FirmSuppression how,
                                                const SecrecyAuditOptions& o,
                                                const SecrecyRule& rule,
                                                std::chrono::steady_clock::time_point start) {
  POLES_ASSIGN_OR_RETURN(auto out,
                         attack_systems(std::move(publisher), how, built.systems, o, rule, start));
  out.insider_views = built.insider_views;
  out.insider_failures = built.insider_failures;
  out.failures += built.insider_failures;
  for (const auto& [table, row, iv] : built.periods) {
    ++out.period_cells;
    ++out.attacked;
    out.exact += iv.up - iv.low <= 1e-6 * (1 + std::fabs(iv.value));
    out.failures += !iv.is_protected;
    const double w = iv.relative_half_width();
    if (iv.value == 0 || std::isinf(w) ||
        (out.narrowest && out.narrowest->relative_half_width &&
         *out.narrowest->relative_half_width <= w))
      continue;
    SecrecyAuditCell cell;
    cell.table = table;
    cell.row = row;
    cell.column = "value";
    cell.value = iv.value;
    if (!std::isinf(iv.low)) cell.low = iv.low;
    if (!std::isinf(iv.up)) cell.up = iv.up;
    cell.relative_half_width = w;
    out.narrowest = cell;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

// The SME services summary's financing raised by cluster (/api/v1/services/summary), over the
// period the caller chooses: every year's column by cluster and the period cells.
Result<SecrecyAuditPublisher> audit_services_financing(const snapshot::Snapshot& s,
                                                       const SecrecyAuditOptions& o,
                                                       const SecrecyRule& rule,
                                                       FirmSuppression how) {
  const auto start = std::chrono::steady_clock::now();
  const auto& orgs = s.table("organisation");
  const auto& clusters = s.table("cluster");
  std::vector<std::string> rows;
  for (size_t c = 0; c < clusters.rows; ++c) rows.emplace_back(clusters.key(c));
  std::vector<secrecy::DatedContribution> financing;
  for (const auto& f : services::financing_raised(s))
    financing.push_back(
        {f.year,
         {f.cluster, 0, f.amount, std::string(orgs.key(static_cast<size_t>(f.organisation)))}});
  OverYearsSystems built;
  if (!financing.empty())
    POLES_RETURN_IF_ERROR(add_over_years(built, "financing raised", rows, std::move(financing), o,
                                         rule, how, cluster_insiders(s)));
  return attack_over_years("/api/v1/services/summary", built, how, o, rule, start);
}

// A sector sheet's results (jobs and revenue of the results of the sector's projects), over the
// period the caller chooses by the projects' start year (undated projects count in every
// period): per division and measure, every year's column and the period cells.
Result<SecrecyAuditPublisher> audit_sector_results(const snapshot::Snapshot& s,
                                                   const SecrecyAuditOptions& o,
                                                   const SecrecyRule& rule, FirmSuppression how) {
  const auto start = std::chrono::steady_clock::now();
  const auto& project = s.table("project");
  std::set<std::string> divisions;
  for (const auto& code : project.column("sector").dict) {
    if (code.size() >= 2 && codes::naf_division_exists(code.substr(0, 2)))
      divisions.emplace(code.substr(0, 2));
  }
  OverYearsSystems built;
  for (const auto& d : divisions) {
    // Every start year a sheet's period can take (its view's range).
    const auto p = pipeline::sector_projects(s, d, kFirstYear, kLastYear);
    for (const auto& [what, values] :
         {std::pair{"jobs", &p.result_jobs}, std::pair{"revenue", &p.result_revenue}}) {
      std::vector<secrecy::DatedContribution> cs;
      for (const auto& f : *values) cs.push_back({f.year, {0, 0, f.value, f.firm}});
      if (cs.empty()) continue;
      POLES_RETURN_IF_ERROR(add_over_years(built, fmt::format("results {} {}", what, d), {d},
                                           std::move(cs), o, rule, how));
    }
  }
  return attack_over_years("/api/v1/foresight/sectors/{sector} (results)", built, how, o, rule,
                           start);
}

}  // namespace

Result<SecrecyAudit> secrecy_audit(const snapshot::Snapshot& s, const SecrecyAuditOptions& o,
                                   const SecrecyRule& rule) {
  SecrecyAudit out;
  out.rule = rule_shown(rule);
  out.protection = rule.protection;
  std::vector<FirmSuppression> methods = {FirmSuppression::kLinked};
  if (o.baselines) {
    methods.push_back(FirmSuppression::kLineRule);
    methods.push_back(FirmSuppression::kPrimaryOnly);
  }
  for (auto publisher :
       {audit_firm_tables, audit_sector_sheets, audit_services_financing, audit_sector_results}) {
    for (auto how : methods) {
      auto p = publisher(s, o, rule, how);
      if (!p) return p.error();
      if (how == FirmSuppression::kLinked && p->failures > 0) out.passed = false;
      out.publishers.push_back(std::move(*p));
    }
  }
  return out;
}

}  // namespace poles::app
