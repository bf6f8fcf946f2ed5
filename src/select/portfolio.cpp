#include "select/portfolio.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "numeric/milp.h"

namespace poles::select {

using numeric::kInf;
using numeric::Milp;

using snapshot::Snapshot;

Result<Allocation> optimise_portfolio(const std::vector<Candidate>& c, const PortfolioRules& r) {
  if (!(r.budget >= 0))
    return Status::invalid_argument(fmt::format("budget {} is negative", r.budget));
  if (r.min_share < 0 || r.min_share > 1)
    return Status::invalid_argument(fmt::format("minimum share {} is not in [0, 1]", r.min_share));
  for (const auto& x : c) {
    if (!(x.request > 0) || !(x.value >= 0)) {
      return Status::invalid_argument(fmt::format(
          "proposal {}: request {} and value {} must be positive", x.proposal, x.request, x.value));
    }
  }
  Milp m;
  m.maximise();
  const size_t n = c.size();
  std::vector<int> x(n), f(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = m.add_column(0, 0, 1, true);
    f[i] = m.add_column(c[i].value, 0, 1, false);
    // min_share · x <= f <= x
    m.add_row({f[i], x[i]}, {1.0, -r.min_share}, 0, kInf);
    m.add_row({f[i], x[i]}, {1.0, -1.0}, -kInf, 0);
  }
  // Aid terms: request · f.
  auto aid_row = [&](auto&& keep, double share_of_total, double lower, double upper) {
    std::vector<int> cols;
    std::vector<double> coefs;
    for (size_t i = 0; i < n; ++i) {
      const double coef = (keep(i) ? c[i].request : 0.0) - share_of_total * c[i].request;
      if (coef != 0) cols.push_back(f[i]), coefs.push_back(coef);
    }
    if (!cols.empty()) m.add_row(cols, coefs, lower, upper);
  };
  aid_row([](size_t) { return true; }, 0, -kInf, r.budget);
  if (r.cap_per_cluster > 0) {
    std::set<int32_t> clusters;
    for (const auto& x2 : c) {
      if (x2.cluster >= 0) clusters.insert(x2.cluster);
    }
    for (const int32_t cl : clusters)
      aid_row([&](size_t i) { return c[i].cluster == cl; }, 0, -kInf, r.cap_per_cluster);
  }
  if (r.min_sme_share > 0) aid_row([&](size_t i) { return c[i].sme; }, r.min_sme_share, 0, kInf);
  if (r.max_theme_share > 0) {
    std::set<int32_t> themes;
    for (const auto& x2 : c) {
      if (x2.theme >= 0) themes.insert(x2.theme);
    }
    for (const int32_t t : themes)
      aid_row([&](size_t i) { return c[i].theme == t; }, r.max_theme_share, -kInf, 0);
  }
  POLES_ASSIGN_OR_RETURN(auto sol, m.solve(r.time_limit_seconds));
  Allocation a;
  a.aid.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const bool funded = sol.x[static_cast<size_t>(x[i])] > 0.5;
    double share = funded ? std::clamp(sol.x[static_cast<size_t>(f[i])], r.min_share, 1.0) : 0.0;
    if (share < 1e-9) share = 0;  // funded at a zero minimum share with nothing: not funded
    a.aid[i] = share * c[i].request;
    a.value += c[i].value * share;
  }
  a.optimal = sol.optimal;
  return a;
}

Allocation sprinkle(const std::vector<Candidate>& c, const PortfolioRules& r) {
  double requested = 0;
  for (const auto& x : c) requested += x.request;
  const double share = requested > 0 ? std::min(1.0, r.budget / requested) : 0;
  Allocation a;
  a.optimal = false;
  for (const auto& x : c) {
    a.aid.push_back(x.request * share);
    a.value += x.value * share;
  }
  return a;
}

