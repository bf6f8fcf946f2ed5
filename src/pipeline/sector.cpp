#include "pipeline/sector.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "core/date.h"
#include "core/model.h"

namespace poles::pipeline {

using snapshot::Snapshot;

SectorProjects sector_projects(const Snapshot& s, std::string_view division, int from_year,
                               int to_year) {
  SectorProjects out;
  const auto& project = s.table("project");
  const auto& sector = project.column("sector");
  const auto& start = project.column("start_date");
  const auto& aid = project.column("public_aid");
  const auto& cost = project.column("total_cost");
  const auto paths = project_paths(s);
  std::vector<uint8_t> in(project.rows, 0);
  for (size_t p = 0; p < project.rows; ++p) {
    const auto code = sector.text(p);
    if (code.size() < 2 || code.substr(0, 2) != division) continue;
    if (start.present[p]) {
      const int y = Date::from_days(start.ints[p]).year;
      if (y < from_year || y > to_year) continue;
    }
    in[p] = 1;
    ++out.count;
    if (!std::isnan(aid.reals[p])) out.public_aid += aid.reals[p];
    if (!std::isnan(cost.reals[p])) out.total_cost += cost.reals[p];
    for (int st = 0; st <= paths[p].furthest; ++st) ++out.reached[static_cast<size_t>(st)];
  }
  out.leverage = out.public_aid > 0 ? (out.total_cost - out.public_aid) / out.public_aid
                                    : std::numeric_limits<double>::quiet_NaN();

  // The clusters labelling them, each (cluster, project) once.
  const auto& label = s.table("project_label");
  const auto& l_project = label.column("project_id");
  const auto& l_cluster = label.column("cluster_id");
  std::map<int32_t, SectorCluster> by_cluster;
  std::set<std::pair<int32_t, int32_t>> seen;
  for (size_t l = 0; l < label.rows; ++l) {
    const int32_t p = l_project.codes[l], c = l_cluster.codes[l];
    const auto pu = static_cast<size_t>(p);
    if (!in[pu] || !seen.insert({c, p}).second) continue;
    auto& x = by_cluster[c];
    x.cluster = c;
    ++x.projects;
    if (!std::isnan(aid.reals[pu])) x.public_aid += aid.reals[pu];
    x.on_market += paths[pu].furthest >= static_cast<int>(ProjectStatus::kOnMarket);
  }
  for (const auto& [c, x] : by_cluster) out.clusters.push_back(x);
  std::sort(out.clusters.begin(), out.clusters.end(),
            [](const SectorCluster& a, const SectorCluster& b) { return a.projects > b.projects; });

  // Their results.
  const auto& result = s.table("result");
  const auto& r_project = result.column("project_id");
  const auto& r_org = result.column("organisation_id");
  const auto& r_kind = result.column("kind");
  const auto& r_jobs = result.column("jobs");
  const auto& r_revenue = result.column("revenue");
  const auto& orgs = s.table("organisation");
  for (size_t i = 0; i < result.rows; ++i) {
    const auto p = static_cast<size_t>(r_project.codes[i]);
    if (!in[p]) continue;
    if (r_kind.codes[i] >= 0) ++out.results_by_kind[static_cast<size_t>(r_kind.codes[i])];
    const int32_t o = r_org.codes[i];
    const std::string firm = o >= 0 ? std::string(orgs.key(static_cast<size_t>(o)))
                                    : "project:" + std::string(project.key(p));
    const auto pr = static_cast<int32_t>(p);
    const int y = start.present[p] ? Date::from_days(start.ints[p]).year : 0;
    if (!std::isnan(r_jobs.reals[i])) out.result_jobs.push_back({firm, r_jobs.reals[i], pr, o, y});
    if (!std::isnan(r_revenue.reals[i]))
      out.result_revenue.push_back({firm, r_revenue.reals[i], pr, o, y});
  }
  return out;
}

}  // namespace poles::pipeline
