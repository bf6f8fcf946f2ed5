#include "select/scores.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

#include "numeric/stats.h"

namespace poles::select {

using snapshot::Snapshot;

TwoWayFit fit_two_way(const std::vector<int32_t>& a, const std::vector<int32_t>& b,
                      const std::vector<double>& y, size_t na, size_t nb, int max_iterations,
                      double tolerance) {
  TwoWayFit f;
  f.a.assign(na, 0);
  f.b.assign(nb, 0);
  std::vector<double> na_count(na, 0), nb_count(nb, 0), sum(std::max(na, nb));
  for (size_t i = 0; i < y.size(); ++i)
    ++na_count[static_cast<size_t>(a[i])], ++nb_count[static_cast<size_t>(b[i])];
  for (f.iterations = 1; f.iterations <= max_iterations; ++f.iterations) {
    double change = 0;
    // a = mean over its observations of (y - b)
    std::fill(sum.begin(), sum.begin() + static_cast<std::ptrdiff_t>(na), 0.0);
    for (size_t i = 0; i < y.size(); ++i)
      sum[static_cast<size_t>(a[i])] += y[i] - f.b[static_cast<size_t>(b[i])];
    for (size_t j = 0; j < na; ++j) {
      const double v = na_count[j] > 0 ? sum[j] / na_count[j] : 0;
      change = std::max(change, std::abs(v - f.a[j]));
      f.a[j] = v;
    }
    // b = mean over its observations of (y - a)
    std::fill(sum.begin(), sum.begin() + static_cast<std::ptrdiff_t>(nb), 0.0);
    for (size_t i = 0; i < y.size(); ++i)
      sum[static_cast<size_t>(b[i])] += y[i] - f.a[static_cast<size_t>(a[i])];
    for (size_t j = 0; j < nb; ++j) {
      const double v = nb_count[j] > 0 ? sum[j] / nb_count[j] : 0;
      change = std::max(change, std::abs(v - f.b[j]));
      f.b[j] = v;
    }
    if (change < tolerance) {
      f.converged = true;
      break;
    }
  }
  f.iterations = std::min(f.iterations, max_iterations);
  // Normalise: reviewer effects with count-weighted mean zero, the level moved into a.
  double mean_b = 0, n = 0;
  for (size_t j = 0; j < nb; ++j) mean_b += nb_count[j] * f.b[j], n += nb_count[j];
  mean_b = n > 0 ? mean_b / n : 0;
  for (auto& v : f.b) v -= mean_b;
  for (auto& v : f.a) v += mean_b;
  return f;
}

namespace {

// Connected components of the proposal–reviewer graph (union–find over proposals + reviewers).
int count_components(const std::vector<int32_t>& a, const std::vector<int32_t>& b, size_t na,
                     size_t nb) {
  std::vector<size_t> parent(na + nb);
  std::iota(parent.begin(), parent.end(), size_t{0});
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (size_t i = 0; i < a.size(); ++i)
    parent[find(static_cast<size_t>(a[i]))] = find(na + static_cast<size_t>(b[i]));
  int n = 0;
  for (size_t x = 0; x < na + nb; ++x) n += find(x) == x;
  return n;
}

}  // namespace

Result<Scores> score_call(const Snapshot& s, const CallData& call, const ScoreOptions& o) {
  const auto& reviews = s.table("review");
  const auto& rp = reviews.column("proposal_id");
  const auto& rr = reviews.column("reviewer_id");
  const auto& rc = reviews.column("criterion");
  const auto& rs = reviews.column("score");
  std::map<int32_t, size_t> index;  // proposal row -> index in call.proposals
  for (size_t i = 0; i < call.proposals.size(); ++i) index[call.proposals[i]] = i;

  // Weighted score per (proposal, reviewer): Σ w·score / Σ w over the criteria it scored.
  std::map<std::pair<size_t, int32_t>, std::pair<double, double>> cell;  // -> (Σ w·score, Σ w)
  for (size_t i = 0; i < reviews.rows; ++i) {
    auto it = index.find(rp.codes[i]);
    if (it == index.end() || std::isnan(rs.reals[i])) continue;
    double w = 1;
    if (!call.criteria.empty()) {
      const auto name = rc.text(i);
      auto c = std::find_if(call.criteria.begin(), call.criteria.end(),
                            [&](const Criterion& x) { return x.name == name; });
      if (c == call.criteria.end()) {
        return Status::invalid_argument(
            fmt::format("call '{}': review of proposal '{}' by '{}' scores criterion '{}', "
                        "which the call does not list",
                        call.id, s.table("proposal").key(static_cast<size_t>(rp.codes[i])),
                        s.table("reviewer").key(static_cast<size_t>(rr.codes[i])), name));
      }
      w = c->weight;
    }
    auto& [num, den] = cell[{it->second, rr.codes[i]}];
    num += w * rs.reals[i];
    den += w;
  }

  // Dense ids for reviewed proposals and their reviewers.
  std::vector<int32_t> prop_of, rev_of;
  std::map<size_t, int32_t> prop_id;
  std::map<int32_t, int32_t> rev_id;
  std::vector<int32_t> ya, yb;
  std::vector<double> y;
  for (const auto& [key, v] : cell) {
    auto [pi, r] = key;
    auto [pit, pnew] = prop_id.try_emplace(pi, static_cast<int32_t>(prop_of.size()));
    if (pnew) prop_of.push_back(call.proposals[pi]);
    auto [rit, rnew] = rev_id.try_emplace(r, static_cast<int32_t>(rev_of.size()));
    if (rnew) rev_of.push_back(r);
    ya.push_back(pit->second);
    yb.push_back(rit->second);
    y.push_back(v.first / v.second);
  }
  Scores out;
  out.seed = o.seed;
  for (size_t i = 0; i < call.proposals.size(); ++i) {
    if (!prop_id.contains(i)) out.unreviewed.push_back(call.proposals[i]);
  }
  if (y.empty()) return out;
  const auto fit =
      fit_two_way(ya, yb, y, prop_of.size(), rev_of.size(), o.max_iterations, o.tolerance);
  if (!fit.converged) {
    return Status::not_converged(
        fmt::format("reviewer effects did not converge in {} sweeps", o.max_iterations));
  }
  out.iterations = fit.iterations;
  out.components = count_components(ya, yb, prop_of.size(), rev_of.size());
  out.grand_mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());

