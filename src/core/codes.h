// Code lists published by INSEE, Eurostat and ISO: regions, departments, zones d'emploi, NAF
// rev.2 divisions, A38 and sections with their titles, countries. Lookups are constant-time over
// static tables.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace poles::codes {

struct Region {
  std::string_view code;  // INSEE 2016 region code, e.g. "84"
  std::string_view name;  // official French name
  bool overseas;
};

struct Department {
  std::string_view code;  // "01".."95", "2A", "2B", "971".."976"
  std::string_view name;
  std::string_view region;  // INSEE region code
};

// The 18 regions in force since 2016 (13 metropolitan + 5 overseas).
std::span<const Region> regions();
// The 101 departments.
std::span<const Department> departments();

// Returns nullptr when the code is unknown.
const Region* find_region(std::string_view code);
const Department* find_department(std::string_view code);

// Department of an INSEE commune code ("75056" -> "75", "2A004" -> "2A", "97411" -> "974").
// Returns nullopt when the code is not a well-formed commune code of a known department.
std::optional<std::string_view> commune_department(std::string_view commune);

// Department of a postcode ("69390" -> "69", "97411" -> "974"; Corsica's 200xx–201xx -> "2A",
// 202xx–206xx -> "2B", as La Poste assigns them). Returns nullopt unless the code has five digits
// and gives a known department ("00100", "98000" Monaco: none).
std::optional<std::string_view> postcode_department(std::string_view postcode);

// NAF rev.2: the division (two digits) of a code like "62.01Z", its section letter, and whether
// a division exists. Accepts "62.01Z" and "6201Z".
bool naf_division_exists(std::string_view division);
std::optional<char> naf_section(std::string_view division);
std::string_view naf_section_name(char section);

// The levels at which INSEE and URSSAF publish by sector: NAF rev.2 sections (A21, one letter:
// "C"), the aggregated level A38 (two letters: "CI") and divisions (A88, two digits: "26").
enum class NafLevel : uint8_t { kA21, kA38, kA88 };
inline constexpr std::array<std::string_view, 3> kNafLevelCodes = {"a21", "a38", "a88"};
// The level of a sector code (nullopt: not a code of any level).
std::optional<NafLevel> naf_level_of(std::string_view code);
// The code at `level` of a division ("26" -> "C", "CI", "26"); nullopt for an unknown division.
std::optional<std::string> naf_code_at(std::string_view division, NafLevel level);
// The official title of a code of any level (INSEE's in French, NACE rev.2's in English); ""
// when unknown.
std::string_view naf_name(std::string_view code, bool english = false);
// Every code of a level, in code order.
std::vector<std::string_view> naf_codes(NafLevel level);

// Zones d'emploi 2020 (ZE2020, INSEE): four digits, the first two the code of the region the
// zone lies in, or "00" for the zones that straddle regions ("0053" Avignon). Whether a code is
// well formed; its existence is checked against the zones the store holds (territory rows of
// level "zone", from INSEE's referential). zone_region: the region of a well-formed code of one
// region (nullopt for "00" zones, whose dominant region the referential gives).
bool zone_well_formed(std::string_view zone);
std::optional<std::string_view> zone_region(std::string_view zone);

// ISO 3166-1 alpha-2 country codes. EU-style aliases (EL, UK) are normalised to GR, GB.
bool country_exists(std::string_view iso2);
std::string normalise_country(std::string_view code);

}  // namespace poles::codes
