// Reading CORDIS H2020's participations for the link-prediction hold-out (network/linkpred.h).
#include <fmt/format.h>
#include <zlib.h>

#include <memory>
#include <sstream>

#include "formats/csv.h"
#include "network/linkpred.h"

namespace poles::network {
namespace {

// A gzip file's text, whole (the files are a few megabytes).
Result<std::string> gunzip(const std::string& path) {
  const std::unique_ptr<gzFile_s, int (*)(gzFile)> f(gzopen(path.c_str(), "rb"), gzclose);
  if (!f) return Status::not_found(fmt::format("{}: cannot open the file", path));
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const int n = gzread(f.get(), buf, sizeof buf);
    if (n < 0) return Status::invalid_argument(fmt::format("{}: not a readable gzip file", path));
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Calls `row` with each record's fields by the names asked; a missing column is an error.
Status read_csv(const std::string& path, const std::vector<std::string>& columns,
                const std::function<Status(const std::vector<std::string>&, int64_t)>& row) {
  POLES_ASSIGN_OR_RETURN(const std::string text, gunzip(path));
  std::istringstream in(text);
  std::vector<size_t> at;
  Status failed = Status::ok();
  std::vector<std::string> values(columns.size());
  formats::CsvReader reader;
  POLES_RETURN_IF_ERROR(
      reader.read(in, path, [&](std::span<const std::string> fields, int64_t line) {
        if (at.empty()) {
          for (const auto& c : columns) {
            const auto it = std::find(fields.begin(), fields.end(), c);
            if (it == fields.end()) {
              failed = Status::invalid_argument(fmt::format("{}: no column '{}'", path, c));
              return false;
            }
            at.push_back(static_cast<size_t>(it - fields.begin()));
          }
          return true;
        }
        for (size_t i = 0; i < at.size(); ++i)
          values[i] = at[i] < fields.size() ? fields[at[i]] : "";
        failed = row(values, line);
        return failed.is_ok();
      }));
  return failed;
}

}  // namespace

Result<LinkData> read_cordis_h2020(const std::string& dir) {
  LinkData out;
  POLES_RETURN_IF_ERROR(read_csv(
      dir + "/h2020_participations.csv.gz", {"rcn", "pic", "type", "country", "start_year"},
      [&](const std::vector<std::string>& v, int64_t line) {
        int year = 0;
        if (!v[4].empty() && v[4] != "NA") {
          try {
            year = std::stoi(v[4]);
          } catch (const std::exception&) {
            return Status::invalid_argument(fmt::format(
                "{}/h2020_participations.csv.gz, line {}: start_year '{}' is not a year", dir, line,
                v[4]));
          }
        }
        out.rows.push_back({v[0], v[1], v[2], v[3], year});
        return Status::ok();
      }));
  POLES_RETURN_IF_ERROR(read_csv(dir + "/h2020_programme_parts.csv.gz", {"rcn", "programme_part"},
                                 [&](const std::vector<std::string>& v, int64_t) {
                                   out.parts[v[0]].push_back(v[1]);
                                   return Status::ok();
                                 }));
  return out;
}

}  // namespace poles::network
