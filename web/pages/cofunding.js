// A Region's co-funding (GET /api/v1/regions/{code}/cofunding): its money on the clusters'
// projects, the leverage, and its clusters' contract targets and published ratings. A region
// account sees its own region; the State, evaluators and administrators choose one.
import { t, lang, fmt, pct, euros } from "/i18n.js";
import { label } from "/vocab.js";
import { api, me } from "/lib/api.js";
import { el, years } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { source, kpiBox } from "/lib/blocks.js";
import { chart } from "/lib/chart.js";

export async function pageCofunding(root, params) {
  const own = me().user.role === "region" ? me().user.scope : null;
  const regions = own ? [] : (await api("GET", "/api/v1/stats/regions?year=2022")).regions;
  const code = own || params.get("region") || regions.find((r) => r.clusters > 0)?.code || "11";
  const from = +(params.get("from") || 2013), to = +(params.get("to") || 2022);
  const go = (c, f, u) => { location.hash = `#/cofunding?region=${c}&from=${f}&to=${u}`; };
  const x = await api("GET", `/api/v1/regions/${encodeURIComponent(code)}/cofunding?from=${from}&to=${to}`);
  const yearSel = (id, v, pick) => el("select", { id, class: "fr-select", onchange: (e) => pick(+e.target.value) }, years(2005, 2024).map((y) => el("option", { value: y, selected: y === v }, String(y))));
  const filters = el("div", { class: "filters" },
    own ? null : el("label", {}, t("region"), el("select", { id: "cof-region", class: "fr-select", onchange: (e) => go(e.target.value, from, to) },
      [...regions].sort((a, b) => a.name.localeCompare(b.name)).map((r) => el("option", { value: r.code, selected: r.code === code }, r.name)))),
    el("label", {}, t("cof.from"), yearSel("cof-from", from, (f) => go(code, f, Math.min(Math.max(f, to), f + 11)))),
    el("label", {}, t("cof.to"), yearSel("cof-to", to, (u) => go(code, Math.max(Math.min(from, u), u - 11), u))));
  const yearBox = el("div", { class: "chart", id: "cof-years", role: "img", "aria-label": t("cof.by_year") });
  const ratingOf = (c) => (c.home ? (c.rating ? label("rating", c.rating) : c.evaluations.length ? t("cof.not_rated") : "—") : t("cof.not_own"));
  const targetsOf = (c) => (!c.home || !c.evaluations.length ? "—" : t("cof.targets_years", { n: fmt(c.years_all_targets_met), m: fmt(c.evaluations.length) }));
  root.append(el("h1", {}, t("cof.title", { name: x.name })), filters,
    el("p", { class: "muted" }, t("cof.intro", { from: x.from, to: x.to })),
    kpiBox("cof-kpis", [[t("cof.aid"), euros(x.aid)], [t("cof.projects"), fmt(x.projects)],
      [t("cof.leverage"), x.cost_per_euro == null ? "—" : t("cof.leverage_value", { v: fmt(x.cost_per_euro, 1) })], [t("cof.aid_share"), x.aid_share == null ? "—" : pct(x.aid_share)]]),
    el("section", { class: "card" }, el("h2", {}, t("cof.by_year")), yearBox),
    el("section", { class: "card", id: "cof-clusters" }, el("h2", {}, t("cof.clusters")),
      table([{ label: t("cluster"), value: (r) => el("a", { href: `#/cluster/${encodeURIComponent(r.cluster)}`, translate: "no" }, r.name) },
        { label: t("cof.home"), value: (r) => (r.home ? t("cof.home_yes") : t("cof.home_no")) },
        { label: t("cof.projects"), num: true, sort: (r) => r.projects, value: (r) => fmt(r.projects) },
        { label: t("cof.aid"), num: true, sort: (r) => r.aid, value: (r) => euros(r.aid) },
        { label: t("cof.cost"), num: true, sort: (r) => r.project_cost, value: (r) => euros(r.project_cost) },
        { label: t("cof.leverage"), num: true, sort: (r) => r.cost_per_euro ?? -1, value: (r) => (r.cost_per_euro == null ? "—" : fmt(r.cost_per_euro, 1)) },
        { label: t("cof.aid_share"), num: true, sort: (r) => r.aid_share ?? -1, value: (r) => (r.aid_share == null ? "—" : pct(r.aid_share)) },
        { label: t("cof.rating"), value: ratingOf }, { label: t("cof.targets"), value: targetsOf }], x.clusters, null, { id: "cof-table" }),
      x.unlabelled_projects ? el("p", { class: "muted" }, t("cof.unlabelled", { n: fmt(x.unlabelled_projects), aid: euros(x.unlabelled_aid) })) : null,
      el("p", { class: "muted" }, x.published_years.length ? t("cof.published", { years: x.published_years.join(", ") }) : t("cof.none_published"))),
    el("section", { class: "card", id: "cof-funders" }, el("h2", {}, t("cof.funders")),
      x.funders.length ? table([{ label: t("cof.funder"), value: (r) => (lang === "en" && r.name_en ? r.name_en : r.name) }, { label: t("cof.kind"), value: (r) => label("funder_kind", r.kind) },
        { label: t("cof.aid"), num: true, value: (r) => euros(r.aid) }, { label: t("cof.projects"), num: true, value: (r) => fmt(r.projects) }], x.funders)
        : el("p", { class: "muted" }, t("cof.no_funder"))),
    el("p", { class: "muted" }, t("cof.method")), source());
  chart(yearBox, { xAxis: { type: "category", data: x.years.map((y) => String(y.year)) }, yAxis: { type: "value", axisLabel: { formatter: (v) => euros(v) } },
    tooltip: { trigger: "axis", valueFormatter: (v) => euros(v) },
    series: [{ name: t("cof.aid"), type: "bar", data: x.years.map((y) => y.aid), color: "#000091" }] });
  yearBox.dataset.ready = "true";
}
