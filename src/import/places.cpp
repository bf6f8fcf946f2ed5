#include "import/places.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/codes.h"
#include "import/mapping.h"

namespace poles::import {

namespace {

std::vector<std::string> split_list(const Value& v) {
  std::vector<std::string> out;
  const auto* s = std::get_if<std::string>(&v);
  if (s == nullptr) return out;
  for (const auto item : schema::list_items(*s)) out.emplace_back(item);
  return out;
}

std::string text_of(const Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s == nullptr ? std::string() : *s;
}

bool names_place(const CommuneRecord& c, const std::string& key) {
  return std::find(c.keys.begin(), c.keys.end(), key) != c.keys.end();
}

}  // namespace

std::string place_key(std::string_view name) {
  const std::string folded = label_key(name);
  std::vector<std::string> words;
  for (size_t p = 0; p < folded.size();) {
    size_t e = p;
    while (e < folded.size() && std::isalnum(static_cast<unsigned char>(folded[e]))) ++e;
    if (e > p) words.emplace_back(folded.substr(p, e - p));
    p = e + 1;
  }
  std::string out;
  for (auto& w : words) {
    if (w == "cedex" || w == "cx") break;  // "LYON CEDEX 07": a postal mention, not a place
    // "Paris 10e", "Lyon 3e arrondissement", "Marseille 1er": the commune is the city.
    const bool ordinal = std::isdigit(static_cast<unsigned char>(w[0])) &&
                         (std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(c); }) ||
                          w.ends_with("e") || w.ends_with("er") || w.ends_with("eme"));
    if (ordinal || w == "arrondissement") continue;
    if (w == "st") w = "saint";
    if (w == "ste") w = "sainte";
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

namespace {

std::string commune_columns() {
  std::string columns;
  for (const auto& f : schema::find_entity("commune")->fields)
    columns += (columns.empty() ? "" : ", ") + store::quote_ident(f.name);
  return columns;
}

}  // namespace

Result<Communes> Communes::load(store::Transaction& tx) {
  Communes out;
  const auto& e = *schema::find_entity("commune");
  POLES_ASSIGN_OR_RETURN(
      auto rows, tx.query(fmt::format("SELECT {} FROM \"commune\"", commune_columns()), {}));
  for (const auto& r : rows) out.add(e, r);
  return out;
}

Result<Communes> Communes::load_for(const Query& query, std::string_view commune,
                                    std::string_view postcode) {
  Communes out;
  POLES_ASSIGN_OR_RETURN(auto any, query("SELECT COUNT(*) FROM \"commune\"", {}));
  out.held_ = std::get<int64_t>(any.at(0).at(0)) > 0;
  if (!out.held_) return out;
  // Lists are '|'-separated codes of five characters: a code never matches across two of them.
  const auto dept_of_commune = codes::commune_department(commune);
  const auto dept_of_postcode = codes::postcode_department(postcode);
  std::vector<Value> params = {
      Value(std::string(dept_of_commune.value_or(""))),
      Value(std::string(dept_of_postcode.value_or(""))),
      Value(postcode.size() == 5 ? fmt::format("%{}%", postcode) : std::string("-")),
      Value(commune.size() == 5 ? fmt::format("%{}%", commune) : std::string("-"))};
  POLES_ASSIGN_OR_RETURN(
      auto rows, query(fmt::format("SELECT {} FROM \"commune\" WHERE \"department\" IN (?, ?) OR "
                                   "\"postcodes\" LIKE ? OR \"former_codes\" LIKE ?",
                                   commune_columns()),
                       params));
  const auto& e = *schema::find_entity("commune");
  for (const auto& r : rows) out.add(e, r);
  return out;
}

void Communes::add(const schema::Entity& e, const Row& row) {
  const auto at = [&](std::string_view f) -> const Value& {
    return row[static_cast<size_t>(schema::field_index(e, f))];
  };
  CommuneRecord c;
  c.code = text_of(at("code"));
  if (c.code.empty()) return;
  c.name = text_of(at("name"));
  c.kind = text_of(at("kind"));
  c.parent = text_of(at("parent"));
  c.zone = text_of(at("employment_zone"));
  c.postcodes = split_list(at("postcodes"));
  c.former_names = split_list(at("former_names"));
  c.former_codes = split_list(at("former_codes"));
  c.keys.push_back(place_key(c.name));
  for (const auto& n : c.former_names) c.keys.push_back(place_key(n));
  const std::string dept(codes::commune_department(c.code).value_or(""));
  if (auto old = by_code_.find(c.code); old != by_code_.end()) {  // a row read again
    for (const auto& pc : old->second.postcodes) std::erase(by_postcode_[pc], c.code);
    for (const auto& k : old->second.keys) std::erase(by_name_[dept + "|" + k], c.code);
  }
  if (c.kind == "commune") {
    for (const auto& pc : c.postcodes) by_postcode_[pc].push_back(c.code);
    for (const auto& k : c.keys) {
      auto& codes = by_name_[dept + "|" + k];
      if (std::find(codes.begin(), codes.end(), c.code) == codes.end()) codes.push_back(c.code);
    }
    for (const auto& f : c.former_codes)
      if (f != c.code) successor_[f] = c.code;
  }
  by_code_[c.code] = std::move(c);
}

const CommuneRecord* Communes::find(std::string_view code) const {
  const auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? nullptr : &it->second;
}

const CommuneRecord* Communes::successor(std::string_view former) const {
  const auto it = successor_.find(std::string(former));
  return it == successor_.end() ? nullptr : find(it->second);
}

const CommuneRecord* Communes::of_address(std::string_view postcode, std::string_view city) const {
  if (city.size() > 200) return nullptr;  // no city's name: not compared
  const std::string key = place_key(city);
  std::vector<const CommuneRecord*> candidates;
  if (const auto it = by_postcode_.find(std::string(postcode)); it != by_postcode_.end()) {
    for (const auto& code : it->second) candidates.push_back(find(code));
  }
  if (candidates.size() == 1 && (key.empty() || names_place(*candidates[0], key)))
    return candidates[0];
  if (key.empty()) return nullptr;
  if (candidates.empty()) {
    // A CEDEX or a firm's own postcode (not a commune's): the city named in the postcode's
    // département.
    const auto dept = codes::postcode_department(postcode);
    if (!dept) return nullptr;
    const auto it = by_name_.find(std::string(*dept) + "|" + key);
    return it != by_name_.end() && it->second.size() == 1 ? find(it->second[0]) : nullptr;
  }
  const CommuneRecord* found = nullptr;
  for (const auto* c : candidates) {
    if (!names_place(*c, key)) continue;
    if (found != nullptr) return nullptr;  // two communes of that postcode bear the name
    found = c;
  }
  return found;
}

std::string Communes::zone_of(const CommuneRecord& c) const {
  if (!c.zone.empty() || c.parent.empty()) return c.zone;
  const auto* parent = find(c.parent);
  return parent == nullptr ? std::string() : parent->zone;
}

std::optional<std::string> Communes::commune_rule(std::string_view code) const {
  if (!held() || find(code) != nullptr) return std::nullopt;
  if (const auto* now = successor(code))
    return fmt::format("is no longer a commune code: now {} ({})", now->code, now->name);
  return std::string(schema::kUnknownCommuneRule);
}

std::optional<std::string> Communes::complete_organisation(const schema::Entity& e, Row& row,
                                                           bool check_zone) const {
  if (!held()) return std::nullopt;
  const auto field = [&](std::string_view f) -> Value& {
    return row[static_cast<size_t>(schema::field_index(e, f))];
  };
  const std::string country = text_of(field("country"));
  if (!country.empty() && country != "FR") return std::nullopt;  // a foreign postcode
  Value& commune = field("commune");
  Value& given_zone = field("employment_zone");
  if (is_null(commune)) {
    const std::string postcode = text_of(field("postcode"));
    if (postcode.empty()) return std::nullopt;
    const auto* c = of_address(postcode, text_of(field("city")));
    if (c == nullptr) return std::nullopt;
    // The address's commune against what the row says of its place: a contradiction is a doubt.
    const auto dept = codes::commune_department(c->code);
    const auto* d = dept ? codes::find_department(*dept) : nullptr;
    const std::string given_dept = text_of(field("department")),
                      given_region = text_of(field("region")), zone = zone_of(*c);
    if (d == nullptr || (!given_dept.empty() && given_dept != d->code) ||
        (!given_region.empty() && given_region != d->region) ||
        (!is_null(given_zone) && !zone.empty() && text_of(given_zone) != zone))
      return std::nullopt;
    commune = c->code;
  }
  const auto* c = find(text_of(commune));
  if (c == nullptr) return std::nullopt;  // commune_rule says why
  const std::string zone = zone_of(*c);
  if (zone.empty()) return std::nullopt;
  if (is_null(given_zone)) {
    given_zone = zone;
    return std::nullopt;
  }
  if (check_zone && text_of(given_zone) != zone)
    return fmt::format("does not match commune {} (zone d'emploi {})", c->code, zone);
  return std::nullopt;
}

}  // namespace poles::import
