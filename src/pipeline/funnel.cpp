#include "pipeline/funnel.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <map>

#include "core/date.h"
#include "pipeline/projects.h"

namespace poles::pipeline {

using snapshot::Snapshot;

namespace {

constexpr int64_t kNone = INT64_MIN;

int year_of(int64_t days) { return Date::from_days(days).year; }

bool forward(int status) { return status >= 0 && status < kStages; }

Duration summarise(std::vector<double>& days) {
  Duration d;
  d.n = days.size();
  if (days.empty()) return d;
  std::sort(days.begin(), days.end());
  const size_t m = days.size() / 2;
  d.median_days = days.size() % 2 ? days[m] : (days[m - 1] + days[m]) / 2;
  double sum = 0;
  for (double x : days) sum += x;
  d.mean_days = sum / static_cast<double>(days.size());
  return d;
}

// Accumulates the projects of one group.
struct FunnelAcc {
  Funnel f;
  std::array<std::vector<double>, kStages - 1> gaps;
  std::vector<double> to_market;
  double trl_gain = 0;
  size_t trl_met = 0;

  void add(const ProjectPath& p, double trl_start, double trl_target, double trl_reached,
           double cost, double aid) {
    ++f.projects;
    const int status = p.status;  // -1: none
    const int furthest = p.furthest;
    if (status >= 0) ++f.current[static_cast<size_t>(status)];
    for (int k = 0; k <= furthest; ++k) ++f.reached[static_cast<size_t>(k)];
    if (furthest >= 0) {
      if (status == static_cast<int>(ProjectStatus::kRejected))
        ++f.rejected_after[static_cast<size_t>(furthest)];
      if (status == static_cast<int>(ProjectStatus::kAbandoned))
        ++f.abandoned_after[static_cast<size_t>(furthest)];
    }
    for (size_t k = 0; k + 1 < kStages; ++k) {
      if (p.entered[k] != kNone && p.entered[k + 1] != kNone)
        gaps[k].push_back(static_cast<double>(p.entered[k + 1] - p.entered[k]));
    }
    const auto funded = static_cast<size_t>(ProjectStatus::kFunded),
               market = static_cast<size_t>(ProjectStatus::kOnMarket);
    if (p.entered[funded] != kNone && p.entered[market] != kNone)
      to_market.push_back(static_cast<double>(p.entered[market] - p.entered[funded]));
    const bool ended_well = p.status == static_cast<int>(ProjectStatus::kCompleted) ||
                            p.status == static_cast<int>(ProjectStatus::kOnMarket);
    if (ended_well && !std::isnan(trl_start) && !std::isnan(trl_reached)) {
      ++f.trl_n;
      trl_gain += trl_reached - trl_start;
      if (!std::isnan(trl_target) && trl_reached >= trl_target) ++trl_met;
    }
    if (!std::isnan(cost)) f.total_cost += cost;
    if (!std::isnan(aid)) f.public_aid += aid;
  }

  Funnel finish() {
    for (size_t k = 0; k + 1 < kStages; ++k) {
      f.conversion[k] =
          f.reached[k] ? static_cast<double>(f.reached[k + 1]) / static_cast<double>(f.reached[k])
                       : std::numeric_limits<double>::quiet_NaN();
      f.durations[k] = summarise(gaps[k]);
    }
    f.time_to_market = summarise(to_market);
    if (f.trl_n) {
      f.trl_gain_mean = trl_gain / static_cast<double>(f.trl_n);
      f.trl_target_share = static_cast<double>(trl_met) / static_cast<double>(f.trl_n);
    }
    return std::move(f);
  }
};

double real_or_int(const snapshot::Column& c, size_t row) {
  if (c.storage == snapshot::Storage::kReal) return c.reals[row];
  return c.present[row] ? static_cast<double>(c.ints[row])
                        : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::vector<ProjectPath> project_paths(const Snapshot& s) {
  const auto& project = s.table("project");
  const auto& status = project.column("status");
  const auto& start = project.column("start_date");
  std::vector<ProjectPath> paths(project.rows);
  for (size_t p = 0; p < project.rows; ++p) {
    paths[p].entered.fill(kNone);
    paths[p].status = status.codes[p];
    if (forward(status.codes[p])) paths[p].furthest = status.codes[p];
  }
  const auto& events = s.table("project_event");
  const auto& ev_project = events.column("project_id");
  const auto& ev_status = events.column("status");
  const auto& ev_date = events.column("date");
  std::vector<int64_t> first(project.rows, INT64_MAX);
  for (size_t e = 0; e < events.rows; ++e) {
    const auto p = static_cast<size_t>(ev_project.codes[e]);
    const int st = ev_status.codes[e];
    if (ev_date.present[e]) first[p] = std::min(first[p], ev_date.ints[e]);
    if (!forward(st)) continue;
    paths[p].furthest = std::max(paths[p].furthest, st);
    if (ev_date.present[e]) paths[p].entered[static_cast<size_t>(st)] = ev_date.ints[e];
  }
  for (size_t p = 0; p < project.rows; ++p) {
    if (first[p] != INT64_MAX)
      paths[p].cohort = year_of(first[p]);
    else if (start.present[p])
      paths[p].cohort = year_of(start.ints[p]);
    // A project with no forward stage at all (rejected or abandoned with no history) was at least
    // an idea.
    if (paths[p].furthest < 0) paths[p].furthest = 0;
  }
  return paths;
}

std::vector<Funnel> funnel(const Snapshot& s, const FunnelFilter& filter, GroupBy by) {
  const auto& project = s.table("project");
  const auto& programme = project.column("programme");
  const auto& trl_start = project.column("trl_start");
  const auto& trl_target = project.column("trl_target");
  const auto& trl_reached = project.column("trl_reached");
  const auto& cost = project.column("total_cost");
  const auto& aid = project.column("public_aid");
  const auto& clusters = s.table("cluster");
  const auto paths = project_paths(s);

  const auto labels = project_clusters(s);

  std::map<std::string, FunnelAcc> groups;
  for (size_t p = 0; p < project.rows; ++p) {
    const ProjectPath& path = paths[p];
    if (path.cohort < filter.from_year || path.cohort > filter.to_year) continue;
    if (!filter.programme.empty() && programme.text(p) != filter.programme) continue;
    const auto& lab = labels[p];
    if (filter.cluster >= 0 && std::find(lab.begin(), lab.end(), filter.cluster) == lab.end())
      continue;
    auto add = [&](const std::string& key) {
      groups[key].add(path, real_or_int(trl_start, p), real_or_int(trl_target, p),
                      real_or_int(trl_reached, p), cost.reals[p], aid.reals[p]);
    };
    switch (by) {
      case GroupBy::kNone:
        add("all");
        break;
      case GroupBy::kProgramme:
        add(std::string(programme.text(p)));
        break;
      case GroupBy::kYear:
        add(fmt::format("{}", path.cohort));
        break;
      case GroupBy::kCluster:
        for (int32_t c : lab) {
          if (filter.cluster < 0 || c == filter.cluster)
            add(std::string(clusters.key(static_cast<size_t>(c))));
        }
        break;
    }
  }
  std::vector<Funnel> out;
  if (by == GroupBy::kNone && groups.empty()) groups["all"];
  for (auto& [key, acc] : groups) {
    acc.f.group = key;
    out.push_back(acc.finish());
  }
  return out;
}

}  // namespace poles::pipeline
