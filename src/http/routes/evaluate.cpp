// The shared evaluation method: the indicator catalogue, one year's evaluation (ranking with
// rank intervals, ratings, compliance, actions), a cluster's trends, the qualitative
// assessments and the characterisation; the publication of a year's evaluation to the
// evaluated.
#include "app/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "app/access.h"
#include "app/decisions.h"
#include "app/phase.h"
#include "evaluate/run.h"
#include "http/router.h"
#include "http/routes/documents.h"
#include "http/services.h"
#include "report/cluster_report.h"

namespace poles::http {

bool reads_every_evaluation(app::Role role) {
  const auto rels = app::granted(role, "evaluation", app::Op::kRead);
  return std::find(rels.begin(), rels.end(), app::Relation::kAny) != rels.end();
}

namespace {

// The evaluation's parameters but the year (the publication's path names it).
const app::ParamSpecs& publication_params() {
  static const app::ParamSpecs k = [] {
    app::ParamSpecs out;
    for (const auto& spec : app::evaluation_params())
      if (spec.name != "year") out.push_back(spec);
    return out;
  }();
  return k;
}

// A year named in a path (1900–2100), or nothing.
std::optional<int> path_year(const std::string& text) {
  int year = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || end != text.data() + text.size() || year < 1900 || year > 2100)
    return std::nullopt;
  return year;
}

Status not_a_year(const std::string& text) {
  return Status::invalid_argument(fmt::format("'{}' is not a year", text));
}

struct WithdrawnDecision {
  int year = 0;
  std::string cluster;
  bool withdrawn = true;
};
POLES_JSON(WithdrawnDecision, year, cluster, withdrawn)

// The published evaluation of a year, with only the clusters the caller may read.
void published_evaluation(Ctx& c, int year) {
  auto ev = app::published_evaluation(*c.store, year);
  if (!ev) return c.fail(ev.error());
  if (!*ev)
    return c.fail(Status::not_found(fmt::format("the evaluation of {} is not published", year)));
  tj::Json out = **ev;
  // Publications made before evaluations without ranking existed were all ranked.
  if (!out.contains("ranked")) out["ranked"] = true;
  // How many clusters the evaluation covers, before the reader's own are kept: "rank 12 of 55".
  out["evaluated"] = out["clusters"].size();
  tj::Json mine = tj::Json::array();
  const app::QueryFn q = app::query_on(*c.store);
  for (const auto& cluster : out["clusters"]) {
    auto ok = app::may_read_evaluation(q, c.user(), year, cluster["cluster"].get<std::string>());
    if (!ok) return c.fail(ok.error());
    if (*ok) mine.push_back(cluster);
  }
  out["clusters"] = std::move(mine);
  if (!reads_every_evaluation(c.user().role) && out.contains("peers")) {
    // Publications made before small peer groups were withheld at publication
    // (app::withhold_small_peer_groups) still hold them: not shown.
    for (auto it = out["peers"].begin(); it != out["peers"].end();) {
      if ((*it)["clusters"].get<int>() < app::kMinPublishedPeerGroup) {
        it = out["peers"].erase(it);
      } else {
        ++it;
      }
    }
  }
  c.reply(200, out);
}

}  // namespace

