#include "snapshot/loader.h"

#include <fmt/format.h>

namespace poles::snapshot {

namespace {

Result<SnapshotPtr> load_some(store::Store& store, const std::vector<uint8_t>& wanted) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    POLES_ASSIGN_OR_RETURN(const uint64_t before, store.data_version());
    Builder builder;
    size_t i = 0;
    for (const auto& e : schema::entities()) {
      if (!wanted[i++]) continue;
      POLES_RETURN_IF_ERROR(store.scan(e, [&](Row& row) {
        builder.add(e, row);
        return Status::ok();
      }));
    }
    POLES_ASSIGN_OR_RETURN(const uint64_t after, store.data_version());
    if (before == after) return std::move(builder).build(after);
  }
  return Status::unavailable("snapshot: the store kept changing while it was read (5 attempts)");
}

}  // namespace

Result<SnapshotPtr> load(store::Store& store) {
  return load_some(store, std::vector<uint8_t>(schema::entities().size(), 1));
}

Result<SnapshotPtr> load(store::Store& store, const std::vector<std::string_view>& entities) {
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
      if (f.references.empty()) continue;
      POLES_ASSIGN_OR_RETURN(const size_t j, index(f.references));
      todo.push_back(j);
    }
  }
  return load_some(store, wanted);
}

Result<SnapshotPtr> Cache::get(store::Store& store) {
  POLES_ASSIGN_OR_RETURN(const uint64_t version, store.data_version());
  std::lock_guard lock(mu_);
  if (current_ && current_->version == version) return current_;
  POLES_ASSIGN_OR_RETURN(SnapshotPtr fresh, load(store));
  current_ = fresh;
  return fresh;
}

SnapshotPtr Cache::peek() const {
  std::lock_guard lock(mu_);
  return current_;
}

}  // namespace poles::snapshot
