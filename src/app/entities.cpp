#include "app/entities.h"

#include <fmt/format.h>
#include <sodium.h>

#include <map>
#include <mutex>

#include "app/access.h"
#include "app/census.h"
#include "core/codes.h"
#include "core/date.h"
#include "core/model.h"
#include "formats/json.h"
#include "import/places.h"

namespace poles::app {
namespace {

// Cursor: the entity and the last key of the page as JSON, encrypted and authenticated with the
// server's cursor key (XSalsa20-Poly1305, a random nonce), base64url: opaque to clients, and a
// cursor that was not made by this server (or was altered) is refused.
std::string encode_cursor(const ServerKeys& k, const schema::Entity& e, const Row& key) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  arr.push_back(std::string(e.name));
  for (const auto& v : key) arr.push_back(formats::value_to_json(v));
  const std::string text = arr.dump();
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                 text.size());
  randombytes_buf(box.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                        box.data(), k.cursor.data());
  std::vector<char> out(
      sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING));
  sodium_bin2base64(out.data(), out.size(), box.data(), box.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(out.data());
}

Result<Row> decode_cursor(const ServerKeys& k, const schema::Entity& e, const std::string& cursor) {
  std::vector<unsigned char> bin(cursor.size());
  size_t len = 0;
  const Status bad = Status::invalid_argument("the cursor is not one this server gave");
  if (sodium_base642bin(bin.data(), bin.size(), cursor.data(), cursor.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return bad;
  }
  std::string text(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(text.data()), bin.data() + crypto_secretbox_NONCEBYTES,
          len - crypto_secretbox_NONCEBYTES, bin.data(), k.cursor.data()) != 0) {
    return bad;
  }
  auto arr = nlohmann::json::parse(text, nullptr, false);
  const auto keys = schema::key_indices(e);
  if (!arr.is_array() || arr.size() != keys.size() + 1 || arr[0] != std::string(e.name)) return bad;
  Row key;
  for (size_t i = 1; i <= keys.size(); ++i) {
    const auto& j = arr[i];
    if (j.is_string()) {
      key.emplace_back(j.get<std::string>());
    } else if (j.is_number_integer()) {
      key.emplace_back(j.get<int64_t>());
    } else if (j.is_number()) {
      key.emplace_back(j.get<double>());
    } else {
      return bad;
    }
  }
  return key;
}

std::string row_json(const schema::Entity& e, const Row& row) {
  return formats::row_to_json(e, row).dump();
}

Status check_references(store::Transaction& tx, const schema::Entity& e, const Row& row,
                        const Row* before = nullptr) {
  std::vector<FieldError> errors;
  for (size_t i = 0; i < e.fields.size(); ++i) {
    const auto& f = e.fields[i];
    const auto target_name = !f.references.empty() ? f.references : f.referential;
    if (target_name.empty() || is_null(row[i])) continue;
    if (before != nullptr && (*before)[i] == row[i]) continue;  // as stored: checked then
    const auto* target = schema::find_entity(target_name);
    // A list names several rows: each item is checked.
    const bool list = f.check == schema::Check::kList;
    const std::string text = value_to_text(row[i]);
    std::vector<Value> names;
    if (list) {
      for (const auto item : schema::list_items(text)) names.emplace_back(std::string(item));
    } else {
      names.push_back(row[i]);
    }
    for (const auto& name : names) {
      POLES_ASSIGN_OR_RETURN(auto found, tx.get(*target, {name}));
      if (found) continue;
      FieldError fe;
      fe.file = "request";
      fe.field = std::string(f.name);
      fe.value = text;
      fe.rule =
          list ? fmt::format("item '{}' refers to an unknown {}", value_to_text(name), target_name)
               : fmt::format("refers to an unknown {}", target_name);
      errors.push_back(std::move(fe));
    }
  }
  // A zone d'emploi against INSEE's referential when the store holds one (as imports check it).
  // A zone the write leaves as stored is not checked again (stored before the referential).
  if (const int z = schema::zone_reference(e, row);
      z >= 0 &&
      (before == nullptr || (*before)[static_cast<size_t>(z)] != row[static_cast<size_t>(z)])) {
    const auto& code = std::get<std::string>(row[static_cast<size_t>(z)]);
    POLES_ASSIGN_OR_RETURN(
        auto zones,
        tx.query(R"(SELECT COUNT(*), COUNT(CASE WHEN "code" = ? THEN 1 END) FROM "territory" )"
                 R"(WHERE "level" = 'zone')",
                 {code}));
    if (zones.size() == 1 && std::get<int64_t>(zones[0][0]) > 0 &&
        std::get<int64_t>(zones[0][1]) == 0) {
      FieldError fe;
      fe.file = "request";
      fe.field = std::string(e.fields[static_cast<size_t>(z)].name);
      fe.value = code;
      fe.rule = std::string(schema::kUnknownZoneRule);
      errors.push_back(std::move(fe));
    }
  }
  for (size_t i = 0; i < e.fields.size(); ++i) {
    const auto& f = e.fields[i];
    if (!f.unique || is_null(row[i])) continue;
    POLES_ASSIGN_OR_RETURN(
        auto rows,
        tx.query(fmt::format("SELECT {} FROM {} WHERE {} = ?",
                             store::quote_ident(
                                 e.fields[static_cast<size_t>(schema::key_indices(e)[0])].name),
                             store::quote_ident(e.name), store::quote_ident(f.name)),
                 {row[i]}));
    const Row key = store::key_of(e, row);
    for (const auto& r : rows) {
      if (r[0] != key[0]) {
        FieldError fe;
        fe.file = "request";
        fe.field = std::string(f.name);
        fe.value = value_to_text(row[i]);
        fe.rule = fmt::format("is already used by {} '{}'", e.name, value_to_text(r[0]));
        errors.push_back(std::move(fe));
      }
    }
  }
  if (errors.empty()) return Status::ok();
  const auto n = static_cast<int64_t>(errors.size());
  return Status::bad_input(std::move(errors), n);
}

