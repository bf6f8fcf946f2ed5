#include "demo/generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <unordered_map>
#include <vector>

#include "core/codes.h"
#include "core/model.h"
#include "core/validate.h"

namespace poles::demo {

std::optional<Scale> parse_scale(std::string_view text) {
  if (text == "small") return Scale::kSmall;
  if (text == "france") return Scale::kFrance;
  if (text == "national") return Scale::kNational;
  return std::nullopt;
}

Plan plan_for(Scale scale) {
  Plan p;
  switch (scale) {
    case Scale::kSmall:
      p.clusters = 12;
      p.companies = 600;
      p.others = 90;
      p.projects = 160;
      p.calls = 2;
      p.proposals_per_call = 30;
      p.reviewers = 25;
      break;
    case Scale::kFrance:
      break;
    case Scale::kNational:
      // About 1 M firms x 20 years and a cooperation graph of about 1 M edges.
      p.companies = 90000;
      p.others = 10000;
      p.projects = 75000;  // about 1 M distinct co-participation edges
      p.non_member_ratio = 10;
      p.first_year = 2005;
      p.last_year = 2024;
      break;
  }
  return p;
}

namespace {

// A consent drawn from the row's key, not from the generator's stream (adding it moved no other
// figure of the demo): true for about `share` of the keys, the same on every platform (FNV-1a).
bool consents(std::string_view key, double share) {
  uint64_t h = 1469598103934665603ull;
  for (const char ch : key) {
    h ^= static_cast<unsigned char>(ch);
    h *= 1099511628211ull;
  }
  return static_cast<double>(h % 1000) < share * 1000;
}

// A project's consortium (IP) agreement, drawn from its id like a consent: most funded projects
// have signed theirs (the funders ask for it), some are still drafting it, a few have none; a
// project not funded has a draft or nothing.
std::string ip_agreement(const std::string& project, bool funded) {
  if (funded) {
    if (consents(project + "#ip", 0.82)) return "signed";
    return consents(project + "#ip-draft", 0.7) ? "draft" : "none";
  }
  return consents(project + "#ip", 0.6) ? "draft" : "none";
}

// Portable, seeded randomness: the same numbers on every platform (no std:: distributions).
class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  double uniform() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }
  int below(int n) { return static_cast<int>(uniform() * n); }
  int between(int lo, int hi) { return lo + below(hi - lo + 1); }  // inclusive
  bool chance(double p) { return uniform() < p; }
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0, v = 0, s = 0;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double m = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * m;
    has_spare_ = true;
    return u * m;
  }
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
  int poisson(double mean) {
    if (mean > 30)
      return std::max(0, static_cast<int>(std::lround(mean + std::sqrt(mean) * normal())));
    const double l = std::exp(-mean);
    int k = 0;
    double p = 1;
    do {
      ++k;
      p *= uniform();
    } while (p > l);
    return k - 1;
  }
  template <size_t N>
  int pick(const std::array<double, N>& weights) {
    return pick(std::span<const double>(weights));
  }
  int pick(std::span<const double> weights) {
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    double x = uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      x -= weights[i];
      if (x < 0) return static_cast<int>(i);
    }
    return static_cast<int>(weights.size()) - 1;
  }

 private:
  std::mt19937_64 gen_;
  bool has_spare_ = false;
  double spare_ = 0;
};

std::string date(int y, int m, int d) { return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d); }
std::string random_date(Rng& rng, int year) {
  // One draw after the other: the order in which a call's arguments are evaluated is the
  // compiler's (GCC drew the day first, clang the month), and the demo must be the same with both.
  const int day = rng.between(1, 28);
  const int month = rng.between(1, 12);
  return date(year, month, day);
}

// A valid SIREN from a unique 8-digit body (Luhn check digit appended).
std::string siren_from(int64_t body) {
  std::string s = fmt::format("{:08d}", body);
  for (int d = 0; d <= 9; ++d) {
    std::string c = s + static_cast<char>('0' + d);
    if (validate::luhn_valid(c)) return c;
  }
  return s + "0";
}

// Regions in the order of codes::regions(), with weights for where clusters and firms are.
struct RegionInfo {
  std::string code;
  double weight;  // share of the economy (approximate)
  std::vector<std::string> departments;
};

std::vector<RegionInfo> region_table() {
  const std::map<std::string_view, double> w = {
      {"11", 0.30},  {"84", 0.12},  {"76", 0.08},  {"93", 0.07},  {"75", 0.08},  {"44", 0.07},
      {"32", 0.07},  {"52", 0.05},  {"53", 0.05},  {"28", 0.04},  {"27", 0.04},  {"24", 0.03},
      {"94", 0.005}, {"01", 0.004}, {"02", 0.004}, {"03", 0.002}, {"04", 0.008}, {"06", 0.002}};
  std::vector<RegionInfo> out;
  for (const auto& r : codes::regions()) {
    RegionInfo info{std::string(r.code), w.count(r.code) ? w.at(r.code) : 0.01, {}};
    for (const auto& d : codes::departments()) {
      if (d.region == r.code) info.departments.emplace_back(d.code);
    }
    out.push_back(std::move(info));
  }
  return out;
}

struct Theme {
  std::string_view slug, name, naf_division, filiere;
};
constexpr std::array<Theme, 20> kThemes = {{
    {"aero", "Aéronautique et espace", "30", "aeronautique"},
    {"sante", "Santé et biotechnologies", "21", "sante"},
    {"numerique", "Numérique", "62", "numerique"},
    {"energie", "Énergies nouvelles", "35", "energie"},
    {"mer", "Mer et littoral", "30", "naval"},
    {"agro", "Agroalimentaire", "10", "agroalimentaire"},
    {"materiaux", "Matériaux avancés", "24", "chimie-materiaux"},
    {"mobilite", "Mobilité et automobile", "29", "automobile"},
    {"chimie", "Chimie verte", "20", "chimie-materiaux"},
    {"photonique", "Optique et photonique", "26", "electronique"},
    {"eau", "Eau et environnement", "36", "eau"},
    {"bois", "Bois et construction", "16", "bois"},
    {"textile", "Textiles techniques", "13", "mode-luxe"},
    {"micro", "Microélectronique", "26", "electronique"},
    {"cosmetique", "Cosmétique", "20", "mode-luxe"},
    {"nucleaire", "Nucléaire", "35", "nucleaire"},
    {"ferroviaire", "Ferroviaire", "30", "ferroviaire"},
    {"vegetal", "Végétal et semences", "01", "agroalimentaire"},
    {"logistique", "Logistique", "52", "transports"},
    {"robotique", "Robotique et industrie du futur", "28", "industrie-futur"},
}};

// NAF subclasses used for firms of a theme's division (any real subclass of that division).
std::string naf_for(Rng& rng, std::string_view division) {
  static const std::map<std::string_view, std::vector<std::string_view>> kSub = {
      {"30", {"30.30Z", "30.11Z", "30.20Z"}},
      {"21", {"21.10Z", "21.20Z"}},
      {"62", {"62.01Z", "62.02A", "62.03Z"}},
      {"35", {"35.11Z", "35.14Z"}},
      {"10", {"10.51A", "10.71A", "10.89Z"}},
      {"24", {"24.10Z", "24.42Z"}},
      {"29", {"29.10Z", "29.32Z"}},
      {"20", {"20.14Z", "20.42Z", "20.59Z"}},
      {"26", {"26.11Z", "26.51B", "26.70Z"}},
      {"36", {"36.00Z"}},
      {"16", {"16.10A", "16.23Z"}},
      {"13", {"13.20Z", "13.96Z"}},
      {"01", {"01.11Z", "01.30Z"}},
      {"52", {"52.10B", "52.29A"}},
      {"28", {"28.41Z", "28.99B"}},
      {"72", {"72.19Z"}},
      {"71", {"71.12B"}},
      {"46", {"46.69B"}},
  };
  auto it = kSub.find(division);
  const auto& list = it != kSub.end() ? it->second : kSub.at("72");
  return std::string(list[static_cast<size_t>(rng.below(static_cast<int>(list.size())))]);
}

// Builds rows of one entity by field name.
class RowOf {
 public:
  RowOf(Sink& sink, Counts& counts, std::string_view entity)
      : sink_(sink), counts_(counts), e_(*schema::find_entity(entity)), row_(e_.fields.size()) {}
  RowOf& set(std::string_view field, Value v) {
    const int i = schema::field_index(e_, field);
    row_[static_cast<size_t>(i)] = std::move(v);
    return *this;
  }
  void emit() {
    sink_.add(e_, std::move(row_));
    row_.assign(e_.fields.size(), Value{});
    ++counts_[std::string(e_.name)];
  }
  const schema::Entity& entity() const { return e_; }

 private:
  Sink& sink_;
  Counts& counts_;
  const schema::Entity& e_;
  Row row_;
};

// Salaried jobs in France by NAF division, 2022, of the order of INSEE's estimates (rounded;
// the demo's own figures, not INSEE's): the employment table's national levels, and the weight
// of each theme among the panel's non-member firms.
const std::map<std::string_view, double> kNationalJobs2022 = {
    {"01", 320e3}, {"10", 560e3}, {"13", 60e3},  {"16", 60e3},  {"20", 140e3}, {"21", 85e3},
    {"24", 80e3},  {"26", 135e3}, {"28", 190e3}, {"29", 215e3}, {"30", 195e3}, {"35", 160e3},
    {"36", 35e3},  {"52", 420e3}, {"62", 560e3}, {"71", 330e3}, {"72", 175e3}};

double round2(double x) { return std::round(x * 100) / 100; }

struct Cluster {
  std::string id, region;
  int theme = 0;
  double quality = 0;
  double weight = 1;  // share of members and projects
  bool phase4 = false, phase5 = false;
  std::vector<int> members;  // organisation indices
};

