#include "impact/panel.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "core/date.h"

namespace poles::impact {
namespace {

int year_of(int64_t days) { return Date::from_days(days).year; }

}  // namespace

std::string size_class_of(double headcount, double turnover) {
  if (std::isnan(headcount)) return "";
  const auto within = [&](double persons, double sales) {
    return headcount < persons && (std::isnan(turnover) || turnover <= sales);
  };
  if (within(10, 2e6)) return "tpe";
  if (within(250, 50e6)) return "pme";
  if (within(5000, 1.5e9)) return "eti";
  return "ge";
}

Result<Frame> firm_panel(const snapshot::Snapshot& s) {
  const auto& fy = s.table("firm_year");
  const auto& orgs = s.table("organisation");
  const auto& mem = s.table("membership");
  const size_t n = fy.rows;
  if (n == 0) return Status::not_found("the store has no firm panel (firm_year is empty)");
  // Organisation of each SIREN, its first membership year and cluster.
  const auto& org_siren = orgs.column("siren");
  std::unordered_map<std::string_view, int32_t> org_of;
  for (size_t o = 0; o < orgs.rows; ++o) {
    if (org_siren.codes[o] >= 0) org_of.emplace(org_siren.text(o), static_cast<int32_t>(o));
  }
  std::vector<int> join(orgs.rows, 0);
  std::vector<int32_t> first_cluster(orgs.rows, -1);
  {
    const auto& o = mem.column("organisation_id");
    const auto& c = mem.column("cluster_id");
    const auto& start = mem.column("start_date");
    for (size_t m = 0; m < mem.rows; ++m) {
      const int y = year_of(start.ints[m]);
      auto& j = join[static_cast<size_t>(o.codes[m])];
      if (j == 0 || y < j) {
        j = y;
        first_cluster[static_cast<size_t>(o.codes[m])] = c.codes[m];
      }
    }
  }
  // First aided project and first project shared with an already-joined member, per organisation.
  std::vector<int> funded(orgs.rows, 0), neighbour(orgs.rows, 0);
  {
    const auto& part = s.table("participation");
    const auto& proj = s.table("project");
    const auto& pstart = proj.column("start_date");
    const auto& p = part.column("project_id");
    const auto& o = part.column("organisation_id");
    const auto& aid = part.column("aid");
    std::vector<std::vector<int32_t>> partners(proj.rows);
    for (size_t i = 0; i < part.rows; ++i)
      partners[static_cast<size_t>(p.codes[i])].push_back(o.codes[i]);
    auto earliest = [](int& slot, int y) {
      if (slot == 0 || y < slot) slot = y;
    };
    for (size_t i = 0; i < part.rows; ++i) {
      const auto pr = static_cast<size_t>(p.codes[i]);
      if (pstart.is_null(pr)) continue;
      const int y = year_of(pstart.ints[pr]);
      if (aid.reals[i] > 0) earliest(funded[static_cast<size_t>(o.codes[i])], y);
    }
    for (size_t pr = 0; pr < proj.rows; ++pr) {
      if (pstart.is_null(pr)) continue;
      const int y = year_of(pstart.ints[pr]);
      bool has_member = false;
      for (int32_t org : partners[pr])
        has_member = has_member ||
                     (join[static_cast<size_t>(org)] != 0 && join[static_cast<size_t>(org)] <= y);
      if (!has_member) continue;
      for (int32_t org : partners[pr]) {
        if (join[static_cast<size_t>(org)] == 0) earliest(neighbour[static_cast<size_t>(org)], y);
      }
    }
  }
  const auto& siren = fy.column("siren");
  const auto& year = fy.column("year");
  const auto& naf = fy.column("naf");
  const auto& region = fy.column("region");
  const auto& zone = fy.column("employment_zone");
  const auto& clusters = s.table("cluster");
  Frame f;
  std::vector<double> firm(n), yr(n), join_year(n), funded_year(n), member(n), zone_exposed(n),
      network_exposed(n), cir_claimant(n);
  std::vector<std::string> naf_text(n), division(n), region_text(n), zone_text(n), cluster(n);
  std::vector<int32_t> org_row(n, -1);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view sir = siren.text(i);
    firm[i] = std::strtod(std::string(sir).c_str(), nullptr);
    yr[i] = static_cast<double>(year.ints[i]);
    naf_text[i] = std::string(naf.text(i));
    division[i] = naf_text[i].substr(0, 2);
    region_text[i] = std::string(region.text(i));
    zone_text[i] = std::string(zone.text(i));
    auto it = org_of.find(sir);
    if (it != org_of.end()) org_row[i] = it->second;
    const int j = org_row[i] >= 0 ? join[static_cast<size_t>(org_row[i])] : 0;
    join_year[i] = j;
    member[i] = j != 0;
    funded_year[i] = org_row[i] >= 0 ? funded[static_cast<size_t>(org_row[i])] : 0;
    network_exposed[i] = org_row[i] >= 0 && j == 0 ? neighbour[static_cast<size_t>(org_row[i])] : 0;
    if (org_row[i] >= 0 && first_cluster[static_cast<size_t>(org_row[i])] >= 0) {
      cluster[i] = std::string(
          clusters.key(static_cast<size_t>(first_cluster[static_cast<size_t>(org_row[i])])));
    }
  }
  // Exposure cells: (employment zone, NAF division) -> first year a member of the cell joined.
  std::map<std::pair<std::string, std::string>, int> cell_join;
  for (size_t i = 0; i < n; ++i) {
    if (join_year[i] == 0) continue;
    auto [it, added] =
        cell_join.try_emplace({zone_text[i], division[i]}, static_cast<int>(join_year[i]));
    if (!added) it->second = std::min(it->second, static_cast<int>(join_year[i]));
  }
  // CIR claimant: CIR received in the year before joining (members) or the first year (others).
  std::map<double, std::pair<double, double>>
      first_cir;  // firm -> (year, cir) of the reference year
  const auto& cir = fy.column("cir");
  for (size_t i = 0; i < n; ++i) {
    zone_exposed[i] = 0;
    if (join_year[i] == 0) {
      auto it = cell_join.find({zone_text[i], division[i]});
      if (it != cell_join.end()) zone_exposed[i] = it->second;
    }
    const double ref = join_year[i] != 0 ? join_year[i] - 1 : -1;
    auto& slot = first_cir[firm[i]];
    const bool better = ref >= 0 ? yr[i] == ref : (slot.first == 0 || yr[i] < slot.first);
    if (better) slot = {yr[i], std::isnan(cir.reals[i]) ? 0.0 : cir.reals[i]};
  }
  for (size_t i = 0; i < n; ++i) cir_claimant[i] = first_cir[firm[i]].second > 0;
  // Size class in the firm's first panel year (before most treatments: a class read after
  // joining could be an effect of joining), by the thresholds of the décret 2008-1354 on
  // headcount and turnover (the balance sheet, its alternative criterion, is not in the panel).
  std::vector<std::string> size_class(n);
  {
    const auto& hc = fy.column("headcount");
    const auto& ca = fy.column("turnover");
    std::map<double, size_t> first_row;  // firm -> its row of the earliest year
    for (size_t i = 0; i < n; ++i) {
      auto [it, added] = first_row.try_emplace(firm[i], i);
      if (!added && yr[i] < yr[it->second]) it->second = i;
    }
    std::map<double, std::string> class_of;
    for (const auto& [id, i] : first_row) class_of[id] = size_class_of(hc.reals[i], ca.reals[i]);
    for (size_t i = 0; i < n; ++i) size_class[i] = class_of[firm[i]];
  }
  f.add_numeric("firm", std::move(firm));
  f.add_numeric("year", std::move(yr));
  for (const char* m : {"headcount", "turnover", "value_added", "rd_spending", "rd_staff",
                        "exports", "patents", "wage_bill", "cir"}) {
    const auto values = fy.column(m).reals;
    f.add_numeric(m, {values.begin(), values.end()});
  }
  auto add_text = [&](const char* name, std::vector<std::string> v) {
    Column c;
    c.name = name;
    c.numeric = false;
    c.text = std::move(v);
    (void)f.add(std::move(c));
  };
  add_text("naf", std::move(naf_text));
  add_text("naf_division", std::move(division));
  add_text("region", std::move(region_text));
  add_text("employment_zone", std::move(zone_text));
  add_text("cluster", std::move(cluster));
  add_text("size_class", std::move(size_class));
  f.add_numeric("join_year", std::move(join_year));
  f.add_numeric("member", std::move(member));
  f.add_numeric("funded_year", std::move(funded_year));
  f.add_numeric("zone_sector_exposed", std::move(zone_exposed));
  f.add_numeric("network_exposed", std::move(network_exposed));
  f.add_numeric("cir_claimant", std::move(cir_claimant));
  return f;
}

