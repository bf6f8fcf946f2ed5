// Loader: the one write path of every import. It takes typed rows of any entities, checks the
// rules that span rows or the store (references, duplicate keys within the load, unique fields,
// legal lifecycle moves), writes them in one transaction, and commits only when no error was
// found. A failed load leaves the store unchanged.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/schema.h"
#include "import/places.h"
#include "store/store.h"

namespace poles::import {

struct LoaderOptions {
  int max_errors = 100;  // errors kept in the report (all are counted)
  bool dry_run = false;  // validate against the store, then roll back
  std::string actor = "import";
  // Rows described field by field in the report (LoadReport::changes): the first this many
  // that are inserted, updated or deleted. 0: none (no stored row is read for it).
  int describe = 0;
};

// Where a row came from, for error messages.
struct RowOrigin {
  std::string file;
  int64_t line = 0;
  // File column (1-based) of each field of the entity; 0 when the field is not in the file.
  const std::vector<int>* columns = nullptr;
  // The fields the source carries, even empty (Merge::kKeepKnown); null: those it gives a value.
  const std::vector<bool>* carried = nullptr;
};

struct EntityCounts {
  int64_t rows = 0;
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t deleted = 0;  // Loader::remove_absent
};

// One row a load inserts, updates or deletes, field by field (the preview of an import).
struct RowChange {
  enum class Kind : uint8_t { kInserted, kUpdated, kDeleted };
  struct Field {
    std::string name;
    std::optional<std::string> before, after;  // nullopt: empty
  };
  Kind kind = Kind::kInserted;
  std::string entity;
  std::string key;   // store::key_text
  int64_t line = 0;  // of the file (0: a row the file does not list, deleted)
  // Inserted: the fields given; updated: those that change; deleted: those that were stored.
  std::vector<Field> fields;
};
std::string_view change_kind_name(RowChange::Kind kind);

struct LoadReport {
  std::map<std::string, EntityCounts> entities;  // by entity name
  bool dry_run = false;
  bool committed = false;
  std::vector<RowChange> changes;  // LoaderOptions::describe
  // More rows changed than were described (or the preview stopped reading stored rows).
  bool changes_truncated = false;
};

// How a row whose key is already stored is written.
enum class Merge : uint8_t {
  // The row is the record: a field it leaves empty is emptied (an entity's CSV, a form).
  kReplace,
  // The source's values replace the stored ones, even empty for a field it carries
  // (RowOrigin::carried: a cost CORDIS no longer reports is unknown again); a field it does not
  // carry keeps its value (a source's own records read again, which users may have completed:
  // CORDIS's projects and participations).
  kKeepKnown,
  // The stored values are kept, the row only fills the empty fields; a group of fields that
  // derive from one another or go together (an organisation's commune, department and region;
  // its headcount, turnover, balance sheet and size class; its address, postcode and city) is
  // filled only when none of it is stored. For a
  // record several sources describe: an organisation a member directory, SIRENE and CORDIS
  // all know, where a public file must not erase what the cluster entered.
  kFillGaps,
  // The stored row is kept whole: a row whose key is stored changes nothing (insert-only
  // imports: new rows are added, the known ones left as they are).
  kKeepStored,
};

class Loader {
 public:
  Loader(store::Store& store, LoaderOptions options);
  ~Loader();
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // Checks and (while no error has been found) writes one row whose cells are already typed
  // and individually valid (schema::parse_cell). Cross-field rules run here. Writes happen on
  // a background thread, overlapped with the caller's parsing; the connection is only ever used
  // by one thread at a time.
  void add(const schema::Entity& e, Row row, const RowOrigin& origin,
           Merge merge = Merge::kReplace);
  // Deletes, in this load's transaction, the stored rows of `e` whose fields equal `scope`
  // (field index, value) and whose key (store::key_text) is not in `listed`: a file that is
  // the whole record of its scope (an import in replace mode). A row other rows still refer
  // to is not deleted: an error names it and what refers to it. Rows owned by a deleted row
  // (a project's participations) go with it, as the store's cascade says. Call after the
  // file's rows were added; returns how many rows are deleted.
  int64_t remove_absent(const schema::Entity& e, const std::vector<std::pair<int, Value>>& scope,
                        const std::unordered_set<std::string>& listed, const std::string& file);
  // Records an error found by the caller (cell parse errors, malformed files).
  void add_error(FieldError error);

