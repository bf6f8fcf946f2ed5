// Calls and selection: the assignment of reviewers, the ranking, the portfolio and its risk; the
// reviewer's own page.
import { t, fmt, pct, euros } from "/i18n.js";
import { label, hasLabel } from "/vocab.js";
import { api, me } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { confirmDialog, problemBox, kpiBox } from "/lib/blocks.js";
import { chart } from "/lib/chart.js";

export async function pageSelect(root, params) {
  const calls = (await api("GET", "/api/v1/select/calls")).items;
  root.append(el("h1", {}, t("sel.title")));
  if (!calls.length) { root.append(el("p", { class: "muted" }, t("sel.none"))); return; }
  const id = params.get("call") || calls[calls.length - 1].id;
  const callSel = el("select", { id: "sel-call", class: "fr-select", onchange: (e) => { location.hash = `#/select?call=${encodeURIComponent(e.target.value)}`; } },
    calls.map((c) => el("option", { value: c.id, selected: c.id === id }, c.title || c.id)));
  const call = calls.find((c) => c.id === id) || calls[0];
  const q = encodeURIComponent(call.id);
  const [assign, scores, portfolio, risk] = await Promise.all([api("GET", `/api/v1/select/calls/${q}/assignment`),
    api("GET", `/api/v1/select/calls/${q}/scores?bootstrap=300`), api("GET", `/api/v1/select/calls/${q}/portfolio`),
    api("GET", `/api/v1/risk/calls/${q}?draws=20000`)]);
    root.append(el("div", { class: "filters" }, el("label", {}, t("sel.call"), callSel)),
    kpiBox("sel-kpis", [[t("sel.proposals"), fmt(call.proposals)], [t("sel.budget"), euros(call.rules.budget)],
      [t("sel.min_share"), pct(call.rules.min_funding_share)], [t("sel.conflicts"), fmt(assign.conflicts_excluded)],
      [t("sel.assignment"), assign.complete ? t("sel.complete") : t("sel.incomplete")]]));
  // Recording (admin, state): the assignment above becomes the call's, the portfolio its decisions.
  if (["admin", "state"].includes(me()?.user.role)) {
    const status = el("p", { id: "sel-record-status", role: "status" });
    const record = (what, message, warning) => async () => {
      if (!(await confirmDialog(warning()))) return;
      status.textContent = t("loading");
      try {
        const r = await api("POST", `/api/v1/select/calls/${q}/${what}?replace=true`, {});
        status.textContent = message(r);
      } catch (err) { status.replaceChildren(problemBox(err)); }
    };
    root.append(el("section", { class: "card", id: "sel-record" }, el("h2", {}, t("sel.record")),
      el("p", { class: "muted" }, t("sel.recorded", { a: fmt(call.assignments), d: fmt(call.decisions) })),
      el("button", { type: "button", id: "sel-save-assignment", onclick: record("assignment", (r) => t("sel.saved_assignment", { n: fmt(r.written), r: fmt(r.replaced) }), () => t("sel.confirm_assignment", { n: fmt(call.assignments) })) }, t("sel.save_assignment")),
      " ",
      el("button", { type: "button", id: "sel-save-decisions", onclick: record("decisions", (r) => t("sel.saved_decisions", { f: fmt(r.funded), r: fmt(r.rejected) }), () => t("sel.confirm_decisions", { n: fmt(call.decisions) })) }, t("sel.save_decisions")),
      status));
  }
  // Proposals by their titles (their ids are the files' references).
  const titles = Object.fromEntries(scores.ranking.map((r) => [r.id, r.title || r.id]));
  // Assignment problems first: they block the review.
  if (assign.shortages.length) {
    root.append(el("section", { class: "card problem", id: "sel-shortages" }, el("h2", {}, t("sel.shortages")),
      table([{ label: t("sel.proposal"), value: (r) => el("span", { translate: "no" }, titles[r.proposal] ?? r.proposal) }, { label: t("sel.why"), value: (r) => r.why }], assign.shortages)));
  }
  // Ranking with its uncertainty.
  root.append(el("section", { class: "card", id: "sel-ranking" }, el("h2", {}, t("sel.ranking")), el("p", { class: "muted" }, t("sel.ranking_note")),
    table([{ label: t("sel.rank"), value: (r) => r.rank, num: true }, { label: t("sel.proposal"), value: (r) => r.title || r.id },
      { label: t("sel.applicant"), value: (r) => el("span", { translate: "no" }, r.applicant_name) }, { label: t("sel.score"), value: (r) => fmt(r.adjusted_score, 2), num: true },
      { label: t("sel.raw"), value: (r) => fmt(r.raw_mean, 2), num: true },
      { label: t("sel.interval"), value: (r) => `${fmt(r.rank_interval.p05)}–${fmt(r.rank_interval.p95)}`, num: true },
      { label: t("sel.disagreement"), value: (r) => r.disagreement ? "⚠ " + fmt(r.sd, 1) : "" }], scores.ranking)));
  // Reviewer workload of the proposed assignment.
  const busy = assign.workload.filter((w) => w.assigned > 0).sort((a, b) => b.assigned - a.assigned);
  const workload = el("div", { class: "chart", id: "sel-workload", role: "img", "aria-label": t("sel.workload") });
  // Portfolio against sprinkling.
  const o = portfolio.optimised, sp = portfolio.sprinkled;
  const lorenz = el("div", { class: "chart", id: "sel-lorenz", role: "img", "aria-label": t("sel.lorenz") });
  const compare = table([{ label: "", value: (r) => r[0] }, { label: t("sel.optimised"), value: (r) => r[1], num: true }, { label: t("sel.sprinkled"), value: (r) => r[2], num: true }], [
    [t("sel.funded"), fmt(o.funded), fmt(sp.funded)], [t("sel.mean_aid"), euros(o.mean_aid), euros(sp.mean_aid)],
    [t("sel.mean_share"), pct(o.mean_funded_share), pct(sp.mean_funded_share)],
    ["Gini", fmt(o.gini, 3), fmt(sp.gini, 3)], ["HHI", fmt(o.hhi, 3), fmt(sp.hhi, 3)],
    [t("sel.sme_share"), pct(o.sme_share), pct(sp.sme_share)],
    [t("sel.products"), fmt(o.expected_products, 1), fmt(sp.expected_products, 1)]]);
  const riskBox = el("div", { class: "chart", id: "sel-risk", role: "img", "aria-label": t("sel.risk") });
  root.append(el("div", { class: "grid" },
    el("section", { class: "card", id: "sel-portfolio" }, el("h2", {}, t("sel.portfolio")), compare, lorenz),
    el("section", { class: "card" }, el("h2", {}, t("sel.workload")), workload)),
  el("section", { class: "card", id: "sel-risk-card" }, el("h2", {}, t("sel.risk")),
    el("p", {}, t("sel.risk_caption", { mean: fmt(risk.mean, 1), p05: fmt(risk.quantiles.p05), p95: fmt(risk.quantiles.p95), var: fmt(risk.value_at_risk_5, 1) })),
    riskBox,
    el("h3", {}, t("sel.fragile")),
    table([{ label: t("sel.proposal"), value: (r) => el("span", { translate: "no" }, titles[r.id] ?? r.id) }, { label: t("sel.success"), value: (r) => pct(r.success_probability), num: true },
      { label: t("sel.tail"), value: (r) => pct(r.failure_in_tail), num: true }], risk.most_fragile.slice(0, 5))));
  chart(workload, { xAxis: { type: "category", data: busy.map((w) => w.name || w.id), axisLabel: { rotate: 60 } }, yAxis: { type: "value" },
    series: [{ name: t("sel.assigned"), type: "bar", data: busy.map((w) => w.assigned), color: "#000091" },
      { name: t("sel.capacity"), type: "line", step: "middle", data: busy.map((w) => w.capacity), color: "#e1000f" }] });
  chart(lorenz, { xAxis: { type: "value", max: 1, name: t("sel.share_proposals") }, yAxis: { type: "value", max: 1 }, tooltip: { trigger: "item" },
    series: [{ name: t("sel.optimised"), type: "line", data: o.lorenz, showSymbol: false, color: "#000091" },
      { name: t("sel.sprinkled"), type: "line", data: sp.lorenz, showSymbol: false, color: "#e1000f" },
      { name: t("sel.equality"), type: "line", data: [[0, 0], [1, 1]], showSymbol: false, lineStyle: { type: "dashed" }, color: "#999" }] });
  chart(riskBox, { xAxis: { type: "category", data: risk.histogram.map((h) => h[0]), name: t("sel.products") }, yAxis: { type: "value" },
    series: [{ name: t("sel.draws"), type: "bar", data: risk.histogram.map((h) => h[1]), color: "#18753c" }] });
  lorenz.dataset.call = call.id;
  lorenz.dataset.ready = workload.dataset.ready = riskBox.dataset.ready = "true";
}

