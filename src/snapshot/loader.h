// Loading a snapshot from a store, and keeping the current one: engines get a SnapshotPtr and
// never see the store. The cache reloads when the store's data version has moved.
#pragma once

#include <mutex>

#include "snapshot/snapshot.h"
#include "store/store.h"

namespace poles::snapshot {

// Reads every entity. The data version is read before and after; when a write landed in
// between, the load starts again (up to a few times), so a snapshot is always one version.
Result<SnapshotPtr> load(store::Store& store);
// Reads only the listed entities and those they reference (transitively); the other tables are
// empty. For commands that need a few tables of a large store (the firm panel is most of it).
Result<SnapshotPtr> load(store::Store& store, const std::vector<std::string_view>& entities);

// Thread-safe holder of the current snapshot.
class Cache {
 public:
  // The current snapshot, reloaded first when the store's data version differs from it.
  Result<SnapshotPtr> get(store::Store& store);
  // The snapshot held now, without checking the store (null before the first get).
  SnapshotPtr peek() const;

 private:
  mutable std::mutex mu_;
  SnapshotPtr current_;
};

}  // namespace poles::snapshot
