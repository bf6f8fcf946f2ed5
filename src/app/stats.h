// Read-only views the dashboard shows, computed from a Snapshot: the map's figures by region,
// the cluster list, a cluster's profile, an organisation's and a project's pages, and firm
// aggregates (always through statistical secrecy).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/access.h"
#include "app/params.h"
#include "app/secrecy.h"
#include "core/entity_json.h"
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
  int64_t clusters = 0;   // clusters of the region whose label covers the year
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
// One cluster's line in the cluster list.
struct ClusterSummary {
  std::string id;
  std::string name;
  std::optional<std::string> acronym;
  std::optional<std::string> themes;
  std::string region;
  std::string scale;
  std::optional<std::string> filiere;
  std::optional<std::string> website;
  std::optional<int64_t> founded;
  int64_t members = 0;     // distinct organisations with a membership active in the year
  int64_t companies = 0;   // of which companies
  double sme_share = 0;    // share of SMEs (size class TPE or PME) among those companies
  int64_t projects = 0;    // projects the cluster labelled (all years)
  int64_t last_phase = 0;  // last label phase (0: none)
};
POLES_JSON(ClusterSummary, id, name, acronym, themes, region, scale, filiere, website, founded,
           members, companies, sme_share, projects, last_phase)

struct ClusterList {
  int year = 0;
  std::vector<ClusterSummary> clusters;
};
POLES_JSON(ClusterList, year, clusters)

// One line per cluster with its headline figures.
ClusterList cluster_summaries(const snapshot::Snapshot& s, int year);

struct ClusterLabelView {
  int64_t phase = 0;
  int64_t start_year = 0;
  int64_t end_year = 0;
  std::optional<int64_t> label_years;
  std::optional<std::string> rating;
};
POLES_JSON(ClusterLabelView, phase, start_year, end_year, label_years, rating)

// Members active each year, by kind of organisation and by size class.
struct MembersOverTime {
  std::vector<int> years;
  std::map<std::string, std::vector<int>> by_kind;
  std::map<std::string, std::vector<int>> by_size_class;
};
POLES_JSON(MembersOverTime, years, by_kind, by_size_class)

struct ProjectBrief {
  std::string id;
  std::string acronym;
  std::string status;
  std::string programme;
  std::optional<std::string> start_date;
  std::optional<double> total_cost;  // euros
  std::optional<double> public_aid;  // euros
};
POLES_JSON(ProjectBrief, id, acronym, status, programme, start_date, total_cost, public_aid)

// One membership of the cluster, with the member's name, kind and size class (no firm figure).
struct ClusterMember {
  std::string organisation_id;
  std::string name;
  std::string kind;
  std::optional<std::string> size_class;
  std::string start_date;
  std::optional<std::string> end_date;
};
POLES_JSON(ClusterMember, organisation_id, name, kind, size_class, start_date, end_date)

struct ClusterProjects {
  std::map<std::string, int> by_status;
  std::map<std::string, int> by_programme;
  std::vector<ProjectBrief> list;
};
POLES_JSON(ClusterProjects, by_status, by_programme, list)

struct ContractTargetView {
  std::string contract;
  std::string indicator;
  int64_t year = 0;
  double value = 0;
  std::string direction;
};
POLES_JSON(ContractTargetView, contract, indicator, year, value, direction)

struct ClusterProfile {
  tj::RowOf<"cluster"> cluster;
  std::string region_name;
  std::vector<ClusterLabelView> labels;
  MembersOverTime members;
  ClusterProjects projects;
  std::map<std::string, std::map<std::string, int>> services;  // kind -> year -> services run
  std::vector<ContractTargetView> contract_targets;
  std::vector<ClusterMember> member_list;  // every membership, latest start first
};
POLES_JSON(ClusterProfile, cluster, region_name, labels, members, projects, services,
           contract_targets, member_list)

// An organisation's part in a project, with the project's acronym, status and programme.
struct OrganisationParticipation {
  std::string project_id;
  std::string organisation_id;
  std::string role;
  std::optional<double> cost;
  std::optional<double> aid;
  std::string acronym;
  std::string status;
  std::string programme;
};
POLES_JSON(OrganisationParticipation, project_id, organisation_id, role, cost, aid, acronym, status,
           programme)

