// Import: a file per entity, any file through a column mapping, the matching of organisations
// to SIRENE, the State's census of members.
import { t, fmt, date } from "/i18n.js";
import { label, hasLabel, kindOfCodes, fieldLabel, codesWithLabels, ruleText } from "/vocab.js";
import { api } from "/lib/api.js";
import { el, filePicker, fold } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { confirmDialog, problemBox, fieldCell } from "/lib/blocks.js";
import { names, clusterLink } from "/lib/names.js";

const ENTITIES = ["cluster", "cluster_label", "organisation", "membership", "project", "project_label", "project_event", "participation",
  "result", "service", "service_participant", "diagnostic", "contract", "contract_target", "cluster_budget", "assessment", "call", "proposal", "reviewer",
  "review", "decision", "firm_year", "employment", "territory", "funder", "programme", "project_funding", "national_figure", "commune",
  "organisation_identifier"];

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const isXlsx = (f) => f.name.toLowerCase().endsWith(".xlsx");

export async function pageImport(root) {
  const entity = el("select", { id: "entity", class: "fr-select" }, ENTITIES.map((e) => el("option", { value: e }, label("entity", e))));
  const file = el("input", { type: "file", class: "fr-upload", id: "file", accept: `.csv,.xlsx,text/csv,${XLSX_TYPE}` });
  // How the file meets the stored rows (ImportMode): upsert by default; replace needs a scope.
  const mode = el("select", { id: "mode", class: "fr-select" }, ["upsert", "insert-only", "replace"].map((m) => el("option", { value: m }, t(`import.mode.${m}`))));
  const scopeField = el("input", { id: "scope-field", class: "fr-input", translate: "no", placeholder: "cluster_id", size: 14 });
  const scopeValue = el("input", { id: "scope-value", class: "fr-input", translate: "no", size: 18 });
  const scope = el("div", { class: "filters", id: "scope", hidden: true }, el("label", {}, t("import.scope.field"), scopeField), el("label", {}, t("import.scope.value"), scopeValue),
    el("p", { class: "hint" }, t("import.scope.hint")));
  mode.addEventListener("change", () => { scope.hidden = mode.value !== "replace"; });
  // What was checked is what is confirmed: any change of the file, the entity, the mode or the
  // scope asks for a new check.
  for (const input of [entity, file, mode, scopeField, scopeValue]) input.addEventListener(input === scopeField || input === scopeValue ? "input" : "change", () => { confirm.hidden = true; });
  const report = el("div", { id: "report", "aria-live": "polite" });
  const confirm = el("button", { type: "button", id: "confirm", hidden: true, onclick: () => send(false) }, t("import.confirm"));
  const check = el("button", { type: "button", id: "check", onclick: () => send(true) }, t("import.check"));
  root.append(el("h1", {}, t("import.title")), el("div", { class: "filters" }, el("label", {}, t("import.entity"), entity), el("label", {}, t("import.file"), filePicker(file)),
    el("label", {}, t("import.mode"), mode), check, confirm), scope, report);
  root.append(mappedImportSection(), sirenSection(), censusSection());
  async function send(dry) {
    report.replaceChildren(t("loading"));
    confirm.hidden = true;
    if (!file.files.length) return report.replaceChildren("");
    const f = file.files[0];  // sent as it is: a workbook's bytes are not text
    const q = new URLSearchParams({ dry_run: dry, filename: f.name, mode: mode.value, preview: dry ? 200 : 0 });
    if (mode.value === "replace" && scopeField.value.trim()) q.set("scope", `${scopeField.value.trim()}=${scopeValue.value.trim()}`);
    try {
      const r = await api("POST", `/api/v1/import/${entity.value}?${q}`, f, { raw: true, headers: { "Content-Type": isXlsx(f) ? XLSX_TYPE : "text/csv" } });
      report.replaceChildren(el("p", { class: "ok" }, dry ? t("import.valid", r) : t("import.done", r)),
        ...(r.deleted ? [el("p", {}, t(dry ? "import.will_delete" : "import.deleted", r))] : []), ...(dry ? changesTable(r) : []));
      confirm.hidden = !dry;
    } catch (err) {
      report.replaceChildren(el("p", { class: "error" }, t("import.errors", { n: err.problem?.errors?.length ?? 1 })), problemBox(err));
    }
  }
}

// The vocabulary of a field's codes where it is not named like the field.
const KIND_OF = { "organisation.kind": "org_kind", "service.kind": "service_kind", "result.kind": "result_kind", "funder.kind": "funder_kind",
  "project.status": "project_status", "project.kind": "project_kind", "organisation.naf": "naf", "service_participant.outcome": "service_outcome",
  "programme.scope": "programme_scope", "territory.level": "territory_level", "commune.kind": "commune_kind", "review.criterion": "review_criterion" };
// Fields whose digits are codes or years, shown as they are (no thousands separator).
const KEEP_DIGITS = new Set(["year", "siren", "siret", "commune", "postcode", "department", "region", "employment_zone", "start_year", "end_year", "founded", "trl_start", "trl_target", "key", "id"]);

