// The impact of the policy on firms: estimations run as server jobs, their results.
import { t, lang, fmt, date } from "/i18n.js";
import { label } from "/vocab.js";
import { api } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { problemBox } from "/lib/blocks.js";
import { chart } from "/lib/chart.js";

const IMPACT_OUTCOMES = ["log(rd_spending)", "log(rd_staff)", "log1p(patents)", "log(turnover)", "log(headcount)", "log(value_added)"];
export async function pageImpact(root, params) {
  const sel = (id, key, values, value) => el("select", { id, class: "fr-select" }, values.map((v) => el("option", { value: v, selected: v === value }, t(`imp.${key}.${v}`))));
  const estimator = sel("imp-estimator", "estimator", ["did", "event", "sunab", "ols", "ppml", "match"], "did");
  const outcome = el("select", { id: "imp-outcome" }, IMPACT_OUTCOMES.map((o) => el("option", { value: o }, label("impact_outcome", o))));
  // The Poisson regression models a count as it is: the patents, not their log.
  estimator.addEventListener("change", () => outcome.replaceChildren(...(estimator.value === "ppml"
    ? [el("option", { value: "patents" }, t("imp.outcome_patents_count"))]
    : IMPACT_OUTCOMES.map((o) => el("option", { value: o }, label("impact_outcome", o))))));
  const treatment = sel("imp-treatment", "treatment", ["membership", "funded"], "membership");
  const sample = sel("imp-sample", "sample", ["direct", "spillover", "all"], "direct");
  const control = sel("imp-control", "control", ["never", "notyet"], "never");
  // The DiD's errors drawn over pôles (a non-member firm is its own cluster).
  const cluster = sel("imp-cluster", "cluster", ["unit", "cluster"], "unit");
  // Heterogeneity: the effect in each group and the test that they are equal (not for the two-way
  // event study, which has no single effect).
  // The DiD on an unbalanced panel: every firm, compared over the pairs of years it is seen in.
  const panel = sel("imp-panel", "panel", ["balanced", "pairs", "rc"], "balanced");
  // The DiD's robustness checks: a placebo two years earlier, each cohort left out.
  const robust = sel("imp-robustness", "robustness", ["0", "1"], "0");
  const by = sel("imp-by-var", "by", ["none", "size_class", "sector", "region", "cohort", "cluster"], "none");
  // A regression's groups: the treatment interacted in one regression, or one regression per group.
  const byMode = sel("imp-by-mode", "by_mode", ["interaction", "split"], "interaction");
  const boot = el("input", { class: "fr-input", id: "imp-bootstrap", type: "number", min: 0, max: 9999, value: 199 });
  const seed = el("input", { class: "fr-input", id: "imp-seed", type: "number", min: 0, value: 1 });
  const progress = el("progress", { id: "imp-progress", max: 1, value: 0 });
  const stage = el("span", { id: "imp-stage", class: "muted" });
  const cancel = el("button", { type: "button", id: "imp-cancel", class: "secondary", hidden: true }, t("imp.cancel"));
  const resultBox = el("div", { id: "imp-result" });
  const jobsBox = el("div", { id: "imp-jobs" });
  const start = el("button", { type: "submit", id: "imp-start" }, t("imp.start"));
  const form = el("form", { class: "filters", id: "imp-form", onsubmit: async (e) => {
    e.preventDefault();
    const body = { estimator: estimator.value, outcome: outcome.value, treatment: treatment.value, sample: sample.value, control: control.value,
      bootstrap: boot.value, seed: seed.value, ...(estimator.value === "did" && cluster.value === "cluster" ? { cluster: "cluster" } : {}),
      ...(by.value !== "none" ? { by: by.value } : {}),
      ...(by.value !== "none" && ["ols", "ppml"].includes(estimator.value) ? { by_mode: byMode.value } : {}), ...(estimator.value === "did" ? { panel: panel.value, robustness: robust.value } : {}) };
    try {
      const job = await api("POST", "/api/v1/impact/jobs", body);
      location.hash = `#/impact?job=${job.id}`;
    } catch (err) { resultBox.replaceChildren(problemBox(err)); }
  } }, el("label", {}, t("imp.estimator"), estimator), el("label", {}, t("imp.outcome"), outcome), el("label", {}, t("imp.treatment"), treatment),
    el("label", {}, t("imp.sample"), sample), el("label", {}, t("imp.control"), control), el("label", {}, t("imp.cluster"), cluster), el("label", {}, t("imp.panel"), panel), el("label", {}, t("imp.robustness"), robust), el("label", {}, t("imp.by"), by), el("label", {}, t("imp.by_mode"), byMode), el("label", {}, t("imp.bootstrap"), boot),
    el("label", {}, t("imp.seed"), seed), start);
  root.append(el("h1", {}, t("imp.title")), el("p", { class: "muted" }, t("imp.intro")), form,
    // The status of the estimation the URL names (none: no card).
    el("section", { class: "card", id: "imp-status", hidden: !params.get("job") }, el("h2", {}, t("imp.status")), progress, " ", stage, " ", cancel), resultBox,
    el("section", { class: "card" }, el("h2", {}, t("imp.jobs")), jobsBox));
  // The recent estimations, numbered as the server numbers them (job-7: n° 7); read again when the
  // one followed ends.
  const loadJobs = async () => {
  const list = await api("GET", "/api/v1/impact/jobs");
  jobsBox.replaceChildren(list.items.length ? table([{ label: t("imp.job"), value: (j) => el("a", { href: `#/impact?job=${encodeURIComponent(j.id)}`, class: "nowrap" }, j.id.replace(/^job-/, t("imp.job_number"))) },
    { label: t("imp.estimator"), value: (j) => t(`imp.estimator.${j.params.estimator || "did"}`) }, { label: t("imp.outcome"), value: (j) => { const o = j.params.outcome || (j.params.formula ? j.params.formula.split("~")[0].trim() : j.params.estimator === "ppml" ? "patents" : "log(rd_spending)"); return o === "patents" ? t("imp.outcome_patents_count") : label("impact_outcome", o); } },
    { label: t("imp.state"), value: (j) => t(`imp.state.${j.state}`) }, { label: t("imp.created"), value: (j) => date(j.created) }], list.items)
    : el("p", { class: "muted" }, t("none")));
  };
  await loadJobs();
  // The job the URL names: an id as the server makes them, nothing else (it goes into paths).
  const id = /^job-\d+$/.test(params.get("job") || "") ? params.get("job") : null;
  if (!id) return;
  cancel.hidden = false;
  cancel.addEventListener("click", () => api("DELETE", `/api/v1/impact/jobs/${id}`));
  // Poll the job until it ends (the page may be left meanwhile: stop when it is no longer shown).
  let formShown = false;
  // The page is put in the document after it is built: polling stops once it has been shown and
  // is no longer (the person went elsewhere), or if it never was within 10 s (a newer page won).
  let shown = false, polls = 0;
  const poll = async () => {
    if (root.isConnected) shown = true;
    else if (shown || ++polls > 25) return;
    const j = await api("GET", `/api/v1/impact/jobs/${id}`);
    progress.value = j.progress;
    // The server's stage names, in the page's language (one unknown stays as it is).
    const stageName = t(`imp.stage.${j.stage}`);
    // A job that ended says only that (its last stage, "end", adds nothing).
    stage.textContent = j.state !== "running" && j.state !== "queued" ? t(`imp.state.${j.state}`) : `${t(`imp.state.${j.state}`)} — ${stageName === `imp.stage.${j.stage}` ? j.stage : stageName}`;
    // The form says what the job estimated (once: the user may then change it).
    if (!formShown) for (const [box, key] of [[estimator, "estimator"], [outcome, "outcome"], [treatment, "treatment"], [sample, "sample"], [control, "control"], [cluster, "cluster"], [panel, "panel"], [robust, "robustness"], [by, "by"], [byMode, "by_mode"]]) {
      if (!j.params?.[key] || box.value === j.params[key] || ![...box.options].some((o) => o.value === j.params[key])) continue;
      box.value = j.params[key];
      if (box === estimator) estimator.dispatchEvent(new Event("change"));  // its outcomes
    }
    formShown = true;
    root.dataset.state = j.state;
    if (j.state === "running") { setTimeout(poll, 400); return; }
    cancel.hidden = true;
    loadJobs().catch(() => {});
    if (j.state === "done") showImpact(resultBox, j.result, id);
    else resultBox.replaceChildren(el("p", { class: "problem", role: "alert" }, j.error || j.state));
  };
  setTimeout(poll, 0);
}

