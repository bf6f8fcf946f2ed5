// Cooperation graphs built from a Snapshot: which projects a filter keeps, the organisation ×
// project incidence, the organisation co-participation graph with Newman weights, and the
// cluster × cluster and region × region matrices. Pure functions of the snapshot: no igraph here
// (the metrics live in metrics.h), no store, no threads; results are plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "snapshot/snapshot.h"

namespace poles::network {

// Which projects a graph is made of. Empty lists and zero years mean "no restriction".
struct Filter {
  int from_year = 0;  // project start year (its first label's year when it has no start date)
  int to_year = 0;
  std::vector<std::string> clusters;    // projects labelled by any of these clusters
  std::vector<std::string> programmes;  // project programme codes (FUI, H2020, …)
  // Projects with at least one participant located in this INSEE region; their other
  // participants stay in, so a region sees its organisations' partners elsewhere too.
  std::string region;
};

// Project rows of `s` kept by `f`, ascending. An unknown cluster, programme or region is an error.
Result<std::vector<int32_t>> select_projects(const snapshot::Snapshot& s, const Filter& f);

// Year a project counts in (start date, else its earliest label), 0 when neither is known.
int project_year(const snapshot::Snapshot& s, int32_t project_row);

// Undirected organisation co-participation graph. Nodes are the organisations with at least one
// participation in a kept project; an edge joins two organisations that share a project, weighted
// by Newman's Σ_p 1/(n_p - 1) over their shared projects (n_p = participants of p).
struct CoopGraph {
  std::vector<int32_t> org;             // node -> organisation row
  std::vector<int32_t> node_of;         // organisation row -> node, -1 when absent
  std::vector<int32_t> from, to;        // edge endpoints, from < to, edges sorted by (from, to)
  std::vector<double> weight;           // Newman weight
  std::vector<int32_t> shared;          // number of shared projects
  std::vector<int32_t> projects;        // kept project rows
  std::vector<int32_t> participations;  // per node: kept projects it takes part in
  // Adjacency (CSR): neighbours of node v are adj_node[adj_start[v] .. adj_start[v+1]), ascending,
  // with the edge index of each in adj_edge.
  std::vector<int64_t> adj_start;
  std::vector<int32_t> adj_node, adj_edge;

  size_t nodes() const { return org.size(); }
  size_t edges() const { return from.size(); }
  // Edge index between nodes a and b, -1 when they are not adjacent. O(log degree).
  int64_t edge_between(int32_t a, int32_t b) const;
};

// Builds the co-participation graph of the given project rows. O(Σ n_p²) time.
CoopGraph build_cooperation(const snapshot::Snapshot& s, std::vector<int32_t> project_rows);
inline Result<CoopGraph> build_cooperation(const snapshot::Snapshot& s, const Filter& f) {
  POLES_ASSIGN_OR_RETURN(auto rows, select_projects(s, f));
  return build_cooperation(s, std::move(rows));
}

// Participants of each kept project as nodes of `g` (a bipartite organisation–project incidence).
std::vector<std::vector<int32_t>> project_members(const snapshot::Snapshot& s, const CoopGraph& g);

// The clusters each organisation is (or was) a member of, as cluster rows, ascending; with
// `up_to_year`, only memberships that had started by the end of that year.
std::vector<std::vector<int32_t>> memberships_by_org(const snapshot::Snapshot& s,
                                                     int up_to_year = 0);
// The clusters that label each project, as cluster rows, ascending.
std::vector<std::vector<int32_t>> labels_by_project(const snapshot::Snapshot& s);

// The organisation columns the network reads, resolved once for loops over organisations (and
// the one home of the region and SME rules). The snapshot must outlive it.
class OrganisationColumns {
 public:
  explicit OrganisationColumns(const snapshot::Snapshot& s);
  std::string_view id(int32_t org_row) const;
  std::string_view name(int32_t org_row) const;
  std::string_view kind(int32_t org_row) const;
  // INSEE region code (its region, else its department's), "" when unknown.
  std::string_view region(int32_t org_row) const;
  // A small or medium enterprise: a company of size class TPE or PME.
  bool sme(int32_t org_row) const;

 private:
  const snapshot::Table& orgs_;
  const snapshot::Column& name_;
  const snapshot::Column& kind_;
  const snapshot::Column& region_;
  const snapshot::Column& department_;
  const snapshot::Column& size_class_;
};

// Square matrix over clusters (snapshot cluster rows) or regions, row-major.
struct Matrix {
  std::vector<std::string> labels;  // cluster ids or INSEE region codes
  std::vector<std::string> names;   // display names
  std::vector<double> values;       // labels.size()², symmetric
  double at(size_t i, size_t j) const { return values[i * labels.size() + j]; }
  // The values as one row per label.
  std::vector<std::vector<double>> rows() const {
    const size_t n = labels.size();
    std::vector<std::vector<double>> out(n);
    for (size_t i = 0; i < n; ++i)
      out[i].assign(values.begin() + static_cast<std::ptrdiff_t>(i * n),
                    values.begin() + static_cast<std::ptrdiff_t>((i + 1) * n));
    return out;
  }
};

// Cluster × cluster links over the kept projects.
struct ClusterLinks {
  Matrix co_labelled;     // projects labelled by both clusters (diagonal: labelled by the cluster)
  Matrix shared_members;  // organisations member of both (diagonal: members)
  // Participations of members of cluster j in projects labelled by i and not by j (made
  // symmetric by summing both directions).
  Matrix cross_partners;
  // Per cluster: share of its kept projects that are co-labelled with another cluster or have a
  // partner that is a member of another cluster and not of this one (0 when it has no project).
  std::vector<double> cooperation_index;
  std::vector<int32_t> projects;  // kept projects labelled by each cluster
};
ClusterLinks cluster_links(const snapshot::Snapshot& s, const CoopGraph& g);

// Region × region: projects with participants in both regions (diagonal: projects whose
// participants are all in that one region), over organisations located in France.
struct RegionLinks {
  Matrix projects;
  std::vector<double> interregional_share;  // per region: share of its projects spanning regions
};
RegionLinks region_links(const snapshot::Snapshot& s, const CoopGraph& g);

}  // namespace poles::network
