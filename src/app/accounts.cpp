#include "app/accounts.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <zxcvbn.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <set>
#include <stdexcept>

#include "core/codes.h"
#include "core/date.h"
#include "core/schema.h"
#include "core/validate.h"

namespace poles::app {

namespace {

void ensure_sodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium could not be initialised");
}

std::string to_hex(const unsigned char* data, size_t n) {
  std::vector<char> buf(n * 2 + 1);
  sodium_bin2hex(buf.data(), buf.size(), data, n);
  return std::string(buf.data(), n * 2);
}

std::string hash_password(const std::string& password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

std::string iso_at(std::chrono::system_clock::time_point t) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(t)));
}

std::string iso_after_hours(int hours) {
  return iso_at(std::chrono::system_clock::now() + std::chrono::hours(hours));
}

// A token's last use is written at most this often (a bearer request is otherwise a read).
constexpr auto kLastUseGranularity = std::chrono::minutes(5);

std::string text_of(const Value& v) {
  return is_null(v) ? std::string() : std::get<std::string>(v);
}
std::optional<std::string> opt_text(const Value& v) {
  if (is_null(v)) return std::nullopt;
  return std::get<std::string>(v);
}

Status audit(store::Transaction& tx, const std::string& actor, const std::string& action,
             const std::string& key, const std::string& after) {
  store::AuditEntry a;
  a.at = utc_timestamp();
  a.actor = actor;
  a.action = action;
  a.entity = "user";
  a.key = key;
  a.after = after;
  return tx.append_audit(a);
}

User user_from(const Row& r) {
  User u;
  u.name = std::get<std::string>(r[0]);
  u.role = parse_role(std::get<std::string>(r[1])).value_or(Role::kMember);
  u.scope = is_null(r[2]) ? std::string() : std::get<std::string>(r[2]);
  u.disabled = std::get<int64_t>(r[3]) != 0;
  u.language = is_null(r[4]) ? std::string() : std::get<std::string>(r[4]);
  return u;
}

}  // namespace

std::optional<Role> parse_role(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return std::nullopt;
}
std::string_view role_name(Role r) { return kRoleNames[static_cast<size_t>(r)]; }
std::string_view scope_kind(Role r) {
  switch (r) {
    case Role::kRegion:
      return "region";
    case Role::kClusterManager:
      return "cluster";
    case Role::kReviewer:
      return "reviewer";
    case Role::kMember:
      return "organisation";
    default:
      return "";
  }
}

namespace {

// Characters (code points) of UTF-8 text.
size_t utf8_chars(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// "10^7" for a number of guesses from bits of entropy.
std::string guesses(double bits) {
  return fmt::format("10^{}", static_cast<int>(std::floor(bits * std::log10(2.0))));
}

// French passwords among the most common in published leaks, which zxcvbn's English
// dictionary lacks (it knows azerty, soleil, …), most common first.
constexpr std::array<std::string_view, 40> kCommonFrench = {
    "motdepasse", "azertyuiop", "doudou",    "loulou",    "marseille", "chouchou", "jetaime",
    "bonjour",    "coucou",     "soleil",    "camille",   "nicolas",   "celine",   "chocolat",
    "louloute",   "toulouse",   "caramel",   "princesse", "amandine",  "isabelle", "vacances",
    "bisounours", "doudoune",   "motdepass", "mdp",       "nounours",  "cheval",   "papillon",
    "dauphin",    "maison",     "poulette",  "garfield",  "olympique", "psg",      "lyon",
    "bordeaux",   "paris",      "france",    "bretagne",  "tintin"};

// Why zxcvbn found the password guessable, one reason per kind of pattern, in the order of the
// pattern's first appearance.
struct Pattern {
  const char* code;
  const char* fr;
  const char* en;
};
const Pattern* pattern_of(int type) {
  static const Pattern kCommon{"password.common", "un mot de passe ou un mot courant",
                               "a common password or word"};
  static const Pattern kPersonal{"password.personal",
                                 "votre nom, votre périmètre ou le nom de la plateforme",
                                 "your name, your scope or the platform's name"};
  static const Pattern kRepeat{"password.repeat", "des répétitions (aaa, abcabc)",
                               "repetitions (aaa, abcabc)"};
  static const Pattern kSequence{"password.sequence", "une suite (abcd, 1234)",
                                 "a sequence (abcd, 1234)"};
  static const Pattern kKeyboard{"password.keyboard", "une suite de touches du clavier (azerty)",
                                 "a run of keyboard keys (qwerty)"};
  static const Pattern kDate{"password.date", "une date ou une année", "a date or a year"};
  switch (type & ~MULTIPLE_MATCH) {
    case DICTIONARY_MATCH:
    case DICT_LEET_MATCH:
      return &kCommon;
    case USER_MATCH:
    case USER_LEET_MATCH:
      return &kPersonal;
    case REPEATS_MATCH:
      return &kRepeat;
    case SEQUENCE_MATCH:
      return &kSequence;
    case SPATIAL_MATCH:
      return &kKeyboard;
    case DATE_MATCH:
    case YEAR_MATCH:
      return &kDate;
    default:
      return nullptr;
  }
}

}  // namespace

Lang lang_from_accept_language(std::string_view header) {
  // The language ranges with their q-values; the best of fr and en wins, English by default.
  double best_q = -1;
  Lang best = Lang::kEn;
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    pos = end + 1;
    double q = 1;
    if (const size_t semi = item.find(';'); semi != std::string_view::npos) {
      const std::string_view params = item.substr(semi + 1);
      item = item.substr(0, semi);
      if (const size_t qp = params.find("q="); qp != std::string_view::npos) {
        try {
          q = std::stod(std::string(params.substr(qp + 2)));
        } catch (const std::exception&) {
          q = 0;
        }
      }
    }
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    const std::string_view primary = item.substr(0, item.find('-'));
    std::optional<Lang> l;
    if (primary.size() == 2 && (primary[0] | 0x20) == 'f' && (primary[1] | 0x20) == 'r')
      l = Lang::kFr;
    if (primary.size() == 2 && (primary[0] | 0x20) == 'e' && (primary[1] | 0x20) == 'n')
      l = Lang::kEn;
    if (l && q > 0 && q > best_q) {
      best_q = q;
      best = *l;
    }
  }
  return best;
}

