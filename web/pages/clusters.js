// The list of clusters, filtered by a search and a region.
import { t, fmt, pct } from "/i18n.js";
import { label, labels } from "/vocab.js";
import { api } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { source } from "/lib/blocks.js";

export async function pageClusters(root, params) {
  const data = await api("GET", "/api/v1/stats/clusters?year=2024");
  const regions = (await api("GET", "/api/v1/stats/regions?year=2024")).regions;
  const regionName = Object.fromEntries(regions.map((r) => [r.code, r.name]));
  const q = el("input", { type: "search", id: "q", class: "fr-input", value: params.get("q") || "", oninput: () => { sync(); draw(); } });
  const regionSel = el("select", { id: "region", class: "fr-select", onchange: () => { sync(); draw(); } }, el("option", { value: "" }, t("all")),
    [...new Set(data.clusters.map((c) => c.region))].sort((a, b) => (regionName[a] || a).localeCompare(regionName[b] || b))
      .map((code) => el("option", { value: code, selected: params.get("region") === code }, regionName[code] || code)));
  // Filters in the URL (shareable), without re-rendering the page.
  const sync = () => {
    const u = new URLSearchParams();
    if (q.value.trim()) u.set("q", q.value.trim());
    if (regionSel.value) u.set("region", regionSel.value);
    history.replaceState(null, "", `#/clusters${u.size ? "?" + u : ""}`);
  };
  const box = el("div");
  root.append(el("h1", {}, t("clusters.title")), el("div", { class: "filters" }, el("label", {}, t("search"), q), el("label", {}, t("region"), regionSel)), box);
  function draw() {
    const needle = q.value.trim().toLowerCase();
    const rows = data.clusters.filter((c) => (!regionSel.value || c.region === regionSel.value) &&
      (!needle || c.name.toLowerCase().includes(needle) || (c.acronym || "").toLowerCase().includes(needle) || labels("theme", c.themes).toLowerCase().includes(needle)));
    box.replaceChildren(table([
      { label: t("name"), value: (c) => el("a", { href: `#/cluster/${encodeURIComponent(c.id)}`, translate: "no" }, c.name), sort: (c) => c.name },
      { label: t("region"), value: (c) => regionName[c.region] || c.region }, { label: t("scale"), value: (c) => label("scale", c.scale) },
      { label: t("theme"), value: (c) => labels("theme", c.themes) },
      { label: `${t("members")} 2024`, num: true, value: (c) => fmt(c.members) }, { label: t("sme_share"), num: true, sort: (c) => c.sme_share, value: (c) => (c.members ? pct(c.sme_share) : "—") },
      { label: t("projects"), num: true, value: (c) => fmt(c.projects) }, { label: t("phase"), num: true, value: (c) => c.last_phase || "—" },
    ], rows, (c) => { location.hash = `#/cluster/${encodeURIComponent(c.id)}`; }, { tools: true }), source());
  }
  draw();
}
