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
const I = (fr, en, defFr, defEn) => ({ fr, en, defFr, defEn });
export const INDICATORS = {
  members: I("Membres", "Members", "membres dont l'adhésion couvre une partie de l'année", "members whose membership covers part of the year"),
  companies: I("Entreprises membres", "Member companies", "entreprises membres", "member companies"),
  sme_members: I("PME membres", "SME members", "entreprises membres de taille TPE ou PME", "member companies of size class TPE or PME"),
  sme_member_share: I("Part de PME parmi les membres", "SME share of members", "PME membres / membres", "SME member companies / members"),
  research_members: I("Membres de la recherche", "Research members", "membres organismes de recherche ou d'enseignement supérieur", "members that are research bodies or higher education"),
  member_growth: I("Croissance des membres", "Member growth", "(membres − membres de l'année précédente) / membres de l'année précédente", "(members − members of the year before) / members of the year before"),
  member_retention: I("Fidélisation des membres", "Member retention", "membres de l'année précédente encore membres / membres de l'année précédente", "members of the year before still members this year / members of the year before"),
  new_members: I("Nouveaux membres", "New members", "adhésions commençant dans l'année", "memberships starting in the year"),
  members_outside_region: I("Membres hors région", "Members outside the region", "membres situés hors de la région du pôle / membres de région connue", "members outside the cluster's home region / members with a known region"),
  projects_labelled: I("Projets labellisés", "Projects labelled", "projets labellisés par le pôle dans l'année", "projects the cluster labelled in the year"),
  success_rate: I("Taux de succès", "Success rate", "projets labellisés dans l'année et financés / projets labellisés dans l'année", "projects labelled in the year that were funded / projects labelled in the year"),
  projects_funded: I("Projets financés", "Projects funded", "projets du pôle commençant dans l'année avec une aide publique", "the cluster's projects starting in the year with public aid"),
  project_budget: I("Budget des projets", "Project budget", "coût total des projets commençant dans l'année", "total cost of the cluster's projects starting in the year"),
  public_aid: I("Aide publique", "Public aid", "aide publique des projets commençant dans l'année", "public aid of the cluster's projects starting in the year"),
  leverage: I("Effet de levier", "Leverage", "(coût total − aide publique) / aide publique des projets financés", "(total cost − public aid) / public aid of the funded projects"),
  inter_cluster_share: I("Part de projets inter-pôles", "Inter-cluster share", "projets labellisés aussi par un autre pôle / projets", "projects labelled by another cluster too / projects"),
  interregional_share: I("Part de projets interrégionaux", "Interregional share", "projets avec un partenaire hors région / projets", "projects with a partner outside the home region / projects"),
  sme_participation: I("Participation des PME", "SME participation", "participations de PME / participations", "participations of SMEs / participations"),
  european_projects: I("Projets européens", "European projects", "projets du 7e PCRD, d'Horizon 2020 et d'Horizon Europe labellisés par le pôle, commençant dans l'année", "FP7, H2020 and Horizon Europe projects labelled by the cluster starting in the year"),
  european_aid: I("Aide européenne", "European aid", "aide publique des projets européens", "public aid of the European projects"),
  members_european_projects: I("Projets européens des membres", "Members' European projects", "projets européens (7e PCRD, Horizon 2020, Horizon Europe) commençant dans l'année avec un membre du pôle parmi les partenaires, hors ceux que le pôle a labellisés", "European projects (FP7, H2020, Horizon Europe) starting in the year with a member of the cluster among the partners, those it labelled excepted"),
  mean_aid: I("Aide moyenne par projet", "Mean aid per project", "aide publique / projets financés (plus haut : moins de saupoudrage)", "public aid / funded projects (higher: less sprinkling)"),
  aid_concentration: I("Concentration de l'aide", "Aid concentration", "indice de Herfindahl des aides par projet (plus haut : moins de saupoudrage)", "Herfindahl index of aid by project (higher: less sprinkling)"),
  results: I("Résultats", "Results", "résultats des projets datés de l'année", "results of the cluster's projects dated in the year"),
  results_per_project: I("Résultats par projet", "Results per project", "résultats de l'année / projets terminés dans l'année", "results dated in the year / projects ending in the year"),
  products_on_market: I("Produits mis sur le marché", "Products on the market", "produits, services et procédés datés de l'année", "products, services and processes dated in the year"),
  time_to_market: I("Délai de mise sur le marché", "Time to market", "délai médian du financement au marché", "median days from funding to market"),
  trl_gain: I("Gain de TRL", "TRL gain", "TRL atteint − TRL de départ des projets terminés", "TRL reached − TRL at start of completed projects"),
  patents: I("Brevets", "Patents", "brevets datés de l'année", "patents dated in the year"),
  spin_offs: I("Essaimages", "Spin-offs", "essaimages datés de l'année", "spin-offs dated in the year"),
  jobs_from_results: I("Emplois issus des résultats", "Jobs from results", "emplois déclarés avec les résultats de l'année", "jobs declared with results dated in the year"),
  services_delivered: I("Services rendus", "Services delivered", "actions de services du pôle dans l'année", "services (actions) of the cluster in the year"),
  services_per_member: I("Services par membre", "Services per member", "services / membres", "services / members"),
  sme_reach: I("PME touchées par les services", "SME reach", "PME membres ayant pris part à un service / PME membres", "SME members taking part in a service / SME members"),
  international_missions: I("Missions internationales", "International missions", "missions à l'international dans l'année", "international missions in the year"),
  b2b_meetings: I("Rendez-vous d'affaires", "B2B meetings", "rendez-vous d'affaires dans l'année", "B2B meetings in the year"),
  financing_raised: I("Financements levés", "Financing raised", "financements levés par les participants après un service", "financing raised by participants after a service"),
  digital_diagnostics: I("Diagnostics numériques", "Digital diagnostics", "diagnostics numériques réalisés par le pôle", "digital diagnostics made by the cluster"),
  satisfaction: I("Satisfaction", "Satisfaction", "satisfaction moyenne des participants (1 à 5)", "mean satisfaction of participants (1–5)"),
  budget: I("Budget du pôle", "Cluster budget", "budget de la structure d'animation", "the cluster organisation's budget"),
  private_funding_share: I("Part de financement privé", "Private funding share", "financement privé / budget (cible ≥ 50 %)", "private funding / budget (target ≥ 50 %)"),
  staff: I("Équipe (ETP)", "Staff (FTE)", "équivalents temps plein de l'équipe", "full-time equivalents of the team"),
  public_funding: I("Financement public du pôle", "Public funding of the cluster", "financements de l'État, des régions et d'autres organismes publics reçus par la structure", "funding from the State, regions and other public bodies received by the cluster organisation"),
  member_jobs: I("Emplois des membres", "Member jobs", "effectif des entreprises membres du panel", "headcount of member firms in the panel"),
  member_jobs_growth: I("Croissance de l'emploi des membres", "Member job growth", "croissance de l'effectif des entreprises membres", "headcount growth of member firms"),
  member_rd_staff: I("Personnel de R&D des membres", "Member R&D staff", "personnel de R&D des entreprises membres (ETP)", "R&D staff of member firms (FTE)"),
};
export const UNITS = {
  organisations: ["organisations", "organisations"], share: ["%", "%"], projects: ["projets", "projects"], euros: ["€", "€"], ratio: ["ratio", "ratio"],
  HHI: ["indice", "index"], results: ["résultats", "results"], days: ["jours", "days"], "TRL levels": ["niveaux de TRL", "TRL levels"], jobs: ["emplois", "jobs"],
  actions: ["actions", "actions"], diagnostics: ["diagnostics", "diagnostics"], "1–5": ["note de 1 à 5", "score 1–5"], FTE: ["ETP", "FTE"],
};

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
export const hasLabel = (kind, code) => Boolean(V[kind]?.[code]);
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
// Every catalogue entry (the browser test scans rendered text against it).
export function catalogue() {
  const out = [];
  for (const [kind, codes] of Object.entries(V)) for (const [code, [fr, en]] of Object.entries(codes)) out.push({ kind, code, fr, en });
  for (const [code, [fr, en]] of Object.entries(NAF)) out.push({ kind: "naf", code, fr, en });
  for (const [code, d] of Object.entries(INDICATORS)) out.push({ kind: "indicator", code, fr: d.fr, en: d.en });
  return out;
}
window.poles.catalogue = catalogue;
