// Parameters checked against their declaration: every error at once, no silent default.
#include "app/params.h"

#include <gtest/gtest.h>

namespace poles::app {
namespace {

const ParamSpecs& specs() {
  static const ParamSpecs k = {year_param("year", "Year", "2022"),
                               number_param("level", "Level", 0.5, 0.999, "0.95"),
                               choice_param("by", "Groups", {"none", "cluster"}, "none"),
                               flag_param("members_only", "Members only"),
                               list_param("themes", "Themes"),
                               text_param("cluster", "Cluster")};
  return k;
}

TEST(Params, DefaultsApplyWhenAbsentOrEmpty) {
  auto a = parse(specs(), {{"cluster", "aero"}, {"level", ""}});
  ASSERT_TRUE(a.has_value()) << a.error().to_string();
  EXPECT_EQ(a->integer("year"), 2022);
  EXPECT_DOUBLE_EQ(a->number("level"), 0.95);
  EXPECT_EQ(a->text("by"), "none");
  EXPECT_FALSE(a->flag("members_only"));
  EXPECT_TRUE(a->list("themes").empty());
  EXPECT_EQ(a->text("cluster"), "aero");
  EXPECT_EQ(a->values().at("year"), "2022");
}

TEST(Params, EveryBadValueAndUnknownNameIsReported) {
  auto a = parse(specs(), {{"year", "20x"},
                           {"level", "1.5"},
                           {"by", "region"},
                           {"members_only", "yes"},
                           {"colour", "red"},
                           {"cluster", "aero"}});
  ASSERT_FALSE(a.has_value());
  const auto& errors = a.error().field_errors();
  ASSERT_EQ(errors.size(), 5u) << a.error().to_string();
  std::map<std::string, FieldError> by;
  for (const auto& e : errors) by[e.field] = e;
  EXPECT_EQ(by["year"].rule, "must be a whole number between 1900 and 2100");
  EXPECT_EQ(by["year"].value, "20x");
  EXPECT_EQ(by["level"].rule, "must be a number between 0.5 and 0.999");
  EXPECT_EQ(by["by"].rule, "must be one of: none, cluster");
  EXPECT_EQ(by["members_only"].rule, "must be true or false");
  EXPECT_EQ(by["colour"].rule,
            "is not a parameter (parameters: year, level, by, members_only, themes, cluster)");
  for (const auto& e : errors) EXPECT_EQ(e.file, "query");
}

TEST(Params, WholeNumbersAndListsAreChecked) {
  EXPECT_FALSE(parse(specs(), {{"year", "2020.5"}}).has_value());
  EXPECT_FALSE(parse(specs(), {{"year", "1e3"}}).has_value());  // 1000: out of range
  EXPECT_FALSE(parse(specs(), {{"year", "nan"}}).has_value());
  const ParamSpecs choices = {list_param("kinds", "Kinds", {"a", "b"})};
  EXPECT_TRUE(parse(choices, {{"kinds", "a,b"}}).has_value());
  auto bad = parse(choices, {{"kinds", "a,c"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field_errors()[0].rule, "item 'c' must be one of: a, b");
  auto ok = parse(specs(), {{"themes", "x,,y"}});
  EXPECT_EQ(ok->list("themes"), (std::vector<std::string>{"x", "y"}));
}

TEST(Params, InvalidUtf8IsRefused) {
  auto a = parse(specs(), {{"cluster", "\xff\xfe"}});
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().field_errors()[0].rule, "must be valid UTF-8 text");
}

TEST(Params, ReadingAnUndeclaredParameterIsAProgrammingError) {
  auto a = parse(specs(), {});
  EXPECT_THROW(a->integer("nope"), std::logic_error);
  EXPECT_THROW(a->integer("cluster"), std::logic_error);  // declared as text
}

}  // namespace
}  // namespace poles::app
