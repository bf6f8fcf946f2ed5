// Loading a snapshot from a store, and keeping the current one: engines get a SnapshotPtr and
// never see the store. The cache reloads when the store's data version has moved.
//
// Loads go through a cache file (snapshot/file.h) per store: after reading tables from the
// store, the loader writes them to the file; a later load, in this process or another, maps the
// file instead when its stamp (data version, schema version, store id) equals the store's. The
// file sits beside a SQLite database (`<db>.snapshot`); for PostgreSQL it is
// `poles-<hash of the URL>.snapshot` in $POLES_SNAPSHOT_DIR, else in the system's temporary
// directory. POLES_SNAPSHOT_CACHE=off turns the file off.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "snapshot/snapshot.h"
#include "store/store.h"

namespace poles::snapshot {

// What a load did, for timings and diagnostics.
struct LoadReport {
  std::string file;           // the cache file ("" when there is none)
  bool from_file = false;     // every table came from the file, none from the store
  int tables_from_file = 0;   // tables mapped from the file
  int tables_from_store = 0;  // tables read from the store
  bool wrote_file = false;
  std::string note;          // why the file was not used or not written ("" when it was)
  double seconds = 0;        // the whole load
  double write_seconds = 0;  // of which writing the file
};

struct LoadOptions {
  // The cache file: nullopt for the default place (cache_file_for), an empty path for none.
  std::optional<std::filesystem::path> cache_file;
  // Filled when not null.
  LoadReport* report = nullptr;
};

// The default cache file of a store ("" when it has none: an in-memory database, or
// POLES_SNAPSHOT_CACHE=off).
std::filesystem::path cache_file_for(const store::Store& store);

// Reads every entity. The data version is read before and after; when a write landed in
// between, the load starts again (up to a few times), so a snapshot is always one version.
Result<SnapshotPtr> load(store::Store& store, const LoadOptions& options = {});
// Reads only the listed entities and those they reference (transitively); the other tables are
// empty. For commands that need a few tables of a large store (the firm panel is most of it).
// Tables the cache file holds come from it; the others from the store, and the file is then
// rewritten with the union, so that a second partial load of other tables finds them too.
Result<SnapshotPtr> load(store::Store& store, const std::vector<std::string_view>& entities,
                         const LoadOptions& options = {});

// Thread-safe holder of the current snapshot.
class Cache {
 public:
  // The current snapshot, reloaded first when the store's data version differs from it.
  Result<SnapshotPtr> get(store::Store& store);
  // The snapshot held now, without checking the store (null before the first get).
  SnapshotPtr peek() const;
  // Loads done since the cache was made, and the seconds they took (the server's metrics).
  struct Stats {
    uint64_t loads = 0;
    double load_seconds = 0;
  };
  Stats stats() const;

 private:
  mutable std::mutex mu_;
  SnapshotPtr current_;
  Stats stats_;
};

}  // namespace poles::snapshot
