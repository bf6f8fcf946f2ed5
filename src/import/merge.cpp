#include "import/merge.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/date.h"
#include "core/schema.h"
#include "formats/json.h"

namespace poles::import {

namespace {

// The organisation's fields that go together (filled only when none of them is known).
const std::vector<std::vector<std::string_view>> kGroups = {
    {"commune", "department", "region"},
    {"headcount", "turnover", "balance_sheet", "size_class"},
    {"address", "postcode", "city"}};

// Moves every row of `e` whose field `f` names `drop` to `keep`.
Status move_rows(store::Transaction& tx, const schema::Entity& e, int f, const std::string& keep,
                 const std::string& drop, MergeReport& report) {
  const auto keys = schema::key_indices(e);
  std::string columns;
  for (int k : keys)
    columns +=
        (columns.empty() ? "" : ", ") + store::quote_ident(e.fields[static_cast<size_t>(k)].name);
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      tx.query(fmt::format("SELECT {} FROM {} WHERE {} = ?", columns, store::quote_ident(e.name),
                           store::quote_ident(e.fields[static_cast<size_t>(f)].name)),
               {Value(drop)}));
  const bool in_key = std::find(keys.begin(), keys.end(), f) != keys.end();
  for (auto& key : rows) {
    POLES_ASSIGN_OR_RETURN(auto row, tx.get(e, key));
    if (!row) continue;
    Row moved = *row;
    moved[static_cast<size_t>(f)] = Value(keep);
    if (in_key) {
      POLES_ASSIGN_OR_RETURN(auto existing, tx.get(e, store::key_of(e, moved)));
      POLES_RETURN_IF_ERROR(tx.remove(e, key).status());
      if (existing) {  // the kept organisation has this row already: it stays
        ++report.duplicates[std::string(e.name)];
        continue;
      }
    }
    POLES_RETURN_IF_ERROR(tx.upsert(e, moved).status());
    ++report.moved[std::string(e.name)];
  }
  return Status::ok();
}

}  // namespace

Result<MergeReport> merge_organisations(store::Store& store, const std::string& keep,
                                        const std::string& drop, const std::string& actor) {
  if (keep == drop)
    return Status::invalid_argument(
        fmt::format("organisation '{}' cannot be merged into itself", keep));
  const auto& org = *schema::find_entity("organisation");
  POLES_ASSIGN_OR_RETURN(auto tx, store.begin());
  POLES_ASSIGN_OR_RETURN(auto kept, tx->get(org, Row{Value(keep)}));
  if (!kept) return Status::not_found(fmt::format("no organisation '{}'", keep));
  POLES_ASSIGN_OR_RETURN(auto dropped, tx->get(org, Row{Value(drop)}));
  if (!dropped) return Status::not_found(fmt::format("no organisation '{}'", drop));
  const auto siren = static_cast<size_t>(schema::field_index(org, "siren"));
  if (!is_null((*kept)[siren]) && !is_null((*dropped)[siren]) &&
      (*kept)[siren] != (*dropped)[siren])
    return Status::conflict(fmt::format(
        "organisations '{}' and '{}' have different SIRENs ({} and {}): two legal units are not "
        "one organisation",
        keep, drop, value_to_text((*kept)[siren]), value_to_text((*dropped)[siren])));

  MergeReport report;
  report.kept = keep;
  report.dropped = drop;
  for (const auto& e : schema::entities()) {
    for (size_t f = 0; f < e.fields.size(); ++f) {
      if (e.fields[f].references != "organisation") continue;
      POLES_RETURN_IF_ERROR(move_rows(*tx, e, static_cast<int>(f), keep, drop, report));
    }
  }

  // The kept organisation's empty fields, from the dropped one (groups together).
  Row merged = *kept;
  std::vector<bool> grouped(org.fields.size(), false);
  const auto fill = [&](const std::vector<size_t>& fields) {
    const bool known =
        std::any_of(fields.begin(), fields.end(), [&](size_t i) { return !is_null(merged[i]); });
    if (known) return;
    for (size_t i : fields) {
      if (is_null((*dropped)[i])) continue;
      merged[i] = (*dropped)[i];
      report.filled.emplace_back(org.fields[i].name);
    }
  };
  for (const auto& group : kGroups) {
    std::vector<size_t> fields;
    for (const auto name : group) {
      fields.push_back(static_cast<size_t>(schema::field_index(org, name)));
      grouped[fields.back()] = true;
    }
    fill(fields);
  }
  for (size_t i = 0; i < org.fields.size(); ++i) {
    if (!grouped[i] && !org.fields[i].key) fill({i});
  }
  std::vector<FieldError> errors;
  schema::check_row(org, merged, errors);
  if (!errors.empty()) {
    const auto& fe = errors[0];
    const std::string_view field =
        fe.column > 0 ? org.fields[static_cast<size_t>(fe.column) - 1].name : fe.field;
    return Status::invalid_argument(
        fmt::format("the merged organisation breaks a rule: field '{}': {}", field, fe.rule));
  }

  // Member accounts, pending requests and the SIREN review queue follow the organisation.
  POLES_ASSIGN_OR_RETURN(
      auto accounts, tx->query("SELECT COUNT(*) FROM app_user WHERE role = 'member' AND scope = ?",
                               {Value(drop)}));
  report.accounts = std::get<int64_t>(accounts.at(0).at(0));
  POLES_RETURN_IF_ERROR(
      tx->execute("UPDATE app_user SET scope = ? WHERE role = 'member' AND scope = ?",
                  {Value(keep), Value(drop)}));
  POLES_RETURN_IF_ERROR(
      tx->execute("UPDATE change_request SET target = ? WHERE kind = 'organisation' AND target = ?",
                  {Value(keep), Value(drop)}));
  POLES_RETURN_IF_ERROR(
      tx->execute("DELETE FROM \"siren_match\" WHERE \"organisation_id\" = ?", {Value(drop)}));

  // The dropped record goes first: its SIREN, unique, may be the kept one's now.
  POLES_RETURN_IF_ERROR(tx->remove(org, Row{Value(drop)}).status());
  POLES_RETURN_IF_ERROR(tx->upsert(org, merged).status());
  store::AuditEntry a;
  a.at = utc_timestamp();
  a.actor = actor;
  a.action = "merge";
  a.entity = "organisation";
  a.key = keep;
  nlohmann::ordered_json before;
  before["kept"] = formats::row_to_json(org, *kept);
  before["dropped"] = formats::row_to_json(org, *dropped);
  a.before = before.dump();
  a.after = formats::row_to_json(org, merged).dump();
  POLES_RETURN_IF_ERROR(tx->append_audit(a));
  POLES_RETURN_IF_ERROR(tx->commit());
  return report;
}

}  // namespace poles::import
