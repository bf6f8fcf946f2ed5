#include "app/secrecy.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace poles::app {

SecretCell secret_cell(const PublishedCell& c) {
  SecretCell out;
  out.value = c.value;
  if (c.value) {
    out.firms = c.firms;
  } else {
    out.secret = c.suppression == Suppression::kPrimary ? "primary" : "secondary";
  }
  return out;
}

Reader::Reader(const snapshot::Snapshot& s, const User& u) {
  const auto& clusters = s.table("cluster");
  if (u.role == Role::kMember) {
    organisation_ = s.table("organisation").find(u.scope);
    return;
  }
  if (u.role != Role::kClusterManager && u.role != Role::kRegion) return;
  clusters_.assign(clusters.rows, 0);
  const auto& region = clusters.column("region");
  for (size_t c = 0; c < clusters.rows; ++c) {
    clusters_[c] =
        u.role == Role::kClusterManager ? clusters.key(c) == u.scope : region.text(c) == u.scope;
  }
  // A project's owner: the cluster that labelled it first (earliest date, then cluster id), as
  // the access policy has it.
  const auto& labels = s.table("project_label");
  const auto& project = labels.column("project_id");
  const auto& cluster = labels.column("cluster_id");
  const auto& date = labels.column("date");
  const size_t projects = s.table("project").rows;
  std::vector<int32_t> owner(projects, -1);
  std::vector<int64_t> first(projects, 0);
  for (size_t i = 0; i < labels.rows; ++i) {
    const int32_t p = project.codes[i], c = cluster.codes[i];
    if (p < 0 || c < 0) continue;
    const auto pu = static_cast<size_t>(p);
    const int64_t d = date.present[i] ? date.ints[i] : INT64_MAX;
    if (owner[pu] < 0 || d < first[pu] ||
        (d == first[pu] &&
         clusters.key(static_cast<size_t>(c)) < clusters.key(static_cast<size_t>(owner[pu])))) {
      owner[pu] = c;
      first[pu] = d;
    }
  }
  projects_.assign(projects, 0);
  for (size_t p = 0; p < projects; ++p) projects_[p] = knows_cluster(owner[p]);
}

std::vector<std::vector<int>> cluster_insiders(const snapshot::Snapshot& s) {
  const auto& clusters = s.table("cluster");
  const auto& region = clusters.column("region");
  std::vector<std::vector<int>> out;
  std::map<std::string, std::vector<int>, std::less<>> by_region;
  for (size_t c = 0; c < clusters.rows; ++c) {
    out.push_back({static_cast<int>(c)});
    if (!region.text(c).empty())
      by_region[std::string(region.text(c))].push_back(static_cast<int>(c));
  }
  for (auto& [code, rows] : by_region) {
    if (rows.size() > 1) out.push_back(std::move(rows));  // one cluster: its manager's rows
  }
  return out;
}

}  // namespace poles::app
