#include "impact/event_study.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <utility>

namespace poles::impact {
namespace {

// The uniform band of the terms at `which` (covariance `cov`, in that order), never narrower than
// the pointwise intervals (critical value `pointwise`: Student's with few clusters).
void set_band(std::vector<EventTerm>& terms, const std::vector<size_t>& which,
              const Eigen::MatrixXd& cov, double alpha, uint64_t seed, double pointwise,
              double& critical) {
  critical = std::max(sup_t_critical(cov, alpha, seed), pointwise);
  for (auto& t : terms) t.band_low = t.band_high = t.coef;  // the reference: 0
  for (const size_t k : which) {
    auto& t = terms[k];
    t.band_low = t.coef - critical * t.se;
    t.band_high = t.coef + critical * t.se;
  }
}

// Periods and cohorts are whole numbers of a plausible size (a year, a quarter's index): beyond,
// the relative periods would overflow.
Status whole_periods(const std::vector<double>& time, const std::vector<double>& group,
                     std::string_view who) {
  constexpr double kLimit = 1e6;
  for (size_t i = 0; i < time.size(); ++i) {
    for (double v : {time[i], group[i]}) {
      if (std::isfinite(v) && (std::abs(v) > kLimit || v != std::floor(v)))
        return Status::invalid_argument(
            fmt::format("{}: row {}: period or cohort {} is not a whole number within ±1,000,000",
                        who, i + 1, v));
    }
  }
  return Status::ok();
}

}  // namespace

Result<EventStudyResult> event_study(const EventStudyInput& in) {
  const size_t n = in.y.size();
  if (in.time.size() != n || in.group.size() != n || in.unit.code.size() != n ||
      in.period.code.size() != n) {
    return Status::invalid_argument(
        "event study: outcome, unit, period, time and group need one value per row");
  }
  if (in.leads < 1 || in.lags < 0 || in.reference < -in.leads || in.reference > in.lags) {
    return Status::invalid_argument(
        "event study: the reference must lie within the leads and lags");
  }
  POLES_RETURN_IF_ERROR(whole_periods(in.time, in.group, "event study"));
  std::vector<int> es;
  for (int e = -in.leads; e <= in.lags; ++e) {
    if (e != in.reference) es.push_back(e);
  }
  OlsInput ols;
  ols.y = in.y;
  ols.fe = {in.unit, in.period};
  ols.weights = in.weights;
  ols.demean = in.demean;
  ols.x.assign(es.size(), std::vector<double>(n, 0.0));
  std::vector<int> slot_of(n, -1);
  for (size_t i = 0; i < n; ++i) {
    if (!(in.group[i] > 0) || !std::isfinite(in.time[i])) continue;
    const int e = std::clamp(static_cast<int>(in.time[i] - in.group[i]), -in.leads, in.lags);
    slot_of[i] = e + in.leads;
    if (e == in.reference) continue;
    const auto j = static_cast<size_t>(std::find(es.begin(), es.end(), e) - es.begin());
    ols.x[j][i] = 1;
  }
  for (int e : es) ols.x_names.push_back(fmt::format("e{}", e));
  ols.vcov = in.vcov;
  ols.vcov.kind = VcovKind::kCluster;
  ols.vcov.clusters = in.cluster.empty() ? std::vector<FixedEffect>{in.unit} : in.cluster;
  POLES_ASSIGN_OR_RETURN(auto fit, feols(std::move(ols)));
  // Treated rows and firms at each event time, among the rows the fit used (a missing outcome
  // or a singleton is not estimated on).
  std::vector<int64_t> rows(static_cast<size_t>(in.leads + in.lags + 1), 0);
  std::vector<std::set<int32_t>> units(rows.size());
  for (size_t i = 0; i < n; ++i) {
    if (slot_of[i] < 0 || !fit.used[i]) continue;
    ++rows[static_cast<size_t>(slot_of[i])];
    units[static_cast<size_t>(slot_of[i])].insert(in.unit.code[i]);
  }
  EventStudyResult out;
  const boost::math::students_t t(std::max(fit.df_t, 1.0));
  const double q = boost::math::quantile(boost::math::complement(t, in.alpha / 2));
  std::vector<int> leads;
  for (int e = -in.leads; e <= in.lags; ++e) {
    EventTerm term;
    term.e = e;
    const int slot = e + in.leads;
    term.rows = rows[static_cast<size_t>(slot)];
    term.units = static_cast<int64_t>(units[static_cast<size_t>(slot)].size());
    if (e != in.reference) {
      const std::string name = fmt::format("e{}", e);
      const auto it = std::find(fit.names.begin(), fit.names.end(), name);
      if (it == fit.names.end()) {
        term.coef = term.se = NAN;  // no treated row at this event time (collinear)
      } else {
        const auto j = static_cast<Eigen::Index>(it - fit.names.begin());
        term.coef = fit.coef(j);
        term.se = fit.se(j);
        if (e < in.reference) leads.push_back(static_cast<int>(j));
      }
    }
    term.ci_low = term.coef - q * term.se;
    term.ci_high = term.coef + q * term.se;
    out.terms.push_back(term);
  }
  out.pretrend = wald_test(fit.coef, fit.vcov, leads, fit.df_t);
  // The uniform band over every estimated term.
  std::vector<Eigen::Index> at;
  std::vector<size_t> which;
  for (size_t k = 0; k < out.terms.size(); ++k) {
    const auto it =
        std::find(fit.names.begin(), fit.names.end(), fmt::format("e{}", out.terms[k].e));
    if (out.terms[k].e == in.reference || it == fit.names.end()) continue;
    at.push_back(static_cast<Eigen::Index>(it - fit.names.begin()));
    which.push_back(k);
  }
  Eigen::MatrixXd cov(static_cast<Eigen::Index>(at.size()), static_cast<Eigen::Index>(at.size()));
  for (size_t a = 0; a < at.size(); ++a)
    for (size_t b = 0; b < at.size(); ++b)
      cov(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = fit.vcov(at[a], at[b]);
  set_band(out.terms, which, cov, in.alpha, in.seed, q, out.uniform_critical_value);
  out.fit = std::move(fit);
  return out;
}

}  // namespace poles::impact

namespace poles::impact {

Result<SunAbrahamResult> sun_abraham(const SunAbrahamInput& in) {
  const size_t n = in.y.size();
  if (in.time.size() != n || in.group.size() != n || in.unit.code.size() != n ||
      in.period.code.size() != n) {
    return Status::invalid_argument(
        "Sun & Abraham: outcome, unit, period, time and group need one value per row");
  }
  POLES_RETURN_IF_ERROR(whole_periods(in.time, in.group, "Sun & Abraham"));
  double first = INFINITY, last = -INFINITY;
  for (double t : in.time) {
    if (std::isfinite(t)) first = std::min(first, t), last = std::max(last, t);
  }
  if (!(first < last))
    return Status::invalid_argument("Sun & Abraham: the panel needs at least two periods");
  // A cohort outside the periods observed is never treated in them (fixest's convention); one
  // treated from the first period has no period before treatment and is dropped.
  const auto cohort_of = [&](size_t i) -> int {
    const double g = in.group[i];
    if (!std::isfinite(g) || g <= 0 || g > last) return 0;
    return g <= first ? -1 : static_cast<int>(g);
  };
  SunAbrahamResult out;
  bool never = false;
  int latest = 0;
  for (size_t i = 0; i < n; ++i) {
    const int g = cohort_of(i);
    never |= g == 0;
    latest = std::max(latest, g);
  }
  if (!never) {
    if (latest <= 0) return Status::invalid_argument("Sun & Abraham: no treated cohort");
    out.control_cohort = latest;  // the last-treated cohort controls until it is treated
  }
  OlsInput ols;
  ols.fe = {in.unit, in.period};
  for (auto& fe : ols.fe) fe.code.clear();
  ols.vcov = in.vcov;
  if (ols.vcov.kind == VcovKind::kCluster && ols.vcov.clusters.empty())
    ols.vcov.clusters = {in.unit};
  for (auto& c : ols.vcov.clusters) c.code.clear();
  ols.drop_singletons = in.drop_singletons;
  ols.demean = in.demean;
  // Rows kept, and the (cohort, relative period) of each treated-cohort row.
  std::vector<size_t> rows;
  std::vector<std::pair<int, int>> cell_of;
  std::map<std::pair<int, int>, int> column;  // (g, e) → dummy column, e ≠ reference
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(in.time[i])) continue;
    const int g = cohort_of(i);
    if (g < 0) {
      ++out.dropped_always_treated;
      continue;
    }
    if (out.control_cohort != 0 && in.time[i] >= out.control_cohort) {
      ++out.dropped_after_control;
      continue;
    }
    rows.push_back(i);
    const bool treated_cohort = g > 0 && g != out.control_cohort;
    int e = treated_cohort ? static_cast<int>(in.time[i]) - g : 0;
    if (in.leads) e = std::max(e, -*in.leads);
    if (in.lags) e = std::min(e, *in.lags);
    cell_of.emplace_back(treated_cohort ? g : 0, e);
    if (treated_cohort && e != in.reference) column.emplace(std::pair{g, e}, 0);
  }
  // A cohort never observed at the reference period has no base: its dummies would span its
  // units' effects, one dropped at random as collinear. Its rows leave the sample.
  {
    std::set<int> with_base;
    for (size_t r = 0; r < rows.size(); ++r) {
      if (cell_of[r].first > 0 && cell_of[r].second == in.reference)
        with_base.insert(cell_of[r].first);
    }
    size_t kept = 0;
    for (size_t r = 0; r < rows.size(); ++r) {
      if (cell_of[r].first > 0 && !with_base.contains(cell_of[r].first)) {
        ++out.dropped_without_reference;
        out.cohorts_without_reference.insert(cell_of[r].first);
        column.erase(cell_of[r]);
        continue;
      }
      rows[kept] = rows[r];
      cell_of[kept] = cell_of[r];
      ++kept;
    }
    rows.resize(kept);
    cell_of.resize(kept);
  }
  if ((in.leads && in.reference < -*in.leads) || (in.lags && in.reference > *in.lags))
    return Status::invalid_argument(
        "Sun & Abraham: the reference must lie within the leads and lags");
  if (column.empty())
    return Status::invalid_argument("Sun & Abraham: no treated cohort observed around treatment");
  // A dummy per cohort and relative period: bounded as formulas are (impact/formula.cpp).
  if (column.size() > 1000 || column.size() * rows.size() > 200'000'000)
    return Status::invalid_argument(fmt::format(
        "Sun & Abraham: {} cohort × relative-period dummies of {} rows (at most 1000 and 200 "
        "million values): bin the relative periods (leads, lags)",
        column.size(), rows.size()));
  int k = 0;
  for (auto& [key, j] : column) {
    j = k++;
    ols.x_names.push_back(fmt::format("g{}:e{}", key.first, key.second));
  }
  ols.x.assign(column.size(), std::vector<double>(rows.size(), 0.0));
  const auto take = [&](const std::vector<double>& v) {
    std::vector<double> o(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) o[r] = v[rows[r]];
    return o;
  };
  const auto take_codes = [&](const FixedEffect& from, FixedEffect& to) {
    to.code.resize(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) to.code[r] = from.code[rows[r]];
  };
  ols.y = take(in.y);
  if (!in.weights.empty()) ols.weights = take(in.weights);
  take_codes(in.unit, ols.fe[0]);
  take_codes(in.period, ols.fe[1]);
  const auto& clusters =
      in.vcov.clusters.empty() ? std::vector<FixedEffect>{in.unit} : in.vcov.clusters;
  if (ols.vcov.kind == VcovKind::kCluster) {
    for (size_t c = 0; c < ols.vcov.clusters.size(); ++c)
      take_codes(clusters[c], ols.vcov.clusters[c]);
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto it = column.find(cell_of[r]);
    if (cell_of[r].first > 0 && it != column.end()) ols.x[static_cast<size_t>(it->second)][r] = 1;
  }
  POLES_ASSIGN_OR_RETURN(auto fit, feols(std::move(ols)));

