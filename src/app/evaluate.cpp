#include "app/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

#include "core/codes.h"
#include "core/date.h"
#include "core/model.h"
#include "evaluate/indicators.h"
#include "evaluate/run.h"
#include "foresight/employment.h"
#include "pipeline/projects.h"

#ifndef POLES_METHODS_DIR
#define POLES_METHODS_DIR "methods"
#endif

namespace poles::app {

using snapshot::Snapshot;

std::string methods_dir() {
  const char* env = std::getenv("POLES_METHODS_DIR");
  return env && *env ? env : POLES_METHODS_DIR;
}

Result<evaluate::MethodFile> find_method(const std::string& name, bool allow_path) {
  const bool slug = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (slug) {
    const auto path = std::filesystem::path(methods_dir()) / (name + ".toml");
    if (std::filesystem::exists(path)) return evaluate::load_method(path.string());
    if (!allow_path)
      return Status::not_found(
          fmt::format("parameter 'method': no method '{}' in {}", name, methods_dir()));
  }
  if (!allow_path)
    return Status::invalid_argument(fmt::format(
        "parameter 'method' value '{}': a method name (letters, digits, - and _)", name));
  return evaluate::load_method(name);
}

namespace {

Json nan_null(double v) { return std::isnan(v) ? Json(nullptr) : Json(v); }

}  // namespace

Json indicator_catalogue() {
  Json out = Json::array();
  for (const auto& d : evaluate::indicator_defs()) {
    out.push_back(Json{{"id", d.id},
                       {"pillar", evaluate::kPillarCodes[static_cast<size_t>(d.pillar)]},
                       {"unit", d.unit},
                       {"direction", kDirectionCodes[static_cast<size_t>(d.direction)]},
                       {"formula", d.formula},
                       {"firm_aggregate", d.firm_aggregate}});
  }
  return out;
}

Result<Json> evaluation(const Snapshot& s, const Params& p, bool allow_path) {
  POLES_ASSIGN_OR_RETURN(int year, integer(p, "year", 2022, 2005, 2100));
  POLES_ASSIGN_OR_RETURN(auto m, find_method(text(p, "method", "default"), allow_path));
  POLES_ASSIGN_OR_RETURN(int draws, integer(p, "draws", static_cast<int>(m.draws), 0, 1000000));
  POLES_ASSIGN_OR_RETURN(int seed, integer(p, "seed", static_cast<int>(m.seed), 0, 2147483647));
  POLES_ASSIGN_OR_RETURN(int sobol_n,
                         integer(p, "sobol_n", static_cast<int>(m.sobol_n), 0, 100000));
  m.draws = static_cast<size_t>(draws);
  m.seed = static_cast<uint64_t>(seed);
  m.sobol_n = static_cast<size_t>(sobol_n);
  POLES_ASSIGN_OR_RETURN(auto ev, evaluate::evaluate_year(s, m, year));
  const auto& ct = s.table("cluster");
  // Peer means of each pillar.
  std::map<std::string, std::vector<double>> peer_sum;
  std::map<std::string, int> peer_n;
  for (const auto& c : ev.clusters) {
    auto& v = peer_sum[c.peer_group];
    v.resize(c.pillars.size(), 0);
    for (size_t i = 0; i < c.pillars.size(); ++i) v[i] += c.pillars[i];
    ++peer_n[c.peer_group];
  }
  Json peers = Json::object();
  for (auto& [g, v] : peer_sum) {
    Json pm = Json::object();
    for (size_t i = 0; i < v.size(); ++i) pm[m.pillars[i]] = v[i] / peer_n[g];
    peers[g] = Json{{"clusters", peer_n[g]}, {"pillars", pm}};
  }
  Json clusters = Json::array();
  for (const auto& c : ev.clusters) {
    const auto row = static_cast<size_t>(c.cluster);
    Json pillars = Json::object(), raw = Json::object(), targets = Json::array();
    for (size_t i = 0; i < c.pillars.size(); ++i) pillars[m.pillars[i]] = nan_null(c.pillars[i]);
    for (size_t i = 0; i < c.raw.size(); ++i) raw[m.indicators[i]] = nan_null(c.raw[i]);
    for (const auto& t : c.targets) {
      targets.push_back(Json{{"indicator", t.indicator},
                             {"target", t.target},
                             {"value", nan_null(t.value)},
                             {"direction", t.higher ? "higher" : "lower"},
                             {"met", t.met < 0 ? Json(nullptr) : Json(t.met == 1)}});
    }
    clusters.push_back(Json{
        {"cluster", ct.key(row)},
        {"name", ct.column("name").text(row)},
        {"region", ct.column("region").text(row)},
        {"scale", ct.column("scale").text(row)},
        {"peer_group", c.peer_group},
        {"index", nan_null(c.index)},
        {"rank", c.rank},
        {"peer_rank", c.peer_rank},
        {"rank_interval",
         {{"p05", c.interval.p05}, {"median", c.interval.median}, {"p95", c.interval.p95}}},
        {"rating", c.rating},
        {"previous_rank", c.previous_rank ? Json(c.previous_rank) : Json(nullptr)},
        {"trend", c.trend},
        {"pillars", pillars},
        {"indicators", raw},
        {"targets", targets},
        {"consecutive_misses", c.consecutive_misses},
        {"improvement_plan", c.improvement_plan},
        {"action",
         {{"level", c.action.level}, {"action", c.action.action}, {"reasons", c.action.reasons}}}});
  }
  Json sens = Json::array();
  for (size_t i = 0; i < ev.sensitivity.first.size(); ++i) {
    sens.push_back(Json{{"input", evaluate::kUncertainInputs[i]},
                        {"first_order", ev.sensitivity.first[i]},
                        {"total", ev.sensitivity.total[i]}});
  }
  return Json{{"year", year},
              {"method",
               {{"name", m.name},
                {"description", m.description},
                {"indicators", m.indicators},
                {"pillars", m.pillars},
                {"peer_groups", m.peer_groups}}},
              {"uncertainty", {{"draws", ev.draws}, {"seed", ev.seed}}},
              {"sensitivity",
               {{"output", "mean absolute rank shift from the nominal ranking"},
                {"runs", ev.sensitivity.runs},
                {"indices", sens}}},
              {"peers", peers},
              {"clusters", clusters}};
}

Result<Json> indicator_trends(const Snapshot& s, const std::string& cluster, const Params& p) {
  const int32_t row = s.table("cluster").find(cluster);
  if (row < 0) return Status::not_found(fmt::format("no cluster '{}'", cluster));
  POLES_ASSIGN_OR_RETURN(int from, integer(p, "from", 2009, 2005, 2100));
  POLES_ASSIGN_OR_RETURN(int to, integer(p, "to", 2024, 2005, 2100));
  if (from > to)
    return Status::invalid_argument(
        fmt::format("parameter 'from' ({}) is after 'to' ({})", from, to));
  const auto cat = evaluate::catalogue(s, from, to);
  const auto scale = s.table("cluster").column("scale").codes[static_cast<size_t>(row)];
  Json series = Json::array();
  const auto defs = evaluate::indicator_defs();
  for (size_t i = 0; i < defs.size(); ++i) {
    Json values = Json::array(), peers = Json::array();
    for (int y = from; y <= to; ++y) {
      values.push_back(nan_null(cat.at(y, row, static_cast<int>(i))));
      std::vector<double> v;
      for (size_t c = 0; c < s.table("cluster").rows; ++c) {
        if (!cat.active[static_cast<size_t>(y - from)][c] ||
            s.table("cluster").column("scale").codes[c] != scale)
          continue;
        const double x = cat.at(y, static_cast<int32_t>(c), static_cast<int>(i));
        if (!std::isnan(x)) v.push_back(x);
      }
      std::sort(v.begin(), v.end());
      peers.push_back(v.empty() ? Json(nullptr)
                                : Json(v.size() % 2 ? v[v.size() / 2]
                                                    : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2));
    }
    series.push_back(Json{{"id", defs[i].id},
                          {"pillar", evaluate::kPillarCodes[static_cast<size_t>(defs[i].pillar)]},
                          {"unit", defs[i].unit},
                          {"values", values},
                          {"peer_median", peers}});
  }
  Json years = Json::array();
  for (int y = from; y <= to; ++y) years.push_back(y);
  return Json{{"cluster", cluster},
              {"years", years},
              {"peer_group", s.table("cluster").column("scale").text(static_cast<size_t>(row))},
              {"indicators", series}};
}

Result<Json> assessments_view(const Snapshot& s, const Params& p) {
  POLES_ASSIGN_OR_RETURN(int year, integer(p, "year", 2022, 2005, 2100));
  const auto& a = s.table("assessment");
  const auto& ct = s.table("cluster");
  // (cluster, area) -> scores by evaluator, with justifications.
  std::map<std::pair<int32_t, int>,
           std::vector<std::pair<std::string, std::pair<double, std::string>>>>
      cells;
  for (size_t i = 0; i < a.rows; ++i) {
    if (a.column("year").ints[i] != year) continue;
    cells[{a.column("cluster_id").codes[i], a.column("criterion").codes[i]}].push_back(
        {std::string(a.column("evaluator").text(i)),
         {static_cast<double>(a.column("score").ints[i]),
          std::string(a.column("justification").text(i))}});
  }
  // Agreement: one-way intraclass correlation ICC(1) over the (cluster, area) targets per area and
  // overall, exact agreement and mean absolute difference between pairs of evaluators.
  struct Agg {
    std::vector<std::vector<double>> groups;
    double pairs = 0, exact = 0, abs_diff = 0;
  };
  std::map<int, Agg> by_area;
  Agg all;
  std::map<int32_t, Json> per_cluster;
  for (const auto& [key, scores] : cells) {
    std::vector<double> v;
    Json evaluators = Json::array();
    for (const auto& [ev, sj] : scores) {
      v.push_back(sj.first);
      evaluators.push_back(
          Json{{"evaluator", ev}, {"score", sj.first}, {"justification", sj.second}});
    }
    double mean = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    auto& cj = per_cluster[key.first];
    if (cj.is_null())
      cj = Json{{"cluster", ct.key(static_cast<size_t>(key.first))},
                {"name", ct.column("name").text(static_cast<size_t>(key.first))},
                {"areas", Json::object()}};
    cj["areas"][std::string(kEscaAreaCodes[static_cast<size_t>(key.second)])] =
        Json{{"mean", mean}, {"scores", evaluators}};
    for (Agg* g : {&by_area[key.second], &all}) {
      if (v.size() >= 2) g->groups.push_back(v);
      for (size_t i = 0; i < v.size(); ++i) {
        for (size_t j = i + 1; j < v.size(); ++j) {
          g->pairs += 1;
          g->exact += v[i] == v[j];
          g->abs_diff += std::fabs(v[i] - v[j]);
        }
      }
    }
  }
  auto icc = [](const std::vector<std::vector<double>>& groups) -> double {
    if (groups.size() < 2) return std::numeric_limits<double>::quiet_NaN();
    double grand = 0, n = 0, k = 0;
    for (const auto& g : groups) {
      for (double x : g) grand += x, n += 1;
      k += static_cast<double>(g.size());
    }
    grand /= n;
    k /= static_cast<double>(groups.size());
    double ssb = 0, ssw = 0;
    for (const auto& g : groups) {
      double m = 0;
      for (double x : g) m += x;
      m /= static_cast<double>(g.size());
      ssb += static_cast<double>(g.size()) * (m - grand) * (m - grand);
      for (double x : g) ssw += (x - m) * (x - m);
    }
    const double msb = ssb / static_cast<double>(groups.size() - 1),
                 msw = ssw / (n - static_cast<double>(groups.size()));
    return (msb - msw) / (msb + (k - 1) * msw);
  };
  auto agreement = [&](const Agg& g) {
    return Json{{"targets", g.groups.size()},
                {"icc1", nan_null(icc(g.groups))},
                {"exact_agreement", g.pairs > 0 ? Json(g.exact / g.pairs) : Json(nullptr)},
                {"mean_abs_difference", g.pairs > 0 ? Json(g.abs_diff / g.pairs) : Json(nullptr)}};
  };
  Json areas = Json::object();
  for (const auto& [area, g] : by_area)
    areas[std::string(kEscaAreaCodes[static_cast<size_t>(area)])] = agreement(g);
  Json clusters = Json::array();
  for (auto& [c, j] : per_cluster) clusters.push_back(std::move(j));
  return Json{{"year", year},
              {"scale", "0 (absent) to 4 (excellent)"},
              {"agreement", {{"overall", agreement(all)}, {"areas", areas}}},
              {"clusters", clusters}};
}

Result<Json> characterisation(const Snapshot& s, const Params& p) {
  POLES_ASSIGN_OR_RETURN(int year, integer(p, "year", 2022, 2005, 2100));
  POLES_ASSIGN_OR_RETURN(double t_members, number(p, "members_outside", 0.25, 0, 1));
  POLES_ASSIGN_OR_RETURN(double t_partners, number(p, "partners_outside", 0.4, 0, 1));
  POLES_ASSIGN_OR_RETURN(double t_funding, number(p, "national_funding", 0.5, 0, 1));
  const auto cat = evaluate::catalogue(s, year, year);
  const auto& ct = s.table("cluster");
  const auto& project = s.table("project");
  const auto& orgs = s.table("organisation");
  // Partners outside the home region and national/European funding, over the cluster's projects of
  // the last 5 years.
  std::vector<double> parts(ct.rows, 0), outside(ct.rows, 0), aid(ct.rows, 0), national(ct.rows, 0);
  std::vector<std::map<std::string, int>> sectors(ct.rows);
  const auto partners = pipeline::project_partners(s);
  const auto& pl = s.table("project_label");
  for (size_t l = 0; l < pl.rows; ++l) {
    const auto pr = static_cast<size_t>(pl.column("project_id").codes[l]);
    const auto c = static_cast<size_t>(pl.column("cluster_id").codes[l]);
    const auto sec = project.column("sector").text(pr);
    if (sec.size() >= 2) ++sectors[c][std::string(sec.substr(0, 2))];
    if (!project.column("start_date").present[pr]) continue;
    const int y = Date::from_days(project.column("start_date").ints[pr]).year;
    if (y > year || y <= year - 5) continue;
    for (int32_t o : partners[pr]) {
      const auto r = orgs.column("region").text(static_cast<size_t>(o));
      if (r.empty()) continue;
      parts[c] += 1;
      outside[c] += r != ct.column("region").text(c);
    }
    const double a = project.column("public_aid").reals[pr];
    if (!std::isnan(a)) {
      aid[c] += a;
      if (project.column("programme").text(pr) != "REGION") national[c] += a;
    }
  }
  auto cube = foresight::employment_cube(s);
  std::map<std::pair<std::string, std::string>, foresight::Specialisation> spec;
  if (cube) {
    const int y = std::min(year, cube->years.back());
    if (auto sp = foresight::specialisation(*cube, y)) {
      for (auto& x : *sp) spec[{x.region, x.sector}] = x;
    }
  }
  Json clusters = Json::array();
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> by_filiere_region;
  std::set<std::pair<std::string, std::string>> cluster_sector_regions;
  const int members_i = evaluate::indicator_index("members_outside_region");
  for (size_t c = 0; c < ct.rows; ++c) {
    if (!cat.active[0][c]) continue;
    const std::string region(ct.column("region").text(c));
    const double m_out = cat.at(year, static_cast<int32_t>(c), members_i);
    const double p_out = parts[c] > 0 ? outside[c] / parts[c] : NAN;
    const double nat = aid[c] > 0 ? national[c] / aid[c] : NAN;
    const bool reach =
        (!std::isnan(m_out) && m_out >= t_members) || (!std::isnan(p_out) && p_out >= t_partners);
    const std::string measured =
        reach && !std::isnan(nat) && nat >= t_funding ? "national" : "regional";
    std::string sector;
    int best = 0;
    for (const auto& [sec, n] : sectors[c]) {
      if (n > best) best = n, sector = sec;
    }
    Json specj = nullptr;
    if (const auto it = spec.find({region, sector}); it != spec.end()) {
      specj = Json{{"jobs", it->second.jobs},
                   {"lq", it->second.lq},
                   {"stars", it->second.stars()},
                   {"size_star", it->second.size_star},
                   {"specialisation_star", it->second.specialisation_star},
                   {"focus_star", it->second.focus_star}};
    }
    const std::string filiere(ct.column("filiere").text(c));
    by_filiere_region[{filiere, region}].push_back(std::string(ct.key(c)));
    cluster_sector_regions.insert({sector, region});
    const std::string declared(ct.column("scale").text(c));
    clusters.push_back(Json{{"cluster", ct.key(c)},
                            {"name", ct.column("name").text(c)},
                            {"region", region},
                            {"filiere", filiere},
                            {"declared_scale", declared},
                            {"measured_scale", measured},
                            {"scale_mismatch", declared != measured},
                            {"members_outside_region", nan_null(m_out)},
                            {"partners_outside_region", nan_null(p_out)},
                            {"national_funding_share", nan_null(nat)},
                            {"sector", sector},
                            {"specialisation", specj}});
  }
  Json overlaps = Json::array();
  for (const auto& [key, ids] : by_filiere_region) {
    if (ids.size() >= 2 && !key.first.empty())
      overlaps.push_back(Json{{"filiere", key.first}, {"region", key.second}, {"clusters", ids}});
  }
  // Gaps: a region specialised in a sector (LQ >= 2, or a size star) with no cluster of that
  // sector.
  Json gaps = Json::array();
  for (const auto& [key, x] : spec) {
    if ((x.specialisation_star || x.size_star) &&
        !cluster_sector_regions.contains({key.second, key.first})) {
      gaps.push_back(Json{{"region", key.first},
                          {"sector", key.second},
                          {"lq", x.lq},
                          {"jobs", x.jobs},
                          {"stars", x.stars()}});
    }
  }
  return Json{{"year", year},
              {"thresholds",
               {{"members_outside", t_members},
                {"partners_outside", t_partners},
                {"national_funding", t_funding}}},
              {"clusters", clusters},
              {"overlaps", overlaps},
              {"gaps", gaps}};
}

std::vector<std::pair<std::string, formats::Table>> evaluation_sheets(const Json& ev) {
  formats::Table ranking{{"rank", "cluster", "name", "index", "rank_p05", "rank_median", "rank_p95",
                          "rating", "peer_group", "peer_rank", "trend", "action_level", "action"},
                         {}};
  formats::Table pillars{{"cluster"}, {}}, indicators{{"cluster"}, {}},
      compliance{{"cluster", "indicator", "target", "value", "direction", "met"}, {}};
  for (const auto& p : ev["method"]["pillars"]) pillars.columns.push_back(p.get<std::string>());
  for (const auto& i : ev["method"]["indicators"])
    indicators.columns.push_back(i.get<std::string>());
  auto num = [](const Json& j) { return j.is_number() ? Value{j.get<double>()} : Value{}; };
  for (const auto& c : ev["clusters"]) {
    const std::string id = c["cluster"].get<std::string>();
    ranking.rows.push_back(
        {Value{int64_t{c["rank"].get<int>()}}, Value{id}, Value{c["name"].get<std::string>()},
         num(c["index"]), num(c["rank_interval"]["p05"]), num(c["rank_interval"]["median"]),
         num(c["rank_interval"]["p95"]), Value{c["rating"].get<std::string>()},
         Value{c["peer_group"].get<std::string>()}, Value{int64_t{c["peer_rank"].get<int>()}},
         Value{c["trend"].get<std::string>()}, Value{int64_t{c["action"]["level"].get<int>()}},
         Value{c["action"]["action"].get<std::string>()}});
    Row pr{Value{id}}, ir{Value{id}};
    for (const auto& [k, v] : c["pillars"].items()) pr.push_back(num(v));
    for (const auto& [k, v] : c["indicators"].items()) ir.push_back(num(v));
    pillars.rows.push_back(std::move(pr));
    indicators.rows.push_back(std::move(ir));
    for (const auto& t : c["targets"]) {
      compliance.rows.push_back(
          {Value{id}, Value{t["indicator"].get<std::string>()}, num(t["target"]), num(t["value"]),
           Value{t["direction"].get<std::string>()},
           t["met"].is_null() ? Value{}
                              : Value{std::string(t["met"].get<bool>() ? "met" : "missed")}});
    }
  }
  return {{"ranking", ranking},
          {"pillars", pillars},
          {"indicators", indicators},
          {"compliance", compliance}};
}

const ParamSpecs& evaluation_params() {
  static const ParamSpecs k = {
      integer_param("year", "Year evaluated", 2005, 2100, "2022"),
      text_param("method", "Method file: the name of one shipped in methods/", "default"),
      integer_param("draws", "Monte Carlo draws of the rank intervals (default: the method's)", 0,
                    1000000),
      integer_param("seed", "Seed of the Monte Carlo (default: the method's)", 0, 2147483647),
      integer_param("sobol_n", "Base sample of the Sobol indices, 0: none (default: the method's)",
                    0, 100000)};
  return k;
}

const ParamSpecs& trends_params() {
  static const ParamSpecs k = {integer_param("from", "First year", 2005, 2100, "2009"),
                               integer_param("to", "Last year", 2005, 2100, "2024")};
  return k;
}

const ParamSpecs& assessments_params() {
  static const ParamSpecs k = {
      integer_param("year", "Year of the assessments", 2005, 2100, "2022")};
  return k;
}

const ParamSpecs& characterisation_params() {
  static const ParamSpecs k = {
      integer_param("year", "Year characterised", 2005, 2100, "2022"),
      number_param("members_outside",
                   "Share of members outside the home region above which a cluster acts nationally",
                   0, 1, "0.25"),
      number_param(
          "partners_outside",
          "Share of project partners outside the home region above which a cluster acts nationally",
          0, 1, "0.4"),
      number_param("national_funding",
                   "Share of national or European funding above which a cluster acts nationally", 0,
                   1, "0.5")};
  return k;
}

}  // namespace poles::app
