// A fresh store of either backend, for test suites that must pass on both.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <memory>
#include <string>

#include "pg_server.h"
#include "store/store.h"
#include "test_support.h"

namespace poles::testing {

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      std::string why;
      PgServer* pg = PgServer::instance(&why);
      if (pg == nullptr) GTEST_SKIP() << "PostgreSQL unavailable: " << why;
      url_ = pg->create_database();
      // The snapshot's cache files of PostgreSQL stores (snapshot/loader.h) go to the test's
      // directory rather than the system's temporary one.
      dir_ = std::make_unique<TempDir>();
      ::setenv("POLES_SNAPSHOT_DIR", dir_->path().c_str(), 1);
    } else {
      dir_ = std::make_unique<TempDir>();
      url_ = (dir_->path() / "test.db").string();
    }
    auto s = store::Store::open(url_);
    ASSERT_TRUE(s.has_value()) << s.error().to_string();
    store_ = std::move(s).value();
  }
  // Opens a second connection to the same database.
  std::unique_ptr<store::Store> reopen() {
    auto s = store::Store::open(url_);
    EXPECT_TRUE(s.has_value()) << s.error().to_string();
    return s.has_value() ? std::move(s).value() : nullptr;
  }

  std::unique_ptr<TempDir> dir_;
  std::string url_;
  std::unique_ptr<store::Store> store_;
};

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace poles::testing

#define POLES_BOTH_BACKENDS(suite)                                                   \
  INSTANTIATE_TEST_SUITE_P(Backends, suite, ::testing::Values("sqlite", "postgres"), \
                           ::poles::testing::backend_name)
