// The Pôles dashboard: a hash-routed single page over the JSON API (/api/v1). ES modules, no
// bundler; ECharts and the France region map come from web/node_modules (npm, lock file).
import * as echarts from "/node_modules/echarts/dist/echarts.esm.min.mjs?v=5";
import franceRegions from "/node_modules/@svg-maps/france.regions/index.js?v=1";
import { t, lang, setLang, applyStatic, fmt, pct, points, euros, compact, date, dateTime } from "/i18n.js";
import { label, labels, hasLabel, indicatorLabel, indicatorDefinition, unitLabel, INDICATORS } from "/vocab.js";
import { searchBox } from "/search.js";

// --- API ---------------------------------------------------------------------------------
let me = null;  // { user, csrf }

class ApiError extends Error {
  constructor(problem) { super(problem.detail || problem.title); this.problem = problem; }
}

async function api(method, path, body, { raw = false, headers = {} } = {}) {
  const h = { "Accept-Language": lang, ...headers };  // the server explains refusals in it
  if (method !== "GET") {
    if (me?.csrf) h["X-CSRF-Token"] = me.csrf;
    if (!raw) h["Content-Type"] = "application/json";
  }
  const res = await fetch(path, { method, headers: h, credentials: "same-origin", body: body === undefined ? undefined : raw ? body : JSON.stringify(body) });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    if (res.status === 401 && path !== "/api/v1/login") { me = null; location.hash = "#/login"; }
    throw new ApiError(data || { title: res.statusText, status: res.status });
  }
  return data;
}

// --- helpers ---------------------------------------------------------------------------------
const main = () => document.getElementById("main");
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  if (tag === "button") attrs = { ...attrs, class: !attrs.class ? "fr-btn" : attrs.class === "secondary" ? "fr-btn fr-btn--secondary" : attrs.class };
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) e.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return e;
}
// A data table: sortable columns (buttons in the headers), a row count ("25 of 312") with "show
// more", a CSV export, and a box that scrolls sideways on its own (never the page).
// A column: { label, value(row) -> text or node, num, sort(row) -> sortable value, name: the label
// is a proper name (not translated) }.
function table(columns, rows, onClick, { page = 50, tools = rows.length > 10, id = null } = {}) {
  let shown = Math.min(page, rows.length);
  let order = rows;
  let sorted = { i: -1, dir: 1 };
  const tbody = el("tbody");
  const count = el("span", { "aria-live": "polite" });
  const more = el("button", { type: "button", class: "fr-btn fr-btn--sm fr-btn--tertiary", onclick: () => { shown = Math.min(order.length, shown + page); draw(); } });
  const plain = (v) => (v instanceof Node ? v.textContent : v ?? "");
  const heads = columns.map((c, i) => {
    const th = el("th", { scope: "col", class: c.num ? "num" : null, translate: c.name ? "no" : null });
    if (c.label && rows.length > 1) {
      th.append(el("button", { type: "button", class: "sort", title: t("table.sort", { c: c.label }), onclick: () => sortBy(i) }, c.label));
    } else th.append(c.label ?? "");
    return th;
  });
  function sortBy(i) {
    sorted = { i, dir: sorted.i === i ? -sorted.dir : 1 };
    const c = columns[i];
    const key = c.sort || ((r) => { const v = plain(c.value(r)); const n = Number(String(v).replace(/[\s\u00a0\u202f%€kM]/g, "").replace(",", ".").replace("−", "-")); return c.num && !Number.isNaN(n) ? n : String(v); });
    order = [...rows].sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * sorted.dir; });
    heads.forEach((h, j) => (j === i ? h.setAttribute("aria-sort", sorted.dir > 0 ? "ascending" : "descending") : h.removeAttribute("aria-sort")));
    draw();
  }
  function draw() {
    tbody.replaceChildren(...order.slice(0, shown).map((r) => el("tr", onClick ? { class: "link", tabindex: 0, onclick: () => onClick(r), onkeydown: (e) => e.key === "Enter" && onClick(r) } : {},
      columns.map((c) => el("td", { class: c.num ? "num" : null }, c.value(r))))));
    count.textContent = t("table.showing", { n: fmt(shown), total: fmt(order.length) });
    more.hidden = shown >= order.length;
    more.textContent = t("table.more", { n: fmt(Math.min(page, order.length - shown)) });
  }
  function csv() {
    // A text a spreadsheet would run as a formula (= + - @, a tab, a carriage return) is written
    // after a quote (OWASP, CSV injection): names and needs come from anyone (support requests).
    const cell = (v) => {
      let s = String(plain(v)).replace(/\u00a0|\u202f/g, " ");
      if (/^[=+\-@\t\r]/.test(s) && !/^-?[\d ,.]+$/.test(s)) s = `'${s}`;
      return /[";\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const text = [columns.map((c) => cell(c.label)).join(";"), ...order.map((r) => columns.map((c) => cell(c.value(r))).join(";"))].join("\n");
    const a = el("a", { href: URL.createObjectURL(new Blob(["\ufeff" + text], { type: "text/csv" })), download: `${(document.title.split(" — ")[0] || "poles").replace(/[^\p{L}\p{N}]+/gu, "-")}.csv` });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
  draw();
  const tableEl = el("table", id ? { id } : {}, el("thead", {}, el("tr", {}, heads)), tbody);
  return el("div", { class: "table-block" },
    el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": columns.map((c) => c.label).filter(Boolean).slice(0, 3).join(", ") || "table" }, tableEl),
    tools ? el("div", { class: "table-tools" }, count, more, el("button", { type: "button", class: "fr-btn fr-btn--sm fr-btn--tertiary-no-outline", onclick: csv }, t("table.csv"))) : "");
}
// A two-column "field: value" table without headers.
function facts(pairs) {
  return el("div", { class: "table-wrap" }, el("table", { class: "facts" }, el("tbody", {}, pairs.map(([k, v]) => el("tr", {}, el("th", { scope: "row" }, k), el("td", {}, v ?? "—"))))));
}
// Data as of the date the store's data last changed (and its version), and its source, under a block.
let health = null;
const source = () => el("p", { class: "source" }, t("source", { v: health?.data_version ?? "—", date: date(health?.data_changed_at?.slice(0, 10)), src: t("source.demo") }));
// A native modal dialog; resolves to true when confirmed.
function confirmDialog(text) {
  const d = document.getElementById("confirm-dialog");
  document.getElementById("confirm-title").textContent = t("confirm.title");
  document.getElementById("confirm-text").textContent = text;
  document.getElementById("confirm-ok").textContent = t("confirm.ok");
  document.getElementById("confirm-cancel").textContent = t("confirm.cancel");
  return new Promise((resolve) => {
    d.addEventListener("close", () => resolve(d.returnValue === "ok"), { once: true });
    d.returnValue = "";
    d.showModal();
    document.getElementById("confirm-cancel").focus();
  });
}
function problemBox(err) {
  const p = err.problem || { detail: String(err) };
  const title = p.status ? (t(`problem.${p.status}`) !== `problem.${p.status}` ? t(`problem.${p.status}`) : t("problem.other")) : t("problem.other");
  // The server words its detail in the language asked for (Accept-Language).
  return el("div", { class: "problem", role: "alert" }, el("strong", {}, title), p.detail ? " " + p.detail : "",
    p.errors ? table([
      { label: t("line"), value: (e) => e.line ?? "" }, { label: t("column"), value: (e) => e.column ?? "" },
      { label: t("field"), value: (e) => e.field }, { label: t("value"), value: (e) => e.value }, { label: t("rule"), value: (e) => e.rule },
    ], p.errors, null, { tools: false }) : "");
}
// ECharts in the DSFR palette, numbers in the page's locale, labels never clipped (containLabel),
// and the data as a table under a "see the data" disclosure (text alternative).
const CHART_COLOURS = ["#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#a558a0", "#009081", "#c3992a", "#417dc4", "#ce614a"];
function chart(container, option, { asTable = true } = {}) {
  const c = echarts.init(container, null, { renderer: "svg", locale: lang === "fr" ? "FR" : "EN" });
  const axis = (a) => (a && a.type === "value" ? { ...a, axisLabel: { formatter: compact, ...(a.axisLabel || {}) } } : a);
  const fix = (a) => (Array.isArray(a) ? a.map(axis) : axis(a));
  c.setOption({ animation: false, color: CHART_COLOURS, textStyle: { fontFamily: "Marianne, system-ui, sans-serif" },
    tooltip: { trigger: "axis", valueFormatter: (v) => (typeof v === "number" ? fmt(v, Math.abs(v) < 10 ? 2 : 0) : v) },
    legend: { type: "scroll", bottom: 0 }, grid: { left: 8, right: 16, top: 24, bottom: 40, containLabel: true },
    ...option, xAxis: fix(option.xAxis), yAxis: fix(option.yAxis) });
  new ResizeObserver(() => c.resize()).observe(container);
  const catAxis = [option.xAxis, option.yAxis].find((a) => a?.type === "category" && a.data);
  if (asTable && option.series && catAxis) {
    const cats = catAxis.data;
    const series = option.series.filter((s) => Array.isArray(s.data) && s.data.length === cats.length && s.data.every((v) => v === null || typeof v === "number"));
    if (series.length) {
      const rows = cats.map((x, i) => [x, ...series.map((s) => s.data[i])]);
      container.after(el("details", { class: "as-table" }, el("summary", {}, t("chart.as_table")),
        table([{ label: catAxis.name || "", value: (r) => String(r[0]) }, ...series.map((s, j) => ({ label: s.name || "", num: true, value: (r) => fmt(r[j + 1], 2) }))], rows, null, { tools: false })));
    }
  }
  return c;
}
// "Label : value" in French (a non-breaking space before the colon), "Label: value" in English.
const colon = () => (lang === "fr" ? "\u00a0: " : ": ");
const years = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// --- pages ---------------------------------------------------------------------------------
const REGION_CODES = { ara: "84", bfc: "27", bre: "53", cvl: "24", cor: "94", ges: "44", hdf: "32", idf: "11", nor: "28", naq: "75", occ: "76", pdl: "52", pac: "93" };
const PALETTE = ["#e3e3fd", "#c1c1fb", "#8585f6", "#4a4ae8", "#000091"];

// The metropolitan regions as an SVG map: `look(code)` gives each region's fill, label and title.
function regionMap(label, look, onClick) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", franceRegions.viewBox);
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", label);
  for (const loc of franceRegions.locations) {
    const code = REGION_CODES[loc.id];
    const l = look(code);
    const p = document.createElementNS("http://www.w3.org/2000/svg", "path");
    p.setAttribute("d", loc.path);
    p.setAttribute("fill", l.fill);
    p.setAttribute("tabindex", "0");
    p.setAttribute("role", "link");
    p.setAttribute("data-region", code);
    p.setAttribute("aria-label", l.label);
    const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = l.title;
    p.append(title);
    if (onClick) {
      p.addEventListener("click", () => onClick(code));
      p.addEventListener("keydown", (e) => e.key === "Enter" && onClick(code));
    }
    svg.append(p);
  }
  return svg;
}

async function pageMap(root, params) {
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
  const colour = (v) => (classOf(v) < 0 ? "#f6f6f6" : PALETTE[Math.min(PALETTE.length - 1, classOf(v))]);
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
    Object.values(values).some((v) => !v) ? el("span", {}, el("span", { class: "swatch", style: "background:#f6f6f6" }), " 0") : null,
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

async function pageClusters(root, params) {
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
      { label: `${t("members")} 2024`, num: true, value: (c) => fmt(c.members) }, { label: t("sme_share"), num: true, sort: (c) => c.sme_share, value: (c) => pct(c.sme_share) },
      { label: t("projects"), num: true, value: (c) => fmt(c.projects) }, { label: t("phase"), num: true, value: (c) => c.last_phase },
    ], rows, (c) => { location.hash = `#/cluster/${encodeURIComponent(c.id)}`; }, { tools: true }), source());
  }
  draw();
}

// The pillars' gaps to peers and the missed targets, in plain words: why a cluster is rated so.
function whyList(c, peer) {
  // The peers' means are withheld when their group is too small to hide its members: no gaps then.
  const gaps = peer ? Object.entries(c.pillars).map(([p, v]) => ({ p, v, peer: peer[p], d: v - peer[p] })).filter((g) => Number.isFinite(g.d)).sort((a, b) => a.d - b.d) : [];
  const items = [t("ev.why_rated", { r: label("rating", c.rating), t: label("trend", c.trend), m: fmt(c.consecutive_misses) })];
  for (const g of [...gaps.slice(0, 2), ...gaps.slice(-1)]) {
    items.push(t(Math.abs(g.d) < 0.005 ? "ev.why_pillar_equal" : g.d < 0 ? "ev.why_pillar_below" : "ev.why_pillar_above", { p: label("pillar", g.p), v: fmt(g.v, 2), peer: fmt(g.peer, 2) }));
  }
  const missed = c.targets.filter((x) => x.met === false);
  const shareUnit = (i, v) => (INDICATORS[i] && ["share"].includes(indicatorUnits[i]) ? pct(v) : fmt(v, 2));
  if (missed.length) for (const m of missed) items.push(t("ev.why_missed", { i: indicatorLabel(m.indicator), v: shareUnit(m.indicator, m.value), t: shareUnit(m.indicator, m.target) }));
  else items.push(t("ev.why_all_met"));
  // The method's absolute criteria the cluster failed this year (published evaluations made before
  // criteria existed have none).
  for (const k of (c.criteria || []).filter((x) => x.met === false)) items.push(t("ev.why_criterion", { c: lang === "fr" ? k.text_fr : k.text_en }));
  return el("ul", { class: "why" }, items.map((x) => el("li", {}, x)));
}
let indicatorUnits = {};
async function loadIndicatorUnits() {
  if (Object.keys(indicatorUnits).length) return indicatorUnits;
  try { indicatorUnits = Object.fromEntries((await api("GET", "/api/v1/evaluate/indicators")).items.map((i) => [i.id, i.unit])); } catch { /* role without access */ }
  return indicatorUnits;
}
const valueOf = (id, v) => (v === null || v === undefined ? "—" : indicatorUnits[id] === "share" ? pct(v, 1) : indicatorUnits[id] === "euros" ? euros(v) : fmt(v, Math.abs(v) < 10 ? 2 : 0));
const canEvaluate = () => ["admin", "state", "evaluator"].includes(me?.user.role);
const EVAL_YEAR = 2022;

