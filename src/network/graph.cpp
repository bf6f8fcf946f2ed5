#include "network/graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "core/codes.h"
#include "core/date.h"

namespace poles::network {
namespace {

using snapshot::Column;
using snapshot::Snapshot;
using snapshot::Table;

int year_of_day(int64_t days) { return Date::from_days(days).year; }

// Region code of an organisation: its region, else its department's region; "" when unknown.
std::string_view region_of(const Column& region, const Column& dep, int32_t r) {
  const auto row = static_cast<size_t>(r);
  if (!region.is_null(row)) return region.text(row);
  if (!dep.is_null(row)) {
    if (const auto* d = codes::find_department(dep.text(row))) return d->region;
  }
  return {};
}

bool sme_of(const Column& kind, const Column& size_class, int32_t r) {
  const auto row = static_cast<size_t>(r);
  if (kind.text(row) != "company") return false;
  const std::string_view size = size_class.text(row);
  return size == "tpe" || size == "pme";
}

std::vector<std::string> cluster_labels(const Table& clusters) {
  std::vector<std::string> ids;
  for (size_t c = 0; c < clusters.rows; ++c) ids.emplace_back(clusters.key(c));
  return ids;
}

std::vector<std::string> cluster_names(const Table& clusters) {
  std::vector<std::string> out;
  const Column& acronym = clusters.column("acronym");
  const Column& name = clusters.column("name");
  for (size_t c = 0; c < clusters.rows; ++c)
    out.emplace_back(acronym.is_null(c) ? name.text(c) : acronym.text(c));
  return out;
}

}  // namespace

int project_year(const Snapshot& s, int32_t p) {
  const Column& start = s.table("project").column("start_date");
  if (!start.is_null(static_cast<size_t>(p)))
    return year_of_day(start.ints[static_cast<size_t>(p)]);
  // Earliest label: scan is fine, labels per project are few and this is a fallback.
  const Table& labels = s.table("project_label");
  const Column& lp = labels.column("project_id");
  const Column& ld = labels.column("date");
  int year = 0;
  for (size_t r = 0; r < labels.rows; ++r) {
    if (lp.codes[r] != p || ld.is_null(r)) continue;
    const int y = year_of_day(ld.ints[r]);
    if (year == 0 || y < year) year = y;
  }
  return year;
}

Result<std::vector<int32_t>> select_projects(const Snapshot& s, const Filter& f) {
  const Table& projects = s.table("project");
  std::vector<uint8_t> keep(projects.rows, 1);
  // Years: start date, else earliest label (computed in one pass over the labels).
  if (f.from_year != 0 || f.to_year != 0) {
    if (f.from_year != 0 && f.to_year != 0 && f.to_year < f.from_year) {
      return Status::invalid_argument(
          fmt::format("the period ends ({}) before it starts ({})", f.to_year, f.from_year));
    }
    std::vector<int> year(projects.rows, 0);
    const Column& start = projects.column("start_date");
    for (size_t p = 0; p < projects.rows; ++p) {
      if (!start.is_null(p)) year[p] = year_of_day(start.ints[p]);
    }
    const Table& labels = s.table("project_label");
    const Column& lp = labels.column("project_id");
    const Column& ld = labels.column("date");
    for (size_t r = 0; r < labels.rows; ++r) {
      const auto p = static_cast<size_t>(lp.codes[r]);
      if (!start.is_null(p) || ld.is_null(r)) continue;
      const int y = year_of_day(ld.ints[r]);
      if (year[p] == 0 || y < year[p]) year[p] = y;
    }
    for (size_t p = 0; p < projects.rows; ++p) {
      if (year[p] == 0 || (f.from_year != 0 && year[p] < f.from_year) ||
          (f.to_year != 0 && year[p] > f.to_year))
        keep[p] = 0;
    }
  }
  if (!f.programmes.empty()) {
    const Column& prog = projects.column("programme");
    std::vector<int32_t> wanted;
    for (const auto& name : f.programmes) {
      const int32_t code = prog.code_of(name);
      if (s.table("programme").find(name) < 0) {
        return Status::invalid_argument(fmt::format("unknown programme '{}'", name));
      }
      wanted.push_back(code);
    }
    for (size_t p = 0; p < projects.rows; ++p) {
      if (std::find(wanted.begin(), wanted.end(), prog.codes[p]) == wanted.end()) keep[p] = 0;
    }
  }
  if (!f.clusters.empty()) {
    const Table& clusters = s.table("cluster");
    std::vector<uint8_t> wanted(clusters.rows, 0);
    for (const auto& id : f.clusters) {
      const int32_t c = clusters.find(id);
      if (c < 0) return Status::not_found(fmt::format("no cluster '{}'", id));
      wanted[static_cast<size_t>(c)] = 1;
    }
    std::vector<uint8_t> labelled(projects.rows, 0);
    const Table& labels = s.table("project_label");
    const Column& lp = labels.column("project_id");
    const Column& lc = labels.column("cluster_id");
    for (size_t r = 0; r < labels.rows; ++r) {
      if (wanted[static_cast<size_t>(lc.codes[r])]) labelled[static_cast<size_t>(lp.codes[r])] = 1;
    }
    for (size_t p = 0; p < projects.rows; ++p) keep[p] &= labelled[p];
  }
  if (!f.region.empty()) {
    if (codes::find_region(f.region) == nullptr)
      return Status::invalid_argument(fmt::format("unknown INSEE region code '{}'", f.region));
    const OrganisationColumns orgs(s);
    const Table& parts = s.table("participation");
    const Column& pp = parts.column("project_id");
    const Column& po = parts.column("organisation_id");
    std::vector<uint8_t> here(projects.rows, 0);
    for (size_t r = 0; r < parts.rows; ++r) {
      if (orgs.region(po.codes[r]) == f.region) here[static_cast<size_t>(pp.codes[r])] = 1;
    }
    for (size_t p = 0; p < projects.rows; ++p) keep[p] &= here[p];
  }
  std::vector<int32_t> rows;
  for (size_t p = 0; p < projects.rows; ++p) {
    if (keep[p]) rows.push_back(static_cast<int32_t>(p));
  }
  return rows;
}

int64_t CoopGraph::edge_between(int32_t a, int32_t b) const {
  const auto begin = adj_node.begin() + adj_start[static_cast<size_t>(a)];
  const auto end = adj_node.begin() + adj_start[static_cast<size_t>(a) + 1];
  const auto it = std::lower_bound(begin, end, b);
  if (it == end || *it != b) return -1;
  return adj_edge[static_cast<size_t>(it - adj_node.begin())];
}

CoopGraph build_cooperation(const Snapshot& s, std::vector<int32_t> project_rows) {
  CoopGraph g;
  g.projects = std::move(project_rows);
  const Table& projects = s.table("project");
  const Table& orgs = s.table("organisation");
  const Table& parts = s.table("participation");
  const Column& pp = parts.column("project_id");
  const Column& po = parts.column("organisation_id");

  // Participants of each kept project (participation rows are grouped by nothing in particular).
  std::vector<int32_t> slot(projects.rows, -1);
  for (size_t i = 0; i < g.projects.size(); ++i)
    slot[static_cast<size_t>(g.projects[i])] = static_cast<int32_t>(i);
  std::vector<int32_t> count(g.projects.size() + 1, 0);
  for (size_t r = 0; r < parts.rows; ++r) {
    const int32_t k = slot[static_cast<size_t>(pp.codes[r])];
    if (k >= 0) ++count[static_cast<size_t>(k) + 1];
  }
  std::partial_sum(count.begin(), count.end(), count.begin());
  std::vector<int32_t> members(static_cast<size_t>(count.back()));
  {
    std::vector<int32_t> fill(count.begin(), count.end() - 1);
    for (size_t r = 0; r < parts.rows; ++r) {
      const int32_t k = slot[static_cast<size_t>(pp.codes[r])];
      if (k >= 0) members[static_cast<size_t>(fill[static_cast<size_t>(k)]++)] = po.codes[r];
    }
  }
  // Nodes in organisation-row order, so node numbering does not depend on the filter's order.
  g.node_of.assign(orgs.rows, -1);
  std::vector<uint8_t> present(orgs.rows, 0);
  for (int32_t o : members) present[static_cast<size_t>(o)] = 1;
  for (size_t o = 0; o < orgs.rows; ++o) {
    if (!present[o]) continue;
    g.node_of[o] = static_cast<int32_t>(g.org.size());
    g.org.push_back(static_cast<int32_t>(o));
  }
  g.participations.assign(g.org.size(), 0);
  for (int32_t& o : members) {
    o = g.node_of[static_cast<size_t>(o)];
    ++g.participations[static_cast<size_t>(o)];
  }

  // Every pair of every project as one 64-bit key, then sort and merge equal pairs.
  struct Pair {
    uint64_t key;
    double w;
  };
  size_t pairs = 0;
  for (size_t k = 0; k < g.projects.size(); ++k) {
    const auto n = static_cast<size_t>(count[k + 1] - count[k]);
    pairs += n * (n - 1) / 2;
  }
  std::vector<Pair> all;
  all.reserve(pairs);
  for (size_t k = 0; k < g.projects.size(); ++k) {
    auto* first = members.data() + count[k];
    auto* last = members.data() + count[k + 1];
    std::sort(first, last);
    const auto n = last - first;
    if (n < 2) continue;
    const double w = 1.0 / static_cast<double>(n - 1);
    for (auto* a = first; a != last; ++a) {
      for (auto* b = a + 1; b != last; ++b)
        all.push_back({(static_cast<uint64_t>(*a) << 32) | static_cast<uint32_t>(*b), w});
    }
  }
  std::sort(all.begin(), all.end(), [](const Pair& x, const Pair& y) { return x.key < y.key; });
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    double w = 0;
    while (j < all.size() && all[j].key == all[i].key) w += all[j++].w;
    g.from.push_back(static_cast<int32_t>(all[i].key >> 32));
    g.to.push_back(static_cast<int32_t>(all[i].key & 0xffffffffU));
    g.weight.push_back(w);
    g.shared.push_back(static_cast<int32_t>(j - i));
    i = j;
  }
  // CSR adjacency, neighbours ascending: edges are sorted by (from, to), so filling "to" lists in
  // edge order and "from" lists in edge order keeps each list sorted once both halves are merged.
  const size_t n = g.org.size();
  g.adj_start.assign(n + 1, 0);
  for (size_t e = 0; e < g.edges(); ++e) {
    ++g.adj_start[static_cast<size_t>(g.from[e]) + 1];
    ++g.adj_start[static_cast<size_t>(g.to[e]) + 1];
  }
  std::partial_sum(g.adj_start.begin(), g.adj_start.end(), g.adj_start.begin());
  g.adj_node.resize(2 * g.edges());
  g.adj_edge.resize(2 * g.edges());
  std::vector<int64_t> fill(g.adj_start.begin(), g.adj_start.end() - 1);
  // Neighbours smaller than v come from edges (u, v) with u < v: in edge order their u ascend
  // only per v; collect them first, then the larger ones, which edge order gives ascending.
  for (size_t e = 0; e < g.edges(); ++e) {
    const auto v = static_cast<size_t>(g.to[e]);
    g.adj_node[static_cast<size_t>(fill[v])] = g.from[e];
    g.adj_edge[static_cast<size_t>(fill[v]++)] = static_cast<int32_t>(e);
  }
  for (size_t e = 0; e < g.edges(); ++e) {
    const auto u = static_cast<size_t>(g.from[e]);
    g.adj_node[static_cast<size_t>(fill[u])] = g.to[e];
    g.adj_edge[static_cast<size_t>(fill[u]++)] = static_cast<int32_t>(e);
  }
  return g;
}

