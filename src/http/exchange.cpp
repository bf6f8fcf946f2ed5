#include "http/exchange.h"

#include <fmt/format.h>
#include <strings.h>

#include "core/validate.h"

namespace poles::http {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return {};
}

bool Request::has_header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return true;
  }
  return false;
}

std::string Request::cookie(std::string_view name) const {
  const std::string_view h = header("Cookie");
  size_t b = 0;
  while (b < h.size()) {
    size_t e = h.find(';', b);
    if (e == std::string_view::npos) e = h.size();
    std::string_view part = h.substr(b, e - b);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    b = e + 1;
  }
  return {};
}

void Response::set_header(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (iequals(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return {};
}

bool percent_decode(std::string_view in, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;  // a '%' needs two hex digits after it
      const int hi = hex(in[i + 1]);
      const int lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      const char d = static_cast<char>(hi * 16 + lo);
      if (d == '\0') return false;
      out.push_back(d);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c == '\0') {
      return false;
    } else {
      out.push_back(c);
    }
  }
  return !validate::utf8(out).has_value();
}

Result<app::Params> parse_query(std::string_view query) {
  app::Params out;
  std::string name, value;
  size_t b = 0;
  while (b <= query.size()) {
    size_t e = query.find('&', b);
    if (e == std::string_view::npos) e = query.size();
    const std::string_view pair = query.substr(b, e - b);
    b = e + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string_view n = pair.substr(0, eq);
    const std::string_view v =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (!percent_decode(n, name, true) || !percent_decode(v, value, true)) {
      return Status::invalid_argument(
          "the query string is malformed (a bad %-escape, an encoded NUL or invalid UTF-8)");
    }
    if (name.empty())
      return Status::invalid_argument("the query string has a parameter without a name");
    if (!out.emplace(name, value).second) {
      return Status::invalid_argument(
          fmt::format("parameter '{}' is given more than once", validate::truncate_utf8(name, 60)));
    }
  }
  return out;
}

}  // namespace poles::http
