// The cooperation network: its figures, the graph (sigma), an organisation's neighbourhood and
// partners to recommend, the links between clusters and between regions, the SMEs' place.
import { t, fmt, pct } from "/i18n.js";
import { label, hasLabel } from "/vocab.js";
import { api } from "/lib/api.js";
import { el, colon, escapeHtml } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { problemBox } from "/lib/blocks.js";
import { chart } from "/lib/chart.js";
import { PALETTE } from "/lib/map.js";
import { loadSigma, newSigma } from "/lib/sigma.js";

const COMMUNITY_COLOURS = ["#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#a558a0", "#009081", "#c3992a", "#417dc4", "#ce614a", "#7d4e5b", "#3a3a3a"];
const colourOf = (c) => COMMUNITY_COLOURS[c % COMMUNITY_COLOURS.length];

function heatmap(container, matrix, { top = 0 } = {}) {
  // Rows and columns ordered by their total; the diagonal is left out (it is the row's own total).
  let idx = matrix.labels.map((_, i) => i);
  const total = (i) => matrix.values[i].reduce((a, v, j) => a + (i === j ? 0 : v), 0);
  idx.sort((a, b) => total(b) - total(a));
  if (top) idx = idx.slice(0, top);
  const names = idx.map((i) => matrix.names[i] || matrix.labels[i]);
  const data = [];
  let max = 1;
  idx.forEach((i, x) => idx.forEach((j, y) => { if (i !== j) { data.push([x, y, matrix.values[i][j]]); max = Math.max(max, matrix.values[i][j]); } }));
  return chart(container, {
    tooltip: { position: "top", formatter: (p) => `${escapeHtml(names[p.data[0]])} — ${escapeHtml(names[p.data[1]])}${colon()}${fmt(p.data[2])}` },
    // The names fit their axis (cut with "…" past 110 px, whole in the tooltip) and the colour
    // scale has its own strip below them.
    grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
    xAxis: { type: "category", data: names, axisLabel: { rotate: 60, fontSize: 9, width: 110, overflow: "truncate", interval: 0 } },
    yAxis: { type: "category", data: names, axisLabel: { fontSize: 9, width: 110, overflow: "truncate", interval: 0 } },
    visualMap: { min: 0, max, calculable: true, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120, itemWidth: 12, inRange: { color: PALETTE } },
    legend: { show: false },
    series: [{ type: "heatmap", data }],
  });
}

