#include "import/external.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "core/codes.h"
#include "core/date.h"
#include "core/validate.h"
#include "formats/csv.h"

namespace poles::import {
namespace {

// A CSV file read whole: header -> column index, records with their line numbers.
struct Table {
  std::string name;
  std::map<std::string, int> columns;
  std::vector<std::vector<std::string>> records;
  std::vector<int64_t> lines;

  const std::string& at(size_t r, const std::string& column) const {
    static const std::string empty;
    auto it = columns.find(column);
    if (it == columns.end() || static_cast<size_t>(it->second) >= records[r].size()) return empty;
    return records[r][static_cast<size_t>(it->second)];
  }
  int64_t column_number(const std::string& column) const {
    auto it = columns.find(column);
    return it == columns.end() ? 0 : it->second + 1;
  }
};

// The whole file as text, gunzipped when it ends in .gz.
Result<std::string> slurp(const std::string& path) {
  std::string out;
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (f == nullptr) return Status::invalid_argument(fmt::format("cannot read '{}'", path));
    char buf[1 << 16];
    int n = 0;
    while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    const bool failed = n < 0;
    gzclose(f);
    if (failed) return Status::invalid_argument(fmt::format("'{}' is not a valid gzip file", path));
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::invalid_argument(fmt::format("cannot read '{}'", path));
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return out;
}

// `aliases`: {name, older name} — a column the file names the older way is read under the
// current name (CORDIS's two layouts).
Result<Table> read_table(const std::string& path, const std::vector<std::string>& required,
                         const std::vector<std::pair<std::string, std::string>>& aliases = {}) {
  POLES_ASSIGN_OR_RETURN(const std::string text, slurp(path));
  std::istringstream in(text);
  Table t;
  t.name = std::filesystem::path(path).filename().string();
  bool header = true;
  formats::CsvReader reader;
  POLES_RETURN_IF_ERROR(
      reader.read(in, t.name, [&](std::span<const std::string> fields, int64_t line) {
        if (header) {
          for (size_t i = 0; i < fields.size(); ++i)
            t.columns.emplace(fields[i], static_cast<int>(i));
          header = false;
          return true;
        }
        t.records.emplace_back(fields.begin(), fields.end());
        t.lines.push_back(line);
        return true;
      }));
  for (const auto& [name, older] : aliases) {
    if (!t.columns.contains(name) && t.columns.contains(older))
      t.columns.emplace(name, t.columns.at(older));
  }
  std::vector<FieldError> missing;
  for (const auto& c : required) {
    if (!t.columns.count(c)) missing.push_back({t.name, 1, 0, c, "", "required column is missing"});
  }
  if (!missing.empty()) {
    const auto n = static_cast<int64_t>(missing.size());
    return Status::bad_input(std::move(missing), n);
  }
  return t;
}

// Builds one row of an entity from text cells, each checked like an imported cell; errors name
// the external file, line and column the value came from.
class RowMaker {
 public:
  RowMaker(Loader& loader, const Table& t, size_t record)
      : loader_(loader), t_(t), record_(record) {}

  // Sets field `field` of the row from `text` taken from external column `column` ("" when
  // derived).
  void set(Row& row, const schema::Entity& e, std::string_view field, const std::string& text,
           const std::string& column) {
    const int i = schema::field_index(e, field);
    Value v;
    if (auto rule = schema::parse_cell(e.fields[static_cast<size_t>(i)], text, v)) {
      loader_.add_error({t_.name, t_.lines[record_], t_.column_number(column),
                         std::string(column.empty() ? field : column), text,
                         fmt::format("{} (for {}.{})", *rule, e.name, field)});
      ok_ = false;
      return;
    }
    row[static_cast<size_t>(i)] = std::move(v);
    auto& carried = carried_[&e];
    carried.resize(e.fields.size(), false);
    carried[static_cast<size_t>(i)] = true;
  }
  bool ok() const { return ok_; }
  // Marks fields of `e` as carried by the source although another file's RowMaker set them (or
  // left them empty on purpose).
  void carries(const schema::Entity& e, std::initializer_list<std::string_view> fields) {
    auto& carried = carried_[&e];
    carried.resize(e.fields.size(), false);
    for (const auto f : fields) carried[static_cast<size_t>(schema::field_index(e, f))] = true;
  }
  // Where the row of `e` came from, with the fields set (even empty): what the source carries.
  RowOrigin origin(const schema::Entity& e) {
    auto& carried = carried_[&e];
    carried.resize(e.fields.size(), false);
    return RowOrigin{t_.name, t_.lines[record_], nullptr, &carried};
  }

