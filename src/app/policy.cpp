#include "app/policy.h"

#include <fmt/format.h>

#include <array>
#include <map>

#include "core/schema.h"

namespace poles::app {
namespace {

using R = Relation;
constexpr Role A = Role::kAdmin, S = Role::kState, E = Role::kEvaluator, G = Role::kRegion,
               C = Role::kClusterManager, V = Role::kReviewer, M = Role::kMember;
constexpr Op RD = Op::kRead, CR = Op::kCreate, UP = Op::kUpdate, DL = Op::kDelete;

// "*": every entity of the schema (not the capabilities).
constexpr Grant kPolicy[] = {
    // --- administrators and the State: everything --------------------------------------------
    {A, "*", RD, R::kAny},
    {A, "*", CR, R::kAny},
    {A, "*", UP, R::kAny},
    {A, "*", DL, R::kAny},
    {S, "*", RD, R::kAny},
    {S, "*", CR, R::kAny},
    {S, "*", UP, R::kAny},
    {S, "*", DL, R::kAny},
    // --- evaluators: read everything, write their own assessments -----------------------------
    {E, "*", RD, R::kAny},
    {E, "assessment", CR, R::kOwnAssessment},
    {E, "assessment", UP, R::kOwnAssessment},
    {E, "assessment", DL, R::kOwnAssessment},
    // --- the public registry: read by regions, cluster managers and members --------------------
    {G, "cluster", RD, R::kPublic},
    {C, "cluster", RD, R::kPublic},
    {M, "cluster", RD, R::kPublic},
    {G, "cluster_label", RD, R::kPublic},
    {C, "cluster_label", RD, R::kPublic},
    {M, "cluster_label", RD, R::kPublic},
    {G, "organisation", RD, R::kPublic},
    {C, "organisation", RD, R::kPublic},
    {M, "organisation", RD, R::kPublic},
    {G, "membership", RD, R::kPublic},
    {C, "membership", RD, R::kPublic},
    {M, "membership", RD, R::kPublic},
    {G, "member_census", RD, R::kPublic},
    {C, "member_census", RD, R::kPublic},
    {M, "member_census", RD, R::kPublic},
    {G, "project", RD, R::kPublic},
    {C, "project", RD, R::kPublic},
    {M, "project", RD, R::kPublic},
    {G, "project_label", RD, R::kPublic},
    {C, "project_label", RD, R::kPublic},
    {M, "project_label", RD, R::kPublic},
    {G, "project_event", RD, R::kPublic},
    {C, "project_event", RD, R::kPublic},
    {M, "project_event", RD, R::kPublic},
    {G, "service", RD, R::kPublic},
    {C, "service", RD, R::kPublic},
    {M, "service", RD, R::kPublic},
    {G, "call", RD, R::kPublic},
    {C, "call", RD, R::kPublic},
    {M, "call", RD, R::kPublic},
    {V, "call", RD, R::kPublic},
    {G, "employment", RD, R::kPublic},
    {C, "employment", RD, R::kPublic},
    {M, "employment", RD, R::kPublic},
    {G, "territory", RD, R::kPublic},
    {C, "territory", RD, R::kPublic},
    {M, "territory", RD, R::kPublic},
    {G, "commune", RD, R::kPublic},
    {C, "commune", RD, R::kPublic},
    {M, "commune", RD, R::kPublic},
    {G, "organisation_identifier", RD, R::kPublic},
    {C, "organisation_identifier", RD, R::kPublic},
    {M, "organisation_identifier", RD, R::kPublic},
    {G, "funder", RD, R::kPublic},
    {C, "funder", RD, R::kPublic},
    {M, "funder", RD, R::kPublic},
    {V, "funder", RD, R::kPublic},
    {G, "programme", RD, R::kPublic},
    {C, "programme", RD, R::kPublic},
    {M, "programme", RD, R::kPublic},
    {V, "programme", RD, R::kPublic},
    {G, "filiere", RD, R::kPublic},
    {C, "filiere", RD, R::kPublic},
    {M, "filiere", RD, R::kPublic},
    {G, "s3_domain", RD, R::kPublic},
    {C, "s3_domain", RD, R::kPublic},
    {M, "s3_domain", RD, R::kPublic},
    // A Region keeps its own smart-specialisation strategy (S3): the domains of its region.
    {G, "s3_domain", CR, R::kOwnRegion},
    {G, "s3_domain", UP, R::kOwnRegion},
    {G, "s3_domain", DL, R::kOwnRegion},
    // --- a region: the clusters of its region ---------------------------------------------------
    {G, "cluster", UP, R::kRegionCluster},
    {G, "organisation", CR, R::kNewRow},
    {G, "membership", CR, R::kRegionCluster},
    {G, "membership", UP, R::kRegionCluster},
    {G, "membership", DL, R::kRegionCluster},
    {G, "project", CR, R::kNewRow},
    {G, "project", UP, R::kRegionProject},
    {G, "project", DL, R::kRegionProject},
    {G, "project_label", CR, R::kRegionProject},
    {G, "project_label", UP, R::kRegionProject},
    {G, "project_label", DL, R::kRegionProject},
    {G, "project_label", DL, R::kRegionCluster},
    {G, "project_event", CR, R::kRegionProject},
    {G, "project_event", UP, R::kRegionProject},
    {G, "project_event", DL, R::kRegionProject},
    {G, "participation", RD, R::kRegionProject},
    {G, "participation", CR, R::kRegionProject},
    {G, "participation", UP, R::kRegionProject},
    {G, "participation", DL, R::kRegionProject},
    {G, "national_figure", RD, R::kPublic},
    {C, "national_figure", RD, R::kPublic},
    {M, "national_figure", RD, R::kPublic},
    {G, "project_funding", RD, R::kRegionProject},
    {G, "project_funding", RD, R::kOwnRegionFunds},
    {G, "project_funding", CR, R::kRegionProject},
    {G, "project_funding", UP, R::kRegionProject},
    {G, "project_funding", DL, R::kRegionProject},
    {G, "result", RD, R::kRegionProject},
    {G, "result", CR, R::kRegionProject},
    {G, "result", UP, R::kRegionProject},
    {G, "result", DL, R::kRegionProject},
    {G, "service", CR, R::kRegionCluster},
    {G, "service", UP, R::kRegionCluster},
    {G, "service", DL, R::kRegionCluster},
    {G, "service_participant", RD, R::kRegionCluster},
    {G, "service_participant", CR, R::kRegionCluster},
    {G, "service_participant", UP, R::kRegionCluster},
    {G, "service_participant", DL, R::kRegionCluster},
    {G, "diagnostic", RD, R::kRegionCluster},
    {G, "diagnostic", CR, R::kRegionCluster},
    {G, "diagnostic", UP, R::kRegionCluster},
    {G, "diagnostic", DL, R::kRegionCluster},
    {G, "contract", RD, R::kRegionCluster},
    {G, "contract", CR, R::kRegionCluster},
    {G, "contract", UP, R::kRegionCluster},
    {G, "contract", DL, R::kRegionCluster},
    {G, "contract_target", RD, R::kRegionCluster},
    {G, "contract_target", CR, R::kRegionCluster},
    {G, "contract_target", UP, R::kRegionCluster},
    {G, "contract_target", DL, R::kRegionCluster},
    {G, "cluster_budget", RD, R::kRegionCluster},
    {G, "assessment", RD, R::kPublishedRegionCluster},
    {G, "evaluation", RD, R::kPublishedRegionCluster},
    // --- a cluster manager: its own cluster -----------------------------------------------------
    {C, "organisation", CR, R::kNewRow},
    {C, "membership", CR, R::kOwnCluster},
    {C, "membership", UP, R::kOwnCluster},
    {C, "membership", DL, R::kOwnCluster},
    {C, "project", CR, R::kNewRow},
    {C, "project", UP, R::kOwnProject},
    {C, "project", DL, R::kOwnProject},
    {C, "project_label", CR, R::kOwnProject},
    {C, "project_label", UP, R::kOwnProject},
    {C, "project_label", DL, R::kOwnProject},
    {C, "project_label", DL, R::kOwnCluster},
    {C, "project_event", CR, R::kOwnProject},
    {C, "project_event", UP, R::kOwnProject},
    {C, "project_event", DL, R::kOwnProject},
    {C, "participation", RD, R::kOwnProject},
    {C, "participation", CR, R::kOwnProject},
    {C, "participation", UP, R::kOwnProject},
    {C, "participation", DL, R::kOwnProject},
    {C, "project_funding", RD, R::kOwnProject},
    {C, "project_funding", CR, R::kOwnProject},
    {C, "project_funding", UP, R::kOwnProject},
    {C, "project_funding", DL, R::kOwnProject},
    {C, "result", RD, R::kOwnProject},
    {C, "result", CR, R::kOwnProject},
    {C, "result", UP, R::kOwnProject},
    {C, "result", DL, R::kOwnProject},
    {C, "service", CR, R::kOwnCluster},
    {C, "service", UP, R::kOwnCluster},
    {C, "service", DL, R::kOwnCluster},
    {C, "service_participant", RD, R::kOwnCluster},
    {C, "service_participant", CR, R::kOwnCluster},
    {C, "service_participant", UP, R::kOwnCluster},
    {C, "service_participant", DL, R::kOwnCluster},
    {C, "diagnostic", RD, R::kOwnCluster},
    {C, "diagnostic", CR, R::kOwnCluster},
    {C, "diagnostic", UP, R::kOwnCluster},
    {C, "diagnostic", DL, R::kOwnCluster},
    {C, "contract", RD, R::kOwnCluster},
    {C, "contract_target", RD, R::kOwnCluster},
    {C, "cluster_budget", RD, R::kOwnCluster},
    {C, "assessment", RD, R::kPublishedOwnCluster},
    {C, "evaluation", RD, R::kPublishedOwnCluster},
    // --- a member organisation: its own rows ----------------------------------------------------
    {M, "organisation", UP, R::kOwnOrganisation},
    {M, "membership", UP, R::kOwnOrganisation},
    {M, "participation", RD, R::kOwnOrganisation},
    {M, "result", RD, R::kOwnOrganisation},
    {M, "service_participant", RD, R::kOwnOrganisation},
    {M, "diagnostic", RD, R::kOwnOrganisation},
    // --- a reviewer: the proposals assigned to it -----------------------------------------------
    {V, "reviewer", RD, R::kOwnReviewer},
    {V, "assignment", RD, R::kOwnReviewer},
    {V, "proposal", RD, R::kAssignedProposal},
    {V, "review", RD, R::kAssignedProposal},
    {V, "review", CR, R::kAssignedProposal},
    {V, "review", UP, R::kAssignedProposal},
    {V, "review", DL, R::kAssignedProposal},
    // --- capabilities beside the entities ------------------------------------------------------
    {A, "evaluation", RD, R::kAny},
    {S, "evaluation", RD, R::kAny},
    {E, "evaluation", RD, R::kAny},
    {A, "evaluation", CR, R::kAny},
    {S, "evaluation", CR, R::kAny},
    {A, "selection", RD, R::kAny},
    {S, "selection", RD, R::kAny},
    {E, "selection", RD, R::kAny},
    {A, "evaluation_method", RD, R::kAny},
    {S, "evaluation_method", RD, R::kAny},
    {E, "evaluation_method", RD, R::kAny},
    {A, "impact_study", RD, R::kAny},
    {S, "impact_study", RD, R::kAny},
    {E, "impact_study", RD, R::kAny},
    {A, "cluster_trends", RD, R::kAny},
    {S, "cluster_trends", RD, R::kAny},
    {E, "cluster_trends", RD, R::kAny},
    {G, "cluster_trends", RD, R::kRegionCluster},
    {C, "cluster_trends", RD, R::kOwnCluster},
    {A, "region_cofunding", RD, R::kAny},
    {S, "region_cofunding", RD, R::kAny},
    {E, "region_cofunding", RD, R::kAny},
    {G, "region_cofunding", RD, R::kOwnRegion},
    {A, "evaluation_decisions", RD, R::kAny},
    {S, "evaluation_decisions", RD, R::kAny},
    {E, "evaluation_decisions", RD, R::kAny},
    {G, "evaluation_decisions", RD, R::kRegionCluster},
    {C, "evaluation_decisions", RD, R::kOwnCluster},
    {A, "evaluation_decisions", CR, R::kAny},
    {S, "evaluation_decisions", CR, R::kAny},
    {C, "evaluation_decisions", UP, R::kOwnCluster},
    {A, "change_requests", RD, R::kAny},
    {S, "change_requests", RD, R::kAny},
    {G, "change_requests", RD, R::kRegionCluster},
    {C, "change_requests", RD, R::kOwnCluster},
    {M, "change_requests", RD, R::kOwnOrganisation},
    {G, "change_requests", CR, R::kRegionCluster},
    {C, "change_requests", CR, R::kOwnCluster},
    {A, "support_requests", RD, R::kAny},
    {S, "support_requests", RD, R::kAny},
    {G, "support_requests", RD, R::kRegionCluster},
    {C, "support_requests", RD, R::kOwnCluster},
    {A, "support_requests", UP, R::kAny},
    {S, "support_requests", UP, R::kAny},
    {C, "support_requests", UP, R::kOwnCluster},
    {A, "import", CR, R::kAny},
    {S, "import", CR, R::kAny},
    {A, "users", RD, R::kAny},
    {A, "users", CR, R::kAny},
    {A, "users", UP, R::kAny},
};

// The SIREN links the organisation to the fiscal microdata (firm_year): setting it makes the
// firm count among the members of /stats/firms and the trends, and reading a table before and
// after such a write gives the firm's exact figures (a member could set another firm's SIREN on
// its own organisation). Only the State and administrators (and the CSV import, theirs too)
// write it; a new row recorded by another role may carry every other field but never a SIREN.
// The other master data (name, address, size) is the organisation's own: the member account
// corrects it (the row rules keep everyone else but the State out).
constexpr uint32_t kStateOnly = role_bit(A) | role_bit(S);
constexpr std::string_view kFirmLink =
    "links the organisation to firm microdata (firm_year, by SIREN): a write would let a table "
    "read before and after it give one firm's figures";
// A cluster's declared scale makes its peer group in the evaluation: a region that moved its
// cluster into a group of two read the other cluster's budget and staff from the peers' median,
// and changed the group its own cluster is rated in.
constexpr std::string_view kPeerGroup =
    "makes the cluster's peer group in the evaluation: a smaller group would give the other "
    "clusters' figures through the peers' median, and change the cluster's own rating";
// A member account updates its own memberships for one thing: its consent to be listed on the
// cluster's public page. The rest of the row (dates, fee, board seat) is the cluster's record.
constexpr uint32_t kMembershipKeepers = role_bit(A) | role_bit(S) | role_bit(G) | role_bit(C);
constexpr std::string_view kMembershipRecord =
    "the cluster's record of its member (kept by its manager, its region and the State); the "
    "member itself changes only its consent to be listed on the public portal (`listed`)";
constexpr FieldRule kFieldRules[] = {
    {"organisation", "siren", kStateOnly, true, kFirmLink},
    {"organisation", "group_siren", kStateOnly, true, kFirmLink},
    {"cluster", "scale", kStateOnly, true, kPeerGroup},
    {"membership", "end_date", kMembershipKeepers, false, kMembershipRecord},
    {"membership", "fee", kMembershipKeepers, false, kMembershipRecord},
    {"membership", "board_seat", kMembershipKeepers, false, kMembershipRecord},
};

constexpr std::string_view kFirmFigures =
    "a firm's own figures: the secrecy engine protects them in every aggregate (at least 3 "
    "firms, none above 85 %), so no account reads them one by one but the State, evaluators, "
    "administrators and the firm itself";
constexpr uint32_t kEveryRowReaders = role_bit(A) | role_bit(S) | role_bit(E);
constexpr ReadRule kReadRules[] = {
    {"organisation", "headcount", kEveryRowReaders, true, kFirmFigures},
    {"organisation", "turnover", kEveryRowReaders, true, kFirmFigures},
    {"organisation", "balance_sheet", kEveryRowReaders, true, kFirmFigures},
};

constexpr Capability kCapabilities[] = {
    {"evaluation",
     "a year's evaluation (ranking, rank intervals, ratings, compliance, actions) and the cluster "
     "report. Read: the draft and every cluster for the State and evaluators; once published, "
     "the clusters in scope for regions and cluster managers. Create: publishing a year's "
     "evaluation (frozen on the data version of the day)."},
    {"selection",
     "the selection views of a call (conflicts, assignment, scores without reviewer bias, "
     "portfolio, risk): they name reviewers and their effects."},
    {"cluster_trends",
     "a cluster's indicators over the years against its peers (budget, staff, public money, "
     "financing of its members: the inputs of its evaluation). A cluster organisation's budget "
     "and public money are its public accounts (an association granted over 153,000 euros of "
     "public subsidies a year publishes its accounts: Code de commerce L612-4, decree 2009-540), "
     "so "
     "its peers' median may "
     "be one of them. Read: every cluster for the State, evaluators and "
     "administrators; its own cluster for a cluster manager; the clusters of its region for a "
     "region; not members (their clusters' figures are the clusters' to publish). A cluster the "
     "caller may not read answers 404, as a missing one."},
    {"region_cofunding",
     "a Region's co-funding: its money (the funders whose region is its own) on the clusters' "
     "projects by year, funder and cluster, its leverage, and the contract targets and "
     "published ratings of the clusters of its region (never a draft). Read: every region for "
     "the State, evaluators and administrators; its own for a region (another region's is "
     "refused: its money is that Region's to publish)."},
    {"evaluation_method",
     "the statistical audit of a method on a year (correlations, Cronbach's alpha, PCA, "
     "effective weights) and the efficiency of every cluster (DEA on budget, staff and public "
     "money): they read every cluster's inputs and outputs, as the draft evaluation does. The "
     "State, evaluators and administrators."},
    {"evaluation_decisions",
     "the State's decision on a cluster after a published evaluation (level, text, deadline, "
     "owner, documents, the criteria and targets that triggered it) and its follow-up at the "
     "next published evaluation. Read: every decision for the State, evaluators and "
     "administrators; its clusters' for a region; its own for a cluster manager (others get "
     "404, as for a missing one). Create (record, replace, withdraw): the State and "
     "administrators. Update (answer): the cluster's manager."},
    {"impact_study", "the impact estimations on firms (jobs, reports): firm-level microdata."},
    {"change_requests",
     "requests to the owner of a row instead of rights gained by link rows: a cluster asks the "
     "owner of a project for a co-label, or proposes changes to a member organisation's master "
     "data. Create: a cluster manager for its cluster, a region for one of its clusters. Read: "
     "the requesting side and the side that decides (the project's owner, or the organisation's "
     "member account and the State); others get 404. Accepting writes the row as the decider, "
     "with the decider's own rights and checks (accepting needs only read here: the write "
     "itself is checked); the requester withdraws a pending request."},
    {"support_requests",
     "requests for support sent by firms from the public portal, without an account (name, "
     "SIREN, e-mail, need: personal data, deleted a year after the request). Read: the "
     "cluster a request was routed to (its manager), the region of that cluster, the State and "
     "administrators; others get 404, as for a missing one. Update (take, answer, close): that "
     "cluster's manager, the State and administrators (who may route it to another cluster)."},
    {"import", "CSV import of a whole entity through the API (bypasses row scopes)."},
    {"users", "accounts and the audit log."},
};

struct EntityNote {
  std::string_view entity;
  std::string_view note;
};
constexpr EntityNote kEntityNotes[] = {
    {"cluster",
     "Public registry. A region updates its clusters but cannot move one to another "
     "region nor change its declared scale (its peer group in the evaluation, a field rule "
     "below); labelling (creating) a cluster is the State's."},
    {"cluster_label", "The label is granted by the State: nobody else writes it."},
    {"organisation",
     "Master data (name, address, size, accounts) is edited by the State or by the "
     "organisation's own member account; the SIREN (and the group's) by the State only (see "
     "the field rules below): a SIREN set by anyone else would make that firm count in the firm "
     "statistics, and the tables read before and after would give its figures. Regions and "
     "cluster managers may record a new organisation (without a SIREN, and not under an id "
     "`siren:…` or `cordis:…`, which the imports give a legal unit and a CORDIS participant: "
     "the next import would hand it that unit's or participant's records) but never edit an "
     "existing one, even one they made a member: a membership grants no right on the "
     "organisation."},
    {"membership",
     "A cluster manager (a region) keeps the membership rows of its cluster (its "
     "clusters); the rows are public to accounts. The member account updates its own rows for "
     "its consent to be listed on the public portal (`listed`) only (the fields below)."},
    {"member_census",
     "The members of each cluster in a year as the State released them: firm figures over a "
     "cluster's members (member jobs, R&D staff, their growth, the sector sheets' member jobs) "
     "count these rows, so a cluster that adds or removes a member moves none of them. Written "
     "by the State only (one release per year, POST /api/v1/census/{year}); public."},
    {"project",
     "A project belongs to the cluster that labelled it first (earliest label date, then "
     "cluster id): only that cluster (or a region of it) edits or deletes it. Anyone in scope "
     "may record a new project, then label it — but not under an id `cordis:…`, which the "
     "CORDIS import gives an EU project: the next release would fill the recorded project with "
     "that project's partners and money, owned by the cluster that labelled it."},
    {"project_label",
     "Only the owner of a project adds, changes or removes its labels: a co-label is the "
     "owner's acceptance of another cluster. A project without a label may be labelled by the "
     "account scope that recorded it (the account of its creation in the audit log: the same "
     "cluster, or the same region), whose cluster becomes its owner; any other project without "
     "a label (imported from CORDIS or FP7, recorded by another cluster, or whose owner removed "
     "its last label) is labelled by the State only, which a cluster asks through a request. A "
     "cluster may withdraw its own "
     "co-label. A label write that would hand the project to another cluster is refused (after "
     "check)."},
    {"project_event", "Written by the project's owner."},
    {"participation",
     "Carries each partner's cost and aid (per-firm financing): read by the "
     "project's owner, the partner itself and the State. The project and organisation "
     "profiles name every partner and its role, but show a partner's cost and aid only to "
     "those who may read its participation row."},
    {"result",
     "Carries a firm's revenue and jobs: read by the project's owner, the firm "
     "itself and the State. The project profile lists only the results the caller may read."},
    {"service", "The catalogue of services is public; the organising cluster writes it."},
    {"service_participant",
     "Carries a firm's satisfaction, outcome and financing raised: read and written by the "
     "organising cluster (and its region), read by the firm itself."},
    {"diagnostic",
     "A firm's digital maturity: read and written by the cluster that ran it (and "
     "its region), read by the firm itself."},
    {"contract",
     "The performance contract of a cluster: read by the cluster, signed and "
     "written by the State and the region."},
    {"contract_target",
     "As its contract: the targets of a cluster's performance contract are not public. The "
     "cluster profile shows them only to those who may read these rows."},
    {"cluster_budget",
     "An input of the cluster's own evaluation: written by the State only; "
     "the cluster and its region read it."},
    {"assessment",
     "Qualitative scores of evaluators. The server sets the evaluator from the calling "
     "account, so no evaluator writes another's assessment. The evaluated read them once the "
     "year's evaluation is published; from then on they are frozen: every create, update, "
     "delete or import of that year's assessments answers 409, whatever the role, "
     "administrators included (a publication is final)."},
    {"call", "Calls for proposals are public."},
    {"proposal", "Who applied: the State, evaluators and the reviewers it is assigned to."},
    {"reviewer", "Who reviews: the State and evaluators; a reviewer its own record."},
    {"assignment",
     "Written by the State; a pair the conflict detector flags (same organisation, same group, "
     "recent co-participation) is refused on every path, with the conflict named."},
    {"review", "A reviewer reads and writes its own scores of the proposals assigned to it."},
    {"decision", "The State's."},
    {"firm_year",
     "Firm-level microdata (fiscal statistics): the State, evaluators and "
     "administrators only."},
    {"employment", "Public statistics."},
    {"truth", "The demo's planted effects: the State, evaluators and administrators only."},
    {"territory", "Public reference data, written by the State."},
    {"commune",
     "Public reference data (INSEE's official geographic code, La Poste's postcodes, the zones "
     "d'emploi), written by the State."},
    {"organisation_identifier",
     "The identifiers an organisation is known by in other files (SIREN, VAT, PIC, a "
     "directory's own key, the ids a merge dropped): read like the organisation, written by the "
     "State only — an import attaches the rows of a file to the organisation an identifier "
     "names (a CORDIS release's projects to the organisation holding that PIC), so an identifier "
     "written by a cluster or a member would draw another organisation's projects or "
     "memberships onto its own. For the same reason no account creates an organisation under an "
     "id a merge dropped (409)."},
    {"national_figure",
     "Public figures the State publishes (an indicator's national median, mean or total), "
     "written by the State."},
    {"funder",
     "Public reference data (the State, Bpifrance, ANR, ADEME, the EU, each Region and the FEDER "
     "it manages, local authorities), written by the State."},
    {"filiere",
     "Public reference data (the strategic filière committees of the Conseil national de "
     "l'industrie), written by the State; clusters name theirs in `cluster.filiere`."},
    {"s3_domain",
     "Public reference data: each Region's smart-specialisation strategy (S3 / SRI-SI) "
     "priority domains. A Region writes the domains of its own region (and maps its clusters "
     "to them through `cluster.s3_domains`, as it updates its clusters); the State writes "
     "every region's."},
    {"programme",
     "Public reference data (the funding programmes and their scope: a European one counts in "
     "the clusters' EU activity), written by the State; one in use by a project or a call is "
     "not deleted."},
    {"project_funding",
     "A project's public aid by funder. Read and written like the partners' aid "
     "(participation): a row where one funder pays one partner is that firm's aid. The "
     "project's owner cluster, the owner's region and the State keep it; a Region also reads "
     "every row of its own money (the funders whose `region` is its own: the Region, the FEDER "
     "it manages) whoever owns the project. A row naming a funder of a region is written (but "
     "by the State) only on a project owned by a cluster of that region, so that no cluster "
     "files money in another Region's name that the Region could not correct; the rule holds "
     "when a row is written (a first label deleted later may hand the project, and its rows, to "
     "a cluster of another region: the State then corrects them). The view of aid by funder "
     "(GET /api/v1/pipeline/funding) counts, for a region or a cluster manager, the projects "
     "whose rows it reads."},
};

constexpr std::string_view kRelationNames[] = {
    "any",
    "public",
    "new row",
    "own cluster",
    "cluster of own region",
    "project owned by own cluster",
    "project owned by a cluster of own region",
    "own organisation",
    "own reviewer record",
    "assigned, not conflicted proposal",
    "own assessment",
    "published evaluation of own cluster",
    "published evaluation of a cluster of own region",
    "funds of own region",
    "own region",
};

// NOLINTBEGIN(bugprone-suspicious-missing-comma): each rationale is several literals joined.
constexpr std::string_view kRelationRationales[] = {
    "Every row. The State steers the policy, evaluators need every figure to compare clusters, "
    "administrators run the platform.",
    "Every row: registry data that clusters publish themselves (who they are, their members and "
    "labelled projects, their events) or public statistics.",
    "Creating a row whose key does not exist yet. Nothing is taken over: the row belongs to "
    "nobody in scope until a link that the policy checks (a label, a membership) attaches it. "
    "Not under an id the imports give (an organisation `siren:…` or `cordis:…`, a project "
    "`cordis:…`): the next import would fill the row with that legal unit's, participant's or "
    "project's records.",
    "The row's cluster (its own `cluster_id`; through the service of a service participant; "
    "through the contract of a target; the label's cluster for a label) is the account's "
    "cluster, before and after the write.",
    "The row's cluster is one of the account's region (the cluster's stored `region`), before "
    "and after the write: a region cannot move a row, or a cluster, out of its region.",
    "The row's project is owned by the account's cluster: the cluster that labelled it first. "
    "Adding a label never changes who owns a project unless it is dated earlier, and such a "
    "write is refused by the after check.",
    "As the project ownership above, for the clusters of the account's region.",
    "The row's organisation (`organisation_id`, or the organisation's own `id`) is the "
    "account's organisation.",
    "The row is the account's reviewer record or one of its assignments.",
    "The row's proposal is assigned to the account's reviewer (an assignment row, written only "
    "when the conflict detector finds no conflict), no conflict stands on the data of the "
    "moment, and the row is the reviewer's own. A standing conflict is one that only the "
    "State's data makes: the applicant is the reviewer's organisation or of its group (e.g. "
    "the reviewer moved to the applicant's organisation): it withdraws the proposal, whose rows "
    "then answer 404. Conflicts through project partners are checked when the State assigns, "
    "not afterwards: partners are written by the cluster that owns the project, which could "
    "otherwise invent a partnership to take a proposal away from a reviewer.",
    "The assessment's `evaluator` is the calling account: the server writes it from the "
    "caller, whatever the body says.",
    "The row's (or the view's) cluster is the account's, and the year's evaluation has been "
    "published by the State: drafts stay with the State and evaluators.",
    "As above, for the clusters of the account's region.",
    "The row's funder is the account's region's money (a funder whose `region` is the "
    "account's: the Region itself, the FEDER programme it manages, its local authorities): a "
    "co-funder reads what it granted on every project, wherever the project's owner is.",
    "The row's own `region` is the account's region, before and after the write: a Region "
    "writes the domains of its own smart-specialisation strategy (S3), never another "
    "Region's, and cannot move one into another region.",
};
// NOLINTEND(bugprone-suspicious-missing-comma)

// The refusals' words in French (the dashboard's vocabulary, web/vocab.js, says the same).
struct FrenchTerm {
  std::string_view code, fr;
};
constexpr FrenchTerm kFrenchTerms[] = {
    // roles, as role_name() spells them
    {"admin", "administrateur"},
    {"state", "État"},
    {"evaluator", "évaluateur"},
    {"region", "région"},
    {"cluster_manager", "gestionnaire de pôle"},
    {"reviewer", "expert"},
    {"member", "membre"},
    // scope kinds (scope_kind), operations (op_name)
    {"cluster", "pôle"},
    {"read", "lire"},
    {"create", "créer"},
    {"update", "modifier"},
    {"delete", "supprimer"},
    // entities ("cluster", "region", "reviewer" above)
    {"cluster_label", "label de pôle"},
    {"organisation", "organisation"},
    {"membership", "adhésion"},
    {"member_census", "recensement des membres"},
    {"funder", "financeur"},
    {"national_figure", "chiffre national"},
    {"programme", "programme"},
    {"project_funding", "financement de projet"},
    {"project", "projet"},
    {"project_label", "labellisation de projet"},
    {"project_event", "événement de projet"},
    {"participation", "participation"},
    {"result", "résultat"},
    {"service", "service"},
    {"service_participant", "participant à un service"},
    {"diagnostic", "diagnostic"},
    {"contract", "contrat de performance"},
    {"contract_target", "objectif du contrat"},
    {"cluster_budget", "budget de pôle"},
    {"assessment", "appréciation qualitative"},
    {"call", "appel à projets"},
    {"proposal", "proposition"},
    {"assignment", "affectation"},
    {"review", "évaluation d'expert"},
    {"decision", "décision"},
    {"firm_year", "entreprise-année"},
    {"employment", "emploi"},
    {"truth", "effets planifiés de la démo"},
    {"territory", "territoire"},
    {"commune", "commune"},
    {"organisation_identifier", "identifiant d'organisation"},
    {"filiere", "filière"},
    {"s3_domain", "domaine de spécialisation intelligente (S3)"},
    // relationships (kRelationNames)
    {"any", "une ligne quelconque"},
    {"public", "publique"},
    {"new row", "une nouvelle ligne"},
    {"own cluster", "de son pôle"},
    {"cluster of own region", "d'un pôle de sa région"},
    {"project owned by own cluster", "d'un projet détenu par son pôle"},
    {"project owned by a cluster of own region", "d'un projet détenu par un pôle de sa région"},
    {"own organisation", "de son organisation"},
    {"own reviewer record", "de sa fiche d'expert"},
    {"assigned, not conflicted proposal", "d'une proposition qui lui est affectée, sans conflit"},
    {"own assessment", "de ses propres appréciations"},
    {"published evaluation of own cluster", "de l'évaluation publiée de son pôle"},
    {"funds of own region", "des fonds de sa région"},
    {"own region", "de sa région"},
    {"published evaluation of a cluster of own region",
     "de l'évaluation publiée d'un pôle de sa région"},
};

}  // namespace

std::string_view french_term(std::string_view code) {
  for (const auto& t : kFrenchTerms) {
    if (t.code == code) return t.fr;
  }
  return {};
}

std::string_view op_name(Op op) {
  constexpr std::string_view k[] = {"read", "create", "update", "delete"};
  return k[static_cast<size_t>(op)];
}
std::string_view relation_name(Relation r) { return kRelationNames[static_cast<size_t>(r)]; }
std::string_view relation_rationale(Relation r) {
  return kRelationRationales[static_cast<size_t>(r)];
}
std::span<const Grant> policy() { return kPolicy; }
std::span<const Capability> capabilities() { return kCapabilities; }
std::span<const FieldRule> field_rules() { return kFieldRules; }
std::span<const ReadRule> read_rules() { return kReadRules; }

bool sees_field(Role role, std::string_view scope, std::string_view entity, std::string_view field,
                std::string_view organisation) {
  for (const auto& r : kReadRules) {
    if (r.entity != entity || r.field != field) continue;
    if ((r.readers & role_bit(role)) != 0) return true;
    return r.own_organisation && role == Role::kMember && !scope.empty() && scope == organisation;
  }
  return true;
}
bool reads_field_on_every_row(Role role, std::string_view entity, std::string_view field) {
  return sees_field(role, "", entity, field, "");
}
std::string_view entity_rationale(std::string_view entity) {
  for (const auto& n : kEntityNotes) {
    if (n.entity == entity) return n.note;
  }
  return {};
}

std::string policy_markdown() {
  std::string md;
  md +=
      "# Who may read and write what\n\n"
      "<!-- Generated by `poles access doc` from src/app/policy.cpp: do not edit by hand. A test "
      "fails when this file is stale. -->\n\n"
      "This page is the access policy of Pôles, exactly as the server enforces it: the server "
      "reads the same table. For every role, every entity (a table of the data model) and every "
      "operation it names the *relationship* between the account and the row that grants the "
      "operation. Anything not listed is refused.\n\n"
      "How the rules are applied:\n\n"
      "- **Route level.** A role without any grant on an entity (or capability) gets `403` from "
      "every route of it, whatever the row.\n"
      "- **Row level, reads.** Lists return only the rows the account may read; a single row "
      "the account may not read answers `404`, exactly as a missing row does (no oracle of "
      "existence). A list page is full unless it is the last one, and it carries a cursor only "
      "when a row the account may read follows: neither the size of a page nor a cursor tells "
      "of rows the account may not read.\n"
      "- **Row level, writes.** The relationship is checked on the row as stored before the "
      "write and again on the row as it is after the write, in the same transaction (creates: "
      "after only; deletes: before only). A write that would move a row out of the account's "
      "scope is refused with `403` and the reason. A row the account may not read answers "
      "`404` before any precondition is examined. A create is first checked as the row it "
      "proposes (`403` if the account may not make it); when its key is already held by a row "
      "the account may read, it answers `409`, and when the row holding it is one the account "
      "may not read, it answers the same `403`, in the same words, as a create the account may "
      "not make (never `409`, which would confirm the row). An account that proposes a row it "
      "knows it may make can still tell from a `403` that its key is taken: keys are unique, so "
      "only unguessable keys would hide that.\n"
      "- **No right from a link row.** Rights come from the account's scope (its cluster, "
      "region, organisation or reviewer record) and from ownership that only the owner can "
      "extend (a project's first label); creating a membership or a label never grants a right "
      "on the organisation or the project.\n"
      "- **ETags and cursors.** ETags are a BLAKE2b hash of the row keyed with a server secret "
      "(drawn once per database), sent only with a row the account may read; list cursors are "
      "encrypted and authenticated with another key derived from it (XSalsa20-Poly1305): they "
      "reveal no key.\n\n"
      "Roles: `admin` runs the platform; `state` is the policy team (DGE, ANCT); `evaluator` "
      "runs the evaluation and impact studies; `region` is a region's officer (scope: an INSEE "
      "region code); `cluster_manager` runs one cluster (scope: a cluster id); `reviewer` is an "
      "expert reviewing proposals (scope: a reviewer id); `member` is a member organisation's "
      "account (scope: an organisation id).\n\n";
  md += "## Relationships\n\n| Relationship | Meaning and rationale |\n|---|---|\n";
  for (size_t i = 0; i < std::size(kRelationNames); ++i)
    md += fmt::format("| {} | {} |\n", kRelationNames[i], kRelationRationales[i]);
  // Per entity: a row per role, a column per operation.
  const auto cell = [](Role role, std::string_view entity, Op op, bool entity_like) {
    std::string out;
    for (const auto& g : kPolicy) {
      if (g.role != role || g.op != op) continue;
      if (g.entity != entity && !(entity_like && g.entity == "*")) continue;
      if (!out.empty()) out += " or ";
      out += relation_name(g.relation);
    }
    return out.empty() ? std::string("—") : out;
  };
  const auto table = [&](std::string_view name, bool entity_like) {
    std::string t = "| Role | read | create | update | delete |\n|---|---|---|---|---|\n";
    for (size_t i = 0; i < kRoleNames.size(); ++i) {
      const auto role = static_cast<Role>(i);
      t += fmt::format(
          "| {} | {} | {} | {} | {} |\n", kRoleNames[i], cell(role, name, Op::kRead, entity_like),
          cell(role, name, Op::kCreate, entity_like), cell(role, name, Op::kUpdate, entity_like),
          cell(role, name, Op::kDelete, entity_like));
    }
    return t;
  };
  md += "\n## Entities\n\n";
  for (const auto& e : schema::entities()) {
    md += fmt::format("### {}\n\n{}\n\n", e.name, entity_rationale(e.name));
    md += table(e.name, true) + "\n";
  }
  md +=
      "## Fields reserved to some roles\n\n"
      "Whatever the rights on the row, these fields may be written only by the roles listed: an "
      "update by anyone else must leave them as stored, and a new row made by anyone else must "
      "leave empty those marked *on create*. A refused write answers `403` naming the field.\n\n"
      "| Entity | Field | Written by | On create | Why |\n|---|---|---|---|---|\n";
  // The names of the roles of a bit set (role_bit), comma-separated.
  const auto role_list = [](uint32_t bits) {
    std::string out;
    for (size_t i = 0; i < kRoleNames.size(); ++i) {
      if ((bits & role_bit(static_cast<Role>(i))) == 0) continue;
      out += (out.empty() ? "" : ", ") + std::string(kRoleNames[i]);
    }
    return out;
  };
  for (const auto& f : kFieldRules) {
    md += fmt::format("| {} | {} | {} | {} | {} |\n", f.entity, f.field, role_list(f.writers),
                      f.on_create ? "reserved too" : "anyone who may create the row", f.why);
  }
  md +=
      "\n## Fields read by some roles only\n\n"
      "Whatever the rights on the row, these fields are read only by the roles listed (and, "
      "where said, by the member account of the row's own organisation); anyone else reads "
      "`null`, may not filter a list on them (`403`), and gets the row's ETag as it sees it.\n\n"
      "| Entity | Field | Read by | Why |\n|---|---|---|---|\n";
  for (const auto& f : kReadRules) {
    std::string readers = role_list(f.readers);
    if (f.own_organisation) readers += ", the organisation's own member account";
    md += fmt::format("| {} | {} | {} | {} |\n", f.entity, f.field, readers, f.why);
  }
  md += "\n## Capabilities\n\n";
  for (const auto& c : kCapabilities) {
    md += fmt::format("### {}\n\n{}\n\n", c.name, c.doc);
    md += table(c.name, false) + "\n";
  }
  return md;
}

}  // namespace poles::app
