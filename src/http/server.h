// The HTTP server: the JSON API under /api/v1 and the dashboard's static files at /.
// Thin: each handler parses the request, calls the app layer and serialises; one adapter turns
// a Status into application/problem+json (RFC 9457). Every route is declared once in a route
// table that also feeds the OpenAPI document and the authorisation test.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "core/status.h"

namespace poles::http {

struct Config {
  std::string db = "poles.db";
  std::string host = "127.0.0.1";
  int port = 8080;             // 0: any free port
  int threads = 32;            // each keep-alive connection holds a thread while open
  int store_connections = 16;  // database connections shared by the worker threads
  std::string web_root;        // dashboard files; empty: no static files
  size_t max_body_bytes = 64u << 20;
  int timeout_seconds = 30;  // read and write timeouts of a connection
  int login_attempts = 5;    // failed logins per name and per client address per minute
};

// Who may call a route.
enum class Guard : uint8_t { kPublic, kAuthenticated, kRoles };

struct RouteInfo {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // OpenAPI template, e.g. /api/v1/cluster/{id}
  std::string summary;
  std::string tag;
  Guard guard = Guard::kAuthenticated;
  // For kRoles: the roles allowed to call the route at all (row scopes are checked inside).
  std::function<bool(app::Role)> allowed;
  std::string entity;  // the registry entity of generic routes, else empty
};

class Server {
 public:
  // Opens the store (a pool of connections) and builds the routes.
  static Result<std::unique_ptr<Server>> create(const Config& config);
  ~Server();

  // Binds the listening socket; returns the port (useful with port 0).
  Result<int> bind();
  // Serves until stop(); in-flight requests complete before it returns.
  void run();
  // Thread-safe; graceful.
  void stop();

  const std::vector<RouteInfo>& routes() const;
  // The OpenAPI 3.1 document of the routes.
  std::string openapi() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace poles::http
