// The indicator catalogue: 43 indicators per cluster and year over six pillars (ecosystem,
// project factory, product factory, SME services, business model, employment), each with its
// formula, unit and direction (docs/indicators.md is generated from the same table).
// Indicators summing firm-level values (financing raised, member jobs, R&D staff) follow the
// primary secrecy rule per cell: with fewer than 3 firms or one firm above 85 % of the sum, the
// value is missing (NaN) — it is then imputed like any other gap, never published.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "snapshot/snapshot.h"

namespace poles::evaluate {

enum class Pillar : uint8_t { kEcosystem, kProjects, kProducts, kServices, kBusiness, kEmployment };
inline constexpr std::array<std::string_view, 6> kPillarCodes = {
    "ecosystem", "projects", "products", "services", "business", "employment"};

struct IndicatorDef {
  std::string_view id;
  Pillar pillar;
  std::string_view unit;
  Direction direction;
  std::string_view formula;     // how it is computed, in words
  bool firm_aggregate = false;  // a sum over firms, under the secrecy rule
};
std::span<const IndicatorDef> indicator_defs();
int indicator_index(std::string_view id);  // −1 when unknown

// values[y][c][i]: year from_year + y, cluster row c, indicator i (NaN when undefined).
struct Catalogue {
  int from_year = 0, to_year = 0;
  std::vector<std::vector<std::vector<double>>> values;
  // Clusters labelled in each year (cluster_label periods; every cluster when there are no labels).
  std::vector<std::vector<uint8_t>> active;
  // Whether the store records an indicator's source in a year ([year][indicator]): counts read 0
  // in years their source has no row at all (services before the first one recorded), which is
  // not a zero. Today the service and diagnostic families; every other indicator is recorded.
  std::vector<std::vector<uint8_t>> recorded;
  double at(int year, int32_t cluster, int indicator) const;
  bool records(int year, int indicator) const;
};
Catalogue catalogue(const snapshot::Snapshot& s, int from_year, int to_year);

// Markdown table of the catalogue (docs/indicators.md).
std::string indicators_markdown();

}  // namespace poles::evaluate
