#include "app/stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/codes.h"
#include "core/date.h"

namespace poles::app {
namespace {

using snapshot::Column;
using snapshot::Table;

int year_of_day(int64_t days) { return Date::from_days(days).year; }

// The membership table's dates, resolved once: is a membership row active in a year?
struct MembershipDates {
  explicit MembershipDates(const Table& m)
      : start(m.column("start_date")), end(m.column("end_date")) {}
  bool active(size_t r, int year) const {
    if (year_of_day(start.ints[r]) > year) return false;
    return end.is_null(r) || year_of_day(end.ints[r]) >= year;
  }
  const Column& start;
  const Column& end;
};

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
        } else if (c.field->type == schema::Type::kBool) {
          obj[name] = c.ints[r] != 0;
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
  const MembershipDates dates(m);
  std::map<std::string, RegionFigures> out;
  for (const auto& r : codes::regions()) {
    out[std::string(r.code)] =
        RegionFigures{std::string(r.code), std::string(r.name), r.overseas, 0, 0, 0, 0.0};
  }
  // A cluster counts in the years its label covers: the phase's years, shortened to the label's
  // duration when one was granted (phase V labels for 4, 2 or 1 years).
  const Table& cl = s.table("cluster_label");
  const auto& cl_cluster = cl.column("cluster_id");
  const auto& cl_start = cl.column("start_year");
  const auto& cl_end = cl.column("end_year");
  const auto& cl_years = cl.column("label_years");
  std::set<int32_t> labelled;
  for (size_t r = 0; r < cl.rows; ++r) {
    int64_t end = cl_end.ints[r];
    if (!cl_years.is_null(r)) end = std::min(end, cl_start.ints[r] + cl_years.ints[r] - 1);
    if (cl_start.ints[r] <= year && year <= end) labelled.insert(cl_cluster.codes[r]);
  }
  for (int32_t c : labelled) ++out[std::string(region.text(static_cast<size_t>(c)))].clusters;
  std::map<std::string, std::set<int32_t>> members;
  for (size_t r = 0; r < m.rows; ++r) {
    if (!dates.active(r, year)) continue;
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

namespace {

// The text of a kCode cell, or nullopt when null.
std::optional<std::string> opt_text(const Column& c, size_t r) {
  if (c.is_null(r)) return std::nullopt;
  return std::string(c.text(r));
}
std::optional<int64_t> opt_int(const Column& c, size_t r) {
  if (c.is_null(r)) return std::nullopt;
  return c.ints[r];
}
std::optional<double> opt_real(const Column& c, size_t r) {
  if (c.is_null(r)) return std::nullopt;
  return c.reals[r];
}

template <tj::EntityName Name>
tj::RowOf<Name> row_of(const snapshot::Snapshot& s, const Table& t, size_t r) {
  return tj::RowOf<Name>{full_row_json(s, t, r)};
}

}  // namespace

ClusterList cluster_summaries(const snapshot::Snapshot& s, int year) {
  const Table& clusters = s.table("cluster");
  const Table& m = s.table("membership");
  const Table& org = s.table("organisation");
  const Table& labels = s.table("project_label");
  const Table& cl_labels = s.table("cluster_label");
  const auto& m_cluster = m.column("cluster_id");
  const auto& m_org = m.column("organisation_id");
  const auto& l_cluster = labels.column("cluster_id");
  const auto& l_project = labels.column("project_id");
  const auto& cl_cluster = cl_labels.column("cluster_id");
  const auto& cl_phase = cl_labels.column("phase");
  const MembershipDates dates(m);
  std::vector<std::set<int32_t>> members(clusters.rows), projects(clusters.rows);
  for (size_t r = 0; r < m.rows; ++r) {
    if (dates.active(r, year))
      members[static_cast<size_t>(m_cluster.codes[r])].insert(m_org.codes[r]);
  }
  for (size_t r = 0; r < labels.rows; ++r)
    projects[static_cast<size_t>(l_cluster.codes[r])].insert(l_project.codes[r]);
  std::vector<int64_t> last_phase(clusters.rows, 0);
  for (size_t r = 0; r < cl_labels.rows; ++r) {
    auto& p = last_phase[static_cast<size_t>(cl_cluster.codes[r])];
    p = std::max(p, cl_phase.ints[r]);
  }
  const auto& kind = org.column("kind");
  const auto& size = org.column("size_class");
  const auto& name = clusters.column("name");
  const auto& acronym = clusters.column("acronym");
  const auto& themes = clusters.column("themes");
  const auto& region = clusters.column("region");
  const auto& scale = clusters.column("scale");
  const auto& filiere = clusters.column("filiere");
  const auto& website = clusters.column("website");
  const auto& founded = clusters.column("founded");
  ClusterList out{year, {}};
  for (size_t c = 0; c < clusters.rows; ++c) {
    int64_t companies = 0, smes = 0;
    for (int32_t o : members[c]) {
      const auto oi = static_cast<size_t>(o);
      if (kind.text(oi) != "company") continue;
      ++companies;
      smes += size.text(oi) == "tpe" || size.text(oi) == "pme";
    }
    out.clusters.push_back(
        ClusterSummary{std::string(clusters.key(c)), std::string(name.text(c)),
                       opt_text(acronym, c), opt_text(themes, c), std::string(region.text(c)),
                       std::string(scale.text(c)), opt_text(filiere, c), opt_text(website, c),
                       opt_int(founded, c), static_cast<int64_t>(members[c].size()), companies,
                       companies ? static_cast<double>(smes) / static_cast<double>(companies) : 0.0,
                       static_cast<int64_t>(projects[c].size()), last_phase[c]});
  }
  return out;
}

Result<ClusterProfile> cluster_profile(const snapshot::Snapshot& s, const std::string& id) {
  const Table& clusters = s.table("cluster");
  const int32_t c = clusters.find(id);
  if (c < 0) return Status::not_found(fmt::format("no cluster '{}'", id));
  ClusterProfile out;
  out.cluster = row_of<"cluster">(s, clusters, static_cast<size_t>(c));
  const auto* region = codes::find_region(clusters.column("region").text(static_cast<size_t>(c)));
  out.region_name = region ? std::string(region->name) : std::string();
  // Label history.
  const Table& cl = s.table("cluster_label");
  const auto& cl_cluster = cl.column("cluster_id");
  const auto& phase = cl.column("phase");
  const auto& start_year = cl.column("start_year");
  const auto& end_year = cl.column("end_year");
  const auto& label_years = cl.column("label_years");
  const auto& rating = cl.column("rating");
  for (size_t r = 0; r < cl.rows; ++r) {
    if (cl_cluster.codes[r] != c) continue;
    out.labels.push_back(ClusterLabelView{phase.ints[r], start_year.ints[r], end_year.ints[r],
                                          opt_int(label_years, r), opt_text(rating, r)});
  }
  // Members by kind and by size class, per year.
  const Table& m = s.table("membership");
  const Table& org = s.table("organisation");
  const auto& kind = org.column("kind");
  const auto& size = org.column("size_class");
  const auto& m_cluster = m.column("cluster_id");
  const auto& m_org = m.column("organisation_id");
  const MembershipDates dates(m);
  auto& members = out.members;
  for (int y = 2005; y <= 2024; ++y) members.years.push_back(y);
  for (const auto k : kind.dict) members.by_kind[std::string(k)].assign(members.years.size(), 0);
  for (const auto k : size.dict)
    members.by_size_class[std::string(k)].assign(members.years.size(), 0);
  const auto& org_name = org.column("name");
  const auto& m_start = m.column("start_date");
  const auto& m_end = m.column("end_date");
  for (size_t r = 0; r < m.rows; ++r) {
    if (m_cluster.codes[r] != c) continue;
    const auto o = static_cast<size_t>(m_org.codes[r]);
    out.member_list.push_back(ClusterMember{
        std::string(org.key(o)), std::string(org_name.text(o)), std::string(kind.text(o)),
        opt_text(size, o), Date::from_days(m_start.ints[r]).to_string(),
        m_end.is_null(r) ? std::nullopt
                         : std::optional<std::string>(Date::from_days(m_end.ints[r]).to_string())});
    for (size_t yi = 0; yi < members.years.size(); ++yi) {
      if (!dates.active(r, members.years[yi])) continue;
      ++members.by_kind[std::string(kind.text(o))][yi];
      if (!size.is_null(o)) ++members.by_size_class[std::string(size.text(o))][yi];
    }
  }
  std::stable_sort(
      out.member_list.begin(), out.member_list.end(),
      [](const ClusterMember& a, const ClusterMember& b) { return a.start_date > b.start_date; });
  // Projects labelled by the cluster, by status and programme.
  const Table& pl = s.table("project_label");
  const Table& p = s.table("project");
  const auto& pl_cluster = pl.column("cluster_id");
  const auto& pl_project = pl.column("project_id");
  const auto& status = p.column("status");
  const auto& programme = p.column("programme");
  const auto& acronym = p.column("acronym");
  const auto& start = p.column("start_date");
  const auto& total_cost = p.column("total_cost");
  const auto& public_aid = p.column("public_aid");
  for (size_t r = 0; r < pl.rows; ++r) {
    if (pl_cluster.codes[r] != c) continue;
    const auto pr = static_cast<size_t>(pl_project.codes[r]);
    ++out.projects.by_status[std::string(status.text(pr))];
    ++out.projects.by_programme[std::string(programme.text(pr))];
    out.projects.list.push_back(ProjectBrief{
        std::string(p.key(pr)), std::string(acronym.text(pr)), std::string(status.text(pr)),
        std::string(programme.text(pr)),
        start.is_null(pr) ? std::nullopt
                          : std::optional<std::string>(Date::from_days(start.ints[pr]).to_string()),
        opt_real(total_cost, pr), opt_real(public_aid, pr)});
  }
  // Services per year and kind.
  const Table& sv = s.table("service");
  const auto& sv_cluster = sv.column("cluster_id");
  const auto& sv_kind = sv.column("kind");
  const auto& sv_date = sv.column("date");
  std::map<std::string, std::map<int, int>> services;
  for (size_t r = 0; r < sv.rows; ++r) {
    if (sv_cluster.codes[r] != c) continue;
    ++services[std::string(sv_kind.text(r))][year_of_day(sv_date.ints[r])];
  }
  for (const auto& [k, per_year] : services) {
    auto& py = out.services[k];
    for (const auto& [y, n] : per_year) py[std::to_string(y)] = n;
  }
  // Contract targets.
  const Table& ct = s.table("contract");
  const Table& tg = s.table("contract_target");
  const auto& tg_contract = tg.column("contract_id");
  const auto& ct_cluster = ct.column("cluster_id");
  const auto& indicator = tg.column("indicator");
  const auto& tg_year = tg.column("year");
  const auto& tg_value = tg.column("value");
  const auto& direction = tg.column("direction");
  for (size_t r = 0; r < tg.rows; ++r) {
    const auto k = static_cast<size_t>(tg_contract.codes[r]);
    if (ct_cluster.codes[k] != c) continue;
    out.contract_targets.push_back(
        ContractTargetView{std::string(ct.key(k)), std::string(indicator.text(r)), tg_year.ints[r],
                           tg_value.reals[r], std::string(direction.text(r))});
  }
  return out;
}

Result<OrganisationProfile> organisation_profile(const snapshot::Snapshot& s,
                                                 const std::string& id) {
  const Table& org = s.table("organisation");
  const int32_t o = org.find(id);
  if (o < 0) return Status::not_found(fmt::format("no organisation '{}'", id));
  OrganisationProfile out;
  out.organisation = row_of<"organisation">(s, org, static_cast<size_t>(o));
  const Table& m = s.table("membership");
  const auto& m_org = m.column("organisation_id");
  for (size_t r = 0; r < m.rows; ++r) {
    if (m_org.codes[r] == o) out.memberships.push_back(row_of<"membership">(s, m, r));
  }
  const Table& part = s.table("participation");
  const Table& p = s.table("project");
  const auto& part_org = part.column("organisation_id");
  const auto& part_project = part.column("project_id");
  const auto& role = part.column("role");
  const auto& cost = part.column("cost");
  const auto& aid = part.column("aid");
  const auto& acronym = p.column("acronym");
  const auto& status = p.column("status");
  const auto& programme = p.column("programme");
  for (size_t r = 0; r < part.rows; ++r) {
    if (part_org.codes[r] != o) continue;
    const auto pr = static_cast<size_t>(part_project.codes[r]);
    out.participations.push_back(OrganisationParticipation{
        std::string(p.key(pr)), id, std::string(role.text(r)), opt_real(cost, r), opt_real(aid, r),
        std::string(acronym.text(pr)), std::string(status.text(pr)),
        std::string(programme.text(pr))});
  }
  return out;
}

Result<ProjectProfile> project_profile(const snapshot::Snapshot& s, const std::string& id) {
  const Table& p = s.table("project");
  const int32_t pr = p.find(id);
  if (pr < 0) return Status::not_found(fmt::format("no project '{}'", id));
  ProjectProfile out;
  out.project = row_of<"project">(s, p, static_cast<size_t>(pr));
  auto rows_of = [&]<tj::EntityName Name>(std::vector<tj::RowOf<Name>>& into) {
    const Table& t = s.table(Name.view());
    const auto& project = t.column("project_id");
    for (size_t r = 0; r < t.rows; ++r) {
      if (project.codes[r] == pr) into.push_back(row_of<Name>(s, t, r));
    }
  };
  rows_of(out.labels);
  rows_of(out.events);
  rows_of(out.results);
  const Table& part = s.table("participation");
  const Table& org = s.table("organisation");
  const auto& part_project = part.column("project_id");
  const auto& part_org = part.column("organisation_id");
  const auto& org_name = org.column("name");
  const auto& role = part.column("role");
  const auto& cost = part.column("cost");
  const auto& aid = part.column("aid");
  for (size_t r = 0; r < part.rows; ++r) {
    if (part_project.codes[r] != pr) continue;
    const auto o = static_cast<size_t>(part_org.codes[r]);
    out.participations.push_back(ProjectPartner{id, std::string(org.key(o)),
                                                std::string(role.text(r)), opt_real(cost, r),
                                                opt_real(aid, r), std::string(org_name.text(o))});
  }
  return out;
}

namespace {

// A row of `e` with the given fields set (the others null): what the row rules look at.
Row row_with(const schema::Entity& e,
             std::initializer_list<std::pair<std::string_view, std::string>> fields) {
  Row row(e.fields.size());
  for (const auto& [name, value] : fields) {
    const int i = schema::field_index(e, name);
    if (i >= 0) row[static_cast<size_t>(i)] = value;
  }
  return row;
}

// A row of `e` from its JSON as a profile shows it.
Row row_from(const schema::Entity& e, const tj::Json& fields) {
  Row row(e.fields.size());
  for (size_t i = 0; i < e.fields.size(); ++i) {
    const auto it = fields.find(std::string(e.fields[i].name));
    if (it == fields.end()) continue;
    if (it->is_string()) {
      row[i] = it->get<std::string>();
    } else if (it->is_number_integer()) {
      row[i] = it->get<int64_t>();
    } else if (it->is_number()) {
      row[i] = it->get<double>();
    }
  }
  return row;
}

const schema::Entity& entity(std::string_view name) { return *schema::find_entity(name); }

}  // namespace

Status scope_profile(const QueryFn& q, const User& u, ClusterProfile& p) {
  const auto& e = entity("contract_target");
  std::vector<ContractTargetView> kept;
  for (auto& t : p.contract_targets) {
    POLES_ASSIGN_OR_RETURN(
        bool ok,
        may_read_row(q, u, e,
                     row_with(e, {{"contract_id", t.contract}, {"indicator", t.indicator}})));
    if (ok) kept.push_back(std::move(t));
  }
  p.contract_targets = std::move(kept);
  return Status::ok();
}

namespace {

// A partner's cost and aid are shown only to those who may read its participation row; its name
// and role stay (they are public).
template <class Participation>
Status hide_unreadable_financing(const QueryFn& q, const User& u,
                                 std::vector<Participation>& participations) {
  const auto& e = entity("participation");
  for (auto& part : participations) {
    POLES_ASSIGN_OR_RETURN(bool ok,
                           may_read_row(q, u, e,
                                        row_with(e, {{"project_id", part.project_id},
                                                     {"organisation_id", part.organisation_id}})));
    if (!ok) part.cost = part.aid = std::nullopt;
  }
  return Status::ok();
}

}  // namespace

Status scope_profile(const QueryFn& q, const User& u, OrganisationProfile& p) {
  // A firm's own figures (headcount, turnover, balance sheet): the State's, evaluators' and the
  // firm's own (policy.h, read_rules).
  const std::string id = p.organisation.fields.value("id", "");
  for (const auto& r : read_rules()) {
    if (r.entity == "organisation" && !sees_field(u.role, u.scope, r.entity, r.field, id))
      p.organisation.fields[std::string(r.field)] = nullptr;
  }
  return hide_unreadable_financing(q, u, p.participations);
}

Status scope_profile(const QueryFn& q, const User& u, ProjectProfile& p) {
  POLES_RETURN_IF_ERROR(hide_unreadable_financing(q, u, p.participations));
  const auto& re = entity("result");
  std::vector<tj::RowOf<"result">> kept;
  for (auto& r : p.results) {
    POLES_ASSIGN_OR_RETURN(bool ok, may_read_row(q, u, re, row_from(re, r.fields)));
    if (ok) kept.push_back(std::move(r));
  }
  p.results = std::move(kept);
  return Status::ok();
}

const std::vector<std::string>& firm_measures() {
  static const std::vector<std::string> k = {"headcount",   "turnover",  "value_added",
                                             "rd_spending", "rd_staff",  "exports",
                                             "patents",     "wage_bill", "cir"};
  return k;
}

Result<std::vector<FirmTableSet>> firm_table_sets(const snapshot::Snapshot& s,
                                                  const std::vector<std::string>& measures,
                                                  std::optional<int> year, const SecrecyRule& rule,
                                                  FirmSuppression how, int threads,
                                                  const Reader& reader) {
  const Table& fy = s.table("firm_year");
  const auto* e = fy.entity;
  for (const auto& measure : measures) {
    const int mi = schema::field_index(*e, measure);
    if (mi < 0 || e->fields[static_cast<size_t>(mi)].type != schema::Type::kReal) {
      return Status::invalid_argument(
          fmt::format("'{}' is not a numeric measure of firm_year", measure));
    }
  }
  std::vector<std::string> rows, cols;
  std::map<std::string, int, std::less<>> row_index;
  for (const auto& r : codes::regions()) {
    row_index[std::string(r.code)] = static_cast<int>(rows.size());
    rows.emplace_back(r.code);
  }
  for (char sec = 'A'; sec <= 'U'; ++sec) cols.emplace_back(1, sec);
  const Column& years = fy.column("year");
  const Column& region = fy.column("region");
  const Column& naf = fy.column("naf");
  const Column& siren = fy.column("siren");
  // Per dictionary code: the row of a region, the column of a NAF code, whether a SIREN is an
  // organisation of the registry (a member).
  std::vector<int16_t> region_of(region.dict.size(), -1), section_of(naf.dict.size(), -1);
  for (size_t c = 0; c < region.dict.size(); ++c) {
    const auto it = row_index.find(region.dict[c]);
    if (it != row_index.end()) region_of[c] = static_cast<int16_t>(it->second);
  }
  for (size_t c = 0; c < naf.dict.size(); ++c) {
    const auto section = codes::naf_section(std::string_view(naf.dict[c]).substr(0, 2));
    if (section && *section >= 'A' && *section <= 'U')
      section_of[c] = static_cast<int16_t>(*section - 'A');
  }
  // Per dictionary code of a SIREN: whether the reader knows the firm's figures (its own
  // organisation's).
  std::vector<uint8_t> member_of(siren.dict.size(), 0), known_of(siren.dict.size(), 0);
  {
    std::unordered_map<std::string_view, int32_t> members;
    const Column& org_siren = s.table("organisation").column("siren");
    for (size_t r = 0; r < org_siren.codes.size(); ++r) {
      if (!org_siren.is_null(r)) members.emplace(org_siren.text(r), static_cast<int32_t>(r));
    }
    for (size_t c = 0; c < siren.dict.size(); ++c) {
      const auto it = members.find(siren.dict[c]);
      member_of[c] = it != members.end();
      known_of[c] = it != members.end() && reader.knows_organisation(it->second);
    }
  }
  // A reader that knows firms starts from the masks of the tables published to all
  // (secrecy::start_from_public_masks).
  std::vector<FirmTableSet> public_sets;
  if (how == FirmSuppression::kLinked &&
      std::any_of(known_of.begin(), known_of.end(), [](uint8_t k) { return k != 0; })) {
    POLES_ASSIGN_OR_RETURN(public_sets,
                           firm_table_sets(s, measures, year, rule, how, threads, Reader{}));
  }
  // The panel's rows with a region and a NAF section, by year.
  struct Entry {
    uint32_t row;
    int16_t region, section;
    bool member, known;
  };
  std::map<int, std::vector<Entry>> by_year;
  for (size_t r = 0; r < fy.rows; ++r) {
    const int y = static_cast<int>(years.ints[r]);
    if ((year && y != *year) || region.codes[r] < 0 || naf.codes[r] < 0 || siren.codes[r] < 0)
      continue;
    const int16_t ri = region_of[static_cast<size_t>(region.codes[r])];
    const int16_t si = section_of[static_cast<size_t>(naf.codes[r])];
    if (ri < 0 || si < 0) continue;
    const auto code = static_cast<size_t>(siren.codes[r]);
    by_year[y].push_back(
        {static_cast<uint32_t>(r), ri, si, member_of[code] != 0, known_of[code] != 0});
  }
  if (year && !by_year.count(*year)) by_year[*year];  // an empty panel year: empty tables
  std::vector<std::pair<const std::string*, const std::pair<const int, std::vector<Entry>>*>> jobs;
  for (const auto& measure : measures) {
    for (const auto& entry : by_year) jobs.emplace_back(&measure, &entry);
  }
  std::vector<FirmTableSet> out(jobs.size());
  std::vector<Status> status(jobs.size());
  const int R = static_cast<int>(rows.size()), C = static_cast<int>(cols.size());
  auto build = [&](size_t j) {
    const std::string& measure = *jobs[j].first;
    const int y = jobs[j].second->first;
    const auto& entries = jobs[j].second->second;
    const Column& value = fy.column(measure);
    std::vector<Contribution> all, mem;
    all.reserve(entries.size());
    for (const auto& en : entries) {
      if (value.is_null(en.row)) continue;
      Contribution c{en.region, en.section, value.reals[en.row], std::string(siren.text(en.row)),
                     en.known};
      if (en.member) mem.push_back(c);
      all.push_back(std::move(c));
    }
    const bool nonnegative =
        std::all_of(all.begin(), all.end(), [](const Contribution& c) { return c.value >= 0; });
    FirmTableSet& set = out[j];
    set.measure = measure;
    set.year = y;
    set.rows = rows;
    set.columns = cols;
    set.all = secrecy::add_two_way(set.linked, fmt::format("{} {} all firms", measure, y), R, C,
                                   all, rule, nonnegative);
    set.members = secrecy::add_two_way(set.linked, fmt::format("{} {} members", measure, y), R, C,
                                       mem, rule, nonnegative);
    secrecy::link_subset(set.linked, set.all, set.members, nonnegative);
    // The same tables, built in the same order: cell for cell.
    if (!public_sets.empty()) secrecy::start_from_public_masks(set.linked, public_sets[j].linked);
    if (how == FirmSuppression::kLinked) {
      secrecy::Protection p;
      p.share = rule.protection;
      status[j] = secrecy::protect(set.linked, p);
    } else if (how == FirmSuppression::kLineRule) {
      for (const auto& [grid, contributions] :
           {std::pair{&set.all, &all}, std::pair{&set.members, &mem}}) {
        const SecretTable t = secrecy::publish_line_rule(R, C, *contributions, rule);
        for (int r = 0; r <= R; ++r) {
          for (int k = 0; k <= C; ++k) {
            if (t.cells[static_cast<size_t>(r)][static_cast<size_t>(k)].suppression ==
                Suppression::kSecondary)
              set.linked.cells[static_cast<size_t>(grid->at(r, k))].state =
                  secrecy::CellState::kSecondary;
          }
        }
      }
    }
  };
  // Each job on one thread (the tables of a measure and year are independent).
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t j = next++; j < jobs.size(); j = next++) build(j);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::min<int>(threads, static_cast<int>(jobs.size())); ++t)
    pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (const auto& st : status) {
    if (!st.is_ok()) return st;
  }
  return out;
}

Result<FirmTable> firm_aggregate(const snapshot::Snapshot& s, const std::string& measure, int year,
                                 bool members_only, const SecrecyRule& rule, const Reader& reader) {
  auto sets = firm_table_sets(s, {measure}, year, rule, FirmSuppression::kLinked, 1, reader);
  if (!sets) return sets.error();
  const FirmTableSet& set = sets->front();
  // Fail closed: the tables are published only if every primary cell keeps its protection
  // interval against the attacker's linear programs.
  secrecy::Protection p;
  p.share = rule.protection;
  auto audit = secrecy::audit(set.linked, p, true);
  if (!audit) return audit.error();
  if (audit->failures > 0) {
    return Status::unavailable(fmt::format(
        "statistical secrecy: the {} table of {} fails its audit ({} primary cells narrower than "
        "their protection interval); it is not published",
        measure, year, audit->failures));
  }
  const SecretTable t = secrecy::to_secret_table(set.linked, members_only ? set.members : set.all);
  FirmTable out;
  out.rows = set.rows;
  out.columns = set.columns;
  out.rows.emplace_back("total");
  out.columns.emplace_back("total");
  for (const auto& line : t.cells) {
    auto& row = out.cells.emplace_back();
    for (const auto& cell : line) row.push_back(secret_cell(cell));
  }
  out.measure = measure;
  out.year = year;
  out.members_only = members_only;
  out.rule = rule_shown(rule);
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
                   {firm_measures().begin(), firm_measures().end()}, "rd_spending"),
      year_param("year", "Year of the panel", "2020"),
      flag_param("members_only", "Only firms that are organisations of the registry")};
  return k;
}

}  // namespace poles::app
