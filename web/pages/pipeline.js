// From project factory to product factory: the projects' funnel to the market, the leverage of
// public aid, the aid by funder.
import { t, fmt, pct, euros } from "/i18n.js";
import { label } from "/vocab.js";
import { api } from "/lib/api.js";
import { el, colon, share } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { source, kpiBox } from "/lib/blocks.js";
import { chart } from "/lib/chart.js";
import { programmeName } from "/lib/programmes.js";

export async function pagePipeline(root, params) {
  const programme = params.get("programme") || "";
  const q = programme ? `&programme=${encodeURIComponent(programme)}` : "";
  const [funnel, lev, funding, programmeList] = await Promise.all([api("GET", `/api/v1/pipeline/funnel?by=year${q}`), api("GET", "/api/v1/pipeline/leverage?by=cluster"),
    api("GET", "/api/v1/pipeline/funding").catch(() => null), api("GET", "/api/v1/programme?limit=1000")]);
  const programmes = programmeList.items;
  const progSel = el("select", { id: "pipe-programme", class: "fr-select", onchange: (e) => { location.hash = e.target.value ? `#/pipeline?programme=${e.target.value}` : "#/pipeline"; } },
    el("option", { value: "" }, t("all_m")),
    programmes.map((p) => el("option", { value: p.code, selected: p.code === programme }, programmeName(p))));
  const all = funnel.all;
  const chartBox = el("div", { class: "chart", id: "pipe-funnel", role: "img", "aria-label": t("pipe.funnel") });
  root.append(el("h1", {}, t("pipe.title")), el("div", { class: "filters" }, el("label", {}, t("pipe.programme"), progSel)),
    kpiBox("pipe-kpis", [[t("pipe.projects"), fmt(all.projects)], [t("pipe.trl"), fmt(all.trl.gain_mean, 2)], [t("pipe.ttm"), fmt(all.time_to_market.median_days)],
      [t("stage.on_market"), fmt(all.stages[6].reached)]]),
    el("section", { class: "card" }, el("h2", {}, t("pipe.funnel")), el("p", { class: "muted" }, t("pipe.funnel_note")), chartBox,
      el("div", { id: "pipe-stages" }, table([{ label: t("pipe.stage"), value: (r) => t("stage." + r.stage) }, { label: t("pipe.reached"), num: true, value: (r) => fmt(r.reached) },
        { label: t("pipe.conversion"), num: true, value: (r) => (r.conversion === undefined ? "" : pct(r.conversion)) },
        { label: t("pipe.days"), num: true, value: (r) => (r.to_next?.median_days == null ? "" : fmt(r.to_next.median_days)) },
        { label: t("pipe.rejected"), num: true, value: (r) => fmt(r.rejected_after) }, { label: t("pipe.abandoned"), num: true, value: (r) => fmt(r.abandoned_after) }], all.stages))));
  const top = [...lev.groups].sort((a, b) => b.public_aid - a.public_aid).slice(0, 25);
  root.append(el("section", { class: "card", id: "pipe-leverage" }, el("h2", {}, t("pipe.leverage")), el("p", { class: "muted" }, t("pipe.leverage_note")),
    el("p", {}, `${t("pipe.lev")}${colon()}${fmt(lev.all.leverage, 2)} · ${t("pipe.follow")}${colon()}${fmt(lev.all.follow_ons)} · ${t("pipe.eu_after")}${colon()}${pct(lev.all.european_after_national_share)}`),
    table([{ label: t("cluster"), value: (r) => el("span", { translate: "no" }, r.name) }, { label: t("pipe.aid"), num: true, sort: (r) => r.public_aid, value: (r) => euros(r.public_aid) },
      { label: t("pipe.private"), num: true, sort: (r) => r.private_funding, value: (r) => euros(r.private_funding) }, { label: t("pipe.lev"), num: true, value: (r) => fmt(r.leverage, 2) },
      { label: t("pipe.follow"), num: true, value: (r) => fmt(r.follow_ons) }, { label: t("pipe.eu_after"), num: true, value: (r) => pct(r.european_after_national_share) }],
    top, (r) => { location.hash = `#/cluster/${encodeURIComponent(r.group)}`; })));
  // Stages down the side, bars across: the stages' names stay whole on a phone (seven names under
  // a 390 px axis were cut).
  chart(chartBox, { yAxis: { type: "category", inverse: true, data: all.stages.map((s) => t("stage." + s.stage)) }, xAxis: { type: "value" },
    series: [{ name: t("pipe.reached"), type: "bar", data: all.stages.map((s) => s.reached), color: "#000091" }] }, { asTable: false });  // the stages' table is beside it
  chartBox.dataset.ready = "true";
  // Public aid by funder, by start year of the projects (the split each co-funder reads).
  if (!funding) return;
  const kinds = funding.by_kind.map((k) => k.kind);
  root.append(el("section", { class: "card", id: "pipe-funding" }, el("h2", {}, t("pipe.funding")), el("p", { class: "muted" }, t("pipe.funding_note")),
    funding.counted !== "all" ? el("p", { class: "muted" }, t(`funding.counted_${funding.counted}`)) : "",
    el("p", {}, funding.by_kind.map((k) => `${label("funder_kind", k.kind)}${colon()}${euros(k.amount)} (${share(k.share)})`).join(" · ")),
    table([{ label: t("start"), sort: (r) => r.year, value: (r) => r.year },
      ...kinds.map((k) => ({ label: label("funder_kind", k), num: true, sort: (r) => r.by_kind[k], value: (r) => (r.by_kind[k] ? euros(r.by_kind[k]) : "—") })),
      ...(funding.not_split > 0 ? [{ label: t("pipe.not_split"), num: true, sort: (r) => r.not_split, value: (r) => (r.not_split ? euros(r.not_split) : "—") }] : []),
      { label: t("total"), num: true, sort: (r) => r.total, value: (r) => euros(r.total) }],
    [...funding.by_year].sort((a, b) => b.year - a.year), null, { page: 25 }), source()));
}
