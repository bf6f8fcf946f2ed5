// Callaway & Sant'Anna on mpdta: the numbers printed by the `did` package (METHODS.md, A.1 of
// references/econometrics.md), and hand cases.
#include "impact/did.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "impact/frame.h"
#include "pole_panel.h"
#include "test_support.h"

namespace poles::impact {
namespace {

DidData mpdta() {
  auto f = read_csv(testing::shared_path("data/reference/mpdta/mpdta.csv").string());
  EXPECT_TRUE(f.has_value()) << f.error().to_string();
  DidData d;
  const auto unit = *f->numeric("countyreal");
  const auto year = *f->numeric("year");
  const auto group = *f->numeric("first.treat");
  d.y = *f->numeric("lemp");
  for (size_t i = 0; i < f->rows(); ++i) {
    d.unit.push_back(static_cast<int64_t>(unit[i]));
    d.time.push_back(static_cast<int>(year[i]));
    d.group.push_back(static_cast<int>(group[i]));
  }
  return d;
}

// More pre-treatment cells than units: their covariance (units × cells influence functions)
// has rank at most the number of units, so the Wald statistic is whatever a generalised inverse
// makes of it. R's did declines ("singular covariance matrix"); so does this.
TEST(CallawaySantAnna, ASingularPreTestCovarianceGivesNoStatisticNorPValue) {
  DidData d;
  std::mt19937_64 rng(20261130);
  std::normal_distribution<double> noise(0, 1);
  const int groups[8] = {8, 8, 10, 10, 0, 0, 0, 0};
  for (int u = 0; u < 8; ++u) {
    for (int t = 1; t <= 12; ++t) {
      d.unit.push_back(u);
      d.time.push_back(t);
      d.group.push_back(groups[u]);
      d.y.push_back(noise(rng) + (groups[u] > 0 && t >= groups[u] ? 1.0 : 0.0));
    }
  }
  auto r = att_gt(d);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  // Varying base period: cohort 8 has pre-treatment cells at t = 2…7, cohort 10 at t = 2…9.
  EXPECT_EQ(r->pretest_df, 14);
  EXPECT_TRUE(r->pretest_singular);
  EXPECT_LE(r->pretest_rcond, std::numeric_limits<double>::epsilon());
  EXPECT_TRUE(std::isnan(r->pretest_stat));
  EXPECT_TRUE(std::isnan(r->pretest_p));
}

TEST(CallawaySantAnna, MpdtaGroupTimeEffectsMatchTheDidPackage) {
  POLES_REQUIRE_SHARED("data/reference/mpdta/mpdta.csv");
  auto r = att_gt(mpdta());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->units, 500);
  const double expected[3][4] = {{-0.0105, -0.0704, -0.1373, -0.1008},
                                 {0.0065, -0.0028, -0.0046, -0.0412},
                                 {0.0305, -0.0027, -0.0311, -0.0261}};
  // Published (bootstrap) standard errors, README column: checked loosely against the analytic
  // ones.
  const double se[3][4] = {{0.0246, 0.0332, 0.0397, 0.0357},
                           {0.0229, 0.0197, 0.0179, 0.0192},
                           {0.0154, 0.0164, 0.0184, 0.0170}};
  ASSERT_EQ(r->cells.size(), 12u);
  for (size_t c = 0; c < 12; ++c) {
    const auto& cell = r->cells[c];
    const int groups[] = {2004, 2006, 2007};
    EXPECT_EQ(cell.g, groups[c / 4]);
    EXPECT_EQ(cell.t, 2004 + static_cast<int>(c % 4));
    EXPECT_NEAR(cell.att, expected[c / 4][c % 4], 5e-5) << cell.g << " " << cell.t;
    EXPECT_NEAR(cell.se, se[c / 4][c % 4], 0.15 * se[c / 4][c % 4]) << cell.g << " " << cell.t;
  }
  EXPECT_NEAR(r->pretest_p, 0.16812, 5e-6);
  EXPECT_EQ(r->pretest_df, 5);
  EXPECT_FALSE(r->pretest_singular);
  EXPECT_GT(r->pretest_rcond, 1e-6);
  // Regression and doubly robust coincide without covariates; so does IPW.
  for (auto m : {DidMethod::kRegression, DidMethod::kIpw}) {
    auto o =
        att_gt(mpdta(), DidOptions{ControlGroup::kNeverTreated, BasePeriod::kVarying, m, 0, {}});
    ASSERT_TRUE(o.has_value());
    for (size_t c = 0; c < 12; ++c) {
      EXPECT_NEAR(o->cells[c].att, r->cells[c].att, 1e-12);
      EXPECT_NEAR(o->cells[c].se, r->cells[c].se, 1e-12);
    }
  }
}

TEST(CallawaySantAnna, MpdtaAggregationsMatchTheDidPackage) {
  POLES_REQUIRE_SHARED("data/reference/mpdta/mpdta.csv");
  auto r = att_gt(mpdta());
  ASSERT_TRUE(r.has_value());
  auto dyn = aggregate(*r, Aggregation::kDynamic);
  ASSERT_TRUE(dyn.has_value()) << dyn.error().to_string();
  EXPECT_NEAR(dyn->att, -0.0772, 5e-5);
  const double by_e[] = {0.0305, -0.0006, -0.0245, -0.0199, -0.0510, -0.1373, -0.1008};
  const double se_e[] = {0.0154, 0.0132, 0.0153, 0.0123, 0.0167, 0.0413, 0.0351};
  ASSERT_EQ(dyn->terms.size(), 7u);
  for (size_t j = 0; j < 7; ++j) {
    EXPECT_EQ(dyn->terms[j].key, static_cast<int>(j) - 3);
    EXPECT_NEAR(dyn->terms[j].att, by_e[j], 5e-5) << j;
    EXPECT_NEAR(dyn->terms[j].se, se_e[j], 0.15 * se_e[j]) << j;
  }
  EXPECT_NEAR(dyn->se, 0.0219, 0.15 * 0.0219);

  auto grp = aggregate(*r, Aggregation::kGroup);
  ASSERT_TRUE(grp.has_value());
  EXPECT_NEAR(grp->att, -0.031, 5e-4);
  const double by_g[] = {-0.0797, -0.0229, -0.0261};
  const double se_g[] = {0.0291, 0.0176, 0.0175};
  for (size_t j = 0; j < 3; ++j) {
    EXPECT_NEAR(grp->terms[j].att, by_g[j], 5e-5);
    EXPECT_NEAR(grp->terms[j].se, se_g[j], 0.15 * se_g[j]);
  }
  EXPECT_NEAR(grp->se, 0.0126, 0.15 * 0.0126);

  AggregateOptions balanced;
  balanced.balance_e = 1;
  auto bal = aggregate(*r, Aggregation::kDynamic, balanced);
  ASSERT_TRUE(bal.has_value());
  EXPECT_NEAR(bal->att, -0.0288, 5e-5);
  EXPECT_NEAR(bal->se, 0.0135, 0.15 * 0.0135);
  const double by_e_bal[] = {0.0065, -0.0028, -0.0066, -0.0510};
  ASSERT_EQ(bal->terms.size(), 4u);
  for (size_t j = 0; j < 4; ++j) {
    EXPECT_EQ(bal->terms[j].key, static_cast<int>(j) - 2);
    EXPECT_NEAR(bal->terms[j].att, by_e_bal[j], 5e-5);
  }

  // Simple: post-treatment cells weighted by group size (derived from the cells, as the package
  // does).
  auto simple = aggregate(*r, Aggregation::kSimple);
  ASSERT_TRUE(simple.has_value());
  double num = 0, den = 0;
  for (const auto& c : r->cells) {
    if (!c.post) continue;
    const double pg = r->group_share[static_cast<size_t>(
        std::find(r->groups.begin(), r->groups.end(), c.g) - r->groups.begin())];
    num += c.att * pg;
    den += pg;
  }
  EXPECT_NEAR(simple->att, num / den, 1e-12);
  auto cal = aggregate(*r, Aggregation::kCalendar);
  ASSERT_TRUE(cal.has_value());
  EXPECT_EQ(cal->terms.size(), 4u);                        // 2004..2007
  EXPECT_NEAR(cal->terms[0].att, r->cells[0].att, 1e-12);  // only 2004 is treated in 2004
}

TEST(CallawaySantAnna, MultiplierBootstrapAgreesWithTheAnalyticErrorsAndIsSeeded) {
  POLES_REQUIRE_SHARED("data/reference/mpdta/mpdta.csv");
  auto r = att_gt(mpdta());
  ASSERT_TRUE(r.has_value());
  const auto b1 = multiplier_bootstrap(r->influence, 999, 42);
  const auto b2 = multiplier_bootstrap(r->influence, 999, 42);
  EXPECT_EQ(b1.se, b2.se);
  for (size_t c = 0; c < r->cells.size(); ++c) {
    EXPECT_NEAR(b1.se(static_cast<Eigen::Index>(c)), r->cells[c].se, 0.15 * r->cells[c].se) << c;
  }
  // A uniform band over 12 cells is wider than the pointwise 1.96 and below Bonferroni's 2.87.
  EXPECT_GT(b1.critical_value, 2.1);
  EXPECT_LT(b1.critical_value, 2.87);
}

// The inference reported with an estimation: with analytic errors, pointwise intervals and bands
// at the normal critical value; with the bootstrap, the cells' band at the bootstrap's critical
// value (seeded as multiplier_bootstrap), wider than the pointwise interval; the aggregations in
// their order, with the terms of aggregate(); a refusal from the progress callback cancels.
TEST(CallawaySantAnna, InferenceGivesTheIntervalsAndBandsOfCellsAndAggregations) {
  POLES_REQUIRE_SHARED("data/reference/mpdta/mpdta.csv");
  auto r = att_gt(mpdta());
  ASSERT_TRUE(r.has_value());
  DidInferenceOptions analytic;
  analytic.bootstrap = 0;
  auto a = did_inference(*r, analytic);
  ASSERT_TRUE(a.has_value()) << a.error().to_string();
  EXPECT_NEAR(a->normal_critical, 1.959963984540054, 1e-12);
  EXPECT_EQ(a->critical_value, a->normal_critical);
  ASSERT_EQ(a->cells.size(), r->cells.size());
  const Eigen::VectorXd se = influence_se(r->influence);
  for (size_t c = 0; c < r->cells.size(); ++c) {
    const auto& x = a->cells[c];
    EXPECT_EQ(x.ci.estimate, r->cells[c].att);
    EXPECT_NEAR(x.ci.se, se(static_cast<Eigen::Index>(c)), 1e-15);
    EXPECT_NEAR(x.ci.low, x.ci.estimate - 1.959963984540054 * x.ci.se, 1e-12);
    EXPECT_NEAR(x.ci.high, x.ci.estimate + 1.959963984540054 * x.ci.se, 1e-12);
    EXPECT_EQ(x.band_low, x.ci.low);
    EXPECT_EQ(x.band_high, x.ci.high);
  }
  ASSERT_EQ(a->aggregations.size(), 4u);
  const Aggregation order[] = {Aggregation::kSimple, Aggregation::kDynamic, Aggregation::kGroup,
                               Aggregation::kCalendar};
  for (size_t k = 0; k < 4; ++k) {
    const auto& g = a->aggregations[k];
    EXPECT_EQ(g.type, order[k]);
    auto plain = aggregate(*r, order[k]);
    ASSERT_TRUE(plain.has_value());
    EXPECT_NEAR(g.overall.estimate, plain->att, 1e-12) << aggregation_name(order[k]);
    EXPECT_NEAR(g.overall.se, plain->se, 1e-12) << aggregation_name(order[k]);
    ASSERT_EQ(g.terms.size(), plain->terms.size());
    for (size_t j = 0; j < g.terms.size(); ++j) {
      EXPECT_EQ(g.terms[j].key, plain->terms[j].key);
      EXPECT_NEAR(g.terms[j].interval.ci.se, plain->terms[j].se, 1e-12);
    }
  }
  EXPECT_TRUE(a->aggregations[0].terms.empty());
  // balance_e reaches the dynamic aggregation only.
  DidInferenceOptions balanced = analytic;
  balanced.balance_e = 1;
  auto b = did_inference(*r, balanced);
  ASSERT_TRUE(b.has_value());
  EXPECT_NEAR(b->aggregations[1].overall.estimate, -0.0288, 5e-5);
  EXPECT_EQ(b->aggregations[2].overall.estimate, a->aggregations[2].overall.estimate);

  DidInferenceOptions boot;
  boot.bootstrap = 999;
  boot.seed = 42;
  std::vector<std::string> stages;
  boot.progress = [&stages](double, std::string_view stage) {
    stages.emplace_back(stage);
    return true;
  };
  auto bs = did_inference(*r, boot);
  ASSERT_TRUE(bs.has_value());
  EXPECT_EQ(stages,
            (std::vector<std::string>{"bootstrap", "aggregation simple", "aggregation dynamic",
                                      "aggregation group", "aggregation calendar"}));
  const auto b1 = multiplier_bootstrap(r->influence, 999, 42);
  EXPECT_EQ(bs->critical_value, b1.critical_value);
  for (size_t c = 0; c < r->cells.size(); ++c) {
    EXPECT_EQ(bs->cells[c].ci.se, b1.se(static_cast<Eigen::Index>(c)));
    EXPECT_LT(bs->cells[c].band_low, bs->cells[c].ci.low);
    EXPECT_GT(bs->cells[c].band_high, bs->cells[c].ci.high);
  }
  auto again = did_inference(*r, boot);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->aggregations[1].overall.se, bs->aggregations[1].overall.se);

