#include "portal/partners.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/codes.h"
#include "network/graph.h"
#include "network/recommend.h"
#include "portal/portal.h"
#include "portal/registry.h"

namespace poles::portal {

using snapshot::Snapshot;

namespace {

constexpr size_t kClusters = 5, kOrganisations = 10;

// Whether an organisation is of the kind a need asks for ("" any).
bool of_kind(const network::OrganisationColumns& orgs, int32_t o, const std::string& kind) {
  if (kind.empty()) return true;
  if (kind == "sme") return orgs.sme(o);
  return orgs.kind(o) == kind;
}

// The NAF division of a code as a firm writes it ("26.11Z", "2611Z", "26"), or "".
std::string division_of(const std::string& naf) {
  if (naf.size() < 2 || !std::isdigit(static_cast<unsigned char>(naf[0])) ||
      !std::isdigit(static_cast<unsigned char>(naf[1])))
    return "";
  const std::string d = naf.substr(0, 2);
  return codes::naf_division_exists(d) ? d : "";
}

}  // namespace

struct PartnerFinder::State {
  explicit State(const Snapshot& s)
      : facts(cluster_facts(s)),
        orgs(s),
        graph(network::build_cooperation(s, public_rows(s))),
        recommender(s, graph) {
    const auto& cl = s.table("cluster");
    const auto members = current_members(s);
    for (size_t c = 0; c < cl.rows; ++c) {
      if (!facts[c].current) continue;
      for (const auto& [o, m] : members[c]) {
        if (is_listed(s, m)) listed[o].push_back(c);
      }
    }
  }
  static std::vector<int32_t> public_rows(const Snapshot& s) {
    std::vector<int32_t> rows;
    const auto is_public = public_projects(s);
    for (size_t p = 0; p < is_public.size(); ++p) {
      if (is_public[p]) rows.push_back(static_cast<int32_t>(p));
    }
    return rows;
  }
  std::vector<ClusterFacts> facts;
  network::OrganisationColumns orgs;
  // The listed members of the current clusters, with the clusters that list them.
  std::map<int32_t, std::vector<size_t>> listed;
  network::CoopGraph graph;
  network::Recommender recommender;
};

PartnerFinder::PartnerFinder(snapshot::SnapshotPtr s)
    : s_(std::move(s)), state_(std::make_unique<State>(*s_)) {}
PartnerFinder::~PartnerFinder() = default;

bool is_declared_theme(const Snapshot& s, std::string_view theme) {
  const auto& cl = s.table("cluster");
  const auto& themes = cl.column("themes");
  for (size_t i = 0; i < cl.rows; ++i) {
    const auto list = split_list(themes.text(i));
    if (std::find(list.begin(), list.end(), theme) != list.end()) return true;
  }
  return false;
}

PartnerSuggestions suggest_partners(const Snapshot& s, const PartnerQuery& q) {
  // A snapshot that nothing else keeps: an owner that does not free it.
  return PartnerFinder(snapshot::SnapshotPtr(&s, [](const Snapshot*) {})).suggest(q);
}

PartnerSuggestions PartnerFinder::suggest(const PartnerQuery& q) const {
  const Snapshot& s = *s_;
  const State& st = *state_;

  PartnerSuggestions out;
  if (!q.naf.empty()) {
    out.division = division_of(q.naf);
    if (out.division.empty()) {
      out.invalid_naf = true;
      return out;
    }
  }
  if (!q.asked()) return out;
  const auto& cl = s.table("cluster");
  const auto& facts = st.facts;
  const auto& orgs = st.orgs;
  const auto& listed = st.listed;
  const auto& naf = s.table("organisation").column("naf");
  const auto in_division = [&](int32_t o) {
    return !out.division.empty() && !naf.is_null(static_cast<size_t>(o)) &&
           naf.text(static_cast<size_t>(o)).substr(0, 2) == out.division;
  };

  // Clusters: their declared themes and region, the listed members of the need's sector and of
  // the kind asked, the words.
  const auto& themes = cl.column("themes");
  const auto& region = cl.column("region");
  const auto& name = cl.column("name");
  const auto& acronym = cl.column("acronym");
  const auto words = folded_words(q.q);
  std::vector<size_t> sector_members(cl.rows, 0), kind_members(cl.rows, 0);
  for (const auto& [o, clusters] : listed) {
    for (size_t c : clusters) {
      sector_members[c] += in_division(o);
      kind_members[c] += !q.kind.empty() && of_kind(orgs, o, q.kind);
    }
  }
  for (size_t c = 0; c < cl.rows; ++c) {
    if (!facts[c].current) continue;
    SuggestedCluster sc;
    sc.row = c;
    const auto list = split_list(themes.text(c));
    if (!q.theme.empty() && std::find(list.begin(), list.end(), q.theme) != list.end()) {
      sc.score += 2;
      sc.why.push_back({"theme", 1, q.theme});
    }
    if (!q.region.empty() && region.text(c) == q.region) {
      sc.score += 1;
      sc.why.push_back({"region", 1, q.region});
    }
    if (sector_members[c] > 0) {
      sc.score += std::min(1.0, static_cast<double>(sector_members[c]) / 5);
      sc.why.push_back({"sector", static_cast<double>(sector_members[c]), out.division});
    }
    if (kind_members[c] > 0) {
      sc.score += std::min(0.5, static_cast<double>(kind_members[c]) / 10);
      sc.why.push_back({"kind_members", static_cast<double>(kind_members[c]), q.kind});
    }
    if (!words.empty()) {
      const std::string hay = fold(std::string(name.text(c)) + " " + std::string(acronym.text(c)) +
                                   " " + std::string(themes.text(c)));
      std::string matched;
      for (const auto& w : words) {
        if (hay.find(w) == std::string::npos) continue;
        matched += (matched.empty() ? "" : " ") + w;
        sc.score += 0.5;
      }
      if (!matched.empty()) sc.why.push_back({"words", 1, matched});
    }
    if (sc.score > 0) out.clusters.push_back(std::move(sc));
  }
  std::stable_sort(out.clusters.begin(), out.clusters.end(),
                   [](const auto& a, const auto& b) { return a.score > b.score; });
  if (out.clusters.size() > kClusters) out.clusters.resize(kClusters);

  // Organisations: the network engine's recommender for an idea, on the graph of the public
  // projects, its candidates kept when listed and of the kind asked.
  const auto& g = st.graph;
  if (g.nodes() == 0) return out;
  const auto& rec = st.recommender;
  network::Recommender::Idea idea;
  idea.sector = out.division;
  if (!q.theme.empty()) idea.themes.push_back(q.theme);
  idea.region = q.region;
  auto ranked = rec.for_idea(idea, g.nodes());
  if (!ranked) return out;
  for (auto& cand : *ranked) {
    const int32_t o = g.org[static_cast<size_t>(cand.node)];
    const auto it = listed.find(o);
    if (it == listed.end() || !of_kind(orgs, o, q.kind)) continue;
    SuggestedOrganisation so;
    so.row = o;
    so.score = cand.score;
    so.clusters = it->second;
    for (auto& r : cand.reasons) {
      // The recommender's codes, as the page words them.
      if (r.code == "sector_experience") {
        so.why.push_back({r.detail.starts_with("NAF") ? "same_sector" : "sector_projects", r.value,
                          out.division});
      } else if (r.code == "theme_experience") {
        so.why.push_back({"theme_projects", r.value, q.theme});
      } else {
        so.why.push_back({r.code, r.value, r.detail});
      }
    }
    out.organisations.push_back(std::move(so));
    if (out.organisations.size() == kOrganisations) break;
  }
  return out;
}

}  // namespace poles::portal