 private:
  Loader& loader_;
  const Table& t_;
  size_t record_;
  bool ok_ = true;
  std::map<const schema::Entity*, std::vector<bool>> carried_;
};

// CORDIS publishes 0 where a cost is not reported (coordination actions, many partners): unknown.
std::string cost_or_unknown(const std::string& text) {
  const auto v = validate::parse_real(text, true);
  return v && *v == 0 ? std::string() : text;
}

// CORDIS's older files write amounts with a decimal comma ("129593,75").
std::string amount(std::string text) {
  if (text.find(',') != std::string::npos && text.find('.') == std::string::npos)
    std::replace(text.begin(), text.end(), ',', '.');
  return text;
}

// The organisations already stored with a SIREN, by SIREN: a source's record of that SIREN is
// theirs (a member directory's organisation keeps its id, and is not stored twice).
Result<std::unordered_map<std::string, std::string>> ids_by_siren(store::Store& store) {
  POLES_ASSIGN_OR_RETURN(
      auto rows,
      store.query("SELECT \"siren\", \"id\" FROM \"organisation\" WHERE \"siren\" IS NOT NULL",
                  {}));
  std::unordered_map<std::string, std::string> out;
  for (auto& r : rows) out.emplace(value_to_text(r[0]), value_to_text(r[1]));
  return out;
}

std::string id_of_siren(const std::unordered_map<std::string, std::string>& known,
                        const std::string& siren) {
  const auto it = known.find(siren);
  return it != known.end() ? it->second : "siren:" + siren;
}

Result<ExternalReport> finish(Loader& loader, ExternalReport report, const std::string& key) {
  POLES_ASSIGN_OR_RETURN(report.load, loader.finish(key));
  return report;
}

}  // namespace

std::string region_of_nuts(std::string_view nuts) {
  static const std::map<std::string_view, std::string_view> k1 = {
      {"FR1", "11"}, {"FRB", "24"}, {"FRC", "27"}, {"FRD", "28"}, {"FRE", "32"},
      {"FRF", "44"}, {"FRG", "52"}, {"FRH", "53"}, {"FRI", "75"}, {"FRJ", "76"},
      {"FRK", "84"}, {"FRL", "93"}, {"FRM", "94"}};
  static const std::map<std::string_view, std::string_view> overseas = {
      {"FRY1", "01"}, {"FRY2", "02"}, {"FRY3", "03"}, {"FRY4", "04"}, {"FRY5", "06"}};
  if (nuts.size() >= 4 && nuts.substr(0, 3) == "FRY") {
    auto it = overseas.find(nuts.substr(0, 4));
    return it == overseas.end() ? "" : std::string(it->second);
  }
  if (nuts.size() < 3) return "";
  auto it = k1.find(nuts.substr(0, 3));
  return it == k1.end() ? "" : std::string(it->second);
}

Result<ExternalReport> import_sirene(store::Store& store, const std::string& path,
                                     const ExternalImportOptions& options) {
  POLES_ASSIGN_OR_RETURN(Table t,
                         read_table(path, {"siren", "siret", "activitePrincipaleEtablissement",
                                           "codeCommuneEtablissement"}));
  const auto& org = *schema::find_entity("organisation");
  Loader loader(store, {options.max_errors, options.dry_run, options.actor});
  ExternalReport report;
  report.records = static_cast<int64_t>(t.records.size());
  // One row per SIREN: the head office when the file has it, else the first establishment.
  std::map<std::string, size_t> chosen;
  for (size_t r = 0; r < t.records.size(); ++r) {
    const std::string& siren = t.at(r, "siren");
    auto [it, added] = chosen.emplace(siren, r);
    if (!added && t.at(r, "etablissementSiege") == "true") it->second = r;
  }
  report.skipped = report.records - static_cast<int64_t>(chosen.size());
  POLES_ASSIGN_OR_RETURN(const auto known, ids_by_siren(store));
  for (const auto& [siren, r] : chosen) {
    RowMaker m(loader, t, r);
    Row row(org.fields.size());
    m.set(row, org, "id", id_of_siren(known, siren), "siren");
    m.set(row, org, "siren", siren, "siren");
    std::string name = t.at(r, "denominationUsuelleEtablissement");
    if (name.empty()) name = t.at(r, "enseigne1Etablissement");
    if (name.empty()) name = "SIREN " + siren;
    m.set(row, org, "name", name, "denominationUsuelleEtablissement");
    m.set(row, org, "kind", "company", "");
    // NAF rev.2 only: older nomenclatures (NAP, NAF 1993…) are left out rather than misread.
    const std::string nomenclature = t.at(r, "nomenclatureActivitePrincipaleEtablissement");
    if (nomenclature.empty() || nomenclature == "NAFRev2")
      m.set(row, org, "naf", t.at(r, "activitePrincipaleEtablissement"),
            "activitePrincipaleEtablissement");
    m.set(row, org, "commune", t.at(r, "codeCommuneEtablissement"), "codeCommuneEtablissement");
    if (!t.at(r, "codePaysEtrangerEtablissement").empty()) m.set(row, org, "country", "", "");
    if (m.ok()) loader.add(org, std::move(row), m.origin(org), Merge::kFillGaps);
  }
  return finish(loader, std::move(report), fmt::format("sirene {}", t.name));
}

Result<ExternalReport> import_cordis(store::Store& store, const std::string& projects_csv,
                                     const std::string& organisations_csv,
                                     const ExternalImportOptions& options) {
  // Both layouts the Commission has published: the current one (organisationID, nutsCode,
  // masterCall) and the older H2020/FP7 one (projectRcn, id, call, no NUTS code; FP7's files name
  // the project `reference`, and `projectReference` in the organisations). Contact persons' names
  // and addresses, which the older one carries, are never read.
  POLES_ASSIGN_OR_RETURN(Table projects, read_table(projects_csv,
                                                    {"id", "acronym", "status", "startDate",
                                                     "endDate", "totalCost", "ecMaxContribution"},
                                                    {{"masterCall", "call"}, {"id", "reference"}}));
  POLES_ASSIGN_OR_RETURN(
      Table orgs,
      read_table(
          organisations_csv,
          {"projectID", "organisationID", "name", "activityType", "country", "role"},
          {{"organisationID", "id"}, {"projectID", "projectReference"}, {"postCode", "postcode"}}));
  const auto& org_e = *schema::find_entity("organisation");
  const auto& proj_e = *schema::find_entity("project");
  const auto& part_e = *schema::find_entity("participation");
  Loader loader(store, {options.max_errors, options.dry_run, options.actor});
  ExternalReport report;
  report.records = static_cast<int64_t>(projects.records.size() + orgs.records.size());

  POLES_ASSIGN_OR_RETURN(const auto known, ids_by_siren(store));
  // Organisations stored by an earlier CORDIS release without a VAT number: a release that now
  // gives one fills their SIREN rather than storing them a second time as `siren:<SIREN>`.
  std::unordered_set<std::string> by_pic;
  {
    POLES_ASSIGN_OR_RETURN(auto rows, store.query("SELECT \"id\" FROM \"organisation\" WHERE "
                                                  "\"id\" LIKE 'cordis:%' AND \"siren\" IS NULL",
                                                  {}));
    for (auto& r : rows) by_pic.insert(value_to_text(r[0]));
  }
  // The organisation that holds a PIC (identifiers: one CORDIS recorded, or kept by a merge as
  // its dropped `cordis:<PIC>` id): a participant is attached to it, not stored again.
  std::unordered_map<std::string, std::string> pic_holder;
  {
    POLES_ASSIGN_OR_RETURN(
        auto rows,
        store.query("SELECT \"scheme\", \"value\", \"organisation_id\" FROM "
                    "\"organisation_identifier\" WHERE \"scheme\" = 'pic' OR (\"scheme\" = "
                    "'former_id' AND substr(\"value\", 1, 7) = 'cordis:') ORDER BY \"scheme\"",
                    {}));
    // former_id rows first (ORDER BY): a PIC's own row, where there is one, has the last word.
    for (auto& r : rows) {
      const std::string value = value_to_text(r[1]);
      pic_holder[value_to_text(r[0]) == "pic" ? value : value.substr(7)] = value_to_text(r[2]);
    }
  }
  const auto& ident_e = *schema::find_entity("organisation_identifier");
  std::set<std::string> identifiers_added, participations;
  auto keep = [&](size_t r) { return options.all_countries || orgs.at(r, "country") == "FR"; };
  std::set<std::string> kept_projects;
  for (size_t r = 0; r < orgs.records.size(); ++r) {
    if (keep(r)) kept_projects.insert(orgs.at(r, "projectID"));
  }
  static const std::map<std::string, std::string> kKind = {{"HES", "higher_education"},
                                                           {"REC", "research"},
                                                           {"PRC", "company"},
                                                           {"PUB", "public_body"},
                                                           {"OTH", "other"}};
  static const std::map<std::string, std::string> kRole = {
      {"coordinator", "coordinator"},   {"participant", "partner"},
      {"associatedPartner", "partner"}, {"partner", "partner"},
      {"beneficiary", "partner"},       {"internationalPartner", "partner"},
      {"hostInstitution", "partner"},   {"thirdParty", "subcontractor"}};

  for (size_t r = 0; r < projects.records.size(); ++r) {
    const std::string& id = projects.at(r, "id");
    if (!kept_projects.count(id)) {
      ++report.skipped;
      continue;
    }
    RowMaker m(loader, projects, r);
    Row row(proj_e.fields.size());
    m.set(row, proj_e, "id", "cordis:" + id, "id");
    m.set(row, proj_e, "acronym", projects.at(r, "acronym"), "acronym");
    m.set(row, proj_e, "title", projects.at(r, "title"), "title");
    // FP7, H2020, HORIZON: all three are the EU's framework programmes (European).
    const std::string fp = projects.at(r, "frameworkProgramme");
    m.set(row, proj_e, "programme",
          fp == "FP7" || fp == "H2020"                                            ? fp
          : fp.empty() || fp == "HORIZON" || fp == "HORIZON EUROPE" || fp == "HE" ? "HORIZON_EUROPE"
                                                                                  : fp,
          "frameworkProgramme");
    m.set(row, proj_e, "call_id", projects.at(r, "masterCall"), "masterCall");
    m.set(row, proj_e, "start_date", projects.at(r, "startDate"), "startDate");
    m.set(row, proj_e, "end_date", projects.at(r, "endDate"), "endDate");
    m.set(row, proj_e, "total_cost", cost_or_unknown(amount(projects.at(r, "totalCost"))),
          "totalCost");
    m.set(row, proj_e, "public_aid", amount(projects.at(r, "ecMaxContribution")),
          "ecMaxContribution");
    const std::string status = projects.at(r, "status");
    m.set(row, proj_e, "status",
          status == "CLOSED"       ? "completed"
          : status == "TERMINATED" ? "abandoned"
                                   : "running",
          "status");
    if (m.ok()) loader.add(proj_e, std::move(row), m.origin(proj_e), Merge::kKeepKnown);
  }
  std::set<std::string> seen_orgs;
  for (size_t r = 0; r < orgs.records.size(); ++r) {
    if (!keep(r)) {
      ++report.skipped;
      continue;
    }
    RowMaker m(loader, orgs, r);
    // A French VAT number (FR + 2-digit key + SIREN, the key checked) gives the SIREN, and the
    // SIRENE id; a key that does not match is reported and the SIREN left to the matching.
    const std::string vat = orgs.at(r, "vatNumber");
    const std::string siren = validate::siren_of_french_vat(vat);
    if (siren.empty() && vat.rfind("FR", 0) == 0 && orgs.at(r, "country") == "FR") {
      report.warnings.push_back(fmt::format(
          "{}:{}: VAT number '{}' is not FR + key + SIREN with a matching key: SIREN not taken",
          orgs.name, orgs.lines[r], vat));
    }
    const std::string pic = orgs.at(r, "organisationID");
    const std::string pic_id = "cordis:" + pic;
    // A SIREN the store holds names its organisation first (a VAT number is the legal unit's);
    // else the organisation that holds the PIC (kept by a merge).
    const auto holder = pic_holder.find(pic);
    const std::string org_id = !siren.empty() && known.contains(siren) ? id_of_siren(known, siren)
                               : holder != pic_holder.end()            ? holder->second
                               : siren.empty()                         ? pic_id
                               : by_pic.contains(pic_id)               ? pic_id
                                                                       : id_of_siren(known, siren);
    if (seen_orgs.insert(org_id).second) {
      Row row(org_e.fields.size());
      m.set(row, org_e, "id", org_id, "organisationID");
      m.set(row, org_e, "name", orgs.at(r, "name"), "name");
      auto kind = kKind.find(orgs.at(r, "activityType"));
      m.set(row, org_e, "kind", kind == kKind.end() ? orgs.at(r, "activityType") : kind->second,
            "activityType");
      if (!siren.empty()) m.set(row, org_e, "siren", siren, "vatNumber");
      // Its address and website as CORDIS publishes them (filling gaps only: a directory's own
      // words stay); a website without http(s):// is left out (a link is never guessed).
      m.set(row, org_e, "acronym", orgs.at(r, "shortName"), "shortName");
      m.set(row, org_e, "address", orgs.at(r, "street"), "street");
      m.set(row, org_e, "postcode", orgs.at(r, "postCode"), "postCode");
      m.set(row, org_e, "city", orgs.at(r, "city"), "city");
      if (const std::string& url = orgs.at(r, "organizationURL");
          (url.starts_with("http://") && url.size() > 7) ||
          (url.starts_with("https://") && url.size() > 8))
        m.set(row, org_e, "website", url, "organizationURL");
      const std::string country = orgs.at(r, "country");
      m.set(row, org_e, "country", country, "country");
      if (country == "FR") {
        std::string region = region_of_nuts(orgs.at(r, "nutsCode"));
        if (region.empty()) {  // the older layout: no NUTS code, the postcode's département
          if (const auto dep = codes::postcode_department(orgs.at(r, "postCode")))
            region = std::string(codes::find_department(*dep)->region);
        }
        m.set(row, org_e, "region", region,
              orgs.columns.contains("nutsCode") ? "nutsCode" : "postCode");
        // The EU SME flag: a small or medium enterprise (TPE or PME); without headcount the
        // size class cannot be finer than that, so SMEs are recorded as `pme`.
        if (orgs.at(r, "SME") == "True" && kind != kKind.end() && kind->second == "company")
          m.set(row, org_e, "size_class", "pme", "SME");
      }
      if (m.ok()) loader.add(org_e, std::move(row), m.origin(org_e), Merge::kFillGaps);
    }
    // Its PIC and VAT number as identifiers (an identifier already held stays its holder's; a
    // legal unit with two PICs keeps both).
    const auto identifier = [&](const char* scheme, const std::string& value, const char* column) {
      if (value.empty() || !identifiers_added.insert(std::string(scheme) + ' ' + value).second)
        return;  // one holder per identifier: the first organisation that gives it
      Row id_row(ident_e.fields.size());
      m.set(id_row, ident_e, "scheme", scheme, column);
      m.set(id_row, ident_e, "value", value, column);
      m.set(id_row, ident_e, "organisation_id", org_id, column);
      m.set(id_row, ident_e, "source", "cordis", column);
      if (m.ok()) loader.add(ident_e, std::move(id_row), m.origin(ident_e), Merge::kFillGaps);
    };
    if (pic.size() == 9 && std::all_of(pic.begin(), pic.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        }))
      identifier("pic", pic, "organisationID");
    std::string vat_key;
    for (char c : vat)
      if (c != ' ' && c != '.' && c != '-') vat_key += c;
    if (!validate::vat(vat_key)) identifier("vat", vat_key, "vatNumber");
    // Two PICs of one organisation (one legal unit, or a merge) in one project: one
    // participation, the first the file gives.
    if (!participations.insert(orgs.at(r, "projectID") + ' ' + org_id).second) {
      report.warnings.push_back(fmt::format(
          "{}:{}: organisation {} takes part in project {} under another PIC already: one "
          "participation kept (the first)",
          orgs.name, orgs.lines[r], org_id, orgs.at(r, "projectID")));
      continue;
    }
    Row part(part_e.fields.size());
    m.set(part, part_e, "project_id", "cordis:" + orgs.at(r, "projectID"), "projectID");
    m.set(part, part_e, "organisation_id", org_id, "organisationID");
    auto role = kRole.find(orgs.at(r, "role"));
    m.set(part, part_e, "role", role == kRole.end() ? orgs.at(r, "role") : role->second, "role");
    m.set(part, part_e, "cost", cost_or_unknown(amount(orgs.at(r, "totalCost"))), "totalCost");
    m.set(part, part_e, "aid", amount(orgs.at(r, "ecContribution")), "ecContribution");
    if (m.ok()) loader.add(part_e, std::move(part), m.origin(part_e), Merge::kKeepKnown);
  }
  return finish(loader, std::move(report), fmt::format("cordis {} {}", projects.name, orgs.name));
}

