// VersionWatch: follows the data version of a PostgreSQL store as other servers move it. Every
// commit that changes data notifies channel `poles_data` with the new version (PostgreSQL
// NOTIFY, sent at commit, nothing on rollback); the watch holds one connection of its own that
// LISTENs, and calls its callbacks on its own thread:
//  - changed(version) when an announcement came and the version read from the store has moved,
//    and at each (re)connection (announcements are not replayed: one missed while disconnected
//    is made good); a burst may be seen as one move;
//  - settled(version) once the version has not moved for `quiet` (a burst of writes gives one
//    call, after the last).
// Servers use it to drop stale answers and reload their snapshot before anyone asks; whether an
// answer is current is still decided by the version read from the store (a notification may
// arrive a moment after the commit). Not for SQLite (nothing to listen to). A connection through a
// pooler in transaction mode cannot LISTEN: give the watch the database's own address.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/status.h"

namespace poles::store {

// The channel the PostgreSQL store notifies at each commit that moves the data version.
inline constexpr const char* kDataChannel = "poles_data";

class VersionWatch {
 public:
  struct Callbacks {
    std::function<void(uint64_t)> changed;
    std::function<void(uint64_t)> settled;
  };
  // Starts watching (returns at once; a server that is down is retried every few seconds).
  VersionWatch(std::string url, Callbacks callbacks,
               std::chrono::milliseconds quiet = std::chrono::milliseconds(1000));
  ~VersionWatch();  // stops and joins
  VersionWatch(const VersionWatch&) = delete;
  VersionWatch& operator=(const VersionWatch&) = delete;

  void stop();
  // Notifications received so far, and whether the watch is connected and listening.
  uint64_t notifications() const { return notifications_; }
  bool listening() const { return listening_; }

 private:
  void run();

  const std::string url_;
  const Callbacks callbacks_;
  const std::chrono::milliseconds quiet_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> listening_{false};
  std::atomic<uint64_t> notifications_{0};
  std::thread thread_;  // last: starts after the members it uses
};

}  // namespace poles::store
