// Statistical secrecy, the one primitive: INSEE's primary rule for a cell that sums figures of
// firms (METHODS.md, *secret statistique*). A cell is published only when it covers at least
// `min_firms` distinct firms and no firm holds more than `max_share` of its absolute value.
// Every publisher of firm figures — tables, indicators, trends, services, sector sheets, impact
// estimates — decides with these functions, so the rule is written once.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace poles::secrecy {

struct Rule {
  int min_firms = 3;
  double max_share = 0.85;  // of the cell's absolute value held by its largest contributor
  // The protection interval of a masked (primary) cell: the attacker's interval must reach
  // value·(1 ± protection) on both sides (secrecy/linked.h, docs/secrecy.md).
  double protection = 0.15;
};

enum class Verdict : uint8_t {
  kPublish,
  kTooFewFirms,  // fewer than min_firms firms
  kDominated,    // one firm holds more than max_share of the absolute value
};
std::string_view verdict_name(Verdict v);  // "publish", "too_few_firms", "dominated"

// The verdict for a cell of `firms` distinct firms whose absolute contributions add up to
// `abs_total`, the largest being `largest` (each firm's contributions summed first).
Verdict primary(size_t firms, double abs_total, double largest, const Rule& rule = {});
inline bool publishable(size_t firms, double abs_total, double largest, const Rule& rule = {}) {
  return primary(firms, abs_total, largest, rule) == Verdict::kPublish;
}

// The contributions of firms to one cell, summed by firm.
template <class FirmId>
class Cell {
 public:
  void add(const FirmId& firm, double value) { by_firm_[firm] += value; }
  size_t firms() const { return by_firm_.size(); }
  double sum() const {
    double s = 0;
    for (const auto& [f, v] : by_firm_) s += v;
    return s;
  }
  Verdict verdict(const Rule& rule = {}) const {
    double abs_total = 0, largest = 0;
    for (const auto& [f, v] : by_firm_) {
      abs_total += std::fabs(v);
      largest = std::max(largest, std::fabs(v));
    }
    return primary(by_firm_.size(), abs_total, largest, rule);
  }

 private:
  std::unordered_map<FirmId, double> by_firm_;
};

}  // namespace poles::secrecy
