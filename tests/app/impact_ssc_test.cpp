// The regressions' small-sample conventions (ssc=, as fixest's ssc()) on plm's Grunfeld data,
// inv ~ capital | firm + year: the iid and firm-clustered errors of plm and of lm with dummies
// (sandwich's vcovCL, HC1) computed by R in the test, and the errors fixest's vignette "On
// standard-errors" publishes for Stata (xtreg, reghdfe) and lfe (felm), one- and two-way.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "app/impact.h"
#include "impact/frame.h"
#include "test_support.h"

namespace poles::app {
namespace {

class GrunfeldSsc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(POLES_RSCRIPT)) return;
    dir_ = new testing::TempDir;
    const std::string csv = (*dir_ / "grunfeld.csv").string();
    const std::string script = R"(
suppressMessages(library(plm)); suppressMessages(library(sandwich))
data("Grunfeld", package = "plm")
write.csv(Grunfeld[, c("firm", "year", "inv", "capital")], ")" +
                               csv + R"(", row.names = FALSE)
w <- plm(inv ~ capital, Grunfeld, index = c("firm", "year"), model = "within", effect = "twoways")
cat("PLM_IID", format(sqrt(vcov(w)["capital", "capital"]), digits = 17), "\n")
cat("PLM_FIRM", format(sqrt(vcovHC(w, cluster = "group")["capital", "capital"]), digits = 17), "\n")
m <- lm(inv ~ capital + factor(firm) + factor(year), Grunfeld)
cat("LM_IID", format(sqrt(vcov(m)["capital", "capital"]), digits = 17), "\n")
cat("LM_FIRM", format(sqrt(vcovCL(m, cluster = ~firm, type = "HC1")["capital", "capital"]), digits = 17), "\n")
)";
    out_ = new testing::CommandOutput(
        testing::run_r(POLES_RSCRIPT, dir_->path(), "grunfeld.R", script));
    std::istringstream lines(out_->output);
    std::string tag;
    double v = 0;
    while (lines >> tag) {
      if (lines >> v) peer_[tag] = v;
    }
    auto f = impact::read_csv(csv);
    EXPECT_TRUE(f.has_value()) << f.error().to_string();
    if (f.has_value()) frame_ = new impact::Frame(std::move(*f));
  }
  static void TearDownTestSuite() {
    delete frame_;
    delete out_;
    delete dir_;
  }
  void SetUp() override {
    if (!std::filesystem::exists(POLES_RSCRIPT)) GTEST_SKIP() << "Rscript is not installed";
    ASSERT_EQ(out_->status, 0) << out_->output;
    ASSERT_TRUE(frame_);
  }
  // The capital coefficient's standard error under `vcov`, `cluster` and the given settings.
  static ImpactOls fit(Params more) {
    Params p = {{"estimator", "ols"}, {"outcome", "inv"}, {"x", "capital"}, {"fe", "firm,year"}};
    for (auto& [k, v] : more) p[k] = v;
    const auto args = parse(impact_params(), p);
    EXPECT_TRUE(args.has_value()) << args.error().to_string();
    auto r = impact_estimate(*frame_, *args);
    EXPECT_TRUE(r.has_value() && r->ols) << (r.has_value() ? "" : r.error().to_string());
    return r.has_value() && r->ols ? *r->ols : ImpactOls{};
  }
  static double se(Params more) {
    const auto r = fit(std::move(more));
    return r.coefficients.empty() || !r.coefficients[0].se ? NAN : *r.coefficients[0].se;
  }
  static inline testing::TempDir* dir_ = nullptr;
  static inline testing::CommandOutput* out_ = nullptr;
  static inline impact::Frame* frame_ = nullptr;
  static inline std::map<std::string, double> peer_;
};

TEST_F(GrunfeldSsc, IidErrorsArePlmsAndLmsWhateverThePreset) {
  ASSERT_TRUE(peer_.contains("PLM_IID") && peer_.contains("LM_IID")) << out_->output;
  EXPECT_NEAR(peer_["PLM_IID"], 0.02597821, 5e-9) << "fixest's vignette";
  for (const char* preset : {"fixest", "plm", "lm", "lfe"})
    EXPECT_NEAR(se({{"vcov", "iid"}, {"ssc", preset}}), peer_["PLM_IID"], 1e-6 * peer_["PLM_IID"])
        << preset;
  // The fixed effects left out of K: SSR / (n − 1) instead of SSR / (n − 30), by hand.
  EXPECT_NEAR(se({{"vcov", "iid"}, {"ssc_fixef_k", "none"}}),
              peer_["PLM_IID"] * std::sqrt(170.0 / 199.0), 1e-6 * peer_["PLM_IID"]);
}

