// Every entity of a store exported as CSV, concatenated: equal digests mean equal stores (the
// import tests' "nothing changed").
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "core/schema.h"
#include "import/exporter.h"
#include "store/store.h"

namespace poles::import {

inline std::string store_digest(store::Store& store) {
  std::ostringstream out;
  for (const auto& e : schema::entities()) {
    out << "## " << e.name << "\n";
    EXPECT_TRUE(export_stream(store, e, ExportFormat::kCsv, out).has_value());
  }
  return out.str();
}

}  // namespace poles::import
