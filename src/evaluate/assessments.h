// The qualitative (ESCA-style) assessments of a year: each cluster's scores on the grid's areas
// (0 absent to 4 excellent) by evaluator, with their justifications and mean, and the agreement
// between evaluators, overall and per area. A target is one (cluster, area) pair; those scored by
// two evaluators or more enter the agreement:
//  - ICC(1), the one-way intraclass correlation (MSB − MSW) / (MSB + (k − 1)·MSW), k the mean
//    number of evaluators per target; NaN with fewer than two targets;
//  - the exact agreement and the mean absolute difference over the pairs of evaluators of each
//    target; NaN without a pair.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "snapshot/snapshot.h"

namespace poles::evaluate {

struct EvaluatorScore {
  std::string evaluator;
  double score = 0;
  std::string justification;
};

struct AreaScores {
  EscaArea area = EscaArea::kStructure;
  double mean = 0;                     // of the scores below
  std::vector<EvaluatorScore> scores;  // in the order of the assessment rows
};

struct ClusterAssessment {
  int32_t cluster = -1;           // row of the cluster table
  std::vector<AreaScores> areas;  // the areas scored, in the grid's order
};

struct Agreement {
  size_t targets = 0;  // targets scored by two evaluators or more
  double icc1 = 0, exact_agreement = 0, mean_abs_difference = 0;  // NaN when undefined
};

struct AreaAgreement {
  EscaArea area = EscaArea::kStructure;
  Agreement agreement;
};

struct Assessments {
  int year = 0;
  Agreement overall;
  std::vector<AreaAgreement> areas;         // the areas scored, in the grid's order
  std::vector<ClusterAssessment> clusters;  // the clusters assessed, by row
};

Assessments assessments(const snapshot::Snapshot& s, int year);

// ICC(1) of groups of scores (one group per target); NaN with fewer than two groups.
double icc1(const std::vector<std::vector<double>>& groups);

}  // namespace poles::evaluate
