#include "characterise/characterise.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "core/date.h"
#include "evaluate/indicators.h"
#include "foresight/employment.h"
#include "pipeline/projects.h"

namespace poles::characterise {

namespace {

std::optional<double> known(double v) {
  return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}

// Whether a share is known and at least the threshold.
bool at_least(const std::optional<double>& share, double threshold) {
  return share && *share >= threshold;
}

// A cluster's partners and aid over its recent projects, and the sectors of all its projects.
struct Reach {
  double partners = 0, outside = 0, aid = 0, national = 0;
  std::map<std::string, int> sectors;  // NAF division -> projects labelled
};

std::vector<Reach> reach(const snapshot::Snapshot& s, int year) {
  const auto& ct = s.table("cluster");
  const auto& project = s.table("project");
  const auto& pl = s.table("project_label");
  const auto& c_region = ct.column("region");
  const auto& o_region = s.table("organisation").column("region");
  const auto& p_sector = project.column("sector");
  const auto& p_start = project.column("start_date");
  const auto& p_aid = project.column("public_aid");
  const auto scopes = pipeline::project_scopes(s);
  const auto& l_project = pl.column("project_id");
  const auto& l_cluster = pl.column("cluster_id");
  const auto partners = pipeline::project_partners(s);
  std::vector<Reach> out(ct.rows);
  for (size_t l = 0; l < pl.rows; ++l) {
    const auto pr = static_cast<size_t>(l_project.codes[l]);
    const auto c = static_cast<size_t>(l_cluster.codes[l]);
    Reach& r = out[c];
    const auto sector = p_sector.text(pr);
    if (sector.size() >= 2) ++r.sectors[std::string(sector.substr(0, 2))];
    if (!p_start.present[pr]) continue;
    const int y = Date::from_days(p_start.ints[pr]).year;
    if (y > year || y <= year - 5) continue;
    for (int32_t o : partners[pr]) {
      const auto region = o_region.text(static_cast<size_t>(o));
      if (region.empty()) continue;
      r.partners += 1;
      r.outside += region != c_region.text(c);
    }
    const double a = p_aid.reals[pr];
    if (!std::isnan(a)) {
      r.aid += a;
      if (scopes[pr] != static_cast<int8_t>(ProgrammeScope::kRegional)) r.national += a;
    }
  }
  return out;
}

// The specialisation of each (region, sector) in the year, or in the last year of the figures
// when earlier; empty without employment figures for that year.
std::map<std::pair<std::string, std::string>, foresight::Specialisation> specialisations(
    const snapshot::Snapshot& s, int year) {
  std::map<std::pair<std::string, std::string>, foresight::Specialisation> out;
  auto cube = foresight::employment_cube(s);
  if (!cube) return out;
  if (auto sp = foresight::specialisation(*cube, std::min(year, cube->years.back()))) {
    for (auto& x : *sp) out[{x.territory, x.sector}] = x;
  }
  return out;
}

}  // namespace

Characterisation characterise(const snapshot::Snapshot& s, int year,
                              const CharacterisationThresholds& t) {
  Characterisation out;
  out.year = year;
  out.thresholds = t;
  const auto cat = evaluate::catalogue(s, year, year);
  const auto& ct = s.table("cluster");
  const auto& c_name = ct.column("name");
  const auto& c_region = ct.column("region");
  const auto& c_filiere = ct.column("filiere");
  const auto& c_scale = ct.column("scale");
  const auto figures = reach(s, year);
  const auto spec = specialisations(s, year);
  const int members_i = evaluate::indicator_index("members_outside_region");
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> by_filiere_region;
  std::set<std::pair<std::string, std::string>> sector_regions;  // (sector, region) of a cluster
  for (size_t c = 0; c < ct.rows; ++c) {
    if (!cat.active[0][c]) continue;
    const Reach& r = figures[c];
    CharacterisedCluster x;
    x.cluster = std::string(ct.key(c));
    x.name = std::string(c_name.text(c));
    x.region = std::string(c_region.text(c));
    x.filiere = std::string(c_filiere.text(c));
    x.declared_scale = std::string(c_scale.text(c));
    x.members_outside_region = known(cat.at(year, static_cast<int32_t>(c), members_i));
    if (r.partners > 0) x.partners_outside_region = r.outside / r.partners;
    if (r.aid > 0) x.national_funding_share = r.national / r.aid;
    const bool beyond = at_least(x.members_outside_region, t.members_outside) ||
                        at_least(x.partners_outside_region, t.partners_outside);
    x.measured_scale =
        beyond && at_least(x.national_funding_share, t.national_funding) ? "national" : "regional";
    x.scale_mismatch = x.declared_scale != x.measured_scale;
    int best = 0;
    for (const auto& [sector, n] : r.sectors) {
      if (n > best) best = n, x.sector = sector;
    }
    if (const auto it = spec.find({x.region, x.sector}); it != spec.end()) {
      const auto& sp = it->second;
      x.specialisation = CharacterisedSpecialisation{
          sp.jobs, known(sp.lq), sp.stars(), sp.size_star, sp.specialisation_star, sp.focus_star};
    }
    by_filiere_region[{x.filiere, x.region}].push_back(x.cluster);
    sector_regions.insert({x.sector, x.region});
    out.clusters.push_back(std::move(x));
  }
  for (auto& [key, ids] : by_filiere_region) {
    if (ids.size() >= 2 && !key.first.empty())
      out.overlaps.push_back(FiliereOverlap{key.first, key.second, std::move(ids)});
  }
  for (const auto& [key, x] : spec) {
    if ((x.specialisation_star || x.size_star) && !sector_regions.contains({key.second, key.first}))
      out.gaps.push_back(
          CharacterisationGap{key.first, key.second, known(x.lq), x.jobs, x.stars()});
  }
  return out;
}

}  // namespace poles::characterise
