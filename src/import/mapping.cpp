#include "import/mapping.h"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <unicode/locid.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/codes.h"
#include "core/date.h"
#include "formats/csv.h"
#include "formats/xlsx.h"
#include "import/importer.h"

namespace poles::import {

namespace {

constexpr std::array<std::pair<std::string_view, Normaliser>, 16> kNormalisers = {{
    {"upper", Normaliser::kUpper},
    {"lower", Normaliser::kLower},
    {"nospace", Normaliser::kNoSpace},
    {"date", Normaliser::kDate},
    {"year", Normaliser::kYear},
    {"number", Normaliser::kNumber},
    {"postcode", Normaliser::kPostcode},
    {"insee_code", Normaliser::kInseeCode},
    {"zone", Normaliser::kZone},
    {"department", Normaliser::kDepartment},
    {"department_of_postcode", Normaliser::kDepartmentOfPostcode},
    {"siren_of_siret", Normaliser::kSirenOfSiret},
    {"slug", Normaliser::kSlug},
    {"bool", Normaliser::kBool},
    {"list", Normaliser::kList},
    {"url", Normaliser::kUrl},
}};

constexpr std::array<std::pair<std::string_view, Merge>, 3> kMerges = {{
    {"keep_known", Merge::kKeepKnown},
    {"replace", Merge::kReplace},
    {"fill_gaps", Merge::kFillGaps},
}};

// Spaces as spreadsheets write them: ASCII, no-break (U+00A0), narrow no-break (U+202F), thin
// (U+2009).
std::string strip_spaces(std::string_view s, std::string_view also = "") {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || also.find(s[i]) != std::string_view::npos) continue;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      ++i;
      continue;
    }
    if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xAF ||
         static_cast<unsigned char>(s[i + 2]) == 0x89)) {
      i += 2;
      continue;
    }
    out += s[i];
  }
  return out;
}

std::string trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  // No-break spaces at either end (copied from web pages).
  while (s.starts_with("\xC2\xA0")) s.remove_prefix(2);
  while (s.ends_with("\xC2\xA0")) s.remove_suffix(2);
  return std::string(s);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string icu_transform(std::string_view s, const char* id) {
  thread_local std::map<std::string, std::unique_ptr<icu::Transliterator>> cache;
  auto& t = cache[id];
  if (!t) {
    UErrorCode status = U_ZERO_ERROR;
    t.reset(icu::Transliterator::createInstance(id, UTRANS_FORWARD, status));
    if (U_FAILURE(status)) t.reset();
  }
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  if (t) t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

// --- dates -------------------------------------------------------------------------------

constexpr std::array<std::string_view, 12> kMonths = {
    "janvier", "fevrier", "mars",      "avril",   "mai",      "juin",
    "juillet", "aout",    "septembre", "octobre", "novembre", "decembre"};

int month_of_name(std::string_view word) {
  while (!word.empty() && word.back() == '.') word.remove_suffix(1);
  if (word.size() < 3) return 0;
  int found = 0;
  for (size_t m = 0; m < kMonths.size(); ++m) {
    if (kMonths[m] == word) return static_cast<int>(m) + 1;
    if (kMonths[m].starts_with(word)) {
      if (found != 0) return 0;  // "jui": juin or juillet
      found = static_cast<int>(m) + 1;
    }
  }
  return found;
}

std::optional<std::string> iso_date(int y, int m, int d) {
  const auto date = Date::parse(fmt::format("{:04}-{:02}-{:02}", y, m, d));
  if (!date) return std::nullopt;
  return date->to_string();
}

std::vector<std::string> split_any(std::string_view s, std::string_view separators) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (separators.find(c) != std::string_view::npos) {
      out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(std::move(cur));
  return out;
}

int to_int(std::string_view s) {
  int v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : -1;
}

std::optional<std::string> parse_date(const std::string& raw, std::string& why) {
  std::string s = trim(raw);
  why = "not a date (dd/mm/yyyy, yyyy-mm-dd or '3 janvier 2024')";
  // ISO, with a time after it (an XLSX date-time cell, an export's timestamp).
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-' && all_digits(s.substr(0, 4))) {
    if (s.size() > 10 && s[10] != 'T' && s[10] != ' ') return std::nullopt;
    return iso_date(to_int(s.substr(0, 4)), to_int(s.substr(5, 2)), to_int(s.substr(8, 2)));
  }
  const std::string first = s.substr(0, s.find(' '));
  for (const char sep : {'/', '-', '.'}) {
    if (first.find(sep) == std::string::npos) continue;
    auto parts = split_any(first, std::string(1, sep));
    if (parts.size() != 3 || !all_digits(parts[0]) || !all_digits(parts[1]) ||
        !all_digits(parts[2]))
      return std::nullopt;
    if (parts[0].size() == 4) return iso_date(to_int(parts[0]), to_int(parts[1]), to_int(parts[2]));
    if (parts[2].size() != 4) {
      why = "the year must have 4 digits (a 2-digit year is ambiguous)";
      return std::nullopt;
    }
    if (to_int(parts[1]) > 12 && to_int(parts[0]) <= 12) {
      why = "month above 12: dates are read day first (dd/mm/yyyy)";
      return std::nullopt;
    }
    return iso_date(to_int(parts[2]), to_int(parts[1]), to_int(parts[0]));
  }
  // "3 janvier 2024", "1er mars 2021", "03 févr. 2024"
  const auto words = split_any(label_key(s), " ");
  if (words.size() == 3) {
    std::string day = words[0];
    if (day.ends_with("er")) day.resize(day.size() - 2);
    const int m = month_of_name(words[1]);
    if (all_digits(day) && m > 0 && words[2].size() == 4 && all_digits(words[2]))
      return iso_date(to_int(words[2]), m, to_int(day));
  }
  return std::nullopt;
}

