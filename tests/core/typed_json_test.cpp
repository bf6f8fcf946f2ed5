// Typed results: one declaration gives the writer, the schema and the body reader, and they agree.
#include "core/typed_json.h"

#include <gtest/gtest.h>

namespace poles::tj_test {

struct Cell {
  std::optional<double> value;
  int64_t firms = 0;
};
POLES_JSON(Cell, value, firms)

struct Table {
  std::string title;
  bool secret = false;
  std::vector<Cell> cells;
  std::map<std::string, int> counts;
  double share = 0;
};
POLES_JSON(Table, title, secret, cells, counts, share)

TEST(TypedJson, WritesFieldsInDeclarationOrder) {
  const Table t{"Emplois", true, {{12.5, 3}, {std::nullopt, 0}}, {{"a", 1}}, 0.5};
  EXPECT_EQ(
      tj::to_json(t).dump(),
      R"({"title":"Emplois","secret":true,"cells":[{"value":12.5,"firms":3},{"value":null,"firms":0}],)"
      R"("counts":{"a":1},"share":0.5})");
}

TEST(TypedJson, NonFiniteNumbersAreWrittenAsNull) {
  Table t;
  t.share = std::nan("");
  EXPECT_TRUE(
      tj::to_json(t)["share"].is_null());  // which a "number" schema refuses: tested in golden_api
}

TEST(TypedJson, SchemaMatchesTheWriter) {
  tj::Schemas s;
  EXPECT_EQ(s.of<Table>(), tj::Schemas::ref("Table"));
  const auto& c = s.components();
  ASSERT_TRUE(c.contains("Table") && c.contains("Cell"));
  EXPECT_EQ(c["Table"]["required"],
            tj::Json::array({"title", "secret", "cells", "counts", "share"}));
  EXPECT_EQ(c["Table"]["properties"]["cells"]["items"], tj::Schemas::ref("Cell"));
  EXPECT_EQ(c["Table"]["properties"]["counts"]["additionalProperties"]["type"], "integer");
  EXPECT_EQ(c["Cell"]["properties"]["value"]["type"], tj::Json::array({"number", "null"}));
  EXPECT_EQ(c["Table"]["additionalProperties"], false);
}

struct Other {
  int x = 0;
};
namespace inner {
struct Table {
  int y = 0;
};
POLES_JSON(Table, y)
}  // namespace inner

TEST(TypedJson, TwoTypesWithOneNameAreRefused) {
  tj::Schemas s;
  s.of<Table>();
  EXPECT_THROW(s.of<inner::Table>(), std::logic_error);
}

struct Login {
  std::string name;
  std::optional<std::string> label;
  int attempts = 0;
};
POLES_JSON(Login, name, label, attempts)

TEST(TypedJson, ReadsABodyAndReportsEveryFieldError) {
  auto ok = tj::from_json<Login>(tj::Json::parse(R"({"name":"ana","attempts":3})"));
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->name, "ana");
  EXPECT_FALSE(ok->label.has_value());
  auto bad = tj::from_json<Login>(
      tj::Json::parse(R"({"label":12,"attempts":3000000000000,"colour":"red"})"));
  ASSERT_FALSE(bad.has_value());
  std::map<std::string, std::string> rules;
  for (const auto& e : bad.error().field_errors()) rules[e.field] = e.rule;
  EXPECT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules["name"], "is required");
  EXPECT_EQ(rules["label"], "must be a string");
  EXPECT_EQ(rules["attempts"], "is out of range");
  EXPECT_NE(rules["colour"].find("is not a field of this body"), std::string::npos);
  auto not_object = tj::from_json<Login>(tj::Json::array());
  ASSERT_FALSE(not_object.has_value());
  EXPECT_EQ(not_object.error().field_errors()[0].rule, "must be a JSON object");
}

// A published evaluation is read back (the phase reads its years): keys in their written order.
struct Scores {
  tj::OrderedFields<std::optional<double>> pillars;
};
POLES_JSON(Scores, pillars)

TEST(TypedJson, OrderedFieldsReadBackInTheirOrder) {
  Scores s;
  s.pillars.items = {{"zeta", 0.5}, {"alpha", std::nullopt}, {"mid", 1.0}};
  const auto back = tj::from_json<Scores>(tj::to_json(s));
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  ASSERT_EQ(back->pillars.items.size(), 3U);
  EXPECT_EQ(back->pillars.items[0].first, "zeta");
  EXPECT_EQ(back->pillars.items[1].first, "alpha");
  EXPECT_FALSE(back->pillars.items[1].second);
  EXPECT_EQ(*back->pillars.items[2].second, 1.0);
  EXPECT_FALSE(tj::from_json<Scores>(tj::Json::parse(R"({"pillars": [1, 2]})")).has_value());
}

}  // namespace poles::tj_test
