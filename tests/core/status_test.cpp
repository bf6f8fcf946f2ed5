#include "core/status.h"

#include <gtest/gtest.h>

namespace poles {
namespace {

TEST(Status, OkAndErrors) {
  Status ok;
  EXPECT_TRUE(ok.is_ok());
  Status s = Status::not_found("cluster 'x'");
  EXPECT_EQ(s.code(), ErrorCode::kNotFound);
  EXPECT_EQ(s.to_string(), "NOT_FOUND: cluster 'x'");
  Status copy = s;
  EXPECT_EQ(copy.message(), "cluster 'x'");
  EXPECT_EQ(s.with_context("get").message(), "get: cluster 'x'");
}

TEST(Status, FieldErrorFormat) {
  FieldError e{"org.csv", 12, 3, "siren", "123", "SIREN must be exactly 9 digits"};
  EXPECT_EQ(e.format(), "org.csv:12:3: field 'siren' value '123': SIREN must be exactly 9 digits");
  Status s = Status::bad_input({e}, 250);
  EXPECT_EQ(s.message(), "250 errors in input (first 1 shown)");
  EXPECT_EQ(exit_code(s.code()), 2);
  EXPECT_EQ(http_status(s.code()), 422);
  EXPECT_EQ(exit_code(ErrorCode::kInternal), 3);
}

Result<int> half(int x) {
  if (x % 2) return Status::invalid_argument("odd");
  return x / 2;
}

Status quarter(int x, int& out) {
  POLES_ASSIGN_OR_RETURN(int h, half(x));
  POLES_ASSIGN_OR_RETURN(out, half(h));
  return Status::ok();
}

TEST(Status, ResultPropagation) {
  int out = 0;
  EXPECT_TRUE(quarter(8, out).is_ok());
  EXPECT_EQ(out, 2);
  EXPECT_EQ(quarter(6, out).message(), "odd");
}

}  // namespace
}  // namespace poles
