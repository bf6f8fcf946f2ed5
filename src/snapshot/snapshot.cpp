#include "snapshot/snapshot.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>

#include "core/date.h"

namespace poles::snapshot {

namespace {

// schema::single_key_index, computed once per entity of the schema (find() and key() run in loops).
int key_field(const schema::Entity& e) {
  static const std::vector<int> keys = [] {
    std::vector<int> out;
    for (const auto& x : schema::entities()) out.push_back(schema::single_key_index(x));
    return out;
  }();
  const auto all = schema::entities();
  if (&e >= all.data() && &e < all.data() + all.size())
    return keys[static_cast<size_t>(&e - all.data())];
  return schema::single_key_index(e);
}

}  // namespace

bool Column::is_null(size_t row) const {
  switch (storage) {
    case Storage::kInt:
      return !present[row];
    case Storage::kReal:
      return std::isnan(reals[row]);
    case Storage::kCode:
    case Storage::kRef:
      return codes[row] < 0;
  }
  return true;
}

int32_t Column::code_of(std::string_view t) const {
  for (size_t i = 0; i < dict.size(); ++i) {
    if (dict[i] == t) return static_cast<int32_t>(i);
  }
  return -1;
}

const Column& Table::column(std::string_view field) const {
  for (const auto& c : columns) {
    if (c.field->name == field) return c;
  }
  throw std::out_of_range(
      fmt::format("snapshot: entity '{}' has no field '{}'", entity->name, field));
}

int32_t Table::find(std::string_view k) const {
  if (key_slots.empty()) return -1;
  const Column* key_column =
      ref_keys.empty() ? &columns.at(static_cast<size_t>(key_field(*entity))) : nullptr;
  const size_t mask = key_slots.size() - 1;
  for (size_t s = key_hash(k) & mask;; s = (s + 1) & mask) {
    const int32_t row = key_slots[s];
    if (row < 0) return -1;
    const auto r = static_cast<size_t>(row);
    if ((key_column != nullptr ? key_column->text(r) : ref_keys[r]) == k) return row;
  }
}

std::string_view Table::key(size_t row) const {
  if (!ref_keys.empty()) return ref_keys[row];
  const int k = key_field(*entity);
  return columns.at(static_cast<size_t>(k)).text(row);
}

const Table& Snapshot::table(std::string_view entity) const {
  for (const auto& t : tables) {
    if (t.entity->name == entity) return t;
  }
  throw std::out_of_range(fmt::format("snapshot: no entity '{}'", entity));
}

uint64_t key_hash(std::string_view key) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : key) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

