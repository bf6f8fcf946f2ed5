#include "app/network.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <numeric>

#include "core/codes.h"

namespace poles::app {
namespace {

using network::CoopGraph;

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string filter_key(const network::Filter& f, uint64_t seed) {
  return fmt::format("{}|{}|{}|{}|{}|{}", f.from_year, f.to_year, fmt::join(f.clusters, ","),
                     fmt::join(f.programmes, ","), f.region, seed);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

Json org_json(const NetworkAnalysis& a, int32_t v) {
  const auto& s = *a.snapshot;
  const auto& orgs = s.table("organisation");
  const auto r = static_cast<size_t>(a.graph.org[static_cast<size_t>(v)]);
  const auto& m = a.metrics;
  const auto i = static_cast<size_t>(v);
  return Json{{"id", std::string(orgs.key(r))},
              {"name", std::string(orgs.column("name").text(r))},
              {"kind", std::string(orgs.column("kind").text(r))},
              {"region", std::string(network::organisation_region(s, a.graph.org[i]))},
              {"sme", network::is_sme(s, a.graph.org[i])},
              {"projects", a.graph.participations[i]},
              {"degree", m.degree[i]},
              {"strength", m.strength[i]},
              {"betweenness", m.betweenness.empty() ? Json(nullptr) : Json(m.betweenness[i])},
              {"pagerank", m.pagerank[i]},
              {"eigenvector", m.eigenvector[i]},
              {"clustering", m.clustering[i]},
              {"community", m.community[i]}};
}

Json matrix_json(const network::Matrix& m) {
  Json values = Json::array();
  const size_t n = m.labels.size();
  for (size_t i = 0; i < n; ++i) {
    Json row = Json::array();
    for (size_t j = 0; j < n; ++j) row.push_back(m.at(i, j));
    values.push_back(row);
  }
  return Json{{"labels", m.labels}, {"names", m.names}, {"values", values}};
}

Result<int32_t> node_of(const NetworkAnalysis& a, const std::string& organisation_id) {
  const int32_t r = a.snapshot->table("organisation").find(organisation_id);
  if (r < 0) return Status::not_found(fmt::format("no organisation '{}'", organisation_id));
  const int32_t v = a.graph.node_of[static_cast<size_t>(r)];
  if (v < 0)
    return Status::not_found(fmt::format(
        "organisation '{}' takes part in no project of this selection", organisation_id));
  return v;
}

Json candidates_json(const NetworkAnalysis& a, const std::vector<network::Candidate>& cs) {
  Json arr = Json::array();
  for (const auto& c : cs) {
    Json reasons = Json::array();
    for (const auto& r : c.reasons)
      reasons.push_back(Json{{"code", r.code}, {"value", r.value}, {"detail", r.detail}});
    Json o = org_json(a, c.node);
    o["score"] = c.score;
    o["reasons"] = reasons;
    arr.push_back(o);
  }
  return arr;
}

Json connectivity_json(const network::Connectivity& c) {
  return Json{{"organisations", c.nodes},     {"links", c.edges},
              {"components", c.components},   {"giant_component", c.giant},
              {"giant_share", c.giant_share}, {"mean_degree", c.mean_degree},
              {"density", c.density}};
}

}  // namespace

Result<network::Filter> parse_network_filter(const std::map<std::string, std::string>& params) {
  network::Filter f;
  auto year = [&](const char* name, int& out) -> Status {
    const auto it = params.find(name);
    if (it == params.end() || it->second.empty()) return Status::ok();
    try {
      size_t used = 0;
      out = std::stoi(it->second, &used);
      if (used != it->second.size() || out < 1900 || out > 2100)
        throw std::invalid_argument("range");
    } catch (const std::exception&) {
      return Status::invalid_argument(fmt::format("{} must be a year, not '{}'", name, it->second));
    }
    return Status::ok();
  };
  POLES_RETURN_IF_ERROR(year("from", f.from_year));
  POLES_RETURN_IF_ERROR(year("to", f.to_year));
  if (auto it = params.find("cluster"); it != params.end()) f.clusters = split_list(it->second);
  if (auto it = params.find("programme"); it != params.end()) f.programmes = split_list(it->second);
  if (auto it = params.find("region"); it != params.end()) f.region = it->second;
  return f;
}

Result<NetworkAnalysisPtr> analyse_network(snapshot::SnapshotPtr snap, const network::Filter& f,
                                           uint64_t seed) {
  auto a = std::make_shared<NetworkAnalysis>();
  a->snapshot = std::move(snap);
  a->filter = f;
  auto t0 = std::chrono::steady_clock::now();
  POLES_ASSIGN_OR_RETURN(a->graph, network::build_cooperation(*a->snapshot, f));
  a->build_seconds = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  network::MetricsOptions mo;
  mo.seed = seed;
  POLES_ASSIGN_OR_RETURN(a->metrics, network::compute_metrics(a->graph, mo));
  a->metrics_seconds = seconds_since(t0);
  a->recommender = std::make_unique<network::Recommender>(*a->snapshot, a->graph);
  return NetworkAnalysisPtr(std::move(a));
}

Result<NetworkAnalysisPtr> NetworkCache::get(const snapshot::SnapshotPtr& snap,
                                             const network::Filter& f, uint64_t seed) {
  std::shared_future<Result<NetworkAnalysisPtr>> pending;
  std::promise<Result<NetworkAnalysisPtr>> promise;
  bool compute = false;
  {
    std::lock_guard lock(mu_);
    if (snap->version != version_) {
      entries_.clear();
      version_ = snap->version;
    }
    const std::string key = filter_key(f, seed);
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      if (entries_.size() >= 32) entries_.clear();
      pending = promise.get_future().share();
      entries_.emplace(key, pending);
      compute = true;
    } else {
      pending = it->second;
    }
  }
  // One computation per key: concurrent callers of the same key wait for it.
  if (compute) {
    auto result = analyse_network(snap, f, seed);
    if (!result.has_value()) {
      std::lock_guard lock(mu_);
      entries_.erase(filter_key(f, seed));
    }
    promise.set_value(std::move(result));
  }
  return pending.get();
}

Json network_summary(const NetworkAnalysis& a) {
  const auto& m = a.metrics;
  const auto c = network::connectivity(a.graph);
  Json top = Json::object();
  for (const char* key : {"pagerank", "betweenness", "degree"}) {
    auto page = network_organisations(a, key, 10, 0);
    top[key] = page.has_value() ? (*page)["items"] : Json::array();
  }
  return Json{{"filter", Json{{"from", a.filter.from_year},
                              {"to", a.filter.to_year},
                              {"clusters", a.filter.clusters},
                              {"programmes", a.filter.programmes},
                              {"region", a.filter.region}}},
              {"projects", a.graph.projects.size()},
              {"connectivity", connectivity_json(c)},
              {"communities", Json{{"count", m.communities},
                                   {"modularity", m.modularity},
                                   {"method", "Leiden (modularity)"},
                                   {"seed", m.seed}}},
              {"betweenness", Json{{"exact", m.betweenness_exact},
                                   {"sources", m.betweenness_sources},
                                   {"median_relative_error_top100", m.betweenness_relative_error}}},
              {"timing_seconds", Json{{"graph", a.build_seconds}, {"metrics", a.metrics_seconds}}},
              {"top", top}};
}

Result<Json> network_organisations(const NetworkAnalysis& a, const std::string& sort, size_t limit,
                                   size_t offset) {
  const auto& m = a.metrics;
  const size_t n = a.graph.nodes();
  std::function<double(size_t)> key;
  if (sort == "degree") {
    key = [&](size_t v) { return static_cast<double>(m.degree[v]); };
  } else if (sort == "strength") {
    key = [&](size_t v) { return m.strength[v]; };
  } else if (sort == "betweenness") {
    key = [&](size_t v) { return m.betweenness.empty() ? 0.0 : m.betweenness[v]; };
  } else if (sort == "pagerank") {
    key = [&](size_t v) { return m.pagerank[v]; };
  } else if (sort == "eigenvector") {
    key = [&](size_t v) { return m.eigenvector[v]; };
  } else if (sort == "clustering") {
    key = [&](size_t v) { return m.clustering[v]; };
  } else {
    return Status::invalid_argument(
        fmt::format("cannot sort by '{}': use degree, strength, betweenness, pagerank, eigenvector "
                    "or clustering",
                    sort));
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  const size_t end = std::min(n, offset + limit);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(end), order.end(),
                    [&](size_t x, size_t y) {
                      const double kx = key(x), ky = key(y);
                      return kx != ky ? kx > ky : x < y;
                    });
  Json items = Json::array();
  for (size_t i = offset; i < end; ++i)
    items.push_back(org_json(a, static_cast<int32_t>(order[i])));
  return Json{{"total", n}, {"sort", sort}, {"items", items}};
}

Json network_clusters(const NetworkAnalysis& a) {
  const auto links = network::cluster_links(*a.snapshot, a.graph);
  Json per = Json::array();
  for (size_t c = 0; c < links.projects.size(); ++c) {
    per.push_back(Json{{"cluster", links.co_labelled.labels[c]},
                       {"name", links.co_labelled.names[c]},
                       {"projects", links.projects[c]},
                       {"cooperation_index", links.cooperation_index[c]}});
  }
  return Json{{"clusters", per},
              {"co_labelled", matrix_json(links.co_labelled)},
              {"shared_members", matrix_json(links.shared_members)},
              {"cross_partners", matrix_json(links.cross_partners)}};
}

Json network_regions(const NetworkAnalysis& a) {
  const auto links = network::region_links(*a.snapshot, a.graph);
  Json per = Json::array();
  for (size_t r = 0; r < links.projects.labels.size(); ++r) {
    per.push_back(Json{{"region", links.projects.labels[r]},
                       {"name", links.projects.names[r]},
                       {"interregional_share", links.interregional_share[r]}});
  }
  return Json{{"regions", per}, {"projects", matrix_json(links.projects)}};
}

Json network_sme(const NetworkAnalysis& a) {
  const auto& clusters = a.snapshot->table("cluster");
  Json arr = Json::array();
  for (const auto& x : network::sme_integration(*a.snapshot, a.graph, a.metrics)) {
    arr.push_back(
        Json{{"cluster", x.cluster < 0
                             ? Json(nullptr)
                             : Json(std::string(clusters.key(static_cast<size_t>(x.cluster))))},
             {"projects", x.projects},
             {"organisations", x.organisations},
             {"sme_share", x.sme_share},
             {"coordinator_sme_share", x.coordinator_sme_share},
             {"centrality_ratio", x.centrality_ratio},
             {"mean_degree_sme", x.mean_degree_sme},
             {"mean_degree_other", x.mean_degree_other}});
  }
  return Json{{"items", arr}};
}

Json network_brokers(const NetworkAnalysis& a, size_t limit) {
  Json arr = Json::array();
  for (const auto& b : network::brokers(*a.snapshot, a.graph, a.metrics, limit)) {
    Json o = org_json(a, b.node);
    o["clusters_reached"] = b.clusters_reached;
    o["cross_share"] = b.cross_share;
    arr.push_back(o);
  }
  return Json{{"items", arr}};
}

Json network_communities(const NetworkAnalysis& a, size_t limit) {
  const auto& m = a.metrics;
  std::vector<std::vector<int32_t>> members(static_cast<size_t>(std::max(m.communities, 0)));
  for (size_t v = 0; v < a.graph.nodes(); ++v)
    members[static_cast<size_t>(m.community[v])].push_back(static_cast<int32_t>(v));
  std::vector<size_t> order(members.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return members[x].size() != members[y].size() ? members[x].size() > members[y].size() : x < y;
  });
  const auto& orgs = a.snapshot->table("organisation");
  const auto& region = orgs.column("region");
  Json arr = Json::array();
  for (size_t i = 0; i < std::min(limit, order.size()); ++i) {
    auto& ms = members[order[i]];
    std::sort(ms.begin(), ms.end(), [&](int32_t x, int32_t y) {
      return m.pagerank[static_cast<size_t>(x)] > m.pagerank[static_cast<size_t>(y)];
    });
    std::map<std::string, int> regions;
    for (int32_t v : ms) {
      const auto r = static_cast<size_t>(a.graph.org[static_cast<size_t>(v)]);
      if (!region.is_null(r)) ++regions[std::string(region.text(r))];
    }
    std::string main_region;
    int best = 0;
    for (const auto& [code, count] : regions) {
      if (count > best) best = count, main_region = code;
    }
    Json leaders = Json::array();
    for (size_t k = 0; k < std::min<size_t>(5, ms.size()); ++k)
      leaders.push_back(org_json(a, ms[k])["name"]);
    arr.push_back(
        Json{{"community", order[i]},
             {"organisations", ms.size()},
             {"main_region", main_region},
             {"main_region_share",
              ms.empty() ? 0.0 : static_cast<double>(best) / static_cast<double>(ms.size())},
             {"leaders", leaders}});
  }
  return Json{
      {"count", m.communities}, {"modularity", m.modularity}, {"seed", m.seed}, {"items", arr}};
}

