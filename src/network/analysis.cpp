#include "network/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <set>

namespace poles::network {

using snapshot::Snapshot;

std::vector<Broker> brokers(const Snapshot& s, const CoopGraph& g, const Metrics& m, size_t limit) {
  const auto member_of = memberships_by_org(s);
  std::vector<Broker> out;
  for (size_t v = 0; v < g.nodes(); ++v) {
    const auto& own = member_of[static_cast<size_t>(g.org[v])];
    std::set<int32_t> reached;
    double cross = 0, total = 0;
    for (int64_t i = g.adj_start[v]; i < g.adj_start[v + 1]; ++i) {
      const auto& theirs = member_of[static_cast<size_t>(
          g.org[static_cast<size_t>(g.adj_node[static_cast<size_t>(i)])])];
      const double w = g.weight[static_cast<size_t>(g.adj_edge[static_cast<size_t>(i)])];
      total += w;
      bool shares = false;
      for (int32_t c : theirs) {
        if (std::binary_search(own.begin(), own.end(), c)) {
          shares = true;
        } else {
          reached.insert(c);
        }
      }
      if (!shares) cross += w;
    }
    if (reached.size() < 2) continue;
    out.push_back({static_cast<int32_t>(v), m.betweenness.empty() ? 0.0 : m.betweenness[v],
                   static_cast<int>(reached.size()), total > 0 ? cross / total : 0.0});
  }
  std::sort(out.begin(), out.end(), [](const Broker& a, const Broker& b) {
    if (a.betweenness != b.betweenness) return a.betweenness > b.betweenness;
    if (a.clusters_reached != b.clusters_reached) return a.clusters_reached > b.clusters_reached;
    return a.node < b.node;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<SmeIntegration> sme_integration(const Snapshot& s, const CoopGraph& g,
                                            const Metrics& m) {
  const size_t nc = s.table("cluster").rows;
  const auto labels = labels_by_project(s);
  const auto& parts = s.table("participation");
  const auto& pp = parts.column("project_id");
  const auto& po = parts.column("organisation_id");
  const auto& role = parts.column("role");
  const int32_t coordinator = role.code_of("coordinator");
  std::vector<uint8_t> sme(g.nodes(), 0);
  const OrganisationColumns org_columns(s);
  for (size_t v = 0; v < g.nodes(); ++v) sme[v] = org_columns.sme(g.org[v]) ? 1 : 0;
  std::vector<uint8_t> kept(s.table("project").rows, 0);
  for (int32_t p : g.projects) kept[static_cast<size_t>(p)] = 1;

  // Per cluster (and overall at index nc): participants, coordinators.
  std::vector<std::set<int32_t>> orgs(nc + 1);
  std::vector<int> coords(nc + 1, 0), sme_coords(nc + 1, 0), projects(nc + 1, 0);
  for (int32_t p : g.projects) {
    for (int32_t c : labels[static_cast<size_t>(p)]) ++projects[static_cast<size_t>(c)];
    ++projects[nc];
  }
  for (size_t r = 0; r < parts.rows; ++r) {
    const auto p = static_cast<size_t>(pp.codes[r]);
    if (!kept[p]) continue;
    const int32_t v = g.node_of[static_cast<size_t>(po.codes[r])];
    const bool is_coord = role.codes[r] == coordinator;
    auto add = [&](size_t c) {
      orgs[c].insert(v);
      if (is_coord) {
        ++coords[c];
        sme_coords[c] += sme[static_cast<size_t>(v)];
      }
    };
    for (int32_t c : labels[p]) add(static_cast<size_t>(c));
    add(nc);
  }
  std::vector<SmeIntegration> out;
  for (size_t c = 0; c <= nc; ++c) {
    SmeIntegration x;
    x.cluster = c == nc ? -1 : static_cast<int32_t>(c);
    x.projects = projects[c];
    x.organisations = static_cast<int>(orgs[c].size());
    double pr_sme = 0, pr_other = 0, deg_sme = 0, deg_other = 0;
    int n_sme = 0, n_other = 0;
    for (int32_t v : orgs[c]) {
      const auto i = static_cast<size_t>(v);
      if (sme[i]) {
        ++n_sme;
        pr_sme += m.pagerank[i];
        deg_sme += m.degree[i];
      } else {
        ++n_other;
        pr_other += m.pagerank[i];
        deg_other += m.degree[i];
      }
    }
    if (x.organisations > 0) x.sme_share = static_cast<double>(n_sme) / x.organisations;
    if (coords[c] > 0) x.coordinator_sme_share = static_cast<double>(sme_coords[c]) / coords[c];
    if (n_sme > 0 && n_other > 0 && pr_other > 0)
      x.centrality_ratio = (pr_sme / n_sme) / (pr_other / n_other);
    if (n_sme > 0) x.mean_degree_sme = deg_sme / n_sme;
    if (n_other > 0) x.mean_degree_other = deg_other / n_other;
    out.push_back(x);
  }
  return out;
}

namespace {

// Inter-cluster structure of a set of projects under a cluster mapping (-1 = removed cluster).
WhatIfSide side(const Snapshot& s, const std::vector<int32_t>& rows,
                const std::vector<int32_t>& group, int groups,
                const std::vector<std::vector<int32_t>>& labels,
                const std::vector<std::vector<int32_t>>& member_of) {
  WhatIfSide out;
  const CoopGraph g = build_cooperation(s, rows);
  out.org_graph = connectivity(g);
  out.projects = static_cast<int>(rows.size());
  out.clusters = groups;
  const auto members = project_members(s, g);
  std::set<std::pair<int32_t, int32_t>> links;
  int inter = 0;
  for (size_t k = 0; k < rows.size(); ++k) {
    std::set<int32_t> ls;
    for (int32_t c : labels[static_cast<size_t>(rows[k])]) {
      if (group[static_cast<size_t>(c)] >= 0) ls.insert(group[static_cast<size_t>(c)]);
    }
    std::set<int32_t> involved = ls;
    for (int32_t v : members[k]) {
      for (int32_t c : member_of[static_cast<size_t>(g.org[static_cast<size_t>(v)])]) {
        if (group[static_cast<size_t>(c)] >= 0) involved.insert(group[static_cast<size_t>(c)]);
      }
    }
    // Any two clusters involved in one project (labelling it, or counting a partner among their
    // members) are linked; a project is inter-cluster when more than one is involved.
    if (involved.size() > 1 && !ls.empty()) {
      ++inter;
      for (auto a = involved.begin(); a != involved.end(); ++a) {
        for (auto b = std::next(a); b != involved.end(); ++b) links.insert({*a, *b});
      }
    }
  }
  out.cluster_links = static_cast<int>(links.size());
  out.inter_cluster_share =
      rows.empty() ? 0.0 : static_cast<double>(inter) / static_cast<double>(rows.size());
  return out;
}

}  // namespace

Result<WhatIfResult> what_if(const Snapshot& s, const std::vector<int32_t>& project_rows,
                             const WhatIf& w) {
  const auto& clusters = s.table("cluster");
  const size_t nc = clusters.rows;
  auto find = [&](const std::string& id) -> Result<int32_t> {
    const int32_t c = clusters.find(id);
    if (c < 0) return Status::not_found(fmt::format("no cluster '{}'", id));
    return c;
  };
  std::vector<int32_t> identity(nc);
  std::iota(identity.begin(), identity.end(), 0);
  std::vector<int32_t> group = identity;
  WhatIfResult out;
  for (const auto& id : w.remove) {
    POLES_ASSIGN_OR_RETURN(const int32_t c, find(id));
    group[static_cast<size_t>(c)] = -1;
  }
  for (const auto& ids : w.merge) {
    if (ids.size() < 2) return Status::invalid_argument("a merge needs at least two clusters");
    POLES_ASSIGN_OR_RETURN(const int32_t first, find(ids[0]));
    for (const auto& id : ids) {
      POLES_ASSIGN_OR_RETURN(const int32_t c, find(id));
      if (group[static_cast<size_t>(c)] < 0)
        return Status::invalid_argument(fmt::format("cluster '{}' is both removed and merged", id));
      const int32_t from = group[static_cast<size_t>(c)], into = group[static_cast<size_t>(first)];
      for (auto& gr : group) {
        if (gr == from) gr = into;
      }
    }
    out.notes.push_back(fmt::format("{} merged into one cluster", fmt::join(ids, " + ")));
  }
  // Renumber groups densely.
  std::vector<int32_t> dense(nc, -1);
  int groups = 0;
  for (size_t c = 0; c < nc; ++c) {
    const int32_t gr = group[c];
    if (gr < 0) continue;
    if (dense[static_cast<size_t>(gr)] < 0) dense[static_cast<size_t>(gr)] = groups++;
    group[c] = dense[static_cast<size_t>(gr)];
  }
  const auto labels = labels_by_project(s);
  const auto member_of = memberships_by_org(s);
  out.before = side(s, project_rows, identity, static_cast<int>(nc), labels, member_of);
  std::vector<int32_t> kept;
  for (int32_t p : project_rows) {
    const auto& ls = labels[static_cast<size_t>(p)];
    const bool survives = ls.empty() || std::any_of(ls.begin(), ls.end(), [&](int32_t c) {
                            return group[static_cast<size_t>(c)] >= 0;
                          });
    if (survives) kept.push_back(p);
  }
  out.projects_lost = static_cast<int>(project_rows.size() - kept.size());
  out.after = side(s, kept, group, groups, labels, member_of);
  // Organisations that had partners and have none left.
  const CoopGraph before = build_cooperation(s, project_rows);
  const CoopGraph after = build_cooperation(s, kept);
  for (size_t v = 0; v < before.nodes(); ++v) {
    if (before.adj_start[v + 1] == before.adj_start[v]) continue;
    const int32_t u = after.node_of[static_cast<size_t>(before.org[v])];
    if (u < 0 ||
        after.adj_start[static_cast<size_t>(u) + 1] == after.adj_start[static_cast<size_t>(u)])
      ++out.organisations_isolated;
  }
  if (!w.remove.empty()) {
    out.notes.push_back(fmt::format("{} removed: {} projects labelled only by them are dropped",
                                    fmt::join(w.remove, ", "), out.projects_lost));
  }
  return out;
}

Ego ego_network(const CoopGraph& g, int32_t center, int radius, size_t max_nodes) {
  Ego ego;
  if (center < 0 || static_cast<size_t>(center) >= g.nodes()) return ego;
  radius = std::clamp(radius, 1, 2);
  max_nodes = std::max<size_t>(max_nodes, 1);
  // Candidates with the strongest tie to the ego network so far: first-hop by edge weight, then
  // second-hop by the weight of the link that reaches them.
  std::vector<int32_t> hop(g.nodes(), -1);
  hop[static_cast<size_t>(center)] = 0;
  ego.nodes.push_back(center);
  ego.hops.push_back(0);
  std::vector<std::pair<double, int32_t>> ring;
  for (int64_t i = g.adj_start[static_cast<size_t>(center)];
       i < g.adj_start[static_cast<size_t>(center) + 1]; ++i) {
    ring.emplace_back(g.weight[static_cast<size_t>(g.adj_edge[static_cast<size_t>(i)])],
                      g.adj_node[static_cast<size_t>(i)]);
  }
  for (int h = 1; h <= radius && !ring.empty(); ++h) {
    std::sort(ring.begin(), ring.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<int32_t> added;
    for (const auto& [w, v] : ring) {
      if (hop[static_cast<size_t>(v)] >= 0) continue;
      if (ego.nodes.size() >= max_nodes) {
        ego.truncated = true;
        break;
      }
      hop[static_cast<size_t>(v)] = h;
      ego.nodes.push_back(v);
      ego.hops.push_back(h);
      added.push_back(v);
    }
    ring.clear();
    if (h == radius || ego.truncated) break;
    for (int32_t u : added) {
      for (int64_t i = g.adj_start[static_cast<size_t>(u)];
           i < g.adj_start[static_cast<size_t>(u) + 1]; ++i) {
        const int32_t v = g.adj_node[static_cast<size_t>(i)];
        if (hop[static_cast<size_t>(v)] < 0)
          ring.emplace_back(g.weight[static_cast<size_t>(g.adj_edge[static_cast<size_t>(i)])], v);
      }
    }
  }
  for (int32_t u : ego.nodes) {
    for (int64_t i = g.adj_start[static_cast<size_t>(u)];
         i < g.adj_start[static_cast<size_t>(u) + 1]; ++i) {
      const int32_t v = g.adj_node[static_cast<size_t>(i)];
      if (v > u && hop[static_cast<size_t>(v)] >= 0)
        ego.edges.push_back(g.adj_edge[static_cast<size_t>(i)]);
    }
  }
  std::sort(ego.edges.begin(), ego.edges.end());
  return ego;
}

}  // namespace poles::network
