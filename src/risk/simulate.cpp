#include "risk/simulate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

namespace poles::risk {

Result<Simulation> simulate(const std::vector<Item>& items, const SimulationOptions& o) {
  if (o.draws < 1)
    return Status::invalid_argument(fmt::format("draws must be at least 1, not {}", o.draws));
  if (!(o.tail > 0 && o.tail < 1))
    return Status::invalid_argument(fmt::format("tail {} is not in (0, 1)", o.tail));
  for (const auto& it : items) {
    if (!(it.success >= 0 && it.success <= 1))
      return Status::invalid_argument(
          fmt::format("item {}: success {} is not a probability", it.id, it.success));
    if (!(it.products >= 0))
      return Status::invalid_argument(
          fmt::format("item {}: products {} is negative", it.id, it.products));
  }
  const size_t n = items.size();
  const auto D = static_cast<size_t>(o.draws);
  Simulation s;
  s.draws = o.draws;
  s.seed = o.seed;
  // Integer thresholds on the 53 high bits: success when the draw is below p·2^53.
  std::vector<uint64_t> threshold(n);
  for (size_t i = 0; i < n; ++i)
    threshold[i] = static_cast<uint64_t>(std::ldexp(items[i].success, 53));
  std::mt19937_64 g(o.seed);
  std::vector<double> total(D);
  std::vector<uint8_t> failed(D * n);  // failures, kept to attribute the tail
  for (size_t d = 0; d < D; ++d) {
    double t = 0;
    uint8_t* f = failed.data() + d * n;
    for (size_t i = 0; i < n; ++i) {
      const bool ok = (g() >> 11) < threshold[i];
      f[i] = !ok;
      if (ok) t += items[i].products;
    }
    total[d] = t;
  }
  for (const auto& it : items) s.expected += it.success * it.products;
  s.mean = std::accumulate(total.begin(), total.end(), 0.0) / static_cast<double>(D);
  double ss = 0;
  for (double t : total) ss += (t - s.mean) * (t - s.mean);
  s.sd = D > 1 ? std::sqrt(ss / static_cast<double>(D - 1)) : 0;
  std::vector<size_t> order(D);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return total[a] < total[b]; });
  auto q = [&](double p) {
    return total[order[std::min(D - 1,
                                static_cast<size_t>(std::floor(p * static_cast<double>(D))))]];
  };
  s.p05 = q(0.05);
  s.p50 = q(0.5);
  s.p95 = q(0.95);
  s.value_at_risk = s.expected - s.p05;
  const size_t tail =
      std::max<size_t>(1, static_cast<size_t>(std::floor(o.tail * static_cast<double>(D))));
  double tail_sum = 0;
  std::vector<double> tail_fail(n, 0);
  for (size_t k = 0; k < tail; ++k) {
    tail_sum += total[order[k]];
    const uint8_t* f = failed.data() + order[k] * n;
    for (size_t i = 0; i < n; ++i) tail_fail[i] += f[i];
  }
  s.expected_shortfall = s.expected - tail_sum / static_cast<double>(tail);
  s.probability_zero =
      static_cast<double>(std::count(total.begin(), total.end(), 0.0)) / static_cast<double>(D);
  std::map<double, int> hist;
  for (double t : total) ++hist[t];
  s.histogram.assign(hist.begin(), hist.end());
  for (size_t i = 0; i < n; ++i) {
    Simulation::Fragility fr{.id = items[i].id, .success = items[i].success};
    fr.failure_in_tail = tail_fail[i] / static_cast<double>(tail);
    fr.lift = fr.failure_in_tail - (1 - items[i].success);
    s.fragile.push_back(fr);
  }
  std::stable_sort(s.fragile.begin(), s.fragile.end(),
                   [](const auto& a, const auto& b) { return a.lift > b.lift; });
  return s;
}

}  // namespace poles::risk