AllocationStats describe(const std::vector<Candidate>& c, const PortfolioRules& r,
                         const Allocation& a) {
  AllocationStats st;
  st.value = a.value;
  std::vector<double> funded;
  double sme = 0, shares = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    if (a.aid[i] <= 0) continue;
    funded.push_back(a.aid[i]);
    st.total += a.aid[i];
    if (c[i].sme) sme += a.aid[i];
    shares += a.aid[i] / c[i].request;
    st.expected_products += c[i].products * success_at(c[i], a.aid[i], r);
  }
  st.funded = static_cast<int>(funded.size());
  if (!funded.empty()) {
    st.mean = st.total / static_cast<double>(funded.size());
    std::vector<double> sorted = funded;
    std::sort(sorted.begin(), sorted.end());
    const size_t h = sorted.size() / 2;
    st.median = sorted.size() % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
    st.mean_share = shares / static_cast<double>(funded.size());
    for (double v : funded) st.hhi += (v / st.total) * (v / st.total);
    st.sme_share = sme / st.total;
  }
  // Gini and Lorenz over every candidate, ascending aid.
  std::vector<double> all = a.aid;
  std::sort(all.begin(), all.end());
  const auto n = static_cast<double>(all.size());
  st.lorenz.emplace_back(0, 0);
  double cum = 0, weighted = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    cum += all[i];
    weighted += static_cast<double>(i + 1) * all[i];
    st.lorenz.emplace_back(static_cast<double>(i + 1) / n, st.total > 0 ? cum / st.total : 0);
  }
  if (st.total > 0 && n > 0) st.gini = 2 * weighted / (n * st.total) - (n + 1) / n;
  return st;
}

double funding_factor(const Candidate& c, double aid, const PortfolioRules& r) {
  const double m = r.min_share > 0 ? r.min_share : 0.5;
  return std::min(1.0, aid / c.request / m);
}

double success_at(const Candidate& c, double aid, const PortfolioRules& r) {
  if (!(aid > 0)) return 0;  // not funded: no success to expect from this money
  if (std::isnan(c.share_effect) || !(c.success > 0 && c.success < 1))
    return c.success * funding_factor(c, aid, r);
  const double f = std::min(1.0, aid / c.request);
  const double eta = std::log(c.success / (1 - c.success)) + c.share_effect * (f - 1);
  return 1 / (1 + std::exp(-eta));
}

std::vector<CallDecision> call_decisions(const CallData& call, const std::vector<Candidate>& c,
                                         const Allocation& a) {
  std::map<int32_t, double> aid;
  for (size_t i = 0; i < c.size(); ++i) aid[c[i].proposal] = a.aid[i];
  std::vector<CallDecision> out;
  out.reserve(call.proposals.size());
  for (int32_t p : call.proposals) {
    auto it = aid.find(p);
    out.push_back({p, it == aid.end() ? 0.0 : std::round(it->second)});
  }
  return out;
}

PortfolioRules call_rules(const CallData& call) {
  return {.budget = call.budget,
          .min_share = call.min_funding_share,
          .cap_per_cluster = call.cap_per_cluster,
          .min_sme_share = call.min_sme_share};
}

std::vector<Candidate> call_candidates(const Snapshot& s, const Scores& scores,
                                       const CandidateOptions& o,
                                       std::vector<std::string>* theme_names) {
  const ProposalColumns cols(s);
  std::map<std::string, int32_t> theme_index;
  std::vector<Candidate> out;
  for (const auto& ps : scores.proposals) {
    if (ps.adjusted < o.min_score) continue;
    const auto p = static_cast<size_t>(ps.proposal);
    Candidate c{.proposal = ps.proposal, .request = cols.requested_aid.reals[p]};
    if (!(c.request > 0)) continue;
    c.value = std::max(0.0, ps.adjusted);
    c.cluster = cols.cluster.codes[p];
    c.sme = cols.sme_led(ps.proposal);
    const auto themes = split_list(cols.themes.text(p));
    if (!themes.empty()) {
      auto [it, fresh] =
          theme_index.try_emplace(themes.front(), static_cast<int32_t>(theme_index.size()));
      if (fresh && theme_names) theme_names->push_back(themes.front());
      c.theme = it->second;
    }
    if (!o.success.empty()) c.success = o.success[p];
    c.share_effect = o.share_effect;
    const double products = cols.expected_products.reals[p];
    c.products = std::isnan(products) ? 1.0 : products;
    out.push_back(c);
  }
  return out;
}

}  // namespace poles::select