// A p-value as read: below 0.001 it is "< 0,001" (a p of 1e-90 is not "0"); null: "—".
// "= 0,123" or "< 0,001", after "p".
const pValue = (p) => (p === null || p === undefined ? "= —" : p < 0.001 ? `< ${fmt(0.001, 3)}` : `= ${fmt(p, 3)}`);

function estimateRows(rows, keyLabel, key) {
  // Masked: "s"; a row whose estimation failed (note) says so.
  const v = (x, d = 4, r = {}) => (x === null || x === undefined ? (r.note ? t(`imp.by_note.${r.note}`) : "s") : fmt(x, d));
  return table([{ label: keyLabel, value: key }, { label: t("imp.estimate"), num: true, value: (r) => v(r.estimate, 4, r) }, { label: t("imp.se"), num: true, value: (r) => (r.note ? "" : v(r.se)) },
    { label: t("imp.ci"), num: true, value: (r) => (r.note ? "" : `[${v(r.ci_low)} ; ${v(r.ci_high)}]`) }], rows);
}

// The plain reading of the headline estimate (a change in percent on a log outcome).
// A regression's term as a person reads it: the treatment dummies the server makes are named in
// the page's language, a formula's own terms are the user's words.
const termName = (x) => (t(`imp.term.${x}`) !== `imp.term.${x}` ? t(`imp.term.${x}`) : x);

