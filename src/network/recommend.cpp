#include "network/recommend.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>

#include "core/codes.h"
#include "core/schema.h"

namespace poles::network {

using snapshot::Snapshot;

namespace {

constexpr double kExcluded = -std::numeric_limits<double>::infinity();

int32_t intern(std::map<std::string, int32_t>& index, std::vector<std::string>& names,
               const std::string& key) {
  auto [it, added] = index.try_emplace(key, static_cast<int32_t>(names.size()));
  if (added) names.push_back(key);
  return it->second;
}

// Best k entries of `score` (ties broken by a seeded random order, so that no method gains from
// the node numbering), excluding -inf.
std::vector<int32_t> top_k(const std::vector<double>& score, size_t k, std::mt19937_64& rng) {
  std::vector<std::pair<double, uint64_t>> key(score.size());
  std::vector<int32_t> idx;
  for (size_t v = 0; v < score.size(); ++v) {
    if (score[v] == kExcluded) continue;
    key[v] = {score[v], rng()};
    idx.push_back(static_cast<int32_t>(v));
  }
  const size_t m = std::min(k, idx.size());
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(m), idx.end(),
                    [&](int32_t a, int32_t b) {
                      return key[static_cast<size_t>(a)] > key[static_cast<size_t>(b)];
                    });
  idx.resize(m);
  return idx;
}

}  // namespace

Recommender::Recommender(const Snapshot& s, const CoopGraph& g, int up_to_year, Weights w)
    : s_(s), g_(g), w_(w) {
  const size_t n = g.nodes();
  const auto& orgs = s.table("organisation");
  const auto& naf = orgs.column("naf");
  const auto& kind = orgs.column("kind");
  const auto& dep = orgs.column("department");
  const OrganisationColumns org_columns(s);
  std::map<std::string, int32_t> regions, departments, sectors, themes;
  std::vector<std::string> department_names;
  region_.assign(n, -1);
  department_.assign(n, -1);
  sector_.assign(n, -1);
  sme_.assign(n, 0);
  const auto member_of = memberships_by_org(s, up_to_year);
  clusters_.resize(n);
  for (size_t v = 0; v < n; ++v) {
    const int32_t o = g.org[v];
    const auto r = static_cast<size_t>(o);
    const std::string_view region = org_columns.region(o);
    if (!region.empty()) region_[v] = intern(regions, region_names_, std::string(region));
    if (!dep.is_null(r))
      department_[v] = intern(departments, department_names, std::string(dep.text(r)));
    // Sector key: NAF division ("62") for firms with a NAF code, the kind otherwise.
    std::string key = naf.is_null(r) ? "kind:" + std::string(kind.text(r))
                                     : std::string(naf.text(r).substr(0, 2));
    sector_[v] = intern(sectors, sector_names_, key);
    sme_[v] = org_columns.sme(o) ? 1 : 0;
    clusters_[v] = member_of[r];
  }
  // Sector lift from the graph's edges: observed / expected under random pairing of edge ends.
  const size_t ns = sector_names_.size();
  std::vector<double> pair(ns * ns, 0.0), end(ns, 0.0);
  for (size_t e = 0; e < g.edges(); ++e) {
    const auto a = static_cast<size_t>(sector_[static_cast<size_t>(g.from[e])]);
    const auto b = static_cast<size_t>(sector_[static_cast<size_t>(g.to[e])]);
    pair[a * ns + b] += 1;
    if (a != b) pair[b * ns + a] += 1;
    end[a] += 1;
    end[b] += 1;
  }
  const double ends = std::accumulate(end.begin(), end.end(), 0.0);
  lift_n_ = ns;
  lift_.assign(ns * ns, 0.0);
  for (size_t a = 0; a < ns; ++a) {
    for (size_t b = 0; b < ns; ++b) {
      // Expected edges between a and b: ends_a · ends_b / (2E) (a≠b counted in both cells).
      const double expected = end[a] * end[b] / std::max(ends, 1.0) * (a == b ? 0.5 : 1.0);
      lift_[a * ns + b] = expected > 0 ? pair[a * ns + b] / expected : 0.0;
    }
  }
  size_t max_degree = 1;
  for (size_t v = 0; v < n; ++v)
    max_degree =
        std::max<size_t>(max_degree, static_cast<size_t>(g.adj_start[v + 1] - g.adj_start[v]));
  log_max_degree_ = std::log1p(static_cast<double>(max_degree));
  // Project sectors and themes per node, for ideas.
  const auto& projects = s.table("project");
  const auto& psector = projects.column("sector");
  const auto& pthemes = projects.column("themes");
  std::vector<std::map<int32_t, int32_t>> ps(n), pt(n);
  std::map<std::string, int32_t> theme_index;
  const auto members = project_members(s, g);
  for (size_t k = 0; k < g.projects.size(); ++k) {
    const auto p = static_cast<size_t>(g.projects[k]);
    int32_t sec = -1;
    if (!psector.is_null(p)) sec = intern(sectors, sector_names_, std::string(psector.text(p)));
    std::vector<int32_t> ts;
    if (!pthemes.is_null(p)) {
      for (const auto theme : schema::list_items(pthemes.text(p)))
        ts.push_back(intern(theme_index, theme_names_, std::string(theme)));
    }
    for (int32_t v : members[k]) {
      if (sec >= 0) ++ps[static_cast<size_t>(v)][sec];
      for (int32_t t : ts) ++pt[static_cast<size_t>(v)][t];
    }
  }
  project_sectors_.resize(n);
  project_themes_.resize(n);
  for (size_t v = 0; v < n; ++v) {
    project_sectors_[v].assign(ps[v].begin(), ps[v].end());
    project_themes_[v].assign(pt[v].begin(), pt[v].end());
  }
}