// An organisation's place against the list of communes the store holds, as imports check it
// (import/places.h): a commune the write changes must be one of the list; an organisation
// without a commune gets its postal address's, one without a zone its commune's.
}  // namespace

Status complete_place(const QueryFn& q, const schema::Entity& e, Row& row, const Row* before) {
  if (e.name != "organisation") return Status::ok();
  const auto at = [&](std::string_view f) {
    return static_cast<size_t>(schema::field_index(e, f));
  };
  const auto text = [&](std::string_view f) {
    const auto* v = std::get_if<std::string>(&row[at(f)]);
    return v == nullptr ? std::string() : *v;
  };
  const std::string commune = text("commune"), postcode = text("postcode");
  if (commune.empty() && postcode.empty()) return Status::ok();
  POLES_ASSIGN_OR_RETURN(const auto list, import::Communes::load_for(q, commune, postcode));
  if (!list.held()) return Status::ok();
  // What the write changes is checked; a place stored before the list is not checked again.
  const auto changed = [&](std::string_view f) {
    return before == nullptr || (*before)[at(f)] != row[at(f)];
  };
  std::vector<FieldError> errors;
  const auto error = [&](std::string_view field, std::string rule) {
    FieldError fe;
    fe.file = "request";
    fe.field = std::string(field);
    fe.value = value_to_text(row[at(field)]);
    fe.rule = std::move(rule);
    errors.push_back(std::move(fe));
  };
  if (!commune.empty() && changed("commune"))
    if (auto rule = list.commune_rule(commune)) error("commune", std::move(*rule));
  const bool check_zone = changed("commune") || changed("employment_zone");
  if (auto rule = list.complete_organisation(e, row, check_zone))
    error("employment_zone", std::move(*rule));
  std::vector<FieldError> derived;  // the department and region of a commune found here
  schema::check_row(e, row, derived);
  for (auto& fe : derived) {
    fe.file = "request";
    fe.field = std::string(e.fields[static_cast<size_t>(fe.column) - 1].name);
    errors.push_back(std::move(fe));
  }
  if (errors.empty()) return Status::ok();
  const auto n = static_cast<int64_t>(errors.size());
  return Status::bad_input(std::move(errors), n);
}

