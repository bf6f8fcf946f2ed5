// Reference geography (import/places.h): the communes of INSEE's official geographic code as
// @etalab/decoupage-administratif publishes them (web/package.json), read by import_communes;
// commune codes checked against the list, an organisation's commune found from its postal
// address and its zone d'emploi from its commune (INSEE's composition of the zones through the
// shipped mapping). The expected communes below are written by hand from the official list;
// the counts are computed by Python's json module on the same file.
#include "import/places.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "import/external.h"
#include "import/importer.h"
#include "import/loader.h"
#include "import/mapping.h"
#include "store_digest.h"
#include "store_fixture.h"

namespace poles::import {
namespace {

using testing::StoreTest;

TEST(PlaceKey, CityNamesAsAddressesWriteThem) {
  EXPECT_EQ(place_key("ST-ETIENNE CEDEX 2"), "saint etienne");
  EXPECT_EQ(place_key("Saint-Étienne"), "saint etienne");
  EXPECT_EQ(place_key("Lyon 3e Arrondissement"), "lyon");
  EXPECT_EQ(place_key("PARIS 10"), "paris");
  EXPECT_EQ(place_key("Marseille 1er"), "marseille");
  EXPECT_EQ(place_key("STE FOY LES LYON"), "sainte foy les lyon");
  EXPECT_EQ(place_key("Sainte-Foy-lès-Lyon"), "sainte foy les lyon");
  EXPECT_EQ(place_key("L'Isle-d'Abeau"), "l isle d abeau");
  EXPECT_EQ(place_key(""), "");
}

class PlacesTest : public StoreTest {
 protected:
  static std::filesystem::path communes_json() {
    return testing::source_dir() /
           "web/node_modules/@etalab/decoupage-administratif/data/communes.json";
  }
  // A stored row's fields as text (none when absent).
  std::map<std::string, std::string> row_of(const char* entity, const std::string& key) {
    const auto& e = *schema::find_entity(entity);
    auto row = store_->get(e, {Value(key)});
    std::map<std::string, std::string> out;
    if (!row.has_value() || !row->has_value()) return out;
    for (size_t i = 0; i < e.fields.size(); ++i)
      out[std::string(e.fields[i].name)] = value_to_text((**row)[i]);
    return out;
  }
  std::map<std::string, std::string> commune(const std::string& code) {
    return row_of("commune", code);
  }
  std::map<std::string, std::string> organisation(const std::string& id) {
    return row_of("organisation", id);
  }
  Result<ImportReport> load(const char* entity, const std::string& csv) {
    std::istringstream in(csv);
    return import_csv(*store_, *schema::find_entity(entity), in, std::string(entity) + ".csv", {});
  }
};

TEST_P(PlacesTest, TheOfficialListChecksCommunesAndPlacesOrganisations) {
  if (!std::filesystem::exists(communes_json()))
    GTEST_SKIP() << "npm packages not installed (make web-deps)";
  // Without the list, a commune code is checked by its form and département only.
  ASSERT_TRUE(
      load("organisation", "id,name,kind,commune\nold,Ancienne,company,69999\n").has_value());

  auto r = import_communes(*store_, communes_json().string(), {});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  // Counted by Python on the same file: the current communes and the municipal districts, but
  // the overseas collectivities' (zone "com"); the delegated and associated communes apart.
  const auto py = testing::run_command(
      "/usr/bin/python3 -c \"import json, sys; c = json.load(open(sys.argv[1])); "
      "kept = [x for x in c if x['type'] in ('commune-actuelle', 'arrondissement-municipal') "
      "and x['zone'] != 'com']; print(len(c), len(kept), sum(x['type'] == "
      "'arrondissement-municipal' for x in kept))\" " +
      communes_json().string());
  ASSERT_EQ(py.status, 0) << py.output;
  int64_t records = 0, kept = 0, districts = 0;
  std::istringstream(py.output) >> records >> kept >> districts;
  EXPECT_EQ(r->records, records);
  EXPECT_EQ(r->load.entities["commune"].inserted, kept);
  EXPECT_EQ(r->skipped, records - kept);
  EXPECT_EQ(districts, 45);  // 20 in Paris, 9 in Lyon, 16 in Marseille
  auto stored = store_->query("SELECT COUNT(*) FROM commune WHERE kind = 'district'", {});
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(value_to_text(stored->at(0).at(0)), std::to_string(districts));

  auto paris = commune("75056");
  EXPECT_EQ(paris["name"], "Paris");
  EXPECT_EQ(paris["department"], "75");
  EXPECT_EQ(paris["region"], "11");
  EXPECT_NE(paris["postcodes"].find("75116"), std::string::npos);
  auto lyon3 = commune("69383");
  EXPECT_EQ(lyon3["kind"], "district");
  EXPECT_EQ(lyon3["parent"], "69123");
  EXPECT_EQ(lyon3["postcodes"], "69003");
  // Arboys en Bugey (01015) includes the delegated commune of Arbignieu; Cordieux (01120) is
  // associated with Montluel (01262).
  EXPECT_NE(commune("01015")["former_names"].find("Arbignieu"), std::string::npos);
  EXPECT_NE(commune("01262")["former_codes"].find("01120"), std::string::npos);
  EXPECT_TRUE(commune("01120").empty());

  // Commune codes against the list: a former code names the commune it now belongs to; an
  // unknown code is refused; nothing is written.
  const std::string before = store_digest(*store_);
  auto refused = load("organisation",
                      "id,name,kind,commune\nf,Cordieux SARL,company,01120\n"
                      "g,Nulle Part,company,69999\n");
  ASSERT_FALSE(refused.has_value());
  const auto& errors = refused.error().field_errors();
  ASSERT_EQ(errors.size(), 2U);
  EXPECT_EQ(errors[0].format(),
            "organisation.csv:2:4: field 'commune' value '01120': is no longer a commune code: "
            "now 01262 (Montluel)");
  EXPECT_EQ(errors[1].format(),
            "organisation.csv:3:4: field 'commune' value '69999': unknown commune: not in the "
            "official geographic code the store holds (INSEE's COG, imported with poles "
            "import-communes)");
  EXPECT_EQ(store_digest(*store_), before);

  // The commune of a postal address (written by hand from the official list): the only commune
  // of a postcode; the one named by the city among those sharing it (a delegated commune's name
  // too); a CEDEX's city in the postcode's département; none when the address leaves a doubt
  // (01400 is shared by several communes and no city is given), nor for a foreign address.
  auto placed = load("organisation",
                     "id,name,kind,postcode,city,country\n"
                     "a,Alpha,company,69003,Lyon 3e,\n"
                     "b,Beta,company,42000,ST ETIENNE CEDEX 1,\n"
                     "c,Gamma,company,01300,Arbignieu,\n"
                     "d,Delta,company,69361,LYON CEDEX 07,\n"
                     "e,Epsilon,company,01400,,\n"
                     "h,Eta,company,75010,Paris,\n"
                     "i,Iota,company,69003,Lyon,DE\n"
                     "m,Mu,company,20000,Ajaccio,\n"
                     "n,Nu,company,97400,Saint-Denis,\n"
                     "o,Omicron,company,69003,Lyon 3e,\n");
  ASSERT_TRUE(placed.has_value()) << placed.error().to_string();
  EXPECT_EQ(organisation("a")["commune"], "69123");
  EXPECT_EQ(organisation("a")["department"], "69");
  EXPECT_EQ(organisation("a")["region"], "84");
  EXPECT_EQ(organisation("b")["commune"], "42218");
  EXPECT_EQ(organisation("c")["commune"], "01015");
  EXPECT_EQ(organisation("d")["commune"], "69123");
  EXPECT_EQ(organisation("e")["commune"], "");
  EXPECT_EQ(organisation("h")["commune"], "75056");
  EXPECT_EQ(organisation("i")["commune"], "");
  EXPECT_EQ(organisation("m")["commune"], "2A004");
  EXPECT_EQ(organisation("m")["department"], "2A");
  EXPECT_EQ(organisation("n")["commune"], "97411");
  EXPECT_EQ(organisation("n")["region"], "04");
  // An address whose commune contradicts the department the row gives is a doubt: no commune.
  auto doubt =
      load("organisation", "id,name,kind,postcode,city,department\np,Pi,company,69003,Lyon,01\n");
  ASSERT_TRUE(doubt.has_value()) << doubt.error().to_string();
  EXPECT_EQ(organisation("p")["commune"], "");
  EXPECT_EQ(organisation("p")["department"], "01");

  // A public source that only fills gaps (SIRENE, CORDIS: Merge::kFillGaps) does not stop the
  // load for a code that is no longer a commune's: it gives the commune the code became, or
  // nothing when the code is unknown.
  {
    const auto& org = *schema::find_entity("organisation");
    Loader loader(*store_, {});
    const auto row = [&](const char* id, const char* commune) {
      Row out(org.fields.size());
      out[0] = std::string(id);
      out[static_cast<size_t>(schema::field_index(org, "name"))] = std::string(id);
      out[static_cast<size_t>(schema::field_index(org, "kind"))] = std::string("company");
      out[static_cast<size_t>(schema::field_index(org, "commune"))] = std::string(commune);
      return out;
    };
    loader.add(org, row("q", "01120"), RowOrigin{"sirene.csv", 2, nullptr}, Merge::kFillGaps);
    loader.add(org, row("r", "69999"), RowOrigin{"sirene.csv", 3, nullptr}, Merge::kFillGaps);
    auto done = loader.finish("test");
    ASSERT_TRUE(done.has_value()) << done.error().to_string();
    EXPECT_EQ(organisation("q")["commune"], "01262");
    EXPECT_EQ(organisation("r")["commune"], "");
  }

  // INSEE's composition of the zones through the shipped mapping (zone codes made up for the
  // test, well formed; codes that lost their leading zero): the zones land, the list's fields
  // stay.
  std::ofstream(*dir_ / "ze.csv") << "CODGEO;LIBGEO;ZE2020;LIBZE2020;DEP;REG\n"
                                     "69123;Lyon;8401;Zone A;69;84\n"
                                     "42218;Saint-Étienne;8402;Zone B;42;84\n"
                                     "1015;Arboys en Bugey;8403;Zone C;01;84\n";
  auto m =
      read_mapping((testing::source_dir() / "examples/mappings/ze2020-communes.toml").string(), {});
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  auto zones = import_mapped_file(*store_, *m, (*dir_ / "ze.csv").string(), {});
  ASSERT_TRUE(zones.has_value()) << zones.error().to_string();
  EXPECT_EQ(zones->counts["commune"].updated, 3);
  EXPECT_EQ(commune("01015")["employment_zone"], "8403");
  EXPECT_EQ(commune("69123")["employment_zone"], "8401");
  EXPECT_EQ(commune("69123")["postcodes"].substr(0, 11), "69001|69002");

  // An organisation's zone is its commune's (a district's is its commune's); a zone that is not
  // its commune's is refused.
  auto zoned = load("organisation",
                    "id,name,kind,postcode,city,commune,employment_zone\n"
                    "j,Jota,company,69003,Lyon,,\n"
                    "k,Kappa,company,,,69383,\n");
  ASSERT_TRUE(zoned.has_value()) << zoned.error().to_string();
  EXPECT_EQ(organisation("j")["employment_zone"], "8401");
  EXPECT_EQ(organisation("k")["employment_zone"], "8401");
  auto wrong =
      load("organisation", "id,name,kind,commune,employment_zone\nl,Lambda,company,42218,8401\n");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().field_errors().at(0).rule,
            "does not match commune 42218 (zone d'emploi 8402)");

  // The list read again (next year's) keeps each commune's zone, and a commune it no longer
  // holds (here one made up and stored beforehand) goes.
  ASSERT_TRUE(load("commune", "code,name,kind\n2A999,Commune disparue,commune\n").has_value());
  auto again = import_communes(*store_, communes_json().string(), {});
  ASSERT_TRUE(again.has_value()) << again.error().to_string();
  EXPECT_EQ(again->load.entities["commune"].inserted, 0);
  EXPECT_EQ(commune("69123")["employment_zone"], "8401");
  EXPECT_TRUE(commune("2A999").empty());
  ASSERT_EQ(again->warnings.size(), 1U);
  EXPECT_EQ(again->warnings[0],
            "communes.json: 1 commune(s) no longer in the list removed (2A999)");
}

POLES_BOTH_BACKENDS(PlacesTest);

}  // namespace
}  // namespace poles::import
