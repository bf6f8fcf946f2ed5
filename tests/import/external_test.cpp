// The real public formats, on the real files in ../shared/data (SOURCES.md).
#include "import/external.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>

#include "core/model.h"
#include "core/validate.h"
#include "evaluate/indicators.h"
#include "import/importer.h"
#include "import/merge.h"
#include "snapshot/loader.h"
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
  // The French participations, their projects and organisations, counted here by Python's csv
  // module on the same file (8, 5 and 8 when this was written).
  const auto py = testing::run_command(
      "/usr/bin/python3 -c \"import csv, sys; rows = [r for r in csv.DictReader(open(sys.argv[1], "
      "encoding='utf-8')) if r['country'] == 'FR']; print(len(rows), len({r['projectID'] for r in "
      "rows}), len({r['organisationID'] for r in rows}))\" " +
      shared_path("data/cordis/he_organization_sample100.csv").string());
  ASSERT_EQ(py.status, 0) << py.output;
  int64_t parts = 0, projects = 0, orgs = 0;
  std::istringstream(py.output) >> parts >> projects >> orgs;
  EXPECT_EQ(parts, 8);
  EXPECT_EQ(r->load.entities["participation"].inserted, parts);
  EXPECT_EQ(r->load.entities["project"].inserted, projects);
  EXPECT_EQ(r->load.entities["organisation"].inserted, orgs);
  EXPECT_TRUE(r->warnings.empty()) << "the 4 French VAT numbers' keys match their SIREN";
  // A French VAT number gives the SIREN; the NUTS code the region; the role is mapped.
  auto valorial = org("siren:490006624");
  ASSERT_TRUE(valorial.has_value());
  EXPECT_EQ(text(*valorial, "organisation", "name"), "ASSOCIATION DU POLE DE COMPETIVITE VALORIAL");
  EXPECT_EQ(text(*valorial, "organisation", "region"), "53");   // FRH03, Bretagne
  EXPECT_EQ(text(*valorial, "organisation", "kind"), "other");  // activity type OTH
  // A website as CORDIS publishes it; Valorial's address (it has no website in the file: none is
  // made up).
  EXPECT_EQ(text(*org("cordis:999987939"), "organisation", "website"), "http://www.esf.org");
  EXPECT_EQ(text(*valorial, "organisation", "acronym"), "VALORIAL");
  EXPECT_EQ(text(*valorial, "organisation", "address"), "8 RUE JULES MAILLARD DE LA GOURNERIE");
  EXPECT_EQ(text(*valorial, "organisation", "postcode"), "35000");
  EXPECT_EQ(text(*valorial, "organisation", "city"), "Rennes");
  EXPECT_EQ(text(*valorial, "organisation", "website"), "");
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

