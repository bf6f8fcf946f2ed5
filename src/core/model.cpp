#include "core/model.h"

namespace poles {

std::optional<int> find_code(std::span<const std::string_view> names, std::string_view text) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return static_cast<int>(i);
  }
  return std::nullopt;
}

SizeClass classify_size(double headcount, std::optional<double> turnover,
                        std::optional<double> balance_sheet) {
  const auto financial_ok = [&](double max_turnover, double max_balance) {
    if (!turnover && !balance_sheet) return true;
    return (turnover && *turnover <= max_turnover) ||
           (balance_sheet && *balance_sheet <= max_balance);
  };
  if (headcount < 10 && financial_ok(2e6, 2e6)) return SizeClass::kTpe;
  if (headcount < 250 && financial_ok(50e6, 43e6)) return SizeClass::kPme;
  if (headcount < 5000 && financial_ok(1.5e9, 2e9)) return SizeClass::kEti;
  return SizeClass::kGe;
}

namespace {

using S = ProjectStatus;
constexpr std::array kFromIdea = {S::kSubmitted, S::kAbandoned};
constexpr std::array kFromSubmitted = {S::kLabelled, S::kRejected, S::kAbandoned};
constexpr std::array kFromLabelled = {S::kFunded, S::kRejected, S::kAbandoned};
constexpr std::array kFromFunded = {S::kRunning, S::kAbandoned};
constexpr std::array kFromRunning = {S::kCompleted, S::kAbandoned};
constexpr std::array kFromCompleted = {S::kOnMarket};

}  // namespace

std::span<const ProjectStatus> next_statuses(ProjectStatus from) {
  switch (from) {
    case S::kIdea:
      return kFromIdea;
    case S::kSubmitted:
      return kFromSubmitted;
    case S::kLabelled:
      return kFromLabelled;
    case S::kFunded:
      return kFromFunded;
    case S::kRunning:
      return kFromRunning;
    case S::kCompleted:
      return kFromCompleted;
    default:
      return {};
  }
}

bool is_final(ProjectStatus s) {
  return s == S::kOnMarket || s == S::kRejected || s == S::kAbandoned;
}

bool is_legal_transition(ProjectStatus from, ProjectStatus to) {
  // Depth-first search over a 9-node DAG.
  for (ProjectStatus next : next_statuses(from)) {
    if (next == to || is_legal_transition(next, to)) return true;
  }
  return false;
}

}  // namespace poles
