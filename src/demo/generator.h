// Synthetic France: a seeded, calibrated demo ecosystem of clusters, organisations, projects,
// services, contracts, calls and a firm panel with planted causal effects whose true values are
// written to the `truth` entity. Every name is marked synthetic. Calibration targets and the
// panel's data-generating process are documented in docs/demo-data.md.
//
// The generator writes rows to a Sink in reference order (clusters before memberships, …), so
// the same stream can go through the Loader into a store or straight to files.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/schema.h"
#include "core/status.h"
#include "core/value.h"

namespace poles::demo {

enum class Scale : uint8_t { kSmall, kFrance, kNational };
std::optional<Scale> parse_scale(std::string_view text);

struct Options {
  uint64_t seed = 2026;
  Scale scale = Scale::kFrance;
};

// Sizes of one scale (see docs/demo-data.md).
struct Plan {
  int clusters = 71;
  int companies = 8500;  // member companies (organisations with a SIREN)
  // Research, higher education, training, SATT, funders, public bodies, associations: about
  // 1,150 research bodies (research, higher education, SATT: 61 % of them), as the sources count
  // the "instituts de recherche" among the members, beside the others.
  int others = 1900;
  int projects = 2000;
  int non_member_ratio = 10;  // panel firms that never join, per member company
  int first_year = 2000;      // firm panel years
  int last_year = 2024;
  int calls = 6;
  int proposals_per_call = 60;
  int reviewers = 90;
};
Plan plan_for(Scale scale);

class Sink {
 public:
  virtual ~Sink() = default;
  // One row of `e`, typed as the schema says (dates as ISO text, booleans 0/1).
  virtual void add(const schema::Entity& e, Row row) = 0;
};

// Rows written per entity.
using Counts = std::map<std::string, int64_t>;

// Generates the whole ecosystem. Deterministic: the same options give the same rows in the same
// order (on the same standard library).
Counts generate(const Options& options, Sink& sink);

}  // namespace poles::demo
