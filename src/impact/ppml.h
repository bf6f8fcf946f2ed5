// Poisson pseudo-maximum likelihood with any number of high-dimensional fixed effects (PPML, as
// fixest's fepois): the standard estimator for counts (patents) and for outcomes with zeros
// (trade flows). Iteratively reweighted least squares: each step regresses the working variable
// z = η + (y − μ)/μ on the regressors with weights μ, the fixed effects projected out of both
// (feols on the weighted columns), until the deviance changes by less than `tolerance`
// relatively (|Δdev| / (0.1 + |dev|), fixest's glm.tol). Before that, the rows of every
// fixed-effect level whose outcome is zero throughout are dropped, repeatedly (their effect
// would be −∞ and they say nothing about the slopes: fixest's perfect-fit removal), and reported.
// The variance is the inverse of the weighted Gram matrix of the demeaned regressors (the
// Poisson dispersion is 1), heteroskedasticity-robust, or clustered (one or two ways), both as
// R's sandwich::vcovHC(type = "HC0") and vcovCL(type = "HC0") on the glm with dummies: no
// (n − 1)/(n − K) factor, G/(G − 1) for clusters. Tests are z tests.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "core/status.h"
#include "impact/hdfe.h"

namespace poles::impact {

struct PoissonInput {
  std::string y_name;
  std::vector<double> y;  // counts or any non-negative outcome
  std::vector<std::string> x_names;
  std::vector<std::vector<double>> x;
  std::vector<FixedEffect> fe;  // none: an intercept is estimated
  VcovSpec vcov;                // kIid, kHetero or kCluster (adjust is not used)
  int max_iterations = 25;      // fixest's glm.iter
  double tolerance = 1e-8;      // fixest's glm.tol
  DemeanOptions demean;
};

struct PoissonResult {
  std::vector<std::string> names, collinear;
  Eigen::VectorXd coef, se, z, p;
  Eigen::MatrixXd vcov;
  int64_t n = 0, missing = 0;
  int64_t perfect_fit = 0;  // rows dropped: their fixed-effect level has a zero outcome throughout
  int64_t clusters = 0;
  int iterations = 0;
  double deviance = 0, null_deviance = 0, pseudo_r2 = 0;
  std::vector<char> used;  // rows of the input used
};

// Rows with a missing value or a negative fixed-effect code are dropped; a negative outcome is an
// error; NotConverged when the deviance does not settle within max_iterations.
Result<PoissonResult> fepois(PoissonInput input);

}  // namespace poles::impact
