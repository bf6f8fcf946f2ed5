// A frame's column as a fixed effect (impact::fixed_effect), which a test expects to exist: the
// shared helper of the impact tests (one definition, so that unity builds do not see two).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "impact/frame.h"
#include "impact/hdfe.h"

namespace poles::impact {

inline FixedEffect fe_of(const Frame& f, const std::string& name) {
  auto e = fixed_effect(f, name);
  EXPECT_TRUE(e.has_value()) << e.error().to_string();
  return e.has_value() ? *e : FixedEffect{};
}

}  // namespace poles::impact
