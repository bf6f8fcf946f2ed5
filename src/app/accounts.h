// Accounts, roles, browser sessions and bearer tokens. Passwords are hashed with argon2id
// (libsodium's crypto_pwhash_str); session and API tokens are random 256-bit values of which
// only a BLAKE2b hash is stored.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
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
};

struct Session {
  User user;
  std::string csrf;  // empty for bearer tokens (no CSRF check needed)
};

struct NewSession {
  std::string token;  // to put in the cookie; only its hash is stored
  std::string csrf;
};

// Thread-compatible: each call takes the store to use (one per thread).
class Accounts {
 public:
  // Session lifetime; bearer tokens do not expire unless given a lifetime at creation.
  static constexpr int kSessionHours = 12;

  static Status add_user(store::Store& s, const std::string& name, const std::string& password,
                         Role role, const std::string& scope, const std::string& actor);
  static Result<std::vector<User>> list_users(store::Store& s);
  static Result<std::optional<User>> find_user(store::Store& s, const std::string& name);
  static Status set_disabled(store::Store& s, const std::string& name, bool disabled,
                             const std::string& actor);
  static Status reset_password(store::Store& s, const std::string& name,
                               const std::string& password, const std::string& actor);
  // The user when the password matches and the account is enabled; Unauthenticated otherwise
  // (the same message whatever was wrong).
  static Result<User> verify_password(store::Store& s, const std::string& name,
                                      const std::string& password);

  static Result<NewSession> create_session(store::Store& s, const User& user);
  static Result<std::optional<Session>> session(store::Store& s, const std::string& token);
  static Status end_session(store::Store& s, const std::string& token);
  static Result<std::string> create_token(store::Store& s, const User& user,
                                          const std::string& label);
  static Result<std::optional<Session>> token(store::Store& s, const std::string& token);
};

// Password rule: at least 10 characters.
std::optional<std::string> check_password(const std::string& password);
// Hex of 32 random bytes.
std::string random_token();
// Hex BLAKE2b-256 of a token.
std::string token_hash(std::string_view token);

}  // namespace poles::app