Lang lang_from_locale(std::string_view locale) {
  return locale.starts_with("fr") ? Lang::kFr : Lang::kEn;
}

Status refused(const std::vector<Refusal>& refusals, Lang lang) {
  std::vector<FieldError> errors;
  errors.reserve(refusals.size());
  for (const auto& r : refusals)
    errors.push_back(FieldError{"request", 0, 0, r.field, r.value, r.text(lang)});
  return Status::bad_input(std::move(errors));
}

std::vector<Refusal> check_password(const std::string& password,
                                    std::span<const std::string> personal,
                                    const std::string& field) {
  std::vector<Refusal> out;
  const size_t chars = utf8_chars(password);
  if (chars < kMinPasswordChars) {
    out.push_back({field, "", "password.too_short",
                   fmt::format("le mot de passe doit avoir au moins {} caractères ({} ici)",
                               kMinPasswordChars, chars),
                   fmt::format("the password must have at least {} characters ({} here)",
                               kMinPasswordChars, chars)});
    return out;
  }
  if (password.size() > kMaxPasswordBytes) {
    out.push_back({field, "", "password.too_long",
                   fmt::format("le mot de passe doit avoir au plus {} octets", kMaxPasswordBytes),
                   fmt::format("the password must have at most {} bytes", kMaxPasswordBytes)});
    return out;
  }
  if (password.find('\0') != std::string::npos) {
    out.push_back({field, "", "password.invalid", "le mot de passe contient un caractère nul",
                   "the password contains a NUL character"});
    return out;
  }
  // The words zxcvbn is given besides its (English) dictionary: French passwords among the most
  // common, then the platform's name, then the user's name and its parts and the scope.
  std::vector<std::string> words(kCommonFrench.begin(), kCommonFrench.end());
  for (const char* w : {"poles", "pôles", "pole", "pôle", "competitivite", "compétitivité"})
    words.emplace_back(w);
  for (const auto& p : personal) {
    if (p.empty()) continue;
    words.push_back(p);
    size_t start = 0;
    for (size_t i = 0; i <= p.size(); ++i) {
      if (i == p.size() || p[i] == '.' || p[i] == '-' || p[i] == '_' || p[i] == ' ') {
        if (i - start >= 3 && i - start < p.size()) words.push_back(p.substr(start, i - start));
        start = i + 1;
      }
    }
  }
  std::vector<const char*> dict;
  dict.reserve(words.size() + 1);
  for (const auto& w : words) dict.push_back(w.c_str());
  dict.push_back(nullptr);
  ZxcMatch_t* info = nullptr;
  const double bits = ZxcvbnMatch(password.c_str(), dict.data(), &info);
  std::vector<const Pattern*> found;
  for (const ZxcMatch_t* m = info; m != nullptr; m = m->Next) {
    const Pattern* p = pattern_of(m->Type);
    if (p != nullptr && std::string_view(p->code) == "password.personal") {
      // A match of the French list is a common password, not a personal word.
      std::string part =
          password.substr(static_cast<size_t>(m->Begin), static_cast<size_t>(m->Length));
      std::transform(part.begin(), part.end(), part.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (std::find(kCommonFrench.begin(), kCommonFrench.end(), part) != kCommonFrench.end())
        p = pattern_of(DICTIONARY_MATCH);
    }
    if (p != nullptr && std::find(found.begin(), found.end(), p) == found.end()) found.push_back(p);
    // A part repeated (abcabc, aaaa) is a repetition too.
    if ((m->Type & MULTIPLE_MATCH) != 0) {
      const Pattern* r = pattern_of(REPEATS_MATCH);
      if (std::find(found.begin(), found.end(), r) == found.end()) found.push_back(r);
    }
  }
  ZxcvbnFreeInfo(info);
  if (bits >= kMinPasswordBits) return out;
  std::string fr = fmt::format(
      "le mot de passe est trop facile à deviner (environ {} essais suffisent, il en faut au "
      "moins 10^10)",
      guesses(bits));
  std::string en = fmt::format(
      "the password is too easy to guess (about {} guesses find it, at least 10^10 are needed)",
      guesses(bits));
  std::string code = "password.weak";
  if (!found.empty()) {
    code = found.front()->code;
    fr += " : il contient ";
    en += ": it contains ";
    for (size_t i = 0; i < found.size(); ++i) {
      const char* sep = i == 0 ? "" : (i + 1 == found.size() ? " et " : ", ");
      const char* sep_en = i == 0 ? "" : (i + 1 == found.size() ? " and " : ", ");
      fr += sep;
      fr += found[i]->fr;
      en += sep_en;
      en += found[i]->en;
    }
  }
  fr += ". Une phrase de passe de quatre mots sans lien entre eux, ou plus long, convient.";
  en += ". A passphrase of four unrelated words, or a longer password, will do.";
  out.push_back({field, "", code, std::move(fr), std::move(en)});
  return out;
}

Result<std::vector<Refusal>> check_scope(store::Store& s, Role role, const std::string& scope) {
  std::vector<Refusal> out;
  const auto kind = scope_kind(role);
  if (!kind.empty() && scope.empty()) {
    out.push_back({"scope", "", "scope.missing",
                   fmt::format("le rôle {} a besoin d'un périmètre ({})", role_name(role), kind),
                   fmt::format("the role {} needs a scope ({})", role_name(role), kind)});
    return out;
  }
  if (kind.empty()) {
    if (!scope.empty()) {
      out.push_back({"scope", scope, "scope.unexpected",
                     fmt::format("le rôle {} ne prend pas de périmètre", role_name(role)),
                     fmt::format("the role {} takes no scope", role_name(role))});
    }
    return out;
  }
  bool exists = false;
  std::string fr_what;
  if (role == Role::kRegion) {
    exists = codes::find_region(scope) != nullptr;
    fr_what = fmt::format("aucune région n'a le code INSEE « {} »", scope);
  } else {
    const char* entity = role == Role::kClusterManager ? "cluster"
                         : role == Role::kReviewer     ? "reviewer"
                                                       : "organisation";
    fr_what = role == Role::kClusterManager ? fmt::format("aucun pôle « {} » n'existe", scope)
              : role == Role::kReviewer     ? fmt::format("aucun expert « {} » n'existe", scope)
                                        : fmt::format("aucune organisation « {} » n'existe", scope);
    const schema::Entity* e = schema::find_entity(entity);
    if (e == nullptr) return Status::internal(fmt::format("no entity {}", entity));
    POLES_ASSIGN_OR_RETURN(auto row, s.get(*e, Row{Value(scope)}));
    exists = row.has_value();
  }
  if (!exists) {
    out.push_back(
        {"scope", scope, "scope.unknown",
         fmt::format("{} : le périmètre du rôle {} doit désigner un(e) {} existant(e)", fr_what,
                     role_name(role), role == Role::kRegion ? "région" : std::string(kind)),
         fmt::format("no {} '{}' exists: the scope of the role {} must name an existing {}",
                     kind == "region" ? "region of INSEE code" : kind, scope, role_name(role),
                     kind)});
  }
  return out;
}

std::string random_token() {
  ensure_sodium();
  unsigned char buf[32];
  randombytes_buf(buf, sizeof buf);
  return to_hex(buf, sizeof buf);
}

std::string token_hash(std::string_view token) {
  ensure_sodium();
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return to_hex(out, sizeof out);
}

namespace {

// The words of an account that its password must not be built from.
std::vector<std::string> personal_words(const std::string& name, const std::string& scope) {
  return {name, scope};
}

Status revoke_all(store::Transaction& tx, const std::string& name) {
  POLES_RETURN_IF_ERROR(tx.execute("DELETE FROM session WHERE user_name = ?", {name}));
  return tx.execute("DELETE FROM api_token WHERE user_name = ?", {name});
}

}  // namespace

Result<std::vector<Refusal>> Accounts::check_new_user(store::Store& s, const std::string& name,
                                                      const std::string& password, Role role,
                                                      const std::string& scope) {
  std::vector<Refusal> refusals;
  if (auto e = validate::slug(name)) {
    refusals.push_back({"name", name, "name.invalid",
                        fmt::format("nom de compte invalide : {}", *e),
                        fmt::format("invalid account name: {}", *e)});
  }
  for (auto& r : check_password(password, personal_words(name, scope)))
    refusals.push_back(std::move(r));
  POLES_ASSIGN_OR_RETURN(auto scope_refusals, check_scope(s, role, scope));
  for (auto& r : scope_refusals) refusals.push_back(std::move(r));
  return refusals;
}

Status Accounts::add_user(store::Store& s, const std::string& name, const std::string& password,
                          Role role, const std::string& scope, const std::string& actor,
                          Lang lang) {
  POLES_ASSIGN_OR_RETURN(auto refusals, check_new_user(s, name, password, role, scope));
  if (!refusals.empty()) return refused(refusals, lang);
  POLES_ASSIGN_OR_RETURN(auto existing, find_user(s, name));
  if (existing) return Status::conflict(fmt::format("user '{}' already exists", name));
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(
      tx->execute("INSERT INTO app_user (name, password_hash, role, scope, disabled, created_at) "
                  "VALUES (?, ?, ?, ?, 0, ?)",
                  {name, hash_password(password), std::string(role_name(role)),
                   scope.empty() ? Value() : Value(scope), utc_timestamp()}));
  POLES_RETURN_IF_ERROR(
      audit(*tx, actor, "user.add", name,
            fmt::format(R"({{"role":"{}","scope":"{}"}})", role_name(role), scope)));
  return tx->commit();
}

Status Accounts::set_role(store::Store& s, const std::string& name, Role role,
                          const std::string& scope, const std::string& actor, Lang lang) {
  POLES_ASSIGN_OR_RETURN(auto existing, find_user(s, name));
  if (!existing) return Status::not_found(fmt::format("no user '{}'", name));
  POLES_ASSIGN_OR_RETURN(auto refusals, check_scope(s, role, scope));
  if (!refusals.empty()) return refused(refusals, lang);
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(
      tx->execute("UPDATE app_user SET role = ?, scope = ? WHERE name = ?",
                  {std::string(role_name(role)), scope.empty() ? Value() : Value(scope), name}));
  POLES_RETURN_IF_ERROR(
      audit(*tx, actor, "user.set_role", name,
            fmt::format(R"({{"role":"{}","scope":"{}"}})", role_name(role), scope)));
  return tx->commit();
}

Result<std::vector<User>> Accounts::list_users(store::Store& s) {
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      s.query("SELECT name, role, scope, disabled, language FROM app_user ORDER BY name", {}));
  std::vector<User> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(user_from(r));
  return out;
}