std::optional<std::string> parse_number(const std::string& raw, char decimal, std::string& why) {
  std::string s = strip_spaces(trim(raw));
  for (std::string_view unit : {"\xE2\x82\xAC", "EUR", "eur"})  // €
    if (s.ends_with(unit)) s.resize(s.size() - unit.size());
  if (s.starts_with("\xE2\x88\x92")) s.replace(0, 3, "-");  // U+2212 minus sign
  why = "not a number (French or international form: '1 234,5', '1234.5')";
  if (s.empty()) return std::nullopt;
  double plain = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), plain);
  const bool is_plain = ec == std::errc() && p == s.data() + s.size();
  if (is_plain && decimal == '.') return s;
  const auto commas = std::count(s.begin(), s.end(), ','),
             dots = std::count(s.begin(), s.end(), '.');
  char dec = 0;
  if (commas > 0 && dots > 0) {
    dec = s.rfind(',') > s.rfind('.') ? ',' : '.';
  } else if (commas == 1) {
    dec = ',';
  } else if (dots == 1) {
    // "1.234" in a French file is a thousand; "1234.5" a decimal.
    const auto after = s.size() - s.rfind('.') - 1;
    dec = after == 3 && decimal == ',' ? 0 : '.';
  }
  std::string out;
  for (char c : s) {
    if (c == dec) {
      out += '.';
    } else if (c == ',' || c == '.') {
      continue;  // thousands
    } else {
      out += c;
    }
  }
  double x = 0;
  const auto [q, ec2] = std::from_chars(out.data(), out.data() + out.size(), x);
  if (ec2 != std::errc() || q != out.data() + out.size()) return std::nullopt;
  return out;
}

std::optional<std::string> pad_code(const std::string& raw, std::string& why, bool postcode) {
  std::string s = strip_spaces(trim(raw));
  if (s.size() == 4 && all_digits(s)) s = "0" + s;  // the leading zero a spreadsheet dropped
  if (postcode) {
    why = "a postcode has 5 digits";
    return s.size() == 5 && all_digits(s) ? std::optional(s) : std::nullopt;
  }
  why = "an INSEE code has 5 characters (digits, or 2A/2B then 3 digits)";
  if (s.size() == 5 && (all_digits(s) || ((s.starts_with("2A") || s.starts_with("2B") ||
                                           s.starts_with("2a") || s.starts_with("2b")) &&
                                          all_digits(s.substr(2))))) {
    s[1] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[1])));
    return s;
  }
  return std::nullopt;
}

// --- reading the source ----------------------------------------------------------------------

struct SourceRow {
  int64_t line = 0;
  std::vector<std::string> cells;
};

struct Source {
  bool xlsx = false;
  std::string sheet;
  std::vector<std::string> header;
  int64_t header_line = 0;
  std::vector<SourceRow> rows;
  int64_t blank = 0;
};

bool blank(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(),
                     [](const std::string& c) { return trim(c).empty(); });
}

Result<Source> read_source(const Mapping& m, std::string bytes, const std::string& name) {
  Source src;
  const auto take = [&](std::span<const std::string> cells, int64_t line) {
    if (src.header.empty()) {
      if (line < m.header_row || blank({cells.begin(), cells.end()})) return true;
      src.header_line = line;
      for (const auto& c : cells) src.header.push_back(trim(c));
      return true;
    }
    std::vector<std::string> row(cells.begin(), cells.end());
    if (blank(row)) {
      ++src.blank;
      return true;
    }
    // A sheet does not hold its empty rows: the gaps are the blank ones.
    const int64_t last = src.rows.empty() ? src.header_line : src.rows.back().line;
    if (src.xlsx && line > last + 1) src.blank += line - last - 1;
    src.rows.push_back({line, std::move(row)});
    return true;
  };
  if (formats::looks_like_xlsx(bytes)) {
    src.xlsx = true;
    POLES_ASSIGN_OR_RETURN(auto book, formats::XlsxBook::open_bytes(std::move(bytes), name));
    src.sheet = book.resolve_sheet(m.sheet);
    if (src.sheet.empty()) src.sheet = m.sheet;  // read_sheet says there is no such sheet
    POLES_RETURN_IF_ERROR(book.read_sheet(src.sheet, take));
  } else {
    std::istringstream in(std::move(bytes));
    formats::CsvReader reader(formats::CsvReadOptions{m.delimiter});
    POLES_RETURN_IF_ERROR(reader.read(in, name, take));
  }
  if (src.header.empty())
    return Status::bad_input(
        {FieldError{
            name, 0, 0, "", "",
            fmt::format("no header row at or after row {}: the file is empty", m.header_row)}},
        1);
  return src;
}

// --- the mapping file --------------------------------------------------------------------

struct Errors {
  std::string file;
  std::vector<FieldError> list;
  void add(const toml::node* at, std::string key, std::string value, std::string rule) {
    list.push_back({file, at != nullptr ? static_cast<int64_t>(at->source().begin.line) : 0, 0,
                    std::move(key), std::move(value), std::move(rule)});
  }
};

