// Sun & Abraham's interaction-weighted event study (fixest's sunab) on a simulated staggered panel
// whose cohort-specific dynamic effects are planted (the truth is the simulation's table): each
// cohort's effect is recovered, the two-way fixed-effects event study on the same panel is not;
// and the same unbalanced panel in R, lm with the cohort × relative-period dummies and
// sandwich::vcovCL, its averages by relative period and the ATT computed there from the rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "impact/event_study.h"
#include "test_support.h"

namespace poles::impact {
namespace {

// Cohort g's planted effect e periods after its treatment: none before; growing after, and
// larger for earlier cohorts (what makes the two-way event study mix them badly).
double planted_effect(int g, int e) {
  if (e < 0) return 0;
  const double level = g == 2004 ? 1.0 : g == 2006 ? 0.5 : 0.2;
  return level * (1 + 0.25 * e);
}

struct StaggeredPanel {
  std::vector<double> y, time, group;
  std::vector<int32_t> unit_code, period_code;
  int32_t units = 0;
};

// 2000–2011; 150 units in each of the cohorts 2004, 2006 and 2009 and 150 never treated; 20
// units treated from 2000 (no period before: dropped) and 20 whose treatment, 2015, falls after
// the panel (never treated in it); 10 % of the rows removed at random (an unbalanced panel).
StaggeredPanel staggered_panel(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 0.5), unit_effect(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<int> cohorts;
  for (int g : {2004, 2006, 2009, 0}) cohorts.insert(cohorts.end(), 150, g);
  cohorts.insert(cohorts.end(), 20, 2000);
  cohorts.insert(cohorts.end(), 20, 2015);
  StaggeredPanel p;
  p.units = static_cast<int32_t>(cohorts.size());
  std::vector<double> year_effect;
  for (int t = 2000; t <= 2011; ++t) year_effect.push_back(0.1 * (t - 2000) + noise(rng));
  for (int32_t i = 0; i < p.units; ++i) {
    const int g = cohorts[static_cast<size_t>(i)];
    const double a = unit_effect(rng) + (g == 2004 ? 0.5 : 0);  // cohorts differ in level
    for (int t = 2000; t <= 2011; ++t) {
      const double y = a + year_effect[static_cast<size_t>(t - 2000)] +
                       (g > 0 ? planted_effect(g, t - g) : 0) + noise(rng);
      if (u(rng) < 0.10) continue;
      p.y.push_back(y);
      p.time.push_back(t);
      p.group.push_back(g);
      p.unit_code.push_back(i);
      p.period_code.push_back(t - 2000);
    }
  }
  return p;
}

// The rows of a panel that `keep` (index → bool) keeps.
template <class Keep>
StaggeredPanel rows_of(const StaggeredPanel& p, Keep keep) {
  StaggeredPanel q;
  q.units = p.units;
  for (size_t i = 0; i < p.y.size(); ++i) {
    if (!keep(i)) continue;
    q.y.push_back(p.y[i]);
    q.time.push_back(p.time[i]);
    q.group.push_back(p.group[i]);
    q.unit_code.push_back(p.unit_code[i]);
    q.period_code.push_back(p.period_code[i]);
  }
  return q;
}

SunAbrahamInput sunab_input(const StaggeredPanel& p) {
  SunAbrahamInput in;
  in.y = p.y;
  in.time = p.time;
  in.group = p.group;
  in.unit = {"unit", p.unit_code, p.units};
  in.period = {"year", p.period_code, 12};
  return in;
}

TEST(SunAbraham, RecoversPlantedCohortEffectsThatTheTwoWayEventStudyMixes) {
  const auto p = staggered_panel(2026);
  auto r = sun_abraham(sunab_input(p));
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->control_cohort, 0);
  EXPECT_GT(r->dropped_always_treated, 200);  // 20 units × 12 years, less 10 %
  EXPECT_LT(r->dropped_always_treated, 240);
  EXPECT_EQ(r->fit.clusters, 620);  // 640 units less the 20 always treated
  // Every cohort's effect at every relative period, against the planted one (4 SE).
  int cells = 0;
  for (const auto& c : r->cells) {
    ASSERT_TRUE(std::isfinite(c.coef)) << c.g << " " << c.e;
    EXPECT_NEAR(c.coef, planted_effect(c.g, c.e), 4 * c.se) << "g " << c.g << " e " << c.e;
    EXPECT_LT(c.se, 0.1);
    ++cells;
  }
  // 2004: e −4..7 but −1; 2006: −6..5; 2009: −9..2 → 11 each.
  EXPECT_EQ(cells, 33);
  // Each relative period's average: the planted effects weighted by the cohorts' rows there.
  for (const auto& t : r->terms) {
    if (t.e == -1) {
      EXPECT_EQ(t.coef, 0);
      continue;
    }
    double truth = 0, weights = 0;
    for (const auto& c : r->cells) {
      if (c.e != t.e) continue;
      truth += c.weight * planted_effect(c.g, c.e);
      weights += c.weight;
    }
    EXPECT_NEAR(weights, 1, 1e-12) << t.e;
    EXPECT_NEAR(t.coef, truth, 4 * t.se) << "e " << t.e;
  }
  EXPECT_GT(r->pretrend.p_f, 0.001);
  EXPECT_EQ(r->pretrend.df, 8);  // e = −9..−2
  double att_truth = 0;
  int64_t post_rows = 0;
  for (const auto& c : r->cells) {
    if (c.e < 0) continue;
    att_truth += static_cast<double>(c.rows) * planted_effect(c.g, c.e);
    post_rows += c.rows;
  }
  EXPECT_EQ(r->att.rows, post_rows);
  EXPECT_NEAR(r->att.coef, att_truth / static_cast<double>(post_rows), 4 * r->att.se);