async function pageCluster(root, id) {
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
    el("section", { class: "card", id: "profile-members" }, el("h2", {}, `${t("profile.members_list")} (${fmt(p.member_list.filter((m) => !m.end_date).length)} ${t("profile.active")})`),
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
    const e = ev.clusters.find((x) => x.cluster === c.id);
    if (!e) { evalBox.append(el("p", { class: "muted" }, t("none"))); return; }
    if (ev.ranked === false) {
      evalBox.append(el("p", {}, t("ev.unranked", { n: fmt(ev.evaluated ?? ev.clusters.length), y: ev.year })),
        el("p", {}, `${t("ev.action")}${colon()}${label("action_level", e.action.level)}`), source());
      return;
    }
    evalBox.append(el("p", {}, el("strong", {}, `${label("rating", e.rating)} — `), t("profile.rank", { r: fmt(e.rank), n: fmt(ev.evaluated ?? ev.clusters.length), lo: fmt(e.rank_interval.p05), hi: fmt(e.rank_interval.p95) })),
      el("p", {}, `${t("ev.action")}${colon()}${label("action_level", e.action.level)}`),
      el("h3", { class: "fr-h6" }, t("ev.why")), whyList(e, ev.peers[e.peer_group]?.pillars), source());
  } catch (err) { evalBox.append(problemBox(err)); }
}

// Names of the clusters and regions (the registry's, public), for pages whose data carries codes.
let namesCache = null;
async function names() {
  namesCache ??= Promise.all([api("GET", "/api/v1/stats/clusters?year=2024"), api("GET", "/api/v1/stats/regions?year=2024")])
    .then(([c, r]) => ({ cluster: Object.fromEntries(c.clusters.map((x) => [x.id, x.name])), region: Object.fromEntries(r.regions.map((x) => [x.code, x.name])) }))
    .catch((err) => { namesCache = null; throw err; });
  return namesCache;
}
const clusterLink = (n, id) => el("a", { href: `#/cluster/${encodeURIComponent(id)}`, translate: "no" }, n.cluster[id] || id);

// A consent flag of the public portal (membership.listed, project.public_summary), changed in
// place: the row is read for its ETag, then patched with If-Match; the server decides who may
// (docs/access.md) and a refusal is said beside the box, which goes back.
function consentBox(itemPath, field, value, labelText) {
  const id = `consent-${field}-${Math.random().toString(36).slice(2, 8)}`;
  const box = el("input", { type: "checkbox", id, checked: value === 1 || value === true });
  const msg = el("span", { "aria-live": "polite", class: "muted" });
  box.addEventListener("change", async () => {
    const want = box.checked;
    try {
      const head = await fetch(itemPath, { credentials: "same-origin", headers: { "Accept-Language": lang } });
      if (!head.ok) throw new ApiError(await head.json());
      await api("PATCH", itemPath, { [field]: want }, { headers: { "If-Match": head.headers.get("ETag") } });
      msg.replaceChildren(t("consent.saved"));
    } catch (err) { box.checked = !want; msg.replaceChildren(problemBox(err)); }
  });
  return el("span", { class: "consent" }, box, el("label", { class: "fr-label", for: id }, labelText), msg);
}
const mayConsent = () => !["evaluator", "reviewer"].includes(me.user.role);

async function pageOrganisation(root, id) {
  const [p, n] = await Promise.all([api("GET", `/api/v1/organisations/${encodeURIComponent(id)}/profile`), names()]);
  const o = p.organisation;
  root.append(el("h1", { translate: "no" }, o.name),
    facts([[t("siren"), o.siren || "—"], [t("kind"), label("org_kind", o.kind)], [t("naf"), o.naf ? `${o.naf} — ${label("naf", o.naf.slice(0, 2))}` : "—"],
      [t("region"), o.region ? n.region[o.region] || o.region : "—"], [t("size_class"), label("size_class", o.size_class)],
      // What a directory says of it: acronym, address, website, themes and markets (its own words).
      ...(o.acronym ? [[t("org.acronym"), el("span", { translate: "no" }, o.acronym)]] : []),
      ...(o.address || o.city ? [[t("org.address"), el("span", { translate: "no" }, [o.address, [o.postcode, o.city].filter(Boolean).join(" ")].filter(Boolean).join(", "))]] : []),
      ...(/^https?:\/\//.test(o.website || "") ? [[t("org.website"), el("a", { href: o.website, rel: "noopener noreferrer", target: "_blank" }, o.website)]] : []),
      ...(o.themes ? [[t("org.themes"), o.themes.split("|").join(", ")]] : []),
      ...(o.markets ? [[t("org.markets"), o.markets.split("|").join(", ")]] : [])]),
    el("h2", {}, t("org.memberships")), table([
      { label: t("cluster"), value: (m) => clusterLink(n, m.cluster_id) },
      { label: t("start"), value: (m) => date(m.start_date) }, { label: t("end"), value: (m) => (m.end_date ? date(m.end_date) : t("profile.active")) },
      { label: t("consent.listed"), value: (m) => (mayConsent() && !m.end_date
        ? consentBox(`/api/v1/membership/${[m.organisation_id, m.cluster_id, m.start_date].map(encodeURIComponent).join("/")}`, "listed", m.listed, t("consent.listed_box"))
        : t(m.listed ? "consent.yes" : "consent.no")) },
    ], p.memberships),
    el("h2", {}, t("org.participations")), table([
      { label: t("project"), value: (r) => el("a", { href: `#/project/${encodeURIComponent(r.project_id)}` }, r.acronym) },
      { label: t("role"), value: (r) => label("role", r.role) }, { label: t("status"), value: (r) => label("project_status", r.status) },
      { label: t("total_cost"), num: true, sort: (r) => r.cost || 0, value: (r) => euros(r.cost) }, { label: t("public_aid"), num: true, sort: (r) => r.aid || 0, value: (r) => euros(r.aid) },
    ], p.participations), source());
}

async function pageProject(root, id) {
  const [p, n] = await Promise.all([api("GET", `/api/v1/projects/${encodeURIComponent(id)}/profile`), names(), loadProgrammes()]);
  const pr = p.project;
  const events = [...p.events].sort((a, b) => (a.date || "").localeCompare(b.date || ""));
  root.append(el("h1", {}, pr.acronym, " — ", el("span", { translate: "no" }, pr.title || "")),
    facts([
      [t("programme"), programmeLabel(pr.programme)], [t("status"), label("project_status", pr.status)], [t("start"), `${date(pr.start_date)} → ${date(pr.end_date)}`],
      [t("total_cost"), euros(pr.total_cost)], [t("public_aid"), euros(pr.public_aid)], ["TRL", `${pr.trl_start ?? "?"} → ${pr.trl_target ?? "?"}`],
      [t("cluster"), el("ul", { class: "plain" }, p.labels.map((l) => el("li", {}, clusterLink(n, l.cluster_id))))],
      [t("consent.public_summary"), mayConsent() && me.user.role !== "member"
        ? consentBox(`/api/v1/project/${encodeURIComponent(pr.id)}`, "public_summary", pr.public_summary, t("consent.public_summary_box"))
        : t(pr.public_summary ? "consent.yes" : "consent.no")],
    ]),
    el("h2", {}, t("project.events")), table([{ label: t("date"), value: (e) => date(e.date) }, { label: t("status"), value: (e) => label("project_status", e.status) }], events, null, { tools: false }),
    el("h2", {}, t("project.partners")), table([
      { label: t("name"), value: (r) => el("a", { href: `#/organisation/${encodeURIComponent(r.organisation_id)}`, translate: "no" }, r.organisation_name || r.organisation_id) },
      { label: t("role"), value: (r) => label("role", r.role) }, { label: t("total_cost"), num: true, value: (r) => euros(r.cost) }, { label: t("public_aid"), num: true, value: (r) => euros(r.aid) },
    ], p.participations),
    el("h2", {}, t("project.results")), table([{ label: t("kind"), value: (r) => label("result_kind", r.kind) }, { label: t("name"), value: (r) => r.title }, { label: t("date"), value: (r) => date(r.date) }], p.results),
    colabelForm(pr.id, p.labels), source());
}

// A cluster manager whose cluster does not label a project asks its owner for a co-label; a
// project without a label that another scope recorded (or an import) is labelled by the State,
// which the same form asks (one its own scope recorded, it labels directly: the answer says so).
function colabelForm(projectId, labels) {
  if (me.user.role !== "cluster_manager" || labels.some((l) => l.cluster_id === me.user.scope)) return "";
  const comment = el("input", { class: "fr-input", id: "colabel-comment", maxlength: 500 });
  const msg = el("div", { "aria-live": "polite" });
  return el("section", {}, el("h2", {}, t("req.colabel_title")), el("p", { class: "muted" }, t(labels.length ? "req.colabel_note" : "req.colabel_state_note")),
    el("form", { class: "filters", onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api("POST", "/api/v1/requests/colabel", { project_id: projectId, comment: comment.value || undefined });
        msg.replaceChildren(el("p", { class: "ok" }, t("req.sent"), " ", el("a", { href: "#/requests" }, t("nav.requests"))));
      } catch (err) { msg.replaceChildren(problemBox(err)); }
    } }, el("label", { class: "fr-label" }, t("req.comment"), comment), el("button", { type: "submit" }, t("req.ask"))), msg);
}

// Requests made by the caller's scope, and those it decides (co-labels, master data).
async function pageRequests(root) {
  const list = el("div", { id: "requests" });
  async function load() {
    const r = await api("GET", "/api/v1/requests");
    const act = (x) => {
      if (x.status !== "pending") return x.answer ? el("span", { translate: "no" }, x.answer) : "";
      const answer = el("input", { class: "fr-input", "aria-label": t("req.answer"), placeholder: t("req.answer"), maxlength: 500 });
      const decide = (verb) => async () => {
        try { await api("POST", `/api/v1/requests/${encodeURIComponent(x.id)}/${verb}`, { answer: answer.value || undefined }); load(); }
        catch (err) { list.prepend(problemBox(err)); }
      };
      if (x.may_decide) return el("div", { class: "filters" }, answer,
        el("button", { type: "button", onclick: decide("accept") }, t("req.accept")),
        el("button", { type: "button", class: "secondary", onclick: decide("refuse") }, t("req.refuse")));
      if (["cluster_manager", "region"].includes(me.user.role)) return el("button", { type: "button", class: "secondary", onclick: async () => {
        try { await api("DELETE", `/api/v1/requests/${encodeURIComponent(x.id)}`); load(); } catch (err) { list.prepend(problemBox(err)); } } }, t("req.withdraw"));
      return "";
    };
    const target = (x) => el("a", { href: `#/${x.kind === "colabel" ? "project" : "organisation"}/${encodeURIComponent(x.target)}`, translate: "no" }, x.target_name || x.target);
    const what = (x) => (x.kind === "colabel" ? t("req.kind_colabel", { d: date(x.date) })
      : Object.entries(x.changes).map(([k, v]) => `${t(k) === k ? k : t(k)} → ${v}`).join(" ; "));
    list.replaceChildren(r.items.length ? table([
      { label: t("req.requested"), value: (x) => dateTime(x.requested_at) }, { label: t("req.target"), value: target },
      { label: t("req.what"), value: what }, { label: t("req.cluster"), value: (x) => el("a", { href: `#/cluster/${encodeURIComponent(x.cluster_id)}`, translate: "no" }, x.cluster_name || x.cluster_id) },
      { label: t("req.comment"), value: (x) => el("span", { translate: "no" }, x.comment || "") },
      { label: t("status"), value: (x) => label("request_status", x.status) }, { label: t("req.action"), value: act },
    ], r.items, null, { id: "requests-table" }) : el("p", {}, t("req.none")));
  }
  root.append(el("h1", {}, t("req.title")), el("p", { class: "muted" }, t("req.intro")), list);
  await load();
}

