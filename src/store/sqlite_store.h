// SQLite backend: one file, WAL journal, foreign keys on. Internal to the store.
#pragma once

#include <memory>

#include "store/store.h"

namespace poles::store {

Result<std::unique_ptr<Store>> open_sqlite(const std::string& path, const OpenOptions& options);

}  // namespace poles::store
