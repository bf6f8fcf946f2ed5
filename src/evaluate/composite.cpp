#include "evaluate/composite.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>

#include "numeric/milp.h"
#include "numeric/stats.h"

namespace poles::evaluate {

namespace {

using numeric::kNaN;

std::vector<double> present(std::span<const double> x) {
  std::vector<double> v;
  for (double d : x) {
    if (!std::isnan(d)) v.push_back(d);
  }
  return v;
}

double mean_of(const std::vector<double>& v) {
  return v.empty() ? kNaN
                   : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// Σd^k over the non-missing values, d = x − mean.
double central(std::span<const double> x, double mean, int k) {
  double s = 0;
  for (double d : x) {
    if (std::isnan(d)) continue;
    const double e = d - mean, e2 = e * e;
    s += k == 2 ? e2 : k == 3 ? e2 * e : e2 * e2;
  }
  return s;
}

}  // namespace

double skewness(std::span<const double> x) {
  const auto v = present(x);
  const double n = static_cast<double>(v.size());
  if (n < 3) return kNaN;
  const double m = mean_of(v), s2 = central(v, m, 2), s3 = central(v, m, 3);
  if (s2 == 0) return 0;
  const double g1 = std::sqrt(n) * s3 / std::pow(s2, 1.5);
  return g1 * std::sqrt(n * (n - 1)) / (n - 2);
}

double kurtosis(std::span<const double> x) {
  const auto v = present(x);
  const double n = static_cast<double>(v.size());
  if (n < 4) return kNaN;
  const double m = mean_of(v), s2 = central(v, m, 2), s4 = central(v, m, 4);
  if (s2 == 0) return 0;
  const double r = n * s4 / (s2 * s2);
  return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3));
}

Treatment treat_outliers(std::vector<double>& x, const OutlierRule& rule) {
  Treatment t;
  auto failing = [&] {
    const double s = skewness(x), k = kurtosis(x);
    return !std::isnan(s) && !std::isnan(k) && std::fabs(s) >= rule.max_skew &&
           k >= rule.max_kurtosis;
  };
  for (int round = 0; round < rule.max_winsorised && failing(); ++round) {
    // The extreme value(s) on the skewed side take the next value inward.
    const bool high = skewness(x) >= 0;
    auto v = present(x);
    std::sort(v.begin(), v.end());
    if (v.size() < 2) break;
    const double extreme = high ? v.back() : v.front();
    // v is sorted: the next value inward is the first one, from the extreme's end, that differs.
    double next = extreme;
    if (high) {
      const auto it = std::find_if(v.rbegin(), v.rend(), [&](double d) { return d < extreme; });
      if (it != v.rend()) next = *it;
    } else {
      const auto it = std::find_if(v.begin(), v.end(), [&](double d) { return d > extreme; });
      if (it != v.end()) next = *it;
    }
    if (next == extreme) break;
    for (double& d : x) {
      if (d == extreme) {
        d = next;
        ++t.winsorised;
      }
    }
  }
  if (failing()) {
    const auto v = present(x);
    const double lo = *std::min_element(v.begin(), v.end()),
                 hi = *std::max_element(v.begin(), v.end());
    for (double& d : x) {
      if (!std::isnan(d)) d = std::log(d - lo + 0.01 * (hi - lo));
    }
    t.log = true;
  }
  return t;
}

std::vector<double> normalise(std::span<const double> x, Normalisation n, const NormParams& p) {
  std::vector<double> out(x.size(), kNaN);
  const auto v = present(x);
  if (v.empty()) return out;
  const double lo = *std::min_element(v.begin(), v.end()),
               hi = *std::max_element(v.begin(), v.end());
  const double range = hi - lo;
  const double mean = mean_of(v);
  const double sd =
      v.size() > 1 ? std::sqrt(central(v, mean, 2) / static_cast<double>(v.size() - 1)) : 0;
  std::vector<double> sorted;
  if (n == Normalisation::kRank || n == Normalisation::kPercentileRank) {
    sorted = v;
    std::sort(sorted.begin(), sorted.end());
  }
  for (size_t i = 0; i < x.size(); ++i) {
    const double d = x[i];
    if (std::isnan(d)) continue;
    switch (n) {
      case Normalisation::kMinMax:
        out[i] = range > 0 ? (d - lo) / range : 0.5;
        break;
      case Normalisation::kZScore:
        out[i] = sd > 0 ? (d - mean) / sd : 0;
        break;
      case Normalisation::kRank:
      case Normalisation::kPercentileRank: {
        // Rank with ties at the minimum: 1 + the number of values strictly below.
        const double below =
            static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), d) - sorted.begin());
        const double rank = 1 + below;
        out[i] = n == Normalisation::kRank
                     ? rank
                     : (v.size() > 1 ? (rank - 1) / static_cast<double>(v.size() - 1) : 0.5);
        break;
      }
      case Normalisation::kDistanceToTarget:
        out[i] = p.target > lo ? std::min(1.0, (d - lo) / (p.target - lo)) : 1.0;
        break;
      case Normalisation::kDistanceToBest:
        out[i] = range > 0 ? 1 - (hi - d) / range : 1.0;
        break;
      case Normalisation::kGoalposts:
        out[i] = p.hi > p.lo ? std::clamp((d - p.lo) / (p.hi - p.lo), 0.0, 1.0) : kNaN;
        break;
    }
  }
  return out;
}

