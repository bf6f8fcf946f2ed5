// The cooperation network at `national` scale, for bench/network.sh: loads the network tables of
// a store, then times, on our side, what python-igraph does in bench/network_peer.py — graph
// construction (here from the Snapshot, with the Newman projection) and degree, strength,
// PageRank, eigenvector, local clustering, range-limited betweenness (paths of at most 2 links)
// and Leiden communities — then the full app analysis (with sampled betweenness) and ego-network
// and recommendation queries. Writes the weighted edge list for the peer and prints JSON.
// Usage: network_bench DB OUT_EDGES
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <random>

#include "app/network.h"
#include "network/graph.h"
#include "network/metrics.h"
#include "snapshot/loader.h"

namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  using namespace poles;
  if (argc != 3) {
    std::cerr << "usage: network_bench DB OUT_EDGES\n";
    return 1;
  }
  auto store = store::Store::open(argv[1]);
  if (!store) return std::cerr << store.error().to_string() << "\n", 2;
  auto t = std::chrono::steady_clock::now();
  auto snap = snapshot::load(**store, {"membership", "project_label", "participation"});
  if (!snap) return std::cerr << snap.error().to_string() << "\n", 2;
  const double load_s = since(t);

  t = std::chrono::steady_clock::now();
  const auto g = network::build_cooperation(**snap, network::Filter{});
  if (!g) return std::cerr << g.error().to_string() << "\n", 2;
  const double build_s = since(t);
  t = std::chrono::steady_clock::now();
  network::MetricsOptions mo;
  mo.betweenness = false;
  auto m = network::compute_metrics(*g, mo);
  if (!m) return std::cerr << m.error().to_string() << "\n", 2;
  const double others_s = since(t);
  const auto tb = std::chrono::steady_clock::now();
  auto bw = network::betweenness_within(*g, 2);
  const double betweenness_s = since(tb);
  if (!bw) return std::cerr << bw.error().to_string() << "\n", 2;
  const double metrics_s = since(t);

  // The full analysis the API serves (sampled betweenness, recommender), then queries on it.
  t = std::chrono::steady_clock::now();
  auto a = app::analyse_network(*snap, network::Filter{}, 1);
  if (!a) return std::cerr << a.error().to_string() << "\n", 2;
  const double analysis_s = since(t);
  std::mt19937_64 rng(7);
  std::vector<double> ego_ms, rec_ms;
  const auto& orgs = (*snap)->table("organisation");
  const auto ego_args = app::parse(app::network_ego_params(), {{"limit", "200"}});
  const auto rec_args = app::parse(app::network_recommend_params(), {});
  if (!ego_args || !rec_args) return std::cerr << "bad parameters\n", 2;
  for (int i = 0; i < 200; ++i) {
    const auto v = static_cast<size_t>(rng() % g->nodes());
    const std::string id(orgs.key(static_cast<size_t>(g->org[v])));
    t = std::chrono::steady_clock::now();
    auto ego = app::network_ego(**a, id, *ego_args);
    const std::string body = tj::to_json(*ego).dump();  // serialisation is part of the answer
    ego_ms.push_back(1000 * since(t));
    t = std::chrono::steady_clock::now();
    auto rec = app::network_recommend(**a, id, *rec_args);
    const std::string body2 = tj::to_json(*rec).dump();
    rec_ms.push_back(1000 * since(t));
  }

  std::ofstream out(argv[2]);
  for (size_t e = 0; e < g->edges(); ++e)
    out << g->from[e] << ' ' << g->to[e] << ' ' << fmt::format("{:.17g}", g->weight[e]) << '\n';
  std::cout
      << fmt::format(
             R"({{"nodes": {}, "edges": {}, "load_s": {:.3f}, "build_s": {:.3f}, "metrics_s": {:.3f}, "others_s": {:.3f}, "betweenness_s": {:.3f}, "modularity": {:.4f}, "analysis_s": {:.3f}, )"
             R"("betweenness_sources": {}, "betweenness_rel_error": {:.4f}, "ego_p50_ms": {:.2f}, "ego_p99_ms": {:.2f}, "recommend_p50_ms": {:.2f}, "recommend_p99_ms": {:.2f}}})",
             g->nodes(), g->edges(), load_s, build_s, metrics_s, others_s, betweenness_s,
             m->modularity, analysis_s, (*a)->metrics.betweenness_sources,
             (*a)->metrics.betweenness_relative_error, percentile(ego_ms, 0.5),
             percentile(ego_ms, 0.99), percentile(rec_ms, 0.5), percentile(rec_ms, 0.99))
      << "\n";
  return 0;
}