function readingLine(r) {
  const g = r.reading;
  if (!g || g.value === null || g.value === undefined) return "";
  const pct = g.scale === "percent";
  const s = (v) => (v === null ? "—" : `${v > 0 ? "+" : ""}${fmt(v, pct ? 1 : 3)}${pct ? "\u00a0%" : ""}`);
  const outcome = r.design?.outcome ?? r.outcome ?? "";  // matching: the change of this outcome
  const base = /^log1?p?\((.+)\)$/.exec(outcome)?.[1] ?? outcome;
  const what = t(`imp.var.${base}`) !== `imp.var.${base}` ? t(`imp.var.${base}`) : outcome;
  return el("p", { id: "imp-reading", class: "reading" }, el("strong", {}, t("imp.reading")), " ",
    t(pct ? "imp.reading_pct" : "imp.reading_level", { v: s(g.value), lo: s(g.low), hi: s(g.high), y: what }),
    ["simple", "att"].includes(g.term) ? "" : [" ", t("imp.reading_term", { x: termName(g.term) })], " ",
    t(g.conclusive === null || g.conclusive === undefined ? "imp.no_interval" : g.conclusive ? "imp.conclusive" : "imp.inconclusive"));
}

// A pre-treatment test that rejects parallel trends (p < 0.05) says what it means for the reading:
// the effect shown may carry differences that were there before the treatment.
const pretrendWarning = (test) => (!test || test.warning || test.p == null || test.p >= 0.05 ? ""
  : el("p", { class: "warning", id: "imp-pretrend-warning" }, t("imp.pretrend_rejected")));
