// What the route handlers share within one server: its configuration, the pool of store
// connections, the caches keyed by data version, the impact jobs, and the guards against floods
// (failed logins, anonymous requests).
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "app/jobs.h"
#include "app/network.h"
#include "app/store_pool.h"
#include "http/limits.h"
#include "snapshot/loader.h"

namespace poles::http {

// Failed logins per key ("name:…", "addr:…") in the last minute.
class LoginThrottle {
 public:
  explicit LoginThrottle(int attempts) : attempts_(attempts) {}
  bool blocked(const std::string& key);
  void failed(const std::string& key);

 private:
  int attempts_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<std::chrono::steady_clock::time_point>> failures_;
};

// Token buckets per client address: `rate` requests a second, bursts of `burst`.
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

struct Services {
  explicit Services(const Config& c)
      : config(c),
        logins(c.limits.login_attempts),
        anonymous(c.limits.anonymous_rate, c.limits.anonymous_burst) {}

  Config config;
  std::unique_ptr<app::StorePool> pool;
  snapshot::Cache snapshots;
  app::NetworkCache networks;
  app::Jobs jobs;
  LoginThrottle logins;
  RateLimiter anonymous;
  std::string openapi;  // the OpenAPI document, made once the routes are declared
};

}  // namespace poles::http