  DidInferenceOptions refused = analytic;
  refused.progress = [](double share, std::string_view) { return share < 0.5; };
  auto cancelled = did_inference(*r, refused);
  ASSERT_FALSE(cancelled.has_value());
  EXPECT_EQ(cancelled.error().code(), ErrorCode::kCancelled);
}

// A frame's columns as a DiD panel: a missing group is never treated; a missing unit or period
// is an error that names the column and the row.
TEST(CallawaySantAnna, InputFromAFrameNamesTheMissingValue) {
  Frame f;
  f.add_numeric("id", {1, 1, 2, 2});
  f.add_numeric("year", {2001, 2002, 2001, 2002});
  f.add_numeric("first", {2002, 2002, NAN, NAN});
  f.add_numeric("y", {1, 2, 3, 4});
  auto d = did_input(f, {"y", "id", "year", "first", {}, "", ""});
  ASSERT_TRUE(d.has_value()) << d.error().to_string();
  EXPECT_EQ(d->unit, (std::vector<int64_t>{1, 1, 2, 2}));
  EXPECT_EQ(d->group, (std::vector<int>{2002, 2002, 0, 0}));
  EXPECT_EQ(d->y, (std::vector<double>{1, 2, 3, 4}));
  f.add_numeric("year", {2001, 2002, NAN, 2002});
  auto bad = did_input(f, {"y", "id", "year", "first", {}, "", ""});
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("'year' is missing on row 3"), std::string::npos)
      << bad.error().message();
  EXPECT_FALSE(did_input(f, {"y", "id", "year", "first", {"nope"}, "", ""}).has_value());
}

