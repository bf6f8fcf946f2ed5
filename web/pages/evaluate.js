// The evaluation of the clusters with the shared method: ranking, a cluster's detail, the method,
// the State's decisions, the qualitative assessments, the characterisation; or, below three
// clusters, each cluster against itself.
import { t, lang, fmt, pct, date, dateTime } from "/i18n.js";
import { label, indicatorLabel, indicatorDefinition } from "/vocab.js";
import { api, me } from "/lib/api.js";
import { el, colon, years, escapeHtml } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { source, confirmDialog, problemBox } from "/lib/blocks.js";
import { names } from "/lib/names.js";
import { chart } from "/lib/chart.js";
import { whyList, peerMeans, loadIndicatorUnits, unitOf, valueOf, canEvaluate, EVAL_YEAR } from "/lib/evaluation.js";

// Tabs: one panel shown at a time, the choice in the URL (`tab=`), arrows move between tabs.
function tabs(id, items, chosen, onPick) {
  const list = el("div", { role: "tablist", "aria-label": id });
  const panels = [];
  const buttons = items.map(([key, title, panel], i) => {
    // A class of its own: the DSFR's button colours (el's default) would hover the chosen tab
    // navy on blue.
    const b = el("button", { type: "button", role: "tab", class: "tab", id: `tab-${key}`, "aria-controls": `panel-${key}`, "aria-selected": String(key === chosen), tabindex: key === chosen ? 0 : -1,
      onclick: () => pick(key), onkeydown: (e) => {
        const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
        if (d) { const n = items[(i + d + items.length) % items.length][0]; pick(n); document.getElementById(`tab-${n}`).focus(); }
      } }, title);
    panels.push(el("div", { role: "tabpanel", id: `panel-${key}`, "aria-labelledby": `tab-${key}`, hidden: key !== chosen }, panel));
    return b;
  });
  list.append(...buttons);
  function pick(key) {
    buttons.forEach((b) => { const on = b.id === `tab-${key}`; b.setAttribute("aria-selected", String(on)); b.tabIndex = on ? 0 : -1; });
    panels.forEach((p) => { p.hidden = p.id !== `panel-${key}`; });
    onPick(key);
    window.dispatchEvent(new Event("resize"));
  }
  return el("div", { class: "tabs", id }, list, panels);
}

// Fewer than 3 clusters labelled in the year (a single cluster's or a region's store): no
// ranking; each cluster against itself — its indicators the year before and this year, its
// contract targets, the action they call for, its trends.
async function pageEvaluateAlone(root, ev, year, params) {
  const c = ev.clusters.find((x) => x.cluster === params.get("cluster")) || ev.clusters[0];
  const yearSel = el("select", { id: "ev-year", class: "fr-select", onchange: (e) => { location.hash = `#/evaluate?year=${e.target.value}`; } },
    years(2010, 2024).reverse().map((y) => el("option", { value: y, selected: y === year }, y)));
  const clusterSel = el("select", { id: "ev-cluster", class: "fr-select", onchange: (e) => { location.hash = `#/evaluate?year=${year}&cluster=${encodeURIComponent(e.target.value)}`; } },
    ev.clusters.map((x) => el("option", { value: x.cluster, selected: x.cluster === c.cluster }, x.name)));
  const change = (id) => {
    const v = c.indicators[id], p = c.previous_indicators?.[id];
    if (v == null || p == null) return "—";
    if (v === p) return "=";
    const sign = v > p ? "+" : "−";
    if (unitOf(id) === "share") return `${sign}${fmt(Math.abs(v - p) * 100, 1)} pt`;
    return p === 0 ? "—" : `${sign}${pct(Math.abs((v - p) / p), 1)}`;
  };
  root.append(el("h1", {}, t("ev.title")),
    el("div", { class: "filters" }, el("label", {}, t("year"), yearSel), ev.clusters.length > 1 ? el("label", {}, t("cluster"), clusterSel) : ""),
    el("div", { class: "fr-callout", id: "ev-unranked" }, el("p", {}, t("ev.unranked", { n: fmt(ev.evaluated ?? ev.clusters.length), y: year }))),
    el("section", { class: "card", id: "ev-self" }, el("h2", { translate: "no" }, c.name),
      table([{ label: t("indicator"), value: (id) => el("abbr", { title: indicatorDefinition(id) }, indicatorLabel(id)) },
        { label: String(year - 1), num: true, value: (id) => valueOf(id, c.previous_indicators?.[id]) },
        { label: String(year), num: true, value: (id) => valueOf(id, c.indicators[id]) },
        { label: t("ev.change"), num: true, value: change }], ev.method.indicators, null, { id: "ev-self-table" }), source()),
    el("section", { class: "card", id: "ev-compliance" }, el("h2", {}, t("ev.compliance", { name: "" }), el("span", { translate: "no" }, c.name)),
      el("p", {}, t("ev.misses", { n: fmt(c.consecutive_misses) }), c.improvement_plan ? " " + t("ev.plan") : ""),
      c.targets.length ? table([{ label: t("indicator"), value: (r) => indicatorLabel(r.indicator) },
        { label: t("ev.target"), num: true, value: (r) => valueOf(r.indicator, r.target) },
        { label: t("value"), num: true, value: (r) => valueOf(r.indicator, r.value) },
        { label: t("ev.met"), value: (r) => (r.met === null ? "?" : r.met ? "✓" : "✗") }], c.targets, null, { tools: false }) : el("p", { class: "muted" }, t("ev.no_targets")),
      el("p", { id: "ev-action", "data-action": c.action.action }, el("strong", {}, `${t("ev.action")}${colon()}${label("action_level", c.action.level)}`)),
      el("p", {}, el("a", { href: `/api/v1/reports/cluster/${encodeURIComponent(c.cluster)}?year=${year}&lang=${lang}&format=html`, target: "_blank", id: "ev-report-html" }, t("ev.report_html")),
        " · ", el("a", { href: `/api/v1/reports/cluster/${encodeURIComponent(c.cluster)}?year=${year}&lang=${lang}&format=pdf`, id: "ev-report-pdf" }, t("ev.report_pdf")))),
    decisionCard(year, c),
    el("p", {}, el("a", { href: `#/cluster/${encodeURIComponent(c.cluster)}` }, t("profile.identity") + " — ", el("span", { translate: "no" }, c.name))));
}

