#include "evaluate/audit.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "numeric/stats.h"

namespace poles::evaluate {

using numeric::kNaN;

namespace {

Eigen::Index ix(size_t i) { return static_cast<Eigen::Index>(i); }

bool constant(std::span<const double> x) {
  double first = kNaN;
  for (double v : x) {
    if (std::isnan(v)) continue;
    if (std::isnan(first)) {
      first = v;
    } else if (v != first) {
      return false;
    }
  }
  return true;
}

// A pillar's columns `cols` on the rows where all are known.
Table complete_rows(const Table& t, const std::vector<size_t>& cols) {
  Table out{0, cols.size(), {}};
  for (size_t r = 0; r < t.rows; ++r) {
    if (std::any_of(cols.begin(), cols.end(), [&](size_t c) { return std::isnan(t.at(r, c)); }))
      continue;
    for (size_t c : cols) out.v.push_back(t.at(r, c));
    ++out.rows;
  }
  return out;
}

}  // namespace

double correlation(std::span<const double> x, std::span<const double> y) {
  double n = 0, mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) continue;
    ++n;
    mx += x[i];
    my += y[i];
  }
  if (n < 3) return kNaN;
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) continue;
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0 || syy <= 0) return kNaN;
  return sxy / std::sqrt(sxx * syy);
}

Alpha cronbach_alpha(const Table& items) {
  const size_t k = items.cols, n = items.rows;
  if (k < 2 || n < 2) return {kNaN, kNaN, kNaN};
  Eigen::MatrixXd X(ix(n), ix(k));
  for (size_t r = 0; r < n; ++r)
    for (size_t c = 0; c < k; ++c) X(ix(r), ix(c)) = items.at(r, c);
  X.rowwise() -= X.colwise().mean();
  const Eigen::MatrixXd cov = X.transpose() * X / static_cast<double>(n - 1);
  const double kk = static_cast<double>(k);
  Alpha a;
  a.raw = kk / (kk - 1) * (1 - cov.trace() / cov.sum());
  double r_sum = 0;
  for (size_t i = 0; i < k; ++i)
    for (size_t j = i + 1; j < k; ++j)
      r_sum += cov(ix(i), ix(j)) / std::sqrt(cov(ix(i), ix(i)) * cov(ix(j), ix(j)));
  a.mean_r = r_sum / (kk * (kk - 1) / 2);
  a.standardised = kk * a.mean_r / (1 + (kk - 1) * a.mean_r);
  return a;
}

