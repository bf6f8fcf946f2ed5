// The words of the codes a person may see, in French and English: web/vocab.json, the file the
// dashboard reads too (one vocabulary for the dashboard, the public portal and the reports).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace poles::report {

class Vocabulary {
 public:
  // InvalidArgument when the file is not {kind: {code: [French, English]}}.
  static Result<Vocabulary> parse(std::string_view json);
  static Result<Vocabulary> load(const std::filesystem::path& file);
  bool has(std::string_view kind, std::string_view code) const;
  // The label of a code, or the code itself when the vocabulary has no word for it.
  std::string label(std::string_view kind, std::string_view code, std::string_view lang) const;

 private:
  std::map<std::string, std::map<std::string, std::pair<std::string, std::string>, std::less<>>,
           std::less<>>
      words_;
};

// The vocabulary the reports write with: the one given to set_words() (the server's, from its
// web root), else web/vocab.json where Pôles is installed or in the source tree, read once; an
// empty vocabulary when neither can be read (codes are then shown as they are).
void set_words(std::shared_ptr<const Vocabulary> v);
std::shared_ptr<const Vocabulary> words();
// words()->label(kind, code, lang).
std::string word(std::string_view kind, std::string_view code, std::string_view lang);

}  // namespace poles::report
