#include "core/codes.h"

#include <algorithm>
#include <array>
#include <cctype>

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
