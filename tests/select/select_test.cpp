// The selection and risk engines on hand-made snapshots and small instances, each checked against
// an independent reference: conflicts worked out by hand, assignments and portfolios against
// brute-force enumeration (equal optimal value), the reviewer-effects fit against least squares,
// the logit against closed-form odds ratios, the Monte Carlo against the exact distribution.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>

#include "core/date.h"
#include "eco.h"
#include "risk/model.h"
#include "risk/portfolio.h"
#include "risk/simulate.h"
#include "select/assign.h"
#include "select/call.h"
#include "select/conflicts.h"
#include "select/portfolio.h"
#include "select/scores.h"

// Designated initializers leave the other members at their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace poles::select {
namespace {

using snapshot::SnapshotPtr;
using testing_support::Eco;

Eco& call(Eco& e, const std::string& id, int year, const std::string& criteria = "", int k = 2,
          int L = 2) {
  return e.row("call", {{"id", id},
                        {"programme", std::string("FUI")},
                        {"title", id},
                        {"budget", 1e6},
                        {"close_date", std::to_string(year) + "-04-15"},
                        {"criteria", criteria.empty() ? Value{} : Value{criteria}},
                        {"reviewers_per_proposal", int64_t{k}},
                        {"max_per_reviewer", int64_t{L}}});
}
Eco& proposal(Eco& e, const std::string& id, const std::string& call_id,
              const std::string& applicant, const std::string& sector = "",
              const std::string& themes = "", double request = 1e5) {
  return e.row("proposal", {{"id", id},
                            {"call_id", call_id},
                            {"applicant_id", applicant},
                            {"title", id},
                            {"requested_aid", request},
                            {"sector", sector.empty() ? Value{} : Value{sector}},
                            {"themes", themes.empty() ? Value{} : Value{themes}}});
}
Eco& reviewer(Eco& e, const std::string& id, const std::string& org,
              const std::string& sectors = "", const std::string& themes = "") {
  return e.row("reviewer", {{"id", id},
                            {"name", id},
                            {"organisation_id", org.empty() ? Value{} : Value{org}},
                            {"sectors", sectors.empty() ? Value{} : Value{sectors}},
                            {"themes", themes.empty() ? Value{} : Value{themes}}});
}

// ---------------------------------------------------------------------------------------------
// Conflicts of interest

TEST(SelectConflicts, SameOrganisationSameGroupAndRecentCoParticipation) {
  Eco e;
  e.cluster("A", "76");
  e.row("organisation", {{"id", std::string("app")},
                         {"name", std::string("Applicant")},
                         {"kind", std::string("company")},
                         {"siren", std::string("100000009")},
                         {"group_siren", std::string("100000017")}});
  e.row("organisation", {{"id", std::string("sister")},
                         {"name", std::string("Sister")},
                         {"kind", std::string("company")},
                         {"siren", std::string("100000025")},
                         {"group_siren", std::string("100000017")}});
  e.org("lab", "research", "76")
      .org("oldlab", "research", "76")
      .org("other", "research", "11")
      .org("p2", "company", "76");
  e.project("recent", 2015, {"A"}, {"lab", "app"});  // start 2015, no end date: counts in 2015
  e.row("project", {{"id", std::string("old")},
                    {"acronym", std::string("old")},
                    {"programme", std::string("FUI")},
                    {"status", std::string("completed")},
                    {"start_date", std::string("2008-01-01")},
                    {"end_date", std::string("2010-12-31")}});
  e.row("participation", {{"project_id", std::string("old")},
                          {"organisation_id", std::string("oldlab")},
                          {"role", std::string("coordinator")}});
  e.row("participation", {{"project_id", std::string("old")},
                          {"organisation_id", std::string("app")},
                          {"role", std::string("partner")}});
  // The proposal's own project brings p2 to the applicant side.
  e.project("prop-project", 2018, {"A"}, {"app", "p2"});
  call(e, "c", 2017);
  e.row("proposal", {{"id", std::string("x")},
                     {"call_id", std::string("c")},
                     {"applicant_id", std::string("app")},
                     {"title", std::string("x")},
                     {"requested_aid", 1e5},
                     {"project_id", std::string("prop-project")}});
  reviewer(e, "r-same", "app");
  reviewer(e, "r-group", "sister");
  reviewer(e, "r-recent", "lab");
  reviewer(e, "r-old", "oldlab");
  reviewer(e, "r-free", "other");
  reviewer(e, "r-none", "");
  reviewer(e, "r-partner", "p2");
  const auto s = e.build();
  auto c = load_call(*s, "c");
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  const auto conflicts = find_conflicts(*s, *c, {.years = 3});
  std::map<std::string, std::string> got;
  for (const auto& k : conflicts) {
    got[std::string(s->table("reviewer").key(static_cast<size_t>(k.reviewer)))] =
        std::string(to_string(k.kind));
  }
  const std::map<std::string, std::string> want = {{"r-same", "same_organisation"},
                                                   {"r-group", "same_group"},
                                                   {"r-recent", "co_participation"},
                                                   {"r-partner", "same_organisation"}};
  EXPECT_EQ(got, want);
  // With a one-year window the 2015 project is too old.
  const auto narrow = find_conflicts(*s, *c, {.years = 1});
  EXPECT_EQ(narrow.size(), 3u);
}

// ---------------------------------------------------------------------------------------------
// Reviewer assignment against brute force

struct Instance {
  SnapshotPtr snap;
  CallData call;
};

// A random call: n proposals, m reviewers, sectors and themes drawn from small sets, some
// reviewers sharing an organisation with an applicant (conflicts).
Instance random_instance(uint64_t seed, int n, int m, int k, int L) {
  std::mt19937_64 g(seed);
  const std::vector<std::string> sectors = {"26", "62", "29", "21"};
  const std::vector<std::string> themes = {"ai", "energy", "health", "mobility", "space"};
  Eco e;
  for (int o = 0; o < m + n; ++o) e.org("o" + std::to_string(o), "company", "76", "pme");
  call(e, "c", 2020, "", k, L);
  for (int p = 0; p < n; ++p) {
    const std::string t = themes[below(g, themes.size())] +
                          (uniform01(g) < 0.5 ? "|" + themes[below(g, themes.size())] : "");
    // Applicant: its own organisation, or (1 in 4) the organisation of a reviewer.
    const int applicant =
        uniform01(g) < 0.25 ? static_cast<int>(below(g, static_cast<size_t>(m))) : m + p;
    proposal(e, "p" + std::to_string(p), "c", "o" + std::to_string(applicant),
             sectors[below(g, sectors.size())], t);
  }
  for (int r = 0; r < m; ++r) {
    reviewer(e, "r" + std::to_string(r), "o" + std::to_string(r), sectors[below(g, sectors.size())],
             themes[below(g, themes.size())] + "|" + themes[below(g, themes.size())]);
  }
  Instance in;
  in.snap = e.build();
  in.call = *load_call(*in.snap, "c");
  return in;
}

// Best total affinity by enumeration (-1 when no complete assignment exists).
double brute_force_assignment(const Instance& in, int k, int L) {
  const auto& s = *in.snap;
  const auto conflicts = conflict_matrix(s, in.call, find_conflicts(s, in.call));
  const ProposalColumns cols(s);
  const size_t m = s.table("reviewer").rows;
  std::vector<int> load(m, 0);
  double best = -1;
  std::function<void(size_t, double)> go = [&](size_t i, double acc) {
    if (i == in.call.proposals.size()) {
      best = std::max(best, acc);
      return;
    }
    // Every k-subset of reviewers for proposal i.
    std::vector<size_t> pick;
    std::function<void(size_t, double)> choose = [&](size_t from, double a) {
      if (static_cast<int>(pick.size()) == k) {
        go(i + 1, a);
        return;
      }
      for (size_t r = from; r < m; ++r) {
        if (conflicts[i][r] || load[r] >= L) continue;
        pick.push_back(r);
        ++load[r];
        choose(r + 1, a + cols.affinity(in.call.proposals[i], static_cast<int32_t>(r)));
        --load[r];
        pick.pop_back();
      }
    };
    choose(0, acc);
  };
  go(0, 0);
  return best;
}

TEST(SelectAssign, OptimalValueEqualsBruteForceOnSmallInstances) {
  int complete = 0;
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    const int n = 4, m = 5, k = 2, L = 2;
    const auto in = random_instance(seed, n, m, k, L);
    auto a = assign_reviewers(*in.snap, in.call, {.candidates = 0});
    ASSERT_TRUE(a.has_value()) << a.error().to_string();
    const double best = brute_force_assignment(in, k, L);
    if (best < 0) {
      EXPECT_FALSE(a->shortages.empty())
          << "seed " << seed << ": no complete assignment exists, none may be claimed";
      continue;
    }
    ++complete;
    EXPECT_TRUE(a->shortages.empty()) << "seed " << seed;
    EXPECT_TRUE(a->optimal);
    EXPECT_NEAR(a->total_affinity, best, 1e-9) << "seed " << seed;
  }
  EXPECT_GE(complete, 15);  // most instances can be completed: the comparison is not vacuous
}

