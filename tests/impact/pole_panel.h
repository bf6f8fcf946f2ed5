// A staggered panel of firms in pôles with pôle-level shocks, shared by the clustered-DiD tests
// (did_test.cpp, and the Monte Carlo of did_coverage_test.cpp).
#pragma once

#include <random>
#include <vector>

#include "impact/did.h"

namespace poles::impact {

// A staggered panel of firms in 60 pôles of 5 to 34 firms, treated pôle by pôle (15 pôles in
// period 3, 15 in period 5, 30 never), and 300 firms in no pôle (never treated); the outcome of a
// pôle's firms carries a shock of the pôle and period (sd 0.5) beside the firm's own noise (sd
// 1): they are not independent. The ATT is 1 everywhere.
inline DidData pole_shocked_panel(std::mt19937_64& rng) {
  std::normal_distribution<double> noise(0, 1), shock(0, 0.5), level(0, 1);
  DidData d;
  constexpr int kPoles = 60, kPeriods = 6;
  int64_t unit = 0;
  const auto add_firm = [&](int g, int64_t cluster, const std::vector<double>& pole_shock) {
    const double a = level(rng);
    for (int t = 1; t <= kPeriods; ++t) {
      d.unit.push_back(unit);
      d.time.push_back(t);
      d.group.push_back(g);
      d.cluster.push_back(cluster);
      d.y.push_back(a + 0.2 * t + pole_shock[static_cast<size_t>(t - 1)] +
                    (g > 0 && t >= g ? 1.0 : 0.0) + noise(rng));
    }
    ++unit;
  };
  for (int p = 0; p < kPoles; ++p) {
    const int g = p < 15 ? 3 : p < 30 ? 5 : 0;
    std::vector<double> pole_shock(kPeriods);
    for (auto& s : pole_shock) s = shock(rng);
    for (int f = 0; f < 5 + (p * 7) % 30; ++f) add_firm(g, p, pole_shock);
  }
  const std::vector<double> none(kPeriods, 0.0);
  for (int f = 0; f < 300; ++f) add_firm(0, -1, none);
  return d;
}

}  // namespace poles::impact
