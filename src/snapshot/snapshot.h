// The snapshot: the whole store loaded into immutable, columnar, integer-indexed arrays that the
// engines read. One Table per entity, one Column per field:
//  - references hold the row index of the referenced row (-1 when null), so engines join by
//    array lookup, never by string;
//  - enumerations hold the code's index in the field's code list (-1 when null);
//  - other text is dictionary-encoded (index into `dict`, -1 when null);
//  - integers, booleans and dates (days since 1970-01-01) are int64, with a null mask;
//  - reals are double, NaN when null.
// A snapshot never changes once built; `version` is the store's data version it was read at.
// Columns are read-only views (std::span, Strings) over arrays the snapshot keeps alive in
// `storage`: the builder's own arrays, or a memory-mapped cache file (snapshot/file.h) used in
// place. Copies of a Snapshot share that storage.
// This header depends on the core model only: engines link it without linking the store.
#pragma once

#include <cmath>
#include <cstdint>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/schema.h"

namespace poles::snapshot {

enum class Storage : uint8_t { kInt, kReal, kCode, kRef };

// An immutable list of texts: size()+1 byte offsets into one buffer of characters (the layout
// of Apache Arrow's strings), so that it can lie in a mapped file and be read without parsing.
// A view: whoever made it keeps the offsets and the characters alive.
class Strings {
 public:
  class iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;

    iterator() = default;
    iterator(const Strings* s, size_t i) : s_(s), i_(i) {}
    std::string_view operator*() const { return (*s_)[i_]; }
    std::string_view operator[](difference_type n) const {
      return (*s_)[static_cast<size_t>(static_cast<difference_type>(i_) + n)];
    }
    iterator& operator++() { return ++i_, *this; }
    iterator operator++(int) { return {s_, i_++}; }
    iterator& operator--() { return --i_, *this; }
    iterator operator--(int) { return {s_, i_--}; }
    iterator& operator+=(difference_type n) {
      i_ = static_cast<size_t>(static_cast<difference_type>(i_) + n);
      return *this;
    }
    iterator& operator-=(difference_type n) { return *this += -n; }
    friend iterator operator+(iterator it, difference_type n) { return it += n; }
    friend iterator operator+(difference_type n, iterator it) { return it += n; }
    friend iterator operator-(iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const iterator& a, const iterator& b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.i_ == b.i_; }
    friend auto operator<=>(const iterator& a, const iterator& b) { return a.i_ <=> b.i_; }

   private:
    const Strings* s_ = nullptr;
    size_t i_ = 0;
  };

  Strings() = default;
  // REQUIRES: offsets is empty or holds n+1 non-decreasing offsets into `chars`.
  Strings(std::span<const uint64_t> offsets, const char* chars)
      : offsets_(offsets), chars_(chars) {}

  size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  bool empty() const { return size() == 0; }
  std::string_view operator[](size_t i) const {
    return {chars_ + offsets_[i], static_cast<size_t>(offsets_[i + 1] - offsets_[i])};
  }
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

  std::span<const uint64_t> offsets() const { return offsets_; }
  const char* chars() const { return chars_; }
  size_t chars_size() const { return offsets_.empty() ? 0 : offsets_.back(); }

 private:
  std::span<const uint64_t> offsets_;
  const char* chars_ = nullptr;
};

struct Column {
  const schema::Field* field = nullptr;
  Storage storage = Storage::kInt;
  std::span<const int64_t> ints;  // kInt
  std::span<const double> reals;  // kReal (NaN = null)
  std::span<const int32_t>
      codes;  // kCode (dictionary or enum index) and kRef (row index); -1 = null
  std::span<const uint8_t> present;  // kInt only: 1 when not null
  Strings dict;        // kCode: text of each code (for enums: the field's codes, in order)
  int ref_table = -1;  // kRef: index of the referenced table in Snapshot::tables

  bool is_null(size_t row) const;
  // Text of a kCode cell ("" when null).
  std::string_view text(size_t row) const {
    return codes[row] < 0 ? std::string_view{} : dict[static_cast<size_t>(codes[row])];
  }
  // Index of a text in the dictionary, -1 when absent (no row holds it).
  int32_t code_of(std::string_view text) const;
};

struct Table {
  const schema::Entity* entity = nullptr;
  size_t rows = 0;
  std::vector<Column> columns;  // in the entity's field order
  // Hash index of the single-field key (entities others reference): open addressing with linear
  // probing on key_hash(), a power-of-two number of slots holding a row or -1. Empty for
  // composite keys and empty tables.
  std::span<const int32_t> key_slots;
  // Key text of each row when the single key is itself a reference (e.g. decision.proposal_id).
  Strings ref_keys;

  const Column& column(std::string_view field) const;  // throws std::out_of_range when unknown
  int32_t find(std::string_view key) const;            // -1 when absent
  std::string_view key(size_t row) const;              // single-key entities only
};

struct Snapshot {
  uint64_t version = 0;
  std::vector<Table> tables;  // in schema::entities() order
  // What the columns' views point into; shared by copies of the snapshot.
  std::vector<std::shared_ptr<const void>> storage;

  const Table& table(std::string_view entity) const;  // throws std::out_of_range when unknown
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

// The hash of key texts in Table::key_slots (64-bit FNV-1a). Part of the cache file's format:
// changing it requires a new format version (snapshot/file.cpp).
uint64_t key_hash(std::string_view key);

// How a field is stored, and the table a reference points to (-1 otherwise).
Storage storage_of(const schema::Field& f);
int ref_table_of(const schema::Field& f);

// Builds tables from rows; used by the loader and by tests that need a snapshot without a store.
class Builder {
 public:
  Builder();
  // Appends one row of an entity, typed as the store returns it (dates as ISO text).
  void add(const schema::Entity& e, const Row& row);
  // Takes table `t` (index in schema::entities()) as it is, its views kept alive by `keep`,
  // instead of rows: a table of a mapped cache file or of another snapshot. References of the
  // tables built from rows may point into it.
  // REQUIRES: no row of that entity was added; the table's storage and key index are complete.
  void adopt(size_t t, const Table& table, std::shared_ptr<const void> keep);
  // Resolves references (an unknown key is an error naming entity, row and key) and freezes.
  Result<SnapshotPtr> build(uint64_t version) &&;

 private:
  struct ColumnData {
    std::vector<int64_t> ints;
    std::vector<double> reals;
    std::vector<int32_t> codes;
    std::vector<uint8_t> present;
    std::vector<std::string> dict;
    std::unordered_map<std::string, int32_t> dict_index;
    std::vector<std::string> pending;  // kRef: the referenced key as text until build()
  };
  std::unique_ptr<Snapshot> snap_;
  std::vector<std::vector<ColumnData>> data_;  // [table][column]
  std::vector<uint8_t> adopted_;
};

}  // namespace poles::snapshot