TEST(SelectAssign, ConstraintsHoldOnALargeCallAndCandidatesDoNotChangeFeasibility) {
  const int n = 400, m = 90, k = 3, L = 14;
  const auto in = random_instance(7, n, m, k, L);
  auto a = assign_reviewers(*in.snap, in.call, {});
  ASSERT_TRUE(a.has_value()) << a.error().to_string();
  EXPECT_TRUE(a->shortages.empty());
  const auto conflicts = conflict_matrix(*in.snap, in.call, a->conflicts);
  EXPECT_GT(a->conflicts.size(), 50u);
  std::map<int32_t, int> per_proposal;
  std::map<int32_t, size_t> index;
  for (size_t i = 0; i < in.call.proposals.size(); ++i) index[in.call.proposals[i]] = i;
  for (const auto& p : a->pairs) {
    ++per_proposal[p.proposal];
    EXPECT_FALSE(conflicts[index[p.proposal]][static_cast<size_t>(p.reviewer)])
        << "a conflicted reviewer was assigned";
  }
  for (int32_t p : in.call.proposals) EXPECT_EQ(per_proposal[p], k);
  for (int l : a->load) EXPECT_LE(l, L);
  // The full program (every eligible pair) reaches the same value: candidates lost nothing here.
  auto full = assign_reviewers(*in.snap, in.call, {.candidates = 0});
  ASSERT_TRUE(full.has_value());
  EXPECT_NEAR(a->total_affinity, full->total_affinity, 1e-6);
}

