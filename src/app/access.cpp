#include "app/access.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace poles::app {
namespace {

bool in(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool confidential(std::string_view e) { return in(e, {"firm_year", "truth"}); }
bool selection(std::string_view e) {
  return in(e, {"call", "proposal", "reviewer", "assignment", "review", "decision"});
}
// What only the State, evaluators and the reviewers concerned read: who reviews what, and how.
bool reviewing(std::string_view e) {
  return in(e, {"proposal", "review", "reviewer", "assignment", "decision"});
}

const std::string* text_field(const schema::Entity& e, const Row& row, std::string_view field) {
  const int i = schema::field_index(e, field);
  if (i < 0) return nullptr;
  return std::get_if<std::string>(&row[static_cast<size_t>(i)]);
}

Result<bool> exists(const QueryFn& s, const std::string& sql, const std::vector<Value>& params) {
  POLES_ASSIGN_OR_RETURN(auto rows, s(sql, params));
  return !rows.empty();
}

// The cluster a row belongs to directly (nullptr when it has none).
const std::string* direct_cluster(const schema::Entity& e, const Row& row) {
  if (e.name == "cluster") return text_field(e, row, "id");
  return text_field(e, row, "cluster_id");
}

// The project a row belongs to (project, project_event, participation, result, project_label).
const std::string* project_of(const schema::Entity& e, const Row& row) {
  if (e.name == "project") return text_field(e, row, "id");
  if (in(e.name, {"project_event", "participation", "result", "project_label"}))
    return text_field(e, row, "project_id");
  return nullptr;
}

Result<bool> project_labelled_by(const QueryFn& s, const std::string& project,
                                 const std::string& cluster) {
  POLES_ASSIGN_OR_RETURN(
      bool labelled,
      exists(s, "SELECT 1 FROM project_label WHERE project_id = ? AND cluster_id = ?",
             {project, cluster}));
  if (labelled) return true;
  // A project nobody has labelled yet (being created) may be written by whoever will label it.
  POLES_ASSIGN_OR_RETURN(bool any,
                         exists(s, "SELECT 1 FROM project_label WHERE project_id = ?", {project}));
  return !any;
}

Result<bool> project_in_region(const QueryFn& s, const std::string& project,
                               const std::string& region) {
  POLES_ASSIGN_OR_RETURN(bool inside,
                         exists(s,
                                "SELECT 1 FROM project_label l JOIN cluster c ON c.id = "
                                "l.cluster_id WHERE l.project_id = ? AND c.region = ?",
                                {project, region}));
  if (inside) return true;
  POLES_ASSIGN_OR_RETURN(bool any,
                         exists(s, "SELECT 1 FROM project_label WHERE project_id = ?", {project}));
  return !any;
}

Result<std::optional<std::string>> cluster_of_indirect(const QueryFn& s, const schema::Entity& e,
                                                       const Row& row) {
  std::string sql;
  const std::string* key = nullptr;
  if (e.name == "contract_target") {
    sql = "SELECT cluster_id FROM contract WHERE id = ?";
    key = text_field(e, row, "contract_id");
  } else if (e.name == "service_participant") {
    sql = "SELECT cluster_id FROM service WHERE id = ?";
    key = text_field(e, row, "service_id");
  }
  if (key == nullptr) return std::optional<std::string>();
  POLES_ASSIGN_OR_RETURN(auto rows, s(sql, {*key}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::get<std::string>(rows[0][0]));
}

Result<std::string> region_of_cluster(const QueryFn& s, const std::string& cluster) {
  POLES_ASSIGN_OR_RETURN(auto rows, s("SELECT region FROM cluster WHERE id = ?", {cluster}));
  return rows.empty() ? std::string() : std::get<std::string>(rows[0][0]);
}

Status denied(const User& u, const schema::Entity& e, std::string_view why) {
  return Status::permission_denied(fmt::format("{} '{}' ({} {}) may not write this {}: {}",
                                               role_name(u.role), u.name, scope_kind(u.role),
                                               u.scope, e.name, why));
}

}  // namespace

bool may(Role role, Action action, const schema::Entity& e) {
  const std::string_view n = e.name;
  switch (role) {
    case Role::kAdmin:
    case Role::kState:
      return true;
    case Role::kEvaluator:
      return action == Action::kRead || n == "assessment";
    case Role::kRegion:
      if (action == Action::kRead) return !confidential(n) && !reviewing(n);
      return !confidential(n) && !selection(n) && !in(n, {"employment", "assessment"});
    case Role::kClusterManager:
      if (action == Action::kRead) return !confidential(n) && !reviewing(n);
      return in(n, {"organisation", "membership", "project", "project_label", "project_event",
                    "participation", "result", "service", "service_participant", "diagnostic",
                    "cluster_budget"});
    case Role::kReviewer:
      if (action == Action::kRead) return in(n, {"call", "proposal", "assignment", "review"});
      return n == "review";
    case Role::kMember:
      if (action == Action::kRead)
        return !confidential(n) && !selection(n) && !in(n, {"assessment", "diagnostic"});
      return n == "organisation";
  }
  return false;
}

QueryFn query_on(store::Store& s) {
  return [&s](const std::string& sql, const std::vector<Value>& p) { return s.query(sql, p); };
}
QueryFn query_on(store::Transaction& tx) {
  return [&tx](const std::string& sql, const std::vector<Value>& p) { return tx.query(sql, p); };
}

bool may_manage_users(Role role) { return role == Role::kAdmin; }
bool may_import(Role role) { return role == Role::kAdmin || role == Role::kState; }
bool may_read_firm_aggregates(Role) { return true; }  // aggregates leave the app only after secrecy

Status check_row_write(const QueryFn& s, const User& u, const schema::Entity& e, const Row& row) {
  if (!may(u.role, Action::kWrite, e)) return denied(u, e, "the role does not write this entity");
  switch (u.role) {
    case Role::kAdmin:
    case Role::kState:
    case Role::kEvaluator:
      return Status::ok();
    case Role::kMember: {
      const auto* id = text_field(e, row, "id");
      if (id != nullptr && *id == u.scope) return Status::ok();
      return denied(u, e, "members write their own organisation only");
    }
    case Role::kReviewer: {
      const auto* r = text_field(e, row, "reviewer_id");
      if (r == nullptr || *r != u.scope)
        return denied(u, e, "reviewers write their own reviews only");
      const auto* p = text_field(e, row, "proposal_id");
      POLES_ASSIGN_OR_RETURN(
          bool assigned,
          exists(s, "SELECT 1 FROM assignment WHERE proposal_id = ? AND reviewer_id = ?",
                 {p ? *p : std::string(), u.scope}));
      return assigned ? Status::ok()
                      : denied(u, e, "the proposal is not assigned to this reviewer");
    }
    case Role::kClusterManager:
    case Role::kRegion:
      break;
  }
  const bool manager = u.role == Role::kClusterManager;
  // Does a cluster id belong to the scope?
  auto cluster_ok = [&](const std::string& cluster) -> Result<bool> {
    if (manager) return cluster == u.scope;
    POLES_ASSIGN_OR_RETURN(const std::string region, region_of_cluster(s, cluster));
    return region == u.scope;
  };
  if (e.name == "organisation") {
    const auto* id = text_field(e, row, "id");
    if (id == nullptr) return denied(u, e, "no id");
    POLES_ASSIGN_OR_RETURN(bool known, exists(s, "SELECT 1 FROM organisation WHERE id = ?", {*id}));
    if (!known) return Status::ok();  // new organisations may be recorded by any manager
    if (manager) {
      POLES_ASSIGN_OR_RETURN(
          bool member,
          exists(s, "SELECT 1 FROM membership WHERE organisation_id = ? AND cluster_id = ?",
                 {*id, u.scope}));
      return member ? Status::ok()
                    : denied(u, e, "the organisation is not a member of the cluster");
    }
    POLES_ASSIGN_OR_RETURN(
        bool inside,
        exists(s, "SELECT 1 FROM organisation WHERE id = ? AND region = ?", {*id, u.scope}));
    return inside ? Status::ok() : denied(u, e, "the organisation is outside the region");
  }
  if (const auto* project = project_of(e, row)) {
    if (e.name == "project_label") {
      const auto* cluster = text_field(e, row, "cluster_id");
      POLES_ASSIGN_OR_RETURN(bool ok, cluster_ok(cluster ? *cluster : std::string()));
      return ok ? Status::ok() : denied(u, e, "the label is another cluster's");
    }
    POLES_ASSIGN_OR_RETURN(bool ok, manager ? project_labelled_by(s, *project, u.scope)
                                            : project_in_region(s, *project, u.scope));
    return ok ? Status::ok()
              : denied(u, e, "the project is not labelled by a cluster of the scope");
  }
  if (const auto* cluster = direct_cluster(e, row)) {
    POLES_ASSIGN_OR_RETURN(bool ok, cluster_ok(*cluster));
    return ok ? Status::ok() : denied(u, e, "the cluster is outside the scope");
  }
  POLES_ASSIGN_OR_RETURN(auto indirect, cluster_of_indirect(s, e, row));
  if (indirect) {
    POLES_ASSIGN_OR_RETURN(bool ok, cluster_ok(*indirect));
    return ok ? Status::ok() : denied(u, e, "the cluster is outside the scope");
  }
  return denied(u, e, "the row is not attached to a cluster of the scope");
}

Result<bool> may_read_row(const QueryFn& s, const User& u, const schema::Entity& e,
                          const Row& row) {
  if (u.role != Role::kReviewer) return true;
  if (e.name == "review" || e.name == "assignment") {
    const auto* r = text_field(e, row, "reviewer_id");
    return r != nullptr && *r == u.scope;
  }
  if (e.name == "proposal") {
    // Assigned to them (or reviewed by them before assignments were recorded).
    const auto* id = text_field(e, row, "id");
    if (id == nullptr) return false;
    return exists(s,
                  "SELECT 1 FROM assignment WHERE proposal_id = ? AND reviewer_id = ? "
                  "UNION ALL SELECT 1 FROM review WHERE proposal_id = ? AND reviewer_id = ?",
                  {*id, u.scope, *id, u.scope});
  }
  return true;
}

}  // namespace poles::app
