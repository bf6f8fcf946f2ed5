// The column-mapping import (import/mapping.h): normalisers on hand-written values, then a messy
// member directory written by examples/make_member_directory.py (431 members with planted
// defects, duplicates and a blank row; its expected.json says what it planted), as CSV and as
// an XLSX written by Python's openpyxl, through examples/mappings/member-directory.toml.
#include "import/mapping.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <xlsxwriter.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "foresight/employment.h"
#include "import/exporter.h"
#include "import/importer.h"
#include "import/merge.h"
#include "snapshot/loader.h"
#include "store_digest.h"
#include "store_fixture.h"

namespace poles::import {
namespace {

using testing::StoreTest;
using Json = nlohmann::json;

std::string norm(Normaliser n, const std::string& v, char decimal = ',') {
  std::string why;
  auto out = normalise_value(n, v, decimal, why);
  return out ? *out : "!" + why;
}

TEST(MappingNormalisers, DatesInFrenchAndIsoForms) {
  EXPECT_EQ(norm(Normaliser::kDate, "03/01/2024"), "2024-01-03");
  EXPECT_EQ(norm(Normaliser::kDate, "3/1/2024"), "2024-01-03");
  EXPECT_EQ(norm(Normaliser::kDate, "03-01-2024"), "2024-01-03");
  EXPECT_EQ(norm(Normaliser::kDate, "03.01.2024"), "2024-01-03");
  EXPECT_EQ(norm(Normaliser::kDate, "2024-01-03"), "2024-01-03");
  EXPECT_EQ(norm(Normaliser::kDate, "2024-01-03T08:30:00"), "2024-01-03");
  EXPECT_EQ(norm(Normaliser::kDate, "2024/01/03"), "2024-01-03");
  EXPECT_EQ(norm(Normaliser::kDate, "1er mars 2021"), "2021-03-01");
  EXPECT_EQ(norm(Normaliser::kDate, "15 août 2019"), "2019-08-15");
  EXPECT_EQ(norm(Normaliser::kDate, "3 févr. 2024"), "2024-02-03");
  EXPECT_EQ(norm(Normaliser::kDate, "  29/02/2024 "), "2024-02-29");
  EXPECT_EQ(norm(Normaliser::kDate, "29/02/2023")[0], '!');  // not a leap year
  EXPECT_EQ(norm(Normaliser::kDate, "31/02/2020")[0], '!');
  EXPECT_EQ(norm(Normaliser::kDate, "03/01/24"),
            "!the year must have 4 digits (a 2-digit year is ambiguous)");
  EXPECT_EQ(norm(Normaliser::kDate, "12/15/2021"),
            "!month above 12: dates are read day first (dd/mm/yyyy)");
  EXPECT_EQ(norm(Normaliser::kDate, "3 jui 2024")[0], '!');  // juin or juillet
  EXPECT_EQ(norm(Normaliser::kYear, "2019"), "2019");
  EXPECT_EQ(norm(Normaliser::kYear, "15/03/2019"), "2019");
}

TEST(MappingNormalisers, FrenchNumbersAndCodes) {
  EXPECT_EQ(norm(Normaliser::kNumber, "1 234 567,5"), "1234567.5");
  EXPECT_EQ(norm(Normaliser::kNumber, "1\u00a0250"), "1250");        // no-break space
  EXPECT_EQ(norm(Normaliser::kNumber, "1\u202f250,75"), "1250.75");  // narrow no-break
  EXPECT_EQ(norm(Normaliser::kNumber, "1.234.567,5"), "1234567.5");
  EXPECT_EQ(norm(Normaliser::kNumber, "1,234,567.5"), "1234567.5");
  EXPECT_EQ(norm(Normaliser::kNumber, "1.234"), "1234");        // a French thousand
  EXPECT_EQ(norm(Normaliser::kNumber, "1.234", '.'), "1.234");  // an XLSX number
  EXPECT_EQ(norm(Normaliser::kNumber, "1234.5"), "1234.5");
  EXPECT_EQ(norm(Normaliser::kNumber, "12 500 000 €"), "12500000");
  EXPECT_EQ(norm(Normaliser::kNumber,
                 "\u2212"
                 "12,5"),
            "-12.5");
  EXPECT_EQ(norm(Normaliser::kNumber, "12 k€")[0], '!');
  EXPECT_EQ(norm(Normaliser::kPostcode, "1000"), "01000");
  EXPECT_EQ(norm(Normaliser::kPostcode, "31 400"), "31400");
  EXPECT_EQ(norm(Normaliser::kPostcode, "750"), "!a postcode has 5 digits");
  EXPECT_EQ(norm(Normaliser::kInseeCode, "1053"), "01053");
  EXPECT_EQ(norm(Normaliser::kInseeCode, "2a004"), "2A004");
  EXPECT_EQ(norm(Normaliser::kDepartmentOfPostcode, "1000"), "01");
  EXPECT_EQ(norm(Normaliser::kDepartmentOfPostcode, "20090"), "2A");
  EXPECT_EQ(norm(Normaliser::kDepartmentOfPostcode, "20200"), "2B");
  EXPECT_EQ(norm(Normaliser::kDepartmentOfPostcode, "97411"), "974");
  EXPECT_EQ(norm(Normaliser::kDepartmentOfPostcode, "69003"), "69");
  EXPECT_EQ(norm(Normaliser::kDepartmentOfPostcode, "20600"), "2B");  // Bastia
  EXPECT_EQ(norm(Normaliser::kDepartmentOfPostcode, "98000"), "!no département has this postcode");
  EXPECT_EQ(norm(Normaliser::kDepartmentOfPostcode, "00100"), "!no département has this postcode");
  EXPECT_EQ(norm(Normaliser::kList, " Drones ;Spatial, IA |"), "Drones|Spatial|IA");
  EXPECT_EQ(norm(Normaliser::kList, ""), "");
  EXPECT_EQ(norm(Normaliser::kUrl, "www.eole.fr"), "https://www.eole.fr");
  EXPECT_EQ(norm(Normaliser::kUrl, "HTTP://Eole.fr/contact"), "http://Eole.fr/contact");
  EXPECT_EQ(norm(Normaliser::kUrl, "eole-systemes.example/fr/"),
            "https://eole-systemes.example/fr/");
  EXPECT_EQ(norm(Normaliser::kUrl, "non communiqué"), "");
  EXPECT_EQ(norm(Normaliser::kUrl, "javascript:alert(1)"), "");
  EXPECT_EQ(norm(Normaliser::kUrl, "http://"), "");
  EXPECT_EQ(norm(Normaliser::kUrl, "www.eole"), "https://www.eole") << "a letters-only top label";
  EXPECT_EQ(norm(Normaliser::kUrl, "www..fr"), "");
  EXPECT_EQ(norm(Normaliser::kUrl, std::string(5000, 'a') + ".fr"), "");
  EXPECT_EQ(norm(Normaliser::kZone, "53"), "0053");
  EXPECT_EQ(norm(Normaliser::kZone, "1101"), "1101");
  EXPECT_EQ(norm(Normaliser::kZone, "12345")[0], '!');
  EXPECT_EQ(norm(Normaliser::kSirenOfSiret, "552 081 317 00020"), "552081317");
  EXPECT_EQ(norm(Normaliser::kNoSpace, "552 081 317"), "552081317");
  EXPECT_EQ(norm(Normaliser::kNoSpace, "ETIENNE"), "ETIENNE");  // left for the SIREN rule
  EXPECT_EQ(norm(Normaliser::kSlug, "  Éole Systèmes & Cie (S.A.S.) "), "eole-systemes-cie-s-a-s");
  EXPECT_EQ(norm(Normaliser::kBool, "Oui"), "1");
  EXPECT_EQ(norm(Normaliser::kBool, "x"), "1");
  EXPECT_EQ(norm(Normaliser::kBool, "non"), "0");
  EXPECT_EQ(norm(Normaliser::kUpper, "école"), "ÉCOLE");
  EXPECT_EQ(label_key("  Collectivité   territoriale "), "collectivite territoriale");
  EXPECT_EQ(label_key("ÉTAB.  ESR"), "etab. esr");
}

TEST(MappingFile, GlobPatternsMatchWholeNamesWithoutBacktrackingBlowUp) {
  EXPECT_TRUE(glob_match("20??", "2024"));
  EXPECT_FALSE(glob_match("20??", "20245"));
  EXPECT_FALSE(glob_match("20??", "1999"));
  EXPECT_TRUE(glob_match("Emploi *", "Emploi 2021"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
  // A pattern that makes backtracking regular expressions exponential runs in microseconds.
  EXPECT_FALSE(glob_match(std::string(50, '*') + "b", std::string(100'000, 'a')));
}

TEST(MappingFile, AFieldFromATargetWithSeveralRowsAndTooManyTargetsAreRefused) {
  std::string many;
  for (int i = 0; i < 11; ++i) many += "[[target]]\nentity = \"territory\"\n";
  auto r = parse_mapping(many, "m.toml");
  ASSERT_FALSE(r.has_value());
  bool capped = false;
  for (const auto& e : r.error().field_errors()) capped |= e.rule == "at most 10 targets";
  EXPECT_TRUE(capped);
  r = parse_mapping(R"(
[[target]]
entity = "cluster"
for_each = "Pôles"
[target.fields]
id = "@item"
name = "@item"
region = { constant = "84" }
scale = { constant = "regional" }
[[target]]
entity = "membership"
[target.fields]
organisation_id = "Organisation"
cluster_id = { from = "cluster.id" }
start_date = "Date"
)",
                    "m.toml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field_errors()[0].format(),
            "m.toml:14: field 'cluster_id' value 'cluster.id': names a target with for_each, which "
            "gives several rows: which one is meant?");
}

TEST(MappingFile, ErrorsNameTheLineAndTheKey) {
  const auto r = parse_mapping(R"(
[source]
header_row = 0

[[target]]
entity = "organisation"
[target.fields]
id = { column = "A", normalise = ["squash"] }
nom = "B"
kind = { column = "C", dictionary = "types" }

[[target]]
entity = "membership"
[target.fields]
organisation_id = { from = "organisation.ident" }
cluster_id = { constant = "{$cluster}" }
)",
                               "m.toml");
  ASSERT_FALSE(r.has_value());
  std::vector<std::string> got;
  for (const auto& e : r.error().field_errors()) got.push_back(e.format());
  const auto has = [&](const std::string& needle) {
    return std::any_of(got.begin(), got.end(),
                       [&](const std::string& g) { return g.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(has("m.toml:3: field 'header_row' value '': must be 1 or more")) << got.size();
  EXPECT_TRUE(has("m.toml:8: field 'id' value 'squash': unknown normaliser"));
  EXPECT_TRUE(has("m.toml:9: field 'nom' value 'nom': organisation has no field 'nom'"));
  EXPECT_TRUE(has("m.toml:10: field 'kind' value 'types': no such dictionary"));
  EXPECT_TRUE(has("field 'name' value '': required by organisation and not mapped"));
  EXPECT_TRUE(
      has("m.toml:15: field 'organisation_id' value 'organisation.ident': must name a "
          "field of an earlier target"));
  EXPECT_TRUE(
      has("m.toml:16: field 'cluster_id' value '{$cluster}': parameter 'cluster' is not "
          "given"));
  EXPECT_TRUE(has("field 'start_date' value '': required by membership and not mapped"));
}

class MappingTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    std::istringstream in("id,name,region,scale\naero,Aerospace Valley,76,national\n");
    ASSERT_TRUE(
        import_csv(*store_, *schema::find_entity("cluster"), in, "cluster.csv", {}).has_value());
  }
  // Writes the directory (and its XLSX when openpyxl is there) and reads what it planted.
  Json make_directory() {
    const auto out = testing::run_command(
        "/usr/bin/python3 " +
        (testing::source_dir() / "examples/make_member_directory.py").string() + " " +
        dir_->path().string() + " --xlsx");
    EXPECT_TRUE(std::filesystem::exists(*dir_ / "expected.json")) << out.output;
    std::ifstream in(*dir_ / "expected.json");
    return Json::parse(in);
  }
  Mapping mapping() {
    auto m =
        read_mapping((testing::source_dir() / "examples/mappings/member-directory.toml").string(),
                     {{"cluster", "aero"}});
    EXPECT_TRUE(m.has_value()) << m.error().to_string();
    return m.has_value() ? *m : Mapping{};
  }
  std::string digest() { return store_digest(*store_); }
  std::map<std::string, std::map<std::string, std::string>> stored(const std::string& entity,
                                                                   const std::string& key) {
    std::map<std::string, std::map<std::string, std::string>> out;
    const auto& e = *schema::find_entity(entity);
    EXPECT_TRUE(store_
                    ->scan(e,
                           [&](Row& row) {
                             std::map<std::string, std::string> r;
                             for (size_t i = 0; i < e.fields.size(); ++i)
                               r[std::string(e.fields[i].name)] = value_to_text(row[i]);
                             out[r[key]] = r;
                             return Status::ok();
                           })
                    .is_ok());
    return out;
  }

  // Every valid row landed as planted, every refused row is refused for the planted field.
  void check_directory(const Json& expected, const MappedImportReport& r, bool xlsx) {
    EXPECT_EQ(r.source_rows, expected["rows"].get<int64_t>());
    EXPECT_EQ(r.blank_rows, 1);
    std::set<int64_t> want;
    for (const auto& [line, field] : expected["refused"].items()) want.insert(std::stoll(line));
    EXPECT_EQ(std::set<int64_t>(r.rejected_lines.begin(), r.rejected_lines.end()), want);
    EXPECT_EQ(r.accepted_rows, r.source_rows - static_cast<int64_t>(want.size()));
    for (const auto& [line, field] : expected["refused"].items()) {
      const auto n = std::stoll(line);
      const std::string at = line, name = field.get<std::string>();  // captured by the lambda
      const bool found = std::any_of(r.errors.begin(), r.errors.end(), [&](const FieldError& e) {
        return e.line == n && e.field == name && !e.rule.empty() &&
               (xlsx ? e.cell.starts_with("Adhérents!") && e.cell.ends_with(at)
                     : e.column > 0 && e.file.ends_with("annuaire.csv"));
      });
      EXPECT_TRUE(found) << "line " << line << " should be refused for field " << field;
    }
    const auto orgs = stored("organisation", "id");
    EXPECT_EQ(orgs.size(), expected["organisations"].size());
    for (const auto& [id, o] : expected["organisations"].items()) {
      const auto it = orgs.find(id);
      ASSERT_NE(it, orgs.end()) << id;
      const auto& got = it->second;
      EXPECT_EQ(got.at("name"), o["name"].get<std::string>()) << id;
      EXPECT_EQ(got.at("kind"), o["kind"].get<std::string>()) << id;
      EXPECT_EQ(got.at("size_class"), o["size_class"].get<std::string>()) << id;
      EXPECT_EQ(got.at("siren"), o["siren"].get<std::string>()) << id;
      EXPECT_EQ(got.at("department"), o["department"].get<std::string>()) << id;
      EXPECT_FALSE(got.at("region").empty()) << id;  // derived from the department
      for (const char* f :
           {"acronym", "address", "postcode", "city", "website", "themes", "markets"})
        EXPECT_EQ(got.at(f), o[f].get<std::string>()) << id << " " << f;
      const std::string hc = o["headcount"].get<std::string>();
      EXPECT_EQ(got.at("headcount").empty() ? "" : std::to_string(std::stoll(got.at("headcount"))),
                hc)
          << id;
    }
    const auto members = stored("membership", "organisation_id");
    EXPECT_EQ(members.size(), expected["memberships"].size());
    for (const auto& m : expected["memberships"]) {
      const auto it = members.find(m["organisation_id"].get<std::string>());
      ASSERT_NE(it, members.end()) << m.dump();
      EXPECT_EQ(it->second.at("start_date"), m["start_date"].get<std::string>());
      EXPECT_EQ(it->second.at("cluster_id"), "aero");
      EXPECT_EQ(it->second.at("end_date"), "");
    }
  }
};

TEST_P(MappingTest, AMessyMemberDirectoryLandsRowByRowAndAgainChangesNothing) {
  const Json expected = make_directory();
  const auto m = mapping();
  MappedImportOptions opt;
  opt.skip_invalid = true;
  auto r = import_mapped_file(*store_, m, (*dir_ / "annuaire.csv").string(), opt);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r->committed);
  check_directory(expected, *r, false);
  EXPECT_EQ(r->counts["organisation"].inserted,
            static_cast<int64_t>(expected["organisations"].size()));
  // Every column of the directory is read (acronym, address, website, themes, markets too).
  EXPECT_TRUE(r->unused_columns.empty()) << r->unused_columns.front();

  const std::string before = digest();
  auto again = import_mapped_file(*store_, m, (*dir_ / "annuaire.csv").string(), opt);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(digest(), before);
  for (const auto& [entity, c] : again->counts) {
    EXPECT_EQ(c.inserted, 0) << entity;
    EXPECT_EQ(c.updated, 0) << entity;
    EXPECT_EQ(c.unchanged, c.rows) << entity;
  }
}

TEST_P(MappingTest, ADirectoryAsASnapshotEndsTheMembersItNoLongerLists) {
  const Json expected = make_directory();
  std::istringstream orgs("id,name,kind\nold,Ancien membre,company\nother,Autre pôle,company\n");
  ASSERT_TRUE(import_csv(*store_, *schema::find_entity("organisation"), orgs, "o.csv", {}));
  std::istringstream cl("id,name,region,scale\nmina,Minalogic,84,regional\n");
  ASSERT_TRUE(import_csv(*store_, *schema::find_entity("cluster"), cl, "c.csv", {}));
  std::istringstream ms(
      "organisation_id,cluster_id,start_date\nold,aero,2010-05-01\n"
      "other,mina,2010-05-01\n");
  ASSERT_TRUE(import_csv(*store_, *schema::find_entity("membership"), ms, "m.csv", {}));
  MappedImportOptions opt;
  opt.skip_invalid = true;
  opt.snapshot_date = "2026-01-01";
  // With refused rows the snapshot waits: a member among them would be ended by a typo.
  auto withheld = import_mapped_file(*store_, mapping(), (*dir_ / "annuaire.csv").string(), opt);
  ASSERT_TRUE(withheld.has_value()) << withheld.error().to_string();
  EXPECT_TRUE(withheld->snapshot_withheld);
  EXPECT_EQ(withheld->ended, 0);
  EXPECT_EQ(stored("membership", "organisation_id").at("old").at("end_date"), "");
  // The directory with its refused rows taken out (the lines the script planted).
  std::ifstream in(*dir_ / "annuaire.csv");
  std::ostringstream clean;
  std::string text;
  for (int64_t line = 1; std::getline(in, text); ++line)
    if (!expected["refused"].contains(std::to_string(line))) clean << text << "\n";
  testing::write_file(*dir_ / "corrige.csv", clean.str());
  auto r = import_mapped_file(*store_, mapping(), (*dir_ / "corrige.csv").string(), opt);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r->rejected_lines.empty());
  EXPECT_FALSE(r->snapshot_withheld);
  EXPECT_EQ(r->ended, 1);
  EXPECT_EQ(r->counts["membership"].unchanged,  // written by the first import
            static_cast<int64_t>(expected["memberships"].size()));
  const auto members = stored("membership", "organisation_id");
  EXPECT_EQ(members.at("old").at("end_date"), "2025-12-31");  // absent from the directory
  EXPECT_EQ(members.at("other").at("end_date"), "");          // another cluster's member
}

TEST_P(MappingTest, TheSameDirectoryAsAnXlsxWorkbookGivesTheSameRowsWithCellNames) {
  const Json expected = make_directory();
  if (!std::filesystem::exists(*dir_ / "annuaire.xlsx"))
    GTEST_SKIP() << "Debian's python3-openpyxl is not installed (scripts/install-deps installs it)";
  MappedImportOptions opt;
  opt.skip_invalid = true;
  auto r = import_mapped_file(*store_, mapping(), (*dir_ / "annuaire.xlsx").string(), opt);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->sheet, "Adhérents");
  check_directory(expected, *r, true);
  // "annuaire.xlsx: Adhérents!E27: field 'start_date' value '31/02/2020': …"
  bool named = false;
  for (const auto& e : r->errors)
    named |= e.format().find("annuaire.xlsx: Adhérents!E") != std::string::npos &&
             e.format().find("field 'start_date' value '31/02/2020'") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST_P(MappingTest, WithoutSkipInvalidOneBadRowWritesNothingAndEveryErrorIsListed) {
  const Json expected = make_directory();
  const std::string before = digest();
  auto r = import_mapped_file(*store_, mapping(), (*dir_ / "annuaire.csv").string(), {});
  ASSERT_FALSE(r.has_value());
  // Every refused row is listed (a row can break several rules: an unknown member type is
  // neither a kind nor a size class; a duplicate repeats an organisation and a membership).
  std::set<int64_t> lines, want;
  for (const auto& e : r.error().field_errors()) lines.insert(e.line);
  for (const auto& [line, field] : expected["refused"].items()) want.insert(std::stoll(line));
  EXPECT_EQ(lines, want);
  EXPECT_EQ(r.error().total_errors(), static_cast<int64_t>(r.error().field_errors().size()));
  EXPECT_EQ(digest(), before);
}

TEST_P(MappingTest, APreviewMapsTheFirstRowsAndWritesNothing) {
  make_directory();
  const std::string before = digest();
  MappedImportOptions opt;
  opt.preview_rows = 4;
  auto r = import_mapped_file(*store_, mapping(), (*dir_ / "annuaire.csv").string(), opt);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r->dry_run);
  EXPECT_FALSE(r->committed);
  EXPECT_EQ(digest(), before);
  ASSERT_EQ(r->preview.size(), 4U);
  // Each source row gives an organisation then its membership.
  EXPECT_EQ(r->preview[0].entity, "organisation");
  EXPECT_EQ(r->preview[1].entity, "membership");
  EXPECT_EQ(r->preview[0].line, 2);
  EXPECT_FALSE(r->rejected_lines.empty());
}

TEST_P(MappingTest, AWideEmploymentTableIsUnpivotedByYear) {
  const std::string table =
      "Département;Division NAF;2019;2020;2021\n"
      "31;30;12 500;12 100,5;\n"  // an empty year is skipped
      "9;26;1 020;NC;1 100\n"     // "NC": not known; 9 is Ariège (09)
      "2A;62;310;320;335\n";
  // The same mapping with the département code read three ways.
  const auto mapping_with = [](const std::string& code_normalisers) {
    return parse_mapping(R"(
[source]
null_values = ["NC"]
[source.unpivot]
columns = ["19??", "20??"]
name = "year"
value = "jobs"

[[target]]
entity = "employment"
merge = "replace"
[target.fields]
level = { constant = "department" }
code = { column = "Département", normalise = )" +
                             code_normalisers + R"( }
sector = "Division NAF"
year = "year"
jobs = { column = "jobs", normalise = ["number"] }
)",
                         "employment.toml");
  };
  auto m = mapping_with(R"(["postcode", "department_of_postcode"])");
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  MappedImportOptions opt;
  auto r = import_mapped(*store_, *m, table, "emploi.csv", opt);
  ASSERT_FALSE(r.has_value());  // not postcodes: the mapping must say department codes
  ASSERT_FALSE(r.error().field_errors().empty());
  EXPECT_EQ(r.error().field_errors()[0].format(),
            "emploi.csv:2:1: field 'code' value '31': a postcode has 5 digits");

  m = mapping_with(R"(["insee_code"])");
  ASSERT_TRUE(m.has_value());
  r = import_mapped(*store_, *m, table, "emploi.csv", opt);
  // insee_code pads to 5: a department code is not one.
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field_errors()[0].format(),
            "emploi.csv:2:1: field 'code' value '31': an INSEE code has 5 characters (digits, or "
            "2A/2B then 3 digits)");