  // The two-way event study on the same rows (the always-treated dropped, the 2015 cohort as
  // never treated): at least one of its coefficients lies far from the planted average.
  EventStudyInput tw;
  for (size_t i = 0; i < p.y.size(); ++i) {
    if (p.group[i] == 2000) continue;
    tw.y.push_back(p.y[i]);
    tw.time.push_back(p.time[i]);
    tw.group.push_back(p.group[i] == 2015 ? 0 : p.group[i]);
    tw.unit.code.push_back(p.unit_code[i]);
    tw.period.code.push_back(p.period_code[i]);
  }
  tw.unit.levels = p.units;
  tw.period.levels = 12;
  tw.leads = 9;
  tw.lags = 7;
  auto twfe = event_study(tw);
  ASSERT_TRUE(twfe.has_value()) << twfe.error().to_string();
  double worst = 0;
  for (const auto& t : twfe->terms) {
    const auto sa = std::find_if(r->terms.begin(), r->terms.end(),
                                 [&](const EventTerm& x) { return x.e == t.e; });
    if (t.e == -1 || sa == r->terms.end() || !std::isfinite(t.coef)) continue;
    double truth = 0;
    for (const auto& c : r->cells)
      if (c.e == t.e) truth += c.weight * planted_effect(c.g, c.e);
    worst = std::max(worst, std::abs(t.coef - truth) / t.se);
  }
  std::cout << "two-way event study: largest distance to the planted average " << worst << " SE\n";
  EXPECT_GT(worst, 5);
}

// The same unbalanced panel in R: lm on the cohort × relative-period dummies (the reference and
// the control cohorts as the base level) and unit and year dummies, sandwich::vcovCL clustered
// by unit with HC1 (so the fixed effects count in K: our fixef_k = full); R averages the
// cohorts by their rows at each relative period, and over every post-treatment cell.
TEST(SunAbraham, EqualsRsLmWithCohortDummiesAndTheirRowWeightedAverages) {
  if (!std::filesystem::exists(POLES_RSCRIPT)) GTEST_SKIP() << "Rscript is not installed";
  const auto p = staggered_panel(7);
  testing::TempDir dir;
  {
    std::ofstream csv(dir / "panel.csv");
    csv.precision(17);
    csv << "id,t,g,y\n";
    for (size_t i = 0; i < p.y.size(); ++i)
      csv << p.unit_code[i] << "," << p.time[i] << "," << p.group[i] << "," << p.y[i] << "\n";
  }
  const std::string script = "d <- read.csv('" + (dir / "panel.csv").string() + "')\n" + R"(
suppressMessages(library(sandwich))
d <- d[!(d$g > 0 & d$g <= min(d$t)), ]   # treated from the first year: no period before
d$g[d$g > max(d$t)] <- 0                 # treated after the panel: never treated in it
d$e <- ifelse(d$g > 0, d$t - d$g, NA)
d$cell <- ifelse(d$g > 0 & d$e != -1, sprintf("g%d:e%d", d$g, d$e), "base")
d$cell <- relevel(factor(d$cell), ref = "base")
m <- lm(y ~ cell + factor(id) + factor(t), data = d)
V <- vcovCL(m, cluster = ~id, type = "HC1")
cells <- setdiff(levels(d$cell), "base")
b <- coef(m)[paste0("cell", cells)]
Vc <- V[paste0("cell", cells), paste0("cell", cells)]
n <- as.numeric(table(d$cell)[cells])
e <- as.integer(sub(".*:e", "", cells))
for (i in seq_along(cells)) cat("CELL", cells[i], format(c(b[i], sqrt(Vc[i, i])), digits = 17), "\n")
avg <- function(keep) { w <- ifelse(keep, n, 0); w <- w / sum(w)
  c(sum(w * b), sqrt(drop(t(w) %*% Vc %*% w))) }
for (k in sort(unique(e))) cat("TERM", k, format(avg(e == k), digits = 17), "\n")
cat("ATT", 0, format(avg(e >= 0), digits = 17), "\n")
)";
  const auto out = testing::run_r(POLES_RSCRIPT, dir.path(), "sunab.R", script);
  ASSERT_EQ(out.status, 0) << out.output;
  const auto peer = testing::tagged_pairs(out.output);
  ASSERT_EQ(peer.size(), 33u + 16u + 1u) << out.output;  // cells, relative periods but −1, ATT

