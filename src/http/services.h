// What the route handlers share within one server: its configuration, the pool of store
// connections, the caches keyed by data version, the impact jobs, and the guards against floods
// (failed logins, anonymous requests).
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "app/accounts.h"
#include "app/jobs.h"
#include "app/network.h"
#include "app/store_pool.h"
#include "app/support.h"
#include "http/limits.h"
#include "http/metrics.h"
#include "snapshot/loader.h"

namespace poles::http {

// The address by which a client is throttled (password checks, anonymous requests): its
// address, an IPv6 one cut to its /64 (one subscriber usually holds a whole /64, and could
// otherwise rotate through it to get a fresh allowance with each address).
std::string throttle_address(const std::string& client);

// Token buckets per client address (throttle_address: an IPv6 client by its /64): `rate`
// requests a second, bursts of `burst`.
class RateLimiter {
 public:
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
  // Takes one token; false (and the seconds to wait) when the bucket is empty.
  bool take(const std::string& client, double* retry_after_seconds);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  double rate_;
  double burst_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::chrono::steady_clock::time_point swept_ = std::chrono::steady_clock::now();
};

// The throttle of password checks from the limits: `login_attempts` free failures per account
// and address, four times as many per address (all accounts) and per account (from addresses
// that never logged into it); the backoff starts at `login_backoff_seconds`.
inline app::LoginThrottle::Options login_throttle_options(const Limits& l) {
  app::LoginThrottle::Options o;
  o.free_per_pair = l.login_attempts;
  o.free_per_address = 4 * l.login_attempts;
  o.free_per_account = 4 * l.login_attempts;
  o.base_seconds = l.login_backoff_seconds;
  return o;
}

struct Services {
  explicit Services(const Config& c)
      : config(c),
        logins(login_throttle_options(c.limits)),
        anonymous(c.limits.anonymous_rate, c.limits.anonymous_burst) {}

  Config config;
  std::unique_ptr<app::StorePool> pool;
  snapshot::Cache snapshots;
  app::NetworkCache networks;
  app::Jobs jobs;
  // Password checks (login, change of password), shared with the other servers of the store:
  // see app/accounts.h.
  app::SharedLogins logins;
  RateLimiter anonymous;
  // The portal's support requests: per address (5 an hour, a burst of 5) and in all (300 an
  // hour, a burst of 100), so that a flood from one address, or from many, fills no inbox.
  RateLimiter support_per_address{5.0 / 3600, 5};
  RateLimiter support_all{300.0 / 3600, 100};  // charged only by requests about to be stored
  app::StampLedger support_stamps;             // each form's stamp sends one request
  Metrics metrics;
  std::atomic<bool> stopping{false};  // stop() was called: not ready for new work
  // Read at scrape time (set by the server): connections open; the answer cache's entries and
  // bytes.
  std::function<uint32_t()> open_connections;
  std::function<std::pair<uint64_t, uint64_t>()> cache_size;
  // On PostgreSQL: the store's notifications of new data versions heard so far, and whether the
  // server is listening now (store::VersionWatch).
  std::function<std::pair<uint64_t, bool>()> store_notifications;
  std::string openapi;         // the OpenAPI document, made once the routes are declared
  std::string public_openapi;  // the public API's (/api/public/v1/)
};

}  // namespace poles::http