  m = mapping_with(R"(["department"])");
  ASSERT_TRUE(m.has_value());
  r = import_mapped(*store_, *m, table, "emploi.csv", opt);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->source_rows, 3);
  EXPECT_EQ(r->counts["employment"].inserted, 7);
  std::map<std::string, std::string> got;
  ASSERT_TRUE(store_
                  ->scan(*schema::find_entity("employment"),
                         [&](Row& row) {
                           got[value_to_text(row[1]) + "/" + value_to_text(row[2]) + "/" +
                               value_to_text(row[3])] = value_to_text(row[4]);
                           return Status::ok();
                         })
                  .is_ok());
  EXPECT_EQ(got, (std::map<std::string, std::string>{{"31/30/2019", "12500"},
                                                     {"31/30/2020", "12100.5"},
                                                     {"09/26/2019", "1020"},
                                                     {"09/26/2021", "1100"},
                                                     {"2A/62/2019", "310"},
                                                     {"2A/62/2020", "320"},
                                                     {"2A/62/2021", "335"}}));
}

// A membership made from an organisation of the same row is not made when the organisation is
// not (only_when): no "is required" error for a row that was not asked for.
TEST_P(MappingTest, ARowOfATargetNotAskedForIsNotAnError) {
  auto m = parse_mapping(R"(
[[target]]
entity = "organisation"
only_when = ["Nom"]
[target.fields]
id = { template = "annuaire:{Nom|slug}" }
name = "Nom"
kind = { constant = "company" }
[[target]]
entity = "membership"
[target.fields]
organisation_id = { from = "organisation.id" }
cluster_id = { constant = "aero" }
start_date = { column = "Date", normalise = ["date"] }
)",
                         "m.toml");
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  auto r = import_mapped(*store_, *m, "Nom;Date\nÉole;03/01/2024\n;04/01/2024\n", "a.csv", {});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->counts["membership"].inserted, 1);
  EXPECT_TRUE(r->rejected_lines.empty());
}

