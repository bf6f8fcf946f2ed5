// The impact engine at the issue's scale, on synthetic data generated here (seeded):
//   ols N G SEED [DIR]   OLS with G fixed effects on N rows (fixest's "simple" design: levels n/20,
//                        sqrt(n), n^0.33); writes DIR/ols.bin for the R peers when DIR is given
//   difficult N SEED     worker–firm–year panel with sorted firm assignment, 3 fixed effects
//   dta FILE             a difficult panel from the fixest benchmark (true coefficients 3 and 5)
//   ppml N SEED [DIR]    Poisson with 3 fixed effects on N rows (the same design), errors clustered
//                        by the first; writes DIR/ppml.bin (as ols.bin) for R's glm when DIR is
//                        given
//   did FIRMS YEARS SEED Callaway & Sant'Anna on a staggered panel
//   match N SEED DIR SUB nearest-neighbour matching of N firms; DIR/match.csv holds SUB of them
// Prints one JSON object per run.
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "impact/did.h"
#include "impact/hdfe.h"
#include "impact/matching.h"
#include "impact/ppml.h"
#include "impact/stata.h"

using namespace poles::impact;

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The process's peak resident memory so far, in MB.
double peak_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// Runs feols and times it; prints the error and gives nothing on failure.
std::optional<std::pair<OlsResult, double>> timed_feols(OlsInput in) {
  const double t0 = now();
  auto r = feols(std::move(in));
  const double t = now() - t0;
  if (!r) {
    std::cerr << r.error().to_string() << "\n";
    return std::nullopt;
  }
  return std::make_pair(std::move(*r), t);
}

FixedEffect random_fe(const char* name, size_t n, int32_t levels, std::mt19937_64& g) {
  FixedEffect f{name, std::vector<int32_t>(n), levels};
  std::uniform_int_distribution<int32_t> u(0, levels - 1);
  for (auto& c : f.code) c = u(g);
  return f;
}

// Binary columns for R's readBin: n, the number of fixed effects, then y, x (double) and the
// fixed effects (int32, 1-based).
void write_columns(const std::string& path, const std::vector<double>& y,
                   const std::vector<double>& x, const std::vector<FixedEffect>& fes) {
  std::ofstream f(path, std::ios::binary);
  const double header[2] = {static_cast<double>(y.size()), static_cast<double>(fes.size())};
  f.write(reinterpret_cast<const char*>(header), sizeof header);
  f.write(reinterpret_cast<const char*>(y.data()),
          static_cast<std::streamsize>(y.size() * sizeof(double)));
  f.write(reinterpret_cast<const char*>(x.data()),
          static_cast<std::streamsize>(x.size() * sizeof(double)));
  for (const auto& fe : fes) {
    std::vector<int32_t> one(fe.code);
    for (auto& c : one) ++c;
    f.write(reinterpret_cast<const char*>(one.data()),
            static_cast<std::streamsize>(one.size() * sizeof(int32_t)));
  }
}

int ols(size_t n, int G, uint64_t seed, const std::string& dir) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> N;
  const int32_t sizes[3] = {static_cast<int32_t>(n / 20),
                            static_cast<int32_t>(std::sqrt(static_cast<double>(n))),
                            static_cast<int32_t>(std::pow(static_cast<double>(n), 0.33))};
  OlsInput in;
  for (int q = 0; q < G; ++q)
    in.fe.push_back(random_fe(fmt::format("fe{}", q + 1).c_str(), n, sizes[q], g));
  std::vector<std::vector<double>> effect(static_cast<size_t>(G));
  for (int q = 0; q < G; ++q) {
    effect[static_cast<size_t>(q)].resize(static_cast<size_t>(sizes[q]));
    for (auto& e : effect[static_cast<size_t>(q)]) e = N(g);
  }
  in.x_names = {"x"};
  in.x.assign(1, std::vector<double>(n));
  in.y.resize(n);
  for (size_t i = 0; i < n; ++i) {
    double fe = 0;
    for (int q = 0; q < G; ++q)
      fe += effect[static_cast<size_t>(q)]
                  [static_cast<size_t>(in.fe[static_cast<size_t>(q)].code[i])];
    in.x[0][i] = N(g) + 0.3 * fe;
    in.y[i] = 1.0 * in.x[0][i] + fe + N(g);
  }
  if (!dir.empty()) write_columns(dir + "/ols.bin", in.y, in.x[0], in.fe);
  in.vcov.kind = VcovKind::kCluster;
  in.vcov.clusters = {in.fe[0]};
  auto run = timed_feols(std::move(in));
  if (!run) return 1;
  const auto& [res, t] = *run;
  const OlsResult* r = &res;
  std::cout
      << fmt::format(
             R"({{"n": {}, "G": {}, "seconds": {:.4f}, "coef": {:.10f}, "se": {:.10f}, "iterations": {}, "cg": {}}})",
             n, G, t, r->coef(0), r->se(0), r->demeaning.iterations,
             r->demeaning.used_cg ? "true" : "false")
      << "\n";
  return 0;
}

