#include "snapshot/file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <atomic>
#include <bit>
#include <cerrno>
#include <cstring>
#include <random>

namespace poles::snapshot {

namespace {

constexpr char kMagic[8] = {'P', 'O', 'L', 'E', 'S', 'N', 'A', 'P'};
// Version 1: the layout of file.h, key_hash() = FNV-1a 64, checksums of file_checksum().
constexpr uint32_t kFormat = 1;
constexpr uint32_t kByteOrder = 0x01020304;
constexpr size_t kStoreIdBytes = 64;

struct Header {
  char magic[8];
  uint32_t format;
  uint32_t byte_order;
  uint64_t data_version;
  int64_t schema_version;
  uint64_t schema_fingerprint;
  char store_id[kStoreIdBytes];  // zero-padded
  uint64_t file_size;
  uint64_t directory_offset;
  uint64_t directory_size;
  uint64_t directory_checksum;
  uint64_t header_checksum;  // of every byte above
};
static_assert(sizeof(Header) == 144);

}  // namespace

// The records of the file's directory, in a named namespace: MappedFile::Entry holds them (a
// member may not be of a type with internal linkage).
namespace layout {

// A byte range of the file; empty sections are {0, 0}.
struct Section {
  uint64_t offset;
  uint64_t size;
};

struct TableEntry {
  uint32_t entity;
  uint32_t columns;
  uint64_t rows;
  Section data;       // every section of the table lies in here
  uint64_t checksum;  // file_checksum of `data`
  Section key_slots;
  Section ref_key_offsets;
  Section ref_key_chars;
};
static_assert(sizeof(TableEntry) == 88);

struct ColumnEntry {
  uint32_t field;
  uint32_t storage;
  int64_t ref_table;
  Section ints;
  Section reals;
  Section codes;
  Section present;
  Section dict_offsets;
  Section dict_chars;
};
static_assert(sizeof(ColumnEntry) == 112);

}  // namespace layout

using layout::ColumnEntry;
using layout::Section;
using layout::TableEntry;

namespace {

// xxHash64 (libxxhash), streaming: the checksum of the file's sections.
class Hasher {
 public:
  Hasher() : state_(XXH64_createState()) { XXH64_reset(state_.get(), 0); }
  void update(const void* data, size_t n) { XXH64_update(state_.get(), data, n); }
  uint64_t digest() const { return XXH64_digest(state_.get()); }

 private:
  struct Free {
    void operator()(XXH64_state_t* s) const noexcept { XXH64_freeState(s); }
  };
  std::unique_ptr<XXH64_state_t, Free> state_;
};

// A fingerprint of the schema as the snapshot stores it: entities, fields, storages, references
// and enumeration codes. A file made by a build with another schema is never read.
uint64_t schema_fingerprint() {
  static const uint64_t fp = [] {
    std::string text;
    for (const auto& e : schema::entities()) {
      text += fmt::format("{}/{}:", e.name, schema::single_key_index(e));
      for (const auto& f : e.fields) {
        text += fmt::format("{},{},{},{},{}", f.name, static_cast<int>(f.type),
                            static_cast<int>(storage_of(f)), f.references,
                            f.check == schema::Check::kEnum ? "enum" : "");
        for (const auto c : f.codes) text += fmt::format(",{}", c);
        text += ";";
      }
      text += "\n";
    }
    return file_checksum(text.data(), text.size());
  }();
  return fp;
}

bool within(const Section& s, uint64_t begin, uint64_t end) {
  return s.offset >= begin && s.offset <= end && s.size <= end - s.offset;
}

// Sequential writes of one file descriptor, with the running offset and a checksum of a range.
class Writer {
 public:
  explicit Writer(int fd) : fd_(fd) { buf_.reserve(kBuffer); }

