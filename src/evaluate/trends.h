// A cluster's indicators over a span of years against its peers: for every indicator of the
// catalogue (indicator_defs() order), the cluster's value each year and the median of its peers'
// values that year. Peers are the other clusters of the same declared scale (national /
// regional) labelled that year; a peer without a value that year is left out of the median,
// which is NaN when fewer than three peers have one (the median of one or two clusters would
// give their figures).
#pragma once

#include <cstdint>
#include <vector>

#include "snapshot/snapshot.h"

namespace poles::evaluate {

struct IndicatorTrend {
  std::vector<double> values;       // one per year, from_year first (NaN when undefined)
  std::vector<double> peer_median;  // one per year (NaN when fewer than 3 peers have a value)
};

struct ClusterTrends {
  int from_year = 0, to_year = 0;
  std::vector<IndicatorTrend> indicators;  // in indicator_defs() order
};

// REQUIRES: `cluster` a row of the cluster table; from_year <= to_year.
ClusterTrends cluster_trends(const snapshot::Snapshot& s, int32_t cluster, int from_year,
                             int to_year);

}  // namespace poles::evaluate