// Support requests firms sent from the public portal (/public/support) to the caller's clusters:
// statuses, answer times, take, answer, close (the region reads; its clusters' managers answer).
async function pageSupport(root) {
  const list = el("div", { id: "support" });
  const summary = el("p", { class: "muted", id: "support-summary" });
  async function load() {
    const r = await api("GET", "/api/v1/support-requests");
    summary.replaceChildren(t("sup.summary", { r: r.received, t: r.taken, a: r.answered, c: r.closed }), " ",
      r.median_hours_to_answer == null ? t("sup.no_delay") : t("sup.median", { h: fmt(r.median_hours_to_answer, 1) }));
    const act = (x) => {
      if (!x.may_update || x.status === "closed") return x.answer ? el("span", { translate: "no", class: "pre" }, x.answer) : "";
      const answer = el("textarea", { class: "fr-input", "aria-label": t("sup.answer"), placeholder: t("sup.answer"), maxlength: 4000, rows: 3 }, x.answer || "");
      const move = (status) => async () => {
        try { await api("POST", `/api/v1/support-requests/${encodeURIComponent(x.id)}`, { status, answer: answer.value.trim() || undefined }); load(); }
        catch (err) { list.prepend(problemBox(err)); }
      };
      return el("div", { class: "filters" }, answer,
        x.status === "received" ? el("button", { type: "button", class: "secondary", onclick: move("taken") }, t("sup.take")) : "",
        el("button", { type: "button", onclick: move("answered") }, t("sup.send")),
        el("button", { type: "button", class: "secondary", onclick: move("closed") }, t("sup.close")));
    };
    const who = (x) => el("span", { translate: "no" }, x.name, el("br"), el("a", { href: `mailto:${encodeURIComponent(x.email).replace("%40", "@")}` }, x.email), el("br"), `SIREN ${x.siren}`);
    list.replaceChildren(r.items.length ? table([
      { label: t("sup.received"), value: (x) => dateTime(x.created_at) },
      { label: t("sup.firm"), value: who },
      { label: t("sup.need"), value: (x) => el("span", { translate: "no", class: "pre" }, x.need) },
      { label: t("sup.theme"), value: (x) => (x.theme ? label("theme", x.theme) : "") },
      { label: t("sup.cluster"), value: (x) => (x.cluster_id ? el("a", { href: `#/cluster/${encodeURIComponent(x.cluster_id)}`, translate: "no" }, x.cluster_name || x.cluster_id) : t("sup.unrouted")) },
      { label: t("status"), value: (x) => label("support_status", x.status) },
      { label: t("sup.delay"), value: (x) => (x.hours_to_answer == null ? "" : t("sup.hours", { h: fmt(x.hours_to_answer, 1) })) },
      { label: t("sup.action"), value: act },
    ], r.items, null, { id: "support-table" }) : el("p", {}, t("sup.none")));
  }
  root.append(el("h1", {}, t("sup.title")), el("p", { class: "muted" }, t("sup.intro")), summary, list);
  await load();
}

const ENTITIES = ["cluster", "cluster_label", "organisation", "membership", "project", "project_label", "project_event", "participation",
  "result", "service", "service_participant", "diagnostic", "contract", "contract_target", "cluster_budget", "assessment", "call", "proposal", "reviewer",
  "review", "decision", "firm_year", "employment", "territory", "funder", "programme", "project_funding", "national_figure", "commune",
  "organisation_identifier"];

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const isXlsx = (f) => f.name.toLowerCase().endsWith(".xlsx");

async function pageImport(root) {
  const entity = el("select", { id: "entity", class: "fr-select" }, ENTITIES.map((e) => el("option", { value: e }, label("entity", e))));
  const file = el("input", { type: "file", class: "fr-upload", id: "file", accept: `.csv,.xlsx,text/csv,${XLSX_TYPE}` });
  const report = el("div", { id: "report", "aria-live": "polite" });
  const confirm = el("button", { type: "button", id: "confirm", hidden: true, onclick: () => send(false) }, t("import.confirm"));
  const check = el("button", { type: "button", id: "check", onclick: () => send(true) }, t("import.check"));
  root.append(el("h1", {}, t("import.title")), el("div", { class: "filters" }, el("label", {}, t("import.entity"), entity), el("label", {}, t("import.file"), file), check, confirm), report);
  root.append(mappedImportSection(), sirenSection(), censusSection());
  async function send(dry) {
    report.replaceChildren(t("loading"));
    confirm.hidden = true;
    if (!file.files.length) return report.replaceChildren("");
    const f = file.files[0];  // sent as it is: a workbook's bytes are not text
    try {
      const r = await api("POST", `/api/v1/import/${entity.value}?dry_run=${dry}&filename=${encodeURIComponent(f.name)}`, f, { raw: true, headers: { "Content-Type": isXlsx(f) ? XLSX_TYPE : "text/csv" } });
      report.replaceChildren(el("p", { class: "ok" }, dry ? t("import.valid", r) : t("import.done", r)));
      confirm.hidden = !dry;
    } catch (err) {
      report.replaceChildren(el("p", { class: "error" }, t("import.errors", { n: err.problem?.errors?.length ?? 1 })), problemBox(err));
    }
  }
}

// Any CSV or XLSX file through a column mapping (docs/real-data.md): the mapping (TOML) is
// built here field by field on the file's columns, or opened from a saved file; a preview shows
// the first rows converted and every refused row with its reason before anything is written.
const NORMALISERS = ["date", "number", "postcode", "department_of_postcode", "department", "insee_code", "zone", "nospace", "siren_of_siret", "slug", "bool", "list", "url", "year", "upper", "lower"];
const tomlString = (v) => `"${String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
async function base64Of(f) {
  const url = await new Promise((ok, ko) => { const r = new FileReader(); r.onload = () => ok(r.result); r.onerror = ko; r.readAsDataURL(f); });
  return String(url).slice(String(url).indexOf(",") + 1);
}
function mappedImportSection() {
  const file = el("input", { type: "file", class: "fr-upload", id: "mi-file", accept: `.csv,.xlsx,text/csv,${XLSX_TYPE}` });
  const toml = el("textarea", { id: "mi-mapping", class: "fr-input mapping", rows: 12, spellcheck: "false", translate: "no" });
  toml.value = localStorage.getItem("poles.mapping") || "";
  const open = el("input", { type: "file", id: "mi-open", class: "fr-upload", accept: ".toml,text/plain" });
  const params = el("div", { class: "filters", id: "mi-params" });
  const skip = el("input", { type: "checkbox", id: "mi-skip" });
  const snapshot = el("input", { type: "date", id: "mi-snapshot", class: "fr-input" });
  const builder = el("div", { id: "mi-builder" });
  const out = el("div", { id: "mi-report", "aria-live": "polite" });
  const go = el("button", { type: "button", id: "mi-import", hidden: true, onclick: () => run(false) }, t("mi.import"));
  const values = {};
  function refreshParams() {
    localStorage.setItem("poles.mapping", toml.value);
    const names = [...new Set([...toml.value.matchAll(/\{\$([A-Za-z0-9_]+)\}/g)].map((m) => m[1]))];
    params.replaceChildren(...names.map((n) => el("label", { class: "fr-label" }, t("mi.param", { p: n }),
      el("input", { class: "fr-input", id: `mi-param-${n}`, value: values[n] ?? "", oninput: (e) => { values[n] = e.target.value; } }))));
  }
  toml.addEventListener("input", refreshParams);
  open.addEventListener("change", async () => { if (open.files.length) { toml.value = await open.files[0].text(); refreshParams(); } });
  const save = el("button", { type: "button", class: "secondary", id: "mi-save", onclick: () => {
    const a = el("a", { href: URL.createObjectURL(new Blob([toml.value], { type: "text/plain" })), download: "correspondance.toml" });
    a.click(); URL.revokeObjectURL(a.href);
  } }, t("mi.save"));
  file.addEventListener("change", async () => {
    builder.replaceChildren();
    if (!file.files.length) return;
    try {
      const src = await api("POST", "/api/v1/import/mapped/columns", { file: await base64Of(file.files[0]), filename: file.files[0].name });
      builder.replaceChildren(buildTarget(src));
    } catch (err) { builder.replaceChildren(problemBox(err)); }
  });
  // One target entity: for each field, a column of the file or a constant, and a normaliser.
  function buildTarget(src) {
    const names = Object.keys(src.entities).filter((e) => ENTITIES.includes(e));
    const entity = el("select", { id: "mi-entity", class: "fr-select" }, names.map((e) => el("option", { value: e, selected: e === "organisation" }, label("entity", e))));
    const rows = el("tbody");
    const draw = () => rows.replaceChildren(...src.entities[entity.value].map((f) => {
      const source = el("select", { class: "fr-select", "data-field": f.name, "aria-label": t("mi.source_of", { f: f.name }) },
        el("option", { value: "" }, "—"), src.columns.map((c) => el("option", { value: `col:${c}` }, t("mi.column", { c }))), el("option", { value: "const" }, t("mi.constant")));
      const constant = el("input", { class: "fr-input", hidden: true, "aria-label": t("mi.constant_of", { f: f.name }) });
      const norm = el("select", { class: "fr-select", "aria-label": t("mi.normalise_of", { f: f.name }) }, el("option", { value: "" }, "—"), NORMALISERS.map((n) => el("option", { value: n }, t(`mi.norm.${n}`))));
      source.addEventListener("change", () => { constant.hidden = source.value !== "const"; });
      const guess = src.columns.find((c) => c.toLowerCase() === f.name.toLowerCase());
      if (guess) source.value = `col:${guess}`;
      return el("tr", { "data-field": f.name }, el("td", {}, el("code", { translate: "no", title: f.doc || null }, f.name), f.required ? el("span", { class: "required", title: t("mi.required") }, " *") : "",
        f.codes.length ? el("div", { class: "muted", translate: "no" }, f.codes.join(", ")) : ""), el("td", {}, source, constant), el("td", {}, norm));
    }));
    entity.addEventListener("change", draw);
    draw();
    const add = el("button", { type: "button", id: "mi-add", onclick: () => {
      const lines = [`[[target]]`, `entity = ${tomlString(entity.value)}`, `[target.fields]`];
      for (const tr of rows.children) {
        const [source, constant] = tr.children[1].children;
        const norm = tr.children[2].firstChild.value;
        const n = norm ? `, normalise = [${tomlString(norm)}]` : "";
        if (source.value.startsWith("col:")) lines.push(`${tr.dataset.field} = { column = ${tomlString(source.value.slice(4))}${n} }`);
        else if (source.value === "const") lines.push(`${tr.dataset.field} = { constant = ${tomlString(constant.value)}${n} }`);
      }
      toml.value = (toml.value.trim() ? toml.value.trimEnd() + "\n\n" : "") + lines.join("\n") + "\n";
      refreshParams();
    } }, t("mi.add"));
    return el("div", { class: "card" }, el("p", { class: "muted" }, src.sheet ? t("mi.columns_sheet", { n: fmt(src.columns.length), rows: fmt(src.rows), sheet: src.sheet }) : t("mi.columns", { n: fmt(src.columns.length), rows: fmt(src.rows) })),
      el("label", { class: "fr-label" }, t("mi.target"), entity),
      el("div", { class: "table-wrap" }, el("table", { class: "fr-table", id: "mi-fields" }, el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("field")), el("th", { scope: "col" }, t("mi.source")), el("th", { scope: "col" }, t("mi.normalise")))), rows)), add);
  }
  async function run(preview) {
    go.hidden = true;
    if (!file.files.length || !toml.value.trim()) return out.replaceChildren(el("p", { class: "error" }, t("mi.need")));
    out.replaceChildren(t("loading"));
    const body = { mapping: toml.value, file: await base64Of(file.files[0]), filename: file.files[0].name, params: { ...values }, skip_invalid: skip.checked };
    if (preview) body.preview = 20;
    if (snapshot.value) body.snapshot = snapshot.value;
    try {
      const r = await api("POST", "/api/v1/import/mapped", body);
      const parts = [el("p", { class: r.refused_lines.length ? "warning" : "ok" }, t(r.dry_run ? "mi.summary" : "mi.written",
        { rows: fmt(r.source_rows), accepted: fmt(r.accepted_rows), refused: fmt(r.refused_lines.length), blank: fmt(r.blank_rows) }))];
      if (snapshot.value) parts.push(r.snapshot_withheld ? el("p", { class: "warning" }, t("mi.snapshot_withheld", { n: fmt(r.refused_lines.length) })) : el("p", {}, t("mi.ended", { n: fmt(r.ended), d: date(snapshot.value) })));
      if (r.preview.length) {
        parts.push(el("h3", {}, t("mi.previewed")));
        const byEntity = Object.groupBy ? Object.groupBy(r.preview, (p) => p.entity) : r.preview.reduce((a, p) => ((a[p.entity] ||= []).push(p), a), {});
        for (const [e, list] of Object.entries(byEntity)) {
          const fields = Object.keys(list[0].values);
          parts.push(el("h4", {}, label("entity", e)), table([{ label: t("line"), value: (p) => p.line, num: true }, ...fields.map((f) => ({ label: f, name: true, value: (p) => p.values[f] }))], list, null, { tools: false }));
        }
      }
      if (r.errors.length) {
        parts.push(el("h3", {}, t("mi.refused")), table([
          { label: t("line"), value: (e) => e.cell || e.line, num: !r.sheet }, { label: t("field"), value: (e) => e.field },
          { label: t("value"), value: (e) => e.value }, { label: t("rule"), value: (e) => e.rule }], r.errors, null, { id: "mi-refused" }));
      }
      out.replaceChildren(...parts);
      go.hidden = !r.dry_run || (!skip.checked && r.refused_lines.length > 0);
    } catch (err) {
      out.replaceChildren(el("p", { class: "error" }, t("import.errors", { n: err.problem?.errors?.length ?? 1 })), problemBox(err));
    }
  }
  const check = el("button", { type: "button", id: "mi-preview", onclick: () => run(true) }, t("mi.preview"));
  refreshParams();
  return el("section", { class: "card", id: "mapped-import" }, el("h2", {}, t("mi.title")), el("p", { class: "muted" }, t("mi.intro")),
    el("div", { class: "filters" }, el("label", { class: "fr-label" }, t("mi.file"), file)), builder,
    el("label", { class: "fr-label", for: "mi-mapping" }, t("mi.mapping")), toml,
    el("div", { class: "filters" }, el("label", { class: "fr-label" }, t("mi.open"), open), save), params,
    el("div", { class: "filters" }, el("span", { class: "consent" }, skip, el("label", { class: "fr-label", for: "mi-skip" }, t("mi.skip"))),
      el("label", { class: "fr-label" }, t("mi.snapshot"), snapshot), check, go), out);
}

// The State's census of members: firm figures over a cluster's members count it, not the
// membership rows the clusters write. A preview (dry run) of a year, then its release.
// Matching organisations without SIREN to SIRENE's legal units (docs/real-data.md): run the
// matching, then review the organisations it could not decide, candidate by candidate, with
// each score's reasons; a person's decision is kept by the next runs.
const MATCH_STATUSES = ["review", "duplicate", "none", "accepted", "rejected"];
function sirenSection() {
  const status = el("select", { class: "fr-select", id: "res-status", onchange: () => { offset = 0; load(); } }, MATCH_STATUSES.map((s) => el("option", { value: s }, t(`res.status.${s}`))));
  const summary = el("p", { class: "muted", id: "res-summary" });
  const out = el("div", { id: "res-queue", "aria-live": "polite" });
  const msg = el("div", { "aria-live": "polite" });
  const pager = el("div", { class: "filters", id: "res-pager" });
  const PAGE = 50;
  let offset = 0;
  const reasons = (c) => c.reasons.map((r) => `${t(`res.reason.${r.what}`)} ${r.points >= 0 ? "+" : "−"}${fmt(Math.abs(r.points), 2)}`).join(" · ");
  async function decide(x, body) {
    try { await api("POST", `/api/v1/resolution/${encodeURIComponent(x.organisation_id)}/decision`, body); msg.replaceChildren(el("p", { class: "ok" }, t("res.decided", { o: x.name }))); load(); }
    catch (err) { msg.replaceChildren(problemBox(err)); }
  }
  // A duplicate of the organisation that holds its SIREN: merged into it (after a confirmation).
  async function merge(x) {
    if (!(await confirmDialog(t("res.merge_confirm", { o: x.name, k: x.duplicate_of })))) return;
    try {
      const r = await api("POST", `/api/v1/organisations/${encodeURIComponent(x.duplicate_of)}/merge`, { drop: x.organisation_id });
      const moved = Object.values(r.moved).reduce((a, b) => a + b, 0);
      msg.replaceChildren(el("p", { class: "ok" }, t("res.merged", { o: x.name, k: r.kept, n: fmt(moved) })));
      load();
    } catch (err) { msg.replaceChildren(problemBox(err)); }
  }
  async function load() {
    try {
      const r = await api("GET", `/api/v1/resolution?status=${status.value}&limit=${PAGE}&offset=${offset}`);
      if (offset > 0 && offset >= r.total) { offset = Math.max(0, r.total - PAGE); return load(); }
      pager.replaceChildren(r.total > PAGE ? el("span", { class: "muted" }, t("res.page", { a: fmt(offset + 1), b: fmt(Math.min(offset + PAGE, r.total)), n: fmt(r.total) })) : "",
        offset > 0 ? el("button", { type: "button", class: "secondary", onclick: () => { offset = Math.max(0, offset - PAGE); load(); } }, t("res.previous")) : "",
        offset + PAGE < r.total ? el("button", { type: "button", class: "secondary", onclick: () => { offset += PAGE; load(); } }, t("res.next")) : "");
      summary.replaceChildren(t("res.summary", { u: fmt(r.units), ...Object.fromEntries(MATCH_STATUSES.map((s) => [s, fmt(r.counts[s] || 0)])) }));
      const candidate = (x) => (c) => el("li", {},
        el("strong", { translate: "no" }, c.name), c.acronym ? el("span", { translate: "no" }, ` (${c.acronym})`) : "",
        ` — SIREN ${c.siren}`, c.postcode || c.commune ? ` — ${c.postcode || c.commune}` : "", c.naf ? ` — NAF ${c.naf} (${label("naf", c.naf.slice(0, 2))})` : "",
        c.created ? ` — ${t("res.created", { y: c.created })}` : "", c.active ? "" : ` — ${t("res.ceased")}`,
        el("br"), el("span", { class: "muted" }, t("res.score", { s: fmt(c.score, 2) }), " ", reasons(c)),
        ["review", "duplicate", "none"].includes(x.status) && c.siren !== x.siren ? el("div", {}, el("button", { type: "button", class: "secondary", onclick: () => decide(x, { siren: c.siren }) }, t("res.accept"))) : "");
      out.replaceChildren(r.items.length ? table([
        { label: t("res.organisation"), value: (x) => el("a", { href: `#/organisation/${encodeURIComponent(x.organisation_id)}`, translate: "no" }, x.name) },
        { label: t("status"), value: (x) => el("span", {}, t(`res.status.${x.status}`), x.siren ? ` — SIREN ${x.siren}` : "", x.duplicate_of ? el("span", {}, " ", t("res.held_by"), " ", el("a", { href: `#/organisation/${encodeURIComponent(x.duplicate_of)}`, translate: "no" }, x.duplicate_of),
          x.status === "duplicate" ? el("div", {}, el("button", { type: "button", class: "fr-btn fr-btn--secondary res-merge", onclick: () => merge(x) }, t("res.merge"))) : "") : "", x.decided_by ? el("span", { class: "muted" }, ` (${x.decided_by === "cli" ? t("res.by_cli") : t("res.by", { u: x.decided_by })})`) : "") },
        { label: t("res.candidates"), value: (x) => el("div", {}, x.candidates.length ? el("ol", { class: "candidates" }, x.candidates.map(candidate(x))) : el("span", { class: "muted" }, t("res.no_candidate")),
          ["review", "duplicate", "none"].includes(x.status) ? el("button", { type: "button", class: "secondary", onclick: () => decide(x, { reject: true }) }, t("res.reject")) : "") },
      ], r.items, null, { id: "res-table" }) : el("p", {}, t("res.empty")));
    } catch (err) { out.replaceChildren(problemBox(err)); }
  }
  const run = el("button", { type: "button", id: "res-run", onclick: async () => {
    msg.replaceChildren(t("loading"));
    try {
      const r = await api("POST", "/api/v1/resolution/run", {});
      msg.replaceChildren(el("p", { class: "ok" }, t("res.ran", { n: fmt(r.organisations), a: fmt(r.accepted), r: fmt(r.review), d: fmt(r.duplicates), z: fmt(r.none), k: fmt(r.kept), s: fmt(r.size_classes) })));
      load();
    } catch (err) { msg.replaceChildren(problemBox(err)); }
  } }, t("res.run"));
  load();
  return el("section", { class: "card", id: "siren-matching" }, el("h2", {}, t("res.title")), el("p", { class: "muted" }, t("res.intro")), summary,
    el("div", { class: "filters" }, run, el("label", {}, t("status"), status)), msg, out, pager);
}

