// `poles network …`: the cooperation network — summary, organisations' metrics, communities,
// inter-cluster and interregional matrices, SME integration, brokers, what-if, ego network,
// partner recommendation and its hold-out evaluation, exports for Gephi.
#include "app/network.h"

#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/print.h"
#include "network/export.h"
#include "snapshot/loader.h"

namespace poles::cli {
namespace {

using app::Json;

struct NetworkArgs {
  int from = 0, to = 0;
  std::vector<std::string> clusters, programmes;
  std::string region;
  uint64_t seed = 1;
  bool json = false;
  size_t limit = 20;
};

void add_filter_options(CLI::App* cmd, NetworkArgs& a) {
  cmd->add_option("--from", a.from, "First project year");
  cmd->add_option("--to", a.to, "Last project year");
  cmd->add_option("--cluster", a.clusters, "Projects labelled by this cluster (repeatable)");
  cmd->add_option("--programme", a.programmes, "Projects of this programme (repeatable)");
  cmd->add_option("--region", a.region, "Projects with a participant in this INSEE region");
  cmd->add_option("--seed", a.seed, "Seed of the Leiden communities and sampled betweenness")
      ->capture_default_str();
  cmd->add_flag("--json", a.json, "Print JSON instead of tables");
}

network::Filter filter_of(const NetworkArgs& a) {
  network::Filter f;
  f.from_year = a.from;
  f.to_year = a.to;
  f.clusters = a.clusters;
  f.programmes = a.programmes;
  f.region = a.region;
  return f;
}

// The tables the network reads (and, through their references, clusters and organisations).
const std::vector<std::string_view> kNetworkTables = {"membership", "project_label",
                                                      "participation"};

// Loads the snapshot and analyses the filtered graph; nullptr after reporting a failure.
app::NetworkAnalysisPtr analyse(CommandContext& ctx, const NetworkArgs& a) {
  auto store = ctx.open_store();
  if (!store) return nullptr;
  auto snap = snapshot::load(*store, kNetworkTables);
  if (!snap) {
    ctx.fail(snap.error());
    return nullptr;
  }
  auto analysis = app::analyse_network(*snap, filter_of(a), a.seed);
  if (!analysis) {
    ctx.fail(analysis.error());
    return nullptr;
  }
  return *analysis;
}

void emit(CommandContext& ctx, const NetworkArgs& a, const Result<Json>& j,
          const char* table_key = nullptr) {
  if (!j) return ctx.fail(j.error());
  if (a.json) {
    std::cout << j->dump(2) << "\n";
  } else if (table_key != nullptr && j->contains(table_key)) {
    print_table((*j)[table_key]);
  } else {
    print_object(*j);
  }
}

}  // namespace

void add_network(CLI::App& app, CommandContext& ctx) {
  CLI::App* net = app.add_subcommand(
      "network", "The cooperation network: metrics, communities, links, recommendation, exports");
  net->require_subcommand(1);
  auto sub = [&](const char* name, const char* help) {
    auto args = std::make_shared<NetworkArgs>();
    CLI::App* cmd = net->add_subcommand(name, help);
    add_filter_options(cmd, *args);
    return std::pair{cmd, args};
  };

  {
    auto [cmd, a] =
        sub("summary", "Size, connectivity, communities and the most central organisations");
    cmd->callback([a, &ctx] {
      if (auto an = analyse(ctx, *a)) emit(ctx, *a, app::network_summary(*an));
    });
  }
  {
    auto [cmd, a] = sub("organisations",
                        "Every organisation's degree, strength, betweenness, PageRank, "
                        "eigenvector, clustering, community");
    auto sort = std::make_shared<std::string>("pagerank");
    cmd->add_option("--sort", *sort,
                    "degree, strength, betweenness, pagerank, eigenvector or clustering")
        ->capture_default_str();
    cmd->add_option("--limit", a->limit, "Rows")->capture_default_str();
    cmd->callback([a, sort, &ctx] {
      if (auto an = analyse(ctx, *a))
        emit(ctx, *a, app::network_organisations(*an, *sort, a->limit, 0), "items");
    });
  }
  {
    auto [cmd, a] =
        sub("communities", "Leiden communities (seeded): size, main region, leading organisations");
    cmd->add_option("--limit", a->limit, "Communities listed")->capture_default_str();
    cmd->callback([a, &ctx] {
      if (auto an = analyse(ctx, *a)) emit(ctx, *a, app::network_communities(*an, a->limit));
    });
  }
  {
    auto [cmd, a] = sub("clusters",
                        "Inter-cluster links (co-labelled projects, shared members, partners "
                        "across clusters) and cooperation index");
    cmd->callback([a, &ctx] {
      if (auto an = analyse(ctx, *a)) emit(ctx, *a, app::network_clusters(*an), "clusters");
    });
  }
  {
    auto [cmd, a] =
        sub("regions", "Interregional links: projects joining organisations of two regions");
    cmd->callback([a, &ctx] {
      if (auto an = analyse(ctx, *a)) emit(ctx, *a, app::network_regions(*an), "regions");
    });
  }
  {
    auto [cmd, a] =
        sub("sme",
            "SME integration per cluster: share of partners and coordinators, relative centrality");
    cmd->callback([a, &ctx] {
      if (auto an = analyse(ctx, *a)) emit(ctx, *a, app::network_sme(*an), "items");
    });
  }
  {
    auto [cmd, a] =
        sub("brokers", "Organisations linking clusters they are not members of, by betweenness");
    cmd->add_option("--limit", a->limit, "Rows")->capture_default_str();
    cmd->callback([a, &ctx] {
      if (auto an = analyse(ctx, *a)) emit(ctx, *a, app::network_brokers(*an, a->limit), "items");
    });
  }
  {
    auto [cmd, a] = sub("what-if", "Connectivity if clusters were removed or merged");
    auto remove = std::make_shared<std::vector<std::string>>();
    auto merge = std::make_shared<std::vector<std::string>>();
    cmd->add_option("--remove", *remove, "Cluster to remove (repeatable)");
    cmd->add_option("--merge", *merge,
                    "Clusters to merge, comma-separated (repeatable: one group each)");
    cmd->callback([a, remove, merge, &ctx] {
      network::WhatIf w;
      w.remove = *remove;
      for (const auto& group : *merge) {
        std::vector<std::string> ids;
        size_t start = 0;
        for (size_t comma; (comma = group.find(',', start)) != std::string::npos; start = comma + 1)
          ids.push_back(group.substr(start, comma - start));
        ids.push_back(group.substr(start));
        w.merge.push_back(ids);
      }
      if (w.remove.empty() && w.merge.empty())
        return ctx.fail(Status::invalid_argument("give --remove or --merge"));
      if (auto an = analyse(ctx, *a)) emit(ctx, *a, app::network_what_if(*an, w));
    });
  }
  {
    auto [cmd, a] = sub("ego", "An organisation's partners (and their partners)");
    auto id = std::make_shared<std::string>();
    auto radius = std::make_shared<int>(1);
    cmd->add_option("organisation", *id, "Organisation id")->required();
    cmd->add_option("--radius", *radius, "1 or 2 hops")
        ->check(CLI::Range(1, 2))
        ->capture_default_str();
    cmd->add_option("--limit", a->limit, "Most nodes")->capture_default_str();
    cmd->callback([a, id, radius, &ctx] {
      if (auto an = analyse(ctx, *a))
        emit(ctx, *a, app::network_ego(*an, *id, *radius, a->limit), "nodes");
    });
  }
  {
    auto [cmd, a] = sub(
        "recommend",
        "Partners to suggest to an organisation, or to a project idea (--sector, --theme, --home)");
    auto id = std::make_shared<std::string>();
    auto idea = std::make_shared<network::Recommender::Idea>();
    cmd->add_option("organisation", *id, "Organisation id (omit for a project idea)");
    cmd->add_option("--sector", idea->sector, "Project idea: NAF division");
    cmd->add_option("--theme", idea->themes, "Project idea: theme (repeatable)");
    cmd->add_option("--home", idea->region, "Project idea: INSEE region of the project");
    a->limit = 10;
    cmd->add_option("--limit", a->limit, "Candidates")->capture_default_str();
    cmd->callback([a, id, idea, &ctx] {
      if (id->empty() && idea->sector.empty() && idea->themes.empty()) {
        return ctx.fail(Status::invalid_argument(
            "give an organisation id, or a project idea with --sector and/or --theme"));
      }
      auto an = analyse(ctx, *a);
      if (!an) return;
      emit(ctx, *a,
           id->empty() ? app::network_recommend_idea(*an, *idea, a->limit)
                       : app::network_recommend(*an, *id, a->limit),
           "candidates");
    });
  }
  {
    auto args = std::make_shared<NetworkArgs>();
    auto opt = std::make_shared<network::HoldoutOptions>();
    CLI::App* cmd = net->add_subcommand("evaluate-recommender",
                                        "Temporal hold-out: train on years <= --year, predict new "
                                        "partnerships in the next --horizon years");
    add_filter_options(cmd, *args);
    cmd->add_option("--year", opt->train_to_year, "Last training year")->required();
    cmd->add_option("--horizon", opt->horizon, "Test years after it")->capture_default_str();
    cmd->add_option("--k", opt->k, "Precision at k")->capture_default_str();
    cmd->add_option("--max-organisations", opt->max_nodes,
                    "Organisations evaluated (seeded sample)")
        ->capture_default_str();
    cmd->callback([args, opt, &ctx] {
      auto store = ctx.open_store();
      if (!store) return;
      auto snap = snapshot::load(*store, kNetworkTables);
      if (!snap) return ctx.fail(snap.error());
      opt->filter = filter_of(*args);
      opt->seed = args->seed;
      auto r = network::evaluate_recommender(**snap, *opt);
      if (!r) return ctx.fail(r.error());
      emit(ctx, *args, app::holdout_json(*r));
    });
  }
  {
    auto [cmd, a] =
        sub("export", "The graph as GraphML or GEXF (Gephi) with node metrics, or a CSV edge list");
    auto format = std::make_shared<std::string>("graphml");
    auto out = std::make_shared<std::string>();
    cmd->add_option("--format", *format, "graphml, gexf or csv")->capture_default_str();
    cmd->add_option("-o,--out", *out, "Output file (default: standard output)");
    cmd->callback([a, format, out, &ctx] {
      auto f = network::parse_graph_format(*format);
      if (!f) return ctx.fail(f.error());
      auto an = analyse(ctx, *a);
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
    });
  }
}

}  // namespace poles::cli