// More refused rows than errors kept: every one is refused in one pass and counted once.
TEST_P(MappingTest, ManyRefusedRowsAreAllRefusedAndCountedOnce) {
  auto m = parse_mapping(R"(
[[target]]
entity = "organisation"
[target.fields]
id = { constant = "meme-id" }
name = "Nom"
kind = { constant = "company" }
)",
                         "m.toml");
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  std::string csv = "Nom\n";
  for (int i = 0; i < 12'000; ++i) csv += "Organisation " + std::to_string(i) + "\n";
  MappedImportOptions opt;
  opt.skip_invalid = true;
  auto r = import_mapped(*store_, *m, csv, "a.csv", opt);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->accepted_rows, 1);  // the first; every other one repeats its key
  EXPECT_EQ(r->rejected_lines.size(), 11'999U);
  EXPECT_EQ(r->total_errors, 11'999);
  EXPECT_EQ(r->errors.size(), 200U);  // kept for the report (opt.max_errors)
  EXPECT_EQ(r->counts["organisation"].inserted, 1);
}

TEST_P(MappingTest, TheShippedEmploymentMappingReadsTheTableItDocuments) {
  auto m =
      read_mapping((testing::source_dir() / "examples/mappings/employment-by-year.toml").string());
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  const std::string table =
      "Département;Division NAF;2019;2020;2021;2022\n31;30;12 500;12 100,5;12 900;13 400\n"
      "9;26;1 020;NC;1 100;1 150\n";
  auto r = import_mapped(*store_, *m, table, "emploi.csv", {});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->counts["employment"].inserted, 7);  // 4 + 3 (2020 is not published for 09)
}

