// The global search: one combobox (ARIA 1.2) in the header reaching clusters (name, acronym,
// theme, region, from the cluster list), organisations (name, acronym, city or SIREN/SIRET) and
// projects (acronym or title) through the entity lists' `q=` and `siren=` filters. Arrows move, Enter opens, Escape closes.
import { t } from "/i18n.js";
import { labels } from "/vocab.js";

import { fold as norm } from "/lib/dom.js";

// Wires the search markup of index.html (present from the first paint: no layout shift).
export function searchBox(api, enabled) {
  const input = document.getElementById("search-input");
  const labelEl = document.getElementById("search-label");
  const list = document.getElementById("search-list");
  const status = document.getElementById("search-status");
  const box = document.getElementById("global-search");
  let clusters = null;
  let items = [];
  let active = -1;
  let seq = 0;
  const relabel = () => {
    labelEl.textContent = t("search.label");
    input.placeholder = t("search.placeholder");
  };
  relabel();
  async function query(q) {
    const mine = ++seq;
    const n = norm(q.trim());
    if (n.length < 2 || !enabled()) return show([]);
    clusters ??= (await api("GET", "/api/v1/stats/clusters?year=2024")).clusters;
    const found = clusters.filter((c) => norm(`${c.name} ${c.acronym} ${c.themes} ${labels("theme", c.themes)} ${c.id}`).includes(n)).slice(0, 6)
      .map((c) => ({ kind: "cluster", id: c.id, text: c.acronym ? `${c.name} (${c.acronym})` : c.name, href: `#/cluster/${encodeURIComponent(c.id)}` }));
    const digits = q.replace(/\s/g, "");
    const orgQuery = /^\d{9}$/.test(digits) ? `siren=${digits}` : /^\d{14}$/.test(digits) ? `siren=${digits.slice(0, 9)}` : `q=${encodeURIComponent(q.trim())}`;
    const [orgs, projects] = await Promise.all([
      api("GET", `/api/v1/organisation?${orgQuery}&limit=6`).catch(() => ({ items: [] })),
      api("GET", `/api/v1/project?q=${encodeURIComponent(q.trim())}&limit=6`).catch(() => ({ items: [] }))]);
    if (mine !== seq) return;
    found.push(...orgs.items.map((o) => ({ kind: "organisation", id: o.id, text: [o.name, o.city, o.siren].filter(Boolean).join(" — "), href: `#/organisation/${encodeURIComponent(o.id)}` })));
    found.push(...projects.items.map((p) => ({ kind: "project", id: p.id, text: p.title ? `${p.acronym} — ${p.title}` : p.acronym, href: `#/project/${encodeURIComponent(p.id)}` })));
    show(found);
  }
  function show(found) {
    items = found;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.replaceChildren(...found.map((f, i) => {
      const li = document.createElement("li");
      li.id = `search-opt-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.kind = f.kind;
      const name = document.createElement("span");
      name.textContent = f.text;
      name.translate = false;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = t(`search.kind.${f.kind}`);
      li.append(name, kind);
      li.addEventListener("mousedown", (e) => { e.preventDefault(); go(i); });
      return li;
    }));
    if (input.value.trim().length >= 2 && !found.length) {
      const li = document.createElement("li");
      li.textContent = t("search.none");
      li.setAttribute("aria-disabled", "true");
      list.append(li);
    }
    list.hidden = !list.children.length;
    input.setAttribute("aria-expanded", String(!list.hidden));
    status.textContent = input.value.trim().length >= 2 ? t("search.results", { n: found.length }) : "";
  }
  function move(d) {
    if (!items.length) return;
    active = (active + d + items.length) % items.length;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
    input.setAttribute("aria-activedescendant", `search-opt-${active}`);
    list.children[active].scrollIntoView({ block: "nearest" });
  }
  function go(i) {
    const f = items[i];
    if (!f) return;
    location.hash = f.href;
    input.value = "";
    show([]);
    box.dispatchEvent(new CustomEvent("picked", { bubbles: true }));
  }
  let timer = null;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => query(input.value), 150); });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Enter") { e.preventDefault(); go(active >= 0 ? active : 0); }
    else if (e.key === "Escape") { show([]); }
  });
  input.addEventListener("blur", () => setTimeout(() => show([]), 150));
  box.relabel = relabel;
  return box;
}
