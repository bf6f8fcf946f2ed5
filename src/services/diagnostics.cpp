#include "services/diagnostics.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/date.h"
#include "core/model.h"
#include "numeric/stats.h"

namespace poles::services {

using snapshot::Snapshot;

namespace {

using numeric::kNaN;

DimensionStats stats(std::vector<double> v) {
  std::erase_if(v, [](double x) { return std::isnan(x); });
  DimensionStats d;
  d.n = v.size();
  if (v.empty()) {
    d.mean = d.median = kNaN;
    return d;
  }
  double sum = 0;
  for (double x : v) sum += x;
  d.mean = sum / static_cast<double>(v.size());
  d.median = numeric::median(std::move(v));
  return d;
}

}  // namespace

DiagnosticsReport diagnostics_report(const Snapshot& s, int from_year, int to_year) {
  DiagnosticsReport r;
  r.from_year = from_year;
  r.to_year = to_year;
  const int64_t from = Date{from_year, 1, 1}.to_days(), to = Date{to_year, 12, 31}.to_days();
  const auto& t = s.table("diagnostic");
  const auto& org = t.column("organisation_id");
  const auto& date = t.column("date");
  const auto& cluster = t.column("cluster_id");
  const auto& aid = t.column("aid_received");
  std::array<const snapshot::Column*, 7> dims{};
  for (size_t d = 0; d < kDimensions.size(); ++d) dims[d] = &t.column(kDimensions[d]);

  // The unit is a firm followed by one cluster (organisation, cluster that ran the diagnosis):
  // its diagnoses in the period, in date order. A cluster's diagnoses never replace or precede
  // another's, so no cluster moves another's firm in these figures by diagnosing it (a later
  // diagnosis by cluster A of a firm followed by B would have made B's latest scores leave the
  // means, which then gave them away).
  std::map<std::pair<int32_t, int32_t>, std::vector<size_t>> by_unit;
  std::set<int32_t> firms;
  for (size_t i = 0; i < t.rows; ++i) {
    if (!date.present[i] || date.ints[i] < from || date.ints[i] > to) continue;
    by_unit[{org.codes[i], cluster.codes[i]}].push_back(i);
    firms.insert(org.codes[i]);
    ++r.diagnostics;
  }
  r.firms = firms.size();
  for (auto& [u, rows] : by_unit)
    std::sort(rows.begin(), rows.end(),
              [&](size_t a, size_t b) { return date.ints[a] < date.ints[b]; });

  // Latest maturity, overall and by cluster.
  std::array<std::vector<double>, 7> latest;
  std::map<std::string, std::pair<int32_t, std::array<std::vector<double>, 7>>> per_cluster;
  const auto& clusters = s.table("cluster");
  for (const auto& [u, rows] : by_unit) {
    const size_t i = rows.back();
    for (size_t d = 0; d < 7; ++d) latest[d].push_back(dims[d]->reals[i]);
    if (u.second >= 0) {
      auto& [row, v] = per_cluster[std::string(clusters.key(static_cast<size_t>(u.second)))];
      row = u.second;
      for (size_t d = 0; d < 7; ++d) v[d].push_back(dims[d]->reals[i]);
    }
  }
  for (size_t d = 0; d < 7; ++d) r.latest[d] = stats(latest[d]);
  for (auto& [key, cv] : per_cluster) {
    ClusterMaturity c;
    c.cluster = cv.first;
    c.firms = cv.second[0].size();
    for (size_t d = 0; d < 7; ++d) c.latest[d] = stats(cv.second[d]);
    r.clusters.push_back(c);
  }

  // Progress: first against last diagnosis.
  std::vector<double> score_change;
  std::array<double, 7> change_sum{};
  std::array<size_t, 7> change_n{};
  double days = 0;
  size_t improved = 0;
  for (const auto& [u, rows] : by_unit) {
    if (rows.size() < 2) continue;
    const size_t a = rows.front(), b = rows.back();
    ++r.progress.firms;
    days += static_cast<double>(date.ints[b] - date.ints[a]);
    for (size_t d = 0; d < 7; ++d) {
      const double x = dims[d]->reals[b] - dims[d]->reals[a];
      if (std::isnan(x)) continue;
      change_sum[d] += x;
      ++change_n[d];
      if (d == 0) {
        score_change.push_back(x);
        improved += x > 0;
      }
    }
  }
  for (size_t d = 0; d < 7; ++d)
    r.progress.mean_change[d] =
        change_n[d] ? change_sum[d] / static_cast<double>(change_n[d]) : kNaN;
  r.progress.mean_days = r.progress.firms ? days / static_cast<double>(r.progress.firms) : kNaN;
  r.progress.improved_share = score_change.empty() ? kNaN
                                                   : static_cast<double>(improved) /
                                                         static_cast<double>(score_change.size());
  r.progress.ci_low = r.progress.ci_high = kNaN;
  if (score_change.size() >= 2) {
    const double n = static_cast<double>(score_change.size());
    const double mean = r.progress.mean_change[0];
    double ss = 0;
    for (double x : score_change) ss += (x - mean) * (x - mean);
    const double se = std::sqrt(ss / (n - 1) / n);
    const double q = boost::math::quantile(boost::math::students_t(n - 1), 0.975);
    r.progress.ci_low = mean - q * se;
    r.progress.ci_high = mean + q * se;
  }

  // Aid after diagnosis: by quartile of the first score and by size class.
  using Unit = std::pair<int32_t, int32_t>;
  std::vector<std::pair<double, Unit>> first_scores;
  for (const auto& [u, rows] : by_unit) {
    if (!std::isnan(dims[0]->reals[rows.front()]))
      first_scores.emplace_back(dims[0]->reals[rows.front()], u);
  }
  std::sort(first_scores.begin(), first_scores.end());
  auto aid_of = [&](const Unit& u) {
    double total = 0;
    for (size_t i : by_unit.at(u)) {
      if (!std::isnan(aid.reals[i]) && aid.reals[i] > 0) total += aid.reals[i];
    }
    return total;
  };
  auto add = [&](AidBand& band, const Unit& u) {
    ++band.firms;
    const double a = aid_of(u);
    if (a > 0) {
      ++band.aided;
      band.aid.emplace_back(u.first, a);
    }
  };
  const size_t nq = first_scores.size();
  for (size_t q = 0; q < 4 && nq > 0; ++q) {
    const size_t lo = q * nq / 4, hi = (q + 1) * nq / 4;
    if (lo >= hi) continue;
    AidBand band;
    band.band = fmt::format("Q{}", q + 1);
    band.score_from = first_scores[lo].first;
    band.score_to = first_scores[hi - 1].first;
    for (size_t i = lo; i < hi; ++i) add(band, first_scores[i].second);
    r.aid_by_maturity.push_back(std::move(band));
  }
  const auto& size = s.table("organisation").column("size_class");
  std::array<AidBand, 5> by_size;
  for (size_t k = 0; k < 4; ++k) by_size[k].band = std::string(kSizeClassCodes[k]);
  by_size[4].band = "unknown";
  for (const auto& [u, rows] : by_unit) {
    const int c = size.codes[static_cast<size_t>(u.first)];
    add(by_size[c >= 0 ? static_cast<size_t>(c) : 4], u);
  }
  for (auto& b : by_size) {
    if (b.firms) r.aid_by_size.push_back(std::move(b));
  }
  for (auto* bands : {&r.aid_by_maturity, &r.aid_by_size}) {
    for (auto& b : *bands)
      b.aided_share = static_cast<double>(b.aided) / static_cast<double>(b.firms);
  }
  return r;
}

SectorDimension sector_dimension(const Snapshot& s, std::string_view division,
                                 std::string_view dimension) {
  SectorDimension out;
  const auto& naf = s.table("organisation").column("naf");
  const auto& t = s.table("diagnostic");
  const auto& org = t.column("organisation_id");
  const auto& value = t.column(dimension);
  std::set<int32_t> firms;
  double sum = 0;
  for (size_t i = 0; i < t.rows; ++i) {
    const int32_t o = org.codes[i];
    const auto code = naf.text(static_cast<size_t>(o));
    if (code.size() < 2 || code.substr(0, 2) != division || std::isnan(value.reals[i])) continue;
    sum += value.reals[i];
    ++out.diagnoses;
    firms.insert(o);
  }
  out.firms = firms.size();
  out.mean = out.diagnoses ? sum / static_cast<double>(out.diagnoses) : kNaN;
  return out;
}

}  // namespace poles::services
