// A project's profile: its status, partners and results, and the co-label a cluster may ask.
import { t, euros, date } from "/i18n.js";
import { label } from "/vocab.js";
import { api, me } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { table, facts } from "/lib/table.js";
import { source, problemBox } from "/lib/blocks.js";
import { names, clusterLink } from "/lib/names.js";
import { consentBox, mayConsent } from "/lib/consent.js";
import { loadProgrammes, programmeLabel } from "/lib/programmes.js";

export async function pageProject(root, id) {
  const [p, n] = await Promise.all([api("GET", `/api/v1/projects/${encodeURIComponent(id)}/profile`), names(), loadProgrammes()]);
  const pr = p.project;
  const events = [...p.events].sort((a, b) => (a.date || "").localeCompare(b.date || ""));
  root.append(el("h1", {}, pr.acronym, " — ", el("span", { translate: "no" }, pr.title || "")),
    facts([
      [t("programme"), programmeLabel(pr.programme)], [t("status"), label("project_status", pr.status)], [t("start"), `${date(pr.start_date)} → ${date(pr.end_date)}`],
      [t("total_cost"), euros(pr.total_cost)], [t("public_aid"), euros(pr.public_aid)], ["TRL", `${pr.trl_start ?? "?"} → ${pr.trl_target ?? "?"}`],
      [t("cluster"), el("ul", { class: "plain" }, p.labels.map((l) => el("li", {}, clusterLink(n, l.cluster_id))))],
      [t("consent.public_summary"), mayConsent() && me().user.role !== "member"
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
  if (me().user.role !== "cluster_manager" || labels.some((l) => l.cluster_id === me().user.scope)) return "";
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
