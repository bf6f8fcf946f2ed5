#include "numeric/logit.h"

#include <fmt/format.h>

#include <cmath>

namespace poles::numeric {

Result<LogitFit> fit_logit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                           const Eigen::VectorXd& w, int max_iterations, double tolerance) {
  const Eigen::Index n = X.rows(), k = X.cols();
  if (y.size() != n || (w.size() != 0 && w.size() != n))
    return Status::invalid_argument("logit: rows of X, y and w differ");
  if (n <= k)
    return Status::invalid_argument(
        fmt::format("logit: {} observations are too few for {} coefficients", n, k));
  const Eigen::VectorXd weight = w.size() == 0 ? Eigen::VectorXd::Ones(n) : w;
  LogitFit fit;
  // Start as glm does: mu = (w y + 0.5) / (w + 1).
  Eigen::VectorXd eta(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double mu = (weight(i) * y(i) + 0.5) / (weight(i) + 1);
    eta(i) = std::log(mu / (1 - mu));
  }
  double deviance = INFINITY;
  Eigen::MatrixXd info;
  for (fit.iterations = 1; fit.iterations <= max_iterations; ++fit.iterations) {
    Eigen::VectorXd z(n), iw(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double mu = 1 / (1 + std::exp(-eta(i)));
      const double v = std::max(mu * (1 - mu), 1e-300);
      z(i) = eta(i) + (y(i) - mu) / v;
      iw(i) = weight(i) * v;
    }
    info = X.transpose() * iw.asDiagonal() * X;
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(info);
    if (ldlt.info() != Eigen::Success || ldlt.rcond() < 1e-14) {
      return Status::invalid_argument(
          "logit: the covariates are collinear (or a category is empty)");
    }
    fit.coef = ldlt.solve(X.transpose() * (iw.asDiagonal() * z));
    eta = X * fit.coef;
    double dev = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double mu = 1 / (1 + std::exp(-eta(i)));
      const double ll =
          y(i) > 0 ? std::log(std::max(mu, 1e-300)) : std::log(std::max(1 - mu, 1e-300));
      dev -= 2 * weight(i) * ll;
    }
    if (std::abs(dev - deviance) / (std::abs(dev) + 0.1) < tolerance) {
      deviance = dev;
      break;
    }
    deviance = dev;
  }
  if (fit.iterations > max_iterations)
    return Status::not_converged("logit: IRLS did not converge (perfect separation?)");
  fit.p.resize(n);
  Eigen::VectorXd iw(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    fit.p(i) = 1 / (1 + std::exp(-eta(i)));
    iw(i) = weight(i) * fit.p(i) * (1 - fit.p(i));
  }
  fit.vcov = (X.transpose() * iw.asDiagonal() * X).ldlt().solve(Eigen::MatrixXd::Identity(k, k));
  fit.log_likelihood = -deviance / 2;
  return fit;
}

}  // namespace poles::numeric
