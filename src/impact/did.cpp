#include "impact/did.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <thread>

#include "impact/hdfe.h"
#include "numeric/logit.h"

namespace poles::impact {
namespace {

struct CellEstimate {
  double att = 0;
  Eigen::VectorXd psi;  // influence function on the cell's sample, as DRDID returns it
};

// One 2×2 comparison on a panel: dy = Y(t) - Y(base), d = 1 for the treated, X with intercept,
// w the unit weights (normalised here to mean 1, as DRDID does).
Result<CellEstimate> two_by_two(const Eigen::VectorXd& dy, const Eigen::VectorXd& d,
                                const Eigen::MatrixXd& X, Eigen::VectorXd w, DidMethod method) {
  const Eigen::Index n = dy.size();
  const double nd = static_cast<double>(n);
  w /= w.mean();
  CellEstimate out;
  // Outcome regression on the controls: out_delta = X beta.
  Eigen::VectorXd out_delta = Eigen::VectorXd::Zero(n);
  Eigen::MatrixXd asy_ols;  // n × p
  if (method != DidMethod::kIpw) {
    const Eigen::VectorXd wols = w.cwiseProduct(Eigen::VectorXd::Ones(n) - d);
    const Eigen::MatrixXd xwx = X.transpose() * wols.asDiagonal() * X;
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(xwx);
    if (ldlt.info() != Eigen::Success || ldlt.rcond() < 1e-14)
      return Status::invalid_argument("the outcome regression on the controls is singular");
    const Eigen::VectorXd beta = ldlt.solve(X.transpose() * wols.cwiseProduct(dy));
    out_delta = X * beta;
    const Eigen::MatrixXd xpx_inv =
        (xwx / nd).ldlt().solve(Eigen::MatrixXd::Identity(X.cols(), X.cols()));
    const Eigen::VectorXd e = wols.cwiseProduct(dy - out_delta);
    asy_ols = (e.asDiagonal() * X) * xpx_inv;
  }
  Eigen::VectorXd ps, asy_ps_dummy;
  Eigen::MatrixXd asy_ps;
  Eigen::VectorXd trim = Eigen::VectorXd::Ones(n);
  if (method != DidMethod::kRegression) {
    auto fit = numeric::fit_logit(X, d, w, 100, 1e-10);
    if (!fit.has_value()) return fit.error().with_context("propensity score");
    ps = fit->p;
    for (Eigen::Index i = 0; i < n; ++i) {
      ps(i) = std::min(ps(i), 1 - 1e-6);
      if (d(i) == 0 && ps(i) >= 0.995) trim(i) = 0;  // DRDID's trimming of controls
    }
    const Eigen::MatrixXd hessian = fit->vcov * nd;
    const Eigen::VectorXd score = w.cwiseProduct(d - ps);
    asy_ps = (score.asDiagonal() * X) * hessian;
  }
  // Weights of the treated and of the controls (odds of the score) in IPW and DR.
  auto ipw_weights = [&] {
    std::pair<Eigen::VectorXd, Eigen::VectorXd> wts{Eigen::VectorXd(n), Eigen::VectorXd(n)};
    for (Eigen::Index i = 0; i < n; ++i) {
      wts.first(i) = trim(i) * w(i) * d(i);
      wts.second(i) = trim(i) * w(i) * ps(i) * (1 - d(i)) / (1 - ps(i));
    }
    return wts;
  };
  switch (method) {
    case DidMethod::kRegression: {
      const Eigen::VectorXd w_treat = w.cwiseProduct(d);
      const Eigen::VectorXd& w_cont = w_treat;  // as DRDID's reg_did_panel: both are the treated's
      const Eigen::VectorXd att_treat = w_treat.cwiseProduct(dy);
      const Eigen::VectorXd att_cont = w_cont.cwiseProduct(out_delta);
      const double eta_treat = att_treat.mean() / w_treat.mean();
      const double eta_cont = att_cont.mean() / w_cont.mean();
      out.att = eta_treat - eta_cont;
      const Eigen::VectorXd inf_treat = (att_treat - w_treat * eta_treat) / w_treat.mean();
      const Eigen::VectorXd inf_cont_1 = att_cont - w_cont * eta_cont;
      const Eigen::VectorXd m1 = (w_cont.asDiagonal() * X).colwise().mean().transpose();
      const Eigen::VectorXd inf_cont_2 = asy_ols * m1;
      out.psi = inf_treat - (inf_cont_1 + inf_cont_2) / w_cont.mean();
      break;
    }
    case DidMethod::kIpw: {
      const auto [w_treat, w_cont] = ipw_weights();
      const Eigen::VectorXd att_treat = w_treat.cwiseProduct(dy);
      const Eigen::VectorXd att_cont = w_cont.cwiseProduct(dy);
      const double eta_treat = att_treat.mean() / w_treat.mean();
      const double eta_cont = att_cont.mean() / w_cont.mean();
      out.att = eta_treat - eta_cont;
      const Eigen::VectorXd inf_treat = (att_treat - w_treat * eta_treat) / w_treat.mean();
      Eigen::VectorXd inf_cont = (att_cont - w_cont * eta_cont) / w_cont.mean();
      const Eigen::VectorXd resid =
          w_cont.cwiseProduct(dy - Eigen::VectorXd::Constant(n, eta_cont));
      const Eigen::VectorXd m2 =
          (resid.asDiagonal() * X).colwise().mean().transpose() / w_cont.mean();
      inf_cont += asy_ps * m2;
      out.psi = inf_treat - inf_cont;
      break;
    }
    case DidMethod::kDoublyRobust: {
      const auto [w_treat, w_cont] = ipw_weights();
      const Eigen::VectorXd r = dy - out_delta;
      const Eigen::VectorXd att_treat = w_treat.cwiseProduct(r);
      const Eigen::VectorXd att_cont = w_cont.cwiseProduct(r);
      const double eta_treat = att_treat.mean() / w_treat.mean();
      const double eta_cont = att_cont.mean() / w_cont.mean();
      out.att = eta_treat - eta_cont;
      const Eigen::VectorXd m1 = (w_treat.asDiagonal() * X).colwise().mean().transpose();
      const Eigen::VectorXd inf_treat =
          (att_treat - w_treat * eta_treat - asy_ols * m1) / w_treat.mean();
      const Eigen::VectorXd resid = w_cont.cwiseProduct(r - Eigen::VectorXd::Constant(n, eta_cont));
      const Eigen::VectorXd m2 = (resid.asDiagonal() * X).colwise().mean().transpose();
      const Eigen::VectorXd m3 = (w_cont.asDiagonal() * X).colwise().mean().transpose();
      const Eigen::VectorXd inf_cont =
          (att_cont - w_cont * eta_cont + asy_ps * m2 - asy_ols * m3) / w_cont.mean();
      out.psi = inf_treat - inf_cont;
      break;
    }
  }
  return out;
}

// Influence of estimating the weights pg_k / Σ pg (did's get_wif), times the ATTs they weigh:
// wif·att for every unit, computed through per-group sums in O(units + keepers).
Eigen::VectorXd weight_influence(const std::vector<int>& keeper_group,
                                 const std::vector<double>& keeper_pg, const Eigen::VectorXd& att,
                                 const std::vector<int>& unit_group,
                                 const std::vector<double>& unit_weight) {
  const double S = std::accumulate(keeper_pg.begin(), keeper_pg.end(), 0.0);
  double P = 0;                                       // Σ pg_c att_c
  std::map<int, std::pair<double, double>> by_group;  // group -> (Σ att_c, number of keepers)
  for (size_t c = 0; c < keeper_group.size(); ++c) {
    P += keeper_pg[c] * att(static_cast<Eigen::Index>(c));
    auto& [sum, count] = by_group[keeper_group[c]];
    sum += att(static_cast<Eigen::Index>(c));
    count += 1;
  }
  Eigen::VectorXd out(static_cast<Eigen::Index>(unit_group.size()));
  for (size_t i = 0; i < unit_group.size(); ++i) {
    auto it = by_group.find(unit_group[i]);
    const double a = it == by_group.end() ? 0.0 : it->second.first,
                 k = it == by_group.end() ? 0.0 : it->second.second;
    const double w = unit_weight[i];
    // if1·att = (w A_g - P) / S; if2·att = (w k_g - S) P / S².
    out(static_cast<Eigen::Index>(i)) = (w * a - P) / S - (w * k - S) * P / (S * S);
  }
  return out;
}

// The distinct values, ascending, without sorting every row: a panel's rows usually come by unit
// (units ascending, periods repeating), so a value equal to the last one is skipped and one
// already seen is found by bisection while the values seen so far are ascending.
template <typename T>
std::vector<T> sorted_unique(const std::vector<T>& values) {
  std::vector<T> out;
  bool ascending = true;
  for (size_t i = 0; i < values.size(); ++i) {
    const T v = values[i];
    if (i > 0 && v == values[i - 1]) continue;
    if (out.empty() || out.back() < v) {
      out.push_back(v);
    } else if (!ascending || !std::binary_search(out.begin(), out.end(), v)) {
      out.push_back(v);
      ascending = false;
    }
  }
  if (!ascending) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  out.shrink_to_fit();
  return out;
}

// Runs f(0) and f(1) on two threads (f(th) takes every other item from th).
template <typename F>
void on_two_threads(const F& f) {
  std::thread other([&] { f(Eigen::Index{1}); });
  f(Eigen::Index{0});
  other.join();
}

// Runs f(start, len) on two threads over halves of n units (one when n is small).
template <typename F>
void on_two_halves(Eigen::Index n, const F& f) {
  if (n < (1 << 16)) {
    f(Eigen::Index{0}, n);
    return;
  }
  const Eigen::Index half = n / 2;
  std::thread other([&] { f(half, n - half); });
  f(Eigen::Index{0}, half);
  other.join();
}

}  // namespace

// Without covariates the three estimators reduce to the difference of the weighted mean changes
// of the treated and of the controls (DRDID's influence function, on the cell's sample): a cell
// keeps its means and shares and its values are computed from the outcomes when read.
struct CellInfluence::Impl {
  struct Cell {
    enum class Kind : uint8_t { kZero, kMeans, kCrossSection, kSparse } kind = Kind::kZero;
    int g = 0, horizon = 0;  // the treated group; the controls' (not yet treated: after horizon)
    Eigen::Index te = 0, base = 0;
    double scale = 1;                                 // kMeans: units / the cell's sample
    double wbar = 1, mt = 0, mc = 0, pt = 1, pc = 1;  // kMeans
    double mean[2][2] = {{0, 0}, {0, 0}};             // kCrossSection: [treated][at t]
    double mass[2][2] = {{1, 1}, {1, 1}};             //
    std::vector<int32_t> index;                       // kSparse: the sample's units, ascending
    std::vector<double> value;                        //   and their values
  };
  Eigen::Index n = 0;
  std::vector<int> group;      // of each unit (0 = never treated)
  std::vector<double> weight;  // normalised to mean 1
  Eigen::MatrixXd y;           // units × periods, NaN where not observed
  bool not_yet = false;        // the not-yet-treated are controls too
  bool pairs = false;          // kMeans: only the units observed at t and at the base
  std::vector<Cell> cells;

