#include "core/schema.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace poles::schema {
namespace {

std::optional<std::string> parse(std::string_view entity, std::string_view field,
                                 std::string_view text) {
  const Entity* e = find_entity(entity);
  const int i = field_index(*e, field);
  Value v;
  return parse_cell(e->fields[static_cast<size_t>(i)], text, v);
}

Value parsed(std::string_view entity, std::string_view field, std::string_view text) {
  const Entity* e = find_entity(entity);
  Value v;
  EXPECT_EQ(parse_cell(e->fields[static_cast<size_t>(field_index(*e, field))], text, v),
            std::nullopt);
  return v;
}

TEST(Schema, EveryEntityHasAKeyAndValidReferences) {
  for (const auto& e : entities()) {
    EXPECT_FALSE(key_indices(e).empty()) << e.name;
    for (const auto& f : e.fields) {
      if (!f.referential.empty()) {
        const Entity* target = find_entity(f.referential);
        ASSERT_NE(target, nullptr) << e.name << "." << f.name;
        EXPECT_GE(single_key_index(*target), 0) << f.referential;
        EXPECT_TRUE(f.references.empty()) << e.name << "." << f.name;
      }
      if (f.references.empty()) continue;
      const Entity* target = find_entity(f.references);
      ASSERT_NE(target, nullptr) << e.name << "." << f.name;
      EXPECT_GE(single_key_index(*target), 0) << f.references;
    }
    if (!e.owner.empty()) {
      EXPECT_NE(find_entity(e.owner), nullptr);
    }
  }
  EXPECT_EQ(entities().size(), 35u);
}

TEST(Schema, CellRulesGiveExactMessages) {
  EXPECT_EQ(parse("organisation", "name", ""), "is required");
  EXPECT_EQ(parse("organisation", "kind", "startup"),
            "must be one of: company, research, higher_education, training, satt, funder, "
            "public_body, association, other");
  EXPECT_EQ(parse("organisation", "headcount", "-3"), "must not be negative");
  EXPECT_EQ(parse("organisation", "headcount", "douze"),
            "must be a number (decimal point or comma)");
  EXPECT_EQ(parse("project", "trl_start", "10"), "must be between 1 and 9");
  EXPECT_EQ(parse("project", "trl_start", "0"), "must be between 1 and 9");
  EXPECT_EQ(parse("project", "trl_start", "3.5"), "must be an integer");
  EXPECT_EQ(parse("project", "start_date", "2021-02-30"), "is not a calendar date");
  EXPECT_EQ(parse("project", "start_date", "30/01/2021"), "must be an ISO 8601 date YYYY-MM-DD");
  EXPECT_EQ(parse("project", "status", "done"),
            "must be one of: idea, submitted, labelled, funded, running, completed, on_market, "
            "rejected, abandoned");
  EXPECT_EQ(parse("project", "themes", "a||b"), "list items ('|'-separated) must not be empty");
  EXPECT_EQ(parse("cluster", "website", "www.example.fr"),
            "must be an http:// or https:// address");
  EXPECT_EQ(parse("membership", "board_seat", "peut-être"),
            "must be a boolean (0/1, true/false, oui/non)");
  EXPECT_EQ(parse("cluster_label", "phase", "6"), "must be between 1 and 5");
  EXPECT_EQ(parse("call", "min_funding_share", "1,5"), "must be between 0 and 1");
  EXPECT_EQ(parse("firm_year", "year", "1980"), "must be between 1990 and 2100");
  EXPECT_EQ(parse("diagnostic", "score", "101"), "must be between 0 and 100");
}

TEST(Schema, CellsAreTypedAndNormalised) {
  EXPECT_EQ(parsed("organisation", "headcount", "12,5"), Value(12.5));
  EXPECT_EQ(parsed("organisation", "naf", "6201z"), Value(std::string("62.01Z")));
  EXPECT_EQ(parsed("organisation", "country", "el"), Value(std::string("GR")));
  EXPECT_EQ(parsed("membership", "board_seat", "oui"), Value(int64_t{1}));
  EXPECT_EQ(parsed("project", "trl_start", " 4 "), Value(int64_t{4}));
  EXPECT_EQ(parsed("organisation", "siren", ""), Value());
}

Row make_row(const Entity& e, std::initializer_list<std::pair<const char*, Value>> cells) {
  Row row(e.fields.size());
  for (const auto& [name, v] : cells) row[static_cast<size_t>(field_index(e, name))] = v;
  return row;
}

TEST(Schema, OrganisationDerivesGeographyAndSizeClass) {
  const Entity& e = *find_entity("organisation");
  Row row = make_row(e, {{"id", std::string("o1")},
                         {"commune", std::string("2A004")},
                         {"headcount", 40.0},
                         {"turnover", 8e6}});
  std::vector<FieldError> errors;
  check_row(e, row, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(row[static_cast<size_t>(field_index(e, "department"))], Value(std::string("2A")));
  EXPECT_EQ(row[static_cast<size_t>(field_index(e, "region"))], Value(std::string("94")));
  EXPECT_EQ(row[static_cast<size_t>(field_index(e, "size_class"))], Value(std::string("pme")));
  EXPECT_EQ(row[static_cast<size_t>(field_index(e, "country"))], Value(std::string("FR")));
}

TEST(Schema, CrossFieldRulesGiveExactMessages) {
  const Entity& org = *find_entity("organisation");
  Row row = make_row(org, {{"commune", std::string("75056")}, {"department", std::string("92")}});
  std::vector<FieldError> errors;
  check_row(org, row, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].format(),
            "field 'department' value '92': does not match commune 75056 (department 75)");

  errors.clear();
  row = make_row(org, {{"department", std::string("69")}, {"region", std::string("11")}});
  check_row(org, row, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rule, "does not match department 69 (region 84)");

  errors.clear();
  row = make_row(org, {{"headcount", 500.0}, {"size_class", std::string("pme")}});
  check_row(org, row, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rule,
            "does not match headcount, turnover and balance sheet (decree 2008-1354 gives 'eti')");

  const Entity& project = *find_entity("project");
  errors.clear();
  row = make_row(project, {{"start_date", std::string("2020-01-01")},
                           {"end_date", std::string("2019-12-31")},
                           {"total_cost", 100.0},
                           {"public_aid", 150.0},
                           {"trl_start", int64_t{5}},
                           {"trl_target", int64_t{3}}});
  check_row(project, row, errors);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].rule, "must not be before start_date");
  EXPECT_EQ(errors[1].rule, "must not exceed total_cost");
  EXPECT_EQ(errors[2].rule, "must not be before trl_start");

  const Entity& participation = *find_entity("participation");
  errors.clear();
  row = make_row(participation, {{"cost", 10.0}, {"aid", 20.0}});
  check_row(participation, row, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rule, "must not exceed cost");

  const Entity& employment = *find_entity("employment");
  errors.clear();
  row = make_row(employment, {{"level", std::string("region")},
                              {"code", std::string("82")},
                              {"sector", std::string("04")}});
  check_row(employment, row, errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[1].rule,
            "unknown NAF rev.2 sector: a section (A21, one letter: C), an A38 code (two letters: "
            "CI) or a division (A88, two digits: 26) or 'total'");
  // A zone d'emploi: four digits, a region's code or 00 first; its region as its parent.
  errors.clear();
  row = make_row(employment, {{"level", std::string("zone")},
                              {"code", std::string("9901")},
                              {"sector", std::string("CI")}});
  check_row(employment, row, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rule,
            "zone d'emploi 2020 code must have four digits, the first two a region code or 00 "
            "(e.g. 1101, 0053)");
  const Entity& territory = *find_entity("territory");
  errors.clear();
  row = make_row(territory, {{"level", std::string("zone")},
                             {"code", std::string("1101")},
                             {"name", std::string("Cergy-Vexin")},
                             {"parent", std::string("84")}});
  check_row(territory, row, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rule, "zone d'emploi 1101 lies in region 11");
}

