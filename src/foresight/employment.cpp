#include "foresight/employment.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/codes.h"
#include "numeric/stats.h"

namespace poles::foresight {

using snapshot::Snapshot;

namespace {

using numeric::kNaN;

template <typename T>
int index_in(const std::vector<T>& v, const T& x) {
  const auto it = std::lower_bound(v.begin(), v.end(), x);
  return it != v.end() && *it == x ? static_cast<int>(it - v.begin()) : -1;
}

// Threshold of the top `share` of values (the value at rank ceil(share * n), at least the maximum).
double top_threshold(std::vector<double> v, double share) {
  std::erase_if(v, [](double x) { return std::isnan(x); });
  if (v.empty()) return std::numeric_limits<double>::infinity();
  std::sort(v.begin(), v.end(), std::greater<>());
  const auto k = std::max<size_t>(
      1, static_cast<size_t>(std::ceil(share * static_cast<double>(v.size()) - 1e-9)));
  return v[std::min(k, v.size()) - 1];
}

}  // namespace

int Cube::year_index(int year) const { return index_in(years, year); }
int Cube::sector_index(const std::string& sector) const { return index_in(sectors, sector); }
int Cube::territory_index(const std::string& territory) const {
  return index_in(territories, territory);
}

namespace {

// The code at `level` of a sector code of that level or a finer one ("26" -> "CI" -> "C");
// nullopt for "total", an unknown code or a coarser level.
std::optional<std::string> sector_at(std::string_view code, codes::NafLevel level) {
  const auto own = codes::naf_level_of(code);
  if (!own) return std::nullopt;
  if (*own == level) return std::string(code);
  if (*own == codes::NafLevel::kA88) return codes::naf_code_at(code, level);
  if (*own == codes::NafLevel::kA38 && level == codes::NafLevel::kA21) {
    // An A38 code lies inside one section: that of any of its divisions.
    for (const auto d : codes::naf_codes(codes::NafLevel::kA88)) {
      if (codes::naf_code_at(d, codes::NafLevel::kA38) == code)
        return codes::naf_code_at(d, codes::NafLevel::kA21);
    }
  }
  return std::nullopt;
}

// Adds v to a cell that may be NaN (absent).
void accumulate(double& cell, double v) {
  if (!std::isnan(v)) cell = std::isnan(cell) ? v : cell + v;
}

// The sum over territories of one column (NaN when every one is absent).
template <typename Get>
double sum_present(size_t n, Get get) {
  double sum = 0;
  bool any = false;
  for (size_t r = 0; r < n; ++r) {
    const double v = get(r);
    if (!std::isnan(v)) {
      sum += v;
      any = true;
    }
  }
  return any ? sum : kNaN;
}

}  // namespace

Result<Cube> employment_cube(const Snapshot& s, std::string_view level,
                             codes::NafLevel nomenclature) {
  const auto& t = s.table("employment");
  const auto& lv = t.column("level");
  const auto& code = t.column("code");
  const auto& sector = t.column("sector");
  const auto& year = t.column("year");
  const auto& jobs = t.column("jobs");
  // The territories, years and NAF levels of the level's own rows (country rows describe other
  // tables as often: their years and levels do not count).
  std::set<codes::NafLevel> present;
  std::set<std::string> territories;
  std::set<int> years;
  for (size_t i = 0; i < t.rows; ++i) {
    if (lv.text(i) != level) continue;
    territories.insert(std::string(code.text(i)));
    if (const auto l = codes::naf_level_of(sector.text(i))) present.insert(*l);
    years.insert(static_cast<int>(year.ints[i]));
  }
  if (territories.empty())
    return Status::not_found(fmt::format(
        "no employment at level '{}': the employment table has no row of that level", level));
  Cube c;
  c.level = std::string(level);
  c.nomenclature = nomenclature;
  codes::NafLevel source = nomenclature;
  if (!present.contains(nomenclature)) {
    // Finer levels have higher enum values (A21 < A38 < A88): the nearest finer one.
    const auto finer = present.upper_bound(nomenclature);
    if (finer == present.end())
      return Status::not_found(
          fmt::format("no employment by {} at level '{}' (nor by a finer NAF level to sum)",
                      codes::kNafLevelCodes[static_cast<size_t>(nomenclature)], level));
    source = *finer;
    c.summed_from = source;
  }
  std::set<std::string> sectors;
  for (size_t i = 0; i < t.rows; ++i) {
    if (lv.text(i) != level || codes::naf_level_of(sector.text(i)) != source) continue;
    if (auto k = sector_at(sector.text(i), nomenclature)) sectors.insert(std::move(*k));
  }
  c.territories.assign(territories.begin(), territories.end());
  c.sectors.assign(sectors.begin(), sectors.end());
  c.years.assign(years.begin(), years.end());
  const size_t R = c.territories.size(), S = c.sectors.size(), Y = c.years.size();
  c.jobs.assign(R, std::vector<std::vector<double>>(S, std::vector<double>(Y, kNaN)));
  c.territory_total.assign(R, std::vector<double>(Y, kNaN));
  c.sector_total.assign(S, std::vector<double>(Y, kNaN));
  c.total.assign(Y, kNaN);
  // National figures from the country rows only when they are of the same NAF level and not
  // summed (a country row for some divisions of a group would give a part of it); then the
  // country's total as well, else both from the territories (one base for e_s and e).
  std::vector<std::vector<double>> national_sector(S, std::vector<double>(Y, kNaN));
  std::vector<double> national(Y, kNaN);
  bool country_rows = false;
  for (size_t i = 0; i < t.rows; ++i) {
    const bool country = lv.text(i) == "country";
    if (lv.text(i) != level && !country) continue;
    const int yi = c.year_index(static_cast<int>(year.ints[i]));
    if (yi < 0) continue;
    const auto y = static_cast<size_t>(yi);
    const bool total = sector.text(i) == "total";
    std::optional<size_t> k;
    if (!total) {
      if (codes::naf_level_of(sector.text(i)) != source) continue;
      const auto at = sector_at(sector.text(i), nomenclature);
      const int ki = at ? c.sector_index(*at) : -1;
      if (ki < 0) continue;
      k = static_cast<size_t>(ki);
    }
    if (country) {
      if (c.summed_from) continue;
      if (total) {
        national[y] = jobs.reals[i];
      } else {
        national_sector[*k][y] = jobs.reals[i];
        country_rows = true;
      }
      continue;
    }
    const auto r = static_cast<size_t>(c.territory_index(std::string(code.text(i))));
    if (total)
      c.territory_total[r][y] = jobs.reals[i];
    else
      accumulate(c.jobs[r][*k][y], jobs.reals[i]);
  }
  // A territory without its total row: the sum of its sectors (as published).
  for (size_t r = 0; r < R; ++r) {
    for (size_t y = 0; y < Y; ++y) {
      if (std::isnan(c.territory_total[r][y]))
        c.territory_total[r][y] = sum_present(S, [&](size_t k) { return c.jobs[r][k][y]; });
    }
  }
  for (size_t y = 0; y < Y; ++y) {
    for (size_t k = 0; k < S; ++k) {
      c.sector_total[k][y] = country_rows && !std::isnan(national_sector[k][y])
                                 ? national_sector[k][y]
                                 : sum_present(R, [&](size_t r) { return c.jobs[r][k][y]; });
    }
    c.total[y] = country_rows && !std::isnan(national[y])
                     ? national[y]
                     : sum_present(R, [&](size_t r) { return c.territory_total[r][y]; });
  }
  return c;
}

Result<std::vector<Specialisation>> specialisation(const Cube& c, int year,
                                                   const StarRules& rules) {
  const int yi = c.year_index(year);
  if (yi < 0)
    return Status::not_found(fmt::format("no employment for year {} (years {}–{})", year,
                                         c.years.front(), c.years.back()));
  const auto y = static_cast<size_t>(yi);
  std::vector<Specialisation> out;
  for (size_t sct = 0; sct < c.sectors.size(); ++sct) {
    std::vector<double> jobs, shares;
    const size_t first = out.size();
    for (size_t r = 0; r < c.territories.size(); ++r) {
      const double e_rs = c.jobs[r][sct][y];
      if (std::isnan(e_rs)) continue;
      Specialisation x;
      x.territory = c.territories[r];
      x.sector = c.sectors[sct];
      x.jobs = e_rs;
      x.share_of_territory = c.territory_total[r][y] > 0 ? e_rs / c.territory_total[r][y] : kNaN;
      const double national_share = c.total[y] > 0 ? c.sector_total[sct][y] / c.total[y] : kNaN;
      x.lq = national_share > 0 ? x.share_of_territory / national_share : kNaN;
      x.specialisation_star = x.lq >= rules.min_lq;
      jobs.push_back(e_rs);
      shares.push_back(x.share_of_territory);
      out.push_back(std::move(x));
    }
    const double size_cut = top_threshold(jobs, rules.top_share),
                 focus_cut = top_threshold(shares, rules.top_share);
    for (size_t i = first; i < out.size(); ++i) {
      out[i].size_star = out[i].jobs >= size_cut;
      out[i].focus_star =
          !std::isnan(out[i].share_of_territory) && out[i].share_of_territory >= focus_cut;
    }
  }
  return out;
}

Result<std::vector<ShiftShare>> shift_share(const Cube& c, int from_year, int to_year) {
  const int a = c.year_index(from_year), b = c.year_index(to_year);
  if (a < 0 || b < 0) {
    return Status::invalid_argument(
        fmt::format("shift-share needs employment in {} and {} (years {}–{})", from_year, to_year,
                    c.years.front(), c.years.back()));
  }
  if (from_year >= to_year)
    return Status::invalid_argument(
        fmt::format("from ({}) must be before to ({})", from_year, to_year));
  const auto y0 = static_cast<size_t>(a), y1 = static_cast<size_t>(b);
  if (!(c.total[y0] > 0) || std::isnan(c.total[y1]))
    return Status::invalid_argument("the national total is missing for one of the years");
  const double g = (c.total[y1] - c.total[y0]) / c.total[y0];
  std::vector<ShiftShare> out;
  for (size_t r = 0; r < c.territories.size(); ++r) {
    for (size_t sct = 0; sct < c.sectors.size(); ++sct) {
      const double e0 = c.jobs[r][sct][y0], e1 = c.jobs[r][sct][y1];
      const double s0 = c.sector_total[sct][y0], s1 = c.sector_total[sct][y1];
      if (!(e0 > 0) || std::isnan(e1) || !(s0 > 0) || std::isnan(s1)) continue;
      const double gs = (s1 - s0) / s0, grs = (e1 - e0) / e0;
      ShiftShare x;
      x.territory = c.territories[r];
      x.sector = c.sectors[sct];
      x.start = e0;
      x.end = e1;
      x.change = e1 - e0;
      x.national = e0 * g;
      x.industry_mix = e0 * (gs - g);
      x.competitive = e0 * (grs - gs);
      out.push_back(std::move(x));
    }
  }
  return out;
}

Result<Projection> project(const std::vector<int>& years, const std::vector<double>& values,
                           int horizon, double level) {
  std::vector<double> x, y;
  for (size_t i = 0; i < years.size(); ++i) {
    if (values[i] > 0) {
      x.push_back(years[i]);
      y.push_back(std::log(values[i]));
    }
  }
  if (x.size() < 3)
    return Status::invalid_argument(
        fmt::format("a projection needs at least 3 positive years, got {}", x.size()));
  if (!(level > 0 && level < 1))
    return Status::invalid_argument(fmt::format("interval level {} is not in (0, 1)", level));
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const double slope = sxy / sxx, intercept = my - slope * mx;
  double rss = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double e = y[i] - intercept - slope * x[i];
    rss += e * e;
  }
  const double sigma = std::sqrt(rss / (n - 2));
  const double q = boost::math::quantile(boost::math::students_t(n - 2), 0.5 + level / 2);
  Projection p;
  p.level = level;
  p.n = x.size();
  p.annual_growth = std::exp(slope) - 1;
  for (size_t i = 0; i < years.size(); ++i) {
    if (values[i] > 0) p.points.push_back({years[i], values[i], values[i], values[i], true});
  }
  const int last = static_cast<int>(x.back());
  for (int h = 1; h <= horizon; ++h) {
    const double t = last + h;
    const double fit = intercept + slope * t;
    const double half = q * sigma * std::sqrt(1 + 1 / n + (t - mx) * (t - mx) / sxx);
    p.points.push_back(
        {last + h, std::exp(fit), std::exp(fit - half), std::exp(fit + half), false});
  }
  return p;
}

