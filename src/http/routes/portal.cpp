// The public portal (docs/portal.md): HTML pages for firms and citizens, without an account,
// written on the server (portal/portal.h). The same page for every caller, kept per data version.
#include "portal/portal.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "core/codes.h"
#include "http/router.h"
#include "http/services.h"

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
Status check_directory_args(const app::Args& a) {
  const std::string& q = a.text("q");
  size_t words = 0;
  for (size_t i = 0; i < q.size(); ++i) words += q[i] != ' ' && (i == 0 || q[i - 1] == ' ');
  if (q.size() > 200 || words > 10)
    return Status::invalid_argument(
        "parameter 'q': at most 10 words and 200 characters (a search of the directory)");
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

portal::Context context(Ctx& c, const portal::Vocabulary* vocabulary) {
  portal::Context out;
  out.lang = c.args.text("lang");
  out.vocabulary = vocabulary;
  if (auto at = c.store->data_changed_at(); at && at->size() >= 10)
    out.data_date = at->substr(0, 10);
  return out;
}

void html(Ctx& c, int status, std::string body) {
  c.res.set(status, "text/html; charset=utf-8", std::move(body));
}

// A page of the portal from the snapshot: `draw` returns the page, or nullopt for a 404.
template <class Draw>
void portal_page(Ctx& c, const portal::Vocabulary* vocabulary, Draw&& draw) {
  auto snap = c.snapshot();
  if (!snap) return c.fail(snap.error());
  const auto ctx = context(c, vocabulary);
  if (auto page = draw(**snap, ctx)) return html(c, 200, std::move(*page));
  html(c, 404, portal::not_found_page(ctx));
}

}  // namespace

void add_portal_routes(Router& r, Services& services) {
  // The words of the codes, as the dashboard shows them (web/vocab.json). Without the file the
  // pages show the codes: said once at start.
  std::shared_ptr<const portal::Vocabulary> vocabulary;
  if (auto v = portal::Vocabulary::load(std::filesystem::path(services.config.web_root) /
                                        "vocab.json")) {
    vocabulary = std::make_shared<const portal::Vocabulary>(std::move(*v));
  } else {
    spdlog::warn("public portal: {}; codes are shown as they are", v.error().to_string());
  }
  r.get("/public", "The public portal: the directory of clusters, with search and filters",
        "portal")
      .anyone()
      .params(directory_params())
      .cached()
      .returns_media(200, "text/html", "The page")
      .handle([vocabulary](Ctx& c) {
        if (auto st = check_directory_args(c.args); !st.is_ok()) return c.fail(st);
        portal_page(c, vocabulary.get(), [&](const auto& s, const portal::Context& ctx) {
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
  r.get("/public/clusters/{id}", "The public page of a cluster", "portal")
      .anyone()
      .params(language_params())
      .cached()
      .returns_media(200, "text/html", "The page")
      .returns_media(404, "text/html", "No such cluster")
      .handle([vocabulary](Ctx& c) {
        portal_page(c, vocabulary.get(), [&](const auto& s, const portal::Context& ctx) {
          return portal::cluster_page(s, c.path[0], ctx);
        });
      });
  r.get("/public/projects/{id}",
        "The public summary of a labelled project that agreed to publication", "portal")
      .anyone()
      .params(language_params())
      .cached()
      .returns_media(200, "text/html", "The page")
      .returns_media(404, "text/html", "No such project, or not public")
      .handle([vocabulary](Ctx& c) {
        portal_page(c, vocabulary.get(), [&](const auto& s, const portal::Context& ctx) {
          return portal::project_page(s, c.path[0], ctx);
        });
      });
}

}  // namespace poles::http
