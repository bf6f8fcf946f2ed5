#include "evaluate/assessments.h"

#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "numeric/stats.h"

namespace poles::evaluate {

namespace {

using numeric::kNaN;

// What the agreement of a set of targets is computed from.
struct Pairs {
  std::vector<std::vector<double>> groups;
  double pairs = 0, exact = 0, abs_diff = 0;

  void add(const std::vector<double>& v) {
    if (v.size() >= 2) groups.push_back(v);
    for (size_t i = 0; i < v.size(); ++i) {
      for (size_t j = i + 1; j < v.size(); ++j) {
        pairs += 1;
        exact += v[i] == v[j];
        abs_diff += std::fabs(v[i] - v[j]);
      }
    }
  }
  Agreement agreement() const {
    return Agreement{groups.size(), icc1(groups), pairs > 0 ? exact / pairs : kNaN,
                     pairs > 0 ? abs_diff / pairs : kNaN};
  }
};

}  // namespace

double icc1(const std::vector<std::vector<double>>& groups) {
  if (groups.size() < 2) return kNaN;
  double grand = 0, n = 0, k = 0;
  for (const auto& g : groups) {
    for (double x : g) grand += x, n += 1;
    k += static_cast<double>(g.size());
  }
  grand /= n;
  k /= static_cast<double>(groups.size());
  double ssb = 0, ssw = 0;
  for (const auto& g : groups) {
    double m = 0;
    for (double x : g) m += x;
    m /= static_cast<double>(g.size());
    ssb += static_cast<double>(g.size()) * (m - grand) * (m - grand);
    for (double x : g) ssw += (x - m) * (x - m);
  }
  const double msb = ssb / static_cast<double>(groups.size() - 1),
               msw = ssw / (n - static_cast<double>(groups.size()));
  return (msb - msw) / (msb + (k - 1) * msw);
}

Assessments assessments(const snapshot::Snapshot& s, int year) {
  const auto& a = s.table("assessment");
  const auto& a_year = a.column("year");
  const auto& a_cluster = a.column("cluster_id");
  const auto& a_area = a.column("criterion");
  const auto& a_evaluator = a.column("evaluator");
  const auto& a_score = a.column("score");
  const auto& a_why = a.column("justification");
  // (cluster, area) -> the scores of its evaluators.
  std::map<std::pair<int32_t, int>, std::vector<EvaluatorScore>> cells;
  for (size_t i = 0; i < a.rows; ++i) {
    if (a_year.ints[i] != year) continue;
    cells[{a_cluster.codes[i], a_area.codes[i]}].push_back(
        EvaluatorScore{std::string(a_evaluator.text(i)), static_cast<double>(a_score.ints[i]),
                       std::string(a_why.text(i))});
  }
  Assessments out;
  out.year = year;
  std::map<int, Pairs> by_area;
  Pairs all;
  for (auto& [key, scores] : cells) {
    std::vector<double> v;
    for (const auto& sc : scores) v.push_back(sc.score);
    double mean = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    if (out.clusters.empty() || out.clusters.back().cluster != key.first)
      out.clusters.push_back(ClusterAssessment{key.first, {}});
    out.clusters.back().areas.push_back(
        AreaScores{static_cast<EscaArea>(key.second), mean, std::move(scores)});
    by_area[key.second].add(v);
    all.add(v);
  }
  out.overall = all.agreement();
  for (const auto& [area, p] : by_area)
    out.areas.push_back(AreaAgreement{static_cast<EscaArea>(area), p.agreement()});
  return out;
}

}  // namespace poles::evaluate
