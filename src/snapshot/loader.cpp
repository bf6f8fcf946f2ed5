#include "snapshot/loader.h"

#include <fmt/format.h>

namespace poles::snapshot {

Result<SnapshotPtr> load(store::Store& store) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    POLES_ASSIGN_OR_RETURN(const uint64_t before, store.data_version());
    Builder builder;
    for (const auto& e : schema::entities()) {
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
