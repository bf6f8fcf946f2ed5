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
// The names a chart's legend shows (series, or a pie's slices).
const legendNames = (option) => (option.series || []).flatMap((s) => (s.type === "pie" ? (s.data || []).map((d) => d.name) : [s.name])).filter(Boolean);
export function chart(container, option, { asTable = true } = {}) {
  const c = echarts.init(container, null, { renderer: "svg", locale: lang === "fr" ? "FR" : "EN" });
  const axis = (a) => (a && a.type === "value" ? { ...a, axisLabel: { formatter: compact, ...(a.axisLabel || {}) } } : a);
  const fix = (a) => (Array.isArray(a) ? a.map(axis) : axis(a));
  // On a narrow screen a paged legend cuts names: the legend goes above the plot on as many lines
  // as its names need, the box grows by as much; a radar's names wrap and its radius shrinks.
  // A page is built before it is put in the document (its boxes have no width yet): the window's
  // width decides then.
  const width = container.clientWidth || document.documentElement.clientWidth;
  const narrow = width < 600;
  let legend = { type: "scroll", bottom: 0 };
  let grid = { left: 8, right: 16, top: 24, bottom: 40, containLabel: true };
  const names = [...new Set(legendNames(option))];
  const radar = option.radar && narrow ? { ...option.radar, radius: "42%", axisName: { ...(option.radar.axisName || {}), formatter: (n) => wrapWords(n, 14) } } : option.radar;
  if (narrow && option.legend?.show !== false && names.length > 1) {
    // Lines the names take, counted wide (a name of n characters about 8n + 40 px with its mark);
    // a box not yet in the page is as wide as the window less a card's margins.
    const perLine = Math.max(1, (container.clientWidth || width - 70) - 16);
    let lines = 1, used = 0;
    for (const n of names) { const w = 40 + 8 * String(n).length; if (used && used + w > perLine) { lines++; used = 0; } used += w; }
    const extra = 22 * lines;
    // The box's own height is kept: a chart drawn again in it (another indicator) does not grow it.
    container.dataset.baseHeight ??= String(container.getBoundingClientRect().height || parseFloat(getComputedStyle(container).height) || 260);
    container.style.height = `${Number(container.dataset.baseHeight) + extra - 16}px`;
    legend = { type: "plain", top: 0, left: 0, right: 0, itemGap: 8 };
    grid = { ...grid, top: extra + 12, bottom: 8 };
    c.resize();
  }
  c.setOption({ animation: false, color: CHART_COLOURS, textStyle: { fontFamily: "Marianne, system-ui, sans-serif" },
    tooltip: { trigger: "axis", valueFormatter: (v) => (typeof v === "number" ? fmt(v, Math.abs(v) < 10 ? 2 : 0) : v) },
    ...option, legend: { ...legend, ...(option.legend || {}), ...(legend.type === "plain" ? { type: "plain", top: 0, bottom: "auto" } : {}) },
    grid: option.grid ? { ...option.grid, ...(legend.type === "plain" ? { top: grid.top } : {}) } : grid,
    ...(radar ? { radar } : {}), xAxis: fix(option.xAxis), yAxis: fix(option.yAxis) });
  const watch = new ResizeObserver(() => c.resize());
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
