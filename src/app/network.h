// The cooperation network as the CLI and the API serve it: the filter and each view's options
// read from parameters (one ParamSpecs per view), the graph and its metrics computed once per
// (data version, filter, seed) and cached, and typed views of every analysis (summary,
// organisations, matrices, SME integration, brokers, what-if, ego network, recommendations,
// hold-out evaluation, drawing); the figures come from the network engine. Thread-safe.
#pragma once

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/params.h"
#include "core/status.h"
#include "core/typed_json.h"
#include "network/analysis.h"
#include "network/graph.h"
#include "network/metrics.h"
#include "network/recommend.h"
#include "network/views.h"
#include "snapshot/snapshot.h"

namespace poles::app {

using network::NetworkOrganisation;

// --- parameters ------------------------------------------------------------------------------

// The parameters of every network view: from=, to= (years), cluster=, programme= (lists),
// region= (INSEE code) and seed=.
const ParamSpecs& network_filter_params();
// network_filter_params() followed by `extra`.
ParamSpecs network_params(const ParamSpecs& extra);
// Each view's parameters (the filter's, then its own). The summary, clusters, regions and sme
// views take the filter's only.
ParamSpecs network_organisations_params();   // sort=, limit=, offset=
ParamSpecs network_communities_params();     // limit=
ParamSpecs network_brokers_params();         // limit=
ParamSpecs network_what_if_params();         // remove=, merge=
ParamSpecs network_ego_params();             // radius=, limit=
ParamSpecs network_recommend_params();       // limit=
ParamSpecs network_recommend_idea_params();  // sector=, themes=, home=, limit=
ParamSpecs network_drawing_params();         // limit=
ParamSpecs network_export_params();          // format=
ParamSpecs network_holdout_params();         // year=, horizon=, k=, max_organisations=

// The graph's filter from parameters checked against network_filter_params() (years, lists and
// region). Unknown clusters, programmes and regions are reported by the engine when the graph
// is built.
network::Filter parse_network_filter(const Args& args);

// --- the analysis and its cache --------------------------------------------------------------

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
// The same for the filter and seed of `args` (network_filter_params()).
Result<NetworkAnalysisPtr> analyse_network(snapshot::SnapshotPtr snap, const Args& args);

// Analyses per (snapshot version, filter, seed); entries of older versions are dropped.
class NetworkCache {
 public:
  Result<NetworkAnalysisPtr> get(const snapshot::SnapshotPtr& snap, const network::Filter& f,
                                 uint64_t seed = 1);
  // The analysis for the filter and seed of `args` (network_filter_params()).
  Result<NetworkAnalysisPtr> get(const snapshot::SnapshotPtr& snap, const Args& args);

