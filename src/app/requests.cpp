#include "app/requests.h"

#include <fmt/format.h>

#include "app/access.h"
#include "app/entities.h"
#include "core/date.h"
#include "core/schema.h"
#include "formats/json.h"

namespace poles::app {
namespace {

// With the names a person reads (the registry's, public): the project's acronym or the
// organisation's name, the requesting cluster's name.
constexpr std::string_view kColumns =
    "id, kind, status, target, cluster_id, label_date, changes, comment, requested_by, "
    "requested_at, decided_by, decided_at, answer, CASE WHEN kind = 'colabel' THEN (SELECT "
    "p.acronym FROM project p WHERE p.id = change_request.target) ELSE (SELECT o.name FROM "
    "organisation o WHERE o.id = change_request.target) END, (SELECT c.name FROM cluster c WHERE "
    "c.id = change_request.cluster_id), decided_role, decided_scope";

std::string text(const Value& v) { return row_text(v); }
tj::Omittable<std::string> optional_text(const Value& v) { return row_optional_text(v); }

ChangeRequest from_row(const Row& r) {
  ChangeRequest c;
  c.id = text(r[0]);
  c.kind = text(r[1]);
  c.status = text(r[2]);
  c.target = text(r[3]);
  c.cluster_id = text(r[4]);
  c.date = optional_text(r[5]);
  c.changes = tj::Json::parse(text(r[6]), nullptr, false);
  if (c.changes.is_discarded()) c.changes = tj::Json::object();
  c.comment = optional_text(r[7]);
  c.requested_by = text(r[8]);
  c.requested_at = text(r[9]);
  c.decided_by = optional_text(r[10]);
  c.decided_at = optional_text(r[11]);
  c.answer = optional_text(r[12]);
  c.target_name = optional_text(r[13]);
  c.cluster_name = optional_text(r[14]);
  c.decided_role = text(r[15]);
  c.decided_scope = text(r[16]);
  return c;
}

Value or_null(const tj::Omittable<std::string>& v) { return v ? Value(*v) : Value(); }

// Whether the cluster is in the caller's scope: its own cluster (manager), a cluster of its
// region (region).
Result<bool> in_scope(const QueryFn& q, const User& u, const std::string& cluster) {
  if (u.role == Role::kClusterManager) return cluster == u.scope;
  if (u.role != Role::kRegion) return false;
  POLES_ASSIGN_OR_RETURN(auto rows, q("SELECT region FROM cluster WHERE id = ?", {cluster}));
  return !rows.empty() && text(rows[0][0]) == u.scope;
}

// The cluster a request is made for: a cluster manager's own, or the one a region names.
Result<std::string> requesting_cluster(const QueryFn& q, const User& u,
                                       const tj::Omittable<std::string>& given) {
  if (u.role == Role::kClusterManager) {
    if (given && *given != u.scope)
      return Status::permission_denied(
          fmt::format("a cluster manager makes requests for its own cluster ('{}'), not for '{}'",
                      u.scope, *given));
    return u.scope;
  }
  if (u.role != Role::kRegion)
    return Status::permission_denied(
        "only a cluster manager or a region makes requests (others write directly, or not)");
  if (!given) return Status::invalid_argument("a region names the requesting cluster: cluster_id");
  POLES_ASSIGN_OR_RETURN(bool mine, in_scope(q, u, *given));
  if (!mine)
    return Status::permission_denied(
        fmt::format("the cluster '{}' is not one of the region {}'s", *given, u.scope));
  return *given;
}

const schema::Entity& entity(std::string_view name) { return *schema::find_entity(name); }

// The row a request writes when accepted: the label (colabel), the organisation as changed
// (organisation; null when the organisation is gone).
Result<std::optional<Row>> proposed_row(const QueryFn& q, const ChangeRequest& c) {
  if (c.kind == "colabel") {
    const tj::Json body{{"project_id", c.target},
                        {"cluster_id", c.cluster_id},
                        {"date", c.date ? *c.date : std::string()}};
    POLES_ASSIGN_OR_RETURN(
        Row row, formats::row_from_json(entity("project_label"), body, nullptr, "request"));
    return std::optional<Row>(std::move(row));
  }
  const auto& e = entity("organisation");
  std::string fields;
  for (const auto& f : e.fields)
    fields += (fields.empty() ? "" : ", ") + fmt::format("\"{}\"", f.name);
  POLES_ASSIGN_OR_RETURN(
      auto rows, q(fmt::format("SELECT {} FROM organisation WHERE id = ?", fields), {c.target}));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows[0]));
}