std::string substitute_params(const std::string& text,
                              const std::map<std::string, std::string>& params,
                              const toml::node* at, const std::string& key, Errors& err) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "{$") == 0) {
      const auto close = text.find('}', i);
      const std::string name = text.substr(i + 2, close == std::string::npos ? 0 : close - i - 2);
      const auto it = params.find(name);
      if (close == std::string::npos || it == params.end()) {
        err.add(at, key, text,
                fmt::format("parameter '{}' is not given (--param {}=… or [params])", name, name));
        return text;
      }
      out += it->second;
      i = close + 1;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::vector<std::string> strings_of(const toml::node* n) {
  std::vector<std::string> out;
  if (n == nullptr) return out;
  if (auto one = n->value<std::string>()) {
    out.push_back(*one);
  } else if (const auto* a = n->as_array()) {
    for (const auto& e : *a)
      if (auto s = e.value<std::string>()) out.push_back(*s);
  }
  return out;
}

void parse_field(const std::string& key, const toml::node& node, TargetMapping& target,
                 const Mapping& m, Errors& err) {
  const auto& e = *target.entity;
  FieldMapping f;
  f.line = static_cast<int64_t>(node.source().begin.line);
  f.field = schema::field_index(e, key);
  if (f.field < 0) {
    std::string known;
    for (const auto& fd : e.fields) known += (known.empty() ? "" : ", ") + std::string(fd.name);
    err.add(&node, key, key, fmt::format("{} has no field '{}' (fields: {})", e.name, key, known));
    return;
  }
  if (auto s = node.value<std::string>()) {
    f.column = *s;
    target.fields.push_back(std::move(f));
    return;
  }
  const auto* t = node.as_table();
  if (t == nullptr) {
    err.add(&node, key, "", "a field maps to a column name or to a table { column = … }");
    return;
  }
  int sources = 0;
  if (auto c = (*t)["column"].value<std::string>()) {
    f.column = *c;
    ++sources;
  }
  if (const auto* tpl = t->get("template")) {
    for (auto& s : strings_of(tpl)) {
      if (s.size() > 500 || f.templates.size() >= 5 || std::count(s.begin(), s.end(), '{') > 20) {
        err.add(tpl, key, s.substr(0, 40), "at most 5 templates of 500 characters and 20 {…} each");
        break;
      }
      f.templates.push_back(substitute_params(s, m.params, tpl, key, err));
    }
    ++sources;
  }
  if (const auto* c = t->get("constant")) {
    std::string v;
    if (auto s = c->value<std::string>()) {
      v = *s;
    } else if (auto i = c->value<int64_t>()) {
      v = std::to_string(*i);
    } else if (auto b = c->value<bool>()) {
      v = *b ? "1" : "0";
    }
    f.constant = substitute_params(v, m.params, c, key, err);
    ++sources;
  }
  if (auto from = (*t)["from"].value<std::string>()) {
    f.from_target = *from;
    const auto dot = from->find('.');
    const std::string entity = from->substr(0, dot),
                      field = dot == std::string::npos ? "" : from->substr(dot + 1);
    for (size_t i = 0; i < m.targets.size(); ++i) {
      if (m.targets[i].entity->name == entity) {
        f.from_index = static_cast<int>(i);
        f.from_field = schema::field_index(*m.targets[i].entity, field);
      }
    }
    if (f.from_index < 0 || f.from_field < 0) {
      err.add(t->get("from"), key, *from,
              "must name a field of an earlier target, as 'organisation.id'");
    } else if (!m.targets[static_cast<size_t>(f.from_index)].for_each.empty()) {
      err.add(t->get("from"), key, *from,
              "names a target with for_each, which gives several rows: which one is meant?");
    }
    ++sources;
  }
  if (sources != 1)
    err.add(&node, key, "", "give exactly one of column, template, constant or from");
  for (const auto* n = t->get("normalise"); const auto& name : strings_of(n)) {
    const auto it = std::find_if(kNormalisers.begin(), kNormalisers.end(),
                                 [&](const auto& p) { return p.first == name; });
    if (it == kNormalisers.end()) {
      std::string known;
      for (const auto& [k, v] : kNormalisers) known += (known.empty() ? "" : ", ") + std::string(k);
      err.add(n, key, name, "unknown normaliser (known: " + known + ")");
    } else {
      f.normalise.push_back(it->second);
    }
  }
  if (auto d = (*t)["dictionary"].value<std::string>()) {
    f.dictionary = *d;
    if (!m.dictionaries.contains(*d))
      err.add(t->get("dictionary"), key, *d, "no such dictionary in [dictionaries]");
  }
  if (auto d = (*t)["default"].value<std::string>()) f.default_value = *d;
  for (const auto& [k, v] : *t) {
    static const std::set<std::string_view> kKnown = {"column",    "template",   "constant", "from",
                                                      "normalise", "dictionary", "default"};
    if (!kKnown.contains(k.str())) err.add(&v, key, std::string(k.str()), "unknown key");
  }
  target.fields.push_back(std::move(f));
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative, with one backtrack point (the last '*'): linear in practice, never exponential.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string label_key(std::string_view label) {
  const std::string ascii = icu_transform(label, "Any-Latin; Latin-ASCII; Lower");
  std::string out;
  for (char c : ascii) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::optional<std::string> normalise_value(Normaliser n, const std::string& value, char decimal,
                                           std::string& why) {
  switch (n) {
    case Normaliser::kUpper:
    case Normaliser::kLower: {
      auto u = icu::UnicodeString::fromUTF8(value);
      n == Normaliser::kUpper ? u.toUpper(icu::Locale::getFrench())
                              : u.toLower(icu::Locale::getFrench());
      std::string out;
      u.toUTF8String(out);
      return out;
    }
    case Normaliser::kNoSpace:
      return strip_spaces(value, ".-");
    case Normaliser::kDate:
      return parse_date(value, why);
    case Normaliser::kYear: {
      const std::string s = trim(value);
      if (s.size() == 4 && all_digits(s)) return s;
      auto d = parse_date(s, why);
      if (!d) why = "not a year nor a date";
      return d ? std::optional(d->substr(0, 4)) : std::nullopt;
    }
    case Normaliser::kNumber:
      return parse_number(value, decimal, why);
    case Normaliser::kPostcode:
      return pad_code(value, why, true);
    case Normaliser::kInseeCode:
      return pad_code(value, why, false);
    case Normaliser::kZone: {
      std::string s = strip_spaces(trim(value));
      if (s.ends_with(".0")) s.resize(s.size() - 2);  // a number cell written back as text
      if (s.empty() || s.size() > 4 || !all_digits(s)) {
        why = "a zone d'emploi code has up to four digits";
        return std::nullopt;
      }
      return std::string(4 - s.size(), '0') + s;
    }
    case Normaliser::kDepartment: {
      std::string s = strip_spaces(trim(value));
      if (s.size() == 1 && all_digits(s)) s = "0" + s;
      if (s.size() == 2 && (s[1] == 'a' || s[1] == 'b'))
        s[1] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[1])));
      return s;  // checked against the list of départements by the field's rule
    }
    case Normaliser::kDepartmentOfPostcode: {
      auto pc = pad_code(value, why, true);
      if (!pc) return pc;
      if (const auto d = codes::postcode_department(*pc)) return std::string(*d);
      why = "no département has this postcode";
      return std::nullopt;
    }
    case Normaliser::kSirenOfSiret: {
      const std::string s = strip_spaces(value, ".-");
      why = "a SIRET has 14 digits (a SIREN 9)";
      if (all_digits(s) && s.size() == 14) return s.substr(0, 9);
      if (all_digits(s) && s.size() == 9) return s;
      return std::nullopt;
    }
    case Normaliser::kSlug: {
      std::string out;
      for (char c : label_key(value)) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
          out += c;
        } else if (!out.empty() && out.back() != '-') {
          out += '-';
        }
      }
      while (!out.empty() && out.back() == '-') out.pop_back();
      if (out.size() > 100) out.resize(100);
      return out;
    }
    case Normaliser::kBool: {
      static const std::set<std::string> kTrue = {"1", "oui", "o", "yes", "y", "vrai", "true", "x"},
                                         kFalse = {"0", "non", "n", "no", "faux", "false", ""};
      const std::string k = label_key(value);
      if (kTrue.contains(k)) return std::string("1");
      if (kFalse.contains(k)) return std::string("0");
      why = "not a yes/no value (oui/non, 1/0, x)";
      return std::nullopt;
    }
    case Normaliser::kUrl: {
      // A website as directories write it: with its scheme, or a host name ("www.x.fr",
      // "x.example/page"); a cell that is no web address ("non communiqué", "javascript:…") is
      // left empty rather than refusing the member it describes.
      const std::string s = trim(value);
      std::string scheme = s.substr(0, 8);
      for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (const std::string_view known : {"https://", "http://"}) {
        if (!scheme.starts_with(known)) continue;
        if (s.size() == known.size() || s.find_first_of(" \t\"<>") != std::string::npos)
          return std::string();
        return std::string(known) + s.substr(known.size());
      }
      // A host name (labels of letters, digits and '-', a top-level label of letters), then an
      // optional path: checked by a scan, not a regular expression (cells are untrusted).
      if (s.empty() || s.size() > 2000) return std::string();
      const size_t slash = std::min(s.find('/'), s.size());
      const std::string_view host(s.data(), slash), path(s.data() + slash, s.size() - slash);
      if (host.size() > 253 || path.find_first_of(" \t\"<>") != std::string_view::npos)
        return std::string();
      size_t labels = 0, start = 0;
      bool ok = true;
      for (size_t i = 0; i <= host.size() && ok; ++i) {
        if (i < host.size() && host[i] != '.') {
          ok = std::isalnum(static_cast<unsigned char>(host[i])) != 0 || host[i] == '-';
          continue;
        }
        const std::string_view label = host.substr(start, i - start);
        ok = !label.empty() && label.front() != '-' && label.back() != '-';
        if (ok && i == host.size())  // the top-level label: letters only, at least two
          ok = label.size() >= 2 && std::all_of(label.begin(), label.end(), [](char c) {
                 return std::isalpha(static_cast<unsigned char>(c)) != 0;
               });
        ++labels;
        start = i + 1;
      }
      return ok && labels >= 2 ? "https://" + s : std::string();
    }
    case Normaliser::kList: {
      std::string out, item;
      const auto flush = [&] {
        const std::string t = trim(item);
        if (!t.empty()) out += (out.empty() ? "" : "|") + t;
        item.clear();
      };
      for (char c : value) {
        if (c == ';' || c == ',' || c == '|')
          flush();
        else
          item += c;
      }
      flush();
      return out;
    }
  }
  return value;
}

