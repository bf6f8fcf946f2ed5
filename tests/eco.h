// Hand-made snapshots for engine tests: rows typed as the store returns them, with helpers for
// the entities most tests need (clusters, organisations, memberships, projects with partners).
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/schema.h"
#include "core/value.h"
#include "snapshot/snapshot.h"

namespace poles::testing_support {

using snapshot::Builder;
using snapshot::SnapshotPtr;

class Eco {
 public:
  // The programmes tests name, with their scope and funder, and those funders (a part of the
  // referential migration 0017 seeds, written out by hand).
  Eco() {
    for (const auto& [id, kind] :
         {std::pair{"state", "state"}, {"anr", "anr"}, {"bpifrance", "bpifrance"}, {"eu", "eu"}})
      row("funder",
          {{"id", std::string(id)}, {"name", std::string(id)}, {"kind", std::string(kind)}});
    for (const auto& [code, scope, funder] : {std::tuple{"FUI", "national", "state"},
                                              {"ANR", "national", "anr"},
                                              {"PSPC", "national", "bpifrance"},
                                              {"BPI", "national", "bpifrance"},
                                              {"REGION", "regional", ""},
                                              {"FP7", "european", "eu"},
                                              {"H2020", "european", "eu"},
                                              {"HORIZON_EUROPE", "european", "eu"},
                                              {"OTHER", "other", ""}})
      row("programme", {{"code", std::string(code)},
                        {"name", std::string(code)},
                        {"scope", std::string(scope)},
                        {"funder_id", *funder ? Value{std::string(funder)} : Value{}}});
  }
  Eco& row(std::string_view entity,
           std::initializer_list<std::pair<std::string_view, Value>> cells) {
    const auto* e = schema::find_entity(entity);
    Row r(e->fields.size());
    for (const auto& [f, v] : cells) r[static_cast<size_t>(schema::field_index(*e, f))] = v;
    b_.add(*e, r);
    return *this;
  }
  Eco& cluster(const std::string& id, const std::string& region) {
    return row("cluster", {{"id", id},
                           {"name", "Cluster " + id},
                           {"region", region},
                           {"scale", std::string("national")}});
  }
  Eco& org(const std::string& id, const std::string& kind, const std::string& region,
           const std::string& size = "", const std::string& naf = "") {
    row("organisation", {{"id", id},
                         {"name", "Org " + id},
                         {"kind", kind},
                         {"region", region},
                         {"size_class", size.empty() ? Value{} : Value{size}},
                         {"naf", naf.empty() ? Value{} : Value{naf}}});
    return *this;
  }
  Eco& member(const std::string& o, const std::string& c, const std::string& start = "2010-01-01") {
    return row("membership", {{"organisation_id", o}, {"cluster_id", c}, {"start_date", start}});
  }
  // A row of the State's census of members: `o` a member of `c` during `year`.
  Eco& census(int64_t year, const std::string& o, const std::string& c) {
    return row("member_census", {{"year", year}, {"cluster_id", c}, {"organisation_id", o}});
  }
  // A project of `year` labelled by `clusters`, `orgs[0]` coordinating.
  Eco& project(const std::string& id, int year, std::vector<std::string> clusters,
               std::vector<std::string> orgs, const std::string& programme = "FUI") {
    row("project", {{"id", id},
                    {"acronym", id},
                    {"programme", programme},
                    {"status", std::string("funded")},
                    {"start_date", std::to_string(year) + "-03-01"}});
    for (const auto& c : clusters)
      row("project_label",
          {{"project_id", id}, {"cluster_id", c}, {"date", std::to_string(year - 1) + "-11-15"}});
    for (size_t i = 0; i < orgs.size(); ++i) {
      row("participation", {{"project_id", id},
                            {"organisation_id", orgs[i]},
                            {"role", std::string(i == 0 ? "coordinator" : "partner")}});
    }
    return *this;
  }
  SnapshotPtr build() {
    auto s = std::move(b_).build(1);
    EXPECT_TRUE(s.has_value()) << s.error().to_string();
    return *s;
  }

 private:
  Builder b_;
};

}  // namespace poles::testing_support