std::vector<std::vector<int32_t>> project_members(const Snapshot& s, const CoopGraph& g) {
  const Table& parts = s.table("participation");
  const Column& pp = parts.column("project_id");
  const Column& po = parts.column("organisation_id");
  std::vector<int32_t> slot(s.table("project").rows, -1);
  for (size_t i = 0; i < g.projects.size(); ++i)
    slot[static_cast<size_t>(g.projects[i])] = static_cast<int32_t>(i);
  std::vector<std::vector<int32_t>> out(g.projects.size());
  for (size_t r = 0; r < parts.rows; ++r) {
    const int32_t k = slot[static_cast<size_t>(pp.codes[r])];
    if (k >= 0) out[static_cast<size_t>(k)].push_back(g.node_of[static_cast<size_t>(po.codes[r])]);
  }
  for (auto& m : out) std::sort(m.begin(), m.end());
  return out;
}

std::vector<std::vector<int32_t>> memberships_by_org(const Snapshot& s, int up_to_year) {
  const Table& m = s.table("membership");
  const Column& mo = m.column("organisation_id");
  const Column& mc = m.column("cluster_id");
  const Column& start = m.column("start_date");
  std::vector<std::vector<int32_t>> out(s.table("organisation").rows);
  for (size_t r = 0; r < m.rows; ++r) {
    if (up_to_year != 0 && year_of_day(start.ints[r]) > up_to_year) continue;
    out[static_cast<size_t>(mo.codes[r])].push_back(mc.codes[r]);
  }
  for (auto& v : out) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  return out;
}

