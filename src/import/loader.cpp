#include "import/loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <utility>

#include "core/codes.h"
#include "core/date.h"
#include "core/model.h"
#include "formats/json.h"

namespace poles::import {

namespace {

constexpr std::string_view kLifecycle =
    "idea → submitted → labelled → funded → running → completed → on_market; rejected after "
    "submitted or labelled; abandoned before completion";

uint64_t hash_key(const std::string& s) { return std::hash<std::string>{}(s); }

// Stored rows read to describe a load's changes (LoaderOptions::describe), at most: a preview
// of a large file of unchanged rows stops reading the store past it.
constexpr int64_t kMaxDescribeLookups = 20'000;

std::optional<std::string> shown(const Value& v) {
  return is_null(v) ? std::nullopt : std::optional<std::string>(value_to_text(v));
}

const std::string* text(const Row& row, int i) {
  return i < 0 ? nullptr : std::get_if<std::string>(&row[static_cast<size_t>(i)]);
}

}  // namespace

struct Loader::EntityState {
  const schema::Entity* entity = nullptr;
  // (field, key set of the referenced entity) for every reference field.
  std::vector<std::pair<int, std::unordered_set<std::string>*>> refs;
  // Keys of this entity that later rows may refer to (single-field keys only).
  std::unordered_set<std::string>* own_keys = nullptr;
  std::unordered_map<uint64_t, int64_t> seen;  // hashed key -> line of first occurrence
  // unique field -> value -> key text (store and this load)
  std::map<int, std::unordered_map<std::string, std::string>> unique;
  int64_t rows = 0;
  int64_t changed = 0;
  int64_t deleted = 0;  // remove_absent
  int64_t count_before = 0;
  bool empty_before = false;  // the table was read, and held no row, before this load wrote it
};

// Upserts rows on its own thread, in batches, in the order they were queued.
class Loader::Writer {
 public:
  explicit Writer(store::Transaction& tx) : tx_(tx), thread_([this] { run(); }) {}
  ~Writer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void push(EntityState* st, Row row) {
    batch_.push_back({st, std::move(row)});
    if (batch_.size() >= kBatch) flush();
  }

  // Blocks until everything queued is written.
  Status drain() {
    flush();
    std::unique_lock lock(mu_);
    idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
    return failure_;
  }

 private:
  static constexpr size_t kBatch = 2048;
  static constexpr size_t kMaxQueued = 8;
  struct Item {
    EntityState* st;
    Row row;
  };

  void flush() {
    if (batch_.empty()) return;
    std::unique_lock lock(mu_);
    idle_.wait(lock, [this] { return queue_.size() < kMaxQueued; });  // back-pressure
    queue_.push_back(std::move(batch_));
    batch_.clear();
    batch_.reserve(kBatch);
    wake_.notify_one();
  }

  void run() {
    std::unique_lock lock(mu_);
    while (true) {
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      std::vector<Item> items = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      const bool failed = !failure_.is_ok();
      lock.unlock();
      idle_.notify_all();
      Status status;
      if (!failed) status = write(items);
      lock.lock();
      if (!status.is_ok() && failure_.is_ok()) failure_ = status;
      busy_ = false;
      idle_.notify_all();
    }
  }

  // Writes each run of consecutive rows of one entity with one call, in queue order.
  Status write(std::vector<Item>& items) {
    std::vector<Row> rows;
    for (size_t i = 0; i < items.size();) {
      EntityState* st = items[i].st;
      rows.clear();
      for (; i < items.size() && items[i].st == st; ++i) rows.push_back(std::move(items[i].row));
      // Into a table that was empty when this load began, every row is new (keys repeated
      // within the load are refused before they are queued): nothing to merge.
      POLES_ASSIGN_OR_RETURN(int64_t changed, st->empty_before
                                                  ? tx_.insert_many(*st->entity, rows)
                                                  : tx_.upsert_many(*st->entity, rows));
      st->changed += changed;
    }
    return Status::ok();
  }

