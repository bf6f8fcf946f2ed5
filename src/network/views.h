// What the API and the CLI show of an analysed graph, computed from the snapshot, the graph and
// its metrics: an organisation's row (identity and metrics), a link's row, the ranking of
// organisations by a metric, the profile of the largest communities, and the drawing of the
// strongest organisations (seeded layout). The rows are described for JSON (core/typed_json.h):
// their names are the OpenAPI components' names, hence the Network prefix.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/typed_json.h"
#include "network/graph.h"
#include "network/metrics.h"

namespace poles::network {

// One organisation of the graph with its metrics: the row of every list of organisations.
struct NetworkOrganisation {
  std::string id;
  std::string name;
  std::string kind;
  std::string region;  // INSEE code, "" when unknown
  bool sme = false;
  int32_t projects = 0;  // kept projects it takes part in
  int32_t degree = 0;
  double strength = 0;
  std::optional<double> betweenness;  // null when the metrics left it out
  double pagerank = 0;
  double eigenvector = 0;
  double clustering = 0;
  int32_t community = 0;
};
// The fields of NetworkOrganisation, for the rows that extend it (a broker, a candidate, …).
#define POLES_NETWORK_ORGANISATION_FIELDS                                                      \
  id, name, kind, region, sme, projects, degree, strength, betweenness, pagerank, eigenvector, \
      clustering, community
POLES_JSON(NetworkOrganisation, POLES_NETWORK_ORGANISATION_FIELDS)

// A link of the graph between two organisations (ids).
struct NetworkLink {
  std::string source;
  std::string target;
  double weight = 0;     // Newman weight
  int32_t projects = 0;  // shared projects
};
POLES_JSON(NetworkLink, source, target, weight, projects)

// Rows of the organisations and links of one graph. Columns are resolved once, at construction.
// The snapshot, graph and metrics must outlive it. Thread-compatible (const).
class OrganisationRows {
 public:
  OrganisationRows(const snapshot::Snapshot& s, const CoopGraph& g, const Metrics& m);
  // REQUIRES: 0 <= node < g.nodes().
  NetworkOrganisation organisation(int32_t node) const;
  std::string id(int32_t node) const;
  // REQUIRES: 0 <= edge < g.edges().
  NetworkLink link(int64_t edge) const;

 private:
  OrganisationColumns cols_;
  const CoopGraph& g_;
  const Metrics& m_;
};

// The metrics organisations can be ranked by.
enum class Metric : uint8_t {
  kDegree,
  kStrength,
  kBetweenness,
  kPagerank,
  kEigenvector,
  kClustering
};
inline constexpr std::array<std::string_view, 6> kMetricNames = {
    "degree", "strength", "betweenness", "pagerank", "eigenvector", "clustering"};
// The metric of that name; InvalidArgument naming the choices otherwise.
Result<Metric> parse_metric(std::string_view name);

// Nodes by `metric`, descending, ties by node number (betweenness counts as 0 when left out):
// the `limit` nodes from rank `offset`.
std::vector<int32_t> rank_nodes(const Metrics& m, Metric metric, size_t limit, size_t offset);

// One Leiden community: its size, the region most of its organisations are registered in (their
// region column; "" when none has one) and the names of its five organisations of highest
// PageRank.
struct NetworkCommunity {
  int32_t community = 0;
  size_t organisations = 0;
  std::string main_region;
  double main_region_share = 0;  // of its organisations
  std::vector<std::string> leaders;
};
POLES_JSON(NetworkCommunity, community, organisations, main_region, main_region_share, leaders)

// The `limit` largest communities, largest first (ties by community number).
std::vector<NetworkCommunity> community_profiles(const snapshot::Snapshot& s, const CoopGraph& g,
                                                 const Metrics& m, size_t limit);

struct NetworkDrawingNode {
  std::string id;
  std::string name;
  double x = 0, y = 0;
  double size = 0;  // strength
  int32_t community = 0;
  bool sme = false;
};
POLES_JSON(NetworkDrawingNode, id, name, x, y, size, community, sme)

// A drawn link, written as a compact [source, target, weight] array (thousands per answer).
struct NetworkDrawingEdge {
  std::string source;
  std::string target;
  double weight = 0;
};
tj::Json poles_to_json(const NetworkDrawingEdge& e);
tj::Json poles_json_schema(const NetworkDrawingEdge*, tj::Schemas& s);

struct NetworkDrawing {
  size_t organisations = 0;  // in the graph
  size_t shown = 0;
  uint64_t seed = 0;  // of the layout (the metrics' seed)
  std::vector<NetworkDrawingNode> nodes;
  std::vector<NetworkDrawingEdge> edges;  // the graph's links among the nodes shown
};
POLES_JSON(NetworkDrawing, organisations, shown, seed, nodes, edges)

// The `max_nodes` organisations of highest strength (ties by node), in node order, with
// Fruchterman–Reingold positions seeded with the metrics' seed, and the links among them.
Result<NetworkDrawing> drawing(const snapshot::Snapshot& s, const CoopGraph& g, const Metrics& m,
                               size_t max_nodes);

}  // namespace poles::network
