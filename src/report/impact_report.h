// The impact report: what an estimation of app::impact_estimate says, for circulation (HTML,
// printable to PDF), in French or English — the event-study plot with its bands, the ATT tables,
// the balance plot of a matching, the regression table, and the method in words. Drawn from the
// typed result; masked figures show as "s".
#pragma once

#include <string>
#include <string_view>

#include "app/impact.h"

namespace poles::report {

std::string impact_report_title(const app::ImpactEstimate& result, std::string_view lang);
std::string impact_report_html(const app::ImpactEstimate& result, std::string_view lang);

}  // namespace poles::report
