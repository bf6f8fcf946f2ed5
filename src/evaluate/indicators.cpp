#include "evaluate/indicators.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "core/date.h"
#include "numeric/stats.h"
#include "pipeline/projects.h"
#include "secrecy/rule.h"

namespace poles::evaluate {

using snapshot::Snapshot;

namespace {

using numeric::kNaN;
using P = Pillar;
using D = Direction;

// clang-format off
constexpr IndicatorDef kDefs[] = {
  {"members", P::kEcosystem, "organisations", D::kHigher, "members whose membership covers part of the year"},
  {"companies", P::kEcosystem, "organisations", D::kHigher, "member companies"},
  {"sme_members", P::kEcosystem, "organisations", D::kHigher, "member companies of size class TPE or PME"},
  {"sme_member_share", P::kEcosystem, "share", D::kHigher, "SME member companies / members"},
  {"research_members", P::kEcosystem, "organisations", D::kHigher, "members that are research bodies or higher education"},
  {"member_growth", P::kEcosystem, "share", D::kHigher, "(members − members of the year before) / members of the year before"},
  {"member_retention", P::kEcosystem, "share", D::kHigher, "members of the year before still members this year / members of the year before"},
  {"new_members", P::kEcosystem, "organisations", D::kHigher, "memberships starting in the year"},
  {"members_outside_region", P::kEcosystem, "share", D::kHigher, "members located outside the cluster's home region / members with a known region"},
  {"projects_labelled", P::kProjects, "projects", D::kHigher, "projects the cluster labelled in the year (label date)"},
  {"success_rate", P::kProjects, "share", D::kHigher, "projects labelled in the year that were funded / projects labelled in the year"},
  {"projects_funded", P::kProjects, "projects", D::kHigher, "the cluster's projects starting in the year with public aid"},
  {"project_budget", P::kProjects, "euros", D::kHigher, "total cost of the cluster's projects starting in the year"},
  {"public_aid", P::kProjects, "euros", D::kHigher, "public aid of the cluster's projects starting in the year"},
  {"leverage", P::kProjects, "ratio", D::kHigher, "(total cost − public aid) / public aid of the funded projects starting in the year"},
  {"inter_cluster_share", P::kProjects, "share", D::kHigher, "projects starting in the year labelled by another cluster too / projects starting in the year"},
  {"interregional_share", P::kProjects, "share", D::kHigher, "projects starting in the year with a partner outside the home region / projects starting in the year"},
  {"sme_participation", P::kProjects, "share", D::kHigher, "participations of SMEs / participations, projects starting in the year"},
  {"european_projects", P::kProjects, "projects", D::kHigher, "European projects (programmes of scope european: FP7, H2020, Horizon Europe, EIC, Eurostars, Interreg…) labelled by the cluster starting in the year"},
  {"european_aid", P::kProjects, "euros", D::kHigher, "public aid of the European projects starting in the year"},
  {"members_european_projects", P::kProjects, "projects", D::kHigher, "European projects (programmes of scope european) starting in the year with a member of the cluster among the partners, those it labelled excepted"},
  {"mean_aid", P::kProjects, "euros", D::kHigher, "public aid / funded projects starting in the year (higher: less sprinkling)"},
  {"aid_concentration", P::kProjects, "HHI", D::kHigher, "Σ (aid of a project / aid of all)² over funded projects starting in the year (higher: less sprinkling)"},
  {"results", P::kProducts, "results", D::kHigher, "results of the cluster's projects dated in the year"},
  {"results_per_project", P::kProducts, "ratio", D::kHigher, "results dated in the year / the cluster's projects ending in the year"},
  {"products_on_market", P::kProducts, "results", D::kHigher, "products, services and processes dated in the year"},
  {"time_to_market", P::kProducts, "days", D::kLower, "median days from funding to market of projects reaching the market in the year"},
  {"trl_gain", P::kProducts, "TRL levels", D::kHigher, "mean TRL reached − TRL at start of projects completed in the year"},
  {"patents", P::kProducts, "results", D::kHigher, "patents dated in the year"},
  {"spin_offs", P::kProducts, "results", D::kHigher, "spin-offs dated in the year"},
  {"jobs_from_results", P::kProducts, "jobs", D::kHigher, "jobs declared with results dated in the year", true},
  {"services_delivered", P::kServices, "actions", D::kHigher, "services (actions) of the cluster dated in the year"},
  {"services_per_member", P::kServices, "ratio", D::kHigher, "services / members"},
  {"sme_reach", P::kServices, "share", D::kHigher, "SME members taking part in a service of the year / SME members"},
  {"international_missions", P::kServices, "actions", D::kHigher, "international missions in the year"},
  {"b2b_meetings", P::kServices, "actions", D::kHigher, "B2B meetings in the year"},
  {"financing_raised", P::kServices, "euros", D::kHigher, "financing raised by participants after a service of the year", true},
  {"digital_diagnostics", P::kServices, "diagnostics", D::kHigher, "digital diagnostics made by the cluster in the year"},
  {"satisfaction", P::kServices, "1–5", D::kHigher, "mean satisfaction of the participants of the year's services"},
  {"budget", P::kBusiness, "euros", D::kHigher, "the cluster organisation's budget"},
  {"private_funding_share", P::kBusiness, "share", D::kHigher, "private funding (fees, paid services, sponsors) / budget (target ≥ 50 %)"},
  {"staff", P::kBusiness, "FTE", D::kHigher, "full-time equivalents of the cluster's team"},
  {"public_funding", P::kBusiness, "euros", D::kLower, "public funding of the cluster organisation (State, regions, other public bodies): an input of the efficiency analysis"},
  // Intensive indicators: volumes per member, per FTE of the cluster's team, per euro of public money.
  {"projects_per_100_members", P::kProjects, "per 100 members", D::kHigher, "projects labelled in the year × 100 / members (intensive)"},
  {"aid_per_member", P::kProjects, "euros per member", D::kHigher, "public aid of the cluster's projects starting in the year / members (intensive)"},
  {"products_per_100_members", P::kProducts, "per 100 members", D::kHigher, "products, services and processes dated in the year × 100 / members (intensive)"},
  {"members_per_fte", P::kBusiness, "per FTE", D::kHigher, "members / full-time equivalents of the cluster's team (intensive)"},
  {"services_per_fte", P::kBusiness, "per FTE", D::kHigher, "services of the year / full-time equivalents of the cluster's team (intensive)"},
  {"projects_per_public_meuro", P::kBusiness, "per M€ of public funding", D::kHigher, "projects labelled in the year / public funding of the cluster in M€ (intensive)"},
  {"aid_per_public_euro", P::kBusiness, "ratio", D::kHigher, "public aid of the cluster's projects starting in the year / public funding of the cluster (intensive)"},
  {"member_jobs", P::kEmployment, "jobs", D::kHigher, "headcount of member firms in the firm panel", true},
  {"member_jobs_growth", P::kEmployment, "share", D::kHigher, "headcount growth of firms members this year and in the panel both years", true},
  {"member_rd_staff", P::kEmployment, "FTE", D::kHigher, "R&D staff of member firms in the firm panel", true},
  // Governance, intellectual property and technology transfer (CESE recommendations 5 and 11; issue #23 item 8).
  {"sme_board_share", P::kEcosystem, "share", D::kHigher, "SME member companies holding a seat on the cluster's board / members holding a seat, memberships of the year with a board seat recorded"},
  {"ip_agreement_share", P::kProjects, "share", D::kHigher, "funded projects starting in the year with a signed consortium (IP) agreement / funded projects starting in the year whose agreement is recorded"},
  {"satt_projects", P::kProjects, "share", D::kHigher, "projects starting in the year with a SATT (technology transfer company) among the partners / projects starting in the year"},
  {"licences", P::kProducts, "results", D::kHigher, "licences dated in the year"},
  {"satt_transfers", P::kProducts, "results", D::kHigher, "licences and spin-offs dated in the year held by a SATT or from a project with a SATT partner"},
  {"business_development", P::kServices, "actions", D::kHigher, "business development and go-to-market actions in the year"},
};
// clang-format on

int64_t jan1(int y) { return Date{y, 1, 1}.to_days(); }
int64_t dec31(int y) { return Date{y, 12, 31}.to_days(); }
int year_of(int64_t d) { return Date::from_days(d).year; }

// A sum over firms published only under the primary secrecy rule (secrecy/rule.h).
struct FirmSum {
  secrecy::Cell<int32_t> cell;
  void add(int32_t firm, double v) { cell.add(firm, v); }
  double value() const { return cell.verdict() == secrecy::Verdict::kPublish ? cell.sum() : kNaN; }
};

double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }

}  // namespace

