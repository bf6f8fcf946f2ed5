#include "http/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <unordered_map>

#include "app/access.h"
#include "app/entities.h"
#include "app/evaluate.h"
#include "app/factory.h"
#include "app/impact.h"
#include "app/jobs.h"
#include "app/network.h"
#include "app/select.h"
#include "app/stats.h"
#include "app/store_pool.h"
#include "formats/json.h"
#include "impact/frame.h"
#include "import/importer.h"
#include "network/export.h"
#include "report/impact_report.h"
#include "report/pdf.h"
#include "report/sector_sheet.h"
#include "snapshot/loader.h"

namespace poles::http {

using Json = nlohmann::ordered_json;

namespace {

constexpr const char* kCookie = "poles_session";

std::string problem_type(ErrorCode c) {
  switch (c) {
    case ErrorCode::kInvalidArgument:
      return "bad-input";
    case ErrorCode::kNotFound:
      return "not-found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kPreconditionFailed:
      return "precondition-failed";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kPermissionDenied:
      return "forbidden";
    case ErrorCode::kResourceExhausted:
      return "too-many";
    case ErrorCode::kUnavailable:
      return "unavailable";
    default:
      return "internal";
  }
}

const char* title_of(int status) {
  switch (status) {
    case 400:
      return "Bad request";
    case 401:
      return "Authentication required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not found";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition failed";
    case 413:
      return "Payload too large";
    case 422:
      return "Invalid data";
    case 428:
      return "Precondition required";
    case 429:
      return "Too many requests";
    case 503:
      return "Service unavailable";
    default:
      return "Internal error";
  }
}

void send_json(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void send_problem(httplib::Response& res, const Status& s, int status_override = 0) {
  int status = status_override ? status_override : http_status(s.code());
  // A body that is well-formed but breaks rules (field errors) is 422; any other bad argument
  // (malformed JSON, a bad filter or cursor) is 400.
  if (!status_override && s.code() == ErrorCode::kInvalidArgument && s.field_errors().empty())
    status = 400;
  Json p{{"type", "https://poles.invalid/problems/" + problem_type(s.code())},
         {"title", title_of(status)},
         {"status", status},
         {"detail", s.message()}};
  if (!s.field_errors().empty()) {
    Json errs = Json::array();
    for (const auto& fe : s.field_errors()) {
      Json e{{"field", fe.field}, {"value", fe.value}, {"rule", fe.rule}, {"message", fe.format()}};
      if (!fe.file.empty()) e["file"] = fe.file;
      if (fe.line > 0) e["line"] = fe.line;
      if (fe.column > 0) e["column"] = fe.column;
      errs.push_back(std::move(e));
    }
    p["errors"] = std::move(errs);
  }
  res.status = status;
  res.set_content(p.dump(), "application/problem+json");
}

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  std::istringstream in(header);
  std::string part;
  while (std::getline(in, part, ';')) {
    const auto b = part.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    part = part.substr(b);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
  }
  return {};
}

#define POLES_ASSIGN_OR_RETURN_VOID(lhs, expr, res) \
  POLES_ASSIGN_OR_RETURN_VOID_IMPL(POLES_CONCAT(poles_http_, __LINE__), lhs, expr, res)
#define POLES_ASSIGN_OR_RETURN_VOID_IMPL(tmp, lhs, expr, res)  \
  auto tmp = (expr);                                           \
  if (!tmp.has_value()) return send_problem(res, tmp.error()); \
  lhs = std::move(tmp).value()

bool unsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// Path template -> regex ("/api/v1/x/{id}" -> "/api/v1/x/([^/]+)").
std::string to_regex(const std::string& path) {
  static const std::regex param(R"(\{[^}]+\})");
  return std::regex_replace(path, param, "([^/]+)");
}

}  // namespace

struct Request {
  const httplib::Request& req;
  httplib::Response& res;
  std::vector<std::string> params;  // path parameters, in order
  std::optional<app::Session> session;
  app::StorePool::Lease& store;
};
using HandlerFn = std::function<void(Request&)>;

struct Route {
  RouteInfo info;
  HandlerFn handler;
};

struct Server::Impl {
  Config config;
  std::unique_ptr<app::StorePool> pool;
  snapshot::Cache snapshots;
  app::NetworkCache networks;
  app::Jobs jobs;
  std::atomic<uint64_t> pdf_counter{0};  // names of the temporary PDF files
  std::vector<Route> routes;
  std::vector<RouteInfo> infos;
  httplib::Server http;
  std::atomic<bool> bound{false};
  std::string openapi_text;

  // Login failures, per "name:..." and "addr:..." key: times of recent failures.
  std::mutex login_mu;
  std::unordered_map<std::string, std::deque<std::chrono::steady_clock::time_point>> failures;

  // Response cache of GET routes: key -> (data version, body, content type).
  struct Cached {
    uint64_t version;
    std::string body;
    std::string type;
  };
  std::mutex cache_mu;
  std::unordered_map<std::string, Cached> cache;

