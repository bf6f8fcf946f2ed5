#include "pipeline/leverage.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/date.h"
#include "core/model.h"
#include "numeric/stats.h"
#include "pipeline/projects.h"

namespace poles::pipeline {

using snapshot::Snapshot;

namespace {

struct LeverageAcc {
  Leverage l;
  std::vector<double> ratios, cost_ratios;
  std::set<int32_t> national, european_later;
};

}  // namespace

std::vector<Leverage> leverage(const Snapshot& s, int from_year, int to_year, LeverageBy by) {
  const auto& project = s.table("project");
  const auto& programme = project.column("programme");
  const auto& start = project.column("start_date");
  const auto& cost = project.column("total_cost");
  const auto& aid = project.column("public_aid");
  const auto& follow = project.column("follow_on_of");
  const auto& clusters = s.table("cluster");

  const auto labels = project_clusters(s);
  const auto partners = project_partners(s);

  auto funded = [&](size_t p) { return !std::isnan(aid.reals[p]) && aid.reals[p] > 0; };
  const auto european_project = european_projects(s);
  auto european = [&](size_t p) { return european_project[p] != 0; };
  // Every European start per organisation, to find one after a given national project.
  std::vector<std::vector<int64_t>> european_starts(s.table("organisation").rows);
  for (size_t p = 0; p < project.rows; ++p) {
    if (!european(p) || !start.present[p]) continue;
    for (int32_t o : partners[p]) european_starts[static_cast<size_t>(o)].push_back(start.ints[p]);
  }
  for (auto& v : european_starts) std::sort(v.begin(), v.end());

  std::map<std::string, LeverageAcc> groups;
  for (size_t p = 0; p < project.rows; ++p) {
    if (!start.present[p]) continue;
    const int year = Date::from_days(start.ints[p]).year;
    if (year < from_year || year > to_year) continue;
    std::vector<std::string> keys;
    switch (by) {
      case LeverageBy::kNone:
        keys.emplace_back("all");
        break;
      case LeverageBy::kProgramme:
        keys.emplace_back(programme.text(p));
        break;
      case LeverageBy::kCluster:
        for (int32_t c : labels[p]) keys.emplace_back(clusters.key(static_cast<size_t>(c)));
        break;
    }
    for (const auto& key : keys) {
      LeverageAcc& a = groups[key];
      a.l.group = key;
      if (funded(p)) {
        ++a.l.funded_projects;
        const double c = std::isnan(cost.reals[p]) ? aid.reals[p] : cost.reals[p];
        a.l.total_cost += c;
        a.l.public_aid += aid.reals[p];
        a.l.private_funding += c - aid.reals[p];
        a.ratios.push_back((c - aid.reals[p]) / aid.reals[p]);
        if (!european(p)) {
          for (int32_t o : partners[p]) {
            a.national.insert(o);
            const auto& es = european_starts[static_cast<size_t>(o)];
            if (std::upper_bound(es.begin(), es.end(), start.ints[p]) != es.end())
              a.european_later.insert(o);
          }
        }
      }
      const int32_t origin = follow.codes[p];
      if (origin >= 0) {
        ++a.l.follow_ons;
        const double c0 = cost.reals[static_cast<size_t>(origin)], c1 = cost.reals[p];
        if (!std::isnan(c0) && !std::isnan(c1) && c0 > 0) {
          a.cost_ratios.push_back(c1 / c0);
          if (c1 > c0) ++a.l.larger_follow_ons;
        }
        if (european(p) && !european(static_cast<size_t>(origin))) ++a.l.follow_ons_to_europe;
      }
    }
  }
  std::vector<Leverage> out;
  for (auto& [key, a] : groups) {
    a.l.leverage = a.l.public_aid > 0 ? a.l.private_funding / a.l.public_aid
                                      : std::numeric_limits<double>::quiet_NaN();
    a.l.median_leverage = numeric::median(a.ratios);
    a.l.median_cost_ratio = numeric::median(a.cost_ratios);
    a.l.national_participants = a.national.size();
    a.l.european_after_national = a.european_later.size();
    a.l.european_after_national_share = a.l.national_participants
                                            ? static_cast<double>(a.l.european_after_national) /
                                                  static_cast<double>(a.l.national_participants)
                                            : std::numeric_limits<double>::quiet_NaN();
    out.push_back(std::move(a.l));
  }
  return out;
}

}  // namespace poles::pipeline
