#include "impact/matching.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "impact/hdfe.h"
#include "numeric/logit.h"

namespace poles::impact {
namespace {

// MatchIt's ATT weights from matched sets: a control weighs the sum, over the treated it serves,
// of 1 / (that treated's number of controls); control weights are then rescaled to sum to the
// number of matched controls.
void att_weights(Matching& m, const std::vector<int>& treat) {
  const size_t n = treat.size();
  m.weights.assign(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    if (!treat[i] || m.matches[i].empty()) continue;
    m.weights[i] = 1;
    for (int c : m.matches[i])
      m.weights[static_cast<size_t>(c)] += 1.0 / static_cast<double>(m.matches[i].size());
  }
  double sum = 0;
  int used = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!treat[i] && m.weights[i] > 0) {
      sum += m.weights[i];
      ++used;
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (!treat[i] && m.weights[i] > 0) m.weights[i] *= used / sum;
  }
  m.controls_matched = used;
  m.treated_matched = 0;
  for (size_t i = 0; i < n; ++i) m.treated_matched += treat[i] && m.weights[i] > 0;
}

Status check_treat(const std::vector<int>& treat, Matching& m) {
  for (int t : treat) {
    if (t != 0 && t != 1)
      return Status::invalid_argument(fmt::format("the treatment must be 0 or 1 (got {})", t));
    (t ? m.treated : m.controls)++;
  }
  if (m.treated == 0 || m.controls == 0)
    return Status::invalid_argument("matching needs treated and control rows");
  return Status::ok();
}

// Strata from row keys: weights n_t/n_c for controls (rescaled), subclass per stratum.
Matching strata_match(const std::vector<std::vector<double>>& keys, const std::vector<int>& treat,
                      std::string method) {
  Matching m;
  m.method = std::move(method);
  (void)check_treat(treat, m);
  std::map<std::vector<double>, int> index;
  std::vector<int> stratum(treat.size());
  for (size_t i = 0; i < treat.size(); ++i)
    stratum[i] = index.emplace(keys[i], static_cast<int>(index.size())).first->second;
  std::vector<int> nt(index.size(), 0), nc(index.size(), 0);
  for (size_t i = 0; i < treat.size(); ++i) (treat[i] ? nt : nc)[static_cast<size_t>(stratum[i])]++;
  // Subclasses numbered in order of first appearance among the kept strata.
  std::vector<int> number(index.size(), -1);
  int next = 0;
  m.weights.assign(treat.size(), 0.0);
  m.subclass.assign(treat.size(), -1);
  m.matches.assign(treat.size(), {});
  double wsum = 0;
  int used = 0;
  for (size_t i = 0; i < treat.size(); ++i) {
    const auto s = static_cast<size_t>(stratum[i]);
    if (nt[s] == 0 || nc[s] == 0) continue;
    if (number[s] < 0) number[s] = next++;
    m.subclass[i] = number[s];
    m.weights[i] = treat[i] ? 1.0 : static_cast<double>(nt[s]) / nc[s];
    if (!treat[i]) {
      wsum += m.weights[i];
      ++used;
    } else {
      ++m.treated_matched;
    }
  }
  for (size_t i = 0; i < treat.size(); ++i) {
    if (!treat[i] && m.weights[i] > 0) m.weights[i] *= used / wsum;
  }
  m.controls_matched = used;
  return m;
}

double weighted_mean(const Eigen::VectorXd& x, const std::vector<int>& treat, int group,
                     const std::vector<double>* w) {
  double s = 0, sw = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (treat[static_cast<size_t>(i)] != group) continue;
    const double wi = w ? (*w)[static_cast<size_t>(i)] : 1.0;
    s += wi * x(i);
    sw += wi;
  }
  return sw > 0 ? s / sw : NAN;
}

