#include "app/impact.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <map>
#include <set>

#include "impact/did.h"
#include "impact/event_study.h"
#include "impact/formula.h"
#include "impact/hdfe.h"
#include "impact/matching.h"
#include "impact/panel.h"
#include "impact/ppml.h"
#include "secrecy/rule.h"

namespace poles::app {
namespace {

using impact::Frame;

// Statistical secrecy for estimates: a figure is published only when it rests on at least
// min_firms firms on each side; a mean also under the dominance rule (secrecy/rule.h).
const secrecy::Rule kRule;

bool enough_firms(int64_t firms) { return firms >= kRule.min_firms; }

std::optional<double> finite(double v) {
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}
}  // namespace

ImpactReading read_estimate(std::string_view outcome, bool log_points, std::string term,
                            std::optional<double> estimate, std::optional<double> low,
                            std::optional<double> high) {
  const bool percent = log_points || outcome.starts_with("log(") || outcome.starts_with("log1p(");
  const auto shown = [&](std::optional<double> v) -> std::optional<double> {
    if (!v) return std::nullopt;
    return percent ? 100 * std::expm1(*v) : *v;
  };
  ImpactReading r{std::move(term), percent ? "percent" : "level",
                  shown(estimate), shown(low),
                  shown(high),     std::nullopt};
  if (low && high) r.conclusive = *low > 0 || *high < 0;
  return r;
}

namespace {

// Said instead of a pre-test whose covariance cannot be inverted (as R's did declines).
std::string singular_warning(double rcond) {
  return fmt::format(
      "the covariance of the pre-treatment estimates is singular (reciprocal condition number "
      "{:.1e}, at most the machine epsilon): no test statistic nor p-value is given, as R's did "
      "declines; fewer pre-treatment periods, or more units, make it testable",
      rcond);
}
std::optional<double> published(double v, bool publish) {
  return publish ? finite(v) : std::nullopt;
}

// A mean of firm figures, published when its support passes the primary rule.
std::optional<double> published_mean(double mean, const impact::MeanSupport& s) {
  return published(
      mean, secrecy::publishable(static_cast<size_t>(s.rows), s.abs_total, s.largest, kRule));
}

void step(const ImpactProgress* progress, double share, const std::string& stage) {
  if (progress && progress->report) progress->report(share, stage);
}
bool cancelled(const ImpactProgress* progress) {
  return progress && progress->cancelled && progress->cancelled();
}

Status bad_param(const std::string& name, const std::string& value, const std::string& rule) {
  return Status::invalid_argument(fmt::format("parameter '{}' value '{}': {}", name, value, rule));
}

// A parameter's value as given ("" when absent).
std::string given(const Args& a, const std::string& name) {
  const auto it = a.values().find(name);
  return it == a.values().end() ? "" : it->second;
}

// The method parameter, whose choices and default depend on the estimator.
Result<std::string> method_of(const Args& a, std::initializer_list<const char*> allowed,
                              const char* fallback) {
  const std::string& v = a.text("method");
  if (v.empty()) return std::string(fallback);
  std::string list;
  for (const char* m : allowed) {
    if (v == m) return v;
    list += (list.empty() ? "" : ", ") + std::string(m);
  }
  return bad_param("method", v, "must be one of " + list);
}

// The columns an estimation reads: given as parameters, or (on the store) the panel's defaults.
struct Columns {
  std::string outcome, unit, time, group, weights, treat;
  std::vector<std::string> covariates, x, fe, cluster;
  std::string formula;  // ols, ppml: replaces outcome, x and fe
  // The column that identifies firms, whose number a regression's figures rest on (secrecy):
  // "firm" on the store; empty for a user's data (its rows).
  std::string firms;
  // Heterogeneity: the variable asked (by=) and its column.
  std::string by, by_column;
};

// What a regression gives the heterogeneity test: its coefficients and their covariance.
struct FitCapture {
  std::vector<std::string> names;
  Eigen::VectorXd coef;
  Eigen::MatrixXd vcov;
  std::vector<char> used;  // the rows the regression used
};

// On the store, what each regressor rests on: for each column, the rows where it is not zero,
// and whether it is a 0/1 dummy (taken before the columns move into the estimation).
struct RegressorRows {
  std::vector<std::string> names;
  std::vector<std::vector<char>> nonzero;
  std::vector<char> dummy;
};
RegressorRows regressor_rows(const Columns& c, const std::vector<std::string>& names,
                             const std::vector<std::vector<double>>& x) {
  RegressorRows out;
  if (c.firms.empty()) return out;
  out.names = names;
  for (const auto& col : x) {
    std::vector<char> nz(col.size());
    bool dummy = true;
    for (size_t i = 0; i < col.size(); ++i) {
      nz[i] = col[i] != 0 && !std::isnan(col[i]);
      dummy = dummy && (col[i] == 0 || col[i] == 1 || std::isnan(col[i]));
    }
    out.nonzero.push_back(std::move(nz));
    out.dummy.push_back(dummy);
  }
  return out;
}

// The coefficients that rest on min_firms firms: those of the rows where their regressor is not
// zero (an i(firm) dummy is one firm's mean) and, for a dummy, of the rows where it is zero too.
Result<std::set<std::string>> supported(const Frame& f, const Columns& c, const RegressorRows& rr,
                                        const std::vector<char>& used) {
  std::set<std::string> out;
  if (c.firms.empty()) {
    out.insert(rr.names.begin(), rr.names.end());
    return out;
  }
  POLES_ASSIGN_OR_RETURN(const auto codes, f.codes(c.firms));
  std::vector<int> seen(static_cast<size_t>(codes.levels()), -1);
  for (size_t j = 0; j < rr.names.size(); ++j) {
    int64_t on = 0, off = 0;  // firms with a row where the regressor is not zero, and is zero
    std::fill(seen.begin(), seen.end(), 0);
    for (size_t i = 0; i < used.size(); ++i) {
      const int32_t k = codes.code[i];
      if (!used[i] || k < 0) continue;
      const int bit = rr.nonzero[j][i] ? 1 : 2;
      auto& s = seen[static_cast<size_t>(k)];
      if (s & bit) continue;
      s |= bit;
      (bit == 1 ? on : off) += 1;
    }
    if (enough_firms(on) && (!rr.dummy[j] || enough_firms(off))) out.insert(rr.names[j]);
  }
  return out;
}

// How many firms (distinct values of c.firms; rows without it) the used rows hold.
Result<int64_t> firms_used(const Frame& f, const Columns& c, const std::vector<char>& used,
                           int64_t rows) {
  if (c.firms.empty()) return rows;
  POLES_ASSIGN_OR_RETURN(const auto codes, f.codes(c.firms));
  std::vector<char> seen(static_cast<size_t>(codes.levels()), 0);
  int64_t n = 0;
  for (size_t i = 0; i < used.size() && i < codes.code.size(); ++i) {
    const int32_t k = codes.code[i];
    if (used[i] && k >= 0 && !seen[static_cast<size_t>(k)]) seen[static_cast<size_t>(k)] = 1, ++n;
  }
  return n;
}

// The coefficient of the first regressor (the treatment, treated_post, on the store's panel),
// found by name; none when it was dropped as collinear.
const ImpactCoefficient* first_regressor(const ImpactOls& out, const std::string& name) {
  for (const auto& b : out.coefficients)
    if (b.name == name) return &b;
  return nullptr;
}

// A list parameter's items, spaces left out ("log(a), b").
std::vector<std::string> items(const Args& a, const std::string& name) {
  std::vector<std::string> out;
  for (auto item : a.list(name)) {
    std::erase(item, ' ');
    if (!item.empty()) out.push_back(std::move(item));
  }
  return out;
}

Columns given_columns(const Args& a) {
  Columns c;
  c.outcome = a.text("outcome");
  c.unit = a.text("unit");
  c.time = a.text("time");
  c.group = a.text("group");
  c.weights = a.text("weights");
  c.treat = a.text("treat");
  c.covariates = items(a, "covariates");
  c.x = items(a, "x");
  c.fe = items(a, "fe");
  c.cluster = items(a, "cluster");
  c.formula = a.text("formula");
  c.by = c.by_column = a.text("by");
  return c;
}

// --- Callaway & Sant'Anna ---------------------------------------------------------------------
// influence: when given, receives each unit's term ψ_i / n in the overall ATT's expansion
// (θ̂ − θ ≈ Σ_i ψ_i / n), by unit identifier.
Result<ImpactDid> run_did(const Frame& f, const Args& a, const Columns& c,
                          const ImpactProgress* progress,
                          std::map<int64_t, double>* influence = nullptr) {
  if (c.outcome.empty() || c.unit.empty() || c.time.empty() || c.group.empty()) {
    return Status::invalid_argument(
        "the DiD needs outcome=, unit=, time= and group= (first treated period, 0 = never)");
  }
  if (c.cluster.size() > 1)
    return bad_param("cluster", given(a, "cluster"), "the DiD clusters on one variable");
  const std::string cluster = c.cluster.empty() ? "" : c.cluster.front();
  POLES_ASSIGN_OR_RETURN(const auto d, impact::did_input(f, {c.outcome, c.unit, c.time, c.group,
                                                             c.covariates, c.weights, cluster}));
  const std::string& control = a.text("control");
  const std::string& base = a.text("base");
  POLES_ASSIGN_OR_RETURN(const auto method, method_of(a, {"reg", "ipw", "dr"}, "dr"));
  impact::DidOptions opt;
  opt.control = control == "never" ? impact::ControlGroup::kNeverTreated
                                   : impact::ControlGroup::kNotYetTreated;
  opt.base = base == "varying" ? impact::BasePeriod::kVarying : impact::BasePeriod::kUniversal;
  opt.method = method == "reg"   ? impact::DidMethod::kRegression
               : method == "ipw" ? impact::DidMethod::kIpw
                                 : impact::DidMethod::kDoublyRobust;
  opt.anticipation = a.integer("anticipation");
  const std::string& panel = a.text("panel");
  opt.panel = panel == "pairs" ? impact::DidOptions::Panel::kPairs
              : panel == "rc"  ? impact::DidOptions::Panel::kRepeatedCrossSection
                               : impact::DidOptions::Panel::kBalanced;
  opt.progress = [progress](double share) {
    step(progress, 0.1 + 0.6 * share, "ATT(g,t)");
    return !cancelled(progress);
  };
  POLES_ASSIGN_OR_RETURN(const auto r, impact::att_gt(d, opt));
  impact::DidInferenceOptions io;
  io.bootstrap = a.integer("bootstrap");
  io.seed = static_cast<uint64_t>(a.integer("seed"));
  io.alpha = a.number("alpha");
  io.balance_e = a.opt_integer("balance_e");
  io.progress = [progress](double share, std::string_view stage) {
    step(progress, 0.7 + 0.25 * share, std::string(stage));
    return !cancelled(progress);
  };
  POLES_ASSIGN_OR_RETURN(const auto inf, impact::did_inference(r, io));
  if (influence) {
    POLES_ASSIGN_OR_RETURN(const auto simple, impact::aggregate(r, impact::Aggregation::kSimple));
    const auto n = static_cast<double>(r.units);
    for (size_t k = 0; k < r.unit_id.size(); ++k)
      (*influence)[r.unit_id[k]] = simple.influence(static_cast<Eigen::Index>(k)) / n;
  }

  ImpactDid out;
  out.outcome = c.outcome;
  out.options = {
      control,  base, method, opt.anticipation, d.covariate_names, io.bootstrap, a.integer("seed"),
      io.alpha, {},   panel};
  out.data = {r.units, r.dropped_units, r.periods, r.groups, static_cast<int64_t>(f.rows()), {}};
  if (!cluster.empty()) {
    out.options.cluster = cluster;
    out.data.clusters = r.clusters;
  }
  int masked = 0;
  for (size_t k = 0; k < r.cells.size(); ++k) {
    const auto& x = r.cells[k];
    const auto& ci = inf.cells[k];
    const bool publish = x.reference || (enough_firms(x.treated) && enough_firms(x.controls));
    masked += !publish;
    ImpactDidCell cell;
    cell.g = x.g;
    cell.t = x.t;
    cell.e = x.t - x.g;
    cell.post = x.post;
    cell.reference = x.reference;
    if (publish) {
      cell.treated = x.treated;
      cell.controls = x.controls;
    }
    cell.estimate = published(ci.ci.estimate, publish);
    cell.se = published(ci.ci.se, publish);
    cell.ci_low = published(ci.ci.low, publish);
    cell.ci_high = published(ci.ci.high, publish);
    cell.band_low = published(ci.band_low, publish);
    cell.band_high = published(ci.band_high, publish);
    out.cells.push_back(cell);
  }
  out.uniform_critical_value = finite(inf.critical_value);
  // The pre-test rests on every pre-treatment cell: with one masked it could give its |t|.
  bool pre_published = true;
  for (const auto& cell : out.cells)
    pre_published = pre_published && (cell.post || cell.reference || cell.estimate);
  out.pretest = {published(r.pretest_stat, pre_published),
                 r.pretest_df,
                 r.pretest_df > 0 ? published(r.pretest_p, pre_published) : std::nullopt,
                 {}};
  if (r.pretest_singular) out.pretest.warning = singular_warning(r.pretest_rcond);
  // An aggregation's figure is published only when every ATT(g,t) it averages is: with the
  // other cells and the published counts, it would give a masked one (a cohort of one firm in a
  // subset of the panel is that firm's effect).
  const auto cells_published = [&](auto keep) {
    for (const auto& cell : out.cells) {
      if (keep(cell) && !cell.reference && !cell.estimate) return false;
    }
    return true;
  };
  const bool post_published = cells_published([](const ImpactDidCell& x) { return x.post; });
  auto overall = [](const impact::Interval& i, bool publish) {
    return ImpactDidOverall{published(i.estimate, publish), published(i.se, publish),
                            published(i.low, publish), published(i.high, publish)};
  };
  auto aggregation = [&](const impact::DidAggregateInference& g, auto term_cells) {
    const auto o = overall(g.overall, post_published);
    ImpactDidAggregation agg{o.estimate, o.se, o.ci_low, o.ci_high, {}, finite(g.critical_value)};
    for (const auto& t : g.terms) {
      const auto& i = t.interval;
      const bool publish =
          cells_published([&](const ImpactDidCell& x) { return term_cells(x, t.key); });
      agg.terms.push_back({t.key, published(i.ci.estimate, publish), published(i.ci.se, publish),
                           published(i.ci.low, publish), published(i.ci.high, publish),
                           published(i.band_low, publish), published(i.band_high, publish)});
    }
    return agg;
  };
  for (const auto& g : inf.aggregations) {
    switch (g.type) {
      case impact::Aggregation::kSimple:
        out.aggregations.simple = overall(g.overall, post_published);
        break;
      case impact::Aggregation::kDynamic:
        out.aggregations.dynamic =
            aggregation(g, [](const ImpactDidCell& x, int e) { return x.e == e; });
        break;
      case impact::Aggregation::kGroup:
        out.aggregations.group =
            aggregation(g, [](const ImpactDidCell& x, int k) { return x.post && x.g == k; });
        break;
      case impact::Aggregation::kCalendar:
        out.aggregations.calendar =
            aggregation(g, [](const ImpactDidCell& x, int t) { return x.post && x.t == t; });
        break;
    }
  }
  out.secrecy = {kRule.min_firms, masked};
  const auto& s = out.aggregations.simple;
  out.reading = read_estimate(out.outcome, false, "simple", s.estimate, s.ci_low, s.ci_high);
  return out;
}

// --- OLS with fixed effects -----------------------------------------------------------------
// The small-sample conventions of the OLS errors (fixest's ssc()): the preset's, then each
// setting given. fixest (= Stata's reghdfe and xtreg, fe); lm (lm with dummies and sandwich's
// vcovCL HC1, = Stata's areg); plm (its within model: iid on the full K, clustered as vcovHC's
// HC0); lfe (felm); none.
Result<ImpactSsc> apply_ssc(const Args& a, impact::VcovSpec& v) {
  ImpactSsc s{a.text("ssc").empty() ? "fixest" : a.text("ssc"), true, "nested", true, "min", "min"};
  if (s.preset == "lm") {
    s.fixef_k = "full";
    s.t_df = "conventional";
  } else if (s.preset == "plm") {
    s.adj = v.kind == impact::VcovKind::kIid;
    s.fixef_k = "full";
    s.cluster_adj = false;
    s.t_df = "conventional";
  } else if (s.preset == "lfe") {
    // lfe counts one per fixed effect not nested in the clustered adjustment, all of their
    // levels in the residual variance (iid, robust).
    s.fixef_k = v.kind == impact::VcovKind::kCluster ? "dimensions" : "full";
    s.cluster_df = "conventional";
  } else if (s.preset == "none") {
    s.adj = s.cluster_adj = false;
  }
  if (!a.text("ssc_adj").empty()) s.adj = a.text("ssc_adj") == "on";
  if (!a.text("ssc_cluster_adj").empty()) s.cluster_adj = a.text("ssc_cluster_adj") == "on";
  for (auto [name, slot] :
       {std::pair{"ssc_fixef_k", &s.fixef_k}, std::pair{"ssc_cluster_df", &s.cluster_df},
        std::pair{"ssc_t_df", &s.t_df}}) {
    if (!a.text(name).empty()) *slot = a.text(name);
  }
  v.adjust = s.adj;
  v.cluster_adjust = s.cluster_adj;
  v.fixef_k = s.fixef_k == "full"         ? impact::FixedEffectCount::kFull
              : s.fixef_k == "none"       ? impact::FixedEffectCount::kNone
              : s.fixef_k == "dimensions" ? impact::FixedEffectCount::kDimensions
                                          : impact::FixedEffectCount::kNested;
  v.cluster_df_min = s.cluster_df == "min";
  v.t_df = s.t_df == "normal"         ? impact::VcovSpec::TDf::kNormal
           : s.t_df == "conventional" ? impact::VcovSpec::TDf::kConventional
                                      : impact::VcovSpec::TDf::kMin;
  return s;
}

// Whether any small-sample setting is given (the Poisson regression has its own).
bool ssc_given(const Args& a) {
  for (const char* name :
       {"ssc", "ssc_adj", "ssc_fixef_k", "ssc_cluster_adj", "ssc_cluster_df", "ssc_t_df"})
    if (!a.text(name).empty()) return true;
  return false;
}

// The outcome, regressors, fixed effects and variance of a regression (impact::OlsInput or
// impact::PoissonInput) from the frame's columns; returns the variance's name.
template <class Input>
Result<std::string> regression_input(const Frame& f, const Args& a, const Columns& c, Input& in) {
  if (!c.formula.empty()) {
    if (!c.x.empty() || !c.fe.empty() || !c.outcome.empty())
      return bad_param("formula", c.formula, "the formula replaces outcome=, x= and fe=");
    POLES_ASSIGN_OR_RETURN(auto m, impact::model_columns(f, c.formula));
    in.y_name = std::move(m.y_name);
    in.y = std::move(m.y);
    in.x_names = std::move(m.x_names);
    in.x = std::move(m.x);
    in.fe = std::move(m.fe);
  } else {
    in.y_name = c.outcome;
    if (in.y_name.empty())
      return Status::invalid_argument("the regression needs outcome= (or formula=)");
    POLES_ASSIGN_OR_RETURN(in.y, f.numeric(in.y_name));
    for (const auto& x : c.x) {
      in.x_names.push_back(x);
      POLES_ASSIGN_OR_RETURN(auto col, f.numeric(x));
      in.x.push_back(std::move(col));
    }
    for (const auto& fe : c.fe) {
      POLES_ASSIGN_OR_RETURN(auto e, impact::fixed_effect(f, fe));
      in.fe.push_back(std::move(e));
    }
  }
  if (in.x.empty())
    return Status::invalid_argument("the regression needs x= (one or more regressors)");
  std::string vcov = a.text("vcov");
  if (vcov.empty()) vcov = c.cluster.empty() ? "iid" : "cluster";
  in.vcov.kind = vcov == "iid"      ? impact::VcovKind::kIid
                 : vcov == "hetero" ? impact::VcovKind::kHetero
                                    : impact::VcovKind::kCluster;
  if (in.vcov.kind == impact::VcovKind::kCluster) {
    // Names (a,b) or fixest's ~a + b, a^b a combined cluster.
    std::string spec;
    for (const auto& name : c.cluster) spec += (spec.empty() ? "" : " + ") + name;
    if (!spec.empty()) {
      POLES_ASSIGN_OR_RETURN(in.vcov.clusters, impact::cluster_columns(f, spec));
    }
    if (in.vcov.clusters.empty() || in.vcov.clusters.size() > 2)
      return bad_param("cluster", given(a, "cluster"), "one or two cluster variables");
  }
  return vcov;
}

Result<ImpactOls> run_ols(const Frame& f, const Args& a, const Columns& c,
                          FitCapture* capture = nullptr) {
  impact::OlsInput in;
  POLES_ASSIGN_OR_RETURN(const std::string vcov, regression_input(f, a, c, in));
  if (!c.weights.empty()) {
    POLES_ASSIGN_OR_RETURN(in.weights, f.numeric(c.weights));
  }
  in.drop_singletons = a.integer("keep_singletons") == 0;
  ImpactOls out;
  POLES_ASSIGN_OR_RETURN(out.ssc, apply_ssc(a, in.vcov));
  out.outcome = in.y_name;
  const std::string first = in.x_names.front();
  for (const auto& e : in.fe) out.fixed_effects.push_back({e.name, e.levels});
  const RegressorRows rows_of = regressor_rows(c, in.x_names, in.x);
  POLES_ASSIGN_OR_RETURN(const auto r, impact::feols(std::move(in)));
  if (capture) *capture = {r.names, r.coef, r.vcov, r.used};
  const auto ci = impact::coefficient_intervals(r);
  POLES_ASSIGN_OR_RETURN(const int64_t firms, firms_used(f, c, r.used, r.n));
  const bool fit_published = enough_firms(firms);
  POLES_ASSIGN_OR_RETURN(const auto support, supported(f, c, rows_of, r.used));
  for (size_t j = 0; j < r.names.size(); ++j) {
    const auto k = static_cast<Eigen::Index>(j);
    const bool publish = fit_published && (c.firms.empty() || support.contains(r.names[j]));
    out.coefficients.push_back({r.names[j], published(ci[j].estimate, publish),
                                published(ci[j].se, publish), published(ci[j].low, publish),
                                published(ci[j].high, publish), published(r.t(k), publish),
                                published(r.p(k), publish)});
  }
  out.collinear = r.collinear;
  out.vcov = vcov;
  out.clusters = c.cluster;
  out.n = r.n;
  out.singletons = r.singletons;
  out.missing = r.missing;
  out.df_t = finite(r.df_t);
  // The fit describes the rows' dispersion: published with the regression's firms.
  out.rmse = published(r.rmse, fit_published);
  out.r2 = published(r.r2, fit_published);
  out.adj_r2 = published(r.adj_r2, fit_published);
  out.within_r2 = published(r.within_r2, fit_published);
  out.demeaning = {r.demeaning.iterations, r.demeaning.used_cg};
  out.data.rows = static_cast<int64_t>(f.rows());
  if (const auto* b = first_regressor(out, first)) {
    out.reading = read_estimate(out.outcome, false, b->name, b->estimate, b->ci_low, b->ci_high);
  }
  return out;
}

// --- PPML: Poisson with fixed effects (counts: patents) ---------------------------------------
Result<ImpactOls> run_ppml(const Frame& f, const Args& a, const Columns& c,
                           FitCapture* capture = nullptr) {
  impact::PoissonInput in;
  POLES_ASSIGN_OR_RETURN(const std::string vcov, regression_input(f, a, c, in));
  if (!c.weights.empty())
    return bad_param("weights", c.weights, "the Poisson regression takes no weights");
  if (ssc_given(a))
    return bad_param(
        "ssc", a.text("ssc"),
        "the Poisson regression's errors follow sandwich's convention (HC0, G/(G − 1))");
  ImpactOls out;
  out.estimator = "ppml";
  out.outcome = in.y_name;
  const std::string first = in.x_names.front();
  for (const auto& e : in.fe) out.fixed_effects.push_back({e.name, e.levels});
  const RegressorRows rows_of = regressor_rows(c, in.x_names, in.x);
  POLES_ASSIGN_OR_RETURN(const auto r, impact::fepois(std::move(in)));
  if (capture) *capture = {r.names, r.coef, r.vcov, r.used};
  POLES_ASSIGN_OR_RETURN(const int64_t firms, firms_used(f, c, r.used, r.n));
  const bool fit_published = enough_firms(firms);
  POLES_ASSIGN_OR_RETURN(const auto support, supported(f, c, rows_of, r.used));
  constexpr double kZ = 1.959963984540054;  // the normal's 97.5 % quantile: z tests
  for (size_t j = 0; j < r.names.size(); ++j) {
    const auto k = static_cast<Eigen::Index>(j);
    const bool publish = fit_published && (c.firms.empty() || support.contains(r.names[j]));
    out.coefficients.push_back(
        {r.names[j], published(r.coef(k), publish), published(r.se(k), publish),
         published(r.coef(k) - kZ * r.se(k), publish), published(r.coef(k) + kZ * r.se(k), publish),
         published(r.z(k), publish), published(r.p(k), publish)});
  }
  out.collinear = r.collinear;
  out.vcov = vcov;
  out.clusters = c.cluster;
  out.n = r.n;
  out.missing = r.missing;
  if (fit_published) {  // the fit describes the rows: published with the regression's firms
    out.deviance = r.deviance;
    out.pseudo_r2 = r.pseudo_r2;
  }
  out.perfect_fit = r.perfect_fit;
  out.iterations = r.iterations;
  out.data.rows = static_cast<int64_t>(f.rows());
  if (const auto* b = first_regressor(out, first)) {  // log points: a Poisson model's coefficients
    out.reading = read_estimate(out.outcome, true, b->name, b->estimate, b->ci_low, b->ci_high);
  }
  return out;
}

// --- Event study ---------------------------------------------------------------------------
// The columns every event study reads (impact::EventStudyInput or SunAbrahamInput): outcome,
// unit and period effects, time, group, and the leads, lags and reference.
template <class Input>
Status event_input(const Frame& f, const Args& a, const Columns& c, Input& in) {
  if (c.outcome.empty() || c.unit.empty() || c.time.empty() || c.group.empty())
    return Status::invalid_argument("the event study needs outcome=, unit=, time= and group=");
  POLES_ASSIGN_OR_RETURN(in.y, f.numeric(c.outcome));
  POLES_ASSIGN_OR_RETURN(in.unit, impact::fixed_effect(f, c.unit));
  POLES_ASSIGN_OR_RETURN(in.period, impact::fixed_effect(f, c.time));
  POLES_ASSIGN_OR_RETURN(in.time, f.numeric(c.time));
  POLES_ASSIGN_OR_RETURN(in.group, f.numeric(c.group));
  in.leads = a.integer("leads");
  in.lags = a.integer("lags");
  in.reference = a.integer("reference");
  in.alpha = a.number("alpha");
  in.seed = static_cast<uint64_t>(a.integer("seed"));
  return Status::ok();
}

// An event-time coefficient as published (null figures, no row count, when masked).
ImpactEventTerm event_term(const impact::EventTerm& t, bool publish, bool reference) {
  ImpactEventTerm term;
  term.e = t.e;
  term.estimate = published(t.coef, publish);
  term.se = published(t.se, publish);
  term.ci_low = published(t.ci_low, publish);
  term.ci_high = published(t.ci_high, publish);
  term.band_low = published(t.band_low, publish);
  term.band_high = published(t.band_high, publish);
  if (publish) term.rows = t.rows;
  term.reference = reference;
  return term;
}

ImpactPretrend pretrend_of(const impact::Wald& w, bool publish) {
  ImpactPretrend p{
      published(w.f, publish), w.df, w.df > 0 ? published(w.p_f, publish) : std::nullopt, {}};
  if (w.singular) p.warning = singular_warning(w.rcond);
  return p;
}

Result<ImpactEvent> run_event(const Frame& f, const Args& a, const Columns& c) {
  impact::EventStudyInput in;
  POLES_RETURN_IF_ERROR(event_input(f, a, c, in));
  ImpactEvent out;
  POLES_ASSIGN_OR_RETURN(out.ssc, apply_ssc(a, in.vcov));
  POLES_ASSIGN_OR_RETURN(const auto r, impact::event_study(in));
  out.outcome = c.outcome;
  int masked = 0;
  for (const auto& t : r.terms) {
    const bool reference = t.e == in.reference;
    // On its firms, not its rows: a binned end holds several rows of each firm.
    const bool publish = reference || enough_firms(t.units);
    masked += !publish;
    out.terms.push_back(event_term(t, publish, reference));
  }
  bool leads_published = true;
  for (const auto& t : out.terms)
    leads_published = leads_published && (t.e >= 0 || t.reference || t.estimate);
  out.pretrend = pretrend_of(r.pretrend, leads_published);
  out.uniform_critical_value = finite(r.uniform_critical_value);
  out.n = r.fit.n;
  out.clusters = r.fit.clusters;
  out.secrecy = {kRule.min_firms, masked};
  out.data.rows = static_cast<int64_t>(f.rows());
  return out;
}

// Sun & Abraham: a cohort's effect is published on min_firms firms; an average (a relative
// period's, the ATT) only when every effect it averages is.
Result<ImpactEvent> run_sunab(const Frame& f, const Args& a, const Columns& c) {
  impact::SunAbrahamInput in;
  POLES_RETURN_IF_ERROR(event_input(f, a, c, in));
  if (!c.weights.empty()) {
    POLES_ASSIGN_OR_RETURN(in.weights, f.numeric(c.weights));
  }
  ImpactEvent out;
  POLES_ASSIGN_OR_RETURN(out.ssc, apply_ssc(a, in.vcov));
  POLES_ASSIGN_OR_RETURN(const auto r, impact::sun_abraham(in));
  out.estimator = "sunab";
  out.outcome = c.outcome;
  int masked = 0;
  std::map<int, bool> period_published;  // every cohort effect at e published
  bool att_published = true, leads_published = true;
  std::vector<ImpactCohortEffect> cohorts;
  for (const auto& x : r.cells) {
    const bool publish = enough_firms(x.units);
    masked += !publish;
    auto [it, fresh] = period_published.emplace(x.e, true);
    it->second = it->second && publish;
    if (x.e >= 0) att_published = att_published && publish;
    // A masked effect's weight is masked too (with its neighbours' rows it gives its rows).
    cohorts.push_back({x.g, x.e, published(x.coef, publish), published(x.se, publish),
                       publish ? std::optional<int64_t>(x.rows) : std::nullopt,
                       publish ? std::optional<int64_t>(x.units) : std::nullopt,
                       published(x.weight, publish)});
    leads_published = leads_published && (x.e >= 0 || publish);
  }
  for (const auto& t : r.terms) {
    const bool reference = t.e == in.reference;
    const auto p = period_published.find(t.e);
    const bool publish =
        reference || (enough_firms(t.units) && p != period_published.end() && p->second);
    masked += !publish;
    out.terms.push_back(event_term(t, publish, reference));
  }
  att_published = att_published && enough_firms(r.att.units);
  out.att = ImpactDidOverall{
      published(r.att.coef, att_published), published(r.att.se, att_published),
      published(r.att.ci_low, att_published), published(r.att.ci_high, att_published)};
  out.cohorts = std::move(cohorts);
  out.control_cohort = r.control_cohort;
  out.dropped_always_treated = r.dropped_always_treated;
  // The leads' joint test rests on every lead: with one masked it could give its |t|.
  out.pretrend = pretrend_of(r.pretrend, leads_published);
  out.uniform_critical_value = finite(r.uniform_critical_value);
  out.n = r.fit.n;
  out.clusters = r.fit.clusters;
  out.secrecy = {kRule.min_firms, masked};
  out.data.rows = static_cast<int64_t>(f.rows());
  out.reading =
      read_estimate(c.outcome, false, "att", out.att->estimate, out.att->ci_low, out.att->ci_high);
  return out;
}

// --- Matching -------------------------------------------------------------------------------
Result<ImpactMatch> run_match(const Frame& f, const Args& a, const Columns& c) {
  if (c.treat.empty()) return Status::invalid_argument("matching needs treat= (a 0/1 column)");
  if (c.covariates.empty()) return Status::invalid_argument("matching needs covariates=");
  POLES_ASSIGN_OR_RETURN(const auto sample,
                         impact::match_sample(f, c.treat, c.covariates, c.outcome));
  const auto& cov = sample.covariates;
  POLES_ASSIGN_OR_RETURN(const auto method, method_of(a, {"nearest", "exact", "cem"}, "nearest"));
  impact::Matching m;
  if (method == "nearest") {
    impact::NearestOptions o;
    o.ratio = a.integer("ratio");
    o.replace = a.integer("replace") == 1;
    o.caliper = a.opt_number("caliper");
    o.distance = a.text("distance") == "ps" ? impact::DistanceScale::kPropensity
                                            : impact::DistanceScale::kLogit;
    POLES_ASSIGN_OR_RETURN(m, impact::nearest_neighbour(cov.model, sample.treat, o));
  } else if (method == "exact") {
    POLES_ASSIGN_OR_RETURN(m, impact::exact_match(cov.display, sample.treat));
  } else {
    POLES_ASSIGN_OR_RETURN(m, impact::coarsened_exact_match(cov.display, cov.binary, sample.treat));
  }
  ImpactMatch out;
  out.method = method;
  out.treat = c.treat;
  out.covariates = c.covariates;
  out.treated = m.treated;
  out.controls = m.controls;
  out.treated_matched = m.treated_matched;
  out.controls_matched = m.controls_matched;
  out.caliper_width = finite(m.caliper_width);
  for (const auto& b : impact::balance(cov, m.distance, sample.treat, m.weights)) {
    out.balance.push_back({b.name, b.binary, published_mean(b.mean_treated, b.treated_support),
                           published_mean(b.mean_control, b.control_support), finite(b.smd),
                           published(b.variance_ratio, !b.binary),
                           published_mean(b.matched_mean_treated, b.matched_treated_support),
                           published_mean(b.matched_mean_control, b.matched_control_support),
                           finite(b.matched_smd), published(b.matched_variance_ratio, !b.binary)});
  }
  if (!sample.outcome.empty()) {
    POLES_ASSIGN_OR_RETURN(const auto att, impact::matched_att(sample.outcome, sample.treat, m));
    const bool publish = enough_firms(m.treated_matched) && enough_firms(m.controls_matched);
    out.outcome = c.outcome;
    out.att = ImpactMatchAtt{
        published(att.att.estimate, publish), published(att.att.se, publish),
        published(att.att.low, publish), published(att.att.high, publish),
        att.clustered_by_set ? "clustered by matched set" : "heteroskedasticity-robust (HC1)"};
    out.reading = read_estimate(c.outcome, false, "att", out.att->estimate, out.att->ci_low,
                                out.att->ci_high);
  }
  out.data.rows = static_cast<int64_t>(f.rows());
  return out;
}

// --- by: heterogeneity across groups -------------------------------------------------------------

constexpr int kMaxGroups = 100;
// The interaction's columns: groups × rows at most (as a formula's values).
constexpr double kMaxInteractionValues = 20e6;

// The parameters of a side estimation (a group's, a robustness check's): the overall one's with
// analytic errors, neither by= nor robustness=, and `over` set.
Result<Args> side_args(const Args& a, const Params& over) {
  Params values = a.values();
  values["bootstrap"] = "0";
  values.erase("by");
  values.erase("by_mode");
  values.erase("robustness");
  for (const auto& [k, v] : over) values[k] = v;
  return parse(impact_params(), values);
}
// A side estimation's progress: no share of its own, the overall one's cancellation.
ImpactProgress side_progress(const ImpactProgress* progress) {
  ImpactProgress inner;
  if (progress) inner.cancelled = progress->cancelled;
  return inner;
}

// The Wald test that the estimates `theta` (covariance v) are equal: the contrasts of each with
// the first, of covariance D V D'.
ImpactEquality equality_test(const std::vector<double>& theta, const Eigen::MatrixXd& v,
                             std::vector<std::string> left_out) {
  ImpactEquality e;
  e.left_out = std::move(left_out);
  const auto k = static_cast<Eigen::Index>(theta.size());
  if (k < 2) {
    e.reason = "fewer_than_two";
    e.warning =
        "fewer than two groups have a published estimate with its error: there is "
        "nothing to compare";
    return e;
  }
  Eigen::MatrixXd d = Eigen::MatrixXd::Zero(k - 1, k);
  Eigen::VectorXd diff(k - 1);
  std::vector<int> all;
  for (Eigen::Index j = 1; j < k; ++j) {
    d(j - 1, 0) = -1;
    d(j - 1, j) = 1;
    diff(j - 1) = theta[static_cast<size_t>(j)] - theta[0];
    all.push_back(static_cast<int>(j - 1));
  }
  const auto w =
      impact::wald_test(diff, d * v * d.transpose(), all, 1e9);  // chi-square (1e9: no F)
  e.df = w.df;
  if (w.singular) {
    e.reason = "singular";
    e.warning = fmt::format(
        "the covariance of the groups' estimates is singular (reciprocal condition number "
        "{:.1e}): no test statistic nor p-value",
        w.rcond);
    return e;
  }
  e.stat = finite(w.stat);
  e.p = finite(w.p);
  return e;
}

// The groups of c.by_column (at most kMaxGroups). On a panel a unit's group is its value in its
// first period (a firm that changes region would otherwise be in two groups, and in neither
// group's balanced panel). Rows in no group: the never-treated (c.group 0) are every group's
// controls (shared: by cohort, by pôle); the treated are dropped (dropped), as their effect
// belongs to no group.
struct ByGroups {
  impact::Codes groups;
  std::vector<char> shared, dropped;
  bool any_shared = false;
};
Result<ByGroups> by_groups(const Frame& f, const Columns& c) {
  auto g = f.codes(c.by_column);
  if (!g.has_value()) return bad_param("by", c.by, g.error().message());
  if (!c.unit.empty() && !c.time.empty() && f.find(c.unit) && f.find(c.time)) {
    POLES_ASSIGN_OR_RETURN(const auto unit, f.numeric(c.unit));
    POLES_ASSIGN_OR_RETURN(const auto time, f.numeric(c.time));
    std::map<double, std::pair<double, int32_t>> first;  // unit -> (time, group) of its first row
    for (size_t i = 0; i < f.rows(); ++i) {
      auto [it, added] = first.try_emplace(unit[i], time[i], g->code[i]);
      if (!added && time[i] < it->second.first) it->second = {time[i], g->code[i]};
    }
    for (size_t i = 0; i < f.rows(); ++i) g->code[i] = first[unit[i]].second;
  }
  if (c.by_column == c.group) {
    // The never-treated (0) are no cohort.
    for (size_t k = 0; k < g->labels.size(); ++k) {
      if (g->labels[k] != "0") continue;
      for (auto& code : g->code) code = code == static_cast<int32_t>(k) ? -1 : code;
    }
  }
  if (g->levels() > kMaxGroups)
    return bad_param("by", c.by,
                     fmt::format("{} groups; at most {} can be compared", g->levels(), kMaxGroups));
  ByGroups out{std::move(*g), std::vector<char>(f.rows(), 0), std::vector<char>(f.rows(), 0),
               false};
  if (!c.group.empty() && f.find(c.group)) {
    POLES_ASSIGN_OR_RETURN(const auto g0, f.numeric(c.group));
    for (size_t i = 0; i < f.rows(); ++i) {
      if (out.groups.code[i] >= 0) continue;
      out.shared[i] = g0[i] == 0;
      out.dropped[i] = g0[i] != 0;
      out.any_shared = out.any_shared || out.shared[i];
    }
  }
  return out;
}

// The identifier of each row's firm: c.firms (the store), else the unit, else the row.
Result<std::vector<double>> firm_ids(const Frame& f, const Columns& c) {
  const std::string& id = !c.firms.empty() ? c.firms : c.unit;
  if (!id.empty() && f.find(id)) return f.numeric(id);
  std::vector<double> rows(f.rows());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<double>(i);
  return rows;
}

// A group's figures masked (secondary suppression).
void mask(ImpactGroup& g) {
  g.rows = g.estimate = g.se = g.ci_low = g.ci_high = std::nullopt;
  g.reading.value = g.reading.low = g.reading.high = std::nullopt;
  g.reading.conclusive = std::nullopt;
}

// The groups of a fit, before the test: each group's treated firms, whether its estimate is
// shown and, when it has an error too, its place in theta and v (tested).
struct ByFit {
  ImpactBy by;
  std::vector<std::set<double>> treated;  // firms whose treated rows the group's estimate uses
  std::vector<std::optional<size_t>> tested;
  std::vector<double> theta;
  Eigen::MatrixXd v;
  // The treated firms in no group (left out of every group, in the overall estimate): hidden too.
  std::set<double> ungrouped;
};

// Secondary suppression, then the test. The groups whose estimate is not shown would come back
// from the overall estimate and the shown ones (an overall effect is a weighted mean of the
// groups'): their union must itself pass the rule (`protected_union`, given the hidden groups),
// else the shown group with the fewest treated firms is hidden too, until it does.
template <class Check>
Result<ImpactBy> conclude(ByFit fit, Check protected_union) {
  auto& groups = fit.by.groups;
  std::vector<char> hidden(groups.size());
  for (size_t g = 0; g < groups.size(); ++g) hidden[g] = !groups[g].estimate.has_value();
  for (size_t round = 0; round < groups.size(); ++round) {
    bool any = !fit.ungrouped.empty();
    for (size_t g = 0; g < groups.size(); ++g) any = any || (hidden[g] && !fit.treated[g].empty());
    if (!any) break;
    POLES_ASSIGN_OR_RETURN(const bool ok, protected_union(hidden));
    if (ok) break;
    std::optional<size_t> smallest;
    for (size_t g = 0; g < groups.size(); ++g) {
      if (hidden[g]) continue;
      if (!smallest || fit.treated[g].size() < fit.treated[*smallest].size()) smallest = g;
    }
    if (!smallest) break;
    hidden[*smallest] = 1;
    mask(groups[*smallest]);
  }
  std::vector<double> theta;
  std::vector<Eigen::Index> index;
  std::vector<std::string> left_out;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (hidden[g] || !fit.tested[g]) {
      left_out.push_back(groups[g].key);
      continue;
    }
    theta.push_back(fit.theta[*fit.tested[g]]);
    index.push_back(static_cast<Eigen::Index>(*fit.tested[g]));
  }
  const auto k = static_cast<Eigen::Index>(index.size());
  Eigen::MatrixXd v(k, k);
  for (Eigen::Index p = 0; p < k; ++p)
    for (Eigen::Index q = 0; q < k; ++q)
      v(p, q) = fit.v(index[static_cast<size_t>(p)], index[static_cast<size_t>(q)]);
  fit.by.equality = equality_test(theta, v, std::move(left_out));
  return std::move(fit.by);
}

// The treatment (the first regressor) interacted with each group's dummy, in one regression with
// the same fixed effects and errors: the groups' effects and their joint covariance. The treated
// rows in no group are left out (in the regression they would be controls).
Result<ImpactBy> by_interaction(const Frame& f, const Args& a, const Columns& c, const ByGroups& bg,
                                bool poisson) {
  if (!c.formula.empty())
    return bad_param("by", c.by,
                     "with a formula, write the interaction in it: i(variable, treatment)");
  if (c.x.empty())
    return Status::invalid_argument("the regression needs x= (one or more regressors)");
  if (static_cast<double>(bg.groups.levels()) * static_cast<double>(f.rows()) >
      kMaxInteractionValues)
    return bad_param("by", c.by,
                     fmt::format("{} groups × {} rows: at most {:.0f} values", bg.groups.levels(),
                                 f.rows(), kMaxInteractionValues));
  POLES_ASSIGN_OR_RETURN(const auto treat_all, f.numeric(c.x.front()));
  std::vector<char> keep(f.rows(), 1);
  POLES_ASSIGN_OR_RETURN(const auto all_ids, firm_ids(f, c));
  std::set<double> ungrouped;
  for (size_t i = 0; i < f.rows(); ++i) {
    const bool treated = treat_all[i] != 0 && !std::isnan(treat_all[i]);
    keep[i] = !bg.dropped[i] && !(bg.groups.code[i] < 0 && treated);
    if (bg.groups.code[i] < 0 && treated) ungrouped.insert(all_ids[i]);
  }
  Frame g = f.subset(keep);
  std::vector<int32_t> code;
  for (size_t i = 0; i < f.rows(); ++i)
    if (keep[i]) code.push_back(bg.groups.code[i]);
  POLES_ASSIGN_OR_RETURN(const auto treat, g.numeric(c.x.front()));
  POLES_ASSIGN_OR_RETURN(const auto ids, firm_ids(g, c));
  Columns gc = c;
  gc.x.erase(gc.x.begin());
  std::vector<std::string> names;
  std::vector<int64_t> rows;
  std::vector<std::vector<char>> on;  // the rows of each group's treatment
  for (int32_t k = 0; k < bg.groups.levels(); ++k) {
    std::vector<double> col(g.rows(), 0);
    std::vector<char> nz(g.rows(), 0);
    int64_t n = 0;
    for (size_t i = 0; i < g.rows(); ++i) {
      if (code[i] != k) continue;
      col[i] = treat[i];
      nz[i] = treat[i] != 0 && !std::isnan(treat[i]);
      n += nz[i];
    }
    if (n == 0) continue;  // a group without a treated row has no effect to estimate
    names.push_back(
        fmt::format("{}:{}::{}", c.x.front(), c.by, bg.groups.labels[static_cast<size_t>(k)]));
    rows.push_back(n);
    on.push_back(std::move(nz));
    g.add_numeric(names.back(), std::move(col));
  }
  gc.x.insert(gc.x.begin(), names.begin(), names.end());
  FitCapture cap;
  POLES_ASSIGN_OR_RETURN(const ImpactOls r,
                         poisson ? run_ppml(g, a, gc, &cap) : run_ols(g, a, gc, &cap));
  ByFit fit;
  fit.by = ImpactBy{c.by, "interaction", c.x.front(), true, {}, {}, 0};
  fit.ungrouped = ungrouped;
  std::vector<Eigen::Index> index;
  for (size_t j = 0; j < names.size(); ++j) {
    ImpactGroup grp;
    grp.key = names[j].substr(names[j].rfind("::") + 2);
    const ImpactCoefficient* b = first_regressor(r, names[j]);
    const auto at = std::find(cap.names.begin(), cap.names.end(), names[j]);
    std::set<double> firms;
    for (size_t i = 0; i < g.rows(); ++i)
      if (on[j][i] && (cap.used.empty() || cap.used[i])) firms.insert(ids[i]);
    fit.treated.push_back(std::move(firms));
    std::optional<size_t> tested;
    if (!b) {
      grp.note = "collinear";
    } else {
      grp.estimate = b->estimate;
      grp.se = b->se;
      grp.ci_low = b->ci_low;
      grp.ci_high = b->ci_high;
      if (b->estimate) grp.rows = rows[j];
      if (b->estimate && b->se && at != cap.names.end()) {
        tested = fit.theta.size();
        fit.theta.push_back(*b->estimate);
        index.push_back(at - cap.names.begin());
      }
    }
    fit.tested.push_back(tested);
    grp.reading =
        read_estimate(r.outcome, poisson, c.x.front(), grp.estimate, grp.ci_low, grp.ci_high);
    fit.by.groups.push_back(std::move(grp));
  }
  const auto k = static_cast<Eigen::Index>(index.size());
  fit.v.resize(k, k);
  for (Eigen::Index p = 0; p < k; ++p)
    for (Eigen::Index q = 0; q < k; ++q)
      fit.v(p, q) = cap.vcov(index[static_cast<size_t>(p)], index[static_cast<size_t>(q)]);
  // The hidden groups' treated firms together, among the rows the regression used.
  const auto treated = fit.treated;
  return conclude(std::move(fit), [&](const std::vector<char>& hidden) -> Result<bool> {
    std::set<double> all = ungrouped;
    for (size_t j = 0; j < hidden.size(); ++j)
      if (hidden[j]) all.insert(treated[j].begin(), treated[j].end());
    return enough_firms(static_cast<int64_t>(all.size()));
  });
}

// Each group's own estimation (did, sunab, match) on its rows and the shared never-treated rows;
// the headline of each (the overall ATT), with analytic errors (the test's).
// main_groups: the DiD's cohorts in the overall estimate (a cohort treated from the first period,
// or after the last, is not: its firms are not the overall effect's treated).
Result<ImpactBy> by_split(const Frame& f, const Args& a, const Columns& c, const ByGroups& bg,
                          const std::string& estimator, const std::vector<int>& main_groups,
                          const ImpactProgress* progress) {
  const bool did = estimator == "did";
  const bool regression = estimator == "ols" || estimator == "ppml";
  const impact::Codes& groups = bg.groups;
  if (bg.any_shared && !did)
    return bad_param("by", c.by,
                     "its groups share the never-treated controls, and " + estimator +
                         "'s estimates by group would not be independent: use did (its test "
                         "accounts for the shared controls)" +
                         (regression ? ", or by_mode=interaction" : ", ols or ppml"));
  if (did && !c.cluster.empty() && c.cluster.front() == c.by_column)
    return bad_param("by", c.by,
                     "the errors are clustered on the groups themselves: each group's treated "
                     "firms would be one cluster");
  if (did && c.by_column == c.group && a.text("control") != "never")
    return bad_param("by", c.by,
                     "a cohort alone has no not-yet-treated controls: with control=notyet each "
                     "cohort's effect is the group aggregation (aggregations.group); by cohort "
                     "takes control=never");
  // The groups' estimations: analytic errors (the test's; no bootstrap per group).
  POLES_ASSIGN_OR_RETURN(const Args ga, side_args(a, {}));
  const ImpactProgress inner = side_progress(progress);
  POLES_ASSIGN_OR_RETURN(const auto ids, firm_ids(f, c));
  std::vector<double> treat;
  std::string first;  // a regression's treatment: its first regressor
  if (regression) {
    if (c.formula.empty()) {
      if (c.x.empty())
        return Status::invalid_argument("the regression needs x= (one or more regressors)");
      first = c.x.front();
      POLES_ASSIGN_OR_RETURN(treat, f.numeric(first));
    } else {
      POLES_ASSIGN_OR_RETURN(auto m, impact::model_columns(f, c.formula));
      first = m.x_names.front();
      if (first.find("::") != std::string::npos)
        return bad_param("formula", c.formula,
                         "by_mode=split takes the formula's first regressor as the treatment: "
                         "write a column first (y ~ treated + …), not an i() term");
      treat = std::move(m.x.front());
    }
    // The groups' regressions are independent samples only if no cluster spans two groups; and
    // a group needs two clusters of its own.
    if (!c.cluster.empty()) {
      std::string spec;
      for (const auto& name : c.cluster) spec += (spec.empty() ? "" : " + ") + name;
      POLES_ASSIGN_OR_RETURN(const auto clusters, impact::cluster_columns(f, spec));
      for (const auto& cl : clusters) {
        std::vector<int32_t> group_of(static_cast<size_t>(cl.levels), -1);
        std::vector<std::set<int32_t>> of_group(static_cast<size_t>(groups.levels()));
        for (size_t i = 0; i < f.rows(); ++i) {
          const int32_t k = groups.code[i], q = cl.code[i];
          if (k < 0 || q < 0) continue;
          auto& g = group_of[static_cast<size_t>(q)];
          if (g >= 0 && g != k)
            return bad_param("by_mode", "split",
                             "the clusters of cluster= span several groups: the groups' "
                             "regressions would not be independent (by_mode=interaction "
                             "accounts for it)");
          g = k;
          of_group[static_cast<size_t>(k)].insert(q);
        }
        for (const auto& in_group : of_group)
          if (in_group.size() == 1)
            return bad_param("by_mode", "split",
                             "a group would be a single cluster of cluster= (no error between "
                             "clusters): cluster below the groups, or by_mode=interaction");
      }
    }
  } else if (estimator == "match") {
    POLES_ASSIGN_OR_RETURN(treat, f.numeric(c.treat));
  } else {
    POLES_ASSIGN_OR_RETURN(treat, f.numeric(c.group));
  }
  // A row of a firm treated in the overall estimate.
  const auto in_main = [&](double g) {
    if (!(g != 0) || std::isnan(g)) return false;
    return !did || std::find(main_groups.begin(), main_groups.end(), static_cast<int>(g)) !=
                       main_groups.end();
  };
  // did: the clusters the influence is summed over (as its errors), by unit.
  std::map<int64_t, int64_t> cluster_of;
  if (did && !c.cluster.empty()) {
    POLES_ASSIGN_OR_RETURN(const auto unit, f.numeric(c.unit));
    POLES_ASSIGN_OR_RETURN(const auto cl, f.codes(c.cluster.front()));
    for (size_t i = 0; i < f.rows(); ++i)
      if (cl.code[i] >= 0) cluster_of[static_cast<int64_t>(unit[i])] = cl.code[i];
  }
  // Treated rows in no group, left out of every group's estimation: the by_groups' dropped rows
  // and, for a regression (whose rows need no group= column), its treated rows without a group.
  std::vector<char> loose(bg.dropped.begin(), bg.dropped.end());
  int64_t extra_ungrouped = 0;
  if (regression) {
    for (size_t i = 0; i < f.rows(); ++i) {
      if (loose[i] || groups.code[i] >= 0 || bg.shared[i] || !in_main(treat[i])) continue;
      loose[i] = 1;
      ++extra_ungrouped;
    }
  }
  // One estimation on the rows of the groups `in` (and the shared controls): its headline.
  struct Run {
    std::optional<ImpactDidOverall> att;
    std::optional<ImpactReading> reading;
    std::map<int64_t, double> influence;
    Status failed = Status::ok();
  };
  // with_ungrouped: the treated rows in no group too (the union of what is hidden).
  const auto run = [&](const std::vector<char>& in, bool with_ungrouped) {
    std::vector<char> keep(f.rows(), 0);
    for (size_t i = 0; i < f.rows(); ++i) {
      const int32_t k = groups.code[i];
      keep[i] =
          (k >= 0 && in[static_cast<size_t>(k)]) || bg.shared[i] || (with_ungrouped && loose[i]);
    }
    const Frame sub = f.subset(keep);
    Run out;
    if (did) {
      auto r = run_did(sub, ga, c, &inner, &out.influence);
      if (r.has_value())
        out.att = r->aggregations.simple, out.reading = r->reading;
      else
        out.failed = r.error();
    } else if (regression) {
      auto r = estimator == "ols" ? run_ols(sub, ga, c) : run_ppml(sub, ga, c);
      if (!r.has_value()) {
        out.failed = r.error();
      } else if (const auto* b = first_regressor(*r, first)) {
        out.att = ImpactDidOverall{b->estimate, b->se, b->ci_low, b->ci_high};
        if (r->reading) out.reading = *r->reading;
      } else {
        out.failed = Status::invalid_argument("the treatment is collinear");
      }
    } else if (estimator == "sunab") {
      auto r = run_sunab(sub, ga, c);
      if (r.has_value())
        out.att = r->att, out.reading = r->reading;
      else
        out.failed = r.error();
    } else {
      auto r = run_match(sub, ga, c);
      if (!r.has_value()) {
        out.failed = r.error();
      } else if (r->att) {
        out.att = ImpactDidOverall{r->att->estimate, r->att->se, r->att->ci_low, r->att->ci_high};
        out.reading = r->reading;
      }
    }
    return out;
  };
  ByFit fit;
  fit.by = ImpactBy{c.by, "split", did ? "simple" : regression ? first : "att", bg.any_shared, {},
                    {},   0};
  fit.by.ungrouped = extra_ungrouped;  // by_estimate adds the dropped rows
  for (size_t i = 0; i < f.rows(); ++i)
    if (loose[i] && in_main(treat[i])) fit.ungrouped.insert(ids[i]);
  std::vector<int32_t> level;                    // of each group shown
  std::vector<std::map<int64_t, double>> terms;  // did: by cluster (or unit)
  std::vector<double> variance;
  const auto levels = static_cast<size_t>(groups.levels());
  for (size_t k = 0; k < levels; ++k) {
    if (cancelled(progress)) return Status::cancelled("the estimation was cancelled");
    step(progress, 0.95 + 0.05 * static_cast<double>(k) / static_cast<double>(levels), "groups");
    int64_t own = 0;
    std::set<double> treated;
    for (size_t i = 0; i < f.rows(); ++i) {
      if (groups.code[i] != static_cast<int32_t>(k)) continue;
      ++own;
      if (in_main(treat[i])) treated.insert(ids[i]);
    }
    if (own == 0) continue;  // a level left to the shared controls (the cohort 0)
    if (regression && treated.empty()) continue;  // no treated row: no effect (as interacted)
    std::vector<char> in(levels, 0);
    in[k] = 1;
    Run r = run(in, false);
    if (r.failed.code() == ErrorCode::kCancelled) return r.failed;
    ImpactGroup grp;
    grp.key = groups.labels[k];
    if (!r.failed.is_ok()) grp.note = "not_estimable";
    if (r.att) {
      grp.estimate = r.att->estimate;
      grp.se = r.att->se;
      grp.ci_low = r.att->ci_low;
      grp.ci_high = r.att->ci_high;
    }
    grp.reading = r.reading ? *r.reading : read_estimate(c.outcome, false, fit.by.term, {}, {}, {});
    std::optional<size_t> tested;
    if (grp.estimate) grp.rows = own;
    if (grp.estimate && grp.se) {
      tested = fit.theta.size();
      fit.theta.push_back(*grp.estimate);
      variance.push_back(*grp.se * *grp.se);
      if (did) {
        std::map<int64_t, double> by_cluster;
        for (const auto& [unit, psi] : r.influence) {
          const auto it = cluster_of.find(unit);
          // A unit without a cluster is its own, keyed apart from the clusters' codes.
          by_cluster[it != cluster_of.end() ? it->second : (int64_t{1} << 40) + unit] += psi;
        }
        terms.push_back(std::move(by_cluster));
      }
    }
    fit.tested.push_back(tested);
    fit.treated.push_back(std::move(treated));
    level.push_back(static_cast<int32_t>(k));
    fit.by.groups.push_back(std::move(grp));
  }
  const auto k = static_cast<Eigen::Index>(fit.theta.size());
  fit.v = Eigen::MatrixXd::Zero(k, k);
  for (Eigen::Index p = 0; p < k; ++p) {
    if (!did) {
      fit.v(p, p) = variance[static_cast<size_t>(p)];  // independent samples
      continue;
    }
    for (Eigen::Index q = 0; q <= p; ++q) {
      double sum = 0;
      const auto& tq = terms[static_cast<size_t>(q)];
      for (const auto& [key, psi] : terms[static_cast<size_t>(p)]) {
        const auto it = tq.find(key);
        if (it != tq.end()) sum += psi * it->second;
      }
      fit.v(p, q) = fit.v(q, p) = sum;
    }
  }
  // The hidden groups together are estimated as one: protected when that estimate is published.
  return conclude(std::move(fit), [&](const std::vector<char>& hidden) -> Result<bool> {
    if (cancelled(progress)) return Status::cancelled("the estimation was cancelled");
    std::vector<char> in(levels, 0);
    for (size_t j = 0; j < hidden.size(); ++j)
      if (hidden[j]) in[static_cast<size_t>(level[j])] = 1;
    const Run r = run(in, true);
    if (r.failed.code() == ErrorCode::kCancelled) return r.failed;
    return r.att && r.att->estimate.has_value();
  });
}

// --- robustness of the DiD
// -------------------------------------------------------------------------

// The placebo and leave-one-cohort-out estimates of the overall effect (ImpactRobustness).
// cohorts: the overall estimate's (a cohort treated from the first period, or after the last,
// is not one of them).
Result<ImpactRobustness> did_robustness(const Frame& f, const Args& a, const Columns& c,
                                        const std::vector<int>& cohorts,
                                        const ImpactProgress* progress) {
  ImpactRobustness out;
  out.placebo_shift = a.integer("placebo_shift");
  POLES_ASSIGN_OR_RETURN(const Args base, side_args(a, {}));
  const ImpactProgress inner = side_progress(progress);
  POLES_ASSIGN_OR_RETURN(const auto group, f.numeric(c.group));
  POLES_ASSIGN_OR_RETURN(const auto time, f.numeric(c.time));
  if (cohorts.size() > static_cast<size_t>(kMaxGroups))
    return bad_param(
        "robustness", "1",
        fmt::format("{} cohorts; at most {} are left out in turn", cohorts.size(), kMaxGroups));
  // Placebo: the treated rows before their treatment, the treatment moved earlier; the firms
  // compared over the pairs of periods they are seen in (their later rows are gone).
  {
    step(progress, 0.95, "placebo");
    // The rows before treatment and its anticipation; a firm whose moved treatment would not be a
    // period (0 or less) has no placebo comparison and leaves.
    const int anticipation = a.integer("anticipation");
    std::vector<char> keep(f.rows());
    for (size_t i = 0; i < f.rows(); ++i) {
      const bool treated = group[i] > 0;
      keep[i] = !treated || (time[i] < group[i] - anticipation && group[i] - out.placebo_shift > 0);
    }
    Frame placebo = f.subset(keep);
    std::vector<double> moved;
    for (size_t i = 0; i < f.rows(); ++i)
      if (keep[i]) moved.push_back(group[i] > 0 ? group[i] - out.placebo_shift : group[i]);
    placebo.add_numeric(c.group, std::move(moved));
    POLES_ASSIGN_OR_RETURN(const Args pa, side_args(a, {{"panel", "pairs"}}));
    auto r = run_did(placebo, pa, c, &inner);
    if (r.has_value()) {
      out.placebo = r->aggregations.simple;
    } else if (r.error().code() == ErrorCode::kCancelled) {
      return r.error();
    } else {
      out.placebo_note = "not_estimable";
    }
  }
  // Each cohort left out in turn.
  size_t done = 0;
  for (const int g : cohorts) {
    if (cancelled(progress)) return Status::cancelled("the estimation was cancelled");
    step(progress, 0.95 + 0.05 * static_cast<double>(done++) / static_cast<double>(cohorts.size()),
         "leave one out");
    std::vector<char> keep(f.rows());
    for (size_t i = 0; i < f.rows(); ++i) keep[i] = group[i] != g;
    auto r = run_did(f.subset(keep), base, c, &inner);
    ImpactLeaveOut row;
    row.cohort = g;
    if (r.has_value()) {
      const auto& s = r->aggregations.simple;
      row.estimate = s.estimate;
      row.se = s.se;
      row.ci_low = s.ci_low;
      row.ci_high = s.ci_high;
    } else if (r.error().code() == ErrorCode::kCancelled) {
      return r.error();
    } else {
      row.note = "not_estimable";
    }
    out.leave_one_out.push_back(row);
  }
  return out;
}

Result<ImpactBy> by_estimate(const Frame& f, const Args& a, const Columns& c,
                             const std::string& estimator, const std::vector<int>& main_groups,
                             const ImpactProgress* progress) {
  if (estimator == "event")
    return bad_param("by", c.by,
                     "the two-way event study has no single effect to compare across groups: "
                     "sunab (its ATT by group) or did");
  const bool regression = estimator == "ols" || estimator == "ppml";
  const std::string& mode = a.text("by_mode");
  if (mode == "interaction" && !regression)
    return bad_param("by_mode", mode,
                     "only a regression (ols, ppml) interacts the treatment with the groups: " +
                         estimator + " estimates each group on its own rows (split)");
  POLES_ASSIGN_OR_RETURN(const auto groups, by_groups(f, c));
  POLES_ASSIGN_OR_RETURN(ImpactBy by,
                         regression && mode != "split"
                             ? by_interaction(f, a, c, groups, estimator == "ppml")
                             : by_split(f, a, c, groups, estimator, main_groups, progress));
  for (size_t i = 0; i < f.rows(); ++i) by.ungrouped += groups.dropped[i];
  if (c.by == "size_class") {  // from the smallest firms to the largest
    static constexpr std::array<std::string_view, 4> kOrder = {"tpe", "pme", "eti", "ge"};
    const auto rank = [](const ImpactGroup& g) {
      return std::find(kOrder.begin(), kOrder.end(), g.key) - kOrder.begin();
    };
    std::stable_sort(by.groups.begin(), by.groups.end(),
                     [&](const ImpactGroup& x, const ImpactGroup& y) { return rank(x) < rank(y); });
  }
  return by;
}

Result<ImpactEstimate> estimate(const Frame& all, const Args& a, const Columns& c,
                                const ImpactProgress* progress) {
  step(progress, 0.05, "estimating");
  const std::string& estimator = a.text("estimator");
  if (!c.formula.empty() && estimator != "ols" && estimator != "ppml")
    return bad_param("formula", c.formula, "a formula is for the regressions, ols and ppml");
  if (ssc_given(a) && estimator != "ols" && estimator != "ppml" && estimator != "event" &&
      estimator != "sunab")
    return bad_param("ssc", a.text("ssc"),
                     "the small-sample conventions are the least-squares regressions' (ols, "
                     "event, sunab)");
  // The rows kept by subset=, e.g. region == 84.
  std::optional<Frame> kept;
  if (!a.text("subset").empty()) {
    auto s = impact::subset_rows(all, a.text("subset"));
    if (!s.has_value()) return bad_param("subset", a.text("subset"), s.error().message());
    kept = std::move(*s);
  }
  const Frame& f = kept ? *kept : all;
  ImpactEstimate r;
  if (estimator == "did") {
    POLES_ASSIGN_OR_RETURN(r.did, run_did(f, a, c, progress));
  } else if (estimator == "ols") {
    POLES_ASSIGN_OR_RETURN(r.ols, run_ols(f, a, c));
  } else if (estimator == "ppml") {
    POLES_ASSIGN_OR_RETURN(r.ols, run_ppml(f, a, c));
  } else if (estimator == "event") {
    POLES_ASSIGN_OR_RETURN(r.event, run_event(f, a, c));
  } else if (estimator == "sunab") {
    POLES_ASSIGN_OR_RETURN(r.event, run_sunab(f, a, c));
  } else {
    POLES_ASSIGN_OR_RETURN(r.match, run_match(f, a, c));
  }
  if (a.integer("robustness") == 1) {
    if (!r.did)
      return bad_param("robustness", "1", "the robustness checks are the DiD's (estimator=did)");
    POLES_ASSIGN_OR_RETURN(r.did->robustness,
                           did_robustness(f, a, c, r.did->data.groups, progress));
  }
  if (!c.by.empty()) {
    POLES_ASSIGN_OR_RETURN(
        auto by,
        by_estimate(f, a, c, estimator, r.did ? r.did->data.groups : std::vector<int>{}, progress));
    if (r.did) r.did->by = std::move(by);
    if (r.ols) r.ols->by = std::move(by);
    if (r.event) r.event->by = std::move(by);
    if (r.match) r.match->by = std::move(by);
  }
  step(progress, 1.0, "done");
  return r;
}

}  // namespace

