// Requests to the owner of a row (app/requests.h): co-labels of projects and changes of a member
// organisation's master data, asked by a cluster (or a region), decided by the owner.
#include "app/requests.h"

#include "http/router.h"
#include "http/services.h"

namespace poles::http {
namespace {

const app::ParamSpecs& list_params() {
  static const app::ParamSpecs k = {
      app::text_param("status",
                      "Only the requests of this status: pending, accepted, refused or "
                      "withdrawn (default: all)")};
  return k;
}

// Answers a request (or its error) with `status`.
void answer(Ctx& c, const Result<app::ChangeRequest>& r, int status = 200) {
  if (!r) return c.fail(r.error());
  c.reply(status, *r);
}

}  // namespace

void add_request_routes(Router& r, Services&) {
  r.post("/api/v1/requests/colabel",
         "Ask the owner of a project (the cluster that labelled it first) for a co-label",
         "requests")
      .may(app::Op::kCreate, "change_requests")
      .takes<app::ColabelRequestBody>()
      .example({{"project_id", "demo-prj-00042"}, {"comment", "Nous finançons deux partenaires"}})
      .returns<app::ChangeRequest>(201, "Requested")
      .handle([](Ctx& c) {
        auto body = c.body<app::ColabelRequestBody>();
        if (!body) return c.fail(body.error());
        answer(c, app::request_colabel(*c.store, c.user(), *body), 201);
      });
  r.post("/api/v1/requests/organisation",
         "Propose changes to a member organisation's master data (its member account or the "
         "State decides)",
         "requests")
      .may(app::Op::kCreate, "change_requests")
      .takes<app::OrganisationRequestBody>()
      .example({{"organisation_id", "siren:310000039"},
                {"changes", {{"name", "Nouveau nom"}, {"city", "Lyon"}}}})
      .returns<app::ChangeRequest>(201, "Requested")
      .handle([](Ctx& c) {
        auto body = c.body<app::OrganisationRequestBody>();
        if (!body) return c.fail(body.error());
        answer(c, app::request_organisation_change(*c.store, c.user(), *body), 201);
      });
  r.get("/api/v1/requests", "The requests made by the caller's scope or that it may decide",
        "requests")
      .may(app::Op::kRead, "change_requests")
      .params(list_params())
      .returns<app::ChangeRequests>()
      .handle([](Ctx& c) {
        auto list = app::list_requests(*c.store, c.user(), c.args.text("status"));
        if (!list) return c.fail(list.error());
        c.reply(200, *list);
      });
  r.get("/api/v1/requests/{id}", "One request", "requests")
      .may(app::Op::kRead, "change_requests")
      .returns<app::ChangeRequest>()
      .handle([](Ctx& c) { answer(c, app::get_request(*c.store, c.user(), c.path[0])); });
  // Accept (the write is made as the caller, with the caller's rights) or refuse.
  for (const bool accept : {true, false}) {
    r.post(accept ? "/api/v1/requests/{id}/accept" : "/api/v1/requests/{id}/refuse",
           accept ? "Accept a pending request: its write is made as the caller, with the caller's "
                    "rights"
                  : "Refuse a pending request",
           "requests")
        .may(app::Op::kRead, "change_requests")
        .takes<app::RequestDecisionBody>()
        .returns<app::ChangeRequest>()
        .handle([accept](Ctx& c) {
          auto body = c.body<app::RequestDecisionBody>();
          if (!body) return c.fail(body.error());
          answer(c, app::decide_request(*c.store, c.user(), c.path[0], accept, *body));
        });
  }
  r.del("/api/v1/requests/{id}", "Withdraw a pending request (the requesting cluster)", "requests")
      .may(app::Op::kCreate, "change_requests")
      .returns<app::ChangeRequest>()
      .handle([](Ctx& c) { answer(c, app::withdraw_request(*c.store, c.user(), c.path[0])); });
}

}  // namespace poles::http