Result<Frame> design_panel(const Frame& panel, const PanelDesign& d) {
  POLES_ASSIGN_OR_RETURN(const auto join, panel.numeric("join_year"));
  POLES_ASSIGN_OR_RETURN(const auto exposed, panel.numeric(d.exposure == PanelExposure::kZoneSector
                                                               ? "zone_sector_exposed"
                                                               : "network_exposed"));
  std::vector<char> keep(panel.rows(), 1);
  if (d.sample == PanelSample::kDirect) {
    for (size_t i = 0; i < panel.rows(); ++i) keep[i] = join[i] != 0 || exposed[i] == 0;
  } else if (d.sample == PanelSample::kSpillover) {
    for (size_t i = 0; i < panel.rows(); ++i) keep[i] = join[i] == 0;
  }
  Frame f = panel.subset(keep);
  std::vector<double> group;
  if (d.sample == PanelSample::kSpillover) {
    POLES_ASSIGN_OR_RETURN(
        group, f.numeric(d.exposure == PanelExposure::kZoneSector ? "zone_sector_exposed"
                                                                  : "network_exposed"));
  } else {
    POLES_ASSIGN_OR_RETURN(
        group, f.numeric(d.treatment == PanelTreatment::kMembership ? "join_year" : "funded_year"));
  }
  POLES_ASSIGN_OR_RETURN(const auto year, f.numeric("year"));
  std::vector<double> post(f.rows());
  for (size_t i = 0; i < f.rows(); ++i) post[i] = group[i] != 0 && year[i] >= group[i];
  f.add_numeric("treated_group", std::move(group));
  f.add_numeric("treated_post", std::move(post));
  return f;
}