TEST(SelectAssign, ExplainsWhichProposalLacksReviewersAndWhy) {
  Eco e;
  e.org("a", "company", "76", "pme")
      .org("b", "company", "76", "pme")
      .org("c", "company", "76", "pme");
  call(e, "c", 2020, "", 2, 5);
  proposal(e, "p-conflicted", "c", "a");
  proposal(e, "p-fine", "c", "c");
  reviewer(e, "r1", "a");
  reviewer(e, "r2", "b");
  const auto s = e.build();
  auto a = assign_reviewers(*s, *load_call(*s, "c"), {});
  ASSERT_TRUE(a.has_value()) << a.error().to_string();
  ASSERT_EQ(a->shortages.size(), 1u);
  const auto& sh = a->shortages[0];
  EXPECT_EQ(s->table("proposal").key(static_cast<size_t>(sh.proposal)), "p-conflicted");
  EXPECT_EQ(sh.assigned, 1);
  EXPECT_EQ(sh.eligible, 1);
  EXPECT_EQ(sh.conflicted, 1);
  EXPECT_NE(sh.why.find("conflict of interest"), std::string::npos) << sh.why;
  // Capacity, not conflicts: three proposals, two reviewers of load 2, k = 2.
  Eco f;
  f.org("a", "company", "76").org("b", "company", "76").org("x", "company", "76");
  call(f, "c", 2020, "", 2, 2);
  for (int i = 0; i < 3; ++i) proposal(f, "p" + std::to_string(i), "c", "x");
  reviewer(f, "r1", "a");
  reviewer(f, "r2", "b");
  const auto t = f.build();
  auto b = assign_reviewers(*t, *load_call(*t, "c"), {});
  ASSERT_TRUE(b.has_value());
  ASSERT_EQ(b->shortages.size(), 1u);
  EXPECT_NE(b->shortages[0].why.find("maximum load"), std::string::npos) << b->shortages[0].why;
}

TEST(SelectAssign, ReviewsOutsideANewAssignmentAreListedAndEachReviewerSeesTheirOwnTasks) {
  Eco e;
  e.org("o", "company", "76", "pme");
  call(e, "c", 2020, "quality:1");
  call(e, "d", 2020, "quality:1");
  proposal(e, "p1", "c", "o");
  proposal(e, "p2", "c", "o");
  proposal(e, "q1", "d", "o");
  reviewer(e, "r1", "");
  reviewer(e, "r2", "");
  auto review = [&](const char* p, const char* r, const char* criterion, double score) {
    e.row("review", {{"proposal_id", std::string(p)},
                     {"reviewer_id", std::string(r)},
                     {"criterion", std::string(criterion)},
                     {"score", score}});
  };
  review("p1", "r1", "quality", 7);
  review("p1", "r2", "quality", 5);
  review("p2", "r2", "quality", 6);
  review("p2", "r2", "impact", 4);
  review("q1", "r1", "quality", 8);  // another call's
  e.row("assignment", {{"proposal_id", std::string("p1")},
                       {"reviewer_id", std::string("r1")},
                       {"date", std::string("2020-05-01")}});
  e.row("assignment", {{"proposal_id", std::string("q1")}, {"reviewer_id", std::string("r1")}});
  const auto s = e.build();
  const auto& props = s->table("proposal");
  const auto& revs = s->table("reviewer");
  const int32_t p1 = props.find("p1"), p2 = props.find("p2"), q1 = props.find("q1");
  const int32_t r1 = revs.find("r1"), r2 = revs.find("r2");
  // A new assignment of call c: p1 -> r1, p2 -> r1. r2's reviews of p1 and p2 stay, listed once
  // per pair; the review of call d is not the call's concern.
  Assignment a;
  a.pairs = {{.proposal = p1, .reviewer = r1}, {.proposal = p2, .reviewer = r1}};
  const auto kept = reviewed_but_unassigned(*s, *load_call(*s, "c"), a);
  EXPECT_EQ(kept, (std::vector<std::pair<int32_t, int32_t>>{{p1, r2}, {p2, r2}}));
  // r1: p1 assigned on 2020-05-01 and reviewed; q1 assigned without a date and reviewed.
  const auto mine = reviewer_tasks(*s, r1);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].proposal, p1);
  ASSERT_TRUE(mine[0].assigned_on.has_value());
  EXPECT_EQ(Date::from_days(*mine[0].assigned_on).to_string(), "2020-05-01");
  EXPECT_EQ(mine[0].scores, (std::map<std::string, double>{{"quality", 7}}));
  EXPECT_EQ(mine[1].proposal, q1);
  EXPECT_FALSE(mine[1].assigned_on.has_value());
  // r2: reviewed p1 and p2 without any assignment; nothing of r1's scores.
  const auto theirs = reviewer_tasks(*s, r2);
  ASSERT_EQ(theirs.size(), 2u);
  EXPECT_FALSE(theirs[0].assigned_on.has_value());
  EXPECT_EQ(theirs[0].scores, (std::map<std::string, double>{{"quality", 5}}));
  EXPECT_EQ(theirs[1].scores, (std::map<std::string, double>{{"impact", 4}, {"quality", 6}}));
}

