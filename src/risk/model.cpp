#include "risk/model.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "core/date.h"
#include "core/model.h"
#include "network/graph.h"
#include "numeric/logit.h"
#include "select/call.h"

namespace poles::risk {

using snapshot::Column;
using snapshot::Snapshot;
using snapshot::Table;

double Logit::predict(const std::vector<double>& x) const {
  double eta = coef[0];
  for (size_t j = 0; j < x.size(); ++j) eta += coef[j + 1] * x[j];
  return 1.0 / (1.0 + std::exp(-eta));
}

Result<Logit> fit_logit(const std::vector<std::vector<double>>& X, const std::vector<double>& y,
                        const std::vector<std::string>& names, int max_iterations,
                        double tolerance) {
  const auto n = static_cast<Eigen::Index>(y.size());
  const auto k = static_cast<Eigen::Index>(names.size() + 1);
  if (n <= k)
    return Status::invalid_argument(
        fmt::format("{} observations are too few for {} coefficients", n, k));
  Eigen::MatrixXd A(n, k);
  Eigen::VectorXd Y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    A(i, 0) = 1;
    for (Eigen::Index j = 1; j < k; ++j)
      A(i, j) = X[static_cast<size_t>(i)][static_cast<size_t>(j - 1)];
    Y(i) = y[static_cast<size_t>(i)];
  }
  // A feature that is constant or a combination of others makes the model unidentified: name it.
  {
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(A);
    qr.setThreshold(1e-10);
    if (qr.rank() < k) {
      const auto col = qr.colsPermutation().indices()(qr.rank());
      const std::string name = col == 0 ? "(Intercept)" : names[static_cast<size_t>(col - 1)];
      return Status::invalid_argument(
          fmt::format("feature '{}' is constant or a combination of the others", name));
    }
  }
  const double ybar = Y.mean();
  if (ybar <= 0 || ybar >= 1)
    return Status::invalid_argument("every outcome is the same: the model cannot be fitted");
  POLES_ASSIGN_OR_RETURN(const numeric::LogitFit fit,
                         numeric::fit_logit(A, Y, {}, max_iterations, tolerance));
  Logit out;
  out.names.emplace_back("(Intercept)");
  out.names.insert(out.names.end(), names.begin(), names.end());
  for (Eigen::Index j = 0; j < k; ++j) {
    out.coef.push_back(fit.coef(j));
    out.se.push_back(std::sqrt(fit.vcov(j, j)));  // from the information matrix at the estimate
  }
  out.iterations = fit.iterations;
  out.log_likelihood = fit.log_likelihood;
  out.null_log_likelihood =
      static_cast<double>(n) * (ybar * std::log(ybar) + (1 - ybar) * std::log(1 - ybar));
  out.n = static_cast<size_t>(n);
  return out;
}

double SuccessModel::cluster_record(int32_t cluster_row, int year) const {
  double wins = 0, count = 0;
  if (cluster_row >= 0 && static_cast<size_t>(cluster_row) < cluster_history.size()) {
    for (const auto& [end, ok] : cluster_history[static_cast<size_t>(cluster_row)]) {
      if (end < year) wins += ok, count += 1;
    }
  }
  return (wins + prior_weight * base_rate) / (count + prior_weight);
}

std::vector<double> SuccessModel::features(double trl_gap, double log_size, bool sme_lead,
                                           std::string_view programme, double record,
                                           double share) const {
  std::vector<double> x{std::isnan(trl_gap) ? mean_trl_gap : trl_gap,
                        std::isnan(log_size) ? mean_log_size : log_size, sme_lead ? 1.0 : 0.0,
                        record};
  if (funded_share) x.push_back(std::isnan(share) ? mean_funded_share : share);
  for (const auto& p : programmes) x.push_back(programme == p ? 1.0 : 0.0);
  return x;
}

double SuccessModel::share_effect() const {
  const auto it = std::find(logit.names.begin(), logit.names.end(), "funded_share");
  if (!funded_share || it == logit.names.end()) return NAN;
  const auto j = static_cast<size_t>(it - logit.names.begin());
  return logit.coef[j] > 0 && logit.z(j) > 1.959963984540054 ? logit.coef[j] : NAN;
}

