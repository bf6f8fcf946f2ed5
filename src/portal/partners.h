// The partner finder of the public portal (docs/portal.md, "Partner finder"): a firm describes a
// need (its NAF code, a theme, a region, the kind of partner it looks for, a few words) and gets
// the clusters to turn to and organisations to contact, each with its reasons.
//
// Public data only: the organisations are the members that agreed to be listed by a currently
// labelled cluster; their past projects are the labelled projects that agreed to publication
// (the graph the network engine's recommender scores is built from those alone); what they are
// (kind, NAF, region, size class) is the registry's public part. No firm figure, no private row
// moves a suggestion: the same need gives the same answer whatever the rest of the store holds.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot/snapshot.h"

namespace poles::portal {

struct PartnerQuery {
  std::string naf;     // the firm's NAF (APE) code, e.g. "26.11Z", or its division, "26"
  std::string theme;   // a theme, as the clusters declare it
  std::string region;  // an INSEE region code
  std::string kind;    // "" (any), company, sme, research, higher_education, training
  std::string q;       // free words, matched with the clusters' names and themes
  bool asked() const {
    return !naf.empty() || !theme.empty() || !region.empty() || !kind.empty() || !q.empty();
  }
};

// One reason, as a code the page words and its details.
struct PartnerWhy {
  std::string code;  // theme, region, sector, kind_members, words, sector_projects,
                     // theme_projects, same_sector, same_region, sme, active
  double value = 0;
  std::string detail;  // a theme code, a region code, the words matched…
};

struct SuggestedCluster {
  size_t row = 0;  // cluster row
  double score = 0;
  std::vector<PartnerWhy> why;
};

struct SuggestedOrganisation {
  int32_t row = -1;  // organisation row
  double score = 0;
  std::vector<PartnerWhy> why;
  std::vector<size_t> clusters;  // the current clusters that list it (rows)
};

struct PartnerSuggestions {
  bool invalid_naf = false;                          // the NAF code is not one: nothing suggested
  std::string division;                              // the NAF division read from the code
  std::vector<SuggestedCluster> clusters;            // at most 5, best first
  std::vector<SuggestedOrganisation> organisations;  // at most 10, best first
};

PartnerSuggestions suggest_partners(const snapshot::Snapshot& s, const PartnerQuery& q);
// Whether a cluster declares this theme (the form offers no other).
bool is_declared_theme(const snapshot::Snapshot& s, std::string_view theme);

// What every need reads alike, built once per snapshot (the listed members, the graph of the
// public projects and the recommender on it): a server keeps one per data version, so that a
// need costs a ranking, not a graph.
class PartnerFinder {
 public:
  explicit PartnerFinder(snapshot::SnapshotPtr s);
  ~PartnerFinder();
  PartnerFinder(const PartnerFinder&) = delete;
  PartnerFinder& operator=(const PartnerFinder&) = delete;
  const snapshot::SnapshotPtr& snapshot() const { return s_; }
  PartnerSuggestions suggest(const PartnerQuery& q) const;

 private:
  struct State;
  snapshot::SnapshotPtr s_;
  std::unique_ptr<State> state_;
};

}  // namespace poles::portal