// Employment at the scale of the sources: INSEE's referential of the zones d'emploi, then a table
// by zone × NAF section (A21), wide by year, with French titles, lost leading zeros and secret
// cells, both through the shipped mappings; the location quotients at zone level equal those the
// generating script computed from the figures it planted (examples/make_zone_employment.py).
TEST_P(MappingTest, EmploymentByZoneAndSectionThroughTheMappingGivesTheZonesQuotients) {
  const auto out = testing::run_command(
      "/usr/bin/python3 " + (testing::source_dir() / "examples/make_zone_employment.py").string() +
      " " + dir_->path().string());
  ASSERT_TRUE(std::filesystem::exists(*dir_ / "expected.json")) << out.output;
  std::ifstream in(*dir_ / "expected.json");
  const Json expected = Json::parse(in);
  const auto mapping_of = [](const char* name) {
    auto m = read_mapping((testing::source_dir() / "examples/mappings" / name).string());
    EXPECT_TRUE(m.has_value()) << m.error().to_string();
    return m.has_value() ? *m : Mapping{};
  };
  const auto read = [&](const char* name) {
    std::ifstream f(*dir_ / name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  };
  const std::string table = read("emploi-ze-a21.csv");

  // Without the referential a zone code is checked by its form only; with it, by the list.
  auto zones = import_mapped(*store_, mapping_of("zones-emploi-2020.toml"), read("zones.csv"),
                             "zones.csv", {});
  ASSERT_TRUE(zones.has_value()) << zones.error().to_string();
  EXPECT_EQ(zones->counts["territory"].inserted, expected["zones"].get<int64_t>());

  const Mapping employment = mapping_of("employment-zone-a21.toml");
  auto r = import_mapped(*store_, employment, table, "emploi-ze-a21.csv", {});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->counts["employment"].inserted, expected["rows"].get<int64_t>());
  EXPECT_TRUE(r->rejected_lines.empty());
  // The columns the mapping does not read are listed.
  EXPECT_EQ(r->unused_columns, std::vector<std::string>{"Libellé de la zone"});
  // Read again: nothing changes.
  const std::string before = digest();
  auto again = import_mapped(*store_, employment, table, "emploi-ze-a21.csv", {});
  ASSERT_TRUE(again.has_value()) << again.error().to_string();
  EXPECT_EQ(again->counts["employment"].unchanged, expected["rows"].get<int64_t>());
  EXPECT_EQ(digest(), before);

  auto snap = snapshot::load(*store_);
  ASSERT_TRUE(snap.has_value()) << snap.error().to_string();
  auto cube = foresight::employment_cube(**snap, "zone", codes::NafLevel::kA21);
  ASSERT_TRUE(cube.has_value()) << cube.error().to_string();
  EXPECT_EQ(cube->territories.size(), 9U);
  EXPECT_EQ(cube->territories.front(), "0051");  // Alençon, its leading zeros put back
  EXPECT_FALSE(cube->summed_from.has_value());
  size_t compared = 0;
  for (const int year : expected["years"].get<std::vector<int>>()) {
    auto spec = foresight::specialisation(*cube, year);
    ASSERT_TRUE(spec.has_value()) << spec.error().to_string();
    size_t cells = 0;
    for (const auto& x : *spec) {
      const auto key = fmt::format("{}|{}|{}", x.territory, x.sector, year);
      ASSERT_TRUE(expected["lq"].contains(key)) << key << " is secret in the source";
      EXPECT_NEAR(x.lq, expected["lq"][key].get<double>(), 1e-12) << key;
      ++cells;
    }
    compared += cells;
  }
  EXPECT_EQ(compared, expected["lq"].size());  // every published cell, none invented

  // A code of the right form that is no zone, and a malformed one: refused with their line.
  const std::string bad =
      "Zone d'emploi;Libellé de la zone;Secteur d'activité;2022\n"
      "1199;Nulle part;Construction;1 000\n"
      "9901;Nulle part;Construction;1 000\n"
      "1101;Cergy-Vexin;Sylviculture;1 000\n";
  auto refused = import_mapped(*store_, employment, bad, "bad.csv", {});
  ASSERT_FALSE(refused.has_value());
  std::map<int64_t, std::string> why;
  for (const auto& e : refused.error().field_errors()) why[e.line] = e.field + ": " + e.rule;
  ASSERT_EQ(why.size(), 3U) << refused.error().to_string();
  EXPECT_NE(why[2].find("code: unknown zone d'emploi"), std::string::npos) << why[2];
  EXPECT_NE(why[3].find("code: zone d'emploi 2020 code must have four digits"), std::string::npos)
      << why[3];
  EXPECT_NE(why[4].find("sector: not in the dictionary 'section'"), std::string::npos) << why[4];
  EXPECT_EQ(digest(), before);

  // The referential checks organisations and the firm panel too; a zone the same load defines
  // counts, wherever it comes in the load.
  std::istringstream orgs("id,name,kind,employment_zone\nz1,Zonée,company,1199\n");
  auto org = import_csv(*store_, *schema::find_entity("organisation"), orgs, "orgs.csv", {});
  ASSERT_FALSE(org.has_value());
  EXPECT_EQ(org.error().field_errors().at(0).format(),
            "orgs.csv:2:4: field 'employment_zone' value '1199': unknown zone d'emploi: not in "
            "the referential of zones (INSEE's ZE2020 list, imported as territories of level "
            "zone)");
  Loader loader(*store_, {});
  Row panel(schema::find_entity("firm_year")->fields.size());
  panel[0] = std::string("732829320");
  panel[1] = int64_t{2022};
  panel[static_cast<size_t>(schema::field_index(*schema::find_entity("firm_year"),
                                                "employment_zone"))] = std::string("1199");
  loader.add(*schema::find_entity("firm_year"), panel, {"panel", 1});
  Row zone(schema::find_entity("territory")->fields.size());
  zone[0] = std::string("zone");
  zone[1] = std::string("1199");
  zone[2] = std::string("Zone d'essai");
  loader.add(*schema::find_entity("territory"), zone, {"zones", 1});
  auto both = loader.finish("test");
  EXPECT_TRUE(both.has_value()) << both.error().to_string();
}