Result<std::optional<User>> Accounts::find_user(store::Store& s, const std::string& name) {
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      s.query("SELECT name, role, scope, disabled, language FROM app_user WHERE name = ?", {name}));
  if (rows.empty()) return std::optional<User>();
  return std::optional<User>(user_from(rows[0]));
}

Status Accounts::set_language(store::Store& s, const std::string& name,
                              const std::string& language) {
  if (!language.empty() && language != "fr" && language != "en")
    return Status::bad_input({FieldError{"request", 0, 0, "language", language,
                                         "an account's language is fr, en or null"}});
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute("UPDATE app_user SET language = ? WHERE name = ?",
                                    {language.empty() ? Value() : Value(language), name}));
  return tx->commit();
}

Status Accounts::set_disabled(store::Store& s, const std::string& name, bool disabled,
                              const std::string& actor) {
  POLES_ASSIGN_OR_RETURN(auto existing, find_user(s, name));
  if (!existing) return Status::not_found(fmt::format("no user '{}'", name));
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute("UPDATE app_user SET disabled = ? WHERE name = ?",
                                    {int64_t{disabled ? 1 : 0}, name}));
  if (disabled) POLES_RETURN_IF_ERROR(revoke_all(*tx, name));
  POLES_RETURN_IF_ERROR(audit(*tx, actor, disabled ? "user.disable" : "user.enable", name, ""));
  return tx->commit();
}

