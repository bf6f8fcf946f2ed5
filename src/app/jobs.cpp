#include "app/jobs.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

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

namespace {

constexpr auto kTick = std::chrono::milliseconds(500);
// A running job whose heartbeat is older than this (seconds, on the database's clock): its server
// is gone.
constexpr int kStaleSeconds = 60;
// Claims of one job: past them, a job that keeps losing its server (one it may crash) fails.
constexpr int kMaxAttempts = 3;

std::string text(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return {};
}

double number(const Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return 0;
}

// "job-12" -> 12; 0 for anything else (no job has it).
int64_t seq_of(const std::string& id) {
  if (!id.starts_with("job-") || id.size() > 22) return 0;
  int64_t seq = 0;
  for (size_t i = 4; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9') return 0;
    seq = seq * 10 + (id[i] - '0');
  }
  return seq;
}

std::string id_of(const Value& seq) { return fmt::format("job-{}", text(seq)); }

// The database's clock as "YYYY-MM-DDTHH:MM:SSZ", `offset` seconds from now: every server
// compares heartbeats on one clock, whatever its own says.
std::string db_now(store::Store& s, int offset = 0) {
  const std::string sql =
      s.backend() == store::Backend::kSqlite
          ? "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ? || ' seconds')"
          : "SELECT to_char((now() AT TIME ZONE 'UTC') + CAST(? AS BIGINT) * INTERVAL '1 second', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
  auto r = s.query(sql, {int64_t{offset}});
  if (r && !r->empty() && std::holds_alternative<std::string>((*r)[0][0])) return text((*r)[0][0]);
  // This server's clock, the offset applied (a store that cannot tell the time).
  spdlog::warn("impact jobs: the store's clock could not be read: {}",
               r ? std::string("no answer") : r.error().message());
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) + offset;
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(t));
}

// A result as the store keeps it: the estimator's member by name (the API's JSON of an estimate
// is the estimator's object alone, which does not say how to read it back).
struct StoredEstimate {
  std::optional<ImpactDid> did;
  std::optional<ImpactOls> ols;
  std::optional<ImpactEvent> event;
  std::optional<ImpactMatch> match;
};
POLES_JSON(StoredEstimate, did, ols, event, match)

std::string stored(const ImpactEstimate& e) {
  return tj::to_json(StoredEstimate{e.did, e.ols, e.event, e.match}).dump();
}

Result<ImpactEstimate> read_stored(const std::string& text) {
  const auto j = tj::Json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status::internal("not JSON");
  POLES_ASSIGN_OR_RETURN(auto s, tj::from_stored_json<StoredEstimate>(j));
  return ImpactEstimate{std::move(s.did), std::move(s.ols), std::move(s.event), std::move(s.match)};
}

constexpr const char* kColumns =
    "seq, owner, kind, params, state, progress, stage, created, finished, error, result";

}  // namespace

// A job running in this server: what its runner reports, and whether to stop.
struct Jobs::Local {
  std::string id;
  int64_t seq = 0;
  std::mutex mu;
  double progress = 0;
  std::string stage = "started";
  std::atomic<bool> cancel{false};
  std::atomic<bool> lost{false};  // another server has it now: its end is not ours to write
  std::atomic<bool> done{false};
};

Jobs::Jobs(int max_running, std::chrono::minutes keep) : max_running_(max_running), keep_(keep) {}

Jobs::~Jobs() {
  stop();
  if (dispatcher_.joinable()) dispatcher_.join();
  for (auto& [id, t] : threads_) {
    if (t.joinable()) t.join();
  }
}

void Jobs::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [id, job] : local_) job->cancel = true;
  }
  wake_.notify_all();
}

void Jobs::attach(StorePool& pool, Runner runner, std::string worker) {
  pool_ = &pool;
  runner_ = std::move(runner);
  worker_ = std::move(worker);
  dispatcher_ = std::thread([this] { dispatch(); });
}

void Jobs::dispatch() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    flush();
    if (auto st = claim(); !st.is_ok()) spdlog::warn("impact jobs: {}", st.message());
    lock.lock();
    // Threads whose job has finished are joined here.
    for (auto it = threads_.begin(); it != threads_.end();) {
      auto job = local_.find(it->first);
      if (job == local_.end() || job->second->done) {
        if (it->second.joinable()) it->second.join();
        if (job != local_.end()) local_.erase(job);
        it = threads_.erase(it);
      } else {
        ++it;
      }
    }
    wake_.wait_for(lock, kTick);
  }
}