std::string_view ImpactEstimate::estimator() const {
  return did     ? "did"
         : ols   ? std::string_view(ols->estimator)
         : event ? std::string_view(event->estimator)
                 : "match";
}

const std::string& ImpactEstimate::outcome() const {
  static const std::string kNone;
  if (did) return did->outcome;
  if (ols) return ols->outcome;
  if (event) return event->outcome;
  return match && match->outcome ? *match->outcome : kNone;
}

tj::Json poles_to_json(const ImpactEstimate& r) {
  if (r.did) return tj::to_json(*r.did);
  if (r.ols) return tj::to_json(*r.ols);
  if (r.event) return tj::to_json(*r.event);
  if (r.match) return tj::to_json(*r.match);
  return tj::Json::object();
}

tj::Json poles_json_schema(const ImpactEstimate*, tj::Schemas& s) {
  const std::string name = "ImpactEstimate";
  if (s.components().contains(name)) return tj::Schemas::ref(name);
  tj::Json one_of = tj::Json::array(
      {s.of<ImpactDid>(), s.of<ImpactOls>(), s.of<ImpactEvent>(), s.of<ImpactMatch>()});
  return s.add(name, {{"description",
                       "The result of one estimator (did, ols or ppml, event or sunab, match), "
                       "as its `estimator` field says"},
                      {"oneOf", std::move(one_of)}});
}

