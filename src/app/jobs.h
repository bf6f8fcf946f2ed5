// Long computations run as jobs for the API: each runs on its own thread, reports its progress
// (share done and stage), can be cancelled, and keeps its JSON result or error until it expires.
// At most `max_running` jobs run at once; the others are refused (the machine has few cores).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/impact.h"
#include "core/status.h"

namespace poles::app {

class Jobs {
 public:
  using Work = std::function<Result<Json>(const ImpactProgress&)>;
  explicit Jobs(int max_running = 2, std::chrono::minutes keep = std::chrono::minutes(120));
  ~Jobs();  // cancels and joins every running job
  Jobs(const Jobs&) = delete;
  Jobs& operator=(const Jobs&) = delete;

  // Starts a job owned by `owner`; ResourceExhausted when too many run.
  Result<std::string> start(const std::string& owner, const std::string& kind, Json params,
                            Work work);
  // The job's state (with its result once done). NotFound for unknown ids and for other owners'
  // jobs unless `any_owner`.
  Result<Json> status(const std::string& id, const std::string& owner, bool any_owner,
                      bool with_result = true) const;
  Status cancel(const std::string& id, const std::string& owner, bool any_owner);
  Json list(const std::string& owner, bool any_owner) const;
  // The result of a finished job (for reports).
  Result<Json> result(const std::string& id, const std::string& owner, bool any_owner) const;

 private:
  struct Job;
  std::shared_ptr<Job> find(const std::string& id, const std::string& owner, bool any_owner) const;
  void expire();
  int max_running_;
  std::chrono::minutes keep_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::map<std::string, std::thread> threads_;  // joined once their job has finished
  uint64_t next_ = 1;
};

}  // namespace poles::app
