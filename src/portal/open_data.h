// Open data (docs/portal.md, "Open data"): the public tables of the portal, downloadable as CSV
// and JSON under the Licence Ouverte Etalab 2.0, each with its data dictionary and dated by the
// data's version. Only what the portal's pages may show: the registry of clusters, the listed
// members (membership.listed), the labelled projects that agreed to publication and their
// partners' names, the calls for projects, and aggregate indicators by cluster — counts of rows
// and, for firm figures, cells that went through the secrecy engine before reaching this module.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot/snapshot.h"

namespace poles::portal {

// A column of an open table: its name, its type (string, integer, number, boolean, date) and
// what it holds, in French and English.
struct OpenColumn {
  std::string name, type, fr, en;
};

struct OpenTable {
  std::string name;  // the file's name: clusters, members, projects, ...
  std::string title_fr, title_en, about_fr, about_en;
  std::vector<OpenColumn> columns;
  // Cells as text in the column's type (dates YYYY-MM-DD, numbers with a dot); nullopt: empty.
  std::vector<std::vector<std::optional<std::string>>> rows;
};

// A firm figure of a cluster and a year after the secrecy engine: its value, or why it is masked
// ("primary", "secondary"). year 0: over every year.
struct ProtectedFigure {
  int cluster = 0;
  int year = 0;
  std::optional<double> value;
  std::string secret;
};

// The firm figures the indicators table publishes, each already protected (app layer).
struct ProtectedFigures {
  std::vector<ProtectedFigure> services_financing;  // financing raised by firms served
};

// The tables, in the order the open-data page lists them, without rows: the dictionary.
const std::vector<OpenTable>& open_dictionary();
// One table with its rows; nullopt when no table has that name.
std::optional<OpenTable> open_table(const snapshot::Snapshot& s, std::string_view name,
                                    const ProtectedFigures& figures);

// RFC 4180 CSV (comma, double quotes, CRLF), UTF-8, with the header row. A text cell that a
// spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) is
// written after a single quote, as OWASP advises: the file cannot run anything on a reader's
// machine.
std::string to_csv(const OpenTable& t);
// {"dataset", "title", "licence", "data_version", "data_date", "columns": [...], "rows": [{...}]}
// with numbers, booleans and nulls typed by the dictionary.
std::string to_json(const OpenTable& t, uint64_t data_version, const std::string& data_date);

inline constexpr std::string_view kLicenceName = "Licence Ouverte / Open Licence version 2.0";
inline constexpr std::string_view kLicenceUrl =
    "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf";

}  // namespace poles::portal
