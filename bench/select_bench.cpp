// Selection at the scale of the goals: a call of 2,000 proposals and 500 reviewers
// (assignment with conflicts found in 3,000 past projects), the funding portfolio of those 2,000
// proposals, and 100,000 Monte Carlo draws of the funded portfolio. Prints one JSON object of
// timings and results; writes the instance for the peers run by bench/select.sh:
//   OUT/pairs.txt  proposal reviewer cost capacity — the assignment's candidate pairs
//                  (cost = −round(affinity · 10⁶)) and, after them, "cap reviewer L" lines;
//   OUT/items.txt  success products — the funded projects of the Monte Carlo.
// Usage: select_bench OUT_DIR [SEED]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "risk/simulate.h"
#include "select/assign.h"
#include "select/call.h"
#include "select/conflicts.h"
#include "select/portfolio.h"
#include "snapshot/snapshot.h"

namespace {

using namespace poles;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

constexpr int kProposals = 2000, kReviewers = 500, kK = 3, kL = 15, kOrgs = 6000, kProjects = 3000;

class Rows {
 public:
  void add(std::string_view entity,
           std::initializer_list<std::pair<std::string_view, Value>> cells) {
    const auto* e = schema::find_entity(entity);
    Row r(e->fields.size());
    for (const auto& [f, v] : cells) r[static_cast<size_t>(schema::field_index(*e, f))] = v;
    b_.add(*e, r);
  }
  snapshot::SnapshotPtr build() { return *std::move(b_).build(1); }

 private:
  snapshot::Builder b_;
};

// Sectors, themes, sizes and past projects drawn from a seeded engine.
snapshot::SnapshotPtr instance(uint64_t seed) {
  std::mt19937_64 g(seed);
  using select::below;
  using select::uniform01;
  const std::vector<std::string> sectors = {"20", "21", "26", "27", "28", "29", "30",
                                            "33", "35", "38", "46", "49", "58", "61",
                                            "62", "63", "71", "72", "86", "01"};
  const std::vector<std::string> themes = {"ai",      "energy",    "health",    "mobility",
                                           "space",   "agrifood",  "materials", "water",
                                           "digital", "photonics", "chemistry", "textile"};
  const std::vector<std::string> regions = {"11", "24", "27", "28", "32", "44",
                                            "52", "53", "75", "76", "84", "93"};
  Rows r;
  for (int c = 0; c < 60; ++c) {
    r.add("cluster", {{"id", fmt::format("c{}", c)},
                      {"name", fmt::format("Cluster {}", c)},
                      {"region", regions[static_cast<size_t>(c) % regions.size()]},
                      {"scale", std::string("national")}});
  }
  for (int o = 0; o < kOrgs; ++o) {
    r.add("organisation", {{"id", fmt::format("o{}", o)},
                           {"name", fmt::format("Org {}", o)},
                           {"kind", std::string("company")},
                           {"region", regions[below(g, regions.size())]},
                           {"size_class", std::string(uniform01(g) < 0.6 ? "pme" : "eti")}});
  }
  for (int p = 0; p < kProjects; ++p) {
    const std::string id = fmt::format("prj{}", p);
    r.add("project",
          {{"id", id},
           {"acronym", id},
           {"programme", std::string("FUI")},
           {"status", std::string("completed")},
           {"start_date", fmt::format("{}-03-01", 2012 + static_cast<int>(below(g, 12)))}});
    for (int k = 0; k < 3; ++k) {
      r.add("participation", {{"project_id", id},
                              {"organisation_id", fmt::format("o{}", below(g, kOrgs))},
                              {"role", std::string(k == 0 ? "coordinator" : "partner")}});
    }
  }
  r.add("call", {{"id", std::string("big")},
                 {"programme", std::string("FUI")},
                 {"title", std::string("Benchmark call")},
                 {"budget", 600e6},
                 {"close_date", std::string("2024-04-15")},
                 {"min_funding_share", 0.6},
                 {"cap_per_cluster", 40e6},
                 {"min_sme_share", 0.3},
                 {"reviewers_per_proposal", int64_t{kK}},
                 {"max_per_reviewer", int64_t{kL}}});
  for (int p = 0; p < kProposals; ++p) {
    const std::string t = themes[below(g, themes.size())] +
                          (uniform01(g) < 0.5 ? "|" + themes[below(g, themes.size())] : "");
    r.add("proposal", {{"id", fmt::format("p{:04d}", p)},
                       {"call_id", std::string("big")},
                       {"applicant_id", fmt::format("o{}", below(g, kOrgs))},
                       {"cluster_id", fmt::format("c{}", below(g, 60))},
                       {"title", fmt::format("Proposal {}", p)},
                       {"requested_aid", std::round(5e5 + 2.5e6 * uniform01(g))},
                       {"sector", sectors[below(g, sectors.size())]},
                       {"themes", t}});
  }
  for (int v = 0; v < kReviewers; ++v) {
    r.add("reviewer",
          {{"id", fmt::format("r{:03d}", v)},
           {"name", fmt::format("Reviewer {}", v)},
           {"organisation_id", fmt::format("o{}", below(g, kOrgs))},
           {"sectors", sectors[below(g, sectors.size())] + "|" + sectors[below(g, sectors.size())]},
           {"themes", themes[below(g, themes.size())] + "|" + themes[below(g, themes.size())]}});
  }
  return r.build();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("usage: select_bench OUT_DIR [SEED]\n", stderr);
    return 1;
  }
  const std::string out = argv[1];
  const uint64_t seed = argc > 2 ? std::stoull(argv[2]) : 1;
  const auto snap = instance(seed);
  const auto& s = *snap;
  auto call = select::load_call(s, "big");
  if (!call) {
    std::fputs((call.error().to_string() + "\n").c_str(), stderr);
    return 1;
  }

