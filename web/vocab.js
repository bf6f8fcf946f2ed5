// The one vocabulary: every code the API returns and a person may see (statuses, kinds, ratings,
// pillars, indicators, actions, services, programmes, roles…) with its French and English label.
// `label(kind, code)` is the only way pages show a code; a code missing here is shown as it is and
// recorded in `window.poles.vocabMisses`, which the browser test requires to stay empty.
import { lang } from "/i18n.js";

// [French, English] per code: web/vocab.json, which the server's public pages read too (one
// vocabulary for the dashboard and the portal).
const V = await fetch("/vocab.json").then((r) => r.json());

// NAF rev.2 divisions (INSEE's French titles, NACE rev.2's English ones): the sector menu shows
// each division by its own name, not its section's.
const NAF = {
  "01": ["Culture et production animale, chasse", "Crop and animal production, hunting"], "02": ["Sylviculture et exploitation forestière", "Forestry and logging"],
  "03": ["Pêche et aquaculture", "Fishing and aquaculture"], "05": ["Extraction de houille et de lignite", "Mining of coal and lignite"],
  "06": ["Extraction d'hydrocarbures", "Extraction of crude petroleum and natural gas"], "07": ["Extraction de minerais métalliques", "Mining of metal ores"],
  "08": ["Autres industries extractives", "Other mining and quarrying"], "09": ["Services de soutien aux industries extractives", "Mining support services"],
  "10": ["Industries alimentaires", "Manufacture of food products"], "11": ["Fabrication de boissons", "Manufacture of beverages"],
  "12": ["Fabrication de produits à base de tabac", "Manufacture of tobacco products"], "13": ["Fabrication de textiles", "Manufacture of textiles"],
  "14": ["Industrie de l'habillement", "Manufacture of wearing apparel"], "15": ["Industrie du cuir et de la chaussure", "Manufacture of leather products"],
  "16": ["Travail du bois et fabrication d'articles en bois", "Manufacture of wood products"], "17": ["Industrie du papier et du carton", "Manufacture of paper products"],
  "18": ["Imprimerie et reproduction d'enregistrements", "Printing and reproduction of recorded media"], "19": ["Cokéfaction et raffinage", "Coke and refined petroleum products"],
  "20": ["Industrie chimique", "Manufacture of chemicals"], "21": ["Industrie pharmaceutique", "Manufacture of pharmaceuticals"],
  "22": ["Fabrication de produits en caoutchouc et en plastique", "Manufacture of rubber and plastic products"],
  "23": ["Fabrication d'autres produits minéraux non métalliques", "Other non-metallic mineral products"], "24": ["Métallurgie", "Manufacture of basic metals"],
  "25": ["Fabrication de produits métalliques", "Manufacture of fabricated metal products"],
  "26": ["Fabrication de produits informatiques, électroniques et optiques", "Computer, electronic and optical products"],
  "27": ["Fabrication d'équipements électriques", "Manufacture of electrical equipment"], "28": ["Fabrication de machines et équipements", "Manufacture of machinery and equipment"],
  "29": ["Industrie automobile", "Manufacture of motor vehicles"], "30": ["Fabrication d'autres matériels de transport", "Other transport equipment"],
  "31": ["Fabrication de meubles", "Manufacture of furniture"], "32": ["Autres industries manufacturières", "Other manufacturing"],
  "33": ["Réparation et installation de machines", "Repair and installation of machinery"],
  "35": ["Production et distribution d'électricité, de gaz, de vapeur", "Electricity, gas and steam supply"], "36": ["Captage, traitement et distribution d'eau", "Water collection, treatment and supply"],
  "37": ["Collecte et traitement des eaux usées", "Sewerage"], "38": ["Collecte, traitement et élimination des déchets", "Waste collection, treatment and disposal"],
  "39": ["Dépollution", "Remediation activities"], "41": ["Construction de bâtiments", "Construction of buildings"], "42": ["Génie civil", "Civil engineering"],
  "43": ["Travaux de construction spécialisés", "Specialised construction activities"], "45": ["Commerce et réparation automobiles", "Motor vehicle trade and repair"],
  "46": ["Commerce de gros", "Wholesale trade"], "47": ["Commerce de détail", "Retail trade"], "49": ["Transports terrestres", "Land transport"],
  "50": ["Transports par eau", "Water transport"], "51": ["Transports aériens", "Air transport"], "52": ["Entreposage et services auxiliaires des transports", "Warehousing and support for transportation"],
  "53": ["Activités de poste et de courrier", "Postal and courier activities"], "55": ["Hébergement", "Accommodation"], "56": ["Restauration", "Food and beverage service"],
  "58": ["Édition", "Publishing"], "59": ["Production de films, vidéo, télévision ; musique", "Film, video, television and music"], "60": ["Programmation et diffusion", "Broadcasting"],
  "61": ["Télécommunications", "Telecommunications"], "62": ["Programmation, conseil et autres activités informatiques", "Computer programming and consultancy"],
  "63": ["Services d'information", "Information services"], "64": ["Activités des services financiers", "Financial services"], "65": ["Assurance", "Insurance"],
  "66": ["Activités auxiliaires de services financiers et d'assurance", "Activities auxiliary to finance and insurance"], "68": ["Activités immobilières", "Real estate activities"],
  "69": ["Activités juridiques et comptables", "Legal and accounting activities"], "70": ["Activités des sièges sociaux ; conseil de gestion", "Head offices; management consultancy"],
  "71": ["Architecture et ingénierie ; contrôle et analyses techniques", "Architecture and engineering; technical testing"], "72": ["Recherche-développement scientifique", "Scientific research and development"],
  "73": ["Publicité et études de marché", "Advertising and market research"], "74": ["Autres activités spécialisées, scientifiques et techniques", "Other professional, scientific and technical activities"],
  "75": ["Activités vétérinaires", "Veterinary activities"], "77": ["Activités de location et location-bail", "Rental and leasing"], "78": ["Activités liées à l'emploi", "Employment activities"],
  "79": ["Agences de voyage, voyagistes", "Travel agencies and tour operators"], "80": ["Enquêtes et sécurité", "Security and investigation"],
  "81": ["Services relatifs aux bâtiments et aménagement paysager", "Services to buildings and landscape"], "82": ["Activités administratives et de soutien aux entreprises", "Office administrative and business support"],
  "84": ["Administration publique et défense", "Public administration and defence"], "85": ["Enseignement", "Education"], "86": ["Activités pour la santé humaine", "Human health activities"],
  "87": ["Hébergement médico-social et social", "Residential care"], "88": ["Action sociale sans hébergement", "Social work without accommodation"],
  "90": ["Activités créatives, artistiques et de spectacle", "Creative, arts and entertainment"], "91": ["Bibliothèques, archives, musées", "Libraries, archives, museums"],
  "92": ["Organisation de jeux de hasard et d'argent", "Gambling and betting"], "93": ["Activités sportives, récréatives et de loisirs", "Sports, amusement and recreation"],
  "94": ["Activités des organisations associatives", "Activities of membership organisations"], "95": ["Réparation d'ordinateurs et de biens personnels", "Repair of computers and household goods"],
  "96": ["Autres services personnels", "Other personal services"], "97": ["Activités des ménages en tant qu'employeurs", "Households as employers"],
  "98": ["Activités indifférenciées des ménages", "Undifferentiated household activities"], "99": ["Activités extra-territoriales", "Extraterritorial organisations"],
};