// Whether the caller may decide the request: it may make its write itself (the owner of the
// project for a co-label; the organisation's member account or the State for master data).
Result<bool> may_decide(const QueryFn& q, const User& u, const ChangeRequest& c) {
  if (u.role == Role::kClusterManager || u.role == Role::kRegion) {
    // Never one's own request (a region may own the project through another of its clusters).
    POLES_ASSIGN_OR_RETURN(bool requester, in_scope(q, u, c.cluster_id));
    if (requester && u.role == Role::kClusterManager) return false;
  }
  auto row = proposed_row(q, c);
  if (!row || !*row) return false;
  const Op op = c.kind == "colabel" ? Op::kCreate : Op::kUpdate;
  return check_row_write(q, u, entity(c.kind == "colabel" ? "project_label" : "organisation"), op,
                         **row)
      .is_ok();
}

// The requesting side and the State always; the deciding side while it is pending, then the
// account scope that decided it (not whoever owns the row later).
Result<bool> may_read(const QueryFn& q, const User& u, const ChangeRequest& c) {
  if (u.role == Role::kAdmin || u.role == Role::kState) return true;
  POLES_ASSIGN_OR_RETURN(bool requester, in_scope(q, u, c.cluster_id));
  if (requester) return true;
  if (c.status != "pending")
    return c.decided_role == role_name(u.role) && c.decided_scope == u.scope;
  return may_decide(q, u, c);
}

Result<std::optional<ChangeRequest>> load(const QueryFn& q, const std::string& id) {
  POLES_ASSIGN_OR_RETURN(
      auto rows, q(fmt::format("SELECT {} FROM change_request WHERE id = ?", kColumns), {id}));
  if (rows.empty()) return std::optional<ChangeRequest>();
  return std::optional<ChangeRequest>(from_row(rows[0]));
}

Status not_found(const std::string& id) {
  return Status::not_found(fmt::format("no request '{}'", id));
}

// The request as the caller reads it (with may_decide), or 404 when it may not read it.
Result<ChangeRequest> readable(const QueryFn& q, const User& u, const std::string& id) {
  POLES_ASSIGN_OR_RETURN(auto c, load(q, id));
  if (!c) return not_found(id);
  POLES_ASSIGN_OR_RETURN(bool ok, may_read(q, u, *c));
  if (!ok) return not_found(id);
  if (c->status == "pending") {
    POLES_ASSIGN_OR_RETURN(c->may_decide, may_decide(q, u, *c));
  }
  return *c;
}

Result<ChangeRequest> insert(store::Store& s, const User& u, ChangeRequest c) {
  c.id = "req-" + random_token().substr(0, 20);
  c.status = "pending";
  c.requested_by = u.name;
  c.requested_at = utc_timestamp_millis();
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute(
      "INSERT INTO change_request (id, kind, status, target, cluster_id, label_date, changes, "
      "comment, requested_by, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {c.id, c.kind, c.status, c.target, c.cluster_id, or_null(c.date), c.changes.dump(),
       or_null(c.comment), c.requested_by, c.requested_at}));
  store::AuditEntry a;
  a.at = c.requested_at;
  a.actor = u.name;
  a.action = "request";
  a.entity = "change_request";
  a.key = c.id;
  a.after = tj::to_json(c).dump();
  POLES_RETURN_IF_ERROR(tx->append_audit(a));
  POLES_RETURN_IF_ERROR(tx->commit());
  return readable(query_on(s), u, c.id);  // with the names
}

// Sets a pending request's outcome (only if still pending: Conflict otherwise).
Status close(store::Store& s, const User& u, const ChangeRequest& c, std::string_view status,
             const tj::Omittable<std::string>& answer) {
  const std::string at = utc_timestamp_millis();
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute(
      "UPDATE change_request SET status = ?, decided_by = ?, decided_at = ?, answer = ?, "
      "decided_role = ?, decided_scope = ? WHERE id = ? AND status = 'pending'",
      {std::string(status), u.name, at, or_null(answer), std::string(role_name(u.role)), u.scope,
       c.id}));
  if (tx->changes() == 0)
    return Status::conflict(fmt::format("the request '{}' is not pending any more", c.id));
  store::AuditEntry a;
  a.at = at;
  a.actor = u.name;
  a.action = std::string(status);
  a.entity = "change_request";
  a.key = c.id;
  a.before = tj::to_json(c).dump();
  POLES_RETURN_IF_ERROR(tx->append_audit(a));
  return tx->commit();
}