Status Accounts::reset_password(store::Store& s, const std::string& name,
                                const std::string& password, const std::string& actor, Lang lang) {
  POLES_ASSIGN_OR_RETURN(auto existing, find_user(s, name));
  if (!existing) return Status::not_found(fmt::format("no user '{}'", name));
  if (auto r = check_password(password, personal_words(name, existing->scope)); !r.empty())
    return refused(r, lang);
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute("UPDATE app_user SET password_hash = ? WHERE name = ?",
                                    {hash_password(password), name}));
  // Whoever knew the old password may have made tokens with it: they go with it.
  POLES_RETURN_IF_ERROR(revoke_all(*tx, name));
  POLES_RETURN_IF_ERROR(audit(*tx, actor, "user.reset_password", name, ""));
  return tx->commit();
}

Status Accounts::change_password(store::Store& s, const Session& caller, const std::string& current,
                                 const std::string& next, Lang lang) {
  const std::string& name = caller.user.name;
  if (auto r = check_password(next, personal_words(name, caller.user.scope), "new_password");
      !r.empty())
    return refused(r, lang);
  auto ok = verify_password(s, name, current);
  if (!ok) return ok.error();
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute("UPDATE app_user SET password_hash = ? WHERE name = ?",
                                    {hash_password(next), name}));
  // Every other session and token ends; the credential of this request stays.
  POLES_RETURN_IF_ERROR(tx->execute("DELETE FROM session WHERE user_name = ? AND token_hash <> ?",
                                    {name, caller.session_hash}));
  POLES_RETURN_IF_ERROR(tx->execute("DELETE FROM api_token WHERE user_name = ? AND id <> ?",
                                    {name, caller.token_id}));
  POLES_RETURN_IF_ERROR(audit(*tx, name, "user.change_password", name, ""));
  return tx->commit();
}

