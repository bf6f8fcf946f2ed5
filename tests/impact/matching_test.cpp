// Matching on lalonde against R's MatchIt (Debian's r-cran-matchit) run on the same file inside
// the test: the matched sets, the weights and the balance table; the caliper and CEM by their
// properties.
#include "impact/matching.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "impact/frame.h"
#include "impact/hdfe.h"
#include "test_support.h"

namespace poles::impact {
namespace {

const char* kLalonde = "data/reference/lalonde/lalonde_matchit.csv";
const std::vector<std::string> kCovariates = {"age",      "educ", "race", "married",
                                              "nodegree", "re74", "re75"};

struct Lalonde {
  Frame frame;
  std::vector<std::string> id;
  std::vector<int> treat;
  Covariates cov;
};

Lalonde load() {
  Lalonde l;
  auto f = read_csv(testing::shared_path(kLalonde).string());
  EXPECT_TRUE(f.has_value()) << f.error().to_string();
  l.frame = *f;
  l.id = l.frame.find("id")->text;
  const auto treat = *l.frame.numeric("treat");
  for (double t : treat) l.treat.push_back(static_cast<int>(t));
  auto c = covariates(l.frame, kCovariates);
  EXPECT_TRUE(c.has_value()) << c.error().to_string();
  l.cov = *c;
  return l;
}

// What MatchIt says, by specification: matched controls of each treated id, weights by id, balance
// rows.
struct Peer {
  std::map<std::string, std::map<std::string, std::vector<std::string>>> pairs;
  std::map<std::string, std::map<std::string, double>> weights;
  std::map<std::string, std::vector<double>> balance;
  double att = 0, att_se = 0;
};

Peer run_matchit(const testing::TempDir& dir) {
  const std::string script = fmt::format(R"(
suppressMessages({{ library(MatchIt); library(estimatr) }})
d <- read.csv("{}")
rownames(d) <- d$id
f <- treat ~ age + educ + race + married + nodegree + re74 + re75
specs <- list(nn = list(), rep = list(replace = TRUE), r2 = list(ratio = 2))
for (s in names(specs)) {{
  m <- do.call(matchit, c(list(formula = f, data = d, method = "nearest", distance = "glm"), specs[[s]]))
  mm <- m$match.matrix
  for (i in seq_len(nrow(mm))) cat("P", s, rownames(mm)[i], mm[i, !is.na(mm[i, ])], "\n")
  cat(paste("W", s, d$id, format(m$weights, digits = 17)), sep = "\n")
  if (s == "nn") {{
    b <- summary(m)
    a <- b$sum.all; x <- b$sum.matched
    for (v in rownames(a)) cat("B", v, format(c(a[v, 1:4], x[v, 1:4]), digits = 17), "\n")
    md <- match.data(m)
    fit <- lm_robust(re78 ~ treat, data = md, weights = weights, clusters = subclass, se_type = "stata")
    cat("ATT", format(c(coef(fit)[["treat"]], fit$std.error[["treat"]]), digits = 17), "\n")
  }}
}}
m <- matchit(treat ~ race + married + nodegree, data = d, method = "exact")
cat(paste("W exact", d$id, format(m$weights, digits = 17)), sep = "\n")
)",
                                         testing::shared_path(kLalonde).string());
  const auto out = testing::run_r(POLES_RSCRIPT, dir.path(), "matchit.R", script);
  EXPECT_EQ(out.status, 0) << out.output;
  Peer p;
  std::istringstream in(out.output);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream l(line);
    std::string tag, spec, id;
    l >> tag;
    if (tag == "P") {
      l >> spec >> id;
      std::string c;
      while (l >> c) p.pairs[spec][id].push_back(c);
    } else if (tag == "W") {
      double w = 0;
      l >> spec >> id >> w;
      p.weights[spec][id] = w;
    } else if (tag == "B") {
      l >> id;
      std::string v;
      while (l >> v) p.balance[id].push_back(v == "NA" ? NAN : std::stod(v));
    } else if (tag == "ATT") {
      l >> p.att >> p.att_se;
    }
  }
  return p;
}

class LalondeVsMatchIt : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(testing::shared_path(kLalonde))) return;
    if (!std::filesystem::exists(POLES_RSCRIPT)) return;
    testing::TempDir dir;
    peer_ = new Peer(run_matchit(dir));
  }
  static void TearDownTestSuite() {
    delete peer_;
    peer_ = nullptr;
  }
  void SetUp() override {
    POLES_REQUIRE_SHARED(kLalonde);
    ASSERT_TRUE(std::filesystem::exists(POLES_RSCRIPT))
        << "Rscript is needed (scripts/install-deps installs r-base-core and r-cran-matchit)";
    ASSERT_NE(peer_, nullptr);
  }
  static Peer* peer_;
};
Peer* LalondeVsMatchIt::peer_ = nullptr;

