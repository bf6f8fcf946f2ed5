// The public portal (docs/portal.md): HTML pages for firms and citizens, without an account,
// written on the server (portal/portal.h). The same page for every caller, kept per data version.
#include "portal/portal.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "app/evaluate.h"
#include "app/factory.h"
#include "app/support.h"
#include "core/codes.h"
#include "core/date.h"
#include "http/exchange.h"
#include "http/openapi.h"
#include "http/router.h"
#include "http/services.h"
#include "portal/open_data.h"
#include "report/vocabulary.h"

namespace poles::http {
namespace {

app::ParamSpecs language_params() {
  return {app::choice_param("lang", "Language of the page", {"fr", "en"}, "fr")};
}

app::ParamSpecs directory_params() {
  auto out = language_params();
  out.push_back(app::text_param("q", "Words of a cluster's name, acronym, themes or filière"));
  out.push_back(app::text_param("theme", "A theme the cluster declares"));
  out.push_back(app::text_param("region", "INSEE code of the cluster's region"));
  out.push_back(app::text_param("scale", "national or regional"));
  out.push_back(app::text_param("filiere", "The filière the cluster belongs to"));
  out.push_back(app::flag_param("former", "Also the clusters no longer labelled"));
  return out;
}

// The directory's search is a form's: bounded words and known codes (every distinct query is a
// page computed and kept in the cache).
// A search's words: at most 10 words and 200 characters.
Status check_words(const std::string& q) {
  size_t words = 0;
  for (size_t i = 0; i < q.size(); ++i) words += q[i] != ' ' && (i == 0 || q[i - 1] == ' ');
  if (q.size() > 200 || words > 10)
    return Status::invalid_argument("parameter 'q': at most 10 words and 200 characters");
  return Status::ok();
}

Status check_directory_args(const app::Args& a) {
  POLES_RETURN_IF_ERROR(check_words(a.text("q")));
  for (const char* name : {"theme", "filiere"}) {
    if (a.text(name).size() > 100)
      return Status::invalid_argument(fmt::format("parameter '{}': at most 100 characters", name));
  }
  if (const auto& r = a.text("region"); !r.empty() && codes::find_region(r) == nullptr)
    return Status::invalid_argument(
        fmt::format("parameter 'region': '{}' is not a region code", r));
  if (const auto& sc = a.text("scale"); !sc.empty() && sc != "national" && sc != "regional")
    return Status::invalid_argument("parameter 'scale': national or regional");
  return Status::ok();
}

app::ParamSpecs partner_params() {
  auto out = language_params();
  out.push_back(app::text_param("naf", "The firm's NAF (APE) code, e.g. 26.11Z, or its division"));
  out.push_back(app::text_param("theme", "A theme, as the clusters declare it"));
  out.push_back(app::text_param("region", "INSEE code of the firm's region"));
  out.push_back(app::choice_param(
      "kind", "The kind of partner sought",
      {"", "sme", "company", "research", "higher_education", "training", "public_body"}, ""));
  out.push_back(app::text_param("q", "A few words of the need"));
  return out;
}

// The partner finder's need is a form's: bounded, known codes (each distinct need is a page
// computed and kept in the cache). A NAF code that is not one is said on the page itself.
Status check_partner_args(const app::Args& a) {
  if (a.text("naf").size() > 20)
    return Status::invalid_argument("parameter 'naf': at most 20 characters (a NAF code)");
  POLES_RETURN_IF_ERROR(check_words(a.text("q")));
  if (a.text("theme").size() > 100)
    return Status::invalid_argument("parameter 'theme': at most 100 characters");
  if (const auto& r = a.text("region"); !r.empty() && codes::find_region(r) == nullptr)
    return Status::invalid_argument(
        fmt::format("parameter 'region': '{}' is not a region code", r));
  return Status::ok();
}

// What the pages read from the dashboard's files, once at start.
struct Resources {
  std::shared_ptr<const portal::Vocabulary> vocabulary;
  std::shared_ptr<const portal::RegionMap> map;
};

portal::Context context(Ctx& c, const Resources& resources) {
  portal::Context out;
  // The sitemap and robots.txt have no language: French, the portal's first.
  out.lang = c.args.has("lang") ? c.args.text("lang") : "fr";
  out.vocabulary = resources.vocabulary.get();
  out.map = resources.map.get();
  const Config& config = c.services.config;
  out.base_url = !config.public_url.empty() ? config.public_url
                                            : fmt::format("http://{}:{}", config.host, config.port);
  // The same day as the cache key's (server.cpp): a cached page is one of today's.
  out.today = today_utc().to_days();
  if (auto at = c.store->data_changed_at(); at && at->size() >= 10)
    out.data_date = at->substr(0, 10);
  return out;
}

void html(Ctx& c, int status, std::string body) {
  c.res.set(status, "text/html; charset=utf-8", std::move(body));
}

// A document of the portal that is not a page (feed, sitemap, robots.txt), of `type`.
template <class Draw>
void portal_document(Ctx& c, const Resources& resources, const char* type, Draw&& draw) {
  auto snap = c.snapshot();
  if (!snap) return c.fail(snap.error());
  c.res.set(200, type, draw(**snap, context(c, resources)));
}

// A page of the portal from the snapshot: `draw` returns the page, or nullopt for a 404.
template <class Draw>
void portal_page(Ctx& c, const Resources& resources, Draw&& draw) {
  auto snap = c.snapshot();
  if (!snap) return c.fail(snap.error());
  const auto ctx = context(c, resources);
  if (auto page = draw(**snap, ctx)) return html(c, 200, std::move(*page));
  html(c, 404, portal::not_found_page(ctx));
}

// An open table with its rows: the indicators' firm figures through secrecy, as the services
// overview publishes them to a reader who knows no firm.
std::optional<portal::OpenTable> open_table(const snapshot::Snapshot& s, std::string_view name) {
  portal::ProtectedFigures figures;
  if (name == "indicators") {
    for (const auto& f : app::open_services_financing(s))
      figures.services_financing.push_back(
          {f.cluster, f.year, f.cell.value, f.cell.secret.value_or("")});
  }
  return portal::open_table(s, name, figures);
}

// The JSON Schemas of the open data's answers (the public OpenAPI document).
tj::Json bilingual() {
  return {{"type", "object"},
          {"required", {"fr", "en"}},
          {"properties", {{"fr", {{"type", "string"}}}, {"en", {{"type", "string"}}}}}};
}
tj::Json column_schema() {
  return {{"type", "object"},
          {"required", {"name", "type", "fr", "en"}},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"type", {{"enum", {"string", "integer", "number", "boolean", "date"}}}},
            {"fr", {{"type", "string"}}},
            {"en", {{"type", "string"}}}}}};
}
tj::Json licence_schema() {
  return {{"type", "object"},
          {"required", {"name", "url"}},
          {"properties", {{"name", {{"type", "string"}}}, {"url", {{"type", "string"}}}}}};
}
tj::Json dataset_schema(tj::Schemas&) {
  return {{"type", "object"},
          {"description", "A public table: its dictionary and its rows (objects keyed by column)"},
          {"required",
           {"dataset", "title", "description", "licence", "data_version", "data_date", "columns",
            "rows"}},
          {"properties",
           {{"dataset", {{"type", "string"}}},
            {"title", bilingual()},
            {"description", bilingual()},
            {"licence", licence_schema()},
            {"data_version", {{"type", "integer"}}},
            {"data_date", {{"type", "string"}}},
            {"columns", {{"type", "array"}, {"items", column_schema()}}},
            {"rows", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}};
}
tj::Json datasets_schema(tj::Schemas&) {
  return {{"type", "object"},
          {"required", {"licence", "data_version", "data_date", "datasets"}},
          {"properties",
           {{"licence", licence_schema()},
            {"data_version", {{"type", "integer"}}},
            {"data_date", {{"type", "string"}}},
            {"datasets",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"required", {"name", "title", "description", "columns", "api", "csv", "json"}},
                {"properties",
                 {{"name", {{"type", "string"}}},
                  {"title", bilingual()},
                  {"description", bilingual()},
                  {"columns", {{"type", "array"}, {"items", column_schema()}}},
                  {"api", {{"type", "string"}}},
                  {"csv", {{"type", "string"}}},
                  {"json", {{"type", "string"}}}}}}}}}}}};
}

