#include "network/views.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>

namespace poles::network {

using snapshot::Snapshot;

OrganisationRows::OrganisationRows(const Snapshot& s, const CoopGraph& g, const Metrics& m)
    : cols_(s), g_(g), m_(m) {}

NetworkOrganisation OrganisationRows::organisation(int32_t node) const {
  const auto i = static_cast<size_t>(node);
  const int32_t r = g_.org[i];
  NetworkOrganisation o;
  o.id = std::string(cols_.id(r));
  o.name = std::string(cols_.name(r));
  o.kind = std::string(cols_.kind(r));
  o.region = std::string(cols_.region(r));
  o.sme = cols_.sme(r);
  o.projects = g_.participations[i];
  o.degree = m_.degree[i];
  o.strength = m_.strength[i];
  if (!m_.betweenness.empty()) o.betweenness = m_.betweenness[i];
  o.pagerank = m_.pagerank[i];
  o.eigenvector = m_.eigenvector[i];
  o.clustering = m_.clustering[i];
  o.community = m_.community[i];
  return o;
}

std::string OrganisationRows::id(int32_t node) const {
  return std::string(cols_.id(g_.org[static_cast<size_t>(node)]));
}

NetworkLink OrganisationRows::link(int64_t edge) const {
  const auto e = static_cast<size_t>(edge);
  return NetworkLink{id(g_.from[e]), id(g_.to[e]), g_.weight[e], g_.shared[e]};
}

Result<Metric> parse_metric(std::string_view name) {
  for (size_t i = 0; i < kMetricNames.size(); ++i) {
    if (kMetricNames[i] == name) return static_cast<Metric>(i);
  }
  return Status::invalid_argument(
      fmt::format("cannot sort by '{}': use degree, strength, betweenness, pagerank, eigenvector "
                  "or clustering",
                  name));
}

std::vector<int32_t> rank_nodes(const Metrics& m, Metric metric, size_t limit, size_t offset) {
  const size_t n = m.degree.size();
  std::vector<double> key(n, 0.0);
  for (size_t v = 0; v < n; ++v) {
    switch (metric) {
      case Metric::kDegree:
        key[v] = static_cast<double>(m.degree[v]);
        break;
      case Metric::kStrength:
        key[v] = m.strength[v];
        break;
      case Metric::kBetweenness:
        key[v] = m.betweenness.empty() ? 0.0 : m.betweenness[v];
        break;
      case Metric::kPagerank:
        key[v] = m.pagerank[v];
        break;
      case Metric::kEigenvector:
        key[v] = m.eigenvector[v];
        break;
      case Metric::kClustering:
        key[v] = m.clustering[v];
        break;
    }
  }
  std::vector<int32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  const size_t end = std::min(n, offset + limit);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(end), order.end(),
                    [&](int32_t x, int32_t y) {
                      const double kx = key[static_cast<size_t>(x)];
                      const double ky = key[static_cast<size_t>(y)];
                      return kx != ky ? kx > ky : x < y;
                    });
  if (offset >= end) return {};
  return {order.begin() + static_cast<std::ptrdiff_t>(offset),
          order.begin() + static_cast<std::ptrdiff_t>(end)};
}

std::vector<NetworkCommunity> community_profiles(const Snapshot& s, const CoopGraph& g,
                                                 const Metrics& m, size_t limit) {
  std::vector<std::vector<int32_t>> members(static_cast<size_t>(std::max(m.communities, 0)));
  for (size_t v = 0; v < g.nodes(); ++v)
    members[static_cast<size_t>(m.community[v])].push_back(static_cast<int32_t>(v));
  std::vector<size_t> order(members.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return members[x].size() != members[y].size() ? members[x].size() > members[y].size() : x < y;
  });
  const OrganisationColumns cols(s);
  const auto& region = s.table("organisation").column("region");
  std::vector<NetworkCommunity> out;
  for (size_t i = 0; i < std::min(limit, order.size()); ++i) {
    auto& ms = members[order[i]];
    std::sort(ms.begin(), ms.end(), [&](int32_t x, int32_t y) {
      return m.pagerank[static_cast<size_t>(x)] > m.pagerank[static_cast<size_t>(y)];
    });
    std::map<std::string_view, int> regions;
    for (int32_t v : ms) {
      const auto r = static_cast<size_t>(g.org[static_cast<size_t>(v)]);
      if (!region.is_null(r)) ++regions[region.text(r)];
    }
    NetworkCommunity c;
    c.community = static_cast<int32_t>(order[i]);
    c.organisations = ms.size();
    int best = 0;
    for (const auto& [code, count] : regions) {
      if (count > best) best = count, c.main_region = std::string(code);
    }
    c.main_region_share =
        ms.empty() ? 0.0 : static_cast<double>(best) / static_cast<double>(ms.size());
    for (size_t k = 0; k < std::min<size_t>(5, ms.size()); ++k)
      c.leaders.emplace_back(cols.name(g.org[static_cast<size_t>(ms[k])]));
    out.push_back(std::move(c));
  }
  return out;
}

tj::Json poles_to_json(const NetworkDrawingEdge& e) {
  tj::Json out = tj::Json::array({e.source, e.target});
  tj::write(out.emplace_back(), e.weight);
  return out;
}

tj::Json poles_json_schema(const NetworkDrawingEdge*, tj::Schemas&) {
  return tj::Json{
      {"type", "array"},
      {"description", "source, target, weight"},
      {"prefixItems", tj::Json::array({tj::Json{{"type", "string"}}, tj::Json{{"type", "string"}},
                                       tj::Json{{"type", "number"}}})},
      {"items", false},
      {"minItems", 3}};
}

Result<NetworkDrawing> drawing(const Snapshot& s, const CoopGraph& g, const Metrics& m,
                               size_t max_nodes) {
  std::vector<int32_t> nodes(g.nodes());
  std::iota(nodes.begin(), nodes.end(), 0);
  const size_t n = std::min(max_nodes, nodes.size());
  std::partial_sort(nodes.begin(), nodes.begin() + static_cast<std::ptrdiff_t>(n), nodes.end(),
                    [&](int32_t x, int32_t y) {
                      const auto ix = static_cast<size_t>(x), iy = static_cast<size_t>(y);
                      return m.strength[ix] != m.strength[iy] ? m.strength[ix] > m.strength[iy]
                                                              : x < y;
                    });
  nodes.resize(n);
  std::sort(nodes.begin(), nodes.end());
  POLES_ASSIGN_OR_RETURN(auto pos, layout(g, nodes, m.seed));
  const OrganisationColumns cols(s);
  NetworkDrawing out;
  out.organisations = g.nodes();
  out.shown = n;
  out.seed = m.seed;
  for (size_t i = 0; i < n; ++i) {
    const auto v = static_cast<size_t>(nodes[i]);
    const int32_t r = g.org[v];
    out.nodes.push_back(NetworkDrawingNode{std::string(cols.id(r)), std::string(cols.name(r)),
                                           pos[i].first, pos[i].second, m.strength[v],
                                           m.community[v], cols.sme(r)});
  }
  std::vector<uint8_t> in(g.nodes(), 0);
  for (int32_t v : nodes) in[static_cast<size_t>(v)] = 1;
  for (size_t e = 0; e < g.edges(); ++e) {
    const auto a = static_cast<size_t>(g.from[e]), b = static_cast<size_t>(g.to[e]);
    if (!in[a] || !in[b]) continue;
    out.edges.push_back(NetworkDrawingEdge{std::string(cols.id(g.org[a])),
                                           std::string(cols.id(g.org[b])), g.weight[e]});
  }
  return out;
}

}  // namespace poles::network