void expect_same_sets(const Lalonde& l, const Matching& m,
                      const std::map<std::string, std::vector<std::string>>& peer) {
  int treated = 0;
  for (size_t i = 0; i < l.id.size(); ++i) {
    if (!l.treat[i]) continue;
    ++treated;
    std::vector<std::string> ours;
    for (int c : m.matches[i]) ours.push_back(l.id[static_cast<size_t>(c)]);
    ASSERT_TRUE(peer.count(l.id[i])) << l.id[i];
    EXPECT_EQ(ours, peer.at(l.id[i])) << l.id[i];
  }
  EXPECT_EQ(treated, 185);
}

void expect_same_weights(const Lalonde& l, const Matching& m,
                         const std::map<std::string, double>& peer) {
  ASSERT_EQ(peer.size(), l.id.size());
  for (size_t i = 0; i < l.id.size(); ++i)
    EXPECT_NEAR(m.weights[i], peer.at(l.id[i]), 1e-12) << l.id[i];
}

NearestOptions as_matchit_4_5_1(NearestOptions o = {}) {
  o.matchit_4_5_1 = true;
  return o;
}

TEST_F(LalondeVsMatchIt, NearestNeighbourWithoutReplacementKeepsMatchItsPairsAndBalance) {
  const Lalonde l = load();
  auto m = nearest_neighbour(l.cov.model, l.treat, as_matchit_4_5_1());
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  EXPECT_EQ(m->treated_matched, 185);
  EXPECT_EQ(m->controls_matched, 185);
  expect_same_sets(l, *m, peer_->pairs.at("nn"));
  expect_same_weights(l, *m, peer_->weights.at("nn"));
  const auto rows = balance(l.cov, m->distance, l.treat, m->weights);
  ASSERT_EQ(rows.size(), peer_->balance.size());
  for (const auto& r : rows) {
    ASSERT_TRUE(peer_->balance.count(r.name)) << r.name;
    const auto& b = peer_->balance.at(r.name);
    const double ours[] = {r.mean_treated,   r.mean_control,          r.smd,
                           r.variance_ratio, r.matched_mean_treated,  r.matched_mean_control,
                           r.matched_smd,    r.matched_variance_ratio};
    for (size_t j = 0; j < 8; ++j) {
      if (std::isnan(b[j])) {
        EXPECT_TRUE(std::isnan(ours[j])) << r.name << " " << j;
      } else {
        EXPECT_NEAR(ours[j], b[j], 1e-8 * std::max(1.0, std::abs(b[j]))) << r.name << " " << j;
      }
    }
  }
  // The matched-sample ATT with pair-clustered errors, as estimatr's lm_robust (se_type = "stata").
  OlsInput in;
  in.y = *l.frame.numeric("re78");
  in.x_names = {"treat"};
  in.x = {*l.frame.numeric("treat")};
  in.weights = m->weights;
  FixedEffect pair{"pair", {}, 185};
  for (int s : m->subclass) pair.code.push_back(s);
  in.vcov.kind = VcovKind::kCluster;
  in.vcov.clusters = {pair};
  auto fit = feols(in);
  ASSERT_TRUE(fit.has_value()) << fit.error().to_string();
  EXPECT_EQ(fit->n, 370);
  EXPECT_NEAR(fit->coef(1), peer_->att, 1e-6);
  EXPECT_NEAR(fit->se(1), peer_->att_se, 1e-6);
  // The same through matched_att, clustered by pair.
  auto att = matched_att(*l.frame.numeric("re78"), l.treat, *m);
  ASSERT_TRUE(att.has_value()) << att.error().to_string();
  EXPECT_TRUE(att->clustered_by_set);
  EXPECT_NEAR(att->att.estimate, peer_->att, 1e-6);
  EXPECT_NEAR(att->att.se, peer_->att_se, 1e-6);
}

TEST_F(LalondeVsMatchIt, WithReplacementAndTwoToOneMatchMatchIt) {
  const Lalonde l = load();
  NearestOptions rep = as_matchit_4_5_1();
  rep.replace = true;
  auto m = nearest_neighbour(l.cov.model, l.treat, rep);
  ASSERT_TRUE(m.has_value());
  expect_same_sets(l, *m, peer_->pairs.at("rep"));
  expect_same_weights(l, *m, peer_->weights.at("rep"));
  NearestOptions two = as_matchit_4_5_1();
  two.ratio = 2;
  auto m2 = nearest_neighbour(l.cov.model, l.treat, two);
  ASSERT_TRUE(m2.has_value());
  expect_same_sets(l, *m2, peer_->pairs.at("r2"));
  expect_same_weights(l, *m2, peer_->weights.at("r2"));
}

