// Formulas in fixest's syntax: the event study written with i() equals the same regression on
// dummies made by hand (1e-10); fixest's trade data through formulas gives fixest's published OLS
// and R's glm Poisson coefficient; combined fixed effects, products, references and subsets; and
// every malformed formula refused with its reason.
#include "impact/formula.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "fixed_effect_of.h"
#include "impact/ppml.h"
#include "test_support.h"

namespace poles::impact {
namespace {

// 300 units over periods 1–10, half treated from period 6 with effects growing after it.
Frame event_panel() {
  std::mt19937_64 rng(99);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> id, period, treat, y;
  for (int u = 0; u < 300; ++u) {
    const double a = noise(rng);
    const bool treated = u % 2 == 0;
    for (int t = 1; t <= 10; ++t) {
      id.push_back(u);
      period.push_back(t);
      treat.push_back(treated);
      y.push_back(a + 0.3 * t + (treated && t >= 6 ? 0.5 * (t - 5) : 0) + noise(rng));
    }
  }
  Frame f;
  f.add_numeric("id", id);
  f.add_numeric("period", period);
  f.add_numeric("treat", treat);
  f.add_numeric("y", y);
  return f;
}

TEST(Formula, EventStudyWithIEqualsHandMadeDummies) {
  const Frame f = event_panel();
  auto m = model_columns(f, "y ~ i(period, treat, 5) | id + period");
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  ASSERT_EQ(m->x_names.size(), 9u);
  EXPECT_EQ(m->x_names[0], "period::1:treat");
  EXPECT_EQ(m->x_names[4], "period::6:treat");
  OlsInput by_formula;
  by_formula.y = m->y;
  by_formula.x_names = m->x_names;
  by_formula.x = m->x;
  by_formula.fe = m->fe;
  by_formula.vcov.kind = VcovKind::kCluster;
  auto clusters = cluster_columns(f, "~id");
  ASSERT_TRUE(clusters.has_value()) << clusters.error().to_string();
  by_formula.vcov.clusters = *clusters;
  by_formula.demean.tolerance = 1e-13;
  // By hand: one column per period but 5, 1 for the treated units in that period.
  const auto period = *f.numeric("period");
  const auto treat = *f.numeric("treat");
  OlsInput by_hand;
  by_hand.y = *f.numeric("y");
  for (int p = 1; p <= 10; ++p) {
    if (p == 5) continue;
    std::vector<double> d(f.rows());
    for (size_t i = 0; i < f.rows(); ++i) d[i] = period[i] == p && treat[i] == 1 ? 1.0 : 0.0;
    by_hand.x_names.push_back("d" + std::to_string(p));
    by_hand.x.push_back(std::move(d));
  }
  by_hand.fe = {fe_of(f, "id"), fe_of(f, "period")};
  by_hand.vcov.kind = VcovKind::kCluster;
  by_hand.vcov.clusters = {fe_of(f, "id")};
  by_hand.demean.tolerance = 1e-13;
  auto a = feols(by_formula);
  auto b = feols(by_hand);
  ASSERT_TRUE(a.has_value() && b.has_value());
  ASSERT_EQ(a->coef.size(), 9);
  for (Eigen::Index j = 0; j < 9; ++j) {
    EXPECT_NEAR(a->coef(j), b->coef(j), 1e-10) << a->names[static_cast<size_t>(j)];
    EXPECT_NEAR(a->se(j), b->se(j), 1e-10) << a->names[static_cast<size_t>(j)];
  }
  // The planted effect after period 5: 0.5 per period.
  EXPECT_NEAR(a->coef(8), 2.5, 4 * a->se(8));
  EXPECT_NEAR(a->coef(0), 0, 4 * a->se(0));
}

TEST(Formula, TradeDataThroughFormulasGivesFixestAndGlmValues) {
  POLES_REQUIRE_SHARED("data/reference/fixest/trade.csv");
  auto f = read_csv(testing::shared_path("data/reference/fixest/trade.csv").string());
  ASSERT_TRUE(f.has_value()) << f.error().to_string();
  auto m = model_columns(*f, "log(Euros) ~ log(dist_km) | Destination + Origin + Product + Year");
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  OlsInput ols;
  ols.y = m->y;
  ols.x_names = m->x_names;
  ols.x = m->x;
  ols.fe = m->fe;
  ols.vcov.kind = VcovKind::kCluster;
  ols.vcov.clusters = *cluster_columns(*f, "~Destination + Origin");
  auto r = feols(ols);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_NEAR(r->coef(0), -2.16988, 5e-6);  // fixest's vignette, as Feols.TradeGravity…
  EXPECT_NEAR(r->se(0), 0.171367, 5e-7);
  auto p = model_columns(*f, "Euros ~ log(dist_km) | Origin + Destination + Product + Year");
  ASSERT_TRUE(p.has_value()) << p.error().to_string();
  PoissonInput in;
  in.y = p->y;
  in.x_names = p->x_names;
  in.x = p->x;
  in.fe = p->fe;
  auto pr = fepois(in);
  ASSERT_TRUE(pr.has_value()) << pr.error().to_string();
  EXPECT_NEAR(pr->coef(0), -1.527874371, 5e-9);  // R's glm with dummies (Fepois.TradeGravity…)
  // Origin^Product: one effect per pair, as a column made by hand of the two names.
  auto pair = model_columns(*f, "log(Euros) ~ log(dist_km) | Origin^Product + Destination");
  ASSERT_TRUE(pair.has_value()) << pair.error().to_string();
  Frame g = *f;
  Column od;
  od.name = "op";
  od.numeric = false;
  const auto* o = f->find("Origin");
  const auto product = *f->numeric("Product");
  for (size_t i = 0; i < f->rows(); ++i)
    od.text.push_back(o->text[i] + "/" + std::to_string(static_cast<int>(product[i])));
  ASSERT_TRUE(g.add(od).is_ok());
  auto hand = model_columns(g, "log(Euros) ~ log(dist_km) | op + Destination");
  ASSERT_TRUE(hand.has_value()) << hand.error().to_string();
  EXPECT_EQ(pair->fe[0].levels, hand->fe[0].levels);
  EXPECT_EQ(pair->fe[0].name, "Origin^Product");
  EXPECT_EQ(pair->fe[0].levels, 15 * 20);
  const auto input = [](const ModelColumns& cols) {
    OlsInput cols_in;
    cols_in.y = cols.y;
    cols_in.x_names = cols.x_names;
    cols_in.x = cols.x;
    cols_in.fe = cols.fe;
    cols_in.demean.tolerance = 1e-12;
    return cols_in;
  };
  OlsInput x1 = input(*pair), x2 = input(*hand);
  auto r1 = feols(x1), r2 = feols(x2);
  ASSERT_TRUE(r1.has_value()) << r1.error().to_string();
  ASSERT_TRUE(r2.has_value()) << r2.error().to_string();
  EXPECT_NEAR(r1->coef(0), r2->coef(0), 1e-10);
  EXPECT_NEAR(r1->se(0), r2->se(0), 1e-10);
}

TEST(Formula, ProductsReferencesAndSubsets) {
  std::istringstream csv(
      "id,size,x,z,y\n"
      "1,TPE,1,2,3\n2,PME,2,1,5\n3,ETI,3,0.5,4\n4,PME,4,2,8\n5,,5,1,9\n6,TPE,6,3,13\n");
  auto f = read_csv(csv, "hand.csv");
  ASSERT_TRUE(f.has_value()) << f.error().to_string();
  auto m = model_columns(*f, "y ~ x:z + log(z) + i(size, ref = \"PME\")");
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  EXPECT_EQ(m->x_names, (std::vector<std::string>{"x:z", "log(z)", "size::ETI", "size::TPE"}));
  EXPECT_EQ(m->x[0], (std::vector<double>{2, 2, 1.5, 8, 5, 18}));
  EXPECT_NEAR(m->x[1][2], std::log(0.5), 1e-15);
  EXPECT_EQ(m->x[2][2], 1);
  EXPECT_EQ(m->x[3][0], 1);
  EXPECT_EQ(m->x[3][1], 0);                                       // PME, the reference
  EXPECT_TRUE(std::isnan(m->x[2][4]) && std::isnan(m->x[3][4]));  // size missing
  auto all = model_columns(*f, "y ~ i(size)");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->x_names.size(), 3u);
  auto two = model_columns(*f, "y ~ i(size, TPE)");  // not a column: the reference
  ASSERT_TRUE(two.has_value()) << two.error().to_string();
  EXPECT_EQ(two->x_names, (std::vector<std::string>{"size::ETI", "size::PME"}));
  auto numeric_ref = model_columns(*f, "y ~ i(id, 3.0)");
  ASSERT_TRUE(numeric_ref.has_value()) << numeric_ref.error().to_string();
  EXPECT_EQ(numeric_ref->x_names.size(), 5u);
  EXPECT_EQ(numeric_ref->x_names[2], "id::4");