namespace {

// An id a merge dropped names the kept organisation from now on (its `former_id`): a new
// organisation does not take it, or next year's files naming it would land on the newcomer.
Status check_not_merged(store::Transaction& tx, const schema::Entity& e, const Row& row) {
  if (e.name != "organisation" || is_null(row[0])) return Status::ok();
  POLES_ASSIGN_OR_RETURN(auto kept, tx.query("SELECT \"organisation_id\" FROM "
                                             "\"organisation_identifier\" WHERE \"scheme\" = "
                                             "'former_id' AND \"value\" = ?",
                                             {row[0]}));
  if (kept.empty()) return Status::ok();
  return Status::conflict(
      fmt::format("organisation '{}' was merged into '{}': the id names that organisation now",
                  value_to_text(row[0]), value_to_text(kept[0][0])));
}

Status check_lifecycle(const schema::Entity& e, const Row* before, const Row& after) {
  if (e.name != "project" || before == nullptr) return Status::ok();
  const int i = schema::field_index(e, "status");
  const auto& from = std::get<std::string>((*before)[static_cast<size_t>(i)]);
  const auto& to = std::get<std::string>(after[static_cast<size_t>(i)]);
  if (from == to) return Status::ok();
  const auto a = find_code(kProjectStatusCodes, from), b = find_code(kProjectStatusCodes, to);
  if (a && b && is_legal_transition(static_cast<ProjectStatus>(*a), static_cast<ProjectStatus>(*b)))
    return Status::ok();
  FieldError fe;
  fe.file = "request";
  fe.field = "status";
  fe.value = to;
  fe.rule =
      fmt::format("cannot move from '{}' to '{}' (the lifecycle only moves forward)", from, to);
  return Status::bad_input({fe}, 1);
}

// Who the writer is, where the policy says the server decides: an evaluator's assessments carry
// its own name, whatever the body says.
nlohmann::json with_server_fields(const User& u, const schema::Entity& e, nlohmann::json body) {
  if (e.name == "assessment" && u.role == Role::kEvaluator && body.is_object())
    body["evaluator"] = u.name;
  return body;
}

Status not_found(const schema::Entity& e) {
  return Status::not_found(fmt::format("no {} with this key", e.name));
}

std::mutex keys_mu;
std::map<std::string, ServerKeys> keys_by_store;

}  // namespace

Result<ServerKeys> server_keys(store::Store& s) {
  POLES_ASSIGN_OR_RETURN(const std::string id, s.store_id());
  {
    std::lock_guard lock(keys_mu);
    if (auto it = keys_by_store.find(id); it != keys_by_store.end()) return it->second;
  }
  const std::string select = "SELECT \"value\" FROM \"meta\" WHERE \"key\" = 'server_secret'";
  POLES_ASSIGN_OR_RETURN(auto rows, s.query(select, {}));
  if (rows.empty()) {
    if (sodium_init() < 0) return Status::internal("libsodium failed to start");
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    std::string hex(sizeof raw * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), raw, sizeof raw);
    hex.pop_back();
    POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
    POLES_RETURN_IF_ERROR(
        tx->execute("INSERT INTO \"meta\" (\"key\", \"value\") VALUES ('server_secret', ?) "
                    "ON CONFLICT (\"key\") DO NOTHING",
                    {hex}));
    POLES_RETURN_IF_ERROR(tx->commit());
    POLES_ASSIGN_OR_RETURN(rows, s.query(select, {}));
    if (rows.empty()) return Status::internal("the server secret could not be stored");
  }
  const std::string secret = std::get<std::string>(rows[0][0]);
  ServerKeys k;
  const auto derive = [&](std::string_view purpose, std::array<unsigned char, 32>& out) {
    crypto_generichash(
        out.data(), out.size(), reinterpret_cast<const unsigned char*>(purpose.data()),
        purpose.size(), reinterpret_cast<const unsigned char*>(secret.data()),
        secret.size() > crypto_generichash_KEYBYTES_MAX ? crypto_generichash_KEYBYTES_MAX
                                                        : secret.size());
  };
  derive("poles etag v1", k.etag);
  derive("poles cursor v1", k.cursor);
  derive("poles form v1", k.form);
  std::lock_guard lock(keys_mu);
  keys_by_store[id] = k;
  return k;
}

std::string etag_of(const ServerKeys& k, const schema::Entity& e, const Row& row) {
  const std::string text = std::string(e.name) + "\n" + row_json(e, row);
  unsigned char out[16];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), k.etag.data(), k.etag.size());
  char hex[sizeof out * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return "\"" + std::string(hex) + "\"";
}

