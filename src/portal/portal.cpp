#include "portal/portal.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

#include "core/codes.h"
#include "core/date.h"
#include "core/model.h"
#include "network/graph.h"
#include "portal/open_data.h"
#include "portal/registry.h"
#include "report/html.h"

namespace poles::portal {
namespace {

using report::escape;
using snapshot::Snapshot;
using snapshot::Table;

bool fr(const Context& c) { return c.lang != "en"; }
std::string tr(const Context& c, std::string_view f, std::string_view e) {
  return std::string(fr(c) ? f : e);
}

// The word of a code in the page's language (web/vocab.json).
std::string label(std::string_view kind, std::string_view code, const Context& c) {
  return c.vocabulary ? c.vocabulary->label(kind, code, c.lang) : std::string(code);
}

// A programme's name: its short word in web/vocab.json, else the referential's name (a programme
// the State added), else its code.
std::string programme_name(const snapshot::Snapshot& s, std::string_view code, const Context& c) {
  if (c.vocabulary && c.vocabulary->has("programme", code)) return label("programme", code, c);
  const auto& programmes = s.table("programme");
  const int32_t row = programmes.find(code);
  if (row < 0) return std::string(code);
  const auto r = static_cast<size_t>(row);
  const auto en = programmes.column("name_en").text(r);
  return std::string(!fr(c) && !en.empty() ? en : programmes.column("name").text(r));
}

std::string region_name(std::string_view code) {
  const auto* r = codes::find_region(code);
  return r ? std::string(r->name) : std::string(code);
}

constexpr std::array<std::string_view, 6> kRoman = {"", "I", "II", "III", "IV", "V"};

std::string date_text(int64_t days, const Context& c) {
  const Date d = Date::from_days(days);
  return fr(c) ? fmt::format("{:02d}/{:02d}/{}", d.day, d.month, d.year) : d.to_string();
}

// A query parameter's value, percent-encoded (RFC 3986 unreserved characters kept).
std::string url_encode(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += ch;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

Context in_language(std::string lang) {
  Context out;
  out.lang = std::move(lang);
  return out;
}

// A link to a portal page in the page's language.
std::string href(std::string path, const Context& c) {
  if (fr(c)) return path;
  return path + (path.find('?') == std::string::npos ? "?" : "&") + "lang=en";
}

// --- the frame of every page ---------------------------------------------------------------

constexpr std::string_view kDsfr = "/node_modules/@gouvfr/dsfr/dist/";
constexpr std::array<std::string_view, 14> kComponents = {
    "link",   "button",   "logo",  "header", "footer", "form",     "input",
    "select", "checkbox", "badge", "tag",    "card",   "skiplink", "breadcrumb"};

struct Head {
  std::string title;        // of the page, before the portal's name
  std::string description;  // one sentence
  std::string path;         // the canonical path, without the language
  std::string json_ld;      // schema.org markup, or empty
};

// `noindex`: a page search engines must not keep (a support request's: its link is a secret).
std::string page(const Head& h, const std::string& main, const Context& c, bool noindex = false) {
  const std::string site = tr(c, "Pôles de compétitivité", "Competitiveness clusters");
  const std::string title = h.title.empty() ? site : h.title + " — " + site;
  std::string css;
  css += fmt::format("  <link rel=\"stylesheet\" href=\"{}core/core.main.min.css\">\n", kDsfr);
  for (const auto comp : kComponents)
    css += fmt::format("  <link rel=\"stylesheet\" href=\"{}component/{}/{}.main.min.css\">\n",
                       kDsfr, comp, comp);
  std::string ld;
  if (!h.json_ld.empty())
    ld = "  <script type=\"application/ld+json\">" + h.json_ld + "</script>\n";
  const std::string other_lang = fr(c) ? "en" : "fr";
  std::string data_date;
  if (const auto d = Date::parse(c.data_date))
    data_date = tr(c, " · données au ", " · data as of ") + escape(date_text(d->to_days(), c));
  const std::string switch_href =
      fr(c) ? href(h.path, in_language("en")) : href(h.path, in_language("fr"));
  // The portal's sections, the current one marked (no script: a list of links on every width).
  std::string nav;
  for (const auto& [path, fr_text, en_text] :
       std::array<std::tuple<std::string_view, std::string_view, std::string_view>, 5>{
           {{"/public", "Annuaire des pôles", "Directory of clusters"},
            {"/public/partners", "Trouver des partenaires", "Find partners"},
            {"/public/calls", "Appels à projets", "Calls for projects"},
            {"/public/support", "Demander un appui", "Ask for support"},
            {"/public/data", "Données ouvertes", "Open data"}}}) {
    const bool here = h.path == path || (path != "/public" && h.path.starts_with(path));
    nav += fmt::format("<li><a href=\"{}\"{}>{}</a></li>", escape(href(std::string(path), c)),
                       here ? " aria-current=\"page\"" : "", tr(c, fr_text, en_text));
  }
  return fmt::format(
      R"(<!doctype html>
<html lang="{lang}" data-fr-scheme="light">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <meta name="description" content="{description}">
{robots}  <link rel="canonical" href="{canonical}">
  <link rel="alternate" hreflang="fr" href="{fr_href}">
  <link rel="alternate" hreflang="en" href="{en_href}">
  <meta property="og:title" content="{title}">
  <meta property="og:description" content="{description}">
  <meta property="og:type" content="website">
  <meta property="og:locale" content="{locale}">
  <meta property="og:url" content="{canonical}">
{css}  <link rel="stylesheet" href="/portal.css">
{ld}</head>
<body>
<div class="fr-skiplinks"><nav class="fr-container" role="navigation" aria-label="{skip_label}"><ul class="fr-skiplinks__list"><li><a class="fr-link" href="#contenu">{skip}</a></li></ul></nav></div>
<header role="banner" class="fr-header">
  <div class="fr-header__body"><div class="fr-container"><div class="fr-header__body-row">
    <div class="fr-header__brand fr-enlarge-link">
      <div class="fr-header__brand-top"><div class="fr-header__logo"><p class="fr-logo">République<br>Française</p></div></div>
      <div class="fr-header__service"><a href="{home}" title="{home_title}"><p class="fr-header__service-title">{site}</p></a>
        <p class="fr-header__service-tagline">{tagline}</p></div>
    </div>
    <div class="fr-header__tools"><div class="fr-header__tools-links"><ul class="fr-btns-group">
      <li><a class="fr-btn" href="{switch_href}" hreflang="{other_lang}" lang="{other_lang}">{switch_text}</a></li>
      <li><a class="fr-btn" href="/">{dashboard}</a></li>
    </ul></div></div>
  </div></div></div>
  <nav class="portal-nav fr-container" aria-label="{nav_label}"><ul>{nav}</ul></nav>
</header>
<main id="contenu" role="main" class="fr-container fr-my-4w">
{main}
</main>
<footer class="fr-footer" role="contentinfo">
  <div class="fr-container">
    <div class="fr-footer__body"><div class="fr-footer__brand"><p class="fr-logo">République<br>Française</p></div>
      <div class="fr-footer__content"><p class="fr-footer__content-desc">{footer}</p></div></div>
    <div class="fr-footer__bottom"><p class="fr-footer__bottom-copy">{licence}{date}</p></div>
  </div>
</footer>
</body>
</html>
)",
      fmt::arg("lang", fr(c) ? "fr" : "en"), fmt::arg("title", escape(title)),
      fmt::arg("description", escape(h.description)),
      fmt::arg("robots", noindex ? "  <meta name=\"robots\" content=\"noindex, nofollow\">\n" : ""),
      fmt::arg("canonical", escape(c.base_url + href(h.path, c))),
      fmt::arg("fr_href", escape(c.base_url + h.path)),
      fmt::arg("en_href", escape(c.base_url + href(h.path, in_language("en")))),
      fmt::arg("nav_label", tr(c, "Rubriques du portail", "Sections of the portal")),
      fmt::arg("nav", nav), fmt::arg("locale", fr(c) ? "fr_FR" : "en_GB"), fmt::arg("css", css),
      fmt::arg("ld", ld), fmt::arg("skip_label", tr(c, "Accès rapide", "Quick access")),
      fmt::arg("skip", tr(c, "Aller au contenu", "Skip to content")),
      fmt::arg("home", escape(href("/public", c))),
      fmt::arg("home_title", tr(c, "Accueil du portail des pôles", "Clusters portal home")),
      fmt::arg("site", escape(site)),
      fmt::arg("tagline", tr(c, "Trouver un pôle, ses membres et ses projets",
                             "Find a cluster, its members and its projects")),
      fmt::arg("switch_href", escape(switch_href)), fmt::arg("other_lang", other_lang),
      fmt::arg("switch_text", tr(c, "English", "Français")),
      fmt::arg("dashboard", tr(c, "Espace des acteurs", "Members' area")), fmt::arg("main", main),
      fmt::arg("footer",
               tr(c,
                  "Les pôles de compétitivité rassemblent entreprises, laboratoires et "
                  "établissements de formation d'un territoire autour de projets d'innovation. "
                  "Ce portail montre ce qui est public par nature ou que les membres ont accepté "
                  "de publier.",
                  "Competitiveness clusters bring together the firms, laboratories and training "
                  "bodies of a territory around innovation projects. This portal shows what is "
                  "public by nature or what members agreed to publish.")),
      fmt::arg("licence", tr(c, "Données sous Licence Ouverte Etalab 2.0",
                             "Data under the Etalab Open Licence 2.0")),
      fmt::arg("date", data_date));
}

// One line of a page's facts (<dl class="portal-facts">): a term (text) and its value (HTML).
void add_fact(std::string& out, const std::string& term, const std::string& html) {
  out += "<dt>" + escape(term) + "</dt><dd>" + html + "</dd>";
}

std::string breadcrumb(const Context& c, const std::string& here) {
  return fmt::format(
      R"(<nav role="navigation" class="fr-breadcrumb" aria-label="{label}"><ol class="fr-breadcrumb__list">)"
      R"(<li><a class="fr-breadcrumb__link" href="{home}">{home_text}</a></li>)"
      R"(<li><a class="fr-breadcrumb__link" aria-current="page">{here}</a></li></ol></nav>)",
      fmt::arg("label", tr(c, "vous êtes ici :", "you are here:")),
      fmt::arg("home", escape(href("/public", c))),
      fmt::arg("home_text", tr(c, "Annuaire des pôles", "Directory of clusters")),
      fmt::arg("here", escape(here)));
}

// A table of counts: rows of (label, count), with its caption.
std::string count_table(const std::string& caption, const std::string& first_header,
                        const std::vector<std::pair<std::string, size_t>>& rows, const Context& c) {
  std::string body;
  for (const auto& [name, n] : rows)
    body += fmt::format("<tr><th scope=\"row\">{}</th><td class=\"portal-number\">{}</td></tr>",
                        escape(name), report::number(static_cast<double>(n), 0, c.lang));
  return fmt::format(
      R"(<div class="portal-table"><table><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col" class="portal-number">{}</th></tr></thead><tbody>{}</tbody></table></div>)",
      escape(caption), escape(first_header), tr(c, "Nombre", "Count"), body);
}

}  // namespace