// A commune's department and region follow from its code; a municipal district names its commune.
// An identifier's value is checked by its scheme (test vectors written by hand: EDF's SIREN
// 552081317 has the VAT key (12 + 3 × (552081317 mod 97)) mod 97 = 3).
TEST(Schema, CommunesAndIdentifiersGiveExactMessages) {
  const Entity& commune = *find_entity("commune");
  Row row = make_row(commune, {{"code", std::string("69383")},
                               {"name", std::string("Lyon 3e Arrondissement")},
                               {"kind", std::string("district")}});
  std::vector<FieldError> errors;
  check_row(commune, row, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].format(),
            "field 'parent' value '': is required for a municipal district (its commune)");
  EXPECT_EQ(value_to_text(row[static_cast<size_t>(field_index(commune, "department"))]), "69");
  EXPECT_EQ(value_to_text(row[static_cast<size_t>(field_index(commune, "region"))]), "84");
  errors.clear();
  row = make_row(commune, {{"code", std::string("69123")},
                           {"name", std::string("Lyon")},
                           {"kind", std::string("commune")},
                           {"region", std::string("11")}});
  check_row(commune, row, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rule, "does not match department 69 (region 84)");

  const Entity& ident = *find_entity("organisation_identifier");
  const auto rules = [&](const char* scheme, const char* value) {
    Row r = make_row(ident, {{"scheme", std::string(scheme)},
                             {"value", std::string(value)},
                             {"organisation_id", std::string("x")}});
    std::vector<FieldError> errs;
    check_row(ident, r, errs);
    return errs.empty() ? std::string() : errs[0].field + ": " + errs[0].rule;
  };
  EXPECT_EQ(rules("siren", "552081317"), "");
  EXPECT_EQ(rules("siren", "552081318"), "value: SIREN check digit is wrong (Luhn)");
  EXPECT_EQ(rules("vat", "FR03552081317"), "");
  EXPECT_EQ(rules("vat", "DE811383696"), "");
  EXPECT_EQ(rules("vat", "FR04552081317"),
            "value: French VAT number must be FR, a 2-digit key and a SIREN, the key (12 + 3 × "
            "(SIREN mod 97)) mod 97");
  EXPECT_EQ(rules("vat", "FR 03 552081317"),
            "value: VAT number must be a country prefix and 2 to 13 capital letters or digits, "
            "without spaces");
  EXPECT_EQ(rules("pic", "999987939"), "");
  EXPECT_EQ(rules("pic", "99998793"),
            "value: PIC (the Commission's participant identification code) must have 9 digits");
  EXPECT_EQ(rules("rna", "W751234567"), "");
  EXPECT_EQ(rules("rna", "751234567"),
            "value: RNA number (an association's) must be W followed by 9 letters or digits");
  EXPECT_EQ(rules("directory:annuaire-aero", "A-017"), "");
  EXPECT_EQ(rules("directory:", "A-017"),
            "scheme: must be siren, vat, pic, rna, former_id or directory:<name> (a directory's "
            "own key)");
  EXPECT_EQ(rules("siret", "55208131700014"),
            "scheme: must be siren, vat, pic, rna, former_id or directory:<name> (a directory's "
            "own key)");
}

