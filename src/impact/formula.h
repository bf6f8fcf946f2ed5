// Regression formulas in fixest's syntax, for the parts evaluators use, turned into the columns
// of a regression on a frame:
//
//   y ~ x1 + log(z) + i(var) + i(var, ref) + i(var, treat, ref) + x1:x2 | fe1 + fe2 + fe1^fe2
//
// - the outcome and every numeric term are Frame::numeric expressions (`x`, `log(x)`,
//   `log1p(x)`); `a:b` is their product (any number of factors);
// - `i(var)` is one dummy per value of `var` (a categorical: its values as Frame::codes orders
//   them), `i(var, ref)` leaves out the value `ref` (also `ref = value`), `i(var, treat, ref)`
//   interacts each dummy with the numeric `treat` (the event study `i(period, treat, 5)`): the
//   second argument is the interacted variable when it names a column, else the reference; the
//   columns are named as fixest names them, `var::value` and `var::value:treat`;
// - after `|`, fixed effects, `a^b` the combination of a and b (one level per pair seen).
// A row where a variable is missing is missing in the columns built from it (feols drops it).
// Errors name the term and the rule; nothing is estimated here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "impact/frame.h"
#include "impact/hdfe.h"

namespace poles::impact {

struct ModelColumns {
  std::string y_name;
  std::vector<double> y;
  std::vector<std::string> x_names;
  std::vector<std::vector<double>> x;
  std::vector<FixedEffect> fe;
};

Result<ModelColumns> model_columns(const Frame& frame, std::string_view formula);

// Cluster variables as fixest's `cluster = ~c1 + c2` (the `~` optional; `a^b` combined; one or
// two). A formula has at most 8 fixed effects, each combining at most 4 variables.
Result<std::vector<FixedEffect>> cluster_columns(const Frame& frame, std::string_view formula);

// The rows of `frame` that satisfy `condition`: `column op value`, op one of == != < <= > >= (the
// ordering ones on numeric columns), e.g. `region == 84` or `year >= 2010`.
Result<Frame> subset_rows(const Frame& frame, std::string_view condition);
// The column a condition names (before its operator, trimmed); "" without an operator.
std::string_view subset_column(std::string_view condition);

}  // namespace poles::impact
