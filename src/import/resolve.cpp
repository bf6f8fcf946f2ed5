#include "import/resolve.h"

#include <fmt/format.h>
#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <istream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <streambuf>
#include <unordered_set>

#include "core/codes.h"
#include "core/date.h"
#include "core/schema.h"
#include "core/validate.h"
#include "formats/csv.h"
#include "import/mapping.h"

namespace poles::import {
namespace {

// --- names -------------------------------------------------------------------------------

// Whole legal-form phrases, removed before the words are split (folded, single spaces).
constexpr std::array<std::string_view, 12> kLegalPhrases = {
    " societe par actions simplifiee unipersonnelle ",
    " societe par actions simplifiee ",
    " entreprise unipersonnelle a responsabilite limitee ",
    " societe a responsabilite limitee ",
    " societe anonyme a conseil d administration ",
    " societe anonyme a directoire ",
    " societe anonyme ",
    " societe civile immobiliere ",
    " societe en nom collectif ",
    " groupement d interet economique ",
    " groupement d interet public ",
    " societe cooperative ",
};
// Legal forms, generic company words and articles: not part of what names a firm.
const std::unordered_set<std::string_view>& dropped_words() {
  static const std::unordered_set<std::string_view> words = {
      "sa",  "sas",  "sasu", "sarl", "eurl", "sci", "snc",     "scs",   "sca",       "gie",
      "gip", "scop", "scic", "sem",  "saem", "spl", "selarl",  "selas", "se",        "sc",
      "scp", "earl", "gaec", "eirl", "ste",  "soc", "societe", "cie",   "compagnie", "de",
      "du",  "des",  "la",   "le",   "les",  "l",   "d",       "et",    "en",        "a",
      "au",  "aux",  "pour", "sur",  "par",  "the", "of",      "and",   "un",        "une"};
  return words;
}
// Common abbreviations, written out.
std::string_view expanded(std::string_view w) {
  static const std::unordered_map<std::string_view, std::string_view> abbreviations = {
      {"ets", "etablissement"},  {"etab", "etablissement"}, {"st", "saint"},
      {"intl", "international"}, {"univ", "universite"},    {"labo", "laboratoire"},
      {"lab", "laboratoire"},    {"asso", "association"},   {"assoc", "association"},
      {"ctre", "centre"},        {"grpt", "groupement"},    {"gpt", "groupement"},
      {"tech", "technologie"},   {"techno", "technologie"}, {"dvpt", "developpement"},
      {"dev", "developpement"},  {"ind", "industrie"},      {"indus", "industrie"}};
  const auto it = abbreviations.find(w);
  return it == abbreviations.end() ? w : it->second;
}

std::string folded(std::string_view name) {
  const bool ascii = std::all_of(name.begin(), name.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  std::string s = ascii ? std::string(name) : label_key(name);
  std::string out = " ";
  out.reserve(s.size() + 2);
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '.') continue;  // S.N.C.F. -> sncf
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) {
      out += c;
    } else if (out.back() != ' ') {
      out += ' ';
    }
  }
  if (out.back() != ' ') out += ' ';
  for (const auto phrase : kLegalPhrases) {
    for (size_t p = out.find(phrase); p != std::string::npos; p = out.find(phrase, p))
      out.replace(p, phrase.size(), " ");
  }
  return out;
}

std::string department_of_postcode(std::string_view pc) {
  return std::string(codes::postcode_department(pc).value_or(""));
}
std::string department_of_commune(std::string_view commune) {
  return std::string(codes::commune_department(commune).value_or(""));
}
std::string naf_code(std::string_view naf) {
  std::string out;
  for (char c : naf)
    if (c != '.') out += c;
  return out;
}

// Index keys of a name's words: each word, and the 4-letter prefix and suffix of long ones.
void word_keys(const std::vector<std::string>& words, std::vector<std::string>& keys) {
  for (const auto& w : words) {
    keys.push_back(w);
    if (w.size() >= 6) {
      keys.push_back("<" + w.substr(0, 4));
      keys.push_back(">" + w.substr(w.size() - 4));
    }
  }
}
std::string initials(const std::vector<std::string>& words) {
  if (words.size() < 3 || words.size() > 6) return "";
  std::string out;
  for (const auto& w : words) out += w[0];
  return out;
}
std::string sorted_key(std::string_view key) {
  std::vector<std::string_view> words;
  for (size_t p = 0; p < key.size();) {
    const size_t e = std::min(key.find(' ', p), key.size());
    words.push_back(key.substr(p, e - p));
    p = e + 1;
  }
  std::sort(words.begin(), words.end());
  std::string out;
  for (const auto w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// Optimal string alignment distance (Levenshtein with transpositions), for short words.
size_t osa_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<size_t> d((n + 1) * (m + 1));
  const auto at = [&](size_t i, size_t j) -> size_t& { return d[i * (m + 1) + j]; };
  for (size_t i = 0; i <= n; ++i) at(i, 0) = i;
  for (size_t j = 0; j <= m; ++j) at(0, j) = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
    }
  }
  return at(n, m);
}