Result<Json> network_what_if(const NetworkAnalysis& a, const network::WhatIf& w) {
  POLES_ASSIGN_OR_RETURN(auto r, network::what_if(*a.snapshot, a.graph.projects, w));
  auto side = [](const network::WhatIfSide& x) {
    return Json{{"organisation_graph", connectivity_json(x.org_graph)},
                {"projects", x.projects},
                {"clusters", x.clusters},
                {"cluster_links", x.cluster_links},
                {"inter_cluster_share", x.inter_cluster_share}};
  };
  return Json{{"remove", w.remove},
              {"merge", w.merge},
              {"before", side(r.before)},
              {"after", side(r.after)},
              {"projects_lost", r.projects_lost},
              {"organisations_isolated", r.organisations_isolated},
              {"notes", r.notes}};
}

Result<Json> network_ego(const NetworkAnalysis& a, const std::string& organisation_id, int radius,
                         size_t max_nodes) {
  POLES_ASSIGN_OR_RETURN(const int32_t v, node_of(a, organisation_id));
  const auto ego = network::ego_network(a.graph, v, radius, max_nodes);
  Json nodes = Json::array();
  for (size_t i = 0; i < ego.nodes.size(); ++i) {
    Json o = org_json(a, ego.nodes[i]);
    o["hops"] = ego.hops[i];
    nodes.push_back(o);
  }
  const auto& orgs = a.snapshot->table("organisation");
  Json edges = Json::array();
  for (int64_t e : ego.edges) {
    const auto i = static_cast<size_t>(e);
    edges.push_back(Json{{"source", std::string(orgs.key(static_cast<size_t>(
                                        a.graph.org[static_cast<size_t>(a.graph.from[i])])))},
                         {"target", std::string(orgs.key(static_cast<size_t>(
                                        a.graph.org[static_cast<size_t>(a.graph.to[i])])))},
                         {"weight", a.graph.weight[i]},
                         {"projects", a.graph.shared[i]}});
  }
  return Json{{"center", organisation_id},
              {"radius", radius},
              {"truncated", ego.truncated},
              {"nodes", nodes},
              {"edges", edges}};
}

