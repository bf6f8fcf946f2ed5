#include "formats/xlsx.h"

#include <expat.h>
#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <utility>

#include "core/date.h"

namespace poles::formats {

namespace {

Status bad_file(const std::string& name, std::string rule) {
  return Status::bad_input({FieldError{name, 0, 0, "", "", std::move(rule)}}, 1);
}

std::string_view local_name(const char* qname) {
  std::string_view n(qname);
  const auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const char* attribute(const char** attrs, std::string_view name) {
  for (int i = 0; attrs[i] != nullptr; i += 2)
    if (local_name(attrs[i]) == name) return attrs[i + 1];
  return nullptr;
}

// A non-negative integer attribute, or -1 (absent, malformed or beyond `max`).
int64_t integer_attribute(const char* text, int64_t max) {
  if (text == nullptr) return -1;
  int64_t v = -1;
  const std::string_view s(text);
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() && v >= 0 && v <= max ? v : -1;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

// One XML part's events. Parsed by expat with any DOCTYPE refused.
struct XmlHandler {
  virtual ~XmlHandler() = default;
  virtual void start(std::string_view name, const char** attrs) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(std::string_view) {}
  // Set by a handler to stop the parse (the row callback said stop, or a rule was broken).
  bool stop = false;
  std::string error;
};

struct XmlParseState {
  XML_Parser parser;
  XmlHandler* handler;
  bool doctype = false;
};

// Once a handler stopped the parse, expat may still deliver an event (the end of an empty element
// whose start stopped it): it is ignored, the handler's state being the one it refused.
void on_start(void* data, const char* name, const char** attrs) {
  auto* s = static_cast<XmlParseState*>(data);
  if (s->handler->stop) return;
  s->handler->start(local_name(name), attrs);
  if (s->handler->stop) XML_StopParser(s->parser, XML_FALSE);
}
void on_end(void* data, const char* name) {
  auto* s = static_cast<XmlParseState*>(data);
  if (s->handler->stop) return;
  s->handler->end(local_name(name));
  if (s->handler->stop) XML_StopParser(s->parser, XML_FALSE);
}
void on_text(void* data, const char* text, int len) {
  auto* s = static_cast<XmlParseState*>(data);
  if (s->handler->stop) return;
  s->handler->text(std::string_view(text, static_cast<size_t>(len)));
  if (s->handler->stop) XML_StopParser(s->parser, XML_FALSE);
}
void on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* s = static_cast<XmlParseState*>(data);
  s->doctype = true;
  XML_StopParser(s->parser, XML_FALSE);
}

bool is_builtin_date_format(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

// A custom number format shows a date when, outside quoted text, escapes and [..] sections
// (colours, conditions, locales), it holds a day, month, year, hour or second token.
bool is_date_format_code(std::string_view code) {
  if (lower_ascii(code) == "general") return false;
  bool quoted = false;
  int bracket = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (quoted) {
      quoted = c != '"';
      continue;
    }
    if (c == '"') {
      quoted = true;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (or padding)
    } else if (c == '[') {
      ++bracket;
    } else if (c == ']') {
      bracket = std::max(0, bracket - 1);
    } else if (bracket == 0) {
      switch (c) {
        case 'd':
        case 'D':
        case 'm':
        case 'M':
        case 'y':
        case 'Y':
        case 'h':
        case 'H':
        case 's':
        case 'S':
          return true;
        default:
          break;
      }
    }
  }
  return false;
}

// A serial day number as an ISO date (with the time when it has one); empty when out of range.
std::string serial_to_iso(double serial, bool date1904) {
  if (!std::isfinite(serial) || serial < 0 || serial > 2'958'465.0) return {};  // 9999-12-31
  auto days = static_cast<int64_t>(std::floor(serial));
  auto seconds = static_cast<int64_t>(std::llround((serial - static_cast<double>(days)) * 86400.0));
  if (seconds >= 86400) {
    ++days;
    seconds -= 86400;
  }
  Date epoch;
  if (date1904) {
    epoch = Date{1904, 1, 1};
  } else if (days == 60) {
    return {};  // 29 February 1900, which Excel counts and which never was
  } else {
    epoch = days < 60 ? Date{1899, 12, 31} : Date{1899, 12, 30};
  }
  std::string out = Date::from_days(epoch.to_days() + days).to_string();
  if (seconds > 0)
    out += fmt::format("T{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  return out;
}

std::string shortest_number(std::string_view raw) {
  double x = 0;
  const auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), x);
  if (ec != std::errc() || ptr != raw.data() + raw.size() || !std::isfinite(x))
    return std::string(raw);
  if (x == 0) return "0";  // and not "-0"
  return fmt::format("{}", x);
}

// "B12" -> 1 (0-based column), or -1.
int column_of_ref(std::string_view ref) {
  int col = 0;
  size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
    col = col * 26 + (ref[i] - 'A' + 1);
    if (col > 1'000'000) return -1;
  }
  return i == 0 ? -1 : col - 1;
}

// --- the parts ---------------------------------------------------------------------------

struct RelsHandler : XmlHandler {
  std::map<std::string, std::pair<std::string, std::string>> by_id;  // id -> (type, target)
  void start(std::string_view name, const char** attrs) override {
    if (name != "Relationship") return;
    const char* id = attribute(attrs, "Id");
    const char* target = attribute(attrs, "Target");
    const char* type = attribute(attrs, "Type");
    if (id != nullptr && target != nullptr) by_id[id] = {type != nullptr ? type : "", target};
  }
  void end(std::string_view) override {}
};

struct WorkbookHandler : XmlHandler {
  std::vector<std::pair<std::string, std::string>> sheets;  // name, relationship id
  bool date1904 = false;
  int max_sheets = 1'000;
  void start(std::string_view name, const char** attrs) override {
    if (name == "sheet") {
      if (static_cast<int>(sheets.size()) >= max_sheets) {
        error = fmt::format("the workbook has more than {} sheets", max_sheets);
        stop = true;
        return;
      }
      const char* n = attribute(attrs, "name");
      const char* id = attribute(attrs, "id");
      if (n != nullptr && id != nullptr) sheets.emplace_back(n, id);
    } else if (name == "workbookPr") {
      const char* d = attribute(attrs, "date1904");
      date1904 = d != nullptr && (std::string_view(d) == "1" || std::string_view(d) == "true");
    }
  }
  void end(std::string_view) override {}
};

struct SharedStringsHandler : XmlHandler {
  std::vector<std::string> strings;
  int64_t max_count = 0;
  size_t max_string = 0;
  int depth_si = 0, depth_phonetic = 0;
  bool in_t = false;
  void start(std::string_view name, const char**) override {
    if (name == "si") {
      if (static_cast<int64_t>(strings.size()) >= max_count) {
        error = fmt::format("the workbook has more than {} shared strings", max_count);
        stop = true;
        return;
      }
      strings.emplace_back();
      depth_si = 1;
    } else if (name == "rPh") {
      ++depth_phonetic;  // phonetic reading of East Asian text: not the cell's text
    } else if (name == "t" && depth_si > 0 && depth_phonetic == 0) {
      in_t = true;
    }
  }
  void end(std::string_view name) override {
    if (name == "si") depth_si = 0;
    if (name == "rPh") --depth_phonetic;
    if (name == "t") in_t = false;
  }
  void text(std::string_view s) override {
    if (!in_t || strings.empty()) return;
    if (strings.back().size() + s.size() > max_string) {
      error = fmt::format("shared string {} is longer than a cell may be (32,767 characters)",
                          strings.size() - 1);
      stop = true;
      return;
    }
    strings.back() += s;
  }
};

struct StylesHandler : XmlHandler {
  std::map<int, std::string> formats;  // custom numFmtId -> format code
  std::vector<int> xf_format;          // cellXfs index -> numFmtId
  bool in_cell_xfs = false;
  void start(std::string_view name, const char** attrs) override {
    if (name == "numFmt") {
      const char* id = attribute(attrs, "numFmtId");
      const char* code = attribute(attrs, "formatCode");
      const int64_t n = integer_attribute(id, 1'000'000);
      if (n >= 0 && code != nullptr) formats[static_cast<int>(n)] = code;
    } else if (name == "cellXfs") {
      in_cell_xfs = true;
    } else if (name == "xf" && in_cell_xfs) {
      const char* id = attribute(attrs, "numFmtId");
      xf_format.push_back(static_cast<int>(std::max<int64_t>(0, integer_attribute(id, 1'000'000))));
    }
  }
  void end(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs = false;
  }
  std::vector<bool> date_styles() const {
    std::vector<bool> out;
    out.reserve(xf_format.size());
    for (int id : xf_format) {
      const auto it = formats.find(id);
      out.push_back(it != formats.end() ? is_date_format_code(it->second)
                                        : is_builtin_date_format(id));
    }
    return out;
  }
};

struct SheetHandler : XmlHandler {
  const std::vector<std::string>* shared = nullptr;
  const std::vector<bool>* date_style = nullptr;
  bool date1904 = false;
  int max_columns = 16'384;
  int64_t max_rows = 1'048'576;
  int64_t max_cells = 20'000'000;
  size_t max_string = 32'767 * 4;
  int64_t cells_read = 0;
  const XlsxRowFn* on_row = nullptr;
  std::string sheet;

