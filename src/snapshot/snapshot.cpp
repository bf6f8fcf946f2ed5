#include "snapshot/snapshot.h"

#include <fmt/format.h>

#include <limits>
#include <stdexcept>

#include "core/date.h"

namespace poles::snapshot {

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
  auto it = by_key.find(std::string(k));
  return it == by_key.end() ? -1 : it->second;
}

std::string_view Table::key(size_t row) const {
  if (!ref_keys.empty()) return ref_keys[row];
  const int k = schema::single_key_index(*entity);
  return columns.at(static_cast<size_t>(k)).text(row);
}

const Table& Snapshot::table(std::string_view entity) const {
  for (const auto& t : tables) {
    if (t.entity->name == entity) return t;
  }
  throw std::out_of_range(fmt::format("snapshot: no entity '{}'", entity));
}

namespace {

int entity_index(std::string_view name) {
  const auto all = schema::entities();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

Builder::Builder() : snap_(std::make_unique<Snapshot>()) {
  const auto all = schema::entities();
  snap_->tables.resize(all.size());
  pending_.resize(all.size());
  dict_index_.resize(all.size());
  for (size_t t = 0; t < all.size(); ++t) {
    Table& table = snap_->tables[t];
    table.entity = &all[t];
    pending_[t].resize(all[t].fields.size());
    dict_index_[t].resize(all[t].fields.size());
    for (const auto& f : all[t].fields) {
      Column c;
      c.field = &f;
      if (!f.references.empty()) {
        c.storage = Storage::kRef;
        c.ref_table = entity_index(f.references);
      } else if (f.type == schema::Type::kReal) {
        c.storage = Storage::kReal;
      } else if (f.type == schema::Type::kText) {
        c.storage = Storage::kCode;
        if (f.check == schema::Check::kEnum) c.dict.assign(f.codes.begin(), f.codes.end());
      } else {
        c.storage = Storage::kInt;
      }
      const size_t ci = table.columns.size();
      for (size_t i = 0; i < c.dict.size(); ++i)
        dict_index_[t][ci].emplace(c.dict[i], static_cast<int32_t>(i));
      table.columns.push_back(std::move(c));
    }
  }
}

void Builder::add(const schema::Entity& e, const Row& row) {
  const size_t t = static_cast<size_t>(entity_index(e.name));
  Table& table = snap_->tables[t];
  for (size_t ci = 0; ci < table.columns.size(); ++ci) {
    Column& c = table.columns[ci];
    const Value& v = ci < row.size() ? row[ci] : Value{};
    switch (c.storage) {
      case Storage::kRef:
        pending_[t][ci].push_back(is_null(v) ? std::string() : value_to_text(v));
        break;
      case Storage::kReal:
        if (const auto* d = std::get_if<double>(&v)) {
          c.reals.push_back(*d);
        } else if (const auto* i = std::get_if<int64_t>(&v)) {
          c.reals.push_back(static_cast<double>(*i));
        } else {
          c.reals.push_back(std::numeric_limits<double>::quiet_NaN());
        }
        break;
      case Storage::kCode: {
        if (is_null(v)) {
          c.codes.push_back(-1);
          break;
        }
        std::string text = value_to_text(v);
        auto [it, added] =
            dict_index_[t][ci].try_emplace(text, static_cast<int32_t>(c.dict.size()));
        if (added) c.dict.push_back(std::move(text));
        c.codes.push_back(it->second);
        break;
      }
      case Storage::kInt: {
        int64_t x = 0;
        bool ok = true;
        if (const auto* i = std::get_if<int64_t>(&v)) {
          x = *i;
        } else if (const auto* s = std::get_if<std::string>(&v);
                   s && c.field->type == schema::Type::kDate) {
          auto d = Date::parse(*s);
          ok = d.has_value();
          if (ok) x = d->to_days();
        } else if (const auto* d = std::get_if<double>(&v)) {
          x = static_cast<int64_t>(*d);
        } else {
          ok = false;
        }
        c.ints.push_back(x);
        c.present.push_back(ok ? 1 : 0);
        break;
      }
    }
  }
  ++table.rows;
}

Result<SnapshotPtr> Builder::build(uint64_t version) && {
  snap_->version = version;
  // Key index of every single-key entity.
  for (size_t t = 0; t < snap_->tables.size(); ++t) {
    Table& table = snap_->tables[t];
    const int k = schema::single_key_index(*table.entity);
    if (k < 0) continue;
    const Column& c = table.columns[static_cast<size_t>(k)];
    table.by_key.reserve(table.rows);
    if (c.storage == Storage::kRef) {
      // A key that is itself a reference (decision -> proposal): its text is still pending.
      table.ref_keys = pending_[t][static_cast<size_t>(k)];
      for (size_t r = 0; r < table.rows; ++r)
        table.by_key.emplace(table.ref_keys[r], static_cast<int32_t>(r));
    } else {
      for (size_t r = 0; r < table.rows; ++r)
        table.by_key.emplace(std::string(c.text(r)), static_cast<int32_t>(r));
    }
  }
  for (size_t t = 0; t < snap_->tables.size(); ++t) {
    Table& table = snap_->tables[t];
    for (size_t ci = 0; ci < table.columns.size(); ++ci) {
      Column& c = table.columns[ci];
      if (c.storage != Storage::kRef) continue;
      const Table& target = snap_->tables[static_cast<size_t>(c.ref_table)];
      auto& texts = pending_[t][ci];
      c.codes.resize(texts.size());
      for (size_t r = 0; r < texts.size(); ++r) {
        if (texts[r].empty()) {
          c.codes[r] = -1;
          continue;
        }
        auto it = target.by_key.find(texts[r]);
        if (it == target.by_key.end()) {
          return Status::internal(
              fmt::format("snapshot: {} row {} field '{}' refers to unknown {} '{}'",
                          table.entity->name, r, c.field->name, target.entity->name, texts[r]));
        }
        c.codes[r] = it->second;
      }
      std::vector<std::string>().swap(texts);
    }
  }
  return SnapshotPtr(std::move(snap_));
}

}  // namespace poles::snapshot