std::vector<double> Table::column(size_t c) const {
  std::vector<double> out(rows);
  for (size_t r = 0; r < rows; ++r) out[r] = at(r, c);
  return out;
}

Result<std::vector<double>> pca_weights(const Table& t) {
  std::vector<size_t> complete;
  for (size_t r = 0; r < t.rows; ++r) {
    bool ok = true;
    for (size_t c = 0; c < t.cols; ++c) ok = ok && !std::isnan(t.at(r, c));
    if (ok) complete.push_back(r);
  }
  if (complete.size() < 3 || t.cols < 2) {
    return Status::invalid_argument(fmt::format(
        "PCA weights need at least 3 complete units and 2 indicators ({} complete units)",
        complete.size()));
  }
  Eigen::MatrixXd X(static_cast<Eigen::Index>(complete.size()), static_cast<Eigen::Index>(t.cols));
  for (size_t i = 0; i < complete.size(); ++i) {
    for (size_t c = 0; c < t.cols; ++c)
      X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = t.at(complete[i], c);
  }
  const Eigen::RowVectorXd mean = X.colwise().mean();
  X.rowwise() -= mean;
  Eigen::RowVectorXd sd =
      (X.array().square().colwise().sum() / static_cast<double>(X.rows() - 1)).sqrt();
  for (Eigen::Index c = 0; c < X.cols(); ++c) {
    if (sd(c) == 0)
      return Status::invalid_argument(fmt::format("PCA weights: indicator {} is constant", c));
    X.col(c) /= sd(c);
  }
  const Eigen::MatrixXd corr = X.transpose() * X / static_cast<double>(X.rows() - 1);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(corr);
  const Eigen::VectorXd first =
      es.eigenvectors().col(es.eigenvectors().cols() - 1);  // largest eigenvalue last
  std::vector<double> w(t.cols);
  for (size_t c = 0; c < t.cols; ++c)
    w[c] = first(static_cast<Eigen::Index>(c)) *
           first(static_cast<Eigen::Index>(c));  // unit vector: sums to 1
  return w;
}

Result<BenefitOfDoubt> benefit_of_doubt(const Table& y) {
  BenefitOfDoubt out;
  for (size_t r = 0; r < y.rows; ++r) {
    for (size_t c = 0; c < y.cols; ++c) {
      if (y.at(r, c) < 0)
        return Status::invalid_argument(
            fmt::format("benefit of the doubt needs values >= 0 (unit {}, indicator {}: {})", r, c,
                        y.at(r, c)));
    }
  }
  auto val = [&](size_t r, size_t c) { return std::isnan(y.at(r, c)) ? 0.0 : y.at(r, c); };
  for (size_t u = 0; u < y.rows; ++u) {
    numeric::Milp lp;
    lp.maximise();
    std::vector<int> cols;
    for (size_t c = 0; c < y.cols; ++c)
      cols.push_back(lp.add_column(val(u, c), 0, numeric::kInf, false));
    for (size_t j = 0; j < y.rows; ++j) {
      std::vector<double> coef(y.cols);
      for (size_t c = 0; c < y.cols; ++c) coef[c] = val(j, c);
      lp.add_row(cols, coef, -numeric::kInf, 1);
    }
    POLES_ASSIGN_OR_RETURN(auto sol, lp.solve(10));
    out.score.push_back(sol.objective);
    out.weights.push_back(sol.x);
  }
  return out;
}

