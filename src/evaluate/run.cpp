#include "evaluate/run.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "numeric/stats.h"

namespace poles::evaluate {

using snapshot::Snapshot;

namespace {

// A rating class's name in French, for reasons (the vocabulary's words: web/vocab.json).
std::string rating_fr(const std::string& code) {
  if (code == "very_performing") return "très performant";
  if (code == "performing") return "performant";
  if (code == "less_performing") return "moins performant";
  if (code == kNotDistinguishable) return "non départagé";
  return code;
}

std::string joined(const std::vector<std::string>& v, std::string_view sep) {
  return fmt::format("{}", fmt::join(v, sep));
}

}  // namespace

std::string rating_by_interval(const std::vector<RatingClass>& classes, size_t n, double p05,
                               double p95) {
  double first = 1, upto = 0;
  for (size_t k = 0; k < classes.size(); ++k) {
    upto += classes[k].top_share;
    // The class's last rank (the last class takes the rest).
    const double last = k + 1 == classes.size() ? static_cast<double>(n)
                                                : std::ceil(upto * static_cast<double>(n) - 1e-9);
    if (p05 >= first - 1e-9 && p95 <= last + 1e-9) return classes[k].name;
    first = last + 1;
  }
  return std::string(kNotDistinguishable);
}

ProposedAction propose_action(const std::vector<ActionRule>& ladder, const ActionInputs& in) {
  ProposedAction out;
  for (const auto& r : ladder) {
    std::vector<std::string> en, fr;
    if (!r.ratings.empty()) {
      if (std::find(r.ratings.begin(), r.ratings.end(), in.rating) == r.ratings.end()) continue;
      en.push_back(fmt::format("rated {}", in.rating));
      fr.push_back(fmt::format("noté « {} »", rating_fr(in.rating)));
    }
    if (r.min_consecutive_misses > 0) {
      if (in.consecutive_misses < r.min_consecutive_misses) continue;
      en.push_back(
          fmt::format("contract targets missed {} year(s) in a row", in.consecutive_misses));
      fr.push_back(in.consecutive_misses == 1
                       ? std::string("objectifs du contrat manqués cette année")
                       : fmt::format("objectifs du contrat manqués {} années de suite",
                                     in.consecutive_misses));
    }
    if (!r.trend.empty()) {
      if (in.trend != r.trend) continue;
      en.push_back(fmt::format("ranking trend {}", in.trend));
      fr.push_back(in.trend == "down" ? "en recul dans le classement"
                                      : "en progrès dans le classement");
    }
    if (r.improvement_plan >= 0) {
      if (in.improvement_plan != (r.improvement_plan == 1)) continue;
      en.emplace_back(in.improvement_plan ? "an improvement plan was already in the contract"
                                          : "no improvement plan yet");
      fr.emplace_back(in.improvement_plan ? "un plan d'amélioration figurait déjà au contrat"
                                          : "pas encore de plan d'amélioration");
    }
    if (r.min_criteria_failed > 0) {
      bool holds = in.failing.size() >= static_cast<size_t>(r.min_years_failing);
      for (int y = 0; holds && y < r.min_years_failing; ++y)
        holds = in.failing[static_cast<size_t>(y)] >= r.min_criteria_failed;
      if (!holds) continue;
      // This year's failed criteria are named; persistence counts failed criteria each year.
      const std::string years_en =
          r.min_years_failing > 1
              ? fmt::format(", and at least {} not met in each of the last {} years",
                            r.min_criteria_failed, r.min_years_failing)
              : "";
      const std::string years_fr =
          r.min_years_failing > 1
              ? fmt::format(" et au moins {} non atteint{} chacune des {} dernières années",
                            r.min_criteria_failed, r.min_criteria_failed > 1 ? "s" : "",
                            r.min_years_failing)
              : "";
      en.push_back(fmt::format("{} {} not met ({}){}", in.failing[0],
                               in.failing[0] > 1 ? "criteria" : "criterion",
                               joined(in.failed_en, "; "), years_en));
      fr.push_back(fmt::format("{} critère{} non atteint{} ({}){}", in.failing[0],
                               in.failing[0] > 1 ? "s" : "", in.failing[0] > 1 ? "s" : "",
                               joined(in.failed_fr, " ; "), years_fr));
    }
    out.reasons.push_back(fmt::format("level {} ({}): {}", r.level, r.action,
                                      en.empty() ? std::string("always") : joined(en, ", ")));
    out.reasons_fr.push_back(fmt::format("niveau {} ({}) : {}", r.level, r.action_fr,
                                         fr.empty() ? std::string("toujours") : joined(fr, ", ")));
    if (r.level > out.level) {
      out.level = r.level;
      out.action = r.action;
      out.action_fr = r.action_fr;
    }
  }
  return out;
}

ProposedAction propose_action(const std::vector<ActionRule>& ladder, const std::string& rating,
                              int consecutive_misses, const std::string& trend,
                              bool improvement_plan) {
  return propose_action(
      ladder, ActionInputs{rating, consecutive_misses, trend, improvement_plan, {}, {}, {}});
}

Table indicator_table(const Catalogue& c, const MethodFile& m, int year,
                      std::vector<int32_t>& rows) {
  rows.clear();
  const auto& active = c.active[static_cast<size_t>(year - c.from_year)];
  for (size_t r = 0; r < active.size(); ++r) {
    if (active[r]) rows.push_back(static_cast<int32_t>(r));
  }
  Table t{rows.size(), m.indicators.size(), std::vector<double>(rows.size() * m.indicators.size())};
  std::vector<int> idx;
  for (const auto& id : m.indicators) idx.push_back(indicator_index(id));
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t k = 0; k < idx.size(); ++k) t.at(r, k) = c.at(year, rows[r], idx[k]);
  }
  return t;
}

