// The impact study as the CLI, the API and the dashboard see it: one estimation described by
// parameters (the same names everywhere), run on the store's firm panel or on any CSV, returned
// as JSON with statistical secrecy applied to every figure that rests on firms; and the impact
// report is drawn from that JSON by report::impact_report_html.
#pragma once

#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "app/params.h"
#include "core/status.h"
#include "impact/frame.h"
#include "snapshot/snapshot.h"

namespace poles::app {

using Json = nlohmann::ordered_json;

// Progress of a long estimation: `report` receives the share done and the stage's name;
// `cancelled` is polled between steps.
struct ImpactProgress {
  std::function<void(double, const std::string&)> report;
  std::function<bool()> cancelled;
};

// Parameters (defaults for the store's panel in brackets):
//  estimator  did | ols | event | match                                          [did]
//  outcome    a column or log(column) / log1p(column)                            [log(rd_spending)]
//  unit, time, group   panel identifiers; group = first treated period, 0 never  [firm, year,
//  join_year] did:   control=never|notyet, base=varying|universal, method=reg|ipw|dr,
//  covariates=a,b,
//         anticipation=0, balance_e, bootstrap=999 (0: analytic errors), seed=1, alpha=0.05
//  ols:   x=a,log(b), fe=a,b, cluster=a[,b], vcov=iid|hetero|cluster, weights=col
//  event: leads=5, lags=5, reference=-1 (errors clustered by unit)
//  match: treat=col, covariates=a,b, method=nearest|exact|cem, ratio=1, replace=0, caliper,
//         distance=ps|logit
// Store only: treatment=membership|funded [membership]; sample=direct|all|spillover [direct:
// members and never-exposed non-members]; exposure=zone_sector|network (spillover);
// match on the store: cohort=Y (firms joining in Y against never-members), horizon=3: the change
// of the outcome from Y-1 to Y+horizon, covariates measured in Y-1.
Result<Json> impact_estimate(const impact::Frame& data, const Params& p,
                             const ImpactProgress* progress = nullptr);
Result<Json> impact_from_store(const snapshot::Snapshot& s, const Params& p,
                               const ImpactProgress* progress = nullptr);
// The tables the store's estimation needs.
const std::vector<std::string_view>& impact_tables();

// The parameters of an estimation (shared by the CLI, the API's jobs and the report).
const ParamSpecs& impact_params();

}  // namespace poles::app
