// The follow-up of a decision's triggers at the next evaluation (app/decisions.h), by hand.
#include "app/decisions.h"

#include <gtest/gtest.h>

namespace poles::app {
namespace {

EvaluationDecisionTrigger decision_criterion(std::string id, std::string direction, double value) {
  EvaluationDecisionTrigger t;
  t.kind = "criterion";
  t.id = std::move(id);
  t.indicator = "members";
  t.direction = std::move(direction);
  t.value = value;
  return t;
}

EvaluationDecisionTrigger decision_target(std::string indicator, double threshold, double value) {
  EvaluationDecisionTrigger t;
  t.kind = "target";
  t.id = t.indicator = std::move(indicator);
  t.direction = "higher";
  t.threshold = threshold;
  t.value = value;
  return t;
}

TEST(DecisionFollowUp, EachTriggerReadInTheLaterEvaluation) {
  std::vector<EvaluationDecisionTrigger> t = {
      decision_criterion("floor", "higher", 10), decision_criterion("ceiling", "lower", 0.5),
      decision_criterion("stuck", "higher", 4), decision_target("members", 100, 80)};
  const auto later = tj::Json::parse(R"({
    "cluster": "aero",
    "criteria": [
      {"id": "floor", "value": 12, "met": false},
      {"id": "ceiling", "value": 0.6, "met": false},
      {"id": "stuck", "value": 4, "met": false}],
    "targets": [{"indicator": "members", "target": 100, "value": 104, "met": true}]})");
  EXPECT_EQ(follow_up(t, &later), "improved") << "one met, one improved";
  EXPECT_EQ(t[0].outcome, "improved") << "10 -> 12, a floor still failed";
  EXPECT_EQ(*t[0].value_after, 12);
  EXPECT_EQ(*t[0].met_after, false);
  EXPECT_EQ(t[1].outcome, "not_improved") << "lower is better: 0.5 -> 0.6 is worse";
  EXPECT_EQ(t[2].outcome, "not_improved") << "no change is no progress";
  EXPECT_EQ(t[3].outcome, "met");
  EXPECT_EQ(*t[3].value_after, 104);
}

TEST(DecisionFollowUp, AllMetNoneImprovedUnknownAndNoTrigger) {
  std::vector<EvaluationDecisionTrigger> t = {decision_target("members", 100, 80)};
  const auto met = tj::Json::parse(
      R"({"criteria": [], "targets": [{"indicator": "members", "value": 120, "met": true}]})");
  EXPECT_EQ(follow_up(t, &met), "met");
  const auto worse =
      tj::Json::parse(R"({"targets": [{"indicator": "members", "value": 70, "met": false}]})");
  EXPECT_EQ(follow_up(t, &worse), "not_improved");
  // The target is no longer in the contract, or its value is unknown there: unknown.
  const auto gone = tj::Json::parse(R"({"targets": []})");
  EXPECT_EQ(follow_up(t, &gone), "unknown");
  EXPECT_EQ(t[0].outcome, "unknown");
  EXPECT_FALSE(t[0].value_after);
  const auto unknown =
      tj::Json::parse(R"({"targets": [{"indicator": "members", "value": null, "met": null}]})");
  EXPECT_EQ(follow_up(t, &unknown), "unknown");
  // The cluster is not in the later evaluation (no longer labelled).
  EXPECT_EQ(follow_up(t, nullptr), "unknown");
  std::vector<EvaluationDecisionTrigger> none;
  EXPECT_EQ(follow_up(none, &met), "no_trigger");
}

// A missing value before, an improvement cannot be told: still failed is not_improved.
TEST(DecisionFollowUp, WithoutTheEarlierValueAFailureIsNotAnImprovement) {
  auto c = decision_criterion("floor", "higher", 0);
  c.value.reset();
  std::vector<EvaluationDecisionTrigger> t = {c};
  const auto later =
      tj::Json::parse(R"({"criteria": [{"id": "floor", "value": 50, "met": false}]})");
  EXPECT_EQ(follow_up(t, &later), "not_improved");
}

}  // namespace
}  // namespace poles::app
