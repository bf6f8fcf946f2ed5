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

Result<int64_t> Transaction::upsert_many(const schema::Entity& e, std::span<const Row> rows) {
  int64_t changed = 0;
  for (const auto& row : rows) {
    POLES_ASSIGN_OR_RETURN(bool c, upsert(e, row));
    changed += c ? 1 : 0;
  }
  return changed;
}

}  // namespace poles::store
