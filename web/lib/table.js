// The tables pages show: the data table, and the facts table (a field and its value a row).
import { t, fmt } from "/i18n.js";
import { el } from "/lib/dom.js";
import { apiBlob } from "/lib/api.js";

// A data table: sortable columns (buttons in the headers), a row count ("25 of 312") with "show
// more", a choice of the columns shown, CSV and XLSX exports of the rows in their order and of the
// columns shown, and a box that scrolls sideways on its own (never the page).
// A column: { label, value(row) -> text or node, num, sort(row) -> sortable value, name: the label
// is a proper name (not translated) }.
// Options: page (rows shown at first), tools (count, columns, exports: every table with rows),
// id, stack (below 576 px each row reads as a card, "header: value" a line: tables of texts).
let tables = 0;  // a number per table: its exports name it (aria-describedby)
export function table(columns, rows, onClick, { page = 50, tools = rows.length > 0 && columns.some((c) => c.label), id = null, stack = false } = {}) {
  const wrapId = `table-${++tables}`;
  let shown = Math.min(page, rows.length);
  let order = rows;
  let sorted = { i: -1, dir: 1 };
  const tbody = el("tbody");
  const count = el("span", { "aria-live": "polite" });
  const more = el("button", { type: "button", class: "fr-btn fr-btn--sm fr-btn--tertiary", onclick: () => { shown = Math.min(order.length, shown + page); draw(); } });
  const plain = (v) => (v instanceof Node ? v.textContent : v ?? "");
  const visible = columns.map(() => true);
  const shownColumns = () => columns.filter((c, j) => visible[j]);
  const heads = columns.map((c, i) => {
    const th = el("th", { scope: "col", class: c.num ? "num" : null, translate: c.name ? "no" : null });
    if (c.label && rows.length > 1) {
      th.append(el("button", { type: "button", class: "sort", title: t("table.sort", { c: c.label }), onclick: () => sortBy(i) }, c.label));
    } else th.append(c.label ?? "");
    return th;
  });
  function sortBy(i) {
    sorted = { i, dir: sorted.i === i ? -sorted.dir : 1 };
    const c = columns[i];
    const key = c.sort || ((r) => { const v = plain(c.value(r)); const n = Number(String(v).replace(/[\s\u00a0\u202f%€kM]/g, "").replace(",", ".").replace("−", "-")); return c.num && !Number.isNaN(n) ? n : String(v); });
    order = [...rows].sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * sorted.dir; });
    heads.forEach((h, j) => (j === i ? h.setAttribute("aria-sort", sorted.dir > 0 ? "ascending" : "descending") : h.removeAttribute("aria-sort")));
    draw();
  }
  function draw() {
    // An empty table says so (a header alone reads as a page still loading).
    if (!order.length) return tbody.replaceChildren(el("tr", {}, el("td", { colspan: columns.length, class: "muted" }, t("table.empty"))));
    tbody.replaceChildren(...order.slice(0, shown).map((r) => el("tr", onClick ? { class: "link", tabindex: 0, onclick: () => onClick(r), onkeydown: (e) => e.key === "Enter" && onClick(r) } : {},
      columns.map((c, j) => el("td", { class: c.num ? "num" : null, hidden: !visible[j], "data-label": stack && c.label ? c.label : null }, c.value(r))))));
    heads.forEach((h, j) => { h.hidden = !visible[j]; });
    count.textContent = t("table.showing", { n: fmt(shown), total: fmt(order.length) });
    more.hidden = shown >= order.length;
    more.textContent = t("table.more", { n: fmt(Math.min(page, order.length - shown)) });
  }
  function csv() {
    // A text a spreadsheet would run as a formula (= + - @, a tab, a carriage return) is written
    // after a quote (OWASP, CSV injection): names and needs come from anyone (support requests).
    const cell = (v) => {
      let s = String(plain(v)).replace(/\u00a0|\u202f/g, " ");
      if (/^[=+\-@\t\r]/.test(s) && !/^-?[\d ,.]+$/.test(s)) s = `'${s}`;
      return /[";\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const cols = shownColumns();
    const text = [cols.map((c) => cell(c.label)).join(";"), ...order.map((r) => cols.map((c) => cell(c.value(r))).join(";"))].join("\n");
    save(new Blob(["\ufeff" + text], { type: "text/csv" }), "csv");
  }
  const title = () => document.title.split(" — ")[0] || "poles";
  function save(blob, ext) {
    const a = el("a", { href: URL.createObjectURL(blob), download: `${title().replace(/[^\p{L}\p{N}]+/gu, "-")}.${ext}` });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
  // The workbook is written by the server (libxlsxwriter) from the rows shown here: a number
  // column's cell whose text reads as a plain number ("1 234", "0,56") goes as a number, any other
  // cell as its text ("50 %", "1,9 M€", "—"), which a spreadsheet never runs as a formula.
  const status = el("span", { role: "status" });
  async function xlsx() {
    const cols = shownColumns();
    const number = (c, r) => {
      if (!c.num) return null;
      const s = String(plain(c.value(r))).replace(/[\s\u00a0\u202f]/g, "").replace(",", ".").replace("−", "-");
      return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : null;
    };
    const rowsOut = order.map((r) => cols.map((c) => { const n = number(c, r); return n ?? (String(plain(c.value(r))) || null); }));
    status.textContent = "";
    try {
      save(await apiBlob("/api/v1/exports/table", { name: title(), columns: cols.map((c) => String(c.label ?? "")), rows: rowsOut }), "xlsx");
    } catch (e) { status.textContent = e.message; }
  }
  // The columns shown: a list of boxes (one at least stays ticked).
  function chooser() {
    const summary = el("summary", {});
    const relabel = () => { summary.textContent = t("table.columns", { n: fmt(visible.filter(Boolean).length), total: fmt(columns.length) }); };
    const boxes = columns.map((c, j) => el("label", { translate: c.name ? "no" : null },
      el("input", { type: "checkbox", checked: true, onchange: (e) => {
        if (!e.target.checked && visible.filter(Boolean).length === 1) { e.target.checked = true; return; }
        visible[j] = e.target.checked;
        relabel();
        draw();
      } }), " ", c.label || t("table.unnamed", { n: j + 1 })));
    relabel();
    return el("details", { class: "table-columns" }, summary, el("div", {}, boxes));
  }
  draw();
  const tableEl = el("table", { id, class: stack ? "stack" : null }, el("thead", {}, el("tr", {}, heads)), tbody);
  const wrap = el("div", { id: wrapId, class: "table-wrap", tabindex: 0, role: "region", "aria-label": columns.map((c) => c.label).filter(Boolean).slice(0, 3).join(", ") || "table" }, tableEl);
  // A table wider than its box says so: a line above it and a shade on the side still hidden
  // (at 390 px the number columns are often off screen).
  const hint = el("p", { class: "table-hint muted", hidden: true }, t("table.scroll"));
  const scroller = el("div", { class: "table-scroll" }, wrap);
  const edges = () => {
    const over = wrap.scrollWidth > wrap.clientWidth + 1;
    hint.hidden = !over;
    scroller.classList.toggle("more-right", over && wrap.scrollLeft + wrap.clientWidth < wrap.scrollWidth - 1);
    scroller.classList.toggle("more-left", over && wrap.scrollLeft > 1);
  };
  wrap.addEventListener("scroll", edges, { passive: true });
  if (typeof ResizeObserver === "function") new ResizeObserver(edges).observe(wrap);
  // Small tables keep their exports; the count and "show more" are for the long ones.
  const long = rows.length > 10;
  return el("div", { class: "table-block" }, hint, scroller,
    tools ? el("div", { class: "table-tools" }, long ? count : "", long ? more : "", columns.length > 2 ? chooser() : "",
      el("button", { type: "button", class: "fr-btn fr-btn--sm fr-btn--tertiary-no-outline", "aria-describedby": wrapId, onclick: csv }, t("table.csv")),
      el("button", { type: "button", class: "fr-btn fr-btn--sm fr-btn--tertiary-no-outline", "aria-describedby": wrapId, onclick: xlsx }, t("table.xlsx")), status) : "");
}
// A two-column "field: value" table without headers.
export function facts(pairs) {
  return el("div", { class: "table-wrap" }, el("table", { class: "facts" }, el("tbody", {}, pairs.map(([k, v]) => el("tr", {}, el("th", { scope: "row" }, k), el("td", {}, v ?? "—"))))));
}
