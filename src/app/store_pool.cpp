#include "app/store_pool.h"

namespace poles::app {

Result<std::unique_ptr<StorePool>> StorePool::open(const std::string& url, int size) {
  auto pool = std::make_unique<StorePool>();
  for (int i = 0; i < size; ++i) {
    store::OpenOptions o;
    o.migrate = i == 0;  // the first connection migrates; the others find the schema ready
    POLES_ASSIGN_OR_RETURN(auto s, store::Store::open(url, o));
    pool->free_.push_back(std::move(s));
  }
  return pool;
}

StorePool::Lease StorePool::lease() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !free_.empty(); });
  auto s = std::move(free_.back());
  free_.pop_back();
  return Lease(*this, std::move(s));
}

void StorePool::give_back(std::unique_ptr<store::Store> s) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(s));
  }
  cv_.notify_one();
}

}  // namespace poles::app
