// Composite indicators (METHODS.md, Evaluate): the building blocks on one indicator column or on a
// units × indicators table, and the whole pipeline for one method. Missing values are NaN and are
// carried through (a unit's aggregate skips its missing components, weights renormalised).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"

namespace poles::evaluate {

// --- outliers (COINr's rule) ---------------------------------------------------------------------
// Sample skewness and excess kurtosis as e1071's type 2 (the formulas COINr uses); NaN skipped.
double skewness(std::span<const double> x);
double kurtosis(std::span<const double> x);
struct OutlierRule {
  double max_skew = 2.0, max_kurtosis = 3.5;  // treated only when both are exceeded
  int max_winsorised =
      5;  // rounds: each sets the extreme value(s) to the next one (COINr's winmax)
};
struct Treatment {
  int winsorised = 0;  // points changed (ties at the extreme change together)
  bool log = false;    // ln(x − min + 0.01·range) applied after winsorising failed
};
// Treats `x` in place.
Treatment treat_outliers(std::vector<double>& x, const OutlierRule& rule = {});

// --- normalisation -------------------------------------------------------------------------------
enum class Normalisation : uint8_t {
  kMinMax,
  kZScore,
  kRank,
  kPercentileRank,
  kDistanceToTarget,
  kDistanceToBest,
  kGoalposts
};
struct NormParams {
  double target = 0;      // distance to target: (x − min) / (target − min), capped at 1
  double lo = 0, hi = 1;  // goalposts: clamp((x − lo) / (hi − lo), 0, 1)
};
// Higher is better after normalisation (apply directions first: multiply "lower is better" by −1).
// min-max to [0, 1]; z-score with the sample SD; rank 1..n with ties at their minimum rank;
// percentile rank (rank − 1)/(n − 1); distance to the best 1 − (max − x)/(max − min).
std::vector<double> normalise(std::span<const double> x, Normalisation n, const NormParams& p = {});

// --- weights -------------------------------------------------------------------------------------
// A table: rows are units, columns indicators (row-major, NaN = missing).
struct Table {
  size_t rows = 0, cols = 0;
  std::vector<double> v;
  double at(size_t r, size_t c) const { return v[r * cols + c]; }
  double& at(size_t r, size_t c) { return v[r * cols + c]; }
  std::vector<double> column(size_t c) const;
};
// PCA-derived weights: the squared loadings of the first principal component of the correlation
// matrix (complete rows), which sum to 1. Fails with fewer complete rows than 3.
Result<std::vector<double>> pca_weights(const Table& t);
// Benefit of the doubt: for each unit u, max Σ w·y_u s.t. Σ w·y_j <= 1 for every unit j, w >= 0
// (one LP per unit; y >= 0, missing as 0). Returns each unit's score in [0, 1] and its weights.
struct BenefitOfDoubt {
  std::vector<double> score;
  std::vector<std::vector<double>> weights;
};
Result<BenefitOfDoubt> benefit_of_doubt(const Table& y);

// --- aggregation ---------------------------------------------------------------------------------
enum class Aggregation : uint8_t { kArithmetic, kGeometric, kCopeland };
// Weighted arithmetic or geometric mean of each row over its non-missing columns (weights
// renormalised; NaN when every column is missing). Geometric needs positive values (else an error
// naming the row and column).
Result<std::vector<double>> aggregate(const Table& t, std::span<const double> weights,
                                      Aggregation a);
// Copeland: e_jk = Σ_i w_i·[x_ji > x_ki] + ½·Σ_i w_i·[x_ji = x_ki] (weights summing to 1, columns
// missing for either unit dropped); score_j = Σ_k sign(e_jk − ½).
std::vector<double> copeland(const Table& t, std::span<const double> weights);

// --- the pipeline of one method
// --------------------------------------------------------------------
enum class Imputation : uint8_t { kNone, kMean, kMedian };
// Benefit of the doubt: each unit's pillar score is its own best weighting (benefit_of_doubt on
// the pillar's normalised indicators, shifted to be >= 0), in [0, 1]; the pillar aggregation is
// unused.
enum class Weighting : uint8_t { kEqual, kExpert, kPca, kBenefitOfDoubt };
struct Method {
  std::vector<int> pillar;            // pillar index of each indicator
  std::vector<int> direction;         // +1 higher is better, −1 lower is better
  std::vector<double> weight;         // expert weights of the indicators within their pillar
  std::vector<double> pillar_weight;  // weights of the pillars in the index
  std::vector<NormParams>
      norm_params;  // per indicator (targets, goalposts), in the direction's scale
  Imputation imputation = Imputation::kMean;
  bool treat_outliers = true;
  OutlierRule outliers;
  Normalisation normalisation = Normalisation::kMinMax;
  Weighting weighting = Weighting::kExpert;
  Aggregation aggregation = Aggregation::kArithmetic;
  Aggregation pillar_aggregation = Aggregation::kArithmetic;
};
struct Composite {
  Table normalised;           // units × indicators after imputation, treatment, normalisation
  Table pillars;              // units × pillars
  std::vector<double> index;  // the composite
  std::vector<int> rank;
  std::vector<Treatment> treatments;  // per indicator
  std::vector<double> weights;        // per indicator, as used
};
// The two stages of compute(), apart so that the uncertainty analysis reuses the first:
//  - prepare: directions, imputation, outlier treatment, normalisation (rescaled to [1, 2] when an
//    aggregation is geometric);
//  - combine: weights (equal, expert, PCA) and aggregation within pillars, then across pillars.
struct Prepared {
  Table normalised;
  std::vector<Treatment> treatments;
};
Status check_method(const Table& raw, const Method& m);
Prepared prepare(const Table& raw, const Method& m);
Result<Composite> combine(const Table& normalised, const Method& m,
                          std::span<const double> indicator_weights);

// Writes a raw table and its method for an independent peer (R): DIR/raw.csv (columns v0…, NA
// when missing), DIR/meta.csv (direction, weight, pillar of each indicator), DIR/pillars.csv.
Status write_for_peer(const Table& raw, const Method& m, const std::string& dir);

// Runs the method on raw data (units × indicators). Geometric aggregation works on normalised
// values shifted to [1, 2] (min-max) so that they are positive.
Result<Composite> compute(const Table& raw, const Method& m);

}  // namespace poles::evaluate
