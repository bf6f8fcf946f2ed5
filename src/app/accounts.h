// Accounts, roles, browser sessions and bearer tokens. Passwords are hashed with argon2id
// (libsodium's crypto_pwhash_str) and must pass the password policy (zxcvbn, see
// check_password); session and API tokens are random 256-bit values of which only a BLAKE2b
// hash is stored. Bearer tokens have a public id by which they are listed and revoked; their
// secret is shown once, at creation. A reset, a disable or a change of password ends sessions
// and tokens. LoginThrottle slows password guessing without letting anyone lock an account out.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace poles::app {

// Who may do what is decided by app/access.h from the role and its scope.
enum class Role : uint8_t {
  kAdmin,
  kState,
  kRegion,
  kClusterManager,
  kEvaluator,
  kReviewer,
  kMember
};
inline constexpr std::array<std::string_view, 7> kRoleNames = {
    "admin", "state", "region", "cluster_manager", "evaluator", "reviewer", "member"};
std::optional<Role> parse_role(std::string_view name);
std::string_view role_name(Role r);
// What the scope of a role names: a region code, a cluster id, a reviewer id, an organisation id.
std::string_view scope_kind(Role r);  // "" when the role has no scope

struct User {
  std::string name;
  Role role = Role::kMember;
  std::string scope;
  bool disabled = false;
  // The language the account chose for the messages it reads ("fr", "en"; empty: the request's).
  std::string language = {};
};

struct Session {
  User user;
  std::string csrf;  // empty for bearer tokens (no CSRF check needed)
  // Which credential the caller used: the id of its bearer token, or the hash of its session
  // token (what a change of password keeps while ending the others).
  std::string token_id;
  std::string session_hash;
};

struct NewSession {
  std::string token;  // to put in the cookie; only its hash is stored
  std::string csrf;
};

// A bearer token as it is listed: never its secret.
struct TokenInfo {
  std::string id;  // public id (16 hex digits), by which it is revoked
  std::string label;
  std::string created_at;                   // ISO 8601 UTC
  std::optional<std::string> last_used_at;  // to the nearest few minutes; null: never used
  std::optional<std::string> expires_at;    // null: does not expire
};

struct IssuedToken {
  std::string id;
  std::string token;  // the secret, shown once
};

// The language of a message to a person. The API takes it from Accept-Language, the CLI from
// the locale ($LC_ALL, $LC_MESSAGES, $LANG); English unless French is asked for.
enum class Lang : uint8_t { kEn, kFr };
// "fr-FR,fr;q=0.9,en;q=0.8" -> kFr: the first of fr/en by q-value (ties: the order given).
Lang lang_from_accept_language(std::string_view header);
// "fr_FR.UTF-8" -> kFr.
Lang lang_from_locale(std::string_view locale);

// Why a value was refused, for a person: a stable code (for programs and translations), the
// field and value concerned, and the reason in French and in English.
struct Refusal {
  std::string field;
  std::string value;  // empty for a password (never echoed)
  std::string code;   // e.g. "password.common", "scope.unknown"
  std::string fr;
  std::string en;
  const std::string& text(Lang l) const { return l == Lang::kFr ? fr : en; }
};
// Refusals as bad input (422 on the API), each with its reason in `lang`.
Status refused(const std::vector<Refusal>& refusals, Lang lang);

// Thread-compatible: each call takes the store to use (one per thread).
class Accounts {
 public:
  // Session lifetime; bearer tokens do not expire unless given a lifetime at creation.
  static constexpr int kSessionHours = 12;