// Unbiased weighted variance (n - 1 denominator with unit weights).
double weighted_variance(const Eigen::VectorXd& x, const std::vector<int>& treat, int group,
                         const std::vector<double>* w) {
  const double m = weighted_mean(x, treat, group, w);
  double s = 0, sw = 0, sw2 = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (treat[static_cast<size_t>(i)] != group) continue;
    const double wi = w ? (*w)[static_cast<size_t>(i)] : 1.0;
    s += wi * (x(i) - m) * (x(i) - m);
    sw += wi;
    sw2 += wi * wi;
  }
  return sw * sw - sw2 > 0 ? s * sw / (sw * sw - sw2) : NAN;
}

}  // namespace

Result<Covariates> covariates(const Frame& f, const std::vector<std::string>& names) {
  Covariates out;
  const auto n = static_cast<Eigen::Index>(f.rows());
  std::vector<std::vector<double>> model{std::vector<double>(f.rows(), 1.0)}, display;
  out.model_names.emplace_back("(Intercept)");
  out.complete.assign(f.rows(), 1);
  for (const auto& name : names) {
    const Column* c = f.find(name);
    if (!c) return Status::invalid_argument(fmt::format("no covariate '{}' in the data", name));
    if (c->numeric) {
      for (size_t i = 0; i < f.rows(); ++i)
        out.complete[i] = out.complete[i] && std::isfinite(c->values[i]);
      model.push_back(c->values);
      display.push_back(c->values);
      out.model_names.push_back(name);
      out.display_names.push_back(name);
    } else {
      POLES_ASSIGN_OR_RETURN(auto codes, f.codes(name));
      for (int32_t l = 0; l < codes.levels(); ++l) {
        std::vector<double> dummy(f.rows());
        for (size_t i = 0; i < f.rows(); ++i) dummy[i] = codes.code[i] == l;
        display.push_back(dummy);
        out.display_names.push_back(name + codes.labels[static_cast<size_t>(l)]);
        if (l > 0) {
          model.push_back(std::move(dummy));
          out.model_names.push_back(name + codes.labels[static_cast<size_t>(l)]);
        }
      }
      for (size_t i = 0; i < f.rows(); ++i) out.complete[i] = out.complete[i] && codes.code[i] >= 0;
    }
  }
  auto to_matrix = [&](const std::vector<std::vector<double>>& cols) {
    Eigen::MatrixXd m(n, static_cast<Eigen::Index>(cols.size()));
    for (size_t j = 0; j < cols.size(); ++j) {
      for (Eigen::Index i = 0; i < n; ++i)
        m(i, static_cast<Eigen::Index>(j)) = cols[j][static_cast<size_t>(i)];
    }
    return m;
  };
  out.model = to_matrix(model);
  out.display = to_matrix(display);
  for (const auto& col : display) {
    bool b = true;
    for (double v : col) b = b && (v == 0 || v == 1 || std::isnan(v));
    out.binary.push_back(b);
  }
  return out;
}