// Progress and heartbeat of the jobs running here; their cancel flags; stale and old jobs.
void Jobs::flush() {
  std::vector<std::shared_ptr<Local>> running;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, job] : local_)
      if (!job->done) running.push_back(job);
  }
  auto lease = pool_->lease();
  // Read before the transaction: on PostgreSQL a connection holds one at a time.
  const std::string now = db_now(*lease);
  const std::string stale = db_now(*lease, -kStaleSeconds);
  const std::string expired = db_now(*lease, -static_cast<int>(keep_.count() * 60));
  auto tx = lease->begin();
  if (!tx) return;
  for (const auto& job : running) {
    double progress = 0;
    std::string stage;
    {
      std::lock_guard l(job->mu);
      progress = job->progress;
      stage = job->stage;
    }
    const int64_t before = (*tx)->changes();
    (void)(*tx)->execute(
        "UPDATE impact_job SET progress = ?, stage = ?, heartbeat = ? WHERE seq = ? AND "
        "state = 'running' AND worker = ?",
        {progress, stage, now, job->seq, worker_});
    if ((*tx)->changes() == before) {
      // Queued again (this server was taken for gone) or ended by another: stop here.
      job->lost = true;
      job->cancel = true;
      continue;
    }
    if (auto r = (*tx)->query("SELECT cancel FROM impact_job WHERE seq = ?", {job->seq});
        r && !r->empty() && number((*r)[0][0]) != 0) {
      job->cancel = true;
    }
  }
  // Jobs of a server that stopped beating: queued again for whichever server is free, unless
  // they lost their server kMaxAttempts times already (a job that crashes its server).
  (void)(*tx)->execute(
      "UPDATE impact_job SET state = CASE WHEN attempts >= ? THEN 'failed' ELSE 'queued' END, "
      "error = CASE WHEN attempts >= ? THEN ? ELSE error END, finished = CASE WHEN attempts >= ? "
      "THEN ? ELSE finished END, worker = NULL, progress = 0, stage = 'queued' WHERE state = "
      "'running' AND heartbeat < ?",
      {int64_t{kMaxAttempts}, int64_t{kMaxAttempts},
       std::string("the servers running it stopped while it ran, three times"),
       int64_t{kMaxAttempts}, now, stale});
  (void)(*tx)->execute(
      "DELETE FROM impact_job WHERE state IN ('done', 'failed', 'cancelled') AND finished < ?",
      {expired});
  if (auto st = (*tx)->commit(); !st.is_ok()) spdlog::warn("impact jobs: {}", st.message());
}

Status Jobs::claim() {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_ || static_cast<int>(local_.size()) >= max_running_) return Status::ok();
    }
    auto lease = pool_->lease();
    const std::string now = db_now(*lease);
    POLES_ASSIGN_OR_RETURN(auto tx, lease->begin());
    // One UPDATE takes the oldest queued job; a server that lost the race to another finds the
    // row no longer queued and updates nothing.
    POLES_ASSIGN_OR_RETURN(
        auto rows,
        tx->query("UPDATE impact_job SET state = 'running', worker = ?, heartbeat = ?, "
                  "stage = 'started', attempts = attempts + 1 WHERE seq = (SELECT seq FROM "
                  "impact_job WHERE state = 'queued' ORDER BY seq LIMIT 1) AND state = 'queued' "
                  "RETURNING seq, args, data, cancel",
                  {worker_, now}));
    POLES_RETURN_IF_ERROR(tx->commit());
    if (rows.empty()) return Status::ok();
    auto job = std::make_shared<Local>();
    job->seq = static_cast<int64_t>(number(rows[0][0]));
    job->id = id_of(rows[0][0]);
    job->cancel = number(rows[0][3]) != 0;
    Params args;
    const auto j = tj::Json::parse(text(rows[0][1]), nullptr, false);
    if (j.is_object()) {
      for (const auto& [k, v] : j.items())
        if (v.is_string()) args[k] = v.get<std::string>();
    }
    std::lock_guard lock(mu_);
    // Claimed while the server began to stop: it runs only to be put back at once.
    if (stopping_) job->cancel = true;
    local_[job->id] = job;
    threads_[job->id] = std::thread(
        [this, job, args = std::move(args), csv = text(rows[0][2])] { run(job, args, csv); });
  }
}

