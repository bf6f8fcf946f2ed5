// The statistical audit of a composite and the efficiency analysis, against independent peers run
// on the same data in the test: R's psych (alpha, principal) and cor() for the audit, R's lpSolve
// on the envelopment LPs for DEA; and hand-computed cases.
#include "evaluate/audit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "evaluate/composite.h"
#include "evaluate/efficiency.h"
#include "evaluate/method_file.h"
#include "evaluate/run.h"
#include "test_support.h"

namespace poles::evaluate {
namespace {

using testing::run_r;
using testing::TempDir;

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

void require_r() {
  if (!std::filesystem::exists(POLES_RSCRIPT))
    GTEST_FAIL() << "Rscript is needed (scripts/install-deps installs r-base-core, r-cran-psych "
                    "and r-cran-lpsolve); CMake found '"
                 << POLES_RSCRIPT << "'";
}

std::string csv_of(const Table& t) {
  std::ostringstream f;
  f.precision(17);
  for (size_t c = 0; c < t.cols; ++c) f << (c ? "," : "") << "v" << c + 1;
  f << "\n";
  for (size_t r = 0; r < t.rows; ++r) {
    for (size_t c = 0; c < t.cols; ++c) {
      if (c) f << ",";
      if (std::isnan(t.at(r, c)))
        f << "NA";
      else
        f << t.at(r, c);
    }
    f << "\n";
  }
  return f.str();
}

// Numbers printed by R, one per whitespace-separated token.
std::vector<double> numbers(const std::string& out) {
  std::istringstream in(out);
  std::vector<double> v;
  std::string tok;
  while (in >> tok) {
    char* end = nullptr;
    v.push_back(std::strtod(tok.c_str(), &end));
    if (end != tok.c_str() + tok.size()) {
      ADD_FAILURE() << "R printed '" << tok << "':\n" << out;
      return {};
    }
  }
  return v;
}

// The error on `field` with `value` among a bad input's, or null.
const FieldError* field_error(const Status& st, const std::string& field,
                              const std::string& value) {
  for (const auto& f : st.field_errors())
    if (f.field == field && f.value == value) return &f;
  return nullptr;
}

// --- hand-computed cases ------------------------------------------------------------------------

TEST(Audit, CronbachAlphaOnAHandCase) {
  // Three items, four units. Covariance matrix (n − 1 = 3):
  //   x1 = 1 2 3 4, x2 = 2 2 4 4, x3 = 1 3 2 4 → var 5/3, 4/3, 5/3; cov12 = 4/3, cov13 = 4/3,
  //   cov23 = 2/3; total = Σ C = 14/3 + 2·(4/3 + 4/3 + 2/3) = 34/3;
  //   α = 3/2 · (1 − (14/3)/(34/3)) = 3/2 · 20/34 = 30/34.
  const Table t{4, 3, {1, 2, 1, 2, 2, 3, 3, 4, 2, 4, 4, 4}};
  const Alpha a = cronbach_alpha(t);
  EXPECT_NEAR(a.raw, 30.0 / 34, 1e-12);
  // r12 = (4/3)/√(5/3·4/3) = 2/√5, r13 = 4/5, r23 = 1/√5: mean r = (3/√5 + 4/5)/3.
  const double mean_r = (3 / std::sqrt(5.0) + 0.8) / 3;
  EXPECT_NEAR(a.mean_r, mean_r, 1e-12);
  EXPECT_NEAR(a.standardised, 3 * mean_r / (1 + 2 * mean_r), 1e-12);
  EXPECT_TRUE(std::isnan(cronbach_alpha(Table{4, 1, {1, 2, 3, 4}}).raw));
}

TEST(Audit, CorrelationSkipsMissingPairsAndConstants) {
  const std::vector<double> x = {1, 2, 3, kMissing, 5}, y = {2, 4, 6, 100, 10};
  EXPECT_NEAR(correlation(x, y), 1.0, 1e-12);
  EXPECT_TRUE(std::isnan(correlation(std::vector<double>{1, 1, 1, 1}, y)));
  EXPECT_TRUE(std::isnan(correlation(std::vector<double>{1, 2, kMissing, kMissing, kMissing}, y)));
}

// Two pillars where the second has a redundant pair and an indicator running against the others,
// and a constant indicator: each flag raised, and none raised in the first pillar.
TEST(Audit, FlagsRedundantNegativeConstantAndWeights) {
  std::mt19937_64 g(4);
  std::normal_distribution<double> N(0, 1);
  Table raw{30, 6, {}};
  for (size_t r = 0; r < 30; ++r) {
    const double f = N(g), h = N(g);
    raw.v.insert(raw.v.end(), {f + 0.8 * N(g), f + 0.8 * N(g), h + 0.02 * N(g), h + 0.02 * N(g),
                               -h + 0.3 * N(g), 7});
  }
  Method m;
  m.pillar = {0, 0, 1, 1, 1, 1};
  m.direction = {1, 1, 1, 1, 1, 1};
  m.weight = {1, 1, 1, 1, 1, 1};
  m.pillar_weight = {0.5, 0.5};
  m.treat_outliers = false;
  auto c = compute(raw, m);
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  const Audit a = audit(*c, m);
  auto has = [&](const std::string& kind, int i, int j = -1) {
    return std::any_of(a.flags.begin(), a.flags.end(), [&](const AuditFlag& f) {
      return f.kind == kind && f.a == i && (j < 0 || f.b == j);
    });
  };
  EXPECT_TRUE(has("redundant", 2, 3));
  EXPECT_TRUE(has("negative", 2, 4));
  EXPECT_TRUE(has("negative", 3, 4));
  EXPECT_TRUE(has("negative_with_pillar", 4));
  EXPECT_TRUE(has("constant", 5));
  EXPECT_FALSE(has("redundant", 0, 1));
  EXPECT_FALSE(has("negative", 0));
  // Nominal weights: 1/4 each in pillar 1, 1/8 each in pillar 2 (the constant one included).
  EXPECT_NEAR(a.nominal_weight[0], 0.25, 1e-12);
  EXPECT_NEAR(a.nominal_weight[5], 0.125, 1e-12);
  double sum = 0;
  for (double w : a.effective_weight) sum += w;
  EXPECT_NEAR(sum, 1, 1e-12);
  EXPECT_EQ(a.effective_weight[5], 0);
  ASSERT_EQ(a.pillars.size(), 2u);
  EXPECT_EQ(a.pillars[1].indicators, (std::vector<size_t>{2, 3, 4}));
}

// --- against R's psych on the same data
// -----------------------------------------------------------

// A three-pillar composite of 45 units with latent factors, 10 indicators, some missing (mean
// imputation), outlier treatment on: α (raw and standardised), eigenvalues, loadings of the
// retained components, every correlation and the effective weights equal R's to 1e-8.
TEST(Audit, AlphaPcaCorrelationsAndEffectiveWeightsAgreeWithPsych) {
  require_r();
  std::mt19937_64 g(17);
  std::normal_distribution<double> N(0, 1);
  std::lognormal_distribution<double> L(0, 1);
  Table raw{45, 10, {}};
  for (size_t r = 0; r < raw.rows; ++r) {
    const double f1 = N(g), f2 = N(g), f3 = N(g);
    const std::vector<double> row = {
        10 + 2 * f1 + N(g), 5 + f1 + N(g),   f1 + 0.5 * N(g) + 0.3 * f2,  // pillar 1
        f2 + N(g),          3 * f2 + N(g),   -f2 + 2 * N(g),
        2 * L(g) + N(g),                                                   // pillar 2
        f3 + 0.4 * N(g),    f3 + 0.4 * N(g), 0.5 * f3 + N(g) + 0.5 * f1};  // pillar 3
    for (size_t k = 0; k < row.size(); ++k)
      raw.v.push_back((r * 7 + k * 3) % 41 == 2 ? kMissing : row[k]);
  }
  Method m;
  m.pillar = {0, 0, 0, 1, 1, 1, 1, 2, 2, 2};
  m.direction = {1, 1, 1, 1, 1, -1, 1, 1, 1, 1};
  m.weight = {1, 2, 1, 1, 1, 1, 1, 1, 1, 3};
  m.pillar_weight = {0.5, 0.3, 0.2};
  auto c = compute(raw, m);
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  const Audit a = audit(*c, m);

  TempDir dir;
  testing::write_file(dir / "x.csv", csv_of(c->normalised));
  testing::write_file(dir / "p.csv", csv_of(c->pillars));
  {
    Table idx{c->index.size(), 1, c->index};
    testing::write_file(dir / "i.csv", csv_of(idx));
  }
  std::ostringstream code;
  code << "suppressMessages(library(psych))\n"
          "x <- read.csv('"
       << (dir / "x.csv").string() << "')\np <- read.csv('" << (dir / "p.csv").string()
       << "')\nidx <- read.csv('" << (dir / "i.csv").string()
       << "')[, 1]\n"
          "out <- c()\n"
          "put <- function(v) out <<- c(out, v)\n"
          "pillars <- list(1:3, 4:7, 8:10)\n"
          "for (cols in pillars) {\n"
          "  y <- x[, cols]\n"
          "  a <- suppressWarnings(psych::alpha(y, check.keys = FALSE))\n"
          "  put(c(a$total$raw_alpha, a$total$std.alpha))\n"
          "  e <- eigen(cor(y))$values\n"
          "  k <- max(1, sum(e >= 1))\n"
          "  pc <- psych::principal(y, nfactors = k, rotate = 'none')\n"
          "  put(c(length(e), e, k))\n"
          "  L <- unclass(pc$loadings)\n"
          "  for (j in 1:k) { l <- L[, j]; if (sum(l) < 0) l <- -l; put(l) }\n"
          "}\n"
          "put(cor(x))\n"
          "put(cor(p))\n"
          "w <- c(1, 2, 1, 1, 1, 1, 1, 1, 1, 3); pw <- c(0.5, 0.3, 0.2); pil <- "
          "c(1,1,1,2,2,2,2,3,3,3)\n"
          "put(sapply(1:10, function(i) cor(x[, i], p[, pil[i]])))\n"
          "r <- cor(x, idx)[, 1]; put(r^2 / sum(r^2))\n"
          "put(w / ave(w, pil, FUN = sum) * pw[pil])\n"
          // alpha() prints notes on item frequencies: the numbers go to a file
          "writeLines(format(out, digits = 17), '"
       << (dir / "out.txt").string() << "')\n";
  const auto r = run_r(POLES_RSCRIPT, dir.path(), "audit.R", code.str());
  ASSERT_EQ(r.status, 0) << r.output;
  const auto v = numbers(testing::read_file(dir / "out.txt"));
  size_t at = 0;
  auto next = [&]() {
    EXPECT_LT(at, v.size());
    return at < v.size() ? v[at++] : kMissing;
  };
  ASSERT_EQ(a.pillars.size(), 3u);
  EXPECT_EQ(a.pillars[1].retained, 2u);  // two components kept: both sets of loadings compared
  for (const auto& pa : a.pillars) {
    EXPECT_NEAR(pa.alpha, next(), 1e-8) << "pillar " << pa.pillar;
    EXPECT_NEAR(pa.std_alpha, next(), 1e-8) << "pillar " << pa.pillar;
    const auto k = static_cast<size_t>(next());
    ASSERT_EQ(pa.eigenvalues.size(), k);
    for (size_t e = 0; e < k; ++e) EXPECT_NEAR(pa.eigenvalues[e], next(), 1e-8) << e;
    ASSERT_EQ(pa.retained, static_cast<size_t>(next())) << "pillar " << pa.pillar;
    for (const auto& l : pa.loadings)
      for (double x : l) EXPECT_NEAR(x, next(), 1e-8) << "pillar " << pa.pillar;
  }
  for (size_t i = 0; i < 10; ++i)
    for (size_t j = 0; j < 10; ++j) EXPECT_NEAR(a.correlation.at(j, i), next(), 1e-8);
  for (size_t p = 0; p < 3; ++p)
    for (size_t q = 0; q < 3; ++q) EXPECT_NEAR(a.pillar_correlation.at(q, p), next(), 1e-8);
  for (size_t i = 0; i < 10; ++i) EXPECT_NEAR(a.with_pillar[i], next(), 1e-8) << i;
  for (size_t i = 0; i < 10; ++i) EXPECT_NEAR(a.effective_weight[i], next(), 1e-8) << i;
  for (size_t i = 0; i < 10; ++i) EXPECT_NEAR(a.nominal_weight[i], next(), 1e-12) << i;
  EXPECT_EQ(at, v.size());
}

// --- DEA
// ------------------------------------------------------------------------------------------

// One input, one output: A (2, 2), B (4, 6), C (6, 7), D (5, 3). Constant returns: the best ratio
// is B's 1.5, so θ = (y/x)/1.5. Variable returns, input-oriented: the frontier A–B–C; D needs
// y = 3, reached between A and B at x = 2 + (3 − 2)/(6 − 2)·2 = 2.5, θ = 0.5.
TEST(Efficiency, OneInputOneOutputByHand) {
  const Table x{4, 1, {2, 4, 6, 5}}, y{4, 1, {2, 6, 7, 3}};
  auto crs = dea(x, y, Orientation::kInput, Returns::kConstant);
  ASSERT_TRUE(crs.has_value()) << crs.error().to_string();
  const double want[] = {1 / 1.5, 1, (7.0 / 6) / 1.5, 0.6 / 1.5};
  for (size_t u = 0; u < 4; ++u) EXPECT_NEAR((*crs)[u].efficiency, want[u], 1e-9) << u;
  // Under constant returns both orientations agree.
  auto crs_out = dea(x, y, Orientation::kOutput, Returns::kConstant);
  ASSERT_TRUE(crs_out.has_value());
  for (size_t u = 0; u < 4; ++u) EXPECT_NEAR((*crs_out)[u].efficiency, want[u], 1e-9) << u;
  auto vrs = dea(x, y, Orientation::kInput, Returns::kVariable);
  ASSERT_TRUE(vrs.has_value());
  EXPECT_NEAR((*vrs)[0].efficiency, 1, 1e-9);
  EXPECT_NEAR((*vrs)[1].efficiency, 1, 1e-9);
  EXPECT_NEAR((*vrs)[2].efficiency, 1, 1e-9);
  EXPECT_NEAR((*vrs)[3].efficiency, 0.5, 1e-9);
  // D's peers are A and B, three quarters and one quarter (2.5 = ¾·2 + ¼·4; 3 = ¾·2 + ¼·6).
  EXPECT_NEAR((*vrs)[3].lambda[0], 0.75, 1e-9);
  EXPECT_NEAR((*vrs)[3].lambda[1], 0.25, 1e-9);
  EXPECT_EQ((*vrs)[3].lambda[2], 0);
  // Output-oriented, variable returns: D (x = 5) could reach 6.5 between B and C: φ = 6.5 / 3.
  auto vrs_out = dea(x, y, Orientation::kOutput, Returns::kVariable);
  ASSERT_TRUE(vrs_out.has_value());
  EXPECT_NEAR((*vrs_out)[3].expansion, 6.5 / 3, 1e-9);
}

TEST(Efficiency, UnitsWithoutDataAreNotAssessedAndNothingProducedScoresZero) {
  const Table x{4, 1, {2, kMissing, 6, 5}}, y{4, 1, {2, 6, 7, 0}};
  auto d = dea(x, y, Orientation::kOutput, Returns::kVariable);
  ASSERT_TRUE(d.has_value()) << d.error().to_string();
  EXPECT_FALSE((*d)[1].assessed);
  EXPECT_TRUE((*d)[3].assessed);
  EXPECT_EQ((*d)[3].efficiency, 0);
  EXPECT_TRUE(std::isinf((*d)[3].expansion));
  // Input-oriented under variable returns, the LP answers for D (x = 5, y = 0): the smallest
  // unit, A (x = 2), needs 2/5 of its input. Under constant returns, nothing: θ = 0.
  auto in_vrs = dea(x, y, Orientation::kInput, Returns::kVariable);
  ASSERT_TRUE(in_vrs.has_value()) << in_vrs.error().to_string();
  EXPECT_NEAR((*in_vrs)[3].efficiency, 0.4, 1e-9);
  auto in_crs = dea(x, y, Orientation::kInput, Returns::kConstant);
  ASSERT_TRUE(in_crs.has_value());
  EXPECT_NEAR((*in_crs)[3].efficiency, 0, 1e-9);
  EXPECT_TRUE(std::isinf((*in_crs)[3].expansion));
  // One unit that can be assessed: none is, and no error (the view says why).
  auto one =
      dea(Table{2, 1, {1, kMissing}}, Table{2, 1, {1, 1}}, Orientation::kInput, Returns::kConstant);
  ASSERT_TRUE(one.has_value()) << one.error().to_string();
  EXPECT_FALSE((*one)[0].assessed);
  EXPECT_FALSE((*one)[1].assessed);
  // An input of 0 (a figure missing, imported as 0) is not assessed: it would be efficient
  // whatever it produces.
  auto zeros = dea(Table{3, 2, {1, 0, 2, 1, 3, 2}}, Table{3, 1, {1, 1, 1}}, Orientation::kInput,
                   Returns::kConstant);
  ASSERT_TRUE(zeros.has_value()) << zeros.error().to_string();
  EXPECT_FALSE((*zeros)[0].assessed);
  EXPECT_TRUE((*zeros)[1].assessed);
}

// The rating by interval among 56 clusters in the 2012 proportions (ranks 1–16, 17–44, 45–56):
// a class only when the whole interval lies in its group, fractional percentiles included.
TEST(Ratings, ByIntervalNeedTheWholeIntervalInOneGroup) {
  const std::vector<RatingClass> k = {
      {"very_performing", 20.0 / 71}, {"performing", 35.0 / 71}, {"less_performing", 16.0 / 71}};
  EXPECT_EQ(rating_by_interval(k, 56, 1, 16), "very_performing");
  EXPECT_EQ(rating_by_interval(k, 56, 16, 16), "very_performing");
  EXPECT_EQ(rating_by_interval(k, 56, 16, 17), kNotDistinguishable);
  EXPECT_EQ(rating_by_interval(k, 56, 17, 44), "performing");
  EXPECT_EQ(rating_by_interval(k, 56, 30, 44.5), kNotDistinguishable);
  EXPECT_EQ(rating_by_interval(k, 56, 44.5, 50), kNotDistinguishable);
  EXPECT_EQ(rating_by_interval(k, 56, 45, 56), "less_performing");
  EXPECT_EQ(rating_by_interval(k, 56, 2, 50), kNotDistinguishable);
  // Three clusters: ceil(0.28 × 3) = 1, ceil(0.77 × 3) = 3: no third group.
  EXPECT_EQ(rating_by_interval(k, 3, 1, 1), "very_performing");
  EXPECT_EQ(rating_by_interval(k, 3, 2, 3), "performing");
}

// [[criterion]] and the ladder's criterion conditions: each error with its key, value and line.
TEST(MethodFile, CriteriaAndTheirRulesAreValidated) {
  auto bad = parse_method(R"(name = "t"
[pillars]
business = 1
[[indicator]]
id = "budget"
[[criterion]]
id = "c1"
indicator = "turnover"
min = 5
max = 2
text_fr = "x"
text_en = "x"
[[criterion]]
id = "c2"
indicator = "members"
max_fall = 1.5
[[action]]
level = 2
action = "review"
min_years_failing = 2
[[action]]
level = 1
action = "axes"
min_criteria_failed = -1
)",
                          "c.toml");
  ASSERT_FALSE(bad.has_value());
  auto find = [&](const std::string& field, const std::string& value) {
    return field_error(bad.error(), field, value);
  };
  const auto* unknown = find("criterion.indicator", "turnover");
  ASSERT_NE(unknown, nullptr) << bad.error().to_string();
  EXPECT_EQ(unknown->line, 6);
  EXPECT_NE(find("criterion.min", "5"), nullptr) << bad.error().to_string();
  EXPECT_NE(find("criterion.max_fall", "1.5"), nullptr) << bad.error().to_string();
  EXPECT_NE(find("criterion", "c2"), nullptr) << "no text: " << bad.error().to_string();
  const auto* years = find("action.min_years_failing", "2");
  ASSERT_NE(years, nullptr) << bad.error().to_string();
  EXPECT_EQ(years->line, 17);
  EXPECT_NE(find("action.min_criteria_failed", "-1"), nullptr) << bad.error().to_string();
}

// 25 units, 3 inputs on different scales (euros, FTE, euros), 4 outputs: the four models'
// efficiencies equal those of the same envelopment LPs solved by R's lpSolve, to 1e-8.
TEST(Efficiency, FourModelsAgreeWithLpSolve) {
  require_r();
  std::mt19937_64 g(23);
  std::lognormal_distribution<double> L(0, 0.5);
  std::uniform_real_distribution<double> U(0.4, 1.0);
  Table x{25, 3, {}}, y{25, 4, {}};
  for (size_t u = 0; u < 25; ++u) {
    const double size = L(g), eff = U(g);
    x.v.insert(x.v.end(), {1.2e6 * size * L(g), 15 * size * L(g), 6e5 * size * L(g)});
    y.v.insert(y.v.end(), {std::round(30 * size * eff * L(g)), std::round(8 * eff * L(g) * size),
                           std::round(200 * size * L(g) * eff), std::round(40 * eff * L(g))});
  }
  TempDir dir;
  testing::write_file(dir / "x.csv", csv_of(x));
  testing::write_file(dir / "y.csv", csv_of(y));
  std::ostringstream code;
  code << "suppressMessages(library(lpSolve))\n"
          "X <- as.matrix(read.csv('"
       << (dir / "x.csv").string() << "'))\nY <- as.matrix(read.csv('" << (dir / "y.csv").string()
       << "'))\n"
          "n <- nrow(X)\n"
          "score <- function(o, input, vrs) {\n"
          "  # columns: theta (or phi), lambda_1..n\n"
          "  A <- rbind(cbind(if (input) -X[o, ] else 0, t(X)), cbind(if (input) 0 else -Y[o, ], "
          "t(Y)))\n"
          "  dir <- c(rep('<=', ncol(X)), rep('>=', ncol(Y)))\n"
          "  rhs <- c(if (input) rep(0, ncol(X)) else X[o, ], if (input) Y[o, ] else rep(0, "
          "ncol(Y)))\n"
          "  if (vrs) { A <- rbind(A, c(0, rep(1, n))); dir <- c(dir, '='); rhs <- c(rhs, 1) }\n"
          "  s <- lp(if (input) 'min' else 'max', c(1, rep(0, n)), A, dir, rhs)\n"
          "  if (s$status != 0) stop('lpSolve failed')\n"
          "  if (input) s$objval else 1 / s$objval\n"
          "}\n"
          "for (input in c(TRUE, FALSE)) for (vrs in c(FALSE, TRUE))\n"
          "  cat(format(sapply(1:n, score, input = input, vrs = vrs), digits = 17), sep = '\\n')\n";
  const auto r = run_r(POLES_RSCRIPT, dir.path(), "dea.R", code.str());
  ASSERT_EQ(r.status, 0) << r.output;
  const auto v = numbers(r.output);
  ASSERT_EQ(v.size(), 100u) << r.output;
  size_t at = 0;
  for (const auto o : {Orientation::kInput, Orientation::kOutput}) {
    for (const auto ret : {Returns::kConstant, Returns::kVariable}) {
      auto d = dea(x, y, o, ret);
      ASSERT_TRUE(d.has_value()) << d.error().to_string();
      int efficient = 0;
      for (size_t u = 0; u < 25; ++u) {
        EXPECT_NEAR((*d)[u].efficiency, v[at++], 1e-8)
            << "unit " << u << (o == Orientation::kInput ? " input" : " output")
            << (ret == Returns::kConstant ? " CRS" : " VRS");
        efficient += (*d)[u].efficiency > 1 - 1e-9;
      }
      EXPECT_GE(efficient, 1);
      EXPECT_LT(efficient, 25);
    }
  }
}

// --- the method file's [audit] and [efficiency] ------------------------------------------------

TEST(MethodFile, AuditAndEfficiencySectionsAreValidatedWithTheirLines) {
  const std::string base = R"(name = "t"
[pillars]
business = 1
[[indicator]]
id = "budget"
)";
  auto ok = parse_method(base + R"(
[audit]
redundant = 0.95
[efficiency]
inputs = ["budget"]
outputs = ["members", "projects_labelled"]
orientation = "output"
returns = "constant"
)",
                         "t.toml");
  ASSERT_TRUE(ok.has_value()) << ok.error().to_string();
  EXPECT_EQ(ok->audit.redundant, 0.95);
  EXPECT_EQ(ok->audit.negative, -0.4);
  EXPECT_EQ(ok->efficiency.inputs, (std::vector<std::string>{"budget"}));
  EXPECT_EQ(ok->efficiency.orientation, Orientation::kOutput);
  EXPECT_EQ(ok->efficiency.returns, Returns::kConstant);
  auto bad = parse_method(base + R"(
[audit]
redundant = 1.5
[efficiency]
inputs = ["budget", "turnover"]
outputs = ["budget"]
orientation = "sideways"
)",
                          "t.toml");
  ASSERT_FALSE(bad.has_value());
  auto find = [&](const std::string& field, const std::string& value) {
    return field_error(bad.error(), field, value);
  };
  const auto* r = find("audit.redundant", "1.5");
  ASSERT_NE(r, nullptr) << bad.error().to_string();
  EXPECT_EQ(r->line, 8);
  EXPECT_EQ(r->rule, "must be a number between 0 and 1");
  const auto* t = find("efficiency.inputs", "turnover");
  ASSERT_NE(t, nullptr) << bad.error().to_string();
  EXPECT_EQ(t->line, 10);
  EXPECT_NE(find("efficiency.outputs", "budget"), nullptr) << bad.error().to_string();
  EXPECT_NE(find("orientation", "sideways"), nullptr) << bad.error().to_string();
  // The shipped method: the defaults.
  auto d = load_method(std::string(POLES_SOURCE_DIR) + "/methods/default.toml");
  ASSERT_TRUE(d.has_value()) << d.error().to_string();
  EXPECT_EQ(d->efficiency.inputs, (std::vector<std::string>{"budget", "staff", "public_funding"}));
  EXPECT_EQ(d->efficiency.returns, Returns::kVariable);
}

}  // namespace
}  // namespace poles::evaluate