// How well the words of `a` are found in `b`: each word's best likeness to a word of b (1 equal;
// 1 - edits/length for words of 5 letters or more at most 2 edits apart, when at least 0.75;
// else 0), averaged with the words' lengths as weights.
double words_found(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  double found = 0, total = 0;
  for (const auto w : a) {
    double best = 0;
    for (const auto v : b) {
      if (w == v) {
        best = 1;
        break;
      }
      if (w.size() >= 5 && v.size() >= 5 &&
          (w.size() > v.size() ? w.size() - v.size() : v.size() - w.size()) <= 2) {
        const double like = 1.0 - static_cast<double>(osa_distance(w, v)) /
                                      static_cast<double>(std::max(w.size(), v.size()));
        if (like >= 0.75) best = std::max(best, like);
      }
    }
    found += best * static_cast<double>(w.size());
    total += static_cast<double>(w.size());
  }
  return total > 0 ? found / total : 0;
}

std::vector<std::string_view> split_words(std::string_view key) {
  std::vector<std::string_view> words;
  for (size_t p = 0; p < key.size();) {
    const size_t e = std::min(key.find(' ', p), key.size());
    if (e > p) words.push_back(key.substr(p, e - p));
    p = e + 1;
  }
  return words;
}

// The likeness of two names' keys: the larger of the letter-trigram Dice coefficient (words in
// order, and sorted) and of the words found each way (the smaller direction: a word only one
// name has counts against).
double name_likeness(std::string_view a, std::string_view b) {
  if (a == b) return 1;
  const auto wa = split_words(a), wb = split_words(b);
  return std::max({trigram_dice(a, b), trigram_dice(sorted_key(a), sorted_key(b)),
                   std::min(words_found(wa, wb), words_found(wb, wa))});
}

// --- stock files ---------------------------------------------------------------------------

// A stream over a plain, gzip or zip file (the zip's first .csv entry), read in blocks.
class SourceBuf : public std::streambuf {
 public:
  static Result<std::unique_ptr<SourceBuf>> open(const std::string& path) {
    auto b = std::unique_ptr<SourceBuf>(new SourceBuf());
    const auto ends = [&](std::string_view s) {
      return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
    };
    if (ends(".gz")) {
      b->gz_ = gzopen(path.c_str(), "rb");
      if (b->gz_ == nullptr) return Status::invalid_argument(fmt::format("cannot read '{}'", path));
    } else if (ends(".zip")) {
      int err = 0;
      b->zip_ = zip_open(path.c_str(), ZIP_RDONLY, &err);
      if (b->zip_ == nullptr)
        return Status::invalid_argument(fmt::format("'{}' is not a readable zip archive", path));
      const zip_int64_t n = zip_get_num_entries(b->zip_, 0);
      for (zip_int64_t i = 0; i < n && b->entry_ == nullptr; ++i) {
        const std::string name = zip_get_name(b->zip_, static_cast<zip_uint64_t>(i), 0);
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".csv") == 0)
          b->entry_ = zip_fopen_index(b->zip_, static_cast<zip_uint64_t>(i), 0);
      }
      if (b->entry_ == nullptr)
        return Status::invalid_argument(fmt::format("'{}' holds no .csv file", path));
    } else {
      b->file_.open(path, std::ios::binary);
      if (!b->file_) return Status::invalid_argument(fmt::format("cannot read '{}'", path));
    }
    return b;
  }
  ~SourceBuf() override {
    if (gz_ != nullptr) gzclose(gz_);
    if (entry_ != nullptr) zip_fclose(entry_);
    if (zip_ != nullptr) zip_discard(zip_);
  }
  bool failed() const { return failed_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    int64_t n = 0;
    if (gz_ != nullptr) {
      n = gzread(gz_, buf_.data(), static_cast<unsigned>(buf_.size()));
    } else if (entry_ != nullptr) {
      n = zip_fread(entry_, buf_.data(), buf_.size());
    } else {
      file_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
      n = file_.gcount();
    }
    if (n < 0) failed_ = true;
    if (n <= 0) return traits_type::eof();
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  SourceBuf() = default;
  gzFile gz_ = nullptr;
  zip_t* zip_ = nullptr;
  zip_file_t* entry_ = nullptr;
  std::ifstream file_;
  std::array<char, 1 << 16> buf_{};
  bool failed_ = false;
};

// Streams a stock file's records as name -> value (the columns asked for; "" when absent).
Status stream_stock(const std::string& path, const std::vector<std::string>& wanted,
                    const std::vector<std::string>& required,
                    const std::function<void(const std::vector<std::string>&, int64_t)>& fn) {
  POLES_ASSIGN_OR_RETURN(auto buf, SourceBuf::open(path));
  std::istream in(buf.get());
  const std::string name = std::filesystem::path(path).filename().string();
  std::vector<int> at(wanted.size(), -1);
  bool header = true;
  std::vector<std::string> values(wanted.size());
  std::vector<FieldError> missing;
  formats::CsvReader reader;
  POLES_RETURN_IF_ERROR(
      reader.read(in, name, [&](std::span<const std::string> fields, int64_t line) {
        if (header) {
          header = false;
          for (size_t w = 0; w < wanted.size(); ++w) {
            for (size_t i = 0; i < fields.size(); ++i) {
              std::string_view f = fields[i];
              if (f.rfind("\xEF\xBB\xBF", 0) == 0) f.remove_prefix(3);
              if (f == wanted[w]) at[w] = static_cast<int>(i);
            }
          }
          for (const auto& r : required) {
            const auto w = std::find(wanted.begin(), wanted.end(), r) - wanted.begin();
            if (at[static_cast<size_t>(w)] < 0)
              missing.push_back({name, 1, 0, r, "", "required column is missing"});
          }
          return missing.empty();
        }
        for (size_t w = 0; w < wanted.size(); ++w) {
          values[w] = at[w] >= 0 && static_cast<size_t>(at[w]) < fields.size()
                          ? fields[static_cast<size_t>(at[w])]
                          : std::string();
        }
        fn(values, line);
        return true;
      }));
  if (!missing.empty()) {
    const auto n = static_cast<int64_t>(missing.size());
    return Status::bad_input(std::move(missing), n);
  }
  if (buf->failed())
    return Status::invalid_argument(fmt::format("'{}': the file is damaged", name));
  return Status::ok();
}

