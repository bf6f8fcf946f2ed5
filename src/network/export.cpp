#include "network/export.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <string>

#include "core/markup.h"

namespace poles::network {
namespace {

std::string csv_field(std::string_view in) {
  if (in.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(in);
  std::string out = "\"";
  for (char c : in) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

struct NodeAttr {
  const char* name;
  const char* type;  // GraphML type; GEXF maps string/int/double alike
};
constexpr NodeAttr kAttrs[] = {
    {"label", "string"},    {"kind", "string"},        {"region", "string"},
    {"sme", "boolean"},     {"degree", "int"},         {"strength", "double"},
    {"pagerank", "double"}, {"betweenness", "double"}, {"community", "int"}};

std::vector<std::string> node_values(const OrganisationColumns& orgs, const CoopGraph& g,
                                     const Metrics* m, size_t v) {
  std::vector<std::string> x;
  x.push_back(markup_escape(orgs.name(g.org[v])));
  x.emplace_back(orgs.kind(g.org[v]));
  x.emplace_back(orgs.region(g.org[v]));
  x.emplace_back(orgs.sme(g.org[v]) ? "true" : "false");
  x.push_back(std::to_string(g.adj_start[v + 1] - g.adj_start[v]));
  double strength = 0;
  for (int64_t i = g.adj_start[v]; i < g.adj_start[v + 1]; ++i)
    strength += g.weight[static_cast<size_t>(g.adj_edge[static_cast<size_t>(i)])];
  x.push_back(fmt::format("{:.17g}", strength));
  if (m != nullptr) {
    x.push_back(fmt::format("{:.17g}", m->pagerank[v]));
    x.push_back(m->betweenness.empty() ? "0" : fmt::format("{:.17g}", m->betweenness[v]));
    x.push_back(std::to_string(m->community[v]));
  }
  return x;
}

}  // namespace

Result<GraphFormat> parse_graph_format(std::string_view name) {
  if (name == "graphml") return GraphFormat::kGraphml;
  if (name == "gexf") return GraphFormat::kGexf;
  if (name == "csv") return GraphFormat::kCsv;
  return Status::invalid_argument(
      fmt::format("unknown graph format '{}': use graphml, gexf or csv", name));
}

void write_graph(std::ostream& out, GraphFormat format, const snapshot::Snapshot& s,
                 const CoopGraph& g, const Metrics* m) {
  const auto& org_table = s.table("organisation");
  const OrganisationColumns orgs(s);
  const size_t nattrs = m != nullptr ? std::size(kAttrs) : std::size(kAttrs) - 3;
  auto id = [&](int32_t v) {
    return markup_escape(org_table.key(static_cast<size_t>(g.org[static_cast<size_t>(v)])));
  };
  if (format == GraphFormat::kCsv) {
    out << "source,target,weight,projects\n";
    for (size_t e = 0; e < g.edges(); ++e) {
      fmt::print(
          out, "{},{},{:.17g},{}\n",
          csv_field(org_table.key(static_cast<size_t>(g.org[static_cast<size_t>(g.from[e])]))),
          csv_field(org_table.key(static_cast<size_t>(g.org[static_cast<size_t>(g.to[e])]))),
          g.weight[e], g.shared[e]);
    }
    return;
  }
  if (format == GraphFormat::kGraphml) {
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
           "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
           "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
           "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
    for (size_t a = 0; a < nattrs; ++a)
      fmt::print(out, "  <key id=\"v_{0}\" for=\"node\" attr.name=\"{0}\" attr.type=\"{1}\"/>\n",
                 kAttrs[a].name, kAttrs[a].type);
    out << "  <key id=\"e_weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
           "  <key id=\"e_projects\" for=\"edge\" attr.name=\"projects\" attr.type=\"int\"/>\n"
           "  <graph id=\"cooperation\" edgedefault=\"undirected\">\n";
    for (size_t v = 0; v < g.nodes(); ++v) {
      fmt::print(out, "    <node id=\"{}\">", id(static_cast<int32_t>(v)));
      const auto vals = node_values(orgs, g, m, v);
      for (size_t a = 0; a < nattrs; ++a)
        fmt::print(out, "<data key=\"v_{}\">{}</data>", kAttrs[a].name, vals[a]);
      out << "</node>\n";
    }
    for (size_t e = 0; e < g.edges(); ++e) {
      fmt::print(out,
                 "    <edge source=\"{}\" target=\"{}\"><data key=\"e_weight\">{:.17g}</data><data "
                 "key=\"e_projects\">{}</data></edge>\n",
                 id(g.from[e]), id(g.to[e]), g.weight[e], g.shared[e]);
    }
    out << "  </graph>\n</graphml>\n";
    return;
  }
  // GEXF 1.3: the label is a node attribute of its own, the rest are attvalues.
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
         "  <meta><creator>Pôles</creator><description>organisation co-participation graph (Newman "
         "weights)</description></meta>\n"
         "  <graph mode=\"static\" defaultedgetype=\"undirected\">\n    <attributes "
         "class=\"node\">\n";
  for (size_t a = 1; a < nattrs; ++a) {
    const std::string_view type = kAttrs[a].type;
    fmt::print(out, "      <attribute id=\"{}\" title=\"{}\" type=\"{}\"/>\n", a, kAttrs[a].name,
               type == "int" ? "integer" : type);
  }
  out << "    </attributes>\n    <attributes class=\"edge\"><attribute id=\"projects\" "
         "title=\"projects\" type=\"integer\"/></attributes>\n"
         "    <nodes>\n";
  for (size_t v = 0; v < g.nodes(); ++v) {
    const auto vals = node_values(orgs, g, m, v);
    fmt::print(out, "      <node id=\"{}\" label=\"{}\"><attvalues>", id(static_cast<int32_t>(v)),
               vals[0]);
    for (size_t a = 1; a < nattrs; ++a)
      fmt::print(out, "<attvalue for=\"{}\" value=\"{}\"/>", a, vals[a]);
    out << "</attvalues></node>\n";
  }
  out << "    </nodes>\n    <edges>\n";
  for (size_t e = 0; e < g.edges(); ++e) {
    fmt::print(
        out,
        "      <edge id=\"{}\" source=\"{}\" target=\"{}\" weight=\"{:.17g}\"><attvalues><attvalue "
        "for=\"projects\" value=\"{}\"/></attvalues></edge>\n",
        e, id(g.from[e]), id(g.to[e]), g.weight[e], g.shared[e]);
  }
  out << "    </edges>\n  </graph>\n</gexf>\n";
}

}  // namespace poles::network
