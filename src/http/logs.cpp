#include "http/logs.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>

namespace poles::http {

namespace {

std::atomic<bool> g_json{false};

// {"time":"2026-12-02T10:40:00.123Z","level":"info","logger":"poles","message":"…"}; a message
// of the access logger is already a JSON object of fields, merged into the line.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto t = std::chrono::time_point_cast<std::chrono::milliseconds>(msg.time);
    const auto ms = t.time_since_epoch().count() % 1000;
    const std::string_view level(spdlog::level::to_string_view(msg.level).data(),
                                 spdlog::level::to_string_view(msg.level).size());
    const std::string_view text(msg.payload.data(), msg.payload.size());
    std::string head =
        fmt::format(R"({{"time":"{:%Y-%m-%dT%H:%M:%S}.{:03}Z","level":"{}")",
                    fmt::gmtime(std::chrono::system_clock::to_time_t(msg.time)), ms, level);
    const std::string_view logger(msg.logger_name.data(), msg.logger_name.size());
    if (logger == "access" && text.starts_with('{')) {
      head += ",\"logger\":\"access\",";
      head.append(text.substr(1));
    } else {
      head += ",\"logger\":" + nlohmann::json(logger.empty() ? "poles" : logger).dump() +
              ",\"message\":" +
              nlohmann::json(std::string(text))
                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
              "}";
    }
    head += '\n';
    dest.append(head.data(), head.data() + head.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

// The access logger: the default logger's sinks (the same stream), made again by each
// configure_logging (a test may have replaced the default logger's sinks meanwhile).
std::mutex g_access_mu;
std::shared_ptr<spdlog::logger> g_access;

std::shared_ptr<spdlog::logger> make_access_logger() {
  const auto& sinks = spdlog::default_logger()->sinks();
  auto l = std::make_shared<spdlog::logger>("access", sinks.begin(), sinks.end());
  std::lock_guard lock(g_access_mu);
  g_access = l;
  return l;
}

std::shared_ptr<spdlog::logger> access_logger() {
  {
    std::lock_guard lock(g_access_mu);
    if (g_access) return g_access;
  }
  return make_access_logger();
}

}  // namespace

Status configure_logging(const std::string& format, const std::string& level) {
  if (format != "text" && format != "json")
    return Status::invalid_argument(
        fmt::format("log format '{}': must be one of text, json", format));
  if (level != "trace" && level != "debug" && level != "info" && level != "warn" &&
      level != "error")
    return Status::invalid_argument(
        fmt::format("log level '{}': must be one of trace, debug, info, warn, error", level));
  const auto lv = spdlog::level::from_str(level);
  g_json = format == "json";
  auto logger = make_access_logger();
  for (auto& l : {spdlog::default_logger(), logger}) {
    if (g_json) {
      l->set_formatter(std::make_unique<JsonFormatter>());
    } else {
      l->set_formatter(std::make_unique<spdlog::pattern_formatter>());
    }
    l->set_level(lv);
    l->flush_on(spdlog::level::info);
  }
  return Status::ok();
}

void log_access(const AccessRecord& r) {
  auto logger = access_logger();
  if (!logger->should_log(spdlog::level::info)) return;
  if (g_json) {
    nlohmann::json j = {{"event", "request"},
                        {"request_id", r.id},
                        {"method", r.method},
                        {"route", r.route},
                        {"path", r.path},
                        {"status", r.status},
                        {"duration_ms", std::round(r.seconds * 1e6) / 1e3},
                        {"bytes", r.bytes},
                        {"user", r.user},
                        {"role", r.role},
                        {"client", r.client}};
    logger->info(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    // A decoded path may hold a line break (%0A): it would forge a line of the log.
    std::string path(r.path);
    for (char& ch : path)
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
    logger->info("{} {} {} {} {:.1f} ms {} B user={} client={}", r.id, r.method, path, r.status,
                 r.seconds * 1e3, r.bytes, r.user.empty() ? "-" : r.user, r.client);
  }
}

}  // namespace poles::http
