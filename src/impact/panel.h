// The store's firm panel as an impact frame: one row per firm and year (firm_year), with the
// treatments the France Stratégie study uses and the exposure of non-members for spillovers.
#pragma once

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
//  non-members, in the first panel year).
Result<Frame> firm_panel(const snapshot::Snapshot& s);

}  // namespace poles::impact
