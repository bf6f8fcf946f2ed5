#include "app/census.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "core/date.h"
#include "core/schema.h"
#include "secrecy/rule.h"

namespace poles::app {
namespace {

using Pair = std::pair<std::string, std::string>;  // (cluster, organisation)

Result<std::set<Pair>> pairs(store::Transaction& tx, const std::string& sql,
                             const std::vector<Value>& params) {
  POLES_ASSIGN_OR_RETURN(auto rows, tx.query(sql, params));
  std::set<Pair> out;
  for (const auto& r : rows) out.emplace(std::get<std::string>(r[0]), std::get<std::string>(r[1]));
  return out;
}

double real_or_nan(const Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return std::numeric_limits<double>::quiet_NaN();
}

// A member firm's figures of the year in the State's panel: what the census's figures sum.
struct FirmFigures {
  double headcount = 0, rd_staff = 0;
  std::string division, region;  // of the panel's row (the sector sheets' member jobs)
};

Result<std::map<std::string, FirmFigures>> firm_figures(store::Transaction& tx, int year) {
  POLES_ASSIGN_OR_RETURN(
      auto rows, tx.query("SELECT o.id, f.headcount, f.rd_staff, f.naf, f.region FROM organisation "
                          "o JOIN firm_year f ON f.siren = o.siren WHERE f.year = ?",
                          {int64_t{year}}));
  std::map<std::string, FirmFigures> out;
  for (const auto& r : rows) {
    FirmFigures f{real_or_nan(r[1]), real_or_nan(r[2]), "", ""};
    if (const auto* naf = std::get_if<std::string>(&r[3]); naf && naf->size() >= 2)
      f.division = naf->substr(0, 2);
    if (const auto* reg = std::get_if<std::string>(&r[4])) f.region = *reg;
    out.emplace(std::get<std::string>(r[0]), std::move(f));
  }
  return out;
}

// The composition rule applied to a release (docs/secrecy.md, section 6): a year already
// released has published member figures, and the next release of the same year moves them by
// the figures of the firms it adds or removes. Each group of those firms — per cluster, its
// member jobs and R&D staff; per NAF division (and region) of the panel, the firms entering or
// leaving the members of any cluster, for the sector sheets' member jobs — must pass the primary
// rule as a cell of its own; the changes of a group that fails are held back (kept as the
// previous release had them), and so on until every group left passes. Organisations without
// figures in the panel (laboratories, schools…) move no firm figure and are never held back.
std::set<Pair> held_back(const std::set<Pair>& before, const std::set<Pair>& after,
                         const std::map<std::string, FirmFigures>& firms) {
  std::vector<std::pair<Pair, bool>> changes;  // (cluster, organisation), added
  for (const auto& p : before)
    if (!after.contains(p) && firms.contains(p.second)) changes.emplace_back(p, false);
  for (const auto& p : after)
    if (!before.contains(p) && firms.contains(p.second)) changes.emplace_back(p, true);
  std::map<std::string, int> memberships_before;  // of each organisation, in any cluster
  for (const auto& p : before) ++memberships_before[p.second];
  std::set<Pair> held;
  for (;;) {
    std::map<std::string, secrecy::Cell<std::string>> cells;
    std::map<std::string, std::vector<Pair>> moved_by;  // the changes behind each cell
    auto count = [&](const std::string& key, const Pair& p, double value) {
      if (std::isnan(value)) return;
      cells[key].add(p.second, value);
      moved_by[key].push_back(p);
    };
    std::map<std::string, int> net;  // memberships gained by an organisation (lost if < 0)
    std::map<std::string, std::vector<Pair>> changes_of;
    for (const auto& [p, added] : changes) {
      if (held.contains(p)) continue;
      const FirmFigures& f = firms.at(p.second);
      count("jobs " + p.first, p, f.headcount);
      count("rd " + p.first, p, f.rd_staff);
      net[p.second] += added ? 1 : -1;
      changes_of[p.second].push_back(p);
    }
    for (const auto& [o, n] : net) {
      const int was = memberships_before.contains(o) ? memberships_before.at(o) : 0;
      if ((was > 0) == (was + n > 0)) continue;  // still (or still not) a member of a cluster
      const FirmFigures& f = firms.at(o);
      for (const auto& p : changes_of[o]) {
        count("sector " + f.division, p, f.headcount);
        count("sector " + f.division + " " + f.region, p, f.headcount);
      }
    }
    const size_t n = held.size();
    for (const auto& [key, cell] : cells) {
      if (cell.verdict() == secrecy::Verdict::kPublish) continue;
      held.insert(moved_by[key].begin(), moved_by[key].end());
    }
    if (held.size() == n) return held;
  }
}

}  // namespace

Result<CensusRelease> release_census(store::Store& s, const User& u, int year, bool dry_run) {
  const int now = today_utc().year;
  if (year < 2004 || year > now)
    return Status::invalid_argument(
        fmt::format("year {}: a census is released for a year from 2004 to the current one", year));
  const schema::Entity& e = *schema::find_entity("member_census");
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_ASSIGN_OR_RETURN(
      const auto before,
      pairs(*tx, "SELECT cluster_id, organisation_id FROM member_census WHERE year = ?",
            {int64_t{year}}));
  // Active during the year: started by its 31 December, not ended before its 1 January.
  POLES_ASSIGN_OR_RETURN(
      const auto after,
      pairs(*tx,
            "SELECT DISTINCT cluster_id, organisation_id FROM membership WHERE start_date <= ? "
            "AND (end_date IS NULL OR end_date >= ?)",
            {fmt::format("{:04d}-12-31", year), fmt::format("{:04d}-01-01", year)}));
  std::set<Pair> held;
  if (!before.empty()) {
    POLES_ASSIGN_OR_RETURN(const auto firms, firm_figures(*tx, year));
    held = held_back(before, after, firms);
  }
  CensusRelease out;
  out.year = year;
  out.dry_run = dry_run;
  std::map<std::string, CensusCluster> by_cluster;
  for (const auto& p : after)
    if (!held.contains(p)) ++by_cluster[p.first].members;
  for (const auto& p : before) {
    if (after.contains(p)) continue;
    if (held.contains(p)) {  // kept: its removal is held back
      ++by_cluster[p.first].members;
      ++by_cluster[p.first].held_back;
      continue;
    }
    ++by_cluster[p.first].removed;
    if (!dry_run)
      POLES_RETURN_IF_ERROR(tx->remove(e, Row{int64_t{year}, p.first, p.second}).status());
  }
  for (const auto& p : after) {
    if (before.contains(p)) continue;
    if (held.contains(p)) {
      ++by_cluster[p.first].held_back;
      continue;
    }
    ++by_cluster[p.first].added;
    if (!dry_run)
      POLES_RETURN_IF_ERROR(tx->upsert(e, Row{int64_t{year}, p.first, p.second}).status());
  }
  for (auto& [c, k] : by_cluster) {
    out.members += k.members;
    out.added += k.added;
    out.removed += k.removed;
    out.held_back += k.held_back;
    if (k.added == 0 && k.removed == 0 && k.held_back == 0) continue;
    k.cluster = c;
    out.clusters.push_back(std::move(k));
  }
  if (dry_run) return out;  // the transaction rolls back
  store::AuditEntry a;
  a.at = utc_timestamp();
  a.actor = u.name;
  a.action = "release";
  a.entity = "member_census";
  a.key = std::to_string(year);
  a.after = tj::to_json(out).dump();
  POLES_RETURN_IF_ERROR(tx->append_audit(a));
  POLES_RETURN_IF_ERROR(tx->commit());
  return out;
}

}  // namespace poles::app