  // f(k, ψ(k, cell)) for the units k in [start, end) of the cell's sample.
  template <typename F>
  void visit(const Cell& c, Eigen::Index start, Eigen::Index end, const F& f) const {
    if (c.kind == Cell::Kind::kZero) return;
    if (c.kind == Cell::Kind::kSparse) {
      auto it = std::lower_bound(c.index.begin(), c.index.end(), start);
      for (; it != c.index.end() && *it < end; ++it)
        f(Eigen::Index{*it}, c.value[static_cast<size_t>(it - c.index.begin())]);
      return;
    }
    const double nd = static_cast<double>(n);
    const bool means = c.kind == Cell::Kind::kMeans;
    // ψ = n/m · w/w̄ · (Δy − mean)/share, with the sign of the side.
    const double ft = c.scale / (c.wbar * c.pt), fc = -c.scale / (c.wbar * c.pc);
    for (Eigen::Index k = start; k < end; ++k) {
      const int gk = group[static_cast<size_t>(k)];
      const bool treated = gk == c.g;
      if (!treated && gk != 0 && !(not_yet && gk > c.horizon)) continue;
      const double yt = y(k, c.te), yb = y(k, c.base);
      if (means) {
        const double dy = yt - yb;
        if (pairs && !std::isfinite(dy)) continue;
        const double wk = weight[static_cast<size_t>(k)];
        f(k, treated ? wk * (dy - c.mt) * ft : wk * (dy - c.mc) * fc);
      } else {
        // The four means: a unit's influence is the sum of its observations' terms.
        const int tr = treated ? 1 : 0;
        const double wk = weight[static_cast<size_t>(k)], sign = treated ? 1.0 : -1.0;
        double p = 0;
        if (std::isfinite(yt)) p += sign * (wk * (yt - c.mean[tr][1]) / c.mass[tr][1]);
        if (std::isfinite(yb)) p += sign * -(wk * (yb - c.mean[tr][0]) / c.mass[tr][0]);
        f(k, nd * p);
      }
    }
  }
  // out[k - start] += s · ψ(k, cell) for k in [start, start + len).
  void add(const Cell& c, double s, double* out, Eigen::Index start, Eigen::Index len) const {
    visit(c, start, start + len, [&](Eigen::Index k, double psi) { out[k - start] += s * psi; });
  }
  double squared_norm(const Cell& c) const {
    double sum = 0;
    visit(c, 0, n, [&](Eigen::Index, double psi) { sum += psi * psi; });
    return sum;
  }
};

Eigen::Index CellInfluence::rows() const { return impl_ ? impl_->n : 0; }
Eigen::Index CellInfluence::cols() const {
  return impl_ ? static_cast<Eigen::Index>(impl_->cells.size()) : 0;
}
void CellInfluence::add_to(Eigen::Index c, double scale, Eigen::Ref<Eigen::VectorXd> out,
                           Eigen::Index start) const {
  impl_->add(impl_->cells[static_cast<size_t>(c)], scale, out.data(), start, out.size());
}
Eigen::VectorXd CellInfluence::col(Eigen::Index c) const {
  Eigen::VectorXd v = Eigen::VectorXd::Zero(rows());
  add_to(c, 1.0, v);
  return v;
}
Eigen::MatrixXd CellInfluence::block(Eigen::Index start, Eigen::Index len,
                                     const std::vector<Eigen::Index>& which) const {
  const auto k = which.empty() ? cols() : static_cast<Eigen::Index>(which.size());
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(len, k);
  for (Eigen::Index j = 0; j < k; ++j) {
    const auto c = which.empty() ? j : which[static_cast<size_t>(j)];
    impl_->add(impl_->cells[static_cast<size_t>(c)], 1.0, out.col(j).data(), start, len);
  }
  return out;
}
double CellInfluence::squared_norm(Eigen::Index c) const {
  return impl_->squared_norm(impl_->cells[static_cast<size_t>(c)]);
}
Eigen::MatrixXd CellInfluence::dense(const std::vector<Eigen::Index>& which) const {
  return block(0, rows(), which);
}

Result<DidResult> att_gt(const DidData& data, const DidOptions& opt) {
  const size_t rows = data.y.size();
  if (data.unit.size() != rows || data.time.size() != rows || data.group.size() != rows) {
    return Status::invalid_argument("unit, time, group and outcome must have one value per row");
  }
  for (const auto& c : data.covariates) {
    if (c.size() != rows)
      return Status::invalid_argument("every covariate needs one value per row");
  }
  if (!data.weights.empty() && data.weights.size() != rows)
    return Status::invalid_argument("one weight per row is needed");
  DidResult res;
  res.periods = sorted_unique(data.time);
  const size_t T = res.periods.size();
  if (T < 2) return Status::invalid_argument("at least two periods are needed");
  const int first = res.periods.front(), last = res.periods.back();
  auto period_index = [&](int t) {
    return static_cast<size_t>(std::lower_bound(res.periods.begin(), res.periods.end(), t) -
                               res.periods.begin());
  };

  // Units: group and weight constant within a unit, observed once in every period.
  // Units numbered in ascending order of their identifier; rows of a unit are usually adjacent,
  // so the last lookup is tried first.
  std::vector<int64_t> unit_ids = sorted_unique(data.unit);
  const size_t U = unit_ids.size();
  size_t last_unit = 0;
  auto unit_of = [&](int64_t id) {
    if (unit_ids[last_unit] != id)
      last_unit = static_cast<size_t>(std::lower_bound(unit_ids.begin(), unit_ids.end(), id) -
                                      unit_ids.begin());
    return last_unit;
  };
  const size_t P = data.covariates.size();
  const bool unbalanced = opt.panel != DidOptions::Panel::kBalanced;
  const bool cross_section = opt.panel == DidOptions::Panel::kRepeatedCrossSection;
  if (cross_section && P > 0)
    return Status::invalid_argument(
        "the repeated cross-section estimator takes no covariates here (it is the difference of "
        "means): compare the units observed in both periods (pairs), or leave the covariates "
        "out");
  std::vector<int> group(U, -1);
  std::vector<double> weight(U, 1.0);
  std::vector<int> seen(U, 0);
  Eigen::MatrixXd Y =
      Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(U), static_cast<Eigen::Index>(T), NAN);
  std::vector<Eigen::MatrixXd> cov(P, Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(U),
                                                                static_cast<Eigen::Index>(T), NAN));
  std::vector<char> bad(U, 0);
  const bool clustered = !data.cluster.empty();
  if (clustered && data.cluster.size() != rows)
    return Status::invalid_argument("the cluster needs one value per row");
  std::vector<int64_t> cluster(clustered ? U : 0, std::numeric_limits<int64_t>::min());
  for (size_t i = 0; i < rows; ++i) {
    const size_t u = unit_of(data.unit[i]);
    if (clustered) {
      const int64_t c = data.cluster[i] < 0 ? -1 : data.cluster[i];
      if (cluster[u] != std::numeric_limits<int64_t>::min() && cluster[u] != c) {
        return Status::invalid_argument(
            fmt::format("unit {}: the cluster changes over time", data.unit[i]));
      }
      cluster[u] = c;
    }
    const int g = data.group[i] > last ? 0 : data.group[i];
    if (group[u] >= 0 && group[u] != g) {
      return Status::invalid_argument(fmt::format(
          "unit {}: the treatment group changes over time ({} and {})", data.unit[i], group[u], g));
    }
    group[u] = g;
    if (!data.weights.empty()) weight[u] = data.weights[i];
    const auto t = static_cast<Eigen::Index>(period_index(data.time[i]));
    if (!std::isnan(Y(static_cast<Eigen::Index>(u), t))) {
      return Status::invalid_argument(
          fmt::format("unit {} appears twice in period {}", data.unit[i], data.time[i]));
    }
    Y(static_cast<Eigen::Index>(u), t) = data.y[i];
    for (size_t p = 0; p < P; ++p) cov[p](static_cast<Eigen::Index>(u), t) = data.covariates[p][i];
    if (!std::isfinite(data.y[i])) bad[u] = 1;
    seen[u] += std::isfinite(data.y[i]) ? 1 : 0;
  }
  // Keep units observed (with an outcome) in every period and not treated before the second period.
  std::vector<size_t> keep;
  for (size_t u = 0; u < U; ++u) {
    const bool early = group[u] > 0 && group[u] <= first + opt.anticipation;
    const bool observed = unbalanced ? seen[u] > 0 : seen[u] == static_cast<int>(T) && !bad[u];
    if (observed && !early) keep.push_back(u);
  }
  res.units = static_cast<int64_t>(keep.size());
  res.dropped_units = static_cast<int64_t>(U - keep.size());
  const auto n = static_cast<Eigen::Index>(keep.size());
  if (n == 0)
    return Status::invalid_argument(unbalanced ? "no unit has an observed outcome"
                                               : "no unit is observed in every period");
  res.unit_id.resize(keep.size());
  res.unit_group.resize(keep.size());
  res.unit_weight.resize(keep.size());
  double wmean = 0;
  for (size_t k = 0; k < keep.size(); ++k) {
    res.unit_id[k] = unit_ids[keep[k]];
    res.unit_group[k] = group[keep[k]];
    res.unit_weight[k] = weight[keep[k]];
    wmean += weight[keep[k]];
  }
  wmean /= static_cast<double>(keep.size());
  for (auto& w : res.unit_weight) w /= wmean;
  if (clustered) {
    // Codes in order of the cluster values; a unit without one is a cluster of its own.
    std::map<int64_t, int32_t> code;
    for (size_t k : keep)
      if (cluster[k] >= 0) code.emplace(cluster[k], 0);
    int32_t next = 0;
    for (auto& [value, c] : code) c = next++;
    res.unit_cluster.resize(keep.size());
    for (size_t k = 0; k < keep.size(); ++k)
      res.unit_cluster[k] = cluster[keep[k]] >= 0 ? code[cluster[keep[k]]] : next++;
    res.clusters = next;
    if (res.clusters < 2)
      return Status::invalid_argument(
          "the errors clustered above the unit need at least two clusters (one cluster has no "
          "variance between clusters)");
  }
  for (int g : res.unit_group) {
    if (g > 0) res.groups.push_back(g);
  }
  std::sort(res.groups.begin(), res.groups.end());
  res.groups.erase(std::unique(res.groups.begin(), res.groups.end()), res.groups.end());
  if (res.groups.empty())
    return Status::invalid_argument("no unit is treated within the panel's periods");
  for (int g : res.groups) {
    double s = 0;
    for (size_t k = 0; k < keep.size(); ++k) s += res.unit_weight[k] * (res.unit_group[k] == g);
    res.group_share.push_back(s / static_cast<double>(n));
  }

  // The comparisons: every group and period after the first (varying) or every period
  // (universal); those without treated or control units are left out.
  struct Spec {
    AttGt cell;
    size_t te = 0, base = 0;
    int horizon = 0;
    bool empty = false;  // unbalanced: no treated or no control unit observed for it
    CellInfluence::Impl::Cell influence;
  };
  std::map<int, int64_t> group_size;
  for (int gk : res.unit_group) ++group_size[gk];
  std::vector<Spec> specs;
  const bool universal = opt.base == BasePeriod::kUniversal;
  for (int g : res.groups) {
    int pre_g = -1;  // the last period before treatment (minus anticipation)
    for (size_t j = 0; j < T; ++j) {
      if (res.periods[j] + opt.anticipation < g) pre_g = static_cast<int>(j);
    }
    if (pre_g < 0) continue;
    for (size_t te = universal ? 0 : 1; te < T; ++te) {
      Spec sp;
      const int t = res.periods[te];
      sp.cell = AttGt{g, t, 0, 0, 0, 0, g <= t, false};
      sp.te = te;
      sp.base = universal || sp.cell.post ? static_cast<size_t>(pre_g) : te - 1;
      sp.horizon = res.periods[std::max(te, sp.base)] + opt.anticipation;
      sp.cell.reference = sp.base == te;
      sp.cell.treated = group_size[g];
      int64_t controls = group_size.count(0) ? group_size[0] : 0;
      if (opt.control == ControlGroup::kNotYetTreated) {
        for (const auto& [gk, size] : group_size)
          controls += (gk > sp.horizon && gk != g) ? size : 0;
      }
      sp.cell.controls = controls;
      if (!sp.cell.reference && controls == 0)
        continue;  // e.g. the last cohort with not-yet-treated controls
      specs.push_back(sp);
    }
  }
  if (specs.empty()) return Status::invalid_argument("no group-time comparison could be made");
  if (n > std::numeric_limits<int32_t>::max())
    return Status::invalid_argument("too many units for one estimation (at most 2^31)");
  // The influence is kept per cell (CellInfluence): the outcomes of the kept units, the cells'
  // parameters.
  auto inf = std::make_shared<CellInfluence::Impl>();
  inf->n = n;
  inf->group = res.unit_group;
  inf->weight = res.unit_weight;
  inf->not_yet = opt.control == ControlGroup::kNotYetTreated;
  inf->pairs = unbalanced && !cross_section;
  inf->y.resize(n, static_cast<Eigen::Index>(T));
  for (Eigen::Index t = 0; t < static_cast<Eigen::Index>(T); ++t)
    for (Eigen::Index k = 0; k < n; ++k)
      inf->y(k, t) = Y(static_cast<Eigen::Index>(keep[static_cast<size_t>(k)]), t);
  Y.resize(0, 0);
  const Eigen::MatrixXd& y = inf->y;
  using Kind = CellInfluence::Impl::Cell::Kind;
  // Each comparison fills its own spec; they run on two threads.
  std::atomic<bool> stop{false};
  std::atomic<size_t> finished{0};
  std::vector<Status> errors(specs.size());
  auto run = [&](size_t c) {
    Spec& sp = specs[c];
    auto& cell = sp.influence;
    cell.g = sp.cell.g;
    cell.horizon = sp.horizon;
    cell.te = static_cast<Eigen::Index>(sp.te);
    cell.base = static_cast<Eigen::Index>(sp.base);
    if (sp.cell.reference) return;
    const int g = sp.cell.g;
    const auto te = cell.te, tb = cell.base;
    auto in_cell = [&](int gk) { return gk == g || gk == 0 || (inf->not_yet && gk > sp.horizon); };
    if (P == 0 && !cross_section) {
      // The difference of the weighted mean changes, in one pass over the units.
      double sw = 0, swt = 0, swty = 0, swc = 0, swcy = 0;
      int64_t m = 0, treated = 0;
      for (Eigen::Index k = 0; k < n; ++k) {
        const int gk = res.unit_group[static_cast<size_t>(k)];
        if (!in_cell(gk)) continue;
        const double dy = y(k, te) - y(k, tb);
        if (inf->pairs && !std::isfinite(dy)) continue;
        const double w = res.unit_weight[static_cast<size_t>(k)];
        ++m;
        sw += w;
        if (gk == g) {
          ++treated;
          swt += w;
          swty += w * dy;
        } else {
          swc += w;
          swcy += w * dy;
        }
      }
      if (unbalanced) {
        sp.cell.treated = treated;
        sp.cell.controls = m - treated;
        if (treated == 0 || treated == m) {
          sp.empty = true;
          return;
        }
      }
      const double md = static_cast<double>(m);
      cell.kind = Kind::kMeans;
      cell.wbar = sw / md;
      cell.mt = swty / swt;
      cell.mc = swcy / swc;
      cell.pt = swt / cell.wbar / md;
      cell.pc = swc / cell.wbar / md;
      cell.scale = static_cast<double>(n) / md;
      sp.cell.att = cell.mt - cell.mc;
      return;
    }
    std::vector<Eigen::Index> sample;
    sample.reserve(static_cast<size_t>(sp.cell.treated + sp.cell.controls));
    for (Eigen::Index k = 0; k < n; ++k) {
      if (!in_cell(res.unit_group[static_cast<size_t>(k)])) continue;
      if (unbalanced && !cross_section) {
        // Pairs: the units observed (outcome and covariates) in both periods of the comparison.
        const auto u = static_cast<Eigen::Index>(keep[static_cast<size_t>(k)]);
        bool observed = std::isfinite(y(k, te)) && std::isfinite(y(k, tb));
        for (size_t p = 0; p < P && observed; ++p) observed = std::isfinite(cov[p](u, tb));
        if (!observed) continue;
      }
      sample.push_back(k);
    }
    if (cross_section) {
      // The four means over the units observed at t and at the base, each unit's influence the
      // sum of its observations' terms (n times its share of θ̂ − θ).
      double sum[2][2] = {{0, 0}, {0, 0}}, mass[2][2] = {{0, 0}, {0, 0}};  // [treated][at t]
      int64_t units[2][2] = {{0, 0}, {0, 0}};  // [treated][at t]: units observed
      for (const Eigen::Index k : sample) {
        const int treated = res.unit_group[static_cast<size_t>(k)] == g;
        const double wk = res.unit_weight[static_cast<size_t>(k)];
        for (const auto& [slot, at] : {std::pair{1, te}, std::pair{0, tb}}) {
          const double v = y(k, at);
          if (!std::isfinite(v)) continue;
          sum[treated][slot] += wk * v;
          mass[treated][slot] += wk;
          ++units[treated][slot];
        }
      }
      // A side rests on the fewer of its units observed at t and at the base (each mean is one
      // figure of its own).
      sp.cell.treated = std::min(units[1][0], units[1][1]);
      sp.cell.controls = std::min(units[0][0], units[0][1]);
      for (const auto& side : mass) {
        if (side[0] <= 0 || side[1] <= 0) {
          sp.empty = true;
          return;
        }
      }
      cell.kind = Kind::kCrossSection;
      for (int a = 0; a < 2; ++a) {
        for (int b = 0; b < 2; ++b) {
          cell.mean[a][b] = sum[a][b] / mass[a][b];
          cell.mass[a][b] = mass[a][b];
        }
      }
      sp.cell.att = (cell.mean[1][1] - cell.mean[1][0]) - (cell.mean[0][1] - cell.mean[0][0]);
      return;
    }
    const auto m = static_cast<Eigen::Index>(sample.size());
    if (unbalanced) {
      int64_t treated = 0;
      for (const Eigen::Index k : sample) treated += res.unit_group[static_cast<size_t>(k)] == g;
      sp.cell.treated = treated;
      sp.cell.controls = m - treated;
      if (treated == 0 || treated == m) {
        sp.empty = true;
        return;
      }
    }
    Eigen::VectorXd dy(m), d(m), w(m);
    Eigen::MatrixXd X(m, static_cast<Eigen::Index>(P + 1));
    for (Eigen::Index s2 = 0; s2 < m; ++s2) {
      const Eigen::Index k = sample[static_cast<size_t>(s2)];
      const auto u = static_cast<Eigen::Index>(keep[static_cast<size_t>(k)]);
      dy(s2) = y(k, te) - y(k, tb);
      d(s2) = res.unit_group[static_cast<size_t>(k)] == g;
      w(s2) = res.unit_weight[static_cast<size_t>(k)];
      X(s2, 0) = 1;
      for (size_t p = 0; p < P; ++p) X(s2, static_cast<Eigen::Index>(p + 1)) = cov[p](u, tb);
    }
    if (!X.allFinite()) {
      errors[c] = Status::invalid_argument(
          fmt::format("a covariate is missing in period {} for the comparison ({}, {})",
                      res.periods[sp.base], g, sp.cell.t));
      return;
    }
    auto est = two_by_two(dy, d, X, w, opt.method);
    if (!est.has_value()) {
      errors[c] = est.error().with_context(fmt::format("ATT({}, {})", g, sp.cell.t));
      return;
    }
    sp.cell.att = est->att;
    const double scale = static_cast<double>(n) / static_cast<double>(m);
    cell.kind = Kind::kSparse;
    cell.index.resize(sample.size());
    cell.value.resize(sample.size());
    for (Eigen::Index s2 = 0; s2 < m; ++s2) {
      cell.index[static_cast<size_t>(s2)] = static_cast<int32_t>(sample[static_cast<size_t>(s2)]);
      cell.value[static_cast<size_t>(s2)] = scale * est->psi(s2);
    }
  };
  std::vector<std::thread> pool;
  for (size_t th = 0; th < 2; ++th) {
    pool.emplace_back([&, th] {
      for (size_t c = th; c < specs.size() && !stop; c += 2) {
        run(c);
        const size_t f = ++finished;
        if (th == 0 && opt.progress &&
            !opt.progress(static_cast<double>(f) / static_cast<double>(specs.size())))
          stop = true;
      }
    });
  }
  for (auto& t : pool) t.join();
  if (stop) return Status::cancelled("the estimation was cancelled");
  for (const auto& e : errors) POLES_RETURN_IF_ERROR(e);
  // Unbalanced: the comparisons without treated or control units observed are left out.
  for (auto& sp : specs) {
    if (sp.empty) continue;
    res.cells.push_back(sp.cell);
    inf->cells.push_back(std::move(sp.influence));
  }
  if (res.cells.empty()) return Status::invalid_argument("no group-time comparison could be made");
  res.influence = CellInfluence(inf);
  const Eigen::VectorXd se = influence_se(res.influence);
  for (size_t c = 0; c < res.cells.size(); ++c) res.cells[c].se = se(static_cast<Eigen::Index>(c));

  // Pre-test: the pre-treatment cells with a variance.
  std::vector<Eigen::Index> pre;
  for (size_t c = 0; c < res.cells.size(); ++c) {
    if (!res.cells[c].post && !res.cells[c].reference && res.cells[c].se > 1e-12)
      pre.push_back(static_cast<Eigen::Index>(c));
  }
  if (!pre.empty()) {
    const auto q = static_cast<Eigen::Index>(pre.size());
    Eigen::VectorXd a(q);
    for (Eigen::Index j = 0; j < q; ++j)
      a(j) = res.cells[static_cast<size_t>(pre[static_cast<size_t>(j)])].att;
    // Their covariance, over blocks of units; with clusters, of the clusters' influence (as the
    // inference's errors).
    Eigen::MatrixXd V = Eigen::MatrixXd::Zero(q, q);
    Eigen::Index m = n;
    if (!res.unit_cluster.empty()) {
      const Eigen::MatrixXd psi =
          cluster_influence(res.influence, res.unit_cluster, res.clusters, pre);
      m = psi.rows();
      V.selfadjointView<Eigen::Lower>().rankUpdate(psi.transpose(), 1.0 / static_cast<double>(m));
    } else {
      // Σ ψ ψᵀ by blocks of units, over two threads.
      constexpr Eigen::Index kBlock = 8192;
      std::vector<Eigen::MatrixXd> part(2, Eigen::MatrixXd::Zero(q, q));
      on_two_threads([&](Eigen::Index th) {
        for (Eigen::Index start = th * kBlock; start < n; start += 2 * kBlock) {
          const Eigen::MatrixXd psi = res.influence.block(start, std::min(kBlock, n - start), pre);
          part[static_cast<size_t>(th)].selfadjointView<Eigen::Lower>().rankUpdate(
              psi.transpose(), 1.0 / static_cast<double>(m));
        }
      });
      V = part[0] + part[1];
    }
    V = V.selfadjointView<Eigen::Lower>();
    res.pretest_df = static_cast<int>(q);
    res.pretest_rcond = reciprocal_condition(V);
    if (ill_conditioned(res.pretest_rcond)) {
      // With more pre-treatment cells than the units can identify, a generalised inverse gives
      // any statistic at all (p = 7e-40 on 95 units and 36 cells): none is given.
      res.pretest_singular = true;
      res.pretest_stat = res.pretest_p = std::numeric_limits<double>::quiet_NaN();
    } else {
      res.pretest_stat =
          static_cast<double>(m) * a.dot(V.completeOrthogonalDecomposition().solve(a));
      res.pretest_p = boost::math::cdf(boost::math::complement(
          boost::math::chi_squared(static_cast<double>(q)), res.pretest_stat));
    }
  }
  return res;
}