function showImpact(box, r, id) {
  const links = el("p", {}, el("a", { href: `/api/v1/reports/impact/${encodeURIComponent(id)}?format=html&lang=${lang}`, target: "_blank", id: "imp-report-html" }, t("imp.report_html")),
    " · ", el("a", { href: `/api/v1/reports/impact/${encodeURIComponent(id)}?format=pdf&lang=${lang}`, id: "imp-report-pdf" }, t("imp.report_pdf")));
  const plot = el("div", { class: "chart", id: "imp-plot", role: "img", "aria-label": t("imp.plot") });
  const band = (terms, x) => ({ xAxis: { type: "value", name: t("imp.event_time"), nameLocation: "middle", nameGap: 28, minInterval: 1 }, yAxis: { type: "value", scale: true },
    series: [{ name: t("imp.estimate"), type: "line", data: terms.filter((d) => d.estimate !== null).map((d) => [d[x], d.estimate]), color: "#000091" },
      { name: t("imp.ci"), type: "custom", renderItem: (p, api2) => {
        const a = api2.coord([api2.value(0), api2.value(1)]), b = api2.coord([api2.value(0), api2.value(2)]);
        return { type: "line", shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style: { stroke: "#000091", lineWidth: 2, opacity: 0.5 } };
      }, data: terms.filter((d) => d.ci_low !== null).map((d) => [d[x], d.ci_low, d.ci_high]) },
      { name: t("imp.zero"), type: "line", data: terms.map((d) => [d[x], 0]), color: "#999", lineStyle: { type: "dashed" }, showSymbol: false }] });
  if (r.estimator === "did") {
    const ag = r.aggregations;
    box.replaceChildren(el("section", { class: "card", id: "imp-summary" }, el("h2", {}, t("imp.results")),
      estimateRows(["simple", "dynamic", "group", "calendar"].map((k) => ({ k, ...ag[k] })), t("imp.aggregation"), (x) => t(`imp.agg.${x.k}`)), readingLine(r),
      el("p", { id: "imp-pretest" }, r.pretest.warning ? t("imp.pretest_singular", { n: fmt(r.pretest.df), units: fmt(r.data.units) }) : t("imp.pretest", { p: pValue(r.pretest.p), units: fmt(r.data.units) })), pretrendWarning(r.pretest), links),
    el("section", { class: "card" }, el("h2", {}, t("imp.plot")), plot, estimateRows(ag.dynamic.terms, t("imp.event_time"), (x) => x.key)),
    el("section", { class: "card", id: "imp-groups" }, el("h2", {}, t("imp.by_cohort")), estimateRows(ag.group.terms, t("imp.cohort"), (x) => x.key)),
    r.robustness ? el("section", { class: "card", id: "imp-checks" }, el("h2", {}, t("imp.robustness_title")),
      estimateRows([{ name: t("imp.placebo", { k: r.robustness.placebo_shift }), ...r.robustness.placebo, note: r.robustness.placebo_note }], "", (x) => x.name),
      el("p", { class: "muted" }, t("imp.placebo_help", { k: r.robustness.placebo_shift })),
      estimateRows(r.robustness.leave_one_out, t("imp.left_out_cohort"), (x) => x.cohort)) : "");
    chart(plot, band(ag.dynamic.terms, "key"));
  } else if (r.estimator === "event" || r.estimator === "sunab") {
    const sunab = r.estimator === "sunab";
    box.replaceChildren(el("section", { class: "card", id: "imp-summary" }, el("h2", {}, t("imp.plot")), plot, estimateRows(r.terms, t("imp.event_time"), (x) => x.e),
      el("p", { id: "imp-pretest" }, r.pretrend.warning ? t("imp.pretrend_singular", { n: fmt(r.pretrend.df) }) : t("imp.pretrend", { p: pValue(r.pretrend.p) })), pretrendWarning(r.pretrend),
      sunab ? [estimateRows([{ name: t("imp.att_sunab"), ...r.att }], "", (x) => x.name), readingLine(r),
        r.control_cohort ? el("p", {}, t("imp.control_last", { g: r.control_cohort })) : ""] : "", links),
    sunab ? el("section", { class: "card", id: "imp-cohorts" }, el("h2", {}, t("imp.by_cohort")),
      table([{ label: t("imp.cohort"), value: (c) => c.g }, { label: t("imp.event_time"), value: (c) => c.e },
        { label: t("imp.estimate"), num: true, value: (c) => (c.estimate === null ? "s" : fmt(c.estimate, 4)) },
        { label: t("imp.se"), num: true, value: (c) => (c.se === null ? "s" : fmt(c.se, 4)) },
        { label: t("imp.rows"), num: true, value: (c) => (c.rows === null ? "s" : fmt(c.rows)) },
        { label: t("imp.weight"), num: true, value: (c) => (c.weight === null ? "s" : fmt(c.weight, 3)) }], r.cohorts)) : "");
    chart(plot, band(r.terms, "e"));
  } else if (r.estimator === "ols" || r.estimator === "ppml") {
    box.replaceChildren(el("section", { class: "card", id: "imp-summary" }, el("h2", {}, t("imp.results")), estimateRows(r.coefficients, t("imp.variable"), (x) => termName(x.name)), readingLine(r),
      el("p", {}, t("imp.fit", { n: fmt(r.n), r2: fmt(r.r2, 3), within: fmt(r.within_r2, 3) })), links));
  } else {
    box.replaceChildren(el("section", { class: "card", id: "imp-summary" }, el("h2", {}, t("imp.results")),
      r.att ? estimateRows([{ name: t("imp.att_matched"), ...r.att }], "", (x) => x.name) : "", readingLine(r),
      el("p", {}, t("imp.matched", { t: fmt(r.treated_matched), tt: fmt(r.treated), c: fmt(r.controls_matched), cc: fmt(r.controls) })), links),
    el("section", { class: "card" }, el("h2", {}, t("imp.balance")), plot,
      table([{ label: t("imp.variable"), value: (b) => b.name }, { label: t("imp.smd_before"), num: true, value: (b) => fmt(b.smd, 3) },
        { label: t("imp.smd_after"), num: true, value: (b) => fmt(b.matched_smd, 3) }], r.balance)));
    chart(plot, { xAxis: { type: "value" }, yAxis: { type: "category", data: r.balance.map((b) => b.name) }, tooltip: { trigger: "item" },
      series: [{ name: t("imp.smd_before"), type: "scatter", data: r.balance.map((b) => [b.smd, b.name]), color: "#999" },
        { name: t("imp.smd_after"), type: "scatter", data: r.balance.map((b) => [b.matched_smd, b.name]), color: "#000091" }] });
  }
  plot.dataset.ready = "true";
  box.dataset.estimator = r.estimator;
  if (r.by) byGroups(r.by).then((section) => box.append(section));
}