  Status write(const void* data, size_t n) {
    if (hashing_) hasher_.update(data, n);
    offset_ += n;
    const auto* p = static_cast<const char*>(data);
    if (buf_.size() + n <= kBuffer) {
      buf_.insert(buf_.end(), p, p + n);
      return Status::ok();
    }
    POLES_RETURN_IF_ERROR(flush());
    if (n <= kBuffer) {
      buf_.insert(buf_.end(), p, p + n);
      return Status::ok();
    }
    return raw(p, n);
  }
  Status pad() {
    static constexpr char kZeros[8] = {};
    const size_t n = (8 - offset_ % 8) % 8;
    return n == 0 ? Status::ok() : write(kZeros, n);
  }
  // Writes an array as one aligned section.
  template <class T>
  Result<Section> section(std::span<const T> values) {
    POLES_RETURN_IF_ERROR(pad());
    if (values.empty()) return Section{0, 0};
    const Section s{offset_, values.size_bytes()};
    POLES_RETURN_IF_ERROR(write(values.data(), values.size_bytes()));
    return s;
  }
  Status strings(const Strings& texts, Section* offsets, Section* chars) {
    std::vector<uint64_t> empty_offsets{0};
    auto o = texts.offsets().empty() ? std::span<const uint64_t>(empty_offsets) : texts.offsets();
    // Offsets relative to the first text (a view may start inside a larger buffer).
    std::vector<uint64_t> rebased;
    if (o.front() != 0) {
      rebased.reserve(o.size());
      for (const uint64_t x : o) rebased.push_back(x - o.front());
      o = rebased;
    }
    POLES_ASSIGN_OR_RETURN(*offsets, section(o));
    POLES_ASSIGN_OR_RETURN(
        *chars, section(std::span<const char>(
                    texts.empty() ? nullptr : texts.chars() + texts.offsets()[0], o.back())));
    return Status::ok();
  }
  void start_hash() {
    hasher_ = Hasher();
    hashing_ = true;
  }
  uint64_t end_hash() {
    hashing_ = false;
    return hasher_.digest();
  }
  uint64_t offset() const { return offset_; }

  Status flush() {
    if (buf_.empty()) return Status::ok();
    POLES_RETURN_IF_ERROR(raw(buf_.data(), buf_.size()));
    buf_.clear();
    return Status::ok();
  }

 private:
  static constexpr size_t kBuffer = 1 << 20;
  Status raw(const char* p, size_t n) {
    while (n > 0) {
      const ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return Status::internal(fmt::format("write: {}", std::strerror(errno)));
      }
      p += w;
      n -= static_cast<size_t>(w);
    }
    return Status::ok();
  }

  int fd_;
  std::vector<char> buf_;
  uint64_t offset_ = 0;
  Hasher hasher_;
  bool hashing_ = false;
};

Status write_tables(int fd, const Snapshot& snap, const std::vector<uint8_t>& tables,
                    const FileStamp& stamp) {
  Writer w(fd);
  Header header{};
  POLES_RETURN_IF_ERROR(w.write(&header, sizeof header));
  std::vector<uint8_t> directory(8, 0);
  uint64_t count = 0;
  for (size_t t = 0; t < snap.tables.size() && t < tables.size(); ++t) {
    if (!tables[t]) continue;
    const Table& table = snap.tables[t];
    TableEntry te{};
    te.entity = static_cast<uint32_t>(t);
    te.columns = static_cast<uint32_t>(table.columns.size());
    te.rows = table.rows;
    std::vector<ColumnEntry> columns;
    POLES_RETURN_IF_ERROR(w.pad());
    w.start_hash();
    te.data.offset = w.offset();
    for (size_t ci = 0; ci < table.columns.size(); ++ci) {
      const Column& c = table.columns[ci];
      ColumnEntry ce{};
      ce.field = static_cast<uint32_t>(ci);
      ce.storage = static_cast<uint32_t>(c.storage);
      ce.ref_table = c.ref_table;
      POLES_ASSIGN_OR_RETURN(ce.ints, w.section(c.ints));
      POLES_ASSIGN_OR_RETURN(ce.reals, w.section(c.reals));
      POLES_ASSIGN_OR_RETURN(ce.codes, w.section(c.codes));
      POLES_ASSIGN_OR_RETURN(ce.present, w.section(c.present));
      if (c.storage == Storage::kCode)
        POLES_RETURN_IF_ERROR(w.strings(c.dict, &ce.dict_offsets, &ce.dict_chars));
      columns.push_back(ce);
    }
    POLES_ASSIGN_OR_RETURN(te.key_slots, w.section(table.key_slots));
    if (!table.ref_keys.empty())
      POLES_RETURN_IF_ERROR(w.strings(table.ref_keys, &te.ref_key_offsets, &te.ref_key_chars));
    POLES_RETURN_IF_ERROR(w.pad());
    te.data.size = w.offset() - te.data.offset;
    te.checksum = w.end_hash();
    const auto* tp = reinterpret_cast<const uint8_t*>(&te);
    directory.insert(directory.end(), tp, tp + sizeof te);
    const auto* cp = reinterpret_cast<const uint8_t*>(columns.data());
    directory.insert(directory.end(), cp, cp + columns.size() * sizeof(ColumnEntry));
    ++count;
  }
  std::memcpy(directory.data(), &count, sizeof count);
  POLES_RETURN_IF_ERROR(w.pad());
  header.directory_offset = w.offset();
  header.directory_size = directory.size();
  header.directory_checksum = file_checksum(directory.data(), directory.size());
  POLES_RETURN_IF_ERROR(w.write(directory.data(), directory.size()));
  POLES_RETURN_IF_ERROR(w.flush());
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.format = kFormat;
  header.byte_order = kByteOrder;
  header.data_version = stamp.data_version;
  header.schema_version = stamp.schema_version;
  header.schema_fingerprint = schema_fingerprint();
  std::memcpy(header.store_id, stamp.store_id.data(), stamp.store_id.size());
  header.file_size = w.offset();
  header.header_checksum = file_checksum(&header, offsetof(Header, header_checksum));
  if (::pwrite(fd, &header, sizeof header, 0) != static_cast<ssize_t>(sizeof header))
    return Status::internal(fmt::format("write: {}", std::strerror(errno)));
  return Status::ok();
}

}  // namespace

