// The dashboard's headline views: the map's figures by region, the cluster list, firm
// aggregates after statistical secrecy, and the profiles of a cluster, an organisation and a
// project.
#include "app/stats.h"

#include "http/router.h"
#include "http/services.h"

namespace poles::http {
namespace {

// A profile with only what the caller may read of it (app::scope_profile).
template <class Fn>
void scoped_profile(Ctx& c, Fn&& fn) {
  auto snap = c.snapshot();
  if (!snap) return c.fail(snap.error());
  auto v = fn(**snap);
  if (!v) return c.fail(v.error());
  const Status st = app::scope_profile(app::memoised(app::query_on(*c.store)), c.user(), *v);
  if (!st.is_ok()) return c.fail(st);
  c.reply(200, *v);
}

}  // namespace

void add_stats_routes(Router& r, Services&) {
  r.get("/api/v1/stats/regions", "Clusters, members, projects and aid by region", "views")
      .authenticated()
      .params(app::regions_overview_params())
      .cached()
      .returns<app::RegionsOverview>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::regions_overview(s, c.args.integer("year")); });
      });
  r.get("/api/v1/stats/clusters", "Headline figures of every cluster", "views")
      .authenticated()
      .params(app::regions_overview_params())
      .cached()
      .returns<app::ClusterList>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::cluster_summaries(s, c.args.integer("year")); });
      });
  r.get("/api/v1/stats/firms",
        "A firm measure by region and NAF section, after statistical secrecy", "views")
      .authenticated()
      .params(app::firm_aggregate_params())
      .cached()
      .returns<app::FirmTable>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) {
          return app::firm_aggregate(s, c.args.text("measure"), c.args.integer("year"),
                                     c.args.flag("members_only"), {}, app::Reader(s, c.user()));
        });
      });
  r.get("/api/v1/clusters/{id}/profile",
        "A cluster's profile: labels, members over time, projects, services, targets", "views")
      .may(app::Action::kRead, "cluster")
      .cached()
      .returns<app::ClusterProfile>()
      .handle([](Ctx& c) {
        scoped_profile(c, [&](const auto& s) { return app::cluster_profile(s, c.path[0]); });
      });
  r.get("/api/v1/organisations/{id}/profile", "An organisation with its memberships and projects",
        "views")
      .may(app::Action::kRead, "organisation")
      .cached()
      .returns<app::OrganisationProfile>()
      .handle([](Ctx& c) {
        scoped_profile(c, [&](const auto& s) { return app::organisation_profile(s, c.path[0]); });
      });
  r.get("/api/v1/projects/{id}/profile",
        "A project with its labels, lifecycle, partners and results", "views")
      .may(app::Action::kRead, "project")
      .cached()
      .returns<app::ProjectProfile>()
      .handle([](Ctx& c) {
        scoped_profile(c, [&](const auto& s) { return app::project_profile(s, c.path[0]); });
      });
}

}  // namespace poles::http