  auto pme = subset_rows(*f, "size == PME");
  ASSERT_TRUE(pme.has_value());
  EXPECT_EQ(pme->rows(), 2u);
  auto big = subset_rows(*f, "x >= 4");
  ASSERT_TRUE(big.has_value());
  EXPECT_EQ(big->rows(), 3u);
  auto not_pme = subset_rows(*f, "size != 'PME'");
  ASSERT_TRUE(not_pme.has_value());
  EXPECT_EQ(not_pme->rows(), 3u);  // the missing size is neither

  const auto refused = [&](std::string_view formula, std::string_view says) {
    auto r = model_columns(*f, formula);
    ASSERT_FALSE(r.has_value()) << formula;
    EXPECT_NE(r.error().message().find(says), std::string::npos)
        << formula << ": " << r.error().message();
  };
  refused("y x", "needs one '~'");
  refused("y ~ x | id | z", "one '|' at most");
  refused("y ~ log(x", "unbalanced parentheses");
  refused("y ~ nope", "term 'nope': no column 'nope'");
  refused("y ~ i(size, ref = XL)", "no value 'XL' in column 'size'");
  refused("y ~ i(size, x, TPE, ref = PME)", "the reference is given twice");
  refused("y ~ i(size, bin = 2)", "unknown argument 'bin'");
  refused("y ~ x + x", "appears twice");
  refused("y ~ x + ", "an empty term");
  refused("y ~ size", "not numeric (value 'TPE')");
  refused("nope ~ x", "outcome 'nope'");
  refused("y ~ x" + std::string(5000, ' '), "at most 4096");
  refused("y ~ x | id^size^x^z^y", "combines 5 variables, at most 4");
  refused("y ~ x | id + size + x + z + id^x + id^z + size^x + size^z + x^z", "9 fixed effects");
  auto three = cluster_columns(*f, "~id + size + x");
  ASSERT_FALSE(three.has_value());
  EXPECT_NE(three.error().message().find("one or two"), std::string::npos);
  // A variable of many values as dummies: refused before anything is built.
  Frame wide;
  std::vector<double> many(20'000), ones(20'000, 1.0);
  for (size_t i = 0; i < many.size(); ++i) many[i] = static_cast<double>(i % 1500);
  wide.add_numeric("firm", many);
  wide.add_numeric("y", ones);
  auto too_many = model_columns(wide, "y ~ i(firm)");
  ASSERT_FALSE(too_many.has_value());
  EXPECT_NE(too_many.error().message().find("1500 columns of 20000 rows"), std::string::npos)
      << too_many.error().message();
  auto bad_subset = subset_rows(*f, "size < PME");
  ASSERT_FALSE(bad_subset.has_value());
  EXPECT_NE(bad_subset.error().message().find("only == and !="), std::string::npos);
  EXPECT_FALSE(subset_rows(*f, "x = 3").has_value());
  EXPECT_FALSE(subset_rows(*f, "x == three").has_value());
  EXPECT_FALSE(subset_rows(*f, "x > 100").has_value());  // no row
}

}  // namespace
}  // namespace poles::impact
