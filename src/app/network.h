// The cooperation network as the CLI and the API serve it: filters parsed from parameters, the
// graph and its metrics computed once per (data version, filter) and cached, and JSON views of
// every analysis (summary, organisations, matrices, SME integration, brokers, what-if, ego
// network, recommendations, hold-out evaluation, drawing). Thread-safe.
#pragma once

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "app/params.h"
#include "core/status.h"
#include "network/analysis.h"
#include "network/graph.h"
#include "network/metrics.h"
#include "network/recommend.h"
#include "snapshot/snapshot.h"

namespace poles::app {

using Json = nlohmann::ordered_json;

// Filter from parameters: from=, to= (years), cluster= and programme= (comma-separated),
// region= (INSEE code). Unknown values are reported by the engine when the graph is built.
Result<network::Filter> parse_network_filter(const std::map<std::string, std::string>& params);

struct NetworkAnalysis {
  snapshot::SnapshotPtr snapshot;
  network::Filter filter;
  network::CoopGraph graph;
  network::Metrics metrics;
  std::unique_ptr<network::Recommender> recommender;
  double build_seconds = 0, metrics_seconds = 0;
};
using NetworkAnalysisPtr = std::shared_ptr<const NetworkAnalysis>;

// Computes the analysis of a snapshot for a filter (seeded); no caching.
Result<NetworkAnalysisPtr> analyse_network(snapshot::SnapshotPtr snap, const network::Filter& f,
                                           uint64_t seed = 1);

// Analyses per (snapshot version, filter, seed); entries of older versions are dropped.
class NetworkCache {
 public:
  Result<NetworkAnalysisPtr> get(const snapshot::SnapshotPtr& snap, const network::Filter& f,
                                 uint64_t seed = 1);

 private:
  std::mutex mu_;
  uint64_t version_ = 0;
  std::map<std::string, std::shared_future<Result<NetworkAnalysisPtr>>> entries_;
};

Json network_summary(const NetworkAnalysis& a);
// Organisations with their metrics, sorted by `sort` (degree, strength, betweenness, pagerank,
// eigenvector, clustering), descending; `limit` rows from `offset`.
Result<Json> network_organisations(const NetworkAnalysis& a, const std::string& sort, size_t limit,
                                   size_t offset);
Json network_clusters(const NetworkAnalysis& a);
Json network_regions(const NetworkAnalysis& a);
Json network_sme(const NetworkAnalysis& a);
Json network_brokers(const NetworkAnalysis& a, size_t limit);
Json network_communities(const NetworkAnalysis& a, size_t limit);
Result<Json> network_what_if(const NetworkAnalysis& a, const network::WhatIf& w);
Result<Json> network_ego(const NetworkAnalysis& a, const std::string& organisation_id, int radius,
                         size_t max_nodes);
Result<Json> network_recommend(const NetworkAnalysis& a, const std::string& organisation_id,
                               size_t k);
Result<Json> network_recommend_idea(const NetworkAnalysis& a,
                                    const network::Recommender::Idea& idea, size_t k);
// The `max_nodes` strongest organisations with positions (seeded layout) and their links.
Result<Json> network_drawing(const NetworkAnalysis& a, size_t max_nodes);
Json holdout_json(const network::HoldoutResult& r);

// The parameters of the network views: the graph's filter and seed, then each view's own.
const ParamSpecs& network_filter_params();
// network_filter_params() followed by `extra`.
ParamSpecs network_params(const ParamSpecs& extra);

}  // namespace poles::app