Result<Matching> nearest_neighbour(const Eigen::MatrixXd& design, const std::vector<int>& treat,
                                   const NearestOptions& opt) {
  Matching m;
  m.method = "nearest";
  POLES_RETURN_IF_ERROR(check_treat(treat, m));
  if (opt.ratio < 1) return Status::invalid_argument("the ratio must be at least 1");
  const auto n = static_cast<Eigen::Index>(treat.size());
  if (design.rows() != n) return Status::invalid_argument("one design row per unit is needed");
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) y(i) = treat[static_cast<size_t>(i)];
  POLES_ASSIGN_OR_RETURN(auto fit, numeric::fit_logit(design, y));
  m.distance = fit.p;
  if (opt.distance == DistanceScale::kLogit) {
    for (Eigen::Index i = 0; i < n; ++i) m.distance(i) = std::log(fit.p(i) / (1 - fit.p(i)));
  }
  if (opt.caliper) {
    const double mean = m.distance.mean();
    const double sd =
        std::sqrt((m.distance.array() - mean).square().sum() / static_cast<double>(n - 1));
    m.caliper_width = *opt.caliper * sd;
  }
  // Units sorted by distance (ties in data order, as R's sort.list); a treated unit's candidates
  // are the nearest available control below it and above it in that order.
  std::vector<int> sorted(static_cast<size_t>(n));
  std::iota(sorted.begin(), sorted.end(), 0);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](int a, int b) { return m.distance(a) < m.distance(b); });
  std::vector<int> controls;             // control rows in sorted order
  std::vector<int> below(treat.size());  // per treated row: number of controls sorted before it
  for (int i : sorted) {
    if (treat[static_cast<size_t>(i)]) {
      below[static_cast<size_t>(i)] = static_cast<int>(controls.size());
    } else {
      controls.push_back(i);
    }
  }
  const int nc = static_cast<int>(controls.size());
  std::vector<int> treated;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (treat[static_cast<size_t>(i)]) treated.push_back(static_cast<int>(i));
  }
  if (opt.order != MatchOrder::kData) {
    const bool largest = opt.order == MatchOrder::kLargest;
    std::stable_sort(treated.begin(), treated.end(), [&](int a, int b) {
      return largest ? m.distance(a) > m.distance(b) : m.distance(a) < m.distance(b);
    });
  }
  // Available controls without replacement: union–find links to the nearest available index on
  // each side (left[j] <= j, right[j] >= j; -1 and nc are the ends).
  std::vector<int> left(static_cast<size_t>(nc) + 1), right(static_cast<size_t>(nc) + 1);
  std::iota(left.begin(), left.end(), 0);
  std::iota(right.begin(), right.end(), 0);
  auto find_left = [&](int j) {
    int r = j;
    while (r >= 0 && left[static_cast<size_t>(r)] != r) r = left[static_cast<size_t>(r)];
    while (j >= 0 && left[static_cast<size_t>(j)] != j) {  // path compression
      const int next = left[static_cast<size_t>(j)];
      left[static_cast<size_t>(j)] = r;
      j = next;
    }
    return r;
  };
  auto find_right = [&](int j) {
    int r = j;
    while (r < nc && right[static_cast<size_t>(r)] != r) r = right[static_cast<size_t>(r)];
    while (j < nc && right[static_cast<size_t>(j)] != j) {
      const int next = right[static_cast<size_t>(j)];
      right[static_cast<size_t>(j)] = r;
      j = next;
    }
    return r;
  };
  auto remove = [&](int j) {
    left[static_cast<size_t>(j)] = j - 1;
    right[static_cast<size_t>(j)] = j + 1;
  };
  auto gap = [&](int t, int j) {
    return std::abs(m.distance(t) - m.distance(controls[static_cast<size_t>(j)]));
  };
  // Picks between the candidates on each side (-1 / nc when none): the nearer, the lower on a tie.
  auto pick = [&](int t, int l, int r) {
    const bool has_l = l >= 0, has_r = r < nc;
    int j = -1;
    if (has_l && has_r) {
      j = (opt.matchit_4_5_1 || gap(t, l) <= gap(t, r)) ? l : r;
    } else if (has_l) {
      j = l;
    } else if (has_r) {
      j = r;
    }
    if (j >= 0 && opt.caliper && gap(t, j) > m.caliper_width) {
      // The nearer side is outside the caliper; the other side is farther still.
      j = -1;
    }
    return j;
  };
  m.matches.assign(treat.size(), {});
  std::vector<char> dropped(treat.size(), 0);
  std::vector<std::pair<int, int>> cursor(
      treat.size());  // with replacement: next candidates on each side
  for (int t : treated)
    cursor[static_cast<size_t>(t)] = {below[static_cast<size_t>(t)] - 1,
                                      below[static_cast<size_t>(t)]};
  // Matching in rounds: every treated unit gets its first control, then its second, ...
  for (int round = 0; round < opt.ratio; ++round) {
    for (int t : treated) {
      const auto ts = static_cast<size_t>(t);
      if (dropped[ts]) continue;
      int j = -1;
      if (opt.replace) {
        auto& [l, r] = cursor[ts];
        j = pick(t, l, r);
        if (j >= 0 && j == l) {
          --l;
        } else if (j >= 0) {
          ++r;
        }
      } else {
        j = pick(t, find_left(below[ts] - 1), find_right(below[ts]));
        if (j >= 0) remove(j);
      }
      if (j < 0) {
        if (round == 0) dropped[ts] = 1;
        continue;
      }
      m.matches[ts].push_back(controls[static_cast<size_t>(j)]);
    }
  }
  att_weights(m, treat);
  m.subclass.assign(treat.size(), -1);
  if (!opt.replace) {
    int pair = 0;
    for (int t : treated) {
      if (m.matches[static_cast<size_t>(t)].empty()) continue;
      m.subclass[static_cast<size_t>(t)] = pair;
      for (int c : m.matches[static_cast<size_t>(t)]) m.subclass[static_cast<size_t>(c)] = pair;
      ++pair;
    }
  }
  return m;
}

