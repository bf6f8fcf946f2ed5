#include "core/status.h"

#include <fmt/format.h>

namespace poles {

std::string FieldError::format() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (!cell.empty()) {
      out += ": " + cell;
    } else {
      if (line > 0) out += fmt::format(":{}", line);
      if (column > 0) out += fmt::format(":{}", column);
    }
    out += ": ";
  } else if (!cell.empty()) {
    out += cell + ": ";
  } else if (line > 0) {
    out += fmt::format("line {}: ", line);
  }
  if (!field.empty()) out += fmt::format("field '{}' ", field);
  out += fmt::format("value '{}': {}", value, rule);
  return out;
}

Status::Status(ErrorCode code, std::string msg)
    : state_(std::make_unique<State>(State{code, std::move(msg), {}, 1})) {}

Status::Status(const Status& other)
    : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
  return *this;
}

Status Status::bad_input(std::vector<FieldError> errors, int64_t total_errors) {
  const int64_t total = total_errors < 0 ? static_cast<int64_t>(errors.size()) : total_errors;
  std::string msg = total == 1 ? "1 error in input" : fmt::format("{} errors in input", total);
  if (total > static_cast<int64_t>(errors.size())) {
    msg += fmt::format(" (first {} shown)", errors.size());
  }
  Status s(ErrorCode::kInvalidArgument, std::move(msg));
  s.state_->errors = std::move(errors);
  s.state_->total_errors = total;
  return s;
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

const std::vector<FieldError>& Status::field_errors() const {
  static const std::vector<FieldError> kNone;
  return state_ ? state_->errors : kNone;
}

Status Status::with_context(const std::string& context) const {
  if (is_ok()) return Status();
  Status s(*this);
  s.state_->message = context + ": " + s.state_->message;
  return s;
}

std::string Status::to_string() const {
  if (is_ok()) return "OK";
  std::string out = fmt::format("{}: {}", error_code_name(code()), message());
  for (const auto& e : field_errors()) out += "\n" + e.format();
  return out;
}

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "OK";
    case ErrorCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case ErrorCode::kNotFound:
      return "NOT_FOUND";
    case ErrorCode::kConflict:
      return "CONFLICT";
    case ErrorCode::kPreconditionFailed:
      return "PRECONDITION_FAILED";
    case ErrorCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    case ErrorCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case ErrorCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case ErrorCode::kUnavailable:
      return "UNAVAILABLE";
    case ErrorCode::kNotConverged:
      return "NOT_CONVERGED";
    case ErrorCode::kCancelled:
      return "CANCELLED";
    case ErrorCode::kInternal:
      return "INTERNAL";
  }
  return "UNKNOWN";
}

int exit_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 0;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kConflict:
    case ErrorCode::kPreconditionFailed:
    case ErrorCode::kNotConverged:
      return 2;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kPermissionDenied:
      return 2;
    default:
      return 3;
  }
}

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 200;
    case ErrorCode::kInvalidArgument:
      return 422;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPreconditionFailed:
      return 412;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kNotConverged:
      return 422;
    case ErrorCode::kCancelled:
      return 409;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

}  // namespace poles