function censusSection() {
  const year = el("input", { class: "fr-input", id: "census-year", type: "number", min: 2004, max: new Date().getFullYear(), value: new Date().getFullYear() - 1 });
  const out = el("div", { id: "census-report", "aria-live": "polite" });
  const release = el("button", { type: "button", id: "census-release", hidden: true, onclick: () => send(false) }, t("census.release"));
  const preview = el("button", { type: "button", id: "census-preview", onclick: () => send(true) }, t("census.preview"));
  async function send(dry) {
    out.replaceChildren(t("loading"));
    release.hidden = true;
    try {
      const [r, n] = await Promise.all([api("POST", `/api/v1/census/${encodeURIComponent(year.value)}?dry_run=${dry}`), names()]);
      const rows = r.clusters;
      out.replaceChildren(el("p", { class: "ok" }, t(dry ? "census.would" : "census.done", { year: r.year, members: fmt(r.members), added: fmt(r.added), removed: fmt(r.removed) })),
        rows.length ? table([
          { label: t("cluster"), value: (c) => clusterLink(n, c.cluster) },
          { label: t("census.members"), value: (c) => fmt(c.members), num: true },
          { label: t("census.added"), value: (c) => fmt(c.added), num: true },
          { label: t("census.removed"), value: (c) => fmt(c.removed), num: true },
          { label: t("census.held_back"), value: (c) => fmt(c.held_back), num: true },
        ], rows, null, { id: "census-table" }) : el("p", { class: "muted" }, t("census.unchanged")),
        r.held_back ? el("p", { class: "muted", id: "census-held" }, t("census.held_note", { n: fmt(r.held_back) })) : "");
      release.hidden = !dry || (r.added === 0 && r.removed === 0);
    } catch (err) { out.replaceChildren(problemBox(err)); }
  }
  return el("section", { class: "card", id: "census" }, el("h2", {}, t("census.title")), el("p", { class: "muted" }, t("census.intro")),
    el("div", { class: "filters" }, el("label", {}, t("year"), year), preview, release), out);
}

async function pageLogin(root) {
  const name = el("input", { class: "fr-input", id: "login-name", autocomplete: "username", required: true });
  const password = el("input", { class: "fr-input", id: "login-password", type: "password", autocomplete: "current-password", required: true });
  const msg = el("div", { "aria-live": "assertive" });
  const form = el("form", { class: "login", onsubmit: async (e) => {
    e.preventDefault();
    try {
      me = await api("POST", "/api/v1/login", { name: name.value, password: password.value });
      updateChrome();
      location.hash = "#/map";
    } catch (err) { msg.replaceChildren(problemBox(err)); }
  } }, el("label", {}, t("login.name"), name), el("label", {}, t("login.password"), password), el("button", { type: "submit" }, t("login.submit")), msg);
  root.append(el("h1", {}, t("login.title")), form);
}

async function pageAccount(root) {
  const tokenLabel = el("input", { class: "fr-input", id: "token-label", value: "script" });
  const out = el("p", { "aria-live": "polite" });
  const tokens = el("div", { id: "tokens" });
  async function loadTokens() {
    const r = await api("GET", "/api/v1/tokens");
    tokens.replaceChildren(r.tokens.length ? table([
      { label: t("account.token_label"), value: (x) => x.label }, { label: t("account.created"), value: (x) => dateTime(x.created_at) },
      { label: t("account.last_used"), value: (x) => (x.last_used_at ? dateTime(x.last_used_at) : t("account.never")) },
      { label: "", value: (x) => el("button", { type: "button", class: "secondary", "data-token": x.token_id, onclick: async () => {
        await api("DELETE", `/api/v1/tokens/${encodeURIComponent(x.token_id)}`); loadTokens(); } }, t("account.revoke")) },
    ], r.tokens) : el("p", {}, t("account.no_tokens")));
  }
  const pw = { current: el("input", { class: "fr-input", id: "current-password", type: "password", autocomplete: "current-password", required: true }),
    next: el("input", { class: "fr-input", id: "new-password", type: "password", autocomplete: "new-password", required: true }) };
  const pwMsg = el("div", { "aria-live": "polite" });
  root.append(el("h1", {}, t("account.title")), table([{ label: "", value: (r) => r[0] }, { label: "", value: (r) => r[1] }], [
    [t("login.name"), me.user.name], [t("account.role"), label("account_role", me.user.role)], [t("account.scope"), me.user.scope || "—"],
  ]), el("h2", {}, t("account.password")), el("form", { class: "filters", onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api("POST", "/api/v1/me/password", { current_password: pw.current.value, new_password: pw.next.value });
      pw.current.value = pw.next.value = "";
      pwMsg.replaceChildren(el("p", { class: "ok" }, t("account.password_changed"))); loadTokens();
    } catch (err) { pwMsg.replaceChildren(problemBox(err)); }
  } }, el("label", { class: "fr-label" }, t("account.current_password"), pw.current), el("label", { class: "fr-label" }, t("account.new_password"), pw.next),
    el("button", { type: "submit" }, t("account.change"))), pwMsg,
  el("h2", {}, t("account.tokens")), tokens,
  el("h2", {}, t("account.token")), el("div", { class: "filters" }, el("label", { class: "fr-label" }, t("account.token_label"), tokenLabel),
    el("button", { type: "button", onclick: async () => { const r = await api("POST", "/api/v1/tokens", { label: tokenLabel.value }); out.replaceChildren(el("code", {}, r.token)); loadTokens(); } }, "OK")), out);
  await loadTokens();
}

async function pageUsers(root) {
  const box = el("div");
  const f = { name: el("input", { class: "fr-input", id: "new-name" }), role: el("select", { class: "fr-select", id: "new-role" }, ["admin", "state", "region", "cluster_manager", "evaluator", "reviewer", "member"].map((r) => el("option", { value: r }, label("account_role", r)))),
    scope: el("input", { class: "fr-input", id: "new-scope" }), password: el("input", { class: "fr-input", id: "new-password", type: "password", autocomplete: "new-password" }) };
  const msg = el("div", { "aria-live": "polite" });
  async function load() {
    const { users } = await api("GET", "/api/v1/users");
    box.replaceChildren(table([
      { label: t("login.name"), value: (u) => u.name }, { label: t("account.role"), value: (u) => label("account_role", u.role) }, { label: t("account.scope"), value: (u) => u.scope },
      { label: "", value: (u) => u.disabled ? t("disabled") : el("button", { type: "button", class: "secondary", onclick: async () => { await api("POST", `/api/v1/users/${u.name}/disable`, {}); load(); } }, t("users.disable")) },
    ], users));
  }
  root.append(el("h1", {}, t("users.title")), box, el("form", { class: "filters", onsubmit: async (e) => {
    e.preventDefault();
    try { await api("POST", "/api/v1/users", { name: f.name.value, role: f.role.value, scope: f.scope.value, password: f.password.value }); msg.replaceChildren(""); load(); }
    catch (err) { msg.replaceChildren(problemBox(err)); }
  } }, el("label", {}, t("login.name"), f.name), el("label", {}, t("account.role"), f.role), el("label", {}, t("account.scope"), f.scope),
    el("label", {}, t("login.password"), f.password), el("button", { type: "submit" }, t("users.add"))), msg);
  await load();
}

