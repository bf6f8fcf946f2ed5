// Reference geography: the communes of INSEE's official geographic code (COG) the store holds in
// `commune`, with La Poste's postcodes and each commune's zone d'emploi. Once the store holds the
// list (imports and forms alike):
// - a commune code must be one of it (a code merged into another commune is refused with the
//   commune it now belongs to);
// - an organisation without a commune gets the one its postal address gives: the only commune
//   with that postcode, or, when several share it, the one named by the address's city (its
//   official name or the name of a delegated commune it includes; accents, case, hyphens, "St"
//   and a CEDEX mention do not count); none when the address leaves a doubt;
// - an organisation without a zone d'emploi gets its commune's (a municipal district's is its
//   commune's), and a zone that is not its commune's is refused.
// Without the list nothing changes: a commune code is checked by its form and département only.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/schema.h"
#include "core/status.h"
#include "store/store.h"

namespace poles::import {

struct CommuneRecord {
  std::string code, name, kind, parent, zone;
  std::vector<std::string> postcodes, former_names, former_codes;
  std::vector<std::string> keys;  // place_key of its name and former names
};

class Communes {
 public:
  // The list the store holds (none: held() is false). The list is held as soon as the table has
  // a row: the State loads INSEE's whole list (import_communes), not communes one by one.
  static Result<Communes> load(store::Transaction& tx);
  // Only the communes an organisation's commune code and postcode may need (a form's row): those
  // of their départements, those with that postcode, those a code was merged into.
  using Query =
      std::function<Result<std::vector<Row>>(const std::string&, const std::vector<Value>&)>;
  static Result<Communes> load_for(const Query& query, std::string_view commune,
                                   std::string_view postcode);
  bool held() const { return held_ || !by_code_.empty(); }
  size_t size() const { return by_code_.size(); }
  // A row of `commune` (a load that brings the list, or part of it).
  void add(const schema::Entity& commune, const Row& row);

  const CommuneRecord* find(std::string_view code) const;
  // The commune a former code was merged into (former_codes), or null.
  const CommuneRecord* successor(std::string_view former) const;
  // The commune of a postal address, or null (no commune with that postcode, or a doubt).
  const CommuneRecord* of_address(std::string_view postcode, std::string_view city) const;
  // The zone d'emploi of a commune ("" when the list does not give it).
  std::string zone_of(const CommuneRecord& c) const;

  // The rule a commune code breaks against the list, if any.
  std::optional<std::string> commune_rule(std::string_view code) const;
  // Completes an organisation row: its commune from its address (not when the address's commune
  // contradicts the department, region or zone the row gives: a doubt), its zone from its
  // commune. With `check_zone` (the writer gave the commune or the zone), returns the rule a
  // zone that is not its commune's breaks (the commune's own rule: commune_rule).
  std::optional<std::string> complete_organisation(const schema::Entity& e, Row& row,
                                                   bool check_zone) const;

 private:
  bool held_ = false;
  // Communes of a département by place key: "69|lyon" -> codes.
  std::unordered_map<std::string, std::vector<std::string>> by_name_;
  std::unordered_map<std::string, CommuneRecord> by_code_;
  std::unordered_map<std::string, std::string> successor_;                 // former code -> code
  std::unordered_map<std::string, std::vector<std::string>> by_postcode_;  // -> commune codes
};

// A place name as compared: lower-case ASCII words, "st"/"ste" as "saint"/"sainte", without a
// CEDEX mention and what follows it ("ST-ETIENNE CEDEX 2" -> "saint etienne").
std::string place_key(std::string_view name);

}  // namespace poles::import