Result<Mapping> parse_mapping(const std::string& text, const std::string& name,
                              const std::map<std::string, std::string>& params) {
  Errors err{name, {}};
  toml::table doc;
  try {
    doc = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    return Status::bad_input({FieldError{name, static_cast<int64_t>(e.source().begin.line), 0, "",
                                         "", std::string(e.description())}},
                             1);
  }
  Mapping m;
  m.file = name;
  if (const auto* p = doc["params"].as_table())
    for (const auto& [k, v] : *p)
      if (auto s = v.value<std::string>()) m.params[std::string(k.str())] = *s;
  for (const auto& [k, v] : params) m.params[k] = v;

  if (const auto* s = doc["source"].as_table()) {
    m.sheet = (*s)["sheet"].value_or(std::string());
    m.header_row = static_cast<int>((*s)["header_row"].value_or(int64_t{1}));
    if (m.header_row < 1) err.add(s->get("header_row"), "header_row", "", "must be 1 or more");
    if (auto d = (*s)["delimiter"].value<std::string>()) {
      if (*d == "\\t" || *d == "\t") {
        m.delimiter = '\t';
      } else if (d->size() == 1) {
        m.delimiter = (*d)[0];
      } else {
        err.add(s->get("delimiter"), "delimiter", *d, "one character (';', ',' or '\\t')");
      }
    }
    m.skip_invalid = (*s)["skip_invalid"].value_or(false);
    for (const auto& v : strings_of(s->get("null_values"))) m.null_values.push_back(label_key(v));
    const std::string dec = (*s)["decimal"].value_or(std::string(","));
    if (dec != "," && dec != ".") err.add(s->get("decimal"), "decimal", dec, "',' or '.'");
    m.decimal = dec[0];
    if (const auto* u = (*s)["unpivot"].as_table()) {
      m.unpivot_columns = strings_of(u->get("columns"));
      m.unpivot_name = (*u)["name"].value_or(m.unpivot_name);
      m.unpivot_value = (*u)["value"].value_or(m.unpivot_value);
      m.unpivot_skip_empty = (*u)["skip_empty"].value_or(true);
      if (m.unpivot_columns.empty() || m.unpivot_columns.size() > 50)
        err.add(u, "unpivot.columns", "",
                "1 to 50 patterns of the columns to turn into rows (\"20??\", \"Emploi *\")");
      for (const auto& g : m.unpivot_columns)
        if (g.empty() || g.size() > 100)
          err.add(u->get("columns"), "unpivot.columns", g.substr(0, 40),
                  "a pattern of 1 to 100 characters");
    }
  }
  if (const auto* d = doc["dictionaries"].as_table()) {
    for (const auto& [dname, dict] : *d) {
      const auto* t = dict.as_table();
      if (t == nullptr) {
        err.add(&dict, std::string(dname.str()), "", "a dictionary is a table of label = value");
        continue;
      }
      auto& out = m.dictionaries[std::string(dname.str())];
      for (const auto& [label, value] : *t) {
        auto v = value.value<std::string>();
        if (!v) {
          err.add(&value, std::string(dname.str()), std::string(label.str()), "a value is text");
          continue;
        }
        out[label_key(label.str())] = *v;
        m.dictionary_labels[std::string(dname.str())].emplace_back(label.str());
      }
    }
  }
  const auto* targets = doc["target"].as_array();
  if (targets == nullptr || targets->empty())
    err.add(nullptr, "target", "", "at least one [[target]] with an entity and its fields");
  if (targets != nullptr) {
    for (const auto& node : *targets) {
      const auto* t = node.as_table();
      if (t == nullptr) continue;
      if (m.targets.size() >= 10) {
        err.add(t, "target", "", "at most 10 targets");
        break;
      }
      TargetMapping target;
      const std::string entity = (*t)["entity"].value_or(std::string());
      target.entity = schema::find_entity(entity);
      if (target.entity == nullptr) {
        err.add(t->get("entity") ? t->get("entity") : t, "entity", entity, "unknown entity");
        continue;
      }
      if (auto merge = (*t)["merge"].value<std::string>()) {
        const auto it = std::find_if(kMerges.begin(), kMerges.end(),
                                     [&](const auto& p) { return p.first == *merge; });
        if (it == kMerges.end()) {
          err.add(t->get("merge"), "merge", *merge, "keep_known, replace or fill_gaps");
        } else {
          target.merge = it->second;
        }
      }
      target.for_each = (*t)["for_each"].value_or(std::string());
      target.split = (*t)["split"].value_or(target.split);
      target.only_when = strings_of(t->get("only_when"));
      if (const auto* fields = (*t)["fields"].as_table()) {
        for (const auto& [k, v] : *fields) parse_field(std::string(k.str()), v, target, m, err);
      }
      std::set<int> mapped;
      for (const auto& f : target.fields) {
        if (!mapped.insert(f.field).second)
          err.add(nullptr, std::string(target.entity->fields[static_cast<size_t>(f.field)].name),
                  "", "mapped twice");
      }
      for (size_t i = 0; i < target.entity->fields.size(); ++i) {
        const auto& fd = target.entity->fields[i];
        if (fd.required && !mapped.contains(static_cast<int>(i)))
          err.add(t, std::string(fd.name), "",
                  fmt::format("required by {} and not mapped", target.entity->name));
      }
      m.targets.push_back(std::move(target));
    }
  }
  if (!err.list.empty()) {
    const auto n = static_cast<int64_t>(err.list.size());
    return Status::bad_input(std::move(err.list), n);
  }
  return m;
}

