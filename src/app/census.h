// The State's yearly census of the clusters' members (entity member_census): which organisations
// were members of which cluster during a year, as the State released them. Firm figures over a
// cluster's members count the census, not the membership rows a cluster writes, so that adding
// or removing a member moves no published aggregate (docs/secrecy.md, section 6). Releasing a
// year copies the membership rows active that year into its census, replacing the previous
// release of that year, except the changes of firms of the year's panel, which the composition
// rule holds back once the year is released (its firm membership is final: they count from the
// next year); a dry run tells what would change. Written by the State (the policy's
// create right on member_census); the campaigns will release a year when they close.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "core/status.h"
#include "core/typed_json.h"
#include "store/store.h"

namespace poles::app {

struct CensusCluster {
  std::string cluster;
  int64_t members = 0;             // in the census of the year after the release
  int64_t added = 0, removed = 0;  // against the year's previous census
  // Changes of firms of the year's panel held back by the composition rule (kept as the previous
  // release of the year had them).
  int64_t held_back = 0;
};
POLES_JSON(CensusCluster, cluster, members, added, removed, held_back)

struct CensusRelease {
  int year = 0;
  bool dry_run = false;
  int64_t members = 0;  // rows of the year's census after the release
  int64_t added = 0, removed = 0;
  int64_t held_back = 0;                // changes held back by the composition rule
  std::vector<CensusCluster> clusters;  // the clusters whose census changes (or is held), by id
};
POLES_JSON(CensusRelease, year, dry_run, members, added, removed, held_back, clusters)

// Why a census row is not written row by row (entity routes, CSV import through the API).
inline constexpr const char* kCensusByReleaseOnly =
    "the census of members is written by a release of its year (POST /api/v1/census/{year}), "
    "not row by row";

// REQUIRES: the caller may create member_census rows (checked by the caller's route).
// Fails with InvalidArgument for a year outside 2004 … the current year.
Result<CensusRelease> release_census(store::Store& s, const User& u, int year, bool dry_run);

}  // namespace poles::app