Result<Projection> project_sector(const Cube& c, const Window& w, int territory, int sector) {
  const auto k = static_cast<size_t>(sector);
  std::vector<int> years;
  std::vector<double> values;
  for (size_t y = 0; y < c.years.size(); ++y) {
    if (c.years[y] < w.from || c.years[y] > w.to) continue;
    years.push_back(c.years[y]);
    values.push_back(territory < 0 ? c.sector_total[k][y]
                                   : c.jobs[static_cast<size_t>(territory)][k][y]);
  }
  return project(years, values, w.horizon, w.level);
}

std::vector<TerritoryShiftShare> shift_share_by_territory(const std::vector<ShiftShare>& cells) {
  std::map<std::string, TerritoryShiftShare> by_territory;
  for (const auto& x : cells) {
    auto& t = by_territory[x.territory];
    t.territory = x.territory;
    t.start += x.start;
    t.change += x.change;
    t.national += x.national;
    t.industry_mix += x.industry_mix;
    t.competitive += x.competitive;
  }
  std::vector<TerritoryShiftShare> out;
  for (auto& [r, t] : by_territory) {
    t.growth = t.start > 0 ? t.change / t.start : kNaN;
    out.push_back(std::move(t));
  }
  return out;
}

Result<Overview> overview(const Cube& c, const Window& w, const std::string& territory,
                          const std::string& sector) {
  auto keep = [&](const std::string& r, const std::string& k) {
    return (territory.empty() || r == territory) && (sector.empty() || k == sector);
  };
  POLES_ASSIGN_OR_RETURN(auto spec, specialisation(c, w.year));
  POLES_ASSIGN_OR_RETURN(auto shifts, shift_share(c, w.from, w.to));
  Overview out;
  for (auto& x : spec) {
    if (keep(x.territory, x.sector)) out.specialisation.push_back(std::move(x));
  }
  for (auto& x : shifts) {
    if (keep(x.territory, x.sector)) out.cells.push_back(std::move(x));
  }
  out.territories = shift_share_by_territory(out.cells);
  const int r = territory.empty() ? -1 : c.territory_index(territory);
  for (size_t k = 0; k < c.sectors.size(); ++k) {
    if (!sector.empty() && c.sectors[k] != sector) continue;
    auto pr = project_sector(c, w, r, static_cast<int>(k));
    SectorProjection p{c.sectors[k], std::nullopt, ""};
    if (pr) {
      p.projection = std::move(*pr);
    } else {
      p.error = pr.error().message();
    }
    out.projections.push_back(std::move(p));
  }
  return out;
}

