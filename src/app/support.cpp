#include "app/support.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>

#include "app/access.h"
#include "core/date.h"
#include "core/validate.h"

namespace poles::app {
namespace {

constexpr std::string_view kSupportColumns =
    "id, status, created_at, name, siren, email, need, theme, region, cluster_id, (SELECT c.name "
    "FROM cluster c WHERE c.id = support_request.cluster_id), taken_at, answered_at, closed_at, "
    "answer, handled_by, delete_after";

std::optional<std::string> optional_of(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::nullopt;
}

// Hours since 1970 of "YYYY-MM-DDTHH:MM:SS[.mmm]Z" (nullopt when not that).
std::optional<double> support_hours_of(std::string_view at) {
  const auto d = Date::parse(at.substr(0, std::min<size_t>(at.size(), 10)));
  if (!d || at.size() < 19) return std::nullopt;
  const auto num = [&](size_t from) {
    int v = 0;
    std::from_chars(at.data() + from, at.data() + from + 2, v);
    return v;
  };
  return static_cast<double>(d->to_days()) * 24 + num(11) + num(14) / 60.0 + num(17) / 3600.0;
}

SupportRequest support_from_row(const Row& r) {
  SupportRequest q;
  q.id = row_text(r[0]);
  q.status = row_text(r[1]);
  q.created_at = row_text(r[2]);
  q.name = row_text(r[3]);
  q.siren = row_text(r[4]);
  q.email = row_text(r[5]);
  q.need = row_text(r[6]);
  q.theme = row_optional_text(r[7]);
  q.region = row_text(r[8]);
  q.cluster_id = row_optional_text(r[9]);
  q.cluster_name = row_optional_text(r[10]);
  q.taken_at = row_optional_text(r[11]);
  q.answered_at = row_optional_text(r[12]);
  q.closed_at = row_optional_text(r[13]);
  q.answer = row_optional_text(r[14]);
  q.handled_by = row_optional_text(r[15]);
  q.delete_after = row_text(r[16]);
  if (q.answered_at) {
    const auto from = support_hours_of(q.created_at), to = support_hours_of(*q.answered_at);
    if (from && to) q.hours_to_answer.emplace(*to - *from);
  }
  return q;
}

// An address a mailto: link cannot turn into something else: ASCII letters, digits and
// . _ + - ' in the local part, letters, digits, . and - in the domain (no ? & = % / that would
// add headers such as a hidden Bcc, no invisible or bidirectional character).
bool support_email_ok(std::string_view e) {
  const auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos)
    return false;
  const auto local = e.substr(0, at), domain = e.substr(at + 1);
  const auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  const auto alnum = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) != 0; };
  return std::all_of(local.begin(), local.end(),
                     [&](char ch) {
                       return alnum(ch) || ch == '.' || ch == '_' || ch == '+' || ch == '-' ||
                              ch == '\'';
                     }) &&
         std::all_of(domain.begin(), domain.end(),
                     [&](char ch) { return alnum(ch) || ch == '.' || ch == '-'; });
}

std::string form_mac_hex(const ServerKeys& k, std::string_view message) {
  unsigned char out[16];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), k.form.data(), k.form.size());
  std::string hex(sizeof out * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), out, sizeof out);
  hex.pop_back();
  return hex;
}

// The clusters labelled in the latest phase (every cluster when no label history is kept).
constexpr std::string_view kCurrentClustersSql =
    "SELECT id, name, region, scale, themes FROM cluster WHERE NOT EXISTS (SELECT 1 FROM "
    "cluster_label) OR id IN (SELECT cluster_id FROM cluster_label WHERE phase = (SELECT "
    "max(phase) FROM cluster_label))";

// The cluster a request goes to: the one chosen, else the best of region (2) and theme (3), a
// national cluster of the theme counting for its theme (the region is not its territory); ties
// by name. None fits: no cluster (the State routes it).
std::optional<std::pair<std::string, std::string>> route_support(const std::vector<Row>& clusters,
                                                                 const SupportForm& f) {
  int best = 0;
  std::optional<std::pair<std::string, std::string>> out;
  for (const auto& c : clusters) {
    const std::string id = row_text(c[0]), name = row_text(c[1]);
    if (!f.cluster.empty()) {
      if (id == f.cluster) return std::pair(id, name);
      continue;
    }
    int score = row_text(c[2]) == f.region ? 2 : 0;
    if (!f.theme.empty()) {
      const std::string themes = "|" + row_text(c[4]) + "|";
      if (themes.find("|" + f.theme + "|") != std::string::npos) score += 3;
    }
    if (score > best || (score == best && score > 0 && out && name < out->second)) {
      best = score;
      out = std::pair(id, name);
    }
  }
  return best > 0 ? out : std::nullopt;
}

