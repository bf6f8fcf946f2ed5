#include "report/cluster_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/date.h"
#include "evaluate/indicators.h"
#include "report/html.h"
#include "report/vocabulary.h"

namespace poles::report {

namespace {

// A missing value as NaN (number() writes it as a dash), also when the value itself is absent.
using report::num;
double num(const std::optional<double>* v) { return v != nullptr ? num(*v) : NAN; }

// A value of an indicator: a share in per cent, else a number with two decimals.
std::string figure(const std::string& indicator, double v, std::string_view lang) {
  const int i = evaluate::indicator_index(indicator);
  const bool share = i >= 0 && evaluate::indicator_defs()[static_cast<size_t>(i)].unit == "share";
  return share ? number(100 * v, 0, lang) + "\u00a0%" : number(v, 2, lang);
}

// The method as the header names it: its title in the report's language, else its name.
std::string method_title(const app::EvaluationMethodInfo& m, std::string_view lang) {
  const std::string& title = lang == "fr" ? m.title_fr : m.title_en;
  if (!title.empty() && title != m.name) return escape(title);
  return fmt::format("{} « {} »", tr(lang, "méthode", "method"), escape(m.name));
}

// A code in the report's language (web/vocab.json, the dashboard's words).
std::string word_of(std::string_view kind, std::string_view code, std::string_view lang) {
  return word(kind, code, lang);
}

// The cluster over the years of its label phase up to the year reported: each year's rank,
// interval, rating, action, criteria and targets; over the phase its median rank, trend and
// consistency, and the change of each indicator.
std::string phase_section(const app::PhaseCluster& p, std::string_view lang) {
  const int from = p.years.front().year, to = p.years.back().year;
  std::string h = from == to ? fmt::format("<section id=\"phase\"><h2>{} {} ({})</h2>",
                                           tr(lang, "La phase :", "The phase:"), to,
                                           tr(lang, "seule année évaluée de la phase à ce jour",
                                              "the only year of the phase evaluated so far"))
                             : fmt::format("<section id=\"phase\"><h2>{} {}–{}</h2>",
                                           tr(lang, "La phase", "The phase"), from, to);
  std::vector<std::string> said;
  if (!p.rating.empty())
    said.push_back(fmt::format(
        "{} {}{}{} {} {} {} {}", tr(lang, "noté", "rated"), tr(lang, "«\u00a0", "“"),
        escape(word_of("rating", p.rating, lang)), tr(lang, "\u00a0»", "”"), p.years_rated,
        tr(lang, "année(s) sur", "year(s) of"), p.years.size(), tr(lang, "évaluées", "evaluated")));
  if (p.median_rank && p.best_rank == p.worst_rank)
    said.push_back(fmt::format("{} {}", tr(lang, "rang", "rank"), p.best_rank));
  else if (p.median_rank)
    said.push_back(fmt::format(
        "{} {} ({} {} {} {})", tr(lang, "rang médian", "median rank"),
        number(*p.median_rank, std::floor(*p.median_rank) == *p.median_rank ? 0 : 1, lang),
        tr(lang, "du", "from"), p.best_rank, tr(lang, "au", "to"), p.worst_rank));
  if (p.rank_slope)
    said.push_back(fmt::format(
        "{} {} ({} {} {})", tr(lang, "tendance", "trend"), escape(word_of("trend", p.trend, lang)),
        number(*p.rank_slope, 1, lang), tr(lang, "rang", "rank"), tr(lang, "par an", "a year")));
  said.push_back(fmt::format("{} {} {} ; {} {} {}",
                             tr(lang, "tous les critères atteints", "every criterion met"),
                             p.years_all_criteria_met, tr(lang, "année(s)", "year(s)"),
                             tr(lang, "tous les objectifs du contrat", "every contract target"),
                             p.years_all_targets_met, tr(lang, "année(s)", "year(s)")));
  if (p.consistency != "not_rated")
    said.push_back(fmt::format("{} {}", tr(lang, "profil", "profile"),
                               escape(word_of("consistency", p.consistency, lang))));
  std::string sentence;
  for (const auto& x : said) sentence += (sentence.empty() ? "" : tr(lang, "\u202f; ", "; ")) + x;
  h += fmt::format("<p>{}.</p>", sentence);
  h += fmt::format(
      "<table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th>"
      "<th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead>"
      "<tbody>",
      tr(lang, "Année", "Year"), tr(lang, "Rang", "Rank"), tr(lang, "Intervalle", "Interval"),
      tr(lang, "Notation", "Rating"), tr(lang, "Action", "Action"),
      tr(lang, "Critères non atteints", "Criteria failed"),
      tr(lang, "Objectifs atteints", "Targets met"), tr(lang, "Source", "Source"));
  for (const auto& y : p.years) {
    h += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
        y.year, y.rank > 0 ? fmt::format("{} / {}", y.rank, y.clusters) : "—",
        y.rank > 0 ? fmt::format("{}–{}", number(y.rank_interval.p05, 0, lang),
                                 number(y.rank_interval.p95, 0, lang))
                   : "—",
        y.rating.empty() ? "—" : escape(word_of("rating", y.rating, lang)), y.action_level,
        y.criteria_known > 0 ? fmt::format("{} / {}", y.criteria_failed, y.criteria_known) : "—",
        y.targets_known > 0 ? fmt::format("{} / {}", y.targets_met, y.targets_known) : "—",
        y.published ? tr(lang, "évaluation publiée", "published evaluation")
                    : tr(lang, "calculée sur les données du jour", "computed on today's data"));
  }
  h += "</tbody></table>";
  // The indicators that moved, from the first to the last year with a value.
  std::string rows;
  for (const auto& c : p.indicators) {
    if (!c.per_year || c.from_year == c.to_year) continue;
    const bool points = c.kind == "points";
    rows += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{} ({})</td><td class=\"num\">{} ({})</td>"
        "<td class=\"num\">{}</td></tr>",
        escape(word_of("indicator", c.indicator, lang)), figure(c.indicator, *c.first, lang),
        c.from_year, figure(c.indicator, *c.last, lang), c.to_year,
        points
            ? fmt::format("{} {}", number(100 * *c.per_year, 1, lang), tr(lang, "points", "points"))
            : number(100 * *c.per_year, 1, lang) + "\u00a0%");
  }
  if (!rows.empty())
    h += fmt::format(
        "<h3>{}</h3><table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}"
        "</th><th class=\"num\">{}</th></tr></thead><tbody>{}</tbody></table>",
        tr(lang, "Évolution des indicateurs sur la phase", "The indicators over the phase"),
        tr(lang, "Indicateur", "Indicator"), tr(lang, "Début", "First"), tr(lang, "Fin", "Last"),
        tr(lang, "Par an", "A year"), rows);
  return h + "</section>";
}

