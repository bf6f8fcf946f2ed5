// The route table: every route of the API declared once, with who may call it, its query
// parameters (the app layer's ParamSpecs, shared with the CLI), its body and its answers' types.
// The table drives the dispatch, the OpenAPI document and the route × role test.
//
// A capability file declares its routes with the builder:
//
//   r.get("/api/v1/stats/regions", "Clusters, members, projects and aid by region", "views")
//       .authenticated()
//       .params(app::regions_overview_params())
//       .cached()
//       .returns<app::RegionsOverview>()
//       .handle([](Ctx& c) { c.view([&](const auto& s) { return app::regions_overview(s, c.args);
//       }); });
//
// and the handler only parses, calls the app layer and writes the typed result.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/access.h"
#include "app/accounts.h"
#include "app/params.h"
#include "app/store_pool.h"
#include "core/typed_json.h"
#include "http/exchange.h"
#include "http/problem.h"
#include "snapshot/snapshot.h"

namespace poles::http {

using Json = nlohmann::ordered_json;

// Who may call a route.
enum class Guard : uint8_t { kPublic, kAuthenticated, kRoles };

// What a route reads as its body (it decides the size accepted, see Limits).
enum class BodyKind : uint8_t { kNone, kJson, kUpload };

struct Services;
struct Route;

// One call of a route, as its handler sees it.
// The deepest nesting of arrays and objects a request body may have (see Ctx::json_body).
inline constexpr int kMaxJsonDepth = 64;

struct Ctx {
  Request& req;
  Response& res;
  const Route& route;
  std::vector<std::string> path;  // the path parameters, decoded, in order
  app::Args args;                 // the query parameters, checked against the route's specs
  const app::Session* session;    // the caller; null only on public routes called anonymously
  app::StorePool::Lease& store;
  Services& services;

  // REQUIRES: session != nullptr.
  const app::User& user() const { return session->user; }
  // The Snapshot of the store's current data version (loaded once per version).
  Result<snapshot::SnapshotPtr> snapshot();
  // The body parsed as JSON (400 with the parser's position when malformed).
  // The request's JSON body: 400 when empty, not JSON, or nested deeper than kMaxJsonDepth.
  Result<Json> json_body() const;
  // The body read into a described struct (every field error at once).
  template <class T>
  Result<T> body() const {
    POLES_ASSIGN_OR_RETURN(Json j, json_body());
    return tj::from_json<T>(j);
  }

  // Writes a typed value as JSON with this status.
  template <class T>
  void reply(int status, const T& value) {
    res.set(status, "application/json", tj::to_json(value).dump());
  }
  void fail(const Status& s) { problem(res, s); }
  // Computes a view from the snapshot and writes it (or its error).
  template <class Fn>
  void view(Fn&& fn) {
    auto snap = snapshot();
    if (!snap) return fail(snap.error());
    auto v = fn(**snap);
    if constexpr (requires { v.has_value(); }) {
      if (!v) return fail(v.error());
      reply(200, *v);
    } else {
      reply(200, v);
    }
  }
};

using Handler = std::function<void(Ctx&)>;
using SchemaFn = std::function<tj::Json(tj::Schemas&)>;

struct Answer {
  int status = 200;
  std::string media_type = "application/json";
  std::string description;
  SchemaFn schema;  // null: no body (204) or a non-JSON body described by media_type
};

struct Route {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // OpenAPI template, e.g. /api/v1/cluster/{id}
  std::string summary;
  std::string tag;
  Guard guard = Guard::kAuthenticated;
  // kRoles: the roles that may call the route at all (row scopes are checked inside).
  std::function<bool(app::Role)> allowed;
  std::string entity;  // the registry entity of generic routes, else empty
  app::ParamSpecs params;
  BodyKind body = BodyKind::kNone;
  bool large_body = false;  // a JSON body that may carry a data file (the upload limit applies)
  uint64_t large_body_at_most = 0;  // with large_body: a smaller limit than the upload's (0: none)
  std::string body_media_type = "application/json";
  SchemaFn body_schema;
  Json body_example;  // an example of the body (null: none)
  std::vector<Answer> answers;
  // GET answers kept per data version, route, parameters and caller's role and scope.
  bool cached = false;
  // A public form's target: the caller's session (cookie or token) is not read, so that a person
  // logged into the dashboard posts the portal's form as anyone does (without the CSRF header a
  // session's writes need); the anonymous rate limit applies.
  bool sessionless = false;
  Handler handler;

