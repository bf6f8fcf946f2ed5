// Selection and risk on the france-scale demo (the demo_france fixture): the conflict of interest
// the generator planted is found, every call gets a complete assignment that respects all
// constraints, the reviewers' planted severities are recovered, and the success model agrees with
// R's glm() run on the same design inside the test.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "demo_france.h"
#include "risk/model.h"
#include "select/assign.h"
#include "select/conflicts.h"
#include "select/portfolio.h"
#include "select/scores.h"
#include "snapshot/loader.h"
#include "store/store.h"
#include "test_support.h"

// Designated initializers leave the other members at their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace poles::select {
namespace {

struct SelectFranceTables {
  static std::vector<std::string_view> tables() {
    return {"call",          "proposal",      "reviewer", "review", "decision",
            "participation", "project_label", "result",   "truth"};
  }
};
using SelectFrance = testing_support::DemoFranceSuite<SelectFranceTables>;

TEST_F(SelectFrance, PlantedConflictIsFound) {
  const auto& s = *snap_;
  const auto& truth = s.table("truth");
  std::string note;
  for (size_t r = 0; r < truth.rows; ++r) {
    if (truth.column("key").text(r) == "select.planted_conflict")
      note = std::string(truth.column("note").text(r));
  }
  std::smatch m;
  ASSERT_TRUE(std::regex_search(note, m,
                                std::regex("reviewer (\\S+) and the applicant of proposal (\\S+) "
                                           "worked together on project (\\S+)")))
      << "truth note: '" << note << "'";
  const std::string reviewer = m[1], proposal = m[2], project = m[3];
  const int32_t prop = s.table("proposal").find(proposal);
  ASSERT_GE(prop, 0);
  const auto call_row = s.table("proposal").column("call_id").codes[static_cast<size_t>(prop)];
  auto call = load_call(s, s.table("call").key(static_cast<size_t>(call_row)));
  ASSERT_TRUE(call.has_value());
  const auto conflicts = find_conflicts(s, *call);
  bool found = false;
  for (const auto& c : conflicts) {
    if (c.proposal == prop &&
        s.table("reviewer").key(static_cast<size_t>(c.reviewer)) == reviewer) {
      found = true;
      EXPECT_EQ(c.kind, ConflictKind::kCoParticipation);
      // The most recent shared project is reported: the planted one or a later one.
      EXPECT_GE(c.year, 0);
    }
  }
  EXPECT_TRUE(found) << reviewer << " × " << proposal << " (project " << project
                     << ") not reported";
  // And the assignment keeps that reviewer away from that proposal.
  auto a = assign_reviewers(s, *call);
  ASSERT_TRUE(a.has_value());
  for (const auto& p : a->pairs) {
    EXPECT_FALSE(p.proposal == prop &&
                 s.table("reviewer").key(static_cast<size_t>(p.reviewer)) == reviewer);
  }
}

TEST_F(SelectFrance, EveryCallIsAssignedWithinItsConstraints) {
  const auto& s = *snap_;
  for (size_t c = 0; c < s.table("call").rows; ++c) {
    auto call = load_call(s, s.table("call").key(c));
    ASSERT_TRUE(call.has_value());
    auto a = assign_reviewers(s, *call);
    ASSERT_TRUE(a.has_value()) << a.error().to_string();
    EXPECT_TRUE(a->shortages.empty()) << call->id;
    EXPECT_TRUE(a->optimal);
    const auto conflicted = conflict_matrix(s, *call, a->conflicts);
    std::map<int32_t, size_t> index;
    for (size_t i = 0; i < call->proposals.size(); ++i) index[call->proposals[i]] = i;
    std::map<int32_t, std::set<int32_t>> reviewers;
    for (const auto& p : a->pairs) {
      EXPECT_FALSE(conflicted[index[p.proposal]][static_cast<size_t>(p.reviewer)]);
      reviewers[p.proposal].insert(p.reviewer);
    }
    for (int32_t p : call->proposals)
      EXPECT_EQ(reviewers[p].size(), static_cast<size_t>(call->reviewers_per_proposal));
    for (size_t r = 0; r < a->load.size(); ++r) EXPECT_LE(a->load[r], a->capacity[r]);
    // A portfolio under the call's own rules exists and spends no more than the budget.
    auto sc = score_call(s, *call, {.bootstrap = 0});
    ASSERT_TRUE(sc.has_value());
    const auto cands = call_candidates(s, *sc, {});
    auto pf = optimise_portfolio(cands, call_rules(*call));
    ASSERT_TRUE(pf.has_value()) << pf.error().to_string();
    const auto st = describe(cands, call_rules(*call), *pf);
    EXPECT_LE(st.total, call->budget + 1e-6);
    EXPECT_GE(st.sme_share, call->min_sme_share - 1e-9);
  }
}

TEST_F(SelectFrance, ReviewerSeveritiesAreRecovered) {
  // The generator scores around the proposal's quality minus 0.5·sin(r) for reviewer r (0-based).
  const auto& s = *snap_;
  std::map<int32_t, std::pair<double, int>> effect;  // reviewer -> Σ effect, calls
  for (size_t c = 0; c < s.table("call").rows; ++c) {
    auto call = load_call(s, s.table("call").key(c));
    auto sc = score_call(s, *call, {.bootstrap = 0});
    ASSERT_TRUE(sc.has_value());
    for (const auto& r : sc->reviewers)
      effect[r.reviewer].first += r.effect, ++effect[r.reviewer].second;
  }
  // The naive alternative: a reviewer's mean score minus the mean of all scores of the call.
  std::map<int32_t, std::pair<double, int>> naive;
  const auto& reviews = s.table("review");
  std::map<int32_t, std::pair<double, int>> call_mean;
  const auto& prop_call = s.table("proposal").column("call_id");
  for (size_t i = 0; i < reviews.rows; ++i) {
    auto& cm =
        call_mean[prop_call.codes[static_cast<size_t>(reviews.column("proposal_id").codes[i])]];
    cm.first += reviews.column("score").reals[i], ++cm.second;
  }
  for (size_t i = 0; i < reviews.rows; ++i) {
    const auto& cm =
        call_mean[prop_call.codes[static_cast<size_t>(reviews.column("proposal_id").codes[i])]];
    auto& nv = naive[reviews.column("reviewer_id").codes[i]];
    nv.first += reviews.column("score").reals[i] - cm.first / cm.second, ++nv.second;
  }
  std::vector<double> est, raw, truth;
  for (const auto& [r, v] : effect) {
    const std::string id(s.table("reviewer").key(static_cast<size_t>(r)));
    const int index = std::stoi(id.substr(id.rfind('-') + 1)) - 1;
    est.push_back(v.first / v.second);
    raw.push_back(naive[r].first / naive[r].second);
    truth.push_back(-0.5 * std::sin(index));
  }
  ASSERT_GT(est.size(), 50u);
  auto corr = [&](const std::vector<double>& x) {
    const double n = static_cast<double>(x.size());
    double mx = 0, mt = 0;
    for (size_t i = 0; i < x.size(); ++i) mx += x[i] / n, mt += truth[i] / n;
    double sxx = 0, stt = 0, sxt = 0;
    for (size_t i = 0; i < x.size(); ++i)
      sxx += (x[i] - mx) * (x[i] - mx), stt += (truth[i] - mt) * (truth[i] - mt),
          sxt += (x[i] - mx) * (truth[i] - mt);
    return sxt / std::sqrt(sxx * stt);
  };
  const double ours = corr(est), theirs = corr(raw);
  std::cout << "correlation with the planted reviewer effects: fixed effects " << ours
            << ", naive means " << theirs << "\n";
  // About 12 reviews per reviewer with noise 0.46 against effects of SD 0.35: ~0.85 expected.
  EXPECT_GT(ours, 0.75);
  EXPECT_GT(ours, theirs);
}

TEST_F(SelectFrance, SuccessModelAgreesWithRGlm) {
  const char* rscript = POLES_RSCRIPT;
  if (!std::filesystem::exists(rscript))
    GTEST_FAIL() << "Rscript is needed (scripts/install-deps installs r-base-core); CMake found '"
                 << rscript << "'";
  risk::Design d;
  auto m = risk::fit_success_model(*snap_, &d);
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  ASSERT_GT(d.y.size(), 500u);
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("poles-glm-{}", ::getpid());
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "design.csv");
    out.precision(17);
    out << "y";
    for (const auto& n : d.names) out << "," << n;
    out << "\n";
    for (size_t i = 0; i < d.y.size(); ++i) {
      out << d.y[i];
      for (double x : d.X[i]) out << "," << x;
      out << "\n";
    }
  }
  const std::string script = fmt::format(
      "d <- read.csv('{}'); f <- glm(y ~ ., data = d, family = binomial(), control = "
      "glm.control(epsilon = 1e-14, maxit = 100)); "
      "s <- summary(f)[['coefficients']]; write.table(s[, 1:2], '{}', col.names = FALSE, sep = "
      "',')",
      (dir / "design.csv").string(), (dir / "coef.csv").string());
  const std::string cmd =
      fmt::format("{} -e \"{}\" > {} 2>&1", rscript, script, (dir / "r.log").string());
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "R failed; see " << (dir / "r.log").string();
  std::ifstream in(dir / "coef.csv");
  std::string line;
  size_t j = 0;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string name, est, se;
    std::getline(ss, name, ',');
    std::getline(ss, est, ',');
    std::getline(ss, se, ',');
    ASSERT_LT(j, m->logit.coef.size());
    EXPECT_NEAR(m->logit.coef[j], std::stod(est), 1e-6 * std::max(1.0, std::abs(std::stod(est))))
        << m->logit.names[j] << " vs R " << name;
    EXPECT_NEAR(m->logit.se[j], std::stod(se), 1e-6 * std::max(1.0, std::stod(se)))
        << m->logit.names[j] << " vs R " << name;
    ++j;
  }
  EXPECT_EQ(j, m->logit.coef.size());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace poles::select
