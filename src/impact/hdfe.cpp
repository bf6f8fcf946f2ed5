#include "impact/hdfe.h"

#include <fmt/format.h>

#include <Eigen/LU>
#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>
#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <memory>
#include <numeric>
#include <thread>

namespace poles::impact {
namespace {

// The fixed effects of the estimation rows, with the weighted count of every level.
struct System {
  const std::vector<FixedEffect>& fe;
  const std::vector<double>& w;  // empty: unit weights
  size_t n = 0;
  std::vector<size_t> offset;  // start of each fixed effect's coefficients
  size_t total = 0;
  std::vector<double> count;  // weighted count of each level (concatenated)

  System(const std::vector<FixedEffect>& f, const std::vector<double>& weights, size_t rows)
      : fe(f), w(weights), n(rows) {
    for (const auto& e : fe) {
      offset.push_back(total);
      total += static_cast<size_t>(e.levels);
    }
    count.assign(total, 0.0);
    for (size_t q = 0; q < fe.size(); ++q) {
      double* c = count.data() + offset[q];
      const int32_t* code = fe[q].code.data();
      for (size_t i = 0; i < n; ++i) c[code[i]] += w.empty() ? 1.0 : w[i];
    }
  }
  double weight(size_t i) const { return w.empty() ? 1.0 : w[i]; }

  // Weighted level sums of a column, per fixed effect (concatenated).
  std::vector<double> level_sums(const std::vector<double>& v) const {
    std::vector<double> s(total, 0.0);
    for (size_t q = 0; q < fe.size(); ++q) {
      double* out = s.data() + offset[q];
      const int32_t* code = fe[q].code.data();
      if (w.empty()) {
        for (size_t i = 0; i < n; ++i) out[code[i]] += v[i];
      } else {
        for (size_t i = 0; i < n; ++i) out[code[i]] += w[i] * v[i];
      }
    }
    return s;
  }

  // Sum over the other fixed effects of their coefficients, for row i.
  double others(const double* a, size_t skip, size_t i) const {
    double s = 0;
    for (size_t r = 0; r < fe.size(); ++r) {
      if (r != skip) s += a[offset[r] + static_cast<size_t>(fe[r].code[i])];
    }
    return s;
  }

  // One Gauss–Seidel sweep of the projections on the coefficients: a -> F(a).
  void sweep(const std::vector<double>& sums, const std::vector<double>& in,
             std::vector<double>& out, std::vector<double>& acc) const {
    out = in;
    for (size_t q = 0; q < fe.size(); ++q) {
      const size_t g = static_cast<size_t>(fe[q].levels);
      acc.assign(g, 0.0);
      const int32_t* code = fe[q].code.data();
      if (fe.size() == 2) {
        const size_t r = 1 - q;
        const double* other = out.data() + offset[r];
        const int32_t* rc = fe[r].code.data();
        if (w.empty()) {
          for (size_t i = 0; i < n; ++i) acc[static_cast<size_t>(code[i])] += other[rc[i]];
        } else {
          for (size_t i = 0; i < n; ++i) acc[static_cast<size_t>(code[i])] += w[i] * other[rc[i]];
        }
      } else if (fe.size() > 2) {
        for (size_t i = 0; i < n; ++i)
          acc[static_cast<size_t>(code[i])] += weight(i) * others(out.data(), q, i);
      }
      double* a = out.data() + offset[q];
      const double* s = sums.data() + offset[q];
      const double* c = count.data() + offset[q];
      for (size_t l = 0; l < g; ++l) a[l] = (s[l] - acc[l]) / c[l];
    }
  }

  // (D'WD) a, for the conjugate gradient.
  void normal_product(const std::vector<double>& a, std::vector<double>& out) const {
    out.assign(total, 0.0);
    for (size_t i = 0; i < n; ++i) {
      double s = 0;
      for (size_t r = 0; r < fe.size(); ++r) s += a[offset[r] + static_cast<size_t>(fe[r].code[i])];
      s *= weight(i);
      for (size_t r = 0; r < fe.size(); ++r)
        out[offset[r] + static_cast<size_t>(fe[r].code[i])] += s;
    }
  }
};

bool converged(const std::vector<double>& a, const std::vector<double>& b, double tol) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::abs(a[i] - b[i]) > tol * (0.1 + std::abs(b[i]))) return false;
  }
  return true;
}

// Preconditioned (Jacobi) conjugate gradient on D'WD a = D'Wv, warm-started from `a`.
int conjugate_gradient(const System& sys, const std::vector<double>& b, std::vector<double>& a,
                       double tol, int max_iter, bool& ok) {
  std::vector<double> r(sys.total), z(sys.total), p(sys.total), q;
  sys.normal_product(a, q);
  double bnorm = 0;
  for (size_t j = 0; j < sys.total; ++j) {
    r[j] = b[j] - q[j];
    bnorm += b[j] * b[j];
  }
  bnorm = std::sqrt(bnorm);
  auto precondition = [&] {
    for (size_t j = 0; j < sys.total; ++j) z[j] = r[j] / sys.count[j];
  };
  precondition();
  p = z;
  double rz = std::inner_product(r.begin(), r.end(), z.begin(), 0.0);
  ok = false;
  int it = 0;
  for (; it < max_iter; ++it) {
    const double rnorm = std::sqrt(std::inner_product(r.begin(), r.end(), r.begin(), 0.0));
    if (rnorm <= tol * std::max(bnorm, 1e-300)) {
      ok = true;
      break;
    }
    sys.normal_product(p, q);
    const double pq = std::inner_product(p.begin(), p.end(), q.begin(), 0.0);
    if (pq <= 0) {
      ok = true;  // the residual lies in the null space: nothing left to fit
      break;
    }
    const double alpha = rz / pq;
    for (size_t j = 0; j < sys.total; ++j) {
      a[j] += alpha * p[j];
      r[j] -= alpha * q[j];
    }
    precondition();
    const double next = std::inner_product(r.begin(), r.end(), z.begin(), 0.0);
    const double beta = next / rz;
    rz = next;
    for (size_t j = 0; j < sys.total; ++j) p[j] = z[j] + beta * p[j];
  }
  return it;
}

