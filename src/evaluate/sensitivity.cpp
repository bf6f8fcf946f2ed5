#include "evaluate/sensitivity.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>

namespace poles::evaluate {

namespace {

template <typename T>
T pick(const std::vector<T>& v, double u) {
  return v[std::min(v.size() - 1, static_cast<size_t>(u * static_cast<double>(v.size())))];
}

// The method for a point u of [0, 1]^5 (kUncertainInputs order); the weight noise draws use u[4]
// as a seed so that the point fixes them.
Method method_at(const Method& nominal, const Alternatives& alt, const std::vector<double>& u) {
  Method m = nominal;
  m.normalisation = pick(alt.normalisations, u[0]);
  m.aggregation = m.pillar_aggregation = pick(alt.aggregations, u[1]);
  m.imputation = pick(alt.imputations, u[2]);
  m.treat_outliers = pick(alt.outlier_treatment, u[3]);
  m.weighting = Weighting::kExpert;
  std::mt19937_64 g(static_cast<uint64_t>(u[4] * 9007199254740992.0));
  std::uniform_real_distribution<double> noise(-alt.weight_noise, alt.weight_noise);
  for (double& w : m.weight) w *= 1 + noise(g);
  for (double& w : m.pillar_weight) w *= 1 + noise(g);
  return m;
}

}  // namespace

SobolIndices sobol(const std::function<double(const std::vector<double>&)>& f, size_t d, size_t n,
                   uint64_t seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> U(0, 1);
  std::vector<std::vector<double>> A(n, std::vector<double>(d)), B(n, std::vector<double>(d));
  for (size_t r = 0; r < n; ++r) {
    for (size_t j = 0; j < d; ++j) A[r][j] = U(g);
    for (size_t j = 0; j < d; ++j) B[r][j] = U(g);
  }
  std::vector<double> yA(n), yB(n);
  for (size_t r = 0; r < n; ++r) {
    yA[r] = f(A[r]);
    yB[r] = f(B[r]);
  }
  double mean = 0;
  for (size_t r = 0; r < n; ++r) mean += yA[r] + yB[r];
  mean /= static_cast<double>(2 * n);
  double var = 0;
  for (size_t r = 0; r < n; ++r)
    var += (yA[r] - mean) * (yA[r] - mean) + (yB[r] - mean) * (yB[r] - mean);
  var /= static_cast<double>(2 * n - 1);
  SobolIndices s;
  s.variance = var;
  s.runs = n * (d + 2);
  for (size_t i = 0; i < d; ++i) {
    double first = 0, total = 0;
    for (size_t r = 0; r < n; ++r) {
      std::vector<double> x = A[r];
      x[i] = B[r][i];
      const double y = f(x);
      first += yB[r] * (y - yA[r]);
      total += (yA[r] - y) * (yA[r] - y);
    }
    s.first.push_back(var > 0 ? first / static_cast<double>(n) / var : 0);
    s.total.push_back(var > 0 ? total / (2 * static_cast<double>(n) * var) : 0);
  }
  return s;
}

namespace {

// A prepared table of one variant of the method (normalisation, imputation, outlier treatment,
// and whether an aggregation is geometric decide it; weights do not), with its logarithms when an
// aggregation is geometric.
struct Variant {
  Table normalised;
  std::vector<double> logs;
  // Column-major copies (the values, or their logarithms when geometric) when no value is missing:
  // the Monte Carlo's weighted sums then run down contiguous columns.
  std::vector<double> by_column;
  bool complete = false;
};

class Variants {
 public:
  explicit Variants(const Table& raw) : raw_(raw) {}
  const Variant& get(const Method& m) {
    const bool geo =
        m.aggregation == Aggregation::kGeometric || m.pillar_aggregation == Aggregation::kGeometric;
    const int key = ((static_cast<int>(m.normalisation) * 4 + static_cast<int>(m.imputation)) * 2 +
                     (m.treat_outliers ? 1 : 0)) *
                        2 +
                    (geo ? 1 : 0);
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key);
    if (it == cache_.end()) {
      Variant v{prepare(raw_, m).normalised, {}, {}, false};
      if (geo) {
        v.logs.resize(v.normalised.v.size());
        for (size_t i = 0; i < v.logs.size(); ++i) v.logs[i] = std::log(v.normalised.v[i]);
      }
      const auto& src = geo ? v.logs : v.normalised.v;
      v.complete = std::none_of(src.begin(), src.end(), [](double x) { return std::isnan(x); });
      if (v.complete) {
        const size_t rows = v.normalised.rows, cols = v.normalised.cols;
        v.by_column.resize(src.size());
        for (size_t r = 0; r < rows; ++r) {
          for (size_t c = 0; c < cols; ++c) v.by_column[c * rows + r] = src[r * cols + c];
        }
      }
      it = cache_.emplace(key, std::move(v)).first;
    }
    return it->second;
  }

