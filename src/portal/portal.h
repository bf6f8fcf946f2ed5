// The public portal: pages for firms and citizens, without an account, readable and indexable
// without JavaScript (HTML written on the server, every text escaped by construction), in the
// State's design system (DSFR), French first with English (docs/portal.md).
//
// What a page shows is public by nature or consented to, never more:
// - the registry of clusters (name, themes, filière, region, scale, website, label history);
// - counts of a cluster's members by kind and of its companies by size class, of the projects it
//   labelled by year and by programme (counts of rows, not figures of firms);
// - the names of the members that agreed to be listed (membership.listed), and the summaries of
//   labelled projects that agreed to publication (project.public_summary: acronym, title,
//   programme, dates, status, the labelling clusters and the partners' names).
// No page shows a firm's figure (headcount, turnover, aid of a firm, financing), an e-mail
// address, a SIREN or a field the dashboard reserves to some roles. Firm aggregates, when the
// portal publishes some, go through the secrecy engine (src/secrecy/) as every publisher's do.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "portal/partners.h"
#include "report/vocabulary.h"
#include "snapshot/snapshot.h"

namespace poles::portal {

// The words of the codes a person may see (web/vocab.json): report/vocabulary.h.
using report::Vocabulary;

// The regions of metropolitan France as SVG paths, for the directory's map: the dashboard's
// @svg-maps/france.regions (web/node_modules), read once at start.
struct RegionMap {
  struct Region {
    std::string code;  // INSEE
    std::string name;
    std::string path;  // SVG path data
  };
  std::string view_box;
  std::vector<Region> regions;
  // From the package's index.js ("export default {viewBox, locations: [{id, name, path}]}").
  static Result<RegionMap> load(const std::filesystem::path& file);
};

struct Context {
  std::string lang = "fr";                 // "fr" or "en"
  std::string data_date;                   // the date of the data (YYYY-MM-DD), or empty
  const Vocabulary* vocabulary = nullptr;  // null: codes are shown as they are
  const RegionMap* map = nullptr;          // null: the directory has no map
  // The address the public reaches the portal at (https://host, no trailing slash): absolute
  // links (canonical, sitemap, feed). Empty: links are paths.
  std::string base_url;
  int64_t today = 0;  // days since 1970-01-01 (UTC): which calls are open
};

// The directory's search and filters (every one optional).
struct DirectoryQuery {
  std::string q;        // words of the name, acronym or themes (accents and case ignored)
  std::string theme;    // a theme, as the clusters declare it
  std::string region;   // an INSEE region code
  std::string scale;    // national, regional
  std::string filiere;  // a filière, as the clusters declare it
  bool former = false;  // also the clusters no longer labelled
};

std::string directory_page(const snapshot::Snapshot& s, const DirectoryQuery& q, const Context& c);
// The summary of the State's evaluation a cluster's page shows, once the State chose to show a
// published year (docs/portal.md): its rating, rank and rank interval, its trend.
struct EvaluationSummary {
  int year = 0;
  std::string rating, trend;
  int rank = 0, rank_low = 0, rank_high = 0, clusters = 0;
};
// nullopt: no such cluster (the route answers 404 with not_found_page).
std::optional<std::string> cluster_page(const snapshot::Snapshot& s, std::string_view id,
                                        const Context& c,
                                        const std::optional<EvaluationSummary>& evaluation = {});
// nullopt: no such project, or one not labelled or not agreeing to publication (the same 404).
std::optional<std::string> project_page(const snapshot::Snapshot& s, std::string_view id,
                                        const Context& c);
std::string not_found_page(const Context& c);
// The partner finder (portal/partners.h): the form, and the suggestions when a need is given
// (such a page is not indexed: only the empty form is).
std::string partners_page(const snapshot::Snapshot& s, const PartnerQuery& q,
                          const PartnerSuggestions& r, const Context& c);

// The calls for projects: those open today (open_date <= today <= close_date), those announced
// (opening later) and the ten closed last, with programme, budget and dates.
std::string calls_page(const snapshot::Snapshot& s, const Context& c);
// The same calls as an Atom 1.0 feed (RFC 4287): the 50 opened last (and those announced), each
// entry updated at its opening date, so that a feed reader shows a new call once.
std::string calls_feed(const snapshot::Snapshot& s, const Context& c);
// The sitemap (sitemaps.org 0.9) of the public pages, with their English versions as hreflang
// alternates: the directory, the calls, the open data, each currently labelled cluster and each
// public project.
std::string sitemap(const snapshot::Snapshot& s, const Context& c);
// The open data: each table with its downloads (CSV, JSON), its dictionary and the licence, and
// the public API.
std::string open_data_page(const Context& c);
// The support request form (docs/portal.md, "Support requests"): what was typed (kept when the
// form comes back with errors), the errors by field, the signed stamp, the chosen cluster.
struct SupportFormView {
  std::map<std::string, std::string> values;  // name, siren, email, need, region, theme, cluster
  struct Error {
    std::string field, fr, en;
  };
  std::vector<Error> errors;
  std::string stamp;
};
std::string support_page(const snapshot::Snapshot& s, const SupportFormView& f, const Context& c);
// After sending: the tracking link (empty when nothing was stored: a robot), the cluster.
std::string support_sent_page(const std::string& tracking_path, const std::string& cluster_name,
                              const Context& c);
// The page of the tracking link.
struct SupportTrackingView {
  std::string status, created_at, need, delete_after;
  std::optional<std::string> taken_at, answered_at, closed_at, answer, cluster_id, cluster_name;
};
// `tracking`: the link's secret (the page's erase button posts to it).
std::string support_tracking_page(const SupportTrackingView& t, const std::string& tracking,
                                  const Context& c);
// After the firm erased its request.
std::string support_erased_page(const Context& c);
// Too many requests from the caller's address, or from `everyone`: when to come back.
std::string support_busy_page(int retry_after_seconds, bool everyone, const Context& c);

// robots.txt: the portal is open to indexing, the API and the members' area are not.
std::string robots(const Context& c);

// Whether a project's summary is public: labelled by a cluster and agreeing to publication.
bool project_is_public(const snapshot::Snapshot& s, size_t project);
// The same for every project (by row), in one pass.
std::vector<uint8_t> public_projects(const snapshot::Snapshot& s);
// The clusters labelled in the latest phase of the label history ("currently labelled").
int latest_phase(const snapshot::Snapshot& s);

}  // namespace poles::portal