  store::Transaction& tx_;
  std::vector<Item> batch_;  // filled by the producer only
  std::mutex mu_;
  std::condition_variable wake_, idle_;
  std::deque<std::vector<Item>> queue_;
  bool busy_ = false;
  bool stop_ = false;
  Status failure_;
  std::thread thread_;  // last: starts after the members it uses
};

Loader::Loader(store::Store& store, LoaderOptions options)
    : store_(store), options_(std::move(options)) {}

Loader::~Loader() {
  writer_.reset();  // joins before the transaction goes away
}

Status Loader::drain() {
  if (!writer_) return Status::ok();
  Status s = writer_->drain();
  if (!s.is_ok() && failure_.is_ok()) failure_ = s;
  return failure_;
}

Status Loader::ensure_transaction() {
  if (tx_ || !failure_.is_ok()) return failure_;
  auto tx = store_.begin();
  if (!tx.has_value()) {
    failure_ = tx.error();
    return failure_;
  }
  tx_ = std::move(tx).value();
  return Status::ok();
}

Loader::EntityState& Loader::state(const schema::Entity& e) {
  auto it = states_.find(e.name);
  if (it != states_.end()) return *it->second;
  auto st = std::make_unique<EntityState>();
  st->entity = &e;
  (void)drain();
  if (tx_) {
    auto count = tx_->query(fmt::format("SELECT COUNT(*) FROM {}", store::quote_ident(e.name)), {});
    if (count.has_value()) {
      st->count_before = std::get<int64_t>((*count)[0][0]);
      st->empty_before = st->count_before == 0;
    } else {
      failure_ = count.error();
    }
    const int key = schema::single_key_index(e);
    for (size_t i = 0; i < e.fields.size(); ++i) {
      if (!e.fields[i].unique || key < 0) continue;
      auto& map = st->unique[static_cast<int>(i)];
      auto rows =
          tx_->query(fmt::format("SELECT {}, {} FROM {} WHERE {} IS NOT NULL",
                                 store::quote_ident(e.fields[i].name),
                                 store::quote_ident(e.fields[static_cast<size_t>(key)].name),
                                 store::quote_ident(e.name), store::quote_ident(e.fields[i].name)),
                     {});
      if (!rows.has_value()) {
        failure_ = rows.error();
        continue;
      }
      for (auto& r : *rows) map[value_to_text(r[0])] = value_to_text(r[1]);
    }
  }
  for (size_t i = 0; i < e.fields.size(); ++i) {
    const auto& f = e.fields[i];
    const auto target = !f.references.empty() ? f.references : f.referential;
    if (!target.empty())
      st->refs.emplace_back(static_cast<int>(i), &keys_of(*schema::find_entity(target)));
  }
  if (schema::single_key_index(e) >= 0) st->own_keys = &keys_of(e);
  return *states_.emplace(e.name, std::move(st)).first->second;
}

std::unordered_set<std::string>& Loader::keys_of(const schema::Entity& e) {
  auto it = keys_.find(e.name);
  if (it != keys_.end()) return it->second;
  auto& set = keys_[e.name];
  const int key = schema::single_key_index(e);
  (void)drain();
  if (tx_ && key >= 0) {
    auto rows = tx_->query(fmt::format("SELECT {} FROM {}",
                                       store::quote_ident(e.fields[static_cast<size_t>(key)].name),
                                       store::quote_ident(e.name)),
                           {});
    if (rows.has_value()) {
      set.reserve(rows->size() * 2);
      for (auto& r : *rows) set.insert(std::move(std::get<std::string>(r[0])));
    } else {
      failure_ = rows.error();
    }
  }
  return set;
}

FieldError Loader::error_at(const RowOrigin& origin, const schema::Entity& e, int field,
                            const Value& value, std::string rule) const {
  FieldError fe;
  fe.file = origin.file;
  fe.line = origin.line;
  if (field >= 0) {
    fe.field = std::string(e.fields[static_cast<size_t>(field)].name);
    if (origin.columns != nullptr) fe.column = (*origin.columns)[static_cast<size_t>(field)];
  }
  fe.value = value_to_text(value);
  fe.rule = std::move(rule);
  return fe;
}

void Loader::add_error(FieldError error) {
  ++total_errors_;
  error_lines_.insert(error.line);
  if (static_cast<int>(errors_.size()) < options_.max_errors) errors_.push_back(std::move(error));
}

void Loader::check_zone(const schema::Entity& e, const Row& row, const RowOrigin& origin) {
  if (!zones_) {
    (void)drain();
    zones_.emplace();
    auto rows = tx_->query(R"(SELECT "code" FROM "territory" WHERE "level" = 'zone')", {});
    if (!rows.has_value()) {
      failure_ = rows.error();
      return;
    }
    for (auto& r : *rows) zones_->insert(std::move(std::get<std::string>(r[0])));
  }
  if (e.name == "territory") {  // a zone of the referential, for the rows of this load
    const auto* level = text(row, schema::field_index(e, "level"));
    const auto* code = text(row, schema::field_index(e, "code"));
    if (level != nullptr && *level == "zone" && code != nullptr) zones_->insert(*code);
    return;
  }
  const int field = schema::zone_reference(e, row);
  if (field < 0) return;
  const auto& code = std::get<std::string>(row[static_cast<size_t>(field)]);
  if (!codes::zone_well_formed(code) || zones_->contains(code)) return;  // the form's rule says why
  // Checked at the end, against the referential as the whole load leaves it.
  pending_zones_.push_back(
      {&e, field, code, origin, origin.columns ? *origin.columns : std::vector<int>{}});
}

const Communes* Loader::communes() {
  if (!communes_) {
    (void)drain();
    auto loaded = Communes::load(*tx_);
    if (!loaded.has_value()) {
      failure_ = loaded.status();
      return nullptr;
    }
    communes_ = std::move(*loaded);
  }
  return &*communes_;
}

void Loader::check_commune(const schema::Entity& e, Row& row, const RowOrigin& origin,
                           Merge merge) {
  if (e.name != "organisation") return;
  const int field = schema::field_index(e, "commune");
  const auto* code = text(row, field);
  if (code == nullptr) return;
  if (merge == Merge::kFillGaps) {
    const auto* list = communes();
    if (list == nullptr || !list->held() || list->find(*code) != nullptr) return;
    const auto* now = list->successor(*code);
    row[static_cast<size_t>(field)] = now != nullptr ? Value(now->code) : Value();
    return;
  }
  pending_communes_.push_back(
      {&e, field, *code, origin, origin.columns ? *origin.columns : std::vector<int>{}});
}

void Loader::complete_place(const schema::Entity& e, Row& row, const RowOrigin& origin,
                            bool check_zone) {
  const auto* list = communes();
  if (list == nullptr || !list->held()) return;
  if (auto rule = list->complete_organisation(e, row, check_zone)) {
    const int field = schema::field_index(e, "employment_zone");
    add_error(error_at(origin, e, field, row[static_cast<size_t>(field)], std::move(*rule)));
  }
}

void Loader::check_project_status(const schema::Entity& e, const Row& row,
                                  const RowOrigin& origin) {
  if (!project_status_) {
    project_status_.emplace();
    (void)drain();
    auto rows = tx_->query("SELECT \"id\", \"status\" FROM \"project\"", {});
    if (!rows.has_value()) {
      failure_ = rows.error();
      return;
    }
    for (auto& r : *rows)
      (*project_status_)[std::get<std::string>(r[0])] = std::get<std::string>(r[1]);
  }
  const int i_status = schema::field_index(e, "status");
  const std::string& id = std::get<std::string>(row[0]);
  const std::string* status = text(row, i_status);
  auto it = project_status_->find(id);
  if (it != project_status_->end() && status != nullptr && it->second != *status) {
    const auto from = find_code(kProjectStatusCodes, it->second);
    const auto to = find_code(kProjectStatusCodes, *status);
    if (from && to &&
        !is_legal_transition(static_cast<ProjectStatus>(*from), static_cast<ProjectStatus>(*to))) {
      add_error(error_at(origin, e, i_status, row[static_cast<size_t>(i_status)],
                         fmt::format("cannot move from '{}' to '{}' (lifecycle: {})", it->second,
                                     *status, kLifecycle)));
    }
  }
  if (status != nullptr) (*project_status_)[id] = *status;
}

// An organisation's fields that derive from others, when the source gives a new value of what
// they derive from and not them: emptied, so that the checks derive them again (a new commune
// brings its department, region and zone; a new headcount its size class) instead of keeping
// the stored ones, which would contradict it. Only what can be derived again is emptied: the
// zone when the list of communes is held, the size class when a headcount is known.
void Loader::rederive_organisation(const schema::Entity& e, Row& row, const Row& stored,
                                   const std::vector<bool>& given) {
  const auto at = [&](std::string_view name) {
    return static_cast<size_t>(schema::field_index(e, name));
  };
  const auto renewed = [&](std::string_view name) {
    const size_t i = at(name);
    return given[i] && row[i] != stored[i];
  };
  const auto empty_unless_given = [&](std::string_view name) {
    if (!given[at(name)]) row[at(name)] = Value{};
  };
  if (renewed("commune")) {
    empty_unless_given("department");
    empty_unless_given("region");
    if (const auto* list = communes(); list != nullptr && list->held())
      empty_unless_given("employment_zone");
  } else if (renewed("department")) {
    empty_unless_given("region");
  }
  if ((renewed("headcount") || renewed("turnover") || renewed("balance_sheet")) &&
      !is_null(row[at("headcount")]))
    empty_unless_given("size_class");
}

void Loader::merge_stored(const schema::Entity& e, Row& row, const RowOrigin& origin, Merge merge) {
  if (!drain().is_ok()) return;  // the writer's rows first: the same key earlier in this load
  auto before = tx_->get(e, store::key_of(e, row));
  if (!before.has_value()) {
    failure_ = before.error();
    return;
  }
  if (!*before) return;
  const Row& stored = **before;
  if (merge == Merge::kKeepStored) {
    row = stored;
    return;
  }
  std::vector<bool> key(e.fields.size(), false);
  for (int k : schema::key_indices(e)) key[static_cast<size_t>(k)] = true;
  if (merge == Merge::kKeepKnown) {
    std::vector<bool> given(e.fields.size());
    for (size_t i = 0; i < e.fields.size(); ++i) given[i] = !is_null(row[i]);
    for (size_t i = 0; i < e.fields.size(); ++i) {
      const bool carried = origin.carried != nullptr && (*origin.carried)[i];
      if (!key[i] && is_null(row[i]) && !carried) row[i] = stored[i];
    }
    if (e.name == "organisation") rederive_organisation(e, row, stored, given);
    return;
  }
  // kFillGaps: the stored values are kept, the source fills the empty fields...
  Row merged = row;
  for (size_t i = 0; i < e.fields.size(); ++i)
    if (!key[i] && !is_null(stored[i])) merged[i] = stored[i];
  // ... but a field filled in a group that derive from one another (check_organisation) must
  // agree with what is stored of the group: a head office's commune in Paris does not join a
  // member's department in Haute-Garonne, a commune in the region CORDIS gave does. The fields of
  // an address go together: filled only when none is stored (no CORDIS street beside the city a
  // directory gave).
  struct Group {
    std::vector<std::string_view> fields;
    bool together = false;
  };
  static const std::map<std::string_view, std::vector<Group>> kGroups = {
      {"organisation",
       {{{"commune", "department", "region", "employment_zone"}},
        {{"headcount", "turnover", "balance_sheet", "size_class"}},
        {{"address", "postcode", "city"}, true}}}};
  if (auto it = kGroups.find(e.name); it != kGroups.end()) {
    for (const auto& group : it->second) {
      std::vector<size_t> fields;
      bool known = false, filled = false;
      for (const auto name : group.fields) {
        const auto i = static_cast<size_t>(schema::field_index(e, name));
        fields.push_back(i);
        known |= !is_null(stored[i]);
        filled |= is_null(stored[i]) && !is_null(row[i]);
      }
      if (!known || !filled) continue;
      bool disagrees = group.together;
      if (!disagrees) {
        Row probe = merged;
        std::vector<FieldError> errors;
        schema::check_row(e, probe, errors);
        disagrees = std::any_of(errors.begin(), errors.end(), [&](const FieldError& fe) {
          return std::find(fields.begin(), fields.end(), static_cast<size_t>(fe.column) - 1) !=
                 fields.end();
        });
        // A zone d'emploi that is not its commune's (the list of communes says).
        if (const auto* list = e.name == "organisation" ? communes() : nullptr;
            !disagrees && list != nullptr)
          disagrees = list->complete_organisation(e, probe, true).has_value();
      }
      if (disagrees)
        for (size_t i : fields) merged[i] = stored[i];
    }
  }
  row = std::move(merged);
}

void Loader::add(const schema::Entity& e, Row row, const RowOrigin& origin, Merge merge) {
  if (!ensure_transaction().is_ok()) return;
  EntityState& st = state(e);
  ++st.rows;
  // Insert-only: a stored row is left as it is, unread and unchecked (its first occurrence in
  // the file; a key repeated in the file is refused below).
  if (merge == Merge::kKeepStored && !st.empty_before) {
    const std::string key = store::key_text(e, row);
    if (!st.seen.contains(hash_key(key))) {
      bool stored = false;
      if (st.own_keys != nullptr) {
        stored = st.own_keys->contains(key);
      } else {
        if (!drain().is_ok()) return;
        auto got = tx_->get(e, store::key_of(e, row));
        if (!got.has_value()) {
          failure_ = got.error();
          return;
        }
        stored = got->has_value();
      }
      if (stored) {
        st.seen.emplace(hash_key(key), origin.line);
        return;
      }
    }
  }
  // The zone and the commune the source gives (not those the merge keeps from the store).
  check_zone(e, row, origin);
  check_commune(e, row, origin, merge);
  // The source's own place (a commune or a zone it gives) is checked against each other; a
  // stored one is not checked again.
  const bool gives_place =
      e.name == "organisation" && (text(row, schema::field_index(e, "commune")) != nullptr ||
                                   text(row, schema::field_index(e, "employment_zone")) != nullptr);
  // A key not stored nor earlier in this load has nothing to merge (composite keys: looked up).
  // (A table empty before this load holds no stored row: keys repeated within it are refused.)
  if (merge != Merge::kReplace && !st.empty_before &&
      (st.own_keys == nullptr || st.own_keys->contains(store::key_text(e, row))))
    merge_stored(e, row, origin, merge);

  if (e.name == "organisation") complete_place(e, row, origin, gives_place);
  if (e.name == "commune" && communes_) communes_->add(e, row);
  std::vector<FieldError> row_errors;
  schema::check_row(e, row, row_errors);
  // A required field a source does not give (an upsert without its column) is there once
  // merged with the stored row; a new row needs it.
  for (size_t i = 0; i < e.fields.size(); ++i)
    if (e.fields[i].required && is_null(row[i]))
      add_error(error_at(origin, e, static_cast<int>(i), row[i],
                         origin.columns != nullptr && (*origin.columns)[i] == 0
                             ? "is required: the file has no such column and the row is not "
                               "stored yet"
                             : "is required"));
  for (auto& fe : row_errors) {
    const int field = static_cast<int>(fe.column) - 1;
    add_error(error_at(origin, e, field, row[static_cast<size_t>(field)], std::move(fe.rule)));
  }

  for (const auto& [i, keys] : st.refs) {
    const Value& v = row[static_cast<size_t>(i)];
    if (is_null(v)) continue;
    const std::string& ref = std::get<std::string>(v);
    const auto& f = e.fields[static_cast<size_t>(i)];
    if (f.check == schema::Check::kList) {  // each item, once the whole load is read
      // (a few: schema::kMaxListItems; the pending reference holds the item, not the cell)
      for (const auto item : schema::list_items(ref)) {
        if (keys->contains(std::string(item))) continue;
        pending_refs_.push_back({&e, i, std::string(item), origin,
                                 origin.columns ? *origin.columns : std::vector<int>{},
                                 f.references.empty() ? f.referential : f.references, true});
      }
      continue;
    }
    if (keys->contains(ref)) continue;
    if (f.references == e.name) {  // may be defined later in this load
      pending_refs_.push_back(
          {&e, i, ref, origin, origin.columns ? *origin.columns : std::vector<int>{}});
      continue;
    }
    add_error(
        error_at(origin, e, i, v,
                 fmt::format("refers to an unknown {} (not in the store, nor earlier in this load)",
                             f.references.empty() ? f.referential : f.references)));
  }

  const std::string key = store::key_text(e, row);
  const auto [seen, fresh] = st.seen.emplace(hash_key(key), origin.line);
  if (!fresh) {
    add_error(error_at(origin, e, schema::key_indices(e)[0],
                       row[static_cast<size_t>(schema::key_indices(e)[0])],
                       fmt::format("duplicate key '{}' (first at line {})", key, seen->second)));
  }

  for (auto& [field, map] : st.unique) {
    const Value& v = row[static_cast<size_t>(field)];
    if (is_null(v)) continue;
    const auto [it, inserted] = map.emplace(value_to_text(v), key);
    if (!inserted && it->second != key) {
      add_error(error_at(origin, e, field, v,
                         fmt::format("already used by {} '{}'", e.name, it->second)));
    }
  }

  if (e.name == "project") check_project_status(e, row, origin);
  if (e.name == "project_event") {
    events_.push_back({std::get<std::string>(row[0]), std::get<std::string>(row[1]),
                       std::get<std::string>(row[2]), origin,
                       origin.columns ? *origin.columns : std::vector<int>{}});
  }

  // Referable by later rows of this load (loaded from the store first).
  if (st.own_keys != nullptr) st.own_keys->insert(key);

  if (options_.describe > 0 && total_errors_ == 0 && failure_.is_ok()) describe(e, row, origin, st);
  if (total_errors_ == 0 && failure_.is_ok()) {
    if (!writer_) writer_ = std::make_unique<Writer>(*tx_);
    writer_->push(&st, std::move(row));
  }
}

std::string_view change_kind_name(RowChange::Kind kind) {
  switch (kind) {
    case RowChange::Kind::kInserted:
      return "inserted";
    case RowChange::Kind::kUpdated:
      return "updated";
    case RowChange::Kind::kDeleted:
      return "deleted";
  }
  return "";
}

void Loader::describe(const schema::Entity& e, const Row& row, const RowOrigin& origin,
                      const EntityState& st) {
  if (std::cmp_greater_equal(changes_.size(), options_.describe) || lookups_ >= kMaxDescribeLookups)
    return;
  std::optional<Row> stored;
  if (!st.empty_before) {
    ++lookups_;
    if (!drain().is_ok()) return;  // rows earlier in this load are written first
    auto got = tx_->get(e, store::key_of(e, row));
    if (!got.has_value()) {
      failure_ = got.error();
      return;
    }
    stored = std::move(*got);
  }
  RowChange c;
  c.entity = std::string(e.name);
  c.key = store::key_text(e, row);
  c.line = origin.line;
  for (size_t i = 0; i < e.fields.size(); ++i) {
    const std::string name(e.fields[i].name);
    if (!stored) {
      if (!is_null(row[i])) c.fields.push_back({name, std::nullopt, shown(row[i])});
    } else if ((*stored)[i] != row[i]) {
      c.fields.push_back({name, shown((*stored)[i]), shown(row[i])});
    }
  }
  if (stored && c.fields.empty()) return;  // unchanged
  c.kind = stored ? RowChange::Kind::kUpdated : RowChange::Kind::kInserted;
  changes_.push_back(std::move(c));
}

int64_t Loader::remove_absent(const schema::Entity& e,
                              const std::vector<std::pair<int, Value>>& scope,
                              const std::unordered_set<std::string>& listed,
                              const std::string& file) {
  if (!ensure_transaction().is_ok() || total_errors_ > 0) return 0;
  EntityState& st = state(e);
  if (st.empty_before || !drain().is_ok()) return 0;
  std::string where;
  std::vector<Value> params;
  for (const auto& [i, v] : scope) {
    where += fmt::format("{}{} = ?", where.empty() ? " WHERE " : " AND ",
                         store::quote_ident(e.fields[static_cast<size_t>(i)].name));
    params.push_back(v);
  }
  std::string columns;
  for (size_t i = 0; i < e.fields.size(); ++i)
    columns += (i == 0 ? "" : ", ") + store::quote_ident(e.fields[i].name);
  std::string order;
  for (int k : schema::key_indices(e))
    order += (order.empty() ? " ORDER BY " : ", ") +
             store::quote_ident(e.fields[static_cast<size_t>(k)].name);
  auto rows = tx_->query(
      fmt::format("SELECT {} FROM {}{}{}", columns, store::quote_ident(e.name), where, order),
      params);
  if (!rows.has_value()) {
    failure_ = rows.error();
    return 0;
  }
  // What may refer to a row of `e`: the references that do not go with it (not its owned
  // rows; its own entity's, which the store would empty, are counted), the codes a
  // referential names, alone or in a list ("a|b|c").
  struct Referrer {
    const schema::Entity* entity;
    const schema::Field* field;
  };
  std::vector<Referrer> referrers;
  for (const auto& other : schema::entities())
    for (const auto& f : other.fields)
      if ((f.references == e.name && other.owner != e.name) || f.referential == e.name)
        referrers.push_back({&other, &f});
  const auto key_fields = schema::key_indices(e);
  const std::vector<int> no_columns(e.fields.size(), 0);
  const RowOrigin origin{fmt::format("{} (rows of the scope it does not list)", file), 0,
                         &no_columns};
  int64_t deleted = 0;
  for (const auto& stored : *rows) {
    const std::string key = store::key_text(e, stored);
    if (listed.contains(key)) continue;
    bool used_elsewhere = false;
    if (key_fields.size() == 1) {
      for (const auto& r : referrers) {
        const std::string field = store::quote_ident(r.field->name);
        auto used = tx_->query(
            fmt::format("SELECT COUNT(*) FROM {} WHERE {}", store::quote_ident(r.entity->name),
                        r.field->check == schema::Check::kList
                            ? fmt::format("'|' || {} || '|' LIKE '%|' || ? || '|%'", field)
                            : fmt::format("{} = ?", field)),
            {stored[static_cast<size_t>(key_fields[0])]});
        if (!used.has_value()) {
          failure_ = used.error();
          return deleted;
        }
        if (const int64_t n = std::get<int64_t>((*used)[0][0]); n > 0) {
          used_elsewhere = true;
          add_error(error_at(
              origin, e, key_fields[0], stored[static_cast<size_t>(key_fields[0])],
              fmt::format("not in the file, so it would be deleted, but {} row(s) of {} (field "
                          "{}) refer to it: delete them first, or import without replace",
                          n, r.entity->name, r.field->name)));
        }
      }
    }
    if (used_elsewhere) continue;
    if (total_errors_ > 0) continue;
    Row key_row;
    for (int k : key_fields) key_row.push_back(stored[static_cast<size_t>(k)]);
    auto removed = tx_->remove(e, key_row);
    if (!removed.has_value()) {
      failure_ = removed.error();
      return deleted;
    }
    ++deleted;
    if (!options_.dry_run) {  // each deleted row in the audit log, as a deletion by hand
      store::AuditEntry a;
      a.at = utc_timestamp();
      a.actor = options_.actor;
      a.action = "delete";
      a.entity = std::string(e.name);
      a.key = key;
      a.before = formats::row_to_json(e, stored).dump();
      a.after = fmt::format("{{\"import\":{}}}", nlohmann::json(file).dump());
      if (auto s = tx_->append_audit(a); !s.is_ok()) {
        failure_ = s;
        return deleted;
      }
    }
    if (std::cmp_less(changes_.size(), options_.describe)) {
      RowChange c;
      c.kind = RowChange::Kind::kDeleted;
      c.entity = std::string(e.name);
      c.key = key;
      for (size_t i = 0; i < e.fields.size(); ++i)
        if (!is_null(stored[i]))
          c.fields.push_back({std::string(e.fields[i].name), shown(stored[i]), std::nullopt});
      changes_.push_back(std::move(c));
    }
  }
  st.deleted += deleted;
  return deleted;
}

void Loader::check_project_events() {
  if (events_.empty() || !tx_) return;
  (void)drain();
  struct Ev {
    std::string status, date;
    const EventRow* row;  // nullptr for events already in the store
  };
  std::unordered_map<std::string, std::vector<Ev>> by_project;
  auto rows = tx_->query("SELECT \"project_id\", \"status\", \"date\" FROM \"project_event\"", {});
  if (!rows.has_value()) {
    failure_ = rows.error();
    return;
  }
  for (auto& r : *rows) {
    by_project[std::get<std::string>(r[0])].push_back(
        {std::get<std::string>(r[1]), std::get<std::string>(r[2]), nullptr});
  }
  for (const auto& ev : events_) {
    auto& list = by_project[ev.project];
    auto same =
        std::find_if(list.begin(), list.end(), [&](const Ev& x) { return x.status == ev.status; });
    if (same != list.end()) {
      *same = {ev.status, ev.date, &ev};
    } else {
      list.push_back({ev.status, ev.date, &ev});
    }
  }
  if (!project_status_) {
    project_status_.emplace();
    auto statuses = tx_->query("SELECT \"id\", \"status\" FROM \"project\"", {});
    if (statuses.has_value()) {
      for (auto& r : *statuses)
        (*project_status_)[std::get<std::string>(r[0])] = std::get<std::string>(r[1]);
    }
  }
  const schema::Entity& e = *schema::find_entity("project_event");
  const auto rank = [](const std::string& s) {
    return find_code(kProjectStatusCodes, s).value_or(0);
  };
  for (auto& [project, list] : by_project) {
    std::sort(list.begin(), list.end(), [&](const Ev& a, const Ev& b) {
      return a.date != b.date ? a.date < b.date : rank(a.status) < rank(b.status);
    });
    for (size_t i = 1; i < list.size(); ++i) {
      const Ev& prev = list[i - 1];
      const Ev& cur = list[i];
      if (cur.row == nullptr && prev.row == nullptr) continue;
      if (is_legal_transition(static_cast<ProjectStatus>(rank(prev.status)),
                              static_cast<ProjectStatus>(rank(cur.status))))
        continue;
      const EventRow& at = cur.row != nullptr ? *cur.row : *prev.row;
      RowOrigin origin = at.origin;
      origin.columns = at.columns.empty() ? nullptr : &at.columns;
      add_error(
          error_at(origin, e, 1, at.status,
                   fmt::format("project '{}': '{}' on {} cannot follow '{}' on {} (lifecycle: {})",
                               project, cur.status, cur.date, prev.status, prev.date, kLifecycle)));
    }
    // The project's own status must be the latest event's status or follow it.
    const auto status = project_status_->find(project);
    const Ev& last = list.back();
    if (status != project_status_->end() && last.row != nullptr && status->second != last.status &&
        !is_legal_transition(static_cast<ProjectStatus>(rank(last.status)),
                             static_cast<ProjectStatus>(rank(status->second)))) {
      RowOrigin origin = last.row->origin;
      origin.columns = last.row->columns.empty() ? nullptr : &last.row->columns;
      add_error(error_at(origin, e, 1, last.status,
                         fmt::format("project '{}' has status '{}', which cannot follow this event",
                                     project, status->second)));
    }
  }
}

Result<LoadReport> Loader::finish(const std::string& audit_key) {
  for (auto& p : pending_refs_) {
    const auto* target = p.target.empty() ? p.entity : schema::find_entity(p.target);
    if (keys_of(*target).contains(p.value)) continue;
    RowOrigin origin = p.origin;
    origin.columns = p.columns.empty() ? nullptr : &p.columns;
    add_error(error_at(
        origin, *p.entity, p.field, p.value,
        p.item
            ? fmt::format("item '{}' refers to an unknown {} (not in the store, nor in this load)",
                          p.value, target->name)
            : fmt::format("refers to an unknown {} (not in the store, nor in this load)",
                          target->name)));
  }
  // Zones d'emploi: against the referential when the store (or this load) holds one.
  for (auto& z : pending_zones_) {
    if (!zones_ || zones_->empty() || zones_->contains(z.value)) continue;
    RowOrigin origin = z.origin;
    origin.columns = z.columns.empty() ? nullptr : &z.columns;
    add_error(error_at(origin, *z.entity, z.field, z.value, std::string(schema::kUnknownZoneRule)));
  }
  // Communes: against the list when the store (or this load) holds one.
  if (!pending_communes_.empty()) {
    if (const auto* list = communes()) {
      for (auto& c : pending_communes_) {
        auto rule = list->commune_rule(c.value);
        if (!rule) continue;
        RowOrigin origin = c.origin;
        origin.columns = c.columns.empty() ? nullptr : &c.columns;
        add_error(error_at(origin, *c.entity, c.field, c.value, std::move(*rule)));
      }
    }
  }
  check_project_events();
  (void)drain();
  writer_.reset();
  if (!failure_.is_ok()) {
    tx_.reset();
    return failure_;
  }
  if (total_errors_ > 0) {
    tx_.reset();  // rolls back
    std::stable_sort(errors_.begin(), errors_.end(), [](const FieldError& a, const FieldError& b) {
      return std::tie(a.file, a.line) < std::tie(b.file, b.line);
    });
    return Status::bad_input(std::move(errors_), total_errors_);
  }
  LoadReport report;
  report.dry_run = options_.dry_run;
  if (!tx_) return report;
  std::string summary;
  int64_t described_total = 0;  // rows inserted, updated or deleted
  for (auto& [name, st] : states_) {
    auto count = tx_->query(fmt::format("SELECT COUNT(*) FROM {}", store::quote_ident(name)), {});
    if (!count.has_value()) return count.error();
    EntityCounts c;
    c.rows = st->rows;
    c.deleted = st->deleted;
    c.inserted = std::get<int64_t>((*count)[0][0]) - st->count_before + st->deleted;
    c.updated = st->changed - c.inserted;
    c.unchanged = st->rows - st->changed;
    described_total += c.inserted + c.updated + c.deleted;
    report.entities[std::string(name)] = c;
    summary +=
        fmt::format("{}\"{}\":{{\"rows\":{},\"inserted\":{},\"updated\":{},\"unchanged\":{}{}}}",
                    summary.empty() ? "" : ",", name, c.rows, c.inserted, c.updated, c.unchanged,
                    c.deleted > 0 ? fmt::format(",\"deleted\":{}", c.deleted) : "");
  }
  if (options_.describe > 0) {
    report.changes_truncated = std::cmp_greater(described_total, changes_.size());
    report.changes = std::move(changes_);
  }
  if (options_.dry_run) {
    tx_.reset();
    return report;
  }
  if (tx_->changes() > 0) {
    store::AuditEntry a;
    a.at = utc_timestamp();
    a.actor = options_.actor;
    a.action = "import";
    a.entity = states_.size() == 1 ? std::string(states_.begin()->first) : "";
    a.key = audit_key;
    a.after = "{" + summary + "}";
    POLES_RETURN_IF_ERROR(tx_->append_audit(a));
  }
  POLES_RETURN_IF_ERROR(tx_->commit());
  tx_.reset();
  report.committed = true;
  return report;
}

}  // namespace poles::import
