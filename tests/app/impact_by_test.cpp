// Heterogeneity (the impact parameter by=): the effect in each group and the Wald test that they
// are equal. Split by cohort with the never-treated shared, the groups are Callaway & Sant'Anna's
// group aggregation and the test's covariance is the one of its influence functions; split by an
// attribute of every unit, the groups recover their planted effects and the test rejects only
// when they differ; in a regression, the treatment interacted with the groups equals R's lm.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "app/impact.h"
#include "impact/did.h"
#include "test_support.h"

namespace poles::app {
namespace {

// A staggered panel of 600 units over 2001–2008: cohorts 2003, 2005 and 2007 and never-treated
// units, each unit of a size class (a, b, c: unit mod 3, across cohorts) whose effect is
// effect[class] from its treatment on; unit level, a random walk, common trend and noise (sd 0.5),
// seeded.
// `small_class`: units of a fourth class d (the first two treated in 2003, the others never);
// with `unlabelled`, those units have no class (empty).
// `anticipation`: an effect in the two periods before treatment (a pre-trend).
impact::Frame panel(const std::array<double, 3>& effect, uint64_t seed, int small_class = 0,
                    double anticipation = 0, bool unlabelled = false) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 0.5);
  std::vector<double> unit, year, first, y;
  std::vector<std::string> size;
  for (int u = 0; u < 600 + small_class; ++u) {
    int g = u % 4 == 0 ? 0 : 2001 + 2 * (u % 4);  // 0, 2003, 2005, 2007
    int s = (u / 4) % 3;
    if (u >= 600) g = u < 602 ? 2003 : 0, s = 3;
    const double level = noise(rng);
    double walk = 0;  // a random walk: the changes of a unit over overlapping spans correlate
    for (int t = 2001; t <= 2008; ++t) {
      walk += noise(rng);
      unit.push_back(u);
      year.push_back(t);
      first.push_back(g);
      size.push_back(s == 3 && unlabelled ? std::string()
                                          : std::string(1, static_cast<char>('a' + s)));
      y.push_back(level + walk + 0.1 * (t - 2001) +
                  (g != 0 && t >= g ? effect[static_cast<size_t>(std::min(s, 2))] : 0) +
                  (g != 0 && t < g && t >= g - 2 ? anticipation : 0) + noise(rng));
    }
  }
  impact::Frame f;
  f.add_numeric("unit", unit);
  f.add_numeric("year", year);
  f.add_numeric("first", first);
  f.add_numeric("y", y);
  std::vector<double> post(y.size());
  for (size_t i = 0; i < y.size(); ++i) post[i] = first[i] != 0 && year[i] >= first[i];
  f.add_numeric("treated_post", post);
  impact::Column c;
  c.name = "size";
  c.numeric = false;
  c.text = std::move(size);
  EXPECT_TRUE(f.add(std::move(c)).is_ok());
  return f;
}

ImpactEstimate run(const impact::Frame& f, Params p) {
  const auto args = parse(impact_params(), p);
  EXPECT_TRUE(args.has_value()) << args.error().to_string();
  auto r = impact_estimate(f, *args);
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
  return r.has_value() ? *r : ImpactEstimate{};
}

const Params kDid = {{"estimator", "did"}, {"outcome", "y"},   {"unit", "unit"},
                     {"time", "year"},     {"group", "first"}, {"control", "never"},
                     {"bootstrap", "0"}};

Params with(Params p, std::initializer_list<std::pair<const std::string, std::string>> more) {
  for (const auto& [k, v] : more) p[k] = v;
  return p;
}

// The Wald statistic that the entries of theta are equal, by hand: the contrasts with the first.
double equality_wald(const Eigen::VectorXd& theta, const Eigen::MatrixXd& v) {
  const Eigen::Index k = theta.size();
  Eigen::MatrixXd d = Eigen::MatrixXd::Zero(k - 1, k);
  for (Eigen::Index j = 1; j < k; ++j) d(j - 1, 0) = -1, d(j - 1, j) = 1;
  const Eigen::VectorXd diff = d * theta;
  return diff.dot((d * v * d.transpose()).ldlt().solve(diff));
}

