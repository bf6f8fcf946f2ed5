#include "app/accounts.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sodium.h>

#include <chrono>
#include <stdexcept>

#include "core/date.h"
#include "core/validate.h"

namespace poles::app {

namespace {

void ensure_sodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium could not be initialised");
}

std::string to_hex(const unsigned char* data, size_t n) {
  std::vector<char> buf(n * 2 + 1);
  sodium_bin2hex(buf.data(), buf.size(), data, n);
  return std::string(buf.data(), n * 2);
}

std::string hash_password(const std::string& password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

std::string iso_after_hours(int hours) {
  const auto t = std::chrono::system_clock::now() + std::chrono::hours(hours);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(t)));
}

Status audit(store::Transaction& tx, const std::string& actor, const std::string& action,
             const std::string& key, const std::string& after) {
  store::AuditEntry a;
  a.at = utc_timestamp();
  a.actor = actor;
  a.action = action;
  a.entity = "user";
  a.key = key;
  a.after = after;
  return tx.append_audit(a);
}

User user_from(const Row& r) {
  User u;
  u.name = std::get<std::string>(r[0]);
  u.role = parse_role(std::get<std::string>(r[1])).value_or(Role::kMember);
  u.scope = is_null(r[2]) ? std::string() : std::get<std::string>(r[2]);
  u.disabled = std::get<int64_t>(r[3]) != 0;
  return u;
}

}  // namespace

std::optional<Role> parse_role(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return std::nullopt;
}
std::string_view role_name(Role r) { return kRoleNames[static_cast<size_t>(r)]; }
std::string_view scope_kind(Role r) {
  switch (r) {
    case Role::kRegion:
      return "region";
    case Role::kClusterManager:
      return "cluster";
    case Role::kReviewer:
      return "reviewer";
    case Role::kMember:
      return "organisation";
    default:
      return "";
  }
}

std::optional<std::string> check_password(const std::string& password) {
  if (password.size() < 10) return std::string("password must have at least 10 characters");
  return std::nullopt;
}

std::string random_token() {
  ensure_sodium();
  unsigned char buf[32];
  randombytes_buf(buf, sizeof buf);
  return to_hex(buf, sizeof buf);
}

std::string token_hash(std::string_view token) {
  ensure_sodium();
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return to_hex(out, sizeof out);
}

Status Accounts::add_user(store::Store& s, const std::string& name, const std::string& password,
                          Role role, const std::string& scope, const std::string& actor) {
  if (auto e = validate::slug(name))
    return Status::invalid_argument(fmt::format("user name '{}': {}", name, *e));
  if (auto e = check_password(password)) return Status::invalid_argument(*e);
  const auto kind = scope_kind(role);
  if (!kind.empty() && scope.empty()) {
    return Status::invalid_argument(
        fmt::format("role {} needs a scope ({})", role_name(role), kind));
  }
  if (kind.empty() && !scope.empty()) {
    return Status::invalid_argument(fmt::format("role {} takes no scope", role_name(role)));
  }
  POLES_ASSIGN_OR_RETURN(auto existing, find_user(s, name));
  if (existing) return Status::conflict(fmt::format("user '{}' already exists", name));
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(
      tx->execute("INSERT INTO app_user (name, password_hash, role, scope, disabled, created_at) "
                  "VALUES (?, ?, ?, ?, 0, ?)",
                  {name, hash_password(password), std::string(role_name(role)),
                   scope.empty() ? Value() : Value(scope), utc_timestamp()}));
  POLES_RETURN_IF_ERROR(
      audit(*tx, actor, "user.add", name,
            fmt::format(R"({{"role":"{}","scope":"{}"}})", role_name(role), scope)));
  return tx->commit();
}

Result<std::vector<User>> Accounts::list_users(store::Store& s) {
  POLES_ASSIGN_OR_RETURN(
      auto rows, s.query("SELECT name, role, scope, disabled FROM app_user ORDER BY name", {}));
  std::vector<User> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(user_from(r));
  return out;
}

Result<std::optional<User>> Accounts::find_user(store::Store& s, const std::string& name) {
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      s.query("SELECT name, role, scope, disabled FROM app_user WHERE name = ?", {name}));
  if (rows.empty()) return std::optional<User>();
  return std::optional<User>(user_from(rows[0]));
}