TEST(SelectCall, CountsWhatEachCallReceivedAndRecorded) {
  Eco e;
  e.org("o", "company", "76", "pme");
  call(e, "c", 2020);
  call(e, "d", 2021);
  call(e, "empty", 2022);
  proposal(e, "p1", "c", "o");
  proposal(e, "p2", "c", "o");
  proposal(e, "q1", "d", "o");
  reviewer(e, "r1", "");
  reviewer(e, "r2", "");
  for (const char* r : {"r1", "r2"}) {
    e.row("assignment", {{"proposal_id", std::string("p1")}, {"reviewer_id", std::string(r)}});
    for (const char* criterion : {"quality", "impact"}) {
      e.row("review", {{"proposal_id", std::string("p1")},
                       {"reviewer_id", std::string(r)},
                       {"criterion", std::string(criterion)},
                       {"score", 5.0}});
    }
  }
  e.row("assignment", {{"proposal_id", std::string("q1")}, {"reviewer_id", std::string("r1")}});
  e.row("decision", {{"proposal_id", std::string("p2")}, {"decision", std::string("rejected")}});
  e.row("decision",
        {{"proposal_id", std::string("q1")}, {"decision", std::string("funded")}, {"aid", 5e4}});
  const auto s = e.build();
  const auto counts = call_counts(*s);
  const auto& calls = s->table("call");
  ASSERT_EQ(counts.size(), 3u);
  const auto& c = counts[static_cast<size_t>(calls.find("c"))];
  EXPECT_EQ(c.proposals, 2);
  EXPECT_EQ(c.assignments, 2);
  EXPECT_EQ(c.reviews, 4);
  EXPECT_EQ(c.decisions, 1);
  const auto& d = counts[static_cast<size_t>(calls.find("d"))];
  EXPECT_EQ(d.proposals, 1);
  EXPECT_EQ(d.assignments, 1);
  EXPECT_EQ(d.reviews, 0);
  EXPECT_EQ(d.decisions, 1);
  const auto& none = counts[static_cast<size_t>(calls.find("empty"))];
  EXPECT_EQ(none.proposals + none.assignments + none.reviews + none.decisions, 0);
}

// ---------------------------------------------------------------------------------------------
// Scores

TEST(SelectScores, AlternatingMeansEqualLeastSquaresTwoWayFixedEffects) {
  std::mt19937_64 g(11);
  const size_t na = 30, nb = 12;
  std::vector<int32_t> a, b;
  std::vector<double> y;
  for (size_t i = 0; i < na; ++i) {
    // 3 distinct reviewers per proposal, overlapping so the graph is connected.
    for (size_t j = 0; j < 3; ++j) {
      a.push_back(static_cast<int32_t>(i));
      b.push_back(static_cast<int32_t>((i + j * 5) % nb));
      y.push_back(5 + 2 * uniform01(g) + 0.3 * static_cast<double>(b.back() % 4));
    }
  }
  const auto fit = fit_two_way(a, b, y, na, nb, 100000, 1e-13);
  ASSERT_TRUE(fit.converged);
  // Reference: least squares on [proposal dummies | reviewer dummies but the last], then the
  // same normalisation (count-weighted mean reviewer effect zero).
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(y.size()),
                                            static_cast<Eigen::Index>(na + nb - 1));
  Eigen::VectorXd Y(static_cast<Eigen::Index>(y.size()));
  for (size_t i = 0; i < y.size(); ++i) {
    X(static_cast<Eigen::Index>(i), a[i]) = 1;
    if (static_cast<size_t>(b[i]) + 1 < nb)
      X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(na) + b[i]) = 1;
    Y(static_cast<Eigen::Index>(i)) = y[i];
  }
  const Eigen::VectorXd beta = X.colPivHouseholderQr().solve(Y);
  std::vector<double> ra(na), rb(nb, 0);
  for (size_t i = 0; i < na; ++i) ra[i] = beta(static_cast<Eigen::Index>(i));
  for (size_t j = 0; j + 1 < nb; ++j) rb[j] = beta(static_cast<Eigen::Index>(na + j));
  double mean_b = 0;
  for (int32_t j : b) mean_b += rb[static_cast<size_t>(j)];
  mean_b /= static_cast<double>(b.size());
  for (size_t i = 0; i < na; ++i) EXPECT_NEAR(fit.a[i], ra[i] + mean_b, 1e-9) << "proposal " << i;
  for (size_t j = 0; j < nb; ++j) EXPECT_NEAR(fit.b[j], rb[j] - mean_b, 1e-9) << "reviewer " << j;
}

