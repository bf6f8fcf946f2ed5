// OLS with high-dimensional fixed effects: fixest's published trade-data numbers, hand cases,
// and R's plm and estimatr on the same simulated unbalanced panel.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "impact/frame.h"
#include "impact/hdfe.h"
#include "test_support.h"

namespace poles::impact {
namespace {

FixedEffect fixed_effect(const Frame& f, const std::string& name) {
  auto c = f.codes(name);
  EXPECT_TRUE(c.has_value()) << c.error().to_string();
  return FixedEffect{name, c->code, c->levels()};
}

OlsInput trade_gravity(const Frame& f) {
  OlsInput in;
  in.y_name = "log(Euros)";
  in.y = *f.numeric("log(Euros)");
  in.x_names = {"log(dist_km)"};
  in.x = {*f.numeric("log(dist_km)")};
  for (const char* fe : {"Destination", "Origin", "Product", "Year"}) in.fe.push_back(fixed_effect(f, fe));
  in.vcov.kind = VcovKind::kCluster;
  in.vcov.clusters = {fixed_effect(f, "Destination"), fixed_effect(f, "Origin")};
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

}  // namespace
}  // namespace poles::impact
