// The app layer's names for statistical secrecy (src/secrecy/): the rule and the two-way table.
#pragma once

#include <optional>
#include <string>

#include "core/typed_json.h"
#include "secrecy/linked.h"
#include "secrecy/rule.h"
#include "secrecy/table.h"

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
inline SecrecyRuleView rule_shown(const SecrecyRule& rule) {
  return {rule.min_firms, rule.max_share};
}

}  // namespace poles::app
