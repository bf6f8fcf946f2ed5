// Employment by territory and sector (the `employment` table: level, code, sector, year, jobs), at
// one territorial level (region, department or zone d'emploi) and one NAF level (sections A21,
// A38 or divisions A88): rows of that level give e_rs; the sector "total" of a territory gives
// e_r (all sectors, not only those listed; without it, the sum of the sectors listed). The years
// are those of the level's rows. A NAF level the table lacks is summed from the nearest finer
// level it has (A88 -> A38 -> A21): a sum over the cells published. National figures e_s and e:
// the rows of level "country" at the same NAF level when there are some and nothing is summed,
// else the sums over the territories (one base for both).
//  - Location quotient LQ_rs = (e_rs / e_r) / (e_s / e). Stars (European Cluster Observatory): size
//    (e_rs in the top decile of the sector's territories), specialisation (LQ >= 2), focus (e_rs /
//    e_r in the top decile of the sector's territories).
//  - Shift-share of the change from t0 to t1: national growth e_rs0 * g + industry mix
//    e_rs0 * (g_s - g) + regional competitive effect e_rs0 * (g_rs - g_s), which sum to e_rs1 -
//    e_rs0.
//  - Projection: log-linear trend fitted by OLS on the years of the window, extrapolated with a
//    prediction interval (Student t) on the log scale.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/status.h"
#include "snapshot/snapshot.h"

namespace poles::foresight {

struct Cube {
  std::string level = "region";                          // of the territories
  codes::NafLevel nomenclature = codes::NafLevel::kA88;  // of the sectors
  std::optional<codes::NafLevel> summed_from;            // when the sectors are sums of finer rows
  std::vector<std::string> territories, sectors;         // sorted codes; sectors exclude "total"
  std::vector<int> years;                                // sorted
  // jobs[territory][sector][year index]; NaN when absent.
  std::vector<std::vector<std::vector<double>>> jobs;
  std::vector<std::vector<double>>
      territory_total;  // [territory][year]: the territory's "total" row (NaN when absent)
  std::vector<std::vector<double>> sector_total;  // [sector][year]: national
  std::vector<double> total;                      // [year]: national, all sectors
  int year_index(int year) const;                 // -1 when absent
  int sector_index(const std::string& sector) const;
  int territory_index(const std::string& territory) const;
};
// Fails (not found) when the table has no row of the level, or no sector at the NAF level or a
// finer one.
Result<Cube> employment_cube(const snapshot::Snapshot& s, std::string_view level = "region",
                             codes::NafLevel nomenclature = codes::NafLevel::kA88);

struct Specialisation {
  std::string territory, sector;
  double jobs = 0, share_of_territory = 0, lq = 0;
  bool size_star = false, specialisation_star = false, focus_star = false;
  int stars() const { return size_star + specialisation_star + focus_star; }
};
struct StarRules {
  double top_share = 0.10;  // top decile
  double min_lq = 2.0;
};
Result<std::vector<Specialisation>> specialisation(const Cube& c, int year,
                                                   const StarRules& rules = {});

struct ShiftShare {
  std::string territory, sector;
  double start = 0, end = 0, change = 0;
  double national = 0, industry_mix = 0, competitive = 0;
};
// Rates: g from the national total, g_s from the national sector, g_rs from the cell. Cells with a
// missing or zero start are skipped.
Result<std::vector<ShiftShare>> shift_share(const Cube& c, int from_year, int to_year);

struct ProjectionPoint {
  int year = 0;
  double value = 0, low = 0, high = 0;  // central and interval bounds
  bool observed = false;                // an observed year (value = observation; bounds = value)
};
struct Projection {
  std::vector<ProjectionPoint> points;  // observed years of the window, then the projected ones
  double annual_growth = 0;             // exp(slope) - 1
  double level = 0.95;
  size_t n = 0;  // years fitted
};
// Fails with fewer than 3 positive observations.
Result<Projection> project(const std::vector<int>& years, const std::vector<double>& values,
                           int horizon, double level = 0.95);

// The window of the employment views: the year of the location quotients, the years [from, to]
// of the shift-share and of the trend, the years projected and the interval level.
struct Window {
  int year = 0, from = 0, to = 0;
  int horizon = 5;
  double level = 0.95;
};

// The projection of one sector's jobs fitted on the cube's years in [from, to]: national
// (territory < 0) or in one territory (an index of the cube's territories). REQUIRES: sector is
// an index of the cube's sectors.
Result<Projection> project_sector(const Cube& c, const Window& w, int territory, int sector);

// Shift-share cells summed by territory, in code order; growth = change / start (NaN unless
// start > 0).
struct TerritoryShiftShare {
  std::string territory;
  double start = 0, change = 0, national = 0, industry_mix = 0, competitive = 0, growth = 0;
};
std::vector<TerritoryShiftShare> shift_share_by_territory(const std::vector<ShiftShare>& cells);

// The employment overview, restricted to one territory and/or one sector when given (empty: all):
// specialisation in the window's year, shift-share from `from` to `to` by cell and by territory,
// and one projection per sector (of the territory's jobs when one is given, else national). A
// sector with too few years for a trend has no projection and the reason instead (not an error).
struct SectorProjection {
  std::string sector;
  std::optional<Projection> projection;
  std::string error;  // why there is no projection
};
struct Overview {
  std::vector<Specialisation> specialisation;
  std::vector<ShiftShare> cells;
  std::vector<TerritoryShiftShare> territories;
  std::vector<SectorProjection> projections;
};
// REQUIRES: territory and sector are empty or codes of the cube.
Result<Overview> overview(const Cube& c, const Window& w, const std::string& territory,
                          const std::string& sector);

// One sector across the country: its national series, change and trend, and the territories
// that have its jobs in the window's year (specialisation, with the shift-share of the window
// when the territory has one), most jobs first.
struct SectorTerritory {
  Specialisation specialisation;
  std::optional<ShiftShare> shift_share;
};
struct SectorProfile {
  std::vector<double> national;  // by year of the cube (NaN when absent)
  double start = 0, end = 0;     // national jobs in `from` and `to`
  double growth = 0;             // (end - start) / start (NaN unless start > 0)
  Projection projection;         // national
  std::vector<SectorTerritory> territories;
};
// REQUIRES: sector is an index of the cube's sectors. Fails when the projection, specialisation
// or shift-share does.
Result<SectorProfile> sector_profile(const Cube& c, const Window& w, int sector);

// Jobs in the member firms of a sector: organisations in the State's census of members
// (member_census) of the year, with a SIREN, by their headcount in the firm panel that year, in
// the division and region of the firm panel's row (the State's data, not the registry's NAF code,
// which the firm may change). The year is the latest one of
// both the firm panel and the census. Not the membership rows: a cluster writes those, and the
// figure read before and after it adds a member would give that firm's headcount. A firm
// aggregate, to publish through statistical secrecy.
struct MemberJobs {
  int year = 0;  // the latest year of both the firm panel and the census (0 when there is none)
  std::vector<std::string> regions;  // every region of the code list, in its order
  struct Firm {
    size_t region = 0;  // index in `regions`
    std::string siren;
    double headcount = 0;
  };
  std::vector<Firm> firms;  // one per firm panel row
};
MemberJobs member_jobs(const snapshot::Snapshot& s, std::string_view division);

}  // namespace poles::foresight