Result<User> Accounts::verify_password(store::Store& s, const std::string& name,
                                       const std::string& password) {
  ensure_sodium();
  POLES_ASSIGN_OR_RETURN(auto rows, s.query("SELECT name, role, scope, disabled, language, "
                                            "password_hash FROM app_user WHERE name = ?",
                                            {name}));
  const Status denied = Status::unauthenticated("unknown user or wrong password");
  if (rows.empty()) {
    // Spend the same time as a real check, so timing does not tell which names exist.
    (void)hash_password(password);
    return denied;
  }
  const auto& hash = std::get<std::string>(rows[0][5]);
  if (crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) != 0) return denied;
  User u = user_from(rows[0]);
  if (u.disabled) return denied;
  return u;
}

Result<NewSession> Accounts::create_session(store::Store& s, const User& user) {
  NewSession out{random_token(), random_token()};
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(
      tx->execute("INSERT INTO session (token_hash, user_name, csrf, created_at, expires_at) "
                  "VALUES (?, ?, ?, ?, ?)",
                  {token_hash(out.token), user.name, out.csrf, utc_timestamp(),
                   iso_after_hours(kSessionHours)}));
  POLES_RETURN_IF_ERROR(audit(*tx, user.name, "login", user.name, ""));
  POLES_RETURN_IF_ERROR(tx->commit());
  return out;
}

Result<std::optional<Session>> Accounts::session(store::Store& s, const std::string& token) {
  const std::string hash = token_hash(token);
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      s.query("SELECT u.name, u.role, u.scope, u.disabled, u.language, s.csrf FROM session "
              "s JOIN app_user u ON u.name = s.user_name "
              "WHERE s.token_hash = ? AND s.expires_at > ?",
              {hash, utc_timestamp()}));
  if (rows.empty()) return std::optional<Session>();
  Session out{user_from(rows[0]), std::get<std::string>(rows[0][5]), "", hash};
  if (out.user.disabled) return std::optional<Session>();
  return std::optional<Session>(std::move(out));
}

Status Accounts::end_session(store::Store& s, const std::string& token) {
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(
      tx->execute("DELETE FROM session WHERE token_hash = ?", {token_hash(token)}));
  return tx->commit();
}

Result<std::string> Accounts::create_token(store::Store& s, const User& user,
                                           const std::string& label) {
  POLES_ASSIGN_OR_RETURN(auto issued, issue_token(s, user, label));
  return issued.token;
}

Result<IssuedToken> Accounts::issue_token(store::Store& s, const User& user,
                                          const std::string& label) {
  IssuedToken out{random_token().substr(0, 16), random_token()};
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_RETURN_IF_ERROR(tx->execute(
      "INSERT INTO api_token (token_hash, id, user_name, label, created_at) VALUES (?, ?, ?, ?, ?)",
      {token_hash(out.token), out.id, user.name, label, utc_timestamp_millis()}));
  POLES_RETURN_IF_ERROR(
      audit(*tx, user.name, "token.create", user.name, fmt::format(R"({{"id":"{}"}})", out.id)));
  POLES_RETURN_IF_ERROR(tx->commit());
  return out;
}

