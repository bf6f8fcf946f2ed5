// A linear program solved many times over the same constraints with different objectives, by
// Clp's primal simplex warm-started from the previous basis. The secrecy audit asks, for every
// masked cell, its minimum and its maximum over one polytope: two objectives per cell, hundreds
// per table, each a few pivots from the last optimum. (milp.h rebuilds the model on each solve.)
#pragma once

#include <memory>
#include <vector>

#include "core/status.h"
#include "numeric/milp.h"

namespace poles::numeric {

class RepeatedLp {
 public:
  RepeatedLp();
  ~RepeatedLp();
  RepeatedLp(RepeatedLp&&) noexcept;
  RepeatedLp& operator=(RepeatedLp&&) noexcept;

  // Adds a column lower <= x <= upper (±kInf for unbounded) and returns its index.
  int add_column(double lower, double upper);
  // Adds the row lower <= Σ coef·x[col] <= upper and returns its index.
  int add_row(const std::vector<int>& cols, const std::vector<double>& coefs, double lower,
              double upper);
  // Changes a column's bounds (also after the model is built: the next solve starts from the
  // last basis).
  void set_bounds(int col, double lower, double upper);
  size_t columns() const { return p_.col_lo.size(); }
  size_t rows() const { return p_.row_lo.size(); }

  struct Optimum {
    double objective = 0;
    bool unbounded = false;  // the objective has no finite optimum (objective is then ±inf)
    std::vector<double> x;   // filled only when asked
  };
  // Minimises (or maximises) Σ coef·x[col] over the program; the model is built on the first
  // call and reused (no row or column may be added after). Infeasible: kInvalidArgument;
  // unbounded: an Optimum flagged `unbounded`. Not thread-safe: one program per thread.
  Result<Optimum> optimise(const std::vector<int>& cols, const std::vector<double>& coefs,
                           bool maximise, bool want_x = false);

 private:
  struct Model;
  std::unique_ptr<Model> model_;
  SparseProgram p_;
  std::vector<int> last_cols_;  // the objective's columns of the last call, reset to 0 next time
};

}  // namespace poles::numeric
