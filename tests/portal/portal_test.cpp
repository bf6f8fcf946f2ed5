// The public portal's pages from hand-made snapshots: every code a page shows has its words in
// web/vocab.json (the dashboard's vocabulary), and what is not consented to stays out.
#include "portal/portal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/model.h"
#include "core/schema.h"
#include "eco.h"
#include "portal/open_data.h"
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
  // Every programme the referential is seeded with (migration 0017), written out by hand.
  for (const auto code : {"FP7",       "H2020",          "HORIZON_EUROPE",
                          "EIC",       "EUROSTARS",      "INTERREG",
                          "SMP_COSME", "DIGITAL_EUROPE", "LIFE",
                          "FUI",       "PSPC",           "ANR",
                          "BPI",       "I_NOV",          "PIA",
                          "ADEME",     "REGION",         "FEDER",
                          "LOCAL",     "OTHER"})
    EXPECT_TRUE(v.has("programme", code)) << code;
  for (const auto code : kFunderKindCodes) EXPECT_TRUE(v.has("funder_kind", code)) << code;
  for (const auto code : kInstrumentCodes) EXPECT_TRUE(v.has("instrument", code)) << code;
  for (const auto code : kProjectStatusCodes) EXPECT_TRUE(v.has("project_status", code)) << code;
  for (const auto code : kRoleCodes) EXPECT_TRUE(v.has("role", code)) << code;
  EXPECT_EQ(v.label("project_status", "on_market", "fr"), "sur le marché");
  EXPECT_EQ(v.label("project_status", "on_market", "en"), "on the market");
  EXPECT_EQ(v.label("theme", "unknown-code", "fr"), "unknown-code");
  EXPECT_FALSE(Vocabulary::parse(R"({"scale": {"national": ["national"]}})").has_value());
}

// The import page names every field of every entity and every code a file may hold (the
// dashboard's "field" vocabulary and the code lists' own): a field or a code list added to the
// schema without its words fails here. The code lists' vocabularies are written out by hand.
TEST(Portal, EveryImportFieldAndEveryAdmittedCodeHasItsWords) {
  const Vocabulary v = vocabulary();
  const std::vector<std::pair<std::span<const std::string_view>, std::string_view>> lists = {
      {kScaleCodes, "scale"},
      {kProjectStatusCodes, "project_status"},
      {kOrgKindCodes, "org_kind"},
      {kSizeClassCodes, "size_class"},
      {kRatingCodes, "rating"},
      {kResultKindCodes, "result_kind"},
      {kRoleCodes, "role"},
      {kServiceKindCodes, "service_kind"},
      {kFunderKindCodes, "funder_kind"},
      {kInstrumentCodes, "instrument"},
      {kCommuneKindCodes, "commune_kind"},
      {kProgrammeScopeCodes, "programme_scope"},
      {kEscaAreaCodes, "esca"},
      {kDecisionCodes, "decision"},
      {kDirectionCodes, "direction"},
      {kIpAgreementCodes, "ip_agreement"},
      {kNationalStatisticCodes, "statistic"},
      {kProjectKindCodes, "project_kind"},
      {kServiceOutcomeCodes, "service_outcome"},
      {kTerritoryLevelCodes, "territory_level"}};
  int fields = 0;
  for (const auto& e : schema::entities()) {
    for (const auto& f : e.fields) {
      ++fields;
      EXPECT_TRUE(v.has("field", f.name)) << e.name << "." << f.name;
      if (f.codes.empty()) continue;
      const auto kind = std::find_if(lists.begin(), lists.end(), [&](const auto& l) {
        return l.first.data() == f.codes.data() && l.first.size() == f.codes.size();
      });
      ASSERT_NE(kind, lists.end())
          << e.name << "." << f.name << ": a code list without its vocabulary";
      for (const auto code : f.codes)
        EXPECT_TRUE(v.has(kind->second, code)) << kind->second << ":" << code;
    }
  }
  EXPECT_GT(fields, 150);
  EXPECT_EQ(v.label("field", "headcount", "fr"), "effectif");
  EXPECT_EQ(v.label("field", "size_class", "en"), "size class");
  EXPECT_EQ(v.label("service_outcome", "international_sale", "fr"), "vente à l'international");
  EXPECT_EQ(v.label("rating", "very_performing", "en"), "high-performing");
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
  Context fr;
  fr.data_date = "2026-11-29";
  fr.vocabulary = &v;
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
  Context en = fr;
  en.lang = "en";
  const auto english = project_page(*s, "pub", en);
  ASSERT_TRUE(english.has_value());
  EXPECT_NE(english->find("<html lang=\"en\""), std::string::npos);
  EXPECT_NE(english->find("on the market"), std::string::npos);
  EXPECT_NE(english->find("Horizon 2020"), std::string::npos);
  EXPECT_NE(english->find("coordinator"), std::string::npos);
  EXPECT_NE(english->find("data as of 2026-11-29"), std::string::npos);
  EXPECT_FALSE(project_page(*s, "priv", en).has_value());
}

