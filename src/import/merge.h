// Merging two records of one organisation (a directory's member stored apart from the same
// organisation SIRENE or CORDIS knows, two spellings in two directories): every row that names
// the dropped organisation — memberships, the census, participations, results, service
// participations, diagnostics, proposals, reviewers — names the kept one instead; where the kept
// one already has that row (the same membership, the same project), the kept row stays and the
// dropped one goes (a participation or a membership gets its empty fields from the dropped row).
// The kept organisation's empty fields are filled from the dropped one (a group of fields that go
// together — commune, department, region and zone; headcount, turnover, balance sheet and size
// class; address, postcode and city — only when none of it is known), its pending requests follow
// it, the dropped id is kept as an identifier of the kept one (`former_id`: a file that still
// names it finds the kept one), and the merge is in the audit log with both rows. One transaction:
// on any error nothing changes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace poles::import {

struct MergeReport {
  std::string kept, dropped;
  std::map<std::string, int64_t> moved;       // by entity: rows that now name the kept one
  std::map<std::string, int64_t> duplicates;  // by entity: dropped rows the kept one already had
  std::vector<std::string> filled;            // the kept one's fields filled from the dropped one
};

// Refused: the same organisation twice (invalid argument), an unknown one (not found), two
// different SIRENs (conflict: two legal units are not one organisation), a duplicate with member
// accounts (conflict: an administrator moves them), and a merge that would change the clusters or
// years of the released member census counting a firm of the panel (conflict: the aggregates read
// before and after would differ by its figures; docs/secrecy.md, section 6).
Result<MergeReport> merge_organisations(store::Store& store, const std::string& keep,
                                        const std::string& drop, const std::string& actor);

}  // namespace poles::import
