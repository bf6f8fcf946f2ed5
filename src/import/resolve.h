// Entity resolution to SIREN (docs/real-data.md, "Matching organisations to SIREN"): an
// organisation known only by its name (a member directory's row, a CORDIS participant without a
// VAT number) is matched against INSEE's legal units (SIRENE's StockUniteLegale, loaded by
// load_sirene_stock into the reference table `sirene_unit`).
//
// Names are normalised (accents and case folded by ICU, punctuation and dotted acronyms, legal
// forms — SA, SAS, SARL, "société par actions simplifiée"… —, articles and common abbreviations),
// candidates are found through an inverted index of the names' words and of their 4-letter
// prefixes and suffixes (a typo rarely breaks all three) and the units' acronyms (sigle),
// weighted by rarity, and each of the best is scored:
//   score = 0.75 name + 0.15 place + 0.05 activity + 0.05 creation year   (× 0.97 if ceased)
// name: 1 when the normalised names are equal, else the largest of the Dice coefficient of their
// letter trigrams (words in order, and sorted) and of how well each name's words are found in
// the other (a word 1 or 2 edits from another counts for 1 − edits/length), 0.9 for an acronym;
// place: 1 same commune or département, 0 another département, 0.5 unknown; activity (NAF): 1
// same code, 0.7 same division, 0 other, 0.5 unknown; year: 1 same, 0.6 one apart, 0 other, 0.5
// unknown. Every point comes with its reason. The best candidate is accepted automatically when
// it scores at least `accept` and leads the next by `margin`; proposed for review from `review`;
// else there is no match. Deterministic: no randomness, ties broken by SIREN.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "import/loader.h"
#include "store/store.h"

namespace poles::import {

// One legal unit of SIRENE (the fields matching and gap filling use).
struct LegalUnit {
  std::string siren, name, acronym, naf, postcode, commune;
  std::string category;   // categorieEntreprise: PME, ETI, GE (INSEE's own size category)
  std::string size_band;  // trancheEffectifsUniteLegale: 00, 01, …, 53, NN
  int created = 0;        // year of dateCreationUniteLegale, 0 unknown
  int category_year = 0;  // anneeCategorieEntreprise
  bool active = true;     // etatAdministratifUniteLegale A (C: ceased)
};

struct MatchQuery {
  std::string id, name, commune, department, naf;
  int founded = 0;
};

struct MatchOptions {
  double accept = 0.85;  // the best at least this and ahead of the next by `margin`: accepted
  double margin = 0.05;
  double review = 0.60;   // from this score, proposed for review
  size_t candidates = 3;  // candidates kept per organisation
};

// A reason for a candidate's score: what agreed or disagreed, and the points it gave (score
// units: the parts add up to the score before a ceased unit's factor).
struct MatchReason {
  std::string what;  // name, acronym, commune, department, other_department, place_unknown,
                     // naf, naf_division, other_naf, naf_unknown, year, year_close, other_year,
                     // year_unknown, ceased
  double points = 0;
};

struct MatchCandidate {
  uint32_t unit = 0;  // index in the SireneIndex
  double score = 0, name = 0;
  std::vector<MatchReason> reasons;
};

enum class MatchStatus : uint8_t { kAccepted, kReview, kNone };
std::string_view match_status_code(MatchStatus s);

struct MatchOutcome {
  MatchStatus status = MatchStatus::kNone;
  std::vector<MatchCandidate> candidates;  // best first
};

// The words of a name as matched: lower-case ASCII, no legal form, article or punctuation.
std::vector<std::string> name_words(std::string_view name);
std::string name_key(std::string_view name);  // the words joined by spaces
// Dice coefficient of the letter trigrams of two keys (padded with a space each side).
double trigram_dice(std::string_view a, std::string_view b);
// INSEE's size category and headcount band -> size class (tpe, pme, eti, ge); "" when neither
// says. categorieEntreprise first (a PME with fewer than 10 employees is a TPE), else the band
// by the decree's headcount thresholds alone (turnover unknown).
std::string size_class_of_sirene(std::string_view category, std::string_view band);

class SireneIndex {
 public:
  explicit SireneIndex(std::vector<LegalUnit> units);
  size_t size() const { return units_.size(); }
  const LegalUnit& unit(uint32_t i) const { return units_[i]; }
  // The scored candidates, best first (at most options.candidates), and the decision.
  MatchOutcome match(const MatchQuery& q, const MatchOptions& options) const;

 private:
  std::vector<uint32_t> shortlist(const MatchQuery& q, const std::vector<std::string>& words,
                                  const std::string& department) const;
  MatchCandidate score(const MatchQuery& q, const std::string& key, const std::string& department,
                       uint32_t u) const;

  std::vector<LegalUnit> units_;
  std::vector<std::string> keys_;     // name_key of each unit
  std::vector<std::string> acronym_;  // name_key of each unit's acronym
  std::vector<uint16_t> department_;  // each unit's département, numbered (0: unknown)
  std::unordered_map<std::string, uint16_t> department_ids_;
  std::unordered_map<std::string, std::vector<uint32_t>> postings_;
};

// Reads SIRENE's stock files as INSEE publishes them (CSV, also .gz or .zip; streamed) into
// `sirene_unit`: the legal units (natural persons and units not open to publication left out:
// no personal data), with the head office's postcode and commune from the establishments file
// when given. Units already stored are updated. All or nothing.
struct SireneStockReport {
  int64_t records = 0, stored = 0, skipped = 0, head_offices = 0;
};
Result<SireneStockReport> load_sirene_stock(store::Store& store, const std::string& legal_units,
                                            const std::string& establishments, bool dry_run);

// Matches every French organisation without SIREN against `sirene_unit` and records the outcome
// in `siren_match`; an accepted match sets the organisation's SIREN and fills its empty fields
// from SIRENE (activity, commune, creation year, and the size class when no headcount is known:
// the audit names the source). A person's decision (accepted or rejected) is kept and reused by
// the next runs; automatic outcomes are computed again. A SIREN already another organisation's
// is not set twice: the match waits for review as a duplicate.
struct ResolveReport {
  int64_t organisations = 0, accepted = 0, review = 0, none = 0, kept = 0, duplicates = 0;
  int64_t size_classes = 0;  // size classes set from SIRENE
  LoadReport load;
};
Result<ResolveReport> resolve_organisations(store::Store& store, const MatchOptions& options,
                                            bool dry_run, const std::string& actor);

// A person's decision on one organisation: accept `siren` (any legal unit of the reference
// table), or reject every candidate (siren empty).
Status decide_match(store::Store& store, const std::string& organisation_id,
                    const std::string& siren, const std::string& actor);

// Reads every unit of `sirene_unit` (for the index).
Result<std::vector<LegalUnit>> stored_units(store::Store& store);

}  // namespace poles::import