// CORDIS records each French participant's PIC and VAT number as identifiers (counted here by
// Python's csv module on the same file, the VAT keys checked by Python too); a participant merged
// into another record is found by its PIC when the release is read again, not created anew.
TEST_P(FormatsTest, CordisKeepsPicsAndVatNumbersAndFindsAMergedParticipantByItsPic) {
  POLES_REQUIRE_SHARED("data/cordis/he_organization_sample100.csv");
  const auto projects = shared_path("data/cordis/he_project_sample100.csv").string();
  const auto organisations = shared_path("data/cordis/he_organization_sample100.csv").string();
  auto r = import_cordis(*store_, projects, organisations, {});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const auto py = testing::run_command(
      "/usr/bin/python3 -c \"import csv, sys; rows = [r for r in csv.DictReader(open(sys.argv[1], "
      "encoding='utf-8')) if r['country'] == 'FR']; "
      "ok = lambda v: len(v) == 13 and v[2:].isdigit() and int(v[2:4]) == (12 + 3 * (int(v[4:]) "
      "% 97)) % 97; print(len({r['organisationID'] for r in rows}), len({r['vatNumber'] for r in "
      "rows if ok(r['vatNumber'])}))\" " +
      organisations);
  ASSERT_EQ(py.status, 0) << py.output;
  int64_t pics = 0, vats = 0;
  std::istringstream(py.output) >> pics >> vats;
  EXPECT_EQ(vats, 4);
  auto count = [&](const char* scheme) {
    auto q = store_->query("SELECT COUNT(*) FROM organisation_identifier WHERE scheme = ?",
                           {Value(std::string(scheme))});
    return q.has_value() ? std::get<int64_t>(q->at(0).at(0)) : -1;
  };
  EXPECT_EQ(count("pic"), pics);
  EXPECT_EQ(count("vat"), vats);
  auto vat = *store_->get(*schema::find_entity("organisation_identifier"),
                          {std::string("vat"), std::string("FR16490006624")});
  ASSERT_TRUE(vat.has_value());
  EXPECT_EQ(text(*vat, "organisation_identifier", "organisation_id"), "siren:490006624");

  // The European Science Foundation's record (cordis:999987939) is merged into a directory's, in
  // a store whose CORDIS import recorded no PIC (before identifiers were kept): the merge's
  // former id finds it.
  auto began = store_->begin();
  ASSERT_TRUE(began.has_value());
  ASSERT_TRUE((*began)
                  ->execute("DELETE FROM organisation_identifier WHERE value = '999987939'", {})
                  .is_ok());
  ASSERT_TRUE((*began)->commit().is_ok());
  std::istringstream dir("id,name,kind\nannuaire:esf,European Science Foundation,other\n");
  ASSERT_TRUE(
      import_csv(*store_, *schema::find_entity("organisation"), dir, "o.csv", {}).has_value());
  ASSERT_TRUE(merge_organisations(*store_, "annuaire:esf", "cordis:999987939", "test").has_value());
  auto again = import_cordis(*store_, projects, organisations, {});
  ASSERT_TRUE(again.has_value()) << again.error().to_string();
  EXPECT_EQ(again->load.entities["organisation"].inserted, 0);
  EXPECT_FALSE(org("cordis:999987939").has_value());
  auto parts = store_->query(
      "SELECT COUNT(*) FROM participation WHERE organisation_id = 'annuaire:esf'", {});
  ASSERT_TRUE(parts.has_value());
  EXPECT_GT(std::get<int64_t>(parts->at(0).at(0)), 0);
  auto orphans = store_->query(
      "SELECT COUNT(*) FROM participation WHERE organisation_id = 'cordis:999987939'", {});
  ASSERT_TRUE(orphans.has_value());
  EXPECT_EQ(std::get<int64_t>(orphans->at(0).at(0)), 0);
}

TEST(CordisVat, TheKeyIsChecked) {
  // Valorial's VAT number in the Horizon Europe sample: 490006624 = 97 × 5051614 + 66, and
  // (12 + 3 × 66) mod 97 = 210 mod 97 = 16, its key.
  EXPECT_EQ(validate::siren_of_french_vat("FR16490006624"), "490006624");
  EXPECT_EQ(validate::siren_of_french_vat("FR 16 490 006 624"), "490006624");
  EXPECT_EQ(validate::siren_of_french_vat("FR17490006624"), "") << "a wrong key";
  EXPECT_EQ(validate::siren_of_french_vat("FR16490006625"), "") << "a wrong SIREN check digit";
  EXPECT_EQ(validate::siren_of_french_vat("DE811383696"), "");
  EXPECT_EQ(validate::siren_of_french_vat("FRXX490006624"), "");
}

