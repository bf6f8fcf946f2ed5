#include "http/listener.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <strings.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/problem.h"
#include "http/services.h"

namespace poles::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Bytes read from a client after an early answer, before the connection is closed (so that the
// answer is not lost to a reset while the client is still sending).
constexpr size_t kDrainBytes = size_t{256} * 1024;

}  // namespace

class Session;

struct Listener::Impl {
  Impl(const Limits& l, int n, Dispatcher& d) : limits(l), threads(std::max(1, n)), dispatcher(d) {}

  Limits limits;
  int threads;
  Dispatcher& dispatcher;
  std::atomic<bool> stopping{false};
  std::atomic<bool> running{false};
  std::atomic<uint64_t> next_id{1};

  // Open connections: in total, by client address, and the sessions (to stop them).
  mutable std::mutex mu;
  uint32_t open = 0;
  std::unordered_map<std::string, uint32_t> by_client;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

  // Declared last, destroyed first: sessions still held by pending handlers are destroyed with
  // the io_context, and their destructors use the counters above.
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::optional<tcp::acceptor> acceptor;

  void accept();
  void refuse(tcp::socket socket, const std::string& why);
  // Counted per throttle_address(): an IPv6 client by its /64, as the rate limits count it (one
  // host holds a whole /64 and could otherwise open the limit from each of its addresses).
  bool enter(const std::string& client) {
    const std::string key = throttle_address(client);
    std::lock_guard lock(mu);
    if (open >= limits.max_connections) return false;
    if (dispatcher.is_proxy(client)) {
      ++open;
      return true;
    }
    auto& n = by_client[key];
    if (n >= limits.max_connections_per_client) {
      if (n == 0) by_client.erase(key);
      return false;
    }
    ++n;
    ++open;
    return true;
  }
  void leave(const std::string& client, Session* s) {
    std::lock_guard lock(mu);
    --open;
    if (auto it = by_client.find(throttle_address(client));
        it != by_client.end() && --it->second == 0)
      by_client.erase(it);
    sessions.erase(s);
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Listener::Impl& srv, tcp::socket socket, std::string client)
      : srv_(srv), stream_(std::move(socket)), client_(std::move(client)) {}
  ~Session() { srv_.leave(client_, this); }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_request(); });
  }

  // From any thread: finish the request in progress, then close; close at once when idle or
  // still receiving a request.
  void stop() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (self->phase_ == Phase::kIdle || self->phase_ == Phase::kHead ||
          self->phase_ == Phase::kBody) {
        beast::error_code ec;
        self->stream_.socket().cancel(ec);
      }
    });
  }

 private:
  enum class Phase { kIdle, kHead, kBody, kHandling, kWriting, kClosing };

  const Limits& limits() const { return srv_.limits; }

  void wait_request() {
    if (stopping_ || served_ >= limits().max_requests_per_connection) return close();
    parser_.emplace();
    parser_->header_limit(limits().max_header_bytes);
    parser_->body_limit(boost::none);  // the route's limit is set once the head is admitted
    if (buffer_.size() > 0) return read_head();  // a pipelined request is already here
    phase_ = Phase::kIdle;
    stream_.expires_after(std::chrono::seconds(limits().idle_timeout));
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->buffer_.commit(n);
                              if (ec) return self->close();
                              self->read_head();
                            });
  }

  void read_head() {
    phase_ = Phase::kHead;
    started_ = std::chrono::steady_clock::now();
    req_ = Request{};  // an answer to a malformed head is reported with what is known
    req_.client = client_;
    req_.peer = client_;
    stream_.expires_after(std::chrono::seconds(limits().header_timeout));
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_head(ec); });
  }

  void on_head(beast::error_code ec) {
    if (ec == beast::error::timeout || ec == bhttp::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset) {
      return close();
    }
    if (ec == bhttp::error::header_limit) {
      return early(431,
                   fmt::format("the request head exceeds {} bytes", limits().max_header_bytes));
    }
    if (ec) return early(400, fmt::format("malformed request: {}", ec.message()));
    const auto& msg = parser_->get();
    req_ = Request{};
    req_.id = srv_.next_id++;
    req_.client = client_;
    req_.peer = client_;
    req_.method = std::string(msg.method_string());
    req_.target = std::string(msg.target());
    if (msg.version() != 11 && msg.version() != 10)
      return early(505, "only HTTP/1.0 and HTTP/1.1 are served");
    if (req_.target.size() > limits().max_url_bytes) {
      return early(414, fmt::format("the URL exceeds {} bytes", limits().max_url_bytes));
    }
    size_t fields = 0, lengths = 0, encodings = 0;
    std::string_view encoding;
    for (const auto& f : msg) {
      ++fields;
      if (f.name() == bhttp::field::content_length) ++lengths;
      if (f.name() == bhttp::field::transfer_encoding) {
        ++encodings;
        encoding = f.value();
      }
    }
    if (fields > limits().max_headers) {
      return early(431,
                   fmt::format("the request has more than {} header fields", limits().max_headers));
    }
    // Request smuggling: one framing only (RFC 9112 §6.3).
    if (lengths > 1) return early(400, "the request has more than one Content-Length");
    if (lengths > 0 && encodings > 0)
      return early(400, "the request has both Content-Length and Transfer-Encoding");
    if (encodings > 1 || (encodings == 1 && !iequals(trim(encoding), "chunked"))) {
      return early(400, "the only transfer coding accepted is a single 'chunked'");
    }
    if (req_.target.empty() || req_.target.front() != '/') {
      return early(400, "the request target must be a path starting with '/'");
    }
    const auto q = req_.target.find('?');
    if (!percent_decode(std::string_view(req_.target).substr(0, q), req_.path, false)) {
      return early(400, "the path is malformed: a bad %-escape, an encoded NUL or invalid UTF-8");
    }
    if (q != std::string::npos) {
      auto query = parse_query(std::string_view(req_.target).substr(q + 1));
      if (!query) return early(400, query.error().message());
      req_.query = std::move(*query);
    }
    req_.headers.reserve(fields);
    for (const auto& f : msg)
      req_.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    phase_ = Phase::kHandling;
    try {
      admission_ = srv_.dispatcher.admit(req_);
    } catch (const std::exception& e) {
      spdlog::error("request {} {} {}: admission failed: {}", req_.id, req_.method, req_.path,
                    e.what());
      return early(500, "an internal error occurred; it has been logged");
    }
    if (admission_.answer) {
      Response r = std::move(*admission_.answer);
      r.close =
          r.close || !parser_->is_done();  // the body was not read: do not reuse the connection
      return send(std::move(r));
    }
    if (const auto length = parser_->content_length(); length && *length > admission_.body_limit) {
      return early(413,
                   fmt::format("the body ({} bytes announced) exceeds the {} bytes accepted here",
                               *length, admission_.body_limit));
    }
    parser_->body_limit(admission_.body_limit);
    if (parser_->is_done()) return handle();
    if (iequals(trim(msg[bhttp::field::expect]), "100-continue")) {
      auto cont =
          std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      phase_ = Phase::kWriting;
      stream_.expires_after(std::chrono::seconds(limits().write_timeout));
      bhttp::async_write(stream_, *cont,
                         [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                           if (wec) return self->close();
                           self->read_body();
                         });
      return;
    }
    read_body();
  }

  void read_body() {
    phase_ = Phase::kBody;
    stream_.expires_after(std::chrono::seconds(limits().body_timeout));
    bhttp::async_read(
        stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec == bhttp::error::body_limit) {
            return self->early(413, fmt::format("the body exceeds the {} bytes accepted here",
                                                self->admission_.body_limit));
          }
          if (ec == beast::error::timeout || ec == net::error::operation_aborted ||
              ec == net::error::eof || ec == bhttp::error::end_of_stream ||
              ec == net::error::connection_reset) {
            return self->close();
          }
          if (ec) return self->early(400, fmt::format("malformed request body: {}", ec.message()));
          self->handle();
        });
  }

  void handle() {
    phase_ = Phase::kHandling;
    req_.body = std::move(parser_->get().body());
    Response r;
    try {
      srv_.dispatcher.handle(req_, admission_, r);
    } catch (const std::exception& e) {
      spdlog::error("request {} {} {}: {}", req_.id, req_.method, req_.path, e.what());
      r = Response{};
      problem(r, 500, "an internal error occurred; it has been logged");
    }
    admission_ = Admission{};
    send(std::move(r));
  }

  // The logs and metrics of the answer just written.
  void report(size_t bytes) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    try {
      if (req_.route.empty()) req_.route = "unmatched";
      srv_.dispatcher.finished(req_, static_cast<int>(res_status_), bytes, seconds);
    } catch (const std::exception& e) {
      spdlog::error("request {}: logging failed: {}", req_.id, e.what());
    }
  }

  // An answer before the request could be read whole: the connection closes after it.
  void early(int status, std::string_view detail) {
    Response r;
    problem(r, status, detail);
    r.close = true;
    send(std::move(r));
  }

  void send(Response r) {
    phase_ = Phase::kWriting;
    ++served_;
    res_ = {};
    res_.version(parser_ && parser_->get().version() == 10 ? 10 : 11);
    res_.result(static_cast<unsigned>(r.status));
    res_status_ = r.status;
    srv_.dispatcher.decorate(req_, r);
    localise_problem(r.language.empty() ? req_.header("Accept-Language") : r.language, r);
    if (!r.content_type.empty()) res_.set(bhttp::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res_.insert(k, v);
    res_.body() = std::move(r.body);
    const bool keep = !r.close && !stopping_ && parser_ && parser_->is_header_done() &&
                      parser_->get().keep_alive() && served_ < limits().max_requests_per_connection;
    res_.keep_alive(keep);
    res_.prepare_payload();
    stream_.expires_after(std::chrono::seconds(limits().write_timeout));
    bhttp::async_write(stream_, res_,
                       [self = shared_from_this(), keep](beast::error_code ec, size_t n) {
                         self->res_ = {};
                         self->report(n);
                         if (ec) return self->close();
                         if (!keep) return self->linger();
                         self->wait_request();
                       });
  }

  // Closes after an answer: stop sending, read (and drop) what the client may still send for a
  // moment, so that it reads the answer instead of a reset.
  void linger() {
    phase_ = Phase::kClosing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    stream_.expires_after(std::chrono::seconds(2));
    drain_.resize(size_t{16} * 1024);
    drain();
  }
  void drain() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kDrainBytes) return self->close();
                              self->drain();
                            });
  }

  void close() {
    phase_ = Phase::kClosing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  Listener::Impl& srv_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  std::string client_;
  Request req_;
  Admission admission_;
  std::vector<char> drain_;
  size_t drained_ = 0;
  uint32_t served_ = 0;
  int res_status_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  Phase phase_ = Phase::kIdle;
  bool stopping_ = false;
};

