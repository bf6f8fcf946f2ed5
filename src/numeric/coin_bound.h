// A program as COIN-OR's solvers take it (the MILP of milp.cpp and the LP of lp.cpp).
#pragma once

#include <CoinFinite.hpp>
#include <CoinPackedMatrix.hpp>
#include <vector>

#include "numeric/milp.h"

namespace poles::numeric {

// An infinite bound as COIN-OR spells it.
inline double coin_bound(double v) {
  return v == kInf ? COIN_DBL_MAX : v == -kInf ? -COIN_DBL_MAX : v;
}

// The matrix (sized explicitly: rows or columns without any coefficient at the end are not in
// the triplets) and the bounds in COIN's spelling, ready for loadProblem().
struct CoinProgram {
  CoinPackedMatrix matrix;
  std::vector<double> clo, chi, rlo, rhi;

  explicit CoinProgram(const SparseProgram& p)
      : matrix(false, p.t_row.data(), p.t_col.data(), p.t_val.data(),
               static_cast<CoinBigIndex>(p.t_val.size())),
        clo(p.col_lo.size()),
        chi(p.col_hi.size()),
        rlo(p.row_lo.size()),
        rhi(p.row_hi.size()) {
    matrix.setDimensions(static_cast<int>(p.row_lo.size()), static_cast<int>(p.col_lo.size()));
    for (size_t i = 0; i < clo.size(); ++i)
      clo[i] = coin_bound(p.col_lo[i]), chi[i] = coin_bound(p.col_hi[i]);
    for (size_t i = 0; i < rlo.size(); ++i)
      rlo[i] = coin_bound(p.row_lo[i]), rhi[i] = coin_bound(p.row_hi[i]);
  }
};

}  // namespace poles::numeric
