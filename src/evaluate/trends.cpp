#include "evaluate/trends.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "evaluate/indicators.h"
#include "numeric/stats.h"

namespace poles::evaluate {

namespace {

// Fewer other clusters than this with a value: no median. The median of one or two clusters
// gives their figures (a region that put its cluster in a group of two read the other's budget
// and staff as 2 × median − its own).
constexpr size_t kMinPeers = 3;

// A firm aggregate's peers' figure: the mean of the five central values (six when their number
// is even, so that the window is centred), NaN with fewer than five.
double central_mean(std::vector<double>& v) {
  if (v.size() < 5) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  const size_t w = v.size() % 2 == 1 ? 5 : 6, start = (v.size() - w) / 2;
  double sum = 0;
  for (size_t i = start; i < start + w; ++i) sum += v[i];
  return sum / static_cast<double>(w);
}

}  // namespace

ClusterTrends cluster_trends(const snapshot::Snapshot& s, int32_t cluster, int from_year,
                             int to_year, const PublishedFigure& published) {
  ClusterTrends out;
  out.from_year = from_year;
  out.to_year = to_year;
  const auto cat = catalogue(s, from_year, to_year);
  const auto& scale = s.table("cluster").column("scale").codes;
  const int32_t own_scale = scale[static_cast<size_t>(cluster)];
  // The peers of each year: the other clusters labelled that year, of the same declared scale.
  std::vector<std::vector<int32_t>> peers;
  for (int y = from_year; y <= to_year; ++y) {
    const auto& active = cat.active[static_cast<size_t>(y - from_year)];
    auto& p = peers.emplace_back();
    for (size_t c = 0; c < scale.size(); ++c) {
      if (active[c] && scale[c] == own_scale && static_cast<int32_t>(c) != cluster)
        p.push_back(static_cast<int32_t>(c));
    }
  }
  const auto defs = indicator_defs();
  const int k = static_cast<int>(defs.size());
  std::vector<double> v;
  for (int i = 0; i < k; ++i) {
    IndicatorTrend& t = out.indicators.emplace_back();
    t.central_mean = defs[static_cast<size_t>(i)].firm_aggregate;
    for (int y = from_year; y <= to_year; ++y) {
      t.values.push_back(cat.at(y, cluster, i));
      v.clear();
      for (int32_t c : peers[static_cast<size_t>(y - from_year)]) {
        const double x = cat.at(y, c, i);
        if (std::isnan(x) || (t.central_mean && (!published || !published(i, y, c)))) continue;
        v.push_back(x);
      }
      if (t.central_mean)
        t.peer_median.push_back(central_mean(v));
      else
        t.peer_median.push_back(v.size() >= kMinPeers ? numeric::median(v)
                                                      : std::numeric_limits<double>::quiet_NaN());
    }
  }
  return out;
}

}  // namespace poles::evaluate
