#include "report/impact_report.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "core/date.h"
#include "report/html.h"
#include "report/vocabulary.h"

namespace poles::report {

namespace {

// What a missing figure shows: "s" where statistical secrecy masked it, "—" where it could not be
// computed (an infinite standardised difference, a test without degrees of freedom).
constexpr const char* kSecret = "s";
constexpr const char* kNone = "—";

// A figure, or `missing` when there is none.
template <class T>
std::string fig(const std::optional<T>& v, int decimals, std::string_view lang,
                const char* missing = kSecret) {
  return v ? number(static_cast<double>(*v), decimals, lang) : missing;
}

std::string estimator_name(std::string_view e, std::string_view lang) {
  if (e == "did")
    return tr(lang, "Différence de différences échelonnée (Callaway et Sant'Anna)",
              "Staggered difference in differences (Callaway & Sant'Anna)");
  if (e == "ols") return tr(lang, "Régression à effets fixes", "Fixed-effects regression");
  if (e == "ppml")
    return tr(lang, "Régression de Poisson à effets fixes (PPML)",
              "Poisson regression with fixed effects (PPML)");
  if (e == "event")
    return tr(lang, "Étude d'événement (effets fixes doubles)",
              "Event study (two-way fixed effects)");
  if (e == "sunab")
    return tr(lang, "Étude d'événement pondérée par cohorte (Sun et Abraham)",
              "Interaction-weighted event study (Sun & Abraham)");
  return tr(lang, "Appariement et différence de différences conditionnelle",
            "Matching and conditional difference in differences");
}

// A row of an estimate with its interval: any result with estimate, se, ci_low and ci_high.
template <class E>
std::string estimate_row(const std::string& label, const E& x, std::string_view lang,
                         const char* missing = kSecret) {
  return fmt::format(
      "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">[{} ; "
      "{}]</td></tr>",
      escape(label), fig(x.estimate, 4, lang, missing), fig(x.se, 4, lang, missing),
      fig(x.ci_low, 4, lang, missing), fig(x.ci_high, 4, lang, missing));
}

std::string estimate_head(std::string_view lang, const std::string& first) {
  return fmt::format(
      "<table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th "
      "class=\"num\">{}</th></tr></thead><tbody>",
      escape(first), tr(lang, "Estimation", "Estimate"), tr(lang, "Écart-type", "Std. error"),
      tr(lang, "IC 95 %", "95% CI"));
}

// Event-time plot: estimates with the pointwise interval as a band, and the zero line. `key`
// gives a term's event time.
template <class Term, class Key>
std::string event_plot(const std::string& title, const std::vector<Term>& terms, Key key,
                       std::string_view lang) {
  LineSeries est{
      tr(lang, "Effet estimé (IC 95 %)", "Estimated effect (95% CI)"), "#000091", {}, false};
  LineSeries zero{tr(lang, "Zéro", "Zero"), "#999999", {}, true};
  for (const auto& t : terms) {
    if (!t.estimate) continue;
    const auto x = static_cast<double>(key(t));
    est.points.push_back({x, *t.estimate, num(t.ci_low), num(t.ci_high), true});
    zero.points.push_back({x, 0, 0, 0, false});
  }
  return line_chart(title, {est, zero}, lang);
}

// An outcome as a person reads it: "dépenses de R&D (log)" for log(rd_spending) (the vocabulary's
// impact_outcome words), a formula's own left-hand side otherwise.
std::string outcome_name(std::string_view outcome, std::string_view lang) {
  return word("impact_outcome", outcome, lang);
}

// The plain reading of the headline estimate (app::ImpactReading): "+12.2 % [+11.0 %; +13.4 %]"
// on a log outcome, in the outcome's units otherwise, and whether the interval settles it.
std::string reading_text(const app::ImpactReading& r, std::string_view outcome,
                         std::string_view lang) {
  if (!r.value) return {};
  const bool pct = r.scale == "percent";
  const auto show = [&](std::optional<double> v) {
    if (!v) return std::string("—");
    return (*v > 0 ? "+" : "") + number(*v, pct ? 1 : 3, lang) + (pct ? " %" : "");
  };
  return fmt::format(
      "<p class=\"reading\"><strong>{}</strong> {} {} {} ({} : {} ; {}). {}</p>",
      tr(lang, "Lecture :", "Reading:"),
      pct ? tr(lang, "un effet d'environ", "an effect of about")
          : tr(lang, "un effet, dans les unités de la variable, d'environ",
               "an effect, in the variable's units, of about"),
      show(r.value), fmt::format("{} {}", tr(lang, "sur", "on"), escape(std::string(outcome))),
      tr(lang, "intervalle de confiance à 95 %", "95% confidence interval"), show(r.low),
      show(r.high),
      !r.conclusive   ? tr(lang, "Sans intervalle de confiance, l'effet n'est pas établi.",
                           "Without a confidence interval, the effect is not established.")
      : *r.conclusive ? tr(lang, "L'intervalle exclut zéro.", "The interval excludes zero.")
                      : tr(lang, "L'intervalle contient zéro : l'effet n'est pas établi.",
                           "The interval contains zero: the effect is not established."));
}

// A pre-test whose covariance is singular: said, with no statistic (as R's did declines).
std::string singular_text(int df, std::string_view lang) {
  return fmt::format(
      "{} ({} {})",
      tr(lang,
         "non calculable, la covariance des estimations avant traitement est singulière ; moins "
         "de périodes avant traitement ou davantage d'unités le rendraient possible",
         "not computed, the covariance of the pre-treatment estimates is singular; fewer "
         "pre-treatment periods or more units would make it possible"),
      df, tr(lang, "estimations", "estimates"));
}

void did_sections(std::string& h, const app::ImpactDid& r, std::string_view lang) {
  const auto& ag = r.aggregations;
  h += estimate_head(lang, tr(lang, "Agrégation", "Aggregation"));
  h += estimate_row(
      tr(lang, "Effet moyen sur les traités (simple)", "Average effect on the treated (simple)"),
      ag.simple, lang, kNone);
  h += estimate_row(
      tr(lang, "Moyenne des effets dynamiques (e ≥ 0)", "Mean of the dynamic effects (e ≥ 0)"),
      ag.dynamic, lang, kNone);
  h += estimate_row(tr(lang, "Moyenne des effets par cohorte", "Mean of the effects by cohort"),
                    ag.group, lang, kNone);
  h += estimate_row(tr(lang, "Moyenne des effets par année", "Mean of the effects by year"),
                    ag.calendar, lang, kNone);
  h += "</tbody></table>";
  h += reading_text(r.reading, outcome_name(r.outcome, lang), lang);
  const auto& pre = r.pretest;
  h += fmt::format("<p>{} : {}. {} : {} ; {} : {}.</p>",
                   tr(lang, "Test de Wald des tendances parallèles avant traitement",
                      "Wald pre-test of parallel trends"),
                   pre.warning
                       ? singular_text(pre.df, lang)
                       : fmt::format("χ²({}) = {}, p = {}", pre.df, number(num(pre.stat), 2, lang),
                                     pre.p ? number(*pre.p, 4, lang) : "—"),
                   tr(lang, "Unités", "Units"), number(static_cast<double>(r.data.units), 0, lang),
                   tr(lang, "écartées (panel incomplet)", "dropped (incomplete panel)"),
                   number(static_cast<double>(r.data.dropped_units), 0, lang));
  h += "</section>";
  h += fmt::format(
      "<section id=\"dynamic\"><h2>{}</h2><figure class=\"chart\">{}</figure>",
      tr(lang, "Effets selon le temps depuis le traitement", "Effects by time since treatment"),
      event_plot(
          tr(lang, "Effet par temps d'exposition e (années depuis l'entrée)",
             "Effect by event time e (years since entry)"),
          ag.dynamic.terms, [](const app::ImpactDidTerm& t) { return t.key; }, lang));
  h += estimate_head(lang, "e");
  for (const auto& t : ag.dynamic.terms) h += estimate_row(std::to_string(t.key), t, lang, kNone);
  h += fmt::format("</tbody></table><p class=\"muted\">{} {}.</p></section>",
                   tr(lang, "Bande uniforme à 95 % (bootstrap multiplicateur) : valeur critique",
                      "Uniform 95 % band (multiplier bootstrap): critical value"),
                   number(num(ag.dynamic.uniform_critical_value), 3, lang));
  h += fmt::format("<section id=\"groups\"><h2>{}</h2>",
                   tr(lang, "Effets par cohorte d'entrée", "Effects by entry cohort"));
  h += estimate_head(lang, tr(lang, "Cohorte", "Cohort"));
  for (const auto& t : ag.group.terms) h += estimate_row(std::to_string(t.key), t, lang, kNone);
  h += "</tbody></table></section>";
  h += fmt::format(
      "<section id=\"cells\"><h2>ATT(g,t)</h2><table><thead><tr><th>g</th><th>t</th><th "
      "class=\"num\">{}</th><th class=\"num\">{}</th>"
      "<th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
      tr(lang, "Estimation", "Estimate"), tr(lang, "Écart-type", "Std. error"),
      tr(lang, "Traités", "Treated"), tr(lang, "Témoins", "Controls"));
  for (const auto& c : r.cells) {
    const char* missing = c.treated ? kNone : kSecret;  // masked cells have no counts
    h += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        c.g, c.t, fig(c.estimate, 4, lang, missing), fig(c.se, 4, lang, missing),
        fig(c.treated, 0, lang), fig(c.controls, 0, lang));
  }
  h += "</tbody></table></section>";
}

// The DiD's robustness checks: the placebo and the effect without each cohort.
void robustness_section(std::string& h, const app::ImpactRobustness& r, std::string_view lang) {
  h += fmt::format("<section id=\"robustness\"><h2>{}</h2>",
                   tr(lang, "Robustesse de l'effet global", "Robustness of the overall effect"));
  h += estimate_head(lang, "");
  h += estimate_row(
      fmt::format("{} {} {}",
                  tr(lang, "Placebo : traitement avancé de", "Placebo: treatment moved"),
                  r.placebo_shift, tr(lang, "ans", "years earlier")),
      r.placebo, lang,
      r.placebo_note ? (lang == "en" ? "not estimable" : "non estimable") : kSecret);
  h += fmt::format(
      "</tbody></table><p class=\"muted\">{}</p>",
      tr(lang,
         "Le placebo avance chaque entrée et n'utilise que les années d'avant l'entrée réelle : "
         "un effet nettement non nul signale une tendance préalable ou une anticipation.",
         "The placebo moves every entry earlier and uses only the years before the true entry: "
         "a clearly non-zero effect points to a prior trend or anticipation."));
  h += estimate_head(lang, tr(lang, "Cohorte exclue", "Cohort left out"));
  for (const auto& x : r.leave_one_out)
    h += estimate_row(std::to_string(x.cohort), x, lang,
                      x.note ? (lang == "en" ? "not estimable" : "non estimable") : kSecret);
  h += "</tbody></table></section>";
}

// The effect by group and the test of their equality (by=).
void by_section(std::string& h, const app::ImpactBy& by, std::string_view lang) {
  static const std::map<std::string, std::pair<const char*, const char*>, std::less<>> kBy = {
      {"size_class", {"taille d'entreprise", "firm size class"}},
      {"sector", {"secteur (division NAF)", "sector (NAF division)"}},
      {"region", {"région", "region"}},
      {"cohort", {"cohorte d'entrée", "entry cohort"}},
      {"cluster", {"pôle", "pôle"}}};
  const auto it = kBy.find(by.variable);
  h += fmt::format("<section id=\"by\"><h2>{} {}</h2>", tr(lang, "Effet par", "Effect by"),
                   it == kBy.end() ? escape(by.variable)
                                   : std::string(tr(lang, it->second.first, it->second.second)));
  h += estimate_head(lang, tr(lang, "Groupe", "Group"));
  for (const auto& g : by.groups) {
    const bool failed = !g.estimate && g.note;
    // Size classes by their names; regions, sectors and pôles by their codes (the page names
    // them from the store).
    const std::string name = by.variable == "size_class" ? word("size_class", g.key, lang) : g.key;
    h += estimate_row(name, g, lang,
                      failed ? (lang == "en" ? "not estimable" : "non estimable") : kSecret);
  }
  const auto& eq = by.equality;
  h += fmt::format(
      "</tbody></table><p>{} : {}.</p>",
      tr(lang, "Test d'égalité des effets", "Test of equal effects"),
      eq.stat
          ? fmt::format("χ²({}) = {}, p = {}", eq.df, number(*eq.stat, 2, lang),
                        number(num(eq.p), 4, lang))
          : tr(lang, "non calculable (moins de deux groupes publiables, ou covariance singulière)",
               "not computed (fewer than two publishable groups, or a singular covariance)"));
  if (!eq.left_out.empty()) {
    std::string list;
    for (const auto& k : eq.left_out) list += (list.empty() ? "" : ", ") + k;
    h += fmt::format("<p class=\"muted\">{} : {}.</p>",
                     tr(lang, "Hors du test (masqués ou non estimables)",
                        "Left out of the test (masked or not estimable)"),
                     escape(list));
  }
  h += "</section>";
}

void event_sections(std::string& h, const app::ImpactEvent& r, std::string_view lang) {
  h += fmt::format("<figure class=\"chart\">{}</figure>",
                   event_plot(
                       tr(lang, "Coefficients avant et après le traitement",
                          "Coefficients before and after treatment"),
                       r.terms, [](const app::ImpactEventTerm& t) { return t.e; }, lang));
  h += estimate_head(lang, "e");
  for (const auto& t : r.terms) {
    // A masked term has no row count.
    h += estimate_row(std::to_string(t.e), t, lang, t.rows ? kNone : kSecret);
  }
  h += fmt::format(
      "</tbody></table><p class=\"muted\">{} {}.</p>",
      tr(lang, "Bande uniforme à 95 % sur tous les coefficients (sup-t) : valeur critique",
         "Uniform 95 % band over every coefficient (sup-t): critical value"),
      number(num(r.uniform_critical_value), 3, lang));
  h += fmt::format("<p>{} : {}.</p>",
                   tr(lang, "Test joint des coefficients avant traitement",
                      "Joint test of the pre-treatment coefficients"),
                   r.pretrend.warning ? singular_text(r.pretrend.df, lang)
                                      : fmt::format("F({}) = {}, p = {}", r.pretrend.df,
                                                    number(num(r.pretrend.f), 2, lang),
                                                    number(num(r.pretrend.p), 4, lang)));
  if (r.estimator != "sunab" || !r.att || !r.cohorts) {
    h += "</section>";
    return;
  }
  // Sun & Abraham: the ATT, its reading, the control cohort, and each cohort's effects.
  h += estimate_head(lang, "");
  h +=
      estimate_row(tr(lang, "Effet moyen après l'entrée (ATT)", "Average effect after entry (ATT)"),
                   *r.att, lang);
  h += "</tbody></table>";
  if (r.reading) h += reading_text(*r.reading, outcome_name(r.outcome, lang), lang);
  h += fmt::format(
      "<p>{}</p></section>",
      r.control_cohort && *r.control_cohort != 0
          ? fmt::format(fmt::runtime(tr(
                            lang,
                            "Sans entreprise jamais traitée, la cohorte {} sert de témoin jusqu'à "
                            "son entrée ; les années suivantes sont écartées.",
                            "Without never-treated firms, the {} cohort controls until its entry; "
                            "the later years are dropped.")),
                        *r.control_cohort)
          : tr(lang,
               "Les témoins sont les entreprises jamais traitées. Chaque coefficient par année "
               "relative e est la moyenne des effets des cohortes, pondérée par leurs "
               "observations à cette date.",
               "The controls are the never-treated firms. Each coefficient at relative period e "
               "is the average of the cohorts' effects weighted by their rows at that period."));
  h += fmt::format(
      "<section id=\"cohorts\"><h2>{}</h2><table><thead><tr><th>{}</th><th>e</th><th "
      "class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th "
      "class=\"num\">{}</th></tr></thead><tbody>",
      tr(lang, "Effets par cohorte d'entrée", "Effects by entry cohort"),
      tr(lang, "Cohorte", "Cohort"), tr(lang, "Estimation", "Estimate"),
      tr(lang, "Écart-type", "Std. error"), tr(lang, "Observations", "Rows"),
      tr(lang, "Poids", "Weight"));
  for (const auto& c : *r.cohorts) {
    h += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        c.g, c.e, fig(c.estimate, 4, lang), fig(c.se, 4, lang), fig(c.rows, 0, lang),
        fig(c.weight, 3, lang));
  }
  h += "</tbody></table></section>";
}

void ols_sections(std::string& h, const app::ImpactOls& r, std::string_view lang) {
  h += estimate_head(lang, tr(lang, "Variable", "Variable"));
  for (const auto& c : r.coefficients) h += estimate_row(c.name, c, lang);
  const std::string reading =
      r.reading ? reading_text(*r.reading,
                               outcome_name(r.outcome, lang) + " (" + r.reading->term + ")", lang)
                : "";
  if (r.estimator == "ppml") {
    // Coefficients in log points: e^b − 1 is the relative change of the expected count.
    h += fmt::format(
        "</tbody></table>{}<p>n = {} · {} {} · {} {} · {} {}</p><p>{}</p></section>", reading,
        number(static_cast<double>(r.n), 0, lang), tr(lang, "déviance", "deviance"),
        number(r.deviance.value_or(NAN), 1, lang), tr(lang, "pseudo-R²", "pseudo R²"),
        number(r.pseudo_r2.value_or(NAN), 4, lang),
        tr(lang, "lignes sans issue positive écartées", "rows without a positive outcome dropped"),
        number(static_cast<double>(r.perfect_fit.value_or(0)), 0, lang),
        tr(lang,
           "Les coefficients sont des écarts de logarithme du nombre attendu : un coefficient b "
           "correspond à une variation de (e^b − 1) × 100 %.",
           "Coefficients are differences in the log of the expected count: a coefficient b is a "
           "change of (e^b − 1) × 100 %."));
    return;
  }
  h += fmt::format("</tbody></table>{}<p>n = {} · RMSE {} · R² {} · {} {} · {} {}</p></section>",
                   reading, number(static_cast<double>(r.n), 0, lang), number(num(r.rmse), 4, lang),
                   number(num(r.r2), 4, lang), tr(lang, "R² ajusté", "adj. R²"),
                   number(num(r.adj_r2), 4, lang), tr(lang, "R² intra", "within R²"),
                   number(num(r.within_r2), 4, lang));
}

void match_sections(std::string& h, const app::ImpactMatch& r, std::string_view lang) {
  if (r.att) {
    h += estimate_head(lang, "");
    h += estimate_row(
        tr(lang, "Effet moyen sur les traités appariés", "Average effect on the matched treated"),
        *r.att, lang);
    h += "</tbody></table>";
    if (r.reading && r.outcome) h += reading_text(*r.reading, outcome_name(*r.outcome, lang), lang);
  }
  h +=
      fmt::format("<p>{} : {} / {} · {} : {} / {}</p></section>",
                  tr(lang, "Traités appariés", "Treated matched"), r.treated_matched, r.treated,
                  tr(lang, "Témoins appariés", "Controls matched"), r.controls_matched, r.controls);
  std::vector<Bar> bars;
  for (const auto& b : r.balance) {
    bars.push_back({b.name + tr(lang, " (avant)", " (before)"), num(b.smd), "#bbbbbb"});
    bars.push_back({b.name + tr(lang, " (après)", " (after)"), num(b.matched_smd), "#000091"});
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
  for (const auto& b : r.balance) {
    h += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td></tr>",
        escape(b.name), fig(b.mean_treated, 3, lang), fig(b.mean_control, 3, lang),
        fig(b.smd, 3, lang, kNone), fig(b.matched_mean_treated, 3, lang),
        fig(b.matched_mean_control, 3, lang), fig(b.matched_smd, 3, lang, kNone));
  }
  h += "</tbody></table></section>";
}

}  // namespace

