// The Pôles dashboard: a hash-routed single page over the JSON API (/api/v1). ES modules, no
// bundler: this shell (router, header, login), the shared blocks in lib/, one module per page in
// pages/; ECharts and the France region map come from web/node_modules (npm, lock file).
import { t, lang, setLang, applyStatic } from "/i18n.js";
import { searchBox } from "/search.js";
import { api, me, setMe } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { problemBox, refreshHealth } from "/lib/blocks.js";
import { stopSigma } from "/lib/sigma.js";

const main = () => document.getElementById("main");

async function pageLogin(root) {
  const name = el("input", { class: "fr-input", id: "login-name", autocomplete: "username", required: true });
  const password = el("input", { class: "fr-input", id: "login-password", type: "password", autocomplete: "current-password", required: true });
  const msg = el("div", { "aria-live": "assertive" });
  const form = el("form", { class: "login", onsubmit: async (e) => {
    e.preventDefault();
    try {
      setMe(await api("POST", "/api/v1/login", { name: name.value, password: password.value }));
      adoptLanguage();
      updateChrome();
      location.hash = "#/map";
    } catch (err) {
      // A refused login says it once (the server's detail words the same thing as the title).
      msg.replaceChildren(err.problem?.status === 401 ? el("div", { class: "problem", role: "alert" }, el("strong", {}, t("problem.401"))) : problemBox(err));
    }
  } }, el("label", {}, t("login.name"), name), el("label", {}, t("login.password"), password), el("button", { type: "submit" }, t("login.submit")), msg);
  root.append(el("h1", {}, t("login.title")), form);
}

