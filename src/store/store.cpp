#include "store/store.h"

#include "store/postgres_store.h"
#include "store/sqlite_store.h"

namespace poles::store {

Result<std::unique_ptr<Store>> Store::open(const std::string& url, const OpenOptions& options) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://"))
    return open_postgres(url, options);
  if (url.starts_with("sqlite:")) return open_sqlite(url.substr(7), options);
  return open_sqlite(url, options);
}

}  // namespace poles::store