async function pageAudit(root) {
  const { entries } = await api("GET", "/api/v1/audit?limit=500");
  root.append(el("h1", {}, t("audit.title")), table([
    { label: t("audit.at"), value: (a) => a.at }, { label: t("audit.actor"), value: (a) => a.actor }, { label: t("audit.action"), value: (a) => label("audit_action", a.action) },
    { label: t("audit.entity"), value: (a) => label("entity", a.entity) }, { label: t("audit.key"), value: (a) => a.key },
  ], entries.reverse()));
}

// --- cooperation network ---------------------------------------------------------------------
// sigma and graphology ship UMD builds: loaded once as classic scripts (same origin, no bundler).
let sigmaLoaded = null;
let activeSigma = null;  // killed when the page changes (it listens to window resizes)
function loadSigma() {
  const load = (src) => new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src; s.onload = resolve; s.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.append(s);
  });
  sigmaLoaded ??= load("/node_modules/graphology/dist/graphology.umd.min.js").then(() => load("/node_modules/sigma/build/sigma.min.js"));
  return sigmaLoaded;
}
const COMMUNITY_COLOURS = ["#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#a558a0", "#009081", "#c3992a", "#417dc4", "#ce614a", "#7d4e5b", "#3a3a3a"];
const colourOf = (c) => COMMUNITY_COLOURS[c % COMMUNITY_COLOURS.length];

function heatmap(container, matrix, { top = 0 } = {}) {
  // Rows and columns ordered by their total; the diagonal is left out (it is the row's own total).
  let idx = matrix.labels.map((_, i) => i);
  const total = (i) => matrix.values[i].reduce((a, v, j) => a + (i === j ? 0 : v), 0);
  idx.sort((a, b) => total(b) - total(a));
  if (top) idx = idx.slice(0, top);
  const names = idx.map((i) => matrix.names[i] || matrix.labels[i]);
  const data = [];
  let max = 1;
  idx.forEach((i, x) => idx.forEach((j, y) => { if (i !== j) { data.push([x, y, matrix.values[i][j]]); max = Math.max(max, matrix.values[i][j]); } }));
  return chart(container, {
    tooltip: { position: "top", formatter: (p) => `${names[p.data[0]]} — ${names[p.data[1]]}${colon()}${fmt(p.data[2])}` },
    grid: { left: 110, right: 16, top: 8, bottom: 110 },
    xAxis: { type: "category", data: names, axisLabel: { rotate: 60, fontSize: 9 } },
    yAxis: { type: "category", data: names, axisLabel: { fontSize: 9 } },
    visualMap: { min: 0, max, calculable: true, orient: "horizontal", left: "center", bottom: 0, inRange: { color: PALETTE } },
    legend: { show: false },
    series: [{ type: "heatmap", data }],
  });
}

async function pageNetwork(root, params) {
  const clusters = (await api("GET", "/api/v1/stats/clusters?year=2024")).clusters;
  const regions = (await api("GET", "/api/v1/stats/regions?year=2024")).regions;
  const from = el("input", { type: "number", class: "fr-input", id: "net-from", min: 2000, max: 2030, value: params.get("from") || "" });
  const to = el("input", { type: "number", class: "fr-input", id: "net-to", min: 2000, max: 2030, value: params.get("to") || "" });
  const clusterSel = el("select", { id: "net-cluster", class: "fr-select" }, el("option", { value: "" }, t("all")),
    clusters.map((c) => el("option", { value: c.id, selected: params.get("cluster") === c.id }, c.acronym || c.name)));
  const regionSel = el("select", { id: "net-region", class: "fr-select" }, el("option", { value: "" }, t("all")),
    regions.map((r) => el("option", { value: r.code, selected: params.get("region") === r.code }, r.name)));
  const apply = el("button", { type: "button", id: "net-apply", onclick: () => {
    const q = new URLSearchParams();
    if (from.value) q.set("from", from.value);
    if (to.value) q.set("to", to.value);
    if (clusterSel.value) q.set("cluster", clusterSel.value);
    if (regionSel.value) q.set("region", regionSel.value);
    location.hash = `#/network?${q}`;
  } }, t("net.apply"));
  const filter = new URLSearchParams([...params].filter(([k]) => ["from", "to", "cluster", "region"].includes(k))).toString();
  const withFilter = (path, extra = "") => `${path}?${[filter, extra].filter(Boolean).join("&")}`;
  const summary = await api("GET", withFilter("/api/v1/network/summary"));
  const c = summary.connectivity;
  const kpis = el("div", { class: "kpis", id: "net-kpis" }, [
    [t("net.organisations"), fmt(c.organisations)], [t("net.links"), fmt(c.links)], [t("projects"), fmt(summary.projects)],
    [t("net.giant"), pct(c.giant_share, 1)], [t("net.communities"), fmt(summary.communities.count)],
    [t("net.modularity"), fmt(summary.communities.modularity, 3)],
  ].map(([k, v]) => el("div", { class: "kpi" }, el("span", { class: "muted" }, k), el("strong", {}, v))));
  const graphBox = el("div", { class: "sigma", id: "net-graph", role: "img", "aria-label": t("net.graph") });
  const side = el("section", { class: "card", id: "net-side" }, el("p", { class: "muted" }, t("net.pick")));
  const heat = el("div", { class: "chart tall", id: "net-clusters", role: "img", "aria-label": t("net.clusters") });
  const flows = el("div", { class: "chart tall", id: "net-regions", role: "img", "aria-label": t("net.regions") });
  const orgInput = el("input", { type: "search", class: "fr-input", id: "net-org", placeholder: "demo-org-00001" });
  const exportLinks = el("p", {}, t("net.export"), " ", ["graphml", "gexf", "csv"].map((f) =>
    el("a", { href: withFilter("/api/v1/network/export", `format=${f}`), download: `cooperation.${f}`, class: "export" }, f.toUpperCase() + " ")));
  root.append(el("h1", {}, t("net.title")),
    el("div", { class: "filters" }, el("label", {}, t("net.from"), from), el("label", {}, t("net.to"), to), el("label", {}, t("cluster"), clusterSel),
      el("label", {}, t("region"), regionSel), apply),
    kpis,
    el("div", { class: "grid net" }, el("section", { class: "card" }, el("h2", {}, t("net.graph")), graphBox,
      el("p", { class: "muted" }, t("net.graph_note"))), side),
    el("section", { class: "card" }, el("h2", {}, t("net.ego_title")), el("div", { class: "filters" }, el("label", {}, t("net.organisation"), orgInput),
      el("button", { type: "button", id: "net-org-go", onclick: () => showOrg(orgInput.value.trim()) }, t("net.show")))),
    el("div", { class: "grid" }, el("section", { class: "card" }, el("h2", {}, t("net.clusters")), heat),
      el("section", { class: "card" }, el("h2", {}, t("net.regions")), flows)),
    el("section", { class: "card", id: "net-sme" }, el("h2", {}, t("net.sme"))),
    exportLinks);

  async function showOrg(id) {
    if (!id) return;
    side.replaceChildren(el("p", { class: "muted" }, t("loading")));
    try {
      const [ego, rec] = await Promise.all([api("GET", withFilter(`/api/v1/network/ego/${encodeURIComponent(id)}`, "limit=60")),
        api("GET", withFilter(`/api/v1/network/recommend/${encodeURIComponent(id)}`, "limit=10"))]);
      const egoChart = el("div", { class: "chart", id: "net-ego", role: "img", "aria-label": t("net.ego_title") });
      side.replaceChildren(el("h2", {}, ego.nodes[0].name), el("p", { class: "muted" },
        t("net.ego_caption", { degree: fmt(ego.nodes[0].degree), projects: fmt(ego.nodes[0].projects) })), egoChart,
        el("h3", {}, t("net.recommend")), table([
          { label: t("name"), value: (r) => el("a", { href: `#/organisation/${encodeURIComponent(r.id)}` }, r.name) },
          { label: t("net.score"), num: true, value: (r) => fmt(r.score, 2) },
          { label: t("net.reasons"), value: (r) => r.reasons.map((x) => t(`reason.${x.code}`, { v: fmt(x.value, 1), d: x.detail })).join(" · ") },
        ], rec.candidates));
      side.querySelector("table").id = "net-recommendations";
      chart(egoChart, {
        tooltip: {}, legend: { show: false },
        series: [{ type: "graph", layout: "force", roam: true, force: { repulsion: 80, edgeLength: 40 },
          data: ego.nodes.map((n) => ({ id: n.id, name: n.name, symbolSize: n.hops === 0 ? 18 : 8 + Math.min(10, n.degree / 4),
            itemStyle: { color: n.hops === 0 ? "#e1000f" : colourOf(n.community) } })),
          links: ego.edges.map((e) => ({ source: e.source, target: e.target, lineStyle: { width: Math.min(4, e.weight) } })) }],
      });
    } catch (err) { side.replaceChildren(problemBox(err)); }
  }

  // Graph, matrices and SME table load once the page is in the document (sigma measures its
  // container); errors show in the graph's place.
  drawNetwork().catch((err) => graphBox.replaceChildren(problemBox(err)));
  async function drawNetwork() {
    while (!graphBox.isConnected) await new Promise((r) => requestAnimationFrame(r));
    const [graph, clusterLinks, regionLinks, sme] = await Promise.all([
      api("GET", withFilter("/api/v1/network/graph", "limit=800")), api("GET", withFilter("/api/v1/network/clusters")),
      api("GET", withFilter("/api/v1/network/regions")), api("GET", withFilter("/api/v1/network/sme"))]);
    heatmap(heat, clusterLinks.co_labelled, { top: 40 });
    heatmap(flows, regionLinks.projects);
    const clusterName = Object.fromEntries(clusters.map((x) => [x.id, x.acronym || x.name]));
    document.getElementById("net-sme")?.append(table([
      { label: t("cluster"), value: (r) => r.cluster ? clusterName[r.cluster] || r.cluster : t("all") },
      { label: t("projects"), num: true, value: (r) => fmt(r.projects) },
      { label: t("net.sme_share"), num: true, value: (r) => pct(r.sme_share, 1) },
      { label: t("net.sme_coord"), num: true, value: (r) => pct(r.coordinator_sme_share, 1) },
      { label: t("net.sme_centrality"), num: true, value: (r) => fmt(r.centrality_ratio, 2) },
    ], sme.items.filter((r) => r.projects > 0)));
    await loadSigma();
    const G = new window.graphology.Graph();
    const maxSize = Math.max(1, ...graph.nodes.map((n) => n.size));
    for (const n of graph.nodes) {
      G.addNode(n.id, { x: n.x, y: n.y, size: 2 + 8 * Math.sqrt(n.size / maxSize), label: n.name, color: colourOf(n.community) });
    }
    for (const [a, b, w] of graph.edges) if (!G.hasEdge(a, b)) G.addEdge(a, b, { size: Math.min(2, 0.3 + w / 4), color: "#ccc" });
    const SigmaClass = window.Sigma.Sigma || window.Sigma.default || window.Sigma;
    activeSigma?.kill();
    const renderer = new SigmaClass(G, graphBox, { labelRenderedSizeThreshold: 9, allowInvalidContainer: true });
    activeSigma = renderer;
    renderer.on("clickNode", ({ node }) => { orgInput.value = node; showOrg(node); });
    graphBox.dataset.nodes = String(G.order);
    graphBox.dataset.ready = "true";
  }
}

// --- calls and selection ---------------------------------------------------------------------
const kpiBox = (id, pairs) => el("div", { class: "kpis", id }, pairs.map(([k, v]) => el("div", { class: "kpi" }, el("span", { class: "muted" }, k), el("strong", {}, v))));

