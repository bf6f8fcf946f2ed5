#include "core/codes.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace poles::codes {
namespace {

constexpr std::array kRegions = {
    Region{"01", "Guadeloupe", true},
    Region{"02", "Martinique", true},
    Region{"03", "Guyane", true},
    Region{"04", "La Réunion", true},
    Region{"06", "Mayotte", true},
    Region{"11", "Île-de-France", false},
    Region{"24", "Centre-Val de Loire", false},
    Region{"27", "Bourgogne-Franche-Comté", false},
    Region{"28", "Normandie", false},
    Region{"32", "Hauts-de-France", false},
    Region{"44", "Grand Est", false},
    Region{"52", "Pays de la Loire", false},
    Region{"53", "Bretagne", false},
    Region{"75", "Nouvelle-Aquitaine", false},
    Region{"76", "Occitanie", false},
    Region{"84", "Auvergne-Rhône-Alpes", false},
    Region{"93", "Provence-Alpes-Côte d'Azur", false},
    Region{"94", "Corse", false},
};

constexpr std::array kDepartments = {
    Department{"01", "Ain", "84"},
    Department{"02", "Aisne", "32"},
    Department{"03", "Allier", "84"},
    Department{"04", "Alpes-de-Haute-Provence", "93"},
    Department{"05", "Hautes-Alpes", "93"},
    Department{"06", "Alpes-Maritimes", "93"},
    Department{"07", "Ardèche", "84"},
    Department{"08", "Ardennes", "44"},
    Department{"09", "Ariège", "76"},
    Department{"10", "Aube", "44"},
    Department{"11", "Aude", "76"},
    Department{"12", "Aveyron", "76"},
    Department{"13", "Bouches-du-Rhône", "93"},
    Department{"14", "Calvados", "28"},
    Department{"15", "Cantal", "84"},
    Department{"16", "Charente", "75"},
    Department{"17", "Charente-Maritime", "75"},
    Department{"18", "Cher", "24"},
    Department{"19", "Corrèze", "75"},
    Department{"21", "Côte-d'Or", "27"},
    Department{"22", "Côtes-d'Armor", "53"},
    Department{"23", "Creuse", "75"},
    Department{"24", "Dordogne", "75"},
    Department{"25", "Doubs", "27"},
    Department{"26", "Drôme", "84"},
    Department{"27", "Eure", "28"},
    Department{"28", "Eure-et-Loir", "24"},
    Department{"29", "Finistère", "53"},
    Department{"2A", "Corse-du-Sud", "94"},
    Department{"2B", "Haute-Corse", "94"},
    Department{"30", "Gard", "76"},
    Department{"31", "Haute-Garonne", "76"},
    Department{"32", "Gers", "76"},
    Department{"33", "Gironde", "75"},
    Department{"34", "Hérault", "76"},
    Department{"35", "Ille-et-Vilaine", "53"},
    Department{"36", "Indre", "24"},
    Department{"37", "Indre-et-Loire", "24"},
    Department{"38", "Isère", "84"},
    Department{"39", "Jura", "27"},
    Department{"40", "Landes", "75"},
    Department{"41", "Loir-et-Cher", "24"},
    Department{"42", "Loire", "84"},
    Department{"43", "Haute-Loire", "84"},
    Department{"44", "Loire-Atlantique", "52"},
    Department{"45", "Loiret", "24"},
    Department{"46", "Lot", "76"},
    Department{"47", "Lot-et-Garonne", "75"},
    Department{"48", "Lozère", "76"},
    Department{"49", "Maine-et-Loire", "52"},
    Department{"50", "Manche", "28"},
    Department{"51", "Marne", "44"},
    Department{"52", "Haute-Marne", "44"},
    Department{"53", "Mayenne", "52"},
    Department{"54", "Meurthe-et-Moselle", "44"},
    Department{"55", "Meuse", "44"},
    Department{"56", "Morbihan", "53"},
    Department{"57", "Moselle", "44"},
    Department{"58", "Nièvre", "27"},
    Department{"59", "Nord", "32"},
    Department{"60", "Oise", "32"},
    Department{"61", "Orne", "28"},
    Department{"62", "Pas-de-Calais", "32"},
    Department{"63", "Puy-de-Dôme", "84"},
    Department{"64", "Pyrénées-Atlantiques", "75"},
    Department{"65", "Hautes-Pyrénées", "76"},
    Department{"66", "Pyrénées-Orientales", "76"},
    Department{"67", "Bas-Rhin", "44"},
    Department{"68", "Haut-Rhin", "44"},
    Department{"69", "Rhône", "84"},
    Department{"70", "Haute-Saône", "27"},
    Department{"71", "Saône-et-Loire", "27"},
    Department{"72", "Sarthe", "52"},
    Department{"73", "Savoie", "84"},
    Department{"74", "Haute-Savoie", "84"},
    Department{"75", "Paris", "11"},
    Department{"76", "Seine-Maritime", "28"},
    Department{"77", "Seine-et-Marne", "11"},
    Department{"78", "Yvelines", "11"},
    Department{"79", "Deux-Sèvres", "75"},
    Department{"80", "Somme", "32"},
    Department{"81", "Tarn", "76"},
    Department{"82", "Tarn-et-Garonne", "76"},
    Department{"83", "Var", "93"},
    Department{"84", "Vaucluse", "93"},
    Department{"85", "Vendée", "52"},
    Department{"86", "Vienne", "75"},
    Department{"87", "Haute-Vienne", "75"},
    Department{"88", "Vosges", "44"},
    Department{"89", "Yonne", "27"},
    Department{"90", "Territoire de Belfort", "27"},
    Department{"91", "Essonne", "11"},
    Department{"92", "Hauts-de-Seine", "11"},
    Department{"93", "Seine-Saint-Denis", "11"},
    Department{"94", "Val-de-Marne", "11"},
    Department{"95", "Val-d'Oise", "11"},
    Department{"971", "Guadeloupe", "01"},
    Department{"972", "Martinique", "02"},
    Department{"973", "Guyane", "03"},
    Department{"974", "La Réunion", "04"},
    Department{"976", "Mayotte", "06"},
};

// NAF rev.2 divisions and their sections (INSEE, 2008).
struct Division {
  int number;
  char section;
};
constexpr std::array kSectionRanges = {
    std::pair{'A', std::pair{1, 3}},   std::pair{'B', std::pair{5, 9}},
    std::pair{'C', std::pair{10, 33}}, std::pair{'D', std::pair{35, 35}},
    std::pair{'E', std::pair{36, 39}}, std::pair{'F', std::pair{41, 43}},
    std::pair{'G', std::pair{45, 47}}, std::pair{'H', std::pair{49, 53}},
    std::pair{'I', std::pair{55, 56}}, std::pair{'J', std::pair{58, 63}},
    std::pair{'K', std::pair{64, 66}}, std::pair{'L', std::pair{68, 68}},
    std::pair{'M', std::pair{69, 75}}, std::pair{'N', std::pair{77, 82}},
    std::pair{'O', std::pair{84, 84}}, std::pair{'P', std::pair{85, 85}},
    std::pair{'Q', std::pair{86, 88}}, std::pair{'R', std::pair{90, 93}},
    std::pair{'S', std::pair{94, 96}}, std::pair{'T', std::pair{97, 98}},
    std::pair{'U', std::pair{99, 99}},
};
// Division numbers that do not exist inside the section ranges above.
constexpr std::array kMissingDivisions = {4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89};

constexpr std::array<std::pair<char, std::string_view>, 21> kSectionNames = {{
    {'A', "Agriculture, sylviculture et pêche"},
    {'B', "Industries extractives"},
    {'C', "Industrie manufacturière"},
    {'D', "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné"},
    {'E', "Production et distribution d'eau ; assainissement, gestion des déchets et dépollution"},
    {'F', "Construction"},
    {'G', "Commerce ; réparation d'automobiles et de motocycles"},
    {'H', "Transports et entreposage"},
    {'I', "Hébergement et restauration"},
    {'J', "Information et communication"},
    {'K', "Activités financières et d'assurance"},
    {'L', "Activités immobilières"},
    {'M', "Activités spécialisées, scientifiques et techniques"},
    {'N', "Activités de services administratifs et de soutien"},
    {'O', "Administration publique"},
    {'P', "Enseignement"},
    {'Q', "Santé humaine et action sociale"},
    {'R', "Arts, spectacles et activités récréatives"},
    {'S', "Autres activités de services"},
    {'T', "Activités des ménages en tant qu'employeurs"},
    {'U', "Activités extra-territoriales"},
}};

// A code's French and English titles.
struct NafTitle {
  std::string_view code, fr, en;
};
struct A38 {
  std::string_view code;
  int from, to;  // its divisions
  std::string_view fr, en;
};
// NAF rev.2 divisions (A88): INSEE's French titles and NACE rev.2's English ones.
constexpr std::array<NafTitle, 88> kDivisionTitles = {{
    {"01", "Culture et production animale, chasse et services annexes",
     "Crop and animal production, hunting and related service activities"},
    {"02", "Sylviculture et exploitation forestière", "Forestry and logging"},
    {"03", "Pêche et aquaculture", "Fishing and aquaculture"},
    {"05", "Extraction de houille et de lignite", "Mining of coal and lignite"},
    {"06", "Extraction d'hydrocarbures", "Extraction of crude petroleum and natural gas"},
    {"07", "Extraction de minerais métalliques", "Mining of metal ores"},
    {"08", "Autres industries extractives", "Other mining and quarrying"},
    {"09", "Services de soutien aux industries extractives", "Mining support service activities"},
    {"10", "Industries alimentaires", "Manufacture of food products"},
    {"11", "Fabrication de boissons", "Manufacture of beverages"},
    {"12", "Fabrication de produits à base de tabac", "Manufacture of tobacco products"},
    {"13", "Fabrication de textiles", "Manufacture of textiles"},
    {"14", "Industrie de l'habillement", "Manufacture of wearing apparel"},
    {"15", "Industrie du cuir et de la chaussure", "Manufacture of leather and related products"},
    {"16",
     "Travail du bois et fabrication d'articles en bois et en liège, à l’exception des meubles ; "
     "fabrication d’articles en vannerie et sparterie",
     "Manufacture of wood and of products of wood and cork, except furniture; manufacture of "
     "articles of straw and plaiting materials"},
    {"17", "Industrie du papier et du carton", "Manufacture of paper and paper products"},
    {"18", "Imprimerie et reproduction d'enregistrements",
     "Printing and reproduction of recorded media"},
    {"19", "Cokéfaction et raffinage", "Manufacture of coke and refined petroleum products"},
    {"20", "Industrie chimique", "Manufacture of chemicals and chemical products"},
    {"21", "Industrie pharmaceutique",
     "Manufacture of basic pharmaceutical products and pharmaceutical preparations"},
    {"22", "Fabrication de produits en caoutchouc et en plastique",
     "Manufacture of rubber and plastic products"},
    {"23", "Fabrication d'autres produits minéraux non métalliques",
     "Manufacture of other non-metallic mineral products"},
    {"24", "Métallurgie", "Manufacture of basic metals"},
    {"25", "Fabrication de produits métalliques, à l’exception des machines et des équipements",
     "Manufacture of fabricated metal products, except machinery and equipment"},
    {"26", "Fabrication de produits informatiques, électroniques et optiques",
     "Manufacture of computer, electronic and optical products"},
    {"27", "Fabrication d'équipements électriques", "Manufacture of electrical equipment"},
    {"28", "Fabrication de machines et équipements n.c.a.",
     "Manufacture of machinery and equipment n.e.c."},
    {"29", "Industrie automobile", "Manufacture of motor vehicles, trailers and semi-trailers"},
    {"30", "Fabrication d'autres matériels de transport",
     "Manufacture of other transport equipment"},
    {"31", "Fabrication de meubles", "Manufacture of furniture"},
    {"32", "Autres industries manufacturières", "Other manufacturing"},
    {"33", "Réparation et installation de machines et d'équipements",
     "Repair and installation of machinery and equipment"},
    {"35", "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné",
     "Electricity, gas, steam and air conditioning supply"},
    {"36", "Captage, traitement et distribution d'eau", "Water collection, treatment and supply"},
    {"37", "Collecte et traitement des eaux usées", "Sewerage"},
    {"38", "Collecte, traitement et élimination des déchets ; récupération",
     "Waste collection, treatment and disposal activities; materials recovery"},
    {"39", "Dépollution et autres services de gestion des déchets",
     "Remediation activities and other waste management services"},
    {"41", "Construction de bâtiments", "Construction of buildings"},
    {"42", "Génie civil", "Civil engineering"},
    {"43", "Travaux de construction spécialisés", "Specialised construction activities"},
    {"45", "Commerce et réparation d'automobiles et de motocycles",
     "Wholesale and retail trade and repair of motor vehicles and motorcycles"},
    {"46", "Commerce de gros, à l’exception des automobiles et des motocycles",
     "Wholesale trade, except of motor vehicles and motorcycles"},
    {"47", "Commerce de détail, à l’exception des automobiles et des motocycles",
     "Retail trade, except of motor vehicles and motorcycles"},
    {"49", "Transports terrestres et transport par conduites",
     "Land transport and transport via pipelines"},
    {"50", "Transports par eau", "Water transport"},
    {"51", "Transports aériens", "Air transport"},
    {"52", "Entreposage et services auxiliaires des transports",
     "Warehousing and support activities for transportation"},
    {"53", "Activités de poste et de courrier", "Postal and courier activities"},
    {"55", "Hébergement", "Accommodation"},
    {"56", "Restauration", "Food and beverage service activities"},
    {"58", "Édition", "Publishing activities"},
    {"59",
     "Production de films cinématographiques, de vidéo et de programmes de télévision ; "
     "enregistrement sonore et édition musicale",
     "Motion picture, video and television programme production, sound recording and music "
     "publishing activities"},
    {"60", "Programmation et diffusion", "Programming and broadcasting activities"},
    {"61", "Télécommunications", "Telecommunications"},
    {"62", "Programmation, conseil et autres activités informatiques",
     "Computer programming, consultancy and related activities"},
    {"63", "Services d'information", "Information service activities"},
    {"64", "Activités des services financiers, hors assurance et caisses de retraite",
     "Financial service activities, except insurance and pension funding"},
    {"65", "Assurance",
     "Insurance, reinsurance and pension funding, except compulsory social security"},
    {"66", "Activités auxiliaires de services financiers et d'assurance",
     "Activities auxiliary to financial services and insurance activities"},
    {"68", "Activités immobilières", "Real estate activities"},
    {"69", "Activités juridiques et comptables", "Legal and accounting activities"},
    {"70", "Activités des sièges sociaux ; conseil de gestion",
     "Activities of head offices; management consultancy activities"},
    {"71",
     "Activités d'architecture et d'ingénierie ; activités de contrôle et analyses techniques",
     "Architectural and engineering activities; technical testing and analysis"},
    {"72", "Recherche-développement scientifique", "Scientific research and development"},
    {"73", "Publicité et études de marché", "Advertising and market research"},
    {"74", "Autres activités spécialisées, scientifiques et techniques",
     "Other professional, scientific and technical activities"},
    {"75", "Activités vétérinaires", "Veterinary activities"},
    {"77", "Activités de location et location-bail", "Rental and leasing activities"},
    {"78", "Activités liées à l'emploi", "Employment activities"},
    {"79",
     "Activités des agences de voyage, voyagistes, services de réservation et activités connexes",
     "Travel agency, tour operator and other reservation service and related activities"},
    {"80", "Enquêtes et sécurité", "Security and investigation activities"},
    {"81", "Services relatifs aux bâtiments et aménagement paysager",
     "Services to buildings and landscape activities"},
    {"82", "Activités administratives et autres activités de soutien aux entreprises",
     "Office administrative, office support and other business support activities"},
    {"84", "Administration publique et défense ; sécurité sociale obligatoire",
     "Public administration and defence; compulsory social security"},
    {"85", "Enseignement", "Education"},
    {"86", "Activités pour la santé humaine", "Human health activities"},
    {"87", "Hébergement médico-social et social", "Residential care activities"},
    {"88", "Action sociale sans hébergement", "Social work activities without accommodation"},
    {"90", "Activités créatives, artistiques et de spectacle",
     "Creative, arts and entertainment activities"},
    {"91", "Bibliothèques, archives, musées et autres activités culturelles",
     "Libraries, archives, museums and other cultural activities"},
    {"92", "Organisation de jeux de hasard et d'argent", "Gambling and betting activities"},
    {"93", "Activités sportives, récréatives et de loisirs",
     "Sports activities and amusement and recreation activities"},
    {"94", "Activités des organisations associatives", "Activities of membership organisations"},
    {"95", "Réparation d'ordinateurs et de biens personnels et domestiques",
     "Repair of computers and personal and household goods"},
    {"96", "Autres services personnels", "Other personal service activities"},
    {"97", "Activités des ménages en tant qu'employeurs de personnel domestique",
     "Activities of households as employers of domestic personnel"},
    {"98",
     "Activités indifférenciées des ménages en tant que producteurs de biens et services pour "
     "usage propre",
     "Undifferentiated goods- and services-producing activities of private households for own use"},
    {"99", "Activités des organisations et organismes extraterritoriaux",
     "Activities of extraterritorial organisations and bodies"},
}};
// INSEE's aggregated level A38 (and Eurostat's A*38): divisions from..to.
constexpr std::array<A38, 38> kA38 = {{
    {"AZ", 1, 3, "Agriculture, sylviculture et pêche", "Agriculture, forestry and fishing"},
    {"BZ", 5, 9, "Industries extractives", "Mining and quarrying"},
    {"CA", 10, 12,
     "Fabrication de denrées alimentaires, de boissons et de produits à base de tabac",
     "Manufacture of food products, beverages and tobacco products"},
    {"CB", 13, 15,
     "Fabrication de textiles, industries de l'habillement, industrie du cuir et de la chaussure",
     "Manufacture of textiles, wearing apparel, leather and related products"},
    {"CC", 16, 18, "Travail du bois, industries du papier et imprimerie",
     "Manufacture of wood and paper products, and printing"},
    {"CD", 19, 19, "Cokéfaction et raffinage",
     "Manufacture of coke and refined petroleum products"},
    {"CE", 20, 20, "Industrie chimique", "Manufacture of chemicals and chemical products"},
    {"CF", 21, 21, "Industrie pharmaceutique",
     "Manufacture of basic pharmaceutical products and pharmaceutical preparations"},
    {"CG", 22, 23,
     "Fabrication de produits en caoutchouc et en plastique ainsi que d'autres produits minéraux "
     "non métalliques",
     "Manufacture of rubber and plastics products, and other non-metallic mineral products"},
    {"CH", 24, 25,
     "Métallurgie et fabrication de produits métalliques à l'exception des machines et des "
     "équipements",
     "Manufacture of basic metals and fabricated metal products, except machinery and equipment"},
    {"CI", 26, 26, "Fabrication de produits informatiques, électroniques et optiques",
     "Manufacture of computer, electronic and optical products"},
    {"CJ", 27, 27, "Fabrication d'équipements électriques", "Manufacture of electrical equipment"},
    {"CK", 28, 28, "Fabrication de machines et équipements n.c.a.",
     "Manufacture of machinery and equipment n.e.c."},
    {"CL", 29, 30, "Fabrication de matériels de transport", "Manufacture of transport equipment"},
    {"CM", 31, 33,
     "Autres industries manufacturières ; réparation et installation de machines et d'équipements",
     "Other manufacturing; repair and installation of machinery and equipment"},
    {"DZ", 35, 35,
     "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné",
     "Electricity, gas, steam and air conditioning supply"},
    {"EZ", 36, 39,
     "Production et distribution d'eau ; assainissement, gestion des déchets et dépollution",
     "Water supply; sewerage, waste management and remediation activities"},
    {"FZ", 41, 43, "Construction", "Construction"},
    {"GZ", 45, 47, "Commerce ; réparation d'automobiles et de motocycles",
     "Wholesale and retail trade; repair of motor vehicles and motorcycles"},
    {"HZ", 49, 53, "Transports et entreposage", "Transportation and storage"},
    {"IZ", 55, 56, "Hébergement et restauration", "Accommodation and food service activities"},
    {"JA", 58, 60, "Édition, audiovisuel et diffusion",
     "Publishing, audiovisual and broadcasting activities"},
    {"JB", 61, 61, "Télécommunications", "Telecommunications"},
    {"JC", 62, 63, "Activités informatiques et services d'information",
     "IT and other information services"},
    {"KZ", 64, 66, "Activités financières et d'assurance", "Financial and insurance activities"},
    {"LZ", 68, 68, "Activités immobilières", "Real estate activities"},
    {"MA", 69, 71,
     "Activités juridiques, comptables, de gestion, d'architecture, d'ingénierie, de contrôle et "
     "d'analyses techniques",
     "Legal, accounting, management, architecture, engineering, technical testing and analysis "
     "activities"},
    {"MB", 72, 72, "Recherche-développement scientifique", "Scientific research and development"},
    {"MC", 73, 75, "Autres activités spécialisées, scientifiques et techniques",
     "Other professional, scientific and technical activities"},
    {"NZ", 77, 82, "Activités de services administratifs et de soutien",
     "Administrative and support service activities"},
    {"OZ", 84, 84, "Administration publique",
     "Public administration and defence; compulsory social security"},
    {"PZ", 85, 85, "Enseignement", "Education"},
    {"QA", 86, 86, "Activités pour la santé humaine", "Human health activities"},
    {"QB", 87, 88, "Hébergement médico-social et social et action sociale sans hébergement",
     "Residential care and social work activities"},
    {"RZ", 90, 93, "Arts, spectacles et activités récréatives",
     "Arts, entertainment and recreation"},
    {"SZ", 94, 96, "Autres activités de services", "Other service activities"},
    {"TZ", 97, 98,
     "Activités des ménages en tant qu'employeurs ; activités indifférenciées des ménages en tant "
     "que producteurs de biens et services pour usage propre",
     "Activities of households as employers; undifferentiated goods- and services-producing "
     "activities of households for own use"},
    {"UZ", 99, 99, "Activités extra-territoriales",
     "Activities of extraterritorial organisations and bodies"},
}};
constexpr std::array<std::pair<char, std::string_view>, 21> kSectionNamesEn = {{
    {'A', "Agriculture, forestry and fishing"},
    {'B', "Mining and quarrying"},
    {'C', "Manufacturing"},
    {'D', "Electricity, gas, steam and air conditioning supply"},
    {'E', "Water supply; sewerage, waste management and remediation activities"},
    {'F', "Construction"},
    {'G', "Wholesale and retail trade; repair of motor vehicles and motorcycles"},
    {'H', "Transportation and storage"},
    {'I', "Accommodation and food service activities"},
    {'J', "Information and communication"},
    {'K', "Financial and insurance activities"},
    {'L', "Real estate activities"},
    {'M', "Professional, scientific and technical activities"},
    {'N', "Administrative and support service activities"},
    {'O', "Public administration and defence; compulsory social security"},
    {'P', "Education"},
    {'Q', "Human health and social work activities"},
    {'R', "Arts, entertainment and recreation"},
    {'S', "Other service activities"},
    {'T',
     "Activities of households as employers; undifferentiated goods- and services-producing "
     "activities of households for own use"},
    {'U', "Activities of extraterritorial organisations and bodies"},
}};

// ISO 3166-1 alpha-2, officially assigned codes.
constexpr std::string_view kCountries =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW XK";

int parse_two_digits(std::string_view s) {
  if (s.size() != 2 || !std::isdigit(static_cast<unsigned char>(s[0])) ||
      !std::isdigit(static_cast<unsigned char>(s[1]))) {
    return -1;
  }
  return (s[0] - '0') * 10 + (s[1] - '0');
}

}  // namespace

