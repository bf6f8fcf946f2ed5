// System and account routes: health, the OpenAPI document, login and logout, the caller's
// account, password and tokens, user administration and the audit log.
#include "app/accounts.h"

#include <fmt/format.h>
#include <sodium.h>

#include <chrono>
#include <map>

#include "app/access.h"
#include "http/openapi.h"
#include "http/router.h"
#include "http/services.h"

namespace poles::http {

namespace {

struct Health {
  std::string status;
  uint64_t data_version = 0;
  // When the data last changed (UTC); null before the first change the store recorded.
  std::optional<std::string> data_changed_at;
};
POLES_JSON(Health, status, data_version, data_changed_at)

// The process answers (liveness: no store is read).
struct Liveness {
  std::string status;
};
POLES_JSON(Liveness, status)

// An account as the API shows it (never its password hash).
struct UserView {
  std::string name;
  std::string role;
  std::string scope;
  bool disabled = false;
  std::optional<std::string> language;  // the account's choice; null: the request's language
};
POLES_JSON(UserView, name, role, scope, disabled, language)

UserView view_of(const app::User& u) {
  return {u.name, std::string(app::role_name(u.role)), u.scope, u.disabled,
          u.language.empty() ? std::nullopt : std::optional<std::string>(u.language)};
}

struct LanguageBody {
  std::optional<std::string> language;
};
POLES_JSON(LanguageBody, language)

struct LoginBody {
  std::string name;
  std::string password;
};
POLES_JSON(LoginBody, name, password)

struct SessionView {
  UserView user;
  std::string csrf;  // the token to send as X-CSRF-Token on writes with the session cookie
};
POLES_JSON(SessionView, user, csrf)

struct LoggedOut {
  bool logged_out = true;
};
POLES_JSON(LoggedOut, logged_out)

struct TokenBody {
  std::optional<std::string> label;
};
POLES_JSON(TokenBody, label)

struct NewToken {
  std::string token;     // the secret: shown this once, never again
  std::string token_id;  // by which it is listed and revoked
  std::string label;
};
POLES_JSON(NewToken, token, token_id, label)

// A bearer token as listed (never its secret).
struct TokenView {
  std::string token_id;
  std::string label;
  std::string created_at;
  std::optional<std::string> last_used_at;  // to the nearest five minutes; null: never used
  std::optional<std::string> expires_at;    // null: does not expire
};
POLES_JSON(TokenView, token_id, label, created_at, last_used_at, expires_at)

struct TokenList {
  std::string user;
  std::vector<TokenView> tokens;  // newest first
};
POLES_JSON(TokenList, user, tokens)

struct RevokedToken {
  std::string user;
  std::string token_id;
  bool revoked = true;
};
POLES_JSON(RevokedToken, user, token_id, revoked)

struct ChangePasswordBody {
  std::string current_password;
  std::string new_password;
};
POLES_JSON(ChangePasswordBody, current_password, new_password)

struct PasswordChanged {
  std::string name;
  bool changed = true;
};
POLES_JSON(PasswordChanged, name, changed)

struct RoleBody {
  std::string role;
  std::optional<std::string> scope;
};
POLES_JSON(RoleBody, role, scope)

struct UserList {
  std::vector<UserView> users;
};
POLES_JSON(UserList, users)

struct NewUserBody {
  std::string name;
  std::string password;
  std::string role;
  std::optional<std::string> scope;
};
POLES_JSON(NewUserBody, name, password, role, scope)

struct UserName {
  std::string name;
};
POLES_JSON(UserName, name)

struct Disabled {
  std::string name;
  bool disabled = true;
};
POLES_JSON(Disabled, name, disabled)

struct PasswordBody {
  std::string password;
};
POLES_JSON(PasswordBody, password)

struct AuditView {
  int64_t id = 0;
  std::string at;
  std::string actor;
  std::string action;
  std::string entity;
  std::string key;
  tj::Json before;  // the row before the change (null for a creation)
  tj::Json after;   // the row after the change (null for a deletion)
};
POLES_JSON(AuditView, id, at, actor, action, entity, key, before, after)

struct AuditList {
  std::vector<AuditView> entries;
};
POLES_JSON(AuditList, entries)

bool admin_only(app::Role r) { return app::may_manage_users(r); }

// The account's language, else the request's.
app::Lang lang_of(const Ctx& c) {
  if (c.session && !c.session->user.language.empty())
    return c.session->user.language == "fr" ? app::Lang::kFr : app::Lang::kEn;
  return app::lang_from_accept_language(c.req.header("Accept-Language"));
}

// Refusals as a 422 problem whose errors carry, beside the localised rule, a stable code.
void fail_refused(Ctx& c, const std::vector<app::Refusal>& refusals) {
  problem(c.res, app::refused(refusals, lang_of(c)));
  auto p = Json::parse(c.res.body, nullptr, false);
  if (p.is_discarded() || !p.contains("errors")) return;
  for (size_t i = 0; i < refusals.size() && i < p["errors"].size(); ++i)
    p["errors"][i]["code"] = refusals[i].code;
  c.res.body = p.dump();
}

Status bad_role(const std::string& role) {
  return Status::bad_input({FieldError{"request", 0, 0, "role", role,
                                       "must be one of admin, state, region, cluster_manager, "
                                       "evaluator, reviewer, member"}});
}

// The Set-Cookie value of the session cookie (empty token and 0 s: the cookie is removed).
// `Secure` when the deployment says so, and on any request that came over https through a
// trusted proxy.
std::string session_cookie(const Services& s, const Request& req, const std::string& token,
                           int64_t max_age) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", kSessionCookie,
                     token, max_age, s.config.secure_cookies || req.https ? "; Secure" : "");
}