  void add(RouteInfo info, HandlerFn fn) { routes.push_back({std::move(info), std::move(fn)}); }
  void build_routes();
  void install();
  Result<snapshot::SnapshotPtr> snapshot(store::Store& s) { return snapshots.get(s); }
  bool login_blocked(const std::string& key);
  void login_failed(const std::string& key);
  // Serves a GET from the cache when the data has not changed since it was computed.
  bool serve_cached(Request& r, uint64_t version);
  void remember(Request& r, uint64_t version);
};

bool Server::Impl::login_blocked(const std::string& key) {
  std::lock_guard lock(login_mu);
  auto& q = failures[key];
  const auto now = std::chrono::steady_clock::now();
  while (!q.empty() && now - q.front() > std::chrono::minutes(1)) q.pop_front();
  return static_cast<int>(q.size()) >= config.login_attempts;
}

void Server::Impl::login_failed(const std::string& key) {
  std::lock_guard lock(login_mu);
  failures[key].push_back(std::chrono::steady_clock::now());
}

namespace {
std::string cache_key(const Request& r) {
  std::string k = r.req.path + "?";
  for (const auto& [name, value] : r.req.params) k += name + "=" + value + "&";
  if (r.session)
    k += "#" + std::string(app::role_name(r.session->user.role)) + ":" + r.session->user.scope;
  return k;
}
}  // namespace

bool Server::Impl::serve_cached(Request& r, uint64_t version) {
  std::lock_guard lock(cache_mu);
  auto it = cache.find(cache_key(r));
  if (it == cache.end() || it->second.version != version) return false;
  r.res.status = 200;
  r.res.set_content(it->second.body, it->second.type.c_str());
  r.res.set_header("X-Cache", "hit");
  return true;
}

void Server::Impl::remember(Request& r, uint64_t version) {
  if (r.res.status != 200) return;
  std::lock_guard lock(cache_mu);
  if (cache.size() > 10000) cache.clear();
  cache[cache_key(r)] = Cached{version, r.res.body, r.res.get_header_value("Content-Type")};
}

void Server::Impl::install() {
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unexpected error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        send_problem(res, Status::internal(what));
      });
  http.set_payload_max_length(config.max_body_bytes);
  http.set_keep_alive_max_count(1000);
  http.set_tcp_nodelay(true);  // headers and body go out in separate writes: no Nagle stall
  http.set_read_timeout(config.timeout_seconds, 0);
  http.set_write_timeout(config.timeout_seconds, 0);
  const int threads = config.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                            {"Referrer-Policy", "same-origin"},
                            {"X-Frame-Options", "DENY"},
                            {"Content-Security-Policy",
                             "default-src 'self'; img-src 'self' data:; style-src 'self' "
                             "'unsafe-inline'; frame-ancestors 'none'"}});
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413) {
      send_problem(res, Status::resource_exhausted("the request body is too large"));
      res.status = 413;
    } else if (res.status == 404) {
      send_problem(res, Status::not_found(fmt::format("no route for {} {}", req.method, req.path)));
    }
  });
  if (!config.web_root.empty()) {
    // The dashboard: web/ as it is (ES modules; npm packages under /node_modules).
    for (const auto& [ext, type] :
         std::vector<std::pair<std::string, std::string>>{{"js", "text/javascript"},
                                                          {"mjs", "text/javascript"},
                                                          {"css", "text/css"},
                                                          {"html", "text/html; charset=utf-8"},
                                                          {"svg", "image/svg+xml"},
                                                          {"json", "application/json"},
                                                          {"map", "application/json"}}) {
      http.set_file_extension_and_mimetype_mapping(ext, type);
    }
    http.set_mount_point("/", config.web_root);
  }
  for (size_t i = 0; i < routes.size(); ++i) {
    const Route* route = &routes[i];
    auto handler = [this, route](const httplib::Request& req, httplib::Response& res) {
      auto lease = pool->lease();
      Request r{req, res, {}, std::nullopt, lease};
      for (size_t m = 1; m < req.matches.size(); ++m) r.params.push_back(req.matches[m].str());
      // Who is calling: a bearer token, or a session cookie (with a CSRF token on writes).
      const std::string auth = req.get_header_value("Authorization");
      if (auth.rfind("Bearer ", 0) == 0) {
        auto s = app::Accounts::token(*lease, auth.substr(7));
        if (!s) return send_problem(res, s.error());
        r.session = *s;
      } else if (const std::string cookie = cookie_value(req, kCookie); !cookie.empty()) {
        auto s = app::Accounts::session(*lease, cookie);
        if (!s) return send_problem(res, s.error());
        r.session = *s;
        if (r.session && unsafe(req.method) &&
            req.get_header_value("X-CSRF-Token") != r.session->csrf) {
          return send_problem(res,
                              Status::permission_denied("missing or wrong X-CSRF-Token header"));
        }
      }
      const RouteInfo& info = route->info;
      if (info.guard != Guard::kPublic && !r.session) {
        return send_problem(res, Status::unauthenticated("log in, or send a bearer token"));
      }
      if (info.guard == Guard::kRoles && !info.allowed(r.session->user.role)) {
        return send_problem(
            res, Status::permission_denied(fmt::format("the {} role may not {} {}",
                                                       app::role_name(r.session->user.role),
                                                       info.method, info.path)));
      }
      route->handler(r);
    };
    const std::string pattern = to_regex(route->info.path);
    const std::string& m = route->info.method;
    if (m == "GET") http.Get(pattern, handler);
    if (m == "POST") http.Post(pattern, handler);
    if (m == "PUT") http.Put(pattern, handler);
    if (m == "PATCH") http.Patch(pattern, handler);
    if (m == "DELETE") http.Delete(pattern, handler);
  }
}

namespace {

int int_param(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  try {
    return std::stoi(req.get_param_value(name));
  } catch (...) {
    return fallback;
  }
}

Result<nlohmann::json> parse_body(const httplib::Request& req) {
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded()) return Status::invalid_argument("the body is not valid JSON");
  return j;
}

Json user_json(const app::User& u) {
  return Json{{"name", u.name},
              {"role", app::role_name(u.role)},
              {"scope", u.scope},
              {"disabled", u.disabled}};
}

void send_row(Request& r, const schema::Entity& e, const app::Item& item, int status) {
  r.res.set_header("ETag", item.etag);
  send_json(r.res, status, formats::row_to_json(e, item.row));
}

std::function<bool(app::Role)> roles_may(app::Action a, const schema::Entity& e) {
  return [a, &e](app::Role role) { return app::may(role, a, e); };
}

}  // namespace

