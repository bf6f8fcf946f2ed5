// The impact of the policy on firms: estimations run as jobs (progress, cancellation), and the
// impact report of a finished job. For the State, the evaluators and the administrators (firm
// microdata); an account sees its own jobs, an administrator every job.
#include "app/impact.h"

#include <fmt/format.h>
#include <unistd.h>

#include <sstream>

#include "app/jobs.h"
#include "http/router.h"
#include "http/routes/documents.h"
#include "http/services.h"
#include "impact/frame.h"
#include "report/impact_report.h"

namespace poles::http {

namespace {

struct JobStarted {
  std::string id;
  std::string state;
  std::string href;
};
POLES_JSON(JobStarted, id, state, href)

struct JobCancelling {
  std::string id;
  std::string state;
};
POLES_JSON(JobCancelling, id, state)

// The body of a job: the parameters of `poles impact` by name (strings, numbers or booleans),
// and optionally `csv`, the text of a data file (as with --data).
tj::Json job_body_schema(tj::Schemas&) {
  tj::Json props = tj::Json::object();
  for (const auto& p : app::impact_params()) {
    tj::Json t;
    switch (p.kind) {
      case app::ParamKind::kInteger:
        t = {{"type", "integer"}, {"minimum", p.lo}, {"maximum", p.hi}};
        break;
      case app::ParamKind::kNumber:
        t = {{"type", "number"}, {"minimum", p.lo}, {"maximum", p.hi}};
        break;
      case app::ParamKind::kChoice:
        t = {{"type", "string"}, {"enum", p.choices}};
        break;
      case app::ParamKind::kFlag:
        t = {{"type", "boolean"}};
        break;
      default:
        t = {{"type", "string"}};
        break;
    }
    t["description"] = p.help;
    props[p.name] = std::move(t);
  }
  props["csv"] = {
      {"type", "string"},
      {"description", "The text of a CSV file to estimate on, instead of the store's panel"}};
  return {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
}

bool sees_all(const Ctx& c) { return c.user().role == app::Role::kAdmin; }

}  // namespace

void add_impact_routes(Router& r, Services& s) {
  // What runs a job, in whichever server claims it: the store's panel as this server reads it
  // now, or the CSV sent with the job.
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  s.jobs.attach(
      *s.pool,
      [&s](const app::Params& raw, const std::string& csv,
           const app::ImpactProgress& progress) -> Result<app::ImpactEstimate> {
        POLES_ASSIGN_OR_RETURN(auto args, app::parse(app::impact_params(), raw));
        if (!csv.empty()) {
          std::istringstream in(csv);
          POLES_ASSIGN_OR_RETURN(auto frame, impact::read_csv(in, "csv"));
          return app::impact_estimate(frame, args, &progress);
        }
        snapshot::SnapshotPtr snap;
        {
          // Held for the load only: a long estimation must not keep a connection the jobs'
          // heartbeats need.
          auto lease = s.pool->lease();
          POLES_ASSIGN_OR_RETURN(snap, s.snapshots.get(*lease));
        }
        return app::impact_from_store(*snap, args, &progress);
      },
      fmt::format("{}:{}", host, ::getpid()));
  const auto may_evaluate = [](RouteBuilder b) { return b.may(app::Op::kRead, "impact_study"); };
  may_evaluate(
      r.post("/api/v1/impact/jobs", "Start an impact estimation; 202 with the job id", "impact"))
      .takes_json(job_body_schema)
      .example(
          {{"estimator", "did"}, {"outcome", "log(rd_spending)"}, {"bootstrap", 999}, {"seed", 1}})
      .large_body()
      .returns<JobStarted>(202, "Started")
      .handle([&s](Ctx& c) {
        auto body = c.json_body();
        if (!body) return c.fail(body.error());
        if (!body->is_object())
          return c.fail(Status::invalid_argument("the body must be a JSON object of parameters"));
        app::Params raw;
        std::string csv;
        std::vector<FieldError> errors;
        for (const auto& [k, v] : body->items()) {
          if (k == "csv") {
            if (!v.is_string()) {
              errors.push_back(
                  FieldError{"request", 0, 0, "csv", "", "must be the text of a CSV file"});
            } else {
              csv = v.get<std::string>();
            }
          } else if (v.is_string()) {
            raw[k] = v.get<std::string>();
          } else if (v.is_number() || v.is_boolean()) {
            raw[k] = v.dump();
          } else {
            errors.push_back(FieldError{"request", 0, 0, k, v.dump().substr(0, 60),
                                        "must be a string, a number or true/false"});
          }
        }
        auto args = app::parse(app::impact_params(), raw);
        if (!args) {
          for (auto fe : args.error().field_errors()) {
            fe.file = "request";
            errors.push_back(std::move(fe));
          }
        }
        if (!errors.empty()) return c.fail(Status::bad_input(std::move(errors)));
        app::ImpactJobParams shown{args->values(), csv.empty() ? "store" : "csv"};
        // Queued in the store with what it was given: any server runs it (app/jobs.h).
        auto id = s.jobs.start(c.user().name, "impact", std::move(shown), raw, csv);
        if (!id) return c.fail(id.error());
        c.res.set_header("Location", "/api/v1/impact/jobs/" + *id);
        c.reply(202, JobStarted{*id, "running", "/api/v1/impact/jobs/" + *id});
      });
  may_evaluate(r.get("/api/v1/impact/jobs",
                     "The impact jobs of the caller (all jobs for an administrator)", "impact"))
      .returns<app::ImpactJobList>()
      .handle([&s](Ctx& c) {
        auto list = s.jobs.list(c.user().name, sees_all(c));
        if (!list) return c.fail(list.error());
        c.reply(200, *list);
      });
  may_evaluate(r.get("/api/v1/impact/jobs/{id}",
                     "A job's state and progress, with its result once done", "impact"))
      .returns<app::ImpactJob>()
      .handle([&s](Ctx& c) {
        auto j = s.jobs.status(c.path[0], c.user().name, sees_all(c));
        if (!j) return c.fail(j.error());
        c.reply(200, *j);
      });
  may_evaluate(r.del("/api/v1/impact/jobs/{id}", "Cancel a running job", "impact"))
      .returns<JobCancelling>(202, "Cancelling")
      .handle([&s](Ctx& c) {
        if (auto st = s.jobs.cancel(c.path[0], c.user().name, sees_all(c)); !st.is_ok())
          return c.fail(st);
        c.reply(202, JobCancelling{c.path[0], "cancelling"});
      });
  auto report = may_evaluate(
      r.get("/api/v1/reports/impact/{id}", "The impact report of a finished job", "impact"));
  report.params(document_params({}));
  document_answers(report);
  report.handle([&s](Ctx& c) {
    auto result = s.jobs.result(c.path[0], c.user().name, sees_all(c));
    if (!result) return c.fail(result.error());
    send_document(c, report::impact_report_html(*result, c.args.text("lang")),
                  "impact-" + c.path[0]);
  });
}

}  // namespace poles::http