Result<Row> parse_key(const schema::Entity& e, const std::vector<std::string>& segments) {
  const auto keys = schema::key_indices(e);
  if (segments.size() != keys.size()) {
    return Status::not_found(
        fmt::format("{} is addressed by {} key segment(s)", e.name, keys.size()));
  }
  Row key;
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto& f = e.fields[static_cast<size_t>(keys[i])];
    Value v;
    if (auto rule = schema::parse_cell(f, segments[i], v)) {
      return Status::not_found(
          fmt::format("no {} with {} '{}' ({})", e.name, f.name, segments[i], *rule));
    }
    key.push_back(std::move(v));
  }
  return key;
}

namespace {

// Rows that a year's publication froze (the assessments of a published year): Conflict for
// every role, administrators included; there is no unpublishing.
Status check_not_frozen(const QueryFn& q, const schema::Entity& e, const Row& row) {
  // The census of members changes only by a release (app/census.h), which holds back the
  // changes of firms of a released year: one row written here would move published figures by
  // one firm's.
  if (e.name == "member_census") return Status::conflict(kCensusByReleaseOnly);
  if (e.name != "assessment") return Status::ok();
  const int i = schema::field_index(e, "year");
  const auto* year = i >= 0 ? std::get_if<int64_t>(&row[static_cast<size_t>(i)]) : nullptr;
  if (year == nullptr) return Status::ok();
  POLES_ASSIGN_OR_RETURN(bool published, evaluation_published(q, static_cast<int>(*year)));
  if (!published) return Status::ok();
  return Status::conflict(
      fmt::format("the evaluation of {} is published: its assessments are frozen", *year));
}

// The row's own organisation (an organisation's id, or the row's organisation_id), "" if none.
std::string own_organisation_of(const schema::Entity& e, const Row& row) {
  const int i = schema::field_index(e, e.name == "organisation" ? "id" : "organisation_id");
  const auto* v = i >= 0 ? std::get_if<std::string>(&row[static_cast<size_t>(i)]) : nullptr;
  return v != nullptr ? *v : std::string();
}

}  // namespace

void redact_row(const User& u, const schema::Entity& e, Row& row) {
  for (const auto& r : read_rules()) {
    if (r.entity != e.name) continue;
    const int i = schema::field_index(e, r.field);
    if (i < 0) continue;
    if (!sees_field(u.role, u.scope, e.name, r.field, own_organisation_of(e, row)))
      row[static_cast<size_t>(i)] = Value{};
  }
}