// The older layout (H2020/FP7 files of CORDIS before 2021): semicolons, `projectRcn`, `id` for the
// organisation, `call`, no NUTS code (the region comes from the postcode), decimal commas, and
// contact persons' names, which are never read.
TEST_P(FormatsTest, CordisOlderLayout) {
  testing::TempDir dir;
  testing::write_file(
      dir / "cordis-h2020projects.csv",
      "rcn;id;acronym;status;programme;topics;frameworkProgramme;title;startDate;endDate;"
      "projectUrl;objective;totalCost;ecMaxContribution;call;fundingScheme;coordinator;"
      "coordinatorCountry;participants;participantCountries;subjects\n"
      "211111;700001;ALPHA;CLOSED;H2020-EU.2.1.1.;ICT-01;H2020;Alpha project;2016-01-01;"
      "2018-12-31;;x;\"1000000,5\";\"800000,25\";H2020-ICT-2015;RIA;A;FR;B;DE;\n"
      "111111;300001;BETA;SIGNED;FP7-ICT;ICT;FP7;Beta project;2012-01-01;2014-12-31;;x;500000;"
      "400000;FP7-ICT-2011;CP;C;FR;;;\n"
      "211112;700002;GAMMA;SIGNED;H2020;X;H2020;Gamma;2017-01-01;2019-12-31;;x;1;1;H2020-X;"
      "RIA;D;DE;;;\n");
  testing::write_file(
      dir / "cordis-h2020organizations.csv",
      "projectRcn;projectID;projectAcronym;role;id;name;shortName;activityType;"
      "endOfParticipation;ecContribution;country;street;city;postCode;organizationUrl;vatNumber;"
      "contactForm;contactType;contactTitle;contactFirstNames;contactLastNames;contactFunction\n"
      "211111;700001;ALPHA;coordinator;999000001;ASSOCIATION DU POLE VALORIAL;VAL;OTH;false;"
      "\"200000,5\";FR;rue;Rennes;35000;;FR16490006624;;;Mme;Camille;Fictive;Directrice\n"
      "211111;700001;ALPHA;participant;999000002;LABO OUEST;LO;REC;false;100000;FR;rue;Lyon;"
      "69007;;FR99490006624;;;M.;Jean;Fictif;\n"
      "211111;700001;ALPHA;participant;999000003;DEUTSCHE GMBH;DG;PRC;false;500000;DE;;Berlin;"
      "10115;;DE811383696;;;;;;\n"
      "111111;300001;BETA;coordinator;999000002;LABO OUEST;LO;REC;false;400000;FR;;Lyon;69007;;;"
      ";;;;;\n"
      "211112;700002;GAMMA;coordinator;999000003;DEUTSCHE GMBH;DG;PRC;false;1;DE;;Berlin;10115;;;"
      ";;;;;\n");
  auto r = import_cordis(*store_, (dir / "cordis-h2020projects.csv").string(),
                         (dir / "cordis-h2020organizations.csv").string(), {});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->load.entities["project"].inserted, 2) << "GAMMA has no French participant";
  EXPECT_EQ(r->load.entities["participation"].inserted, 3);
  EXPECT_EQ(r->load.entities["organisation"].inserted, 2);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0],
            "cordis-h2020organizations.csv:3: VAT number 'FR99490006624' is not FR + key + SIREN "
            "with a matching key: SIREN not taken");
  auto valorial = org("siren:490006624");
  ASSERT_TRUE(valorial.has_value());
  EXPECT_EQ(text(*valorial, "organisation", "region"), "53") << "35000: Ille-et-Vilaine, Bretagne";
  auto labo = org("cordis:999000002");
  ASSERT_TRUE(labo.has_value());
  EXPECT_EQ(text(*labo, "organisation", "siren"), "") << "the key does not match";
  EXPECT_EQ(text(*labo, "organisation", "region"), "84");
  auto alpha = *store_->get(*schema::find_entity("project"), {std::string("cordis:700001")});
  ASSERT_TRUE(alpha.has_value());
  EXPECT_EQ(text(*alpha, "project", "programme"), "H2020");
  EXPECT_EQ(text(*alpha, "project", "public_aid"), "800000.25");
  EXPECT_EQ(text(*alpha, "project", "call_id"), "H2020-ICT-2015");
  auto beta = *store_->get(*schema::find_entity("project"), {std::string("cordis:300001")});
  ASSERT_TRUE(beta.has_value());
  EXPECT_EQ(text(*beta, "project", "programme"), "FP7") << "an FP7 project is European";
  auto part = *store_->get(*schema::find_entity("participation"),
                           {std::string("cordis:700001"), std::string("siren:490006624")});
  ASSERT_TRUE(part.has_value());
  EXPECT_EQ(text(*part, "participation", "aid"), "200000.5");
  EXPECT_EQ(text(*part, "participation", "role"), "coordinator");
  // FP7's own files: the project is `reference`, `projectReference` in the organisations.
  testing::write_file(
      dir / "cordis-fp7projects.csv",
      "rcn;reference;acronym;status;programme;topics;frameworkProgramme;title;startDate;endDate;"
      "projectUrl;objective;totalCost;ecMaxContribution;call;fundingScheme;coordinator;"
      "coordinatorCountry;participants;participantCountries;subjects\n"
      "99999;612345;DELTA;CLOSED;FP7-NMP;NMP.2013;FP7;Delta;2013-09-01;2016-08-31;;x;"
      "\"2500000,5\";\"1900000\";FP7-NMP-2013-SMALL-7;CP-FP;E;FR;;;\n");
  testing::write_file(
      dir / "cordis-fp7organizations.csv",
      "projectRcn;projectReference;projectAcronym;role;id;name;shortName;activityType;"
      "endOfParticipation;ecContribution;country;street;city;postCode;organizationUrl;vatNumber;"
      "contactForm;contactType;contactTitle;contactFirstNames;contactLastNames;contactFunction;"
      "contactTelephoneNumber;contactFaxNumber\n"
      "99999;612345;DELTA;coordinator;999000002;LABO OUEST;LO;REC;false;\"700000,25\";FR;;Lyon;"
      "69007;;;;;Dr;Alex;Fictif;;;\n");
  auto fp7 = import_cordis(*store_, (dir / "cordis-fp7projects.csv").string(),
                           (dir / "cordis-fp7organizations.csv").string(), {});
  ASSERT_TRUE(fp7.has_value()) << fp7.error().to_string();
  EXPECT_EQ(fp7->load.entities["project"].inserted, 1);
  auto delta = *store_->get(*schema::find_entity("project"), {std::string("cordis:612345")});
  ASSERT_TRUE(delta.has_value());
  EXPECT_EQ(text(*delta, "project", "programme"), "FP7");
  EXPECT_EQ(text(*delta, "project", "total_cost"), "2500000.5");
  auto delta_part = *store_->get(*schema::find_entity("participation"),
                                 {std::string("cordis:612345"), std::string("cordis:999000002")});
  ASSERT_TRUE(delta_part.has_value());
  EXPECT_EQ(text(*delta_part, "participation", "aid"), "700000.25");
  // No contact person's name anywhere in the store.
  for (const char* table : {"organisation", "project", "participation"}) {
    auto rows = store_->query(fmt::format("SELECT * FROM \"{}\"", table), {});
    ASSERT_TRUE(rows.has_value());
    for (const auto& row : *rows)
      for (const auto& v : row) {
        EXPECT_EQ(value_to_text(v).find("Camille"), std::string::npos);
        EXPECT_EQ(value_to_text(v).find("Fictif"), std::string::npos);
      }
  }
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

