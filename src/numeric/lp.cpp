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

int RepeatedLp::add_column(double lower, double upper) {
  col_lo_.push_back(lower);
  col_hi_.push_back(upper);
  return static_cast<int>(col_lo_.size() - 1);
}

void RepeatedLp::set_bounds(int col, double lower, double upper) {
  col_lo_[static_cast<size_t>(col)] = lower;
  col_hi_[static_cast<size_t>(col)] = upper;
  if (model_) {
    model_->clp.setColumnLower(col, coin_bound(lower));
    model_->clp.setColumnUpper(col, coin_bound(upper));
  }
}

int RepeatedLp::add_row(const std::vector<int>& cols, const std::vector<double>& coefs,
                        double lower, double upper) {
  const int r = static_cast<int>(row_lo_.size());
  for (size_t i = 0; i < cols.size(); ++i) {
    t_row_.push_back(r);
    t_col_.push_back(cols[i]);
    t_val_.push_back(coefs[i]);
  }
  row_lo_.push_back(lower);
  row_hi_.push_back(upper);
  return r;
}

Result<RepeatedLp::Optimum> RepeatedLp::optimise(const std::vector<int>& cols,
                                                 const std::vector<double>& coefs, bool maximise,
                                                 bool want_x) {
  const int n = static_cast<int>(col_lo_.size());
  if (!model_) {
    model_ = std::make_unique<Model>();
    CoinPackedMatrix matrix(false, t_row_.data(), t_col_.data(), t_val_.data(),
                            static_cast<CoinBigIndex>(t_val_.size()));
    matrix.setDimensions(static_cast<int>(row_lo_.size()), n);
    std::vector<double> clo(col_lo_.size()), chi(col_hi_.size()), rlo(row_lo_.size()),
        rhi(row_hi_.size()), obj(col_lo_.size(), 0.0);
    for (size_t i = 0; i < clo.size(); ++i)
      clo[i] = coin_bound(col_lo_[i]), chi[i] = coin_bound(col_hi_[i]);
    for (size_t i = 0; i < rlo.size(); ++i)
      rlo[i] = coin_bound(row_lo_[i]), rhi[i] = coin_bound(row_hi_[i]);
    model_->clp.setLogLevel(0);
    model_->clp.messageHandler()->setLogLevel(0);
    model_->clp.loadProblem(matrix, clo.data(), chi.data(), obj.data(), rlo.data(), rhi.data());
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