std::span<const Region> regions() { return kRegions; }
std::span<const Department> departments() { return kDepartments; }

const Region* find_region(std::string_view code) {
  for (const auto& r : kRegions) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

const Department* find_department(std::string_view code) {
  for (const auto& d : kDepartments) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

std::optional<std::string_view> commune_department(std::string_view commune) {
  if (commune.size() != 5) return std::nullopt;
  const std::string_view dept =
      commune.substr(0, 2) == "97" ? commune.substr(0, 3) : commune.substr(0, 2);
  for (char c : commune.substr(dept.size())) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  const Department* d = find_department(dept);
  if (d == nullptr) return std::nullopt;
  return d->code;
}

std::optional<std::string_view> postcode_department(std::string_view postcode) {
  if (postcode.size() != 5) return std::nullopt;
  for (char c : postcode) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  // Saint-Barthélemy (97133) and Saint-Martin (97150) share Guadeloupe's 971 but are
  // collectivities of their own, not départements.
  if (postcode == "97133" || postcode == "97150") return std::nullopt;
  std::string_view dept = postcode.substr(0, 2);
  if (dept == "97" || dept == "98") dept = postcode.substr(0, 3);
  if (dept == "20") dept = postcode[2] < '2' ? "2A" : "2B";
  const Department* d = find_department(dept);
  if (d == nullptr) return std::nullopt;
  return d->code;
}

bool naf_division_exists(std::string_view division) { return naf_section(division).has_value(); }

std::optional<char> naf_section(std::string_view division) {
  const int n = parse_two_digits(division);
  if (n < 0) return std::nullopt;
  if (std::find(kMissingDivisions.begin(), kMissingDivisions.end(), n) != kMissingDivisions.end()) {
    return std::nullopt;
  }
  for (const auto& [section, range] : kSectionRanges) {
    if (n >= range.first && n <= range.second) return section;
  }
  return std::nullopt;
}

std::string_view naf_section_name(char section) {
  for (const auto& [s, name] : kSectionNames) {
    if (s == section) return name;
  }
  return {};
}

std::optional<NafLevel> naf_level_of(std::string_view code) {
  if (code.size() == 1 && naf_section_name(code[0]).size() > 0) return NafLevel::kA21;
  if (code.size() == 2 && std::isalpha(static_cast<unsigned char>(code[0]))) {
    for (const auto& a : kA38) {
      if (a.code == code) return NafLevel::kA38;
    }
    return std::nullopt;
  }
  if (naf_division_exists(code)) return NafLevel::kA88;
  return std::nullopt;
}

std::optional<std::string> naf_code_at(std::string_view division, NafLevel level) {
  const auto section = naf_section(division);
  if (!section) return std::nullopt;
  switch (level) {
    case NafLevel::kA21:
      return std::string(1, *section);
    case NafLevel::kA38: {
      const int n = parse_two_digits(division);
      for (const auto& a : kA38) {
        if (n >= a.from && n <= a.to) return std::string(a.code);
      }
      return std::nullopt;
    }
    case NafLevel::kA88:
      return std::string(division.substr(0, 2));
  }
  return std::nullopt;
}

std::string_view naf_name(std::string_view code, bool english) {
  const auto level = naf_level_of(code);
  if (!level) return {};
  switch (*level) {
    case NafLevel::kA21:
      if (!english) return naf_section_name(code[0]);
      for (const auto& [s, name] : kSectionNamesEn) {
        if (s == code[0]) return name;
      }
      return {};
    case NafLevel::kA38:
      for (const auto& a : kA38) {
        if (a.code == code) return english ? a.en : a.fr;
      }
      return {};
    case NafLevel::kA88:
      for (const auto& d : kDivisionTitles) {
        if (d.code == code.substr(0, 2)) return english ? d.en : d.fr;
      }
      return {};
  }
  return {};
}

std::vector<std::string_view> naf_codes(NafLevel level) {
  std::vector<std::string_view> out;
  switch (level) {
    case NafLevel::kA21:
      for (const auto& s : kSectionNames) out.emplace_back(&s.first, 1);
      break;
    case NafLevel::kA38:
      for (const auto& a : kA38) out.push_back(a.code);
      break;
    case NafLevel::kA88:
      for (const auto& d : kDivisionTitles) out.push_back(d.code);
      break;
  }
  return out;
}

bool zone_well_formed(std::string_view zone) {
  if (zone.size() != 4) return false;
  for (char c : zone) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  if (zone == "0000") return false;
  return zone.substr(0, 2) == "00" || find_region(zone.substr(0, 2)) != nullptr;
}

std::optional<std::string_view> zone_region(std::string_view zone) {
  if (!zone_well_formed(zone)) return std::nullopt;
  const Region* r = find_region(zone.substr(0, 2));
  if (r == nullptr) return std::nullopt;
  return r->code;
}

bool country_exists(std::string_view iso2) {
  if (iso2.size() != 2) return false;
  for (size_t i = 0; i + 2 <= kCountries.size(); i += 3) {
    if (kCountries.substr(i, 2) == iso2) return true;
  }
  return false;
}

std::string normalise_country(std::string_view code) {
  std::string up(code);
  for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (up == "EL") return "GR";
  if (up == "UK") return "GB";
  return up;
}

}  // namespace poles::codes