// What the server reads at scrape time, beside its counters.
std::vector<Metrics::Sample> gauges(Services& s, store::Store& store) {
  std::vector<Metrics::Sample> out;
  auto add = [&out](std::string name, std::string help, std::string type, double value,
                    std::vector<std::pair<std::string, std::string>> labels = {}) {
    out.push_back(Metrics::Sample{std::move(name), std::move(help), std::move(type),
                                  std::move(labels), value});
  };
  add("poles_build_info", "The version of the running server", "gauge", 1,
      {{"version", POLES_VERSION_STRING}});
  static const double started =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  add("poles_process_start_time_seconds", "When the server started (Unix time)", "gauge", started);
  if (s.open_connections)
    add("poles_http_connections_open", "Connections open now", "gauge", s.open_connections());
  if (s.cache_size) {
    const auto [entries, bytes] = s.cache_size();
    add("poles_cache_entries", "Answers held by the cache of GET routes", "gauge",
        static_cast<double>(entries));
    add("poles_cache_bytes", "Bytes of those answers and their keys", "gauge",
        static_cast<double>(bytes));
  }
  if (auto jobs = s.jobs.counts()) {
    for (const auto& [state, n] : *jobs)
      add("poles_jobs", "Impact estimation jobs in the store (every server's), by state", "gauge",
          n, {{"state", state}});
  }
  if (s.store_notifications) {
    const auto [heard, listening] = s.store_notifications();
    add("poles_store_notifications_total",
        "New data versions the store announced (LISTEN/NOTIFY), by any server", "counter",
        static_cast<double>(heard));
    add("poles_store_listening", "Whether the server listens to the store's announcements", "gauge",
        listening ? 1 : 0);
  }
  const auto snap = s.snapshots.stats();
  add("poles_snapshot_loads_total", "Snapshots loaded from the store (a load follows each change)",
      "counter", static_cast<double>(snap.loads));
  add("poles_snapshot_load_seconds_total", "Seconds spent loading them", "counter",
      snap.load_seconds);
  const auto version = store.data_version();
  add("poles_store_up", "Whether the store answered this scrape", "gauge", version ? 1 : 0);
  if (version)
    add("poles_data_version", "The store's data version (moves with each change)", "gauge",
        static_cast<double>(*version));
  return out;
}

