#include "app/entities.h"

#include <fmt/format.h>
#include <sodium.h>

#include "app/access.h"
#include "core/date.h"
#include "core/model.h"
#include "formats/json.h"

namespace poles::app {
namespace {

// Cursor: the last key of the page as JSON, base64url-encoded (opaque to clients).
std::string encode_cursor(const schema::Entity& e, const Row& key) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& v : key) arr.push_back(formats::value_to_json(v));
  (void)e;
  const std::string text = arr.dump();
  std::vector<char> out(
      sodium_base64_ENCODED_LEN(text.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING));
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()),
                    text.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(out.data());
}

Result<Row> decode_cursor(const schema::Entity& e, const std::string& cursor) {
  std::vector<unsigned char> bin(cursor.size());
  size_t len = 0;
  const Status bad =
      Status::invalid_argument(fmt::format("cursor '{}' is not one this server gave", cursor));
  if (sodium_base642bin(bin.data(), bin.size(), cursor.data(), cursor.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return bad;
  }
  auto arr = nlohmann::json::parse(std::string(bin.begin(), bin.begin() + static_cast<long>(len)),
                                   nullptr, false);
  const auto keys = schema::key_indices(e);
  if (!arr.is_array() || arr.size() != keys.size()) return bad;
  Row key;
  for (size_t i = 0; i < keys.size(); ++i) {
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

Status check_references(store::Transaction& tx, const schema::Entity& e, const Row& row) {
  std::vector<FieldError> errors;
  for (size_t i = 0; i < e.fields.size(); ++i) {
    const auto& f = e.fields[i];
    if (f.references.empty() || is_null(row[i])) continue;
    const auto* target = schema::find_entity(f.references);
    POLES_ASSIGN_OR_RETURN(auto found, tx.get(*target, {row[i]}));
    if (!found) {
      FieldError fe;
      fe.file = "request";
      fe.field = std::string(f.name);
      fe.value = value_to_text(row[i]);
      fe.rule = fmt::format("refers to an unknown {}", f.references);
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

}  // namespace

std::string etag_of(const schema::Entity& e, const Row& row) {
  return "\"" + token_hash(row_json(e, row)).substr(0, 32) + "\"";
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

Result<ListResult> list_rows(store::Store& s, const User& u, const schema::Entity& e,
                             const ListRequest& r) {
  if (!may(u.role, Action::kRead, e))
    return Status::permission_denied(fmt::format("{} may not read {}", role_name(u.role), e.name));
  store::ListQuery q;
  q.limit = std::clamp(r.limit, 1, 1000);
  std::vector<FieldError> errors;
  for (const auto& [name, text] : r.filters) {
    const int i = schema::field_index(e, name);
    if (i < 0)
      return Status::invalid_argument(
          fmt::format("unknown filter '{}': {} has no such field", name, e.name));
    Value v;
    if (auto rule = schema::parse_cell(e.fields[static_cast<size_t>(i)], text, v)) {
      return Status::invalid_argument(fmt::format("filter {}='{}': {}", name, text, *rule));
    }
    q.filters.push_back({i, v, false});
  }
  if (!r.q.empty()) {
    int i = schema::field_index(e, "name");
    if (i < 0) i = schema::field_index(e, "title");
    if (i < 0) i = schema::field_index(e, "acronym");
    if (i < 0) return Status::invalid_argument(fmt::format("{} has no name to search", e.name));
    q.filters.push_back({i, r.q, true});
  }
  if (u.role == Role::kReviewer && (e.name == "review" || e.name == "assignment"))
    q.filters.push_back({schema::field_index(e, "reviewer_id"), u.scope, false});
  if (!r.cursor.empty()) {
    POLES_ASSIGN_OR_RETURN(Row after, decode_cursor(e, r.cursor));
    q.after = std::move(after);
  }
  POLES_ASSIGN_OR_RETURN(store::Page page, s.list(e, q));
  ListResult out;
  for (auto& row : page.rows) {
    POLES_ASSIGN_OR_RETURN(bool visible, may_read_row(query_on(s), u, e, row));
    if (visible) out.rows.push_back(std::move(row));
  }
  if (page.next) out.next_cursor = encode_cursor(e, *page.next);
  return out;
}

Result<Item> get_row(store::Store& s, const User& u, const schema::Entity& e, const Row& key) {
  if (!may(u.role, Action::kRead, e))
    return Status::permission_denied(fmt::format("{} may not read {}", role_name(u.role), e.name));
  POLES_ASSIGN_OR_RETURN(auto row, s.get(e, key));
  const Status missing =
      Status::not_found(fmt::format("no {} '{}'", e.name, store::key_text(e, key)));
  if (!row) return missing;
  POLES_ASSIGN_OR_RETURN(bool visible, may_read_row(query_on(s), u, e, *row));
  if (!visible) return missing;
  return Item{*row, etag_of(e, *row)};
}

Result<Item> write_row(store::Store& s, const User& u, const schema::Entity& e, const Row* key,
                       const nlohmann::json& body, WriteMode mode, const std::string& if_match) {
  if (!may(u.role, Action::kWrite, e))
    return Status::permission_denied(fmt::format("{} may not write {}", role_name(u.role), e.name));
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  std::optional<Row> before;
  if (mode == WriteMode::kCreate) {
    POLES_ASSIGN_OR_RETURN(Row probe, formats::row_from_json(e, body, nullptr, "request"));
    POLES_ASSIGN_OR_RETURN(before, tx->get(e, store::key_of(e, probe)));
    if (before)
      return Status::conflict(
          fmt::format("{} '{}' already exists", e.name, store::key_text(e, probe)));
  } else {
    POLES_ASSIGN_OR_RETURN(before, tx->get(e, *key));
    if (!before) return Status::not_found(fmt::format("no {} with this key", e.name));
    if (if_match.empty())
      return Status::precondition_failed("updates need If-Match with the row's ETag");
    if (if_match != etag_of(e, *before) && if_match != "*") {
      return Status::precondition_failed(
          fmt::format("the {} changed since it was read (ETag {} is now {})", e.name, if_match,
                      etag_of(e, *before)));
    }
    POLES_RETURN_IF_ERROR(check_row_write(query_on(*tx), u, e, *before));
  }
  POLES_ASSIGN_OR_RETURN(
      Row row,
      formats::row_from_json(e, body, mode == WriteMode::kMerge ? &*before : nullptr, "request"));
  if (key != nullptr && store::key_of(e, row) != *key) {
    return Status::invalid_argument(
        fmt::format("the body's key '{}' differs from the URL's", store::key_text(e, row)));
  }
  POLES_RETURN_IF_ERROR(check_row_write(query_on(*tx), u, e, row));
  POLES_RETURN_IF_ERROR(check_references(*tx, e, row));
  POLES_RETURN_IF_ERROR(check_lifecycle(e, before ? &*before : nullptr, row));
  POLES_ASSIGN_OR_RETURN(bool changed, tx->upsert(e, row));
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
  return Item{row, etag_of(e, row)};
}

Status delete_row(store::Store& s, const User& u, const schema::Entity& e, const Row& key,
                  const std::string& if_match) {
  if (!may(u.role, Action::kWrite, e))
    return Status::permission_denied(fmt::format("{} may not write {}", role_name(u.role), e.name));
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_ASSIGN_OR_RETURN(auto before, tx->get(e, key));
  if (!before) return Status::not_found(fmt::format("no {} with this key", e.name));
  if (!if_match.empty() && if_match != "*" && if_match != etag_of(e, *before)) {
    return Status::precondition_failed(fmt::format("the {} changed since it was read", e.name));
  }
  POLES_RETURN_IF_ERROR(check_row_write(query_on(*tx), u, e, *before));
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
