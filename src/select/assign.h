// Reviewer assignment as an integer program (CBC): every proposal of a call gets k reviewers, no
// reviewer more than L proposals (the call's maximum, lowered by the reviewer's own max_load), no
// reviewer with a conflict of interest, total expertise match maximised. When no assignment can
// give every proposal k reviewers, the program still returns the best partial assignment and says
// which proposals lack reviewers and why, instead of just "infeasible".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "select/call.h"
#include "select/conflicts.h"

namespace poles::select {

struct AssignOptions {
  int reviewers_per_proposal = 0;  // k; 0: the call's
  int max_per_reviewer = 0;        // L; 0: the call's
  // Only the `candidates` best-matching eligible reviewers of each proposal enter the program
  // (0: all). A proposal left short is re-solved with all its eligible reviewers, so this never
  // turns a feasible call infeasible; it keeps large calls small.
  int candidates = 40;
  double time_limit_seconds = 60;
  ConflictOptions conflicts;
};

struct Assignment {
  struct Pair {
    int32_t proposal = -1;  // proposal row
    int32_t reviewer = -1;  // reviewer row
    double affinity = 0;
  };
  std::vector<Pair> pairs;  // sorted by proposal, then reviewer
  double total_affinity = 0;
  double mean_affinity = 0;  // per pair (0 without pairs)
  bool optimal = false;
  int k = 0, max_load = 0;
  std::vector<int> load;      // per reviewer row: proposals assigned
  std::vector<int> capacity;  // per reviewer row: L, or its own max_load when lower
  struct Shortage {
    int32_t proposal = -1;
    int assigned = 0;    // reviewers it got (< k)
    int eligible = 0;    // reviewers without conflict and with some capacity
    int conflicted = 0;  // reviewers excluded by a conflict of interest
    std::string why;     // in words
  };
  std::vector<Shortage> shortages;  // empty when every proposal has k reviewers
  size_t variables = 0;             // size of the last program solved
  std::vector<Conflict> conflicts;  // the conflicts that were excluded
};

Result<Assignment> assign_reviewers(const snapshot::Snapshot& s, const CallData& call,
                                    const AssignOptions& o = {});

// The reviews already written on the call's proposals by reviewers that `a` does not assign to
// them (a new assignment keeps them): (proposal row, reviewer row), unique, ascending.
std::vector<std::pair<int32_t, int32_t>> reviewed_but_unassigned(const snapshot::Snapshot& s,
                                                                 const CallData& call,
                                                                 const Assignment& a);

// One proposal on a reviewer's desk: assigned to them (an assignment row), or reviewed by them
// (also before assignments were recorded), with their own scores.
struct ReviewerTask {
  int32_t proposal = -1;                 // proposal row
  std::optional<int64_t> assigned_on;    // day number of the assignment's date (none: not
                                         // assigned, or assigned without a date)
  std::map<std::string, double> scores;  // criterion -> this reviewer's score
};
// The tasks of reviewer row `reviewer`, by proposal row; nothing about other reviewers.
std::vector<ReviewerTask> reviewer_tasks(const snapshot::Snapshot& s, int32_t reviewer);

}  // namespace poles::select
