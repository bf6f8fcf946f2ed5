// The primary rule of statistical secrecy, on cells computed by hand.
#include "secrecy/rule.h"

#include <gtest/gtest.h>

#include <string>

namespace poles::secrecy {
namespace {

TEST(SecrecyRule, ThreeFirmsAtLeastAndNoneAbove85Percent) {
  EXPECT_EQ(primary(2, 100, 40), Verdict::kTooFewFirms);
  EXPECT_EQ(primary(3, 100, 85), Verdict::kPublish);  // 85 % exactly: published
  EXPECT_EQ(primary(3, 100, 85.01), Verdict::kDominated);
  EXPECT_EQ(primary(3, 0, 0), Verdict::kPublish);  // three zeros
  EXPECT_EQ(primary(5, 100, 20, Rule{6, 0.85}), Verdict::kTooFewFirms);
  EXPECT_EQ(primary(5, 100, 60, Rule{3, 0.5}), Verdict::kDominated);
}

TEST(SecrecyRule, ACellSumsEachFirmFirst) {
  Cell<std::string> c;
  c.add("a", 50);
  c.add("a", 40);  // one firm twice: one contribution of 90
  c.add("b", 5);
  c.add("c", 5);
  EXPECT_EQ(c.firms(), 3u);
  EXPECT_DOUBLE_EQ(c.sum(), 100);
  EXPECT_EQ(c.verdict(), Verdict::kDominated);  // a holds 90 %
  c.add("d", 30);
  EXPECT_EQ(c.verdict(), Verdict::kPublish);  // 90 of 130: 69 %
  Cell<int> negative;
  negative.add(1, -50);
  negative.add(2, 45);
  negative.add(3, 5);
  EXPECT_EQ(negative.verdict(), Verdict::kPublish);  // shares of the absolute value: 50 %
}

}  // namespace
}  // namespace poles::secrecy
