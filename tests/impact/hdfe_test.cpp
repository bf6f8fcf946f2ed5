// OLS with high-dimensional fixed effects: fixest's published trade-data numbers, hand cases,
// and R's plm and estimatr on the same simulated unbalanced panel.
#include "impact/hdfe.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "fixed_effect_of.h"
#include "impact/frame.h"
#include "impact/stata.h"
#include "test_support.h"

namespace poles::impact {
namespace {

OlsInput trade_gravity(const Frame& f) {
  OlsInput in;
  in.y_name = "log(Euros)";
  in.y = *f.numeric("log(Euros)");
  in.x_names = {"log(dist_km)"};
  in.x = {*f.numeric("log(dist_km)")};
  for (const char* fe : {"Destination", "Origin", "Product", "Year"}) in.fe.push_back(fe_of(f, fe));
  in.vcov.kind = VcovKind::kCluster;
  in.vcov.clusters = {fe_of(f, "Destination"), fe_of(f, "Origin")};
  return in;
}

// feols(log(Euros) ~ log(dist_km) | Destination + Origin + Product + Year, trade), vcov twoway:
// the numbers printed in fixest's standard-errors vignette (METHODS.md).
TEST(Feols, TradeGravityMatchesFixestPublishedNumbers) {
  POLES_REQUIRE_SHARED("data/reference/fixest/trade.csv");
  auto f = read_csv(testing::shared_path("data/reference/fixest/trade.csv").string());
  ASSERT_TRUE(f.has_value()) << f.error().to_string();
  ASSERT_EQ(f->rows(), 38325u);
  auto r = feols(trade_gravity(*f));
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->n, 38325);
  EXPECT_EQ(r->fe_parameters, 15 + 15 + 20 + 10 - 3);
  EXPECT_NEAR(r->coef(0), -2.16988, 5e-6);
  EXPECT_NEAR(r->se(0), 0.171367, 5e-7);
  EXPECT_NEAR(r->rmse, 1.74337, 5e-6);
  EXPECT_NEAR(r->adj_r2, 0.705139, 5e-7);
  EXPECT_NEAR(r->within_r2, 0.219322, 5e-7);
  EXPECT_EQ(r->clusters, 15);
  // Without the small-sample corrections.
  auto in = trade_gravity(*f);
  in.vcov.adjust = false;
  in.vcov.cluster_adjust = false;
  auto raw = feols(std::move(in));
  ASSERT_TRUE(raw.has_value());
  EXPECT_NEAR(raw->se(0), 0.165494, 5e-7);
  // The conjugate gradient reaches the same estimate.
  auto cg = trade_gravity(*f);
  cg.demean.algorithm = Demeaner::kConjugateGradient;
  auto rc = feols(std::move(cg));
  ASSERT_TRUE(rc.has_value()) << rc.error().to_string();
  EXPECT_NEAR(rc->coef(0), r->coef(0), 1e-7);
  EXPECT_NEAR(rc->se(0), r->se(0), 1e-7);
}

// fixest's "difficult" worker–firm–year panel (Stata file, true coefficients 3 and 5): the
// projections stall, the sparse direct solver takes over, and it agrees with plain CG.
TEST(Feols, DifficultWorkerFirmPanelFromStataRecoversTheTrueCoefficients) {
  POLES_REQUIRE_SHARED("data/reference/fixest-benchmark/base_diff_e5.dta");
  auto f =
      read_dta(testing::shared_path("data/reference/fixest-benchmark/base_diff_e5.dta").string());
  ASSERT_TRUE(f.has_value()) << f.error().to_string();
  ASSERT_EQ(f->rows(), 100000u);
  ASSERT_NE(f->find("id_firm"), nullptr);
  auto input = [&] {
    OlsInput in;
    in.y = *f->numeric("y");
    in.x_names = {"x1", "x2"};
    in.x = {*f->numeric("x1"), *f->numeric("x2")};
    for (const char* fe : {"id_indiv", "id_firm", "id_year"}) in.fe.push_back(fe_of(*f, fe));
    return in;
  };
  auto r = feols(input());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r->demeaning.used_cg);
  EXPECT_NEAR(r->coef(0), 3, 0.02);
  EXPECT_NEAR(r->coef(1), 5, 0.02);
  auto cg = input();
  cg.demean.algorithm = Demeaner::kConjugateGradient;
  auto rc = feols(std::move(cg));
  ASSERT_TRUE(rc.has_value());
  EXPECT_NEAR(rc->coef(0), r->coef(0), 1e-7);
  EXPECT_NEAR(rc->coef(1), r->coef(1), 1e-7);
  EXPECT_NEAR(rc->se(0), r->se(0), 1e-8);
}