// The cluster over the phase that ends with the year (four years): each year's rank, interval,
// rating, action, criteria and targets, and its median rank, trend and consistency (app/phase.h).
function phaseCard(year, c) {
  const from = Math.max(2005, year - 3);
  const box = el("section", { class: "card", id: "ev-phase" }, el("h2", {}, t("ph.title", { a: from, b: year })), el("p", { class: "muted" }, t(canEvaluate() ? "ph.intro" : "ph.intro_published")));
  api("GET", `/api/v1/evaluate/phase?from=${from}&to=${year}`).then((ph) => {
    const p = ph.clusters.find((x) => x.cluster === c.cluster);
    if (!p) { box.append(el("p", { class: "muted" }, t("ph.none"))); return; }
    const rk = p.median_rank == null ? t("ph.no_rank") : p.best_rank === p.worst_rank ? t("ph.rank_one", { k: fmt(p.best_rank) })
      : t("ph.rank_range", { k: fmt(p.median_rank, Number.isInteger(p.median_rank) ? 0 : 1), best: fmt(p.best_rank), worst: fmt(p.worst_rank) });
    const unrated = t("ph.unrated", { rk, t: label("trend", p.trend) });
    box.append(el("p", { id: "ph-summary" }, p.rating ? t("ph.summary", { rk, t: label("trend", p.trend), r: label("rating", p.rating), n: fmt(p.years_rated), m: fmt(p.years.length), c: label("consistency", p.consistency) })
      : unrated.charAt(0).toUpperCase() + unrated.slice(1)),
      table([{ label: t("year"), num: true, value: (y) => y.year }, { label: t("ph.rank"), num: true, value: (y) => (y.rank ? `${fmt(y.rank)} / ${fmt(y.clusters)}` : "—") },
        { label: t("sel.interval"), num: true, value: (y) => (y.rank ? `${fmt(y.rank_interval.p05)}–${fmt(y.rank_interval.p95)}` : "—") },
        { label: t("rating"), value: (y) => (y.rating ? label("rating", y.rating) : "—") }, { label: t("ev.action"), value: (y) => label("action_level", y.action_level) },
        { label: t("ph.criteria"), num: true, value: (y) => (y.criteria_known ? `${y.criteria_failed} / ${y.criteria_known}` : "—") },
        { label: t("ph.targets"), num: true, value: (y) => (y.targets_known ? `${y.targets_met} / ${y.targets_known}` : "—") },
        { label: t("ph.source"), value: (y) => t(y.published ? "ph.published" : "ph.computed") }], p.years, null, { tools: false, id: "ph-table" }));
  }).catch((err) => box.append(err.problem?.status === 404 ? el("p", { class: "muted" }, t("ph.none")) : problemBox(err)));
  return box;
}
// The State's decision on a cluster after a published evaluation: what was decided, the
// cluster's answer, and at the next published evaluation whether what triggered it improved
// (app/decisions.h). The State records, replaces or withdraws it; the cluster's manager answers.
const mayDecide = () => ["admin", "state"].includes(me()?.user.role);
function triggerWhat(x) {
  return x.kind === "target" ? t("dec.target", { i: indicatorLabel(x.indicator), v: valueOf(x.indicator, x.threshold) }) : (lang === "fr" ? x.text_fr : x.text_en);
}
function decisionView(d) {
  const docs = d.documents.length ? el("ul", {}, d.documents.map((x) => el("li", {}, el("a", { href: x.url, target: "_blank", rel: "noopener noreferrer", translate: "no" }, x.title)))) : "";
  const follow = d.followed_up_in == null ? el("p", { class: "muted", id: "dec-follow-up" }, t("dec.pending"))
    : el("p", { id: "dec-follow-up", "data-follow-up": d.follow_up }, el("strong", {}, t("dec.follow_up", { y: d.followed_up_in, f: label("follow_up", d.follow_up) })));
  return el("div", { id: "dec-view" },
    el("p", { id: "dec-level", "data-level": d.level }, el("strong", {}, `${t("dec.level")}${colon()}${label("action_level", d.level)}`),
      d.level !== d.proposed_level ? el("span", { class: "muted" }, ` (${t("dec.proposed")}${colon()}${label("action_level", d.proposed_level)})`) : ""),
    el("p", { class: "pre", translate: "no" }, d.text),
    el("p", {}, `${t("dec.deadline")}${colon()}${date(d.deadline)} — ${t("dec.owner")}${colon()}`, el("span", { translate: "no" }, d.owner)),
    docs, el("p", { class: "muted" }, t("dec.decided", { who: d.decided_by, at: dateTime(d.decided_at) })),
    el("h3", { class: "fr-h6" }, t("dec.answer")),
    d.answer ? el("div", {}, el("p", { class: "pre", translate: "no", id: "dec-answer" }, d.answer), el("p", { class: "muted" }, t("dec.answered", { who: d.answered_by, at: dateTime(d.answered_at) })))
      : el("p", { class: d.overdue ? "error" : "muted" }, t(d.overdue ? "dec.overdue" : "dec.no_answer")),
    el("h3", { class: "fr-h6" }, t("dec.triggers")), follow,
    d.triggers.length ? table([{ label: t("dec.kind"), value: (x) => label("trigger_kind", x.kind) }, { label: t("dec.what"), value: triggerWhat },
      { label: t("dec.then", { y: d.year }), num: true, value: (x) => valueOf(x.indicator, x.value) },
      { label: t("dec.after"), num: true, value: (x) => valueOf(x.indicator, x.value_after) },
      { label: t("dec.outcome"), value: (x) => label("follow_up", x.outcome) }], d.triggers, null, { tools: false, id: "dec-triggers" }) : el("p", { class: "muted" }, label("follow_up", "no_trigger")));
}
function decisionForm(year, c, d, done) {
  const level = el("select", { class: "fr-select", id: "dec-level-input" }, [0, 1, 2, 3, 4].map((l) => el("option", { value: l, selected: l === (d ? d.level : c.action.level) }, label("action_level", l))));
  const text = el("textarea", { class: "fr-input", id: "dec-text", rows: 4, maxlength: 4000 }, d?.text ?? "");
  const deadline = el("input", { class: "fr-input", id: "dec-deadline", type: "date", value: d?.deadline ?? `${year + 1}-06-30` });
  const owner = el("input", { class: "fr-input", id: "dec-owner", maxlength: 200, value: d?.owner ?? "" });
  const docs = el("div", { id: "dec-docs" });
  const addDoc = (x = { title: "", url: "" }) => docs.append(el("div", { class: "filters" },
    el("label", {}, t("dec.doc_title"), el("input", { class: "fr-input", maxlength: 200, value: x.title, "data-doc": "title" })),
    el("label", {}, t("dec.doc_url"), el("input", { class: "fr-input", type: "url", maxlength: 2000, value: x.url, "data-doc": "url" }))));
  (d?.documents ?? []).forEach((x) => addDoc(x));
  const msg = el("div", { role: "status" });
  const body = () => ({ level: +level.value, text: text.value, deadline: deadline.value, owner: owner.value,
    documents: [...docs.children].map((r) => ({ title: r.querySelector("[data-doc=title]").value, url: r.querySelector("[data-doc=url]").value })).filter((x) => x.title.trim() || x.url.trim()) });
  return el("form", { id: "dec-form", onsubmit: async (e) => {
    e.preventDefault();
    try { await api("PUT", `/api/v1/evaluate/decisions/${year}/${encodeURIComponent(c.cluster)}`, body()); done(); }
    catch (err) { msg.replaceChildren(problemBox(err)); }
  } }, el("h3", { class: "fr-h6" }, t("dec.form")),
  el("label", { class: "fr-label" }, t("dec.level"), level), el("p", { class: "muted" }, `${t("dec.proposed")}${colon()}${label("action_level", d ? d.proposed_level : c.action.level)}`),
  el("label", { class: "fr-label" }, t("dec.text"), text), el("div", { class: "filters" }, el("label", {}, t("dec.deadline"), deadline), el("label", {}, t("dec.owner"), owner)),
  el("fieldset", {}, el("legend", {}, t("dec.documents")), docs, el("button", { type: "button", class: "secondary", onclick: () => addDoc() }, t("dec.add_doc"))),
  msg, el("div", { class: "filters" }, el("button", { type: "submit", id: "dec-record" }, t("dec.record")),
    d ? el("button", { type: "button", class: "secondary", id: "dec-withdraw", onclick: async () => {
      if (!(await confirmDialog(t("dec.withdraw_confirm", { c: c.name, y: year })))) return;
      try { await api("DELETE", `/api/v1/evaluate/decisions/${year}/${encodeURIComponent(c.cluster)}`); done(); } catch (err) { msg.replaceChildren(problemBox(err)); }
    } }, t("dec.withdraw")) : ""));
}
function answerForm(year, c, d, done) {
  const answer = el("textarea", { class: "fr-input", id: "dec-answer-input", rows: 4, maxlength: 4000 }, d.answer ?? "");
  const msg = el("div", { role: "status" });
  return el("form", { id: "dec-answer-form", onsubmit: async (e) => {
    e.preventDefault();
    try { await api("POST", `/api/v1/evaluate/decisions/${year}/${encodeURIComponent(c.cluster)}/answer`, { answer: answer.value }); done(); }
    catch (err) { msg.replaceChildren(problemBox(err)); }
  } }, el("label", { class: "fr-label" }, t("dec.answer"), answer), msg, el("button", { type: "submit", id: "dec-send" }, t("dec.send")));
}
function decisionCard(year, c) {
  const box = el("section", { class: "card", id: "ev-decision" });
  const load = async () => {
    box.replaceChildren(el("h2", {}, t("dec.title", { y: year })));
    const pubs = await api("GET", "/api/v1/evaluate/publications");
    if (!pubs.items.some((p) => p.year === year)) { box.append(el("p", { class: "muted" }, t("dec.unpublished", { y: year }))); return; }
    let d = null;
    try { d = await api("GET", `/api/v1/evaluate/decisions/${year}/${encodeURIComponent(c.cluster)}`); }
    catch (err) { if (err.problem?.status !== 404) throw err; }
    box.append(d ? decisionView(d) : el("p", { class: "muted", id: "dec-none" }, t("dec.none")));
    if (d?.may_answer) box.append(answerForm(year, c, d, load));
    if (mayDecide()) box.append(decisionForm(year, c, d, load));
  };
  load().catch((err) => box.append(problemBox(err)));
  return box;
}
// Every decision the caller may read, with its answer and follow-up.
function decisionsList() {
  const box = el("section", { class: "card", id: "ev-decisions" }, el("h2", {}, t("dec.tab")), el("p", { class: "muted" }, t("dec.intro")));
  api("GET", "/api/v1/evaluate/decisions").then((r) => {
    const status = (d) => (d.answer ? t("dec.status_answered") : d.overdue ? t("dec.status_overdue") : t("dec.status_awaiting"));
    box.append(el("p", { id: "dec-summary" }, t("dec.summary", { n: fmt(r.items.length), a: fmt(r.answered), o: fmt(r.overdue) })),
      r.items.length ? table([{ label: t("year"), num: true, value: (d) => d.year },
        { label: t("cluster"), value: (d) => el("a", { href: `#/evaluate?year=${d.year}&cluster=${encodeURIComponent(d.cluster)}&tab=detail`, translate: "no" }, d.cluster_name) },
        { label: t("dec.proposed"), value: (d) => label("action_level", d.proposed_level) }, { label: t("dec.level"), value: (d) => label("action_level", d.level) },
        { label: t("dec.deadline"), value: (d) => date(d.deadline), sort: (d) => d.deadline }, { label: t("dec.status"), value: status },
        { label: t("dec.outcome"), value: (d) => (d.followed_up_in == null ? label("follow_up", "pending") : `${d.followed_up_in}${colon()}${label("follow_up", d.follow_up)}`) }],
      r.items, null, { id: "dec-table" }) : el("p", { class: "muted" }, t("dec.none")));
  }).catch((err) => box.append(problemBox(err)));
  return box;
}

