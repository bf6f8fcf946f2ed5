// Request parameters as the CLI and the API pass them to the app layer (the same names on both),
// with parsing that names the parameter, the value and the rule when a value is bad.
#pragma once

#include <map>
#include <string>

#include "core/status.h"

namespace poles::app {

using Params = std::map<std::string, std::string>;

// The value, or `fallback` when absent or empty; InvalidArgument outside [lo, hi] or not a number.
Result<double> number(const Params& p, const std::string& name, double fallback, double lo,
                      double hi);
Result<int> integer(const Params& p, const std::string& name, int fallback, int lo, int hi);
// The text value, or `fallback` when absent or empty.
std::string text(const Params& p, const std::string& name, const std::string& fallback = "");

}  // namespace poles::app