namespace {

int year_of(const Column& c, size_t r) {
  return c.is_null(r) ? 0 : Date::from_days(c.ints[r]).year;
}

// Share of its request a project was funded at, at most 1; NaN when either amount is missing.
double funded_share_of(const Column& aid, const Column& requested, size_t p) {
  if (aid.is_null(p) || requested.is_null(p) || !(requested.reals[p] > 0)) return NAN;
  return std::min(1.0, aid.reals[p] / requested.reals[p]);
}

struct ProjectFacts {
  std::vector<int> participants;
  std::vector<uint8_t> sme_coordinator, market_result;
  std::vector<int32_t> cluster;  // first labelling cluster
};

ProjectFacts project_facts(const Snapshot& s) {
  const Table& projects = s.table("project");
  ProjectFacts f;
  f.participants.assign(projects.rows, 0);
  f.sme_coordinator.assign(projects.rows, 0);
  f.market_result.assign(projects.rows, 0);
  f.cluster.assign(projects.rows, -1);
  const Table& parts = s.table("participation");
  const Column& pp = parts.column("project_id");
  const Column& po = parts.column("organisation_id");
  const Column& role = parts.column("role");
  const network::OrganisationColumns orgs(s);
  for (size_t i = 0; i < parts.rows; ++i) {
    const auto p = static_cast<size_t>(pp.codes[i]);
    ++f.participants[p];
    if (role.text(i) == "coordinator" && orgs.sme(po.codes[i])) f.sme_coordinator[p] = 1;
  }
  const Table& results = s.table("result");
  const Column& rp = results.column("project_id");
  const Column& rk = results.column("kind");
  for (size_t i = 0; i < results.rows; ++i) {
    if (rk.codes[i] >= 0 && is_market_result(static_cast<ResultKind>(rk.codes[i])))
      f.market_result[static_cast<size_t>(rp.codes[i])] = 1;
  }
  const Table& labels = s.table("project_label");
  const Column& lp = labels.column("project_id");
  const Column& lc = labels.column("cluster_id");
  for (size_t i = 0; i < labels.rows; ++i) {
    auto& c = f.cluster[static_cast<size_t>(lp.codes[i])];
    if (c < 0) c = lc.codes[i];
  }
  return f;
}

}  // namespace

