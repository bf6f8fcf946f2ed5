// The [server] section of the configuration file: values read, and every error located.
#include "http/limits.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "http/services.h"

namespace poles::http {
namespace {

std::string write_file(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

// The file's [server] (and [log], [metrics]) over `config`'s values.
Status load_server_config(const std::string& path, Config& config) {
  Settings s;
  s.server = config;
  POLES_RETURN_IF_ERROR(load_settings(path, s));
  config = std::move(s.server);
  return Status::ok();
}

TEST(ServerConfig, ReadsTheServerSection) {
  const auto path =
      write_file("poles-limits-ok.toml",
                 "[server]\nlisten = \"0.0.0.0:9090\"\nthreads = 4\nmax_upload_bytes = 2048\n"
                 "header_timeout = 3\nanonymous_rate = 2.5\nallow_plain_http = true\n");
  Config c;
  ASSERT_TRUE(load_server_config(path, c).is_ok());
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.port, 9090);
  EXPECT_EQ(c.threads, 4);
  EXPECT_EQ(c.limits.max_upload_bytes, 2048u);
  EXPECT_EQ(c.limits.header_timeout, 3);
  EXPECT_DOUBLE_EQ(c.limits.anonymous_rate, 2.5);
  EXPECT_EQ(c.limits.max_body_bytes,
            Limits{}.max_body_bytes);  // untouched settings keep their default
}

TEST(ServerConfig, SecureCookiesIsABoolean) {
  EXPECT_FALSE(Config{}.secure_cookies) << "off by default, for the demo on http://127.0.0.1";
  Config c;
  ASSERT_TRUE(
      load_server_config(write_file("poles-secure.toml", "[server]\nsecure_cookies = true\n"), c)
          .is_ok());
  EXPECT_TRUE(c.secure_cookies);
  Config bad;
  EXPECT_FALSE(
      load_server_config(write_file("poles-secure-bad.toml", "[server]\nsecure_cookies = 1\n"), bad)
          .is_ok());
}

// The portal's absolute links start with public_url: a scheme and a host, nothing a page could
// carry further (a path, a quote, a space, a second URL).
TEST(ServerConfig, PublicUrlIsASchemeAndAHost) {
  Config c;
  ASSERT_TRUE(
      load_server_config(
          write_file("poles-public.toml", "[server]\npublic_url = \"https://poles.gouv.fr\"\n"), c)
          .is_ok());
  EXPECT_EQ(c.public_url, "https://poles.gouv.fr");
  EXPECT_TRUE(check_public_url("http://127.0.0.1:8080").is_ok());
  for (const char* bad :
       {"poles.gouv.fr", "https://poles.gouv.fr/", "https://poles.gouv.fr/x", "javascript:alert(1)",
        "https://a\"onload=\"x", "https://a b", "https://", "ftp://poles.gouv.fr"})
    EXPECT_FALSE(check_public_url(bad).is_ok()) << bad;
  Config wrong;
  const Status st = load_server_config(
      write_file("poles-public-bad.toml", "[server]\npublic_url = \"https://x.fr/path\"\n"), wrong);
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.to_string().find("server.public_url"), std::string::npos) << st.to_string();
}

// The whole file: [server], [store], [log], [metrics]; secrets come from files it names.
TEST(ServerConfig, ReadsEverySection) {
  const auto token = write_file("poles-metrics-token", "a-metrics-token-of-32-characters\n");
  const auto password = write_file("poles-store-password", "a-store-password-long-enough\n");
  const auto path = write_file(
      "poles-all.toml",
      "[server]\nlisten = \"127.0.0.1:8081\"\ntrusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\", "
      "\"::1\"]\n[store]\nurl = \"postgresql://poles@db.internal:5432/poles\"\npassword_file = \"" +
          password +
          "\"\n[log]\nformat = \"json\"\nlevel = \"warn\"\naccess = true\n[metrics]\n"
          "token_file = \"" +
          token + "\"\n");
  Settings s;
  const Status st = load_settings(path, s);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(s.server.port, 8081);
  EXPECT_EQ(s.server.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "10.0.0.0/8", "::1"}));
  EXPECT_EQ(s.store_url, "postgresql://poles@db.internal:5432/poles");
  EXPECT_EQ(s.store_password, "a-store-password-long-enough");
  EXPECT_EQ(s.server.log_format, "json");
  EXPECT_EQ(s.server.log_level, "warn");
  EXPECT_TRUE(s.server.access_log);
  EXPECT_EQ(s.server.metrics_token, "a-metrics-token-of-32-characters");
}