async function pageSelect(root, params) {
  const calls = (await api("GET", "/api/v1/select/calls")).items;
  root.append(el("h1", {}, t("sel.title")));
  if (!calls.length) { root.append(el("p", { class: "muted" }, t("sel.none"))); return; }
  const id = params.get("call") || calls[calls.length - 1].id;
  const callSel = el("select", { id: "sel-call", class: "fr-select", onchange: (e) => { location.hash = `#/select?call=${encodeURIComponent(e.target.value)}`; } },
    calls.map((c) => el("option", { value: c.id, selected: c.id === id }, `${c.id} — ${c.title}`)));
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
  if (["admin", "state"].includes(me?.user.role)) {
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
  // Assignment problems first: they block the review.
  if (assign.shortages.length) {
    root.append(el("section", { class: "card problem", id: "sel-shortages" }, el("h2", {}, t("sel.shortages")),
      table([{ label: t("sel.proposal"), value: (r) => r.proposal }, { label: t("sel.why"), value: (r) => r.why }], assign.shortages)));
  }
  // Ranking with its uncertainty.
  root.append(el("section", { class: "card", id: "sel-ranking" }, el("h2", {}, t("sel.ranking")), el("p", { class: "muted" }, t("sel.ranking_note")),
    table([{ label: t("sel.rank"), value: (r) => r.rank, num: true }, { label: t("sel.proposal"), value: (r) => r.id },
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
    table([{ label: t("sel.proposal"), value: (r) => r.id }, { label: t("sel.success"), value: (r) => pct(r.success_probability), num: true },
      { label: t("sel.tail"), value: (r) => pct(r.failure_in_tail), num: true }], risk.most_fragile.slice(0, 5))));
  chart(workload, { xAxis: { type: "category", data: busy.map((w) => w.id), axisLabel: { rotate: 60 } }, yAxis: { type: "value" },
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
async function pageMyReviews(root) {
  const mine = await api("GET", "/api/v1/select/my-proposals");
  root.append(el("h1", {}, t("rev.title")), el("p", { class: "muted" }, mine.name),
    mine.items.length ? table([{ label: t("sel.call"), value: (r) => r.call }, { label: t("sel.proposal"), value: (r) => r.id },
      { label: t("rev.proposal_title"), value: (r) => r.title },
      { label: t("rev.my_scores"), value: (r) => Object.entries(r.my_scores).map(([k, v]) => `${k} ${fmt(v, 1)}`).join(" · ") }], mine.items)
      : el("p", { class: "muted" }, t("rev.none")));
}


// --- from project factory to product factory ------------------------------------------------
// A figure over firms, or "s" when statistical secrecy masks it, with why: the cell itself breaks
// the rule (primary) or it would give away another masked cell through the totals (secondary).
const secretCell = (c, d = 0) => {
  if (c && c.value !== null && c.value !== undefined) return fmt(c.value, d);
  const why = t(c?.secret === "secondary" ? "secret.secondary" : "secret.primary");
  return el("abbr", { title: why, "aria-label": why, tabindex: "0", class: "secret" }, "s");
};

// A share as a percentage, with a decimal under 1 % (0,4 % rather than 0 %).
const share = (v) => pct(v, v > 0 && v < 0.01 ? 1 : 0);
// A programme of the referential in the page's language.
const programmeName = (p) => (lang === "en" && p.name_en ? p.name_en : p.name);
// A programme's code as a word: the vocabulary's short word for the programmes it knows, else the
// referential's name (a programme the State added; loadProgrammes), else the code.
let programmeNames = {};
async function loadProgrammes() {
  try { programmeNames = Object.fromEntries((await api("GET", "/api/v1/programme?limit=1000")).items.map((p) => [p.code, p])); } catch { /* role without access */ }
}
const programmeLabel = (code) => (!code || hasLabel("programme", code) || !programmeNames[code] ? label("programme", code) : programmeName(programmeNames[code]));

async function pagePipeline(root, params) {
  const programme = params.get("programme") || "";
  const q = programme ? `&programme=${encodeURIComponent(programme)}` : "";
  const [funnel, lev, funding, programmeList] = await Promise.all([api("GET", `/api/v1/pipeline/funnel?by=year${q}`), api("GET", "/api/v1/pipeline/leverage?by=cluster"),
    api("GET", "/api/v1/pipeline/funding").catch(() => null), api("GET", "/api/v1/programme?limit=1000")]);
  const programmes = programmeList.items;
  const progSel = el("select", { id: "pipe-programme", class: "fr-select", onchange: (e) => { location.hash = e.target.value ? `#/pipeline?programme=${e.target.value}` : "#/pipeline"; } },
    el("option", { value: "" }, t("all")),
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
    series: [{ name: t("pipe.reached"), type: "bar", data: all.stages.map((s) => s.reached), color: "#000091" }] });
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

// A Region's co-funding (GET /api/v1/regions/{code}/cofunding): its money on the clusters'
// projects, the leverage, and its clusters' contract targets and published ratings. A region
// account sees its own region; the State, evaluators and administrators choose one.
async function pageCofunding(root, params) {
  const own = me.user.role === "region" ? me.user.scope : null;
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
  chart(yearBox, { xAxis: { type: "category", data: x.years.map((y) => String(y.year)) }, yAxis: { type: "value", axisLabel: { formatter: (v) => compact(v) } },
    tooltip: { trigger: "axis", valueFormatter: (v) => euros(v) },
    series: [{ name: t("cof.aid"), type: "bar", data: x.years.map((y) => y.aid), color: "#000091" }] });
  yearBox.dataset.ready = "true";
}

async function pageServices(root) {
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
      el("div", { id: "diag-aid" }, table([{ label: t("diag.band"), value: (r) => `Q${r.band} (${fmt(r.score_from)}–${fmt(r.score_to)})` },
        { label: t("svc.firms"), num: true, value: (r) => fmt(r.firms) }, { label: t("diag.aided"), num: true, value: (r) => pct(r.aided_share) },
        { label: t("diag.amount"), num: true, value: (r) => (r.aid && r.aid.value != null ? euros(r.aid.value) : secretCell(r.aid)) }], diag.aid_by_maturity))));
  const sorted = [...svc.clusters].filter((c) => c.reach !== null).sort((a, b) => a.reach - b.reach);
  chart(reachBox, { xAxis: { type: "category", data: sorted.map((c) => c.name), axisLabel: { show: false } }, yAxis: { type: "value", max: 1, axisLabel: { formatter: (v) => pct(v) } },
    tooltip: { trigger: "axis", valueFormatter: (v) => pct(v) },
    series: [{ name: t("svc.reach"), type: "bar", data: sorted.map((c) => c.reach), color: "#000091" }] });
  chart(dimBox, { xAxis: { type: "category", data: diag.dimensions.map((d) => label("diag_dimension", d)), axisLabel: { interval: 0, rotate: 30 } }, yAxis: { type: "value", max: 100 },
    series: [{ name: t("diag.maturity"), type: "bar", data: diag.dimensions.map((d) => diag.latest[d].mean), color: "#18753c" }] });
  reachBox.dataset.ready = dimBox.dataset.ready = "true";
}

// Employment at the scale of the sources: territories (regions, departments, zones d'emploi) ×
// sectors (NAF sections A21, A38, divisions A88), as the URL says; the map at the scale of regions,
// a table of location quotients otherwise.
async function pageEmployment(root, params) {
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
    const colour = (v) => (v === undefined ? "#eee" : PALETTE[Math.max(0, Math.min(PALETTE.length - 1, Math.floor(v * 2)))]);
    where = el("div", { class: "map" }, regionMap(t("emp.map"), (code) => {
      const r = lq[code];
      const text = r ? `${r.territory_name}${colon()}${fmt(r.lq, 2)}${stars(r)}` : code;
      return { fill: colour(r?.lq), label: text, title: text };
    }));
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
        { name: t("emp.low"), type: "line", data: pr.points.map((p) => (p.observed ? null : p.low)), lineStyle: { opacity: 0.4 }, color: "#e1000f", showSymbol: false },
        { name: t("emp.high"), type: "line", data: pr.points.map((p) => (p.observed ? null : p.high)), lineStyle: { opacity: 0.4 }, color: "#e1000f", showSymbol: false }] });
  }
  projBox.dataset.ready = "true";
  projBox.dataset.sector = sector;
}

