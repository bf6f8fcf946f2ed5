#include "app/secrecy_audit.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include "core/codes.h"
#include "core/date.h"
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

// The years of a table's rows (a date column), or the one asked.
std::set<int> years_of(const snapshot::Table& t, std::string_view column,
                       const SecrecyAuditOptions& o) {
  if (o.year) return {*o.year};
  std::set<int> out;
  const auto& c = t.column(column);
  for (size_t i = 0; i < t.rows; ++i) {
    if (c.present[i]) out.insert(Date::from_days(c.ints[i]).year);
  }
  return out;
}

// The SME services summary's financing raised by cluster (/api/v1/services/summary): a period is
// published only as the sum of its years' tables (app::secret_column_over_years), so the tables
// are the years', each a column by cluster.
Result<SecrecyAuditPublisher> audit_services_financing(const snapshot::Snapshot& s,
                                                       const SecrecyAuditOptions& o,
                                                       const SecrecyRule& rule,
                                                       FirmSuppression how) {
  const auto start = std::chrono::steady_clock::now();
  const auto& orgs = s.table("organisation");
  const auto& clusters = s.table("cluster");
  std::vector<System> systems;
  for (const int y : years_of(s.table("service"), "date", o)) {
    const auto r = services::services_report(s, y, y);
    std::vector<Contribution> financing;
    std::vector<std::string> rows;
    for (size_t i = 0; i < r.clusters.size(); ++i) {
      rows.emplace_back(clusters.key(static_cast<size_t>(r.clusters[i].cluster)));
      for (const auto& [o_, v] : r.clusters[i].financing)
        financing.push_back(
            {static_cast<int>(i), 0, v, std::string(orgs.key(static_cast<size_t>(o_)))});
    }
    if (financing.empty()) continue;
    systems.push_back(
        column_system(fmt::format("financing raised {}", y), rows, financing, rule, how));
  }
  return attack_systems("/api/v1/services/summary", how, systems, o, rule, start);
}

// A sector sheet's results (jobs and revenue of the results of the sector's projects): by the
// projects' start year, as the sheet publishes a period (undated projects: a year of their own).
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
  std::vector<System> systems;
  for (const auto& d : divisions) {
    // Every start year at once, split by year here.
    const auto p = pipeline::sector_projects(s, d, o.year.value_or(0), o.year.value_or(9999));
    for (const auto& [what, values] :
         {std::pair{"jobs", &p.result_jobs}, std::pair{"revenue", &p.result_revenue}}) {
      std::map<int, std::vector<Contribution>> by_year;
      for (const auto& f : *values) by_year[f.year].push_back({0, 0, f.value, f.firm});
      for (const auto& [y, cs] : by_year)
        systems.push_back(
            column_system(fmt::format("results {} {} {}", what, d, y), {d}, cs, rule, how));
    }
  }
  return attack_systems("/api/v1/foresight/sectors/{sector} (results)", how, systems, o, rule,
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