Result<ExternalReport> import_cordis_fp7(store::Store& store, const std::string& organisations_csv,
                                         const std::string& projects_csv,
                                         const std::string& facts_csv,
                                         const ExternalImportOptions& options) {
  POLES_ASSIGN_OR_RETURN(
      Table orgs, read_table(organisations_csv, {"idOrganization", "country", "name", "address"}));
  const auto& org_e = *schema::find_entity("organisation");
  const auto& proj_e = *schema::find_entity("project");
  Loader loader(store, {options.max_errors, options.dry_run, options.actor});
  ExternalReport report;
  report.records = static_cast<int64_t>(orgs.records.size());
  for (size_t r = 0; r < orgs.records.size(); ++r) {
    const std::string& country = orgs.at(r, "country");
    if (!options.all_countries && country != "FR") {
      ++report.skipped;
      continue;
    }
    RowMaker m(loader, orgs, r);
    Row row(org_e.fields.size());
    m.set(row, org_e, "id", "cordis:" + orgs.at(r, "idOrganization"), "idOrganization");
    m.set(row, org_e, "name", orgs.at(r, "name"), "name");
    m.set(row, org_e, "kind", "other", "");  // FP7 tables carry no activity type
    m.set(row, org_e, "country", country, "country");
    // "…, city, 69390": the postcode gives the department.
    const std::string& address = orgs.at(r, "address");
    if (country == "FR" && address.size() >= 5) {
      if (const auto dep = codes::postcode_department(address.substr(address.size() - 5)))
        m.set(row, org_e, "department", std::string(*dep), "address");
    }
    if (m.ok()) loader.add(org_e, std::move(row), m.origin(org_e), Merge::kFillGaps);
  }
  if (!projects_csv.empty()) {
    POLES_ASSIGN_OR_RETURN(Table projects, read_table(projects_csv, {"id_project", "project_name",
                                                                     "project_acronym", "status"}));
    POLES_ASSIGN_OR_RETURN(Table facts,
                           read_table(facts_csv, {"id_project", "id_programme", "id_start_date",
                                                  "id_end_date", "tot_cost", "ue_tot_contribute"}));
    report.records += static_cast<int64_t>(projects.records.size() + facts.records.size());
    std::unordered_map<std::string, size_t> fact_of;
    for (size_t r = 0; r < facts.records.size(); ++r) fact_of.emplace(facts.at(r, "id_project"), r);
    auto iso = [](const std::string& ddmmyyyy) {
      return ddmmyyyy.size() == 8
                 ? ddmmyyyy.substr(4, 4) + "-" + ddmmyyyy.substr(2, 2) + "-" + ddmmyyyy.substr(0, 2)
                 : ddmmyyyy;
    };
    for (size_t r = 0; r < projects.records.size(); ++r) {
      RowMaker m(loader, projects, r);
      Row row(proj_e.fields.size());
      const std::string& id = projects.at(r, "id_project");
      const std::string& acronym = projects.at(r, "project_acronym");
      m.set(row, proj_e, "id", "cordis:" + id, "id_project");
      m.set(row, proj_e, "acronym", acronym.empty() ? id : acronym, "project_acronym");
      m.set(row, proj_e, "title", projects.at(r, "project_name"), "project_name");
      m.set(row, proj_e, "programme", "FP7", "");  // European: counts as the EU's activity
      const std::string& status = projects.at(r, "status");
      m.set(row, proj_e, "status",
            status == "CLO"   ? "completed"
            : status == "CAN" ? "abandoned"
            : status == "ONG" ? "running"
                              : "funded",
            "status");
      if (auto it = fact_of.find(id); it != fact_of.end()) {
        RowMaker f(loader, facts, it->second);
        const size_t k = it->second;
        f.set(row, proj_e, "call_id", facts.at(k, "id_programme"), "id_programme");
        const std::string start = iso(facts.at(k, "id_start_date")),
                          end = iso(facts.at(k, "id_end_date"));
        f.set(row, proj_e, "start_date", start, "id_start_date");
        if (end >= start) {
          f.set(row, proj_e, "end_date", end, "id_end_date");
        } else {
          report.warnings.push_back(
              fmt::format("{}:{}: end date {} before start date {}: end date left empty",
                          facts.name, facts.lines[k], end, start));
        }
        const std::string cost = cost_or_unknown(facts.at(k, "tot_cost"));
        f.set(row, proj_e, "total_cost", cost, "tot_cost");
        // The student ETL's EU contribution is sometimes above the cost (SOURCES.md): dropped then.
        const auto c = validate::parse_real(cost, true);
        const auto aid = validate::parse_real(facts.at(k, "ue_tot_contribute"), true);
        if (aid && (!c || *aid <= *c))
          f.set(row, proj_e, "public_aid", facts.at(k, "ue_tot_contribute"), "ue_tot_contribute");
        if (!f.ok()) continue;
        // The facts' fields, set or left empty on purpose, replace what an earlier release gave.
        m.carries(proj_e, {"call_id", "start_date", "end_date", "total_cost", "public_aid"});
      }
      if (m.ok()) loader.add(proj_e, std::move(row), m.origin(proj_e), Merge::kKeepKnown);
    }
  }
  return finish(loader, std::move(report), fmt::format("cordis fp7 {}", orgs.name));
}