std::vector<std::vector<int32_t>> labels_by_project(const Snapshot& s) {
  const Table& labels = s.table("project_label");
  const Column& lp = labels.column("project_id");
  const Column& lc = labels.column("cluster_id");
  std::vector<std::vector<int32_t>> out(s.table("project").rows);
  for (size_t r = 0; r < labels.rows; ++r)
    out[static_cast<size_t>(lp.codes[r])].push_back(lc.codes[r]);
  for (auto& v : out) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  return out;
}

OrganisationColumns::OrganisationColumns(const Snapshot& s)
    : orgs_(s.table("organisation")),
      name_(orgs_.column("name")),
      kind_(orgs_.column("kind")),
      region_(orgs_.column("region")),
      department_(orgs_.column("department")),
      size_class_(orgs_.column("size_class")) {}

std::string_view OrganisationColumns::id(int32_t r) const {
  return orgs_.key(static_cast<size_t>(r));
}
std::string_view OrganisationColumns::name(int32_t r) const {
  return name_.text(static_cast<size_t>(r));
}
std::string_view OrganisationColumns::kind(int32_t r) const {
  return kind_.text(static_cast<size_t>(r));
}
std::string_view OrganisationColumns::region(int32_t r) const {
  return region_of(region_, department_, r);
}
bool OrganisationColumns::sme(int32_t r) const { return sme_of(kind_, size_class_, r); }

