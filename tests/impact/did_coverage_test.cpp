// The bootstrap clustered at the pôle against a seeded Monte Carlo (200 panels): a test of the
// method's coverage, labelled slow (the sanitizer stage runs the clustering's unit tests of
// did_test.cpp instead).
#include <gtest/gtest.h>

#include <iostream>

#include "impact/did.h"
#include "pole_panel.h"

namespace poles::impact {
namespace {

// Coverage of the overall ATT's 95 % interval over 200 seeded panels with pôle-level shocks:
// with the bootstrap clustered at the pôle (R did's clustervars, the pôles' influence summed),
// within 93–97 %; drawn by firm, as if firms were independent, far below. The analytic errors on
// the pôles' influence agree with the clustered bootstrap.
TEST(CallawaySantAnna, BootstrapClusteredAtThePoleCoversWithPoleLevelShocks) {
  std::mt19937_64 rng(20261201);
  int covered_pole = 0, covered_firm = 0;
  constexpr int kPanels = 200;
  double ratio = 0;
  for (int rep = 0; rep < kPanels; ++rep) {
    DidData d = pole_shocked_panel(rng);
    const DidOptions o{
        ControlGroup::kNeverTreated, BasePeriod::kVarying, DidMethod::kRegression, 0, {}};
    auto clustered = att_gt(d, o);
    ASSERT_TRUE(clustered.has_value()) << clustered.error().to_string();
    ASSERT_EQ(clustered->clusters, 60 + 300);
    d.cluster.clear();
    auto by_firm = att_gt(d, o);
    ASSERT_TRUE(by_firm.has_value()) << by_firm.error().to_string();
    EXPECT_EQ(by_firm->clusters, 0);
    DidInferenceOptions io;
    io.bootstrap = 199;
    io.seed = static_cast<uint64_t>(rep) + 1;
    auto pole = did_inference(*clustered, io);
    auto firm = did_inference(*by_firm, io);
    ASSERT_TRUE(pole.has_value() && firm.has_value());
    const Interval& a = pole->aggregations[0].overall;
    const Interval& b = firm->aggregations[0].overall;
    EXPECT_EQ(a.estimate, b.estimate);  // the clusters change the errors only
    covered_pole += a.low <= 1 && 1 <= a.high;
    covered_firm += b.low <= 1 && 1 <= b.high;
    io.bootstrap = 0;
    auto analytic = did_inference(*clustered, io);
    ASSERT_TRUE(analytic.has_value());
    ratio += analytic->aggregations[0].overall.se / a.se / kPanels;
  }
  const double pole_rate = static_cast<double>(covered_pole) / kPanels;
  const double firm_rate = static_cast<double>(covered_firm) / kPanels;
  std::cout << "coverage clustered at the pôle " << pole_rate << ", by firm " << firm_rate
            << "; analytic / bootstrap SE " << ratio << "\n";
  EXPECT_GE(pole_rate, 0.93);
  EXPECT_LE(pole_rate, 0.97);
  EXPECT_LT(firm_rate, 0.80);
  EXPECT_NEAR(ratio, 1, 0.05);
}

}  // namespace
}  // namespace poles::impact
