#include "app/impact.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "impact/did.h"
#include "impact/event_study.h"
#include "impact/hdfe.h"
#include "impact/matching.h"
#include "impact/panel.h"
#include "secrecy/rule.h"

namespace poles::app {
namespace {

using impact::Frame;

// Statistical secrecy for estimates: a figure is published only when it rests on at least
// kMinFirms firms on each side; a mean also under the dominance rule (secrecy/rule.h).
const secrecy::Rule kRule;
const int kMinFirms = kRule.min_firms;

Json value_or_secret(double v, bool publish) {
  return publish && std::isfinite(v) ? Json(v) : Json(nullptr);
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : s) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

Status bad_param(const std::string& name, const std::string& value, const std::string& rule) {
  return Status::invalid_argument(fmt::format("parameter '{}' value '{}': {}", name, value, rule));
}

Result<std::string> choice(const Params& p, const std::string& name, const std::string& fallback,
                           std::initializer_list<const char*> allowed) {
  const std::string v = text(p, name, fallback);
  std::string list;
  for (const char* a : allowed) {
    if (v == a) return v;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  return bad_param(name, v, "must be one of " + list);
}

Result<impact::FixedEffect> fixed_effect(const Frame& f, const std::string& name) {
  POLES_ASSIGN_OR_RETURN(auto c, f.codes(name));
  return impact::FixedEffect{name, std::move(c.code), c.levels()};
}

double normal_quantile(double alpha) {
  return boost::math::quantile(boost::math::complement(boost::math::normal(), alpha / 2));
}

Json interval(double est, double se, double crit, bool publish) {
  return Json{{"estimate", value_or_secret(est, publish)},
              {"se", value_or_secret(se, publish)},
              {"ci_low", value_or_secret(est - crit * se, publish)},
              {"ci_high", value_or_secret(est + crit * se, publish)}};
}

void step(const ImpactProgress* progress, double share, const std::string& stage) {
  if (progress && progress->report) progress->report(share, stage);
}
bool cancelled(const ImpactProgress* progress) {
  return progress && progress->cancelled && progress->cancelled();
}

// --- Callaway & Sant'Anna ---------------------------------------------------------------------
Result<Json> run_did(const Frame& f, const Params& p, const ImpactProgress* progress) {
  const std::string outcome = text(p, "outcome"), unit = text(p, "unit"), time = text(p, "time"),
                    group = text(p, "group");
  if (outcome.empty() || unit.empty() || time.empty() || group.empty()) {
    return Status::invalid_argument(
        "the DiD needs outcome=, unit=, time= and group= (first treated period, 0 = never)");
  }
  impact::DidData d;
  POLES_ASSIGN_OR_RETURN(d.y, f.numeric(outcome));
  POLES_ASSIGN_OR_RETURN(const auto u, f.numeric(unit));
  POLES_ASSIGN_OR_RETURN(const auto t, f.numeric(time));
  POLES_ASSIGN_OR_RETURN(const auto g, f.numeric(group));
  for (size_t i = 0; i < f.rows(); ++i) {
    if (!std::isfinite(u[i]) || !std::isfinite(t[i]))
      return bad_param(std::isfinite(u[i]) ? time : unit, "",
                       fmt::format("missing on row {}", i + 1));
    d.unit.push_back(static_cast<int64_t>(u[i]));
    d.time.push_back(static_cast<int>(t[i]));
    d.group.push_back(std::isfinite(g[i]) ? static_cast<int>(g[i]) : 0);
  }
  for (const auto& c : split_list(text(p, "covariates"))) {
    d.covariate_names.push_back(c);
    POLES_ASSIGN_OR_RETURN(auto col, f.numeric(c));
    d.covariates.push_back(std::move(col));
  }
  if (!text(p, "weights").empty()) {
    POLES_ASSIGN_OR_RETURN(d.weights, f.numeric(text(p, "weights")));
  }
  impact::DidOptions opt;
  POLES_ASSIGN_OR_RETURN(const auto control, choice(p, "control", "never", {"never", "notyet"}));
  POLES_ASSIGN_OR_RETURN(const auto base, choice(p, "base", "varying", {"varying", "universal"}));
  POLES_ASSIGN_OR_RETURN(const auto method, choice(p, "method", "dr", {"reg", "ipw", "dr"}));
  opt.control = control == "never" ? impact::ControlGroup::kNeverTreated
                                   : impact::ControlGroup::kNotYetTreated;
  opt.base = base == "varying" ? impact::BasePeriod::kVarying : impact::BasePeriod::kUniversal;
  opt.method = method == "reg"   ? impact::DidMethod::kRegression
               : method == "ipw" ? impact::DidMethod::kIpw
                                 : impact::DidMethod::kDoublyRobust;
  POLES_ASSIGN_OR_RETURN(opt.anticipation, integer(p, "anticipation", 0, 0, 10));
  POLES_ASSIGN_OR_RETURN(const int boot, integer(p, "bootstrap", 999, 0, 100000));
  POLES_ASSIGN_OR_RETURN(const int seed, integer(p, "seed", 1, 0, 2000000000));
  POLES_ASSIGN_OR_RETURN(const double alpha, number(p, "alpha", 0.05, 0.001, 0.5));
  opt.progress = [progress](double share) {
    step(progress, 0.1 + 0.6 * share, "ATT(g,t)");
    return !cancelled(progress);
  };
  POLES_ASSIGN_OR_RETURN(const auto r, impact::att_gt(d, opt));
  const double z = normal_quantile(alpha);
  Json out{{"estimator", "did"},
           {"outcome", outcome},
           {"options", Json{{"control", control},
                            {"base", base},
                            {"method", method},
                            {"anticipation", opt.anticipation},
                            {"covariates", d.covariate_names},
                            {"bootstrap", boot},
                            {"seed", seed},
                            {"alpha", alpha}}},
           {"data", Json{{"units", r.units},
                         {"dropped_units", r.dropped_units},
                         {"periods", r.periods},
                         {"groups", r.groups}}}};
  int masked = 0;
  // Bootstrap or analytic errors for a set of columns of influence.
  auto errors = [&](const Eigen::MatrixXd& psi, uint64_t s, double& crit) -> Eigen::VectorXd {
    if (boot == 0) {
      crit = z;
      return impact::influence_se(psi);
    }
    auto b = impact::multiplier_bootstrap(psi, boot, s, alpha);
    crit = b.critical_value;
    return b.se;
  };
  step(progress, 0.7, "bootstrap");
  double cell_crit = z;
  const Eigen::VectorXd cell_se = errors(r.influence, static_cast<uint64_t>(seed), cell_crit);
  Json cells = Json::array();
  for (size_t c = 0; c < r.cells.size(); ++c) {
    const auto& x = r.cells[c];
    const bool publish = x.reference || (x.treated >= kMinFirms && x.controls >= kMinFirms);
    masked += !publish;
    const double se = cell_se(static_cast<Eigen::Index>(c));
    Json j{{"g", x.g},
           {"t", x.t},
           {"e", x.t - x.g},
           {"post", x.post},
           {"reference", x.reference},
           {"treated", publish ? Json(x.treated) : Json(nullptr)},
           {"controls", publish ? Json(x.controls) : Json(nullptr)}};
    j.update(interval(x.att, se, z, publish));
    j["band_low"] = value_or_secret(x.att - cell_crit * se, publish);
    j["band_high"] = value_or_secret(x.att + cell_crit * se, publish);
    cells.push_back(std::move(j));
  }
  out["cells"] = std::move(cells);
  out["uniform_critical_value"] = cell_crit;
  out["pretest"] = Json{{"stat", r.pretest_stat},
                        {"df", r.pretest_df},
                        {"p", r.pretest_df > 0 ? Json(r.pretest_p) : Json(nullptr)}};
  Json aggs = Json::object();
  impact::AggregateOptions ao;
  if (!text(p, "balance_e").empty()) {
    POLES_ASSIGN_OR_RETURN(const int be, integer(p, "balance_e", 0, 0, 100));
    ao.balance_e = be;
  }
  const std::pair<const char*, impact::Aggregation> kinds[] = {
      {"simple", impact::Aggregation::kSimple},
      {"dynamic", impact::Aggregation::kDynamic},
      {"group", impact::Aggregation::kGroup},
      {"calendar", impact::Aggregation::kCalendar}};
  uint64_t s = static_cast<uint64_t>(seed);
  for (const auto& [name, kind] : kinds) {
    if (cancelled(progress)) return Status::cancelled("the estimation was cancelled");
    step(progress, 0.75 + 0.05 * static_cast<double>(s - static_cast<uint64_t>(seed)),
         std::string("aggregation ") + name);
    POLES_ASSIGN_OR_RETURN(
        const auto a,
        impact::aggregate(r, kind,
                          kind == impact::Aggregation::kDynamic ? ao : impact::AggregateOptions{}));
    double crit = z;
    Eigen::MatrixXd all(a.influence.size(), a.term_influence.cols() + 1);
    all.col(0) = a.influence;
    if (a.term_influence.cols() > 0) all.rightCols(a.term_influence.cols()) = a.term_influence;
    Eigen::VectorXd se = errors(all, ++s, crit);
    if (boot > 0 && a.term_influence.cols() > 0) {
      // The band's critical value over the terms only.
      double tc = z;
      const Eigen::VectorXd tse = errors(a.term_influence, s, tc);
      se.tail(tse.size()) = tse;
      crit = tc;
    }
    Json j = interval(a.att, se(0), z, true);
    Json terms = Json::array();
    for (size_t k = 0; k < a.terms.size(); ++k) {
      const double tse = se(static_cast<Eigen::Index>(k) + 1);
      Json term = Json{{"key", a.terms[k].key}};
      term.update(interval(a.terms[k].att, tse, z, true));
      term["band_low"] = a.terms[k].att - crit * tse;
      term["band_high"] = a.terms[k].att + crit * tse;
      terms.push_back(std::move(term));
    }
    if (!a.terms.empty()) {
      j["terms"] = std::move(terms);
      j["uniform_critical_value"] = crit;
    }
    aggs[name] = std::move(j);
  }
  out["aggregations"] = std::move(aggs);
  out["secrecy"] = Json{{"min_firms", kMinFirms}, {"masked", masked}};
  return out;
}

// --- OLS with fixed effects -----------------------------------------------------------------
Result<Json> run_ols(const Frame& f, const Params& p) {
  impact::OlsInput in;
  in.y_name = text(p, "outcome");
  if (in.y_name.empty()) return Status::invalid_argument("the regression needs outcome=");
  POLES_ASSIGN_OR_RETURN(in.y, f.numeric(in.y_name));
  for (const auto& x : split_list(text(p, "x"))) {
    in.x_names.push_back(x);
    POLES_ASSIGN_OR_RETURN(auto col, f.numeric(x));
    in.x.push_back(std::move(col));
  }
  if (in.x.empty())
    return Status::invalid_argument("the regression needs x= (one or more regressors)");
  for (const auto& fe : split_list(text(p, "fe"))) {
    POLES_ASSIGN_OR_RETURN(auto e, fixed_effect(f, fe));
    in.fe.push_back(std::move(e));
  }
  const auto clusters = split_list(text(p, "cluster"));
  POLES_ASSIGN_OR_RETURN(const auto vcov, choice(p, "vcov", clusters.empty() ? "iid" : "cluster",
                                                 {"iid", "hetero", "cluster"}));
  in.vcov.kind = vcov == "iid"      ? impact::VcovKind::kIid
                 : vcov == "hetero" ? impact::VcovKind::kHetero
                                    : impact::VcovKind::kCluster;
  if (in.vcov.kind == impact::VcovKind::kCluster) {
    if (clusters.empty() || clusters.size() > 2)
      return bad_param("cluster", text(p, "cluster"), "one or two cluster variables");
    for (const auto& c : clusters) {
      POLES_ASSIGN_OR_RETURN(auto e, fixed_effect(f, c));
      in.vcov.clusters.push_back(std::move(e));
    }
  }
  if (!text(p, "weights").empty()) {
    POLES_ASSIGN_OR_RETURN(in.weights, f.numeric(text(p, "weights")));
  }
  POLES_ASSIGN_OR_RETURN(const int keep, integer(p, "keep_singletons", 0, 0, 1));
  in.drop_singletons = keep == 0;
  Json fes = Json::array();
  for (const auto& e : in.fe) fes.push_back(Json{{"name", e.name}, {"levels", e.levels}});
  POLES_ASSIGN_OR_RETURN(const auto r, impact::feols(std::move(in)));
  const boost::math::students_t_distribution<double> tdist(std::max(r.df_t, 1.0));
  const double q = boost::math::quantile(boost::math::complement(tdist, 0.025));
  Json coefs = Json::array();
  const bool publish = r.n >= kMinFirms;
  for (size_t j = 0; j < r.names.size(); ++j) {
    const auto k = static_cast<Eigen::Index>(j);
    Json c{{"name", r.names[j]}};
    c.update(interval(r.coef(k), r.se(k), q, publish));
    c["t"] = value_or_secret(r.t(k), publish);
    c["p"] = value_or_secret(r.p(k), publish);
    coefs.push_back(std::move(c));
  }
  return Json{{"estimator", "ols"},
              {"outcome", text(p, "outcome")},
              {"coefficients", std::move(coefs)},
              {"collinear", r.collinear},
              {"fixed_effects", std::move(fes)},
              {"vcov", vcov},
              {"clusters", clusters},
              {"n", r.n},
              {"singletons", r.singletons},
              {"missing", r.missing},
              {"df_t", r.df_t},
              {"rmse", r.rmse},
              {"r2", r.r2},
              {"adj_r2", r.adj_r2},
              {"within_r2", r.within_r2},
              {"demeaning", Json{{"iterations", r.demeaning.iterations},
                                 {"conjugate_gradient", r.demeaning.used_cg}}}};
}

// --- Event study ----------------------------------------------------------------------------
Result<Json> run_event(const Frame& f, const Params& p) {
  impact::EventStudyInput in;
  const std::string outcome = text(p, "outcome"), unit = text(p, "unit"), time = text(p, "time"),
                    group = text(p, "group");
  if (outcome.empty() || unit.empty() || time.empty() || group.empty())
    return Status::invalid_argument("the event study needs outcome=, unit=, time= and group=");
  POLES_ASSIGN_OR_RETURN(in.y, f.numeric(outcome));
  POLES_ASSIGN_OR_RETURN(in.unit, fixed_effect(f, unit));
  POLES_ASSIGN_OR_RETURN(in.period, fixed_effect(f, time));
  POLES_ASSIGN_OR_RETURN(in.time, f.numeric(time));
  POLES_ASSIGN_OR_RETURN(in.group, f.numeric(group));
  POLES_ASSIGN_OR_RETURN(in.leads, integer(p, "leads", 5, 1, 50));
  POLES_ASSIGN_OR_RETURN(in.lags, integer(p, "lags", 5, 0, 50));
  POLES_ASSIGN_OR_RETURN(in.reference, integer(p, "reference", -1, -50, 50));
  POLES_ASSIGN_OR_RETURN(const auto r, impact::event_study(in));
  Json terms = Json::array();
  int masked = 0;
  for (const auto& t : r.terms) {
    const bool publish = t.e == in.reference || t.rows >= kMinFirms;
    masked += !publish;
    terms.push_back(Json{{"e", t.e},
                         {"estimate", value_or_secret(t.coef, publish)},
                         {"se", value_or_secret(t.se, publish)},
                         {"ci_low", value_or_secret(t.ci_low, publish)},
                         {"ci_high", value_or_secret(t.ci_high, publish)},
                         {"rows", publish ? Json(t.rows) : Json(nullptr)},
                         {"reference", t.e == in.reference}});
  }
  return Json{{"estimator", "event"},
              {"outcome", outcome},
              {"terms", std::move(terms)},
              {"pretrend", Json{{"f", r.pretrend.f}, {"df", r.pretrend.df}, {"p", r.pretrend.p_f}}},
              {"n", r.fit.n},
              {"clusters", r.fit.clusters},
              {"secrecy", Json{{"min_firms", kMinFirms}, {"masked", masked}}}};
}

// --- Matching -------------------------------------------------------------------------------
// A mean published only with enough firms and no dominant one.
Json secret_mean(double mean, const Eigen::VectorXd& x, const std::vector<int>& treat, int group,
                 const std::vector<double>* w) {
  int n = 0;
  double sum = 0, top = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double wi = w ? (*w)[static_cast<size_t>(i)] : 1.0;
    if (treat[static_cast<size_t>(i)] != group || wi <= 0) continue;
    ++n;
    const double v = std::abs(wi * x(i));
    sum += v;
    top = std::max(top, v);
  }
  return value_or_secret(mean, secrecy::publishable(static_cast<size_t>(n), sum, top, kRule));
}

Result<Json> run_match(const Frame& f, const Params& p) {
  const std::string treat_col = text(p, "treat"), outcome = text(p, "outcome");
  if (treat_col.empty()) return Status::invalid_argument("matching needs treat= (a 0/1 column)");
  const auto names = split_list(text(p, "covariates"));
  if (names.empty()) return Status::invalid_argument("matching needs covariates=");
  POLES_ASSIGN_OR_RETURN(const auto tcol, f.numeric(treat_col));
  POLES_ASSIGN_OR_RETURN(auto cov, impact::covariates(f, names));
  std::vector<double> y;
  if (!outcome.empty()) {
    POLES_ASSIGN_OR_RETURN(y, f.numeric(outcome));
  }
  // Rows with treatment, covariates (and outcome) present.
  std::vector<char> keep(f.rows(), 1);
  for (size_t i = 0; i < f.rows(); ++i)
    keep[i] =
        cov.complete[i] && (tcol[i] == 0 || tcol[i] == 1) && (y.empty() || std::isfinite(y[i]));
  const Frame sub = f.subset(keep);
  POLES_ASSIGN_OR_RETURN(cov, impact::covariates(sub, names));
  std::vector<int> treat;
  for (size_t i = 0; i < f.rows(); ++i) {
    if (keep[i]) treat.push_back(static_cast<int>(tcol[i]));
  }
  if (!y.empty()) {
    std::vector<double> ys;
    for (size_t i = 0; i < f.rows(); ++i) {
      if (keep[i]) ys.push_back(y[i]);
    }
    y = std::move(ys);
  }
  POLES_ASSIGN_OR_RETURN(const auto method,
                         choice(p, "method", "nearest", {"nearest", "exact", "cem"}));
  impact::Matching m;
  if (method == "nearest") {
    impact::NearestOptions o;
    POLES_ASSIGN_OR_RETURN(o.ratio, integer(p, "ratio", 1, 1, 20));
    POLES_ASSIGN_OR_RETURN(const int replace, integer(p, "replace", 0, 0, 1));
    o.replace = replace == 1;
    if (!text(p, "caliper").empty()) {
      POLES_ASSIGN_OR_RETURN(o.caliper, number(p, "caliper", 0.2, 0.0001, 10));
    }
    POLES_ASSIGN_OR_RETURN(const auto dist, choice(p, "distance", "logit", {"ps", "logit"}));
    o.distance = dist == "ps" ? impact::DistanceScale::kPropensity : impact::DistanceScale::kLogit;
    POLES_ASSIGN_OR_RETURN(m, impact::nearest_neighbour(cov.model, treat, o));
  } else if (method == "exact") {
    POLES_ASSIGN_OR_RETURN(m, impact::exact_match(cov.display, treat));
  } else {
    POLES_ASSIGN_OR_RETURN(m, impact::coarsened_exact_match(cov.display, cov.binary, treat));
  }
  const auto rows = impact::balance(cov, m.distance, treat, m.weights);
  Json bal = Json::array();
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& b = rows[r];
    const Eigen::VectorXd x =
        b.name == "distance"
            ? m.distance
            : cov.display.col(static_cast<Eigen::Index>(r - (m.distance.size() > 0 ? 1 : 0)));
    bal.push_back(
        Json{{"name", b.name},
             {"binary", b.binary},
             {"mean_treated", secret_mean(b.mean_treated, x, treat, 1, nullptr)},
             {"mean_control", secret_mean(b.mean_control, x, treat, 0, nullptr)},
             {"smd", b.smd},
             {"variance_ratio", value_or_secret(b.variance_ratio, !b.binary)},
             {"matched_mean_treated", secret_mean(b.matched_mean_treated, x, treat, 1, &m.weights)},
             {"matched_mean_control", secret_mean(b.matched_mean_control, x, treat, 0, &m.weights)},
             {"matched_smd", b.matched_smd},
             {"matched_variance_ratio", value_or_secret(b.matched_variance_ratio, !b.binary)}});
  }
  Json out{{"estimator", "match"},
           {"method", method},
           {"treat", treat_col},
           {"covariates", names},
           {"treated", m.treated},
           {"controls", m.controls},
           {"treated_matched", m.treated_matched},
           {"controls_matched", m.controls_matched},
           {"caliper_width", m.caliper_width},
           {"balance", std::move(bal)}};
  if (!y.empty()) {
    // ATT in the matched sample: outcome on treatment with the matching weights; errors clustered
    // by pair (nearest without replacement) or stratum (exact, CEM), robust with replacement.
    impact::OlsInput in;
    in.y = y;
    in.x_names = {"treated"};
    in.x = {std::vector<double>(treat.begin(), treat.end())};
    in.weights = m.weights;
    for (auto& w : in.weights) {
      if (w <= 0) w = NAN;  // unmatched rows leave the regression
    }
    const bool pairs =
        std::any_of(m.subclass.begin(), m.subclass.end(), [](int s) { return s >= 0; });
    if (pairs) {
      impact::FixedEffect sc{"subclass", m.subclass,
                             *std::max_element(m.subclass.begin(), m.subclass.end()) + 1};
      in.vcov.kind = impact::VcovKind::kCluster;
      in.vcov.clusters = {sc};
    } else {
      in.vcov.kind = impact::VcovKind::kHetero;
    }
    POLES_ASSIGN_OR_RETURN(const auto r, impact::feols(std::move(in)));
    const boost::math::students_t_distribution<double> tdist(std::max(r.df_t, 1.0));
    const double q = boost::math::quantile(boost::math::complement(tdist, 0.025));
    out["outcome"] = outcome;
    out["att"] = interval(r.coef(1), r.se(1), q,
                          m.treated_matched >= kMinFirms && m.controls_matched >= kMinFirms);
    out["att"]["se_type"] = pairs ? "clustered by matched set" : "heteroskedasticity-robust (HC1)";
  }
  return out;
}

}  // namespace

