#include "app/jobs.h"

#include <fmt/format.h>

#include <exception>

#include "core/date.h"

namespace poles::app {

tj::Json poles_to_json(const ImpactJobParams& p) {
  tj::Json out = tj::Json::object();
  for (const auto& [name, value] : p.values) out[name] = value;
  out["data"] = p.data;
  return out;
}

tj::Json poles_json_schema(const ImpactJobParams*, tj::Schemas& s) {
  const std::string name = "ImpactJobParams";
  if (s.components().contains(name)) return tj::Schemas::ref(name);
  tj::Json props = tj::Json::object();
  for (const auto& spec : impact_params()) {
    props[spec.name] = {{"type", "string"}, {"description", spec.help}};
  }
  props["data"] = {{"type", "string"},
                   {"enum", tj::Json::array({"store", "csv"})},
                   {"description", "The store's firm panel, or the CSV sent with the job"}};
  return s.add(name, {{"type", "object"},
                      {"properties", props},
                      {"required", tj::Json::array({"data"})},
                      {"additionalProperties", false}});
}

struct Jobs::Job {
  std::string id, owner, kind, created, finished;
  ImpactJobParams params;
  std::atomic<bool> cancel{false};
  std::chrono::steady_clock::time_point done_at;
  mutable std::mutex mu;
  std::string state = "running", stage = "queued", error;
  double progress = 0;
  std::optional<ImpactEstimate> result;
};

Jobs::Jobs(int max_running, std::chrono::minutes keep) : max_running_(max_running), keep_(keep) {}

Jobs::~Jobs() {
  {
    std::lock_guard lock(mu_);
    for (auto& [id, job] : jobs_) job->cancel = true;
  }
  for (auto& [id, t] : threads_) {
    if (t.joinable()) t.join();
  }
}

void Jobs::expire() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    std::lock_guard lock(it->second->mu);
    const bool finished = it->second->state != "running";
    if (auto t = threads_.find(it->first); finished && t != threads_.end()) {
      t->second.join();  // the work is over; only the final bookkeeping may remain
      threads_.erase(t);
    }
    if (finished && now - it->second->done_at > keep_) {
      it = jobs_.erase(it);
    } else {
      ++it;
    }
  }
}

Result<std::string> Jobs::start(const std::string& owner, const std::string& kind,
                                ImpactJobParams params, Work work) {
  std::lock_guard lock(mu_);
  expire();
  int running = 0;
  for (const auto& [id, job] : jobs_) {
    std::lock_guard jl(job->mu);
    running += job->state == "running";
  }
  if (running >= max_running_) {
    return Status::resource_exhausted(fmt::format(
        "{} estimations are running already; wait for one to finish or cancel one", running));
  }
  auto job = std::make_shared<Job>();
  job->id = fmt::format("job-{}", next_++);
  job->owner = owner;
  job->kind = kind;
  job->params = std::move(params);
  job->created = utc_timestamp();
  jobs_[job->id] = job;
  threads_[job->id] = std::thread([job, work = std::move(work)] {
    ImpactProgress progress;
    progress.report = [job](double share, const std::string& stage) {
      std::lock_guard l(job->mu);
      job->progress = share;
      job->stage = stage;
    };
    progress.cancelled = [job] { return job->cancel.load(); };
    // An exception left in this thread would end the process: the job fails instead.
    Result<ImpactEstimate> r = [&]() -> Result<ImpactEstimate> {
      try {
        return work(progress);
      } catch (const std::exception& e) {
        return Status::internal(fmt::format("the estimation failed: {}", e.what()));
      }
    }();
    std::lock_guard l(job->mu);
    job->finished = utc_timestamp();
    job->done_at = std::chrono::steady_clock::now();
    if (r) {
      job->state = "done";
      job->progress = 1;
      job->stage = "done";
      job->result = std::move(*r);
    } else {
      job->state = r.error().code() == ErrorCode::kCancelled ? "cancelled" : "failed";
      job->error = r.error().message();
    }
  });
  return job->id;
}

std::shared_ptr<Jobs::Job> Jobs::find(const std::string& id, const std::string& owner,
                                      bool any_owner) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end() || (!any_owner && it->second->owner != owner)) return nullptr;
  return it->second;
}

Result<ImpactJob> Jobs::status(const std::string& id, const std::string& owner, bool any_owner,
                               bool with_result) const {
  auto job = find(id, owner, any_owner);
  if (!job) return Status::not_found(fmt::format("no job '{}'", id));
  std::lock_guard l(job->mu);
  ImpactJob j;
  j.id = job->id;
  j.kind = job->kind;
  j.owner = job->owner;
  j.state = job->state;
  j.progress = job->progress;
  j.stage = job->stage;
  j.created = job->created;
  if (!job->finished.empty()) j.finished = job->finished;
  j.params = job->params;
  if (!job->error.empty()) j.error = job->error;
  if (with_result && job->state == "done" && job->result) j.result = *job->result;
  return j;
}

Status Jobs::cancel(const std::string& id, const std::string& owner, bool any_owner) {
  auto job = find(id, owner, any_owner);
  if (!job) return Status::not_found(fmt::format("no job '{}'", id));
  job->cancel = true;
  return Status::ok();
}

ImpactJobList Jobs::list(const std::string& owner, bool any_owner) const {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, job] : jobs_) {
      if (any_owner || job->owner == owner) ids.push_back(id);
    }
  }
  ImpactJobList out;
  for (const auto& id : ids) {
    if (auto s = status(id, owner, any_owner, false)) out.items.push_back(std::move(*s));
  }
  return out;
}

Result<ImpactEstimate> Jobs::result(const std::string& id, const std::string& owner,
                                    bool any_owner) const {
  auto job = find(id, owner, any_owner);
  if (!job) return Status::not_found(fmt::format("no job '{}'", id));
  std::lock_guard l(job->mu);
  if (job->state != "done" || !job->result)
    return Status::precondition_failed(fmt::format("job '{}' is {}", id, job->state));
  return *job->result;
}

}  // namespace poles::app