void Listener::Impl::accept() {
  acceptor->async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor->is_open()) return;
      spdlog::warn("accept: {}", ec.message());
      return accept();
    }
    beast::error_code aec;
    const auto remote = socket.remote_endpoint(aec);
    std::string client = aec ? std::string("unknown") : remote.address().to_string();
    socket.set_option(tcp::no_delay(true), aec);
    if (stopping) {
      socket.close(aec);
    } else if (!enter(client)) {
      refuse(std::move(socket), "too many connections: try again shortly");
    } else {
      auto s = std::make_shared<Session>(*this, std::move(socket), std::move(client));
      {
        std::lock_guard lock(mu);
        sessions.emplace(s.get(), s);
      }
      s->start();
    }
    accept();
  });
}

// A connection over the limits: a 503 written as it is, then closed (not counted as open).
void Listener::Impl::refuse(tcp::socket socket, const std::string& why) {
  Response r;
  problem(r, 503, why);
  auto text = std::make_shared<std::string>(fmt::format(
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nRetry-After: "
      "5\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{}",
      r.body.size(), r.body));
  auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
  stream->expires_after(std::chrono::seconds(2));
  net::async_write(*stream, net::buffer(*text), [stream, text](beast::error_code, size_t) {
    beast::error_code ec;
    stream->socket().shutdown(tcp::socket::shutdown_both, ec);
    stream->close();
  });
}