Result<ListResult> list_rows(store::Store& s, const User& u, const schema::Entity& e,
                             const ListRequest& r, const ConflictFn& conflicts) {
  if (!may(u.role, Action::kRead, e))
    return Status::permission_denied(fmt::format("{} may not read {}", role_name(u.role), e.name));
  POLES_ASSIGN_OR_RETURN(const ServerKeys keys, server_keys(s));
  store::ListQuery q;
  const size_t limit = static_cast<size_t>(std::clamp(r.limit, 1, 1000));
  // The store is read in batches larger than the page: most rows of a scoped list are not
  // the caller's.
  q.limit = static_cast<int>(std::min<size_t>(std::max<size_t>(limit + 1, 200), 1000));
  for (const auto& [name, text] : r.filters) {
    const int i = schema::field_index(e, name);
    if (i < 0)
      return Status::invalid_argument(
          fmt::format("unknown filter '{}': {} has no such field", name, e.name));
    // A field the caller does not read on every row is no filter: the rows found would tell
    // the values it may not read.
    if (!reads_field_on_every_row(u.role, e.name, name))
      return Status::permission_denied(
          fmt::format("the {} role may not filter {} on '{}' (a firm's own figure)",
                      role_name(u.role), e.name, name));
    Value v;
    if (auto rule = schema::parse_cell(e.fields[static_cast<size_t>(i)], text, v)) {
      return Status::invalid_argument(fmt::format("filter {}='{}': {}", name, text, *rule));
    }
    q.filters.push_back({i, v, false});
  }
  if (!r.q.empty()) {
    // q= looks in the names a person would type: name, title, acronym, and an organisation's
    // city — each only where the caller reads it on every row.
    store::Filter f{-1, r.q, true};
    for (const char* name : {"name", "title", "acronym", "city"}) {
      const int i = schema::field_index(e, name);
      if (i < 0 || !reads_field_on_every_row(u.role, e.name, name)) continue;
      (f.field < 0 ? f.field : f.or_fields.emplace_back()) = i;
    }
    if (f.field < 0)
      return Status::invalid_argument(fmt::format("{} has no name to search", e.name));
    q.filters.push_back(std::move(f));
  }
  // Where the only relation that grants the read names a column of the row (own organisation,
  // own cluster, own reviewer record), the store selects on it: pages are then full. The row
  // check below still decides.
  const auto reads = granted(u.role, e.name, Op::kRead);
  if (reads.size() == 1 && !u.scope.empty()) {
    const char* column = reads[0] == Relation::kOwnOrganisation ? "organisation_id"
                         : reads[0] == Relation::kOwnCluster    ? "cluster_id"
                         : reads[0] == Relation::kOwnReviewer   ? "reviewer_id"
                                                                : nullptr;
    const int i = column != nullptr ? schema::field_index(e, column) : -1;
    if (i >= 0) q.filters.push_back({i, u.scope, false});
  }
  if (u.role == Role::kReviewer && e.name == "review")
    q.filters.push_back({schema::field_index(e, "reviewer_id"), u.scope, false});
  if (!r.cursor.empty()) {
    POLES_ASSIGN_OR_RETURN(Row after, decode_cursor(keys, e, r.cursor));
    q.after = std::move(after);
  }
  // The store's rows are filtered by the row scopes until the page is full and one more
  // readable row is known to follow (then the cursor is the last row returned), or the store has
  // no more rows (no cursor). A page is thus full unless it is the last, and a cursor always
  // leads to readable rows: the shape of the pages tells nothing of the rows the caller may not
  // read (a page cut at the store's batch would: short or empty pages with a cursor).
  ListResult out;
  const QueryFn query = memoised(query_on(s));
  while (true) {
    POLES_ASSIGN_OR_RETURN(store::Page page, s.list(e, q));
    for (auto& row : page.rows) {
      POLES_ASSIGN_OR_RETURN(bool visible, may_read_row(query, u, e, row, conflicts));
      if (!visible) continue;
      if (out.rows.size() == limit) {
        out.next_cursor = encode_cursor(keys, e, store::key_of(e, out.rows.back()));
        return out;
      }
      redact_row(u, e, row);
      out.rows.push_back(std::move(row));
    }
    if (!page.next) return out;
    q.after = std::move(page.next);
  }
}

Result<Item> get_row(store::Store& s, const User& u, const schema::Entity& e, const Row& key,
                     const ConflictFn& conflicts) {
  if (!may(u.role, Action::kRead, e))
    return Status::permission_denied(fmt::format("{} may not read {}", role_name(u.role), e.name));
  POLES_ASSIGN_OR_RETURN(const ServerKeys keys, server_keys(s));
  POLES_ASSIGN_OR_RETURN(auto row, s.get(e, key));
  // A row the caller may not read is answered as a missing one.
  if (!row) return not_found(e);
  POLES_ASSIGN_OR_RETURN(bool visible, may_read_row(query_on(s), u, e, *row, conflicts));
  if (!visible) return not_found(e);
  // The ETag of the row as the caller sees it: one of the whole row would change with fields it
  // may not read.
  redact_row(u, e, *row);
  return Item{*row, etag_of(keys, e, *row)};
}

