#include "app/decisions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "app/access.h"
#include "app/evaluate.h"
#include "core/date.h"
#include "core/validate.h"
#include "evaluate/indicators.h"

namespace poles::app {
namespace {

constexpr std::string_view kCapability = "evaluation_decisions";
constexpr std::string_view kDecisionColumns =
    "d.year, d.cluster_id, c.name, c.region, d.proposed_level, d.level, d.text, d.deadline, "
    "d.owner, d.documents, d.triggers, d.decided_by, d.decided_at, d.answer, d.answered_by, "
    "d.answered_at";

bool has_relation(const std::vector<Relation>& rels, Relation r) {
  return std::find(rels.begin(), rels.end(), r) != rels.end();
}

// Whether the user reaches a cluster of `region` (its id `cluster`) through one of `rels`.
bool reaches(const std::vector<Relation>& rels, const User& u, const std::string& cluster,
             const std::string& region) {
  return has_relation(rels, Relation::kAny) ||
         (has_relation(rels, Relation::kOwnCluster) && !u.scope.empty() && cluster == u.scope) ||
         (has_relation(rels, Relation::kRegionCluster) && !u.scope.empty() && region == u.scope);
}

std::string direction_of(std::string_view indicator) {
  const int i = evaluate::indicator_index(indicator);
  if (i < 0) return "higher";
  return std::string(kDirectionCodes[static_cast<size_t>(
      evaluate::indicator_defs()[static_cast<size_t>(i)].direction)]);
}

tj::Omittable<double> json_number(const tj::Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return {};
  const double v = it->get<double>();
  if (!std::isfinite(v)) return {};
  return v;
}

tj::Omittable<bool> json_flag(const tj::Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_boolean()) return {};
  return it->get<bool>();
}

std::string json_text(const tj::Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What triggered a decision: the criteria failed and the targets missed by the cluster in the
// published evaluation (its entry, app::EvaluatedCluster as JSON).
std::vector<EvaluationDecisionTrigger> triggers_of(const tj::Json& cluster) {
  std::vector<EvaluationDecisionTrigger> out;
  for (const auto& c : cluster.value("criteria", tj::Json::array())) {
    if (const auto met = json_flag(c, "met"); !met || *met) continue;
    EvaluationDecisionTrigger t;
    t.kind = "criterion";
    t.id = json_text(c, "id");
    t.indicator = json_text(c, "indicator");
    // The criterion's own direction (a ceiling is met by going down); the indicator's in
    // publications made before criteria said it.
    t.direction = json_text(c, "direction");
    if (t.direction != "higher" && t.direction != "lower") t.direction = direction_of(t.indicator);
    t.text_fr = json_text(c, "text_fr");
    t.text_en = json_text(c, "text_en");
    t.value = json_number(c, "value");
    out.push_back(std::move(t));
  }
  for (const auto& g : cluster.value("targets", tj::Json::array())) {
    if (const auto met = json_flag(g, "met"); !met || *met) continue;
    EvaluationDecisionTrigger t;
    t.kind = "target";
    t.id = t.indicator = json_text(g, "indicator");
    t.direction = json_text(g, "direction") == "lower" ? "lower" : "higher";
    t.threshold = json_number(g, "target");
    t.value = json_number(g, "value");
    out.push_back(std::move(t));
  }
  return out;
}

// The entry of `cluster` in a published evaluation's JSON, or null.
const tj::Json* entry_of(const tj::Json& evaluation, const std::string& cluster) {
  const auto it = evaluation.find("clusters");
  if (it == evaluation.end() || !it->is_array()) return nullptr;
  for (const auto& c : *it) {
    if (c.is_object() && json_text(c, "cluster") == cluster) return &c;
  }
  return nullptr;
}

std::optional<std::string> optional_text(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::nullopt;
}

int64_t cell_integer(const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  return 0;
}

struct StoredDecision {
  EvaluationDecision d;
  std::string region;
};

StoredDecision decision_from_row(const Row& r) {
  StoredDecision out;
  EvaluationDecision& d = out.d;
  d.year = static_cast<int>(cell_integer(r[0]));
  d.cluster = row_text(r[1]);
  d.cluster_name = row_text(r[2]);
  out.region = row_text(r[3]);
  d.proposed_level = static_cast<int>(cell_integer(r[4]));
  d.level = static_cast<int>(cell_integer(r[5]));
  d.text = row_text(r[6]);
  d.deadline = row_text(r[7]);
  d.owner = row_text(r[8]);
  // Written by this file: a cell that does not read back is left empty.
  const auto docs_json = tj::Json::parse(row_text(r[9]), nullptr, false);
  if (auto docs = tj::from_json<std::vector<EvaluationDecisionDocument>>(docs_json))
    d.documents = std::move(*docs);
  const auto triggers_json = tj::Json::parse(row_text(r[10]), nullptr, false);
  if (auto t = tj::from_json<std::vector<EvaluationDecisionTrigger>>(triggers_json))
    d.triggers = std::move(*t);
  d.decided_by = row_text(r[11]);
  d.decided_at = row_text(r[12]);
  if (auto a = optional_text(r[13])) d.answer = *a;
  if (auto a = optional_text(r[14])) d.answered_by = *a;
  if (auto a = optional_text(r[15])) d.answered_at = *a;
  return out;
}

// The published years, in order.
Result<std::vector<int>> published_years(store::Store& s) {
  POLES_ASSIGN_OR_RETURN(auto rows,
                         s.query("SELECT year FROM evaluation_publication ORDER BY year", {}));
  std::vector<int> out;
  for (const auto& r : rows) out.push_back(static_cast<int>(cell_integer(r[0])));
  return out;
}

// Sets the follow-up of each decision at the next published year, the caller's rights and
// whether the decision is overdue.
Status complete_decisions(store::Store& s, const User& u, std::vector<StoredDecision>& decisions) {
  POLES_ASSIGN_OR_RETURN(const auto years, published_years(s));
  std::map<int, tj::Json> evaluations;  // each later year read once
  const std::string today = today_utc().to_string();
  const auto deciders = granted(u.role, kCapability, Op::kCreate);
  const auto answerers = granted(u.role, kCapability, Op::kUpdate);
  for (auto& [d, region] : decisions) {
    const auto next = std::upper_bound(years.begin(), years.end(), d.year);
    if (next == years.end()) {
      for (auto& t : d.triggers) t.outcome = "pending";
      d.follow_up = d.triggers.empty() ? "no_trigger" : "pending";
    } else {
      d.followed_up_in = *next;
      auto it = evaluations.find(*next);
      if (it == evaluations.end()) {
        POLES_ASSIGN_OR_RETURN(auto ev, published_evaluation(s, *next));
        it = evaluations.emplace(*next, ev ? std::move(*ev) : tj::Json::object()).first;
      }
      d.follow_up = follow_up(d.triggers, entry_of(it->second, d.cluster));
    }
    d.overdue = !d.answer && d.deadline < today;
    d.may_decide = reaches(deciders, u, d.cluster, region);
    d.may_answer = reaches(answerers, u, d.cluster, region);
  }
  return Status::ok();
}

Result<std::vector<StoredDecision>> readable_decisions(store::Store& s, const User& u,
                                                       std::optional<int> year,
                                                       const std::string& cluster) {
  std::string sql = fmt::format(
      "SELECT {} FROM evaluation_decision d JOIN cluster c ON c.id = d.cluster_id WHERE 1 = 1",
      kDecisionColumns);
  std::vector<Value> params;
  if (year) {
    sql += " AND d.year = ?";
    params.emplace_back(static_cast<int64_t>(*year));
  }
  if (!cluster.empty()) {
    sql += " AND d.cluster_id = ?";
    params.emplace_back(cluster);
  }
  sql += " ORDER BY d.year DESC, c.name, d.cluster_id";
  POLES_ASSIGN_OR_RETURN(auto rows, s.query(sql, params));
  const auto readers = granted(u.role, kCapability, Op::kRead);
  std::vector<StoredDecision> out;
  for (const auto& r : rows) {
    auto d = decision_from_row(r);
    if (reaches(readers, u, d.d.cluster, d.region)) out.push_back(std::move(d));
  }
  POLES_RETURN_IF_ERROR(complete_decisions(s, u, out));
  return out;
}

Status no_decision(int year, const std::string& cluster) {
  return Status::not_found(
      fmt::format("no decision on cluster '{}' after the evaluation of {}", cluster, year));
}

Status changed_meanwhile(int year, const std::string& cluster) {
  return Status::conflict(fmt::format(
      "the decision on cluster '{}' after the evaluation of {} changed meanwhile: read it again",
      cluster, year));
}

// One line of text: plain, without line breaks.
bool one_line(std::string_view v) { return validate::plain_text(v, false); }

bool url_ok(std::string_view v) {
  if (!(v.starts_with("https://") || v.starts_with("http://"))) return false;
  const auto host = v.substr(v.find("//") + 2);
  if (host.empty() || host.front() == '/') return false;
  return std::none_of(v.begin(), v.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`';
  });
}

const std::vector<EvaluationDecisionDocument>& documents_of(const EvaluationDecisionBody& b) {
  static const std::vector<EvaluationDecisionDocument> kNone;
  return b.documents ? *b.documents : kNone;
}

std::vector<FieldError> check_body(const EvaluationDecisionBody& b, int year) {
  std::vector<FieldError> errors;
  const auto& documents = documents_of(b);
  const auto fail = [&](std::string field, std::string value, std::string rule) {
    errors.push_back(
        {"request", 0, 0, std::move(field), validate::truncate_utf8(value, 80), std::move(rule)});
  };
  if (b.level < 0 || b.level > kMaxDecisionLevel)
    fail("level", std::to_string(b.level), "an action level from 0 to 4");
  const std::string text = validate::trimmed(b.text);
  if (text.empty())
    fail("text", b.text, "the decision's text is required");
  else if (text.size() > kMaxDecisionText || !validate::plain_text(text, true))
    fail("text", b.text, "plain text of at most 4,000 bytes, without HTML tags");
  const auto deadline = Date::parse(b.deadline);
  if (!deadline || b.deadline.size() != 10)
    fail("deadline", b.deadline, "a date YYYY-MM-DD");
  else if (deadline->year < year || deadline->year > year + 10)
    fail("deadline", b.deadline,
         fmt::format("a deadline from {} to {} (the evaluation's year to ten years after)", year,
                     year + 10));
  const std::string owner = validate::trimmed(b.owner);
  if (owner.empty())
    fail("owner", b.owner, "who follows the decision at the State is required");
  else if (owner.size() > kMaxDecisionOwner || !one_line(owner))
    fail("owner", b.owner, "one line of plain text of at most 200 bytes");
  if (documents.size() > kMaxDecisionDocuments)
    fail("documents", std::to_string(documents.size()), "at most 20 documents");
  for (size_t i = 0; i < documents.size() && i < kMaxDecisionDocuments; ++i) {
    const auto& doc = documents[i];
    const std::string title = validate::trimmed(doc.title);
    if (title.empty() || title.size() > kMaxDocumentTitle || !one_line(title))
      fail(fmt::format("documents[{}].title", i), doc.title,
           "one line of plain text of 1 to 200 bytes");
    if (doc.url.size() > kMaxDocumentUrl || !url_ok(doc.url))
      fail(fmt::format("documents[{}].url", i), doc.url,
           "an https:// or http:// address of at most 2,000 bytes, without spaces or quotes");
  }
  return errors;
}

store::AuditEntry audit_entry(const User& u, std::string action, int year,
                              const std::string& cluster, std::string before, std::string after,
                              std::string at) {
  store::AuditEntry a;
  a.at = std::move(at);
  a.actor = u.name;
  a.action = std::move(action);
  a.entity = "evaluation_decision";
  a.key = fmt::format("{}|{}", year, cluster);
  a.before = std::move(before);
  a.after = std::move(after);
  return a;
}

// The decision as stored, for the audit log.
std::string stored_json(const EvaluationDecision& d) {
  return tj::Json{{"proposed_level", d.proposed_level},
                  {"level", d.level},
                  {"text", d.text},
                  {"deadline", d.deadline},
                  {"owner", d.owner},
                  {"documents", tj::to_json(d.documents)},
                  {"answer", d.answer ? tj::Json(*d.answer) : tj::Json()}}
      .dump();
}

}  // namespace

std::string follow_up(std::vector<EvaluationDecisionTrigger>& triggers, const tj::Json* later) {
  if (triggers.empty()) return "no_trigger";
  size_t met = 0, improved = 0, known = 0;
  for (auto& t : triggers) {
    t.value_after.reset();
    t.met_after.reset();
    t.outcome = "unknown";
    if (later == nullptr) continue;
    const tj::Json* found = nullptr;
    const char* list = t.kind == "target" ? "targets" : "criteria";
    const char* key = t.kind == "target" ? "indicator" : "id";
    const auto items = later->find(list);
    if (items != later->end() && items->is_array()) {
      for (const auto& x : *items) {
        if (x.is_object() && json_text(x, key) == t.id) {
          found = &x;
          break;
        }
      }
    }
    if (found == nullptr) continue;
    t.value_after = json_number(*found, "value");
    t.met_after = json_flag(*found, "met");
    if (!t.met_after) continue;
    ++known;
    if (*t.met_after) {
      t.outcome = "met";
      ++met;
    } else if (t.value && t.value_after &&
               (t.direction == "lower" ? *t.value_after < *t.value : *t.value_after > *t.value)) {
      t.outcome = "improved";
      ++improved;
    } else {
      t.outcome = "not_improved";
    }
  }
  if (known == 0) return "unknown";
  if (met == triggers.size()) return "met";
  if (met + improved > 0) return "improved";
  return "not_improved";
}

Result<EvaluationDecisions> list_decisions(store::Store& s, const User& u, std::optional<int> year,
                                           const std::string& cluster) {
  POLES_ASSIGN_OR_RETURN(auto stored, readable_decisions(s, u, year, cluster));
  EvaluationDecisions out;
  for (auto& [d, region] : stored) {
    if (d.answer) ++out.answered;
    if (d.overdue) ++out.overdue;
    ++out.follow_up[d.follow_up];
    out.items.push_back(std::move(d));
  }
  return out;
}

Result<EvaluationDecision> get_decision(store::Store& s, const User& u, int year,
                                        const std::string& cluster) {
  POLES_ASSIGN_OR_RETURN(auto stored, readable_decisions(s, u, year, cluster));
  if (stored.empty()) return no_decision(year, cluster);
  return std::move(stored.front().d);
}

Result<EvaluationDecision> record_decision(store::Store& s, const User& u, int year,
                                           const std::string& cluster,
                                           const EvaluationDecisionBody& b) {
  POLES_ASSIGN_OR_RETURN(auto region,
                         s.query("SELECT region FROM cluster WHERE id = ?", {cluster}));
  if (region.empty()) return Status::not_found(fmt::format("no cluster '{}'", cluster));
  if (!reaches(granted(u.role, kCapability, Op::kCreate), u, cluster, row_text(region[0][0])))
    return Status::permission_denied("the State records the decisions that follow an evaluation");
  POLES_ASSIGN_OR_RETURN(auto published, published_evaluation(s, year));
  if (!published)
    return Status::not_found(fmt::format(
        "the evaluation of {} is not published: a decision follows a published evaluation", year));
  const tj::Json* entry = entry_of(*published, cluster);
  if (entry == nullptr)
    return Status::not_found(
        fmt::format("cluster '{}' is not in the published evaluation of {}", cluster, year));
  if (auto errors = check_body(b, year); !errors.empty())
    return Status::bad_input(std::move(errors));
  EvaluationDecision d;
  d.year = year;
  d.cluster = cluster;
  d.proposed_level = entry->contains("action") ? entry->at("action").value("level", 0) : 0;
  d.level = b.level;
  d.text = validate::trimmed(b.text);
  d.deadline = b.deadline;
  d.owner = validate::trimmed(b.owner);
  for (const auto& doc : documents_of(b))
    d.documents.push_back({validate::trimmed(doc.title), doc.url});
  d.triggers = triggers_of(*entry);
  d.decided_by = u.name;
  d.decided_at = utc_timestamp_millis();
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_ASSIGN_OR_RETURN(
      auto before,
      tx->query(fmt::format("SELECT {} FROM evaluation_decision d JOIN cluster c ON c.id = "
                            "d.cluster_id WHERE d.year = ? AND d.cluster_id = ?",
                            kDecisionColumns),
                {static_cast<int64_t>(year), cluster}));
  std::string before_json;
  if (before.empty()) {
    // Two first decisions at once: the second finds the key taken.
    const Status inserted = tx->execute(
        "INSERT INTO evaluation_decision (year, cluster_id, proposed_level, level, text, deadline, "
        "owner, documents, triggers, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)",
        {static_cast<int64_t>(year), cluster, static_cast<int64_t>(d.proposed_level),
         static_cast<int64_t>(d.level), d.text, d.deadline, d.owner,
         tj::to_json(d.documents).dump(), tj::to_json(d.triggers).dump(), d.decided_by,
         d.decided_at});
    if (inserted.code() == ErrorCode::kConflict) return changed_meanwhile(year, cluster);
    POLES_RETURN_IF_ERROR(inserted);
  } else {
    // A replaced decision keeps its triggers (what the evaluation said when it was first
    // decided) and the cluster's answer.
    const auto old = decision_from_row(before[0]).d;
    before_json = stored_json(old);
    d.answer = old.answer;
    POLES_RETURN_IF_ERROR(tx->execute(
        "UPDATE evaluation_decision SET level = ?, text = ?, deadline = ?, owner = ?, documents "
        "= ?, decided_by = ?, decided_at = ? WHERE year = ? AND cluster_id = ?",
        {static_cast<int64_t>(d.level), d.text, d.deadline, d.owner,
         tj::to_json(d.documents).dump(), d.decided_by, d.decided_at, static_cast<int64_t>(year),
         cluster}));
    if (tx->changes() == 0) return changed_meanwhile(year, cluster);
  }
  POLES_RETURN_IF_ERROR(
      tx->append_audit(audit_entry(u, before.empty() ? "decide" : "redecide", year, cluster,
                                   before_json, stored_json(d), d.decided_at)));
  POLES_RETURN_IF_ERROR(tx->commit());
  return get_decision(s, u, year, cluster);
}

Status withdraw_decision(store::Store& s, const User& u, int year, const std::string& cluster) {
  POLES_ASSIGN_OR_RETURN(auto stored, readable_decisions(s, u, year, cluster));
  if (stored.empty()) return no_decision(year, cluster);
  const auto& d = stored.front().d;
  if (!d.may_decide)
    return Status::permission_denied("the State records the decisions that follow an evaluation");
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(
      tx->execute("DELETE FROM evaluation_decision WHERE year = ? AND cluster_id = ?",
                  {static_cast<int64_t>(year), cluster}));
  if (tx->changes() == 0) return no_decision(year, cluster);
  POLES_RETURN_IF_ERROR(tx->append_audit(
      audit_entry(u, "withdraw", year, cluster, stored_json(d), "", utc_timestamp())));
  return tx->commit();
}

Result<EvaluationDecision> answer_decision(store::Store& s, const User& u, int year,
                                           const std::string& cluster,
                                           const EvaluationDecisionAnswer& b) {
  POLES_ASSIGN_OR_RETURN(auto stored, readable_decisions(s, u, year, cluster));
  if (stored.empty()) return no_decision(year, cluster);
  const auto& d = stored.front().d;
  if (!d.may_answer)
    return Status::permission_denied("the cluster's manager answers the State's decision");
  const std::string answer = validate::trimmed(b.answer);
  if (answer.empty())
    return Status::bad_input({{"request", 0, 0, "answer", "", "the answer is required"}});
  if (answer.size() > kMaxDecisionText || !validate::plain_text(answer, true))
    return Status::bad_input({{"request", 0, 0, "answer", validate::truncate_utf8(answer, 80),
                               "plain text of at most 4,000 bytes, without HTML tags"}});
  const std::string at = utc_timestamp();
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  // The decision the manager read: not one withdrawn and recorded again meanwhile.
  POLES_RETURN_IF_ERROR(tx->execute(
      "UPDATE evaluation_decision SET answer = ?, answered_by = ?, answered_at = ? WHERE year = "
      "? AND cluster_id = ? AND decided_at = ?",
      {answer, u.name, at, static_cast<int64_t>(year), cluster, d.decided_at}));
  if (tx->changes() == 0) return changed_meanwhile(year, cluster);
  const auto answer_json = [](const tj::Omittable<std::string>& a) {
    return a ? tj::Json{{"answer", *a}}.dump() : std::string();
  };
  POLES_RETURN_IF_ERROR(tx->append_audit(
      audit_entry(u, "answer", year, cluster, answer_json(d.answer), answer_json(answer), at)));
  POLES_RETURN_IF_ERROR(tx->commit());
  return get_decision(s, u, year, cluster);
}

Result<std::map<std::string, EvaluationDecision>> decisions_before(store::Store& s, int year,
                                                                   const tj::Json& evaluation) {
  POLES_ASSIGN_OR_RETURN(const auto years, published_years(s));
  POLES_ASSIGN_OR_RETURN(
      auto rows, s.query(fmt::format("SELECT {} FROM evaluation_decision d JOIN cluster c ON c.id "
                                     "= d.cluster_id WHERE d.year < ? ORDER BY d.year",
                                     kDecisionColumns),
                         {static_cast<int64_t>(year)}));
  std::map<std::string, EvaluationDecision> out;
  for (const auto& r : rows) {
    auto d = decision_from_row(r).d;
    // Only a decision whose next evaluation is this year's: one followed up in a published
    // year between them has had its follow-up there.
    const auto next = std::upper_bound(years.begin(), years.end(), d.year);
    if (next != years.end() && *next < year) continue;
    d.followed_up_in = year;
    d.follow_up = follow_up(d.triggers, entry_of(evaluation, d.cluster));
    out[d.cluster] = std::move(d);  // a later year replaces an earlier one
  }
  return out;
}

}  // namespace poles::app
