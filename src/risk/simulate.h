// Innovation risk, part 2: Monte Carlo of a portfolio. Each funded project succeeds
// independently with its probability and then brings its expected products to the market; the
// draws give the distribution of products on the market, its value at risk, and the projects whose
// failure most often sits behind the bad outcomes (the most fragile).
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"

namespace poles::risk {

struct Item {
  int32_t id = -1;      // proposal (or project) row
  double success = 0;   // probability in [0, 1]
  double products = 1;  // products on the market on success
};

struct SimulationOptions {
  int draws = 100000;
  uint64_t seed = 1;
  double tail = 0.05;  // the bad outcomes: the worst `tail` share of draws
};

struct Simulation {
  int draws = 0;
  uint64_t seed = 0;
  double mean = 0, sd = 0;
  double expected = 0;               // Σ success · products (exact)
  double p05 = 0, p50 = 0, p95 = 0;  // quantiles of products on the market
  double value_at_risk = 0;          // expected − 5 % quantile: the shortfall in a bad year
  double expected_shortfall = 0;     // expected − mean of the worst `tail` draws
  double probability_zero = 0;       // no product at all
  std::vector<std::pair<double, int>> histogram;  // (products, draws) for each value drawn
  struct Fragility {
    int32_t id = -1;
    double success = 0;
    double failure_in_tail = 0;  // share of tail draws in which it failed
    double lift = 0;             // failure_in_tail − (1 − success)
  };
  std::vector<Fragility> fragile;  // every item, most fragile first (by lift)
};

Result<Simulation> simulate(const std::vector<Item>& items, const SimulationOptions& o = {});

}  // namespace poles::risk
