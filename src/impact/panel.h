// The store's firm panel as an impact frame: one row per firm and year (firm_year), with the
// treatments the France Stratégie study uses and the exposure of non-members for spillovers.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "impact/frame.h"
#include "snapshot/snapshot.h"

namespace poles::impact {

// Columns:
//  firm (SIREN as a number), year, the firm_year measures (headcount, turnover, value_added,
//  rd_spending, rd_staff, exports, patents, wage_bill, cir), naf, naf_division, region,
//  employment_zone (text);
//  join_year: first year the firm's organisation is a member of any cluster (0 = never);
//  cluster: the cluster it joined first ("" for non-members), for clustering by pôle;
//  funded_year: start year of the first project in which it received aid (0 = never);
//  zone_sector_exposed: for non-members, the first year a member of the same employment zone
//    and NAF division joined (0 = never exposed; members 0);
//  network_exposed: for non-member organisations, the start year of the first project shared
//    with a member that had joined by then (0 = never; firms without an organisation 0);
//  member (0/1), cir_claimant (received the research tax credit before joining or, for
//  non-members, in the first panel year);
//  size_class (text): tpe, pme, eti or ge in the firm's first panel year (size_class_of).
Result<Frame> firm_panel(const snapshot::Snapshot& s);

// The size class of a firm by the décret 2008-1354 (the INSEE categories) on its headcount and
// turnover (€): tpe (micro: fewer than 10 persons, at most 2 M€), pme (fewer than 250, at most
// 50 M€), eti (fewer than 5,000, at most 1.5 bn€), else ge; a missing turnover is not held
// against the class, a missing headcount gives "" (unknown).
std::string size_class_of(double headcount, double turnover);

// How the firm panel is read for an estimation (France Stratégie's designs).
enum class PanelTreatment : uint8_t {
  kMembership,  // joining a cluster (join_year)
  kFunded,      // the first project with aid (funded_year)
};
enum class PanelSample : uint8_t {
  kDirect,     // members and the non-members never exposed: outcomes without spillover
  kAll,        // every firm
  kSpillover,  // non-members only, treated when exposed
};
enum class PanelExposure : uint8_t {
  kZoneSector,
  kNetwork
};  // zone_sector_exposed, network_exposed
struct PanelDesign {
  PanelTreatment treatment = PanelTreatment::kMembership;
  PanelSample sample = PanelSample::kDirect;
  PanelExposure exposure = PanelExposure::kZoneSector;  // of the direct and spillover samples
};

// The rows of a firm panel (firm_panel's columns) in the design's sample, with two columns added:
//  treated_group: first treated period, 0 = never (the treatment's year; for the spillover
//    sample, the exposure year);
//  treated_post: 1 from the first treated period on.
Result<Frame> design_panel(const Frame& panel, const PanelDesign& design);

// The conditional difference in differences of France Stratégie, as a cross-section to match:
// the firms treated in `cohort` against the never-treated, one row per firm with its values of
// the year before (cohort - 1), and
//  outcome_change: the change of `outcome` from cohort - 1 to cohort + horizon (NaN when the firm
//    lacks either year: the matching then leaves it out rather than reading a missing year as 0);
//  treated: 1 for the cohort's firms, 0 for the never-treated;
//  log_headcount, log_rd_spending, log_turnover: the logs of the year before.
// REQUIRES: `designed` comes from design_panel.
struct CohortDesign {
  int cohort = 2010;
  int horizon = 3;
  std::string outcome;  // an expression of Frame::numeric
};
Result<Frame> cohort_cross_section(const Frame& designed, const CohortDesign& design);

}  // namespace poles::impact