Eigen::MatrixXd cluster_influence(const Eigen::MatrixXd& psi,
                                  const std::vector<int32_t>& unit_cluster, int64_t clusters) {
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(clusters, psi.cols());
  for (Eigen::Index i = 0; i < psi.rows(); ++i)
    sum.row(unit_cluster[static_cast<size_t>(i)]) += psi.row(i);
  return sum * (static_cast<double>(clusters) / static_cast<double>(psi.rows()));
}

Eigen::VectorXd influence_se(const Eigen::MatrixXd& psi) {
  return psi.colwise().squaredNorm().transpose().cwiseSqrt() / static_cast<double>(psi.rows());
}

Eigen::VectorXd influence_se(const CellInfluence& psi) {
  const Eigen::Index k = psi.cols();
  Eigen::VectorXd out(k);
  on_two_threads([&](Eigen::Index th) {
    for (Eigen::Index c = th; c < k; c += 2) out(c) = psi.squared_norm(c);
  });
  return out.cwiseSqrt() / static_cast<double>(psi.rows());
}

Eigen::MatrixXd cluster_influence(const CellInfluence& psi,
                                  const std::vector<int32_t>& unit_cluster, int64_t clusters,
                                  const std::vector<Eigen::Index>& which) {
  const auto k = which.empty() ? psi.cols() : static_cast<Eigen::Index>(which.size());
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(clusters, k);
  for (Eigen::Index j = 0; j < k; ++j) {
    const Eigen::VectorXd v = psi.col(which.empty() ? j : which[static_cast<size_t>(j)]);
    for (Eigen::Index i = 0; i < v.size(); ++i)
      sum(unit_cluster[static_cast<size_t>(i)], j) += v(i);
  }
  return sum * (static_cast<double>(clusters) / static_cast<double>(psi.rows()));
}