void Server::Impl::build_routes() {
  using app::Role;
  auto admin_only = [](Role r) { return app::may_manage_users(r); };

  add({"GET",
       "/api/v1/health",
       "Liveness and the store's data version",
       "system",
       Guard::kPublic,
       {},
       ""},
      [](Request& r) {
        auto v = r.store->data_version();
        if (!v) return send_problem(r.res, v.error());
        send_json(r.res, 200, Json{{"status", "ok"}, {"data_version", *v}});
      });
  add({"GET", "/api/v1/openapi.json", "This document", "system", Guard::kPublic, {}, ""},
      [this](Request& r) {
        r.res.status = 200;
        r.res.set_content(openapi_text, "application/json");
      });

  // --- accounts -----------------------------------------------------------------------------
  add({"POST",
       "/api/v1/login",
       "Log in with name and password; sets the session cookie",
       "accounts",
       Guard::kPublic,
       {},
       ""},
      [this](Request& r) {
        POLES_ASSIGN_OR_RETURN_VOID(auto body, parse_body(r.req), r.res);
        const std::string name = body.value("name", ""), password = body.value("password", "");
        const std::string by_name = "name:" + name, by_addr = "addr:" + r.req.remote_addr;
        if (login_blocked(by_name) || login_blocked(by_addr)) {
          r.res.set_header("Retry-After", "60");
          return send_problem(r.res,
                              Status::resource_exhausted("too many failed logins: wait a minute"));
        }
        auto user = app::Accounts::verify_password(*r.store, name, password);
        if (!user) {
          login_failed(by_name);
          login_failed(by_addr);
          return send_problem(r.res, user.error());
        }
        auto s = app::Accounts::create_session(*r.store, *user);
        if (!s) return send_problem(r.res, s.error());
        r.res.set_header("Set-Cookie",
                         fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
                                     kCookie, s->token, app::Accounts::kSessionHours * 3600));
        send_json(r.res, 200, Json{{"user", user_json(*user)}, {"csrf", s->csrf}});
      });
  add({"POST", "/api/v1/logout", "End the session", "accounts", Guard::kAuthenticated, {}, ""},
      [](Request& r) {
        const std::string cookie = cookie_value(r.req, kCookie);
        if (!cookie.empty()) {
          if (auto st = app::Accounts::end_session(*r.store, cookie); !st.is_ok())
            return send_problem(r.res, st);
        }
        r.res.set_header("Set-Cookie",
                         fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kCookie));
        send_json(r.res, 200, Json{{"logged_out", true}});
      });
  add({"GET",
       "/api/v1/me",
       "The caller's account (and the CSRF token of the session)",
       "accounts",
       Guard::kAuthenticated,
       {},
       ""},
      [](Request& r) {
        send_json(r.res, 200,
                  Json{{"user", user_json(r.session->user)}, {"csrf", r.session->csrf}});
      });
  add({"POST",
       "/api/v1/tokens",
       "Create a bearer token for scripts",
       "accounts",
       Guard::kAuthenticated,
       {},
       ""},
      [](Request& r) {
        POLES_ASSIGN_OR_RETURN_VOID(auto body, parse_body(r.req), r.res);
        auto t =
            app::Accounts::create_token(*r.store, r.session->user, body.value("label", "script"));
        if (!t) return send_problem(r.res, t.error());
        send_json(r.res, 201, Json{{"token", *t}});
      });
  add({"GET", "/api/v1/users", "List accounts", "admin", Guard::kRoles, admin_only, ""},
      [](Request& r) {
        auto users = app::Accounts::list_users(*r.store);
        if (!users) return send_problem(r.res, users.error());
        Json arr = Json::array();
        for (const auto& u : *users) arr.push_back(user_json(u));
        send_json(r.res, 200, Json{{"users", arr}});
      });
  add({"POST", "/api/v1/users", "Create an account", "admin", Guard::kRoles, admin_only, ""},
      [](Request& r) {
        POLES_ASSIGN_OR_RETURN_VOID(auto body, parse_body(r.req), r.res);
        const auto role = app::parse_role(body.value("role", ""));
        if (!role)
          return send_problem(
              r.res, Status::invalid_argument("role must be one of admin, state, region, "
                                              "cluster_manager, evaluator, reviewer, member"));
        const std::string name = body.value("name", "");
        auto st = app::Accounts::add_user(*r.store, name, body.value("password", ""), *role,
                                          body.value("scope", ""), r.session->user.name);
        if (!st.is_ok()) return send_problem(r.res, st);
        send_json(r.res, 201, Json{{"name", name}});
      });
  add({"POST", "/api/v1/users/{name}/disable", "Disable an account (ends its sessions and tokens)",
       "admin", Guard::kRoles, admin_only, ""},
      [](Request& r) {
        auto st = app::Accounts::set_disabled(*r.store, r.params[0], true, r.session->user.name);
        if (!st.is_ok()) return send_problem(r.res, st);
        send_json(r.res, 200, Json{{"name", r.params[0]}, {"disabled", true}});
      });
  add({"POST", "/api/v1/users/{name}/password", "Set a new password", "admin", Guard::kRoles,
       admin_only, ""},
      [](Request& r) {
        POLES_ASSIGN_OR_RETURN_VOID(auto body, parse_body(r.req), r.res);
        auto st = app::Accounts::reset_password(*r.store, r.params[0], body.value("password", ""),
                                                r.session->user.name);
        if (!st.is_ok()) return send_problem(r.res, st);
        send_json(r.res, 200, Json{{"name", r.params[0]}});
      });
  add({"GET", "/api/v1/audit", "The audit log of every write (after=id, limit)", "admin",
       Guard::kRoles, admin_only, ""},
      [](Request& r) {
        const int64_t after = int_param(r.req, "after", 0);
        auto entries = r.store->audit(after, std::clamp(int_param(r.req, "limit", 100), 1, 1000));
        if (!entries) return send_problem(r.res, entries.error());
        Json arr = Json::array();
        for (const auto& a : *entries) {
          arr.push_back(Json{
              {"id", a.id},
              {"at", a.at},
              {"actor", a.actor},
              {"action", a.action},
              {"entity", a.entity},
              {"key", a.key},
              {"before", a.before.empty() ? Json(nullptr) : Json::parse(a.before, nullptr, false)},
              {"after", a.after.empty() ? Json(nullptr) : Json::parse(a.after, nullptr, false)}});
        }
        send_json(r.res, 200, Json{{"entries", arr}});
      });

  // --- dashboard views (cached until the data changes) ----------------------------------------
  auto view = [this](Request& r, const std::function<Result<Json>(const snapshot::Snapshot&)>& fn) {
    auto version = r.store->data_version();
    if (!version) return send_problem(r.res, version.error());
    if (serve_cached(r, *version)) return;
    auto snap = snapshot(*r.store);
    if (!snap) return send_problem(r.res, snap.error());
    auto j = fn(**snap);
    if (!j) return send_problem(r.res, j.error());
    send_json(r.res, 200, *j);
    remember(r, (*snap)->version);
  };
  add({"GET",
       "/api/v1/stats/regions",
       "Clusters, members, projects and aid by region (year=)",
       "views",
       Guard::kAuthenticated,
       {},
       ""},
      [view](Request& r) {
        view(r, [&](const auto& s) -> Result<Json> {
          return app::regions_overview(s, int_param(r.req, "year", 2024));
        });
      });
  add({"GET",
       "/api/v1/stats/clusters",
       "Headline figures of every cluster (year=)",
       "views",
       Guard::kAuthenticated,
       {},
       ""},
      [view](Request& r) {
        view(r, [&](const auto& s) -> Result<Json> {
          return app::cluster_summaries(s, int_param(r.req, "year", 2024));
        });
      });
  add({"GET",
       "/api/v1/stats/firms",
       "A firm measure by region and NAF section, after statistical secrecy (measure=, year=, "
       "members_only=)",
       "views",
       Guard::kAuthenticated,
       {},
       ""},
      [view](Request& r) {
        view(r, [&](const auto& s) {
          return app::firm_aggregate(
              s, r.req.has_param("measure") ? r.req.get_param_value("measure") : "rd_spending",
              int_param(r.req, "year", 2020), r.req.get_param_value("members_only") == "true");
        });
      });
  const auto* cluster = schema::find_entity("cluster");
  const auto* organisation = schema::find_entity("organisation");
  const auto* project = schema::find_entity("project");
  add({"GET", "/api/v1/clusters/{id}/profile",
       "A cluster's profile: labels, members over time, projects, services, targets", "views",
       Guard::kRoles, roles_may(app::Action::kRead, *cluster), ""},
      [view](Request& r) {
        view(r, [&](const auto& s) { return app::cluster_profile(s, r.params[0]); });
      });
  add({"GET", "/api/v1/organisations/{id}/profile",
       "An organisation with its memberships and projects", "views", Guard::kRoles,
       roles_may(app::Action::kRead, *organisation), ""},
      [view](Request& r) {
        view(r, [&](const auto& s) { return app::organisation_profile(s, r.params[0]); });
      });
  add({"GET", "/api/v1/projects/{id}/profile",
       "A project with its labels, lifecycle, partners and results", "views", Guard::kRoles,
       roles_may(app::Action::kRead, *project), ""},
      [view](Request& r) {
        view(r, [&](const auto& s) { return app::project_profile(s, r.params[0]); });
      });

  // --- calls and selection, innovation risk -----------------------------------------------------
  // Views that name reviewers or show their effects are for the roles that may read reviewers
  // (admin, state, evaluator): applicants and cluster or regional staff never see who reviewed.
  const auto* reviewer_entity = schema::find_entity("reviewer");
  const auto may_select = roles_may(app::Action::kRead, *reviewer_entity);
  auto params_of = [](const Request& r) {
    return app::Params(r.req.params.begin(), r.req.params.end());
  };
  add({"GET", "/api/v1/select/calls",
       "Calls with their rules and counts of proposals, reviews and decisions", "select",
       Guard::kRoles, may_select, ""},
      [view](Request& r) {
        view(r, [](const auto& s) -> Result<Json> { return app::select_calls(s); });
      });
  add({"GET", "/api/v1/select/calls/{id}/conflicts",
       "Conflicts of interest found in the data (years=)", "select", Guard::kRoles, may_select, ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::select_conflicts(s, r.params[0], params_of(r)); });
      });
  add({"GET", "/api/v1/select/calls/{id}/assignment",
       "Reviewer assignment by integer program (k=, max_load=, candidates=, years=)", "select",
       Guard::kRoles, may_select, ""},
      [view, params_of](Request& r) {
        view(r,
             [&](const auto& s) { return app::select_assignment(s, r.params[0], params_of(r)); });
      });
  add({"GET", "/api/v1/select/calls/{id}/scores",
       "Scores without reviewer bias, disagreement, rank intervals (bootstrap=, seed=, "
       "disagreement_sd=)",
       "select", Guard::kRoles, may_select, ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::select_scores(s, r.params[0], params_of(r)); });
      });
  add({"GET", "/api/v1/select/calls/{id}/portfolio",
       "Optimal portfolio against sprinkling (budget=, min_share=, cap_per_cluster=, "
       "min_sme_share=, max_theme_share=, min_score=)",
       "select", Guard::kRoles, may_select, ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::select_portfolio(s, r.params[0], params_of(r)); });
      });
  add({"GET", "/api/v1/risk/model", "Success model of projects (logistic, on ended projects)",
       "risk", Guard::kRoles, roles_may(app::Action::kRead, *schema::find_entity("project")), ""},
      [view](Request& r) { view(r, [](const auto& s) { return app::risk_model(s); }); });
  add({"GET", "/api/v1/risk/calls/{id}",
       "Monte Carlo of a call's portfolio (portfolio=optimised|sprinkled|decided, draws=, seed=)",
       "risk", Guard::kRoles, may_select, ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::risk_simulation(s, r.params[0], params_of(r)); });
      });
  // Recording the selection: the optimised assignment, the optimised portfolio as decisions.
  auto record = [this, params_of](Request& r, const auto& fn) {
    auto snap = snapshot(*r.store);
    if (!snap) return send_problem(r.res, snap.error());
    auto j = fn(*r.store, r.session->user, **snap, r.params[0], params_of(r));
    if (!j) return send_problem(r.res, j.error());
    send_json(r.res, 200, *j);
  };
  add({"POST", "/api/v1/select/calls/{id}/assignment",
       "Record the optimised assignment as the call's (same parameters as GET; replace=true, "
       "date=)",
       "select", Guard::kRoles, roles_may(app::Action::kWrite, *schema::find_entity("assignment")),
       ""},
      [record](Request& r) { record(r, app::save_assignment); });
  add({"POST", "/api/v1/select/calls/{id}/decisions",
       "Record the optimised portfolio as the call's decisions (same parameters as GET portfolio; "
       "replace=true, date=)",
       "select", Guard::kRoles, roles_may(app::Action::kWrite, *schema::find_entity("decision")),
       ""},
      [record](Request& r) { record(r, app::record_decisions); });
  // A reviewer's own page: only the proposals assigned to them (never cached across users).
  add({"GET", "/api/v1/select/my-proposals",
       "The calling reviewer's assigned proposals and their own scores", "select", Guard::kRoles,
       [](app::Role role) { return role == app::Role::kReviewer; }, ""},
      [this](Request& r) {
        auto snap = snapshot(*r.store);
        if (!snap) return send_problem(r.res, snap.error());
        auto j = app::reviewer_assigned(**snap, r.session->user.scope);
        if (!j) return send_problem(r.res, j.error());
        send_json(r.res, 200, *j);
      });

  // --- cooperation network (the analysis is cached per data version and filter) --------------
  const auto* participation = schema::find_entity("participation");
  auto network_view = [this](Request& r,
                             const std::function<Result<Json>(const app::NetworkAnalysis&)>& fn) {
    auto version = r.store->data_version();
    if (!version) return send_problem(r.res, version.error());
    if (serve_cached(r, *version)) return;
    auto snap = snapshot(*r.store);
    if (!snap) return send_problem(r.res, snap.error());
    std::map<std::string, std::string> params(r.req.params.begin(), r.req.params.end());
    auto filter = app::parse_network_filter(params);
    if (!filter) return send_problem(r.res, filter.error());
    const auto seed = static_cast<uint64_t>(std::max(0, int_param(r.req, "seed", 1)));
    auto analysis = networks.get(*snap, *filter, seed);
    if (!analysis) return send_problem(r.res, analysis.error());
    auto j = fn(**analysis);
    if (!j) return send_problem(r.res, j.error());
    send_json(r.res, 200, *j);
    remember(r, (*snap)->version);
  };
  const auto may_read_network = roles_may(app::Action::kRead, *participation);
  const std::string filters = " (filters: from=, to=, cluster=, programme=, region=; seed=)";
  auto limit_param = [](const Request& r, int fallback, int most) {
    return static_cast<size_t>(std::clamp(int_param(r.req, "limit", fallback), 1, most));
  };
  add({"GET", "/api/v1/network/summary",
       "Size, connectivity, communities and most central organisations" + filters, "network",
       Guard::kRoles, may_read_network, ""},
      [network_view](Request& r) {
        network_view(r, [](const auto& a) -> Result<Json> { return app::network_summary(a); });
      });
  add({"GET", "/api/v1/network/organisations",
       "Organisations with their metrics (sort=, limit=, offset=)" + filters, "network",
       Guard::kRoles, may_read_network, ""},
      [network_view, limit_param](Request& r) {
        network_view(r, [&](const auto& a) {
          return app::network_organisations(
              a, r.req.has_param("sort") ? r.req.get_param_value("sort") : "pagerank",
              limit_param(r, 50, 1000),
              static_cast<size_t>(std::max(0, int_param(r.req, "offset", 0))));
        });
      });
  add({"GET", "/api/v1/network/communities", "Leiden communities (limit=)" + filters, "network",
       Guard::kRoles, may_read_network, ""},
      [network_view, limit_param](Request& r) {
        network_view(r, [&](const auto& a) -> Result<Json> {
          return app::network_communities(a, limit_param(r, 20, 500));
        });
      });
  add({"GET", "/api/v1/network/clusters", "Inter-cluster matrices and cooperation index" + filters,
       "network", Guard::kRoles, may_read_network, ""},
      [network_view](Request& r) {
        network_view(r, [](const auto& a) -> Result<Json> { return app::network_clusters(a); });
      });
  add({"GET", "/api/v1/network/regions", "Interregional matrix" + filters, "network", Guard::kRoles,
       may_read_network, ""},
      [network_view](Request& r) {
        network_view(r, [](const auto& a) -> Result<Json> { return app::network_regions(a); });
      });
  add({"GET", "/api/v1/network/sme", "SME integration per cluster" + filters, "network",
       Guard::kRoles, may_read_network, ""},
      [network_view](Request& r) {
        network_view(r, [](const auto& a) -> Result<Json> { return app::network_sme(a); });
      });
  add({"GET", "/api/v1/network/brokers", "Organisations bridging clusters (limit=)" + filters,
       "network", Guard::kRoles, may_read_network, ""},
      [network_view, limit_param](Request& r) {
        network_view(r, [&](const auto& a) -> Result<Json> {
          return app::network_brokers(a, limit_param(r, 20, 500));
        });
      });
  add({"GET", "/api/v1/network/what-if",
       "Connectivity if clusters were removed (remove=a,b) or merged (merge=a+b, repeatable with "
       "';')" +
           filters,
       "network", Guard::kRoles, may_read_network, ""},
      [network_view](Request& r) {
        network_view(r, [&](const auto& a) -> Result<Json> {
          network::WhatIf w;
          auto split = [](const std::string& text, char sep) {
            std::vector<std::string> out;
            std::stringstream ss(text);
            for (std::string item; std::getline(ss, item, sep);) {
              if (!item.empty()) out.push_back(item);
            }
            return out;
          };
          w.remove = split(r.req.get_param_value("remove"), ',');
          for (const auto& group : split(r.req.get_param_value("merge"), ';'))
            w.merge.push_back(split(group, '+'));
          if (w.remove.empty() && w.merge.empty())
            return Status::invalid_argument("give remove=a,b and/or merge=a+b");
          return app::network_what_if(a, w);
        });
      });
  add({"GET", "/api/v1/network/ego/{organisation}",
       "An organisation's partners (radius=1|2, limit=)" + filters, "network", Guard::kRoles,
       may_read_network, ""},
      [network_view, limit_param](Request& r) {
        network_view(r, [&](const auto& a) {
          return app::network_ego(a, r.params[0], std::clamp(int_param(r.req, "radius", 1), 1, 2),
                                  limit_param(r, 200, 2000));
        });
      });
  add({"GET", "/api/v1/network/recommend/{organisation}",
       "Partners to suggest to an organisation, with reasons (limit=)" + filters, "network",
       Guard::kRoles, may_read_network, ""},
      [network_view, limit_param](Request& r) {
        network_view(r, [&](const auto& a) {
          return app::network_recommend(a, r.params[0], limit_param(r, 10, 100));
        });
      });
  add({"GET", "/api/v1/network/recommend",
       "Organisations to invite to a project idea (sector=, themes=a,b, home=region, limit=)" +
           filters,
       "network", Guard::kRoles, may_read_network, ""},
      [network_view, limit_param](Request& r) {
        network_view(r, [&](const auto& a) {
          network::Recommender::Idea idea;
          idea.sector = r.req.get_param_value("sector");
          std::stringstream ss(r.req.get_param_value("themes"));
          for (std::string t; std::getline(ss, t, ',');) {
            if (!t.empty()) idea.themes.push_back(t);
          }
          idea.region = r.req.get_param_value("home");
          if (idea.sector.empty() && idea.themes.empty())
            return Result<Json>(Status::invalid_argument("give sector= and/or themes="));
          return app::network_recommend_idea(a, idea, limit_param(r, 10, 100));
        });
      });
  add({"GET", "/api/v1/network/graph",
       "The strongest organisations with positions for drawing (limit=, at most 5000)" + filters,
       "network", Guard::kRoles, may_read_network, ""},
      [network_view, limit_param](Request& r) {
        network_view(
            r, [&](const auto& a) { return app::network_drawing(a, limit_param(r, 1500, 5000)); });
      });
  add({"GET", "/api/v1/network/export",
       "The graph as GraphML, GEXF or CSV edges (format=)" + filters, "network", Guard::kRoles,
       may_read_network, ""},
      [this](Request& r) {
        auto format = network::parse_graph_format(
            r.req.has_param("format") ? r.req.get_param_value("format") : "graphml");
        if (!format) return send_problem(r.res, format.error());
        auto snap = snapshot(*r.store);
        if (!snap) return send_problem(r.res, snap.error());
        std::map<std::string, std::string> params(r.req.params.begin(), r.req.params.end());
        auto filter = app::parse_network_filter(params);
        if (!filter) return send_problem(r.res, filter.error());
        auto analysis = networks.get(
            *snap, *filter, static_cast<uint64_t>(std::max(0, int_param(r.req, "seed", 1))));
        if (!analysis) return send_problem(r.res, analysis.error());
        std::ostringstream out;
        network::write_graph(out, *format, *(*analysis)->snapshot, (*analysis)->graph,
                             &(*analysis)->metrics);
        const char* ext = *format == network::GraphFormat::kCsv    ? "csv"
                          : *format == network::GraphFormat::kGexf ? "gexf"
                                                                   : "graphml";
        r.res.status = 200;
        r.res.set_header("Content-Disposition",
                         fmt::format("attachment; filename=\"cooperation.{}\"", ext));
        r.res.set_content(out.str(), *format == network::GraphFormat::kCsv
                                         ? "text/csv; charset=utf-8"
                                         : "application/xml");
      });

  // --- the shared evaluation method
  // --------------------------------------------------------------- Rankings and actions are for
  // the State, the evaluators and the administrators; a cluster's own trends for whoever reads its
  // registry; the catalogue for every account.
  const auto* assessment = schema::find_entity("assessment");
  const auto may_evaluate = roles_may(app::Action::kWrite, *assessment);
  add({"GET",
       "/api/v1/evaluate/indicators",
       "The indicator catalogue (id, pillar, unit, direction, formula)",
       "evaluate",
       Guard::kAuthenticated,
       {},
       ""},
      [](Request& r) {
        send_json(r.res, 200, Json{{"items", app::indicator_catalogue()}});
      });
  add({"GET", "/api/v1/evaluate",
       "One year's evaluation: ranking with rank intervals, pillars, peers, ratings, compliance, "
       "actions, sensitivity "
       "(year=, method=, draws=, seed=, sobol_n=)",
       "evaluate", Guard::kRoles, may_evaluate, ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::evaluation(s, params_of(r)); });
      });
  add({"GET", "/api/v1/evaluate/trends/{cluster}",
       "A cluster's indicators over the years against the median of its peers (from=, to=)",
       "evaluate", Guard::kRoles, roles_may(app::Action::kRead, *cluster), ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::indicator_trends(s, r.params[0], params_of(r)); });
      });
  add({"GET", "/api/v1/evaluate/assessments",
       "Qualitative assessments and the agreement between evaluators (year=)", "evaluate",
       Guard::kRoles, roles_may(app::Action::kRead, *assessment), ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::assessments_view(s, params_of(r)); });
      });
  add({"GET", "/api/v1/evaluate/characterisation",
       "Declared vs measured scale, sector specialisation, filière overlaps and gaps (year=)",
       "evaluate", Guard::kRoles, roles_may(app::Action::kRead, *cluster), ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::characterisation(s, params_of(r)); });
      });

  // --- from project factory to product factory: funnel, leverage, services, diagnostics,
  // employment --
  add({"GET", "/api/v1/pipeline/funnel",
       "Project funnel: reached stages, conversion, durations, drop-outs, TRL (from=, to=, "
       "cluster=, programme=, by=)",
       "pipeline", Guard::kRoles, roles_may(app::Action::kRead, *project), ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::pipeline_funnel(s, params_of(r)); });
      });
  add({"GET", "/api/v1/pipeline/leverage",
       "Private co-funding per euro of aid, follow-on projects, European after national (from=, "
       "to=, by=)",
       "pipeline", Guard::kRoles, roles_may(app::Action::kRead, *project), ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::pipeline_leverage(s, params_of(r)); });
      });
  add({"GET", "/api/v1/services/summary",
       "SME services: reach, intensity, heterogeneity, international activity, outcomes (from=, "
       "to=, horizon=)",
       "services", Guard::kRoles, roles_may(app::Action::kRead, *schema::find_entity("service")),
       ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::services_overview(s, params_of(r)); });
      });
  add({"GET", "/api/v1/services/diagnostics",
       "Digital diagnostics: maturity, progress, aid after diagnosis (from=, to=)", "services",
       Guard::kRoles, roles_may(app::Action::kRead, *schema::find_entity("diagnostic")), ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::diagnostics_overview(s, params_of(r)); });
      });
  add({"GET",
       "/api/v1/foresight/employment",
       "Employment: location quotients and stars, shift-share, projections (year=, from=, to=, "
       "region=, sector=, horizon=, level=)",
       "foresight",
       Guard::kAuthenticated,
       {},
       ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::employment_overview(s, params_of(r)); });
      });
  add({"GET",
       "/api/v1/foresight/sectors",
       "Sectors with employment figures",
       "foresight",
       Guard::kAuthenticated,
       {},
       ""},
      [view](Request& r) { view(r, [](const auto& s) { return app::employment_sectors(s); }); });
  add({"GET",
       "/api/v1/foresight/sectors/{sector}",
       "The data of a sector sheet (same parameters as employment)",
       "foresight",
       Guard::kAuthenticated,
       {},
       ""},
      [view, params_of](Request& r) {
        view(r, [&](const auto& s) { return app::sector_sheet(s, r.params[0], params_of(r)); });
      });
  // A report as HTML, or printed to PDF by headless Chromium; in French or English.
  auto check_document = [](const std::string& format, const std::string& lang) {
    if (format != "html" && format != "pdf")
      return Status::invalid_argument(
          fmt::format("parameter 'format' value '{}': must be html or pdf", format));
    if (lang != "fr" && lang != "en")
      return Status::invalid_argument(
          fmt::format("parameter 'lang' value '{}': must be fr or en", lang));
    return Status::ok();
  };
  auto send_document = [this](Request& r, const std::string& html, const std::string& format,
                              const std::string& name) {
    if (format == "html") {
      r.res.status = 200;
      r.res.set_content(html, "text/html; charset=utf-8");
      return;
    }
    const auto path = std::filesystem::temp_directory_path() /
                      fmt::format("poles-report-{}-{}.pdf", ::getpid(), pdf_counter++);
    const Status st = report::html_to_pdf(html, path.string());
    if (!st.is_ok()) return send_problem(r.res, st);
    std::ifstream f(path, std::ios::binary);
    std::string pdf((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::error_code ec;
    std::filesystem::remove(path, ec);
    r.res.status = 200;
    r.res.set_header("Content-Disposition", fmt::format("inline; filename=\"{}.pdf\"", name));
    r.res.set_content(pdf, "application/pdf");
  };
  add({"GET",
       "/api/v1/reports/sector/{sector}",
       "The sector sheet as a document (format=html|pdf, lang=fr|en)",
       "foresight",
       Guard::kAuthenticated,
       {},
       ""},
      [this, params_of, send_document, check_document](Request& r) {
        const auto p = params_of(r);
        const std::string format = app::text(p, "format", "html"),
                          lang = app::text(p, "lang", "fr");
        if (auto st = check_document(format, lang); !st.is_ok()) return send_problem(r.res, st);
        auto snap = snapshot(*r.store);
        if (!snap) return send_problem(r.res, snap.error());
        auto sheet = app::sector_sheet(**snap, r.params[0], p);
        if (!sheet) return send_problem(r.res, sheet.error());
        send_document(r, report::sector_sheet_html(*sheet, lang), format, "fiche-" + r.params[0]);
      });
  add({"GET", "/api/v1/reports/cluster/{id}",
       "A cluster's evaluation report (year=, method=, format=html|pdf, lang=fr|en)", "evaluate",
       Guard::kRoles, may_evaluate, ""},
      [this, params_of, send_document, check_document](Request& r) {
        const auto p = params_of(r);
        const std::string format = app::text(p, "format", "html"),
                          lang = app::text(p, "lang", "fr");
        if (auto st = check_document(format, lang); !st.is_ok()) return send_problem(r.res, st);
        auto snap = snapshot(*r.store);
        if (!snap) return send_problem(r.res, snap.error());
        auto doc = app::cluster_report(**snap, r.params[0], p, lang);
        if (!doc) return send_problem(r.res, doc.error());
        send_document(r, doc->second, format, "rapport-" + r.params[0]);
      });

  // --- impact of the policy on firms (long estimations run as jobs) ------------------------------
  // For the State, the evaluators and the administrators (firm microdata); an account sees its own
  // jobs, an administrator every job.
  auto job_owner = [](const Request& r) { return r.session->user.name; };
  auto sees_all = [](const Request& r) { return r.session->user.role == app::Role::kAdmin; };
  add({"POST", "/api/v1/impact/jobs",
       "Start an impact estimation (JSON body: the parameters of `poles impact`, e.g. estimator, "
       "outcome, treatment, sample, bootstrap, seed; "
       "or csv: the text of a CSV file with unit, time, group… as with --data); 202 with the job "
       "id",
       "impact", Guard::kRoles, may_evaluate, ""},
      [this, job_owner](Request& r) {
        auto body = parse_body(r.req);
        if (!body) return send_problem(r.res, body.error());
        if (!body->is_object())
          return send_problem(
              r.res, Status::invalid_argument("the body must be a JSON object of parameters"));
        app::Params params;
        std::string csv;
        for (const auto& [k, v] : body->items()) {
          if (k == "csv") {
            if (!v.is_string())
              return send_problem(r.res,
                                  Status::invalid_argument("csv must be the text of a CSV file"));
            csv = v.get<std::string>();
          } else {
            params[k] = v.is_string() ? v.get<std::string>() : v.dump();
          }
        }
        Json shown(params);
        app::Jobs::Work work;
        if (!csv.empty()) {
          if (csv.size() > config.max_body_bytes)
            return send_problem(r.res, Status::resource_exhausted("the CSV is too large"));
          work = [csv, params](const app::ImpactProgress& progress) -> Result<Json> {
            const auto path =
                std::filesystem::temp_directory_path() /
                fmt::format("poles-impact-{}-{}.csv", ::getpid(), std::hash<std::string>{}(csv));
            {
              std::ofstream f(path, std::ios::binary);
              f << csv;
            }
            auto frame = impact::read_csv(path.string());
            std::error_code ec;
            std::filesystem::remove(path, ec);
            if (!frame) return frame.error().with_context("csv");
            return app::impact_estimate(*frame, params, &progress);
          };
          shown["data"] = "csv";
        } else {
          auto snap = snapshot(*r.store);
          if (!snap) return send_problem(r.res, snap.error());
          work = [snap = *snap, params](const app::ImpactProgress& progress) {
            return app::impact_from_store(*snap, params, &progress);
          };
          shown["data"] = "store";
        }
        auto id = jobs.start(job_owner(r), "impact", shown, std::move(work));
        if (!id) return send_problem(r.res, id.error());
        r.res.set_header("Location", "/api/v1/impact/jobs/" + *id);
        send_json(r.res, 202,
                  Json{{"id", *id}, {"state", "running"}, {"href", "/api/v1/impact/jobs/" + *id}});
      });
  add({"GET", "/api/v1/impact/jobs",
       "The impact jobs of the caller (all jobs for an administrator)", "impact", Guard::kRoles,
       may_evaluate, ""},
      [this, job_owner, sees_all](Request& r) {
        send_json(r.res, 200, Json{{"items", jobs.list(job_owner(r), sees_all(r))}});
      });
  add({"GET", "/api/v1/impact/jobs/{id}", "A job's state and progress, with its result once done",
       "impact", Guard::kRoles, may_evaluate, ""},
      [this, job_owner, sees_all](Request& r) {
        auto j = jobs.status(r.params[0], job_owner(r), sees_all(r));
        if (!j) return send_problem(r.res, j.error());
        send_json(r.res, 200, *j);
      });
  add({"DELETE", "/api/v1/impact/jobs/{id}", "Cancel a running job", "impact", Guard::kRoles,
       may_evaluate, ""},
      [this, job_owner, sees_all](Request& r) {
        if (auto st = jobs.cancel(r.params[0], job_owner(r), sees_all(r)); !st.is_ok())
          return send_problem(r.res, st);
        send_json(r.res, 202, Json{{"id", r.params[0]}, {"state", "cancelling"}});
      });
  add({"GET", "/api/v1/reports/impact/{id}",
       "The impact report of a finished job (format=html|pdf, lang=fr|en)", "impact", Guard::kRoles,
       may_evaluate, ""},
      [this, job_owner, sees_all, params_of, send_document, check_document](Request& r) {
        const auto p = params_of(r);
        const std::string format = app::text(p, "format", "html"),
                          lang = app::text(p, "lang", "fr");
        if (auto st = check_document(format, lang); !st.is_ok()) return send_problem(r.res, st);
        auto j = jobs.result(r.params[0], job_owner(r), sees_all(r));
        if (!j) return send_problem(r.res, j.error());
        send_document(r, report::impact_report_html(*j, lang), format, "impact-" + r.params[0]);
      });

  // --- import ---------------------------------------------------------------------------------
  add({"POST", "/api/v1/import/{entity}",
       "Import a CSV file of one entity (all or nothing; dry_run=true validates only)", "import",
       Guard::kRoles, [](Role r) { return app::may_import(r); }, ""},
      [](Request& r) {
        const auto* e = schema::find_entity(r.params[0]);
        if (e == nullptr)
          return send_problem(r.res, Status::not_found(fmt::format("no entity '{}'", r.params[0])));
        import::ImportOptions opt;
        opt.dry_run = r.req.get_param_value("dry_run") == "true";
        opt.actor = r.session->user.name;
        std::istringstream in(r.req.body);
        const std::string name =
            r.req.has_param("filename") ? r.req.get_param_value("filename") : r.params[0] + ".csv";
        auto rep = import::import_csv(*r.store, *e, in, name, opt);
        if (!rep) return send_problem(r.res, rep.error());
        send_json(r.res, 200,
                  Json{{"entity", rep->entity},
                       {"file", rep->file},
                       {"dry_run", rep->dry_run},
                       {"rows", rep->counts.rows},
                       {"inserted", rep->counts.inserted},
                       {"updated", rep->counts.updated},
                       {"unchanged", rep->counts.unchanged},
                       {"ignored_columns", rep->ignored_columns}});
      });

  // --- every registry entity -----------------------------------------------------------------
  for (const auto& ent : schema::entities()) {
    const schema::Entity* e = &ent;
    const std::string base = "/api/v1/" + std::string(e->name);
    std::string item_path = base;
    for (int k : schema::key_indices(*e))
      item_path += "/{" + std::string(e->fields[static_cast<size_t>(k)].name) + "}";
    const std::string tag = std::string(e->name);
    add({"GET", base,
         fmt::format("List {} rows (filters: any field=value; q=; limit=; cursor=)", e->name), tag,
         Guard::kRoles, roles_may(app::Action::kRead, *e), tag},
        [this, e](Request& r) {
          auto version = r.store->data_version();
          if (!version) return send_problem(r.res, version.error());
          if (serve_cached(r, *version)) return;
          app::ListRequest q;
          for (const auto& [k, v] : r.req.params) {
            if (k == "q") {
              q.q = v;
            } else if (k == "cursor") {
              q.cursor = v;
            } else if (k == "limit") {
              q.limit = int_param(r.req, "limit", 50);
            } else {
              q.filters[k] = v;
            }
          }
          auto page = app::list_rows(*r.store, r.session->user, *e, q);
          if (!page) return send_problem(r.res, page.error());
          Json rows = Json::array();
          for (const auto& row : page->rows) rows.push_back(formats::row_to_json(*e, row));
          send_json(r.res, 200,
                    Json{{"items", rows},
                         {"next_cursor",
                          page->next_cursor.empty() ? Json(nullptr) : Json(page->next_cursor)}});
          remember(r, *version);
        });
    add({"POST", base, fmt::format("Create a {}", e->name), tag, Guard::kRoles,
         roles_may(app::Action::kWrite, *e), tag},
        [e](Request& r) {
          POLES_ASSIGN_OR_RETURN_VOID(auto body, parse_body(r.req), r.res);
          auto item = app::write_row(*r.store, r.session->user, *e, nullptr, body,
                                     app::WriteMode::kCreate, "");
          if (!item) return send_problem(r.res, item.error());
          send_row(r, *e, *item, 201);
        });
    add({"GET", item_path, fmt::format("Get one {} (ETag)", e->name), tag, Guard::kRoles,
         roles_may(app::Action::kRead, *e), tag},
        [e](Request& r) {
          POLES_ASSIGN_OR_RETURN_VOID(auto key, app::parse_key(*e, r.params), r.res);
          auto item = app::get_row(*r.store, r.session->user, *e, key);
          if (!item) return send_problem(r.res, item.error());
          send_row(r, *e, *item, 200);
        });
    for (const char* method : {"PUT", "PATCH"}) {
      const bool merge = std::string(method) == "PATCH";
      add({method, item_path,
           fmt::format("{} a {} (If-Match: its ETag){}", merge ? "Update fields of" : "Replace",
                       e->name, merge ? "; absent fields are kept" : ""),
           tag, Guard::kRoles, roles_may(app::Action::kWrite, *e), tag},
          [e, merge](Request& r) {
            POLES_ASSIGN_OR_RETURN_VOID(auto key, app::parse_key(*e, r.params), r.res);
            POLES_ASSIGN_OR_RETURN_VOID(auto body, parse_body(r.req), r.res);
            // The key comes from the URL.
            if (body.is_object()) {
              for (size_t i = 0; i < key.size(); ++i) {
                body[std::string(e->fields[static_cast<size_t>(schema::key_indices(*e)[i])].name)] =
                    formats::value_to_json(key[i]);
              }
            }
            const std::string if_match = r.req.get_header_value("If-Match");
            if (if_match.empty()) {
              return send_problem(r.res,
                                  Status::precondition_failed(
                                      "updates need an If-Match header with the row's ETag"),
                                  428);
            }
            auto item =
                app::write_row(*r.store, r.session->user, *e, &key, body,
                               merge ? app::WriteMode::kMerge : app::WriteMode::kReplace, if_match);
            if (!item) return send_problem(r.res, item.error());
            send_row(r, *e, *item, 200);
          });
    }
    add({"DELETE", item_path, fmt::format("Delete a {} (optional If-Match)", e->name), tag,
         Guard::kRoles, roles_may(app::Action::kWrite, *e), tag},
        [e](Request& r) {
          POLES_ASSIGN_OR_RETURN_VOID(auto key, app::parse_key(*e, r.params), r.res);
          auto st = app::delete_row(*r.store, r.session->user, *e, key,
                                    r.req.get_header_value("If-Match"));
          if (!st.is_ok()) return send_problem(r.res, st);
          r.res.status = 204;
        });
  }
  for (const auto& route : routes) infos.push_back(route.info);
}

std::string Server::openapi() const {
  Json paths = Json::object();
  for (const auto& r : impl_->infos) {
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    Json op{{"summary", r.summary},
            {"tags", Json::array({r.tag})},
            {"operationId", method + std::regex_replace(r.path, std::regex("[^A-Za-z0-9]+"), "_")}};
    Json params = Json::array();
    static const std::regex param(R"(\{([^}]+)\})");
    for (auto it = std::sregex_iterator(r.path.begin(), r.path.end(), param);
         it != std::sregex_iterator(); ++it) {
      params.push_back(Json{{"name", (*it)[1].str()},
                            {"in", "path"},
                            {"required", true},
                            {"schema", Json{{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (r.guard == Guard::kPublic) op["security"] = Json::array();
    if (r.guard == Guard::kRoles) {
      std::vector<std::string> roles;
      for (size_t i = 0; i < app::kRoleNames.size(); ++i) {
        if (r.allowed(static_cast<app::Role>(i))) roles.emplace_back(app::kRoleNames[i]);
      }
      op["x-roles"] = roles;
    }
    op["responses"] =
        Json{{"200", Json{{"description", "OK"}}},
             {"default",
              Json{{"description", "Error (RFC 9457 problem)"},
                   {"content",
                    Json{{"application/problem+json",
                          Json{{"schema", Json{{"$ref", "#/components/schemas/Problem"}}}}}}}}}};
    paths[r.path][method] = std::move(op);
  }
  Json doc{
      {"openapi", "3.1.0"},
      {"info", Json{{"title", "Pôles API"},
                    {"version", "1"},
                    {"description",
                     "Observatory and steering system for France's competitiveness clusters"}}},
      {"paths", paths},
      {"components",
       Json{{"securitySchemes",
             Json{{"session", Json{{"type", "apiKey"}, {"in", "cookie"}, {"name", kCookie}}},
                  {"bearer", Json{{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas",
             Json{{"Problem", Json{{"type", "object"},
                                   {"properties", Json{{"type", Json{{"type", "string"}}},
                                                       {"title", Json{{"type", "string"}}},
                                                       {"status", Json{{"type", "integer"}}},
                                                       {"detail", Json{{"type", "string"}}},
                                                       {"errors", Json{{"type", "array"}}}}}}}}}}},
      {"security",
       Json::array({Json{{"session", Json::array()}}, Json{{"bearer", Json::array()}}})}};
  return doc.dump(1);
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::create(const Config& config) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  // Fewer connections than threads: a thread waits for one only while it runs a request, and
  // PostgreSQL servers have a connection limit (100 by default).
  POLES_ASSIGN_OR_RETURN(impl->pool,
                         app::StorePool::open(config.db, std::clamp(config.store_connections, 2,
                                                                    std::max(2, config.threads))));
  impl->build_routes();
  std::unique_ptr<Server> server(new Server(std::move(impl)));
  server->impl_->openapi_text = server->openapi();
  server->impl_->install();
  return server;
}

Result<int> Server::bind() {
  int port = impl_->config.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(impl_->config.host);
  } else if (!impl_->http.bind_to_port(impl_->config.host, port)) {
    port = -1;
  }
  if (port < 0)
    return Status::unavailable(
        fmt::format("cannot listen on {}:{}", impl_->config.host, impl_->config.port));
  impl_->bound = true;
  return port;
}

void Server::run() { impl_->http.listen_after_bind(); }

void Server::stop() {
  if (impl_ && impl_->bound) impl_->http.stop();
}

const std::vector<RouteInfo>& Server::routes() const { return impl_->infos; }

}  // namespace poles::http
