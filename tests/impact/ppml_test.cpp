// Poisson regression with fixed effects (PPML, fixest's fepois) against R's glm with dummies run
// on the same data inside the test (Debian's R, and sandwich for the clustered variance), on
// fixest's trade data, and hand cases: a fixed-effect level with no positive outcome, a negative
// outcome.
#include "impact/ppml.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "fixed_effect_of.h"
#include "impact/frame.h"
#include "test_support.h"

namespace poles::impact {
namespace {

// fepois(Euros ~ log(dist_km) | Origin + Destination + Product + Year, trade): the issue's value,
// −1.527874371, is R's glm(…, family = poisson) with dummies; R computes it here again, with its
// standard error and the one clustered by origin (sandwich::vcovCL, HC0).
TEST(Fepois, TradeGravityEqualsRsGlmWithDummies) {
  POLES_REQUIRE_SHARED("data/reference/fixest/trade.csv");
  const auto path = testing::shared_path("data/reference/fixest/trade.csv").string();
  auto f = read_csv(path);
  ASSERT_TRUE(f.has_value()) << f.error().to_string();
  PoissonInput in;
  in.y_name = "Euros";
  in.y = *f->numeric("Euros");
  in.x_names = {"log(dist_km)"};
  in.x = {*f->numeric("log(dist_km)")};
  for (const char* fe : {"Origin", "Destination", "Product", "Year"})
    in.fe.push_back(fe_of(*f, fe));
  auto r = fepois(in);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_NEAR(r->coef(0), -1.527874371, 5e-9);
  EXPECT_EQ(r->n, 38325);
  EXPECT_EQ(r->perfect_fit, 0);
  in.vcov.kind = VcovKind::kCluster;
  in.vcov.clusters = {fe_of(*f, "Origin")};
  auto rc = fepois(in);
  ASSERT_TRUE(rc.has_value()) << rc.error().to_string();
  EXPECT_EQ(rc->clusters, 15);

  if (!std::filesystem::exists(POLES_RSCRIPT)) GTEST_SKIP() << "Rscript is not installed";
  testing::TempDir dir;
  const std::string script = R"(
d <- read.csv(commandArgs(TRUE)[1])
m <- glm(Euros ~ log(dist_km) + factor(Origin) + factor(Destination) + factor(Product) +
           factor(Year), family = poisson, data = d, control = glm.control(epsilon = 1e-12, maxit = 100))
suppressMessages(library(sandwich))
v <- vcovCL(m, cluster = ~Origin, type = "HC0")
cat(sprintf("%.12f %.12f %.12f %.6f\n", coef(m)[2], sqrt(vcov(m)[2, 2]), sqrt(v[2, 2]),
            deviance(m)))
)";
  testing::write_file(dir / "glm.R", script);
  const auto peer = testing::run_command(std::string(POLES_RSCRIPT) + " --vanilla " +
                                         (dir / "glm.R").string() + " " + path + " 2>&1");
  ASSERT_EQ(peer.status, 0) << peer.output;
  std::istringstream line(peer.output);
  double coef = 0, se = 0, se_cluster = 0, dev = 0;
  line >> coef >> se >> se_cluster >> dev;
  EXPECT_NEAR(coef, -1.527874371, 5e-9) << "the issue's value";
  EXPECT_NEAR(r->coef(0), coef, 1e-9);
  EXPECT_NEAR(r->se(0), se, 1e-6 * se);
  EXPECT_NEAR(rc->se(0), se_cluster, 1e-6 * se_cluster);
  EXPECT_NEAR(r->deviance, dev, 1e-6 * dev);
}

// By hand: unit "c" never has a positive outcome, so its effect would be −∞; its rows are
// dropped before the fit (fixest's perfect-fit removal) and the slope is that of the others.
// A negative outcome is refused, naming it.
TEST(Fepois, AUnitWithOnlyZerosIsDroppedAndNegativeOutcomesAreRefused) {
  std::istringstream csv(
      "unit,x,y\n"
      "a,0,1\na,1,3\na,2,4\na,3,9\n"
      "b,0,2\nb,1,2\nb,2,7\nb,3,8\n"
      "c,0,0\nc,1,0\nc,2,0\nc,3,0\n");
  auto f = read_csv(csv, "hand.csv");
  ASSERT_TRUE(f.has_value()) << f.error().to_string();
  PoissonInput in;
  in.y_name = "y";
  in.y = *f->numeric("y");
  in.x_names = {"x"};
  in.x = {*f->numeric("x")};
  in.fe = {fe_of(*f, "unit")};
  auto r = fepois(in);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->perfect_fit, 4);
  EXPECT_EQ(r->n, 8);
  // Without c: the Poisson score equations with unit effects, Σ x (y − μ) = 0 and Σ_unit (y − μ)
  // = 0, solved by hand through the profile: Σ_u (Σ y_u) Σ x e^{βx} / Σ e^{βx} = Σ x y.
  const double sxy = 1 * 3 + 2 * 4 + 3 * 9 + 1 * 2 + 2 * 7 + 3 * 8;  // 78
  const double b = r->coef(0);
  const double share = (1 * std::exp(b) + 2 * std::exp(2 * b) + 3 * std::exp(3 * b)) /
                       (1 + std::exp(b) + std::exp(2 * b) + std::exp(3 * b));
  EXPECT_NEAR((17 + 19) * share, sxy, 1e-6);
  in.y[0] = -1;
  auto bad = fepois(in);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().to_string().find("non-negative"), std::string::npos)
      << bad.error().to_string();
}

}  // namespace
}  // namespace poles::impact
