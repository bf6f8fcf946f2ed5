// ECharts in the DSFR palette, numbers in the page's locale, labels never clipped (containLabel),
// and the data as a table under a "see the data" disclosure (text alternative).
import * as echarts from "/node_modules/echarts/dist/echarts.esm.min.mjs?v=5";
import { t, lang, fmt, compact } from "/i18n.js";
import { el } from "/lib/dom.js";
import { table } from "/lib/table.js";

const CHART_COLOURS = ["#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#a558a0", "#009081", "#c3992a", "#417dc4", "#ce614a"];
export function chart(container, option, { asTable = true } = {}) {
  const c = echarts.init(container, null, { renderer: "svg", locale: lang === "fr" ? "FR" : "EN" });
  const axis = (a) => (a && a.type === "value" ? { ...a, axisLabel: { formatter: compact, ...(a.axisLabel || {}) } } : a);
  const fix = (a) => (Array.isArray(a) ? a.map(axis) : axis(a));
  c.setOption({ animation: false, color: CHART_COLOURS, textStyle: { fontFamily: "Marianne, system-ui, sans-serif" },
    tooltip: { trigger: "axis", valueFormatter: (v) => (typeof v === "number" ? fmt(v, Math.abs(v) < 10 ? 2 : 0) : v) },
    legend: { type: "scroll", bottom: 0 }, grid: { left: 8, right: 16, top: 24, bottom: 40, containLabel: true },
    ...option, xAxis: fix(option.xAxis), yAxis: fix(option.yAxis) });
  new ResizeObserver(() => c.resize()).observe(container);
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
