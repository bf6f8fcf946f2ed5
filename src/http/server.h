// The HTTP server: the JSON API under /api/v1 and the dashboard's static files at /.
// The network side is the Listener (Boost.Beast, every limit of Limits enforced); the routes are
// declared by capability in src/http/routes/ over one Router, whose table also gives the
// OpenAPI document and the route × role test. Handlers are thin: they parse, call the app layer
// and write its typed result; every error is application/problem+json.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/limits.h"
#include "http/router.h"

namespace poles::http {

class Server {
 public:
  // Opens the store (a pool of connections) and builds the routes.
  static Result<std::unique_ptr<Server>> create(const Config& config);
  ~Server();

  // Binds the listening socket; returns the port (useful with port 0).
  Result<int> bind();
  // Serves until stop(); requests in flight complete before it returns.
  void run();
  // Thread-safe; graceful: stops accepting, lets requests in flight answer, then returns.
  void stop();

  const std::vector<std::unique_ptr<Route>>& routes() const;
  // The OpenAPI 3.1 document of the routes.
  const std::string& openapi() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace poles::http