std::span<const IndicatorDef> indicator_defs() { return kDefs; }

int indicator_index(std::string_view id) {
  for (size_t i = 0; i < std::size(kDefs); ++i) {
    if (kDefs[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

double Catalogue::at(int year, int32_t cluster, int indicator) const {
  if (year < from_year || year > to_year) return kNaN;
  return values[static_cast<size_t>(year - from_year)][static_cast<size_t>(cluster)]
               [static_cast<size_t>(indicator)];
}

bool Catalogue::records(int year, int indicator) const {
  if (year < from_year || year > to_year) return false;
  return recorded[static_cast<size_t>(year - from_year)][static_cast<size_t>(indicator)] != 0;
}

Catalogue catalogue(const Snapshot& s, int from_year, int to_year) {
  Catalogue cat;
  cat.from_year = from_year;
  cat.to_year = to_year;
  const auto& clusters = s.table("cluster");
  const size_t C = clusters.rows, K = std::size(kDefs);
  const int Y = to_year - from_year + 1;
  if (Y <= 0) return cat;
  const auto Yu = static_cast<size_t>(Y);
  cat.values.assign(Yu, std::vector<std::vector<double>>(C, std::vector<double>(K, kNaN)));
  auto yi = [&](int y) { return static_cast<size_t>(y - from_year); };
  auto in_range = [&](int y) { return y >= from_year && y <= to_year; };
  auto set = [&](int y, size_t c, std::string_view id, double v) {
    cat.values[yi(y)][c][static_cast<size_t>(indicator_index(id))] = v;
  };

  // Active clusters: labelled that year (or all when there is no label history).
  cat.active.assign(Yu, std::vector<uint8_t>(C, 0));
  cat.recorded.assign(Yu, std::vector<uint8_t>(K, 1));
  const auto& labels = s.table("cluster_label");
  if (labels.rows == 0) {
    for (auto& a : cat.active) std::fill(a.begin(), a.end(), 1);
  }
  const auto& lab_cluster = labels.column("cluster_id");
  const auto& lab_start = labels.column("start_year");
  const auto& lab_end = labels.column("end_year");
  for (size_t l = 0; l < labels.rows; ++l) {
    const auto c = static_cast<size_t>(lab_cluster.codes[l]);
    for (int y = std::max(from_year, static_cast<int>(lab_start.ints[l]));
         y <= std::min(to_year, static_cast<int>(lab_end.ints[l])); ++y) {
      cat.active[yi(y)][c] = 1;
    }
  }

  const auto& orgs = s.table("organisation");
  const auto& kind = orgs.column("kind");
  const auto& oregion = orgs.column("region");
  const auto& cregion = clusters.column("region");
  const auto sme_mask = pipeline::sme_companies(s);
  auto sme = [&](size_t o) { return sme_mask[o] != 0; };

  // --- ecosystem: members of each cluster in each year (from the year before, for growth)
  // -----------
  const auto& ms = s.table("membership");
  std::vector<std::vector<std::vector<int32_t>>> members(
      Yu + 1, std::vector<std::vector<int32_t>>(C));  // index 0 = from_year − 1
  std::vector<std::vector<double>> new_members(Yu, std::vector<double>(C, 0));
  const auto& ms_org = ms.column("organisation_id");
  const auto& ms_cluster = ms.column("cluster_id");
  const auto& ms_start = ms.column("start_date");
  const auto& ms_end = ms.column("end_date");
  for (size_t m = 0; m < ms.rows; ++m) {
    const int32_t o = ms_org.codes[m];
    const auto c = static_cast<size_t>(ms_cluster.codes[m]);
    const int64_t start = ms_start.ints[m];
    const int64_t end = ms_end.present[m] ? ms_end.ints[m] : INT64_MAX;
    for (int y = from_year - 1; y <= to_year; ++y) {
      const int k = y - from_year + 1;  // the year before the range is 0
      if (start <= dec31(y) && end >= jan1(y)) members[static_cast<size_t>(k)][c].push_back(o);
    }
    if (in_range(year_of(start))) new_members[yi(year_of(start))][c] += 1;
  }
  for (auto& per_year : members) {
    for (auto& v : per_year) {
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
    }
  }
  // Per organisation: the (year, cluster) pairs of the State's census, for the firm figures
  // below. Not the membership rows: a cluster writes those, and an aggregate read before and
  // after it adds or removes a member would give that firm's figures (docs/secrecy.md, section 6).
  std::vector<std::vector<std::pair<int, int32_t>>> org_census(orgs.rows);
  std::vector<uint8_t> released(Yu + 1, 0);  // a census of the year exists (index 0: from_year − 1)
  {
    const auto& mc = s.table("member_census");
    const auto& mc_year = mc.column("year");
    const auto& mc_cluster = mc.column("cluster_id");
    const auto& mc_org = mc.column("organisation_id");
    for (size_t m = 0; m < mc.rows; ++m) {
      const int y = static_cast<int>(mc_year.ints[m]);
      if (y < from_year - 1 || y > to_year) continue;
      org_census[static_cast<size_t>(mc_org.codes[m])].emplace_back(y, mc_cluster.codes[m]);
      released[static_cast<size_t>(y - from_year + 1)] = 1;
    }
  }
  // Board seats: the members of the year whose membership records one (a cluster that records
  // none has no share, not a zero), each organisation once, by whether it is an SME company.
  std::vector<std::vector<std::pair<double, double>>> board(
      Yu, std::vector<std::pair<double, double>>(C));
  {
    const auto& seat = ms.column("board_seat");
    std::vector<std::vector<std::vector<int32_t>>> seated(Yu, std::vector<std::vector<int32_t>>(C));
    for (size_t m = 0; m < ms.rows; ++m) {
      if (!seat.present[m] || seat.ints[m] == 0) continue;
      const auto c = static_cast<size_t>(ms_cluster.codes[m]);
      const int64_t end = ms_end.present[m] ? ms_end.ints[m] : INT64_MAX;
      for (int y = from_year; y <= to_year; ++y) {
        if (ms_start.ints[m] <= dec31(y) && end >= jan1(y))
          seated[yi(y)][c].push_back(ms_org.codes[m]);
      }
    }
    for (size_t y = 0; y < Yu; ++y) {
      for (size_t c = 0; c < C; ++c) {
        auto& v = seated[y][c];
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        for (int32_t o : v) board[y][c].first += sme(static_cast<size_t>(o));
        board[y][c].second = static_cast<double>(v.size());
      }
    }
  }
  std::vector<std::vector<double>> member_count(Yu, std::vector<double>(C, 0)),
      sme_count(Yu, std::vector<double>(C, 0));
  for (int y = from_year; y <= to_year; ++y) {
    for (size_t c = 0; c < C; ++c) {
      const auto& now = members[yi(y) + 1][c];
      const auto& before = members[yi(y)][c];
      double companies = 0, smes = 0, research = 0, outside = 0, located = 0;
      for (int32_t o : now) {
        const auto ou = static_cast<size_t>(o);
        companies += kind.codes[ou] == static_cast<int>(OrgKind::kCompany);
        smes += sme(ou);
        research += kind.codes[ou] == static_cast<int>(OrgKind::kResearch) ||
                    kind.codes[ou] == static_cast<int>(OrgKind::kHigherEducation);
        if (!oregion.text(ou).empty()) {
          ++located;
          outside += oregion.text(ou) != cregion.text(c);
        }
      }
      std::vector<int32_t> kept;
      std::set_intersection(now.begin(), now.end(), before.begin(), before.end(),
                            std::back_inserter(kept));
      const double n = static_cast<double>(now.size()), b = static_cast<double>(before.size());
      member_count[yi(y)][c] = n;
      sme_count[yi(y)][c] = smes;
      set(y, c, "members", n);
      set(y, c, "companies", companies);
      set(y, c, "sme_members", smes);
      set(y, c, "sme_member_share", ratio(smes, n));
      set(y, c, "research_members", research);
      set(y, c, "member_growth", b > 0 ? (n - b) / b : kNaN);
      set(y, c, "member_retention", ratio(static_cast<double>(kept.size()), b));
      set(y, c, "new_members", new_members[yi(y)][c]);
      set(y, c, "members_outside_region", ratio(outside, located));
      set(y, c, "sme_board_share", ratio(board[yi(y)][c].first, board[yi(y)][c].second));
    }
  }

  // --- project factory -------------------------------------------------------------------------
  const auto& project = s.table("project");
  const auto& pstart = project.column("start_date");
  const auto& pend = project.column("end_date");
  const auto& cost = project.column("total_cost");
  const auto& aid = project.column("public_aid");
  const auto eu_project = pipeline::european_projects(s);
  const auto& trl0 = project.column("trl_start");
  const auto& trl1 = project.column("trl_reached");
  const auto project_clusters = pipeline::project_clusters(s);
  const auto partners = pipeline::project_partners(s);
  const auto& pl = s.table("project_label");
  // Lifecycle events: funded, completed and on-market dates.
  std::vector<int64_t> funded_at(project.rows, INT64_MIN), completed_at(project.rows, INT64_MIN),
      market_at(project.rows, INT64_MIN);
  std::vector<uint8_t> reached_funded(project.rows, 0);
  const auto& ev = s.table("project_event");
  const auto& ev_project = ev.column("project_id");
  const auto& ev_status = ev.column("status");
  const auto& ev_date = ev.column("date");
  for (size_t e = 0; e < ev.rows; ++e) {
    const auto p = static_cast<size_t>(ev_project.codes[e]);
    const int st = ev_status.codes[e];
    const int64_t d = ev_date.ints[e];
    if (st == static_cast<int>(ProjectStatus::kFunded)) funded_at[p] = d;
    if (st == static_cast<int>(ProjectStatus::kCompleted)) completed_at[p] = d;
    if (st == static_cast<int>(ProjectStatus::kOnMarket)) market_at[p] = d;
    if (st >= static_cast<int>(ProjectStatus::kFunded) &&
        st <= static_cast<int>(ProjectStatus::kOnMarket))
      reached_funded[p] = 1;
  }
  const auto& pstatus = project.column("status");
  for (size_t p = 0; p < project.rows; ++p) {
    const int st = pstatus.codes[p];
    if (st >= static_cast<int>(ProjectStatus::kFunded) &&
        st <= static_cast<int>(ProjectStatus::kOnMarket))
      reached_funded[p] = 1;
  }
  const auto& ip = project.column("ip_agreement");
  // Projects with a SATT among their partners (technology transfer from public research).
  std::vector<uint8_t> with_satt(project.rows, 0);
  for (size_t p = 0; p < project.rows; ++p) {
    for (int32_t o : partners[p])
      with_satt[p] |= kind.codes[static_cast<size_t>(o)] == static_cast<int>(OrgKind::kSatt);
  }
  struct ProjAcc {
    double labelled = 0, labelled_funded = 0, starting = 0, funded = 0, cost = 0, aid = 0,
           funded_cost = 0, inter = 0, interregional = 0, ip_known = 0, ip_signed = 0, satt = 0;
    double parts = 0, sme_parts = 0, european = 0, european_aid = 0, ended = 0;
    std::vector<double> aids, ttm, trl;
  };
  std::vector<std::vector<ProjAcc>> pa(Yu, std::vector<ProjAcc>(C));
  const auto& pl_project = pl.column("project_id");
  const auto& pl_cluster = pl.column("cluster_id");
  const auto& pl_date = pl.column("date");
  for (size_t l = 0; l < pl.rows; ++l) {
    const auto p = static_cast<size_t>(pl_project.codes[l]);
    const auto c = static_cast<size_t>(pl_cluster.codes[l]);
    const int y = year_of(pl_date.ints[l]);
    if (!in_range(y)) continue;
    pa[yi(y)][c].labelled += 1;
    pa[yi(y)][c].labelled_funded += reached_funded[p];
  }
  for (size_t p = 0; p < project.rows; ++p) {
    for (int32_t ci : project_clusters[p]) {
      const auto c = static_cast<size_t>(ci);
      if (pstart.present[p] && in_range(year_of(pstart.ints[p]))) {
        ProjAcc& a = pa[yi(year_of(pstart.ints[p]))][c];
        a.starting += 1;
        const double pc = std::isnan(cost.reals[p]) ? 0 : cost.reals[p],
                     pa_ = std::isnan(aid.reals[p]) ? 0 : aid.reals[p];
        a.cost += pc;
        if (pa_ > 0) {
          a.funded += 1;
          a.aid += pa_;
          a.funded_cost += pc;
          a.aids.push_back(pa_);
          if (ip.codes[p] >= 0) {
            a.ip_known += 1;
            a.ip_signed += ip.codes[p] == static_cast<int>(IpAgreement::kSigned);
          }
        }
        a.satt += with_satt[p];
        a.inter += project_clusters[p].size() > 1;
        bool away = false;
        for (int32_t o : partners[p]) {
          const auto ou = static_cast<size_t>(o);
          away = away || (!oregion.text(ou).empty() && oregion.text(ou) != cregion.text(c));
          a.parts += 1;
          a.sme_parts += sme(ou);
        }
        a.interregional += away;
        if (eu_project[p]) {
          a.european += 1;
          a.european_aid += pa_;
        }
      }
      const int64_t end = completed_at[p] != INT64_MIN ? completed_at[p]
                          : pend.present[p]            ? pend.ints[p]
                                                       : INT64_MIN;
      if (end != INT64_MIN && in_range(year_of(end))) pa[yi(year_of(end))][c].ended += 1;
      if (market_at[p] != INT64_MIN && funded_at[p] != INT64_MIN &&
          in_range(year_of(market_at[p]))) {
        pa[yi(year_of(market_at[p]))][c].ttm.push_back(
            static_cast<double>(market_at[p] - funded_at[p]));
      }
      if (completed_at[p] != INT64_MIN && in_range(year_of(completed_at[p])) && trl0.present[p] &&
          trl1.present[p]) {
        pa[yi(year_of(completed_at[p]))][c].trl.push_back(
            static_cast<double>(trl1.ints[p] - trl0.ints[p]));
      }
    }
  }
  // The members' European projects: a project of the EU's framework programmes starting in the
  // year with a member of the cluster that year among its partners, and not labelled by the
  // cluster (those count above): the EU activity its members bring, labelled or not.
  std::vector<std::vector<double>> members_european(Yu, std::vector<double>(C, 0));
  for (size_t p = 0; p < project.rows; ++p) {
    if (!pstart.present[p] || !eu_project[p]) continue;
    const int y = year_of(pstart.ints[p]);
    if (!in_range(y)) continue;
    const auto& labelled_by = project_clusters[p];
    for (size_t c = 0; c < C; ++c) {
      if (std::find(labelled_by.begin(), labelled_by.end(), static_cast<int32_t>(c)) !=
          labelled_by.end())
        continue;
      const auto& now = members[yi(y) + 1][c];
      if (std::any_of(partners[p].begin(), partners[p].end(),
                      [&](int32_t o) { return std::binary_search(now.begin(), now.end(), o); }))
        members_european[yi(y)][c] += 1;
    }
  }
  // Results dated in the year, per cluster of their project.
  struct ResAcc {
    double results = 0, market = 0, patents = 0, spin_offs = 0, licences = 0, satt_transfers = 0;
    FirmSum jobs;
  };
  std::vector<std::vector<ResAcc>> ra(Yu, std::vector<ResAcc>(C));
  const auto& res = s.table("result");
  const auto& res_date = res.column("date");
  const auto& res_project = res.column("project_id");
  const auto& res_kind = res.column("kind");
  const auto& res_jobs = res.column("jobs");
  const auto& res_org = res.column("organisation_id");
  for (size_t r = 0; r < res.rows; ++r) {
    if (!res_date.present[r]) continue;
    const int y = year_of(res_date.ints[r]);
    if (!in_range(y)) continue;
    const auto p = static_cast<size_t>(res_project.codes[r]);
    const int k = res_kind.codes[r];
    for (int32_t ci : project_clusters[p]) {
      ResAcc& a = ra[yi(y)][static_cast<size_t>(ci)];
      a.results += 1;
      a.market += k >= 0 && is_market_result(static_cast<ResultKind>(k));
      a.patents += k == static_cast<int>(ResultKind::kPatent);
      a.spin_offs += k == static_cast<int>(ResultKind::kSpinOff);
      a.licences += k == static_cast<int>(ResultKind::kLicence);
      const int32_t holder = res_org.codes[r];
      a.satt_transfers +=
          (k == static_cast<int>(ResultKind::kLicence) ||
           k == static_cast<int>(ResultKind::kSpinOff)) &&
          (with_satt[p] || (holder >= 0 && kind.codes[static_cast<size_t>(holder)] ==
                                               static_cast<int>(OrgKind::kSatt)));
      const double jobs = res_jobs.reals[r];
      const int32_t org = res_org.codes[r];
      if (!std::isnan(jobs)) a.jobs.add(org >= 0 ? org : -1 - static_cast<int32_t>(p), jobs);
    }
  }
  for (int y = from_year; y <= to_year; ++y) {
    for (size_t c = 0; c < C; ++c) {
      const ProjAcc& a = pa[yi(y)][c];
      set(y, c, "projects_labelled", a.labelled);
      set(y, c, "success_rate", ratio(a.labelled_funded, a.labelled));
      set(y, c, "projects_funded", a.funded);
      set(y, c, "project_budget", a.cost);
      set(y, c, "public_aid", a.aid);
      set(y, c, "leverage", a.aid > 0 ? (a.funded_cost - a.aid) / a.aid : kNaN);
      set(y, c, "inter_cluster_share", ratio(a.inter, a.starting));
      set(y, c, "interregional_share", ratio(a.interregional, a.starting));
      set(y, c, "sme_participation", ratio(a.sme_parts, a.parts));
      set(y, c, "european_projects", a.european);
      set(y, c, "european_aid", a.european_aid);
      set(y, c, "members_european_projects", members_european[yi(y)][c]);
      set(y, c, "mean_aid", ratio(a.aid, a.funded));
      double hhi = kNaN;
      if (a.aid > 0) {
        hhi = 0;
        for (double x : a.aids) hhi += (x / a.aid) * (x / a.aid);
      }
      set(y, c, "aid_concentration", hhi);
      set(y, c, "ip_agreement_share", ratio(a.ip_signed, a.ip_known));
      set(y, c, "satt_projects", ratio(a.satt, a.starting));
      const ResAcc& r = ra[yi(y)][c];
      set(y, c, "results", r.results);
      set(y, c, "results_per_project", ratio(r.results, a.ended));
      set(y, c, "products_on_market", r.market);
      set(y, c, "time_to_market", numeric::median(a.ttm));
      double gain = kNaN;
      if (!a.trl.empty()) {
        gain = 0;
        for (double g : a.trl) gain += g;
        gain /= static_cast<double>(a.trl.size());
      }
      set(y, c, "trl_gain", gain);
      set(y, c, "patents", r.patents);
      set(y, c, "spin_offs", r.spin_offs);
      set(y, c, "licences", r.licences);
      set(y, c, "satt_transfers", r.satt_transfers);
      set(y, c, "jobs_from_results", r.jobs.value());
    }
  }

  // --- SME services and diagnostics ------------------------------------------------------------
  struct SvcAcc {
    double services = 0, international = 0, b2b = 0, business = 0, diagnostics = 0, sat = 0,
           sat_n = 0;
    std::vector<int32_t> served;
    FirmSum financing;
  };
  std::vector<std::vector<SvcAcc>> sa(Yu, std::vector<SvcAcc>(C));
  const auto& svc = s.table("service");
  std::vector<int> svc_year(svc.rows, INT_MIN);
  const auto& svc_date = svc.column("date");
  const auto& svc_cluster = svc.column("cluster_id");
  const auto& svc_kind = svc.column("kind");
  for (size_t i = 0; i < svc.rows; ++i) {
    const int y = year_of(svc_date.ints[i]);
    if (!in_range(y)) continue;
    svc_year[i] = y;
    SvcAcc& a = sa[yi(y)][static_cast<size_t>(svc_cluster.codes[i])];
    a.services += 1;
    a.international += svc_kind.codes[i] == static_cast<int>(ServiceKind::kInternationalMission);
    a.b2b += svc_kind.codes[i] == static_cast<int>(ServiceKind::kB2bMeeting);
    a.business += svc_kind.codes[i] == static_cast<int>(ServiceKind::kBusinessDevelopment) ||
                  svc_kind.codes[i] == static_cast<int>(ServiceKind::kGoToMarket);
  }
  const auto& sp = s.table("service_participant");
  const auto& sp_service = sp.column("service_id");
  const auto& sp_org = sp.column("organisation_id");
  const auto& sp_satisfaction = sp.column("satisfaction");
  const auto& sp_financing = sp.column("financing_raised");
  for (size_t i = 0; i < sp.rows; ++i) {
    const auto v = static_cast<size_t>(sp_service.codes[i]);
    if (svc_year[v] == INT_MIN) continue;
    SvcAcc& a = sa[yi(svc_year[v])][static_cast<size_t>(svc_cluster.codes[v])];
    const int32_t o = sp_org.codes[i];
    a.served.push_back(o);
    if (sp_satisfaction.present[i]) {
      a.sat += static_cast<double>(sp_satisfaction.ints[i]);
      a.sat_n += 1;
    }
    const double f = sp_financing.reals[i];
    if (!std::isnan(f)) a.financing.add(o, f);
  }
  const auto& diag = s.table("diagnostic");
  const auto& diag_cluster = diag.column("cluster_id");
  const auto& diag_date = diag.column("date");
  std::vector<uint8_t> diag_years(Yu, 0);
  for (size_t i = 0; i < diag.rows; ++i) {
    const int32_t c = diag_cluster.codes[i];
    const int y = year_of(diag_date.ints[i]);
    if (c >= 0 && in_range(y)) {
      sa[yi(y)][static_cast<size_t>(c)].diagnostics += 1;
      diag_years[yi(y)] = 1;
    }
  }
  // Years with no service (or no diagnostic) recorded at all: their counts are not zeros.
  for (int y = from_year; y <= to_year; ++y) {
    const bool services =
        std::any_of(svc_year.begin(), svc_year.end(), [&](int v) { return v == y; });
    auto& r = cat.recorded[yi(y)];
    if (!services) {
      for (const char* id : {"services_delivered", "services_per_member", "sme_reach",
                             "international_missions", "b2b_meetings", "financing_raised",
                             "satisfaction", "services_per_fte", "business_development"})
        r[static_cast<size_t>(indicator_index(id))] = 0;
    }
    if (!diag_years[yi(y)]) r[static_cast<size_t>(indicator_index("digital_diagnostics"))] = 0;
  }
  // Business development and go-to-market actions are counted from the first year one is
  // recorded (kinds added in 2023): before it, their absence is not a zero.
  {
    int first = INT_MAX;
    for (size_t i = 0; i < svc.rows; ++i) {
      if (svc_kind.codes[i] == static_cast<int>(ServiceKind::kBusinessDevelopment) ||
          svc_kind.codes[i] == static_cast<int>(ServiceKind::kGoToMarket))
        first = std::min(first, year_of(svc_date.ints[i]));
    }
    for (int y = from_year; y <= to_year; ++y) {
      if (y < first)
        cat.recorded[yi(y)][static_cast<size_t>(indicator_index("business_development"))] = 0;
    }
  }
  for (int y = from_year; y <= to_year; ++y) {
    for (size_t c = 0; c < C; ++c) {
      SvcAcc& a = sa[yi(y)][c];
      std::sort(a.served.begin(), a.served.end());
      a.served.erase(std::unique(a.served.begin(), a.served.end()), a.served.end());
      double sme_served = 0;
      for (int32_t o : a.served)
        sme_served +=
            sme(static_cast<size_t>(o)) &&
            std::binary_search(members[yi(y) + 1][c].begin(), members[yi(y) + 1][c].end(), o);
      set(y, c, "services_delivered", a.services);
      set(y, c, "services_per_member", ratio(a.services, member_count[yi(y)][c]));
      set(y, c, "sme_reach", ratio(sme_served, sme_count[yi(y)][c]));
      set(y, c, "international_missions", a.international);
      set(y, c, "b2b_meetings", a.b2b);
      set(y, c, "business_development",
          cat.records(y, indicator_index("business_development")) ? a.business : kNaN);
      set(y, c, "financing_raised", a.financing.value());
      set(y, c, "digital_diagnostics", a.diagnostics);
      set(y, c, "satisfaction", ratio(a.sat, a.sat_n));
    }
  }

  // --- business model
  // ------------------------------------------------------------------------------
  const auto& budget = s.table("cluster_budget");
  const auto& b_year = budget.column("year");
  const auto& b_cluster = budget.column("cluster_id");
  const auto& b_total = budget.column("total");
  const auto& b_private = budget.column("private");
  const auto& b_staff = budget.column("staff");
  const auto& b_public = budget.column("public");
  for (size_t i = 0; i < budget.rows; ++i) {
    const int y = static_cast<int>(b_year.ints[i]);
    if (!in_range(y)) continue;
    const auto c = static_cast<size_t>(b_cluster.codes[i]);
    const double total = b_total.reals[i];
    set(y, c, "budget", total);
    set(y, c, "private_funding_share", ratio(b_private.reals[i], total));
    set(y, c, "staff", b_staff.reals[i]);
    set(y, c, "public_funding", b_public.reals[i]);
  }

  // --- employment in member firms (firm panel)
  // -------------------------------------------------------
  const auto& fy = s.table("firm_year");
  if (fy.rows > 0) {
    const auto& siren = orgs.column("siren");
    std::unordered_map<std::string_view, int32_t> org_of;
    for (size_t o = 0; o < orgs.rows; ++o) {
      if (!siren.text(o).empty() && !org_census[o].empty())
        org_of.emplace(siren.text(o), static_cast<int32_t>(o));
    }
    // headcount[org][year − from_year + 1] for members, from the year before the range.
    std::unordered_map<int32_t, std::vector<std::pair<double, double>>>
        panel;  // (headcount, rd_staff)
    const auto& fsiren = fy.column("siren");
    const auto& fyear = fy.column("year");
    const auto& hc = fy.column("headcount");
    const auto& rd = fy.column("rd_staff");
    for (size_t i = 0; i < fy.rows; ++i) {
      const int y = static_cast<int>(fyear.ints[i]);
      if (y < from_year - 1 || y > to_year) continue;
      const auto it = org_of.find(fsiren.text(i));
      if (it == org_of.end()) continue;
      auto& v = panel[it->second];
      if (v.empty()) v.assign(Yu + 1, {kNaN, kNaN});
      const int k = y - from_year + 1;
      v[static_cast<size_t>(k)] = {hc.reals[i], rd.reals[i]};
    }
    std::vector<std::vector<FirmSum>> jobs(Yu, std::vector<FirmSum>(C)),
        rdstaff(Yu, std::vector<FirmSum>(C)), now(Yu, std::vector<FirmSum>(C)),
        before(Yu, std::vector<FirmSum>(C));
    // The composition rule (secrecy/rule.h, docs/secrecy.md): the growth compares the same firms
    // over two years, so with member_jobs of both years it reveals the firms that joined or left
    // (Σ of last year's headcount over the growth's firms − last year's member_jobs) and those
    // without last year's figure (this year's member_jobs − the growth's numerator). Each of these
    // differences, as a cell of the firms that differ, must itself pass the primary rule.
    std::vector<std::vector<secrecy::Cell<int32_t>>> changed_before(
        Yu, std::vector<secrecy::Cell<int32_t>>(C)),
        changed_now(Yu, std::vector<secrecy::Cell<int32_t>>(C));
    // The clusters the firm belongs to in year y by the census, each once.
    auto clusters_of = [&](int32_t o, int y) {
      std::vector<int32_t> cs;
      for (const auto& [year, c] : org_census[static_cast<size_t>(o)]) {
        if (year == y && std::find(cs.begin(), cs.end(), c) == cs.end()) cs.push_back(c);
      }
      return cs;
    };
    for (const auto& [o, v] : panel) {
      std::vector<int32_t> last = clusters_of(o, from_year - 1);
      for (int y = from_year; y <= to_year; ++y) {
        const std::vector<int32_t> cs = clusters_of(o, y);
        const auto [h, r] = v[yi(y) + 1];
        const double h0 = v[yi(y)].first;
        for (int32_t c : cs) {
          const auto cu = static_cast<size_t>(c);
          if (!std::isnan(h)) jobs[yi(y)][cu].add(o, h);
          if (!std::isnan(r)) rdstaff[yi(y)][cu].add(o, r);
          if (!std::isnan(h) && !std::isnan(h0)) {
            now[yi(y)][cu].add(o, h);
            before[yi(y)][cu].add(o, h0);
          } else if (!std::isnan(h)) {
            changed_now[yi(y)][cu].add(o, h);  // in member_jobs, not in the growth
          }
        }
        // In the growth's firms of y xor in member_jobs of y − 1: a joiner or a leaver.
        if (!std::isnan(h0)) {
          std::vector<int32_t> either = cs;
          for (int32_t c : last) {
            if (std::find(either.begin(), either.end(), c) == either.end()) either.push_back(c);
          }
          for (int32_t c : either) {
            const bool in_growth = !std::isnan(h) && std::find(cs.begin(), cs.end(), c) != cs.end();
            const bool in_last = std::find(last.begin(), last.end(), c) != last.end();
            if (in_growth != in_last) changed_before[yi(y)][static_cast<size_t>(c)].add(o, h0);
          }
        }
        last = cs;
      }
    }
    auto composition_safe = [](const secrecy::Cell<int32_t>& changed) {
      return changed.firms() == 0 || changed.verdict() == secrecy::Verdict::kPublish;
    };
    for (int y = from_year; y <= to_year; ++y) {
      // A year the State has not released has no member figures (null, not 0).
      if (!released[yi(y) + 1]) continue;
      for (size_t c = 0; c < C; ++c) {
        set(y, c, "member_jobs", jobs[yi(y)][c].value());
        set(y, c, "member_rd_staff", rdstaff[yi(y)][c].value());
        const double a = now[yi(y)][c].value(), b = before[yi(y)][c].value();
        const bool safe =
            composition_safe(changed_before[yi(y)][c]) && composition_safe(changed_now[yi(y)][c]);
        set(y, c, "member_jobs_growth", safe && b > 0 ? a / b - 1 : kNaN);
      }
    }
  }
  // --- intensive indicators: the volumes above per member, per FTE, per euro of public money
  // --------------------------------------------------------------------------------------------
  const auto at = [&](size_t y, size_t c, std::string_view id) {
    return cat.values[y][c][static_cast<size_t>(indicator_index(id))];
  };
  for (int y = from_year; y <= to_year; ++y) {
    const size_t u = yi(y);
    for (size_t c = 0; c < C; ++c) {
      const double n = at(u, c, "members"), staff = at(u, c, "staff"),
                   money = at(u, c, "public_funding"), projects = at(u, c, "projects_labelled"),
                   project_aid = at(u, c, "public_aid");
      set(y, c, "projects_per_100_members", 100 * ratio(projects, n));
      set(y, c, "aid_per_member", ratio(project_aid, n));
      set(y, c, "products_per_100_members", 100 * ratio(at(u, c, "products_on_market"), n));
      set(y, c, "members_per_fte", ratio(n, staff));
      set(y, c, "services_per_fte", ratio(at(u, c, "services_delivered"), staff));
      set(y, c, "projects_per_public_meuro", ratio(projects, money / 1e6));
      set(y, c, "aid_per_public_euro", ratio(project_aid, money));
    }
  }
  return cat;
}

std::string indicators_markdown() {
  std::string out = "| id | pillar | unit | direction | formula |\n|---|---|---|---|---|\n";
  for (const auto& d : kDefs) {
    out += fmt::format("| `{}` | {} | {} | {} | {}{} |\n", d.id,
                       kPillarCodes[static_cast<size_t>(d.pillar)], d.unit,
                       kDirectionCodes[static_cast<size_t>(d.direction)], d.formula,
                       d.firm_aggregate ? " (firm aggregate: secrecy rule)" : "");
  }
  return out;
}

}  // namespace poles::evaluate
