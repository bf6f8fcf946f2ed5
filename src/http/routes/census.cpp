// The State's yearly census of the clusters' members (app/census.h): releasing a year copies the
// memberships active that year into the census that firm figures over members count.
#include "app/census.h"

#include <fmt/format.h>

#include <charconv>

#include "http/router.h"
#include "http/services.h"

namespace poles::http {

void add_census_routes(Router& r, Services&) {
  static const app::ParamSpecs params = {
      app::flag_param("dry_run",
                      "Tell what the release would change (members added and removed by cluster) "
                      "without writing it")};
  r.post("/api/v1/census/{year}",
         "Release a year's census of members: the memberships active that year become the "
         "members that firm figures count (replaces the year's previous release, except the "
         "changes of member firms that the composition rule of secrecy holds back)",
         "member_census")
      .may(app::Op::kCreate, "member_census")
      .params(params)
      .returns<app::CensusRelease>(200, "Released (or, with dry_run, what would change)")
      .handle([](Ctx& c) {
        const std::string& text = c.path[0];
        int year = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
        if (ec != std::errc() || end != text.data() + text.size())
          return c.fail(Status::invalid_argument(fmt::format(
              "year '{}': a census is released for a year from 2004 to the current one", text)));
        auto out = app::release_census(*c.store, c.user(), year, c.args.flag("dry_run"));
        if (!out) return c.fail(out.error());
        c.reply(200, *out);
      });
}

}  // namespace poles::http