int year_of_date(std::string_view date) {
  if (date.size() < 4) return 0;
  int y = 0;
  for (size_t i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9') return 0;
    y = y * 10 + (date[i] - '0');
  }
  return y;
}

nlohmann::json candidate_json(const SireneIndex& index, const MatchCandidate& c) {
  const LegalUnit& u = index.unit(c.unit);
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto& r : c.reasons)
    reasons.push_back({{"what", r.what}, {"points", std::round(r.points * 1e4) / 1e4}});
  return {
      {"siren", u.siren},     {"name", u.name},         {"acronym", u.acronym},
      {"commune", u.commune}, {"postcode", u.postcode}, {"naf", u.naf},
      {"created", u.created}, {"active", u.active},     {"score", std::round(c.score * 1e4) / 1e4},
      {"reasons", reasons}};
}

std::string now_utc() { return utc_timestamp(); }

}  // namespace

std::string_view match_status_code(MatchStatus s) {
  switch (s) {
    case MatchStatus::kAccepted:
      return "accepted";
    case MatchStatus::kReview:
      return "review";
    case MatchStatus::kNone:
      break;
  }
  return "none";
}

std::vector<std::string> name_words(std::string_view name) {
  const std::string s = folded(name);
  std::vector<std::string> words;
  const auto& dropped = dropped_words();
  for (size_t p = 0; p < s.size();) {
    const size_t e = std::min(s.find(' ', p), s.size());
    if (e > p) {
      std::string w(expanded(std::string_view(s).substr(p, e - p)));
      // Plurals: technologies = technologie, systemes = systeme.
      if (w.size() > 4 && w.back() == 's' && w[w.size() - 2] != 's') w.pop_back();
      if (!dropped.contains(w)) words.push_back(std::move(w));
    }
    p = e + 1;
  }
  return words;
}

