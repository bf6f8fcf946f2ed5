// PostgreSQL backend (libpqxx). Internal to the store.
#pragma once

#include <memory>

#include "store/store.h"

namespace poles::store {

Result<std::unique_ptr<Store>> open_postgres(const std::string& url, const OpenOptions& options);

}  // namespace poles::store
