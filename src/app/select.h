// Calls and selection, and innovation risk, as the CLI and the API serve them: options parsed
// from parameters (the same names on both), the engines of src/select and src/risk run on a
// snapshot, and JSON views. Organisation and reviewer ids and names are resolved here.
//
// Parameters (all optional): k, max_load, candidates (assignment); years (conflict window);
// bootstrap, seed, disagreement_sd (scores); budget, min_share, cap_per_cluster, min_sme_share,
// max_theme_share, min_score (portfolio; default: the call's rules); draws, seed, portfolio =
// optimised|sprinkled|decided (risk simulation).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "app/accounts.h"
#include "app/params.h"
#include "core/status.h"
#include "snapshot/snapshot.h"
#include "store/store.h"

namespace poles::app {

using Json = nlohmann::ordered_json;

// Every call with its rules and counts of proposals, recorded assignments, reviews and decisions.
Json select_calls(const snapshot::Snapshot& s);
Result<Json> select_conflicts(const snapshot::Snapshot& s, const std::string& call,
                              const Params& p);
Result<Json> select_assignment(const snapshot::Snapshot& s, const std::string& call,
                               const Params& p);
Result<Json> select_scores(const snapshot::Snapshot& s, const std::string& call, const Params& p);
// The optimised portfolio beside the proportional sprinkling of the same budget.
Result<Json> select_portfolio(const snapshot::Snapshot& s, const std::string& call,
                              const Params& p);
// The success model fitted on the store's ended projects.
Result<Json> risk_model(const snapshot::Snapshot& s);
// Monte Carlo of a call's portfolio (optimised by default; `decided`: the recorded decisions).
Result<Json> risk_simulation(const snapshot::Snapshot& s, const std::string& call, const Params& p);

// Records decisions of the selection in the store, in one transaction with one audit entry
// (action `assign` or `decide`, key the call, before/after the rows replaced), or changes nothing.
// Both recompute from the snapshot `s` of `store` with the same parameters as the views above.
// A call that already has rows of that kind is refused (Conflict) unless p["replace"] == "true".
//
// save_assignment: the call's assignment rows become the optimised assignment (affinity, date =
// p["date"] or today). Reviews already recorded are kept; the answer lists reviewers who had
// reviewed a proposal no longer assigned to them. A partial assignment is saved, its shortages
// listed.
Result<Json> save_assignment(store::Store& store, const User& user, const snapshot::Snapshot& s,
                             const std::string& call, const Params& p);
// record_decisions: every proposal of the call gets a decision from the optimised portfolio:
// `funded` with its aid, or `rejected`.
Result<Json> record_decisions(store::Store& store, const User& user, const snapshot::Snapshot& s,
                              const std::string& call, const Params& p);

// The proposals assigned to reviewer `reviewer_id` (assignment rows, and proposals they reviewed
// before assignments were recorded) with their own scores per criterion; nothing about other
// reviewers.
Result<Json> reviewer_assigned(const snapshot::Snapshot& s, const std::string& reviewer_id);

// The parameters of the selection and risk views (shared by the API and the CLI).
const ParamSpecs& conflicts_params();
const ParamSpecs& assignment_params();
const ParamSpecs& scores_params();
const ParamSpecs& portfolio_params();
const ParamSpecs& risk_simulation_params();

}  // namespace poles::app
