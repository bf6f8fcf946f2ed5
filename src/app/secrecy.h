// The app layer's names for statistical secrecy (src/secrecy/): the rule and the two-way table.
#pragma once

#include "secrecy/rule.h"
#include "secrecy/table.h"

namespace poles::app {

using SecrecyRule = secrecy::Rule;
using secrecy::Contribution;
using secrecy::publish;
using secrecy::PublishedCell;
using secrecy::SecretTable;
using secrecy::Suppression;

}  // namespace poles::app
