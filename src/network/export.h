// The cooperation graph as files other tools read: GraphML and GEXF (Gephi, python-igraph,
// networkx, yEd) with node attributes, and a CSV edge list.
#pragma once

#include <ostream>
#include <string_view>

#include "core/status.h"
#include "network/graph.h"
#include "network/metrics.h"

namespace poles::network {

enum class GraphFormat { kGraphml, kGexf, kCsv };
Result<GraphFormat> parse_graph_format(std::string_view name);

// Nodes carry id, label (name), kind, region, sme, degree, strength and, when `m` is given,
// pagerank, betweenness and community. Edges carry weight (Newman) and projects (shared).
// The CSV is one edge per line: source,target,weight,projects (organisation ids).
void write_graph(std::ostream& out, GraphFormat format, const snapshot::Snapshot& s,
                 const CoopGraph& g, const Metrics* m);

}  // namespace poles::network
