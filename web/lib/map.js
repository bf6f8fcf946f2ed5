// The regions' map (@svg-maps/france.regions, its ids as INSEE region codes), and the palette
// of the maps and heatmaps (from light to the DSFR's blue).
import franceRegions from "/node_modules/@svg-maps/france.regions/index.js?v=1";

const REGION_CODES = { ara: "84", bfc: "27", bre: "53", cvl: "24", cor: "94", ges: "44", hdf: "32", idf: "11", nor: "28", naq: "75", occ: "76", pdl: "52", pac: "93" };
export const PALETTE = ["#e3e3fd", "#c1c1fb", "#8585f6", "#4a4ae8", "#000091"];

// The metropolitan regions as an SVG map: `look(code)` gives each region's fill, label and title.
export function regionMap(label, look, onClick) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", franceRegions.viewBox);
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", label);
  for (const loc of franceRegions.locations) {
    const code = REGION_CODES[loc.id];
    const l = look(code);
    const p = document.createElementNS("http://www.w3.org/2000/svg", "path");
    p.setAttribute("d", loc.path);
    p.setAttribute("fill", l.fill);
    p.setAttribute("tabindex", "0");
    p.setAttribute("role", "link");
    p.setAttribute("data-region", code);
    p.setAttribute("aria-label", l.label);
    const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = l.title;
    p.append(title);
    if (onClick) {
      p.addEventListener("click", () => onClick(code));
      p.addEventListener("keydown", (e) => e.key === "Enter" && onClick(code));
    }
    svg.append(p);
  }
  return svg;
}
