// The map: the regions coloured by an indicator of a year, and the same figures as a table.
import { t, fmt, euros } from "/i18n.js";
import { api } from "/lib/api.js";
import { el, colon, years } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { source } from "/lib/blocks.js";
import { PALETTE, regionMap } from "/lib/map.js";

export async function pageMap(root, params) {
  const state = { indicator: params.get("indicator") || "clusters", year: +(params.get("year") || 2024) };
  const go = () => { location.hash = `#/map?indicator=${state.indicator}&year=${state.year}`; };
  const indicatorSel = el("select", { id: "indicator", class: "fr-select", onchange: (e) => { state.indicator = e.target.value; go(); } },
    ["clusters", "members", "projects", "public_aid"].map((k) => el("option", { value: k, selected: k === state.indicator }, t("ind." + k))));
  const yearSel = el("select", { id: "year", class: "fr-select", onchange: (e) => { state.year = +e.target.value; go(); } },
    years(2008, 2024).reverse().map((y) => el("option", { value: y, selected: y === state.year }, y)));
  const data = await api("GET", `/api/v1/stats/regions?year=${state.year}`);
  const money = state.indicator === "public_aid";
  const show = (v) => (money ? euros(v) : fmt(v));
  const values = Object.fromEntries(data.regions.map((r) => [r.code, r[state.indicator]]));
  // Classes by quantiles of the non-zero values (5 classes at most), zero in its own class.
  const positive = Object.values(values).filter((v) => v > 0).sort((a, b) => a - b);
  const breaks = [...new Set([0.2, 0.4, 0.6, 0.8].map((q) => positive[Math.floor(q * (positive.length - 1))]))];
  const classOf = (v) => (!v ? -1 : breaks.filter((b) => v > b).length);
  const colour = (v) => (classOf(v) < 0 ? "#dddddd" : PALETTE[Math.min(PALETTE.length - 1, classOf(v))]);
  const byCode = Object.fromEntries(data.regions.map((r) => [r.code, r]));
  const heading = t(`map.period_${state.indicator}`, { y: state.year });
  const svg = regionMap(heading, (code) => ({ fill: colour(values[code] || 0), label: `${byCode[code].name}${colon()}${show(values[code])}`,
    title: `${byCode[code].name} — ${heading}${colon()}${show(values[code])}` }), (code) => { location.hash = `#/clusters?region=${code}`; });
  const overseas = el("div", { class: "overseas" }, el("strong", {}, t("map.overseas")),
    data.regions.filter((r) => r.overseas).map((r) => el("button", { type: "button", class: "fr-btn fr-btn--secondary fr-btn--sm", style: `background:${colour(values[r.code] || 0)}`,
      onclick: () => { location.hash = `#/clusters?region=${r.code}`; } }, `${r.name}${colon()}${show(values[r.code])}`)));
  // Class i holds the values in (upper of class i − 1, its upper]: for counts, from the next
  // integer ("1", "2 – 4", "5 – 12"), never two classes sharing a bound; for money, from the
  // smallest value (continuous: a bound belongs to the class below). Empty classes are not listed.
  const uppers = [...breaks, Math.max(0, ...positive)];
  const classLabel = (i) => {
    const lo = i === 0 ? positive[0] : money ? uppers[i - 1] : uppers[i - 1] + 1;
    const hi = uppers[i];
    return lo >= hi ? show(hi) : `${show(lo)} – ${show(hi)}`;
  };
  const used = new Set(positive.map(classOf));
  const legend = el("div", { class: "legend", id: "map-legend" }, el("strong", {}, `${t("map.legend")} (${t("map.classes")})${colon().trimEnd()}`),
    Object.values(values).some((v) => !v) ? el("span", {}, el("span", { class: "swatch", style: "background:#dddddd" }), " 0") : null,
    uppers.map((_, i) => i).filter((i) => used.has(i)).map((i) => el("span", {}, el("span", { class: "swatch", style: `background:${PALETTE[Math.min(PALETTE.length - 1, i)]}` }), ` ${classLabel(i)}`)));
  root.append(el("h1", {}, t("map.title")),
    el("div", { class: "filters" }, el("label", {}, t("map.indicator"), indicatorSel), el("label", {}, t("map.year"), yearSel)),
    el("h2", { id: "map-heading" }, heading),
    el("div", { class: "map" }, svg, el("div", {}, overseas, legend)), source(),
    table([
      { label: t("region"), value: (r) => r.name },
      { label: t("map.period_clusters", { y: state.year }), num: true, value: (r) => fmt(r.clusters) }, { label: t("map.period_members", { y: state.year }), num: true, value: (r) => fmt(r.members) },
      { label: t("map.period_projects", { y: state.year }), num: true, value: (r) => fmt(r.projects) }, { label: t("map.period_public_aid", { y: state.year }), num: true, sort: (r) => r.public_aid, value: (r) => euros(r.public_aid) },
    ], data.regions, (r) => { location.hash = `#/clusters?region=${r.code}`; }, { tools: true, page: 20 }));
}
