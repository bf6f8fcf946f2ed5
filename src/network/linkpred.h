// Partner recommendation judged on a real cooperation network: who takes part in which dated
// project (CORDIS H2020's participations, ../shared/data/cordis/h2020), a temporal hold-out and
// the classical link-prediction baselines.
//
// Protocol (docs/network.md, "Judged on H2020"): projects of 2 to 50 organisations; the train
// graph joins the organisations of the projects started up to `train_to`; the truth is the new
// partnerships (pairs of train organisations not yet partners) of the projects started in
// train_to+1 .. test_to. Every train organisation with a new partner is evaluated (or a sample
// chosen by key, for a quicker run): its candidates are every other train organisation that is
// not yet its partner.
//
// - precision@k: the share of new partners among its k best candidates (ties broken by a key of
//   the candidate, link_key, the same for every method), averaged over the evaluated organisations;
// - AUC: for each new partner, `auc_negatives` candidates that are not new partners drawn by
//   link_key; a pair counts 1 when the partner scores higher, ½ when equal; averaged over pairs.
//
// Methods: common neighbours, Adamic–Adar, resource allocation, preferential attachment, a
// logistic model on those four, and the model: a logistic regression on six features —
//   ln(1 + L3)          degree-normalised paths of length 3 (Kovács et al. 2019),
//   RA                  resource allocation over shared partners,
//   type lift           how much more often organisations of these two kinds (HES, PRC, REC, PUB,
//                       OTH) cooperate than random pairs of partnership ends would,
//   ln country lift     the same for their countries,
//   programme cosine    cosine of their projects' counts by programme part (ERC, LEIT, SC1..7…),
//   ln(1 + projects v)  the candidate's activity.
// Both logistic models are fitted on the graph of train_to − 1 against the new partnerships of
// train_to among the candidates that share a partner with the organisation (each positive with
// `fit_negatives` such candidates drawn by link_key); then the scale of their proximity
// coefficients (L3 and RA; CN, AA and RA) is chosen on the same split by precision@k among
// 1, 2, 3, 4, 6, 8 (a probability model weighs proximity for every pair, a top ten is made of
// close candidates). They are then scored on the train graph: nothing of the test years enters
// a coefficient.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/typed_json.h"

namespace poles::network {

// One organisation in one project.
struct LinkRow {
  std::string project, organisation;
  std::string type, country;  // the organisation's kind and country (most frequent over its rows)
  int year = 0;               // the project's start year; 0 unknown (left out)
};
// Programme parts of each project (a project may have several).
using ProjectParts = std::map<std::string, std::vector<std::string>>;

struct LinkPredOptions {
  int train_to = 2016;
  int test_to = 2020;
  int min_participants = 2, max_participants = 50;
  size_t k = 10;
  size_t sample = 0;  // 0: every organisation with a new partner; else this many (lowest key)
  size_t auc_negatives = 20;
  size_t fit_negatives = 5;
  uint64_t seed = 1;
};

struct LinkPredScore {
  std::string method;  // common_neighbours, adamic_adar, resource_allocation,
                       // preferential_attachment, baseline_logit, model
  double precision_at_k = 0;
  double auc = 0;
};
POLES_JSON(LinkPredScore, method, precision_at_k, auc)

struct LinkPredCoefficient {
  std::string feature;
  double value = 0;
};
POLES_JSON(LinkPredCoefficient, feature, value)

struct LinkPredResult {
  int train_to = 0, test_from = 0, test_to = 0;
  size_t organisations = 0, projects = 0;  // projects of 2..50 organisations with a year
  size_t train_nodes = 0, train_edges = 0;
  size_t new_pairs = 0;  // new partnerships between train organisations in the test years
  size_t evaluated = 0;  // organisations evaluated
  size_t k = 0;
  uint64_t seed = 0;
  // As scored: intercept first, the proximity coefficients multiplied by the scale chosen on
  // the fit split.
  std::vector<LinkPredCoefficient> model, baseline_logit;
  double model_proximity_scale = 1, baseline_proximity_scale = 1;
  std::vector<LinkPredScore> methods;
};
POLES_JSON(LinkPredResult, train_to, test_from, test_to, organisations, projects, train_nodes,
           train_edges, new_pairs, evaluated, k, seed, model, baseline_logit, model_proximity_scale,
           baseline_proximity_scale, methods)

Result<LinkPredResult> judge_link_prediction(const std::vector<LinkRow>& rows,
                                             const ProjectParts& parts,
                                             const LinkPredOptions& o = {});

// The participations and programme parts of ../shared/data/cordis/h2020 (the files
// h2020_participations.csv.gz and h2020_programme_parts.csv.gz of `dir`, data/SOURCES.md).
// A missing file or column is an error naming it.
struct LinkData {
  std::vector<LinkRow> rows;
  ProjectParts parts;
};
Result<LinkData> read_cordis_h2020(const std::string& dir);

// SplitMix64 of (seed, a, b, c): the key that breaks ties, samples organisations and draws
// negatives. Organisations are numbered in the byte order of their identifiers, so an
// independent peer reproduces every draw (tests/network/linkpred_peer.py).
uint64_t link_key(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0);

}  // namespace poles::network
