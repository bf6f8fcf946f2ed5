// The snapshot: the whole store loaded into immutable, columnar, integer-indexed arrays that the
// engines read. One Table per entity, one Column per field:
//  - references hold the row index of the referenced row (-1 when null), so engines join by
//    array lookup, never by string;
//  - enumerations hold the code's index in the field's code list (-1 when null);
//  - other text is dictionary-encoded (index into `dict`, -1 when null);
//  - integers, booleans and dates (days since 1970-01-01) are int64, with a null mask;
//  - reals are double, NaN when null.
// A snapshot never changes once built; `version` is the store's data version it was read at.
// This header depends on the core model only: engines link it without linking the store.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/schema.h"

namespace poles::snapshot {

enum class Storage : uint8_t { kInt, kReal, kCode, kRef };

struct Column {
  const schema::Field* field = nullptr;
  Storage storage = Storage::kInt;
  std::vector<int64_t> ints;     // kInt
  std::vector<double> reals;     // kReal (NaN = null)
  std::vector<int32_t> codes;    // kCode (dictionary or enum index) and kRef (row index); -1 = null
  std::vector<uint8_t> present;  // kInt only: 1 when not null
  std::vector<std::string>
      dict;            // kCode: text of each code (for enums: the field's codes, in order)
  int ref_table = -1;  // kRef: index of the referenced table in Snapshot::tables

  bool is_null(size_t row) const;
  // Text of a kCode cell ("" when null).
  std::string_view text(size_t row) const {
    return codes[row] < 0 ? std::string_view{} : dict[codes[row]];
  }
  // Index of a text in the dictionary, -1 when absent (no row holds it).
  int32_t code_of(std::string_view text) const;
};

struct Table {
  const schema::Entity* entity = nullptr;
  size_t rows = 0;
  std::vector<Column> columns;  // in the entity's field order
  // Row of each single-field key (entities others reference), e.g. "aero" -> 0.
  std::unordered_map<std::string, int32_t> by_key;
  // Key text of each row when the single key is itself a reference (e.g. decision.proposal_id).
  std::vector<std::string> ref_keys;

  const Column& column(std::string_view field) const;  // throws std::out_of_range when unknown
  int32_t find(std::string_view key) const;            // -1 when absent
  std::string_view key(size_t row) const;              // single-key entities only
};

struct Snapshot {
  uint64_t version = 0;
  std::vector<Table> tables;  // in schema::entities() order

  const Table& table(std::string_view entity) const;  // throws std::out_of_range when unknown
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

// Builds tables from rows; used by the loader and by tests that need a snapshot without a store.
class Builder {
 public:
  Builder();
  // Appends one row of an entity, typed as the store returns it (dates as ISO text).
  void add(const schema::Entity& e, const Row& row);
  // Resolves references (an unknown key is an error naming entity, row and key) and freezes.
  Result<SnapshotPtr> build(uint64_t version) &&;

 private:
  std::unique_ptr<Snapshot> snap_;
  // Reference cells as text until every table is loaded: [table][column][row].
  std::vector<std::vector<std::vector<std::string>>> pending_;
  std::vector<std::vector<std::unordered_map<std::string, int32_t>>> dict_index_;
};

}  // namespace poles::snapshot
