// The command line's contract: exit codes 0 ok, 1 usage, 2 bad input; errors on stderr.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "test_support.h"

namespace poles {
namespace {

class Cli : public ::testing::Test {
 protected:
  int run(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"--db", (dir_ / "cli.db").string()};
    all.insert(all.end(), args.begin(), args.end());
    return testing::run_poles(all, (dir_ / "out").string(), (dir_ / "err").string());
  }
  std::string out() { return testing::read_file(dir_ / "out"); }
  std::string err() { return testing::read_file(dir_ / "err"); }
  testing::TempDir dir_;
};

TEST_F(Cli, ExitCodes) {
  EXPECT_EQ(run({}), 1);  // a subcommand is required
  EXPECT_EQ(run({"frobnicate"}), 1);
  EXPECT_EQ(run({"import", "galaxy", "x.csv"}), 1);  // unknown entity
  testing::write_file(dir_ / "c.csv", "id,name,region,scale\naero,Aerospace Valley,76,national\n");
  EXPECT_EQ(run({"import", "cluster", (dir_ / "c.csv").string()}), 0);
  EXPECT_NE(out().find("1 rows (1 inserted, 0 updated, 0 unchanged)"), std::string::npos) << out();
  testing::write_file(dir_ / "bad.csv", "id,name,region,scale\nx,X,99,national\n");
  EXPECT_EQ(run({"import", "cluster", (dir_ / "bad.csv").string()}), 2);
  EXPECT_NE(err().find("bad.csv:2:3: field 'region' value '99': unknown INSEE region code"),
            std::string::npos)
      << err();
  EXPECT_EQ(run({"export", "cluster", "--format", "yaml"}), 2);
  EXPECT_EQ(run({"export", "cluster"}), 0);
  EXPECT_EQ(out(),
            "id,name,acronym,themes,region,scale,filiere,s3_domains,website,founded\naero,"
            "Aerospace Valley,,,76,national,,,,\n");
  EXPECT_EQ(run({"--help"}), 0);
  EXPECT_EQ(run({"import", "--help"}), 0);
}

// Issue #20: CLI tables cut names inside a UTF-8 character ("Z\xC3" for Zürich) and padded by
// bytes, so accented rows were out of line. A name of 39 A then "ürich…": cut after 39
// characters with "…", never inside 'ü', and the next column starts at the same character on
// every line.
TEST_F(Cli, TablesCutNamesBetweenCharactersAndAlignByCharacters) {
  const std::string name = std::string(39, 'A') + "ürich et la chimie verte";
  testing::write_file(dir_ / "c.csv",
                      "id,name,region,scale\nz," + name + ",84,national\ny,Côte,11,national\n");
  ASSERT_EQ(run({"import", "cluster", (dir_ / "c.csv").string()}), 0) << err();
  ASSERT_EQ(run({"evaluate", "characterise", "--year", "2022"}), 0) << err();
  const std::string text = out();
  EXPECT_EQ(text.find("\xC3 "), std::string::npos) << "a character cut in two";
  const auto line_of = [&](const std::string& start) {
    const auto at = text.find("\n" + start + " ");
    EXPECT_NE(at, std::string::npos) << text;
    return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
  };
  const std::string z = line_of("z"), y = line_of("y");
  EXPECT_NE(z.find(std::string(39, 'A') + "…  "), std::string::npos) << z;
  EXPECT_EQ(z.find("ü"), std::string::npos) << z;
  // The region's column, in characters (code points), is the same on both lines.
  const auto column = [](const std::string& line, const std::string& what) {
    const auto bytes = line.find(what);
    size_t chars = 0;
    for (size_t i = 0; i < bytes; ++i)
      chars += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
    return chars;
  };
  EXPECT_EQ(column(z, " 84 "), column(y, " 11 ")) << z << "\n" << y;
}

// `poles secrecy audit`: on a store without a firm panel there is nothing to attack, and it
// passes (exit 0); its JSON names the rule and the publishers. A bad option is a usage error.
TEST_F(Cli, SecrecyAuditOfAnEmptyStorePasses) {
  ASSERT_EQ(run({"secrecy", "audit", "--json"}), 0) << err();
  const auto j = nlohmann::json::parse(out());
  EXPECT_TRUE(j["passed"].get<bool>());
  EXPECT_DOUBLE_EQ(j["protection"].get<double>(), 0.15);
  ASSERT_EQ(j["publishers"].size(), 4u);
  EXPECT_EQ(j["publishers"][0]["publisher"], "/api/v1/stats/firms");
  EXPECT_EQ(j["publishers"][0]["failures"], 0);
  EXPECT_EQ(run({"secrecy", "audit", "--protection", "2"}), 1);
}

// `poles census release`: the State's release of a year from the command line, as the API's
// (a dry run writes nothing; a year outside 2004 … now is bad input).
TEST_F(Cli, CensusReleaseFromTheCommandLine) {
  testing::write_file(dir_ / "c.csv", "id,name,region,scale\naero,Aerospace Valley,76,national\n");
  testing::write_file(dir_ / "o.csv", "id,name,kind\nlab,Labo,research\n");
  testing::write_file(dir_ / "m.csv",
                      "organisation_id,cluster_id,start_date\nlab,aero,2018-02-01\n");
  ASSERT_EQ(run({"import", "cluster", (dir_ / "c.csv").string()}), 0) << err();
  ASSERT_EQ(run({"import", "organisation", (dir_ / "o.csv").string()}), 0) << err();
  ASSERT_EQ(run({"import", "membership", (dir_ / "m.csv").string()}), 0) << err();
  ASSERT_EQ(run({"census", "release", "2019", "--dry-run", "--json"}), 0) << err();
  auto j = nlohmann::json::parse(out());
  EXPECT_EQ(j["added"], 1);
  EXPECT_EQ(j["dry_run"], true);
  ASSERT_EQ(run({"census", "release", "2019"}), 0) << err();
  EXPECT_NE(out().find("2019 released: 1 members, 1 added, 0 removed, 0 held back"),
            std::string::npos)
      << out();
  ASSERT_EQ(run({"export", "member_census"}), 0);
  EXPECT_EQ(out(), "year,cluster_id,organisation_id\n2019,aero,lab\n");
  EXPECT_EQ(run({"census", "release", "1990"}), 2);
  EXPECT_NE(err().find("a census is released for a year from 2004"), std::string::npos) << err();
  EXPECT_EQ(run({"census", "release"}), 1);  // the year is required
}

// One labelled cluster: `poles evaluate` does not refuse; it reads the cluster against itself.
TEST_F(Cli, EvaluateWithOneClusterReadsItAgainstItself) {
  testing::write_file(dir_ / "c.csv", "id,name,region,scale\naero,Aerospace Valley,76,national\n");
  testing::write_file(dir_ / "l.csv", "cluster_id,phase,start_year,end_year\naero,4,2019,2022\n");
  testing::write_file(dir_ / "o.csv", "id,name,kind\nlab,Labo,research\nfab,Fab,company\n");
  testing::write_file(dir_ / "m.csv",
                      "organisation_id,cluster_id,start_date\nlab,aero,2018-02-01\n"
                      "fab,aero,2020-03-01\n");
  for (const auto& [entity, file] :
       std::vector<std::pair<std::string, std::string>>{{"cluster", "c.csv"},
                                                        {"cluster_label", "l.csv"},
                                                        {"organisation", "o.csv"},
                                                        {"membership", "m.csv"}})
    ASSERT_EQ(run({"import", entity, (dir_ / file).string()}), 0) << err();
  ASSERT_EQ(run({"evaluate", "--year", "2020", "--draws", "0", "--sobol_n", "0"}), 0) << err();
  EXPECT_NE(out().find("1 cluster(s) labelled in 2020: too few to rank"), std::string::npos)
      << out();
  // members: 1 in 2019 (the lab), 2 in 2020 (the firm joined).
  ASSERT_EQ(run({"evaluate", "--year", "2020", "--draws", "0", "--sobol_n", "0", "--json"}), 0);
  const auto j = nlohmann::json::parse(out());
  EXPECT_EQ(j["ranked"], false);
  EXPECT_EQ(j["clusters"][0]["indicators"]["members"], 2);
  EXPECT_EQ(j["clusters"][0]["previous_indicators"]["members"], 1);
}

TEST_F(Cli, XlsxExportWritesAWorkbook) {
  testing::write_file(dir_ / "c.csv", "id,name,region,scale\naero,Aerospace Valley,76,national\n");
  ASSERT_EQ(run({"import", "cluster", (dir_ / "c.csv").string()}), 0);
  ASSERT_EQ(run({"export", "cluster", "--format", "xlsx", "-o", (dir_ / "c.xlsx").string()}), 0);
  const std::string bytes = testing::read_file(dir_ / "c.xlsx");
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(0, 2), "PK");                           // a zip container
  EXPECT_EQ(run({"export", "cluster", "--format", "xlsx"}), 2);  // needs a file
}

