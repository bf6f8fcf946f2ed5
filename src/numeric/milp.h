// A mixed-integer linear program and its solution by CBC (COIN-OR branch and cut, through Clp).
// The assignment, the portfolio and benefit-of-the-doubt weights are written against this small
// interface, so the solver is one place: columns with bounds, objective and integrality; rows as
// sparse linear ranges.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "core/status.h"

namespace poles::numeric {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// Columns with their bounds and rows as sparse linear ranges (in triplet form): what the MILP and
// the repeated LP (lp.h) are both built from.
struct SparseProgram {
  std::vector<double> col_lo, col_hi, row_lo, row_hi;
  std::vector<int> t_row, t_col;
  std::vector<double> t_val;

  // Adds a column lower <= x <= upper and returns its index.
  int add_column(double lower, double upper);
  // Adds the row lower <= Σ coef·x[col] <= upper (±kInf for a one-sided row); returns its index.
  int add_row(const std::vector<int>& cols, const std::vector<double>& coefs, double lower,
              double upper);
};

class Milp {
 public:
  // Adds a column (variable) and returns its index.
  int add_column(double objective, double lower, double upper, bool integer);
  // Adds the row lower <= Σ coef·x[col] <= upper (±kInf for a one-sided row); returns its index.
  int add_row(const std::vector<int>& cols, const std::vector<double>& coefs, double lower,
              double upper);
  void maximise(bool yes = true) { maximise_ = yes; }

  size_t columns() const { return obj_.size(); }
  size_t rows() const { return p_.row_lo.size(); }

  struct Solution {
    std::vector<double> x;  // value of each column
    double objective = 0;
    bool optimal = false;  // proven optimal (else the best found within the limits)
    int64_t nodes = 0;     // branch-and-bound nodes explored
  };
  // Solves with CBC. Infeasible: kInvalidArgument; no integer solution within the time limit:
  // kNotConverged. CBC runs under a process-wide mutex (its message handlers are shared state).
  Result<Solution> solve(double time_limit_seconds = 60) const;

 private:
  std::vector<double> obj_;
  std::vector<uint8_t> integer_;
  SparseProgram p_;
  bool maximise_ = false;
};

}  // namespace poles::numeric