Result<Mapping> read_mapping(const std::string& path,
                             const std::map<std::string, std::string>& params) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::invalid_argument(fmt::format("cannot open mapping '{}'", path));
  std::stringstream text;
  text << in.rdbuf();
  return parse_mapping(text.str(), path, params);
}

// --- the import ------------------------------------------------------------------------------

namespace {

constexpr int64_t kMaxKeptErrors = 10'000;  // errors kept (all are counted)
constexpr size_t kMaxMappedRows = 5'000'000;

// A target row made from a source row, before the loader sees it.
struct Pending {
  size_t target;
  Row row;
  int64_t line;
  std::vector<int> columns;  // field -> 1-based source column
};

struct Mapper {
  const Mapping& m;
  const Source& src;
  const std::string& name;
  // Column index of each name the mapping reads (-1: not in the file).
  std::map<std::string, int> index = {};
  std::vector<int> unpivot_columns = {};
  int name_col = -1, value_col = -1, item_col = -1;
  std::vector<std::vector<bool>> carried = {};  // per target

  std::vector<Pending> rows = {};
  std::vector<FieldError> errors = {};  // the first kMaxKeptErrors
  int64_t error_total = 0;
  bool row_failed = false;
  std::set<int64_t> refused = {};

  void add_error(FieldError fe) {
    row_failed = true;
    if (++error_total <= kMaxKeptErrors) errors.push_back(std::move(fe));
  }

  int column_index(const std::string& col) const {
    const auto it = index.find(col);
    return it == index.end() ? -1 : it->second;
  }

  Status prepare() {
    const int width = static_cast<int>(src.header.size());
    for (int c = 0; c < width; ++c) {
      index.emplace(src.header[static_cast<size_t>(c)], c);
      index.emplace(label_key(src.header[static_cast<size_t>(c)]), c);
    }
    if (!m.unpivot_columns.empty()) {
      for (int c = 0; c < width; ++c)
        if (std::any_of(m.unpivot_columns.begin(), m.unpivot_columns.end(), [&](const auto& g) {
              return glob_match(g, src.header[static_cast<size_t>(c)]);
            }))
          unpivot_columns.push_back(c);
      name_col = width;
      value_col = width + 1;
      index[m.unpivot_name] = name_col;
      index[m.unpivot_value] = value_col;
    }
    item_col = width + 2;
    index["@item"] = item_col;
    // Every column the mapping names must be in the file.
    std::vector<FieldError> missing;
    std::string known;
    for (const auto& h : src.header) {
      if (known.size() > 2000) {
        known += ", …";
        break;
      }
      known += (known.empty() ? "'" : ", '") + h + "'";
    }
    const auto need = [&](const std::string& col, int64_t line) {
      if (column_index(col) >= 0 || column_index(label_key(col)) >= 0 || missing.size() >= 50)
        return;
      missing.push_back({m.file, line, 0, "column", col,
                         fmt::format("the file {} has no such column (columns: {})", name, known)});
    };
    for (const auto& t : m.targets) {
      carried.emplace_back(t.entity->fields.size(), false);
      for (const auto& f : t.fields) {
        carried.back()[static_cast<size_t>(f.field)] = true;
        if (!f.column.empty()) need(f.column, f.line);
        for (const auto& tpl : f.templates)
          for (const auto& [col, norms] : placeholders(tpl)) need(col, f.line);
      }
      if (!t.for_each.empty()) need(t.for_each, 0);
      for (const auto& c : t.only_when) need(c, 0);
    }
    if (unpivot_columns.empty() && !m.unpivot_columns.empty())
      missing.push_back({m.file, 0, 0, "unpivot.columns", m.unpivot_columns.front(),
                         "no column of the file matches the patterns"});
    if (!missing.empty()) {
      const auto n = static_cast<int64_t>(missing.size());
      return Status::bad_input(std::move(missing), n);
    }
    return Status::ok();
  }

  // "{Col|norm|norm}" placeholders of a template: (column, normalisers).
  static std::vector<std::pair<std::string, std::vector<std::string>>> placeholders(
      const std::string& tpl) {
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    for (size_t i = tpl.find('{'); i != std::string::npos; i = tpl.find('{', i + 1)) {
      const auto close = tpl.find('}', i);
      if (close == std::string::npos) break;
      auto parts = split_any(tpl.substr(i + 1, close - i - 1), "|");
      std::string col = parts.front();
      parts.erase(parts.begin());
      out.emplace_back(col, parts);
    }
    return out;
  }

  int col_of(const std::string& col) const {
    int c = column_index(col);
    return c >= 0 ? c : column_index(label_key(col));
  }

  static const std::string& cell(const std::vector<std::string>& cells, int c) {
    static const std::string kEmpty;
    return c >= 0 && static_cast<size_t>(c) < cells.size() ? cells[static_cast<size_t>(c)] : kEmpty;
  }

  bool apply(const std::vector<Normaliser>& norms, std::string& v, std::string& why) const {
    for (const auto n : norms) {
      if (v.empty()) return true;
      auto out = normalise_value(n, v, src.xlsx ? '.' : m.decimal, why);
      if (!out) return false;
      v = std::move(*out);
    }
    return true;
  }

