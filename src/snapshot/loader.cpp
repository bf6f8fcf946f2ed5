#include "snapshot/loader.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <memory>

#include "snapshot/file.h"

namespace poles::snapshot {

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

// The tables of `full` that are wanted, the others empty as a partial load leaves them.
Result<SnapshotPtr> restrict_to(SnapshotPtr full, const std::vector<uint8_t>& wanted) {
  bool all = true;
  for (const uint8_t w : wanted) all = all && w != 0;
  if (all) return full;
  Builder b;
  for (size_t t = 0; t < wanted.size(); ++t) {
    if (wanted[t]) b.adopt(t, full->tables[t], full);
  }
  return std::move(b).build(full->version);
}

Result<SnapshotPtr> load_some(store::Store& store, const std::vector<uint8_t>& wanted,
                              const LoadOptions& options) {
  const double start = now_seconds();
  LoadReport local;
  LoadReport& report = options.report != nullptr ? *options.report : local;
  report = LoadReport{};
  const std::filesystem::path path =
      options.cache_file ? *options.cache_file : cache_file_for(store);
  report.file = path.string();
  FileStamp stamp;
  bool use_file = !path.empty();
  if (use_file) {
    POLES_ASSIGN_OR_RETURN(stamp.schema_version, store.schema_version());
    POLES_ASSIGN_OR_RETURN(stamp.store_id, store.store_id());
    if (stamp.store_id.empty()) {
      use_file = false;
      report.note = "the store has no id (not migrated): no cache file";
    }
  }
  const size_t n = wanted.size();
  for (int attempt = 0; attempt < 5; ++attempt) {
    POLES_ASSIGN_OR_RETURN(const uint64_t before, store.data_version());
    stamp.data_version = before;
    Builder builder;
    std::vector<uint8_t> in_file(n, 0);
    if (use_file) {
      auto file = MappedFile::open(path, stamp);
      if (file.has_value()) {
        const auto& f = *file;
        bool has_all = true;
        for (size_t t = 0; t < n; ++t) has_all = has_all && (!wanted[t] || f->has(t));
        // With every table wanted in the file, only those; otherwise all the file holds, for
        // the rewrite with the tables read from the store.
        for (size_t t = 0; t < n; ++t) {
          if (!f->has(t) || (has_all && !wanted[t])) continue;
          auto table = f->table(t);
          if (!table.has_value()) {
            report.note = table.error().message();
            builder = Builder();
            in_file.assign(n, 0);
            break;
          }
          builder.adopt(t, *table, f);
          in_file[t] = 1;
        }
      } else {
        report.note = file.error().message();
      }
    }
    int from_store = 0;
    size_t t = 0;
    for (const auto& e : schema::entities()) {
      const size_t i = t++;
      if (!wanted[i] || in_file[i]) continue;
      ++from_store;
      POLES_RETURN_IF_ERROR(store.scan(e, [&](Row& row) {
        builder.add(e, row);
        return Status::ok();
      }));
    }
    POLES_ASSIGN_OR_RETURN(const uint64_t after, store.data_version());
    if (before != after) continue;
    POLES_ASSIGN_OR_RETURN(SnapshotPtr built, std::move(builder).build(after));
    report.tables_from_store = from_store;
    report.tables_from_file = 0;
    for (size_t i = 0; i < n; ++i) report.tables_from_file += wanted[i] && in_file[i] ? 1 : 0;
    report.from_file = from_store == 0;
    if (use_file && from_store > 0) {
      std::vector<uint8_t> written(n, 0);
      for (size_t i = 0; i < n; ++i) written[i] = wanted[i] || in_file[i] ? 1 : 0;
      const double write_start = now_seconds();
      const Status st = write_file(path, *built, written, stamp);
      report.write_seconds = now_seconds() - write_start;
      report.wrote_file = st.is_ok();
      // A cache that cannot be written (read-only directory, full disk) only costs speed.
      if (!st.is_ok()) report.note = st.message();
    }
    if (report.from_file) report.note.clear();
    auto out = restrict_to(std::move(built), wanted);
    report.seconds = now_seconds() - start;
    return out;
  }
  return Status::unavailable("snapshot: the store kept changing while it was read (5 attempts)");
}

}  // namespace

std::filesystem::path cache_file_for(const store::Store& store) {
  if (env("POLES_SNAPSHOT_CACHE") == "off") return {};
  const std::string& url = store.url();
  if (store.backend() == store::Backend::kSqlite) {
    if (url.empty() || url == ":memory:" || url.starts_with("file:")) return {};
    return url + ".snapshot";
  }
  std::filesystem::path dir = env("POLES_SNAPSHOT_DIR");
  if (dir.empty()) {
    std::error_code ec;
    dir = std::filesystem::temp_directory_path(ec);
    if (ec) return {};
  }
  return dir / fmt::format("poles-{:016x}.snapshot", key_hash(url));
}

Result<SnapshotPtr> load(store::Store& store, const LoadOptions& options) {
  return load_some(store, std::vector<uint8_t>(schema::entities().size(), 1), options);
}

Result<SnapshotPtr> load(store::Store& store, const std::vector<std::string_view>& entities,
                         const LoadOptions& options) {
  const auto all = schema::entities();
  std::vector<uint8_t> wanted(all.size(), 0);
  auto index = [&](std::string_view name) -> Result<size_t> {
    for (size_t i = 0; i < all.size(); ++i) {
      if (all[i].name == name) return i;
    }
    return Status::invalid_argument(fmt::format("snapshot: no entity '{}'", name));
  };
  std::vector<size_t> todo;
  for (auto name : entities) {
    POLES_ASSIGN_OR_RETURN(const size_t i, index(name));
    todo.push_back(i);
  }
  while (!todo.empty()) {
    const size_t i = todo.back();
    todo.pop_back();
    if (wanted[i]) continue;
    wanted[i] = 1;
    for (const auto& f : all[i].fields) {
      for (const auto target : {f.references, f.referential}) {
        if (target.empty()) continue;
        POLES_ASSIGN_OR_RETURN(const size_t j, index(target));
        todo.push_back(j);
      }
    }
  }
  return load_some(store, wanted, options);
}

Result<SnapshotPtr> Cache::get(store::Store& store) {
  POLES_ASSIGN_OR_RETURN(const uint64_t version, store.data_version());
  std::lock_guard lock(mu_);
  if (current_ && current_->version == version) return current_;
  const auto start = std::chrono::steady_clock::now();
  POLES_ASSIGN_OR_RETURN(SnapshotPtr fresh, load(store));
  current_ = fresh;
  ++stats_.loads;
  stats_.load_seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return fresh;
}

Cache::Stats Cache::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

SnapshotPtr Cache::peek() const {
  std::lock_guard lock(mu_);
  return current_;
}

}  // namespace poles::snapshot