Status Accounts::set_disabled(store::Store& s, const std::string& name, bool disabled,
                              const std::string& actor) {
  POLES_ASSIGN_OR_RETURN(auto existing, find_user(s, name));
  if (!existing) return Status::not_found(fmt::format("no user '{}'", name));
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute("UPDATE app_user SET disabled = ? WHERE name = ?",
                                    {int64_t{disabled ? 1 : 0}, name}));
  if (disabled) {
    POLES_RETURN_IF_ERROR(tx->execute("DELETE FROM session WHERE user_name = ?", {name}));
    POLES_RETURN_IF_ERROR(tx->execute("DELETE FROM api_token WHERE user_name = ?", {name}));
  }
  POLES_RETURN_IF_ERROR(audit(*tx, actor, disabled ? "user.disable" : "user.enable", name, ""));
  return tx->commit();
}

Status Accounts::reset_password(store::Store& s, const std::string& name,
                                const std::string& password, const std::string& actor) {
  if (auto e = check_password(password)) return Status::invalid_argument(*e);
  POLES_ASSIGN_OR_RETURN(auto existing, find_user(s, name));
  if (!existing) return Status::not_found(fmt::format("no user '{}'", name));
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute("UPDATE app_user SET password_hash = ? WHERE name = ?",
                                    {hash_password(password), name}));
  POLES_RETURN_IF_ERROR(tx->execute("DELETE FROM session WHERE user_name = ?", {name}));
  POLES_RETURN_IF_ERROR(audit(*tx, actor, "user.reset_password", name, ""));
  return tx->commit();
}

Result<User> Accounts::verify_password(store::Store& s, const std::string& name,
                                       const std::string& password) {
  ensure_sodium();
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      s.query("SELECT name, role, scope, disabled, password_hash FROM app_user WHERE name = ?",
              {name}));
  const Status denied = Status::unauthenticated("unknown user or wrong password");
  if (rows.empty()) {
    // Spend the same time as a real check, so timing does not tell which names exist.
    (void)hash_password(password);
    return denied;
  }
  const auto& hash = std::get<std::string>(rows[0][4]);
  if (crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) != 0) return denied;
  User u = user_from(rows[0]);
  if (u.disabled) return denied;
  return u;
}

Result<NewSession> Accounts::create_session(store::Store& s, const User& user) {
  NewSession out{random_token(), random_token()};
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(
      tx->execute("INSERT INTO session (token_hash, user_name, csrf, created_at, expires_at) "
                  "VALUES (?, ?, ?, ?, ?)",
                  {token_hash(out.token), user.name, out.csrf, utc_timestamp(),
                   iso_after_hours(kSessionHours)}));
  POLES_RETURN_IF_ERROR(audit(*tx, user.name, "login", user.name, ""));
  POLES_RETURN_IF_ERROR(tx->commit());
  return out;
}

Result<std::optional<Session>> Accounts::session(store::Store& s, const std::string& token) {
  POLES_ASSIGN_OR_RETURN(auto rows,
                         s.query("SELECT u.name, u.role, u.scope, u.disabled, s.csrf FROM session "
                                 "s JOIN app_user u ON u.name = s.user_name "
                                 "WHERE s.token_hash = ? AND s.expires_at > ?",
                                 {token_hash(token), utc_timestamp()}));
  if (rows.empty()) return std::optional<Session>();
  Session out{user_from(rows[0]), std::get<std::string>(rows[0][4])};
  if (out.user.disabled) return std::optional<Session>();
  return std::optional<Session>(std::move(out));
}

Status Accounts::end_session(store::Store& s, const std::string& token) {
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(
      tx->execute("DELETE FROM session WHERE token_hash = ?", {token_hash(token)}));
  return tx->commit();
}

Result<std::string> Accounts::create_token(store::Store& s, const User& user,
                                           const std::string& label) {
  const std::string t = random_token();
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute(
      "INSERT INTO api_token (token_hash, user_name, label, created_at) VALUES (?, ?, ?, ?)",
      {token_hash(t), user.name, label, utc_timestamp()}));
  POLES_RETURN_IF_ERROR(audit(*tx, user.name, "token.create", user.name, ""));
  POLES_RETURN_IF_ERROR(tx->commit());
  return t;
}

Result<std::optional<Session>> Accounts::token(store::Store& s, const std::string& token) {
  POLES_ASSIGN_OR_RETURN(
      auto rows, s.query("SELECT u.name, u.role, u.scope, u.disabled FROM api_token t JOIN "
                         "app_user u ON u.name = t.user_name "
                         "WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)",
                         {token_hash(token), utc_timestamp()}));
  if (rows.empty()) return std::optional<Session>();
  Session out{user_from(rows[0]), ""};
  if (out.user.disabled) return std::optional<Session>();
  return std::optional<Session>(std::move(out));
}

}  // namespace poles::app