// Counts: y ~ Poisson(exp(0.5 x + fe/2)) with the three fixed effects of ols()'s design.
int ppml(size_t n, uint64_t seed, const std::string& dir) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> N;
  const int32_t sizes[3] = {static_cast<int32_t>(n / 20),
                            static_cast<int32_t>(std::sqrt(static_cast<double>(n))),
                            static_cast<int32_t>(std::pow(static_cast<double>(n), 0.33))};
  PoissonInput in;
  std::vector<std::vector<double>> effect(3);
  for (int q = 0; q < 3; ++q) {
    in.fe.push_back(random_fe(fmt::format("fe{}", q + 1).c_str(), n, sizes[q], g));
    effect[static_cast<size_t>(q)].resize(static_cast<size_t>(sizes[q]));
    for (auto& e : effect[static_cast<size_t>(q)]) e = 0.5 * N(g);
  }
  in.x_names = {"x"};
  in.x.assign(1, std::vector<double>(n));
  in.y.resize(n);
  for (size_t i = 0; i < n; ++i) {
    double fe = 0;
    for (size_t q = 0; q < 3; ++q) fe += effect[q][static_cast<size_t>(in.fe[q].code[i])];
    in.x[0][i] = N(g) + 0.3 * fe;
    in.y[i] =
        static_cast<double>(std::poisson_distribution<int>(std::exp(0.5 * in.x[0][i] + fe))(g));
  }
  if (!dir.empty()) write_columns(dir + "/ppml.bin", in.y, in.x[0], in.fe);
  in.vcov.kind = VcovKind::kCluster;
  in.vcov.clusters = {in.fe[0]};
  const double t0 = now();
  auto r = fepois(std::move(in));
  const double t = now() - t0;
  if (!r) {
    std::cerr << r.error().to_string() << "\n";
    return 1;
  }
  std::cout
      << fmt::format(
             R"({{"n": {}, "used": {}, "seconds": {:.4f}, "coef": {:.10f}, "se": {:.10f}, "iterations": {}, "perfect_fit": {}, "peak_mb": {:.0f}}})",
             n, r->n, t, r->coef(0), r->se(0), r->iterations, r->perfect_fit, peak_mb())
      << "\n";
  return 0;
}