Result<Matching> exact_match(const Eigen::MatrixXd& columns, const std::vector<int>& treat) {
  if (columns.rows() != static_cast<Eigen::Index>(treat.size()))
    return Status::invalid_argument("one row per unit is needed");
  std::vector<std::vector<double>> keys(treat.size());
  for (size_t i = 0; i < treat.size(); ++i) {
    const auto row = columns.row(static_cast<Eigen::Index>(i));
    for (Eigen::Index j = 0; j < columns.cols(); ++j) keys[i].push_back(row(j));
  }
  Matching m = strata_match(keys, treat, "exact");
  if (m.treated == 0 || m.controls == 0)
    return Status::invalid_argument("matching needs treated and control rows");
  return m;
}

Result<Matching> coarsened_exact_match(const Eigen::MatrixXd& columns,
                                       const std::vector<char>& binary,
                                       const std::vector<int>& treat, int bins) {
  const auto n = columns.rows();
  if (n != static_cast<Eigen::Index>(treat.size()))
    return Status::invalid_argument("one row per unit is needed");
  const int k =
      bins > 0 ? bins
               : static_cast<int>(std::ceil(std::log2(static_cast<double>(n)) + 1));  // Sturges
  std::vector<std::vector<double>> keys(treat.size());
  for (Eigen::Index j = 0; j < columns.cols(); ++j) {
    const auto col = columns.col(j);
    const bool exact = binary[static_cast<size_t>(j)];
    const double lo = col.minCoeff(), hi = col.maxCoeff();
    for (Eigen::Index i = 0; i < n; ++i) {
      double key = col(i);
      if (!exact && hi > lo) key = std::min(std::floor((col(i) - lo) / (hi - lo) * k), k - 1.0);
      keys[static_cast<size_t>(i)].push_back(key);
    }
  }
  Matching m = strata_match(keys, treat, "cem");
  if (m.treated == 0 || m.controls == 0)
    return Status::invalid_argument("matching needs treated and control rows");
  return m;
}

namespace {

MeanSupport support(const Eigen::VectorXd& x, const std::vector<int>& treat, int group,
                    const std::vector<double>* w) {
  MeanSupport s;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double wi = w ? (*w)[static_cast<size_t>(i)] : 1.0;
    if (treat[static_cast<size_t>(i)] != group || wi <= 0) continue;
    ++s.rows;
    const double v = std::abs(wi * x(i));
    s.abs_total += v;
    s.largest = std::max(s.largest, v);
  }
  return s;
}

}  // namespace