  // Rows of each cell in the estimation sample (the reference period's too, for its count).
  std::map<std::pair<int, int>, int64_t> cell_rows;
  std::map<std::pair<int, int>, std::set<int32_t>> cell_units;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!fit.used[r] || cell_of[r].first <= 0) continue;
    ++cell_rows[cell_of[r]];
    cell_units[cell_of[r]].insert(in.unit.code[rows[r]]);
  }
  // Each estimated cell's position among the fit's coefficients.
  std::vector<std::pair<CohortEffect, Eigen::Index>> estimated;
  for (const auto& [key, j] : column) {
    const std::string name = fmt::format("g{}:e{}", key.first, key.second);
    const auto it = std::find(fit.names.begin(), fit.names.end(), name);
    CohortEffect c{key.first, key.second,     NAN,
                   NAN,       cell_rows[key], static_cast<int64_t>(cell_units[key].size()),
                   0};
    Eigen::Index at = -1;
    if (it != fit.names.end()) {
      at = static_cast<Eigen::Index>(it - fit.names.begin());
      c.coef = fit.coef(at);
      c.se = fit.se(at);
    }
    estimated.emplace_back(c, at);
  }
  const double q = student_critical(fit.df_t, in.alpha);
  const auto k_fit = fit.coef.size();
  // The average of the cells that `keep` selects, weighted by their rows: its term, and its row
  // of weights over the fit's coefficients.
  const auto average = [&](auto keep, int e, bool cell_weights) {
    Eigen::RowVectorXd w = Eigen::RowVectorXd::Zero(k_fit);
    EventTerm t;
    t.e = e;
    for (const auto& [c, at] : estimated) {
      if (keep(c) && at >= 0) t.rows += c.rows, t.units += c.units;
    }
    if (t.rows == 0) {
      t.coef = t.se = t.ci_low = t.ci_high = NAN;
      return std::pair{t, w};
    }
    for (auto& [c, at] : estimated) {
      if (!keep(c) || at < 0) continue;
      const double share = static_cast<double>(c.rows) / static_cast<double>(t.rows);
      if (cell_weights) c.weight = share;
      w(at) = share;
    }
    t.coef = w.dot(fit.coef);
    t.se = std::sqrt(std::max(0.0, (w * fit.vcov * w.transpose())(0, 0)));
    t.ci_low = t.coef - q * t.se;
    t.ci_high = t.coef + q * t.se;
    return std::pair{t, w};
  };
  std::set<int> periods;
  for (const auto& [key, rows_in] : cell_rows) periods.insert(key.second);
  std::vector<Eigen::RowVectorXd> lead_rows;
  for (int e : periods) {
    if (e == in.reference) {
      EventTerm ref;
      ref.e = e;
      for (const auto& [key, count] : cell_rows) ref.rows += key.second == e ? count : 0;
      for (const auto& [key, set] : cell_units)
        ref.units += key.second == e ? static_cast<int64_t>(set.size()) : 0;
      out.terms.push_back(ref);
      continue;
    }
    auto [t, w] = average([e](const CohortEffect& c) { return c.e == e; }, e, true);
    if (e < 0 && t.rows > 0) lead_rows.push_back(w);
    out.terms.push_back(t);
  }
  out.att = average([](const CohortEffect& c) { return c.e >= 0; }, 0, false).first;
  if (!lead_rows.empty()) {
    Eigen::MatrixXd W(static_cast<Eigen::Index>(lead_rows.size()), k_fit);
    for (size_t r = 0; r < lead_rows.size(); ++r)
      W.row(static_cast<Eigen::Index>(r)) = lead_rows[r];
    std::vector<int> all(lead_rows.size());
    for (size_t r = 0; r < all.size(); ++r) all[r] = static_cast<int>(r);
    out.pretrend = wald_test(W * fit.coef, W * fit.vcov * W.transpose(), all, fit.df_t);
  }
  {
    // The uniform band over every estimated relative period.
    std::vector<Eigen::RowVectorXd> rows_w;
    std::vector<size_t> which;
    for (size_t j = 0; j < out.terms.size(); ++j) {
      const auto& t = out.terms[j];
      if (t.e == in.reference || !std::isfinite(t.coef)) continue;
      const auto w = average([e = t.e](const CohortEffect& c) { return c.e == e; }, t.e, false);
      rows_w.push_back(w.second);
      which.push_back(j);
    }
    Eigen::MatrixXd W(static_cast<Eigen::Index>(rows_w.size()), k_fit);
    for (size_t r = 0; r < rows_w.size(); ++r) W.row(static_cast<Eigen::Index>(r)) = rows_w[r];
    set_band(out.terms, which, W * fit.vcov * W.transpose(), in.alpha, in.seed, q,
             out.uniform_critical_value);
  }
  for (const auto& [c, at] : estimated) out.cells.push_back(c);
  out.fit = std::move(fit);
  return out;
}