// A reviewer's own page: their assigned proposals and their scores, nothing about others.
export async function pageMyReviews(root) {
  const mine = await api("GET", "/api/v1/select/my-proposals");
  // Calls by their names; a call's own criteria in the vocabulary's words where it has them.
  const calls = Object.fromEntries(((await api("GET", "/api/v1/call?limit=1000").catch(() => null))?.items ?? []).map((c) => [c.id, c.title]));
  const criterion = (k) => (hasLabel("review_criterion", k) ? label("review_criterion", k) : k);
  root.append(el("h1", {}, t("rev.title")), el("p", { class: "muted" }, mine.name),
    mine.items.length ? table([{ label: t("sel.call"), value: (r) => calls[r.call] ?? r.call }, { label: t("rev.reference"), value: (r) => el("span", { translate: "no" }, r.id) },
      { label: t("rev.proposal_title"), value: (r) => el("span", { translate: "no" }, r.title) },
      { label: t("rev.my_scores"), value: (r) => (Object.keys(r.my_scores).length ? Object.entries(r.my_scores).map(([k, v]) => `${criterion(k)} ${fmt(v, 1)}`).join(" · ") : el("span", { class: "muted" }, t("rev.not_scored"))) }], mine.items)
      : el("p", { class: "muted" }, t("rev.none")));
}