  std::vector<std::string> cells;
  int64_t row = 0;
  int next_column = 0;
  int column = 0;
  std::string type;
  int style = 0;
  std::string value;  // <v> or the inline string
  bool in_value = false, in_inline = false;

  void start(std::string_view name, const char** attrs) override {
    if (name == "row") {
      const char* r = attribute(attrs, "r");
      const int64_t next = r != nullptr ? integer_attribute(r, max_rows) : row + 1;
      if (next < 1 || next > max_rows || next <= row) {
        error = next > 0 && next <= row
                    ? fmt::format("sheet '{}': row {} comes after row {}", sheet, next, row)
                    : fmt::format("sheet '{}': row number '{}' is not between 1 and {}", sheet,
                                  r != nullptr ? r : "", max_rows);
        stop = true;
        return;
      }
      row = next;
      cells.clear();
      next_column = 0;
    } else if (name == "c") {
      const char* r = attribute(attrs, "r");
      column = r != nullptr ? column_of_ref(r) : next_column;
      if (column < 0 || column >= max_columns) {
        error = fmt::format("sheet '{}' row {}: cell reference '{}' is beyond column {}", sheet,
                            row, r != nullptr ? r : "", xlsx_column_name(max_columns - 1));
        stop = true;
        return;
      }
      next_column = column + 1;
      const char* t = attribute(attrs, "t");
      type = t != nullptr ? t : "n";
      const char* s = attribute(attrs, "s");
      style = static_cast<int>(std::max<int64_t>(0, integer_attribute(s, 1'000'000)));
      value.clear();
    } else if (name == "v") {
      in_value = true;
    } else if (name == "is") {
      in_inline = true;
    }
  }

