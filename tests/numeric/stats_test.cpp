// The shared numerics, on values worked out by hand (quantiles as R's quantile(type = 7)).
#include "numeric/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace poles::numeric {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Median, MiddleValueOrMeanOfTheTwoMiddleOnes) {
  EXPECT_DOUBLE_EQ(median({7, 1, 3}), 3);
  EXPECT_DOUBLE_EQ(median({10, 2, 8, 4}), 6);  // (4 + 8) / 2, from unsorted input
  EXPECT_DOUBLE_EQ(median({5}), 5);
  EXPECT_DOUBLE_EQ(median({2, 2, 9, 2}), 2);
  EXPECT_TRUE(std::isnan(median({})));
}

TEST(Quantile, InterpolatesAsRType7) {
  // R: quantile(c(1, 3, 4, 10), c(0.05, 0.25, 0.5, 0.95)) = 1.30 2.50 3.50 9.10
  EXPECT_DOUBLE_EQ(quantile({10, 1, 4, 3}, 0.05), 1.3);
  EXPECT_DOUBLE_EQ(quantile({10, 1, 4, 3}, 0.25), 2.5);
  EXPECT_DOUBLE_EQ(quantile({10, 1, 4, 3}, 0.5), 3.5);
  EXPECT_NEAR(quantile({10, 1, 4, 3}, 0.95), 9.1, 1e-12);
  const std::vector<double> sorted = {1, 3, 4, 10};
  EXPECT_DOUBLE_EQ(quantile_sorted(sorted, 0), 1);
  EXPECT_DOUBLE_EQ(quantile_sorted(sorted, 1), 10);
  EXPECT_TRUE(std::isnan(quantile({}, 0.5)));
}

TEST(Ranks, HighestFirstTiesShareTheBestRankNanLast) {
  EXPECT_EQ(ranks(std::vector<double>{0.2, 0.9, 0.5}), (std::vector<int>{3, 1, 2}));
  EXPECT_EQ(ranks(std::vector<double>{3, kNaN, 5, 3}), (std::vector<int>{2, 4, 1, 2}));
  EXPECT_EQ(ranks(std::vector<double>{kNaN, kNaN}), (std::vector<int>{1, 2}));
  EXPECT_TRUE(ranks(std::vector<double>{}).empty());
}

}  // namespace
}  // namespace poles::numeric
