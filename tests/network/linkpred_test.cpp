// The recommender judged on a real network (network/linkpred.h): CORDIS H2020's participations,
// train up to 2016, new partnerships of 2017-2020. The protocol's counts are checked against
// figures computed by hand from the files (with Python's csv module, see docs/network.md), and
// every method's precision@10 and AUC against an independent peer (tests/network/
// linkpred_peer.py: numpy, the same files) on a seeded sample of organisations.
#include "network/linkpred.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/typed_json.h"
#include "test_support.h"

namespace poles::network {
namespace {

constexpr const char* kH2020 = "data/cordis/h2020";

TEST(LinkPrediction, TheH2020ProtocolCountsAreTheFilesOwn) {
  POLES_REQUIRE_SHARED(kH2020);
  auto data = read_cordis_h2020(testing::shared_path(kH2020).string());
  ASSERT_TRUE(data.has_value()) << data.error().to_string();
  EXPECT_EQ(data->rows.size(), 144726u);
  LinkPredOptions o;
  o.sample = 40;
  auto r = judge_link_prediction(data->rows, data->parts, o);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  // By hand (Python's csv on the same files): 35,871 organisations; 12,349 projects of 2 to 50
  // organisations with a start year; the graph of those started up to 2016 has 15,645
  // organisations and 256,535 partnerships; 169,895 new ones in 2017-2020 between them, made by
  // 7,497 organisations.
  EXPECT_EQ(r->organisations, 35871u);
  EXPECT_EQ(r->projects, 12349u);
  EXPECT_EQ(r->train_nodes, 15645u);
  EXPECT_EQ(r->train_edges, 256535u);
  EXPECT_EQ(r->new_pairs, 169895u);
  EXPECT_EQ(r->evaluated, 40u);
}

TEST(LinkPrediction, EveryMethodAgreesWithAnIndependentPeer) {
  POLES_REQUIRE_SHARED(kH2020);
  auto data = read_cordis_h2020(testing::shared_path(kH2020).string());
  ASSERT_TRUE(data.has_value()) << data.error().to_string();
  LinkPredOptions o;
  o.sample = 120;
  o.seed = 7;
  auto r = judge_link_prediction(data->rows, data->parts, o);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ASSERT_EQ(r->methods.size(), 6u);
  testing::TempDir dir;
  testing::write_file(dir / "result.json", tj::to_json(*r).dump());
  const auto out = testing::run_command(
      "/usr/bin/python3 " + (testing::source_dir() / "tests/network/linkpred_peer.py").string() +
      " " + testing::shared_path(kH2020).string() + " " + (dir / "result.json").string() +
      " 120 7");
  ASSERT_EQ(out.status, 0) << out.output;
  const auto peer = nlohmann::json::parse(out.output);
  EXPECT_EQ(peer["train_nodes"].get<size_t>(), r->train_nodes);
  EXPECT_EQ(peer["train_edges"].get<size_t>(), r->train_edges);
  EXPECT_EQ(peer["new_pairs"].get<size_t>(), r->new_pairs);
  EXPECT_EQ(peer["evaluated"].get<size_t>(), r->evaluated);
  for (size_t m = 0; m < r->methods.size(); ++m) {
    const auto& ours = r->methods[m];
    const auto& theirs = peer["methods"][m];
    EXPECT_EQ(theirs["method"].get<std::string>(), ours.method);
    EXPECT_NEAR(theirs["precision_at_k"].get<double>(), ours.precision_at_k, 1e-9) << ours.method;
    EXPECT_NEAR(theirs["auc"].get<double>(), ours.auc, 1e-9) << ours.method;
    // Far from chance (p@10 of a random ranking is about 0.002 here, its AUC 0.5).
    EXPECT_GT(ours.precision_at_k, 0.05) << ours.method;
    EXPECT_GT(ours.auc, 0.7) << ours.method;
  }
}

TEST(LinkPrediction, AMissingFileOrColumnIsNamed) {
  testing::TempDir dir;
  auto r = read_cordis_h2020(dir.path().string());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find("h2020_participations.csv.gz"), std::string::npos)
      << r.error().to_string();
}

}  // namespace
}  // namespace poles::network