double Recommender::pair_score(int32_t u, int32_t v, double aa,
                               std::vector<PartnerReason>* reasons) const {
  const auto iu = static_cast<size_t>(u), iv = static_cast<size_t>(v);
  double score = aa;
  const auto& cu = clusters_[iu];
  const auto& cv = clusters_[iv];
  int32_t shared = -1;
  for (int32_t c : cv) {
    if (std::binary_search(cu.begin(), cu.end(), c)) {
      shared = c;
      break;
    }
  }
  if (shared >= 0) score += w_.shared_cluster;
  const bool same_region = region_[iu] >= 0 && region_[iu] == region_[iv];
  const bool same_dep = department_[iu] >= 0 && department_[iu] == department_[iv];
  if (same_region) score += w_.same_region;
  if (same_dep) score += w_.same_department;
  // Node sectors were numbered before project sectors: all index the lift matrix.
  const double lift =
      lift_[static_cast<size_t>(sector_[iu]) * lift_n_ + static_cast<size_t>(sector_[iv])];
  score += w_.sector * std::min(lift, 4.0) / 4.0;
  if (sme_[iv]) score += w_.sme;
  const double degree = static_cast<double>(g_.adj_start[iv + 1] - g_.adj_start[iv]);
  score += w_.activity * std::log1p(degree) / log_max_degree_;
  if (reasons != nullptr) {
    if (aa > 0) reasons->push_back({"shared_partners", aa, "Adamic–Adar"});
    if (shared >= 0)
      reasons->push_back(
          {"shared_cluster", 1, std::string(s_.table("cluster").key(static_cast<size_t>(shared)))});
    if (same_region)
      reasons->push_back({"same_region", 1, region_names_[static_cast<size_t>(region_[iv])]});
    if (same_dep) reasons->push_back({"same_department", 1, ""});
    if (lift > 1) {
      reasons->push_back({"sector_complementarity", lift,
                          fmt::format("{} ↔ {}", sector_names_[static_cast<size_t>(sector_[iu])],
                                      sector_names_[static_cast<size_t>(sector_[iv])])});
    }
    if (sme_[iv]) reasons->push_back({"sme", 1, ""});
  }
  return score;
}

std::vector<double> Recommender::common_neighbours(int32_t u) const {
  std::vector<double> cn(g_.nodes(), 0.0);
  const auto iu = static_cast<size_t>(u);
  for (int64_t i = g_.adj_start[iu]; i < g_.adj_start[iu + 1]; ++i) {
    const auto w = static_cast<size_t>(g_.adj_node[static_cast<size_t>(i)]);
    for (int64_t j = g_.adj_start[w]; j < g_.adj_start[w + 1]; ++j)
      cn[static_cast<size_t>(g_.adj_node[static_cast<size_t>(j)])] += 1;
  }
  cn[iu] = kExcluded;
  for (int64_t i = g_.adj_start[iu]; i < g_.adj_start[iu + 1]; ++i)
    cn[static_cast<size_t>(g_.adj_node[static_cast<size_t>(i)])] = kExcluded;
  return cn;
}

