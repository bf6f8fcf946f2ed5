// OLS with any number of high-dimensional fixed effects, as fixest's feols: the fixed effects are
// projected out of every variable (alternating projections in the space of fixed-effect
// coefficients, with Irons–Tuck acceleration; preconditioned conjugate gradient on the normal
// equations of the fixed effects when the projections stall on a hard graph), singletons are
// removed first (as reghdfe), and the variance is iid, heteroskedasticity-robust, or clustered one
// or two ways with fixest's small-sample conventions.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "impact/frame.h"
#include "impact/interval.h"

namespace poles::impact {

struct FixedEffect {
  std::string name;
  std::vector<int32_t> code;  // one per row, in [0, levels)
  int32_t levels = 0;
};

enum class Demeaner { kAuto, kProjections, kConjugateGradient };

struct DemeanOptions {
  double tolerance = 1e-8;  // on the fixed-effect coefficients, relative: |Δa| / (0.1 + |a|)
  int max_iterations = 10000;
  Demeaner algorithm = Demeaner::kAuto;
  // kAuto: iterations of projections before switching to CG, with two fixed effects and with
  // more (where worker–firm-like graphs make the projections crawl).
  int projection_budget = 300, projection_budget_3fe = 20;
  int threads = 2;  // columns demeaned in parallel
};

struct DemeanReport {
  int iterations = 0;  // largest over the columns
  bool converged = true;
  bool used_cg = false;
};

// A column of a frame as a fixed effect or a cluster variable: its codes (Frame::codes), named
// after the column; rows where it is missing get the code -1 (feols drops them).
Result<FixedEffect> fixed_effect(const Frame& frame, std::string_view column);

// Removes the fixed effects from each column in place (weights may be empty).
Result<DemeanReport> demean(const std::vector<FixedEffect>& fe, const std::vector<double>& weights,
                            std::vector<std::vector<double>*> columns,
                            const DemeanOptions& options = {});

// Rows that belong to a level seen once in some fixed effect, removed repeatedly until none is
// left (a singleton's fixed effect fits it exactly and says nothing about the slopes).
std::vector<char> non_singletons(const std::vector<FixedEffect>& fe, size_t rows);

// Number of free fixed-effect coefficients: the sum of the levels minus one per connected
// component of the first two fixed effects, minus one for each further fixed effect.
int64_t fixed_effect_parameters(const std::vector<FixedEffect>& fe);

enum class VcovKind { kIid, kHetero, kCluster };
// How the fixed effects count in K for the clustered (n - 1) / (n - K), as fixest's
// ssc(fixef.K): kNested (fixest's default, as reghdfe and xtreg) leaves out those nested in a
// cluster variable, K at least the regressors + 1 (the intercept they absorb); kFull counts them
// all, as Stata's areg, lm with dummies and estimatr's lm_robust(se_type = "stata"); kNone
// counts the regressors only; kDimensions counts one per fixed effect not nested in a cluster,
// K at least the regressors + 1 (lfe's felm, as fixest's comparisons show it).
enum class FixedEffectCount { kNested, kFull, kNone, kDimensions };

// The variance's small-sample conventions (fixest's ssc()).
struct VcovSpec {
  VcovKind kind = VcovKind::kIid;
  std::vector<FixedEffect> clusters;  // one or two (kCluster); codes on the same rows as the data
  bool adjust = true;                 // (n - 1) / (n - K), K as fixef_k says
  bool cluster_adjust = true;         // G / (G - 1)
  FixedEffectCount fixef_k = FixedEffectCount::kNested;
  // Two-way: one G_min / (G_min - 1) for the whole (true, fixest's "min"), or each sandwich
  // matrix by its own G (false, "conventional": lfe).
  bool cluster_df_min = true;
  // The t tests' degrees of freedom: clustered, G_min - 1 (kMin, fixest's default) or n - K
  // (kConventional), and n - K without clusters in both cases; or the normal law (kNormal: z
  // tests, df_t infinite).
  enum class TDf : uint8_t { kMin, kConventional, kNormal } t_df = TDf::kMin;
};

struct OlsInput {
  std::string y_name;
  std::vector<double> y;
  std::vector<std::string> x_names;
  std::vector<std::vector<double>> x;  // columns
  std::vector<FixedEffect> fe;         // none: an intercept is estimated
  std::vector<double> weights;         // empty: unweighted
  VcovSpec vcov;
  bool drop_singletons = true;
  DemeanOptions demean;
};

struct OlsResult {
  std::vector<std::string> names;  // estimated coefficients (collinear ones are dropped)
  std::vector<std::string> collinear;
  Eigen::VectorXd coef, se, t, p;
  Eigen::MatrixXd vcov;
  int64_t n = 0, singletons = 0, missing = 0;
  int64_t k = 0, fe_parameters = 0, clusters = 0;  // clusters: G used in the adjustment
  double df_t = 0;                                 // degrees of freedom of the t tests
  double rmse = 0, r2 = 0, adj_r2 = 0, within_r2 = 0, ssr = 0;
  std::vector<double> residuals;  // on the estimation rows
  std::vector<char> used;         // rows of the input used in the estimation
  DemeanReport demeaning;
};

// Rows with a missing (NaN) value or a negative fixed-effect code are dropped first.
Result<OlsResult> feols(OlsInput input);

// The pointwise (1 - alpha) intervals of the coefficients of `r`, in the order of `r.names`
// (Student critical value with r.df_t degrees of freedom).
std::vector<Interval> coefficient_intervals(const OlsResult& r, double alpha = 0.05);

// Wald test that the coefficients at `which` are jointly zero: statistic, degrees of freedom and
// the chi-square p-value (the F form divides the statistic by the degrees of freedom).
struct Wald {
  double stat = 0, p = 1, f = 0, p_f = 1;
  int df = 0;
  // The tested coefficients' covariance is numerically singular (reciprocal condition number at
  // most the machine epsilon, as R's did checks with rcond()): no statistic, no p-value.
  bool singular = false;
  double rcond = 1;
};
// The reciprocal condition number of a square matrix in the 1-norm, 1 / (‖V‖₁ ‖V⁻¹‖₁), as R's
// rcond() (LAPACK estimates it; this computes it); 0 when V is not invertible.
double reciprocal_condition(const Eigen::MatrixXd& v);
// True when a covariance is too ill-conditioned to invert for a test (R's did: rcond ≤ eps).
inline bool ill_conditioned(double rcond) {
  return !(rcond > std::numeric_limits<double>::epsilon());
}
Wald wald_test(const Eigen::VectorXd& coef, const Eigen::MatrixXd& vcov,
               const std::vector<int>& which, double df_denominator);

}  // namespace poles::impact