 private:
  const Table& raw_;
  std::mutex mutex_;
  std::map<int, Variant> cache_;
};

// Per-thread buffers of the rank sort.
std::vector<uint64_t>& key_buffer() {
  thread_local std::vector<uint64_t> b;
  return b;
}
std::vector<uint64_t>& key_buffer2() {
  thread_local std::vector<uint64_t> b;
  return b;
}
std::vector<uint32_t>& unit_buffer() {
  thread_local std::vector<uint32_t> b;
  return b;
}
std::vector<uint32_t>& unit_buffer2() {
  thread_local std::vector<uint32_t> b;
  return b;
}

// The ranks of one draw (`index` holds a score increasing with the composite, not always the
// composite itself). Weighted arithmetic or geometric means are computed in one pass over the
// row-major table (the Monte Carlo's hot loop); Copeland and PCA weights go through combine().
Status draw_ranks(const Variant& v, const Method& m, size_t pillars, std::vector<double>& acc,
                  std::vector<double>& wsum, std::vector<double>& index, std::vector<int>& rank) {
  const Table& t = v.normalised;
  const size_t n = t.rows, k = t.cols;
  if (m.aggregation == Aggregation::kCopeland || m.pillar_aggregation == Aggregation::kCopeland ||
      m.weighting == Weighting::kPca || m.weighting == Weighting::kBenefitOfDoubt) {
    POLES_ASSIGN_OR_RETURN(auto c, combine(t, m, m.weight));
    rank = std::move(c.rank);
    return Status::ok();
  }
  const bool geo_in = m.aggregation == Aggregation::kGeometric,
             geo_out = m.pillar_aggregation == Aggregation::kGeometric;
  index.assign(n, 0);
  if (v.complete) {
    // Every value present: each pillar's weighted sum over contiguous columns, then the index.
    acc.assign(pillars * n, 0.0);
    std::fill(wsum.begin(), wsum.end(), 0.0);
    for (size_t c = 0; c < k; ++c) {
      const double w = m.weight[c];
      if (w == 0) continue;
      const auto p = static_cast<size_t>(m.pillar[c]);
      wsum[p] += w;
      double* out = &acc[p * n];
      const double* col = &v.by_column[c * n];
      for (size_t r = 0; r < n; ++r) out[r] += w * col[r];
    }
    double sw = 0;
    for (size_t p = 0; p < pillars; ++p) sw += wsum[p] > 0 ? m.pillar_weight[p] : 0;
    for (size_t p = 0; p < pillars; ++p) {
      if (wsum[p] <= 0) continue;
      const double pw = m.pillar_weight[p] / sw, inv = 1 / wsum[p];
      const double* a = &acc[p * n];
      if (geo_in == geo_out) {
        // Both means arithmetic, or both geometric: then log(exp(x)) cancels, and the ranks only
        // need the exponent (exp is increasing), so no transcendental function per row.
        for (size_t r = 0; r < n; ++r) index[r] += pw * a[r] * inv;
        continue;
      }
      for (size_t r = 0; r < n; ++r) {
        const double score = geo_in ? std::exp(a[r] * inv) : a[r] * inv;
        index[r] += pw * (geo_out ? std::log(score) : score);
      }
    }
    // (The index is kept on the log scale when the last mean is geometric: ranks are unchanged.)
    if (sw <= 0) std::fill(index.begin(), index.end(), std::numeric_limits<double>::quiet_NaN());
  } else {
    acc.resize(pillars);
    for (size_t r = 0; r < n; ++r) {
      std::fill(acc.begin(), acc.end(), 0.0);
      std::fill(wsum.begin(), wsum.end(), 0.0);
      const double* row = geo_in ? &v.logs[r * k] : &t.v[r * k];
      for (size_t c = 0; c < k; ++c) {
        const double x = row[c];
        if (std::isnan(x)) continue;
        const auto p = static_cast<size_t>(m.pillar[c]);
        acc[p] += m.weight[c] * x;
        wsum[p] += m.weight[c];
      }
      double s = 0, sw = 0;
      for (size_t p = 0; p < pillars; ++p) {
        if (wsum[p] <= 0) continue;
        const double score = geo_in ? std::exp(acc[p] / wsum[p]) : acc[p] / wsum[p];
        s += m.pillar_weight[p] * (geo_out ? std::log(score) : score);
        sw += m.pillar_weight[p];
      }
      index[r] =
          sw > 0 ? (geo_out ? std::exp(s / sw) : s / sw) : std::numeric_limits<double>::quiet_NaN();
    }
  }
  // Highest first, ties at their minimum rank, NaN last: an LSD radix sort (8 passes of 8 bits) of
  // order-preserving 64-bit keys of −index, stable, so equal keys keep unit order.
  auto& keys = key_buffer();
  auto& tmp_keys = key_buffer2();
  auto& units = unit_buffer();
  auto& tmp_units = unit_buffer2();
  keys.resize(n);
  tmp_keys.resize(n);
  units.resize(n);
  tmp_units.resize(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t key = UINT64_MAX;
    if (!std::isnan(index[i])) {
      const uint64_t bits = std::bit_cast<uint64_t>(-index[i] + 0.0);
      key = (bits >> 63) ? ~bits : bits | (uint64_t{1} << 63);
    }
    keys[i] = key;
    units[i] = static_cast<uint32_t>(i);
  }
  std::array<uint32_t, 257> count{};
  for (int shift = 0; shift < 64; shift += 8) {
    count.fill(0);
    for (size_t i = 0; i < n; ++i) ++count[((keys[i] >> shift) & 0xff) + 1];
    if (count[1 + ((keys[0] >> shift) & 0xff)] == n)
      continue;  // every key has this byte: nothing moves
    for (size_t b = 1; b < count.size(); ++b) count[b] += count[b - 1];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t pos = count[(keys[i] >> shift) & 0xff]++;
      tmp_keys[pos] = keys[i];
      tmp_units[pos] = units[i];
    }
    keys.swap(tmp_keys);
    units.swap(tmp_units);
  }
  rank.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t u = units[i];
    const bool tie = i > 0 && keys[i] != UINT64_MAX && keys[i - 1] == keys[i];
    rank[u] = tie ? rank[units[i - 1]] : static_cast<int>(i) + 1;
  }
  return Status::ok();
}

