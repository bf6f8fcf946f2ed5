// `poles pipeline …` (funnel, leverage), `poles services …` (SME services, digital diagnostics),
// `poles foresight …` (employment) and `poles report sector …` (the sector sheet as HTML or PDF).
#include "app/factory.h"

#include <fmt/format.h>

#include <fstream>

#include "app/evaluate.h"
#include "cli/commands.h"
#include "cli/view_command.h"
#include "report/cluster_report.h"
#include "report/pdf.h"
#include "report/sector_sheet.h"

// Designated initialisers leave the options a command does not have at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace poles::cli {
namespace {

const std::vector<std::string_view> kPipelineTables = {"project", "project_event", "project_label",
                                                       "participation", "cluster"};
const std::vector<std::string_view> kServiceTables = {
    "service", "service_participant", "membership", "diagnostic", "project_label", "participation"};
const std::vector<std::string_view> kEmploymentTables = {"employment"};
const std::vector<std::string_view> kSheetTables = {
    "employment", "project_event", "project_label",       "participation", "result",
    "membership", "service",       "service_participant", "diagnostic",    "firm_year"};

const std::vector<std::pair<const char*, const char*>> kEmploymentOptions = {
    {"year", "Year of the specialisation (default: the last)"},
    {"from", "Start of the shift-share and of the trend (default: the first year)"},
    {"to", "End of the shift-share and of the trend (default: the last year)"},
    {"horizon", "Years projected (default 5)"},
    {"level", "Prediction interval level (default 0.95)"}};

const std::vector<std::string_view> kClusterReportTables = {
    "cluster_label", "membership",      "project_label",       "project_event", "participation",
    "result",        "service",         "service_participant", "diagnostic",    "cluster_budget",
    "contract",      "contract_target", "assessment",          "employment",    "firm_year"};

}  // namespace