  // The value of one field; false (and an error) when it cannot be made.
  bool value_of(const FieldMapping& f, const TargetMapping& t,
                const std::vector<std::string>& cells,
                const std::vector<std::vector<std::pair<Row, std::vector<int>>>>& made,
                int64_t line, int source_col, std::string& out, int& at_column) {
    const auto fail = [&](const std::string& raw, std::string why) {
      add_error({name, line, at_column + 1,
                 std::string(t.entity->fields[static_cast<size_t>(f.field)].name), raw,
                 std::move(why)});
      return false;
    };
    std::string why;
    at_column = source_col;
    if (f.constant) {
      out = *f.constant;
    } else if (!f.from_target.empty()) {
      const auto& rows_of = made[static_cast<size_t>(f.from_index)];
      if (!rows_of.empty()) {
        const auto k = static_cast<size_t>(f.from_field);
        out = value_to_text(rows_of.front().first[k]);
        at_column = rows_of.front().second[k] - 1;  // where the value came from
      }
    } else if (!f.column.empty()) {
      at_column = col_of(f.column);
      if (at_column == value_col && source_col >= 0) at_column = source_col;
      if (at_column == item_col) at_column = col_of(t.for_each);  // the list's column
      out = trim(cell(cells, col_of(f.column)));
      const std::string raw = out;
      if (!apply(f.normalise, out, why)) return fail(raw, why);
    } else {
      out.clear();
      for (const auto& tpl : f.templates) {
        std::string built;
        bool complete = true;
        size_t pos = 0;
        for (const auto& [col, norms] : placeholders(tpl)) {
          const auto open = tpl.find('{', pos);
          built += tpl.substr(pos, open - pos);
          pos = tpl.find('}', open) + 1;
          const int c = col_of(col);
          std::string v = trim(cell(cells, c));
          std::vector<Normaliser> ns;
          for (const auto& n : norms)
            for (const auto& [k, nv] : kNormalisers)
              if (k == n) ns.push_back(nv);
          const std::string raw = v;
          if (!apply(ns, v, why)) {
            at_column = c;
            return fail(raw, why);
          }
          if (v.empty()) {
            complete = false;
            break;
          }
          if (at_column < 0) at_column = c;
          built += v;
        }
        if (complete) {
          out = built + tpl.substr(pos);
          break;
        }
      }
      if (!f.normalise.empty()) {
        const std::string raw = out;
        if (!apply(f.normalise, out, why)) return fail(raw, why);
      }
    }
    if (!f.dictionary.empty() && !out.empty()) {
      const auto& dict = m.dictionaries.at(f.dictionary);
      const auto it = dict.find(label_key(out));
      if (it == dict.end()) {
        std::string known;
        const auto& labels = m.dictionary_labels.at(f.dictionary);
        for (size_t i = 0; i < labels.size() && i < 15; ++i)
          known += (known.empty() ? "'" : ", '") + labels[i] + "'";
        return fail(out, fmt::format("not in the dictionary '{}' of the mapping (labels: {}{})",
                                     f.dictionary, known, labels.size() > 15 ? ", …" : ""));
      }
      out = it->second;
    }
    if (out.empty()) out = f.default_value;
    return true;
  }

