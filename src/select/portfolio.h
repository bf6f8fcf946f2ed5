// Funding portfolio of a call (CBC): maximise the value funded under the budget, every funded
// proposal getting at least the call's minimum share of its request (no *saupoudrage*), at most
// the cap per cluster, at least the minimum share of the aid to SME-led proposals and, optionally,
// at most a share of the aid per theme. A proposal funded at share f of its request brings f of its
// value. Compared with the proportional "sprinkling" of the same budget over the same proposals.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/status.h"
#include "select/call.h"
#include "select/scores.h"

namespace poles::select {

struct Candidate {
  int32_t proposal = -1;  // proposal row (or any id, for tests)
  double request = 0;     // requested aid, euros (> 0)
  double value = 0;       // value of funding it in full (>= 0)
  int32_t cluster = -1;   // labelling cluster row, -1 when none
  bool sme = false;       // SME-led
  int32_t theme = -1;     // theme index, -1 when none
  double success = 1;     // probability that it reaches the market funded in full (risk model), 1
                          // when unknown
  double products = 0;    // products and services expected on success
  // The risk model's effect of the funded share on the logit of success (per unit of share); NaN
  // when the model has none, and then the rule of `funding_factor` stands in for it.
  double share_effect = std::numeric_limits<double>::quiet_NaN();
};

struct PortfolioRules {
  double budget = 0;
  double min_share = 0;        // a funded proposal gets at least this share of its request
  double cap_per_cluster = 0;  // euros; 0: none
  double min_sme_share = 0;    // of the aid granted
  double max_theme_share = 0;  // of the aid granted, per theme; 0: none
  double time_limit_seconds = 60;
};

struct Allocation {
  std::vector<double> aid;  // per candidate, euros
  double value = 0;         // Σ value · aid / request
  bool optimal = false;
};

struct AllocationStats {
  int funded = 0;
  double total = 0, mean = 0, median = 0;  // of the funded proposals' aid
  double mean_share = 0;                   // mean funded share of the request, over funded
  double gini = 0;  // of aid over all candidates (zeros included): 0 equal, → 1 concentrated
  double hhi = 0;   // Σ (aid_i / total)² over funded proposals
  double sme_share = 0;
  double value = 0;
  double expected_products = 0;                   // Σ products · success_at(aid)
  std::vector<std::pair<double, double>> lorenz;  // (share of candidates, share of aid), from (0,0)
};

// Optimal allocation. Rules that cannot be met (e.g. a minimum SME share with no SME-led
// candidate but a positive budget spent) make the program infeasible: kInvalidArgument.
Result<Allocation> optimise_portfolio(const std::vector<Candidate>& c, const PortfolioRules& r);
// The same budget spread over every candidate in proportion to its request (capped at it).
Allocation sprinkle(const std::vector<Candidate>& c, const PortfolioRules& r);
AllocationStats describe(const std::vector<Candidate>& c, const PortfolioRules& r,
                         const Allocation& a);

// Under-funded projects succeed less: what funding `aid` keeps of a candidate's chance of success,
// min(1, f / m) for the funded share f = aid / request and m the rules' minimum share (0.5 when
// they set none) — a stated rule, used when the risk model has no funded share to learn from.
double funding_factor(const Candidate& c, double aid, const PortfolioRules& r);
// A candidate's probability of success when it gets `aid`: the risk model's, at the funded share
// f = min(1, aid / request), logistic(logit(success) + share_effect · (f − 1)), when the model has
// the share; else success · funding_factor. The same model for every allocation compared.
double success_at(const Candidate& c, double aid, const PortfolioRules& r);

// The decisions an allocation makes for a call: every proposal of the call (ascending rows) with
// its aid rounded to the euro; 0 when rejected (not a candidate, or given nothing).
struct CallDecision {
  int32_t proposal = -1;
  double aid = 0;
};
std::vector<CallDecision> call_decisions(const CallData& call, const std::vector<Candidate>& c,
                                         const Allocation& a);

// The call's proposals as candidates: value = adjusted review score (raw mean when the proposal
// has no review it is left out), SME lead, cluster, first theme; proposals scoring below
// `min_score` are left out. `success` per proposal row when a risk model gave it (else 1).
struct CandidateOptions {
  double min_score = 0;
  std::vector<double> success;  // indexed by proposal row; empty: 1
  double share_effect = std::numeric_limits<double>::quiet_NaN();  // see Candidate
};
std::vector<Candidate> call_candidates(const snapshot::Snapshot& s, const Scores& scores,
                                       const CandidateOptions& o,
                                       std::vector<std::string>* theme_names = nullptr);
PortfolioRules call_rules(const CallData& call);

}  // namespace poles::select