// --- the shared evaluation method ---------------------------------------------------------------
// Tabs: one panel shown at a time, the choice in the URL (`tab=`), arrows move between tabs.
function tabs(id, items, chosen, onPick) {
  const list = el("div", { role: "tablist", "aria-label": id });
  const panels = [];
  const buttons = items.map(([key, title, panel], i) => {
    const b = el("button", { type: "button", role: "tab", id: `tab-${key}`, "aria-controls": `panel-${key}`, "aria-selected": String(key === chosen), tabindex: key === chosen ? 0 : -1,
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
    if (indicatorUnits[id] === "share") return `${sign}${fmt(Math.abs(v - p) * 100, 1)} pt`;
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
const mayDecide = () => ["admin", "state"].includes(me?.user.role);
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

async function pageEvaluate(root, params) {
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
  const peer = ev.peers[c.peer_group]?.pillars ?? {};  // withheld from a small peer group
  const ranking = el("section", { class: "card", id: "ev-ranking" }, el("h2", {}, t("ev.ranking")), el("p", { class: "muted" }, t("ev.ranking_note")), rankBox,
    table([{ label: t("sel.rank"), num: true, value: (r) => r.rank }, { label: t("cluster"), value: (r) => el("span", { translate: "no" }, r.name) },
      { label: t("ev.index"), num: true, value: (r) => fmt(r.index, 3) }, { label: t("sel.interval"), num: true, sort: (r) => r.rank_interval.median, value: (r) => `${fmt(r.rank_interval.p05)}–${fmt(r.rank_interval.p95)}` },
      { label: t("rating"), value: (r) => label("rating", r.rating) }, { label: t("ev.peer"), value: (r) => `${label("peer_group", r.peer_group)}${colon()}${r.peer_rank}` },
      { label: t("ev.trend"), value: (r) => label("trend", r.trend) }, { label: t("ev.action"), value: (r) => label("action_level", r.action.level) }],
    ev.clusters, (r) => { location.hash = url(r.cluster, "detail"); }, { page: 500 }), source());
  const detail = el("div", {},
    el("section", { class: "card", id: "ev-why" }, el("h2", { translate: "no" }, c.name),
      el("p", {}, el("strong", {}, `${label("rating", c.rating)} — `), t("profile.rank", { r: fmt(c.rank), n: fmt(ev.evaluated ?? ev.clusters.length), lo: fmt(c.rank_interval.p05), hi: fmt(c.rank_interval.p95) })),
      el("h3", { class: "fr-h6" }, t("ev.why")), whyList(c, peer),
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
  const names = (ids) => el("span", { translate: "no" }, ids.map((id) => clusterName[id] || id).join(", "));
  const listOr = (items, line) => (items.length ? el("ul", {}, items.map((x) => el("li", {}, line(x)))) : el("p", { class: "muted" }, t("none")));
  // A domain is named as its Region's strategy words it (in English when it gives a name).
  const s3Line = (d) => el("span", {}, lang === "en" && d.name_en ? d.name_en : el("span", { translate: "no" }, d.name), ` (${regionOf(d.region)})`);
  const unknownRefs = chr.clusters.filter((r) => r.s3_unknown.length || r.filiere_name === "");
  const strategies = chr.s3_gaps.length + chr.s3_overlaps.length + chr.filiere_gaps.length + chr.clusters.filter((r) => r.s3_domains.length || r.filiere_name != null).length > 0;
  const characterisation = el("section", { class: "card", id: "ev-characterisation" }, el("h2", {}, t("ev.characterisation")),
    table([{ label: t("cluster"), value: (r) => el("span", { translate: "no" }, r.name) }, { label: t("ev.declared"), value: (r) => label("scale", r.declared_scale) },
      { label: t("ev.measured"), value: (r) => (r.scale_mismatch ? "⚠ " : "") + label("scale", r.measured_scale) },
      { label: t("ev.sector"), value: (r) => (r.sector ? `${r.sector} — ${label("naf", r.sector)}` : "—") }, { label: t("ev.lq"), num: true, value: (r) => (r.specialisation ? fmt(r.specialisation.lq, 2) + "★".repeat(r.specialisation.stars) : "—") },
      { label: t("ev.filiere"), value: filiereOf }, { label: t("ev.s3"), num: true, value: (r) => (r.outside_priorities ? "⚠ " : "") + fmt(r.s3_domains.length) }], chr.clusters, null, { id: "chr-table" }),
    el("h3", {}, t("ev.overlaps")), listOr(chr.overlaps, (o) => el("span", {}, `${label("filiere", o.filiere)} (${regionOf(o.region)})${colon()}`, names(o.clusters))),
    el("h3", {}, t("ev.gaps")), el("p", { class: "muted" }, `${fmt(chr.gaps.length)}`),
    el("h3", { id: "chr-strategies" }, t("ev.strategies")),
    strategies ? el("div", {},
      el("h4", {}, t("ev.outside_priorities")), listOr(chr.clusters.filter((r) => r.outside_priorities), (r) => el("span", {}, el("span", { translate: "no" }, r.name), ` (${regionOf(r.region)}) — ${t(r.s3_mapped ? "ev.other_regions" : "ev.not_mapped")}`)),
      el("h4", {}, t("ev.s3_gaps")), listOr(chr.s3_gaps, s3Line),
      el("h4", {}, t("ev.s3_overlaps")), listOr(chr.s3_overlaps, (d) => el("span", {}, s3Line(d), colon(), names(d.clusters))),
      el("h4", {}, t("ev.filiere_gaps")), listOr(chr.filiere_gaps, (f) => inLang(f.name, f.name_en)),
      chr.regions_without_s3.length ? el("p", {}, t("ev.regions_without_s3", { list: chr.regions_without_s3.map(regionOf).join(", ") })) : null,
      unknownRefs.length ? el("p", { class: "warning" }, t("ev.unknown_refs", { list: "" }), names(unknownRefs.map((r) => r.cluster))) : null)
      : el("p", { class: "muted" }, t("ev.no_strategies")));
  root.append(el("h1", {}, t("ev.title")),
    el("div", { class: "filters" }, el("label", {}, t("year"), yearSel), el("label", {}, t("cluster"), clusterSel)),
    tabs("ev-tabs", [["ranking", t("ev.tab.ranking"), ranking], ["detail", t("ev.tab.detail"), detail], ["method", t("ev.tab.method"), method],
      ["decisions", t("dec.tab"), decisionsList()], ["qualitative", t("ev.tab.qualitative"), qualitative], ["characterisation", t("ev.tab.characterisation"), characterisation]], tab,
    (k) => { tab = k; history.replaceState(null, "", url(c.cluster, k)); }));
  chart(rankBox, { xAxis: { type: "category", data: ev.clusters.map((r) => r.rank), name: t("sel.rank") }, yAxis: { type: "value", inverse: true, min: 1 }, tooltip: { trigger: "item" },
    series: [{ name: t("sel.interval"), type: "custom", renderItem: (params, api2) => {
      const x = api2.coord([api2.value(0), api2.value(1)]), y = api2.coord([api2.value(0), api2.value(2)]);
      return { type: "line", shape: { x1: x[0], y1: x[1], x2: y[0], y2: y[1] }, style: { stroke: "#000091", lineWidth: 2 } };
    }, data: ev.clusters.map((r, i) => [i, r.rank_interval.p05, r.rank_interval.p95]) },
    { name: t("ev.median"), type: "scatter", data: ev.clusters.map((r, i) => [i, r.rank_interval.median]), color: "#e1000f", symbolSize: 5 }] }, { asTable: false });
  const pillarNames = ev.method.pillars;
  chart(radarBox, { tooltip: { trigger: "item" }, radar: { indicator: pillarNames.map((p) => ({ name: label("pillar", p), max: 1 })), radius: "55%", axisName: { color: "#3a3a3a" } },
    series: [{ type: "radar", data: [{ name: c.name, value: pillarNames.map((p) => c.pillars[p]) }, { name: t("ev.peers"), value: pillarNames.map((p) => peer[p]) }] }], color: ["#000091", "#e1000f"] });
  radarBox.after(table([{ label: t("gl.pillar"), value: (p) => label("pillar", p) }, { label: c.name, name: true, num: true, value: (p) => fmt(c.pillars[p], 2) }, { label: t("ev.peers"), num: true, value: (p) => fmt(peer[p], 2) }], pillarNames, null, { tools: false }));
  const trends = await api("GET", `/api/v1/evaluate/trends/${encodeURIComponent(c.cluster)}`);
  let trendChart = null;
  const drawTrend = () => {
    const s = trends.indicators.find((i) => i.id === indicatorSel.value);
    document.getElementById("ev-indicator-def")?.replaceChildren(indicatorDefinition(s.id));
    trendChart?.dispose();
    trendBox.nextElementSibling?.matches("details.as-table") && trendBox.nextElementSibling.remove();
    trendChart = chart(trendBox, { xAxis: { type: "category", data: trends.years }, yAxis: { type: "value", scale: true },
      series: [{ name: c.name, type: "line", data: s.values, color: "#000091" }, { name: t(s.peer_statistic === "central_mean" ? "ev.peer_central_mean" : "ev.peer_median"), type: "line", data: s.peer_median, color: "#e1000f", lineStyle: { type: "dashed" } },
        ...(s.national.some((v) => v !== null) ? [{ name: t(`ev.national_${s.national_statistic}`), type: "line", data: s.national, color: "#6a6af4", lineStyle: { type: "dotted" } }] : [])] });
    trendBox.dataset.indicator = s.id;
  };
  indicatorSel.addEventListener("change", drawTrend);
  drawTrend();
  rankBox.dataset.ready = radarBox.dataset.ready = trendBox.dataset.ready = "true";
  radarBox.dataset.cluster = c.cluster;
}

// --- impact of the policy on firms (estimations run as server jobs) -----------------------------
const IMPACT_OUTCOMES = ["log(rd_spending)", "log(rd_staff)", "log1p(patents)", "log(turnover)", "log(headcount)", "log(value_added)"];
async function pageImpact(root, params) {
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
    el("section", { class: "card", id: "imp-status" }, el("h2", {}, t("imp.status")), progress, " ", stage, " ", cancel), resultBox,
    el("section", { class: "card" }, el("h2", {}, t("imp.jobs")), jobsBox));
  const list = await api("GET", "/api/v1/impact/jobs");
  jobsBox.replaceChildren(list.items.length ? table([{ label: "Id", value: (j) => el("a", { href: `#/impact?job=${j.id}` }, j.id) },
    { label: t("imp.estimator"), value: (j) => t(`imp.estimator.${j.params.estimator || "did"}`) }, { label: t("imp.outcome"), value: (j) => { const o = j.params.outcome || (j.params.formula ? j.params.formula.split("~")[0].trim() : j.params.estimator === "ppml" ? "patents" : "log(rd_spending)"); return o === "patents" ? t("imp.outcome_patents_count") : label("impact_outcome", o); } },
    { label: t("imp.state"), value: (j) => t(`imp.state.${j.state}`) }, { label: t("imp.created"), value: (j) => date(j.created) }], list.items)
    : el("p", { class: "muted" }, t("none")));
  const id = params.get("job");
  if (!id) return;
  cancel.hidden = false;
  cancel.addEventListener("click", () => api("DELETE", `/api/v1/impact/jobs/${id}`));
  // Poll the job until it ends (the page may be left meanwhile: stop when it is no longer shown).
  let formShown = false;
  const poll = async () => {
    if (!document.body.contains(progress) && root.isConnected) return;
    const j = await api("GET", `/api/v1/impact/jobs/${id}`);
    progress.value = j.progress;
    // The server's stage names, in the page's language (one unknown stays as it is).
    const stageName = t(`imp.stage.${j.stage}`);
    stage.textContent = `${t(`imp.state.${j.state}`)} — ${stageName === `imp.stage.${j.stage}` ? j.stage : stageName}`;
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
    if (j.state === "done") showImpact(resultBox, j.result, id);
    else resultBox.replaceChildren(el("p", { class: "problem", role: "alert" }, j.error || j.state));
  };
  setTimeout(poll, 0);
}

// A p-value as read: below 0.001 it is "< 0,001" (a p of 1e-90 is not "0"); null: "—".
const pValue = (p) => (p === null || p === undefined ? "—" : p < 0.001 ? `< ${fmt(0.001, 3)}` : fmt(p, 3));

function estimateRows(rows, keyLabel, key) {
  // Masked: "s"; a row whose estimation failed (note) says so.
  const v = (x, d = 4, r = {}) => (x === null || x === undefined ? (r.note ? t(`imp.by_note.${r.note}`) : "s") : fmt(x, d));
  return table([{ label: keyLabel, value: key }, { label: t("imp.estimate"), num: true, value: (r) => v(r.estimate, 4, r) }, { label: t("imp.se"), num: true, value: (r) => (r.note ? "" : v(r.se)) },
    { label: t("imp.ci"), num: true, value: (r) => (r.note ? "" : `[${v(r.ci_low)} ; ${v(r.ci_high)}]`) }], rows);
}

// The plain reading of the headline estimate (a change in percent on a log outcome).
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
    ["simple", "att"].includes(g.term) ? "" : [" ", t("imp.reading_term", { x: g.term })], " ",
    t(g.conclusive === null || g.conclusive === undefined ? "imp.no_interval" : g.conclusive ? "imp.conclusive" : "imp.inconclusive"));
}

function showImpact(box, r, id) {
  const links = el("p", {}, el("a", { href: `/api/v1/reports/impact/${id}?format=html&lang=${lang}`, target: "_blank", id: "imp-report-html" }, t("imp.report_html")),
    " · ", el("a", { href: `/api/v1/reports/impact/${id}?format=pdf&lang=${lang}`, id: "imp-report-pdf" }, t("imp.report_pdf")));
  const plot = el("div", { class: "chart", id: "imp-plot", role: "img", "aria-label": t("imp.plot") });
  const band = (terms, x) => ({ xAxis: { type: "value", name: "e", minInterval: 1 }, yAxis: { type: "value", scale: true },
    series: [{ name: t("imp.estimate"), type: "line", data: terms.filter((d) => d.estimate !== null).map((d) => [d[x], d.estimate]), color: "#000091" },
      { name: t("imp.ci"), type: "custom", renderItem: (p, api2) => {
        const a = api2.coord([api2.value(0), api2.value(1)]), b = api2.coord([api2.value(0), api2.value(2)]);
        return { type: "line", shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style: { stroke: "#000091", lineWidth: 2, opacity: 0.5 } };
      }, data: terms.filter((d) => d.ci_low !== null).map((d) => [d[x], d.ci_low, d.ci_high]) },
      { name: "0", type: "line", data: terms.map((d) => [d[x], 0]), color: "#999", lineStyle: { type: "dashed" }, showSymbol: false }] });
  if (r.estimator === "did") {
    const ag = r.aggregations;
    box.replaceChildren(el("section", { class: "card", id: "imp-summary" }, el("h2", {}, t("imp.results")),
      estimateRows(["simple", "dynamic", "group", "calendar"].map((k) => ({ k, ...ag[k] })), t("imp.aggregation"), (x) => t(`imp.agg.${x.k}`)), readingLine(r),
      el("p", { id: "imp-pretest" }, r.pretest.warning ? t("imp.pretest_singular", { n: fmt(r.pretest.df), units: fmt(r.data.units) }) : t("imp.pretest", { p: pValue(r.pretest.p), units: fmt(r.data.units) })), links),
    el("section", { class: "card" }, el("h2", {}, t("imp.plot")), plot, estimateRows(ag.dynamic.terms, "e", (x) => x.key)),
    el("section", { class: "card", id: "imp-groups" }, el("h2", {}, t("imp.by_cohort")), estimateRows(ag.group.terms, t("imp.cohort"), (x) => x.key)),
    r.robustness ? el("section", { class: "card", id: "imp-checks" }, el("h2", {}, t("imp.robustness_title")),
      estimateRows([{ name: t("imp.placebo", { k: r.robustness.placebo_shift }), ...r.robustness.placebo, note: r.robustness.placebo_note }], "", (x) => x.name),
      el("p", { class: "muted" }, t("imp.placebo_help", { k: r.robustness.placebo_shift })),
      estimateRows(r.robustness.leave_one_out, t("imp.left_out_cohort"), (x) => x.cohort)) : "");
    chart(plot, band(ag.dynamic.terms, "key"));
  } else if (r.estimator === "event" || r.estimator === "sunab") {
    const sunab = r.estimator === "sunab";
    box.replaceChildren(el("section", { class: "card", id: "imp-summary" }, el("h2", {}, t("imp.plot")), plot, estimateRows(r.terms, "e", (x) => x.e),
      el("p", { id: "imp-pretest" }, r.pretrend.warning ? t("imp.pretrend_singular", { n: fmt(r.pretrend.df) }) : t("imp.pretrend", { p: pValue(r.pretrend.p) })),
      sunab ? [estimateRows([{ name: t("imp.att_sunab"), ...r.att }], "", (x) => x.name), readingLine(r),
        r.control_cohort ? el("p", {}, t("imp.control_last", { g: r.control_cohort })) : ""] : "", links),
    sunab ? el("section", { class: "card", id: "imp-cohorts" }, el("h2", {}, t("imp.by_cohort")),
      table([{ label: t("imp.cohort"), value: (c) => c.g }, { label: "e", value: (c) => c.e },
        { label: t("imp.estimate"), num: true, value: (c) => (c.estimate === null ? "s" : fmt(c.estimate, 4)) },
        { label: t("imp.se"), num: true, value: (c) => (c.se === null ? "s" : fmt(c.se, 4)) },
        { label: t("imp.rows"), num: true, value: (c) => (c.rows === null ? "s" : fmt(c.rows)) },
        { label: t("imp.weight"), num: true, value: (c) => (c.weight === null ? "s" : fmt(c.weight, 3)) }], r.cohorts)) : "");
    chart(plot, band(r.terms, "e"));
  } else if (r.estimator === "ols" || r.estimator === "ppml") {
    box.replaceChildren(el("section", { class: "card", id: "imp-summary" }, el("h2", {}, t("imp.results")), estimateRows(r.coefficients, t("imp.variable"), (x) => x.name), readingLine(r),
      el("p", {}, `n = ${fmt(r.n)} · R² ${fmt(r.r2, 3)} · within R² ${fmt(r.within_r2, 3)}`), links));
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

// --- comparison of 2–5 clusters (figures, pillars, indicators) and of regions ---------------------
async function pageCompare(root, params) {
  const [list, regions] = await Promise.all([api("GET", "/api/v1/stats/clusters?year=2024"), api("GET", "/api/v1/stats/regions?year=2024")]);
  const ids = (params.get("clusters") || "").split(",").filter((x) => list.clusters.some((c) => c.id === x)).slice(0, 5);
  const regs = (params.get("regions") || "").split(",").filter((x) => regions.regions.some((r) => r.code === x)).slice(0, 5);
  const go = (cl, rg) => { const u = new URLSearchParams(); if (cl.length) u.set("clusters", cl.join(",")); if (rg.length) u.set("regions", rg.join(",")); location.hash = `#/compare?${u}`; };
  const pick = el("select", { id: "cmp-add", class: "fr-select" }, el("option", { value: "" }, "—"),
    list.clusters.filter((c) => !ids.includes(c.id)).map((c) => el("option", { value: c.id }, c.acronym ? `${c.name} (${c.acronym})` : c.name)));
  const chosen = list.clusters.filter((c) => ids.includes(c.id)).sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  const regionName = Object.fromEntries(regions.regions.map((r) => [r.code, r.name]));
  root.append(el("h1", {}, t("cmp.title")),
    el("div", { class: "filters" }, el("label", {}, t("cmp.pick"), pick),
      el("button", { type: "button", class: "fr-btn", id: "cmp-add-go", disabled: ids.length >= 5, onclick: () => pick.value && go([...ids, pick.value], regs) }, t("cmp.add"))),
    el("ul", { class: "fr-btns-group fr-btns-group--inline-sm", id: "cmp-chosen" }, chosen.map((c) => el("li", {},
      el("button", { type: "button", class: "fr-btn fr-btn--secondary fr-btn--sm", title: t("cmp.remove", { n: c.name }), onclick: () => go(ids.filter((x) => x !== c.id), regs) }, `✕ ${c.acronym || c.name}`)))));
  if (chosen.length < 2) root.append(el("p", { class: "muted", id: "cmp-need" }, t("cmp.need")));
  if (chosen.length >= 1) {
    const col = (c) => ({ label: c.acronym || c.name, num: true });
    const rows = [
      [t("region"), (c) => regionName[c.region] || c.region], [t("scale"), (c) => label("scale", c.scale)], [t("theme"), (c) => labels("theme", c.themes)],
      [`${t("members")} 2024`, (c) => fmt(c.members)], [t("companies"), (c) => fmt(c.companies)], [t("sme_share"), (c) => pct(c.sme_share)],
      [t("projects"), (c) => fmt(c.projects)], [t("phase"), (c) => c.last_phase]];
    root.append(el("section", { class: "card", id: "cmp-figures" }, el("h2", {}, t("cmp.figures", { y: 2024 })),
      table([{ label: "", value: (r) => r[0] }, ...chosen.map((c) => ({ ...col(c), value: (r) => r[1](c) }))], rows, null, { tools: false }), source()));
    if (canEvaluate() && chosen.length >= 2) {
      const ev = await api("GET", `/api/v1/evaluate?year=${EVAL_YEAR}&draws=500&sobol_n=0`);
      await loadIndicatorUnits();
      const evs = chosen.map((c) => ev.clusters.find((x) => x.cluster === c.id)).filter(Boolean);
      const short = (id) => { const c = chosen.find((x) => x.id === id); return c.acronym || c.name; };
      const radar = el("div", { class: "chart", id: "cmp-radar", role: "img", "aria-label": t("cmp.pillars", { y: EVAL_YEAR }) });
      root.append(ev.ranked === false ? "" : el("section", { class: "card", id: "cmp-pillars" }, el("h2", {}, t("cmp.pillars", { y: EVAL_YEAR })), radar,
        table([{ label: t("gl.pillar"), value: (p) => label("pillar", p) }, ...evs.map((e) => ({ label: short(e.cluster), num: true, value: (p) => fmt(e.pillars[p], 2) }))], ev.method.pillars, null, { tools: false })),
      el("section", { class: "card", id: "cmp-indicators" }, el("h2", {}, t("cmp.indicators", { y: EVAL_YEAR })),
        table([{ label: t("indicator"), value: (i) => el("abbr", { title: indicatorDefinition(i) }, indicatorLabel(i)) },
          { label: t("ev.rating") === "ev.rating" ? t("rating") : t("rating"), value: () => "" }, ...evs.map((e) => ({ label: short(e.cluster), num: true, value: (i) => valueOf(i, e.indicators[i]) }))].filter((c) => c.label !== t("rating")),
        ev.method.indicators, null, { page: 100 })));
      if (ev.ranked !== false) {
        chart(radar, { tooltip: { trigger: "item" }, radar: { indicator: ev.method.pillars.map((p) => ({ name: label("pillar", p), max: 1 })), radius: "55%", axisName: { color: "#3a3a3a" } },
          series: [{ type: "radar", data: evs.map((e) => ({ name: short(e.cluster), value: ev.method.pillars.map((p) => e.pillars[p]) })) }] });
      }
      radar.dataset.ready = "true";
    }
  }
  // Regions side by side.
  const rpick = el("select", { id: "cmp-region-add", class: "fr-select" }, el("option", { value: "" }, "—"),
    regions.regions.filter((r) => !regs.includes(r.code)).map((r) => el("option", { value: r.code }, r.name)));
  const rchosen = regions.regions.filter((r) => regs.includes(r.code));
  root.append(el("h2", {}, t("cmp.regions")), el("div", { class: "filters" }, el("label", {}, t("cmp.region_pick"), rpick),
    el("button", { type: "button", class: "fr-btn", id: "cmp-region-go", onclick: () => rpick.value && go(ids, [...regs, rpick.value]) }, t("cmp.add")),
    rchosen.map((r) => el("button", { type: "button", class: "fr-btn fr-btn--secondary fr-btn--sm", title: t("cmp.remove", { n: r.name }), onclick: () => go(ids, regs.filter((x) => x !== r.code)) }, `✕ ${r.name}`))));
  if (rchosen.length) {
    root.append(el("div", { id: "cmp-regions" }, table([{ label: "", value: (k) => t(`map.period_${k}`, { y: 2024 }) },
      ...rchosen.map((r) => ({ label: r.name, num: true, value: (k) => (k === "public_aid" ? euros(r[k]) : fmt(r[k])) }))], ["clusters", "members", "projects", "public_aid"], null, { tools: false }), source()));
  }
}

// --- glossary: the indicators with their definition, unit and direction; the vocabulary ---------
async function pageGlossary(root) {
  let items = [];
  try { items = (await api("GET", "/api/v1/evaluate/indicators")).items; } catch { items = Object.keys(INDICATORS).map((id) => ({ id })); }
  root.append(el("h1", {}, t("gl.title")), el("p", {}, t("gl.intro")),
    table([{ label: t("indicator"), value: (i) => el("span", { id: `ind-${i.id}` }, indicatorLabel(i.id)) }, { label: t("gl.pillar"), value: (i) => (i.pillar ? label("pillar", i.pillar) : "—") },
      { label: t("gl.definition"), value: (i) => indicatorDefinition(i.id) }, { label: t("gl.unit"), value: (i) => (i.unit ? unitLabel(i.unit) : "—") },
      { label: t("gl.direction"), value: (i) => (i.direction ? t(`gl.${i.direction}`) : "—") }], items, null, { page: 100, id: "glossary" }),
    el("h2", {}, t("gl.terms")),
    table([{ label: t("kind"), value: (r) => r[0] }, { label: t("name"), value: (r) => r[1] }], [
      ...["idea", "submitted", "labelled", "funded", "running", "completed", "on_market", "rejected", "abandoned"].map((c) => [t("status"), label("project_status", c)]),
      ...["very_performing", "performing", "less_performing", "not_distinguishable"].map((c) => [t("rating"), label("rating", c)]),
      ...[0, 1, 2, 3, 4].map((c) => [t("ev.action"), label("action_level", c)]),
      ...["b2b_meeting", "international_mission", "technology_watch", "financing_access", "training", "digital_diagnostic", "event", "business_development", "go_to_market"].map((c) => [t("profile.services"), label("service_kind", c)])], null, { page: 100 }));
}

// --- router --------------------------------------------------------------------------------
const routes = [
  [/^#\/map$/, pageMap], [/^#\/clusters$/, pageClusters], [/^#\/cluster\/(.+)$/, pageCluster], [/^#\/organisation\/(.+)$/, pageOrganisation],
  [/^#\/project\/(.+)$/, pageProject], [/^#\/import$/, pageImport], [/^#\/login$/, pageLogin], [/^#\/account$/, pageAccount],
  [/^#\/admin\/users$/, pageUsers], [/^#\/admin\/audit$/, pageAudit], [/^#\/network$/, pageNetwork],
  [/^#\/select$/, pageSelect], [/^#\/my-reviews$/, pageMyReviews], [/^#\/pipeline$/, pagePipeline], [/^#\/services$/, pageServices],
  [/^#\/employment$/, pageEmployment], [/^#\/evaluate$/, pageEvaluate], [/^#\/impact$/, pageImpact],
  [/^#\/compare$/, pageCompare], [/^#\/glossary$/, pageGlossary], [/^#\/cofunding$/, pageCofunding], [/^#\/requests$/, pageRequests], [/^#\/support$/, pageSupport],
];

// The header: language, logout, the role's menu entries, the mobile menu and search (DSFR
// modals opened by our own few lines instead of the DSFR's 110 kB script), the identity switch.
let search = null;
function updateChrome() {
  applyStatic();
  const langBtn = document.getElementById("lang");
  langBtn.textContent = lang === "fr" ? "English" : "Français";
  langBtn.lang = lang === "fr" ? "en" : "fr";
  langBtn.setAttribute("aria-label", lang === "fr" ? "Switch to English" : "Passer en français");
  document.getElementById("logout").hidden = !me;
  for (const a of document.querySelectorAll("#nav a")) {
    const roles = a.dataset.role?.split(" ");
    const hide = !me || (roles && !roles.includes(me.user.role));
    a.hidden = hide;
    a.parentElement.hidden = hide;
  }
  // The header's tools are repeated in the mobile menu.
  const links = document.querySelector(".fr-header__menu-links");
  links.replaceChildren(el("ul", { class: "fr-btns-group" },
    el("li", {}, el("button", { type: "button", class: "fr-btn", lang: langBtn.lang, onclick: () => langBtn.click() }, langBtn.textContent)),
    me ? el("li", {}, el("button", { type: "button", class: "fr-btn", onclick: () => document.getElementById("logout").click() }, t("logout"))) : ""));
  if (!search) { search = searchBox(api, () => !!me); search.addEventListener("picked", () => closeModal("modal-search")); }
  search.relabel();
  document.getElementById("identity").textContent = t(document.documentElement.classList.contains("neutral") ? "footer.identity_state" : "footer.identity");
}
function openModal(id) {
  const m = document.getElementById(id);
  m.classList.add("fr-modal--opened");
  document.querySelector(`[aria-controls="${id}"]:not(.fr-btn--close)`)?.setAttribute("aria-expanded", "true");
  m.querySelector("input, a, button:not(.fr-btn--close)")?.focus();
}
function closeModal(id) {
  const m = document.getElementById(id);
  if (!m.classList.contains("fr-modal--opened")) return;
  m.classList.remove("fr-modal--opened");
  const opener = document.querySelector(`[aria-controls="${id}"]:not(.fr-btn--close)`);
  opener?.setAttribute("aria-expanded", "false");
}
for (const id of ["modal-menu", "modal-search"]) {
  document.querySelector(`[aria-controls="${id}"]:not(.fr-btn--close)`).addEventListener("click", () => openModal(id));
  document.querySelector(`#${id} .fr-btn--close`).addEventListener("click", () => closeModal(id));
}
document.addEventListener("keydown", (e) => { if (e.key === "Escape") { closeModal("modal-menu"); closeModal("modal-search"); } });
document.getElementById("nav").addEventListener("click", (e) => { if (e.target.closest("a")) closeModal("modal-menu"); });
// The Marianne identity is reserved to State services: "neutral" (meta tag or the footer's switch) drops it.
const identity = localStorage.getItem("poles.identity") || document.querySelector('meta[name="poles-identity"]').content;
document.documentElement.classList.toggle("neutral", identity === "neutral");
document.getElementById("identity").addEventListener("click", () => {
  const neutral = !document.documentElement.classList.contains("neutral");
  document.documentElement.classList.toggle("neutral", neutral);
  localStorage.setItem("poles.identity", neutral ? "neutral" : "state");
  updateChrome();
});
// Dark mode follows the system (the DSFR's colour variables switch with data-fr-theme).
const dark = matchMedia("(prefers-color-scheme: dark)");
const scheme = () => document.documentElement.setAttribute("data-fr-theme", dark.matches ? "dark" : "light");
dark.addEventListener("change", scheme);
scheme();

// Each render has a number; a page whose data arrives after the user has moved on (a slow
// selection page, then a click elsewhere or a logout) is dropped instead of replacing the newer page.
let renderCount = 0;
async function render() {
  const current = ++renderCount;
  const stale = () => current !== renderCount;
  const hash = location.hash || "#/map";
  const [path, query] = hash.split("?");
  const root = main();
  activeSigma?.kill();
  activeSigma = null;
  root.replaceChildren(el("p", { class: "muted" }, t("loading")));
  if (!me && path !== "#/login") {
    try { me = await api("GET", "/api/v1/me"); } catch { if (!stale()) location.hash = "#/login"; return; }
    if (stale()) return;
  }
  // Every navigation: a write elsewhere may have moved the data since the last page.
  health = await api("GET", "/api/v1/health").catch(() => health);
  if (stale()) return;
  updateChrome();
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.getAttribute("href") === path) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  for (const [re, page] of routes) {
    const m = path.match(re);
    if (!m) continue;
    const content = el("div", { id: "page", "data-page": page.name });
    try {
      await page(content, m[1] ? decodeURIComponent(m[1]) : new URLSearchParams(query || ""));
      if (stale()) return;
      root.replaceChildren(content);
    } catch (err) {
      if (stale()) return;
      root.replaceChildren(problemBox(err));
    }
    document.title = `${content.querySelector("h1")?.textContent ?? ""} — Pôles`;
    root.focus();
    return;
  }
  root.replaceChildren(el("h1", {}, t("notfound")));
}

document.getElementById("lang").addEventListener("click", () => { setLang(lang === "fr" ? "en" : "fr"); render(); });
document.getElementById("logout").addEventListener("click", async () => { await api("POST", "/api/v1/logout", {}); me = null; location.hash = "#/login"; updateChrome(); });
window.addEventListener("hashchange", render);
setLang(lang);
render();
