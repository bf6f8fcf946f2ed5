// The access policy as data: for every role, entity (or capability) and operation, the
// relationship between the caller and the row that grants it. The enforcement (app/access.cpp)
// reads this table and nothing else; docs/access.md is generated from it (`poles access doc`).
// A (role, entity, operation) absent from the table is refused.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "app/accounts.h"

namespace poles::app {

enum class Op : uint8_t { kRead, kCreate, kUpdate, kDelete };
std::string_view op_name(Op op);

// How the caller must be related to the row. Each is checked on the row as stored before a
// write and on the row as it is after it (creates: after only; deletes: before only), so that
// no write moves a row out of the caller's scope.
enum class Relation : uint8_t {
  kAny,                  // every row
  kPublic,               // every row: public registry data
  kNewRow,               // creating a row whose key does not exist yet (nothing to take over)
  kOwnCluster,           // the row's cluster is the caller's cluster
  kRegionCluster,        // the row's cluster is in the caller's region
  kOwnProject,           // the row's project is owned by the caller's cluster
  kRegionProject,        // the row's project is owned by a cluster of the caller's region
  kOwnOrganisation,      // the row's organisation is the caller's organisation
  kOwnReviewer,          // the row is the caller's reviewer record or names it
  kAssignedProposal,     // the row's proposal is assigned to the caller (the reviewer)
  kOwnAssessment,        // the row's evaluator is the caller (set by the server)
  kPublishedOwnCluster,  // the row's cluster is the caller's and its year's evaluation is published
  kPublishedRegionCluster,  // the same, for the clusters of the caller's region
  kOwnRegionFunds,          // the row's funder is the caller's region's money (Region, its FEDER)
  kOwnRegion                // the row's own `region` is the caller's region (its S3 domains)
};
std::string_view relation_name(Relation r);
// What the relation means and why it is the right one, for docs/access.md.
std::string_view relation_rationale(Relation r);
// The French word of a code that refusals name: a role, a scope kind, an operation, an entity or
// a relationship (relation_name). Empty when the code is none of them.
std::string_view french_term(std::string_view code);

struct Grant {
  Role role;
  std::string_view entity;  // an entity of the schema, or a capability ("evaluation", …)
  Op op;
  Relation relation;
};

// Every grant, in the order of docs/access.md.
std::span<const Grant> policy();
// The capabilities the policy names beside the entities, with what they cover.
struct Capability {
  std::string_view name;
  std::string_view doc;
};
std::span<const Capability> capabilities();
// Why an entity is read and written as it is (a line per entity), for docs/access.md.
std::string_view entity_rationale(std::string_view entity);

// Fields that only some roles may write, whatever their rights on the row: organisation master
// data (the link to firm microdata and the fields that come from SIRENE). A row may still be
// written by those the table above allows, as long as these fields keep their stored value
// (updates) or, for a new row, stay empty when `on_create` says so.
struct FieldRule {
  std::string_view entity;
  std::string_view field;
  uint32_t writers;  // a bit per Role (role_bit) that may set or change the field
  bool on_create;    // setting it on a new row is also reserved to the writers
  std::string_view why;
};
constexpr uint32_t role_bit(Role r) { return 1u << static_cast<uint32_t>(r); }
std::span<const FieldRule> field_rules();

// Fields whose values only some readers see, whatever their rights on the row: a firm's own
// figures in its master data (headcount, turnover, balance sheet), which the secrecy engine
// protects in every aggregate. The roles of `readers` see them on every row; with
// `own_organisation`, a member account also sees those of its own organisation. Everyone else
// reads null, cannot filter lists on them, and gets an ETag of the row as it sees it.
struct ReadRule {
  std::string_view entity;
  std::string_view field;
  uint32_t readers;  // a bit per Role (role_bit)
  bool own_organisation;
  std::string_view why;
};
std::span<const ReadRule> read_rules();
// Whether `role` (scope `scope`) sees field `field` of a row of `entity` whose own organisation
// (the row's id for an organisation) is `organisation`.
bool sees_field(Role role, std::string_view scope, std::string_view entity, std::string_view field,
                std::string_view organisation);
// Whether the role reads the field on every row (not only on its own organisation's): what a
// list filter on the field may use without telling values the caller does not read.
bool reads_field_on_every_row(Role role, std::string_view entity, std::string_view field);

// docs/access.md, generated from the table above.
std::string policy_markdown();

}  // namespace poles::app
