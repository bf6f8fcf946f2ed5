#include "http/openapi.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace poles::http {

namespace {

using Json = tj::Json;

Json param_schema(const app::ParamSpec& p) {
  Json s;
  switch (p.kind) {
    case app::ParamKind::kInteger:
      s = Json{{"type", "integer"}, {"minimum", p.lo}, {"maximum", p.hi}};
      break;
    case app::ParamKind::kNumber:
      s = Json{{"type", "number"}, {"minimum", p.lo}, {"maximum", p.hi}};
      break;
    case app::ParamKind::kText:
      s = Json{{"type", "string"}};
      break;
    case app::ParamKind::kFlag:
      s = Json{{"type", "boolean"}};
      break;
    case app::ParamKind::kChoice:
      s = Json{{"type", "string"}, {"enum", p.choices}};
      break;
    case app::ParamKind::kList:
      s = Json{{"type", "string"}, {"description", "comma-separated"}};
      if (!p.choices.empty()) {
        std::string alt;
        for (const auto& c : p.choices) alt += (alt.empty() ? "" : "|") + c;
        s["pattern"] = fmt::format("^(({0})(,({0}))*)?$", alt);
      }
      break;
  }
  if (p.kind == app::ParamKind::kChoice && !p.choices.empty() && p.fallback.empty()) {
    s["examples"] = Json::array({p.choices.front()});
  }
  if (!p.fallback.empty()) {
    if (p.kind == app::ParamKind::kInteger) {
      s["default"] = std::stoll(p.fallback);
    } else if (p.kind == app::ParamKind::kNumber) {
      s["default"] = std::stod(p.fallback);
    } else if (p.kind == app::ParamKind::kFlag) {
      s["default"] = p.fallback == "true";
    } else {
      s["default"] = p.fallback;
    }
  }
  return s;
}

std::string operation_id(const Route& r) {
  std::string id;
  bool up = false;
  std::string method = r.method;
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  id = method;
  for (char c : r.path) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id.push_back(up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
      up = false;
    } else {
      up = true;
    }
  }
  return id;
}

Json problem_answer(const std::string& description) {
  return Json{{"description", description},
              {"content",
               Json{{"application/problem+json", Json{{"schema", tj::Schemas::ref("Problem")}}}}}};
}

}  // namespace

