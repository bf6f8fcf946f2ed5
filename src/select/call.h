// One call for proposals as the selection engines see it: its rules (with defaults where the
// store leaves them empty), its criteria and weights, its proposals, and what the engines need to
// know of each proposal (organisations, SME lead, themes) and of each reviewer.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "network/graph.h"
#include "snapshot/snapshot.h"

namespace poles::select {

struct Criterion {
  std::string name;
  double weight = 1;
};

struct CallData {
  int32_t row = -1;
  std::string id;
  std::string programme;
  int year = 0;  // year of the close date, else of the open date, else 0 (unknown)
  double budget = 0;
  double min_funding_share = 0;     // 0: no minimum
  double cap_per_cluster = 0;       // 0: no cap
  double min_sme_share = 0;         // 0: no minimum
  int reviewers_per_proposal = 3;   // default when the call leaves it empty
  int max_per_reviewer = 10;        // default when the call leaves it empty
  std::vector<Criterion> criteria;  // weights sum to 1; empty: every criterion weighs the same
  std::vector<int32_t> proposals;   // proposal rows, ascending
};

// The call `id` of `s`; an unknown call is kNotFound, unreadable criteria kInvalidArgument.
Result<CallData> load_call(const snapshot::Snapshot& s, std::string_view id);

// What a call has received and recorded so far.
struct CallCounts {
  int proposals = 0;
  int assignments = 0;  // assignment rows of its proposals
  int reviews = 0;      // review rows (one per reviewer and criterion) of its proposals
  int decisions = 0;    // decision rows of its proposals
};
// Per call row of `s`.
std::vector<CallCounts> call_counts(const snapshot::Snapshot& s);

// The year of every call row: its close date's, else its open date's, else 0 (unknown).
std::vector<int> call_years(const snapshot::Snapshot& s);
// Parses `name:weight|…` (weights positive, normalised to sum 1).
Result<std::vector<Criterion>> parse_criteria(std::string_view text);

// The `|`-separated items of a list cell.
std::vector<std::string> split_list(std::string_view text);

// Participants (organisation rows) of every project row, from the participation table.
std::vector<std::vector<int32_t>> project_participants(const snapshot::Snapshot& s);
// Organisations on the applicant side of a proposal: the lead applicant and, when the proposal
// names a project, every participant of that project (`participants` from project_participants).
// Organisation rows, ascending, unique.
std::vector<int32_t> proposal_organisations(const snapshot::Snapshot& s, int32_t proposal_row,
                                            const std::vector<std::vector<int32_t>>& participants);

// The columns of proposals and reviewers that selection reads row after row, resolved once (the
// snapshot must outlive the view).
class ProposalColumns {
 public:
  explicit ProposalColumns(const snapshot::Snapshot& s);
  // Is the lead applicant a small or medium enterprise (TPE or PME)?
  bool sme_led(int32_t proposal_row) const;
  // Expertise match of a reviewer for a proposal, in [0, 1]: half for the proposal's NAF division
  // among the reviewer's sectors, half for the Jaccard overlap of their themes.
  double affinity(int32_t proposal_row, int32_t reviewer_row) const;
  const snapshot::Column& requested_aid;
  const snapshot::Column& cluster;
  const snapshot::Column& themes;
  const snapshot::Column& expected_products;

 private:
  const snapshot::Column& applicant_;
  const snapshot::Column& sector_;
  const snapshot::Column& reviewer_sectors_;
  const snapshot::Column& reviewer_themes_;
  network::OrganisationColumns orgs_;
};

// Portable uniform numbers from a seeded engine (std::mt19937_64 is specified exactly; the
// standard distributions are not, so they are not used).
inline double uniform01(std::mt19937_64& g) { return static_cast<double>(g() >> 11) * 0x1.0p-53; }
inline size_t below(std::mt19937_64& g, size_t n) {
  return static_cast<size_t>(uniform01(g) * static_cast<double>(n));
}

}  // namespace poles::select
