#include "import/merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/date.h"
#include "core/schema.h"
#include "formats/json.h"

namespace poles::import {

namespace {

// The organisation's fields that go together (filled only when none of them is known).
const std::vector<std::vector<std::string_view>> kGroups = {
    {"commune", "department", "region", "employment_zone"},
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
      if (existing) {
        // The kept organisation has this row already: it stays. A participation or a
        // membership (records of one fact) gets its empty fields from the duplicate's — a
        // participation's cost and aid; a coordinator stays one —; a measurement (a diagnostic,
        // a service's outcome) is not mixed with another.
        Row kept_row = *existing;
        if (e.name == "participation" || e.name == "membership") {
          for (size_t i = 0; i < e.fields.size(); ++i) {
            if (is_null(kept_row[i]) && !is_null(moved[i])) kept_row[i] = moved[i];
          }
        }
        if (e.name == "participation") {
          const auto role = static_cast<size_t>(schema::field_index(e, "role"));
          if (moved[role] == Value(std::string("coordinator"))) kept_row[role] = moved[role];
        }
        if (kept_row != *existing) POLES_RETURN_IF_ERROR(tx.upsert(e, kept_row).status());
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

  // Member accounts are an administrator's to move (a scope gives a firm's own figures): a
  // duplicate that has some is not merged until they are moved or closed.
  POLES_ASSIGN_OR_RETURN(
      auto accounts, tx->query("SELECT COUNT(*) FROM app_user WHERE role = 'member' AND scope = ?",
                               {Value(drop)}));
  if (const int64_t n = std::get<int64_t>(accounts.at(0).at(0)); n > 0)
    return Status::conflict(fmt::format(
        "organisation '{}' has {} member account(s): an administrator moves or closes them before "
        "the merge",
        drop, n));

  // The State's released census of members decides which clusters and years count a firm's
  // figures (docs/secrecy.md, section 6): a merge must not change that for a firm of the panel,
  // or the aggregates read before and after it would differ by its figures.
  const Value& s_keep = (*kept)[siren];
  const Value& s_merged = is_null(s_keep) ? (*dropped)[siren] : s_keep;
  if (!is_null(s_merged)) {
    POLES_ASSIGN_OR_RETURN(
        auto panel,
        tx->query("SELECT COUNT(*) FROM \"firm_year\" WHERE \"siren\" = ?", {s_merged}));
    if (std::get<int64_t>(panel.at(0).at(0)) > 0) {
      const auto census_of = [&](const std::string& id) -> Result<std::set<std::string>> {
        POLES_ASSIGN_OR_RETURN(auto rows,
                               tx->query("SELECT \"year\", \"cluster_id\" FROM \"member_census\" "
                                         "WHERE \"organisation_id\" = ?",
                                         {Value(id)}));
        std::set<std::string> out;
        for (const auto& r : rows) out.insert(value_to_text(r[0]) + " " + value_to_text(r[1]));
        return out;
      };
      POLES_ASSIGN_OR_RETURN(auto census_keep, census_of(keep));
      POLES_ASSIGN_OR_RETURN(auto census_drop, census_of(drop));
      const auto& before = is_null(s_keep) ? census_drop : census_keep;
      std::set<std::string> after = census_keep;
      after.insert(census_drop.begin(), census_drop.end());
      if (after != before)
        return Status::conflict(fmt::format(
            "organisations '{}' and '{}' are counted in different clusters or years of the "
            "released member census, and the merged firm has figures in the firm panel: merging "
            "would move released firm aggregates by its figures",
            keep, drop));
    }
  }

  MergeReport report;
  report.kept = keep;
  report.dropped = drop;
  for (const auto& e : schema::entities()) {
    for (size_t f = 0; f < e.fields.size(); ++f) {
      if (e.fields[f].references != "organisation") continue;
      POLES_RETURN_IF_ERROR(move_rows(*tx, e, static_cast<int>(f), keep, drop, report));
    }
  }

  // The dropped id names the kept organisation from now on: a file that still gives it (next
  // year's directory, keyed by it) finds the kept one (import/mapping.h).
  const auto& ident = *schema::find_entity("organisation_identifier");
  Row former(ident.fields.size());
  former[static_cast<size_t>(schema::field_index(ident, "scheme"))] = std::string("former_id");
  former[static_cast<size_t>(schema::field_index(ident, "value"))] = drop;
  former[static_cast<size_t>(schema::field_index(ident, "organisation_id"))] = keep;
  former[static_cast<size_t>(schema::field_index(ident, "source"))] = std::string("merge");
  POLES_RETURN_IF_ERROR(tx->upsert(ident, former).status());

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

  // Pending requests follow the organisation; the SIREN review queue forgets the duplicate,
  // points at the kept one where it named the duplicate, and drops the kept one's own row once it
  // has a SIREN.
  POLES_RETURN_IF_ERROR(tx->execute(
      "UPDATE change_request SET target = ? WHERE kind = 'organisation' AND target = ? AND "
      "status = 'pending'",
      {Value(keep), Value(drop)}));
  POLES_RETURN_IF_ERROR(
      tx->execute("DELETE FROM \"siren_match\" WHERE \"organisation_id\" = ?", {Value(drop)}));
  POLES_RETURN_IF_ERROR(
      tx->execute("UPDATE \"siren_match\" SET \"duplicate_of\" = ? WHERE \"duplicate_of\" = ?",
                  {Value(keep), Value(drop)}));
  if (!is_null(merged[siren]))
    POLES_RETURN_IF_ERROR(
        tx->execute("DELETE FROM \"siren_match\" WHERE \"organisation_id\" = ?", {Value(keep)}));

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
