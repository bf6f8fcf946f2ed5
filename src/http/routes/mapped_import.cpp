// The column-mapping import over HTTP (import/mapping.h): a mapping file (TOML) and any CSV or
// XLSX file in one JSON body, the file in base64. A preview maps the first rows and lists the
// refused ones without writing; the import writes all or nothing, or the valid rows only
// (skip_invalid). Who may: those who may import (administrators and the State), as
// /api/v1/import/{entity}; the entities with their own import checks are refused here.
#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <map>
#include <string>
#include <vector>

#include "app/entities.h"
#include "core/schema.h"
#include "core/validate.h"
#include "http/router.h"
#include "http/services.h"
#include "import/mapping.h"

namespace poles::http {

namespace {

struct MappedImportBody {
  std::string mapping;  // the TOML text of the mapping
  std::string file;     // the file's bytes in base64 (standard alphabet, padded)
  tj::Omittable<std::string> filename;
  tj::Omittable<std::map<std::string, std::string>> params;
  tj::Omittable<bool> skip_invalid;
  tj::Omittable<int64_t> preview;
  tj::Omittable<std::string> snapshot;
  tj::Omittable<bool> dry_run;
};
POLES_JSON(MappedImportBody, mapping, file, filename, params, skip_invalid, preview, snapshot,
           dry_run)

struct ColumnsBody {
  std::string file;  // base64
  tj::Omittable<std::string> filename;
  tj::Omittable<std::string> sheet;
};
POLES_JSON(ColumnsBody, file, filename, sheet)

// What a mapping's builder needs: the file's columns, and the fields of the entities it may
// write (the same registry as docs/data-format.md).
struct FieldView {
  std::string name;
  std::string type;  // text, integer, number, date, boolean
  bool required = false;
  std::vector<std::string> codes;  // an enumeration's codes
  std::string doc;
};
POLES_JSON(FieldView, name, type, required, codes, doc)

struct SourceView {
  std::string file;
  std::string sheet;
  std::vector<std::string> sheets;
  std::vector<std::string> columns;
  int64_t rows = 0;
  std::map<std::string, std::vector<FieldView>> entities;
};
POLES_JSON(SourceView, file, sheet, sheets, columns, rows, entities)

// Text from the file as JSON can carry it: a cell or a column name in another encoding (a
// Windows-1252 export) would make the JSON writer throw after the import is written.
std::string clean(const std::string& s) {
  return validate::utf8(s) ? std::string("(not valid UTF-8)") : s;
}
std::vector<std::string> clean(const std::vector<std::string>& list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const auto& s : list) out.push_back(clean(s));
  return out;
}

SourceView source_view(const import::SourceColumns& cols, const std::string& file) {
  SourceView v{clean(file),         clean(cols.sheet), clean(cols.sheets),
               clean(cols.columns), cols.rows,         {}};
  static constexpr std::array<const char*, 5> kTypes = {"text", "integer", "number", "date",
                                                        "boolean"};
  for (const auto& e : schema::entities()) {
    if (import::mapped_import_forbidden(e.name)) continue;
    auto& fields = v.entities[std::string(e.name)];
    for (const auto& f : e.fields) {
      FieldView fv{std::string(f.name),
                   kTypes[static_cast<size_t>(f.type)],
                   f.required,
                   {},
                   std::string(f.doc)};
      for (const auto& code : f.codes) fv.codes.emplace_back(code);
      fields.push_back(std::move(fv));
    }
  }
  return v;
}

struct RowError {
  int64_t line = 0;
  int64_t column = 0;
  std::string cell;
  std::string field;
  std::string value;
  std::string rule;
  std::string message;
};
POLES_JSON(RowError, line, column, cell, field, value, rule, message)

struct Counts {
  int64_t rows = 0, inserted = 0, updated = 0, unchanged = 0;
};
POLES_JSON(Counts, rows, inserted, updated, unchanged)

struct PreviewRow {
  std::string entity;
  int64_t line = 0;
  std::map<std::string, std::string> values;
};
POLES_JSON(PreviewRow, entity, line, values)

struct MappedImportView {
  std::string file;
  std::string sheet;
  std::vector<std::string> columns;
  int64_t source_rows = 0;
  int64_t blank_rows = 0;
  int64_t accepted_rows = 0;
  std::vector<int64_t> refused_lines;
  std::vector<RowError> errors;
  int64_t total_errors = 0;
  int64_t ended = 0;
  bool snapshot_withheld = false;  // refused rows: the snapshot is not applied
  std::map<std::string, Counts> counts;
  std::vector<std::string> unused_columns;
  std::vector<PreviewRow> preview;
  bool dry_run = false;
  bool committed = false;
};
POLES_JSON(MappedImportView, file, sheet, columns, source_rows, blank_rows, accepted_rows,
           refused_lines, errors, total_errors, ended, snapshot_withheld, counts, unused_columns,
           preview, dry_run, committed)

Result<std::string> from_base64(const std::string& text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), " \r\n", &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return Status::bad_input(
        {FieldError{"request", 0, 0, "file", "", "must be the file's bytes in base64"}}, 1);
  out.resize(len);
  return out;
}

