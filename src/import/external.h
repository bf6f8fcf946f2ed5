// Importers for real public formats, mapped onto the data model and loaded through the Loader
// (all or nothing, every error with file, line, column, field, value and rule):
//  - SIRENE "StockEtablissement" CSV (INSEE): one organisation per SIREN (the head office when
//    present), NAF rev.2 activity, commune;
//  - CORDIS project and organisation CSVs (European Commission; FP7, H2020 and Horizon Europe, in
//    the current layout and the older one): projects with at least one French participant, those
//    participants as organisations (kind from the activity type, SME flag, region from the NUTS
//    code, SIREN from a French VAT number) and their participations (role, EC contribution as aid,
//    total cost);
//  - CORDIS FP7 organisation and project tables (see import_cordis_fp7);
//  - region and department boundaries as GeoJSON (see import_geojson);
//  - the communes of INSEE's official geographic code with their postcodes (import_communes).
// Unknown columns are ignored; a missing required column is an error naming it.
//
// A source's organisations are merged into what is stored (Merge::kFillGaps): an organisation
// already stored with the same SIREN is the same one (its id is kept, it is not stored twice),
// and a field another source set (a member directory's NAF, department, size class, founding
// year…) is kept; the source fills only the empty ones. A source's own projects and
// participations read again take its new values (Merge::kKeepKnown). FP7 projects are filed as
// programme FP7, European.
#pragma once

#include <string>

#include "import/loader.h"

namespace poles::import {

struct ExternalImportOptions {
  bool dry_run = false;
  int max_errors = 100;
  std::string actor = "import";
  bool all_countries = false;  // CORDIS: keep every participant, not only French ones
};

struct ExternalReport {
  LoadReport load;
  int64_t records = 0;  // records read from the files
  int64_t skipped = 0;  // records left out (projects without a French partner, other countries…)
  // Upstream inconsistencies repaired rather than refused ("file:line: what was done").
  std::vector<std::string> warnings;
};

Result<ExternalReport> import_sirene(store::Store& store, const std::string& path,
                                     const ExternalImportOptions& options);
Result<ExternalReport> import_cordis(store::Store& store, const std::string& projects_csv,
                                     const std::string& organisations_csv,
                                     const ExternalImportOptions& options);
// The FP7 tables of SOURCES.md (CSV, optionally .gz): French organisations (department, hence
// region, from the postcode ending the address) and, when `projects` and `facts` are given,
// the projects with their programme, dates, cost, EU contribution and status. The files hold
// no organisation-project link, so no participation can be imported from them.
Result<ExternalReport> import_cordis_fp7(store::Store& store, const std::string& organisations_csv,
                                         const std::string& projects_csv,
                                         const std::string& facts_csv,
                                         const ExternalImportOptions& options);

// GeoJSON FeatureCollection of regions or departments (IGN/INSEE via france-geojson): one
// `territory` per feature, code and name from the properties `code` and `nom`, the geometry
// kept as GeoJSON text, a department's region as parent. A name that differs from INSEE's list
// built into Pôles is reported as a warning; an unknown code is an error.
Result<ExternalReport> import_geojson(store::Store& store, const std::string& path,
                                      const std::string& level,
                                      const ExternalImportOptions& options);

// The communes of INSEE's official geographic code (COG) as `@etalab/decoupage-administratif`
// publishes them (data/communes.json: code, nom, type, departement, region, codesPostaux,
// population, chefLieu, commune, anciensCodes): one `commune` per current commune and per
// municipal district (arrondissement municipal, its commune as parent); a delegated or associated
// commune is kept as a former name (and a former code when it had its own) of the commune it
// belongs to. Read again each year: the list's fields are replaced, each commune's zone d'emploi
// (from INSEE's composition of the zones, through a mapping) is kept.
Result<ExternalReport> import_communes(store::Store& store, const std::string& path,
                                       const ExternalImportOptions& options);

// NUTS (2016/2021) code of a French territory -> INSEE region code ("" when not French or unknown).
std::string region_of_nuts(std::string_view nuts);

}  // namespace poles::import
