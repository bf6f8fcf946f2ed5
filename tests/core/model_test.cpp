#include "core/model.h"

#include <gtest/gtest.h>

namespace poles {
namespace {

struct SizeCase {
  double headcount;
  std::optional<double> turnover, balance;
  SizeClass expected;
};

TEST(Model, SizeClassFollowsDecree20081354) {
  const SizeCase cases[] = {
      {5, 1e6, 1e6, SizeClass::kTpe},
      {9, 3e6, 1.5e6, SizeClass::kTpe},  // balance sheet alone suffices
      {9, 3e6, 3e6, SizeClass::kPme},    // both above 2 M€: not micro
      {10, 1e6, 1e6, SizeClass::kPme},
      {249, 50e6, 100e6, SizeClass::kPme},
      {249, 60e6, 43e6, SizeClass::kPme},
      {249, 60e6, 50e6, SizeClass::kEti},  // < 250 people but both financial ceilings exceeded
      {250, 10e6, 10e6, SizeClass::kEti},
      {4999, 1.5e9, 3e9, SizeClass::kEti},
      {4999, 2e9, 3e9, SizeClass::kGe},
      {5000, 1e6, 1e6, SizeClass::kGe},
      {3, std::nullopt, std::nullopt, SizeClass::kTpe},  // headcount alone
      {120, std::nullopt, 80e6, SizeClass::kEti},        // only balance known, above 43 M€
  };
  for (const auto& c : cases) {
    EXPECT_EQ(classify_size(c.headcount, c.turnover, c.balance), c.expected)
        << c.headcount << " " << c.turnover.value_or(-1) << " " << c.balance.value_or(-1);
  }
}

TEST(Model, LifecycleTransitions) {
  using S = ProjectStatus;
  struct Case {
    S from, to;
    bool legal;
  };
  const Case cases[] = {
      {S::kIdea, S::kSubmitted, true},
      {S::kSubmitted, S::kLabelled, true},
      {S::kLabelled, S::kFunded, true},
      {S::kFunded, S::kRunning, true},
      {S::kRunning, S::kCompleted, true},
      {S::kCompleted, S::kOnMarket, true},
      {S::kIdea, S::kRunning, true},  // unrecorded stages may be skipped
      {S::kSubmitted, S::kRejected, true},
      {S::kLabelled, S::kRejected, true},
      {S::kRunning, S::kAbandoned, true},
      {S::kIdea, S::kAbandoned, true},
      {S::kRunning, S::kLabelled, false},  // never backwards
      {S::kFunded, S::kRejected, false},   // a funded project is no longer rejected
      {S::kCompleted, S::kAbandoned, false},
      {S::kRejected, S::kFunded, false},  // final statuses are final
      {S::kOnMarket, S::kCompleted, false},
      {S::kAbandoned, S::kRunning, false},
      {S::kFunded, S::kFunded, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(is_legal_transition(c.from, c.to), c.legal)
        << kProjectStatusCodes[static_cast<size_t>(c.from)] << " -> "
        << kProjectStatusCodes[static_cast<size_t>(c.to)];
  }
  EXPECT_TRUE(is_final(S::kOnMarket));
  EXPECT_FALSE(is_final(S::kCompleted));
}

TEST(Model, FindCode) {
  EXPECT_EQ(find_code(kFunderKindCodes, "feder"), 5);
  EXPECT_EQ(find_code(kFunderKindCodes, "Feder"), std::nullopt);
}

}  // namespace
}  // namespace poles
