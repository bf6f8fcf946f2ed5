// Composite indicators on hand-computed cases: each normalisation, the outlier rule, each weighting
// and aggregation, rank intervals of a dominating unit, Sobol indices of the Ishigami function
// against their analytic values, and a full composite against the same computation in R.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <random>
#include <sstream>

#include "evaluate/composite.h"
#include "evaluate/indicators.h"
#include "evaluate/method_file.h"
#include "evaluate/run.h"
#include "evaluate/sensitivity.h"
#include "numeric/stats.h"
#include "test_support.h"

namespace poles::evaluate {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void expect_vector(const std::vector<double>& got, const std::vector<double>& want,
                   double tol = 1e-12) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << i;
    } else {
      EXPECT_NEAR(got[i], want[i], tol) << i;
    }
  }
}

TEST(Normalise, EveryMethodOnAHandCase) {
  const std::vector<double> x = {1, 2, 4, kNaN, 9};
  expect_vector(normalise(x, Normalisation::kMinMax), {0, 0.125, 0.375, kNaN, 1});
  const double sd = std::sqrt((9.0 + 4 + 0 + 25) / 3);  // mean 4
  expect_vector(normalise(x, Normalisation::kZScore), {-3 / sd, -2 / sd, 0, kNaN, 5 / sd});
  expect_vector(normalise(x, Normalisation::kRank), {1, 2, 3, kNaN, 4});
  expect_vector(normalise(std::vector<double>{5, 3, 5, 1}, Normalisation::kRank),
                {3, 2, 3, 1});  // ties at the minimum rank
  expect_vector(normalise(x, Normalisation::kPercentileRank), {0, 1.0 / 3, 2.0 / 3, kNaN, 1});
  expect_vector(normalise(x, Normalisation::kDistanceToTarget, {.target = 5}),
                {0, 0.25, 0.75, kNaN, 1});
  expect_vector(normalise(x, Normalisation::kDistanceToBest), {0, 0.125, 0.375, kNaN, 1});
  expect_vector(normalise(x, Normalisation::kGoalposts, {.lo = 2, .hi = 6}), {0, 0, 0.5, kNaN, 1});
}

TEST(Outliers, SkewKurtosisAndTreatment) {
  const std::vector<double> x = {1, 2, 3, 4, 100};
  // e1071 type 2, as R computes it from the same definitions.
  EXPECT_NEAR(skewness(x), 2.2323959116364578, 1e-12);
  EXPECT_NEAR(kurtosis(x), 4.9868659572006546, 1e-12);
  // One point far out among 20: skew and kurtosis both fail; winsorising it passes.
  std::vector<double> y;
  for (int i = 1; i <= 20; ++i) y.push_back(i);
  y.push_back(1000);
  const auto t = treat_outliers(y);
  EXPECT_EQ(t.winsorised, 1);
  EXPECT_FALSE(t.log);
  EXPECT_DOUBLE_EQ(y.back(), 20);
  // A heavy tail that five rounds cannot fix (1 + 2 + 3 + 4 + 5 points, ties moving together) is
  // log-transformed.
  std::vector<double> z(60, 1.0);
  for (double v = 1e3; v <= 1e9; v *= 10) z.push_back(v);
  const auto tz = treat_outliers(z);
  EXPECT_EQ(tz.winsorised, 15);
  EXPECT_TRUE(tz.log);
  // A symmetric column is left alone.
  std::vector<double> s = {1, 2, 3, 4, 5};
  EXPECT_EQ(treat_outliers(s).winsorised, 0);
}

Table table(size_t rows, size_t cols, std::vector<double> v) {
  return Table{rows, cols, std::move(v)};
}

