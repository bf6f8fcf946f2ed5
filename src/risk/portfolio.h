// Innovation risk, part 3: the items of a portfolio's Monte Carlo (simulate.h), from what the
// selection engine decided or would decide. A project funded below its request succeeds less, as
// the success model learnt from ended projects (select::success_at); a project without expected
// products brings one.
#pragma once

#include <vector>

#include "risk/simulate.h"
#include "select/call.h"
#include "select/portfolio.h"
#include "snapshot/snapshot.h"

namespace poles::risk {

// Every candidate `a` funds (aid > 0): its success probability at the aid it gets, and its
// expected products. Item ids are the candidates' proposal rows.
std::vector<Item> allocation_items(const std::vector<select::Candidate>& c,
                                   const select::Allocation& a, const select::PortfolioRules& r);

// The call's proposals recorded as funded in the decision table, with `success` (per proposal
// row, from proposal_success) at the aid decided (the request when the decision gives none), and
// their expected products. `share_effect` as select::Candidate's.
std::vector<Item> decided_items(const snapshot::Snapshot& s, const select::CallData& call,
                                const std::vector<double>& success, double share_effect);

}  // namespace poles::risk
