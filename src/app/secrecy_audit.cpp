#include "app/secrecy_audit.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "secrecy/linked.h"

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

// The firm tables of /stats/firms under one suppression, attacked.
Result<SecrecyAuditPublisher> audit_firm_tables(const snapshot::Snapshot& s,
                                                const SecrecyAuditOptions& o,
                                                const SecrecyRule& rule, FirmSuppression how) {
  const auto start = std::chrono::steady_clock::now();
  SecrecyAuditPublisher out;
  out.publisher = "/api/v1/stats/firms";
  out.suppression = suppression_name(how);
  auto built = firm_table_sets(s, firm_measures(), o.year, rule, how, o.threads);
  if (!built) return built.error();
  const std::vector<FirmTableSet>& sets = *built;
  std::vector<Result<secrecy::AuditOutcome>> audits(sets.size(), Status::internal("not run"));
  std::atomic<size_t> next{0};
  secrecy::Protection protection;
  protection.share = rule.protection;
  auto attack = [&] {
    for (size_t i = next++; i < sets.size(); i = next++)
      audits[i] = secrecy::audit(sets[i].linked, protection, o.primaries_only);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::min<int>(o.threads, static_cast<int>(sets.size())); ++t)
    pool.emplace_back(attack);
  attack();
  for (auto& t : pool) t.join();
  double inner_value = 0, masked_value = 0;
  double narrowest = secrecy::kUnbounded;
  {
    for (size_t i = 0; i < sets.size(); ++i) {
      if (!audits[i]) return audits[i].error();
      const FirmTableSet& set = sets[i];
      const auto& lt = set.linked;
      out.tables += static_cast<int>(lt.tables.size());
      for (const secrecy::Grid* g : {&set.all, &set.members}) {
        for (int r = 0; r <= g->rows; ++r) {
          for (int k = 0; k <= g->cols; ++k) {
            const auto& c = lt.cells[static_cast<size_t>(g->at(r, k))];
            if (c.firms == 0) continue;
            ++out.cells;
            out.primary += c.state == secrecy::CellState::kPrimary;
            out.secondary += c.state == secrecy::CellState::kSecondary;
            if (r < g->rows && k < g->cols) {
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
        const secrecy::Grid& g = c.table == set.all.table ? set.all : set.members;
        const auto at = std::find(g.ids.begin(), g.ids.end(), iv.cell) - g.ids.begin();
        const auto r = static_cast<size_t>(at / (g.cols + 1)),
                   k = static_cast<size_t>(at % (g.cols + 1));
        SecrecyAuditCell cell;
        cell.table = lt.tables[static_cast<size_t>(c.table)];
        cell.row = r < set.rows.size() ? set.rows[r] : "total";
        cell.column = k < set.columns.size() ? set.columns[k] : "total";
        cell.value = iv.value;
        if (!std::isinf(iv.low)) cell.low = iv.low;
        if (!std::isinf(iv.up)) cell.up = iv.up;
        if (!std::isinf(w)) cell.relative_half_width = w;
        out.narrowest = cell;
      }
    }
  }
  out.cells_masked_share =
      out.cells > 0 ? static_cast<double>(out.primary + out.secondary) / out.cells : 0;
  out.value_masked_share = inner_value > 0 ? masked_value / inner_value : 0;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
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
  for (auto how : methods) {
    auto p = audit_firm_tables(s, o, rule, how);
    if (!p) return p.error();
    if (how == FirmSuppression::kLinked && p->failures > 0) out.passed = false;
    out.publishers.push_back(std::move(*p));
  }
  return out;
}

}  // namespace poles::app
