#include "http/router.h"

#include <fmt/format.h>

#include "core/schema.h"
#include "http/services.h"

namespace poles::http {

namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  size_t b = 1;  // paths start with '/'
  while (b <= path.size()) {
    size_t e = path.find('/', b);
    if (e == std::string_view::npos) e = path.size();
    out.emplace_back(path.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

RouteBuilder& RouteBuilder::may(app::Action action, std::string_view entity) {
  const schema::Entity* e = schema::find_entity(entity);
  return roles([action, e](app::Role role) { return app::may(role, action, *e); });
}

RouteBuilder& RouteBuilder::may(app::Op op, std::string_view entity) {
  return roles(
      [op, name = std::string(entity)](app::Role role) { return app::may(role, op, name); });
}

RouteBuilder Router::add(std::string method, std::string path, std::string summary,
                         std::string tag) {
  auto r = std::make_unique<Route>();
  r->method = std::move(method);
  r->segments = split_path(path);
  r->path = std::move(path);
  r->summary = std::move(summary);
  r->tag = std::move(tag);
  routes_.push_back(std::move(r));
  return RouteBuilder(*routes_.back());
}

std::optional<Router::Match> Router::find(std::string_view method, std::string_view path,
                                          std::vector<std::string>* allowed) const {
  if (path.empty() || path.front() != '/') return std::nullopt;
  const auto parts = split_path(path);
  for (const auto& r : routes_) {
    if (r->segments.size() != parts.size()) continue;
    std::vector<std::string> params;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      if (is_param(r->segments[i])) {
        ok = !parts[i].empty();
        params.push_back(parts[i]);
      } else {
        ok = r->segments[i] == parts[i];
      }
    }
    if (!ok) continue;
    if (r->method == method) return Match{r.get(), std::move(params)};
    if (allowed != nullptr) allowed->push_back(r->method);
  }
  return std::nullopt;
}

Result<snapshot::SnapshotPtr> Ctx::snapshot() { return services.snapshots.get(*store); }

Result<Json> Ctx::json_body() const {
  if (req.body.empty()) return Status::invalid_argument("the request needs a JSON body");
  // The parser is iterative, but writing, copying and comparing a document recurse: a body
  // nested thousands of levels deep (a few kilobytes) would overflow the stack of the thread
  // that handles it. No body of this API nests deeper than a few levels.
  bool too_deep = false;
  Json j = Json::parse(
      req.body,
      [&too_deep](int depth, Json::parse_event_t, Json&) {
        if (depth > kMaxJsonDepth) too_deep = true;
        return !too_deep;
      },
      false);
  if (too_deep)
    return Status::invalid_argument(
        fmt::format("the body nests deeper than {} levels of arrays and objects", kMaxJsonDepth));
  if (j.is_discarded())
    return Status::invalid_argument("the body is not valid JSON (RFC 8259, UTF-8)");
  return j;
}

}  // namespace poles::http
