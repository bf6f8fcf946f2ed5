#include "portal/open_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/codes.h"
#include "core/date.h"
#include "core/model.h"
#include "portal/portal.h"
#include "portal/registry.h"

namespace poles::portal {
namespace {

using snapshot::Snapshot;
using Cell = std::optional<std::string>;

OpenColumn dict_column(std::string name, std::string type, std::string fr, std::string en) {
  return {std::move(name), std::move(type), std::move(fr), std::move(en)};
}

std::vector<OpenTable> make_dictionary() {
  std::vector<OpenTable> out;
  out.push_back(
      {"clusters",
       "Pôles de compétitivité",
       "Competitiveness clusters",
       "Le registre des pôles : nom, thèmes, filière, région, échelle, site, phases de "
       "labellisation.",
       "The registry of clusters: name, themes, filière, region, scale, website, phases "
       "of the label.",
       {dict_column("id", "string", "Identifiant du pôle", "Cluster identifier"),
        dict_column("name", "string", "Nom", "Name"),
        dict_column("acronym", "string", "Sigle", "Acronym"),
        dict_column("region", "string", "Code INSEE de la région du siège",
                    "INSEE code of the head office's region"),
        dict_column("region_name", "string", "Nom de la région", "Name of the region"),
        dict_column("scale", "string", "Échelle (national, regional)",
                    "Scale (national, regional)"),
        dict_column("themes", "string", "Thèmes, séparés par |", "Themes, separated by |"),
        dict_column("filiere", "string", "Filière", "Filière (industrial sector)"),
        dict_column("website", "string", "Site internet", "Website"),
        dict_column("founded", "integer", "Année de création", "Year founded"),
        dict_column("labelled", "boolean", "Labellisé dans la phase en cours",
                    "Labelled in the current phase"),
        dict_column("phases", "string", "Phases de labellisation, séparées par |",
                    "Phases of the label, separated by |")},
       {}});
  out.push_back({"members",
                 "Membres qui acceptent d'être cités",
                 "Members who agreed to be listed",
                 "Les membres actuels de chaque pôle qui ont accepté d'être cités publiquement "
                 "(les autres sont seulement comptés, dans la table des indicateurs).",
                 "The current members of each cluster that agreed to be listed publicly (the "
                 "others are only counted, in the indicators table).",
                 {dict_column("cluster_id", "string", "Identifiant du pôle", "Cluster identifier"),
                  dict_column("name", "string", "Nom du membre", "Member's name"),
                  dict_column("kind", "string",
                              "Nature (company, research, higher_education, training, public_body, "
                              "finance, association, other)",
                              "Kind (company, research, higher_education, training, public_body, "
                              "finance, association, other)"),
                  dict_column("region", "string", "Code INSEE de la région du membre",
                              "INSEE code of the member's region")},
                 {}});
  out.push_back(
      {"projects",
       "Projets labellisés présentés au public",
       "Labelled projects presented to the public",
       "Les projets labellisés par un pôle qui ont accepté la publication de leur "
       "résumé : sigle, titre, programme, dates, étape. Sans montant.",
       "The projects labelled by a cluster that agreed to publish their summary: "
       "acronym, title, programme, dates, stage. No amount.",
       {dict_column("id", "string", "Identifiant du projet", "Project identifier"),
        dict_column("acronym", "string", "Sigle", "Acronym"),
        dict_column("title", "string", "Titre", "Title"),
        dict_column("programme", "string", "Programme de financement", "Funding programme"),
        dict_column("status", "string", "Étape du projet", "Stage of the project"),
        dict_column("start_date", "date", "Début", "Start"),
        dict_column("end_date", "date", "Fin", "End"),
        dict_column("clusters", "string", "Pôles qui l'ont labellisé, séparés par |",
                    "Clusters that labelled it, separated by |")},
       {}});
  out.push_back(
      {"project_partners",
       "Partenaires des projets présentés au public",
       "Partners of the projects presented to the public",
       "Le nom et le rôle de chaque partenaire des projets publics. Sans montant.",
       "The name and role of each partner of the public projects. No amount.",
       {dict_column("project_id", "string", "Identifiant du projet", "Project identifier"),
        dict_column("name", "string", "Nom du partenaire", "Partner's name"),
        dict_column("role", "string", "Rôle (coordinator, partner, subcontractor)",
                    "Role (coordinator, partner, subcontractor)")},
       {}});
  out.push_back({"calls",
                 "Appels à projets",
                 "Calls for projects",
                 "Les appels à projets des financeurs des pôles.",
                 "The calls for projects of the clusters' funders.",
                 {dict_column("id", "string", "Identifiant de l'appel", "Call identifier"),
                  dict_column("title", "string", "Titre", "Title"),
                  dict_column("programme", "string", "Programme", "Programme"),
                  dict_column("budget", "number", "Budget (euros)", "Budget (euros)"),
                  dict_column("open_date", "date", "Ouverture", "Opens"),
                  dict_column("close_date", "date", "Clôture", "Closes")},
                 {}});
  out.push_back(
      {"indicators",
       "Indicateurs par pôle",
       "Indicators by cluster",
       "Des comptes par pôle (membres actuels par nature, entreprises membres par taille, "
       "projets labellisés par année du label) et le financement levé par les entreprises "
       "accompagnées par an, protégé par le secret statistique : une case qui révélerait le "
       "chiffre d'une entreprise est vide, avec sa raison (primary : trop peu d'entreprises ou "
       "une entreprise dominante ; secondary : masquée pour qu'on ne la déduise pas des autres).",
       "Counts by cluster (current members by kind, member companies by size, projects labelled "
       "by year of the label) and the financing raised by the firms served, by year, protected by "
       "statistical secrecy: a cell that would reveal a firm's figure is empty, with its reason "
       "(primary: too few firms or one dominant firm; secondary: masked so that it cannot be "
       "derived from the others).",
       {dict_column("cluster_id", "string", "Identifiant du pôle", "Cluster identifier"),
        dict_column("indicator", "string",
                    "Indicateur : members, member_companies, labelled_projects, services_financing",
                    "Indicator: members, member_companies, labelled_projects, services_financing"),
        dict_column("category", "string",
                    "Nature du membre ou taille de l'entreprise, selon l'indicateur",
                    "Kind of member or size of the company, by indicator"),
        dict_column("year", "integer",
                    "Année (vide : à la date des données ; 0 : toutes les années)",
                    "Year (empty: at the date of the data; 0: every year)"),
        dict_column("value", "number", "Valeur (vide si secrète)", "Value (empty when secret)"),
        dict_column("secret", "string", "Raison du secret (primary, secondary), sinon vide",
                    "Reason of the secrecy (primary, secondary), else empty")},
       {}});
  return out;
}

Cell cell_text(std::string_view v) {
  if (v.empty()) return std::nullopt;
  return std::string(v);
}
Cell cell_date(const snapshot::Column& c, size_t row) {
  if (!c.present[row]) return std::nullopt;
  return Date::from_days(c.ints[row]).to_string();
}
Cell cell_number(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  return fmt::format("{}", v);
}

void fill_clusters(const Snapshot& s, OpenTable& t) {
  const auto& cl = s.table("cluster");
  const auto facts = cluster_facts(s);
  const auto& founded = cl.column("founded");
  for (size_t i = 0; i < cl.rows; ++i) {
    std::string phases;
    for (const auto& [phase, years] : facts[i].phases)
      phases += (phases.empty() ? "" : "|") + std::to_string(phase);
    const std::string region(cl.column("region").text(i));
    const auto* r = codes::find_region(region);
    t.rows.push_back({std::string(cl.key(i)), cell_text(cl.column("name").text(i)),
                      cell_text(cl.column("acronym").text(i)), cell_text(region),
                      r ? Cell(std::string(r->name)) : std::nullopt,
                      cell_text(cl.column("scale").text(i)), cell_text(cl.column("themes").text(i)),
                      cell_text(cl.column("filiere").text(i)),
                      cell_text(cl.column("website").text(i)),
                      founded.present[i] ? Cell(std::to_string(founded.ints[i])) : std::nullopt,
                      facts[i].current ? "true" : "false", cell_text(phases)});
  }
}

void fill_members(const Snapshot& s, OpenTable& t) {
  const auto& cl = s.table("cluster");
  const auto& orgs = s.table("organisation");
  const auto members = current_members(s);
  for (size_t c = 0; c < cl.rows; ++c) {
    std::vector<std::vector<Cell>> rows;
    for (const auto& [o, m] : members[c]) {
      if (!is_listed(s, m)) continue;
      const auto ou = static_cast<size_t>(o);
      rows.push_back({std::string(cl.key(c)), cell_text(orgs.column("name").text(ou)),
                      cell_text(orgs.column("kind").text(ou)),
                      cell_text(orgs.column("region").text(ou))});
    }
    std::sort(rows.begin(), rows.end());
    for (auto& r : rows) t.rows.push_back(std::move(r));
  }
}

void fill_projects(const Snapshot& s, OpenTable& t, OpenTable* partners) {
  const auto& pr = s.table("project");
  const auto& cl = s.table("cluster");
  const auto is_public = public_projects(s);
  std::vector<std::set<std::string>> clusters(pr.rows);
  const auto& pl = s.table("project_label");
  for (size_t l = 0; l < pl.rows; ++l) {
    const auto p = static_cast<size_t>(pl.column("project_id").codes[l]);
    if (is_public[p])
      clusters[p].emplace(cl.key(static_cast<size_t>(pl.column("cluster_id").codes[l])));
  }
  for (size_t p = 0; p < pr.rows; ++p) {
    if (!is_public[p]) continue;
    std::string list;
    for (const auto& k : clusters[p]) list += (list.empty() ? "" : "|") + k;
    t.rows.push_back({std::string(pr.key(p)), cell_text(pr.column("acronym").text(p)),
                      cell_text(pr.column("title").text(p)),
                      cell_text(pr.column("programme").text(p)),
                      cell_text(pr.column("status").text(p)), cell_date(pr.column("start_date"), p),
                      cell_date(pr.column("end_date"), p), cell_text(list)});
  }
  if (partners == nullptr) return;
  const auto& pa = s.table("participation");
  const auto& orgs = s.table("organisation");
  for (size_t k = 0; k < pa.rows; ++k) {
    const auto p = static_cast<size_t>(pa.column("project_id").codes[k]);
    if (!is_public[p]) continue;
    const auto o = static_cast<size_t>(pa.column("organisation_id").codes[k]);
    partners->rows.push_back({std::string(pr.key(p)), cell_text(orgs.column("name").text(o)),
                              cell_text(pa.column("role").text(k))});
  }
  std::sort(partners->rows.begin(), partners->rows.end());
}

void fill_calls(const Snapshot& s, OpenTable& t) {
  const auto& calls = s.table("call");
  for (size_t i = 0; i < calls.rows; ++i)
    t.rows.push_back(
        {std::string(calls.key(i)), cell_text(calls.column("title").text(i)),
         cell_text(calls.column("programme").text(i)), cell_number(calls.column("budget").reals[i]),
         cell_date(calls.column("open_date"), i), cell_date(calls.column("close_date"), i)});
}

void fill_indicators(const Snapshot& s, const ProtectedFigures& figures, OpenTable& t) {
  const auto& cl = s.table("cluster");
  const auto& orgs = s.table("organisation");
  const auto& o_kind = orgs.column("kind");
  const auto& o_size = orgs.column("size_class");
  const auto members = current_members(s);
  // Labelled projects by cluster and year of the label (each project once a year).
  std::vector<std::map<int, std::set<int32_t>>> labelled(cl.rows);
  const auto& pl = s.table("project_label");
  const auto& l_date = pl.column("date");
  for (size_t l = 0; l < pl.rows; ++l) {
    if (!l_date.present[l]) continue;
    labelled[static_cast<size_t>(pl.column("cluster_id").codes[l])]
            [Date::from_days(l_date.ints[l]).year]
                .insert(pl.column("project_id").codes[l]);
  }
  std::vector<std::map<int, const ProtectedFigure*>> financing(cl.rows);
  for (const auto& f : figures.services_financing)
    financing[static_cast<size_t>(f.cluster)][f.year] = &f;
  const auto count = [](size_t n) { return Cell(std::to_string(n)); };
  for (size_t c = 0; c < cl.rows; ++c) {
    const std::string key(cl.key(c));
    std::map<std::string, size_t> by_kind, by_size;
    for (const auto& [o, m] : members[c]) {
      const auto ou = static_cast<size_t>(o);
      ++by_kind[std::string(o_kind.text(ou))];
      if (o_kind.text(ou) == "company" && !o_size.text(ou).empty())
        ++by_size[std::string(o_size.text(ou))];
    }
    for (const auto code : kOrgKindCodes) {
      const auto it = by_kind.find(std::string(code));
      t.rows.push_back({key, "members", std::string(code), std::nullopt,
                        count(it == by_kind.end() ? 0 : it->second), std::nullopt});
    }
    for (const auto code : kSizeClassCodes) {
      const auto it = by_size.find(std::string(code));
      t.rows.push_back({key, "member_companies", std::string(code), std::nullopt,
                        count(it == by_size.end() ? 0 : it->second), std::nullopt});
    }
    for (const auto& [year, projects] : labelled[c])
      t.rows.push_back({key, "labelled_projects", std::nullopt, std::to_string(year),
                        count(projects.size()), std::nullopt});
    for (const auto& [year, f] : financing[c])
      t.rows.push_back({key, "services_financing", std::nullopt, std::to_string(year),
                        f->value ? cell_number(*f->value) : std::nullopt, cell_text(f->secret)});
  }
}

// A text cell as a spreadsheet may read it: a formula's first character is neutralised.
std::string csv_cell(const std::string& v, bool is_text) {
  std::string x = v;
  if (is_text && !x.empty() &&
      (x[0] == '=' || x[0] == '+' || x[0] == '-' || x[0] == '@' || x[0] == '\t' || x[0] == '\r'))
    x = "'" + x;
  if (x.find_first_of(",\"\r\n") == std::string::npos) return x;
  std::string out = "\"";
  for (const char ch : x) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

const std::vector<OpenTable>& open_dictionary() {
  static const std::vector<OpenTable> kTables = make_dictionary();
  return kTables;
}

std::optional<OpenTable> open_table(const Snapshot& s, std::string_view name,
                                    const ProtectedFigures& figures) {
  const auto& dictionary = open_dictionary();
  const auto it = std::find_if(dictionary.begin(), dictionary.end(),
                               [name](const OpenTable& t) { return t.name == name; });
  if (it == dictionary.end()) return std::nullopt;
  OpenTable t = *it;
  if (name == "clusters") {
    fill_clusters(s, t);
  } else if (name == "members") {
    fill_members(s, t);
  } else if (name == "projects") {
    fill_projects(s, t, nullptr);
  } else if (name == "project_partners") {
    OpenTable projects = t;
    fill_projects(s, projects, &t);
  } else if (name == "calls") {
    fill_calls(s, t);
  } else {
    fill_indicators(s, figures, t);
  }
  return t;
}

std::string to_csv(const OpenTable& t) {
  std::string out;
  for (size_t k = 0; k < t.columns.size(); ++k)
    out += (k ? "," : "") + csv_cell(t.columns[k].name, false);
  out += "\r\n";
  for (const auto& row : t.rows) {
    for (size_t k = 0; k < row.size(); ++k) {
      if (k) out += ',';
      if (row[k]) out += csv_cell(*row[k], t.columns[k].type == "string");
    }
    out += "\r\n";
  }
  return out;
}

std::string to_json(const OpenTable& t, uint64_t data_version, const std::string& data_date) {
  nlohmann::json columns = nlohmann::json::array();
  for (const auto& c : t.columns)
    columns.push_back({{"name", c.name}, {"type", c.type}, {"fr", c.fr}, {"en", c.en}});
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : t.rows) {
    nlohmann::json r = nlohmann::json::object();
    for (size_t k = 0; k < row.size(); ++k) {
      const auto& c = t.columns[k];
      if (!row[k]) {
        r[c.name] = nullptr;
      } else if (c.type == "integer") {
        r[c.name] = std::stoll(*row[k]);
      } else if (c.type == "number") {
        r[c.name] = std::stod(*row[k]);
      } else if (c.type == "boolean") {
        r[c.name] = *row[k] == "true";
      } else {
        r[c.name] = *row[k];
      }
    }
    rows.push_back(std::move(r));
  }
  nlohmann::json out = {{"dataset", t.name},
                        {"title", {{"fr", t.title_fr}, {"en", t.title_en}}},
                        {"description", {{"fr", t.about_fr}, {"en", t.about_en}}},
                        {"licence", {{"name", kLicenceName}, {"url", kLicenceUrl}}},
                        {"data_version", data_version},
                        {"data_date", data_date},
                        {"columns", std::move(columns)},
                        {"rows", std::move(rows)}};
  return out.dump();
}

}  // namespace poles::portal
