// The real public formats, on the real files in ../shared/data (SOURCES.md).
#include "import/external.h"

#include <gtest/gtest.h>

#include "store_fixture.h"

namespace poles::import {
namespace {

using testing::shared_path;
using testing::StoreTest;

class FormatsTest : public StoreTest {
 protected:
  std::optional<Row> org(const std::string& id) {
    return *store_->get(*schema::find_entity("organisation"), {id});
  }
  std::string text(const Row& r, const char* entity, const char* field) {
    return value_to_text(
        r[static_cast<size_t>(schema::field_index(*schema::find_entity(entity), field))]);
  }
};

TEST_P(FormatsTest, SireneEstablishments) {
  POLES_REQUIRE_SHARED("data/sirene/sample_etablissements_OK.csv");
  auto r =
      import_sirene(*store_, shared_path("data/sirene/sample_etablissements_OK.csv").string(), {});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->records, 3);
  EXPECT_EQ(r->load.entities["organisation"].inserted, 3);
  auto o = org("siren:005880034");
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(text(*o, "organisation", "siren"), "005880034");
  EXPECT_EQ(text(*o, "organisation", "kind"), "company");
  EXPECT_EQ(text(*o, "organisation", "naf"), "")
      << "'57.10' is a NAP code, not NAF rev.2: left out";
  // Re-importing changes nothing.
  auto again =
      import_sirene(*store_, shared_path("data/sirene/sample_etablissements_OK.csv").string(), {});
  EXPECT_EQ(again->load.entities["organisation"].unchanged, 3);
}

TEST_P(FormatsTest, SireneMissingColumnIsNamed) {
  testing::TempDir dir;
  testing::write_file(
      dir / "s.csv",
      "siren,nic,siret,codeCommuneEtablissement\n732829320,00011,73282932000011,31555\n");
  auto r = import_sirene(*store_, (dir / "s.csv").string(), {});
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().field_errors().size(), 1u);
  EXPECT_EQ(
      r.error().field_errors()[0].format(),
      "s.csv:1: field 'activitePrincipaleEtablissement' value '': required column is missing");
}

TEST_P(FormatsTest, CordisHorizonEuropeFrenchParticipants) {
  POLES_REQUIRE_SHARED("data/cordis/he_organization_sample100.csv");
  auto r = import_cordis(*store_, shared_path("data/cordis/he_project_sample100.csv").string(),
                         shared_path("data/cordis/he_organization_sample100.csv").string(), {});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  // 8 French participations in 5 projects (counted independently with Python's csv module).
  EXPECT_EQ(r->load.entities["participation"].inserted, 8);
  EXPECT_EQ(r->load.entities["project"].inserted, 5);
  EXPECT_EQ(r->load.entities["organisation"].inserted, 8);
  // A French VAT number gives the SIREN; the NUTS code the region; the role is mapped.
  auto valorial = org("siren:490006624");
  ASSERT_TRUE(valorial.has_value());
  EXPECT_EQ(text(*valorial, "organisation", "name"), "ASSOCIATION DU POLE DE COMPETIVITE VALORIAL");
  EXPECT_EQ(text(*valorial, "organisation", "region"), "53");   // FRH03, Bretagne
  EXPECT_EQ(text(*valorial, "organisation", "kind"), "other");  // activity type OTH
  auto part = *store_->get(*schema::find_entity("participation"),
                           {std::string("cordis:101072248"), std::string("siren:490006624")});
  ASSERT_TRUE(part.has_value());
  EXPECT_EQ(text(*part, "participation", "role"), "partner");
  EXPECT_EQ(text(*part, "participation", "aid"), "129593.75");
  EXPECT_EQ(text(*part, "participation", "cost"), "") << "CORDIS's 0 means 'not reported'";
  auto project = *store_->get(*schema::find_entity("project"), {std::string("cordis:101072248")});
  EXPECT_EQ(text(*project, "project", "programme"), "HORIZON_EUROPE");
  EXPECT_EQ(text(*project, "project", "public_aid"), "993786.44");
  EXPECT_EQ(text(*project, "project", "start_date").size(), 10u);
  EXPECT_EQ(region_of_nuts("FRY4"), "04");
  EXPECT_EQ(region_of_nuts("DE111"), "");
}

