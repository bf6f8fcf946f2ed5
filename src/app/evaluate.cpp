#include "app/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "app/factory.h"
#include "core/date.h"
#include "core/model.h"
#include "core/paths.h"
#include "evaluate/assessments.h"
#include "evaluate/indicators.h"
#include "evaluate/run.h"
#include "evaluate/trends.h"

#ifndef POLES_METHODS_DIR
#define POLES_METHODS_DIR "methods"
#endif

namespace poles::app {

using snapshot::Snapshot;

std::string methods_dir() {
  const char* env = std::getenv("POLES_METHODS_DIR");
  return env && *env ? env : data_dir("methods", POLES_METHODS_DIR);
}

Result<evaluate::MethodFile> find_method(const std::string& name, bool allow_path) {
  const bool slug = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (slug) {
    const auto path = std::filesystem::path(methods_dir()) / (name + ".toml");
    if (std::filesystem::exists(path)) return evaluate::load_method(path.string());
    // The API names no server path; the command line says where it looked.
    if (!allow_path)
      return Status::not_found(
          fmt::format("parameter 'method': no shipped method named '{}'", name));
    if (!std::filesystem::exists(name))
      return Status::not_found(
          fmt::format("no method '{}' in {}, nor a file of that name", name, methods_dir()));
  }
  if (!allow_path)
    return Status::invalid_argument(fmt::format(
        "parameter 'method' value '{}': a method name (letters, digits, - and _)", name));
  return evaluate::load_method(name);
}

namespace {

// A figure the engines leave NaN (or infinite) when undefined, as a missing value.
std::optional<double> known(double v) {
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

// Values keyed by names, in the names' order.
tj::OrderedFields<std::optional<double>> keyed(const std::vector<std::string>& names,
                                               const std::vector<double>& values) {
  tj::OrderedFields<std::optional<double>> out;
  for (size_t i = 0; i < values.size(); ++i) out.items.emplace_back(names[i], known(values[i]));
  return out;
}

AssessmentAgreement agreement(const evaluate::Agreement& a) {
  return AssessmentAgreement{a.targets, known(a.icc1), known(a.exact_agreement),
                             known(a.mean_abs_difference)};
}

std::string area_code(EscaArea a) { return std::string(kEscaAreaCodes[static_cast<size_t>(a)]); }

}  // namespace

const EvaluatedCluster* YearEvaluation::find(std::string_view id) const {
  for (const auto& c : clusters) {
    if (c.cluster == id) return &c;
  }
  return nullptr;
}

const IndicatorTrendSeries* IndicatorTrends::find(std::string_view id) const {
  for (const auto& s : indicators) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const AssessedCluster* AssessmentsView::find(std::string_view id) const {
  for (const auto& c : clusters) {
    if (c.cluster == id) return &c;
  }
  return nullptr;
}

IndicatorCatalogue indicator_catalogue() {
  IndicatorCatalogue out;
  for (const auto& d : evaluate::indicator_defs()) {
    out.items.push_back(IndicatorCatalogueEntry{
        std::string(d.id), std::string(evaluate::kPillarCodes[static_cast<size_t>(d.pillar)]),
        std::string(d.unit), std::string(kDirectionCodes[static_cast<size_t>(d.direction)]),
        std::string(d.formula), d.firm_aggregate});
  }
  return out;
}

Result<YearEvaluation> evaluation(const Snapshot& s, const Args& a, bool allow_path) {
  const int year = a.integer("year");
  POLES_ASSIGN_OR_RETURN(auto m, find_method(a.text("method"), allow_path));
  // Absent, the method's own values apply.
  if (const auto v = a.opt_integer("draws")) m.draws = static_cast<size_t>(*v);
  if (const auto v = a.opt_integer("seed")) m.seed = static_cast<uint64_t>(*v);
  if (const auto v = a.opt_integer("sobol_n")) m.sobol_n = static_cast<size_t>(*v);
  POLES_ASSIGN_OR_RETURN(auto ev, evaluate::evaluate_year(s, m, year));
  YearEvaluation out;
  out.year = year;
  out.ranked = ev.ranked;
  out.evaluated = static_cast<int>(ev.clusters.size());
  out.method = EvaluationMethodInfo{m.name,     m.description, m.indicators,
                                    m.pillars,  m.peer_groups, ev.rating_by,
                                    m.title_fr, m.title_en,    m.description_fr};
  out.uncertainty = EvaluationUncertainty{ev.draws, ev.seed};
  out.sensitivity.output = "mean absolute rank shift from the nominal ranking";
  out.sensitivity.runs = ev.sensitivity.runs;
  for (size_t i = 0; i < ev.sensitivity.first.size(); ++i) {
    out.sensitivity.indices.push_back(EvaluationSensitivityIndex{
        evaluate::kUncertainInputs[i], ev.sensitivity.first[i], ev.sensitivity.total[i]});
  }
  for (const auto& g : ev.peers)
    out.peers[g.group] = EvaluationPeerGroup{g.clusters, keyed(m.pillars, g.pillars)};
  const auto& ct = s.table("cluster");
  const auto& name = ct.column("name");
  const auto& region = ct.column("region");
  const auto& scale = ct.column("scale");
  for (const auto& c : ev.clusters) {
    const auto row = static_cast<size_t>(c.cluster);
    EvaluatedCluster x;
    x.cluster = std::string(ct.key(row));
    x.name = std::string(name.text(row));
    x.region = std::string(region.text(row));
    x.scale = std::string(scale.text(row));
    x.peer_group = c.peer_group;
    x.index = known(c.index);
    x.rank = c.rank;
    x.peer_rank = c.peer_rank;
    x.rank_interval = EvaluationRankInterval{c.interval.p05, c.interval.median, c.interval.p95};
    x.rating = c.rating;
    if (c.previous_rank != 0) x.previous_rank = c.previous_rank;
    x.trend = c.trend;
    x.pillars = keyed(m.pillars, c.pillars);
    x.indicators = keyed(m.indicators, c.raw);
    x.previous_indicators = keyed(m.indicators, c.previous);
    for (const auto& t : c.targets) {
      x.targets.push_back(
          EvaluationTarget{t.indicator, t.target, known(t.value), t.higher ? "higher" : "lower",
                           t.met < 0 ? std::nullopt : std::optional<bool>(t.met == 1)});
    }
    x.consecutive_misses = c.consecutive_misses;
    x.improvement_plan = c.improvement_plan;
    for (size_t k = 0; k < c.criteria.size(); ++k) {
      const auto& def = m.criteria[k];
      x.criteria.push_back(EvaluationCriterion{
          def.id, def.indicator, known(c.criteria[k].value),
          c.criteria[k].met < 0 ? std::nullopt : std::optional<bool>(c.criteria[k].met == 1),
          def.text_fr, def.text_en,
          std::isnan(def.min) && std::isnan(def.max_fall) && !std::isnan(def.max) ? "lower"
                                                                                  : "higher"});
    }
    x.criteria_failing = c.criteria_failing;
    x.action = EvaluationAction{c.action.level, c.action.action, c.action.reasons,
                                c.action.action_fr, c.action.reasons_fr};
    out.clusters.push_back(std::move(x));
  }
  return out;
}

Result<MethodComparison> compare_methods(const Snapshot& s, const Args& a, bool allow_path) {
  POLES_ASSIGN_OR_RETURN(auto one, evaluation(s, a, allow_path));
  Params p = a.values();
  p["method"] = a.text("against");
  p.erase("against");
  POLES_ASSIGN_OR_RETURN(auto args, parse(evaluation_params(), p));
  POLES_ASSIGN_OR_RETURN(auto other, evaluation(s, args, allow_path));
  MethodComparison out;
  out.year = one.year;
  out.method = one.method.name;
  out.against = other.method.name;
  out.clusters = one.clusters.size();
  out.levels.assign(5, std::vector<int>(5, 0));
  for (const auto& c : one.clusters) {
    const EvaluatedCluster* o = other.find(c.cluster);
    if (o == nullptr) continue;
    ComparedCluster x{c.cluster,
                      c.name,
                      c.rank,
                      c.rank_interval,
                      c.rating,
                      o->rating,
                      c.action.level,
                      o->action.level,
                      c.action.reasons,
                      o->action.reasons,
                      c.action.reasons_fr,
                      o->action.reasons_fr};
    if (x.level >= 0 && x.level <= 4 && x.level_against >= 0 && x.level_against <= 4)
      ++out.levels[static_cast<size_t>(x.level)][static_cast<size_t>(x.level_against)];
    out.action_changed += x.level != x.level_against;
    out.rating_changed += x.rating != x.rating_against;
    out.items.push_back(std::move(x));
  }
  return out;
}

namespace {

CorrelationMatrix matrix_of(const std::vector<std::string>& names, const evaluate::Table& t) {
  CorrelationMatrix m;
  m.names = names;
  for (size_t i = 0; i < t.rows; ++i) {
    std::vector<std::optional<double>> row;
    for (size_t j = 0; j < t.cols; ++j) row.push_back(known(t.at(i, j)));
    m.r.push_back(std::move(row));
  }
  return m;
}

}  // namespace

Result<MethodAudit> method_audit(const Snapshot& s, const Args& a, bool allow_path) {
  const int year = a.integer("year");
  POLES_ASSIGN_OR_RETURN(auto m, find_method(a.text("method"), allow_path));
  POLES_ASSIGN_OR_RETURN(auto ya, evaluate::audit_year(s, m, year));
  const evaluate::Audit& au = ya.audit;
  MethodAudit out;
  out.year = year;
  out.method = m.name;
  out.clusters = ya.rows.size();
  out.thresholds = AuditThresholdsView{m.audit.redundant, m.audit.negative, m.audit.min_alpha,
                                       m.audit.weight_ratio};
  auto pillar_of = [&](size_t i) { return m.pillars[static_cast<size_t>(m.method.pillar[i])]; };
  for (size_t i = 0; i < m.indicators.size(); ++i) {
    out.indicators.push_back(AuditedIndicator{m.indicators[i], pillar_of(i),
                                              known(au.with_pillar[i]), known(au.with_index[i]),
                                              au.nominal_weight[i], au.effective_weight[i]});
  }
  for (const auto& pa : au.pillars) {
    AuditedPillar x;
    x.pillar = m.pillars[static_cast<size_t>(pa.pillar)];
    x.units = pa.units;
    for (size_t i : pa.indicators) x.indicators.push_back(m.indicators[i]);
    x.alpha = known(pa.alpha);
    x.standardised_alpha = known(pa.std_alpha);
    x.mean_correlation = known(pa.mean_correlation);
    x.with_index = known(au.pillar_with_index[static_cast<size_t>(pa.pillar)]);
    x.eigenvalues = pa.eigenvalues;
    for (size_t c = 0; c < pa.loadings.size(); ++c) {
      AuditComponent comp{pa.eigenvalues[c], pa.variance_share[c], {}};
      for (size_t i = 0; i < pa.indicators.size(); ++i)
        comp.loadings.items.emplace_back(m.indicators[pa.indicators[i]], pa.loadings[c][i]);
      x.components.push_back(std::move(comp));
    }
    out.pillars.push_back(std::move(x));
  }
  for (const auto& f : au.flags) {
    AuditFlagView v;
    v.kind = f.kind;
    v.pillar = f.pillar >= 0 ? m.pillars[static_cast<size_t>(f.pillar)] : "";
    if (f.a >= 0) v.indicator = m.indicators[static_cast<size_t>(f.a)];
    if (f.b >= 0) v.other = m.indicators[static_cast<size_t>(f.b)];
    v.value = f.value;
    out.flags.push_back(std::move(v));
  }
  out.indicator_correlations = matrix_of(m.indicators, au.correlation);
  out.pillar_correlations = matrix_of(m.pillars, au.pillar_correlation);
  return out;
}

Result<ClusterEfficiency> cluster_efficiency(const Snapshot& s, const Args& a, bool allow_path) {
  const int year = a.integer("year");
  POLES_ASSIGN_OR_RETURN(auto m, find_method(a.text("method"), allow_path));
  if (const auto& o = a.text("orientation"); !o.empty())
    m.efficiency.orientation =
        o == "output" ? evaluate::Orientation::kOutput : evaluate::Orientation::kInput;
  if (const auto& r = a.text("returns"); !r.empty())
    m.efficiency.returns =
        r == "constant" ? evaluate::Returns::kConstant : evaluate::Returns::kVariable;
  POLES_ASSIGN_OR_RETURN(auto ye, evaluate::efficiency_year(s, m, year));
  const bool crs = m.efficiency.returns == evaluate::Returns::kConstant;
  ClusterEfficiency out;
  out.year = year;
  out.method = m.name;
  out.orientation = m.efficiency.orientation == evaluate::Orientation::kInput ? "input" : "output";
  out.returns = crs ? "constant" : "variable";
  out.inputs = m.efficiency.inputs;
  out.outputs = m.efficiency.outputs;
  const auto& ct = s.table("cluster");
  const auto& name = ct.column("name");
  for (size_t u = 0; u < ye.rows.size(); ++u) {
    const auto row = static_cast<size_t>(ye.rows[u]);
    ClusterEfficiencyRow x;
    x.cluster = std::string(ct.key(row));
    x.name = std::string(name.text(row));
    std::vector<double> in(ye.inputs.cols), outp(ye.outputs.cols);
    for (size_t i = 0; i < in.size(); ++i) in[i] = ye.inputs.at(u, i);
    for (size_t r = 0; r < outp.size(); ++r) outp[r] = ye.outputs.at(u, r);
    x.inputs = keyed(out.inputs, in);
    x.outputs = keyed(out.outputs, outp);
    const auto& c = ye.constant[u];
    const auto& v = ye.variable[u];
    x.assessed = c.assessed;
    if (!x.assessed) {
      // Why, in the order the engine checks (evaluate/efficiency.h).
      for (size_t i = 0; i < in.size() && !x.reason; ++i) {
        if (!std::isfinite(in[i]))
          x.reason = fmt::format("input '{}' unknown", out.inputs[i]);
        else if (in[i] <= 0)
          x.reason = fmt::format("input '{}' is not positive", out.inputs[i]);
      }
      for (size_t r = 0; r < outp.size() && !x.reason; ++r) {
        if (!std::isfinite(outp[r]))
          x.reason = fmt::format("output '{}' unknown", out.outputs[r]);
        else if (outp[r] < 0)
          x.reason = fmt::format("output '{}' negative", out.outputs[r]);
      }
      if (!x.reason) x.reason = "fewer than two clusters can be compared this year";
      out.clusters.push_back(std::move(x));
      continue;
    }
    ++out.assessed;
    x.constant_returns = c.efficiency;
    x.variable_returns = v.efficiency;
    x.efficiency = crs ? c.efficiency : v.efficiency;
    x.scale = v.efficiency > 0 ? known(c.efficiency / v.efficiency) : std::nullopt;
    if (*x.efficiency > 1 - 1e-9) ++out.efficient;
    const auto& lambda = crs ? c.lambda : v.lambda;
    for (size_t j = 0; j < lambda.size(); ++j) {
      if (lambda[j] > 0 && j != u) x.peers.emplace_back(ct.key(static_cast<size_t>(ye.rows[j])));
    }
    out.clusters.push_back(std::move(x));
  }
  std::stable_sort(out.clusters.begin(), out.clusters.end(), [](const auto& x, const auto& y) {
    if (x.assessed != y.assessed) return x.assessed;
    return x.efficiency.value_or(0) > y.efficiency.value_or(0);
  });
  return out;
}

Result<IndicatorTrends> indicator_trends(const Snapshot& s, const std::string& cluster,
                                         const Args& a) {
  const int32_t row = s.table("cluster").find(cluster);
  if (row < 0) return Status::not_found(fmt::format("no cluster '{}'", cluster));
  const int from = a.integer("from"), to = a.integer("to");
  if (from > to)
    return Status::invalid_argument(
        fmt::format("parameter 'from' ({}) is after 'to' ({})", from, to));
  // A firm aggregate's peers' figure counts only the peers whose figure a table published to all
  // shows (the financing raised by cluster and year, after secrecy): it is computed from public
  // figures only. The other firm aggregates (member jobs, their growth, R&D staff, jobs from
  // results) are published by cluster to no one: no peers' figure. Peer sets differ by reader
  // (each leaves its own cluster out), and a region reading two of its clusters' trends could
  // difference two central means of non-public figures down to one cluster's.
  const int financing = evaluate::indicator_index("financing_raised");
  std::set<std::pair<int, int>> published;  // (cluster row, year)
  for (const auto& f : open_services_financing(s))
    if (f.year != 0 && f.cell.value) published.emplace(f.cluster, f.year);
  const auto trends =
      evaluate::cluster_trends(s, row, from, to, [&](int indicator, int year, int32_t c) {
        return indicator == financing && published.contains({c, year});
      });
  IndicatorTrends out;
  out.cluster = cluster;
  for (int y = from; y <= to; ++y) out.years.push_back(y);
  out.peer_group = std::string(s.table("cluster").column("scale").text(static_cast<size_t>(row)));
  const auto defs = evaluate::indicator_defs();
  // The national figures by indicator (rows of indicators outside the catalogue are not shown).
  const auto& nf = s.table("national_figure");
  const auto& n_indicator = nf.column("indicator");
  const auto& n_year = nf.column("year");
  const auto& n_value = nf.column("value");
  const auto& n_statistic = nf.column("statistic");
  const auto& n_source = nf.column("source");
  std::map<std::string, std::vector<size_t>> national;
  for (size_t r = 0; r < nf.rows; ++r) national[std::string(n_indicator.text(r))].push_back(r);
  for (size_t i = 0; i < defs.size(); ++i) {
    IndicatorTrendSeries x{std::string(defs[i].id),
                           std::string(evaluate::kPillarCodes[static_cast<size_t>(defs[i].pillar)]),
                           std::string(defs[i].unit),
                           {},
                           {},
                           trends.indicators[i].central_mean ? "central_mean" : "median",
                           {},
                           {},
                           {}};
    for (double v : trends.indicators[i].values) x.values.push_back(known(v));
    for (double v : trends.indicators[i].peer_median) x.peer_median.push_back(known(v));
    x.national.assign(out.years.size(), std::nullopt);
    // One statistic per line: that of the latest year in range (a median and a mean are not
    // joined into one line), with that year's source.
    const std::vector<size_t>& rows = national[std::string(defs[i].id)];
    int latest = 0;
    for (const size_t r : rows) {
      const int y = static_cast<int>(n_year.ints[r]);
      if (y < from || y > to || y < latest) continue;
      latest = y;
      x.national_statistic = std::string(n_statistic.text(r));
      x.national_source = tj::Omittable<std::string>();
      if (const auto src = n_source.text(r); !src.empty()) x.national_source = std::string(src);
    }
    for (const size_t r : rows) {
      const int y = static_cast<int>(n_year.ints[r]);
      if (y < from || y > to || n_statistic.text(r) != x.national_statistic.value_or("")) continue;
      x.national[static_cast<size_t>(y - from)] = known(n_value.reals[r]);
    }
    out.indicators.push_back(std::move(x));
  }
  return out;
}

AssessmentsView assessments_view(const Snapshot& s, const Args& a) {
  const auto found = evaluate::assessments(s, a.integer("year"));
  const auto& ct = s.table("cluster");
  const auto& name = ct.column("name");
  AssessmentsView out;
  out.year = found.year;
  out.scale = "0 (absent) to 4 (excellent)";
  out.agreement.overall = agreement(found.overall);
  for (const auto& x : found.areas)
    out.agreement.areas.items.emplace_back(area_code(x.area), agreement(x.agreement));
  for (const auto& c : found.clusters) {
    const auto row = static_cast<size_t>(c.cluster);
    AssessedCluster x{std::string(ct.key(row)), std::string(name.text(row)), {}};
    for (const auto& area : c.areas) {
      AssessmentArea scores{area.mean, {}};
      for (const auto& sc : area.scores)
        scores.scores.push_back(AssessmentScore{sc.evaluator, sc.score, sc.justification});
      x.areas.items.emplace_back(area_code(area.area), std::move(scores));
    }
    out.clusters.push_back(std::move(x));
  }
  return out;
}

Characterisation characterisation(const Snapshot& s, const Args& a) {
  return characterise::characterise(
      s, a.integer("year"),
      characterise::CharacterisationThresholds{
          a.number("members_outside"), a.number("partners_outside"), a.number("national_funding")});
}

std::vector<std::pair<std::string, formats::Table>> evaluation_sheets(const YearEvaluation& ev) {
  formats::Table ranking{{"rank", "cluster", "name", "index", "rank_p05", "rank_median", "rank_p95",
                          "rating", "peer_group", "peer_rank", "trend", "action_level", "action"},
                         {}};
  formats::Table pillars{{"cluster"}, {}}, indicators{{"cluster"}, {}},
      compliance{{"cluster", "indicator", "target", "value", "direction", "met"}, {}};
  for (const auto& p : ev.method.pillars) pillars.columns.push_back(p);
  for (const auto& i : ev.method.indicators) indicators.columns.push_back(i);
  auto num = [](const std::optional<double>& v) { return v ? Value{*v} : Value{}; };
  for (const auto& c : ev.clusters) {
    ranking.rows.push_back({Value{int64_t{c.rank}}, Value{c.cluster}, Value{c.name}, num(c.index),
                            Value{c.rank_interval.p05}, Value{c.rank_interval.median},
                            Value{c.rank_interval.p95}, Value{c.rating}, Value{c.peer_group},
                            Value{int64_t{c.peer_rank}}, Value{c.trend},
                            Value{int64_t{c.action.level}}, Value{c.action.action}});
    Row pr{Value{c.cluster}}, ir{Value{c.cluster}};
    for (const auto& [k, v] : c.pillars.items) pr.push_back(num(v));
    for (const auto& [k, v] : c.indicators.items) ir.push_back(num(v));
    pillars.rows.push_back(std::move(pr));
    indicators.rows.push_back(std::move(ir));
    for (const auto& t : c.targets) {
      compliance.rows.push_back({Value{c.cluster}, Value{t.indicator}, Value{t.target},
                                 num(t.value), Value{t.direction},
                                 t.met ? Value{std::string(*t.met ? "met" : "missed")} : Value{}});
    }
  }
  if (!ev.ranked) {
    // No ranking (fewer than 3 clusters): each cluster's indicators against the year before.
    formats::Table self{{"cluster", "indicator", std::to_string(ev.year - 1),
                         std::to_string(ev.year), "action_level", "action"},
                        {}};
    for (const auto& c : ev.clusters) {
      for (size_t i = 0; i < c.indicators.items.size(); ++i) {
        self.rows.push_back({Value{c.cluster}, Value{c.indicators.items[i].first},
                             num(c.previous_indicators.items[i].second),
                             num(c.indicators.items[i].second), Value{int64_t{c.action.level}},
                             Value{c.action.action}});
      }
    }
    return {{"indicators", self}, {"compliance", compliance}};
  }
  return {{"ranking", ranking},
          {"pillars", pillars},
          {"indicators", indicators},
          {"compliance", compliance}};
}
const ParamSpecs& evaluation_params() {
  static const ParamSpecs k = {
      integer_param("year", "Year evaluated", 2005, 2100, "2022"),
      text_param("method", "Method file: the name of one shipped in methods/", "default"),
      integer_param("draws", "Monte Carlo draws of the rank intervals (default: the method's)", 0,
                    1000000),
      integer_param("seed", "Seed of the Monte Carlo (default: the method's)", 0, 2147483647),
      integer_param("sobol_n", "Base sample of the Sobol indices, 0: none (default: the method's)",
                    0, 100000)};
  return k;
}

const ParamSpecs& comparison_params() {
  static const ParamSpecs k = [] {
    ParamSpecs out = evaluation_params();
    out.push_back(text_param(
        "against", "The method compared with (a name or, on the command line, a file)", "quota"));
    return out;
  }();
  return k;
}

const ParamSpecs& method_params() {
  static const ParamSpecs k = {
      integer_param("year", "Year evaluated", 2005, 2100, "2022"),
      text_param("method", "Method file: the name of one shipped in methods/", "default")};
  return k;
}

const ParamSpecs& efficiency_params() {
  static const ParamSpecs k = [] {
    ParamSpecs out = method_params();
    out.push_back(choice_param("orientation",
                               "input: the share of its inputs a cluster needs for its outputs; "
                               "output: how much more it could produce (default: the method's)",
                               {"input", "output"}));
    out.push_back(choice_param("returns",
                               "Returns to scale of the efficiency given (default: the method's)",
                               {"constant", "variable"}));
    return out;
  }();
  return k;
}

const ParamSpecs& trends_params() {
  static const ParamSpecs k = {integer_param("from", "First year", 2005, 2100, "2009"),
                               integer_param("to", "Last year", 2005, 2100, "2024")};
  return k;
}

const ParamSpecs& assessments_params() {
  static const ParamSpecs k = {
      integer_param("year", "Year of the assessments", 2005, 2100, "2022")};
  return k;
}

const ParamSpecs& characterisation_params() {
  static const ParamSpecs k = {
      integer_param("year", "Year characterised", 2005, 2100, "2022"),
      number_param("members_outside",
                   "Share of members outside the home region above which a cluster acts nationally",
                   0, 1, "0.25"),
      number_param(
          "partners_outside",
          "Share of project partners outside the home region above which a cluster acts nationally",
          0, 1, "0.4"),
      number_param("national_funding",
                   "Share of national or European funding above which a cluster acts nationally", 0,
                   1, "0.5")};
  return k;
}

void withhold_small_peer_groups(YearEvaluation& ev) {
  std::erase_if(ev.peers,
                [](const auto& group) { return group.second.clusters < kMinPublishedPeerGroup; });
}

namespace {

// A row of (year, data_version, published_by, published_at, parameters, public_at).
EvaluationPublication publication_of(const Row& r) {
  EvaluationPublication p;
  p.year = static_cast<int>(std::get<int64_t>(r[0]));
  p.data_version = std::get<int64_t>(r[1]);
  p.published_by = std::get<std::string>(r[2]);
  p.published_at = std::get<std::string>(r[3]);
  p.parameters = tj::Json::parse(std::get<std::string>(r[4]), nullptr, false);
  if (!is_null(r[5])) p.public_at = std::get<std::string>(r[5]);
  return p;
}

}  // namespace

Result<EvaluationPublication> publish_evaluation(store::Store& s, const User& u,
                                                 const YearEvaluation& ev,
                                                 const tj::Json& parameters,
                                                 const std::vector<PublishedReport>& reports) {
  POLES_ASSIGN_OR_RETURN(const uint64_t version, s.data_version());
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  POLES_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT 1 FROM evaluation_publication WHERE year = ?",
                                              {static_cast<int64_t>(ev.year)}));
  if (!rows.empty())
    return Status::conflict(fmt::format(
        "the evaluation of {} is published already (a publication is frozen)", ev.year));
  EvaluationPublication out{
      ev.year, static_cast<int64_t>(version), u.name, utc_timestamp(), parameters, std::nullopt};
  POLES_RETURN_IF_ERROR(tx->execute(
      "INSERT INTO evaluation_publication (year, data_version, published_by, published_at, "
      "parameters, evaluation) VALUES (?, ?, ?, ?, ?, ?)",
      {static_cast<int64_t>(ev.year), out.data_version, out.published_by, out.published_at,
       parameters.dump(), tj::to_json(ev).dump()}));
  for (const auto& r : reports) {
    POLES_RETURN_IF_ERROR(tx->execute(
        "INSERT INTO evaluation_report (year, cluster_id, lang, html) VALUES (?, ?, ?, ?)",
        {static_cast<int64_t>(ev.year), r.cluster, r.lang, r.html}));
  }
  store::AuditEntry a;
  a.at = out.published_at;
  a.actor = u.name;
  a.action = "publish";
  a.entity = "evaluation";
  a.key = std::to_string(ev.year);
  a.after = tj::to_json(EvaluationPublication(out)).dump();
  POLES_RETURN_IF_ERROR(tx->append_audit(a));
  POLES_RETURN_IF_ERROR(tx->commit());
  return out;
}

Result<EvaluationPublications> evaluation_publications(store::Store& s) {
  POLES_ASSIGN_OR_RETURN(auto rows,
                         s.query("SELECT year, data_version, published_by, published_at, "
                                 "parameters, public_at FROM evaluation_publication ORDER BY year",
                                 {}));
  EvaluationPublications out;
  for (const auto& r : rows) out.items.push_back(publication_of(r));
  return out;
}

Result<EvaluationPublication> set_evaluation_public(store::Store& s, const User& u, int year,
                                                    bool shown) {
  POLES_ASSIGN_OR_RETURN(auto tx, s.begin());
  const auto select = [&]() {
    return tx->query(
        "SELECT year, data_version, published_by, published_at, parameters, public_at FROM "
        "evaluation_publication WHERE year = ?",
        {static_cast<int64_t>(year)});
  };
  POLES_ASSIGN_OR_RETURN(auto before, select());
  if (before.empty())
    return Status::not_found(
        fmt::format("the evaluation of {} is not published: publish it first", year));
  const std::string at = utc_timestamp();
  POLES_RETURN_IF_ERROR(tx->execute(
      "UPDATE evaluation_publication SET public_at = ?, public_by = ? WHERE year = ?",
      {shown ? Value{at} : Value{}, shown ? Value{u.name} : Value{}, static_cast<int64_t>(year)}));
  POLES_ASSIGN_OR_RETURN(auto after, select());
  store::AuditEntry a;
  a.at = at;
  a.actor = u.name;
  a.action = shown ? "show_public" : "withdraw_public";
  a.entity = "evaluation";
  a.key = std::to_string(year);
  a.before = tj::to_json(publication_of(before.front())).dump();
  a.after = tj::to_json(publication_of(after.front())).dump();
  POLES_RETURN_IF_ERROR(tx->append_audit(a));
  POLES_RETURN_IF_ERROR(tx->commit());
  return publication_of(after.front());
}

Result<std::optional<PublicEvaluationSummary>> public_evaluation_summary(store::Store& s,
                                                                         std::string_view cluster) {
  POLES_ASSIGN_OR_RETURN(auto rows, s.query("SELECT year, public_at, evaluation FROM "
                                            "evaluation_publication WHERE public_at IS NOT NULL "
                                            "ORDER BY year DESC LIMIT 1",
                                            {}));
  if (rows.empty()) return std::optional<PublicEvaluationSummary>();
  const auto ev = tj::Json::parse(std::get<std::string>(rows[0][2]), nullptr, false);
  if (!ev.is_object() || !ev.contains("clusters") || !ev["clusters"].is_array())
    return Status::internal("a published evaluation is not readable");
  const auto& list = ev["clusters"];
  for (const auto& c : list) {
    if (c.value("cluster", "") != cluster) continue;
    PublicEvaluationSummary out;
    out.year = static_cast<int>(std::get<int64_t>(rows[0][0]));
    out.shown_at = std::get<std::string>(rows[0][1]);
    out.rating = c.value("rating", "");
    out.rank = c.value("rank", 0);
    // An evaluation without ranking (fewer than 3 clusters) has no rating to show.
    if (!ev.value("ranked", true)) return std::optional<PublicEvaluationSummary>();
    const auto& iv = c.value("rank_interval", tj::Json::object());
    out.rank_low = static_cast<int>(std::lround(iv.value("p05", 0.0)));
    out.rank_high = static_cast<int>(std::lround(iv.value("p95", 0.0)));
    out.clusters = static_cast<int>(list.size());
    out.trend = c.value("trend", "");
    return std::optional(out);
  }
  return std::optional<PublicEvaluationSummary>();
}

Result<std::optional<tj::Json>> published_evaluation(store::Store& s, int year) {
  POLES_ASSIGN_OR_RETURN(auto rows, s.query("SELECT evaluation FROM evaluation_publication "
                                            "WHERE year = ?",
                                            {static_cast<int64_t>(year)}));
  if (rows.empty()) return std::optional<tj::Json>();
  return std::optional<tj::Json>(tj::Json::parse(std::get<std::string>(rows[0][0])));
}

Result<std::optional<std::string>> published_report(store::Store& s, int year,
                                                    const std::string& cluster,
                                                    const std::string& lang) {
  POLES_ASSIGN_OR_RETURN(auto rows, s.query("SELECT html FROM evaluation_report WHERE year = ? "
                                            "AND cluster_id = ? AND lang = ?",
                                            {static_cast<int64_t>(year), cluster, lang}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::get<std::string>(rows[0][0]));
}

}  // namespace poles::app
