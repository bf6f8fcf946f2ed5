// The statistical audit of a composite indicator, as the JRC's audits and COINr make it
// (OECD/JRC Handbook, step 7; Saisana, Saltelli & Tarantola 2005; Paruolo, Saisana & Saltelli
// 2013): does each pillar measure one thing, does each indicator count as much as its weight says?
//  - correlations (Pearson, pairwise complete) between the normalised indicators, between each
//    indicator and its pillar and the index, between pillars and with the index;
//  - per pillar: Cronbach's α (raw, from covariances, and standardised, from the mean
//    correlation — psych::alpha's raw_alpha and std.alpha), PCA of the correlation matrix
//    (eigenvalues, share of variance, loadings of the components with an eigenvalue >= 1 —
//    psych::principal with rotate = "none": eigenvectors × √eigenvalue, each component's sign
//    chosen so that its loadings sum to a positive number); both on the pillar's complete rows,
//    constant indicators left out;
//  - flags: two indicators of a pillar correlated above `redundant` (they say the same thing) or
//    below `negative` (they pull apart), an indicator negatively correlated (r < 0) with its own
//    pillar's score (it runs against the pillar), a constant indicator, a pillar whose α is below
//    `min_alpha`;
//  - effective weights: an indicator's squared correlation with the index over the sum of all
//    indicators' (the first-order effect of a linear index), against its nominal weight (its
//    weight in its pillar × the pillar's weight); flagged when below half or above twice it.
#pragma once

#include <string>
#include <vector>

#include "evaluate/composite.h"

namespace poles::evaluate {

struct AuditThresholds {
  double redundant = 0.9;   // r above: a redundant pair (COINr's get_corr_flags default)
  double negative = -0.4;   // r below: negative correlation within a pillar
  double min_alpha = 0.7;   // α below: the pillar's indicators do not measure one thing
  double weight_ratio = 2;  // effective weight below nominal / 2 or above nominal × 2
};

struct PillarAudit {
  int pillar = 0;                  // index in the method's pillars
  std::vector<size_t> indicators;  // columns of the indicators kept (not constant)
  size_t units = 0;                // complete rows
  double alpha = 0, std_alpha = 0, mean_correlation = 0;  // NaN with fewer than 2 indicators
  std::vector<double> eigenvalues;                        // descending
  std::vector<double> variance_share;                     // eigenvalue / number of indicators
  size_t retained = 0;                                    // components with eigenvalue >= 1 (>= 1)
  std::vector<std::vector<double>> loadings;              // [component][indicator kept]
};

struct AuditFlag {
  std::string kind;  // redundant | negative | negative_with_pillar | constant | low_alpha |
                     // low_influence | dominant
  int pillar = -1;
  int a = -1, b = -1;  // indicator columns (b: the other of a pair)
  double value = 0;    // r, α or effective / nominal weight
};

struct Audit {
  size_t units = 0;
  Table correlation;                // indicators × indicators (NaN where undefined)
  std::vector<double> with_pillar;  // each indicator with its pillar's score
  std::vector<double> with_index;   // each indicator with the index
  Table pillar_correlation;         // pillars × pillars
  std::vector<double> pillar_with_index;
  std::vector<double> nominal_weight;    // in the index, summing to 1
  std::vector<double> effective_weight;  // r² with the index, normalised to sum to 1
  std::vector<PillarAudit> pillars;
  std::vector<AuditFlag> flags;
};

// Pearson's r over the pairs where both are known; NaN with fewer than 3 pairs or a constant side.
double correlation(std::span<const double> x, std::span<const double> y);
// Cronbach's α of a units × items table without missing values: {raw, standardised, mean r}.
struct Alpha {
  double raw = 0, standardised = 0, mean_r = 0;
};
Alpha cronbach_alpha(const Table& items);

// The audit of composite `c` computed with method `m` (c.normalised, c.pillars, c.index).
Audit audit(const Composite& c, const Method& m, const AuditThresholds& t = {});

}  // namespace poles::evaluate