std::string name_key(std::string_view name) {
  std::string out;
  for (const auto& w : name_words(name)) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

double trigram_dice(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return 0;
  const auto grams = [](std::string_view s) {
    const std::string p = " " + std::string(s) + " ";
    std::vector<uint32_t> g;
    g.reserve(p.size());
    for (size_t i = 0; i + 3 <= p.size(); ++i) {
      g.push_back(static_cast<uint32_t>(static_cast<unsigned char>(p[i])) << 16 |
                  static_cast<uint32_t>(static_cast<unsigned char>(p[i + 1])) << 8 |
                  static_cast<unsigned char>(p[i + 2]));
    }
    std::sort(g.begin(), g.end());
    return g;
  };
  const auto ga = grams(a), gb = grams(b);
  size_t i = 0, j = 0, common = 0;
  while (i < ga.size() && j < gb.size()) {
    if (ga[i] == gb[j]) {
      ++common, ++i, ++j;
    } else if (ga[i] < gb[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return 2.0 * static_cast<double>(common) / static_cast<double>(ga.size() + gb.size());
}

std::string size_class_of_sirene(std::string_view category, std::string_view band) {
  // trancheEffectifsUniteLegale: 00 (0), 01 (1-2), 02 (3-5), 03 (6-9), 11 (10-19), 12 (20-49),
  // 21 (50-99), 22 (100-199), 31 (200-249), 32 (250-499), 41 (500-999), 42 (1000-1999),
  // 51 (2000-4999), 52 (5000-9999), 53 (10000+); NN: no employee in the year.
  const bool known_band = band.size() == 2 && band != "NN";
  const bool under10 = band == "NN" || band == "00" || band == "01" || band == "02" || band == "03";
  if (category == "GE") return "ge";
  if (category == "ETI") return "eti";
  if (category == "PME") return under10 ? "tpe" : known_band ? "pme" : "";
  if (under10) return "tpe";
  if (!known_band) return "";
  if (band < "32") return "pme";
  if (band < "52") return "eti";
  return "ge";
}

SireneIndex::SireneIndex(std::vector<LegalUnit> units) : units_(std::move(units)) {
  keys_.resize(units_.size());
  acronym_.resize(units_.size());
  department_.resize(units_.size());
  std::vector<std::string> keys;
  for (size_t i = 0; i < units_.size(); ++i) {
    std::string dep = department_of_postcode(units_[i].postcode);
    if (dep.empty()) dep = department_of_commune(units_[i].commune);
    if (!dep.empty()) {
      const auto id = department_ids_.try_emplace(dep, department_ids_.size() + 1).first->second;
      department_[i] = id;
    }
    const auto words = name_words(units_[i].name);
    keys.clear();
    word_keys(words, keys);
    for (const auto& w : words) {
      if (!keys_[i].empty()) keys_[i] += ' ';
      keys_[i] += w;
    }
    acronym_[i] = name_key(units_[i].acronym);
    acronym_[i].erase(std::remove(acronym_[i].begin(), acronym_[i].end(), ' '), acronym_[i].end());
    if (!acronym_[i].empty()) keys.push_back("#" + acronym_[i]);
    if (auto in = initials(words); !in.empty()) keys.push_back("#" + in);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (auto& k : keys) postings_[k].push_back(static_cast<uint32_t>(i));
  }
}

std::vector<uint32_t> SireneIndex::shortlist(const MatchQuery& /*q*/,
                                             const std::vector<std::string>& words,
                                             const std::string& department) const {
  std::vector<std::string> keys;
  word_keys(words, keys);
  if (words.size() == 1) keys.push_back("#" + words[0]);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<std::pair<size_t, const std::vector<uint32_t>*>> lists;
  for (const auto& k : keys) {
    if (auto it = postings_.find(k); it != postings_.end())
      lists.emplace_back(it->second.size(), &it->second);
  }
  std::sort(lists.begin(), lists.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  const size_t cap = std::max<size_t>(2000, units_.size() / 50);
  uint16_t dep = 0;
  if (!department.empty()) {
    const auto it = department_ids_.find(department);
    dep = it == department_ids_.end() ? UINT16_MAX : it->second;
  }
  thread_local std::vector<float> acc;
  thread_local std::vector<uint32_t> touched;
  acc.resize(units_.size(), 0.f);
  touched.clear();
  const auto n = static_cast<double>(units_.size());
  // The rarest keys tell the most: the four rarest are enough to find a name with a typo in a
  // word (its other words, and the typo'd word's prefix or suffix, still match).
  constexpr size_t kKeys = 4;
  for (size_t l = 0; l < std::min(lists.size(), kKeys); ++l) {
    const auto& [df, list] = lists[l];
    // Words too common to tell units apart are skipped, unless none is rarer; then only the
    // units of the same département among them.
    const bool common = df > cap;
    if (common && l > 0) break;
    const auto w = static_cast<float>(std::log(1.0 + n / static_cast<double>(df)));
    for (uint32_t u : *list) {
      if (common && (dep == 0 || department_[u] != dep)) continue;
      if (acc[u] == 0.f) touched.push_back(u);
      acc[u] += w;
    }
  }
  // Units of the same département come first among equals (homonyms elsewhere follow).
  if (dep != 0) {
    for (uint32_t u : touched)
      if (department_[u] == dep) acc[u] += 0.5f;
  }
  constexpr size_t kShort = 30;
  // Among many, the units of exactly the same name are kept first (homonyms elsewhere tie with
  // the right one on the words; the place and activity decide between them).
  if (touched.size() > kShort) {
    std::string key;
    for (const auto& w : words) {
      if (!key.empty()) key += ' ';
      key += w;
    }
    for (uint32_t u : touched)
      if (keys_[u] == key) acc[u] += 2.f;
  }
  const auto better = [&](uint32_t a, uint32_t b) {
    return acc[a] != acc[b] ? acc[a] > acc[b] : a < b;
  };
  if (touched.size() > kShort)
    std::nth_element(touched.begin(), touched.begin() + kShort, touched.end(), better);
  std::vector<uint32_t> out(touched.begin(), touched.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                                   kShort, touched.size())));
  for (uint32_t u : touched) acc[u] = 0.f;
  return out;
}

MatchCandidate SireneIndex::score(const MatchQuery& q, const std::string& key,
                                  const std::string& department, uint32_t u) const {
  const LegalUnit& unit = units_[u];
  MatchCandidate c;
  c.unit = u;
  // Name.
  c.name = name_likeness(key, keys_[u]);
  std::string what = "name";
  if (c.name < 0.9 && key.find(' ') == std::string::npos && !key.empty() &&
      (key == acronym_[u] || key == initials(name_words(unit.name)))) {
    c.name = 0.9;
    what = "acronym";
  }
  c.reasons.push_back({what, 0.75 * c.name});
  double s = 0.75 * c.name;
  // Place.
  std::string udep = department_of_postcode(unit.postcode);
  if (udep.empty()) udep = department_of_commune(unit.commune);
  if (!q.commune.empty() && q.commune == unit.commune) {
    c.reasons.push_back({"commune", 0.15});
  } else if (!department.empty() && !udep.empty()) {
    c.reasons.push_back(department == udep ? MatchReason{"department", 0.15}
                                           : MatchReason{"other_department", 0});
  } else {
    c.reasons.push_back({"place_unknown", 0.15 * 0.5});
  }
  // Activity.
  const std::string qn = naf_code(q.naf), un = naf_code(unit.naf);
  if (!qn.empty() && !un.empty()) {
    c.reasons.push_back(qn == un ? MatchReason{"naf", 0.05}
                        : qn.substr(0, 2) == un.substr(0, 2)
                            ? MatchReason{"naf_division", 0.05 * 0.7}
                            : MatchReason{"other_naf", 0});
  } else {
    c.reasons.push_back({"naf_unknown", 0.05 * 0.5});
  }
  // Creation year.
  if (q.founded > 0 && unit.created > 0) {
    const int d = std::abs(q.founded - unit.created);
    c.reasons.push_back(d == 0   ? MatchReason{"year", 0.05}
                        : d == 1 ? MatchReason{"year_close", 0.05 * 0.6}
                                 : MatchReason{"other_year", 0});
  } else {
    c.reasons.push_back({"year_unknown", 0.05 * 0.5});
  }
  for (size_t i = 1; i < c.reasons.size(); ++i) s += c.reasons[i].points;
  if (!unit.active) {
    c.reasons.push_back({"ceased", -0.03 * s});
    s *= 0.97;
  }
  c.score = s;
  return c;
}

MatchOutcome SireneIndex::match(const MatchQuery& q, const MatchOptions& options) const {
  MatchOutcome out;
  const auto words = name_words(q.name);
  if (words.empty()) return out;
  std::string key;
  for (const auto& w : words) {
    if (!key.empty()) key += ' ';
    key += w;
  }
  std::string department = q.department;
  if (department.empty()) department = department_of_commune(q.commune);
  for (uint32_t u : shortlist(q, words, department))
    out.candidates.push_back(score(q, key, department, u));
  std::sort(out.candidates.begin(), out.candidates.end(), [&](const auto& a, const auto& b) {
    return a.score != b.score ? a.score > b.score : units_[a.unit].siren < units_[b.unit].siren;
  });
  if (out.candidates.size() > options.candidates) out.candidates.resize(options.candidates);
  if (out.candidates.empty()) return out;
  const double best = out.candidates[0].score;
  const double next = out.candidates.size() > 1 ? out.candidates[1].score : 0;
  if (best >= options.accept && best - next >= options.margin) {
    out.status = MatchStatus::kAccepted;
  } else if (best >= options.review) {
    out.status = MatchStatus::kReview;
  }
  return out;
}

Result<SireneStockReport> load_sirene_stock(store::Store& store, const std::string& legal_units,
                                            const std::string& establishments, bool dry_run) {
  SireneStockReport report;
  const std::vector<std::string> columns = {"siren",
                                            "statutDiffusionUniteLegale",
                                            "unitePurgeeUniteLegale",
                                            "dateCreationUniteLegale",
                                            "sigleUniteLegale",
                                            "trancheEffectifsUniteLegale",
                                            "anneeEffectifsUniteLegale",
                                            "categorieEntreprise",
                                            "anneeCategorieEntreprise",
                                            "etatAdministratifUniteLegale",
                                            "denominationUniteLegale",
                                            "categorieJuridiqueUniteLegale",
                                            "activitePrincipaleUniteLegale",
                                            "nomenclatureActivitePrincipaleUniteLegale"};
  const std::vector<std::string> required = {"siren", "denominationUniteLegale",
                                             "categorieJuridiqueUniteLegale"};
  // Natural persons (legal category 1000) and units not open to publication are personal or
  // protected data: never read. A SIREN failing its check digit cannot be stored.
  const auto kept = [](const std::vector<std::string>& v) {
    return !(v[11] == "1000" || v[11].empty() || v[10].empty() || (!v[1].empty() && v[1] != "O") ||
             v[2] == "true" || validate::siren(v[0]));
  };
  const auto number = [](const std::string& siren) {
    uint32_t n = 0;
    for (char c : siren) n = n * 10 + static_cast<uint32_t>(c - '0');
    return n;
  };
  // The head offices of the units kept, packed (postcode and commune, 5 characters each): the
  // legal units are read once to know which, then the establishments (tens of millions of
  // rows in the full file) are streamed against them.
  std::unordered_map<uint32_t, std::array<char, 10>> head;
  if (!establishments.empty()) {
    std::vector<uint32_t> sirens;
    POLES_RETURN_IF_ERROR(stream_stock(legal_units, columns, required,
                                       [&](const std::vector<std::string>& v, int64_t) {
                                         if (kept(v)) sirens.push_back(number(v[0]));
                                       }));
    std::sort(sirens.begin(), sirens.end());
    POLES_RETURN_IF_ERROR(stream_stock(
        establishments,
        {"siren", "etablissementSiege", "codePostalEtablissement", "codeCommuneEtablissement",
         "etatAdministratifEtablissement"},
        {"siren", "etablissementSiege", "codePostalEtablissement", "codeCommuneEtablissement"},
        [&](const std::vector<std::string>& v, int64_t) {
          if (v[1] != "true" || v[0].size() != 9 ||
              !std::all_of(v[0].begin(), v[0].end(), [](char c) { return c >= '0' && c <= '9'; }))
            return;
          const uint32_t siren = number(v[0]);
          if (!std::binary_search(sirens.begin(), sirens.end(), siren)) return;
          std::array<char, 10> packed;
          packed.fill(' ');
          std::copy_n(v[2].begin(), std::min<size_t>(5, v[2].size()), packed.begin());
          std::copy_n(v[3].begin(), std::min<size_t>(5, v[3].size()), packed.begin() + 5);
          auto [it, added] = head.try_emplace(siren, packed);
          if (!added && v[4] == "A") it->second = packed;
        }));
  }
  const auto unpacked = [](const char* p) {
    std::string out(p, 5);
    out.erase(out.find_last_not_of(' ') + 1);
    return out;
  };
  POLES_ASSIGN_OR_RETURN(auto tx, store.begin());
  constexpr size_t kBatch = 200;
  constexpr size_t kColumns = 12;
  std::vector<Value> params;
  params.reserve(kBatch * kColumns);
  size_t rows = 0;
  Status failed = Status::ok();
  const auto flush = [&]() {
    if (rows == 0 || !failed.is_ok()) return;
    std::string sql =
        "INSERT INTO \"sirene_unit\" (\"siren\", \"name\", \"acronym\", \"naf\", \"created\", "
        "\"category\", \"category_year\", \"size_band\", \"size_band_year\", \"active\", "
        "\"postcode\", \"commune\") VALUES ";
    for (size_t r = 0; r < rows; ++r)
      sql += r == 0 ? "(?,?,?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?,?,?)";
    sql +=
        " ON CONFLICT (\"siren\") DO UPDATE SET \"name\" = excluded.\"name\", \"acronym\" = "
        "excluded.\"acronym\", \"naf\" = excluded.\"naf\", \"created\" = excluded.\"created\", "
        "\"category\" = excluded.\"category\", \"category_year\" = excluded.\"category_year\", "
        "\"size_band\" = excluded.\"size_band\", \"size_band_year\" = excluded.\"size_band_year\", "
        "\"active\" = excluded.\"active\", \"postcode\" = excluded.\"postcode\", \"commune\" = "
        "excluded.\"commune\"";
    failed = tx->execute(sql, params);
    params.clear();
    rows = 0;
  };
  const auto text = [](const std::string& s) { return s.empty() ? Value() : Value(s); };
  const auto integer = [](int i) { return i > 0 ? Value(static_cast<int64_t>(i)) : Value(); };
  POLES_RETURN_IF_ERROR(
      stream_stock(legal_units, columns, required, [&](const std::vector<std::string>& v, int64_t) {
        ++report.records;
        if (!kept(v)) {
          ++report.skipped;
          return;
        }
        const bool naf2 = v[13].empty() || v[13] == "NAFRev2";
        const auto it = head.find(number(v[0]));
        report.head_offices += it != head.end();
        const std::string naf = naf2 && !validate::naf(v[12]) ? v[12] : std::string();
        for (Value x : {text(v[0]), text(v[10]), text(v[4]), text(naf), integer(year_of_date(v[3])),
                        text(v[7]), integer(year_of_date(v[8])), text(v[5]),
                        integer(year_of_date(v[6])), Value(static_cast<int64_t>(v[9] != "C")),
                        it != head.end() ? text(unpacked(it->second.data())) : Value(),
                        it != head.end() ? text(unpacked(it->second.data() + 5)) : Value()})
          params.push_back(std::move(x));
        ++rows;
        ++report.stored;
        if (rows == kBatch) flush();
      }));
  flush();
  POLES_RETURN_IF_ERROR(failed);
  if (!dry_run) POLES_RETURN_IF_ERROR(tx->commit());
  return report;
}

namespace {

// The columns of `sirene_unit` a LegalUnit is read from, in unit_of_row's order.
constexpr std::string_view kUnitColumns =
    "\"siren\", \"name\", \"acronym\", \"naf\", \"postcode\", \"commune\", \"category\", "
    "\"size_band\", \"created\", \"category_year\", \"active\"";

LegalUnit unit_of_row(const Row& r) {
  const auto year = [](const Value& v) {
    return std::holds_alternative<int64_t>(v) ? static_cast<int>(std::get<int64_t>(v)) : 0;
  };
  LegalUnit u;
  u.siren = value_to_text(r[0]);
  u.name = value_to_text(r[1]);
  u.acronym = value_to_text(r[2]);
  u.naf = value_to_text(r[3]);
  u.postcode = value_to_text(r[4]);
  u.commune = value_to_text(r[5]);
  u.category = value_to_text(r[6]);
  u.size_band = value_to_text(r[7]);
  u.created = year(r[8]);
  u.category_year = year(r[9]);
  u.active = !std::holds_alternative<int64_t>(r[10]) || std::get<int64_t>(r[10]) != 0;
  return u;
}

}  // namespace

Result<std::vector<LegalUnit>> stored_units(store::Store& store) {
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      store.query(fmt::format("SELECT {} FROM \"sirene_unit\" ORDER BY \"siren\"", kUnitColumns),
                  {}));
  std::vector<LegalUnit> units;
  units.reserve(rows.size());
  for (const auto& r : rows) units.push_back(unit_of_row(r));
  return units;
}

namespace {

// The row that sets an organisation's SIREN and fills its gaps from the unit.
struct OrganisationRow {
  Row row;
  bool size_class = false;  // the size class comes from SIRENE
};

Result<OrganisationRow> linked_row(store::Store& store, const std::string& organisation_id,
                                   const LegalUnit* unit, const std::string& siren) {
  const auto& org = *schema::find_entity("organisation");
  POLES_ASSIGN_OR_RETURN(auto stored, store.get(org, Row{Value(organisation_id)}));
  if (!stored) return Status::not_found(fmt::format("no organisation '{}'", organisation_id));
  OrganisationRow out{*stored, false};
  Row& row = out.row;
  const auto field = [&](std::string_view f) -> Value& {
    return row[static_cast<size_t>(schema::field_index(org, f))];
  };
  const auto empty = [&](std::string_view f) {
    return std::holds_alternative<std::monostate>(field(f));
  };
  field("siren") = siren;
  if (unit != nullptr) {
    if (empty("naf") && !unit->naf.empty()) field("naf") = unit->naf;
    if (empty("commune") && empty("department") && empty("region") && !unit->commune.empty() &&
        !validate::commune(unit->commune))
      field("commune") = unit->commune;
    if (empty("founded") && unit->created >= 1800)
      field("founded") = static_cast<int64_t>(unit->created);
    const std::string size = size_class_of_sirene(unit->category, unit->size_band);
    if (empty("size_class") && empty("headcount") && empty("turnover") && empty("balance_sheet") &&
        !size.empty()) {
      field("size_class") = size;
      out.size_class = true;
    }
  }
  return out;
}

}  // namespace

Result<ResolveReport> resolve_organisations(store::Store& store, const MatchOptions& options,
                                            bool dry_run, const std::string& actor) {
  ResolveReport report;
  POLES_ASSIGN_OR_RETURN(auto units, stored_units(store));
  const SireneIndex index(std::move(units));
  std::unordered_map<std::string, uint32_t> unit_of;
  for (uint32_t i = 0; i < index.size(); ++i) unit_of.emplace(index.unit(i).siren, i);
  // A person's decisions are kept.
  std::unordered_set<std::string> decided;
  {
    POLES_ASSIGN_OR_RETURN(
        auto rows,
        store.query("SELECT \"organisation_id\" FROM \"siren_match\" WHERE \"decided_by\" IS NOT "
                    "NULL",
                    {}));
    for (auto& r : rows) decided.insert(value_to_text(r[0]));
  }
  std::unordered_map<std::string, std::string> holder;  // SIREN -> organisation holding it
  {
    POLES_ASSIGN_OR_RETURN(
        auto rows,
        store.query("SELECT \"siren\", \"id\" FROM \"organisation\" WHERE \"siren\" IS NOT NULL",
                    {}));
    for (auto& r : rows) holder.emplace(value_to_text(r[0]), value_to_text(r[1]));
  }
  POLES_ASSIGN_OR_RETURN(
      auto orgs, store.query("SELECT \"id\", \"name\", \"commune\", \"department\", \"naf\", "
                             "\"founded\", \"country\" FROM \"organisation\" WHERE \"siren\" IS "
                             "NULL ORDER BY \"id\"",
                             {}));
  struct Outcome {
    std::string id, name, status, siren, duplicate_of;
    double score = 0;
    nlohmann::json candidates;
  };
  std::vector<Outcome> outcomes;
  std::vector<std::pair<Row, std::string>> linked_rows;  // written once every row is read
  const auto& org_e = *schema::find_entity("organisation");
  for (auto& r : orgs) {
    const std::string country = value_to_text(r[6]);
    if (!country.empty() && country != "FR") continue;
    ++report.organisations;
    MatchQuery q;
    q.id = value_to_text(r[0]);
    if (decided.contains(q.id)) {
      ++report.kept;
      continue;
    }
    q.name = value_to_text(r[1]);
    q.commune = value_to_text(r[2]);
    q.department = value_to_text(r[3]);
    q.naf = value_to_text(r[4]);
    q.founded =
        std::holds_alternative<int64_t>(r[5]) ? static_cast<int>(std::get<int64_t>(r[5])) : 0;
    const MatchOutcome m = index.match(q, options);
    Outcome o{
        q.id, q.name, std::string(match_status_code(m.status)), "", "", 0, nlohmann::json::array()};
    for (const auto& c : m.candidates) o.candidates.push_back(candidate_json(index, c));
    if (!m.candidates.empty()) o.score = m.candidates[0].score;
    if (m.status == MatchStatus::kAccepted) {
      const LegalUnit& unit = index.unit(m.candidates[0].unit);
      o.siren = unit.siren;
      if (auto h = holder.find(unit.siren); h != holder.end()) {
        o.status = "duplicate";
        o.duplicate_of = h->second;
        ++report.duplicates;
      } else {
        POLES_ASSIGN_OR_RETURN(auto linked, linked_row(store, q.id, &unit, unit.siren));
        holder.emplace(unit.siren, q.id);
        report.size_classes += linked.size_class;
        linked_rows.emplace_back(std::move(linked.row), "sirene_unit " + unit.siren);
        ++report.accepted;
      }
    } else if (m.status == MatchStatus::kReview) {
      ++report.review;
    } else {
      ++report.none;
    }
    outcomes.push_back(std::move(o));
  }
  // A person may have decided on one of them while this run matched (a rejection leaves the
  // SIREN empty, which a fill-gaps write would then set): read the decisions again and leave
  // those organisations to the person. (The window left is the loader's few milliseconds.)
  {
    POLES_ASSIGN_OR_RETURN(
        auto rows,
        store.query("SELECT \"organisation_id\" FROM \"siren_match\" WHERE \"decided_by\" IS NOT "
                    "NULL",
                    {}));
    std::unordered_set<std::string> now;
    for (auto& r : rows) {
      if (!decided.contains(value_to_text(r[0]))) now.insert(value_to_text(r[0]));
    }
    const size_t id = static_cast<size_t>(schema::field_index(org_e, "id"));
    const auto before = linked_rows.size();
    std::erase_if(linked_rows,
                  [&](const auto& l) { return now.contains(value_to_text(l.first[id])); });
    report.accepted -= static_cast<int64_t>(before - linked_rows.size());
    report.kept += static_cast<int64_t>(before - linked_rows.size());
  }
  // The loader's transaction opens now: a store reads nothing else while it is open.
  Loader loader(store, {100, dry_run, actor});
  for (auto& [row, origin] : linked_rows)
    loader.add(org_e, std::move(row), RowOrigin{origin, 0, nullptr}, Merge::kFillGaps);
  POLES_ASSIGN_OR_RETURN(
      report.load,
      loader.finish(
          "SIREN matched with SIRENE legal units (StockUniteLegale: siren, naf, commune, founded; "
          "size_class from categorieEntreprise and trancheEffectifsUniteLegale)"));
  if (dry_run) return report;
  POLES_ASSIGN_OR_RETURN(auto tx, store.begin());
  const std::string at = now_utc();
  // Automatic outcomes of organisations that are gone, or have a SIREN from elsewhere, leave
  // the queue (an automatic match stays, as long as the organisation keeps that SIREN).
  POLES_RETURN_IF_ERROR(tx->execute(
      "DELETE FROM \"siren_match\" WHERE \"decided_by\" IS NULL AND \"organisation_id\" NOT IN "
      "(SELECT \"id\" FROM \"organisation\" WHERE \"siren\" IS NULL) AND NOT (\"status\" = "
      "'accepted' AND \"siren\" IS NOT NULL AND \"siren\" = COALESCE((SELECT o.\"siren\" FROM "
      "\"organisation\" o WHERE o.\"id\" = \"siren_match\".\"organisation_id\"), ''))",
      {}));
  for (const auto& o : outcomes) {
    // A person's decision made while this run matched is kept (the insert then does nothing).
    POLES_RETURN_IF_ERROR(tx->execute(
        "DELETE FROM \"siren_match\" WHERE \"organisation_id\" = ? AND \"decided_by\" IS NULL",
        {Value(o.id)}));
    POLES_RETURN_IF_ERROR(tx->execute(
        "INSERT INTO \"siren_match\" (\"organisation_id\", \"name\", \"status\", \"siren\", "
        "\"score\", \"duplicate_of\", \"candidates\", \"decided_at\") VALUES (?,?,?,?,?,?,?,?) "
        "ON CONFLICT (\"organisation_id\") DO NOTHING",
        {Value(o.id), Value(o.name), Value(o.status), o.siren.empty() ? Value() : Value(o.siren),
         Value(o.score), o.duplicate_of.empty() ? Value() : Value(o.duplicate_of),
         Value(o.candidates.dump()), Value(at)}));
  }
  POLES_RETURN_IF_ERROR(tx->commit());
  return report;
}

Status decide_match(store::Store& store, const std::string& organisation_id,
                    const std::string& siren, const std::string& actor) {
  const auto& org_e = *schema::find_entity("organisation");
  POLES_ASSIGN_OR_RETURN(auto stored, store.get(org_e, Row{Value(organisation_id)}));
  if (!stored) return Status::not_found(fmt::format("no organisation '{}'", organisation_id));
  const Value& current = (*stored)[static_cast<size_t>(schema::field_index(org_e, "siren"))];
  if (!std::holds_alternative<std::monostate>(current))
    return Status::conflict(fmt::format("organisation '{}' already has the SIREN {}",
                                        organisation_id, value_to_text(current)));
  const std::string name =
      value_to_text((*stored)[static_cast<size_t>(schema::field_index(org_e, "name"))]);
  if (!siren.empty()) {
    if (auto rule = validate::siren(siren)) return Status::invalid_argument(*rule);
    POLES_ASSIGN_OR_RETURN(
        auto held,
        store.query("SELECT \"id\" FROM \"organisation\" WHERE \"siren\" = ?", {Value(siren)}));
    if (!held.empty())
      return Status::conflict(
          fmt::format("the SIREN {} is already organisation '{}''s: merge the two organisations",
                      siren, value_to_text(held[0][0])));
    POLES_ASSIGN_OR_RETURN(
        auto units,
        store.query(fmt::format("SELECT {} FROM \"sirene_unit\" WHERE \"siren\" = ?", kUnitColumns),
                    {Value(siren)}));
    if (units.empty())
      return Status::not_found(
          fmt::format("the SIREN {} is not among the legal units of the SIRENE reference", siren));
    const LegalUnit unit = unit_of_row(units[0]);
    POLES_ASSIGN_OR_RETURN(auto linked, linked_row(store, organisation_id, &unit, siren));
    Loader loader(store, {100, false, actor});
    loader.add(org_e, std::move(linked.row), RowOrigin{"decision " + siren, 0, nullptr},
               Merge::kFillGaps);
    POLES_RETURN_IF_ERROR(
        loader
            .finish(
                "SIREN decided by a person; gaps filled from SIRENE legal units (StockUniteLegale)")
            .status());
  }
  POLES_ASSIGN_OR_RETURN(auto tx, store.begin());
  POLES_ASSIGN_OR_RETURN(
      auto previous,
      tx->query(
          "SELECT \"candidates\", \"score\" FROM \"siren_match\" WHERE \"organisation_id\" = ?",
          {Value(organisation_id)}));
  POLES_RETURN_IF_ERROR(tx->execute("DELETE FROM \"siren_match\" WHERE \"organisation_id\" = ?",
                                    {Value(organisation_id)}));
  POLES_RETURN_IF_ERROR(tx->execute(
      "INSERT INTO \"siren_match\" (\"organisation_id\", \"name\", \"status\", \"siren\", "
      "\"score\", \"candidates\", \"decided_by\", \"decided_at\") VALUES (?,?,?,?,?,?,?,?)",
      {Value(organisation_id), Value(name), Value(siren.empty() ? "rejected" : "accepted"),
       siren.empty() ? Value() : Value(siren), previous.empty() ? Value() : previous[0][1],
       previous.empty() ? Value(std::string("[]")) : previous[0][0], Value(actor),
       Value(now_utc())}));
  return tx->commit();
}

}  // namespace poles::import