// The State's decision of an earlier year and its follow-up in this year's evaluation.
std::string decision_section(const app::EvaluationDecision& d, int year, std::string_view lang) {
  std::string h = fmt::format("<section id=\"decision\"><h2>{} {}</h2>",
                              tr(lang, "Décision de l'État après l'évaluation de",
                                 "The State's decision after the evaluation of"),
                              d.year);
  h += fmt::format("<p class=\"level\">{} : {} — {}</p><p>{}</p>",
                   tr(lang, "Niveau décidé", "Level decided"), d.level,
                   escape(word_of("action_level", std::to_string(d.level), lang)), escape(d.text));
  h += fmt::format("<p>{} : {} ; {} : {}.</p>", tr(lang, "Échéance", "Deadline"),
                   escape(d.deadline), tr(lang, "suivi par", "followed by"), escape(d.owner));
  h += d.answer ? fmt::format("<p>{} : {}</p>", tr(lang, "Réponse du pôle", "The cluster's answer"),
                              escape(*d.answer))
                : fmt::format("<p class=\"muted\">{}</p>", tr(lang, "Le pôle n'a pas répondu.",
                                                              "The cluster has not answered."));
  h += fmt::format("<p><strong>{} {} : {}</strong></p>", tr(lang, "Suite en", "Follow-up in"), year,
                   escape(word_of("follow_up", d.follow_up, lang)));
  if (!d.triggers.empty()) {
    h += fmt::format(
        "<table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>"
        "<th>{}</th></tr></thead><tbody>",
        tr(lang, "Ce qui l'a motivée", "What triggered it"), d.year, year,
        tr(lang, "Suite", "Follow-up"));
    for (const auto& t : d.triggers) {
      const std::string what =
          t.kind == "target"
              ? fmt::format("{} {} ({} {})", tr(lang, "Objectif du contrat :", "Contract target:"),
                            word_of("indicator", t.indicator, lang), tr(lang, "objectif", "target"),
                            t.threshold ? figure(t.indicator, *t.threshold, lang) : "—")
              : (lang == "fr" ? t.text_fr : t.text_en);
      h += fmt::format(
          "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
          escape(what), figure(t.indicator, t.value ? *t.value : NAN, lang),
          figure(t.indicator, t.value_after ? *t.value_after : NAN, lang),
          escape(word_of("follow_up", t.outcome, lang)));
    }
    h += "</tbody></table>";
  }
  return h + "</section>";
}