// Calls are sorted by today's date: open (closing first), announced, the last closed; the feed
// is Atom with one entry per call dated at its opening; text is escaped in both (a title is
// written by whoever imports the calls).
TEST(Portal, CallsFollowTodayAndTheFeedEscapesWhatItQuotes) {
  const Vocabulary v = vocabulary();
  Eco e;
  const auto call = [&e](const char* id, const char* title, const char* open, const char* close) {
    e.row("call", {{"id", std::string(id)},
                   {"programme", std::string("FUI")},
                   {"title", std::string(title)},
                   {"budget", 2500000.0},
                   {"open_date", std::string(open)},
                   {"close_date", std::string(close)}});
  };
  call("c-late", "Closing late", "2026-10-01", "2027-02-01");
  call("c-soon", "Closing soon <b>&", "2026-11-01", "2026-12-15");
  call("c-next", "Announced", "2027-01-10", "2027-04-10");
  call("c-past", "Closed", "2026-03-01", "2026-05-01");
  auto s = e.build();
  ASSERT_TRUE(s);
  Context c;
  c.vocabulary = &v;
  c.base_url = "https://poles.example.gouv.fr";
  c.today = Date::parse("2026-11-29")->to_days();
  const std::string page = calls_page(*s, c);
  const auto at = [&page](std::string_view what) { return page.find(what); };
  ASSERT_NE(at("Closing soon &lt;b&gt;&amp;"), std::string::npos);
  EXPECT_EQ(at("<b>&"), std::string::npos);
  EXPECT_LT(at("<h2>Ouverts</h2>"), at("Closing soon"));
  EXPECT_LT(at("Closing soon"), at("Closing late")) << "the one closing first comes first";
  EXPECT_LT(at("Closing late"), at("<h2>Annoncés</h2>"));
  EXPECT_LT(at("<h2>Annoncés</h2>"), at("Announced</h3>"));
  EXPECT_LT(at("<h2>Derniers appels clos</h2>"), at("Closed</h3>"));
  EXPECT_NE(at("2\u202f500\u202f000\u00a0€"), std::string::npos);
  EXPECT_NE(at("15/12/2026"), std::string::npos);
  EXPECT_NE(at("<link rel=\"canonical\" href=\"https://poles.example.gouv.fr/public/calls\">"),
            std::string::npos);
  // The day after the first closes, it moves to the closed ones.
  c.today = Date::parse("2026-12-16")->to_days();
  const std::string later = calls_page(*s, c);
  EXPECT_GT(later.find("Closing soon"), later.find("<h2>Derniers appels clos</h2>"));

  const std::string feed = calls_feed(*s, c);
  EXPECT_TRUE(
      feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "
                       "xmlns=\"http://www.w3.org/2005/Atom\""));
  size_t entries = 0;
  for (size_t p = feed.find("<entry>"); p != std::string::npos; p = feed.find("<entry>", p + 1))
    ++entries;
  EXPECT_EQ(entries, 4u);
  EXPECT_LT(feed.find("Announced"), feed.find("Closing soon")) << "the last opened first";
  EXPECT_NE(feed.find("<updated>2027-01-10T00:00:00Z</updated>"), std::string::npos);
  EXPECT_NE(feed.find("<id>https://poles.example.gouv.fr/public/calls#appel-c-soon</id>"),
            std::string::npos);
  EXPECT_NE(feed.find("Closing soon &lt;b&gt;&amp;"), std::string::npos);
  EXPECT_EQ(feed.find("<b>&"), std::string::npos);
}

