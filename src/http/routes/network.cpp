// The cooperation network: one analysis per data version, filter and seed (cached), and the
// views of it; the graph as a file for Gephi.
#include "app/network.h"

#include <fmt/format.h>

#include <sstream>
#include <utility>

#include "http/router.h"
#include "http/services.h"
#include "network/export.h"

namespace poles::http {

namespace {

// Computes a view of the analysis for the request's filter and seed (cached), and writes it.
template <class Fn>
void network_view(Ctx& c, Fn&& fn) {
  auto snap = c.snapshot();
  if (!snap) return c.fail(snap.error());
  auto a = c.services.networks.get(*snap, c.args);
  if (!a) return c.fail(a.error());
  auto v = fn(**a);
  if constexpr (requires { v.has_value(); }) {
    if (!v) return c.fail(v.error());
    c.reply(200, *v);
  } else {
    c.reply(200, v);
  }
}

}  // namespace

void add_network_routes(Router& r, Services&) {
  const auto get = [&r](const std::string& path, const std::string& summary,
                        app::ParamSpecs params) {
    return r.get(path, summary, "network")
        .may(app::Action::kRead, "participation")
        .params(std::move(params))
        .cached();
  };
  get("/api/v1/network/summary", "Size, connectivity, communities and most central organisations",
      app::network_filter_params())
      .returns<app::NetworkSummary>()
      .handle(
          [](Ctx& c) { network_view(c, [](const auto& a) { return app::network_summary(a); }); });
  get("/api/v1/network/organisations", "Organisations with their metrics",
      app::network_organisations_params())
      .returns<app::NetworkOrganisationPage>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) { return app::network_organisations(a, c.args); });
      });
  get("/api/v1/network/communities", "Leiden communities", app::network_communities_params())
      .returns<app::NetworkCommunities>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) { return app::network_communities(a, c.args); });
      });
  get("/api/v1/network/clusters", "Inter-cluster matrices and cooperation index",
      app::network_filter_params())
      .returns<app::NetworkClusters>()
      .handle(
          [](Ctx& c) { network_view(c, [](const auto& a) { return app::network_clusters(a); }); });
  get("/api/v1/network/regions", "Interregional matrix", app::network_filter_params())
      .returns<app::NetworkRegions>()
      .handle(
          [](Ctx& c) { network_view(c, [](const auto& a) { return app::network_regions(a); }); });
  get("/api/v1/network/sme", "SME integration per cluster", app::network_filter_params())
      .returns<app::NetworkSme>()
      .handle([](Ctx& c) { network_view(c, [](const auto& a) { return app::network_sme(a); }); });
  get("/api/v1/network/brokers", "Organisations bridging clusters", app::network_brokers_params())
      .returns<app::NetworkBrokers>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) { return app::network_brokers(a, c.args); });
      });
  get("/api/v1/network/what-if", "Connectivity if clusters were removed or merged",
      app::network_what_if_params())
      .returns<app::NetworkWhatIf>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) { return app::network_what_if(a, c.args); });
      });
  get("/api/v1/network/ego/{organisation}", "An organisation's partners", app::network_ego_params())
      .returns<app::NetworkEgo>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) { return app::network_ego(a, c.path[0], c.args); });
      });
  get("/api/v1/network/recommend/{organisation}",
      "Partners to suggest to an organisation, with reasons", app::network_recommend_params())
      .returns<app::NetworkRecommendation>()
      .handle([](Ctx& c) {
        network_view(c,
                     [&](const auto& a) { return app::network_recommend(a, c.path[0], c.args); });
      });
  get("/api/v1/network/recommend", "Organisations to invite to a project idea",
      app::network_recommend_idea_params())
      .returns<app::NetworkIdeaRecommendation>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) { return app::network_recommend_idea(a, c.args); });
      });
  get("/api/v1/network/graph", "The strongest organisations with positions for drawing",
      app::network_drawing_params())
      .returns<network::NetworkDrawing>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) { return app::network_drawing(a, c.args); });
      });
  r.get("/api/v1/network/export", "The graph as GraphML, GEXF or CSV edges", "network")
      .may(app::Action::kRead, "participation")
      .params(app::network_export_params())
      .returns_media(200, "application/xml", "GraphML or GEXF")
      .returns_media(200, "text/csv", "CSV edges (format=csv)")
      .handle([](Ctx& c) {
        auto format = network::parse_graph_format(c.args.text("format"));
        if (!format) return c.fail(format.error());
        auto snap = c.snapshot();
        if (!snap) return c.fail(snap.error());
        auto a = c.services.networks.get(*snap, c.args);
        if (!a) return c.fail(a.error());
        std::ostringstream out;
        network::write_graph(out, *format, *(*a)->snapshot, (*a)->graph, &(*a)->metrics);
        const char* ext = *format == network::GraphFormat::kCsv    ? "csv"
                          : *format == network::GraphFormat::kGexf ? "gexf"
                                                                   : "graphml";
        c.res.set_header("Content-Disposition",
                         fmt::format("attachment; filename=\"cooperation.{}\"", ext));
        c.res.set(
            200,
            *format == network::GraphFormat::kCsv ? "text/csv; charset=utf-8" : "application/xml",
            out.str());
      });
}

}  // namespace poles::http
