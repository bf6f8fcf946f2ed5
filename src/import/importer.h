// CSV (or XLSX) import in the project's own schema (docs/data-format.md): one entity per file,
// columns named like the entity's fields (any order; unknown columns are ignored and reported),
// ',' ';' or tab separators detected, UTF-8 with or without BOM, decimal comma accepted in
// numbers. All-or-nothing: on any error the store is unchanged and every error (up to a limit)
// is returned as "file:line:column: field 'x' value 'y': rule".
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/schema.h"
#include "formats/xlsx.h"
#include "import/loader.h"
#include "store/store.h"

namespace poles::import {

// How the rows of a file meet the stored rows of the same key.
enum class ImportMode : uint8_t {
  // New keys are inserted; a stored row takes the file's columns (an empty cell empties its
  // field) and keeps the fields of the columns the file does not have. The default: a file of
  // headcounts does not erase the names, a re-import of SIRENE what the cluster entered.
  kUpsert,
  // New keys are inserted; stored rows are left as they are (counted unchanged).
  kInsertOnly,
  // The file is the whole record of its scope (ImportOptions::scope, required): its rows
  // replace the stored ones whole, and the stored rows of the scope it does not list are
  // deleted (with the rows they own). Every row of the file must lie in the scope.
  kReplace,
};
std::string_view import_mode_name(ImportMode mode);  // "upsert", "insert-only", "replace"
std::optional<ImportMode> parse_import_mode(std::string_view text);
// "field=value" (a field of `e`, its value as a cell of the file would give it) into a scope
// condition; an error names what is wrong.
Result<std::pair<int, Value>> parse_scope(const schema::Entity& e, std::string_view text);

struct ImportOptions {
  int max_errors = 100;
  bool dry_run = false;
  std::string actor = "import";
  std::optional<char> delimiter;
  // Called with bytes read so far (for progress bars).
  std::function<void(uint64_t)> progress;
  // Memberships only, an ISO date: the file lists every member of its clusters on that date (a
  // directory, a campaign's members at 31 December). A stored membership of one of those
  // clusters running on that date whose organisation the file does not list is ended the day
  // before (it did not run on that date), so that retention is measured, not assumed.
  std::string snapshot_date;
  // XLSX: the sheet to read (default: the one named like the entity, else the first).
  std::string sheet;
  ImportMode mode = ImportMode::kUpsert;
  // kReplace: the rows the file is the record of, as "field=value" conditions (all must hold).
  std::vector<std::string> scope;
  // Rows described field by field in the report (ImportReport::changes), the first this many
  // that change: what a preview (with dry_run) or a receipt shows.
  int describe = 0;
};

struct ImportReport {
  std::string entity;
  std::string file;
  char delimiter = ',';
  std::string sheet;  // XLSX
  EntityCounts counts;
  int64_t ended = 0;  // memberships ended by a snapshot (ImportOptions::snapshot_date)
  std::vector<std::string> ignored_columns;
  bool dry_run = false;
  ImportMode mode = ImportMode::kUpsert;
  std::vector<RowChange> changes;  // ImportOptions::describe
  bool changes_truncated = false;  // more rows changed than `changes` describes
};

// Membership snapshots (ImportOptions::snapshot_date), for the importers: the memberships
// running on `day`, read before the load writes; then, through the load's loader, those of the
// listed (cluster, organisation) pairs' clusters that the file does not list are ended the day
// before `day`. Returns how many.
Result<std::vector<Row>> memberships_running_on(store::Store& store, const schema::Entity& e,
                                                const Date& day);
int64_t end_absent_members(Loader& loader, const schema::Entity& e, std::vector<Row> running,
                           const std::set<std::pair<std::string, std::string>>& listed,
                           const Date& day, const std::string& name);

Result<ImportReport> import_csv(store::Store& store, const schema::Entity& e, std::istream& in,
                                const std::string& name, const ImportOptions& options);
// The same from an XLSX workbook: the header row names the fields; errors name the cells
// ("file: Sheet!C12: field…").
Result<ImportReport> import_xlsx(store::Store& store, const schema::Entity& e, std::string bytes,
                                 const std::string& name, const ImportOptions& options);
// The sheet an import of `e` reads: `requested` if given, else the one named like the entity,
// else the first (errors for a requested sheet that does not exist come from read_sheet).
std::string xlsx_sheet_for(const formats::XlsxBook& book, const schema::Entity& e,
                           const std::string& requested);
// CSV or XLSX, told by the content (an upload).
Result<ImportReport> import_table(store::Store& store, const schema::Entity& e, std::string bytes,
                                  const std::string& name, const ImportOptions& options);
// A file, CSV or XLSX told by its content.
Result<ImportReport> import_csv_file(store::Store& store, const schema::Entity& e,
                                     const std::string& path, const ImportOptions& options);

}  // namespace poles::import
