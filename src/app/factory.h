// From project factory to product factory, as the CLI and the API serve it: the project funnel,
// the leverage of public aid and follow-on funding, SME services and what follows them, digital
// diagnostics, employment foresight, and the data of a sector sheet (fiche filière). Every
// aggregate over firms (financing raised, aid after diagnosis, maturity of a cluster's firms,
// jobs in member firms and from project results) goes through statistical secrecy here.
//
// Parameters (all optional; the same names on the CLI and the API):
//  - funnel: from, to (cohort years), cluster (id), programme (code), by =
//  none|cluster|programme|year;
//  - leverage: from, to (start years), by = none|cluster|programme;
//  - services: from, to (years of the services, default 2016–2020: three years of outcomes follow
//    in the demo), horizon (years, default 3);
//  - diagnostics: from, to (default 2015–2030);
//  - employment: year (specialisation; default the last), from, to (shift-share; default first and
//    last years), region, sector (filters), horizon (projection years, default 5), level (0.95);
//  - sector sheet: the employment ones, and from/to for its projects (default every year).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "app/params.h"
#include "app/secrecy.h"
#include "core/status.h"
#include "snapshot/snapshot.h"

namespace poles::app {

using Json = nlohmann::ordered_json;

Result<Json> pipeline_funnel(const snapshot::Snapshot& s, const Params& p);
Result<Json> pipeline_leverage(const snapshot::Snapshot& s, const Params& p);
Result<Json> services_overview(const snapshot::Snapshot& s, const Params& p,
                               const SecrecyRule& rule = {});
Result<Json> diagnostics_overview(const snapshot::Snapshot& s, const Params& p,
                                  const SecrecyRule& rule = {});
Result<Json> employment_overview(const snapshot::Snapshot& s, const Params& p);
// The sectors (NAF divisions) that have employment figures, with their national jobs in the last
// year.
Result<Json> employment_sectors(const snapshot::Snapshot& s);
Result<Json> sector_sheet(const snapshot::Snapshot& s, const std::string& sector, const Params& p,
                          const SecrecyRule& rule = {});

// The parameters of the views above (shared by the API and the CLI).
const ParamSpecs& funnel_params();
const ParamSpecs& leverage_params();
const ParamSpecs& services_params();
const ParamSpecs& diagnostics_params();
const ParamSpecs& employment_params();

}  // namespace poles::app
