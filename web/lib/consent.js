// A consent flag of the public portal (membership.listed, project.public_summary), changed in
// place: the row is read for its ETag, then patched with If-Match; the server decides who may
// (docs/access.md) and a refusal is said beside the box, which goes back.
import { t, lang } from "/i18n.js";
import { api, ApiError, me } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { problemBox } from "/lib/blocks.js";

export function consentBox(itemPath, field, value, labelText) {
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
export const mayConsent = () => !["evaluator", "reviewer"].includes(me().user.role);
