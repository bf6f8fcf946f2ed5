// Importers for real public formats, mapped onto the data model and loaded through the Loader
// (all or nothing, every error with file, line, column, field, value and rule):
//  - SIRENE "StockEtablissement" CSV (INSEE): one organisation per SIREN (the head office when
//    present), NAF rev.2 activity, commune;
//  - CORDIS Horizon Europe project and organisation CSVs (European Commission): projects with at
//    least one French participant, those participants as organisations (kind from the activity
//    type, SME flag, region from the NUTS code, SIREN from a French VAT number) and their
//    participations (role, EC contribution as aid, total cost).
// Unknown columns are ignored; a missing required column is an error naming it.
#pragma once

#include <string>

#include "io/loader.h"

namespace poles::io {

struct ExternalImportOptions {
  bool dry_run = false;
  int max_errors = 100;
  std::string actor = "import";
  bool all_countries = false;  // CORDIS: keep every participant, not only French ones
};

struct ExternalReport {
  LoadReport load;
  int64_t records = 0;  // records read from the files
  int64_t skipped = 0;  // records left out (closed establishments, projects without French partner…)
};

Result<ExternalReport> import_sirene(store::Store& store, const std::string& path, const ExternalImportOptions& options);
Result<ExternalReport> import_cordis(store::Store& store, const std::string& projects_csv, const std::string& organisations_csv,
                                     const ExternalImportOptions& options);

// NUTS (2016/2021) code of a French territory -> INSEE region code ("" when not French or unknown).
std::string region_of_nuts(std::string_view nuts);

}  // namespace poles::io