void Jobs::run(std::shared_ptr<Local> job, Params args, std::string csv) {
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
      return runner_(args, csv, progress);
    } catch (const std::exception& e) {
      return Status::internal(fmt::format("the estimation failed: {}", e.what()));
    }
  }();
  bool requeue = false;
  {
    std::lock_guard lock(mu_);
    requeue = stopping_ && !r && r.error().code() == ErrorCode::kCancelled;
  }
  Status st = Status::ok();
  if (!job->lost) {
    auto lease = pool_->lease();
    const std::string now = db_now(*lease);
    // Every write names this server: a job another server holds now is not touched.
    if (auto tx = lease->begin(); tx) {
      if (requeue) {
        // The server stops: another (or this one, restarted) runs the job again, unless its
        // owner asked to stop it meanwhile.
        st = (*tx)->execute(
            "UPDATE impact_job SET state = CASE WHEN cancel = 0 THEN 'queued' ELSE 'cancelled' "
            "END, worker = NULL, progress = 0, stage = 'queued', attempts = CASE WHEN cancel = 0 "
            "THEN attempts - 1 ELSE attempts END, finished = CASE WHEN cancel = 0 THEN NULL ELSE "
            "? END, error = CASE WHEN cancel = 0 THEN NULL ELSE ? END WHERE seq = ? AND worker = "
            "? AND state = 'running'",
            {now, std::string("cancelled"), job->seq, worker_});
      } else if (r) {
        st = (*tx)->execute(
            "UPDATE impact_job SET state = 'done', progress = 1, stage = 'done', finished = ?, "
            "result = ?, data = NULL WHERE seq = ? AND worker = ? AND state = 'running'",
            {now, stored(*r), job->seq, worker_});
      } else {
        st = (*tx)->execute(
            "UPDATE impact_job SET state = ?, finished = ?, error = ?, data = NULL WHERE seq = ? "
            "AND worker = ? AND state = 'running'",
            {std::string(r.error().code() == ErrorCode::kCancelled ? "cancelled" : "failed"), now,
             r.error().message(), job->seq, worker_});
      }
      if (st.is_ok()) st = (*tx)->commit();
    } else {
      st = tx.error();
    }
  }
  if (!st.is_ok())
    spdlog::error("impact job {}: its end was not recorded: {}", job->id, st.message());
  job->done = true;
  wake_.notify_all();
}

Result<std::string> Jobs::start(const std::string& owner, const std::string& kind,
                                ImpactJobParams params, const Params& args,
                                const std::string& csv) {
  if (pool_ == nullptr) return Status::internal("the jobs have no store");
  tj::Json a = tj::Json::object();
  for (const auto& [k, v] : args) a[k] = v;
  auto lease = pool_->lease();
  const std::string now = db_now(*lease);
  POLES_ASSIGN_OR_RETURN(auto tx, lease->begin());
  POLES_ASSIGN_OR_RETURN(auto queued,
                         tx->query("SELECT count(*) FROM impact_job WHERE state = 'queued'", {}));
  if (number(queued[0][0]) >= kMaxQueued) {
    return Status::resource_exhausted(
        fmt::format("{} estimations are waiting already; wait for one to finish or cancel one",
                    static_cast<int64_t>(number(queued[0][0]))));
  }
  // Numbered by the store (an AUTOINCREMENT or a sequence): an id is never used twice.
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      tx->query("INSERT INTO impact_job (owner, kind, params, args, data, state, progress, "
                "stage, created) VALUES (?, ?, ?, ?, ?, 'queued', 0, 'queued', ?) RETURNING seq",
                {owner, kind, poles_to_json(params).dump(), a.dump(),
                 csv.empty() ? Value{} : Value{csv}, now}));
  POLES_RETURN_IF_ERROR(tx->commit());
  if (rows.empty()) return Status::internal("the job was not numbered");
  wake_.notify_all();
  return id_of(rows[0][0]);
}

