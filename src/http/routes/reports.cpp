// Documents to circulate: the sector sheet and the cluster report, as HTML or printed to PDF by
// headless Chromium, in French or English.
#include <fmt/format.h>

#include "app/access.h"
#include "app/evaluate.h"
#include "app/factory.h"
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

void add_report_routes(Router& r, Services&) {
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
