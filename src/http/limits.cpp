#include "http/limits.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <charconv>
#include <functional>
#include <map>
#include <sstream>

namespace poles::http {

Status parse_listen(const std::string& listen, Config& config) {
  const auto colon = listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    const char* b = listen.data() + colon + 1;
    const char* e = listen.data() + listen.size();
    auto [end, ec] = std::from_chars(b, e, port);
    if (ec != std::errc{} || end != e) port = -1;
  }
  if (colon == std::string::npos || colon == 0 || port < 0 || port > 65535) {
    return Status::invalid_argument(
        fmt::format("listen '{}': must be host:port with a port from 0 to 65535", listen));
  }
  config.host = listen.substr(0, colon);
  config.port = port;
  return Status::ok();
}

Status check_public_url(const std::string& url) {
  const auto bad = [&url] {
    return Status::invalid_argument(fmt::format(
        "public_url '{}': must be http:// or https:// followed by a host name (and an optional "
        ":port), without a path or a trailing slash",
        url));
  };
  std::string_view host(url);
  if (host.starts_with("https://")) {
    host.remove_prefix(8);
  } else if (host.starts_with("http://")) {
    host.remove_prefix(7);
  } else {
    return bad();
  }
  if (host.empty() || host.size() > 253) return bad();
  for (const char ch : host) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == ':';
    if (!ok) return bad();
  }
  return Status::ok();
}

Status load_server_config(const std::string& path, Config& config) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::bad_input({FieldError{path, static_cast<int64_t>(e.source().begin.line), 0, "",
                                         "", std::string(e.description())}});
  }
  const toml::table* server = doc["server"].as_table();
  if (server == nullptr) return Status::ok();
  std::vector<FieldError> errors;
  auto error = [&](const toml::node& n, const std::string& key, const std::string& value,
                   const std::string& rule) {
    errors.push_back(FieldError{path, static_cast<int64_t>(n.source().begin.line), 0,
                                "server." + key, value, rule});
  };
  // Each key: a reader that checks its node and stores the value.
  using Reader = std::function<void(const toml::node&, const std::string&)>;
  auto shown = [](const toml::node& n) {
    std::ostringstream out;
    n.visit([&out](const auto& v) {
      if constexpr (toml::is_value<decltype(v)>) out << v;
    });
    return out.str();
  };
  auto integer = [&](auto& target, int64_t lo, int64_t hi) -> Reader {
    return [&target, lo, hi, &error, shown](const toml::node& n, const std::string& key) {
      const auto v = n.value<int64_t>();
      if (!v || !n.is_integer() || *v < lo || *v > hi) {
        error(n, key, shown(n), fmt::format("must be a whole number from {} to {}", lo, hi));
        return;
      }
      target = static_cast<std::remove_reference_t<decltype(target)>>(*v);
    };
  };
  auto real = [&](double& target, double lo, double hi) -> Reader {
    return [&target, lo, hi, &error, shown](const toml::node& n, const std::string& key) {
      const auto v = n.value<double>();
      if (!v || *v < lo || *v > hi) {
        error(n, key, shown(n), fmt::format("must be a number from {} to {}", lo, hi));
        return;
      }
      target = *v;
    };
  };
  auto text = [&](std::string& target) -> Reader {
    return [&target, &error](const toml::node& n, const std::string& key) {
      if (!n.is_string()) return error(n, key, "", "must be a string");
      target = *n.value<std::string>();
    };
  };
  auto boolean = [&](bool& target) -> Reader {
    return [&target, &error, shown](const toml::node& n, const std::string& key) {
      if (!n.is_boolean()) return error(n, key, shown(n), "must be true or false");
      target = *n.value<bool>();
    };
  };
  Limits& l = config.limits;
  std::string listen;
  const std::map<std::string, Reader> readers = {
      {"listen", text(listen)},
      {"threads", integer(config.threads, 1, 256)},
      {"store_connections", integer(config.store_connections, 2, 256)},
      {"web_root", text(config.web_root)},
      {"secure_cookies", boolean(config.secure_cookies)},
      {"public_url", text(config.public_url)},
      {"max_header_bytes", integer(l.max_header_bytes, 1024, 1 << 20)},
      {"max_headers", integer(l.max_headers, 8, 10000)},
      {"max_url_bytes", integer(l.max_url_bytes, 256, 1 << 20)},
      {"max_anonymous_body_bytes", integer(l.max_anonymous_body_bytes, 1024, 1ll << 30)},
      {"max_body_bytes", integer(l.max_body_bytes, 1024, 1ll << 32)},
      {"max_upload_bytes", integer(l.max_upload_bytes, 1024, 1ll << 36)},
      {"idle_timeout", integer(l.idle_timeout, 1, 3600)},
      {"header_timeout", integer(l.header_timeout, 1, 3600)},
      {"body_timeout", integer(l.body_timeout, 1, 86400)},
      {"write_timeout", integer(l.write_timeout, 1, 86400)},
      {"max_connections", integer(l.max_connections, 1, 1000000)},
      {"max_connections_per_client", integer(l.max_connections_per_client, 1, 1000000)},
      {"anonymous_rate", real(l.anonymous_rate, 0, 1e6)},
      {"anonymous_burst", real(l.anonymous_burst, 1, 1e7)},
      {"max_requests_per_connection", integer(l.max_requests_per_connection, 1, 100000000)},
      {"login_attempts", integer(l.login_attempts, 1, 1000)},
      {"login_backoff_seconds", real(l.login_backoff_seconds, 0.1, 3600)},
  };
  for (const auto& [key, node] : *server) {
    const std::string k(key.str());
    auto it = readers.find(k);
    if (it == readers.end()) {
      std::string known;
      for (const auto& [name, r] : readers) known += (known.empty() ? "" : ", ") + name;
      error(node, k, "", "is not a setting of [server] (settings: " + known + ")");
      continue;
    }
    it->second(node, k);
  }
  if (!listen.empty()) {
    if (auto st = parse_listen(listen, config); !st.is_ok()) {
      error(*server->get("listen"), "listen", listen,
            "must be host:port with a port from 0 to 65535");
    }
  }
  if (!config.public_url.empty()) {
    if (auto st = check_public_url(config.public_url); !st.is_ok()) {
      error(*server->get("public_url"), "public_url", config.public_url,
            "must be http:// or https:// followed by a host name (and an optional :port), "
            "without a path or a trailing slash");
    }
  }
  if (!errors.empty()) return Status::bad_input(std::move(errors));
  return Status::ok();
}

}  // namespace poles::http