TEST(SelectScores, SevereReviewerIsCorrectedAndDisagreementFlagged) {
  Eco e;
  e.org("o", "company", "76", "pme");
  call(e, "c", 2020, "excellence:3|impact:1");
  for (const char* p : {"p1", "p2", "p3"}) proposal(e, p, "c", "o");
  for (const char* r : {"kind", "harsh", "fair"}) reviewer(e, r, "");
  auto review = [&](const char* p, const char* r, double excellence, double impact) {
    e.row("review", {{"proposal_id", std::string(p)},
                     {"reviewer_id", std::string(r)},
                     {"criterion", std::string("excellence")},
                     {"score", excellence}});
    e.row("review", {{"proposal_id", std::string(p)},
                     {"reviewer_id", std::string(r)},
                     {"criterion", std::string("impact")},
                     {"score", impact}});
  };
  // True quality p1 = 7, p2 = 6, p3 = 5; "harsh" scores 2 below, "kind" 1 above.
  review("p1", "fair", 7, 7);
  review("p1", "harsh", 5, 5);
  review("p2", "kind", 7, 7);
  review("p2", "harsh", 4, 4);
  review("p3", "kind", 6, 6);
  review("p3", "fair", 5, 5);
  const auto s = e.build();
  auto sc = score_call(*s, *load_call(*s, "c"), {.bootstrap = 0});
  ASSERT_TRUE(sc.has_value()) << sc.error().to_string();
  ASSERT_EQ(sc->proposals.size(), 3u);
  // Raw means would rank p1 (6) > p3 (5.5) = p2 (5.5); bias removed: 7 > 6 > 5 up to a level.
  EXPECT_EQ(s->table("proposal").key(static_cast<size_t>(sc->proposals[0].proposal)), "p1");
  EXPECT_EQ(s->table("proposal").key(static_cast<size_t>(sc->proposals[1].proposal)), "p2");
  EXPECT_NEAR(sc->proposals[0].adjusted - sc->proposals[1].adjusted, 1.0, 1e-9);
  EXPECT_NEAR(sc->proposals[1].adjusted - sc->proposals[2].adjusted, 1.0, 1e-9);
  std::map<std::string, double> effect;
  for (const auto& r : sc->reviewers)
    effect[std::string(s->table("reviewer").key(static_cast<size_t>(r.reviewer)))] = r.effect;
  EXPECT_NEAR(effect["kind"] - effect["fair"], 1.0, 1e-9);
  EXPECT_NEAR(effect["fair"] - effect["harsh"], 2.0, 1e-9);
  EXPECT_EQ(sc->components, 1);
  // Weighted criteria: a review 9 on excellence (weight 3/4) and 1 on impact is 7.
  Eco f;
  f.org("o", "company", "76");
  call(f, "c", 2020, "excellence:3|impact:1");
  proposal(f, "p", "c", "o");
  reviewer(f, "r", "");
  reviewer(f, "q", "");
  f.row("review", {{"proposal_id", std::string("p")},
                   {"reviewer_id", std::string("r")},
                   {"criterion", std::string("excellence")},
                   {"score", 9.0}});
  f.row("review", {{"proposal_id", std::string("p")},
                   {"reviewer_id", std::string("r")},
                   {"criterion", std::string("impact")},
                   {"score", 1.0}});
  f.row("review", {{"proposal_id", std::string("p")},
                   {"reviewer_id", std::string("q")},
                   {"criterion", std::string("excellence")},
                   {"score", 2.0}});
  const auto t = f.build();
  auto one = score_call(*t, *load_call(*t, "c"), {.bootstrap = 0});
  ASSERT_TRUE(one.has_value());
  EXPECT_NEAR(one->proposals[0].raw_mean, (7.0 + 2.0) / 2, 1e-12);
  EXPECT_TRUE(one->proposals[0].disagreement);  // 7 vs 2
  // A criterion the call does not list is an error naming it.
  Eco h;
  h.org("o", "company", "76");
  call(h, "c", 2020, "excellence:1");
  proposal(h, "p", "c", "o");
  reviewer(h, "r", "");
  h.row("review", {{"proposal_id", std::string("p")},
                   {"reviewer_id", std::string("r")},
                   {"criterion", std::string("beauty")},
                   {"score", 9.0}});
  const auto u = h.build();
  auto bad = score_call(*u, *load_call(*u, "c"), {});
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("'beauty'"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Portfolio against brute force

std::vector<Candidate> random_candidates(std::mt19937_64& g, size_t n) {
  std::vector<Candidate> c;
  for (size_t i = 0; i < n; ++i) {
    c.push_back({.proposal = static_cast<int32_t>(i),
                 .request = std::round(1e5 + 9e5 * uniform01(g)),
                 .value = 1 + 9 * uniform01(g),
                 .cluster = static_cast<int32_t>(below(g, 3)),
                 .sme = uniform01(g) < 0.4,
                 .theme = static_cast<int32_t>(below(g, 2))});
  }
  return c;
}

TEST(SelectPortfolio, AllOrNothingWithCapsAndSmeShareEqualsBruteForce) {
  std::mt19937_64 g(5);
  for (int trial = 0; trial < 15; ++trial) {
    const auto c = random_candidates(g, 11);
    const PortfolioRules r{
        .budget = 2.5e6, .min_share = 1.0, .cap_per_cluster = 1.2e6, .min_sme_share = 0.3};
    double best = 0;
    for (uint32_t mask = 0; mask < (1u << c.size()); ++mask) {
      double total = 0, sme = 0, value = 0;
      std::map<int32_t, double> per_cluster;
      for (size_t i = 0; i < c.size(); ++i) {
        if (!(mask >> i & 1u)) continue;
        total += c[i].request;
        sme += c[i].sme ? c[i].request : 0;
        per_cluster[c[i].cluster] += c[i].request;
        value += c[i].value;
      }
      bool ok = total <= r.budget && sme >= r.min_sme_share * total - 1e-9;
      for (const auto& [cl, v] : per_cluster) ok = ok && v <= r.cap_per_cluster;
      if (ok) best = std::max(best, value);
    }
    auto a = optimise_portfolio(c, r);
    ASSERT_TRUE(a.has_value()) << a.error().to_string();
    EXPECT_NEAR(a->value, best, 1e-6) << "trial " << trial;
    const auto st = describe(c, r, *a);
    EXPECT_LE(st.total, r.budget + 1e-6);
    EXPECT_GE(st.sme_share, r.min_sme_share - 1e-9);
  }
}

TEST(SelectPortfolio, MinimumShareWithoutSprinklingEqualsBruteForce) {
  std::mt19937_64 g(9);
  for (int trial = 0; trial < 15; ++trial) {
    const auto c = random_candidates(g, 10);
    const PortfolioRules r{.budget = 2e6, .min_share = 0.6};
    // For a chosen set: minimum shares first, then the rest greedily by value per euro (optimal
    // for the remaining fractional knapsack).
    double best = 0;
    for (uint32_t mask = 1; mask < (1u << c.size()); ++mask) {
      double spent = 0, value = 0;
      std::vector<size_t> in;
      for (size_t i = 0; i < c.size(); ++i) {
        if (mask >> i & 1u)
          in.push_back(i), spent += r.min_share * c[i].request, value += r.min_share * c[i].value;
      }
      if (spent > r.budget) continue;
      std::sort(in.begin(), in.end(), [&](size_t x, size_t y) {
        return c[x].value / c[x].request > c[y].value / c[y].request;
      });
      for (size_t i : in) {
        const double room = std::min(r.budget - spent, (1 - r.min_share) * c[i].request);
        spent += room;
        value += c[i].value * room / c[i].request;
      }
      best = std::max(best, value);
    }
    auto a = optimise_portfolio(c, r);
    ASSERT_TRUE(a.has_value()) << a.error().to_string();
    EXPECT_NEAR(a->value, best, 1e-6 * best) << "trial " << trial;
    for (size_t i = 0; i < c.size(); ++i) {
      const double f = a->aid[i] / c[i].request;
      EXPECT_TRUE(f == 0 || (f >= r.min_share - 1e-9 && f <= 1 + 1e-9)) << "share " << f;
    }
  }
}

TEST(SelectPortfolio, SprinklingComparisonStatistics) {
  // Four proposals of 1 M€ each, a 2 M€ budget.
  std::vector<Candidate> c;
  for (int i = 0; i < 4; ++i)
    c.push_back({.proposal = i, .request = 1e6, .value = 4.0 - i, .success = 0.5, .products = 2});
  const PortfolioRules r{.budget = 2e6, .min_share = 0.8};
  auto opt = optimise_portfolio(c, r);
  ASSERT_TRUE(opt.has_value());
  const auto so = describe(c, r, *opt);
  const auto ss = describe(c, r, sprinkle(c, r));
  EXPECT_EQ(so.funded, 2);  // the two best, in full
  EXPECT_NEAR(so.mean, 1e6, 1e-6);
  EXPECT_NEAR(so.gini, 0.5, 1e-12);  // (0, 0, 1, 1): Gini 0.5
  EXPECT_NEAR(so.hhi, 0.5, 1e-12);
  EXPECT_EQ(ss.funded, 4);
  EXPECT_NEAR(ss.mean, 5e5, 1e-6);
  EXPECT_NEAR(ss.gini, 0.0, 1e-12);
  EXPECT_NEAR(ss.hhi, 0.25, 1e-12);
  // Expected products: 2 projects × 2 × 0.5 = 2; sprinkled at share 0.5 < 0.8: 4 × 2 × 0.5 × 0.625.
  EXPECT_NEAR(so.expected_products, 2.0, 1e-12);
  EXPECT_NEAR(ss.expected_products, 2.5, 1e-12);
  ASSERT_EQ(so.lorenz.size(), 5u);
  EXPECT_NEAR(so.lorenz[2].second, 0.0, 1e-12);
  EXPECT_NEAR(so.lorenz[3].second, 0.5, 1e-12);
  EXPECT_NEAR(so.lorenz[4].second, 1.0, 1e-12);
}

TEST(SelectPortfolio, FundingFactorAndTheDecisionsOfAnAllocation) {
  const Candidate c{.proposal = 7, .request = 1e6, .value = 1, .success = 0.8};
  // Funded at 60 % of its request: in full below a minimum share of 0.6, 60 / 80 under 0.8, and
  // 60 / 50 -> 1 when the rules set no minimum (0.5).
  EXPECT_DOUBLE_EQ(funding_factor(c, 6e5, {.min_share = 0.6}), 1.0);
  EXPECT_DOUBLE_EQ(funding_factor(c, 6e5, {.min_share = 0.8}), 0.75);
  EXPECT_DOUBLE_EQ(funding_factor(c, 6e5, {}), 1.0);
  EXPECT_DOUBLE_EQ(funding_factor(c, 2e5, {}), 0.4);
  // With the risk model's effect of the funded share (2 per unit of share on the logit), the
  // stated rule gives way to it: logistic(ln(0.8 / 0.2) + 2 × (0.5 − 1)) at half the request,
  // the full chance in full, and never more than in full when given more than asked.
  Candidate learnt = c;
  learnt.share_effect = 2.0;
  EXPECT_NEAR(success_at(learnt, 5e5, {.min_share = 0.6}), 0.5953903248083103, 1e-15);
  EXPECT_NEAR(success_at(learnt, 1e6, {.min_share = 0.6}), 0.8, 1e-15);
  EXPECT_NEAR(success_at(learnt, 2e6, {.min_share = 0.6}), 0.8, 1e-15);
  EXPECT_DOUBLE_EQ(success_at(c, 6e5, {.min_share = 0.8}), 0.8 * 0.75);  // no effect: the rule
  // Decisions: every proposal of the call, aid rounded to the euro; a proposal that is not a
  // candidate (left out by its score) or gets nothing is rejected.
  CallData call;
  call.proposals = {3, 5, 7, 9};
  const std::vector<Candidate> cands = {{.proposal = 5, .request = 1e5},
                                        {.proposal = 7, .request = 2e5},
                                        {.proposal = 9, .request = 3e5}};
  Allocation a;
  a.aid = {80000.4, 0, 299999.6};
  const auto d = call_decisions(call, cands, a);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].proposal, 3);
  EXPECT_EQ(d[0].aid, 0);
  EXPECT_EQ(d[1].aid, 80000);
  EXPECT_EQ(d[2].aid, 0);
  EXPECT_EQ(d[3].proposal, 9);
  EXPECT_EQ(d[3].aid, 300000);
}

