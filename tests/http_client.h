// A small HTTP/1.1 client for the tests, on Boost.Beast: one connection kept alive across
// requests (reopened when the server closed it), the answer's status, headers and body.
#pragma once

#include <strings.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace poles::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResult {
  int status = 0;
  std::string body;
  Headers headers;
  std::string get_header_value(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (::strcasecmp(k.c_str(), name.c_str()) == 0) return v;
    }
    return {};
  }
  bool has_header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (::strcasecmp(k.c_str(), name.c_str()) == 0) return true;
    }
    return false;
  }
};

class HttpClient {
 public:
  HttpClient(std::string host, int port, int timeout_seconds = 60)
      : host_(std::move(host)), port_(port), timeout_(timeout_seconds) {}

  // nullopt when the server could not be reached or closed the connection without answering.
  std::optional<HttpResult> request(const std::string& method, const std::string& target,
                                    const Headers& headers = {}, const std::string& body = {},
                                    const std::string& content_type = "application/json") {
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool reused = stream_.has_value();
      if (!stream_ && !connect()) return std::nullopt;
      namespace http = boost::beast::http;
      http::request<http::string_body> req(http::string_to_verb(method), target, 11);
      req.set(http::field::host, host_);
      for (const auto& [k, v] : headers) req.set(k, v);
      if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        req.set(http::field::content_type, content_type);
        req.body() = body;
      }
      req.keep_alive(true);
      req.prepare_payload();
      boost::beast::error_code ec;
      stream_->expires_after(std::chrono::seconds(timeout_));
      http::write(*stream_, req, ec);
      boost::beast::flat_buffer buffer;
      http::response_parser<http::string_body> parser;
      parser.body_limit(boost::none);
      parser.header_limit(1 << 20);
      if (!ec) http::read(*stream_, buffer, parser, ec);
      if (ec) {
        stream_.reset();
        if (reused) continue;  // a kept-alive connection the server had closed: once more, anew
        return std::nullopt;
      }
      auto& res = parser.get();
      HttpResult out;
      out.status = static_cast<int>(res.result_int());
      out.body = std::move(res.body());
      for (const auto& f : res)
        out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
      if (!res.keep_alive()) stream_.reset();
      return out;
    }
    return std::nullopt;
  }
  // Connects from this local address (e.g. "127.0.0.2": another client on the loopback).
  void bind_local(std::string address) {
    local_ = std::move(address);
    stream_.reset();
  }
  std::optional<HttpResult> Get(const std::string& t, const Headers& h = {}) {
    return request("GET", t, h);
  }
  std::optional<HttpResult> Post(const std::string& t, const Headers& h, const std::string& body,
                                 const std::string& type = "application/json") {
    return request("POST", t, h, body, type);
  }
  std::optional<HttpResult> Patch(const std::string& t, const Headers& h, const std::string& body) {
    return request("PATCH", t, h, body);
  }
  std::optional<HttpResult> Put(const std::string& t, const Headers& h, const std::string& body) {
    return request("PUT", t, h, body);
  }
  std::optional<HttpResult> Delete(const std::string& t, const Headers& h = {}) {
    return request("DELETE", t, h);
  }

 private:
  bool connect() {
    boost::beast::error_code ec;
    boost::asio::ip::tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(host_, std::to_string(port_), ec);
    if (ec) return false;
    stream_.emplace(ioc_);
    stream_->expires_after(std::chrono::seconds(timeout_));
    if (!local_.empty()) {
      auto& socket = stream_->socket();
      socket.open(boost::asio::ip::tcp::v4(), ec);
      if (!ec) socket.bind({boost::asio::ip::make_address(local_, ec), 0}, ec);
      if (ec) {
        stream_.reset();
        return false;
      }
      stream_->connect(results.begin()->endpoint(), ec);
    } else {
      stream_->connect(results, ec);
    }
    if (ec) {
      stream_.reset();
      return false;
    }
    return true;
  }
  std::string host_;
  std::string local_;
  int port_;
  int timeout_;
  boost::asio::io_context ioc_;
  std::optional<boost::beast::tcp_stream> stream_;
};

}  // namespace poles::testing
