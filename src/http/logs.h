// The server's logs: lines a person reads ("text", spdlog's default) or one JSON object a line
// for a collector ("json": time, level, logger, message; a request's line carries its fields).
// Each request may be logged once answered (the access log): its id, method, route template,
// path without the query (a query may hold what a person searched for), status, duration,
// bytes sent, and who asked (account, role, client address). Bodies, cookies, tokens and
// figures are never logged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace poles::http {

// Sets the format ("text", "json") and the level (trace, debug, info, warn, error) of every
// logger, the access logger included. InvalidArgument names a value that is neither.
Status configure_logging(const std::string& format, const std::string& level);

struct AccessRecord {
  uint64_t id = 0;
  std::string_view method, route, path;
  int status = 0;
  double seconds = 0;
  uint64_t bytes = 0;
  std::string_view user, role, client;
};

// One request's line on the "access" logger (info).
void log_access(const AccessRecord& r);

}  // namespace poles::http
