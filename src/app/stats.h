// Read-only views the dashboard shows, computed from a Snapshot: the map's figures by region,
// the cluster list, a cluster's profile, an organisation's and a project's pages, and firm
// aggregates (always through statistical secrecy).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "app/params.h"
#include "app/secrecy.h"
#include "core/status.h"
#include "core/typed_json.h"
#include "snapshot/snapshot.h"

namespace poles::app {

using Json = nlohmann::ordered_json;

// One region's figures on the map.
struct RegionFigures {
  std::string code;  // INSEE region code
  std::string name;
  bool overseas = false;
  int64_t clusters = 0;   // clusters whose home region it is
  int64_t members = 0;    // distinct organisations with a membership active in the year
  int64_t projects = 0;   // distinct projects labelled by its clusters, started up to the year
  double public_aid = 0;  // public aid of those projects, euros
};
POLES_JSON(RegionFigures, code, name, overseas, clusters, members, projects, public_aid)

struct RegionsOverview {
  int year = 0;
  std::vector<RegionFigures> regions;  // every region of the code list, by code
};
POLES_JSON(RegionsOverview, year, regions)

// Per region: clusters, active members, labelled projects, their public aid (year: memberships
// active that year; projects started up to that year).
RegionsOverview regions_overview(const snapshot::Snapshot& s, int year);
// One line per cluster with its headline figures.
Json cluster_summaries(const snapshot::Snapshot& s, int year);
Result<Json> cluster_profile(const snapshot::Snapshot& s, const std::string& cluster_id);
Result<Json> organisation_profile(const snapshot::Snapshot& s, const std::string& id);
Result<Json> project_profile(const snapshot::Snapshot& s, const std::string& id);

// Sum of a firm_year measure in `year`, by region (rows) and NAF section (columns), with margins,
// after statistical secrecy. `members_only` restricts to firms that are organisations of the
// registry.
Result<Json> firm_aggregate(const snapshot::Snapshot& s, const std::string& measure, int year,
                            bool members_only, const SecrecyRule& rule = {});
Json secret_table_json(const SecretTable& t, const std::vector<std::string>& rows,
                       const std::vector<std::string>& cols);

// The parameters of the views above (shared by the API and the CLI).
const ParamSpecs& regions_overview_params();
const ParamSpecs& firm_aggregate_params();

}  // namespace poles::app