// Worker–firm–year: n/20 workers, n/160 firms, n^0.3 years; a worker moves among neighbouring
// firms.
int difficult(size_t n, uint64_t seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> N;
  const auto workers = static_cast<int32_t>(n / 20), firms = static_cast<int32_t>(n / 160),
             years = static_cast<int32_t>(std::pow(static_cast<double>(n), 0.3));
  std::uniform_int_distribution<int32_t> uw(0, workers - 1), uy(0, years - 1);
  OlsInput in;
  in.fe = {FixedEffect{"worker", std::vector<int32_t>(n), workers},
           FixedEffect{"firm", std::vector<int32_t>(n), firms},
           FixedEffect{"year", std::vector<int32_t>(n), years}};
  std::vector<double> aw(static_cast<size_t>(workers)), af(static_cast<size_t>(firms)),
      ay(static_cast<size_t>(years));
  for (auto& v : aw) v = N(g);
  for (auto& v : af) v = N(g);
  for (auto& v : ay) v = N(g);
  in.x_names = {"x1", "x2"};
  in.x.assign(2, std::vector<double>(n));
  in.y.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const int32_t w = uw(g);
    const auto base = static_cast<double>(w) * firms / workers;
    const auto f = static_cast<int32_t>(
        std::clamp(std::lround(base + 3 * N(g)), 0L, static_cast<long>(firms - 1)));
    const int32_t y = uy(g);
    in.fe[0].code[i] = w;
    in.fe[1].code[i] = f;
    in.fe[2].code[i] = y;
    const double fe =
        aw[static_cast<size_t>(w)] + af[static_cast<size_t>(f)] + ay[static_cast<size_t>(y)];
    in.x[0][i] = N(g) + fe;
    in.x[1][i] = N(g) + 0.5 * fe;
    in.y[i] = 3 * in.x[0][i] + 5 * in.x[1][i] + fe + N(g);
  }
  in.vcov.kind = VcovKind::kCluster;
  in.vcov.clusters = {in.fe[0]};
  auto run = timed_feols(std::move(in));
  if (!run) return 1;
  const auto& [res, t] = *run;
  const OlsResult* r = &res;
  std::cout
      << fmt::format(
             R"({{"n": {}, "seconds": {:.4f}, "x1": {:.6f}, "x2": {:.6f}, "iterations": {}, "cg": {}}})",
             n, t, r->coef(0), r->coef(1), r->demeaning.iterations,
             r->demeaning.used_cg ? "true" : "false")
      << "\n";
  return 0;
}

int dta(const std::string& path) {
  auto f = read_dta(path);
  if (!f) {
    std::cerr << f.error().to_string() << "\n";
    return 1;
  }
  OlsInput in;
  in.y = *f->numeric("y");
  in.x_names = {"x1", "x2"};
  in.x = {*f->numeric("x1"), *f->numeric("x2")};
  for (const char* name : {"id_indiv", "id_firm", "id_year"}) {
    auto c = f->codes(name);
    in.fe.push_back(FixedEffect{name, c->code, c->levels()});
  }
  auto run = timed_feols(std::move(in));
  if (!run) return 1;
  const auto& [res, t] = *run;
  const OlsResult* r = &res;
  std::cout
      << fmt::format(
             R"({{"n": {}, "seconds": {:.4f}, "x1": {:.6f}, "x2": {:.6f}, "iterations": {}}})",
             r->n, t, r->coef(0), r->coef(1), r->demeaning.iterations)
      << "\n";
  return 0;
}

int did(size_t firms, int years, uint64_t seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> N;
  std::uniform_real_distribution<double> U;
  const int first = 2001;
  DidData d;
  d.unit.reserve(firms * static_cast<size_t>(years));
  d.time.reserve(firms * static_cast<size_t>(years));
  d.group.reserve(firms * static_cast<size_t>(years));
  d.y.reserve(firms * static_cast<size_t>(years));
  for (size_t i = 0; i < firms; ++i) {
    const int gi = U(g) < 0.3 ? 0 : first + 3 + static_cast<int>(U(g) * (years - 3));
    const double a = N(g);
    for (int t = 0; t < years; ++t) {
      const int year = first + t;
      const double effect = gi != 0 && year >= gi ? 0.05 * (1 + std::min(year - gi, 4)) : 0;
      d.unit.push_back(static_cast<int64_t>(i));
      d.time.push_back(year);
      d.group.push_back(gi);
      d.y.push_back(a + 0.02 * t + effect + 0.1 * N(g));
    }
  }
  // The panel handed to the estimator (the caller's memory, counted in the peak).
  const double input_mb =
      static_cast<double>(d.y.size() * (sizeof(int64_t) + 2 * sizeof(int) + sizeof(double))) /
      1048576.0;
  const double t0 = now();
  auto r = att_gt(
      d,
      DidOptions{ControlGroup::kNeverTreated, BasePeriod::kVarying, DidMethod::kRegression, 0, {}});
  if (!r) {
    std::cerr << r.error().to_string() << "\n";
    return 1;
  }
  const double t1 = now();
  // Each aggregation's influence is dropped after use (as did_inference does), but the dynamic
  // one's, drawn by the bootstrap below.
  const double simple = aggregate(*r, Aggregation::kSimple)->att;
  auto dyn = aggregate(*r, Aggregation::kDynamic);
  const double grp = aggregate(*r, Aggregation::kGroup)->att;
  const double cal = aggregate(*r, Aggregation::kCalendar)->att;
  const double t2 = now();
  const auto boot = multiplier_bootstrap(dyn->term_influence, 999, seed);
  const double t3 = now();
  std::cout
      << fmt::format(
             R"({{"firms": {}, "years": {}, "rows": {}, "cells": {}, "att_gt_s": {:.3f}, "aggregations_s": {:.3f}, "bootstrap_s": {:.3f}, "bootstrap_terms": {}, "simple": {:.5f}, "dynamic": {:.5f}, "group": {:.5f}, "calendar": {:.5f}, "input_mb": {:.0f}, "peak_mb": {:.0f}}})",
             firms, years, d.y.size(), r->cells.size(), t1 - t0, t2 - t1, t3 - t2, boot.se.size(),
             simple, dyn->att, grp, cal, input_mb, peak_mb())
      << "\n";
  return 0;
}

