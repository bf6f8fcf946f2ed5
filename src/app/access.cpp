#include "app/access.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

namespace poles::app {
namespace {

const std::string* text_field(const schema::Entity& e, const Row& row, std::string_view field) {
  const int i = schema::field_index(e, field);
  if (i < 0) return nullptr;
  return std::get_if<std::string>(&row[static_cast<size_t>(i)]);
}

std::optional<int64_t> int_field(const schema::Entity& e, const Row& row, std::string_view field) {
  const int i = schema::field_index(e, field);
  if (i < 0) return std::nullopt;
  if (const auto* v = std::get_if<int64_t>(&row[static_cast<size_t>(i)])) return *v;
  return std::nullopt;
}

Result<bool> exists(const QueryFn& s, const std::string& sql, const std::vector<Value>& params) {
  POLES_ASSIGN_OR_RETURN(auto rows, s(sql, params));
  return !rows.empty();
}

Result<std::optional<std::string>> first_text(const QueryFn& s, const std::string& sql,
                                              const std::vector<Value>& params) {
  POLES_ASSIGN_OR_RETURN(auto rows, s(sql, params));
  if (rows.empty()) return std::optional<std::string>();
  if (const auto* t = std::get_if<std::string>(&rows[0][0])) return std::optional<std::string>(*t);
  return std::optional<std::string>();
}

bool is_grant_for(const Grant& g, std::string_view entity, bool entity_like) {
  return g.entity == entity || (entity_like && g.entity == "*");
}

// The relations that grant (role, entity, op); empty when none does.
std::vector<Relation> relations(Role role, std::string_view entity, Op op) {
  const bool entity_like = schema::find_entity(entity) != nullptr;
  std::vector<Relation> out;
  for (const auto& g : policy()) {
    if (g.role == role && g.op == op && is_grant_for(g, entity, entity_like))
      out.push_back(g.relation);
  }
  return out;
}

// The cluster a row belongs to: its own id (cluster), its cluster_id, its service's or its
// contract's cluster. Projects and their rows belong to their owner (see project_owner).
Result<std::optional<std::string>> cluster_of(const QueryFn& s, const schema::Entity& e,
                                              const Row& row) {
  const std::string* direct =
      e.name == "cluster" ? text_field(e, row, "id") : text_field(e, row, "cluster_id");
  if (direct != nullptr) return std::optional<std::string>(*direct);
  if (e.name == "contract_target") {
    const auto* k = text_field(e, row, "contract_id");
    if (k == nullptr) return std::optional<std::string>();
    return first_text(s, "SELECT cluster_id FROM contract WHERE id = ?", {*k});
  }
  if (e.name == "service_participant") {
    const auto* k = text_field(e, row, "service_id");
    if (k == nullptr) return std::optional<std::string>();
    return first_text(s, "SELECT cluster_id FROM service WHERE id = ?", {*k});
  }
  return std::optional<std::string>();
}

// The region of a cluster (the row's own region when the row is that cluster, as written).
Result<std::optional<std::string>> region_of(const QueryFn& s, const schema::Entity& e,
                                             const Row& row, const std::string& cluster) {
  if (e.name == "cluster") {
    const auto* r = text_field(e, row, "region");
    return r ? std::optional<std::string>(*r) : std::optional<std::string>();
  }
  return first_text(s, "SELECT region FROM cluster WHERE id = ?", {cluster});
}

const std::string* project_of(const schema::Entity& e, const Row& row) {
  if (e.name == "project") return text_field(e, row, "id");
  if (e.name == "project_event" || e.name == "participation" || e.name == "result" ||
      e.name == "project_label" || e.name == "project_funding")
    return text_field(e, row, "project_id");
  return nullptr;
}

// The owner of a project: the cluster that labelled it first (earliest date, then id in byte
// order — chosen here, not by ORDER BY, which follows the database's collation on PostgreSQL
// and must agree with pipeline::project_owners).
Result<std::optional<std::string>> project_owner(const QueryFn& s, const std::string& project) {
  POLES_ASSIGN_OR_RETURN(auto rows, s("SELECT cluster_id FROM project_label WHERE project_id = ? "
                                      "AND date = (SELECT MIN(date) FROM project_label WHERE "
                                      "project_id = ?)",
                                      {project, project}));
  std::optional<std::string> owner;
  for (const auto& r : rows) {
    const std::string id = row_text(r[0]);
    if (!owner || id < *owner) owner = id;
  }
  return owner;
}

const std::string* organisation_of(const schema::Entity& e, const Row& row) {
  if (e.name == "organisation") return text_field(e, row, "id");
  if (e.name == "proposal") return text_field(e, row, "applicant_id");
  return text_field(e, row, "organisation_id");
}

Result<bool> cluster_in_scope(const QueryFn& s, const User& u, const schema::Entity& e,
                              const Row& row, const std::string& cluster, bool region) {
  if (!region) return cluster == u.scope;
  POLES_ASSIGN_OR_RETURN(auto r, region_of(s, e, row, cluster));
  return r && *r == u.scope;
}

// The ids the SIRENE and CORDIS imports give a legal unit, a CORDIS participant and a CORDIS
// project ("siren:<SIREN>", "cordis:<PIC>", "cordis:<project id>").
bool import_id(const schema::Entity& e, const Row& row) {
  if (e.name != "organisation" && e.name != "project") return false;
  const auto* id = std::get_if<std::string>(&row[0]);
  return id != nullptr &&
         (id->starts_with("cordis:") || (e.name == "organisation" && id->starts_with("siren:")));
}

Result<bool> holds(const QueryFn& s, const User& u, const schema::Entity& e, Op op, const Row& row,
                   Relation rel, const ConflictFn& conflicts) {
  switch (rel) {
    case Relation::kAny:
    case Relation::kPublic:
      return true;
    case Relation::kNewRow:
      // The ids the imports give (import_id) are theirs: an organisation or a project recorded
      // under one would receive that unit's, participant's or project's records (its SIREN, its
      // EU projects, its partners and money) at the next import.
      return op == Op::kCreate && !import_id(e, row);
    case Relation::kOwnCluster:
    case Relation::kRegionCluster:
    case Relation::kPublishedOwnCluster:
    case Relation::kPublishedRegionCluster: {
      POLES_ASSIGN_OR_RETURN(auto cluster, cluster_of(s, e, row));
      if (!cluster) return false;
      const bool region =
          rel == Relation::kRegionCluster || rel == Relation::kPublishedRegionCluster;
      POLES_ASSIGN_OR_RETURN(bool inside, cluster_in_scope(s, u, e, row, *cluster, region));
      if (!inside) return false;
      if (rel == Relation::kOwnCluster || rel == Relation::kRegionCluster) return true;
      const auto year = int_field(e, row, "year");
      if (!year) return false;
      return evaluation_published(s, static_cast<int>(*year));
    }
    case Relation::kOwnProject:
    case Relation::kRegionProject: {
      const auto* project = project_of(e, row);
      if (project == nullptr) return false;
      const bool region = rel == Relation::kRegionProject;
      POLES_ASSIGN_OR_RETURN(auto owner, project_owner(s, *project));
      if (!owner) {
        // Nobody owns the project yet: the first label in scope makes its owner, if the
        // caller's scope recorded the project (see project_recorded_by_scope).
        if (e.name != "project_label") return false;
        const auto* c = text_field(e, row, "cluster_id");
        if (c == nullptr) return false;
        POLES_ASSIGN_OR_RETURN(bool inside, cluster_in_scope(s, u, e, row, *c, region));
        if (!inside) return false;
        return project_recorded_by_scope(s, u, *project);
      }
      if (!region) return *owner == u.scope;
      POLES_ASSIGN_OR_RETURN(auto r,
                             first_text(s, "SELECT region FROM cluster WHERE id = ?", {*owner}));
      return r && *r == u.scope;
    }
    case Relation::kOwnOrganisation: {
      const auto* o = organisation_of(e, row);
      return o != nullptr && *o == u.scope;
    }
    case Relation::kOwnReviewer: {
      const auto* r =
          e.name == "reviewer" ? text_field(e, row, "id") : text_field(e, row, "reviewer_id");
      return r != nullptr && *r == u.scope;
    }
    case Relation::kAssignedProposal: {
      const auto* p =
          e.name == "proposal" ? text_field(e, row, "id") : text_field(e, row, "proposal_id");
      if (p == nullptr) return false;
      if (schema::field_index(e, "reviewer_id") >= 0) {
        const auto* r = text_field(e, row, "reviewer_id");
        if (r == nullptr || *r != u.scope) return false;
      }
      POLES_ASSIGN_OR_RETURN(
          bool assigned,
          exists(s, "SELECT 1 FROM assignment WHERE proposal_id = ? AND reviewer_id = ?",
                 {*p, u.scope}));
      if (!assigned) return false;
      // Not conflicted now: a conflict may appear after the assignment was written.
      if (!conflicts) return false;
      POLES_ASSIGN_OR_RETURN(auto conflict, conflicts(*p, u.scope));
      return !conflict.has_value();
    }
    case Relation::kOwnAssessment: {
      const auto* ev = text_field(e, row, "evaluator");
      return ev != nullptr && *ev == u.name;
    }
    case Relation::kOwnRegionFunds: {
      const auto* f = text_field(e, row, "funder_id");
      if (f == nullptr) return false;
      POLES_ASSIGN_OR_RETURN(auto r, first_text(s, "SELECT region FROM funder WHERE id = ?", {*f}));
      return r && *r == u.scope;
    }
    case Relation::kOwnRegion: {
      const auto* r = text_field(e, row, "region");
      return r != nullptr && !u.scope.empty() && *r == u.scope;
    }
  }
  return false;
}

Result<bool> any_holds(const QueryFn& s, const User& u, const schema::Entity& e, Op op,
                       const Row& row, const ConflictFn& conflicts) {
  for (Relation rel : relations(u.role, e.name, op)) {
    POLES_ASSIGN_OR_RETURN(bool ok, holds(s, u, e, op, row, rel, conflicts));
    if (ok) return true;
  }
  return false;
}

}  // namespace

// Whether the caller's account scope recorded the project: the role and scope of the account
// of its latest creation in the audit log equal the caller's. Only such a project, without a
// label, may be taken by the caller's first label; a project recorded by another scope or
// imported (CORDIS, FP7, a CSV of the State) is labelled by the State.
Result<bool> project_recorded_by_scope(const QueryFn& q, const User& u,
                                       const std::string& project) {
  POLES_ASSIGN_OR_RETURN(
      auto rows, q("SELECT u.\"role\", u.\"scope\" FROM \"audit\" a JOIN \"app_user\" u ON "
                   "u.\"name\" = a.\"actor\" WHERE a.\"entity\" = 'project' AND a.\"key\" = ? "
                   "AND a.\"action\" = 'create' ORDER BY a.\"id\" DESC LIMIT 1",
                   {project}));
  if (rows.empty()) return false;
  const auto* role = std::get_if<std::string>(&rows[0][0]);
  const auto* scope = std::get_if<std::string>(&rows[0][1]);
  return role != nullptr && scope != nullptr && *role == role_name(u.role) && *scope == u.scope;
}

std::vector<Relation> granted(Role role, std::string_view entity, Op op) {
  return relations(role, entity, op);
}

bool may(Role role, Op op, std::string_view entity) { return !relations(role, entity, op).empty(); }

bool may(Role role, Action action, const schema::Entity& e) {
  if (action == Action::kRead) return may(role, Op::kRead, e.name);
  return may(role, Op::kCreate, e.name) || may(role, Op::kUpdate, e.name) ||
         may(role, Op::kDelete, e.name);
}

std::string row_text(const Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s ? *s : std::string();
}

tj::Omittable<std::string> row_optional_text(const Value& v) {
  tj::Omittable<std::string> out;
  if (const auto* s = std::get_if<std::string>(&v)) out.emplace(*s);
  return out;
}

QueryFn query_on(store::Store& s) {
  return [&s](const std::string& sql, const std::vector<Value>& p) { return s.query(sql, p); };
}
QueryFn query_on(store::Transaction& tx) {
  return [&tx](const std::string& sql, const std::vector<Value>& p) { return tx.query(sql, p); };
}
QueryFn memoised(QueryFn q) {
  auto cache =
      std::make_shared<std::map<std::pair<std::string, std::vector<Value>>, std::vector<Row>>>();
  return [q = std::move(q), cache](const std::string& sql,
                                   const std::vector<Value>& p) -> Result<std::vector<Row>> {
    auto key = std::make_pair(sql, p);
    if (auto it = cache->find(key); it != cache->end()) return it->second;
    POLES_ASSIGN_OR_RETURN(auto rows, q(sql, p));
    cache->emplace(std::move(key), rows);
    return rows;
  };
}

bool may_manage_users(Role role) { return may(role, Op::kRead, "users"); }
bool may_import(Role role) { return may(role, Op::kCreate, "import"); }
bool may_read_firm_aggregates(Role) { return true; }  // aggregates leave the app only after secrecy

bool needs_conflict_detector(Role role, std::string_view entity) {
  for (Op op : {Op::kRead, Op::kCreate, Op::kUpdate, Op::kDelete}) {
    for (Relation r : relations(role, entity, op))
      if (r == Relation::kAssignedProposal) return true;
  }
  return false;
}

namespace {

Status denied(const User& u, const schema::Entity& e, Op op, std::string_view why) {
  return Status::permission_denied(fmt::format(
      "{} '{}'{} may not {} this {}: {}", role_name(u.role), u.name,
      u.scope.empty() ? "" : " (" + std::string(scope_kind(u.role)) + " " + u.scope + ")",
      op_name(op), e.name, why));
}

}  // namespace

Status write_denied(const User& u, const schema::Entity& e, Op op) {
  const auto rels = relations(u.role, e.name, op);
  if (rels.empty()) return denied(u, e, op, "the role has no such right (docs/access.md)");
  std::string needed;
  for (Relation r : rels) needed += (needed.empty() ? "" : " or ") + std::string(relation_name(r));
  return denied(u, e, op, fmt::format("the row is not {}, before and after the change", needed));
}

Status check_row_write(const QueryFn& s, const User& u, const schema::Entity& e, Op op,
                       const Row& row, const ConflictFn& conflicts) {
  if (relations(u.role, e.name, op).empty()) return write_denied(u, e, op);
  POLES_ASSIGN_OR_RETURN(bool ok, any_holds(s, u, e, op, row, conflicts));
  if (!ok && op == Op::kCreate && import_id(e, row))
    return Status::permission_denied(fmt::format(
        "the id '{}' is one the SIRENE and CORDIS imports give (siren:…, cordis:…): record it "
        "under another id",
        value_to_text(row[0])));
  if (!ok) return write_denied(u, e, op);
  // Money in a Region's name (its own, its FEDER, its local authorities) is filed only on a
  // project owned by a cluster of that region, whose region may then read and correct it.
  if (e.name == "project_funding" && u.role != Role::kAdmin && u.role != Role::kState) {
    const auto* funder = text_field(e, row, "funder_id");
    const auto* project = text_field(e, row, "project_id");
    if (funder != nullptr && project != nullptr) {
      POLES_ASSIGN_OR_RETURN(auto region,
                             first_text(s, "SELECT region FROM funder WHERE id = ?", {*funder}));
      if (region) {
        POLES_ASSIGN_OR_RETURN(auto owner, project_owner(s, *project));
        std::optional<std::string> owner_region;
        if (owner) {
          POLES_ASSIGN_OR_RETURN(
              owner_region, first_text(s, "SELECT region FROM cluster WHERE id = ?", {*owner}));
        }
        if (owner_region != region)
          return Status::permission_denied(fmt::format(
              "funder '{}' is the money of region {}: it is recorded on a project owned by a "
              "cluster of that region, or by the State",
              *funder, *region));
      }
    }
  }
  return Status::ok();
}

Status check_field_writes(const User& u, const schema::Entity& e, const Row* before,
                          const Row& after) {
  for (const auto& rule : field_rules()) {
    if (rule.entity != e.name || (rule.writers & role_bit(u.role)) != 0) continue;
    const int i = schema::field_index(e, rule.field);
    if (i < 0) continue;
    const Value& now = after[static_cast<size_t>(i)];
    bool refused = false;
    if (before != nullptr) {
      refused = now != (*before)[static_cast<size_t>(i)];
    } else {
      refused = rule.on_create && !std::holds_alternative<std::monostate>(now);
    }
    if (refused) {
      std::string who = "the State";
      if (rule.writers != (role_bit(Role::kAdmin) | role_bit(Role::kState))) {
        who = "the roles";
        const char* sep = " ";
        for (size_t k = 0; k < kRoleNames.size(); ++k) {
          if ((rule.writers & role_bit(static_cast<Role>(k))) == 0) continue;
          who.append(sep).append(kRoleNames[k]);
          sep = ", ";
        }
      }
      return Status::permission_denied(
          fmt::format("the {} role may not write the field '{}' of {}: it is reserved to {} "
                      "(docs/access.md)",
                      role_name(u.role), rule.field, e.name, who));
    }
  }
  return Status::ok();
}

Result<bool> may_read_row(const QueryFn& s, const User& u, const schema::Entity& e, const Row& row,
                          const ConflictFn& conflicts) {
  return any_holds(s, u, e, Op::kRead, row, conflicts);
}

Result<bool> evaluation_published(const QueryFn& s, int year) {
  return exists(s, "SELECT 1 FROM evaluation_publication WHERE year = ?",
                {static_cast<int64_t>(year)});
}

Result<bool> may_read_cluster_view(const QueryFn& s, const User& u, std::string_view capability,
                                   const std::string& cluster) {
  for (Relation rel : relations(u.role, capability, Op::kRead)) {
    if (rel == Relation::kAny) return true;
    if (rel == Relation::kOwnCluster && cluster == u.scope) return true;
    if (rel == Relation::kRegionCluster) {
      POLES_ASSIGN_OR_RETURN(auto r,
                             first_text(s, "SELECT region FROM cluster WHERE id = ?", {cluster}));
      if (r && *r == u.scope) return true;
    }
  }
  return false;
}

bool may_read_region_view(const User& u, std::string_view capability, std::string_view region) {
  for (Relation rel : relations(u.role, capability, Op::kRead)) {
    if (rel == Relation::kAny) return true;
    if (rel == Relation::kOwnRegion && !u.scope.empty() && region == u.scope) return true;
  }
  return false;
}

Result<bool> may_read_evaluation(const QueryFn& s, const User& u, int year,
                                 const std::string& cluster) {
  for (Relation rel : relations(u.role, "evaluation", Op::kRead)) {
    switch (rel) {
      case Relation::kAny:
        return true;
      case Relation::kPublishedOwnCluster:
      case Relation::kPublishedRegionCluster: {
        bool inside = cluster == u.scope;
        if (rel == Relation::kPublishedRegionCluster) {
          POLES_ASSIGN_OR_RETURN(
              auto r, first_text(s, "SELECT region FROM cluster WHERE id = ?", {cluster}));
          inside = r && *r == u.scope;
        }
        if (!inside) continue;
        POLES_ASSIGN_OR_RETURN(bool published, evaluation_published(s, year));
        if (published) return true;
        break;
      }
      default:
        break;
    }
  }
  return false;
}

}  // namespace poles::app
