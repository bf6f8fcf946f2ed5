#include "services/services.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "core/date.h"
#include "impact/matching.h"
#include "numeric/stats.h"
#include "pipeline/projects.h"

namespace poles::services {

using snapshot::Snapshot;

namespace {

using numeric::kNaN;

bool in_eu(std::string_view c) {
  static constexpr std::array<std::string_view, 27> kEu = {
      "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
      "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};
  return std::find(kEu.begin(), kEu.end(), c) != kEu.end();
}

}  // namespace

Spread spread(std::vector<double> values) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  Spread s;
  s.n = values.size();
  if (values.empty()) {
    s.mean = s.sd = s.cv = s.min = s.p25 = s.median = s.p75 = s.max = kNaN;
    return s;
  }
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(s.n);
  double ss = 0;
  for (double v : values) ss += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(ss / static_cast<double>(s.n));
  s.cv = s.mean != 0 ? s.sd / s.mean : kNaN;
  s.min = values.front();
  s.max = values.back();
  s.p25 = numeric::quantile_sorted(values, 0.25);
  s.median = numeric::quantile_sorted(values, 0.5);
  s.p75 = numeric::quantile_sorted(values, 0.75);
  return s;
}

std::vector<FinancingRaised> financing_raised(const Snapshot& s) {
  const auto& svc = s.table("service");
  const auto& sv_cl = svc.column("cluster_id");
  const auto& sv_date = svc.column("date");
  const auto& sp = s.table("service_participant");
  const auto& sp_svc = sp.column("service_id");
  const auto& sp_org = sp.column("organisation_id");
  const auto& sp_fin = sp.column("financing_raised");
  std::map<std::tuple<int32_t, int, int32_t>, double> sum;
  for (size_t i = 0; i < sp.rows; ++i) {
    const auto v = static_cast<size_t>(sp_svc.codes[i]);
    if (!sv_date.present[v] || std::isnan(sp_fin.reals[i]) || sp_fin.reals[i] == 0) continue;
    sum[{sv_cl.codes[v], Date::from_days(sv_date.ints[v]).year, sp_org.codes[i]}] +=
        sp_fin.reals[i];
  }
  std::vector<FinancingRaised> out;
  out.reserve(sum.size());
  for (const auto& [key, amount] : sum)
    out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), amount});
  return out;
}

