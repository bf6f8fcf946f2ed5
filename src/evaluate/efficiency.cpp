#include "evaluate/efficiency.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "numeric/milp.h"

namespace poles::evaluate {

namespace {

// `t` with each column divided by its mean over `units`: DEA is invariant to the units of
// measure, and euros beside full-time equivalents would put coefficients 1e7 apart in one LP.
Table scaled(const Table& t, const std::vector<size_t>& units) {
  Table s = t;
  for (size_t c = 0; c < t.cols; ++c) {
    double mean = 0;
    for (size_t j : units) mean += t.at(j, c);
    mean /= static_cast<double>(units.size());
    if (mean <= 0) continue;
    for (size_t j = 0; j < t.rows; ++j) s.at(j, c) = t.at(j, c) / mean;
  }
  return s;
}

}  // namespace

Result<std::vector<DeaUnit>> dea(const Table& raw_in, const Table& raw_out, Orientation o,
                                 Returns ret) {
  const Table& in = raw_in;
  const Table& out = raw_out;
  if (in.rows != out.rows)
    return Status::invalid_argument("DEA: the inputs and outputs tables differ in rows");
  const size_t n = in.rows;
  std::vector<size_t> units;  // the units assessed
  for (size_t j = 0; j < n; ++j) {
    // Inputs positive: an input of 0 (often a figure missing, imported as 0) would make the unit
    // efficient whatever it produces, and a peer of every other.
    bool ok = true;
    for (size_t i = 0; i < in.cols; ++i) ok = ok && std::isfinite(in.at(j, i)) && in.at(j, i) > 0;
    for (size_t r = 0; r < out.cols; ++r)
      ok = ok && std::isfinite(out.at(j, r)) && out.at(j, r) >= 0;
    if (ok) units.push_back(j);
  }
  if (in.cols == 0 || out.cols == 0)
    return Status::invalid_argument("DEA needs one input and one output at least");
  std::vector<DeaUnit> result(n);
  // Fewer than two units to compare: none is assessed (each says why), no error.
  if (units.size() < 2) return result;
  const Table x = scaled(raw_in, units), y = scaled(raw_out, units);
  const bool input = o == Orientation::kInput;
  for (size_t u : units) {
    bool produces = false;
    for (size_t r = 0; r < y.cols; ++r) produces = produces || y.at(u, r) > 0;
    if (!produces && !input) {
      // Nothing produced, output-oriented: no output can be expanded (φ unbounded): efficiency 0.
      // Input-oriented, the LP answers: θ = 0 under constant returns, the smallest unit's share
      // of the inputs under variable returns.
      result[u] =
          DeaUnit{true, 0, std::numeric_limits<double>::infinity(), std::vector<double>(n, 0)};
      continue;
    }
    numeric::Milp lp;
    lp.maximise(!input);
    // The radial factor θ (or φ) is the first column; λ_j follow in the order of `units`.
    const int score = lp.add_column(1, input ? 0 : 1, numeric::kInf, false);
    std::vector<int> lambda;
    for (size_t j = 0; j < units.size(); ++j)
      lambda.push_back(lp.add_column(0, 0, numeric::kInf, false));
    std::vector<int> cols = lambda;
    cols.push_back(score);
    for (size_t i = 0; i < x.cols; ++i) {
      std::vector<double> coef;
      for (size_t j : units) coef.push_back(x.at(j, i));
      // input: Σ λ x − θ x_o <= 0; output: Σ λ x <= x_o.
      coef.push_back(input ? -x.at(u, i) : 0.0);
      lp.add_row(cols, coef, -numeric::kInf, input ? 0.0 : x.at(u, i));
    }
    for (size_t r = 0; r < y.cols; ++r) {
      std::vector<double> coef;
      for (size_t j : units) coef.push_back(y.at(j, r));
      // input: Σ λ y >= y_o; output: Σ λ y − φ y_o >= 0.
      coef.push_back(input ? 0.0 : -y.at(u, r));
      lp.add_row(cols, coef, input ? y.at(u, r) : 0.0, numeric::kInf);
    }
    if (ret == Returns::kVariable)
      lp.add_row(lambda, std::vector<double>(lambda.size(), 1.0), 1, 1);
    auto sol = lp.solve(10);
    if (!sol)
      return Status::invalid_argument(
          fmt::format("DEA: the LP of row {} failed: {}", u, sol.error().message()));
    DeaUnit d;
    d.assessed = true;
    const double s = sol->x[static_cast<size_t>(score)];
    // Clp's optimum may pass 1 by rounding (1 + 1e-12) for a unit on the frontier.
    d.efficiency = std::min(1.0, input ? s : 1 / s);
    d.expansion = input ? (s > 0 ? 1 / s : std::numeric_limits<double>::infinity()) : s;
    d.lambda.assign(n, 0);
    for (size_t j = 0; j < units.size(); ++j) {
      const double l = sol->x[static_cast<size_t>(lambda[j])];
      d.lambda[units[j]] = l > 1e-9 ? l : 0;
    }
    result[u] = std::move(d);
  }
  return result;
}

}  // namespace poles::evaluate
