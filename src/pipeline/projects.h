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
// [project row] -> 1 when its programme is European (scope `european` in the programme
// referential: FP7, H2020, Horizon Europe, EIC, Eurostars, Interreg…); a code missing from the
// referential is not.
std::vector<uint8_t> european_projects(const snapshot::Snapshot& s);
// [project row] -> organisation rows of its participations.
std::vector<std::vector<int32_t>> project_partners(const snapshot::Snapshot& s);

}  // namespace poles::pipeline
