#include "app/factory.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/codes.h"
#include "core/date.h"
#include "core/model.h"
#include "foresight/employment.h"
#include "pipeline/funnel.h"
#include "pipeline/leverage.h"
#include "services/diagnostics.h"
#include "services/services.h"

namespace poles::app {

using snapshot::Snapshot;

namespace {

Json duration_json(const pipeline::Duration& d) {
  return Json{{"n", d.n},
              {"median_days", d.n ? Json(d.median_days) : Json(nullptr)},
              {"mean_days", d.n ? Json(d.mean_days) : Json(nullptr)}};
}

Json funnel_json(const pipeline::Funnel& f) {
  Json current = Json::object();
  for (size_t k = 0; k < kProjectStatusCodes.size(); ++k)
    current[std::string(kProjectStatusCodes[k])] = f.current[k];
  Json stages = Json::array();
  for (size_t k = 0; k < pipeline::kStages; ++k) {
    Json st{{"stage", kProjectStatusCodes[k]},
            {"reached", f.reached[k]},
            {"rejected_after", f.rejected_after[k]},
            {"abandoned_after", f.abandoned_after[k]}};
    if (k + 1 < pipeline::kStages) {
      st["conversion"] = f.conversion[k];
      st["to_next"] = duration_json(f.durations[k]);
    }
    stages.push_back(std::move(st));
  }
  return Json{{"group", f.group},
              {"projects", f.projects},
              {"current", current},
              {"stages", stages},
              {"time_to_market", duration_json(f.time_to_market)},
              {"trl",
               {{"n", f.trl_n},
                {"gain_mean", f.trl_n ? Json(f.trl_gain_mean) : Json(nullptr)},
                {"target_share", f.trl_n ? Json(f.trl_target_share) : Json(nullptr)}}},
              {"total_cost", f.total_cost},
              {"public_aid", f.public_aid}};
}

std::string region_name(std::string_view code) {
  const auto* r = codes::find_region(code);
  return r ? std::string(r->name) : std::string(code);
}

std::string sector_name(std::string_view division) {
  const auto section = codes::naf_section(division);
  return section ? std::string(codes::naf_section_name(*section)) : std::string();
}

// One column of firm aggregates by row, through statistical secrecy: [rows..., total].
std::vector<PublishedCell> secret_column(size_t rows,
                                         const std::vector<Contribution>& contributions,
                                         const SecrecyRule& rule) {
  const SecretTable t = publish(static_cast<int>(rows), 1, contributions, rule);
  std::vector<PublishedCell> out;
  for (size_t r = 0; r <= rows; ++r) out.push_back(t.cells[r][0]);
  return out;
}

Json cell_json(const PublishedCell& c) {
  if (c.value) return Json{{"value", *c.value}, {"firms", c.firms}};
  return Json{{"value", nullptr},
              {"secret", c.suppression == Suppression::kPrimary ? "primary" : "secondary"}};
}

Json rule_json(const SecrecyRule& rule) {
  return Json{{"min_firms", rule.min_firms}, {"max_share", rule.max_share}};
}

Json spread_json(const services::Spread& s) {
  return Json{{"n", s.n},     {"mean", s.mean},     {"sd", s.sd},   {"cv", s.cv},  {"min", s.min},
              {"p25", s.p25}, {"median", s.median}, {"p75", s.p75}, {"max", s.max}};
}

// A statistic over firms shown only when it covers at least min_firms of them.
Json over_firms(double v, size_t firms, const SecrecyRule& rule) {
  if (firms < static_cast<size_t>(rule.min_firms))
    return Json{{"value", nullptr}, {"secret", "primary"}};
  return Json{{"value", v}, {"firms", firms}};
}

Result<std::pair<int, int>> year_range(const Params& p, int from, int to) {
  POLES_ASSIGN_OR_RETURN(int a, integer(p, "from", from, 1900, 2100));
  POLES_ASSIGN_OR_RETURN(int b, integer(p, "to", to, 1900, 2100));
  if (a > b)
    return Status::invalid_argument(fmt::format("parameter 'from' ({}) is after 'to' ({})", a, b));
  return std::pair{a, b};
}

}  // namespace

Result<Json> pipeline_funnel(const Snapshot& s, const Params& p) {
  POLES_ASSIGN_OR_RETURN(auto years, year_range(p, 1900, 2100));
  pipeline::FunnelFilter filter;
  filter.from_year = years.first;
  filter.to_year = years.second;
  const std::string cluster = text(p, "cluster");
  if (!cluster.empty()) {
    filter.cluster = s.table("cluster").find(cluster);
    if (filter.cluster < 0)
      return Status::not_found(fmt::format("parameter 'cluster': no cluster '{}'", cluster));
  }
  const std::string programme = text(p, "programme");
  if (!programme.empty()) {
    const auto code = find_code(kProgrammeCodes, programme);
    if (!code)
      return Status::invalid_argument(
          fmt::format("parameter 'programme' value '{}': not a programme code", programme));
    filter.programme = *code;
  }
  const std::string by = text(p, "by", "none");
  static const std::map<std::string, pipeline::GroupBy> kBy = {
      {"none", pipeline::GroupBy::kNone},
      {"cluster", pipeline::GroupBy::kCluster},
      {"programme", pipeline::GroupBy::kProgramme},
      {"year", pipeline::GroupBy::kYear}};
  const auto it = kBy.find(by);
  if (it == kBy.end())
    return Status::invalid_argument(
        fmt::format("parameter 'by' value '{}': must be none, cluster, programme or year", by));
  const auto all = pipeline::funnel(s, filter, pipeline::GroupBy::kNone);
  Json groups = Json::array();
  if (it->second != pipeline::GroupBy::kNone) {
    for (const auto& f : pipeline::funnel(s, filter, it->second)) groups.push_back(funnel_json(f));
  }
  return Json{
      {"filter",
       {{"from", filter.from_year},
        {"to", filter.to_year},
        {"cluster", cluster.empty() ? Json(nullptr) : Json(cluster)},
        {"programme", programme.empty() ? Json(nullptr) : Json(programme)},
        {"by", by}}},
      {"stages", std::vector<std::string_view>(kProjectStatusCodes.begin(),
                                               kProjectStatusCodes.begin() + pipeline::kStages)},
      {"all", funnel_json(all.front())},
      {"groups", groups}};
}

Result<Json> pipeline_leverage(const Snapshot& s, const Params& p) {
  POLES_ASSIGN_OR_RETURN(auto years, year_range(p, 1900, 2100));
  const std::string by = text(p, "by", "cluster");
  static const std::map<std::string, pipeline::LeverageBy> kBy = {
      {"none", pipeline::LeverageBy::kNone},
      {"cluster", pipeline::LeverageBy::kCluster},
      {"programme", pipeline::LeverageBy::kProgramme}};
  const auto it = kBy.find(by);
  if (it == kBy.end())
    return Status::invalid_argument(
        fmt::format("parameter 'by' value '{}': must be none, cluster or programme", by));
  auto row = [&](const pipeline::Leverage& l) {
    Json j{{"group", l.group},
           {"funded_projects", l.funded_projects},
           {"total_cost", l.total_cost},
           {"public_aid", l.public_aid},
           {"private_funding", l.private_funding},
           {"leverage", l.leverage},
           {"median_leverage", l.median_leverage},
           {"follow_ons", l.follow_ons},
           {"larger_follow_ons", l.larger_follow_ons},
           {"median_cost_ratio", l.median_cost_ratio},
           {"follow_ons_to_europe", l.follow_ons_to_europe},
           {"national_participants", l.national_participants},
           {"european_after_national", l.european_after_national},
           {"european_after_national_share", l.national_participants
                                                 ? static_cast<double>(l.european_after_national) /
                                                       static_cast<double>(l.national_participants)
                                                 : NAN}};
    // Cluster groups carry the cluster's name (the whole, "all", is not a cluster).
    if (const int32_t c =
            it->second == pipeline::LeverageBy::kCluster ? s.table("cluster").find(l.group) : -1;
        c >= 0) {
      j["name"] = std::string(s.table("cluster").column("name").text(static_cast<size_t>(c)));
    }
    return j;
  };
  const auto all = pipeline::leverage(s, years.first, years.second, pipeline::LeverageBy::kNone);
  Json groups = Json::array();
  if (it->second != pipeline::LeverageBy::kNone) {
    for (const auto& l : pipeline::leverage(s, years.first, years.second, it->second))
      groups.push_back(row(l));
  }
  return Json{{"filter", {{"from", years.first}, {"to", years.second}, {"by", by}}},
              {"all", all.empty() ? Json(nullptr) : row(all.front())},
              {"groups", groups}};
}

Result<Json> services_overview(const Snapshot& s, const Params& p, const SecrecyRule& rule) {
  POLES_ASSIGN_OR_RETURN(auto years, year_range(p, 2016, 2020));
  POLES_ASSIGN_OR_RETURN(int horizon, integer(p, "horizon", 3, 1, 10));
  const auto r = services::services_report(s, years.first, years.second, horizon);
  const auto& clusters = s.table("cluster");
  std::vector<Contribution> contributions;
  for (size_t i = 0; i < r.clusters.size(); ++i) {
    for (const auto& [o, v] : r.clusters[i].financing) {
      contributions.push_back({static_cast<int>(i), 0, v,
                               std::string(s.table("organisation").key(static_cast<size_t>(o)))});
    }
  }
  const auto financing = secret_column(r.clusters.size(), contributions, rule);
  Json rows = Json::array();
  size_t total_services = 0, total_sme = 0, total_served = 0;
  for (size_t i = 0; i < r.clusters.size(); ++i) {
    const auto& c = r.clusters[i];
    const auto row = static_cast<size_t>(c.cluster);
    Json kinds = Json::object(), outcomes = Json::object();
    for (size_t k = 0; k < kServiceKindCodes.size(); ++k)
      kinds[std::string(kServiceKindCodes[k])] = c.by_kind[k];
    for (size_t k = 0; k < kServiceOutcomeCodes.size(); ++k)
      outcomes[std::string(kServiceOutcomeCodes[k])] = c.outcomes[k];
    total_services += c.services;
    total_sme += c.sme_members;
    total_served += c.sme_served;
    rows.push_back(Json{{"cluster", clusters.key(row)},
                        {"name", clusters.column("name").text(row)},
                        {"services", c.services},
                        {"by_kind", kinds},
                        {"cost", c.cost},
                        {"participations", c.participations},
                        {"participants", c.participants},
                        {"sme_members", c.sme_members},
                        {"sme_served", c.sme_served},
                        {"reach", c.reach},
                        {"intensity", c.intensity},
                        {"abroad", c.abroad},
                        {"abroad_europe", c.abroad_europe},
                        {"projects", c.projects},
                        {"european_projects", c.european_projects},
                        {"european_share", c.projects ? static_cast<double>(c.european_projects) /
                                                            static_cast<double>(c.projects)
                                                      : NAN},
                        {"satisfaction", c.satisfaction},
                        {"outcomes", outcomes},
                        {"financing_raised", cell_json(financing[i])}});
  }
  const auto& o = r.outcomes;
  auto group = [](const services::OutcomeGroup& g) {
    return Json{{"firms", g.firms}, {"baseline", g.baseline}, {"later", g.later}};
  };
  return Json{{"from", r.from_year},
              {"to", r.to_year},
              {"totals",
               {{"services", total_services},
                {"sme_members", total_sme},
                {"sme_served", total_served},
                {"financing_raised", cell_json(financing.back())}}},
              {"heterogeneity",
               {{"reach", spread_json(r.reach)},
                {"services_per_sme_member", spread_json(r.services_per_member)},
                {"international_share", spread_json(r.international_share)}}},
              {"outcomes",
               {{"horizon", o.horizon},
                {"served", group(o.served)},
                {"not_served", group(o.not_served)},
                {"difference", o.difference},
                {"ci95", {o.ci_low, o.ci_high}},
                {"difference_in_differences", o.difference_in_differences},
                {"method",
                 "descriptive: SME members served in the period against SME members of the same "
                 "clusters not "
                 "served; share starting a funded project in the horizon before and after the "
                 "period; not matched"}}},
              {"clusters", rows},
              {"secrecy", rule_json(rule)}};
}

Result<Json> diagnostics_overview(const Snapshot& s, const Params& p, const SecrecyRule& rule) {
  POLES_ASSIGN_OR_RETURN(auto years, year_range(p, 2015, 2030));
  const auto r = services::diagnostics_report(s, years.first, years.second);
  auto dims = [&](const std::array<services::DimensionStats, 7>& d) {
    Json j = Json::object();
    for (size_t k = 0; k < services::kDimensions.size(); ++k) {
      j[std::string(services::kDimensions[k])] =
          d[k].n >= static_cast<size_t>(rule.min_firms)
              ? Json{{"n", d[k].n}, {"mean", d[k].mean}, {"median", d[k].median}}
              : Json{{"n", nullptr}, {"mean", nullptr}, {"median", nullptr}, {"secret", "primary"}};
    }
    return j;
  };
  auto bands = [&](const std::vector<services::AidBand>& v, bool scores) {
    std::vector<Contribution> contributions;
    for (size_t i = 0; i < v.size(); ++i) {
      for (const auto& [o, a] : v[i].aid)
        contributions.push_back({static_cast<int>(i), 0, a,
                                 std::string(s.table("organisation").key(static_cast<size_t>(o)))});
    }
    const auto aid = secret_column(v.size(), contributions, rule);
    Json out = Json::array();
    for (size_t i = 0; i < v.size(); ++i) {
      Json b{{"band", v[i].band},
             {"firms", v[i].firms},
             {"aided", v[i].aided},
             {"aided_share",
              v[i].firms ? static_cast<double>(v[i].aided) / static_cast<double>(v[i].firms) : NAN},
             {"aid", cell_json(aid[i])}};
      if (scores) {
        b["score_from"] = v[i].score_from;
        b["score_to"] = v[i].score_to;
      }
      out.push_back(std::move(b));
    }
    return std::pair{out, cell_json(aid.back())};
  };
  const auto [by_maturity, aid_total] = bands(r.aid_by_maturity, true);
  const auto by_size = bands(r.aid_by_size, false).first;
  Json clusters = Json::array();
  const auto& ct = s.table("cluster");
  for (const auto& c : r.clusters) {
    const auto row = static_cast<size_t>(c.cluster);
    clusters.push_back(Json{{"cluster", ct.key(row)},
                            {"name", ct.column("name").text(row)},
                            {"firms", c.firms},
                            {"latest", dims(c.latest)}});
  }
  Json change = Json::object();
  for (size_t k = 0; k < services::kDimensions.size(); ++k)
    change[std::string(services::kDimensions[k])] = r.progress.mean_change[k];
  const bool progress_shown = r.progress.firms >= static_cast<size_t>(rule.min_firms);
  return Json{
      {"from", r.from_year},
      {"to", r.to_year},
      {"diagnostics", r.diagnostics},
      {"firms", r.firms},
      {"dimensions", services::kDimensions},
      {"latest", dims(r.latest)},
      {"progress", progress_shown ? Json{{"firms", r.progress.firms},
                                         {"mean_days", r.progress.mean_days},
                                         {"mean_change", change},
                                         {"score_ci95", {r.progress.ci_low, r.progress.ci_high}},
                                         {"improved_share", r.progress.improved_share}}
                                  : Json{{"firms", r.progress.firms}, {"secret", "primary"}}},
      {"aid_by_maturity", by_maturity},
      {"aid_by_size", by_size},
      {"aid_total", aid_total},
      {"clusters", clusters},
      {"secrecy", rule_json(rule)}};
}

namespace {

struct EmploymentOptions {
  int year = 0, from = 0, to = 0, horizon = 5;
  double level = 0.95;
};

Result<EmploymentOptions> employment_options(const foresight::Cube& c, const Params& p) {
  EmploymentOptions o;
  POLES_ASSIGN_OR_RETURN(o.year, integer(p, "year", c.years.back(), 1900, 2100));
  POLES_ASSIGN_OR_RETURN(o.from, integer(p, "from", c.years.front(), 1900, 2100));
  POLES_ASSIGN_OR_RETURN(o.to, integer(p, "to", c.years.back(), 1900, 2100));
  POLES_ASSIGN_OR_RETURN(o.horizon, integer(p, "horizon", 5, 1, 20));
  POLES_ASSIGN_OR_RETURN(o.level, number(p, "level", 0.95, 0.5, 0.999));
  return o;
}

Json shift_json(const foresight::ShiftShare& x) {
  return Json{{"region", x.region},
              {"region_name", region_name(x.region)},
              {"sector", x.sector},
              {"start", x.start},
              {"end", x.end},
              {"change", x.change},
              {"national", x.national},
              {"industry_mix", x.industry_mix},
              {"competitive", x.competitive}};
}

Json projection_json(const foresight::Projection& pr) {
  Json pts = Json::array();
  for (const auto& q : pr.points)
    pts.push_back(Json{{"year", q.year},
                       {"value", q.value},
                       {"low", q.low},
                       {"high", q.high},
                       {"observed", q.observed}});
  return Json{{"annual_growth", pr.annual_growth},
              {"level", pr.level},
              {"fitted_years", pr.n},
              {"points", pts}};
}

std::vector<double> series_of(const foresight::Cube& c, int region, int sector) {
  std::vector<double> v(c.years.size());
  for (size_t y = 0; y < c.years.size(); ++y) {
    v[y] = region < 0 ? c.sector_total[static_cast<size_t>(sector)][y]
                      : c.jobs[static_cast<size_t>(region)][static_cast<size_t>(sector)][y];
  }
  return v;
}

// Projected series over the years [from, to] of the cube.
Result<Json> projected(const foresight::Cube& c, const EmploymentOptions& o, int region,
                       int sector) {
  std::vector<int> ys;
  std::vector<double> vs;
  const auto all = series_of(c, region, sector);
  for (size_t y = 0; y < c.years.size(); ++y) {
    if (c.years[y] < o.from || c.years[y] > o.to) continue;
    ys.push_back(c.years[y]);
    vs.push_back(all[y]);
  }
  POLES_ASSIGN_OR_RETURN(auto pr, foresight::project(ys, vs, o.horizon, o.level));
  return projection_json(pr);
}

}  // namespace

Result<Json> employment_sectors(const Snapshot& s) {
  POLES_ASSIGN_OR_RETURN(auto c, foresight::employment_cube(s));
  Json out = Json::array();
  for (size_t k = 0; k < c.sectors.size(); ++k) {
    out.push_back(Json{{"sector", c.sectors[k]},
                       {"name", sector_name(c.sectors[k])},
                       {"jobs", c.sector_total[k].back()},
                       {"year", c.years.back()}});
  }
  return Json{{"items", out}};
}

Result<Json> employment_overview(const Snapshot& s, const Params& p) {
  POLES_ASSIGN_OR_RETURN(auto c, foresight::employment_cube(s));
  POLES_ASSIGN_OR_RETURN(auto o, employment_options(c, p));
  const std::string region = text(p, "region"), sector = text(p, "sector");
  if (!region.empty() && c.region_index(region) < 0)
    return Status::not_found(
        fmt::format("parameter 'region': no employment for region '{}'", region));
  if (!sector.empty() && c.sector_index(sector) < 0)
    return Status::not_found(
        fmt::format("parameter 'sector': no employment for sector '{}'", sector));
  auto keep = [&](const std::string& r, const std::string& sct) {
    return (region.empty() || r == region) && (sector.empty() || sct == sector);
  };
  POLES_ASSIGN_OR_RETURN(auto spec, foresight::specialisation(c, o.year));
  POLES_ASSIGN_OR_RETURN(auto shifts, foresight::shift_share(c, o.from, o.to));
  Json specialisation = Json::array();
  for (const auto& x : spec) {
    if (!keep(x.region, x.sector)) continue;
    specialisation.push_back(Json{{"region", x.region},
                                  {"region_name", region_name(x.region)},
                                  {"sector", x.sector},
                                  {"jobs", x.jobs},
                                  {"share_of_region", x.share_of_region},
                                  {"lq", x.lq},
                                  {"stars", x.stars()},
                                  {"size_star", x.size_star},
                                  {"specialisation_star", x.specialisation_star},
                                  {"focus_star", x.focus_star}});
  }
  Json cells = Json::array();
  std::map<std::string, std::array<double, 5>>
      by_region;  // start, change, national, mix, competitive
  for (const auto& x : shifts) {
    if (!keep(x.region, x.sector)) continue;
    cells.push_back(shift_json(x));
    auto& t = by_region[x.region];
    t[0] += x.start;
    t[1] += x.change;
    t[2] += x.national;
    t[3] += x.industry_mix;
    t[4] += x.competitive;
  }
  Json regions = Json::array();
  for (const auto& [r, t] : by_region) {
    regions.push_back(Json{{"region", r},
                           {"region_name", region_name(r)},
                           {"start", t[0]},
                           {"change", t[1]},
                           {"national", t[2]},
                           {"industry_mix", t[3]},
                           {"competitive", t[4]},
                           {"growth", t[0] > 0 ? t[1] / t[0] : NAN}});
  }
  Json projections = Json::array();
  for (size_t k = 0; k < c.sectors.size(); ++k) {
    if (!sector.empty() && c.sectors[k] != sector) continue;
    // A sector with too few years for a trend gets no projection (the reason says why), not an
    // error.
    auto pr = projected(c, o, region.empty() ? -1 : c.region_index(region), static_cast<int>(k));
    Json j = pr ? *pr
                : Json{{"annual_growth", nullptr},
                       {"points", Json::array()},
                       {"error", pr.error().message()}};
    j["sector"] = c.sectors[k];
    j["name"] = sector_name(c.sectors[k]);
    projections.push_back(std::move(j));
  }
  return Json{{"years", c.years},
              {"year", o.year},
              {"from", o.from},
              {"to", o.to},
              {"region", region.empty() ? Json(nullptr) : Json(region)},
              {"sector", sector.empty() ? Json(nullptr) : Json(sector)},
              {"specialisation", specialisation},
              {"shift_share", {{"cells", cells}, {"regions", regions}}},
              {"projections", projections}};
}

Result<Json> sector_sheet(const Snapshot& s, const std::string& sector, const Params& p,
                          const SecrecyRule& rule) {
  POLES_ASSIGN_OR_RETURN(auto c, foresight::employment_cube(s));
  const int k = c.sector_index(sector);
  if (k < 0)
    return Status::not_found(
        fmt::format("no employment figures for sector '{}' (a NAF division, e.g. '30')", sector));
  POLES_ASSIGN_OR_RETURN(auto o, employment_options(c, p));
  const auto ks = static_cast<size_t>(k);
  Json out{{"sector", sector}, {"name", sector_name(sector)}};
  // Employment: national series and projection, regions with specialisation and shift-share.
  Json national = Json::array();
  for (size_t y = 0; y < c.years.size(); ++y)
    national.push_back(Json{{"year", c.years[y]}, {"jobs", c.sector_total[ks][y]}});
  POLES_ASSIGN_OR_RETURN(Json projection, projected(c, o, -1, k));
  POLES_ASSIGN_OR_RETURN(auto spec, foresight::specialisation(c, o.year));
  POLES_ASSIGN_OR_RETURN(auto shifts, foresight::shift_share(c, o.from, o.to));
  std::map<std::string, Json> regions;
  for (const auto& x : spec) {
    if (x.sector != sector) continue;
    regions[x.region] = Json{{"region", x.region}, {"name", region_name(x.region)},
                             {"jobs", x.jobs},     {"share_of_region", x.share_of_region},
                             {"lq", x.lq},         {"stars", x.stars()}};
  }
  for (const auto& x : shifts) {
    if (x.sector == sector && regions.contains(x.region)) {
      regions[x.region]["shift_share"] = Json{{"change", x.change},
                                              {"national", x.national},
                                              {"industry_mix", x.industry_mix},
                                              {"competitive", x.competitive}};
    }
  }
  Json region_rows = Json::array();
  for (auto& [r, j] : regions) region_rows.push_back(std::move(j));
  std::sort(region_rows.begin(), region_rows.end(), [](const Json& a, const Json& b) {
    return a["jobs"].get<double>() > b["jobs"].get<double>();
  });
  const int y0 = c.year_index(o.from), y1 = c.year_index(o.to);
  const double e0 = c.sector_total[ks][static_cast<size_t>(y0)],
               e1 = c.sector_total[ks][static_cast<size_t>(y1)];
  out["employment"] = Json{{"year", o.year},
                           {"from", o.from},
                           {"to", o.to},
                           {"national", national},
                           {"start", e0},
                           {"end", e1},
                           {"growth", e0 > 0 ? (e1 - e0) / e0 : NAN},
                           {"projection", projection},
                           {"regions", region_rows}};

  // Projects of the sector (project.sector's NAF division), the clusters that label them, their
  // results.
  POLES_ASSIGN_OR_RETURN(auto years, year_range(p, 1900, 2100));
  const auto& project = s.table("project");
  const auto& psector = project.column("sector");
  const auto& pstart = project.column("start_date");
  const auto paths = pipeline::project_paths(s);
  std::vector<uint8_t> in(project.rows, 0);
  size_t projects = 0;
  double aid = 0, cost = 0;
  std::array<size_t, pipeline::kStages> reached{};
  for (size_t i = 0; i < project.rows; ++i) {
    const auto sec = psector.text(i);
    if (sec.size() < 2 || sec.substr(0, 2) != sector) continue;
    if (pstart.present[i]) {
      const int y = Date::from_days(pstart.ints[i]).year;
      if (y < years.first || y > years.second) continue;
    }
    in[i] = 1;
    ++projects;
    if (!std::isnan(project.column("public_aid").reals[i]))
      aid += project.column("public_aid").reals[i];
    if (!std::isnan(project.column("total_cost").reals[i]))
      cost += project.column("total_cost").reals[i];
    for (int st = 0; st <= paths[i].furthest; ++st) ++reached[static_cast<size_t>(st)];
  }
  const auto& ct = s.table("cluster");
  std::map<int32_t, std::array<double, 3>> by_cluster;  // projects, aid, on market
  const auto& label = s.table("project_label");
  std::set<std::pair<int32_t, int32_t>> seen;
  for (size_t l = 0; l < label.rows; ++l) {
    const int32_t pr = label.column("project_id").codes[l],
                  cl = label.column("cluster_id").codes[l];
    if (!in[static_cast<size_t>(pr)] || !seen.insert({cl, pr}).second) continue;
    auto& t = by_cluster[cl];
    t[0] += 1;
    const double a = project.column("public_aid").reals[static_cast<size_t>(pr)];
    if (!std::isnan(a)) t[1] += a;
    t[2] += paths[static_cast<size_t>(pr)].furthest >= static_cast<int>(ProjectStatus::kOnMarket);
  }
  Json clusters = Json::array();
  for (const auto& [cl, t] : by_cluster) {
    const auto row = static_cast<size_t>(cl);
    clusters.push_back(Json{{"cluster", ct.key(row)},
                            {"name", ct.column("name").text(row)},
                            {"region", ct.column("region").text(row)},
                            {"projects", t[0]},
                            {"public_aid", t[1]},
                            {"on_market", t[2]}});
  }
  std::sort(clusters.begin(), clusters.end(), [](const Json& a, const Json& b) {
    return a["projects"].get<double>() > b["projects"].get<double>();
  });
  Json funnel = Json::array();
  for (size_t st = 0; st < pipeline::kStages; ++st)
    funnel.push_back(Json{{"stage", kProjectStatusCodes[st]}, {"reached", reached[st]}});
  out["projects"] = Json{{"from", years.first}, {"to", years.second},
                         {"count", projects},   {"total_cost", cost},
                         {"public_aid", aid},   {"leverage", aid > 0 ? (cost - aid) / aid : NAN},
                         {"funnel", funnel}};
  out["clusters"] = clusters;

  // Results of the sector's projects; jobs from results are a firm aggregate (by organisation).
  const auto& result = s.table("result");
  const auto& rkind = result.column("kind");
  std::array<size_t, 7> kinds{};
  std::vector<Contribution> result_jobs, result_revenue;
  for (size_t i = 0; i < result.rows; ++i) {
    const auto pr = static_cast<size_t>(result.column("project_id").codes[i]);
    if (!in[pr]) continue;
    if (rkind.codes[i] >= 0) ++kinds[static_cast<size_t>(rkind.codes[i])];
    const int32_t org = result.column("organisation_id").codes[i];
    const std::string firm =
        org >= 0 ? std::string(s.table("organisation").key(static_cast<size_t>(org)))
                 : "project:" + std::string(project.key(pr));
    const double jobs = result.column("jobs").reals[i], revenue = result.column("revenue").reals[i];
    if (!std::isnan(jobs)) result_jobs.push_back({0, 0, jobs, firm});
    if (!std::isnan(revenue)) result_revenue.push_back({0, 0, revenue, firm});
  }
  Json results = Json::object();
  for (size_t q = 0; q < kResultKindCodes.size(); ++q)
    results[std::string(kResultKindCodes[q])] = kinds[q];
  out["results"] = Json{{"by_kind", results},
                        {"jobs", cell_json(secret_column(1, result_jobs, rule)[0])},
                        {"revenue", cell_json(secret_column(1, result_revenue, rule)[0])}};

  // Jobs in member firms of the sector (headcount in the firm panel, last year with data), by
  // region.
  const auto& orgs = s.table("organisation");
  const auto& naf = orgs.column("naf");
  const auto& siren = orgs.column("siren");
  std::set<std::string> member_sirens;
  {
    const auto& ms = s.table("membership");
    std::vector<uint8_t> member(orgs.rows, 0);
    for (size_t m = 0; m < ms.rows; ++m)
      member[static_cast<size_t>(ms.column("organisation_id").codes[m])] = 1;
    for (size_t i = 0; i < orgs.rows; ++i) {
      const auto n = naf.text(i);
      if (member[i] && n.size() >= 2 && n.substr(0, 2) == sector && !siren.text(i).empty())
        member_sirens.insert(std::string(siren.text(i)));
    }
  }
  const auto& fy = s.table("firm_year");
  int last_year = 0;
  for (size_t i = 0; i < fy.rows; ++i)
    last_year = std::max(last_year, static_cast<int>(fy.column("year").ints[i]));
  std::vector<std::string> region_codes;
  for (const auto& r : codes::regions()) region_codes.emplace_back(r.code);
  std::vector<Contribution> headcount;
  for (size_t i = 0; i < fy.rows; ++i) {
    if (fy.column("year").ints[i] != last_year ||
        !member_sirens.contains(std::string(fy.column("siren").text(i))))
      continue;
    const double h = fy.column("headcount").reals[i];
    if (std::isnan(h)) continue;
    const auto r = std::find(region_codes.begin(), region_codes.end(), fy.column("region").text(i));
    if (r == region_codes.end()) continue;
    headcount.push_back({static_cast<int>(r - region_codes.begin()), 0, h,
                         std::string(fy.column("siren").text(i))});
  }
  const auto members = secret_column(region_codes.size(), headcount, rule);
  std::vector<uint8_t> has_firms(region_codes.size(), 0);
  for (const auto& h : headcount) has_firms[static_cast<size_t>(h.row)] = 1;
  Json member_rows = Json::array();  // regions with member firms of the sector, masked or not
  for (size_t r = 0; r < region_codes.size(); ++r) {
    if (!has_firms[r]) continue;
    Json cell = cell_json(members[r]);
    cell["region"] = region_codes[r];
    cell["name"] = region_name(region_codes[r]);
    member_rows.push_back(std::move(cell));
  }
  out["member_jobs"] =
      Json{{"year", last_year}, {"regions", member_rows}, {"total", cell_json(members.back())}};

  // Skills signals: training services of the clusters of the sector, and the skills dimension of
  // the digital diagnostics of member firms of the sector.
  size_t training = 0, trainees = 0;
  {
    std::set<int32_t> sector_clusters;
    for (const auto& [cl, t] : by_cluster) sector_clusters.insert(cl);
    const auto& svc = s.table("service");
    std::vector<uint8_t> is_training(svc.rows, 0);
    for (size_t i = 0; i < svc.rows; ++i) {
      if (svc.column("kind").codes[i] == static_cast<int>(ServiceKind::kTraining) &&
          sector_clusters.contains(svc.column("cluster_id").codes[i])) {
        is_training[i] = 1;
        ++training;
      }
    }
    const auto& sp = s.table("service_participant");
    for (size_t i = 0; i < sp.rows; ++i)
      trainees += is_training[static_cast<size_t>(sp.column("service_id").codes[i])];
  }
  double skills = 0;
  size_t skills_n = 0;
  {
    const auto& d = s.table("diagnostic");
    for (size_t i = 0; i < d.rows; ++i) {
      const auto org = static_cast<size_t>(d.column("organisation_id").codes[i]);
      const auto n = naf.text(org);
      const double v = d.column("skills").reals[i];
      if (n.size() >= 2 && n.substr(0, 2) == sector && !std::isnan(v)) {
        skills += v;
        ++skills_n;
      }
    }
  }
  out["skills"] =
      Json{{"training_services", training},
           {"training_participations", trainees},
           {"diagnostic_skills",
            over_firms(skills_n ? skills / static_cast<double>(skills_n) : NAN, skills_n, rule)}};
  out["secrecy"] = rule_json(rule);
  out["sources"] =
      Json::array({"employment: the store's employment table (region x NAF division x year)",
                   "projects, labels, results, services, diagnostics: the registry",
                   "member jobs: headcount of member firms in the firm panel"});
  return out;
}

const ParamSpecs& funnel_params() {
  static const ParamSpecs k = {
      year_param("from", "First cohort year (year of a project's first event)", "1900"),
      year_param("to", "Last cohort year", "2100"),
      text_param("cluster", "Only projects labelled by this cluster (id)"),
      text_param("programme", "Only projects of this programme (code)"),
      choice_param("by", "Groups of the funnel", {"none", "cluster", "programme", "year"}, "none")};
  return k;
}

const ParamSpecs& leverage_params() {
  static const ParamSpecs k = {
      year_param("from", "First year of the projects", "1900"),
      year_param("to", "Last year of the projects", "2100"),
      choice_param("by", "Groups", {"none", "cluster", "programme"}, "cluster")};
  return k;
}

const ParamSpecs& services_params() {
  static const ParamSpecs k = {
      year_param("from", "First year of the services", "2016"),
      year_param("to", "Last year of the services", "2020"),
      integer_param("horizon", "Years of outcomes observed after the period", 1, 10, "3")};
  return k;
}

const ParamSpecs& diagnostics_params() {
  static const ParamSpecs k = {year_param("from", "First year of the diagnostics", "2015"),
                               year_param("to", "Last year of the diagnostics", "2030")};
  return k;
}

const ParamSpecs& employment_params() {
  static const ParamSpecs k = {
      year_param("year",
                 "Year of the location quotients and stars (default: the latest of the data)"),
      year_param("from",
                 "Start of the shift-share and of the trend (default: the first year of the data)"),
      year_param("to",
                 "End of the shift-share and of the trend (default: the latest year of the data)"),
      integer_param("horizon", "Years projected", 1, 20, "5"),
      number_param("level", "Level of the prediction intervals", 0.5, 0.999, "0.95"),
      text_param("region", "Only this region (INSEE code)"),
      text_param("sector", "Only this sector (NAF division)")};
  return k;
}

}  // namespace poles::app