Result<SuccessModel> fit_success_model(const Snapshot& s, Design* design) {
  const Table& projects = s.table("project");
  const Column& status = projects.column("status");
  const Column& programme = projects.column("programme");
  const Column& t0 = projects.column("trl_start");
  const Column& t1 = projects.column("trl_target");
  const Column& start = projects.column("start_date");
  const Column& end = projects.column("end_date");
  const Column& aid = projects.column("public_aid");
  const Column& requested = projects.column("requested_aid");
  const auto facts = project_facts(s);

  SuccessModel m;
  std::vector<int32_t> rows;
  std::map<std::string, int> programme_count;
  double gap_sum = 0, gap_n = 0, size_sum = 0, size_n = 0, share_sum = 0, share_n = 0;
  int part_funded = 0;
  for (size_t p = 0; p < projects.rows; ++p) {
    const auto st = status.text(p);
    if (st != "completed" && st != "on_market" && st != "abandoned") continue;
    rows.push_back(static_cast<int32_t>(p));
    ++programme_count[std::string(programme.text(p))];
    if (!t0.is_null(p) && !t1.is_null(p))
      gap_sum += static_cast<double>(t1.ints[p] - t0.ints[p]), gap_n += 1;
    if (facts.participants[p] > 0) size_sum += std::log(facts.participants[p]), size_n += 1;
    if (const double f = funded_share_of(aid, requested, p); !std::isnan(f))
      share_sum += f, share_n += 1, part_funded += f < 0.999;
  }
  if (rows.size() < 20)
    return Status::invalid_argument(fmt::format(
        "{} ended projects are too few to fit a success model (20 needed)", rows.size()));
  m.mean_trl_gap = gap_n > 0 ? gap_sum / gap_n : 0;
  m.mean_log_size = size_n > 0 ? size_sum / size_n : 0;
  // The funded share enters when enough projects give it and it varies.
  m.funded_share = share_n >= 20 && part_funded >= 5;
  m.mean_funded_share = share_n > 0 ? share_sum / share_n : 1;
  // Reference programme: the most frequent; dummies for the others with at least 5 projects.
  m.reference_programme =
      std::max_element(programme_count.begin(), programme_count.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; })
          ->first;
  for (const auto& [name, count] : programme_count) {
    if (name != m.reference_programme && count >= 5) m.programmes.push_back(name);
  }
  auto success_of = [&](size_t p) {
    return status.text(p) == "on_market" || facts.market_result[p];
  };
  m.cluster_history.assign(s.table("cluster").rows, {});
  for (int32_t p : rows) {
    const auto pr = static_cast<size_t>(p);
    m.successes += success_of(pr);
    if (facts.cluster[pr] >= 0)
      m.cluster_history[static_cast<size_t>(facts.cluster[pr])].emplace_back(year_of(end, pr),
                                                                             success_of(pr));
  }
  m.base_rate = static_cast<double>(m.successes) / static_cast<double>(rows.size());

  Design d;
  d.names = {"trl_gap", "log_consortium_size", "sme_coordinator", "cluster_record"};
  if (m.funded_share) d.names.emplace_back("funded_share");
  for (const auto& p : m.programmes) d.names.push_back("programme_" + p);
  for (int32_t p : rows) {
    const auto pr = static_cast<size_t>(p);
    const double gap =
        t0.is_null(pr) || t1.is_null(pr) ? NAN : static_cast<double>(t1.ints[pr] - t0.ints[pr]);
    const double size = facts.participants[pr] > 0 ? std::log(facts.participants[pr]) : NAN;
    // The record counts projects that ended before this one started (no look-ahead, no self).
    const double record = m.cluster_record(facts.cluster[pr], year_of(start, pr));
    d.X.push_back(m.features(gap, size, facts.sme_coordinator[pr], programme.text(pr), record,
                             funded_share_of(aid, requested, pr)));
    d.y.push_back(success_of(pr) ? 1.0 : 0.0);
    d.projects.push_back(p);
  }
  POLES_ASSIGN_OR_RETURN(m.logit, fit_logit(d.X, d.y, d.names));
  if (design) *design = std::move(d);
  return m;
}

std::vector<double> proposal_success(const Snapshot& s, const SuccessModel& m) {
  const Table& proposals = s.table("proposal");
  const Table& calls = s.table("call");
  const auto facts = project_facts(s);
  std::vector<double> out(proposals.rows, m.base_rate);
  const Column& t0 = proposals.column("trl_start");
  const Column& t1 = proposals.column("trl_target");
  const Column& project = proposals.column("project_id");
  const Column& cluster = proposals.column("cluster_id");
  const Column& call = proposals.column("call_id");
  const Column& programme = calls.column("programme");
  const auto years = select::call_years(s);
  const select::ProposalColumns cols(s);
  for (size_t p = 0; p < proposals.rows; ++p) {
    const auto c = static_cast<size_t>(call.codes[p]);
    int year = years[c];
    if (year == 0) year = 9999;  // undated call: every ended project counts in the record
    const double gap =
        t0.is_null(p) || t1.is_null(p) ? NAN : static_cast<double>(t1.ints[p] - t0.ints[p]);
    const int32_t pj = project.codes[p];
    const double size = pj >= 0 && facts.participants[static_cast<size_t>(pj)] > 0
                            ? std::log(facts.participants[static_cast<size_t>(pj)])
                            : NAN;
    const bool sme = cols.sme_led(static_cast<int32_t>(p));
    out[p] = m.logit.predict(m.features(gap, size, sme, programme.text(c),
                                        m.cluster_record(cluster.codes[p], year), 1.0));
  }
  return out;
}

}  // namespace poles::risk
