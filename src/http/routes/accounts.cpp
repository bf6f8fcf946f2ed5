// System and account routes: health, the OpenAPI document, login and logout, the caller's
// account and tokens, user administration and the audit log.
#include "app/accounts.h"

#include <fmt/format.h>

#include "app/access.h"
#include "http/router.h"
#include "http/services.h"

namespace poles::http {

namespace {

struct Health {
  std::string status;
  uint64_t data_version = 0;
};
POLES_JSON(Health, status, data_version)

// An account as the API shows it (never its password hash).
struct UserView {
  std::string name;
  std::string role;
  std::string scope;
  bool disabled = false;
};
POLES_JSON(UserView, name, role, scope, disabled)

UserView view_of(const app::User& u) {
  return {u.name, std::string(app::role_name(u.role)), u.scope, u.disabled};
}

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
  std::string token;
};
POLES_JSON(NewToken, token)

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

}  // namespace

void add_system_routes(Router& r, Services& s) {
  r.get("/api/v1/health", "Liveness and the store's data version", "system")
      .anyone()
      .returns<Health>()
      .handle([](Ctx& c) {
        auto v = c.store->data_version();
        if (!v) return c.fail(v.error());
        c.reply(200, Health{"ok", *v});
      });
  r.get("/api/v1/openapi.json", "This document", "system")
      .anyone()
      .returns_schema(
          200,
          [](tj::Schemas&) {
            return tj::Json{{"type", "object"},
                            {"required", {"openapi", "paths"}},
                            {"properties",
                             {{"openapi", {{"type", "string"}}}, {"paths", {{"type", "object"}}}}}};
          },
          "The OpenAPI 3.1 document")
      .handle([&s](Ctx& c) { c.res.set(200, "application/json", s.openapi); });
}

void add_account_routes(Router& r, Services& s) {
  r.post("/api/v1/login", "Log in with name and password; sets the session cookie", "accounts")
      .anyone()
      .takes<LoginBody>()
      .example({{"name", "marie.durand"}, {"password", "une phrase de passe longue"}})
      .returns<SessionView>()
      .handle([&s](Ctx& c) {
        auto body = c.body<LoginBody>();
        if (!body) return c.fail(body.error());
        const std::string by_name = "name:" + body->name, by_addr = "addr:" + c.req.client;
        if (s.logins.blocked(by_name) || s.logins.blocked(by_addr)) {
          c.res.set_header("Retry-After", "60");
          return c.fail(Status::resource_exhausted("too many failed logins: wait a minute"));
        }
        auto user = app::Accounts::verify_password(*c.store, body->name, body->password);
        if (!user) {
          s.logins.failed(by_name);
          s.logins.failed(by_addr);
          return c.fail(user.error());
        }
        auto session = app::Accounts::create_session(*c.store, *user);
        if (!session) return c.fail(session.error());
        c.res.set_header(
            "Set-Cookie",
            fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}", kSessionCookie,
                        session->token, app::Accounts::kSessionHours * 3600));
        c.reply(200, SessionView{view_of(*user), session->csrf});
      });
  r.post("/api/v1/logout", "End the session", "accounts")
      .authenticated()
      .returns<LoggedOut>()
      .handle([](Ctx& c) {
        const std::string cookie = c.req.cookie(kSessionCookie);
        if (!cookie.empty()) {
          if (auto st = app::Accounts::end_session(*c.store, cookie); !st.is_ok())
            return c.fail(st);
        }
        c.res.set_header(
            "Set-Cookie",
            fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kSessionCookie));
        c.reply(200, LoggedOut{});
      });
  r.get("/api/v1/me", "The caller's account (and the CSRF token of the session)", "accounts")
      .authenticated()
      .returns<SessionView>()
      .handle([](Ctx& c) {
        c.reply(200, SessionView{view_of(c.user()), c.session->csrf});
      });
  r.post("/api/v1/tokens", "Create a bearer token for scripts", "accounts")
      .authenticated()
      .takes<TokenBody>()
      .example({{"label", "export nightly"}})
      .returns<NewToken>(201, "Created")
      .handle([](Ctx& c) {
        auto body = c.body<TokenBody>();
        if (!body) return c.fail(body.error());
        auto t = app::Accounts::create_token(*c.store, c.user(), body->label.value_or("script"));
        if (!t) return c.fail(t.error());
        c.reply(201, NewToken{*t});
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
        if (!role) {
          return c.fail(
              Status::bad_input({FieldError{"request", 0, 0, "role", body->role,
                                            "must be one of admin, state, region, cluster_manager, "
                                            "evaluator, reviewer, member"}}));
        }
        auto st = app::Accounts::add_user(*c.store, body->name, body->password, *role,
                                          body->scope.value_or(""), c.user().name);
        if (!st.is_ok()) return c.fail(st);
        c.reply(201, UserName{body->name});
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
  r.post("/api/v1/users/{name}/password", "Set a new password", "admin")
      .roles(admin_only)
      .takes<PasswordBody>()
      .returns<UserName>()
      .handle([](Ctx& c) {
        auto body = c.body<PasswordBody>();
        if (!body) return c.fail(body.error());
        auto st = app::Accounts::reset_password(*c.store, c.path[0], body->password, c.user().name);
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