namespace {

// The catalogue's values of `ids` for the clusters `rows` in `year`.
Table columns_of(const Catalogue& c, const std::vector<std::string>& ids, int year,
                 const std::vector<int32_t>& rows) {
  Table t{rows.size(), ids.size(), std::vector<double>(rows.size() * ids.size())};
  for (size_t r = 0; r < rows.size(); ++r)
    for (size_t k = 0; k < ids.size(); ++k)
      t.at(r, k) = c.at(year, rows[r], indicator_index(ids[k]));
  return t;
}

}  // namespace

Result<YearAudit> audit_year(const Snapshot& s, const MethodFile& m, int year) {
  const Catalogue cat = catalogue(s, year - 10, year);  // as evaluate_year reads it
  YearAudit out;
  const Table raw = indicator_table(cat, m, year, out.rows);
  if (out.rows.size() < kMinRanked)
    return Status::not_found(
        fmt::format("{} clusters labelled in {}: an audit needs a composite of {} clusters or more",
                    out.rows.size(), year, kMinRanked));
  POLES_ASSIGN_OR_RETURN(auto comp, compute(raw, m.method));
  out.audit = audit(comp, m.method, m.audit);
  return out;
}

Result<YearEfficiency> efficiency_year(const Snapshot& s, const MethodFile& m, int year) {
  const Catalogue cat = catalogue(s, year - 10, year);  // as evaluate_year reads it
  YearEfficiency out;
  indicator_table(cat, m, year, out.rows);
  if (out.rows.empty())
    return Status::not_found(
        fmt::format("no cluster is labelled in {}: nothing to evaluate", year));
  out.inputs = columns_of(cat, m.efficiency.inputs, year, out.rows);
  out.outputs = columns_of(cat, m.efficiency.outputs, year, out.rows);
  POLES_ASSIGN_OR_RETURN(
      out.constant, dea(out.inputs, out.outputs, m.efficiency.orientation, Returns::kConstant));
  POLES_ASSIGN_OR_RETURN(
      out.variable, dea(out.inputs, out.outputs, m.efficiency.orientation, Returns::kVariable));
  return out;
}

