// The snapshot's cache file: a snapshot written once after a load from the store, and mapped
// read-only by later loads of the same data, whose columns then point into the mapping (no
// parsing, no copy: a load costs a few page faults and one checksum pass over the tables used).
//
// Layout (little-endian, every section 8-byte aligned so that it can be used in place):
//   header     magic "POLESNAP", format version, byte-order mark, the stamp (data version,
//              schema version, schema fingerprint, store id), file size, the directory's offset,
//              size and checksum, the header's own checksum;
//   tables     per table, contiguous: per column its arrays raw (int64 ints + uint8 present,
//              double reals, int32 codes), its dictionary as n+1 uint64 offsets then the
//              characters; then the key index (int32 slots) and, when the key is a reference,
//              the key texts (offsets + characters);
//   directory  the tables' entries (entity, rows, byte range and checksum of the table, its
//              sections) and their columns' entries (field, storage, sections).
// A file is trusted only when its header, directory and sizes are consistent, its checksums
// match and its stamp equals the store's: a truncated, foreign, corrupt or stale file is
// reported as an error and the caller reads the store instead.
//
// Writers write a temporary file beside the target and rename it over, so several processes
// may load and write at once: a reader maps either the old file or the new one, never a part.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "snapshot/snapshot.h"

namespace poles::snapshot {

// What data a cache file holds; a file is used only when its stamp equals the store's.
struct FileStamp {
  uint64_t data_version = 0;
  int64_t schema_version = 0;
  std::string store_id;  // the store's random identity: another database at the same path differs
};

// A cache file mapped read-only, with its header and directory checked. Thread-safe (immutable).
class MappedFile {
 public:
  // Maps and checks `path`. Errors: kNotFound when there is no file, kPreconditionFailed when
  // it holds other data (stamp, schema, owner), kInternal when it is truncated or corrupt.
  static Result<std::shared_ptr<const MappedFile>> open(const std::filesystem::path& path,
                                                        const FileStamp& expected);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Whether the file holds table `t` (index in schema::entities()).
  bool has(size_t t) const;
  // Table `t` as views into the mapping, once the checksum of its bytes is verified; the views
  // live as long as this object. REQUIRES: has(t).
  Result<Table> table(size_t t) const;

  struct Entry;  // a parsed directory entry (file.cpp)

 private:
  MappedFile() = default;
  const uint8_t* base_ = nullptr;
  size_t size_ = 0;
  std::vector<std::unique_ptr<Entry>> entries_;  // by entity index; null when absent
};

// Writes the tables of `snap` whose flag is set in `tables` (indexed like schema::entities())
// to `path`: a temporary file in the same directory, renamed over `path` once complete.
Status write_file(const std::filesystem::path& path, const Snapshot& snap,
                  const std::vector<uint8_t>& tables, const FileStamp& stamp);

// The checksum of the file's sections (a 64-bit hash in the manner of xxHash64).
uint64_t file_checksum(const void* data, size_t size);

}  // namespace poles::snapshot
