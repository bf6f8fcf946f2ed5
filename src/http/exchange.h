// One HTTP exchange as the router and the handlers see it, independent of the network library:
// the request (decoded path and query, headers, body, client address) and the response.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/params.h"

namespace poles::http {

struct Request {
  std::string method;  // upper case, as sent
  std::string target;  // as sent (path and query, percent-encoded)
  std::string path;    // decoded, valid UTF-8, no NUL
  app::Params query;   // decoded name -> value (each name at most once)
  // Header fields as sent; names compared case-insensitively by header().
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string client;  // the client's address (text): the peer's, or the one a trusted proxy named
  std::string peer;    // the address the connection comes from
  bool https = false;  // came over TLS to a trusted proxy (X-Forwarded-Proto: https)
  uint64_t id = 0;     // a number for this request (logs)
  // Set by admission, for the logs and metrics: the route's template ("/api/v1/cluster/{id}",
  // "files" for the dashboard's, "unmatched"), and the account calling (name and role, or "").
  std::string route;
  std::string user;
  std::string role;

  // The first field of that name, or "".
  std::string_view header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // The value of a cookie of the Cookie header, or "".
  std::string cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Whether the connection must close after this response (errors before the body was read).
  bool close = false;
  // The language the caller's account chose ("fr", "en"; empty: none), which its problems are
  // written in before Accept-Language is read.
  std::string language = {};

  void set_header(std::string name, std::string value);
  std::string_view header(std::string_view name) const;
  void set(int status_code, std::string type, std::string content) {
    status = status_code;
    content_type = std::move(type);
    body = std::move(content);
  }
};

// Whether two header names (or tokens) are equal, ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);

// The session cookie's name.
inline constexpr std::string_view kSessionCookie = "poles_session";

// Percent-decodes a path or query component ('+' is a space in a query). Returns false on a
// malformed escape, an encoded NUL or invalid UTF-8 (the request is then refused).
bool percent_decode(std::string_view in, std::string& out, bool plus_is_space);

// Splits and decodes a query string; InvalidArgument names the first bad pair or a repeated name.
Result<app::Params> parse_query(std::string_view query);

}  // namespace poles::http
