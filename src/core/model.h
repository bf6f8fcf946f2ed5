// The domain vocabulary: enumerations of the data model with their stable text codes (as they
// appear in CSV, JSON and the database), the size class of decree 2008-1354, and the project
// lifecycle. Enum values are dense from 0 so engines can index arrays with them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace poles {

// Returns the index of `text` in `names`, or nullopt.
std::optional<int> find_code(std::span<const std::string_view> names, std::string_view text);

enum class OrgKind : uint8_t {
  kCompany,
  kResearch,
  kHigherEducation,
  kTraining,
  kSatt,
  kFunder,
  kPublicBody,
  kAssociation,
  kOther
};
inline constexpr std::array<std::string_view, 9> kOrgKindCodes = {
    "company", "research",    "higher_education", "training", "satt",
    "funder",  "public_body", "association",      "other"};

enum class SizeClass : uint8_t { kTpe, kPme, kEti, kGe };
inline constexpr std::array<std::string_view, 4> kSizeClassCodes = {"tpe", "pme", "eti", "ge"};
inline bool is_sme(SizeClass s) { return s == SizeClass::kTpe || s == SizeClass::kPme; }

enum class Scale : uint8_t { kNational, kRegional };
inline constexpr std::array<std::string_view, 2> kScaleCodes = {"national", "regional"};

// Programmes and funders are reference tables (programme, funder; seeded by migration 0017):
// these are the codes of their kinds.
enum class ProgrammeScope : uint8_t { kEuropean, kNational, kRegional, kOther };
inline constexpr std::array<std::string_view, 4> kProgrammeScopeCodes = {"european", "national",
                                                                         "regional", "other"};
// The families of public money a project's aid is split into (issue #20: State/FUI, Bpifrance,
// ANR, ADEME, a Region, the FEDER, the EU, local authorities).
enum class FunderKind : uint8_t {
  kState,
  kBpifrance,
  kAnr,
  kAdeme,
  kRegion,
  kFeder,
  kEu,
  kLocalAuthority,
  kOther
};
inline constexpr std::array<std::string_view, 9> kFunderKindCodes = {
    "state", "bpifrance", "anr", "ademe", "region", "feder", "eu", "local_authority", "other"};
// How a national figure of an indicator sums up the clusters (national_figure.statistic): a
// figure of one cluster's scale, to be drawn beside its own (a national total is not).
inline constexpr std::array<std::string_view, 2> kNationalStatisticCodes = {"median", "mean"};
// A commune of INSEE's official geographic code (COG): a current commune, or a municipal district
// (arrondissement municipal) of Paris, Lyon or Marseille, which SIRENE gives as an establishment's
// commune.
inline constexpr std::array<std::string_view, 2> kCommuneKindCodes = {"commune", "district"};
enum class Instrument : uint8_t { kGrant, kRepayableAdvance, kLoan, kOther };
inline constexpr std::array<std::string_view, 4> kInstrumentCodes = {"grant", "repayable_advance",
                                                                     "loan", "other"};

enum class ProjectKind : uint8_t { kCollaborativeRd, kInnovation, kPlatform, kStructuring, kOther };
inline constexpr std::array<std::string_view, 5> kProjectKindCodes = {
    "collaborative_rd", "innovation", "platform", "structuring", "other"};

enum class ProjectStatus : uint8_t {
  kIdea,
  kSubmitted,
  kLabelled,
  kFunded,
  kRunning,
  kCompleted,
  kOnMarket,
  kRejected,
  kAbandoned
};
inline constexpr std::array<std::string_view, 9> kProjectStatusCodes = {
    "idea",      "submitted", "labelled", "funded",   "running",
    "completed", "on_market", "rejected", "abandoned"};

enum class IpAgreement : uint8_t { kNone, kDraft, kSigned };
inline constexpr std::array<std::string_view, 3> kIpAgreementCodes = {"none", "draft", "signed"};

