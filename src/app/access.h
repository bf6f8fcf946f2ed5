// Who may read and write what. Two levels:
//  - by route: a role may or may not call it at all (403 otherwise); the HTTP route table
//    carries these rules and the authorisation test calls every route as every role;
//  - by row: a scoped role (region, cluster manager, reviewer, member) may only write, and
//    for some entities only read, the rows of its scope.
// The policy, in short (docs/api.md has the table):
//  - admin: everything, including users and the audit log;
//  - state: every entity, read and write;
//  - evaluator: reads every entity, writes assessments;
//  - region: reads the registry, writes rows of clusters (and organisations) of its region;
//  - cluster_manager: reads the registry, writes its cluster's members, projects, services,
//    diagnostics (and organisations that are its members or new);
//  - reviewer: reads calls, the proposals assigned to it (assignment rows), its own assignments
//    and reviews; writes reviews of the proposals assigned to it;
//  - member: reads the registry, writes its own organisation.
// Firm-level microdata (firm_year) and the demo's truths are read by admin, state, evaluator.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "app/accounts.h"
#include "core/schema.h"
#include "store/store.h"

namespace poles::app {

enum class Action : uint8_t { kRead, kWrite };

// Route level: may this role read / write this entity at all?
bool may(Role role, Action action, const schema::Entity& e);
// Named capabilities beyond entities.
bool may_manage_users(Role role);  // users, audit log
bool may_import(Role role);        // CSV import through the API
bool may_read_firm_aggregates(Role role);

// Runs a query where the check must see the data: inside the write's transaction, or on the
// store for reads.
using QueryFn = std::function<Result<std::vector<Row>>(const std::string& sql,
                                                       const std::vector<Value>& params)>;
QueryFn query_on(store::Store& s);
QueryFn query_on(store::Transaction& tx);

// Row level: may this user write this row (the row as it would be after the write, or as it
// is for a delete)? Looks up related rows (a project's labels, a service's cluster…) in the
// store. PermissionDenied with the reason when not.
Status check_row_write(const QueryFn& q, const User& user, const schema::Entity& e, const Row& row);
// Row level for reads: false when the user may not see the row (reviewers: unassigned
// proposals, others' assignments and reviews).
Result<bool> may_read_row(const QueryFn& q, const User& user, const schema::Entity& e,
                          const Row& row);

}  // namespace poles::app
