// Digital diagnostics (recommendation 10): maturity by dimension, the progress of firms diagnosed
// twice or more (first against last diagnosis), and who receives aid after a diagnosis. The unit
// is a firm followed by one cluster (the organisation and the cluster that ran its diagnoses): a
// firm diagnosed by two clusters counts once for each, and one cluster's diagnoses never change
// what is computed from another's.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "snapshot/snapshot.h"

namespace poles::services {

// The overall score and the six dimensions, in the diagnostic table's order.
inline constexpr std::array<std::string_view, 7> kDimensions = {
    "score", "strategy", "customer", "operations", "data", "skills", "security"};

struct DimensionStats {
  size_t n = 0;
  double mean = 0, median = 0;
};

struct Progress {    // first -> last diagnosis of units (firm, cluster) diagnosed at least twice
  size_t firms = 0;  // units
  double mean_days = 0;
  std::array<double, 7> mean_change{};  // by dimension
  double ci_low = 0, ci_high = 0;       // 95 % interval of the mean change of the score (paired t)
  double improved_share = 0;            // share whose score rose
};

struct AidBand {     // units (firm, cluster) by the quartile of their first score
  std::string band;  // "Q1" (least mature) .. "Q4"
  double score_from = 0, score_to = 0;
  size_t firms = 0, aided = 0;  // units
  double aided_share = 0;       // aided / firms
  // Aid per firm (summed over its diagnoses): a firm aggregate, published through secrecy.
  std::vector<std::pair<int32_t, double>> aid;
};

struct ClusterMaturity {
  int32_t cluster = -1;
  size_t firms = 0;
  std::array<DimensionStats, 7> latest{};
};

struct DiagnosticsReport {
  int from_year = 0, to_year = 0;
  size_t diagnostics = 0, firms = 0;       // firms: distinct organisations diagnosed
  std::array<DimensionStats, 7> latest{};  // each unit's latest diagnosis in the period
  Progress progress;
  std::vector<AidBand> aid_by_maturity;   // Q1..Q4
  std::vector<AidBand> aid_by_size;       // tpe, pme, eti, ge, unknown (bands with firms)
  std::vector<ClusterMaturity> clusters;  // by cluster id
};

DiagnosticsReport diagnostics_report(const snapshot::Snapshot& s, int from_year, int to_year);

// The mean of one dimension over the diagnoses (every date) of the organisations of a sector (NAF
// code starting with the division), with the number of distinct organisations it covers.
struct SectorDimension {
  size_t diagnoses = 0, firms = 0;
  double mean = 0;  // NaN without diagnoses
};
// REQUIRES: dimension is one of kDimensions.
SectorDimension sector_dimension(const snapshot::Snapshot& s, std::string_view division,
                                 std::string_view dimension);

}  // namespace poles::services
