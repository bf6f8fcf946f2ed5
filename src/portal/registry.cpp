#include "portal/registry.h"

#include <algorithm>
#include <map>

#include "core/schema.h"
#include "portal/portal.h"

namespace poles::portal {

using snapshot::Snapshot;

std::vector<std::string> split_list(std::string_view text) {
  const auto items = schema::list_items(text);
  return {items.begin(), items.end()};
}

std::vector<ClusterFacts> cluster_facts(const Snapshot& s) {
  const auto& cl = s.table("cluster");
  const auto& lb = s.table("cluster_label");
  const auto& l_cluster = lb.column("cluster_id");
  const auto& l_phase = lb.column("phase");
  const auto& l_start = lb.column("start_year");
  const auto& l_end = lb.column("end_year");
  std::vector<ClusterFacts> out(cl.rows);
  const int latest = latest_phase(s);
  for (size_t i = 0; i < lb.rows; ++i) {
    const auto c = static_cast<size_t>(l_cluster.codes[i]);
    const int phase = static_cast<int>(l_phase.ints[i]);
    out[c].phases.push_back(
        {phase, {static_cast<int>(l_start.ints[i]), static_cast<int>(l_end.ints[i])}});
    if (phase == latest) out[c].current = true;
  }
  for (auto& f : out) {
    std::sort(f.phases.begin(), f.phases.end());
    if (latest == 0) f.current = true;  // no label history recorded: every cluster counts
  }
  return out;
}

int latest_phase(const Snapshot& s) {
  const auto& phase = s.table("cluster_label").column("phase");
  int latest = 0;
  for (const int64_t p : phase.ints) latest = std::max(latest, static_cast<int>(p));
  return latest;
}

std::vector<std::map<int32_t, size_t>> current_members(const Snapshot& s) {
  const auto& ms = s.table("membership");
  const auto& m_cluster = ms.column("cluster_id");
  const auto& m_org = ms.column("organisation_id");
  const auto& m_end = ms.column("end_date");
  const auto& m_start = ms.column("start_date");
  std::vector<std::map<int32_t, size_t>> out(s.table("cluster").rows);
  for (size_t m = 0; m < ms.rows; ++m) {
    if (m_end.present[m]) continue;  // ended
    auto& members = out[static_cast<size_t>(m_cluster.codes[m])];
    const auto [it, added] = members.emplace(m_org.codes[m], m);
    if (!added && m_start.ints[m] > m_start.ints[it->second]) it->second = m;
  }
  return out;
}

bool is_listed(const Snapshot& s, size_t membership) {
  const auto& listed = s.table("membership").column("listed");
  return listed.present[membership] && listed.ints[membership] == 1;
}

std::string fold(std::string_view text) {
  static const std::map<std::string, char> kAccents = {
      {"à", 'a'}, {"â", 'a'}, {"ä", 'a'}, {"ç", 'c'}, {"é", 'e'}, {"è", 'e'}, {"ê", 'e'},
      {"ë", 'e'}, {"î", 'i'}, {"ï", 'i'}, {"ô", 'o'}, {"ö", 'o'}, {"ù", 'u'}, {"û", 'u'},
      {"ü", 'u'}, {"ÿ", 'y'}, {"À", 'a'}, {"Â", 'a'}, {"Ç", 'c'}, {"É", 'e'}, {"È", 'e'},
      {"Ê", 'e'}, {"Î", 'i'}, {"Ô", 'o'}, {"Ù", 'u'}, {"Û", 'u'}};
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto ch = static_cast<unsigned char>(text[i]);
    if (ch < 0x80) {
      out += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
      continue;
    }
    if (i + 1 < text.size()) {
      const auto it = kAccents.find(std::string(text.substr(i, 2)));
      if (it != kAccents.end()) {
        out += it->second;
        ++i;
        continue;
      }
    }
    out += static_cast<char>(ch);
  }
  return out;
}

std::vector<std::string> folded_words(std::string_view text) {
  const std::string folded = fold(text);
  std::vector<std::string> out;
  size_t at = 0;
  while (at < folded.size()) {
    size_t end = folded.find(' ', at);
    if (end == std::string::npos) end = folded.size();
    if (end > at) out.push_back(folded.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

}  // namespace poles::portal
