#include "risk/portfolio.h"

#include <algorithm>
#include <cmath>

namespace poles::risk {

std::vector<Item> allocation_items(const std::vector<select::Candidate>& c,
                                   const select::Allocation& a, const select::PortfolioRules& r) {
  std::vector<Item> out;
  for (size_t i = 0; i < c.size(); ++i) {
    if (a.aid[i] <= 0) continue;
    out.push_back({c[i].proposal, select::success_at(c[i], a.aid[i], r), c[i].products});
  }
  return out;
}

std::vector<Item> decided_items(const snapshot::Snapshot& s, const select::CallData& call,
                                const std::vector<double>& success, double share_effect) {
  const auto& products = s.table("proposal").column("expected_products");
  const auto& requested = s.table("proposal").column("requested_aid");
  const auto& d = s.table("decision");
  const auto& proposal = d.column("proposal_id");
  const auto& decision = d.column("decision");
  const auto& aid = d.column("aid");
  const select::PortfolioRules rules{.min_share = call.min_funding_share};
  std::vector<Item> out;
  for (size_t r = 0; r < d.rows; ++r) {
    const int32_t p = proposal.codes[r];
    if (decision.text(r) != "funded" ||
        !std::binary_search(call.proposals.begin(), call.proposals.end(), p))
      continue;
    const auto pr = static_cast<size_t>(p);
    const double n = products.reals[pr];
    double chance = success[pr];
    if (requested.reals[pr] > 0 && !aid.is_null(r)) {
      const select::Candidate c{
          .request = requested.reals[pr], .success = chance, .share_effect = share_effect};
      chance = select::success_at(c, aid.reals[r], rules);
    }
    out.push_back({p, chance, std::isnan(n) ? 1.0 : n});
  }
  return out;
}

}  // namespace poles::risk
