// The regressions' small-sample conventions (ssc=, as fixest's ssc()) on plm's Grunfeld data,
// inv ~ capital | firm + year: the iid and firm-clustered errors of plm and of lm with dummies
// (sandwich's vcovCL, HC1) computed by R in the test, and the errors fixest's vignette "On
// standard-errors" publishes for Stata (xtreg, reghdfe) and lfe (felm), one- and two-way.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
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

// The two-way event study (and Sun & Abraham's) take the same conventions: with ssc=lm, the
// event-time coefficients and errors of R's lm on the event dummies with unit and year dummies
// and sandwich's vcovCL (clustered by unit, HC1), computed in the test; fixest's default counts
// the nested unit effects out, so its errors differ.
TEST(ImpactSsc, TheEventStudiesTakeTheConventionsOfLmAndSandwich) {
  if (!std::filesystem::exists(POLES_RSCRIPT)) GTEST_SKIP() << "Rscript is not installed";
  std::mt19937_64 rng(20261202);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> unit, year, first, y;
  for (int u = 0; u < 60; ++u) {
    const int g = u % 3 == 0 ? 0 : (u % 3 == 1 ? 2004 : 2006);
    const double a = noise(rng);
    for (int t = 2001; t <= 2008; ++t) {
      unit.push_back(u);
      year.push_back(t);
      first.push_back(g);
      y.push_back(a + 0.1 * (t - 2001) + (g > 0 && t >= g ? 0.5 + 0.1 * (t - g) : 0) + noise(rng));
    }
  }
  impact::Frame f;
  f.add_numeric("unit", unit);
  f.add_numeric("year", year);
  f.add_numeric("first", first);
  f.add_numeric("y", y);
  testing::TempDir dir;
  {
    std::ofstream csv(dir / "panel.csv");
    csv.precision(17);
    csv << "unit,year,first,y\n";
    for (size_t i = 0; i < y.size(); ++i)
      csv << unit[i] << "," << year[i] << "," << first[i] << "," << y[i] << "\n";
  }
  const std::string script = "d <- read.csv('" + (dir / "panel.csv").string() + "')\n" + R"(
suppressMessages(library(sandwich))
d$e <- ifelse(d$first > 0, d$year - d$first, -1)
d$cell <- relevel(factor(ifelse(d$e == -1, "base", paste0("e", d$e))), ref = "base")
m <- lm(y ~ cell + factor(unit) + factor(year), data = d)
V <- vcovCL(m, cluster = ~unit, type = "HC1")
for (k in grep("^cell", names(coef(m)), value = TRUE))
  cat("TERM", sub("celle", "", k), format(c(coef(m)[[k]], sqrt(V[k, k])), digits = 17), "\n")
)";
  const auto out = testing::run_r(POLES_RSCRIPT, dir.path(), "event.R", script);
  ASSERT_EQ(out.status, 0) << out.output;
  const auto peer = testing::tagged_pairs(out.output);
  ASSERT_EQ(peer.size(), 9u) << out.output;  // e = −5..4 but −1
  const auto event = [&](Params more) {
    Params p = {{"estimator", "event"}, {"outcome", "y"}, {"unit", "unit"}, {"time", "year"},
                {"group", "first"},     {"leads", "5"},   {"lags", "4"}};
    for (auto& [k, v] : more) p[k] = v;
    const auto args = parse(impact_params(), p);
    EXPECT_TRUE(args.has_value()) << args.error().to_string();
    auto r = impact_estimate(f, *args);
    EXPECT_TRUE(r.has_value() && r->event) << (r.has_value() ? "" : r.error().to_string());
    return r.has_value() && r->event ? *r->event : ImpactEvent{};
  };
  const ImpactEvent lm = event({{"ssc", "lm"}}), fixest = event({});
  ASSERT_TRUE(lm.ssc && fixest.ssc);
  EXPECT_EQ(lm.ssc->fixef_k, "full");
  EXPECT_EQ(fixest.ssc->preset, "fixest");
  int compared = 0;
  for (size_t j = 0; j < lm.terms.size(); ++j) {
    const auto& t = lm.terms[j];
    if (t.reference) continue;
    const auto it = peer.find("TERM " + std::to_string(t.e));
    ASSERT_NE(it, peer.end()) << t.e;
    ASSERT_TRUE(t.estimate && t.se) << t.e;
    EXPECT_NEAR(*t.estimate, it->second.first, 1e-8) << t.e;
    EXPECT_NEAR(*t.se, it->second.second, 1e-6 * it->second.second) << t.e;
    EXPECT_GT(std::abs(*fixest.terms[j].se - *t.se), 1e-4 * *t.se) << t.e;
    ++compared;
  }
  EXPECT_EQ(compared, 9);
  // z tests: the leads' F test has an infinite denominator, its p-value the χ² one (Boost threw
  // on it and ended the server's job thread: found by a second reading).
  const ImpactEvent z = event({{"ssc_t_df", "normal"}});
  ASSERT_TRUE(z.pretrend.p.has_value());
  EXPECT_GT(*z.pretrend.p, 0);
  // Sun & Abraham: the same conventions reach its errors.
  const ImpactEvent sa_lm = event({{"estimator", "sunab"}, {"ssc", "lm"}}),
                    sa = event({{"estimator", "sunab"}});
  ASSERT_TRUE(sa_lm.att && sa.att && sa_lm.att->se && sa.att->se);
  EXPECT_EQ(*sa_lm.att->estimate, *sa.att->estimate);
  EXPECT_GT(*sa_lm.att->se, *sa.att->se * (1 + 1e-4));  // the unit effects counted in K
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