Result<ImpactEstimate> impact_estimate(const Frame& data, const Args& args,
                                       const ImpactProgress* progress) {
  return estimate(data, args, given_columns(args), progress);
}

const std::vector<std::string_view>& impact_tables() {
  static const std::vector<std::string_view> t = {"firm_year", "organisation",  "membership",
                                                  "cluster",   "participation", "project"};
  return t;
}

Result<ImpactEstimate> impact_from_store(const snapshot::Snapshot& s, const Args& a,
                                         const ImpactProgress* progress) {
  step(progress, 0.0, "firm panel");
  POLES_ASSIGN_OR_RETURN(const Frame panel, impact::firm_panel(s));
  const std::string& treatment = a.text("treatment");
  const std::string& sample = a.text("sample");
  const std::string& exposure = a.text("exposure");
  impact::PanelDesign design;
  design.treatment = treatment == "membership" ? impact::PanelTreatment::kMembership
                                               : impact::PanelTreatment::kFunded;
  design.sample = sample == "direct"      ? impact::PanelSample::kDirect
                  : sample == "spillover" ? impact::PanelSample::kSpillover
                                          : impact::PanelSample::kAll;
  design.exposure = exposure == "zone_sector" ? impact::PanelExposure::kZoneSector
                                              : impact::PanelExposure::kNetwork;
  POLES_ASSIGN_OR_RETURN(const Frame f, impact::design_panel(panel, design));
  // The panel's columns where none is given.
  Columns c = given_columns(a);
  auto fallback = [](auto& column, auto value) {
    if (column.empty()) column = std::move(value);
  };
  // A count for the Poisson regression; the log of R&D spending for the others.
  if (c.formula.empty())
    fallback(c.outcome,
             std::string(a.text("estimator") == "ppml" ? "patents" : "log(rd_spending)"));
  // On the store a unit is a firm, and secrecy counts firms: no other unit, no subset that
  // names firms one by one (a regression on all firms but one, beside one on all, would single
  // that firm out).
  if (!c.unit.empty() && c.unit != "firm")
    return bad_param("unit", c.unit, "on the store's panel the unit is the firm");
  if (impact::subset_column(a.text("subset")) == "firm")
    return bad_param("subset", a.text("subset"),
                     "on the store's panel a subset may not name firms one by one");
  c.firms = "firm";
  // Heterogeneity on the store: the panel's column of each variable; the cohorts and the pôles
  // are the treated firms' (the never-treated are every group's controls).
  if (!c.by.empty()) {
    static const std::map<std::string, std::string, std::less<>> kByColumn = {
        {"size_class", "size_class"},
        {"sector", "naf_division"},
        {"region", "region"},
        {"cohort", "treated_group"},
        {"cluster", "cluster"}};
    const auto it = kByColumn.find(c.by);
    if (it == kByColumn.end())
      return bad_param("by", c.by, "on the store: size_class, sector, region, cohort or cluster");
    c.by_column = it->second;
  }
  fallback(c.unit, std::string("firm"));
  fallback(c.time, std::string("year"));
  fallback(c.group, std::string("treated_group"));
  const std::string& estimator = a.text("estimator");
  if (estimator == "ols" || estimator == "ppml") {
    // The outcome on being treated, firm and year effects, clustered by firm.
    if (c.formula.empty()) {
      fallback(c.x, std::vector<std::string>{"treated_post"});
      fallback(c.fe, std::vector<std::string>{"firm", "year"});
    }
    fallback(c.cluster, std::vector<std::string>{"firm"});
  }
  if (estimator == "match") {
    // Conditional DiD (France Stratégie): firms joining in `cohort` against never-treated firms,
    // on their values the year before; outcome: its change up to `horizon` years after.
    const impact::CohortDesign cohort{a.integer("cohort"), a.integer("horizon"), c.outcome};
    POLES_ASSIGN_OR_RETURN(const Frame cs, impact::cohort_cross_section(f, cohort));
    c.outcome = "outcome_change";
    fallback(c.treat, std::string("treated"));
    fallback(c.covariates,
             std::vector<std::string>{"log_headcount", "log_rd_spending", "log_turnover",
                                      "cir_claimant", "naf_division"});
    POLES_ASSIGN_OR_RETURN(ImpactEstimate r, estimate(cs, a, c, progress));
    r.match->design =
        ImpactMatchDesign{cohort.cohort, cohort.horizon, cohort.outcome,
                          fmt::format("change of {} from {} to {}", cohort.outcome,
                                      cohort.cohort - 1, cohort.cohort + cohort.horizon)};
    r.match->source = ImpactSource{"store", treatment, sample, {}};
    // The ATT is a change of the outcome: of a log outcome, in log points.
    if (r.match->att)
      r.match->reading = read_estimate(cohort.outcome, false, "att", r.match->att->estimate,
                                       r.match->att->ci_low, r.match->att->ci_high);
    if (r.match->by) {
      for (auto& g : r.match->by->groups)
        g.reading = read_estimate(cohort.outcome, false, "att", g.estimate, g.ci_low, g.ci_high);
    }
    return r;
  }
  POLES_ASSIGN_OR_RETURN(ImpactEstimate r, estimate(f, a, c, progress));
  const ImpactSource source{"store", treatment, sample, exposure};
  if (r.did) r.did->source = source;
  if (r.ols) r.ols->source = source;
  if (r.event) r.event->source = source;
  return r;
}

