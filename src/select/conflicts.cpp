#include "select/conflicts.h"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "core/date.h"
#include "network/graph.h"

namespace poles::select {

using snapshot::Column;
using snapshot::Snapshot;
using snapshot::Table;

std::string_view to_string(ConflictKind k) {
  switch (k) {
    case ConflictKind::kSameOrganisation:
      return "same_organisation";
    case ConflictKind::kSameGroup:
      return "same_group";
    case ConflictKind::kCoParticipation:
      return "co_participation";
  }
  return "";
}

namespace {

// Group key of an organisation: its group head's SIREN, else its own SIREN, else "" (none).
std::string_view group_of(const Table& orgs, int32_t o) {
  const auto r = static_cast<size_t>(o);
  const auto head = orgs.column("group_siren").text(r);
  return head.empty() ? orgs.column("siren").text(r) : head;
}

// Last year a project was active: its end date, else its start, else its first label's year.
int last_active_year(const Snapshot& s, int32_t p) {
  const Table& projects = s.table("project");
  const Column& end = projects.column("end_date");
  if (!end.is_null(static_cast<size_t>(p)))
    return Date::from_days(end.ints[static_cast<size_t>(p)]).year;
  return network::project_year(s, p);
}

}  // namespace

std::vector<Conflict> find_conflicts(const Snapshot& s, const CallData& call,
                                     const ConflictOptions& o) {
  const Table& orgs = s.table("organisation");
  const Table& reviewers = s.table("reviewer");
  const Column& reviewer_org = reviewers.column("organisation_id");
  const Table& parts = s.table("participation");
  const Column& pp = parts.column("project_id");
  const Column& po = parts.column("organisation_id");

  // Projects of each organisation, and participants of each project.
  std::unordered_map<int32_t, std::vector<int32_t>> projects_of;
  for (size_t i = 0; i < parts.rows; ++i) projects_of[po.codes[i]].push_back(pp.codes[i]);
  const auto members = project_participants(s);
  std::vector<int> year_cache(members.size(), -1);
  auto year_of = [&](int32_t p) {
    auto& y = year_cache[static_cast<size_t>(p)];
    if (y < 0) y = last_active_year(s, p);
    return y;
  };
  const int since = call.year == 0 ? 0 : call.year - o.years;

  // For each reviewer: partners within the window -> (project, year) of the latest shared one.
  std::vector<std::unordered_map<int32_t, std::pair<int32_t, int>>> partners(reviewers.rows);
  for (size_t r = 0; r < reviewers.rows; ++r) {
    const int32_t ro = reviewer_org.codes[r];
    if (ro < 0) continue;
    auto it = projects_of.find(ro);
    if (it == projects_of.end()) continue;
    for (int32_t p : it->second) {
      const int y = year_of(p);
      if (call.year != 0 && y != 0 && y < since) continue;
      for (int32_t m : members[static_cast<size_t>(p)]) {
        if (m == ro) continue;
        auto [slot, fresh] = partners[r].try_emplace(m, p, y);
        if (!fresh && y > slot->second.second) slot->second = {p, y};
      }
    }
  }

  std::vector<Conflict> out;
  for (int32_t prop : call.proposals) {
    const auto side = proposal_organisations(s, prop, members);
    for (size_t r = 0; r < reviewers.rows; ++r) {
      const int32_t ro = reviewer_org.codes[r];
      if (ro < 0) continue;
      std::optional<Conflict> best;
      auto consider = [&](Conflict c) {
        if (!best || c.kind < best->kind) best = c;
      };
      const auto rg = group_of(orgs, ro);
      for (int32_t a : side) {
        const Conflict base{
            .proposal = prop, .reviewer = static_cast<int32_t>(r), .organisation = a};
        if (a == ro) {
          Conflict c = base;
          c.kind = ConflictKind::kSameOrganisation;
          consider(c);
        } else if (!rg.empty() && rg == group_of(orgs, a)) {
          Conflict c = base;
          c.kind = ConflictKind::kSameGroup;
          consider(c);
        } else if (auto it = partners[r].find(a); it != partners[r].end()) {
          Conflict c = base;
          c.kind = ConflictKind::kCoParticipation;
          c.project = it->second.first;
          c.year = it->second.second;
          if (!best || (best->kind == ConflictKind::kCoParticipation && c.year > best->year))
            best = c;
        }
      }
      if (best) out.push_back(*best);
    }
  }
  return out;
}

std::vector<std::vector<uint8_t>> conflict_matrix(const Snapshot& s, const CallData& call,
                                                  const std::vector<Conflict>& conflicts) {
  std::vector<std::vector<uint8_t>> m(call.proposals.size(),
                                      std::vector<uint8_t>(s.table("reviewer").rows, 0));
  std::map<int32_t, size_t> index;
  for (size_t i = 0; i < call.proposals.size(); ++i) index[call.proposals[i]] = i;
  for (const auto& c : conflicts) {
    if (auto it = index.find(c.proposal); it != index.end())
      m[it->second][static_cast<size_t>(c.reviewer)] = 1;
  }
  return m;
}

}  // namespace poles::select
