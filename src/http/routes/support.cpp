// The support requests' inbox (app/support.h): the requests firms sent from the public portal,
// for the cluster they were routed to, its region and the State.
#include "app/support.h"

#include "http/router.h"
#include "http/services.h"

namespace poles::http {

void add_support_routes(Router& r, Services&) {
  r.get("/api/v1/support-requests",
        "The support requests firms sent from the public portal to the caller's clusters",
        "requests")
      .may(app::Op::kRead, "support_requests")
      .params({app::choice_param("status", "Only the requests of this status",
                                 {"received", "taken", "answered", "closed"}, "")})
      .returns<app::SupportRequests>()
      .handle([](Ctx& c) {
        auto list = app::list_support(*c.store, c.user(), c.args.text("status"));
        if (!list) return c.fail(list.error());
        c.reply(200, *list);
      });
  r.get("/api/v1/support-requests/{id}", "One support request", "requests")
      .may(app::Op::kRead, "support_requests")
      .returns<app::SupportRequest>()
      .handle([](Ctx& c) {
        auto one = app::get_support(*c.store, c.user(), c.path[0]);
        if (!one) return c.fail(one.error());
        c.reply(200, *one);
      });
  r.post("/api/v1/support-requests/{id}",
         "Take, answer or close a support request (the State may route it to another cluster)",
         "requests")
      .may(app::Op::kRead, "support_requests")
      .takes<app::SupportUpdateBody>()
      .example({{"status", "answered"},
                {"answer", "Bonjour, notre chargée de mission vous appelle cette semaine."}})
      .returns<app::SupportRequest>()
      .handle([](Ctx& c) {
        auto body = c.body<app::SupportUpdateBody>();
        if (!body) return c.fail(body.error());
        auto one = app::update_support(*c.store, c.user(), c.path[0], *body);
        if (!one) return c.fail(one.error());
        c.reply(200, *one);
      });
}

}  // namespace poles::http
