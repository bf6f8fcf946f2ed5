// Writing the demo ecosystem into a store: every cell is checked against the schema and every
// row goes through the Loader (references, keys, lifecycle), in one transaction.
#pragma once

#include "demo/generator.h"
#include "import/loader.h"
#include "store/store.h"

namespace poles::demo {

struct LoadOptions {
  // Called every 100,000 rows with the rows written so far.
  std::function<void(int64_t)> progress;
};

// REQUIRES: the store holds no cluster (the demo is meant for an empty store).
Result<import::LoadReport> generate_into(store::Store& store, const Options& options,
                                         const LoadOptions& load = {});

}  // namespace poles::demo