TEST_P(FormatsTest, CordisFp7Tables) {
  POLES_REQUIRE_SHARED("data/cordis/fp7_reconciled_database_organization.csv.gz");
  const auto d = [](const char* f) {
    return shared_path(std::string("data/cordis/") + f).string();
  };
  auto r = import_cordis_fp7(*store_, d("fp7_reconciled_database_organization.csv.gz"),
                             d("fp7_warehouse_project.csv.gz"),
                             d("fp7_warehouse_assign_fact.csv.gz"), {});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  // SOURCES.md: 30,399 organisations of which 2,577 French; 25,778 projects.
  EXPECT_EQ(r->load.entities["organisation"].inserted, 2577);
  EXPECT_EQ(r->load.entities["project"].inserted, 25778);
  ASSERT_EQ(r->warnings.size(), 2u);
  EXPECT_EQ(r->warnings[0],
            "fp7_warehouse_assign_fact.csv.gz:2126: end date 2009-09-30 before start date "
            "2009-10-01: end date left empty");
  auto eisbm = org("cordis:911618223");
  ASSERT_TRUE(eisbm.has_value());
  EXPECT_EQ(text(*eisbm, "organisation", "name"), "ASSOCIATION EISBM");
  EXPECT_EQ(text(*eisbm, "organisation", "department"), "69");  // "Parc des Cèdres, Vourles, 69390"
  EXPECT_EQ(text(*eisbm, "organisation", "region"), "84");
  auto cesar = *store_->get(*schema::find_entity("project"), {std::string("cordis:100016")});
  ASSERT_TRUE(cesar.has_value());
  EXPECT_EQ(text(*cesar, "project", "acronym"), "CESAR");
  EXPECT_EQ(text(*cesar, "project", "call_id"), "FP7-JTI");
  EXPECT_EQ(text(*cesar, "project", "start_date"), "2009-03-01");
  EXPECT_EQ(text(*cesar, "project", "total_cost"), "58300757");
}

TEST_P(FormatsTest, GeoJsonRegionsAndDepartments) {
  POLES_REQUIRE_SHARED("data/geo/regions-avec-outre-mer.geojson");
  auto regions = import_geojson(
      *store_, shared_path("data/geo/regions-avec-outre-mer.geojson").string(), "region", {});
  ASSERT_TRUE(regions.has_value()) << regions.error().to_string();
  EXPECT_EQ(regions->load.entities["territory"].inserted, 18);
  EXPECT_TRUE(regions->warnings.empty()) << regions->warnings.front();
  auto deps =
      import_geojson(*store_, shared_path("data/geo/departements-avec-outre-mer.geojson").string(),
                     "department", {});
  ASSERT_TRUE(deps.has_value()) << deps.error().to_string();
  EXPECT_EQ(deps->load.entities["territory"].inserted, 101);
  const auto* e = schema::find_entity("territory");
  auto corse_sud = *store_->get(*e, {std::string("department"), std::string("2A")});
  ASSERT_TRUE(corse_sud.has_value());
  EXPECT_EQ(text(*corse_sud, "territory", "parent"), "94");
  EXPECT_EQ(text(*corse_sud, "territory", "geometry").rfind("{\"coordinates\"", 0), 0u);
  // A code that is not a region is refused, naming the feature; nothing is written.
  testing::TempDir dir;
  testing::write_file(dir / "bad.geojson", R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"code":"84","nom":"Auvergne-Rhône-Alpes"},"geometry":null},
    {"type":"Feature","properties":{"code":"99","nom":"Nulle part"},"geometry":null}]})");
  const uint64_t version = *store_->data_version();
  auto bad = import_geojson(*store_, (dir / "bad.geojson").string(), "region", {});
  ASSERT_FALSE(bad.has_value());
  ASSERT_EQ(bad.error().field_errors().size(), 1u);
  EXPECT_EQ(bad.error().field_errors()[0].field, "code");
  EXPECT_NE(bad.error().field_errors()[0].rule.find("feature 2:"), std::string::npos);
  EXPECT_EQ(*store_->data_version(), version);
}

POLES_BOTH_BACKENDS(FormatsTest);

}  // namespace
}  // namespace poles::import