void add_evaluate_routes(Router& r, Services&) {
  // The draft ranking and actions are for the State, the evaluators and the administrators; a
  // published year's results for the clusters in scope of regions and cluster managers; a
  // cluster's trends for the State, evaluators, its manager and its region (docs/access.md,
  // cluster_trends); the catalogue for every account.
  r.get("/api/v1/evaluate/indicators",
        "The indicator catalogue (id, pillar, unit, direction, formula)", "evaluate")
      .authenticated()
      .returns<app::IndicatorCatalogue>()
      .handle([](Ctx& c) { c.reply(200, app::indicator_catalogue()); });
  r.get("/api/v1/evaluate",
        "One year's evaluation: ranking with rank intervals, pillars, peers, ratings, compliance, "
        "actions, sensitivity (regions and cluster managers: the published one, their clusters "
        "only)",
        "evaluate")
      .may(app::Op::kRead, "evaluation")
      .params(app::evaluation_params())
      .cached()
      .returns<app::YearEvaluation>()
      .handle([](Ctx& c) {
        if (!reads_every_evaluation(c.user().role))
          return published_evaluation(c, static_cast<int>(c.args.integer("year")));
        c.view([&](const auto& s) { return app::evaluation(s, c.args); });
      });
  r.get("/api/v1/evaluate/publications", "The years whose evaluation is published, by whom, when",
        "evaluate")
      .may(app::Op::kRead, "evaluation")
      .returns<app::EvaluationPublications>()
      .handle([](Ctx& c) {
        auto p = app::evaluation_publications(*c.store);
        if (!p) return c.fail(p.error());
        c.reply(200, *p);
      });
  r.post("/api/v1/evaluate/publications/{year}",
         "Publish a year's evaluation to the evaluated, frozen on today's data (with each "
         "cluster's report)",
         "evaluate")
      .may(app::Op::kCreate, "evaluation")
      .params(publication_params())
      .returns<app::EvaluationPublication>(201, "Published")
      .handle([](Ctx& c) {
        app::Params p;
        p["year"] = c.path[0];
        for (const auto& [k, v] : c.args.values()) p[k] = v;
        // As the reports draw: 2,000 draws and Sobol n = 200 unless told otherwise.
        p.try_emplace("draws", "2000");
        p.try_emplace("sobol_n", "200");
        auto args = app::parse(app::evaluation_params(), p);
        if (!args) return c.fail(args.error());
        auto snap = c.snapshot();
        if (!snap) return c.fail(snap.error());
        auto ev = app::evaluation(**snap, *args);
        if (!ev) return c.fail(ev.error());
        if (ev->ranked && ev->method.rating_by == "none")
          return c.fail(Status::invalid_argument(fmt::format(
              "parameter 'draws': the method rates by rank interval, which needs {} draws or "
              "more to publish",
              evaluate::kMinIntervalDraws)));
        auto published = app::evaluation_published(app::query_on(*c.store), ev->year);
        if (!published) return c.fail(published.error());
        if (*published)
          return c.fail(Status::conflict(fmt::format(
              "the evaluation of {} is published already (a publication is frozen)", ev->year)));
        // What the evaluated read: without the peer groups too small to hide their members.
        app::withhold_small_peer_groups(*ev);
        // Each cluster's report says what became of the State's latest decision on it, and
        // shows its label phase from the years published before.
        auto reports = report::cluster_reports(**snap, *ev, &*c.store);
        if (!reports) return c.fail(reports.error());
        tj::Json params = tj::Json::object();
        for (const auto& [k, v] : p) params[k] = v;
        auto out = app::publish_evaluation(*c.store, c.user(), *ev, params, *reports);
        if (!out) return c.fail(out.error());
        c.reply(201, *out);
      });
  r.post("/api/v1/evaluate/publications/{year}/public",
         "Show a published year's summary on the public portal (each cluster's rating and rank "
         "interval on its page), or withdraw it",
         "evaluate")
      .may(app::Op::kCreate, "evaluation")
      .takes<app::EvaluationPublicBody>()
      .example({{"shown", true}})
      .returns<app::EvaluationPublication>()
      .handle([](Ctx& c) {
        auto body = c.body<app::EvaluationPublicBody>();
        if (!body) return c.fail(body.error());
        const auto year = path_year(c.path[0]);
        if (!year) return c.fail(not_a_year(c.path[0]));
        auto out = app::set_evaluation_public(*c.store, c.user(), *year, body->shown);
        if (!out) return c.fail(out.error());
        c.reply(200, *out);
      });
  // A phase of several years (app/phase.h): the State, evaluators and administrators read every
  // cluster, the years not published computed on the current data; regions and cluster managers
  // their clusters in the published years only.
  r.get("/api/v1/evaluate/phase",
        "The clusters over a phase of years: each year's rank, interval, rating, action, criteria "
        "and targets; median rank, trend and consistency over the phase; each indicator's change "
        "(regions and cluster managers: the published years, their clusters)",
        "evaluate")
      .may(app::Op::kRead, "evaluation")
      .params(app::phase_params())
      .cached()
      .returns<app::PhaseEvaluation>()
      .handle([](Ctx& c) {
        if (reads_every_evaluation(c.user().role))
          return c.view(
              [&](const auto& s) { return app::phase_evaluation(s, *c.store, c.args, true); });
        auto snap = c.snapshot();
        if (!snap) return c.fail(snap.error());
        auto phase = app::phase_evaluation(**snap, *c.store, c.args, false);
        if (!phase) return c.fail(phase.error());
        std::vector<app::PhaseCluster> mine;
        for (auto& x : phase->clusters) {
          auto ok = app::may_read_evaluation(app::query_on(*c.store), c.user(),
                                             x.years.front().year, x.cluster);
          if (!ok) return c.fail(ok.error());
          if (*ok) mine.push_back(std::move(x));
        }
        phase->clusters = std::move(mine);
        c.reply(200, *phase);
      });
  // The State's decisions after a published evaluation and their follow-up (app/decisions.h).
  // Not cached: a decision or an answer is read back at once by the other side.
  r.get("/api/v1/evaluate/decisions",
        "The State's decisions after published evaluations, with the cluster's answer and the "
        "follow-up of what triggered them at the next published evaluation",
        "evaluate")
      .may(app::Op::kRead, "evaluation_decisions")
      .params({app::year_param("year", "Only the decisions after this year's evaluation"),
               app::text_param("cluster", "Only the decisions on this cluster")})
      .returns<app::EvaluationDecisions>()
      .handle([](Ctx& c) {
        auto out = app::list_decisions(*c.store, c.user(), c.args.opt_integer("year"),
                                       c.args.text("cluster"));
        if (!out) return c.fail(out.error());
        c.reply(200, *out);
      });
  r.get("/api/v1/evaluate/decisions/{year}/{cluster}",
        "The State's decision on a cluster after a year's published evaluation, and its follow-up",
        "evaluate")
      .may(app::Op::kRead, "evaluation_decisions")
      .returns<app::EvaluationDecision>()
      .handle([](Ctx& c) {
        const auto year = path_year(c.path[0]);
        if (!year) return c.fail(not_a_year(c.path[0]));
        auto out = app::get_decision(*c.store, c.user(), *year, c.path[1]);
        if (!out) return c.fail(out.error());
        c.reply(200, *out);
      });
  r.put("/api/v1/evaluate/decisions/{year}/{cluster}",
        "Record (or replace) the State's decision on a cluster after a year's published "
        "evaluation: level, text, deadline, owner, documents",
        "evaluate")
      .may(app::Op::kCreate, "evaluation_decisions")
      .takes<app::EvaluationDecisionBody>()
      .example(
          {{"level", 2},
           {"text", "Revue à 18 mois : plan d'action sur le pilier Entreprises."},
           {"deadline", "2025-06-30"},
           {"owner", "DGE, bureau des pôles"},
           {"documents",
            {{{"title", "Courrier au pôle"}, {"url", "https://example.gouv.fr/courrier.pdf"}}}}})
      .returns<app::EvaluationDecision>()
      .handle([](Ctx& c) {
        const auto year = path_year(c.path[0]);
        if (!year) return c.fail(not_a_year(c.path[0]));
        auto body = c.body<app::EvaluationDecisionBody>();
        if (!body) return c.fail(body.error());
        auto out = app::record_decision(*c.store, c.user(), *year, c.path[1], *body);
        if (!out) return c.fail(out.error());
        c.reply(200, *out);
      });
  r.del("/api/v1/evaluate/decisions/{year}/{cluster}",
        "Withdraw the State's decision on a cluster after a year's evaluation", "evaluate")
      .may(app::Op::kCreate, "evaluation_decisions")
      .returns<WithdrawnDecision>()
      .handle([](Ctx& c) {
        const auto year = path_year(c.path[0]);
        if (!year) return c.fail(not_a_year(c.path[0]));
        auto st = app::withdraw_decision(*c.store, c.user(), *year, c.path[1]);
        if (!st.is_ok()) return c.fail(st);
        c.reply(200, WithdrawnDecision{*year, c.path[1], true});
      });
  r.post("/api/v1/evaluate/decisions/{year}/{cluster}/answer",
         "The cluster's answer to the State's decision (its manager)", "evaluate")
      .may(app::Op::kUpdate, "evaluation_decisions")
      .takes<app::EvaluationDecisionAnswer>()
      .example({{"answer", "Le conseil d'administration a adopté un plan d'action le 12 mars."}})
      .returns<app::EvaluationDecision>()
      .handle([](Ctx& c) {
        const auto year = path_year(c.path[0]);
        if (!year) return c.fail(not_a_year(c.path[0]));
        auto body = c.body<app::EvaluationDecisionAnswer>();
        if (!body) return c.fail(body.error());
        auto out = app::answer_decision(*c.store, c.user(), *year, c.path[1], *body);
        if (!out) return c.fail(out.error());
        c.reply(200, *out);
      });
  r.get("/api/v1/evaluate/trends/{cluster}",
        "A cluster's indicators over the years against the median of its peers", "evaluate")
      .may(app::Op::kRead, "cluster_trends")
      .params(app::trends_params())
      .cached()
      .returns<app::IndicatorTrends>()
      .handle([](Ctx& c) {
        // A cluster out of the caller's scope is answered as a missing one.
        auto ok = app::may_read_cluster_view(app::query_on(*c.store), c.user(), "cluster_trends",
                                             c.path[0]);
        if (!ok) return c.fail(ok.error());
        if (!*ok) return c.fail(Status::not_found(fmt::format("no cluster '{}'", c.path[0])));
        c.view([&](const auto& s) { return app::indicator_trends(s, c.path[0], c.args); });
      });
  r.get("/api/v1/evaluate/assessments",
        "Qualitative assessments and the agreement between evaluators", "evaluate")
      .may(app::Op::kRead, "evaluation")
      .params(app::assessments_params())
      .cached()
      .returns<app::AssessmentsView>()
      .handle([](Ctx& c) {
        auto snap = c.snapshot();
        if (!snap) return c.fail(snap.error());
        auto view = app::assessments_view(**snap, c.args);
        if (!reads_every_evaluation(c.user().role)) {
          // Regions and cluster managers: their clusters of a published year only.
          std::vector<app::AssessedCluster> mine;
          for (auto& a : view.clusters) {
            auto ok =
                app::may_read_evaluation(app::query_on(*c.store), c.user(), view.year, a.cluster);
            if (!ok) return c.fail(ok.error());
            if (*ok) mine.push_back(std::move(a));
          }
          view.clusters = std::move(mine);
          // The agreement between evaluators is computed over every cluster's assessments: a
          // draft's stays with the State and evaluators; a published year's is part of the
          // published evaluation (how far its evaluators agreed).
          auto published = app::evaluation_published(app::query_on(*c.store), view.year);
          if (!published) return c.fail(published.error());
          if (!*published) view.agreement = app::AssessmentAgreements{};
        }
        c.reply(200, view);
      });
  // The method's audit and the clusters' efficiency read every cluster's figures, as the draft
  // evaluation does: the State, evaluators and administrators.
  r.get("/api/v1/evaluate/audit",
        "The statistical audit of a method on a year: correlations, Cronbach's alpha and PCA per "
        "pillar, effective against nominal weights, flags",
        "evaluate")
      .may(app::Op::kRead, "evaluation_method")
      .params(app::method_params())
      .cached()
      .returns<app::MethodAudit>()
      .handle([](Ctx& c) { c.view([&](const auto& s) { return app::method_audit(s, c.args); }); });
  r.get(
       "/api/v1/evaluate/efficiency",
       "The efficiency of the clusters by data envelopment analysis (inputs: budget, staff, public "
       "money; outputs: projects, products, members, services), with each one's peers",
       "evaluate")
      .may(app::Op::kRead, "evaluation_method")
      .params(app::efficiency_params())
      .cached()
      .returns<app::ClusterEfficiency>()
      .handle([](Ctx& c) {
        c.view([&](const auto& s) { return app::cluster_efficiency(s, c.args); });
      });
  r.get("/api/v1/evaluate/characterisation",
        "Declared vs measured scale, sector specialisation, filière overlaps and gaps", "evaluate")
      .may(app::Action::kRead, "cluster")
      .params(app::characterisation_params())
      .cached()
      .returns<app::Characterisation>()
      .handle(
          [](Ctx& c) { c.view([&](const auto& s) { return app::characterisation(s, c.args); }); });
}

}  // namespace poles::http
