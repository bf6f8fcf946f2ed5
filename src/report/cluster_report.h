// The cluster report a ministry would circulate: a cluster's evaluation for a year — rank and rank
// interval, rating, peers, pillars against the peers, indicator trends, the performance contract
// (targets met or missed), the proposed corrective action and its reasons, the qualitative
// assessment, and a method appendix — as one self-contained HTML page (PDF via pdf.h). Draws the
// results of app::evaluation, app::indicator_trends and app::assessments_view.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "app/decisions.h"
#include "app/evaluate.h"
#include "app/params.h"
#include "app/phase.h"
#include "core/status.h"
#include "snapshot/snapshot.h"

namespace poles::report {

std::string cluster_report_title(const app::EvaluatedCluster& cluster, int year,
                                 std::string_view lang);
// `evaluation`: the year's evaluation; `cluster_id`: the cluster reported (empty text when it is
// not evaluated); `trends`, `assessments`: its views; `decision`: the State's latest decision on
// the cluster after an earlier evaluation, followed up in this one (none: no such section);
// `phase`: the cluster over the years of its label phase up to this one (none: no such section).
std::string cluster_report_html(const app::YearEvaluation& evaluation,
                                const std::string& cluster_id, const app::IndicatorTrends& trends,
                                const app::AssessmentsView& assessments, std::string_view lang,
                                const app::EvaluationDecision* decision = nullptr,
                                const app::PhaseCluster* phase = nullptr);

// The report of `cluster` for the evaluation the parameters describe (those of
// app::evaluation_params among `p`, checked as the API checks them, every error at once; 2,000
// draws and Sobol n = 200 unless given): its title and HTML, with ten years of trends. NotFound
// for an unknown cluster or one not labelled that year. With `decisions_from`, the State's
// latest decision on the cluster after an earlier published evaluation, followed up, and the
// cluster's label phase up to the year (earlier years: published, else computed on `s` with 500
// draws).
Result<std::pair<std::string, std::string>> cluster_report(
    const snapshot::Snapshot& s, const std::string& cluster, const app::Params& p,
    const std::string& lang, bool allow_path = false, store::Store* decisions_from = nullptr);

// The reports of every cluster evaluated in `ev`, in French and English, from `s` (the data the
// evaluation was computed on): what a publication freezes. With `store`: the State's latest
// decision on each cluster after an earlier evaluation (app::decisions_before), and its label
// phase from the earlier years' published evaluations (only those: the evaluated read no draft).
Result<std::vector<app::PublishedReport>> cluster_reports(const snapshot::Snapshot& s,
                                                          const app::YearEvaluation& ev,
                                                          store::Store* store = nullptr);

}  // namespace poles::report
