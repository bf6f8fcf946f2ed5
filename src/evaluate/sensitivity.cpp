#include "evaluate/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace poles::evaluate {

namespace {

double quantile(std::vector<double>& v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

template <typename T>
T pick(const std::vector<T>& v, double u) {
  return v[std::min(v.size() - 1, static_cast<size_t>(u * static_cast<double>(v.size())))];
}

// The method for a point u of [0, 1]^5 (kUncertainInputs order); the weight noise draws use u[4]
// as a seed so that the point fixes them.
Method method_at(const Method& nominal, const Alternatives& alt, const std::vector<double>& u) {
  Method m = nominal;
  m.normalisation = pick(alt.normalisations, u[0]);
  m.aggregation = m.pillar_aggregation = pick(alt.aggregations, u[1]);
  m.imputation = pick(alt.imputations, u[2]);
  m.treat_outliers = pick(alt.outlier_treatment, u[3]);
  m.weighting = Weighting::kExpert;
  std::mt19937_64 g(static_cast<uint64_t>(u[4] * 9007199254740992.0));
  std::uniform_real_distribution<double> noise(-alt.weight_noise, alt.weight_noise);
  for (double& w : m.weight) w *= 1 + noise(g);
  for (double& w : m.pillar_weight) w *= 1 + noise(g);
  return m;
}

}  // namespace

SobolIndices sobol(const std::function<double(const std::vector<double>&)>& f, size_t d, size_t n, uint64_t seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> U(0, 1);
  std::vector<std::vector<double>> A(n, std::vector<double>(d)), B(n, std::vector<double>(d));
  for (size_t r = 0; r < n; ++r) {
    for (size_t j = 0; j < d; ++j) A[r][j] = U(g);
    for (size_t j = 0; j < d; ++j) B[r][j] = U(g);
  }
  std::vector<double> yA(n), yB(n);
  for (size_t r = 0; r < n; ++r) {
    yA[r] = f(A[r]);
    yB[r] = f(B[r]);
  }
  double mean = 0;
  for (size_t r = 0; r < n; ++r) mean += yA[r] + yB[r];
  mean /= static_cast<double>(2 * n);
  double var = 0;
  for (size_t r = 0; r < n; ++r) var += (yA[r] - mean) * (yA[r] - mean) + (yB[r] - mean) * (yB[r] - mean);
  var /= static_cast<double>(2 * n - 1);
  SobolIndices s;
  s.variance = var;
  s.runs = n * (d + 2);
  for (size_t i = 0; i < d; ++i) {
    double first = 0, total = 0;
    for (size_t r = 0; r < n; ++r) {
      std::vector<double> x = A[r];
      x[i] = B[r][i];
      const double y = f(x);
      first += yB[r] * (y - yA[r]);
      total += (yA[r] - y) * (yA[r] - y);
    }
    s.first.push_back(var > 0 ? first / static_cast<double>(n) / var : 0);
    s.total.push_back(var > 0 ? total / (2 * static_cast<double>(n) * var) : 0);
  }
  return s;
}

namespace {

// Prepared tables of the method variants drawn, computed once each (normalisation, imputation,
// outlier treatment and whether an aggregation is geometric decide them; weights do not).
class Variants {
 public:
  Variants(const Table& raw) : raw_(raw) {}
  const Table& get(const Method& m) {
    const bool geo = m.aggregation == Aggregation::kGeometric || m.pillar_aggregation == Aggregation::kGeometric;
    const int key = ((static_cast<int>(m.normalisation) * 4 + static_cast<int>(m.imputation)) * 2 + (m.treat_outliers ? 1 : 0)) * 2 + (geo ? 1 : 0);
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, prepare(raw_, m).normalised).first;
    return it->second;
  }

 private:
  const Table& raw_;
  std::map<int, Table> cache_;
};

}  // namespace

Result<Uncertainty> uncertainty(const Table& raw, const Method& nominal, const Alternatives& alt, size_t draws, uint64_t seed) {
  POLES_ASSIGN_OR_RETURN(auto base, compute(raw, nominal));
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> U(0, 1);
  std::vector<std::vector<double>> r(raw.rows);
  for (auto& v : r) v.reserve(draws);
  std::vector<double> u(kUncertainInputs.size());
  Variants variants(raw);
  for (size_t d = 0; d < draws; ++d) {
    for (double& x : u) x = U(g);
    const Method m = method_at(nominal, alt, u);
    POLES_ASSIGN_OR_RETURN(auto c, combine(variants.get(m), m, m.weight));
    for (size_t i = 0; i < raw.rows; ++i) r[i].push_back(c.rank[i]);
  }
  Uncertainty out;
  out.draws = draws;
  out.seed = seed;
  for (size_t i = 0; i < raw.rows; ++i) {
    RankInterval ri;
    ri.nominal = base.rank[i];
    if (draws > 0) {
      double sum = 0;
      for (double x : r[i]) sum += x;
      ri.mean = sum / static_cast<double>(draws);
      ri.median = quantile(r[i], 0.5);
      ri.p05 = quantile(r[i], 0.05);
      ri.p95 = quantile(r[i], 0.95);
    } else {
      ri.mean = ri.median = ri.p05 = ri.p95 = ri.nominal;
    }
    out.units.push_back(ri);
  }
  return out;
}

Result<SobolIndices> composite_sensitivity(const Table& raw, const Method& nominal, const Alternatives& alt, size_t n, uint64_t seed) {
  POLES_ASSIGN_OR_RETURN(auto base, compute(raw, nominal));
  Status failure = Status::ok();
  Variants variants(raw);
  auto f = [&](const std::vector<double>& u) {
    const Method m = method_at(nominal, alt, u);
    auto c = combine(variants.get(m), m, m.weight);
    if (!c) {
      failure = c.error();
      return 0.0;
    }
    double shift = 0;
    for (size_t i = 0; i < raw.rows; ++i) shift += std::abs(c->rank[i] - base.rank[i]);
    return shift / static_cast<double>(raw.rows);
  };
  auto s = sobol(f, kUncertainInputs.size(), n, seed);
  if (!failure.is_ok()) return failure;
  return s;
}

}  // namespace poles::evaluate
