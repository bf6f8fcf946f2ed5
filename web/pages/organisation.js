// An organisation's profile: what the directories say of it, its memberships, its projects.
import { t, euros, date } from "/i18n.js";
import { label } from "/vocab.js";
import { api } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { table, facts } from "/lib/table.js";
import { source } from "/lib/blocks.js";
import { names, clusterLink } from "/lib/names.js";
import { consentBox, mayConsent } from "/lib/consent.js";

export async function pageOrganisation(root, id) {
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