struct Org {
  std::string id, siren, region, department, naf;
  OrgKind kind = OrgKind::kCompany;
  SizeClass size = SizeClass::kPme;
  int home_cluster = -1;
  int join_year = 0;  // companies: first membership year
  int panel = -1;     // index in the firm panel
};

struct PanelFirm {
  std::string siren, region, naf, zone;
  SizeClass size = SizeClass::kPme;
  double log_hc0 = 0, growth = 0, ability = 0, productivity = 0, export_share = 0;
  int join_year = 0;  // 0: never
  bool claims_cir = false;
};

constexpr std::array<double, 5> kEffectByEventTime = {0.03, 0.06, 0.08, 0.10,
                                                      0.10};  // e = 0,1,2,3,4+

double size_multiplier(SizeClass s) {
  switch (s) {
    case SizeClass::kTpe:
      return 1.3;
    case SizeClass::kPme:
      return 1.2;
    case SizeClass::kEti:
      return 0.8;
    case SizeClass::kGe:
      return 0.5;
  }
  return 1;
}
double cohort_multiplier(int join_year) {
  return join_year <= 2008 ? 1.2 : join_year <= 2014 ? 1.0 : 0.8;
}
constexpr double kRdStaffRatio = 0.8;  // effect on log R&D staff, relative to log R&D spending
constexpr double kPatentRatio = 1.5;  // effect on the log patent rate, relative to log R&D spending
constexpr double kSpillover =
    0.03;  // log R&D of non-members in a (region, sector) cell with a member

// The planted success model of funded projects past their end: logit of P(success) (success as
// the risk model defines it: on the market, or with a product, service or process result).
struct SuccessTruth {
  double intercept, trl_gap, log_consortium_size, sme_coordinator, funded_share, cluster_quality;
};
// Under-funding weighs: at 30 % of its request, a project's odds of success are e^2.8 ≈ 16 times
// lower than funded in full, so that sprinkling a budget thin is not as productive as selection.
constexpr SuccessTruth kSuccess{.intercept = -3.0,
                                .trl_gap = -0.6,
                                .log_consortium_size = 0.8,
                                .sme_coordinator = 0.5,
                                .funded_share = 4.0,
                                .cluster_quality = 0.8};

double planted_effect(const PanelFirm& f, int year) {
  if (f.join_year == 0 || year < f.join_year) return 0;
  const int e = std::min(year - f.join_year, 4);
  return kEffectByEventTime[static_cast<size_t>(e)] * size_multiplier(f.size) *
         cohort_multiplier(f.join_year);
}

class Generator {
 public:
  Generator(const Options& o, Sink& sink)
      : opt_(o),
        plan_(plan_for(o.scale)),
        rng_(o.seed),
        funding_rng_(o.seed ^ 0xf0da7u),
        outcome_rng_(o.seed ^ 0x5cce55u),
        service_rng_(o.seed ^ 0x5e71ceu),
        sink_(sink) {}

  Counts run() {
    regions_ = region_table();
    clusters();
    organisations();
    panel();
    memberships();
    projects();
    services();
    diagnostics();
    contracts();
    budgets();
    census();
    assessments();
    calls();
    firm_years();
    employment();  // after the panel's yearly figures: every cell holds its firms' jobs
    truth();
    territories();
    return counts_;
  }

 private:
  int pick_region(bool metropolitan_only = false) {
    std::vector<double> w;
    for (const auto& r : regions_)
      w.push_back(metropolitan_only && r.code.size() == 2 && r.code[0] == '0' ? 0 : r.weight);
    return rng_.pick(std::span<const double>(w));
  }
  int region_index(const std::string& code) const {
    for (size_t i = 0; i < regions_.size(); ++i) {
      if (regions_[i].code == code) return static_cast<int>(i);
    }
    return 0;
  }
  std::string department_in(int region) {
    const auto& deps = regions_[static_cast<size_t>(region)].departments;
    return deps[static_cast<size_t>(rng_.below(static_cast<int>(deps.size())))];
  }
  // INSEE commune codes: department + 3 digits (2 after overseas departments' 3-digit codes).
  std::string commune_in(const std::string& d) {
    return d.size() == 3 ? fmt::format("{}{:02d}", d, rng_.between(1, 30))
                         : fmt::format("{}{:03d}", d, rng_.between(1, 300));
  }

  // Made-up smart-specialisation strategies (S3), one per region with clusters: its priority
  // domains are the themes of its clusters, each kept for about four in five (a cluster whose
  // theme is left out serves no priority of its region), and one or two themes no cluster of the
  // region works on (the strategy's gaps). Drawn from the keys, not from the generator's stream:
  // no other figure of the demo moves. Returns the domain of each (region, theme) kept.
  std::map<std::pair<std::string, int>, std::string> s3_domains() {
    std::map<std::string, std::set<int>> themes_of;
    for (const Cluster& cl : clusters_) themes_of[cl.region].insert(cl.theme);
    std::map<std::pair<std::string, int>, std::string> out;
    RowOf row(sink_, counts_, "s3_domain");
    for (const auto& [region, themes] : themes_of) {
      std::vector<int> chosen;
      for (int t : themes) {
        if (consents(fmt::format("s3:{}:{}", region, kThemes[static_cast<size_t>(t)].slug), 0.8))
          chosen.push_back(t);
      }
      int gaps = 0;
      const int n = static_cast<int>(kThemes.size());
      const int offset = std::stoi(region) % n;
      for (int k = 0; k < n && gaps < 2; ++k) {
        const int t = (offset + 3 * k) % n;
        if (themes.contains(t)) continue;
        if (gaps == 0 || consents(fmt::format("s3-gap:{}:{}", region, t), 0.5)) {
          chosen.push_back(t);
          ++gaps;
        }
      }
      std::sort(chosen.begin(), chosen.end());
      for (int t : chosen) {
        const Theme& th = kThemes[static_cast<size_t>(t)];
        const std::string id = fmt::format("s3-{}-{}", region, th.slug);
        row.set("id", id)
            .set("region", region)
            .set("name", fmt::format("{} (synthétique)", th.name))
            // Logistics has no strategic committee of the CNI: its clusters name a filière the
            // reference does not hold (the coherence check shows it); its domains serve none.
            .set("filieres", th.filiere == "transports" ? Value{} : Value{std::string(th.filiere)})
            .set("period", std::string("2021-2027"))
            .emit();
        if (themes.contains(t)) out.emplace(std::pair{region, t}, id);
      }
    }
    return out;
  }