// Every error of the file, each with its line and key: an unknown section, an unknown key, a
// secret written in the file instead of a file's path, a short or missing secret file, a
// malformed proxy, an unknown log format.
TEST(ServerConfig, EveryErrorIsLocated) {
  const auto short_token = write_file("poles-short-token", "short\n");
  const auto path = write_file("poles-bad.toml",
                               "[server]\n"                                            // 1
                               "trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/33\"]\n"  // 2
                               "[stores]\n"                                            // 3
                               "url = \"x\"\n"                                         // 4
                               "[store]\n"                                             // 5
                               "password = \"hunter2\"\n"                              // 6
                               "[log]\n"                                               // 7
                               "format = \"xml\"\n"                                    // 8
                               "[metrics]\n"                                           // 9
                               "token_file = \"" +
                                   short_token + "\"\n");  // 10
  Settings s;
  const Status st = load_settings(path, s);
  ASSERT_FALSE(st.is_ok());
  std::map<std::string, int64_t> lines;
  for (const auto& e : st.field_errors()) lines[e.field] = e.line;
  EXPECT_EQ(lines["server.trusted_proxies"], 2) << st.to_string();
  EXPECT_EQ(lines["stores"], 3) << st.to_string();
  EXPECT_EQ(lines["store.password"], 6) << st.to_string();
  EXPECT_EQ(lines["log.format"], 8) << st.to_string();
  EXPECT_EQ(lines["metrics.token_file"], 10) << st.to_string();
  EXPECT_EQ(st.field_errors().size(), 5u) << st.to_string();
  EXPECT_NE(st.to_string().find("fewer than 16 characters"), std::string::npos);
  Settings missing;
  const Status st2 = load_settings(
      write_file("poles-missing.toml", "[metrics]\ntoken_file = \"/nonexistent/token\"\n"),
      missing);
  ASSERT_FALSE(st2.is_ok());
  EXPECT_NE(st2.to_string().find("cannot be read"), std::string::npos) << st2.to_string();
}

// The token may come from the environment (a systemd credential, a container secret).
TEST(ServerConfig, MetricsTokenFromTheEnvironment) {
  ::setenv("POLES_METRICS_TOKEN", "token-from-the-environment", 1);
  Settings s;
  const Status st = load_settings(write_file("poles-env.toml", "[server]\nthreads = 2\n"), s);
  ::unsetenv("POLES_METRICS_TOKEN");
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(s.server.metrics_token, "token-from-the-environment");
}

// A password never sits in the file: not in the store's URL (config check would print it, and
// pg_dump's command line would show it), not in a short environment token.
TEST(ServerConfig, NoPasswordInTheStoreUrl) {
  for (const char* url :
       {"postgresql://poles:hunter2@db/poles", "postgres://poles:x@db:5432/poles?sslmode=require",
        "postgresql://poles@db/poles?password=hunter2"}) {
    Settings s;
    const Status st = load_settings(
        write_file("poles-url.toml", std::string("\n[store]\nurl = \"") + url + "\"\n"), s);
    ASSERT_FALSE(st.is_ok()) << url;
    ASSERT_EQ(st.field_errors().size(), 1u) << st.to_string();
    EXPECT_EQ(st.field_errors()[0].field, "store.url");
    EXPECT_EQ(st.field_errors()[0].line, 3);
    EXPECT_EQ(st.to_string().find("hunter2"), std::string::npos) << "the password was shown";
  }
  for (const char* url : {"postgresql://poles@db:5432/poles", "/var/lib/poles/a:b@c.db"}) {
    Settings s;
    EXPECT_TRUE(
        load_settings(
            write_file("poles-url-ok.toml", std::string("[store]\nurl = \"") + url + "\"\n"), s)
            .is_ok())
        << url;
  }
  ::setenv("POLES_METRICS_TOKEN", "short", 1);
  Settings s;
  const Status st = load_settings(write_file("poles-env-short.toml", "[server]\nthreads = 2\n"), s);
  ::unsetenv("POLES_METRICS_TOKEN");
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.to_string().find("POLES_METRICS_TOKEN"), std::string::npos) << st.to_string();
}

// Pôles speaks plain HTTP: a listener off loopback is refused unless told so explicitly.
TEST(ServerConfig, PlainHttpOffLoopbackIsRefused) {
  Config c;
  for (const char* host : {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
    c.host = host;
    EXPECT_TRUE(check_config(c).is_ok()) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "192.0.2.10"}) {
    c.host = host;
    const Status st = check_config(c);
    ASSERT_FALSE(st.is_ok()) << host;
    EXPECT_NE(st.message().find("allow_plain_http"), std::string::npos) << st.message();
  }
  c.allow_plain_http = true;
  EXPECT_TRUE(check_config(c).is_ok());
}