// ---------------------------------------------------------------------------------------------
// Risk

TEST(RiskLogit, OneBinaryFeatureGivesTheLogOddsRatio) {
  // x = 0: 30 successes of 100; x = 1: 60 of 80.
  std::vector<std::vector<double>> X;
  std::vector<double> y;
  for (int i = 0; i < 100; ++i) X.push_back({0}), y.push_back(i < 30);
  for (int i = 0; i < 80; ++i) X.push_back({1}), y.push_back(i < 60);
  auto m = risk::fit_logit(X, y, {"x"});
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  const double a = std::log(0.3 / 0.7), b = std::log(0.75 / 0.25) - a;
  EXPECT_NEAR(m->coef[0], a, 1e-9);
  EXPECT_NEAR(m->coef[1], b, 1e-9);
  // Closed-form SEs: sqrt(1/30 + 1/70) and sqrt(1/30 + 1/70 + 1/60 + 1/20).
  EXPECT_NEAR(m->se[0], std::sqrt(1.0 / 30 + 1.0 / 70), 1e-7);
  EXPECT_NEAR(m->se[1], std::sqrt(1.0 / 30 + 1.0 / 70 + 1.0 / 60 + 1.0 / 20), 1e-7);
  EXPECT_DOUBLE_EQ(m->z(1), m->coef[1] / m->se[1]);
  // McFadden's R² between 0 (no better than the base rate) and 1.
  EXPECT_DOUBLE_EQ(m->mcfadden_r2(), 1 - m->log_likelihood / m->null_log_likelihood);
  EXPECT_GT(m->mcfadden_r2(), 0);
  EXPECT_LT(m->mcfadden_r2(), 1);
  // A constant feature is refused.
  std::vector<std::vector<double>> Z(X.size(), std::vector<double>{1.0});
  EXPECT_FALSE(risk::fit_logit(Z, y, {"constant"}).has_value());
}

