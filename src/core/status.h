// Status and Result<T>: how expected failures travel in Pôles.
//
// A Status is OK or carries an error code, a message and, for bad input, the list of
// field errors (file, line, column, field, value, rule). Result<T> holds either a value or a
// non-OK Status. Both are [[nodiscard]]. Exceptions are reserved for errors that abort a whole
// operation; third-party exceptions are caught at the adapter that calls the library.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace poles {

enum class ErrorCode {
  kOk,
  kInvalidArgument,  // bad input (file, request body, option value)
  kNotFound,
  kConflict,            // unique key or state conflict
  kPreconditionFailed,  // If-Match mismatch
  kUnauthenticated,
  kPermissionDenied,
  kResourceExhausted,  // limits (request size, rate)
  kUnavailable,        // a peer or server could not be reached
  kNotConverged,
  kCancelled,
  kInternal,
};

// One violated rule on one value of one input record.
struct FieldError {
  std::string file;    // file name or "request" for API bodies; may be empty
  int64_t line = 0;    // 1-based physical line of the record; 0 when not applicable
  int64_t column = 0;  // 1-based column (field position); 0 when not applicable
  std::string field;
  std::string value;
  std::string rule;
  // A spreadsheet's cell ("Adhérents!E14"): shown instead of the line and column.
  std::string cell = {};

  // "file:line:column: field 'x' value 'y': rule", or "file: Sheet!B12: field…" for a
  // spreadsheet (parts without a value are omitted).
  std::string format() const;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status ok() { return Status(); }
  static Status invalid_argument(std::string msg) {
    return {ErrorCode::kInvalidArgument, std::move(msg)};
  }
  static Status not_found(std::string msg) { return {ErrorCode::kNotFound, std::move(msg)}; }
  static Status conflict(std::string msg) { return {ErrorCode::kConflict, std::move(msg)}; }
  static Status precondition_failed(std::string msg) {
    return {ErrorCode::kPreconditionFailed, std::move(msg)};
  }
  static Status unauthenticated(std::string msg) {
    return {ErrorCode::kUnauthenticated, std::move(msg)};
  }
  static Status permission_denied(std::string msg) {
    return {ErrorCode::kPermissionDenied, std::move(msg)};
  }
  static Status resource_exhausted(std::string msg) {
    return {ErrorCode::kResourceExhausted, std::move(msg)};
  }
  static Status unavailable(std::string msg) { return {ErrorCode::kUnavailable, std::move(msg)}; }
  static Status not_converged(std::string msg) {
    return {ErrorCode::kNotConverged, std::move(msg)};
  }
  static Status cancelled(std::string msg) { return {ErrorCode::kCancelled, std::move(msg)}; }
  static Status internal(std::string msg) { return {ErrorCode::kInternal, std::move(msg)}; }
  // Bad input with its field errors; the message summarises them.
  static Status bad_input(std::vector<FieldError> errors, int64_t total_errors = -1);

  bool is_ok() const { return state_ == nullptr; }
  ErrorCode code() const { return state_ ? state_->code : ErrorCode::kOk; }
  const std::string& message() const;
  const std::vector<FieldError>& field_errors() const;
  // Number of errors found, which may exceed field_errors().size() when the list was capped.
  int64_t total_errors() const { return state_ ? state_->total_errors : 0; }

  // Returns a copy whose message is prefixed with "context: ".
  Status with_context(const std::string& context) const;
  // "CODE: message" followed by one line per field error.
  std::string to_string() const;

 private:
  Status(ErrorCode code, std::string msg);
  struct State {
    ErrorCode code;
    std::string message;
    std::vector<FieldError> errors;
    int64_t total_errors = 0;
  };
  std::unique_ptr<State> state_;
};

const char* error_code_name(ErrorCode code);
// The one mapping from an error code to a process exit code (0 ok, 1 usage, 2 bad input,
// 3 internal).
int exit_code(ErrorCode code);
// The one mapping from an error code to an HTTP status.
int http_status(ErrorCode code);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const { return v_.index() == 0; }
  bool is_ok() const { return has_value(); }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // REQUIRES: !has_value()
  const Status& error() const { return std::get<1>(v_); }
  Status status() const { return has_value() ? Status::ok() : error(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace poles

// Propagates a non-OK Status from an expression returning Status.
#define POLES_RETURN_IF_ERROR(expr)                   \
  do {                                                \
    ::poles::Status poles_status_ = (expr);           \
    if (!poles_status_.is_ok()) return poles_status_; \
  } while (0)

#define POLES_CONCAT_INNER(a, b) a##b
#define POLES_CONCAT(a, b) POLES_CONCAT_INNER(a, b)
// Declares `lhs` from a Result-returning expression, or returns its Status. (`lhs` is a
// declaration, which parentheses would break.)
// NOLINTBEGIN(bugprone-macro-parentheses)
#define POLES_ASSIGN_OR_RETURN(lhs, expr) \
  POLES_ASSIGN_OR_RETURN_IMPL(POLES_CONCAT(poles_result_, __LINE__), lhs, expr)
#define POLES_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.has_value()) return tmp.error();         \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
