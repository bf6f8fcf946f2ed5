// What the routes that answer with a document share: format= and lang= parameters, and the
// answer as HTML or as the PDF printed from it.
#pragma once

#include <string>

#include "http/router.h"

namespace poles::http {

// `base` followed by format (html|pdf) and lang (fr|en).
app::ParamSpecs document_params(const app::ParamSpecs& base);
// Documents the two answers (HTML, PDF) of a document route.
void document_answers(RouteBuilder& b);
// Writes `html`, or its PDF (named `name`.pdf), as the request's format= asks.
void send_document(Ctx& c, const std::string& html, const std::string& name);

// Whether the role reads every cluster's evaluation, drafts included (the State, evaluators),
// rather than the published evaluation of the clusters in its scope.
bool reads_every_evaluation(app::Role role);

}  // namespace poles::http
