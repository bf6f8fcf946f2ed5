#include "network/metrics.h"

#include <fmt/format.h>
#include <igraph.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>

namespace poles::network {
namespace {

// One lock for every igraph call: its default random generator and error state are global.
std::mutex& igraph_mutex() {
  static std::mutex mu;
  return mu;
}

// igraph's default error handler aborts the process; ours lets the call return its error code.
void install_error_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
  });
}

Status check(igraph_error_t rc, const char* what) {
  if (rc == IGRAPH_SUCCESS) return Status::ok();
  return Status::internal(fmt::format("igraph {} failed: {}", what, igraph_strerror(rc)));
}

// Move-only owners of igraph handles.
class Vector {
 public:
  explicit Vector(size_t n = 0) { igraph_vector_init(&v_, static_cast<igraph_integer_t>(n)); }
  explicit Vector(const std::vector<double>& x) : Vector(x.size()) {
    std::copy(x.begin(), x.end(), VECTOR(v_));
  }
  ~Vector() { igraph_vector_destroy(&v_); }
  Vector(const Vector&) = delete;
  Vector& operator=(const Vector&) = delete;
  igraph_vector_t* get() { return &v_; }
  std::vector<double> values() const {
    const auto n = static_cast<size_t>(igraph_vector_size(&v_));
    return {VECTOR(v_), VECTOR(v_) + n};
  }

 private:
  igraph_vector_t v_;
};

class IntVector {
 public:
  explicit IntVector(size_t n = 0) {
    igraph_vector_int_init(&v_, static_cast<igraph_integer_t>(n));
  }
  ~IntVector() { igraph_vector_int_destroy(&v_); }
  IntVector(const IntVector&) = delete;
  IntVector& operator=(const IntVector&) = delete;
  igraph_vector_int_t* get() { return &v_; }
  igraph_integer_t& operator[](size_t i) { return VECTOR(v_)[i]; }
  size_t size() const { return static_cast<size_t>(igraph_vector_int_size(&v_)); }

 private:
  igraph_vector_int_t v_;
};

class Graph {
 public:
  // The undirected graph with g's nodes and edges (edge i of igraph is edge i of g).
  static Result<std::unique_ptr<Graph>> of(const CoopGraph& g) {
    IntVector edges(2 * g.edges());
    for (size_t e = 0; e < g.edges(); ++e) {
      edges[2 * e] = g.from[e];
      edges[2 * e + 1] = g.to[e];
    }
    auto out = std::unique_ptr<Graph>(new Graph());
    POLES_RETURN_IF_ERROR(
        check(igraph_create(&out->g_, edges.get(), static_cast<igraph_integer_t>(g.nodes()),
                            IGRAPH_UNDIRECTED),
              "create"));
    out->owned_ = true;
    return out;
  }
  ~Graph() {
    if (owned_) igraph_destroy(&g_);
  }
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  const igraph_t* get() const { return &g_; }

 private:
  Graph() = default;
  igraph_t g_{};
  bool owned_ = false;
};

