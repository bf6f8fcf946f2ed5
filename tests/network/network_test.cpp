// The network engine on small hand-made snapshots, where every number can be worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "eco.h"
#include "network/analysis.h"
#include "network/export.h"
#include "network/graph.h"
#include "network/metrics.h"
#include "network/recommend.h"
#include "network/views.h"

// Designated initializers leave the other members at their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace poles::network {
namespace {

using snapshot::SnapshotPtr;
using testing_support::Eco;

// Two clusters: A (Occitanie, 76) with a1 a2 a3, B (Bretagne, 53) with b1 b2; x is a lab member
// of both. Projects: p1 {a1 a2 a3} by A (2015), p2 {a1 b1} by A and B (2016), p3 {b1 b2 x} by B
// (2017), p4 {a3 b2} by A (2019), p5 {a1 a2} by A (2019, H2020).
SnapshotPtr fixture() {
  Eco e;
  e.cluster("A", "76").cluster("B", "53");
  e.org("a1", "company", "76", "pme", "26.11Z")
      .org("a2", "company", "76", "ge", "26.30Z")
      .org("a3", "research", "76");
  e.org("b1", "company", "53", "tpe", "62.01Z")
      .org("b2", "company", "53", "eti", "62.02A")
      .org("x", "research", "11");
  e.member("a1", "A")
      .member("a2", "A")
      .member("a3", "A")
      .member("b1", "B")
      .member("b2", "B")
      .member("x", "A")
      .member("x", "B");
  e.project("p1", 2015, {"A"}, {"a1", "a2", "a3"});
  e.project("p2", 2016, {"A", "B"}, {"a1", "b1"});
  e.project("p3", 2017, {"B"}, {"b1", "b2", "x"});
  e.project("p4", 2019, {"A"}, {"a3", "b2"});
  e.project("p5", 2019, {"A"}, {"a1", "a2"}, "H2020");
  return e.build();
}

int32_t node(const snapshot::Snapshot& s, const CoopGraph& g, const std::string& id) {
  return g.node_of[static_cast<size_t>(s.table("organisation").find(id))];
}

double weight(const snapshot::Snapshot& s, const CoopGraph& g, const std::string& a,
              const std::string& b) {
  const int64_t e = g.edge_between(node(s, g, a), node(s, g, b));
  return e < 0 ? 0.0 : g.weight[static_cast<size_t>(e)];
}

TEST(NetworkGraph, NewmanWeightsByHand) {
  auto s = fixture();
  auto g = build_cooperation(*s, Filter{});
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->nodes(), 6u);
  // p1: 3 pairs of 1/2; p2: 1; p3: 3 pairs of 1/2; p4: 1; p5: 1.  a1-a2 share p1 and p5.
  EXPECT_EQ(g->edges(), 8u);
  EXPECT_DOUBLE_EQ(weight(*s, *g, "a1", "a2"), 0.5 + 1.0);
  EXPECT_EQ(g->shared[static_cast<size_t>(g->edge_between(node(*s, *g, "a1"), node(*s, *g, "a2")))],
            2);
  EXPECT_DOUBLE_EQ(weight(*s, *g, "a1", "a3"), 0.5);
  EXPECT_DOUBLE_EQ(weight(*s, *g, "a1", "b1"), 1.0);
  EXPECT_DOUBLE_EQ(weight(*s, *g, "b2", "x"), 0.5);
  EXPECT_DOUBLE_EQ(weight(*s, *g, "a2", "b1"), 0.0);
  // Adjacency is symmetric and sorted.
  for (size_t v = 0; v < g->nodes(); ++v) {
    for (int64_t i = g->adj_start[v]; i + 1 < g->adj_start[v + 1]; ++i)
      EXPECT_LT(g->adj_node[static_cast<size_t>(i)], g->adj_node[static_cast<size_t>(i) + 1]);
    for (int64_t i = g->adj_start[v]; i < g->adj_start[v + 1]; ++i) {
      EXPECT_GE(g->edge_between(g->adj_node[static_cast<size_t>(i)], static_cast<int32_t>(v)), 0);
    }
  }
  // Newman's property: strength = projects with at least one partner.
  auto m = compute_metrics(*g);
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  EXPECT_DOUBLE_EQ(m->strength[static_cast<size_t>(node(*s, *g, "a1"))], 3.0);
  EXPECT_EQ(m->degree[static_cast<size_t>(node(*s, *g, "a1"))], 3);
}

