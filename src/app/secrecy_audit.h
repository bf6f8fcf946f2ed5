// The secrecy audit anyone can run (`poles secrecy audit`): every table a publisher of firm
// figures publishes for the data version is attacked by linear programming — for each masked
// cell, its minimum and maximum subject to every published value of every linked table, the sums
// that bind them and non-negativity — and each primary cell must keep its protection interval.
// The same tables under the former suppression (no line with one masked cell) and with primary
// suppression only are the baselines of the information loss (docs/secrecy.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/secrecy.h"
#include "app/stats.h"
#include "core/status.h"
#include "core/typed_json.h"
#include "snapshot/snapshot.h"

namespace poles::app {

// The narrowest interval an attacker finds for a primary cell of a publisher's tables.
struct SecrecyAuditCell {
  std::string table;
  std::string row, column;
  double value = 0;
  std::optional<double> low, up;              // null: unbounded
  std::optional<double> relative_half_width;  // min(value − low, up − value) / |value|
};
POLES_JSON(SecrecyAuditCell, table, row, column, value, low, up, relative_half_width)

struct SecrecyAuditPublisher {
  std::string publisher;    // the route
  std::string suppression;  // linked (published), line_rule or primary_only (baselines)
  int tables = 0;
  int cells = 0;                  // non-empty cells, margins included
  int primary = 0;                // cells masked by the primary rule
  int secondary = 0;              // cells masked to protect them
  double cells_masked_share = 0;  // (primary + secondary) / cells
  double value_masked_share = 0;  // Σ|value| of masked inner cells / Σ|value| of inner cells
  int attacked = 0;               // masked cells whose interval was computed
  int exact = 0;                  // masked cells the attacker recovers exactly
  int failures = 0;               // primary cells narrower than the protection interval
  // Publishers of a period the caller chooses (secrecy::OverYears): the period cells that fail
  // the rule, attacked from their years' tables (counted in attacked and failures too).
  int period_cells = 0;
  // Tables published to all and read by insiders (a cluster's manager knows its cluster's row,
  // a region its clusters', a firm alone in a masked cell that cell): each year's table attacked
  // as each insider that knows a masked cell reads it, and the period cells that fail the rule
  // for it (their failures count in failures).
  int insider_views = 0;
  int insider_failures = 0;
  std::optional<SecrecyAuditCell> narrowest;
  double seconds = 0;
};
POLES_JSON(SecrecyAuditPublisher, publisher, suppression, tables, cells, primary, secondary,
           cells_masked_share, value_masked_share, attacked, exact, failures, period_cells,
           insider_views, insider_failures, narrowest, seconds)

struct SecrecyAudit {
  SecrecyRuleView rule;
  double protection = 0;
  std::vector<SecrecyAuditPublisher> publishers;
  bool passed = true;  // every published table passes (baselines do not count)
};
POLES_JSON(SecrecyAudit, rule, protection, publishers, passed)

struct SecrecyAuditOptions {
  std::optional<int> year;      // one year of the panel, or all
  bool baselines = false;       // also attack the former suppression and primary-only
  bool primaries_only = false;  // attack only primary cells (faster; secondaries not counted)
  int threads = 1;
};

Result<SecrecyAudit> secrecy_audit(const snapshot::Snapshot& s, const SecrecyAuditOptions& o,
                                   const SecrecyRule& rule = {});

}  // namespace poles::app
