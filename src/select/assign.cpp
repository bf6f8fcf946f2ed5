#include "select/assign.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "numeric/milp.h"

namespace poles::select {

using numeric::kInf;
using numeric::Milp;

using snapshot::Snapshot;

namespace {

// Penalty per missing reviewer: larger than any total affinity gain (affinity <= 1 per pair).
double shortage_penalty(size_t proposals, int k) {
  return 10.0 * static_cast<double>(proposals) * k + 10.0;
}

struct Program {
  std::vector<Assignment::Pair> candidates;
  std::vector<int> missing;  // per proposal index: reviewers missing
  double total = 0;
  bool optimal = false;
  size_t variables = 0;
};

// Solves the program over the given candidate pairs (by proposal index); slack columns absorb
// what cannot be covered, at a penalty that makes covering always worth more than matching.
Result<Program> solve(const std::vector<std::vector<Assignment::Pair>>& cand,
                      const std::vector<int>& capacity, int k, double time_limit) {
  Milp m;
  m.maximise();
  const double penalty = shortage_penalty(cand.size(), k);
  Program out;
  std::vector<std::vector<int>> by_reviewer(capacity.size());
  std::vector<int> slack(cand.size());
  std::vector<std::vector<int>> cols(cand.size());
  for (size_t i = 0; i < cand.size(); ++i) {
    for (const auto& pair : cand[i]) {
      const int c = m.add_column(pair.affinity, 0, 1, true);
      cols[i].push_back(c);
      by_reviewer[static_cast<size_t>(pair.reviewer)].push_back(c);
      out.candidates.push_back(pair);
    }
    slack[i] = m.add_column(-penalty, 0, k, true);
    std::vector<int> row = cols[i];
    row.push_back(slack[i]);
    m.add_row(row, std::vector<double>(row.size(), 1.0), k, k);
  }
  for (size_t r = 0; r < capacity.size(); ++r) {
    if (by_reviewer[r].empty()) continue;
    m.add_row(by_reviewer[r], std::vector<double>(by_reviewer[r].size(), 1.0), -kInf, capacity[r]);
  }
  out.variables = m.columns();
  POLES_ASSIGN_OR_RETURN(auto sol, m.solve(time_limit));
  out.optimal = sol.optimal;
  std::vector<Assignment::Pair> chosen;
  size_t flat = 0;
  out.missing.assign(cand.size(), 0);
  for (size_t i = 0; i < cand.size(); ++i) {
    for (size_t j = 0; j < cand[i].size(); ++j, ++flat) {
      if (sol.x[static_cast<size_t>(cols[i][j])] > 0.5) {
        chosen.push_back(cand[i][j]);
        out.total += cand[i][j].affinity;
      }
    }
    out.missing[i] = static_cast<int>(std::lround(sol.x[static_cast<size_t>(slack[i])]));
  }
  out.candidates = std::move(chosen);
  return out;
}

}  // namespace

Result<Assignment> assign_reviewers(const Snapshot& s, const CallData& call,
                                    const AssignOptions& o) {
  const auto& reviewers = s.table("reviewer");
  const int k =
      o.reviewers_per_proposal > 0 ? o.reviewers_per_proposal : call.reviewers_per_proposal;
  const int L = o.max_per_reviewer > 0 ? o.max_per_reviewer : call.max_per_reviewer;
  if (k < 1)
    return Status::invalid_argument(
        fmt::format("reviewers per proposal must be at least 1, not {}", k));
  if (L < 1)
    return Status::invalid_argument(
        fmt::format("the maximum per reviewer must be at least 1, not {}", L));

  Assignment a;
  a.k = k;
  a.max_load = L;
  a.conflicts = find_conflicts(s, call, o.conflicts);
  const auto conflicted = conflict_matrix(s, call, a.conflicts);
  a.capacity.assign(reviewers.rows, L);
  const auto& own = reviewers.column("max_load");
  for (size_t r = 0; r < reviewers.rows; ++r) {
    if (!own.is_null(r)) a.capacity[r] = std::min(L, static_cast<int>(own.ints[r]));
  }

  // Eligible pairs, best match first; ties broken by a fixed spread so load is shared.
  const size_t n = call.proposals.size();
  const ProposalColumns cols(s);
  std::vector<std::vector<Assignment::Pair>> eligible(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t r = 0; r < reviewers.rows; ++r) {
      if (conflicted[i][r] || a.capacity[r] <= 0) continue;
      eligible[i].push_back({call.proposals[i], static_cast<int32_t>(r),
                             cols.affinity(call.proposals[i], static_cast<int32_t>(r))});
    }
    std::stable_sort(eligible[i].begin(), eligible[i].end(), [&](const auto& x, const auto& y) {
      if (x.affinity != y.affinity) return x.affinity > y.affinity;
      return (static_cast<size_t>(x.reviewer) + i) % reviewers.rows <
             (static_cast<size_t>(y.reviewer) + i) % reviewers.rows;
    });
  }
  auto restricted = eligible;
  if (o.candidates > 0) {
    for (auto& c : restricted) {
      if (c.size() > static_cast<size_t>(o.candidates)) c.resize(static_cast<size_t>(o.candidates));
    }
  }
  POLES_ASSIGN_OR_RETURN(auto prog, solve(restricted, a.capacity, k, o.time_limit_seconds));
  // A proposal left short among its candidates may find room with all eligible reviewers, and
  // others may need to move to make it: solve again over every eligible pair.
  bool widen = false;
  for (size_t i = 0; i < n; ++i)
    widen |= prog.missing[i] > 0 && restricted[i].size() < eligible[i].size();
  if (widen) {
    POLES_ASSIGN_OR_RETURN(prog, solve(eligible, a.capacity, k, o.time_limit_seconds));
  }
  a.pairs = std::move(prog.candidates);
  std::sort(a.pairs.begin(), a.pairs.end(), [](const auto& x, const auto& y) {
    return std::pair(x.proposal, x.reviewer) < std::pair(y.proposal, y.reviewer);
  });
  a.total_affinity = prog.total;
  a.mean_affinity = a.pairs.empty() ? 0.0 : a.total_affinity / static_cast<double>(a.pairs.size());
  a.optimal = prog.optimal;
  a.variables = prog.variables;
  a.load.assign(reviewers.rows, 0);
  for (const auto& p : a.pairs) ++a.load[static_cast<size_t>(p.reviewer)];