Listener::Listener(const Limits& limits, int threads, Dispatcher& dispatcher)
    : impl_(std::make_unique<Impl>(limits, threads, dispatcher)) {}

Listener::~Listener() { stop(0); }

Result<int> Listener::bind(const std::string& host, int port) {
  beast::error_code ec;
  const auto address = net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec)
    return Status::invalid_argument(fmt::format("cannot listen on '{}': not an IP address", host));
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  // The acceptor's handlers run on a strand of their own, where stop() closes it too: closing it
  // from another thread while a completed accept starts the next one was a data race (TSan saw
  // it; a test server crashed once under load).
  auto& a = impl_->acceptor.emplace(net::make_strand(impl_->ioc));
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    impl_->acceptor.reset();
    return Status::unavailable(fmt::format("cannot listen on {}:{}: {}", host, port, ec.message()));
  }
  return static_cast<int>(a.local_endpoint().port());
}

uint32_t Listener::open_connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->open;
}

void Listener::run() {
  if (!impl_->acceptor) return;
  impl_->running = true;
  impl_->work.emplace(impl_->ioc.get_executor());
  impl_->accept();
  std::vector<std::thread> pool;
  for (int i = 1; i < impl_->threads; ++i) pool.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : pool) t.join();
  impl_->running = false;
}

void Listener::stop(int drain_seconds) {
  if (impl_->stopping.exchange(true)) return;
  if (!impl_->acceptor) return;
  net::post(impl_->acceptor->get_executor(), [this] {
    beast::error_code ec;
    impl_->acceptor->close(ec);
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(impl_->mu);
    for (auto& [p, w] : impl_->sessions) {
      if (auto s = w.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->stop();
  live.clear();
  // Wait for the requests in progress to be answered (and their connections closed).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(drain_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(impl_->mu);
      if (impl_->open == 0) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  impl_->work.reset();
  impl_->ioc.stop();
}

}  // namespace poles::http
