#include "http/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <mutex>
#include <unordered_map>

#include "app/accounts.h"
#include "app/entities.h"
#include "core/date.h"
#include "http/listener.h"
#include "http/logs.h"
#include "http/openapi.h"
#include "http/services.h"
#include "http/static_files.h"
#include "store/version_watch.h"

namespace poles::http {

namespace {

bool unsafe(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// What admission found, handed to handle().
struct Admitted {
  const Route* route = nullptr;  // null: a dashboard file
  std::vector<std::string> params;
  std::optional<app::Session> session;
};

Response answer(int status, std::string_view detail) {
  Response r;
  problem(r, status, detail);
  return r;
}

}  // namespace

struct Server::Impl final : Dispatcher {
  explicit Impl(const Config& c) : services(c), files(c.web_root) {
    for (const auto& p : c.trusted_proxies) {
      if (auto n = proxy_network(p)) proxies.push_back(*n);
    }
  }

  Services services;
  Router router;
  StaticFiles files;
  std::unique_ptr<Listener> listener;

  // Answers of cached GET routes: key -> (data version, body).
  struct Cached {
    uint64_t version;
    std::string body;
    std::string type;
    std::string disposition;  // Content-Disposition of a download, or empty
  };
  std::mutex cache_mu;
  std::unordered_map<std::string, Cached> cache;
  uint64_t cache_bytes = 0;  // of the keys and bodies held
  // Bounds of the cache, in answers and bytes: past either it starts again empty (the answers of
  // the current data version are computed again on demand). Distinct queries of anonymous
  // callers (a portal search) must not hold the server's memory.
  static constexpr size_t kCacheAnswers = 10000;
  static constexpr uint64_t kCacheBytes = 256ull << 20;

  std::vector<ProxyNetwork> proxies;  // trusted reverse proxies
  // On PostgreSQL: follows the data version other servers move (LISTEN/NOTIFY); once writes
  // settle, drops stale answers and reloads the snapshot before anyone asks. Last: stopped
  // before the rest goes.
  std::unique_ptr<store::VersionWatch> watch;

  void drop_answers_before(uint64_t version);
  void reload_snapshot();