// Back to pending after an acceptance whose write the decider's rules refused.
Status reopen(store::Store& s, const std::string& id) {
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute(
      "UPDATE change_request SET status = 'pending', decided_by = NULL, decided_at = NULL, "
      "answer = NULL, decided_role = NULL, decided_scope = NULL WHERE id = ?",
      {id}));
  return tx->commit();
}

constexpr size_t kMaxText = 2000;     // a comment or an answer, in bytes
constexpr size_t kMaxChanges = 4000;  // the proposed changes, as JSON
constexpr size_t kMaxPending = 100;   // pending requests of one cluster

Status check_answer(const tj::Omittable<std::string>& text) {
  if (text && text->size() > kMaxText)
    return Status::invalid_argument(fmt::format(
        "a comment or an answer has at most {} bytes ({} given)", kMaxText, text->size()));
  return Status::ok();
}

Status check_quota(const QueryFn& q, const std::string& cluster) {
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      q("SELECT count(*) FROM change_request WHERE cluster_id = ? AND status = 'pending'",
        {cluster}));
  const auto* n = rows.empty() ? nullptr : std::get_if<int64_t>(&rows[0][0]);
  if (n != nullptr && static_cast<size_t>(*n) >= kMaxPending)
    return Status::resource_exhausted(
        fmt::format("the cluster '{}' has {} pending requests: wait for answers or withdraw some",
                    cluster, *n));
  return Status::ok();
}

// A co-label dated before the owner's first label would make its requester the owner: never a
// co-label, whoever accepts it (the State included).
Status check_not_first(const QueryFn& q, const ChangeRequest& c) {
  // The owner's label: the earliest date, then the cluster id in byte order (not ORDER BY,
  // which follows the collation on PostgreSQL: app::project_owner chooses the same way).
  POLES_ASSIGN_OR_RETURN(auto first, q("SELECT date, cluster_id FROM project_label WHERE "
                                       "project_id = ? AND date = (SELECT MIN(date) FROM "
                                       "project_label WHERE project_id = ?)",
                                       {c.target, c.target}));
  if (first.empty() || !c.date) return Status::ok();
  const std::string owner_date = formats::value_to_json(first[0][0]).dump();
  const std::string mine = tj::Json(*c.date).dump();
  std::string owner = text(first[0][1]);
  for (const auto& r : first) owner = std::min(owner, text(r[1]));
  if (mine < owner_date || (mine == owner_date && c.cluster_id < owner))
    return Status::conflict(fmt::format(
        "a co-label dated {} would come before the first label of the project '{}' ({} by "
        "'{}') and take the project from its owner: a co-label is dated on or after it",
        *c.date, c.target, formats::value_to_json(first[0][0]).get<std::string>(), owner));
  return Status::ok();
}

}  // namespace