// Selection on an observable that also drives the trend: without the covariate the DiD is biased;
// outcome regression, IPW and the doubly robust estimator recover the planted effect, and their
// influence-function errors match the spread of the estimates over replications.
TEST(CallawaySantAnna, CovariatesRemoveTheBiasOfSelectionOnObservables) {
  auto simulate = [](uint64_t seed) {
    std::mt19937_64 g(seed);
    std::normal_distribution<double> N;
    std::uniform_real_distribution<double> U;
    DidData d;
    d.covariate_names = {"x"};
    d.covariates.resize(1);
    for (int u = 0; u < 4000; ++u) {
      const double x = N(g);
      const bool treated = U(g) < 1 / (1 + std::exp(-(x - 0.5)));
      const double a = N(g);
      for (int t = 2001; t <= 2002; ++t) {
        d.unit.push_back(u);
        d.time.push_back(t);
        d.group.push_back(treated ? 2002 : 0);
        d.covariates[0].push_back(x);
        d.y.push_back(a + (t == 2002 ? 1 + 2 * x + (treated ? 1.0 : 0.0) : 0.0) + 0.5 * N(g));
      }
    }
    return d;
  };
  const DidData d = simulate(7);
  DidData plain = d;
  plain.covariates.clear();
  plain.covariate_names.clear();
  auto naive = att_gt(
      plain,
      DidOptions{ControlGroup::kNeverTreated, BasePeriod::kVarying, DidMethod::kRegression, 0, {}});
  ASSERT_TRUE(naive.has_value());
  EXPECT_GT(naive->cells[0].att - 1,
            10 * naive->cells[0].se);  // treated have larger x, hence larger trends
  for (auto m : {DidMethod::kRegression, DidMethod::kIpw, DidMethod::kDoublyRobust}) {
    auto r = att_gt(d, DidOptions{ControlGroup::kNeverTreated, BasePeriod::kVarying, m, 0, {}});
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    ASSERT_EQ(r->cells.size(), 1u);
    EXPECT_LT(std::abs(r->cells[0].att - 1), 3 * r->cells[0].se) << static_cast<int>(m);
  }
  // The doubly robust estimator's analytic error against its spread over 200 replications.
  std::vector<double> est;
  double se = 0;
  for (uint64_t rep = 0; rep < 200; ++rep) {
    auto r = att_gt(
        simulate(100 + rep),
        DidOptions{
            ControlGroup::kNeverTreated, BasePeriod::kVarying, DidMethod::kDoublyRobust, 0, {}});
    ASSERT_TRUE(r.has_value());
    est.push_back(r->cells[0].att);
    se += r->cells[0].se / 200;
  }
  double mean = 0, var = 0;
  for (double e : est) mean += e / 200;
  for (double e : est) var += (e - mean) * (e - mean) / 199;
  EXPECT_NEAR(mean, 1, 0.02);
  EXPECT_NEAR(se, std::sqrt(var), 0.15 * std::sqrt(var));
}

}  // namespace
}  // namespace poles::impact

