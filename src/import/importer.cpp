#include "import/importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_set>
#include <utility>

#include "core/date.h"
#include "formats/csv.h"
#include "formats/xlsx.h"

namespace poles::import {

// A snapshot of memberships: the stored memberships running on `day` (started before it, not
// ended before it), read before the load starts writing.
Result<std::vector<Row>> memberships_running_on(store::Store& store, const schema::Entity& e,
                                                const Date& day) {
  const auto i_start = static_cast<size_t>(schema::field_index(e, "start_date")),
             i_end = static_cast<size_t>(schema::field_index(e, "end_date"));
  const std::string on = day.to_string();
  std::vector<Row> out;
  POLES_RETURN_IF_ERROR(store.scan(e, [&](Row& row) {
    const auto* end = std::get_if<std::string>(&row[i_end]);
    if (std::get<std::string>(row[i_start]) < on && (end == nullptr || *end >= on))
      out.push_back(std::move(row));
    return Status::ok();
  }));
  return out;
}

// Those of the file's clusters whose organisation the file does not list are ended the day
// before `day` (they did not run on it), through the same loader (one transaction, audited).
// Returns how many.
int64_t end_absent_members(Loader& loader, const schema::Entity& e, std::vector<Row> running,
                           const std::set<std::pair<std::string, std::string>>& listed,
                           const Date& day, const std::string& name) {
  const auto i_org = static_cast<size_t>(schema::field_index(e, "organisation_id")),
             i_cluster = static_cast<size_t>(schema::field_index(e, "cluster_id")),
             i_end = static_cast<size_t>(schema::field_index(e, "end_date"));
  std::set<std::string> clusters;
  for (const auto& [c, o] : listed) clusters.insert(c);
  static const std::vector<int> kNoColumns(e.fields.size(), 0);
  std::vector<bool> end_only(e.fields.size(), false);
  end_only[i_end] = true;
  const RowOrigin origin{
      fmt::format("{} (members absent from the snapshot of {})", name, day.to_string()), 0,
      &kNoColumns, &end_only};
  int64_t ended = 0;
  for (const auto& stale : running) {
    const auto& c = std::get<std::string>(stale[i_cluster]);
    if (!clusters.contains(c) || listed.contains({c, std::get<std::string>(stale[i_org])}))
      continue;
    // The key and the end date only: the loader reads the rest inside its transaction
    // (Merge::kKeepKnown), so an edit made since the scan above is kept, not written back over.
    Row row(e.fields.size());
    for (int k : schema::key_indices(e))
      row[static_cast<size_t>(k)] = stale[static_cast<size_t>(k)];
    row[i_end] = Date::from_days(day.to_days() - 1).to_string();
    loader.add(e, std::move(row), origin, Merge::kKeepKnown);
    ++ended;
  }
  return ended;
}

std::string_view import_mode_name(ImportMode mode) {
  switch (mode) {
    case ImportMode::kUpsert:
      return "upsert";
    case ImportMode::kInsertOnly:
      return "insert-only";
    case ImportMode::kReplace:
      return "replace";
  }
  return "";
}

std::optional<ImportMode> parse_import_mode(std::string_view text) {
  for (const auto mode : {ImportMode::kUpsert, ImportMode::kInsertOnly, ImportMode::kReplace})
    if (text == import_mode_name(mode)) return mode;
  if (text == "insert_only") return ImportMode::kInsertOnly;
  return std::nullopt;
}

Result<std::pair<int, Value>> parse_scope(const schema::Entity& e, std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return Status::invalid_argument(
        fmt::format("scope '{}': must be FIELD=VALUE (a field of {} and its value)", text, e.name));
  const std::string field(text.substr(0, eq)), value(text.substr(eq + 1));
  const int i = schema::field_index(e, field);
  if (i < 0)
    return Status::invalid_argument(
        fmt::format("scope '{}': {} has no field '{}'", text, e.name, field));
  Value v;
  if (auto rule = schema::parse_cell(e.fields[static_cast<size_t>(i)], value, v))
    return Status::invalid_argument(fmt::format("scope '{}': value '{}': {}", text, value, *rule));
  if (is_null(v))
    return Status::invalid_argument(
        fmt::format("scope '{}': give the value of {} the file replaces", text, field));
  return std::pair<int, Value>{i, std::move(v)};
}

namespace {

// Reads the records of a file (CSV or one sheet of a workbook) into `on_record`.
using RecordSource = std::function<Status(const formats::RecordFn& on_record)>;

// The import of one entity from any table of records: the header names the fields.
Result<ImportReport> import_records(store::Store& store, const schema::Entity& e,
                                    const RecordSource& read_records, const std::string& name,
                                    const std::string& sheet, const ImportOptions& options) {
  ImportReport report;
  report.entity = std::string(e.name);
  report.file = name;
  report.dry_run = options.dry_run;
  report.mode = options.mode;

  // The scope of a replace: the stored rows the file is the record of.
  std::vector<std::pair<int, Value>> scope;
  for (const auto& text : options.scope) {
    POLES_ASSIGN_OR_RETURN(auto condition, parse_scope(e, text));
    scope.push_back(std::move(condition));
  }
  const bool replace = options.mode == ImportMode::kReplace;
  if (replace && scope.empty())
    return Status::invalid_argument(
        "replace mode deletes the stored rows the file does not list: name the rows it is the "
        "record of with a scope (FIELD=VALUE, e.g. cluster_id=…)");
  if (!replace && !scope.empty())
    return Status::invalid_argument("a scope applies to replace mode only");
  if (replace && !options.snapshot_date.empty())
    return Status::invalid_argument(
        "a membership snapshot ends the members it does not list; replace mode would delete "
        "them: choose one");
  std::string scope_text;
  for (const auto& text : options.scope) scope_text += (scope_text.empty() ? "" : ", ") + text;
  std::unordered_set<std::string> listed_keys;  // replace: the keys the file lists
  // Replace: the keys stored outside the scope, which a row of the file may not take into it
  // (read before the load, as a snapshot's memberships).
  std::unordered_set<std::string> outside_keys;
  if (replace) {
    POLES_RETURN_IF_ERROR(store.scan(e, [&](Row& row) {
      for (const auto& [f, v] : scope)
        if (row[static_cast<size_t>(f)] != v) {
          outside_keys.insert(store::key_text(e, row));
          break;
        }
      return Status::ok();
    }));
  }

  const bool snapshot = !options.snapshot_date.empty();
  std::optional<Date> snapshot_day;
  if (snapshot) {
    if (e.name != "membership")
      return Status::invalid_argument(
          fmt::format("a snapshot date applies to memberships only, not to '{}'", e.name));
    snapshot_day =
        options.snapshot_date.size() == 10 ? Date::parse(options.snapshot_date) : std::nullopt;
    if (!snapshot_day)
      return Status::invalid_argument(fmt::format(
          "snapshot date '{}': must be an ISO 8601 date YYYY-MM-DD", options.snapshot_date));
  }
  // The file's (cluster, organisation) pairs, for a snapshot; what ran on its date before.
  std::set<std::pair<std::string, std::string>> listed;
  std::vector<Row> running;
  if (snapshot) {
    POLES_ASSIGN_OR_RETURN(running, memberships_running_on(store, e, *snapshot_day));
  }
  const int i_org = schema::field_index(e, "organisation_id"),
            i_cluster = schema::field_index(e, "cluster_id");

  Loader loader(store, {options.max_errors, options.dry_run, options.actor, options.describe});
  std::vector<int> field_column(e.fields.size(), 0);  // field -> 1-based file column
  std::vector<bool> carried(e.fields.size(), false);  // the fields the file has a column of
  Merge merge = options.mode == ImportMode::kInsertOnly ? Merge::kKeepStored : Merge::kReplace;
  std::vector<int> column_field;  // file column (0-based) -> field or -1
  bool have_header = false;
  bool header_ok = true;
  size_t width = 0;
  RowOrigin origin{name, 0, &field_column};

  const auto error = [&](int64_t line, int64_t column, std::string field, std::string value,
                         std::string rule) {
    loader.add_error({name, line, column, std::move(field), std::move(value), std::move(rule)});
  };

  const Status read = read_records([&](std::span<const std::string> record, int64_t line) {
    // A sheet does not store a row's empty cells at its end: as wide as the header.
    std::vector<std::string> padded;
    std::span<const std::string> fields = record;
    if (!sheet.empty() && have_header && record.size() < width) {
      padded.assign(record.begin(), record.end());
      padded.resize(width);
      fields = padded;
    }
    if (!have_header) {
      have_header = true;
      width = fields.size();
      column_field.assign(fields.size(), -1);
      for (size_t c = 0; c < fields.size(); ++c) {
        const int f = schema::field_index(e, fields[c]);
        if (f < 0) {
          report.ignored_columns.push_back(fields[c]);
          continue;
        }
        if (field_column[static_cast<size_t>(f)] != 0) {
          error(line, static_cast<int64_t>(c) + 1, fields[c], fields[c],
                fmt::format("column appears twice (also column {})",
                            field_column[static_cast<size_t>(f)]));
          header_ok = false;
          continue;
        }
        field_column[static_cast<size_t>(f)] = static_cast<int>(c) + 1;
        column_field[c] = f;
      }
      for (size_t f = 0; f < e.fields.size(); ++f) {
        // An upsert may leave out a required column: the stored rows keep the field, a new
        // row without it is refused (Loader::add).
        const bool kept = options.mode == ImportMode::kUpsert && !e.fields[f].key;
        if (e.fields[f].required && field_column[f] == 0 && !kept) {
          error(line, 0, std::string(e.fields[f].name), "", "required column is missing");
          header_ok = false;
        }
      }
      // A replace's scope is checked on each row: its fields are columns of the file.
      for (const auto& [f, v] : scope) {
        if (field_column[static_cast<size_t>(f)] != 0) continue;
        error(line, 0, std::string(e.fields[static_cast<size_t>(f)].name), "",
              fmt::format("the scope of this replace ({}) is checked on each row: the file "
                          "needs this column",
                          scope_text));
        header_ok = false;
      }
      // Upsert: a stored row keeps the fields the file has no column for (with every column,
      // the file's row is the record).
      for (size_t f = 0; f < e.fields.size(); ++f) carried[f] = field_column[f] != 0;
      if (options.mode == ImportMode::kUpsert &&
          std::find(carried.begin(), carried.end(), false) != carried.end()) {
        merge = Merge::kKeepKnown;
        origin.carried = &carried;
      }
      return header_ok;
    }
    if (fields.size() != width) {
      error(line, 0, "", fmt::format("{} fields", fields.size()),
            fmt::format("the record has {} fields but the header has {}", fields.size(), width));
      return true;
    }
    bool cells_ok = true;
    Row row(e.fields.size());
    for (size_t c = 0; c < fields.size(); ++c) {
      const int f = column_field[c];
      if (f < 0) continue;
      const auto& field = e.fields[static_cast<size_t>(f)];
      if (auto rule = schema::parse_cell(field, fields[c], row[static_cast<size_t>(f)])) {
        error(line, static_cast<int64_t>(c) + 1, std::string(field.name), fields[c],
              std::move(*rule));
        cells_ok = false;
      }
    }
    if (!cells_ok) return true;
    origin.line = line;
    if (replace) {
      for (const auto& [f, v] : scope) {
        if (row[static_cast<size_t>(f)] == v) continue;
        const int column = field_column[static_cast<size_t>(f)];
        error(line, column, std::string(e.fields[static_cast<size_t>(f)].name),
              column > 0 ? fields[static_cast<size_t>(column) - 1] : "",
              fmt::format("outside the scope of this replace ({})", scope_text));
        cells_ok = false;
      }
      if (!cells_ok) return true;
      std::string key = store::key_text(e, row);
      if (outside_keys.contains(key)) {
        const int k = schema::key_indices(e)[0];
        const int column = field_column[static_cast<size_t>(k)];
        error(line, column, std::string(e.fields[static_cast<size_t>(k)].name), key,
              fmt::format("is stored outside the scope of this replace ({}): the file cannot "
                          "move it there",
                          scope_text));
        return true;
      }
      listed_keys.insert(std::move(key));
    }
    if (snapshot) {
      const auto* c = std::get_if<std::string>(&row[static_cast<size_t>(i_cluster)]);
      const auto* o = std::get_if<std::string>(&row[static_cast<size_t>(i_org)]);
      if (c != nullptr && o != nullptr) listed.emplace(*c, *o);
    }
    loader.add(e, std::move(row), origin, merge);
    return true;
  });
  if (!read.is_ok()) {
    if (read.field_errors().empty()) return read;
    for (const auto& fe : read.field_errors()) loader.add_error(fe);
  }
  if (!have_header && read.is_ok())
    error(1, 0, "", "", "the file is empty: a header line naming the columns is required");

  if (snapshot && loader.error_count() == 0)
    report.ended = end_absent_members(loader, e, std::move(running), listed, *snapshot_day, name);
  if (replace && have_header && loader.error_count() == 0)
    loader.remove_absent(e, scope, listed_keys, name);

  auto finished = loader.finish(name);
  if (!finished.has_value() && !sheet.empty()) {
    // Errors name the sheet's cells ("Membres!C12").
    std::vector<FieldError> errors = finished.error().field_errors();
    if (errors.empty()) return finished.error();
    for (auto& fe : errors) {
      if (fe.line <= 0) continue;
      fe.cell = fe.column > 0
                    ? formats::xlsx_cell_name(sheet, static_cast<int>(fe.column) - 1, fe.line)
                    : fmt::format("{}!{}:{}", sheet, fe.line, fe.line);
    }
    return Status::bad_input(std::move(errors), finished.error().total_errors());
  }
  POLES_ASSIGN_OR_RETURN(LoadReport load, std::move(finished));
  const auto it = load.entities.find(std::string(e.name));
  if (it != load.entities.end()) {
    report.counts = it->second;
    // The ended memberships are the loader's rows too: counted apart.
    report.counts.rows -= report.ended;
    report.counts.updated -= report.ended;
  }
  report.changes = std::move(load.changes);
  report.changes_truncated = load.changes_truncated;
  return report;
}

}  // namespace

Result<ImportReport> import_csv(store::Store& store, const schema::Entity& e, std::istream& in,
                                const std::string& name, const ImportOptions& options) {
  formats::CsvReader reader(formats::CsvReadOptions{options.delimiter});
  auto report = import_records(
      store, e,
      [&](const formats::RecordFn& on_record) {
        return reader.read(
            in, name, on_record,
            options.progress ? formats::ProgressFn(options.progress) : formats::ProgressFn{});
      },
      name, "", options);
  if (report.has_value()) report->delimiter = reader.delimiter();
  return report;
}

std::string xlsx_sheet_for(const formats::XlsxBook& book, const schema::Entity& e,
                           const std::string& requested) {
  if (!requested.empty()) {
    const std::string resolved = book.resolve_sheet(requested);
    return resolved.empty() ? requested : resolved;  // read_sheet says there is none
  }
  for (const auto& n : book.sheet_names())
    if (n == e.name) return n;
  return book.sheet_names().front();
}

Result<ImportReport> import_xlsx(store::Store& store, const schema::Entity& e, std::string bytes,
                                 const std::string& name, const ImportOptions& options) {
  POLES_ASSIGN_OR_RETURN(auto book, formats::XlsxBook::open_bytes(std::move(bytes), name));
  const std::string sheet = xlsx_sheet_for(book, e, options.sheet);
  auto report = import_records(
      store, e,
      [&](const formats::RecordFn& on_record) { return book.read_sheet(sheet, on_record); }, name,
      sheet, options);
  if (report.has_value()) report->sheet = sheet;
  return report;
}

Result<ImportReport> import_table(store::Store& store, const schema::Entity& e, std::string bytes,
                                  const std::string& name, const ImportOptions& options) {
  if (formats::looks_like_xlsx(bytes))
    return import_xlsx(store, e, std::move(bytes), name, options);
  std::istringstream in(std::move(bytes));
  return import_csv(store, e, in, name, options);
}

Result<ImportReport> import_csv_file(store::Store& store, const schema::Entity& e,
                                     const std::string& path, const ImportOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::invalid_argument(fmt::format("cannot open '{}'", path));
  char head[4] = {};
  in.read(head, 4);
  const bool xlsx =
      formats::looks_like_xlsx(std::string_view(head, static_cast<size_t>(in.gcount())));
  in.clear();
  in.seekg(0);
  if (xlsx) {
    std::stringstream bytes;
    bytes << in.rdbuf();
    return import_xlsx(store, e, std::move(bytes).str(), path, options);
  }
  return import_csv(store, e, in, path, options);
}

}  // namespace poles::import
