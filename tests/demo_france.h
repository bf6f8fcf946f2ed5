// A test suite over the france-scale demo made by ctest's demo_france fixture: the snapshot of
// the listed tables is loaded once per suite; tests skip with a clear message when the fixture's
// database is absent (e.g. a test binary run by hand).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <vector>

#include "snapshot/loader.h"
#include "store/store.h"

namespace poles::testing_support {

// Tables is a type with `static std::vector<std::string_view> tables()`.
template <typename Tables>
class DemoFranceSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* db = std::getenv("POLES_DEMO_FRANCE_DB");
    if (db == nullptr || !std::filesystem::exists(db)) return;
    auto store = store::Store::open(db);
    ASSERT_TRUE(store.has_value());
    auto snap = snapshot::load(**store, Tables::tables());
    ASSERT_TRUE(snap.has_value()) << snap.error().to_string();
    snap_ = *snap;
  }
  static void TearDownTestSuite() { snap_.reset(); }
  void SetUp() override {
    if (!snap_)
      GTEST_SKIP() << "skipped: POLES_DEMO_FRANCE_DB is not set (run through ctest, whose "
                      "demo_france fixture makes it)";
  }
  static inline snapshot::SnapshotPtr snap_;
};

}  // namespace poles::testing_support