TEST(Schema, JsonValuesAreChecked) {
  const Entity& project = *find_entity("project");
  const Field& trl = project.fields[static_cast<size_t>(field_index(project, "trl_start"))];
  Value v = 3.0;
  EXPECT_EQ(check_value(trl, v), std::nullopt);
  EXPECT_EQ(v, Value(int64_t{3}));
  v = 3.5;
  EXPECT_EQ(check_value(trl, v), "must be an integer");
  v = std::string("12");
  EXPECT_EQ(check_value(trl, v), "must be between 1 and 9");
}

TEST(Schema, DataFormatDocMatchesTheRegistry) {
  const std::string doc =
      testing::read_file(std::filesystem::path(POLES_SOURCE_DIR) / "docs" / "data-format.md");
  const std::string begin = "<!-- BEGIN GENERATED by `poles schema`: do not edit by hand -->\n\n";
  const std::string end = "<!-- END GENERATED -->";
  const auto b = doc.find(begin);
  const auto e = doc.find(end);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  EXPECT_TRUE(doc.substr(b + begin.size(), e - b - begin.size()) == markdown_reference())
      << "docs/data-format.md is out of date: run scripts/gen-data-format-doc "
         "build/<preset>/src/cli/poles";
}

}  // namespace
}  // namespace poles::schema