// Brandes' accumulation from each of `sources` over the CSR adjacency (unweighted, undirected):
// Σ_s δ_s(v) / 2 — halved, as igraph's subset betweenness does for undirected graphs, so that all
// sources give the exact betweenness. The sources are cut into fixed chunks whatever the number of
// threads, and chunk sums added in order: the result does not depend on the machine.
std::vector<double> source_dependencies(const CoopGraph& g, const std::vector<int32_t>& sources) {
  const size_t n = g.nodes();
  constexpr size_t kChunks = 64;
  const size_t chunks = std::min(kChunks, std::max<size_t>(1, sources.size()));
  std::vector<std::vector<double>> part(chunks);
  auto run_chunk = [&](size_t c, std::vector<int32_t>& dist, std::vector<double>& sigma,
                       std::vector<double>& delta, std::vector<int32_t>& order) {
    auto& out = part[c];
    out.assign(n, 0.0);
    for (size_t i = c; i < sources.size(); i += chunks) {
      const auto s = static_cast<size_t>(sources[i]);
      order.clear();
      order.push_back(static_cast<int32_t>(s));
      dist[s] = 0;
      sigma[s] = 1;
      for (size_t head = 0; head < order.size(); ++head) {
        const auto v = static_cast<size_t>(order[head]);
        for (int64_t j = g.adj_start[v]; j < g.adj_start[v + 1]; ++j) {
          const auto w = static_cast<size_t>(g.adj_node[static_cast<size_t>(j)]);
          if (dist[w] < 0) {
            dist[w] = dist[v] + 1;
            order.push_back(static_cast<int32_t>(w));
          }
          if (dist[w] == dist[v] + 1) sigma[w] += sigma[v];
        }
      }
      for (size_t k = order.size(); k-- > 1;) {
        const auto w = static_cast<size_t>(order[k]);
        const double coef = (1 + delta[w]) / sigma[w];
        for (int64_t j = g.adj_start[w]; j < g.adj_start[w + 1]; ++j) {
          const auto v = static_cast<size_t>(g.adj_node[static_cast<size_t>(j)]);
          if (dist[v] == dist[w] - 1) delta[v] += sigma[v] * coef;
        }
        out[w] += delta[w] / 2;
      }
      for (int32_t v : order) {
        dist[static_cast<size_t>(v)] = -1;
        sigma[static_cast<size_t>(v)] = 0;
        delta[static_cast<size_t>(v)] = 0;
      }
    }
  };
  std::atomic<size_t> next{0};
  auto worker = [&] {
    std::vector<int32_t> dist(n, -1), order;
    std::vector<double> sigma(n, 0.0), delta(n, 0.0);
    order.reserve(n);
    for (size_t c; (c = next.fetch_add(1)) < chunks;) run_chunk(c, dist, sigma, delta, order);
  };
  const size_t threads =
      std::min<size_t>(chunks, std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  std::vector<double> total(n, 0.0);
  for (const auto& p : part) {
    for (size_t v = 0; v < n; ++v) total[v] += p[v];
  }
  return total;
}

// Exact betweenness (every source), or the estimate from `sources` sampled sources.
std::pair<std::vector<double>, std::vector<double>> betweenness_native(const CoopGraph& g,
                                                                       int sources, uint64_t seed) {
  const size_t n = g.nodes();
  std::vector<int32_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  if (sources <= 0 || static_cast<size_t>(sources) >= n)
    return {source_dependencies(g, all), std::vector<double>(n, 0.0)};
  // Sources drawn without replacement (seeded), split in 25 batches: each batch gives an unbiased
  // estimate n/k_b · b_S(v), b_S the (halved) dependencies of the batch's sources on every
  // target; their spread gives the standard error of the mean.
  std::mt19937_64 rng(seed);
  std::shuffle(all.begin(), all.end(), rng);
  all.resize(static_cast<size_t>(sources));
  constexpr size_t kBatches = 25;
  std::vector<std::vector<double>> est;
  for (size_t b = 0; b < kBatches; ++b) {
    std::vector<int32_t> batch;
    for (size_t i = b; i < all.size(); i += kBatches) batch.push_back(all[i]);
    if (batch.empty()) continue;
    auto part = source_dependencies(g, batch);
    const double scale = static_cast<double>(n) / static_cast<double>(batch.size());
    for (double& x : part) x *= scale;
    est.push_back(std::move(part));
  }
  std::vector<double> mean(n, 0.0), se(n, 0.0);
  const auto m = static_cast<double>(est.size());
  for (size_t v = 0; v < n; ++v) {
    double s = 0, ss = 0;
    for (const auto& e : est) s += e[v];
    const double mu = s / m;
    for (const auto& e : est) ss += (e[v] - mu) * (e[v] - mu);
    mean[v] = mu;
    se[v] = m > 1 ? std::sqrt(ss / (m - 1) / m) : 0.0;
  }
  return {mean, se};
}

}  // namespace