  // Assignment (conflict detection included in the time).
  auto t0 = Clock::now();
  auto a = select::assign_reviewers(s, *call, {});
  const double assign_s = seconds_since(t0);
  if (!a) {
    std::fputs((a.error().to_string() + "\n").c_str(), stderr);
    return 1;
  }
  int max_load = 0;
  for (int l : a->load) max_load = std::max(max_load, l);
  // The peer's instance: the same candidate pairs (the 40 best-matching eligible reviewers of each
  // proposal), integer costs.
  {
    const auto conflicted = select::conflict_matrix(s, *call, a->conflicts);
    const select::ProposalColumns columns(s);
    std::ofstream f(out + "/pairs.txt");
    for (size_t i = 0; i < call->proposals.size(); ++i) {
      std::vector<std::pair<double, int32_t>> eligible;
      for (int32_t r = 0; r < kReviewers; ++r) {
        if (!conflicted[i][static_cast<size_t>(r)])
          eligible.emplace_back(columns.affinity(call->proposals[i], r), r);
      }
      std::stable_sort(eligible.begin(), eligible.end(),
                       [](const auto& x, const auto& y) { return x.first > y.first; });
      eligible.resize(std::min<size_t>(eligible.size(), 40));
      for (const auto& [aff, r] : eligible)
        f << "p " << i << " " << r << " " << -std::llround(aff * 1e6) << "\n";
    }
    for (int r = 0; r < kReviewers; ++r)
      f << "cap " << r << " " << a->capacity[static_cast<size_t>(r)] << "\n";
  }

  // Portfolio of the 2,000 proposals: values as review scores would give them (seeded), the
  // call's rules, and a cap of 15 % of the aid per theme.
  std::mt19937_64 g(seed + 1);
  std::vector<select::Candidate> cands;
  const auto& prop = s.table("proposal");
  const select::ProposalColumns proposal_columns(s);
  for (int32_t p : call->proposals) {
    select::Candidate c;
    c.proposal = p;
    c.request = prop.column("requested_aid").reals[static_cast<size_t>(p)];
    c.value = std::clamp(
        6 + 1.5 * (select::uniform01(g) + select::uniform01(g) + select::uniform01(g) - 1.5) * 2,
        0.0, 10.0);
    c.cluster = prop.column("cluster_id").codes[static_cast<size_t>(p)];
    c.sme = proposal_columns.sme_led(p);
    c.theme = static_cast<int32_t>(select::below(g, 12));
    c.success = 0.2 + 0.6 * select::uniform01(g);
    c.products = static_cast<double>(1 + select::below(g, 3));
    cands.push_back(c);
  }
  auto rules = select::call_rules(*call);
  rules.max_theme_share = 0.15;
  t0 = Clock::now();
  auto alloc = select::optimise_portfolio(cands, rules);
  const double portfolio_s = seconds_since(t0);
  if (!alloc) {
    std::fputs((alloc.error().to_string() + "\n").c_str(), stderr);
    return 1;
  }
  const auto stats = select::describe(cands, rules, *alloc);

  // Monte Carlo of the funded portfolio.
  std::vector<risk::Item> items;
  for (size_t i = 0; i < cands.size(); ++i) {
    if (alloc->aid[i] > 0)
      items.push_back({cands[i].proposal, cands[i].success, cands[i].products});
  }
  {
    std::ofstream f(out + "/items.txt");
    f.precision(17);
    for (const auto& it : items) f << it.success << " " << it.products << "\n";
  }
  t0 = Clock::now();
  auto sim = risk::simulate(items, {.draws = 100000, .seed = seed, .tail = 0.05});
  const double mc_s = seconds_since(t0);
  if (!sim) {
    std::fputs((sim.error().to_string() + "\n").c_str(), stderr);
    return 1;
  }

  std::printf(
      "{\"proposals\": %d, \"reviewers\": %d, \"k\": %d, \"L\": %d, \"conflicts\": %zu, "
      "\"assign_s\": %.3f, "
      "\"assign_affinity\": %.6f, \"assign_optimal\": %s, \"assign_complete\": %s, "
      "\"assign_max_load\": %d, \"assign_variables\": %zu, "
      "\"portfolio_s\": %.3f, \"portfolio_optimal\": %s, \"funded\": %d, \"budget\": %.0f, "
      "\"granted\": %.0f, "
      "\"mc_s\": %.3f, \"mc_draws\": %d, \"mc_items\": %zu, \"mc_mean\": %.4f, \"mc_sd\": %.4f, "
      "\"mc_expected\": %.4f}\n",
      kProposals, kReviewers, a->k, a->max_load, a->conflicts.size(), assign_s, a->total_affinity,
      a->optimal ? "true" : "false", a->shortages.empty() ? "true" : "false", max_load,
      a->variables, portfolio_s, alloc->optimal ? "true" : "false", stats.funded, rules.budget,
      stats.total, mc_s, sim->draws, items.size(), sim->mean, sim->sd, sim->expected);
  return 0;
}