Result<std::vector<ImpactJob>> Jobs::read(const std::string& where,
                                          const std::vector<Value>& params,
                                          bool with_result) const {
  if (pool_ == nullptr) return Status::internal("the jobs have no store");
  auto lease = pool_->lease();
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      lease->query(fmt::format("SELECT {} FROM impact_job {} ORDER BY seq", kColumns, where),
                   params));
  std::vector<ImpactJob> out;
  for (const auto& r : rows) {
    ImpactJob j;
    j.id = id_of(r[0]);
    j.owner = text(r[1]);
    j.kind = text(r[2]);
    const auto p = tj::Json::parse(text(r[3]), nullptr, false);
    if (p.is_object()) {
      for (const auto& [k, v] : p.items()) {
        if (!v.is_string()) continue;
        if (k == "data") {
          j.params.data = v.get<std::string>();
        } else {
          j.params.values[k] = v.get<std::string>();
        }
      }
    }
    j.state = text(r[4]);
    if (j.state == "queued") j.state = "running";  // its stage says "queued"
    j.progress = number(r[5]);
    j.stage = text(r[6]);
    j.created = text(r[7]);
    if (!std::holds_alternative<std::monostate>(r[8])) j.finished = text(r[8]);
    if (!std::holds_alternative<std::monostate>(r[9])) j.error = text(r[9]);
    if (with_result && j.state == "done" && !std::holds_alternative<std::monostate>(r[10])) {
      auto est = read_stored(text(r[10]));
      if (!est)
        return Status::internal(fmt::format("job '{}': its stored result does not read back: {}",
                                            j.id, est.error().to_string()));
      j.result = std::move(*est);
    }
    out.push_back(std::move(j));
  }
  return out;
}

Result<ImpactJob> Jobs::status(const std::string& id, const std::string& owner, bool any_owner,
                               bool with_result) const {
  const int64_t seq = seq_of(id);
  POLES_ASSIGN_OR_RETURN(
      auto jobs, any_owner ? read("WHERE seq = ?", {seq}, with_result)
                           : read("WHERE seq = ? AND owner = ?", {seq, owner}, with_result));
  if (jobs.empty()) return Status::not_found(fmt::format("no job '{}'", id));
  return std::move(jobs[0]);
}

Status Jobs::cancel(const std::string& id, const std::string& owner, bool any_owner) {
  POLES_ASSIGN_OR_RETURN(auto job, status(id, owner, any_owner, false));
  auto lease = pool_->lease();
  const std::string now = db_now(*lease);
  POLES_ASSIGN_OR_RETURN(auto tx, lease->begin());
  // A queued job ends at once; a running one when its runner reads the flag (within a tick).
  POLES_RETURN_IF_ERROR(tx->execute(
      "UPDATE impact_job SET cancel = 1, state = CASE WHEN state = 'queued' THEN 'cancelled' "
      "ELSE state END, finished = CASE WHEN state = 'queued' THEN ? ELSE finished END, error = "
      "CASE WHEN state = 'queued' THEN ? ELSE error END, data = CASE WHEN state = 'queued' THEN "
      "NULL ELSE data END WHERE seq = ? AND owner = ?",
      {now, std::string("cancelled before it started"), seq_of(job.id), job.owner}));
  POLES_RETURN_IF_ERROR(tx->commit());
  std::lock_guard lock(mu_);
  if (auto it = local_.find(job.id); it != local_.end()) it->second->cancel = true;
  return Status::ok();
}

Result<ImpactJobList> Jobs::list(const std::string& owner, bool any_owner) const {
  POLES_ASSIGN_OR_RETURN(auto jobs,
                         any_owner ? read("", {}, false) : read("WHERE owner = ?", {owner}, false));
  return ImpactJobList{std::move(jobs)};
}

Result<ImpactEstimate> Jobs::result(const std::string& id, const std::string& owner,
                                    bool any_owner) const {
  POLES_ASSIGN_OR_RETURN(auto job, status(id, owner, any_owner, true));
  if (job.state != "done" || !job.result)
    return Status::precondition_failed(fmt::format("job '{}' is {}", id, job.state));
  return std::move(*job.result);
}

Result<std::map<std::string, int>> Jobs::counts() const {
  if (pool_ == nullptr) return Status::internal("the jobs have no store");
  auto lease = pool_->lease();
  POLES_ASSIGN_OR_RETURN(auto rows,
                         lease->query("SELECT state, count(*) FROM impact_job GROUP BY state", {}));
  std::map<std::string, int> out{
      {"queued", 0}, {"running", 0}, {"done", 0}, {"failed", 0}, {"cancelled", 0}};
  for (const auto& r : rows) out[text(r[0])] = static_cast<int>(number(r[1]));
  return out;
}

}  // namespace poles::app