Result<std::pair<std::vector<double>, std::vector<double>>> betweenness(const CoopGraph& g,
                                                                        int sources,
                                                                        uint64_t seed) {
  return betweenness_native(g, sources, seed);
}

namespace {

// Betweenness over shortest paths of at most 2 links, straight from the CSR adjacency. Only pairs
// at distance exactly 2 have intermediates: u and w, not adjacent, with c(u, w) common neighbours,
// each of which lies on 1 / c(u, w) of their shortest paths. From every source u: count the 2-paths
// to each w, then credit each middle node v with 1 / c(u, w); every unordered pair is seen from
// both ends, hence the final halving. O(Σ degree²) time, O(n) memory, no allocation in the loops:
// igraph_betweenness_cutoff does the same work through generic BFS queues, 10x slower on the
// national graph.
std::vector<double> betweenness_two_links(const CoopGraph& g) {
  const size_t n = g.nodes();
  std::vector<double> bet(n, 0.0);
  std::vector<int32_t> paths(n, 0);  // 2-paths from the current source, per node
  std::vector<int32_t> mark(n, -1);  // == source: a neighbour of the source (or the source)
  std::vector<int32_t> reached;      // nodes with paths > 0, to reset
  for (size_t u = 0; u < n; ++u) {
    const auto src = static_cast<int32_t>(u);
    mark[u] = src;
    for (int64_t i = g.adj_start[u]; i < g.adj_start[u + 1]; ++i)
      mark[static_cast<size_t>(g.adj_node[static_cast<size_t>(i)])] = src;
    for (int64_t i = g.adj_start[u]; i < g.adj_start[u + 1]; ++i) {
      const auto v = static_cast<size_t>(g.adj_node[static_cast<size_t>(i)]);
      for (int64_t j = g.adj_start[v]; j < g.adj_start[v + 1]; ++j) {
        const auto w = static_cast<size_t>(g.adj_node[static_cast<size_t>(j)]);
        if (mark[w] == src) continue;
        if (paths[w]++ == 0) reached.push_back(static_cast<int32_t>(w));
      }
    }
    for (int64_t i = g.adj_start[u]; i < g.adj_start[u + 1]; ++i) {
      const auto v = static_cast<size_t>(g.adj_node[static_cast<size_t>(i)]);
      double credit = 0;
      for (int64_t j = g.adj_start[v]; j < g.adj_start[v + 1]; ++j) {
        const auto w = static_cast<size_t>(g.adj_node[static_cast<size_t>(j)]);
        if (mark[w] != src) credit += 1.0 / paths[w];
      }
      bet[v] += credit;
    }
    for (int32_t w : reached) paths[static_cast<size_t>(w)] = 0;
    reached.clear();
  }
  for (double& b : bet) b /= 2;
  return bet;
}

}  // namespace

Result<std::vector<double>> betweenness_within(const CoopGraph& g, int cutoff) {
  if (cutoff == 2) return betweenness_two_links(g);
  std::lock_guard lock(igraph_mutex());
  install_error_handler();
  POLES_ASSIGN_OR_RETURN(auto graph, Graph::of(g));
  Vector res;
  POLES_RETURN_IF_ERROR(check(igraph_betweenness_cutoff(graph->get(), res.get(), igraph_vss_all(),
                                                        IGRAPH_UNDIRECTED, nullptr, cutoff),
                              "betweenness"));
  return res.values();
}