Result<Json> network_recommend(const NetworkAnalysis& a, const std::string& organisation_id,
                               size_t k) {
  POLES_ASSIGN_OR_RETURN(const int32_t v, node_of(a, organisation_id));
  return Json{{"organisation", org_json(a, v)},
              {"candidates", candidates_json(a, a.recommender->for_organisation(v, k))}};
}

Result<Json> network_recommend_idea(const NetworkAnalysis& a,
                                    const network::Recommender::Idea& idea, size_t k) {
  POLES_ASSIGN_OR_RETURN(auto cs, a.recommender->for_idea(idea, k));
  return Json{
      {"idea", Json{{"sector", idea.sector}, {"themes", idea.themes}, {"region", idea.region}}},
      {"candidates", candidates_json(a, cs)}};
}

Result<Json> network_drawing(const NetworkAnalysis& a, size_t max_nodes) {
  const auto& m = a.metrics;
  std::vector<int32_t> nodes(a.graph.nodes());
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
  POLES_ASSIGN_OR_RETURN(auto pos, network::layout(a.graph, nodes, m.seed));
  const auto& orgs = a.snapshot->table("organisation");
  Json jn = Json::array();
  for (size_t i = 0; i < n; ++i) {
    const auto v = static_cast<size_t>(nodes[i]);
    const auto r = static_cast<size_t>(a.graph.org[v]);
    jn.push_back(Json{{"id", std::string(orgs.key(r))},
                      {"name", std::string(orgs.column("name").text(r))},
                      {"x", pos[i].first},
                      {"y", pos[i].second},
                      {"size", m.strength[v]},
                      {"community", m.community[v]},
                      {"sme", network::is_sme(*a.snapshot, a.graph.org[v])}});
  }
  std::vector<uint8_t> in(a.graph.nodes(), 0);
  for (int32_t v : nodes) in[static_cast<size_t>(v)] = 1;
  Json je = Json::array();
  for (size_t e = 0; e < a.graph.edges(); ++e) {
    if (!in[static_cast<size_t>(a.graph.from[e])] || !in[static_cast<size_t>(a.graph.to[e])])
      continue;
    je.push_back(Json::array({std::string(orgs.key(static_cast<size_t>(
                                  a.graph.org[static_cast<size_t>(a.graph.from[e])]))),
                              std::string(orgs.key(static_cast<size_t>(
                                  a.graph.org[static_cast<size_t>(a.graph.to[e])]))),
                              a.graph.weight[e]}));
  }
  return Json{{"organisations", a.graph.nodes()},
              {"shown", n},
              {"seed", m.seed},
              {"nodes", jn},
              {"edges", je}};
}