Result<ExternalReport> import_geojson(store::Store& store, const std::string& path,
                                      const std::string& level,
                                      const ExternalImportOptions& options) {
  if (level != "region" && level != "department") {
    return Status::invalid_argument(fmt::format("level '{}': must be region or department", level));
  }
  POLES_ASSIGN_OR_RETURN(const std::string text, slurp(path));
  const std::string name = std::filesystem::path(path).filename().string();
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("features") ||
      !doc["features"].is_array()) {
    return Status::invalid_argument(fmt::format("{}: not a GeoJSON FeatureCollection", name));
  }
  const auto& e = *schema::find_entity("territory");
  Loader loader(store, {options.max_errors, options.dry_run, options.actor});
  ExternalReport report;
  int64_t n = 0;
  for (const auto& f : doc["features"]) {
    ++n;
    ++report.records;
    const auto props = f.value("properties", nlohmann::json::object());
    const std::string code = props.value("code", ""), nom = props.value("nom", "");
    auto error = [&](const std::string& field, const std::string& value, const std::string& rule) {
      loader.add_error({name, 0, n, field, value, fmt::format("feature {}: {}", n, rule)});
    };
    if (code.empty() || nom.empty()) {
      error("properties", props.dump(), "needs the properties 'code' and 'nom'");
      continue;
    }
    Row row(e.fields.size());
    row[0] = level;
    row[1] = code;
    row[2] = nom;
    std::string_view builtin;
    if (level == "department") {
      if (const auto* d = codes::find_department(code)) {
        row[3] = std::string(d->region);
        builtin = d->name;
      }
    } else if (const auto* r = codes::find_region(code)) {
      builtin = r->name;
    }
    if (f.contains("geometry") && !f["geometry"].is_null()) row[4] = f["geometry"].dump();
    std::vector<FieldError> errors;
    schema::check_row(e, row, errors);
    if (!errors.empty()) {
      for (auto& fe : errors) error(fe.field, fe.value, fe.rule);
      continue;
    }
    if (!builtin.empty() && builtin != nom) {
      report.warnings.push_back(
          fmt::format("{}: feature {} ({} {}): name '{}' differs from INSEE's '{}'", name, n, level,
                      code, nom, builtin));
    }
    loader.add(e, std::move(row), RowOrigin{name, 0, nullptr});
  }
  return finish(loader, std::move(report), fmt::format("geojson {} {}", level, name));
}

