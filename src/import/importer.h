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