Result<bool> may_read_support(const QueryFn& q, const User& u, const SupportRequest& r) {
  if (u.role == Role::kAdmin || u.role == Role::kState) return true;
  if (!r.cluster_id) return false;
  if (u.role == Role::kClusterManager) return *r.cluster_id == u.scope;
  if (u.role != Role::kRegion) return false;
  POLES_ASSIGN_OR_RETURN(auto rows, q("SELECT region FROM cluster WHERE id = ?", {*r.cluster_id}));
  return !rows.empty() && row_text(rows[0][0]) == u.scope;
}

bool may_update_support(const User& u, const SupportRequest& r) {
  if (u.role == Role::kAdmin || u.role == Role::kState) return true;
  return u.role == Role::kClusterManager && r.cluster_id && *r.cluster_id == u.scope;
}

Status support_not_found(const std::string& id) {
  return Status::not_found(fmt::format("no support request '{}'", id));
}

Result<SupportRequest> readable_support(const QueryFn& q, const User& u, const std::string& id) {
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      q(fmt::format("SELECT {} FROM support_request WHERE id = ?", kSupportColumns), {id}));
  if (rows.empty()) return support_not_found(id);
  auto r = support_from_row(rows[0]);
  if (r.delete_after < today_utc().to_string())
    return support_not_found(id);  // deleted, if not yet purged
  POLES_ASSIGN_OR_RETURN(bool ok, may_read_support(q, u, r));
  if (!ok) return support_not_found(id);
  r.may_update = may_update_support(u, r);
  return r;
}

// The statuses a request may move to from `from`.
bool support_move_allowed(std::string_view from, std::string_view to) {
  if (from == "received") return to == "taken" || to == "answered" || to == "closed";
  if (from == "taken") return to == "answered" || to == "closed";
  if (from == "answered") return to == "answered" || to == "closed";
  return false;
}

}  // namespace

std::string support_stamp(const ServerKeys& k, int64_t now, std::string_view client) {
  // A nonce: two forms read in the same second are two stamps (each sends one request).
  const std::string head = std::to_string(now) + "." + random_token().substr(0, 16);
  return head + "." + form_mac_hex(k, head + "|" + std::string(client));
}

bool support_stamp_ok(const ServerKeys& k, std::string_view stamp, int64_t now,
                      std::string_view client) {
  const auto dot = stamp.find('.');
  const auto second = dot == std::string_view::npos ? dot : stamp.find('.', dot + 1);
  if (dot == std::string_view::npos || dot == 0 || dot > 20 || second != dot + 17) return false;
  int64_t t = 0;
  const auto [end, ec] = std::from_chars(stamp.data(), stamp.data() + dot, t);
  if (ec != std::errc{} || end != stamp.data() + dot) return false;
  const std::string expected =
      form_mac_hex(k, std::string(stamp.substr(0, second)) + "|" + std::string(client));
  const auto given = stamp.substr(second + 1);
  if (given.size() != expected.size() ||
      sodium_memcmp(given.data(), expected.data(), expected.size()) != 0)
    return false;
  return now - t >= kSupportMinSeconds && now - t <= kSupportMaxSeconds;
}

bool StampLedger::first_use(const std::string& stamp, int64_t now) {
  std::lock_guard lock(mu_);
  if (used_.size() >= capacity_)
    std::erase_if(used_, [now](const auto& e) { return now - e.second > kSupportMaxSeconds; });
  if (used_.size() >= capacity_) return false;
  return used_.emplace(stamp, now).second;
}

