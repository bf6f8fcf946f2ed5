#include "secrecy/rule.h"

namespace poles::secrecy {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kPublish:
      return "publish";
    case Verdict::kTooFewFirms:
      return "too_few_firms";
    case Verdict::kDominated:
      return "dominated";
  }
  return "publish";
}

Verdict primary(size_t firms, double abs_total, double largest, const Rule& rule) {
  if (firms < static_cast<size_t>(rule.min_firms)) return Verdict::kTooFewFirms;
  if (abs_total > 0 && largest > rule.max_share * abs_total) return Verdict::kDominated;
  return Verdict::kPublish;
}

}  // namespace poles::secrecy
