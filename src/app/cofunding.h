// A Region's view of the clusters it co-funds (issue #23 item 8; docs/factory.md, "A Region's
// co-funding"). A Region co-signs the clusters' performance contracts and pays part of their
// projects' aid: the view adds up its own money — the funders whose `region` is its own (the
// Region, the FEDER it manages, its local authorities) — over the projects starting in a window
// of years, by year, by funder and by the cluster that owns each project (its first label), with
// what its money accompanies; and, for the clusters of its region, their contract targets met
// and ratings in the published evaluations of the window (never a draft).
//
// Its leverage: the total cost of the projects it co-funded per euro of its aid (the research and
// innovation its money accompanies; not the catalogue's `leverage`, the private part per euro of
// public aid), and its share of their public aid. A project with public aid and no split row
// counts when its programme's funder is one of the Region's (as pipeline/funding attributes it:
// `assumed`). A project of its money that no cluster labelled is counted apart.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/params.h"
#include "app/phase.h"
#include "core/status.h"
#include "core/typed_json.h"
#include "snapshot/snapshot.h"
#include "store/store.h"

namespace poles::app {

struct CofundingFunder {
  std::string funder;  // id
  std::string name;
  std::string name_en;  // "" when the reference gives none
  std::string kind;     // funder kind code
  double aid = 0;       // euros, projects starting in the window
  double assumed = 0;   // of which attributed through the project's programme (no split row)
  int projects = 0;
};
POLES_JSON(CofundingFunder, funder, name, name_en, kind, aid, assumed, projects)

struct CofundingYear {
  int year = 0;
  double aid = 0;           // the Region's money on the projects starting that year
  int projects = 0;         // projects it co-funded
  double project_cost = 0;  // their total cost
};
POLES_JSON(CofundingYear, year, aid, projects, project_cost)

struct CofundedCluster {
  std::string cluster;  // id
  std::string name;
  std::string region;  // its home region
  bool home = false;   // in the Region's own region
  int projects = 0;    // projects it owns that the Region co-funded
  double aid = 0;      // the Region's money on them
  double project_cost = 0;
  double public_aid = 0;                // their public aid, every funder
  std::optional<double> cost_per_euro;  // project_cost / aid
  std::optional<double> aid_share;      // aid / public_aid
  std::vector<PhaseYear> evaluations;   // home clusters: the published years of the window
  int years_all_targets_met = 0;        // of those years, the ones every known target was met
  std::string rating;                   // held most often in them ("" when never rated)
};
POLES_JSON(CofundedCluster, cluster, name, region, home, projects, aid, project_cost, public_aid,
           cost_per_euro, aid_share, evaluations, years_all_targets_met, rating)

struct RegionCofunding {
  std::string region;  // INSEE code
  std::string name;
  int from = 0, to = 0;
  std::vector<CofundingFunder> funders;  // the Region's funders, by aid (largest first)
  double aid = 0;                        // every funder of the Region, the window
  double assumed = 0;                    // of which attributed through programmes
  int projects = 0;
  double project_cost = 0, public_aid = 0;
  std::optional<double> cost_per_euro, aid_share;
  std::vector<CofundingYear> years;       // every year of the window
  std::vector<CofundedCluster> clusters;  // by aid (largest first), then id
  int unlabelled_projects = 0;            // co-funded projects no cluster labelled
  double unlabelled_aid = 0;
  std::vector<int> published_years;  // the window's years with a published evaluation
  std::string method;                // the method of those evaluations
};
POLES_JSON(RegionCofunding, region, name, from, to, funders, aid, assumed, projects, project_cost,
           public_aid, cost_per_euro, aid_share, years, clusters, unlabelled_projects,
           unlabelled_aid, published_years, method)

// from, to (2005–2100, at most 12 years; 2013–2022 by default: phases III and IV), method (the
// published evaluations', "default").
const ParamSpecs& cofunding_params();

// The co-funding of `region` (an INSEE region code): NotFound when the code is no region;
// InvalidArgument when from > to or the window is longer than 12 years.
Result<RegionCofunding> region_cofunding(const snapshot::Snapshot& s, store::Store& store,
                                         const std::string& region, const Args& a);

}  // namespace poles::app