std::vector<uint8_t> public_projects(const Snapshot& s) {
  const auto& consent = s.table("project").column("public_summary");
  std::vector<uint8_t> out(s.table("project").rows, 0);
  for (const int32_t p : s.table("project_label").column("project_id").codes) {
    const auto pu = static_cast<size_t>(p);
    out[pu] = consent.present[pu] && consent.ints[pu] == 1;
  }
  return out;
}

bool project_is_public(const Snapshot& s, size_t project) {
  const auto& consent = s.table("project").column("public_summary");
  if (!consent.present[project] || consent.ints[project] != 1) return false;
  const auto& label_project = s.table("project_label").column("project_id");
  return std::find(label_project.codes.begin(), label_project.codes.end(),
                   static_cast<int32_t>(project)) != label_project.codes.end();
}

// The map of the directory: each region a link to the directory filtered on it, shaded by its
// number of clusters under the other filters, named with that number (its text alternative);
// the overseas regions, which the map does not draw, in a line below.
std::string region_map(const RegionMap& map, const std::map<std::string, size_t>& by_region,
                       const DirectoryQuery& q, const Context& c) {
  size_t most = 1;
  for (const auto& [code, n] : by_region) most = std::max(most, n);
  const auto link = [&](const std::string& code) {
    std::string query = "/public?region=" + url_encode(code);
    if (!q.q.empty()) query += "&q=" + url_encode(q.q);
    if (!q.theme.empty()) query += "&theme=" + url_encode(q.theme);
    if (!q.scale.empty()) query += "&scale=" + url_encode(q.scale);
    if (!q.filiere.empty()) query += "&filiere=" + url_encode(q.filiere);
    if (q.former) query += "&former=true";
    return href(query, c) + "#resultats";
  };
  const auto count_text = [&](const std::string& name, size_t n) {
    return fmt::format("{} : {}", name,
                       n == 1 ? tr(c, "1 pôle", "1 cluster")
                              : fmt::format("{} {}", n, tr(c, "pôles", "clusters")));
  };
  std::string shapes;
  std::set<std::string> drawn;
  for (const auto& r : map.regions) {
    drawn.insert(r.code);
    const auto it = by_region.find(r.code);
    const size_t n = it == by_region.end() ? 0 : it->second;
    // Five shades: none, then four steps of the most.
    const size_t shade = n == 0 ? 0 : 1 + std::min<size_t>(3, (4 * n - 1) / most);
    shapes += fmt::format(
        "<a href=\"{href}\" aria-label=\"{text}\"{current}><path class=\"portal-map__region "
        "portal-map__region--{shade}\" d=\"{d}\"><title>{text}</title></path></a>",
        fmt::arg("href", escape(link(r.code))), fmt::arg("text", escape(count_text(r.name, n))),
        fmt::arg("current", q.region == r.code ? " aria-current=\"true\"" : ""),
        fmt::arg("shade", shade), fmt::arg("d", escape(r.path)));
  }
  std::string overseas;
  for (const auto& [code, n] : by_region) {
    if (drawn.count(code) || n == 0) continue;
    overseas += fmt::format("<li><a class=\"fr-link\" href=\"{}\">{}</a></li>", escape(link(code)),
                            escape(count_text(region_name(code), n)));
  }
  std::string out = fmt::format(
      "<figure class=\"portal-map\" role=\"group\" aria-labelledby=\"carte-titre\">"
      "<figcaption id=\"carte-titre\">{}</figcaption>"
      "<svg viewBox=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" "
      "aria-labelledby=\"carte-titre\">{}</svg>",
      tr(c, "Nombre de pôles par région — choisir une région filtre l'annuaire",
         "Number of clusters by region — choosing a region filters the directory"),
      escape(map.view_box), shapes);
  out += fmt::format(
      "<p class=\"portal-map__legend\"><span class=\"portal-map__key portal-map__key--0\"></span>{}"
      "<span class=\"portal-map__key portal-map__key--1\"></span><span class=\"portal-map__key "
      "portal-map__key--2\"></span><span class=\"portal-map__key portal-map__key--3\"></span><span "
      "class=\"portal-map__key portal-map__key--4\"></span>{}</p>",
      tr(c, "aucun pôle", "no cluster"),
      fmt::format("{} {}", tr(c, "jusqu'à", "up to"),
                  most == 1 ? tr(c, "1 pôle", "1 cluster")
                            : fmt::format("{} {}", most, tr(c, "pôles", "clusters"))));
  if (!overseas.empty()) out += "<ul class=\"portal-inline\">" + overseas + "</ul>";
  if (!q.region.empty())
    out += fmt::format("<p><a class=\"fr-link\" href=\"{}\">{}</a></p>", escape(href("/public", c)),
                       tr(c, "Toutes les régions", "Every region"));
  return out + "</figure>";
}

std::string directory_page(const Snapshot& s, const DirectoryQuery& q, const Context& c) {
  const auto& cl = s.table("cluster");
  const auto& name = cl.column("name");
  const auto& acronym = cl.column("acronym");
  const auto& themes = cl.column("themes");
  const auto& region = cl.column("region");
  const auto& scale = cl.column("scale");
  const auto& filiere = cl.column("filiere");
  const auto facts = cluster_facts(s);

  std::set<std::string> all_themes, all_filieres, all_regions;
  for (size_t i = 0; i < cl.rows; ++i) {
    if (!q.former && !facts[i].current) continue;
    for (auto& t : split_list(themes.text(i))) all_themes.insert(std::move(t));
    if (!filiere.text(i).empty()) all_filieres.emplace(filiere.text(i));
    all_regions.emplace(region.text(i));
  }
  const std::vector<std::string> words = folded_words(q.q);
  std::vector<size_t> shown;
  std::map<std::string, size_t> by_region;
  for (size_t i = 0; i < cl.rows; ++i) {
    if (!q.former && !facts[i].current) continue;
    if (!q.scale.empty() && scale.text(i) != q.scale) continue;
    if (!q.filiere.empty() && filiere.text(i) != q.filiere) continue;
    const auto list = split_list(themes.text(i));
    if (!q.theme.empty() && std::find(list.begin(), list.end(), q.theme) == list.end()) continue;
    std::string haystack =
        fmt::format("{} {} {} {} {}", name.text(i), acronym.text(i), themes.text(i),
                    filiere.text(i), label("filiere", filiere.text(i), c));
    for (const auto& t : list) haystack += " " + label("theme", t, c);
    haystack = fold(haystack);
    if (!std::all_of(words.begin(), words.end(),
                     [&](const std::string& w) { return haystack.find(w) != std::string::npos; }))
      continue;
    // The map counts the clusters of every region under the other filters.
    ++by_region[std::string(region.text(i))];
    if (!q.region.empty() && region.text(i) != q.region) continue;
    shown.push_back(i);
  }
  std::sort(shown.begin(), shown.end(),
            [&](size_t a, size_t b) { return fold(name.text(a)) < fold(name.text(b)); });

  const auto select = [&](std::string_view id, const std::string& text,
                          const std::vector<std::pair<std::string, std::string>>& options,
                          const std::string& chosen) {
    std::string opts = fmt::format("<option value=\"\">{}</option>", tr(c, "Tous", "All"));
    for (const auto& [value, shown_text] : options)
      opts += fmt::format("<option value=\"{}\"{}>{}</option>", escape(value),
                          value == chosen ? " selected" : "", escape(shown_text));
    return fmt::format(
        R"(<div class="fr-select-group fr-col-12 fr-col-md-3"><label class="fr-label" for="{0}">{1}</label><select class="fr-select" id="{0}" name="{0}">{2}</select></div>)",
        id, escape(text), opts);
  };
  std::vector<std::pair<std::string, std::string>> region_options, theme_options, filiere_options,
      scale_options;
  for (const auto& r : all_regions) region_options.push_back({r, region_name(r)});
  std::sort(region_options.begin(), region_options.end(),
            [](const auto& a, const auto& b) { return fold(a.second) < fold(b.second); });
  for (const auto& t : all_themes) theme_options.push_back({t, label("theme", t, c)});
  for (const auto& f : all_filieres) filiere_options.push_back({f, label("filiere", f, c)});
  for (auto* options : {&theme_options, &filiere_options})
    std::sort(options->begin(), options->end(),
              [](const auto& a, const auto& b) { return fold(a.second) < fold(b.second); });
  for (const auto code : kScaleCodes)
    scale_options.push_back({std::string(code), label("scale", code, c)});

  std::string main = fmt::format(
      R"(<h1>{title}</h1>
<p class="fr-text--lead">{lead}</p>
<form method="get" action="/public" class="portal-search" role="search">
{lang_field}<div class="fr-grid-row fr-grid-row--gutters">
<div class="fr-input-group fr-col-12"><label class="fr-label" for="q">{q_label}<span class="fr-hint-text">{q_hint}</span></label><input class="fr-input" type="search" id="q" name="q" value="{q}" maxlength="200"></div>
{theme}{region}{scale}{filiere}
</div>
<div class="fr-checkbox-group fr-my-2w"><input type="checkbox" id="former" name="former" value="true"{former_checked}><label class="fr-label" for="former">{former}</label></div>
<button class="fr-btn" type="submit">{search}</button>
</form>
<h2 class="fr-mt-4w" id="resultats">{count}</h2>
)",
      fmt::arg("title", tr(c, "Annuaire des pôles de compétitivité",
                           "Directory of competitiveness clusters")),
      fmt::arg("lead",
               tr(c,
                  "Trouvez le pôle de votre thème ou de votre région : ses membres, ses projets "
                  "et son histoire.",
                  "Find the cluster of your theme or region: its members, its projects and its "
                  "history.")),
      fmt::arg("lang_field", fr(c) ? "" : "<input type=\"hidden\" name=\"lang\" value=\"en\">"),
      fmt::arg("q_label", tr(c, "Rechercher", "Search")),
      fmt::arg("q_hint", tr(c, "Nom, sigle, thème ou filière", "Name, acronym, theme or filière")),
      fmt::arg("q", escape(q.q)),
      fmt::arg("theme", select("theme", tr(c, "Thème", "Theme"), theme_options, q.theme)),
      fmt::arg("region", select("region", tr(c, "Région", "Region"), region_options, q.region)),
      fmt::arg("scale", select("scale", tr(c, "Échelle", "Scale"), scale_options, q.scale)),
      fmt::arg("filiere",
               select("filiere", tr(c, "Filière", "Filière"), filiere_options, q.filiere)),
      fmt::arg("former_checked", q.former ? " checked" : ""),
      fmt::arg("former", tr(c, "Inclure les pôles qui ne sont plus labellisés",
                            "Include clusters no longer labelled")),
      fmt::arg("search", tr(c, "Rechercher", "Search")),
      fmt::arg("count", shown.size() == 1
                            ? tr(c, "1 pôle", "1 cluster")
                            : fmt::format("{} {}", shown.size(), tr(c, "pôles", "clusters"))));
  if (c.map != nullptr) main += region_map(*c.map, by_region, q, c);
  if (shown.empty())
    main +=
        "<p>" +
        tr(c, "Aucun pôle ne correspond à ces critères.", "No cluster matches these criteria.") +
        "</p>";
  main += "<ul class=\"fr-grid-row fr-grid-row--gutters portal-cards\">";
  for (const size_t i : shown) {
    std::string tags;
    for (const auto& t : split_list(themes.text(i)))
      tags += "<li><p class=\"fr-tag fr-tag--sm\">" + escape(label("theme", t, c)) + "</p></li>";
    const std::string sub =
        acronym.text(i).empty() || acronym.text(i) == name.text(i)
            ? std::string()
            : fmt::format("<p class=\"fr-card__detail\">{}</p>", escape(acronym.text(i)));
    main += fmt::format(
        R"(<li class="fr-col-12 fr-col-md-6 fr-col-lg-4"><div class="fr-card fr-enlarge-link"><div class="fr-card__body"><div class="fr-card__content"><h3 class="fr-card__title"><a href="{href}">{name}</a></h3><p class="fr-card__desc">{region} · {scale}{former}</p><div class="fr-card__start">{sub}</div><div class="fr-card__end"><ul class="fr-tags-group">{tags}</ul></div></div></div></div></li>)",
        fmt::arg("href", escape(href("/public/clusters/" + std::string(cl.key(i)), c))),
        fmt::arg("name", escape(name.text(i))),
        fmt::arg("region", escape(region_name(region.text(i)))),
        fmt::arg("scale", escape(label("scale", scale.text(i), c))),
        fmt::arg("former",
                 facts[i].current ? "" : " · " + tr(c, "plus labellisé", "no longer labelled")),
        fmt::arg("sub", sub), fmt::arg("tags", tags));
  }
  main += "</ul>";
  return page({"",
               tr(c,
                  "Annuaire des pôles de compétitivité : thèmes, régions, membres et projets "
                  "labellisés.",
                  "Directory of the French competitiveness clusters: themes, regions, members "
                  "and labelled projects."),
               "/public",
               {}},
              main, c);
}

