// An infinite bound as COIN-OR's solvers spell it (the MILP of milp.cpp and the LP of lp.cpp).
#pragma once

#include <CoinFinite.hpp>

#include "numeric/milp.h"

namespace poles::numeric {

inline double coin_bound(double v) {
  return v == kInf ? COIN_DBL_MAX : v == -kInf ? -COIN_DBL_MAX : v;
}

}  // namespace poles::numeric