Result<SectorProfile> sector_profile(const Cube& c, const Window& w, int sector) {
  const auto k = static_cast<size_t>(sector);
  SectorProfile out;
  out.national = c.sector_total[k];
  POLES_ASSIGN_OR_RETURN(out.projection, project_sector(c, w, -1, sector));
  POLES_ASSIGN_OR_RETURN(auto spec, specialisation(c, w.year));
  POLES_ASSIGN_OR_RETURN(auto shifts, shift_share(c, w.from, w.to));
  // shift_share checked that both years are in the cube.
  out.start = c.sector_total[k][static_cast<size_t>(c.year_index(w.from))];
  out.end = c.sector_total[k][static_cast<size_t>(c.year_index(w.to))];
  out.growth = out.start > 0 ? (out.end - out.start) / out.start : kNaN;
  std::map<std::string, size_t> row;  // territory -> index in out.territories
  for (auto& x : spec) {
    if (x.sector != c.sectors[k]) continue;
    row.emplace(x.territory, out.territories.size());
    out.territories.push_back({std::move(x), std::nullopt});
  }
  for (auto& x : shifts) {
    if (x.sector != c.sectors[k]) continue;
    if (auto it = row.find(x.territory); it != row.end())
      out.territories[it->second].shift_share = std::move(x);
  }
  std::sort(out.territories.begin(), out.territories.end(),
            [](const SectorTerritory& a, const SectorTerritory& b) {
              return a.specialisation.jobs > b.specialisation.jobs;
            });
  return out;
}