namespace poles::impact {
namespace {

// A cluster must be constant within a unit; a negative cluster makes the unit its own. A
// cluster's influence is its units' summed, times G / n: with clusters of one unit each, the
// errors are the units' own.
// An unbalanced panel: on the complete mpdta both unbalanced estimators (the units observed in
// both periods of each comparison; did's repeated cross-section means, its
// allow_unbalanced_panel) are the balanced estimator, cell by cell, estimates and errors.
TEST(CallawaySantAnna, UnbalancedOnTheCompleteMpdtaEqualsTheBalancedEstimator) {
  POLES_REQUIRE_SHARED("data/reference/mpdta/mpdta.csv");
  DidOptions o{ControlGroup::kNeverTreated, BasePeriod::kVarying, DidMethod::kRegression, 0, {}};
  const auto balanced = att_gt(mpdta(), o);
  ASSERT_TRUE(balanced.has_value());
  for (const auto mode : {DidOptions::Panel::kPairs, DidOptions::Panel::kRepeatedCrossSection}) {
    o.panel = mode;
    const auto unbalanced = att_gt(mpdta(), o);
    ASSERT_TRUE(unbalanced.has_value());
    EXPECT_EQ(unbalanced->units, 500);
    ASSERT_EQ(unbalanced->cells.size(), balanced->cells.size());
    for (size_t c = 0; c < balanced->cells.size(); ++c) {
      EXPECT_NEAR(unbalanced->cells[c].att, balanced->cells[c].att, 1e-12) << c;
      EXPECT_NEAR(unbalanced->cells[c].se, balanced->cells[c].se, 1e-12) << c;
      EXPECT_EQ(unbalanced->cells[c].treated, balanced->cells[c].treated) << c;
    }
  }
  // The cross-section means take no covariates.
  DidData with_x = mpdta();
  with_x.covariate_names = {"x"};
  with_x.covariates = {std::vector<double>(with_x.y.size(), 1.0)};
  const auto refused = att_gt(with_x, o);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message().find("no covariates"), std::string::npos);
}

// mpdta with 10 % of its rows removed at random (seeded): the balanced estimator keeps the
// counties still observed every year (about 0.9^5 of them), the unbalanced ones every county.
// Comparing the counties observed in both periods of each ATT(g,t), the aggregations stay within
// two errors of the published complete-panel values with smaller errors than the balanced
// estimator on the same rows; the cross-section means, whose county levels no longer cancel,
// are unbiased but three times noisier (did's allow_unbalanced_panel behaves so).
TEST(CallawaySantAnna, UnbalancedMpdtaWithTenPercentOfRowsRemoved) {
  POLES_REQUIRE_SHARED("data/reference/mpdta/mpdta.csv");
  const DidData full = mpdta();
  DidData d;
  std::mt19937_64 rng(2024);
  std::bernoulli_distribution drop(0.10);
  for (size_t i = 0; i < full.y.size(); ++i) {
    if (drop(rng)) continue;
    d.unit.push_back(full.unit[i]);
    d.time.push_back(full.time[i]);
    d.group.push_back(full.group[i]);
    d.y.push_back(full.y[i]);
  }
  ASSERT_LT(d.y.size(), full.y.size() * 0.93);
  DidOptions o{ControlGroup::kNeverTreated, BasePeriod::kVarying, DidMethod::kRegression, 0, {}};
  const auto balanced = att_gt(d, o);
  o.panel = DidOptions::Panel::kPairs;
  const auto unbalanced = att_gt(d, o);
  o.panel = DidOptions::Panel::kRepeatedCrossSection;
  const auto means = att_gt(d, o);
  ASSERT_TRUE(balanced.has_value() && unbalanced.has_value() && means.has_value());
  EXPECT_LT(balanced->units, 330);
  EXPECT_GT(unbalanced->units, 495);
  const auto m_dyn = aggregate(*means, Aggregation::kDynamic);
  ASSERT_TRUE(m_dyn.has_value());
  EXPECT_LT(std::abs(m_dyn->att - -0.0772), 2 * m_dyn->se);
  EXPECT_GT(m_dyn->se, 2 * 0.0219);
  const auto b_dyn = aggregate(*balanced, Aggregation::kDynamic);
  const auto u_dyn = aggregate(*unbalanced, Aggregation::kDynamic);
  const auto u_grp = aggregate(*unbalanced, Aggregation::kGroup);
  ASSERT_TRUE(b_dyn.has_value() && u_dyn.has_value() && u_grp.has_value());
  std::cout << "dynamic: unbalanced " << u_dyn->att << " (" << u_dyn->se << "), balanced on "
            << balanced->units << " counties " << b_dyn->att << " (" << b_dyn->se << ")\n";
  // The did package on the complete panel: dynamic −0.0772 (0.0219), group −0.031 (0.0126).
  EXPECT_LT(std::abs(u_dyn->att - -0.0772), 2 * 0.0219);
  EXPECT_LT(std::abs(u_grp->att - -0.031), 2 * 0.0126);
  EXPECT_LT(u_dyn->se, b_dyn->se);
  EXPECT_GT(u_dyn->se, 0.0219 * 0.9) << "fewer rows than the complete panel: not more precise";
}

// Units observed over a random window of the panel (entering late, leaving early, independently
// of their level): the planted effect 1 is recovered by the unbalanced estimator, which keeps
// every unit, while the balanced one keeps only those observed throughout.
TEST(CallawaySantAnna, UnbalancedPanelWithEntryAndExitRecoversThePlantedEffect) {
  std::mt19937_64 rng(77);
  std::normal_distribution<double> noise(0, 1);
  std::uniform_int_distribution<int> start(1, 4), length(4, 8);
  DidData d;
  for (int u = 0; u < 1200; ++u) {
    const int g = u % 3 == 0 ? 0 : u % 3 == 1 ? 4 : 6;
    const double level = 3 * noise(rng);
    const int first = start(rng);
    const int last = std::min(8, first + length(rng) - 1);
    for (int t = first; t <= last; ++t) {
      d.unit.push_back(u);
      d.time.push_back(t);
      d.group.push_back(g);
      d.y.push_back(level + 0.3 * t + (g > 0 && t >= g ? 1.0 : 0.0) + noise(rng));
    }
  }
  DidOptions o{ControlGroup::kNeverTreated, BasePeriod::kVarying, DidMethod::kRegression, 0, {}};
  for (const auto mode : {DidOptions::Panel::kPairs, DidOptions::Panel::kRepeatedCrossSection}) {
    o.panel = mode;
    const auto r = att_gt(d, o);
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    EXPECT_EQ(r->units, 1200);
    const auto simple = aggregate(*r, Aggregation::kSimple);
    ASSERT_TRUE(simple.has_value());
    std::cout << "planted 1: " << simple->att << " (" << simple->se << ")\n";
    EXPECT_LT(std::abs(simple->att - 1.0), 3 * simple->se);
  }
  o.panel = DidOptions::Panel::kBalanced;
  const auto balanced = att_gt(d, o);
  ASSERT_TRUE(balanced.has_value());
  EXPECT_LT(balanced->units, 300) << "few units are observed in all eight periods";
}

TEST(CallawaySantAnna, AClusterThatChangesWithinAUnitIsRefused) {
  std::mt19937_64 rng(5);
  DidData d = pole_shocked_panel(rng);
  const int64_t units = d.unit.back() + 1;
  for (size_t i = 0; i < d.cluster.size(); ++i) {
    if (d.cluster[i] == 59) d.cluster[i] = -1;  // the last pôle's firms: clusters of their own
  }
  auto r = att_gt(d);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const int64_t last_pole = 5 + (59 * 7) % 30;
  EXPECT_EQ(r->clusters, 59 + last_pole + 300);
  EXPECT_EQ(r->units, units);
  for (size_t i = 0; i < d.cluster.size(); ++i) d.cluster[i] = d.unit[i];
  auto own = att_gt(d);
  ASSERT_TRUE(own.has_value()) << own.error().to_string();
  const Eigen::MatrixXd psi = cluster_influence(own->influence, own->unit_cluster, own->clusters);
  EXPECT_LT((influence_se(psi) - influence_se(own->influence)).cwiseAbs().maxCoeff(), 1e-15);
  std::vector<int64_t> one(d.cluster.size(), 4);
  std::swap(one, d.cluster);
  auto single = att_gt(d);
  ASSERT_FALSE(single.has_value());
  EXPECT_NE(single.error().to_string().find("at least two clusters"), std::string::npos);
  std::swap(one, d.cluster);
  d.cluster[1] = 7;  // unit 0's second period
  auto bad = att_gt(d);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().to_string().find("unit 0: the cluster changes"), std::string::npos)
      << bad.error().to_string();
}