  void text(std::string_view s) override {
    if (!(in_value || in_inline)) return;
    if (value.size() + s.size() > max_string) {
      error = fmt::format("{}: the cell is longer than a cell may be (32,767 characters)",
                          xlsx_cell_name(sheet, column, row));
      stop = true;
      return;
    }
    value += s;
  }

  void end(std::string_view name) override {
    if (name == "v") {
      in_value = false;
    } else if (name == "is") {
      in_inline = false;
    } else if (name == "c") {
      store_cell();
    } else if (name == "row") {
      while (!cells.empty() && cells.back().empty()) cells.pop_back();
      cells_read += static_cast<int64_t>(cells.size());
      if (cells_read > max_cells) {
        error = fmt::format(
            "sheet '{}' holds more than {} cells (counting the empty ones inside "
            "rows)",
            sheet, max_cells);
        stop = true;
        return;
      }
      if (!cells.empty() && !(*on_row)(cells, row)) stop = true;
    }
  }

  void store_cell() {
    if (column < 0 || column >= max_columns) return;  // refused at its start
    std::string text;
    if (type == "s") {
      size_t i = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), i);
      if (ec != std::errc() || ptr != value.data() + value.size() || i >= shared->size()) {
        error = fmt::format("{}: shared string index '{}' does not exist",
                            xlsx_cell_name(sheet, column, row), value);
        stop = true;
        return;
      }
      text = (*shared)[i];
    } else if (type == "b") {
      text = value == "1" || value == "true" ? "1" : "0";
    } else if (type == "n") {
      const bool date = style >= 0 && static_cast<size_t>(style) < date_style->size() &&
                        (*date_style)[static_cast<size_t>(style)];
      double x = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
      std::string iso;
      if (date && ec == std::errc() && ptr == value.data() + value.size())
        iso = serial_to_iso(x, date1904);
      text = !iso.empty() ? iso : shortest_number(value);
    } else {  // inlineStr, str (a formula's text), e (an error), d (an ISO date)
      text = value;
      if (type == "d" && text.size() > 10 && text.substr(10) == "T00:00:00") text.resize(10);
    }
    if (text.empty()) return;
    if (cells.size() <= static_cast<size_t>(column)) cells.resize(static_cast<size_t>(column) + 1);
    cells[static_cast<size_t>(column)] = std::move(text);
  }
};

}  // namespace