TEST(RiskPortfolio, ItemsOfAnAllocationAndOfTheRecordedDecisions) {
  // An allocation: the funded candidates only, their success lowered when under-funded.
  const std::vector<Candidate> c = {{.proposal = 0, .request = 1e6, .success = 0.8, .products = 2},
                                    {.proposal = 1, .request = 1e6, .success = 0.5, .products = 1},
                                    {.proposal = 2, .request = 1e6, .success = 0.9, .products = 3}};
  Allocation a;
  a.aid = {1e6, 0, 4e5};
  const auto items = risk::allocation_items(c, a, {.min_share = 0.8});
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].id, 0);
  EXPECT_DOUBLE_EQ(items[0].success, 0.8);
  EXPECT_EQ(items[0].products, 2);
  EXPECT_EQ(items[1].id, 2);
  EXPECT_DOUBLE_EQ(items[1].success, 0.9 * 0.5);  // 40 % of its request, minimum 80 %
  // The decisions recorded for the call: its funded proposals, one product when none expected.
  Eco f;
  f.org("o", "company", "76", "pme");
  call(f, "c", 2020);
  call(f, "d", 2020);
  f.row("proposal", {{"id", std::string("p1")},
                     {"call_id", std::string("c")},
                     {"applicant_id", std::string("o")},
                     {"title", std::string("p1")},
                     {"requested_aid", 1e5},
                     {"expected_products", 4.0}});
  proposal(f, "p2", "c", "o");
  proposal(f, "p3", "c", "o");
  proposal(f, "q1", "d", "o");
  auto decide = [&](const char* p, const char* decision) {
    f.row("decision", {{"proposal_id", std::string(p)}, {"decision", std::string(decision)}});
  };
  // p1 (asking 100,000 €) got a quarter of it.
  f.row(
      "decision",
      {{"proposal_id", std::string("p1")}, {"decision", std::string("funded")}, {"aid", 25000.0}});
  decide("p2", "funded");
  decide("p3", "rejected");
  decide("q1", "funded");  // another call's
  const auto s = f.build();
  const auto& props = s->table("proposal");
  std::vector<double> success(props.rows, 0.5);
  success[static_cast<size_t>(props.find("p1"))] = 0.7;
  const auto decided = risk::decided_items(*s, *load_call(*s, "c"), success, NAN);
  ASSERT_EQ(decided.size(), 2u);
  EXPECT_EQ(decided[0].id, props.find("p1"));
  // A quarter of its request, no learnt effect and no minimum share in the call (0.5): the rule
  // keeps 0.25 / 0.5 of its chance.
  EXPECT_DOUBLE_EQ(decided[0].success, 0.7 * 0.5);
  EXPECT_EQ(decided[0].products, 4);
  EXPECT_EQ(decided[1].id, props.find("p2"));
  EXPECT_EQ(decided[1].products, 1);
  // With the model's effect of the funded share, p1 at a quarter of its request succeeds less:
  // logistic(ln(0.7 / 0.3) + 2 × (0.25 − 1)); p2, no aid recorded, keeps its chance in full.
  const auto learnt = risk::decided_items(*s, *load_call(*s, "c"), success, 2.0);
  ASSERT_EQ(learnt.size(), 2u);
  EXPECT_NEAR(learnt[0].success, 0.34238087494419933, 1e-15);
  EXPECT_EQ(learnt[1].success, 0.5);
}