// Whether a request's body is declared JSON (Content-Type application/json, with or without
// parameters). A form of another site can send text/plain or a form encoding without a
// preflight, never application/json: requiring it stops a login CSRF (a victim's browser logged
// into the attacker's account).
bool declares_json(const Request& req) {
  std::string_view type = req.header("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  return iequals(type, "application/json");
}

// 429 with Retry-After for a throttled password check.
void fail_throttled(Ctx& c, int retry_after) {
  c.res.set_header("Retry-After", std::to_string(retry_after));
  c.fail(Status::resource_exhausted(fmt::format(
      "too many failed password checks from this address: retry in {} s", retry_after)));
}

TokenList token_list(const std::string& user, const std::vector<app::TokenInfo>& tokens) {
  TokenList out{user, {}};
  for (const auto& t : tokens)
    out.tokens.push_back({t.id, t.label, t.created_at, t.last_used_at, t.expires_at});
  return out;
}

}  // namespace

void add_system_routes(Router& r, Services& s) {
  r.get("/api/v1/health", "Liveness and the store's data version", "system")
      .anyone()
      .returns<Health>()
      .handle([](Ctx& c) {
        auto v = c.store->data_version();
        if (!v) return c.fail(v.error());
        auto at = c.store->data_changed_at();
        if (!at) return c.fail(at.error());
        c.reply(200, Health{"ok", *v, at->empty() ? std::nullopt : std::optional(*at)});
      });
  r.get("/api/v1/health/live", "Liveness: the process answers (no store is read)", "system")
      .anyone()
      .returns<Liveness>()
      .handle([](Ctx& c) { c.reply(200, Liveness{"ok"}); });
  r.get("/api/v1/health/ready",
        "Readiness: the store answers and the server is not stopping (503 otherwise)", "system")
      .anyone()
      .returns<Health>()
      .handle([&s](Ctx& c) {
        if (s.stopping) return problem(c.res, 503, "the server is stopping");
        auto v = c.store->data_version();
        if (!v) return problem(c.res, 503, "the store does not answer");
        c.reply(200, Health{"ready", *v, std::nullopt});
      });
  // Prometheus scrapes with `authorization: {credentials_file: …}`: the token of [metrics]; an
  // account's session or token is not read (sessionless), so no one logs in to read it.
  r.get("/metrics", "The server's metrics, Prometheus text format (the [metrics] token)", "system")
      .anyone()
      .sessionless()
      .returns_media(200, "text/plain", "Prometheus text exposition format 0.0.4")
      .handle([&s](Ctx& c) {
        const std::string& token = s.config.metrics_token;
        if (token.empty())
          return problem(c.res, 404, "the metrics are off: no [metrics] token is configured");
        const std::string_view auth = c.req.header("Authorization");
        const std::string_view given =
            auth.starts_with("Bearer ") ? auth.substr(7) : std::string_view();
        if (given.size() != token.size() ||
            sodium_memcmp(given.data(), token.data(), token.size()) != 0) {
          c.res.set_header("WWW-Authenticate", "Bearer");
          return problem(c.res, 401, "the metrics need the bearer token of [metrics]");
        }
        c.res.set(200, "text/plain; version=0.0.4; charset=utf-8",
                  s.metrics.render(gauges(s, *c.store)));
      });
  r.get("/api/v1/openapi.json", "This document", "system")
      .anyone()
      .returns_schema(200, openapi_answer_schema, "The OpenAPI 3.1 document")
      .handle([&s](Ctx& c) { c.res.set(200, "application/json", s.openapi); });
}

