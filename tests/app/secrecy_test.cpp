#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "app/impact.h"
#include "app/stats.h"
#include "demo/load.h"
#include "eco.h"
#include "impact/panel.h"
#include "secrecy/table.h"
#include "snapshot/loader.h"
#include "test_support.h"

namespace poles::app {
namespace {

// The plain reading of an estimate, by hand: 0.1154 log points of R&D spending is
// 100 (e^0.1154 − 1) = +12.23 %; a level outcome reads as it is; an interval across zero settles
// nothing; a masked estimate stays masked.
TEST(ImpactReading, LogPointsReadAsPercentAndLevelsAsTheyAre) {
  auto r = read_estimate("log(rd_spending)", false, "simple", 0.1154, 0.1044, 0.1264);
  EXPECT_EQ(r.scale, "percent");
  EXPECT_NEAR(*r.value, 12.2322, 1e-4);
  EXPECT_NEAR(*r.low, 11.0044, 1e-4);   // 100 (e^0.1044 − 1)
  EXPECT_NEAR(*r.high, 13.4736, 1e-4);  // 100 (e^0.1264 − 1)
  EXPECT_EQ(r.conclusive, true);
  r = read_estimate("headcount", false, "att", -2.5, -6.0, 1.0);
  EXPECT_EQ(r.scale, "level");
  EXPECT_EQ(*r.value, -2.5);
  EXPECT_EQ(r.conclusive, false);
  r = read_estimate("patents", true, "member", 0.3, std::nullopt, std::nullopt);  // Poisson
  EXPECT_EQ(r.scale, "percent");
  EXPECT_NEAR(*r.value, 34.9859, 1e-4);    // 100 (e^0.3 − 1)
  EXPECT_FALSE(r.conclusive.has_value());  // no interval: nothing is settled either way
  r = read_estimate("log(turnover)", false, "simple", std::nullopt, std::nullopt, std::nullopt);
  EXPECT_FALSE(r.value.has_value());
}

// An attacker who knows every published number tries to recover each masked cell as
// "line total minus the other cells of the line", over every row and column. Returns how many
// masked cells that reveals.
int recoverable_by_differencing(const SecretTable& t) {
  int recovered = 0;
  const int R = t.rows + 1, C = t.cols + 1;
  auto masked = [&](int r, int c) {
    return !t.cells[static_cast<size_t>(r)][static_cast<size_t>(c)].value.has_value();
  };
  for (int r = 0; r < R; ++r) {
    for (int c = 0; c < C; ++c) {
      if (!masked(r, c)) continue;
      int others_masked_row = 0, others_masked_col = 0;
      for (int k = 0; k < C; ++k) others_masked_row += k != c && masked(r, k);
      for (int k = 0; k < R; ++k) others_masked_col += k != r && masked(k, c);
      recovered += others_masked_row == 0 || others_masked_col == 0;
    }
  }
  return recovered;
}

TEST(Secrecy, PrimaryRuleCountsFirmsAndDominance) {
  // Cell (0,0): two firms -> secret. Cell (0,1): one firm holds 90 % -> secret. Rows 1 and 2
  // are safe; row 1, the smaller, takes the secondary suppression of both columns.
  std::vector<Contribution> c = {
      {0, 0, 10, "a"},  {0, 0, 12, "b"},  {0, 1, 90, "c"},  {0, 1, 5, "d"},   {0, 1, 5, "e"},
      {1, 0, 10, "f"},  {1, 0, 11, "g"},  {1, 0, 12, "h"},  {1, 1, 20, "i"},  {1, 1, 21, "j"},
      {1, 1, 22, "k"},  {2, 0, 500, "l"}, {2, 0, 510, "m"}, {2, 0, 520, "n"}, {2, 1, 600, "o"},
      {2, 1, 610, "p"}, {2, 1, 620, "q"},
  };
  const SecretTable t = publish(3, 2, c);
  EXPECT_EQ(t.cells[0][0].suppression, Suppression::kPrimary);
  EXPECT_EQ(t.cells[0][1].suppression, Suppression::kPrimary);
  EXPECT_EQ(t.cells[1][0].suppression, Suppression::kSecondary);
  EXPECT_EQ(t.cells[1][1].suppression, Suppression::kSecondary);
  ASSERT_TRUE(t.cells[2][1].value.has_value());
  EXPECT_DOUBLE_EQ(*t.cells[2][1].value, 1830);
  EXPECT_EQ(t.cells[2][1].firms, 3);
  ASSERT_TRUE(t.cells[3][2].value.has_value());  // grand total: 17 firms, none dominant
  EXPECT_DOUBLE_EQ(*t.cells[3][2].value, 10 + 12 + 100 + 33 + 63 + 1530 + 1830);
  // Several contributions of one firm count as one firm.
  const SecretTable one = publish(1, 1, {{0, 0, 1, "a"}, {0, 0, 1, "a"}, {0, 0, 1, "a"}});
  EXPECT_FALSE(one.cells[0][0].value.has_value());
}

TEST(Secrecy, OneMaskedCellIsNeverAloneOnALine) {
  // A 3x3 table where only (1,1) fails the primary rule: without secondary suppression the
  // row total minus the two other cells would give it away.
  std::vector<Contribution> c;
  int firm = 0;
  for (int r = 0; r < 3; ++r) {
    for (int k = 0; k < 3; ++k) {
      const int n = (r == 1 && k == 1) ? 2 : 4;
      for (int i = 0; i < n; ++i)
        c.push_back({r, k, 100.0 + r * 10 + k + i, "f" + std::to_string(firm++)});
    }
  }
  const SecretTable t = publish(3, 3, c);
  EXPECT_EQ(t.cells[1][1].suppression, Suppression::kPrimary);
  EXPECT_GE(t.masked(), 4) << "at least a rectangle of four cells";
  EXPECT_EQ(recoverable_by_differencing(t), 0);
  // Without secondary suppression the attack succeeds: the test can fail.
  SecretTable naive = t;
  for (auto& line : naive.cells) {
    for (auto& cell : line) {
      if (cell.suppression == Suppression::kSecondary) cell.value = 1.0;
    }
  }
  EXPECT_GT(recoverable_by_differencing(naive), 0);
}

// The small demo's snapshot, generated once for the tests of this file (its store kept beside
// it for the run); null, with a failure, when it cannot be made.
snapshot::SnapshotPtr small_demo() {
  static testing::TempDir dir;
  static const snapshot::SnapshotPtr snap = []() -> snapshot::SnapshotPtr {
    auto s = store::Store::open((dir / "d.db").string());
    if (!s.has_value()) return nullptr;
    demo::Options o;
    o.scale = demo::Scale::kSmall;
    if (!demo::generate_into(**s, o).has_value()) return nullptr;
    auto loaded = snapshot::load(**s);
    return loaded.has_value() ? *loaded : nullptr;
  }();
  EXPECT_TRUE(snap) << "the small demo could not be generated";
  return snap;
}

// On the demo's firm panel: every published table of R&D by region x NAF section resists
// differencing, and published totals match the microdata.
TEST(Secrecy, FirmAggregatesOfTheDemoResistDifferencing) {
  const auto snap = small_demo();
  ASSERT_TRUE(snap);
  for (const bool members_only : {false, true}) {
    auto j = firm_aggregate(*snap, "rd_spending", 2020, members_only);
    ASSERT_TRUE(j.has_value());
    const auto& cells = j->cells;
    // Rebuild the published table and attack it.
    SecretTable t;
    t.rows = static_cast<int>(cells.size()) - 1;
    t.cols = static_cast<int>(cells[0].size()) - 1;
    int masked = 0;
    for (const auto& line : cells) {
      std::vector<PublishedCell> row;
      for (const auto& c : line) {
        PublishedCell pc;
        pc.value = c.value;
        masked += !c.value.has_value();
        row.push_back(pc);
      }
      t.cells.push_back(row);
    }
    EXPECT_GT(masked, 0) << "the small demo has cells with fewer than 3 firms";
    EXPECT_EQ(recoverable_by_differencing(t), 0) << (members_only ? "members" : "all firms");
  }
  // The grand total of all firms equals the microdata's sum.
  auto all = firm_aggregate(*snap, "rd_spending", 2020, false);
  const auto& fy = snap->table("firm_year");
  double sum = 0;
  for (size_t r = 0; r < fy.rows; ++r) {
    if (fy.column("year").ints[r] == 2020) sum += fy.column("rd_spending").reals[r];
  }
  const auto& total = all->cells.back().back();
  ASSERT_TRUE(total.value.has_value());
  EXPECT_NEAR(*total.value, sum, 1e-6 * sum);
}

// A registry with the member account's own firm ("own", SIREN F00) and a panel of 2020 to fill:
// firm(region, naf, turnover[, siren]) adds a firm's row (SIREN F11, F12… unless given).
struct OwnFirmPanel {
  testing_support::Eco e;
  int n = 0;
  OwnFirmPanel() {
    e.row("organisation", {{"id", std::string("own")},
                           {"name", std::string("Own firm")},
                           {"kind", std::string("company")},
                           {"siren", std::string("F00")}});
  }
  void firm(const std::string& region, const std::string& naf, double turnover,
            const std::string& siren = "") {
    e.row("firm_year", {{"siren", siren.empty() ? "F" + std::to_string(++n + 10) : siren},
                        {"year", int64_t{2020}},
                        {"region", region},
                        {"naf", naf},
                        {"turnover", turnover}});
  }
};

// A member account knows its own firm's figures: in /stats/firms, a cell of three firms one of
// which is the reader's is, for that reader, a cell of two others (their sum, once it subtracts
// its own): masked for it, published to everyone else.
TEST(Secrecy, AMemberDoesNotCountItsOwnFirmTowardTheRule) {
  OwnFirmPanel p;
  auto& e = p.e;
  auto firm = [&](const std::string& region, const std::string& naf, double turnover,
                  const std::string& siren = "") { p.firm(region, naf, turnover, siren); };
  // 84 × C: the reader's firm and two others; every other cell has four firms of like size.
  firm("84", "30.30Z", 100, "F00");
  firm("84", "30.30Z", 110);
  firm("84", "30.30Z", 120);
  for (const auto& [region, naf] : std::vector<std::pair<std::string, std::string>>{
           {"11", "30.30Z"}, {"84", "62.01Z"}, {"11", "62.01Z"}}) {
    for (int i = 0; i < 4; ++i) firm(region, naf, 100 + 10 * i);
  }
  auto s = e.build();
  const auto cell = [](const FirmTable& t, const std::string& region, const std::string& section) {
    const auto r = std::find(t.rows.begin(), t.rows.end(), region) - t.rows.begin();
    const auto c = std::find(t.columns.begin(), t.columns.end(), section) - t.columns.begin();
    return t.cells[static_cast<size_t>(r)][static_cast<size_t>(c)];
  };
  auto everyone = firm_aggregate(*s, "turnover", 2020, false);
  ASSERT_TRUE(everyone.has_value()) << everyone.error().to_string();
  ASSERT_TRUE(cell(*everyone, "84", "C").value.has_value());
  EXPECT_DOUBLE_EQ(*cell(*everyone, "84", "C").value, 330);
  const Reader member(*s, User{"m", Role::kMember, "own"});
  auto mine = firm_aggregate(*s, "turnover", 2020, false, {}, member);
  ASSERT_TRUE(mine.has_value()) << mine.error().to_string();
  EXPECT_FALSE(cell(*mine, "84", "C").value.has_value());
  EXPECT_EQ(cell(*mine, "84", "C").secret.value_or(""), "primary");
  // Nothing else it could subtract from: the cells beside it are masked too.
  EXPECT_FALSE(cell(*mine, "84", "total").value.has_value() &&
               cell(*mine, "84", "J").value.has_value());
  // Another member (its firm not in the panel) reads the table as everyone does.
  const Reader other(*s, User{"o", Role::kMember, "nobody"});
  auto theirs = firm_aggregate(*s, "turnover", 2020, false, {}, other);
  ASSERT_TRUE(theirs.has_value());
  EXPECT_TRUE(cell(*theirs, "84", "C").value.has_value());
}

// A member's table starts from the masks of the table published to all: a cell its own firm
// dominates (masked for everyone) is, for that member, a cell of three others (publishable on
// its own), and publishing it to the member alone would let anyone who reads both tables (the
// member sharing its screen, say) combine them. Every cell masked for all is masked for it.
TEST(Secrecy, AMembersTableMasksEveryCellThePublicTableMasks) {
  OwnFirmPanel p;
  auto& e = p.e;
  auto firm = [&](const std::string& region, const std::string& naf, double turnover,
                  const std::string& siren = "") { p.firm(region, naf, turnover, siren); };
  // 84 × C: the reader's firm holds 1,000 of 1,030 (dominated for all); three others of 10.
  firm("84", "30.30Z", 1000, "F00");
  for (int i = 0; i < 3; ++i) firm("84", "30.30Z", 10);
  for (const auto& [region, naf] :
       std::vector<std::pair<std::string, std::string>>{{"11", "30.30Z"},
                                                        {"84", "62.01Z"},
                                                        {"11", "62.01Z"},
                                                        {"24", "30.30Z"},
                                                        {"24", "62.01Z"}}) {
    for (int i = 0; i < 4; ++i) firm(region, naf, 1000 + 10 * i);
  }
  auto s = e.build();
  auto everyone = firm_aggregate(*s, "turnover", 2020, false);
  ASSERT_TRUE(everyone.has_value()) << everyone.error().to_string();
  const Reader member(*s, User{"m", Role::kMember, "own"});
  auto mine = firm_aggregate(*s, "turnover", 2020, false, {}, member);
  ASSERT_TRUE(mine.has_value()) << mine.error().to_string();
  const auto r84 =
      std::find(everyone->rows.begin(), everyone->rows.end(), "84") - everyone->rows.begin();
  const auto cC = std::find(everyone->columns.begin(), everyone->columns.end(), "C") -
                  everyone->columns.begin();
  EXPECT_EQ(everyone->cells[static_cast<size_t>(r84)][static_cast<size_t>(cC)].secret.value_or(""),
            "primary");
  int masked_for_all = 0;
  for (size_t r = 0; r < everyone->cells.size(); ++r) {
    for (size_t c = 0; c < everyone->cells[r].size(); ++c) {
      if (everyone->cells[r][c].value.has_value()) continue;
      ++masked_for_all;
      EXPECT_FALSE(mine->cells[r][c].value.has_value())
          << everyone->rows[r] << " x " << everyone->columns[c]
          << " is masked for all and published to the member";
    }
  }
  EXPECT_GE(masked_for_all, 2);
}

// Impact estimates rest on firms: a cohort of two firms has its ATT(g,t) masked (with its counts),
// and so is every aggregation figure that averages one of them (the overall effects, the cohort's
// term, the event times and years it enters), while the 2003 cohort's term stays published; an
// event-time coefficient resting on fewer than 3 treated firms is masked too.
TEST(ImpactSecrecy, EstimatesOnFewerThanThreeFirmsAreMasked) {
  impact::Frame f;
  std::vector<double> unit, year, first, y;
  for (int u = 1; u <= 30; ++u) {
    const int g = u <= 20 ? 0 : u <= 28 ? 2003 : 2004;  // the 2004 cohort has two firms
    for (int t = 2001; t <= 2005; ++t) {
      unit.push_back(u);
      year.push_back(t);
      first.push_back(g);
      y.push_back(0.1 * u + 0.3 * (t - 2001) + (g != 0 && t >= g ? 1.0 : 0.0) +
                  0.01 * ((u * 3 + t) % 7));
    }
  }
  f.add_numeric("unit", unit);
  f.add_numeric("year", year);
  f.add_numeric("first", first);
  f.add_numeric("y", y);
  const Params p{
      {"outcome", "y"}, {"unit", "unit"}, {"time", "year"}, {"group", "first"}, {"bootstrap", "0"}};
  const auto args = parse(impact_params(), p);
  ASSERT_TRUE(args.has_value()) << args.error().to_string();
  auto r = impact_estimate(f, *args);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ASSERT_TRUE(r->did.has_value());
  const ImpactDid& did = *r->did;
  int masked = 0, published = 0;
  for (const auto& c : did.cells) {
    if (c.g == 2004) {
      EXPECT_FALSE(c.estimate.has_value());
      EXPECT_FALSE(c.treated.has_value());
      ++masked;
    } else {
      EXPECT_TRUE(c.estimate.has_value());
      ++published;
    }
  }
  EXPECT_EQ(masked, 4);
  EXPECT_EQ(did.secrecy.masked, 4);
  EXPECT_FALSE(did.aggregations.simple.estimate.has_value());
  EXPECT_FALSE(did.aggregations.dynamic.estimate.has_value());
  std::map<int, bool> by_cohort, by_time;
  for (const auto& t : did.aggregations.group.terms) by_cohort[t.key] = t.estimate.has_value();
  EXPECT_EQ(by_cohort, (std::map<int, bool>{{2003, true}, {2004, false}}));
  // e = 2 has only the 2003 cohort (2003 → 2005); e = -1 both.
  for (const auto& t : did.aggregations.dynamic.terms) by_time[t.key] = t.estimate.has_value();
  EXPECT_TRUE(by_time.at(2));
  EXPECT_FALSE(by_time.at(0));
  // The year 2003: only the 2003 cohort is treated.
  std::map<int, bool> by_year;
  for (const auto& t : did.aggregations.calendar.terms) by_year[t.key] = t.estimate.has_value();
  EXPECT_TRUE(by_year.at(2003));
  EXPECT_FALSE(by_year.at(2004));
  // The event study: e = 2 has only the 2003 cohort's 8 firms, e = -3 only the 2004 cohort's two.
  Params ev = p;
  ev["estimator"] = "event";
  ev["leads"] = "3";
  ev["lags"] = "3";
  const auto ev_args = parse(impact_params(), ev);
  ASSERT_TRUE(ev_args.has_value()) << ev_args.error().to_string();
  auto e = impact_estimate(f, *ev_args);
  ASSERT_TRUE(e.has_value()) << e.error().to_string();
  ASSERT_TRUE(e->event.has_value());
  for (const auto& t : e->event->terms) {
    if (t.e == -3) {
      EXPECT_FALSE(t.estimate.has_value()) << tj::to_json(t).dump();
    }
    if (t.e == 2) {
      EXPECT_TRUE(t.estimate.has_value()) << tj::to_json(t).dump();
    }
  }
  // Sun & Abraham: the 2004 cohort's effects are masked, and so is every average that includes
  // one (with the 2003 cohort's published effect and the published weights it would give the
  // masked one): e = -3 .. 1 and the ATT; e = 2 rests on the 2003 cohort alone.
  ev["estimator"] = "sunab";
  const auto sa_args = parse(impact_params(), ev);
  ASSERT_TRUE(sa_args.has_value()) << sa_args.error().to_string();
  auto sa = impact_estimate(f, *sa_args);
  ASSERT_TRUE(sa.has_value()) << sa.error().to_string();
  ASSERT_TRUE(sa->event.has_value());
  ASSERT_EQ(sa->estimator(), "sunab");
  ASSERT_TRUE(sa->event->cohorts.has_value());
  int cohort_masked = 0;
  for (const auto& c : *sa->event->cohorts) {
    EXPECT_EQ(c.estimate.has_value(), c.g == 2003) << tj::to_json(c).dump();
    EXPECT_EQ(c.rows.has_value(), c.g == 2003) << tj::to_json(c).dump();
    cohort_masked += c.g == 2004;
  }
  EXPECT_EQ(cohort_masked, 4);  // e = -3, -2, 0, 1
  std::map<int, bool> shown;
  for (const auto& t : sa->event->terms) shown[t.e] = t.estimate.has_value();
  EXPECT_EQ(shown, (std::map<int, bool>{
                       {-3, false}, {-2, false}, {-1, true}, {0, false}, {1, false}, {2, true}}));
  EXPECT_FALSE(sa->event->att->estimate.has_value());
  EXPECT_FALSE(sa->event->reading->value.has_value());
  EXPECT_EQ(sa->event->secrecy.masked, 4 + 4);
  // Binned after treatment (lags 0), the 2004 cohort's e = 0 holds 4 rows of its 2 firms: still
  // masked (the rule counts firms, not rows).
  ev["lags"] = "0";
  const auto binned_args = parse(impact_params(), ev);
  ASSERT_TRUE(binned_args.has_value()) << binned_args.error().to_string();
  auto binned = impact_estimate(f, *binned_args);
  ASSERT_TRUE(binned.has_value()) << binned.error().to_string();
  int seen = 0;
  for (const auto& c : *binned->event->cohorts) {
    if (c.e != 0) continue;
    ++seen;
    if (c.g == 2004) {
      EXPECT_FALSE(c.estimate.has_value()) << tj::to_json(c).dump();
    }
    if (c.g == 2003) {
      EXPECT_EQ(c.rows.value_or(0), 8 * 3) << tj::to_json(c).dump();
      EXPECT_EQ(c.firms.value_or(0), 8) << tj::to_json(c).dump();
    }
  }
  EXPECT_EQ(seen, 2);
}

// On the store a regression's figures rest on firms, not rows: on an employment zone of one or
// two member firms (many firm-years), the coefficients are masked. A subset naming firms one by
// one, or another unit than the firm, is refused there (leaving one firm out of a published
// estimate would single it out).
TEST(ImpactSecrecy, OnTheStoreRegressionsCountFirmsAndSubsetsMayNotNameThem) {
  const auto snap = small_demo();
  ASSERT_TRUE(snap);
  // A zone whose direct-effect sample holds at most two firms, over at least three rows.
  auto panel = impact::firm_panel(*snap);
  ASSERT_TRUE(panel.has_value()) << panel.error().to_string();
  auto sample = impact::design_panel(*panel, {});
  ASSERT_TRUE(sample.has_value()) << sample.error().to_string();
  const auto firm = *sample->numeric("firm");
  const auto* zone = sample->find("employment_zone");
  std::map<std::string, std::set<double>> firms;
  std::map<std::string, int> rows;
  for (size_t i = 0; i < sample->rows(); ++i) {
    firms[zone->text[i]].insert(firm[i]);
    ++rows[zone->text[i]];
  }
  std::string small;
  for (const auto& [z, f] : firms) {
    if (!z.empty() && f.size() <= 2 && rows[z] >= 6) small = z;
  }
  ASSERT_FALSE(small.empty()) << "the small demo has zones of one or two panel firms";
  const auto run = [&](Params p) {
    p["estimator"] = "ols";
    auto args = parse(impact_params(), p);
    EXPECT_TRUE(args.has_value()) << args.error().to_string();
    return impact_from_store(*snap, *args);
  };
  auto r = run({{"formula", "log(rd_spending) ~ log(headcount) | year"},
                {"subset", "employment_zone == " + small}});
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ASSERT_FALSE(r->ols->coefficients.empty());
  EXPECT_GE(r->ols->n, 3) << "more rows than the rule's firms";
  EXPECT_FALSE(r->ols->coefficients[0].estimate.has_value())
      << tj::to_json(r->ols->coefficients[0]).dump();
  auto everyone = run({{"formula", "log(rd_spending) ~ log(headcount) | year"}});
  ASSERT_TRUE(everyone.has_value()) << everyone.error().to_string();
  EXPECT_TRUE(everyone->ols->coefficients[0].estimate.has_value());
  // A dummy per zone: each coefficient rests on the firms of its zone (and of the others).
  // (within the small zone's region: a dummy per zone of France is more than a formula may build)
  const auto* region = sample->find("region");
  std::map<std::string, std::string> region_of;
  for (size_t i = 0; i < sample->rows(); ++i) region_of[zone->text[i]] = region->text[i];
  std::string big;  // the region's largest zone
  for (const auto& [z, f] : firms) {
    if (!z.empty() && region_of[z] == region_of[small] &&
        (big.empty() || f.size() > firms[big].size()))
      big = z;
  }
  ASSERT_GE(firms[big].size(), 4u) << big;
  auto zones = run({{"formula", "log(rd_spending) ~ log(headcount) + i(employment_zone) | year"},
                    {"subset", "region == " + region_of[small]}});
  ASSERT_TRUE(zones.has_value()) << zones.error().to_string();
  int seen = 0;
  for (const auto& c : zones->ols->coefficients) {
    if (c.name == "employment_zone::" + small) {
      EXPECT_FALSE(c.estimate.has_value()) << tj::to_json(c).dump();
      ++seen;
    }
    if (c.name == "employment_zone::" + big) {
      EXPECT_TRUE(c.estimate.has_value()) << tj::to_json(c).dump();
      ++seen;
    }
    if (c.name == "log(headcount)") {
      EXPECT_TRUE(c.estimate.has_value());
    }
  }
  EXPECT_EQ(seen, 2) << small << " " << big;
  // The fit of a regression on too few firms is masked with its coefficients.
  EXPECT_FALSE(r->ols->r2.has_value());
  EXPECT_TRUE(everyone->ols->r2.has_value());
  auto by_firm = run({{"subset", "firm != " + std::to_string(static_cast<int64_t>(firm[0]))}});
  ASSERT_FALSE(by_firm.has_value());
  EXPECT_NE(by_firm.error().to_string().find("may not name firms one by one"), std::string::npos)
      << by_firm.error().to_string();
  auto by_year = run({{"unit", "year"}});
  ASSERT_FALSE(by_year.has_value());
  EXPECT_NE(by_year.error().to_string().find("the unit is the firm"), std::string::npos);
}

}  // namespace
}  // namespace poles::app
