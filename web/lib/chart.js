// ECharts in the DSFR palette, numbers in the page's locale, labels never clipped (containLabel),
// and the data as a table under a "see the data" disclosure (text alternative).
import * as echarts from "/node_modules/echarts/dist/echarts.esm.min.mjs?v=5";
import { t, lang, fmt, compact } from "/i18n.js";
import { el } from "/lib/dom.js";
import { table } from "/lib/table.js";

const CHART_COLOURS = ["#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#a558a0", "#009081", "#c3992a", "#417dc4", "#ce614a"];
// A name cut into lines of about `width` characters (a radar's axis names on a phone).
const wrapWords = (s, width) => String(s).split(" ").reduce((lines, w) => {
  const last = lines[lines.length - 1];
  if (last !== undefined && (last + " " + w).length <= width) lines[lines.length - 1] = `${last} ${w}`; else lines.push(w);
  return lines;
}, []).join("\n");
// The names a chart's legend shows (series, or a pie's slices and a radar's shapes).
const legendNames = (option) => (option.series || []).flatMap((s) => (["pie", "radar"].includes(s.type) ? (s.data || []).map((d) => d.name) : [s.name])).filter(Boolean);
export function chart(container, option, { asTable = true } = {}) {
  const c = echarts.init(container, null, { renderer: "svg", locale: lang === "fr" ? "FR" : "EN" });
  // Value axes in the page's locale; slanted category labels cut at 100 px with "…" (whole in
  // the tooltip) so that they never squash the plot.
  const axis = (a) => (a && a.type === "value" ? { ...a, axisLabel: { formatter: compact, ...(a.axisLabel || {}) } }
    : a && a.type === "category" && a.axisLabel?.rotate && !a.axisLabel.width ? { ...a, axisLabel: { width: 100, overflow: "truncate", ...a.axisLabel } } : a);
  const slanted = [option.xAxis].flat().some((a) => a?.axisLabel?.rotate);
  const fix = (a) => (Array.isArray(a) ? a.map(axis) : axis(a));
  const names = [...new Set(legendNames(option))];
  c.setOption({ animation: false, color: CHART_COLOURS, textStyle: { fontFamily: "Marianne, system-ui, sans-serif" },
    tooltip: { trigger: "axis", valueFormatter: (v) => (typeof v === "number" ? fmt(v, Math.abs(v) < 10 ? 2 : 0) : v) },
    ...option, xAxis: fix(option.xAxis), yAxis: fix(option.yAxis) });
  // In a narrow box (a phone, a card of a three-column grid) a paged legend cuts names: the legend
  // goes above the plot on as many lines as its names need and the box grows by as much; a radar's
  // names wrap and its radius shrinks. Laid out again when the box's width changes (a page is built
  // before it is put in the document, where its boxes get their width).
  let shape = null;
  const layout = () => {
    const width = container.clientWidth || document.documentElement.clientWidth;
    const narrow = width < 600;
    let lines = 0;
    if (narrow && option.legend?.show !== false && names.length > 1) {
      // A name of n characters takes about 8n + 40 px with its mark.
      let used = 0;
      lines = 1;
      for (const n of names) { const w = Math.min(width - 16, 40 + 8 * String(n).length); if (used && used + w > width - 16) { lines++; used = 0; } used += w; }
    }
    const key = `${narrow}:${lines}:${container.clientWidth > 0}`;
    if (key === shape) return;
    shape = key;
    // The box's own height, kept before it is changed (a chart drawn again in it does not grow it).
    if (!container.style.height && container.getBoundingClientRect().height) container.dataset.baseHeight = container.getBoundingClientRect().height;
    const extra = 22 * lines;
    const base = Number(container.dataset.baseHeight) || 0;
    container.style.height = lines && base ? `${base + extra - 16}px` : "";
    // Every position is given (the options merge into the previous layout's).
    // (A name longer than the box is cut with "…"; the tooltip and the table give it whole.)
    const legend = lines ? { ...(option.legend || {}), type: "plain", top: 0, left: 0, right: 0, bottom: "auto", itemGap: 8, textStyle: { width: Math.max(80, width - 60), overflow: "truncate" } }
      : { type: "scroll", top: "auto", left: "center", right: "auto", bottom: 0, textStyle: { width: null, overflow: "none" }, ...(option.legend || {}) };
    const grid = option.grid ? { ...option.grid, ...(lines ? { top: extra + 12 } : {}) } : { left: slanted ? 28 : 8, right: 16, top: lines ? extra + 12 : 24, bottom: lines ? 8 : 40, containLabel: true };
    const radar = option.radar && narrow ? { ...option.radar, radius: "36%", center: ["50%", lines ? `${50 + (100 * extra) / (2 * Math.max(base, 260))}%` : "50%"], axisName: { ...(option.radar.axisName || {}), fontSize: 10, lineHeight: 12, formatter: (n) => wrapWords(n, 12) } }
      : option.radar ? { radius: "65%", center: ["50%", "50%"], ...option.radar, axisName: { fontSize: 12, formatter: (n) => n, ...(option.radar.axisName || {}) } } : null;
    c.setOption({ legend, grid, ...(radar ? { radar } : {}) });
    c.resize();
  };
  layout();
  const watch = new ResizeObserver(() => { layout(); c.resize(); });
  watch.observe(container);
  const dispose = c.dispose.bind(c);
  c.dispose = () => { watch.disconnect(); dispose(); };
  const catAxis = [option.xAxis, option.yAxis].find((a) => a?.type === "category" && a.data);
  if (asTable && option.series && catAxis) {
    const cats = catAxis.data;
    const series = option.series.filter((s) => Array.isArray(s.data) && s.data.length === cats.length && s.data.every((v) => v === null || typeof v === "number"));
    if (series.length) {
      const rows = cats.map((x, i) => [x, ...series.map((s) => s.data[i])]);
      container.after(el("details", { class: "as-table" }, el("summary", {}, t("chart.as_table")),
        table([{ label: catAxis.name || "", value: (r) => String(r[0]) }, ...series.map((s, j) => ({ label: s.name || "", num: true, value: (r) => fmt(r[j + 1], 2) }))], rows, null, { tools: false })));
    }
  }
  return c;
}