// The data's version and date, as the downloads carry them.
Result<std::pair<uint64_t, std::string>> data_stamp(Ctx& c) {
  auto v = c.store->data_version();
  if (!v) return v.error();
  auto at = c.store->data_changed_at();
  if (!at) return at.error();
  return std::pair(*v, at->size() >= 10 ? at->substr(0, 10) : std::string());
}

// A table as JSON (the API, the .json download) or CSV, or a 404 problem.
void open_data_answer(Ctx& c, std::string_view name, bool csv, bool download) {
  auto snap = c.snapshot();
  if (!snap) return c.fail(snap.error());
  auto t = open_table(**snap, name);
  if (!t) return c.fail(Status::not_found(fmt::format("no open table '{}'", name)));
  auto stamp = data_stamp(c);
  if (!stamp) return c.fail(stamp.error());
  if (csv) {
    c.res.set(200, "text/csv; charset=utf-8", portal::to_csv(*t));
  } else {
    c.res.set(200, "application/json", portal::to_json(*t, stamp->first, stamp->second));
  }
  if (download)
    c.res.set_header("Content-Disposition",
                     fmt::format("attachment; filename=\"poles-{}-v{}.{}\"", t->name, stamp->first,
                                 csv ? "csv" : "json"));
}

// The fields of a form (application/x-www-form-urlencoded): the last value of each name; false
// on a malformed escape or invalid UTF-8, or more than 20 fields.
bool form_fields(std::string_view body, std::map<std::string, std::string>& out) {
  size_t fields = 0;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const auto pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    if (++fields > 20) return false;
    const auto eq = pair.find('=');
    std::string key, value;
    if (!percent_decode(pair.substr(0, eq), key, true)) return false;
    if (eq != std::string_view::npos && !percent_decode(pair.substr(eq + 1), value, true))
      return false;
    out[key] = std::move(value);
  }
  return true;
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The support form, with a fresh stamp, what was typed and the errors (status 200 or 400).
void support_form(Ctx& c, const Resources& resources, portal::SupportFormView view, int status) {
  auto snap = c.snapshot();
  if (!snap) return c.fail(snap.error());
  auto keys = app::server_keys(*c.store);
  if (!keys) return c.fail(keys.error());
  view.stamp = app::support_stamp(*keys, unix_now(), throttle_address(c.req.client));
  html(c, status, portal::support_page(**snap, view, context(c, resources)));
  // The stamp is made for this caller's address: a cache (the nginx in front) must not hand
  // the page to another.
  c.res.set_header("Cache-Control", "no-store");
}

}  // namespace