size_t pillar_count(const Method& m) {
  return m.pillar.empty()
             ? 0
             : static_cast<size_t>(*std::max_element(m.pillar.begin(), m.pillar.end()) + 1);
}

// Quantile q of the ranks of a unit from its histogram (counts of rank 1..n), interpolated like
// the sorted-vector quantile (type 7).
double hist_quantile(const uint32_t* counts, size_t n, size_t draws, double q) {
  const double pos = q * static_cast<double>(draws - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  auto value_at = [&](size_t index) {
    size_t seen = 0;
    for (size_t r = 0; r < n; ++r) {
      seen += counts[r];
      if (seen > index) return static_cast<double>(r + 1);
    }
    return static_cast<double>(n);
  };
  const double a = value_at(lo), b = value_at(std::min(lo + 1, draws - 1));
  return a + (pos - static_cast<double>(lo)) * (b - a);
}

}  // namespace

Result<Uncertainty> uncertainty(const Table& raw, const Method& nominal, const Alternatives& alt,
                                size_t draws, uint64_t seed) {
  POLES_ASSIGN_OR_RETURN(auto base, compute(raw, nominal));
  const size_t n = raw.rows;
  // The draws' points come from one seeded stream, so the result does not depend on the threads.
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> U(0, 1);
  std::vector<double> points(draws * kUncertainInputs.size());
  for (double& x : points) x = U(g);
  Variants variants(raw);
  const size_t threads =
      std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), draws / 200 + 1));
  // Each draw's ranks in a row of a draws × n matrix (sequential writes), counted per unit after.
  std::vector<uint32_t> ranks_of(draws * n);
  std::vector<Status> failures(threads, Status::ok());
  auto work = [&](size_t t) {
    std::vector<double> acc(pillar_count(nominal)), wsum(acc.size()), index;
    std::vector<int> rank;
    std::vector<double> u(kUncertainInputs.size());
    for (size_t d = t; d < draws; d += threads) {
      std::copy_n(points.begin() + static_cast<std::ptrdiff_t>(d * u.size()), u.size(), u.begin());
      const Method m = method_at(nominal, alt, u);
      if (Status st = draw_ranks(variants.get(m), m, wsum.size(), acc, wsum, index, rank);
          !st.is_ok()) {
        failures[t] = st;
        return;
      }
      std::copy(rank.begin(), rank.end(), ranks_of.begin() + static_cast<std::ptrdiff_t>(d * n));
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  for (const auto& st : failures) {
    if (!st.is_ok()) return st;
  }
  // Histograms of the ranks, unit by unit, in blocks of units so that reads stay in cache.
  std::vector<uint32_t> hist(n * n, 0);
  std::vector<double> sums(n, 0);
  constexpr size_t kBlock = 64;
  for (size_t b = 0; b < n; b += kBlock) {
    const size_t e = std::min(n, b + kBlock);
    for (size_t d = 0; d < draws; ++d) {
      const uint32_t* row = &ranks_of[d * n];
      for (size_t i = b; i < e; ++i) {
        ++hist[i * n + row[i] - 1];
        sums[i] += row[i];
      }
    }
  }
  Uncertainty out;
  out.draws = draws;
  out.seed = seed;
  for (size_t i = 0; i < n; ++i) {
    RankInterval ri;
    ri.nominal = base.rank[i];
    if (draws > 0) {
      const uint32_t* h = &hist[i * n];
      ri.mean = sums[i] / static_cast<double>(draws);
      ri.median = hist_quantile(h, n, draws, 0.5);
      ri.p05 = hist_quantile(h, n, draws, 0.05);
      ri.p95 = hist_quantile(h, n, draws, 0.95);
    } else {
      ri.mean = ri.median = ri.p05 = ri.p95 = ri.nominal;
    }
    out.units.push_back(ri);
  }
  return out;
}

Result<SobolIndices> composite_sensitivity(const Table& raw, const Method& nominal,
                                           const Alternatives& alt, size_t n, uint64_t seed) {
  POLES_ASSIGN_OR_RETURN(auto base, compute(raw, nominal));
  Status failure = Status::ok();
  Variants variants(raw);
  std::vector<double> acc(pillar_count(nominal)), wsum(acc.size()), index;
  std::vector<size_t> order;
  std::vector<int> rank;
  auto f = [&](const std::vector<double>& u) {
    const Method m = method_at(nominal, alt, u);
    if (Status st = draw_ranks(variants.get(m), m, wsum.size(), acc, wsum, index, rank);
        !st.is_ok()) {
      failure = st;
      return 0.0;
    }
    double shift = 0;
    for (size_t i = 0; i < raw.rows; ++i) shift += std::abs(rank[i] - base.rank[i]);
    return shift / static_cast<double>(raw.rows);
  };
  auto s = sobol(f, kUncertainInputs.size(), n, seed);
  if (!failure.is_ok()) return failure;
  return s;
}

}  // namespace poles::evaluate