  auto in = sunab_input(p);
  in.vcov.fixef_k = FixedEffectCount::kFull;
  in.demean.tolerance = 1e-12;
  auto r = sun_abraham(in);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const auto expect = [&](const std::string& key, double b, double se) {
    const auto it = peer.find(key);
    ASSERT_NE(it, peer.end()) << key;
    EXPECT_NEAR(b, it->second.first, 1e-8 * std::max(1.0, std::abs(b))) << key;
    EXPECT_NEAR(se, it->second.second, 1e-6 * it->second.second) << key;
  };
  for (const auto& c : r->cells)
    expect("CELL g" + std::to_string(c.g) + ":e" + std::to_string(c.e), c.coef, c.se);
  int terms = 0;
  for (const auto& t : r->terms) {
    if (t.e == -1) continue;
    expect("TERM " + std::to_string(t.e), t.coef, t.se);
    ++terms;
  }
  EXPECT_EQ(terms, 16);  // e = −9..7 but −1
  expect("ATT 0", r->att.coef, r->att.se);
}

// Without never-treated units the last-treated cohort is the control until its treatment: its
// rows from then on are dropped, and its units carry no dummy. Binning the relative periods
// beyond the window gives the endpoints one dummy per cohort.
TEST(SunAbraham, TheLastCohortControlsWithoutNeverTreatedAndEndpointsBin) {
  auto p = staggered_panel(11);
  const StaggeredPanel q = rows_of(
      p, [&](size_t i) { return p.group[i] != 0 && p.group[i] != 2015 && p.group[i] != 2000; });
  auto r = sun_abraham(sunab_input(q));
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->control_cohort, 2009);
  int64_t after = 0;
  for (double t : q.time) after += t >= 2009;
  EXPECT_EQ(r->dropped_after_control, after);
  for (const auto& c : r->cells) {
    EXPECT_NE(c.g, 2009);
    EXPECT_LT(c.g + c.e, 2009) << "no period from the control's treatment on";
    EXPECT_NEAR(c.coef, planted_effect(c.g, c.e), 4 * c.se) << "g " << c.g << " e " << c.e;
  }
  auto in = sunab_input(p);
  in.leads = 3;
  in.lags = 2;
  auto binned = sun_abraham(in);
  ASSERT_TRUE(binned.has_value()) << binned.error().to_string();
  std::set<int> es;
  for (const auto& c : binned->cells) es.insert(c.e);
  EXPECT_EQ(es, (std::set<int>{-3, -2, 0, 1, 2}));
  for (const auto& c : binned->cells) {
    // A binned end has several rows per unit, the others one (some units lack a year).
    if (c.e == 2 && c.g == 2004) {
      EXPECT_GT(c.rows, 2 * c.units);
    }
    if (c.e == 0) {
      EXPECT_EQ(c.rows, c.units);
    }
    EXPECT_LE(c.units, 150);
  }
  // The two-way event study counts its binned ends' units likewise.
  EventStudyInput tw;
  tw.y = p.y;
  tw.time = p.time;
  for (double g : p.group) tw.group.push_back(g == 2000 || g == 2015 ? 0 : g);
  tw.unit = in.unit;
  tw.period = in.period;
  tw.leads = 3;
  tw.lags = 2;
  auto twfe = event_study(tw);
  ASSERT_TRUE(twfe.has_value()) << twfe.error().to_string();
  for (const auto& t : twfe->terms) {
    if (t.e == 2) {
      EXPECT_GT(t.rows, 2 * t.units);
    }
    if (t.e == 0) {
      EXPECT_EQ(t.rows, t.units);
    }
    EXPECT_LE(t.units, 450);
  }
  in.reference = -5;
  auto outside = sun_abraham(in);
  ASSERT_FALSE(outside.has_value());
  EXPECT_NE(outside.error().to_string().find("reference"), std::string::npos);
}