// The evaluation's indicators: label, unit and a definition in both languages (the API's formula
// is the English definition's source; units are the API's).
// The indicators' names and definitions, and the units: web/vocab.json too (the reports read them).
export const INDICATORS = Object.fromEntries(Object.entries(V.indicator).map(([id, [fr, en]]) =>
  [id, { fr, en, defFr: V.indicator_definition[id]?.[0], defEn: V.indicator_definition[id]?.[1] }]));
export const UNITS = V.unit;

window.poles ??= {};
window.poles.vocabMisses ??= [];
const i = () => (lang === "fr" ? 0 : 1);

export function label(kind, code) {
  if (code === null || code === undefined || code === "") return "—";
  if (kind === "indicator") return indicatorLabel(code);
  if (kind === "naf") return NAF[code]?.[i()] ?? miss(kind, code);
  const entry = V[kind]?.[code];
  return entry ? entry[i()] : miss(kind, code);
}
// Whether the vocabulary has a word for a code (no miss recorded when it has none).
export const hasLabel = (kind, code) => Boolean(kind === "naf" ? NAF[code] : V[kind]?.[code]);
function miss(kind, code) {
  window.poles.vocabMisses.push(`${kind}:${code}`);
  return String(code);
}
// A `|`-separated list of codes (themes), each labelled.
export const labels = (kind, list) => (list ? String(list).split("|").map((c) => label(kind, c)).join(", ") : "—");
export function indicatorLabel(id) {
  const d = INDICATORS[id];
  return d ? d[lang] : miss("indicator", id);
}
export function indicatorDefinition(id) {
  const d = INDICATORS[id];
  return d ? (lang === "fr" ? d.defFr : d.defEn) : "";
}
export const unitLabel = (u) => UNITS[u]?.[i()] ?? miss("unit", u);
// An import's field (a file's column header): its label; a name outside the schema (a request's
// own fields: file, mapping…) as it is.
export const fieldLabel = (name) => (V.field[name] ? V.field[name][i()] : String(name ?? ""));
// The vocabulary a list of codes belongs to: the first whose codes hold them all (null if none).
export function kindOfCodes(codes) {
  if (!codes?.length) return null;
  for (const [kind, entries] of Object.entries(V)) if (kind !== "field" && codes.every((c) => entries[c])) return kind;
  return null;
}
// A list of codes as a file must hold them, each with its label where it differs: the codes in
// <code translate="no"> (a file's values, not words of the page).
export function codesWithLabels(codes) {
  const kind = kindOfCodes(codes);
  const out = document.createElement("span");
  codes.forEach((c, j) => {
    if (j) out.append(", ");
    const code = document.createElement("code");
    code.setAttribute("translate", "no");
    code.textContent = c;
    out.append(code);
    const word = kind ? V[kind][c][i()] : null;
    if (word && word.toLowerCase() !== String(c).toLowerCase()) out.append(` (${word})`);
  });
  return out;
}
// A validation rule as the server words it, its list of admitted codes ("must be one of: a, b")
// shown with their labels.
export function ruleText(rule) {
  const m = /^(.*:\s*)([a-z0-9_]+(?:, [a-z0-9_]+)+)$/.exec(String(rule ?? ""));
  if (!m) return String(rule ?? "");
  const out = document.createElement("span");
  out.append(m[1], codesWithLabels(m[2].split(", ")));
  return out;
}
// Every catalogue entry (the browser test scans rendered text against it).
export function catalogue() {
  const out = [];
  for (const [kind, codes] of Object.entries(V)) for (const [code, [fr, en]] of Object.entries(codes)) out.push({ kind, code, fr, en });
  for (const [code, [fr, en]] of Object.entries(NAF)) out.push({ kind: "naf", code, fr, en });
  for (const [code, d] of Object.entries(INDICATORS)) out.push({ kind: "indicator", code, fr: d.fr, en: d.en });
  return out;
}
window.poles.catalogue = catalogue;
