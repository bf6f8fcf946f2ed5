#include "impact/event_study.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace poles::impact {

Result<EventStudyResult> event_study(const EventStudyInput& in) {
  const size_t n = in.y.size();
  if (in.time.size() != n || in.group.size() != n || in.unit.code.size() != n ||
      in.period.code.size() != n) {
    return Status::invalid_argument(
        "event study: outcome, unit, period, time and group need one value per row");
  }
  if (in.leads < 1 || in.lags < 0 || in.reference < -in.leads || in.reference > in.lags) {
    return Status::invalid_argument(
        "event study: the reference must lie within the leads and lags");
  }
  std::vector<int> es;
  for (int e = -in.leads; e <= in.lags; ++e) {
    if (e != in.reference) es.push_back(e);
  }
  OlsInput ols;
  ols.y = in.y;
  ols.fe = {in.unit, in.period};
  ols.weights = in.weights;
  ols.demean = in.demean;
  ols.x.assign(es.size(), std::vector<double>(n, 0.0));
  std::vector<int64_t> rows(static_cast<size_t>(in.leads + in.lags + 1), 0);
  for (size_t i = 0; i < n; ++i) {
    if (!(in.group[i] > 0) || !std::isfinite(in.time[i])) continue;
    const int e = std::clamp(static_cast<int>(in.time[i] - in.group[i]), -in.leads, in.lags);
    const int slot = e + in.leads;
    ++rows[static_cast<size_t>(slot)];
    if (e == in.reference) continue;
    const auto j = static_cast<size_t>(std::find(es.begin(), es.end(), e) - es.begin());
    ols.x[j][i] = 1;
  }
  for (int e : es) ols.x_names.push_back(fmt::format("e{}", e));
  ols.vcov.kind = VcovKind::kCluster;
  ols.vcov.clusters = in.cluster.empty() ? std::vector<FixedEffect>{in.unit} : in.cluster;
  POLES_ASSIGN_OR_RETURN(auto fit, feols(std::move(ols)));
  EventStudyResult out;
  const boost::math::students_t t(std::max(fit.df_t, 1.0));
  const double q = boost::math::quantile(boost::math::complement(t, 0.025));
  std::vector<int> leads;
  for (int e = -in.leads; e <= in.lags; ++e) {
    EventTerm term;
    term.e = e;
    const int slot = e + in.leads;
    term.rows = rows[static_cast<size_t>(slot)];
    if (e != in.reference) {
      const std::string name = fmt::format("e{}", e);
      const auto it = std::find(fit.names.begin(), fit.names.end(), name);
      if (it == fit.names.end()) {
        term.coef = term.se = NAN;  // no treated row at this event time (collinear)
      } else {
        const auto j = static_cast<Eigen::Index>(it - fit.names.begin());
        term.coef = fit.coef(j);
        term.se = fit.se(j);
        if (e < in.reference) leads.push_back(static_cast<int>(j));
      }
    }
    term.ci_low = term.coef - q * term.se;
    term.ci_high = term.coef + q * term.se;
    out.terms.push_back(term);
  }
  out.pretrend = wald_test(fit.coef, fit.vcov, leads, fit.df_t);
  out.fit = std::move(fit);
  return out;
}

}  // namespace poles::impact
