// The data model as data: every entity of DESIGN.md with its fields, types, validation rules,
// natural key and references. Importers, exporters, both stores, the API and
// docs/data-format.md are all driven by this one registry.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/value.h"

namespace poles::schema {

enum class Type : uint8_t { kText, kInt, kReal, kDate, kBool };

enum class Check : uint8_t {
  kNone,
  kSlug,  // identifier
  kSiren,
  kSiret,
  kRegion,
  kDepartment,
  kCommune,
  kNaf,          // NAF rev.2 subclass, normalised to "62.01Z"
  kNafDivision,  // NAF rev.2 division "62"
  kZone,         // zone d'emploi 2020 code
  kCountry,
  kEnum,  // one of Field::codes
  kList,  // '|'-separated list of non-empty items
  kUrl,
};

struct Field {
  std::string_view name;
  Type type = Type::kText;
  Check check = Check::kNone;
  bool required = false;
  bool key = false;
  std::span<const std::string_view> codes = {};  // kEnum
  std::string_view references = {};              // entity whose single-field key this refers to
  // A reference table that grows (programmes): the value is a key of this entity, checked by
  // the application on every write (imports, forms) and on deletion, without a foreign key in
  // the database (stores made before the table existed cannot add one to a SQLite column).
  std::string_view referential = {};
  std::optional<double> min = std::nullopt;  // numeric bounds (inclusive)
  std::optional<double> max = std::nullopt;
  bool decimal_comma = true;  // reals accept "1234,5" (French exports)
  std::string_view doc = {};
  bool unique = false;  // no two rows share a non-null value
};

struct Entity {
  std::string_view name;  // also the table name
  std::string_view doc;
  std::span<const Field> fields;
  // The entity whose deletion removes rows of this one (e.g. participation -> project).
  std::string_view owner = {};
};

std::span<const Entity> entities();
// Returns nullptr when unknown.
const Entity* find_entity(std::string_view name);
// Index of a field, or -1.
int field_index(const Entity& e, std::string_view field);
std::vector<int> key_indices(const Entity& e);
// The single key field of an entity that others reference; -1 for composite keys.
int single_key_index(const Entity& e);

const char* type_name(Type t);

// Parses and checks one text cell against a field. Empty text is null (an error when the field
// is required). On success stores the typed value in `out`; otherwise returns the rule broken.
std::optional<std::string> parse_cell(const Field& f, std::string_view text, Value& out);

// Checks a value that arrived already typed (JSON), converting it to the field's type.
std::optional<std::string> check_value(const Field& f, Value& v);

// Rules that involve several fields of one row; may also derive fields (an organisation's
// department and region from its commune, its size class from headcount and finances).
// Appends one FieldError per broken rule (line/file left for the caller).
void check_row(const Entity& e, Row& row, std::vector<FieldError>& errors);

// The field of a row that names a zone d'emploi to check against the referential of zones the
// store holds (territory rows of level zone): an employment row's code at level zone, an
// organisation's or a firm's employment_zone; -1 when none (or empty). The rule when it is not
// in the referential (imports and forms alike).
int zone_reference(const Entity& e, const Row& row);
inline constexpr std::string_view kUnknownZoneRule =
    "unknown zone d'emploi: not in the referential of zones (INSEE's ZE2020 list, imported as "
    "territories of level zone)";

// A commune code absent from the list of communes the store holds (INSEE's COG).
inline constexpr std::string_view kUnknownCommuneRule =
    "unknown commune: not in the official geographic code the store holds (INSEE's COG, "
    "imported with poles import-communes)";

// The most items a list naming rows (a kList field with a referential) may hold.
inline constexpr size_t kMaxListItems = 64;

// The items of a `|`-separated list cell (Check::kList), in order, empty items skipped.
std::vector<std::string_view> list_items(std::string_view text);

// Markdown description of every entity (the body of docs/data-format.md's reference section).
std::string markdown_reference();

}  // namespace poles::schema
