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
    if (c < '0' || c > '9' || v > (UINT64_MAX - 9) / 10) return 0;
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
  // Keep-alives: a connection that died without a word is found out (and reopened) in about a
  // minute; a statement that hangs gives up after five seconds.
  const std::string url =
      url_ + (url_.find('?') == std::string::npos ? "?" : "&") +
      "connect_timeout=5&keepalives=1&keepalives_idle=30&keepalives_interval=10&keepalives_count=3";
  while (!stop_) {
    try {
      pqxx::connection conn(url);
      {
        pqxx::nontransaction tx(conn);
        tx.exec("SET statement_timeout = '5s'");
      }
      uint64_t version = 0;
      bool pending = false;  // moved since the last settled()
      bool heard = false;    // announced since the version was last read
      Clock::time_point moved{};
      // The version is read from the store, never taken from an announcement: anyone who can
      // connect may NOTIFY, and must not be able to make this server ignore the real versions.
      const auto read = [&] {
        pqxx::nontransaction tx(conn);
        const auto r = tx.exec("SELECT \"value\" FROM \"meta\" WHERE \"key\" = 'data_version'");
        const uint64_t v = r.empty() ? 0 : parse_version(r[0][0].c_str());
        if (v == version) return;
        version = v;
        pending = true;
        moved = Clock::now();
        if (callbacks_.changed) callbacks_.changed(v);
      };
      Receiver receiver(conn, [&](const std::string&) {
        ++notifications_;
        heard = true;
      });
      read();  // after LISTEN is in force: a commit in between is seen one way or the other
      listening_ = true;
      while (!stop_) {
        conn.await_notification(0, 200000);
        if (heard) {
          heard = false;
          read();
        }
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