TEST_F(LalondeVsMatchIt, ExactMatchingWeightsMatchMatchIt) {
  const Lalonde l = load();
  auto c = covariates(l.frame, {"race", "married", "nodegree"});
  ASSERT_TRUE(c.has_value());
  auto m = exact_match(c->display, l.treat);
  ASSERT_TRUE(m.has_value());
  expect_same_weights(l, *m, peer_->weights.at("exact"));
  // Every matched control shares its stratum's covariates with the treated of the stratum.
  for (size_t i = 0; i < l.id.size(); ++i) {
    for (size_t j = 0; j < l.id.size(); ++j) {
      if (m->subclass[i] >= 0 && m->subclass[i] == m->subclass[j]) {
        ASSERT_EQ(c->display.row(static_cast<Eigen::Index>(i)),
                  c->display.row(static_cast<Eigen::Index>(j)));
      }
    }
  }
}

// Without the emulation, the matching takes the truly nearest control: it departs from MatchIt
// 4.5.1 first at a treated unit whose nearest control lies above its score, and is nearer there.
TEST_F(LalondeVsMatchIt, TrueNearestDepartsFromMatchItOnlyWhereMatchItTakesAFartherControl) {
  const Lalonde l = load();
  auto m = nearest_neighbour(l.cov.model, l.treat);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->treated_matched, 185);
  EXPECT_EQ(m->controls_matched, 185);
  std::vector<int> order;
  for (int i = 0; i < static_cast<int>(l.id.size()); ++i) {
    if (l.treat[static_cast<size_t>(i)]) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return m->distance(a) > m->distance(b); });
  std::map<std::string, int> row;
  for (size_t i = 0; i < l.id.size(); ++i) row[l.id[i]] = static_cast<int>(i);
  int differing = 0;
  bool first = true;
  for (int t : order) {
    const int ours = m->matches[static_cast<size_t>(t)][0];
    const int theirs = row.at(peer_->pairs.at("nn").at(l.id[static_cast<size_t>(t)])[0]);
    if (ours == theirs) continue;
    ++differing;
    if (first) {
      EXPECT_GT(m->distance(ours), m->distance(t)) << l.id[static_cast<size_t>(t)];
      EXPECT_LT(std::abs(m->distance(ours) - m->distance(t)),
                std::abs(m->distance(theirs) - m->distance(t)))
          << l.id[static_cast<size_t>(t)];
      first = false;
    }
  }
  EXPECT_GT(differing, 0);
  EXPECT_LT(differing, 20);
}

// Debian's MatchIt 4.5.1 ignores `caliper` (every treated unit stays matched, pairs up to 0.45
// apart in score), so the caliper is checked by what it must do.
TEST(Matching, CaliperDropsTreatedWithoutAControlWithinTheWidth) {
  POLES_REQUIRE_SHARED(kLalonde);
  const Lalonde l = load();
  NearestOptions cal;
  cal.caliper = 0.2;
  cal.distance = DistanceScale::kLogit;
  auto m = nearest_neighbour(l.cov.model, l.treat, cal);
  ASSERT_TRUE(m.has_value());
  const auto& d = m->distance;
  const double sd = std::sqrt((d.array() - d.mean()).square().sum() / (d.size() - 1.0));
  EXPECT_NEAR(m->caliper_width, 0.2 * sd, 1e-12);
  EXPECT_LT(m->treated_matched, 185);
  EXPECT_GT(m->treated_matched, 50);
  EXPECT_EQ(m->treated_matched, m->controls_matched);
  for (size_t i = 0; i < l.id.size(); ++i) {
    for (int c : m->matches[i])
      EXPECT_LE(std::abs(d(static_cast<Eigen::Index>(i)) - d(c)), m->caliper_width);
  }
  // Balance on the score improves over plain nearest neighbour.
  auto plain = nearest_neighbour(
      l.cov.model, l.treat,
      NearestOptions{1, false, std::nullopt, DistanceScale::kLogit, MatchOrder::kLargest});
  ASSERT_TRUE(plain.has_value());
  const auto b_cal = balance(l.cov, m->distance, l.treat, m->weights);
  const auto b_plain = balance(l.cov, plain->distance, l.treat, plain->weights);
  EXPECT_LT(std::abs(b_cal[0].matched_smd), 0.25);
  EXPECT_GT(std::abs(b_plain[0].matched_smd), 0.5);
}

