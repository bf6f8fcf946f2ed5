#include "core/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "core/codes.h"
#include "core/date.h"
#include "core/model.h"
#include "core/validate.h"

namespace poles::schema {
namespace {

using T = Type;
using C = Check;

// --- cluster ------------------------------------------------------------------------------
constexpr Field kCluster[] = {
    {.name = "id",
     .check = C::kSlug,
     .required = true,
     .key = true,
     .doc = "slug, e.g. `aerospace-valley`"},
    {.name = "name", .required = true, .doc = "official name"},
    {.name = "acronym", .doc = "short name"},
    {.name = "themes", .check = C::kList, .doc = "`|`-separated themes"},
    {.name = "region",
     .check = C::kRegion,
     .required = true,
     .doc = "INSEE code of the home region"},
    {.name = "scale",
     .check = C::kEnum,
     .required = true,
     .codes = kScaleCodes,
     .doc = "declared scale"},
    {.name = "filiere",
     .doc = "industrial sector strategy (*filière*) the cluster belongs to: the id of a "
            "`filiere` (strategic filière committee) when the store holds them"},
    {.name = "s3_domains",
     .check = C::kList,
     .referential = "s3_domain",
     .doc = "ids of the `s3_domain` rows (the Regions' smart-specialisation priorities) the "
            "cluster serves, `|`-separated (at most 64, each once); each must name a domain of "
            "the store (a domain deleted leaves the lists that named it)"},
    {.name = "website", .check = C::kUrl, .doc = "http(s) address"},
    {.name = "founded", .type = T::kInt, .min = 2004, .max = 2100, .doc = "year of first label"},
};

constexpr Field kClusterLabel[] = {
    {.name = "cluster_id", .required = true, .key = true, .references = "cluster"},
    {.name = "phase",
     .type = T::kInt,
     .required = true,
     .key = true,
     .min = 1,
     .max = 5,
     .doc = "policy phase 1-5 (I 2005-08 … V 2023-26)"},
    {.name = "start_year", .type = T::kInt, .required = true, .min = 2004, .max = 2100},
    {.name = "end_year", .type = T::kInt, .required = true, .min = 2004, .max = 2100},
    {.name = "label_years",
     .type = T::kInt,
     .min = 1,
     .max = 4,
     .doc = "label duration granted (4, 2 or 1 years in phase V)"},
    {.name = "rating",
     .check = C::kEnum,
     .codes = kRatingCodes,
     .doc = "official rating class of the phase's evaluation"},
};

// --- organisation -------------------------------------------------------------------------
constexpr Field kOrganisation[] = {
    {.name = "id",
     .check = C::kSlug,
     .required = true,
     .key = true,
     .doc = "identifier (e.g. `siren:123456782`)"},
    {.name = "name", .required = true},
    {.name = "siren",
     .check = C::kSiren,
     .doc = "9-digit SIREN with a valid Luhn check digit; unique",
     .unique = true},
    {.name = "kind", .check = C::kEnum, .required = true, .codes = kOrgKindCodes},
    {.name = "naf", .check = C::kNaf, .doc = "NAF rev.2 code, `62.01Z` or `6201Z`"},
    {.name = "commune",
     .check = C::kCommune,
     .doc = "INSEE commune code; derives department and region"},
    {.name = "department", .check = C::kDepartment, .doc = "INSEE department code; derives region"},
    {.name = "region", .check = C::kRegion},
    {.name = "employment_zone",
     .check = C::kZone,
     .doc = "INSEE employment zone (*zone d'emploi* 2020) code"},
    {.name = "country", .check = C::kCountry, .doc = "ISO 3166-1 alpha-2, default FR"},
    {.name = "headcount",
     .type = T::kReal,
     .min = 0,
     .doc = "annual work units, last closed year, group level"},
    {.name = "turnover", .type = T::kReal, .min = 0, .doc = "euros"},
    {.name = "balance_sheet", .type = T::kReal, .min = 0, .doc = "euros"},
    {.name = "size_class",
     .check = C::kEnum,
     .codes = kSizeClassCodes,
     .doc = "computed from headcount, turnover and balance sheet (decree 2008-1354) when headcount "
            "is given"},
    {.name = "group_siren", .check = C::kSiren, .doc = "SIREN of the group head"},
    {.name = "founded", .type = T::kInt, .min = 1800, .max = 2100},
    {.name = "acronym", .doc = "short name or acronym (sigle)"},
    {.name = "address", .doc = "street address, as the organisation writes it"},
    {.name = "postcode", .doc = "postcode of the address"},
    {.name = "city"},
    {.name = "website", .check = C::kUrl},
    {.name = "themes", .check = C::kList, .doc = "themes it declares, `|`-separated"},
    {.name = "markets", .check = C::kList, .doc = "markets it addresses, `|`-separated"},
};

constexpr Field kMembership[] = {
    {.name = "organisation_id", .required = true, .key = true, .references = "organisation"},
    {.name = "cluster_id", .required = true, .key = true, .references = "cluster"},
    {.name = "start_date", .type = T::kDate, .required = true, .key = true},
    {.name = "end_date", .type = T::kDate, .doc = "empty while the membership runs"},
    {.name = "fee", .type = T::kReal, .min = 0, .doc = "yearly fee, euros"},
    {.name = "board_seat", .type = T::kBool, .doc = "sits on the cluster's board (0/1)"},
    {.name = "listed",
     .type = T::kBool,
     .doc = "agrees to be listed as a member on the cluster's public page (0/1, empty: no); set "
            "by the member itself or the cluster's manager"},
};

// The members of each cluster in a year as the State released them (its yearly census of the
// clusters' members). Firm figures over a cluster's members (member jobs, R&D staff, their growth,
// the sector sheets' member jobs) count these rows, never the membership rows a cluster writes:
// a cluster that adds or removes a member cannot read a firm's figures in the change of an
// aggregate (docs/secrecy.md, section 6).
constexpr Field kMemberCensus[] = {
    {.name = "year", .type = T::kInt, .required = true, .key = true, .min = 2004, .max = 2100},
    {.name = "cluster_id", .required = true, .key = true, .references = "cluster"},
    {.name = "organisation_id", .required = true, .key = true, .references = "organisation"},
};

// --- funders and programmes: reference tables (seeded by migration 0017, grown by the State) ---
constexpr Field kFunder[] = {
    {.name = "id",
     .check = C::kSlug,
     .required = true,
     .key = true,
     .doc = "e.g. `state`, `bpifrance`, `region-84`, `feder-84`"},
    {.name = "name", .required = true, .doc = "name in French"},
    {.name = "name_en", .doc = "name in English"},
    {.name = "kind",
     .check = C::kEnum,
     .required = true,
     .codes = kFunderKindCodes,
     .doc = "the family of public money the reports add up"},
    {.name = "region",
     .check = C::kRegion,
     .doc = "the Region whose money it is (a Region, the FEDER it manages, its local "
            "authorities): that Region's accounts read its funding rows (docs/access.md)"},
};

constexpr Field kProgramme[] = {
    {.name = "code",
     .check = C::kSlug,
     .required = true,
     .key = true,
     .doc = "e.g. `FUI`, `H2020`, `HORIZON_EUROPE`, `INTERREG`"},
    {.name = "name", .required = true, .doc = "name in French"},
    {.name = "name_en", .doc = "name in English"},
    {.name = "scope",
     .check = C::kEnum,
     .required = true,
     .codes = kProgrammeScopeCodes,
     .doc = "`european` programmes count in the clusters' EU activity"},
    {.name = "funder_id",
     .references = "funder",
     .doc = "who pays its aid when a project's split by funder is not given"},
};

// --- strategies the clusters must be coherent with (CESE recommendation 11) ------------------
// The strategic filière committees (comités stratégiques de filière) of the Conseil national de
// l'industrie.
constexpr Field kFiliere[] = {
    {.name = "id", .check = C::kSlug, .required = true, .key = true, .doc = "e.g. `aeronautique`"},
    {.name = "name", .required = true, .doc = "name in French"},
    {.name = "name_en", .doc = "name in English"},
};

// A priority domain of a Region's smart-specialisation strategy (S3, in the SRI-SI).
constexpr Field kS3Domain[] = {
    {.name = "id",
     .check = C::kSlug,
     .required = true,
     .key = true,
     .doc = "`s3-` then the region's code and a dash, e.g. `s3-76-aeronautique`"},
    {.name = "region",
     .check = C::kRegion,
     .required = true,
     .doc = "the Region whose strategy it is"},
    {.name = "name", .required = true, .doc = "name in French, as the strategy words it"},
    {.name = "name_en", .doc = "name in English"},
    {.name = "filieres",
     .check = C::kList,
     .referential = "filiere",
     .doc = "ids of the `filiere` rows it serves, `|`-separated (at most 64, each once; a "
            "filière deleted leaves the lists that named it)"},
    {.name = "period", .doc = "the strategy's period, e.g. `2021-2027`"},
};

// --- projects -----------------------------------------------------------------------------
constexpr Field kProject[] = {
    {.name = "id", .check = C::kSlug, .required = true, .key = true},
    {.name = "acronym", .required = true},
    {.name = "title"},
    {.name = "kind", .check = C::kEnum, .codes = kProjectKindCodes},
    {.name = "programme",
     .check = C::kSlug,
     .required = true,
     .referential = "programme",
     .doc = "code of a `programme` (FUI, ANR, H2020, HORIZON_EUROPE, INTERREG, …)"},
    {.name = "call_id", .doc = "call reference (free text or a `call` id)"},
    {.name = "start_date", .type = T::kDate},
    {.name = "end_date", .type = T::kDate},
    {.name = "total_cost", .type = T::kReal, .min = 0, .doc = "euros"},
    {.name = "public_aid", .type = T::kReal, .min = 0, .doc = "euros, at most total_cost"},
    {.name = "requested_aid",
     .type = T::kReal,
     .min = 0,
     .doc = "euros asked for; public_aid / requested_aid is the share of its request the project "
            "was funded at, which the success model reads"},
    {.name = "trl_start", .type = T::kInt, .min = 1, .max = 9},
    {.name = "trl_target", .type = T::kInt, .min = 1, .max = 9, .doc = "at least trl_start"},
    {.name = "trl_reached", .type = T::kInt, .min = 1, .max = 9},
    {.name = "ip_agreement", .check = C::kEnum, .codes = kIpAgreementCodes},
    {.name = "status",
     .check = C::kEnum,
     .required = true,
     .codes = kProjectStatusCodes,
     .doc = "lifecycle; an update may only move forward (see below)"},
    {.name = "sector", .check = C::kNafDivision, .doc = "main NAF rev.2 division"},
    {.name = "themes", .check = C::kList},
    {.name = "follow_on_of", .references = "project", .doc = "project this one follows on from"},
    {.name = "public_summary",
     .type = T::kBool,
     .doc = "agreed to the publication of its summary on the public portal (acronym, title, "
            "partners' names, programme, dates, status; 0/1, empty: no)"},
};

constexpr Field kProjectLabel[] = {
    {.name = "project_id", .required = true, .key = true, .references = "project"},
    {.name = "cluster_id", .required = true, .key = true, .references = "cluster"},
    {.name = "date", .type = T::kDate, .required = true, .doc = "labelling date"},
};

constexpr Field kProjectEvent[] = {
    {.name = "project_id", .required = true, .key = true, .references = "project"},
    {.name = "status",
     .check = C::kEnum,
     .required = true,
     .key = true,
     .codes = kProjectStatusCodes},
    {.name = "date",
     .type = T::kDate,
     .required = true,
     .doc = "date the project entered the status"},
};

constexpr Field kParticipation[] = {
    {.name = "project_id", .required = true, .key = true, .references = "project"},
    {.name = "organisation_id", .required = true, .key = true, .references = "organisation"},
    {.name = "role", .check = C::kEnum, .required = true, .codes = kRoleCodes},
    {.name = "cost", .type = T::kReal, .min = 0, .doc = "euros"},
    {.name = "aid", .type = T::kReal, .min = 0, .doc = "euros, at most cost"},
};

// A project's public aid split by funder: each co-funder (the State, Bpifrance, a Region, the
// FEDER, the EU…) reads its own money.
constexpr Field kProjectFunding[] = {
    {.name = "project_id", .required = true, .key = true, .references = "project"},
    {.name = "funder_id", .required = true, .key = true, .references = "funder"},
    {.name = "amount",
     .type = T::kReal,
     .required = true,
     .min = 0,
     .max = 1e11,
     .doc = "euros granted by this funder"},
    {.name = "instrument", .check = C::kEnum, .codes = kInstrumentCodes},
};

constexpr Field kResult[] = {
    {.name = "id", .check = C::kSlug, .required = true, .key = true},
    {.name = "project_id", .required = true, .references = "project"},
    {.name = "organisation_id", .references = "organisation"},
    {.name = "kind", .check = C::kEnum, .required = true, .codes = kResultKindCodes},
    {.name = "title"},
    {.name = "date", .type = T::kDate},
    {.name = "revenue", .type = T::kReal, .min = 0, .doc = "euros per year"},
    {.name = "jobs", .type = T::kReal, .min = 0, .doc = "jobs created (FTE)"},
};

// --- SME services ---------------------------------------------------------------------------
constexpr Field kService[] = {
    {.name = "id", .check = C::kSlug, .required = true, .key = true},
    {.name = "cluster_id", .required = true, .references = "cluster"},
    {.name = "kind", .check = C::kEnum, .required = true, .codes = kServiceKindCodes},
    {.name = "title"},
    {.name = "date", .type = T::kDate, .required = true},
    {.name = "place"},
    {.name = "country", .check = C::kCountry},
    {.name = "cost", .type = T::kReal, .min = 0},
};

constexpr Field kServiceParticipant[] = {
    {.name = "service_id", .required = true, .key = true, .references = "service"},
    {.name = "organisation_id", .required = true, .key = true, .references = "organisation"},
    {.name = "satisfaction", .type = T::kInt, .min = 1, .max = 5, .doc = "1-5"},
    {.name = "outcome", .check = C::kEnum, .codes = kServiceOutcomeCodes},
    {.name = "financing_raised", .type = T::kReal, .min = 0, .doc = "euros"},
};

constexpr Field kDiagnostic[] = {
    {.name = "organisation_id", .required = true, .key = true, .references = "organisation"},
    {.name = "date", .type = T::kDate, .required = true, .key = true},
    {.name = "cluster_id", .references = "cluster", .doc = "cluster that ran the diagnostic"},
    {.name = "score",
     .type = T::kReal,
     .required = true,
     .min = 0,
     .max = 100,
     .doc = "digital maturity 0-100"},
    {.name = "strategy", .type = T::kReal, .min = 0, .max = 100},
    {.name = "customer", .type = T::kReal, .min = 0, .max = 100},
    {.name = "operations", .type = T::kReal, .min = 0, .max = 100},
    {.name = "data", .type = T::kReal, .min = 0, .max = 100},
    {.name = "skills", .type = T::kReal, .min = 0, .max = 100},
    {.name = "security", .type = T::kReal, .min = 0, .max = 100},
    {.name = "aid_received",
     .type = T::kReal,
     .min = 0,
     .doc = "digitalisation aid received after the diagnostic, euros"},
};

// --- contracts and assessments ------------------------------------------------------------
constexpr Field kContract[] = {
    {.name = "id", .check = C::kSlug, .required = true, .key = true},
    {.name = "cluster_id", .required = true, .references = "cluster"},
    {.name = "start_year", .type = T::kInt, .required = true, .min = 2004, .max = 2100},
    {.name = "end_year", .type = T::kInt, .required = true, .min = 2004, .max = 2100},
    {.name = "signatories", .check = C::kList},
    {.name = "improvement_plan", .type = T::kBool, .doc = "an improvement plan is in force (0/1)"},
};

constexpr Field kContractTarget[] = {
    {.name = "contract_id", .required = true, .key = true, .references = "contract"},
    {.name = "indicator", .required = true, .key = true, .doc = "indicator code of the catalogue"},
    {.name = "year", .type = T::kInt, .required = true, .key = true, .min = 2004, .max = 2100},
    {.name = "value", .type = T::kReal, .required = true},
    {.name = "direction", .check = C::kEnum, .required = true, .codes = kDirectionCodes},
};

// The budget of a cluster's own organisation (its "business model"): who pays for the team and
// its services. The policy's target is a private share of at least 50 %.
constexpr Field kClusterBudget[] = {
    {.name = "cluster_id", .required = true, .key = true, .references = "cluster"},
    {.name = "year", .type = T::kInt, .required = true, .key = true, .min = 2004, .max = 2100},
    {.name = "total", .type = T::kReal, .required = true, .min = 0, .doc = "euros"},
    {.name = "public",
     .type = T::kReal,
     .min = 0,
     .doc = "euros from the State, regions and other public bodies"},
    {.name = "private",
     .type = T::kReal,
     .min = 0,
     .doc = "euros from fees, paid services and sponsors"},
    {.name = "staff", .type = T::kReal, .min = 0, .doc = "full-time equivalents of the team"},
};

constexpr Field kAssessment[] = {
    {.name = "cluster_id", .required = true, .key = true, .references = "cluster"},
    {.name = "year", .type = T::kInt, .required = true, .key = true, .min = 2004, .max = 2100},
    {.name = "criterion",
     .check = C::kEnum,
     .required = true,
     .key = true,
     .codes = kEscaAreaCodes},
    {.name = "evaluator", .check = C::kSlug, .required = true, .key = true},
    {.name = "score",
     .type = T::kInt,
     .required = true,
     .min = 0,
     .max = 4,
     .doc = "0 (absent) to 4 (excellent)"},
    {.name = "justification", .required = true},
};

// --- calls and selection --------------------------------------------------------------------
constexpr Field kCall[] = {
    {.name = "id", .check = C::kSlug, .required = true, .key = true},
    {.name = "programme",
     .check = C::kSlug,
     .required = true,
     .referential = "programme",
     .doc = "code of a `programme`"},
    {.name = "title", .required = true},
    {.name = "budget", .type = T::kReal, .required = true, .min = 0, .doc = "euros"},
    {.name = "open_date", .type = T::kDate},
    {.name = "close_date", .type = T::kDate},
    {.name = "min_funding_share",
     .type = T::kReal,
     .min = 0,
     .max = 1,
     .doc = "a funded proposal gets at least this share of its request"},
    {.name = "cap_per_cluster", .type = T::kReal, .min = 0, .doc = "euros"},
    {.name = "min_sme_share",
     .type = T::kReal,
     .min = 0,
     .max = 1,
     .doc = "minimum share of the budget to SME-led proposals"},
    {.name = "criteria",
     .doc = "`name:weight|…`, e.g. `excellence:0.4|impact:0.4|implementation:0.2`"},
    {.name = "reviewers_per_proposal", .type = T::kInt, .min = 1, .max = 20},
    {.name = "max_per_reviewer", .type = T::kInt, .min = 1, .max = 1000},
};

constexpr Field kProposal[] = {
    {.name = "id", .check = C::kSlug, .required = true, .key = true},
    {.name = "call_id", .required = true, .references = "call"},
    {.name = "project_id", .references = "project"},
    {.name = "applicant_id",
     .required = true,
     .references = "organisation",
     .doc = "lead applicant"},
    {.name = "cluster_id", .references = "cluster", .doc = "labelling cluster"},
    {.name = "title", .required = true},
    {.name = "requested_aid", .type = T::kReal, .required = true, .min = 0},
    {.name = "sector", .check = C::kNafDivision},
    {.name = "themes", .check = C::kList},
    {.name = "trl_start", .type = T::kInt, .min = 1, .max = 9},
    {.name = "trl_target", .type = T::kInt, .min = 1, .max = 9},
    {.name = "expected_products", .type = T::kReal, .min = 0},
};

constexpr Field kReviewer[] = {
    {.name = "id", .check = C::kSlug, .required = true, .key = true},
    {.name = "name", .required = true},
    {.name = "organisation_id", .references = "organisation"},
    {.name = "sectors", .check = C::kList, .doc = "NAF divisions of expertise"},
    {.name = "themes", .check = C::kList},
    {.name = "max_load", .type = T::kInt, .min = 0, .max = 1000},
};

constexpr Field kAssignment[] = {
    {.name = "proposal_id", .required = true, .key = true, .references = "proposal"},
    {.name = "reviewer_id", .required = true, .key = true, .references = "reviewer"},
    {.name = "affinity",
     .type = T::kReal,
     .min = 0,
     .doc = "expertise match when the assignment was optimised"},
    {.name = "date", .type = T::kDate, .doc = "when the assignment was recorded"},
};

constexpr Field kReview[] = {
    {.name = "proposal_id", .required = true, .key = true, .references = "proposal"},
    {.name = "reviewer_id", .required = true, .key = true, .references = "reviewer"},
    {.name = "criterion", .check = C::kSlug, .required = true, .key = true},
    {.name = "score", .type = T::kReal, .required = true, .min = 0, .max = 10},
    {.name = "comment"},
};

constexpr Field kDecision[] = {
    {.name = "proposal_id", .required = true, .key = true, .references = "proposal"},
    {.name = "decision", .check = C::kEnum, .required = true, .codes = kDecisionCodes},
    {.name = "aid", .type = T::kReal, .min = 0},
    {.name = "date", .type = T::kDate},
};

// --- economic data --------------------------------------------------------------------------
constexpr Field kFirmYear[] = {
    {.name = "siren", .check = C::kSiren, .required = true, .key = true},
    {.name = "year", .type = T::kInt, .required = true, .key = true, .min = 1990, .max = 2100},
    {.name = "headcount", .type = T::kReal, .min = 0},
    {.name = "turnover", .type = T::kReal, .min = 0},
    {.name = "value_added", .type = T::kReal},
    {.name = "rd_spending", .type = T::kReal, .min = 0},
    {.name = "rd_staff", .type = T::kReal, .min = 0},
    {.name = "exports", .type = T::kReal, .min = 0},
    {.name = "patents", .type = T::kReal, .min = 0},
    {.name = "wage_bill", .type = T::kReal, .min = 0},
    {.name = "cir", .type = T::kReal, .min = 0, .doc = "research tax credit received"},
    {.name = "naf", .check = C::kNaf},
    {.name = "region", .check = C::kRegion},
    {.name = "employment_zone", .check = C::kZone},
};

constexpr Field kEmployment[] = {
    {.name = "level",
     .check = C::kEnum,
     .required = true,
     .key = true,
     .codes = kTerritoryLevelCodes},
    {.name = "code", .required = true, .key = true, .doc = "territory code at that level"},
    {.name = "sector",
     .required = true,
     .key = true,
     .doc = "NAF rev.2 section (A21), A38 code or division (A88), or `total`"},
    {.name = "year", .type = T::kInt, .required = true, .key = true, .min = 1990, .max = 2100},
    {.name = "jobs", .type = T::kReal, .required = true, .min = 0},
};

// Boundaries and names of territories (INSEE codes), e.g. from the IGN/INSEE GeoJSON files.
constexpr Field kTerritory[] = {
    {.name = "level",
     .check = C::kEnum,
     .required = true,
     .key = true,
     .codes = kTerritoryLevelCodes},
    {.name = "code", .required = true, .key = true, .doc = "INSEE code at that level"},
    {.name = "name", .required = true},
    {.name = "parent",
     .check = C::kRegion,
     .doc = "region of a department, dominant region of a zone d'emploi"},
    {.name = "geometry", .doc = "GeoJSON geometry (WGS84)"},
};

// A national figure of an indicator of the catalogue (docs/indicators.md) in a year, as the State
// publishes it (the median or mean over every labelled cluster): a store that
// holds one cluster reads it beside that cluster's own (the trends, the cluster report).
constexpr Field kNationalFigure[] = {
    {.name = "indicator",
     .check = C::kSlug,
     .required = true,
     .key = true,
     .doc = "indicator id of the catalogue (docs/indicators.md)"},
    {.name = "year", .type = T::kInt, .required = true, .key = true, .min = 2004, .max = 2100},
    {.name = "statistic",
     .check = C::kEnum,
     .required = true,
     .codes = kNationalStatisticCodes,
     .doc = "how the figure sums up the clusters"},
    {.name = "value", .type = T::kReal, .required = true},
    {.name = "source", .doc = "who published it, e.g. `DGE, bilan des pôles 2023`"},
};

// A commune of INSEE's Code officiel géographique (COG) with La Poste's postcodes, as
// `@etalab/decoupage-administratif` publishes them (`poles import-communes communes.json`), and its
// zone d'emploi from INSEE's composition of the zones (a mapping, docs/real-data.md). Once the
// store holds the list, a commune code is checked against it, and an organisation's commune is
// found from its postcode and city, its zone from its commune.
constexpr Field kCommune[] = {
    {.name = "code", .check = C::kCommune, .required = true, .key = true, .doc = "INSEE code"},
    {.name = "name", .required = true, .doc = "official name"},
    {.name = "kind",
     .check = C::kEnum,
     .required = true,
     .codes = kCommuneKindCodes,
     .doc = "a commune, or a municipal district of Paris, Lyon or Marseille"},
    {.name = "parent", .check = C::kCommune, .doc = "the commune of a municipal district"},
    {.name = "department", .check = C::kDepartment, .doc = "derived from the code"},
    {.name = "region", .check = C::kRegion, .doc = "derived from the department"},
    {.name = "postcodes", .check = C::kList, .doc = "La Poste's postcodes, `|`-separated"},
    {.name = "employment_zone", .check = C::kZone, .doc = "zone d'emploi 2020"},
    {.name = "population", .type = T::kInt, .min = 0, .doc = "legal population"},
    {.name = "former_names",
     .check = C::kList,
     .doc = "names of the delegated or associated communes it includes (a postal address may "
            "still name them)"},
    {.name = "former_codes",
     .check = C::kList,
     .doc = "codes of the communes merged into it (an older file may still give them)"},
};

// The identifiers an organisation is known by in other files: its SIREN, VAT number, the
// Commission's PIC, an association's RNA number, a member directory's own key, and the ids a
// merge dropped. An import that names an organisation by one of them finds it (the CORDIS import
// by PIC and VAT, a mapping by the identifiers it declares and by a merged organisation's old
// id), so that a merged duplicate is not created again.
constexpr Field kOrganisationIdentifier[] = {
    {.name = "scheme",
     .check = C::kSlug,
     .required = true,
     .key = true,
     .doc = "`siren`, `vat`, `pic`, `rna`, `former_id` (an id a merge dropped), or "
            "`directory:<name>` (a directory's own key)"},
    {.name = "value", .required = true, .key = true, .doc = "checked by scheme"},
    {.name = "organisation_id", .required = true, .references = "organisation"},
    {.name = "source", .doc = "where it was read (`cordis`, a directory, `merge`)"},
};

constexpr Field kTruth[] = {
    {.name = "key", .required = true, .key = true, .doc = "parameter name"},
    {.name = "value", .type = T::kReal, .required = true},
    {.name = "note"},
};

constexpr Entity kEntities[] = {
    {"cluster", "competitiveness cluster (pôle)", kCluster},
    {"cluster_label", "label history of a cluster, one row per phase", kClusterLabel, "cluster"},
    {"organisation", "firm, laboratory, school, SATT, funder…", kOrganisation},
    {"membership", "an organisation's membership of a cluster", kMembership},
    {"member_census",
     "the members of a cluster in a year as the State released them; firm figures over members "
     "count these rows (written by a release of the year, POST /api/v1/census/{year} or `poles "
     "census release`; the API refuses them row by row or by CSV, the command line's import is "
     "an operator's)",
     kMemberCensus},
    {"funder", "a public funder of projects (reference table)", kFunder},
    {"programme", "a funding programme (reference table)", kProgramme},
    {"filiere", "a strategic filière committee (reference table)", kFiliere},
    {"s3_domain", "a priority domain of a Region's smart-specialisation strategy (S3)", kS3Domain},
    {"project", "collaborative project", kProject},
    {"project_label", "a cluster's label on a project", kProjectLabel, "project"},
    {"project_event", "date a project entered a lifecycle status", kProjectEvent, "project"},
    {"participation", "an organisation's part in a project", kParticipation, "project"},
    {"project_funding", "a funder's share of a project's public aid", kProjectFunding, "project"},
    {"result", "product, patent, spin-off… of a project", kResult, "project"},
    {"service", "an SME service run by a cluster", kService},
    {"service_participant", "an organisation's participation in a service", kServiceParticipant,
     "service"},
    {"diagnostic", "digital-maturity diagnostic of a firm", kDiagnostic},
    {"contract", "performance contract of a cluster", kContract},
    {"contract_target", "yearly target of a performance contract", kContractTarget, "contract"},
    {"cluster_budget", "a cluster organisation's budget and its funders, one row per year",
     kClusterBudget},
    {"assessment", "qualitative score of a cluster on one ESCA area by one evaluator", kAssessment},
    {"call", "call for proposals", kCall},
    {"proposal", "proposal to a call", kProposal, "call"},
    {"reviewer", "expert who reviews proposals", kReviewer},
    {"assignment", "a reviewer assigned to a proposal", kAssignment, "proposal"},
    {"review", "a reviewer's score of a proposal on one criterion", kReview, "proposal"},
    {"decision", "funding decision on a proposal", kDecision, "proposal"},
    {"firm_year", "firm-level economic panel", kFirmYear},
    {"employment", "jobs by territory, sector and year", kEmployment},
    {"national_figure", "a national figure of an indicator, to read a single cluster against",
     kNationalFigure},
    {"truth", "parameters planted by the demo generator", kTruth},
    {"territory", "a territory's name and boundary", kTerritory},
    {"commune", "a commune of INSEE's official geographic code (reference table)", kCommune},
    {"organisation_identifier", "an identifier an organisation is known by in other files",
     kOrganisationIdentifier, "organisation"},
};

bool looks_like_url(std::string_view v) {
  return (v.starts_with("http://") && v.size() > 7) || (v.starts_with("https://") && v.size() > 8);
}

std::string format_bound(double b) { return fmt::format("{}", b); }

std::optional<std::string> check_bounds(const Field& f, double v) {
  if (f.min && f.max && (v < *f.min || v > *f.max)) {
    return fmt::format("must be between {} and {}", format_bound(*f.min), format_bound(*f.max));
  }
  if (f.min && v < *f.min) {
    return *f.min == 0 ? std::string("must not be negative")
                       : fmt::format("must be at least {}", format_bound(*f.min));
  }
  if (f.max && v > *f.max) return fmt::format("must be at most {}", format_bound(*f.max));
  return std::nullopt;
}

std::optional<std::string> check_text(const Field& f, std::string& s) {
  if (auto e = validate::utf8(s)) return e;
  switch (f.check) {
    case C::kNone:
      return std::nullopt;
    case C::kSlug:
      return validate::slug(s);
    case C::kSiren:
      return validate::siren(s);
    case C::kSiret:
      return validate::siret(s);
    case C::kRegion:
      return validate::region(s);
    case C::kDepartment:
      return validate::department(s);
    case C::kCommune:
      return validate::commune(s);
    case C::kNaf: {
      if (auto e = validate::naf(s)) return e;
      s = *validate::normalise_naf(s);
      return std::nullopt;
    }
    case C::kNafDivision:
      return validate::naf_division(s);
    case C::kZone:
      return validate::zone(s);
    case C::kCountry: {
      s = codes::normalise_country(s);
      return validate::country(s);
    }
    case C::kEnum: {
      if (find_code(f.codes, s)) return std::nullopt;
      std::string allowed;
      for (auto c : f.codes) allowed += (allowed.empty() ? "" : ", ") + std::string(c);
      return "must be one of: " + allowed;
    }
    case C::kList: {
      size_t start = 0;
      while (true) {
        const size_t bar = s.find('|', start);
        const size_t end = bar == std::string::npos ? s.size() : bar;
        if (end == start) return std::string("list items ('|'-separated) must not be empty");
        if (bar == std::string::npos) break;
        start = bar + 1;
      }
      // A list that names rows: a few identifiers, each once (every item is looked up on every
      // write, and a rule names the item: both must stay small).
      if (!f.referential.empty() || !f.references.empty()) {
        const auto items = list_items(s);
        if (items.size() > kMaxListItems)
          return fmt::format("a list of ids names at most {} rows", kMaxListItems);
        for (size_t i = 0; i < items.size(); ++i) {
          if (auto bad = validate::slug(items[i])) return "each item: " + *bad;
          if (std::find(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(i), items[i]) !=
              items.begin() + static_cast<std::ptrdiff_t>(i))
            return fmt::format("item '{}' is named twice", items[i]);
        }
      }
      return std::nullopt;
    }
    case C::kUrl:
      if (looks_like_url(s)) return std::nullopt;
      return std::string("must be an http:// or https:// address");
  }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  return s.substr(a, b - a);
}

const std::string* text_at(const Row& row, int i) {
  if (i < 0) return nullptr;
  return std::get_if<std::string>(&row[static_cast<size_t>(i)]);
}
std::optional<double> number_at(const Row& row, int i) {
  if (i < 0) return std::nullopt;
  const Value& v = row[static_cast<size_t>(i)];
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  return std::nullopt;
}

void add_error(std::vector<FieldError>& errors, const Entity& e, int field, const Row& row,
               std::string rule) {
  FieldError fe;
  fe.field = std::string(e.fields[static_cast<size_t>(field)].name);
  fe.value = value_to_text(row[static_cast<size_t>(field)]);
  fe.column = field + 1;  // callers remap to file columns
  fe.rule = std::move(rule);
  errors.push_back(std::move(fe));
}

// Both present and `later` < `earlier` -> error on `later`.
void check_order(const Entity& e, const Row& row, std::string_view earlier, std::string_view later,
                 std::vector<FieldError>& errors) {
  const int a = field_index(e, earlier), b = field_index(e, later);
  const Value& va = row[static_cast<size_t>(a)];
  const Value& vb = row[static_cast<size_t>(b)];
  if (is_null(va) || is_null(vb)) return;
  if (vb < va) add_error(errors, e, b, row, fmt::format("must not be before {}", earlier));
}

void check_at_most(const Entity& e, const Row& row, std::string_view small, std::string_view big,
                   std::vector<FieldError>& errors) {
  const int a = field_index(e, small), b = field_index(e, big);
  const auto va = number_at(row, a), vb = number_at(row, b);
  if (va && vb && *va > *vb) add_error(errors, e, a, row, fmt::format("must not exceed {}", big));
}

// A commune's department and region follow from its code; a municipal district has its commune.
void check_commune(const Entity& e, Row& row, std::vector<FieldError>& errors) {
  const int i_code = field_index(e, "code"), i_dept = field_index(e, "department"),
            i_region = field_index(e, "region"), i_parent = field_index(e, "parent");
  const auto* code = text_at(row, i_code);
  const auto dept = code ? codes::commune_department(*code) : std::nullopt;
  if (code && !dept)
    add_error(errors, e, i_code, row, "is not the code of a commune of a known department");
  if (dept) {
    if (const auto* d = text_at(row, i_dept); d && *d != *dept)
      add_error(errors, e, i_dept, row,
                fmt::format("does not match commune {} (department {})", *code, *dept));
    row[static_cast<size_t>(i_dept)] = std::string(*dept);
    const std::string_view region = codes::find_department(*dept)->region;
    if (const auto* r = text_at(row, i_region); r && *r != region)
      add_error(errors, e, i_region, row,
                fmt::format("does not match department {} (region {})", *dept, region));
    row[static_cast<size_t>(i_region)] = std::string(region);
  }
  const auto* kind = text_at(row, field_index(e, "kind"));
  const auto* parent = text_at(row, i_parent);
  if (kind && *kind == "district" && !parent)
    add_error(errors, e, i_parent, row, "is required for a municipal district (its commune)");
  if (kind && *kind == "commune" && parent)
    add_error(errors, e, i_parent, row, "is only for a municipal district");
}

// The value of an identifier by its scheme.
void check_identifier(const Entity& e, const Row& row, std::vector<FieldError>& errors) {
  const auto* scheme = text_at(row, field_index(e, "scheme"));
  const int i_value = field_index(e, "value");
  const auto* value = text_at(row, i_value);
  if (!scheme || !value) return;
  std::optional<std::string> rule;
  if (*scheme == "siren") {
    rule = validate::siren(*value);
  } else if (*scheme == "vat") {
    rule = validate::vat(*value);
  } else if (*scheme == "pic") {
    if (value->size() != 9 || !std::all_of(value->begin(), value->end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        }))
      rule = "PIC (the Commission's participant identification code) must have 9 digits";
  } else if (*scheme == "rna") {
    if (value->size() != 10 || (*value)[0] != 'W' ||
        !std::all_of(value->begin() + 1, value->end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
      rule = "RNA number (an association's) must be W followed by 9 letters or digits";
  } else if (*scheme == "former_id") {
    rule = validate::slug(*value);
  } else if (!(scheme->starts_with("directory:") && scheme->size() > 10)) {
    add_error(errors, e, field_index(e, "scheme"), row,
              "must be siren, vat, pic, rna, former_id or directory:<name> (a directory's own "
              "key)");
    return;
  }
  if (rule) add_error(errors, e, i_value, row, *rule);
}

void check_organisation(const Entity& e, Row& row, std::vector<FieldError>& errors) {
  const int i_commune = field_index(e, "commune"), i_dept = field_index(e, "department"),
            i_region = field_index(e, "region"), i_country = field_index(e, "country");
  if (is_null(row[static_cast<size_t>(i_country)]))
    row[static_cast<size_t>(i_country)] = std::string("FR");
  if (const auto* commune = text_at(row, i_commune)) {
    const auto dept = codes::commune_department(*commune);
    if (dept) {
      if (const auto* d = text_at(row, i_dept); d && *d != *dept) {
        add_error(errors, e, i_dept, row,
                  fmt::format("does not match commune {} (department {})", *commune, *dept));
      } else {
        row[static_cast<size_t>(i_dept)] = std::string(*dept);
      }
    }
  }
  if (const auto* dept = text_at(row, i_dept)) {
    if (const auto* d = codes::find_department(*dept)) {
      if (const auto* r = text_at(row, i_region); r && *r != d->region) {
        add_error(errors, e, i_region, row,
                  fmt::format("does not match department {} (region {})", *dept, d->region));
      } else {
        row[static_cast<size_t>(i_region)] = std::string(d->region);
      }
    }
  }
  const int i_hc = field_index(e, "headcount"), i_size = field_index(e, "size_class");
  if (const auto hc = number_at(row, i_hc)) {
    const SizeClass computed = classify_size(*hc, number_at(row, field_index(e, "turnover")),
                                             number_at(row, field_index(e, "balance_sheet")));
    const std::string code(kSizeClassCodes[static_cast<size_t>(computed)]);
    if (const auto* given = text_at(row, i_size); given && *given != code) {
      add_error(errors, e, i_size, row,
                fmt::format("does not match headcount, turnover and balance sheet (decree "
                            "2008-1354 gives '{}')",
                            code));
    } else {
      row[static_cast<size_t>(i_size)] = code;
    }
  }
}

}  // namespace

std::vector<std::string_view> list_items(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t at = 0; at <= text.size();) {
    const size_t end = std::min(text.find('|', at), text.size());
    if (end > at) out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

std::span<const Entity> entities() { return kEntities; }

const Entity* find_entity(std::string_view name) {
  for (const auto& e : kEntities) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

int field_index(const Entity& e, std::string_view field) {
  for (size_t i = 0; i < e.fields.size(); ++i) {
    if (e.fields[i].name == field) return static_cast<int>(i);
  }
  return -1;
}

std::vector<int> key_indices(const Entity& e) {
  std::vector<int> out;
  for (size_t i = 0; i < e.fields.size(); ++i) {
    if (e.fields[i].key) out.push_back(static_cast<int>(i));
  }
  return out;
}

int single_key_index(const Entity& e) {
  const auto keys = key_indices(e);
  return keys.size() == 1 ? keys[0] : -1;
}

const char* type_name(Type t) {
  switch (t) {
    case T::kText:
      return "text";
    case T::kInt:
      return "integer";
    case T::kReal:
      return "number";
    case T::kDate:
      return "date";
    case T::kBool:
      return "boolean";
  }
  return "?";
}

std::optional<std::string> parse_cell(const Field& f, std::string_view raw, Value& out) {
  const std::string_view text = trim(raw);
  if (text.empty()) {
    out = std::monostate{};
    if (f.required) return std::string("is required");
    return std::nullopt;
  }
  switch (f.type) {
    case T::kText: {
      std::string s(text);
      if (auto e = check_text(f, s)) return e;
      out = std::move(s);
      return std::nullopt;
    }
    case T::kInt: {
      const auto v = validate::parse_int(text);
      if (!v) return std::string("must be an integer");
      if (auto e = check_bounds(f, static_cast<double>(*v))) return e;
      out = static_cast<int64_t>(*v);
      return std::nullopt;
    }
    case T::kReal: {
      const auto v = validate::parse_real(text, f.decimal_comma);
      if (!v)
        return std::string(f.decimal_comma ? "must be a number (decimal point or comma)"
                                           : "must be a number");
      if (auto e = check_bounds(f, *v)) return e;
      out = *v;
      return std::nullopt;
    }
    case T::kDate: {
      if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::string("must be an ISO 8601 date YYYY-MM-DD");
      }
      if (!Date::parse(text)) return std::string("is not a calendar date");
      out = std::string(text);
      return std::nullopt;
    }
    case T::kBool: {
      if (text == "1" || text == "true" || text == "TRUE" || text == "oui" || text == "yes") {
        out = int64_t{1};
      } else if (text == "0" || text == "false" || text == "FALSE" || text == "non" ||
                 text == "no") {
        out = int64_t{0};
      } else {
        return std::string("must be a boolean (0/1, true/false, oui/non)");
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_value(const Field& f, Value& v) {
  if (is_null(v)) {
    if (f.required) return std::string("is required");
    return std::nullopt;
  }
  if (auto* s = std::get_if<std::string>(&v)) {
    // Text for a numeric field (e.g. a JSON string) goes through the text parser.
    Value out;
    const std::string copy = *s;
    auto e = parse_cell(f, copy, out);
    if (!e) v = std::move(out);
    return e;
  }
  switch (f.type) {
    case T::kText:
    case T::kDate:
      return std::string(f.type == T::kDate ? "must be an ISO 8601 date YYYY-MM-DD"
                                            : "must be text");
    case T::kInt: {
      if (const auto* d = std::get_if<double>(&v)) {
        if (std::floor(*d) != *d) return std::string("must be an integer");
        v = static_cast<int64_t>(*d);
      }
      return check_bounds(f, static_cast<double>(std::get<int64_t>(v)));
    }
    case T::kReal: {
      if (const auto* n = std::get_if<int64_t>(&v)) v = static_cast<double>(*n);
      if (!std::isfinite(std::get<double>(v))) return std::string("must be a finite number");
      return check_bounds(f, std::get<double>(v));
    }
    case T::kBool: {
      const auto* n = std::get_if<int64_t>(&v);
      if (n == nullptr || (*n != 0 && *n != 1))
        return std::string("must be a boolean (0/1, true/false, oui/non)");
      return std::nullopt;
    }
  }
  return std::nullopt;
}

namespace {

// The `code` of a row with a territory `level` must be a code of that level. True when both are
// present and the code is valid.
bool check_territory_code(const Entity& e, const Row& row, std::vector<FieldError>& errors) {
  const auto* level = text_at(row, field_index(e, "level"));
  const int i_code = field_index(e, "code");
  const auto* code = text_at(row, i_code);
  if (!level || !code) return false;
  std::optional<std::string> rule;
  if (*level == "region") rule = validate::region(*code);
  if (*level == "department") rule = validate::department(*code);
  if (*level == "country") rule = validate::country(*code);
  if (*level == "zone") rule = validate::zone(*code);
  if (rule) add_error(errors, e, i_code, row, *rule);
  return !rule;
}

}  // namespace

int zone_reference(const Entity& e, const Row& row) {
  const std::string_view n = e.name;
  int field = -1;
  if (n == "employment") {
    const auto* level = text_at(row, field_index(e, "level"));
    if (level != nullptr && *level == "zone") field = field_index(e, "code");
  } else if (n == "organisation" || n == "firm_year") {
    field = field_index(e, "employment_zone");
  }
  return field >= 0 && text_at(row, field) != nullptr ? field : -1;
}

void check_row(const Entity& e, Row& row, std::vector<FieldError>& errors) {
  const std::string_view n = e.name;
  if (n == "organisation") {
    check_organisation(e, row, errors);
  } else if (n == "commune") {
    check_commune(e, row, errors);
  } else if (n == "organisation_identifier") {
    check_identifier(e, row, errors);
  } else if (n == "cluster_label" || n == "contract") {
    check_order(e, row, "start_year", "end_year", errors);
  } else if (n == "membership") {
    check_order(e, row, "start_date", "end_date", errors);
  } else if (n == "project") {
    check_order(e, row, "start_date", "end_date", errors);
    check_at_most(e, row, "public_aid", "total_cost", errors);
    check_order(e, row, "trl_start", "trl_target", errors);
  } else if (n == "participation") {
    check_at_most(e, row, "aid", "cost", errors);
  } else if (n == "cluster_budget") {
    check_at_most(e, row, "public", "total", errors);
    check_at_most(e, row, "private", "total", errors);
  } else if (n == "call") {
    check_order(e, row, "open_date", "close_date", errors);
  } else if (n == "funder") {
    // A Region's money, and the FEDER programme a Region manages, belong to one region: its
    // accounts read these funding rows.
    const auto* kind = text_at(row, field_index(e, "kind"));
    const int i_region = field_index(e, "region");
    if (kind && (*kind == "region" || *kind == "feder") && !text_at(row, i_region))
      add_error(
          errors, e, i_region, row,
          fmt::format("is required for a funder of kind {} (the region whose money it is)", *kind));
  } else if (n == "s3_domain") {
    // A domain's id carries its region's code: no region takes (and blocks) another's ids.
    const int i_id = field_index(e, "id");
    const auto* id = text_at(row, i_id);
    const auto* region = text_at(row, field_index(e, "region"));
    if (id && region && codes::find_region(*region) != nullptr) {
      const std::string prefix = fmt::format("s3-{}-", *region);
      if (!id->starts_with(prefix) || id->size() == prefix.size())
        add_error(errors, e, i_id, row,
                  fmt::format("must begin with s3-{}- (the code of the domain's region)", *region));
    }
  } else if (n == "proposal") {
    check_order(e, row, "trl_start", "trl_target", errors);
  } else if (n == "territory") {
    if (check_territory_code(e, row, errors)) {
      const auto* level = text_at(row, field_index(e, "level"));
      const auto* code = text_at(row, field_index(e, "code"));
      const int i_parent = field_index(e, "parent");
      const auto* parent = text_at(row, i_parent);
      if (*level == "department" && parent) {
        const auto* dep = codes::find_department(*code);
        if (dep && dep->region != *parent)
          add_error(errors, e, i_parent, row,
                    fmt::format("department {} is in region {}", *code, dep->region));
      }
      if (*level == "zone" && parent) {
        const auto region = codes::zone_region(*code);
        if (region && *region != *parent)
          add_error(errors, e, i_parent, row,
                    fmt::format("zone d'emploi {} lies in region {}", *code, *region));
      }
    }
  } else if (n == "employment") {
    check_territory_code(e, row, errors);
    const int i_sector = field_index(e, "sector");
    if (const auto* sector = text_at(row, i_sector); sector && *sector != "total") {
      if (auto rule = validate::naf_sector(*sector))
        add_error(errors, e, i_sector, row, *rule + " or 'total'");
    }
  }
}

std::string markdown_reference() {
  std::string out;
  for (const auto& e : kEntities) {
    out += fmt::format("### `{}` — {}\n\n", e.name, e.doc);
    const auto keys = key_indices(e);
    std::string key_text;
    for (int k : keys)
      key_text += (key_text.empty() ? "" : ", ") +
                  fmt::format("`{}`", e.fields[static_cast<size_t>(k)].name);
    out += fmt::format("Natural key: {}.", key_text);
    if (!e.owner.empty()) out += fmt::format(" Deleted with its `{}`.", e.owner);
    out += "\n\n| column | type | required | rule | notes |\n|---|---|---|---|---|\n";
    for (const auto& f : e.fields) {
      std::string rule;
      switch (f.check) {
        case C::kNone:
          break;
        case C::kSlug:
          rule = "identifier";
          break;
        case C::kSiren:
          rule = "SIREN (Luhn)";
          break;
        case C::kSiret:
          rule = "SIRET (Luhn)";
          break;
        case C::kRegion:
          rule = "INSEE region";
          break;
        case C::kDepartment:
          rule = "INSEE department";
          break;
        case C::kCommune:
          rule = "INSEE commune";
          break;
        case C::kNaf:
          rule = "NAF rev.2 code";
          break;
        case C::kNafDivision:
          rule = "NAF rev.2 division";
          break;
        case C::kZone:
          rule = "zone d'emploi 2020";
          break;
        case C::kCountry:
          rule = "ISO 3166-1 alpha-2";
          break;
        case C::kEnum: {
          for (auto c : f.codes) rule += (rule.empty() ? "" : ", ") + fmt::format("`{}`", c);
          break;
        }
        case C::kList:
          rule = "list separated by `\\|`";
          break;
        case C::kUrl:
          rule = "URL";
          break;
      }
      if (f.min && f.max) {
        rule += (rule.empty() ? "" : "; ") + fmt::format("{} to {}", *f.min, *f.max);
      } else if (f.min) {
        rule += (rule.empty() ? "" : "; ") + fmt::format("≥ {}", *f.min);
      }
      if (!f.references.empty())
        rule += (rule.empty() ? "" : "; ") + fmt::format("refers to `{}`", f.references);
      if (!f.referential.empty())
        rule += (rule.empty() ? "" : "; ") + fmt::format("a key of `{}`", f.referential);
      if (f.unique) rule += (rule.empty() ? "" : "; ") + std::string("unique");
      // A '|' inside a table cell (even in backticks) ends the cell in GitHub Markdown.
      std::string doc;
      for (size_t i = 0; i < f.doc.size(); ++i) {
        if (f.doc[i] == '|' && (i == 0 || f.doc[i - 1] != '\\')) doc.push_back('\\');
        doc.push_back(f.doc[i]);
      }
      out += fmt::format("| `{}`{} | {} | {} | {} | {} |\n", f.name, f.key ? " (key)" : "",
                         type_name(f.type), f.required ? "yes" : "", rule, doc);
    }
    out += "\n";
  }
  return out;
}

}  // namespace poles::schema
