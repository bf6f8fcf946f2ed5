// Error answers: every one is an application/problem+json document (RFC 9457) whose "status"
// equals the HTTP status, with a title and a type URI per status and, for bad input, the list of
// field errors (file, line, column, field, value, rule, message). Internal errors never carry the
// text of a library exception: the client gets a generic detail, the log gets the cause.
#pragma once

#include <string_view>

#include "core/status.h"
#include "http/exchange.h"

namespace poles::http {

// A problem with this HTTP status and detail.
void problem(Response& res, int status, std::string_view detail);
// The problem of a Status: its HTTP status (http_status of its code; 422 for bad input with
// field errors of a body, 400 for malformed input or bad query parameters).
void problem(Response& res, const Status& status);
// The HTTP status problem() gives a Status.
int problem_status(const Status& status);
// Whether an Accept-Language value asks for French first ("fr", "fr-FR", "fr;q=…").
bool prefers_french(std::string_view accept_language);
// A problem answer in French when the caller prefers it: the title by status, the detail and each
// field error's rule and message by a table of the server's texts (a text it lacks stays English),
// and Content-Language: fr. Any other response is left as it is.
void localise_problem(std::string_view accept_language, Response& res);
// The same for the "errors" of a JSON answer that reports refused rows without failing (a
// mapped import's preview), in the account's language (res.language) else the request's.
void localise_report_errors(std::string_view accept_language, Response& res);

}  // namespace poles::http
