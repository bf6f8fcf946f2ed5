#include "app/census.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <utility>

#include "core/date.h"
#include "core/schema.h"

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

// The organisations with figures in the State's firm panel for the year (by SIREN): the ones
// whose membership moves published firm figures.
Result<std::set<std::string>> panel_firms(store::Transaction& tx, int year) {
  POLES_ASSIGN_OR_RETURN(
      auto rows, tx.query("SELECT DISTINCT o.id FROM organisation o JOIN firm_year f ON f.siren = "
                          "o.siren WHERE f.year = ?",
                          {int64_t{year}}));
  std::set<std::string> out;
  for (const auto& r : rows) out.insert(std::get<std::string>(r[0]));
  return out;
}

// The composition rule applied to a release (docs/secrecy.md, section 6): a year already
// released has published member figures (member jobs, R&D staff, their growth, the sector
// sheets' member jobs), and a second release moves them by the figures of the firms it adds or
// removes. Any rule on the groups of one release fails against combinations: a firm moved
// between two clusters with two firms added to both gives its headcount as half the difference
// of the two clusters' changes; three releases of one cluster (+F+G+H, −G−H−X, −F+G+H) give it
// as half the first minus the third. So the firm membership of a released year is final: a
// release of a year already released holds back every change of a firm of the year's panel
// (kept as the previous release had them); it counts from the next year's census. Organisations
// outside the panel (laboratories, schools…) move no firm figure and are released.
std::set<Pair> held_back(const std::set<Pair>& before, const std::set<Pair>& after,
                         const std::set<std::string>& firms) {
  std::set<Pair> held;
  for (const auto& p : before)
    if (!after.contains(p) && firms.contains(p.second)) held.insert(p);
  for (const auto& p : after)
    if (!before.contains(p) && firms.contains(p.second)) held.insert(p);
  return held;
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
    POLES_ASSIGN_OR_RETURN(const auto firms, panel_firms(*tx, year));
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
