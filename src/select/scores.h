// Review scores of a call: each reviewer's weighted score of a proposal (the call's criteria and
// weights), reviewer severity removed by a two-way fixed-effects model solved by alternating
// means (score = grand mean + proposal effect + reviewer effect), disagreement flags, and a
// ranking with its uncertainty from a seeded bootstrap of each proposal's reviews.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "select/call.h"

namespace poles::select {

struct ScoreOptions {
  // Flag a proposal whose reviewers' scores have a larger SD, after removing the effect of each
  // reviewer who scored at least `min_reviews_for_effect` proposals of the call (an effect
  // estimated from fewer reviews would absorb the very disagreement we look for).
  double disagreement_sd = 1.5;
  int min_reviews_for_effect = 3;
  int bootstrap = 500;  // resamples for the rank interval (0: none)
  uint64_t seed = 1;
  int max_iterations = 10000;
  double tolerance = 1e-12;  // on the largest change of an effect between two sweeps
};

struct ProposalScore {
  int32_t proposal = -1;
  int reviewers = 0;
  double raw_mean = 0;  // mean of its reviewers' weighted scores
  double adjusted = 0;  // grand mean + proposal effect (reviewer severity removed)
  double sd = 0;        // SD of its reviewers' scores, corrected as for disagreement (0 with one)
  bool disagreement = false;
  int rank = 0;  // 1 = best adjusted score
  double rank_p05 = 0, rank_median = 0,
         rank_p95 = 0;  // bootstrap rank interval (= rank without bootstrap)
};

struct ReviewerEffect {
  int32_t reviewer = -1;
  int proposals = 0;
  double effect = 0;  // > 0: scores higher than other reviewers of the same proposals
};

struct Scores {
  std::vector<ProposalScore> proposals;   // reviewed proposals, by rank
  std::vector<ReviewerEffect> reviewers;  // reviewers with at least one review in the call
  std::vector<int32_t> unreviewed;        // proposals of the call without any review
  double grand_mean = 0;
  int iterations = 0;
  int components = 0;  // connected groups of proposals and reviewers; effects compare within each
  uint64_t seed = 0;
};

Result<Scores> score_call(const snapshot::Snapshot& s, const CallData& call,
                          const ScoreOptions& o = {});

// The two-way fixed-effects fit on its own: y[i] observed for (unit a[i], unit b[i]); returns
// the a-effects and b-effects, b-effects with (count-weighted) mean zero, a-effects including the
// grand mean. Exposed for tests against a least-squares reference.
struct TwoWayFit {
  std::vector<double> a, b;
  int iterations = 0;
  bool converged = false;
};
TwoWayFit fit_two_way(const std::vector<int32_t>& a, const std::vector<int32_t>& b,
                      const std::vector<double>& y, size_t na, size_t nb, int max_iterations,
                      double tolerance);

}  // namespace poles::select