enum class Role : uint8_t { kCoordinator, kPartner, kSubcontractor };
inline constexpr std::array<std::string_view, 3> kRoleCodes = {"coordinator", "partner",
                                                               "subcontractor"};

enum class ResultKind : uint8_t {
  kProduct,
  kService,
  kProcess,
  kPatent,
  kPublication,
  kSpinOff,
  kLicence
};
inline constexpr std::array<std::string_view, 7> kResultKindCodes = {
    "product", "service", "process", "patent", "publication", "spin_off", "licence"};
// Products, services and processes brought to market count as "on market" results.
inline bool is_market_result(ResultKind k) {
  return k == ResultKind::kProduct || k == ResultKind::kService || k == ResultKind::kProcess;
}

enum class ServiceKind : uint8_t {
  kB2bMeeting,
  kInternationalMission,
  kTechnologyWatch,
  kFinancingAccess,
  kTraining,
  kDigitalDiagnostic,
  kEvent,
  kBusinessDevelopment,  // market studies, sales strategy, first customers (mid-term evaluation)
  kGoToMarket            // bringing a project's result to market: pilots, certification, launch
};
inline constexpr std::array<std::string_view, 9> kServiceKindCodes = {"b2b_meeting",
                                                                      "international_mission",
                                                                      "technology_watch",
                                                                      "financing_access",
                                                                      "training",
                                                                      "digital_diagnostic",
                                                                      "event",
                                                                      "business_development",
                                                                      "go_to_market"};

enum class ServiceOutcome : uint8_t {
  kNone,
  kContact,
  kPartnership,
  kProject,
  kContract,
  kFinancing,
  kInternationalSale
};
inline constexpr std::array<std::string_view, 7> kServiceOutcomeCodes = {
    "none", "contact", "partnership", "project", "contract", "financing", "international_sale"};

enum class Direction : uint8_t { kHigher, kLower };
inline constexpr std::array<std::string_view, 2> kDirectionCodes = {"higher", "lower"};

// ESCA-style qualitative grid areas.
enum class EscaArea : uint8_t {
  kStructure,
  kGovernance,
  kFinancing,
  kServices,
  kInteraction,
  kAchievements
};
inline constexpr std::array<std::string_view, 6> kEscaAreaCodes = {
    "structure", "governance", "financing", "services", "interaction", "achievements"};

// Rating classes used by the official evaluations (2008 groups, 2012 classes).
inline constexpr std::array<std::string_view, 6> kRatingCodes = {
    "group1", "group2", "group3", "very_performing", "performing", "less_performing"};

enum class DecisionKind : uint8_t { kFunded, kRejected, kWaitlisted };
inline constexpr std::array<std::string_view, 3> kDecisionCodes = {"funded", "rejected",
                                                                   "waitlisted"};

enum class TerritoryLevel : uint8_t { kCountry, kRegion, kDepartment, kZone };
inline constexpr std::array<std::string_view, 4> kTerritoryLevelCodes = {"country", "region",
                                                                         "department", "zone"};

// Size class per decree 2008-1354 (headcount in annual work units; euros).
// A missing turnover or balance sheet is ignored (the other criterion decides); when both are
// missing the class follows headcount alone.
SizeClass classify_size(double headcount, std::optional<double> turnover,
                        std::optional<double> balance_sheet);

// Project lifecycle. idea -> submitted -> labelled -> funded -> running -> completed -> on_market;
// submitted or labelled -> rejected; any stage before completed -> abandoned.
// A transition is legal when the target is reachable forward from the current status: stages
// not recorded may be skipped, but a project never goes back and never leaves a final status
// (on_market, rejected, abandoned).
bool is_final(ProjectStatus s);
bool is_legal_transition(ProjectStatus from, ProjectStatus to);
// The statuses directly reachable from `from` (one step).
std::span<const ProjectStatus> next_statuses(ProjectStatus from);

}  // namespace poles
