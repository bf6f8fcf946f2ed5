// The State's decisions after a published evaluation, and their follow-up (docs/evaluate.md,
// "Decisions and follow-up"; issue #23 item 6).
//
// After publishing a year's evaluation the State records, per cluster, the action it decided: a
// level of the ladder (0 ordinary monitoring … 4 label withdrawal proposed; the level the
// method proposed is kept beside it), the text of the decision in French, a deadline, who
// follows it at the State, and documents (title and https link). What triggered it is copied
// from the published evaluation at the time of the decision: the method's criteria the
// cluster failed that year and the contract targets it missed. The cluster's manager answers
// (its plan, its objections). At the next published evaluation each trigger is followed up:
//  - met: the criterion is met (the target reached) in that evaluation;
//  - improved: still failed, but the indicator moved in its good direction;
//  - not_improved: failed, and it did not;
//  - unknown: the cluster is not in that evaluation, or the value is missing there.
// The decision's follow-up is `met` when every trigger is met, `improved` when at least one is
// met or improved, `not_improved` when none is (and at least one is known), `unknown` when none
// is known, `pending` until a later year is published, `no_trigger` when nothing triggered it.
//
// Access (capability `evaluation_decisions`): read by the State, evaluators and administrators
// (every cluster), a region (its clusters), a cluster manager (its own); the State and
// administrators record, replace and withdraw decisions; the cluster's manager answers. A
// decision the caller may not read is answered as a missing one (404).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "core/status.h"
#include "core/typed_json.h"
#include "store/store.h"

namespace poles::app {

inline constexpr int kMaxDecisionLevel = 4;
inline constexpr size_t kMaxDecisionText = 4000;  // bytes of a decision's text, of an answer
inline constexpr size_t kMaxDecisionOwner = 200;
inline constexpr size_t kMaxDecisionDocuments = 20;
inline constexpr size_t kMaxDocumentTitle = 200;
inline constexpr size_t kMaxDocumentUrl = 2000;

struct EvaluationDecisionDocument {
  std::string title;
  std::string url;  // https:// or http:// only
};
POLES_JSON(EvaluationDecisionDocument, title, url)

// A criterion failed or a contract target missed in the published evaluation, and what became
// of it at the next one.
struct EvaluationDecisionTrigger {
  std::string kind;                 // criterion | target
  std::string id;                   // the criterion's id, or the target's indicator
  std::string indicator;            // the indicator it reads
  std::string direction;            // higher | lower: which way is better
  tj::Omittable<double> threshold;  // a target's value (a criterion's is in its text)
  std::string text_fr, text_en;     // the criterion's text (empty for a target)
  tj::Omittable<double> value;      // in the evaluation decided on
  // At the next published evaluation (absent while pending).
  tj::Omittable<double> value_after;
  tj::Omittable<bool> met_after;
  std::string outcome = "pending";  // met | improved | not_improved | unknown | pending
};
POLES_JSON(EvaluationDecisionTrigger, kind, id, indicator, direction, threshold, text_fr, text_en,
           value, value_after, met_after, outcome)

struct EvaluationDecision {
  int year = 0;  // the published evaluation it follows
  std::string cluster;
  std::string cluster_name;
  int proposed_level = 0;  // what the method proposed in that evaluation
  int level = 0;           // what the State decided
  std::string text;        // the decision, in French
  std::string deadline;    // YYYY-MM-DD
  std::string owner;       // who follows it at the State
  std::vector<EvaluationDecisionDocument> documents;
  std::vector<EvaluationDecisionTrigger> triggers;
  std::string decided_by, decided_at;
  tj::Omittable<std::string> answer, answered_by, answered_at;
  // The next published evaluation (absent: none yet) and the follow-up read there.
  tj::Omittable<int> followed_up_in;
  std::string follow_up = "pending";  // met | improved | not_improved | unknown | pending |
                                      // no_trigger
  bool overdue = false;               // the deadline passed without an answer from the cluster
  bool may_decide = false, may_answer = false;
};
POLES_JSON(EvaluationDecision, year, cluster, cluster_name, proposed_level, level, text, deadline,
           owner, documents, triggers, decided_by, decided_at, answer, answered_by, answered_at,
           followed_up_in, follow_up, overdue, may_decide, may_answer)

struct EvaluationDecisions {
  std::vector<EvaluationDecision> items;  // by year (newest first), then cluster name
  // Counts over the items: decisions answered, overdue, and by follow-up.
  size_t answered = 0, overdue = 0;
  std::map<std::string, size_t> follow_up;
};
POLES_JSON(EvaluationDecisions, items, answered, overdue, follow_up)

struct EvaluationDecisionBody {
  int level = 0;
  std::string text;
  std::string deadline;
  std::string owner;
  tj::Omittable<std::vector<EvaluationDecisionDocument>> documents;  // none when absent
};
POLES_JSON(EvaluationDecisionBody, level, text, deadline, owner, documents)

struct EvaluationDecisionAnswer {
  std::string answer;
};
POLES_JSON(EvaluationDecisionAnswer, answer)

// Records (or replaces) the State's decision on `cluster` after the published evaluation of
// `year`, with an audit entry. NotFound when the year is not published or the cluster is not
// in it; InvalidArgument naming every field at fault. A replaced decision keeps the cluster's
// answer.
Result<EvaluationDecision> record_decision(store::Store& s, const User& u, int year,
                                           const std::string& cluster,
                                           const EvaluationDecisionBody& b);
// Withdraws a decision (the State), with an audit entry.
Status withdraw_decision(store::Store& s, const User& u, int year, const std::string& cluster);
// The cluster manager's answer to a decision on its cluster, with an audit entry.
Result<EvaluationDecision> answer_decision(store::Store& s, const User& u, int year,
                                           const std::string& cluster,
                                           const EvaluationDecisionAnswer& b);
// The decisions the caller may read (`year`, `cluster`: only those, when given), followed up at
// the next published evaluation.
Result<EvaluationDecisions> list_decisions(store::Store& s, const User& u, std::optional<int> year,
                                           const std::string& cluster);
Result<EvaluationDecision> get_decision(store::Store& s, const User& u, int year,
                                        const std::string& cluster);

// The triggers of a decision followed up in a later evaluation's entry of the cluster (its
// published JSON: app::EvaluatedCluster; null when the cluster is not in it). Sets each
// trigger's value_after, met_after and outcome, and returns the decision's follow-up.
std::string follow_up(std::vector<EvaluationDecisionTrigger>& triggers, const tj::Json* later);

// For a cluster report of `year`: each cluster's latest decision of an earlier published year,
// followed up in `evaluation` (the JSON of the year's evaluation, app::YearEvaluation).
Result<std::map<std::string, EvaluationDecision>> decisions_before(store::Store& s, int year,
                                                                   const tj::Json& evaluation);

}  // namespace poles::app
