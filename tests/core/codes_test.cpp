#include "core/codes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace poles::codes {
namespace {

std::map<std::string, std::string> geojson_codes(const std::string& rel) {
  std::ifstream in(testing::shared_path(rel));
  const auto doc = nlohmann::json::parse(in);
  std::map<std::string, std::string> out;
  for (const auto& f : doc.at("features")) {
    out[f.at("properties").at("code").get<std::string>()] =
        f.at("properties").at("nom").get<std::string>();
  }
  return out;
}

TEST(Codes, DepartmentsMatchInseeGeoJson) {
  POLES_REQUIRE_SHARED("data/geo/departements-avec-outre-mer.geojson");
  const auto published = geojson_codes("data/geo/departements-avec-outre-mer.geojson");
  ASSERT_EQ(published.size(), departments().size());
  for (const auto& d : departments()) {
    const auto it = published.find(std::string(d.code));
    ASSERT_NE(it, published.end()) << d.code;
    EXPECT_EQ(it->second, d.name) << d.code;
    EXPECT_NE(find_region(d.region), nullptr) << d.code;
  }
}

TEST(Codes, RegionsMatchInseeGeoJson) {
  POLES_REQUIRE_SHARED("data/geo/regions-avec-outre-mer.geojson");
  const auto published = geojson_codes("data/geo/regions-avec-outre-mer.geojson");
  ASSERT_EQ(published.size(), regions().size());
  for (const auto& r : regions()) {
    const auto it = published.find(std::string(r.code));
    ASSERT_NE(it, published.end()) << r.code;
    EXPECT_EQ(it->second, r.name) << r.code;
  }
}

TEST(Codes, CommuneToDepartment) {
  EXPECT_EQ(commune_department("75056"), "75");
  EXPECT_EQ(commune_department("2B033"), "2B");
  EXPECT_EQ(commune_department("97611"), "976");
  EXPECT_EQ(commune_department("97511"), std::nullopt);
}

TEST(Codes, PostcodeToDepartment) {
  EXPECT_EQ(postcode_department("69390"), "69");
  EXPECT_EQ(postcode_department("01000"), "01");
  EXPECT_EQ(postcode_department("97411"), "974");
  EXPECT_EQ(postcode_department("20090"), "2A");  // Ajaccio
  EXPECT_EQ(postcode_department("20137"), "2A");  // Porto-Vecchio
  EXPECT_EQ(postcode_department("20200"), "2B");  // Bastia
  EXPECT_EQ(postcode_department("20600"), "2B");
  EXPECT_EQ(postcode_department("98000"), std::nullopt);  // Monaco
  EXPECT_EQ(postcode_department("97133"), std::nullopt);  // Saint-Barthélemy
  EXPECT_EQ(postcode_department("97100"), "971");         // Basse-Terre
  EXPECT_EQ(postcode_department("00100"), std::nullopt);
  EXPECT_EQ(postcode_department("6939"), std::nullopt);
  EXPECT_EQ(postcode_department("6939A"), std::nullopt);
}

TEST(Codes, NafSections) {
  EXPECT_EQ(naf_section("62"), 'J');
  EXPECT_EQ(naf_section("10"), 'C');
  EXPECT_EQ(naf_section("99"), 'U');
  EXPECT_EQ(naf_section("34"), std::nullopt);
  EXPECT_EQ(naf_section("00"), std::nullopt);
}

// The divisions' French titles are INSEE's: those the @socialgouv/codes-naf package carries (its
// data downloaded from INSEE; web/package.json), every division and no other.
TEST(Codes, DivisionTitlesAreInsees) {
  const auto path = testing::source_dir() / "web/node_modules/@socialgouv/codes-naf/index.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "npm packages not installed (make web-deps)";
  std::ifstream in(path);
  std::map<std::string, std::string> insee;
  for (const auto& c : nlohmann::json::parse(in)) {
    const auto id = c.at("id").get<std::string>();
    if (id.size() == 2) insee[id] = c.at("label").get<std::string>();
  }
  const auto ours = naf_codes(NafLevel::kA88);
  ASSERT_EQ(ours.size(), 88U);
  ASSERT_EQ(insee.size(), ours.size());
  for (const auto d : ours) {
    EXPECT_EQ(naf_name(d), insee.at(std::string(d))) << d;
    EXPECT_FALSE(naf_name(d, true).empty()) << d;
  }
  EXPECT_EQ(naf_name("30"), "Fabrication d'autres matériels de transport");  // not its section's
}

// Every division belongs to one A38 code and one section, and each A38 code to one section.
TEST(Codes, NafLevelsNest) {
  EXPECT_EQ(naf_codes(NafLevel::kA21).size(), 21U);
  EXPECT_EQ(naf_codes(NafLevel::kA38).size(), 38U);
  for (const auto d : naf_codes(NafLevel::kA88)) {
    const auto a38 = naf_code_at(d, NafLevel::kA38);
    ASSERT_TRUE(a38.has_value()) << d;
    EXPECT_EQ(naf_level_of(*a38), NafLevel::kA38);
    EXPECT_EQ(a38->front(), *naf_section(d)) << d;  // "CI" lies in section C
    EXPECT_FALSE(naf_name(*a38).empty());
    EXPECT_FALSE(naf_name(*a38, true).empty());
  }
  EXPECT_EQ(naf_code_at("26", NafLevel::kA38), "CI");
  EXPECT_EQ(naf_code_at("30", NafLevel::kA38), "CL");
  EXPECT_EQ(naf_code_at("87", NafLevel::kA38), "QB");
  EXPECT_EQ(naf_code_at("26", NafLevel::kA21), "C");
  EXPECT_EQ(naf_level_of("C"), NafLevel::kA21);
  EXPECT_EQ(naf_level_of("26"), NafLevel::kA88);
  EXPECT_EQ(naf_level_of("CZ"), std::nullopt);
  EXPECT_EQ(naf_level_of("34"), std::nullopt);
  EXPECT_EQ(naf_level_of("V"), std::nullopt);
  EXPECT_EQ(naf_level_of("total"), std::nullopt);
  EXPECT_EQ(naf_name("JC", true), "IT and other information services");
}

TEST(Codes, ZonesDEmploi) {
  EXPECT_TRUE(zone_well_formed("1101"));   // Cergy-Vexin, Île-de-France
  EXPECT_TRUE(zone_well_formed("0053"));   // Avignon, straddles regions
  EXPECT_TRUE(zone_well_formed("0601"));   // Mayotte
  EXPECT_FALSE(zone_well_formed("9901"));  // no region 99
  EXPECT_FALSE(zone_well_formed("053"));
  EXPECT_FALSE(zone_well_formed("0000"));  // a blank cell read as a number
  EXPECT_FALSE(zone_well_formed("11O1"));
  EXPECT_EQ(zone_region("8405"), "84");
  EXPECT_EQ(zone_region("0053"), std::nullopt);
}

TEST(Codes, Countries) {
  EXPECT_TRUE(country_exists("DE"));
  EXPECT_EQ(normalise_country("el"), "GR");
  EXPECT_EQ(normalise_country("UK"), "GB");
}

}  // namespace
}  // namespace poles::codes
