// The funnel of projects: idea -> submitted -> labelled -> funded -> running -> completed ->
// on_market, per cluster, programme and cohort year.
//  - A project's cohort year is the year of its first recorded lifecycle event (its start date's
//    year when it has none).
//  - Its furthest stage is the furthest forward stage among its events and its status; stages not
//    recorded may be skipped, so a project "reached" a stage when its furthest stage is that one or
//    later. A rejected or abandoned project dropped out after its furthest stage.
//  - Each project counts once in a group: a project labelled by several clusters counts once in
//    each of them and once in any group that is not a cluster.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "snapshot/snapshot.h"

namespace poles::pipeline {

// The seven forward stages, idea (0) to on_market (6), as ProjectStatus values.
inline constexpr int kStages = 7;

struct Duration {
  size_t n = 0;  // projects with both events recorded
  double median_days = 0, mean_days = 0;
};

struct Funnel {
  std::string group;  // cluster id, programme code, year or "all"
  size_t projects = 0;
  std::array<size_t, 9>
      current{};  // by ProjectStatus: projects whose status it is (sums to projects)
  std::array<size_t, kStages> reached{};  // projects whose furthest stage is this one or later
  std::array<double, kStages - 1>
      conversion{};  // reached[k+1] / reached[k] (NaN when reached[k] = 0)
  std::array<Duration, kStages - 1>
      durations{};                               // days from entering stage k to entering stage k+1
  Duration time_to_market;                       // funded -> on_market
  std::array<size_t, kStages> rejected_after{};  // rejected projects by their furthest stage
  std::array<size_t, kStages> abandoned_after{};  // abandoned projects by their furthest stage
  // TRL of completed and on-market projects with both values.
  size_t trl_n = 0;
  double trl_gain_mean = 0;     // trl_reached - trl_start
  double trl_target_share = 0;  // share reaching their target TRL
  // Money of the group's projects (each once).
  double total_cost = 0, public_aid = 0;
};

enum class GroupBy : uint8_t { kNone, kCluster, kProgramme, kYear };

struct FunnelFilter {
  int32_t cluster = -1;               // cluster row, -1 = every cluster
  std::string programme = {};         // programme code, empty = every programme
  int from_year = 0, to_year = 9999;  // cohort years, inclusive
};

// Per-project facts the funnel is built from (exposed for tests and other engines).
struct ProjectPath {
  int cohort = 0;
  int furthest = -1;  // forward stage 0..6
  int status = -1;    // ProjectStatus
  std::array<int64_t, kStages>
      entered{};  // day each forward stage was entered (INT64_MIN when not recorded)
};
std::vector<ProjectPath> project_paths(const snapshot::Snapshot& s);

// One funnel per group (groups in key order; clusters by id), plus nothing else. With
// GroupBy::kNone, one funnel named "all".
std::vector<Funnel> funnel(const snapshot::Snapshot& s, const FunnelFilter& filter, GroupBy by);

}  // namespace poles::pipeline
