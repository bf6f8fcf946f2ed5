#include "pipeline/projects.h"

#include <algorithm>
#include <cstdint>

#include "core/model.h"

namespace poles::pipeline {

std::vector<std::vector<int32_t>> project_clusters(const snapshot::Snapshot& s) {
  std::vector<std::vector<int32_t>> out(s.table("project").rows);
  const auto& label = s.table("project_label");
  const auto& project = label.column("project_id");
  const auto& cluster = label.column("cluster_id");
  for (size_t l = 0; l < label.rows; ++l) {
    auto& v = out[static_cast<size_t>(project.codes[l])];
    if (std::find(v.begin(), v.end(), cluster.codes[l]) == v.end()) v.push_back(cluster.codes[l]);
  }
  return out;
}

std::vector<uint8_t> sme_companies(const snapshot::Snapshot& s) {
  const auto& orgs = s.table("organisation");
  const auto& kind = orgs.column("kind");
  const auto& size = orgs.column("size_class");
  std::vector<uint8_t> out(orgs.rows, 0);
  for (size_t o = 0; o < orgs.rows; ++o) {
    out[o] = kind.codes[o] == static_cast<int>(OrgKind::kCompany) && size.codes[o] >= 0 &&
             is_sme(static_cast<SizeClass>(size.codes[o]));
  }
  return out;
}

std::vector<int32_t> project_owners(const snapshot::Snapshot& s) {
  std::vector<int32_t> out(s.table("project").rows, -1);
  std::vector<int64_t> first(out.size(), INT64_MAX);
  const auto& label = s.table("project_label");
  const auto& project = label.column("project_id");
  const auto& cluster = label.column("cluster_id");
  const auto& date = label.column("date");
  const auto& ids = s.table("cluster").column("id");
  for (size_t l = 0; l < label.rows; ++l) {
    const auto p = static_cast<size_t>(project.codes[l]);
    const int64_t d = date.present[l] ? date.ints[l] : INT64_MAX;
    const int32_t c = cluster.codes[l];
    if (out[p] < 0 || d < first[p] ||
        (d == first[p] &&
         ids.text(static_cast<size_t>(c)) < ids.text(static_cast<size_t>(out[p])))) {
      out[p] = c;
      first[p] = d;
    }
  }
  return out;
}

std::vector<int8_t> project_scopes(const snapshot::Snapshot& s) {
  const auto& projects = s.table("project");
  const auto& programme = projects.column("programme");
  const auto& programmes = s.table("programme");
  const auto& scope = programmes.column("scope");
  // Per code of the projects' programme dictionary.
  std::vector<int8_t> of_code(programme.dict.size(), -1);
  for (size_t d = 0; d < of_code.size(); ++d) {
    const int32_t row = programmes.find(programme.dict[d]);
    if (row >= 0) of_code[d] = static_cast<int8_t>(scope.codes[static_cast<size_t>(row)]);
  }
  std::vector<int8_t> out(projects.rows, -1);
  for (size_t p = 0; p < projects.rows; ++p) {
    const int32_t code = programme.codes[p];
    if (code >= 0) out[p] = of_code[static_cast<size_t>(code)];
  }
  return out;
}

std::vector<uint8_t> european_projects(const snapshot::Snapshot& s) {
  const auto scopes = project_scopes(s);
  std::vector<uint8_t> out(scopes.size(), 0);
  for (size_t p = 0; p < scopes.size(); ++p)
    out[p] = scopes[p] == static_cast<int8_t>(ProgrammeScope::kEuropean);
  return out;
}

std::vector<std::vector<int32_t>> project_partners(const snapshot::Snapshot& s) {
  std::vector<std::vector<int32_t>> out(s.table("project").rows);
  const auto& part = s.table("participation");
  const auto& project = part.column("project_id");
  const auto& org = part.column("organisation_id");
  for (size_t i = 0; i < part.rows; ++i)
    out[static_cast<size_t>(project.codes[i])].push_back(org.codes[i]);
  return out;
}

}  // namespace poles::pipeline