std::optional<std::string> cluster_page(const Snapshot& s, std::string_view id, const Context& c,
                                        const std::optional<EvaluationSummary>& evaluation) {
  const auto& cl = s.table("cluster");
  const int32_t row = cl.find(id);
  if (row < 0) return std::nullopt;
  const auto i = static_cast<size_t>(row);
  const auto facts = cluster_facts(s)[i];
  const std::string name(cl.column("name").text(i));
  const std::string acronym(cl.column("acronym").text(i));
  const std::string region(cl.column("region").text(i));
  const std::string website(cl.column("website").text(i));
  const std::string filiere(cl.column("filiere").text(i));

  std::string main = breadcrumb(c, name);
  main += "<h1>" + escape(name) + "</h1>";
  if (!acronym.empty() && acronym != name)
    main += "<p class=\"fr-text--lead\">" + escape(acronym) + "</p>";
  // Identity.
  std::string tags;
  for (const auto& t : split_list(cl.column("themes").text(i)))
    tags += fmt::format("<li><a class=\"fr-tag\" href=\"{}\">{}</a></li>",
                        escape(href("/public?theme=" + url_encode(t), c)),
                        escape(label("theme", t, c)));
  main += "<dl class=\"portal-facts\">";
  const auto fact = [&main](const std::string& term, const std::string& html) {
    add_fact(main, term, html);
  };
  fact(tr(c, "Région", "Region"), escape(region_name(region)));
  fact(tr(c, "Échelle", "Scale"), escape(label("scale", cl.column("scale").text(i), c)));
  if (!filiere.empty()) fact(tr(c, "Filière", "Filière"), escape(label("filiere", filiere, c)));
  if (!tags.empty())
    fact(tr(c, "Thèmes", "Themes"), "<ul class=\"fr-tags-group\">" + tags + "</ul>");
  if (website.starts_with("https://") || website.starts_with("http://"))
    fact(tr(c, "Site", "Website"),
         fmt::format("<a class=\"fr-link\" href=\"{0}\" rel=\"noopener nofollow\">{0}</a>",
                     escape(website)));
  fact(tr(c, "Label", "Label"),
       facts.current ? tr(c, "labellisé pour la phase en cours", "labelled for the current phase")
                     : tr(c, "plus labellisé", "no longer labelled"));
  main += "</dl>";
  if (facts.current)
    main += fmt::format("<p><a class=\"fr-btn fr-btn--secondary\" href=\"{}\">{}</a></p>",
                        escape(href("/public/support?cluster=" + url_encode(cl.key(i)), c)),
                        tr(c, "Demander un appui à ce pôle", "Ask this cluster for support"));

  // Label history.
  if (!facts.phases.empty()) {
    std::string body;
    for (const auto& [phase, years] : facts.phases)
      body += fmt::format("<tr><th scope=\"row\">{} {}</th><td>{}–{}</td></tr>",
                          tr(c, "Phase", "Phase"),
                          phase >= 1 && phase <= 5 ? kRoman[static_cast<size_t>(phase)] : "?",
                          years.first, years.second);
    main += fmt::format(
        R"(<h2>{}</h2><div class="portal-table"><table><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table></div>)",
        tr(c, "Histoire du label", "Label history"),
        tr(c, "Phases de la politique des pôles où le pôle était labellisé",
           "Phases of the cluster policy in which the cluster was labelled"),
        tr(c, "Phase", "Phase"), tr(c, "Années", "Years"), body);
  }

  // The State's evaluation, when it chose to show its summary.
  if (evaluation) {
    const auto& e = *evaluation;
    std::string trend;
    if (e.trend == "up" || e.trend == "down" || e.trend == "stable")
      trend = fmt::format(" {} {}.", tr(c, "Tendance :", "Trend:"), label("trend", e.trend, c));
    main += fmt::format(
        "<h2>{title}</h2><div class=\"fr-callout\"><p class=\"fr-callout__text\">{verdict} "
        "{rank}{trend}</p><p class=\"fr-text--sm\">{note}</p></div>",
        fmt::arg("title", escape(fmt::format("{} {}", tr(c, "Évaluation", "Evaluation"), e.year))),
        // A rank interval across two groups: the State does not tell the cluster from those
        // ranked around it, said as such.
        fmt::arg("verdict",
                 e.rating == "not_distinguishable"
                     ? escape(tr(c,
                                 "L'évaluation de l'État ne permet pas de distinguer ce pôle des "
                                 "pôles classés autour de lui.",
                                 "The State's evaluation cannot tell this cluster from those "
                                 "ranked around it."))
                     : fmt::format(
                           "{} <strong>{}</strong>.",
                           escape(tr(c, "L'État classe ce pôle", "The State rates this cluster")),
                           escape(label("rating", e.rating, c)))),
        fmt::arg("rank",
                 escape(e.rank_low == e.rank_high
                            ? fmt::format(fmt::runtime(tr(c,
                                                          "Rang {} sur {} pôles évalués, le même "
                                                          "sous l'incertitude de la méthode.",
                                                          "Rank {} of {} clusters evaluated, the "
                                                          "same under the method's uncertainty.")),
                                          e.rank, e.clusters)
                            : fmt::format(fmt::runtime(tr(c,
                                                          "Rang {} sur {} pôles évalués, entre {} "
                                                          "et {} selon l'incertitude de la "
                                                          "méthode.",
                                                          "Rank {} of {} clusters evaluated, "
                                                          "between {} and {} under the method's "
                                                          "uncertainty.")),
                                          e.rank, e.clusters, e.rank_low, e.rank_high))),
        fmt::arg("trend", escape(trend)),
        fmt::arg("note",
                 escape(tr(c,
                           "Résumé de l'évaluation que l'État a choisi de rendre public. Deux "
                           "pôles dont les intervalles de rang se chevauchent ne se distinguent "
                           "pas nettement.",
                           "Summary of the evaluation the State chose to make public. Two "
                           "clusters whose rank intervals overlap are not clearly apart."))));
  }

  // Members: counts of the running memberships by kind and size class; the listed ones by name.
  const auto& orgs = s.table("organisation");
  const auto& o_name = orgs.column("name");
  const auto& o_kind = orgs.column("kind");
  const auto& o_size = orgs.column("size_class");
  const auto& o_region = orgs.column("region");
  const auto all_members = current_members(s);
  const auto& latest = all_members[static_cast<size_t>(row)];
  std::map<std::string, size_t> by_kind, by_size;
  std::set<int32_t> members;
  std::vector<std::pair<std::string, std::string>> listed;  // name, region
  for (const auto& [o, m] : latest) {
    members.insert(o);
    const auto ou = static_cast<size_t>(o);
    ++by_kind[std::string(o_kind.text(ou))];
    if (o_kind.text(ou) == "company" && !o_size.text(ou).empty())
      ++by_size[std::string(o_size.text(ou))];
    if (is_listed(s, m))
      listed.push_back({std::string(o_name.text(ou)), region_name(o_region.text(ou))});
  }
  main += fmt::format("<h2>{}</h2>", tr(c, "Membres", "Members"));
  main +=
      "<p>" +
      (members.size() == 1
           ? tr(c, "1 membre actuellement.", "1 member at present.")
           : fmt::format("{} {}", report::number(static_cast<double>(members.size()), 0, c.lang),
                         tr(c, "membres actuellement.", "members at present."))) +
      "</p>";
  if (!members.empty()) {
    std::vector<std::pair<std::string, size_t>> kinds, sizes;
    for (const auto code : kOrgKindCodes) {
      const auto it = by_kind.find(std::string(code));
      if (it != by_kind.end()) kinds.push_back({label("org_kind", code, c), it->second});
    }
    for (const auto code : kSizeClassCodes) {
      const auto it = by_size.find(std::string(code));
      if (it != by_size.end()) sizes.push_back({label("size_class", code, c), it->second});
    }
    main +=
        "<div class=\"fr-grid-row fr-grid-row--gutters\"><div class=\"fr-col-12 fr-col-md-6\">" +
        count_table(tr(c, "Membres par nature", "Members by kind"), tr(c, "Nature", "Kind"), kinds,
                    c) +
        "</div>";
    if (!sizes.empty())
      main += "<div class=\"fr-col-12 fr-col-md-6\">" +
              count_table(tr(c, "Entreprises membres par taille", "Member companies by size"),
                          tr(c, "Taille", "Size"), sizes, c) +
              "</div>";
    main += "</div>";
  }
  std::sort(listed.begin(), listed.end(),
            [](const auto& a, const auto& b) { return fold(a.first) < fold(b.first); });
  main += fmt::format("<h3>{}</h3>", tr(c, "Membres qui acceptent d'être cités",
                                        "Members who agreed to be listed"));
  if (listed.empty()) {
    main += "<p>" +
            tr(c, "Aucun membre n'a encore accepté d'être cité ici.",
               "No member has agreed to be listed here yet.") +
            "</p>";
  } else {
    main += "<ul class=\"portal-members\">";
    for (const auto& [n, r] : listed)
      main +=
          fmt::format("<li>{} <span class=\"fr-hint-text\">{}</span></li>", escape(n), escape(r));
    main += "</ul>";
  }

  // Projects labelled: counts by year of label and by programme, and the public summaries.
  const auto& pl = s.table("project_label");
  const auto& l_project = pl.column("project_id");
  const auto& l_cluster = pl.column("cluster_id");
  const auto& l_date = pl.column("date");
  const auto& pr = s.table("project");
  const auto& p_programme = pr.column("programme");
  const auto& p_start = pr.column("start_date");
  std::map<int, std::set<int32_t>> by_year;
  std::map<std::string, std::set<int32_t>> by_programme;
  std::set<int32_t> projects;
  for (size_t l = 0; l < pl.rows; ++l) {
    if (l_cluster.codes[l] != row) continue;
    const int32_t p = l_project.codes[l];
    projects.insert(p);
    if (l_date.present[l]) by_year[Date::from_days(l_date.ints[l]).year].insert(p);
    by_programme[std::string(p_programme.text(static_cast<size_t>(p)))].insert(p);
  }
  main += fmt::format("<h2>{}</h2>", tr(c, "Projets labellisés", "Labelled projects"));
  main += "<p>" +
          fmt::format("{} {}", report::number(static_cast<double>(projects.size()), 0, c.lang),
                      projects.size() == 1 ? tr(c, "projet labellisé depuis l'origine.",
                                                "project labelled since the start.")
                                           : tr(c, "projets labellisés depuis l'origine.",
                                                "projects labelled since the start.")) +
          "</p>";
  if (!projects.empty()) {
    std::vector<std::pair<std::string, size_t>> years, programmes;
    for (auto it = by_year.rbegin(); it != by_year.rend(); ++it)
      years.push_back({std::to_string(it->first), it->second.size()});
    for (const auto& [code, in] : by_programme)
      programmes.push_back({programme_name(s, code, c), in.size()});
    main +=
        "<div class=\"fr-grid-row fr-grid-row--gutters\"><div class=\"fr-col-12 fr-col-md-6\">" +
        count_table(tr(c, "Projets labellisés par année du label",
                       "Projects labelled by year of the label"),
                    tr(c, "Année", "Year"), years, c) +
        "</div><div class=\"fr-col-12 fr-col-md-6\">" +
        count_table(tr(c, "Projets labellisés par programme de financement",
                       "Labelled projects by funding programme"),
                    tr(c, "Programme", "Programme"), programmes, c) +
        "</div></div>";
  }
  std::vector<std::pair<int64_t, int32_t>> published;  // (-start, project)
  const auto is_public = public_projects(s);
  for (const int32_t p : projects) {
    const auto pu = static_cast<size_t>(p);
    if (!is_public[pu]) continue;
    published.push_back({p_start.present[pu] ? -p_start.ints[pu] : 0, p});
  }
  std::sort(published.begin(), published.end());
  main += fmt::format("<h3>{}</h3>",
                      tr(c, "Projets présentés au public", "Projects presented to the public"));
  if (published.empty()) {
    main += "<p>" +
            tr(c, "Aucun projet du pôle n'a encore accepté d'être présenté ici.",
               "No project of the cluster has agreed to be presented here yet.") +
            "</p>";
  } else {
    constexpr size_t kShown = 30;
    main += "<ul class=\"portal-projects\">";
    for (size_t k = 0; k < std::min(kShown, published.size()); ++k) {
      const auto pu = static_cast<size_t>(published[k].second);
      main += fmt::format(
          "<li><a class=\"fr-link\" href=\"{}\">{}</a> — {} <span "
          "class=\"fr-hint-text\">{}</span></li>",
          escape(href("/public/projects/" + std::string(pr.key(pu)), c)),
          escape(pr.column("acronym").text(pu)), escape(pr.column("title").text(pu)),
          p_start.present[pu] ? std::to_string(Date::from_days(p_start.ints[pu]).year) : "");
    }
    main += "</ul>";
    if (published.size() > kShown)
      main += "<p>" +
              fmt::format("{} {}", published.size() - kShown,
                          tr(c, "autres projets, plus anciens.", "more projects, older.")) +
              "</p>";
  }

  nlohmann::json ld{{"@context", "https://schema.org"},
                    {"@type", "Organization"},
                    {"name", name},
                    {"areaServed", region_name(region)}};
  if (!acronym.empty()) ld["alternateName"] = acronym;
  if (website.starts_with("https://") || website.starts_with("http://")) ld["url"] = website;
  // Inside <script>: no '<', '>' or '&' at all (not "</script>", not "<!--" either), as JSON
  // escapes.
  std::string json;
  for (const char ch : ld.dump()) {
    if (ch == '<') {
      json += "\\u003c";
    } else if (ch == '>') {
      json += "\\u003e";
    } else if (ch == '&') {
      json += "\\u0026";
    } else {
      json += ch;
    }
  }
  return page({name,
               fmt::format("{} — {}", name,
                           tr(c, "pôle de compétitivité : membres, projets, histoire du label.",
                              "competitiveness cluster: members, projects, label history.")),
               "/public/clusters/" + std::string(cl.key(i)), json},
              main, c);
}

