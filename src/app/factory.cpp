#include "app/factory.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <tuple>
#include <type_traits>
#include <utility>

#include "core/codes.h"
#include "foresight/employment.h"
#include "pipeline/funding.h"
#include "pipeline/funnel.h"
#include "pipeline/leverage.h"
#include "pipeline/projects.h"
#include "pipeline/sector.h"
#include "services/services.h"

namespace poles::app {

using snapshot::Snapshot;

namespace {

// A figure the engines leave NaN (no data) or infinite, as null.
std::optional<double> figure(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

std::string region_name(std::string_view code) {
  const auto* r = codes::find_region(code);
  return r ? std::string(r->name) : std::string(code);
}

// The official French title of a sector code of any NAF level (a division by its own title, not
// its section's).
std::string sector_name(std::string_view code) { return std::string(codes::naf_name(code)); }

// The name of a territory of a level: the official lists for regions and departments, the
// store's referential (territory rows) for zones d'emploi; the code when unknown.
class TerritoryNames {
 public:
  TerritoryNames(const Snapshot& s, std::string level) : level_(std::move(level)) {
    const auto& t = s.table("territory");
    const auto& lv = t.column("level");
    const auto& code = t.column("code");
    const auto& name = t.column("name");
    for (size_t i = 0; i < t.rows; ++i) {
      if (lv.text(i) == level_) stored_.emplace(std::string(code.text(i)), name.text(i));
    }
  }
  std::string operator()(const std::string& code) const {
    if (level_ == "region") {
      if (const auto* r = codes::find_region(code)) return std::string(r->name);
    } else if (level_ == "department") {
      if (const auto* d = codes::find_department(code)) return std::string(d->name);
    }
    const auto it = stored_.find(code);
    return it != stored_.end() ? it->second : code;
  }

 private:
  std::string level_;
  std::map<std::string, std::string, std::less<>> stored_;
};

codes::NafLevel nomenclature_of(const Args& a) {
  const auto& n = a.text("nomenclature");
  for (size_t k = 0; k < codes::kNafLevelCodes.size(); ++k) {
    if (codes::kNafLevelCodes[k] == n) return static_cast<codes::NafLevel>(k);
  }
  return codes::NafLevel::kA88;
}

Result<foresight::Cube> cube_of(const Snapshot& s, const Args& a) {
  return foresight::employment_cube(s, a.text("territory_level"), nomenclature_of(a));
}

// One column of firm aggregates by row, through statistical secrecy: [rows..., total].
std::vector<SecretCell> secret_column(size_t rows, const std::vector<Contribution>& contributions,
                                      const SecrecyRule& rule) {
  const SecretTable t = publish(static_cast<int>(rows), 1, contributions, rule);
  std::vector<SecretCell> out;
  for (size_t r = 0; r <= rows; ++r) out.push_back(secret_cell(t.cells[r][0]));
  return out;
}

// Firm figures over the period [from, to] the caller chooses, from every year's contributions
// (secrecy::OverYears): each year's column and each period cell that fails the rule are
// protected whatever the period asked, and a period is published as the sum of its years'.
std::vector<SecretCell> secret_column_over_years(
    size_t rows, std::vector<secrecy::DatedContribution> contributions, const SecrecyRule& rule,
    int from, int to) {
  const auto over =
      secrecy::OverYears::publish(static_cast<int>(rows), std::move(contributions), rule);
  std::vector<SecretCell> out;
  for (const auto& c : over.period(from, to)) out.push_back(secret_cell(c));
  return out;
}

// A statistic over firms shown only when it covers at least min_firms of them.
SecretCell over_firms(double v, size_t firms, const SecrecyRule& rule) {
  SecretCell out;
  if (firms < static_cast<size_t>(rule.min_firms)) {
    out.secret = "primary";
  } else {
    out.value = figure(v);
    out.firms = static_cast<int>(firms);
  }
  return out;
}

// The years [from, to] of a view.
Result<std::pair<int, int>> year_range(const Args& a) {
  const int from = a.integer("from"), to = a.integer("to");
  if (from > to)
    return Status::invalid_argument(
        fmt::format("parameter 'from' ({}) is after 'to' ({})", from, to));
  return std::pair{from, to};
}

FunnelDuration duration_of(const pipeline::Duration& d) {
  FunnelDuration out{d.n, std::nullopt, std::nullopt};
  if (d.n) {
    out.median_days = figure(d.median_days);
    out.mean_days = figure(d.mean_days);
  }
  return out;
}

FunnelGroup funnel_group(const pipeline::Funnel& f) {
  FunnelGroup g;
  g.group = f.group;
  g.projects = f.projects;
  g.current.values = f.current;
  for (size_t k = 0; k < pipeline::kStages; ++k) {
    FunnelStage st;
    st.stage = kProjectStatusCodes[k];
    st.reached = f.reached[k];
    st.rejected_after = f.rejected_after[k];
    st.abandoned_after = f.abandoned_after[k];
    if (k + 1 < pipeline::kStages) {
      st.conversion.emplace(figure(f.conversion[k]));
      st.to_next.emplace(duration_of(f.durations[k]));
    }
    g.stages.push_back(std::move(st));
  }
  g.time_to_market = duration_of(f.time_to_market);
  g.trl.n = f.trl_n;
  if (f.trl_n) {
    g.trl.gain_mean = figure(f.trl_gain_mean);
    g.trl.target_share = figure(f.trl_target_share);
  }
  g.total_cost = f.total_cost;
  g.public_aid = f.public_aid;
  return g;
}

ServicesSpread spread_of(const services::Spread& s) {
  return {s.n,           figure(s.mean),   figure(s.sd),  figure(s.cv), figure(s.min),
          figure(s.p25), figure(s.median), figure(s.p75), figure(s.max)};
}

DiagnosticsDimensions dimensions_of(const std::array<services::DimensionStats, 7>& d,
                                    const SecrecyRule& rule) {
  DiagnosticsDimensions out;
  for (size_t k = 0; k < d.size(); ++k) {
    if (d[k].n >= static_cast<size_t>(rule.min_firms)) {
      out[k] = {d[k].n, figure(d[k].mean), figure(d[k].median), {}};
    } else {
      out[k].secret = "primary";
    }
  }
  return out;
}

// Aid after diagnosis by band, through secrecy: the bands' cells and the total.
template <class Band>
std::pair<std::vector<Band>, SecretCell> aid_bands(const Snapshot& s,
                                                   const std::vector<services::AidBand>& v,
                                                   const SecrecyRule& rule) {
  const auto& orgs = s.table("organisation");
  std::vector<Contribution> contributions;
  for (size_t i = 0; i < v.size(); ++i) {
    for (const auto& [o, a] : v[i].aid)
      contributions.push_back(
          {static_cast<int>(i), 0, a, std::string(orgs.key(static_cast<size_t>(o)))});
  }
  auto aid = secret_column(v.size(), contributions, rule);
  std::vector<Band> out;
  for (size_t i = 0; i < v.size(); ++i) {
    Band b;
    b.band = v[i].band;
    b.firms = v[i].firms;
    b.aided = v[i].aided;
    b.aided_share = v[i].aided_share;
    b.aid = aid[i];
    if constexpr (std::is_same_v<Band, DiagnosticsMaturityBand>) {
      b.score_from = v[i].score_from;
      b.score_to = v[i].score_to;
    }
    out.push_back(std::move(b));
  }
  return {std::move(out), aid.back()};
}

std::vector<EmploymentPoint> points_of(const foresight::Projection& p) {
  std::vector<EmploymentPoint> out;
  for (const auto& q : p.points) out.push_back({q.year, q.value, q.low, q.high, q.observed});
  return out;
}

// The window of the employment views: the parameters, or the data's years.
foresight::Window window_of(const foresight::Cube& c, const Args& a) {
  foresight::Window w;
  w.year = a.opt_integer("year").value_or(c.years.back());
  w.from = a.opt_integer("from").value_or(c.years.front());
  w.to = a.opt_integer("to").value_or(c.years.back());
  w.horizon = a.integer("horizon");
  w.level = a.number("level");
  return w;
}

}  // namespace

Result<PipelineFunnel> pipeline_funnel(const Snapshot& s, const Args& a) {
  POLES_ASSIGN_OR_RETURN(auto years, year_range(a));
  pipeline::FunnelFilter filter;
  filter.from_year = years.first;
  filter.to_year = years.second;
  const std::string& cluster = a.text("cluster");
  if (!cluster.empty()) {
    filter.cluster = s.table("cluster").find(cluster);
    if (filter.cluster < 0)
      return Status::not_found(fmt::format("parameter 'cluster': no cluster '{}'", cluster));
  }
  const std::string& programme = a.text("programme");
  if (!programme.empty()) {
    if (s.table("programme").find(programme) < 0)
      return Status::invalid_argument(
          fmt::format("parameter 'programme' value '{}': not a programme code", programme));
    filter.programme = programme;
  }
  const std::string& by = a.text("by");  // one of the spec's choices
  const pipeline::GroupBy group_by = by == "cluster"     ? pipeline::GroupBy::kCluster
                                     : by == "programme" ? pipeline::GroupBy::kProgramme
                                     : by == "year"      ? pipeline::GroupBy::kYear
                                                         : pipeline::GroupBy::kNone;
  PipelineFunnel out;
  out.filter = {filter.from_year, filter.to_year,
                cluster.empty() ? std::nullopt : std::optional(cluster),
                programme.empty() ? std::nullopt : std::optional(programme), by};
  for (size_t k = 0; k < pipeline::kStages; ++k) out.stages.emplace_back(kProjectStatusCodes[k]);
  out.all = funnel_group(pipeline::funnel(s, filter, pipeline::GroupBy::kNone).front());
  if (group_by != pipeline::GroupBy::kNone) {
    for (const auto& f : pipeline::funnel(s, filter, group_by))
      out.groups.push_back(funnel_group(f));
  }
  return out;
}

Result<FundingOverview> pipeline_funding(const Snapshot& s, const Args& a, const User* user) {
  POLES_ASSIGN_OR_RETURN(auto years, year_range(a));
  pipeline::FundingFilter f{.from_year = years.first, .to_year = years.second};
  FundingOverview out;
  out.filter = {years.first, years.second, std::nullopt, std::nullopt, std::nullopt};
  if (const std::string& cluster = a.text("cluster"); !cluster.empty()) {
    f.cluster = s.table("cluster").find(cluster);
    if (f.cluster < 0)
      return Status::not_found(fmt::format("parameter 'cluster': no cluster '{}'", cluster));
    out.filter.cluster = cluster;
  }
  if (const std::string& region = a.text("region"); !region.empty()) {
    if (codes::find_region(region) == nullptr)
      return Status::invalid_argument(
          fmt::format("parameter 'region' value '{}': not an INSEE region code", region));
    f.region = region;
    out.filter.region = region;
  }
  const auto& funders = s.table("funder");
  if (const std::string& funder = a.text("funder"); !funder.empty()) {
    f.funder = funders.find(funder);
    if (f.funder < 0)
      return Status::not_found(fmt::format("parameter 'funder': no funder '{}'", funder));
    out.filter.funder = funder;
  }
  if (user != nullptr && (user->role == Role::kRegion || user->role == Role::kClusterManager)) {
    // The splits the account reads row by row: those of the projects its cluster (or a cluster
    // of its region) owns, and a region's own money on every project.
    const bool region = user->role == Role::kRegion;
    const auto& clusters = s.table("cluster");
    const auto owners = pipeline::project_owners(s);
    f.visible.assign(owners.size(), 0);
    for (size_t p = 0; p < owners.size(); ++p) {
      if (owners[p] < 0) continue;
      const auto c = static_cast<size_t>(owners[p]);
      f.visible[p] = region ? clusters.column("region").text(c) == user->scope
                            : clusters.column("id").text(c) == user->scope;
    }
    f.own_funders.assign(funders.rows, 0);
    if (region) {
      for (size_t k = 0; k < funders.rows; ++k)
        f.own_funders[k] = !user->scope.empty() && funders.column("region").text(k) == user->scope;
    }
    out.counted = region ? "own_region" : "own_cluster";
  }
  const auto split = pipeline::funding_split(s, f);
  out.projects = split.projects;
  out.public_aid = split.public_aid;
  out.split = split.split;
  out.assumed = split.assumed;
  out.not_split = split.not_split;
  const double known = split.split + split.assumed;
  for (size_t k = 0; k < pipeline::kFunderKinds; ++k) {
    if (split.by_kind[k] == 0) continue;
    out.by_kind.push_back({std::string(kFunderKindCodes[k]), split.by_kind[k],
                           known > 0 ? std::optional(split.by_kind[k] / known) : std::nullopt});
  }
  std::sort(out.by_kind.begin(), out.by_kind.end(),
            [](const auto& x, const auto& y) { return x.amount > y.amount; });
  for (const auto& m : split.by_funder) {
    const auto r = static_cast<size_t>(m.funder);
    FundingFunder row;
    row.funder = std::string(funders.column("id").text(r));
    row.name = std::string(funders.column("name").text(r));
    if (const auto en = funders.column("name_en").text(r); !en.empty())
      row.name_en = std::string(en);
    row.kind = std::string(funders.column("kind").text(r));
    if (const auto reg = funders.column("region").text(r); !reg.empty())
      row.region = std::string(reg);
    row.amount = m.amount;
    row.assumed = m.assumed;
    row.projects = m.projects;
    out.by_funder.push_back(std::move(row));
  }
  std::set<int> years_seen;
  for (const auto& [y, _] : split.by_year) years_seen.insert(y);
  for (const auto& [y, _] : split.not_split_by_year) years_seen.insert(y);
  for (const int y : years_seen) {
    FundingYear row;
    row.year = y;
    if (const auto it = split.by_year.find(y); it != split.by_year.end()) {
      for (size_t k = 0; k < pipeline::kFunderKinds; ++k) {
        row.by_kind[k] = it->second[k];
        row.total += it->second[k];
      }
    }
    if (const auto it = split.not_split_by_year.find(y); it != split.not_split_by_year.end()) {
      row.not_split = it->second;
      row.total += it->second;
    }
    out.by_year.push_back(row);
  }
  const auto& ids = s.table("project").column("id");
  for (const int32_t p : split.over_split)
    out.over_split.emplace_back(ids.text(static_cast<size_t>(p)));
  return out;
}

Result<PipelineLeverage> pipeline_leverage(const Snapshot& s, const Args& a) {
  POLES_ASSIGN_OR_RETURN(auto years, year_range(a));
  const std::string& by = a.text("by");  // one of the spec's choices
  const pipeline::LeverageBy group_by = by == "cluster"     ? pipeline::LeverageBy::kCluster
                                        : by == "programme" ? pipeline::LeverageBy::kProgramme
                                                            : pipeline::LeverageBy::kNone;
  auto row = [](const pipeline::Leverage& l) {
    LeverageGroup g;
    g.group = l.group;
    g.funded_projects = l.funded_projects;
    g.total_cost = l.total_cost;
    g.public_aid = l.public_aid;
    g.private_funding = l.private_funding;
    g.leverage = figure(l.leverage);
    g.median_leverage = figure(l.median_leverage);
    g.follow_ons = l.follow_ons;
    g.larger_follow_ons = l.larger_follow_ons;
    g.median_cost_ratio = figure(l.median_cost_ratio);
    g.follow_ons_to_europe = l.follow_ons_to_europe;
    g.national_participants = l.national_participants;
    g.european_after_national = l.european_after_national;
    g.european_after_national_share = figure(l.european_after_national_share);
    return g;
  };
  PipelineLeverage out;
  out.filter = {years.first, years.second, by};
  const auto all = pipeline::leverage(s, years.first, years.second, pipeline::LeverageBy::kNone);
  if (!all.empty()) out.all = row(all.front());
  if (group_by != pipeline::LeverageBy::kNone) {
    const auto& clusters = s.table("cluster");
    const auto& name = clusters.column("name");
    for (const auto& l : pipeline::leverage(s, years.first, years.second, group_by)) {
      LeverageGroup g = row(l);
      // Cluster groups carry the cluster's name.
      if (const int32_t c =
              group_by == pipeline::LeverageBy::kCluster ? clusters.find(l.group) : -1;
          c >= 0)
        g.name = std::string(name.text(static_cast<size_t>(c)));
      out.groups.push_back(std::move(g));
    }
  }
  return out;
}

namespace {

// Every year's financing raised by the firms served, by cluster (the period is the caller's:
// secret_column_over_years). A cluster's manager (its region) knows its cluster's participants;
// a member, its own.
std::vector<secrecy::DatedContribution> financing_contributions(const Snapshot& s,
                                                                const Reader& reader) {
  const auto& orgs = s.table("organisation");
  std::vector<secrecy::DatedContribution> out;
  for (const auto& f : services::financing_raised(s)) {
    out.push_back(
        {f.year,
         {f.cluster, 0, f.amount, std::string(orgs.key(static_cast<size_t>(f.organisation))),
          reader.knows_cluster(f.cluster) || reader.knows_organisation(f.organisation)}});
  }
  return out;
}

// The financing raised by cluster as published to all, every year protected, the insiders
// (cluster_insiders) included. It depends on its inputs only, and costs about a second on the
// france demo (a protection per manager and region), so the last few are kept: every reader and
// every period of a data version shares one. Inputs are compared whole, not by a hash.
std::shared_ptr<const secrecy::OverYears> public_financing(const Snapshot& s,
                                                           const SecrecyRule& rule) {
  struct Entry {
    int rows = 0;
    SecrecyRule rule;
    std::vector<secrecy::DatedContribution> contributions;
    std::vector<std::vector<int>> insiders;
    std::shared_ptr<const secrecy::OverYears> over;
  };
  static std::mutex mutex;
  static std::deque<Entry> kept;
  Entry e{static_cast<int>(s.table("cluster").rows), rule, financing_contributions(s, Reader{}),
          cluster_insiders(s), nullptr};
  const auto same = [&](const Entry& k) {
    const auto contribution = [](const secrecy::DatedContribution& a,
                                 const secrecy::DatedContribution& b) {
      return a.year == b.year && a.c.row == b.c.row && a.c.col == b.c.col &&
             a.c.value == b.c.value && a.c.firm == b.c.firm && a.c.known == b.c.known;
    };
    return k.rows == e.rows && k.rule.min_firms == e.rule.min_firms &&
           k.rule.max_share == e.rule.max_share && k.rule.protection == e.rule.protection &&
           k.insiders == e.insiders &&
           std::equal(k.contributions.begin(), k.contributions.end(), e.contributions.begin(),
                      e.contributions.end(), contribution);
  };
  {
    const std::lock_guard lock(mutex);
    for (const auto& k : kept)
      if (same(k)) return k.over;
  }
  e.over = std::make_shared<const secrecy::OverYears>(
      secrecy::OverYears::publish(e.rows, e.contributions, rule, e.insiders));
  const std::lock_guard lock(mutex);
  kept.push_front(e);
  if (kept.size() > 4) kept.pop_back();
  return e.over;
}

// The financing column of the period [from, to] for a reader: the public one, or the reader's
// own starting from its masks.
std::vector<SecretCell> financing_column(const Snapshot& s, const SecrecyRule& rule,
                                         const Reader& reader, int from, int to) {
  const auto everyone = public_financing(s, rule);
  auto contributions = financing_contributions(s, reader);
  const bool knows = std::any_of(contributions.begin(), contributions.end(),
                                 [](const secrecy::DatedContribution& d) { return d.c.known; });
  const auto cells =
      knows ? secrecy::OverYears::publish_for_reader(*everyone, std::move(contributions))
                  .period(from, to)
            : everyone->period(from, to);
  std::vector<SecretCell> out;
  for (const auto& c : cells) out.push_back(secret_cell(c));
  return out;
}

}  // namespace

std::vector<ClusterYearFigure> open_services_financing(const Snapshot& s, const SecrecyRule& rule) {
  std::set<int> years;
  for (const auto& c : financing_contributions(s, Reader{}))
    if (c.year != secrecy::kUndated) years.insert(c.year);
  const auto rows = s.table("cluster").rows;
  const auto over_ptr = public_financing(s, rule);
  const auto& over = *over_ptr;
  std::vector<ClusterYearFigure> out;
  const auto add = [&](int year, int from, int to) {
    const auto cells = over.period(from, to);
    for (size_t r = 0; r < rows; ++r)
      out.push_back({static_cast<int>(r), year, secret_cell(cells[r])});
  };
  for (const int y : years) add(y, y, y);
  if (!years.empty()) add(0, kFirstYear, kLastYear);
  return out;
}

Result<ServicesOverview> services_overview(const Snapshot& s, const Args& a,
                                           const SecrecyRule& rule, const Reader& reader) {
  POLES_ASSIGN_OR_RETURN(auto years, year_range(a));
  const auto r = services::services_report(s, years.first, years.second, a.integer("horizon"));
  const auto financing = financing_column(s, rule, reader, years.first, years.second);

  ServicesOverview out;
  out.from = r.from_year;
  out.to = r.to_year;
  out.totals = {r.services, r.sme_members, r.sme_served, financing.back()};
  out.heterogeneity = {spread_of(r.reach), spread_of(r.services_per_member),
                       spread_of(r.international_share)};
  const auto& o = r.outcomes;
  out.outcomes = {o.horizon,
                  {o.served.firms, figure(o.served.baseline), figure(o.served.later)},
                  {o.not_served.firms, figure(o.not_served.baseline), figure(o.not_served.later)},
                  figure(o.difference),
                  {figure(o.ci_low), figure(o.ci_high)},
                  figure(o.difference_in_differences),
                  std::string(services::kOutcomeMethod),
                  {o.matched.treated,
                   o.matched.controls,
                   figure(o.matched.att),
                   {figure(o.matched.ci_low), figure(o.matched.ci_high)},
                   std::string(services::kMatchedOutcomeMethod)}};
  const auto& clusters = s.table("cluster");
  const auto& name = clusters.column("name");
  for (size_t i = 0; i < r.clusters.size(); ++i) {
    const auto& c = r.clusters[i];
    const auto row = static_cast<size_t>(c.cluster);
    ServicesCluster x;
    x.cluster = clusters.key(row);
    x.name = name.text(row);
    x.services = c.services;
    x.by_kind.values = c.by_kind;
    x.cost = c.cost;
    x.participations = c.participations;
    x.participants = c.participants;
    x.sme_members = c.sme_members;
    x.sme_served = c.sme_served;
    x.reach = figure(c.reach);
    x.intensity = figure(c.intensity);
    x.abroad = c.abroad;
    x.abroad_europe = c.abroad_europe;
    x.projects = c.projects;
    x.european_projects = c.european_projects;
    x.european_share = figure(c.european_share);
    x.satisfaction = figure(c.satisfaction);
    x.outcomes.values = c.outcomes;
    x.financing_raised = financing[row];
    out.clusters.push_back(std::move(x));
  }
  out.secrecy = rule_shown(rule);
  return out;
}

Result<DiagnosticsOverview> diagnostics_overview(const Snapshot& s, const Args& a,
                                                 const SecrecyRule& rule) {
  POLES_ASSIGN_OR_RETURN(auto years, year_range(a));
  const auto r = services::diagnostics_report(s, years.first, years.second);
  DiagnosticsOverview out;
  out.from = r.from_year;
  out.to = r.to_year;
  out.diagnostics = r.diagnostics;
  out.firms = r.firms;
  for (const auto d : services::kDimensions) out.dimensions.emplace_back(d);
  out.latest = dimensions_of(r.latest, rule);
  const auto& p = r.progress;
  out.progress.firms = p.firms;
  if (p.firms >= static_cast<size_t>(rule.min_firms)) {
    out.progress.mean_days.emplace(figure(p.mean_days));
    auto& change = out.progress.mean_change.emplace();
    for (size_t k = 0; k < change.kSize; ++k) change[k] = figure(p.mean_change[k]);
    out.progress.score_ci95.emplace({figure(p.ci_low), figure(p.ci_high)});
    out.progress.improved_share.emplace(figure(p.improved_share));
  } else {
    out.progress.secret = "primary";
  }
  std::tie(out.aid_by_maturity, out.aid_total) =
      aid_bands<DiagnosticsMaturityBand>(s, r.aid_by_maturity, rule);
  out.aid_by_size = aid_bands<DiagnosticsSizeBand>(s, r.aid_by_size, rule).first;
  const auto& clusters = s.table("cluster");
  const auto& name = clusters.column("name");
  for (const auto& c : r.clusters) {
    const auto row = static_cast<size_t>(c.cluster);
    out.clusters.push_back({std::string(clusters.key(row)), std::string(name.text(row)), c.firms,
                            dimensions_of(c.latest, rule)});
  }
  out.secrecy = rule_shown(rule);
  return out;
}

Result<EmploymentSectors> employment_sectors(const Snapshot& s, const Args& a) {
  POLES_ASSIGN_OR_RETURN(auto c, cube_of(s, a));
  EmploymentSectors out;
  out.territory_level = c.level;
  out.nomenclature = codes::kNafLevelCodes[static_cast<size_t>(c.nomenclature)];
  for (size_t k = 0; k < c.sectors.size(); ++k) {
    out.items.push_back({c.sectors[k], sector_name(c.sectors[k]),
                         std::string(codes::naf_name(c.sectors[k], true)),
                         figure(c.sector_total[k].back()), c.years.back()});
  }
  return out;
}

Result<EmploymentOverview> employment_overview(const Snapshot& s, const Args& a) {
  POLES_ASSIGN_OR_RETURN(auto c, cube_of(s, a));
  const foresight::Window w = window_of(c, a);
  const std::string& territory = a.text("territory");
  const std::string& sector = a.text("sector");
  if (!territory.empty() && c.territory_index(territory) < 0)
    return Status::not_found(
        fmt::format("parameter 'territory': no employment for {} '{}'", c.level, territory));
  if (!sector.empty() && c.sector_index(sector) < 0)
    return Status::not_found(
        fmt::format("parameter 'sector': no employment for sector '{}' at NAF level {}", sector,
                    codes::kNafLevelCodes[static_cast<size_t>(c.nomenclature)]));
  POLES_ASSIGN_OR_RETURN(auto v, foresight::overview(c, w, territory, sector));
  const TerritoryNames name_of(s, c.level);
  EmploymentOverview out;
  out.territory_level = c.level;
  out.nomenclature = codes::kNafLevelCodes[static_cast<size_t>(c.nomenclature)];
  if (c.summed_from) out.summed_from = codes::kNafLevelCodes[static_cast<size_t>(*c.summed_from)];
  out.years = c.years;
  out.year = w.year;
  out.from = w.from;
  out.to = w.to;
  if (!territory.empty()) out.territory = territory;
  if (!sector.empty()) out.sector = sector;
  for (const auto& x : v.specialisation) {
    out.specialisation.push_back({x.territory, name_of(x.territory), x.sector, x.jobs,
                                  figure(x.share_of_territory), figure(x.lq), x.stars(),
                                  x.size_star, x.specialisation_star, x.focus_star});
  }
  for (const auto& x : v.cells) {
    out.shift_share.cells.push_back({x.territory, name_of(x.territory), x.sector, x.start, x.end,
                                     x.change, x.national, x.industry_mix, x.competitive});
  }
  for (const auto& x : v.territories) {
    out.shift_share.territories.push_back({x.territory, name_of(x.territory), x.start, x.change,
                                           x.national, x.industry_mix, x.competitive,
                                           figure(x.growth)});
  }
  for (const auto& p : v.projections) {
    EmploymentSectorTrend t;
    if (p.projection) {
      t.annual_growth = figure(p.projection->annual_growth);
      t.level = p.projection->level;
      t.fitted_years = p.projection->n;
      t.points = points_of(*p.projection);
    } else {
      t.error = p.error;
    }
    t.sector = p.sector;
    t.name = sector_name(p.sector);
    out.projections.push_back(std::move(t));
  }
  return out;
}

Result<SectorSheet> sector_sheet(const Snapshot& s, const std::string& sector, const Args& a,
                                 const SecrecyRule& rule, const Reader& reader) {
  POLES_ASSIGN_OR_RETURN(auto c, foresight::employment_cube(s));
  const int k = c.sector_index(sector);
  if (k < 0)
    return Status::not_found(
        fmt::format("no employment figures for sector '{}' (a NAF division, e.g. '30')", sector));
  const foresight::Window w = window_of(c, a);
  POLES_ASSIGN_OR_RETURN(auto profile, foresight::sector_profile(c, w, k));
  SectorSheet out;
  out.sector = sector;
  out.name = sector_name(sector);

  // Employment: national series and projection, regions with specialisation and shift-share.
  auto& e = out.employment;
  e.year = w.year;
  e.from = w.from;
  e.to = w.to;
  for (size_t y = 0; y < c.years.size(); ++y)
    e.national.push_back({c.years[y], figure(profile.national[y])});
  e.start = figure(profile.start);
  e.end = figure(profile.end);
  e.growth = figure(profile.growth);
  e.projection = {profile.projection.annual_growth, profile.projection.level, profile.projection.n,
                  points_of(profile.projection)};
  for (const auto& r : profile.territories) {
    const auto& x = r.specialisation;
    SectorSheetRegion row{x.territory,
                          region_name(x.territory),
                          x.jobs,
                          figure(x.share_of_territory),
                          figure(x.lq),
                          x.stars(),
                          {}};
    if (r.shift_share) {
      const auto& ss = *r.shift_share;
      row.shift_share = SectorSheetShift{ss.change, ss.national, ss.industry_mix, ss.competitive};
    }
    e.regions.push_back(std::move(row));
  }

  // Projects of the sector started in [from, to] (every year when not given), the clusters that
  // label them, their results.
  const int from = a.opt_integer("from").value_or(kFirstYear);
  const int to = a.opt_integer("to").value_or(kLastYear);
  const auto projects = pipeline::sector_projects(s, sector, from, to);
  out.projects = {
      from, to, projects.count, projects.total_cost, projects.public_aid, figure(projects.leverage),
      {}};
  for (size_t st = 0; st < pipeline::kStages; ++st)
    out.projects.funnel.push_back({std::string(kProjectStatusCodes[st]), projects.reached[st]});
  const auto& clusters = s.table("cluster");
  const auto& cluster_name = clusters.column("name");
  const auto& cluster_region = clusters.column("region");
  std::vector<int32_t> cluster_rows;
  for (const auto& x : projects.clusters) {
    const auto row = static_cast<size_t>(x.cluster);
    cluster_rows.push_back(x.cluster);
    out.clusters.push_back({std::string(clusters.key(row)), std::string(cluster_name.text(row)),
                            std::string(cluster_region.text(row)), x.projects, x.public_aid,
                            x.on_market});
  }
  // Results on a project the caller owns, or of its own organisation, are known to it (it may
  // have written them): they do not count toward the rule (Reader).
  // The period is the caller's: from every start year's results (secret_column_over_years).
  const auto every_year = pipeline::sector_projects(s, sector, kFirstYear, kLastYear);
  std::vector<secrecy::DatedContribution> jobs, revenue;
  const auto known = [&](const pipeline::FirmValue& f) {
    return reader.knows_project(f.project) || reader.knows_organisation(f.organisation);
  };
  for (const auto& f : every_year.result_jobs)
    jobs.push_back({f.year, {0, 0, f.value, f.firm, known(f)}});
  for (const auto& f : every_year.result_revenue)
    revenue.push_back({f.year, {0, 0, f.value, f.firm, known(f)}});
  out.results.by_kind.values = projects.results_by_kind;
  out.results.jobs = secret_column_over_years(1, std::move(jobs), rule, from, to)[0];
  out.results.revenue = secret_column_over_years(1, std::move(revenue), rule, from, to)[0];

  // Jobs in member firms of the sector, by region.
  // A member account knows its own firm's headcount: it does not count toward the rule.
  const auto members = foresight::member_jobs(s, sector);
  std::string own_siren;
  if (const int32_t o = reader.organisation(); o >= 0)
    own_siren = s.table("organisation").column("siren").text(static_cast<size_t>(o));
  std::vector<Contribution> headcount;
  std::vector<uint8_t> has_firms(members.regions.size(), 0);
  for (const auto& f : members.firms) {
    headcount.push_back({static_cast<int>(f.region), 0, f.headcount, f.siren,
                         !own_siren.empty() && f.siren == own_siren});
    has_firms[f.region] = 1;
  }
  const auto cells = secret_column(members.regions.size(), headcount, rule);
  out.member_jobs.year = members.year;
  for (size_t r = 0; r < members.regions.size(); ++r) {
    if (!has_firms[r]) continue;
    out.member_jobs.regions.push_back({cells[r].value, cells[r].firms, cells[r].secret,
                                       members.regions[r], region_name(members.regions[r])});
  }
  out.member_jobs.total = cells.back();

  // Skills signals: training services of the sector's clusters, and the skills dimension of the
  // digital diagnostics of the sector's firms.
  const auto training = services::training(s, cluster_rows);
  const auto skills = services::sector_dimension(s, sector, "skills");
  out.skills = {training.services, training.participations,
                over_firms(skills.mean, skills.firms, rule)};
  out.secrecy = rule_shown(rule);
  out.sources = {"employment: the store's employment table (region x NAF division x year)",
                 "projects, labels, results, services, diagnostics: the registry",
                 "member jobs: headcount of member firms in the firm panel"};
  return out;
}

const ParamSpecs& funnel_params() {
  static const ParamSpecs k = {
      year_param("from", "First cohort year (year of a project's first event)", "1900"),
      year_param("to", "Last cohort year", "2100"),
      text_param("cluster", "Only projects labelled by this cluster (id)"),
      text_param("programme", "Only projects of this programme (code)"),
      choice_param("by", "Groups of the funnel", {"none", "cluster", "programme", "year"}, "none")};
  return k;
}

const ParamSpecs& leverage_params() {
  static const ParamSpecs k = {
      year_param("from", "First year of the projects", "1900"),
      year_param("to", "Last year of the projects", "2100"),
      choice_param("by", "Groups", {"none", "cluster", "programme"}, "cluster")};
  return k;
}

const ParamSpecs& funding_params() {
  static const ParamSpecs k = {
      year_param("from", "First start year of the projects", "1900"),
      year_param("to", "Last start year of the projects", "2100"),
      text_param("cluster", "Only projects labelled by this cluster (id)"),
      text_param("region", "Only projects labelled by a cluster of this region (INSEE code)"),
      text_param("funder", "Only this funder's money (funder id, e.g. region-84)")};
  return k;
}

const ParamSpecs& services_params() {
  static const ParamSpecs k = {
      year_param("from", "First year of the services", "2016"),
      year_param("to", "Last year of the services", "2020"),
      integer_param("horizon", "Years of outcomes observed after the period", 1, 10, "3")};
  return k;
}

const ParamSpecs& diagnostics_params() {
  static const ParamSpecs k = {year_param("from", "First year of the diagnostics", "2015"),
                               year_param("to", "Last year of the diagnostics", "2030")};
  return k;
}

namespace {

ParamSpecs window_params() {
  return {
      year_param("year",
                 "Year of the location quotients and stars (default: the latest of the data)"),
      year_param("from",
                 "Start of the shift-share and of the trend (default: the first year of the data); "
                 "on a sector sheet, also the first start year of its projects (default: every "
                 "year)"),
      year_param("to",
                 "End of the shift-share and of the trend (default: the latest year of the data); "
                 "on a sector sheet, also the last start year of its projects (default: every "
                 "year)"),
      integer_param("horizon", "Years projected", 1, 20, "5"),
      number_param("level", "Level of the prediction intervals", 0.5, 0.999, "0.95")};
}

ParamSpecs levels_params() {
  return {choice_param("territory_level", "Territories: regions, departments or zones d'emploi",
                       {"region", "department", "zone"}, "region"),
          choice_param("nomenclature",
                       "Sectors: NAF sections (a21), the A38 level or divisions (a88); summed "
                       "from a finer level when the figures lack this one",
                       {"a21", "a38", "a88"}, "a88")};
}

}  // namespace

const ParamSpecs& employment_params() {
  static const ParamSpecs k = [] {
    ParamSpecs out = window_params();
    for (auto& p : levels_params()) out.push_back(std::move(p));
    out.push_back(text_param("territory", "Only this territory (INSEE code at the level)"));
    out.push_back(text_param("sector", "Only this sector (a code at the NAF level)"));
    return out;
  }();
  return k;
}

const ParamSpecs& employment_sector_params() {
  static const ParamSpecs k = levels_params();
  return k;
}

const ParamSpecs& sector_sheet_params() {
  static const ParamSpecs k = window_params();
  return k;
}

}  // namespace poles::app
