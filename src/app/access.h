// Who may read and write what, enforced from the policy table of app/policy.h (docs/access.md
// is generated from it). Two levels:
//  - by route: a role with no grant at all on an entity (or capability) for an operation gets
//    403 from the route guard (the HTTP route table carries these rules);
//  - by row: the grant's relationship (own cluster, cluster of own region, project owned by own
//    cluster, own organisation, assigned proposal, own assessment, published evaluation…) is
//    checked on the row: for reads on every row listed or fetched (an unreadable row is
//    reported as missing), for writes on the row before the change and on the row after it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/accounts.h"
#include "app/policy.h"
#include "core/schema.h"
#include "core/typed_json.h"
#include "store/store.h"

namespace poles::app {

enum class Action : uint8_t { kRead, kWrite };

// Route level: may this role read / write (create, update or delete) this entity at all?
bool may(Role role, Action action, const schema::Entity& e);
// Route level, one operation on an entity or a capability of the policy.
bool may(Role role, Op op, std::string_view entity_or_capability);
// The relations that grant an operation to a role (empty: refused).
std::vector<Relation> granted(Role role, std::string_view entity_or_capability, Op op);
// Named capabilities beyond entities.
bool may_manage_users(Role role);  // users, audit log
bool may_import(Role role);        // CSV import through the API
bool may_read_firm_aggregates(Role role);

// Runs a query where the check must see the data: inside the write's transaction, or on the
// store for reads.
using QueryFn = std::function<Result<std::vector<Row>>(const std::string& sql,
                                                       const std::vector<Value>& params)>;
QueryFn query_on(store::Store& s);
// A text cell of a row read with SQL: its text, or "" when null or not text.
std::string row_text(const Value& v);
// The same, or nothing when null or not text.
tj::Omittable<std::string> row_optional_text(const Value& v);
QueryFn query_on(store::Transaction& tx);
// The same queries, each answered once (for the checks of one list page).
QueryFn memoised(QueryFn q);

// The conflict detector for one (proposal, reviewer) pair: the conflict named, or none. The
// relation "assigned, not conflicted proposal" asks it at every read and write, so that a
// conflict that appears after the assignment (e.g. the reviewer's organisation becomes a
// partner of the applicant) withdraws the proposal from the reviewer. Without a detector the
// relation does not hold (refused, never granted unchecked).
using ConflictFn = std::function<Result<std::optional<std::string>>(const std::string& proposal,
                                                                    const std::string& reviewer)>;
// Whether a role's grants on an entity ask the conflict detector (the relation above).
bool needs_conflict_detector(Role role, std::string_view entity);

// Row level: may this user apply `op` to this row? `row` is the row as stored (update and
// delete: before the change) or as it is after the change (create and update), and `q` sees
// the store as it is at that moment. PermissionDenied with the reason when not.
Status check_row_write(const QueryFn& q, const User& user, const schema::Entity& e, Op op,
                       const Row& row, const ConflictFn& conflicts = nullptr);
// Field level (field_rules() of the policy): a field reserved to other roles must keep its
// stored value (`before`: the row as stored, null for a new row) or, on a new row, stay empty
// when the rule says so. PermissionDenied naming the first such field.
Status check_field_writes(const User& user, const schema::Entity& e, const Row* before,
                          const Row& after);
// The refusal of a write the account may not make, in the words check_row_write uses (also for
// a create whose key is held by a row the account may not read: the two look alike).
Status write_denied(const User& user, const schema::Entity& e, Op op);
// Row level for reads: false when the user may not see the row.
Result<bool> may_read_row(const QueryFn& q, const User& user, const schema::Entity& e,
                          const Row& row, const ConflictFn& conflicts = nullptr);
// Whether the caller reads a view of a region (a capability read by kAny, or by kOwnRegion for
// its own region).
bool may_read_region_view(const User& u, std::string_view capability, std::string_view region);
// The evaluation capability for one cluster and year: the State and evaluators always, a
// region or cluster manager for the clusters in its scope once the year is published.
Result<bool> may_read_evaluation(const QueryFn& q, const User& user, int year,
                                 const std::string& cluster);
// A capability of the policy read for one cluster (e.g. "cluster_trends"): granted by `any`,
// `own cluster` or `cluster of own region` (the cluster's stored region).
Result<bool> may_read_cluster_view(const QueryFn& q, const User& user, std::string_view capability,
                                   const std::string& cluster);
// Whether a year's evaluation is published.
Result<bool> evaluation_published(const QueryFn& q, int year);

// Whether the caller's account scope recorded the project (the account of its latest creation
// in the audit log has the caller's role and scope): only such a project, without a label, is
// taken by the caller's first label; one recorded by another scope or imported is labelled by
// the State.
Result<bool> project_recorded_by_scope(const QueryFn& q, const User& u, const std::string& project);

}  // namespace poles::app
