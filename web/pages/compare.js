// Comparison of 2–5 clusters (figures, pillars, indicators) and of regions.
import { t, fmt, pct, euros } from "/i18n.js";
import { label, labels, indicatorLabel, indicatorDefinition } from "/vocab.js";
import { api } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { source } from "/lib/blocks.js";
import { chart } from "/lib/chart.js";
import { loadIndicatorUnits, valueOf, canEvaluate, EVAL_YEAR } from "/lib/evaluation.js";

export async function pageCompare(root, params) {
  const [list, regions] = await Promise.all([api("GET", "/api/v1/stats/clusters?year=2024"), api("GET", "/api/v1/stats/regions?year=2024")]);
  const ids = (params.get("clusters") || "").split(",").filter((x) => list.clusters.some((c) => c.id === x)).slice(0, 5);
  const regs = (params.get("regions") || "").split(",").filter((x) => regions.regions.some((r) => r.code === x)).slice(0, 5);
  const go = (cl, rg) => { const u = new URLSearchParams(); if (cl.length) u.set("clusters", cl.join(",")); if (rg.length) u.set("regions", rg.join(",")); location.hash = `#/compare?${u}`; };
  const pick = el("select", { id: "cmp-add", class: "fr-select" }, el("option", { value: "" }, "—"),
    list.clusters.filter((c) => !ids.includes(c.id)).map((c) => el("option", { value: c.id }, c.acronym ? `${c.name} (${c.acronym})` : c.name)));
  const chosen = list.clusters.filter((c) => ids.includes(c.id)).sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  const regionName = Object.fromEntries(regions.regions.map((r) => [r.code, r.name]));
  root.append(el("h1", {}, t("cmp.title")),
    el("div", { class: "filters" }, el("label", {}, t("cmp.pick"), pick),
      el("button", { type: "button", class: "fr-btn", id: "cmp-add-go", disabled: ids.length >= 5, onclick: () => pick.value && go([...ids, pick.value], regs) }, t("cmp.add"))),
    el("ul", { class: "fr-btns-group fr-btns-group--inline-sm", id: "cmp-chosen" }, chosen.map((c) => el("li", {},
      el("button", { type: "button", class: "fr-btn fr-btn--secondary fr-btn--sm", title: t("cmp.remove", { n: c.name }), onclick: () => go(ids.filter((x) => x !== c.id), regs) }, `✕ ${c.acronym || c.name}`)))));
  if (chosen.length < 2) root.append(el("p", { class: "muted", id: "cmp-need" }, t("cmp.need")));
  if (chosen.length >= 1) {
    const col = (c) => ({ label: c.acronym || c.name, num: true });
    const rows = [
      [t("region"), (c) => regionName[c.region] || c.region], [t("scale"), (c) => label("scale", c.scale)], [t("theme"), (c) => labels("theme", c.themes)],
      [`${t("members")} 2024`, (c) => fmt(c.members)], [t("companies"), (c) => fmt(c.companies)], [t("sme_share"), (c) => pct(c.sme_share)],
      [t("projects"), (c) => fmt(c.projects)], [t("phase"), (c) => c.last_phase]];
    root.append(el("section", { class: "card", id: "cmp-figures" }, el("h2", {}, t("cmp.figures", { y: 2024 })),
      table([{ label: "", value: (r) => r[0] }, ...chosen.map((c) => ({ ...col(c), value: (r) => r[1](c) }))], rows, null, { tools: false }), source()));
    if (canEvaluate() && chosen.length >= 2) {
      const ev = await api("GET", `/api/v1/evaluate?year=${EVAL_YEAR}&draws=500&sobol_n=0`);
      await loadIndicatorUnits();
      const evs = chosen.map((c) => ev.clusters.find((x) => x.cluster === c.id)).filter(Boolean);
      const short = (id) => { const c = chosen.find((x) => x.id === id); return c.acronym || c.name; };
      const radar = el("div", { class: "chart", id: "cmp-radar", role: "img", "aria-label": t("cmp.pillars", { y: EVAL_YEAR }) });
      root.append(ev.ranked === false ? "" : el("section", { class: "card", id: "cmp-pillars" }, el("h2", {}, t("cmp.pillars", { y: EVAL_YEAR })), radar,
        table([{ label: t("gl.pillar"), value: (p) => label("pillar", p) }, ...evs.map((e) => ({ label: short(e.cluster), num: true, value: (p) => fmt(e.pillars[p], 2) }))], ev.method.pillars, null, { tools: false })),
      el("section", { class: "card", id: "cmp-indicators" }, el("h2", {}, t("cmp.indicators", { y: EVAL_YEAR })),
        table([{ label: t("indicator"), value: (i) => el("abbr", { title: indicatorDefinition(i) }, indicatorLabel(i)) },
          ...evs.map((e) => ({ label: short(e.cluster), num: true, value: (i) => valueOf(i, e.indicators[i]) }))],
        ev.method.indicators, null, { page: 100 })));
      if (ev.ranked !== false) {
        chart(radar, { tooltip: { trigger: "item" }, radar: { indicator: ev.method.pillars.map((p) => ({ name: label("pillar", p), max: 1 })), radius: "55%", axisName: { color: "#3a3a3a" } },
          series: [{ type: "radar", data: evs.map((e) => ({ name: short(e.cluster), value: ev.method.pillars.map((p) => e.pillars[p]) })) }] });
      }
      radar.dataset.ready = "true";
    }
  }
  // Regions side by side.
  const rpick = el("select", { id: "cmp-region-add", class: "fr-select" }, el("option", { value: "" }, "—"),
    regions.regions.filter((r) => !regs.includes(r.code)).map((r) => el("option", { value: r.code }, r.name)));
  const rchosen = regions.regions.filter((r) => regs.includes(r.code));
  root.append(el("h2", {}, t("cmp.regions")), el("div", { class: "filters" }, el("label", {}, t("cmp.region_pick"), rpick),
    el("button", { type: "button", class: "fr-btn", id: "cmp-region-go", onclick: () => rpick.value && go(ids, [...regs, rpick.value]) }, t("cmp.add")),
    rchosen.map((r) => el("button", { type: "button", class: "fr-btn fr-btn--secondary fr-btn--sm", title: t("cmp.remove", { n: r.name }), onclick: () => go(ids, regs.filter((x) => x !== r.code)) }, `✕ ${r.name}`))));
  if (rchosen.length) {
    root.append(el("div", { id: "cmp-regions" }, table([{ label: "", value: (k) => t(`map.period_${k}`, { y: 2024 }) },
      ...rchosen.map((r) => ({ label: r.name, num: true, value: (k) => (k === "public_aid" ? euros(r[k]) : fmt(r[k])) }))], ["clusters", "members", "projects", "public_aid"], null, { tools: false }), source()));
  }
}
