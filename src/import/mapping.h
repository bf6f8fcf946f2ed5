// Column-mapping import: any CSV or XLSX file (a cluster's member directory exported from its
// website or CRM, a public employment table) into the store's entities, through a mapping file
// saved and reused every year (TOML, docs/real-data.md). For each field of each target entity the
// mapping names a source column, a template over columns, a constant or a field of another target
// of the same row; value normalisers (French and ISO dates, French numbers, postcodes padded back
// to 5 digits, identifiers without spaces…) and label dictionaries (French labels to codes) turn
// the cells into the entity's values, which then go through the same cell parser and the same
// loader as every import (the same rules, the same located errors: "file:line:column" for CSV,
// "file: Sheet!B12" for XLSX).
//
// One source row is one unit: it gives a row of each target (or of none when a target's
// condition is empty), and when one of them is refused the whole source row is refused. By
// default the load is all or nothing; with skip_invalid the valid rows are written and every
// refused row is reported with its reasons. A preview maps the first rows and lists every
// refused row without writing anything.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/schema.h"
#include "core/status.h"
#include "import/loader.h"
#include "store/store.h"

namespace poles::import {

// One normalising step of a field's value, applied in the mapping's order.
enum class Normaliser : uint8_t {
  kUpper,
  kLower,
  kNoSpace,     // removes spaces, dots and dashes ("552 081 317" -> "552081317")
  kDate,        // "03/01/2024", "3-1-2024", "2024-01-03", "3 janvier 2024" -> 2024-01-03
  kYear,        // the year of a date, or a 4-digit year
  kNumber,      // "1 234 567,5", "1.234.567,5", "12 k€" is refused; "1234.5" from XLSX kept
  kPostcode,    // digits, padded back to 5 ("1000" -> "01000")
  kInseeCode,   // a commune code padded back to 5 ("1053" -> "01053"; "2A004" kept)
  kZone,        // a zone d'emploi 2020 code padded back to 4 ("53" -> "0053", "1101" kept)
  kDepartment,  // a département code padded back to 2 ("9" -> "09", "2a" -> "2A")
  kDepartmentOfPostcode,  // "01000" -> "01", "20090" -> "2A", "97411" -> "974"
  kSirenOfSiret,          // the first 9 digits of a 14-digit SIRET
  kSlug,                  // an identifier: ASCII, lower case, words joined by '-'
  kBool,                  // oui/non, yes/no, vrai/faux, x, 1/0 -> 1/0
  kList,                  // "Drones; Spatial, IA" -> "Drones|Spatial|IA" (split on ; , |, trimmed)
  kUrl,  // "www.x.fr" -> "https://www.x.fr"; http(s) kept; anything else (no link) -> empty
};

struct FieldMapping {
  int field = -1;  // index in the target entity
  // One of: a source column (or "@item" of for_each, or an unpivot's name/value column);
  std::string column;
  // templates, the first whose placeholders are all non-empty wins ("siren:{SIREN|nospace}");
  std::vector<std::string> templates;
  // a constant ("{$param}" substituted);
  std::optional<std::string> constant;
  // or another target's field of the same row ("organisation.id").
  std::string from_target;
  int from_field = -1;
  int from_index = -1;  // index of that target in Mapping::targets
  std::vector<Normaliser> normalise;
  std::string dictionary;  // label dictionary (after the normalisers)
  std::string default_value;
  int64_t line = 0;  // in the mapping file
};

struct TargetMapping {
  const schema::Entity* entity = nullptr;
  std::vector<FieldMapping> fields;
  Merge merge = Merge::kKeepKnown;
  // One target row per item of this column's list (split on any of `split`), as "@item".
  std::string for_each;
  std::string split = ";|,";
  // The target gives a row only when these columns are non-empty.
  std::vector<std::string> only_when;
};

struct Mapping {
  std::string file;  // where it was read from
  std::string sheet;
  int header_row = 1;
  std::optional<char> delimiter;
  bool skip_invalid = false;
  // Cells meaning "not known" ("NC", "-"): read as empty (compared as labels).
  std::vector<std::string> null_values;
  // Numbers: the decimal mark of text cells (French exports: ',').
  char decimal = ',';
  // Unpivot: the columns whose header matches one of `unpivot_columns` (glob patterns: `*` any
  // text, `?` one character; "20??" for years) become rows with two columns, `unpivot_name`
  // (the header) and `unpivot_value` (the cell).
  std::vector<std::string> unpivot_columns;
  std::string unpivot_name = "@name", unpivot_value = "@value";
  bool unpivot_skip_empty = true;
  // Labels (case, accents and spaces ignored) to values.
  std::map<std::string, std::map<std::string, std::string>> dictionaries;
  std::map<std::string, std::vector<std::string>> dictionary_labels;  // as written, for messages
  std::map<std::string, std::string> params;
  std::vector<TargetMapping> targets;
};

// Reads a mapping file; `params` fill "{$name}" (and override the file's [params]). Errors name
// the file, the line and the key.
Result<Mapping> read_mapping(const std::string& path,
                             const std::map<std::string, std::string>& params = {});
Result<Mapping> parse_mapping(const std::string& text, const std::string& name,
                              const std::map<std::string, std::string>& params = {});

// Entities a mapping may not write through the API: they have their own import's checks (an
// assignment's conflicts of interest, a published year's frozen assessments) or are released,
// not imported (member_census).
bool mapped_import_forbidden(std::string_view entity);

struct MappedImportOptions {
  bool dry_run = false;
  std::optional<bool> skip_invalid;  // overrides the mapping's
  int preview_rows = 0;              // mapped rows kept in the report (a preview: nothing written)
  int max_errors = 200;
  std::string actor = "import";
  // An ISO date: the file lists every member of its clusters on that date (a directory). The
  // memberships of those clusters running then whose organisation it does not list are ended
  // the day before (importer.h, ImportOptions::snapshot_date).
  std::string snapshot_date;
};

struct MappedRow {
  std::string entity;
  int64_t line = 0;
  std::vector<std::pair<std::string, std::string>> values;  // field, value as text
};

struct MappedImportReport {
  std::string file;
  std::string sheet;                 // XLSX
  std::vector<std::string> columns;  // the header row, for a mapping's builder
  int64_t source_rows = 0;           // data rows read (blank ones apart)
  int64_t blank_rows = 0;
  int64_t accepted_rows = 0;            // source rows written (or that would be)
  std::vector<int64_t> rejected_lines;  // source rows refused
  std::vector<FieldError> errors;       // their reasons (up to max_errors)
  int64_t total_errors = 0;
  int64_t ended = 0;  // memberships ended by the snapshot
  // A snapshot is not applied to a file with refused rows (a member among them would be ended).
  bool snapshot_withheld = false;
  std::map<std::string, EntityCounts> counts;  // by entity
  std::vector<std::string> unused_columns;     // source columns the mapping does not read
  std::vector<MappedRow> preview;
  bool dry_run = false;
  bool committed = false;
};

// The header row of a file (CSV, or the sheet of a workbook; empty: the first), for building a
// mapping on it; also returns the sheet read and every sheet of a workbook.
struct SourceColumns {
  std::string sheet;
  std::vector<std::string> sheets;
  std::vector<std::string> columns;
  int64_t rows = 0;  // data rows under the header (blank ones apart)
};
Result<SourceColumns> read_columns(std::string bytes, const std::string& name,
                                   const std::string& sheet = "", int header_row = 1);

// Imports `path` (CSV, or XLSX told by its content) through `mapping`.
Result<MappedImportReport> import_mapped_file(store::Store& store, const Mapping& mapping,
                                              const std::string& path,
                                              const MappedImportOptions& options);
// The same on bytes in memory (an upload); `name` is the file's name in errors.
Result<MappedImportReport> import_mapped(store::Store& store, const Mapping& mapping,
                                         std::string bytes, const std::string& name,
                                         const MappedImportOptions& options);

// The normalisers one by one (for tests and the mapping page's preview); nullopt and `why` set
// when the value cannot be normalised.
std::optional<std::string> normalise_value(Normaliser n, const std::string& value, char decimal,
                                           std::string& why);
// A glob pattern (`*` any text, `?` one character, the rest literal) matching all of `text`.
bool glob_match(std::string_view pattern, std::string_view text);
// A dictionary label's key: lower case, accents removed (ICU), spaces collapsed.
std::string label_key(std::string_view label);

}  // namespace poles::import
