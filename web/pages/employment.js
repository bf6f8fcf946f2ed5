// Employment at the scale of the sources: territories (regions, departments, zones d'emploi) ×
// sectors (NAF sections A21, A38, divisions A88), as the URL says; the map at the scale of regions,
// a table of location quotients otherwise.
import { t, lang, fmt, pct } from "/i18n.js";
import { api } from "/lib/api.js";
import { el, colon } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { chart } from "/lib/chart.js";
import { PALETTE, regionMap } from "/lib/map.js";

export async function pageEmployment(root, params) {
  const scale = ["region", "department", "zone"].includes(params.get("territory_level")) ? params.get("territory_level") : "region";
  const nomenclature = ["a21", "a38", "a88"].includes(params.get("nomenclature")) ? params.get("nomenclature") : "a88";
  const levels = `territory_level=${scale}&nomenclature=${nomenclature}`;
  const go = (over) => {
    const q = new URLSearchParams({ territory_level: scale, nomenclature, sector: params.get("sector") || "", ...over });
    location.hash = `#/employment?${q}`;
  };
  const scaleSel = el("select", { id: "emp-scale", class: "fr-select", onchange: (e) => go({ territory_level: e.target.value }) },
    ["region", "department", "zone"].map((k) => el("option", { value: k, selected: k === scale }, t("emp.scale." + k))));
  const nomSel = el("select", { id: "emp-nomenclature", class: "fr-select", onchange: (e) => go({ nomenclature: e.target.value, sector: "" }) },
    ["a21", "a38", "a88"].map((k) => el("option", { value: k, selected: k === nomenclature }, t("emp.nomenclature." + k))));
  // No figures at this scale: the menus stay, to choose another one.
  const sectorsOf = await api("GET", `/api/v1/foresight/sectors?${levels}`).catch((e) => { if (e.problem?.status === 404) return null; throw e; });
  if (!sectorsOf?.items.length) {
    root.append(el("h1", {}, t("emp.title")), el("div", { class: "filters" }, el("label", {}, t("emp.scale"), scaleSel), el("label", {}, t("emp.nomenclature"), nomSel)),
      el("div", { class: "fr-callout", id: "emp-none" }, el("p", {}, t("emp.none", { scale: t("emp.scale." + scale).toLowerCase(), nomenclature: t("emp.nomenclature." + nomenclature) }))));
    return;
  }
  const sectors = sectorsOf.items;
  const sector = sectors.some((s) => s.sector === params.get("sector")) ? params.get("sector") : sectors[0].sector;
  const emp = await api("GET", `/api/v1/foresight/employment?${levels}&sector=${encodeURIComponent(sector)}`);
  const sectorName = (s) => (lang === "en" ? s.name_en : s.name) || s.sector;
  const sectorSel = el("select", { id: "emp-sector", class: "fr-select", onchange: (e) => go({ sector: e.target.value }) },
    sectors.map((s) => el("option", { value: s.sector, selected: s.sector === sector }, `${s.sector} — ${sectorName(s)}`)));
  const stars = (r) => "★".repeat(r.stars);
  let where;
  if (scale === "region") {
    const lq = Object.fromEntries(emp.specialisation.map((r) => [r.territory, r]));
    const colour = (v) => (v == null ? "#eee" : PALETTE[Math.max(0, Math.min(PALETTE.length - 1, Math.floor(v * 2)))]);
    // Classes of half a point of quotient (1: the sector weighs there as in France), a legend,
    // and the overseas regions the drawing lacks, as text.
    const bounds = ["< 0,5", "0,5 – 1", "1 – 1,5", "1,5 – 2", "≥ 2"].map((b) => (lang === "fr" ? b : b.replace(/,/g, ".")));
    const metro = new Set(["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"]);
    const overseas = emp.specialisation.filter((r) => !metro.has(r.territory));
    where = el("div", { class: "map" }, regionMap(t("emp.map"), (code) => {
      const r = lq[code];
      const text = r ? `${r.territory_name}${colon()}${fmt(r.lq, 2)}${stars(r)}` : code;
      return { fill: colour(r?.lq), label: text, title: text };
    }), el("div", {},
      overseas.length ? el("p", { class: "overseas" }, el("strong", {}, t("map.overseas") + colon()), overseas.map((r) => `${r.territory_name} ${fmt(r.lq, 2)}${stars(r)}`).join(" · ")) : "",
      el("div", { class: "legend", id: "emp-legend" }, el("strong", {}, t("emp.lq") + colon().trimEnd()),
        bounds.map((b, i) => el("span", {}, el("span", { class: "swatch", style: `background:${PALETTE[i]}` }), ` ${b}`)),
        el("span", {}, el("span", { class: "swatch", style: "background:#eee" }), ` ${t("emp.no_data")}`))));
  } else {
    const rows = [...emp.specialisation].sort((a, b) => (b.lq ?? -1) - (a.lq ?? -1));
    where = table([{ label: t("emp.territory." + scale), value: (r) => (r.territory_name === r.territory ? r.territory : `${r.territory_name} (${r.territory})`) },
      { label: t("emp.jobs"), num: true, value: (r) => fmt(r.jobs) },
      { label: t("emp.share"), num: true, value: (r) => pct(r.share_of_territory, 1) },
      { label: t("emp.lq"), num: true, value: (r) => fmt(r.lq, 2) }, { label: t("emp.stars"), value: stars }], rows, null, { id: "emp-lq" });
  }
  const projBox = el("div", { class: "chart", id: "emp-projection", role: "img", "aria-label": t("emp.projection") });
  const pr = emp.projections[0];
  const sheet = `/api/v1/reports/sector/${encodeURIComponent(sector)}?lang=${lang}`;
  root.append(el("h1", {}, t("emp.title")),
    el("div", { class: "filters" }, el("label", {}, t("emp.scale"), scaleSel), el("label", {}, t("emp.nomenclature"), nomSel), el("label", {}, t("emp.sector"), sectorSel)),
    emp.summed_from ? el("p", { class: "muted", id: "emp-summed" }, t("emp.summed", { from: t("emp.nomenclature." + emp.summed_from) })) : "",
    nomenclature === "a88" && scale === "region" ? el("p", { id: "emp-sheet" }, el("strong", {}, t("emp.sheet") + colon()), el("a", { href: sheet + "&format=html", target: "_blank", id: "emp-sheet-html" }, t("emp.sheet_html")),
      " · ", el("a", { href: sheet + "&format=pdf", id: "emp-sheet-pdf" }, t("emp.sheet_pdf"))) : "",
    // The map beside the trend; a table of territories takes the page's width.
    ((mapCard, trendCard) => (scale === "region" ? el("div", { class: "grid" }, mapCard, trendCard) : el("div", {}, mapCard, trendCard)))(
      el("section", { class: "card", id: "emp-map" }, el("h2", {}, t("emp.map." + scale) + ` (${emp.year})`), where),
      el("section", { class: "card" }, el("h2", {}, t("emp.projection")), el("p", {}, pr?.annual_growth != null ? t("emp.growth", { g: pct(pr.annual_growth, 2) }) : t("emp.no_trend")), projBox)),
    el("section", { class: "card", id: "emp-shift" }, el("h2", {}, t("emp.shift", { from: emp.from, to: emp.to })),
      table([{ label: t("emp.territory." + scale), value: (r) => r.territory_name }, { label: t("emp.change"), num: true, value: (r) => fmt(r.change) },
        { label: t("emp.national"), num: true, value: (r) => fmt(r.national) }, { label: t("emp.mix"), num: true, value: (r) => fmt(r.industry_mix) },
        { label: t("emp.competitive"), num: true, value: (r) => fmt(r.competitive) }], emp.shift_share.cells)));
  if (pr?.points?.length) {
    const obs = pr.points.filter((p) => p.observed);
    const last = obs[obs.length - 1];
    chart(projBox, { xAxis: { type: "category", data: pr.points.map((p) => p.year) }, yAxis: { type: "value", scale: true },
      series: [{ name: t("emp.observed"), type: "line", data: pr.points.map((p) => (p.observed ? p.value : null)), color: "#000091" },
        { name: t("emp.projected"), type: "line", data: pr.points.map((p) => (p === last ? p.value : p.observed ? null : p.value)), lineStyle: { type: "dashed" }, color: "#e1000f" },
        // The band between the low and high projections: the low line carries a transparent
        // area, the gap up to the high one a shaded one (stacked); the tooltip and the table
        // give the low and high values themselves.
        { name: t("emp.band", { l: pct(pr.level ?? 0.95) }), type: "line", stack: "band", data: pr.points.map((p) => (p.observed ? null : p.low)), lineStyle: { opacity: 0 }, showSymbol: false, color: "#e1000f" },
        { name: t("emp.band", { l: pct(pr.level ?? 0.95) }), type: "line", stack: "band", data: pr.points.map((p) => (p.observed ? null : p.high - p.low)), lineStyle: { opacity: 0 }, showSymbol: false, color: "#e1000f", areaStyle: { color: "rgba(225, 0, 15, 0.15)" } }],
      tooltip: { trigger: "axis", formatter: (items) => {
        const p = pr.points[items[0].dataIndex];
        return [String(p.year), `${t(p.observed ? "emp.observed" : "emp.projected")}${colon()}${fmt(p.value)}`,
          ...(p.observed ? [] : [`${t("emp.band", { l: pct(pr.level ?? 0.95) })}${colon()}${fmt(p.low)} – ${fmt(p.high)}`])].join("<br>");
      } } }, { asTable: false });
    projBox.after(el("details", { class: "as-table" }, el("summary", {}, t("chart.as_table")), table([{ label: t("year"), num: true, value: (p) => p.year },
      { label: t("emp.observed"), num: true, value: (p) => (p.observed ? fmt(p.value) : "—") }, { label: t("emp.projected"), num: true, value: (p) => (p.observed ? "—" : fmt(p.value)) },
      { label: t("emp.low"), num: true, value: (p) => (p.observed ? "—" : fmt(p.low)) }, { label: t("emp.high"), num: true, value: (p) => (p.observed ? "—" : fmt(p.high)) }], pr.points, null, { tools: false })));
    // The band in words: a series that follows its trend closely has a band too thin to see.
    const end = pr.points[pr.points.length - 1];
    if (!end.observed) projBox.after(el("p", { class: "muted", id: "emp-band" }, t("emp.band_note", { l: pct(pr.level ?? 0.95), y: end.year, lo: fmt(end.low), hi: fmt(end.high) })));
  }
  projBox.dataset.ready = "true";
  projBox.dataset.sector = sector;
}