  Admission admit(Request& req) override;
  void handle(Request& req, Admission& a, Response& res) override;
  void decorate(const Request& req, Response& res) override;
  void finished(const Request& req, int status, uint64_t bytes, double seconds) override;
  bool is_proxy(const std::string& peer) const override;
  bool over_anonymous_rate(const Request& req, Admission& a);
  void forwarded(Request& req) const;
};

bool Server::Impl::is_proxy(const std::string& peer) const {
  if (proxies.empty()) return false;
  boost::system::error_code ec;
  const auto a = boost::asio::ip::make_address(peer, ec);
  if (ec) return false;
  return std::any_of(proxies.begin(), proxies.end(),
                     [&a](const ProxyNetwork& n) { return n.contains(a); });
}

// A request through a trusted proxy: the client is the right-most address of X-Forwarded-For
// that is not itself a trusted proxy (the left part of the list is whatever the client sent, and
// could name anyone), and the scheme is X-Forwarded-Proto's. From any other peer both headers are
// ignored: a client cannot choose the address it is throttled by, nor pass for https.
void Server::Impl::forwarded(Request& req) const {
  if (!is_proxy(req.peer)) return;
  std::string list;
  std::string_view proto;
  for (const auto& [name, value] : req.headers) {
    if (iequals(name, "X-Forwarded-For")) list += (list.empty() ? "" : ",") + value;
    if (iequals(name, "X-Forwarded-Proto")) proto = value;
  }
  std::string_view rest(list);
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    std::string_view hop = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    while (!hop.empty() && (hop.front() == ' ' || hop.front() == '\t')) hop.remove_prefix(1);
    while (!hop.empty() && (hop.back() == ' ' || hop.back() == '\t')) hop.remove_suffix(1);
    boost::system::error_code ec;
    const auto a = boost::asio::ip::make_address(std::string(hop), ec);
    if (ec) break;  // not an address: keep the nearest hop known
    req.client = a.to_string();
    if (!is_proxy(req.client)) break;
  }
  if (const auto comma = proto.rfind(','); comma != std::string_view::npos)
    proto = proto.substr(comma + 1);
  while (!proto.empty() && proto.front() == ' ') proto.remove_prefix(1);
  while (!proto.empty() && proto.back() == ' ') proto.remove_suffix(1);
  req.https = iequals(proto, "https");
}

void Server::Impl::finished(const Request& req, int status, uint64_t bytes, double seconds) {
  // The method as a label: one of HTTP's, or "other" (a client may send any token, and each
  // would otherwise be a series kept for ever).
  static constexpr std::array<std::string_view, 7> kMethods = {"GET",   "HEAD",   "POST",   "PUT",
                                                               "PATCH", "DELETE", "OPTIONS"};
  const bool known = std::find(kMethods.begin(), kMethods.end(), req.method) != kMethods.end();
  services.metrics.request(req.route, known ? req.method : "other", status, seconds);
  if (services.config.access_log) {
    // A path that carries a secret (a support request's tracking link) is logged as its
    // route's template.
    const bool secret = req.route.find("{tracking}") != std::string::npos;
    log_access(AccessRecord{req.id, known ? req.method : "other", req.route,
                            secret ? req.route : req.path, status, seconds, bytes, req.user,
                            req.role, req.client});
  }
}

bool Server::Impl::over_anonymous_rate(const Request& req, Admission& a) {
  double wait = 1;
  if (services.anonymous.take(req.client, &wait)) return false;
  Response r = answer(429, "too many requests from this address without logging in: slow down");
  r.set_header("Retry-After", std::to_string(std::max(1, static_cast<int>(std::ceil(wait)))));
  a.answer = std::move(r);
  return true;
}

Admission Server::Impl::admit(Request& req) {
  auto st = std::make_shared<Admitted>();
  Admission a;
  a.state = st;
  const Limits& limits = services.config.limits;
  forwarded(req);
  // The API and the public portal's pages are routes; everything else is a file of the dashboard.
  if (!req.path.starts_with("/api/") && req.path != "/public" &&
      !req.path.starts_with("/public/") && req.path != "/sitemap.xml" &&
      req.path != "/robots.txt" && req.path != "/metrics") {
    if (req.method != "GET") {
      Response r =
          answer(405, fmt::format("{} is not served here: the dashboard's files are read with GET",
                                  req.method));
      r.set_header("Allow", "GET");
      a.answer = std::move(r);
      return a;
    }
    req.route = "files";
    if (over_anonymous_rate(req, a)) return a;
    a.body_limit = 0;
    return a;
  }
  std::vector<std::string> allowed;
  auto m = router.find(req.method, req.path, &allowed);
  if (!m) {
    if (allowed.empty()) {
      a.answer = answer(404, fmt::format("no route for {} {}", req.method, req.path));
    } else {
      std::string list;
      for (const auto& x : allowed) list += (list.empty() ? "" : ", ") + x;
      Response r = answer(
          405, fmt::format("{} is not allowed on {} (allowed: {})", req.method, req.path, list));
      r.set_header("Allow", list);
      a.answer = std::move(r);
    }
    return a;
  }
  const Route& route = *m->route;
  st->route = &route;
  req.route = route.path;
  st->params = std::move(m->params);

  // Who is calling: a bearer token, or a session cookie (with the CSRF token on writes).
  const std::string_view auth = req.header("Authorization");
  const std::string cookie = req.cookie(kSessionCookie);
  if (!route.sessionless && (!auth.empty() || !cookie.empty())) {
    auto lease = services.pool->lease();
    Result<std::optional<app::Session>> s = std::optional<app::Session>{};
    if (auth.starts_with("Bearer ")) {
      s = app::Accounts::token(*lease, std::string(auth.substr(7)));
    } else if (!auth.empty()) {
      a.answer = answer(401, "the Authorization header must be 'Bearer <token>'");
      return a;
    } else {
      s = app::Accounts::session(*lease, cookie);
      if (s && *s && unsafe(req.method) && req.header("X-CSRF-Token") != (**s).csrf) {
        a.answer = answer(403, "missing or wrong X-CSRF-Token header");
        return a;
      }
    }
    if (!s) {
      Response r;
      problem(r, s.error());
      a.answer = std::move(r);
      return a;
    }
    st->session = std::move(*s);
    if (st->session) {
      req.user = st->session->user.name;
      req.role = std::string(app::role_name(st->session->user.role));
    }
  }
  if (route.guard != Guard::kPublic && !st->session) {
    a.answer = answer(401, "log in, or send a bearer token");
    return a;
  }
  if (route.guard == Guard::kRoles && !route.allowed(st->session->user.role)) {
    a.answer =
        answer(403, fmt::format("the {} role may not {} {}", app::role_name(st->session->user.role),
                                route.method, route.path));
    a.answer->language = st->session->user.language;
    return a;
  }
  // Liveness probes are never throttled; every other call without credentials is.
  if (!st->session && !route.path.starts_with("/api/v1/health") && over_anonymous_rate(req, a))
    return a;
  switch (route.body) {
    case BodyKind::kNone:
    case BodyKind::kJson:
      a.body_limit = !st->session ? limits.max_anonymous_body_bytes
                     : route.large_body
                         ? (route.large_body_at_most > 0
                                ? std::min(route.large_body_at_most, limits.max_upload_bytes)
                                : limits.max_upload_bytes)
                         : limits.max_body_bytes;
      break;
    case BodyKind::kUpload:
      a.body_limit = st->session ? limits.max_upload_bytes : limits.max_anonymous_body_bytes;
      break;
  }
  return a;
}

void Server::Impl::handle(Request& req, Admission& a, Response& res) {
  auto& st = *static_cast<Admitted*>(a.state.get());
  if (st.route == nullptr) return files.serve(req, res);
  const Route& route = *st.route;
  auto args = app::parse(route.params, req.query);
  if (!args) return problem(res, args.error());
  auto lease = services.pool->lease();
  Ctx c{req,
        res,
        route,
        std::move(st.params),
        std::move(*args),
        st.session ? &*st.session : nullptr,
        lease,
        services};
  if (st.session) res.language = st.session->user.language;
  std::string key;
  uint64_t version = 0;
  if (route.cached) {
    auto v = lease->data_version();
    if (!v) return problem(res, v.error());
    version = *v;
    // Every part length-prefixed: a decoded value may hold '&', '=' or '#', and two requests
    // (or a request and another caller's) must never share a key by their concatenation.
    const auto part = [&key](std::string_view x) {
      key.append(std::to_string(x.size())).append(":").append(x);
    };
    part(route.method);
    part(route.path);
    // The day (UTC): pages that depend on it (the open calls) are never a day old.
    part(today_utc().to_string());
    for (const auto& p : c.path) part(p);
    for (const auto& [k, x] : c.args.values()) {
      part(k);
      part(x);
    }
    if (c.session) {
      part(app::role_name(c.session->user.role));
      part(c.session->user.scope);
    } else {
      part("anonymous");
    }
    std::lock_guard lock(cache_mu);
    if (auto it = cache.find(key); it != cache.end() && it->second.version == version) {
      res.set(200, it->second.type, it->second.body);
      if (!it->second.disposition.empty())
        res.set_header("Content-Disposition", it->second.disposition);
      res.set_header("X-Cache", "hit");
      services.metrics.cache(true);
      return;
    }
    services.metrics.cache(false);
  }
  route.handler(c);
  if (res.status >= 500) {
    spdlog::error("request {} {} {}: {} {}", req.id, req.method, req.route, res.status, res.body);
  }
  if (route.cached && res.status == 200) {
    std::lock_guard lock(cache_mu);
    const uint64_t size = key.size() + res.body.size();
    if (cache.size() >= kCacheAnswers || cache_bytes + size > kCacheBytes) {
      cache.clear();
      cache_bytes = 0;
    }
    // A replaced answer gives back its own size (cache_bytes is what the entries hold now).
    if (auto old = cache.find(key); old != cache.end())
      cache_bytes -= old->first.size() + old->second.body.size();
    cache.insert_or_assign(key, Cached{version, res.body, res.content_type,
                                       std::string(res.header("Content-Disposition"))});
    cache_bytes += size;
  }
}

void Server::Impl::decorate(const Request& req, Response& res) {
  // Over TLS (through a trusted proxy): browsers keep to https for a year, subdomains included.
  if (req.https) res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  res.set_header("X-Content-Type-Options", "nosniff");
  // A route may ask for less (the portal's tracking link: no-referrer).
  if (res.header("Referrer-Policy").empty()) res.set_header("Referrer-Policy", "same-origin");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                 "frame-ancestors 'none'");
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

void Server::Impl::drop_answers_before(uint64_t version) {
  std::lock_guard lock(cache_mu);
  std::erase_if(cache, [&](const auto& kv) {
    if (kv.second.version >= version) return false;
    cache_bytes -= kv.first.size() + kv.second.body.size();
    return true;
  });
}

void Server::Impl::reload_snapshot() {
  if (!services.snapshots.peek() || services.stopping) return;  // never needed here yet
  auto lease = services.pool->lease();
  if (auto snap = services.snapshots.get(*lease); !snap)
    spdlog::warn("snapshot: reload after a change failed: {}", snap.error().message());
}

Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::create(const Config& config) {
  POLES_RETURN_IF_ERROR(check_config(config));
  auto impl = std::make_unique<Impl>(config);
  // Fewer connections than threads: a thread waits for one only while it runs a request, and
  // PostgreSQL servers have a connection limit (100 by default).
  POLES_ASSIGN_OR_RETURN(
      impl->services.pool,
      app::StorePool::open(
          config.db, std::clamp(config.store_connections, 2, std::max(2, config.threads * 2))));
  {
    // The database's secret (ETags, cursors) is drawn on the first start, before any answer is
    // cached: drawing it writes to the store.
    auto lease = impl->services.pool->lease();
    POLES_RETURN_IF_ERROR(app::server_keys(*lease).status());
  }
  Router& r = impl->router;
  Services& s = impl->services;
  add_system_routes(r, s);
  add_account_routes(r, s);
  add_stats_routes(r, s);
  add_select_routes(r, s);
  add_network_routes(r, s);
  add_evaluate_routes(r, s);
  add_factory_routes(r, s);
  add_report_routes(r, s);
  add_impact_routes(r, s);
  add_mapped_import_routes(r, s);  // before /api/v1/import/{entity}, which would take it
  add_resolution_routes(r, s);
  add_entity_routes(r, s);
  add_request_routes(r, s);
  add_support_routes(r, s);
  add_census_routes(r, s);
  add_portal_routes(r, s);
  s.openapi = openapi_document(r).dump(1);
  s.public_openapi = public_openapi_document(r, "/api/public/v1/").dump(1);
  impl->listener = std::make_unique<Listener>(config.limits, config.threads, *impl);
  s.open_connections = [l = impl->listener.get()] { return l->open_connections(); };
  s.cache_size = [i = impl.get()] {
    std::lock_guard lock(i->cache_mu);
    return std::pair<uint64_t, uint64_t>{i->cache.size(), i->cache_bytes};
  };
  if (config.db.starts_with("postgresql://") || config.db.starts_with("postgres://")) {
    Impl* i = impl.get();
    impl->watch = std::make_unique<store::VersionWatch>(
        config.db, store::VersionWatch::Callbacks{{}, [i](uint64_t v) {
                                                    i->drop_answers_before(v);
                                                    i->reload_snapshot();
                                                  }});
    s.store_notifications = [w = impl->watch.get()] {
      return std::pair<uint64_t, bool>{w->notifications(), w->listening()};
    };
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<int> Server::bind() {
  auto port = impl_->listener->bind(impl_->services.config.host, impl_->services.config.port);
  // The port bound (the one asked, or the free one given for 0): the portal's absolute links
  // when no public_url is set. Written before any request is served.
  if (port) impl_->services.config.port = *port;
  return port;
}

void Server::run() { impl_->listener->run(); }

void Server::stop() {
  if (impl_) {
    impl_->services.stopping = true;  // readiness answers 503 while requests drain
    impl_->services.jobs.stop();      // no more jobs claimed; those running here queued again
    if (impl_->watch) impl_->watch->stop();
  }
  if (impl_ && impl_->listener) impl_->listener->stop();
}

const std::vector<std::unique_ptr<Route>>& Server::routes() const { return impl_->router.routes(); }

const std::string& Server::openapi() const { return impl_->services.openapi; }

}  // namespace poles::http