int match(size_t n, uint64_t seed, const std::string& dir, size_t sub) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> N;
  std::uniform_real_distribution<double> U;
  const int p = 5;
  auto draw = [&](size_t rows, Eigen::MatrixXd& X, std::vector<int>& treat) {
    X.resize(static_cast<Eigen::Index>(rows), p + 1);
    treat.resize(rows);
    for (size_t i = 0; i < rows; ++i) {
      X(static_cast<Eigen::Index>(i), 0) = 1;
      double eta = -1.5;
      for (int j = 1; j <= p; ++j) {
        X(static_cast<Eigen::Index>(i), j) = N(g);
        eta += 0.3 * X(static_cast<Eigen::Index>(i), j);
      }
      treat[i] = U(g) < 1 / (1 + std::exp(-eta));
    }
  };
  Eigen::MatrixXd Xs, X;
  std::vector<int> ts, t;
  draw(sub, Xs, ts);
  {
    std::ofstream f(dir + "/match.csv");
    f.precision(17);
    f << "treat,x1,x2,x3,x4,x5\n";
    for (size_t i = 0; i < sub; ++i) {
      f << ts[i];
      for (int j = 1; j <= p; ++j) f << "," << Xs(static_cast<Eigen::Index>(i), j);
      f << "\n";
    }
  }
  draw(n, X, t);
  const double t0 = now();
  auto ms = nearest_neighbour(Xs, ts);
  const double t1 = now();
  auto m = nearest_neighbour(X, t);
  const double t2 = now();
  if (!ms || !m) return 1;
  std::cout
      << fmt::format(
             R"({{"n": {}, "sub": {}, "sub_s": {:.4f}, "full_s": {:.3f}, "treated": {}, "matched": {}, "sub_matched": {}}})",
             n, sub, t1 - t0, t2 - t1, m->treated, m->treated_matched, ms->treated_matched)
      << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: impact_bench ols|difficult|dta|ppml|did|match ...\n";
    return 2;
  }
  const std::string mode = argv[1];
  auto arg = [&](int i) { return std::string(i < argc ? argv[i] : ""); };
  if (mode == "ols")
    return ols(std::stoull(arg(2)), std::stoi(arg(3)), std::stoull(arg(4)), arg(5));
  if (mode == "difficult") return difficult(std::stoull(arg(2)), std::stoull(arg(3)));
  if (mode == "dta") return dta(arg(2));
  if (mode == "ppml") return ppml(std::stoull(arg(2)), std::stoull(arg(3)), arg(4));
  if (mode == "did") return did(std::stoull(arg(2)), std::stoi(arg(3)), std::stoull(arg(4)));
  if (mode == "match")
    return match(std::stoull(arg(2)), std::stoull(arg(3)), arg(4), std::stoull(arg(5)));
  std::cerr << "unknown mode " << mode << "\n";
  return 2;
}
