// The OpenAPI 3.1 document of a route table: every operation with its parameters (path and
// query, from the ParamSpecs), request body, typed answers and error answers, and the JSON
// Schema of every result type and entity under components.
#pragma once

#include "core/schema.h"
#include "core/typed_json.h"
#include "http/router.h"

namespace poles::http {

tj::Json openapi_document(const Router& router);

// The schema of one entity's rows (`for_write`: the body of a create, where required fields are
// required; otherwise every field is present, null when empty). Registered once in `schemas`;
// returns its $ref.
tj::Json entity_schema(tj::Schemas& schemas, const schema::Entity& e, bool for_write);

}  // namespace poles::http