  // Path template segments, split once ("{...}" marks a parameter).
  std::vector<std::string> segments;
};

// Fluent declaration of one route (see the top of this file).
class RouteBuilder {
 public:
  explicit RouteBuilder(Route& r) : r_(r) {}
  RouteBuilder& anyone() {
    r_.guard = Guard::kPublic;
    return *this;
  }
  RouteBuilder& authenticated() {
    r_.guard = Guard::kAuthenticated;
    return *this;
  }
  RouteBuilder& roles(std::function<bool(app::Role)> allowed) {
    r_.guard = Guard::kRoles;
    r_.allowed = std::move(allowed);
    return *this;
  }
  // The roles that may read (or write) an entity at all.
  RouteBuilder& may(app::Action action, std::string_view entity);
  // The roles the policy grants this operation on an entity or capability (docs/access.md).
  RouteBuilder& may(app::Op op, std::string_view entity_or_capability);
  RouteBuilder& entity(std::string name) {
    r_.entity = std::move(name);
    return *this;
  }
  RouteBuilder& params(app::ParamSpecs specs) {
    r_.params = std::move(specs);
    return *this;
  }
  RouteBuilder& cached() {
    r_.cached = true;
    return *this;
  }
  RouteBuilder& sessionless() {
    r_.sessionless = true;
    return *this;
  }
  // A JSON body read into T (its schema documents the request).
  template <class T>
  RouteBuilder& takes() {
    r_.body = BodyKind::kJson;
    r_.body_schema = [](tj::Schemas& s) { return s.of<T>(); };
    return *this;
  }
  RouteBuilder& takes_json(SchemaFn schema) {
    r_.body = BodyKind::kJson;
    r_.body_schema = std::move(schema);
    return *this;
  }
  // An example body, shown in the OpenAPI document.
  RouteBuilder& example(Json body) {
    r_.body_example = std::move(body);
    return *this;
  }
  // The JSON body may carry a data file: the upload limit applies instead of the body limit (or
  // `at_most`, when smaller).
  RouteBuilder& large_body(uint64_t at_most = 0) {
    r_.large_body = true;
    r_.large_body_at_most = at_most;
    return *this;
  }
  // A large body of another media type (an uploaded file).
  RouteBuilder& upload(std::string media_type) {
    r_.body = BodyKind::kUpload;
    r_.body_media_type = std::move(media_type);
    return *this;
  }
  template <class T>
  RouteBuilder& returns(int status = 200, std::string description = "OK") {
    r_.answers.push_back(Answer{status, "application/json", std::move(description),
                                [](tj::Schemas& s) { return s.of<T>(); }});
    return *this;
  }
  RouteBuilder& returns_schema(int status, SchemaFn schema, std::string description = "OK") {
    r_.answers.push_back(
        Answer{status, "application/json", std::move(description), std::move(schema)});
    return *this;
  }
  // A non-JSON answer (a document, a file) or no body (204).
  RouteBuilder& returns_media(int status, std::string media_type, std::string description) {
    r_.answers.push_back(Answer{status, std::move(media_type), std::move(description), nullptr});
    return *this;
  }
  RouteBuilder& handle(Handler h) {
    r_.handler = std::move(h);
    return *this;
  }

 private:
  Route& r_;
};

class Router {
 public:
  RouteBuilder get(std::string path, std::string summary, std::string tag) {
    return add("GET", std::move(path), std::move(summary), std::move(tag));
  }
  RouteBuilder post(std::string path, std::string summary, std::string tag) {
    return add("POST", std::move(path), std::move(summary), std::move(tag));
  }
  RouteBuilder put(std::string path, std::string summary, std::string tag) {
    return add("PUT", std::move(path), std::move(summary), std::move(tag));
  }
  RouteBuilder patch(std::string path, std::string summary, std::string tag) {
    return add("PATCH", std::move(path), std::move(summary), std::move(tag));
  }
  RouteBuilder del(std::string path, std::string summary, std::string tag) {
    return add("DELETE", std::move(path), std::move(summary), std::move(tag));
  }
  RouteBuilder add(std::string method, std::string path, std::string summary, std::string tag);

  struct Match {
    const Route* route = nullptr;
    std::vector<std::string> params;
  };
  // The route of this method and decoded path. Without one: nullopt, and `allowed` gets the
  // methods of the routes whose path matches (empty: no such path at all).
  std::optional<Match> find(std::string_view method, std::string_view path,
                            std::vector<std::string>* allowed) const;
  // REQUIRES: no route is added after the first find().
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
};

// The capability files: each adds its routes.
void add_system_routes(Router& r, Services& s);
void add_account_routes(Router& r, Services& s);
void add_stats_routes(Router& r, Services& s);
void add_select_routes(Router& r, Services& s);
void add_network_routes(Router& r, Services& s);
void add_evaluate_routes(Router& r, Services& s);
void add_factory_routes(Router& r, Services& s);
void add_report_routes(Router& r, Services& s);
void add_portal_routes(Router& r, Services& s);
void add_impact_routes(Router& r, Services& s);
void add_entity_routes(Router& r, Services& s);
void add_mapped_import_routes(Router& r, Services& s);
void add_resolution_routes(Router& r, Services& s);
void add_request_routes(Router& r, Services& s);
void add_support_routes(Router& r, Services& s);
void add_census_routes(Router& r, Services& s);

}  // namespace poles::http