Result<std::vector<double>> aggregate(const Table& t, std::span<const double> weights,
                                      Aggregation a) {
  if (a == Aggregation::kCopeland) return copeland(t, weights);
  std::vector<double> out(t.rows, kNaN);
  for (size_t r = 0; r < t.rows; ++r) {
    double sw = 0, s = 0;
    for (size_t c = 0; c < t.cols; ++c) {
      const double x = t.at(r, c);
      if (std::isnan(x) || weights[c] == 0) continue;
      if (a == Aggregation::kGeometric) {
        if (x <= 0)
          return Status::invalid_argument(fmt::format(
              "geometric aggregation needs positive values (unit {}, column {}: {})", r, c, x));
        s += weights[c] * std::log(x);
      } else {
        s += weights[c] * x;
      }
      sw += weights[c];
    }
    if (sw > 0) out[r] = a == Aggregation::kGeometric ? std::exp(s / sw) : s / sw;
  }
  return out;
}

std::vector<double> copeland(const Table& t, std::span<const double> weights) {
  std::vector<double> score(t.rows, 0);
  for (size_t j = 0; j < t.rows; ++j) {
    for (size_t k = 0; k < t.rows; ++k) {
      if (j == k) continue;
      double e = 0, sw = 0;
      for (size_t c = 0; c < t.cols; ++c) {
        const double a = t.at(j, c), b = t.at(k, c);
        if (std::isnan(a) || std::isnan(b)) continue;
        sw += weights[c];
        e += weights[c] * (a > b ? 1.0 : a == b ? 0.5 : 0.0);
      }
      if (sw == 0) continue;
      e /= sw;
      score[j] += e > 0.5 + 1e-12 ? 1 : e < 0.5 - 1e-12 ? -1 : 0;
    }
  }
  return score;
}

Status check_method(const Table& raw, const Method& m) {
  const size_t k = raw.cols;
  if (m.pillar.size() != k || m.direction.size() != k || m.weight.size() != k) {
    return Status::invalid_argument(
        fmt::format("the method describes {} indicators, the data has {}", m.pillar.size(), k));
  }
  const int pillars = k ? *std::max_element(m.pillar.begin(), m.pillar.end()) + 1 : 0;
  if (static_cast<int>(m.pillar_weight.size()) != pillars) {
    return Status::invalid_argument(
        fmt::format("{} pillar weights for {} pillars", m.pillar_weight.size(), pillars));
  }
  return Status::ok();
}

Prepared prepare(const Table& raw, const Method& m) {
  const size_t n = raw.rows, k = raw.cols;
  Prepared out;
  out.normalised = Table{n, k, std::vector<double>(n * k, kNaN)};
  out.treatments.resize(k);
  const bool geometric =
      m.aggregation == Aggregation::kGeometric || m.pillar_aggregation == Aggregation::kGeometric;
  for (size_t c = 0; c < k; ++c) {
    std::vector<double> x = raw.column(c);
    for (double& d : x) d *= m.direction[c];
    if (m.imputation != Imputation::kNone) {
      auto v = present(x);
      if (!v.empty()) {
        double fill = mean_of(v);
        if (m.imputation == Imputation::kMedian) {
          std::sort(v.begin(), v.end());
          fill = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
        }
        for (double& d : x)
          if (std::isnan(d)) d = fill;
      }
    }
    if (m.treat_outliers) out.treatments[c] = treat_outliers(x, m.outliers);
    const NormParams p = c < m.norm_params.size() ? m.norm_params[c] : NormParams{};
    std::vector<double> y = normalise(x, m.normalisation, p);
    // Geometric aggregation needs positive inputs: values rescaled to [1, 2].
    if (geometric) {
      y = normalise(y, Normalisation::kMinMax);
      for (double& d : y) d += 1;
    }
    for (size_t r = 0; r < n; ++r) out.normalised.at(r, c) = y[r];
  }
  return out;
}