TEST(NetworkGraph, FiltersByYearsClusterProgrammeRegion) {
  auto s = fixture();
  auto count = [&](Filter f) {
    auto rows = select_projects(*s, f);
    EXPECT_TRUE(rows.has_value()) << rows.error().to_string();
    return rows.has_value() ? rows->size() : 0u;
  };
  EXPECT_EQ(count({.from_year = 2016, .to_year = 2017}), 2u);
  EXPECT_EQ(count({.clusters = {"B"}}), 2u);
  EXPECT_EQ(count({.programmes = {"H2020"}}), 1u);
  EXPECT_EQ(count({.region = "53"}), 3u);  // p2, p3, p4 have a Breton participant
  EXPECT_EQ(count({.region = "11"}), 1u);
  EXPECT_FALSE(select_projects(*s, {.clusters = {"nope"}}).has_value());
  EXPECT_FALSE(select_projects(*s, {.programmes = {"XYZ"}}).has_value());
  EXPECT_FALSE(select_projects(*s, {.region = "99"}).has_value());
  EXPECT_FALSE(select_projects(*s, {.from_year = 2020, .to_year = 2010}).has_value());
  // The region filter keeps the outside partners of the region's projects.
  auto g = build_cooperation(*s, Filter{.region = "11"});
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->nodes(), 3u);
}

TEST(NetworkGraph, ClusterAndRegionLinks) {
  auto s = fixture();
  auto g = build_cooperation(*s, Filter{});
  ASSERT_TRUE(g.has_value());
  const auto links = cluster_links(*s, *g);
  // A labels p1 p2 p4 p5, B labels p2 p3; co-labelled: p2.
  EXPECT_EQ(links.projects, (std::vector<int32_t>{4, 2}));
  EXPECT_EQ(links.co_labelled.at(0, 1), 1);
  EXPECT_EQ(links.co_labelled.at(0, 0), 4);
  EXPECT_EQ(links.shared_members.at(0, 1), 1);  // x
  EXPECT_EQ(links.shared_members.at(0, 0), 4);
  // Cross partners: b2 (member of B only) in p4 labelled by A only -> (A,B) += 1. x in p3
  // (labelled by B) is a member of B itself: not a partner from outside. p2 is labelled by both.
  EXPECT_EQ(links.cross_partners.at(0, 1), 1);
  EXPECT_EQ(links.cross_partners.at(1, 0), 1);
  // A: p2 (co-labelled), p4 (b2) are inter-cluster among 4; B: p2 among 2.
  EXPECT_DOUBLE_EQ(links.cooperation_index[0], 0.5);
  EXPECT_DOUBLE_EQ(links.cooperation_index[1], 0.5);

  const auto regions = region_links(*s, *g);
  auto idx = [&](const std::string& code) {
    return static_cast<size_t>(
        std::find(regions.projects.labels.begin(), regions.projects.labels.end(), code) -
        regions.projects.labels.begin());
  };
  // p1, p5 all in 76; p2, p4 join 76 and 53; p3 joins 53 and 11.
  EXPECT_EQ(regions.projects.at(idx("76"), idx("76")), 2);
  EXPECT_EQ(regions.projects.at(idx("76"), idx("53")), 2);
  EXPECT_EQ(regions.projects.at(idx("53"), idx("11")), 1);
  EXPECT_DOUBLE_EQ(regions.interregional_share[idx("76")], 0.5);
  EXPECT_DOUBLE_EQ(regions.interregional_share[idx("53")], 1.0);
}

// Paths of at most 2 links: on the path a - b - c - d - e only (a, c), (b, d), (c, e) count, one
// shortest path each: b, c, d get 1. A square a - b - c - d - a: (a, c) has two shortest paths,
// through b and d; (b, d) two, through a and c: every node gets 1/2 + 0 … = 0.5.
// The graph of organisations `names` linked by one two-partner project per consecutive pair (and
// the last with the first when `closed`).
CoopGraph chain(const std::vector<std::string>& names, bool closed) {
  Eco e;
  for (const auto& o : names) e.org(o, "research", "11");
  for (size_t i = 0; i + 1 < names.size() + (closed ? 1 : 0); ++i) {
    e.project("p" + std::to_string(i), 2015, {}, {names[i], names[(i + 1) % names.size()]});
  }
  auto s = e.build();
  auto g = build_cooperation(*s, Filter{});
  EXPECT_TRUE(g.has_value());
  return *g;
}

