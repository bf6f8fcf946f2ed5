// The impact engine on the france-scale demo's firm panel: the planted effects (the `truth`
// table) recovered by Callaway & Sant'Anna within their intervals while the naive comparison is
// rejected; the spillover on exposed non-members; fixed-effect regressions against R's plm and
// estimatr on the same panel.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "app/impact.h"
#include "demo_france.h"
#include "impact/did.h"
#include "impact/event_study.h"
#include "impact/hdfe.h"
#include "impact/panel.h"
#include "test_support.h"

namespace poles::impact {
namespace {

struct Tables {
  static std::vector<std::string_view> tables() {
    return {"firm_year",     "organisation", "membership", "cluster",
            "participation", "project",      "truth"};
  }
};

class ImpactFrance : public testing_support::DemoFranceSuite<Tables> {
 protected:
  static const Frame& panel() {
    static Frame f = [] {
      auto p = firm_panel(*snap_);
      EXPECT_TRUE(p.has_value()) << p.error().to_string();
      return *p;
    }();
    return f;
  }
  static double truth(const std::string& key) {
    const auto& t = snap_->table("truth");
    const auto& k = t.column("key");
    const auto& v = t.column("value");
    for (size_t r = 0; r < t.rows; ++r) {
      if (k.text(r) == key) return v.reals[r];
    }
    ADD_FAILURE() << "no truth row " << key;
    return NAN;
  }
  // The panel for the direct effect: members and the non-members never exposed to a member of
  // their (employment zone, NAF division) cell, whose outcomes carry no spillover.
  static DidData direct_effect_data(const std::string& outcome) { return did_data(outcome, false); }
  // Members with their join year and never-exposed non-members (direct), or non-members with
  // their exposure year (spillover).
  static DidData did_data(const std::string& outcome, bool spillover) {
    const Frame& f = panel();
    const auto firm = *f.numeric("firm");
    const auto year = *f.numeric("year");
    const auto join = *f.numeric("join_year");
    const auto exposed = *f.numeric("zone_sector_exposed");
    const auto y = *f.numeric(outcome);
    DidData d;
    for (size_t i = 0; i < f.rows(); ++i) {
      if (spillover ? join[i] != 0 : (join[i] == 0 && exposed[i] != 0)) continue;
      d.unit.push_back(static_cast<int64_t>(firm[i]));
      d.time.push_back(static_cast<int>(year[i]));
      d.group.push_back(static_cast<int>(spillover ? exposed[i] : join[i]));
      d.y.push_back(y[i]);
    }
    return d;
  }
};

TEST_F(ImpactFrance, PanelCarriesTheMembershipTiming) {
  const Frame& f = panel();
  const auto firm = *f.numeric("firm");
  const auto member = *f.numeric("member");
  std::set<double> members, others;
  for (size_t i = 0; i < f.rows(); ++i) (member[i] ? members : others).insert(firm[i]);
  EXPECT_EQ(static_cast<double>(members.size()), truth("panel.members"));
  EXPECT_EQ(static_cast<double>(others.size()), truth("panel.non_members"));
}

TEST_F(ImpactFrance, CallawaySantAnnaRecoversThePlantedEffectAndTheNaiveComparisonDoesNot) {
  auto r = att_gt(
      direct_effect_data("log(rd_spending)"),
      DidOptions{ControlGroup::kNeverTreated, BasePeriod::kVarying, DidMethod::kRegression, 0, {}});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  auto simple = aggregate(*r, Aggregation::kSimple);
  ASSERT_TRUE(simple.has_value());
  const double planted = truth("att.rd_spending_log.simple");
  std::cout << "units " << r->units << " dropped " << r->dropped_units << " groups "
            << r->groups.size() << " ATT " << simple->att << " (" << simple->se << ") planted "
            << planted << " pretest p " << r->pretest_p << "\n";
  EXPECT_LT(std::abs(simple->att - planted), 1.96 * simple->se);
  auto dyn = aggregate(*r, Aggregation::kDynamic);
  ASSERT_TRUE(dyn.has_value());
  for (const auto& term : dyn->terms) {
    if (term.key < 0 || term.key > 4) continue;
    const double e_truth = truth(fmt::format("att.rd_spending_log.dynamic.e{}", term.key));
    std::cout << "e=" << term.key << " " << term.att << " (" << term.se << ") planted " << e_truth
              << "\n";
    EXPECT_LT(std::abs(term.att - e_truth), 2.58 * term.se) << "e = " << term.key;
  }
  // No pre-trend is planted: the leads are jointly zero at 1 %.
  EXPECT_GT(r->pretest_p, 0.01);
  // Turnover and headcount carry no planted effect.
  for (const char* outcome : {"log(turnover)", "log(headcount)"}) {
    auto z = att_gt(
        direct_effect_data(outcome),
        DidOptions{
            ControlGroup::kNeverTreated, BasePeriod::kVarying, DidMethod::kRegression, 0, {}});
    ASSERT_TRUE(z.has_value());
    auto zs = aggregate(*z, Aggregation::kSimple);
    std::cout << outcome << " ATT " << zs->att << " (" << zs->se << ")\n";
    EXPECT_LT(std::abs(zs->att), 2.58 * zs->se) << outcome;
  }
  // The naive comparison (pooled OLS of members after joining against everyone else, no fixed
  // effects) is biased by the members' higher R&D propensity: its interval excludes the truth.
  const Frame& f = panel();
  const auto year = *f.numeric("year");
  const auto join = *f.numeric("join_year");
  OlsInput naive;
  naive.y = *f.numeric("log(rd_spending)");
  naive.x_names = {"member_after"};
  naive.x.assign(1, std::vector<double>(f.rows()));
  for (size_t i = 0; i < f.rows(); ++i) naive.x[0][i] = join[i] != 0 && year[i] >= join[i];
  naive.vcov.kind = VcovKind::kHetero;
  auto nv = feols(naive);
  ASSERT_TRUE(nv.has_value());
  std::cout << "naive " << nv->coef(1) << " (" << nv->se(1) << ")\n";
  EXPECT_GT(std::abs(nv->coef(1) - planted), 1.96 * nv->se(1) * 10);
}

// Heterogeneity by size class through the store's API (by=size_class): the planted multipliers
// (truth effect.multiplier.size.*, times the event-time and cohort effects) recovered in each
// class with enough firms, and their equality rejected.
TEST_F(ImpactFrance, SizeClassesRecoverThePlantedSizeMultipliers) {
  // Large firms are too few in some cohort-year cell: they are left out (with them, they would be
  // masked and, by secondary suppression, the ETI with them).
  const auto args = app::parse(app::impact_params(), {{"estimator", "did"},
                                                      {"by", "size_class"},
                                                      {"subset", "size_class != ge"},
                                                      {"control", "never"},
                                                      {"bootstrap", "0"}});
  ASSERT_TRUE(args.has_value());
  const auto r = app::impact_from_store(*snap_, *args);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ASSERT_TRUE(r->did && r->did->by);
  // The planted effect averaged over each class's treated member-years, from the truth table.
  const Frame& f = panel();
  const auto year = *f.numeric("year");
  const auto join = *f.numeric("join_year");
  const auto& size = f.find("size_class")->text;
  std::map<std::string, std::pair<double, int64_t>> planted;
  for (size_t i = 0; i < f.rows(); ++i) {
    if (join[i] == 0 || year[i] < join[i]) continue;
    const int e = std::min(static_cast<int>(year[i] - join[i]), 4);
    const double cohort = truth(join[i] <= 2008   ? "effect.multiplier.cohort.le2008"
                                : join[i] <= 2014 ? "effect.multiplier.cohort.2009_2014"
                                                  : "effect.multiplier.cohort.ge2015");
    auto& [sum, n] = planted[size[i]];
    sum += truth(fmt::format("effect.rd_spending_log.base.e{}", e)) *
           truth("effect.multiplier.size." + size[i]) * cohort;
    ++n;
  }
  std::set<std::string> published;
  for (const auto& g : r->did->by->groups) {
    if (!g.estimate) continue;
    published.insert(g.key);
    const double truth_of_class = planted[g.key].first / static_cast<double>(planted[g.key].second);
    std::cout << g.key << " " << *g.estimate << " (" << *g.se << ") planted " << truth_of_class
              << "\n";
    EXPECT_LT(std::abs(*g.estimate - truth_of_class), 3 * *g.se) << g.key;
  }
  EXPECT_EQ(published, (std::set<std::string>{"tpe", "pme", "eti"}));
  const auto& eq = r->did->by->equality;
  ASSERT_TRUE(eq.p);
  EXPECT_EQ(eq.df, 2);
  EXPECT_LT(*eq.p, 1e-3) << "TPE 1.3, PME 1.2, ETI 0.8: the classes differ";
}

// Spillovers: non-members of a (zone, sector) cell once a member of the cell has joined, against
// never-exposed non-members, recover the planted indirect effect.
TEST_F(ImpactFrance, SpilloverOnExposedNonMembersIsRecovered) {
  auto r = att_gt(
      did_data("log(rd_spending)", true),
      DidOptions{ControlGroup::kNeverTreated, BasePeriod::kVarying, DidMethod::kRegression, 0, {}});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  auto simple = aggregate(*r, Aggregation::kSimple);
  ASSERT_TRUE(simple.has_value());
  const double planted = truth("spillover.rd_spending_log");
  std::cout << "spillover " << simple->att << " (" << simple->se << ") planted " << planted
            << " on " << r->units << " firms\n";
  EXPECT_LT(std::abs(simple->att - planted), 2.58 * simple->se);
  EXPECT_GT(simple->att / simple->se, 3);
}

// log(R&D) on membership after joining and log(headcount), firm and year fixed effects, on an
// unbalanced extract of the demo panel: plm's within estimator (iid errors) and estimatr's
// lm_robust (HC1, and clustered by firm) give the same numbers to 1e-8.
TEST_F(ImpactFrance, FixedEffectRegressionsAgreeWithPlmAndEstimatr) {
  ASSERT_TRUE(std::filesystem::exists(POLES_RSCRIPT))
      << "Rscript is needed (scripts/install-deps installs r-cran-plm and r-cran-estimatr)";
  const Frame& f = panel();
  const auto firm = *f.numeric("firm");
  const auto year = *f.numeric("year");
  const auto join = *f.numeric("join_year");
  const auto rd = *f.numeric("log(rd_spending)");
  const auto hc = *f.numeric("log(headcount)");
  // Every 64th firm, with some years missing so that the panel is unbalanced.
  std::map<double, int> firm_index;
  for (double v : firm) firm_index.emplace(v, 0);
  int k = 0;
  for (auto& [v, idx] : firm_index) idx = k++;
  testing::TempDir dir;
  std::ofstream csv(dir / "panel.csv");
  csv.precision(17);
  csv << "firm,year,y,treated,lhc\n";
  OlsInput in;
  in.x_names = {"treated", "lhc"};
  in.x.resize(2);
  std::vector<int32_t> unit, period;
  for (size_t i = 0; i < f.rows(); ++i) {
    const int idx = firm_index[firm[i]];
    if (idx % 64 != 0 || (idx / 64 + static_cast<int>(year[i])) % 5 == 0) continue;
    const double treated = join[i] != 0 && year[i] >= join[i];
    csv << idx << "," << year[i] << "," << rd[i] << "," << treated << "," << hc[i] << "\n";
    in.y.push_back(rd[i]);
    in.x[0].push_back(treated);
    in.x[1].push_back(hc[i]);
    unit.push_back(idx);
    period.push_back(static_cast<int32_t>(year[i]) - 1990);
  }
  csv.close();
  auto fe = [](std::string name, std::vector<int32_t> codes) {
    const int32_t levels = *std::max_element(codes.begin(), codes.end()) + 1;
    return FixedEffect{std::move(name), std::move(codes), levels};
  };
  in.fe = {fe("firm", unit), fe("year", period)};
  in.drop_singletons = false;  // plm and estimatr keep them
  in.demean.tolerance = 1e-12;
  const std::string script = fmt::format(R"(
suppressMessages({{ library(plm); library(estimatr) }})
d <- read.csv("{}")
p <- plm(y ~ treated + lhc, data = d, index = c("firm", "year"), model = "within", effect = "twoways")
cat("PLM", format(c(coef(p), sqrt(diag(vcov(p)))), digits = 17), "\n")
h <- lm_robust(y ~ treated + lhc, data = d, fixed_effects = ~ firm + year, se_type = "HC1")
cat("HC1", format(c(coef(h), h$std.error), digits = 17), "\n")
c1 <- lm_robust(y ~ treated + lhc, data = d, fixed_effects = ~ firm + year, clusters = firm, se_type = "stata")
cat("CR1", format(c(coef(c1), c1$std.error), digits = 17), "\n")
)",
                                         (dir / "panel.csv").string());
  const auto out = testing::run_r(POLES_RSCRIPT, dir.path(), "fe.R", script);
  ASSERT_EQ(out.status, 0) << out.output;
  std::map<std::string, std::vector<double>> peer;
  std::istringstream lines(out.output);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream l(line);
    std::string tag;
    l >> tag;
    double v = 0;
    while (l >> v) peer[tag].push_back(v);
  }
  ASSERT_EQ(peer["PLM"].size(), 4u) << out.output;
  ASSERT_EQ(peer["HC1"].size(), 4u) << out.output;
  ASSERT_EQ(peer["CR1"].size(), 4u) << out.output;
  auto check = [&](const char* tag, VcovKind kind, FixedEffectCount count) {
    OlsInput run = in;
    run.vcov.kind = kind;
    run.vcov.fixef_k = count;
    if (kind == VcovKind::kCluster) run.vcov.clusters = {run.fe[0]};
    auto r = feols(std::move(run));
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    for (Eigen::Index j = 0; j < 2; ++j) {
      const double coef = peer[tag][static_cast<size_t>(j)],
                   se = peer[tag][static_cast<size_t>(j) + 2];
      EXPECT_NEAR(r->coef(j), coef, 1e-8 * std::max(1.0, std::abs(coef)))
          << tag << " " << r->names[static_cast<size_t>(j)];
      EXPECT_NEAR(r->se(j), se, 1e-8 * se) << tag << " " << r->names[static_cast<size_t>(j)];
    }
  };
  check("PLM", VcovKind::kIid, FixedEffectCount::kNested);
  check("HC1", VcovKind::kHetero, FixedEffectCount::kNested);
  check("CR1", VcovKind::kCluster, FixedEffectCount::kFull);
}

}  // namespace
}  // namespace poles::impact