// Singletons are removed repeatedly (removing one can make another), and the fixed-effect
// parameters count one reference per connected component.
TEST(Feols, SingletonsAndConnectedComponents) {
  // Units a..e, periods 1..3; unit e appears once; period 3 only with unit d once e is gone.
  const std::vector<int32_t> unit = {0, 0, 1, 1, 2, 2, 3, 3, 4};
  const std::vector<int32_t> time = {0, 1, 0, 1, 0, 1, 0, 2, 2};
  const std::vector<FixedEffect> fe = {{"unit", unit, 5}, {"time", time, 3}};
  const auto keep = non_singletons(fe, unit.size());
  // e (row 8) is a singleton unit; then period 2 has one row (7); then unit d has one row (6).
  EXPECT_EQ(keep, (std::vector<char>{1, 1, 1, 1, 1, 1, 0, 0, 0}));
  // Two components: {units 0,1; times 0,1} and {unit 2; time 2}.
  const std::vector<FixedEffect> two = {{"unit", {0, 0, 1, 1, 2}, 3}, {"time", {0, 1, 0, 1, 2}, 3}};
  EXPECT_EQ(fixed_effect_parameters(two), 6 - 2);
  const std::vector<FixedEffect> three = {two[0], two[1], {"z", {0, 1, 0, 1, 0}, 2}};
  EXPECT_EQ(fixed_effect_parameters(three), 8 - 2 - 1);
}

// Bad input: a regressor of the wrong length and a text outcome are refused with their names.
TEST(Feols, BadInputIsNamed) {
  OlsInput in;
  in.y = {1, 2, 3, 4};
  in.x_names = {"x"};
  in.x = {{1, 2, 3}};
  auto r = feols(in);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("regressor 'x' has 3 rows"), std::string::npos);
  Frame f;
  Column c;
  c.name = "label";
  c.numeric = false;
  c.text = {"a", "b"};
  ASSERT_TRUE(f.add(c).is_ok());
  auto v = f.numeric("label");
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().message().find("column 'label' is not numeric (value 'a')"),
            std::string::npos);
  EXPECT_FALSE(f.numeric("log(missing)").has_value());
}

// A regression with no row or no regressor left is refused, with why (it used to reach Eigen's
// assertion on an empty matrix).
TEST(Feols, NothingLeftToEstimateIsAnError) {
  OlsInput in;
  in.y = {1, 2, 3, 4};
  in.x_names = {"x"};
  in.x = {{1, 2, 1, 2}};
  in.weights = {NAN, NAN, NAN, NAN};
  auto none = feols(in);
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message().find("no row is left"), std::string::npos);
  in.weights.clear();
  in.fe = {FixedEffect{"g", {0, 1, 0, 1}, 2}};  // x is constant within g
  auto collinear = feols(in);
  ASSERT_FALSE(collinear.has_value());
  EXPECT_NE(collinear.error().message().find("every regressor is constant or collinear"),
            std::string::npos);
}

// The reciprocal condition number by hand: [[2, 1], [1, 2]] has ‖V‖₁ = 3 and V⁻¹ = [[2, −1],
// [−1, 2]] / 3 with ‖V⁻¹‖₁ = 1, so 1/3; a covariance with a 1e-20 direction is not tested.
TEST(WaldTest, AnIllConditionedCovarianceGivesNoStatistic) {
  Eigen::MatrixXd v(2, 2);
  v << 2, 1, 1, 2;
  EXPECT_NEAR(reciprocal_condition(v), 1.0 / 3.0, 1e-15);
  Eigen::VectorXd b(2);
  b << 1, 1;
  // b'V⁻¹b = [1 1]·[1 1]'/3 = 2/3.
  Wald w = wald_test(b, v, {0, 1}, 100);
  EXPECT_FALSE(w.singular);
  EXPECT_NEAR(w.stat, 2.0 / 3.0, 1e-12);
  v << 1, 0, 0, 1e-20;
  EXPECT_NEAR(reciprocal_condition(v), 1e-20, 1e-32);
  w = wald_test(b, v, {0, 1}, 100);
  EXPECT_TRUE(w.singular);
  EXPECT_TRUE(std::isnan(w.stat));
  EXPECT_TRUE(std::isnan(w.p_f));
  v << 1, 1, 1, 1;  // rank 1
  EXPECT_EQ(reciprocal_condition(v), 0);
}

}  // namespace
}  // namespace poles::impact