// `poles impact --data`: an economist's own file (CSV or Stata), estimated without a store; the
// report written beside; a bad parameter is refused with its name and rule (exit code 2).
TEST_F(Cli, ImpactOnACsvFile) {
  POLES_REQUIRE_SHARED("data/reference/mpdta/mpdta.csv");
  const std::string data = testing::shared_path("data/reference/mpdta/mpdta.csv").string();
  ASSERT_EQ(run({"impact", "--data", data, "--outcome", "lemp", "--unit", "countyreal", "--time",
                 "year", "--group", "first.treat", "--bootstrap", "0", "--json", "--report",
                 (dir_ / "impact.html").string(), "--lang", "en"}),
            0)
      << err();
  const auto j = nlohmann::json::parse(out());
  EXPECT_NEAR(j["aggregations"]["dynamic"]["estimate"].get<double>(), -0.0772, 5e-5);
  EXPECT_NEAR(j["pretest"]["p"].get<double>(), 0.16812, 5e-6);
  EXPECT_EQ(j["data"]["rows"], 2500);
  const std::string html = testing::read_file(dir_ / "impact.html");
  EXPECT_NE(html.find("Impact evaluation — lemp"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(run({"impact", "--data", data, "--outcome", "lemp", "--unit", "countyreal", "--time",
                 "year", "--group", "first.treat", "--control", "maybe"}),
            2);
  EXPECT_NE(err().find("field '--control' value 'maybe': must be one of: never, notyet"),
            std::string::npos)
      << err();
  EXPECT_EQ(run({"impact", "--data", (dir_ / "none.csv").string(), "--outcome", "y"}), 2);
}

// The Poisson regression from the command line: fixest's trade data, the gravity model in
// levels (PPML), the distance elasticity of R's glm with dummies (tests/impact/ppml_test.cpp).
TEST_F(Cli, ImportThroughAMappingPreviewsThenWrites) {
  testing::write_file(dir_ / "c.csv", "id,name,region,scale\naero,Aerospace Valley,76,national\n");
  ASSERT_EQ(run({"import", "cluster", (dir_ / "c.csv").string()}), 0) << err();
  testing::write_file(dir_ / "m.toml", R"([[target]]
entity = "organisation"
[target.fields]
id = { template = "annuaire:{Nom|slug}" }
name = "Nom"
kind = { constant = "company" }
[[target]]
entity = "membership"
[target.fields]
organisation_id = { from = "organisation.id" }
cluster_id = { constant = "{$cluster}" }
start_date = { column = "Adhésion", normalise = ["date"] }
)");
  testing::write_file(dir_ / "a.csv", "Nom;Adhésion\nÉole;03/01/2024\nLabo;31/02/2020\n");
  const std::string m = (dir_ / "m.toml").string(), a = (dir_ / "a.csv").string();
  EXPECT_EQ(run({"import", "--mapping", m, a}), 2);  // {$cluster} not given
  EXPECT_NE(err().find("parameter 'cluster' is not given"), std::string::npos) << err();
  EXPECT_EQ(run({"import", "--mapping", m, a, "--param", "cluster=aero", "--preview", "2"}), 0);
  EXPECT_NE(out().find("organisation (row 2): id=annuaire:eole kind=company name=Éole"),
            std::string::npos)
      << out();
  EXPECT_NE(out().find("validated (nothing written)"), std::string::npos);
  EXPECT_NE(out().find("a.csv:3:2: field 'start_date' value '31/02/2020': not a date"),
            std::string::npos)
      << out();
  EXPECT_EQ(run({"import", "--mapping", m, a, "--param", "cluster=aero"}), 2);  // all or nothing
  EXPECT_EQ(run({"import", "--mapping", m, a, "--param", "cluster=aero", "--skip-invalid"}), 0);
  EXPECT_NE(out().find("imported " + a + ": 2 rows read, 1 accepted, 1 refused"), std::string::npos)
      << out();
  EXPECT_EQ(run({"import", "--mapping", m}), 1);  // the file is missing: a usage error
}

// Issue #19: the modes and the preview from the command line. A dry run lists each row that
// would change, field by field; a replace without a scope is a usage error of the file (2).
TEST_F(Cli, ADryRunPreviewsEachChangeAndReplaceNeedsAScope) {
  testing::write_file(dir_ / "c.csv",
                      "id,name,region,scale\naero,Aerospace Valley,76,national\n"
                      "mina,Minalogic,84,regional\n");
  ASSERT_EQ(run({"import", "cluster", (dir_ / "c.csv").string()}), 0) << err();
  testing::write_file(dir_ / "c2.csv", "id,name,region\naero,Aerospace Valley,75\n");
  const std::string c2 = (dir_ / "c2.csv").string();
  ASSERT_EQ(run({"import", "cluster", c2, "--dry-run"}), 0) << err();
  EXPECT_NE(out().find("1 rows (0 inserted, 1 updated, 0 unchanged)"), std::string::npos) << out();
  EXPECT_NE(out().find("~ cluster 'aero' (line 2): region '76' -> '75'\n"), std::string::npos)
      << out();
  EXPECT_EQ(run({"import", "cluster", c2, "--mode", "replace"}), 2);
  EXPECT_NE(err().find("scope"), std::string::npos) << err();
  EXPECT_EQ(run({"import", "cluster", c2, "--mode", "sideways"}), 1);
  ASSERT_EQ(
      run({"import", "cluster", c2, "--mode", "replace", "--scope", "scale=national", "--dry-run"}),
      2);  // a replace needs every required column
  EXPECT_NE(err().find("c2.csv:1: field 'scale' value '': required column is missing"),
            std::string::npos)
      << err();
  testing::write_file(dir_ / "c3.csv", "id,name,region,scale\nmina,Minalogic,84,regional\n");
  ASSERT_EQ(run({"import", "cluster", (dir_ / "c3.csv").string(), "--mode", "replace", "--scope",
                 "region=84", "--dry-run"}),
            0)
      << err();
  EXPECT_NE(out().find("0 would be deleted"), std::string::npos) << out();
  // Insert-only (every required column) adds the new cluster, leaves aero as it was.
  testing::write_file(dir_ / "c4.csv",
                      "id,name,region,scale\naero,Autre,75,national\nnew,Nouveau,84,regional\n");
  ASSERT_EQ(run({"import", "cluster", (dir_ / "c4.csv").string(), "--mode", "insert-only"}), 0)
      << err();
  EXPECT_NE(out().find("2 rows (1 inserted, 0 updated, 1 unchanged)"), std::string::npos) << out();
  ASSERT_EQ(run({"export", "cluster"}), 0);
  EXPECT_NE(out().find("aero,Aerospace Valley,,,76,national"), std::string::npos) << out();
}

// More pre-treatment cells (14) than units (8): the pre-test's covariance is singular, and the
// answer says so instead of a p-value (the report too, in French).
TEST_F(Cli, ASingularPreTestIsSaidNotComputed) {
  std::string csv = "unit,year,first,y\n";
  const int groups[8] = {8, 8, 10, 10, 0, 0, 0, 0};
  for (int u = 0; u < 8; ++u)
    for (int t = 1; t <= 12; ++t)
      csv += fmt::format("{},{},{},{}\n", u, t, groups[u],
                         (u * 7 + t * 13) % 10 + (t >= groups[u] && groups[u] > 0));
  testing::write_file(dir_ / "panel.csv", csv);
  ASSERT_EQ(run({"impact", "--data", (dir_ / "panel.csv").string(), "--estimator", "did",
                 "--outcome", "y", "--unit", "unit", "--time", "year", "--group", "first", "--json",
                 "--report", (dir_ / "did.html").string(), "--lang", "fr"}),
            0)
      << err();
  const auto j = nlohmann::json::parse(out());
  EXPECT_EQ(j["pretest"]["df"], 14);
  EXPECT_TRUE(j["pretest"]["p"].is_null());
  EXPECT_TRUE(j["pretest"]["stat"].is_null());
  EXPECT_NE(j["pretest"]["warning"].get<std::string>().find("singular"), std::string::npos);
  const std::string html = testing::read_file(dir_ / "did.html");
  EXPECT_NE(
      html.find("non calculable, la covariance des estimations avant traitement est singulière"),
      std::string::npos);
}

TEST_F(Cli, PoissonRegressionOnACsvFile) {
  POLES_REQUIRE_SHARED("data/reference/fixest/trade.csv");
  const std::string data = testing::shared_path("data/reference/fixest/trade.csv").string();
  ASSERT_EQ(run({"impact", "--data", data, "--estimator", "ppml", "--outcome", "Euros", "--x",
                 "log(dist_km)", "--fe", "Origin,Destination,Product,Year", "--cluster", "Origin",
                 "--json", "--report", (dir_ / "ppml.html").string(), "--lang", "fr"}),
            0)
      << err();
  const auto j = nlohmann::json::parse(out());
  EXPECT_EQ(j["estimator"], "ppml");
  EXPECT_NEAR(j["coefficients"][0]["estimate"].get<double>(), -1.527874371, 5e-9);
  EXPECT_EQ(j["perfect_fit"], 0);
  EXPECT_EQ(j["n"], 38325);
  // Read for a decision-maker: 100 (e^−1.527874371 − 1) = −78.30 % per log point of distance.
  EXPECT_EQ(j["reading"]["scale"], "percent");
  EXPECT_EQ(j["reading"]["term"], "log(dist_km)");
  EXPECT_NEAR(j["reading"]["value"].get<double>(), -78.30036, 1e-4);
  EXPECT_TRUE(j["reading"]["conclusive"].get<bool>());
  const std::string html = testing::read_file(dir_ / "ppml.html");
  EXPECT_NE(html.find("Régression de Poisson à effets fixes (PPML)"), std::string::npos);
  EXPECT_NE(html.find("pseudo-R²"), std::string::npos);
  EXPECT_NE(html.find("un effet d'environ −78,3 %"), std::string::npos) << html.substr(0, 200);
}

// The same Poisson model as a formula, clustered as fixest writes it; a subset of the rows; a
// formula beside x= refused, naming both.
TEST_F(Cli, FormulaAndSubsetOnACsvFile) {
  POLES_REQUIRE_SHARED("data/reference/fixest/trade.csv");
  const std::string data = testing::shared_path("data/reference/fixest/trade.csv").string();
  ASSERT_EQ(run({"impact", "--data", data, "--estimator", "ppml", "--formula",
                 "Euros ~ log(dist_km) | Origin + Destination + Product + Year", "--cluster",
                 "~Origin", "--json"}),
            0)
      << err();
  auto j = nlohmann::json::parse(out());
  EXPECT_EQ(j["outcome"], "Euros");
  EXPECT_NEAR(j["coefficients"][0]["estimate"].get<double>(), -1.527874371, 5e-9);
  EXPECT_EQ(j["reading"]["term"], "log(dist_km)");
  EXPECT_EQ(j["clusters"], nlohmann::json::array({"~Origin"}));
  ASSERT_EQ(run({"impact", "--data", data, "--estimator", "ols", "--formula",
                 "log(Euros) ~ log(dist_km) | Origin + Destination + Product", "--subset",
                 "Year >= 2010", "--json"}),
            0)
      << err();
  j = nlohmann::json::parse(out());
  EXPECT_LT(j["n"].get<int>(), 38325);
  EXPECT_GT(j["n"].get<int>(), 5000);
  EXPECT_EQ(run({"impact", "--data", data, "--estimator", "ols", "--formula",
                 "log(Euros) ~ log(dist_km)", "--x", "Year"}),
            2);
  EXPECT_NE(err().find("the formula replaces outcome=, x= and fe="), std::string::npos) << err();
  EXPECT_EQ(run({"impact", "--data", data, "--estimator", "did", "--formula", "Euros ~ Year"}), 2);
  EXPECT_NE(err().find("a formula is for the regressions"), std::string::npos) << err();
}

}  // namespace
}  // namespace poles