struct OrganisationProfile {
  tj::RowOf<"organisation"> organisation;
  std::vector<tj::RowOf<"membership">> memberships;
  std::vector<OrganisationParticipation> participations;
};
POLES_JSON(OrganisationProfile, organisation, memberships, participations)

// A partner of a project, with the organisation's name.
struct ProjectPartner {
  std::string project_id;
  std::string organisation_id;
  std::string role;
  std::optional<double> cost;
  std::optional<double> aid;
  std::string organisation_name;
};
POLES_JSON(ProjectPartner, project_id, organisation_id, role, cost, aid, organisation_name)

struct ProjectProfile {
  tj::RowOf<"project"> project;
  std::vector<tj::RowOf<"project_label">> labels;
  std::vector<tj::RowOf<"project_event">> events;
  std::vector<ProjectPartner> participations;
  std::vector<tj::RowOf<"result">> results;
};
POLES_JSON(ProjectProfile, project, labels, events, participations, results)

Result<ClusterProfile> cluster_profile(const snapshot::Snapshot& s, const std::string& cluster_id);
Result<OrganisationProfile> organisation_profile(const snapshot::Snapshot& s,
                                                 const std::string& id);
Result<ProjectProfile> project_profile(const snapshot::Snapshot& s, const std::string& id);

// What the caller may see of a profile, by the row rules of the entity routes (may_read_row):
// a participation row it may not read keeps the partner's name and role but not its cost and
// aid; the result rows it may not read are left out; the cluster's contract targets are shown
// to those who may read them only. The profiles hold no total over firms (a project's total
// cost and public aid are fields of the project, public registry data), so nothing goes
// through secrecy here.
Status scope_profile(const QueryFn& q, const User& u, ClusterProfile& p);
Status scope_profile(const QueryFn& q, const User& u, OrganisationProfile& p);
Status scope_profile(const QueryFn& q, const User& u, ProjectProfile& p);

// A two-way table after statistical secrecy; the last row and column are the totals.
struct FirmTable {
  std::vector<std::string> rows;     // INSEE region codes, then "total"
  std::vector<std::string> columns;  // NAF sections, then "total"
  std::vector<std::vector<SecretCell>> cells;
  std::string measure;
  int year = 0;
  bool members_only = false;
  SecrecyRuleView rule;
};
POLES_JSON(FirmTable, rows, columns, cells, measure, year, members_only, rule)

// Sum of a firm_year measure in `year`, by region (rows) and NAF section (columns), with margins,
// after statistical secrecy. `members_only` restricts to firms that are organisations of the
// registry. The two tables (all firms, members) are linked (all firms ⊃ members) and protected
// together; a table that fails the attacker's audit is refused (fail closed: kUnavailable).
Result<FirmTable> firm_aggregate(const snapshot::Snapshot& s, const std::string& measure, int year,
                                 bool members_only, const SecrecyRule& rule = {},
                                 const Reader& reader = {});

// How the secondary cells of the firm tables are chosen: by linear programming over the linked
// tables (what is published), or as before this engine (no line with one masked cell, each table
// alone) or not at all — the two baselines the audit compares with.
enum class FirmSuppression : uint8_t { kLinked, kLineRule, kPrimaryOnly };

// The linked tables of /stats/firms for one measure and year, after secondary suppression: what
// the route publishes and what `poles secrecy audit` attacks.
struct FirmTableSet {
  std::string measure;
  int year = 0;
  std::vector<std::string> rows, columns;  // region codes, NAF sections (margins not included)
  secrecy::LinkedTables linked;
  secrecy::Grid all, members;
};
// One per measure of firm_aggregate_params() and year of the firm panel (all when `year` is
// empty), in that order. `reader`: what the caller knows (a member account, its own firm's
// figures: they do not count toward the rule, and its own cell cannot give another away).
Result<std::vector<FirmTableSet>> firm_table_sets(const snapshot::Snapshot& s,
                                                  const std::vector<std::string>& measures,
                                                  std::optional<int> year,
                                                  const SecrecyRule& rule = {},
                                                  FirmSuppression how = FirmSuppression::kLinked,
                                                  int threads = 1, const Reader& reader = {});
// The measures of the firm panel published by /stats/firms.
const std::vector<std::string>& firm_measures();

// The parameters of the views above (shared by the API and the CLI).
const ParamSpecs& regions_overview_params();
const ParamSpecs& firm_aggregate_params();

}  // namespace poles::app
