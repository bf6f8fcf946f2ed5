// Per-project lookups several engines need, built once from the snapshot: the clusters that label
// each project (each once) and the organisations that take part in it.
#pragma once

#include <cstdint>
#include <vector>

#include "snapshot/snapshot.h"

namespace poles::pipeline {

// [project row] -> cluster rows labelling it, each once, in label order.
std::vector<std::vector<int32_t>> project_clusters(const snapshot::Snapshot& s);
// [organisation row] -> 1 when it is a company of size class TPE or PME (decree 2008-1354), built
// once for the loops that test it per participation or membership (network::is_sme tests one).
std::vector<uint8_t> sme_companies(const snapshot::Snapshot& s);
// [project row] -> the cluster row that owns it: the one that labelled it first (earliest label
// date, then cluster id; docs/access.md), -1 when unlabelled.
std::vector<int32_t> project_owners(const snapshot::Snapshot& s);
// [project row] -> the scope of its programme in the referential (ProgrammeScope), -1 when its
// code is not in the referential.
std::vector<int8_t> project_scopes(const snapshot::Snapshot& s);
// [project row] -> 1 when its programme is European (scope `european` in the programme
// referential: FP7, H2020, Horizon Europe, EIC, Eurostars, Interreg…); a code missing from the
// referential is not.
std::vector<uint8_t> european_projects(const snapshot::Snapshot& s);
// [project row] -> organisation rows of its participations.
std::vector<std::vector<int32_t>> project_partners(const snapshot::Snapshot& s);

}  // namespace poles::pipeline