// The label phase of each of `ids` up to the year of `ev`: the earlier years' evaluations from
// the store (published; also computed on `s` with 500 draws when `drafts`), then `ev` (the
// draft, or when not `drafts` the evaluation being published).
Result<std::map<std::string, app::PhaseCluster>> phases_of(const snapshot::Snapshot& s,
                                                           store::Store& store,
                                                           const app::YearEvaluation& ev,
                                                           const std::vector<std::string>& ids,
                                                           bool drafts) {
  std::map<int, std::vector<std::string>> by_start;
  for (const auto& id : ids) by_start[app::phase_start(s, id, ev.year)].push_back(id);
  std::map<std::string, app::PhaseCluster> out;
  if (by_start.empty()) return out;
  app::PhaseYears earlier;
  if (by_start.begin()->first < ev.year) {
    POLES_ASSIGN_OR_RETURN(
        earlier,
        app::phase_years(s, store, by_start.begin()->first, ev.year - 1, ev.method.name, 500,
                         ev.uncertainty.seed <= 2147483647
                             ? std::optional(static_cast<int>(ev.uncertainty.seed))
                             : std::nullopt,
                         drafts));
  }
  for (const auto& [start, group] : by_start) {
    std::vector<app::YearEvaluation> years;
    std::vector<bool> published;
    for (size_t i = 0; i < earlier.evaluations.size(); ++i) {
      if (earlier.evaluations[i].year < start) continue;
      years.push_back(earlier.evaluations[i]);
      published.push_back(earlier.published[i]);
    }
    years.push_back(ev);
    published.push_back(!drafts);  // a publication's reports: this year is the published one
    const auto phase = app::phase_of(years, published);
    for (const auto& id : group) {
      if (const auto* p = phase.find(id)) out.emplace(id, *p);
    }
  }
  return out;
}

}  // namespace

std::string cluster_report_title(const app::EvaluatedCluster& cluster, int year,
                                 std::string_view lang) {
  return fmt::format("{} — {} — {}", tr(lang, "Rapport d'évaluation", "Evaluation report"),
                     cluster.name, year);
}