std::vector<double> Recommender::scores(int32_t u) const {
  const size_t n = g_.nodes();
  std::vector<double> aa(n, 0.0);
  const auto iu = static_cast<size_t>(u);
  for (int64_t i = g_.adj_start[iu]; i < g_.adj_start[iu + 1]; ++i) {
    const auto w = static_cast<size_t>(g_.adj_node[static_cast<size_t>(i)]);
    const double dw = static_cast<double>(g_.adj_start[w + 1] - g_.adj_start[w]);
    if (dw < 2) continue;
    const double inc = 1.0 / std::log(dw);
    for (int64_t j = g_.adj_start[w]; j < g_.adj_start[w + 1]; ++j)
      aa[static_cast<size_t>(g_.adj_node[static_cast<size_t>(j)])] += inc;
  }
  std::vector<double> out(n);
  for (size_t v = 0; v < n; ++v) out[v] = pair_score(u, static_cast<int32_t>(v), aa[v], nullptr);
  out[iu] = kExcluded;
  for (int64_t i = g_.adj_start[iu]; i < g_.adj_start[iu + 1]; ++i)
    out[static_cast<size_t>(g_.adj_node[static_cast<size_t>(i)])] = kExcluded;
  return out;
}

std::vector<Candidate> Recommender::for_organisation(int32_t u, size_t k) const {
  const auto sc = scores(u);
  std::mt19937_64 rng(static_cast<uint64_t>(u) + 1);
  std::vector<Candidate> out;
  for (int32_t v : top_k(sc, k, rng)) {
    Candidate c{v, sc[static_cast<size_t>(v)], {}};
    // Recompute the Adamic–Adar term for the reasons (score minus the other terms).
    const double rest = pair_score(u, v, 0.0, nullptr);
    pair_score(u, v, c.score - rest, &c.reasons);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Candidate>> Recommender::for_idea(const Idea& idea, size_t k) const {
  if (!idea.region.empty() && codes::find_region(idea.region) == nullptr) {
    return Status::invalid_argument(fmt::format("unknown INSEE region code '{}'", idea.region));
  }
  const auto sector_it = std::find(sector_names_.begin(), sector_names_.end(), idea.sector);
  const int32_t sector = sector_it == sector_names_.end()
                             ? -1
                             : static_cast<int32_t>(sector_it - sector_names_.begin());
  std::vector<int32_t> themes;
  for (const auto& t : idea.themes) {
    const auto it = std::find(theme_names_.begin(), theme_names_.end(), t);
    if (it != theme_names_.end()) themes.push_back(static_cast<int32_t>(it - theme_names_.begin()));
  }
  const size_t n = g_.nodes();
  std::vector<double> score(n, 0.0);
  std::vector<std::vector<PartnerReason>> why(n);
  for (size_t v = 0; v < n; ++v) {
    const double total = static_cast<double>(g_.participations[v]);
    double sec = 0, th = 0;
    for (const auto& [code, count] : project_sectors_[v]) {
      if (code == sector) sec = count / total;
    }
    for (const auto& [code, count] : project_themes_[v]) {
      if (std::find(themes.begin(), themes.end(), code) != themes.end())
        th = std::max(th, count / total);
    }
    const bool own_sector = sector >= 0 && sector_[v] == sector;
    const bool here = !idea.region.empty() && region_[v] >= 0 &&
                      region_names_[static_cast<size_t>(region_[v])] == idea.region;
    const double degree = static_cast<double>(g_.adj_start[v + 1] - g_.adj_start[v]);
    score[v] = sec + 0.5 * th + (own_sector ? 0.5 : 0.0) + (here ? w_.same_region : 0.0) +
               (sme_[v] ? w_.sme : 0.0) + w_.activity * std::log1p(degree) / log_max_degree_;
    if (sec > 0) why[v].push_back({"sector_experience", sec, idea.sector});
    if (own_sector) why[v].push_back({"sector_experience", 1, "NAF " + idea.sector});
    if (th > 0)
      why[v].push_back({"theme_experience", th, fmt::format("{}", fmt::join(idea.themes, ", "))});
    if (here) why[v].push_back({"same_region", 1, idea.region});
    if (sme_[v]) why[v].push_back({"sme", 1, ""});
    if (degree > 0) why[v].push_back({"active", degree, "partners so far"});
  }
  std::mt19937_64 rng(1);
  std::vector<Candidate> out;
  for (int32_t v : top_k(score, k, rng))
    out.push_back({v, score[static_cast<size_t>(v)], std::move(why[static_cast<size_t>(v)])});
  return out;
}

Result<HoldoutResult> evaluate_recommender(const Snapshot& s, const HoldoutOptions& o) {
  if (o.train_to_year == 0)
    return Status::invalid_argument("the hold-out needs the last training year");
  if (o.horizon < 1) return Status::invalid_argument("the horizon must be at least one year");
  Filter train_f = o.filter, test_f = o.filter;
  train_f.from_year = 0;
  train_f.to_year = o.train_to_year;
  test_f.from_year = o.train_to_year + 1;
  test_f.to_year = o.train_to_year + o.horizon;
  POLES_ASSIGN_OR_RETURN(const CoopGraph train, build_cooperation(s, train_f));
  POLES_ASSIGN_OR_RETURN(const CoopGraph test, build_cooperation(s, test_f));
  HoldoutResult out;
  out.train_to = o.train_to_year;
  out.test_from = test_f.from_year;
  out.test_to = test_f.to_year;
  out.train_nodes = train.nodes();
  out.train_edges = train.edges();
  out.k = o.k;
  out.seed = o.seed;
  // New partners of each train node in the test period.
  std::vector<std::vector<int32_t>> fresh(train.nodes());
  for (size_t e = 0; e < test.edges(); ++e) {
    const int32_t a =
        train.node_of[static_cast<size_t>(test.org[static_cast<size_t>(test.from[e])])];
    const int32_t b = train.node_of[static_cast<size_t>(test.org[static_cast<size_t>(test.to[e])])];
    if (a < 0 || b < 0 || train.edge_between(a, b) >= 0) continue;
    fresh[static_cast<size_t>(a)].push_back(b);
    fresh[static_cast<size_t>(b)].push_back(a);
    ++out.new_pairs;
  }
  std::vector<int32_t> nodes;
  for (size_t v = 0; v < train.nodes(); ++v) {
    if (!fresh[v].empty()) {
      std::sort(fresh[v].begin(), fresh[v].end());
      nodes.push_back(static_cast<int32_t>(v));
    }
  }
  if (nodes.empty())
    return Status::invalid_argument(
        fmt::format("no new partnership between {} and {} among organisations active by {}",
                    out.test_from, out.test_to, out.train_to));
  std::mt19937_64 rng(o.seed);
  if (nodes.size() > o.max_nodes) {
    std::shuffle(nodes.begin(), nodes.end(), rng);
    nodes.resize(o.max_nodes);
    std::sort(nodes.begin(), nodes.end());
  }
  out.evaluated_nodes = nodes.size();
  const Recommender model(s, train, o.train_to_year);
  enum { kModel, kCommon, kRandom, kMethods };
  std::array<double, kMethods> precision{}, auc_sum{};
  std::array<size_t, kMethods> auc_n{};
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  for (int32_t u : nodes) {
    std::array<std::vector<double>, kMethods> sc;
    sc[kModel] = model.scores(u);
    sc[kCommon] = model.common_neighbours(u);
    sc[kRandom].resize(train.nodes());
    for (size_t v = 0; v < train.nodes(); ++v)
      sc[kRandom][v] = sc[kCommon][v] == kExcluded ? kExcluded : unif(rng);
    const auto& pos = fresh[static_cast<size_t>(u)];
    for (size_t m = 0; m < kMethods; ++m) {
      size_t hits = 0;
      for (int32_t v : top_k(sc[m], o.k, rng))
        hits += std::binary_search(pos.begin(), pos.end(), v) ? 1 : 0;
      precision[m] += static_cast<double>(hits) / static_cast<double>(o.k);
    }
    // AUC: a random new partner against a random non-partner, scored by each method.
    std::vector<int32_t> negatives;
    for (size_t v = 0; v < train.nodes(); ++v) {
      if (sc[kCommon][v] != kExcluded &&
          !std::binary_search(pos.begin(), pos.end(), static_cast<int32_t>(v)))
        negatives.push_back(static_cast<int32_t>(v));
    }
    if (negatives.empty()) continue;
    for (size_t i = 0; i < o.auc_pairs_per_node; ++i) {
      const auto p = static_cast<size_t>(pos[rng() % pos.size()]);
      const auto q = static_cast<size_t>(negatives[rng() % negatives.size()]);
      for (size_t m = 0; m < kMethods; ++m) {
        auc_sum[m] += sc[m][p] > sc[m][q] ? 1.0 : sc[m][p] == sc[m][q] ? 0.5 : 0.0;
        ++auc_n[m];
      }
    }
  }
  const std::array<const char*, kMethods> names = {"model", "common_neighbours", "random"};
  for (size_t m = 0; m < kMethods; ++m) {
    out.methods.push_back({names[m], precision[m] / static_cast<double>(nodes.size()),
                           auc_n[m] == 0 ? 0.0 : auc_sum[m] / static_cast<double>(auc_n[m])});
  }
  return out;
}

}  // namespace poles::network