std::string impact_report_title(const app::ImpactEstimate& r, std::string_view lang) {
  return fmt::format("{} — {}", tr(lang, "Évaluation d'impact", "Impact evaluation"),
                     outcome_name(r.outcome(), lang));
}

std::string impact_report_html(const app::ImpactEstimate& r, std::string_view lang) {
  const std::string title = impact_report_title(r, lang);
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
                              lang, escape(title), escape(estimator_name(r.estimator(), lang)),
                              tr(lang, "Document produit par Pôles le", "Produced by Pôles on"),
                              today_utc().to_string());
  // Key figures.
  h += fmt::format("<section id=\"key\"><h2>{}</h2>",
                   tr(lang, "Résultats principaux", "Main results"));
  if (r.did) {
    did_sections(h, *r.did, lang);
    if (r.did->robustness) robustness_section(h, *r.did->robustness, lang);
    if (r.did->by) by_section(h, *r.did->by, lang);
  } else if (r.event) {
    event_sections(h, *r.event, lang);
    if (r.event->by) by_section(h, *r.event->by, lang);
  } else if (r.ols) {
    ols_sections(h, *r.ols, lang);
    if (r.ols->by) by_section(h, *r.ols->by, lang);
  } else if (r.match) {
    match_sections(h, *r.match, lang);
    if (r.match->by) by_section(h, *r.match->by, lang);
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
         "chiffre d'affaires ; Ben Hassine et Mathieu (<span translate=\"no\">France "
         "Stratégie</span>, 2017) un effet de levier "
         "sur la R&D autofinancée à partir de 2009, +6,5 chercheurs et +2 brevets par membre en "
         "2012, sans effet sur l'emploi.",
         "Benchmarks: Bellégo and Dortet-Bernadet (Insee, 2014) find +€116k of R&D (+7.3 %) for "
         "member SMEs and mid-caps in 2009 against matched non-members, with no effect on "
         "turnover; Ben Hassine and Mathieu (<span translate=\"no\">France Stratégie</span>, "
         "2017) a leverage effect on "
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
