#include "app/cofunding.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/codes.h"
#include "core/date.h"
#include "pipeline/projects.h"

namespace poles::app {
namespace {

constexpr int kMaxCofundingYears = 12;

std::optional<double> ratio(double a, double b) {
  return b > 0 ? std::optional<double>(a / b) : std::nullopt;
}

double or_zero(double v) { return std::isnan(v) ? 0 : v; }

}  // namespace

const ParamSpecs& cofunding_params() {
  static const ParamSpecs k = {
      integer_param("from", "First year of the window (projects starting from it)", 2005, 2100,
                    "2013"),
      integer_param("to", "Last year of the window", 2005, 2100, "2022"),
      text_param("method", "Method of the published evaluations read", "default")};
  return k;
}

Result<RegionCofunding> region_cofunding(const snapshot::Snapshot& s, store::Store& store,
                                         const std::string& region, const Args& a) {
  const auto* info = codes::find_region(region);
  if (info == nullptr) return Status::not_found(fmt::format("no region '{}'", region));
  const int from = a.integer("from"), to = a.integer("to");
  if (from > to)
    return Status::invalid_argument(
        fmt::format("parameter 'from': {} is after 'to' ({})", from, to));
  if (to - from + 1 > kMaxCofundingYears)
    return Status::invalid_argument(
        fmt::format("parameter 'from': a window spans at most {} years", kMaxCofundingYears));
  RegionCofunding out;
  out.region = region;
  out.name = std::string(info->name);
  out.from = from;
  out.to = to;
  out.method = a.text("method");
  for (int y = from; y <= to; ++y) out.years.push_back(CofundingYear{y, 0, 0, 0});

  // The Region's funders.
  const auto& funders = s.table("funder");
  const auto& f_region = funders.column("region");
  const auto& f_name = funders.column("name");
  const auto& f_name_en = funders.column("name_en");
  const auto& f_kind = funders.column("kind");
  std::map<int32_t, size_t> funder_slot;  // funder row -> out.funders
  for (size_t f = 0; f < funders.rows; ++f) {
    if (f_region.text(f) != region) continue;
    funder_slot[static_cast<int32_t>(f)] = out.funders.size();
    out.funders.push_back(CofundingFunder{std::string(funders.key(f)), std::string(f_name.text(f)),
                                          std::string(f_name_en.text(f)),
                                          std::string(f_kind.text(f)), 0, 0, 0});
  }

  // Its money on each project starting in the window.
  const auto& project = s.table("project");
  const auto& p_start = project.column("start_date");
  const auto& p_cost = project.column("total_cost");
  const auto& p_aid = project.column("public_aid");
  const auto& pf = s.table("project_funding");
  const auto& pf_project = pf.column("project_id");
  const auto& pf_funder = pf.column("funder_id");
  const auto& pf_amount = pf.column("amount");
  auto in_window = [&](size_t p) {
    if (!p_start.present[p]) return false;
    const int y = Date::from_days(p_start.ints[p]).year;
    return y >= from && y <= to;
  };
  std::map<int32_t, double> aid_of;  // project row -> the Region's money
  std::vector<uint8_t> split(project.rows, 0);
  for (size_t i = 0; i < pf.rows; ++i) {
    const auto p = static_cast<size_t>(pf_project.codes[i]);
    split[p] = 1;
    const auto slot = funder_slot.find(pf_funder.codes[i]);
    if (slot == funder_slot.end() || !in_window(p)) continue;
    const double amount = or_zero(pf_amount.reals[i]);
    auto& f = out.funders[slot->second];
    f.aid += amount;
    f.projects += 1;
    aid_of[pf_project.codes[i]] += amount;
  }
  // A project with public aid and no split row is its programme's funder's, as the funding view
  // attributes it (pipeline/funding.h): the Region's when that funder is one of its own.
  const auto& programmes = s.table("programme");
  const auto& prog_funder = programmes.column("funder_id");
  const auto& p_programme = project.column("programme");
  for (size_t p = 0; p < project.rows; ++p) {
    const double all_public = p_aid.reals[p];
    if (split[p] || std::isnan(all_public) || all_public <= 0 || !in_window(p)) continue;
    const int32_t prog = programmes.find(p_programme.text(p));
    if (prog < 0) continue;
    const auto slot = funder_slot.find(prog_funder.codes[static_cast<size_t>(prog)]);
    if (slot == funder_slot.end()) continue;
    auto& f = out.funders[slot->second];
    f.aid += all_public;
    f.assumed += all_public;
    f.projects += 1;
    out.assumed += all_public;
    aid_of[static_cast<int32_t>(p)] += all_public;
  }

  // By year and by the cluster that owns the project.
  const auto owners = pipeline::project_owners(s);
  const auto& clusters = s.table("cluster");
  const auto& c_name = clusters.column("name");
  const auto& c_region = clusters.column("region");
  std::map<int32_t, CofundedCluster> by_cluster;
  for (const auto& [p, aid] : aid_of) {
    const auto pu = static_cast<size_t>(p);
    const double cost = or_zero(p_cost.reals[pu]), all_public = or_zero(p_aid.reals[pu]);
    auto& y = out.years[static_cast<size_t>(Date::from_days(p_start.ints[pu]).year - from)];
    y.aid += aid;
    y.projects += 1;
    y.project_cost += cost;
    out.aid += aid;
    out.projects += 1;
    out.project_cost += cost;
    out.public_aid += all_public;
    const int32_t owner = owners[pu];
    if (owner < 0) {
      out.unlabelled_projects += 1;
      out.unlabelled_aid += aid;
      continue;
    }
    auto& c = by_cluster[owner];
    c.projects += 1;
    c.aid += aid;
    c.project_cost += cost;
    c.public_aid += all_public;
  }
  out.cost_per_euro = ratio(out.project_cost, out.aid);
  out.aid_share = ratio(out.aid, out.public_aid);
  // The clusters of its region appear even without a co-funded project in the window: the
  // Region co-signs their contracts.
  for (size_t c = 0; c < clusters.rows; ++c) {
    if (c_region.text(c) == region) by_cluster.try_emplace(static_cast<int32_t>(c));
  }

  // The published evaluations of the window, for the clusters of its region.
  POLES_ASSIGN_OR_RETURN(auto published,
                         phase_years(s, store, from, to, out.method, 0, std::nullopt, false));
  for (const auto& ev : published.evaluations) out.published_years.push_back(ev.year);
  const PhaseEvaluation phase = phase_of(published.evaluations, published.published);

  for (auto& [row, c] : by_cluster) {
    const auto r = static_cast<size_t>(row);
    c.cluster = std::string(clusters.key(r));
    c.name = std::string(c_name.text(r));
    c.region = std::string(c_region.text(r));
    c.home = c.region == region;
    c.cost_per_euro = ratio(c.project_cost, c.aid);
    c.aid_share = ratio(c.aid, c.public_aid);
    if (c.home) {
      if (const auto* x = phase.find(c.cluster)) {
        c.evaluations = x->years;
        c.years_all_targets_met = x->years_all_targets_met;
        c.rating = x->rating;
      }
    }
    out.clusters.push_back(std::move(c));
  }
  std::sort(out.clusters.begin(), out.clusters.end(), [](const auto& x, const auto& y) {
    return x.aid != y.aid ? x.aid > y.aid : x.cluster < y.cluster;
  });
  std::stable_sort(out.funders.begin(), out.funders.end(),
                   [](const auto& x, const auto& y) { return x.aid > y.aid; });
  return out;
}

}  // namespace poles::app