  // Refuses (bad input, every reason at once) a bad name, a password the policy refuses, and a
  // scope that names no existing region, cluster, reviewer or organisation.
  static Status add_user(store::Store& s, const std::string& name, const std::string& password,
                         Role role, const std::string& scope, const std::string& actor,
                         Lang lang = Lang::kEn);
  // The reasons add_user would refuse these (empty when none): name, password, scope.
  static Result<std::vector<Refusal>> check_new_user(store::Store& s, const std::string& name,
                                                     const std::string& password, Role role,
                                                     const std::string& scope);
  // Changes the role and scope of an account, checked as add_user checks them. Sessions and
  // tokens stay: every request reads the account's current role and scope.
  static Status set_role(store::Store& s, const std::string& name, Role role,
                         const std::string& scope, const std::string& actor, Lang lang = Lang::kEn);
  static Result<std::vector<User>> list_users(store::Store& s);
  static Result<std::optional<User>> find_user(store::Store& s, const std::string& name);
  // The language of the messages the account reads: "fr", "en", or "" (the request's).
  static Status set_language(store::Store& s, const std::string& name, const std::string& language);
  // Disabling ends every session and revokes every token of the account.
  static Status set_disabled(store::Store& s, const std::string& name, bool disabled,
                             const std::string& actor);
  // A new password set by an administrator: ends every session and revokes every token.
  static Status reset_password(store::Store& s, const std::string& name,
                               const std::string& password, const std::string& actor,
                               Lang lang = Lang::kEn);
  // The user's own change: Unauthenticated unless `current` is the password; the new one must
  // pass the policy. Ends every other session and revokes every other token (the credential of
  // `caller` is kept, so that the caller stays logged in).
  static Status change_password(store::Store& s, const Session& caller, const std::string& current,
                                const std::string& next, Lang lang = Lang::kEn);

  // The user when the password matches and the account is enabled; Unauthenticated otherwise
  // (the same message whatever was wrong).
  static Result<User> verify_password(store::Store& s, const std::string& name,
                                      const std::string& password);

  static Result<NewSession> create_session(store::Store& s, const User& user);
  static Result<std::optional<Session>> session(store::Store& s, const std::string& token);
  static Status end_session(store::Store& s, const std::string& token);
  // A new bearer token's secret (see issue_token).
  static Result<std::string> create_token(store::Store& s, const User& user,
                                          const std::string& label);
  static Result<IssuedToken> issue_token(store::Store& s, const User& user,
                                         const std::string& label);
  // The session of a bearer token; records its use (at most every few minutes).
  static Result<std::optional<Session>> token(store::Store& s, const std::string& token);
  // The tokens of an account, newest first (those of the same second by label; NotFound for an
  // unknown account).
  static Result<std::vector<TokenInfo>> list_tokens(store::Store& s, const std::string& name);
  // Revokes one token of the account (NotFound when the account has no token of that id).
  static Status revoke_token(store::Store& s, const std::string& name, const std::string& id,
                             const std::string& actor);
};

// The password policy. A password is refused when it is shorter than kMinPasswordChars
// characters, longer than kMaxPasswordBytes bytes, or when zxcvbn estimates that it falls
// within 10^10 guesses (zxcvbn's best score, 4): common passwords and words, keyboard runs,
// sequences, repetitions, dates, and the account's own name or scope (`personal`). The reasons
// name the patterns found. Empty when the password is accepted.
inline constexpr size_t kMinPasswordChars = 10;
inline constexpr size_t kMaxPasswordBytes = 1024;
inline constexpr double kMinPasswordBits = 33.2;  // log2(10^10)
std::vector<Refusal> check_password(const std::string& password,
                                    std::span<const std::string> personal = {},
                                    const std::string& field = "password");
// The scope a role needs, checked against the store: a region code of the INSEE list, or the id
// of an existing cluster, reviewer or organisation. Empty when fine.
Result<std::vector<Refusal>> check_scope(store::Store& s, Role role, const std::string& scope);

