// Support requests from the public portal (docs/portal.md, "Support requests"), as Place des
// Entreprises does: a firm, without an account, describes a need (name, SIREN, e-mail, region,
// theme, free text); the request is routed to the currently labelled cluster that fits (the one
// the firm chose, else the best match of region and theme); that cluster's manager sees it in an
// inbox, takes it, answers and closes it; the firm follows it through a tracking link.
//
// Read: the cluster manager of the cluster it was routed to, the region of that cluster, the
// State and administrators; update: that cluster manager, the State and administrators (who may
// also route it to another cluster). Others answer 404, as a missing request.
//
// Abuse: the form carries a stamp signed with the server's secret for the address that read it
// (no request younger than 3 seconds or older than a day: a form posted without being read; one
// request per stamp: StampLedger), a honeypot field (filled: the request is answered as received
// and not stored), bounded fields, plain text only; the route refuses cross-site posts and limits
// submissions per address, and in all only for requests about to be stored
// (http/routes/portal.cpp). Personal data is deleted a
// year after the request (purge_support, run at each submission and each inbox read).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/accounts.h"
#include "app/entities.h"
#include "core/status.h"
#include "core/typed_json.h"
#include "store/store.h"

namespace poles::app {

inline constexpr std::array<std::string_view, 4> kSupportStatuses = {"received", "taken",
                                                                     "answered", "closed"};
inline constexpr int kSupportKeepDays = 365;
inline constexpr size_t kSupportMaxNeed = 4000;   // bytes of the need, of an answer
inline constexpr size_t kSupportMaxName = 200;    // bytes of a name
inline constexpr size_t kSupportMaxEmail = 254;   // RFC 5321
inline constexpr int64_t kSupportMinSeconds = 3;  // a form read for less is a robot's
inline constexpr int64_t kSupportMaxSeconds = 86400;

// What the form sends (every field text, as posted).
struct SupportForm {
  std::string name, siren, email, need, region, theme, cluster;
  std::string website;  // the honeypot: hidden from people, filled by robots
  std::string stamp;    // support_stamp() of the form's page
  std::string client;   // the poster's address (throttle_address): the stamp is bound to it
};

// A field's error, in French and English (the form shows it beside the field).
struct SupportFieldError {
  std::string field, fr, en;
};

// A form checked: its errors, or what would be stored and where it would go.
struct SupportCheck {
  std::vector<SupportFieldError> errors;
  bool robot = false;  // the honeypot was filled: answer as if received, store nothing
  SupportForm form;    // trimmed, the SIREN without spaces
  std::optional<std::pair<std::string, std::string>> cluster;  // id, name; none: the State routes
};

struct SupportSubmission {
  std::string id;
  std::string tracking;  // the tracking link's secret (shown once: only its hash is kept)
};

// "<unix seconds>.<nonce>.<hex MAC>" of `now`, a random nonce and the client's address, keyed by
// the server's form key.
std::string support_stamp(const ServerKeys& k, int64_t now, std::string_view client);
// Whether a stamp is the server's for this client, between kSupportMinSeconds and
// kSupportMaxSeconds old.
bool support_stamp_ok(const ServerKeys& k, std::string_view stamp, int64_t now,
                      std::string_view client);

// The stamps already used (each sends one request): kept a day, at most `capacity`.
class StampLedger {
 public:
  explicit StampLedger(size_t capacity = 200000) : capacity_(capacity) {}
  // True the first time a stamp is seen; false when it was used, or the ledger is full.
  bool first_use(const std::string& stamp, int64_t now);

 private:
  size_t capacity_;
  std::mutex mu_;
  std::map<std::string, int64_t> used_;  // stamp -> when
};

// Checks the form (no write). `now`: unix seconds.
Result<SupportCheck> check_support(store::Store& s, const SupportForm& f, int64_t now);
// Stores a checked request (REQUIRES no errors, not a robot).
Result<SupportSubmission> store_support(store::Store& s, const SupportCheck& checked);

struct SupportRequest {
  std::string id;
  std::string status;
  std::string created_at;
  std::string name, siren, email, need;
  tj::Omittable<std::string> theme;
  std::string region;
  tj::Omittable<std::string> cluster_id, cluster_name;
  tj::Omittable<std::string> taken_at, answered_at, closed_at, answer, handled_by;
  std::string delete_after;
  tj::Omittable<double> hours_to_answer;  // from the request to the answer
  bool may_update = false;
};
POLES_JSON(SupportRequest, id, status, created_at, name, siren, email, need, theme, region,
           cluster_id, cluster_name, taken_at, answered_at, closed_at, answer, handled_by,
           delete_after, hours_to_answer, may_update)

struct SupportRequests {
  std::vector<SupportRequest> items;  // the newest first
  size_t received = 0, taken = 0, answered = 0, closed = 0;
  tj::Omittable<double> median_hours_to_answer;
};
POLES_JSON(SupportRequests, items, received, taken, answered, closed, median_hours_to_answer)

struct SupportUpdateBody {
  std::string status;                     // taken, answered, closed
  tj::Omittable<std::string> answer;      // required to answer
  tj::Omittable<std::string> cluster_id;  // State, administrators: route it to another cluster
};
POLES_JSON(SupportUpdateBody, status, answer, cluster_id)

// `status`: empty for every status.
Result<SupportRequests> list_support(store::Store& s, const User& u, const std::string& status);
Result<SupportRequest> get_support(store::Store& s, const User& u, const std::string& id);
Result<SupportRequest> update_support(store::Store& s, const User& u, const std::string& id,
                                      const SupportUpdateBody& b);

// What the tracking link shows: no name, e-mail or SIREN (a link can be forwarded).
struct SupportTracking {
  std::string status, created_at;
  std::optional<std::string> taken_at, answered_at, closed_at, answer, cluster_id, cluster_name;
  std::string need, delete_after;
};
// nullopt: no request has that tracking secret (or it was deleted).
Result<std::optional<SupportTracking>> track_support(store::Store& s, std::string_view tracking);

// The firm erases its request (and its personal data) through its tracking link: true when one
// was deleted.
Result<bool> erase_support(store::Store& s, std::string_view tracking);

// Deletes the requests whose delete_after has passed; the number deleted.
Result<size_t> purge_support(store::Store& s);

}  // namespace poles::app