Result<Evaluation> evaluate_year(const Snapshot& s, const MethodFile& m, int year,
                                 const RunOptions& o) {
  const Catalogue cat = catalogue(s, year - 10, year);
  std::vector<int32_t> rows;
  const Table raw = indicator_table(cat, m, year, rows);
  if (rows.empty())
    return Status::not_found(
        fmt::format("no cluster is labelled in {}: nothing to evaluate", year));
  Evaluation ev;
  ev.year = year;
  ev.ranked = rows.size() >= kMinRanked;
  Composite comp;
  Uncertainty unc;
  if (ev.ranked) {
    POLES_ASSIGN_OR_RETURN(comp, compute(raw, m.method));
    ev.draws = o.uncertainty ? m.draws : 0;
    ev.seed = m.seed;
    if (o.uncertainty) {
      POLES_ASSIGN_OR_RETURN(unc, uncertainty(raw, m.method, m.alternatives, m.draws, m.seed));
    }
    if (o.sensitivity && m.sobol_n > 0) {
      POLES_ASSIGN_OR_RETURN(
          ev.sensitivity, composite_sensitivity(raw, m.method, m.alternatives, m.sobol_n, m.seed));
    }
  }
  // The year before: each cluster's indicators, and its rank for the trend.
  std::map<int32_t, int> previous;
  std::map<int32_t, std::vector<double>> previous_raw;
  {
    std::vector<int32_t> prev_rows;
    const Table prev = indicator_table(cat, m, year - 1, prev_rows);
    for (size_t i = 0; i < prev_rows.size(); ++i) {
      auto& v = previous_raw[prev_rows[i]];
      for (size_t k = 0; k < prev.cols; ++k) v.push_back(prev.at(i, k));
    }
    if (ev.ranked && prev_rows.size() >= kMinRanked) {
      if (auto pc = compute(prev, m.method)) {
        for (size_t i = 0; i < prev_rows.size(); ++i) previous[prev_rows[i]] = pc->rank[i];
      }
    }
  }
  const auto& clusters = s.table("cluster");
  const size_t n = rows.size();
  // Rating classes by rank.
  auto rating_of = [&](int rank) {
    double upto = 0;
    for (const auto& r : m.ratings) {
      upto += r.top_share;
      if (static_cast<double>(rank) <= std::ceil(upto * static_cast<double>(n) - 1e-9))
        return r.name;
    }
    return m.ratings.empty() ? std::string() : m.ratings.back().name;
  };
  // The method's absolute criteria of a cluster in a year: unknown when the cluster is not
  // labelled that year or the store does not record the indicator that year.
  auto criteria_of = [&](int32_t c, int y) {
    std::vector<CriterionCheck> out;
    const bool labelled =
        y >= cat.from_year && y <= cat.to_year &&
        cat.active[static_cast<size_t>(y - cat.from_year)][static_cast<size_t>(c)] != 0;
    for (const auto& k : m.criteria) {
      const int ind = indicator_index(k.indicator);
      CriterionCheck x{k.id, cat.at(y, c, ind), cat.at(y - 1, c, ind), -1};
      bool known = false, ok = true;
      if (labelled && cat.records(y, ind) && !std::isnan(x.value)) {
        if (!std::isnan(k.min)) known = true, ok = ok && x.value >= k.min;
        if (!std::isnan(k.max)) known = true, ok = ok && x.value <= k.max;
        if (!std::isnan(k.max_fall) && !std::isnan(x.previous) && x.previous > 0) {
          known = true;
          ok = ok && x.value >= x.previous * (1 - k.max_fall);
        }
      }
      if (known) x.met = ok ? 1 : 0;
      out.push_back(std::move(x));
    }
    return out;
  };
  // Ratings by interval need intervals: with fewer draws than kMinIntervalDraws there is no
  // rating (not the rank's: a quota would come back into the actions), and ev.rating_by says so.
  const bool interval_ratings = m.rating_by == "interval";
  ev.rating_by = !interval_ratings ? "rank" : ev.draws >= kMinIntervalDraws ? "interval" : "none";
  // Contracts covering the year and their targets.
  const auto& contracts = s.table("contract");
  const auto& targets = s.table("contract_target");
  const auto& k_cluster = contracts.column("cluster_id");
  const auto& k_start = contracts.column("start_year");
  const auto& k_end = contracts.column("end_year");
  const auto& k_plan = contracts.column("improvement_plan");
  const auto& t_contract = targets.column("contract_id");
  const auto& t_year = targets.column("year");
  const auto& t_indicator = targets.column("indicator");
  const auto& t_value = targets.column("value");
  const auto& t_direction = targets.column("direction");
  std::map<int32_t, std::vector<size_t>> contracts_of;
  for (size_t k = 0; k < contracts.rows; ++k) contracts_of[k_cluster.codes[k]].push_back(k);
  std::map<size_t, std::vector<size_t>> targets_of;
  for (size_t t = 0; t < targets.rows; ++t)
    targets_of[static_cast<size_t>(t_contract.codes[t])].push_back(t);
  auto checks = [&](int32_t c, int y, bool& plan) {
    std::vector<TargetCheck> out;
    for (size_t k : contracts_of[c]) {
      if (k_start.ints[k] > y || k_end.ints[k] < y) continue;
      plan = plan || (k_plan.present[k] && k_plan.ints[k] != 0);
      for (size_t t : targets_of[k]) {
        if (t_year.ints[t] != y) continue;
        TargetCheck tc;
        tc.indicator = std::string(t_indicator.text(t));
        tc.target = t_value.reals[t];
        tc.higher = t_direction.codes[t] == static_cast<int>(Direction::kHigher);
        const int i = indicator_index(tc.indicator);
        tc.value = i >= 0 ? cat.at(y, c, i) : NAN;
        tc.met = std::isnan(tc.value)                                          ? -1
                 : (tc.higher ? tc.value >= tc.target : tc.value <= tc.target) ? 1
                                                                               : 0;
        out.push_back(std::move(tc));
      }
    }
    return out;
  };
  auto missed = [&](const std::vector<TargetCheck>& v) {
    int known = 0, met = 0;
    for (const auto& t : v) {
      if (t.met >= 0) {
        ++known;
        met += t.met;
      }
    }
    return known > 0 &&
           static_cast<double>(met) < m.min_targets_met_share * static_cast<double>(known);
  };
  // Peer groups: national / regional scale, or the home region.
  std::map<std::string, std::vector<size_t>> peers;
  const auto& scale = clusters.column("scale");
  const auto& region = clusters.column("region");
  for (size_t i = 0; i < n; ++i) {
    const auto row = static_cast<size_t>(rows[i]);
    const std::string g = m.peer_groups == "scale"    ? std::string(scale.text(row))
                          : m.peer_groups == "region" ? std::string(region.text(row))
                                                      : "all";
    peers[g].push_back(i);
  }
  ev.clusters.resize(n);
  for (const auto& [g, members] : peers) {
    std::vector<double> idx;
    for (size_t i : members) idx.push_back(ev.ranked ? comp.index[i] : 0.0);
    const auto pr = numeric::ranks(idx);
    for (size_t j = 0; j < members.size(); ++j) {
      ev.clusters[members[j]].peer_group = g;
      ev.clusters[members[j]].peer_rank = ev.ranked ? pr[j] : 0;
    }
  }
  for (size_t i = 0; i < n; ++i) {
    ClusterEvaluation& e = ev.clusters[i];
    e.cluster = rows[i];
    e.raw = raw.column(0);
    e.raw.resize(raw.cols);
    for (size_t k = 0; k < raw.cols; ++k) e.raw[k] = raw.at(i, k);
    if (const auto it = previous_raw.find(rows[i]); it != previous_raw.end()) {
      e.previous = it->second;
    } else {
      e.previous.assign(raw.cols, std::nan(""));
    }
    if (ev.ranked) {
      e.pillars.resize(comp.pillars.cols);
      for (size_t p = 0; p < comp.pillars.cols; ++p) e.pillars[p] = comp.pillars.at(i, p);
      e.index = comp.index[i];
      e.rank = comp.rank[i];
      e.interval = o.uncertainty ? unc.units[i]
                                 : RankInterval{e.rank, double(e.rank), double(e.rank),
                                                double(e.rank), double(e.rank)};
      e.rating = !interval_ratings ? rating_of(e.rank)
                 : ev.rating_by == "interval"
                     ? rating_by_interval(m.ratings, n, e.interval.p05, e.interval.p95)
                     : std::string();
      if (const auto it = previous.find(rows[i]); it != previous.end()) {
        e.previous_rank = it->second;
        e.trend = e.rank <= it->second - 3 ? "up" : e.rank >= it->second + 3 ? "down" : "stable";
      }
    } else {
      // Against itself: no composite, no rank, no rating; its targets and actions stand.
      e.pillars.assign(m.pillars.size(), std::nan(""));
      e.index = std::nan("");
      e.interval = RankInterval{0, 0, 0, 0, 0};
    }
    e.targets = checks(rows[i], year, e.improvement_plan);
    for (int y = year; y >= cat.from_year; --y) {
      bool plan = false;
      const auto v = y == year ? e.targets : checks(rows[i], y, plan);
      if (!missed(v)) break;
      ++e.consecutive_misses;
    }
    ActionInputs in{e.rating, e.consecutive_misses, e.trend, e.improvement_plan, {}, {}, {}};
    if (!m.criteria.empty()) {
      for (int y = year; y > year - 10 && y >= cat.from_year; --y) {
        const auto checks_y = criteria_of(rows[i], y);
        // Persistence stops at a year with no criterion known (not labelled, nothing recorded).
        if (y != year && std::none_of(checks_y.begin(), checks_y.end(),
                                      [](const CriterionCheck& x) { return x.met >= 0; }))
          break;
        int failed = 0;
        for (size_t k = 0; k < checks_y.size(); ++k) {
          if (checks_y[k].met != 0) continue;
          ++failed;
          if (y == year) {
            in.failed_en.push_back(m.criteria[k].text_en);
            in.failed_fr.push_back(m.criteria[k].text_fr);
          }
        }
        if (y == year) e.criteria = checks_y;
        e.criteria_failing.push_back(failed);
      }
      in.failing = e.criteria_failing;
    }
    e.action = propose_action(m.ladder, in);
  }
  std::sort(ev.clusters.begin(), ev.clusters.end(), [](const auto& a, const auto& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.cluster < b.cluster;
  });
  if (!ev.ranked) return ev;  // no pillar scores, no peer means
  // Peer means, summed in rank order.
  std::map<std::string, PeerGroupMeans> means;
  for (const auto& c : ev.clusters) {
    auto& g = means[c.peer_group];
    g.group = c.peer_group;
    g.pillars.resize(c.pillars.size(), 0);
    for (size_t i = 0; i < c.pillars.size(); ++i) g.pillars[i] += c.pillars[i];
    ++g.clusters;
  }
  for (auto& [name, g] : means) {
    for (double& x : g.pillars) x /= g.clusters;
    ev.peers.push_back(std::move(g));
  }
  return ev;
}

}  // namespace poles::evaluate