Result<Frame> cohort_cross_section(const Frame& f, const CohortDesign& d) {
  POLES_ASSIGN_OR_RETURN(const auto y, f.numeric(d.outcome));
  POLES_ASSIGN_OR_RETURN(const auto firm, f.numeric("firm"));
  POLES_ASSIGN_OR_RETURN(const auto year, f.numeric("year"));
  POLES_ASSIGN_OR_RETURN(const auto g, f.numeric("treated_group"));
  // The outcome of each firm the year before and `horizon` years after.
  std::map<double, std::pair<double, double>> before_after;
  std::vector<char> pick(f.rows(), 0);
  for (size_t i = 0; i < f.rows(); ++i) {
    if (g[i] != 0 && g[i] != d.cohort) continue;
    if (year[i] == d.cohort - 1) {
      pick[i] = 1;
      before_after.try_emplace(firm[i], NAN, NAN).first->second.first = y[i];
    }
    if (year[i] == d.cohort + d.horizon)
      before_after.try_emplace(firm[i], NAN, NAN).first->second.second = y[i];
  }
  Frame cs = f.subset(pick);
  POLES_ASSIGN_OR_RETURN(const auto cfirm, cs.numeric("firm"));
  POLES_ASSIGN_OR_RETURN(const auto cg, cs.numeric("treated_group"));
  std::vector<double> change, treated;
  change.reserve(cs.rows());
  treated.reserve(cs.rows());
  for (size_t i = 0; i < cs.rows(); ++i) {
    const auto& ba = before_after[cfirm[i]];
    change.push_back(ba.second - ba.first);
    treated.push_back(cg[i] == d.cohort);
  }
  cs.add_numeric("outcome_change", std::move(change));
  cs.add_numeric("treated", std::move(treated));
  for (const char* c : {"headcount", "rd_spending", "turnover"}) {
    POLES_ASSIGN_OR_RETURN(auto v, cs.numeric(fmt::format("log({})", c)));
    cs.add_numeric(fmt::format("log_{}", c), std::move(v));
  }
  return cs;
}

}  // namespace poles::impact
