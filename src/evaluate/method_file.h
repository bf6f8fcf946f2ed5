// A methodology file (TOML; methods/default.toml is shipped): which indicators, their directions,
// weights, targets and goalposts, the steps (imputation, outliers, normalisation, weighting,
// aggregation), the pillars' weights, peer groups, the uncertainty analysis, the rating classes and
// the ladder of corrective actions. Loading validates everything and names the problem: the file,
// the key, the value and the rule.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "core/status.h"
#include "evaluate/audit.h"
#include "evaluate/composite.h"
#include "evaluate/efficiency.h"
#include "evaluate/sensitivity.h"

namespace poles::evaluate {

// One rung of the ladder: matched when every condition given holds.
struct ActionRule {
  int level = 0;
  std::string action;                // e.g. "review at 18 months, funding revisable"
  std::string action_fr;             // the same in French (the reports' language)
  std::vector<std::string> ratings;  // rating classes that match (empty: any)
  int min_consecutive_misses = 0;    // years in a row with too few targets met
  std::string trend;                 // "down", "up" or "" (any): the index against the year before
  int improvement_plan = -1;  // 1: the contract has an improvement plan; 0: it has none; −1: any
  // Absolute criteria ([[criterion]]): at least this many failed (0: no condition) in each of
  // the last `min_years_failing` years (persistence; 1: this year).
  int min_criteria_failed = 0;
  int min_years_failing = 1;
};

// An absolute criterion on one indicator of the catalogue: its value must be >= min, <= max,
// and must not have fallen by more than max_fall (a share of the year before's value). A bound
// left NaN is not checked; a value unknown leaves the criterion unknown (neither met nor failed).
struct Criterion {
  std::string id;
  std::string indicator;
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
  double max_fall = std::numeric_limits<double>::quiet_NaN();
  std::string text_fr, text_en;  // what it requires, for reasons and reports
};

struct RatingClass {
  std::string name;
  double top_share =
      0;  // share of units in this class, from the top (the last class takes the rest)
};

// The efficiency analysis (DEA) of a method: which catalogue indicators are inputs and outputs.
struct EfficiencySpec {
  std::vector<std::string> inputs = {"budget", "staff", "public_funding"};
  std::vector<std::string> outputs = {"projects_labelled", "products_on_market", "members",
                                      "services_delivered"};
  Orientation orientation = Orientation::kInput;
  Returns returns = Returns::kVariable;
};

inline constexpr std::string_view kNotDistinguishable = "not_distinguishable";

struct MethodFile {
  std::string name, description, path;
  std::string title_fr, title_en, description_fr;  // for reports (default: name, description)
  std::vector<std::string> indicators;             // ids, in the file's order
  Method method;  // indicators in that order; pillars indexed in kPillarCodes order
  std::vector<std::string> pillars;   // pillar codes used, in index order
  std::string peer_groups = "scale";  // none | scale | region
  size_t draws = 10000;
  uint64_t seed = 1;
  size_t sobol_n = 500;
  Alternatives alternatives;
  std::vector<RatingClass> ratings;
  // How a cluster gets its rating class: "rank" (its rank falls in the class's share of the
  // ranking: a quota, every year the bottom share is rated lowest) or "interval" (its whole
  // 5–95 % rank interval lies in the class; otherwise "not_distinguishable").
  std::string rating_by = "rank";
  std::vector<Criterion> criteria;
  double min_targets_met_share = 0.6;  // a contract year is missed below this share of targets met
  std::vector<ActionRule> ladder;      // any order; the highest level matched is proposed
  AuditThresholds audit;               // [audit]: the statistical audit's flags
  EfficiencySpec efficiency;           // [efficiency]: DEA inputs, outputs, model
};

Result<MethodFile> load_method(const std::string& path);
Result<MethodFile> parse_method(const std::string& toml_text, const std::string& source_name);

}  // namespace poles::evaluate