Json holdout_json(const network::HoldoutResult& r) {
  Json methods = Json::array();
  for (const auto& m : r.methods)
    methods.push_back(
        Json{{"method", m.method}, {"precision_at_k", m.precision_at_k}, {"auc", m.auc}});
  return Json{{"train_to", r.train_to},
              {"test_from", r.test_from},
              {"test_to", r.test_to},
              {"train_organisations", r.train_nodes},
              {"train_links", r.train_edges},
              {"new_partnerships", r.new_pairs},
              {"evaluated_organisations", r.evaluated_nodes},
              {"k", r.k},
              {"seed", r.seed},
              {"methods", methods}};
}

const ParamSpecs& network_filter_params() {
  static const ParamSpecs k = {
      year_param("from", "First year of the projects (by start date)"),
      year_param("to", "Last year of the projects (by start date)"),
      list_param("cluster", "Only projects labelled by these clusters (ids)"),
      list_param("programme", "Only projects of these programmes (codes)"),
      text_param("region", "Only organisations of this region (INSEE code)"),
      integer_param("seed", "Seed of the community detection and sampled betweenness", 0,
                    2147483647, "1")};
  return k;
}

ParamSpecs network_params(const ParamSpecs& extra) {
  ParamSpecs out = network_filter_params();
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

}  // namespace poles::app