MappedImportView view_of(const import::MappedImportReport& r) {
  MappedImportView v;
  v.file = clean(r.file);
  v.sheet = clean(r.sheet);
  v.columns = clean(r.columns);
  v.source_rows = r.source_rows;
  v.blank_rows = r.blank_rows;
  v.accepted_rows = r.accepted_rows;
  v.refused_lines = r.rejected_lines;
  for (const auto& e : r.errors)
    v.errors.push_back({e.line, e.column, clean(e.cell), clean(e.field), clean(e.value),
                        clean(e.rule), clean(e.format())});
  v.total_errors = r.total_errors;
  v.ended = r.ended;
  v.snapshot_withheld = r.snapshot_withheld;
  for (const auto& [entity, c] : r.counts)
    v.counts[entity] = {c.rows, c.inserted, c.updated, c.unchanged};
  v.unused_columns = clean(r.unused_columns);
  for (const auto& p : r.preview) {
    PreviewRow row{p.entity, p.line, {}};
    for (const auto& [field, value] : p.values) row.values[field] = clean(value);
    v.preview.push_back(std::move(row));
  }
  v.dry_run = r.dry_run;
  v.committed = r.committed;
  return v;
}

}  // namespace

void add_mapped_import_routes(Router& r, Services&) {
  r.post("/api/v1/import/mapped/columns",
         "The columns of a CSV or XLSX file (base64) and the fields of the entities a mapping "
         "may write: what a mapping is built on",
         "import")
      .roles([](app::Role role) { return app::may_import(role); })
      .takes<ColumnsBody>()
      .large_body()
      .example({{"file", "Tm9tCkVvbGUgU3lzdMOobWVzCg=="}, {"filename", "annuaire.csv"}})
      .returns<SourceView>()
      .handle([](Ctx& c) {
        auto body = c.body<ColumnsBody>();
        if (!body) return c.fail(body.error());
        auto bytes = from_base64(body->file);
        if (!bytes) return c.fail(bytes.error());
        const std::string name = body->filename ? *body->filename : "file";
        auto cols = import::read_columns(std::move(*bytes), name, body->sheet.value_or(""));
        if (!cols) return c.fail(cols.error());
        c.reply(200, source_view(*cols, name));
      });

  r.post("/api/v1/import/mapped",
         "Import any CSV or XLSX file through a column mapping (TOML): preview=N maps the first "
         "rows and lists the refused ones without writing; skip_invalid writes the valid rows",
         "import")
      .roles([](app::Role role) { return app::may_import(role); })
      .takes<MappedImportBody>()
      .large_body()
      .example({{"mapping",
                 "[[target]]\nentity = \"organisation\"\n[target.fields]\n"
                 "id = { template = \"annuaire:{Nom|slug}\" }\nname = \"Nom\"\n"
                 "kind = { constant = \"company\" }\n"},
                {"file", "Tm9tCkVvbGUgU3lzdMOobWVzCg=="},
                {"filename", "annuaire.csv"},
                {"preview", 5}})
      .returns<MappedImportView>()
      .handle([](Ctx& c) {
        auto body = c.body<MappedImportBody>();
        if (!body) return c.fail(body.error());
        std::map<std::string, std::string> params;
        if (body->params) params = *body->params;
        const std::string name = body->filename ? *body->filename : "file";

        auto mapping = import::parse_mapping(body->mapping, "mapping", params);
        if (!mapping) return c.fail(mapping.error());
        for (const auto& t : mapping->targets)
          if (import::mapped_import_forbidden(t.entity->name))
            return c.fail(Status::invalid_argument(fmt::format(
                "{} rows are not imported through a mapping: use /api/v1/import/{}, which "
                "checks them",
                t.entity->name, t.entity->name)));
        auto bytes = from_base64(body->file);
        if (!bytes) return c.fail(bytes.error());
        import::MappedImportOptions opt;
        opt.dry_run = body->dry_run.value_or(false);
        opt.skip_invalid =
            body->skip_invalid ? std::optional<bool>(*body->skip_invalid) : std::nullopt;
        opt.preview_rows = static_cast<int>(std::clamp<int64_t>(body->preview.value_or(0), 0, 200));
        opt.snapshot_date = body->snapshot.value_or("");
        opt.actor = c.user().name;
        auto report = import::import_mapped(*c.store, *mapping, std::move(*bytes), name, opt);
        if (!report) return c.fail(report.error());
        c.reply(200, view_of(*report));
        localise_report_errors(c.req.header("Accept-Language"), c.res);
      });
}

}  // namespace poles::http
