#include "app/network.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace poles::app {
namespace {

std::string filter_key(const network::Filter& f, uint64_t seed) {
  return fmt::format("{}|{}|{}|{}|{}|{}", f.from_year, f.to_year, fmt::join(f.clusters, ","),
                     fmt::join(f.programmes, ","), f.region, seed);
}

uint64_t seed_of(const Args& args) { return static_cast<uint64_t>(args.integer("seed")); }

size_t limit_of(const Args& args) { return static_cast<size_t>(args.integer("limit")); }

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

ParamSpec limit_param(double most, const std::string& fallback) {
  return integer_param("limit", "Rows at most", 1, most, fallback);
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t b = 0;
  while (b <= text.size()) {
    size_t e = text.find(sep, b);
    if (e == std::string::npos) e = text.size();
    if (e > b) out.push_back(text.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

NetworkConnectivity connectivity_of(const network::Connectivity& c) {
  return NetworkConnectivity{c.nodes,       c.edges,       c.components, c.giant,
                             c.giant_share, c.mean_degree, c.density};
}

NetworkMatrix matrix_of(const network::Matrix& m) {
  return NetworkMatrix{m.labels, m.names, m.rows()};
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

std::vector<NetworkOrganisation> ranked(const NetworkAnalysis& a,
                                        const network::OrganisationRows& rows,
                                        network::Metric metric, size_t limit, size_t offset) {
  std::vector<NetworkOrganisation> out;
  for (int32_t v : network::rank_nodes(a.metrics, metric, limit, offset))
    out.push_back(rows.organisation(v));
  return out;
}

std::vector<NetworkCandidate> candidates_of(const network::OrganisationRows& rows,
                                            std::vector<network::Candidate> cs) {
  std::vector<NetworkCandidate> out;
  out.reserve(cs.size());
  for (auto& c : cs)
    out.push_back(NetworkCandidate{{rows.organisation(c.node)}, c.score, std::move(c.reasons)});
  return out;
}

}  // namespace

// --- parameters ------------------------------------------------------------------------------

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

ParamSpecs network_organisations_params() {
  return network_params(
      {choice_param("sort", "Metric to sort by (descending)",
                    {network::kMetricNames.begin(), network::kMetricNames.end()}, "pagerank"),
       limit_param(1000, "50"), integer_param("offset", "Rows skipped", 0, 1e9, "0")});
}

ParamSpecs network_communities_params() { return network_params({limit_param(500, "20")}); }

ParamSpecs network_brokers_params() { return network_params({limit_param(500, "20")}); }

ParamSpecs network_what_if_params() {
  return network_params(
      {list_param("remove", "Clusters removed (ids)"),
       text_param("merge", "Clusters merged: a+b, several groups separated by ';'")});
}

ParamSpecs network_ego_params() {
  return network_params({integer_param("radius", "Steps from the organisation", 1, 2, "1"),
                         limit_param(2000, "200")});
}

ParamSpecs network_recommend_params() { return network_params({limit_param(100, "10")}); }

ParamSpecs network_recommend_idea_params() {
  return network_params({text_param("sector", "Sector of the idea (NAF division)"),
                         list_param("themes", "Themes of the idea"),
                         text_param("home", "Home region of the idea (INSEE code)"),
                         limit_param(100, "10")});
}

ParamSpecs network_drawing_params() { return network_params({limit_param(5000, "1500")}); }

ParamSpecs network_export_params() {
  return network_params(
      {choice_param("format", "File format", {"graphml", "gexf", "csv"}, "graphml")});
}

ParamSpecs network_holdout_params() {
  return network_params({year_param("year", "Last training year (required)"),
                         integer_param("horizon", "Test years after it", 1, 50, "3"),
                         integer_param("k", "Precision at k", 1, 1000, "10"),
                         integer_param("max_organisations",
                                       "Organisations evaluated (seeded sample)", 1, 1e7, "1000")});
}

network::Filter parse_network_filter(const Args& args) {
  network::Filter f;
  f.from_year = args.opt_integer("from").value_or(0);
  f.to_year = args.opt_integer("to").value_or(0);
  f.clusters = args.list("cluster");
  f.programmes = args.list("programme");
  f.region = args.text("region");
  return f;
}

// --- the analysis and its cache --------------------------------------------------------------

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

Result<NetworkAnalysisPtr> analyse_network(snapshot::SnapshotPtr snap, const Args& args) {
  return analyse_network(std::move(snap), parse_network_filter(args), seed_of(args));
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

Result<NetworkAnalysisPtr> NetworkCache::get(const snapshot::SnapshotPtr& snap, const Args& args) {
  return get(snap, parse_network_filter(args), seed_of(args));
}

// --- the views -------------------------------------------------------------------------------

NetworkSummary network_summary(const NetworkAnalysis& a) {
  const auto& m = a.metrics;
  const network::OrganisationRows rows(*a.snapshot, a.graph, m);
  NetworkSummary out;
  out.filter = NetworkSummaryFilter{a.filter.from_year, a.filter.to_year, a.filter.clusters,
                                    a.filter.programmes, a.filter.region};
  out.projects = a.graph.projects.size();
  out.connectivity = connectivity_of(network::connectivity(a.graph));
  out.communities =
      NetworkSummaryCommunities{m.communities, m.modularity, "Leiden (modularity)", m.seed};
  out.betweenness = NetworkSummaryBetweenness{m.betweenness_exact, m.betweenness_sources,
                                              m.betweenness_relative_error};
  out.timing_seconds = NetworkTiming{a.build_seconds, a.metrics_seconds};
  out.top.pagerank = ranked(a, rows, network::Metric::kPagerank, 10, 0);
  out.top.betweenness = ranked(a, rows, network::Metric::kBetweenness, 10, 0);
  out.top.degree = ranked(a, rows, network::Metric::kDegree, 10, 0);
  return out;
}

Result<NetworkOrganisationPage> network_organisations(const NetworkAnalysis& a, const Args& args) {
  const std::string& sort = args.text("sort");
  POLES_ASSIGN_OR_RETURN(const network::Metric metric, network::parse_metric(sort));
  const network::OrganisationRows rows(*a.snapshot, a.graph, a.metrics);
  return NetworkOrganisationPage{
      a.graph.nodes(), sort,
      ranked(a, rows, metric, limit_of(args), static_cast<size_t>(args.integer("offset")))};
}

NetworkCommunities network_communities(const NetworkAnalysis& a, const Args& args) {
  const auto& m = a.metrics;
  return NetworkCommunities{m.communities, m.modularity, m.seed,
                            network::community_profiles(*a.snapshot, a.graph, m, limit_of(args))};
}

NetworkClusters network_clusters(const NetworkAnalysis& a) {
  const auto links = network::cluster_links(*a.snapshot, a.graph);
  NetworkClusters out;
  for (size_t c = 0; c < links.projects.size(); ++c) {
    out.clusters.push_back(NetworkClusterRow{links.co_labelled.labels[c],
                                             links.co_labelled.names[c], links.projects[c],
                                             links.cooperation_index[c]});
  }
  out.co_labelled = matrix_of(links.co_labelled);
  out.shared_members = matrix_of(links.shared_members);
  out.cross_partners = matrix_of(links.cross_partners);
  return out;
}

NetworkRegions network_regions(const NetworkAnalysis& a) {
  const auto links = network::region_links(*a.snapshot, a.graph);
  NetworkRegions out;
  for (size_t r = 0; r < links.projects.labels.size(); ++r) {
    out.regions.push_back(NetworkRegionRow{links.projects.labels[r], links.projects.names[r],
                                           links.interregional_share[r]});
  }
  out.projects = matrix_of(links.projects);
  return out;
}

NetworkSme network_sme(const NetworkAnalysis& a) {
  const auto& clusters = a.snapshot->table("cluster");
  NetworkSme out;
  for (const auto& x : network::sme_integration(*a.snapshot, a.graph, a.metrics)) {
    std::optional<std::string> cluster;
    if (x.cluster >= 0) cluster = std::string(clusters.key(static_cast<size_t>(x.cluster)));
    out.items.push_back(NetworkSmeRow{std::move(cluster), x.projects, x.organisations, x.sme_share,
                                      x.coordinator_sme_share, x.centrality_ratio,
                                      x.mean_degree_sme, x.mean_degree_other});
  }
  return out;
}

NetworkBrokers network_brokers(const NetworkAnalysis& a, const Args& args) {
  const network::OrganisationRows rows(*a.snapshot, a.graph, a.metrics);
  NetworkBrokers out;
  for (const auto& b : network::brokers(*a.snapshot, a.graph, a.metrics, limit_of(args)))
    out.items.push_back(
        NetworkBroker{{rows.organisation(b.node)}, b.clusters_reached, b.cross_share});
  return out;
}

Result<NetworkWhatIf> network_what_if(const NetworkAnalysis& a, const Args& args) {
  network::WhatIf w;
  w.remove = args.list("remove");
  for (const auto& group : split(args.text("merge"), ';')) w.merge.push_back(split(group, '+'));
  if (w.remove.empty() && w.merge.empty())
    return Status::invalid_argument("give remove=a,b and/or merge=a+b");
  POLES_ASSIGN_OR_RETURN(auto r, network::what_if(*a.snapshot, a.graph.projects, w));
  auto side = [](const network::WhatIfSide& x) {
    return NetworkWhatIfSide{connectivity_of(x.org_graph), x.projects, x.clusters, x.cluster_links,
                             x.inter_cluster_share};
  };
  return NetworkWhatIf{std::move(w.remove), std::move(w.merge), side(r.before),
                       side(r.after),       r.projects_lost,    r.organisations_isolated,
                       std::move(r.notes)};
}

Result<NetworkEgo> network_ego(const NetworkAnalysis& a, const std::string& organisation_id,
                               const Args& args) {
  POLES_ASSIGN_OR_RETURN(const int32_t v, node_of(a, organisation_id));
  const int radius = args.integer("radius");
  const auto ego = network::ego_network(a.graph, v, radius, limit_of(args));
  const network::OrganisationRows rows(*a.snapshot, a.graph, a.metrics);
  NetworkEgo out{organisation_id, radius, ego.truncated, {}, {}};
  for (size_t i = 0; i < ego.nodes.size(); ++i)
    out.nodes.push_back(NetworkEgoNode{{rows.organisation(ego.nodes[i])}, ego.hops[i]});
  for (int64_t e : ego.edges) out.edges.push_back(rows.link(e));
  return out;
}

Result<NetworkRecommendation> network_recommend(const NetworkAnalysis& a,
                                                const std::string& organisation_id,
                                                const Args& args) {
  POLES_ASSIGN_OR_RETURN(const int32_t v, node_of(a, organisation_id));
  const network::OrganisationRows rows(*a.snapshot, a.graph, a.metrics);
  return NetworkRecommendation{
      rows.organisation(v),
      candidates_of(rows, a.recommender->for_organisation(v, limit_of(args)))};
}

Result<NetworkIdeaRecommendation> network_recommend_idea(const NetworkAnalysis& a,
                                                         const Args& args) {
  network::Recommender::Idea idea;
  idea.sector = args.text("sector");
  idea.themes = args.list("themes");
  idea.region = args.text("home");
  if (idea.sector.empty() && idea.themes.empty())
    return Status::invalid_argument("give sector= and/or themes=");
  POLES_ASSIGN_OR_RETURN(auto cs, a.recommender->for_idea(idea, limit_of(args)));
  const network::OrganisationRows rows(*a.snapshot, a.graph, a.metrics);
  return NetworkIdeaRecommendation{NetworkIdea{idea.sector, idea.themes, idea.region},
                                   candidates_of(rows, std::move(cs))};
}

Result<network::NetworkDrawing> network_drawing(const NetworkAnalysis& a, const Args& args) {
  return network::drawing(*a.snapshot, a.graph, a.metrics, limit_of(args));
}

Result<NetworkHoldout> network_holdout(const snapshot::Snapshot& s, const Args& args) {
  const auto year = args.opt_integer("year");
  if (!year) {
    return Status::bad_input(
        {FieldError{"query", 0, 0, "year", "", "is required (the last training year)"}});
  }
  network::HoldoutOptions o;
  o.train_to_year = *year;
  o.horizon = args.integer("horizon");
  o.k = static_cast<size_t>(args.integer("k"));
  o.max_nodes = static_cast<size_t>(args.integer("max_organisations"));
  o.seed = seed_of(args);
  o.filter = parse_network_filter(args);
  POLES_ASSIGN_OR_RETURN(auto r, network::evaluate_recommender(s, o));
  return NetworkHoldout{r.train_to,    r.test_from,         r.test_to,         r.train_nodes,
                        r.train_edges, r.new_pairs,         r.evaluated_nodes, r.k,
                        r.seed,        std::move(r.methods)};
}

}  // namespace poles::app