  void map_row(const SourceRow& r) {
    std::vector<std::string> cells = r.cells;
    cells.resize(src.header.size() + 3);
    if (!m.null_values.empty()) {
      for (auto& c : cells) {
        if (c.empty() || c.size() > 16) continue;
        const std::string k = label_key(c);
        if (std::find(m.null_values.begin(), m.null_values.end(), k) != m.null_values.end())
          c.clear();
      }
    }
    std::vector<int> value_columns = {-1};
    if (!unpivot_columns.empty()) {
      value_columns.clear();
      for (int c : unpivot_columns)
        if (!m.unpivot_skip_empty || !trim(cell(cells, c)).empty()) value_columns.push_back(c);
    }
    const size_t first = rows.size();
    row_failed = false;
    for (const int vc : value_columns) {
      if (vc >= 0) {
        cells[static_cast<size_t>(name_col)] = src.header[static_cast<size_t>(vc)];
        cells[static_cast<size_t>(value_col)] = std::string(cell(cells, vc));
      }
      std::vector<std::vector<std::pair<Row, std::vector<int>>>> made(m.targets.size());
      for (size_t ti = 0; ti < m.targets.size(); ++ti) {
        const auto& t = m.targets[ti];
        // A row made from another target's is made only when that one was: when it was refused
        // (its refusal says why) or not asked for (only_when), neither is this one.
        if (std::any_of(t.fields.begin(), t.fields.end(), [&](const FieldMapping& f) {
              return f.from_index >= 0 && made[static_cast<size_t>(f.from_index)].empty();
            }))
          continue;
        if (std::any_of(t.only_when.begin(), t.only_when.end(),
                        [&](const std::string& c) { return trim(cell(cells, col_of(c))).empty(); }))
          continue;
        std::vector<std::string> items = {""};
        if (!t.for_each.empty()) {
          items.clear();
          for (auto& it : split_any(cell(cells, col_of(t.for_each)), t.split))
            if (auto s = trim(it); !s.empty()) items.push_back(std::move(s));
        }
        for (const auto& item : items) {
          cells[static_cast<size_t>(item_col)] = item;
          Row row(t.entity->fields.size());
          std::vector<int> columns(t.entity->fields.size(), 0);
          bool ok = true;
          for (const auto& f : t.fields) {
            std::string v;
            int at = -1;
            if (!value_of(f, t, cells, made, r.line, vc, v, at)) {
              ok = false;
              continue;
            }
            const auto& field = t.entity->fields[static_cast<size_t>(f.field)];
            columns[static_cast<size_t>(f.field)] = at + 1;
            if (auto rule = schema::parse_cell(field, v, row[static_cast<size_t>(f.field)])) {
              add_error({name, r.line, at + 1, std::string(field.name), v, std::move(*rule)});
              ok = false;
            }
          }
          if (!ok) continue;
          made[ti].emplace_back(row, columns);
          rows.push_back({ti, std::move(row), r.line, std::move(columns)});
        }
      }
    }
    if (row_failed) {
      refused.insert(r.line);
      rows.resize(first);  // the whole source row is refused
    }
  }
};

void locate_cells(std::vector<FieldError>& errors, const Source& src) {
  if (!src.xlsx) return;
  for (auto& e : errors) {
    if (e.line <= 0) continue;
    e.cell = e.column > 0
                 ? formats::xlsx_cell_name(src.sheet, static_cast<int>(e.column) - 1, e.line)
                 : fmt::format("{}!{}:{}", src.sheet, e.line, e.line);
  }
}

// The organisation each source row names, as the store knows it: an organisation id the store
// does not hold (never one it holds) is replaced by the organisation that holds it under
// another name — the identifier a target of the mapping declares for the same row (a
// directory's own key: the organisation it was recorded for, even after a merge or a change of
// name), a SIREN already another organisation's, or an id a merge dropped (former_id) — in
// every field of the row's targets that names an organisation. Without this, next year's file
// would create again a member merged into another record.
Status find_known_organisations(store::Store& store, const Mapping& mapping,
                                std::vector<Pending>& rows) {
  const auto& org = *schema::find_entity("organisation");
  const auto& ident = *schema::find_entity("organisation_identifier");
  const bool names_organisations =
      std::any_of(mapping.targets.begin(), mapping.targets.end(),
                  [&](const TargetMapping& t) { return t.entity == &org || t.entity == &ident; });
  if (!names_organisations || rows.empty()) return Status::ok();
  std::unordered_set<std::string> stored;
  std::unordered_map<std::string, std::string> by_siren, by_identifier;
  POLES_ASSIGN_OR_RETURN(auto orgs,
                         store.query("SELECT \"id\", \"siren\" FROM \"organisation\"", {}));
  for (auto& r : orgs) {
    stored.insert(value_to_text(r[0]));
    if (!is_null(r[1])) by_siren[value_to_text(r[1])] = value_to_text(r[0]);
  }
  POLES_ASSIGN_OR_RETURN(
      auto ids,
      store.query(
          "SELECT \"scheme\", \"value\", \"organisation_id\" FROM \"organisation_identifier\"",
          {}));
  for (auto& r : ids)
    by_identifier[value_to_text(r[0]) + '\x1f' + value_to_text(r[1])] = value_to_text(r[2]);
  if (by_siren.empty() && by_identifier.empty()) return Status::ok();

  const auto i_scheme = static_cast<size_t>(schema::field_index(ident, "scheme")),
             i_value = static_cast<size_t>(schema::field_index(ident, "value")),
             i_holder = static_cast<size_t>(schema::field_index(ident, "organisation_id")),
             i_siren = static_cast<size_t>(schema::field_index(org, "siren"));
  for (size_t begin = 0; begin < rows.size();) {
    size_t end = begin;
    while (end < rows.size() && rows[end].line == rows[begin].line) ++end;
    std::map<std::string, std::string> now;  // id in the file -> the organisation it is
    for (size_t i = begin; i < end; ++i) {
      const Row& row = rows[i].row;
      const auto* e = mapping.targets[rows[i].target].entity;
      // An id the store holds stays that organisation's (a directory that gave a number to
      // another member does not turn one record into the other).
      if (e == &ident && !is_null(row[i_holder]) &&
          !stored.contains(value_to_text(row[i_holder]))) {
        const auto it =
            by_identifier.find(value_to_text(row[i_scheme]) + '\x1f' + value_to_text(row[i_value]));
        if (it != by_identifier.end() && it->second != value_to_text(row[i_holder]))
          now[value_to_text(row[i_holder])] = it->second;
      }
    }
    for (size_t i = begin; i < end; ++i) {
      const Row& row = rows[i].row;
      if (mapping.targets[rows[i].target].entity != &org || is_null(row[0])) continue;
      const std::string id = value_to_text(row[0]);
      if (now.contains(id) || stored.contains(id)) continue;
      if (!is_null(row[i_siren]))
        if (const auto it = by_siren.find(value_to_text(row[i_siren])); it != by_siren.end()) {
          now[id] = it->second;
          continue;
        }
      if (const auto it = by_identifier.find(std::string("former_id\x1f") + id);
          it != by_identifier.end())
        now[id] = it->second;
    }
    if (!now.empty()) {
      for (size_t i = begin; i < end; ++i) {
        const auto& e = *mapping.targets[rows[i].target].entity;
        for (size_t f = 0; f < e.fields.size(); ++f) {
          const bool names = (&e == &org && f == 0) || e.fields[f].references == "organisation";
          if (!names || is_null(rows[i].row[f])) continue;
          if (const auto it = now.find(value_to_text(rows[i].row[f])); it != now.end())
            rows[i].row[f] = it->second;
        }
      }
    }
    begin = end;
  }
  return Status::ok();
}

}  // namespace