// The sitemap lists the currently labelled clusters and the public projects, in both languages,
// with absolute addresses; never a private project.
TEST(Portal, TheSitemapListsPublicPagesOnly) {
  Eco e;
  e.row("cluster", {{"id", std::string("k1")}, {"name", std::string("Un")}});
  e.row("cluster", {{"id", std::string("k2")}, {"name", std::string("Ancien")}});
  e.row("cluster_label", {{"cluster_id", std::string("k1")},
                          {"phase", int64_t{5}},
                          {"start_year", int64_t{2023}},
                          {"end_year", int64_t{2026}}});
  e.row("cluster_label", {{"cluster_id", std::string("k2")},
                          {"phase", int64_t{4}},
                          {"start_year", int64_t{2019}},
                          {"end_year", int64_t{2022}}});
  e.org("o1", "company", "84", "pme");
  e.project("priv", 2022, {"k1"}, {"o1"});
  e.row("project", {{"id", std::string("pub")},
                    {"acronym", std::string("PUB")},
                    {"programme", std::string("H2020")},
                    {"public_summary", int64_t{1}}});
  auto s = e.row("project_label", {{"project_id", std::string("pub")},
                                   {"cluster_id", std::string("k1")},
                                   {"date", std::string("2021-11-15")}})
               .build();
  ASSERT_TRUE(s);
  Context c;
  c.base_url = "https://poles.example.gouv.fr";
  const std::string map = sitemap(*s, c);
  EXPECT_NE(map.find("<loc>https://poles.example.gouv.fr/public/clusters/k1</loc>"),
            std::string::npos);
  EXPECT_NE(map.find("<loc>https://poles.example.gouv.fr/public/clusters/k1?lang=en</loc>"),
            std::string::npos);
  EXPECT_NE(map.find("<loc>https://poles.example.gouv.fr/public/projects/pub</loc>"),
            std::string::npos);
  EXPECT_EQ(map.find("clusters/k2"), std::string::npos) << "no longer labelled";
  EXPECT_EQ(map.find("priv"), std::string::npos);
  EXPECT_NE(robots(c).find("Sitemap: https://poles.example.gouv.fr/sitemap.xml"),
            std::string::npos);
}

// The directory's map: the 13 regions of the dashboard's package, each a link to the directory
// filtered on it, named with its number of clusters under the other filters.
TEST(Portal, TheMapCountsClustersByRegionUnderTheOtherFilters) {
  const auto file = testing::source_dir() / "web/node_modules/@svg-maps/france.regions/index.js";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " is absent (npm ci in web/)";
  auto map = RegionMap::load(file);
  ASSERT_TRUE(map) << map.error().to_string();
  ASSERT_EQ(map->regions.size(), 13u);
  Eco e;
  const auto cluster = [&e](const char* id, const char* region, const char* theme) {
    e.row("cluster", {{"id", std::string(id)},
                      {"name", std::string(id)},
                      {"region", std::string(region)},
                      {"scale", std::string("regional")},
                      {"themes", std::string(theme)}});
  };
  cluster("a", "11", "eau");
  cluster("b", "11", "eau");
  cluster("c", "84", "eau");
  cluster("d", "84", "bois");
  cluster("e", "01", "eau");  // Guadeloupe: not drawn, listed below the map
  auto s = e.build();
  ASSERT_TRUE(s);
  const Vocabulary v = vocabulary();
  Context c;
  c.vocabulary = &v;
  c.map = &*map;
  DirectoryQuery q;
  q.theme = "eau";
  q.region = "84";
  const std::string page = directory_page(*s, q, c);
  EXPECT_NE(page.find("aria-label=\"Île-de-France : 2 pôles\""), std::string::npos);
  EXPECT_NE(page.find("aria-label=\"Auvergne-Rhône-Alpes : 1 pôle\" aria-current=\"true\""),
            std::string::npos)
      << "the chosen region, counted under the theme filter (not its bois cluster)";
  EXPECT_NE(page.find("href=\"/public?region=11&amp;theme=eau#resultats\""), std::string::npos);
  EXPECT_NE(page.find("Guadeloupe : 1 pôle"), std::string::npos);
  EXPECT_NE(page.find("<h2 class=\"fr-mt-4w\" id=\"resultats\">1 pôle</h2>"), std::string::npos);
}

