#include "http/limits.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <cstdlib>
#include <fstream>
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

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const auto a = boost::asio::ip::make_address(host, ec);
  return !ec && a.is_loopback();
}

Status check_config(const Config& config) {
  if (!is_loopback(config.host) && !config.allow_plain_http) {
    return Status::invalid_argument(fmt::format(
        "listen '{}:{}': Pôles speaks plain HTTP, and this address is not loopback: put a TLS "
        "proxy (nginx, docs/ops.md) in front of it on 127.0.0.1, or set allow_plain_http = true "
        "(--allow-plain-http) if the network between them is trusted",
        config.host, config.port));
  }
  for (const auto& p : config.trusted_proxies) {
    if (auto st = check_proxy(p); !st.is_ok()) return st;
  }
  return Status::ok();
}

Status check_proxy(const std::string& proxy) {
  if (proxy_network(proxy)) return Status::ok();
  return Status::invalid_argument(fmt::format(
      "trusted proxy '{}': must be an IP address or a network (10.0.0.0/8, fd00::/8)", proxy));
}

std::optional<ProxyNetwork> proxy_network(const std::string& text) {
  boost::system::error_code ec;
  ProxyNetwork n;
  const auto slash = text.find('/');
  n.address = boost::asio::ip::make_address(text.substr(0, slash), ec);
  if (ec) return std::nullopt;
  const int max = n.address.is_v4() ? 32 : 128;
  n.prefix = max;
  if (slash != std::string::npos) {
    const char* b = text.data() + slash + 1;
    const char* e = text.data() + text.size();
    auto [end, err] = std::from_chars(b, e, n.prefix);
    if (err != std::errc{} || end != e || b == e || n.prefix < 0 || n.prefix > max)
      return std::nullopt;
  }
  return n;
}

bool ProxyNetwork::contains(const boost::asio::ip::address& a) const {
  // An IPv4 peer may arrive as ::ffff:a.b.c.d on a dual-stack socket.
  auto v = a;
  if (v.is_v6() && v.to_v6().is_v4_mapped())
    v = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v.to_v6());
  if (v.is_v4() != address.is_v4()) return false;
  const auto bytes = [](const boost::asio::ip::address& x) {
    std::array<unsigned char, 16> out{};
    if (x.is_v4()) {
      const auto b = x.to_v4().to_bytes();
      std::copy(b.begin(), b.end(), out.begin());
    } else {
      out = x.to_v6().to_bytes();
    }
    return out;
  };
  const auto x = bytes(v), y = bytes(address);
  int bits = prefix;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xFFu : (0xFFu << (8 - bits)) & 0xFFu;
    if ((x[i] & mask) != (y[i] & mask)) return false;
  }
  return true;
}

namespace {

// postgresql://user:secret@host/db, or ?password=…: a password written in the URL.
bool store_url_has_password(const std::string& url) {
  if (!url.starts_with("postgresql://") && !url.starts_with("postgres://")) return false;
  const std::string rest = url.substr(url.find("://") + 3);
  const std::string authority = rest.substr(0, rest.find('/'));
  const auto at = authority.rfind('@');
  return (at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos) ||
         url.find("password=") != std::string::npos;
}

// A secret named by a file of the configuration (its first line, without the line end) or taken
// from an environment variable.
std::optional<std::string> read_secret(const std::string& file, std::string* why) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) {
    *why =
        "cannot be read (the file must exist, be readable by the service, and hold the "
        "secret on its first line)";
    return std::nullopt;
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.size() < 16) {
    *why = "holds fewer than 16 characters: a secret that short could be guessed";
    return std::nullopt;
  }
  return line;
}

}  // namespace