Result<MappedImportReport> import_mapped(store::Store& store, const Mapping& mapping,
                                         std::string bytes, const std::string& name,
                                         const MappedImportOptions& options) {
  POLES_ASSIGN_OR_RETURN(Source src, read_source(mapping, std::move(bytes), name));
  Mapper mapper{mapping, src, name};
  POLES_RETURN_IF_ERROR(mapper.prepare());
  for (const auto& r : src.rows) {
    mapper.map_row(r);
    if (mapper.rows.size() > kMaxMappedRows)
      return Status::invalid_argument(fmt::format(
          "the mapping makes more than {} rows of this file: split the file", kMaxMappedRows));
  }
  POLES_RETURN_IF_ERROR(find_known_organisations(store, mapping, mapper.rows));

  MappedImportReport report;
  report.file = name;
  report.sheet = src.sheet;
  report.columns = src.header;
  report.source_rows = static_cast<int64_t>(src.rows.size());
  report.blank_rows = src.blank;
  const bool preview = options.preview_rows > 0;
  report.dry_run = options.dry_run || preview;
  const bool skip = preview || options.skip_invalid.value_or(mapping.skip_invalid);
  {
    std::set<int> used;
    for (const auto& t : mapping.targets) {
      for (const auto& f : t.fields) {
        if (!f.column.empty()) used.insert(mapper.col_of(f.column));
        for (const auto& tpl : f.templates)
          for (const auto& [col, n] : Mapper::placeholders(tpl)) used.insert(mapper.col_of(col));
      }
      if (!t.for_each.empty()) used.insert(mapper.col_of(t.for_each));
      for (const auto& c : t.only_when) used.insert(mapper.col_of(c));
    }
    for (int c : mapper.unpivot_columns) used.insert(c);
    for (size_t c = 0; c < src.header.size(); ++c)
      if (!used.contains(static_cast<int>(c)) && !src.header[c].empty())
        report.unused_columns.push_back(src.header[c]);
  }

  // A snapshot of memberships: what ran on its date before the load.
  const schema::Entity& membership = *schema::find_entity("membership");
  std::optional<Date> snapshot_day;
  std::vector<Row> running;
  if (!options.snapshot_date.empty()) {
    snapshot_day =
        options.snapshot_date.size() == 10 ? Date::parse(options.snapshot_date) : std::nullopt;
    if (!snapshot_day)
      return Status::invalid_argument(fmt::format(
          "snapshot date '{}': must be an ISO 8601 date YYYY-MM-DD", options.snapshot_date));
    if (std::none_of(mapping.targets.begin(), mapping.targets.end(),
                     [&](const TargetMapping& t) { return t.entity == &membership; }))
      return Status::invalid_argument("a snapshot date needs a membership target in the mapping");
    POLES_ASSIGN_OR_RETURN(running, memberships_running_on(store, membership, *snapshot_day));
  }
  const auto i_org = static_cast<size_t>(schema::field_index(membership, "organisation_id")),
             i_cluster = static_cast<size_t>(schema::field_index(membership, "cluster_id"));

  std::vector<FieldError> errors = std::move(mapper.errors);
  int64_t error_total = mapper.error_total;
  std::set<int64_t> refused = std::move(mapper.refused);
  // A snapshot ends the members the file does not list: when rows are refused, a member might be
  // among them, and it would be ended by a typo. The snapshot waits for a file without refusals.
  const bool snapshot_applies = snapshot_day.has_value() && refused.empty();
  // Loads the rows of the rows not refused; the loader's own refusals (references, duplicate
  // keys, unique fields, lifecycles) refuse their source rows in turn, and the load runs again
  // without them, until it passes.
  LoadReport load;
  for (int pass = 0;; ++pass) {
    Loader loader(store, {static_cast<int>(kMaxKeptErrors),
                          report.dry_run || (!skip && error_total > 0), options.actor});
    std::set<std::pair<std::string, std::string>> listed;
    for (const auto& p : mapper.rows) {
      if (refused.contains(p.line)) continue;
      const auto& t = mapping.targets[p.target];
      const RowOrigin origin{name, p.line, &p.columns, &mapper.carried[p.target]};
      if (snapshot_day && t.entity == &membership)
        listed.emplace(value_to_text(p.row[i_cluster]), value_to_text(p.row[i_org]));
      loader.add(*t.entity, p.row, origin, t.merge);
    }
    // Counted again at each pass: a pass that fails at its end ended nothing.
    report.ended =
        snapshot_applies && refused.empty() && loader.error_count() == 0
            ? end_absent_members(loader, membership, running, listed, *snapshot_day, name)
            : 0;
    auto result = loader.finish(name);
    if (result.has_value()) {
      load = std::move(result).value();
      break;
    }
    const Status& st = result.error();
    if (st.field_errors().empty()) return st;  // a store failure, not the file
    // Every line with an error is refused (the loader lists them all, whatever the number of
    // errors it keeps), the errors themselves up to the cap.
    if (loader.error_lines().contains(0)) return st;  // an error no line carries: the file's
    bool new_refusal = false;
    for (const int64_t line : loader.error_lines()) new_refusal |= refused.insert(line).second;
    for (const auto& fe : st.field_errors())
      if (static_cast<int64_t>(errors.size()) < kMaxKeptErrors) errors.push_back(fe);
    error_total += st.total_errors();
    if (!skip) break;  // all or nothing: the errors are returned below
    if (!new_refusal || pass > 20) return st;
  }
  std::stable_sort(errors.begin(), errors.end(), [](const FieldError& a, const FieldError& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  locate_cells(errors, src);
  if (!skip && !errors.empty()) {
    const int64_t n = std::max<int64_t>(error_total, static_cast<int64_t>(errors.size()));
    if (errors.size() > static_cast<size_t>(options.max_errors))
      errors.resize(static_cast<size_t>(options.max_errors));
    return Status::bad_input(std::move(errors), n);
  }
  report.rejected_lines.assign(refused.begin(), refused.end());
  report.accepted_rows = report.source_rows - static_cast<int64_t>(refused.size());
  report.total_errors = std::max<int64_t>(error_total, static_cast<int64_t>(errors.size()));
  report.snapshot_withheld = snapshot_day.has_value() && !refused.empty();
  if (errors.size() > static_cast<size_t>(options.max_errors))
    errors.resize(static_cast<size_t>(options.max_errors));
  report.errors = std::move(errors);
  report.counts = load.entities;
  if (report.ended > 0) {  // the ended memberships are the loader's rows too: counted apart
    report.counts["membership"].rows -= report.ended;
    report.counts["membership"].updated -= report.ended;
  }
  report.committed = load.committed;
  for (const auto& p : mapper.rows) {
    if (static_cast<int>(report.preview.size()) >= options.preview_rows) break;
    if (refused.contains(p.line)) continue;
    const auto& e = *mapping.targets[p.target].entity;
    MappedRow row{std::string(e.name), p.line, {}};
    for (const auto& f : mapping.targets[p.target].fields)
      row.values.emplace_back(e.fields[static_cast<size_t>(f.field)].name,
                              value_to_text(p.row[static_cast<size_t>(f.field)]));
    report.preview.push_back(std::move(row));
  }
  return report;
}

Result<SourceColumns> read_columns(std::string bytes, const std::string& name,
                                   const std::string& sheet, int header_row) {
  // The header, and a count of the rows under it (not kept).
  SourceColumns out;
  const int64_t first = std::max(1, header_row);
  bool have_header = false;
  const auto take = [&](std::span<const std::string> cells, int64_t line) {
    const bool is_blank = std::all_of(cells.begin(), cells.end(),
                                      [](const std::string& c) { return trim(c).empty(); });
    if (!have_header) {
      if (line < first || is_blank) return true;
      have_header = true;
      for (const auto& c : cells) out.columns.push_back(trim(c));
    } else if (!is_blank) {
      ++out.rows;
    }
    return true;
  };
  if (formats::looks_like_xlsx(bytes)) {
    POLES_ASSIGN_OR_RETURN(auto book, formats::XlsxBook::open_bytes(std::move(bytes), name));
    out.sheets = book.sheet_names();
    out.sheet = book.resolve_sheet(sheet);
    if (out.sheet.empty()) out.sheet = sheet;
    POLES_RETURN_IF_ERROR(book.read_sheet(out.sheet, take));
  } else {
    std::istringstream in(std::move(bytes));
    formats::CsvReader reader;
    POLES_RETURN_IF_ERROR(reader.read(in, name, take));
  }
  return out;
}

bool mapped_import_forbidden(std::string_view entity) {
  return entity == "assignment" || entity == "assessment" || entity == "member_census";
}

Result<MappedImportReport> import_mapped_file(store::Store& store, const Mapping& mapping,
                                              const std::string& path,
                                              const MappedImportOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::invalid_argument(fmt::format("cannot open '{}'", path));
  std::stringstream bytes;
  bytes << in.rdbuf();
  return import_mapped(store, mapping, std::move(bytes).str(), path, options);
}

}  // namespace poles::import