Result<AggregateResult> aggregate(const DidResult& r, Aggregation type,
                                  const AggregateOptions& opt) {
  AggregateResult out;
  out.type = type;
  const auto n = r.influence.rows();
  std::vector<double> pg(r.cells.size());
  for (size_t c = 0; c < r.cells.size(); ++c) {
    const auto gi =
        std::lower_bound(r.groups.begin(), r.groups.end(), r.cells[c].g) - r.groups.begin();
    pg[c] = r.group_share[static_cast<size_t>(gi)];
  }
  // Weighted combination of cells with pg weights (and the influence of estimating them) into
  // `psi` (zero on entry), on two threads over the units; returns the combined ATT.
  auto combine = [&](const std::vector<size_t>& which, bool with_wif,
                     Eigen::Ref<Eigen::VectorXd> psi) {
    double sum = 0, att = 0;
    for (size_t c : which) sum += pg[c];
    std::vector<int> kg;
    std::vector<double> kpg;
    Eigen::VectorXd atts(static_cast<Eigen::Index>(which.size()));
    for (size_t j = 0; j < which.size(); ++j) {
      const size_t c = which[j];
      att += r.cells[c].att * pg[c] / sum;
      kg.push_back(r.cells[c].g);
      kpg.push_back(pg[c]);
      atts(static_cast<Eigen::Index>(j)) = r.cells[c].att;
    }
    // By blocks of units, each block's data staying in cache over the cells.
    on_two_halves(n, [&](Eigen::Index start, Eigen::Index len) {
      constexpr Eigen::Index kBlock = 16384;
      for (Eigen::Index b = start; b < start + len; b += kBlock) {
        const Eigen::Index bl = std::min(kBlock, start + len - b);
        for (size_t c : which)
          r.influence.add_to(static_cast<Eigen::Index>(c), pg[c] / sum, psi.segment(b, bl), b);
      }
    });
    if (with_wif && !which.empty())
      psi += weight_influence(kg, kpg, atts, r.unit_group, r.unit_weight);
    return att;
  };
  // The terms (event times, groups or periods) and their cells.
  std::vector<int> keys;
  std::vector<std::vector<size_t>> term_cells;
  const int last = r.periods.back(), first = r.periods.front();
  switch (type) {
    case Aggregation::kSimple: {
      std::vector<size_t> keep;
      for (size_t c = 0; c < r.cells.size(); ++c) {
        const auto& x = r.cells[c];
        if (x.g <= x.t && x.t <= x.g + opt.max_e) keep.push_back(c);
      }
      if (keep.empty()) return Status::invalid_argument("no post-treatment cell to aggregate");
      out.influence = Eigen::VectorXd::Zero(n);
      out.att = combine(keep, true, out.influence);
      break;
    }
    case Aggregation::kDynamic: {
      std::vector<char> included(r.cells.size(), 1);
      std::vector<int> es;
      for (size_t c = 0; c < r.cells.size(); ++c) {
        const auto& x = r.cells[c];
        if (opt.balance_e) included[c] = last - x.g >= *opt.balance_e;
        if (included[c]) es.push_back(x.t - x.g);
      }
      if (!opt.balance_e) {
        es.clear();
        for (const auto& x : r.cells) es.push_back(x.t - x.g);
      }
      std::sort(es.begin(), es.end());
      es.erase(std::unique(es.begin(), es.end()), es.end());
      for (int e : es) {
        if (opt.balance_e && (e > *opt.balance_e || e < *opt.balance_e - last + first)) continue;
        if (e < opt.min_e || e > opt.max_e) continue;
        std::vector<size_t> which;
        for (size_t c = 0; c < r.cells.size(); ++c) {
          if (r.cells[c].t - r.cells[c].g == e && included[c]) which.push_back(c);
        }
        if (which.empty()) continue;
        keys.push_back(e);
        term_cells.push_back(std::move(which));
      }
      break;
    }
    case Aggregation::kGroup: {
      for (int g : r.groups) {
        std::vector<size_t> which;
        for (size_t c = 0; c < r.cells.size(); ++c) {
          const auto& x = r.cells[c];
          if (x.g == g && g <= x.t && x.t <= g + opt.max_e) which.push_back(c);
        }
        if (which.empty()) continue;
        keys.push_back(g);
        term_cells.push_back(std::move(which));
      }
      if (keys.empty()) return Status::invalid_argument("no group has a post-treatment cell");
      break;
    }
    case Aggregation::kCalendar: {
      const int min_g = r.groups.front();
      for (int t : r.periods) {
        if (t < min_g) continue;
        std::vector<size_t> which;
        for (size_t c = 0; c < r.cells.size(); ++c) {
          if (r.cells[c].t == t && r.cells[c].g <= t) which.push_back(c);
        }
        if (which.empty()) continue;
        keys.push_back(t);
        term_cells.push_back(std::move(which));
      }
      if (keys.empty()) return Status::invalid_argument("no period with a treated group");
      break;
    }
  }
  // Each term's influence is written in its column of term_influence.
  out.term_influence = Eigen::MatrixXd::Zero(n, static_cast<Eigen::Index>(keys.size()));
  for (size_t j = 0; j < keys.size(); ++j) {
    const double att = combine(term_cells[j], type != Aggregation::kGroup,
                               out.term_influence.col(static_cast<Eigen::Index>(j)));
    out.terms.push_back({keys[j], att, 0});
  }
  switch (type) {
    case Aggregation::kSimple:
      break;
    case Aggregation::kDynamic: {
      out.influence = Eigen::VectorXd::Zero(n);
      int positive = 0;
      for (size_t j = 0; j < keys.size(); ++j) {
        if (keys[j] < 0) continue;
        out.att += out.terms[j].att;
        out.influence += out.term_influence.col(static_cast<Eigen::Index>(j));
        ++positive;
      }
      if (positive == 0)
        return Status::invalid_argument("no event time at or after treatment to aggregate");
      out.att /= positive;
      out.influence /= positive;
      break;
    }
    case Aggregation::kGroup: {
      std::vector<int> kg;
      std::vector<double> kpg;
      for (int g : keys) {
        kg.push_back(g);
        kpg.push_back(r.group_share[static_cast<size_t>(
            std::lower_bound(r.groups.begin(), r.groups.end(), g) - r.groups.begin())]);
      }
      const double sum = std::accumulate(kpg.begin(), kpg.end(), 0.0);
      Eigen::VectorXd att_vec(static_cast<Eigen::Index>(keys.size()));
      out.influence = Eigen::VectorXd::Zero(n);
      for (size_t j = 0; j < keys.size(); ++j) {
        out.att += out.terms[j].att * kpg[j] / sum;
        out.influence += out.term_influence.col(static_cast<Eigen::Index>(j)) * (kpg[j] / sum);
        att_vec(static_cast<Eigen::Index>(j)) = out.terms[j].att;
      }
      out.influence += weight_influence(kg, kpg, att_vec, r.unit_group, r.unit_weight);
      break;
    }
    case Aggregation::kCalendar: {
      out.influence = Eigen::VectorXd::Zero(n);
      for (size_t j = 0; j < keys.size(); ++j) {
        out.att += out.terms[j].att;
        out.influence += out.term_influence.col(static_cast<Eigen::Index>(j));
      }
      out.att /= static_cast<double>(keys.size());
      out.influence /= static_cast<double>(keys.size());
      break;
    }
  }
  const Eigen::VectorXd se = influence_se(out.term_influence);
  for (size_t j = 0; j < out.terms.size(); ++j) out.terms[j].se = se(static_cast<Eigen::Index>(j));
  out.se = std::sqrt(out.influence.squaredNorm()) / static_cast<double>(n);
  return out;
}

