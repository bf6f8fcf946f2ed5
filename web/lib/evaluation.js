// The evaluation as the cluster profile, the evaluation and the comparison show it: its year, who
// may read it, the indicators' units and values, why a cluster is rated so.
import { t, lang, fmt, pct, euros } from "/i18n.js";
import { label, indicatorLabel, INDICATORS } from "/vocab.js";
import { api, me } from "/lib/api.js";
import { el } from "/lib/dom.js";

// The pillars' gaps to peers and the missed targets, in plain words: why a cluster is rated so.
// `group` is the cluster's peer group as published ({ clusters, pillars }), absent when withheld.
// A cluster's peers' mean score per pillar: the group's published mean counts the cluster
// itself, so the others' mean is drawn from it; empty when the group is withheld (too small to
// hide its members) or the cluster is alone in it.
export function peerMeans(c, group) {
  const n = group?.clusters ?? 0;
  if (n < 2) return {};
  return Object.fromEntries(Object.entries(c.pillars).map(([p, v]) => [p, (n * group.pillars[p] - v) / (n - 1)]));
}
export function whyList(c, group) {
  const peer = peerMeans(c, group);
  const gaps = Object.entries(c.pillars).map(([p, v]) => ({ p, v, peer: peer[p], d: v - peer[p] })).filter((g) => Number.isFinite(g.d)).sort((a, b) => a.d - b.d);
  const n = group?.clusters ?? 0;
  const items = [t(c.consecutive_misses ? "ev.why_rated" : "ev.why_rated_no_miss", { r: label("rating", c.rating), t: label("trend", c.trend), m: fmt(c.consecutive_misses) })];
  if (group && n < 2) items.push(t("ev.why_alone", { g: label("peer_group", c.peer_group) }));
  for (const g of [...gaps.slice(0, 2), ...gaps.slice(-1)]) {
    items.push(t(Math.abs(g.d) < 0.005 ? "ev.why_pillar_equal" : g.d < 0 ? "ev.why_pillar_below" : "ev.why_pillar_above", { p: label("pillar", g.p), v: fmt(g.v, 2), peer: fmt(g.peer, 2) }));
  }
  const missed = c.targets.filter((x) => x.met === false);
  // A missed target reads below its target: one more decimal while the two round alike
  // (69,6 % for a target of 70 %, not "70 % for a target of 70 %").
  const shareUnit = (i, v, d) => (INDICATORS[i] && ["share"].includes(indicatorUnits[i]) ? pct(v, d) : fmt(v, 2 + d));
  const apart = (m) => { let d = 0; while (d < 3 && shareUnit(m.indicator, m.value, d) === shareUnit(m.indicator, m.target, d)) d++; return d; };
  if (missed.length) for (const m of missed) items.push(t("ev.why_missed", { i: indicatorLabel(m.indicator), v: shareUnit(m.indicator, m.value, apart(m)), t: shareUnit(m.indicator, m.target, apart(m)) }));
  else items.push(t("ev.why_all_met"));
  // The method's absolute criteria the cluster failed this year (published evaluations made before
  // criteria existed have none).
  for (const k of (c.criteria || []).filter((x) => x.met === false)) items.push(t("ev.why_criterion", { c: lang === "fr" ? k.text_fr : k.text_en }));
  return el("ul", { class: "why" }, items.map((x) => el("li", {}, x)));
}
let indicatorUnits = {};
export async function loadIndicatorUnits() {
  if (Object.keys(indicatorUnits).length) return indicatorUnits;
  try { indicatorUnits = Object.fromEntries((await api("GET", "/api/v1/evaluate/indicators")).items.map((i) => [i.id, i.unit])); } catch { /* role without access */ }
  return indicatorUnits;
}
// An indicator's unit (share, euros…), once loadIndicatorUnits is done.
export const unitOf = (id) => indicatorUnits[id];
// An indicator's value with its unit where a bare number would mislead: shares in %, amounts in
// €, delays in days, scores out of 5; counts and ratios as numbers.
export function valueOf(id, v) {
  if (v === null || v === undefined) return "—";
  const u = indicatorUnits[id];
  if (u === "share") return pct(v, 1);
  if (u === "euros" || u === "euros per member") return euros(v);
  if (u === "days") return `${fmt(v)}\u00a0${label("unit", "days")}`;
  if (u === "1–5") return `${fmt(v, 2)}\u00a0/\u00a05`;
  return fmt(v, Math.abs(v) < 10 ? 2 : 0);
}
export const canEvaluate = () => ["admin", "state", "evaluator"].includes(me()?.user.role);
export const EVAL_YEAR = 2022;