// Direct solution for hard graphs: the fixed effect with the most levels is eliminated exactly
// (its block of the normal equations is diagonal); the Schur complement on the others is a sparse
// matrix, factorised once (sparse LDLT, AMD ordering, a tiny ridge for the singular directions)
// and used as the preconditioner of a conjugate gradient that then converges in a few steps.
class Direct {
 public:
  // Fails (returns false) when the complement would be too large to build.
  bool build(const System& sys) {
    const size_t Q = sys.fe.size();
    q0_ = 0;
    for (size_t q = 1; q < Q; ++q) {
      if (sys.fe[q].levels > sys.fe[q0_].levels) q0_ = q;
    }
    for (size_t q = 0; q < Q; ++q) {
      if (q == q0_) continue;
      others_.push_back(q);
      off_.push_back(m_);
      m_ += static_cast<size_t>(sys.fe[q].levels);
    }
    const auto g0 = static_cast<size_t>(sys.fe[q0_].levels);
    // Rows grouped by the eliminated level (counting sort).
    start_.assign(g0 + 1, 0);
    for (int32_t c : sys.fe[q0_].code) ++start_[static_cast<size_t>(c) + 1];
    for (size_t l = 0; l < g0; ++l) start_[l + 1] += start_[l];
    order_.resize(sys.n);
    std::vector<size_t> fill(start_.begin(), start_.end() - 1);
    for (size_t i = 0; i < sys.n; ++i) order_[fill[static_cast<size_t>(sys.fe[q0_].code[i])]++] = i;
    // Per eliminated level: the other levels it meets, with their weights (B, sparse by level).
    std::vector<double> scratch(m_, 0.0);
    std::vector<size_t> touched;
    blevel_.assign(g0 + 1, 0);
    double pairs = 0;
    for (size_t l = 0; l < g0; ++l) {
      for (size_t k = start_[l]; k < start_[l + 1]; ++k) {
        const size_t i = order_[k];
        for (size_t r = 0; r < others_.size(); ++r) {
          const size_t j = off_[r] + static_cast<size_t>(sys.fe[others_[r]].code[i]);
          if (scratch[j] == 0) touched.push_back(j);
          scratch[j] += sys.weight(i);
        }
      }
      for (size_t j : touched) {
        bidx_.push_back(static_cast<int32_t>(j));
        bval_.push_back(scratch[j]);
        scratch[j] = 0;
      }
      pairs += static_cast<double>(touched.size()) * static_cast<double>(touched.size());
      touched.clear();
      blevel_[l + 1] = bidx_.size();
      if (pairs > 2e8) return false;
    }
    // The complement column by column: S = C - B' A^-1 B, with C the other fixed effects' own
    // block (their counts and cross-counts), accumulated in a dense scratch column.
    (void)pairs;
    std::vector<size_t> inv_start(m_ + 1, 0);
    for (int32_t j : bidx_) ++inv_start[static_cast<size_t>(j) + 1];
    for (size_t j = 0; j < m_; ++j) inv_start[j + 1] += inv_start[j];
    std::vector<std::pair<size_t, double>> inv(bidx_.size());  // (eliminated level, weight)
    {
      std::vector<size_t> at(inv_start.begin(), inv_start.end() - 1);
      for (size_t l = 0; l < g0; ++l) {
        for (size_t k = blevel_[l]; k < blevel_[l + 1]; ++k)
          inv[at[static_cast<size_t>(bidx_[k])]++] = {l, bval_[k]};
      }
    }
    // Rows by level of each other fixed effect.
    std::vector<std::vector<size_t>> rstart(others_.size()), rows(others_.size());
    for (size_t r = 0; r < others_.size(); ++r) {
      const auto& code = sys.fe[others_[r]].code;
      rstart[r].assign(static_cast<size_t>(sys.fe[others_[r]].levels) + 1, 0);
      for (int32_t c : code) ++rstart[r][static_cast<size_t>(c) + 1];
      for (size_t l = 0; l + 1 < rstart[r].size(); ++l) rstart[r][l + 1] += rstart[r][l];
      rows[r].resize(sys.n);
      std::vector<size_t> at(rstart[r].begin(), rstart[r].end() - 1);
      for (size_t i = 0; i < sys.n; ++i) rows[r][at[static_cast<size_t>(code[i])]++] = i;
    }
    std::vector<Eigen::Triplet<double>> t;
    for (size_t r = 0; r < others_.size(); ++r) {
      for (int32_t lev = 0; lev < sys.fe[others_[r]].levels; ++lev) {
        const size_t j = off_[r] + static_cast<size_t>(lev);
        for (size_t k = inv_start[j]; k < inv_start[j + 1]; ++k) {
          const auto [l, bj] = inv[k];
          const double f = bj / sys.count[sys.offset[q0_] + l];
          for (size_t a2 = blevel_[l]; a2 < blevel_[l + 1]; ++a2) {
            const auto idx = static_cast<size_t>(bidx_[a2]);
            if (scratch[idx] == 0) touched.push_back(idx);
            scratch[idx] -= f * bval_[a2];
          }
        }
        for (size_t k = rstart[r][static_cast<size_t>(lev)];
             k < rstart[r][static_cast<size_t>(lev) + 1]; ++k) {
          const size_t i = rows[r][k];
          for (size_t s2 = 0; s2 < others_.size(); ++s2) {
            const size_t idx = off_[s2] + static_cast<size_t>(sys.fe[others_[s2]].code[i]);
            if (scratch[idx] == 0) touched.push_back(idx);
            scratch[idx] += sys.weight(i);
          }
        }
        for (size_t idx : touched) {
          if (scratch[idx] != 0)
            t.emplace_back(static_cast<int>(idx), static_cast<int>(j), scratch[idx]);
          scratch[idx] = 0;
        }
        touched.clear();
      }
    }
    S_.resize(static_cast<Eigen::Index>(m_), static_cast<Eigen::Index>(m_));
    S_.setFromTriplets(t.begin(), t.end());
    Eigen::SparseMatrix<double> M = S_;
    double top = 0;
    for (Eigen::Index j = 0; j < M.outerSize(); ++j) top = std::max(top, M.coeff(j, j));
    for (Eigen::Index j = 0; j < M.outerSize(); ++j) M.coeffRef(j, j) += 1e-9 * top;
    ldlt_.compute(M);
    return ldlt_.info() == Eigen::Success;
  }

