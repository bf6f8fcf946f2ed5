// Conflicts of interest between reviewers and proposals, detected from the data rather than
// declared: the reviewer's organisation is on the applicant side, belongs to the same group (same
// group head SIREN), or took part in a project with an applicant-side organisation within the
// last N years before the call.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "select/call.h"

namespace poles::select {

enum class ConflictKind : uint8_t { kSameOrganisation, kSameGroup, kCoParticipation };
std::string_view to_string(
    ConflictKind k);  // "same_organisation", "same_group", "co_participation"

struct Conflict {
  int32_t proposal = -1;  // proposal row
  int32_t reviewer = -1;  // reviewer row
  ConflictKind kind = ConflictKind::kSameOrganisation;
  int32_t organisation = -1;  // the applicant-side organisation concerned
  int32_t project = -1;       // co-participation: the shared project (the most recent one)
  int year = 0;               // co-participation: last active year of that project
};

struct ConflictOptions {
  int years = 3;  // co-participation counts when the shared project ran within this many years
                  // before the call's year (or ran later); calls without a year use every project
};

// Every conflict between the call's proposals and all reviewers, one per (proposal, reviewer)
// pair, the strongest reason kept (same organisation > same group > co-participation); sorted by
// proposal then reviewer.
std::vector<Conflict> find_conflicts(const snapshot::Snapshot& s, const CallData& call,
                                     const ConflictOptions& o = {});

// conflicted[p][r] for the call's i-th proposal (index in call.proposals) and reviewer row r.
std::vector<std::vector<uint8_t>> conflict_matrix(const snapshot::Snapshot& s, const CallData& call,
                                                  const std::vector<Conflict>& conflicts);

}  // namespace poles::select