void add_account_routes(Router& r, Services& s) {
  r.post("/api/v1/login", "Log in with name and password; sets the session cookie", "accounts")
      .anyone()
      .takes<LoginBody>()
      .example({{"name", "marie.durand"}, {"password", "une phrase de passe longue"}})
      .returns<SessionView>()
      .handle([&s](Ctx& c) {
        if (!declares_json(c.req))
          return problem(c.res, 415, "the login needs Content-Type: application/json");
        auto body = c.body<LoginBody>();
        if (!body) return c.fail(body.error());
        // The check is reserved before it runs, so that parallel attempts cannot overrun the
        // allowance (app::LoginThrottle).
        const std::string addr = throttle_address(c.req.client);
        const auto d = s.logins.begin(*c.store, body->name, addr);
        if (!d.allowed) return fail_throttled(c, d.retry_after_seconds);
        auto user = app::Accounts::verify_password(*c.store, body->name, body->password);
        if (!user) {
          if (user.error().code() == ErrorCode::kUnauthenticated) {
            s.logins.failed(*c.store, body->name, addr);
          } else {
            s.logins.release(body->name, addr);
          }
          return c.fail(user.error());
        }
        s.logins.succeeded(*c.store, body->name, addr);
        // The access log names who logged in (the caller was anonymous until now).
        c.req.user = user->name;
        c.req.role = std::string(app::role_name(user->role));
        auto session = app::Accounts::create_session(*c.store, *user);
        if (!session) return c.fail(session.error());
        c.res.set_header(
            "Set-Cookie",
            session_cookie(s, c.req, session->token, int64_t{app::Accounts::kSessionHours} * 3600));
        c.reply(200, SessionView{view_of(*user), session->csrf});
      });
  r.post("/api/v1/logout", "End the session", "accounts")
      .authenticated()
      .returns<LoggedOut>()
      .handle([&s](Ctx& c) {
        const std::string cookie = c.req.cookie(kSessionCookie);
        if (!cookie.empty()) {
          if (auto st = app::Accounts::end_session(*c.store, cookie); !st.is_ok())
            return c.fail(st);
        }
        c.res.set_header("Set-Cookie", session_cookie(s, c.req, "", 0));
        c.reply(200, LoggedOut{});
      });
  r.get("/api/v1/me", "The caller's account (and the CSRF token of the session)", "accounts")
      .authenticated()
      .returns<SessionView>()
      .handle([](Ctx& c) {
        c.reply(200, SessionView{view_of(c.user()), c.session->csrf});
      });
  r.put("/api/v1/me/language",
        "The language of the messages the caller's account reads (fr, en; null: the request's "
        "Accept-Language)",
        "accounts")
      .authenticated()
      .takes<LanguageBody>()
      .example({{"language", "fr"}})
      .returns<UserView>()
      .handle([](Ctx& c) {
        auto body = c.body<LanguageBody>();
        if (!body) return c.fail(body.error());
        const std::string language = body->language.value_or("");
        auto st = app::Accounts::set_language(*c.store, c.user().name, language);
        if (!st.is_ok()) return c.fail(st);
        app::User u = c.user();
        u.language = language;
        c.res.language = language;
        c.reply(200, view_of(u));
      });
  r.post("/api/v1/tokens", "Create a bearer token for scripts", "accounts")
      .authenticated()
      .takes<TokenBody>()
      .example({{"label", "export nightly"}})
      .returns<NewToken>(201, "Created")
      .handle([](Ctx& c) {
        auto body = c.body<TokenBody>();
        if (!body) return c.fail(body.error());
        const std::string label = body->label.value_or("script");
        auto t = app::Accounts::issue_token(*c.store, c.user(), label);
        if (!t) return c.fail(t.error());
        c.reply(201, NewToken{t->token, t->id, label});
      });
  r.get("/api/v1/tokens", "The caller's bearer tokens (never their secret)", "accounts")
      .authenticated()
      .returns<TokenList>()
      .handle([](Ctx& c) {
        auto tokens = app::Accounts::list_tokens(*c.store, c.user().name);
        if (!tokens) return c.fail(tokens.error());
        c.reply(200, token_list(c.user().name, *tokens));
      });
  r.del("/api/v1/tokens/{id}", "Revoke one of the caller's bearer tokens", "accounts")
      .authenticated()
      .returns<RevokedToken>()
      .handle([](Ctx& c) {
        auto st = app::Accounts::revoke_token(*c.store, c.user().name, c.path[0], c.user().name);
        if (!st.is_ok()) return c.fail(st);
        c.reply(200, RevokedToken{c.user().name, c.path[0], true});
      });
  r.post("/api/v1/me/password",
         "Change one's own password (the current one is required); ends the other sessions and "
         "tokens",
         "accounts")
      .authenticated()
      .takes<ChangePasswordBody>()
      .example({{"current_password", "une phrase de passe longue"},
                {"new_password", "quatre mots sans rapport entre eux"}})
      .returns<PasswordChanged>()
      .handle([&s](Ctx& c) {
        auto body = c.body<ChangePasswordBody>();
        if (!body) return c.fail(body.error());
        const app::User& u = c.user();
        if (auto weak = app::check_password(
                body->new_password, std::vector<std::string>{u.name, u.scope}, "new_password");
            !weak.empty())
          return fail_refused(c, weak);
        // The current password is a guess like a login's: throttled the same way.
        const std::string addr = throttle_address(c.req.client);
        const auto d = s.logins.begin(*c.store, u.name, addr);
        if (!d.allowed) return fail_throttled(c, d.retry_after_seconds);
        auto st = app::Accounts::change_password(*c.store, *c.session, body->current_password,
                                                 body->new_password, lang_of(c));
        if (st.code() == ErrorCode::kUnauthenticated) {
          s.logins.failed(*c.store, u.name, addr);
          return c.fail(Status::unauthenticated("the current password is wrong"));
        }
        s.logins.release(u.name, addr);
        if (!st.is_ok()) return c.fail(st);
        c.reply(200, PasswordChanged{u.name, true});
      });
  r.get("/api/v1/users", "List accounts", "admin")
      .roles(admin_only)
      .returns<UserList>()
      .handle([](Ctx& c) {
        auto users = app::Accounts::list_users(*c.store);
        if (!users) return c.fail(users.error());
        UserList out;
        for (const auto& u : *users) out.users.push_back(view_of(u));
        c.reply(200, out);
      });
  r.post("/api/v1/users", "Create an account", "admin")
      .roles(admin_only)
      .takes<NewUserBody>()
      .example({{"name", "region-ara"},
                {"password", "une phrase de passe longue"},
                {"role", "region"},
                {"scope", "84"}})
      .returns<UserName>(201, "Created")
      .handle([](Ctx& c) {
        auto body = c.body<NewUserBody>();
        if (!body) return c.fail(body.error());
        const auto role = app::parse_role(body->role);
        if (!role) return c.fail(bad_role(body->role));
        const std::string scope = body->scope.value_or("");
        auto refusals =
            app::Accounts::check_new_user(*c.store, body->name, body->password, *role, scope);
        if (!refusals) return c.fail(refusals.error());
        if (!refusals->empty()) return fail_refused(c, *refusals);
        auto st = app::Accounts::add_user(*c.store, body->name, body->password, *role, scope,
                                          c.user().name, lang_of(c));
        if (!st.is_ok()) return c.fail(st);
        c.reply(201, UserName{body->name});
      });
  r.post("/api/v1/users/{name}/role",
         "Change an account's role and scope (the scope must name an existing region, cluster, "
         "reviewer or organisation)",
         "admin")
      .roles(admin_only)
      .takes<RoleBody>()
      .example({{"role", "cluster_manager"}, {"scope", "demo-aero-76-01"}})
      .returns<UserView>()
      .handle([](Ctx& c) {
        auto body = c.body<RoleBody>();
        if (!body) return c.fail(body.error());
        const auto role = app::parse_role(body->role);
        if (!role) return c.fail(bad_role(body->role));
        const std::string scope = body->scope.value_or("");
        auto refusals = app::check_scope(*c.store, *role, scope);
        if (!refusals) return c.fail(refusals.error());
        if (!refusals->empty()) return fail_refused(c, *refusals);
        auto st =
            app::Accounts::set_role(*c.store, c.path[0], *role, scope, c.user().name, lang_of(c));
        if (!st.is_ok()) return c.fail(st);
        auto u = app::Accounts::find_user(*c.store, c.path[0]);
        if (!u) return c.fail(u.error());
        if (!*u) return c.fail(Status::not_found(fmt::format("no user '{}'", c.path[0])));
        c.reply(200, view_of(**u));
      });
  r.get("/api/v1/users/{name}/tokens", "An account's bearer tokens (never their secret)", "admin")
      .roles(admin_only)
      .returns<TokenList>()
      .handle([](Ctx& c) {
        auto tokens = app::Accounts::list_tokens(*c.store, c.path[0]);
        if (!tokens) return c.fail(tokens.error());
        c.reply(200, token_list(c.path[0], *tokens));
      });
  r.del("/api/v1/users/{name}/tokens/{id}", "Revoke one bearer token of an account", "admin")
      .roles(admin_only)
      .returns<RevokedToken>()
      .handle([](Ctx& c) {
        auto st = app::Accounts::revoke_token(*c.store, c.path[0], c.path[1], c.user().name);
        if (!st.is_ok()) return c.fail(st);
        c.reply(200, RevokedToken{c.path[0], c.path[1], true});
      });
  r.post("/api/v1/users/{name}/disable", "Disable an account (ends its sessions and tokens)",
         "admin")
      .roles(admin_only)
      .returns<Disabled>()
      .handle([](Ctx& c) {
        auto st = app::Accounts::set_disabled(*c.store, c.path[0], true, c.user().name);
        if (!st.is_ok()) return c.fail(st);
        c.reply(200, Disabled{c.path[0], true});
      });
  r.post("/api/v1/users/{name}/password",
         "Set a new password (ends the account's sessions and revokes its tokens)", "admin")
      .roles(admin_only)
      .takes<PasswordBody>()
      .returns<UserName>()
      .handle([](Ctx& c) {
        auto body = c.body<PasswordBody>();
        if (!body) return c.fail(body.error());
        auto user = app::Accounts::find_user(*c.store, c.path[0]);
        if (!user) return c.fail(user.error());
        if (*user) {
          if (auto weak = app::check_password(
                  body->password, std::vector<std::string>{(*user)->name, (*user)->scope});
              !weak.empty())
            return fail_refused(c, weak);
        }
        auto st = app::Accounts::reset_password(*c.store, c.path[0], body->password, c.user().name,
                                                lang_of(c));
        if (!st.is_ok()) return c.fail(st);
        c.reply(200, UserName{c.path[0]});
      });
  r.get("/api/v1/audit", "The audit log of every write", "admin")
      .roles(admin_only)
      .params({app::integer_param("after", "Entries after this id", 0, 2147483647, "0"),
               app::integer_param("limit", "Entries at most", 1, 1000, "100")})
      .returns<AuditList>()
      .handle([](Ctx& c) {
        auto entries = c.store->audit(c.args.integer("after"), c.args.integer("limit"));
        if (!entries) return c.fail(entries.error());
        AuditList out;
        for (const auto& a : *entries) {
          auto parse = [](const std::string& t) {
            return t.empty() ? tj::Json(nullptr) : tj::Json::parse(t, nullptr, false);
          };
          out.entries.push_back(AuditView{a.id, a.at, a.actor, a.action, a.entity, a.key,
                                          parse(a.before), parse(a.after)});
        }
        c.reply(200, out);
      });
}

}  // namespace poles::http
