#include "pipeline/funding.h"

#include <algorithm>
#include <cmath>

#include "core/date.h"
#include "pipeline/projects.h"

namespace poles::pipeline {

FundingSplit funding_split(const snapshot::Snapshot& s, const FundingFilter& f) {
  const auto& project = s.table("project");
  const auto& start = project.column("start_date");
  const auto& aid = project.column("public_aid");
  const auto& programme = project.column("programme");
  const auto& programmes = s.table("programme");
  const auto& programme_funder = programmes.column("funder_id");
  const auto& funders = s.table("funder");
  const auto& kind = funders.column("kind");
  const auto& rows = s.table("project_funding");
  const auto& r_project = rows.column("project_id");
  const auto& r_funder = rows.column("funder_id");
  const auto& r_amount = rows.column("amount");
  const auto& cluster_region = s.table("cluster").column("region");

  std::vector<std::vector<size_t>> split_rows(project.rows);
  for (size_t r = 0; r < rows.rows; ++r)
    split_rows[static_cast<size_t>(r_project.codes[r])].push_back(r);
  // The funder of each code of the projects' programme dictionary (-1: none known).
  std::vector<int32_t> default_funder(programme.dict.size(), -1);
  for (size_t d = 0; d < default_funder.size(); ++d) {
    const int32_t row = programmes.find(programme.dict[d]);
    if (row >= 0) default_funder[d] = programme_funder.codes[static_cast<size_t>(row)];
  }
  const auto labels = project_clusters(s);

  FundingSplit out;
  std::vector<FunderMoney> money(funders.rows);
  for (size_t k = 0; k < money.size(); ++k) money[k].funder = static_cast<int32_t>(k);
  for (size_t p = 0; p < project.rows; ++p) {
    if (!start.present[p]) continue;
    const int year = Date::from_days(start.ints[p]).year;
    if (year < f.from_year || year > f.to_year) continue;
    const auto& lab = labels[p];
    if (f.cluster >= 0 && std::find(lab.begin(), lab.end(), f.cluster) == lab.end()) continue;
    if (!f.region.empty() && std::none_of(lab.begin(), lab.end(), [&](int32_t c) {
          return cluster_region.text(static_cast<size_t>(c)) == f.region;
        }))
      continue;
    const bool seen = f.visible.empty() || f.visible[p] != 0;
    const bool known_aid = !std::isnan(aid.reals[p]);
    const double granted = known_aid ? aid.reals[p] : 0;
    // (funder row, euros, assumed) of this project.
    std::vector<std::tuple<int32_t, double, bool>> parts;
    double listed = 0;
    for (size_t r : split_rows[p]) {
      const int32_t funder = r_funder.codes[r];
      if (!seen && (f.own_funders.empty() || !f.own_funders[static_cast<size_t>(funder)])) continue;
      parts.emplace_back(funder, r_amount.reals[r], false);
      listed += r_amount.reals[r];
    }
    if (!seen && parts.empty()) continue;
    double unknown = 0;
    if (!split_rows[p].empty()) {
      // Within half a euro of the aid is its rounding.
      if (seen && known_aid && listed > granted + 0.5 &&
          (f.funder < 0 || std::any_of(parts.begin(), parts.end(),
                                       [&](const auto& t) { return std::get<0>(t) == f.funder; })))
        out.over_split.push_back(static_cast<int32_t>(p));
      if (seen && granted - listed > 0.5) unknown = granted - listed;
    } else if (granted > 0) {
      const int32_t code = programme.codes[p];
      const int32_t funder = code >= 0 ? default_funder[static_cast<size_t>(code)] : -1;
      if (funder >= 0)
        parts.emplace_back(funder, granted, true);
      else
        unknown = granted;
    }
    if (f.funder >= 0) {  // that funder's money only
      std::erase_if(parts, [&](const auto& t) { return std::get<0>(t) != f.funder; });
      unknown = 0;
    }
    if (parts.empty() && unknown == 0) continue;
    ++out.projects;
    auto& year_kinds = out.by_year[year];
    for (const auto& [funder, euros, assumed] : parts) {
      auto& m = money[static_cast<size_t>(funder)];
      m.amount += euros;
      m.projects += 1;
      const int32_t k = kind.codes[static_cast<size_t>(funder)];
      if (k >= 0) {
        out.by_kind[static_cast<size_t>(k)] += euros;
        year_kinds[static_cast<size_t>(k)] += euros;
      }
      out.public_aid += euros;
      if (assumed) {
        m.assumed += euros;
        out.assumed += euros;
      } else {
        out.split += euros;
      }
    }
    if (unknown > 0) {
      out.not_split += unknown;
      out.public_aid += unknown;
      out.not_split_by_year[year] += unknown;
    }
  }
  for (auto& m : money)
    if (m.projects > 0) out.by_funder.push_back(m);
  std::sort(out.by_funder.begin(), out.by_funder.end(), [](const auto& a, const auto& b) {
    return a.amount != b.amount ? a.amount > b.amount : a.funder < b.funder;
  });
  return out;
}

}  // namespace poles::pipeline