Result<Metrics> compute_metrics(const CoopGraph& g, const MetricsOptions& options) {
  const size_t n = g.nodes();
  Metrics m;
  m.seed = options.seed;
  m.degree.resize(n);
  m.strength.assign(n, 0.0);
  for (size_t v = 0; v < n; ++v)
    m.degree[v] = static_cast<int32_t>(g.adj_start[v + 1] - g.adj_start[v]);
  for (size_t e = 0; e < g.edges(); ++e) {
    m.strength[static_cast<size_t>(g.from[e])] += g.weight[e];
    m.strength[static_cast<size_t>(g.to[e])] += g.weight[e];
  }
  if (n == 0) return m;

  std::lock_guard lock(igraph_mutex());
  install_error_handler();
  igraph_rng_seed(igraph_rng_default(), options.seed);
  POLES_ASSIGN_OR_RETURN(auto graph, Graph::of(g));
  Vector weights(g.weight);
  {
    Vector res;
    igraph_real_t value = 0;
    POLES_RETURN_IF_ERROR(
        check(igraph_pagerank(graph->get(), IGRAPH_PAGERANK_ALGO_PRPACK, res.get(), &value,
                              igraph_vss_all(), IGRAPH_UNDIRECTED, 0.85, weights.get(), nullptr),
              "pagerank"));
    m.pagerank = res.values();
  }
  if (g.edges() > 0) {
    Vector res;
    igraph_real_t value = 0;
    igraph_arpack_options_t arpack;
    igraph_arpack_options_init(&arpack);
    POLES_RETURN_IF_ERROR(
        check(igraph_eigenvector_centrality(graph->get(), res.get(), &value, IGRAPH_UNDIRECTED,
                                            true, weights.get(), &arpack),
              "eigenvector centrality"));
    m.eigenvector = res.values();
  } else {
    m.eigenvector.assign(n, 1.0);
  }
  {
    Vector res;
    POLES_RETURN_IF_ERROR(
        check(igraph_transitivity_local_undirected(graph->get(), res.get(), igraph_vss_all(),
                                                   IGRAPH_TRANSITIVITY_ZERO),
              "transitivity"));
    m.clustering = res.values();
  }
  if (options.betweenness) {
    const bool exact = n <= options.exact_betweenness_max_nodes;
    const int sources = exact ? 0 : options.sample_sources;
    auto b = betweenness_native(g, sources, options.seed);
    m.betweenness = std::move(b.first);
    m.betweenness_se = std::move(b.second);
    m.betweenness_exact = exact || static_cast<size_t>(sources) >= n;
    m.betweenness_sources = m.betweenness_exact ? static_cast<int>(n) : sources;
    if (!m.betweenness_exact) {
      std::vector<size_t> order(n);
      std::iota(order.begin(), order.end(), size_t{0});
      const size_t top = std::min<size_t>(100, n);
      std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top),
                        order.end(),
                        [&](size_t x, size_t y) { return m.betweenness[x] > m.betweenness[y]; });
      std::vector<double> rel;
      for (size_t i = 0; i < top; ++i) {
        if (m.betweenness[order[i]] > 0)
          rel.push_back(m.betweenness_se[order[i]] / m.betweenness[order[i]]);
      }
      if (!rel.empty()) {
        std::nth_element(rel.begin(), rel.begin() + static_cast<std::ptrdiff_t>(rel.size() / 2),
                         rel.end());
        m.betweenness_relative_error = rel[rel.size() / 2];
      }
    }
  }
  if (options.communities && g.edges() > 0) {
    // Modularity objective: node weights are strengths, resolution scaled by 1/(2m) (as
    // python-igraph's community_leiden(objective_function="modularity") does).
    Vector node_weights(m.strength);
    double total = 0;
    for (double w : g.weight) total += w;
    IntVector membership;
    igraph_integer_t count = 0;
    igraph_real_t quality = 0;
    POLES_RETURN_IF_ERROR(
        check(igraph_community_leiden(graph->get(), weights.get(), node_weights.get(),
                                      options.resolution / (2.0 * total), 0.01, false, -1,
                                      membership.get(), &count, &quality),
              "Leiden"));
    m.community.resize(n);
    for (size_t v = 0; v < n; ++v) m.community[v] = static_cast<int32_t>(membership[v]);
    m.communities = static_cast<int>(count);
    POLES_RETURN_IF_ERROR(
        check(igraph_modularity(graph->get(), membership.get(), weights.get(), options.resolution,
                                IGRAPH_UNDIRECTED, &m.modularity),
              "modularity"));
  } else {
    m.community.assign(n, 0);
    std::iota(m.community.begin(), m.community.end(), 0);
    m.communities = static_cast<int>(n);
  }
  return m;
}

