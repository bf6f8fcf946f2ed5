// Matching organisations to SIREN over HTTP (import/resolve.h): the review queue with each
// organisation's candidates, their scores and reasons; a run of the matching; a person's
// decision (accept a SIREN, or reject the candidates). Who may: those who may import
// (administrators and the State), as the imports that create these organisations.
#include <fmt/format.h>

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "app/access.h"
#include "app/params.h"
#include "core/typed_json.h"
#include "http/router.h"
#include "http/services.h"
#include "import/merge.h"
#include "import/resolve.h"

namespace poles::http {

namespace {

struct MatchReasonView {
  std::string what;
  double points = 0;
};
POLES_JSON(MatchReasonView, what, points)

struct MatchCandidateView {
  std::string siren, name, acronym, commune, postcode, naf;
  int64_t created = 0;  // 0: unknown
  bool active = true;
  double score = 0;
  std::vector<MatchReasonView> reasons;
};
POLES_JSON(MatchCandidateView, siren, name, acronym, commune, postcode, naf, created, active, score,
           reasons)

struct MatchView {
  std::string organisation_id, name;
  std::string status;  // accepted, review, none, duplicate, rejected
  tj::Omittable<std::string> siren, duplicate_of, decided_by;
  tj::Omittable<double> score;
  std::string decided_at;
  std::vector<MatchCandidateView> candidates;
};
POLES_JSON(MatchView, organisation_id, name, status, siren, duplicate_of, decided_by, score,
           decided_at, candidates)

struct MatchList {
  int64_t units = 0;                      // legal units in the reference
  std::map<std::string, int64_t> counts;  // by status
  int64_t total = 0;                      // of the status asked
  std::vector<MatchView> items;
};
POLES_JSON(MatchList, units, counts, total, items)

struct ResolveBody {
  tj::Omittable<double> accept, margin, review;
  tj::Omittable<bool> dry_run;
};
POLES_JSON(ResolveBody, accept, margin, review, dry_run)

struct ResolveView {
  int64_t organisations = 0, accepted = 0, review = 0, none = 0, kept = 0, duplicates = 0,
          size_classes = 0;
  bool dry_run = false;
};
POLES_JSON(ResolveView, organisations, accepted, review, none, kept, duplicates, size_classes,
           dry_run)

struct DecisionBody {
  tj::Omittable<std::string> siren;
  tj::Omittable<bool> reject;
};
POLES_JSON(DecisionBody, siren, reject)

struct MergeBody {
  std::string drop;  // the organisation merged into the one of the path, then deleted
};
POLES_JSON(MergeBody, drop)

struct MergeView {
  std::string kept, dropped;
  std::map<std::string, int64_t> moved, duplicates;
  std::vector<std::string> filled;
};
POLES_JSON(MergeView, kept, dropped, moved, duplicates, filled)

Result<MatchView> match_view(const Row& r) {
  MatchView v;
  v.organisation_id = value_to_text(r[0]);
  v.name = value_to_text(r[1]);
  v.status = value_to_text(r[2]);
  if (!std::holds_alternative<std::monostate>(r[3])) v.siren = value_to_text(r[3]);
  if (std::holds_alternative<double>(r[4])) v.score = std::get<double>(r[4]);
  if (!std::holds_alternative<std::monostate>(r[5])) v.duplicate_of = value_to_text(r[5]);
  if (!std::holds_alternative<std::monostate>(r[7])) v.decided_by = value_to_text(r[7]);
  v.decided_at = value_to_text(r[8]);
  const auto j = tj::Json::parse(value_to_text(r[6]), nullptr, false);
  if (j.is_discarded()) return Status::internal("siren_match: candidates are not JSON");
  POLES_ASSIGN_OR_RETURN(v.candidates, tj::from_json<std::vector<MatchCandidateView>>(j));
  return v;
}

constexpr std::string_view kColumns =
    "\"organisation_id\", \"name\", \"status\", \"siren\", \"score\", \"duplicate_of\", "
    "\"candidates\", \"decided_by\", \"decided_at\"";

}  // namespace

void add_resolution_routes(Router& r, Services&) {
  r.get("/api/v1/resolution",
        "Organisations matched to SIREN: the review queue (or another status) with each one's "
        "candidates, scores and reasons",
        "import")
      .roles([](app::Role role) { return app::may_import(role); })
      .params({app::choice_param("status", "Only the organisations of this status",
                                 {"review", "duplicate", "none", "accepted", "rejected"}, "review"),
               app::integer_param("limit", "At most this many", 1, 500, "50"),
               app::integer_param("offset", "Skip this many", 0, 1e9, "0")})
      .returns<MatchList>()
      .handle([](Ctx& c) {
        MatchList list;
        auto units = c.store->query("SELECT COUNT(*) FROM \"sirene_unit\"", {});
        if (!units) return c.fail(units.error());
        list.units = std::get<int64_t>((*units)[0][0]);
        auto counts = c.store->query(
            "SELECT \"status\", COUNT(*) FROM \"siren_match\" GROUP BY \"status\"", {});
        if (!counts) return c.fail(counts.error());
        for (auto& row : *counts) list.counts[value_to_text(row[0])] = std::get<int64_t>(row[1]);
        const std::string status = c.args.text("status");
        list.total = list.counts.contains(status) ? list.counts[status] : 0;
        auto rows = c.store->query(
            fmt::format("SELECT {} FROM \"siren_match\" WHERE \"status\" = ? ORDER BY \"score\" IS "
                        "NULL, \"score\" DESC, \"organisation_id\" LIMIT ? OFFSET ?",
                        kColumns),
            {Value(status), Value(static_cast<int64_t>(c.args.integer("limit"))),
             Value(static_cast<int64_t>(c.args.integer("offset")))});
        if (!rows) return c.fail(rows.error());
        for (const auto& row : *rows) {
          auto v = match_view(row);
          if (!v) return c.fail(v.error());
          list.items.push_back(std::move(*v));
        }
        c.reply(200, list);
      });

  r.post("/api/v1/resolution/run",
         "Match every organisation without SIREN to SIRENE's legal units (a person's decisions "
         "are kept)",
         "import")
      .roles([](app::Role role) { return app::may_import(role); })
      .takes<ResolveBody>()
      .example({{"accept", 0.85}, {"margin", 0.05}, {"review", 0.6}, {"dry_run", true}})
      .returns<ResolveView>()
      .handle([](Ctx& c) {
        auto body = c.body<ResolveBody>();
        if (!body) return c.fail(body.error());
        import::MatchOptions o;
        o.accept = body->accept.value_or(o.accept);
        o.margin = body->margin.value_or(o.margin);
        o.review = body->review.value_or(o.review);
        for (const double x : {o.accept, o.margin, o.review}) {
          if (!(x >= 0 && x <= 1))
            return c.fail(
                Status::invalid_argument("accept, margin and review lie between 0 and 1"));
        }
        const bool dry = body->dry_run.value_or(false);
        // One run at a time: each holds the reference's index in memory (about 1 GB for
        // 1 M legal units) and a connection for seconds.
        static std::atomic<bool> running{false};
        if (running.exchange(true))
          return c.fail(
              Status::conflict("a matching to SIREN is running already: try again when it ends"));
        struct Release {
          std::atomic<bool>& flag;
          ~Release() { flag = false; }
        } release{running};
        auto rep = import::resolve_organisations(*c.store, o, dry, c.user().name);
        if (!rep) return c.fail(rep.error());
        c.reply(200, ResolveView{rep->organisations, rep->accepted, rep->review, rep->none,
                                 rep->kept, rep->duplicates, rep->size_classes, dry});
      });

  r.post("/api/v1/organisations/{organisation}/merge",
         "Merge a duplicate into this organisation: its memberships, participations and history "
         "move here, its empty fields fill this one's, then it is deleted",
         "import")
      .roles([](app::Role role) { return app::may_import(role); })
      .takes<MergeBody>()
      .example({{"drop", "annuaire:capteurs-sa"}})
      .returns<MergeView>()
      .handle([](Ctx& c) {
        auto body = c.body<MergeBody>();
        if (!body) return c.fail(body.error());
        auto rep = import::merge_organisations(*c.store, c.path[0], body->drop, c.user().name);
        if (!rep) return c.fail(rep.error());
        c.reply(200, MergeView{rep->kept, rep->dropped, rep->moved, rep->duplicates, rep->filled});
      });

  r.post("/api/v1/resolution/{organisation}/decision",
         "A person's decision on an organisation: accept a SIREN, or reject its candidates",
         "import")
      .roles([](app::Role role) { return app::may_import(role); })
      .takes<DecisionBody>()
      .example({{"siren", "732829320"}})
      .returns<MatchView>()
      .handle([](Ctx& c) {
        auto body = c.body<DecisionBody>();
        if (!body) return c.fail(body.error());
        const bool reject = body->reject.value_or(false);
        const std::string siren = body->siren.value_or("");
        if (reject == !siren.empty())
          return c.fail(Status::invalid_argument("give either a siren or reject: true"));
        if (auto s = import::decide_match(*c.store, c.path[0], siren, c.user().name); !s.is_ok())
          return c.fail(s);
        auto rows = c.store->query(
            fmt::format("SELECT {} FROM \"siren_match\" WHERE \"organisation_id\" = ?", kColumns),
            {Value(c.path[0])});
        if (!rows) return c.fail(rows.error());
        auto v = match_view(rows->at(0));
        if (!v) return c.fail(v.error());
        c.reply(200, *v);
      });
}

}  // namespace poles::http
