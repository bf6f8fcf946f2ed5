#include "app/stats.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/codes.h"
#include "core/date.h"

namespace poles::app {
namespace {

using snapshot::Column;
using snapshot::Table;

int year_of_day(int64_t days) { return Date::from_days(days).year; }

// Is membership row r active in `year`?
bool active(const Table& m, size_t r, int year) {
  const auto& start = m.column("start_date");
  const auto& end = m.column("end_date");
  if (year_of_day(start.ints[r]) > year) return false;
  return end.is_null(r) || year_of_day(end.ints[r]) >= year;
}

Json row_json(const Table& t, size_t r) {
  Json obj = Json::object();
  for (const auto& c : t.columns) {
    const std::string name(c.field->name);
    if (c.is_null(r)) {
      obj[name] = nullptr;
      continue;
    }
    switch (c.storage) {
      case snapshot::Storage::kReal:
        obj[name] = c.reals[r];
        break;
      case snapshot::Storage::kCode:
        obj[name] = std::string(c.text(r));
        break;
      case snapshot::Storage::kRef: {
        obj[name] = nullptr;
        break;
      }
      case snapshot::Storage::kInt:
        if (c.field->type == schema::Type::kDate) {
          obj[name] = Date::from_days(c.ints[r]).to_string();
        } else {
          obj[name] = c.ints[r];
        }
        break;
    }
  }
  return obj;
}

// Row JSON with references as the referenced keys.
Json full_row_json(const snapshot::Snapshot& s, const Table& t, size_t r) {
  Json obj = row_json(t, r);
  for (const auto& c : t.columns) {
    if (c.storage != snapshot::Storage::kRef || c.is_null(r)) continue;
    obj[std::string(c.field->name)] = std::string(
        s.tables[static_cast<size_t>(c.ref_table)].key(static_cast<size_t>(c.codes[r])));
  }
  return obj;
}

}  // namespace

RegionsOverview regions_overview(const snapshot::Snapshot& s, int year) {
  const Table& clusters = s.table("cluster");
  const Table& m = s.table("membership");
  const Table& labels = s.table("project_label");
  const Table& projects = s.table("project");
  // Columns resolved once, outside the loops.
  const auto& region = clusters.column("region");
  const auto& m_cluster = m.column("cluster_id");
  const auto& m_org = m.column("organisation_id");
  const auto& l_project = labels.column("project_id");
  const auto& l_cluster = labels.column("cluster_id");
  const auto& start = projects.column("start_date");
  const auto& aid = projects.column("public_aid");
  std::map<std::string, RegionFigures> out;
  for (const auto& r : codes::regions()) {
    out[std::string(r.code)] =
        RegionFigures{std::string(r.code), std::string(r.name), r.overseas, 0, 0, 0, 0.0};
  }
  for (size_t c = 0; c < clusters.rows; ++c) ++out[std::string(region.text(c))].clusters;
  std::map<std::string, std::set<int32_t>> members;
  for (size_t r = 0; r < m.rows; ++r) {
    if (!active(m, r, year)) continue;
    members[std::string(region.text(static_cast<size_t>(m_cluster.codes[r])))].insert(
        m_org.codes[r]);
  }
  for (auto& [code, set] : members) out[code].members = static_cast<int64_t>(set.size());
  std::map<std::string, std::set<int32_t>> projs;
  for (size_t r = 0; r < labels.rows; ++r) {
    const auto p = static_cast<size_t>(l_project.codes[r]);
    if (!start.is_null(p) && year_of_day(start.ints[p]) > year) continue;
    projs[std::string(region.text(static_cast<size_t>(l_cluster.codes[r])))].insert(
        static_cast<int32_t>(p));
  }
  for (auto& [code, set] : projs) {
    double total = 0;
    for (int32_t p : set) {
      if (!aid.is_null(static_cast<size_t>(p))) total += aid.reals[static_cast<size_t>(p)];
    }
    out[code].projects = static_cast<int64_t>(set.size());
    out[code].public_aid = total;
  }
  RegionsOverview result{year, {}};
  for (auto& [code, figures] : out) result.regions.push_back(std::move(figures));
  return result;
}

Json cluster_summaries(const snapshot::Snapshot& s, int year) {
  const Table& clusters = s.table("cluster");
  const Table& m = s.table("membership");
  const Table& org = s.table("organisation");
  const Table& labels = s.table("project_label");
  const Table& cl_labels = s.table("cluster_label");
  std::vector<std::set<int32_t>> members(clusters.rows), projects(clusters.rows);
  for (size_t r = 0; r < m.rows; ++r) {
    if (active(m, r, year))
      members[static_cast<size_t>(m.column("cluster_id").codes[r])].insert(
          m.column("organisation_id").codes[r]);
  }
  for (size_t r = 0; r < labels.rows; ++r)
    projects[static_cast<size_t>(labels.column("cluster_id").codes[r])].insert(
        labels.column("project_id").codes[r]);
  std::vector<int64_t> last_phase(clusters.rows, 0);
  for (size_t r = 0; r < cl_labels.rows; ++r) {
    auto& p = last_phase[static_cast<size_t>(cl_labels.column("cluster_id").codes[r])];
    p = std::max(p, cl_labels.column("phase").ints[r]);
  }
  const auto& kind = org.column("kind");
  const auto& size = org.column("size_class");
  Json arr = Json::array();
  for (size_t c = 0; c < clusters.rows; ++c) {
    int companies = 0, smes = 0;
    for (int32_t o : members[c]) {
      if (kind.text(static_cast<size_t>(o)) != "company") continue;
      ++companies;
      smes +=
          size.text(static_cast<size_t>(o)) == "tpe" || size.text(static_cast<size_t>(o)) == "pme";
    }
    Json j = row_json(clusters, c);
    j["members"] = members[c].size();
    j["companies"] = companies;
    j["sme_share"] = companies ? static_cast<double>(smes) / companies : 0.0;
    j["projects"] = projects[c].size();
    j["last_phase"] = last_phase[c];
    arr.push_back(std::move(j));
  }
  return Json{{"year", year}, {"clusters", std::move(arr)}};
}

Result<Json> cluster_profile(const snapshot::Snapshot& s, const std::string& id) {
  const Table& clusters = s.table("cluster");
  const int32_t c = clusters.find(id);
  if (c < 0) return Status::not_found(fmt::format("no cluster '{}'", id));
  Json out = Json::object();
  out["cluster"] = row_json(clusters, static_cast<size_t>(c));
  const auto* region = codes::find_region(clusters.column("region").text(static_cast<size_t>(c)));
  out["region_name"] = region ? std::string(region->name) : std::string();
  // Label history.
  const Table& cl = s.table("cluster_label");
  Json labels = Json::array();
  for (size_t r = 0; r < cl.rows; ++r) {
    if (cl.column("cluster_id").codes[r] == c) {
      Json j = row_json(cl, r);
      j.erase("cluster_id");
      labels.push_back(std::move(j));
    }
  }
  out["labels"] = std::move(labels);
  // Members by kind and by size class, per year.
  const Table& m = s.table("membership");
  const Table& org = s.table("organisation");
  std::vector<int> years;
  for (int y = 2005; y <= 2024; ++y) years.push_back(y);
  std::map<std::string, std::vector<int>> by_kind, by_size;
  for (const auto k : org.column("kind").dict) by_kind[std::string(k)].assign(years.size(), 0);
  for (const auto k : org.column("size_class").dict)
    by_size[std::string(k)].assign(years.size(), 0);
  for (size_t r = 0; r < m.rows; ++r) {
    if (m.column("cluster_id").codes[r] != c) continue;
    const auto o = static_cast<size_t>(m.column("organisation_id").codes[r]);
    for (size_t yi = 0; yi < years.size(); ++yi) {
      if (!active(m, r, years[yi])) continue;
      ++by_kind[std::string(org.column("kind").text(o))][yi];
      if (!org.column("size_class").is_null(o))
        ++by_size[std::string(org.column("size_class").text(o))][yi];
    }
  }
  out["members"] = Json{{"years", years}, {"by_kind", by_kind}, {"by_size_class", by_size}};
  // Projects labelled by the cluster, by status and programme.
  const Table& pl = s.table("project_label");
  const Table& p = s.table("project");
  std::map<std::string, int> by_status, by_programme;
  Json recent = Json::array();
  for (size_t r = 0; r < pl.rows; ++r) {
    if (pl.column("cluster_id").codes[r] != c) continue;
    const auto pr = static_cast<size_t>(pl.column("project_id").codes[r]);
    ++by_status[std::string(p.column("status").text(pr))];
    ++by_programme[std::string(p.column("programme").text(pr))];
    recent.push_back(Json{
        {"id", std::string(p.key(pr))},
        {"acronym", std::string(p.column("acronym").text(pr))},
        {"status", std::string(p.column("status").text(pr))},
        {"programme", std::string(p.column("programme").text(pr))},
        {"start_date", p.column("start_date").is_null(pr)
                           ? Json(nullptr)
                           : Json(Date::from_days(p.column("start_date").ints[pr]).to_string())}});
  }
  out["projects"] =
      Json{{"by_status", by_status}, {"by_programme", by_programme}, {"list", std::move(recent)}};
  // Services per year and kind.
  const Table& sv = s.table("service");
  std::map<std::string, std::map<int, int>> services;
  for (size_t r = 0; r < sv.rows; ++r) {
    if (sv.column("cluster_id").codes[r] != c) continue;
    ++services[std::string(sv.column("kind").text(r))][year_of_day(sv.column("date").ints[r])];
  }
  Json sj = Json::object();
  for (const auto& [kind, per_year] : services) {
    Json py = Json::object();
    for (const auto& [y, n] : per_year) py[std::to_string(y)] = n;
    sj[kind] = std::move(py);
  }
  out["services"] = std::move(sj);
  // Contract targets.
  const Table& ct = s.table("contract");
  const Table& tg = s.table("contract_target");
  Json targets = Json::array();
  for (size_t r = 0; r < tg.rows; ++r) {
    const auto k = static_cast<size_t>(tg.column("contract_id").codes[r]);
    if (ct.column("cluster_id").codes[k] != c) continue;
    targets.push_back(Json{{"contract", std::string(ct.key(k))},
                           {"indicator", std::string(tg.column("indicator").text(r))},
                           {"year", tg.column("year").ints[r]},
                           {"value", tg.column("value").reals[r]},
                           {"direction", std::string(tg.column("direction").text(r))}});
  }
  out["contract_targets"] = std::move(targets);
  return out;
}

Result<Json> organisation_profile(const snapshot::Snapshot& s, const std::string& id) {
  const Table& org = s.table("organisation");
  const int32_t o = org.find(id);
  if (o < 0) return Status::not_found(fmt::format("no organisation '{}'", id));
  Json out = Json::object();
  out["organisation"] = full_row_json(s, org, static_cast<size_t>(o));
  const Table& m = s.table("membership");
  Json memberships = Json::array();
  for (size_t r = 0; r < m.rows; ++r) {
    if (m.column("organisation_id").codes[r] == o) memberships.push_back(full_row_json(s, m, r));
  }
  out["memberships"] = std::move(memberships);
  const Table& part = s.table("participation");
  const Table& p = s.table("project");
  Json projects = Json::array();
  for (size_t r = 0; r < part.rows; ++r) {
    if (part.column("organisation_id").codes[r] != o) continue;
    const auto pr = static_cast<size_t>(part.column("project_id").codes[r]);
    Json j = full_row_json(s, part, r);
    j["acronym"] = std::string(p.column("acronym").text(pr));
    j["status"] = std::string(p.column("status").text(pr));
    j["programme"] = std::string(p.column("programme").text(pr));
    projects.push_back(std::move(j));
  }
  out["participations"] = std::move(projects);
  return out;
}

Result<Json> project_profile(const snapshot::Snapshot& s, const std::string& id) {
  const Table& p = s.table("project");
  const int32_t pr = p.find(id);
  if (pr < 0) return Status::not_found(fmt::format("no project '{}'", id));
  Json out = Json::object();
  out["project"] = full_row_json(s, p, static_cast<size_t>(pr));
  auto rows_of = [&](const char* entity) {
    const Table& t = s.table(entity);
    Json arr = Json::array();
    for (size_t r = 0; r < t.rows; ++r) {
      if (t.column("project_id").codes[r] == pr) arr.push_back(full_row_json(s, t, r));
    }
    return arr;
  };
  out["labels"] = rows_of("project_label");
  out["events"] = rows_of("project_event");
  out["participations"] = rows_of("participation");
  out["results"] = rows_of("result");
  const Table& org = s.table("organisation");
  for (auto& j : out["participations"]) {
    const int32_t o = org.find(j["organisation_id"].get<std::string>());
    if (o >= 0)
      j["organisation_name"] = std::string(org.column("name").text(static_cast<size_t>(o)));
  }
  return out;
}

Json secret_table_json(const SecretTable& t, const std::vector<std::string>& rows,
                       const std::vector<std::string>& cols) {
  Json cells = Json::array();
  for (int r = 0; r <= t.rows; ++r) {
    Json line = Json::array();
    for (int c = 0; c <= t.cols; ++c) {
      const auto& cell = t.cells[static_cast<size_t>(r)][static_cast<size_t>(c)];
      if (cell.value) {
        line.push_back(Json{{"value", *cell.value}, {"firms", cell.firms}});
      } else {
        line.push_back(
            Json{{"value", nullptr},
                 {"secret", cell.suppression == Suppression::kPrimary ? "primary" : "secondary"}});
      }
    }
    cells.push_back(std::move(line));
  }
  std::vector<std::string> r = rows, c = cols;
  r.emplace_back("total");
  c.emplace_back("total");
  return Json{{"rows", r}, {"columns", c}, {"cells", std::move(cells)}};
}

Result<Json> firm_aggregate(const snapshot::Snapshot& s, const std::string& measure, int year,
                            bool members_only, const SecrecyRule& rule) {
  const Table& fy = s.table("firm_year");
  const auto* e = fy.entity;
  const int mi = schema::field_index(*e, measure);
  if (mi < 0 || e->fields[static_cast<size_t>(mi)].type != schema::Type::kReal) {
    return Status::invalid_argument(
        fmt::format("'{}' is not a numeric measure of firm_year", measure));
  }
  std::set<std::string_view> members;
  if (members_only) {
    const Table& org = s.table("organisation");
    for (size_t r = 0; r < org.rows; ++r) {
      if (!org.column("siren").is_null(r)) members.insert(org.column("siren").text(r));
    }
  }
  std::vector<std::string> rows, cols;
  std::map<std::string, int> row_index, col_index;
  for (const auto& r : codes::regions()) {
    row_index[std::string(r.code)] = static_cast<int>(rows.size());
    rows.emplace_back(r.code);
  }
  for (char sec = 'A'; sec <= 'U'; ++sec) {
    col_index[std::string(1, sec)] = static_cast<int>(cols.size());
    cols.emplace_back(1, sec);
  }
  const Column& value = fy.column(measure);
  const Column& years = fy.column("year");
  const Column& region = fy.column("region");
  const Column& naf = fy.column("naf");
  const Column& siren = fy.column("siren");
  std::vector<Contribution> contributions;
  for (size_t r = 0; r < fy.rows; ++r) {
    if (years.ints[r] != year || value.is_null(r) || region.is_null(r) || naf.is_null(r)) continue;
    if (members_only && !members.count(siren.text(r))) continue;
    const auto section = codes::naf_section(naf.text(r).substr(0, 2));
    if (!section) continue;
    contributions.push_back({row_index[std::string(region.text(r))],
                             col_index[std::string(1, *section)], value.reals[r],
                             std::string(siren.text(r))});
  }
  const SecretTable t =
      publish(static_cast<int>(rows.size()), static_cast<int>(cols.size()), contributions, rule);
  Json out = secret_table_json(t, rows, cols);
  out["measure"] = measure;
  out["year"] = year;
  out["members_only"] = members_only;
  out["rule"] = Json{{"min_firms", rule.min_firms}, {"max_share", rule.max_share}};
  return out;
}

const ParamSpecs& regions_overview_params() {
  static const ParamSpecs k = {year_param(
      "year", "Year of the figures: memberships active that year, projects started up to it",
      "2024")};
  return k;
}

const ParamSpecs& firm_aggregate_params() {
  static const ParamSpecs k = {
      choice_param("measure", "Measure of the firm panel",
                   {"headcount", "turnover", "value_added", "rd_spending", "rd_staff", "exports",
                    "patents", "wage_bill", "cir"},
                   "rd_spending"),
      year_param("year", "Year of the panel", "2020"),
      flag_param("members_only", "Only firms that are organisations of the registry")};
  return k;
}

}  // namespace poles::app