// A name written as a formula reaches a spreadsheet as text (CSV injection), quotes and commas
// are quoted, and the JSON types cells by the dictionary.
TEST(OpenData, CsvCannotRunAFormulaAndJsonIsTyped) {
  OpenTable t;
  t.name = "t";
  t.columns = {{"name", "string", "", ""},
               {"n", "integer", "", ""},
               {"x", "number", "", ""},
               {"b", "boolean", "", ""}};
  t.rows = {{"=HYPERLINK(\"http://evil\",\"x\")", "-3", "-1.5", "true"},
            {"a, \"b\"", std::nullopt, std::nullopt, "false"},
            {"@SUM(A1)", "1", "2", "true"}};
  EXPECT_EQ(to_csv(t),
            "name,n,x,b\r\n"
            "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",-3,-1.5,true\r\n"
            "\"a, \"\"b\"\"\",,,false\r\n"
            "'@SUM(A1),1,2,true\r\n");
  const std::string json = to_json(t, 7, "2026-11-29");
  EXPECT_NE(
      json.find(
          R"j("rows":[{"b":true,"n":-3,"name":"=HYPERLINK(\"http://evil\",\"x\")","x":-1.5})j"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find(R"j({"b":false,"n":null,"name":"a, \"b\"","x":null})j"), std::string::npos);
  EXPECT_NE(json.find(R"j("data_version":7)j"), std::string::npos);
  EXPECT_NE(json.find("etalab"), std::string::npos);
}

// Only listed members reach the members table; the indicators count every current member.
TEST(OpenData, MembersAreTheListedOnesAndIndicatorsCountEveryone) {
  Eco e;
  e.row("cluster", {{"id", std::string("k1")}, {"name", std::string("Un")}});
  e.org("o1", "company", "84", "pme").org("o2", "company", "84", "ge").org("o3", "research", "84");
  e.row("membership", {{"organisation_id", std::string("o1")},
                       {"cluster_id", std::string("k1")},
                       {"start_date", std::string("2020-01-01")},
                       {"listed", int64_t{1}}});
  e.member("o2", "k1").member("o3", "k1");
  auto s = e.build();
  ASSERT_TRUE(s);
  const auto members = open_table(*s, "members", {});
  ASSERT_TRUE(members);
  ASSERT_EQ(members->rows.size(), 1u);
  EXPECT_EQ(members->rows[0][1], "Org o1");
  const auto indicators =
      open_table(*s, "indicators", {{{0, 2024, 1500.0, ""}, {0, 2025, std::nullopt, "primary"}}});
  ASSERT_TRUE(indicators);
  const auto find = [&](const std::string& indicator, const std::string& key) {
    for (const auto& r : indicators->rows)
      if (r[1] == indicator && (r[2] == key || r[3] == key)) return r;
    return std::vector<std::optional<std::string>>{};
  };
  EXPECT_EQ(find("members", "company")[4], "2");
  EXPECT_EQ(find("members", "research")[4], "1");
  EXPECT_EQ(find("member_companies", "ge")[4], "1");
  EXPECT_EQ(find("services_financing", "2024")[4], "1500");
  EXPECT_EQ(find("services_financing", "2025")[4], std::nullopt);
  EXPECT_EQ(find("services_financing", "2025")[5], "primary");
  EXPECT_FALSE(open_table(*s, "passwords", {}).has_value());
}

// The partner finder reads public data only. Two clusters; a public project (k1, numérique,
// NAF 62) with a listed SME, a listed laboratory and an unlisted firm; a private project with a
// listed firm of the other cluster. The need "62.01Z, numérique, Auvergne-Rhône-Alpes" points to
// k1 (its theme, its region, a listed member of the sector) and to the two listed partners of the
// public project; never to the unlisted firm; and the private project moves nothing.
Eco partner_eco(bool with_private) {
  Eco e;
  for (const auto& [id, region, themes] :
       {std::tuple{"k1", "84", "numerique"}, std::tuple{"k2", "11", "sante"}}) {
    e.row("cluster", {{"id", std::string(id)},
                      {"name", "Pôle " + std::string(id)},
                      {"region", std::string(region)},
                      {"scale", std::string("regional")},
                      {"themes", std::string(themes)}});
    e.row("cluster_label", {{"cluster_id", std::string(id)},
                            {"phase", int64_t{5}},
                            {"start_year", int64_t{2023}},
                            {"end_year", int64_t{2026}}});
  }
  e.org("sme", "company", "84", "pme", "62.01Z")
      .org("lab", "research", "84")
      .org("hidden", "company", "84", "pme", "62.02A")
      .org("far", "company", "11", "ge", "21.10Z");
  for (const auto& [o, c, listed] : {std::tuple{"sme", "k1", 1}, std::tuple{"lab", "k1", 1},
                                     std::tuple{"hidden", "k1", 0}, std::tuple{"far", "k2", 1}})
    e.row("membership", {{"organisation_id", std::string(o)},
                         {"cluster_id", std::string(c)},
                         {"start_date", std::string("2020-01-01")},
                         {"listed", int64_t{listed}}});
  e.row("project", {{"id", std::string("pub")},
                    {"acronym", std::string("PUB")},
                    {"programme", std::string("FUI")},
                    {"status", std::string("funded")},
                    {"sector", std::string("62")},
                    {"themes", std::string("numerique")},
                    {"start_date", std::string("2022-03-01")},
                    {"public_summary", int64_t{1}}});
  e.row("project_label", {{"project_id", std::string("pub")},
                          {"cluster_id", std::string("k1")},
                          {"date", std::string("2021-11-15")}});
  for (const char* o : {"sme", "lab", "hidden"})
    e.row("participation", {{"project_id", std::string("pub")},
                            {"organisation_id", std::string(o)},
                            {"role", std::string("partner")}});
  if (with_private) {
    e.row("project", {{"id", std::string("priv")},
                      {"acronym", std::string("PRIV")},
                      {"programme", std::string("FUI")},
                      {"status", std::string("funded")},
                      {"sector", std::string("62")},
                      {"themes", std::string("numerique")},
                      {"start_date", std::string("2023-03-01")}});
    e.row("project_label", {{"project_id", std::string("priv")},
                            {"cluster_id", std::string("k2")},
                            {"date", std::string("2022-11-15")}});
    for (const char* o : {"far", "sme"})
      e.row("participation", {{"project_id", std::string("priv")},
                              {"organisation_id", std::string(o)},
                              {"role", std::string("partner")}});
  }
  return e;
}

TEST(PartnerFinder, SuggestsListedMembersFromPublicProjectsOnly) {
  auto with = partner_eco(true).build();
  auto without = partner_eco(false).build();
  ASSERT_TRUE(with && without);
  PartnerQuery q;
  q.naf = "62.01Z";
  q.theme = "numerique";
  q.region = "84";
  const auto r = suggest_partners(*with, q);
  EXPECT_FALSE(r.invalid_naf);
  EXPECT_EQ(r.division, "62");
  ASSERT_EQ(r.clusters.size(), 1u) << "k2 shares nothing with the need";
  EXPECT_EQ(with->table("cluster").key(r.clusters[0].row), "k1");
  std::vector<std::string> why;
  for (const auto& w : r.clusters[0].why) why.push_back(w.code);
  EXPECT_EQ(why, (std::vector<std::string>{"theme", "region", "sector"}));
  EXPECT_EQ(r.clusters[0].why[2].value, 1) << "one listed member of NAF 62 (the unlisted one not)";
  const auto& orgs = with->table("organisation");
  std::vector<std::string> ids;
  for (const auto& o : r.organisations) ids.emplace_back(orgs.key(static_cast<size_t>(o.row)));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"lab", "sme"}))
      << "listed partners of the public project; not 'hidden' (unlisted), not 'far' (private "
         "project only)";
  // The private project moves nothing: the same suggestions, scores and reasons without it.
  const auto r0 = suggest_partners(*without, q);
  ASSERT_EQ(r0.organisations.size(), r.organisations.size());
  for (size_t i = 0; i < r.organisations.size(); ++i) {
    EXPECT_EQ(r0.organisations[i].row, r.organisations[i].row);
    EXPECT_EQ(r0.organisations[i].score, r.organisations[i].score);
    EXPECT_EQ(r0.organisations[i].why.size(), r.organisations[i].why.size());
  }
  // The kind asked filters; a NAF code that is not one is said, nothing suggested.
  q.kind = "research";
  const auto labs = suggest_partners(*with, q);
  ASSERT_EQ(labs.organisations.size(), 1u);
  EXPECT_EQ(orgs.key(static_cast<size_t>(labs.organisations[0].row)), "lab");
  PartnerQuery wrong;
  wrong.naf = "ETIENNE";
  const auto bad = suggest_partners(*with, wrong);
  EXPECT_TRUE(bad.invalid_naf);
  EXPECT_TRUE(bad.clusters.empty() && bad.organisations.empty());
  // The page words every reason, in both languages, and names no code.
  const Vocabulary v = vocabulary();
  Context fr;
  fr.vocabulary = &v;
  q.kind.clear();
  const std::string page = partners_page(*with, q, r, fr);
  EXPECT_NE(page.find("déclare le thème «\u00a0numérique\u00a0»"), std::string::npos);
  EXPECT_NE(page.find("dans votre région (Auvergne-Rhône-Alpes)"), std::string::npos);
  EXPECT_NE(page.find("1 membre listé de votre secteur (NAF 62)"), std::string::npos);
  EXPECT_NE(page.find("Org sme"), std::string::npos);
  EXPECT_EQ(page.find("Org hidden"), std::string::npos);
  EXPECT_EQ(page.find("Org far"), std::string::npos);
  EXPECT_NE(page.find("noindex"), std::string::npos) << "a need's page is not indexed";
  Context en = fr;
  en.lang = "en";
  const std::string english = partners_page(*with, wrong, bad, en);
  EXPECT_NE(english.find("This NAF code does not exist"), std::string::npos);
  EXPECT_NE(english.find("value=\"ETIENNE\""), std::string::npos) << "what was typed, kept";
}

}  // namespace
}  // namespace poles::portal
