#include "select/call.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/date.h"
#include "network/graph.h"

namespace poles::select {

using snapshot::Column;
using snapshot::Snapshot;
using snapshot::Table;

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t bar = std::min(text.find('|', start), text.size());
    auto item = text.substr(start, bar - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    start = bar + 1;
  }
  return out;
}

Result<std::vector<Criterion>> parse_criteria(std::string_view text) {
  std::vector<Criterion> out;
  double total = 0;
  for (const auto& item : split_list(text)) {
    const size_t colon = item.find(':');
    Criterion c{.name = item.substr(0, colon), .weight = 1};
    if (colon != std::string::npos) {
      const std::string w = item.substr(colon + 1);
      auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), c.weight);
      if (ec != std::errc{} || end != w.data() + w.size() || !(c.weight > 0) ||
          !std::isfinite(c.weight)) {
        return Status::invalid_argument(fmt::format(
            "criteria '{}': weight '{}' of '{}' is not a positive number", text, w, c.name));
      }
    }
    if (std::any_of(out.begin(), out.end(), [&](const Criterion& o) { return o.name == c.name; })) {
      return Status::invalid_argument(
          fmt::format("criteria '{}': '{}' is listed twice", text, c.name));
    }
    total += c.weight;
    out.push_back(std::move(c));
  }
  for (auto& c : out) c.weight /= total;
  return out;
}

std::vector<int> call_years(const Snapshot& s) {
  const Table& calls = s.table("call");
  const Column& close = calls.column("close_date");
  const Column& open = calls.column("open_date");
  std::vector<int> out(calls.rows, 0);
  for (size_t c = 0; c < calls.rows; ++c) {
    if (!close.is_null(c)) {
      out[c] = Date::from_days(close.ints[c]).year;
    } else if (!open.is_null(c)) {
      out[c] = Date::from_days(open.ints[c]).year;
    }
  }
  return out;
}

Result<CallData> load_call(const Snapshot& s, std::string_view id) {
  const Table& calls = s.table("call");
  const int32_t row = calls.find(id);
  if (row < 0) return Status::not_found(fmt::format("no call '{}'", id));
  const auto r = static_cast<size_t>(row);
  CallData c;
  c.row = row;
  c.id = std::string(id);
  c.programme = std::string(calls.column("programme").text(r));
  c.year = call_years(s)[r];
  auto real = [&](const char* f, double fallback) {
    const double v = calls.column(f).reals[r];
    return std::isnan(v) ? fallback : v;
  };
  auto integer = [&](const char* f, int fallback) {
    const Column& col = calls.column(f);
    return col.is_null(r) ? fallback : static_cast<int>(col.ints[r]);
  };
  c.budget = real("budget", 0);
  c.min_funding_share = real("min_funding_share", 0);
  c.cap_per_cluster = real("cap_per_cluster", 0);
  c.min_sme_share = real("min_sme_share", 0);
  c.reviewers_per_proposal = integer("reviewers_per_proposal", 3);
  c.max_per_reviewer = integer("max_per_reviewer", 10);
  POLES_ASSIGN_OR_RETURN(c.criteria, parse_criteria(calls.column("criteria").text(r)));
  const Table& proposals = s.table("proposal");
  const Column& call_of = proposals.column("call_id");
  for (size_t p = 0; p < proposals.rows; ++p) {
    if (call_of.codes[p] == row) c.proposals.push_back(static_cast<int32_t>(p));
  }
  return c;
}

std::vector<CallCounts> call_counts(const Snapshot& s) {
  std::vector<CallCounts> out(s.table("call").rows);
  const Column& call_of = s.table("proposal").column("call_id");
  for (const auto call : call_of.codes) ++out[static_cast<size_t>(call)].proposals;
  // Rows of a table whose proposal_id is required: counted on the call of their proposal.
  auto count = [&](const char* table, int CallCounts::*field) {
    const Column& proposal = s.table(table).column("proposal_id");
    for (const auto p : proposal.codes)
      ++(out[static_cast<size_t>(call_of.codes[static_cast<size_t>(p)])].*field);
  };
  count("assignment", &CallCounts::assignments);
  count("review", &CallCounts::reviews);
  count("decision", &CallCounts::decisions);
  return out;
}

std::vector<std::vector<int32_t>> project_participants(const Snapshot& s) {
  std::vector<std::vector<int32_t>> members(s.table("project").rows);
  const Table& parts = s.table("participation");
  const Column& pp = parts.column("project_id");
  const Column& po = parts.column("organisation_id");
  for (size_t i = 0; i < parts.rows; ++i)
    members[static_cast<size_t>(pp.codes[i])].push_back(po.codes[i]);
  return members;
}

std::vector<int32_t> proposal_organisations(const Snapshot& s, int32_t proposal_row,
                                            const std::vector<std::vector<int32_t>>& participants) {
  const Table& proposals = s.table("proposal");
  const auto p = static_cast<size_t>(proposal_row);
  std::vector<int32_t> out{proposals.column("applicant_id").codes[p]};
  const int32_t project = proposals.column("project_id").codes[p];
  if (project >= 0) {
    const auto& m = participants[static_cast<size_t>(project)];
    out.insert(out.end(), m.begin(), m.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

ProposalColumns::ProposalColumns(const Snapshot& s)
    : requested_aid(s.table("proposal").column("requested_aid")),
      cluster(s.table("proposal").column("cluster_id")),
      themes(s.table("proposal").column("themes")),
      expected_products(s.table("proposal").column("expected_products")),
      applicant_(s.table("proposal").column("applicant_id")),
      sector_(s.table("proposal").column("sector")),
      reviewer_sectors_(s.table("reviewer").column("sectors")),
      reviewer_themes_(s.table("reviewer").column("themes")),
      orgs_(s) {}

bool ProposalColumns::sme_led(int32_t proposal_row) const {
  return orgs_.sme(applicant_.codes[static_cast<size_t>(proposal_row)]);
}

double ProposalColumns::affinity(int32_t proposal_row, int32_t reviewer_row) const {
  const auto p = static_cast<size_t>(proposal_row);
  const auto r = static_cast<size_t>(reviewer_row);
  double score = 0;
  const auto sector = sector_.text(p);
  if (!sector.empty()) {
    const auto sectors = split_list(reviewer_sectors_.text(r));
    if (std::find(sectors.begin(), sectors.end(), sector) != sectors.end()) score += 0.5;
  }
  auto pt = split_list(themes.text(p));
  auto rt = split_list(reviewer_themes_.text(r));
  std::sort(pt.begin(), pt.end());
  std::sort(rt.begin(), rt.end());
  std::vector<std::string> both, either;
  std::set_intersection(pt.begin(), pt.end(), rt.begin(), rt.end(), std::back_inserter(both));
  std::set_union(pt.begin(), pt.end(), rt.begin(), rt.end(), std::back_inserter(either));
  if (!either.empty())
    score += 0.5 * static_cast<double>(both.size()) / static_cast<double>(either.size());
  return score;
}

}  // namespace poles::select