namespace {

// The served SME members against their nearest not-served ones (kMatchedOutcomeMethod). Members of
// small clusters are both served and in projects more often, as are members of several clusters,
// those located in a cluster's region (where regional projects find their partners) and those
// already in a project: the score holds them, not what the store does not measure.
MatchedOutcome matched_outcome(const Snapshot& s, const std::vector<std::set<int32_t>>& sme_members,
                               const std::set<int32_t>& served,
                               const std::vector<uint8_t>& baseline,
                               const std::vector<uint8_t>& later) {
  MatchedOutcome out;
  struct Firm {
    int clusters = 0;
    size_t largest = 0;  // SME members of its largest cluster
    bool in_region = false;
  };
  const auto& org_region = s.table("organisation").column("region");
  const auto& cluster_region = s.table("cluster").column("region");
  std::map<int32_t, Firm> firms;
  for (size_t c = 0; c < sme_members.size(); ++c) {
    for (int32_t o : sme_members[c]) {
      auto& f = firms[o];
      ++f.clusters;
      f.largest = std::max(f.largest, sme_members[c].size());
      f.in_region =
          f.in_region || (!org_region.is_null(static_cast<size_t>(o)) &&
                          org_region.text(static_cast<size_t>(o)) == cluster_region.text(c));
    }
  }
  const auto& size_class = s.table("organisation").column("size_class");
  const auto n = static_cast<Eigen::Index>(firms.size());
  Eigen::MatrixXd all(n, 5);
  std::vector<int> treat;
  std::vector<double> outcome;
  Eigen::Index i = 0;
  for (const auto& [o, f] : firms) {
    const auto row = static_cast<size_t>(o);
    all.row(i++) << baseline[row], size_class.text(row) == "tpe" ? 1.0 : 0.0,
        static_cast<double>(f.clusters), f.in_region ? 1.0 : 0.0,
        std::log(static_cast<double>(f.largest));
    treat.push_back(served.contains(o) ? 1 : 0);
    outcome.push_back(later[row]);
  }
  const auto treated = std::count(treat.begin(), treat.end(), 1);
  if (treated < 10 || static_cast<Eigen::Index>(treated) > n - 10) return out;
  // The intercept, then the covariates that vary (one cluster in the store: its size does not).
  std::vector<Eigen::Index> varying;
  for (Eigen::Index j = 0; j < all.cols(); ++j) {
    if (all.col(j).maxCoeff() > all.col(j).minCoeff()) varying.push_back(j);
  }
  Eigen::MatrixXd design(n, static_cast<Eigen::Index>(varying.size()) + 1);
  design.col(0).setOnes();
  for (size_t k = 0; k < varying.size(); ++k)
    design.col(static_cast<Eigen::Index>(k) + 1) = all.col(varying[k]);
  impact::NearestOptions options;
  options.replace = true;
  auto m = impact::nearest_neighbour(design, treat, options);
  if (!m.has_value()) return out;
  auto att = impact::matched_att(outcome, treat, *m);
  if (!att.has_value()) return out;
  out.treated = static_cast<size_t>(m->treated_matched);
  out.controls = static_cast<size_t>(m->controls_matched);
  out.att = att->att.estimate;
  out.ci_low = att->att.low;
  out.ci_high = att->att.high;
  return out;
}

}  // namespace