TEST(NetworkMetrics, BetweennessWithinTwoLinks) {
  const auto path = chain({"a", "b", "c", "d", "e"}, false);
  const auto* g = &path;
  auto b = betweenness_within(*g, 2);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*b, (std::vector<double>{0, 1, 1, 1, 0}));
  auto b3 = betweenness_within(*g, 3);  // igraph: adds (a, d) and (b, e)
  ASSERT_TRUE(b3.has_value());
  EXPECT_EQ(*b3, (std::vector<double>{0, 2, 3, 2, 0}));
  auto b2 = betweenness_within(chain({"a", "b", "c", "d"}, true), 2);
  ASSERT_TRUE(b2.has_value());
  EXPECT_EQ(*b2, (std::vector<double>{0.5, 0.5, 0.5, 0.5}));
}

// A path a - b - c - d - e: betweenness 0, 3, 4, 3, 0; the sampled estimate with every source
// is the exact value.
TEST(NetworkMetrics, BetweennessExactAndSampled) {
  const auto path = chain({"a", "b", "c", "d", "e"}, false);
  const auto* g = &path;
  auto exact = betweenness(*g, 0, 1);
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(exact->first, (std::vector<double>{0, 3, 4, 3, 0}));
  // 4 of 5 sources, one per batch, each estimating n/2 · Σ_t δ_st(v). The per-source sums of
  // dependencies are 6, 3, 2, 3, 6 (a..e), so the total lies in [8.75, 11.25] whichever source is
  // left out (and would be half that if the scale were wrong).
  auto sampled = betweenness(*g, 4, 7);
  ASSERT_TRUE(sampled.has_value());
  double total = 0;
  for (double x : sampled->first) total += x;
  EXPECT_GT(total, 0);
  EXPECT_GT(sampled->second[2], 0.0);
  EXPECT_GE(total, 8.75 - 1e-9);
  EXPECT_LE(total, 11.25 + 1e-9);
  auto m = compute_metrics(*g, {.exact_betweenness_max_nodes = 2, .sample_sources = 3});
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m->betweenness_exact);
  EXPECT_EQ(m->betweenness_sources, 3);
  auto m2 = compute_metrics(*g);
  ASSERT_TRUE(m2.has_value());
  EXPECT_TRUE(m2->betweenness_exact);
  EXPECT_EQ(m2->clustering, (std::vector<double>{0, 0, 0, 0, 0}));
}

// Two triangles of two-partner projects joined by one more: Leiden finds the two triangles,
// whatever the seed; same seed, same partition.
TEST(NetworkMetrics, LeidenFindsTwoTrianglesDeterministically) {
  Eco e;
  for (const char* o : {"a", "b", "c", "d", "e", "f"}) e.org(o, "research", "11");
  e.project("ab", 2015, {}, {"a", "b"})
      .project("bc", 2015, {}, {"b", "c"})
      .project("ac", 2015, {}, {"a", "c"});
  e.project("de", 2015, {}, {"d", "e"})
      .project("ef", 2015, {}, {"e", "f"})
      .project("df", 2015, {}, {"d", "f"});
  e.project("cd", 2015, {}, {"c", "d"});
  auto s = e.build();
  auto g = build_cooperation(*s, Filter{});
  ASSERT_TRUE(g.has_value());
  for (uint64_t seed : {1u, 2u, 42u}) {
    auto m = compute_metrics(*g, {.seed = seed});
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->communities, 2);
    EXPECT_EQ(m->community[0], m->community[1]);
    EXPECT_EQ(m->community[1], m->community[2]);
    EXPECT_NE(m->community[2], m->community[3]);
    EXPECT_EQ(m->seed, seed);
    // Modularity by hand: total weight 7; each triangle holds 3 inside and strength 2+2+3 = 7:
    // Q = 2 · (3/7 − (7/14)²) = 5/14.
    EXPECT_NEAR(m->modularity, 5.0 / 14.0, 1e-12);
  }
  // Clustering: a in a full triangle (1); c has neighbours a, b, d with one link among them.
  auto m = compute_metrics(*g);
  ASSERT_TRUE(m.has_value());
  EXPECT_DOUBLE_EQ(m->clustering[0], 1.0);
  EXPECT_NEAR(m->clustering[2], 1.0 / 3.0, 1e-15);
}

