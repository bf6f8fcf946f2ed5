// `poles evaluate` (one year's evaluation with a method file: table, JSON or XLSX) and its
// subcommands: the indicator catalogue, a cluster's trends, the qualitative assessments, the
// characterisation of the clusters. The options are the use cases' parameters (app::ParamSpecs),
// checked as the API checks them.
#include "app/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/print.h"
#include "cli/view_command.h"
#include "core/typed_json.h"
#include "evaluate/indicators.h"
#include "snapshot/loader.h"

namespace poles::cli {
namespace {

const std::vector<std::string_view> kEvaluateTables = {
    "cluster_label",   "membership",     "project_label", "project_event",
    "participation",   "result",         "service",       "service_participant",
    "diagnostic",      "cluster_budget", "contract",      "contract_target",
    "assessment",      "employment",     "firm_year",     "member_census",
    "national_figure", "filiere",        "s3_domain"};

// The help of a parameter's option: the spec's help, kind, bounds and default.
std::string help_of(const app::ParamSpec& spec) {
  std::string help = app::describe(spec);
  if (spec.name == "method") help += "; here also the path of a TOML file";
  return help;
}

struct EvaluateArgs {
  std::map<std::string, std::string> values;  // the options of evaluation_params(), as given
  bool json = false;
  std::string xlsx;
};

// The ranking as a table: one line per cluster.
Json ranking_table(const app::YearEvaluation& ev) {
  Json table = Json::array();
  for (const auto& c : ev.clusters) {
    table.push_back(
        Json{{"rank", c.rank},
             {"cluster", c.cluster},
             {"index", tj::to_json(c.index)},
             {"interval", fmt::format("{:g}–{:g}", c.rank_interval.p05, c.rank_interval.p95)},
             {"rating", c.rating},
             {"peer", fmt::format("{} {}", c.peer_group, c.peer_rank)},
             {"trend", c.trend},
             {"misses", c.consecutive_misses},
             {"action", fmt::format("{} {}", c.action.level, c.action.action)}});
  }
  return table;
}

}  // namespace

void add_evaluate(CLI::App& app, CommandContext& ctx) {
  CLI::App* ev = app.add_subcommand("evaluate",
                                    "Evaluate the clusters of a year with a method file (ranking, "
                                    "rank intervals, compliance, actions)");
  ev->require_subcommand(0, 1);
  auto args = std::make_shared<EvaluateArgs>();
  for (const auto& spec : app::evaluation_params())
    ev->add_option(fmt::format("--{}", spec.name), args->values[spec.name], help_of(spec));
  ev->add_flag("--json", args->json, "Print JSON instead of tables");
  ev->add_option(
      "--xlsx", args->xlsx,
      "Also write the evaluation to this XLSX file (ranking, pillars, indicators, compliance)");
  ev->callback([&ctx, ev, args] {
    if (!ev->get_subcommands().empty()) return;
    app::Params given;
    for (const auto& [k, v] : args->values) {
      if (!v.empty()) given[k] = v;
    }
    auto parsed = app::parse(app::evaluation_params(), given);
    if (!parsed) return ctx.fail(as_options(parsed.error()));
    auto store = ctx.open_store();
    if (!store) return;
    auto snap = snapshot::load(*store, kEvaluateTables);
    if (!snap) return ctx.fail(snap.error());
    auto r = app::evaluation(**snap, *parsed, true);
    if (!r) return ctx.fail(r.error());
    if (!args->xlsx.empty()) {
      if (auto st = formats::write_xlsx(args->xlsx, app::evaluation_sheets(*r)); !st.is_ok())
        return ctx.fail(st);
    }
    if (args->json) {
      std::cout << tj::to_json(*r).dump(2) << "\n";
      return;
    }
    // The heading: the method without its list of indicators, the uncertainty, the sensitivity.
    print_object(Json{{"year", r->year},
                      {"method",
                       {{"name", r->method.name},
                        {"description", r->method.description},
                        {"pillars", r->method.pillars},
                        {"peer_groups", r->method.peer_groups}}},
                      {"uncertainty", tj::to_json(r->uncertainty)},
                      {"sensitivity", tj::to_json(r->sensitivity)}});
    std::cout << "\nclusters:\n";
    if (!r->ranked) {
      // Too few clusters to rank: each one against itself, indicator by indicator.
      std::cout << fmt::format(
          "{} cluster(s) labelled in {}: too few to rank (a ranking needs 3); each cluster is "
          "read against itself — the year before and its contract targets.\n",
          r->clusters.size(), r->year);
      for (const auto& c : r->clusters) {
        std::cout << fmt::format(
            "\n{} ({}): {} contract target(s) missed in the year, targets "
            "missed {} year(s) in a row; proposed action {} {}\n",
            c.cluster, c.name,
            std::count_if(c.targets.begin(), c.targets.end(),
                          [](const auto& t) { return t.met == false; }),
            c.consecutive_misses, c.action.level, c.action.action);
        Json rows = Json::array();
        for (size_t i = 0; i < c.indicators.items.size(); ++i) {
          const auto& [id, v] = c.indicators.items[i];
          const auto& p = c.previous_indicators.items[i].second;
          rows.push_back(Json{{"indicator", id},
                              {std::to_string(r->year - 1), tj::to_json(p)},
                              {std::to_string(r->year), tj::to_json(v)},
                              {"change", v && p ? tj::to_json(*v - *p) : Json()}});
        }
        print_table(rows);
      }
      if (!args->xlsx.empty()) std::cout << "\nwritten: " << args->xlsx << "\n";
      return;
    }
    print_table(ranking_table(*r));
    if (!args->xlsx.empty()) std::cout << "\nwritten: " << args->xlsx << "\n";
  });
  {
    CLI::App* ind = ev->add_subcommand(
        "indicators", "The indicator catalogue (id, pillar, unit, direction, formula)");
    auto markdown = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    ind->add_flag("--markdown", *markdown, "Print the Markdown table of docs/indicators.md");
    ind->add_flag("--json", *json, "Print JSON instead of a table");
    ind->callback([markdown, json] {
      if (*markdown) {
        std::cout << evaluate::indicators_markdown();
      } else if (*json) {
        std::cout << tj::to_json(app::indicator_catalogue().items).dump(2) << "\n";
      } else {
        print_table(tj::to_json(app::indicator_catalogue().items));
      }
    });
  }
  view_command(ev, ctx,
               {.name = "trends",
                .help = "A cluster's indicators over the years against the median of its peers",
                .tables = kEvaluateTables,
                .id = {"CLUSTER", "Cluster id"},
                .params = app::trends_params()},
               [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
                 POLES_ASSIGN_OR_RETURN(auto t, app::indicator_trends(s, a.id, a.args));
                 if (a.json) return tj::to_json(t);
                 // One line per indicator, one column per year.
                 Json rows = Json::array();
                 for (const auto& i : t.indicators) {
                   Json line{{"indicator", i.id}};
                   for (size_t y = 0; y < t.years.size(); ++y)
                     line[std::to_string(t.years[y])] = tj::to_json(i.values[y]);
                   rows.push_back(std::move(line));
                   // The national figure beside it, when the store holds one (national_figure).
                   if (std::none_of(i.national.begin(), i.national.end(),
                                    [](const auto& v) { return v.has_value(); }))
                     continue;
                   Json national{{"indicator", fmt::format("{} (national {})", i.id,
                                                           i.national_statistic.value_or(""))}};
                   for (size_t y = 0; y < t.years.size(); ++y)
                     national[std::to_string(t.years[y])] = tj::to_json(i.national[y]);
                   rows.push_back(std::move(national));
                 }
                 return Json{{"cluster", t.cluster}, {"indicators", rows}};
               });
  view_command(ev, ctx,
               {.name = "assessments",
                .help = "Qualitative (ESCA-style) assessments and the agreement between evaluators",
                .tables = {"assessment"},
                .params = app::assessments_params(),
                .table = "clusters"},
               [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
                 const auto v = app::assessments_view(s, a.args);
                 if (a.json) return tj::to_json(v);
                 // One line per cluster, its mean score on each area.
                 Json rows = Json::array();
                 for (const auto& c : v.clusters) {
                   Json line{{"cluster", c.cluster}};
                   for (const auto& [area, scores] : c.areas.items) line[area] = scores.mean;
                   rows.push_back(std::move(line));
                 }
                 return Json{{"year", v.year},
                             {"scale", v.scale},
                             {"agreement", tj::to_json(v.agreement)},
                             {"clusters", rows}};
               });
  view_command(ev, ctx,
               {.name = "compare",
                .help = "The same year under two methods: ratings and proposed actions side by "
                        "side (default: the default method against the quota method)",
                .tables = kEvaluateTables,
                .params = app::comparison_params(),
                .table = "clusters"},
               [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
                 POLES_ASSIGN_OR_RETURN(auto v, app::compare_methods(s, a.args, true));
                 if (a.json) return tj::to_json(v);
                 Json levels = Json::array();
                 for (size_t l = 0; l < v.levels.size(); ++l) {
                   Json line{{"level", fmt::format("{} (rows: {})", l, v.method)}};
                   for (size_t k = 0; k < v.levels[l].size(); ++k)
                     line[fmt::format("{} {}", v.against, k)] = v.levels[l][k];
                   levels.push_back(std::move(line));
                 }
                 Json rows = Json::array();
                 for (const auto& c : v.items) {
                   if (c.level == c.level_against && c.rating == c.rating_against) continue;
                   rows.push_back(Json{{"cluster", c.cluster},
                                       {"rank", c.rank},
                                       {"interval", fmt::format("{:g}–{:g}", c.rank_interval.p05,
                                                                c.rank_interval.p95)},
                                       {"rating", c.rating},
                                       {"rating_against", c.rating_against},
                                       {"level", c.level},
                                       {"level_against", c.level_against}});
                 }
                 return Json{{"year", v.year},
                             {"method", v.method},
                             {"against", v.against},
                             {"clusters_evaluated", v.clusters},
                             {"action_changed", v.action_changed},
                             {"rating_changed", v.rating_changed},
                             {"levels", levels},
                             {"clusters", rows}};
               });
  view_command(
      ev, ctx,
      {.name = "audit",
       .help = "The statistical audit of a method on a year: correlations, Cronbach's "
               "alpha and PCA per pillar, effective against nominal weights, flags",
       .tables = kEvaluateTables,
       .params = app::method_params(),
       .table = "indicators"},
      [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
        POLES_ASSIGN_OR_RETURN(auto v, app::method_audit(s, a.args, true));
        if (a.json) return tj::to_json(v);
        // The flags, then one line per pillar and one per indicator.
        Json pillars = Json::array();
        for (const auto& p : v.pillars) {
          pillars.push_back(Json{
              {"pillar", p.pillar},
              {"indicators", p.indicators.size()},
              {"alpha", tj::to_json(p.alpha)},
              {"std_alpha", tj::to_json(p.standardised_alpha)},
              {"components", p.components.size()},
              {"first_share", p.components.empty() ? Json() : Json(p.components[0].variance_share)},
              {"with_index", tj::to_json(p.with_index)}});
        }
        // Every column on every line (a pillar's flags name no indicator).
        Json flags = Json::array();
        for (const auto& f : v.flags) {
          flags.push_back(Json{{"kind", f.kind},
                               {"pillar", f.pillar},
                               {"indicator", f.indicator.value_or("")},
                               {"other", f.other.value_or("")},
                               {"value", f.value}});
        }
        Json indicators = Json::array();
        for (const auto& i : v.indicators) {
          indicators.push_back(Json{{"indicator", i.id},
                                    {"pillar", i.pillar},
                                    {"r_pillar", tj::to_json(i.with_pillar)},
                                    {"r_index", tj::to_json(i.with_index)},
                                    {"nominal", i.nominal_weight},
                                    {"effective", i.effective_weight}});
        }
        return Json{{"year", v.year},
                    {"method", v.method},
                    {"flags", flags},
                    {"pillars", pillars},
                    {"indicators", indicators}};
      });
  view_command(ev, ctx,
               {.name = "efficiency",
                .help = "The efficiency of the clusters by data envelopment analysis (DEA), with "
                        "each one's peers",
                .tables = kEvaluateTables,
                .params = app::efficiency_params(),
                .table = "clusters"},
               [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
                 POLES_ASSIGN_OR_RETURN(auto v, app::cluster_efficiency(s, a.args, true));
                 if (a.json) return tj::to_json(v);
                 Json rows = Json::array();
                 for (const auto& c : v.clusters) {
                   std::string peers;
                   for (const auto& p : c.peers) peers += (peers.empty() ? "" : " ") + p;
                   rows.push_back(Json{{"cluster", c.cluster},
                                       {"efficiency", tj::to_json(c.efficiency)},
                                       {"crs", tj::to_json(c.constant_returns)},
                                       {"vrs", tj::to_json(c.variable_returns)},
                                       {"scale", tj::to_json(c.scale)},
                                       {"peers", c.assessed ? peers : c.reason.value_or("")}});
                 }
                 return Json{{"year", v.year},           {"orientation", v.orientation},
                             {"returns", v.returns},     {"assessed", v.assessed},
                             {"efficient", v.efficient}, {"clusters", rows}};
               });
  view_command(
      ev, ctx,
      {.name = "characterise",
       .help = "Declared against measured scale, specialisation of each cluster's sector, filière "
               "overlaps and gaps",
       .tables = kEvaluateTables,
       .params = app::characterisation_params(),
       .table = "clusters"},
      [](const snapshot::Snapshot& s, const ViewArgs& a) -> Result<Json> {
        return tj::to_json(app::characterisation(s, a.args));
      });
}

}  // namespace poles::cli