std::optional<std::string> project_page(const Snapshot& s, std::string_view id, const Context& c) {
  const auto& pr = s.table("project");
  const int32_t row = pr.find(id);
  if (row < 0 || !project_is_public(s, static_cast<size_t>(row))) return std::nullopt;
  const auto i = static_cast<size_t>(row);
  const std::string acronym(pr.column("acronym").text(i));
  const std::string title(pr.column("title").text(i));
  std::string main = breadcrumb(c, acronym);
  main += "<h1>" + escape(acronym) + "</h1>";
  if (!title.empty()) main += "<p class=\"fr-text--lead\">" + escape(title) + "</p>";
  main += "<dl class=\"portal-facts\">";
  const auto fact = [&main](const std::string& term, const std::string& html) {
    add_fact(main, term, html);
  };
  fact(tr(c, "Programme", "Programme"),
       escape(programme_name(s, pr.column("programme").text(i), c)));
  fact(tr(c, "Étape", "Stage"), escape(label("project_status", pr.column("status").text(i), c)));
  const auto& start = pr.column("start_date");
  const auto& end = pr.column("end_date");
  if (start.present[i]) fact(tr(c, "Début", "Start"), escape(date_text(start.ints[i], c)));
  if (end.present[i]) fact(tr(c, "Fin", "End"), escape(date_text(end.ints[i], c)));
  // The labelling clusters.
  const auto& pl = s.table("project_label");
  const auto& l_project = pl.column("project_id");
  const auto& l_cluster = pl.column("cluster_id");
  const auto& cl = s.table("cluster");
  std::set<std::pair<std::string, std::string>> clusters;  // name, id
  for (size_t l = 0; l < pl.rows; ++l) {
    if (l_project.codes[l] != row) continue;
    const auto cu = static_cast<size_t>(l_cluster.codes[l]);
    clusters.insert({std::string(cl.column("name").text(cu)), std::string(cl.key(cu))});
  }
  std::string links;
  for (const auto& [n, key] : clusters)
    links += fmt::format("<li><a class=\"fr-link\" href=\"{}\">{}</a></li>",
                         escape(href("/public/clusters/" + key, c)), escape(n));
  fact(tr(c, "Labellisé par", "Labelled by"), "<ul class=\"portal-inline\">" + links + "</ul>");
  main += "</dl>";
  // The partners' names and roles (no money: a firm's cost and aid are its own figures).
  const auto& pa = s.table("participation");
  const auto& a_project = pa.column("project_id");
  const auto& a_org = pa.column("organisation_id");
  const auto& a_role = pa.column("role");
  const auto& orgs = s.table("organisation");
  std::vector<std::tuple<int, std::string, std::string>> partners;
  for (size_t k = 0; k < pa.rows; ++k) {
    if (a_project.codes[k] != row) continue;
    const std::string_view role = a_role.text(k);
    partners.emplace_back(
        role == "coordinator" ? 0
        : role == "partner"   ? 1
                              : 2,
        std::string(orgs.column("name").text(static_cast<size_t>(a_org.codes[k]))),
        label("role", role, c));
  }
  std::sort(partners.begin(), partners.end());
  main += fmt::format("<h2>{}</h2>", tr(c, "Partenaires", "Partners"));
  if (partners.empty()) {
    main += "<p>" + tr(c, "Les partenaires ne sont pas renseignés.", "No partner is recorded.") +
            "</p>";
  } else {
    main += "<ul class=\"portal-members\">";
    for (const auto& [order, n, role] : partners)
      main += fmt::format("<li>{} <span class=\"fr-hint-text\">{}</span></li>", escape(n),
                          escape(role));
    main += "</ul>";
  }
  return page({acronym,
               fmt::format("{} — {}", acronym,
                           title.empty() ? tr(c, "projet labellisé", "labelled project") : title),
               "/public/projects/" + std::string(pr.key(i)),
               {}},
              main, c);
}

Result<RegionMap> RegionMap::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::not_found("cannot read the map " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  std::string js = text.str();
  // "export default {...};": the module's one object, which is JSON.
  const auto open = js.find('{');
  const auto close = js.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open)
    return Status::invalid_argument("the map " + file.string() + " holds no object");
  const auto j = nlohmann::json::parse(js.substr(open, close - open + 1), nullptr, false);
  // The ids of @svg-maps/france.regions, as INSEE region codes (web/lib/map.js has the same table).
  static const std::map<std::string, std::string> kCodes = {
      {"ara", "84"}, {"bfc", "27"}, {"bre", "53"}, {"cvl", "24"}, {"cor", "94"},
      {"ges", "44"}, {"hdf", "32"}, {"idf", "11"}, {"nor", "28"}, {"naq", "75"},
      {"occ", "76"}, {"pdl", "52"}, {"pac", "93"}};
  if (!j.is_object() || !j.contains("viewBox") || !j["viewBox"].is_string() ||
      !j.contains("locations") || !j["locations"].is_array())
    return Status::invalid_argument("the map " + file.string() +
                                    " is not {viewBox, locations: [{id, path}]}");
  RegionMap out;
  out.view_box = j["viewBox"].get<std::string>();
  for (const auto& l : j["locations"]) {
    if (!l.is_object() || !l.contains("id") || !l.contains("path") || !l["id"].is_string() ||
        !l["path"].is_string())
      return Status::invalid_argument("the map " + file.string() +
                                      ": a location without id or path");
    const auto code = kCodes.find(l["id"].get<std::string>());
    if (code == kCodes.end())
      return Status::invalid_argument("the map " + file.string() + ": unknown region id " +
                                      l["id"].get<std::string>());
    out.regions.push_back({code->second, region_name(code->second), l["path"].get<std::string>()});
  }
  return out;
}

std::string not_found_page(const Context& c) {
  return page({tr(c, "Page introuvable", "Page not found"),
               tr(c, "Cette page n'existe pas ou n'est pas publique.",
                  "This page does not exist or is not public."),
               "/public",
               {}},
              fmt::format("<h1>{}</h1><p>{}</p><p><a class=\"fr-link\" href=\"{}\">{}</a></p>",
                          tr(c, "Page introuvable", "Page not found"),
                          tr(c, "Cette page n'existe pas ou n'est pas publique.",
                             "This page does not exist or is not public."),
                          escape(href("/public", c)),
                          tr(c, "Retour à l'annuaire des pôles", "Back to the directory")),
              c);
}

}  // namespace poles::portal