// The preview of an import: each row inserted, updated (each field before and after) or deleted.
function changesTable(r) {
  if (!r.changes?.length) return [el("p", { id: "changes-none" }, t("import.no_change"))];
  // A code by its label (the code in its title), when the vocabulary knows the field's codes.
  const kindOf = (f) => KIND_OF[`${r.entity}.${f}`] ?? f;
  const value = (f, v) => {
    if (v === null || v === undefined) return el("span", { class: "muted" }, t("import.empty"));
    const kind = kindOf(f);
    if (hasLabel(kind, v)) return el("span", { title: v }, label(kind, v));
    // Numbers in the page's locale, dates as the pages write them; anything else as stored.
    if (/^-?\d+(\.\d+)?$/.test(v) && !/^0\d/.test(v) && !KEEP_DIGITS.has(f)) return el("span", { title: v }, fmt(Number(v), v.includes(".") ? 2 : 0));
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return el("span", { title: v }, date(v));
    return el("span", { translate: "no" }, v);
  };
  const fields = (c) => el("ul", { class: "changes" }, c.fields.map((f) => el("li", {}, el("strong", {}, fieldLabel(f.field)), t("import.sep"),
    ...(c.kind === "updated" ? [value(f.field, f.before), " → ", value(f.field, f.after)] : [value(f.field, c.kind === "deleted" ? f.before : f.after)]))));
  return [el("h2", {}, t("import.preview")),
    table([
      { label: t("import.change"), value: (c) => t(`import.change.${c.kind}`) },
      { label: t("import.key"), value: (c) => el("code", { translate: "no" }, c.key) },
      { label: t("line"), value: (c) => (c.line ? fmt(c.line) : t("import.not_in_file")), num: true },
      { label: t("import.fields"), value: (c) => fields(c) },
    ], r.changes, null, { id: "changes", stack: true }),
    ...(r.changes_truncated ? [el("p", { class: "hint" }, t("import.truncated", { n: r.changes.length }))] : [])];
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
  let fieldsOf = {};  // the entities' fields (type, codes) of the last file's columns call
  // A previewed value as the pages show it: a code by its label (the code in its title), a
  // number in the page's locale; anything else as the store will hold it.
  const shown = (entity, f, v) => {
    const field = fieldsOf[entity]?.find((x) => x.name === f);
    if (v === null || v === undefined || v === "" || !field) return v ?? "";
    const kind = field.codes?.length ? kindOfCodes(field.codes) : null;
    if (kind && hasLabel(kind, v)) return el("span", { title: v }, label(kind, v));
    if ((field.type === "integer" || field.type === "number") && Number.isFinite(Number(v))) return fmt(Number(v), Number.isInteger(Number(v)) ? 0 : 2);
    return v;
  };
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
      fieldsOf = src.entities;
      builder.replaceChildren(buildTarget(src));
    } catch (err) { builder.replaceChildren(problemBox(err)); }
  });
  // One target entity: for each field, a column of the file or a constant, and a normaliser.
  function buildTarget(src) {
    const names = Object.keys(src.entities).filter((e) => ENTITIES.includes(e));
    const entity = el("select", { id: "mi-entity", class: "fr-select" }, names.map((e) => el("option", { value: e, selected: e === "organisation" }, label("entity", e))));
    const rows = el("tbody");
    const draw = () => rows.replaceChildren(...src.entities[entity.value].map((f) => {
      const source = el("select", { class: "fr-select", "data-field": f.name, "aria-label": t("mi.source_of", { f: fieldLabel(f.name) }) },
        el("option", { value: "" }, "—"), src.columns.map((c) => el("option", { value: `col:${c}` }, t("mi.column", { c }))), el("option", { value: "const" }, t("mi.constant")));
      const constant = el("input", { class: "fr-input", hidden: true, "aria-label": t("mi.constant_of", { f: fieldLabel(f.name) }) });
      const norm = el("select", { class: "fr-select", "aria-label": t("mi.normalise_of", { f: fieldLabel(f.name) }) }, el("option", { value: "" }, "—"), NORMALISERS.map((n) => el("option", { value: n }, t(`mi.norm.${n}`))));
      source.addEventListener("change", () => { constant.hidden = source.value !== "const"; });
      // A column named as the field, or as its label ("Effectif" for headcount), is proposed.
      const guess = src.columns.find((c) => [f.name, fieldLabel(f.name)].some((n) => fold(c) === fold(n)));
      if (guess) source.value = `col:${guess}`;
      // The field by its label, then its name (what a mapping writes) and the codes it admits,
      // each with its label (a file must hold the codes).
      return el("tr", { "data-field": f.name }, el("td", {}, el("span", {}, fieldLabel(f.name)), f.required ? el("span", { class: "required", title: t("mi.required") }, " *") : "",
        " ", el("code", { translate: "no", class: "muted" }, f.name),
        f.codes.length ? el("div", { class: "muted" }, t("mi.codes"), codesWithLabels(f.codes)) : ""), el("td", {}, source, constant), el("td", {}, norm));
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
          parts.push(el("h4", {}, label("entity", e)), table([{ label: t("line"), value: (p) => p.line, num: true }, ...fields.map((f) => ({ label: fieldLabel(f), value: (p) => shown(e, f, p.values[f]) }))], list, null, { tools: false }));
        }
      }
      if (r.errors.length) {
        parts.push(el("h3", {}, t("mi.refused")), table([
          { label: t("line"), value: (e) => e.cell || e.line, num: !r.sheet }, { label: t("field"), value: (e) => fieldCell(e.field) },
          { label: t("value"), value: (e) => e.value }, { label: t("rule"), value: (e) => ruleText(e.rule) }], r.errors, null, { id: "mi-refused" }));
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
    el("div", { class: "filters" }, el("label", { class: "fr-label" }, t("mi.file"), filePicker(file))), builder,
    el("label", { class: "fr-label", for: "mi-mapping" }, t("mi.mapping")), toml,
    el("div", { class: "filters" }, el("label", { class: "fr-label" }, t("mi.open"), filePicker(open)), save), params,
    el("div", { class: "filters" }, el("span", { class: "consent" }, skip, el("label", { class: "fr-label", for: "mi-skip" }, t("mi.skip"))),
      el("label", { class: "fr-label" }, t("mi.snapshot"), snapshot), check, go), out);
}

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

// The State's census of members: firm figures over a cluster's members count it, not the
// membership rows the clusters write. A preview (dry run) of a year, then its release.
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
