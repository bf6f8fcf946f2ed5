#include "http/problem.h"

#include <nlohmann/json.hpp>

#include "core/validate.h"

namespace poles::http {

namespace {

using Json = nlohmann::ordered_json;

struct Kind {
  const char* type;
  const char* title;
};

Kind kind_of(int status) {
  switch (status) {
    case 400:
      return {"bad-request", "Bad request"};
    case 401:
      return {"unauthenticated", "Authentication required"};
    case 403:
      return {"forbidden", "Forbidden"};
    case 404:
      return {"not-found", "Not found"};
    case 405:
      return {"method-not-allowed", "Method not allowed"};
    case 408:
      return {"timeout", "Request timeout"};
    case 409:
      return {"conflict", "Conflict"};
    case 411:
      return {"length-required", "Length required"};
    case 412:
      return {"precondition-failed", "Precondition failed"};
    case 413:
      return {"too-large", "Payload too large"};
    case 414:
      return {"uri-too-long", "URI too long"};
    case 415:
      return {"unsupported-media-type", "Unsupported media type"};
    case 422:
      return {"bad-input", "Invalid data"};
    case 428:
      return {"precondition-required", "Precondition required"};
    case 429:
      return {"too-many", "Too many requests"};
    case 431:
      return {"header-too-large", "Request header fields too large"};
    case 501:
      return {"not-implemented", "Not implemented"};
    case 503:
      return {"unavailable", "Service unavailable"};
    default:
      return {"internal", "Internal error"};
  }
}

// Text that may hold anything a client sent: cut at a character boundary, and only valid UTF-8
// (the JSON writer throws on invalid UTF-8).
std::string safe(std::string_view s, size_t max = 2000) {
  if (validate::utf8(s)) return "(not valid UTF-8)";
  return validate::truncate_utf8(s, max);
}

void write(Response& res, int status, std::string_view detail, const Status* st) {
  const Kind k = kind_of(status);
  Json p{{"type", std::string("https://poles.invalid/problems/") + k.type},
         {"title", k.title},
         {"status", status},
         {"detail", safe(detail)}};
  if (st != nullptr && !st->field_errors().empty()) {
    Json errs = Json::array();
    for (const auto& fe : st->field_errors()) {
      Json e{{"field", safe(fe.field, 200)},
             {"value", safe(fe.value, 200)},
             {"rule", safe(fe.rule)},
             {"message", safe(fe.format())}};
      if (!fe.file.empty()) e["file"] = safe(fe.file, 200);
      if (fe.line > 0) e["line"] = fe.line;
      if (fe.column > 0) e["column"] = fe.column;
      errs.push_back(std::move(e));
    }
    p["errors"] = std::move(errs);
  }
  res.status = status;
  res.content_type = "application/problem+json";
  res.body = p.dump();
}

}  // namespace

void problem(Response& res, int status, std::string_view detail) {
  write(res, status, detail, nullptr);
}

int problem_status(const Status& s) {
  int status = http_status(s.code());
  if (s.code() == ErrorCode::kInvalidArgument) {
    // A body that is well-formed but breaks rules is 422; anything else (malformed JSON, a bad
    // query parameter, a bad cursor) is 400.
    bool body_rules = !s.field_errors().empty();
    for (const auto& fe : s.field_errors()) body_rules = body_rules && fe.file != "query";
    status = body_rules ? 422 : 400;
  }
  return status;
}

void problem(Response& res, const Status& s) {
  const int status = problem_status(s);
  if (status >= 500 && s.code() == ErrorCode::kInternal) {
    return write(res, status, "an internal error occurred; it has been logged", &s);
  }
  write(res, status, s.message(), &s);
}

}  // namespace poles::http