Result<std::optional<Session>> Accounts::token(store::Store& s, const std::string& token) {
  const std::string hash = token_hash(token);
  const auto now = std::chrono::system_clock::now();
  POLES_ASSIGN_OR_RETURN(
      auto rows, s.query("SELECT u.name, u.role, u.scope, u.disabled, u.language, t.id, "
                         "t.last_used_at FROM api_token t "
                         "JOIN app_user u ON u.name = t.user_name "
                         "WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)",
                         {hash, iso_at(now)}));
  if (rows.empty()) return std::optional<Session>();
  Session out{user_from(rows[0]), "", text_of(rows[0][5]), ""};
  if (out.user.disabled) return std::optional<Session>();
  // The last use, written only when the recorded one is older than the granularity, so that a
  // busy script does not turn every read into a write.
  const std::string last = text_of(rows[0][6]);
  if (last.empty() || last < iso_at(now - kLastUseGranularity)) {
    POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
    POLES_RETURN_IF_ERROR(tx->execute("UPDATE api_token SET last_used_at = ? WHERE token_hash = ?",
                                      {iso_at(now), hash}));
    POLES_RETURN_IF_ERROR(tx->commit());
  }
  return std::optional<Session>(std::move(out));
}

Result<std::vector<TokenInfo>> Accounts::list_tokens(store::Store& s, const std::string& name) {
  POLES_ASSIGN_OR_RETURN(auto user, find_user(s, name));
  if (!user) return Status::not_found(fmt::format("no user '{}'", name));
  POLES_ASSIGN_OR_RETURN(
      auto rows, s.query("SELECT id, label, created_at, last_used_at, expires_at FROM api_token "
                         "WHERE user_name = ? ORDER BY created_at DESC, label, id",
                         {name}));
  std::vector<TokenInfo> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back({text_of(r[0]), text_of(r[1]), text_of(r[2]), opt_text(r[3]), opt_text(r[4])});
  }
  return out;
}

Status Accounts::revoke_token(store::Store& s, const std::string& name, const std::string& id,
                              const std::string& actor) {
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT id FROM api_token WHERE user_name = ? AND id = ?", {name, id}));
  if (rows.empty()) return Status::not_found(fmt::format("user '{}' has no token '{}'", name, id));
  POLES_RETURN_IF_ERROR(
      tx->execute("DELETE FROM api_token WHERE user_name = ? AND id = ?", {name, id}));
  POLES_RETURN_IF_ERROR(
      audit(*tx, actor, "token.revoke", name, fmt::format(R"({{"id":"{}"}})", id)));
  return tx->commit();
}

// --- LoginThrottle ---------------------------------------------------------------------------

namespace {

// The key of an account name: the name, or for a long one (no account has one) its hash, so
// that names of kilobytes cannot swell the throttle's memory.
std::string account_key(const std::string& name) {
  return name.size() <= 64 ? name : "#" + token_hash(name).substr(0, 32);
}

}  // namespace

double LoginThrottle::wait_for(const Counter& c, int free, Clock::time_point now) const {
  const int n = c.failures + c.pending;
  if (n < free) return 0;
  const double wait =
      std::min(o_.max_seconds, o_.base_seconds * std::pow(2.0, std::min(n - free, 30)));
  const double since = std::chrono::duration<double>(now - c.last).count();
  return std::max(0.0, wait - since);
}

bool LoginThrottle::known(const std::string& account, const std::string& address) const {
  auto it = known_.find(account);
  return it != known_.end() && it->second.contains(address);
}

void LoginThrottle::sweep(Clock::time_point now) {
  if (now - swept_ < std::chrono::seconds(60)) return;
  swept_ = now;
  auto stale = [&](const auto& kv) {
    return kv.second.pending == 0 && now - kv.second.last > o_.forget;
  };
  std::erase_if(pairs_, stale);
  std::erase_if(addresses_, stale);
  std::erase_if(accounts_, stale);
  // Known addresses are kept longer (a month): they are what lets the owner in during an attack.
  for (auto& [account, addrs] : known_)
    std::erase_if(addrs,
                  [&](const auto& kv) { return now - kv.second > std::chrono::hours(24 * 30); });
  std::erase_if(known_, [](const auto& kv) { return kv.second.empty(); });
}