void add_portal_routes(Router& r, Services& services) {
  // The words of the codes, as the dashboard shows them (web/vocab.json), and the map of the
  // regions (the dashboard's @svg-maps/france.regions). Without a file the pages show the codes,
  // or no map: said once at start.
  auto loaded = std::make_shared<Resources>();
  const std::filesystem::path web(services.config.web_root);
  if (auto v = portal::Vocabulary::load(web / "vocab.json")) {
    loaded->vocabulary = std::make_shared<const portal::Vocabulary>(std::move(*v));
    // The reports (cluster reports, publications) write with the same words.
    report::set_words(loaded->vocabulary);
  } else {
    spdlog::warn("public portal: {}; codes are shown as they are", v.error().to_string());
  }
  if (auto m = portal::RegionMap::load(web / "node_modules/@svg-maps/france.regions/index.js")) {
    loaded->map = std::make_shared<const portal::RegionMap>(std::move(*m));
  } else {
    spdlog::warn("public portal: {}; the directory has no map", m.error().to_string());
  }
  std::shared_ptr<const Resources> resources = std::move(loaded);
  // The partner finder's graph and recommender, built once per snapshot (not per need).
  struct Finders {
    std::mutex mutex;
    std::shared_ptr<const portal::PartnerFinder> last;
    std::shared_ptr<const portal::PartnerFinder> of(const snapshot::SnapshotPtr& s) {
      {
        const std::lock_guard lock(mutex);
        if (last && last->snapshot() == s) return last;
      }
      auto built = std::make_shared<const portal::PartnerFinder>(s);
      const std::lock_guard lock(mutex);
      last = built;
      return built;
    }
  };
  auto finders = std::make_shared<Finders>();
  r.get("/public", "The public portal: the directory of clusters, with search and filters",
        "portal")
      .anyone()
      .params(directory_params())
      .cached()
      .returns_media(200, "text/html", "The page")
      .handle([resources](Ctx& c) {
        if (auto st = check_directory_args(c.args); !st.is_ok()) return c.fail(st);
        portal_page(c, *resources, [&](const auto& s, const portal::Context& ctx) {
          portal::DirectoryQuery q;
          q.q = c.args.text("q");
          q.theme = c.args.text("theme");
          q.region = c.args.text("region");
          q.scale = c.args.text("scale");
          q.filiere = c.args.text("filiere");
          q.former = c.args.flag("former");
          return std::optional(portal::directory_page(s, q, ctx));
        });
      });
  r.get("/public/partners",
        "The partner finder: clusters and listed members for a need, with the reasons", "portal")
      .anyone()
      .params(partner_params())
      .cached()
      .returns_media(200, "text/html", "The page")
      .handle([resources, finders](Ctx& c) {
        if (auto st = check_partner_args(c.args); !st.is_ok()) return c.fail(st);
        auto snap = c.snapshot();
        if (!snap) return c.fail(snap.error());
        // A theme is one a cluster declares (a form offers no other): unknown ones would only
        // make pages to cache.
        if (const auto& theme = c.args.text("theme");
            !theme.empty() && !portal::is_declared_theme(**snap, theme))
          return c.fail(Status::invalid_argument(
              fmt::format("parameter 'theme': '{}' is not a theme a cluster declares", theme)));
        const auto finder = finders->of(*snap);
        portal_page(c, *resources, [&](const auto& s, const portal::Context& ctx) {
          portal::PartnerQuery q;
          q.naf = c.args.text("naf");
          q.theme = c.args.text("theme");
          q.region = c.args.text("region");
          q.kind = c.args.text("kind");
          q.q = c.args.text("q");
          return std::optional(portal::partners_page(s, q, finder->suggest(q), ctx));
        });
      });
  r.get("/public/clusters/{id}", "The public page of a cluster", "portal")
      .anyone()
      .params(language_params())
      .cached()
      .returns_media(200, "text/html", "The page")
      .returns_media(404, "text/html", "No such cluster")
      .handle([resources](Ctx& c) {
        // The State's evaluation, when it chose to show a published year (a write moves the
        // data version: the cached page follows).
        auto shown = app::public_evaluation_summary(*c.store, c.path[0]);
        if (!shown) return c.fail(shown.error());
        std::optional<portal::EvaluationSummary> evaluation;
        if (*shown) {
          const auto& e = **shown;
          evaluation = portal::EvaluationSummary{e.year,     e.rating,    e.trend,   e.rank,
                                                 e.rank_low, e.rank_high, e.clusters};
        }
        portal_page(c, *resources, [&](const auto& s, const portal::Context& ctx) {
          return portal::cluster_page(s, c.path[0], ctx, evaluation);
        });
      });
  r.get("/public/calls", "The calls for projects: open, announced and the last ones closed",
        "portal")
      .anyone()
      .params(language_params())
      .cached()
      .returns_media(200, "text/html", "The page")
      .handle([resources](Ctx& c) {
        portal_page(c, *resources, [](const auto& s, const portal::Context& ctx) {
          return std::optional(portal::calls_page(s, ctx));
        });
      });
  r.get("/public/calls.atom", "The calls for projects as an Atom feed", "portal")
      .anyone()
      .params(language_params())
      .cached()
      .returns_media(200, "application/atom+xml", "The feed (RFC 4287)")
      .handle([resources](Ctx& c) {
        portal_document(
            c, *resources, "application/atom+xml; charset=utf-8",
            [](const auto& s, const portal::Context& ctx) { return portal::calls_feed(s, ctx); });
      });
  r.get("/sitemap.xml", "The public pages, for search engines (sitemaps.org 0.9)", "portal")
      .anyone()
      .cached()
      .returns_media(200, "application/xml", "The sitemap")
      .handle([resources](Ctx& c) {
        portal_document(
            c, *resources, "application/xml; charset=utf-8",
            [](const auto& s, const portal::Context& ctx) { return portal::sitemap(s, ctx); });
      });
  r.get("/robots.txt", "What search engines may index: the portal, not the API", "portal")
      .anyone()
      .returns_media(200, "text/plain", "robots.txt")
      .handle([resources](Ctx& c) {
        c.res.set(200, "text/plain; charset=utf-8", portal::robots(context(c, *resources)));
      });
  r.get("/public/data", "The open data: the public tables, their dictionary and licence", "portal")
      .anyone()
      .params(language_params())
      .cached()
      .returns_media(200, "text/html", "The page")
      .handle([resources](Ctx& c) {
        portal_page(c, *resources, [](const auto&, const portal::Context& ctx) {
          return std::optional(portal::open_data_page(ctx));
        });
      });
  r.get("/public/data/{file}", "A public table to download: clusters.csv, members.json, ...",
        "portal")
      .anyone()
      .cached()
      .returns_media(200, "text/csv", "The table as CSV (RFC 4180, UTF-8)")
      .returns_schema(200, dataset_schema, "The table as JSON")
      .handle([](Ctx& c) {
        const std::string& file = c.path[0];
        const auto dot = file.rfind('.');
        const std::string ext = dot == std::string::npos ? "" : file.substr(dot + 1);
        if (ext != "csv" && ext != "json")
          return c.fail(Status::not_found(
              fmt::format("no open table '{}': a table's name then .csv or .json", file)));
        open_data_answer(c, std::string_view(file).substr(0, dot), ext == "csv", true);
      });
  r.get("/api/public/v1/datasets", "The public tables: names, titles, dictionaries, downloads",
        "open data")
      .anyone()
      .cached()
      .returns_schema(200, datasets_schema, "The datasets")
      .handle([](Ctx& c) {
        auto stamp = data_stamp(c);
        if (!stamp) return c.fail(stamp.error());
        nlohmann::json items = nlohmann::json::array();
        for (const auto& t : portal::open_dictionary()) {
          nlohmann::json columns = nlohmann::json::array();
          for (const auto& col : t.columns)
            columns.push_back(
                {{"name", col.name}, {"type", col.type}, {"fr", col.fr}, {"en", col.en}});
          items.push_back({{"name", t.name},
                           {"title", {{"fr", t.title_fr}, {"en", t.title_en}}},
                           {"description", {{"fr", t.about_fr}, {"en", t.about_en}}},
                           {"columns", std::move(columns)},
                           {"api", "/api/public/v1/datasets/" + t.name},
                           {"csv", "/public/data/" + t.name + ".csv"},
                           {"json", "/public/data/" + t.name + ".json"}});
        }
        nlohmann::json out{
            {"licence", {{"name", portal::kLicenceName}, {"url", portal::kLicenceUrl}}},
            {"data_version", stamp->first},
            {"data_date", stamp->second},
            {"datasets", std::move(items)}};
        c.res.set(200, "application/json", out.dump());
      });
  r.get("/api/public/v1/datasets/{name}", "A public table's rows, with its dictionary", "open data")
      .anyone()
      .cached()
      .returns_schema(200, dataset_schema, "The table")
      .handle([](Ctx& c) { open_data_answer(c, c.path[0], false, false); });
  r.get("/api/public/v1/openapi.json", "The public API's OpenAPI document", "open data")
      .anyone()
      .returns_schema(200, openapi_answer_schema, "The OpenAPI 3.1 document")
      .handle([&services](Ctx& c) { c.res.set(200, "application/json", services.public_openapi); });
  r.get("/public/support", "The form of a support request, without an account", "portal")
      .anyone()
      .params([] {
        auto p = language_params();
        p.push_back(app::text_param("cluster", "The cluster to send the request to"));
        return p;
      }())
      .returns_media(200, "text/html", "The page")
      .handle([resources](Ctx& c) {
        portal::SupportFormView view;
        if (c.args.text("cluster").size() <= 100) view.values["cluster"] = c.args.text("cluster");
        support_form(c, *resources, std::move(view), 200);
      });
  r.post("/public/support",
         "Send a support request (a form: name, siren, email, need, region, theme, cluster)",
         "portal")
      .anyone()
      .sessionless()
      .params(language_params())
      .upload("application/x-www-form-urlencoded")
      .returns_media(200, "text/html", "Sent: the page with the tracking link")
      .returns_media(400, "text/html", "The form again, with its errors")
      .returns_media(429, "text/html", "Too many requests from this address, or in all")
      .handle([resources, &services](Ctx& c) {
        const auto ctx = context(c, *resources);
        // A form posted from another site's page (a browser says so): refused, whatever it holds.
        if (c.req.header("Sec-Fetch-Site") == "cross-site")
          return c.fail(Status::permission_denied(
              "a support request is sent from the portal's own form, not from another site"));
        const std::string client = throttle_address(c.req.client);
        double wait = 0;
        const auto busy = [&](bool everyone) {
          html(c, 429, portal::support_busy_page(static_cast<int>(wait), everyone, ctx));
          c.res.set_header("Retry-After",
                           std::to_string(std::max(1, static_cast<int>(std::ceil(wait)))));
        };
        // Every post counts for its address; only requests about to be stored count in all, so
        // that junk cannot close the form for everyone.
        if (!services.support_per_address.take(client, &wait)) return busy(false);
        if (!c.req.header("Content-Type").starts_with("application/x-www-form-urlencoded"))
          return c.fail(Status::invalid_argument(
              "a support request is sent as a form (application/x-www-form-urlencoded)"));
        std::map<std::string, std::string> fields;
        if (!form_fields(c.req.body, fields))
          return c.fail(Status::invalid_argument("the form is malformed"));
        app::SupportForm form;
        const auto field = [&fields](const char* name) {
          const auto it = fields.find(name);
          return it == fields.end() ? std::string() : it->second;
        };
        form.name = field("name");
        form.siren = field("siren");
        form.email = field("email");
        form.need = field("need");
        form.region = field("region");
        form.theme = field("theme");
        form.cluster = field("cluster");
        form.website = field("website");
        form.stamp = field("stamp");
        form.client = client;
        const int64_t now = unix_now();
        auto checked = app::check_support(*c.store, form, now);
        if (!checked) return c.fail(checked.error());
        const auto again = [&](std::vector<app::SupportFieldError> errors) {
          portal::SupportFormView view;
          for (const char* name : {"name", "siren", "email", "need", "region", "theme", "cluster"})
            view.values[name] = field(name);
          for (auto& e : errors)
            view.errors.push_back({std::move(e.field), std::move(e.fr), std::move(e.en)});
          support_form(c, *resources, std::move(view), 400);
        };
        if (!checked->errors.empty()) return again(std::move(checked->errors));
        const std::string cluster_name = checked->cluster ? checked->cluster->second : "";
        const auto sent = [&](const std::string& tracking) {
          html(c, 200, portal::support_sent_page("/public/support/" + tracking, cluster_name, ctx));
          c.res.set_header("Cache-Control", "no-store");
          c.res.set_header("X-Robots-Tag", "noindex, nofollow");
          c.res.set_header("Referrer-Policy", "no-referrer");
        };
        // A robot is answered as a person is, with a link that leads nowhere.
        if (checked->robot) return sent(app::random_token());
        if (!services.support_stamps.first_use(form.stamp, now))
          return again({{"stamp",
                         "Ce formulaire a déjà servi : une demande est envoyée une seule fois. "
                         "Relisez-le et envoyez-le à nouveau s'il s'agit d'une autre demande.",
                         "This form was used already: a request is sent once. Read it again and "
                         "send it again if it is another request."}});
        if (!services.support_all.take("*", &wait)) return busy(true);
        auto stored = app::store_support(*c.store, *checked);
        if (!stored) return c.fail(stored.error());
        sent(stored->tracking);
      });
  r.get("/public/support/{tracking}", "A support request, through its tracking link", "portal")
      .anyone()
      .params(language_params())
      .returns_media(200, "text/html", "The page")
      .returns_media(404, "text/html", "No such request (or deleted)")
      .handle([resources](Ctx& c) {
        const auto ctx = context(c, *resources);
        auto t = app::track_support(*c.store, c.path[0]);
        if (!t) return c.fail(t.error());
        if (!*t) return html(c, 404, portal::not_found_page(ctx));
        portal::SupportTrackingView v;
        v.status = (*t)->status;
        v.created_at = (*t)->created_at;
        v.need = (*t)->need;
        v.delete_after = (*t)->delete_after;
        v.taken_at = (*t)->taken_at;
        v.answered_at = (*t)->answered_at;
        v.closed_at = (*t)->closed_at;
        v.answer = (*t)->answer;
        v.cluster_id = (*t)->cluster_id;
        v.cluster_name = (*t)->cluster_name;
        html(c, 200, portal::support_tracking_page(v, c.path[0], ctx));
        // The link is a secret: not kept by proxies, not sent on as a referrer, not indexed.
        c.res.set_header("Cache-Control", "no-store");
        c.res.set_header("Referrer-Policy", "no-referrer");
        c.res.set_header("X-Robots-Tag", "noindex, nofollow");
      });
  r.post("/public/support/{tracking}/delete",
         "The firm erases its request and its personal data, through its tracking link", "portal")
      .anyone()
      .sessionless()
      .params(language_params())
      .upload("application/x-www-form-urlencoded")
      .returns_media(200, "text/html", "Erased")
      .returns_media(404, "text/html", "No such request (or deleted)")
      .handle([resources](Ctx& c) {
        const auto ctx = context(c, *resources);
        if (c.req.header("Sec-Fetch-Site") == "cross-site")
          return c.fail(Status::permission_denied(
              "a request is erased from its own tracking page, not from another site"));
        auto erased = app::erase_support(*c.store, c.path[0]);
        if (!erased) return c.fail(erased.error());
        if (!*erased) return html(c, 404, portal::not_found_page(ctx));
        html(c, 200, portal::support_erased_page(ctx));
        c.res.set_header("Cache-Control", "no-store");
        c.res.set_header("Referrer-Policy", "no-referrer");
      });
  r.get("/public/projects/{id}",
        "The public summary of a labelled project that agreed to publication", "portal")
      .anyone()
      .params(language_params())
      .cached()
      .returns_media(200, "text/html", "The page")
      .returns_media(404, "text/html", "No such project, or not public")
      .handle([resources](Ctx& c) {
        portal_page(c, *resources, [&](const auto& s, const portal::Context& ctx) {
          return portal::project_page(s, c.path[0], ctx);
        });
      });
}

}  // namespace poles::http
