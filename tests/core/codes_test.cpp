#include "core/codes.h"

#include <gtest/gtest.h>

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

TEST(Codes, NafSections) {
  EXPECT_EQ(naf_section("62"), 'J');
  EXPECT_EQ(naf_section("10"), 'C');
  EXPECT_EQ(naf_section("99"), 'U');
  EXPECT_EQ(naf_section("34"), std::nullopt);
  EXPECT_EQ(naf_section("00"), std::nullopt);
}

TEST(Codes, Countries) {
  EXPECT_TRUE(country_exists("DE"));
  EXPECT_EQ(normalise_country("el"), "GR");
  EXPECT_EQ(normalise_country("UK"), "GB");
}

}  // namespace
}  // namespace poles::codes
