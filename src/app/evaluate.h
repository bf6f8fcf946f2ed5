// The shared evaluation method as the CLI and the API serve it: one year's evaluation with a
// method file (ranking with rank intervals, pillars, peer groups, ratings, compliance with the
// contracts, proposed corrective actions, sensitivity), a cluster's indicator trends against its
// peers, the qualitative (ESCA-style) assessments with the agreement between evaluators, and the
// characterisation of each cluster (declared against measured scale, regional specialisation of
// its sector, coherence with the filières). docs/evaluate.md.
//
// Parameters: year (default 2022), method (a name under the methods directory, default "default";
// the CLI may give a file path), draws, seed, sobol_n (override the method's), cluster (trends).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "app/params.h"
#include "core/status.h"
#include "evaluate/method_file.h"
#include "formats/table.h"
#include "snapshot/snapshot.h"

namespace poles::app {

using Json = nlohmann::ordered_json;

// The directory of shipped methods: $POLES_METHODS_DIR, else the build's source tree `methods/`.
std::string methods_dir();
// A method by name (a slug, under methods_dir()) or, when allow_path, a file path.
Result<evaluate::MethodFile> find_method(const std::string& name_or_path, bool allow_path);

Result<Json> evaluation(const snapshot::Snapshot& s, const Params& p, bool allow_path = false);
Result<Json> indicator_trends(const snapshot::Snapshot& s, const std::string& cluster,
                              const Params& p);
Result<Json> assessments_view(const snapshot::Snapshot& s, const Params& p);
Result<Json> characterisation(const snapshot::Snapshot& s, const Params& p);
// The indicator catalogue (ids, pillars, units, directions, formulas).
Json indicator_catalogue();
// The evaluation as spreadsheet sheets: ranking, pillars, indicators, compliance, actions.
std::vector<std::pair<std::string, formats::Table>> evaluation_sheets(const Json& evaluation);

// The parameters of the evaluation views (shared by the API and the CLI).
const ParamSpecs& evaluation_params();
const ParamSpecs& trends_params();
const ParamSpecs& assessments_params();
const ParamSpecs& characterisation_params();

}  // namespace poles::app
