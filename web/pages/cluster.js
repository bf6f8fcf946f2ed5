// A cluster's profile: identity, labels, members, funding, services, targets, projects, its
// partners and its evaluation.
import { t, lang, fmt, euros, date } from "/i18n.js";
import { label, labels, indicatorLabel, indicatorDefinition } from "/vocab.js";
import { api } from "/lib/api.js";
import { el, colon, share } from "/lib/dom.js";
import { table, facts } from "/lib/table.js";
import { source, problemBox } from "/lib/blocks.js";
import { chart } from "/lib/chart.js";
import { whyList, loadIndicatorUnits, valueOf, canEvaluate, EVAL_YEAR } from "/lib/evaluation.js";
import { loadProgrammes, programmeLabel } from "/lib/programmes.js";

export async function pageCluster(root, id) {
  const p = await api("GET", `/api/v1/clusters/${encodeURIComponent(id)}/profile`);
  const c = p.cluster;
  const ys = p.members.years;
  const charts = {
    kind: el("div", { class: "chart", role: "img", "aria-label": t("profile.members_kind") }),
    size: el("div", { class: "chart", role: "img", "aria-label": t("profile.members_size") }),
    status: el("div", { class: "chart", role: "img", "aria-label": t("profile.projects_status") }),
  };
  const serviceYears = [...new Set(Object.values(p.services).flatMap((o) => Object.keys(o)))].sort();
  // Funding: public aid and total cost of the labelled projects by start year, one column per programme.
  const funding = {};
  const programmes = [...new Set(p.projects.list.map((r) => r.programme))].sort();
  for (const r of p.projects.list) {
    const y = r.start_date ? r.start_date.slice(0, 4) : "—";
    const f = (funding[y] ??= { year: y, projects: 0, aid: 0, cost: 0, by: {} });
    f.projects += 1; f.aid += r.public_aid || 0; f.cost += r.total_cost || 0;
    f.by[r.programme] = (f.by[r.programme] || 0) + (r.public_aid || 0);
  }
  const fundingRows = Object.values(funding).sort((a, b) => b.year.localeCompare(a.year));
  // The same projects' aid by funder (the State, Bpifrance, a Region, the FEDER, the EU…).
  let byFunder = el("section", { class: "card", id: "profile-funders" }, el("h2", {}, t("profile.funders")));
  try {
    const f = await api("GET", `/api/v1/pipeline/funding?cluster=${encodeURIComponent(id)}`);
    const known = f.split + f.assumed;
    byFunder.append(
      el("p", { class: "muted" }, t("profile.funders_note")),
      f.counted !== "all" ? el("p", { class: "muted" }, t(`funding.counted_${f.counted}`)) : "",
      f.by_funder.length ? table([
        { label: t("funder"), sort: (r) => r.name, value: (r) => el("span", { translate: "no" }, lang === "en" && r.name_en ? r.name_en : r.name) },
        { label: t("kind"), value: (r) => label("funder_kind", r.kind) },
        { label: t("public_aid"), num: true, sort: (r) => r.amount, value: (r) => euros(r.amount) },
        { label: t("share"), num: true, sort: (r) => r.amount, value: (r) => (known > 0 ? share(r.amount / known) : "—") },
        { label: t("projects"), num: true, sort: (r) => r.projects, value: (r) => fmt(r.projects) },
        ...(f.assumed > 0 ? [{ label: t("profile.funders_assumed"), num: true, sort: (r) => r.assumed, value: (r) => (r.assumed ? euros(r.assumed) : "—") }] : []),
      ], f.by_funder, null, { page: 25 }) : el("p", {}, t(f.counted === "all" ? "profile.funders_none" : "profile.funders_none_readable")),
      f.not_split > 0 ? el("p", {}, t("profile.funders_not_split", { v: euros(f.not_split), s: share(f.not_split / f.public_aid) })) : "",
      f.over_split.length ? el("p", { class: "warning" }, t("profile.funders_over", { n: fmt(f.over_split.length) })) : "",
      source());
  } catch { byFunder = ""; }  // a member reads its own aid, not the projects' splits
  const evalBox = el("section", { class: "card", id: "profile-evaluation" }, el("h2", {}, t("profile.evaluation", { y: EVAL_YEAR })));
  const partnerBox = el("section", { class: "card", id: "profile-partners" }, el("h2", {}, t("profile.partners")));
  const targetYears = [...new Set(p.contract_targets.map((r) => r.year))].sort();
  const byIndicator = {};
  for (const r of p.contract_targets) (byIndicator[r.indicator] ??= {})[r.year] = r.value;
  await Promise.all([loadIndicatorUnits(), loadProgrammes()]);
  root.append(
    el("h1", { translate: "no" }, c.name),
    el("div", { class: "grid" },
      el("section", { class: "card", id: "profile-identity" }, el("h2", {}, t("profile.identity")), facts([
        [t("acronym"), c.acronym], [t("region"), p.region_name], [t("scale"), label("scale", c.scale)], [t("theme"), labels("theme", c.themes)],
        [t("filiere"), label("filiere", c.filiere)], [t("founded"), c.founded],
        [t("website"), c.website ? el("a", { href: c.website, rel: "noopener" }, c.website) : "—"],
      ])),
      el("section", { class: "card", id: "profile-labels" }, el("h2", {}, t("profile.labels")), table([
        { label: t("phase"), value: (l) => l.phase }, { label: t("start"), value: (l) => `${l.start_year}–${l.end_year}` }, { label: t("rating"), value: (l) => label("rating", l.rating) },
      ], p.labels, null, { tools: false })),
      el("section", { class: "card", id: "profile-links" }, el("h2", {}, t("profile.links")), el("ul", {},
        canEvaluate() ? el("li", {}, el("a", { href: `#/evaluate?year=${EVAL_YEAR}&cluster=${encodeURIComponent(c.id)}&tab=detail` }, t("profile.link_evaluation"))) : "",
        canEvaluate() ? el("li", {}, el("a", { href: `/api/v1/reports/cluster/${encodeURIComponent(c.id)}?year=${EVAL_YEAR}&lang=${lang}&format=html`, target: "_blank", id: "profile-report" }, t("ev.report_html"))) : "",
        el("li", {}, el("a", { href: `#/network?cluster=${encodeURIComponent(c.id)}` }, t("profile.link_network"))),
        el("li", {}, el("a", { href: `#/compare?clusters=${encodeURIComponent(c.id)}` }, t("profile.link_compare"))),
        el("li", {}, el("a", { href: "#/glossary" }, t("nav.glossary")))))),
    el("div", { class: "grid" }, evalBox, partnerBox),
    el("section", { class: "card", id: "profile-members" }, el("h2", {}, t("profile.members_heading", { n: fmt(p.member_list.filter((m) => !m.end_date).length) })),
      el("p", { class: "muted" }, t("profile.members_note")),
      table([{ label: t("name"), sort: (m) => m.name, value: (m) => el("a", { href: `#/organisation/${encodeURIComponent(m.organisation_id)}`, translate: "no" }, m.name) },
        { label: t("kind"), value: (m) => label("org_kind", m.kind) }, { label: t("size_class"), value: (m) => label("size_class", m.size_class) },
        { label: t("profile.joined"), sort: (m) => m.start_date, value: (m) => date(m.start_date) }, { label: t("profile.left"), sort: (m) => m.end_date || "", value: (m) => (m.end_date ? date(m.end_date) : t("profile.active")) }],
      p.member_list, null, { page: 25 }), source()),
    el("section", { class: "card", id: "profile-funding" }, el("h2", {}, t("profile.funding")), el("p", { class: "muted" }, t("profile.funding_note")),
      table([{ label: t("start"), value: (r) => r.year }, { label: t("projects"), num: true, value: (r) => fmt(r.projects) },
        { label: t("total_cost"), num: true, sort: (r) => r.cost, value: (r) => euros(r.cost) }, { label: t("public_aid"), num: true, sort: (r) => r.aid, value: (r) => euros(r.aid) },
        ...programmes.map((pg) => ({ label: programmeLabel(pg), num: true, sort: (r) => r.by[pg] || 0, value: (r) => (r.by[pg] ? euros(r.by[pg]) : "—") }))],
      fundingRows, null, { page: 25 }), source()),
    byFunder,
    // The yearly counts and the list count differently: say how.
    el("p", { class: "muted", id: "profile-counts-note" }, t("profile.counts_note")),
    el("div", { class: "grid" },
      el("section", { class: "card" }, el("h2", {}, t("profile.members_kind")), charts.kind),
      el("section", { class: "card" }, el("h2", {}, t("profile.members_size")), charts.size),
      el("section", { class: "card" }, el("h2", {}, t("profile.projects_status")), charts.status)),
    el("section", { class: "card", id: "profile-services" }, el("h2", {}, t("profile.services")), table([
      { label: t("kind"), value: (r) => label("service_kind", r[0]) }, ...serviceYears.map((y) => ({ label: y, num: true, value: (r) => fmt(r[1][y] ?? 0) })),
    ], Object.entries(p.services), null, { tools: false })),
    el("section", { class: "card", id: "profile-targets" }, el("h2", {}, t("profile.targets")),
      table([{ label: t("indicator"), value: (r) => el("abbr", { title: indicatorDefinition(r[0]) }, indicatorLabel(r[0])) }, ...targetYears.map((y) => ({ label: y, num: true, value: (r) => valueOf(r[0], r[1][y]) }))],
        Object.entries(byIndicator), null, { tools: false })),
    el("section", { class: "card", id: "profile-projects" }, el("h2", {}, t("profile.project_list")), table([
      { label: t("acronym"), value: (r) => el("a", { href: `#/project/${encodeURIComponent(r.id)}` }, r.acronym) },
      { label: t("status"), value: (r) => label("project_status", r.status) }, { label: t("programme"), value: (r) => programmeLabel(r.programme) },
      { label: t("start"), sort: (r) => r.start_date || "", value: (r) => date(r.start_date) }, { label: t("public_aid"), num: true, sort: (r) => r.public_aid || 0, value: (r) => euros(r.public_aid) },
    ], [...p.projects.list].sort((a, b) => (b.start_date || "").localeCompare(a.start_date || "")), null, { page: 25 })));
  const lines = (obj, kind) => Object.entries(obj).filter(([, v]) => v.some((x) => x > 0)).map(([k, v]) => ({ name: label(kind, k), type: "line", stack: "all", areaStyle: {}, data: v }));
  chart(charts.kind, { xAxis: { type: "category", data: ys }, yAxis: { type: "value" }, series: lines(p.members.by_kind, "org_kind") });
  chart(charts.size, { xAxis: { type: "category", data: ys }, yAxis: { type: "value" }, series: lines(p.members.by_size_class, "size_class") });
  const statuses = Object.keys(p.projects.by_status);
  chart(charts.status, { xAxis: { type: "category", data: statuses.map((k) => label("project_status", k)), axisLabel: { interval: 0, rotate: 30 } }, yAxis: { type: "value", minInterval: 1 },
    series: [{ name: t("projects"), type: "bar", data: statuses.map((k) => p.projects.by_status[k]) }], legend: { show: false } });
  profilePartners(partnerBox, c);
  // The evaluation block (roles that may read the evaluation), filled when it arrives.
  if (!canEvaluate()) { evalBox.append(el("p", { class: "muted" }, t("profile.evaluation_none"))); return; }
  profileEvaluation(evalBox, c);
}
// Partner clusters (projects labelled together) and partner regions (projects with a partner
// there), from the cooperation network; roles without the network see a note.
async function profilePartners(box, c) {
  try {
    const [cl, rg] = await Promise.all([api("GET", "/api/v1/network/clusters"), api("GET", `/api/v1/network/regions?cluster=${encodeURIComponent(c.id)}`)]);
    const m = cl.co_labelled;
    const i = m.labels.indexOf(c.id);
    const partners = i < 0 ? [] : m.labels.map((id, j) => ({ id, name: m.names[j], n: m.values[i][j] })).filter((x, j) => j !== i && x.n > 0).sort((a, b) => b.n - a.n).slice(0, 5);
    const r = rg.projects;
    const totals = r.labels.map((code, j) => ({ code, name: r.names[j] || code, n: r.values[j][j] })).filter((x) => x.n > 0).sort((a, b) => b.n - a.n).slice(0, 5);
    box.append(el("h3", { class: "fr-h6" }, t("profile.partner_clusters")),
      partners.length ? el("ul", {}, partners.map((x) => el("li", {}, el("a", { href: `#/cluster/${encodeURIComponent(x.id)}` }, x.name), ` — ${t("profile.shared_projects", { n: fmt(x.n) })}`))) : el("p", { class: "muted" }, t("none")),
      el("h3", { class: "fr-h6" }, t("profile.partner_regions")),
      totals.length ? el("ul", {}, totals.map((x) => el("li", {}, `${x.name} — ${t("profile.shared_projects", { n: fmt(x.n) })}`))) : el("p", { class: "muted" }, t("none")),
      el("p", {}, el("a", { href: `#/network?cluster=${encodeURIComponent(c.id)}` }, t("profile.link_network"))), source());
  } catch (err) {
    box.append(el("p", { class: "muted" }, err.problem?.status === 403 ? t("profile.partners_none") : ""), err.problem?.status === 403 ? "" : problemBox(err));
  }
}

