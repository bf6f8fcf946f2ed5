// Documents to circulate: the sector sheet and the cluster report, as HTML or printed to PDF by
// headless Chromium, in French or English; a dashboard table as a workbook.
#include <fmt/format.h>

#include <atomic>
#include <cmath>

#include "app/access.h"
#include "app/evaluate.h"
#include "app/factory.h"
#include "formats/table.h"
#include "http/router.h"
#include "http/routes/documents.h"
#include "http/services.h"
#include "report/cluster_report.h"
#include "report/pdf.h"
#include "report/sector_sheet.h"

namespace poles::http {

// The format and language of a document.
app::ParamSpecs document_params(const app::ParamSpecs& base) {
  app::ParamSpecs out = base;
  out.push_back(app::choice_param("format", "Document format", {"html", "pdf"}, "html"));
  out.push_back(app::choice_param("lang", "Language of the document", {"fr", "en"}, "fr"));
  return out;
}

// Writes a document as HTML, or as the PDF printed from it.
void send_document(Ctx& c, const std::string& html, const std::string& name) {
  if (c.args.text("format") == "html") return c.res.set(200, "text/html; charset=utf-8", html);
  auto pdf = report::html_to_pdf_bytes(html);
  if (!pdf) return c.fail(pdf.error());
  c.res.set_header("Content-Disposition", fmt::format("inline; filename=\"{}.pdf\"", name));
  c.res.set(200, "application/pdf", std::move(*pdf));
}

void document_answers(RouteBuilder& b) {
  b.returns_media(200, "text/html", "The document as HTML (format=html)");
  b.returns_media(200, "application/pdf", "The document as PDF (format=pdf)");
}

// A table the dashboard shows, sent back to be written as a workbook: the rows the caller holds
// already (no store read, nothing it could not see), so any account may ask.
struct TableExportBody {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<tj::Json>> rows;
};
POLES_JSON(TableExportBody, name, columns, rows)

constexpr size_t kExportMaxColumns = 200;
constexpr size_t kExportMaxRows = 100000;
constexpr size_t kExportMaxCells = 2000000;
constexpr size_t kExportMaxText = 32767;  // libxlsxwriter's limit of a text, in bytes

// A text a spreadsheet stores as it is: characters XML 1.0 cannot carry become spaces (C0
// controls but tab, line feed and carriage return) or U+FFFD (U+FFFE, U+FFFF; the JSON reader
// has refused lone surrogates and invalid UTF-8 already).
std::string cell_text(std::string s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') s[i] = ' ';
    if (u == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xBE)
      s[i + 2] = static_cast<char>(0xBD);
  }
  return s;
}