  // Coefficients of every fixed effect (the System's layout) for the column's level sums.
  std::vector<double> solve(const System& sys, const std::vector<double>& sums, double tol,
                            int max_iter, int& iterations, bool& ok) const {
    const auto g0 = static_cast<size_t>(sys.fe[q0_].levels);
    const double* s0 = sums.data() + sys.offset[q0_];
    const double* c0 = sys.count.data() + sys.offset[q0_];
    // b = D_R'Wv - B' A^-1 D_0'Wv.
    Eigen::VectorXd b(static_cast<Eigen::Index>(m_));
    for (size_t r = 0; r < others_.size(); ++r) {
      for (int32_t l = 0; l < sys.fe[others_[r]].levels; ++l)
        b(static_cast<Eigen::Index>(off_[r] + static_cast<size_t>(l))) =
            sums[sys.offset[others_[r]] + static_cast<size_t>(l)];
    }
    for (size_t l = 0; l < g0; ++l) {
      for (size_t a = blevel_[l]; a < blevel_[l + 1]; ++a) b(bidx_[a]) -= bval_[a] * s0[l] / c0[l];
    }
    // Preconditioned conjugate gradient on S x = b.
    Eigen::VectorXd x = ldlt_.solve(b);
    Eigen::VectorXd r = b - S_ * x;
    const double bnorm = std::max(b.norm(), 1e-300);
    Eigen::VectorXd z = ldlt_.solve(r), p = z;
    double rz = r.dot(z);
    ok = false;
    for (iterations = 0; iterations < max_iter; ++iterations) {
      if (r.norm() <= tol * bnorm) {
        ok = true;
        break;
      }
      const Eigen::VectorXd q = S_ * p;
      const double pq = p.dot(q);
      if (pq <= 0) {
        ok = true;
        break;
      }
      const double alpha = rz / pq;
      x += alpha * p;
      r -= alpha * q;
      z = ldlt_.solve(r);
      const double next = r.dot(z);
      p = z + (next / rz) * p;
      rz = next;
    }
    // Back to every fixed effect: a_0 = A^-1 (D_0'Wv - B x).
    std::vector<double> a(sys.total, 0.0);
    for (size_t r2 = 0; r2 < others_.size(); ++r2) {
      for (int32_t l = 0; l < sys.fe[others_[r2]].levels; ++l)
        a[sys.offset[others_[r2]] + static_cast<size_t>(l)] =
            x(static_cast<Eigen::Index>(off_[r2] + static_cast<size_t>(l)));
    }
    for (size_t l = 0; l < g0; ++l) {
      double bx = 0;
      for (size_t k = blevel_[l]; k < blevel_[l + 1]; ++k) bx += bval_[k] * x(bidx_[k]);
      a[sys.offset[q0_] + l] = (s0[l] - bx) / c0[l];
    }
    return a;
  }

 private:
  size_t q0_ = 0, m_ = 0;
  std::vector<size_t> others_, off_, start_, order_, blevel_;
  std::vector<int32_t> bidx_;
  std::vector<double> bval_;
  Eigen::SparseMatrix<double> S_;
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>, Eigen::Lower, Eigen::AMDOrdering<int>> ldlt_;
};

