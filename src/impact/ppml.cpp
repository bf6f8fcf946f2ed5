#include "impact/ppml.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <map>
#include <numeric>

namespace poles::impact {

namespace {

template <typename T>
std::vector<T> rows_of(const std::vector<T>& v, const std::vector<char>& keep) {
  std::vector<T> out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i)
    if (keep[i]) out.push_back(v[i]);
  return out;
}

// Codes renumbered 0..levels-1 over the rows left.
void renumber(FixedEffect& f) {
  std::vector<int32_t> to(static_cast<size_t>(f.levels), -1);  // codes are 0..levels-1
  for (int32_t c : f.code) to[static_cast<size_t>(c)] = 0;
  int32_t next = 0;
  for (auto& n : to)
    if (n == 0) n = next++;
  for (int32_t& c : f.code) c = to[static_cast<size_t>(c)];
  f.levels = next;
}

double deviance(const std::vector<double>& y, const std::vector<double>& mu) {
  double d = 0;
  for (size_t i = 0; i < y.size(); ++i)
    d += 2 * ((y[i] > 0 ? y[i] * std::log(y[i] / mu[i]) : 0.0) - (y[i] - mu[i]));
  return d;
}

}  // namespace

Result<PoissonResult> fepois(PoissonInput in) {
  const size_t n0 = in.y.size();
  for (const auto& x : in.x) {
    if (x.size() != n0) return Status::invalid_argument("every regressor needs one value per row");
  }
  PoissonResult res;
  std::vector<char> keep(n0);
  for (size_t i = 0; i < n0; ++i) {
    keep[i] = std::isfinite(in.y[i]);
    if (keep[i] && in.y[i] < 0)
      return Status::invalid_argument(
          fmt::format("'{}' is {} at row {}: a Poisson model needs a non-negative outcome",
                      in.y_name, in.y[i], i + 1));
  }
  for (const auto& x : in.x)
    for (size_t i = 0; i < n0; ++i) keep[i] &= std::isfinite(x[i]);
  for (const auto* group : {&in.fe, &in.vcov.clusters})
    for (const auto& f : *group)
      for (size_t i = 0; i < n0; ++i) keep[i] &= f.code[i] >= 0;
  res.missing = static_cast<int64_t>(std::count(keep.begin(), keep.end(), char{0}));
  // Perfect fit: a fixed-effect level whose outcome is zero throughout, dropped until none is left.
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& f : in.fe) {
      std::vector<double> sum(static_cast<size_t>(f.levels), 0);
      std::vector<char> seen(static_cast<size_t>(f.levels), 0);
      for (size_t i = 0; i < n0; ++i) {
        if (!keep[i]) continue;
        sum[static_cast<size_t>(f.code[i])] += in.y[i];
        seen[static_cast<size_t>(f.code[i])] = 1;
      }
      for (size_t i = 0; i < n0; ++i) {
        if (keep[i] && sum[static_cast<size_t>(f.code[i])] == 0) {
          keep[i] = 0;
          ++res.perfect_fit;
          changed = true;
        }
      }
    }
  }
  res.used = keep;
  in.y = rows_of(in.y, keep);
  for (auto& x : in.x) x = rows_of(x, keep);
  for (auto* group : {&in.fe, &in.vcov.clusters}) {
    for (auto& f : *group) {
      f.code = rows_of(f.code, keep);
      renumber(f);
    }
  }
  const size_t n = in.y.size();
  res.n = static_cast<int64_t>(n);
  if (n == 0) return Status::invalid_argument("no row is left for the Poisson regression");

  // IRLS from μ = (y + ȳ) / 2.
  const double ybar = std::accumulate(in.y.begin(), in.y.end(), 0.0) / static_cast<double>(n);
  std::vector<double> mu(n), eta(n);
  for (size_t i = 0; i < n; ++i) {
    mu[i] = (in.y[i] + ybar) / 2;
    eta[i] = std::log(mu[i]);
  }
  res.null_deviance = deviance(in.y, std::vector<double>(n, ybar));
  double dev = deviance(in.y, mu);
  OlsResult step;
  bool converged = false;
  for (int it = 1; it <= in.max_iterations; ++it) {
    OlsInput ols;
    ols.y_name = "z";
    ols.y.resize(n);
    for (size_t i = 0; i < n; ++i) ols.y[i] = eta[i] + (in.y[i] - mu[i]) / mu[i];
    ols.x_names = in.x_names;
    ols.x = in.x;
    ols.fe = in.fe;
    ols.weights = mu;
    ols.drop_singletons = false;
    ols.demean = in.demean;
    const std::vector<double> z = ols.y;
    POLES_ASSIGN_OR_RETURN(step, feols(std::move(ols)));
    for (size_t i = 0; i < n; ++i) {
      eta[i] = z[i] - step.residuals[i];
      mu[i] = std::exp(eta[i]);
    }
    const double next = deviance(in.y, mu);
    res.iterations = it;
    const bool settled = std::abs(next - dev) / (0.1 + std::abs(next)) < in.tolerance;
    dev = next;
    if (settled) {
      converged = true;
      break;
    }
  }
  if (!converged)
    return Status::not_converged(
        fmt::format("the Poisson regression did not converge in {} iterations (deviance {})",
                    in.max_iterations, dev));
  res.deviance = dev;
  res.pseudo_r2 = res.null_deviance > 0 ? 1 - dev / res.null_deviance : 0;
  res.names = step.names;
  res.collinear = step.collinear;
  res.coef = step.coef;

  // The variance from the regressors demeaned with the final weights.
  std::vector<std::vector<double>> xt;
  for (const auto& name : res.names) {
    const auto at = std::find(in.x_names.begin(), in.x_names.end(), name);
    xt.push_back(at == in.x_names.end() ? std::vector<double>(n, 1.0)  // the intercept
                                        : in.x[static_cast<size_t>(at - in.x_names.begin())]);
  }
  if (!in.fe.empty()) {
    std::vector<std::vector<double>*> cols;
    for (auto& x : xt) cols.push_back(&x);
    POLES_ASSIGN_OR_RETURN(auto report, demean(in.fe, mu, cols, in.demean));
    (void)report;
  }
  const auto k = static_cast<Eigen::Index>(xt.size());
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(k, k);
  for (Eigen::Index a = 0; a < k; ++a)
    for (Eigen::Index b = 0; b <= a; ++b) {
      double s = 0;
      for (size_t i = 0; i < n; ++i)
        s += mu[i] * xt[static_cast<size_t>(a)][i] * xt[static_cast<size_t>(b)][i];
      gram(a, b) = gram(b, a) = s;
    }
  const Eigen::MatrixXd bread = gram.inverse();
  if (in.vcov.kind == VcovKind::kIid) {
    res.vcov = bread;
  } else {
    // Scores x̃_i (y_i − μ_i), summed by cluster (each row its own with kHetero).
    auto meat_of = [&](const std::vector<int32_t>* code, int32_t groups) {
      const auto g = static_cast<size_t>(groups);
      Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(g), k);
      for (size_t i = 0; i < n; ++i) {
        const auto row = static_cast<Eigen::Index>(code ? (*code)[i] : static_cast<int32_t>(i));
        for (Eigen::Index a = 0; a < k; ++a)
          sums(row, a) += xt[static_cast<size_t>(a)][i] * (in.y[i] - mu[i]);
      }
      Eigen::MatrixXd m = sums.transpose() * sums;
      if (code != nullptr && groups > 1) m *= static_cast<double>(groups) / (groups - 1);
      return m;
    };
    Eigen::MatrixXd meat;
    if (in.vcov.kind == VcovKind::kHetero) {
      meat = meat_of(nullptr, static_cast<int32_t>(n));
    } else {
      if (in.vcov.clusters.empty() || in.vcov.clusters.size() > 2)
        return Status::invalid_argument("a clustered variance needs one or two cluster variables");
      const auto& c1 = in.vcov.clusters[0];
      meat = meat_of(&c1.code, c1.levels);
      res.clusters = c1.levels;
      if (in.vcov.clusters.size() == 2) {
        const auto& c2 = in.vcov.clusters[1];
        // Two ways (Cameron, Gelbach & Miller): V1 + V2 − V12, each with its own G/(G − 1).
        std::vector<int32_t> both(n);
        std::map<std::pair<int32_t, int32_t>, int32_t> pairs;
        for (size_t i = 0; i < n; ++i)
          both[i] = pairs.emplace(std::pair{c1.code[i], c2.code[i]}, pairs.size()).first->second;
        meat += meat_of(&c2.code, c2.levels) - meat_of(&both, static_cast<int32_t>(pairs.size()));
        res.clusters = std::min(c1.levels, c2.levels);
      }
    }
    res.vcov = bread * meat * bread;
  }
  res.se.resize(k);
  res.z.resize(k);
  res.p.resize(k);
  const boost::math::normal normal;
  for (Eigen::Index a = 0; a < k; ++a) {
    res.se(a) = std::sqrt(res.vcov(a, a));
    res.z(a) = res.coef(a) / res.se(a);
    res.p(a) = std::isfinite(res.z(a))
                   ? 2 * boost::math::cdf(boost::math::complement(normal, std::abs(res.z(a))))
                   : std::numeric_limits<double>::quiet_NaN();
  }
  return res;
}

}  // namespace poles::impact