TEST(NetworkAnalysis, BrokersAndSmeIntegration) {
  auto s = fixture();
  auto g = build_cooperation(*s, Filter{});
  ASSERT_TRUE(g.has_value());
  auto m = compute_metrics(*g);
  ASSERT_TRUE(m.has_value());
  // Nobody's partners span two clusters it is not in (x is in both, others in one of two).
  EXPECT_TRUE(brokers(*s, *g, *m, 10).empty());
  const auto sme = sme_integration(*s, *g, *m);
  ASSERT_EQ(sme.size(), 3u);
  // Cluster A's projects p1 p2 p4 p5: participants a1 a2 a3 b1 b2; SMEs a1 (pme), b1 (tpe).
  EXPECT_EQ(sme[0].organisations, 5);
  EXPECT_DOUBLE_EQ(sme[0].sme_share, 2.0 / 5.0);
  // Coordinators of A's projects: a1 (p1), a1 (p2), a3 (p4), a1 (p5): 3 of 4 are SMEs.
  EXPECT_DOUBLE_EQ(sme[0].coordinator_sme_share, 0.75);
  EXPECT_EQ(sme[2].cluster, -1);
  EXPECT_EQ(sme[2].organisations, 6);
  EXPECT_GT(sme[2].centrality_ratio, 0);
}

TEST(NetworkAnalysis, WhatIfRemovingAndMerging) {
  auto s = fixture();
  auto rows = select_projects(*s, Filter{});
  ASSERT_TRUE(rows.has_value());
  // Removing B drops p3 only (p2 is also labelled by A): b2 keeps a3 (p4), x loses everyone.
  auto r = what_if(*s, *rows, {.remove = {"B"}});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->projects_lost, 1);
  EXPECT_EQ(r->before.projects, 5);
  EXPECT_EQ(r->after.projects, 4);
  EXPECT_EQ(r->organisations_isolated, 1);
  EXPECT_EQ(r->before.org_graph.components, 1u);
  EXPECT_EQ(r->after.org_graph.nodes, 5u);
  EXPECT_EQ(r->after.clusters, 1);
  // Merging A and B: every project becomes intra-cluster.
  auto merged = what_if(*s, *rows, {.merge = {{"A", "B"}}});
  ASSERT_TRUE(merged.has_value());
  EXPECT_EQ(merged->before.cluster_links, 1);
  EXPECT_GT(merged->before.inter_cluster_share, 0);
  EXPECT_EQ(merged->after.cluster_links, 0);
  EXPECT_EQ(merged->after.inter_cluster_share, 0);
  EXPECT_EQ(merged->after.clusters, 1);
  EXPECT_EQ(merged->projects_lost, 0);
  EXPECT_FALSE(what_if(*s, *rows, {.remove = {"Z"}}).has_value());
  EXPECT_FALSE(what_if(*s, *rows, {.merge = {{"A"}}}).has_value());
}

TEST(NetworkAnalysis, EgoNetwork) {
  auto s = fixture();
  auto g = build_cooperation(*s, Filter{});
  ASSERT_TRUE(g.has_value());
  const int32_t a1 = node(*s, *g, "a1");
  auto ego = ego_network(*g, a1, 1, 100);
  ASSERT_EQ(ego.nodes.size(), 4u);  // a1, a2, a3, b1
  EXPECT_EQ(ego.nodes[0], a1);
  EXPECT_EQ(ego.nodes[1], node(*s, *g, "a2"));  // strongest tie first (1.5)
  EXPECT_EQ(ego.edges.size(), 4u);              // a1-a2, a1-a3, a1-b1, a2-a3
  auto two = ego_network(*g, a1, 2, 100);
  EXPECT_EQ(two.nodes.size(), 6u);
  auto capped = ego_network(*g, a1, 2, 3);
  EXPECT_EQ(capped.nodes.size(), 3u);
  EXPECT_TRUE(capped.truncated);
}

