#include "report/sector_sheet.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "core/codes.h"
#include "core/date.h"
#include "core/model.h"
#include "report/html.h"
#include "report/vocabulary.h"

namespace poles::report {

namespace {

struct Words {
  std::string_view lang;
  std::string operator()(std::string_view key) const {
    static const std::map<std::string_view, std::pair<std::string_view, std::string_view>> kWords =
        {
            {"title", {"Fiche filière", "Sector sheet"}},
            {"generated", {"Document produit par Pôles le", "Produced by Pôles on"}},
            {"key", {"Chiffres clés", "Key figures"}},
            {"jobs", {"Emplois salariés", "Salaried jobs"}},
            {"growth", {"Évolution", "Change"}},
            {"trend", {"Tendance annuelle", "Annual trend"}},
            {"projects", {"Projets", "Projects"}},
            {"aid", {"Aide publique", "Public aid"}},
            {"on_market", {"Produits sur le marché", "Products on the market"}},
            {"member_jobs", {"Emplois des entreprises membres", "Jobs in member firms"}},
            {"employment", {"Emploi et tendance", "Employment and trend"}},
            {"observed", {"Observé", "Observed"}},
            {"projected", {"Projection", "Projection"}},
            {"interval", {"intervalle de prévision", "prediction interval"}},
            {"chart_jobs",
             {"Emplois de la filière en France, observés et projetés",
              "Jobs of the sector in France, observed and projected"}},
            {"regions", {"Régions", "Regions"}},
            {"region", {"Région", "Region"}},
            {"share", {"Part de l'emploi régional", "Share of regional jobs"}},
            {"lq", {"Quotient de localisation", "Location quotient"}},
            {"stars", {"Étoiles", "Stars"}},
            {"national", {"Croissance nationale", "National growth"}},
            {"mix", {"Effet structurel", "Industry mix"}},
            {"competitive", {"Effet régional", "Regional effect"}},
            {"change", {"Variation", "Change"}},
            {"chart_lq",
             {"Quotient de localisation par région (1 = moyenne nationale)",
              "Location quotient by region (1 = national average)"}},
            {"clusters",
             {"Pôles de compétitivité de la filière", "Competitiveness clusters of the sector"}},
            {"cluster", {"Pôle", "Cluster"}},
            {"funnel", {"Des projets aux produits", "From projects to products"}},
            {"stage", {"Étape", "Stage"}},
            {"reached", {"Projets ayant atteint l'étape", "Projects that reached the stage"}},
            {"results", {"Résultats des projets", "Results of the projects"}},
            {"result_jobs", {"Emplois issus des résultats", "Jobs from the results"}},
            {"skills", {"Signaux sur les compétences", "Skills signals"}},
            {"training",
             {"Actions de formation des pôles de la filière",
              "Training actions of the sector's clusters"}},
            {"trainees", {"Participations à ces formations", "Participations in these trainings"}},
            {"diag_skills",
             {"Score « compétences » des diagnostics numériques (0–100)",
              "'Skills' score of digital diagnostics (0–100)"}},
            {"secret", {"secret statistique", "statistical secrecy"}},
            {"method", {"Méthode", "Method"}},
            {"none", {"Aucun", "None"}},
            {"idea", {"Idée", "Idea"}},
            {"submitted", {"Déposé", "Submitted"}},
            {"labelled", {"Labellisé", "Labelled"}},
            {"funded", {"Financé", "Funded"}},
            {"running", {"En cours", "Running"}},
            {"completed", {"Terminé", "Completed"}},
            {"on_market_stage", {"Sur le marché", "On the market"}},
        };
    const auto it = kWords.find(key);
    if (it == kWords.end()) return std::string(key);
    return std::string(lang == "fr" ? it->second.first : it->second.second);
  }
};

// A cell published through statistical secrecy: its value, or the secrecy mark.
std::string secret_cell(const app::SecretCell& cell, int decimals, std::string_view lang,
                        const Words& w) {
  if (cell.value) return number(*cell.value, decimals, lang);
  return "<abbr title=\"" + escape(w("secret")) + "\">s</abbr>";
}

std::string percent(double v, std::string_view lang) {
  return std::isnan(v) ? "—" : number(100 * v, 1, lang) + (lang == "fr" ? "\u202f%" : "%");
}

std::string stars_text(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "★";
  return s;
}

std::string euros(double v, std::string_view lang) {
  return number(v / 1e6, 1, lang) + (lang == "fr" ? "\u202fM€" : " M€");
}

}  // namespace

std::string sector_sheet_title(const app::SectorSheet& sheet, std::string_view lang) {
  const Words w{lang};
  // The division's official title in the document's language (INSEE's, NACE rev.2's).
  const std::string_view name = codes::naf_name(sheet.sector, lang == "en");
  return fmt::format("{} — {}{}NAF {}", w("title"), name, name.empty() ? "" : " · ", sheet.sector);
}

std::string sector_sheet_html(const app::SectorSheet& sheet, std::string_view lang) {
  const Words w{lang};
  const auto& emp = sheet.employment;
  const auto& proj = sheet.projects;
  const std::string title = sector_sheet_title(sheet, lang);
  std::string h;
  h += fmt::format(R"(<!doctype html>
<html lang="{}"><head><meta charset="utf-8"><title>{}</title>
<style>
@page {{ size: A4; margin: 14mm 12mm; }}
body {{ font-family: "DejaVu Sans", Marianne, Arial, sans-serif; color: #161616; font-size: 10pt; margin: 0 auto; max-width: 186mm; }}
h1 {{ font-size: 19pt; color: #000091; margin: 0 0 2mm; }}
h2 {{ font-size: 13pt; color: #000091; border-bottom: 2px solid #000091; padding-bottom: 1mm; margin: 6mm 0 2mm; break-after: avoid; }}
.muted {{ color: #666; }}
.kpis {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 3mm; }}
.kpi {{ border: 1px solid #ddd; padding: 2mm; }} .kpi b {{ display: block; font-size: 14pt; color: #000091; }}
table {{ border-collapse: collapse; width: 100%; margin: 2mm 0; break-inside: auto; table-layout: fixed; font-size: 8pt; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.8mm 1mm; text-align: left; overflow-wrap: anywhere; }} tr {{ break-inside: avoid; }} th {{ background: #f5f5fe; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
figure.chart {{ margin: 2mm 0; break-inside: avoid; }} figcaption {{ font-size: 9pt; color: #444; }}
svg {{ max-width: 100%; height: auto; font-family: inherit; }}
section {{ break-inside: auto; }}
</style></head><body>
<header><h1>{}</h1><p class="muted">{} {}</p></header>
)",
                   lang, escape(title), escape(title), escape(w("generated")),
                   today_utc().to_string());

  // Key figures.
  const double end = num(emp.end), growth = num(emp.growth);
  const double trend = emp.projection.annual_growth;
  const auto& stages = proj.funnel;
  const double on_market = stages.size() >= 7 ? static_cast<double>(stages[6].reached) : NAN;
  h += fmt::format("<section id=\"key\"><h2>{}</h2><div class=\"kpis\">", escape(w("key")));
  auto kpi = [&](const std::string& label, const std::string& value) {
    h += fmt::format("<div class=\"kpi\"><b>{}</b>{}</div>", value, escape(label));
  };
  kpi(fmt::format("{} ({})", w("jobs"), emp.to), number(end, 0, lang));
  kpi(fmt::format("{} {}–{}", w("growth"), emp.from, emp.to), percent(growth, lang));
  kpi(w("trend"), percent(trend, lang));
  kpi(w("projects"), number(static_cast<double>(proj.count), 0, lang));
  kpi(w("aid"), euros(proj.public_aid, lang));
  kpi(w("on_market"), number(on_market, 0, lang));
  kpi(fmt::format("{} ({})", w("member_jobs"), sheet.member_jobs.year),
      secret_cell(sheet.member_jobs.total, 0, lang, w));
  kpi(w("result_jobs"), secret_cell(sheet.results.jobs, 0, lang, w));
  h += "</div></section>";

  // Employment chart with the projection band.
  LineSeries observed{w("observed"), "#000091", {}, false},
      projected{fmt::format("{} ({} {})", w("projected"), w("interval"),
                            percent(emp.projection.level, lang)),
                "#e1000f",
                {},
                true};
  for (const auto& pt : emp.national) {
    if (pt.jobs) observed.points.push_back({static_cast<double>(pt.year), *pt.jobs, 0, 0, false});
  }
  const auto& points = emp.projection.points;
  for (size_t i = 0; i < points.size(); ++i) {
    const auto& pt = points[i];
    const bool last_observed = pt.observed && (i + 1 == points.size() || !points[i + 1].observed);
    if (pt.observed && !last_observed) continue;
    projected.points.push_back({static_cast<double>(pt.year), pt.value, pt.low, pt.high, true});
  }
  h += fmt::format("<section id=\"employment\"><h2>{}</h2>", escape(w("employment")));
  h += line_chart(w("chart_jobs"), {observed, projected}, lang);
  h += "</section>";

  // Regions.
  h += fmt::format(
      "<section id=\"regions\"><h2>{} ({})</h2><table><thead><tr><th>{}</th><th "
      "class=\"num\">{}</th><th class=\"num\">{}</th>"
      "<th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{} {}–{}</th><th "
      "class=\"num\">{}</th><th class=\"num\">{}</th>"
      "<th class=\"num\">{}</th></tr></thead><tbody>",
      escape(w("regions")), emp.year, escape(w("region")), escape(w("jobs")), escape(w("share")),
      escape(w("lq")), escape(w("stars")), escape(w("change")), emp.from, emp.to,
      escape(w("national")), escape(w("mix")), escape(w("competitive")));
  std::vector<Bar> bars;
  for (const auto& r : emp.regions) {
    // Without shift-share over the window, its columns show dashes.
    const auto ss = r.shift_share.value_or(app::SectorSheetShift{NAN, NAN, NAN, NAN});
    h += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td></tr>",
        escape(r.name), number(r.jobs, 0, lang), percent(num(r.share_of_region), lang),
        number(num(r.lq), 2, lang), stars_text(r.stars), number(ss.change, 0, lang),
        number(ss.national, 0, lang), number(ss.industry_mix, 0, lang),
        number(ss.competitive, 0, lang));
    bars.push_back({r.name, num(r.lq), num(r.lq) >= 2 ? "#e1000f" : ""});
  }
  h += "</tbody></table>";
  h += bar_chart(w("chart_lq"), bars, lang, 1.0, true);
  h += "</section>";

  // Clusters.
  h += fmt::format("<section id=\"clusters\"><h2>{}</h2>", escape(w("clusters")));
  if (sheet.clusters.empty()) {
    h += fmt::format("<p class=\"muted\">{}</p>", escape(w("none")));
  } else {
    h += fmt::format(
        "<table><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th "
        "class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        escape(w("cluster")), escape(w("region")), escape(w("projects")), escape(w("aid")),
        escape(w("on_market")));
    size_t shown = 0;
    for (const auto& c : sheet.clusters) {
      if (++shown > 25) break;
      h += fmt::format(
          "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
          "class=\"num\">{}</td></tr>",
          escape(c.name), escape(c.region), number(static_cast<double>(c.projects), 0, lang),
          euros(c.public_aid, lang), number(static_cast<double>(c.on_market), 0, lang));
    }
    h += "</tbody></table>";
  }
  h += "</section>";

  // Funnel and results.
  h += fmt::format(
      "<section id=\"funnel\"><h2>{}</h2><table><thead><tr><th>{}</th><th "
      "class=\"num\">{}</th></tr></thead><tbody>",
      escape(w("funnel")), escape(w("stage")), escape(w("reached")));
  for (const auto& st : stages) {
    h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                     escape(w(st.stage == "on_market" ? "on_market_stage" : st.stage)),
                     number(static_cast<double>(st.reached), 0, lang));
  }
  // French puts a (no-break) space before a colon.
  const char* colon = lang == "fr" ? "\u00a0:" : ":";
  h += fmt::format("</tbody></table><p>{}{} ", escape(w("results")), colon);
  bool first = true;
  for (size_t k = 0; k < kResultKindCodes.size(); ++k) {
    h += fmt::format("{}{} {}", first ? "" : " · ",
                     escape(word("result_kind", kResultKindCodes[k], lang)),
                     number(static_cast<double>(sheet.results.by_kind[k]), 0, lang));
    first = false;
  }
  h += fmt::format(". {}{} {}.</p></section>", escape(w("result_jobs")), colon,
                   secret_cell(sheet.results.jobs, 0, lang, w));

  // Skills.
  const auto& sk = sheet.skills;
  h += fmt::format(
      "<section id=\"skills\"><h2>{}</h2><table><tbody><tr><td>{}</td><td "
      "class=\"num\">{}</td></tr><tr><td>{}</td><td class=\"num\">{}</td></tr>"
      "<tr><td>{}</td><td class=\"num\">{}</td></tr></tbody></table></section>",
      escape(w("skills")), escape(w("training")),
      number(static_cast<double>(sk.training_services), 0, lang), escape(w("trainees")),
      number(static_cast<double>(sk.training_participations), 0, lang), escape(w("diag_skills")),
      secret_cell(sk.diagnostic_skills, 1, lang, w));

  // Method appendix.
  const auto& rule = sheet.secrecy;
  if (lang == "fr") {
    h += fmt::format(R"(<section id="method"><h2>Méthode</h2><ul>
<li>Quotient de localisation QL = (e<sub>rs</sub> / e<sub>r</sub>) / (e<sub>s</sub> / e) : part de la filière dans l'emploi de la région rapportée à sa part nationale. Étoiles (Observatoire européen des clusters) : taille (10 % des régions les plus grandes de la filière), spécialisation (QL ≥ 2), focalisation (10 % des parts régionales les plus fortes).</li>
<li>Décomposition structurelle-résiduelle (shift-share) de la variation {0}–{1} : croissance nationale e<sub>rs0</sub>·g + effet structurel e<sub>rs0</sub>·(g<sub>s</sub> − g) + effet régional e<sub>rs0</sub>·(g<sub>rs</sub> − g<sub>s</sub>) ; la somme est la variation observée.</li>
<li>Projection : tendance log-linéaire ajustée par moindres carrés sur {0}–{1}, prolongée avec un intervalle de prévision de Student à {2}.</li>
<li>Secret statistique : un agrégat sur des entreprises n'est publié que s'il porte sur au moins {3} entreprises et qu'aucune n'en détient plus de {4} ; « s » marque une case masquée.</li>
<li>Les projets de la filière sont ceux dont le secteur (division NAF) est {5} ; un projet labellisé par plusieurs pôles compte une fois par pôle et une fois au total.</li>
</ul></section>)",
                     emp.from, emp.to, percent(emp.projection.level, lang), rule.min_firms,
                     percent(rule.max_share, lang), escape(sheet.sector));
  } else {
    h += fmt::format(R"(<section id="method"><h2>Method</h2><ul>
<li>Location quotient LQ = (e<sub>rs</sub> / e<sub>r</sub>) / (e<sub>s</sub> / e): the sector's share of the region's jobs over its national share. Stars (European Cluster Observatory): size (top 10 % of the sector's regions), specialisation (LQ ≥ 2), focus (top 10 % of regional shares).</li>
<li>Shift-share of the change {0}–{1}: national growth e<sub>rs0</sub>·g + industry mix e<sub>rs0</sub>·(g<sub>s</sub> − g) + regional effect e<sub>rs0</sub>·(g<sub>rs</sub> − g<sub>s</sub>); they sum to the observed change.</li>
<li>Projection: log-linear trend fitted by least squares on {0}–{1}, extended with a Student prediction interval at {2}.</li>
<li>Statistical secrecy: an aggregate over firms is published only when it covers at least {3} firms and none holds more than {4} of it; "s" marks a masked cell.</li>
<li>The sector's projects are those whose sector (NAF division) is {5}; a project labelled by several clusters counts once per cluster and once in the total.</li>
</ul></section>)",
                     emp.from, emp.to, percent(emp.projection.level, lang), rule.min_firms,
                     percent(rule.max_share, lang), escape(sheet.sector));
  }
  h += "</body></html>\n";
  return h;
}

}  // namespace poles::report
