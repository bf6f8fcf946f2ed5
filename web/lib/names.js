// Names (and acronyms) of the clusters and names of the regions (the registry's, public), for pages
// whose data carries codes.
import { api } from "/lib/api.js";
import { el } from "/lib/dom.js";

let namesCache = null;
export async function names() {
  namesCache ??= Promise.all([api("GET", "/api/v1/stats/clusters?year=2024"), api("GET", "/api/v1/stats/regions?year=2024")])
    .then(([c, r]) => ({ cluster: Object.fromEntries(c.clusters.map((x) => [x.id, x.name])), acronym: Object.fromEntries(c.clusters.filter((x) => x.acronym).map((x) => [x.id, x.acronym])), region: Object.fromEntries(r.regions.map((x) => [x.code, x.name])) }))
    .catch((err) => { namesCache = null; throw err; });
  return namesCache;
}
// An account's scope by the name of what it names: a region or a cluster (the registry's names),
// a member's organisation or a reviewer (read once each); the id itself when it cannot be read.
const scopes = new Map();
export async function scopeName(role, scope) {
  if (!scope) return null;
  const n = await names().catch(() => ({ cluster: {}, region: {} }));
  const entity = { member: "organisation", reviewer: "reviewer" }[role];
  if (!entity) return n.region[scope] ?? n.cluster[scope] ?? scope;
  const key = `${entity}:${scope}`;
  if (!scopes.has(key)) scopes.set(key, api("GET", `/api/v1/${entity}/${encodeURIComponent(scope)}`).then((o) => o.name, () => scope));
  return scopes.get(key);
}
export const clusterLink = (n, id) => el("a", { href: `#/cluster/${encodeURIComponent(id)}`, translate: "no" }, n.cluster[id] || id);