LoginThrottle::Decision LoginThrottle::begin(const std::string& account_in,
                                             const std::string& address, Clock::time_point now) {
  const std::string account = account_key(account_in);
  std::lock_guard lock(mu_);
  sweep(now);
  const std::string pair = account + '\n' + address;
  const bool from_known = known(account, address);
  double wait = 0;
  if (auto it = pairs_.find(pair); it != pairs_.end())
    wait = std::max(wait, wait_for(it->second, o_.free_per_pair, now));
  if (auto it = addresses_.find(address); it != addresses_.end())
    wait = std::max(wait, wait_for(it->second, o_.free_per_address, now));
  if (!from_known) {
    if (auto it = accounts_.find(account); it != accounts_.end())
      wait = std::max(wait, wait_for(it->second, o_.free_per_account, now));
  }
  if (wait > 0) return {false, std::max(1, static_cast<int>(std::ceil(wait)))};
  // Bounded memory: under a flood of keys beyond the bound, refuse new ones for a while rather
  // than forget the counters (forgetting would reset an attacker's backoff).
  const size_t entries = pairs_.size() + addresses_.size() + accounts_.size();
  if (entries >= o_.max_entries && !pairs_.contains(pair) && !from_known) return {false, 60};
  auto reserve = [&](Counter& c) {
    ++c.pending;
    c.last = now;
  };
  Counter& p = pairs_[pair];
  reserve(p);
  reserve(addresses_[address]);
  if (!from_known) {
    reserve(accounts_[account]);
    ++p.account_pending;
  }
  return {true, 0};
}

void LoginThrottle::succeeded(const std::string& account_in, const std::string& address,
                              Clock::time_point now) {
  const std::string account = account_key(account_in);
  std::lock_guard lock(mu_);
  end_check(account, address);
  clear_pair(account + '\n' + address);
  remember(account, address, now);
}

void LoginThrottle::clear_pair(const std::string& pair) {
  // Its failures are forgiven; checks of the pair still running keep their reservations (their
  // end must find them, or the account's would never be given back).
  auto it = pairs_.find(pair);
  if (it == pairs_.end()) return;
  if (it->second.pending == 0 && it->second.account_pending == 0) {
    pairs_.erase(it);
  } else {
    it->second.failures = 0;
  }
}

void LoginThrottle::remember(const std::string& account, const std::string& address,
                             Clock::time_point at) {
  auto& addrs = known_[account];
  auto& when = addrs[address];
  when = std::max(when, at);
  if (addrs.size() > 16) {
    auto oldest = std::min_element(addrs.begin(), addrs.end(), [](const auto& a, const auto& b) {
      return a.second < b.second;
    });
    addrs.erase(oldest);
  }
}

void LoginThrottle::failed(const std::string& account_in, const std::string& address,
                           Clock::time_point now) {
  const std::string account = account_key(account_in);
  std::lock_guard lock(mu_);
  const bool counted = end_check(account, address);
  auto fail = [&](Counter& c) {
    ++c.failures;
    c.last = now;
  };
  fail(pairs_[account + '\n' + address]);
  fail(addresses_[address]);
  if (counted) fail(accounts_[account]);
}

bool LoginThrottle::end_check(const std::string& account, const std::string& address) {
  auto undo = [](std::map<std::string, Counter>& m, const std::string& key) {
    if (auto it = m.find(key); it != m.end() && it->second.pending > 0) --it->second.pending;
  };
  bool counted = false;
  if (auto it = pairs_.find(account + '\n' + address); it != pairs_.end()) {
    if (it->second.pending > 0) --it->second.pending;
    if (it->second.account_pending > 0) {
      --it->second.account_pending;
      undo(accounts_, account);
      counted = true;
    }
  }
  undo(addresses_, address);
  return counted;
}

void LoginThrottle::release(const std::string& account_in, const std::string& address) {
  const std::string account = account_key(account_in);
  std::lock_guard lock(mu_);
  (void)end_check(account, address);
}

void LoginThrottle::absorb(const std::string& account_in, const std::string& address, bool failed,
                           Clock::time_point at) {
  const std::string account = account_key(account_in);
  std::lock_guard lock(mu_);
  sweep(at);
  const std::string pair = account + '\n' + address;
  if (!failed) {
    clear_pair(pair);
    remember(account, address, at);
    return;
  }
  // The same bound as begin's: past it, new keys are not taken (the local checks are refused).
  const size_t entries = pairs_.size() + addresses_.size() + accounts_.size();
  if (entries >= o_.max_entries && !pairs_.contains(pair)) return;
  auto fail = [&](Counter& c) {
    ++c.failures;
    c.last = std::max(c.last, at);
  };
  fail(pairs_[pair]);
  fail(addresses_[address]);
  if (!known(account, address)) fail(accounts_[account]);
}

