// `poles pipeline …` (funnel, leverage), `poles services …` (SME services, digital diagnostics),
// `poles foresight …` (employment) and `poles report sector …` (the sector sheet as HTML or PDF).
#include "app/factory.h"

#include <fmt/format.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "app/cofunding.h"
#include "app/evaluate.h"
#include "cli/commands.h"
#include "cli/view_command.h"
#include "core/typed_json.h"
#include "report/cluster_report.h"
#include "report/pdf.h"
#include "report/sector_sheet.h"

namespace poles::cli {
namespace {

const std::vector<std::string_view> kPipelineTables = {"project", "project_event", "project_label",
                                                       "participation", "cluster"};
const std::vector<std::string_view> kFundingTables = {"project", "project_label", "project_funding",
                                                      "cluster"};
const std::vector<std::string_view> kServiceTables = {
    "service", "service_participant", "membership", "diagnostic", "project_label", "participation"};
const std::vector<std::string_view> kEmploymentTables = {"employment", "territory"};
const std::vector<std::string_view> kSheetTables = {
    "employment", "project_event", "project_label", "participation",
    "result",     "membership",    "service",       "service_participant",
    "diagnostic", "firm_year",     "member_census"};

// `report sector`: the sheet's parameters, the document's format and language, the file written.
const app::ParamSpecs& sheet_params() {
  static const app::ParamSpecs k = [] {
    app::ParamSpecs out = app::sector_sheet_params();
    out.push_back(app::choice_param("format", "Document format (pdf: printed by headless Chromium)",
                                    {"html", "pdf"}, "html"));
    out.push_back(app::text_param("output", "File written (default: fiche-<sector>.<format>)"));
    out.push_back(app::choice_param("lang", "Language of the document", {"fr", "en"}, "fr"));
    return out;
  }();
  return k;
}

// A view whose tables and JSON are its typed result as it is.
template <class Fn>
ViewFn plain(Fn fn) {
  return [fn](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
    POLES_ASSIGN_OR_RETURN(auto r, fn(s, a));
    return tj::to_json(r);
  };
}

const std::vector<std::string_view> kClusterReportTables = {
    "cluster_label", "membership",      "project_label",       "project_event", "participation",
    "result",        "service",         "service_participant", "diagnostic",    "cluster_budget",
    "contract",      "contract_target", "assessment",          "employment",    "firm_year",
    "member_census", "national_figure"};

}  // namespace

void add_factory(CLI::App& app, CommandContext& ctx) {
  CLI::App* pipe = app.add_subcommand(
      "pipeline",
      "From projects to products: the funnel, leverage of public aid, follow-on funding");
  pipe->require_subcommand(1);
  view_command(
      pipe, ctx,
      {.name = "funnel",
       .help = "Projects reaching each stage, conversion, durations, drop-outs, TRL gains",
       .tables = kPipelineTables,
       .params = app::funnel_params(),
       .table = "groups"},
      [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
        POLES_ASSIGN_OR_RETURN(auto r, app::pipeline_funnel(s, a.args));
        if (a.json) return tj::to_json(r);
        // Tables: one line per stage of the whole, one line per group.
        Json stages = Json::array(), groups = Json::array();
        for (const auto& st : r.all.stages) {
          stages.push_back(Json{
              {"stage", st.stage},
              {"reached", st.reached},
              {"conversion", st.conversion ? tj::to_json(*st.conversion) : Json()},
              {"median_days_to_next", st.to_next ? tj::to_json(st.to_next->median_days) : Json()},
              {"rejected_after", st.rejected_after},
              {"abandoned_after", st.abandoned_after}});
        }
        for (const auto& g : r.groups) {
          Json line{{"group", g.group}, {"projects", g.projects}};
          for (const auto& st : g.stages) line[st.stage] = st.reached;
          line["trl_gain"] = tj::to_json(g.trl.gain_mean);
          groups.push_back(std::move(line));
        }
        Json out{{"filter", tj::to_json(r.filter)},
                 {"projects", r.all.projects},
                 {"trl", tj::to_json(r.all.trl)},
                 {"time_to_market", tj::to_json(r.all.time_to_market)},
                 {"stages", stages}};
        if (!groups.empty()) out["groups"] = groups;
        return out;
      });
  view_command(
      pipe, ctx,
      {.name = "leverage",
       .help =
           "Private co-funding per euro of public aid, follow-on projects, European after national",
       .tables = kPipelineTables,
       .params = app::leverage_params(),
       .table = "groups"},
      plain([](const snapshot::Snapshot& s, const ViewArgs& a) {
        return app::pipeline_leverage(s, a.args);
      }));

  view_command(pipe, ctx,
               {.name = "funding",
                .help = "Public aid by funder over the projects of a cluster, of a region's "
                        "clusters, or one funder's money",
                .tables = kFundingTables,
                .params = app::funding_params(),
                .table = "by_funder"},
               plain([](const snapshot::Snapshot& s, const ViewArgs& a) {
                 return app::pipeline_funding(s, a.args);
               }));

  view_command(pipe, ctx,
               {.name = "cofunding",
                .help = "A Region's money on the clusters' projects by year, funder and cluster, "
                        "its leverage, and its clusters' published ratings and targets",
                .tables = kFundingTables,
                .id = {"region", "INSEE code of the region, e.g. 84"},
                .params = app::cofunding_params(),
                .table = "clusters"},
               plain([](const snapshot::Snapshot& s, const ViewArgs& a) {
                 return app::region_cofunding(s, *a.store, a.id, a.args);
               }));

  CLI::App* svc =
      app.add_subcommand("services", "SME services of the clusters and digital diagnostics");
  svc->require_subcommand(1);
  view_command(
      svc, ctx,
      {.name = "summary",
       .help = "Reach, intensity, heterogeneity, international activity, what follows a service",
       .tables = kServiceTables,
       .params = app::services_params(),
       .table = "clusters"},
      plain([](const snapshot::Snapshot& s, const ViewArgs& a) {
        return app::services_overview(s, a.args);
      }));
  view_command(
      svc, ctx,
      {.name = "diagnostics",
       .help =
           "Digital maturity by dimension, progress of firms diagnosed twice, aid after diagnosis",
       .tables = kServiceTables,
       .params = app::diagnostics_params(),
       .table = "clusters"},
      plain([](const snapshot::Snapshot& s, const ViewArgs& a) {
        return app::diagnostics_overview(s, a.args);
      }));

  CLI::App* fore = app.add_subcommand(
      "foresight", "Employment foresight: specialisation, shift-share, projections");
  fore->require_subcommand(1);
  view_command(
      fore, ctx,
      {.name = "employment",
       .help =
           "Location quotients and stars, shift-share of the change, projections with intervals",
       .tables = kEmploymentTables,
       .params = app::employment_params(),
       .table = "territories"},
      [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
        POLES_ASSIGN_OR_RETURN(auto r, app::employment_overview(s, a.args));
        if (a.json) return tj::to_json(r);
        Json projections = Json::array();
        for (const auto& p : r.projections) {
          if (p.points.empty()) {
            projections.push_back(
                {{"sector", p.sector}, {"annual_growth", nullptr}, {"note", p.error.value_or("")}});
            continue;
          }
          const auto& last = p.points.back();
          projections.push_back({{"sector", p.sector},
                                 {"annual_growth", tj::to_json(p.annual_growth)},
                                 {"year", last.year},
                                 {"projected", last.value},
                                 {"low", last.low},
                                 {"high", last.high}});
        }
        Json quotients = Json::array();
        for (const auto& x : r.specialisation) {
          quotients.push_back({{"territory", x.territory},
                               {"territory_name", x.territory_name},
                               {"sector", x.sector},
                               {"jobs", x.jobs},
                               {"lq", tj::to_json(x.lq)},
                               {"stars", x.stars}});
        }
        Json out{{"territory_level", r.territory_level}, {"nomenclature", r.nomenclature}};
        if (r.summed_from) out["summed_from"] = *r.summed_from;
        out.update(Json{{"year", r.year},
                        {"from", r.from},
                        {"to", r.to},
                        {"location_quotients", quotients},
                        {"projections", projections},
                        {"territories", tj::to_json(r.shift_share.territories)}});
        return out;
      });
  view_command(fore, ctx,
               {.name = "sectors",
                .help = "Sectors with employment figures",
                .tables = kEmploymentTables,
                .params = app::employment_sector_params(),
                .table = "items"},
               plain([](const snapshot::Snapshot& s, const ViewArgs& a) {
                 return app::employment_sectors(s, a.args);
               }));

  CLI::App* report = app.add_subcommand("report", "Reports to circulate (HTML or PDF)");
  report->require_subcommand(1);
  view_command(
      report, ctx,
      {.name = "sector",
       .help = "The sector sheet (fiche filière) of a NAF division",
       .tables = kSheetTables,
       .id = {"SECTOR", "NAF division, e.g. 30"},
       .params = sheet_params()},
      [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
        const std::string& format = a.args.text("format");
        const std::string& lang = a.args.text("lang");
        POLES_ASSIGN_OR_RETURN(auto sheet, app::sector_sheet(s, a.id, a.args));
        const std::string out = a.args.text("output").empty()
                                    ? fmt::format("fiche-{}.{}", a.id, format)
                                    : a.args.text("output");
        POLES_RETURN_IF_ERROR(write_document(report::sector_sheet_html(sheet, lang), format, out));
        return Json{{"written", out},
                    {"format", format},
                    {"title", report::sector_sheet_title(sheet, lang)}};
      });
  auto cluster_options = std::vector<std::pair<const char*, const char*>>{
      {"year", "Year evaluated (default 2022)"},
      {"method", "Method file or shipped name (default: default)"},
      {"draws", "Monte Carlo draws (default 2000)"},
      {"sobol_n", "Sobol design size (default 200)"},
      {"format", "html (default) or pdf (printed by headless Chromium)"},
      {"output", "File written (default: rapport-<cluster>.<format>)"},
      {"lang", "fr (default) or en"}};
  view_command(report, ctx,
               {.name = "cluster",
                .help = "A cluster's evaluation report (rank interval, pillars, trends, contract, "
                        "action, method)",
                .tables = kClusterReportTables,
                .id = {"CLUSTER", "Cluster id"},
                .options = cluster_options},
               [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
                 const std::string format = app::text(a.params, "format", "html"),
                                   lang = app::text(a.params, "lang", "fr");
                 POLES_RETURN_IF_ERROR(check_document(format, lang));
                 POLES_ASSIGN_OR_RETURN(auto doc,
                                        report::cluster_report(s, a.id, a.params, lang, true));
                 const std::string out =
                     app::text(a.params, "output", fmt::format("rapport-{}.{}", a.id, format));
                 POLES_RETURN_IF_ERROR(write_document(doc.second, format, out));
                 return Json{{"written", out}, {"format", format}, {"title", doc.first}};
               });
}

}  // namespace poles::cli
