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
  CensusRelease out;
  out.year = year;
  out.dry_run = dry_run;
  out.members = static_cast<int64_t>(after.size());
  std::map<std::string, CensusCluster> by_cluster;
  for (const auto& [c, o] : after) ++by_cluster[c].members;
  for (const auto& p : before) {
    if (after.contains(p)) continue;
    ++out.removed;
    ++by_cluster[p.first].removed;
    if (!dry_run)
      POLES_RETURN_IF_ERROR(tx->remove(e, Row{int64_t{year}, p.first, p.second}).status());
  }
  for (const auto& p : after) {
    if (before.contains(p)) continue;
    ++out.added;
    ++by_cluster[p.first].added;
    if (!dry_run)
      POLES_RETURN_IF_ERROR(tx->upsert(e, Row{int64_t{year}, p.first, p.second}).status());
  }
  for (auto& [c, k] : by_cluster) {
    if (k.added == 0 && k.removed == 0) continue;
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