namespace poles::portal {
namespace {

struct Call {
  size_t row = 0;
  int64_t open = 0, close = 0;  // days; 0 when the date is not given
  bool has_open = false, has_close = false;
};

std::vector<Call> read_calls(const Snapshot& s) {
  const auto& calls = s.table("call");
  const auto& open = calls.column("open_date");
  const auto& close = calls.column("close_date");
  std::vector<Call> out;
  for (size_t i = 0; i < calls.rows; ++i) {
    Call call{i, 0, 0, open.present[i] != 0, close.present[i] != 0};
    if (call.has_open) call.open = open.ints[i];
    if (call.has_close) call.close = close.ints[i];
    out.push_back(call);
  }
  return out;
}

bool is_open(const Call& call, int64_t today) {
  return call.has_open && call.open <= today && (!call.has_close || today <= call.close);
}
bool is_announced(const Call& call, int64_t today) { return call.has_open && call.open > today; }

// An amount in euros as each language writes it: "2 500 000 €", "€2,500,000".
std::string euros(double v, const Context& c) {
  return fr(c) ? report::number(v, 0, c.lang) + "\u00a0€" : "€" + report::number(v, 0, c.lang);
}

// The facts of a call: programme, budget, dates (HTML of a <dl>).
std::string call_facts(const Snapshot& s, const Call& call, const Context& c) {
  const auto& calls = s.table("call");
  std::string out = "<dl class=\"portal-facts\">";
  add_fact(out, tr(c, "Programme", "Programme"),
           escape(programme_name(s, calls.column("programme").text(call.row), c)));
  const double budget = calls.column("budget").reals[call.row];
  if (!std::isnan(budget)) add_fact(out, tr(c, "Budget", "Budget"), escape(euros(budget, c)));
  if (call.has_open) add_fact(out, tr(c, "Ouverture", "Opens"), escape(date_text(call.open, c)));
  if (call.has_close) add_fact(out, tr(c, "Clôture", "Closes"), escape(date_text(call.close, c)));
  const double sme = calls.column("min_sme_share").reals[call.row];
  if (!std::isnan(sme) && sme > 0)
    add_fact(out, tr(c, "Part minimale des PME", "Minimum share of SMEs"),
             escape(report::number(100 * sme, 0, c.lang) + (fr(c) ? "\u00a0%" : "%")));
  return out + "</dl>";
}

std::string iso_date(int64_t days) { return Date::from_days(days).to_string(); }

}  // namespace

std::string calls_page(const Snapshot& s, const Context& c) {
  const auto& calls = s.table("call");
  auto all = read_calls(s);
  std::vector<Call> open, announced, closed;
  for (const auto& call : all) {
    if (is_open(call, c.today)) {
      open.push_back(call);
    } else if (is_announced(call, c.today)) {
      announced.push_back(call);
    } else if (call.has_close && call.close < c.today) {
      closed.push_back(call);
    }
  }
  // Open ones closing first; announced ones opening first; closed ones, the last closed first.
  std::sort(open.begin(), open.end(), [](const Call& a, const Call& b) {
    return std::tuple(!a.has_close, a.close, a.row) < std::tuple(!b.has_close, b.close, b.row);
  });
  std::sort(announced.begin(), announced.end(), [](const Call& a, const Call& b) {
    return std::tie(a.open, a.row) < std::tie(b.open, b.row);
  });
  std::sort(closed.begin(), closed.end(), [](const Call& a, const Call& b) {
    return std::tie(b.close, a.row) < std::tie(a.close, b.row);
  });
  if (closed.size() > 10) closed.resize(10);
  const auto section = [&](const std::string& title, const std::vector<Call>& list,
                           const std::string& none) {
    std::string out = "<h2>" + escape(title) + "</h2>";
    if (list.empty()) return out + "<p>" + escape(none) + "</p>";
    out += "<ul class=\"portal-cards\">";
    for (const auto& call : list)
      out += fmt::format("<li id=\"{}\"><h3 class=\"fr-h5\">{}</h3>{}</li>",
                         escape("appel-" + std::string(calls.key(call.row))),
                         escape(calls.column("title").text(call.row)), call_facts(s, call, c));
    return out + "</ul>";
  };
  std::string main = fmt::format(
      "<h1>{}</h1><p class=\"fr-text--lead\">{}</p><p><a class=\"fr-link\" href=\"{}\" "
      "type=\"application/atom+xml\">{}</a></p>",
      tr(c, "Appels à projets", "Calls for projects"),
      tr(c,
         "Les appels à projets des financeurs des pôles : ceux qui sont ouverts, ceux qui sont "
         "annoncés et les derniers clos.",
         "The calls for projects of the clusters' funders: those open, those announced and the "
         "last ones closed."),
      escape(href("/public/calls.atom", c)),
      tr(c, "Suivre les appels (flux Atom)", "Follow the calls (Atom feed)"));
  main += section(tr(c, "Ouverts", "Open"), open,
                  tr(c, "Aucun appel n'est ouvert aujourd'hui.", "No call is open today."));
  main += section(tr(c, "Annoncés", "Announced"), announced,
                  tr(c, "Aucun appel n'est annoncé.", "No call is announced."));
  main += section(tr(c, "Derniers appels clos", "Last calls closed"), closed,
                  tr(c, "Aucun appel clos.", "No call closed."));
  return page({tr(c, "Appels à projets", "Calls for projects"),
               tr(c, "Appels à projets ouverts et annoncés pour les projets des pôles.",
                  "Open and announced calls for the clusters' projects."),
               "/public/calls",
               {}},
              main, c);
}

std::string calls_feed(const Snapshot& s, const Context& c) {
  const auto& calls = s.table("call");
  auto all = read_calls(s);
  std::erase_if(all, [](const Call& call) { return !call.has_open; });
  std::sort(all.begin(), all.end(), [](const Call& a, const Call& b) {
    return std::tie(b.open, a.row) < std::tie(a.open, b.row);
  });
  if (all.size() > 50) all.resize(50);
  const std::string page_url = c.base_url + href("/public/calls", c);
  std::string entries;
  for (const auto& call : all) {
    const std::string key(calls.key(call.row));
    std::string summary = programme_name(s, calls.column("programme").text(call.row), c);
    const double budget = calls.column("budget").reals[call.row];
    if (!std::isnan(budget)) summary += " · " + tr(c, "budget ", "budget ") + euros(budget, c);
    summary += " · " + tr(c, "ouverture ", "opens ") + date_text(call.open, c);
    if (call.has_close) summary += " · " + tr(c, "clôture ", "closes ") + date_text(call.close, c);
    entries += fmt::format(
        "  <entry>\n    <id>{id}</id>\n    <title>{title}</title>\n"
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n"
        "    <published>{date}T00:00:00Z</published>\n    <updated>{date}T00:00:00Z</updated>\n"
        "    <summary>{summary}</summary>\n  </entry>\n",
        fmt::arg("id", escape(c.base_url + "/public/calls#appel-" + key)),
        fmt::arg("title", escape(calls.column("title").text(call.row))),
        fmt::arg("link", escape(page_url + "#appel-" + key)), fmt::arg("date", iso_date(call.open)),
        fmt::arg("summary", escape(summary)));
  }
  // Updated when the last call opened (stable between two versions of the data).
  const std::string updated = all.empty() ? "1970-01-01" : iso_date(all.front().open);
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n"
      "  <id>{id}</id>\n  <title>{title}</title>\n  <updated>{updated}T00:00:00Z</updated>\n"
      "  <author><name>{author}</name></author>\n"
      "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self}\"/>\n"
      "  <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n"
      "  <rights>{rights}</rights>\n{entries}</feed>\n",
      fmt::arg("lang", fr(c) ? "fr" : "en"),
      fmt::arg("id", escape(c.base_url + "/public/calls.atom")),
      fmt::arg("title", tr(c, "Appels à projets des pôles de compétitivité",
                           "Calls for projects of the competitiveness clusters")),
      fmt::arg("updated", updated),
      fmt::arg("author", tr(c, "Pôles de compétitivité", "Competitiveness clusters")),
      fmt::arg("self", escape(c.base_url + href("/public/calls.atom", c))),
      fmt::arg("page", escape(page_url)),
      fmt::arg("rights", tr(c, "Licence Ouverte Etalab 2.0", "Etalab Open Licence 2.0")),
      fmt::arg("entries", entries));
}

std::string sitemap(const Snapshot& s, const Context& c) {
  std::vector<std::string> paths = {"/public", "/public/partners", "/public/calls", "/public/data"};
  const auto& cl = s.table("cluster");
  const auto facts = cluster_facts(s);
  for (size_t i = 0; i < cl.rows; ++i)
    if (facts[i].current) paths.push_back("/public/clusters/" + std::string(cl.key(i)));
  const auto& pr = s.table("project");
  const auto is_public = public_projects(s);
  for (size_t p = 0; p < pr.rows; ++p)
    if (is_public[p]) paths.push_back("/public/projects/" + std::string(pr.key(p)));
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
      "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
  const Context en = in_language("en");
  // Keys are URL path segments: encoded as a link would be.
  for (const auto& path : paths) {
    const std::string fr_url = c.base_url + path;
    const std::string en_url = c.base_url + href(path, en);
    for (const auto& loc : {fr_url, en_url}) {
      out += fmt::format(
          "  <url><loc>{}</loc>"
          "<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"{}\"/>"
          "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{}\"/></url>\n",
          escape(loc), escape(fr_url), escape(en_url));
    }
  }
  return out + "</urlset>\n";
}

// A column's type in words (the dictionary's codes: string, integer, number, boolean, date).
std::string type_word(std::string_view type, const Context& c) {
  if (type == "integer") return tr(c, "nombre entier", "whole number");
  if (type == "number") return tr(c, "nombre (point décimal)", "number (decimal point)");
  if (type == "boolean") return tr(c, "vrai ou faux (true, false)", "true or false");
  if (type == "date") return tr(c, "date (AAAA-MM-JJ)", "date (YYYY-MM-DD)");
  return tr(c, "texte", "text");
}