namespace {

Json document(const Router& router, std::string_view prefix) {
  tj::Schemas schemas;
  schemas.add("Problem", Json::parse(R"({
    "type": "object",
    "description": "An error (RFC 9457): status equals the HTTP status",
    "required": ["type", "title", "status", "detail"],
    "properties": {
      "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
      "detail": {"type": "string"},
      "errors": {"type": "array", "items": {
        "type": "object", "required": ["field", "value", "rule", "message"],
        "properties": {"file": {"type": "string"}, "line": {"type": "integer"}, "column": {"type": "integer"},
                       "field": {"type": "string"}, "value": {"type": "string"}, "rule": {"type": "string"},
                       "message": {"type": "string"}}}}}})"));
  std::set<std::string> tags;
  Json paths = Json::object();
  for (const auto& rp : router.routes()) {
    const Route& r = *rp;
    if (!r.path.starts_with(prefix)) continue;
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    tags.insert(r.tag);
    Json op{
        {"operationId", operation_id(r)}, {"summary", r.summary}, {"tags", Json::array({r.tag})}};
    Json params = Json::array();
    for (const auto& seg : r.segments) {
      if (seg.size() > 2 && seg.front() == '{') {
        params.push_back(Json{{"name", seg.substr(1, seg.size() - 2)},
                              {"in", "path"},
                              {"required", true},
                              {"schema", Json{{"type", "string"}}}});
      }
    }
    for (const auto& p : r.params) {
      Json q{{"name", p.name},
             {"in", "query"},
             {"required", false},
             {"description", p.help},
             {"schema", param_schema(p)}};
      params.push_back(std::move(q));
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    if (r.body == BodyKind::kJson && r.body_schema) {
      op["requestBody"] =
          Json{{"required", true},
               {"content", Json{{"application/json", Json{{"schema", r.body_schema(schemas)}}}}}};
    } else if (r.body == BodyKind::kUpload) {
      op["requestBody"] =
          Json{{"required", true},
               {"content", Json{{r.body_media_type, Json{{"schema", Json{{"type", "string"}}}}}}}};
    }
    Json responses = Json::object();
    for (const auto& a : r.answers) {
      Json ans{{"description", a.description.empty() ? std::string("OK") : a.description}};
      if (a.schema) {
        ans["content"] = Json{{a.media_type, Json{{"schema", a.schema(schemas)}}}};
      } else if (a.status != 204 && !a.media_type.empty()) {
        ans["content"] = Json{{a.media_type, Json{{"schema", Json{{"type", "string"}}}}}};
      }
      const std::string code = std::to_string(a.status);
      if (responses.contains(code) && ans.contains("content")) {
        // Another media type of the same status (a document as HTML or PDF).
        for (auto& [media, v] : ans["content"].items()) responses[code]["content"][media] = v;
        responses[code]["description"] =
            responses[code]["description"].get<std::string>() + "; " + a.description;
      } else {
        responses[code] = std::move(ans);
      }
    }
    if (!r.params.empty() || r.body != BodyKind::kNone) {
      responses["400"] =
          problem_answer("Malformed request or bad query parameters (every error listed)");
    }
    if (r.guard != Guard::kPublic) responses["401"] = problem_answer("Not logged in");
    if (r.guard == Guard::kRoles)
      responses["403"] = problem_answer("The caller's role may not call this route");
    responses["4XX"] =
        problem_answer("Refused: the request, the caller or the rate of calls (RFC 9457 problem)");
    responses["default"] = problem_answer("Error (RFC 9457 problem)");
    op["responses"] = std::move(responses);
    if (r.guard == Guard::kPublic) op["security"] = Json::array();
    if (r.guard == Guard::kRoles) {
      std::vector<std::string> roles;
      for (size_t i = 0; i < app::kRoleNames.size(); ++i) {
        if (r.allowed(static_cast<app::Role>(i))) roles.emplace_back(app::kRoleNames[i]);
      }
      op["x-roles"] = roles;
    }
    paths[r.path][method] = std::move(op);
  }
  static const std::map<std::string, std::string> kTags = {
      {"system", "Liveness and this document"},
      {"accounts", "Logging in and out, the caller's account and tokens"},
      {"admin", "Accounts and the audit log, for administrators"},
      {"views", "The dashboard's headline figures and profiles"},
      {"select", "Calls for proposals: conflicts, reviewers, scores, portfolio"},
      {"risk", "Innovation risk: success model and Monte Carlo of a portfolio"},
      {"network", "The cooperation network of organisations"},
      {"evaluate", "The shared evaluation of the clusters"},
      {"pipeline", "From projects to products: funnel and leverage"},
      {"services", "SME services and digital diagnostics"},
      {"foresight", "Employment by region and sector, sector sheets"},
      {"impact", "The impact of the policy on firms (estimations run as jobs)"},
      {"import", "CSV import of the registry's entities"},
      {"exports", "A dashboard table written as a workbook"},
      {"requests", "Requests to the owner of a row: co-labels, changes of a member's master data"},
      {"portal", "The public portal's pages for firms and citizens (HTML, without an account)"},
      {"open data", "The portal's public tables (Licence Ouverte Etalab 2.0), without an account"}};
  Json tag_list = Json::array();
  for (const auto& t : tags) {
    std::string description;
    if (auto it = kTags.find(t); it != kTags.end()) {
      description = it->second;
    } else if (const auto* e = schema::find_entity(t)) {
      description = fmt::format("Rows of {}: {}", e->name, e->doc);
    }
    tag_list.push_back(Json{{"name", t}, {"description", description}});
  }
  Json components = schemas.components();
  return Json{{"tags", tag_list}, {"paths", paths}, {"schemas", components}};
}

}  // namespace

Json openapi_answer_schema(tj::Schemas&) {
  return Json{{"type", "object"},
              {"required", {"openapi", "paths"}},
              {"properties", {{"openapi", {{"type", "string"}}}, {"paths", {{"type", "object"}}}}}};
}

Json openapi_document(const Router& router) {
  Json d = document(router, "");
  return Json{
      {"openapi", "3.1.0"},
      {"info",
       Json{
           {"title", "Pôles API"},
           {"version", "1"},
           {"description", "Observatory and steering system for France's competitiveness clusters"},
           {"license", Json{{"name", "Proprietary"}, {"identifier", "LicenseRef-Proprietary"}}}}},
      {"servers", Json::array({Json{{"url", "/"}, {"description", "This server"}}})},
      {"tags", d["tags"]},
      {"paths", d["paths"]},
      {"components",
       Json{
           {"schemas", d["schemas"]},
           {"securitySchemes",
            Json{{"session", Json{{"type", "apiKey"}, {"in", "cookie"}, {"name", "poles_session"}}},
                 {"bearer", Json{{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"security",
       Json::array({Json{{"session", Json::array()}}, Json{{"bearer", Json::array()}}})}};
}

Json public_openapi_document(const Router& router, std::string_view prefix) {
  Json d = document(router, prefix);
  return Json{
      {"openapi", "3.1.0"},
      {"info",
       Json{{"title", "Pôles public API"},
            {"version", "1"},
            {"description",
             "The public tables of the competitiveness clusters' portal, without an account: "
             "the registry of clusters, the members who agreed to be listed, the labelled "
             "projects that agreed to publication, the calls for projects and indicators by "
             "cluster (firm figures through statistical secrecy). Cached per version of the "
             "data and rate-limited per address. Stable: fields are only ever added."},
            {"license",
             Json{{"name", "Licence Ouverte / Open Licence 2.0"}, {"identifier", "etalab-2.0"}}}}},
      {"servers", Json::array({Json{{"url", "/"}, {"description", "This server"}}})},
      {"tags", d["tags"]},
      {"paths", d["paths"]},
      {"components", Json{{"schemas", d["schemas"]}}},
      {"security", Json::array()}};
}

}  // namespace poles::http
