// Request parameters as the CLI and the API pass them to the app layer (the same names on both).
//
// Each use case declares its parameters once as a ParamSpecs list: name, kind, bounds or
// choices, default and help. That list is the one source of the API's query parameters (and of
// their OpenAPI description) and of the CLI's options; `parse` checks every given value against
// it and reports **all** the errors of a request together — a bad value is never replaced by
// the default, an unknown parameter is an error that lists the known ones. An empty value (an
// empty field of a form) counts as not given.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace poles::app {

// Parameters as given: name -> text value (query string, CLI options).
using Params = std::map<std::string, std::string>;

enum class ParamKind : uint8_t { kInteger, kNumber, kText, kFlag, kChoice, kList };

struct ParamSpec {
  std::string name;
  ParamKind kind = ParamKind::kText;
  std::string help;
  // The default as text, applied when the parameter is absent; empty: none (absent means "not
  // given", and the use case documents what it does then, e.g. "the latest year of the data").
  std::string fallback;
  // kInteger and kNumber: inclusive bounds.
  double lo = 0;
  double hi = 0;
  // kChoice: the allowed values; kList: the allowed items (empty: any).
  std::vector<std::string> choices;
};
using ParamSpecs = std::vector<ParamSpec>;

ParamSpec integer_param(std::string name, std::string help, double lo, double hi,
                        std::string fallback = "");
ParamSpec number_param(std::string name, std::string help, double lo, double hi,
                       std::string fallback = "");
ParamSpec text_param(std::string name, std::string help, std::string fallback = "");
ParamSpec choice_param(std::string name, std::string help, std::vector<std::string> choices,
                       std::string fallback = "");
ParamSpec flag_param(std::string name, std::string help);  // "true" or "false"; default false
ParamSpec list_param(std::string name, std::string help, std::vector<std::string> choices = {});
// The usual year parameter (1900–2100).
ParamSpec year_param(std::string name, std::string help, std::string fallback = "");

// Parameters checked against their specs. Getters REQUIRE a name declared with the matching
// kind (a programming error otherwise, caught by the tests of the route).
class Args {
 public:
  Args() = default;
  // Whether the parameter was given or has a default.
  bool has(const std::string& name) const;
  int integer(const std::string& name) const;  // REQUIRES has(name)
  std::optional<int> opt_integer(const std::string& name) const;
  double number(const std::string& name) const;  // REQUIRES has(name)
  std::optional<double> opt_number(const std::string& name) const;
  // Text and choice parameters: the value, or "" when absent without default.
  const std::string& text(const std::string& name) const;
  bool flag(const std::string& name) const;
  // List parameters, split on commas (empty when absent).
  std::vector<std::string> list(const std::string& name) const;
  // The values in force (given or defaulted), as text: for cache keys and job records.
  const Params& values() const { return values_; }

 private:
  friend Result<Args> parse(const ParamSpecs& specs, const Params& given);
  const ParamSpec& spec(const std::string& name, ParamKind kind) const;
  Params values_;
  std::map<std::string, ParamSpec> specs_;
};

// `base` followed by what recording a result adds: replace=true|false and date=YYYY-MM-DD.
ParamSpecs recording_params(const ParamSpecs& base);

// Checks `given` against `specs`: every bad value and every unknown name is reported, each as a
// field error (field = the parameter, value, rule), in one InvalidArgument status.
Result<Args> parse(const ParamSpecs& specs, const Params& given);

// One line per parameter, for help texts: "year (integer 1900–2100, default 2024): …".
std::string describe(const ParamSpec& spec);

// --- the former helpers, for use cases that still read a raw Params ----------------------------
// The value, or `fallback` when absent or empty; InvalidArgument outside [lo, hi] or not a number.
Result<double> number(const Params& p, const std::string& name, double fallback, double lo,
                      double hi);
Result<int> integer(const Params& p, const std::string& name, int fallback, int lo, int hi);
// The text value, or `fallback` when absent or empty.
std::string text(const Params& p, const std::string& name, const std::string& fallback = "");

}  // namespace poles::app