std::string open_data_page(const Context& c) {
  std::string main = fmt::format(
      "<h1>{}</h1><p class=\"fr-text--lead\">{}</p><p>{}</p>",
      tr(c, "Données ouvertes", "Open data"),
      tr(c,
         "Les tables publiques du portail, à télécharger en CSV ou en JSON, datées par la "
         "version des données. Elles ne contiennent que ce qui est public par nature ou que les "
         "membres ont accepté de publier ; les chiffres d'entreprises y passent par le secret "
         "statistique.",
         "The portal's public tables, to download as CSV or JSON, dated by the version of the "
         "data. They hold only what is public by nature or what members agreed to publish; firm "
         "figures go through statistical secrecy."),
      fmt::format(
          "{} <a class=\"fr-link\" href=\"{}\" rel=\"license\">{}</a>. {} <a class=\"fr-link\" "
          "href=\"/api/public/v1/openapi.json\">{}</a>.",
          tr(c, "Licence :", "Licence:"), escape(kLicenceUrl),
          tr(c, "Licence Ouverte Etalab 2.0", "Etalab Open Licence 2.0"),
          tr(c, "Les mêmes tables sont servies par l'API publique (JSON), décrite par",
             "The same tables are served by the public API (JSON), described by"),
          tr(c, "son document OpenAPI", "its OpenAPI document")));
  if (const auto d = Date::parse(c.data_date))
    main +=
        "<p>" + tr(c, "Données au ", "Data as of ") + escape(date_text(d->to_days(), c)) + ".</p>";
  for (const auto& t : open_dictionary()) {
    std::string rows;
    for (const auto& col : t.columns)
      rows += fmt::format("<tr><th scope=\"row\"><code>{}</code></th><td>{}</td><td>{}</td></tr>",
                          escape(col.name), escape(type_word(col.type, c)),
                          escape(fr(c) ? col.fr : col.en));
    main += fmt::format(
        "<section class=\"fr-mt-4w\" id=\"{id}\"><h2>{title}</h2><p>{about}</p>"
        "<ul class=\"portal-inline\"><li><a class=\"fr-link\" "
        "href=\"/public/data/{id}.csv\" download>{csv}</a></li>"
        "<li><a class=\"fr-link\" "
        "href=\"/public/data/{id}.json\" download>{json}</a></li></ul>"
        "<div class=\"portal-table\"><table><caption>{caption}</caption><thead><tr>"
        "<th scope=\"col\">{name}</th><th scope=\"col\">{type}</th><th scope=\"col\">{meaning}</th>"
        "</tr></thead><tbody>{rows}</tbody></table></div></section>",
        fmt::arg("id", escape(t.name)), fmt::arg("title", escape(fr(c) ? t.title_fr : t.title_en)),
        fmt::arg("about", escape(fr(c) ? t.about_fr : t.about_en)),
        fmt::arg("csv", tr(c, "Télécharger en CSV", "Download as CSV")),
        fmt::arg("json", tr(c, "Télécharger en JSON", "Download as JSON")),
        fmt::arg("caption", tr(c, "Dictionnaire des données", "Data dictionary")),
        fmt::arg("name", tr(c, "Colonne", "Column")), fmt::arg("type", tr(c, "Type", "Type")),
        fmt::arg("meaning", tr(c, "Contenu", "Content")), fmt::arg("rows", rows));
  }
  return page({tr(c, "Données ouvertes", "Open data"),
               tr(c,
                  "Les tables publiques des pôles de compétitivité en CSV et JSON, sous Licence "
                  "Ouverte.",
                  "The public tables of the competitiveness clusters as CSV and JSON, under the "
                  "Open Licence."),
               "/public/data",
               {}},
              main, c);
}

std::string robots(const Context& c) {
  return fmt::format(
      "# The public portal may be indexed; the members' area and the API may not.\n"
      "User-agent: *\nAllow: /public\nAllow: /portal.css\nAllow: /node_modules/@gouvfr/dsfr/\n"
      "Disallow: /\n\nSitemap: {}/sitemap.xml\n",
      c.base_url);
}

}  // namespace poles::portal

namespace poles::portal {
namespace {

// A timestamp "YYYY-MM-DDTHH:MM:SS.mmmZ" as a person reads it (UTC: said once on the page).
std::string moment(const std::string& at, const Context& c) {
  const auto d = Date::parse(at.substr(0, std::min<size_t>(at.size(), 10)));
  if (!d) return at;
  const std::string time = at.size() >= 16 ? at.substr(11, 5) : "";
  return date_text(d->to_days(), c) + (time.empty() ? "" : (fr(c) ? " à " : " at ") + time);
}

std::string status_word(std::string_view status, const Context& c) {
  if (status == "received")
    return tr(c, "reçue, en attente d'un conseiller", "received, waiting for an adviser");
  if (status == "taken")
    return tr(c, "prise en charge par le pôle", "taken in hand by the cluster");
  if (status == "answered") return tr(c, "le pôle a répondu", "the cluster answered");
  if (status == "closed") return tr(c, "close", "closed");
  return std::string(status);
}

// Plain text with its line breaks, escaped.
std::string paragraphs(const std::string& text) {
  std::string out = "<p class=\"portal-text\">";
  for (const char ch : escape(text)) {
    if (ch == '\n') {
      out += "<br>";
    } else if (ch != '\r') {
      out += ch;
    }
  }
  return out + "</p>";
}

std::string privacy_notice(const Context& c) {
  return "<div class=\"fr-callout portal-notice\"><p class=\"fr-callout__text\">" +
         tr(c,
            "Données personnelles : votre nom, votre SIREN, votre adresse électronique et votre "
            "besoin sont transmis au pôle qui traite votre demande, à la région de ce pôle et aux "
            "services de l'État qui suivent la politique des pôles, pour vous répondre et pour "
            "rien d'autre. Ils sont supprimés automatiquement un an après votre demande. Vous "
            "pouvez demander leur correction ou leur effacement au pôle, en répondant à son "
            "message ou depuis votre lien de suivi.",
            "Personal data: your name, SIREN, e-mail address and need are sent to the cluster "
            "that handles your request, to that cluster's region and to the State services that "
            "follow the cluster policy, to answer you and for nothing else. They are deleted "
            "automatically a year after your request. You may ask the cluster to correct or "
            "erase them, by answering its message or from your tracking link.") +
         "</p></div>";
}

}  // namespace

std::string support_page(const Snapshot& s, const SupportFormView& f, const Context& c) {
  const auto value = [&f](const std::string& k) {
    const auto it = f.values.find(k);
    return it == f.values.end() ? std::string() : it->second;
  };
  std::map<std::string, std::pair<std::string, std::string>> errors;
  for (const auto& e : f.errors) errors[e.field] = {e.fr, e.en};
  const auto error_of = [&](const std::string& field) {
    const auto it = errors.find(field);
    if (it == errors.end()) return std::string();
    return fmt::format("<p class=\"fr-error-text\" id=\"{}-erreur\">{}</p>", field,
                       escape(fr(c) ? it->second.first : it->second.second));
  };
  const auto group = [&](const std::string& field, const std::string& label_text,
                         const std::string& hint, const std::string& control) {
    const bool bad = errors.count(field) > 0;
    return fmt::format(
        "<div class=\"fr-input-group{}\"><label class=\"fr-label\" "
        "for=\"{}\">{}{}</label>{}{}</div>",
        bad ? " fr-input-group--error" : "", field, escape(label_text),
        hint.empty() ? "" : "<span class=\"fr-hint-text\">" + escape(hint) + "</span>", control,
        error_of(field));
  };
  const auto described = [&](const std::string& field) {
    return errors.count(field)
               ? fmt::format(" aria-describedby=\"{}-erreur\" aria-invalid=\"true\"", field)
               : std::string();
  };
  const auto input = [&](const std::string& field, const std::string& type,
                         const std::string& autocomplete, size_t max) {
    return fmt::format(
        "<input class=\"fr-input\" type=\"{}\" id=\"{}\" name=\"{}\" value=\"{}\" "
        "autocomplete=\"{}\" maxlength=\"{}\" required{}>",
        type, field, field, escape(value(field)), autocomplete, max, described(field));
  };
  // The regions, the themes and the clusters labelled now.
  std::string region_options =
      fmt::format("<option value=\"\">{}</option>", tr(c, "Choisir", "Choose"));
  std::vector<std::pair<std::string, std::string>> regions;
  for (const auto& r : codes::regions())
    regions.push_back({std::string(r.code), std::string(r.name)});
  std::sort(regions.begin(), regions.end(),
            [](const auto& a, const auto& b) { return fold(a.second) < fold(b.second); });
  for (const auto& [code, name] : regions)
    region_options += fmt::format("<option value=\"{}\"{}>{}</option>", escape(code),
                                  value("region") == code ? " selected" : "", escape(name));
  const auto& cl = s.table("cluster");
  const auto facts = cluster_facts(s);
  std::set<std::string> themes;
  std::vector<std::pair<std::string, std::string>> clusters;
  for (size_t i = 0; i < cl.rows; ++i) {
    if (!facts[i].current) continue;
    for (auto& t : split_list(cl.column("themes").text(i))) themes.insert(std::move(t));
    clusters.push_back({std::string(cl.key(i)), std::string(cl.column("name").text(i))});
  }
  std::sort(clusters.begin(), clusters.end(),
            [](const auto& a, const auto& b) { return fold(a.second) < fold(b.second); });
  std::vector<std::pair<std::string, std::string>> theme_list;
  for (const auto& t : themes) theme_list.push_back({t, label("theme", t, c)});
  std::sort(theme_list.begin(), theme_list.end(),
            [](const auto& a, const auto& b) { return fold(a.second) < fold(b.second); });
  std::string theme_options = fmt::format("<option value=\"\">{}</option>",
                                          tr(c, "Aucun en particulier", "None in particular"));
  for (const auto& [code, word] : theme_list)
    theme_options += fmt::format("<option value=\"{}\"{}>{}</option>", escape(code),
                                 value("theme") == code ? " selected" : "", escape(word));
  std::string cluster_options = fmt::format("<option value=\"\">{}</option>",
                                            tr(c, "Le portail choisit selon ma région et mon thème",
                                               "The portal chooses by my region and theme"));
  for (const auto& [id, name] : clusters)
    cluster_options += fmt::format("<option value=\"{}\"{}>{}</option>", escape(id),
                                   value("cluster") == id ? " selected" : "", escape(name));

  std::string main = breadcrumb(c, tr(c, "Demander un appui", "Ask for support"));
  main += fmt::format("<h1>{}</h1><p class=\"fr-text--lead\">{}</p>",
                      tr(c, "Demander un appui à un pôle", "Ask a cluster for support"),
                      tr(c,
                         "Décrivez votre besoin (trouver des partenaires, monter un projet, un "
                         "financement, un marché) : le pôle de votre région et de votre thème "
                         "vous répond. Sans compte ; un lien vous permet de suivre votre demande.",
                         "Describe your need (finding partners, building a project, funding, a "
                         "market): the cluster of your region and theme answers you. Without an "
                         "account; a link lets you follow your request."));
  if (!f.errors.empty()) {
    std::string list;
    for (const auto& e : f.errors) list += "<li>" + escape(fr(c) ? e.fr : e.en) + "</li>";
    main += fmt::format(
        "<div class=\"fr-alert fr-alert--error fr-mb-3w\" role=\"alert\"><h2 "
        "class=\"fr-alert__title\">{}</h2><ul>{}</ul></div>",
        tr(c, "La demande n'est pas partie", "The request was not sent"), list);
  }
  main += fmt::format(
      "<form method=\"post\" action=\"{action}\" class=\"portal-form\" novalidate>"
      "<input type=\"hidden\" name=\"stamp\" value=\"{stamp}\">"
      "<div class=\"portal-hp\" aria-hidden=\"true\"><label for=\"website\">{hp}</label>"
      "<input type=\"text\" id=\"website\" name=\"website\" value=\"\" tabindex=\"-1\" "
      "autocomplete=\"off\"></div>"
      "{name}{siren}{email}"
      "<div class=\"fr-select-group{region_error}\"><label class=\"fr-label\" "
      "for=\"region\">{region_label}</label>"
      "<select class=\"fr-select\" id=\"region\" name=\"region\" "
      "required{region_described}>{region_options}</select>{region_message}</div>"
      "<div class=\"fr-select-group\"><label class=\"fr-label\" for=\"theme\">{theme_label}</label>"
      "<select class=\"fr-select\" id=\"theme\" "
      "name=\"theme\">{theme_options}</select>{theme_message}</div>"
      "<div class=\"fr-select-group\"><label class=\"fr-label\" "
      "for=\"cluster\">{cluster_label}</label>"
      "<select class=\"fr-select\" id=\"cluster\" "
      "name=\"cluster\">{cluster_options}</select>{cluster_message}</div>"
      "{need}{stamp_message}{notice}"
      "<button class=\"fr-btn fr-mt-2w\" type=\"submit\">{send}</button></form>",
      fmt::arg("action", escape(href("/public/support", c))), fmt::arg("stamp", escape(f.stamp)),
      fmt::arg("hp", tr(c, "Ne pas remplir ce champ", "Leave this field empty")),
      fmt::arg("name", group("name", tr(c, "Votre nom", "Your name"), "",
                             input("name", "text", "name", 200))),
      fmt::arg("siren",
               group("siren", tr(c, "SIREN de votre entreprise", "Your firm's SIREN"),
                     tr(c, "9 chiffres, sur vos factures ou sur annuaire-entreprises.data.gouv.fr",
                        "9 digits, on your invoices or on annuaire-entreprises.data.gouv.fr"),
                     input("siren", "text", "off", 11))),
      fmt::arg("email", group("email", tr(c, "Votre adresse électronique", "Your e-mail address"),
                              tr(c, "Le pôle vous écrit à cette adresse",
                                 "The cluster writes to you at this address"),
                              input("email", "email", "email", 254))),
      fmt::arg("region_error", errors.count("region") ? " fr-select-group--error" : ""),
      fmt::arg("region_label", tr(c, "Région de votre entreprise", "Your firm's region")),
      fmt::arg("region_described", described("region")), fmt::arg("region_options", region_options),
      fmt::arg("region_message", error_of("region")),
      fmt::arg("theme_label", tr(c, "Thème de votre besoin", "Theme of your need")),
      fmt::arg("theme_options", theme_options), fmt::arg("theme_message", error_of("theme")),
      fmt::arg("cluster_label", tr(c, "Pôle à qui l'adresser", "Cluster to send it to")),
      fmt::arg("cluster_options", cluster_options),
      fmt::arg("cluster_message", error_of("cluster")),
      fmt::arg(
          "need",
          group("need", tr(c, "Votre besoin", "Your need"),
                tr(c, "De 20 à 4 000 caractères, en texte simple",
                   "20 to 4,000 characters, plain text"),
                fmt::format("<textarea class=\"fr-input\" id=\"need\" name=\"need\" rows=\"8\" "
                            "maxlength=\"4000\" required{}>{}</textarea>",
                            described("need"), escape(value("need"))))),
      fmt::arg("stamp_message", error_of("stamp")), fmt::arg("notice", privacy_notice(c)),
      fmt::arg("send", tr(c, "Envoyer ma demande", "Send my request")));
  return page({tr(c, "Demander un appui", "Ask for support"),
               tr(c, "Demandez l'appui d'un pôle de compétitivité, sans compte.",
                  "Ask a competitiveness cluster for support, without an account."),
               "/public/support",
               {}},
              main, c);
}

std::string support_sent_page(const std::string& tracking_path, const std::string& cluster_name,
                              const Context& c) {
  std::string main = breadcrumb(c, tr(c, "Demande envoyée", "Request sent"));
  main += "<h1>" + tr(c, "Votre demande est envoyée", "Your request is sent") + "</h1>";
  if (!cluster_name.empty())
    main += "<p>" + tr(c, "Elle est adressée au pôle ", "It goes to the cluster ") + "<strong>" +
            escape(cluster_name) + "</strong>.</p>";
  else
    main += "<p>" +
            tr(c, "Les services de l'État l'adressent au pôle qui convient.",
               "The State services send it to the cluster that fits.") +
            "</p>";
  if (!tracking_path.empty()) {
    const std::string link = c.base_url + href(tracking_path, c);
    main += fmt::format(
        "<div class=\"fr-callout\"><h2 class=\"fr-callout__title\">{}</h2><p "
        "class=\"fr-callout__text\">{}</p>"
        "<p><a class=\"fr-link portal-tracking\" href=\"{}\">{}</a></p></div>",
        tr(c, "Gardez ce lien", "Keep this link"),
        tr(c,
           "Il est le seul moyen de suivre votre demande et de lire la réponse du pôle : "
           "enregistrez-le ou notez-le. Ne le partagez pas : il montre votre besoin.",
           "It is the only way to follow your request and read the cluster's answer: save it or "
           "write it down. Do not share it: it shows your need."),
        escape(href(tracking_path, c)), escape(link));
  }
  return page({tr(c, "Demande envoyée", "Request sent"),
               tr(c, "Votre demande d'appui est envoyée.", "Your request for support is sent."),
               "/public/support",
               {}},
              main, c, true);
}

std::string support_tracking_page(const SupportTrackingView& t, const std::string& tracking,
                                  const Context& c) {
  std::string main = breadcrumb(c, tr(c, "Suivi de ma demande", "My request"));
  main += "<h1>" + tr(c, "Suivi de votre demande d'appui", "Your request for support") + "</h1>";
  main += "<dl class=\"portal-facts\">";
  add_fact(main, tr(c, "État", "Status"),
           "<strong>" + escape(status_word(t.status, c)) + "</strong>");
  if (t.cluster_name)
    add_fact(
        main, tr(c, "Pôle", "Cluster"),
        fmt::format("<a class=\"fr-link\" href=\"{}\">{}</a>",
                    escape(href("/public/clusters/" + *t.cluster_id, c)), escape(*t.cluster_name)));
  add_fact(main, tr(c, "Envoyée le", "Sent on"), escape(moment(t.created_at, c)));
  if (t.taken_at)
    add_fact(main, tr(c, "Prise en charge le", "Taken on"), escape(moment(*t.taken_at, c)));
  if (t.answered_at)
    add_fact(main, tr(c, "Réponse le", "Answered on"), escape(moment(*t.answered_at, c)));
  if (t.closed_at) add_fact(main, tr(c, "Close le", "Closed on"), escape(moment(*t.closed_at, c)));
  if (const auto d = Date::parse(t.delete_after))
    add_fact(main, tr(c, "Supprimée le", "Deleted on"), escape(date_text(d->to_days(), c)));
  main += "</dl>";
  main += "<h2>" + tr(c, "Réponse du pôle", "The cluster's answer") + "</h2>";
  main += t.answer ? paragraphs(*t.answer)
                   : "<p>" + tr(c, "Pas encore de réponse.", "No answer yet.") + "</p>";
  main += "<h2>" + tr(c, "Votre besoin", "Your need") + "</h2>" + paragraphs(t.need);
  main += "<p class=\"fr-hint-text\">" +
          tr(c, "Heures en temps universel (UTC).", "Times in UTC.") + "</p>";
  main += fmt::format(
      "<h2>{}</h2><p>{}</p><form method=\"post\" action=\"{}\"><button class=\"fr-btn "
      "fr-btn--secondary\" type=\"submit\">{}</button></form>",
      tr(c, "Supprimer ma demande", "Delete my request"),
      tr(c,
         "Votre demande, votre nom, votre SIREN, votre adresse et la réponse du pôle sont "
         "effacés tout de suite, et ce lien ne mènera plus à rien.",
         "Your request, name, SIREN, address and the cluster's answer are erased at once, and "
         "this link will lead nowhere."),
      escape(href("/public/support/" + tracking + "/delete", c)),
      tr(c, "Supprimer ma demande et mes données", "Delete my request and my data"));
  return page({tr(c, "Suivi de ma demande", "My request"),
               tr(c, "Suivi d'une demande d'appui.", "A request for support."),
               "/public/support",
               {}},
              main, c, true);
}

std::string support_erased_page(const Context& c) {
  return page({tr(c, "Demande supprimée", "Request deleted"),
               tr(c, "Votre demande est supprimée.", "Your request is deleted."),
               "/public/support",
               {}},
              fmt::format("<h1>{}</h1><p>{}</p>", tr(c, "Demande supprimée", "Request deleted"),
                          tr(c,
                             "Votre demande et vos données personnelles sont effacées ; le pôle "
                             "ne la voit plus.",
                             "Your request and your personal data are erased; the cluster no "
                             "longer sees it.")),
              c, true);
}

std::string support_busy_page(int retry_after_seconds, bool everyone, const Context& c) {
  const int minutes = std::max(1, (retry_after_seconds + 59) / 60);
  const std::string why =
      everyone ? tr(c, "Le service reçoit trop de demandes en ce moment. Réessayez dans",
                    "The service receives too many requests at the moment. Try again in")
               : tr(c, "Trop de demandes ont été envoyées depuis votre connexion. Réessayez dans",
                    "Too many requests were sent from your connection. Try again in");
  return page(
      {tr(c, "Trop de demandes", "Too many requests"),
       tr(c, "Trop de demandes envoyées.", "Too many requests sent."),
       "/public/support",
       {}},
      fmt::format("<h1>{}</h1><p>{} {} {}</p>", tr(c, "Trop de demandes", "Too many requests"), why,
                  minutes, tr(c, "minutes.", "minutes.")),
      c);
}

}  // namespace poles::portal

