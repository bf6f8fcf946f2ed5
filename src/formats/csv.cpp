#include "formats/csv.h"

#include <csv.h>
#include <fmt/format.h>

#include <istream>
#include <memory>
#include <vector>

namespace poles::formats {
namespace {

struct ParseState {
  const RecordFn* on_record = nullptr;
  std::vector<std::string> fields;  // reused across records (capacity kept)
  size_t count = 0;                 // fields of the current record
  int64_t line = 1;                 // physical line at the parse position
  int64_t record_line = 1;          // line where the current record started
  bool last_was_cr = false;
  bool stopped = false;
};

void on_field(void* data, size_t len, void* user) {
  auto* st = static_cast<ParseState*>(user);
  if (st->count == 0) st->record_line = st->line;
  if (st->count < st->fields.size()) {
    st->fields[st->count].assign(static_cast<const char*>(data), len);
  } else {
    st->fields.emplace_back(static_cast<const char*>(data), len);
  }
  ++st->count;
  for (size_t i = 0; i < len; ++i) {
    if (static_cast<const char*>(data)[i] == '\n') ++st->line;
  }
  st->last_was_cr = false;
}

void on_record_end(int c, void* user) {
  auto* st = static_cast<ParseState*>(user);
  const bool bare = st->count == 0;
  if (!bare && !st->stopped) {
    if (!(*st->on_record)(std::span<const std::string>(st->fields.data(), st->count),
                          st->record_line)) {
      st->stopped = true;
    }
  }
  st->count = 0;
  if (c == '\r') {
    ++st->line;
    st->last_was_cr = true;
  } else if (c == '\n') {
    if (!(bare && st->last_was_cr)) ++st->line;
    st->last_was_cr = false;
  }
}

struct ParserDeleter {
  void operator()(csv_parser* p) const noexcept {
    csv_free(p);
    delete p;  // NOLINT(cppcoreguidelines-owning-memory): paired with the new in make_parser
  }
};
using ParserPtr = std::unique_ptr<csv_parser, ParserDeleter>;

ParserPtr make_parser(char delimiter) {
  ParserPtr p(new csv_parser);  // NOLINT(cppcoreguidelines-owning-memory)
  if (csv_init(p.get(), CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) return nullptr;
  csv_set_delim(p.get(), static_cast<unsigned char>(delimiter));
  return p;
}

}  // namespace

char detect_delimiter(std::string_view first_line) {
  size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (char c : first_line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == ',') ++commas;
    if (c == ';') ++semicolons;
    if (c == '\t') ++tabs;
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

Status CsvReader::read(std::istream& in, const std::string& name, const RecordFn& on_record,
                       const ProgressFn& on_progress) {
  std::string chunk(options_.chunk_size, '\0');
  in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  size_t n = static_cast<size_t>(in.gcount());
  size_t offset = 0;
  if (n >= 3 && chunk.compare(0, 3, "\xEF\xBB\xBF") == 0) offset = 3;  // UTF-8 BOM
  if (options_.delimiter) {
    delimiter_ = *options_.delimiter;
  } else {
    const std::string_view head(chunk.data() + offset, n - offset);
    delimiter_ = detect_delimiter(head.substr(0, head.find('\n')));
  }
  ParserPtr parser = make_parser(delimiter_);
  if (!parser) return Status::internal("cannot initialise the CSV parser");
  ParseState st;
  st.on_record = &on_record;
  uint64_t consumed = 0;
  const auto fail = [&](size_t done) {
    FieldError e;
    e.file = name;
    e.line = st.count == 0 ? st.line : st.record_line;
    e.rule = fmt::format(
        "malformed CSV ({}); a field with a quote, separator or line break must be "
        "enclosed in double quotes, with inner quotes doubled",
        csv_strerror(csv_error(parser.get())));
    (void)done;
    return Status::bad_input({e});
  };
  while (n > 0) {
    const size_t len = n - offset;
    const size_t done =
        csv_parse(parser.get(), chunk.data() + offset, len, on_field, on_record_end, &st);
    if (done != len) return fail(done);
    consumed += n;
    if (on_progress) on_progress(consumed);
    if (st.stopped) return Status::ok();
    offset = 0;
    if (!in) break;
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    n = static_cast<size_t>(in.gcount());
  }
  if (csv_fini(parser.get(), on_field, on_record_end, &st) != 0) return fail(0);
  return Status::ok();
}

void append_csv_field(std::string& out, std::string_view field, char delimiter) {
  bool quote = !field.empty() && (field.front() == ' ' || field.back() == ' ' ||
                                  field.front() == '\t' || field.back() == '\t');
  for (char c : field) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace poles::formats