std::vector<int32_t> components(const CoopGraph& g) {
  const size_t n = g.nodes();
  std::vector<int32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int32_t x) {
    while (parent[static_cast<size_t>(x)] != x) {
      parent[static_cast<size_t>(x)] = parent[static_cast<size_t>(parent[static_cast<size_t>(x)])];
      x = parent[static_cast<size_t>(x)];
    }
    return x;
  };
  for (size_t e = 0; e < g.edges(); ++e) {
    const int32_t a = find(g.from[e]), b = find(g.to[e]);
    if (a != b) parent[static_cast<size_t>(std::max(a, b))] = std::min(a, b);
  }
  std::vector<int32_t> comp(n);
  for (size_t v = 0; v < n; ++v) comp[v] = find(static_cast<int32_t>(v));
  return comp;
}

Connectivity connectivity(const CoopGraph& g) {
  Connectivity c;
  c.nodes = g.nodes();
  c.edges = g.edges();
  if (c.nodes == 0) return c;
  const auto comp = components(g);
  std::vector<size_t> size(c.nodes, 0);
  for (int32_t x : comp) ++size[static_cast<size_t>(x)];
  for (size_t v = 0; v < c.nodes; ++v) {
    if (size[v] > 0) ++c.components;
    c.giant = std::max(c.giant, size[v]);
  }
  const auto n = static_cast<double>(c.nodes);
  c.giant_share = static_cast<double>(c.giant) / n;
  c.mean_degree = 2.0 * static_cast<double>(c.edges) / n;
  c.density = c.nodes > 1 ? 2.0 * static_cast<double>(c.edges) / (n * (n - 1)) : 0.0;
  return c;
}

Result<std::vector<std::pair<double, double>>> layout(const CoopGraph& g,
                                                      const std::vector<int32_t>& nodes,
                                                      uint64_t seed) {
  // Induced subgraph built by hand (positions in `nodes` order), then FR in igraph.
  std::vector<int32_t> local(g.nodes(), -1);
  for (size_t i = 0; i < nodes.size(); ++i)
    local[static_cast<size_t>(nodes[i])] = static_cast<int32_t>(i);
  CoopGraph sub;
  sub.org.resize(nodes.size());
  for (size_t e = 0; e < g.edges(); ++e) {
    const int32_t a = local[static_cast<size_t>(g.from[e])],
                  b = local[static_cast<size_t>(g.to[e])];
    if (a < 0 || b < 0) continue;
    sub.from.push_back(a);
    sub.to.push_back(b);
    sub.weight.push_back(g.weight[e]);
  }
  std::lock_guard lock(igraph_mutex());
  install_error_handler();
  igraph_rng_seed(igraph_rng_default(), seed);
  POLES_ASSIGN_OR_RETURN(auto graph, Graph::of(sub));
  igraph_matrix_t pos;
  igraph_matrix_init(&pos, 0, 0);
  Vector weights(sub.weight);
  const igraph_error_t rc = igraph_layout_fruchterman_reingold(
      graph->get(), &pos, false, 300, std::sqrt(static_cast<double>(nodes.size())) / 10.0,
      IGRAPH_LAYOUT_AUTOGRID, weights.get(), nullptr, nullptr, nullptr, nullptr);
  std::vector<std::pair<double, double>> out;
  if (rc == IGRAPH_SUCCESS) {
    for (size_t i = 0; i < nodes.size(); ++i) {
      out.emplace_back(MATRIX(pos, static_cast<igraph_integer_t>(i), 0),
                       MATRIX(pos, static_cast<igraph_integer_t>(i), 1));
    }
  }
  igraph_matrix_destroy(&pos);
  POLES_RETURN_IF_ERROR(check(rc, "layout"));
  return out;
}

}  // namespace poles::network
