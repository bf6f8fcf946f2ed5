// The evaluation on the france-scale demo: catalogue values against SQL counts of the store, the
// whole default composite of 2022 (imputation, COINr's outlier rule, min-max, weighted means)
// against the same steps written in R on the same raw table, and the year's evaluation end to end.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "app/access.h"
#include "demo_france.h"
#include "evaluate/audit.h"
#include "evaluate/composite.h"
#include "evaluate/indicators.h"
#include "evaluate/method_file.h"
#include "evaluate/run.h"
#include "report/cluster_report.h"
#include "test_support.h"

namespace poles::evaluate {
namespace {

struct Tables {
  static std::vector<std::string_view> tables() {
    return {"cluster_label", "membership",     "project_label", "project_event",
            "participation", "result",         "service",       "service_participant",
            "diagnostic",    "cluster_budget", "contract",      "contract_target",
            "assessment",    "employment",     "firm_year",     "member_census"};
  }
};
// Each ctest test is its own process and loads its snapshot: the catalogue's SQL check does not
// need the firm panel, the slowest table to load.
struct TablesWithoutPanel {
  static std::vector<std::string_view> tables() {
    auto t = Tables::tables();
    t.pop_back();
    return t;
  }
};
using EvaluateFrance = testing_support::DemoFranceSuite<Tables>;
using EvaluateFranceCatalogue = testing_support::DemoFranceSuite<TablesWithoutPanel>;

MethodFile shipped_method(const std::string& name) {
  auto m = load_method(std::string(POLES_SOURCE_DIR) + "/methods/" + name + ".toml");
  EXPECT_TRUE(m.has_value()) << m.error().to_string();
  return *m;
}
MethodFile default_method() { return shipped_method("default"); }

TEST_F(EvaluateFranceCatalogue, CatalogueAgreesWithSqlCounts) {
  auto store = store::Store::open(std::getenv("POLES_DEMO_FRANCE_DB"));
  ASSERT_TRUE(store.has_value());
  const auto q = app::query_on(**store);
  const auto cat = catalogue(*snap_, 2020, 2020);
  const auto& clusters = snap_->table("cluster");
  auto members =
      q("SELECT cluster_id, count(DISTINCT organisation_id) FROM membership WHERE start_date <= "
        "'2020-12-31' "
        "AND (end_date IS NULL OR end_date >= '2020-01-01') GROUP BY cluster_id",
        {});
  ASSERT_TRUE(members.has_value());
  ASSERT_GT(members->size(), 50u);
  for (const auto& row : *members) {
    const int32_t c = clusters.find(std::get<std::string>(row[0]));
    EXPECT_EQ(cat.at(2020, c, indicator_index("members")),
              static_cast<double>(std::get<int64_t>(row[1])))
        << std::get<std::string>(row[0]);
  }
  auto labelled =
      q("SELECT cluster_id, count(*) FROM project_label WHERE date BETWEEN '2020-01-01' AND "
        "'2020-12-31' GROUP BY cluster_id",
        {});
  ASSERT_TRUE(labelled.has_value());
  ASSERT_GT(labelled->size(), 10u);
  for (const auto& row : *labelled) {
    const int32_t c = clusters.find(std::get<std::string>(row[0]));
    EXPECT_EQ(cat.at(2020, c, indicator_index("projects_labelled")),
              static_cast<double>(std::get<int64_t>(row[1])));
  }
  auto budget = q("SELECT cluster_id, private / total FROM cluster_budget WHERE year = 2020", {});
  ASSERT_TRUE(budget.has_value());
  for (const auto& row : *budget) {
    const int32_t c = clusters.find(std::get<std::string>(row[0]));
    EXPECT_NEAR(cat.at(2020, c, indicator_index("private_funding_share")), std::get<double>(row[1]),
                1e-12);
  }
}

TEST_F(EvaluateFrance, DefaultCompositeAgreesWithR) {
  const char* rscript = POLES_RSCRIPT;
  if (!std::filesystem::exists(rscript))
    GTEST_FAIL() << "Rscript is needed (scripts/install-deps installs r-base-core); CMake found '"
                 << rscript << "'";
  const MethodFile m = default_method();
  const auto cat = catalogue(*snap_, 2012, 2022);
  std::vector<int32_t> rows;
  const Table raw = indicator_table(cat, m, 2022, rows);
  ASSERT_GT(rows.size(), 50u);
  auto c = compute(raw, m.method);
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  int treated = 0;
  for (const auto& t : c->treatments) treated += t.winsorised > 0 || t.log;
  EXPECT_GT(treated, 0) << "some demo indicator needs the outlier rule, so the check covers it";
  const auto dir =
      std::filesystem::temp_directory_path() / ("poles-eval-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(write_for_peer(raw, m.method, dir.string()).is_ok());
  std::ofstream(dir / "composite.R")
      << "x <- read.csv('" << (dir / "raw.csv").string()
      << "')\n"
         "meta <- read.csv('"
      << (dir / "meta.csv").string()
      << "')\n"
         "pw <- read.csv('"
      << (dir / "pillars.csv").string()
      << "')$weight\n"
         "skew <- function(v) { v <- v[!is.na(v)]; n <- length(v); d <- v - mean(v); g <- sqrt(n) "
         "* sum(d^3) / sum(d^2)^1.5; g * sqrt(n * (n - 1)) / (n - 2) }\n"
         "kurt <- function(v) { v <- v[!is.na(v)]; n <- length(v); d <- v - mean(v); r <- n * "
         "sum(d^4) / sum(d^2)^2; ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)) }\n"
         "fails <- function(v) { s <- skew(v); k <- kurt(v); is.finite(s) && is.finite(k) && "
         "abs(s) >= 2 && k >= 3.5 }\n"
         "n <- matrix(NA, nrow(x), ncol(x))\n"
         "for (j in seq_len(ncol(x))) {\n"
         "  v <- x[[j]] * meta$direction[j]\n"
         "  if (all(is.na(v))) next\n"
         "  v[is.na(v)] <- mean(v, na.rm = TRUE)\n"
         "  for (round in 1:5) { if (!fails(v)) break; if (skew(v) >= 0) { top <- max(v); nxt <- "
         "max(v[v < top]); v[v == top] <- nxt } else { low <- min(v); nxt <- min(v[v > low]); v[v "
         "== low] <- nxt } }\n"
         "  if (fails(v)) v <- log(v - min(v) + 0.01 * (max(v) - min(v)))\n"
         "  n[, j] <- if (max(v) > min(v)) (v - min(v)) / (max(v) - min(v)) else 0.5\n"
         "}\n"
         "wmean <- function(M, w) apply(M, 1, function(r) { ok <- !is.na(r) & w != 0; sum(w[ok] * "
         "r[ok]) / sum(w[ok]) })\n"
         "P <- sapply(sort(unique(meta$pillar)), function(p) { cols <- which(meta$pillar == p); "
         "wmean(n[, cols, drop = FALSE], meta$weight[cols]) })\n"
         "idx <- wmean(P, pw)\n"
         "write.table(format(cbind(P, idx, rank(-idx, ties.method = 'min')), digits = 17), quote = "
         "FALSE, row.names = FALSE, col.names = FALSE)\n";
  FILE* pipe = ::popen(
      (std::string(rscript) + " --vanilla " + (dir / "composite.R").string() + " 2>&1").c_str(),
      "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe)) out += buf;
  ASSERT_EQ(::pclose(pipe), 0) << out;
  std::filesystem::remove_all(dir);
  std::istringstream in(out);
  for (size_t r = 0; r < raw.rows; ++r) {
    for (size_t p = 0; p < c->pillars.cols; ++p) {
      double v = 0;
      ASSERT_TRUE(in >> v) << out;
      EXPECT_NEAR(c->pillars.at(r, p), v, 1e-9) << "unit " << r << " pillar " << m.pillars[p];
    }
    double idx = 0, rank = 0;
    ASSERT_TRUE(in >> idx >> rank) << out;
    EXPECT_NEAR(c->index[r], idx, 1e-9) << r;
    EXPECT_EQ(c->rank[r], static_cast<int>(rank)) << r;
  }
}

// The audit of the default method on 2022 (56 clusters, 44 indicators, constant ones among them)
// against psych and cor() on the same normalised table: α, eigenvalues, loadings of the retained
// components, effective weights, to 1e-8. R drops the constant columns itself.
TEST_F(EvaluateFrance, AuditOfTheDefaultMethodAgreesWithPsych) {
  if (!std::filesystem::exists(POLES_RSCRIPT))
    GTEST_FAIL() << "Rscript is needed (scripts/install-deps installs r-base-core and "
                    "r-cran-psych); CMake found '"
                 << POLES_RSCRIPT << "'";
  const MethodFile m = default_method();
  auto ya = audit_year(*snap_, m, 2022);
  ASSERT_TRUE(ya.has_value()) << ya.error().to_string();
  const Audit& a = ya->audit;
  // The same composite, for its normalised table.
  const auto cat = catalogue(*snap_, 2012, 2022);
  std::vector<int32_t> rows;
  auto c = compute(indicator_table(cat, m, 2022, rows), m.method);
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  ASSERT_EQ(rows, ya->rows);
  testing::TempDir dir;
  std::ostringstream x, meta;
  x.precision(17);
  for (size_t r = 0; r < c->normalised.rows; ++r) {
    for (size_t k = 0; k < c->normalised.cols; ++k) x << (k ? "," : "") << c->normalised.at(r, k);
    x << "," << c->index[r] << "\n";
  }
  for (size_t k = 0; k < m.indicators.size(); ++k) meta << m.method.pillar[k] << "\n";
  testing::write_file(dir / "x.csv", x.str());
  testing::write_file(dir / "pillar.txt", meta.str());
  const std::string code =
      "suppressMessages(library(psych))\n"
      "d <- as.matrix(read.csv('" +
      (dir / "x.csv").string() +
      "', header = FALSE))\n"
      "x <- d[, -ncol(d)]; idx <- d[, ncol(d)]\n"
      "pil <- scan('" +
      (dir / "pillar.txt").string() +
      "', quiet = TRUE)\n"
      "out <- c()\n"
      "put <- function(v) out <<- c(out, v)\n"
      "for (p in sort(unique(pil))) {\n"
      "  y <- x[, pil == p, drop = FALSE]\n"
      "  y <- y[, apply(y, 2, function(v) length(unique(v)) > 1), drop = FALSE]\n"
      "  put(ncol(y))\n"
      "  if (ncol(y) < 2) next\n"
      "  a <- suppressWarnings(psych::alpha(y, check.keys = FALSE))\n"
      "  put(c(a$total$raw_alpha, a$total$std.alpha))\n"
      "  e <- eigen(cor(y))$values\n"
      "  k <- max(1, sum(e >= 1))\n"
      "  L <- unclass(suppressWarnings(psych::principal(y, nfactors = k, rotate = "
      "'none'))$loadings)\n"
      "  put(c(e, k))\n"
      "  for (j in 1:k) { l <- L[, j]; if (sum(l) < 0) l <- -l; put(l) }\n"
      "}\n"
      "r <- suppressWarnings(cor(x, idx))[, 1]; r[is.na(r)] <- 0; put(r^2 / sum(r^2))\n"
      "C <- suppressWarnings(cor(x, use = 'pairwise.complete.obs')); C[is.na(C)] <- -2\n"
      "put(as.vector(C))\n"
      "writeLines(format(out, digits = 17), '" +
      (dir / "out.txt").string() + "')\n";
  const auto run = testing::run_r(POLES_RSCRIPT, dir.path(), "audit.R", code);
  ASSERT_EQ(run.status, 0) << run.output;
  std::istringstream in(testing::read_file(dir / "out.txt"));
  auto next = [&] {
    double v = std::numeric_limits<double>::quiet_NaN();
    EXPECT_TRUE(in >> v);
    return v;
  };
  size_t checked = 0;
  for (const auto& pa : a.pillars) {
    ASSERT_EQ(pa.indicators.size(), static_cast<size_t>(next())) << m.pillars[pa.pillar];
    if (pa.indicators.size() < 2) continue;
    EXPECT_NEAR(pa.alpha, next(), 1e-8) << m.pillars[pa.pillar];
    EXPECT_NEAR(pa.std_alpha, next(), 1e-8) << m.pillars[pa.pillar];
    for (double e : pa.eigenvalues) EXPECT_NEAR(e, next(), 1e-8) << m.pillars[pa.pillar];
    ASSERT_EQ(pa.retained, static_cast<size_t>(next())) << m.pillars[pa.pillar];
    for (const auto& l : pa.loadings)
      for (double v : l) EXPECT_NEAR(v, next(), 1e-8) << m.pillars[pa.pillar];
    ++checked;
  }
  EXPECT_EQ(checked, m.pillars.size());
  for (size_t i = 0; i < a.effective_weight.size(); ++i)
    EXPECT_NEAR(a.effective_weight[i], next(), 1e-8) << m.indicators[i];
  // The correlations equal R's cor(), and the redundant pairs are exactly the pairs of a pillar
  // R correlates above 0.9 (the method's threshold, COINr's default).
  const size_t n = m.indicators.size();
  std::vector<double> r_cor(n * n);
  for (double& v : r_cor) v = next();
  auto redundant_flag = [&](size_t i, size_t j) {
    return std::any_of(a.flags.begin(), a.flags.end(), [&](const AuditFlag& f) {
      return f.kind == "redundant" && f.a == static_cast<int>(i) && f.b == static_cast<int>(j);
    });
  };
  int redundant = 0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      const double r = r_cor[i + j * n];
      if (r < -1.5) continue;  // a constant indicator: no correlation
      EXPECT_NEAR(a.correlation.at(i, j), r, 1e-8) << m.indicators[i] << " " << m.indicators[j];
      if (m.method.pillar[i] != m.method.pillar[j]) continue;
      EXPECT_EQ(redundant_flag(i, j), r > 0.9) << m.indicators[i] << " " << m.indicators[j];
      redundant += r > 0.9;
    }
  }
  std::cout << redundant << " redundant pair(s) in the default method on the france demo\n";
  // The default method's known weakness on the demo is found: a pillar below α 0.7; and exactly
  // the indicators constant across the clusters that year (the European ones may be, as the demo
  // draws its projects) are flagged as constant.
  auto flagged = [&](const std::string& kind, const std::string& id) {
    return std::any_of(a.flags.begin(), a.flags.end(), [&](const AuditFlag& f) {
      return f.kind == kind && (id.empty() || (f.a >= 0 && m.indicators[f.a] == id));
    });
  };
  EXPECT_TRUE(flagged("low_alpha", ""));
  for (size_t k = 0; k < c->normalised.cols; ++k) {
    std::set<double> values;
    for (size_t r = 0; r < c->normalised.rows; ++r) {
      const double v = c->normalised.at(r, k);
      if (!std::isnan(v)) values.insert(v);
    }
    EXPECT_EQ(flagged("constant", m.indicators[k]), values.size() <= 1) << m.indicators[k];
  }
}

// The quota method end to end: the rating classes in the method's proportions, whatever the
// intervals say.
TEST_F(EvaluateFrance, YearEvaluationEndToEnd) {
  MethodFile m = shipped_method("quota");
  m.draws = 2000;
  m.sobol_n = 200;
  auto ev = evaluate_year(*snap_, m, 2022);
  ASSERT_TRUE(ev.has_value()) << ev.error().to_string();
  const size_t n = ev->clusters.size();
  EXPECT_EQ(n, 56u) << "the demo's phase IV clusters";
  std::map<std::string, int> ratings;
  std::map<int, int> levels;
  for (size_t i = 0; i < n; ++i) {
    const auto& c = ev->clusters[i];
    EXPECT_EQ(c.rank, static_cast<int>(i) + 1);
    EXPECT_LE(c.interval.p05, c.interval.median);
    EXPECT_LE(c.interval.median, c.interval.p95);
    ++ratings[c.rating];
    ++levels[c.action.level];
    EXPECT_FALSE(c.targets.empty()) << "every phase IV cluster has a contract with 2022 targets";
  }
  // Classes in the method's proportions of 56: ceil(0.2817 × 56) = 16, then up to ceil(0.7746 × 56)
  // = 44.
  EXPECT_EQ(ratings["very_performing"], 16);
  EXPECT_EQ(ratings["performing"], 28);
  EXPECT_EQ(ratings["less_performing"], 12);
  EXPECT_GT(levels[0], 0);
  EXPECT_GT(levels[2] + levels[3] + levels[4], 0) << "the ladder proposes some corrective action";
  double first = 0;
  for (double s : ev->sensitivity.first) first += s;
  EXPECT_LE(first, 1.1);
  // Peers by declared scale: their counts sum to the clusters, their means are the members'.
  ASSERT_EQ(ev->peers.size(), 2u);
  EXPECT_EQ(ev->peers[0].group, "national");
  EXPECT_EQ(ev->peers[1].group, "regional");
  int members = 0;
  for (const auto& g : ev->peers) {
    members += g.clusters;
    ASSERT_EQ(g.pillars.size(), m.pillars.size());
    for (size_t p = 0; p < g.pillars.size(); ++p) {
      double sum = 0;
      for (const auto& c : ev->clusters) sum += c.peer_group == g.group ? c.pillars[p] : 0;
      EXPECT_NEAR(g.pillars[p], sum / g.clusters, 1e-12) << g.group << " " << m.pillars[p];
    }
  }
  EXPECT_EQ(members, static_cast<int>(n));
}

// The default method against the quota method on 2022 (56 clusters): the default rates a cluster
// lowest only when its whole rank interval lies in the lowest group (ranks 45–56), proposes an
// action only on a missed contract year or a failed absolute criterion, a review (level 2) only
// on persistence or on the lowest group beside a failed criterion; the quota method puts every
// cluster ranked 45th or lower under review. Expectations from the methods' texts, by hand.
TEST_F(EvaluateFrance, DefaultMethodFlagsOnlyWhatItsCriteriaAndIntervalsSupport) {
  MethodFile def = default_method(), quota = shipped_method("quota");
  for (auto* m : {&def, &quota}) {
    m->draws = 2000;
    m->sobol_n = 0;
  }
  auto a = evaluate_year(*snap_, def, 2022, RunOptions{.sensitivity = false});
  auto b = evaluate_year(*snap_, quota, 2022, RunOptions{.sensitivity = false});
  ASSERT_TRUE(a.has_value()) << a.error().to_string();
  ASSERT_TRUE(b.has_value()) << b.error().to_string();
  ASSERT_EQ(a->clusters.size(), 56u);
  const int funding = [&] {
    for (size_t k = 0; k < def.indicators.size(); ++k)
      if (def.indicators[k] == "private_funding_share") return static_cast<int>(k);
    return -1;
  }();
  ASSERT_GE(funding, 0);
  int reviewed = 0, not_distinguishable = 0;
  for (const auto& c : a->clusters) {
    ASSERT_EQ(c.criteria.size(), 5u);
    // The private-funding criterion read against the raw indicator: at least 40 %.
    const double share = c.raw[static_cast<size_t>(funding)];
    EXPECT_EQ(c.criteria[0].met, std::isnan(share) ? -1 : share >= 0.4 ? 1 : 0) << c.cluster;
    if (c.rating == "less_performing") {
      EXPECT_GE(c.interval.p05, 45) << c.cluster;
    }
    if (c.rating == "very_performing") {
      EXPECT_LE(c.interval.p95, 16) << c.cluster;
    }
    not_distinguishable += c.rating == kNotDistinguishable;
    const int failed = c.criteria_failing.empty() ? 0 : c.criteria_failing[0];
    const bool persistent =
        c.criteria_failing.size() >= 2 && c.criteria_failing[1] >= 1 && failed >= 1;
    if (c.action.level >= 1) {
      EXPECT_TRUE(c.consecutive_misses >= 1 || failed >= 1) << c.cluster;
    }
    if (c.action.level >= 2) {
      ++reviewed;
      EXPECT_TRUE(c.consecutive_misses >= 2 || persistent ||
                  (c.rating == "less_performing" && failed >= 1))
          << c.cluster;
    }
    if (c.consecutive_misses == 0 && failed == 0) {
      EXPECT_EQ(c.action.level, 0) << c.cluster;
    }
    EXPECT_EQ(c.action.reasons.size(), c.action.reasons_fr.size());
  }
  EXPECT_GT(not_distinguishable, 0) << "some intervals straddle two groups";
  int quota_reviewed = 0;
  for (const auto& c : b->clusters) {
    if (c.rank >= 45) {
      EXPECT_GE(c.action.level, 2) << c.cluster << " (the quota)";
    }
    quota_reviewed += c.action.level >= 2;
  }
  EXPECT_GT(reviewed, 0);
  EXPECT_LT(reviewed, quota_reviewed);
}

// Criteria are unknown where the store records nothing: the demo's services start in 2015, so
// in 2013 the services and SME-reach criteria are unknown for every cluster (they read 0), and
// no cluster is proposed an action for failing them.
TEST_F(EvaluateFrance, CriteriaAreUnknownWhereNothingIsRecorded) {
  MethodFile def = default_method();
  def.draws = 200;
  def.sobol_n = 0;
  auto ev = evaluate_year(*snap_, def, 2013, RunOptions{.sensitivity = false});
  ASSERT_TRUE(ev.has_value()) << ev.error().to_string();
  ASSERT_EQ(def.criteria[1].id, "sme_reach");
  ASSERT_EQ(def.criteria[2].id, "services");
  for (const auto& c : ev->clusters) {
    ASSERT_EQ(c.criteria.size(), 5u);
    EXPECT_EQ(c.criteria[1].met, -1) << c.cluster;
    EXPECT_EQ(c.criteria[2].met, -1) << c.cluster;
    for (const auto& r : c.action.reasons) EXPECT_EQ(r.find("service"), std::string::npos) << r;
  }
}

// A French cluster report has no English word outside proper names: every word of its text
// (charts included) is in Debian's French word list (wfrench) or in a short list of acronyms and
// names, once the cluster's name, the evaluators' logins and their justifications (the
// evaluators' own text) are left out. The cluster is one under review with failed criteria.
TEST_F(EvaluateFrance, AFrenchClusterReportHasNoEnglishWord) {
  const std::filesystem::path dict = "/usr/share/dict/french";
  if (!std::filesystem::exists(dict))
    GTEST_FAIL() << dict << " is needed (scripts/install-deps installs wfrench)";
  std::set<std::string> french;
  {
    std::ifstream in(dict);
    for (std::string w; std::getline(in, w);) french.insert(w);
  }
  app::Params p{{"year", "2022"}, {"draws", "300"}, {"sobol_n", "20"}};
  // With the store: the label phase (and a decision, had one been recorded) too.
  auto store = store::Store::open(std::getenv("POLES_DEMO_FRANCE_DB"));
  ASSERT_TRUE(store.has_value());
  auto doc = report::cluster_report(*snap_, "demo-mobilite-44-08", p, "fr", false, store->get());
  ASSERT_TRUE(doc.has_value()) << doc.error().to_string();
  std::string text = doc->second;
  ASSERT_NE(text.find("id=\"phase\""), std::string::npos) << "the phase is in the report";
  ASSERT_NE(text.find("critère"), std::string::npos) << "a cluster with failed criteria";
  // Out: the style sheet, the evaluators' justifications (their text), tags, entities.
  const auto erase_between = [&](const std::string& from, const std::string& to) {
    for (size_t a = text.find(from); a != std::string::npos; a = text.find(from, a)) {
      const size_t b = text.find(to, a);
      text.replace(a, b == std::string::npos ? std::string::npos : b + to.size() - a, " ");
    }
  };
  erase_between("<style>", "</style>");
  erase_between("<td class=\"why\">", "</td>");
  erase_between("<", ">");
  for (const std::string proper : {"Pôle Mobilité et automobile Grand Est 8 (synthétique)", "&amp;",
                                   "&lt;", "&gt;", "&quot;", "&#39;"})
    for (size_t a = text.find(proper); a != std::string::npos; a = text.find(proper, a))
      text.replace(a, proper.size(), " ");
  // Acronyms and names, and French words Debian's list lacks ("interrégionaux", in the
  // indicators' names the phase lists: the Larousse has "interrégional").
  const std::set<std::string> allowed = {
      "pôles", "esca", "trl", "pme", "etp", "coinr",          "monte",
      "carlo", "min",  "max", "st",  "rd",  "interrégionaux", "interrégional"};
  std::vector<std::string> english;
  std::string w;
  const auto flush = [&] {
    std::string lower;
    for (size_t i = 0; i < w.size(); ++i)
      lower += (w[i] >= 'A' && w[i] <= 'Z') ? static_cast<char>(w[i] - 'A' + 'a') : w[i];
    // A word that starts a sentence: its lower-case form (É, À and Œ as well).
    for (const auto& [up, low] : {std::pair{"É", "é"}, {"À", "à"}, {"Œ", "œ"}, {"Ê", "ê"}})
      if (lower.rfind(up, 0) == 0) lower = low + lower.substr(std::string(up).size());
    if (lower.size() > 1 && !french.contains(lower) && !french.contains(w) &&
        !allowed.contains(lower))
      english.push_back(w);
    w.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const auto ch = static_cast<unsigned char>(text[i]);
    // Letters: ASCII and the UTF-8 Latin letters of French (lead bytes C3 and C5: é, à, œ…);
    // anything else (digits, punctuation, dashes, ✓) ends a word.
    const bool letter =
        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == 0xC3 || ch == 0xC5;
    const bool continuation = ch >= 0x80 && ch < 0xC0 && !w.empty();
    if (letter || continuation) {
      w += text[i];
    } else if (!w.empty()) {
      flush();
    }
  }
  if (!w.empty()) flush();
  EXPECT_TRUE(english.empty()) << ::testing::PrintToString(english);
}

}  // namespace
}  // namespace poles::evaluate