TEST(ImpactBy, CohortsShareTheNeverTreatedAndEqualTheGroupAggregationAndItsCovariance) {
  const auto f = panel({1.0, 1.0, 1.0}, 11);
  const auto r = run(f, with(kDid, {{"by", "first"}}));
  ASSERT_TRUE(r.did && r.did->by);
  const ImpactBy& by = *r.did->by;
  EXPECT_EQ(by.method, "split");
  EXPECT_TRUE(by.shared_controls);
  ASSERT_EQ(by.groups.size(), 3u) << "the never-treated (0) are no group";
  // The engine's group aggregation on the whole panel, its terms' influence functions.
  impact::DidData d;
  const auto unit = *f.numeric("unit"), year = *f.numeric("year"), first = *f.numeric("first");
  d.y = *f.numeric("y");
  for (size_t i = 0; i < unit.size(); ++i) {
    d.unit.push_back(static_cast<int64_t>(unit[i]));
    d.time.push_back(static_cast<int>(year[i]));
    d.group.push_back(static_cast<int>(first[i]));
  }
  impact::DidOptions o;
  o.control = impact::ControlGroup::kNeverTreated;
  const auto cells = impact::att_gt(d, o);
  ASSERT_TRUE(cells.has_value()) << cells.error().to_string();
  const auto group = impact::aggregate(*cells, impact::Aggregation::kGroup);
  ASSERT_TRUE(group.has_value());
  ASSERT_EQ(group->terms.size(), 3u);
  Eigen::VectorXd theta(3);
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(by.groups[k].key, std::to_string(group->terms[k].key));
    ASSERT_TRUE(by.groups[k].estimate && by.groups[k].se);
    EXPECT_NEAR(*by.groups[k].estimate, group->terms[k].att, 1e-10);
    EXPECT_NEAR(*by.groups[k].se, group->terms[k].se, 1e-10);
    theta(static_cast<Eigen::Index>(k)) = group->terms[k].att;
  }
  // Their covariance: Ψ'Ψ / n² (the never-treated count in every cohort's estimate).
  const auto& psi = group->term_influence;
  const double n = static_cast<double>(cells->units);
  const Eigen::MatrixXd v = psi.transpose() * psi / (n * n);
  const double correlation = v(0, 1) / std::sqrt(v(0, 0) * v(1, 1));
  EXPECT_GT(correlation, 0.1) << "shared controls: the cohorts' estimates are correlated";
  ASSERT_TRUE(by.equality.stat && by.equality.p);
  EXPECT_EQ(by.equality.df, 2);
  EXPECT_NEAR(*by.equality.stat, equality_wald(theta, v), 1e-8 * equality_wald(theta, v));
  EXPECT_GT(*by.equality.p, 0.01) << "no heterogeneity is planted by cohort";
}

