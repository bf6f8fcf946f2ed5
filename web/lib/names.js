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
export const clusterLink = (n, id) => el("a", { href: `#/cluster/${encodeURIComponent(id)}`, translate: "no" }, n.cluster[id] || id);