namespace {

// The multiplier bootstrap over n units and k columns, read by blocks of units: rows(start, len)
// gives the len × k block of the influence.
template <typename Rows>
Bootstrap bootstrap_blocks(Eigen::Index n, Eigen::Index k, const Rows& rows, int iterations,
                           uint64_t seed, double alpha) {
  Bootstrap out;
  // draws = V psi / sqrt(n), V the iterations × n Rademacher weights, taken by blocks of units so
  // that each block is one matrix product. Each block draws its weights from its own stream
  // (seed, block), so the result does not depend on the number of threads.
  const Eigen::Index block = 4096;
  const Eigen::Index blocks = (n + block - 1) / block;
  const int threads =
      static_cast<int>(std::min<Eigen::Index>(2, std::max<Eigen::Index>(1, blocks)));
  std::vector<Eigen::MatrixXd> partial(static_cast<size_t>(threads),
                                       Eigen::MatrixXd::Zero(iterations, k));
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(threads));
  for (int th = 0; th < threads; ++th) {
    pool.emplace_back([&, th] {
      Eigen::MatrixXd v(iterations, block);
      for (Eigen::Index bi = th; bi < blocks; bi += threads) {
        std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                          static_cast<uint32_t>(bi)};
        std::mt19937_64 rng(seq);
        const Eigen::Index start = bi * block, len = std::min(block, n - start);
        for (Eigen::Index i = 0; i < len; ++i) {
          uint64_t bits = 0;
          for (int b = 0; b < iterations; ++b) {
            if (b % 64 == 0) bits = rng();
            v(b, i) = static_cast<double>(2 * static_cast<int>(bits & 1) - 1);  // ±1, no branch
            bits >>= 1;
          }
        }
        partial[static_cast<size_t>(th)].noalias() += v.leftCols(len) * rows(start, len);
      }
    });
  }
  for (auto& t : pool) t.join();
  Eigen::MatrixXd draws = partial[0];
  for (int th = 1; th < threads; ++th) draws += partial[static_cast<size_t>(th)];
  draws /= std::sqrt(static_cast<double>(n));            // sqrt(n) * mean(psi v)
  auto quantile = [](std::vector<double> x, double q) {  // R's type 7
    std::sort(x.begin(), x.end());
    const double h = (static_cast<double>(x.size()) - 1) * q;
    const auto lo = static_cast<size_t>(std::floor(h));
    const size_t hi = std::min(lo + 1, x.size() - 1);
    return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
  };
  const boost::math::normal N;
  const double iqr_norm = boost::math::quantile(N, 0.75) - boost::math::quantile(N, 0.25);
  out.se.resize(k);
  Eigen::VectorXd sigma(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    std::vector<double> col(draws.col(j).data(), draws.col(j).data() + iterations);
    sigma(j) = (quantile(col, 0.75) - quantile(col, 0.25)) / iqr_norm;
    out.se(j) = sigma(j) / std::sqrt(static_cast<double>(n));
  }
  std::vector<double> tmax(static_cast<size_t>(iterations), 0.0);
  for (int b = 0; b < iterations; ++b) {
    for (Eigen::Index j = 0; j < k; ++j) {
      if (sigma(j) > 1e-12)
        tmax[static_cast<size_t>(b)] =
            std::max(tmax[static_cast<size_t>(b)], std::abs(draws(b, j)) / sigma(j));
    }
  }
  out.critical_value = quantile(tmax, 1 - alpha);
  return out;
}

}  // namespace

