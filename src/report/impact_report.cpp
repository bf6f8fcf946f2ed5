#include "report/impact_report.h"

#include <fmt/format.h>

#include <cmath>

#include "core/date.h"
#include "report/html.h"

namespace poles::report {

using Json = nlohmann::ordered_json;

namespace {

std::string tr(std::string_view lang, std::string_view fr, std::string_view en) {
  return std::string(lang == "fr" ? fr : en);
}
double num(const Json& j) { return j.is_number() ? j.get<double>() : NAN; }
// A published figure, or "s" (statistical secrecy) when masked.
std::string fig(const Json& j, int decimals, std::string_view lang) {
  return j.is_null() ? "s" : number(num(j), decimals, lang);
}

std::string estimator_name(const std::string& e, std::string_view lang) {
  if (e == "did")
    return tr(lang, "Différence de différences échelonnée (Callaway et Sant'Anna)",
              "Staggered difference in differences (Callaway & Sant'Anna)");
  if (e == "ols") return tr(lang, "Régression à effets fixes", "Fixed-effects regression");
  if (e == "event")
    return tr(lang, "Étude d'événement (effets fixes doubles)",
              "Event study (two-way fixed effects)");
  return tr(lang, "Appariement et différence de différences conditionnelle",
            "Matching and conditional difference in differences");
}

std::string estimate_row(const std::string& label, const Json& j, std::string_view lang) {
  return fmt::format(
      "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">[{} ; "
      "{}]</td></tr>",
      escape(label), fig(j["estimate"], 4, lang), fig(j["se"], 4, lang), fig(j["ci_low"], 4, lang),
      fig(j["ci_high"], 4, lang));
}

std::string estimate_head(std::string_view lang, const std::string& first) {
  return fmt::format(
      "<table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th "
      "class=\"num\">{}</th></tr></thead><tbody>",
      escape(first), tr(lang, "Estimation", "Estimate"), tr(lang, "Écart-type", "Std. error"),
      tr(lang, "IC 95 %", "95 % CI"));
}

// Event-time plot: estimates with the pointwise interval as a band, and the zero line.
std::string event_plot(const std::string& title, const Json& terms, const char* key,
                       std::string_view lang) {
  LineSeries est{
      tr(lang, "Effet estimé (IC 95 %)", "Estimated effect (95 % CI)"), "#000091", {}, false};
  LineSeries zero{tr(lang, "Zéro", "Zero"), "#999999", {}, true};
  for (const auto& t : terms) {
    if (t["estimate"].is_null()) continue;
    const double x = num(t[key]);
    est.points.push_back({x, num(t["estimate"]), num(t["ci_low"]), num(t["ci_high"]), true});
    zero.points.push_back({x, 0, 0, 0, false});
  }
  return line_chart(title, {est, zero}, lang);
}

}  // namespace

std::string impact_report_title(const Json& r, std::string_view lang) {
  return fmt::format("{} — {}", tr(lang, "Évaluation d'impact", "Impact evaluation"),
                     r.value("outcome", std::string()));
}

std::string impact_report_html(const Json& r, std::string_view lang) {
  const std::string title = impact_report_title(r, lang);
  const std::string est = r.value("estimator", std::string("did"));
  std::string h = fmt::format(R"(<!doctype html>
<html lang="{0}"><head><meta charset="utf-8"><title>{1}</title>
<style>
@page {{ size: A4; margin: 14mm 12mm; }}
body {{ font-family: "DejaVu Sans", Marianne, Arial, sans-serif; color: #161616; font-size: 10pt; margin: 0 auto; max-width: 186mm; }}
h1 {{ font-size: 17pt; color: #000091; margin: 0 0 2mm; }}
h2 {{ font-size: 12.5pt; color: #000091; border-bottom: 2px solid #000091; margin: 6mm 0 2mm; break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; margin: 2mm 0; font-size: 8.5pt; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.8mm 1mm; text-align: left; }} th {{ background: #f5f5fe; }}
td.num, th.num {{ text-align: right; }} tr {{ break-inside: avoid; }} figure.chart {{ margin: 2mm 0; break-inside: avoid; }}
figcaption {{ font-size: 9pt; color: #444; }} svg {{ max-width: 100%; height: auto; }} .muted {{ color: #666; }}
</style></head><body>
<header><h1>{1}</h1><p class="muted">{2} · {3} {4}</p></header>
)",
                              lang, escape(title), escape(estimator_name(est, lang)),
                              tr(lang, "Document produit par Pôles le", "Produced by Pôles on"),
                              today_utc().to_string());
  // Key figures.
  h += fmt::format("<section id=\"key\"><h2>{}</h2>",
                   tr(lang, "Résultats principaux", "Main results"));
  if (est == "did") {
    const Json& ag = r["aggregations"];
    h += estimate_head(lang, tr(lang, "Agrégation", "Aggregation"));
    h += estimate_row(
        tr(lang, "Effet moyen sur les traités (simple)", "Average effect on the treated (simple)"),
        ag["simple"], lang);
    h += estimate_row(
        tr(lang, "Moyenne des effets dynamiques (e ≥ 0)", "Mean of the dynamic effects (e ≥ 0)"),
        ag["dynamic"], lang);
    h += estimate_row(tr(lang, "Moyenne des effets par cohorte", "Mean of the effects by cohort"),
                      ag["group"], lang);
    h += estimate_row(tr(lang, "Moyenne des effets par année", "Mean of the effects by year"),
                      ag["calendar"], lang);
    h += "</tbody></table>";
    const Json& pre = r["pretest"];
    h += fmt::format("<p>{} : χ²({}) = {}, p = {}. {} : {} ; {} : {}.</p>",
                     tr(lang, "Test de Wald des tendances parallèles avant traitement",
                        "Wald pre-test of parallel trends"),
                     pre["df"].get<int>(), number(num(pre["stat"]), 2, lang),
                     pre["p"].is_null() ? "—" : number(num(pre["p"]), 4, lang),
                     tr(lang, "Unités", "Units"), number(num(r["data"]["units"]), 0, lang),
                     tr(lang, "écartées (panel incomplet)", "dropped (incomplete panel)"),
                     number(num(r["data"]["dropped_units"]), 0, lang));
    h += "</section>";
    h += fmt::format(
        "<section id=\"dynamic\"><h2>{}</h2><figure class=\"chart\">{}</figure>",
        tr(lang, "Effets selon le temps depuis le traitement", "Effects by time since treatment"),
        event_plot(tr(lang, "Effet par temps d'exposition e (années depuis l'entrée)",
                      "Effect by event time e (years since entry)"),
                   ag["dynamic"]["terms"], "key", lang));
    h += estimate_head(lang, "e");
    for (const auto& t : ag["dynamic"]["terms"])
      h += estimate_row(std::to_string(t["key"].get<int>()), t, lang);
    h +=
        fmt::format("</tbody></table><p class=\"muted\">{} {}.</p></section>",
                    tr(lang, "Bande uniforme à 95 % (bootstrap multiplicateur) : valeur critique",
                       "Uniform 95 % band (multiplier bootstrap): critical value"),
                    number(num(ag["dynamic"].value("uniform_critical_value", Json(NAN))), 3, lang));
    h += fmt::format("<section id=\"groups\"><h2>{}</h2>",
                     tr(lang, "Effets par cohorte d'entrée", "Effects by entry cohort"));
    h += estimate_head(lang, tr(lang, "Cohorte", "Cohort"));
    for (const auto& t : ag["group"]["terms"])
      h += estimate_row(std::to_string(t["key"].get<int>()), t, lang);
    h += "</tbody></table></section>";
    h += fmt::format(
        "<section id=\"cells\"><h2>ATT(g,t)</h2><table><thead><tr><th>g</th><th>t</th><th "
        "class=\"num\">{}</th><th class=\"num\">{}</th>"
        "<th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        tr(lang, "Estimation", "Estimate"), tr(lang, "Écart-type", "Std. error"),
        tr(lang, "Traités", "Treated"), tr(lang, "Témoins", "Controls"));
    for (const auto& c : r["cells"]) {
      h += fmt::format(
          "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
          "class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
          c["g"].get<int>(), c["t"].get<int>(), fig(c["estimate"], 4, lang), fig(c["se"], 4, lang),
          fig(c["treated"], 0, lang), fig(c["controls"], 0, lang));
    }
    h += "</tbody></table></section>";
  } else if (est == "event") {
    h += fmt::format("<figure class=\"chart\">{}</figure>",
                     event_plot(tr(lang, "Coefficients avant et après le traitement",
                                   "Coefficients before and after treatment"),
                                r["terms"], "e", lang));
    h += estimate_head(lang, "e");
    for (const auto& t : r["terms"]) h += estimate_row(std::to_string(t["e"].get<int>()), t, lang);
    h += fmt::format("</tbody></table><p>{} : F({}) = {}, p = {}.</p></section>",
                     tr(lang, "Test joint des coefficients avant traitement",
                        "Joint test of the pre-treatment coefficients"),
                     r["pretrend"]["df"].get<int>(), number(num(r["pretrend"]["f"]), 2, lang),
                     number(num(r["pretrend"]["p"]), 4, lang));
  } else if (est == "ols") {
    h += estimate_head(lang, tr(lang, "Variable", "Variable"));
    for (const auto& c : r["coefficients"])
      h += estimate_row(c["name"].get<std::string>(), c, lang);
    h += fmt::format("</tbody></table><p>n = {} · RMSE {} · R² {} · {} {} · {} {}</p></section>",
                     number(num(r["n"]), 0, lang), number(num(r["rmse"]), 4, lang),
                     number(num(r["r2"]), 4, lang), tr(lang, "R² ajusté", "adj. R²"),
                     number(num(r["adj_r2"]), 4, lang), tr(lang, "R² intra", "within R²"),
                     number(num(r["within_r2"]), 4, lang));
  } else {
    if (r.contains("att")) {
      h += estimate_head(lang, "");
      h += estimate_row(
          tr(lang, "Effet moyen sur les traités appariés", "Average effect on the matched treated"),
          r["att"], lang);
      h += "</tbody></table>";
    }
    h += fmt::format("<p>{} : {} / {} · {} : {} / {}</p></section>",
                     tr(lang, "Traités appariés", "Treated matched"),
                     r["treated_matched"].get<int>(), r["treated"].get<int>(),
                     tr(lang, "Témoins appariés", "Controls matched"),
                     r["controls_matched"].get<int>(), r["controls"].get<int>());
    std::vector<Bar> bars;
    for (const auto& b : r["balance"]) {
      bars.push_back({b["name"].get<std::string>() + tr(lang, " (avant)", " (before)"),
                      num(b["smd"]), "#bbbbbb"});
      bars.push_back({b["name"].get<std::string>() + tr(lang, " (après)", " (after)"),
                      num(b["matched_smd"]), "#000091"});
    }
    h += fmt::format(
        "<section id=\"balance\"><h2>{}</h2><figure class=\"chart\">{}</figure>",
        tr(lang, "Équilibre des covariables", "Covariate balance"),
        bar_chart(tr(lang, "Différences moyennes standardisées avant et après appariement",
                     "Standardised mean differences before and after matching"),
                  bars, lang, 0, true));
    h += fmt::format(
        "<table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th "
        "class=\"num\">DMS</th><th class=\"num\">{}</th>"
        "<th class=\"num\">{}</th><th class=\"num\">DMS</th></tr></thead><tbody>",
        tr(lang, "Covariable", "Covariate"), tr(lang, "Traités", "Treated"),
        tr(lang, "Témoins", "Controls"), tr(lang, "Traités appariés", "Matched treated"),
        tr(lang, "Témoins appariés", "Matched controls"));
    for (const auto& b : r["balance"]) {
      h += fmt::format(
          "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
          "class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
          "class=\"num\">{}</td></tr>",
          escape(b["name"].get<std::string>()), fig(b["mean_treated"], 3, lang),
          fig(b["mean_control"], 3, lang), fig(b["smd"], 3, lang),
          fig(b["matched_mean_treated"], 3, lang), fig(b["matched_mean_control"], 3, lang),
          fig(b["matched_smd"], 3, lang));
    }
    h += "</tbody></table></section>";
  }
  // Method.
  h += fmt::format(
      "<section id=\"method\"><h2>{}</h2><p>{}</p><p>{}</p><p>{}</p></section></body></html>",
      tr(lang, "Méthode", "Method"),
      tr(lang,
         "Le traitement est l'entrée d'une entreprise dans un pôle (ou son premier projet aidé), à "
         "des dates échelonnées. Les effets ATT(g,t) comparent, pour chaque cohorte d'entrée g et "
         "chaque année t, "
         "l'évolution du résultat des entreprises de la cohorte à celle des entreprises jamais "
         "traitées (ou pas encore traitées), depuis l'année précédant l'entrée ; "
         "les agrégations pondèrent les cohortes par leur taille. Les écarts-types viennent des "
         "fonctions d'influence (bootstrap multiplicateur à graine fixée, bandes uniformes). "
         "Les non-membres exposés à un membre de leur zone d'emploi et de leur secteur sont exclus "
         "des témoins de l'effet direct : leur évolution porte l'effet indirect, estimé à part.",
         "Treatment is a firm's entry into a cluster (or its first aided project), at staggered "
         "dates. The ATT(g,t) compare, for each entry cohort g and year t, the change of the "
         "outcome of the cohort's firms with that of never-treated (or not-yet-treated) firms, "
         "from the year before entry; aggregations weight cohorts by their size. Standard "
         "errors come from the influence functions (seeded multiplier bootstrap, uniform bands). "
         "Non-members exposed to a member of their employment zone and sector are left "
         "out of the controls of the direct effect: their change carries the indirect effect, "
         "estimated separately."),
      tr(lang,
         "Repères : Bellégo et Dortet-Bernadet (Insee, 2014) trouvent +116 k€ de R&D (+7,3 %) pour "
         "les PME et ETI membres en 2009 face à des non-membres appariés, sans effet sur le "
         "chiffre d'affaires ; Ben Hassine et Mathieu (France Stratégie, 2017) un effet de levier "
         "sur la R&D autofinancée à partir de 2009, +6,5 chercheurs et +2 brevets par membre en "
         "2012, sans effet sur l'emploi.",
         "Benchmarks: Bellégo and Dortet-Bernadet (Insee, 2014) find +€116k of R&D (+7.3 %) for "
         "member SMEs and mid-caps in 2009 against matched non-members, with no effect on "
         "turnover; Ben Hassine and Mathieu (France Stratégie, 2017) a leverage effect on "
         "self-financed R&D from 2009, +6.5 researchers and +2 patents per member in 2012, and no "
         "effect on employment."),
      tr(lang,
         "Secret statistique : une estimation n'est publiée que si elle repose sur au moins 3 "
         "entreprises de chaque côté ; une moyenne, en outre, si aucune entreprise n'en détient "
         "plus de 85 %. "
         "Les valeurs masquées sont notées « s ».",
         "Statistical secrecy: an estimate is published only when it rests on at least 3 firms on "
         "each side; a mean, also, when no firm holds more than 85 % of it. Masked "
         "values show as \"s\"."));
  return h;
}

}  // namespace poles::report
