// The projects of one sector (fiche filière): projects whose `sector` (a NAF code) starts with the
// sector's division, started in a range of years (projects without a start date are kept), with the
// stages they reached, the clusters that label them and their results.
//  - Each project counts once in the whole and once per cluster labelling it.
//  - Jobs and revenue from results are firm aggregates: each value comes with the firm it belongs
//    to (the result's organisation, else the project itself), to be published through statistical
//    secrecy by the caller.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/funnel.h"
#include "snapshot/snapshot.h"

namespace poles::pipeline {

struct SectorCluster {
  int32_t cluster = -1;  // cluster row
  size_t projects = 0;
  double public_aid = 0;
  size_t on_market = 0;  // projects that reached on_market
};

// One firm's share of a firm aggregate.
struct FirmValue {
  std::string firm;  // organisation id, or "project:<id>" for a result without organisation
  double value = 0;
  int32_t project = -1, organisation = -1;  // the result's rows (organisation -1: none)
  int year = 0;  // the project's start year (0: undated, counted in every period)
};

struct SectorProjects {
  size_t count = 0;
  double total_cost = 0, public_aid = 0;  // sums over the projects that have them
  double leverage = 0;  // (total_cost - public_aid) / public_aid (NaN without aid)
  std::array<size_t, kStages> reached{};    // projects whose furthest stage is this one or later
  std::vector<SectorCluster> clusters;      // by projects, most first
  std::array<size_t, 7> results_by_kind{};  // by ResultKind
  std::vector<FirmValue> result_jobs, result_revenue;  // one per result with the value
};

// REQUIRES: division is a NAF division (two digits).
SectorProjects sector_projects(const snapshot::Snapshot& s, std::string_view division,
                               int from_year, int to_year);

}  // namespace poles::pipeline
