// What the portal's pages and its open data read alike from the registry (internal to portal/):
// the label history of each cluster, its current members with their consent, lists of codes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "snapshot/snapshot.h"

namespace poles::portal {

// "a|b|c" -> {a, b, c} (empty items dropped).
std::vector<std::string> split_list(std::string_view text);

// Lower case without the accents of French (UTF-8), for a search that ignores both.
std::string fold(std::string_view text);
// The words of a search, folded (split on spaces, empty ones dropped).
std::vector<std::string> folded_words(std::string_view text);

struct ClusterFacts {
  std::vector<std::pair<int, std::pair<int, int>>> phases;  // phase, (start, end), by phase
  bool current = false;  // labelled in the latest phase (or no label history at all)
};
std::vector<ClusterFacts> cluster_facts(const snapshot::Snapshot& s);

// Per cluster row: its current members, each once (organisation row -> its latest running
// membership row, whose consent decides whether it is listed).
std::vector<std::map<int32_t, size_t>> current_members(const snapshot::Snapshot& s);
// Whether a membership agreed to be listed (membership.listed is true; null means no).
bool is_listed(const snapshot::Snapshot& s, size_t membership);

}  // namespace poles::portal