std::string xlsx_column_name(int column) {
  std::string out;
  for (int c = column + 1; c > 0; c = (c - 1) / 26)
    out.insert(out.begin(), static_cast<char>('A' + (c - 1) % 26));
  return out;
}

std::string xlsx_cell_name(std::string_view sheet, int column, int64_t row) {
  return fmt::format("{}!{}{}", sheet, xlsx_column_name(column), row);
}

bool looks_like_xlsx(std::string_view head) { return head.substr(0, 4) == "PK\x03\x04"; }

struct XlsxBook::Impl {
  std::string name;
  XlsxLimits limits;
  std::string bytes;  // open_bytes: the archive libzip reads from
  zip_t* zip = nullptr;
  std::vector<std::string> sheet_names;
  std::vector<std::string> sheet_paths;
  std::vector<std::string> shared;
  std::vector<bool> date_style;
  bool date1904 = false;
  mutable uint64_t total_inflated = 0;  // every part read since the workbook was opened

  ~Impl() {
    if (zip != nullptr) zip_discard(zip);
  }

  Status check_archive() {
    const zip_int64_t n = zip_get_num_entries(zip, 0);
    if (n < 0) return bad_file(name, "not a readable XLSX (ZIP) archive");
    if (n > limits.max_entries)
      return bad_file(name, fmt::format("the archive has {} entries, more than the limit of {}", n,
                                        limits.max_entries));
    uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; ++i) {
      zip_stat_t st;
      zip_stat_init(&st);
      if (zip_stat_index(zip, static_cast<zip_uint64_t>(i), 0, &st) != 0 || st.name == nullptr)
        return bad_file(name, "an entry of the archive cannot be read");
      const std::string_view entry(st.name);
      if (entry.starts_with('/') || entry.starts_with('\\') || entry.find("..") != entry.npos)
        return bad_file(name, fmt::format("entry '{}' points outside the archive", entry));
      if (st.size > limits.max_entry_bytes)
        return bad_file(name, fmt::format("entry '{}' inflates to {} bytes, more than the limit",
                                          entry, st.size));
      total += st.size;
      if (st.size > (1U << 20) && static_cast<double>(st.comp_size) <
                                      limits.min_inflate_ratio * static_cast<double>(st.size))
        return bad_file(
            name, fmt::format("entry '{}' inflates {:.0f} times: refused as a zip bomb", entry,
                              static_cast<double>(st.size) / std::max<double>(1.0, st.comp_size)));
    }
    if (total > limits.max_total_bytes)
      return bad_file(name,
                      fmt::format("the archive inflates to {} bytes, more than the limit", total));
    return Status::ok();
  }

  zip_int64_t locate(const std::string& path) const {
    zip_int64_t i = zip_name_locate(zip, path.c_str(), 0);
    if (i < 0) i = zip_name_locate(zip, path.c_str(), ZIP_FL_NOCASE);
    return i;
  }

  // Streams one part through `handler`; a missing optional part is not an error.
  Status parse(const std::string& path, XmlHandler& handler, bool optional) const {
    const zip_int64_t index = locate(path);
    if (index < 0)
      return optional ? Status::ok()
                      : bad_file(name, fmt::format("not an XLSX workbook: '{}' is missing", path));
    zip_stat_t st;
    zip_stat_init(&st);
    zip_stat_index(zip, static_cast<zip_uint64_t>(index), 0, &st);
    zip_file_t* file = zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr) return bad_file(name, fmt::format("'{}' cannot be inflated", path));
    XML_Parser parser = XML_ParserCreate(nullptr);
    XmlParseState state{parser, &handler};
    XML_SetUserData(parser, &state);
    XML_SetElementHandler(parser, on_start, on_end);
    XML_SetCharacterDataHandler(parser, on_text);
    XML_SetStartDoctypeDeclHandler(parser, on_doctype);
    // Large blocks: expat 2.5 scans a token again for each block it spans (CVE-2023-52425), so
    // the cost of one huge token is its size squared over the block's.
    std::vector<char> buffer(static_cast<size_t>(
        std::clamp<uint64_t>(st.size + 1, uint64_t{1} << 16, uint64_t{4} << 20)));
    uint64_t inflated = 0;
    Status result = Status::ok();
    for (bool done = false; !done;) {
      const zip_int64_t got = zip_fread(file, buffer.data(), buffer.size());
      if (got < 0) {
        result = bad_file(name, fmt::format("'{}' is corrupt ({})", path,
                                            zip_error_strerror(zip_file_get_error(file))));
        break;
      }
      inflated += static_cast<uint64_t>(got);
      total_inflated += static_cast<uint64_t>(got);
      if (inflated > st.size || inflated > limits.max_entry_bytes) {
        result = bad_file(name, fmt::format("'{}' inflates beyond its declared size", path));
        break;
      }
      if (total_inflated > limits.max_total_bytes) {
        result = bad_file(name, "the workbook inflates beyond the size limit");
        break;
      }
      done = got == 0;
      if (XML_Parse(parser, buffer.data(), static_cast<int>(got), done ? XML_TRUE : XML_FALSE) ==
          XML_STATUS_ERROR) {
        if (state.doctype) {
          result = bad_file(name, fmt::format("'{}' declares a DOCTYPE: refused", path));
        } else if (!handler.error.empty()) {
          result = bad_file(name, handler.error);
        } else if (!handler.stop) {
          result = bad_file(name, fmt::format("'{}' is not well-formed XML (line {}: {})", path,
                                              XML_GetCurrentLineNumber(parser),
                                              XML_ErrorString(XML_GetErrorCode(parser))));
        }
        break;
      }
    }
    XML_ParserFree(parser);
    zip_fclose(file);
    // A rule a handler broke, whichever event it came with.
    if (result.is_ok() && !handler.error.empty()) return bad_file(name, handler.error);
    return result;
  }

  Status load() {
    POLES_RETURN_IF_ERROR(check_archive());
    RelsHandler root;
    POLES_RETURN_IF_ERROR(parse("_rels/.rels", root, true));
    std::string workbook = "xl/workbook.xml";
    for (const auto& [id, rel] : root.by_id)
      if (rel.first.ends_with("/officeDocument")) workbook = rel.second;
    if (workbook.starts_with('/')) workbook.erase(0, 1);
    const auto slash = workbook.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : workbook.substr(0, slash + 1);

    WorkbookHandler book;
    book.max_sheets = limits.max_sheets;
    POLES_RETURN_IF_ERROR(parse(workbook, book, false));
    date1904 = book.date1904;
    RelsHandler rels;
    POLES_RETURN_IF_ERROR(
        parse(dir + "_rels/" + workbook.substr(dir.size()) + ".rels", rels, false));
    std::string shared_path = dir + "sharedStrings.xml", styles_path = dir + "styles.xml";
    for (const auto& [id, rel] : rels.by_id) {
      const std::string target =
          rel.second.starts_with('/') ? rel.second.substr(1) : dir + rel.second;
      if (rel.first.ends_with("/sharedStrings")) shared_path = target;
      if (rel.first.ends_with("/styles")) styles_path = target;
    }
    for (const auto& [sheet, id] : book.sheets) {
      const auto it = rels.by_id.find(id);
      if (it == rels.by_id.end()) continue;
      const auto& target = it->second.second;
      sheet_names.push_back(sheet);
      sheet_paths.push_back(target.starts_with('/') ? target.substr(1) : dir + target);
    }
    if (sheet_names.empty()) return bad_file(name, "the workbook has no sheet");

    SharedStringsHandler strings;
    strings.max_count = limits.max_shared_strings;
    strings.max_string = limits.max_string_bytes;
    POLES_RETURN_IF_ERROR(parse(shared_path, strings, true));
    shared = std::move(strings.strings);
    StylesHandler styles;
    POLES_RETURN_IF_ERROR(parse(styles_path, styles, true));
    date_style = styles.date_styles();
    return Status::ok();
  }
};

