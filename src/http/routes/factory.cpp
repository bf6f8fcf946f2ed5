// From project factory to product factory: the funnel, leverage of public aid, SME services,
// digital diagnostics, employment and the data of a sector sheet.
#include "app/factory.h"

#include <fmt/format.h>

#include "app/access.h"
#include "app/cofunding.h"
#include "http/router.h"
#include "http/services.h"

namespace poles::http {

void add_factory_routes(Router& r, Services&) {
  r.get("/api/v1/pipeline/funnel",
        "Project funnel: reached stages, conversion, durations, drop-outs, TRL", "pipeline")
      .may(app::Action::kRead, "project")
      .params(app::funnel_params())
      .cached()
      .returns<app::PipelineFunnel>()
      .handle(
          [](Ctx& c) { c.view([&](const auto& s) { return app::pipeline_funnel(s, c.args); }); });
  r.get("/api/v1/pipeline/leverage",
        "Private co-funding per euro of aid, follow-on projects, European after national",
        "pipeline")
      .may(app::Action::kRead, "project")
      .params(app::leverage_params())
      .cached()
      .returns<app::PipelineLeverage>()
      .handle(
          [](Ctx& c) { c.view([&](const auto& s) { return app::pipeline_leverage(s, c.args); }); });
  r.get("/api/v1/pipeline/funding",
        "Public aid by funder (the State, Bpifrance, ANR, a Region, the FEDER, the EU…): over "
        "the projects of a cluster, of a region's clusters, or one funder's money",
        "pipeline")
      .may(app::Action::kRead, "project_funding")
      .params(app::funding_params())
      .cached()
      .returns<app::FundingOverview>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::pipeline_funding(s, c.args, &c.user()); });
      });
  // A Region's co-funding (app/cofunding.h): its own region for a region account; every region
  // for the State, evaluators and administrators.
  r.get("/api/v1/regions/{region}/cofunding",
        "A Region's money on the clusters' projects over a window of years: by year, funder and "
        "cluster, its leverage, and its clusters' contract targets and published ratings",
        "pipeline")
      .may(app::Op::kRead, "region_cofunding")
      .params(app::cofunding_params())
      .cached()
      .returns<app::RegionCofunding>()
      .handle([](Ctx& c) {
        if (!app::may_read_region_view(c.user(), "region_cofunding", c.path[0]))
          return c.fail(Status::permission_denied(
              fmt::format("a region reads its own co-funding, not region '{}'", c.path[0])));
        c.view(
            [&](const auto& s) { return app::region_cofunding(s, *c.store, c.path[0], c.args); });
      });
  r.get("/api/v1/services/summary",
        "SME services: reach, intensity, heterogeneity, international activity, outcomes",
        "services")
      .may(app::Action::kRead, "service")
      .params(app::services_params())
      .cached()
      .returns<app::ServicesOverview>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) {
          return app::services_overview(s, c.args, {}, app::Reader(s, c.user()));
        });
      });
  r.get("/api/v1/services/diagnostics",
        "Digital diagnostics: maturity, progress, aid after diagnosis", "services")
      .may(app::Action::kRead, "diagnostic")
      .params(app::diagnostics_params())
      .cached()
      .returns<app::DiagnosticsOverview>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::diagnostics_overview(s, c.args); });
      });
  r.get("/api/v1/foresight/employment",
        "Employment: location quotients and stars, shift-share, projections", "foresight")
      .authenticated()
      .params(app::employment_params())
      .cached()
      .returns<app::EmploymentOverview>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::employment_overview(s, c.args); });
      });
  r.get("/api/v1/foresight/sectors", "Sectors with employment figures", "foresight")
      .authenticated()
      .params(app::employment_sector_params())
      .cached()
      .returns<app::EmploymentSectors>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::employment_sectors(s, c.args); });
      });
  r.get("/api/v1/foresight/sectors/{sector}", "The data of a sector sheet", "foresight")
      .authenticated()
      .params(app::sector_sheet_params())
      .cached()
      .returns<app::SectorSheet>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) {
          return app::sector_sheet(s, c.path[0], c.args, {}, app::Reader(s, c.user()));
        });
      });
}

}  // namespace poles::http