ServicesReport services_report(const Snapshot& s, int from_year, int to_year, int horizon) {
  ServicesReport r;
  r.from_year = from_year;
  r.to_year = to_year;
  const int64_t from = Date{from_year, 1, 1}.to_days(), to = Date{to_year, 12, 31}.to_days();
  const auto& clusters = s.table("cluster");
  const auto& orgs = s.table("organisation");
  const auto smes = pipeline::sme_companies(s);
  auto sme_company = [&](size_t o) { return smes[o] != 0; };

  // SME members of each cluster in the period.
  std::vector<std::set<int32_t>> sme_members(clusters.rows);
  const auto& ms = s.table("membership");
  const auto& m_org = ms.column("organisation_id");
  const auto& m_cl = ms.column("cluster_id");
  const auto& m_start = ms.column("start_date");
  const auto& m_end = ms.column("end_date");
  for (size_t m = 0; m < ms.rows; ++m) {
    const auto o = static_cast<size_t>(m_org.codes[m]);
    if (!sme_company(o)) continue;
    if (m_start.present[m] && m_start.ints[m] > to) continue;
    if (m_end.present[m] && m_end.ints[m] < from) continue;
    sme_members[static_cast<size_t>(m_cl.codes[m])].insert(static_cast<int32_t>(o));
  }

  std::vector<ServiceSummary> sum(clusters.rows);
  std::vector<std::set<int32_t>> participants(clusters.rows), served(clusters.rows);
  std::vector<double> sat_sum(clusters.rows, 0);
  std::vector<size_t> sat_n(clusters.rows, 0);
  const auto& svc = s.table("service");
  const auto& sv_cl = svc.column("cluster_id");
  const auto& sv_kind = svc.column("kind");
  const auto& sv_date = svc.column("date");
  const auto& sv_country = svc.column("country");
  const auto& sv_cost = svc.column("cost");
  std::vector<uint8_t> in_period(svc.rows, 0);
  for (size_t i = 0; i < svc.rows; ++i) {
    if (!sv_date.present[i] || sv_date.ints[i] < from || sv_date.ints[i] > to) continue;
    in_period[i] = 1;
    auto& c = sum[static_cast<size_t>(sv_cl.codes[i])];
    ++c.services;
    if (sv_kind.codes[i] >= 0) ++c.by_kind[static_cast<size_t>(sv_kind.codes[i])];
    if (!std::isnan(sv_cost.reals[i])) c.cost += sv_cost.reals[i];
    const auto country = sv_country.text(i);
    if (!country.empty() && country != "FR") {
      ++c.abroad;
      if (in_eu(country)) ++c.abroad_europe;
    }
  }
  // Earliest service date per served SME (for nothing else than membership of the served group).
  std::set<int32_t> served_any;
  const auto& sp = s.table("service_participant");
  const auto& sp_svc = sp.column("service_id");
  const auto& sp_org = sp.column("organisation_id");
  const auto& sp_sat = sp.column("satisfaction");
  const auto& sp_out = sp.column("outcome");
  for (size_t i = 0; i < sp.rows; ++i) {
    const auto v = static_cast<size_t>(sp_svc.codes[i]);
    if (!in_period[v]) continue;
    const auto c = static_cast<size_t>(sv_cl.codes[v]);
    const int32_t o = sp_org.codes[i];
    ++sum[c].participations;
    participants[c].insert(o);
    if (sme_members[c].contains(o)) {
      served[c].insert(o);
      served_any.insert(o);
    }
    if (sp_sat.present[i]) {
      sat_sum[c] += static_cast<double>(sp_sat.ints[i]);
      ++sat_n[c];
    }
    if (sp_out.codes[i] >= 0) ++sum[c].outcomes[static_cast<size_t>(sp_out.codes[i])];
  }

  // Projects labelled by each cluster starting in the period (each once per cluster).
  const auto& project = s.table("project");
  const auto& p_start = project.column("start_date");
  const auto european = pipeline::european_projects(s);
  const auto& label = s.table("project_label");
  const auto& l_project = label.column("project_id");
  const auto& l_cluster = label.column("cluster_id");
  std::set<std::pair<int32_t, int32_t>> seen;
  for (size_t l = 0; l < label.rows; ++l) {
    const int32_t p = l_project.codes[l], c = l_cluster.codes[l];
    const auto pu = static_cast<size_t>(p);
    if (!p_start.present[pu] || p_start.ints[pu] < from || p_start.ints[pu] > to ||
        !seen.insert({c, p}).second)
      continue;
    ++sum[static_cast<size_t>(c)].projects;
    if (european[pu]) ++sum[static_cast<size_t>(c)].european_projects;
  }

  std::vector<double> reach, per_member, international;
  for (size_t c = 0; c < clusters.rows; ++c) {
    ServiceSummary& x = sum[c];
    if (x.services == 0 && sme_members[c].empty()) continue;
    x.cluster = static_cast<int32_t>(c);
    x.participants = participants[c].size();
    x.sme_members = sme_members[c].size();
    x.sme_served = served[c].size();
    x.reach = x.sme_members ? static_cast<double>(x.sme_served) / static_cast<double>(x.sme_members)
                            : kNaN;
    x.intensity = x.participants
                      ? static_cast<double>(x.participations) / static_cast<double>(x.participants)
                      : kNaN;
    x.satisfaction = sat_n[c] ? sat_sum[c] / static_cast<double>(sat_n[c]) : kNaN;
    x.european_share =
        x.projects ? static_cast<double>(x.european_projects) / static_cast<double>(x.projects)
                   : kNaN;
    r.services += x.services;
    r.sme_members += x.sme_members;
    r.sme_served += x.sme_served;
    reach.push_back(x.reach);
    per_member.push_back(x.sme_members
                             ? static_cast<double>(x.services) / static_cast<double>(x.sme_members)
                             : kNaN);
    international.push_back(
        x.services ? static_cast<double>(
                         x.by_kind[static_cast<size_t>(ServiceKind::kInternationalMission)]) /
                         static_cast<double>(x.services)
                   : kNaN);
    r.clusters.push_back(std::move(x));
  }
  std::sort(r.clusters.begin(), r.clusters.end(), [&](const auto& a, const auto& b) {
    return clusters.key(static_cast<size_t>(a.cluster)) <
           clusters.key(static_cast<size_t>(b.cluster));
  });
  r.reach = spread(reach);
  r.services_per_member = spread(per_member);
  r.international_share = spread(international);

  // What follows: funded projects started before and after the period, served vs not served.
  r.outcomes.horizon = horizon;
  std::set<int32_t> all_sme;
  for (const auto& m : sme_members) all_sme.insert(m.begin(), m.end());
  const int64_t before = Date{from_year - horizon, 1, 1}.to_days(),
                after = Date{to_year + horizon, 12, 31}.to_days();
  std::vector<uint8_t> baseline(orgs.rows, 0), later(orgs.rows, 0);
  const auto& part = s.table("participation");
  const auto& pa_p = part.column("project_id");
  const auto& pa_o = part.column("organisation_id");
  const auto& p_aid = project.column("public_aid");
  for (size_t i = 0; i < part.rows; ++i) {
    const auto p = static_cast<size_t>(pa_p.codes[i]);
    if (!p_start.present[p] || std::isnan(p_aid.reals[p]) || p_aid.reals[p] <= 0) continue;
    const int64_t d = p_start.ints[p];
    const auto o = static_cast<size_t>(pa_o.codes[i]);
    if (d >= before && d < from) baseline[o] = 1;
    if (d > to && d <= after) later[o] = 1;
  }
  std::array<size_t, 2> n{}, base_n{}, later_n{};
  for (int32_t o : all_sme) {
    const size_t g = served_any.contains(o) ? 0 : 1;
    ++n[g];
    base_n[g] += baseline[static_cast<size_t>(o)];
    later_n[g] += later[static_cast<size_t>(o)];
  }
  auto group = [&](size_t g) {
    OutcomeGroup x;
    x.firms = n[g];
    x.baseline = n[g] ? static_cast<double>(base_n[g]) / static_cast<double>(n[g]) : kNaN;
    x.later = n[g] ? static_cast<double>(later_n[g]) / static_cast<double>(n[g]) : kNaN;
    return x;
  };
  r.outcomes.served = group(0);
  r.outcomes.not_served = group(1);
  const auto& a = r.outcomes.served;
  const auto& b = r.outcomes.not_served;
  r.outcomes.difference = a.later - b.later;
  const double se = (a.firms && b.firms)
                        ? std::sqrt(a.later * (1 - a.later) / static_cast<double>(a.firms) +
                                    b.later * (1 - b.later) / static_cast<double>(b.firms))
                        : kNaN;
  r.outcomes.ci_low = r.outcomes.difference - 1.959963984540054 * se;
  r.outcomes.ci_high = r.outcomes.difference + 1.959963984540054 * se;
  r.outcomes.difference_in_differences = (a.later - a.baseline) - (b.later - b.baseline);
  r.outcomes.matched = matched_outcome(s, sme_members, served_any, baseline, later);
  return r;
}

Training training(const Snapshot& s, const std::vector<int32_t>& clusters) {
  Training out;
  std::vector<uint8_t> chosen(s.table("cluster").rows, 0);
  for (int32_t c : clusters) chosen[static_cast<size_t>(c)] = 1;
  const auto& svc = s.table("service");
  const auto& kind = svc.column("kind");
  const auto& cluster = svc.column("cluster_id");
  std::vector<uint8_t> is_training(svc.rows, 0);
  for (size_t i = 0; i < svc.rows; ++i) {
    if (kind.codes[i] == static_cast<int>(ServiceKind::kTraining) &&
        chosen[static_cast<size_t>(cluster.codes[i])]) {
      is_training[i] = 1;
      ++out.services;
    }
  }
  const auto& sp = s.table("service_participant");
  const auto& service = sp.column("service_id");
  for (size_t i = 0; i < sp.rows; ++i)
    out.participations += is_training[static_cast<size_t>(service.codes[i])];
  return out;
}

}  // namespace poles::services