Result<ChangeRequest> request_colabel(store::Store& s, const User& u, const ColabelRequestBody& b) {
  const QueryFn q = query_on(s);
  POLES_ASSIGN_OR_RETURN(const std::string cluster, requesting_cluster(q, u, b.cluster_id));
  POLES_ASSIGN_OR_RETURN(auto project, q("SELECT id FROM project WHERE id = ?", {b.project_id}));
  if (project.empty()) return Status::not_found(fmt::format("no project '{}'", b.project_id));
  POLES_ASSIGN_OR_RETURN(
      auto labels, q("SELECT cluster_id FROM project_label WHERE project_id = ?", {b.project_id}));
  if (labels.empty()) {
    // A project the caller's scope recorded is taken by its first label; another is labelled
    // by the State (see project_recorded_by_scope), which this request asks.
    POLES_ASSIGN_OR_RETURN(bool mine, project_recorded_by_scope(q, u, b.project_id));
    if (mine)
      return Status::conflict(fmt::format(
          "the project '{}' has no label yet and your scope recorded it: label it directly (it "
          "becomes the cluster's)",
          b.project_id));
  }
  for (const auto& l : labels) {
    if (text(l[0]) == cluster)
      return Status::conflict(
          fmt::format("the cluster '{}' labels the project '{}' already", cluster, b.project_id));
  }
  POLES_RETURN_IF_ERROR(check_answer(b.comment));
  ChangeRequest c;
  c.kind = "colabel";
  c.target = b.project_id;
  c.cluster_id = cluster;
  c.date = b.date ? *b.date : today_utc().to_string();
  c.changes = tj::Json::object();
  c.comment = b.comment;
  // The label must be a valid row (a date of the calendar…); its owner decides.
  POLES_ASSIGN_OR_RETURN(auto row, proposed_row(q, c));
  c.date = formats::value_to_json((*row)[2]).get<std::string>();  // as the row holds it
  POLES_RETURN_IF_ERROR(check_not_first(q, c));
  POLES_RETURN_IF_ERROR(check_quota(q, cluster));
  if (check_row_write(q, u, entity("project_label"), Op::kCreate, *row).is_ok())
    return Status::conflict(
        fmt::format("the project '{}' is owned by a cluster in your scope: add the label directly",
                    b.project_id));
  POLES_ASSIGN_OR_RETURN(
      auto pending,
      q("SELECT id FROM change_request WHERE kind = 'colabel' AND target = ? AND cluster_id = ? "
        "AND status = 'pending'",
        {b.project_id, cluster}));
  if (!pending.empty())
    return Status::conflict(
        fmt::format("a co-label request of '{}' for the project '{}' is "
                    "pending already ('{}')",
                    cluster, b.project_id, text(pending[0][0])));
  return insert(s, u, std::move(c));
}

Result<ChangeRequest> request_organisation_change(store::Store& s, const User& u,
                                                  const OrganisationRequestBody& b) {
  const QueryFn q = query_on(s);
  POLES_ASSIGN_OR_RETURN(const std::string cluster, requesting_cluster(q, u, b.cluster_id));
  POLES_RETURN_IF_ERROR(check_answer(b.comment));
  // A current member (the membership not ended).
  POLES_ASSIGN_OR_RETURN(auto member,
                         q("SELECT 1 FROM membership WHERE organisation_id = ? AND cluster_id = ? "
                           "AND (end_date IS NULL OR end_date >= ?)",
                           {b.organisation_id, cluster, today_utc().to_string()}));
  if (member.empty())
    return Status::not_found(
        fmt::format("no member organisation '{}' of the cluster '{}'", b.organisation_id, cluster));
  if (!b.changes.is_object() || b.changes.empty())
    return Status::invalid_argument("changes: an object of fields and their new values");
  if (b.changes.dump().size() > kMaxChanges)
    return Status::invalid_argument(fmt::format("changes: at most {} bytes of JSON", kMaxChanges));
  const auto& e = entity("organisation");
  for (const auto& [field, value] : b.changes.items()) {
    if (field == "id" || schema::field_index(e, field) < 0)
      return Status::invalid_argument(
          fmt::format("changes: '{}' is not a field of an organisation one may change", field));
    // Fields reserved to the State (the SIREN links a firm to its fiscal figures): not proposed
    // by a cluster; the State sets them from SIRENE.
    for (const auto& rule : field_rules()) {
      if (rule.entity == "organisation" && rule.field == field)
        return Status::invalid_argument(fmt::format(
            "changes: '{}' is the State's to write (from SIRENE), not proposed by a cluster",
            field));
    }
    // A firm's own figures, and the size class derived from them: the requester does not read
    // them, and the validation of a proposed value against the stored ones would tell them
    // (the size class a headcount and turnover give). The firm enters its own.
    if (field == "size_class" || !reads_field_on_every_row(u.role, "organisation", field))
      return Status::invalid_argument(fmt::format(
          "changes: '{}' is the firm's own figure, entered by the firm, not proposed by a cluster",
          field));
  }
  ChangeRequest c;
  c.kind = "organisation";
  c.target = b.organisation_id;
  c.cluster_id = cluster;
  c.changes = b.changes;
  c.comment = b.comment;
  // The organisation as changed must be a valid row (each value checked as a write would).
  POLES_ASSIGN_OR_RETURN(auto stored, proposed_row(q, c));
  if (!stored) return Status::not_found(fmt::format("no organisation '{}'", b.organisation_id));
  POLES_ASSIGN_OR_RETURN(Row changed, formats::row_from_json(e, b.changes, &*stored, "request"));
  // Its place (commune, zone) against the list of communes the store holds, as the write that
  // accepts it will check it: a request that could never be accepted is not filed.
  POLES_RETURN_IF_ERROR(complete_place(q, e, changed, &*stored));
  POLES_RETURN_IF_ERROR(check_quota(q, cluster));
  return insert(s, u, std::move(c));
}