  int64_t error_count() const { return total_errors_; }
  // The lines (RowOrigin::line) of every error found, however many errors are kept (0 for an
  // error no line carries).
  const std::set<int64_t>& error_lines() const { return error_lines_; }

  // Runs the checks that need the whole load, then commits (or rolls back on errors or in a
  // dry run). Returns the report, or bad_input with the errors.
  Result<LoadReport> finish(const std::string& audit_key);

 private:
  struct EntityState;
  class Writer;
  EntityState& state(const schema::Entity& e);
  // Waits until every queued row is written; returns the writer's first failure.
  Status drain();
  Status ensure_transaction();
  std::unordered_set<std::string>& keys_of(const schema::Entity& e);
  // Merges the stored row of `row`'s key, if any, into `row` (Merge).
  void merge_stored(const schema::Entity& e, Row& row, const RowOrigin& origin, Merge merge);
  void rederive_organisation(const schema::Entity& e, Row& row, const Row& stored,
                             const std::vector<bool>& given);
  void check_project_status(const schema::Entity& e, const Row& row, const RowOrigin& origin);
  // Zone d'emploi codes (schema::zone_reference: an employment row of level zone, an
  // organisation's or a firm's zone, as the source gives them) against INSEE's referential when
  // the store holds it (territory rows of level zone, stored or anywhere in this load: checked in
  // finish); without it the field's format rule alone applies.
  void check_zone(const schema::Entity& e, const Row& row, const RowOrigin& origin);
  // The list of communes the store holds (loaded on first use; the commune rows of this load are
  // added to it), or null on a store error.
  const Communes* communes();
  // An organisation's commune as the source gives it, against the list (checked in finish); and
  // the row once merged: its commune from its postal address, its zone from its commune
  // (places.h).
  // A public source's commune (Merge::kFillGaps) that is no longer one is its successor's, or
  // left out when unknown: a source that only fills gaps does not stop the load for it.
  void check_commune(const schema::Entity& e, Row& row, const RowOrigin& origin, Merge merge);
  void complete_place(const schema::Entity& e, Row& row, const RowOrigin& origin, bool check_zone);
  void check_project_events();
  // Adds `row` (merged, about to be written) to the described changes (LoaderOptions::describe).
  void describe(const schema::Entity& e, const Row& row, const RowOrigin& origin,
                const EntityState& st);
  FieldError error_at(const RowOrigin& origin, const schema::Entity& e, int field,
                      const Value& value, std::string rule) const;

  store::Store& store_;
  LoaderOptions options_;
  std::unique_ptr<store::Transaction> tx_;
  std::unique_ptr<Writer> writer_;
  Status failure_;  // internal failure (store error) that aborts the load
  std::vector<FieldError> errors_;
  int64_t total_errors_ = 0;
  std::set<int64_t> error_lines_;
  std::map<std::string_view, std::unique_ptr<EntityState>> states_;
  // Keys of referenced entities: those in the store plus those added by this load.
  std::map<std::string_view, std::unordered_set<std::string>> keys_;
  struct PendingRef {
    const schema::Entity* entity;
    int field;
    std::string value;
    RowOrigin origin;
    std::vector<int> columns;
    std::string_view target = {};  // references: the entity named (empty: `entity` itself)
    bool item = false;             // `value` is one item of a list (the cell names several)
  };
  std::vector<PendingRef> pending_refs_;
  std::vector<PendingRef> pending_zones_;
  std::vector<PendingRef> pending_communes_;
  std::optional<Communes> communes_;
  // project_event rows of this load, checked against the lifecycle at the end.
  struct EventRow {
    std::string project, status, date;
    RowOrigin origin;
    std::vector<int> columns;
  };
  std::vector<EventRow> events_;
  std::optional<std::unordered_map<std::string, std::string>>
      project_status_;                                    // id -> status in store
  std::optional<std::unordered_set<std::string>> zones_;  // the referential's codes
  std::vector<RowChange> changes_;                        // LoaderOptions::describe
  int64_t lookups_ = 0;                                   // stored rows read to describe
};

}  // namespace poles::import