// A directory's member stored apart from the same firm SIRENE knows: merged, its memberships and
// census move (a row the kept record has already stays, its gaps filled), its address and
// headcount fill the kept record's gaps (the kept department is not mixed with the duplicate's
// city), the SIREN queue forgets it, and it is gone. Refused, and nothing changes: a duplicate
// with a member account (an administrator moves it), and a merge that would change the released
// census counting a firm of the panel (its figures would move released aggregates).
TEST_P(MappingTest, ADuplicateMergesIntoTheOrganisationKept) {
  const auto load = [&](const char* entity, const std::string& csv) {
    std::istringstream in(csv);
    auto r =
        import_csv(*store_, *schema::find_entity(entity), in, std::string(entity) + ".csv", {});
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
  };
  const auto sql = [&](const std::string& statement) {
    auto began = store_->begin();
    ASSERT_TRUE(began.has_value());
    auto& tx = *began;
    ASSERT_TRUE(tx->execute(statement, {}).is_ok()) << statement;
    ASSERT_TRUE(tx->commit().is_ok());
  };
  load("cluster", "id,name,region,scale\nmina,Minalogic,84,national\n");
  load("organisation",
       "id,name,siren,kind,department,headcount,address,postcode,city,website\n"
       "siren:732829320,CAPTEURS SA,732829320,company,31,,,,,\n"
       "annuaire:capteurs-sa,Capteurs S.A.,,company,,45,2 rue des Capteurs,69003,Lyon,"
       "https://capteurs.example\n"
       "siren:552100554,AUTRE SA,552100554,company,75,,,,,\n");
  load("membership",
       "organisation_id,cluster_id,start_date\nsiren:732829320,aero,2020-01-01\n"
       "annuaire:capteurs-sa,aero,2020-01-01\nannuaire:capteurs-sa,mina,2021-03-01\n");
  load("member_census", "year,cluster_id,organisation_id\n2021,mina,annuaire:capteurs-sa\n");
  load("diagnostic",
       "organisation_id,date,score,skills\nsiren:732829320,2022-05-01,40,\n"
       "annuaire:capteurs-sa,2022-05-01,55,70\n");
  sql("INSERT INTO app_user (name, password_hash, role, scope, disabled, created_at) VALUES "
      "('capteurs', 'x', 'member', 'annuaire:capteurs-sa', 0, '2026-01-01T00:00:00Z')");
  sql("INSERT INTO siren_match (organisation_id, name, status, siren, duplicate_of, candidates, "
      "decided_at) VALUES ('annuaire:capteurs-sa', 'Capteurs S.A.', 'duplicate', '732829320', "
      "'siren:732829320', '[]', '2026-01-01T00:00:00Z')");
  const auto code = [&](const std::string& keep, const std::string& drop) {
    auto r = merge_organisations(*store_, keep, drop, "test");
    return r.has_value() ? ErrorCode::kOk : r.error().code();
  };
  std::string before = digest();
  EXPECT_EQ(code("siren:732829320", "siren:732829320"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code("siren:732829320", "nobody"), ErrorCode::kNotFound);
  EXPECT_EQ(code("siren:732829320", "siren:552100554"), ErrorCode::kConflict);  // two legal units
  EXPECT_EQ(code("siren:732829320", "annuaire:capteurs-sa"), ErrorCode::kConflict);  // an account
  EXPECT_EQ(digest(), before);
  sql("DELETE FROM app_user WHERE name = 'capteurs'");
  // The firm has figures: the duplicate's census row (2021, mina) would count them where the
  // release did not.
  load("firm_year", "siren,year,headcount\n732829320,2021,45\n");
  before = digest();
  EXPECT_EQ(code("siren:732829320", "annuaire:capteurs-sa"), ErrorCode::kConflict);
  EXPECT_EQ(digest(), before);
  load("member_census", "year,cluster_id,organisation_id\n2021,mina,siren:732829320\n");

  auto r = merge_organisations(*store_, "siren:732829320", "annuaire:capteurs-sa", "test");
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->moved["membership"], 1);          // mina
  EXPECT_EQ(r->duplicates["membership"], 1);     // aero: the kept record's own stays
  EXPECT_EQ(r->duplicates["member_census"], 1);  // the released census is unchanged
  EXPECT_EQ(r->duplicates["diagnostic"], 1);
  const auto diagnostics = stored("diagnostic", "organisation_id");
  ASSERT_EQ(diagnostics.size(), 1U);
  EXPECT_EQ(diagnostics.at("siren:732829320").at("score"), "40");  // the kept one's
  EXPECT_EQ(diagnostics.at("siren:732829320").at("skills"), "");   // not mixed with the other
  const auto orgs = stored("organisation", "id");
  EXPECT_FALSE(orgs.contains("annuaire:capteurs-sa"));
  const auto& kept = orgs.at("siren:732829320");
  EXPECT_EQ(kept.at("name"), "CAPTEURS SA");
  EXPECT_EQ(kept.at("department"), "31");
  EXPECT_EQ(kept.at("address"), "2 rue des Capteurs");  // the address group was empty
  EXPECT_EQ(kept.at("city"), "Lyon");
  EXPECT_EQ(kept.at("website"), "https://capteurs.example");
  EXPECT_EQ(kept.at("headcount"), "45");
  EXPECT_EQ(kept.at("size_class"), "pme");  // derived again
  std::set<std::string> clusters;
  for (const auto& [org, m] : stored("membership", "cluster_id")) {
    EXPECT_EQ(m.at("organisation_id"), "siren:732829320");
    clusters.insert(org);
  }
  EXPECT_EQ(clusters, (std::set<std::string>{"aero", "mina"}));
  auto queue = store_->query("SELECT COUNT(*) FROM siren_match", {});
  ASSERT_TRUE(queue.has_value());
  EXPECT_EQ(value_to_text(queue->at(0).at(0)), "0");
  auto audit = store_->audit(0, 1000);
  ASSERT_TRUE(audit.has_value());
  ASSERT_FALSE(audit->empty());
  EXPECT_EQ(audit->back().action, "merge");
  EXPECT_NE(audit->back().before.find("annuaire:capteurs-sa"), std::string::npos);

  // The SIREN of the duplicate moves to the kept record (the duplicate goes first: unique).
  load("organisation", "id,name,siren,kind\nannuaire:autre,Autre,,company\n");
  auto moved = merge_organisations(*store_, "annuaire:autre", "siren:552100554", "test");
  ASSERT_TRUE(moved.has_value()) << moved.error().to_string();
  EXPECT_EQ(stored("organisation", "id").at("annuaire:autre").at("siren"), "552100554");
}