Result<Json> impact_estimate(const Frame& data, const Params& p, const ImpactProgress* progress) {
  POLES_ASSIGN_OR_RETURN(const auto estimator,
                         choice(p, "estimator", "did", {"did", "ols", "event", "match"}));
  step(progress, 0.05, "estimating");
  Result<Json> r = estimator == "did"     ? run_did(data, p, progress)
                   : estimator == "ols"   ? run_ols(data, p)
                   : estimator == "event" ? run_event(data, p)
                                          : run_match(data, p);
  if (r) {
    (*r)["data"]["rows"] = data.rows();
    step(progress, 1.0, "done");
  }
  return r;
}

const std::vector<std::string_view>& impact_tables() {
  static const std::vector<std::string_view> t = {"firm_year", "organisation",  "membership",
                                                  "cluster",   "participation", "project"};
  return t;
}

Result<Json> impact_from_store(const snapshot::Snapshot& s, const Params& given,
                               const ImpactProgress* progress) {
  step(progress, 0.0, "firm panel");
  POLES_ASSIGN_OR_RETURN(Frame f, impact::firm_panel(s));
  Params p = given;
  auto fallback = [&](const char* k, const std::string& v) {
    if (text(p, k).empty()) p[k] = v;
  };
  POLES_ASSIGN_OR_RETURN(const auto treatment,
                         choice(p, "treatment", "membership", {"membership", "funded"}));
  POLES_ASSIGN_OR_RETURN(const auto sample,
                         choice(p, "sample", "direct", {"direct", "all", "spillover"}));
  POLES_ASSIGN_OR_RETURN(const auto exposure,
                         choice(p, "exposure", "zone_sector", {"zone_sector", "network"}));
  fallback("outcome", "log(rd_spending)");
  fallback("unit", "firm");
  fallback("time", "year");
  const auto join = *f.numeric("join_year");
  const auto exposed =
      *f.numeric(exposure == "zone_sector" ? "zone_sector_exposed" : "network_exposed");
  std::vector<char> keep(f.rows(), 1);
  if (sample == "direct") {
    for (size_t i = 0; i < f.rows(); ++i) keep[i] = join[i] != 0 || exposed[i] == 0;
  } else if (sample == "spillover") {
    for (size_t i = 0; i < f.rows(); ++i) keep[i] = join[i] == 0;
  }
  f = f.subset(keep);
  f.add_numeric(
      "treated_group",
      sample == "spillover"
          ? *f.numeric(exposure == "zone_sector" ? "zone_sector_exposed" : "network_exposed")
          : *f.numeric(treatment == "membership" ? "join_year" : "funded_year"));
  fallback("group", "treated_group");
  POLES_ASSIGN_OR_RETURN(const auto estimator,
                         choice(p, "estimator", "did", {"did", "ols", "event", "match"}));
  if (estimator == "ols") {
    // Default: the outcome on being treated, firm and year effects, clustered by firm.
    const auto year = *f.numeric("year");
    const auto g = *f.numeric("treated_group");
    std::vector<double> post(f.rows());
    for (size_t i = 0; i < f.rows(); ++i) post[i] = g[i] != 0 && year[i] >= g[i];
    f.add_numeric("treated_post", std::move(post));
    fallback("x", "treated_post");
    fallback("fe", "firm,year");
    fallback("cluster", "firm");
  }
  if (estimator == "match") {
    // Conditional DiD (France Stratégie): firms joining in `cohort` against never-treated firms,
    // on their values the year before; outcome: its change up to `horizon` years after.
    POLES_ASSIGN_OR_RETURN(const int cohort, integer(p, "cohort", 2010, 1990, 2100));
    POLES_ASSIGN_OR_RETURN(const int horizon, integer(p, "horizon", 3, 0, 30));
    const std::string outcome = text(p, "outcome");
    POLES_ASSIGN_OR_RETURN(const auto y, f.numeric(outcome));
    const auto firm = *f.numeric("firm");
    const auto year = *f.numeric("year");
    const auto g = *f.numeric("treated_group");
    // Outcome the year before and `horizon` years after (NaN when the firm lacks that year: the
    // matching then leaves it out, rather than reading a missing year as 0).
    std::map<double, std::pair<double, double>> before_after;
    std::vector<char> pick(f.rows(), 0);
    for (size_t i = 0; i < f.rows(); ++i) {
      if (g[i] != 0 && g[i] != cohort) continue;
      if (year[i] == cohort - 1) {
        pick[i] = 1;
        before_after.try_emplace(firm[i], NAN, NAN).first->second.first = y[i];
      }
      if (year[i] == cohort + horizon)
        before_after.try_emplace(firm[i], NAN, NAN).first->second.second = y[i];
    }
    Frame cs = f.subset(pick);
    std::vector<double> change, treated;
    const auto cfirm = *cs.numeric("firm");
    const auto cg = *cs.numeric("treated_group");
    for (size_t i = 0; i < cs.rows(); ++i) {
      const auto& ba = before_after[cfirm[i]];
      change.push_back(ba.second - ba.first);
      treated.push_back(cg[i] == cohort);
    }
    cs.add_numeric("outcome_change", std::move(change));
    cs.add_numeric("treated", std::move(treated));
    for (const char* c : {"headcount", "rd_spending", "turnover"})
      cs.add_numeric(fmt::format("log_{}", c), *cs.numeric(fmt::format("log({})", c)));
    p["outcome"] = "outcome_change";
    fallback("treat", "treated");
    fallback("covariates", "log_headcount,log_rd_spending,log_turnover,cir_claimant,naf_division");
    POLES_ASSIGN_OR_RETURN(Json r, impact_estimate(cs, p, progress));
    r["design"] = Json{{"cohort", cohort},
                       {"horizon", horizon},
                       {"outcome", outcome},
                       {"description", fmt::format("change of {} from {} to {}", outcome,
                                                   cohort - 1, cohort + horizon)}};
    r["source"] = Json{{"kind", "store"}, {"treatment", treatment}, {"sample", sample}};
    return r;
  }
  POLES_ASSIGN_OR_RETURN(Json r, impact_estimate(f, p, progress));
  r["source"] =
      Json{{"kind", "store"}, {"treatment", treatment}, {"sample", sample}, {"exposure", exposure}};
  return r;
}

