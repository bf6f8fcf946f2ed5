// Validation rules for single values. Each check returns nullopt when the value is valid, or
// the text of the rule it breaks (used verbatim in error messages and tested exactly).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace poles::validate {

using RuleError = std::optional<std::string>;

RuleError siren(std::string_view v);         // 9 digits, Luhn
RuleError siret(std::string_view v);         // 14 digits, Luhn (La Poste: digit sum multiple of 5)
RuleError region(std::string_view v);        // INSEE 2016 region code
RuleError department(std::string_view v);    // INSEE department code (2A/2B, 971-976)
RuleError commune(std::string_view v);       // INSEE commune code
RuleError naf(std::string_view v);           // NAF rev.2 subclass "62.01Z"
RuleError naf_division(std::string_view v);  // NAF rev.2 division "62"
RuleError naf_sector(std::string_view v);    // a section "C", an A38 code "CI" or a division "26"
RuleError zone(std::string_view v);          // zone d'emploi 2020 code (format and region)
RuleError country(std::string_view v);       // ISO 3166-1 alpha-2
RuleError slug(std::string_view v);          // identifier: letters, digits, '-', '_', '.', ':'
RuleError utf8(std::string_view v);          // well-formed UTF-8
// A VAT number as written by the EU (country prefix, 2 to 13 letters or digits, no spaces); a
// French one must be FR + its 2-digit key + a SIREN whose key matches (siren_of_french_vat).
RuleError vat(std::string_view v);

// The SIREN of a French VAT number "FR" + 2-digit key + SIREN when the key is
// (12 + 3 × (SIREN mod 97)) mod 97 and the SIREN's check digit is right; "" otherwise (spaces,
// dots and hyphens ignored).
std::string siren_of_french_vat(std::string_view vat);

// The longest prefix of v of at most max_bytes that does not cut a UTF-8 character; with an
// ellipsis ("…") when the text was cut and max_bytes leaves room for it.
std::string truncate_utf8(std::string_view v, size_t max_bytes);

// Free text typed by a person: without the white space around it.
std::string trimmed(std::string_view v);
// Plain text: well-formed UTF-8, no control character (but line breaks and tabs when `lines`),
// no invisible or bidirectional control character, no HTML tag ("<" followed by a letter, "/",
// "!" or "?").
bool plain_text(std::string_view v, bool lines);

bool luhn_valid(std::string_view digits);

// Numbers. `decimal_comma` accepts "1234,5" and "1 234,5" (space or no-break space as thousands
// separator), as French exports write them.
std::optional<double> parse_real(std::string_view v, bool decimal_comma);
std::optional<long long> parse_int(std::string_view v);

// Normalises a NAF code to "NN.NNL" ("6201z" -> "62.01Z"); returns nullopt when malformed.
std::optional<std::string> normalise_naf(std::string_view v);

}  // namespace poles::validate