Status load_settings(const std::string& path, Settings& settings) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::bad_input({FieldError{path, static_cast<int64_t>(e.source().begin.line), 0, "",
                                         "", std::string(e.description())}});
  }
  Config& config = settings.server;
  std::vector<FieldError> errors;
  std::string section;
  auto error = [&](const toml::node& n, const std::string& key, const std::string& value,
                   const std::string& rule) {
    errors.push_back(FieldError{path, static_cast<int64_t>(n.source().begin.line), 0,
                                section + "." + key, value, rule});
  };
  // Each key: a reader that checks its node and stores the value.
  using Reader = std::function<void(const toml::node&, const std::string&)>;
  auto shown = [](const toml::node& n) {
    if (const auto text = n.value_exact<std::string>()) return *text;  // without TOML's quotes
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
  auto one_of = [&](std::string& target, std::vector<std::string> allowed) -> Reader {
    return [&target, &error, allowed](const toml::node& n, const std::string& key) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      const auto v = n.value<std::string>();
      if (!n.is_string() || std::find(allowed.begin(), allowed.end(), *v) == allowed.end())
        return error(n, key, v.value_or(""), "must be one of " + list);
      target = *v;
    };
  };
  auto boolean = [&](bool& target) -> Reader {
    return [&target, &error, shown](const toml::node& n, const std::string& key) {
      if (!n.is_boolean()) return error(n, key, shown(n), "must be true or false");
      target = *n.value<bool>();
    };
  };
  auto proxies = [&](std::vector<std::string>& target) -> Reader {
    return [&target, &error](const toml::node& n, const std::string& key) {
      const toml::array* a = n.as_array();
      if (a == nullptr) return error(n, key, "", "must be a list of addresses or networks");
      target.clear();
      for (const auto& item : *a) {
        const auto v = item.value<std::string>();
        if (!item.is_string() || !proxy_network(*v)) {
          error(item, key, v.value_or(""),
                "must be an IP address or a network (127.0.0.1, 10.0.0.0/8, fd00::/8)");
          continue;
        }
        target.push_back(*v);
      }
    };
  };
  // A secret file: its path is the setting; the secret is its first line.
  auto secret = [&](std::string& target) -> Reader {
    return [&target, &error](const toml::node& n, const std::string& key) {
      if (!n.is_string()) return error(n, key, "", "must be a string: the path of a file");
      const std::string file = *n.value<std::string>();
      std::string why;
      if (auto v = read_secret(file, &why)) {
        target = *v;
      } else {
        error(n, key, file, why);
      }
    };
  };
  Limits& l = config.limits;
  std::string listen;
  const std::map<std::string, std::map<std::string, Reader>> sections = {
      {"server",
       {
           {"listen", text(listen)},
           {"threads", integer(config.threads, 1, 256)},
           {"store_connections", integer(config.store_connections, 2, 256)},
           {"web_root", text(config.web_root)},
           {"secure_cookies", boolean(config.secure_cookies)},
           {"public_url", text(config.public_url)},
           {"trusted_proxies", proxies(config.trusted_proxies)},
           {"allow_plain_http", boolean(config.allow_plain_http)},
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
       }},
      {"store",
       {
           {"url", text(settings.store_url)},
           {"password_file", secret(settings.store_password)},
       }},
      {"log",
       {
           {"format", one_of(config.log_format, {"text", "json"})},
           {"level", one_of(config.log_level, {"trace", "debug", "info", "warn", "error"})},
           {"access", boolean(config.access_log)},
       }},
      {"metrics",
       {
           {"token_file", secret(config.metrics_token)},
       }},
  };
  std::string known_sections;
  for (const auto& [name, r] : sections)
    known_sections += (known_sections.empty() ? "[" : ", [") + name + "]";
  for (const auto& [name, node] : doc) {
    section = std::string(name.str());
    auto s = sections.find(section);
    const toml::table* table = node.as_table();
    if (s == sections.end() || table == nullptr) {
      errors.push_back(
          FieldError{path, static_cast<int64_t>(node.source().begin.line), 0, section, "",
                     "is not a section of the configuration (sections: " + known_sections + ")"});
      continue;
    }
    for (const auto& [key, value] : *table) {
      const std::string k(key.str());
      auto it = s->second.find(k);
      if (it == s->second.end()) {
        std::string known;
        for (const auto& [n, r] : s->second) known += (known.empty() ? "" : ", ") + n;
        error(value, k, "", "is not a setting of [" + section + "] (settings: " + known + ")");
        continue;
      }
      it->second(value, k);
    }
  }
  section = "server";
  const toml::table* server = doc["server"].as_table();
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
  // Secrets from the environment when the file names none.
  if (config.metrics_token.empty()) {
    if (const char* v = std::getenv("POLES_METRICS_TOKEN"); v != nullptr && *v != '\0') {
      if (std::string_view(v).size() < 16) {
        errors.push_back(FieldError{"environment", 0, 0, "POLES_METRICS_TOKEN", "",
                                    "holds fewer than 16 characters: a secret that short could "
                                    "be guessed"});
      } else {
        config.metrics_token = v;
      }
    }
  }
  // A password in the store's URL would be shown by `config check` and passed on pg_dump's
  // command line: it belongs in password_file.
  if (store_url_has_password(settings.store_url)) {
    section = "store";
    error(*doc["store"]["url"].node(), "url", "(not shown)",
          "holds a password: give it in password_file (or $PGPASSWORD, ~/.pgpass)");
  }
  if (!errors.empty()) return Status::bad_input(std::move(errors));
  return Status::ok();
}

}  // namespace poles::http