async function profileEvaluation(evalBox, c) {
  try {
    const ev = await api("GET", `/api/v1/evaluate?year=${EVAL_YEAR}&draws=500&sobol_n=0`);
    // The State and the evaluators read the year as computed now; whether it is published is said
    // (regions and managers read only the published one).
    if (canEvaluate()) {
      const pubs = await api("GET", "/api/v1/evaluate/publications").catch(() => null);
      if (pubs && !pubs.items.some((p) => p.year === EVAL_YEAR)) evalBox.append(el("p", { class: "muted", id: "profile-eval-draft" }, t("profile.evaluation_draft", { y: EVAL_YEAR })));
    }
    const e = ev.clusters.find((x) => x.cluster === c.id);
    if (!e) { evalBox.append(el("p", { class: "muted" }, t("none"))); return; }
    if (ev.ranked === false) {
      evalBox.append(el("p", {}, t("ev.unranked", { n: fmt(ev.evaluated ?? ev.clusters.length), y: ev.year })),
        el("p", {}, `${t("ev.action")}${colon()}${label("action_level", e.action.level)}`), source());
      return;
    }
    evalBox.append(el("p", {}, el("strong", {}, `${label("rating", e.rating)} — `), t("profile.rank", { r: fmt(e.rank), n: fmt(ev.evaluated ?? ev.clusters.length), lo: fmt(e.rank_interval.p05), hi: fmt(e.rank_interval.p95) })),
      el("p", {}, `${t("ev.action")}${colon()}${label("action_level", e.action.level)}`),
      el("h3", { class: "fr-h6" }, t("ev.why")), whyList(e, ev.peers[e.peer_group]), source());
  } catch (err) { evalBox.append(problemBox(err)); }
}
