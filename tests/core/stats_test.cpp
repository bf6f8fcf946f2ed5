#include "core/stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace poles {
namespace {

TEST(Median, MiddleValueOrMeanOfTheTwoMiddleOnes) {
  EXPECT_DOUBLE_EQ(median({7, 1, 3}), 3);
  EXPECT_DOUBLE_EQ(median({10, 2, 8, 4}), 6);  // (4 + 8) / 2, from unsorted input
  EXPECT_DOUBLE_EQ(median({5}), 5);
  EXPECT_DOUBLE_EQ(median({2, 2, 9, 2}), 2);
  EXPECT_TRUE(std::isnan(median({})));
}

}  // namespace
}  // namespace poles