  for (size_t i = 0; i < n; ++i) {
    if (prog.missing[i] == 0) continue;
    Assignment::Shortage sh;
    sh.proposal = call.proposals[i];
    sh.assigned = k - prog.missing[i];
    sh.eligible = static_cast<int>(eligible[i].size());
    sh.conflicted =
        static_cast<int>(std::count(conflicted[i].begin(), conflicted[i].end(), uint8_t{1}));
    if (sh.eligible < k) {
      sh.why = fmt::format(
          "only {} of {} reviewers can review it ({} have a conflict of interest, {} have no "
          "capacity); {} needed",
          sh.eligible, reviewers.rows, sh.conflicted,
          reviewers.rows - static_cast<size_t>(sh.eligible) - static_cast<size_t>(sh.conflicted),
          k);
    } else {
      sh.why = fmt::format(
          "its {} eligible reviewers are all at their maximum load ({} or less) with other "
          "proposals; "
          "raise the maximum per reviewer or add reviewers",
          sh.eligible, L);
    }
    a.shortages.push_back(std::move(sh));
  }
  return a;
}

std::vector<std::pair<int32_t, int32_t>> reviewed_but_unassigned(const Snapshot& s,
                                                                 const CallData& call,
                                                                 const Assignment& a) {
  std::set<std::pair<int32_t, int32_t>> assigned;
  for (const auto& pair : a.pairs) assigned.emplace(pair.proposal, pair.reviewer);
  std::set<std::pair<int32_t, int32_t>> out;
  const auto& reviews = s.table("review");
  const auto& rp = reviews.column("proposal_id");
  const auto& rr = reviews.column("reviewer_id");
  for (size_t i = 0; i < reviews.rows; ++i) {
    if (!std::binary_search(call.proposals.begin(), call.proposals.end(), rp.codes[i])) continue;
    if (!assigned.contains({rp.codes[i], rr.codes[i]})) out.emplace(rp.codes[i], rr.codes[i]);
  }
  return {out.begin(), out.end()};
}

std::vector<ReviewerTask> reviewer_tasks(const Snapshot& s, int32_t reviewer) {
  std::map<int32_t, ReviewerTask> mine;
  auto task = [&](int32_t proposal) -> ReviewerTask& {
    auto& t = mine[proposal];
    t.proposal = proposal;
    return t;
  };
  const auto& assignments = s.table("assignment");
  const auto& ap = assignments.column("proposal_id");
  const auto& ar = assignments.column("reviewer_id");
  const auto& date = assignments.column("date");
  for (size_t i = 0; i < assignments.rows; ++i) {
    if (ar.codes[i] != reviewer) continue;
    auto& t = task(ap.codes[i]);
    if (!date.is_null(i)) t.assigned_on = date.ints[i];
  }
  const auto& reviews = s.table("review");
  const auto& rp = reviews.column("proposal_id");
  const auto& rr = reviews.column("reviewer_id");
  const auto& criterion = reviews.column("criterion");
  const auto& score = reviews.column("score");
  for (size_t i = 0; i < reviews.rows; ++i) {
    if (rr.codes[i] != reviewer) continue;
    task(rp.codes[i]).scores[std::string(criterion.text(i))] = score.reals[i];
  }
  std::vector<ReviewerTask> out;
  out.reserve(mine.size());
  for (auto& [p, t] : mine) out.push_back(std::move(t));
  return out;
}

}  // namespace poles::select