const ParamSpecs& impact_params() {
  static const ParamSpecs k = {
      choice_param("estimator",
                   "did: Callaway & Sant'Anna; ols: fixed-effects OLS; ppml: Poisson with fixed "
                   "effects (counts); event: TWFE event study; sunab: Sun & Abraham's "
                   "interaction-weighted event study; match: matching",
                   {"did", "ols", "ppml", "event", "sunab", "match"}, "did"),
      choice_param("treatment",
                   "Store: what treats a firm, joining a cluster or its first aided project",
                   {"membership", "funded"}, "membership"),
      choice_param("sample",
                   "Store: the direct effect (members and never-exposed non-members), the "
                   "spillover on exposed non-members, or all firms",
                   {"direct", "all", "spillover"}, "direct"),
      choice_param("exposure", "Store, spillover: how a non-member is exposed",
                   {"zone_sector", "network"}, "zone_sector"),
      text_param("outcome",
                 "Outcome column; log(col) and log1p(col) accepted (store default: "
                 "log(rd_spending))"),
      text_param("unit", "Unit column (store: firm)"),
      text_param("time", "Time column (store: year)"),
      text_param("group", "First treated period column, 0 = never (store: from the treatment)"),
      list_param("covariates",
                 "Covariate columns (DiD: at the base period; matching: the score model)"),
      text_param("weights", "Weight column"),
      choice_param("control", "DiD: control units", {"never", "notyet"}, "never"),
      choice_param("base", "DiD: base period", {"varying", "universal"}, "varying"),
      text_param(
          "method",
          "DiD: reg, ipw or dr (default dr); matching: nearest, exact or cem (default nearest)"),
      integer_param("anticipation", "DiD: periods of anticipation", 0, 10, "0"),
      integer_param("robustness",
                    "DiD: robustness checks of the overall effect (1): a placebo moving every "
                    "treatment placebo_shift periods earlier on the rows before it, and the "
                    "effect leaving each cohort out in turn",
                    0, 1, "0"),
      integer_param("placebo_shift", "DiD robustness: periods the placebo moves treatment earlier",
                    1, 10, "2"),
      choice_param("panel",
                   "DiD: balanced (only the firms observed every period), pairs (every firm; "
                   "each comparison on the firms observed in both its periods) or rc (every "
                   "firm; did's allow_unbalanced_panel, means over the firms observed in each "
                   "period; no covariates)",
                   {"balanced", "pairs", "rc"}, "balanced"),
      integer_param("bootstrap", "DiD: multiplier bootstrap draws (0: analytic errors)", 0, 100000,
                    "999"),
      integer_param("seed", "Seed of the bootstrap", 0, 2000000000, "1"),
      number_param("alpha", "Level of the intervals (1 - confidence)", 0.001, 0.5, "0.05"),
      integer_param("balance_e", "DiD: event times kept for a balanced dynamic aggregation", 0,
                    100),
      text_param("by",
                 "Heterogeneity: the effect in each group and the test of their equality; store: "
                 "size_class, sector, region, cohort or cluster (the pôle); data: a column"),
      choice_param("by_mode",
                   "Heterogeneity in a regression (ols, ppml): interaction (the default: the "
                   "treatment interacted with the groups in one regression) or split (one "
                   "regression on each group's rows, as fixest's split=)",
                   {"interaction", "split"}),
      list_param("x", "OLS: regressors"),
      list_param("fe", "OLS: fixed effects"),
      text_param("formula",
                 "OLS, PPML: the model in fixest's syntax, replacing outcome, x and fe: y ~ x1 + "
                 "log(z) + a:b + i(var, treat, ref) | fe1 + fe1^fe2"),
      text_param("subset",
                 "Rows kept before estimating: column == value (or != < <= > >=), e.g. "
                 "region == 84"),
      list_param("cluster",
                 "OLS, PPML: one or two cluster variables (a,b or ~a + b; a^b combined); DiD: one "
                 "above the unit, over which errors and bands are drawn (store: cluster, the "
                 "pôle a member joined first)"),
      choice_param("vcov", "OLS: variance (default: cluster when cluster is given, else iid)",
                   {"iid", "hetero", "cluster"}),
      choice_param("ssc",
                   "OLS: small-sample conventions of the errors, as fixest's ssc(): fixest (the "
                   "default, = Stata's reghdfe and xtreg, fe), reghdfe (the same), lm (lm with "
                   "dummies and sandwich's HC1, = Stata's areg), plm, lfe, none",
                   {"fixest", "reghdfe", "lm", "plm", "lfe", "none"}),
      choice_param("ssc_adj", "OLS: the (n − 1)/(n − K) adjustment (default: the preset's)",
                   {"on", "off"}),
      choice_param("ssc_fixef_k",
                   "OLS: the fixed effects in K: nested (those nested in a cluster left out), "
                   "full, none, dimensions (one per fixed effect not nested, as lfe)",
                   {"nested", "full", "none", "dimensions"}),
      choice_param("ssc_cluster_adj", "OLS: the G/(G − 1) adjustment (default: the preset's)",
                   {"on", "off"}),
      choice_param("ssc_cluster_df",
                   "OLS, two-way clusters: one G_min/(G_min − 1) (min) or each matrix its own "
                   "(conventional)",
                   {"min", "conventional"}),
      choice_param("ssc_t_df",
                   "OLS: degrees of freedom of the tests: min (clustered: G_min − 1), "
                   "conventional (n − K), normal (z tests)",
                   {"min", "conventional", "normal"}),
      integer_param("keep_singletons",
                    "OLS: keep singleton fixed-effect groups (1) or drop them (0)", 0, 1, "0"),
      integer_param("leads", "Event study (event, sunab): leads, the earlier periods binned in", 1,
                    50, "5"),
      integer_param("lags", "Event study (event, sunab): lags, the later periods binned in", 0, 50,
                    "5"),
      integer_param("reference", "Event study (event, sunab): reference event time", -50, 50, "-1"),
      text_param("treat", "Matching: the 0/1 treatment column"),
      integer_param("ratio", "Matching: controls per treated unit", 1, 20, "1"),
      integer_param("replace", "Matching: with replacement (1) or not (0)", 0, 1, "0"),
      number_param("caliper", "Matching: caliper in SDs of the distance", 0.0001, 10),
      choice_param("distance", "Matching: distance on the propensity score or its logit",
                   {"ps", "logit"}, "logit"),
      integer_param("cohort", "Store matching: the joining cohort", 1990, 2100, "2010"),
      integer_param("horizon", "Store matching: years after joining of the outcome change", 0, 30,
                    "3")};
  return k;
}

}  // namespace poles::app
