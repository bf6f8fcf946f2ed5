// Leverage of public money and follow-on funding.
//  - Leverage of a funded project (public aid > 0): private co-funding (total cost - public aid)
//    per euro of aid. A group's leverage is the ratio of its sums (each project once per group).
//  - Follow-on: a project that names the one it continues (`follow_on_of`): larger when its total
//    cost exceeds the original's; "to Europe" when it is European (a programme of scope european)
//    and the original is not.
//  - European after national: organisations of a group that took part in a funded national project
//    and later (a later start date) in a European one, among all those in funded national projects.
#pragma once

#include <string>
#include <vector>

#include "snapshot/snapshot.h"

namespace poles::pipeline {

struct Leverage {
  std::string group;  // cluster id, programme code, or "all"
  size_t funded_projects = 0;
  double total_cost = 0, public_aid = 0, private_funding = 0;
  double leverage = 0;         // private_funding / public_aid (NaN without aid)
  double median_leverage = 0;  // median over projects
  size_t follow_ons = 0;       // projects of the group that follow another
  size_t larger_follow_ons = 0;
  double median_cost_ratio = 0;  // follow-on cost / original cost
  size_t follow_ons_to_europe = 0;
  size_t national_participants = 0;          // organisations in funded national projects
  size_t european_after_national = 0;        // of which later in a European project
  double european_after_national_share = 0;  // european_after_national / national_participants
                                             // (NaN without national participants)
};

enum class LeverageBy : uint8_t { kNone, kCluster, kProgramme };

// Projects whose start year is in [from_year, to_year]; clusters by id.
std::vector<Leverage> leverage(const snapshot::Snapshot& s, int from_year, int to_year,
                               LeverageBy by);

}  // namespace poles::pipeline