Result<Item> write_row(store::Store& s, const User& u, const schema::Entity& e, const Row* key,
                       const nlohmann::json& raw_body, WriteMode mode, const std::string& if_match,
                       const RowCheck& extra_check, const ConflictFn& conflicts) {
  const Op op = mode == WriteMode::kCreate ? Op::kCreate : Op::kUpdate;
  if (!may(u.role, op, e.name))
    return Status::permission_denied(
        fmt::format("{} may not {} {}", role_name(u.role), op_name(op), e.name));
  POLES_ASSIGN_OR_RETURN(const ServerKeys keys, server_keys(s));
  const nlohmann::json body = with_server_fields(u, e, raw_body);
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  const QueryFn q = query_on(*tx);
  std::optional<Row> before;
  if (mode == WriteMode::kCreate) {
    POLES_ASSIGN_OR_RETURN(Row probe, formats::row_from_json(e, body, nullptr, "request"));
    // The right to create this row comes first: a refused caller learns nothing of what exists.
    POLES_RETURN_IF_ERROR(check_row_write(q, u, e, op, probe, conflicts));
    POLES_ASSIGN_OR_RETURN(before, tx->get(e, store::key_of(e, probe)));
    if (before) {
      // A key held by a row the caller may not read is refused as a create it may not make
      // (the same 403 and words): "already exists" would tell that the row exists.
      POLES_ASSIGN_OR_RETURN(bool visible, may_read_row(q, u, e, *before, conflicts));
      if (!visible) return write_denied(u, e, op);
      return Status::conflict(
          fmt::format("{} '{}' already exists", e.name, store::key_text(e, probe)));
    }
    POLES_RETURN_IF_ERROR(check_not_merged(*tx, e, probe));
  } else {
    POLES_ASSIGN_OR_RETURN(before, tx->get(e, *key));
    if (!before) return not_found(e);
    POLES_ASSIGN_OR_RETURN(bool visible, may_read_row(q, u, e, *before, conflicts));
    if (!visible) return not_found(e);
    // Before the change: the row as stored must be the caller's to change.
    POLES_RETURN_IF_ERROR(check_row_write(q, u, e, op, *before, conflicts));
    POLES_RETURN_IF_ERROR(check_not_frozen(q, e, *before));
    if (if_match.empty())
      return Status::precondition_failed("updates need If-Match with the row's ETag");
    if (if_match != etag_of(keys, e, *before) && if_match != "*") {
      return Status::precondition_failed(
          fmt::format("the {} changed since it was read (If-Match {} is not its current ETag)",
                      e.name, if_match));
    }
  }
  POLES_ASSIGN_OR_RETURN(
      Row row,
      formats::row_from_json(e, body, mode == WriteMode::kMerge ? &*before : nullptr, "request"));
  if (key != nullptr && store::key_of(e, row) != *key) {
    return Status::invalid_argument(
        fmt::format("the body's key '{}' differs from the URL's", store::key_text(e, row)));
  }
  // Fields reserved to other roles (organisation master data): as stored, or empty when new.
  POLES_RETURN_IF_ERROR(check_field_writes(u, e, before ? &*before : nullptr, row));
  POLES_RETURN_IF_ERROR(complete_place(q, e, row, before ? &*before : nullptr));
  POLES_RETURN_IF_ERROR(check_references(*tx, e, row, before ? &*before : nullptr));
  POLES_RETURN_IF_ERROR(check_lifecycle(e, before ? &*before : nullptr, row));
  if (extra_check) POLES_RETURN_IF_ERROR(extra_check(row));
  POLES_RETURN_IF_ERROR(check_not_frozen(q, e, row));
  POLES_ASSIGN_OR_RETURN(bool changed, tx->upsert(e, row));
  // After the change, in the same transaction: the row must still be the caller's (no moving a
  // row, a cluster or a project's ownership out of one's scope). Refused: rolled back.
  POLES_RETURN_IF_ERROR(check_row_write(q, u, e, op, row, conflicts));
  if (changed) {
    store::AuditEntry a;
    a.at = utc_timestamp();
    a.actor = u.name;
    a.action = before ? "update" : "create";
    a.entity = std::string(e.name);
    a.key = store::key_text(e, row);
    if (before) a.before = row_json(e, *before);
    a.after = row_json(e, row);
    POLES_RETURN_IF_ERROR(tx->append_audit(a));
  }
  POLES_RETURN_IF_ERROR(tx->commit());
  return Item{row, etag_of(keys, e, row)};
}

