// The [server] section of the configuration file: values read, and every error located.
#include "http/limits.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http/services.h"

namespace poles::http {
namespace {

std::string write_file(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

TEST(ServerConfig, ReadsTheServerSection) {
  const auto path =
      write_file("poles-limits-ok.toml",
                 "[server]\nlisten = \"0.0.0.0:9090\"\nthreads = 4\nmax_upload_bytes = 2048\n"
                 "header_timeout = 3\nanonymous_rate = 2.5\n[other]\nx = 1\n");
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