// Demeans one column; returns the iterations used.
DemeanReport demean_column(const System& sys, std::vector<double>& v, const DemeanOptions& opt,
                           const Direct* direct) {
  DemeanReport rep;
  const std::vector<double> sums = sys.level_sums(v);
  std::vector<double> a(sys.total, 0.0), acc;
  if (sys.fe.size() == 1) {
    for (size_t l = 0; l < sys.total; ++l) a[l] = sums[l] / sys.count[l];
  } else if (opt.algorithm == Demeaner::kConjugateGradient) {
    bool ok = false;
    rep.iterations = conjugate_gradient(sys, sums, a, opt.tolerance * 1e-2, opt.max_iterations, ok);
    rep.converged = ok;
    rep.used_cg = true;
  } else if (direct != nullptr) {
    bool ok = false;
    a = direct->solve(sys, sums, opt.tolerance * 1e-2, opt.max_iterations, rep.iterations, ok);
    rep.converged = ok;
    rep.used_cg = true;
  } else {
    // Irons–Tuck acceleration of the fixed point a = F(a) (fixest's demeaning).
    std::vector<double> gx, ggx, next(sys.total);
    sys.sweep(sums, a, gx, acc);
    const int auto_budget = sys.fe.size() > 2 ? opt.projection_budget_3fe : opt.projection_budget;
    const int budget = opt.algorithm == Demeaner::kAuto ? std::min(auto_budget, opt.max_iterations)
                                                        : opt.max_iterations;
    rep.converged = false;
    for (rep.iterations = 1; rep.iterations <= budget; ++rep.iterations) {
      sys.sweep(sums, gx, ggx, acc);
      double vprod = 0, ssq = 0;
      for (size_t j = 0; j < sys.total; ++j) {
        const double dgx = ggx[j] - gx[j];
        const double d2x = dgx - gx[j] + a[j];
        vprod += dgx * d2x;
        ssq += d2x * d2x;
      }
      if (ssq == 0) {
        a = ggx;
        rep.converged = true;
        break;
      }
      const double coef = vprod / ssq;
      for (size_t j = 0; j < sys.total; ++j) next[j] = ggx[j] - coef * (ggx[j] - gx[j]);
      a.swap(next);
      sys.sweep(sums, a, gx, acc);
      if (converged(a, gx, opt.tolerance)) {
        a = gx;
        rep.converged = true;
        break;
      }
    }
    if (!rep.converged && opt.algorithm == Demeaner::kAuto) {
      bool ok = false;
      rep.iterations +=
          conjugate_gradient(sys, sums, a, opt.tolerance * 1e-2, opt.max_iterations, ok);
      rep.converged = ok;
      rep.used_cg = true;
    }
  }
  for (size_t i = 0; i < sys.n; ++i) {
    double s = 0;
    for (size_t q = 0; q < sys.fe.size(); ++q)
      s += a[sys.offset[q] + static_cast<size_t>(sys.fe[q].code[i])];
    v[i] -= s;
  }
  return rep;
}

// Codes renumbered 0..G-1 over the levels that occur.
void compact(FixedEffect& f) {
  std::vector<int32_t> map(static_cast<size_t>(std::max(f.levels, 0)), -1);
  int32_t next = 0;
  for (auto& c : f.code) {
    auto& m = map[static_cast<size_t>(c)];
    if (m < 0) m = next++;
    c = m;
  }
  f.levels = next;
}

template <class T>
std::vector<T> keep_rows(const std::vector<T>& v, const std::vector<char>& keep) {
  std::vector<T> out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if (keep[i]) out.push_back(v[i]);
  }
  return out;
}