TEST(NetworkRecommend, ExcludesPartnersAndGivesReasons) {
  auto s = fixture();
  auto g = build_cooperation(*s, Filter{});
  ASSERT_TRUE(g.has_value());
  Recommender rec(*s, *g);
  const int32_t a1 = node(*s, *g, "a1");
  auto cs = rec.for_organisation(a1, 10);
  // a1's partners: a2, a3, b1. Candidates left: b2, x.
  ASSERT_EQ(cs.size(), 2u);
  for (const auto& c : cs) {
    EXPECT_NE(c.node, a1);
    EXPECT_LT(g->edge_between(a1, c.node), 0);
  }
  // b2 shares partners with a1 (a3 via p4, b1 via p3) and is in a different cluster; x shares
  // cluster A and partner b1.
  bool shared_cluster = false;
  for (const auto& c : cs) {
    for (const auto& r : c.reasons) shared_cluster |= r.code == "shared_cluster" && r.detail == "A";
  }
  EXPECT_TRUE(shared_cluster);
  auto idea = rec.for_idea({.sector = "26", .themes = {}, .region = "76"}, 3);
  ASSERT_TRUE(idea.has_value());
  ASSERT_FALSE(idea->empty());
  EXPECT_EQ((*idea)[0].node, a1);  // a Occitan SME of division 26
  EXPECT_FALSE(rec.for_idea({.sector = "26", .themes = {}, .region = "00"}, 3).has_value());
}

TEST(NetworkViews, OrganisationAndLinkRows) {
  auto s = fixture();
  auto g = build_cooperation(*s, Filter{});
  ASSERT_TRUE(g.has_value());
  auto m = compute_metrics(*g);
  ASSERT_TRUE(m.has_value());
  const OrganisationRows rows(*s, *g, *m);
  // a1: an Occitan SME (pme) in p1, p2 and p5, partner of a2, a3 and b1 (strength 1.5+0.5+1).
  const auto a1 = rows.organisation(node(*s, *g, "a1"));
  EXPECT_EQ(a1.id, "a1");
  EXPECT_EQ(a1.name, "Org a1");
  EXPECT_EQ(a1.kind, "company");
  EXPECT_EQ(a1.region, "76");
  EXPECT_TRUE(a1.sme);
  EXPECT_EQ(a1.projects, 3);
  EXPECT_EQ(a1.degree, 3);
  EXPECT_DOUBLE_EQ(a1.strength, 3.0);
  ASSERT_TRUE(a1.betweenness.has_value());
  EXPECT_FALSE(rows.organisation(node(*s, *g, "a2")).sme);  // a large firm
  EXPECT_FALSE(rows.organisation(node(*s, *g, "x")).sme);   // a laboratory
  const auto link = rows.link(g->edge_between(node(*s, *g, "a1"), node(*s, *g, "a2")));
  EXPECT_EQ(link.source, "a1");
  EXPECT_EQ(link.target, "a2");
  EXPECT_DOUBLE_EQ(link.weight, 1.5);
  EXPECT_EQ(link.projects, 2);
  // Without betweenness the row says so (null), it does not make up a zero.
  auto light = compute_metrics(*g, {.betweenness = false});
  ASSERT_TRUE(light.has_value());
  EXPECT_FALSE(OrganisationRows(*s, *g, *light).organisation(0).betweenness.has_value());
  EXPECT_EQ(tj::to_json(OrganisationRows(*s, *g, *light).organisation(0))["betweenness"], nullptr);
}

TEST(NetworkViews, RankingByAMetric) {
  auto s = fixture();
  auto g = build_cooperation(*s, Filter{});
  ASSERT_TRUE(g.has_value());
  auto m = compute_metrics(*g);
  ASSERT_TRUE(m.has_value());
  auto id = [&](int32_t v) {
    return std::string(
        s->table("organisation").key(static_cast<size_t>(g->org[static_cast<size_t>(v)])));
  };
  // Strength: a1 3, then a2 a3 b1 b2 at 2 (ties by node), x 1.
  const auto by_strength = rank_nodes(*m, Metric::kStrength, 3, 0);
  ASSERT_EQ(by_strength.size(), 3u);
  EXPECT_EQ(id(by_strength[0]), "a1");
  EXPECT_EQ(id(by_strength[1]), "a2");
  EXPECT_EQ(id(by_strength[2]), "a3");
  const auto page = rank_nodes(*m, Metric::kStrength, 10, 4);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(id(page[0]), "b2");
  EXPECT_EQ(id(page[1]), "x");
  EXPECT_TRUE(rank_nodes(*m, Metric::kDegree, 10, 6).empty());
  ASSERT_TRUE(parse_metric("eigenvector").has_value());
  EXPECT_EQ(*parse_metric("eigenvector"), Metric::kEigenvector);
  EXPECT_FALSE(parse_metric("charm").has_value());
}

