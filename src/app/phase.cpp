#include "app/phase.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "evaluate/indicators.h"

namespace poles::app {
namespace {

bool is_share(std::string_view indicator) {
  const int i = evaluate::indicator_index(indicator);
  return i >= 0 && evaluate::indicator_defs()[static_cast<size_t>(i)].unit == "share";
}

std::optional<double> median_of(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The least-squares slope of y on x (nullopt with fewer than two distinct x).
std::optional<double> slope_of(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  if (n < 2) return std::nullopt;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  if (sxx == 0) return std::nullopt;
  return sxy / sxx;
}

// `stored` shaped as `shape` (the JSON of a default value): the keys `shape` has, each from
// `stored` when there, else the default; keys `shape` lacks are dropped. An empty object or an
// array in `shape` (run-time keys, elements) takes `stored` as it is.
tj::Json conform(const tj::Json& stored, const tj::Json& shape) {
  if (!shape.is_object() || shape.empty() || !stored.is_object()) return stored;
  tj::Json out = shape;
  for (auto& [k, v] : out.items()) {
    if (const auto it = stored.find(k); it != stored.end()) v = conform(*it, shape.at(k));
  }
  return out;
}

struct Seen {
  const YearEvaluation* ev;
  const EvaluatedCluster* c;
  bool published;
};

PhaseCluster cluster_phase(const std::vector<Seen>& seen, const EvaluationMethodInfo& method) {
  PhaseCluster out;
  out.cluster = seen.back().c->cluster;
  out.name = seen.back().c->name;
  std::vector<double> rank_years, ranks;
  std::map<std::string, std::pair<int, int>> ratings;  // rating -> (years, latest year)
  std::map<std::string, std::pair<double, int>> pillar_sums;
  for (const auto& [ev, c, published] : seen) {
    PhaseYear y;
    y.year = ev->year;
    y.published = published;
    y.rank = c->rank;
    y.clusters = ev->evaluated;
    y.rank_interval = c->rank_interval;
    y.rating = c->rating;
    y.action_level = c->action.level;
    for (const auto& k : c->criteria) {
      if (!k.met) continue;
      ++y.criteria_known;
      y.criteria_failed += *k.met ? 0 : 1;
    }
    for (const auto& t : c->targets) {
      if (!t.met) continue;
      ++y.targets_known;
      y.targets_met += *t.met ? 1 : 0;
    }
    if (y.targets_known > 0 && y.targets_met == y.targets_known) ++out.years_all_targets_met;
    if (y.rank > 0) {
      rank_years.push_back(y.year);
      ranks.push_back(y.rank);
      for (const auto& [p, v] : c->pillars.items) {
        if (!v) continue;
        auto& [sum, n] = pillar_sums[p];
        sum += *v;
        ++n;
      }
    }
    if (y.criteria_known == static_cast<int>(c->criteria.size()) && y.criteria_known > 0 &&
        y.criteria_failed == 0)
      ++out.years_all_criteria_met;
    if (!y.rating.empty() && y.rating != "not_distinguishable") {
      auto& [n, latest] = ratings[y.rating];
      ++n;
      latest = y.year;
      ++out.years_with_rating;
    }
    out.years.push_back(std::move(y));
  }
  for (const auto& p : method.pillars) {
    const auto it = pillar_sums.find(p);
    out.pillars.items.emplace_back(p, it == pillar_sums.end()
                                          ? std::nullopt
                                          : std::optional(it->second.first / it->second.second));
  }
  out.median_rank = median_of(ranks);
  out.rank_slope = slope_of(rank_years, ranks);
  out.trend = "stable";
  if (out.rank_slope && rank_years.size() >= 2) {
    const double moved = *out.rank_slope * (rank_years.back() - rank_years.front());
    if (moved <= -3) out.trend = "up";
    if (moved >= 3) out.trend = "down";
  }
  if (!ranks.empty()) {
    out.best_rank = static_cast<int>(*std::min_element(ranks.begin(), ranks.end()));
    out.worst_rank = static_cast<int>(*std::max_element(ranks.begin(), ranks.end()));
  }
  int latest_of_modal = 0;
  for (const auto& [rating, count] : ratings) {
    if (count.first > out.years_rated ||
        (count.first == out.years_rated && count.second > latest_of_modal)) {
      out.rating = rating;
      out.years_rated = count.first;
      latest_of_modal = count.second;
    }
  }
  out.consistency = ranks.empty() ? "not_rated"
                    : out.years_rated == static_cast<int>(out.years.size()) &&
                            out.worst_rank - out.best_rank <= 10
                        ? "steady"
                        : "variable";
  // Each indicator from the first to the last year it has a value in.
  for (const auto& id : method.indicators) {
    PhaseIndicatorChange ch;
    ch.indicator = id;
    ch.kind = is_share(id) ? "points" : "growth";
    for (const auto& [ev, c, published] : seen) {
      const std::optional<double>* v = c->indicators.find(id);
      if (v == nullptr || !*v || !std::isfinite(**v)) continue;
      if (!ch.first) {
        ch.first = **v;
        ch.from_year = ev->year;
      }
      ch.last = **v;
      ch.to_year = ev->year;
    }
    const int span = ch.to_year - ch.from_year;
    if (ch.first && span > 0) {
      if (ch.kind == "points") {
        ch.per_year = (*ch.last - *ch.first) / span;
      } else if (*ch.first > 0 && *ch.last >= 0) {
        ch.per_year = std::pow(*ch.last / *ch.first, 1.0 / span) - 1;
      }
    }
    out.indicators.push_back(std::move(ch));
  }
  return out;
}

}  // namespace

const PhaseCluster* PhaseEvaluation::find(std::string_view id) const {
  for (const auto& c : clusters)
    if (c.cluster == id) return &c;
  return nullptr;
}

PhaseEvaluation phase_of(const std::vector<YearEvaluation>& evaluations,
                         const std::vector<bool>& published) {
  PhaseEvaluation out;
  if (evaluations.empty()) return out;
  out.from = evaluations.front().year;
  out.to = evaluations.back().year;
  out.method = evaluations.back().method;
  std::map<std::string, std::vector<Seen>> by_cluster;
  for (size_t i = 0; i < evaluations.size(); ++i) {
    const auto& ev = evaluations[i];
    out.years.push_back(ev.year);
    if (published[i]) out.published_years.push_back(ev.year);
    for (const auto& c : ev.clusters) by_cluster[c.cluster].push_back({&ev, &c, published[i]});
  }
  for (const auto& [id, seen] : by_cluster) out.clusters.push_back(cluster_phase(seen, out.method));
  std::sort(out.clusters.begin(), out.clusters.end(), [](const auto& a, const auto& b) {
    const double ra = a.median_rank.value_or(1e9), rb = b.median_rank.value_or(1e9);
    return ra != rb ? ra < rb : a.name < b.name;
  });
  return out;
}

const ParamSpecs& phase_params() {
  static const ParamSpecs k = {
      integer_param("from", "First year of the phase", 2005, 2100, "2019"),
      integer_param("to", "Last year of the phase", 2005, 2100, "2022"),
      text_param("method", "Method file: the name of one shipped in methods/", "default"),
      integer_param("draws",
                    "Monte Carlo draws of the rank intervals of the years computed (not published)",
                    0, 5000, "500"),
      integer_param("seed", "Seed of the Monte Carlo (default: the method's)", 0, 2147483647)};
  return k;
}

Result<PhaseYears> phase_years(const snapshot::Snapshot& s, store::Store& store, int from, int to,
                               const std::string& method, int draws, std::optional<int> seed,
                               bool drafts) {
  PhaseYears out;
  static const tj::Json kYear = tj::to_json(YearEvaluation{});
  static const tj::Json kCluster = tj::to_json(EvaluatedCluster{});
  // The data model starts in 2005 (an evaluation's year too).
  for (int y = std::max(from, 2005); y <= to; ++y) {
    POLES_ASSIGN_OR_RETURN(auto stored, published_evaluation(store, y));
    if (stored) {
      // A publication made before a field existed reads with its default (`ranked` and
      // `evaluated` as the published evaluation's route reads them).
      tj::Json j = conform(*stored, kYear);
      if (!stored->contains("ranked")) j["ranked"] = true;
      if (j["clusters"].is_array()) {
        if (!stored->contains("evaluated")) j["evaluated"] = j["clusters"].size();
        for (auto& c : j["clusters"]) c = conform(c, kCluster);
      }
      auto ev = tj::from_json<YearEvaluation>(j);
      if (!ev)
        spdlog::warn("phase: the publication of {} does not read back: {}", y,
                     ev.error().to_string());
      // A publication made with another method is not this phase's.
      if (ev && ev->method.name == method) {
        out.evaluations.push_back(std::move(*ev));
        out.published.push_back(true);
        continue;
      }
    }
    if (!drafts) continue;
    Params p = {{"year", std::to_string(y)},
                {"method", method},
                {"draws", std::to_string(draws)},
                {"sobol_n", "0"}};
    if (seed) p["seed"] = std::to_string(*seed);
    POLES_ASSIGN_OR_RETURN(const auto args, parse(evaluation_params(), p));
    auto ev = evaluation(s, args);
    if (!ev) {
      if (ev.error().code() == ErrorCode::kNotFound &&
          ev.error().message().ends_with(": nothing to evaluate"))
        continue;  // no cluster labelled that year
      return ev.error();
    }
    out.evaluations.push_back(std::move(*ev));
    out.published.push_back(false);
  }
  return out;
}

Result<PhaseEvaluation> phase_evaluation(const snapshot::Snapshot& s, store::Store& store,
                                         const Args& a, bool drafts) {
  const int from = a.integer("from"), to = a.integer("to");
  if (from > to)
    return Status::invalid_argument(
        fmt::format("parameter 'from': {} is after 'to' ({})", from, to));
  if (to - from + 1 > kMaxPhaseYears)
    return Status::invalid_argument(
        fmt::format("parameter 'from': a phase spans at most {} years", kMaxPhaseYears));
  POLES_ASSIGN_OR_RETURN(auto years,
                         phase_years(s, store, from, to, a.text("method"), a.integer("draws"),
                                     a.opt_integer("seed"), drafts));
  if (years.evaluations.empty())
    return Status::not_found(fmt::format("no evaluation of {} to {} to read", from, to));
  auto out = phase_of(years.evaluations, years.published);
  out.from = from;  // the window asked for, whichever of its years could be read
  out.to = to;
  return out;
}

int phase_start(const snapshot::Snapshot& s, const std::string& cluster, int year) {
  const auto& ct = s.table("cluster");
  const auto row = ct.find(cluster);
  const auto& labels = s.table("cluster_label");
  if (row < 0 || labels.rows == 0) return year;
  const auto& lab_cluster = labels.column("cluster_id");
  const auto& lab_start = labels.column("start_year");
  const auto& lab_end = labels.column("end_year");
  int start = year;
  for (size_t l = 0; l < labels.rows; ++l) {
    if (lab_cluster.codes[l] != row) continue;
    const int from = static_cast<int>(lab_start.ints[l]), to = static_cast<int>(lab_end.ints[l]);
    if (from <= year && year <= to) start = std::min(start, from);
  }
  return std::max(start, year - kMaxPhaseYears + 1);
}

}  // namespace poles::app