TEST(ImpactBy, SizeClassesRecoverTheirPlantedEffectsAndTheTestRejectsOnlyWhenTheyDiffer) {
  const std::array<double, 3> planted = {0.5, 1.0, 1.5};
  const auto r = run(panel(planted, 12), with(kDid, {{"by", "size"}}));
  ASSERT_TRUE(r.did && r.did->by);
  const ImpactBy& by = *r.did->by;
  EXPECT_FALSE(by.shared_controls) << "every unit has a size class";
  ASSERT_EQ(by.groups.size(), 3u);
  // Independent samples: the statistic is Σ w θ² − (Σ w θ)² / Σ w, w = 1 / se².
  double sw = 0, swt = 0, swt2 = 0;
  for (size_t k = 0; k < 3; ++k) {
    const auto& g = by.groups[k];
    EXPECT_EQ(g.key, std::string(1, static_cast<char>('a' + k)));
    ASSERT_TRUE(g.estimate && g.se);
    EXPECT_LT(std::abs(*g.estimate - planted[k]), 4 * *g.se) << g.key;
    const double w = 1 / (*g.se * *g.se);
    sw += w, swt += w * *g.estimate, swt2 += w * *g.estimate * *g.estimate;
  }
  ASSERT_TRUE(by.equality.stat && by.equality.p);
  EXPECT_NEAR(*by.equality.stat, swt2 - swt * swt / sw, 1e-8 * *by.equality.stat);
  EXPECT_LT(*by.equality.p, 1e-6);
  // Equal effects: the test does not reject at 1 %.
  const auto same = run(panel({1.0, 1.0, 1.0}, 12), with(kDid, {{"by", "size"}}));
  ASSERT_TRUE(same.did && same.did->by && same.did->by->equality.p);
  EXPECT_GT(*same.did->by->equality.p, 0.01);
  // Sun & Abraham's ATT by size class: the same planted effects.
  const auto sa = run(panel(planted, 12), with(kDid, {{"estimator", "sunab"}, {"by", "size"}}));
  ASSERT_TRUE(sa.event && sa.event->by);
  for (size_t k = 0; k < 3; ++k) {
    const auto& g = sa.event->by->groups[k];
    ASSERT_TRUE(g.estimate && g.se) << g.key;
    EXPECT_LT(std::abs(*g.estimate - planted[k]), 4 * *g.se) << g.key;
  }
}

// The regression's groups: treated_post interacted with each class's dummy, unit and year
// effects, iid errors; R's lm with the same dummies gives the coefficients and, from vcov(), the
// Wald statistic of their equality.
// The panel for R: unit, year, y, post (treated_post) and size.
void write_panel_csv(const impact::Frame& f, const std::filesystem::path& path) {
  std::ofstream csv(path);
  csv.precision(17);
  const auto unit = *f.numeric("unit"), year = *f.numeric("year"), y = *f.numeric("y"),
             post = *f.numeric("treated_post");
  const auto& size = f.find("size")->text;
  csv << "unit,year,y,post,size\n";
  for (size_t i = 0; i < y.size(); ++i)
    csv << unit[i] << "," << year[i] << "," << y[i] << "," << post[i] << "," << size[i] << "\n";
}

TEST(ImpactBy, InteractionEqualsRsLmAndItsWaldStatistic) {
  if (!std::filesystem::exists(POLES_RSCRIPT)) GTEST_SKIP() << "Rscript is not installed";
  const auto f = panel({0.5, 1.0, 1.5}, 13);
  testing::TempDir dir;
  write_panel_csv(f, dir / "panel.csv");
  const std::string script = "d <- read.csv('" + (dir / "panel.csv").string() + "')\n" + R"(
for (s in c("a", "b", "c")) d[[paste0("d_", s)]] <- d$post * (d$size == s)
m <- lm(y ~ d_a + d_b + d_c + factor(unit) + factor(year), data = d)
b <- coef(m)[c("d_a", "d_b", "d_c")]
V <- vcov(m)[names(b), names(b)]
for (s in names(b)) cat("COEF", s, format(c(b[s], sqrt(V[s, s])), digits = 17), "\n")
D <- rbind(c(-1, 1, 0), c(-1, 0, 1))
cat("WALD stat", format(drop(t(D %*% b) %*% solve(D %*% V %*% t(D), D %*% b)), digits = 17), 0, "\n")
)";
  const auto out = testing::run_r(POLES_RSCRIPT, dir.path(), "by.R", script);
  ASSERT_EQ(out.status, 0) << out.output;
  auto peer = testing::tagged_pairs(out.output);
  ASSERT_EQ(peer.size(), 4u) << out.output;
  const double wald = peer["WALD stat"].first;
  std::map<std::string, std::pair<double, double>> coef;
  for (const char* s : {"a", "b", "c"}) coef[s] = peer[std::string("COEF d_") + s];
  const auto r = run(f, {{"estimator", "ols"},
                         {"outcome", "y"},
                         {"x", "treated_post"},
                         {"fe", "unit,year"},
                         {"vcov", "iid"},
                         {"by", "size"}});
  ASSERT_TRUE(r.ols && r.ols->by);
  const ImpactBy& by = *r.ols->by;
  EXPECT_EQ(by.method, "interaction");
  ASSERT_EQ(by.groups.size(), 3u);
  for (const auto& g : by.groups) {
    ASSERT_TRUE(g.estimate && g.se) << g.key;
    EXPECT_NEAR(*g.estimate, coef[g.key].first, 1e-8) << g.key;
    EXPECT_NEAR(*g.se, coef[g.key].second, 1e-6 * coef[g.key].second) << g.key;
  }
  ASSERT_TRUE(by.equality.stat);
  EXPECT_NEAR(*by.equality.stat, wald, 1e-6 * wald);
  EXPECT_EQ(by.equality.df, 2);
}

