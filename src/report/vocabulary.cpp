#include "report/vocabulary.h"

#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/paths.h"

namespace poles::report {

Result<Vocabulary> Vocabulary::parse(std::string_view json) {
  const auto j = nlohmann::json::parse(json, nullptr, false);
  const auto bad = [](const std::string& what) {
    return Status::invalid_argument("the vocabulary is not {kind: {code: [French, English]}}: " +
                                    what);
  };
  if (!j.is_object()) return bad("not an object");
  Vocabulary out;
  for (const auto& [kind, codes] : j.items()) {
    if (!codes.is_object()) return bad(kind);
    for (const auto& [code, words] : codes.items()) {
      if (!words.is_array() || words.size() != 2 || !words[0].is_string() || !words[1].is_string())
        return bad(kind + "." + code);
      out.words_[kind][code] = {words[0].get<std::string>(), words[1].get<std::string>()};
    }
  }
  return out;
}

Result<Vocabulary> Vocabulary::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::not_found("cannot read the vocabulary " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

bool Vocabulary::has(std::string_view kind, std::string_view code) const {
  const auto k = words_.find(kind);
  return k != words_.end() && k->second.find(code) != k->second.end();
}

std::string Vocabulary::label(std::string_view kind, std::string_view code,
                              std::string_view lang) const {
  const auto k = words_.find(kind);
  if (k == words_.end()) return std::string(code);
  const auto w = k->second.find(code);
  if (w == k->second.end()) return std::string(code);
  return lang == "en" ? w->second.second : w->second.first;
}

namespace {

std::mutex& words_mutex() {
  static std::mutex m;
  return m;
}
std::shared_ptr<const Vocabulary>& words_slot() {
  static std::shared_ptr<const Vocabulary> v;
  return v;
}

}  // namespace

void set_words(std::shared_ptr<const Vocabulary> v) {
  const std::lock_guard lock(words_mutex());
  words_slot() = std::move(v);
}

std::shared_ptr<const Vocabulary> words() {
  const std::lock_guard lock(words_mutex());
  auto& v = words_slot();
  if (!v) {
    const std::filesystem::path web = data_dir("web", POLES_SOURCE_WEB_ROOT);
    auto loaded = Vocabulary::load(web / "vocab.json");
    v = std::make_shared<const Vocabulary>(loaded ? std::move(*loaded) : Vocabulary{});
  }
  return v;
}

std::string word(std::string_view kind, std::string_view code, std::string_view lang) {
  return words()->label(kind, code, lang);
}

}  // namespace poles::report