ClusterLinks cluster_links(const Snapshot& s, const CoopGraph& g) {
  const Table& clusters = s.table("cluster");
  const size_t nc = clusters.rows;
  ClusterLinks out;
  for (Matrix* m : {&out.co_labelled, &out.shared_members, &out.cross_partners}) {
    m->labels = cluster_labels(clusters);
    m->names = cluster_names(clusters);
    m->values.assign(nc * nc, 0.0);
  }
  out.cooperation_index.assign(nc, 0.0);
  out.projects.assign(nc, 0);
  const auto member_of = memberships_by_org(s);
  const auto labels = labels_by_project(s);
  // Shared members: organisations with a participation in a kept project (the graph's nodes)
  // and every organisation of the registry count alike — membership is not about projects.
  for (const auto& cs : member_of) {
    for (size_t i = 0; i < cs.size(); ++i) {
      for (size_t j = i; j < cs.size(); ++j) {
        const auto a = static_cast<size_t>(cs[i]), b = static_cast<size_t>(cs[j]);
        out.shared_members.values[a * nc + b] += 1;
        if (a != b) out.shared_members.values[b * nc + a] += 1;
      }
    }
  }
  const auto members = project_members(s, g);
  std::vector<int32_t> inter(nc, 0);
  for (size_t k = 0; k < g.projects.size(); ++k) {
    const auto& ls = labels[static_cast<size_t>(g.projects[k])];
    for (size_t i = 0; i < ls.size(); ++i) {
      const auto a = static_cast<size_t>(ls[i]);
      ++out.projects[a];
      for (size_t j = i; j < ls.size(); ++j) {
        const auto b = static_cast<size_t>(ls[j]);
        out.co_labelled.values[a * nc + b] += 1;
        if (a != b) out.co_labelled.values[b * nc + a] += 1;
      }
    }
    // Partners across clusters: participants that are members of a cluster not labelling p.
    for (int32_t a : ls) {
      bool crosses = ls.size() > 1;
      for (int32_t node : members[k]) {
        const auto& cs = member_of[static_cast<size_t>(g.org[static_cast<size_t>(node)])];
        if (std::binary_search(cs.begin(), cs.end(), a)) continue;
        for (int32_t b : cs) {
          if (std::binary_search(ls.begin(), ls.end(), b)) continue;
          crosses = true;
          out.cross_partners.values[static_cast<size_t>(a) * nc + static_cast<size_t>(b)] += 1;
          out.cross_partners.values[static_cast<size_t>(b) * nc + static_cast<size_t>(a)] += 1;
        }
      }
      if (crosses) ++inter[static_cast<size_t>(a)];
    }
  }
  for (size_t c = 0; c < nc; ++c) {
    out.cooperation_index[c] =
        out.projects[c] == 0 ? 0.0 : static_cast<double>(inter[c]) / out.projects[c];
  }
  return out;
}