namespace {

int entity_index(std::string_view name) {
  const auto all = schema::entities();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

// Index of an entity of schema::entities(), by address when it is one of them.
size_t index_of(const schema::Entity& e) {
  const auto all = schema::entities();
  if (&e >= all.data() && &e < all.data() + all.size()) return static_cast<size_t>(&e - all.data());
  return static_cast<size_t>(entity_index(e.name));
}

// Moves `v` into the snapshot's storage and returns a view of it.
template <class T>
std::span<const T> keep(std::vector<T>&& v, Snapshot& s) {
  if (v.empty()) return {};
  auto owned = std::make_shared<const std::vector<T>>(std::move(v));
  std::span<const T> view(*owned);
  s.storage.push_back(std::move(owned));
  return view;
}

Strings keep_strings(const std::vector<std::string>& texts, Snapshot& s) {
  std::vector<uint64_t> offsets;
  offsets.reserve(texts.size() + 1);
  uint64_t total = 0;
  offsets.push_back(0);
  for (const auto& t : texts) offsets.push_back(total += t.size());
  auto chars = std::make_shared<std::string>();
  chars->reserve(total);
  for (const auto& t : texts) chars->append(t);
  const char* data = chars->data();
  s.storage.push_back(std::move(chars));
  return Strings(keep(std::move(offsets), s), data);
}

// The open-addressing key index of Table::key_slots over the rows' key texts.
std::vector<int32_t> key_index(const Table& t) {
  if (t.rows == 0) return {};
  const size_t slots = std::bit_ceil(t.rows * 2);
  std::vector<int32_t> out(slots, -1);
  const size_t mask = slots - 1;
  for (size_t r = 0; r < t.rows; ++r) {
    const std::string_view k = t.key(r);
    for (size_t s = key_hash(k) & mask;; s = (s + 1) & mask) {
      if (out[s] < 0) {
        out[s] = static_cast<int32_t>(r);
        break;
      }
      if (t.key(static_cast<size_t>(out[s])) == k) break;  // a duplicate key: the first row wins
    }
  }
  return out;
}

}  // namespace

Storage storage_of(const schema::Field& f) {
  if (!f.references.empty()) return Storage::kRef;
  if (f.type == schema::Type::kReal) return Storage::kReal;
  if (f.type == schema::Type::kText) return Storage::kCode;
  return Storage::kInt;
}

int ref_table_of(const schema::Field& f) {
  return f.references.empty() ? -1 : entity_index(f.references);
}

Builder::Builder() : snap_(std::make_unique<Snapshot>()) {
  const auto all = schema::entities();
  snap_->tables.resize(all.size());
  data_.resize(all.size());
  adopted_.assign(all.size(), 0);
  for (size_t t = 0; t < all.size(); ++t) {
    Table& table = snap_->tables[t];
    table.entity = &all[t];
    data_[t].resize(all[t].fields.size());
    for (size_t ci = 0; ci < all[t].fields.size(); ++ci) {
      const auto& f = all[t].fields[ci];
      Column c;
      c.field = &f;
      c.storage = storage_of(f);
      c.ref_table = ref_table_of(f);
      if (c.storage == Storage::kCode && f.check == schema::Check::kEnum) {
        ColumnData& d = data_[t][ci];
        d.dict.assign(f.codes.begin(), f.codes.end());
        for (size_t i = 0; i < d.dict.size(); ++i)
          d.dict_index.emplace(d.dict[i], static_cast<int32_t>(i));
      }
      table.columns.push_back(c);
    }
  }
}

void Builder::add(const schema::Entity& e, const Row& row) {
  const size_t t = index_of(e);
  Table& table = snap_->tables[t];
  for (size_t ci = 0; ci < table.columns.size(); ++ci) {
    const Column& c = table.columns[ci];
    ColumnData& d = data_[t][ci];
    const Value& v = ci < row.size() ? row[ci] : Value{};
    switch (c.storage) {
      case Storage::kRef:
        d.pending.push_back(is_null(v) ? std::string() : value_to_text(v));
        break;
      case Storage::kReal:
        if (const auto* x = std::get_if<double>(&v)) {
          d.reals.push_back(*x);
        } else if (const auto* i = std::get_if<int64_t>(&v)) {
          d.reals.push_back(static_cast<double>(*i));
        } else {
          d.reals.push_back(std::numeric_limits<double>::quiet_NaN());
        }
        break;
      case Storage::kCode: {
        if (is_null(v)) {
          d.codes.push_back(-1);
          break;
        }
        std::string text = value_to_text(v);
        auto [it, added] = d.dict_index.try_emplace(text, static_cast<int32_t>(d.dict.size()));
        if (added) d.dict.push_back(std::move(text));
        d.codes.push_back(it->second);
        break;
      }
      case Storage::kInt: {
        int64_t x = 0;
        bool ok = true;
        if (const auto* i = std::get_if<int64_t>(&v)) {
          x = *i;
        } else if (const auto* s = std::get_if<std::string>(&v);
                   s && c.field->type == schema::Type::kDate) {
          auto day = Date::parse(*s);
          ok = day.has_value();
          if (ok) x = day->to_days();
        } else if (const auto* r = std::get_if<double>(&v)) {
          x = static_cast<int64_t>(*r);
        } else {
          ok = false;
        }
        d.ints.push_back(x);
        d.present.push_back(ok ? 1 : 0);
        break;
      }
    }
  }
  ++table.rows;
}

void Builder::adopt(size_t t, const Table& table, std::shared_ptr<const void> keep) {
  snap_->tables[t] = table;
  if (std::find(snap_->storage.begin(), snap_->storage.end(), keep) == snap_->storage.end())
    snap_->storage.push_back(std::move(keep));
  adopted_[t] = 1;
}

Result<SnapshotPtr> Builder::build(uint64_t version) && {
  Snapshot& snap = *snap_;
  snap.version = version;
  // Columns from rows, and the key index of every single-key entity.
  for (size_t t = 0; t < snap.tables.size(); ++t) {
    if (adopted_[t]) continue;
    Table& table = snap.tables[t];
    for (size_t ci = 0; ci < table.columns.size(); ++ci) {
      Column& c = table.columns[ci];
      ColumnData& d = data_[t][ci];
      c.ints = keep(std::move(d.ints), snap);
      c.reals = keep(std::move(d.reals), snap);
      c.codes = keep(std::move(d.codes), snap);
      c.present = keep(std::move(d.present), snap);
      if (c.storage == Storage::kCode) c.dict = keep_strings(d.dict, snap);
      std::unordered_map<std::string, int32_t>().swap(d.dict_index);
      std::vector<std::string>().swap(d.dict);
    }
    const int k = key_field(*table.entity);
    if (k < 0) continue;
    // A key that is itself a reference (decision -> proposal): its text is still pending.
    if (table.columns[static_cast<size_t>(k)].storage == Storage::kRef)
      table.ref_keys = keep_strings(data_[t][static_cast<size_t>(k)].pending, snap);
    table.key_slots = keep(key_index(table), snap);
  }
  for (size_t t = 0; t < snap.tables.size(); ++t) {
    if (adopted_[t]) continue;
    Table& table = snap.tables[t];
    for (size_t ci = 0; ci < table.columns.size(); ++ci) {
      Column& c = table.columns[ci];
      if (c.storage != Storage::kRef) continue;
      const Table& target = snap.tables[static_cast<size_t>(c.ref_table)];
      auto& texts = data_[t][ci].pending;
      std::vector<int32_t> codes(texts.size());
      for (size_t r = 0; r < texts.size(); ++r) {
        if (texts[r].empty()) {
          codes[r] = -1;
          continue;
        }
        codes[r] = target.find(texts[r]);
        if (codes[r] < 0) {
          return Status::internal(
              fmt::format("snapshot: {} row {} field '{}' refers to unknown {} '{}'",
                          table.entity->name, r, c.field->name, target.entity->name, texts[r]));
        }
      }
      c.codes = keep(std::move(codes), snap);
      std::vector<std::string>().swap(texts);
    }
  }
  return SnapshotPtr(std::move(snap_));
}

}  // namespace poles::snapshot
