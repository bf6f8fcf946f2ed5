// Services to SMEs: their reach, the outcomes of the firms served, the diagnostics.
import { t, fmt, pct, points, euros } from "/i18n.js";
import { label } from "/vocab.js";
import { api } from "/lib/api.js";
import { el, colon } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { kpiBox } from "/lib/blocks.js";
import { chart } from "/lib/chart.js";
import { names } from "/lib/names.js";

// A figure over firms, or "s" when statistical secrecy masks it, with why: the cell itself breaks
// the rule (primary) or it would give away another masked cell through the totals (secondary).
const secretCell = (c, d = 0) => {
  if (c && c.value !== null && c.value !== undefined) return fmt(c.value, d);
  const why = t(c?.secret === "secondary" ? "secret.secondary" : "secret.primary");
  return el("abbr", { title: why, "aria-label": why, tabindex: "0", class: "secret" }, "s");
};

export async function pageServices(root) {
  const [svc, diag] = await Promise.all([api("GET", "/api/v1/services/summary"), api("GET", "/api/v1/services/diagnostics")]);
  const reachBox = el("div", { class: "chart", id: "svc-reach", role: "img", "aria-label": t("svc.reach") });
  const dimBox = el("div", { class: "chart", id: "diag-dims", role: "img", "aria-label": t("diag.maturity") });
  const o = svc.outcomes;
  root.append(el("h1", {}, t("svc.title")), el("p", { class: "muted" }, `${svc.from}–${svc.to}`),
    kpiBox("svc-kpis", [[t("svc.services"), fmt(svc.totals.services)], [t("svc.reach_median"), pct(svc.heterogeneity.reach.median)],
      [t("svc.reach_cv"), fmt(svc.heterogeneity.reach.cv, 2)], [t("svc.financing"), svc.totals.financing_raised?.value != null ? euros(svc.totals.financing_raised.value) : secretCell(svc.totals.financing_raised)]]),
    el("section", { class: "card" }, el("h2", {}, t("svc.reach")), reachBox),
    el("section", { class: "card", id: "svc-outcomes" }, el("h2", {}, t("svc.outcomes")), 
      table([{ label: t("svc.group"), value: (r) => r[0] }, { label: t("svc.firms"), num: true, value: (r) => fmt(r[1].firms) },
        { label: t("svc.baseline"), num: true, value: (r) => pct(r[1].baseline) }, { label: t("svc.later"), num: true, value: (r) => pct(r[1].later) }],
      [[t("svc.served"), o.served], [t("svc.not_served"), o.not_served]]),
      // A normal interval on a group of a few firms says nothing: no comparison below 10 in either.
      Math.min(o.served.firms, o.not_served.firms) < 10 ? el("p", { class: "muted", id: "svc-raw" }, t("svc.too_few"))
        : el("p", { id: "svc-raw" }, `${t("svc.difference")}${colon()}${points(o.difference)} (${points(o.ci95[0], 1, false)} ; ${points(o.ci95[1], 1, false)})`),
      o.matched.effect == null ? el("p", { class: "muted" }, t("svc.matched_none"))
        : el("p", { id: "svc-matched" }, el("strong", {}, `${t("svc.matched")}${colon()}${points(o.matched.effect)} (${points(o.matched.ci95[0], 1, false)} ; ${points(o.matched.ci95[1], 1, false)})`),
          el("br"), el("span", { class: "muted" }, t("svc.matched_note", { n: fmt(o.matched.served), m: fmt(o.matched.not_served) })))),
    el("section", { class: "card", id: "svc-clusters" }, el("h2", {}, t("svc.table")),
      table([{ label: t("cluster"), value: (r) => el("span", { translate: "no" }, r.name) }, { label: t("svc.services"), num: true, value: (r) => fmt(r.services) },
        { label: t("svc.reach"), num: true, value: (r) => pct(r.reach) }, { label: t("svc.intensity"), num: true, value: (r) => fmt(r.intensity, 2) },
        { label: t("svc.abroad"), num: true, value: (r) => fmt(r.abroad) }, { label: t("svc.eu_share"), num: true, value: (r) => pct(r.european_share) },
        { label: t("svc.financing"), num: true, value: (r) => (r.financing_raised?.value != null ? euros(r.financing_raised.value) : secretCell(r.financing_raised)) }], svc.clusters)));
  const p = diag.progress;
  root.append(el("h2", {}, t("diag.title")),
    el("section", { class: "card", id: "diag-card" }, el("p", {}, `${t("diag.firms")}${colon()}${fmt(diag.firms)}`),
      p.secret ? "" : el("p", { id: "diag-progress" }, t("diag.progress", { n: fmt(p.firms), d: fmt(p.mean_change.score, 1), lo: fmt(p.score_ci95[0], 1), hi: fmt(p.score_ci95[1], 1), s: pct(p.improved_share) })),
      el("h3", {}, t("diag.maturity")), dimBox,
      el("h3", {}, t("diag.aid")),
      el("div", { id: "diag-aid" }, table([{ label: t("diag.band"), value: (r) => `${r.band} (${fmt(r.score_from)}–${fmt(r.score_to)})` },
        { label: t("svc.firms"), num: true, value: (r) => fmt(r.firms) }, { label: t("diag.aided"), num: true, value: (r) => pct(r.aided_share) },
        { label: t("diag.amount"), num: true, value: (r) => (r.aid && r.aid.value != null ? euros(r.aid.value) : secretCell(r.aid)) }], diag.aid_by_maturity))));
  const sorted = [...svc.clusters].filter((c) => c.reach !== null).sort((a, b) => a.reach - b.reach);
  // Clusters by their acronyms under the bars (their names all start with "Pôle").
  const acronyms = (await names().catch(() => ({ acronym: {} }))).acronym;
  chart(reachBox, { xAxis: { type: "category", data: sorted.map((c) => acronyms[c.cluster] || c.acronym || c.name), axisLabel: { rotate: 45 } }, yAxis: { type: "value", max: 1, axisLabel: { formatter: (v) => pct(v) } },
    tooltip: { trigger: "axis", valueFormatter: (v) => pct(v) },
    series: [{ name: t("svc.reach"), type: "bar", data: sorted.map((c) => c.reach), color: "#000091" }] });
  chart(dimBox, { xAxis: { type: "category", data: diag.dimensions.map((d) => label("diag_dimension", d)), axisLabel: { interval: 0, rotate: 30 } }, yAxis: { type: "value", max: 100 },
    series: [{ name: t("diag.maturity"), type: "bar", data: diag.dimensions.map((d) => diag.latest[d].mean), color: "#18753c" }] });
  reachBox.dataset.ready = dimBox.dataset.ready = "true";
}
