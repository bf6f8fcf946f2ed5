// A fixed set of store connections shared by the server's worker threads: a thread borrows one
// for the duration of a request (Store objects are not thread-safe).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace poles::app {

class StorePool {
 public:
  static Result<std::unique_ptr<StorePool>> open(const std::string& url, int size);

  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<store::Store> s) : pool_(&pool), store_(std::move(s)) {}
    Lease(Lease&& o) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (store_) pool_->give_back(std::move(store_));
    }
    store::Store& operator*() const { return *store_; }
    store::Store* operator->() const { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<store::Store> store_;
  };

  // Blocks until a connection is free.
  Lease lease();

 private:
  void give_back(std::unique_ptr<store::Store> s);
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<store::Store>> free_;
};

}  // namespace poles::app
