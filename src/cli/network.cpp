// `poles network …`: the cooperation network — summary, organisations' metrics, communities,
// inter-cluster and interregional matrices, SME integration, brokers, what-if, ego network,
// partner recommendation and its hold-out evaluation, exports for Gephi. Each subcommand's
// options are its API route's parameters (the app layer's ParamSpecs), checked by the same
// parser; the views are the app layer's typed results.
#include "app/network.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/print.h"
#include "cli/view_command.h"
#include "network/export.h"
#include "network/linkpred.h"
#include "snapshot/loader.h"

namespace poles::cli {
namespace {

// The tables the network reads (and, through their references, clusters and organisations).
const std::vector<std::string_view> kNetworkTables = {"membership", "project_label",
                                                      "participation"};

// Options generated from ParamSpecs: --name for each parameter (also --dashed-name when the name
// has an underscore, and the older spellings of `aliases`), its help, bounds and default from
// app::describe. List parameters may be repeated or comma-separated.
class SpecOptions {
 public:
  SpecOptions(CLI::App* cmd, app::ParamSpecs specs,
              const std::map<std::string, std::string>& aliases)
      : specs_(std::move(specs)) {
    for (const auto& s : specs_) {
      std::string names = "--" + s.name;
      if (s.name.find('_') != std::string::npos) {
        std::string dashed = s.name;
        std::replace(dashed.begin(), dashed.end(), '_', '-');
        names += ",--" + dashed;
      }
      if (auto it = aliases.find(s.name); it != aliases.end()) names += "," + it->second;
      switch (s.kind) {
        case app::ParamKind::kFlag:
          cmd->add_flag(names, flags_[s.name], app::describe(s));
          break;
        case app::ParamKind::kList:
          cmd->add_option(names, lists_[s.name], app::describe(s) + "; repeatable");
          break;
        default:
          cmd->add_option(names, texts_[s.name], app::describe(s))
              ->type_name(s.kind == app::ParamKind::kInteger  ? "INT"
                          : s.kind == app::ParamKind::kNumber ? "NUMBER"
                                                              : "TEXT");
          break;
      }
    }
  }

  // The given values checked against the specs: every bad value reported at once.
  Result<app::Args> parse() const {
    app::Params given;
    for (const auto& [name, value] : texts_) {
      if (!value.empty()) given[name] = value;
    }
    for (const auto& [name, values] : lists_) {
      if (!values.empty()) given[name] = fmt::format("{}", fmt::join(values, ","));
    }
    for (const auto& [name, on] : flags_) {
      if (on) given[name] = "true";
    }
    auto parsed = app::parse(specs_, given);
    if (!parsed) return as_options(parsed.error());
    return parsed;
  }