XlsxBook::XlsxBook(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XlsxBook::~XlsxBook() = default;
XlsxBook::XlsxBook(XlsxBook&&) noexcept = default;
XlsxBook& XlsxBook::operator=(XlsxBook&&) noexcept = default;

Result<XlsxBook> XlsxBook::open_file(const std::string& path, const XlsxLimits& limits) {
  auto impl = std::make_unique<Impl>();
  impl->name = path;
  impl->limits = limits;
  int code = 0;
  impl->zip = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (impl->zip == nullptr) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return bad_file(path, fmt::format("cannot be read as an XLSX (ZIP) archive: {}", why));
  }
  POLES_RETURN_IF_ERROR(impl->load());
  return XlsxBook(std::move(impl));
}

Result<XlsxBook> XlsxBook::open_bytes(std::string bytes, const std::string& name,
                                      const XlsxLimits& limits) {
  auto impl = std::make_unique<Impl>();
  impl->name = name;
  impl->limits = limits;
  impl->bytes = std::move(bytes);
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source =
      zip_source_buffer_create(impl->bytes.data(), impl->bytes.size(), 0, &error);
  if (source != nullptr) {
    impl->zip = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (impl->zip == nullptr) zip_source_free(source);
  }
  if (impl->zip == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return bad_file(name, fmt::format("cannot be read as an XLSX (ZIP) archive: {}", why));
  }
  zip_error_fini(&error);
  POLES_RETURN_IF_ERROR(impl->load());
  return XlsxBook(std::move(impl));
}

