// The cluster report a ministry would circulate: a cluster's evaluation for a year — rank and rank
// interval, rating, peers, pillars against the peers, indicator trends, the performance contract
// (targets met or missed), the proposed corrective action and its reasons, the qualitative
// assessment, and a method appendix — as one self-contained HTML page (PDF via pdf.h). Takes the
// JSON of app::evaluation, app::indicator_trends and app::assessments_view.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "app/params.h"
#include "core/status.h"
#include "snapshot/snapshot.h"

namespace poles::report {

std::string cluster_report_title(const nlohmann::ordered_json& cluster, int year,
                                 std::string_view lang);
// `evaluation`: the year's evaluation; `cluster_id`: the cluster reported; `trends`, `assessments`:
// its views.
std::string cluster_report_html(const nlohmann::ordered_json& evaluation,
                                const std::string& cluster_id, const nlohmann::ordered_json& trends,
                                const nlohmann::ordered_json& assessments, std::string_view lang);

// The report of `cluster` for the evaluation the parameters describe (app::evaluation_params;
// 2,000 draws and Sobol n = 200 unless given): its title and HTML. NotFound for an unknown
// cluster or one not labelled that year.
Result<std::pair<std::string, std::string>> cluster_report(const snapshot::Snapshot& s,
                                                           const std::string& cluster,
                                                           const app::Params& p,
                                                           const std::string& lang,
                                                           bool allow_path = false);

}  // namespace poles::report
