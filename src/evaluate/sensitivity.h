// Uncertainty and sensitivity of a composite (METHODS.md, Evaluate; COINr's get_sensitivity):
//  - uncertainty: Monte Carlo over the method's choices (normalisation, aggregation, imputation,
//    outlier treatment, noise on the weights) → each unit's median rank and 5–95 % rank interval;
//  - sensitivity: Sobol indices by Saltelli's design, N·(d + 2) runs: first order
//    S_i = mean(y_B (y_ABi − y_A)) / V and total S_Ti = Σ (y_A − y_ABi)² / (2 N V), V the variance
//    of [y_A, y_B]. Every draw comes from a seeded generator.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "evaluate/composite.h"

namespace poles::evaluate {

struct SobolIndices {
  std::vector<double> first, total;
  double variance = 0;
  size_t runs = 0;
};
// f maps a point of [0, 1]^d to the output.
SobolIndices sobol(const std::function<double(const std::vector<double>&)>& f, size_t d, size_t n,
                   uint64_t seed);

// The alternatives the uncertainty analysis draws from (each uniformly), and the weight noise:
// w' = w·(1 + U(−noise, noise)).
struct Alternatives {
  std::vector<Normalisation> normalisations = {Normalisation::kMinMax, Normalisation::kZScore,
                                               Normalisation::kPercentileRank};
  std::vector<Aggregation> aggregations = {Aggregation::kArithmetic, Aggregation::kGeometric};
  std::vector<Imputation> imputations = {Imputation::kMean, Imputation::kMedian};
  std::vector<bool> outlier_treatment = {true, false};
  double weight_noise = 0.25;
};
inline constexpr std::array<const char*, 5> kUncertainInputs = {
    "normalisation", "aggregation", "imputation", "outliers", "weights"};

struct RankInterval {
  int nominal = 0;
  double median = 0, p05 = 0, p95 = 0, mean = 0;
};
struct Uncertainty {
  std::vector<RankInterval> units;
  size_t draws = 0;
  uint64_t seed = 0;
};
Result<Uncertainty> uncertainty(const Table& raw, const Method& nominal, const Alternatives& alt,
                                size_t draws, uint64_t seed);

// Sobol indices of the inputs kUncertainInputs on the mean absolute rank shift from the nominal
// ranks.
Result<SobolIndices> composite_sensitivity(const Table& raw, const Method& nominal,
                                           const Alternatives& alt, size_t n, uint64_t seed);

}  // namespace poles::evaluate