namespace poles::portal {
namespace {

// A share as a percentage in the page's language ("40 %" / "40%").
std::string percent_text(double share, const Context& c) {
  const std::string n = report::number(100 * share, 0, c.lang);
  return fr(c) ? n + "\u00a0%" : n + "%";
}

// The kinds of partner a need may ask for, as the form offers them.
const std::array<std::pair<std::string_view, std::pair<std::string_view, std::string_view>>, 6>
    kPartnerKinds = {{{"sme", {"Une PME", "An SME"}},
                      {"company", {"Une entreprise", "A company"}},
                      {"research", {"Un organisme de recherche", "A research organisation"}},
                      {"higher_education",
                       {"Un établissement d'enseignement supérieur", "A higher education body"}},
                      {"training", {"Un organisme de formation", "A training body"}},
                      {"public_body", {"Un organisme public", "A public body"}}}};

std::string kind_text(std::string_view kind, const Context& c) {
  for (const auto& [code, words] : kPartnerKinds)
    if (code == kind) return tr(c, words.first, words.second);
  return label("org_kind", kind, c);
}

// Words quoted in the page's language: « mot » or “word”.
std::string quoted(std::string_view text, const Context& c) {
  return fr(c) ? fmt::format("«\u00a0{}\u00a0»", text) : fmt::format("“{}”", text);
}

// A reason of the partner finder, worded (HTML-escaped).
std::string why_text(const PartnerWhy& w, const Context& c) {
  const auto n = [&](double v) { return report::number(v, 0, c.lang); };
  if (w.code == "theme")
    return escape(fmt::format("{} {}", tr(c, "déclare le thème", "declares the theme"),
                              quoted(label("theme", w.detail, c), c)));
  if (w.code == "region")
    return escape(fmt::format("{} ({})", tr(c, "dans votre région", "in your region"),
                              region_name(w.detail)));
  if (w.code == "sector")
    return escape(fmt::format(
        "{} {} (NAF {})", n(w.value),
        tr(c, w.value > 1 ? "membres listés de votre secteur" : "membre listé de votre secteur",
           w.value > 1 ? "listed members in your sector" : "listed member in your sector"),
        w.detail));
  if (w.code == "kind_members")
    return escape(fmt::format(
        "{} {} : {}", n(w.value),
        tr(c, w.value > 1 ? "membres listés du type cherché" : "membre listé du type cherché",
           w.value > 1 ? "listed members of the kind sought" : "listed member of the kind sought"),
        kind_text(w.detail, c)));
  if (w.code == "words")
    return escape(fmt::format("{} {}", tr(c, "correspond à", "matches"), quoted(w.detail, c)));
  if (w.code == "sector_projects")
    return escape(fmt::format(
        "{} {} (NAF {})", percent_text(w.value, c),
        tr(c, "de ses projets publics dans votre secteur", "of its public projects in your sector"),
        w.detail));
  if (w.code == "same_sector")
    return escape(
        fmt::format("{} (NAF {})", tr(c, "de votre secteur", "in your sector"), w.detail));
  if (w.code == "theme_projects")
    return escape(fmt::format(
        "{} {} {}", percent_text(w.value, c),
        tr(c, "de ses projets publics sur le thème", "of its public projects on the theme"),
        quoted(label("theme", w.detail, c), c)));
  if (w.code == "same_region") return escape(tr(c, "dans votre région", "in your region"));
  if (w.code == "sme") return escape(tr(c, "une PME", "an SME"));
  if (w.code == "active")
    return escape(fmt::format(
        "{} {}", n(w.value),
        tr(c,
           w.value > 1 ? "partenaires dans des projets publics"
                       : "partenaire dans des projets publics",
           w.value > 1 ? "partners in public projects" : "partner in public projects")));
  return escape(w.code);
}

// A suggestion as a card: its title (HTML), a line of facts (HTML), its reasons (HTML); a card
// whose title is a link is one large link.
std::string suggestion_card(const std::string& title, const std::string& desc,
                            const std::string& reasons, bool link) {
  return fmt::format(
      R"(<li class="fr-col-12 fr-col-md-6 fr-col-lg-4"><div class="fr-card{}"><div class="fr-card__body"><div class="fr-card__content"><h3 class="fr-card__title">{}</h3><p class="fr-card__desc">{}</p><div class="fr-card__end">{}</div></div></div></div></li>)",
      link ? " fr-enlarge-link" : "", title, desc, reasons);
}

std::string why_list(const std::vector<PartnerWhy>& why, const Context& c) {
  std::string out = "<ul class=\"portal-reasons\">";
  for (const auto& w : why) out += "<li>" + why_text(w, c) + "</li>";
  return out + "</ul>";
}

}  // namespace

std::string partners_page(const Snapshot& s, const PartnerQuery& q, const PartnerSuggestions& r,
                          const Context& c) {
  const auto& cl = s.table("cluster");
  const auto facts = cluster_facts(s);
  std::set<std::string> themes;
  for (size_t i = 0; i < cl.rows; ++i) {
    if (!facts[i].current) continue;
    for (auto& t : split_list(cl.column("themes").text(i))) themes.insert(std::move(t));
  }
  std::vector<std::pair<std::string, std::string>> theme_list, regions;
  for (const auto& t : themes) theme_list.push_back({t, label("theme", t, c)});
  for (const auto& reg : codes::regions())
    regions.push_back({std::string(reg.code), std::string(reg.name)});
  for (auto* list : {&theme_list, &regions})
    std::sort(list->begin(), list->end(),
              [](const auto& a, const auto& b) { return fold(a.second) < fold(b.second); });
  const auto options = [&](const std::vector<std::pair<std::string, std::string>>& list,
                           const std::string& chosen, const std::string& none) {
    std::string out = fmt::format("<option value=\"\">{}</option>", escape(none));
    for (const auto& [code, word] : list)
      out += fmt::format("<option value=\"{}\"{}>{}</option>", escape(code),
                         chosen == code ? " selected" : "", escape(word));
    return out;
  };
  std::vector<std::pair<std::string, std::string>> kinds;
  for (const auto& [code, words] : kPartnerKinds)
    kinds.push_back({std::string(code), tr(c, words.first, words.second)});

  const std::string title = tr(c, "Trouver des partenaires", "Find partners");
  std::string main = breadcrumb(c, title);
  main += fmt::format(
      R"(<h1>{title}</h1>
<p class="fr-text--lead">{lead}</p>
<form method="get" action="/public/partners" class="portal-search">
{lang_field}<div class="fr-grid-row fr-grid-row--gutters">
<div class="fr-input-group fr-col-12 fr-col-md-4{naf_error_class}"><label class="fr-label" for="naf">{naf_label}<span class="fr-hint-text">{naf_hint}</span></label><input class="fr-input" type="text" id="naf" name="naf" value="{naf}" maxlength="20" autocomplete="off"{naf_described}>{naf_error}</div>
<div class="fr-select-group fr-col-12 fr-col-md-4"><label class="fr-label" for="theme">{theme_label}</label><select class="fr-select" id="theme" name="theme">{theme_options}</select></div>
<div class="fr-select-group fr-col-12 fr-col-md-4"><label class="fr-label" for="region">{region_label}</label><select class="fr-select" id="region" name="region">{region_options}</select></div>
<div class="fr-select-group fr-col-12 fr-col-md-4"><label class="fr-label" for="kind">{kind_label}</label><select class="fr-select" id="kind" name="kind">{kind_options}</select></div>
<div class="fr-input-group fr-col-12 fr-col-md-8"><label class="fr-label" for="q">{q_label}<span class="fr-hint-text">{q_hint}</span></label><input class="fr-input" type="search" id="q" name="q" value="{q}" maxlength="200"></div>
</div>
<button class="fr-btn fr-mt-2w" type="submit">{search}</button>
</form>
)",
      fmt::arg("title", escape(title)),
      fmt::arg("lead",
               tr(c,
                  "Décrivez votre besoin : le portail vous indique les pôles vers qui vous tourner "
                  "et des organisations avec qui monter un projet, avec leurs raisons. Il ne lit "
                  "que des données publiques : les membres qui ont accepté d'être cités et les "
                  "projets qui ont accepté d'être publiés.",
                  "Describe your need: the portal points to the clusters to turn to and to "
                  "organisations to build a project with, with the reasons. It reads public data "
                  "only: the members that agreed to be listed and the projects that agreed to "
                  "publication.")),
      fmt::arg("lang_field", fr(c) ? "" : "<input type=\"hidden\" name=\"lang\" value=\"en\">"),
      fmt::arg("naf_error_class", r.invalid_naf ? " fr-input-group--error" : ""),
      fmt::arg("naf_label", tr(c, "Votre code NAF (APE)", "Your NAF (APE) code")),
      fmt::arg("naf_hint", tr(c, "Par exemple 26.11Z, ou sa division : 26",
                              "For example 26.11Z, or its division: 26")),
      fmt::arg("naf", escape(q.naf)),
      fmt::arg("naf_described", r.invalid_naf ? " aria-describedby=\"naf-error\"" : ""),
      fmt::arg("naf_error",
               r.invalid_naf
                   ? fmt::format("<p id=\"naf-error\" class=\"fr-error-text\">{}</p>",
                                 tr(c,
                                    "Ce code NAF n'existe pas : il commence par deux chiffres "
                                    "d'une division de la nomenclature (01 à 99).",
                                    "This NAF code does not exist: it starts with the two "
                                    "digits of a division of the classification (01 to 99)."))
                   : ""),
      fmt::arg("theme_label", tr(c, "Thème", "Theme")),
      fmt::arg("theme_options",
               options(theme_list, q.theme, tr(c, "Aucun en particulier", "None in particular"))),
      fmt::arg("region_label", tr(c, "Votre région", "Your region")),
      fmt::arg("region_options",
               options(regions, q.region, tr(c, "Toutes les régions", "Every region"))),
      fmt::arg("kind_label", tr(c, "Partenaire cherché", "Partner sought")),
      fmt::arg("kind_options", options(kinds, q.kind, tr(c, "Tout type", "Any kind"))),
      fmt::arg("q_label", tr(c, "Quelques mots", "A few words")),
      fmt::arg("q_hint", tr(c, "Votre projet, une technologie, un marché",
                            "Your project, a technology, a market")),
      fmt::arg("q", escape(q.q)), fmt::arg("search", tr(c, "Chercher", "Search")));