// by_mode=split: one regression on each group's rows (fixest's split=), each equal to R's lm on
// that group's rows (computed in the test); the groups are independent samples, so the test's
// statistic is the Wald statistic of R's estimates with a diagonal covariance, by hand.
TEST(ImpactBy, SplitRegressionsEqualRsLmOnEachGroupsRows) {
  if (!std::filesystem::exists(POLES_RSCRIPT)) GTEST_SKIP() << "Rscript is not installed";
  const auto f = panel({0.5, 1.0, 1.5}, 15);
  testing::TempDir dir;
  write_panel_csv(f, dir / "panel.csv");
  const std::string script = "d <- read.csv('" + (dir / "panel.csv").string() + "')\n" + R"(
for (s in c("a", "b", "c")) {
  m <- lm(y ~ post + factor(unit) + factor(year), data = d[d$size == s, ])
  cat("COEF", s, format(c(coef(m)[["post"]], sqrt(vcov(m)["post", "post"])), digits = 17), "\n")
}
)";
  const auto out = testing::run_r(POLES_RSCRIPT, dir.path(), "split.R", script);
  ASSERT_EQ(out.status, 0) << out.output;
  auto peer = testing::tagged_pairs(out.output);
  ASSERT_EQ(peer.size(), 3u) << out.output;
  std::map<std::string, std::pair<double, double>> coef;
  for (const char* s : {"a", "b", "c"}) coef[s] = peer[std::string("COEF ") + s];
  for (const auto& params : {Params{{"x", "treated_post"}, {"fe", "unit,year"}, {"outcome", "y"}},
                             Params{{"formula", "y ~ treated_post | unit + year"}}}) {
    const auto r =
        run(f, with(params,
                    {{"estimator", "ols"}, {"vcov", "iid"}, {"by", "size"}, {"by_mode", "split"}}));
    ASSERT_TRUE(r.ols && r.ols->by);
    const ImpactBy& by = *r.ols->by;
    EXPECT_EQ(by.method, "split");
    EXPECT_EQ(by.term, "treated_post");
    ASSERT_EQ(by.groups.size(), 3u);
    Eigen::VectorXd theta(3);
    Eigen::MatrixXd v = Eigen::MatrixXd::Zero(3, 3);
    for (size_t j = 0; j < 3; ++j) {
      const auto& g = by.groups[j];
      ASSERT_TRUE(g.estimate && g.se) << g.key;
      EXPECT_NEAR(*g.estimate, coef[g.key].first, 1e-8) << g.key;
      EXPECT_NEAR(*g.se, coef[g.key].second, 1e-6 * coef[g.key].second) << g.key;
      const auto k = static_cast<Eigen::Index>(j);
      theta(k) = coef[g.key].first;
      v(k, k) = coef[g.key].second * coef[g.key].second;
    }
    const double wald = equality_wald(theta, v);
    ASSERT_TRUE(by.equality.stat);
    EXPECT_NEAR(*by.equality.stat, wald, 1e-5 * wald);
    EXPECT_EQ(by.equality.df, 2);
    EXPECT_LT(*by.equality.p, 1e-6);  // planted 0.5, 1 and 1.5
  }
}

