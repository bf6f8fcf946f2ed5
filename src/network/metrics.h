// Centralities, communities and connectivity of a cooperation graph, computed with igraph.
// igraph is not re-entrant in our use (one default random generator, one error handler): every
// call into it here holds one process-wide lock, so these functions are thread-safe but serial.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "network/graph.h"

namespace poles::network {

struct MetricsOptions {
  uint64_t seed = 1;        // igraph's random generator (Leiden, betweenness sources)
  double resolution = 1.0;  // modularity resolution of the Leiden communities
  // Betweenness is exact up to this many nodes; above, it is estimated from `sample_sources`
  // random sources (Brandes–Pich) and each node's standard error is reported.
  size_t exact_betweenness_max_nodes = 20000;
  int sample_sources = 2000;
  bool betweenness = true;
  bool communities = true;
};

struct Metrics {
  std::vector<int32_t> degree;         // distinct partners
  std::vector<double> strength;        // sum of Newman weights
  std::vector<double> betweenness;     // unweighted shortest paths, undirected, unnormalised
  std::vector<double> betweenness_se;  // standard error of the estimate (0 when exact)
  bool betweenness_exact = true;
  int betweenness_sources = 0;  // sources sampled (all nodes when exact)
  // Median relative standard error over the 100 most central nodes (0 when exact).
  double betweenness_relative_error = 0;
  std::vector<double> pagerank;     // weighted, damping 0.85 (PRPACK)
  std::vector<double> eigenvector;  // weighted, scaled to a maximum of 1
  std::vector<double> clustering;   // local transitivity, 0 for degree < 2
  std::vector<int32_t> community;   // Leiden (modularity objective), numbered from 0
  int communities = 0;
  double modularity = 0;
  uint64_t seed = 0;
};

// REQUIRES: g built by build_cooperation. Errors from igraph come back as Status::internal.
Result<Metrics> compute_metrics(const CoopGraph& g, const MetricsOptions& options = {});

// Exact betweenness of every node (unweighted), or its estimate from `sources` sampled sources
// (seeded) with standard errors from 25 independent batches. Brandes' algorithm on the CSR
// adjacency, sources spread over every core (the result does not depend on their number); equal
// to igraph's, several times faster. Used by compute_metrics and tests.
Result<std::pair<std::vector<double>, std::vector<double>>> betweenness(const CoopGraph& g,
                                                                        int sources, uint64_t seed);

// Betweenness counting only shortest paths of at most `cutoff` links (range-limited; exact for
// what it counts). A cheap local brokerage measure on very large graphs. cutoff 2 is counted
// directly from common neighbours (O(Σ degree²)); other cutoffs use igraph.
Result<std::vector<double>> betweenness_within(const CoopGraph& g, int cutoff);

struct Connectivity {
  size_t nodes = 0, edges = 0;
  size_t components = 0;   // connected components (isolated nodes count)
  size_t giant = 0;        // nodes of the largest component
  double giant_share = 0;  // giant / nodes
  double mean_degree = 0;
  double density = 0;
};
// Component structure by union-find, O(edges · α).
Connectivity connectivity(const CoopGraph& g);
// Component of each node (numbered by first node), for callers that need the partition.
std::vector<int32_t> components(const CoopGraph& g);

// Force-directed positions (Fruchterman–Reingold, seeded) of the subgraph induced by `nodes`,
// for drawing; returns x, y per listed node.
Result<std::vector<std::pair<double, double>>> layout(const CoopGraph& g,
                                                      const std::vector<int32_t>& nodes,
                                                      uint64_t seed);

}  // namespace poles::network