Bootstrap multiplier_bootstrap(const Eigen::MatrixXd& psi, int iterations, uint64_t seed,
                               double alpha) {
  return bootstrap_blocks(
      psi.rows(), psi.cols(),
      [&](Eigen::Index start, Eigen::Index len) { return psi.middleRows(start, len); }, iterations,
      seed, alpha);
}

Bootstrap multiplier_bootstrap(const CellInfluence& psi, int iterations, uint64_t seed,
                               double alpha) {
  return bootstrap_blocks(
      psi.rows(), psi.cols(),
      [&](Eigen::Index start, Eigen::Index len) { return psi.block(start, len); }, iterations, seed,
      alpha);
}

Result<DidData> did_input(const Frame& f, const DidColumns& c) {
  DidData d;
  POLES_ASSIGN_OR_RETURN(d.y, f.numeric(c.outcome));
  POLES_ASSIGN_OR_RETURN(const auto u, f.numeric(c.unit));
  POLES_ASSIGN_OR_RETURN(const auto t, f.numeric(c.time));
  POLES_ASSIGN_OR_RETURN(const auto g, f.numeric(c.group));
  d.unit.reserve(f.rows());
  d.time.reserve(f.rows());
  d.group.reserve(f.rows());
  for (size_t i = 0; i < f.rows(); ++i) {
    if (!std::isfinite(u[i]) || !std::isfinite(t[i])) {
      return Status::invalid_argument(fmt::format("column '{}' is missing on row {}",
                                                  std::isfinite(u[i]) ? c.time : c.unit, i + 1));
    }
    d.unit.push_back(static_cast<int64_t>(u[i]));
    d.time.push_back(static_cast<int>(t[i]));
    d.group.push_back(std::isfinite(g[i]) ? static_cast<int>(g[i]) : 0);
  }
  for (const auto& name : c.covariates) {
    d.covariate_names.push_back(name);
    POLES_ASSIGN_OR_RETURN(auto col, f.numeric(name));
    d.covariates.push_back(std::move(col));
  }
  if (!c.weights.empty()) {
    POLES_ASSIGN_OR_RETURN(d.weights, f.numeric(c.weights));
  }
  if (!c.cluster.empty()) {
    POLES_ASSIGN_OR_RETURN(const auto codes, f.codes(c.cluster));
    d.cluster.assign(codes.code.begin(), codes.code.end());  // -1 where missing
  }
  return d;
}