// Issue #20: a real pôle's member directory, then CORDIS, emptied its members' NAF, department,
// region, size class and founding year ("22 updated"), and stored a member twice (its id and
// `siren:…`). A public source now fills only what is empty, an organisation's SIREN finds it,
// and a source's own projects read again take its new values. Every expected value by hand.
TEST_P(FormatsTest, PublicSourcesFillGapsAndNeverEraseOrDuplicateADirectorysMembers) {
  testing::TempDir dir;
  // The directory: two members with their SIREN, sector, department, headcount, founding year.
  {
    std::istringstream in(
        "id,name,siren,kind,naf,department,headcount,founded,city\n"
        "adh-17,Valorial (pôle),490006624,other,94.99Z,35,12,2005,Rennes\n"
        "adh-18,Capteurs SA,732829320,company,26.51A,31,45,1990,\n");
    auto r = import_csv(*store_, *schema::find_entity("organisation"), in, "annuaire.csv", {});
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
  }
  const auto directory_fields = [&](const std::string& id) {
    auto o = org(id);
    EXPECT_TRUE(o.has_value()) << id;
    std::vector<std::string> out;
    for (const char* f : {"name", "kind", "naf", "commune", "department", "region", "headcount",
                          "size_class", "founded"})
      out.push_back(o ? text(*o, "organisation", f) : "");
    return out;
  };
  const std::vector<std::string> valorial = {
      "Valorial (pôle)", "other", "94.99Z", "", "35", "53", "12", "pme", "2005"};
  const std::vector<std::string> capteurs = {"Capteurs SA", "company", "26.51A", "",    "31",
                                             "76",          "45",      "pme",    "1990"};
  ASSERT_EQ(directory_fields("adh-17"), valorial);
  ASSERT_EQ(directory_fields("adh-18"), capteurs);

  // CORDIS: Valorial by its VAT number (FR + key + SIREN), with a NUTS code of another region,
  // an SME flag and a name of its own; a French partner without VAT; a German one (left out).
  const auto cordis = [&](const std::string& status, const std::string& title,
                          const std::string& valorial_cost, const std::string& lab_vat) {
    testing::write_file(dir / "project.csv",
                        "id,acronym,title,status,startDate,endDate,totalCost,ecMaxContribution,"
                        "frameworkProgramme,masterCall\n"
                        "101000001,FOODX," +
                            title + "," + status +
                            ",2022-01-01,2025-12-31,2000000,1500000,HORIZON,HORIZON-CL6\n");
    testing::write_file(dir / "organization.csv",
                        "projectID,organisationID,vatNumber,name,SME,activityType,country,"
                        "nutsCode,role,ecContribution,totalCost,street,postCode,city\n"
                        "101000001,999111222,FR16490006624,ASSOCIATION VALORIAL,True,OTH,FR,FRK26,"
                        "coordinator,500000," +
                            valorial_cost +
                            ",1 RUE DU SIEGE,69003,LYON\n"
                            "101000001,999333444," +
                            lab_vat +
                            ",LABO SANS TVA,False,REC,FR,FR101,participant,"
                            "400000,0,2 AVENUE DU LABO,75005,PARIS\n"
                            "101000001,999555666,DE123,EIN GMBH,True,PRC,DE,DE212,participant,"
                            "600000,700000,,,\n");
    return import_cordis(*store_, (dir / "project.csv").string(),
                         (dir / "organization.csv").string(), {});
  };
  auto r = cordis("SIGNED", "Food for all", "600000", "");
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->load.entities["organisation"].inserted, 1);   // the laboratory
  EXPECT_EQ(r->load.entities["organisation"].unchanged, 1);  // Valorial: nothing was empty
  EXPECT_FALSE(org("siren:490006624").has_value()) << "stored twice";
  EXPECT_EQ(directory_fields("adh-17"), valorial);
  // The directory gave a city: CORDIS's street and postcode (of another city) do not join it.
  EXPECT_EQ(text(*org("adh-17"), "organisation", "city"), "Rennes");
  EXPECT_EQ(text(*org("adh-17"), "organisation", "address"), "");
  EXPECT_EQ(text(*org("adh-17"), "organisation", "postcode"), "");
  EXPECT_EQ(text(*org("cordis:999333444"), "organisation", "address"), "2 AVENUE DU LABO");
  auto lab = org("cordis:999333444");
  ASSERT_TRUE(lab.has_value());
  EXPECT_EQ(text(*lab, "organisation", "region"), "11");  // FR101: Île-de-France
  auto part = *store_->get(*schema::find_entity("participation"),
                           {std::string("cordis:101000001"), std::string("adh-17")});
  ASSERT_TRUE(part.has_value()) << "the participation is the directory member's";
  EXPECT_EQ(text(*part, "participation", "role"), "coordinator");
  EXPECT_EQ(text(*part, "participation", "aid"), "500000");
  EXPECT_EQ(text(*part, "participation", "cost"), "600000");

  // SIRENE: Capteurs' head office in Paris (commune 75056) under another name and NAF: its
  // department is known, so the address group stays the directory's; nothing else was empty.
  testing::write_file(dir / "sirene.csv",
                      "siren,nic,siret,etablissementSiege,denominationUsuelleEtablissement,"
                      "activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,"
                      "codeCommuneEtablissement\n"
                      "732829320,00011,73282932000011,true,CAPTEURS SIEGE,26.51B,NAFRev2,75056\n"
                      "552100554,00017,55210055400017,true,NOUVELLE SA,62.01Z,NAFRev2,69123\n");
  auto s = import_sirene(*store_, (dir / "sirene.csv").string(), {});
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(s->load.entities["organisation"].inserted, 1);  // the new firm, siren:552100554
  EXPECT_EQ(s->load.entities["organisation"].unchanged, 1);
  EXPECT_EQ(directory_fields("adh-18"), capteurs);
  EXPECT_FALSE(org("siren:732829320").has_value()) << "stored twice";
  auto fresh = org("siren:552100554");
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ(text(*fresh, "organisation", "department"), "69");  // from the commune
  EXPECT_EQ(text(*fresh, "organisation", "region"), "84");

  // A cluster manager completes the project with its TRL at start, a field CORDIS does not carry.
  {
    std::istringstream in(
        "id,acronym,programme,status,title,start_date,trl_start\n"
        "cordis:101000001,FOODX,HORIZON_EUROPE,running,Food for all,2022-01-01,4\n");
    auto p = import_csv(*store_, *schema::find_entity("project"), in, "projet.csv", {});
    ASSERT_TRUE(p.has_value()) << p.error().to_string();
  }
  // CORDIS read again a year later: the project has closed and its title is now empty (a
  // column the file carries: the file's value, unknown), its TRL at start is kept (not a CORDIS
  // field), Valorial's cost is no longer reported (CORDIS's 0: unknown again), and the
  // laboratory now has a VAT number: its SIREN is filled, it is not stored again as
  // siren:443061841.
  auto again = cordis("CLOSED", "", "0", "FR64443061841");
  ASSERT_TRUE(again.has_value()) << again.error().to_string();
  part = *store_->get(*schema::find_entity("participation"),
                      {std::string("cordis:101000001"), std::string("adh-17")});
  ASSERT_TRUE(part.has_value());
  EXPECT_EQ(text(*part, "participation", "cost"), "");
  EXPECT_FALSE(org("siren:443061841").has_value()) << "stored twice";
  lab = org("cordis:999333444");
  ASSERT_TRUE(lab.has_value());
  EXPECT_EQ(text(*lab, "organisation", "siren"), "443061841");
  auto project = *store_->get(*schema::find_entity("project"), {std::string("cordis:101000001")});
  ASSERT_TRUE(project.has_value());
  EXPECT_EQ(text(*project, "project", "status"), "completed");
  EXPECT_EQ(text(*project, "project", "title"), "");
  EXPECT_EQ(text(*project, "project", "trl_start"), "4");
  EXPECT_EQ(text(*project, "project", "end_date"), "2025-12-31");  // the file's again
  EXPECT_EQ(text(*project, "project", "programme"), "HORIZON_EUROPE");
  EXPECT_EQ(directory_fields("adh-17"), valorial);
  EXPECT_EQ(*store_->count(*schema::find_entity("organisation")), 4);

  // SIRENE then gives the laboratory's commune, in Paris: its region (Île-de-France, from CORDIS)
  // agrees, so the commune and the department it derives fill the gaps.
  testing::write_file(dir / "sirene2.csv",
                      "siren,nic,siret,etablissementSiege,activitePrincipaleEtablissement,"
                      "codeCommuneEtablissement\n"
                      "443061841,00013,44306184100013,true,72.19Z,75056\n");
  auto s2 = import_sirene(*store_, (dir / "sirene2.csv").string(), {});
  ASSERT_TRUE(s2.has_value()) << s2.error().to_string();
  lab = org("cordis:999333444");
  ASSERT_TRUE(lab.has_value());
  EXPECT_EQ(text(*lab, "organisation", "commune"), "75056");
  EXPECT_EQ(text(*lab, "organisation", "department"), "75");
  EXPECT_EQ(text(*lab, "organisation", "region"), "11");
  EXPECT_EQ(text(*lab, "organisation", "naf"), "72.19Z");
  EXPECT_EQ(text(*lab, "organisation", "name"), "LABO SANS TVA");
  EXPECT_EQ(*store_->count(*schema::find_entity("organisation")), 4);
}