Result<SupportCheck> check_support(store::Store& s, const SupportForm& given, int64_t now) {
  SupportCheck out;
  SupportForm& f = out.form;
  f = given;
  for (auto* v : {&f.name, &f.siren, &f.email, &f.need, &f.region, &f.theme, &f.cluster})
    *v = validate::trimmed(*v);
  std::erase(f.siren, ' ');
  POLES_ASSIGN_OR_RETURN(auto clusters, s.query(std::string(kCurrentClustersSql), {}));
  // A robot (the honeypot filled) is answered as if received, with where it would have gone.
  if (!f.website.empty()) {
    out.robot = true;
    out.cluster = route_support(clusters, f);
    return out;
  }
  POLES_ASSIGN_OR_RETURN(const ServerKeys keys, server_keys(s));
  const auto error = [&out](std::string field, std::string fr, std::string en) {
    out.errors.push_back({std::move(field), std::move(fr), std::move(en)});
  };
  if (!support_stamp_ok(keys, f.stamp, now, f.client))
    error("stamp",
          "Le formulaire a expiré ou a été envoyé trop vite : relisez-le et envoyez-le à nouveau.",
          "The form expired or was sent too quickly: read it again and send it again.");
  if (f.name.empty() || f.name.size() > kSupportMaxName || !validate::plain_text(f.name, false))
    error("name", "Indiquez votre nom (200 caractères au plus, texte simple).",
          "Give your name (200 characters at most, plain text).");
  if (validate::siren(f.siren))
    error("siren",
          "Le SIREN est le numéro à 9 chiffres de votre entreprise (clé de Luhn) : celui-ci "
          "n'en est pas un.",
          "The SIREN is your firm's 9-digit number (Luhn check digit): this is not one.");
  if (f.email.size() > kSupportMaxEmail || !support_email_ok(f.email))
    error("email", "Indiquez une adresse électronique valide, comme nom@entreprise.fr.",
          "Give a valid e-mail address, such as name@firm.fr.");
  if (f.need.size() < 20 || f.need.size() > kSupportMaxNeed || !validate::plain_text(f.need, true))
    error("need",
          "Décrivez votre besoin en texte simple, de 20 à 4 000 caractères (sans balise HTML).",
          "Describe your need in plain text, 20 to 4,000 characters (no HTML tag).");
  if (validate::region(f.region))
    error("region", "Choisissez la région de votre entreprise.", "Choose your firm's region.");
  if (f.theme.size() > 100 || !validate::plain_text(f.theme, false))
    error("theme", "Choisissez un thème de la liste.", "Choose a theme of the list.");
  if (!f.cluster.empty() && std::none_of(clusters.begin(), clusters.end(),
                                         [&](const Row& c) { return row_text(c[0]) == f.cluster; }))
    error("cluster", "Ce pôle n'est pas labellisé aujourd'hui : choisissez-en un autre.",
          "This cluster is not labelled today: choose another one.");
  if (out.errors.empty()) out.cluster = route_support(clusters, f);
  return out;
}

Result<SupportSubmission> store_support(store::Store& s, const SupportCheck& checked) {
  const SupportForm& f = checked.form;
  POLES_RETURN_IF_ERROR(purge_support(s).status());
  SupportSubmission out;
  out.id = "sup-" + random_token().substr(0, 20);
  out.tracking = random_token();
  const std::string delete_after =
      Date::from_days(today_utc().to_days() + kSupportKeepDays).to_string();
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute(
      "INSERT INTO support_request (id, tracking_hash, created_at, name, siren, email, need, "
      "theme, region, cluster_id, status, delete_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "'received', ?)",
      {out.id, token_hash(out.tracking), utc_timestamp_millis(), f.name, f.siren, f.email, f.need,
       f.theme.empty() ? Value() : Value(f.theme), f.region,
       checked.cluster ? Value(checked.cluster->first) : Value(), delete_after}));
  POLES_RETURN_IF_ERROR(tx->commit());
  return out;
}

Result<SupportRequests> list_support(store::Store& s, const User& u, const std::string& status) {
  if (!status.empty() &&
      std::find(kSupportStatuses.begin(), kSupportStatuses.end(), status) == kSupportStatuses.end())
    return Status::invalid_argument(fmt::format(
        "status '{}': received, taken, answered or closed (or none for every status)", status));
  POLES_RETURN_IF_ERROR(purge_support(s).status());
  std::string sql = fmt::format("SELECT {} FROM support_request", kSupportColumns);
  std::vector<Value> params;
  if (u.role == Role::kClusterManager) {
    sql += " WHERE cluster_id = ?";
    params.push_back(u.scope);
  } else if (u.role == Role::kRegion) {
    sql += " WHERE cluster_id IN (SELECT id FROM cluster WHERE region = ?)";
    params.push_back(u.scope);
  } else if (u.role != Role::kAdmin && u.role != Role::kState) {
    return Status::permission_denied("support requests are read by the clusters they go to");
  }
  sql += " ORDER BY created_at DESC, id";
  POLES_ASSIGN_OR_RETURN(auto rows, s.query(sql, params));
  SupportRequests out;
  std::vector<double> hours;
  for (const auto& row : rows) {
    auto r = support_from_row(row);
    r.may_update = may_update_support(u, r);
    if (r.status == "received") ++out.received;
    if (r.status == "taken") ++out.taken;
    if (r.status == "answered") ++out.answered;
    if (r.status == "closed") ++out.closed;
    if (r.hours_to_answer) hours.push_back(*r.hours_to_answer);
    if (status.empty() || r.status == status) out.items.push_back(std::move(r));
  }
  if (!hours.empty()) {
    std::sort(hours.begin(), hours.end());
    const size_t n = hours.size();
    out.median_hours_to_answer.emplace(n % 2 ? hours[n / 2]
                                             : (hours[n / 2 - 1] + hours[n / 2]) / 2);
  }
  return out;
}

Result<SupportRequest> get_support(store::Store& s, const User& u, const std::string& id) {
  return readable_support(query_on(s), u, id);
}