Result<ChangeRequests> list_requests(store::Store& s, const User& u, const std::string& status) {
  const QueryFn q = memoised(query_on(s));
  std::string sql = fmt::format("SELECT {} FROM change_request", kColumns);
  std::vector<Value> params;
  if (!status.empty()) {
    if (status != "pending" && status != "accepted" && status != "refused" && status != "withdrawn")
      return Status::invalid_argument(fmt::format(
          "parameter 'status' ('{}') must be one of: pending, accepted, refused, withdrawn",
          status));
    sql += " WHERE status = ?";
    params.emplace_back(status);
  }
  sql += " ORDER BY requested_at DESC, id";
  POLES_ASSIGN_OR_RETURN(auto rows, q(sql, params));
  ChangeRequests out;
  for (const auto& r : rows) {
    ChangeRequest c = from_row(r);
    POLES_ASSIGN_OR_RETURN(bool ok, may_read(q, u, c));
    if (!ok) continue;
    if (c.status == "pending") {
      POLES_ASSIGN_OR_RETURN(c.may_decide, may_decide(q, u, c));
    }
    out.items.push_back(std::move(c));
  }
  return out;
}

Result<ChangeRequest> get_request(store::Store& s, const User& u, const std::string& id) {
  return readable(query_on(s), u, id);
}

Result<ChangeRequest> decide_request(store::Store& s, const User& u, const std::string& id,
                                     bool accept, const RequestDecisionBody& b) {
  POLES_ASSIGN_OR_RETURN(ChangeRequest c, readable(query_on(s), u, id));
  if (c.status != "pending")
    return Status::conflict(fmt::format("the request '{}' is {} already", id, c.status));
  if (!c.may_decide)
    return Status::permission_denied(fmt::format(
        "the request '{}' is decided by the owner of the row it would write, not by {} '{}'", id,
        role_name(u.role), u.name));
  POLES_RETURN_IF_ERROR(check_answer(b.answer));
  if (accept && c.kind == "colabel") POLES_RETURN_IF_ERROR(check_not_first(query_on(s), c));
  // The request is closed first (only if still pending): a withdrawal or another decision at
  // the same moment then finds it closed, and only the one that closed it writes.
  POLES_RETURN_IF_ERROR(close(s, u, c, accept ? "accepted" : "refused", b.answer));
  if (accept) {
    // The write, as the accepting account: every check of its own writes applies.
    Status written = Status::ok();
    if (c.kind == "colabel") {
      const tj::Json body{
          {"project_id", c.target}, {"cluster_id", c.cluster_id}, {"date", *c.date}};
      auto done = write_row(s, u, entity("project_label"), nullptr, body, WriteMode::kCreate, "");
      // Labelled meanwhile (by the owner directly): the request is fulfilled.
      if (!done && done.error().code() != ErrorCode::kConflict) written = done.error();
    } else {
      const auto& e = entity("organisation");
      const Row key{Value(c.target)};
      auto stored = get_row(s, u, e, key);
      written = stored
                    ? write_row(s, u, e, &key, c.changes, WriteMode::kMerge, stored->etag).status()
                    : stored.error();
    }
    if (!written.is_ok()) {
      // Refused by the decider's own rules: the request is pending again, unchanged.
      POLES_RETURN_IF_ERROR(reopen(s, c.id));
      return written;
    }
  }
  return readable(query_on(s), u, id);
}

Result<ChangeRequest> withdraw_request(store::Store& s, const User& u, const std::string& id) {
  const QueryFn q = query_on(s);
  POLES_ASSIGN_OR_RETURN(ChangeRequest c, readable(q, u, id));
  POLES_ASSIGN_OR_RETURN(bool requester, in_scope(q, u, c.cluster_id));
  if (!requester)
    return Status::permission_denied(
        fmt::format("the request '{}' is withdrawn by the requesting cluster only", id));
  POLES_RETURN_IF_ERROR(close(s, u, c, "withdrawn", {}));
  return readable(q, u, id);
}

}  // namespace poles::app
