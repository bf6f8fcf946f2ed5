// Weighted logistic regression by iteratively reweighted least squares (as R's glm with the
// binomial family): the propensity scores of matching and of the IPW and doubly robust DiD, and
// the success model of the innovation risk. One logit for the whole code base.
#pragma once

#include <Eigen/Dense>

#include "core/status.h"

namespace poles::numeric {

struct LogitFit {
  Eigen::VectorXd coef;
  Eigen::MatrixXd vcov;  // inverse of X' diag(w p (1 - p)) X
  Eigen::VectorXd p;     // fitted probabilities
  double log_likelihood = 0;
  int iterations = 0;
};

// X includes the intercept column; w may be empty (unit weights). Fails on a singular design or
// when the deviance does not settle (perfect separation).
Result<LogitFit> fit_logit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                           const Eigen::VectorXd& w = {}, int max_iterations = 100,
                           double tolerance = 1e-12);

}  // namespace poles::numeric