// A class of two treated firms is masked; the overall estimate and the other classes would give
// it back, so the published class with the fewest treated firms is masked too, and the test
// compares the two left.
TEST(ImpactBy, AGroupOfTwoTreatedFirmsIsMaskedWithTheSmallestOther) {
  // (On a user's data a regression counts rows, not units: the DiD, which counts units, shows it.)
  for (const char* estimator : {"did"}) {
    const auto f = panel({0.5, 1.0, 1.5}, 15, 10);
    Params p = with(kDid, {{"estimator", estimator}, {"by", "size"}});
    const auto r = run(f, p);
    const ImpactBy* by = r.did && r.did->by ? &*r.did->by : nullptr;
    ASSERT_TRUE(by) << estimator;
    ASSERT_EQ(by->groups.size(), 4u) << estimator;
    std::map<std::string, bool> shown;
    for (const auto& g : by->groups) shown[g.key] = g.estimate.has_value();
    // Classes a, b, c hold 150 treated units each: the first of them, a, is masked with d.
    EXPECT_FALSE(shown["d"]) << estimator;
    EXPECT_EQ(std::count_if(shown.begin(), shown.end(), [](const auto& x) { return !x.second; }), 2)
        << estimator;
    EXPECT_EQ(by->equality.left_out.size(), 2u) << estimator;
    EXPECT_EQ(by->equality.df, 1) << estimator;
  }
}

// Robustness of the DiD: the placebo (treatment moved two periods earlier, on the rows before
// it) finds nothing without a pre-trend and the planted anticipation with one; leaving each
// cohort out keeps the planted effect.
TEST(ImpactRobustness, PlaceboFindsAnAnticipationAndLeavingACohortOutKeepsTheEffect) {
  const auto clean = run(panel({1.0, 1.0, 1.0}, 16), with(kDid, {{"robustness", "1"}}));
  ASSERT_TRUE(clean.did && clean.did->robustness);
  const auto& rb = *clean.did->robustness;
  EXPECT_EQ(rb.placebo_shift, 2);
  ASSERT_TRUE(rb.placebo.estimate && rb.placebo.se);
  EXPECT_LT(std::abs(*rb.placebo.estimate), 3 * *rb.placebo.se) << *rb.placebo.estimate;
  ASSERT_EQ(rb.leave_one_out.size(), 3u);
  for (const auto& lo : rb.leave_one_out) {
    ASSERT_TRUE(lo.estimate && lo.se) << lo.cohort;
    EXPECT_LT(std::abs(*lo.estimate - 1.0), 3 * *lo.se) << lo.cohort;
  }
  EXPECT_EQ(rb.leave_one_out[0].cohort, 2003);
  // An effect of 0.5 in the two periods before treatment: the placebo's post periods.
  const auto early = run(panel({1.0, 1.0, 1.0}, 16, 0, 0.5), with(kDid, {{"robustness", "1"}}));
  ASSERT_TRUE(early.did && early.did->robustness && early.did->robustness->placebo.estimate);
  const auto& pl = early.did->robustness->placebo;
  EXPECT_GT(*pl.estimate / *pl.se, 4) << *pl.estimate << " (" << *pl.se << ")";
  EXPECT_LT(std::abs(*pl.estimate - 0.5), 3 * *pl.se);
}

// Two treated firms without a class: left out of every class but in the overall effect, they are
// hidden as a masked class would be — the smallest class is masked with them.
TEST(ImpactBy, TreatedFirmsWithoutAGroupAreProtectedAsAHiddenGroup) {
  const auto r = run(panel({0.5, 1.0, 1.5}, 15, 10, 0, true), with(kDid, {{"by", "size"}}));
  ASSERT_TRUE(r.did && r.did->by);
  const ImpactBy& by = *r.did->by;
  EXPECT_EQ(by.ungrouped, 2 * 8) << "two firms, eight periods";
  ASSERT_EQ(by.groups.size(), 3u);
  EXPECT_FALSE(by.groups[0].estimate.has_value()) << "a: masked with the ungrouped firms";
  EXPECT_TRUE(by.groups[1].estimate && by.groups[2].estimate);
  EXPECT_EQ(by.equality.df, 1);
}