export async function pageNetwork(root, params) {
  const [{ clusters }, { regions }] = await Promise.all([api("GET", "/api/v1/stats/clusters?year=2024"), api("GET", "/api/v1/stats/regions?year=2024")]);
  const from = el("input", { type: "number", class: "fr-input", id: "net-from", min: 2000, max: 2030, value: params.get("from") || "" });
  const to = el("input", { type: "number", class: "fr-input", id: "net-to", min: 2000, max: 2030, value: params.get("to") || "" });
  const clusterSel = el("select", { id: "net-cluster", class: "fr-select" }, el("option", { value: "" }, t("all_m")),
    clusters.map((c) => el("option", { value: c.id, selected: params.get("cluster") === c.id }, c.acronym || c.name)));
  const regionSel = el("select", { id: "net-region", class: "fr-select" }, el("option", { value: "" }, t("all")),
    regions.map((r) => el("option", { value: r.code, selected: params.get("region") === r.code }, r.name)));
  const apply = el("button", { type: "button", id: "net-apply", onclick: () => {
    const q = new URLSearchParams();
    if (from.value) q.set("from", from.value);
    if (to.value) q.set("to", to.value);
    if (clusterSel.value) q.set("cluster", clusterSel.value);
    if (regionSel.value) q.set("region", regionSel.value);
    location.hash = `#/network?${q}`;
  } }, t("net.apply"));
  const filter = new URLSearchParams([...params].filter(([k]) => ["from", "to", "cluster", "region"].includes(k))).toString();
  const withFilter = (path, extra = "") => `${path}?${[filter, extra].filter(Boolean).join("&")}`;
  const summary = await api("GET", withFilter("/api/v1/network/summary"));
  const c = summary.connectivity;
  const kpis = el("div", { class: "kpis", id: "net-kpis" }, [
    [t("net.organisations"), fmt(c.organisations)], [t("net.links"), fmt(c.links)], [t("projects"), fmt(summary.projects)],
    [t("net.giant"), pct(c.giant_share, 1)], [t("net.communities"), fmt(summary.communities.count)],
    [t("net.modularity"), fmt(summary.communities.modularity, 3)],
  ].map(([k, v]) => el("div", { class: "kpi" }, el("span", { class: "muted" }, k), el("strong", {}, v))));
  const graphBox = el("div", { class: "sigma", id: "net-graph", role: "img", "aria-label": t("net.graph") });
  const side = el("section", { class: "card", id: "net-side" }, el("p", { class: "muted" }, t("net.pick")));
  const heat = el("div", { class: "chart tall", id: "net-clusters", role: "img", "aria-label": t("net.clusters") });
  const flows = el("div", { class: "chart tall", id: "net-regions", role: "img", "aria-label": t("net.regions") });
  const orgInput = el("input", { type: "search", class: "fr-input", id: "net-org", placeholder: t("net.org_placeholder") });
  const exportLinks = el("p", {}, t("net.export"), " ", ["graphml", "gexf", "csv"].map((f) =>
    el("a", { href: withFilter("/api/v1/network/export", `format=${f}`), download: `cooperation.${f}`, class: "export" }, f.toUpperCase() + " ")));
  root.append(el("h1", {}, t("net.title")),
    el("div", { class: "filters" }, el("label", {}, t("net.from"), from), el("label", {}, t("net.to"), to), el("label", {}, t("cluster"), clusterSel),
      el("label", {}, t("region"), regionSel), apply),
    kpis,
    el("div", { class: "grid net" }, el("section", { class: "card" }, el("h2", {}, t("net.graph")), graphBox,
      el("p", { class: "muted", id: "net-graph-note" }, t("net.graph_note", { n: "800" }))), side),
    el("section", { class: "card" }, el("h2", {}, t("net.ego_title")), el("div", { class: "filters" }, el("label", {}, t("net.organisation"), orgInput),
      el("button", { type: "button", id: "net-org-go", onclick: () => showOrg(orgInput.value.trim()) }, t("net.show")))),
    el("div", { class: "grid" }, el("section", { class: "card" }, el("h2", {}, t("net.clusters")), heat),
      el("section", { class: "card" }, el("h2", {}, t("net.regions")), flows)),
    el("section", { class: "card", id: "net-sme" }, el("h2", {}, t("net.sme"))),
    exportLinks);

  // A recommendation's reasons in words: the shared cluster by its name, sectors by their titles.
  const names = Object.fromEntries(clusters.map((x) => [x.id, x.acronym || x.name]));
  const sector = (code) => (hasLabel("naf", code) ? label("naf", code) : code);
  const detail = (x) => (x.code === "shared_cluster" ? names[x.detail] ?? x.detail
    : x.code === "sector_complementarity" ? String(x.detail).split(/\s*↔\s*/).map(sector).join(" ↔ ")
      : x.code === "sector_experience" ? sector(String(x.detail)) : x.detail);
  async function showOrg(text) {
    if (!text) return;
    side.replaceChildren(el("p", { class: "muted" }, t("loading")));
    try {
      // An organisation's id, or a name, acronym, city or SIREN the list's search finds.
      const found = /^\d{9}$/.test(text) ? await api("GET", `/api/v1/organisation?siren=${text}&limit=1`)
        : await api("GET", `/api/v1/organisation/${encodeURIComponent(text)}`).then((o) => ({ items: [o] }), () => api("GET", `/api/v1/organisation?q=${encodeURIComponent(text)}&limit=1`));
      if (!found.items.length) { side.replaceChildren(el("p", { class: "muted" }, t("net.org_none"))); return; }
      const id = found.items[0].id;
      const [ego, rec] = await Promise.all([api("GET", withFilter(`/api/v1/network/ego/${encodeURIComponent(id)}`, "limit=60")),
        api("GET", withFilter(`/api/v1/network/recommend/${encodeURIComponent(id)}`, "limit=10"))]);
      const egoChart = el("div", { class: "chart", id: "net-ego", role: "img", "aria-label": t("net.ego_title") });
      side.replaceChildren(el("h2", {}, ego.nodes[0].name), el("p", { class: "muted" },
        t("net.ego_caption", { degree: fmt(ego.nodes[0].degree), projects: fmt(ego.nodes[0].projects) })), egoChart,
        el("h3", {}, t("net.recommend")), table([
          { label: t("name"), value: (r) => el("a", { href: `#/organisation/${encodeURIComponent(r.id)}` }, r.name) },
          { label: t("net.score"), num: true, value: (r) => fmt(r.score, 2) },
          { label: t("net.reasons"), value: (r) => r.reasons.map((x) => t(`reason.${x.code}`, { v: fmt(x.value, 1), d: detail(x) })).join(" · ") },
        ], rec.candidates));
      side.querySelector("table").id = "net-recommendations";
      chart(egoChart, {
        tooltip: {}, legend: { show: false },
        series: [{ type: "graph", layout: "force", roam: true, force: { repulsion: 80, edgeLength: 40, layoutAnimation: false },  // laid out at once (no animation: the steps would stop at the first)
          data: ego.nodes.map((n) => ({ id: n.id, name: n.name, symbolSize: n.hops === 0 ? 18 : 8 + Math.min(10, n.degree / 4),
            itemStyle: { color: n.hops === 0 ? "#e1000f" : colourOf(n.community) } })),
          links: ego.edges.map((e) => ({ source: e.source, target: e.target, lineStyle: { width: Math.min(4, e.weight) } })) }],
      });
    } catch (err) { side.replaceChildren(problemBox(err)); }
  }

  // Graph, matrices and SME table load once the page is in the document (sigma measures its
  // container); errors show in the graph's place.
  drawNetwork().catch((err) => graphBox.replaceChildren(problemBox(err)));
  async function drawNetwork() {
    while (!graphBox.isConnected) await new Promise((r) => requestAnimationFrame(r));
    const [graph, clusterLinks, regionLinks, sme] = await Promise.all([
      api("GET", withFilter("/api/v1/network/graph", "limit=800")), api("GET", withFilter("/api/v1/network/clusters")),
      api("GET", withFilter("/api/v1/network/regions")), api("GET", withFilter("/api/v1/network/sme"))]);
    heatmap(heat, clusterLinks.co_labelled, { top: 40 });
    heatmap(flows, regionLinks.projects);
    const clusterName = Object.fromEntries(clusters.map((x) => [x.id, x.acronym || x.name]));
    document.getElementById("net-sme")?.append(table([
      { label: t("cluster"), value: (r) => r.cluster ? clusterName[r.cluster] || r.cluster : t("all_m") },
      { label: t("projects"), num: true, value: (r) => fmt(r.projects) },
      { label: t("net.sme_share"), num: true, value: (r) => pct(r.sme_share, 1) },
      { label: t("net.sme_coord"), num: true, value: (r) => pct(r.coordinator_sme_share, 1) },
      { label: t("net.sme_centrality"), num: true, value: (r) => fmt(r.centrality_ratio, 2) },
    ], sme.items.filter((r) => r.projects > 0)));
    await loadSigma();
    const G = new window.graphology.Graph();
    // The note says how many organisations the graph draws (the most connected, up to 800).
    document.getElementById("net-graph-note")?.replaceChildren(t("net.graph_note", { n: fmt(graph.nodes.length) }));
    const maxSize = Math.max(1, ...graph.nodes.map((n) => n.size));
    for (const n of graph.nodes) {
      G.addNode(n.id, { x: n.x, y: n.y, size: 2 + 8 * Math.sqrt(n.size / maxSize), label: n.name, color: colourOf(n.community) });
    }
    for (const [a, b, w] of graph.edges) if (!G.hasEdge(a, b)) G.addEdge(a, b, { size: Math.min(2, 0.3 + w / 4), color: "#ccc" });
    const renderer = newSigma(G, graphBox, { labelRenderedSizeThreshold: 9, allowInvalidContainer: true });
    // The box shows the organisation's name (its id is the store's); the id finds it.
    renderer.on("clickNode", ({ node }) => { orgInput.value = G.getNodeAttribute(node, "label") || node; showOrg(node); });
    graphBox.dataset.nodes = String(G.order);
    graphBox.dataset.ready = "true";
  }
}
