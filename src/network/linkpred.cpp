#include "network/linkpred.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <numeric>
#include <set>
#include <unordered_map>
#include <utility>

#include "numeric/logit.h"

namespace poles::network {

uint64_t link_key(uint64_t seed, uint64_t a, uint64_t b, uint64_t c) {
  const auto mix = [](uint64_t x) {
    uint64_t z = x + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  return mix(mix(mix(mix(seed) ^ a) ^ b) ^ c);
}

namespace {

// Salts of link_key's first argument after the seed.
constexpr uint64_t kTie = 1, kSample = 2, kAucNegative = 3, kFitNegative = 4, kFitSample = 5;

// The data, indexed: organisations in the byte order of their identifiers, kept projects.
struct LinkIndex {
  std::vector<std::string> orgs;
  std::vector<int32_t> type, country;  // per organisation: index in the lift tables
  size_t types = 0, countries = 0;
  struct Project {
    int year = 0;
    std::vector<int32_t> orgs;   // sorted, distinct
    std::vector<int32_t> parts;  // programme part indices
  };
  std::vector<Project> projects;
  size_t parts = 0;
};

// Most frequent value, ties to the smallest.
std::string most_frequent(const std::map<std::string, int>& counts) {
  std::string best;
  int n = -1;
  for (const auto& [v, c] : counts) {
    if (c > n) best = v, n = c;
  }
  return best;
}

LinkIndex index_rows(const std::vector<LinkRow>& rows, const ProjectParts& parts,
                     const LinkPredOptions& o) {
  LinkIndex d;
  std::map<std::string, std::map<std::string, int>> types, countries;
  std::map<std::string, std::pair<int, std::set<std::string>>> projects;
  for (const auto& r : rows) {
    ++types[r.organisation][r.type];
    ++countries[r.organisation][r.country];
    auto& p = projects[r.project];
    if (r.year > 0) p.first = r.year;
    p.second.insert(r.organisation);
  }
  std::unordered_map<std::string, int32_t> org_index;
  std::map<std::string, int32_t> type_index, country_index, part_index;
  for (const auto& [id, t] : types) {
    org_index.emplace(id, static_cast<int32_t>(d.orgs.size()));
    d.orgs.push_back(id);
    d.type.push_back(
        type_index.try_emplace(most_frequent(t), static_cast<int32_t>(type_index.size()))
            .first->second);
    d.country.push_back(
        country_index
            .try_emplace(most_frequent(countries[id]), static_cast<int32_t>(country_index.size()))
            .first->second);
  }
  d.types = type_index.size();
  d.countries = country_index.size();
  for (const auto& [id, p] : projects) {
    const auto& [year, members] = p;
    if (year <= 0 || static_cast<int>(members.size()) < o.min_participants ||
        static_cast<int>(members.size()) > o.max_participants)
      continue;
    LinkIndex::Project kept;
    kept.year = year;
    for (const auto& m : members) kept.orgs.push_back(org_index.at(m));
    std::sort(kept.orgs.begin(), kept.orgs.end());
    if (const auto it = parts.find(id); it != parts.end()) {
      for (const auto& part : it->second)
        kept.parts.push_back(
            part_index.try_emplace(part, static_cast<int32_t>(part_index.size())).first->second);
    }
    d.projects.push_back(std::move(kept));
  }
  d.parts = part_index.size();
  return d;
}

// The cooperation graph of the projects started up to `to` (CSR), with what the features read.
struct TrainGraph {
  size_t n = 0;
  std::vector<size_t> start;  // n + 1
  std::vector<int32_t> adj;   // sorted per node
  std::vector<int32_t> projects;
  std::vector<std::vector<std::pair<int32_t, double>>> parts;  // per node: (part, count)
  std::vector<double> parts_norm;
  std::vector<double> type_lift, country_lift;  // types x types, countries x countries
  size_t types = 0, countries = 0;
  size_t edges = 0, nodes = 0;

  size_t degree(int32_t v) const {
    return start[static_cast<size_t>(v) + 1] - start[static_cast<size_t>(v)];
  }
  bool linked(int32_t u, int32_t v) const {
    return std::binary_search(adj.begin() + static_cast<std::ptrdiff_t>(start[u]),
                              adj.begin() + static_cast<std::ptrdiff_t>(start[u + 1]), v);
  }
};

// The lift of pairs of categories among the graph's partnerships, against random pairs of
// partnership ends; smoothed by one partnership so that a pair never seen is not −∞.
std::vector<double> category_lift(const TrainGraph& g, const std::vector<int32_t>& category,
                                  size_t m) {
  std::vector<double> pairs(m * m, 0), ends(m, 0);
  for (size_t u = 0; u < g.n; ++u) {
    for (size_t i = g.start[u]; i < g.start[u + 1]; ++i) {
      const auto v = static_cast<size_t>(g.adj[i]);
      const auto a = static_cast<size_t>(category[u]), b = static_cast<size_t>(category[v]);
      ends[a] += 1;
      if (u < v) pairs[std::min(a, b) * m + std::max(a, b)] += 1;
    }
  }
  const double e = static_cast<double>(g.edges), total = 2 * e;
  std::vector<double> out(m * m, 1.0);
  if (g.edges == 0) return out;
  for (size_t a = 0; a < m; ++a) {
    for (size_t b = a; b < m; ++b) {
      const double expected = (a == b ? 1.0 : 2.0) * (ends[a] / total) * (ends[b] / total) * e;
      out[a * m + b] = out[b * m + a] = (pairs[a * m + b] + 1) / (expected + 1);
    }
  }
  return out;
}

TrainGraph build_graph(const LinkIndex& d, int to) {
  TrainGraph g;
  g.n = d.orgs.size();
  std::vector<std::vector<int32_t>> adj(g.n);
  g.projects.assign(g.n, 0);
  std::vector<std::map<int32_t, double>> parts(g.n);
  for (const auto& p : d.projects) {
    if (p.year > to) continue;
    for (size_t i = 0; i < p.orgs.size(); ++i) {
      const auto u = static_cast<size_t>(p.orgs[i]);
      ++g.projects[u];
      for (int32_t part : p.parts) parts[u][part] += 1;
      for (size_t j = 0; j < p.orgs.size(); ++j) {
        if (j != i) adj[u].push_back(p.orgs[j]);
      }
    }
  }
  g.start.assign(g.n + 1, 0);
  g.parts.resize(g.n);
  g.parts_norm.assign(g.n, 0);
  for (size_t u = 0; u < g.n; ++u) {
    auto& a = adj[u];
    std::sort(a.begin(), a.end());
    a.erase(std::unique(a.begin(), a.end()), a.end());
    g.start[u + 1] = g.start[u] + a.size();
    g.edges += a.size();
    g.nodes += !a.empty();
    double sq = 0;
    for (const auto& [part, c] : parts[u]) g.parts[u].emplace_back(part, c), sq += c * c;
    g.parts_norm[u] = std::sqrt(sq);
  }
  g.edges /= 2;
  g.adj.reserve(g.edges * 2);
  for (const auto& a : adj) g.adj.insert(g.adj.end(), a.begin(), a.end());
  g.types = d.types;
  g.countries = d.countries;
  g.type_lift = category_lift(g, d.type, d.types);
  g.country_lift = category_lift(g, d.country, d.countries);
  return g;
}

constexpr size_t kBaselines = 4;  // common neighbours, Adamic–Adar, resource allocation, PA
constexpr size_t kModelFeatures = 6;
const std::array<std::string, kBaselines> kBaselineNames = {
    "common_neighbours", "adamic_adar", "resource_allocation", "preferential_attachment"};
const std::array<std::string, kModelFeatures> kModelNames = {
    "ln_1_plus_l3",    "resource_allocation", "type_lift",
    "ln_country_lift", "programme_cosine",    "ln_1_plus_projects"};

// What node u's candidates share with it: common neighbours, Adamic–Adar, resource allocation
// and the L3 paths, for every node (reset between nodes through the touched list).
class SharedPartners {
 public:
  explicit SharedPartners(const TrainGraph& g)
      : g_(g), cn_(g.n, 0), aa_(g.n, 0), ra_(g.n, 0), w2_(g.n, 0), l3_(g.n, 0) {}

  void of(int32_t u) {
    for (int32_t v : touched_) {
      const auto i = static_cast<size_t>(v);
      cn_[i] = aa_[i] = ra_[i] = w2_[i] = l3_[i] = 0;
    }
    touched_.clear();
    const auto uu = static_cast<size_t>(u);
    std::vector<int32_t> two;  // nodes b with w2[b] > 0
    for (size_t i = g_.start[uu]; i < g_.start[uu + 1]; ++i) {
      const int32_t a = g_.adj[i];
      const double k = static_cast<double>(g_.degree(a));
      const double inv_log = k > 1 ? 1 / std::log(k) : 0, inv = 1 / k, inv_sqrt = 1 / std::sqrt(k);
      for (size_t j = g_.start[static_cast<size_t>(a)]; j < g_.start[static_cast<size_t>(a) + 1];
           ++j) {
        const auto v = static_cast<size_t>(g_.adj[j]);
        if (cn_[v] == 0 && w2_[v] == 0 && l3_[v] == 0) touched_.push_back(g_.adj[j]);
        if (w2_[v] == 0) two.push_back(g_.adj[j]);
        cn_[v] += 1;
        aa_[v] += inv_log;
        ra_[v] += inv;
        w2_[v] += inv_sqrt;
      }
    }
    // L3(u, v) = Σ over paths u–a–b–v of 1/√(k_a k_b).
    for (int32_t b : two) {
      const auto bb = static_cast<size_t>(b);
      const double w = w2_[bb] / std::sqrt(static_cast<double>(g_.degree(b)));
      for (size_t j = g_.start[bb]; j < g_.start[bb + 1]; ++j) {
        const auto v = static_cast<size_t>(g_.adj[j]);
        if (cn_[v] == 0 && w2_[v] == 0 && l3_[v] == 0) touched_.push_back(g_.adj[j]);
        l3_[v] += w;
      }
    }
  }
  double cn(int32_t v) const { return cn_[static_cast<size_t>(v)]; }
  double aa(int32_t v) const { return aa_[static_cast<size_t>(v)]; }
  double ra(int32_t v) const { return ra_[static_cast<size_t>(v)]; }
  double l3(int32_t v) const { return l3_[static_cast<size_t>(v)]; }

 private:
  const TrainGraph& g_;
  std::vector<double> cn_, aa_, ra_, w2_, l3_;
  std::vector<int32_t> touched_;
};

struct PairFeatures {
  std::array<double, kBaselines> baseline{};
  std::array<double, kModelFeatures> model{};
};

PairFeatures pair_features(const TrainGraph& g, const LinkIndex& d, const SharedPartners& nb,
                           int32_t u, int32_t v) {
  PairFeatures f;
  const auto uu = static_cast<size_t>(u), vv = static_cast<size_t>(v);
  f.baseline = {nb.cn(v), nb.aa(v), nb.ra(v),
                static_cast<double>(g.degree(u)) * static_cast<double>(g.degree(v))};
  double dot = 0;
  const auto& pu = g.parts[uu];
  const auto& pv = g.parts[vv];
  for (size_t i = 0, j = 0; i < pu.size() && j < pv.size();) {
    if (pu[i].first < pv[j].first) {
      ++i;
    } else if (pv[j].first < pu[i].first) {
      ++j;
    } else {
      dot += pu[i++].second * pv[j++].second;
    }
  }
  const double norm = g.parts_norm[uu] * g.parts_norm[vv];
  f.model = {
      std::log1p(nb.l3(v)),
      nb.ra(v),
      g.type_lift[static_cast<size_t>(d.type[uu]) * g.types + static_cast<size_t>(d.type[vv])],
      std::log(g.country_lift[static_cast<size_t>(d.country[uu]) * g.countries +
                              static_cast<size_t>(d.country[vv])]),
      norm > 0 ? dot / norm : 0.0,
      std::log1p(static_cast<double>(g.projects[vv]))};
  return f;
}

// The baseline logit's features: the four baselines, PA on a log scale.
std::array<double, kBaselines> baseline_inputs(const PairFeatures& f) {
  return {f.baseline[0], f.baseline[1], f.baseline[2], std::log1p(f.baseline[3])};
}

// New partnerships of the projects started in [from, to] between nodes of g, per node.
std::vector<std::vector<int32_t>> new_partners(const LinkIndex& d, const TrainGraph& g, int from,
                                               int to, size_t* pairs) {
  std::vector<std::set<int32_t>> fresh(g.n);
  for (const auto& p : d.projects) {
    if (p.year < from || p.year > to) continue;
    for (int32_t a : p.orgs) {
      if (g.degree(a) == 0) continue;
      for (int32_t b : p.orgs) {
        if (b == a || g.degree(b) == 0 || g.linked(a, b)) continue;
        fresh[static_cast<size_t>(a)].insert(b);
      }
    }
  }
  std::vector<std::vector<int32_t>> out(g.n);
  *pairs = 0;
  for (size_t v = 0; v < g.n; ++v) {
    out[v].assign(fresh[v].begin(), fresh[v].end());
    *pairs += out[v].size();
  }
  *pairs /= 2;
  return out;
}

// The nodes with a new partner, or the `sample` of them whose key is lowest.
std::vector<int32_t> chosen_nodes(const std::vector<std::vector<int32_t>>& fresh, size_t sample,
                                  uint64_t seed, uint64_t salt) {
  std::vector<int32_t> nodes;
  for (size_t v = 0; v < fresh.size(); ++v) {
    if (!fresh[v].empty()) nodes.push_back(static_cast<int32_t>(v));
  }
  if (sample == 0 || sample >= nodes.size()) return nodes;
  std::sort(nodes.begin(), nodes.end(), [&](int32_t a, int32_t b) {
    return link_key(seed, salt, static_cast<uint64_t>(a)) <
           link_key(seed, salt, static_cast<uint64_t>(b));
  });
  nodes.resize(sample);
  std::sort(nodes.begin(), nodes.end());
  return nodes;
}

// u's candidates (every node of the graph but u and its partners), ascending.
std::vector<int32_t> candidates_for(const TrainGraph& g, int32_t u) {
  std::vector<int32_t> out;
  for (size_t v = 0; v < g.n; ++v) {
    const auto vv = static_cast<int32_t>(v);
    if (vv != u && g.degree(vv) > 0 && !g.linked(u, vv)) out.push_back(vv);
  }
  return out;
}

// Up to `count` candidates that are not new partners, the j-th draw at index
// link_key(seed, salt, u·n + v, j) mod |candidates| (at most 50·count draws).
std::vector<int32_t> draw_negatives(const std::vector<int32_t>& candidates,
                                    const std::vector<int32_t>& positives, int32_t u, int32_t v,
                                    size_t n, size_t count, uint64_t seed, uint64_t salt) {
  std::vector<int32_t> out;
  if (candidates.empty()) return out;
  const uint64_t pair = static_cast<uint64_t>(u) * n + static_cast<uint64_t>(v);
  for (uint64_t j = 0; out.size() < count && j < 50 * count; ++j) {
    const int32_t w = candidates[link_key(seed, salt, pair, j) % candidates.size()];
    if (!std::binary_search(positives.begin(), positives.end(), w)) out.push_back(w);
  }
  return out;
}

// Scores of the candidates of every evaluated node by several methods at once, and their
// precision@k (sum over nodes) and AUC (sum over pairs). `score` writes one value per method.
using PairScorer = std::function<void(const PairFeatures&, double* out)>;
struct Measures {
  std::vector<double> hits, auc;
  double auc_pairs = 0;
};

Measures measure_methods(const LinkIndex& d, const TrainGraph& g, const std::vector<int32_t>& nodes,
                         const std::vector<std::vector<int32_t>>& fresh, const LinkPredOptions& o,
                         size_t methods, const PairScorer& score, bool with_auc) {
  Measures out;
  out.hits.assign(methods, 0);
  out.auc.assign(methods, 0);
  std::vector<uint64_t> tie(g.n);
  for (size_t v = 0; v < g.n; ++v) tie[v] = link_key(o.seed, kTie, v);
  SharedPartners nb(g);
  std::vector<std::vector<double>> sc(methods, std::vector<double>(g.n));
  std::vector<double> row(methods);
  for (int32_t u : nodes) {
    nb.of(u);
    const auto candidates = candidates_for(g, u);
    for (int32_t v : candidates) {
      score(pair_features(g, d, nb, u, v), row.data());
      for (size_t m = 0; m < methods; ++m) sc[m][static_cast<size_t>(v)] = row[m];
    }
    const auto& positives = fresh[static_cast<size_t>(u)];
    const size_t k = std::min(o.k, candidates.size());
    auto top = candidates;
    for (size_t m = 0; m < methods; ++m) {
      const auto& s = sc[m];
      std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(k), top.end(),
                        [&](int32_t a, int32_t b) {
                          const auto ia = static_cast<size_t>(a), ib = static_cast<size_t>(b);
                          return s[ia] != s[ib] ? s[ia] > s[ib] : tie[ia] > tie[ib];
                        });
      size_t h = 0;
      for (size_t i = 0; i < k; ++i)
        h += std::binary_search(positives.begin(), positives.end(), top[i]);
      out.hits[m] += static_cast<double>(h) / static_cast<double>(o.k);
    }
    if (!with_auc) continue;
    for (int32_t v : positives) {
      for (int32_t w : draw_negatives(candidates, positives, u, v, g.n, o.auc_negatives, o.seed,
                                      kAucNegative)) {
        out.auc_pairs += 1;
        for (size_t m = 0; m < methods; ++m) {
          const double a = sc[m][static_cast<size_t>(v)], b = sc[m][static_cast<size_t>(w)];
          out.auc[m] += a > b ? 1.0 : a == b ? 0.5 : 0.0;
        }
      }
    }
  }
  return out;
}

// A logistic model's linear predictor (its probability ranks as it does), its first `near`
// coefficients (the proximity features) multiplied by `scale`.
template <size_t N>
double linear_predictor(const Eigen::VectorXd& coef, const std::array<double, N>& x, size_t near,
                        double scale) {
  double s = coef(0);
  for (size_t c = 0; c < N; ++c)
    s += (c < near ? scale : 1.0) * coef(static_cast<Eigen::Index>(c + 1)) * x[c];
  return s;
}

// The scales tried on the proximity coefficients, chosen by precision@k on the fit split.
constexpr std::array<double, 6> kScales = {1, 2, 3, 4, 6, 8};
constexpr size_t kModelNear = 2;     // ln(1 + L3), RA
constexpr size_t kBaselineNear = 3;  // CN, AA, RA
constexpr size_t kSelectionNodes = 2000;

struct FittedModels {
  Eigen::VectorXd model, baseline;  // intercept first, proximity coefficients scaled
  double model_scale = 1, baseline_scale = 1;
};

Result<FittedModels> fit_models(const LinkIndex& d, const LinkPredOptions& o) {
  const TrainGraph g = build_graph(d, o.train_to - 1);
  size_t pairs = 0;
  const auto fresh = new_partners(d, g, o.train_to, o.train_to, &pairs);
  const auto nodes = chosen_nodes(fresh, o.sample, o.seed, kFitSample);
  SharedPartners nb(g);
  std::vector<std::array<double, kModelFeatures>> xm;
  std::vector<std::array<double, kBaselines>> xb;
  std::vector<double> y;
  for (int32_t u : nodes) {
    nb.of(u);
    // Positives and negatives among the candidates that share a partner with u: the top of a
    // ranking is made of them, and far candidates would teach activity alone.
    std::vector<int32_t> near;
    for (int32_t v : candidates_for(g, u)) {
      if (nb.cn(v) > 0) near.push_back(v);
    }
    const auto& positives = fresh[static_cast<size_t>(u)];
    for (int32_t v : positives) {
      if (nb.cn(v) == 0) continue;
      const auto add = [&](int32_t w, double label) {
        const auto f = pair_features(g, d, nb, u, w);
        xm.push_back(f.model);
        xb.push_back(baseline_inputs(f));
        y.push_back(label);
      };
      add(v, 1);
      for (int32_t w :
           draw_negatives(near, positives, u, v, g.n, o.fit_negatives, o.seed, kFitNegative))
        add(w, 0);
    }
  }
  if (y.empty())
    return Status::invalid_argument(
        fmt::format("no new partnership in {} to fit the models on", o.train_to));
  const auto design = [&](const auto& x) {
    const auto cols = x.front().size();
    Eigen::MatrixXd m(static_cast<Eigen::Index>(x.size()), static_cast<Eigen::Index>(cols + 1));
    for (size_t i = 0; i < x.size(); ++i) {
      m(static_cast<Eigen::Index>(i), 0) = 1;
      for (size_t c = 0; c < cols; ++c)
        m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c + 1)) = x[i][c];
    }
    return m;
  };
  const Eigen::VectorXd labels =
      Eigen::Map<const Eigen::VectorXd>(y.data(), static_cast<Eigen::Index>(y.size()));
  POLES_ASSIGN_OR_RETURN(auto model, numeric::fit_logit(design(xm), labels));
  POLES_ASSIGN_OR_RETURN(auto baseline, numeric::fit_logit(design(xb), labels));
  // A probability model weighs proximity for every pair; a top ten is made of close candidates,
  // where it matters more. The scale of the proximity coefficients is chosen on the same split
  // (new partnerships of train_to on the graph before), by precision@k.
  const auto select = chosen_nodes(
      fresh, o.sample ? std::min(o.sample, kSelectionNodes) : kSelectionNodes, o.seed, kFitSample);
  const auto m = measure_methods(
      d, g, select, fresh, o, 2 * kScales.size(),
      [&](const PairFeatures& f, double* row) {
        const auto b = baseline_inputs(f);
        for (size_t i = 0; i < kScales.size(); ++i) {
          row[i] = linear_predictor(model.coef, f.model, kModelNear, kScales[i]);
          row[kScales.size() + i] = linear_predictor(baseline.coef, b, kBaselineNear, kScales[i]);
        }
      },
      false);
  FittedModels out{model.coef, baseline.coef};
  size_t best_model = 0, best_baseline = 0;
  for (size_t i = 1; i < kScales.size(); ++i) {
    if (m.hits[i] > m.hits[best_model]) best_model = i;
    if (m.hits[kScales.size() + i] > m.hits[kScales.size() + best_baseline]) best_baseline = i;
  }
  out.model_scale = kScales[best_model];
  out.baseline_scale = kScales[best_baseline];
  for (size_t c = 0; c < kModelNear; ++c)
    out.model(static_cast<Eigen::Index>(c + 1)) *= out.model_scale;
  for (size_t c = 0; c < kBaselineNear; ++c)
    out.baseline(static_cast<Eigen::Index>(c + 1)) *= out.baseline_scale;
  return out;
}

}  // namespace

