#include "numeric/milp.h"

#include <fmt/format.h>

#include <CbcModel.hpp>
#include <ClpSolve.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>
#include <algorithm>
#include <mutex>

#include "numeric/coin_bound.h"

namespace poles::numeric {
namespace {
std::mutex& cbc_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace

int SparseProgram::add_column(double lower, double upper) {
  col_lo.push_back(lower);
  col_hi.push_back(upper);
  return static_cast<int>(col_lo.size() - 1);
}

int SparseProgram::add_row(const std::vector<int>& cols, const std::vector<double>& coefs,
                           double lower, double upper) {
  const int r = static_cast<int>(row_lo.size());
  for (size_t i = 0; i < cols.size(); ++i) {
    t_row.push_back(r);
    t_col.push_back(cols[i]);
    t_val.push_back(coefs[i]);
  }
  row_lo.push_back(lower);
  row_hi.push_back(upper);
  return r;
}

int Milp::add_column(double objective, double lower, double upper, bool integer) {
  obj_.push_back(objective);
  integer_.push_back(integer ? 1 : 0);
  return p_.add_column(lower, upper);
}

int Milp::add_row(const std::vector<int>& cols, const std::vector<double>& coefs, double lower,
                  double upper) {
  return p_.add_row(cols, coefs, lower, upper);
}

Result<Milp::Solution> Milp::solve(double time_limit_seconds) const {
  const int n = static_cast<int>(obj_.size());
  if (n == 0) {
    Solution empty;
    empty.optimal = true;
    return empty;
  }
  const CoinProgram coin(p_);

  std::lock_guard lock(cbc_mutex());
  try {
    OsiClpSolverInterface solver;
    solver.messageHandler()->setLogLevel(0);
    solver.loadProblem(coin.matrix, coin.clo.data(), coin.chi.data(), obj_.data(), coin.rlo.data(),
                       coin.rhi.data());
    for (int c = 0; c < n; ++c) {
      if (integer_[static_cast<size_t>(c)]) solver.setInteger(c);
    }
    solver.setObjSense(maximise_ ? -1.0 : 1.0);
    // The root relaxation by primal simplex after presolve: on the assignment (a transportation
    // problem with many more columns than rows: 2,000 proposals x 40 candidates, 2,500 rows) it
    // takes 1.4 s where Clp's default dual simplex takes 25 s, for the same optimum.
    ClpSolve root;
    root.setSolveType(ClpSolve::usePrimal);
    root.setPresolveType(ClpSolve::presolveOn);
    solver.setSolveOptions(root);
    solver.initialSolve();
    // A linear program (no integer column) is solved by Clp alone.
    if (std::none_of(integer_.begin(), integer_.end(), [](uint8_t i) { return i != 0; })) {
      if (solver.isProvenPrimalInfeasible())
        return Status::invalid_argument("the program has no feasible solution");
      if (solver.isProvenDualInfeasible())
        return Status::invalid_argument("the program is unbounded");
      if (!solver.isProvenOptimal()) return Status::not_converged("Clp did not reach an optimum");
      Solution s;
      s.x.assign(solver.getColSolution(), solver.getColSolution() + n);
      s.objective = solver.getObjValue();
      s.optimal = true;
      return s;
    }
    CbcModel model(solver);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    model.setMaximumSeconds(time_limit_seconds);
    model.branchAndBound();
    if (model.isProvenInfeasible() || model.isInitialSolveProvenPrimalInfeasible()) {
      return Status::invalid_argument("the program has no feasible solution");
    }
    const double* best = model.bestSolution();
    if (best == nullptr) {
      return Status::not_converged(
          fmt::format("CBC found no integer solution within {} s", time_limit_seconds));
    }
    Solution s;
    s.x.assign(best, best + n);
    s.objective = model.getObjValue();
    s.optimal = model.isProvenOptimal();
    s.nodes = model.getNodeCount();
    return s;
  } catch (const CoinError& e) {
    return Status::internal(fmt::format("CBC: {} ({})", e.message(), e.methodName()));
  }
}

}  // namespace poles::numeric
