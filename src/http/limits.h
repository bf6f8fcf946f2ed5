// The server's settings: where it listens, how many threads, and every limit it enforces on a
// client. One `[server]` section of a TOML configuration file sets them (see docs/api.md,
// "Limits"), and `poles serve` has a flag for each.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace poles::http {

struct Limits {
  // Request head: bytes of the request line and header fields, number of fields, target length.
  uint32_t max_header_bytes = 16 * 1024;
  uint32_t max_headers = 100;
  uint32_t max_url_bytes = 8 * 1024;
  // Request body, counted on the decoded stream (chunked included): callers that are not logged
  // in, logged-in callers, and the upload routes (CSV import, impact data).
  uint64_t max_anonymous_body_bytes = 16ull * 1024;
  uint64_t max_body_bytes = 1024ull * 1024;
  uint64_t max_upload_bytes = 64ull * 1024 * 1024;
  // Timeouts, in seconds: waiting for the next request on a kept-alive connection; receiving the
  // rest of a request head once its first byte came; receiving the body; sending the response.
  int idle_timeout = 15;
  int header_timeout = 10;
  int body_timeout = 60;
  int write_timeout = 60;
  // Open connections in total and per client address (a new one beyond is refused with 503).
  uint32_t max_connections = 1024;
  uint32_t max_connections_per_client = 128;
  // Requests per client address per second on the routes anyone may call without logging in
  // (login, the OpenAPI document, the dashboard's files), with a burst allowance. 0: no limit.
  double anonymous_rate = 50;
  double anonymous_burst = 200;
  // Requests served on one kept-alive connection before it is closed.
  uint32_t max_requests_per_connection = 10000;
  // Failed password checks from one client address on one account before each further check
  // waits, with exponential backoff (1 s, 2 s, 4 s, … up to 15 min); four times as many per
  // address over all accounts, and per account from addresses that never logged into it (see
  // app::LoginThrottle: no one can lock an account out of an address it logged in from).
  int login_attempts = 5;
  // The first wait of that backoff, doubled at each further failure.
  double login_backoff_seconds = 1;
};

struct Config {
  std::string db = "poles.db";
  std::string host = "127.0.0.1";
  int port = 8080;             // 0: any free port
  int threads = 8;             // threads serving connections and running handlers
  int store_connections = 16;  // database connections shared by those threads
  std::string web_root;        // dashboard files; empty: no static files
  // The session cookie carries `Secure` (sent over HTTPS only): on for any deployment behind
  // TLS; off by default for the demo on http://127.0.0.1.
  bool secure_cookies = false;
  // The address the public reaches the portal at, as https://poles.example.gouv.fr (no path, no
  // trailing slash): the absolute links of the sitemap, the Atom feed and the canonical URLs.
  // Empty: http://host:port. Never taken from a request's Host header (a cached page would carry
  // whatever host an attacker sent).
  std::string public_url;
  // Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: addresses or
  // networks ("127.0.0.1", "10.0.0.0/8", "::1"). A request from one of them is counted (rate
  // limits, password checks, logs) by the client address the proxy names, and is secure when the
  // proxy says it came over https (the session cookie is then `Secure` and HSTS is sent); the
  // headers of any other peer are ignored. Empty: no proxy is trusted.
  std::vector<std::string> trusted_proxies;
  // Pôles speaks plain HTTP: a listener on an address other than loopback is refused unless this
  // says the network to the TLS proxy is trusted.
  bool allow_plain_http = false;
  Limits limits;
  // [log]: "text" (a line a person reads) or "json" (one JSON object a line, for a collector);
  // the level (trace, debug, info, warn, error); whether each request is logged (request id,
  // method, route, path without the query, status, duration, bytes, user, role, client).
  std::string log_format = "text";
  std::string log_level = "info";
  bool access_log = false;
  // [metrics]: the bearer token GET /metrics asks for (from token_file or $POLES_METRICS_TOKEN;
  // never written in the file itself). Empty: /metrics answers 404.
  std::string metrics_token;
};

// The whole configuration file: [server], [store], [log], [metrics].
struct Settings {
  Config server;
  // [store] url: a SQLite file or postgresql://user@host:port/db (without a password); the
  // password comes from password_file, $PGPASSWORD or libpq's ~/.pgpass. Empty: --db decides.
  std::string store_url;
  std::string store_password;  // read from [store] password_file
};

// Reads every section of a TOML configuration file (packaging/poles.toml, installed as
// /etc/poles/poles.toml): an unknown section or key, a wrong type, a value out of range, a missing
// or unreadable secret file are errors naming the file, the line and the key; every error of the
// file is reported. Secrets are read from files the configuration names or from the environment,
// never from the file itself.
Status load_settings(const std::string& path, Settings& settings);

// A trusted proxy's address or network.
struct ProxyNetwork {
  boost::asio::ip::address address;
  int prefix = 0;  // bits compared
  bool contains(const boost::asio::ip::address& a) const;
};
// "10.0.0.0/8", "192.0.2.1", "::1", "fd00::/8" -> the network; nullopt when malformed.
std::optional<ProxyNetwork> proxy_network(const std::string& text);
Status check_proxy(const std::string& proxy);

// Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost).
bool is_loopback(const std::string& host);

// Checks what the file cannot check key by key: a plain-HTTP listener off loopback needs
// allow_plain_http; the log format and level are known.
Status check_config(const Config& config);

// "host:port" -> host, port (InvalidArgument naming the value).
Status parse_listen(const std::string& listen, Config& config);

// Checks a public_url: http:// or https://, then a host (letters, digits, '.', '-', ':' for a
// port), nothing else (InvalidArgument naming the value and the rule).
Status check_public_url(const std::string& url);

}  // namespace poles::http
