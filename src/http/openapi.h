// The OpenAPI 3.1 document of a route table: every operation with its parameters (path and
// query, from the ParamSpecs), request body, typed answers and error answers, and the JSON
// Schema of every result type and entity under components.
#pragma once

#include "core/entity_json.h"
#include "core/schema.h"
#include "core/typed_json.h"
#include "http/router.h"

namespace poles::http {

tj::Json openapi_document(const Router& router);
// The schema of an answer that is an OpenAPI document (for the routes serving one).
tj::Json openapi_answer_schema(tj::Schemas&);
// The document of the public API alone: the routes under `prefix` (e.g. /api/public/v1/), no
// security, under the Licence Ouverte.
tj::Json public_openapi_document(const Router& router, std::string_view prefix);

}  // namespace poles::http
