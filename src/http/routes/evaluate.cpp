// The shared evaluation method: the indicator catalogue, one year's evaluation (ranking with
// rank intervals, ratings, compliance, actions), a cluster's trends, the qualitative
// assessments and the characterisation.
#include "app/evaluate.h"

#include "http/router.h"
#include "http/services.h"

namespace poles::http {

void add_evaluate_routes(Router& r, Services&) {
  // Rankings and actions are for the State, the evaluators and the administrators; a cluster's own
  // trends for whoever reads its registry; the catalogue for every account.
  r.get("/api/v1/evaluate/indicators",
        "The indicator catalogue (id, pillar, unit, direction, formula)", "evaluate")
      .authenticated()
      .returns<app::IndicatorCatalogue>()
      .handle([](Ctx& c) { c.reply(200, app::indicator_catalogue()); });
  r.get("/api/v1/evaluate",
        "One year's evaluation: ranking with rank intervals, pillars, peers, ratings, compliance, "
        "actions, sensitivity",
        "evaluate")
      .may(app::Action::kWrite, "assessment")
      .params(app::evaluation_params())
      .cached()
      .returns<app::YearEvaluation>()
      .handle([](Ctx& c) { c.view([&](const auto& s) { return app::evaluation(s, c.args); }); });
  r.get("/api/v1/evaluate/trends/{cluster}",
        "A cluster's indicators over the years against the median of its peers", "evaluate")
      .may(app::Action::kRead, "cluster")
      .params(app::trends_params())
      .cached()
      .returns<app::IndicatorTrends>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::indicator_trends(s, c.path[0], c.args); });
      });
  r.get("/api/v1/evaluate/assessments",
        "Qualitative assessments and the agreement between evaluators", "evaluate")
      .may(app::Action::kRead, "assessment")
      .params(app::assessments_params())
      .cached()
      .returns<app::AssessmentsView>()
      .handle(
          [](Ctx& c) { c.view([&](const auto& s) { return app::assessments_view(s, c.args); }); });
  r.get("/api/v1/evaluate/characterisation",
        "Declared vs measured scale, sector specialisation, filière overlaps and gaps", "evaluate")
      .may(app::Action::kRead, "cluster")
      .params(app::characterisation_params())
      .cached()
      .returns<app::Characterisation>()
      .handle(
          [](Ctx& c) { c.view([&](const auto& s) { return app::characterisation(s, c.args); }); });
}

}  // namespace poles::http