TEST(Matching, CoarsenedExactMatchingImprovesBalance) {
  POLES_REQUIRE_SHARED(kLalonde);
  const Lalonde l = load();
  auto m = coarsened_exact_match(l.cov.display, l.cov.binary, l.treat);
  ASSERT_TRUE(m.has_value());
  EXPECT_GT(m->treated_matched, 30);
  const auto rows = balance(l.cov, {}, l.treat, m->weights);
  for (const auto& r : rows) {
    if (r.binary) {
      EXPECT_NEAR(r.matched_smd, 0, 1e-12) << r.name;  // exact on the binary covariates
    }
    EXPECT_LE(std::abs(r.matched_smd), std::abs(r.smd) + 1e-12) << r.name;
  }
}

// What each mean of the balance table rests on, for secrecy: the rows of its group (with a
// positive weight after matching) and their absolute contributions.
TEST(Matching, BalanceRecordsWhatEachMeanRestsOn) {
  POLES_REQUIRE_SHARED(kLalonde);
  const Lalonde l = load();
  auto m = nearest_neighbour(l.cov.model, l.treat, NearestOptions{});
  ASSERT_TRUE(m.has_value());
  const auto rows = balance(l.cov, m->distance, l.treat, m->weights);
  const auto re74 = *l.frame.numeric("re74");
  for (const auto& r : rows) {
    EXPECT_EQ(r.treated_support.rows, 185) << r.name;
    EXPECT_EQ(r.control_support.rows, 429) << r.name;
    EXPECT_EQ(r.matched_treated_support.rows, m->treated_matched) << r.name;
    EXPECT_EQ(r.matched_control_support.rows, m->controls_matched) << r.name;
    for (const auto* s : {&r.treated_support, &r.control_support, &r.matched_treated_support,
                          &r.matched_control_support}) {
      EXPECT_LE(s->largest, s->abs_total) << r.name;
    }
    if (r.name != "re74") continue;
    double total = 0, largest = 0;
    for (size_t i = 0; i < re74.size(); ++i) {
      if (l.treat[i] != 1) continue;
      total += std::abs(re74[i]);
      largest = std::max(largest, std::abs(re74[i]));
    }
    EXPECT_NEAR(r.treated_support.abs_total, total, 1e-9 * total);
    EXPECT_EQ(r.treated_support.largest, largest);
  }
}

// The sample of a matching: rows with a 0/1 treatment, their covariates and their outcome; the
// matched ATT recovers a planted effect, with robust errors when matching with replacement.
TEST(Matching, SampleKeepsCompleteRowsAndTheMatchedAttRecoversThePlantedEffect) {
  Frame f;
  std::vector<double> x, t, y;
  for (int i = 0; i < 400; ++i) {
    const double xi = (i % 40) / 10.0;
    const double ti = (i / 40) % 4 == 0 ? 1 : 0;
    x.push_back(xi);
    t.push_back(ti);
    y.push_back(1 + 2 * ti + 0.01 * ((i * 13) % 7));
  }
  x[3] = NAN;  // no covariate
  t[4] = 2;    // not a treatment
  y[5] = NAN;  // no outcome
  f.add_numeric("x", x);
  f.add_numeric("t", t);
  f.add_numeric("y", y);
  auto s = match_sample(f, "t", {"x"}, "y");
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(s->treat.size(), 397u);
  EXPECT_EQ(s->outcome.size(), 397u);
  EXPECT_EQ(s->covariates.model.rows(), 397);
  auto without_outcome = match_sample(f, "t", {"x"});
  ASSERT_TRUE(without_outcome.has_value());
  EXPECT_EQ(without_outcome->treat.size(), 398u);
  EXPECT_TRUE(without_outcome->outcome.empty());
  EXPECT_FALSE(match_sample(f, "nope", {"x"}).has_value());

  NearestOptions o;
  o.replace = true;
  auto m = nearest_neighbour(s->covariates.model, s->treat, o);
  ASSERT_TRUE(m.has_value()) << m.error().to_string();
  auto att = matched_att(s->outcome, s->treat, *m);
  ASSERT_TRUE(att.has_value()) << att.error().to_string();
  EXPECT_FALSE(att->clustered_by_set);
  EXPECT_NEAR(att->att.estimate, 2, 0.05);
  EXPECT_LT(att->att.low, att->att.estimate);
  EXPECT_GT(att->att.high, att->att.estimate);
  // Without a matched pair there is nothing to estimate on (exact matching on a continuous
  // covariate, say): an error, not Eigen's assertion on an empty matrix.
  Matching unmatched;
  unmatched.weights.assign(s->treat.size(), 0);
  unmatched.subclass.assign(s->treat.size(), -1);
  auto none = matched_att(s->outcome, s->treat, unmatched);
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message().find("no treated unit was matched"), std::string::npos);
}

}  // namespace
}  // namespace poles::impact
