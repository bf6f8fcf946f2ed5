// SME services: what the clusters deliver to their members, to whom, and what follows.
// A cluster's SME members in a period are its member companies of size class TPE or PME whose
// membership overlaps the period; reach is the share of them that took part in at least one of
// the cluster's services dated in the period.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.h"
#include "snapshot/snapshot.h"

namespace poles::services {

struct ServiceSummary {
  int32_t cluster = -1;  // cluster row
  size_t services = 0;
  std::array<size_t, kServiceKindCodes.size()> by_kind{};  // by ServiceKind
  double cost = 0;
  size_t participations = 0;
  size_t participants = 0;  // distinct organisations
  size_t sme_members = 0, sme_served = 0;
  double reach = 0;      // sme_served / sme_members (NaN without SME members)
  double intensity = 0;  // participations per distinct participant
  size_t abroad = 0,
         abroad_europe = 0;  // services held outside France, of which in another EU country
  size_t projects = 0,
         european_projects = 0;      // projects labelled by the cluster starting in the period
  double european_share = 0;         // european_projects / projects (NaN without projects)
  double satisfaction = 0;           // mean over rated participations (NaN when none)
  std::array<size_t, 7> outcomes{};  // by ServiceOutcome
};

struct Spread {  // of a measure across clusters
  size_t n = 0;
  double mean = 0, sd = 0, cv = 0, min = 0, p25 = 0, median = 0, p75 = 0, max = 0;
};

// What happened to SME members served in [from, to] compared with SME members of the same clusters
// who were not: the share that started a funded project in the `horizon` years before the period
// (baseline) and after it (later). The raw comparison is descriptive; the matched one compares
// each served SME with the not-served SME nearest on the propensity to be served given what
// drives being served and being in projects (impact::nearest_neighbour, as MatchIt).
struct OutcomeGroup {
  size_t firms = 0;
  double baseline = 0, later = 0;  // shares
};
// The comparison's method, as the published results state it.
inline constexpr std::string_view kOutcomeMethod =
    "descriptive: SME members served in the period against SME members of the same clusters not "
    "served; share starting a funded project in the horizon before and after the period; not "
    "matched";
// The matched comparison, as the published results state it.
inline constexpr std::string_view kMatchedOutcomeMethod =
    "matched: each served SME member against the not-served SME member nearest on a logit "
    "propensity score (1:1, with replacement) of its baseline funded project, size class (TPE or "
    "PME), number of clusters, location in a cluster's region and the log number of SME members "
    "of its largest cluster (covariates constant in the store left out); effect on the share "
    "starting a funded project in the horizon after the period, with an approximate robust (HC1) "
    "95 % interval that ignores the estimation of the score and the reuse of controls";
struct MatchedOutcome {
  size_t treated = 0, controls = 0;  // matched served SMEs, distinct not-served SMEs used
  double att = std::numeric_limits<double>::quiet_NaN();  // NaN when it cannot be made
  double ci_low = std::numeric_limits<double>::quiet_NaN();
  double ci_high = std::numeric_limits<double>::quiet_NaN();
};
struct OutcomeLink {
  int horizon = 3;
  OutcomeGroup served, not_served;
  double difference = 0, ci_low = 0,
         ci_high = 0;                    // later(served) - later(not served), 95 % normal interval
  double difference_in_differences = 0;  // (later - baseline) served minus not served
  MatchedOutcome matched;
};

struct ServicesReport {
  int from_year = 0, to_year = 0;
  std::vector<ServiceSummary>
      clusters;  // clusters with SME members or services in the period, by id
  // Sums over those clusters (an SME member of two clusters counts in each).
  size_t services = 0, sme_members = 0, sme_served = 0;
  Spread reach, services_per_member, international_share;
  OutcomeLink outcomes;
};

// Financing raised after the services of a cluster, by year of the service and organisation
// (summed), over every dated service: a firm aggregate, published only through statistical
// secrecy for the period the caller chooses (secrecy::OverYears).
struct FinancingRaised {
  int32_t cluster = -1;  // cluster row
  int year = 0;
  int32_t organisation = -1;  // organisation row
  double amount = 0;
};
std::vector<FinancingRaised> financing_raised(const snapshot::Snapshot& s);

ServicesReport services_report(const snapshot::Snapshot& s, int from_year, int to_year,
                               int horizon = 3);

// Distribution summary (population sd); NaN values are ignored.
Spread spread(std::vector<double> values);

// The training services of some clusters (every date) and the participations in them.
struct Training {
  size_t services = 0, participations = 0;
};
// REQUIRES: clusters are cluster rows.
Training training(const snapshot::Snapshot& s, const std::vector<int32_t>& clusters);

}  // namespace poles::services