// A regression needs no group= column: its treated rows without a group are left out of every
// group's regression, counted, and protected with the hidden groups (found by a second reading:
// only the DiD's dropped rows were).
TEST(ImpactBy, SplitRegressionsCountTheirTreatedRowsWithoutAGroup) {
  const auto r = run(panel({0.5, 1.0, 1.5}, 15, 10, 0, true), {{"estimator", "ols"},
                                                               {"outcome", "y"},
                                                               {"x", "treated_post"},
                                                               {"fe", "unit,year"},
                                                               {"by", "size"},
                                                               {"by_mode", "split"}});
  ASSERT_TRUE(r.ols && r.ols->by);
  const ImpactBy& by = *r.ols->by;
  EXPECT_EQ(by.ungrouped, 2 * 6) << "two firms treated from 2003: six treated rows each";
  ASSERT_EQ(by.groups.size(), 3u);
  // Their rows alone give no estimate: they would come back from the overall effect and the
  // groups', so the group with the fewest treated firms is masked with them.
  EXPECT_FALSE(by.groups[0].estimate.has_value()) << "a: masked with the ungrouped firms";
  EXPECT_TRUE(by.groups[1].estimate && by.groups[2].estimate);
  EXPECT_EQ(by.equality.df, 1);
}

TEST(ImpactBy, RefusesWhatItCannotCompare) {
  const auto f = panel({1.0, 1.0, 1.0}, 14);
  const auto refused = [&](Params p, const std::string& needle) {
    const auto args = parse(impact_params(), p);
    ASSERT_TRUE(args.has_value()) << args.error().to_string();
    const auto r = impact_estimate(f, *args);
    ASSERT_FALSE(r.has_value()) << needle;
    EXPECT_NE(r.error().message().find(needle), std::string::npos) << r.error().message();
  };
  // The two-way event study has no single effect per group.
  refused(with(kDid, {{"estimator", "event"}, {"by", "size"}}), "no single effect");
  // Sun & Abraham by cohort: the cohorts share the never-treated, their ATTs are not independent.
  refused(with(kDid, {{"estimator", "sunab"}, {"by", "first"}}), "share the never-treated");
  refused(with(kDid, {{"by", "nothing"}}), "no column 'nothing'");
  refused(with(kDid, {{"estimator", "sunab"}, {"robustness", "1"}}), "the DiD's");
  refused(with(kDid, {{"ssc", "plm"}}), "the least-squares regressions'");
  // A cohort alone has no not-yet-treated controls; errors clustered on the groups themselves.
  refused(with(kDid, {{"by", "first"}, {"control", "notyet"}}), "no not-yet-treated");
  refused(with(kDid, {{"by", "size"}, {"cluster", "size"}}), "clustered on the groups");
  // More than 100 groups (one per unit).
  refused(with(kDid, {{"by", "unit"}}), "at most 100");
  refused(with(kDid, {{"estimator", "ols"},
                      {"formula", "y ~ treated_post | unit + year"},
                      {"outcome", ""},
                      {"by", "size"}}),
          "write the interaction in it");
  // Only a regression interacts; split regressions by cohort would share the never-treated.
  refused(with(kDid, {{"by", "size"}, {"by_mode", "interaction"}}), "only a regression");
  refused(with(kDid, {{"estimator", "ols"},
                      {"x", "treated_post"},
                      {"fe", "unit,year"},
                      {"by", "first"},
                      {"by_mode", "split"}}),
          "by_mode=interaction");
  // Split regressions are independent samples only when no cluster spans two groups, and each
  // group needs two clusters; the treatment is the formula's first column (second reading).
  const Params split = {{"estimator", "ols"}, {"x", "treated_post"}, {"fe", "unit,year"},
                        {"outcome", "y"},     {"by", "size"},        {"by_mode", "split"}};
  refused(with(split, {{"cluster", "year"}}), "span several groups");
  refused(with(split, {{"cluster", "size"}}), "a single cluster");
  refused(with(split, {{"x", ""},
                       {"fe", ""},
                       {"outcome", ""},
                       {"formula", "y ~ i(size, treated_post) | unit + year"}}),
          "not an i() term");
}

}  // namespace
}  // namespace poles::app