TEST(Aggregate, ArithmeticGeometricCopeland) {
  const Table t = table(3, 3,
                        {0.9, 0.2, 0.5,     // u0
                         0.5, 0.5, 0.5,     // u1
                         0.1, 0.8, kNaN});  // u2 (missing third)
  const std::vector<double> w = {2, 1, 1};
  auto a = aggregate(t, w, Aggregation::kArithmetic);
  ASSERT_TRUE(a.has_value());
  expect_vector(*a, {(1.8 + 0.2 + 0.5) / 4, 0.5, (0.2 + 0.8) / 3});
  auto g = aggregate(t, w, Aggregation::kGeometric);
  ASSERT_TRUE(g.has_value());
  EXPECT_NEAR((*g)[0], std::exp((2 * std::log(0.9) + std::log(0.2) + std::log(0.5)) / 4), 1e-12);
  EXPECT_FALSE(
      aggregate(table(1, 1, {0}), std::vector<double>{1}, Aggregation::kGeometric).has_value());
  // Copeland with weights 0.5, 0.25, 0.25: u0 beats u1 (0.5 + 0 + 0.125 = 0.625) and u2 (0.5 of
  // 0.75 available: 0.5/0.75 > ½); u1 beats u2 (0.5 / 0.75); u2 loses both.
  const auto c = copeland(t, std::vector<double>{0.5, 0.25, 0.25});
  expect_vector(c, {2, 0, -2});
  EXPECT_EQ(numeric::ranks(c), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(numeric::ranks(std::vector<double>{3, kNaN, 5, 3}), (std::vector<int>{2, 4, 1, 2}));
}

TEST(Weights, PcaAndBenefitOfTheDoubt) {
  // a and b = 2a are perfectly correlated, c is uncorrelated with both: the first component loads
  // on a and b equally.
  const std::vector<double> a = {1, 2, 3, 4, 5}, c = {1, -2, 0, 2, -1};
  Table t{5, 3, {}};
  for (size_t i = 0; i < 5; ++i) t.v.insert(t.v.end(), {a[i], 2 * a[i], c[i]});
  auto w = pca_weights(t);
  ASSERT_TRUE(w.has_value()) << w.error().to_string();
  expect_vector(*w, {0.5, 0.5, 0}, 1e-12);
  // Benefit of the doubt: the two specialists are on the frontier; the generalist at (0.4, 0.4)
  // scores 0.8 with both weights at 1.
  auto bod = benefit_of_doubt(table(3, 2, {1, 0, 0, 1, 0.4, 0.4}));
  ASSERT_TRUE(bod.has_value()) << bod.error().to_string();
  expect_vector(bod->score, {1, 1, 0.8}, 1e-9);
  EXPECT_NEAR(bod->weights[2][0], 1, 1e-9);
  EXPECT_FALSE(benefit_of_doubt(table(1, 1, {-1})).has_value());
  // As the method's weighting: one pillar of the two indicators above; the pillar scores are the
  // units' benefit-of-the-doubt scores (min-max keeps the values as they are here).
  Method m;
  m.pillar = {0, 0};
  m.direction = {1, 1};
  m.weight = {1, 1};
  m.pillar_weight = {1};
  m.treat_outliers = false;
  m.weighting = Weighting::kBenefitOfDoubt;
  auto composite = compute(table(4, 2, {1, 0, 0, 1, 0.4, 0.4, 0, 0}), m);
  ASSERT_TRUE(composite.has_value()) << composite.error().to_string();
  expect_vector(composite->index, {1, 1, 0.8, 0}, 1e-9);
  EXPECT_EQ(composite->rank, (std::vector<int>{1, 1, 3, 4}));
}

Method two_pillars() {
  Method m;
  m.pillar = {0, 0, 1, 1};
  m.direction = {1, 1, 1, -1};
  m.weight = {1, 2, 1, 1};
  m.pillar_weight = {0.5, 0.5};
  m.treat_outliers = false;
  return m;
}

TEST(Uncertainty, ADominatingUnitRanksFirstUnderEveryChoice) {
  // Unit 0 is best on every indicator (the fourth is "lower is better") by a wide margin.
  std::mt19937_64 g(3);
  std::uniform_real_distribution<double> U(0, 10);
  Table raw{30, 4, {}};
  for (size_t r = 0; r < 30; ++r) {
    if (r == 0)
      raw.v.insert(raw.v.end(), {100, 100, 100, -100});
    else
      raw.v.insert(raw.v.end(), {U(g), U(g), U(g), U(g)});
  }
  auto u = uncertainty(raw, two_pillars(), {}, 500, 42);
  ASSERT_TRUE(u.has_value()) << u.error().to_string();
  EXPECT_EQ(u->units[0].nominal, 1);
  EXPECT_EQ(u->units[0].p05, 1);
  EXPECT_EQ(u->units[0].p95, 1);
  EXPECT_EQ(u->units[0].median, 1);
  // Others move: some interval is wider than a point.
  bool wide = false;
  for (size_t r = 1; r < 30; ++r) wide = wide || u->units[r].p95 > u->units[r].p05;
  EXPECT_TRUE(wide);
  // Same seed, same answer.
  auto again = uncertainty(raw, two_pillars(), {}, 500, 42);
  EXPECT_EQ(again->units[7].p95, u->units[7].p95);
  EXPECT_EQ(again->units[7].median, u->units[7].median);
}

TEST(Sensitivity, SobolIndicesOfTheIshigamiFunction) {
  // f = sin x1 + 7 sin² x2 + 0.1 x3⁴ sin x1 on [−π, π]³: S = (0.3139, 0.4424, 0), ST = (0.5576,
  // 0.4424, 0.2437).
  auto f = [](const std::vector<double>& u) {
    const double pi = std::numbers::pi;
    const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
    return std::sin(x1) + 7 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
  };
  const auto s = sobol(f, 3, 100000, 7);
  EXPECT_EQ(s.runs, 500000u);
  EXPECT_NEAR(s.first[0], 0.3139, 0.02);
  EXPECT_NEAR(s.first[1], 0.4424, 0.02);
  EXPECT_NEAR(s.first[2], 0.0, 0.02);
  EXPECT_NEAR(s.total[0], 0.5576, 0.02);
  EXPECT_NEAR(s.total[1], 0.4424, 0.02);
  EXPECT_NEAR(s.total[2], 0.2437, 0.02);
  EXPECT_LE(s.first[0] + s.first[1] + s.first[2], 1.0);
}

TEST(Sensitivity, CompositeFirstOrderIndicesSumToAtMostOne) {
  std::mt19937_64 g(5);
  std::lognormal_distribution<double> L(0, 1);
  Table raw{25, 4, {}};
  for (size_t i = 0; i < 100; ++i) raw.v.push_back(L(g));
  auto s = composite_sensitivity(raw, two_pillars(), {}, 300, 11);
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  ASSERT_EQ(s->first.size(), kUncertainInputs.size());
  EXPECT_EQ(s->runs, 300u * 7);
  double sum = 0;
  for (size_t i = 0; i < s->first.size(); ++i) {
    sum += s->first[i];
    EXPECT_GE(s->total[i], -1e-12) << kUncertainInputs[i];
  }
  EXPECT_LE(sum, 1.0 + 0.1);  // ≤ 1 up to the estimator's sampling error at N = 300
  EXPECT_GT(s->variance, 0);
}

// A full composite (mean imputation, min-max, expert weights, arithmetic within and across pillars)
// against the same steps written in R on the same data.
TEST(Composite, FullCompositeAgreesWithR) {
  const char* rscript = POLES_RSCRIPT;
  if (!std::filesystem::exists(rscript))
    GTEST_FAIL() << "Rscript is needed (scripts/install-deps installs r-base-core); CMake found '"
                 << rscript << "'";
  std::mt19937_64 g(9);
  std::normal_distribution<double> N(50, 15);
  Table raw{40, 4, {}};
  for (size_t i = 0; i < 160; ++i) raw.v.push_back(i % 37 == 5 ? kNaN : N(g));
  const Method m = two_pillars();
  auto c = compute(raw, m);
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  const auto dir =
      std::filesystem::temp_directory_path() / ("poles-ci-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "x.csv");
    f.precision(17);
    f << "a,b,c,d\n";
    for (size_t r = 0; r < raw.rows; ++r) {
      for (size_t k = 0; k < 4; ++k) {
        if (k) f << ",";
        if (std::isnan(raw.at(r, k)))
          f << "NA";
        else
          f << raw.at(r, k);
      }
      f << "\n";
    }
    std::ofstream s(dir / "composite.R");
    s << "x <- read.csv('" << (dir / "x.csv").string()
      << "')\n"
         "x$d <- -x$d\n"
         "for (j in 1:4) x[is.na(x[, j]), j] <- mean(x[, j], na.rm = TRUE)\n"
         "mm <- function(v) (v - min(v)) / (max(v) - min(v))\n"
         "n <- sapply(x, mm)\n"
         "p1 <- (1 * n[, 1] + 2 * n[, 2]) / 3\n"
         "p2 <- (n[, 3] + n[, 4]) / 2\n"
         "idx <- (0.5 * p1 + 0.5 * p2) / 1\n"
         "write.table(format(cbind(p1, p2, idx, rank(-idx, ties.method = 'min')), digits = 17), "
         "quote = FALSE, row.names = FALSE, col.names = FALSE)\n";
  }
  FILE* pipe = ::popen(
      (std::string(rscript) + " --vanilla " + (dir / "composite.R").string() + " 2>&1").c_str(),
      "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe)) out += buf;
  ASSERT_EQ(::pclose(pipe), 0) << out;
  std::filesystem::remove_all(dir);
  std::istringstream in(out);
  for (size_t r = 0; r < raw.rows; ++r) {
    double p1 = 0, p2 = 0, idx = 0, rank = 0;
    ASSERT_TRUE(in >> p1 >> p2 >> idx >> rank) << out;
    EXPECT_NEAR(c->pillars.at(r, 0), p1, 1e-9) << r;
    EXPECT_NEAR(c->pillars.at(r, 1), p2, 1e-9) << r;
    EXPECT_NEAR(c->index[r], idx, 1e-9) << r;
    EXPECT_EQ(c->rank[r], static_cast<int>(rank)) << r;
  }
}

// The ladder of methods/quota.toml (the method before criterion-referenced ratings), rule by
// rule: (rating, consecutive misses, trend, plan) → level.
TEST(Ladder, QuotaRulesTableDriven) {
  auto m = load_method(std::string(POLES_SOURCE_DIR) + "/methods/quota.toml");
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  struct Case {
    const char* rating;
    int misses;
    const char* trend;
    bool plan;
    int level;
  };
  const Case cases[] = {
      {"very_performing", 0, "stable", false, 0},  // nothing to say: monitoring
      {"very_performing", 0, "down", false,
       0},  // a fall alone does not move a very performing cluster
      {"very_performing", 1, "up", false, 1},  // one missed year: improvement axes
      {"performing", 0, "down", false, 1},     // performing and falling
      {"performing", 0, "up", false, 0},
      {"performing", 2, "down", false, 2},  // two missed years and falling: review at 18 months
      {"performing", 2, "stable", false, 1},
      {"less_performing", 0, "stable", false, 2},  // less performing: review at 18 months
      {"less_performing", 2, "stable", false, 3},  // and two missed years: short label
      {"less_performing", 3, "down", false, 3},    // three, but no improvement plan tried yet
      {"less_performing", 3, "down", true,
       4},  // three, and the plan already failed: withdrawal proposed
      {"less_performing", 5, "up", true, 4},
  };
  for (const auto& c : cases) {
    const auto a = propose_action(m->ladder, c.rating, c.misses, c.trend, c.plan);
    EXPECT_EQ(a.level, c.level) << c.rating << " misses " << c.misses << " " << c.trend << " plan "
                                << c.plan;
    if (c.level > 0) {
      EXPECT_FALSE(a.reasons.empty());
    } else {
      EXPECT_EQ(a.action, "monitoring");
    }
  }
  const auto withdrawal = propose_action(m->ladder, "less_performing", 3, "down", true);
  EXPECT_EQ(withdrawal.action, "label withdrawal proposed");
  EXPECT_GE(withdrawal.reasons.size(), 3u);  // levels 2, 3 and 4 matched, each with its reason
}

// The ladder of methods/default.toml: actions from the contract's targets and the absolute
// criteria and their persistence; the rating only beside a failed criterion. Written by hand from
// the method's text: (rating, misses, plan, criteria failed this year and the years before) →
// level.
TEST(Ladder, DefaultRulesFollowCriteriaNotAQuota) {
  auto m = load_method(std::string(POLES_SOURCE_DIR) + "/methods/default.toml");
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  EXPECT_EQ(m->rating_by, "interval");
  EXPECT_EQ(m->criteria.size(), 5u);
  struct Case {
    const char* rating;
    int misses;
    bool plan;
    std::vector<int> failing;
    int level;
  };
  const Case cases[] = {
      {"less_performing", 0, false, {0, 0, 0}, 0},  // lowest group alone: no action
      {"not_distinguishable", 0, false, {0, 0, 0}, 0},
      {"less_performing", 0, false, {1, 0, 0}, 2},      // lowest group and a criterion failed
      {"performing", 0, false, {1, 0, 0}, 1},           // a criterion failed once: improvement axes
      {"not_distinguishable", 0, false, {1, 0, 0}, 1},  // not distinguishable is not lowest
      {"very_performing", 0, false, {1, 1, 0}, 2},      // failed two years running: review
      {"performing", 0, false, {2, 2, 1}, 2},           // two failed, but not three years running
      {"performing", 0, false, {2, 2, 2}, 3},       // two failed three years running: short label
      {"performing", 1, false, {0, 0, 0}, 1},       // contract missed this year
      {"very_performing", 2, false, {0, 0, 0}, 2},  // missed two years running
      {"very_performing", 3, false, {0, 0, 0}, 3},
      {"performing", 3, true, {0, 0, 0}, 4},  // three years and the plan already failed
  };
  for (const auto& c : cases) {
    ActionInputs in{c.rating, c.misses, "down", c.plan, c.failing, {"crit. A"}, {"crit A"}};
    const auto a = propose_action(m->ladder, in);
    EXPECT_EQ(a.level, c.level) << c.rating << " misses " << c.misses << " plan " << c.plan
                                << " failing " << c.failing[0] << c.failing[1] << c.failing[2];
    EXPECT_EQ(a.reasons.size(), a.reasons_fr.size());
  }
  // Reasons in both languages, the failed criteria named.
  ActionInputs in{"less_performing", 0, "stable", false, {1, 1}, {"critère A"}, {"criterion A"}};
  in.failed_fr = {"critère A"};
  in.failed_en = {"criterion A"};
  const auto a = propose_action(m->ladder, in);
  EXPECT_EQ(a.level, 2);
  EXPECT_EQ(a.action_fr, "revue à 18 mois, financement révisable");
  ASSERT_FALSE(a.reasons_fr.empty());
  EXPECT_NE(std::find(a.reasons_fr.begin(), a.reasons_fr.end(),
                      "niveau 2 (revue à 18 mois, financement révisable) : 1 critère non atteint "
                      "(critère A) et au moins 1 non atteint chacune des 2 dernières années"),
            a.reasons_fr.end())
      << a.reasons_fr[0];
  EXPECT_NE(std::find(a.reasons.begin(), a.reasons.end(),
                      "level 2 (review at 18 months, funding revisable): rated less_performing, "
                      "1 criterion not met (criterion A)"),
            a.reasons.end());
}

TEST(MethodFile, DefaultIsValidAndErrorsNameKeyValueAndRule) {
  auto m = load_method(std::string(POLES_SOURCE_DIR) + "/methods/default.toml");
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  EXPECT_GE(m->indicators.size(), 35u);
  EXPECT_EQ(m->pillars.size(), 6u);
  EXPECT_EQ(m->draws, 10000u);
  auto bad = parse_method(R"(name = "bad"
[steps]
normalisation = "softmax"
[pillars]
ecosystem = 0.5
projects = 0.6
[[indicator]]
id = "members"
[[indicator]]
id = "unicorns"
[[indicator]]
id = "patents"
)",
                          "bad.toml");
  ASSERT_FALSE(bad.has_value());
  const std::string text = bad.error().to_string();
  EXPECT_NE(text.find("softmax"), std::string::npos) << text;
  EXPECT_NE(text.find("must be one of minmax"), std::string::npos) << text;
  EXPECT_NE(text.find("the pillars' weights must sum to 1"), std::string::npos) << text;
  EXPECT_NE(text.find("unicorns"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown indicator"), std::string::npos) << text;
  EXPECT_NE(text.find("bad.toml:10"), std::string::npos)
      << "the unknown indicator's line: " << text;
  EXPECT_NE(text.find("its pillar 'products' has no weight"), std::string::npos) << text;
  EXPECT_FALSE(parse_method("name = [", "broken.toml").has_value());
}

TEST(Indicators, CatalogueDocIsUpToDate) {
  EXPECT_GE(indicator_defs().size(), 35u);
  const std::string doc =
      testing::read_file(std::filesystem::path(POLES_SOURCE_DIR) / "docs" / "indicators.md");
  EXPECT_NE(doc.find(indicators_markdown()), std::string::npos)
      << "docs/indicators.md is out of date: paste the output of `poles evaluate indicators "
         "--markdown` in it";
}

}  // namespace
}  // namespace poles::evaluate
