// The caller's account: password and API tokens.
import { t, dateTime } from "/i18n.js";
import { label } from "/vocab.js";
import { api, me } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { table, facts } from "/lib/table.js";
import { scopeName } from "/lib/names.js";
import { problemBox } from "/lib/blocks.js";

export async function pageAccount(root) {
  const tokenLabel = el("input", { class: "fr-input", id: "token-label", value: "script" });
  const out = el("div", { "aria-live": "polite" });
  const tokens = el("div", { id: "tokens" });
  async function loadTokens() {
    const r = await api("GET", "/api/v1/tokens");
    tokens.replaceChildren(r.tokens.length ? table([
      { label: t("account.token_label"), value: (x) => x.label }, { label: t("account.created"), value: (x) => dateTime(x.created_at) },
      { label: t("account.last_used"), value: (x) => (x.last_used_at ? dateTime(x.last_used_at) : t("account.never")) },
      { label: t("account.action"), value: (x) => el("button", { type: "button", class: "secondary", "data-token": x.token_id, "aria-label": t("account.revoke_named", { l: x.label }), onclick: async () => {
        await api("DELETE", `/api/v1/tokens/${encodeURIComponent(x.token_id)}`); loadTokens(); } }, t("account.revoke")) },
    ], r.tokens, null, { tools: false }) : el("p", {}, t("account.no_tokens")));
  }
  const pw = { current: el("input", { class: "fr-input", id: "current-password", type: "password", autocomplete: "current-password", required: true }),
    next: el("input", { class: "fr-input", id: "new-password", type: "password", autocomplete: "new-password", required: true }) };
  const pwMsg = el("div", { "aria-live": "polite" });
  // The scope by the name of what it names (lib/names.js), its id beside it.
  const { user } = me();
  const name = user.role === "reviewer" ? null : await scopeName(user.role, user.scope);  // a reviewer row is the State's
  const scope = !user.scope ? "—" : el("span", { translate: "no" }, name && name !== user.scope ? `${name} (${user.scope})` : user.scope);
  root.append(el("h1", {}, t("account.title")), facts([
    [t("login.name"), el("span", { translate: "no" }, user.name)], [t("account.role"), label("account_role", user.role)], [t("account.scope"), scope],
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
    el("button", { type: "button", id: "token-create", onclick: async () => {
      try { const r = await api("POST", "/api/v1/tokens", { label: tokenLabel.value }); out.replaceChildren(el("div", { class: "fr-callout", id: "token-new" }, el("p", {}, el("strong", {}, t("account.token_once"))), el("code", { translate: "no", class: "pre" }, r.token))); loadTokens(); }
      catch (err) { out.replaceChildren(problemBox(err)); }
    } }, t("account.create_token"))), out);
  await loadTokens();
}
