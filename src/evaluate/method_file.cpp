#include "evaluate/method_file.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "evaluate/indicators.h"

namespace poles::evaluate {

namespace {

// Errors name the file, the key and the rule (and the line when toml++ knows it).
struct Errors {
  std::string file;
  std::vector<FieldError> list;
  void add(const std::string& key, const std::string& value, const std::string& rule,
           int64_t line = 0) {
    FieldError e;
    e.file = file;
    e.line = line;
    e.field = key;
    e.value = value;
    e.rule = rule;
    list.push_back(std::move(e));
  }
};

int64_t line_of(const toml::node* n) {
  return n ? static_cast<int64_t>(n->source().begin.line) : 0;
}

template <typename E, size_t N>
bool parse_enum(const toml::table& t, const std::string& key,
                const std::array<std::pair<std::string_view, E>, N>& names, E& out, Errors& err) {
  const auto* node = t.get(key);
  if (!node) return true;
  const auto v = node->value<std::string>();
  if (v) {
    for (const auto& [n, e] : names) {
      if (*v == n) {
        out = e;
        return true;
      }
    }
  }
  std::string allowed;
  for (const auto& [n, e] : names) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
  err.add(key, v.value_or("?"), "must be one of " + allowed, line_of(node));
  return false;
}

constexpr std::array<std::pair<std::string_view, Normalisation>, 7> kNorms = {
    {{"minmax", Normalisation::kMinMax},
     {"zscore", Normalisation::kZScore},
     {"rank", Normalisation::kRank},
     {"percentile", Normalisation::kPercentileRank},
     {"target", Normalisation::kDistanceToTarget},
     {"best", Normalisation::kDistanceToBest},
     {"goalposts", Normalisation::kGoalposts}}};
constexpr std::array<std::pair<std::string_view, Aggregation>, 3> kAggs = {
    {{"arithmetic", Aggregation::kArithmetic},
     {"geometric", Aggregation::kGeometric},
     {"copeland", Aggregation::kCopeland}}};
constexpr std::array<std::pair<std::string_view, Imputation>, 3> kImps = {
    {{"none", Imputation::kNone}, {"mean", Imputation::kMean}, {"median", Imputation::kMedian}}};
constexpr std::array<std::pair<std::string_view, Weighting>, 4> kWeights = {
    {{"equal", Weighting::kEqual},
     {"expert", Weighting::kExpert},
     {"pca", Weighting::kPca},
     {"bod", Weighting::kBenefitOfDoubt}}};

double number_of(const toml::node* n, bool& ok) {
  if (n && n->is_floating_point()) return *n->value<double>();
  if (n && n->is_integer()) return static_cast<double>(*n->value<int64_t>());
  ok = false;
  return 0;
}

}  // namespace

Result<MethodFile> parse_method(const std::string& text, const std::string& source) {
  Errors err{source, {}};
  toml::table t;
  try {
    t = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    err.add("", "", std::string(e.description()), static_cast<int64_t>(e.source().begin.line));
    return Status::bad_input(err.list);
  }
  MethodFile m;
  m.path = source;
  m.name = t["name"].value_or(std::string("unnamed"));
  m.description = t["description"].value_or(std::string());
  m.title_fr = t["title_fr"].value_or(m.name);
  m.title_en = t["title_en"].value_or(m.name);
  m.description_fr = t["description_fr"].value_or(m.description);
  Method& me = m.method;

  // Steps.
  if (const auto* steps = t["steps"].as_table()) {
    parse_enum(*steps, "imputation", kImps, me.imputation, err);
    parse_enum(*steps, "normalisation", kNorms, me.normalisation, err);
    parse_enum(*steps, "weighting", kWeights, me.weighting, err);
    parse_enum(*steps, "aggregation", kAggs, me.aggregation, err);
    parse_enum(*steps, "pillar_aggregation", kAggs, me.pillar_aggregation, err);
    me.treat_outliers = (*steps)["outliers"].value_or(true);
  }
  if (const auto* o = t["outliers"].as_table()) {
    me.outliers.max_skew = (*o)["max_skew"].value_or(me.outliers.max_skew);
    me.outliers.max_kurtosis = (*o)["max_kurtosis"].value_or(me.outliers.max_kurtosis);
    me.outliers.max_winsorised =
        static_cast<int>((*o)["max_winsorised"].value_or(int64_t{me.outliers.max_winsorised}));
  }

  // Pillars and their weights.
  std::map<std::string, int> pillar_index;
  const auto* pillars = t["pillars"].as_table();
  if (!pillars || pillars->empty()) {
    err.add("pillars", "", "a [pillars] table with the weight of each pillar is required");
  } else {
    double sum = 0;
    for (const auto& [k, v] : *pillars) {
      const std::string key(k.str());
      if (std::find(kPillarCodes.begin(), kPillarCodes.end(), key) == kPillarCodes.end()) {
        err.add("pillars." + key, key,
                "unknown pillar (ecosystem, projects, products, services, business, employment)",
                line_of(&v));
        continue;
      }
      bool ok = true;
      const double w = number_of(&v, ok);
      if (!ok || w < 0) {
        err.add("pillars." + key, "", "a pillar's weight is a number >= 0", line_of(&v));
        continue;
      }
      pillar_index[key] = static_cast<int>(m.pillars.size());
      m.pillars.push_back(key);
      me.pillar_weight.push_back(w);
      sum += w;
    }
    if (!me.pillar_weight.empty() && std::fabs(sum - 1) > 1e-9)
      err.add("pillars", fmt::format("{}", sum), "the pillars' weights must sum to 1");
  }

  // Indicators.
  const auto* list = t["indicator"].as_array();
  if (!list || list->empty()) err.add("indicator", "", "at least one [[indicator]] is required");
  std::map<int, double> weight_sum;
  std::set<std::string> seen;
  if (list) {
    for (const auto& node : *list) {
      const auto* ind = node.as_table();
      if (!ind) continue;
      const std::string id = (*ind)["id"].value_or(std::string());
      const int64_t line = (*ind)["id"] ? line_of((*ind)["id"].node()) : line_of(&node);
      const int def = indicator_index(id);
      if (def < 0) {
        err.add("indicator.id", id, "unknown indicator (docs/indicators.md lists them)", line);
        continue;
      }
      if (!seen.insert(id).second) {
        err.add("indicator.id", id, "listed twice", line);
        continue;
      }
      const auto& d = indicator_defs()[static_cast<size_t>(def)];
      const std::string pillar(kPillarCodes[static_cast<size_t>(d.pillar)]);
      if (!pillar_index.contains(pillar)) {
        err.add("indicator.id", id,
                fmt::format("its pillar '{}' has no weight in [pillars]", pillar), line);
        continue;
      }
      bool ok = true;
      const double w = (*ind)["weight"] ? number_of((*ind)["weight"].node(), ok) : 1.0;
      if (!ok || w < 0) {
        err.add("indicator.weight", id, "a weight is a number >= 0", line);
        continue;
      }
      int direction = d.direction == Direction::kHigher ? 1 : -1;
      if (const auto dir = (*ind)["direction"].value<std::string>()) {
        if (*dir == "higher")
          direction = 1;
        else if (*dir == "lower")
          direction = -1;
        else
          err.add("indicator.direction", *dir, "must be higher or lower", line);
      }
      NormParams p;
      if ((*ind)["target"]) {
        p.target = direction * number_of((*ind)["target"].node(), ok);
        if (!ok) err.add("indicator.target", id, "a target is a number", line);
      }
      if (const auto* gp = (*ind)["goalposts"].as_array()) {
        bool a = true, b = true;
        const double lo = gp->size() == 2 ? number_of(gp->get(0), a) : 0,
                     hi = gp->size() == 2 ? number_of(gp->get(1), b) : 0;
        if (gp->size() != 2 || !a || !b || lo == hi)
          err.add("indicator.goalposts", id, "goalposts are two different numbers [low, high]",
                  line);
        p.lo = direction * lo;
        p.hi = direction * hi;
        if (p.lo > p.hi) std::swap(p.lo, p.hi);
      } else if (me.normalisation == Normalisation::kGoalposts) {
        err.add("indicator.goalposts", id,
                "goalposts normalisation needs goalposts = [low, high] for every indicator", line);
      }
      if (me.normalisation == Normalisation::kDistanceToTarget && !(*ind)["target"]) {
        err.add("indicator.target", id,
                "distance-to-target normalisation needs a target for every indicator", line);
      }
      m.indicators.push_back(id);
      me.pillar.push_back(pillar_index[pillar]);
      me.direction.push_back(direction);
      me.weight.push_back(w);
      me.norm_params.push_back(p);
      weight_sum[pillar_index[pillar]] += w;
    }
  }
  for (const auto& [p, sum] : weight_sum) {
    if (sum <= 0)
      err.add("indicator.weight", m.pillars[static_cast<size_t>(p)],
              "the indicators of a pillar need a positive weight in total");
  }
  for (size_t p = 0; p < m.pillars.size(); ++p) {
    if (!weight_sum.contains(static_cast<int>(p)))
      err.add("pillars." + m.pillars[p], "", "a pillar with a weight needs at least one indicator");
  }

  // Peer groups, uncertainty.
  m.peer_groups = t["peer_groups"]["by"].value_or(std::string("scale"));
  if (m.peer_groups != "none" && m.peer_groups != "scale" && m.peer_groups != "region") {
    err.add("peer_groups.by", m.peer_groups, "must be none, scale or region");
  }
  if (const auto* u = t["uncertainty"].as_table()) {
    const int64_t draws = (*u)["draws"].value_or(int64_t{10000});
    if (draws < 0 || draws > 1000000)
      err.add("uncertainty.draws", fmt::format("{}", draws), "must be between 0 and 1000000");
    m.draws = static_cast<size_t>(std::max<int64_t>(0, draws));
    m.seed = static_cast<uint64_t>((*u)["seed"].value_or(int64_t{1}));
    m.sobol_n = static_cast<size_t>(std::max<int64_t>(0, (*u)["sobol_n"].value_or(int64_t{500})));
    m.alternatives.weight_noise = (*u)["weight_noise"].value_or(0.25);
    if (const auto* ns = (*u)["normalisations"].as_array()) {
      m.alternatives.normalisations.clear();
      for (const auto& n : *ns) {
        const auto v = n.value<std::string>().value_or("");
        bool found = false;
        for (const auto& [name, e] : kNorms) {
          if (v == name && e != Normalisation::kDistanceToTarget &&
              e != Normalisation::kGoalposts) {
            m.alternatives.normalisations.push_back(e);
            found = true;
          }
        }
        if (!found)
          err.add("uncertainty.normalisations", v,
                  "must be minmax, zscore, rank, percentile or best", line_of(&n));
      }
    }
    if (const auto* as = (*u)["aggregations"].as_array()) {
      m.alternatives.aggregations.clear();
      for (const auto& n : *as) {
        const auto v = n.value<std::string>().value_or("");
        bool found = false;
        for (const auto& [name, e] : kAggs) {
          if (v == name) {
            m.alternatives.aggregations.push_back(e);
            found = true;
          }
        }
        if (!found)
          err.add("uncertainty.aggregations", v, "must be arithmetic, geometric or copeland",
                  line_of(&n));
      }
    }
  }

  // Rating classes (default: the 2012 evaluation's proportions 20/35/16 of 71).
  if (const auto* rs = t["rating"].as_array()) {
    for (const auto& n : *rs) {
      const auto* r = n.as_table();
      if (!r) continue;
      m.ratings.push_back({(*r)["name"].value_or(std::string()), (*r)["top_share"].value_or(0.0)});
    }
  } else {
    m.ratings = {
        {"very_performing", 20.0 / 71}, {"performing", 35.0 / 71}, {"less_performing", 16.0 / 71}};
  }
  double shares = 0;
  for (const auto& r : m.ratings) {
    if (r.name.empty() || r.top_share < 0)
      err.add("rating", r.name, "each rating class has a name and a share >= 0");
    shares += r.top_share;
  }
  if (!m.ratings.empty() && std::fabs(shares - 1) > 1e-6)
    err.add("rating", fmt::format("{}", shares), "the rating classes' shares must sum to 1");

  if (const auto* rb = t["ratings"].as_table()) {
    const auto* by = rb->get("by");
    m.rating_by = by ? by->value<std::string>().value_or("") : "rank";
    if (m.rating_by != "rank" && m.rating_by != "interval")
      err.add("ratings.by", m.rating_by, "must be rank or interval", line_of(by));
  }
  for (const auto& r : m.ratings) {
    if (r.name == kNotDistinguishable)
      err.add("rating", r.name, "a reserved name (the rating of a cluster between two classes)");
  }

  // Absolute criteria.
  if (const auto* cs = t["criterion"].as_array()) {
    std::set<std::string> ids;
    for (const auto& n : *cs) {
      const auto* c = n.as_table();
      if (!c) continue;
      Criterion k;
      k.id = (*c)["id"].value_or(std::string());
      k.indicator = (*c)["indicator"].value_or(std::string());
      const int64_t line = line_of(&n);
      if (k.id.empty() || !ids.insert(k.id).second)
        err.add("criterion.id", k.id, "each criterion has an id of its own", line);
      if (indicator_index(k.indicator) < 0)
        err.add("criterion.indicator", k.indicator,
                "unknown indicator (docs/indicators.md lists them)", line);
      for (auto [key, out] : {std::pair{"min", &k.min}, std::pair{"max", &k.max},
                              std::pair{"max_fall", &k.max_fall}}) {
        const auto* v = c->get(key);
        if (!v) continue;
        bool ok = true;
        *out = number_of(v, ok);
        if (!ok) err.add(std::string("criterion.") + key, k.id, "a number", line_of(v));
      }
      if (!std::isnan(k.min) && !std::isnan(k.max) && k.min > k.max)
        err.add("criterion.min", fmt::format("{}", k.min),
                fmt::format("above its max ({}): nothing could meet it", k.max), line);
      if (std::isnan(k.min) && std::isnan(k.max) && std::isnan(k.max_fall))
        err.add("criterion", k.id, "a criterion needs min, max or max_fall", line);
      if (!std::isnan(k.max_fall) && (k.max_fall <= 0 || k.max_fall >= 1))
        err.add("criterion.max_fall", fmt::format("{}", k.max_fall),
                "a share of the year before's value, between 0 and 1", line);
      k.text_fr = (*c)["text_fr"].value_or(std::string());
      k.text_en = (*c)["text_en"].value_or(std::string());
      if (k.text_fr.empty() || k.text_en.empty())
        err.add("criterion", k.id, "a criterion says what it requires in text_fr and text_en",
                line);
      m.criteria.push_back(std::move(k));
    }
  }

  // Compliance and the ladder.
  m.min_targets_met_share = t["compliance"]["min_targets_met_share"].value_or(0.6);
  if (m.min_targets_met_share < 0 || m.min_targets_met_share > 1) {
    err.add("compliance.min_targets_met_share", fmt::format("{}", m.min_targets_met_share),
            "must be between 0 and 1");
  }
  if (const auto* ls = t["action"].as_array()) {
    for (const auto& n : *ls) {
      const auto* a = n.as_table();
      if (!a) continue;
      ActionRule r;
      r.level = static_cast<int>((*a)["level"].value_or(int64_t{-1}));
      r.action = (*a)["action"].value_or(std::string());
      r.action_fr = (*a)["action_fr"].value_or(r.action);
      if (r.level < 0 || r.level > 4)
        err.add("action.level", fmt::format("{}", r.level), "a level is 0 to 4", line_of(&n));
      if (r.action.empty()) err.add("action.action", "", "each rule names its action", line_of(&n));
      if (const auto* rt = (*a)["ratings"].as_array()) {
        for (const auto& x : *rt) {
          const auto v = x.value<std::string>().value_or("");
          if (std::none_of(m.ratings.begin(), m.ratings.end(),
                           [&](const RatingClass& c) { return c.name == v; })) {
            err.add("action.ratings", v, "not a rating class of [[rating]]", line_of(&x));
          }
          r.ratings.push_back(v);
        }
      }
      r.min_consecutive_misses =
          static_cast<int>((*a)["min_consecutive_misses"].value_or(int64_t{0}));
      r.trend = (*a)["trend"].value_or(std::string());
      if (!r.trend.empty() && r.trend != "down" && r.trend != "up")
        err.add("action.trend", r.trend, "must be down or up", line_of(&n));
      if (const auto plan = (*a)["improvement_plan"].value<bool>())
        r.improvement_plan = *plan ? 1 : 0;
      r.min_criteria_failed = static_cast<int>((*a)["min_criteria_failed"].value_or(int64_t{0}));
      r.min_years_failing = static_cast<int>((*a)["min_years_failing"].value_or(int64_t{1}));
      if (r.min_criteria_failed < 0)
        err.add("action.min_criteria_failed", fmt::format("{}", r.min_criteria_failed),
                "a number of criteria >= 0", line_of(&n));
      if (r.min_years_failing < 1 || r.min_years_failing > 10)
        err.add("action.min_years_failing", fmt::format("{}", r.min_years_failing), "1 to 10 years",
                line_of(&n));
      if (r.min_years_failing > 1 && r.min_criteria_failed <= 0)
        err.add("action.min_years_failing", fmt::format("{}", r.min_years_failing),
                "counts years with min_criteria_failed criteria failed: set min_criteria_failed",
                line_of(&n));
      if (r.min_criteria_failed > 0 && m.criteria.empty())
        err.add("action.min_criteria_failed", fmt::format("{}", r.min_criteria_failed),
                "the method has no [[criterion]]", line_of(&n));
      m.ladder.push_back(std::move(r));
    }
  }
  // The statistical audit's thresholds.
  if (const auto* a = t["audit"].as_table()) {
    auto number = [&](const char* key, double& out, double lo, double hi) {
      const auto* node = a->get(key);
      if (!node) return;
      bool ok = true;
      const double v = number_of(node, ok);
      if (!ok || v < lo || v > hi) {
        err.add(std::string("audit.") + key,
                ok ? fmt::format("{}", v) : node->value<std::string>().value_or(""),
                fmt::format("must be a number between {} and {}", lo, hi), line_of(node));
        return;
      }
      out = v;
    };
    number("redundant", m.audit.redundant, 0, 1);
    number("negative", m.audit.negative, -1, 0);
    number("min_alpha", m.audit.min_alpha, 0, 1);
    number("weight_ratio", m.audit.weight_ratio, 1, 100);
  }

  // The efficiency analysis: inputs and outputs from the catalogue, orientation, returns.
  if (const auto* e = t["efficiency"].as_table()) {
    auto ids = [&](const char* key, std::vector<std::string>& out) {
      const auto* node = e->get(key);
      if (!node) return;
      const auto* arr = node->as_array();
      if (!arr || arr->empty()) {
        err.add(std::string("efficiency.") + key, "",
                "a list of one indicator id or more (docs/indicators.md)", line_of(node));
        return;
      }
      out.clear();
      for (const auto& x : *arr) {
        const auto id = x.value<std::string>().value_or("");
        if (indicator_index(id) < 0)
          err.add(std::string("efficiency.") + key, id,
                  "unknown indicator (docs/indicators.md lists them)", line_of(&x));
        else if (std::find(out.begin(), out.end(), id) != out.end())
          err.add(std::string("efficiency.") + key, id, "listed twice", line_of(&x));
        else
          out.push_back(id);
      }
    };
    ids("inputs", m.efficiency.inputs);
    ids("outputs", m.efficiency.outputs);
    for (const auto& id : m.efficiency.inputs) {
      if (std::find(m.efficiency.outputs.begin(), m.efficiency.outputs.end(), id) !=
          m.efficiency.outputs.end())
        err.add("efficiency.outputs", id, "an indicator is an input or an output, not both");
    }
    constexpr std::array<std::pair<std::string_view, Orientation>, 2> kOrient = {
        {{"input", Orientation::kInput}, {"output", Orientation::kOutput}}};
    constexpr std::array<std::pair<std::string_view, Returns>, 2> kReturns = {
        {{"constant", Returns::kConstant}, {"variable", Returns::kVariable}}};
    parse_enum(*e, "orientation", kOrient, m.efficiency.orientation, err);
    parse_enum(*e, "returns", kReturns, m.efficiency.returns, err);
  }

  if (!err.list.empty()) return Status::bad_input(err.list);
  return m;
}

Result<MethodFile> load_method(const std::string& path) {
  std::ifstream f(path);
  if (!f) return Status::not_found(fmt::format("cannot read the method file '{}'", path));
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_method(ss.str(), path);
}

}  // namespace poles::evaluate