RegionLinks region_links(const Snapshot& s, const CoopGraph& g) {
  const auto regions = codes::regions();
  const size_t nr = regions.size();
  RegionLinks out;
  for (const auto& r : regions) {
    out.projects.labels.emplace_back(r.code);
    out.projects.names.emplace_back(r.name);
  }
  out.projects.values.assign(nr * nr, 0.0);
  std::map<std::string_view, size_t> index;
  for (size_t i = 0; i < nr; ++i) index[regions[i].code] = i;
  const OrganisationColumns orgs(s);
  std::vector<int32_t> node_region(g.nodes(), -1);
  for (size_t v = 0; v < g.nodes(); ++v) {
    const auto it = index.find(orgs.region(g.org[v]));
    if (it != index.end()) node_region[v] = static_cast<int32_t>(it->second);
  }
  std::vector<int32_t> total(nr, 0), spanning(nr, 0);
  for (const auto& m : project_members(s, g)) {
    std::vector<int32_t> rs;
    for (int32_t v : m) {
      if (node_region[static_cast<size_t>(v)] >= 0)
        rs.push_back(node_region[static_cast<size_t>(v)]);
    }
    std::sort(rs.begin(), rs.end());
    rs.erase(std::unique(rs.begin(), rs.end()), rs.end());
    for (size_t i = 0; i < rs.size(); ++i) {
      const auto a = static_cast<size_t>(rs[i]);
      ++total[a];
      if (rs.size() > 1) ++spanning[a];
      if (rs.size() == 1) out.projects.values[a * nr + a] += 1;
      for (size_t j = i + 1; j < rs.size(); ++j) {
        const auto b = static_cast<size_t>(rs[j]);
        out.projects.values[a * nr + b] += 1;
        out.projects.values[b * nr + a] += 1;
      }
    }
  }
  for (size_t i = 0; i < nr; ++i)
    out.interregional_share.push_back(total[i] == 0 ? 0.0
                                                    : static_cast<double>(spanning[i]) / total[i]);
  return out;
}

}  // namespace poles::network
