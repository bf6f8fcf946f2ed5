// The glossary: the indicators with their definition, unit and direction; the vocabulary.
import { t } from "/i18n.js";
import { label, indicatorLabel, indicatorDefinition, unitLabel, INDICATORS } from "/vocab.js";
import { api } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { table } from "/lib/table.js";

export async function pageGlossary(root) {
  let items = [];
  try { items = (await api("GET", "/api/v1/evaluate/indicators")).items; } catch { items = Object.keys(INDICATORS).map((id) => ({ id })); }
  root.append(el("h1", {}, t("gl.title")), el("p", {}, t("gl.intro")),
    table([{ label: t("indicator"), value: (i) => el("span", { id: `ind-${i.id}` }, indicatorLabel(i.id)) }, { label: t("gl.pillar"), value: (i) => (i.pillar ? label("pillar", i.pillar) : "—") },
      { label: t("gl.definition"), value: (i) => indicatorDefinition(i.id) }, { label: t("gl.unit"), value: (i) => (i.unit ? unitLabel(i.unit) : "—") },
      { label: t("gl.direction"), value: (i) => (i.direction ? t(`gl.${i.direction}`) : "—") }], items, null, { page: 100, id: "glossary", stack: true }),
    el("h2", {}, t("gl.terms")),
    table([{ label: t("kind"), value: (r) => r[0] }, { label: t("name"), value: (r) => r[1] }], [
      ...["idea", "submitted", "labelled", "funded", "running", "completed", "on_market", "rejected", "abandoned"].map((c) => [t("status"), label("project_status", c)]),
      ...["very_performing", "performing", "less_performing", "not_distinguishable"].map((c) => [t("rating"), label("rating", c)]),
      ...[0, 1, 2, 3, 4].map((c) => [t("ev.action"), label("action_level", c)]),
      ...["b2b_meeting", "international_mission", "technology_watch", "financing_access", "training", "digital_diagnostic", "event", "business_development", "go_to_market"].map((c) => [t("profile.services"), label("service_kind", c)])], null, { page: 100, stack: true }));
}