namespace {

// Takes `id` out of the `|`-separated list `field` of every row of `e` that names it (the list
// emptied is null), each change audited as the caller's.
Status unname_in_lists(store::Transaction& tx, const User& u, const schema::Entity& e, size_t field,
                       const std::string& id) {
  std::string keys;
  for (const int k : schema::key_indices(e))
    keys += store::quote_ident(e.fields[static_cast<size_t>(k)].name) + ", ";
  const std::string list_field = store::quote_ident(e.fields[field].name);
  POLES_ASSIGN_OR_RETURN(
      auto rows, tx.query(fmt::format("SELECT {}{} FROM {} WHERE {} IS NOT NULL", keys, list_field,
                                      store::quote_ident(e.name), list_field),
                          {}));
  for (const auto& r : rows) {
    const std::string list = value_to_text(r.back());
    const auto items = schema::list_items(list);
    if (std::find(items.begin(), items.end(), id) == items.end()) continue;
    POLES_ASSIGN_OR_RETURN(auto named, tx.get(e, Row(r.begin(), r.end() - 1)));
    if (!named) continue;
    std::string rest;
    for (const auto item : items)
      if (item != id) rest += fmt::format("{}{}", rest.empty() ? "" : "|", item);
    Row after = *named;
    after[field] = rest.empty() ? Value{} : Value{rest};
    POLES_RETURN_IF_ERROR(tx.upsert(e, after).status());
    store::AuditEntry a;
    a.at = utc_timestamp();
    a.actor = u.name;
    a.action = "update";
    a.entity = std::string(e.name);
    a.key = store::key_text(e, after);
    a.before = row_json(e, *named);
    a.after = row_json(e, after);
    POLES_RETURN_IF_ERROR(tx.append_audit(a));
  }
  return Status::ok();
}

}  // namespace

Status delete_row(store::Store& s, const User& u, const schema::Entity& e, const Row& key,
                  const std::string& if_match, const ConflictFn& conflicts) {
  if (!may(u.role, Op::kDelete, e.name))
    return Status::permission_denied(
        fmt::format("{} may not delete {}", role_name(u.role), e.name));
  POLES_ASSIGN_OR_RETURN(const ServerKeys keys, server_keys(s));
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  const QueryFn q = query_on(*tx);
  POLES_ASSIGN_OR_RETURN(auto before, tx->get(e, key));
  if (!before) return not_found(e);
  POLES_ASSIGN_OR_RETURN(bool visible, may_read_row(q, u, e, *before, conflicts));
  if (!visible) return not_found(e);
  POLES_RETURN_IF_ERROR(check_row_write(q, u, e, Op::kDelete, *before, conflicts));
  POLES_RETURN_IF_ERROR(check_not_frozen(q, e, *before));
  if (!if_match.empty() && if_match != "*" && if_match != etag_of(keys, e, *before)) {
    return Status::precondition_failed(fmt::format("the {} changed since it was read", e.name));
  }
  // A referential row (a programme) is named without a foreign key: refused while in use. A row
  // a list names (an S3 domain, a filière) is taken out of the lists that name it, each change
  // audited: the Region revising its strategy is not held by clusters of other regions naming
  // its domain, rows it may not write.
  for (const auto& other : schema::entities()) {
    for (size_t fi = 0; fi < other.fields.size(); ++fi) {
      const auto& f = other.fields[fi];
      if (f.referential != e.name) continue;
      if (f.check == schema::Check::kList) {
        POLES_RETURN_IF_ERROR(unname_in_lists(*tx, u, other, fi, value_to_text(key[0])));
        continue;
      }
      POLES_ASSIGN_OR_RETURN(
          auto used,
          tx->query(fmt::format("SELECT COUNT(*) FROM {} WHERE {} = ?",
                                store::quote_ident(other.name), store::quote_ident(f.name)),
                    {key[0]}));
      const int64_t n = used.empty() ? 0 : std::get<int64_t>(used[0][0]);
      if (n > 0)
        return Status::conflict(fmt::format("{} '{}' is still named by {} row(s) of {} (field {})",
                                            e.name, store::key_text(e, *before), n, other.name,
                                            f.name));
    }
  }
  auto removed = tx->remove(e, key);
  if (!removed) {
    return removed.error().code() == ErrorCode::kConflict
               ? removed.error()
               : Status::conflict(fmt::format("{} '{}' is still referenced by other rows: {}",
                                              e.name, store::key_text(e, *before),
                                              removed.error().message()));
  }
  store::AuditEntry a;
  a.at = utc_timestamp();
  a.actor = u.name;
  a.action = "delete";
  a.entity = std::string(e.name);
  a.key = store::key_text(e, *before);
  a.before = row_json(e, *before);
  POLES_RETURN_IF_ERROR(tx->append_audit(a));
  return tx->commit();
}

}  // namespace poles::app