Result<Composite> combine(const Table& normalised, const Method& m,
                          std::span<const double> indicator_weights) {
  const size_t n = normalised.rows, k = normalised.cols;
  const int pillars = k ? *std::max_element(m.pillar.begin(), m.pillar.end()) + 1 : 0;
  Composite out;
  out.weights.assign(indicator_weights.begin(), indicator_weights.end());
  if (m.weighting == Weighting::kEqual) std::fill(out.weights.begin(), out.weights.end(), 1.0);
  out.pillars = Table{n, static_cast<size_t>(pillars),
                      std::vector<double>(n * static_cast<size_t>(pillars), kNaN)};
  for (int p = 0; p < pillars; ++p) {
    std::vector<size_t> cols;
    for (size_t c = 0; c < k; ++c)
      if (m.pillar[c] == p) cols.push_back(c);
    if (m.weighting == Weighting::kBenefitOfDoubt) {
      Table sub{n, cols.size(), std::vector<double>(n * cols.size())};
      for (size_t i = 0; i < cols.size(); ++i) {
        double lo = 0;
        for (size_t r = 0; r < n; ++r)
          if (!std::isnan(normalised.at(r, cols[i]))) lo = std::min(lo, normalised.at(r, cols[i]));
        for (size_t r = 0; r < n; ++r) sub.at(r, i) = normalised.at(r, cols[i]) - lo;
      }
      POLES_ASSIGN_OR_RETURN(auto bod, benefit_of_doubt(sub));
      for (size_t r = 0; r < n; ++r) out.pillars.at(r, static_cast<size_t>(p)) = bod.score[r];
      continue;
    }
    if (m.aggregation != Aggregation::kCopeland && m.weighting != Weighting::kPca) {
      // Fast path (the Monte Carlo runs it thousands of times): weighted means read in place.
      const bool geo = m.aggregation == Aggregation::kGeometric;
      for (size_t r = 0; r < n; ++r) {
        double sw = 0, acc = 0;
        for (size_t c : cols) {
          const double x = normalised.at(r, c), w = out.weights[c];
          if (std::isnan(x) || w == 0) continue;
          if (geo && x <= 0)
            return Status::invalid_argument(fmt::format(
                "geometric aggregation needs positive values (unit {}, column {}: {})", r, c, x));
          acc += w * (geo ? std::log(x) : x);
          sw += w;
        }
        out.pillars.at(r, static_cast<size_t>(p)) =
            sw > 0 ? (geo ? std::exp(acc / sw) : acc / sw) : kNaN;
      }
      continue;
    }
    Table sub{n, cols.size(), std::vector<double>(n * cols.size())};
    for (size_t r = 0; r < n; ++r)
      for (size_t i = 0; i < cols.size(); ++i) sub.at(r, i) = normalised.at(r, cols[i]);
    std::vector<double> w;
    w.reserve(cols.size());
    for (size_t c : cols) w.push_back(out.weights[c]);
    if (m.weighting == Weighting::kPca && cols.size() >= 2) {
      POLES_ASSIGN_OR_RETURN(w, pca_weights(sub));
      for (size_t i = 0; i < cols.size(); ++i) out.weights[cols[i]] = w[i];
    }
    POLES_ASSIGN_OR_RETURN(auto agg, aggregate(sub, w, m.aggregation));
    for (size_t r = 0; r < n; ++r) out.pillars.at(r, static_cast<size_t>(p)) = agg[r];
  }
  Table pillars_for_index = out.pillars;
  // Copeland scores can be negative: rescaled to [1, 2] before a geometric mean across pillars.
  if (m.pillar_aggregation == Aggregation::kGeometric && m.aggregation == Aggregation::kCopeland) {
    for (size_t p = 0; p < pillars_for_index.cols; ++p) {
      auto y = normalise(pillars_for_index.column(p), Normalisation::kMinMax);
      for (size_t r = 0; r < n; ++r) pillars_for_index.at(r, p) = y[r] + 1;
    }
  }
  POLES_ASSIGN_OR_RETURN(out.index,
                         aggregate(pillars_for_index, m.pillar_weight, m.pillar_aggregation));
  out.rank = numeric::ranks(out.index);
  return out;
}

Status write_for_peer(const Table& raw, const Method& m, const std::string& dir) {
  std::ofstream f(dir + "/raw.csv"), meta(dir + "/meta.csv"), pw(dir + "/pillars.csv");
  for (auto* o : {&f, &meta, &pw}) o->precision(17);
  for (size_t k = 0; k < raw.cols; ++k) f << (k ? "," : "") << "v" << k;
  f << "\n";
  for (size_t r = 0; r < raw.rows; ++r) {
    for (size_t k = 0; k < raw.cols; ++k) {
      if (k) f << ",";
      if (std::isnan(raw.at(r, k)))
        f << "NA";
      else
        f << raw.at(r, k);
    }
    f << "\n";
  }
  meta << "direction,weight,pillar\n";
  for (size_t k = 0; k < raw.cols; ++k)
    meta << m.direction[k] << "," << m.weight[k] << "," << m.pillar[k] << "\n";
  pw << "weight\n";
  for (double w : m.pillar_weight) pw << w << "\n";
  if (!f || !meta || !pw)
    return Status::internal(fmt::format("cannot write the peer's files in {}", dir));
  return Status::ok();
}

Result<Composite> compute(const Table& raw, const Method& m) {
  POLES_RETURN_IF_ERROR(check_method(raw, m));
  Prepared prep = prepare(raw, m);
  POLES_ASSIGN_OR_RETURN(auto out, combine(prep.normalised, m, m.weight));
  out.normalised = std::move(prep.normalised);
  out.treatments = std::move(prep.treatments);
  return out;
}

}  // namespace poles::evaluate