  // Bias-corrected scores of each proposal.
  std::vector<std::vector<double>> corrected(prop_of.size()), for_sd(prop_of.size());
  std::vector<double> raw(prop_of.size(), 0);
  std::vector<int> rev_count(rev_of.size(), 0);
  for (size_t i = 0; i < y.size(); ++i) ++rev_count[static_cast<size_t>(yb[i])];
  for (size_t i = 0; i < y.size(); ++i) {
    const auto r = static_cast<size_t>(yb[i]);
    corrected[static_cast<size_t>(ya[i])].push_back(y[i] - fit.b[r]);
    for_sd[static_cast<size_t>(ya[i])].push_back(
        rev_count[r] >= o.min_reviews_for_effect ? y[i] - fit.b[r] : y[i]);
    raw[static_cast<size_t>(ya[i])] += y[i];
  }
  std::vector<double> adjusted(prop_of.size());
  for (size_t j = 0; j < prop_of.size(); ++j) adjusted[j] = fit.a[j];
  const auto rank = numeric::ranks(adjusted);

  // Bootstrap: resample each proposal's corrected scores with replacement, rank the means.
  std::vector<std::vector<double>> boot_rank(prop_of.size());
  if (o.bootstrap > 0) {
    std::mt19937_64 g(o.seed);
    std::vector<double> draw(prop_of.size());
    for (int b = 0; b < o.bootstrap; ++b) {
      for (size_t j = 0; j < prop_of.size(); ++j) {
        const auto& c = corrected[j];
        double sum = 0;
        for (size_t t = 0; t < c.size(); ++t) sum += c[below(g, c.size())];
        draw[j] = sum / static_cast<double>(c.size());
      }
      const auto r = numeric::ranks(draw);
      for (size_t j = 0; j < prop_of.size(); ++j) boot_rank[j].push_back(r[j]);
    }
  }
  for (size_t j = 0; j < prop_of.size(); ++j) {
    const auto& c = corrected[j];
    ProposalScore ps{.proposal = prop_of[j], .reviewers = static_cast<int>(c.size())};
    ps.raw_mean = raw[j] / static_cast<double>(c.size());
    ps.adjusted = adjusted[j];
    if (const auto& d = for_sd[j]; d.size() > 1) {
      const double m = std::accumulate(d.begin(), d.end(), 0.0) / static_cast<double>(d.size());
      double ss = 0;
      for (double v : d) ss += (v - m) * (v - m);
      ps.sd = std::sqrt(ss / static_cast<double>(d.size() - 1));
    }
    ps.disagreement = ps.sd > o.disagreement_sd;
    ps.rank = rank[j];
    if (boot_rank[j].empty()) {
      ps.rank_p05 = ps.rank_median = ps.rank_p95 = rank[j];
    } else {
      ps.rank_p05 = numeric::quantile(boot_rank[j], 0.05);
      ps.rank_median = numeric::quantile(boot_rank[j], 0.5);
      ps.rank_p95 = numeric::quantile(boot_rank[j], 0.95);
    }
    out.proposals.push_back(ps);
  }
  std::sort(out.proposals.begin(), out.proposals.end(), [](const auto& x, const auto& y2) {
    return std::pair(x.rank, x.proposal) < std::pair(y2.rank, y2.proposal);
  });
  for (size_t r = 0; r < rev_of.size(); ++r)
    out.reviewers.push_back({rev_of[r], rev_count[r], fit.b[r]});
  return out;
}

}  // namespace poles::select