  void clusters() {
    const int n = plan_.clusters;
    // Quality drives ratings, label renewals and size.
    for (int c = 0; c < n; ++c) {
      Cluster cl;
      cl.theme = c % static_cast<int>(kThemes.size());
      // Overseas regions get one cluster each at france scale (ids stable by position).
      const int region =
          (n >= 60 && c < 2) ? region_index(c == 0 ? "04" : "01") : pick_region(true);
      cl.region = regions_[static_cast<size_t>(region)].code;
      cl.quality = rng_.normal();
      cl.weight = std::exp(0.5 * cl.quality + 0.4 * rng_.normal());
      cl.id = fmt::format("demo-{}-{}-{:02d}", kThemes[static_cast<size_t>(cl.theme)].slug,
                          cl.region, c + 1);
      clusters_.push_back(std::move(cl));
    }
    // Phase IV keeps the 56 best (noisy), phase V 55 of them (scaled for small runs).
    std::vector<int> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::vector<double> noisy(static_cast<size_t>(n));
    for (int c = 0; c < n; ++c)
      noisy[static_cast<size_t>(c)] =
          clusters_[static_cast<size_t>(c)].quality + 0.3 * rng_.normal();
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      return noisy[static_cast<size_t>(a)] > noisy[static_cast<size_t>(b)];
    });
    const int keep4 = n * 56 / 71, keep5 = n * 55 / 71;
    for (int i = 0; i < n; ++i) {
      clusters_[static_cast<size_t>(order[static_cast<size_t>(i)])].phase4 = i < keep4;
      clusters_[static_cast<size_t>(order[static_cast<size_t>(i)])].phase5 = i < keep5;
    }
    // 2008 groups 39/19/13 and 2012 classes 20/35/16, by rank of (noisy) quality.
    std::vector<std::string> rating1(static_cast<size_t>(n)), rating2(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      const int c = order[static_cast<size_t>(i)];
      rating1[static_cast<size_t>(c)] = i < n * 39 / 71   ? "group1"
                                        : i < n * 58 / 71 ? "group2"
                                                          : "group3";
      rating2[static_cast<size_t>(c)] = i < n * 20 / 71   ? "very_performing"
                                        : i < n * 55 / 71 ? "performing"
                                                          : "less_performing";
    }
    const auto s3 = s3_domains();
    RowOf row(sink_, counts_, "cluster");
    RowOf label(sink_, counts_, "cluster_label");
    for (int c = 0; c < n; ++c) {
      const Cluster& cl = clusters_[static_cast<size_t>(c)];
      const Theme& t = kThemes[static_cast<size_t>(cl.theme)];
      const Theme& t2 =
          kThemes[static_cast<size_t>((cl.theme + 7) % static_cast<int>(kThemes.size()))];
      const auto* region = codes::find_region(cl.region);
      row.set("id", cl.id)
          .set("name", fmt::format("Pôle {} {} {} (synthétique)", t.name, region->name, c + 1))
          .set("acronym", fmt::format("DEMO-{}{}", t.slug, c + 1))
          .set("themes", fmt::format("{}|{}", t.slug, t2.slug))
          .set("region", cl.region)
          .set("scale", std::string(cl.weight > 1.6 ? "national" : "regional"))
          .set("filiere", std::string(t.filiere))
          .set("s3_domains",
               s3.contains({cl.region, cl.theme}) ? Value{s3.at({cl.region, cl.theme})} : Value{})
          .set("website", fmt::format("https://{}.demo.invalid", cl.id))
          .set("founded", int64_t{2005})
          .emit();
      struct Phase {
        int n, start, end;
      };
      constexpr std::array<Phase, 5> phases = {
          {{1, 2005, 2008}, {2, 2009, 2012}, {3, 2013, 2018}, {4, 2019, 2022}, {5, 2023, 2026}}};
      for (const auto& p : phases) {
        if (p.n == 4 && !cl.phase4) continue;
        if (p.n == 5 && !cl.phase5) continue;
        label.set("cluster_id", cl.id)
            .set("phase", int64_t{p.n})
            .set("start_year", int64_t{p.start})
            .set("end_year", int64_t{p.end});
        if (p.n == 1) label.set("rating", rating1[static_cast<size_t>(c)]);
        if (p.n == 2) label.set("rating", rating2[static_cast<size_t>(c)]);
        if (p.n == 5)
          label.set("label_years", int64_t{cl.quality > -0.3 ? 4 : cl.quality > -1.0 ? 2 : 1});
        label.emit();
      }
    }
  }

  int pick_cluster() {
    std::vector<double> w;
    for (const auto& c : clusters_) w.push_back(c.weight);
    return rng_.pick(std::span<const double>(w));
  }

  void organisations() {
    // Member companies, then the other organisations.
    // tpe, pme, eti, ge. A large enterprise here is a legal unit of 5,000 staff or more (decree
    // 2008-1354 as the store applies it to the unit's own headcount): France has about 250 of them.
    constexpr std::array<double, 4> kSizeMix = {0.40, 0.45, 0.14, 0.01};
    for (int i = 0; i < plan_.companies; ++i) {
      Org o;
      o.kind = OrgKind::kCompany;
      o.home_cluster = pick_cluster();
      const Cluster& cl = clusters_[static_cast<size_t>(o.home_cluster)];
      const int region = rng_.chance(0.8) ? region_index(cl.region) : pick_region(true);
      o.region = regions_[static_cast<size_t>(region)].code;
      o.department = department_in(region);
      o.size = static_cast<SizeClass>(rng_.pick(kSizeMix));
      const auto& theme = kThemes[static_cast<size_t>(cl.theme)];
      o.naf = naf_for(rng_, rng_.chance(0.85) ? theme.naf_division
                                              : std::string_view(rng_.chance(0.5) ? "72" : "71"));
      o.siren = siren_from(31000000 + static_cast<int64_t>(i) * 7 + 3);
      o.id = "siren:" + o.siren;
      orgs_.push_back(std::move(o));
    }
    // Others: research 45 %, higher education 15 %, training 12 %, SATT (13 at most), funders,
    // public bodies, associations.
    constexpr std::array<double, 7> kOtherMix = {0.45, 0.15, 0.12, 0.01, 0.07, 0.12, 0.08};
    constexpr std::array<OrgKind, 7> kOtherKinds = {
        OrgKind::kResearch, OrgKind::kHigherEducation, OrgKind::kTraining,   OrgKind::kSatt,
        OrgKind::kFunder,   OrgKind::kPublicBody,      OrgKind::kAssociation};
    int satts = 0;
    for (int i = 0; i < plan_.others; ++i) {
      Org o;
      o.kind = kOtherKinds[static_cast<size_t>(rng_.pick(kOtherMix))];
      if (o.kind == OrgKind::kSatt && ++satts > 13)
        o.kind = OrgKind::kResearch;  // France has 13 SATTs
      o.home_cluster = pick_cluster();
      const int region = rng_.chance(0.75)
                             ? region_index(clusters_[static_cast<size_t>(o.home_cluster)].region)
                             : pick_region(true);
      o.region = regions_[static_cast<size_t>(region)].code;
      o.department = department_in(region);
      o.id = fmt::format("demo-org-{:05d}", i + 1);
      orgs_.push_back(std::move(o));
    }
    // Rows are emitted by panel(): companies' figures come from the firm panel.
  }

  // The firm panel: member companies plus non-members, with selection on size and R&D ability.
  void panel() {
    const int n_members = plan_.companies;
    const int n_non = plan_.companies * plan_.non_member_ratio;
    // Non-members are smaller: most firms of these sectors are very small.
    constexpr std::array<double, 4> kSizeMix = {0.6895, 0.30, 0.01, 0.0005};
    const std::array<double, 4> kLogHc = {std::log(4.0), std::log(45.0), std::log(500.0),
                                          std::log(9000.0)};
    auto draw_firm = [&](PanelFirm& f) {
      f.log_hc0 = kLogHc[static_cast<size_t>(f.size)] + 0.35 * rng_.normal();
      f.growth = 0.015 + 0.02 * rng_.normal();
      f.productivity = rng_.lognormal(160000, 0.3);
      f.export_share = std::clamp(0.2 + 0.15 * rng_.normal(), 0.0, 0.9);
    };
    // Members: ability (R&D propensity) higher on average — selection on observables, since
    // ability shows in pre-membership R&D.
    std::vector<int> joins;
    for (int i = 0; i < n_members; ++i) {
      Org& o = orgs_[static_cast<size_t>(i)];
      PanelFirm f;
      f.siren = o.siren;
      f.region = o.region;
      f.naf = o.naf;
      f.size = o.size;
      f.ability = 0.6 + rng_.normal();
      draw_firm(f);
      // Staggered joining: many at the start of the policy, then a steady flow.
      const int span = std::min(plan_.last_year - 1, 2022) - 2006;
      f.join_year = rng_.chance(0.3) ? rng_.between(2006, 2008) : 2006 + rng_.below(span + 1);
      f.join_year = std::max(f.join_year, plan_.first_year + 3);
      f.claims_cir = rng_.chance(0.8);
      f.zone = fmt::format("{}{:02d}", f.region, rng_.between(1, 9));
      o.join_year = f.join_year;
      o.panel = static_cast<int>(firms_.size());
      firms_.push_back(std::move(f));
    }
    // Non-members' themes weigh as their division's jobs (shared among the themes of a division).
    std::vector<double> theme_weight;
    for (const auto& t : kThemes) {
      const auto same = std::count_if(kThemes.begin(), kThemes.end(), [&](const Theme& u) {
        return u.naf_division == t.naf_division;
      });
      theme_weight.push_back(kNationalJobs2022.at(t.naf_division) / static_cast<double>(same));
    }
    for (int i = 0; i < n_non; ++i) {
      PanelFirm f;
      f.siren = siren_from(50000000 + static_cast<int64_t>(i) * 3 + 1);
      const int region = pick_region();
      f.region = regions_[static_cast<size_t>(region)].code;
      const auto& theme =
          kThemes[static_cast<size_t>(rng_.pick(std::span<const double>(theme_weight)))];
      f.naf = naf_for(rng_, rng_.chance(0.95) ? theme.naf_division : std::string_view("72"));
      f.size = static_cast<SizeClass>(rng_.pick(kSizeMix));
      f.ability = rng_.normal();
      draw_firm(f);
      f.claims_cir = rng_.chance(0.5);
      f.zone = fmt::format("{}{:02d}", f.region, rng_.between(1, 9));
      firms_.push_back(std::move(f));
    }
    // Spillover cells: (employment zone, NAF division) -> first year a member of the cell joined.
    for (const auto& f : firms_) {
      if (f.join_year == 0) continue;
      const std::string cell = f.zone + "/" + f.naf.substr(0, 2);
      auto [it, added] = cell_first_join_.try_emplace(cell, f.join_year);
      if (!added) it->second = std::min(it->second, f.join_year);
    }
    emit_organisations();
  }

  // Headcount and turnover of a panel firm in a year (no treatment effect on either).
  double headcount(const PanelFirm& f, int year, double noise) const {
    return std::max(1.0,
                    std::round(std::exp(f.log_hc0 + f.growth * (year - plan_.first_year) + noise)));
  }

  void emit_organisations() {
    RowOf row(sink_, counts_, "organisation");
    int company = 0;
    for (const Org& o : orgs_) {
      const std::string commune = commune_in(o.department);
      row.set("id", o.id)
          .set("kind", std::string(kOrgKindCodes[static_cast<size_t>(o.kind)]))
          .set("commune", commune);
      if (o.kind == OrgKind::kCompany) {
        const PanelFirm& f = firms_[static_cast<size_t>(o.panel)];
        const double hc = headcount(f, std::min(plan_.last_year, 2023), 0);
        const double turnover = std::round(hc * f.productivity);
        row.set("name", fmt::format("Entreprise démo {:05d} (synthétique)", ++company))
            .set("siren", o.siren)
            .set("naf", o.naf)
            .set("employment_zone", f.zone)
            .set("headcount", hc)
            .set("turnover", turnover)
            .set("balance_sheet", std::round(turnover * 0.8))
            .set("founded", int64_t{rng_.between(1950, 2004)});
      } else {
        // Named as a person reads them (the kind's French word, not its code).
        constexpr std::array<std::string_view, 9> kKindNames = {
            "Entreprise",  "Laboratoire", "Université",       "Organisme de formation",
            "SATT",        "Financeur",   "Organisme public", "Association",
            "Organisation"};
        row.set("name", fmt::format("{} démo {} (synthétique)",
                                    kKindNames[static_cast<size_t>(o.kind)], o.id.substr(9)));
      }
      row.emit();
    }
  }

  void memberships() {
    RowOf row(sink_, counts_, "membership");
    for (size_t i = 0; i < orgs_.size(); ++i) {
      Org& o = orgs_[i];
      const int year = o.kind == OrgKind::kCompany ? o.join_year : rng_.between(2005, 2012);
      auto emit = [&](int cluster, int start) {
        Cluster& cl = clusters_[static_cast<size_t>(cluster)];
        cl.members.push_back(static_cast<int>(i));
        row.set("organisation_id", o.id)
            .set("cluster_id", cl.id)
            .set("start_date", random_date(rng_, start));
        // Members leave with clusters that lose their label, and a few on their own.
        int last = 2024;
        if (!cl.phase4) {
          last = std::max(2018, start);
          row.set("end_date", date(last, 12, 31));
        } else if (rng_.chance(0.08)) {
          last = rng_.between(start + 1, 2024);
          row.set("end_date", random_date(rng_, last));
        }
        census_.push_back({static_cast<int>(i), cluster, start, last});
        const double fee = o.kind != OrgKind::kCompany ? 1500.0
                           : o.size == SizeClass::kTpe ? 300.0
                           : o.size == SizeClass::kPme ? 900.0
                           : o.size == SizeClass::kEti ? 4000.0
                                                       : 12000.0;
        row.set("fee", fee)
            .set("board_seat", int64_t{rng_.chance(o.size == SizeClass::kGe ? 0.25 : 0.02) ? 1 : 0})
            .set("listed", int64_t{consents(o.id + "@" + cl.id, 0.65) ? 1 : 0})
            .emit();
      };
      emit(o.home_cluster, year);
      // About 12 % of members belong to a second cluster, joined later.
      if (rng_.chance(0.12)) {
        int other = pick_cluster();
        if (other != o.home_cluster) emit(other, std::min(2024, year + rng_.between(1, 6)));
      }
    }
  }

  // A member of the cluster, a company or not, from `region` when given (best effort).
  // `from`: the generator to draw from (the main one by default).
  int pick_member(const Cluster& cl, bool company, const std::string* region = nullptr,
                  Rng* from = nullptr) {
    Rng& rng = from ? *from : rng_;
    if (cl.members.empty()) return rng.below(static_cast<int>(orgs_.size()));
    int fallback = cl.members[0];
    for (int tries = 0; tries < 60; ++tries) {
      const int m = cl.members[static_cast<size_t>(rng.below(static_cast<int>(cl.members.size())))];
      const Org& o = orgs_[static_cast<size_t>(m)];
      if ((o.kind == OrgKind::kCompany) != company) continue;
      fallback = m;
      if (region == nullptr || o.region == *region) return m;
    }
    return fallback;
  }

  void projects() {
    cluster_projects_.assign(clusters_.size(), {});
    RowOf proj(sink_, counts_, "project");
    RowOf label(sink_, counts_, "project_label");
    RowOf event(sink_, counts_, "project_event");
    RowOf part(sink_, counts_, "participation");
    RowOf result(sink_, counts_, "result");
    RowOf funding(sink_, counts_, "project_funding");
    // Codes of the programme referential (migration 0017) the demo draws from.
    enum : uint8_t { kFui, kPspc, kAnr, kPia, kRegion, kH2020, kHorizonEurope, kBpi, kOther };
    constexpr std::array<std::string_view, 9> kCodes = {
        "FUI", "PSPC", "ANR", "PIA", "REGION", "H2020", "HORIZON_EUROPE", "BPI", "OTHER"};
    constexpr std::array<double, 9> kProgrammes = {0.33, 0.04, 0.15, 0.02, 0.15,
                                                   0.10, 0.07, 0.12, 0.02};
    int result_id = 0;
    for (int p = 0; p < plan_.projects; ++p) {
      const int c = pick_cluster();
      const Cluster& cl = clusters_[static_cast<size_t>(c)];
      int programme = rng_.pick(kProgrammes);
      int year = rng_.between(2006, 2024);
      if (programme == kHorizonEurope) year = std::max(year, 2021);
      if (programme == kH2020) year = std::clamp(year, 2014, 2020);
      if (programme == kFui) year = std::min(year, 2018);  // FUI ended in 2018
      const int duration = rng_.between(2, 4);
      // Status by age. A funded project past its end succeeds or fails by the planted success
      // model (`kSuccess`), once its consortium is known; one still running is not abandoned
      // (an early abandonment drawn apart from the model would blur what the model is to find).
      std::string status;
      const int age = 2025 - year;
      const double u = rng_.uniform();
      if (age <= 1) {
        status = u < 0.3    ? "submitted"
                 : u < 0.55 ? "labelled"
                 : u < 0.8  ? "funded"
                 : u < 0.9  ? "running"
                            : "rejected";
      } else if (age <= duration) {
        status = u < 0.85 ? "running" : "rejected";
      } else {
        status = u < 0.88 ? "ended" : "rejected";
      }
      const bool funded = status != "submitted" && status != "labelled" && status != "rejected";
      const double cost = std::round(rng_.lognormal(programme == kPspc ? 12e6 : 2.4e6, 0.6));
      const double aid_rate = 0.30 + 0.15 * rng_.uniform();
      const int trl0 = rng_.between(2, 5);
      const int trl1 = std::min(9, trl0 + rng_.between(2, 3));
      // The share of its request a funded project got: in full for a little over half of them,
      // else anywhere from 30 % (funders that spread a budget thin) — its own generator.
      const double granted_share =
          outcome_rng_.chance(0.55) ? 1.0 : 0.3 + 0.7 * outcome_rng_.uniform();
      const std::string id = fmt::format("demo-prj-{:05d}", p + 1);
      const auto& theme = kThemes[static_cast<size_t>(cl.theme)];
      proj.set("id", id)
          .set("acronym", fmt::format("DEMO{:04d}", p + 1))
          .set("title", fmt::format("Projet démo {} — {} (synthétique)", p + 1, theme.name))
          .set("kind", std::string(rng_.chance(0.8)   ? "collaborative_rd"
                                   : rng_.chance(0.5) ? "innovation"
                                                      : "platform"))
          .set("programme", std::string(kCodes[static_cast<size_t>(programme)]))
          .set("call_id", fmt::format("{}-{}", kCodes[static_cast<size_t>(programme)], year))
          .set("start_date", date(year, rng_.between(1, 12), 1))
          .set("end_date", date(year + duration, rng_.between(1, 12), 28))
          .set("total_cost", cost)
          .set("public_aid", funded ? std::round(cost * aid_rate) : 0.0)
          .set("trl_start", int64_t{trl0})
          .set("trl_target", int64_t{trl1})
          .set("ip_agreement", ip_agreement(id, funded))
          .set("sector", std::string(theme.naf_division))
          .set("themes", std::string(theme.slug));
      if (funded)
        proj.set("requested_aid", std::round(std::round(cost * aid_rate) / granted_share));
      if (p > 20 && rng_.chance(0.05))
        proj.set("follow_on_of", fmt::format("demo-prj-{:05d}", rng_.between(1, p - 10)));
      // Most projects past their label agree to a public summary.
      if (status != "submitted" && status != "rejected")
        proj.set("public_summary", int64_t{consents(id, 0.75) ? 1 : 0});
      // The project row is emitted once its status is known, after its consortium.
      // Labels: one cluster, sometimes two or three (inter-cluster projects).
      std::set<int> labelled = {c};
      if (rng_.chance(0.22)) labelled.insert(pick_cluster());
      if (rng_.chance(0.05)) labelled.insert(pick_cluster());
      // Partners: a member company of the cluster coordinates; 2-7 more, mostly from the region.
      std::set<int> partners;
      // About half the projects keep every partner in the cluster's region.
      const bool regional = rng_.chance(0.5);
      const std::string* home = regional ? &cl.region : nullptr;
      const int coordinator = pick_member(cl, rng_.chance(0.8), home);
      partners.insert(coordinator);
      const int n = rng_.between(2, 7);
      for (int k = 0; k < n; ++k) {
        const bool company = rng_.chance(0.6);
        if (regional) {
          partners.insert(pick_member(cl, company, home));
          continue;
        }
        const Cluster& from =
            rng_.chance(0.7) ? cl : clusters_[static_cast<size_t>(*labelled.rbegin())];
        partners.insert(rng_.chance(0.85) ? pick_member(from, company)
                                          : rng_.below(static_cast<int>(orgs_.size())));
      }
      project_partners_.emplace_back(year + duration,
                                     std::vector<int>(partners.begin(), partners.end()));
      // A funded project past its end: success (on the market, or a service or process result)
      // with the probability of the planted model, from what the risk model can see (TRL gap,
      // consortium size, SME lead, share of the request funded) and its cluster's quality, which
      // the model sees only through the cluster's record. The truth table holds the coefficients.
      bool success = false;
      if (status == "ended") {
        const Org& lead = orgs_[static_cast<size_t>(coordinator)];
        const bool sme_lead = lead.kind == OrgKind::kCompany && is_sme(lead.size);
        const double eta = kSuccess.intercept + kSuccess.trl_gap * (trl1 - trl0) +
                           kSuccess.log_consortium_size * std::log(partners.size()) +
                           kSuccess.sme_coordinator * (sme_lead ? 1 : 0) +
                           kSuccess.funded_share * granted_share +
                           kSuccess.cluster_quality * cl.quality;
        success = outcome_rng_.chance(1 / (1 + std::exp(-eta)));
        status = success ? (outcome_rng_.chance(0.6) ? "on_market" : "completed")
                         : (outcome_rng_.chance(0.35) ? "abandoned" : "completed");
      }
      if (status == "completed" || status == "on_market") {
        proj.set("trl_reached",
                 int64_t{success ? trl1 - outcome_rng_.below(2)
                                 : std::max(trl0, trl1 - 1 - outcome_rng_.below(2))});
      }
      proj.set("status", status).emit();
      if (funded) {
        const auto index = static_cast<int>(project_partners_.size() - 1);
        for (int l : labelled) cluster_projects_[static_cast<size_t>(l)].push_back(index);
        for (int o : partners) funded_starts_[o].push_back(year);
        project_facts_.push_back({id, year, status == "running" || status == "funded"});
      } else {
        project_facts_.push_back({id, year, false});
      }
      if (funded) {
        // The aid split by funder as the programmes share it (the FUI with the Region of the
        // cluster and its FEDER; OTHER left unsplit: a split is not always known).
        const double aid = std::round(cost * aid_rate);
        const std::string region = "region-" + cl.region, feder = "feder-" + cl.region;
        std::vector<std::pair<std::string, double>> split;
        const double r = funding_rng_.uniform();
        switch (programme) {
          case kFui:
            split = {{"state", 0.45 + 0.1 * r}, {region, 0.3}, {feder, 0.1}};
            break;
          case kRegion:
            split = {{region, 0.6 + 0.2 * r}, {feder, 0}};
            break;
          case kPspc:
          case kBpi:
            split = {{"bpifrance", 1}};
            break;
          case kAnr:
            split = {{"anr", 1}};
            break;
          case kPia:
            split = {{"state", 1}};
            break;
          case kH2020:
          case kHorizonEurope:
            split = {{"eu", 1}};
            break;
          default:
            break;
        }
        double left = aid;
        for (size_t k = 0; k < split.size(); ++k) {
          const double amount = k + 1 == split.size() ? left : std::round(aid * split[k].second);
          left -= amount;
          funding.set("project_id", id)
              .set("funder_id", split[k].first)
              .set("amount", amount)
              .set("instrument",
                   std::string(programme == kPspc && k == 0 && r < 0.5 ? "repayable_advance"
                                                                       : "grant"))
              .emit();
        }
      }
      // The project's own cluster first: the risk model reads a project's first label row.
      std::vector<int> label_order = {c};
      for (int l : labelled) {
        if (l != c) label_order.push_back(l);
      }
      for (int l : label_order) {
        label.set("project_id", id)
            .set("cluster_id", clusters_[static_cast<size_t>(l)].id)
            .set("date", date(year - 1, rng_.between(9, 12), 15))
            .emit();
      }
      // Lifecycle events.
      std::vector<std::string> path = {"submitted", "labelled"};
      if (status == "rejected") path.emplace_back("rejected");
      if (funded) {
        path.emplace_back("funded");
        if (status != "funded") path.emplace_back("running");
        if (status == "completed" || status == "on_market") path.emplace_back("completed");
        if (status == "on_market") path.emplace_back("on_market");
        if (status == "abandoned") path.emplace_back("abandoned");
      }
      if (status == "submitted") path.resize(1);
      if (status == "labelled") path.resize(2);
      // Year (relative to the start) and month each stage is entered, indexed from `submitted`.
      const std::array<int, 8> years = {-1, -1, 0, 0, duration, duration + 1, 0, 1};
      const std::array<int, 8> months = {6, 10, 2, 3, 11, 11, 2, 11};
      for (const auto& stage : path) {
        const auto idx = static_cast<size_t>(*find_code(kProjectStatusCodes, stage) - 1);
        const int y = year + years[idx];
        const int month = months[idx];
        event.set("project_id", id).set("status", stage).set("date", date(y, month, 10)).emit();
      }
      std::vector<double> shares;
      for (size_t k = 0; k < partners.size(); ++k) shares.push_back(0.5 + rng_.uniform());
      const double total_share = std::accumulate(shares.begin(), shares.end(), 0.0);
      size_t k = 0;
      for (int o : partners) {
        const Org& org = orgs_[static_cast<size_t>(o)];
        const double pcost = std::round(cost * shares[k++] / total_share);
        const double rate = org.kind != OrgKind::kCompany ? 0.5 : is_sme(org.size) ? 0.45 : 0.25;
        part.set("project_id", id)
            .set("organisation_id", org.id)
            .set("role", std::string(o == coordinator   ? "coordinator"
                                     : rng_.chance(0.1) ? "subcontractor"
                                                        : "partner"))
            .set("cost", pcost)
            .set("aid", funded ? std::round(pcost * rate) : 0.0)
            .emit();
      }
      // Results of completed projects: a success brings one product on the market (or one
      // service or process), every completed project patents, publications, licences and
      // spin-offs (never a market result, which would make it a success). Their own generator:
      // the other tables do not move with the outcomes.
      if (status == "completed" || status == "on_market") {
        Rng& g = outcome_rng_;
        const int nres = (success ? 1 : 0) + g.poisson(1.2);
        for (int r = 0; r < nres; ++r) {
          std::string kind = r == 0 && success
                                 ? std::string(status == "on_market" ? "product"
                                               : g.chance(0.5)       ? "service"
                                                                     : "process")
                                 : std::string(kResultKindCodes[static_cast<size_t>(g.pick(
                                       std::array<double, 7>{0, 0, 0, 0.3, 0.2, 0.04, 0.06}))]);
          ++result_id;
          result.set("id", fmt::format("demo-res-{:05d}", result_id))
              .set("project_id", id)
              .set("organisation_id", result_holder(kind, coordinator, result_id))
              .set("kind", kind)
              .set("title", fmt::format("Résultat démo {} (synthétique)", result_id))
              .set("date", random_date(g, std::min(2024, year + duration)));
          if (kind == "product" || kind == "service" || kind == "process") {
            result.set("revenue", std::round(g.lognormal(400000, 1.0)))
                .set("jobs", std::round(g.lognormal(3, 0.8) * 10) / 10);
          }
          if (kind == "spin_off") result.set("jobs", double(g.between(2, 15)));
          result.emit();
        }
      }
    }
  }

  // Who holds a result: its project's coordinator, except a licence of a public laboratory's
  // technology, which the SATT of the laboratory's region grants for most of them (drawn from the
  // result's number: no other figure moves).
  std::string result_holder(const std::string& kind, int coordinator, int result) {
    const Org& c = orgs_[static_cast<size_t>(coordinator)];
    if (kind == "licence" &&
        (c.kind == OrgKind::kResearch || c.kind == OrgKind::kHigherEducation) &&
        consents(fmt::format("satt-licence-{}", result), 0.75)) {
      for (const Org& o : orgs_) {
        if (o.kind == OrgKind::kSatt && o.region == c.region) return o.id;
      }
    }
    return c.id;
  }

  // A funded project the organisation took part in started in [from, to].
  bool funded_project_between(int org, int from, int to) const {
    auto it = funded_starts_.find(org);
    if (it == funded_starts_.end()) return false;
    return std::any_of(it->second.begin(), it->second.end(),
                       [&](int y) { return y >= from && y <= to; });
  }

  void services() {
    RowOf svc(sink_, counts_, "service");
    RowOf sp(sink_, counts_, "service_participant");
    RowOf part(sink_, counts_, "participation");
    constexpr std::array<double, 7> kKinds = {0.25, 0.1, 0.15, 0.12, 0.18, 0.08, 0.12};
    int id = 0;
    for (size_t cl_index = 0; cl_index < clusters_.size(); ++cl_index) {
      const Cluster& cl = clusters_[cl_index];
      for (int year = 2015; year <= 2024; ++year) {
        if (year >= 2019 && !cl.phase4) break;
        const int n =
            std::max(2, static_cast<int>(std::lround(6 * cl.weight)) + rng_.between(-1, 2));
        for (int s = 0; s < n; ++s) {
          const int kind = rng_.pick(kKinds);
          const std::string sid = fmt::format("demo-svc-{:06d}", ++id);
          const bool abroad = kind == static_cast<int>(ServiceKind::kInternationalMission);
          svc.set("id", sid)
              .set("cluster_id", cl.id)
              .set("kind", std::string(kServiceKindCodes[static_cast<size_t>(kind)]))
              .set("title", fmt::format("Action démo {} (synthétique)", id))
              .set("date", random_date(rng_, year))
              .set("country", std::string(abroad ? (rng_.chance(0.5) ? "DE" : "US") : "FR"))
              .set("cost", std::round(rng_.lognormal(abroad ? 30000 : 6000, 0.5)))
              .emit();
          std::set<int> who;
          const int m = rng_.between(3, 15);
          for (int k = 0; k < m; ++k) {
            int o = pick_member(cl, true);
            // Selection: members already in a funded project in the three years before are more
            // often served (one without is drawn again once in two) — what a comparison of the
            // served with the others must correct for.
            if (!funded_project_between(o, year - 3, year - 1) && service_rng_.chance(0.5))
              o = pick_member(cl, true, nullptr, &service_rng_);
            who.insert(o);
          }
          for (int o : who) {
            const double u = rng_.uniform();
            const int outcome = u < 0.35    ? 0
                                : u < 0.65  ? 1
                                : u < 0.8   ? 2
                                : u < 0.88  ? 3
                                : u < 0.94  ? 4
                                : kind == 3 ? 5
                                            : 6;
            sp.set("service_id", sid)
                .set("organisation_id", orgs_[static_cast<size_t>(o)].id)
                .set("satisfaction",
                     int64_t{std::clamp(static_cast<int>(std::lround(3.8 + 0.3 * cl.quality +
                                                                     0.8 * rng_.normal())),
                                        1, 5)})
                .set("outcome", std::string(kServiceOutcomeCodes[static_cast<size_t>(outcome)]));
            if (outcome == 5) sp.set("financing_raised", std::round(rng_.lognormal(300000, 0.8)));
            sp.emit();
            join_after_service(part, cl_index, o, year);
          }
        }
      }
    }
    business_development(svc, sp, id);
  }

  // Business development and go-to-market actions, which the mid-term evaluation of phase V asked
  // the clusters to strengthen: from 2023, by the clusters labelled in phase V, with their own
  // generator (the services of the years before, and every other table, are as they were).
  void business_development(RowOf& svc, RowOf& sp, int& id) {
    Rng biz(opt_.seed ^ 0xb12d3eu);
    for (const Cluster& cl : clusters_) {
      if (!cl.phase5) continue;
      for (int year = 2023; year <= 2024; ++year) {
        const int n = biz.between(0, 1 + static_cast<int>(std::lround(2 * cl.weight)));
        for (int k = 0; k < n; ++k) {
          const bool market = biz.chance(0.4);
          const std::string sid = fmt::format("demo-svc-{:06d}", ++id);
          svc.set("id", sid)
              .set("cluster_id", cl.id)
              .set("kind", std::string(market ? "go_to_market" : "business_development"))
              .set("title", fmt::format("Action démo {} (synthétique)", id))
              .set("date", random_date(biz, year))
              .set("country", std::string("FR"))
              .set("cost", std::round(biz.lognormal(market ? 15000 : 9000, 0.5)))
              .emit();
          std::set<int> who;
          for (int m = biz.between(2, 8); m > 0; --m)
            who.insert(pick_member(cl, true, nullptr, &biz));
          for (int o : who) {
            const double u = biz.uniform();
            const int satisfaction = std::clamp(
                static_cast<int>(std::lround(3.9 + 0.3 * cl.quality + 0.8 * biz.normal())), 1, 5);
            sp.set("service_id", sid)
                .set("organisation_id", orgs_[static_cast<size_t>(o)].id)
                .set("satisfaction", int64_t{satisfaction})
                .set("outcome", std::string(u < 0.3   ? "none"
                                            : u < 0.6 ? "contact"
                                            : u < 0.8 ? "partnership"
                                                      : "contract"))
                .emit();
          }
        }
      }
    }
  }

  // The planted effect of services: per participation of an SME in a service, it joins, with
  // probability kServiceJoin, a funded project of the cluster that starts one to three years after
  // the service and is still running (a running project is outside the success model's training,
  // which the join leaves as it was).
  // Each join is in the truth table (services.joined.<project>.<organisation> = the service year).
  static constexpr double kServiceJoin = 0.08;
  void join_after_service(RowOf& part, size_t cluster, int org, int year) {
    const Org& o = orgs_[static_cast<size_t>(org)];
    if (o.kind != OrgKind::kCompany || !is_sme(o.size) || !service_rng_.chance(kServiceJoin))
      return;
    std::vector<int> open;
    for (int p : cluster_projects_[cluster]) {
      const auto& f = project_facts_[static_cast<size_t>(p)];
      const auto& partners = project_partners_[static_cast<size_t>(p)].second;
      if (f.running && f.start > year && f.start <= year + 3 &&
          std::find(partners.begin(), partners.end(), org) == partners.end())
        open.push_back(p);
    }
    if (open.empty()) return;
    const int p = open[static_cast<size_t>(service_rng_.below(static_cast<int>(open.size())))];
    const double cost = std::round(service_rng_.lognormal(120000, 0.5));
    part.set("project_id", project_facts_[static_cast<size_t>(p)].id)
        .set("organisation_id", o.id)
        .set("role", std::string("partner"))
        .set("cost", cost)
        .set("aid", std::round(cost * 0.45))
        .emit();
    project_partners_[static_cast<size_t>(p)].second.push_back(org);
    funded_starts_[org].push_back(project_facts_[static_cast<size_t>(p)].start);
    joins_.push_back({project_facts_[static_cast<size_t>(p)].id, o.id, year});
  }

  void diagnostics() {
    RowOf row(sink_, counts_, "diagnostic");
    // One diagnosis: the date first, then each dimension drawn around `base` (in this order, so the
    // random stream is what it always was).
    auto write = [&](Rng& rng, const Org& o, const std::string& date, double base) -> RowOf& {
      auto dim = [&] { return round2(std::clamp(base + 10 * rng.normal(), 0.0, 100.0)); };
      return row.set("organisation_id", o.id)
          .set("date", date)
          .set("cluster_id", clusters_[static_cast<size_t>(o.home_cluster)].id)
          .set("score", round2(base))
          .set("strategy", dim())
          .set("customer", dim())
          .set("operations", dim())
          .set("data", dim())
          .set("skills", dim())
          .set("security", dim());
    };
    struct First {
      const Org* org;
      int year;
      double base;
    };
    std::vector<First> firsts;
    for (const Org& o : orgs_) {
      if (o.kind != OrgKind::kCompany || !is_sme(o.size) || !rng_.chance(0.18)) continue;
      const double base = std::clamp(45 + 12 * rng_.normal(), 5.0, 95.0);
      const int year = rng_.between(2019, 2024);
      firsts.push_back({&o, year, base});
      write(rng_, o, random_date(rng_, year), base);
      if (rng_.chance(0.4)) row.set("aid_received", std::round(rng_.lognormal(15000, 0.5)));
      row.emit();
    }
    // About a third are diagnosed again one to two years later (in a year of their own, so the
    // diagnosis date never collides): maturity rises by 5 points on average, and the aid after a
    // diagnosis goes more often to the least mature. A stream of its own keeps the rest of the demo
    // as it was.
    Rng again(opt_.seed ^ 0xd1a6u);
    for (const First& f : firsts) {
      if (!again.chance(0.35) || f.year >= 2025) continue;
      const double base = std::clamp(f.base + 5 + 8 * again.normal(), 0.0, 100.0);
      write(again, *f.org, random_date(again, std::min(2025, f.year + again.between(1, 2))), base);
      if (again.chance(std::clamp(0.75 - 0.01 * f.base, 0.05, 0.95)))
        row.set("aid_received", std::round(again.lognormal(20000, 0.5)));
      row.emit();
    }
  }

  // The budget of each cluster organisation, 2009 to 2024 (to 2018 for clusters that left in phase
  // IV): about 0.4 to 3 M€ with its size, a private share rising from about 35 % towards the
  // phase II target of 50 % (better clusters faster), one FTE per 80 k€. A stream of its own.
  void budgets() {
    RowOf row(sink_, counts_, "cluster_budget");
    Rng rng(opt_.seed ^ 0xb0d6u);
    for (const Cluster& cl : clusters_) {
      const double base = 1.1e6 * std::sqrt(cl.weight) * (0.8 + 0.4 * rng.uniform());
      for (int year = 2009; year <= 2024; ++year) {
        if (year >= 2019 && !cl.phase4) break;
        const double total =
            std::round(base * std::pow(1.02, year - 2009) * (0.95 + 0.1 * rng.uniform()));
        const double share = std::clamp(
            0.35 + 0.012 * (year - 2009) + 0.06 * cl.quality + 0.04 * rng.normal(), 0.1, 0.9);
        const double priv = std::round(total * share);
        row.set("cluster_id", cl.id)
            .set("year", int64_t{year})
            .set("total", total)
            .set("public", total - priv)
            .set("private", priv)
            .set("staff", std::round(total / 80000 * 10) / 10)
            .emit();
      }
    }
  }

  // The State's census of every year 2005 to 2024: the members of each cluster during the year,
  // as the membership rows say (the demo releases every year it covers). No randomness.
  void census() {
    RowOf row(sink_, counts_, "member_census");
    std::vector<std::tuple<int, int, int>> rows;  // (year, cluster, organisation)
    for (const auto& m : census_) {
      for (int y = std::max(m.first, 2005); y <= std::min(m.last, 2024); ++y)
        rows.emplace_back(y, m.cluster, m.org);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (const auto& [y, c, o] : rows) {
      row.set("year", int64_t{y})
          .set("cluster_id", clusters_[static_cast<size_t>(c)].id)
          .set("organisation_id", orgs_[static_cast<size_t>(o)].id)
          .emit();
    }
  }

  void contracts() {
    RowOf contract(sink_, counts_, "contract");
    RowOf target(sink_, counts_, "contract_target");
    struct Period {
      int start, end;
    };
    constexpr std::array<Period, 3> periods = {{{2013, 2018}, {2019, 2022}, {2023, 2026}}};
    for (const Cluster& cl : clusters_) {
      for (const auto& p : periods) {
        if (p.start == 2019 && !cl.phase4) continue;
        if (p.start == 2023 && !cl.phase5) continue;
        const std::string id = fmt::format("{}-contrat-{}", cl.id, p.start);
        contract.set("id", id)
            .set("cluster_id", cl.id)
            .set("start_year", int64_t{p.start})
            .set("end_year", int64_t{p.end})
            .set("signatories", std::string("Etat|Region|Bpifrance"))
            .set("improvement_plan", int64_t{cl.quality < -1.0 ? 1 : 0})
            .emit();
        const double size = cl.weight;
        for (int y = p.start; y <= p.end; ++y) {
          const double g = 1 + 0.04 * (y - p.start);
          auto t = [&](const char* indicator, double value, const char* direction) {
            target.set("contract_id", id)
                .set("indicator", std::string(indicator))
                .set("year", int64_t{y})
                .set("value", value)
                .set("direction", std::string(direction))
                .emit();
          };
          // Calibrated on the demo's own activity (the catalogue's definitions in src/evaluate): a
          // typical cluster meets about 60 % of its targets.
          t("members", std::round(108 * size * g), "higher");
          t("sme_member_share", 0.7, "higher");
          t("projects_labelled", std::max(1.0, std::round(0.7 * size * g)), "higher");
          t("private_funding_share", 0.5, "higher");
          t("services_delivered", std::max(2.0, std::round(4.8 * size * g)), "higher");
        }
      }
    }
  }

  void assessments() {
    RowOf row(sink_, counts_, "assessment");
    constexpr std::array<std::string_view, 5> kWords = {"absent", "faible", "moyen", "bon",
                                                        "excellent"};
    for (const Cluster& cl : clusters_) {
      if (!cl.phase4) continue;
      for (const auto area : kEscaAreaCodes) {
        for (int ev = 1; ev <= 2; ++ev) {
          const int score = std::clamp(
              static_cast<int>(std::lround(2.4 + 0.8 * cl.quality + 0.6 * rng_.normal())), 0, 4);
          row.set("cluster_id", cl.id)
              .set("year", int64_t{2022})
              .set("criterion", std::string(area))
              .set("evaluator", fmt::format("evaluateur-{}", ev))
              .set("score", int64_t{score})
              // An evaluator's own words, in French: no code of the grid in them (a report
              // in English would show it among English words).
              .set("justification", fmt::format("Niveau {} (texte synthétique).",
                                                kWords[static_cast<size_t>(score)]))
              .emit();
        }
      }
    }
  }

  void calls() {
    RowOf reviewer(sink_, counts_, "reviewer");
    RowOf call(sink_, counts_, "call");
    RowOf proposal(sink_, counts_, "proposal");
    RowOf assignment(sink_, counts_, "assignment");
    RowOf review(sink_, counts_, "review");
    RowOf decision(sink_, counts_, "decision");
    std::vector<int> reviewer_org;
    for (int r = 0; r < plan_.reviewers; ++r) {
      const auto& t = kThemes[static_cast<size_t>(r % static_cast<int>(kThemes.size()))];
      const auto& t2 = kThemes[static_cast<size_t>((r * 7 + 3) % static_cast<int>(kThemes.size()))];
      reviewer_org.push_back(plan_.companies + rng_.below(plan_.others));
      reviewer.set("id", fmt::format("demo-expert-{:03d}", r + 1))
          .set("name", fmt::format("Expert démo {} (synthétique)", r + 1))
          .set("organisation_id", orgs_[static_cast<size_t>(reviewer_org.back())].id)
          .set("sectors", fmt::format("{}|{}", t.naf_division, t2.naf_division))
          .set("themes", fmt::format("{}|{}", t.slug, t2.slug))
          .set("max_load", int64_t{12})
          .emit();
    }
    // A planted conflict of interest: the first proposal of the last call is led by a company that
    // worked on a project with a reviewer's organisation in the three years before the call.
    const int last_call_year = 2019 + plan_.calls - 1;
    int planted_applicant = -1;
    for (size_t r = 0; r < reviewer_org.size() && planted_applicant < 0; ++r) {
      for (size_t p = project_partners_.size(); p-- > 0 && planted_applicant < 0;) {
        const auto& [end, partners] = project_partners_[p];
        if (end < last_call_year - 3 || end > last_call_year) continue;
        if (std::find(partners.begin(), partners.end(), reviewer_org[r]) == partners.end())
          continue;
        for (int o : partners) {
          if (o != reviewer_org[r] && orgs_[static_cast<size_t>(o)].kind == OrgKind::kCompany) {
            planted_applicant = o;
            planted_ = PlantedConflict{fmt::format("demo-expert-{:03d}", r + 1), "",
                                       fmt::format("demo-prj-{:05d}", p + 1)};
            break;
          }
        }
      }
    }
    constexpr std::array<std::string_view, 3> kCriteria = {"excellence", "impact",
                                                           "implementation"};
    int pid = 0;
    for (int c = 0; c < plan_.calls; ++c) {
      const int year = 2019 + c;
      const std::string cid = fmt::format("demo-call-{}", year);
      const double budget = 30e6;
      call.set("id", cid)
          .set("programme", std::string(c % 2 ? "BPI" : "PSPC"))
          .set("title", fmt::format("Appel à projets démo {} (synthétique)", year))
          .set("budget", budget)
          .set("open_date", date(year, 1, 15))
          .set("close_date", date(year, 4, 15))
          .set("min_funding_share", 0.6)
          .set("cap_per_cluster", budget * 0.15)
          .set("min_sme_share", 0.3)
          .set("criteria", std::string("excellence:0.4|impact:0.4|implementation:0.2"))
          .set("reviewers_per_proposal", int64_t{3})
          .set("max_per_reviewer", int64_t{12})
          .emit();
      const bool decided = year <= 2023;
      for (int p = 0; p < plan_.proposals_per_call; ++p) {
        const int cl = pick_cluster();
        const Cluster& cluster = clusters_[static_cast<size_t>(cl)];
        const auto& theme = kThemes[static_cast<size_t>(cluster.theme)];
        const std::string id = fmt::format("demo-prop-{:05d}", ++pid);
        const double quality = rng_.normal();
        int applicant = pick_member(cluster, true);
        if (planted_ && planted_->proposal.empty() && year == last_call_year) {
          applicant = planted_applicant;
          planted_->proposal = id;
        }
        const double requested = std::round(rng_.lognormal(1.5e6, 0.5));
        const int trl0 = rng_.between(2, 6);
        proposal.set("id", id)
            .set("call_id", cid)
            .set("applicant_id", orgs_[static_cast<size_t>(applicant)].id)
            .set("cluster_id", cluster.id)
            .set("title", fmt::format("Proposition démo {} (synthétique)", pid))
            .set("requested_aid", requested)
            .set("sector", std::string(theme.naf_division))
            .set("themes", std::string(theme.slug))
            .set("trl_start", int64_t{trl0})
            .set("trl_target", int64_t{std::min(9, trl0 + 2)})
            .set("expected_products", double(rng_.between(0, 3)))
            .emit();
        // Three reviewers, each scoring the three criteria around the proposal's quality.
        std::set<int> chosen;
        while (chosen.size() < 3) chosen.insert(rng_.below(plan_.reviewers));
        double mean = 0;
        for (int r : chosen) {
          const double severity = 0.5 * std::sin(r);  // reviewer bias, fixed per reviewer
          assignment.set("proposal_id", id)
              .set("reviewer_id", fmt::format("demo-expert-{:03d}", r + 1))
              .set("date", date(year, 4, 30))
              .emit();
          for (auto crit : kCriteria) {
            const double score =
                std::clamp(6.0 + 1.5 * quality - severity + 0.8 * rng_.normal(), 0.0, 10.0);
            mean += score / 9;
            review.set("proposal_id", id)
                .set("reviewer_id", fmt::format("demo-expert-{:03d}", r + 1))
                .set("criterion", std::string(crit))
                .set("score", round2(score))
                .emit();
          }
        }
        if (decided) {
          const bool funded = mean > 6.3;
          decision.set("proposal_id", id)
              .set("decision", std::string(funded       ? "funded"
                                           : mean > 5.8 ? "waitlisted"
                                                        : "rejected"));
          if (funded) decision.set("aid", std::round(requested * 0.8));
          decision.set("date", date(year, 7, 1)).emit();
        }
      }
    }
  }

  // Salaried jobs by region and NAF division: national levels of the order of INSEE's estimates
  // (2022, rounded; synthetic, not INSEE's figures), shared among regions by their weight and
  // the clusters they host, growing with the region's clusters. A cell never holds fewer jobs
  // than its panel firms employ (members and non-members, figures of firm_years()): the firms
  // of a region's sector are at most 90 % of its jobs.
  void employment() {
    constexpr double kPanelShareMax = 0.9;
    RowOf row(sink_, counts_, "employment");
    std::set<std::string> divisions;
    for (const auto& t : kThemes) divisions.insert(std::string(t.naf_division));
    divisions.insert("71");
    divisions.insert("72");
    // Each region's share of a division, and the growth of its cell.
    std::map<std::string, std::vector<double>> share, growth;
    for (const auto& d : divisions) {
      double sum = 0;
      for (const auto& r : regions_) {
        int hosted = 0;
        for (const auto& cl : clusters_)
          hosted += cl.region == r.code && kThemes[static_cast<size_t>(cl.theme)].naf_division == d;
        const double w = r.weight * (1 + 0.6 * hosted) *
                         (0.7 + 0.6 * std::fabs(std::sin(std::stoi(d) * 1.3 + r.weight)));
        share[d].push_back(w);
        growth[d].push_back(1.004 + 0.003 * hosted);
        sum += w;
      }
      for (double& w : share[d]) w /= sum;
    }
    double weight_sum = 0;
    for (const auto& r : regions_) weight_sum += r.weight;
    for (int year = 2008; year <= 2023; ++year) {
      double national_total = 0;
      std::map<std::string, double> by_sector;
      for (size_t ri = 0; ri < regions_.size(); ++ri) {
        const auto& r = regions_[ri];
        double regional_total = 0;
        for (const auto& d : divisions) {
          const auto national = kNationalJobs2022.find(d);
          double jobs =
              std::round((national != kNationalJobs2022.end() ? national->second : 100e3) *
                         share[d][ri] * std::pow(growth[d][ri], year - 2022));
          if (const auto it = cell_panel_jobs_.find(fmt::format("{}/{}/{}", r.code, d, year));
              it != cell_panel_jobs_.end())
            jobs = std::max(jobs, std::ceil(it->second / kPanelShareMax));
          row.set("level", std::string("region"))
              .set("code", r.code)
              .set("sector", d)
              .set("year", int64_t{year})
              .set("jobs", jobs)
              .emit();
          regional_total += jobs;
          by_sector[d] += jobs;
        }
        // All sectors: France's 26 million salaried jobs (2022) shared by the regions' weight,
        // these sectors never more than 30 % of them.
        const double total = std::round(std::max(
            26e6 * r.weight / weight_sum * std::pow(1.006, year - 2022), regional_total / 0.3));
        row.set("level", std::string("region"))
            .set("code", r.code)
            .set("sector", std::string("total"))
            .set("year", int64_t{year})
            .set("jobs", total)
            .emit();
        national_total += total;
      }
      for (const auto& [d, jobs] : by_sector) {
        row.set("level", std::string("country"))
            .set("code", std::string("FR"))
            .set("sector", d)
            .set("year", int64_t{year})
            .set("jobs", jobs)
            .emit();
      }
      row.set("level", std::string("country"))
          .set("code", std::string("FR"))
          .set("sector", std::string("total"))
          .set("year", int64_t{year})
          .set("jobs", national_total)
          .emit();
    }
  }

  void firm_years() {
    const schema::Entity& e = *schema::find_entity("firm_year");
    // Field order of firm_year (schema.cpp): siren, year, headcount, turnover, value_added,
    // rd_spending, rd_staff, exports, patents, wage_bill, cir, naf, region, employment_zone.
    int64_t n = 0;
    // The yearly figures have a stream of their own: the other tables do not move them.
    Rng g(opt_.seed ^ 0xf1a7e5u);
    for (const PanelFirm& f : firms_) {
      const double hc_noise_sd = 0.05;
      for (int year = plan_.first_year; year <= plan_.last_year; ++year) {
        const double tau = planted_effect(f, year);
        double spill = 0;
        if (f.join_year == 0) {
          auto it = cell_first_join_.find(f.zone + "/" + f.naf.substr(0, 2));
          if (it != cell_first_join_.end() && year >= it->second) spill = kSpillover;
        }
        const double hc = headcount(f, year, hc_noise_sd * g.normal());
        // The cell's jobs hold the larger of the year's headcount and the organisation's.
        cell_panel_jobs_[fmt::format("{}/{}/{}", f.region, f.naf.substr(0, 2), year)] +=
            std::max(hc, headcount(f, year, 0));
        const double turnover = std::round(
            hc * f.productivity * std::exp(0.02 * (year - plan_.first_year) + 0.08 * g.normal()));
        const double log_rd = std::log(6000.0) + 0.9 * std::log(hc) + 0.8 * f.ability +
                              0.02 * (year - plan_.first_year) + tau + spill + 0.15 * g.normal();
        const double rd = std::round(std::exp(log_rd));
        const double rd_staff = round2(
            std::exp(log_rd - std::log(90000.0) + (kRdStaffRatio - 1) * tau + 0.1 * g.normal()));
        const double patents =
            g.poisson(std::exp(-4.2 + 0.45 * std::log(hc) + 0.6 * f.ability + kPatentRatio * tau));
        Row row(e.fields.size());
        row[0] = f.siren;
        row[1] = int64_t{year};
        row[2] = hc;
        row[3] = turnover;
        row[4] = std::round(turnover * 0.33);
        row[5] = rd;
        row[6] = rd_staff;
        row[7] = std::round(turnover * f.export_share);
        row[8] = patents;
        row[9] = std::round(hc * 46000);
        row[10] = f.claims_cir ? std::round(0.3 * rd) : 0.0;
        row[11] = f.naf;
        row[12] = f.region;
        row[13] = f.zone;
        sink_.add(e, std::move(row));
        ++n;
      }
    }
    counts_["firm_year"] += n;
  }

  void truth() {
    RowOf row(sink_, counts_, "truth");
    auto put = [&](const std::string& key, double value, const std::string& note) {
      row.set("key", key).set("value", value).set("note", note).emit();
    };
    put("seed", static_cast<double>(opt_.seed), "seed of the generator");
    put("panel.first_year", plan_.first_year, "");
    put("panel.last_year", plan_.last_year, "");
    int members = 0;
    for (const auto& f : firms_) members += f.join_year != 0;
    put("panel.members", members, "member companies in the panel");
    put("panel.non_members", static_cast<double>(firms_.size()) - members,
        "panel firms that never join");
    for (size_t e = 0; e < kEffectByEventTime.size(); ++e) {
      put(fmt::format("effect.rd_spending_log.base.e{}", e), kEffectByEventTime[e],
          e + 1 == kEffectByEventTime.size() ? "event time 4 and later"
                                             : "event time e = year - join year");
    }
    for (size_t s = 0; s < kSizeClassCodes.size(); ++s) {
      put(fmt::format("effect.multiplier.size.{}", kSizeClassCodes[s]),
          size_multiplier(static_cast<SizeClass>(s)), "size class drawn at panel start");
    }
    const std::string success =
        "logit of P(success) of a funded project past its end (on the market, or with a "
        "product, service or process result): ";
    put("success.intercept", kSuccess.intercept, success + "intercept");
    put("success.trl_gap", kSuccess.trl_gap, success + "per level of TRL target - start");
    put("success.log_consortium_size", kSuccess.log_consortium_size,
        success + "per unit of the log number of participants");
    put("success.sme_coordinator", kSuccess.sme_coordinator,
        success + "coordinated by an SME (TPE or PME)");
    put("success.funded_share", kSuccess.funded_share,
        success + "per unit of public_aid / requested_aid (1: funded in full)");
    put("success.cluster_quality", kSuccess.cluster_quality,
        success + "per SD of the cluster's latent quality, seen only through its record");
    put("success.programme", 0, success + "no programme effect");
    put("services.join_probability", kServiceJoin,
        "a served SME joins a running funded project of the cluster starting 1 to 3 years after "
        "the service, with this probability (when there is one it is not in)");
    for (const auto& j : joins_) {
      put(fmt::format("services.joined.{}.{}", j.project, j.organisation), j.year,
          "joined this project because of a service of that year (planted)");
    }
    put("effect.multiplier.cohort.le2008", 1.2, "join year <= 2008");
    put("effect.multiplier.cohort.2009_2014", 1.0, "");
    put("effect.multiplier.cohort.ge2015", 0.8, "");
    put("effect.rd_staff_log.ratio", kRdStaffRatio,
        "effect on log R&D staff / effect on log R&D spending");
    put("effect.patents_log_rate.ratio", kPatentRatio,
        "effect on the log Poisson rate of patents / effect on log R&D spending");
    put("effect.turnover_log", 0, "no effect on turnover");
    if (planted_) {
      put("select.planted_conflict", 1,
          fmt::format("reviewer {} and the applicant of proposal {} worked together on project {}",
                      planted_->reviewer, planted_->proposal, planted_->project));
    }
    put("effect.headcount_log", 0, "no effect on headcount");
    put("spillover.rd_spending_log", kSpillover,
        "non-members of an (employment zone, NAF division) cell once a member of the cell has "
        "joined");
    // Realised averages of the planted effect over the treated member-years (the estimands).
    double sum = 0;
    int64_t n = 0;
    std::map<int, std::pair<double, int64_t>> by_e;
    for (const auto& f : firms_) {
      if (f.join_year == 0) continue;
      for (int y = f.join_year; y <= plan_.last_year; ++y) {
        const double tau = planted_effect(f, y);
        sum += tau;
        ++n;
        auto& [s, c] = by_e[y - f.join_year];
        s += tau;
        ++c;
      }
    }
    put("att.rd_spending_log.simple", n ? sum / static_cast<double>(n) : 0,
        "mean planted effect over member-years at or after joining");
    for (const auto& [e, sc] : by_e) {
      if (e > 10) break;
      put(fmt::format("att.rd_spending_log.dynamic.e{}", e),
          sc.first / static_cast<double>(sc.second), "mean planted effect at event time e");
    }
  }

  // Names of regions and departments from the INSEE lists (no boundaries: `poles import-geo`).
  void territories() {
    RowOf row(sink_, counts_, "territory");
    for (const auto& r : codes::regions())
      row.set("level", std::string("region"))
          .set("code", std::string(r.code))
          .set("name", std::string(r.name))
          .emit();
    for (const auto& d : codes::departments()) {
      row.set("level", std::string("department"))
          .set("code", std::string(d.code))
          .set("name", std::string(d.name))
          .set("parent", std::string(d.region))
          .emit();
    }
  }

  Options opt_;
  Plan plan_;
  Rng rng_;
  Rng funding_rng_;  // the split of aid by funder: its own draws leave every other table as it was
  Rng outcome_rng_;  // projects' funded shares, outcomes and results (the planted success model)
  Rng service_rng_;  // who is served and what the services cause (their planted effect)
  Sink& sink_;
  Counts counts_;
  std::vector<RegionInfo> regions_;
  std::vector<Cluster> clusters_;
  std::vector<Org> orgs_;
  struct CensusSpan {
    int org, cluster, first, last;  // years of the membership, for the census
  };
  std::vector<CensusSpan> census_;
  // Partners of each project with its last year, to plant a conflict of interest in a call.
  std::vector<std::pair<int, std::vector<int>>> project_partners_;
  // Per project (same index): its id, start year and whether it is still running (funded, not
  // ended); per cluster, its funded projects; per organisation, the start years of its funded
  // projects; the joins the services caused (the truth of their effect).
  struct ProjectFact {
    std::string id;
    int start = 0;
    bool running = false;
  };
  std::vector<ProjectFact> project_facts_;
  std::vector<std::vector<int>> cluster_projects_;
  std::unordered_map<int, std::vector<int>> funded_starts_;
  struct Join {
    std::string project, organisation;
    int year = 0;
  };
  std::vector<Join> joins_;
  struct PlantedConflict {
    std::string reviewer, proposal, project;
  };
  std::optional<PlantedConflict> planted_;
  std::vector<PanelFirm> firms_;
  std::unordered_map<std::string, int> cell_first_join_;
  // (region, NAF division, year) -> jobs of the panel's firms there (firm_years()).
  std::unordered_map<std::string, double> cell_panel_jobs_;
};

}  // namespace

Counts generate(const Options& options, Sink& sink) { return Generator(options, sink).run(); }

}  // namespace poles::demo