Result<SupportRequest> update_support(store::Store& s, const User& u, const std::string& id,
                                      const SupportUpdateBody& b) {
  POLES_ASSIGN_OR_RETURN(auto r, readable_support(query_on(s), u, id));
  if (!r.may_update)
    return Status::permission_denied(
        "a region reads its clusters' support requests; the cluster's manager answers them");
  if (!support_move_allowed(r.status, b.status))
    return Status::conflict(
        fmt::format("a {} request cannot become {} (received → taken → "
                    "answered → closed; closed is final)",
                    r.status, b.status));
  if (b.status == "answered" && (!b.answer || validate::trimmed(*b.answer).empty()))
    return Status::invalid_argument("answering needs the answer: answer");
  if (b.answer && (b.answer->size() > kSupportMaxNeed || !validate::plain_text(*b.answer, true)))
    return Status::invalid_argument("answer: plain text of at most 4,000 bytes, without HTML tags");
  std::string cluster = r.cluster_id ? *r.cluster_id : std::string();
  if (b.cluster_id) {
    if (u.role != Role::kAdmin && u.role != Role::kState)
      return Status::permission_denied("only the State routes a request to another cluster");
    POLES_ASSIGN_OR_RETURN(auto rows,
                           s.query("SELECT id FROM cluster WHERE id = ?", {*b.cluster_id}));
    if (rows.empty())
      return Status::invalid_argument(fmt::format("cluster_id: no cluster '{}'", *b.cluster_id));
    cluster = *b.cluster_id;
  }
  const std::string at = utc_timestamp_millis();
  const char* stamp_column = b.status == "taken"      ? "taken_at"
                             : b.status == "answered" ? "answered_at"
                                                      : "closed_at";
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute(
      fmt::format("UPDATE support_request SET status = ?, {} = ?, answer = coalesce(?, answer), "
                  "handled_by = ?, cluster_id = ? WHERE id = ? AND status = ? AND "
                  "coalesce(cluster_id, '') = ?",
                  stamp_column),
      {b.status, at, b.answer ? Value(validate::trimmed(*b.answer)) : Value(), u.name,
       cluster.empty() ? Value() : Value(cluster), id, r.status,
       r.cluster_id ? *r.cluster_id : std::string()}));
  if (tx->changes() == 0)
    return Status::conflict(fmt::format("the support request '{}' changed meanwhile", id));
  // The audit says who did what, not the firm's personal data.
  store::AuditEntry a;
  a.at = at;
  a.actor = u.name;
  a.action = b.status;
  a.entity = "support_request";
  a.key = id;
  a.before = tj::Json{{"status", r.status}}.dump();
  a.after = tj::Json{{"status", b.status}, {"cluster_id", cluster}}.dump();
  POLES_RETURN_IF_ERROR(tx->append_audit(a));
  POLES_RETURN_IF_ERROR(tx->commit());
  return readable_support(query_on(s), u, id);
}

Result<std::optional<SupportTracking>> track_support(store::Store& s, std::string_view tracking) {
  if (tracking.size() != 64) return std::optional<SupportTracking>();
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      s.query("SELECT status, created_at, taken_at, answered_at, closed_at, answer, cluster_id, "
              "(SELECT c.name FROM cluster c WHERE c.id = support_request.cluster_id), need, "
              "delete_after FROM support_request WHERE tracking_hash = ? AND delete_after >= ?",
              {token_hash(tracking), today_utc().to_string()}));
  if (rows.empty()) return std::optional<SupportTracking>();
  const auto& r = rows[0];
  SupportTracking t;
  t.status = row_text(r[0]);
  t.created_at = row_text(r[1]);
  t.taken_at = optional_of(r[2]);
  t.answered_at = optional_of(r[3]);
  t.closed_at = optional_of(r[4]);
  t.answer = optional_of(r[5]);
  t.cluster_id = optional_of(r[6]);
  t.cluster_name = optional_of(r[7]);
  t.need = row_text(r[8]);
  t.delete_after = row_text(r[9]);
  return std::optional(std::move(t));
}

Result<bool> erase_support(store::Store& s, std::string_view tracking) {
  if (tracking.size() != 64) return false;
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(
      tx->execute("DELETE FROM support_request WHERE tracking_hash = ?", {token_hash(tracking)}));
  const bool deleted = tx->changes() > 0;
  POLES_RETURN_IF_ERROR(tx->commit());
  return deleted;
}

Result<size_t> purge_support(store::Store& s) {
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(
      tx->execute("DELETE FROM support_request WHERE delete_after < ?", {today_utc().to_string()}));
  const size_t n = tx->changes();
  POLES_RETURN_IF_ERROR(tx->commit());
  return n;
}

}  // namespace poles::app