  if (q.asked() && !r.invalid_naf) {
    main += fmt::format("<h2 class=\"fr-mt-4w\" id=\"poles\">{}</h2>",
                        tr(c, "Les pôles vers qui vous tourner", "Clusters to turn to"));
    if (r.clusters.empty())
      main += "<p>" +
              tr(c, "Aucun pôle ne correspond à ce besoin : essayez un autre thème ou l'annuaire.",
                 "No cluster matches this need: try another theme or the directory.") +
              "</p>";
    main += "<ul class=\"fr-grid-row fr-grid-row--gutters portal-cards\">";
    for (const auto& sc : r.clusters) {
      main += suggestion_card(
          fmt::format("<a href=\"{}\">{}</a>",
                      escape(href("/public/clusters/" + std::string(cl.key(sc.row)), c)),
                      escape(cl.column("name").text(sc.row))),
          escape(region_name(cl.column("region").text(sc.row))), why_list(sc.why, c), true);
    }
    main += "</ul>";
    main += fmt::format("<h2 class=\"fr-mt-4w\" id=\"organisations\">{}</h2>",
                        tr(c, "Des organisations à contacter", "Organisations to contact"));
    if (r.organisations.empty())
      main += "<p>" +
              tr(c,
                 "Aucun membre listé ne correspond : les pôles ci-dessus peuvent vous mettre en "
                 "relation.",
                 "No listed member matches: the clusters above can introduce you.") +
              "</p>";
    const network::OrganisationColumns orgs(s);
    main += "<ul class=\"fr-grid-row fr-grid-row--gutters portal-cards\">";
    for (const auto& so : r.organisations) {
      std::string via;
      for (size_t ci : so.clusters)
        via += fmt::format("{}<a href=\"{}\">{}</a>", via.empty() ? "" : ", ",
                           escape(href("/public/clusters/" + std::string(cl.key(ci)), c)),
                           escape(cl.column("name").text(ci)));
      const std::string where = region_name(orgs.region(so.row));
      main += suggestion_card(escape(orgs.name(so.row)),
                              escape(label("org_kind", orgs.kind(so.row), c)) +
                                  (where.empty() ? std::string() : " · " + escape(where)) + "<br>" +
                                  tr(c, "membre de", "member of") + " " + via,
                              why_list(so.why, c), false);
    }
    main += "</ul>";
    main += "<p class=\"fr-text--sm\">" +
            tr(c,
               "Les organisations sont classées par le moteur de recommandation du réseau de "
               "coopération, évalué sur les partenariats réels du programme européen H2020 "
               "(documentation : réseau de coopération). Pour entrer en contact, passez par le "
               "pôle ou demandez un appui.",
               "Organisations are ranked by the cooperation network's recommender, judged on the "
               "real partnerships of the European H2020 programme (documentation: cooperation "
               "network). To get in touch, go through the cluster or ask for support.") +
            fmt::format(" <a href=\"{}\">{}</a></p>", escape(href("/public/support", c)),
                        tr(c, "Demander un appui", "Ask for support"));
  }
  return page({title,
               tr(c,
                  "Trouver des partenaires pour un projet d'innovation : pôles et membres "
                  "listés, selon votre secteur, votre thème et votre région.",
                  "Find partners for an innovation project: clusters and listed members, by "
                  "your sector, theme and region."),
               "/public/partners",
               {}},
              main, c, /*noindex=*/q.asked());
}

}  // namespace poles::portal
