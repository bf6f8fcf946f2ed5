// From project factory to product factory, as the CLI and the API serve it: the project funnel,
// the leverage of public aid and follow-on funding, SME services and what follows them, digital
// diagnostics, employment foresight, and the data of a sector sheet (fiche filière). The engines
// (pipeline, services, foresight) compute; this layer reads the parameters, calls them, puts every
// aggregate over firms (financing raised, aid after diagnosis, maturity of a cluster's firms, jobs
// in member firms and from project results) through statistical secrecy and returns typed results.
//
// Parameters: the specs below, the same names on the CLI and the API. Defaults that depend on the
// data are documented there and applied here (employment: the data's first and last years).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/params.h"
#include "app/secrecy.h"
#include "core/model.h"
#include "core/status.h"
#include "core/typed_json.h"
#include "services/diagnostics.h"
#include "snapshot/snapshot.h"

namespace poles::app {

// The first and last years a year parameter takes: "every year" when it is not given (the views
// of a period the caller chooses protect every year of this range: secrecy::OverYears).
inline constexpr int kFirstYear = 1900, kLastYear = 2100;

// --- shared shapes ------------------------------------------------------------------------------

// --- the funnel ---------------------------------------------------------------------------------

struct FunnelDuration {
  size_t n = 0;  // projects with both events recorded
  std::optional<double> median_days, mean_days;
};
POLES_JSON(FunnelDuration, n, median_days, mean_days)

struct FunnelStage {
  std::string stage;  // idea .. on_market
  size_t reached = 0, rejected_after = 0, abandoned_after = 0;
  // Every stage but the last: the share reaching the next one (null when none reached this one)
  // and the days it takes.
  tj::Omittable<std::optional<double>> conversion;
  tj::Omittable<FunnelDuration> to_next;
};
POLES_JSON(FunnelStage, stage, reached, rejected_after, abandoned_after, conversion, to_next)

struct FunnelTrl {
  size_t n = 0;  // completed and on-market projects with both TRLs
  std::optional<double> gain_mean, target_share;
};
POLES_JSON(FunnelTrl, n, gain_mean, target_share)

struct FunnelGroup {
  std::string group;  // cluster id, programme code, cohort year or "all"
  size_t projects = 0;
  tj::ByCode<size_t, kProjectStatusCodes> current;  // projects whose status it is
  std::vector<FunnelStage> stages;
  FunnelDuration time_to_market;  // funded -> on_market
  FunnelTrl trl;
  double total_cost = 0, public_aid = 0;
};
POLES_JSON(FunnelGroup, group, projects, current, stages, time_to_market, trl, total_cost,
           public_aid)

struct PipelineFunnelFilter {
  int from = 0, to = 0;  // cohort years
  std::optional<std::string> cluster, programme;
  std::string by;
};
POLES_JSON(PipelineFunnelFilter, from, to, cluster, programme, by)

struct PipelineFunnel {
  PipelineFunnelFilter filter;
  std::vector<std::string> stages;  // the forward stages, in order
  FunnelGroup all;
  std::vector<FunnelGroup> groups;  // empty with by=none
};
POLES_JSON(PipelineFunnel, filter, stages, all, groups)

// --- leverage -----------------------------------------------------------------------------------

struct LeverageGroup {
  std::string group;  // cluster id, programme code or "all"
  size_t funded_projects = 0;
  double total_cost = 0, public_aid = 0, private_funding = 0;
  std::optional<double> leverage, median_leverage;
  size_t follow_ons = 0, larger_follow_ons = 0;
  std::optional<double> median_cost_ratio;
  size_t follow_ons_to_europe = 0, national_participants = 0, european_after_national = 0;
  std::optional<double> european_after_national_share;
  tj::Omittable<std::string> name;  // cluster groups: the cluster's name
};
POLES_JSON(LeverageGroup, group, funded_projects, total_cost, public_aid, private_funding, leverage,
           median_leverage, follow_ons, larger_follow_ons, median_cost_ratio, follow_ons_to_europe,
           national_participants, european_after_national, european_after_national_share, name)

struct PipelineLeverageFilter {
  int from = 0, to = 0;  // start years
  std::string by;
};
POLES_JSON(PipelineLeverageFilter, from, to, by)

struct PipelineLeverage {
  PipelineLeverageFilter filter;
  std::optional<LeverageGroup> all;  // null when no project starts in the years
  std::vector<LeverageGroup> groups;
};
POLES_JSON(PipelineLeverage, filter, all, groups)

// --- public aid by funder --------------------------------------------------------------------

struct FundingKind {
  std::string kind;  // a funder kind (kFunderKindCodes)
  double amount = 0;
  std::optional<double> share;  // of the aid with a known funder
};
POLES_JSON(FundingKind, kind, amount, share)

struct FundingFunder {
  std::string funder, name;
  tj::Omittable<std::string> name_en;
  std::string kind;
  tj::Omittable<std::string> region;
  double amount = 0, assumed = 0;  // assumed: through the programme's funder
  size_t projects = 0;
};
POLES_JSON(FundingFunder, funder, name, name_en, kind, region, amount, assumed, projects)

struct FundingYear {
  int year = 0;
  double total = 0, not_split = 0;
  tj::ByCode<double, kFunderKindCodes> by_kind;
};
POLES_JSON(FundingYear, year, total, not_split, by_kind)

struct FundingFilter {
  int from = 0, to = 0;  // start years
  std::optional<std::string> cluster, region, funder;
};
POLES_JSON(FundingFilter, from, to, cluster, region, funder)

struct FundingOverview {
  FundingFilter filter;
  // The projects counted: `all`; for a cluster manager `own_cluster` (those its cluster owns);
  // for a region `own_region` (those owned by its clusters, and its own money on every project).
  std::string counted = "all";
  size_t projects = 0;
  double public_aid = 0, split = 0, assumed = 0, not_split = 0;
  std::vector<FundingKind> by_kind;
  std::vector<FundingFunder> by_funder;
  std::vector<FundingYear> by_year;
  std::vector<std::string> over_split;  // projects whose split exceeds their public aid
};
POLES_JSON(FundingOverview, filter, counted, projects, public_aid, split, assumed, not_split,
           by_kind, by_funder, by_year, over_split)

// --- SME services -------------------------------------------------------------------------------

struct ServicesCluster {
  std::string cluster, name;
  size_t services = 0;
  tj::ByCode<size_t, kServiceKindCodes> by_kind;
  double cost = 0;
  size_t participations = 0, participants = 0, sme_members = 0, sme_served = 0;
  std::optional<double> reach, intensity;
  size_t abroad = 0, abroad_europe = 0, projects = 0, european_projects = 0;
  std::optional<double> european_share, satisfaction;
  tj::ByCode<size_t, kServiceOutcomeCodes> outcomes;
  SecretCell financing_raised;
};
POLES_JSON(ServicesCluster, cluster, name, services, by_kind, cost, participations, participants,
           sme_members, sme_served, reach, intensity, abroad, abroad_europe, projects,
           european_projects, european_share, satisfaction, outcomes, financing_raised)

struct ServicesTotals {
  size_t services = 0, sme_members = 0, sme_served = 0;
  SecretCell financing_raised;
};
POLES_JSON(ServicesTotals, services, sme_members, sme_served, financing_raised)

// A measure's spread across clusters (null figures without clusters).
struct ServicesSpread {
  size_t n = 0;
  std::optional<double> mean, sd, cv, min, p25, median, p75, max;
};
POLES_JSON(ServicesSpread, n, mean, sd, cv, min, p25, median, p75, max)

struct ServicesHeterogeneity {
  ServicesSpread reach, services_per_sme_member, international_share;
};
POLES_JSON(ServicesHeterogeneity, reach, services_per_sme_member, international_share)

struct ServicesOutcomeGroup {
  size_t firms = 0;
  std::optional<double> baseline, later;  // shares
};
POLES_JSON(ServicesOutcomeGroup, firms, baseline, later)

// The served SMEs against their nearest not-served ones (services::kMatchedOutcomeMethod).
struct ServicesMatchedOutcome {
  size_t served = 0, not_served = 0;  // matched served SMEs, distinct not-served SMEs used
  std::optional<double> effect;       // on the share starting a funded project after the period
  std::vector<std::optional<double>> ci95;  // low, high
  std::string method;
};
POLES_JSON(ServicesMatchedOutcome, served, not_served, effect, ci95, method)

struct ServicesOutcomes {
  int horizon = 0;
  ServicesOutcomeGroup served, not_served;
  std::optional<double> difference;
  std::vector<std::optional<double>> ci95;  // low, high
  std::optional<double> difference_in_differences;
  std::string method;
  ServicesMatchedOutcome matched;
};
POLES_JSON(ServicesOutcomes, horizon, served, not_served, difference, ci95,
           difference_in_differences, method, matched)

struct ServicesOverview {
  int from = 0, to = 0;
  ServicesTotals totals;
  ServicesHeterogeneity heterogeneity;
  ServicesOutcomes outcomes;
  std::vector<ServicesCluster> clusters;
  SecrecyRuleView secrecy;
};
POLES_JSON(ServicesOverview, from, to, totals, heterogeneity, outcomes, clusters, secrecy)

// --- digital diagnostics ------------------------------------------------------------------------

// A dimension's maturity over firms: null figures and the reason when too few firms.
struct DiagnosticsDimension {
  std::optional<size_t> n;
  std::optional<double> mean, median;
  tj::Omittable<std::string> secret;
};
POLES_JSON(DiagnosticsDimension, n, mean, median, secret)

using DiagnosticsDimensions = tj::ByCode<DiagnosticsDimension, services::kDimensions>;

// First against last diagnosis; only the number of firms and the reason when too few.
struct DiagnosticsProgress {
  size_t firms = 0;
  tj::Omittable<std::optional<double>> mean_days;
  tj::Omittable<tj::ByCode<std::optional<double>, services::kDimensions>> mean_change;
  tj::Omittable<std::vector<std::optional<double>>> score_ci95;  // low, high
  tj::Omittable<std::optional<double>> improved_share;
  tj::Omittable<std::string> secret;
};
POLES_JSON(DiagnosticsProgress, firms, mean_days, mean_change, score_ci95, improved_share, secret)

struct DiagnosticsMaturityBand {
  std::string band;  // Q1 (least mature) .. Q4
  size_t firms = 0, aided = 0;
  double aided_share = 0;
  SecretCell aid;
  double score_from = 0, score_to = 0;
};
POLES_JSON(DiagnosticsMaturityBand, band, firms, aided, aided_share, aid, score_from, score_to)

struct DiagnosticsSizeBand {
  std::string band;  // size class, or unknown
  size_t firms = 0, aided = 0;
  double aided_share = 0;
  SecretCell aid;
};
POLES_JSON(DiagnosticsSizeBand, band, firms, aided, aided_share, aid)

struct DiagnosticsCluster {
  std::string cluster, name;
  size_t firms = 0;
  DiagnosticsDimensions latest;
};
POLES_JSON(DiagnosticsCluster, cluster, name, firms, latest)

struct DiagnosticsOverview {
  int from = 0, to = 0;
  size_t diagnostics = 0, firms = 0;
  std::vector<std::string> dimensions;
  DiagnosticsDimensions latest;
  DiagnosticsProgress progress;
  std::vector<DiagnosticsMaturityBand> aid_by_maturity;
  std::vector<DiagnosticsSizeBand> aid_by_size;
  SecretCell aid_total;
  std::vector<DiagnosticsCluster> clusters;
  SecrecyRuleView secrecy;
};
POLES_JSON(DiagnosticsOverview, from, to, diagnostics, firms, dimensions, latest, progress,
           aid_by_maturity, aid_by_size, aid_total, clusters, secrecy)

// --- employment ---------------------------------------------------------------------------------

// A territory is a region, a department or a zone d'emploi (the view's territory_level); its name
// from the official lists, or for a zone from the referential the store holds (else its code).
struct EmploymentSpecialisation {
  std::string territory, territory_name, sector;
  double jobs = 0;
  std::optional<double> share_of_territory, lq;
  int stars = 0;
  bool size_star = false, specialisation_star = false, focus_star = false;
};
POLES_JSON(EmploymentSpecialisation, territory, territory_name, sector, jobs, share_of_territory,
           lq, stars, size_star, specialisation_star, focus_star)

struct EmploymentShiftCell {
  std::string territory, territory_name, sector;
  double start = 0, end = 0, change = 0, national = 0, industry_mix = 0, competitive = 0;
};
POLES_JSON(EmploymentShiftCell, territory, territory_name, sector, start, end, change, national,
           industry_mix, competitive)

struct EmploymentShiftTerritory {
  std::string territory, territory_name;
  double start = 0, change = 0, national = 0, industry_mix = 0, competitive = 0;
  std::optional<double> growth;
};
POLES_JSON(EmploymentShiftTerritory, territory, territory_name, start, change, national,
           industry_mix, competitive, growth)

struct EmploymentShiftShare {
  std::vector<EmploymentShiftCell> cells;
  std::vector<EmploymentShiftTerritory> territories;
};
POLES_JSON(EmploymentShiftShare, cells, territories)

struct EmploymentPoint {
  int year = 0;
  double value = 0, low = 0, high = 0;
  bool observed = false;  // an observed year (bounds = value)
};
POLES_JSON(EmploymentPoint, year, value, low, high, observed)

// One sector's projection in the overview; without one (too few years), the reason.
struct EmploymentSectorTrend {
  std::optional<double> annual_growth;
  tj::Omittable<double> level;
  tj::Omittable<size_t> fitted_years;
  std::vector<EmploymentPoint> points;
  tj::Omittable<std::string> error;
  std::string sector, name;
};
POLES_JSON(EmploymentSectorTrend, annual_growth, level, fitted_years, points, error, sector, name)

struct EmploymentOverview {
  std::string territory_level;  // region | department | zone
  std::string nomenclature;     // a21 | a38 | a88
  // The NAF level the sectors were summed from when the table lacks the one asked.
  std::optional<std::string> summed_from;
  std::vector<int> years;  // of the data
  int year = 0, from = 0, to = 0;
  std::optional<std::string> territory, sector;  // the filters
  std::vector<EmploymentSpecialisation> specialisation;
  EmploymentShiftShare shift_share;
  std::vector<EmploymentSectorTrend> projections;
};
POLES_JSON(EmploymentOverview, territory_level, nomenclature, summed_from, years, year, from, to,
           territory, sector, specialisation, shift_share, projections)

struct EmploymentSector {
  std::string sector, name, name_en;  // official titles: INSEE's, NACE rev.2's
  std::optional<double> jobs;         // national, in the last year
  int year = 0;
};
POLES_JSON(EmploymentSector, sector, name, name_en, jobs, year)

struct EmploymentSectors {
  std::string territory_level, nomenclature;
  std::vector<EmploymentSector> items;
};
POLES_JSON(EmploymentSectors, territory_level, nomenclature, items)

// --- the sector sheet ---------------------------------------------------------------------------

struct SectorSheetYear {
  int year = 0;
  std::optional<double> jobs;
};
POLES_JSON(SectorSheetYear, year, jobs)

struct SectorSheetTrend {
  double annual_growth = 0, level = 0;
  size_t fitted_years = 0;
  std::vector<EmploymentPoint> points;
};
POLES_JSON(SectorSheetTrend, annual_growth, level, fitted_years, points)

struct SectorSheetShift {
  double change = 0, national = 0, industry_mix = 0, competitive = 0;
};
POLES_JSON(SectorSheetShift, change, national, industry_mix, competitive)

struct SectorSheetRegion {
  std::string region, name;
  double jobs = 0;
  std::optional<double> share_of_region, lq;
  int stars = 0;
  tj::Omittable<SectorSheetShift> shift_share;  // when the region has one over the window
};
POLES_JSON(SectorSheetRegion, region, name, jobs, share_of_region, lq, stars, shift_share)

struct SectorSheetEmployment {
  int year = 0, from = 0, to = 0;
  std::vector<SectorSheetYear> national;
  std::optional<double> start, end, growth;
  SectorSheetTrend projection;
  std::vector<SectorSheetRegion> regions;  // most jobs first
};
POLES_JSON(SectorSheetEmployment, year, from, to, national, start, end, growth, projection, regions)

struct SectorSheetStage {
  std::string stage;
  size_t reached = 0;
};
POLES_JSON(SectorSheetStage, stage, reached)

struct SectorSheetProjects {
  int from = 0, to = 0;  // start years
  size_t count = 0;
  double total_cost = 0, public_aid = 0;
  std::optional<double> leverage;
  std::vector<SectorSheetStage> funnel;
};
POLES_JSON(SectorSheetProjects, from, to, count, total_cost, public_aid, leverage, funnel)

struct SectorSheetCluster {
  std::string cluster, name, region;
  size_t projects = 0;
  double public_aid = 0;
  size_t on_market = 0;
};
POLES_JSON(SectorSheetCluster, cluster, name, region, projects, public_aid, on_market)

struct SectorSheetResults {
  tj::ByCode<size_t, kResultKindCodes> by_kind;
  SecretCell jobs, revenue;
};
POLES_JSON(SectorSheetResults, by_kind, jobs, revenue)

// A region's jobs in member firms: a SecretCell with the region.
struct SectorSheetMemberRegion {
  std::optional<double> value;
  tj::Omittable<int> firms;
  tj::Omittable<std::string> secret;
  std::string region, name;
};
POLES_JSON(SectorSheetMemberRegion, value, firms, secret, region, name)

struct SectorSheetMemberJobs {
  int year = 0;                                  // the firm panel's last year
  std::vector<SectorSheetMemberRegion> regions;  // regions with member firms, masked or not
  SecretCell total;
};
POLES_JSON(SectorSheetMemberJobs, year, regions, total)

struct SectorSheetSkills {
  size_t training_services = 0, training_participations = 0;
  // Mean skills score of the diagnoses of the sector's firms; published with (and only when it
  // covers enough) distinct firms, not diagnoses.
  SecretCell diagnostic_skills;
};
POLES_JSON(SectorSheetSkills, training_services, training_participations, diagnostic_skills)

struct SectorSheet {
  std::string sector, name;
  SectorSheetEmployment employment;
  SectorSheetProjects projects;
  std::vector<SectorSheetCluster> clusters;  // most projects first
  SectorSheetResults results;
  SectorSheetMemberJobs member_jobs;
  SectorSheetSkills skills;
  SecrecyRuleView secrecy;
  std::vector<std::string> sources;
};
POLES_JSON(SectorSheet, sector, name, employment, projects, clusters, results, member_jobs, skills,
           secrecy, sources)

// --- the use cases ------------------------------------------------------------------------------

Result<PipelineFunnel> pipeline_funnel(const snapshot::Snapshot& s, const Args& a);
Result<PipelineLeverage> pipeline_leverage(const snapshot::Snapshot& s, const Args& a);
// Public aid by funder over the projects of a scope (pipeline/funding.h): funding_params. With a
// region's or a cluster manager's account, only the splits it may read count (docs/access.md).
Result<FundingOverview> pipeline_funding(const snapshot::Snapshot& s, const Args& a,
                                         const User* user = nullptr);
// `reader`: what the caller knows (app/secrecy.h); the default knows nothing (published to all).
Result<ServicesOverview> services_overview(const snapshot::Snapshot& s, const Args& a,
                                           const SecrecyRule& rule = {}, const Reader& reader = {});
// A firm figure of a cluster and a year after secrecy (year 0: over every year).
struct ClusterYearFigure {
  int cluster = 0;  // cluster row
  int year = 0;
  SecretCell cell;
};
// The financing raised by the firms the clusters served, by cluster and year and over every year,
// with the masks the services overview publishes to a reader who knows no firm (the open data's
// indicators, portal/open_data.h).
std::vector<ClusterYearFigure> open_services_financing(const snapshot::Snapshot& s,
                                                       const SecrecyRule& rule = {});
Result<DiagnosticsOverview> diagnostics_overview(const snapshot::Snapshot& s, const Args& a,
                                                 const SecrecyRule& rule = {});
Result<EmploymentOverview> employment_overview(const snapshot::Snapshot& s, const Args& a);
// The sectors that have employment figures at a territorial level and a NAF level
// (employment_sector_params), with their official names and national jobs in the last year.
Result<EmploymentSectors> employment_sectors(const snapshot::Snapshot& s, const Args& a);
// The sheet of a NAF division (by region): sector_sheet_params, whose from/to also bound the start
// years of its projects (default: every year).
Result<SectorSheet> sector_sheet(const snapshot::Snapshot& s, const std::string& sector,
                                 const Args& a, const SecrecyRule& rule = {},
                                 const Reader& reader = {});

// The parameters of the views above (shared by the API and the CLI).
const ParamSpecs& funnel_params();
const ParamSpecs& leverage_params();
const ParamSpecs& funding_params();
const ParamSpecs& services_params();
const ParamSpecs& diagnostics_params();
const ParamSpecs& employment_params();
const ParamSpecs& employment_sector_params();
const ParamSpecs& sector_sheet_params();

}  // namespace poles::app