TEST(RiskSimulate, MatchesTheExactDistributionAndIsReproducible) {
  const std::vector<risk::Item> items = {{.id = 0, .success = 0.9, .products = 1},
                                         {.id = 1, .success = 0.5, .products = 2},
                                         {.id = 2, .success = 0.2, .products = 3}};
  auto s = risk::simulate(items, {.draws = 200000, .seed = 42});
  ASSERT_TRUE(s.has_value());
  // Exact distribution by enumeration of the 8 outcomes.
  std::map<double, double> exact;
  for (int mask = 0; mask < 8; ++mask) {
    double p = 1, t = 0;
    for (size_t i = 0; i < 3; ++i) {
      const bool ok = mask >> i & 1;
      p *= ok ? items[i].success : 1 - items[i].success;
      t += ok ? items[i].products : 0;
    }
    exact[t] += p;
  }
  for (const auto& [value, count] : s->histogram) {
    const double f = count / 200000.0, p = exact[value];
    EXPECT_NEAR(f, p, 4 * std::sqrt(p * (1 - p) / 200000.0) + 1e-12) << "products " << value;
  }
  EXPECT_NEAR(s->expected, 0.9 + 1.0 + 0.6, 1e-12);
  EXPECT_NEAR(s->probability_zero, 0.1 * 0.5 * 0.8, 0.004);
  // The 5 % tail: every draw where all fail (4 %) and some where only item 0 succeeds (1 %); item 0
  // fails in 80 % of it against 10 % overall: the most fragile.
  EXPECT_EQ(s->fragile.front().id, 0);
  EXPECT_NEAR(s->fragile.front().failure_in_tail, 0.8, 0.02);
  auto again = risk::simulate(items, {.draws = 200000, .seed = 42});
  EXPECT_EQ(again->mean, s->mean);
  auto other = risk::simulate(items, {.draws = 200000, .seed = 43});
  EXPECT_NE(other->mean, s->mean);
}

}  // namespace
}  // namespace poles::select
