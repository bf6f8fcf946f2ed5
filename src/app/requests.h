// Requests to the owner of a row, instead of rights gained by creating link rows (issue #17):
//  - a co-label: a cluster asks to label a project that another cluster owns (the cluster that
//    labelled it first); the owner (its cluster manager, a region of it, or the State) accepts
//    or refuses;
//  - a change of master data: a cluster (or a region for one of its clusters) proposes changes to
//    the name, address, size… of one of its member organisations; the organisation's own member
//    account or the State accepts or refuses.
// Accepting applies the write as the accepting account, through exactly the checks of any write
// of that account (write_row: rights before and after, reserved fields, validation, audit):
// nobody gains a right by asking, and a request never writes what its decider could not.
// The requester withdraws a pending request. Requests are read by both sides (and the State);
// anyone else gets 404, as for a missing one. Their ids are random (no enumeration).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "core/status.h"
#include "core/typed_json.h"
#include "store/store.h"

namespace poles::app {

struct ChangeRequest {
  std::string id;
  std::string kind;        // "colabel" or "organisation"
  std::string status;      // "pending", "accepted", "refused" or "withdrawn"
  std::string target;      // the project (colabel) or the organisation concerned
  std::string cluster_id;  // the requesting cluster
  // The names a person reads: the project's acronym or the organisation's name; the cluster's.
  tj::Omittable<std::string> target_name, cluster_name;
  tj::Omittable<std::string> date;     // colabel: the label's date
  tj::Json changes;                    // organisation: field -> new value; colabel: {}
  tj::Omittable<std::string> comment;  // the requester's
  std::string requested_by, requested_at;
  tj::Omittable<std::string> decided_by, decided_at, answer;
  bool may_decide = false;  // the caller may accept or refuse it (pending only)
  // Who decided, as a role and scope (not sent): they keep reading it whoever owns the row later.
  std::string decided_role, decided_scope;
};
POLES_JSON(ChangeRequest, id, kind, status, target, target_name, cluster_id, cluster_name, date,
           changes, comment, requested_by, requested_at, decided_by, decided_at, answer, may_decide)

struct ChangeRequests {
  std::vector<ChangeRequest> items;  // newest first
};
POLES_JSON(ChangeRequests, items)

struct ColabelRequestBody {
  std::string project_id;
  tj::Omittable<std::string> cluster_id;  // the requesting cluster (a region must name it)
  tj::Omittable<std::string> date;        // the label's date (default: today)
  tj::Omittable<std::string> comment;
};
POLES_JSON(ColabelRequestBody, project_id, cluster_id, date, comment)

struct OrganisationRequestBody {
  std::string organisation_id;
  tj::Omittable<std::string> cluster_id;  // the requesting cluster (a region must name it)
  tj::Json changes;                       // field -> new value, e.g. {"name": "…"}
  tj::Omittable<std::string> comment;
};
POLES_JSON(OrganisationRequestBody, organisation_id, cluster_id, changes, comment)

struct RequestDecisionBody {
  tj::Omittable<std::string> answer;  // a word to the requester
};
POLES_JSON(RequestDecisionBody, answer)

Result<ChangeRequest> request_colabel(store::Store& s, const User& u, const ColabelRequestBody& b);
Result<ChangeRequest> request_organisation_change(store::Store& s, const User& u,
                                                  const OrganisationRequestBody& b);
// The requests the caller may read (made by its scope, or that it may decide), newest first;
// `status`: only those (empty: all).
Result<ChangeRequests> list_requests(store::Store& s, const User& u, const std::string& status);
// NotFound for a request the caller may not read.
Result<ChangeRequest> get_request(store::Store& s, const User& u, const std::string& id);
// Accepts (applying the write as `u`) or refuses a pending request; Conflict when it is not
// pending any more, PermissionDenied when `u` may read it but not decide it.
Result<ChangeRequest> decide_request(store::Store& s, const User& u, const std::string& id,
                                     bool accept, const RequestDecisionBody& b);
// The requester withdraws its pending request.
Result<ChangeRequest> withdraw_request(store::Store& s, const User& u, const std::string& id);

}  // namespace poles::app
