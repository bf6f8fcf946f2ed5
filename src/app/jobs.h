// Long computations run as jobs for the API: each runs on its own thread, reports its progress
// (share done and stage), can be cancelled, and keeps its typed result or its error until it
// expires. At most `max_running` jobs run at once in a server; the others wait in the store's
// queue (at most kMaxQueued), for this server or another. The jobs are impact estimations
// (app/impact.h).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/impact.h"
#include "app/params.h"
#include "app/store_pool.h"
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
//
// The jobs are rows of the store (table impact_job), so that several servers on one PostgreSQL
// share them: the server that receives a job queues it; a dispatcher thread in each server claims
// queued jobs while it has a free slot (`max_running` each) and runs them, writing their
// progress and a heartbeat every half second and reading whether someone asked them to stop; any
// server shows a job, cancels it (the flag its runner reads) and returns its result. A running
// job whose heartbeat is older than a minute on the database's clock (its server died) is queued
// again, three claims at most; so are the jobs of a server that stops. Every write of a runner
// names its server: a job another server took over is not touched. Ids are "job-<n>", numbered
// by the store and never reused. Finished jobs are deleted `keep` after they finished.
class Jobs {
 public:
  // Runs one job from what was stored with it: its arguments (name -> text) and the CSV sent
  // with it ("" for the store's panel).
  using Runner = std::function<Result<ImpactEstimate>(const Params& args, const std::string& csv,
                                                      const ImpactProgress&)>;
  explicit Jobs(int max_running = 2, std::chrono::minutes keep = std::chrono::minutes(120));
  ~Jobs();  // stops the dispatcher; jobs running here are queued again for another server
  Jobs(const Jobs&) = delete;
  Jobs& operator=(const Jobs&) = delete;

  // Starts the dispatcher on `pool` (REQUIRES: before any other call; the pool outlives this).
  // `worker` names this server in the rows it claims.
  void attach(StorePool& pool, Runner runner, std::string worker);
  // Claims no more jobs, and asks those running here to stop: they are queued again for
  // another server (or this one, restarted). Thread-safe; the destructor calls it.
  void stop();

  // Queues a job owned by `owner`; ResourceExhausted when `max_queued` wait already.
  Result<std::string> start(const std::string& owner, const std::string& kind,
                            ImpactJobParams params, const Params& args, const std::string& csv);
  // The job's state (with its result once done). NotFound for unknown ids and for other owners'
  // jobs unless `any_owner`. A queued job is "running" at stage "queued".
  Result<ImpactJob> status(const std::string& id, const std::string& owner, bool any_owner,
                           bool with_result = true) const;
  Status cancel(const std::string& id, const std::string& owner, bool any_owner);
  // The jobs of `owner` (every job with `any_owner`), without their results.
  Result<ImpactJobList> list(const std::string& owner, bool any_owner) const;
  // The result of a finished job (for reports); PreconditionFailed while it is not done.
  Result<ImpactEstimate> result(const std::string& id, const std::string& owner,
                                bool any_owner) const;
  // Jobs of the store by state (queued, running, done, failed, cancelled): the metrics.
  Result<std::map<std::string, int>> counts() const;

  static constexpr int kMaxQueued = 8;

 private:
  struct Local;
  void dispatch();
  Status claim();
  void flush();
  void run(std::shared_ptr<Local> job, Params args, std::string csv);
  Result<std::vector<ImpactJob>> read(const std::string& where, const std::vector<Value>& params,
                                      bool with_result) const;

  int max_running_;
  std::chrono::minutes keep_;
  StorePool* pool_ = nullptr;
  Runner runner_;
  std::string worker_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, std::shared_ptr<Local>> local_;  // running here
  std::map<std::string, std::thread> threads_;           // joined once their job has finished
  std::thread dispatcher_;
};

}  // namespace poles::app
