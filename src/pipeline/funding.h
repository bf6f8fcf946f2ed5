// A project's public aid by funder (the project_funding rows), added up over a scope of projects:
// what the State, Bpifrance, ANR, a Region, the FEDER it manages, the EU or local authorities
// granted, so that each co-funder sees its own money.
//  - A project with split rows counts each funder's amount; the part of its public aid the rows
//    leave (aid − Σ rows, when positive) is "not split". Rows adding up to more than the public
//    aid are counted as they are and the project is listed (a record to correct).
//  - A project with public aid and no split row is attributed to its programme's funder (the
//    programme referential's `funder_id`: FUI → State, H2020 → EU…), marked as assumed; without
//    one (REGION: which Region is not said), its aid is "not split".
//  - The scope: projects whose start year is in the years; labelled by a cluster, or by a
//    cluster of a region (each project once); with a funder, that funder's money only.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/model.h"
#include "snapshot/snapshot.h"

namespace poles::pipeline {

struct FundingFilter {
  int from_year = 0, to_year = 9999;  // start years, inclusive
  int32_t cluster = -1;               // cluster row, -1 = every cluster
  std::string region = {};            // region code of the labelling clusters, empty = all
  int32_t funder = -1;                // funder row, -1 = every funder
  // [project row] -> 1 when the caller may read its split (empty: every project); rows of
  // `own_funders` count on every project whatever the mask.
  std::vector<uint8_t> visible = {};
  std::vector<uint8_t> own_funders = {};  // [funder row] -> 1: the caller's own money
};

inline constexpr size_t kFunderKinds = kFunderKindCodes.size();

struct FunderMoney {
  int32_t funder = -1;  // funder row
  double amount = 0;    // euros, split rows and assumed together
  double assumed = 0;   // of which attributed through the project's programme
  size_t projects = 0;
};

struct FundingSplit {
  size_t projects = 0;    // projects in scope with public aid or a split row
  double public_aid = 0;  // their public aid (with a funder: that funder's money)
  double split = 0;       // euros given by split rows
  double assumed = 0;     // euros attributed through the programme's funder
  double not_split = 0;   // euros of public aid with no funder known
  std::array<double, kFunderKinds> by_kind{};
  std::vector<FunderMoney> by_funder;                       // largest first, then funder row
  std::map<int, std::array<double, kFunderKinds>> by_year;  // start year -> euros by kind
  std::map<int, double> not_split_by_year;
  std::vector<int32_t> over_split;  // project rows whose split exceeds their public aid
};

FundingSplit funding_split(const snapshot::Snapshot& s, const FundingFilter& f);

}  // namespace poles::pipeline