const ParamSpecs& impact_params() {
  static const ParamSpecs k = {
      choice_param("estimator",
                   "did: Callaway & Sant'Anna; ols: fixed-effects OLS; event: TWFE event study; "
                   "match: matching",
                   {"did", "ols", "event", "match"}, "did"),
      choice_param("treatment", "Store: what treats a firm", {"membership", "funded"},
                   "membership"),
      choice_param("sample", "Store: direct effect, spillover on exposed non-members, or all firms",
                   {"direct", "all", "spillover"}, "direct"),
      choice_param("exposure", "Store, spillover: how a non-member is exposed",
                   {"zone_sector", "network"}, "zone_sector"),
      text_param(
          "outcome",
          "Outcome column; log(col) and log1p(col) accepted (store default: log1p(rd_spending))"),
      text_param("unit", "Unit column (store: firm)"),
      text_param("time", "Time column (store: year)"),
      text_param("group", "First treated period column, 0 = never (store: from the treatment)"),
      list_param("covariates", "Covariate columns"),
      text_param("weights", "Weight column"),
      choice_param("control", "DiD: control units", {"never", "notyet"}, "never"),
      choice_param("base", "DiD: base period", {"varying", "universal"}, "varying"),
      text_param(
          "method",
          "DiD: reg, ipw or dr (default dr); matching: nearest, exact or cem (default nearest)"),
      integer_param("anticipation", "DiD: periods of anticipation", 0, 10, "0"),
      integer_param("bootstrap", "DiD: multiplier bootstrap draws (0: analytic errors)", 0, 100000,
                    "999"),
      integer_param("seed", "Seed of the bootstrap", 0, 2000000000, "1"),
      number_param("alpha", "Level of the intervals (1 - confidence)", 0.001, 0.5, "0.05"),
      integer_param("balance_e", "DiD: event times kept for a balanced dynamic aggregation", 0,
                    100),
      list_param("x", "OLS: regressors"),
      list_param("fe", "OLS: fixed effects"),
      list_param("cluster", "OLS: one or two cluster variables"),
      integer_param("keep_singletons",
                    "OLS: keep singleton fixed-effect groups (1) or drop them (0)", 0, 1, "0"),
      integer_param("leads", "Event study: leads", 1, 50, "5"),
      integer_param("lags", "Event study: lags", 0, 50, "5"),
      integer_param("reference", "Event study: reference event time", -50, 50, "-1"),
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
