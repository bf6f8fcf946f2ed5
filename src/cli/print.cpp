// Plain-text views of JSON results, shared by the analysis subcommands.
#include "cli/print.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

namespace poles::cli {

namespace {
std::string cell(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number()) return fmt::format("{:.4g}", v.get<double>());
  return v.dump();
}

// Characters (code points) of UTF-8 text: what a terminal column counts, and fmt's padding too.
size_t columns(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// At most `n` characters, never cutting one ("Zürich", not "Z\xC3"); "…" ends a cut text.
std::string clip(const std::string& s, size_t n) {
  if (columns(s) <= n) return s;
  size_t kept = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && kept++ == n - 1) break;
  }
  return s.substr(0, i) + "…";
}

constexpr size_t kMaxColumn = 40;

}  // namespace

// An array of flat objects as aligned columns (nested values are left out).
void print_table(const Json& rows) {
  if (!rows.is_array() || rows.empty()) {
    std::cout << "(none)\n";
    return;
  }
  std::vector<std::string> keys;
  for (const auto& [k, v] : rows[0].items()) {
    if (!v.is_structured()) keys.push_back(k);
  }
  std::vector<size_t> width;
  width.reserve(keys.size());
  for (const auto& k : keys) width.push_back(columns(k));
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : rows) {
    std::vector<std::string> line;
    for (size_t i = 0; i < keys.size(); ++i) {
      line.push_back(cell(r.contains(keys[i]) ? r[keys[i]] : Json(nullptr)));
      line.back() = clip(line.back(), kMaxColumn);
      width[i] = std::max(width[i], columns(line.back()));
    }
    cells.push_back(std::move(line));
  }
  auto print_line = [&](const std::vector<std::string>& line) {
    std::string out;
    for (size_t i = 0; i < line.size(); ++i) out += fmt::format("{:<{}}  ", line[i], width[i]);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    std::cout << out << "\n";
  };
  print_line(keys);
  for (const auto& line : cells) print_line(line);
}

// Nested objects as "a.b: value" lines; arrays of objects as tables under their name.
void print_object(const Json& j, const std::string& prefix) {
  for (const auto& [k, v] : j.items()) {
    const std::string name = prefix.empty() ? k : std::string(prefix).append(".").append(k);
    if (v.is_object()) {
      print_object(v, name);
    } else if (v.is_array() && !v.empty() && v[0].is_object()) {
      std::cout << "\n" << name << ":\n";
      print_table(v);
    } else {
      std::cout << name << ": " << (v.is_array() ? v.dump() : cell(v)) << "\n";
    }
  }
}

}  // namespace poles::cli
