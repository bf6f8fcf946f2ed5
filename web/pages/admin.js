// The administrator's pages: the accounts and the audit journal.
import { t, dateTime } from "/i18n.js";
import { label } from "/vocab.js";
import { api } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { names, clusterLink, scopeName } from "/lib/names.js";
import { problemBox, confirmDialog } from "/lib/blocks.js";

export async function pageUsers(root) {
  const box = el("div");
  const f = { name: el("input", { class: "fr-input", id: "new-name" }), role: el("select", { class: "fr-select", id: "new-role" }, ["admin", "state", "region", "cluster_manager", "evaluator", "reviewer", "member"].map((r) => el("option", { value: r }, label("account_role", r)))),
    scope: el("input", { class: "fr-input", id: "new-scope" }), password: el("input", { class: "fr-input", id: "new-password", type: "password", autocomplete: "new-password" }) };
  const msg = el("div", { "aria-live": "polite" });
  // A scope by the name of what it names (lib/names.js scopeName), its id beside it for the
  // administrator who types one.
  const known = new Map();
  const scopeNames = (users) => Promise.all(users.filter((u) => u.scope).map(async (u) => known.set(`${u.role}:${u.scope}`, await scopeName(u.role, u.scope))));
  const scopeCell = (u) => (!u.scope ? "—" : el("span", { translate: "no", title: u.scope }, known.get(`${u.role}:${u.scope}`) ?? u.scope));
  async function load() {
    const { users } = await api("GET", "/api/v1/users");
    await scopeNames(users);
    box.replaceChildren(table([
      { label: t("login.name"), value: (u) => u.name }, { label: t("account.role"), value: (u) => label("account_role", u.role) }, { label: t("account.scope"), value: scopeCell },
      { label: t("users.state"), value: (u) => u.disabled ? t("disabled") : el("span", { class: "consent" }, t("users.active"), el("button", { type: "button", class: "fr-btn fr-btn--sm fr-btn--secondary", "aria-label": t("users.disable_named", { u: u.name }), onclick: async () => {
        if (!(await confirmDialog(t("users.disable_confirm", { u: u.name })))) return;
        try { await api("POST", `/api/v1/users/${encodeURIComponent(u.name)}/disable`, {}); msg.replaceChildren(""); load(); }
        catch (err) { msg.replaceChildren(problemBox(err)); }
      } }, t("users.disable"))) },
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

// A row's key as the journal reads it: a composite key's parts ("a|b") apart, a cluster's id by
// its name (a link), the rest as the store holds it (identifiers, years, not words).
function auditKey(a, n) {
  if (!a.key) return "—";
  const parts = String(a.key).split("|");
  return el("span", {}, parts.flatMap((p, j) => [j ? " · " : "", n.cluster[p] ? clusterLink(n, p) : el("span", { translate: "no" }, p)]));
}
// Writes made by Pôles itself rather than by an account: named as such.
const SYSTEM_ACTORS = ["cli", "import", "serve", "demo"];
export async function pageAudit(root) {
  const [{ entries }, n] = await Promise.all([api("GET", "/api/v1/audit?limit=500"), names().catch(() => ({ cluster: {}, region: {} }))]);
  root.append(el("h1", {}, t("audit.title")), table([
    { label: t("audit.at"), value: (a) => dateTime(a.at), sort: (a) => a.at }, { label: t("audit.actor"), value: (a) => (SYSTEM_ACTORS.includes(a.actor) ? t(`audit.by.${a.actor}`) : el("span", { translate: "no" }, a.actor)) }, { label: t("audit.action"), value: (a) => label("audit_action", a.action) },
    { label: t("audit.entity"), value: (a) => label("entity", a.entity) }, { label: t("audit.key"), value: (a) => auditKey(a, n), sort: (a) => a.key },
  ], entries.reverse()));
}