// Next year's directory names the members it named last year, though two of them were merged
// into other records meanwhile and one changed its name: its own member number (an identifier
// the mapping declares) and a merged record's old id (kept by the merge) find the organisation
// the store holds, so that nobody is created twice and the memberships stay on the kept records.
TEST_P(MappingTest, AMergedOrRenamedMemberIsFoundNextYearByItsIdentifiers) {
  auto m = parse_mapping(R"(
[[target]]
entity = "organisation"
merge = "keep_known"
[target.fields]
id = { template = ["annuaire:{Raison sociale|slug}"] }
name = "Raison sociale"
siren = { column = "SIREN", normalise = ["nospace"] }
kind = { constant = "company" }

[[target]]
entity = "organisation_identifier"
merge = "fill_gaps"
only_when = ["N° adhérent"]
[target.fields]
scheme = { constant = "directory:annuaire-aero" }
value = "N° adhérent"
organisation_id = { from = "organisation.id" }
source = { constant = "annuaire" }

[[target]]
entity = "membership"
merge = "keep_known"
[target.fields]
organisation_id = { from = "organisation.id" }
cluster_id = { constant = "aero" }
start_date = { column = "Date d'adhésion", normalise = ["date"] }
)",
                         "annuaire.toml", {});
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  const auto import_year = [&](const std::string& csv) {
    std::ofstream(*dir_ / "annuaire.csv") << csv;
    auto r = import_mapped_file(*store_, *m, (*dir_ / "annuaire.csv").string(), {});
    EXPECT_TRUE(r.has_value()) << r.error().to_string();
  };
  import_year(
      "Raison sociale;N° adhérent;SIREN;Date d'adhésion\n"
      "Capteurs SA;A-017;;01/01/2020\n"
      "Optique du Rhône;A-018;;15/03/2021\n"
      "Photonix;;;01/02/2022\n");
  EXPECT_EQ(stored("organisation_identifier", "value").at("A-018").at("organisation_id"),
            "annuaire:optique-du-rhone");
  // SIRENE's record of Capteurs and a second record of Photonix (from CORDIS, say) take the
  // directory's records in.
  std::istringstream orgs(
      "id,name,siren,kind\nsiren:732829320,CAPTEURS SA,732829320,company\n"
      "cordis:999000001,PHOTONIX,,company\nsiren:552100554,LUMIERE,552100554,company\n");
  ASSERT_TRUE(
      import_csv(*store_, *schema::find_entity("organisation"), orgs, "o.csv", {}).has_value());
  ASSERT_TRUE(
      merge_organisations(*store_, "siren:732829320", "annuaire:capteurs-sa", "test").has_value());
  ASSERT_TRUE(
      merge_organisations(*store_, "cordis:999000001", "annuaire:photonix", "test").has_value());
  const auto ids = stored("organisation_identifier", "value");
  EXPECT_EQ(ids.at("A-017").at("organisation_id"), "siren:732829320");  // moved by the merge
  EXPECT_EQ(ids.at("annuaire:photonix").at("scheme"), "former_id");
  EXPECT_EQ(ids.at("annuaire:photonix").at("organisation_id"), "cordis:999000001");

  // Next year: Optique du Rhône is now Optique Rhône-Alpes (its number unchanged); Photonix has
  // no number (found by its old id); a new member; Lumière joins with the SIREN of a legal unit
  // the store holds (found by it).
  import_year(
      "Raison sociale;N° adhérent;SIREN;Date d'adhésion\n"
      "Capteurs SA;A-017;;01/01/2020\n"
      "Optique Rhône-Alpes;A-018;;15/03/2021\n"
      "Photonix;;;01/02/2022\n"
      "Nanovia;A-020;;01/09/2025\n"
      "Lumière SAS;A-021;552 100 554;01/10/2025\n");
  const auto after = stored("organisation", "id");
  EXPECT_EQ(after.size(), 5U);
  EXPECT_EQ(after.at("siren:552100554").at("name"), "Lumière SAS");
  EXPECT_TRUE(after.contains("siren:732829320"));
  EXPECT_TRUE(after.contains("cordis:999000001"));
  EXPECT_TRUE(after.contains("annuaire:nanovia"));
  ASSERT_TRUE(after.contains("annuaire:optique-du-rhone"));
  EXPECT_EQ(after.at("annuaire:optique-du-rhone").at("name"), "Optique Rhône-Alpes");
  EXPECT_EQ(after.at("siren:732829320").at("name"), "Capteurs SA");  // the directory's words
  const auto members = stored("membership", "organisation_id");
  EXPECT_EQ(members.size(), 5U);
  for (const char* id : {"siren:732829320", "cordis:999000001", "annuaire:optique-du-rhone",
                         "annuaire:nanovia", "siren:552100554"})
    EXPECT_TRUE(members.contains(id)) << id;

  // A number given to another member the store holds does not turn one record into the other.
  import_year(
      "Raison sociale;N° adhérent;SIREN;Date d'adhésion\n"
      "Nanovia;A-018;;01/09/2025\n");
  const auto last = stored("organisation", "id");
  EXPECT_EQ(last.at("annuaire:optique-du-rhone").at("name"), "Optique Rhône-Alpes");
  EXPECT_EQ(last.at("annuaire:nanovia").at("name"), "Nanovia");
  EXPECT_EQ(stored("organisation_identifier", "value").at("A-018").at("organisation_id"),
            "annuaire:optique-du-rhone");
}