// The effect in each group (by=) with its reading, and the test that they are equal; the groups
// by their names (regions, pôles, NAF divisions from the API; size classes from the vocabulary).
async function byGroups(by) {
  const names = {};
  const year = new Date().getFullYear() - 2;  // the regions' names
  try {
    if (by.variable === "region") (await api("GET", `/api/v1/stats/regions?year=${year}`)).regions.forEach((x) => { names[x.code] = x.name; });
    if (by.variable === "cluster") (await api("GET", "/api/v1/cluster?limit=500")).items.forEach((x) => { names[x.id] = x.acronym || x.name; });
    if (by.variable === "sector") (await api("GET", "/api/v1/foresight/sectors?territory_level=region&nomenclature=a88")).items
      .forEach((x) => { names[x.sector] = `${x.sector} — ${(lang === "en" ? x.name_en : x.name) || x.sector}`; });
  } catch { /* without the names, the codes */ }
  const name = (k) => (by.variable === "size_class" ? label("size_class", k) : names[k] ?? k);
  // A group without an estimate: "s" (secrecy), or why it has none.
  const absent = (g) => (g.note ? t(`imp.by_note.${g.note}`) : "s");
  const v = (x, d = 4) => (x === null || x === undefined ? "s" : fmt(x, d));
  const shown = (g) => {
    const r = g.reading;
    if (!r || r.value === null || r.value === undefined) return g.note ? t(`imp.by_note.${g.note}`) : "s";
    const pct = r.scale === "percent";
    const s = (x) => `${x > 0 ? "+" : ""}${fmt(x, pct ? 1 : 3)}${pct ? "\u00a0%" : ""}`;
    return r.low === null || r.high === null ? s(r.value) : `${s(r.value)} [${s(r.low)} ; ${s(r.high)}]`;
  };
  const eq = by.equality;
  const method = by.method === "split" && by.shared_controls ? "split_shared" : by.method;
  return el("section", { class: "card", id: "imp-by" }, el("h2", {}, t("imp.by_title", { v: t(`imp.by.${by.variable}`) })),
    table([{ label: t(`imp.by.${by.variable}`), value: (g) => name(g.key) },
      { label: t("imp.estimate"), num: true, value: (g) => (g.estimate === null ? absent(g) : v(g.estimate)) },
      { label: t("imp.se"), num: true, value: (g) => (g.estimate === null ? "" : v(g.se)) },
      { label: t("imp.by_reading"), num: true, value: shown },
      { label: t("imp.by_rows"), num: true, value: (g) => (g.rows === null ? "s" : fmt(g.rows)) }], by.groups),
    el("p", { id: "imp-by-test" }, eq.stat === null ? t(eq.reason === "singular" ? "imp.by_singular" : "imp.by_no_test") : t("imp.by_test", { stat: fmt(eq.stat, 2), df: fmt(eq.df), p: pValue(eq.p) })),
    eq.left_out.length ? el("p", { class: "muted", id: "imp-by-left-out" }, t("imp.by_left_out", { list: eq.left_out.map(name).join(", ") })) : "",
    by.ungrouped ? el("p", { class: "muted" }, t("imp.by_ungrouped", { n: fmt(by.ungrouped) })) : "",
    el("p", { class: "muted" }, t(`imp.by_method.${method}`)));
}