 private:
  std::mutex mu_;
  uint64_t version_ = 0;
  std::map<std::string, std::shared_future<Result<NetworkAnalysisPtr>>> entries_;
};

// --- the views -------------------------------------------------------------------------------
// Each view REQUIRES `args` parsed with its own ParamSpecs (above).

struct NetworkSummaryFilter {
  int from = 0;  // 0: no bound
  int to = 0;
  std::vector<std::string> clusters;
  std::vector<std::string> programmes;
  std::string region;
};
POLES_JSON(NetworkSummaryFilter, from, to, clusters, programmes, region)

struct NetworkConnectivity {
  size_t organisations = 0;
  size_t links = 0;
  size_t components = 0;  // isolated organisations count
  size_t giant_component = 0;
  double giant_share = 0;
  double mean_degree = 0;
  double density = 0;
};
POLES_JSON(NetworkConnectivity, organisations, links, components, giant_component, giant_share,
           mean_degree, density)

struct NetworkSummaryCommunities {
  int count = 0;
  double modularity = 0;
  std::string method;
  uint64_t seed = 0;
};
POLES_JSON(NetworkSummaryCommunities, count, modularity, method, seed)

struct NetworkSummaryBetweenness {
  bool exact = true;
  int sources = 0;
  double median_relative_error_top100 = 0;  // 0 when exact
};
POLES_JSON(NetworkSummaryBetweenness, exact, sources, median_relative_error_top100)

struct NetworkTiming {
  double graph = 0;  // seconds
  double metrics = 0;
};
POLES_JSON(NetworkTiming, graph, metrics)

// The ten organisations of highest PageRank, betweenness and degree.
struct NetworkTop {
  std::vector<NetworkOrganisation> pagerank;
  std::vector<NetworkOrganisation> betweenness;
  std::vector<NetworkOrganisation> degree;
};
POLES_JSON(NetworkTop, pagerank, betweenness, degree)

struct NetworkSummary {
  NetworkSummaryFilter filter;
  size_t projects = 0;
  NetworkConnectivity connectivity;
  NetworkSummaryCommunities communities;
  NetworkSummaryBetweenness betweenness;
  NetworkTiming timing_seconds;
  NetworkTop top;
};
POLES_JSON(NetworkSummary, filter, projects, connectivity, communities, betweenness, timing_seconds,
           top)

NetworkSummary network_summary(const NetworkAnalysis& a);

struct NetworkOrganisationPage {
  size_t total = 0;  // organisations in the graph
  std::string sort;
  std::vector<NetworkOrganisation> items;
};
POLES_JSON(NetworkOrganisationPage, total, sort, items)

// Organisations with their metrics, sorted by sort= (descending), limit= rows from offset=.
Result<NetworkOrganisationPage> network_organisations(const NetworkAnalysis& a, const Args& args);

struct NetworkCommunities {
  int count = 0;
  double modularity = 0;
  uint64_t seed = 0;
  std::vector<network::NetworkCommunity> items;  // the limit= largest
};
POLES_JSON(NetworkCommunities, count, modularity, seed, items)

NetworkCommunities network_communities(const NetworkAnalysis& a, const Args& args);

// A square matrix with one row per label.
struct NetworkMatrix {
  std::vector<std::string> labels;
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;
};
POLES_JSON(NetworkMatrix, labels, names, values)

struct NetworkClusterRow {
  std::string cluster;
  std::string name;
  int32_t projects = 0;
  double cooperation_index = 0;
};
POLES_JSON(NetworkClusterRow, cluster, name, projects, cooperation_index)

struct NetworkClusters {
  std::vector<NetworkClusterRow> clusters;
  NetworkMatrix co_labelled;
  NetworkMatrix shared_members;
  NetworkMatrix cross_partners;
};
POLES_JSON(NetworkClusters, clusters, co_labelled, shared_members, cross_partners)

NetworkClusters network_clusters(const NetworkAnalysis& a);

struct NetworkRegionRow {
  std::string region;
  std::string name;
  double interregional_share = 0;
};
POLES_JSON(NetworkRegionRow, region, name, interregional_share)

struct NetworkRegions {
  std::vector<NetworkRegionRow> regions;
  NetworkMatrix projects;
};
POLES_JSON(NetworkRegions, regions, projects)

NetworkRegions network_regions(const NetworkAnalysis& a);

struct NetworkSmeRow {
  std::optional<std::string> cluster;  // null: every kept project
  int projects = 0;
  int organisations = 0;
  double sme_share = 0;
  double coordinator_sme_share = 0;
  double centrality_ratio = 0;
  double mean_degree_sme = 0;
  double mean_degree_other = 0;
};
POLES_JSON(NetworkSmeRow, cluster, projects, organisations, sme_share, coordinator_sme_share,
           centrality_ratio, mean_degree_sme, mean_degree_other)

struct NetworkSme {
  std::vector<NetworkSmeRow> items;  // one per cluster, then the overall row
};
POLES_JSON(NetworkSme, items)

NetworkSme network_sme(const NetworkAnalysis& a);

struct NetworkBroker : NetworkOrganisation {
  int clusters_reached = 0;
  double cross_share = 0;
};
POLES_JSON(NetworkBroker, POLES_NETWORK_ORGANISATION_FIELDS, clusters_reached, cross_share)

struct NetworkBrokers {
  std::vector<NetworkBroker> items;
};
POLES_JSON(NetworkBrokers, items)

NetworkBrokers network_brokers(const NetworkAnalysis& a, const Args& args);

struct NetworkWhatIfSide {
  NetworkConnectivity organisation_graph;
  int projects = 0;
  int clusters = 0;
  int cluster_links = 0;
  double inter_cluster_share = 0;
};
POLES_JSON(NetworkWhatIfSide, organisation_graph, projects, clusters, cluster_links,
           inter_cluster_share)

struct NetworkWhatIf {
  std::vector<std::string> remove;
  std::vector<std::vector<std::string>> merge;
  NetworkWhatIfSide before;
  NetworkWhatIfSide after;
  int projects_lost = 0;
  int organisations_isolated = 0;
  std::vector<std::string> notes;
};
POLES_JSON(NetworkWhatIf, remove, merge, before, after, projects_lost, organisations_isolated,
           notes)

// Clusters removed (remove=a,b) and/or merged (merge=a+b;c+d); InvalidArgument when neither.
Result<NetworkWhatIf> network_what_if(const NetworkAnalysis& a, const Args& args);

struct NetworkEgoNode : NetworkOrganisation {
  int32_t hops = 0;
};
POLES_JSON(NetworkEgoNode, POLES_NETWORK_ORGANISATION_FIELDS, hops)

struct NetworkEgo {
  std::string center;
  int radius = 1;
  bool truncated = false;
  std::vector<NetworkEgoNode> nodes;  // the center first
  std::vector<network::NetworkLink> edges;
};
POLES_JSON(NetworkEgo, center, radius, truncated, nodes, edges)

// NotFound for an unknown organisation or one outside the selection.
Result<NetworkEgo> network_ego(const NetworkAnalysis& a, const std::string& organisation_id,
                               const Args& args);

struct NetworkCandidate : NetworkOrganisation {
  double score = 0;
  std::vector<network::PartnerReason> reasons;
};
POLES_JSON(NetworkCandidate, POLES_NETWORK_ORGANISATION_FIELDS, score, reasons)

struct NetworkRecommendation {
  NetworkOrganisation organisation;
  std::vector<NetworkCandidate> candidates;
};
POLES_JSON(NetworkRecommendation, organisation, candidates)

Result<NetworkRecommendation> network_recommend(const NetworkAnalysis& a,
                                                const std::string& organisation_id,
                                                const Args& args);

struct NetworkIdea {
  std::string sector;
  std::vector<std::string> themes;
  std::string region;
};
POLES_JSON(NetworkIdea, sector, themes, region)

struct NetworkIdeaRecommendation {
  NetworkIdea idea;
  std::vector<NetworkCandidate> candidates;
};
POLES_JSON(NetworkIdeaRecommendation, idea, candidates)

// Organisations to invite to a project idea (sector=, themes=, home=); InvalidArgument without
// a sector nor a theme.
Result<NetworkIdeaRecommendation> network_recommend_idea(const NetworkAnalysis& a,
                                                         const Args& args);

// The limit= strongest organisations with positions (seeded layout) and their links.
Result<network::NetworkDrawing> network_drawing(const NetworkAnalysis& a, const Args& args);

struct NetworkHoldout {
  int train_to = 0;
  int test_from = 0;
  int test_to = 0;
  size_t train_organisations = 0;
  size_t train_links = 0;
  size_t new_partnerships = 0;
  size_t evaluated_organisations = 0;
  size_t k = 0;
  uint64_t seed = 0;
  std::vector<network::HoldoutScore> methods;  // model, common_neighbours, random
};
POLES_JSON(NetworkHoldout, train_to, test_from, test_to, train_organisations, train_links,
           new_partnerships, evaluated_organisations, k, seed, methods)

// The recommender's temporal hold-out (network_holdout_params()): trained on the projects up to
// year=, tested on the new partnerships of the next horizon= years, with the filter's other
// restrictions. InvalidArgument without year=.
Result<NetworkHoldout> network_holdout(const snapshot::Snapshot& s, const Args& args);

}  // namespace poles::app