// --- router --------------------------------------------------------------------------------
// A route: the page function's name (the page's data-page) and its module, loaded the first time
// the page is shown (ECharts, the map, sigma… come with the pages that draw them).
const routes = [
  [/^#\/map$/, "pageMap", () => import("/pages/map.js")],
  [/^#\/clusters$/, "pageClusters", () => import("/pages/clusters.js")],
  [/^#\/cluster\/(.+)$/, "pageCluster", () => import("/pages/cluster.js")],
  [/^#\/organisation\/(.+)$/, "pageOrganisation", () => import("/pages/organisation.js")],
  [/^#\/project\/(.+)$/, "pageProject", () => import("/pages/project.js")],
  [/^#\/import$/, "pageImport", () => import("/pages/import.js")],
  [/^#\/login$/, "pageLogin", async () => ({ pageLogin })],
  [/^#\/account$/, "pageAccount", () => import("/pages/account.js")],
  [/^#\/admin\/users$/, "pageUsers", () => import("/pages/admin.js")],
  [/^#\/admin\/audit$/, "pageAudit", () => import("/pages/admin.js")],
  [/^#\/network$/, "pageNetwork", () => import("/pages/network.js")],
  [/^#\/select$/, "pageSelect", () => import("/pages/select.js")],
  [/^#\/my-reviews$/, "pageMyReviews", () => import("/pages/select.js")],
  [/^#\/pipeline$/, "pagePipeline", () => import("/pages/pipeline.js")],
  [/^#\/services$/, "pageServices", () => import("/pages/services.js")],
  [/^#\/employment$/, "pageEmployment", () => import("/pages/employment.js")],
  [/^#\/evaluate$/, "pageEvaluate", () => import("/pages/evaluate.js")],
  [/^#\/impact$/, "pageImpact", () => import("/pages/impact.js")],
  [/^#\/compare$/, "pageCompare", () => import("/pages/compare.js")],
  [/^#\/glossary$/, "pageGlossary", () => import("/pages/glossary.js")],
  [/^#\/cofunding$/, "pageCofunding", () => import("/pages/cofunding.js")],
  [/^#\/requests$/, "pageRequests", () => import("/pages/requests.js")],
  [/^#\/support$/, "pageSupport", () => import("/pages/support.js")],
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
  document.getElementById("logout").hidden = !me();
  for (const a of document.querySelectorAll("#nav a")) {
    const roles = a.dataset.role?.split(" ");
    const hide = !me() || (roles && !roles.includes(me().user.role));
    a.hidden = hide;
    a.parentElement.hidden = hide;
  }
  // A group of the menu (Analyses, Administration) shows when one of its entries does.
  for (const g of document.querySelectorAll("#nav [data-group]")) g.hidden = ![...g.querySelectorAll("a")].some((a) => !a.hidden);
  // The header's tools are repeated in the mobile menu.
  const links = document.querySelector(".fr-header__menu-links");
  links.replaceChildren(el("ul", { class: "fr-btns-group" },
    el("li", {}, el("button", { type: "button", class: "fr-btn", lang: langBtn.lang, onclick: () => langBtn.click() }, langBtn.textContent)),
    me() ? el("li", {}, el("button", { type: "button", class: "fr-btn", onclick: () => document.getElementById("logout").click() }, t("logout"))) : ""));
  if (!search) { search = searchBox(api, () => !!me()); search.addEventListener("picked", () => closeModal("modal-search")); }
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
// The menu's groups open and close as the DSFR's script would do it (its collapse class), one at
// a time; a choice, Escape or a click elsewhere closes them.
function closeGroups(except = null) {
  for (const b of document.querySelectorAll("#nav .fr-nav__btn")) {
    if (b === except) continue;
    b.setAttribute("aria-expanded", "false");
    document.getElementById(b.getAttribute("aria-controls")).classList.remove("fr-collapse--expanded");
  }
}
for (const b of document.querySelectorAll("#nav .fr-nav__btn")) {
  b.addEventListener("click", () => {
    const open = b.getAttribute("aria-expanded") !== "true";
    closeGroups(b);
    b.setAttribute("aria-expanded", String(open));
    document.getElementById(b.getAttribute("aria-controls")).classList.toggle("fr-collapse--expanded", open);
  });
}
document.addEventListener("click", (e) => { if (!e.target.closest("#nav [data-group]")) closeGroups(); });
// Tab out of a group closes it; Escape inside it closes it and gives the focus back to its button.
for (const g of document.querySelectorAll("#nav [data-group]")) g.addEventListener("focusout", (e) => { if (!g.contains(e.relatedTarget)) closeGroups(); });
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape") return;
  const group = document.activeElement?.closest("#nav [data-group]");
  const button = group?.querySelector(".fr-nav__btn");
  // An open group closes first (the mobile menu around it stays open); then the modals.
  if (button?.getAttribute("aria-expanded") === "true") { closeGroups(); button.focus(); return; }
  closeModal("modal-menu"); closeModal("modal-search"); closeGroups();
});
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
  stopSigma();
  root.replaceChildren(el("p", { class: "muted" }, t("loading")));
  if (!me() && path !== "#/login") {
    try { setMe(await api("GET", "/api/v1/me")); adoptLanguage(); } catch { if (!stale()) location.hash = "#/login"; return; }
    if (stale()) return;
  }
  // Every navigation: a write elsewhere may have moved the data since the last page.
  await refreshHealth();
  if (stale()) return;
  updateChrome();
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.getAttribute("href") === path) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  for (const g of document.querySelectorAll("#nav [data-group]")) {
    const b = g.querySelector(".fr-nav__btn");
    if (g.querySelector('a[aria-current="page"]')) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
  }
  closeGroups();
  for (const [re, name, load] of routes) {
    const m = path.match(re);
    if (!m) continue;
    const content = el("div", { id: "page", "data-page": name });
    try {
      const page = (await load())[name];
      if (stale()) return;
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

// The account's language (chosen on any browser) wins over this browser's; switching it here
// changes the account's too, which the server's messages follow (API clients included).
function adoptLanguage() {
  const chosen = me()?.user?.language;
  if (chosen && chosen !== lang) setLang(chosen);
}
document.getElementById("lang").addEventListener("click", () => {
  setLang(lang === "fr" ? "en" : "fr");
  if (me()) {
    me().user.language = lang;
    api("PUT", "/api/v1/me/language", { language: lang }).catch(() => {});
  }
  render();
});
document.getElementById("logout").addEventListener("click", async () => { await api("POST", "/api/v1/logout", {}); setMe(null); location.hash = "#/login"; updateChrome(); });
window.addEventListener("hashchange", render);
setLang(lang);
render();
