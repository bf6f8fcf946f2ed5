// What the policy team asks of the cooperation graph: who brokers between clusters, how well
// SMEs are integrated in each cluster's projects, what removing or merging clusters would do to
// connectivity, and an organisation's ego network. Pure functions over a graph and its metrics.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "network/graph.h"
#include "network/metrics.h"

namespace poles::network {

// An organisation whose partners belong to several clusters it is not a member of.
struct Broker {
  int32_t node = -1;
  double betweenness = 0;
  int clusters_reached = 0;  // distinct clusters of partners, other than its own
  double cross_share = 0;    // share of its strength towards partners sharing no cluster with it
};
// Organisations reaching at least two other clusters, by betweenness, at most `limit`.
std::vector<Broker> brokers(const snapshot::Snapshot& s, const CoopGraph& g, const Metrics& m,
                            size_t limit);

// SME integration in one cluster's kept projects (labelled by it).
struct SmeIntegration {
  int32_t cluster = -1;  // cluster row; -1 for all kept projects
  int projects = 0;
  int organisations = 0;             // distinct participants
  double sme_share = 0;              // of distinct participants that are SMEs
  double coordinator_sme_share = 0;  // of coordinator roles held by SMEs
  // Mean PageRank of SME participants over that of the other participants (1 = on a par;
  // 0 when either group is empty).
  double centrality_ratio = 0;
  double mean_degree_sme = 0, mean_degree_other = 0;
};
// One row per cluster (snapshot order) then the overall row (cluster = -1).
std::vector<SmeIntegration> sme_integration(const snapshot::Snapshot& s, const CoopGraph& g,
                                            const Metrics& m);

// Removing clusters drops the kept projects labelled only by them (a co-labelled project
// survives); merging clusters makes their projects one cluster's (who cooperates is unchanged,
// but links between the merged clusters stop being inter-cluster).
struct WhatIf {
  std::vector<std::string> remove;
  std::vector<std::vector<std::string>> merge;  // groups of cluster ids merged into one
};
struct WhatIfSide {
  Connectivity org_graph;
  int projects = 0;
  int clusters = 0;
  int cluster_links =
      0;  // pairs of (merged) clusters with a co-labelled project or a cross partner
  double inter_cluster_share =
      0;  // of kept projects that involve two clusters (labels or partners' memberships)
};
struct WhatIfResult {
  WhatIfSide before, after;
  int projects_lost = 0;
  int organisations_isolated = 0;  // had partners before, none after
  std::vector<std::string> notes;
};
Result<WhatIfResult> what_if(const snapshot::Snapshot& s, const std::vector<int32_t>& project_rows,
                             const WhatIf& w);

// Nodes within `radius` hops of `center` (radius 1 or 2), strongest links first when more than
// `max_nodes`; edges are those of g among the kept nodes.
struct Ego {
  std::vector<int32_t> nodes;  // center first
  std::vector<int32_t> hops;   // per node
  std::vector<int64_t> edges;  // edge indices of g
  bool truncated = false;
};
Ego ego_network(const CoopGraph& g, int32_t center, int radius, size_t max_nodes);

}  // namespace poles::network
