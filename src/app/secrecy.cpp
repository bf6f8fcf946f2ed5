#include "app/secrecy.h"

namespace poles::app {

SecretCell secret_cell(const PublishedCell& c) {
  SecretCell out;
  out.value = c.value;
  if (c.value) {
    out.firms = c.firms;
  } else {
    out.secret = c.suppression == Suppression::kPrimary ? "primary" : "secondary";
  }
  return out;
}

}  // namespace poles::app
