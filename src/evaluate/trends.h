// A cluster's indicators over a span of years against its peers: for every indicator of the
// catalogue (indicator_defs() order), the cluster's value each year and the median of its peers'
// values that year. Peers are the other clusters of the same declared scale (national /
// regional) labelled that year; a peer without a value that year is left out of the median,
// which is NaN when fewer than three peers have one (the median of one or two clusters would
// give their figures).
//
// A firm aggregate (a sum over firms under the secrecy rule) gets no median: a median is one
// peer's figure, and that figure may be one a table published to all masks (the services'
// financing raised by cluster and year, protected by the secrecy engine against every reader).
// Its peers' figure is the mean of the central five values (six when their number is even:
// never fewer than five clusters, never one cluster's figure; each value passes the primary rule,
// so their sum does), over the peers whose figure is published to all (`published`, which the
// caller must give; an empty one publishes none): from public figures only. The app says none is
// for a firm aggregate no table publishes to all (no peers' figure then): peer sets differ by
// reader, and two central means of non-public figures can be differenced down to one cluster's.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "snapshot/snapshot.h"

namespace poles::evaluate {

struct IndicatorTrend {
  std::vector<double> values;       // one per year, from_year first (NaN when undefined)
  std::vector<double> peer_median;  // one per year (NaN when too few peers have a value); for a
                                    // firm aggregate, the central peers' mean
  bool central_mean = false;        // the peers' figure is the central mean (a firm aggregate)
};

struct ClusterTrends {
  int from_year = 0, to_year = 0;
  std::vector<IndicatorTrend> indicators;  // in indicator_defs() order
};

// Whether the figure of indicator `indicator` of cluster row `cluster` in `year` is published
// to all; a firm aggregate's peer whose figure is not is left out of the peers' figure.
using PublishedFigure = std::function<bool(int indicator, int year, int32_t cluster)>;

// REQUIRES: `cluster` a row of the cluster table; from_year <= to_year.
ClusterTrends cluster_trends(const snapshot::Snapshot& s, int32_t cluster, int from_year,
                             int to_year, const PublishedFigure& published);

}  // namespace poles::evaluate