TEST_F(GrunfeldSsc, FirmClusteredErrorsFollowEachPreset) {
  ASSERT_TRUE(peer_.contains("PLM_FIRM") && peer_.contains("LM_FIRM")) << out_->output;
  const Params firm = {{"cluster", "firm"}};
  const auto with = [&](Params p) {
    p.insert(firm.begin(), firm.end());
    return se(std::move(p));
  };
  // R in the test: plm's vcovHC (HC0, no adjustment) and lm with dummies under vcovCL HC1.
  EXPECT_NEAR(with({{"ssc", "plm"}}), peer_["PLM_FIRM"], 1e-6 * peer_["PLM_FIRM"]);
  EXPECT_NEAR(with({{"ssc", "lm"}}), peer_["LM_FIRM"], 1e-6 * peer_["LM_FIRM"]);
  // Published: Stata's xtreg, fe vce(cluster firm) = reghdfe = fixest's default; lfe's felm.
  EXPECT_NEAR(with({}), 0.06328129, 5e-9);
  EXPECT_NEAR(with({{"ssc", "reghdfe"}}), 0.06328129, 5e-9);
  EXPECT_NEAR(with({{"ssc", "lfe"}}), 0.06016851, 5e-9);
  // The settings one by one: fixest's default with the fixed effects counted in full is lm's.
  EXPECT_NEAR(with({{"ssc_fixef_k", "full"}}), peer_["LM_FIRM"], 1e-6 * peer_["LM_FIRM"]);
  EXPECT_NEAR(with({{"ssc_fixef_k", "none"}, {"ssc_cluster_adj", "off"}}), peer_["PLM_FIRM"],
              1e-6 * peer_["PLM_FIRM"]);
  // Degrees of freedom: G − 1 = 9 (min), n − K (conventional), none (normal).
  EXPECT_EQ(fit({{"cluster", "firm"}}).df_t, 9.0);
  EXPECT_EQ(fit({{"cluster", "firm"}, {"ssc", "lm"}}).df_t, 200.0 - 30.0);
  const auto z = fit({{"cluster", "firm"}, {"ssc_t_df", "normal"}});
  EXPECT_FALSE(z.df_t.has_value());
  ASSERT_TRUE(z.coefficients[0].t && z.coefficients[0].p);
  EXPECT_NEAR(*z.coefficients[0].p, std::erfc(std::abs(*z.coefficients[0].t) / std::sqrt(2.0)),
              1e-12);
  ASSERT_TRUE(z.ssc);
  EXPECT_EQ(z.ssc->t_df, "normal");
}

TEST_F(GrunfeldSsc, TwoWayClusteredErrorsOfFixestAndLfe) {
  // Published: fixest's default (one G_min/(G_min − 1)) and lfe (each matrix its own G).
  EXPECT_NEAR(se({{"cluster", "firm,year"}}), 0.06041290, 5e-9);
  EXPECT_NEAR(se({{"cluster", "firm,year"}, {"ssc", "lfe"}}), 0.06213837, 5e-9);
  EXPECT_NEAR(se({{"cluster", "firm,year"}, {"ssc_cluster_df", "conventional"}}), 0.06213837, 5e-9);
}

TEST(ImpactSsc, ThePoissonRegressionRefusesOtherConventions) {
  impact::Frame f;
  f.add_numeric("y", {0, 1, 2, 3, 1, 0});
  f.add_numeric("x", {0, 1, 0, 1, 0, 1});
  const auto args =
      parse(impact_params(), {{"estimator", "ppml"}, {"outcome", "y"}, {"x", "x"}, {"ssc", "lm"}});
  ASSERT_TRUE(args.has_value());
  const auto r = impact_estimate(f, *args);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("sandwich's convention"), std::string::npos);
}

}  // namespace
}  // namespace poles::app