std::string_view aggregation_name(Aggregation type) {
  switch (type) {
    case Aggregation::kSimple:
      return "simple";
    case Aggregation::kDynamic:
      return "dynamic";
    case Aggregation::kGroup:
      return "group";
    case Aggregation::kCalendar:
      return "calendar";
  }
  return "simple";
}

Result<DidInference> did_inference(const DidResult& r, const DidInferenceOptions& o) {
  DidInference out;
  const double z = normal_critical(o.alpha);
  out.normal_critical = z;
  // Standard errors of columns of influence: analytic, or by the multiplier bootstrap (which
  // also gives the critical value of a uniform band over the columns).
  // The bootstrap's weights depend on the seed and the unit only: the errors of columns drawn
  // apart are those drawn together.
  auto errors = [&](const auto& unit_psi, uint64_t seed, double& crit) -> Eigen::VectorXd {
    auto from = [&](const auto& psi) -> Eigen::VectorXd {
      if (o.bootstrap == 0) {
        crit = z;
        return influence_se(psi);
      }
      auto b = multiplier_bootstrap(psi, o.bootstrap, seed, o.alpha);
      crit = b.critical_value;
      return b.se;
    };
    if (r.unit_cluster.empty()) return from(unit_psi);
    return from(Eigen::MatrixXd(cluster_influence(unit_psi, r.unit_cluster, r.clusters)));
  };
  constexpr Aggregation kKinds[] = {Aggregation::kSimple, Aggregation::kDynamic,
                                    Aggregation::kGroup, Aggregation::kCalendar};
  constexpr double kSteps = 1 + std::size(kKinds);
  auto step = [&](double done, std::string_view stage) {
    return !o.progress || o.progress(done / kSteps, stage);
  };
  if (!step(0, "bootstrap")) return Status::cancelled("the estimation was cancelled");
  double cell_crit = z;
  const Eigen::VectorXd cell_se = errors(r.influence, o.seed, cell_crit);
  out.critical_value = cell_crit;
  out.cells.reserve(r.cells.size());
  for (size_t c = 0; c < r.cells.size(); ++c) {
    const double att = r.cells[c].att, se = cell_se(static_cast<Eigen::Index>(c));
    out.cells.push_back(
        BandedInterval{interval(att, se, z), att - cell_crit * se, att + cell_crit * se});
  }
  uint64_t seed = o.seed;
  for (size_t k = 0; k < std::size(kKinds); ++k) {
    const Aggregation kind = kKinds[k];
    if (!step(static_cast<double>(k + 1), fmt::format("aggregation {}", aggregation_name(kind))))
      return Status::cancelled("the estimation was cancelled");
    AggregateOptions ao;
    if (kind == Aggregation::kDynamic) ao.balance_e = o.balance_e;
    POLES_ASSIGN_OR_RETURN(const auto a, aggregate(r, kind, ao));
    double crit = z;
    Eigen::VectorXd se(a.term_influence.cols() + 1);
    se(0) = errors(Eigen::MatrixXd(a.influence), ++seed, crit)(0);
    if (a.term_influence.cols() > 0) {
      // The band's critical value over the terms only.
      se.tail(a.term_influence.cols()) = errors(a.term_influence, seed, crit);
    }
    DidAggregateInference ai;
    ai.type = kind;
    ai.overall = interval(a.att, se(0), z);
    ai.critical_value = crit;
    for (size_t j = 0; j < a.terms.size(); ++j) {
      const double att = a.terms[j].att, tse = se(static_cast<Eigen::Index>(j) + 1);
      ai.terms.push_back(DidTermInference{
          a.terms[j].key,
          BandedInterval{interval(att, tse, z), att - crit * tse, att + crit * tse}});
    }
    out.aggregations.push_back(std::move(ai));
  }
  return out;
}

}  // namespace poles::impact