// The influence function of an estimate is n times its derivative in a unit's weight (the
// estimators are weighted M-estimators, their nuisance fits included). Checked by central
// differences of the estimates, each unit's weight moved by ±h, for every way a cell keeps its
// influence: a difference of means on a balanced panel and on the pairs of an unbalanced one, the
// four means of the repeated cross-section, and the values of the doubly robust and regression
// estimators with a covariate (with not-yet-treated controls too).
TEST(CallawaySantAnna, EachCellsInfluenceIsTheDerivativeOfItsEstimateInTheUnitsWeight) {
  std::mt19937_64 rng(20261201);
  std::normal_distribution<double> noise(0, 1);
  std::uniform_real_distribution<double> unif(0, 1);
  DidData full;
  full.covariate_names = {"x"};
  full.covariates.resize(1);
  const int units = 60;
  std::vector<char> missing;
  for (int u = 0; u < units; ++u) {
    const int g = u % 3 == 0 ? 0 : (u % 3 == 1 ? 3 : 4);
    const double x = noise(rng), a = noise(rng);
    for (int t = 1; t <= 5; ++t) {
      full.unit.push_back(u);
      full.time.push_back(t);
      full.group.push_back(g);
      full.covariates[0].push_back(x + 0.1 * t);
      full.y.push_back(a + 0.3 * x * t + (g > 0 && t >= g ? 1.0 : 0.0) + noise(rng));
      missing.push_back(u > 5 && unif(rng) < 0.15);  // units 0-5 stay complete
    }
  }
  full.weights.assign(full.y.size(), 1.0);
  DidData holes = full;
  for (size_t i = missing.size(); i-- > 0;) {
    if (!missing[i]) continue;
    for (auto* v : {&holes.y, &holes.weights, &holes.covariates[0]})
      v->erase(v->begin() + static_cast<std::ptrdiff_t>(i));
    holes.unit.erase(holes.unit.begin() + static_cast<std::ptrdiff_t>(i));
    holes.time.erase(holes.time.begin() + static_cast<std::ptrdiff_t>(i));
    holes.group.erase(holes.group.begin() + static_cast<std::ptrdiff_t>(i));
  }
  struct Case {
    const char* name;
    DidData data;
    DidOptions options;
  };
  auto without_x = [](DidData d) {
    d.covariates.clear();
    d.covariate_names.clear();
    return d;
  };
  using P = DidOptions::Panel;
  std::vector<Case> cases;
  cases.push_back({"balanced means", without_x(full), {}});
  cases.push_back({"pairs means", without_x(holes), {}});
  cases.back().options.panel = P::kPairs;
  cases.push_back({"cross-section means", without_x(holes), {}});
  cases.back().options.panel = P::kRepeatedCrossSection;
  cases.push_back({"balanced doubly robust", full, {}});
  cases.push_back({"pairs regression, not yet treated", holes, {}});
  cases.back().options.panel = P::kPairs;
  cases.back().options.method = DidMethod::kRegression;
  cases.back().options.control = ControlGroup::kNotYetTreated;
  const double h = 1e-5;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto r = att_gt(c.data, c.options);
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    ASSERT_EQ(r->influence.cols(), static_cast<Eigen::Index>(r->cells.size()));
    const Eigen::MatrixXd psi = r->influence.dense();
    const auto n = static_cast<double>(r->units);
    for (const int unit : {0, 1, 2, 7, 8, 9, 31, 59}) {
      const auto k = static_cast<Eigen::Index>(
          std::find(r->unit_id.begin(), r->unit_id.end(), unit) - r->unit_id.begin());
      ASSERT_LT(k, psi.rows());
      DidData up = c.data, down = c.data;
      for (size_t i = 0; i < up.unit.size(); ++i) {
        if (up.unit[i] != unit) continue;
        up.weights[i] += h;
        down.weights[i] -= h;
      }
      const auto ru = att_gt(up, c.options), rd = att_gt(down, c.options);
      ASSERT_TRUE(ru.has_value() && rd.has_value());
      for (size_t j = 0; j < r->cells.size(); ++j) {
        const double derivative = n * (ru->cells[j].att - rd->cells[j].att) / (2 * h);
        EXPECT_NEAR(psi(k, static_cast<Eigen::Index>(j)), derivative, 1e-5)
            << "unit " << unit << ", ATT(" << r->cells[j].g << ", " << r->cells[j].t << ")";
      }
    }
    // The columns read by blocks of units are the same values.
    EXPECT_EQ(r->influence.block(10, 25), psi.middleRows(10, 25));
    EXPECT_EQ(r->influence.col(2), psi.col(2));
  }
}

}  // namespace
}  // namespace poles::impact