// Throttles password checks (login, change of password) by client address and by account,
// with exponential backoff and no hard lock. Three counters of failures, each with a free
// allowance after which every further check waits base·2^(n − free) seconds (capped) after the
// previous one:
//  - the pair (account, address): `free_per_pair` failures (the usual limit: an address that
//    keeps failing on an account is slowed on that account);
//  - the address, all accounts together: `free_per_address` (spraying many accounts);
//  - the account, from addresses that never logged into it successfully: `free_per_account`
//    (many addresses guessing one account). An address that logged into the account before is
//    never held back by others' failures, so no one can lock the owner out; a new address is at
//    worst slowed by the capped backoff.
// A check is reserved before it runs (begin) and counts as a failure until it ends, so that
// concurrent attempts cannot overrun the allowance. Counters are forgotten after `forget`.
// Thread-safe.
class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  struct Options {
    int free_per_pair = 5;
    int free_per_address = 20;
    int free_per_account = 20;
    double base_seconds = 1;
    double max_seconds = 900;
    std::chrono::seconds forget{3600};
    size_t max_entries = 100000;
  };
  explicit LoginThrottle(Options o) : o_(o) {}

  struct Decision {
    bool allowed = false;
    int retry_after_seconds = 0;  // when not allowed: whole seconds to wait, at least 1
  };
  // Reserves one check. When allowed, the caller must report its outcome with succeeded() or
  // failed() with the same account and address.
  Decision begin(const std::string& account, const std::string& address,
                 Clock::time_point now = Clock::now());
  void succeeded(const std::string& account, const std::string& address,
                 Clock::time_point now = Clock::now());
  void failed(const std::string& account, const std::string& address,
              Clock::time_point now = Clock::now());
  // The check did not happen after all (e.g. the request was refused before it): forgets it.
  void release(const std::string& account, const std::string& address);
  // Another server's outcome of a check (SharedLogins), which ended at `at`: counted as this
  // server's own would be, without a reservation.
  void absorb(const std::string& account, const std::string& address, bool failed,
              Clock::time_point at);

 private:
  struct Counter {
    int failures = 0;
    int pending = 0;
    int account_pending = 0;  // of a pair: its checks that were counted on the account too
    Clock::time_point last{};
  };
  // Ends one reserved check of the pair; true when it was counted on the account too.
  bool end_check(const std::string& account, const std::string& address);
  double wait_for(const Counter& c, int free, Clock::time_point now) const;
  void sweep(Clock::time_point now);
  bool known(const std::string& account, const std::string& address) const;
  void clear_pair(const std::string& pair);
  // Notes that the address logged into the account (the last 16 addresses per account).
  void remember(const std::string& account, const std::string& address, Clock::time_point at);

  Options o_;
  std::mutex mu_;
  std::map<std::string, Counter> pairs_, addresses_, accounts_;
  // Addresses that logged into an account, with when (the last few per account).
  std::map<std::string, std::map<std::string, Clock::time_point>> known_;
  Clock::time_point swept_{};
};
// The throttle of the servers that share one store: each server keeps its LoginThrottle, records
// the outcome of its checks in the store (table login_event, with the database's clock) and, before
// each check, applies the outcomes the other servers recorded since. Failures and known addresses
// thus hold across servers; only the reservations of checks still running stay per server (two
// servers may each start checks at the same instant). Each pull reads the events numbered after
// the last one read, and those of the last half minute again (one numbered lower may commit
// later). Events are kept as long as the throttle remembers (an hour).
// When the store cannot be read or written, the throttle goes on with what this server knows.
class SharedLogins {
 public:
  explicit SharedLogins(LoginThrottle::Options o);
  LoginThrottle::Decision begin(store::Store& s, const std::string& account,
                                const std::string& address);
  void succeeded(store::Store& s, const std::string& account, const std::string& address);
  void failed(store::Store& s, const std::string& account, const std::string& address);
  void release(const std::string& account, const std::string& address);
  const std::string& server() const { return server_; }

 private:
  void pull(store::Store& s);
  void record(store::Store& s, const std::string& account, const std::string& address, bool failed);

  LoginThrottle throttle_;
  const std::chrono::seconds forget_;  // events older than the throttle's memory are not read
  const std::string server_;           // this server's name in login_event: random
  std::mutex mu_;                      // guards what follows
  int64_t seen_ = 0;                   // the highest event read
  // Events applied lately (read again by each pull), with when they happened.
  std::map<int64_t, LoginThrottle::Clock::time_point> recent_;
  LoginThrottle::Clock::time_point pruned_{};
};

// Hex of 32 random bytes.
std::string random_token();
// Hex BLAKE2b-256 of a token.
std::string token_hash(std::string_view token);

}  // namespace poles::app
