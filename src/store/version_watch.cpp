#include "store/version_watch.h"

#include <fmt/format.h>

#include <pqxx/pqxx>

namespace poles::store {
namespace {

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& c, std::function<void(const std::string&)> on)
      : pqxx::notification_receiver(c, kDataChannel), on_(std::move(on)) {}
  void operator()(const std::string& payload, int /*backend_pid*/) override { on_(payload); }

 private:
  std::function<void(const std::string&)> on_;
};

uint64_t parse_version(const std::string& s) {
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

VersionWatch::VersionWatch(std::string url, Callbacks callbacks, std::chrono::milliseconds quiet)
    : url_(std::move(url)),
      callbacks_(std::move(callbacks)),
      quiet_(quiet),
      thread_([this] { run(); }) {}

VersionWatch::~VersionWatch() { stop(); }

void VersionWatch::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void VersionWatch::run() {
  using Clock = std::chrono::steady_clock;
  while (!stop_) {
    try {
      // A server that does not answer must not hold stop() long.
      pqxx::connection conn(url_ + (url_.find('?') == std::string::npos ? "?" : "&") +
                            "connect_timeout=5");
      uint64_t version = 0;
      bool pending = false;  // moved since the last settled()
      Clock::time_point moved{};
      const auto seen = [&](uint64_t v) {
        if (v <= version) return;
        version = v;
        pending = true;
        moved = Clock::now();
        if (callbacks_.changed) callbacks_.changed(v);
      };
      Receiver receiver(conn, [&](const std::string& payload) {
        ++notifications_;
        seen(parse_version(payload));
      });
      {
        // Read after LISTEN is in force: a commit in between is seen one way or the other.
        pqxx::nontransaction tx(conn);
        const auto r = tx.exec("SELECT \"value\" FROM \"meta\" WHERE \"key\" = 'data_version'");
        if (!r.empty()) seen(parse_version(r[0][0].c_str()));
      }
      listening_ = true;
      while (!stop_) {
        conn.await_notification(0, 200000);
        if (pending && Clock::now() - moved >= quiet_) {
          pending = false;
          if (callbacks_.settled) callbacks_.settled(version);
        }
      }
    } catch (const std::exception&) {
      // Down, or the connection broke: retried below.
    }
    listening_ = false;
    for (int i = 0; i < 20 && !stop_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace poles::store