namespace {

// The database's clock, in seconds since 1970, as an SQL expression.
std::string db_epoch(const store::Store& s) {
  return s.backend() == store::Backend::kSqlite
             ? "((julianday('now') - 2440587.5) * 86400.0)"
             : "CAST(extract(epoch FROM clock_timestamp()) AS DOUBLE PRECISION)";
}

// Events read again at each pull: a transaction that records one commits well within this.
constexpr int kLateSeconds = 30;

}  // namespace

SharedLogins::SharedLogins(LoginThrottle::Options o)
    : throttle_(o), forget_(o.forget), server_(random_token().substr(0, 16)) {}

void SharedLogins::pull(store::Store& s) {
  int64_t seen = 0;
  {
    std::lock_guard lock(mu_);
    seen = seen_;
  }
  // Outside the lock: a slow store holds back this check, not every other. Newest first, so a
  // flood beyond the limit drops the oldest events, not the ones that decide this check. The
  // last kLateSeconds are read again: an event numbered below one already read (its transaction
  // committed later) is caught then.
  const std::string now = db_epoch(s);
  auto rows =
      s.query(fmt::format("SELECT \"seq\", \"server\", \"account\", \"address\", \"failed\", "
                          "{} - \"at\" FROM \"login_event\" WHERE (\"seq\" > ? OR \"at\" > {} - ?) "
                          "AND \"at\" > {} - ? ORDER BY \"seq\" DESC LIMIT 100000",
                          now, now, now),
              {seen, int64_t{kLateSeconds}, static_cast<int64_t>(forget_.count())});
  if (!rows) {
    spdlog::warn("login throttle: other servers' checks could not be read: {}",
                 rows.error().message());
    return;
  }
  const auto local_now = LoginThrottle::Clock::now();
  std::lock_guard lock(mu_);
  for (auto it = rows->rbegin(); it != rows->rend(); ++it) {
    const auto& r = *it;
    const int64_t seq = std::get<int64_t>(r[0]);
    const double age =
        std::max(0.0, std::holds_alternative<double>(r[5]) ? std::get<double>(r[5]) : 0.0);
    const auto at = local_now - std::chrono::duration_cast<LoginThrottle::Clock::duration>(
                                    std::chrono::duration<double>(age));
    if (!recent_.emplace(seq, at).second) continue;  // applied already
    seen_ = std::max(seen_, seq);
    if (std::get<std::string>(r[1]) == server_) continue;
    throttle_.absorb(std::get<std::string>(r[2]), std::get<std::string>(r[3]),
                     std::get<int64_t>(r[4]) != 0, at);
  }
  // Forgotten once they can no longer be read again (twice the window, for clock slack).
  std::erase_if(recent_, [&](const auto& kv) {
    return local_now - kv.second > std::chrono::seconds(2 * kLateSeconds);
  });
}

void SharedLogins::record(store::Store& s, const std::string& account, const std::string& address,
                          bool failed) {
  const std::string now = db_epoch(s);
  bool prune = false;
  {
    std::lock_guard lock(mu_);
    const auto t = LoginThrottle::Clock::now();
    if (t - pruned_ > std::chrono::seconds(60)) {
      pruned_ = t;
      prune = true;
    }
  }
  Status st = [&]() -> Status {
    POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
    POLES_RETURN_IF_ERROR(tx->execute(
        fmt::format("INSERT INTO \"login_event\" (\"server\", \"account\", \"address\", "
                    "\"failed\", \"at\") VALUES (?, ?, ?, ?, {})",
                    now),
        {server_, account_key(account), address, int64_t{failed ? 1 : 0}}));
    if (prune) {
      POLES_RETURN_IF_ERROR(
          tx->execute(fmt::format("DELETE FROM \"login_event\" WHERE \"at\" < {} - ?", now),
                      {static_cast<int64_t>(forget_.count())}));
    }
    return tx->commit();
  }();
  if (!st.is_ok()) spdlog::warn("login throttle: this check could not be shared: {}", st.message());
}

LoginThrottle::Decision SharedLogins::begin(store::Store& s, const std::string& account,
                                            const std::string& address) {
  pull(s);
  return throttle_.begin(account, address);
}

void SharedLogins::succeeded(store::Store& s, const std::string& account,
                             const std::string& address) {
  throttle_.succeeded(account, address);
  record(s, account, address, false);
}

void SharedLogins::failed(store::Store& s, const std::string& account, const std::string& address) {
  throttle_.failed(account, address);
  record(s, account, address, true);
}

void SharedLogins::release(const std::string& account, const std::string& address) {
  throttle_.release(account, address);
}

}  // namespace poles::app