Result<ExternalReport> import_communes(store::Store& store, const std::string& path,
                                       const ExternalImportOptions& options) {
  POLES_ASSIGN_OR_RETURN(const std::string text, slurp(path));
  const std::string name = std::filesystem::path(path).filename().string();
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_array())
    return Status::invalid_argument(
        fmt::format("{}: not a list of communes (the file data/communes.json of "
                    "@etalab/decoupage-administratif)",
                    name));
  const auto& e = *schema::find_entity("commune");
  const auto field = [&](std::string_view f) {
    return static_cast<size_t>(schema::field_index(e, f));
  };
  const auto str = [](const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  ExternalReport report;
  // Delegated and associated communes, by the commune they belong to: their names, and their
  // codes when they differ from it.
  std::map<std::string, std::vector<std::string>> former_names, former_codes;
  for (const auto& c : doc) {
    if (!c.is_object()) continue;
    const std::string type = str(c, "type");
    if (type != "commune-deleguee" && type != "commune-associee") continue;  // the others below
    const std::string head = str(c, "chefLieu"), code = str(c, "code");
    if (head.empty()) continue;
    former_names[head].push_back(str(c, "nom"));
    if (!code.empty() && code != head) former_codes[head].push_back(code);
  }
  const auto joined = [](const std::vector<std::string>& items) {
    std::string out;
    std::set<std::string> seen;
    for (const auto& i : items) {
      if (i.empty() || !seen.insert(i).second) continue;
      out += (out.empty() ? "" : "|") + i;
    }
    return out;
  };
  // Every field but the zone d'emploi comes from the list (a field it leaves empty is emptied).
  std::vector<bool> carried(e.fields.size(), true);
  carried[field("employment_zone")] = false;
  Loader loader(store, {options.max_errors, options.dry_run, options.actor});
  int64_t n = 0;
  for (const auto& c : doc) {
    ++n;
    ++report.records;
    const std::string type = c.is_object() ? str(c, "type") : std::string();
    if (type != "commune-actuelle" && type != "arrondissement-municipal") {
      ++report.skipped;  // a delegated or associated commune: a former name of its commune
      continue;
    }
    if (str(c, "zone") == "com") {
      ++report.skipped;  // an overseas collectivity (975, 977, 978, 98x): not a département
      continue;
    }
    const std::string code = str(c, "code");
    Row row(e.fields.size());
    std::vector<FieldError> errors;
    const auto set = [&](std::string_view f, const std::string& value) {
      if (value.empty()) return;
      Value v;
      if (auto rule = schema::parse_cell(e.fields[field(f)], value, v)) {
        errors.push_back({name, 0, 0, std::string(f), value,
                          fmt::format("commune {} of the list ('{}'): {}", n, code, *rule)});
        return;
      }
      row[field(f)] = std::move(v);
    };
    set("code", code);
    set("name", str(c, "nom"));
    set("kind", type == "arrondissement-municipal" ? "district" : "commune");
    set("parent", str(c, "commune"));
    set("department", str(c, "departement"));
    set("region", str(c, "region"));
    std::vector<std::string> postcodes;
    if (const auto it = c.find("codesPostaux"); it != c.end() && it->is_array())
      for (const auto& p : *it)
        if (p.is_string()) postcodes.push_back(p.get<std::string>());
    set("postcodes", joined(postcodes));
    if (const auto it = c.find("population"); it != c.end() && it->is_number_integer())
      set("population", std::to_string(it->get<int64_t>()));
    set("former_names", joined(former_names[code]));
    std::vector<std::string> old = former_codes[code];
    if (const auto it = c.find("anciensCodes"); it != c.end() && it->is_array())
      for (const auto& a : *it)
        if (a.is_string() && a.get<std::string>() != code) old.push_back(a.get<std::string>());
    set("former_codes", joined(old));
    if (!errors.empty()) {
      for (auto& fe : errors) loader.add_error(std::move(fe));
      continue;
    }
    loader.add(e, std::move(row), RowOrigin{name, 0, nullptr, &carried}, Merge::kKeepKnown);
  }
  POLES_ASSIGN_OR_RETURN(report,
                         finish(loader, std::move(report), fmt::format("communes {}", name)));
  if (options.dry_run) return report;
  // The communes the list no longer holds (merged into another, renumbered) go: a code of theirs
  // is then refused with the commune it became (former_codes). An organisation keeps the code it
  // was stored with (no foreign key).
  std::set<std::string> listed;
  for (const auto& c : doc)
    if (c.is_object()) listed.insert(str(c, "code"));
  POLES_ASSIGN_OR_RETURN(auto tx, store.begin());
  POLES_ASSIGN_OR_RETURN(auto stored, tx->query("SELECT \"code\" FROM \"commune\"", {}));
  std::vector<std::string> gone;
  for (const auto& r : stored)
    if (!listed.contains(value_to_text(r[0]))) gone.push_back(value_to_text(r[0]));
  if (gone.empty()) return report;
  for (const auto& code : gone) POLES_RETURN_IF_ERROR(tx->remove(e, {Value(code)}).status());
  store::AuditEntry a;
  a.at = utc_timestamp();
  a.actor = options.actor;
  a.action = "delete";
  a.entity = "commune";
  a.key = fmt::format("{} commune(s) no longer in {}", gone.size(), name);
  nlohmann::json codes = gone;
  a.before = codes.dump();
  POLES_RETURN_IF_ERROR(tx->append_audit(a));
  POLES_RETURN_IF_ERROR(tx->commit());
  report.warnings.push_back(fmt::format("{}: {} commune(s) no longer in the list removed ({}{})",
                                        name, gone.size(), gone.front(),
                                        gone.size() > 1 ? ", …" : ""));
  return report;
}

}  // namespace poles::import
