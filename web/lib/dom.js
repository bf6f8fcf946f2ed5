// Building a page: el() makes an element; colon, years and share write what every page writes
// the same way.
import { lang, pct, t } from "/i18n.js";

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  if (tag === "button") attrs = { ...attrs, class: !attrs.class ? "fr-btn" : attrs.class === "secondary" ? "fr-btn fr-btn--secondary" : attrs.class };
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) e.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return e;
}

// A text folded for comparing: no accents, lower case ("Éole" and "eole" match).
export const fold = (s) => String(s ?? "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
// A text put in HTML a library renders (ECharts' tooltips are HTML): names come from the data.
export const escapeHtml = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
// "Label : value" in French (a non-breaking space before the colon), "Label: value" in English.
export const colon = () => (lang === "fr" ? "\u00a0: " : ": ");
export const years = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
// A share as a percentage, with a decimal under 1 % (0,4 % rather than 0 %).
export const share = (v) => pct(v, v > 0 && v < 0.01 ? 1 : 0);
// A file input that speaks the page's language ("Choisir un fichier", the chosen file's name)
// instead of the browser's: the input stays (focusable, read by screen readers, under its label),
// drawn as a button and a name beside it.
export function filePicker(input) {
  const name = document.createElement("span");
  name.className = "muted file-name";
  const relabel = () => { name.textContent = input.files?.length ? input.files[0].name : t("file.none"); };
  const button = el("span", { class: "fr-btn fr-btn--secondary fr-btn--sm", "aria-hidden": "true" }, t("file.choose"));
  input.classList.add("file-input");
  input.addEventListener("change", relabel);
  relabel();
  return el("span", { class: "file-pick" }, input, button, name);
}