uint64_t file_checksum(const void* data, size_t size) {
  Hasher h;
  h.update(data, size);
  return h.digest();
}

struct MappedFile::Entry {
  TableEntry table;
  std::vector<ColumnEntry> columns;
};

MappedFile::~MappedFile() {
  if (base_ != nullptr) ::munmap(const_cast<uint8_t*>(base_), size_);
}

Result<std::shared_ptr<const MappedFile>> MappedFile::open(const std::filesystem::path& path,
                                                           const FileStamp& expected) {
  const std::string name = path.string();
  const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::not_found(fmt::format("no cache file {}", name));
    return Status::unavailable(fmt::format("cache file {}: {}", name, std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::internal(fmt::format("cache file {}: not a regular file", name));
  }
  // A file another account could have written (in a shared temporary directory) is not ours.
  if (st.st_uid != ::geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    ::close(fd);
    return Status::precondition_failed(
        fmt::format("cache file {}: not owned by this user or writable by others", name));
  }
  const auto size = static_cast<size_t>(st.st_size);
  if (size < sizeof(Header)) {
    ::close(fd);
    return Status::internal(fmt::format("cache file {}: truncated ({} bytes)", name, size));
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED)
    return Status::unavailable(fmt::format("cache file {}: mmap: {}", name, std::strerror(errno)));
  std::shared_ptr<MappedFile> file(new MappedFile());
  file->base_ = static_cast<const uint8_t*>(map);
  file->size_ = size;
  const auto corrupt = [&](std::string_view why) {
    return Status::internal(fmt::format("cache file {}: {}", name, why));
  };

  Header h{};
  std::memcpy(&h, file->base_, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return corrupt("not a snapshot file");
  if (h.format != kFormat || h.byte_order != kByteOrder) {
    return Status::precondition_failed(
        fmt::format("cache file {}: format {} (this build reads {})", name, h.format, kFormat));
  }
  if (h.header_checksum != file_checksum(&h, offsetof(Header, header_checksum)))
    return corrupt("bad header checksum");
  if (h.file_size != size) return corrupt(fmt::format("{} bytes instead of {}", size, h.file_size));
  if (h.directory_offset < sizeof(Header) || h.directory_offset % 8 != 0 ||
      !within({h.directory_offset, h.directory_size}, sizeof(Header), size) ||
      h.directory_size < 8) {
    return corrupt("bad directory bounds");
  }
  const uint8_t* dir = file->base_ + h.directory_offset;
  if (h.directory_checksum != file_checksum(dir, h.directory_size))
    return corrupt("bad directory checksum");

  const std::string_view id(h.store_id, strnlen(h.store_id, kStoreIdBytes));
  if (h.schema_fingerprint != schema_fingerprint() || h.schema_version != expected.schema_version) {
    return Status::precondition_failed(
        fmt::format("cache file {}: written for schema version {} (store at {}) or another "
                    "build's schema",
                    name, h.schema_version, expected.schema_version));
  }
  if (id != expected.store_id)
    return Status::precondition_failed(fmt::format("cache file {}: another store's", name));
  if (h.data_version != expected.data_version) {
    return Status::precondition_failed(fmt::format("cache file {}: data version {} (store at {})",
                                                   name, h.data_version, expected.data_version));
  }

  // The directory: every entry consistent with the schema, every section inside its table.
  const auto all = schema::entities();
  file->entries_.resize(all.size());
  uint64_t count = 0;
  std::memcpy(&count, dir, 8);
  size_t at = 8;
  for (uint64_t i = 0; i < count; ++i) {
    auto e = std::make_unique<Entry>();
    if (h.directory_size - at < sizeof(TableEntry)) return corrupt("directory truncated");
    std::memcpy(&e->table, dir + at, sizeof(TableEntry));
    at += sizeof(TableEntry);
    const TableEntry& te = e->table;
    if (te.entity >= all.size() || file->entries_[te.entity] != nullptr)
      return corrupt("bad table entry");
    const schema::Entity& entity = all[te.entity];
    if (te.columns != entity.fields.size() || te.rows > static_cast<uint64_t>(INT32_MAX) ||
        te.data.offset % 8 != 0 || !within(te.data, sizeof(Header), h.directory_offset)) {
      return corrupt(fmt::format("bad entry of table {}", entity.name));
    }
    if ((h.directory_size - at) / sizeof(ColumnEntry) < te.columns)
      return corrupt("directory truncated");
    e->columns.resize(te.columns);
    std::memcpy(e->columns.data(), dir + at, te.columns * sizeof(ColumnEntry));
    at += te.columns * sizeof(ColumnEntry);
    const uint64_t begin = te.data.offset;
    const uint64_t end = te.data.offset + te.data.size;
    // An array section of `n` elements of `width` bytes (empty when n is 0).
    const auto array = [&](const Section& s, uint64_t n, uint64_t width) {
      if (n == 0) return s.size == 0;
      return s.size == n * width && s.offset % 8 == 0 && within(s, begin, end);
    };
    const auto strings = [&](const Section& offsets, const Section& chars, bool wanted) {
      if (!wanted) return offsets.size == 0 && chars.size == 0;
      return offsets.size >= 8 && offsets.size % 8 == 0 && array(offsets, offsets.size / 8, 8) &&
             (chars.size == 0 || array(chars, chars.size, 1));
    };
    const uint64_t rows = te.rows;
    for (size_t ci = 0; ci < e->columns.size(); ++ci) {
      const ColumnEntry& ce = e->columns[ci];
      const schema::Field& f = entity.fields[ci];
      const Storage s = storage_of(f);
      const bool ok = ce.field == ci && ce.storage == static_cast<uint32_t>(s) &&
                      ce.ref_table == ref_table_of(f) &&
                      array(ce.ints, s == Storage::kInt ? rows : 0, 8) &&
                      array(ce.present, s == Storage::kInt ? rows : 0, 1) &&
                      array(ce.reals, s == Storage::kReal ? rows : 0, 8) &&
                      array(ce.codes, s == Storage::kCode || s == Storage::kRef ? rows : 0, 4) &&
                      strings(ce.dict_offsets, ce.dict_chars, s == Storage::kCode);
      if (!ok) return corrupt(fmt::format("bad entry of column {}.{}", entity.name, f.name));
    }
    const int key = schema::single_key_index(entity);
    const uint64_t slots = te.key_slots.size / 4;
    const bool slots_ok = key < 0 || rows == 0 ? te.key_slots.size == 0
                                               : std::has_single_bit(slots) && slots > rows &&
                                                     array(te.key_slots, slots, 4);
    const bool ref_key = key >= 0 && rows > 0 &&
                         storage_of(entity.fields[static_cast<size_t>(key)]) == Storage::kRef;
    if (!slots_ok || !strings(te.ref_key_offsets, te.ref_key_chars, ref_key) ||
        (ref_key && te.ref_key_offsets.size != (rows + 1) * 8)) {
      return corrupt(fmt::format("bad key index of table {}", entity.name));
    }
    file->entries_[te.entity] = std::move(e);
  }
  if (at != h.directory_size) return corrupt("directory has trailing bytes");
  // The tables a file holds are closed under references (the loader reads them so).
  for (const auto& e : file->entries_) {
    if (e == nullptr) continue;
    for (const auto& ce : e->columns) {
      if (ce.ref_table >= 0 && file->entries_.at(static_cast<size_t>(ce.ref_table)) == nullptr)
        return corrupt("a table refers to a table the file does not hold");
    }
  }
  return std::shared_ptr<const MappedFile>(std::move(file));
}

bool MappedFile::has(size_t t) const { return t < entries_.size() && entries_[t] != nullptr; }

Result<Table> MappedFile::table(size_t t) const {
  const Entry& e = *entries_.at(t);
  const schema::Entity& entity = schema::entities()[t];
  if (file_checksum(base_ + e.table.data.offset, e.table.data.size) != e.table.checksum) {
    return Status::internal(fmt::format("cache file: bad checksum of table {}", entity.name));
  }
  const auto view = [&]<class T>(const Section& s, const T*) {
    return std::span<const T>(reinterpret_cast<const T*>(base_ + s.offset), s.size / sizeof(T));
  };
  // Checked here rather than in open(): these read the table's bytes.
  const auto strings = [&](const Section& offsets, const Section& chars) -> Result<Strings> {
    const auto o = view(offsets, static_cast<const uint64_t*>(nullptr));
    if (o.front() != 0 || o.back() != chars.size) {
      return Status::internal(
          fmt::format("cache file: bad dictionary offsets in table {}", entity.name));
    }
    return Strings(o, reinterpret_cast<const char*>(base_ + chars.offset));
  };
  Table table;
  table.entity = &entity;
  table.rows = e.table.rows;
  for (size_t ci = 0; ci < e.columns.size(); ++ci) {
    const ColumnEntry& ce = e.columns[ci];
    Column c;
    c.field = &entity.fields[ci];
    c.storage = static_cast<Storage>(ce.storage);
    c.ref_table = static_cast<int>(ce.ref_table);
    c.ints = view(ce.ints, static_cast<const int64_t*>(nullptr));
    c.reals = view(ce.reals, static_cast<const double*>(nullptr));
    c.codes = view(ce.codes, static_cast<const int32_t*>(nullptr));
    c.present = view(ce.present, static_cast<const uint8_t*>(nullptr));
    if (c.storage == Storage::kCode) {
      POLES_ASSIGN_OR_RETURN(c.dict, strings(ce.dict_offsets, ce.dict_chars));
    }
    table.columns.push_back(c);
  }
  table.key_slots = view(e.table.key_slots, static_cast<const int32_t*>(nullptr));
  if (e.table.ref_key_offsets.size > 0) {
    POLES_ASSIGN_OR_RETURN(table.ref_keys, strings(e.table.ref_key_offsets, e.table.ref_key_chars));
  }
  return table;
}

Status write_file(const std::filesystem::path& path, const Snapshot& snap,
                  const std::vector<uint8_t>& tables, const FileStamp& stamp) {
  if (stamp.store_id.size() >= kStoreIdBytes)
    return Status::invalid_argument("snapshot file: store id too long");
  static std::atomic<uint64_t> counter{0};
  const std::string tmp = fmt::format("{}.tmp.{}.{}.{:x}", path.string(), ::getpid(),
                                      counter.fetch_add(1), std::random_device{}());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::unavailable(
        fmt::format("cannot write cache file {}: {}", tmp, std::strerror(errno)));
  }
  Status st = write_tables(fd, snap, tables, stamp);
  if (::close(fd) != 0 && st.is_ok())
    st = Status::internal(fmt::format("close: {}", std::strerror(errno)));
  if (st.is_ok() && ::rename(tmp.c_str(), path.c_str()) != 0)
    st = Status::internal(fmt::format("rename: {}", std::strerror(errno)));
  if (!st.is_ok()) {
    ::unlink(tmp.c_str());
    return st.with_context(fmt::format("cache file {}", path.string()));
  }
  return Status::ok();
}

}  // namespace poles::snapshot
