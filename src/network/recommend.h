// Partner recommendation: candidates for an organisation (link prediction on the cooperation
// graph) or for a project idea (sector, themes, region), ranked with their reasons, and the
// temporal hold-out that measures whether the ranking predicts the partnerships that followed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/typed_json.h"
#include "network/graph.h"

namespace poles::network {

// One reason a candidate scores: a code the dashboard translates, a value, and its details.
struct PartnerReason {
  std::string code;  // shared_partners, shared_cluster, same_region, same_department,
                     // sector_complementarity, sector_experience, theme_experience, sme, active
  double value = 0;
  std::string detail;
};
POLES_JSON(PartnerReason, code, value, detail)

struct Candidate {
  int32_t node = -1;
  double score = 0;
  std::vector<PartnerReason> reasons;
};

// The score of a pair (u, v), v not yet a partner of u:
//   Adamic–Adar over shared partners + 1.0 · shares a cluster + 0.5 · same region
//   + 0.25 · same department + 0.5 · min(sector lift, 4) / 4 + 0.2 · v is an SME
//   + 0.1 · log(1 + partners of v) / log(1 + most partners),
// where the sector lift of (a, b) is how much more often organisations of NAF divisions a and b
// cooperate than if partners were drawn at random (non-firms use their kind as their "sector").
struct Weights {
  double shared_cluster = 1.0, same_region = 0.5, same_department = 0.25, sector = 0.5, sme = 0.2,
         activity = 0.1;
};

class Recommender {
 public:
  // Features from the snapshot as known at `up_to_year` (memberships started by then; 0 = all),
  // and the partnerships of `g`. The snapshot and graph must outlive the recommender.
  Recommender(const snapshot::Snapshot& s, const CoopGraph& g, int up_to_year = 0, Weights w = {});

  // Best `k` candidates for node u, excluding u and its partners, with reasons.
  std::vector<Candidate> for_organisation(int32_t u, size_t k) const;

  struct Idea {
    std::string sector;               // NAF division, e.g. "26"
    std::vector<std::string> themes;  // project themes
    std::string region;               // INSEE region code of the project's home
  };
  // Best `k` organisations to invite to a project idea. An unknown region is an error.
  Result<std::vector<Candidate>> for_idea(const Idea& idea, size_t k) const;

  // Scores of every node as a partner for u (-inf for u and its partners): the model, and the
  // common-neighbours baseline. Used by the hold-out evaluation.
  std::vector<double> scores(int32_t u) const;
  std::vector<double> common_neighbours(int32_t u) const;

 private:
  double pair_score(int32_t u, int32_t v, double aa, std::vector<PartnerReason>* reasons) const;

  const snapshot::Snapshot& s_;
  const CoopGraph& g_;
  Weights w_;
  std::vector<int32_t> region_, department_, sector_;  // per node, -1 unknown
  std::vector<std::string> region_names_;              // INSEE code of each region_ index
  std::vector<std::string> sector_names_;
  std::vector<std::vector<int32_t>> clusters_;  // per node, cluster rows
  std::vector<uint8_t> sme_;
  std::vector<double> lift_;  // node sector × node sector
  size_t lift_n_ = 0;
  double log_max_degree_ = 1;
  // Per node: kept projects by project sector and by theme (for ideas), as (code, count).
  std::vector<std::vector<std::pair<int32_t, int32_t>>> project_sectors_, project_themes_;
  std::vector<std::string> theme_names_;
};

struct HoldoutOptions {
  int train_to_year = 0;    // train on projects of years <= t
  int horizon = 3;          // test on new partnerships in t+1 .. t+horizon
  size_t k = 10;            // precision@k
  size_t max_nodes = 1000;  // organisations evaluated (a seeded sample when more have new partners)
  size_t auc_pairs_per_node = 20;
  uint64_t seed = 1;
  Filter filter;  // other restrictions (clusters, programmes, region); its years are ignored
};
struct HoldoutScore {
  std::string method;  // model, common_neighbours, random
  double precision_at_k = 0;
  double auc = 0;
};
POLES_JSON(HoldoutScore, method, precision_at_k, auc)
struct HoldoutResult {
  int train_to = 0, test_from = 0, test_to = 0;
  size_t train_nodes = 0, train_edges = 0;
  size_t new_pairs = 0;  // test partnerships between organisations already in the train graph
  size_t evaluated_nodes = 0;
  size_t k = 0;
  uint64_t seed = 0;
  std::vector<HoldoutScore> methods;
};
Result<HoldoutResult> evaluate_recommender(const snapshot::Snapshot& s, const HoldoutOptions& o);

}  // namespace poles::network
