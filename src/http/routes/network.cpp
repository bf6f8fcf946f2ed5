// The cooperation network: one analysis per data version, filter and seed (cached), and the
// views of it; the graph as a file for Gephi.
#include "app/network.h"

#include <fmt/format.h>

#include "http/router.h"
#include "http/services.h"
#include "network/export.h"

namespace poles::http {

namespace {

// The analysis for the request's filter and seed.
Result<app::NetworkAnalysisPtr> analysis(Ctx& c) {
  POLES_ASSIGN_OR_RETURN(auto snap, c.snapshot());
  POLES_ASSIGN_OR_RETURN(auto filter, app::parse_network_filter(c.args.values()));
  return c.services.networks.get(snap, filter, static_cast<uint64_t>(c.args.integer("seed")));
}

template <class Fn>
void network_view(Ctx& c, Fn&& fn) {
  auto a = analysis(c);
  if (!a) return c.fail(a.error());
  auto v = fn(**a);
  if constexpr (requires { v.has_value(); }) {
    if (!v) return c.fail(v.error());
    c.reply(200, *v);
  } else {
    c.reply(200, v);
  }
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

app::ParamSpec limit(double most, const std::string& fallback) {
  return app::integer_param("limit", "Rows at most", 1, most, fallback);
}

}  // namespace

void add_network_routes(Router& r, Services&) {
  const auto get = [&r](const std::string& path, const std::string& summary,
                        const app::ParamSpecs& extra) {
    return r.get(path, summary, "network")
        .may(app::Action::kRead, "participation")
        .params(app::network_params(extra));
  };
  get("/api/v1/network/summary", "Size, connectivity, communities and most central organisations",
      {})
      .cached()
      .returns<tj::Json>()
      .handle(
          [](Ctx& c) { network_view(c, [](const auto& a) { return app::network_summary(a); }); });
  get("/api/v1/network/organisations", "Organisations with their metrics",
      {app::choice_param(
           "sort", "Metric to sort by (descending)",
           {"degree", "strength", "betweenness", "pagerank", "eigenvector", "clustering"},
           "pagerank"),
       limit(1000, "50"), app::integer_param("offset", "Rows skipped", 0, 1e9, "0")})
      .cached()
      .returns<tj::Json>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) {
          return app::network_organisations(a, c.args.text("sort"),
                                            static_cast<size_t>(c.args.integer("limit")),
                                            static_cast<size_t>(c.args.integer("offset")));
        });
      });
  get("/api/v1/network/communities", "Leiden communities", {limit(500, "20")})
      .cached()
      .returns<tj::Json>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) {
          return app::network_communities(a, static_cast<size_t>(c.args.integer("limit")));
        });
      });
  get("/api/v1/network/clusters", "Inter-cluster matrices and cooperation index", {})
      .cached()
      .returns<tj::Json>()
      .handle(
          [](Ctx& c) { network_view(c, [](const auto& a) { return app::network_clusters(a); }); });
  get("/api/v1/network/regions", "Interregional matrix", {})
      .cached()
      .returns<tj::Json>()
      .handle(
          [](Ctx& c) { network_view(c, [](const auto& a) { return app::network_regions(a); }); });
  get("/api/v1/network/sme", "SME integration per cluster", {})
      .cached()
      .returns<tj::Json>()
      .handle([](Ctx& c) { network_view(c, [](const auto& a) { return app::network_sme(a); }); });
  get("/api/v1/network/brokers", "Organisations bridging clusters", {limit(500, "20")})
      .cached()
      .returns<tj::Json>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) {
          return app::network_brokers(a, static_cast<size_t>(c.args.integer("limit")));
        });
      });
  get("/api/v1/network/what-if", "Connectivity if clusters were removed or merged",
      {app::list_param("remove", "Clusters removed (ids)"),
       app::text_param("merge", "Clusters merged: a+b, several groups separated by ';'")})
      .cached()
      .returns<tj::Json>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) -> Result<tj::Json> {
          network::WhatIf w;
          w.remove = c.args.list("remove");
          for (const auto& group : split(c.args.text("merge"), ';'))
            w.merge.push_back(split(group, '+'));
          if (w.remove.empty() && w.merge.empty())
            return Status::invalid_argument("give remove=a,b and/or merge=a+b");
          return app::network_what_if(a, w);
        });
      });
  get("/api/v1/network/ego/{organisation}", "An organisation's partners",
      {app::integer_param("radius", "Steps from the organisation", 1, 2, "1"), limit(2000, "200")})
      .cached()
      .returns<tj::Json>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) {
          return app::network_ego(a, c.path[0], c.args.integer("radius"),
                                  static_cast<size_t>(c.args.integer("limit")));
        });
      });
  get("/api/v1/network/recommend/{organisation}",
      "Partners to suggest to an organisation, with reasons", {limit(100, "10")})
      .cached()
      .returns<tj::Json>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) {
          return app::network_recommend(a, c.path[0], static_cast<size_t>(c.args.integer("limit")));
        });
      });
  get("/api/v1/network/recommend", "Organisations to invite to a project idea",
      {app::text_param("sector", "Sector of the idea (NAF division)"),
       app::list_param("themes", "Themes of the idea"),
       app::text_param("home", "Home region of the idea (INSEE code)"), limit(100, "10")})
      .cached()
      .returns<tj::Json>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) -> Result<tj::Json> {
          network::Recommender::Idea idea;
          idea.sector = c.args.text("sector");
          idea.themes = c.args.list("themes");
          idea.region = c.args.text("home");
          if (idea.sector.empty() && idea.themes.empty())
            return Status::invalid_argument("give sector= and/or themes=");
          return app::network_recommend_idea(a, idea, static_cast<size_t>(c.args.integer("limit")));
        });
      });
  get("/api/v1/network/graph", "The strongest organisations with positions for drawing",
      {limit(5000, "1500")})
      .cached()
      .returns<tj::Json>()
      .handle([](Ctx& c) {
        network_view(c, [&](const auto& a) {
          return app::network_drawing(a, static_cast<size_t>(c.args.integer("limit")));
        });
      });
  get("/api/v1/network/export", "The graph as GraphML, GEXF or CSV edges",
      {app::choice_param("format", "File format", {"graphml", "gexf", "csv"}, "graphml")})
      .returns_media(200, "application/xml", "GraphML or GEXF")
      .returns_media(200, "text/csv", "CSV edges (format=csv)")
      .handle([](Ctx& c) {
        auto format = network::parse_graph_format(c.args.text("format"));
        if (!format) return c.fail(format.error());
        auto a = analysis(c);
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