TEST(NetworkViews, CommunityProfilesAndDrawing) {
  auto s = fixture();
  auto g = build_cooperation(*s, Filter{});
  ASSERT_TRUE(g.has_value());
  auto m = compute_metrics(*g);
  ASSERT_TRUE(m.has_value());
  const auto all = community_profiles(*s, *g, *m, 100);
  ASSERT_EQ(all.size(), static_cast<size_t>(m->communities));
  size_t total = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    total += all[i].organisations;
    if (i > 0) {
      EXPECT_LE(all[i].organisations, all[i - 1].organisations);
    }
    EXPECT_EQ(all[i].leaders.size(), std::min<size_t>(5, all[i].organisations));
    EXPECT_GT(all[i].main_region_share, 0.0);
    EXPECT_LE(all[i].main_region_share, 1.0);
  }
  EXPECT_EQ(total, g->nodes());
  EXPECT_EQ(community_profiles(*s, *g, *m, 1).size(), 1u);

  // The three strongest: a1 (3), then a2 and a3 (2, ties by node); their three links.
  auto d = drawing(*s, *g, *m, 3);
  ASSERT_TRUE(d.has_value()) << d.error().to_string();
  EXPECT_EQ(d->organisations, 6u);
  EXPECT_EQ(d->shown, 3u);
  ASSERT_EQ(d->nodes.size(), 3u);
  EXPECT_EQ(d->nodes[0].id, "a1");
  EXPECT_EQ(d->nodes[1].id, "a2");
  EXPECT_EQ(d->nodes[2].id, "a3");
  EXPECT_TRUE(d->nodes[0].sme);
  EXPECT_DOUBLE_EQ(d->nodes[0].size, 3.0);
  ASSERT_EQ(d->edges.size(), 3u);
  // An edge is written as a compact [source, target, weight] array.
  EXPECT_EQ(tj::to_json(d->edges[0]).dump(), R"(["a1","a2",1.5])");
}

TEST(NetworkGraph, MatrixRowsAndOrganisationColumns) {
  auto s = fixture();
  auto g = build_cooperation(*s, Filter{});
  ASSERT_TRUE(g.has_value());
  const auto rows = cluster_links(*s, *g).co_labelled.rows();
  EXPECT_EQ(rows, (std::vector<std::vector<double>>{{4, 1}, {1, 2}}));
  const OrganisationColumns cols(*s);
  const int32_t b1 = s->table("organisation").find("b1");
  EXPECT_EQ(cols.region(b1), "53");
  EXPECT_TRUE(cols.sme(b1));  // tpe
}

TEST(NetworkExport, GraphmlGexfCsv) {
  auto s = fixture();
  auto g = build_cooperation(*s, Filter{});
  ASSERT_TRUE(g.has_value());
  auto m = compute_metrics(*g);
  ASSERT_TRUE(m.has_value());
  std::ostringstream csv, graphml, gexf;
  write_graph(csv, GraphFormat::kCsv, *s, *g, &*m);
  EXPECT_EQ(csv.str().substr(0, csv.str().find('\n')), "source,target,weight,projects");
  EXPECT_NE(csv.str().find("a1,a2,1.5,2\n"), std::string::npos);
  write_graph(graphml, GraphFormat::kGraphml, *s, *g, &*m);
  EXPECT_NE(
      graphml.str().find("<edge source=\"a1\" target=\"a2\"><data key=\"e_weight\">1.5</data>"),
      std::string::npos);
  EXPECT_NE(graphml.str().find("<data key=\"v_label\">Org a1</data>"), std::string::npos);
  write_graph(gexf, GraphFormat::kGexf, *s, *g, nullptr);
  EXPECT_NE(gexf.str().find("<node id=\"x\" label=\"Org x\">"), std::string::npos);
  EXPECT_FALSE(parse_graph_format("dot").has_value());
}

}  // namespace
}  // namespace poles::network