TEST_P(MappingTest, AnEntityImportsFromAWorkbookThroughTheSameRulesWithCellNames) {
  const auto write = [&](const std::string& siren) {
    const std::string path = (*dir_ / "orgs.xlsx").string();
    lxw_workbook* wb = workbook_new(path.c_str());
    lxw_worksheet* notes = workbook_add_worksheet(wb, "Lisez-moi");
    worksheet_write_string(notes, 0, 0, "Une ligne par organisation", nullptr);
    lxw_worksheet* ws = workbook_add_worksheet(wb, "organisation");
    const char* header[] = {"id", "name", "siren", "kind", "headcount"};
    for (int c = 0; c < 5; ++c)
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c], nullptr);
    worksheet_write_string(ws, 1, 0, "o1", nullptr);
    worksheet_write_string(ws, 1, 1, "Éole", nullptr);
    worksheet_write_string(ws, 1, 2, siren.c_str(), nullptr);
    worksheet_write_string(ws, 1, 3, "company", nullptr);
    worksheet_write_number(ws, 1, 4, 12, nullptr);
    worksheet_write_string(ws, 2, 0, "o2", nullptr);  // no SIREN, no headcount: cells absent
    worksheet_write_string(ws, 2, 1, "Labo", nullptr);
    worksheet_write_string(ws, 2, 3, "research", nullptr);
    EXPECT_EQ(workbook_close(wb), LXW_NO_ERROR);
    return path;
  };
  const std::string before = digest();
  auto bad = import_csv_file(*store_, *schema::find_entity("organisation"), write("123456789"), {});
  ASSERT_FALSE(bad.has_value());
  ASSERT_EQ(bad.error().field_errors().size(), 1U);
  EXPECT_EQ(bad.error().field_errors()[0].format(),
            (*dir_ / "orgs.xlsx").string() +
                ": organisation!C2: field 'siren' value '123456789': SIREN check digit is wrong "
                "(Luhn)");
  EXPECT_EQ(digest(), before);
  auto good =
      import_csv_file(*store_, *schema::find_entity("organisation"), write("732829320"), {});
  ASSERT_TRUE(good.has_value()) << good.error().to_string();
  EXPECT_EQ(good->sheet, "organisation");  // the sheet named like the entity
  EXPECT_EQ(good->counts.inserted, 2);
  const auto orgs = stored("organisation", "id");
  EXPECT_EQ(orgs.at("o1").at("size_class"), "pme");  // 12 people: above a micro-firm's 10
  EXPECT_EQ(orgs.at("o2").at("siren"), "");
}

POLES_BOTH_BACKENDS(MappingTest);

}  // namespace
}  // namespace poles::import