// Issue #20's check: a cluster's EU activity rises when its members' CORDIS projects are
// imported. Valorial (SIREN 490006624) is a member of its cluster in a directory; the CORDIS
// sample's Food-scalEUp (101072248, started 2022-09-01, Horizon Europe) has it among its
// partners: counted for 2022 once imported, not before, and apart from the labelled projects.
TEST_P(FormatsTest, AClustersEuActivityRisesWhenItsMembersCordisProjectsAreImported) {
  POLES_REQUIRE_SHARED("data/cordis/he_organization_sample100.csv");
  for (const auto& [entity, csv] : std::vector<std::pair<const char*, std::string>>{
           {"cluster", "id,name,region,scale\nvalorial,Valorial,53,national\n"},
           {"organisation", "id,name,siren,kind\nadh-17,Valorial (pôle),490006624,other\n"},
           {"membership", "organisation_id,cluster_id,start_date\nadh-17,valorial,2015-01-01\n"}}) {
    std::istringstream in(csv);
    auto r =
        import_csv(*store_, *schema::find_entity(entity), in, std::string(entity) + ".csv", {});
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
  }
  const auto eu_activity = [&](const char* indicator) {
    auto snap = snapshot::load(*store_);
    EXPECT_TRUE(snap.has_value());
    const auto cat = evaluate::catalogue(**snap, 2022, 2022);
    return cat.at(2022, (*snap)->table("cluster").find("valorial"),
                  evaluate::indicator_index(indicator));
  };
  EXPECT_EQ(eu_activity("members_european_projects"), 0);
  auto r = import_cordis(*store_, shared_path("data/cordis/he_project_sample100.csv").string(),
                         shared_path("data/cordis/he_organization_sample100.csv").string(), {});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(eu_activity("members_european_projects"), 1);
  EXPECT_EQ(eu_activity("european_projects"), 0);  // the cluster labelled none
}

