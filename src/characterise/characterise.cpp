#include "characterise/characterise.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "core/date.h"
#include "core/schema.h"
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

// The `|`-separated items of a list cell, each once, in order.
std::vector<std::string> items(std::string_view list) {
  std::vector<std::string> out;
  for (const auto item : schema::list_items(list))
    if (std::find(out.begin(), out.end(), item) == out.end()) out.emplace_back(item);
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// Whether a strategy's period ("2021-2027"; empty or another form: always) holds the year.
bool in_period(std::string_view period, int year) {
  if (period.size() != 9 || period[4] != '-') return true;
  int first = 0, last = 0;
  for (size_t i = 0; i < 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(period[i])) ||
        !std::isdigit(static_cast<unsigned char>(period[5 + i])))
      return true;
    first = first * 10 + (period[i] - '0');
    last = last * 10 + (period[5 + i] - '0');
  }
  return year >= first && year <= last;
}

// The strategies of the store in a year: the filières (by id, and by name in lower case for the
// free-text names a store kept before the reference existed) and the S3 domains whose period
// holds the year (the others are set apart: named by a cluster, they are neither served nor
// unknown).
struct Strategies {
  std::map<std::string, std::pair<std::string, std::string>> filieres;  // id -> names fr, en
  std::map<std::string, std::string> filiere_names;                     // lower-case name -> id
  std::map<std::string, S3Coverage> domains;  // id -> domain (clusters filled later)
  std::set<std::string> other_periods;        // ids of domains of another period
  std::set<std::string> regions;              // regions with a domain in the year
};

Strategies strategies(const snapshot::Snapshot& s, int year) {
  Strategies out;
  const auto& f = s.table("filiere");
  const auto& f_name = f.column("name");
  const auto& f_name_en = f.column("name_en");
  for (size_t i = 0; i < f.rows; ++i) {
    out.filieres[std::string(f.key(i))] = {std::string(f_name.text(i)),
                                           std::string(f_name_en.text(i))};
    out.filiere_names[lower(f_name.text(i))] = f.key(i);
  }
  const auto& d = s.table("s3_domain");
  const auto& d_region = d.column("region");
  const auto& d_name = d.column("name");
  const auto& d_name_en = d.column("name_en");
  const auto& d_period = d.column("period");
  for (size_t i = 0; i < d.rows; ++i) {
    const std::string id(d.key(i));
    if (!in_period(d_period.text(i), year)) {
      out.other_periods.insert(id);
      continue;
    }
    out.domains[id] = S3Coverage{id,
                                 std::string(d_region.text(i)),
                                 std::string(d_name.text(i)),
                                 std::string(d_name_en.text(i)),
                                 {}};
    out.regions.insert(std::string(d_region.text(i)));
  }
  return out;
}

// Each labelled cluster against the strategies, and the strategies' overlaps and gaps.
void check_coherence(const snapshot::Snapshot& s, Characterisation& out) {
  Strategies st = strategies(s, out.year);
  const auto& ct = s.table("cluster");
  const auto& c_s3 = ct.column("s3_domains");
  std::map<std::string, size_t> row_of;
  for (size_t c = 0; c < ct.rows; ++c) row_of[std::string(ct.key(c))] = c;
  std::set<std::string> filieres_in_use, regions_without;
  for (auto& x : out.clusters) {
    if (!st.filieres.empty()) {
      auto id = x.filiere;
      if (!st.filieres.contains(id)) {
        const auto by_name = st.filiere_names.find(lower(x.filiere));
        if (by_name != st.filiere_names.end()) id = by_name->second;
      }
      const auto it = st.filieres.find(id);
      x.filiere_name = it != st.filieres.end() ? it->second.first : std::string();
      if (it != st.filieres.end()) x.filiere_name_en = it->second.second;
      filieres_in_use.insert(id);
    }
    bool serves_home = false;
    for (auto& id : items(c_s3.text(row_of.at(x.cluster)))) {
      if (st.other_periods.contains(id)) continue;
      const auto it = st.domains.find(id);
      if (it == st.domains.end()) {
        x.s3_unknown.push_back(std::move(id));
        continue;
      }
      serves_home = serves_home || it->second.region == x.region;
      it->second.clusters.push_back(x.cluster);
      x.s3_domains.push_back(std::move(id));
    }
    x.s3_mapped = !x.s3_domains.empty();
    if (st.regions.contains(x.region)) {
      x.outside_priorities = !serves_home;
    } else if (!st.domains.empty()) {
      regions_without.insert(x.region);
    }
  }
  std::map<std::string, std::string> region_of;  // cluster -> home region
  for (const auto& x : out.clusters) region_of[x.cluster] = x.region;
  for (auto& [id, d] : st.domains) {
    if (d.clusters.empty()) out.s3_gaps.push_back(d);
    // An overlap is two clusters of the domain's own region; a cluster of another region serving
    // it works across regions, which is no duplication.
    S3Coverage home = d;
    std::erase_if(home.clusters, [&](const std::string& c) { return region_of[c] != home.region; });
    if (home.clusters.size() >= 2) out.s3_overlaps.push_back(std::move(home));
  }
  for (const auto& [id, names] : st.filieres) {
    if (!filieres_in_use.contains(id))
      out.filiere_gaps.push_back(FiliereGap{id, names.first, names.second});
  }
  out.regions_without_s3.assign(regions_without.begin(), regions_without.end());
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
  check_coherence(s, out);
  return out;
}

}  // namespace poles::characterise