MemberJobs member_jobs(const Snapshot& s, std::string_view division) {
  MemberJobs out;
  for (const auto& r : codes::regions()) out.regions.emplace_back(r.code);
  const auto& orgs = s.table("organisation");
  const auto& siren = orgs.column("siren");
  const auto& fy = s.table("firm_year");
  const auto& f_year = fy.column("year");
  const auto& f_siren = fy.column("siren");
  const auto& f_region = fy.column("region");
  const auto& f_headcount = fy.column("headcount");
  const auto& mc = s.table("member_census");
  const auto& mc_year = mc.column("year");
  const auto& mc_org = mc.column("organisation_id");
  std::set<int> panel_years;
  for (size_t i = 0; i < fy.rows; ++i) panel_years.insert(static_cast<int>(f_year.ints[i]));
  for (size_t m = 0; m < mc.rows; ++m) {
    const int y = static_cast<int>(mc_year.ints[m]);
    if (y > out.year && panel_years.contains(y)) out.year = y;
  }
  if (out.year == 0) return out;
  std::vector<uint8_t> member(orgs.rows, 0);
  for (size_t m = 0; m < mc.rows; ++m) {
    if (mc_year.ints[m] == out.year) member[static_cast<size_t>(mc_org.codes[m])] = 1;
  }
  std::set<std::string, std::less<>> sirens;
  for (size_t i = 0; i < orgs.rows; ++i) {
    if (member[i] && !siren.text(i).empty()) sirens.emplace(siren.text(i));
  }
  // The sector of the firm panel's row (the State's data for the year), not the organisation's
  // NAF code in the registry: the firm and, through a request, a cluster may change that one, and
  // the sheets of two divisions read before and after would give the firm's headcount.
  const auto& f_naf = fy.column("naf");
  for (size_t i = 0; i < fy.rows; ++i) {
    if (f_year.ints[i] != out.year || !sirens.contains(f_siren.text(i))) continue;
    const auto code = f_naf.text(i);
    if (code.size() < 2 || code.substr(0, 2) != division) continue;
    const double h = f_headcount.reals[i];
    if (std::isnan(h)) continue;
    const auto r = std::find(out.regions.begin(), out.regions.end(), f_region.text(i));
    if (r == out.regions.end()) continue;
    out.firms.push_back(
        {static_cast<size_t>(r - out.regions.begin()), std::string(f_siren.text(i)), h});
  }
  return out;
}

}  // namespace poles::foresight