Result<LinkPredResult> judge_link_prediction(const std::vector<LinkRow>& rows,
                                             const ProjectParts& parts, const LinkPredOptions& o) {
  if (o.test_to <= o.train_to)
    return Status::invalid_argument("the test years must follow the train years");
  if (o.k == 0) return Status::invalid_argument("k must be at least 1");
  const LinkIndex d = index_rows(rows, parts, o);
  POLES_ASSIGN_OR_RETURN(const FittedModels coef, fit_models(d, o));
  const TrainGraph g = build_graph(d, o.train_to);
  LinkPredResult out;
  out.train_to = o.train_to;
  out.test_from = o.train_to + 1;
  out.test_to = o.test_to;
  out.organisations = d.orgs.size();
  out.projects = d.projects.size();
  out.train_nodes = g.nodes;
  out.train_edges = g.edges;
  out.k = o.k;
  out.seed = o.seed;
  out.model_proximity_scale = coef.model_scale;
  out.baseline_proximity_scale = coef.baseline_scale;
  out.model.push_back({"intercept", coef.model(0)});
  for (size_t c = 0; c < kModelFeatures; ++c)
    out.model.push_back({kModelNames[c], coef.model(static_cast<Eigen::Index>(c + 1))});
  out.baseline_logit.push_back({"intercept", coef.baseline(0)});
  for (size_t c = 0; c < kBaselines; ++c)
    out.baseline_logit.push_back({c == 3 ? "ln_1_plus_preferential_attachment" : kBaselineNames[c],
                                  coef.baseline(static_cast<Eigen::Index>(c + 1))});

  const auto fresh = new_partners(d, g, o.train_to + 1, o.test_to, &out.new_pairs);
  const auto nodes = chosen_nodes(fresh, o.sample, o.seed, kSample);
  out.evaluated = nodes.size();
  constexpr size_t kMethods = kBaselines + 2;
  const auto measured = measure_methods(
      d, g, nodes, fresh, o, kMethods,
      [&](const PairFeatures& f, double* row) {
        for (size_t m = 0; m < kBaselines; ++m) row[m] = f.baseline[m];
        row[kBaselines] = linear_predictor(coef.baseline, baseline_inputs(f), 0, 1);
        row[kBaselines + 1] = linear_predictor(coef.model, f.model, 0, 1);
      },
      true);
  const auto& hits = measured.hits;
  const auto& auc = measured.auc;
  const double auc_pairs = measured.auc_pairs;
  for (size_t m = 0; m < kMethods; ++m) {
    LinkPredScore s;
    s.method = m < kBaselines ? kBaselineNames[m] : m == kBaselines ? "baseline_logit" : "model";
    s.precision_at_k = nodes.empty() ? 0 : hits[m] / static_cast<double>(nodes.size());
    s.auc = auc_pairs > 0 ? auc[m] / auc_pairs : 0;
    out.methods.push_back(s);
  }
  return out;
}

}  // namespace poles::network