// FP7 is European: its projects are filed as such and count in a cluster's EU activity.
TEST_P(FormatsTest, Fp7ProjectsAreEuropean) {
  testing::TempDir dir;
  testing::write_file(dir / "org.csv",
                      "idOrganization,country,name,address\n"
                      "911000001,FR,LABO FP7,\"1 rue X, Lyon, 69007\"\n");
  testing::write_file(dir / "project.csv",
                      "id_project,project_name,project_acronym,status\n"
                      "200001,A project,PFP7,CLO\n");
  testing::write_file(dir / "facts.csv",
                      "id_project,id_programme,id_start_date,id_end_date,tot_cost,"
                      "ue_tot_contribute\n"
                      "200001,FP7-ICT,01022010,31012013,3000000,2000000\n");
  auto r = import_cordis_fp7(*store_, (dir / "org.csv").string(), (dir / "project.csv").string(),
                             (dir / "facts.csv").string(), {});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  auto project = *store_->get(*schema::find_entity("project"), {std::string("cordis:200001")});
  ASSERT_TRUE(project.has_value());
  EXPECT_EQ(text(*project, "project", "programme"), "FP7");
  EXPECT_EQ(text(*project, "project", "start_date"), "2010-02-01");
  // The referential the store is seeded with files FP7 as European, OTHER not.
  const auto* programme = schema::find_entity("programme");
  EXPECT_EQ(text(**store_->get(*programme, {std::string("FP7")}), "programme", "scope"),
            "european");
  EXPECT_EQ(text(**store_->get(*programme, {std::string("OTHER")}), "programme", "scope"), "other");
}

POLES_BOTH_BACKENDS(FormatsTest);

}  // namespace
}  // namespace poles::import
