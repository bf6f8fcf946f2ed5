// Every entity of the registry: list with filters and a cursor, get with an ETag, create, update
// with If-Match (merge or replace), delete; and the CSV import of one entity. The routes and their
// schemas are made from the schema registry, one set per entity.
#include "app/entities.h"

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "app/census.h"
#include "app/select.h"
#include "core/schema.h"
#include "formats/csv.h"
#include "formats/json.h"
#include "formats/xlsx.h"
#include "http/openapi.h"
#include "http/router.h"
#include "http/services.h"
#include "import/importer.h"

namespace poles::http {

namespace {

// A field a row change touches (null: empty).
struct FieldChangeView {
  std::string field;
  std::optional<std::string> before, after;
};
POLES_JSON(FieldChangeView, field, before, after)

// A row an import inserts, updates or deletes (the `preview` first ones).
struct RowChangeView {
  std::string kind;  // inserted, updated, deleted
  std::string key;
  int64_t line = 0;  // of the file; 0 for a deleted row (the file does not list it)
  std::vector<FieldChangeView> fields;
};
POLES_JSON(RowChangeView, kind, key, line, fields)

struct ImportReport {
  std::string entity;
  std::string file;
  bool dry_run = false;
  std::string mode;
  int64_t rows = 0;
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t deleted = 0;  // replace mode: the scope's rows the file does not list
  int64_t ended = 0;    // memberships ended by a snapshot
  std::vector<std::string> ignored_columns;
  std::vector<RowChangeView> changes;
  bool changes_truncated = false;
};
POLES_JSON(ImportReport, entity, file, dry_run, mode, rows, inserted, updated, unchanged, deleted,
           ended, ignored_columns, changes, changes_truncated)

// The filters of an entity's list: one per field, plus q, cursor and limit.
app::ParamSpecs list_params(const schema::Entity& e) {
  app::ParamSpecs out;
  for (const auto& f : e.fields) {
    out.push_back(app::text_param(std::string(f.name),
                                  fmt::format("Rows whose {} equals this value", f.name)));
  }
  out.push_back(app::text_param(
      "q", "Rows whose name, title, acronym or city contains this text (case-insensitive)"));
  out.push_back(app::text_param("cursor", "The next_cursor of the previous page"));
  out.push_back(app::integer_param("limit", "Rows per page", 1, 1000, "50"));
  return out;
}

// The entity layer reads plain (unordered) JSON.
nlohmann::json plain(const tj::Json& j) { return nlohmann::json::parse(j.dump()); }

void send_row(Ctx& c, const schema::Entity& e, const app::Item& item, int status) {
  c.res.set_header("ETag", item.etag);
  c.reply(status, formats::row_to_json(e, item.row));
}

// An assignment that the conflict detector flags is refused, with the conflict named.
// The snapshot is taken before the write's transaction opens (its connection is the write's).
app::RowCheck conflict_check(Ctx& c, const schema::Entity& e) {
  if (e.name != "assignment") return nullptr;
  auto taken = c.snapshot();
  return [taken](const Row& row) -> Status {
    const auto* proposal = std::get_if<std::string>(&row[0]);
    const auto* reviewer = std::get_if<std::string>(&row[1]);
    if (proposal == nullptr || reviewer == nullptr) return Status::ok();
    if (!taken) return taken.error();
    const auto& snap = *taken;
    POLES_ASSIGN_OR_RETURN(auto conflict, app::assignment_conflict(*snap, *proposal, *reviewer));
    if (!conflict) return Status::ok();
    return Status::conflict(
        fmt::format("reviewer '{}' may not be assigned proposal '{}': conflict of interest {}",
                    *reviewer, *proposal, *conflict));
  };
}

// The standing conflicts (app::standing_conflict) on the current snapshot, for the roles whose
// grants on `e` ask them (a reviewer: "assigned, not conflicted proposal"). The snapshot is
// taken before a write's transaction opens.
app::ConflictFn conflict_detector(Ctx& c, const schema::Entity& e) {
  if (!app::needs_conflict_detector(c.user().role, e.name)) return nullptr;
  auto taken = c.snapshot();
  return [taken](const std::string& proposal,
                 const std::string& reviewer) -> Result<std::optional<std::string>> {
    if (!taken) return taken.error();
    return app::standing_conflict(**taken, proposal, reviewer);
  };
}

// The records of an imported file as the importer reads them: CSV, or the sheet of a workbook
// the importer chooses (the checks below must see what is imported, whatever its format).
Status read_upload(Ctx& c, const schema::Entity& e, const formats::RecordFn& on_record) {
  if (formats::looks_like_xlsx(c.req.body)) {
    POLES_ASSIGN_OR_RETURN(auto book, formats::XlsxBook::open_bytes(c.req.body, "request"));
    return book.read_sheet(import::xlsx_sheet_for(book, e, c.args.text("sheet")), on_record);
  }
  std::istringstream in(c.req.body);
  formats::CsvReader reader;
  return reader.read(in, "request", on_record);
}

// The pairs of an assignment file that the conflict detector flags: Conflict naming each.
Status check_imported_assignments(Ctx& c, const schema::Entity& e) {
  int proposal = -1, reviewer = -1;
  std::vector<std::pair<std::string, std::string>> pairs;
  POLES_RETURN_IF_ERROR(read_upload(c, e, [&](std::span<const std::string> f, int64_t) {
    if (proposal < 0 && reviewer < 0) {
      for (size_t i = 0; i < f.size(); ++i) {
        if (f[i] == "proposal_id") proposal = static_cast<int>(i);
        if (f[i] == "reviewer_id") reviewer = static_cast<int>(i);
      }
      return proposal >= 0 && reviewer >= 0;
    }
    if (static_cast<size_t>(std::max(proposal, reviewer)) >= f.size()) return true;
    // The values the importer will store (trimmed, checked), not the raw cells: " P1" is P1.
    Value p, r;
    if (schema::parse_cell(e.fields[static_cast<size_t>(schema::field_index(e, "proposal_id"))],
                           f[static_cast<size_t>(proposal)], p) ||
        schema::parse_cell(e.fields[static_cast<size_t>(schema::field_index(e, "reviewer_id"))],
                           f[static_cast<size_t>(reviewer)], r))
      return true;  // the importer reports the bad cell
    pairs.emplace_back(value_to_text(p), value_to_text(r));
    return true;
  }));
  if (pairs.empty()) return Status::ok();  // the importer reports what is missing
  POLES_ASSIGN_OR_RETURN(auto snap, c.snapshot());
  std::string conflicts;
  for (const auto& [p, r] : pairs) {
    POLES_ASSIGN_OR_RETURN(auto conflict, app::assignment_conflict(*snap, p, r));
    if (conflict)
      conflicts += fmt::format("{}{} → {}: {}", conflicts.empty() ? "" : "; ", p, r, *conflict);
  }
  if (conflicts.empty()) return Status::ok();
  return Status::conflict("conflicts of interest in the file, nothing imported: " + conflicts);
}

// The assessments of a file for a year whose evaluation is published: Conflict (frozen).
Status check_imported_assessments(Ctx& c, const schema::Entity& e) {
  int year = -1;
  std::set<int64_t> years;
  POLES_RETURN_IF_ERROR(read_upload(c, e, [&](std::span<const std::string> f, int64_t) {
    if (year < 0) {
      for (size_t i = 0; i < f.size(); ++i)
        if (f[i] == "year") year = static_cast<int>(i);
      return year >= 0;
    }
    if (static_cast<size_t>(year) < f.size()) {
      // The year the importer will store, read by the same rule.
      Value y;
      if (!schema::parse_cell(e.fields[static_cast<size_t>(schema::field_index(e, "year"))],
                              f[static_cast<size_t>(year)], y) &&
          std::holds_alternative<int64_t>(y))
        years.insert(std::get<int64_t>(y));
    }
    return true;
  }));
  const app::QueryFn q = app::query_on(*c.store);
  for (const int64_t y : years) {
    POLES_ASSIGN_OR_RETURN(bool published, app::evaluation_published(q, static_cast<int>(y)));
    if (published)
      return Status::conflict(
          fmt::format("the evaluation of {} is published: its assessments are frozen", y));
  }
  return Status::ok();
}

}  // namespace

void add_entity_routes(Router& r, Services&) {
  r.post("/api/v1/import/{entity}",
         "Import a CSV or XLSX file of one entity (all or nothing; dry_run=true validates only)",
         "import")
      .roles([](app::Role role) { return app::may_import(role); })
      .params({app::flag_param("dry_run", "Check the file without writing anything"),
               app::text_param("filename",
                               "The file's name, as errors show it (default: <entity>.csv)"),
               app::text_param("sheet",
                               "XLSX: the sheet to read (default: the one named like the entity, "
                               "else the first)"),
               app::text_param("snapshot",
                               "Memberships: the file lists every member of its clusters on this "
                               "date (YYYY-MM-DD); the others still running then are ended the "
                               "day before"),
               app::choice_param("mode",
                                 "How the file meets stored rows of the same key: upsert (the "
                                 "file's columns change, the others are kept), insert-only "
                                 "(stored rows are left as they are) or replace (the file is the "
                                 "whole record of `scope`: its rows replace the stored ones, the "
                                 "scope's rows it does not list are deleted)",
                                 {"upsert", "insert-only", "replace"}, "upsert"),
               app::text_param("scope",
                               "With mode=replace: FIELD=VALUE, the rows the file is the record "
                               "of (e.g. cluster_id=aerospace-valley)"),
               app::integer_param("preview",
                                  "Rows described field by field in `changes`: the first that "
                                  "are inserted, updated or deleted",
                                  0, 1000, "0")})
      .upload("text/csv")
      .returns<ImportReport>()
      .handle([](Ctx& c) {
        const auto* e = schema::find_entity(c.path[0]);
        if (e == nullptr)
          return c.fail(Status::not_found(fmt::format("no entity '{}'", c.path[0])));
        if (e->name == "assignment") {
          // Imported assignments pass the conflict detector too, every pair of the file.
          const Status st = check_imported_assignments(c, *e);
          if (!st.is_ok()) return c.fail(st);
        }
        if (e->name == "member_census")  // released, not imported (app/census.h)
          return c.fail(Status::conflict(app::kCensusByReleaseOnly));
        if (e->name == "assessment" && c.args.text("mode") == "replace")
          // Deleting a scope's assessments could reach a published year's, which are frozen.
          return c.fail(Status::conflict(
              "assessments are not replaced by scope: a published year's are frozen; import "
              "them in upsert mode, or delete them one by one"));
        if (e->name == "assessment") {
          // The assessments of a published year are frozen, through the import too.
          const Status st = check_imported_assessments(c, *e);
          if (!st.is_ok()) return c.fail(st);
        }
        import::ImportOptions opt;
        opt.dry_run = c.args.flag("dry_run");
        opt.actor = c.user().name;
        opt.snapshot_date = c.args.text("snapshot");
        opt.sheet = c.args.text("sheet");
        opt.mode = *import::parse_import_mode(c.args.text("mode"));
        if (!c.args.text("scope").empty()) opt.scope = {c.args.text("scope")};
        opt.describe = c.args.integer("preview");
        const std::string name =
            c.args.text("filename").empty() ? c.path[0] + ".csv" : c.args.text("filename");
        auto rep = import::import_table(*c.store, *e, c.req.body, name, opt);
        if (!rep) return c.fail(rep.error());
        std::vector<RowChangeView> changes;
        for (const auto& ch : rep->changes) {
          RowChangeView v{std::string(import::change_kind_name(ch.kind)), ch.key, ch.line, {}};
          for (const auto& f : ch.fields) v.fields.push_back({f.name, f.before, f.after});
          changes.push_back(std::move(v));
        }
        c.reply(200,
                ImportReport{rep->entity, rep->file, rep->dry_run,
                             std::string(import::import_mode_name(rep->mode)), rep->counts.rows,
                             rep->counts.inserted, rep->counts.updated, rep->counts.unchanged,
                             rep->counts.deleted, rep->ended, rep->ignored_columns,
                             std::move(changes), rep->changes_truncated});
      });

  for (const auto& ent : schema::entities()) {
    const schema::Entity* e = &ent;
    const std::string base = "/api/v1/" + std::string(e->name);
    std::string item_path = base;
    for (int k : schema::key_indices(*e))
      item_path += "/{" + std::string(e->fields[static_cast<size_t>(k)].name) + "}";
    const std::string tag(e->name);
    const auto row_schema = [e](tj::Schemas& s) { return tj::entity_schema(s, *e, false); };
    const auto page_schema = [e](tj::Schemas& s) {
      return tj::Json{{"type", "object"},
                      {"required", {"items", "next_cursor"}},
                      {"additionalProperties", false},
                      {"properties",
                       {{"items", {{"type", "array"}, {"items", tj::entity_schema(s, *e, false)}}},
                        {"next_cursor", {{"type", {"string", "null"}}}}}}};
    };
    r.get(base,
          fmt::format("List {} rows (filters: any field=value; q=; limit=; cursor=)", e->name), tag)
        .may(app::Action::kRead, e->name)
        .entity(tag)
        .params(list_params(*e))
        .cached()
        .returns_schema(200, page_schema)
        .handle([e](Ctx& c) {
          app::ListRequest q;
          for (const auto& [k, v] : c.args.values()) {
            if (k == "q") {
              q.q = v;
            } else if (k == "cursor") {
              q.cursor = v;
            } else if (k == "limit") {
              q.limit = c.args.integer("limit");
            } else {
              q.filters[k] = v;
            }
          }
          auto page = app::list_rows(*c.store, c.user(), *e, q, conflict_detector(c, *e));
          if (!page) return c.fail(page.error());
          tj::Json rows = tj::Json::array();
          for (const auto& row : page->rows) rows.push_back(formats::row_to_json(*e, row));
          c.reply(200, tj::Json{{"items", rows},
                                {"next_cursor", page->next_cursor.empty()
                                                    ? tj::Json(nullptr)
                                                    : tj::Json(page->next_cursor)}});
        });
    r.post(base, fmt::format("Create a {}", e->name), tag)
        .may(app::Op::kCreate, e->name)
        .entity(tag)
        .takes_json([e](tj::Schemas& s) { return tj::entity_schema(s, *e, true); })
        .returns_schema(201, row_schema, "Created")
        .handle([e](Ctx& c) {
          auto body = c.json_body();
          if (!body) return c.fail(body.error());
          auto item =
              app::write_row(*c.store, c.user(), *e, nullptr, plain(*body), app::WriteMode::kCreate,
                             "", conflict_check(c, *e), conflict_detector(c, *e));
          if (!item) return c.fail(item.error());
          send_row(c, *e, *item, 201);
        });
    r.get(item_path, fmt::format("Get one {} (ETag)", e->name), tag)
        .may(app::Action::kRead, e->name)
        .entity(tag)
        .returns_schema(200, row_schema)
        .handle([e](Ctx& c) {
          auto key = app::parse_key(*e, c.path);
          if (!key) return c.fail(key.error());
          auto item = app::get_row(*c.store, c.user(), *e, *key, conflict_detector(c, *e));
          if (!item) return c.fail(item.error());
          send_row(c, *e, *item, 200);
        });
    for (const char* method : {"PUT", "PATCH"}) {
      const bool merge = std::string(method) == "PATCH";
      r.add(method, item_path,
            fmt::format("{} a {} (If-Match: its ETag){}", merge ? "Update fields of" : "Replace",
                        e->name, merge ? "; absent fields are kept" : ""),
            tag)
          .may(app::Op::kUpdate, e->name)
          .entity(tag)
          .takes_json([e, merge](tj::Schemas& s) {
            if (!merge) return tj::entity_schema(s, *e, true);
            tj::Json any = tj::Json{{"type", "object"}, {"description", "The fields to change"}};
            return any;
          })
          .returns_schema(200, row_schema)
          .handle([e, merge](Ctx& c) {
            auto key = app::parse_key(*e, c.path);
            if (!key) return c.fail(key.error());
            auto parsed = c.json_body();
            if (!parsed) return c.fail(parsed.error());
            nlohmann::json body = plain(*parsed);
            // The key comes from the URL.
            if (body.is_object()) {
              const auto keys = schema::key_indices(*e);
              for (size_t i = 0; i < key->size(); ++i) {
                body[std::string(e->fields[static_cast<size_t>(keys[i])].name)] =
                    formats::value_to_json((*key)[i]);
              }
            }
            const std::string if_match(c.req.header("If-Match"));
            if (if_match.empty()) {
              problem(c.res, 428, "updates need an If-Match header with the row's ETag");
              return;
            }
            auto item = app::write_row(*c.store, c.user(), *e, &*key, body,
                                       merge ? app::WriteMode::kMerge : app::WriteMode::kReplace,
                                       if_match, conflict_check(c, *e), conflict_detector(c, *e));
            if (!item) return c.fail(item.error());
            send_row(c, *e, *item, 200);
          });
    }
    r.del(item_path, fmt::format("Delete a {} (optional If-Match)", e->name), tag)
        .may(app::Op::kDelete, e->name)
        .entity(tag)
        .returns_media(204, "", "Deleted")
        .handle([e](Ctx& c) {
          auto key = app::parse_key(*e, c.path);
          if (!key) return c.fail(key.error());
          auto st =
              app::delete_row(*c.store, c.user(), *e, *key, std::string(c.req.header("If-Match")),
                              conflict_detector(c, *e));
          if (!st.is_ok()) return c.fail(st);
          c.res.status = 204;
        });
  }
}

}  // namespace poles::http
