#include "core/validate.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>

#include "core/codes.h"

namespace poles::validate {
namespace {

bool all_digits(std::string_view v) {
  if (v.empty()) return false;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

bool luhn_valid(std::string_view digits) {
  int sum = 0;
  bool double_it = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

RuleError siren(std::string_view v) {
  if (v.size() != 9 || !all_digits(v)) return "SIREN must be exactly 9 digits";
  if (!luhn_valid(v)) return "SIREN check digit is wrong (Luhn)";
  return std::nullopt;
}

RuleError siret(std::string_view v) {
  if (v.size() != 14 || !all_digits(v)) return "SIRET must be exactly 14 digits";
  if (auto e = siren(v.substr(0, 9))) return "SIRET must start with a valid SIREN: " + *e;
  // La Poste's establishments (SIREN 356000000) use a digit sum multiple of 5 instead of Luhn.
  if (v.substr(0, 9) == "356000000") {
    int sum = 0;
    for (char c : v) sum += c - '0';
    if (sum % 5 != 0) return "SIRET check digit is wrong (La Poste rule: digit sum multiple of 5)";
    return std::nullopt;
  }
  if (!luhn_valid(v)) return "SIRET check digit is wrong (Luhn)";
  return std::nullopt;
}

RuleError region(std::string_view v) {
  if (codes::find_region(v) != nullptr) return std::nullopt;
  return "unknown INSEE region code (2016 regions: 11, 24, 27, 28, 32, 44, 52, 53, 75, 76, 84, 93, "
         "94; overseas 01, 02, 03, 04, 06)";
}

RuleError department(std::string_view v) {
  if (codes::find_department(v) != nullptr) return std::nullopt;
  return "unknown INSEE department code (01-95 with 2A/2B for Corsica, 971-974, 976)";
}

RuleError commune(std::string_view v) {
  if (codes::commune_department(v)) return std::nullopt;
  return "INSEE commune code must be a known department code followed by digits, 5 characters "
         "(e.g. 75056, 2A004, 97411)";
}

std::optional<std::string> normalise_naf(std::string_view v) {
  std::string s;
  for (char c : v) {
    if (c != '.') s.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (s.size() != 5 || !all_digits(std::string_view(s).substr(0, 4)) || s[4] < 'A' || s[4] > 'Z') {
    return std::nullopt;
  }
  // Only the canonical forms "62.01Z" and "6201Z" are accepted.
  if (v.size() == 6 && v[2] != '.') return std::nullopt;
  if (v.size() != 5 && v.size() != 6) return std::nullopt;
  return s.substr(0, 2) + "." + s.substr(2, 2) + s[4];
}

RuleError naf(std::string_view v) {
  const auto norm = normalise_naf(v);
  if (!norm) return "NAF rev.2 code must look like 62.01Z (two digits, dot, two digits, letter)";
  if (!codes::naf_division_exists(std::string_view(*norm).substr(0, 2))) {
    return fmt::format("unknown NAF rev.2 division '{}'", norm->substr(0, 2));
  }
  return std::nullopt;
}

RuleError naf_division(std::string_view v) {
  if (codes::naf_division_exists(v)) return std::nullopt;
  return "unknown NAF rev.2 division (two digits, 01-99)";
}

RuleError naf_sector(std::string_view v) {
  if (codes::naf_level_of(v)) return std::nullopt;
  return "unknown NAF rev.2 sector: a section (A21, one letter: C), an A38 code (two letters: "
         "CI) or a division (A88, two digits: 26)";
}

RuleError zone(std::string_view v) {
  if (codes::zone_well_formed(v)) return std::nullopt;
  return "zone d'emploi 2020 code must have four digits, the first two a region code or 00 "
         "(e.g. 1101, 0053)";
}

RuleError country(std::string_view v) {
  if (codes::country_exists(v)) return std::nullopt;
  return "unknown ISO 3166-1 alpha-2 country code (e.g. FR, DE)";
}

RuleError slug(std::string_view v) {
  if (v.empty() || v.size() > 128) return "identifier must have 1 to 128 characters";
  for (char c : v) {
    const bool ok =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return "identifier may contain only letters, digits, '-', '_', '.' and ':'";
  }
  return std::nullopt;
}

std::string siren_of_french_vat(std::string_view vat) {
  std::string v;
  for (char c : vat)
    if (c != ' ' && c != '.' && c != '-') v += c;
  if (v.size() != 13 || v.compare(0, 2, "FR") != 0) return "";
  const std::string key = v.substr(2, 2), siren = v.substr(4);
  if (validate::siren(siren) || !std::isdigit(static_cast<unsigned char>(key[0])) ||
      !std::isdigit(static_cast<unsigned char>(key[1])))
    return "";
  const auto n = std::stoull(siren);
  const auto expected = (12 + 3 * (n % 97)) % 97;
  return static_cast<unsigned long long>(std::stoi(key)) == expected ? siren : "";
}

RuleError vat(std::string_view v) {
  bool shape = v.size() >= 4 && v.size() <= 15 && std::isupper(static_cast<unsigned char>(v[0])) &&
               std::isupper(static_cast<unsigned char>(v[1]));
  for (size_t i = 2; shape && i < v.size(); ++i)
    shape = std::isdigit(static_cast<unsigned char>(v[i])) ||
            std::isupper(static_cast<unsigned char>(v[i]));
  if (!shape)
    return "VAT number must be a country prefix and 2 to 13 capital letters or digits, without "
           "spaces";
  if (v.starts_with("FR") && siren_of_french_vat(v).empty())
    return "French VAT number must be FR, a 2-digit key and a SIREN, the key (12 + 3 × (SIREN "
           "mod 97)) mod 97";
  return std::nullopt;
}

std::string trimmed(std::string_view v) {
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
  return std::string(v);
}

bool plain_text(std::string_view v, bool lines) {
  if (utf8(v)) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    const auto ch = static_cast<unsigned char>(v[i]);
    if (ch < 0x20 && !(lines && (ch == '\n' || ch == '\r' || ch == '\t'))) return false;
    if (ch == 0x7f) return false;
    // Invisible and bidirectional controls (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069): they
    // make a text read otherwise than it is written.
    if (ch == 0xE2 && i + 2 < v.size()) {
      const auto b1 = static_cast<unsigned char>(v[i + 1]),
                 b2 = static_cast<unsigned char>(v[i + 2]);
      if (b1 == 0x80 && ((b2 >= 0x8B && b2 <= 0x8F) || (b2 >= 0xAA && b2 <= 0xAE))) return false;
      if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return false;
    }
    if (ch == '<' && i + 1 < v.size()) {
      const auto next = static_cast<unsigned char>(v[i + 1]);
      if (std::isalpha(next) || next == '/' || next == '!' || next == '?') return false;
    }
  }
  return true;
}

std::string truncate_utf8(std::string_view v, size_t max_bytes) {
  if (v.size() <= max_bytes) return std::string(v);
  constexpr std::string_view kEllipsis = "…";
  const bool room = max_bytes > kEllipsis.size();
  size_t n = room ? max_bytes - kEllipsis.size() : max_bytes;
  // Back off continuation bytes (10xxxxxx) so that the cut falls before a character's first byte.
  while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;
  std::string out(v.substr(0, n));
  if (room) out += kEllipsis;
  return out;
}

RuleError utf8(std::string_view v) {
  size_t i = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(v.data());
  while (i < v.size()) {
    const unsigned char c = s[i];
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return "text is not valid UTF-8";
    }
    if (i + n >= v.size()) return "text is not valid UTF-8";  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return "text is not valid UTF-8";
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    const bool overlong =
        (n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return "text is not valid UTF-8";
    i += n + 1;
  }
  return std::nullopt;
}

std::optional<double> parse_real(std::string_view v, bool decimal_comma) {
  // Fast path: plain "1234.5".
  bool plain = !v.empty();
  for (char c : v) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == 'e' || c == 'E')) {
      plain = false;
      break;
    }
  }
  if (plain) {
    double out = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec == std::errc() && ptr == v.data() + v.size() && std::isfinite(out)) return out;
  }
  std::string buf;
  buf.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (decimal_comma) {
      if (c == ' ') continue;
      // U+00A0 and U+202F (no-break spaces) as thousands separators
      if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < v.size() &&
          static_cast<unsigned char>(v[i + 1]) == 0xA0) {
        ++i;
        continue;
      }
      if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < v.size() &&
          static_cast<unsigned char>(v[i + 1]) == 0x80 &&
          static_cast<unsigned char>(v[i + 2]) == 0xAF) {
        i += 2;
        continue;
      }
      if (c == ',') {
        buf.push_back('.');
        continue;
      }
    }
    buf.push_back(c);
  }
  if (buf.empty()) return std::nullopt;
  const char* first = buf.data();
  if (*first == '+') ++first;
  double out = 0;
  const auto [ptr, ec] = std::from_chars(first, buf.data() + buf.size(), out);
  if (ec != std::errc() || ptr != buf.data() + buf.size() || !std::isfinite(out))
    return std::nullopt;
  return out;
}

std::optional<long long> parse_int(std::string_view v) {
  if (v.empty()) return std::nullopt;
  const char* first = v.data();
  if (*first == '+') ++first;
  long long out = 0;
  const auto [ptr, ec] = std::from_chars(first, v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size()) return std::nullopt;
  return out;
}

}  // namespace poles::validate
