// The app layer's names for statistical secrecy (src/secrecy/): the rule and the two-way table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "core/typed_json.h"
#include "secrecy/linked.h"
#include "secrecy/periods.h"
#include "secrecy/rule.h"
#include "secrecy/table.h"
#include "snapshot/snapshot.h"

namespace poles::app {

using SecrecyRule = secrecy::Rule;
using secrecy::Contribution;
using secrecy::publish;
using secrecy::PublishedCell;
using secrecy::SecretTable;
using secrecy::Suppression;

// An aggregate over firms after statistical secrecy, as every answer shows it:
// {"value", "firms"} when published, {"value": null, "secret": "primary" | "secondary"} when
// masked (the reason: the cell itself breaks the rule, or it is masked so that totals do not
// reveal another).
struct SecretCell {
  std::optional<double> value;
  tj::Omittable<int> firms;           // firms covered, when published
  tj::Omittable<std::string> secret;  // primary or secondary suppression, when masked
};
POLES_JSON(SecretCell, value, firms, secret)

// The secrecy rule figures were published under.
struct SecrecyRuleView {
  int min_firms = 0;
  double max_share = 0;
};
POLES_JSON(SecrecyRuleView, min_firms, max_share)

SecretCell secret_cell(const PublishedCell& c);

// What a caller knows of the rows behind a table of firm figures (Contribution::known): the
// rows of its scope, which it may read and often wrote itself. A cluster manager knows its
// cluster's rows and the projects its cluster owns (the first label); a region, those of the
// clusters of its region; a member, its own organisation's rows. The secrecy rule then applies
// to what it does not know: rows it invented cannot lift a cell over the rule, and its own
// cell next to another's cannot give that one away by subtraction. Roles that read every row
// (admin, state, evaluator) and reviewers get the tables as published to all (the default
// Reader knows nothing): their figures go into documents that circulate.
class Reader {
 public:
  Reader() = default;
  Reader(const snapshot::Snapshot& s, const User& u);
  bool knows_cluster(int32_t cluster_row) const { return in(clusters_, cluster_row); }
  bool knows_project(int32_t project_row) const { return in(projects_, project_row); }
  bool knows_organisation(int32_t organisation_row) const {
    return organisation_row >= 0 && organisation_row == organisation_;
  }
  // The row of the reader's own organisation (a member account's), or -1.
  int32_t organisation() const { return organisation_; }

 private:
  static bool in(const std::vector<uint8_t>& v, int32_t row) {
    return row >= 0 && static_cast<size_t>(row) < v.size() && v[static_cast<size_t>(row)] != 0;
  }
  std::vector<uint8_t> clusters_, projects_;  // by row: 1 when known
  int32_t organisation_ = -1;
};
// The rows of the cluster table that readers know whole (Reader): each cluster's manager its
// cluster's row, each region the rows of its clusters. A table by cluster published to all is
// protected against each of them (secrecy::OverYears's insiders): otherwise a manager would
// subtract its own cell, masked for all, from the total to recover the cell its mask protects.
std::vector<std::vector<int>> cluster_insiders(const snapshot::Snapshot& s);

inline SecrecyRuleView rule_shown(const SecrecyRule& rule) {
  return {rule.min_firms, rule.max_share};
}

}  // namespace poles::app
