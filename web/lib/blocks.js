// Blocks many pages show: the data's source line, the confirmation dialog, a refusal or an
// error, key figures.
import { t, date } from "/i18n.js";
import { fieldLabel, ruleText } from "/vocab.js";
import { api } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { table } from "/lib/table.js";

// Data as of the date the store's data last changed (and its version), and its source, under a block.
let health = null;
export const source = () => el("p", { class: "source" }, t("source", { v: health?.data_version ?? "—", date: date(health?.data_changed_at?.slice(0, 10)), src: t("source.demo") }));
// Read again at each navigation (the shell's render); the last one is kept when it fails.
export async function refreshHealth() {
  health = await api("GET", "/api/v1/health").catch(() => health);
}
// A native modal dialog; resolves to true when confirmed.
export function confirmDialog(text) {
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
// A file's field: its label, and the column header the file holds.
export const fieldCell = (name) => (fieldLabel(name) === String(name ?? "") ? String(name ?? "") : el("span", {}, fieldLabel(name), " ", el("code", { translate: "no", class: "muted" }, name)));
export function problemBox(err) {
  const p = err.problem || { detail: String(err) };
  const title = p.status ? (t(`problem.${p.status}`) !== `problem.${p.status}` ? t(`problem.${p.status}`) : t("problem.other")) : t("problem.other");
  // The server words its detail in the language asked for (Accept-Language).
  // A detail that says what the title says is not repeated ("Identifiant ou mot de passe
  // incorrect. Identifiant ou mot de passe incorrect").
  const same = (a, b) => String(a).toLowerCase().replace(/[\s.!]+$/u, "").trim() === String(b).toLowerCase().replace(/[\s.!]+$/u, "").trim();
  return el("div", { class: "problem", role: "alert" }, el("strong", {}, title), p.detail && !same(p.detail, title) ? " " + p.detail : "",
    p.errors ? table([
      { label: t("line"), value: (e) => e.line ?? "" }, { label: t("column"), value: (e) => e.column ?? "" },
      { label: t("field"), value: (e) => fieldCell(e.field) }, { label: t("value"), value: (e) => e.value }, { label: t("rule"), value: (e) => ruleText(e.rule) },
    ], p.errors, null, { tools: false }) : "");
}
// Key figures side by side, each a label over its value.
export const kpiBox = (id, pairs) => el("div", { class: "kpis", id }, pairs.map(([k, v]) => el("div", { class: "kpi" }, el("span", { class: "muted" }, k), el("strong", {}, v))));