void add_factory(CLI::App& app, CommandContext& ctx) {
  CLI::App* pipe = app.add_subcommand(
      "pipeline",
      "From projects to products: the funnel, leverage of public aid, follow-on funding");
  pipe->require_subcommand(1);
  view_command(pipe, ctx,
               {.name = "funnel",
                .help = "Projects reaching each stage, conversion, durations, drop-outs, TRL gains",
                .tables = kPipelineTables,
                .options = {{"from", "First cohort year"},
                            {"to", "Last cohort year"},
                            {"cluster", "Only projects labelled by this cluster"},
                            {"programme", "Only this programme (FUI, ANR, H2020…)"},
                            {"by", "none (default), cluster, programme or year"}},
                .table = "groups"},
               [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
                 POLES_ASSIGN_OR_RETURN(auto j, app::pipeline_funnel(s, a.params));
                 if (a.json) return j;
                 // Tables: one line per stage of the whole, one line per group.
                 Json stages = Json::array(), groups = Json::array();
                 for (const auto& st : j["all"]["stages"]) {
                   Json line{{"stage", st["stage"]},
                             {"reached", st["reached"]},
                             {"conversion", st.value("conversion", Json())},
                             {"median_days_to_next",
                              st.contains("to_next") ? st["to_next"]["median_days"] : Json()},
                             {"rejected_after", st["rejected_after"]},
                             {"abandoned_after", st["abandoned_after"]}};
                   stages.push_back(std::move(line));
                 }
                 for (const auto& g : j["groups"]) {
                   Json line{{"group", g["group"]}, {"projects", g["projects"]}};
                   for (const auto& st : g["stages"])
                     line[st["stage"].get<std::string>()] = st["reached"];
                   line["trl_gain"] = g["trl"]["gain_mean"];
                   groups.push_back(std::move(line));
                 }
                 Json out{{"filter", j["filter"]},
                          {"projects", j["all"]["projects"]},
                          {"trl", j["all"]["trl"]},
                          {"time_to_market", j["all"]["time_to_market"]},
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
       .options = {{"from", "First start year"},
                   {"to", "Last start year"},
                   {"by", "cluster (default), programme or none"}},
       .table = "groups"},
      [](const snapshot::Snapshot& s, const ViewArgs& a) {
        return app::pipeline_leverage(s, a.params);
      });

  CLI::App* svc =
      app.add_subcommand("services", "SME services of the clusters and digital diagnostics");
  svc->require_subcommand(1);
  view_command(
      svc, ctx,
      {.name = "summary",
       .help = "Reach, intensity, heterogeneity, international activity, what follows a service",
       .tables = kServiceTables,
       .options = {{"from", "First year (default 2016)"},
                   {"to", "Last year (default 2020)"},
                   {"horizon", "Years before and after the period for outcomes (default 3)"}},
       .table = "clusters"},
      [](const snapshot::Snapshot& s, const ViewArgs& a) {
        return app::services_overview(s, a.params);
      });
  view_command(
      svc, ctx,
      {.name = "diagnostics",
       .help =
           "Digital maturity by dimension, progress of firms diagnosed twice, aid after diagnosis",
       .tables = kServiceTables,
       .options = {{"from", "First year (default 2015)"}, {"to", "Last year (default 2030)"}},
       .table = "clusters"},
      [](const snapshot::Snapshot& s, const ViewArgs& a) {
        return app::diagnostics_overview(s, a.params);
      });

  CLI::App* fore = app.add_subcommand(
      "foresight", "Employment foresight: specialisation, shift-share, projections");
  fore->require_subcommand(1);
  auto employment_options = kEmploymentOptions;
  employment_options.push_back({"region", "Only this region (INSEE code)"});
  employment_options.push_back({"sector", "Only this sector (NAF division)"});
  view_command(
      fore, ctx,
      {.name = "employment",
       .help =
           "Location quotients and stars, shift-share of the change, projections with intervals",
       .tables = kEmploymentTables,
       .options = employment_options,
       .table = "regions"},
      [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
        POLES_ASSIGN_OR_RETURN(auto j, app::employment_overview(s, a.params));
        if (a.json) return j;
        Json projections = Json::array();
        for (const auto& p : j["projections"]) {
          if (p["points"].empty()) {
            projections.push_back({{"sector", p["sector"]},
                                   {"annual_growth", nullptr},
                                   {"note", p.value("error", "")}});
            continue;
          }
          const auto& last = p["points"].back();
          projections.push_back({{"sector", p["sector"]},
                                 {"annual_growth", p["annual_growth"]},
                                 {"year", last["year"]},
                                 {"projected", last["value"]},
                                 {"low", last["low"]},
                                 {"high", last["high"]}});
        }
        return Json{{"from", j["from"]},
                    {"to", j["to"]},
                    {"projections", projections},
                    {"regions", j["shift_share"]["regions"]}};
      });
  view_command(
      fore, ctx,
      {.name = "sectors",
       .help = "Sectors with employment figures",
       .tables = kEmploymentTables,
       .table = "items"},
      [](const snapshot::Snapshot& s, const ViewArgs&) { return app::employment_sectors(s); });

  CLI::App* report = app.add_subcommand("report", "Reports to circulate (HTML or PDF)");
  report->require_subcommand(1);
  auto sheet_options = kEmploymentOptions;
  sheet_options.push_back({"format", "html (default) or pdf (printed by headless Chromium)"});
  sheet_options.push_back({"output", "File written (default: fiche-<sector>.<format>)"});
  sheet_options.push_back({"lang", "fr (default) or en"});
  view_command(
      report, ctx,
      {.name = "sector",
       .help = "The sector sheet (fiche filière) of a NAF division",
       .tables = kSheetTables,
       .id = {"SECTOR", "NAF division, e.g. 30"},
       .options = sheet_options},
      [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
        const std::string format = app::text(a.params, "format", "html"),
                          lang = app::text(a.params, "lang", "fr");
        POLES_RETURN_IF_ERROR(check_document(format, lang));
        POLES_ASSIGN_OR_RETURN(auto sheet, app::sector_sheet(s, a.id, a.params));
        const std::string out =
            app::text(a.params, "output", fmt::format("fiche-{}.{}", a.id, format));
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
