// Long computations run as jobs for the API: each runs on its own thread, reports its progress
// (share done and stage), can be cancelled, and keeps its typed result or its error until it
// expires. At most `max_running` jobs run at once; the others are refused (the machine has few
// cores). The jobs are impact estimations (app/impact.h).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/impact.h"
#include "app/params.h"
#include "core/status.h"
#include "core/typed_json.h"

namespace poles::app {

// The parameters of a job: the values in force (given or defaulted, as text) and where its data
// come from ("store", or "csv" for a file sent with the job). Written as one object of text,
// the parameters by name and then "data".
struct ImpactJobParams {
  Params values;
  std::string data;
};
tj::Json poles_to_json(const ImpactJobParams& p);
tj::Json poles_json_schema(const ImpactJobParams*, tj::Schemas& s);

// A job as its owner sees it: its state (running, done, failed or cancelled), progress (share
// done) and stage, its parameters, the error of a failed job and the result of a finished one
// (left out of the lists).
struct ImpactJob {
  std::string id, kind, owner, state;
  double progress = 0;
  std::string stage, created;
  std::optional<std::string> finished;
  ImpactJobParams params;
  tj::Omittable<std::string> error;
  tj::Omittable<ImpactEstimate> result;
};
POLES_JSON(ImpactJob, id, kind, owner, state, progress, stage, created, finished, params, error,
           result)

// The jobs an account sees (by id), without their results.
struct ImpactJobList {
  std::vector<ImpactJob> items;
};
POLES_JSON(ImpactJobList, items)

// Thread-safe: every member may be called from any thread.
class Jobs {
 public:
  using Work = std::function<Result<ImpactEstimate>(const ImpactProgress&)>;
  explicit Jobs(int max_running = 2, std::chrono::minutes keep = std::chrono::minutes(120));
  ~Jobs();  // cancels and joins every running job
  Jobs(const Jobs&) = delete;
  Jobs& operator=(const Jobs&) = delete;

  // Starts a job owned by `owner`; ResourceExhausted when too many run.
  Result<std::string> start(const std::string& owner, const std::string& kind,
                            ImpactJobParams params, Work work);
  // The job's state (with its result once done). NotFound for unknown ids and for other owners'
  // jobs unless `any_owner`.
  Result<ImpactJob> status(const std::string& id, const std::string& owner, bool any_owner,
                           bool with_result = true) const;
  Status cancel(const std::string& id, const std::string& owner, bool any_owner);
  // The jobs of `owner` (every job with `any_owner`), without their results.
  ImpactJobList list(const std::string& owner, bool any_owner) const;
  // The result of a finished job (for reports); PreconditionFailed while it is not done.
  Result<ImpactEstimate> result(const std::string& id, const std::string& owner,
                                bool any_owner) const;

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
