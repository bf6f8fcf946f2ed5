// Code lists published by INSEE, Eurostat and ISO: regions, departments, NAF rev.2
// divisions and sections, countries. Lookups are constant-time over static tables.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

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

// NAF rev.2: the division (two digits) of a code like "62.01Z", its section letter, and whether
// a division exists. Accepts "62.01Z" and "6201Z".
bool naf_division_exists(std::string_view division);
std::optional<char> naf_section(std::string_view division);
std::string_view naf_section_name(char section);

// ISO 3166-1 alpha-2 country codes. EU-style aliases (EL, UK) are normalised to GR, GB.
bool country_exists(std::string_view iso2);
std::string normalise_country(std::string_view code);

}  // namespace poles::codes