export async function pageEvaluate(root, params) {
  const year = +(params.get("year") || EVAL_YEAR);
  const failed = (err) => ({ failed: err });
  const [ev, qual, chr] = await Promise.all([api("GET", `/api/v1/evaluate?year=${year}&draws=2000&sobol_n=200`),
    api("GET", `/api/v1/evaluate/assessments?year=${year}`).catch(failed), api("GET", `/api/v1/evaluate/characterisation?year=${year}`).catch(failed), loadIndicatorUnits()]);
  if (ev.ranked === false) return pageEvaluateAlone(root, ev, year, params);
  const regionNames = Object.fromEntries(((await api("GET", `/api/v1/stats/regions?year=${year}`).catch(() => ({ regions: [] }))).regions || []).map((r) => [r.code, r.name]));
  for (const x of [qual, chr]) if (x.failed) throw x.failed;
  const chosen = params.get("cluster") || ev.clusters[0]?.cluster;
  const c = ev.clusters.find((x) => x.cluster === chosen) || ev.clusters[0];
  let tab = params.get("tab") || (params.get("cluster") ? "detail" : "ranking");
  const url = (cluster, tb) => `#/evaluate?year=${year}&cluster=${encodeURIComponent(cluster)}&tab=${tb}`;
  const yearSel = el("select", { id: "ev-year", class: "fr-select", onchange: (e) => { location.hash = `#/evaluate?year=${e.target.value}&tab=${tab}`; } },
    years(2010, 2024).reverse().map((y) => el("option", { value: y, selected: y === year }, y)));
  const clusterSel = el("select", { id: "ev-cluster", class: "fr-select", onchange: (e) => { location.hash = url(e.target.value, "detail"); } },
    ev.clusters.map((x) => el("option", { value: x.cluster, selected: x.cluster === c.cluster }, `${x.rank}. ${x.name}`)));
  const rankBox = el("div", { class: "chart", id: "ev-ranks", role: "img", "aria-label": t("ev.ranking") });
  const radarBox = el("div", { class: "chart", id: "ev-radar", role: "img", "aria-label": t("ev.radar") });
  const trendBox = el("div", { class: "chart", id: "ev-trend", role: "img", "aria-label": t("ev.trends") });
  const indicatorSel = el("select", { id: "ev-indicator", class: "fr-select" }, ev.method.indicators.map((i) => el("option", { value: i }, indicatorLabel(i))));
  const peer = peerMeans(c, ev.peers[c.peer_group]);  // the others of its group (none: withheld or alone)
  const ranking = el("section", { class: "card", id: "ev-ranking" }, el("h2", {}, t("ev.ranking")), el("p", { class: "muted" }, t("ev.ranking_note")), rankBox,
    table([{ label: t("sel.rank"), num: true, value: (r) => r.rank }, { label: t("cluster"), value: (r) => el("span", { translate: "no" }, r.name) },
      { label: t("ev.index"), num: true, value: (r) => fmt(r.index, 3) }, { label: t("sel.interval"), num: true, sort: (r) => r.rank_interval.median, value: (r) => `${fmt(r.rank_interval.p05)}–${fmt(r.rank_interval.p95)}` },
      { label: t("rating"), value: (r) => label("rating", r.rating) }, { label: t("ev.peer"), value: (r) => `${label("peer_group", r.peer_group)}${colon()}${r.peer_rank}` },
      { label: t("ev.trend"), value: (r) => label("trend", r.trend) }, { label: t("ev.action"), value: (r) => label("action_level", r.action.level) }],
    ev.clusters, (r) => { location.hash = url(r.cluster, "detail"); }, { page: 500 }), source());
  const detail = el("div", {},
    el("section", { class: "card", id: "ev-why" }, el("h2", { translate: "no" }, c.name),
      el("p", {}, el("strong", {}, `${label("rating", c.rating)} — `), t("profile.rank", { r: fmt(c.rank), n: fmt(ev.evaluated ?? ev.clusters.length), lo: fmt(c.rank_interval.p05), hi: fmt(c.rank_interval.p95) })),
      el("h3", { class: "fr-h6" }, t("ev.why")), whyList(c, ev.peers[c.peer_group]),
      el("p", {}, el("a", { href: `#/cluster/${encodeURIComponent(c.cluster)}` }, t("profile.identity") + " — ", el("span", { translate: "no" }, c.name)))),
    el("div", { class: "grid" },
      el("section", { class: "card" }, el("h2", {}, t("ev.radar")), radarBox),
      el("section", { class: "card" }, el("h2", {}, t("ev.trends")), el("label", { class: "fr-label" }, t("indicator"), indicatorSel), el("p", { class: "muted", id: "ev-indicator-def" }), trendBox)),
    el("section", { class: "card", id: "ev-compliance" }, el("h2", {}, t("ev.compliance", { name: "" }), el("span", { translate: "no" }, c.name)),
      el("p", {}, t("ev.misses", { n: fmt(c.consecutive_misses) }), c.improvement_plan ? " " + t("ev.plan") : ""),
      table([{ label: t("indicator"), value: (r) => el("abbr", { title: indicatorDefinition(r.indicator) }, indicatorLabel(r.indicator)) },
        { label: t("ev.target"), num: true, value: (r) => valueOf(r.indicator, r.target) },
        { label: t("value"), num: true, value: (r) => valueOf(r.indicator, r.value) },
        { label: t("ev.met"), value: (r) => (r.met === null ? "?" : r.met ? "✓" : "✗") }], c.targets, null, { tools: false }),
      el("p", { id: "ev-action", "data-action": c.action.action }, el("strong", {}, `${t("ev.action")}${colon()}${label("action_level", c.action.level)}`)),
      el("p", {}, el("a", { href: `/api/v1/reports/cluster/${encodeURIComponent(c.cluster)}?year=${year}&lang=${lang}&format=html`, target: "_blank", id: "ev-report-html" }, t("ev.report_html")),
        " · ", el("a", { href: `/api/v1/reports/cluster/${encodeURIComponent(c.cluster)}?year=${year}&lang=${lang}&format=pdf`, id: "ev-report-pdf" }, t("ev.report_pdf")))),
    phaseCard(year, c), decisionCard(year, c));
  const method = el("div", {},
    el("p", {}, t("ev.method", { name: ev.method.name, n: fmt(ev.method.indicators.length), d: fmt(ev.uncertainty.draws), s: ev.uncertainty.seed })),
    el("p", {}, el("a", { href: "#/glossary" }, t("nav.glossary"))),
    el("section", { class: "card", id: "ev-sensitivity" }, el("h2", {}, t("ev.sensitivity")),
      table([{ label: t("ev.input"), value: (r) => label("sensitivity_input", r.input) }, { label: "S", num: true, value: (r) => fmt(r.first_order, 2) }, { label: "ST", num: true, value: (r) => fmt(r.total, 2) }], ev.sensitivity.indices, null, { tools: false })));
  const qualitative = el("section", { class: "card", id: "ev-assessments" }, el("h2", {}, t("ev.assessments")),
    el("p", {}, t("ev.agreement", { icc: fmt(qual.agreement.overall.icc1, 2), exact: fmt(100 * (qual.agreement.overall.exact_agreement ?? 0)), n: fmt(qual.agreement.overall.targets) })),
    qual.clusters.length ? table([{ label: t("cluster"), value: (r) => el("span", { translate: "no" }, r.name) },
      ...["structure", "governance", "financing", "services", "interaction", "achievements"].map((a) => ({ label: label("esca", a), num: true, value: (r) => (r.areas[a] ? fmt(r.areas[a].mean, 1) : "—") }))],
    qual.clusters) : el("p", { class: "muted" }, t("ev.no_assessments")));
  const regionOf = (code) => regionNames[code] || code;
  const clusterName = Object.fromEntries(chr.clusters.map((x) => [x.cluster, x.name]));
  const inLang = (fr, en) => (lang === "en" && en ? en : fr);
  const filiereOf = (r) => (r.filiere_name ? inLang(r.filiere_name, r.filiere_name_en) : r.filiere ? label("filiere", r.filiere) : "—");
  const clusterNames = (ids) => el("span", { translate: "no" }, ids.map((id) => clusterName[id] || id).join(", "));
  const listOr = (items, line) => (items.length ? el("ul", {}, items.map((x) => el("li", {}, line(x)))) : el("p", { class: "muted" }, t("none")));
  // A domain is named as its Region's strategy words it (in English when it gives a name).
  const s3Line = (d) => el("span", {}, lang === "en" && d.name_en ? d.name_en : el("span", { translate: "no" }, d.name), ` — ${regionOf(d.region)}`);
  const unknownRefs = chr.clusters.filter((r) => r.s3_unknown.length || r.filiere_name === "");
  const strategies = chr.s3_gaps.length + chr.s3_overlaps.length + chr.filiere_gaps.length + chr.clusters.filter((r) => r.s3_domains.length || r.filiere_name != null).length > 0;
  const characterisation = el("section", { class: "card", id: "ev-characterisation" }, el("h2", {}, t("ev.characterisation")),
    table([{ label: t("cluster"), value: (r) => el("span", { translate: "no" }, r.name) }, { label: t("ev.declared"), value: (r) => label("scale", r.declared_scale) },
      { label: t("ev.measured"), value: (r) => (r.scale_mismatch ? "⚠ " : "") + label("scale", r.measured_scale) },
      { label: t("ev.sector"), value: (r) => (r.sector ? `${r.sector} — ${label("naf", r.sector)}` : "—") }, { label: t("ev.lq"), num: true, value: (r) => (r.specialisation ? fmt(r.specialisation.lq, 2) + "★".repeat(r.specialisation.stars) : "—") },
      { label: t("ev.filiere"), value: filiereOf }, { label: t("ev.s3"), num: true, value: (r) => (r.outside_priorities ? "⚠ " : "") + fmt(r.s3_domains.length) }], chr.clusters, null, { id: "chr-table" }),
    el("p", { class: "muted", id: "chr-stars" }, t("ev.stars_note")),
    el("h3", {}, t("ev.overlaps")), listOr(chr.overlaps, (o) => el("span", {}, `${label("filiere", o.filiere)} — ${regionOf(o.region)}${colon()}`, clusterNames(o.clusters))),
    // Regional specialisations (location quotient over 1, with stars) that no cluster of the
    // region serves: which, where, how strong, how many jobs.
    el("h3", {}, t("ev.gaps")), chr.gaps.length ? table([{ label: t("region"), value: (g) => regionOf(g.region) },
      { label: t("ev.sector"), value: (g) => `${g.sector} — ${label("naf", g.sector)}` },
      { label: t("ev.lq"), num: true, value: (g) => fmt(g.lq, 2) + "★".repeat(g.stars), sort: (g) => g.lq },
      { label: t("ev.gap_jobs"), num: true, value: (g) => fmt(g.jobs), sort: (g) => g.jobs }], [...chr.gaps].sort((a, b) => b.lq - a.lq), null, { page: 25, id: "chr-gaps" })
      : el("p", { class: "muted" }, t("none")),
    el("h3", { id: "chr-strategies" }, t("ev.strategies")),
    strategies ? el("div", {},
      el("h4", {}, t("ev.outside_priorities")), listOr(chr.clusters.filter((r) => r.outside_priorities), (r) => el("span", {}, el("span", { translate: "no" }, r.name), ` — ${regionOf(r.region)} — ${t(r.s3_mapped ? "ev.other_regions" : "ev.not_mapped")}`)),
      el("h4", {}, t("ev.s3_gaps")), listOr(chr.s3_gaps, s3Line),
      el("h4", {}, t("ev.s3_overlaps")), listOr(chr.s3_overlaps, (d) => el("span", {}, s3Line(d), colon(), clusterNames(d.clusters))),
      el("h4", {}, t("ev.filiere_gaps")), listOr(chr.filiere_gaps, (f) => inLang(f.name, f.name_en)),
      chr.regions_without_s3.length ? el("p", {}, t("ev.regions_without_s3", { list: chr.regions_without_s3.map(regionOf).join(", ") })) : null,
      unknownRefs.length ? el("p", { class: "warning" }, t("ev.unknown_refs", { list: "" }), clusterNames(unknownRefs.map((r) => r.cluster))) : null)
      : el("p", { class: "muted" }, t("ev.no_strategies")));
  root.append(el("h1", {}, t("ev.title")),
    el("div", { class: "filters" }, el("label", {}, t("year"), yearSel), el("label", {}, t("cluster"), clusterSel)),
    tabs("ev-tabs", [["ranking", t("ev.tab.ranking"), ranking], ["detail", t("ev.tab.detail"), detail], ["method", t("ev.tab.method"), method],
      ["decisions", t("dec.tab"), decisionsList()], ["qualitative", t("ev.tab.qualitative"), qualitative], ["characterisation", t("ev.tab.characterisation"), characterisation]], tab,
    (k) => { tab = k; history.replaceState(null, "", url(c.cluster, k)); }));
  // Each cluster by its acronym under its interval (its name in the tooltip), in rank order.
  const short = await names().then((n) => (r) => n.acronym[r.cluster] || r.name).catch(() => (r) => r.name);
  chart(rankBox, { xAxis: { type: "category", data: ev.clusters.map(short), axisLabel: { rotate: 90, fontSize: 9, interval: ev.clusters.length > 40 && document.documentElement.clientWidth < 900 ? "auto" : 0, width: 110, overflow: "truncate" } },
    yAxis: { type: "value", inverse: true, min: 1, name: t("sel.rank"), nameLocation: "start" },
    tooltip: { trigger: "axis", formatter: (items) => { const r = ev.clusters[items[0].dataIndex]; return `${escapeHtml(r.name)}<br>${t("sel.rank")}${colon()}${fmt(r.rank)} (${fmt(r.rank_interval.p05)}–${fmt(r.rank_interval.p95)})`; } },
    series: [{ name: t("sel.interval"), type: "custom", renderItem: (params, api2) => {
      const x = api2.coord([api2.value(0), api2.value(1)]), y = api2.coord([api2.value(0), api2.value(2)]);
      return { type: "line", shape: { x1: x[0], y1: x[1], x2: y[0], y2: y[1] }, style: { stroke: "#000091", lineWidth: 2 } };
    }, data: ev.clusters.map((r, i) => [i, r.rank_interval.p05, r.rank_interval.p95]) },
    { name: t("ev.median"), type: "scatter", data: ev.clusters.map((r, i) => [i, r.rank_interval.median]), color: "#e1000f", symbolSize: 5 }] }, { asTable: false });
  const pillarNames = ev.method.pillars;
  chart(radarBox, { tooltip: { trigger: "item" }, radar: { indicator: pillarNames.map((p) => ({ name: label("pillar", p), max: 1 })), radius: "55%", axisName: { color: "#3a3a3a" } },
    series: [{ type: "radar", data: [{ name: c.name, value: pillarNames.map((p) => c.pillars[p]) },
      ...(Object.keys(peer).length ? [{ name: t("ev.peers"), value: pillarNames.map((p) => peer[p]) }] : [])] }], color: ["#000091", "#e1000f"] });
  radarBox.after(table([{ label: t("gl.pillar"), value: (p) => label("pillar", p) }, { label: c.name, name: true, num: true, value: (p) => fmt(c.pillars[p], 2) }, { label: t("ev.peers"), num: true, value: (p) => fmt(peer[p], 2) }], pillarNames, null, { tools: false }));
  const trends = await api("GET", `/api/v1/evaluate/trends/${encodeURIComponent(c.cluster)}`);
  let trendChart = null;
  const drawTrend = () => {
    const s = trends.indicators.find((i) => i.id === indicatorSel.value);
    document.getElementById("ev-indicator-def")?.replaceChildren(indicatorDefinition(s.id));
    trendChart?.dispose();
    trendBox.nextElementSibling?.matches("details.as-table") && trendBox.nextElementSibling.remove();
    trendChart = chart(trendBox, { xAxis: { type: "category", data: trends.years }, yAxis: { type: "value", scale: true },
      // The peers' line only where there are peers' figures (none for a cluster alone in its group).
      series: [{ name: c.name, type: "line", data: s.values, color: "#000091" },
        ...(s.peer_median?.some((v) => v !== null) ? [{ name: t(s.peer_statistic === "central_mean" ? "ev.peer_central_mean" : "ev.peer_median"), type: "line", data: s.peer_median, color: "#e1000f", lineStyle: { type: "dashed" } }] : []),
        ...(s.national.some((v) => v !== null) ? [{ name: t(`ev.national_${s.national_statistic}`), type: "line", data: s.national, color: "#6a6af4", lineStyle: { type: "dotted" } }] : [])] });
    trendBox.dataset.indicator = s.id;
  };
  indicatorSel.addEventListener("change", drawTrend);
  drawTrend();
  rankBox.dataset.ready = radarBox.dataset.ready = trendBox.dataset.ready = "true";
  radarBox.dataset.cluster = c.cluster;
}