 private:
  app::ParamSpecs specs_;
  std::map<std::string, std::string> texts_;
  std::map<std::string, std::vector<std::string>> lists_;
  std::map<std::string, bool> flags_;
};

using Run = std::function<void(const app::Args& args, bool json)>;

// A subcommand taking `specs` as options, and --json unless it writes a file; `run` gets the
// checked arguments.
CLI::App* subcommand(CLI::App* net, CommandContext& ctx, const char* name, const char* help,
                     app::ParamSpecs specs, Run run,
                     const std::map<std::string, std::string>& aliases = {},
                     bool json_flag = true) {
  CLI::App* cmd = net->add_subcommand(name, help);
  auto options = std::make_shared<SpecOptions>(cmd, std::move(specs), aliases);
  auto json = std::make_shared<bool>(false);
  if (json_flag) cmd->add_flag("--json", *json, "Print JSON instead of tables");
  cmd->callback([options, json, run = std::move(run), &ctx] {
    auto args = options->parse();
    if (!args) return ctx.fail(args.error());
    run(*args, *json);
  });
  return cmd;
}

// Loads the snapshot; nullptr after reporting a failure.
snapshot::SnapshotPtr load(CommandContext& ctx) {
  auto store = ctx.open_store();
  if (!store) return nullptr;
  auto snap = snapshot::load(*store, kNetworkTables);
  if (!snap) {
    ctx.fail(snap.error());
    return nullptr;
  }
  return *snap;
}

// Loads the snapshot and analyses the graph of the filter and seed; nullptr after reporting a
// failure.
app::NetworkAnalysisPtr analyse(CommandContext& ctx, const app::Args& args) {
  auto snap = load(ctx);
  if (!snap) return nullptr;
  auto analysis = app::analyse_network(snap, args);
  if (!analysis) {
    ctx.fail(analysis.error());
    return nullptr;
  }
  return *analysis;
}

// A view as JSON, or as "a.b: value" lines and tables.
template <class T>
void print_view(const T& view, bool json) {
  if (json) {
    std::cout << tj::to_json(view).dump(2) << "\n";
  } else {
    print_object(tj::to_json(view));
  }
}

// A view as JSON, or its main rows as a table.
template <class T, class Row>
void print_view(const T& view, bool json, const std::vector<Row>& rows) {
  if (json) {
    std::cout << tj::to_json(view).dump(2) << "\n";
  } else {
    print_table(tj::to_json(rows));
  }
}

}  // namespace

void add_network(CLI::App& app, CommandContext& ctx) {
  CLI::App* net = app.add_subcommand(
      "network", "The cooperation network: metrics, communities, links, recommendation, exports");
  net->require_subcommand(1);

  subcommand(net, ctx, "summary",
             "Size, connectivity, communities and the most central organisations",
             app::network_filter_params(), [&ctx](const app::Args& args, bool json) {
               if (auto an = analyse(ctx, args)) print_view(app::network_summary(*an), json);
             });
  subcommand(net, ctx, "organisations",
             "Every organisation's degree, strength, betweenness, PageRank, eigenvector, "
             "clustering, community",
             app::network_organisations_params(), [&ctx](const app::Args& args, bool json) {
               auto an = analyse(ctx, args);
               if (!an) return;
               auto r = app::network_organisations(*an, args);
               if (!r) return ctx.fail(r.error());
               print_view(*r, json, r->items);
             });
  subcommand(net, ctx, "communities",
             "Leiden communities (seeded): size, main region, leading organisations",
             app::network_communities_params(), [&ctx](const app::Args& args, bool json) {
               if (auto an = analyse(ctx, args))
                 print_view(app::network_communities(*an, args), json);
             });
  subcommand(net, ctx, "clusters",
             "Inter-cluster links (co-labelled projects, shared members, partners across "
             "clusters) and cooperation index",
             app::network_filter_params(), [&ctx](const app::Args& args, bool json) {
               if (auto an = analyse(ctx, args)) {
                 const auto r = app::network_clusters(*an);
                 print_view(r, json, r.clusters);
               }
             });
  subcommand(net, ctx, "regions",
             "Interregional links: projects joining organisations of two regions",
             app::network_filter_params(), [&ctx](const app::Args& args, bool json) {
               if (auto an = analyse(ctx, args)) {
                 const auto r = app::network_regions(*an);
                 print_view(r, json, r.regions);
               }
             });
  subcommand(net, ctx, "sme",
             "SME integration per cluster: share of partners and coordinators, relative "
             "centrality",
             app::network_filter_params(), [&ctx](const app::Args& args, bool json) {
               if (auto an = analyse(ctx, args)) {
                 const auto r = app::network_sme(*an);
                 print_view(r, json, r.items);
               }
             });
  subcommand(net, ctx, "brokers",
             "Organisations linking clusters they are not members of, by betweenness",
             app::network_brokers_params(), [&ctx](const app::Args& args, bool json) {
               if (auto an = analyse(ctx, args)) {
                 const auto r = app::network_brokers(*an, args);
                 print_view(r, json, r.items);
               }
             });
  subcommand(net, ctx, "what-if",
             "Connectivity if clusters were removed (--remove a,b) or merged (--merge a+b;c+d)",
             app::network_what_if_params(), [&ctx](const app::Args& args, bool json) {
               if (args.list("remove").empty() && args.text("merge").empty())
                 return ctx.fail(Status::invalid_argument("give --remove and/or --merge"));
               auto an = analyse(ctx, args);
               if (!an) return;
               auto r = app::network_what_if(*an, args);
               if (!r) return ctx.fail(r.error());
               print_view(*r, json);
             });
  {
    auto id = std::make_shared<std::string>();
    CLI::App* cmd =
        subcommand(net, ctx, "ego", "An organisation's partners (and their partners)",
                   app::network_ego_params(), [&ctx, id](const app::Args& args, bool json) {
                     auto an = analyse(ctx, args);
                     if (!an) return;
                     auto r = app::network_ego(*an, *id, args);
                     if (!r) return ctx.fail(r.error());
                     print_view(*r, json, r->nodes);
                   });
    cmd->add_option("organisation", *id, "Organisation id")->required();
  }
  {
    // One command for both routes: an organisation's partners, or a project idea's.
    app::ParamSpecs specs = app::network_recommend_idea_params();  // includes limit=
    auto id = std::make_shared<std::string>();
    CLI::App* cmd = subcommand(
        net, ctx, "recommend",
        "Partners to suggest to an organisation, or to a project idea (--sector, --theme, --home)",
        std::move(specs),
        [&ctx, id](const app::Args& args, bool json) {
          if (id->empty() && args.text("sector").empty() && args.list("themes").empty()) {
            return ctx.fail(Status::invalid_argument(
                "give an organisation id, or a project idea with --sector and/or --theme"));
          }
          auto an = analyse(ctx, args);
          if (!an) return;
          if (id->empty()) {
            auto r = app::network_recommend_idea(*an, args);
            if (!r) return ctx.fail(r.error());
            return print_view(*r, json, r->candidates);
          }
          auto r = app::network_recommend(*an, *id, args);
          if (!r) return ctx.fail(r.error());
          print_view(*r, json, r->candidates);
        },
        {{"themes", "--theme"}});
    cmd->add_option("organisation", *id, "Organisation id (omit for a project idea)");
  }
  subcommand(net, ctx, "evaluate-recommender",
             "Temporal hold-out: train on years <= --year, predict new partnerships in the next "
             "--horizon years",
             app::network_holdout_params(), [&ctx](const app::Args& args, bool json) {
               auto snap = load(ctx);
               if (!snap) return;
               auto r = app::network_holdout(*snap, args);
               if (!r) return ctx.fail(r.error());
               print_view(*r, json);
             });
  {
    struct Judge {
      std::string dir;
      network::LinkPredOptions o;
      bool json = false;
    };
    auto j = std::make_shared<Judge>();
    CLI::App* cmd = net->add_subcommand(
        "judge-recommender",
        "The recommender judged on a real network (CORDIS H2020): train on projects started up to "
        "--train-to, predict the new partnerships up to --test-to, against the classical "
        "baselines");
    cmd->add_option("--cordis-h2020", j->dir,
                    "Folder of h2020_participations.csv.gz and h2020_programme_parts.csv.gz")
        ->required();
    cmd->add_option("--train-to", j->o.train_to, "Last year of the train graph (default 2016)");
    cmd->add_option("--test-to", j->o.test_to, "Last year of the test (default 2020)");
    cmd->add_option("--sample", j->o.sample,
                    "Organisations evaluated: a sample of this many (default 0: all)");
    cmd->add_option("--seed", j->o.seed, "Seed of ties, samples and negatives (default 1)");
    cmd->add_flag("--json", j->json, "Print JSON");
    cmd->callback([j, &ctx] {
      auto data = network::read_cordis_h2020(j->dir);
      if (!data) return ctx.fail(data.error());
      auto r = network::judge_link_prediction(data->rows, data->parts, j->o);
      if (!r) return ctx.fail(r.error());
      if (j->json) {
        std::cout << tj::to_json(*r).dump(2) << "\n";
        return;
      }
      print_object(tj::to_json(*r));
    });
  }
  {
    auto out = std::make_shared<std::string>();
    CLI::App* cmd = subcommand(
        net, ctx, "export",
        "The graph as GraphML or GEXF (Gephi) with node metrics, or a CSV edge list",
        app::network_export_params(),
        [&ctx, out](const app::Args& args, bool) {
          auto f = network::parse_graph_format(args.text("format"));
          if (!f) return ctx.fail(f.error());
          auto an = analyse(ctx, args);
          if (!an) return;
          if (out->empty()) {
            network::write_graph(std::cout, *f, *an->snapshot, an->graph, &an->metrics);
            return;
          }
          std::ofstream file(*out, std::ios::binary);
          network::write_graph(file, *f, *an->snapshot, an->graph, &an->metrics);
          file.close();
          if (!file) return ctx.fail(Status::unavailable(fmt::format("cannot write {}", *out)));
          if (!ctx.global.quiet)
            std::cerr << fmt::format("{}: {} organisations, {} links\n", *out, an->graph.nodes(),
                                     an->graph.edges());
        },
        {}, false);
    cmd->add_option("-o,--out", *out, "Output file (default: standard output)");
  }
}

}  // namespace poles::cli