double sup_t_critical(const Eigen::MatrixXd& cov, double alpha, uint64_t seed, int draws) {
  const Eigen::Index k = cov.rows();
  if (k == 0 || draws <= 0) return NAN;
  // The correlation, and a square root of it (eigenvalues below zero, rounding, taken as 0).
  Eigen::VectorXd sd = cov.diagonal().cwiseMax(0.0).cwiseSqrt();
  Eigen::MatrixXd corr(k, k);
  for (Eigen::Index a = 0; a < k; ++a)
    for (Eigen::Index b = 0; b < k; ++b)
      corr(a, b) = sd(a) > 0 && sd(b) > 0 ? cov(a, b) / (sd(a) * sd(b)) : (a == b ? 1.0 : 0.0);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(corr);
  const Eigen::MatrixXd root =
      eig.eigenvectors() * eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal();
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, 1);
  std::vector<double> maxima(static_cast<size_t>(draws));
  Eigen::VectorXd z(k);
  for (auto& m : maxima) {
    for (Eigen::Index j = 0; j < k; ++j) z(j) = normal(rng);
    m = (root * z).cwiseAbs().maxCoeff();
  }
  const auto q = static_cast<size_t>(std::ceil((1 - alpha) * draws)) - 1;
  std::nth_element(maxima.begin(), maxima.begin() + static_cast<std::ptrdiff_t>(q), maxima.end());
  return maxima[q];
}

}  // namespace poles::impact