TEST(ProxyNetwork, AddressesAndNetworks) {
  const auto a = [](const char* x) { return boost::asio::ip::make_address(x); };
  auto n = proxy_network("10.0.0.0/8");
  ASSERT_TRUE(n.has_value());
  EXPECT_TRUE(n->contains(a("10.200.3.4")));
  EXPECT_TRUE(n->contains(a("::ffff:10.1.2.3"))) << "an IPv4 peer on a dual-stack socket";
  EXPECT_FALSE(n->contains(a("11.0.0.1")));
  EXPECT_FALSE(n->contains(a("::1")));
  auto one = proxy_network("192.0.2.1");
  ASSERT_TRUE(one.has_value());
  EXPECT_TRUE(one->contains(a("192.0.2.1")));
  EXPECT_FALSE(one->contains(a("192.0.2.2")));
  auto v6 = proxy_network("fd00::/8");
  ASSERT_TRUE(v6.has_value());
  EXPECT_TRUE(v6->contains(a("fd12:3456::1")));
  EXPECT_FALSE(v6->contains(a("fe80::1")));
  auto odd = proxy_network("192.0.2.0/23");
  ASSERT_TRUE(odd.has_value());
  EXPECT_TRUE(odd->contains(a("192.0.3.255")));
  EXPECT_FALSE(odd->contains(a("192.0.4.0")));
  for (const char* bad :
       {"", "10.0.0.0/", "10.0.0.0/33", "::/129", "example.org", "10.0.0.0/8x", "10.0.0.0/-1"})
    EXPECT_FALSE(proxy_network(bad).has_value()) << bad;
}

// Regression: anonymous requests were counted per full IPv6 address, so that a client rotating
// through its /64 got a fresh allowance with each address. They are counted per /64, as the
// password checks are.
TEST(RateLimiter, AnIpv6ClientIsCountedByItsSlash64) {
  EXPECT_EQ(throttle_address("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(throttle_address("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(throttle_address("::ffff:192.0.2.7"), "::ffff:192.0.2.7");
  RateLimiter r(0.001, 2);
  double wait = 0;
  EXPECT_TRUE(r.take("2001:db8:1:2::1", &wait));
  EXPECT_TRUE(r.take("2001:db8:1:2::2", &wait));
  EXPECT_FALSE(r.take("2001:db8:1:2:ffff:ffff:ffff:fffe", &wait)) << "the same /64";
  EXPECT_GT(wait, 0);
  EXPECT_TRUE(r.take("2001:db8:1:3::1", &wait)) << "another /64";
  EXPECT_TRUE(r.take("192.0.2.1", &wait));
  EXPECT_TRUE(r.take("192.0.2.2", &wait));
}

TEST(ServerConfig, ReportsEveryErrorWithItsLine) {
  const auto path =
      write_file("poles-limits-bad.toml",
                 "[server]\nthreads = 0\nmax_body_byte = 10\nidle_timeout = \"soon\"\n"
                 "listen = \"localhost\"\n");
  Config c;
  const Status st = load_server_config(path, c);
  ASSERT_EQ(st.code(), ErrorCode::kInvalidArgument);
  ASSERT_EQ(st.field_errors().size(), 4u) << st.to_string();
  std::map<std::string, FieldError> by_field;
  for (const auto& e : st.field_errors()) by_field[e.field] = e;
  EXPECT_EQ(by_field["server.threads"].line, 2);
  EXPECT_EQ(by_field["server.threads"].rule, "must be a whole number from 1 to 256");
  EXPECT_EQ(by_field["server.max_body_byte"].line, 3);
  EXPECT_NE(by_field["server.max_body_byte"].rule.find("is not a setting of [server]"),
            std::string::npos);
  EXPECT_EQ(by_field["server.idle_timeout"].line, 4);
  EXPECT_EQ(by_field["server.listen"].value, "localhost");
  EXPECT_EQ(by_field["server.listen"].file, path);
}

TEST(ServerConfig, ASyntaxErrorNamesItsLine) {
  const auto path = write_file("poles-limits-syntax.toml", "[server]\nthreads = = 3\n");
  Config c;
  const Status st = load_server_config(path, c);
  ASSERT_EQ(st.field_errors().size(), 1u);
  EXPECT_EQ(st.field_errors()[0].line, 2);
}

TEST(ServerConfig, ListenIsHostAndPort) {
  Config c;
  EXPECT_TRUE(parse_listen("127.0.0.1:0", c).is_ok());
  EXPECT_EQ(c.port, 0);
  EXPECT_FALSE(parse_listen("127.0.0.1", c).is_ok());
  EXPECT_FALSE(parse_listen("127.0.0.1:70000", c).is_ok());
  EXPECT_FALSE(parse_listen(":80", c).is_ok());
}

}  // namespace
}  // namespace poles::http