// A file name of ASCII letters, digits and dashes.
std::string file_name(const std::string& name) {
  std::string out;
  for (char ch : name) {
    const bool keep =
        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (keep)
      out.push_back(ch);
    else if (!out.empty() && out.back() != '-')
      out.push_back('-');
    if (out.size() >= 60) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "tableau" : out;
}

Result<formats::Table> export_table(const TableExportBody& b) {
  const auto refuse = [](std::string rule) { return Status::invalid_argument(std::move(rule)); };
  if (b.columns.empty() || b.columns.size() > kExportMaxColumns)
    return refuse(fmt::format("a table to export has 1 to {} columns", kExportMaxColumns));
  if (b.rows.size() > kExportMaxRows)
    return refuse(fmt::format("a table to export has at most {} rows", kExportMaxRows));
  if (b.rows.size() * b.columns.size() > kExportMaxCells)
    return refuse(fmt::format("a table to export has at most {} cells", kExportMaxCells));
  formats::Table t;
  for (const auto& c : b.columns) {
    if (c.size() > kExportMaxText)
      return refuse(fmt::format("a cell holds at most {} bytes of text", kExportMaxText));
    t.columns.push_back(cell_text(c));
  }
  t.rows.reserve(b.rows.size());
  for (size_t r = 0; r < b.rows.size(); ++r) {
    const auto& in = b.rows[r];
    if (in.size() != b.columns.size())
      return refuse(
          fmt::format("row {} has {} cells for {} columns", r + 1, in.size(), b.columns.size()));
    Row row;
    row.reserve(in.size());
    for (const auto& v : in) {
      if (v.is_null()) {
        row.emplace_back();
      } else if (v.is_number() && std::isfinite(v.get<double>())) {
        row.emplace_back(v.get<double>());
      } else if (v.is_string() && v.get_ref<const std::string&>().size() <= kExportMaxText) {
        row.emplace_back(cell_text(v.get<std::string>()));
      } else {
        return refuse(fmt::format("row {}: a cell is a text of at most {} bytes, a number or null",
                                  r + 1, kExportMaxText));
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

void add_report_routes(Router& r, Services&) {
  auto xlsx = r.post("/api/v1/exports/table",
                     "A table of the dashboard as an XLSX workbook: the columns and rows sent "
                     "(texts, numbers, null), in one sheet named after the table",
                     "exports");
  // 16 MiB of JSON at most (about 2 million short cells; parsed, it takes ten times as much),
  // and two workbooks written at a time.
  xlsx.authenticated().large_body(16ull << 20).takes<TableExportBody>();
  xlsx.example({{"name", "Pôles 2024"},
                {"columns", {"Pôle", "Membres"}},
                {"rows", {{"Aerospace Valley", 812}, {"Minalogic", 410}}}});
  xlsx.returns_media(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "The workbook");
  xlsx.handle([](Ctx& c) {
    static std::atomic<int> writing{0};
    if (writing.fetch_add(1) >= 2) {
      writing.fetch_sub(1);
      c.res.set_header("Retry-After", "5");
      return problem(c.res, 503, "two workbooks are being written: try again in a few seconds");
    }
    struct Done {
      ~Done() { writing.fetch_sub(1); }
    } done;
    auto body = c.body<TableExportBody>();
    if (!body) return c.fail(body.error());
    auto table = export_table(*body);
    if (!table) return c.fail(table.error());
    auto bytes = formats::xlsx_bytes({{body->name, std::move(*table)}});
    if (!bytes) return c.fail(bytes.error());
    c.res.set_header("Content-Disposition",
                     fmt::format("attachment; filename=\"{}.xlsx\"", file_name(body->name)));
    c.res.set(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              std::move(*bytes));
  });

  auto sector =
      r.get("/api/v1/reports/sector/{sector}", "The sector sheet as a document", "foresight");
  sector.authenticated().params(document_params(app::sector_sheet_params()));
  document_answers(sector);
  sector.handle([](Ctx& c) {
    auto snap = c.snapshot();
    if (!snap) return c.fail(snap.error());
    auto sheet = app::sector_sheet(**snap, c.path[0], c.args, {}, app::Reader(**snap, c.user()));
    if (!sheet) return c.fail(sheet.error());
    send_document(c, report::sector_sheet_html(*sheet, c.args.text("lang")), "fiche-" + c.path[0]);
  });
  auto cluster = r.get("/api/v1/reports/cluster/{id}",
                       "A cluster's evaluation report (regions and cluster managers: the "
                       "published one, of their clusters)",
                       "evaluate");
  cluster.may(app::Op::kRead, "evaluation").params(document_params(app::evaluation_params()));
  document_answers(cluster);
  cluster.handle([](Ctx& c) {
    if (!reads_every_evaluation(c.user().role)) {
      // The report frozen at publication; a cluster out of scope is answered as a missing one.
      const int year = static_cast<int>(c.args.integer("year"));
      const Status missing = Status::not_found(
          fmt::format("no published report of cluster '{}' for {}", c.path[0], year));
      auto ok = app::may_read_evaluation(app::query_on(*c.store), c.user(), year, c.path[0]);
      if (!ok) return c.fail(ok.error());
      if (!*ok) return c.fail(missing);
      auto html = app::published_report(*c.store, year, c.path[0], c.args.text("lang"));
      if (!html) return c.fail(html.error());
      if (!*html) return c.fail(missing);
      return send_document(c, **html, "rapport-" + c.path[0]);
    }
    auto snap = c.snapshot();
    if (!snap) return c.fail(snap.error());
    auto doc = report::cluster_report(**snap, c.path[0], c.args.values(), c.args.text("lang"),
                                      false, &*c.store);
    if (!doc) return c.fail(doc.error());
    send_document(c, doc->second, "rapport-" + c.path[0]);
  });
}

}  // namespace poles::http