std::string cluster_report_html(const app::YearEvaluation& ev, const std::string& id,
                                const app::IndicatorTrends& trends,
                                const app::AssessmentsView& assessments, std::string_view lang,
                                const app::EvaluationDecision* decision,
                                const app::PhaseCluster* phase) {
  const app::EvaluatedCluster* cp = ev.find(id);
  if (cp == nullptr) return {};
  const app::EvaluatedCluster& c = *cp;
  const int year = ev.year;
  const std::string title = cluster_report_title(c, year, lang);
  const size_t n = ev.clusters.size();
  std::string h = fmt::format(R"(<!doctype html>
<html lang="{}"><head><meta charset="utf-8"><title>{}</title>
<style>
@page {{ size: A4; margin: 14mm 12mm; }}
body {{ font-family: "DejaVu Sans", Marianne, Arial, sans-serif; color: #161616; font-size: 10pt; margin: 0 auto; max-width: 186mm; }}
h1 {{ font-size: 18pt; color: #000091; margin: 0 0 2mm; }}
h2 {{ font-size: 13pt; color: #000091; border-bottom: 2px solid #000091; padding-bottom: 1mm; margin: 6mm 0 2mm; break-after: avoid; }}
.muted {{ color: #666; }} .kpis {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 3mm; }}
.kpi {{ border: 1px solid #ddd; padding: 2mm; }} .kpi b {{ display: block; font-size: 13pt; color: #000091; }}
table {{ border-collapse: collapse; width: 100%; margin: 2mm 0; table-layout: fixed; font-size: 8.5pt; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.8mm 1mm; text-align: left; overflow-wrap: anywhere; }} th {{ background: #f5f5fe; }}
td.num, th.num {{ text-align: right; }} tr {{ break-inside: avoid; }} figure.chart {{ margin: 2mm 0; break-inside: avoid; }}
figcaption {{ font-size: 9pt; color: #444; }} svg {{ max-width: 100%; height: auto; }}
.level {{ font-size: 12pt; font-weight: bold; color: #e1000f; }}
</style></head><body>
<header><h1>{}</h1><p class="muted">{} {} · {}</p></header>
)",
                              lang, escape(title), escape(title),
                              tr(lang, "Document produit par Pôles le", "Produced by Pôles on"),
                              today_utc().to_string(), method_title(ev.method, lang));
  // Key figures.
  h += fmt::format("<section id=\"key\"><h2>{}</h2><div class=\"kpis\">",
                   tr(lang, "Synthèse", "Summary"));
  auto kpi = [&](const std::string& label, const std::string& value) {
    h += fmt::format("<div class=\"kpi\"><b>{}</b>{}</div>", value, escape(label));
  };
  if (ev.ranked) {
    kpi(tr(lang, "Rang", "Rank"), fmt::format("{} / {}", c.rank, n));
    kpi(tr(lang, "Intervalle de rang 5–95 %", "Rank interval 5–95%"),
        fmt::format("{}–{}", number(c.rank_interval.p05, 0, lang),
                    number(c.rank_interval.p95, 0, lang)));
    kpi(tr(lang, "Notation", "Rating"),
        c.rating.empty() ? "—" : escape(word_of("rating", c.rating, lang)));
    kpi(fmt::format("{} ({})", tr(lang, "Rang parmi les pairs", "Rank among peers"),
                    word_of("peer_group", c.peer_group, lang)),
        std::to_string(c.peer_rank));
    h += "</div>";
  } else {
    h += "</div>";
    h += fmt::format(
        "<p>{}</p>",
        lang == "fr"
            ? fmt::format("{} pôle(s) labellisé(s) en {} : trop peu pour un classement (il en faut "
                          "3). Le pôle est lu par rapport à lui-même — l'année précédente et les "
                          "objectifs de son contrat.",
                          n, ev.year)
            : fmt::format("{} cluster(s) labelled in {}: too few to rank (a ranking needs 3). The "
                          "cluster is read against itself — the year before and its contract's "
                          "targets.",
                          n, ev.year));
  }
  const bool fr = lang == "fr" && !c.action.action_fr.empty();
  h += fmt::format("<p class=\"level\">{} : {} — {}</p><ul>",
                   tr(lang, "Action proposée", "Proposed action"), c.action.level,
                   escape(fr ? c.action.action_fr : c.action.action));
  for (const auto& r : fr ? c.action.reasons_fr : c.action.reasons)
    h += fmt::format("<li>{}</li>", escape(r));
  h += "</ul>";
  // The method's absolute criteria: what the cluster is held to, whatever the others do.
  if (!c.criteria.empty()) {
    h += fmt::format("<h3>{}</h3><ul class=\"criteria\">",
                     tr(lang, "Critères absolus de la méthode", "The method's absolute criteria"));
    for (const auto& k : c.criteria) {
      const char* mark = !k.met ? "?" : *k.met ? "✓" : "✗";
      const std::string word = !k.met   ? tr(lang, "inconnu", "unknown")
                               : *k.met ? tr(lang, "atteint", "met")
                                        : tr(lang, "non atteint", "not met");
      h += fmt::format("<li>{} {} — {}</li>", mark, escape(lang == "fr" ? k.text_fr : k.text_en),
                       word);
    }
    h += "</ul>";
  }
  h += "</section>";

  // Without a ranking, the cluster against itself: its indicators the year before and now.
  if (!ev.ranked) {
    h += fmt::format(
        "<section id=\"self\"><h2>{}</h2><table><thead><tr><th>{}</th><th "
        "class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        tr(lang, "Indicateurs, l'année précédente et cette année",
           "Indicators, the year before and this year"),
        tr(lang, "Indicateur", "Indicator"), year - 1, year);
    for (size_t i = 0; i < c.indicators.items.size(); ++i) {
      const auto& [indicator, v] = c.indicators.items[i];
      h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                       escape(word_of("indicator", indicator, lang)),
                       number(num(c.previous_indicators.items[i].second), 2, lang),
                       number(num(v), 2, lang));
    }
    h += "</tbody></table></section>";
  }

  // Pillars against peers (none without a ranking: no composite).
  if (ev.ranked) {
    const auto group = ev.peers.find(c.peer_group);
    const tj::OrderedFields<std::optional<double>> none;
    const auto& peer = group != ev.peers.end() ? group->second.pillars : none;
    std::vector<Bar> bars;
    h += fmt::format(
        "<section id=\"pillars\"><h2>{}</h2><table><thead><tr><th>{}</th><th "
        "class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        tr(lang, "Piliers", "Pillars"), tr(lang, "Pilier", "Pillar"), tr(lang, "Pôle", "Cluster"),
        tr(lang, "Moyenne des pairs", "Peers' mean"));
    for (const auto& [p, v] : c.pillars.items) {
      const double mine = num(v), theirs = num(peer.find(p));
      h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                       escape(word_of("pillar", p, lang)), number(mine, 3, lang),
                       number(theirs, 3, lang));
      bars.push_back(
          {word_of("pillar", p, lang), mine - theirs, mine >= theirs ? "#18753c" : "#e1000f"});
    }
    h += "</tbody></table>";
    h += bar_chart(tr(lang, "Écart de chaque pilier à la moyenne des pairs",
                      "Gap of each pillar to the peers' mean"),
                   bars, lang, 0, true);
    h += "</section>";
  }

  // Trends of three headline indicators.
  h += fmt::format("<section id=\"trends\"><h2>{}</h2>",
                   tr(lang, "Évolution d'indicateurs clés", "Key indicators over time"));
  for (const char* id_ : {"members", "projects_labelled", "private_funding_share"}) {
    const app::IndicatorTrendSeries* s = trends.find(id_);
    if (s == nullptr) continue;
    LineSeries mine{c.name, "#000091", {}, false},
        peers{tr(lang, "Médiane des pairs", "Peers' median"), "#e1000f", {}, true};
    // The national figure the State published (national_figure), when the store holds it.
    const std::string statistic = s->national_statistic.value_or("median");
    LineSeries national{statistic == "mean" ? tr(lang, "Moyenne nationale", "National mean")
                                            : tr(lang, "Médiane nationale", "National median"),
                        "#6a6af4",
                        {},
                        true};
    for (size_t y = 0; y < trends.years.size(); ++y) {
      const double x = trends.years[y];
      // A share is drawn in per cent, as its unit says.
      const double k = s->unit == "share" ? 100 : 1;
      if (s->values[y]) mine.points.push_back({x, k * *s->values[y], 0, 0, false});
      if (s->peer_median[y]) peers.points.push_back({x, k * *s->peer_median[y], 0, 0, false});
      if (s->national[y]) national.points.push_back({x, k * *s->national[y], 0, 0, false});
    }
    std::vector<LineSeries> lines = {mine, peers};
    if (!national.points.empty()) lines.push_back(national);
    h += line_chart(
        fmt::format("{} ({})", word_of("indicator", id_, lang), word_of("unit", s->unit, lang)),
        lines, lang, 640, 200);
  }
  h += "</section>";

  // Contract.
  h += fmt::format("<section id=\"contract\"><h2>{} {}</h2>",
                   tr(lang, "Contrat de performance", "Performance contract"), year);
  if (c.targets.empty()) {
    h += fmt::format("<p class=\"muted\">{}</p>",
                     tr(lang, "Aucun objectif pour cette année.", "No target for this year."));
  } else {
    h += fmt::format(
        "<table><thead><tr><th>{}</th><th class=\"num\">{}</th><th "
        "class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
        tr(lang, "Indicateur", "Indicator"), tr(lang, "Objectif", "Target"),
        tr(lang, "Réalisé", "Achieved"), tr(lang, "Atteint", "Met"));
    for (const auto& t : c.targets) {
      h += fmt::format(
          "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
          escape(word_of("indicator", t.indicator, lang)), figure(t.indicator, t.target, lang),
          figure(t.indicator, num(t.value), lang),
          !t.met   ? "?"
          : *t.met ? "✓"
                   : "✗");
    }
    h += "</tbody></table>";
  }
  h += fmt::format(
      "<p>{} : {}.</p></section>",
      tr(lang, "Années consécutives sous le seuil", "Consecutive years below the threshold"),
      c.consecutive_misses);

  // The cluster over its label phase.
  if (phase != nullptr && !phase->years.empty()) h += phase_section(*phase, lang);

  // The State's decision after an earlier evaluation, and what became of its triggers.
  if (decision != nullptr) h += decision_section(*decision, year, lang);

  // Qualitative assessment.
  h += fmt::format(
      "<section id=\"qualitative\"><h2>{}</h2>",
      tr(lang, "Évaluation qualitative (grille ESCA)", "Qualitative assessment (ESCA grid)"));
  if (const app::AssessedCluster* a = assessments.find(id)) {
    h += fmt::format(
        "<table><thead><tr><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
        tr(lang, "Domaine", "Area"), tr(lang, "Note moyenne (0–4)", "Mean score (0–4)"),
        tr(lang, "Justifications", "Justifications"));
    for (const auto& [area, v] : a->areas.items) {
      std::string why;
      for (const auto& sc : v.scores)
        why += fmt::format("{}{} ({}) : {}", why.empty() ? "" : " — ", escape(sc.evaluator),
                           sc.score, escape(sc.justification));
      h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"why\">{}</td></tr>",
                       escape(word_of("esca", area, lang)), number(v.mean, 1, lang), why);
    }
    h += "</tbody></table>";
  } else {
    h += fmt::format("<p class=\"muted\">{}</p>",
                     tr(lang, "Pas d'évaluation qualitative cette année.",
                        "No qualitative assessment this year."));
  }
  h += "</section>";

  // Method appendix.
  h += fmt::format(
      "<section id=\"method\"><h2>{}</h2><p>{}</p><ul>",
      tr(lang, "Annexe : méthode", "Appendix: method"),
      escape(lang == "fr" && !ev.method.description_fr.empty() ? ev.method.description_fr
                                                               : ev.method.description));
  h += fmt::format("<li>{} : {}.</li>", tr(lang, "Indicateurs", "Indicators"),
                   ev.method.indicators.size());
  if (!ev.ranked) {
    h += fmt::format("<li>{}</li></ul>",
                     tr(lang,
                        "Sans classement (moins de 3 pôles labellisés) : ni composite, ni "
                        "intervalle de rang, ni analyse de sensibilité.",
                        "No ranking (fewer than 3 clusters labelled): no composite, rank "
                        "interval or sensitivity analysis."));
    h += "</section></body></html>\n";
    return h;
  }
  h += fmt::format(
      "<li>{}</li>",
      tr(lang,
         "Incertitude : Monte-Carlo sur la normalisation, l'agrégation, l'imputation, le "
         "traitement des valeurs extrêmes et les poids ; rang médian et intervalle de 5 à 95 %.",
         "Uncertainty: Monte Carlo over normalisation, aggregation, imputation, outlier treatment "
         "and weights; median rank and 5–95% interval."));
  h += fmt::format("<li>{} : {} ; {} {}.</li>", tr(lang, "Tirages", "Draws"), ev.uncertainty.draws,
                   tr(lang, "graine", "seed"), ev.uncertainty.seed);
  h += "</ul><table><thead><tr><th>" + tr(lang, "Choix", "Choice") +
       "</th><th class=\"num\">S</th><th class=\"num\">ST</th></tr></thead><tbody>";
  for (const auto& s : ev.sensitivity.indices) {
    h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                     escape(word_of("sensitivity_input", s.input, lang)),
                     number(s.first_order, 2, lang), number(s.total, 2, lang));
  }
  h += "</tbody></table></section></body></html>\n";
  return h;
}

Result<std::pair<std::string, std::string>> cluster_report(const snapshot::Snapshot& s,
                                                           const std::string& cluster,
                                                           const app::Params& p,
                                                           const std::string& lang, bool allow_path,
                                                           store::Store* decisions_from) {
  if (s.table("cluster").find(cluster) < 0)
    return Status::not_found(fmt::format("no cluster '{}'", cluster));
  // The evaluation's parameters among those given (the document's own, format, lang or output,
  // are the caller's), checked as the evaluation's; a report draws 2,000 times and runs the
  // Sobol analysis with n = 200 unless told otherwise.
  app::Params given;
  for (const auto& spec : app::evaluation_params()) {
    if (const auto it = p.find(spec.name); it != p.end()) given.insert(*it);
  }
  given.try_emplace("draws", "2000");
  given.try_emplace("sobol_n", "200");
  POLES_ASSIGN_OR_RETURN(const auto args, app::parse(app::evaluation_params(), given));
  POLES_ASSIGN_OR_RETURN(const auto ev, app::evaluation(s, args, allow_path));
  const app::EvaluatedCluster* mine = ev.find(cluster);
  if (mine == nullptr)
    return Status::not_found(
        fmt::format("cluster '{}' is not labelled in {}: no evaluation", cluster, ev.year));
  // Ten years of trends (from 2005 at the earliest, the first year of the data model).
  POLES_ASSIGN_OR_RETURN(
      const auto trend_args,
      app::parse(app::trends_params(), {{"from", std::to_string(std::max(ev.year - 9, 2005))},
                                        {"to", std::to_string(ev.year)}}));
  POLES_ASSIGN_OR_RETURN(const auto trends, app::indicator_trends(s, cluster, trend_args));
  POLES_ASSIGN_OR_RETURN(const auto qual_args, app::parse(app::assessments_params(),
                                                          {{"year", std::to_string(ev.year)}}));
  const auto qual = app::assessments_view(s, qual_args);
  std::map<std::string, app::EvaluationDecision> decisions;
  std::map<std::string, app::PhaseCluster> phases;
  if (decisions_from != nullptr) {
    POLES_ASSIGN_OR_RETURN(decisions,
                           app::decisions_before(*decisions_from, ev.year, tj::to_json(ev)));
    POLES_ASSIGN_OR_RETURN(phases, phases_of(s, *decisions_from, ev, {cluster}, true));
  }
  const auto decision = decisions.find(cluster);
  const auto phase = phases.find(cluster);
  return std::pair{cluster_report_title(*mine, ev.year, lang),
                   cluster_report_html(ev, cluster, trends, qual, lang,
                                       decision != decisions.end() ? &decision->second : nullptr,
                                       phase != phases.end() ? &phase->second : nullptr)};
}

Result<std::vector<app::PublishedReport>> cluster_reports(const snapshot::Snapshot& s,
                                                          const app::YearEvaluation& ev,
                                                          store::Store* store) {
  std::map<std::string, app::EvaluationDecision> decisions;
  std::map<std::string, app::PhaseCluster> phases;
  if (store != nullptr) {
    POLES_ASSIGN_OR_RETURN(decisions, app::decisions_before(*store, ev.year, tj::to_json(ev)));
    std::vector<std::string> ids;
    for (const auto& c : ev.clusters) ids.push_back(c.cluster);
    POLES_ASSIGN_OR_RETURN(phases, phases_of(s, *store, ev, ids, false));
  }
  POLES_ASSIGN_OR_RETURN(const auto qual_args, app::parse(app::assessments_params(),
                                                          {{"year", std::to_string(ev.year)}}));
  const auto qual = app::assessments_view(s, qual_args);
  POLES_ASSIGN_OR_RETURN(
      const auto trend_args,
      app::parse(app::trends_params(), {{"from", std::to_string(std::max(ev.year - 9, 2005))},
                                        {"to", std::to_string(ev.year)}}));
  std::vector<app::PublishedReport> out;
  for (const auto& c : ev.clusters) {
    POLES_ASSIGN_OR_RETURN(const auto trends, app::indicator_trends(s, c.cluster, trend_args));
    const auto decision = decisions.find(c.cluster);
    const auto phase = phases.find(c.cluster);
    for (const char* lang : {"fr", "en"})
      out.push_back({c.cluster, lang,
                     cluster_report_html(ev, c.cluster, trends, qual, lang,
                                         decision != decisions.end() ? &decision->second : nullptr,
                                         phase != phases.end() ? &phase->second : nullptr)});
  }
  return out;
}

}  // namespace poles::report
