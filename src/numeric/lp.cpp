#include "numeric/lp.h"

#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>

#include "numeric/coin_bound.h"

namespace poles::numeric {
struct RepeatedLp::Model {
  ClpSimplex clp;
};

RepeatedLp::RepeatedLp() = default;
RepeatedLp::~RepeatedLp() = default;
RepeatedLp::RepeatedLp(RepeatedLp&&) noexcept = default;
RepeatedLp& RepeatedLp::operator=(RepeatedLp&&) noexcept = default;

int RepeatedLp::add_column(double lower, double upper) { return p_.add_column(lower, upper); }

void RepeatedLp::set_bounds(int col, double lower, double upper) {
  p_.col_lo[static_cast<size_t>(col)] = lower;
  p_.col_hi[static_cast<size_t>(col)] = upper;
  if (model_) {
    model_->clp.setColumnLower(col, coin_bound(lower));
    model_->clp.setColumnUpper(col, coin_bound(upper));
  }
}

int RepeatedLp::add_row(const std::vector<int>& cols, const std::vector<double>& coefs,
                        double lower, double upper) {
  return p_.add_row(cols, coefs, lower, upper);
}

Result<RepeatedLp::Optimum> RepeatedLp::optimise(const std::vector<int>& cols,
                                                 const std::vector<double>& coefs, bool maximise,
                                                 bool want_x) {
  const int n = static_cast<int>(p_.col_lo.size());
  if (!model_) {
    model_ = std::make_unique<Model>();
    const CoinProgram coin(p_);
    const std::vector<double> obj(p_.col_lo.size(), 0.0);
    model_->clp.setLogLevel(0);
    model_->clp.messageHandler()->setLogLevel(0);
    model_->clp.loadProblem(coin.matrix, coin.clo.data(), coin.chi.data(), obj.data(),
                            coin.rlo.data(), coin.rhi.data());
  }
  ClpSimplex& clp = model_->clp;
  for (int c : last_cols_) clp.setObjectiveCoefficient(c, 0.0);
  for (size_t i = 0; i < cols.size(); ++i) clp.setObjectiveCoefficient(cols[i], coefs[i]);
  last_cols_ = cols;
  clp.setOptimizationDirection(maximise ? -1.0 : 1.0);
  try {
    clp.primal();
  } catch (const CoinError& e) {
    return Status::internal("Clp: " + e.message());
  }
  if (clp.status() == 1) return Status::invalid_argument("the program has no feasible solution");
  if (clp.status() == 2) {
    Optimum out;
    out.unbounded = true;
    out.objective = maximise ? kInf : -kInf;
    return out;
  }
  if (clp.status() != 0) return Status::not_converged("Clp did not reach an optimum");
  Optimum out;
  const double* x = clp.primalColumnSolution();
  for (size_t i = 0; i < cols.size(); ++i) out.objective += coefs[i] * x[cols[i]];
  if (want_x) out.x.assign(x, x + n);
  return out;
}

}  // namespace poles::numeric