std::vector<BalanceRow> balance(const Covariates& c, const Eigen::VectorXd& distance,
                                const std::vector<int>& treat, const std::vector<double>& weights) {
  std::vector<BalanceRow> rows;
  auto add = [&](const std::string& name, const Eigen::VectorXd& x, bool binary) {
    BalanceRow r;
    r.name = name;
    r.binary = binary;
    r.mean_treated = weighted_mean(x, treat, 1, nullptr);
    r.mean_control = weighted_mean(x, treat, 0, nullptr);
    const double sd = binary ? std::sqrt(r.mean_treated * (1 - r.mean_treated))
                             : std::sqrt(weighted_variance(x, treat, 1, nullptr));
    r.smd = (r.mean_treated - r.mean_control) / sd;
    r.variance_ratio =
        binary ? NAN
               : weighted_variance(x, treat, 1, nullptr) / weighted_variance(x, treat, 0, nullptr);
    r.matched_mean_treated = weighted_mean(x, treat, 1, &weights);
    r.matched_mean_control = weighted_mean(x, treat, 0, &weights);
    r.matched_smd = (r.matched_mean_treated - r.matched_mean_control) / sd;
    r.matched_variance_ratio = binary ? NAN
                                      : weighted_variance(x, treat, 1, &weights) /
                                            weighted_variance(x, treat, 0, &weights);
    r.treated_support = support(x, treat, 1, nullptr);
    r.control_support = support(x, treat, 0, nullptr);
    r.matched_treated_support = support(x, treat, 1, &weights);
    r.matched_control_support = support(x, treat, 0, &weights);
    rows.push_back(r);
  };
  if (distance.size() > 0) add("distance", distance, false);
  for (Eigen::Index j = 0; j < c.display.cols(); ++j)
    add(c.display_names[static_cast<size_t>(j)], c.display.col(j),
        c.binary[static_cast<size_t>(j)]);
  return rows;
}

Result<MatchSample> match_sample(const Frame& f, const std::string& treat,
                                 const std::vector<std::string>& covariates,
                                 const std::string& outcome) {
  POLES_ASSIGN_OR_RETURN(const auto tcol, f.numeric(treat));
  POLES_ASSIGN_OR_RETURN(const auto all, impact::covariates(f, covariates));
  std::vector<double> y;
  if (!outcome.empty()) {
    POLES_ASSIGN_OR_RETURN(y, f.numeric(outcome));
  }
  std::vector<char> keep(f.rows(), 1);
  for (size_t i = 0; i < f.rows(); ++i) {
    keep[i] =
        all.complete[i] && (tcol[i] == 0 || tcol[i] == 1) && (y.empty() || std::isfinite(y[i]));
  }
  MatchSample out;
  POLES_ASSIGN_OR_RETURN(out.covariates, impact::covariates(f.subset(keep), covariates));
  for (size_t i = 0; i < f.rows(); ++i) {
    if (!keep[i]) continue;
    out.treat.push_back(static_cast<int>(tcol[i]));
    if (!y.empty()) out.outcome.push_back(y[i]);
  }
  return out;
}

Result<MatchedAtt> matched_att(const std::vector<double>& outcome, const std::vector<int>& treat,
                               const Matching& m, double alpha) {
  if (m.treated_matched == 0 || m.controls_matched == 0) {
    return Status::invalid_argument(
        "no treated unit was matched to a control: there is no matched sample to estimate on");
  }
  OlsInput in;
  in.y = outcome;
  in.x_names = {"treated"};
  in.x = {std::vector<double>(treat.begin(), treat.end())};
  in.weights = m.weights;
  for (auto& w : in.weights) {
    if (w <= 0) w = NAN;  // unmatched rows leave the regression
  }
  MatchedAtt out;
  out.clustered_by_set =
      std::any_of(m.subclass.begin(), m.subclass.end(), [](int s) { return s >= 0; });
  if (out.clustered_by_set) {
    FixedEffect sc{"subclass", m.subclass,
                   *std::max_element(m.subclass.begin(), m.subclass.end()) + 1};
    in.vcov.kind = VcovKind::kCluster;
    in.vcov.clusters = {sc};
  } else {
    in.vcov.kind = VcovKind::kHetero;
  }
  POLES_ASSIGN_OR_RETURN(const auto r, feols(std::move(in)));
  out.att = interval(r.coef(1), r.se(1), student_critical(r.df_t, alpha));
  return out;
}

}  // namespace poles::impact
