// The network side of the server, on Boost.Beast and Asio: accepts connections, reads requests
// under every limit of `Limits`, hands them to a Dispatcher and writes the answers.
//
// A request goes through two steps. Once its head is read, `admit` sees it without its body and
// either answers at once (an unknown route, a caller not logged in or not allowed, a body
// announced too large, a flood) or says how large a body it accepts; only then is the body read,
// counted on the decoded stream whatever its framing, and `handle` answers. Errors of the
// protocol itself (a malformed head, a bad or conflicting Content-Length or Transfer-Encoding, a
// head or URL too long, invalid UTF-8 or NUL in the path) are answered here with a problem
// document and the connection is closed. Slow clients are cut by per-phase timeouts; the number
// of connections is capped in total and per client address.
//
// Threads: `threads` threads run the I/O and the handlers; a handler may block (database,
// computation) without holding up other connections. `stop()` is thread-safe: it stops
// accepting, lets requests in progress finish and answer, closes idle connections, and returns
// once every connection is gone (or after `drain_seconds`).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/status.h"
#include "http/exchange.h"
#include "http/limits.h"

namespace poles::http {

struct Admission {
  std::optional<Response> answer;  // set: answer this at once, without reading the body
  uint64_t body_limit = 0;         // otherwise: the largest body accepted
  std::shared_ptr<void> state;     // what admit found (the route, the caller), given to handle
};

class Dispatcher {
 public:
  virtual ~Dispatcher() = default;
  // The request without its body (REQUIRES: req.body empty). Thread-safe.
  virtual Admission admit(Request& req) = 0;
  // The whole request. Thread-safe; may block.
  virtual void handle(Request& req, Admission& admission, Response& res) = 0;
  // Headers added to every answer (security headers); `req` may be partly read (an answer to a
  // malformed request).
  virtual void decorate(const Request& req, Response& res) = 0;
  // Once an answer is written (or its write failed): for the logs and metrics.
  virtual void finished(const Request& req, int status, uint64_t bytes, double seconds) = 0;
  // Whether a peer is a trusted proxy: the per-client connection cap does not apply to it (it
  // carries many clients' connections; the rate limits count them by the address it names).
  virtual bool is_proxy(const std::string& peer) const = 0;
};

class Listener {
 public:
  Listener(const Limits& limits, int threads, Dispatcher& dispatcher);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds host:port (port 0: any free port); returns the port.
  Result<int> bind(const std::string& host, int port);
  // Serves until stop(); REQUIRES bind() succeeded.
  void run();
  void stop(int drain_seconds = 30);
  // Connections open now (the metrics). Thread-safe.
  uint32_t open_connections() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace poles::http