// A cohort never seen at its reference period has no base: its rows leave the sample (its
// dummies would otherwise span its units' effects); periods must be whole numbers of a sane
// size (a relative period of 3e9 would overflow).
TEST(SunAbraham, ACohortWithoutItsReferencePeriodLeavesAndPeriodsAreWholeNumbers) {
  auto p = staggered_panel(13);
  // Without 2006's e = −1.
  const StaggeredPanel q =
      rows_of(p, [&](size_t i) { return !(p.group[i] == 2006 && p.time[i] == 2005); });
  int64_t cohort_rows = 0;
  for (double g : q.group) cohort_rows += g == 2006;
  auto r = sun_abraham(sunab_input(q));
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->cohorts_without_reference, (std::set<int>{2006}));
  EXPECT_EQ(r->dropped_without_reference, cohort_rows);
  for (const auto& c : r->cells) EXPECT_NE(c.g, 2006);
  for (const auto& c : r->cells) {
    EXPECT_NEAR(c.coef, planted_effect(c.g, c.e), 4 * c.se) << "g " << c.g << " e " << c.e;
  }
  auto in = sunab_input(p);
  in.group[0] = 3e9;
  auto huge = sun_abraham(in);
  ASSERT_FALSE(huge.has_value());
  EXPECT_NE(huge.error().message().find("row 1: period or cohort 3000000000 is not a whole number"),
            std::string::npos)
      << huge.error().message();
  in = sunab_input(p);
  in.time[5] = 2003.5;
  EXPECT_FALSE(sun_abraham(in).has_value());
}

// The two-way event study counts the firms of the rows it estimated on: a missing outcome is
// not a firm of its event time.
TEST(EventStudy, CountsTheFirmsOfTheRowsItUses) {
  auto p = staggered_panel(17);
  EventStudyInput tw;
  tw.y = p.y;
  tw.time = p.time;
  for (double g : p.group) tw.group.push_back(g == 2000 || g == 2015 ? 0 : g);
  tw.unit = {"unit", p.unit_code, p.units};
  tw.period = {"year", p.period_code, 12};
  tw.leads = 3;
  tw.lags = 2;
  auto all = event_study(tw);
  ASSERT_TRUE(all.has_value()) << all.error().to_string();
  int64_t dropped = 0;
  std::set<int32_t> gone;
  for (size_t i = 0; i < tw.y.size(); ++i) {
    if (tw.group[i] == 2004 && tw.time[i] == 2005) {  // 2004's e = 1: outcome missing
      tw.y[i] = NAN;
      ++dropped;
      gone.insert(p.unit_code[i]);
    }
  }
  auto fewer = event_study(tw);
  ASSERT_TRUE(fewer.has_value()) << fewer.error().to_string();
  for (size_t k = 0; k < all->terms.size(); ++k) {
    if (all->terms[k].e != 1) continue;
    EXPECT_EQ(fewer->terms[k].rows, all->terms[k].rows - dropped);
    EXPECT_EQ(fewer->terms[k].units, all->terms[k].units - static_cast<int64_t>(gone.size()));
  }
}

}  // namespace
}  // namespace poles::impact

namespace poles::impact {
namespace {

// The sup-t critical value against its closed forms: k independent estimates, the normal
// quantile of (1 + 0.95^(1/k)) / 2 (2.80 for k = 10); k identical ones, the pointwise 1.96.
// Seeded: the same seed gives the same value.
TEST(EventStudy, SupTCriticalValueMatchesItsClosedForms) {
  const Eigen::MatrixXd independent = Eigen::MatrixXd::Identity(10, 10) * 0.04;
  const double c10 = sup_t_critical(independent, 0.05, 7, 20000);
  EXPECT_NEAR(c10, 2.8027, 0.03);
  EXPECT_EQ(c10, sup_t_critical(independent, 0.05, 7, 20000));
  const Eigen::MatrixXd same = Eigen::MatrixXd::Constant(6, 6, 0.09);
  EXPECT_NEAR(sup_t_critical(same, 0.05, 7, 20000), 1.95996, 0.03);
  EXPECT_TRUE(std::isnan(sup_t_critical(Eigen::MatrixXd(0, 0), 0.05, 7)));
}

// The event studies' bands: every estimated term within ± c × its error, c above the pointwise
// critical value and below the Bonferroni one; the reference has none.
TEST(EventStudy, TermsCarryTheirUniformBand) {
  const auto p = staggered_panel(3);
  auto in = sunab_input(p);
  auto r = sun_abraham(in);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  int estimated = 0;
  for (const auto& t : r->terms) estimated += t.e != in.reference && std::isfinite(t.coef);
  const double c = r->uniform_critical_value;
  EXPECT_GT(c, 1.97);
  // Bonferroni: the normal quantile of 1 − 0.025 / k.
  EXPECT_LT(c, 3.6) << estimated << " terms";
  for (const auto& t : r->terms) {
    if (t.e == in.reference || !std::isfinite(t.coef)) continue;
    EXPECT_NEAR(t.band_high - t.coef, c * t.se, 1e-12) << t.e;
    EXPECT_LE(t.band_low, t.ci_low) << t.e;
  }
}

}  // namespace
}  // namespace poles::impact