const std::vector<std::string>& XlsxBook::sheet_names() const { return impl_->sheet_names; }

std::string XlsxBook::resolve_sheet(std::string_view requested) const {
  const auto& names = impl_->sheet_names;
  if (requested.empty()) return names.front();
  const auto exact = std::find(names.begin(), names.end(), requested);
  if (exact != names.end()) return *exact;
  const auto wanted = lower_ascii(requested);
  const auto it = std::find_if(names.begin(), names.end(),
                               [&](const std::string& n) { return lower_ascii(n) == wanted; });
  return it == names.end() ? std::string() : *it;
}

Status XlsxBook::read_sheet(std::string_view sheet, const XlsxRowFn& on_row) const {
  size_t index = 0;
  if (!sheet.empty()) {
    const auto& names = impl_->sheet_names;
    const std::string resolved = resolve_sheet(sheet);
    const auto it =
        resolved.empty() ? names.end() : std::find(names.begin(), names.end(), resolved);
    if (it == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "'" : ", '") + n + "'";
      return bad_file(impl_->name,
                      fmt::format("the workbook has no sheet '{}' (sheets: {})", sheet, known));
    }
    index = static_cast<size_t>(it - names.begin());
  }
  SheetHandler handler;
  handler.shared = &impl_->shared;
  handler.date_style = &impl_->date_style;
  handler.date1904 = impl_->date1904;
  handler.max_columns = impl_->limits.max_columns;
  handler.max_rows = impl_->limits.max_rows;
  handler.max_cells = impl_->limits.max_cells;
  handler.max_string = impl_->limits.max_string_bytes;
  handler.on_row = &on_row;
  handler.sheet = impl_->sheet_names[index];
  return impl_->parse(impl_->sheet_paths[index], handler, false);
}

}  // namespace poles::formats