Audit audit(const Composite& c, const Method& m, const AuditThresholds& t) {
  const Table& x = c.normalised;
  const size_t n = x.rows, k = x.cols, np = c.pillars.cols;
  Audit out;
  out.units = n;
  std::vector<std::vector<double>> col(k);
  for (size_t i = 0; i < k; ++i) col[i] = x.column(i);
  out.correlation = Table{k, k, std::vector<double>(k * k, kNaN)};
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = i; j < k; ++j) {
      const double r = i == j ? (constant(col[i]) ? kNaN : 1.0) : correlation(col[i], col[j]);
      out.correlation.at(i, j) = out.correlation.at(j, i) = r;
    }
  }
  std::vector<std::vector<double>> pillar(np);
  for (size_t p = 0; p < np; ++p) pillar[p] = c.pillars.column(p);
  for (size_t i = 0; i < k; ++i) {
    out.with_pillar.push_back(correlation(col[i], pillar[static_cast<size_t>(m.pillar[i])]));
    out.with_index.push_back(correlation(col[i], c.index));
  }
  out.pillar_correlation = Table{np, np, std::vector<double>(np * np, kNaN)};
  for (size_t p = 0; p < np; ++p) {
    for (size_t q = p; q < np; ++q) {
      const double r = p == q ? 1.0 : correlation(pillar[p], pillar[q]);
      out.pillar_correlation.at(p, q) = out.pillar_correlation.at(q, p) = r;
    }
    out.pillar_with_index.push_back(correlation(pillar[p], c.index));
  }

  // Nominal weights in the index: within the pillar × the pillar's share.
  std::vector<double> in_pillar(np, 0);
  const std::vector<double>& w = c.weights.size() == k ? c.weights : m.weight;
  for (size_t i = 0; i < k; ++i) in_pillar[static_cast<size_t>(m.pillar[i])] += w[i];
  double pw_sum = 0;
  for (size_t p = 0; p < np && p < m.pillar_weight.size(); ++p) pw_sum += m.pillar_weight[p];
  double r2_sum = 0;
  for (size_t i = 0; i < k; ++i) {
    const auto p = static_cast<size_t>(m.pillar[i]);
    out.nominal_weight.push_back(
        in_pillar[p] > 0 && pw_sum > 0 ? w[i] / in_pillar[p] * m.pillar_weight[p] / pw_sum : 0);
    if (!std::isnan(out.with_index[i])) r2_sum += out.with_index[i] * out.with_index[i];
  }
  for (size_t i = 0; i < k; ++i) {
    const double r = out.with_index[i];
    out.effective_weight.push_back(std::isnan(r) || r2_sum == 0 ? 0 : r * r / r2_sum);
  }

  // Per pillar: α and PCA on the complete rows, constant indicators left out.
  for (size_t p = 0; p < np; ++p) {
    PillarAudit pa;
    pa.pillar = static_cast<int>(p);
    for (size_t i = 0; i < k; ++i) {
      if (static_cast<size_t>(m.pillar[i]) != p) continue;
      if (constant(col[i])) {
        out.flags.push_back({"constant", static_cast<int>(p), static_cast<int>(i), -1, 0});
        continue;
      }
      pa.indicators.push_back(i);
    }
    const Table items = complete_rows(x, pa.indicators);
    pa.units = items.rows;
    const Alpha a = cronbach_alpha(items);
    pa.alpha = a.raw;
    pa.std_alpha = a.standardised;
    pa.mean_correlation = a.mean_r;
    const size_t kp = pa.indicators.size();
    if (kp >= 2 && items.rows >= 3) {
      // Columns may be constant on the complete rows alone: their correlations are undefined.
      Eigen::MatrixXd R(ix(kp), ix(kp));
      bool defined = true;
      for (size_t i = 0; i < kp; ++i) {
        for (size_t j = 0; j < kp; ++j) {
          const double r = i == j ? 1.0 : correlation(items.column(i), items.column(j));
          defined = defined && !std::isnan(r);
          R(ix(i), ix(j)) = r;
        }
      }
      if (defined) {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(R);
        const auto& ev = es.eigenvalues();
        const auto& vec = es.eigenvectors();
        for (size_t e = kp; e-- > 0;) {  // ascending from Eigen: read from the largest
          pa.eigenvalues.push_back(ev(ix(e)));
          pa.variance_share.push_back(ev(ix(e)) / static_cast<double>(kp));
        }
        pa.retained = static_cast<size_t>(std::count_if(
            pa.eigenvalues.begin(), pa.eigenvalues.end(), [](double v) { return v >= 1; }));
        pa.retained = std::max<size_t>(pa.retained, 1);
        for (size_t comp = 0; comp < pa.retained; ++comp) {
          const Eigen::Index e = ix(kp - 1 - comp);
          std::vector<double> l(kp);
          double sum = 0;
          for (size_t i = 0; i < kp; ++i) {
            l[i] = vec(ix(i), e) * std::sqrt(std::max(0.0, ev(e)));
            sum += l[i];
          }
          if (sum < 0)
            for (double& v : l) v = -v;
          pa.loadings.push_back(std::move(l));
        }
      }
    }
    if (!std::isnan(pa.alpha) && pa.alpha < t.min_alpha)
      out.flags.push_back({"low_alpha", static_cast<int>(p), -1, -1, pa.alpha});
    for (size_t a_ = 0; a_ < kp; ++a_) {
      const size_t i = pa.indicators[a_];
      for (size_t b_ = a_ + 1; b_ < kp; ++b_) {
        const size_t j = pa.indicators[b_];
        const double r = out.correlation.at(i, j);
        if (std::isnan(r)) continue;
        if (r > t.redundant)
          out.flags.push_back(
              {"redundant", static_cast<int>(p), static_cast<int>(i), static_cast<int>(j), r});
        if (r < t.negative)
          out.flags.push_back(
              {"negative", static_cast<int>(p), static_cast<int>(i), static_cast<int>(j), r});
      }
      if (kp >= 2 && out.with_pillar[i] < 0)
        out.flags.push_back({"negative_with_pillar", static_cast<int>(p), static_cast<int>(i), -1,
                             out.with_pillar[i]});
    }
    out.pillars.push_back(std::move(pa));
  }
  for (size_t i = 0; i < k; ++i) {
    if (out.nominal_weight[i] <= 0 || constant(col[i])) continue;
    const double ratio = out.effective_weight[i] / out.nominal_weight[i];
    if (ratio < 1 / t.weight_ratio)
      out.flags.push_back({"low_influence", m.pillar[i], static_cast<int>(i), -1, ratio});
    else if (ratio > t.weight_ratio)
      out.flags.push_back({"dominant", m.pillar[i], static_cast<int>(i), -1, ratio});
  }
  return out;
}

}  // namespace poles::evaluate
