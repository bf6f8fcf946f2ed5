// The public portal's pages from hand-made snapshots: every code a page shows has its words in
// web/vocab.json (the dashboard's vocabulary), and what is not consented to stays out.
#include "portal/portal.h"

#include <gtest/gtest.h>

#include <string>

#include "core/model.h"
#include "eco.h"
#include "test_support.h"

namespace poles::portal {
namespace {

using testing_support::Eco;

Vocabulary vocabulary() {
  auto v = Vocabulary::load(testing::source_dir() / "web/vocab.json");
  EXPECT_TRUE(v.has_value()) << v.error().to_string();
  return v ? std::move(*v) : Vocabulary{};
}

TEST(Portal, EveryCodeAPageShowsHasItsWords) {
  const Vocabulary v = vocabulary();
  for (const auto code : kScaleCodes) EXPECT_TRUE(v.has("scale", code)) << code;
  for (const auto code : kOrgKindCodes) EXPECT_TRUE(v.has("org_kind", code)) << code;
  for (const auto code : kSizeClassCodes) EXPECT_TRUE(v.has("size_class", code)) << code;
  for (const auto code : kProgrammeCodes) EXPECT_TRUE(v.has("programme", code)) << code;
  for (const auto code : kProjectStatusCodes) EXPECT_TRUE(v.has("project_status", code)) << code;
  for (const auto code : kRoleCodes) EXPECT_TRUE(v.has("role", code)) << code;
  EXPECT_EQ(v.label("project_status", "on_market", "fr"), "sur le marché");
  EXPECT_EQ(v.label("project_status", "on_market", "en"), "on the market");
  EXPECT_EQ(v.label("theme", "unknown-code", "fr"), "unknown-code");
  EXPECT_FALSE(Vocabulary::parse(R"({"scale": {"national": ["national"]}})").has_value());
}

// A cluster's page in French and English: its themes and filière in words, its listed member by
// name (the other counted, not named), its public project linked, the private one absent.
TEST(Portal, AClusterPageShowsWordsAndOnlyWhatIsConsented) {
  const Vocabulary v = vocabulary();
  Eco e;
  e.row("cluster", {{"id", std::string("k1")},
                    {"name", std::string("Pôle Un")},
                    {"region", std::string("84")},
                    {"scale", std::string("regional")},
                    {"themes", std::string("numerique|sante")},
                    {"filiere", std::string("numerique")}});
  e.row("cluster_label", {{"cluster_id", std::string("k1")},
                          {"phase", int64_t{5}},
                          {"start_year", int64_t{2023}},
                          {"end_year", int64_t{2026}}});
  e.org("o1", "company", "84", "pme").org("o2", "research", "84");
  e.row("membership", {{"organisation_id", std::string("o1")},
                       {"cluster_id", std::string("k1")},
                       {"start_date", std::string("2020-01-01")},
                       {"listed", int64_t{1}}});
  e.member("o2", "k1");
  e.project("priv", 2022, {"k1"}, {"o1"});
  e.row("project", {{"id", std::string("pub")},
                    {"acronym", std::string("PUB")},
                    {"programme", std::string("H2020")},
                    {"status", std::string("on_market")},
                    {"start_date", std::string("2022-03-01")},
                    {"public_summary", int64_t{1}}});
  e.row("project_label", {{"project_id", std::string("pub")},
                          {"cluster_id", std::string("k1")},
                          {"date", std::string("2021-11-15")}});
  auto s = e.row("participation", {{"project_id", std::string("pub")},
                                   {"organisation_id", std::string("o2")},
                                   {"role", std::string("coordinator")}})
               .build();
  ASSERT_TRUE(s);
  Context fr{"fr", "2026-11-29", &v};
  const auto page = cluster_page(*s, "k1", fr);
  ASSERT_TRUE(page.has_value());
  EXPECT_NE(page->find("numérique"), std::string::npos);
  EXPECT_NE(page->find("santé"), std::string::npos);
  EXPECT_NE(page->find("régional"), std::string::npos);
  EXPECT_NE(page->find("Auvergne-Rhône-Alpes"), std::string::npos) << "84: the region's name";
  EXPECT_NE(page->find("Org o1"), std::string::npos);
  EXPECT_EQ(page->find("Org o2"), std::string::npos) << "not listed";
  EXPECT_NE(page->find("2 membres actuellement"), std::string::npos);
  EXPECT_NE(page->find("/public/projects/pub"), std::string::npos);
  EXPECT_EQ(page->find("/public/projects/priv"), std::string::npos);
  EXPECT_NE(page->find("données au 29/11/2026"), std::string::npos);
  Context en{"en", "2026-11-29", &v};
  const auto english = project_page(*s, "pub", en);
  ASSERT_TRUE(english.has_value());
  EXPECT_NE(english->find("<html lang=\"en\""), std::string::npos);
  EXPECT_NE(english->find("on the market"), std::string::npos);
  EXPECT_NE(english->find("Horizon 2020"), std::string::npos);
  EXPECT_NE(english->find("coordinator"), std::string::npos);
  EXPECT_NE(english->find("data as of 2026-11-29"), std::string::npos);
  EXPECT_FALSE(project_page(*s, "priv", en).has_value());
}

}  // namespace
}  // namespace poles::portal