bool nested_in(const FixedEffect& f, const FixedEffect& cluster) {
  std::vector<int32_t> owner(static_cast<size_t>(f.levels), -1);
  for (size_t i = 0; i < f.code.size(); ++i) {
    auto& o = owner[static_cast<size_t>(f.code[i])];
    if (o < 0) {
      o = cluster.code[i];
    } else if (o != cluster.code[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<DemeanReport> demean(const std::vector<FixedEffect>& fe, const std::vector<double>& weights,
                            std::vector<std::vector<double>*> columns,
                            const DemeanOptions& options) {
  if (fe.empty() || columns.empty()) return DemeanReport{};
  const size_t n = columns.front()->size();
  for (const auto& f : fe) {
    if (f.code.size() != n)
      return Status::invalid_argument(
          fmt::format("fixed effect '{}' has {} rows, the data {}", f.name, f.code.size(), n));
  }
  const System sys(fe, weights, n);
  for (size_t j = 0; j < sys.total; ++j) {
    if (sys.count[j] <= 0)
      return Status::invalid_argument(
          "a fixed-effect level has no observation (codes must be compact)");
  }
  std::vector<DemeanReport> reports(columns.size());
  const size_t threads =
      std::clamp<size_t>(static_cast<size_t>(std::max(options.threads, 1)), 1, columns.size());
  // Demeans the listed columns, spread over the threads; the reports are added to the columns'.
  auto run = [&](const std::vector<size_t>& which, const DemeanOptions& opt, const Direct* direct) {
    std::vector<std::thread> pool;
    for (size_t t = 0; t < std::min(threads, which.size()); ++t) {
      pool.emplace_back([&, t] {
        for (size_t c = t; c < which.size(); c += threads) {
          const DemeanReport r = demean_column(sys, *columns[which[c]], opt, direct);
          DemeanReport& to = reports[which[c]];
          to.iterations += r.iterations;
          to.converged = r.converged;
          to.used_cg = to.used_cg || r.used_cg;
        }
      });
    }
    for (auto& th : pool) th.join();
  };
  std::vector<size_t> all(columns.size());
  std::iota(all.begin(), all.end(), size_t{0});
  if (options.algorithm != Demeaner::kAuto || fe.size() < 2) {
    run(all, options, nullptr);
  } else {
    // Projections first, within their budget, on a first round of columns (one per thread). On
    // hard graphs (worker–firm-like, where they crawl) the columns of that round left unconverged
    // go on from their partial residuals (M(v - Da) = Mv), and the other columns from the start,
    // with the direct solver built once for all of them; otherwise the other columns are projected
    // too.
    DemeanOptions probe = options;
    probe.algorithm = Demeaner::kProjections;
    probe.max_iterations =
        std::min(options.max_iterations,
                 fe.size() > 2 ? options.projection_budget_3fe : options.projection_budget);
    const std::vector<size_t> first(all.begin(),
                                    all.begin() + static_cast<std::ptrdiff_t>(threads));
    std::vector<size_t> rest(all.begin() + static_cast<std::ptrdiff_t>(threads), all.end());
    run(first, probe, nullptr);
    std::vector<size_t> hard;
    for (size_t c : first) {
      if (!reports[c].converged) hard.push_back(c);
    }
    if (hard.empty()) {
      run(rest, options, nullptr);
    } else {
      hard.insert(hard.end(), rest.begin(), rest.end());
      auto direct = std::make_unique<Direct>();
      if (!direct->build(sys)) direct.reset();
      run(hard, options, direct.get());
    }
  }
  DemeanReport out;
  for (const auto& r : reports) {
    out.iterations = std::max(out.iterations, r.iterations);
    out.converged = out.converged && r.converged;
    out.used_cg = out.used_cg || r.used_cg;
  }
  return out;
}

std::vector<char> non_singletons(const std::vector<FixedEffect>& fe, size_t rows) {
  std::vector<char> keep(rows, 1);
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& f : fe) {
      std::vector<int32_t> count(static_cast<size_t>(f.levels), 0);
      for (size_t i = 0; i < rows; ++i) count[static_cast<size_t>(f.code[i])] += keep[i];
      if (std::find(count.begin(), count.end(), 1) == count.end()) continue;  // no singleton level
      for (size_t i = 0; i < rows; ++i) {
        if (keep[i] && count[static_cast<size_t>(f.code[i])] == 1) {
          keep[i] = 0;
          changed = true;
        }
      }
    }
  }
  return keep;
}

int64_t fixed_effect_parameters(const std::vector<FixedEffect>& fe) {
  if (fe.empty()) return 0;
  int64_t total = 0;
  for (const auto& f : fe) total += f.levels;
  if (fe.size() == 1) return total;
  // Connected components of the bipartite graph of the first two fixed effects (union–find).
  const auto g0 = static_cast<size_t>(fe[0].levels);
  std::vector<size_t> parent(g0 + static_cast<size_t>(fe[1].levels));
  std::iota(parent.begin(), parent.end(), size_t{0});
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (size_t i = 0; i < fe[0].code.size(); ++i) {
    const size_t a = find(static_cast<size_t>(fe[0].code[i])),
                 b = find(g0 + static_cast<size_t>(fe[1].code[i]));
    if (a != b) parent[a] = b;
  }
  int64_t components = 0;
  for (size_t x = 0; x < parent.size(); ++x) components += find(x) == x;
  return total - components - static_cast<int64_t>(fe.size() - 2);
}

Result<OlsResult> feols(OlsInput in) {
  const size_t n0 = in.y.size();
  if (in.x.size() != in.x_names.size())
    return Status::invalid_argument("one name per regressor is needed");
  for (size_t j = 0; j < in.x.size(); ++j) {
    if (in.x[j].size() != n0)
      return Status::invalid_argument(fmt::format("regressor '{}' has {} rows, the outcome {}",
                                                  in.x_names[j], in.x[j].size(), n0));
  }
  if (!in.weights.empty() && in.weights.size() != n0)
    return Status::invalid_argument("one weight per row is needed");
  if (in.vcov.kind == VcovKind::kCluster &&
      (in.vcov.clusters.empty() || in.vcov.clusters.size() > 2)) {
    return Status::invalid_argument("clustered standard errors take one or two cluster variables");
  }
  OlsResult res;
  // Rows with every value present, column by column (a pass per column streams and vectorises).
  std::vector<char> keep(n0);
  for (size_t i = 0; i < n0; ++i) keep[i] = std::isfinite(in.y[i]);
  for (const auto& x : in.x) {
    for (size_t i = 0; i < n0; ++i) keep[i] &= std::isfinite(x[i]);
  }
  for (const auto* codes : {&in.fe, &in.vcov.clusters}) {
    for (const auto& f : *codes) {
      for (size_t i = 0; i < n0; ++i) keep[i] &= f.code[i] >= 0;
    }
  }
  if (!in.weights.empty()) {
    for (size_t i = 0; i < n0; ++i) keep[i] &= std::isfinite(in.weights[i]) && in.weights[i] > 0;
  }
  res.missing = static_cast<int64_t>(std::count(keep.begin(), keep.end(), char{0}));
  res.used = keep;
  auto apply = [&](const std::vector<char>& k) {
    if (std::find(k.begin(), k.end(), char{0}) == k.end()) return;  // every row kept
    in.y = keep_rows(in.y, k);
    for (auto& x : in.x) x = keep_rows(x, k);
    for (auto& f : in.fe) f.code = keep_rows(f.code, k);
    for (auto& c : in.vcov.clusters) c.code = keep_rows(c.code, k);
    if (!in.weights.empty()) in.weights = keep_rows(in.weights, k);
  };
  apply(keep);
  if (!in.fe.empty() && in.drop_singletons) {
    const std::vector<char> ns = non_singletons(in.fe, in.y.size());
    res.singletons = static_cast<int64_t>(std::count(ns.begin(), ns.end(), char{0}));
    if (res.singletons > 0) {
      apply(ns);
      size_t r = 0;
      for (size_t i = 0; i < n0; ++i) {
        if (res.used[i]) res.used[i] = ns[r++];
      }
    }
  }
  for (auto& f : in.fe) compact(f);
  for (auto& c : in.vcov.clusters) compact(c);
  const size_t n = in.y.size();
  res.n = static_cast<int64_t>(n);
  if (n == 0) {
    return Status::invalid_argument(
        "no row is left for the regression (every row has a missing value, a zero weight or a "
        "singleton fixed effect)");
  }

  // Total sum of squares of y, before demeaning.
  double wsum = 0, ybar = 0;
  for (size_t i = 0; i < n; ++i) {
    const double w = in.weights.empty() ? 1.0 : in.weights[i];
    wsum += w;
    ybar += w * in.y[i];
  }
  ybar /= wsum;
  double tss = 0;
  for (size_t i = 0; i < n; ++i)
    tss += (in.weights.empty() ? 1.0 : in.weights[i]) * (in.y[i] - ybar) * (in.y[i] - ybar);

  std::vector<std::string> names = in.x_names;
  if (in.fe.empty()) {
    names.insert(names.begin(), "(Intercept)");
    in.x.insert(in.x.begin(), std::vector<double>(n, 1.0));
  }
  std::vector<double> xnorm(in.x.size());
  for (size_t j = 0; j < in.x.size(); ++j)
    xnorm[j] = std::inner_product(in.x[j].begin(), in.x[j].end(), in.x[j].begin(), 0.0);
  if (!in.fe.empty()) {
    std::vector<std::vector<double>*> cols{&in.y};
    for (auto& x : in.x) cols.push_back(&x);
    POLES_ASSIGN_OR_RETURN(res.demeaning, demean(in.fe, in.weights, cols, in.demean));
    if (!res.demeaning.converged) {
      return Status::not_converged(
          fmt::format("the fixed effects could not be projected out in {} iterations",
                      res.demeaning.iterations));
    }
    res.fe_parameters = fixed_effect_parameters(in.fe);
  }
  // Regressors left without variation (collinear with the fixed effects) or collinear with others.
  std::vector<size_t> kept;
  for (size_t j = 0; j < in.x.size(); ++j) {
    const double s = std::inner_product(in.x[j].begin(), in.x[j].end(), in.x[j].begin(), 0.0);
    if (s <= 1e-10 * std::max(xnorm[j], 1e-300)) {
      res.collinear.push_back(names[j]);
    } else {
      kept.push_back(j);
    }
  }
  auto weight = [&](size_t i) { return in.weights.empty() ? 1.0 : in.weights[i]; };
  auto gram = [&](const std::vector<size_t>& cols) {
    const auto k = static_cast<Eigen::Index>(cols.size());
    Eigen::MatrixXd m(k, k);
    for (Eigen::Index a = 0; a < k; ++a) {
      for (Eigen::Index b = 0; b <= a; ++b) {
        const auto& xa = in.x[cols[static_cast<size_t>(a)]];
        const auto& xb = in.x[cols[static_cast<size_t>(b)]];
        double s = 0;
        if (in.weights.empty()) {
          s = std::inner_product(xa.begin(), xa.end(), xb.begin(), 0.0);
        } else {
          for (size_t i = 0; i < n; ++i) s += in.weights[i] * xa[i] * xb[i];
        }
        m(a, b) = m(b, a) = s;
      }
    }
    return m;
  };
  if (kept.empty()) {
    return Status::invalid_argument(
        "every regressor is constant or collinear with the fixed effects: nothing to estimate");
  }
  Eigen::MatrixXd xtx = gram(kept);
  {
    // Drop the regressors a pivoted decomposition finds dependent, keeping the order of the rest.
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(xtx);
    qr.setThreshold(1e-10);
    if (qr.rank() < xtx.rows()) {
      std::vector<char> dependent(kept.size(), 0);
      for (Eigen::Index r = qr.rank(); r < xtx.rows(); ++r)
        dependent[static_cast<size_t>(qr.colsPermutation().indices()(r))] = 1;
      std::vector<size_t> rest;
      for (size_t j = 0; j < kept.size(); ++j) {
        if (dependent[j]) {
          res.collinear.push_back(names[kept[j]]);
        } else {
          rest.push_back(kept[j]);
        }
      }
      kept = rest;
      xtx = gram(kept);
    }
  }
  if (kept.empty())
    return Status::invalid_argument("every regressor is collinear with the fixed effects");
  const auto k = static_cast<Eigen::Index>(kept.size());
  Eigen::VectorXd xty(k);
  for (Eigen::Index a = 0; a < k; ++a) {
    const auto& xa = in.x[kept[static_cast<size_t>(a)]];
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += weight(i) * xa[i] * in.y[i];
    xty(a) = s;
  }
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(xtx);
  res.coef = ldlt.solve(xty);
  const Eigen::MatrixXd bread = ldlt.solve(Eigen::MatrixXd::Identity(k, k));
  for (size_t j : kept) res.names.push_back(names[j]);
  res.k = k;
  double ssr = 0, ssw = 0;  // y is demeaned when there are fixed effects
  for (size_t i = 0; i < n; ++i) ssw += weight(i) * in.y[i] * in.y[i];
  res.residuals = std::move(in.y);
  std::vector<const double*> xk;
  xk.reserve(kept.size());
  for (size_t j : kept) xk.push_back(in.x[j].data());
  for (Eigen::Index a = 0; a < k; ++a) {
    const double b = res.coef(a);
    const double* x = xk[static_cast<size_t>(a)];
    for (size_t i = 0; i < n; ++i) res.residuals[i] -= b * x[i];
  }
  for (size_t i = 0; i < n; ++i) ssr += weight(i) * res.residuals[i] * res.residuals[i];
  res.ssr = ssr;
  const double nd = static_cast<double>(n);
  const double K = static_cast<double>(res.k + res.fe_parameters);
  res.rmse = std::sqrt(ssr / nd);
  res.r2 = 1 - ssr / tss;
  res.adj_r2 = 1 - (1 - res.r2) * (nd - 1) / (nd - K);
  res.within_r2 = in.fe.empty() ? res.r2 : 1 - ssr / ssw;
  if (nd <= K)
    return Status::invalid_argument(
        fmt::format("{} observations are too few for {} parameters", n, K));

  // Σ_g s_g s_g' over the groups of a code, s_g the sum of the scores w e x of its rows; every row
  // its own group without a code (HC). The scores are not stored: n × k would double the memory.
  auto meat = [&](const int32_t* code, int32_t levels) {
    const auto g = code == nullptr ? Eigen::Index{0} : static_cast<Eigen::Index>(levels);
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> sums =
        Eigen::MatrixXd::Zero(g, k);
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(k, k);
    for (size_t i = 0; i < n; ++i) {
      const double we = weight(i) * res.residuals[i];
      if (code == nullptr) {
        for (Eigen::Index a = 0; a < k; ++a) {
          const double sa = we * xk[static_cast<size_t>(a)][i];
          for (Eigen::Index b = 0; b <= a; ++b) m(a, b) += sa * we * xk[static_cast<size_t>(b)][i];
        }
      } else {
        double* row = sums.data() + static_cast<Eigen::Index>(code[i]) * k;
        for (Eigen::Index a = 0; a < k; ++a) row[a] += we * xk[static_cast<size_t>(a)][i];
      }
    }
    if (code != nullptr) return Eigen::MatrixXd(sums.transpose() * sums);
    return Eigen::MatrixXd(m.selfadjointView<Eigen::Lower>());
  };
  // K of the adjustment (fixest's fixef.K; FixedEffectCount), given the cluster variables
  // (none: nothing is nested, and kNested counts the fixed effects in full).
  const auto k_of = [&](const std::vector<FixedEffect>& cl) {
    const double kx = static_cast<double>(res.k);
    if (in.fe.empty() || in.vcov.fixef_k == FixedEffectCount::kFull) return K;
    int nested_count = 0;
    double nested_levels = 0;
    for (const auto& f : in.fe) {
      bool nested = false;
      for (const auto& c : cl) nested = nested || nested_in(f, c);
      nested_count += nested;
      if (nested) nested_levels += f.levels - 1;
    }
    const auto fe_count = static_cast<int>(in.fe.size());
    switch (in.vcov.fixef_k) {
      case FixedEffectCount::kNested:
        if (nested_count == 0) return K;
        // Every fixed effect nested: the regressors and the intercept they absorbed.
        return nested_count == fe_count ? kx + 1 : std::max(K - nested_levels, kx + 1);
      case FixedEffectCount::kNone:
        return kx;
      case FixedEffectCount::kDimensions:
        return std::max(kx + (fe_count - nested_count), kx + 1);
      case FixedEffectCount::kFull:
        break;
    }
    return K;
  };
  switch (in.vcov.kind) {
    case VcovKind::kIid: {
      // SSR / (n − 1) × (n − 1) / (n − K): without clusters the fixed effects count in full
      // under the default (plm's within degrees of freedom).
      const double k_adj = k_of({});
      res.vcov = bread * (ssr / (in.vcov.adjust ? nd - k_adj : nd - 1));
      res.df_t = nd - k_adj;
      break;
    }
    case VcovKind::kHetero: {
      // Each row its own cluster: (n − 1) / (n − K) and n / (n − 1) (HC1 with both).
      const double k_adj = k_of({});
      double adj = 1;
      if (in.vcov.adjust) adj *= (nd - 1) / (nd - k_adj);
      if (in.vcov.cluster_adjust) adj *= nd / (nd - 1);
      res.vcov = bread * meat(nullptr, 0) * bread * adj;
      res.df_t = nd - k_adj;
      break;
    }
    case VcovKind::kCluster: {
      auto& cl = in.vcov.clusters;
      const double k_adj = k_of(cl);
      int32_t g = cl[0].levels;
      for (const auto& c : cl) g = std::min(g, c.levels);
      res.clusters = g;
      // One sandwich matrix, adjusted by its own G / (G - 1) in the conventional two-way form.
      const auto part = [&](const int32_t* code, int32_t levels) {
        Eigen::MatrixXd m = meat(code, levels);
        if (in.vcov.cluster_adjust && !in.vcov.cluster_df_min && cl.size() == 2)
          m *= static_cast<double>(levels) / (levels - 1.0);
        return m;
      };
      Eigen::MatrixXd m = part(cl[0].code.data(), cl[0].levels);
      if (cl.size() == 2) {
        // Two-way: V1 + V2 - V12, the intersection coded from both.
        FixedEffect both;
        both.code.resize(n);
        for (size_t i = 0; i < n; ++i) both.code[i] = cl[0].code[i] * cl[1].levels + cl[1].code[i];
        both.levels = cl[0].levels * cl[1].levels;
        compact(both);
        m += part(cl[1].code.data(), cl[1].levels) - part(both.code.data(), both.levels);
      }
      double adj = 1;
      if (in.vcov.adjust) adj *= (nd - 1) / (nd - k_adj);
      if (in.vcov.cluster_adjust && (in.vcov.cluster_df_min || cl.size() == 1))
        adj *= static_cast<double>(g) / (g - 1.0);
      res.vcov = bread * m * bread * adj;
      res.df_t = in.vcov.t_df == VcovSpec::TDf::kMin ? g - 1.0 : nd - k_adj;
      break;
    }
  }
  if (in.vcov.t_df == VcovSpec::TDf::kNormal) res.df_t = std::numeric_limits<double>::infinity();
  res.se = res.vcov.diagonal().cwiseMax(0.0).cwiseSqrt();
  res.t = res.coef.cwiseQuotient(res.se);
  res.p.resize(k);
  const boost::math::students_t dist(std::isinf(res.df_t) ? 1.0 : std::max(res.df_t, 1.0));
  for (Eigen::Index a = 0; a < k; ++a) {
    const double t = std::abs(res.t(a));
    res.p(a) = !std::isfinite(t) ? NAN
               : std::isinf(res.df_t)
                   ? 2 * boost::math::cdf(boost::math::complement(boost::math::normal(), t))
                   : 2 * boost::math::cdf(boost::math::complement(dist, t));
  }
  return res;
}

double reciprocal_condition(const Eigen::MatrixXd& v) {
  if (v.size() == 0) return 1;
  if (!v.allFinite()) return 0;
  Eigen::FullPivLU<Eigen::MatrixXd> lu(v);
  lu.setThreshold(0);  // only an exactly zero pivot is singular: the rest the ratio measures
  if (!lu.isInvertible()) return 0;
  const auto norm1 = [](const Eigen::MatrixXd& m) {
    return m.cwiseAbs().colwise().sum().maxCoeff();
  };
  const double n = norm1(v) * norm1(lu.inverse());
  return n > 0 && std::isfinite(n) ? 1 / n : 0;
}

Wald wald_test(const Eigen::VectorXd& coef, const Eigen::MatrixXd& vcov,
               const std::vector<int>& which, double df_denominator) {
  Wald w;
  w.df = static_cast<int>(which.size());
  if (which.empty()) return w;
  Eigen::VectorXd b(w.df);
  Eigen::MatrixXd v(w.df, w.df);
  for (int a = 0; a < w.df; ++a) {
    b(a) = coef(which[static_cast<size_t>(a)]);
    for (int c = 0; c < w.df; ++c)
      v(a, c) = vcov(which[static_cast<size_t>(a)], which[static_cast<size_t>(c)]);
  }
  w.rcond = reciprocal_condition(v);
  if (ill_conditioned(w.rcond)) {
    w.singular = true;
    w.stat = w.p = w.f = w.p_f = std::numeric_limits<double>::quiet_NaN();
    return w;
  }
  w.stat = b.dot(v.completeOrthogonalDecomposition().solve(b));
  w.p = boost::math::cdf(
      boost::math::complement(boost::math::chi_squared(w.df), std::max(w.stat, 0.0)));
  w.f = w.stat / w.df;
  // An infinite denominator (z tests: ssc t_df=normal): df·F is the χ² statistic. Boost refuses
  // an infinite degree of freedom (it throws).
  w.p_f = std::isfinite(df_denominator)
              ? boost::math::cdf(boost::math::complement(
                    boost::math::fisher_f(w.df, std::max(df_denominator, 1.0)), std::max(w.f, 0.0)))
              : w.p;
  return w;
}

Result<FixedEffect> fixed_effect(const Frame& frame, std::string_view column) {
  POLES_ASSIGN_OR_RETURN(auto c, frame.codes(column));
  const int32_t levels = c.levels();
  return FixedEffect{std::string(column), std::move(c.code), levels};
}

std::vector<Interval> coefficient_intervals(const OlsResult& r, double alpha) {
  const double q = student_critical(r.df_t, alpha);
  std::vector<Interval> out;
  out.reserve(r.names.size());
  for (size_t j = 0; j < r.names.size(); ++j) {
    const auto k = static_cast<Eigen::Index>(j);
    out.push_back(interval(r.coef(k), r.se(k), q));
  }
  return out;
}

}  // namespace poles::impact
