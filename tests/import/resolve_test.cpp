// Matching organisations to SIREN (import/resolve.h): the normalisation and scoring on cases
// worked out by hand, and precision and recall on a labelled set written by
// examples/make_siren_labelled_set.py (its truth comes from the script, never from the matcher).
#include "import/resolve.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "import/importer.h"
#include "store_fixture.h"

namespace poles::import {
namespace {

using testing::StoreTest;

TEST(ResolveNames, LegalFormsArticlesPunctuationAndAccentsAreNotTheName) {
  EXPECT_EQ(name_key("Société DUPONT & Fils S.A.S."), "dupont fils");
  EXPECT_EQ(name_key("DUPONT ET FILS"), "dupont fils");
  EXPECT_EQ(name_key("S.N.C.F."), "sncf");
  EXPECT_EQ(name_key("Ets Martin"), "etablissement martin");
  EXPECT_EQ(name_key("ÉTABLISSEMENTS MARTIN SARL"), "etablissement martin");
  EXPECT_EQ(name_key("Laboratoire d'Électronique de l'Isère, société par actions simplifiée"),
            "laboratoire electronique isere");
  EXPECT_EQ(name_key("Zürich Technologies"), "zurich technologie");
  EXPECT_EQ(name_key("SA"), "");
  // Dice of letter trigrams: " ab", "abc", "bc " against " ab", "abd", "bd ": 1 common of 6.
  EXPECT_DOUBLE_EQ(trigram_dice("abc", "abd"), 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(trigram_dice("abc", "abc"), 1.0);
}

TEST(ResolveNames, SizeClassFromInseesCategoryThenTheHeadcountBand) {
  EXPECT_EQ(size_class_of_sirene("GE", ""), "ge");
  EXPECT_EQ(size_class_of_sirene("ETI", "12"), "eti");
  EXPECT_EQ(size_class_of_sirene("PME", "12"), "pme");
  EXPECT_EQ(size_class_of_sirene("PME", "02"), "tpe");  // 3 to 5 employees
  EXPECT_EQ(size_class_of_sirene("PME", ""), "");       // a PME, but TPE or not is unknown
  EXPECT_EQ(size_class_of_sirene("", "NN"), "tpe");     // no employee
  EXPECT_EQ(size_class_of_sirene("", "31"), "pme");     // 200 to 249
  EXPECT_EQ(size_class_of_sirene("", "32"), "eti");     // 250 to 499
  EXPECT_EQ(size_class_of_sirene("", "52"), "ge");      // 5,000 to 9,999
  EXPECT_EQ(size_class_of_sirene("", ""), "");
}

LegalUnit unit(std::string siren, std::string name, std::string postcode, std::string naf,
               int created, std::string acronym = "") {
  LegalUnit u;
  u.siren = std::move(siren);
  u.name = std::move(name);
  u.postcode = std::move(postcode);
  u.commune = u.postcode;
  u.naf = std::move(naf);
  u.created = created;
  u.acronym = std::move(acronym);
  return u;
}

TEST(ResolveScore, HandWorkedCases) {
  const SireneIndex index(
      {unit("732829320", "DURAND USINAGE", "38000", "25.62A", 1990),
       unit("552100554", "DURAND USINAGE", "69001", "25.62B", 2001),
       unit("775685019", "COMMISSARIAT A L ENERGIE ATOMIQUE", "75015", "72.19Z", 1945, "CEA"),
       unit("542107651", "AXELIS COMPOSITES", "31000", "", 0)});
  const MatchOptions o;
  // The same name in the same département: 0.75 + 0.15 + activity and year unknown 0.025 each.
  MatchQuery q{"a", "Durand Usinage S.A.S.", "", "38", "", 0};
  auto m = index.match(q, o);
  ASSERT_EQ(m.candidates.size(), 2u);
  EXPECT_EQ(m.status, MatchStatus::kAccepted);
  EXPECT_EQ(index.unit(m.candidates[0].unit).siren, "732829320");
  EXPECT_NEAR(m.candidates[0].score, 0.95, 1e-12);
  EXPECT_NEAR(m.candidates[1].score, 0.80, 1e-12);  // the homonym in the Rhône: no place point
  EXPECT_EQ(m.candidates[1].reasons[1].what, "other_department");
  // Without a place, the two homonyms tie: a person decides.
  q.department.clear();
  m = index.match(q, o);
  EXPECT_EQ(m.status, MatchStatus::kReview);
  EXPECT_NEAR(m.candidates[0].score, 0.875, 1e-12);
  EXPECT_NEAR(m.candidates[1].score, 0.875, 1e-12);
  // The activity breaks the tie only by 0.05 × 0.3 (same division): still below the margin.
  q.naf = "25.62A";
  m = index.match(q, o);
  EXPECT_EQ(m.status, MatchStatus::kReview);
  EXPECT_NEAR(m.candidates[0].score - m.candidates[1].score, 0.05 * 0.3, 1e-12);
  // A typo: "Durnad" is 1 transposition from "durand" (1 − 1/6), "usinage" equal: the words
  // found weigh by length, (6 × 5/6 + 7) / 13 = 12/13.
  q = {"b", "Durnad Usinage", "", "38", "", 0};
  m = index.match(q, o);
  ASSERT_FALSE(m.candidates.empty());
  EXPECT_NEAR(m.candidates[0].name, 12.0 / 13.0, 1e-12);
  EXPECT_NEAR(m.candidates[0].score, 0.75 * 12.0 / 13.0 + 0.15 + 0.05, 1e-12);
  EXPECT_EQ(m.status, MatchStatus::kAccepted);
  // An acronym: the unit's sigle.
  q = {"c", "C.E.A.", "", "75", "", 0};
  m = index.match(q, o);
  ASSERT_FALSE(m.candidates.empty());
  EXPECT_EQ(index.unit(m.candidates[0].unit).siren, "775685019");
  EXPECT_EQ(m.candidates[0].reasons[0].what, "acronym");
  EXPECT_NEAR(m.candidates[0].score, 0.75 * 0.9 + 0.15 + 0.05, 1e-12);
  // A firm SIRENE does not know: nothing near enough.
  q = {"d", "Boulangerie du Port", "", "29", "", 0};
  m = index.match(q, o);
  EXPECT_EQ(m.status, MatchStatus::kNone);
}

class ResolveStoreTest : public StoreTest {
 protected:
  void import_organisations(const std::string& csv) {
    std::istringstream in(csv);
    auto r = import_csv(*store_, *schema::find_entity("organisation"), in, "organisation.csv", {});
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
  }
  std::string field(const std::string& id, const char* f) {
    const auto& e = *schema::find_entity("organisation");
    auto row = *store_->get(e, {id});
    EXPECT_TRUE(row.has_value()) << id;
    return row ? value_to_text((*row)[static_cast<size_t>(schema::field_index(e, f))]) : "";
  }
  int64_t count(const std::string& sql) {
    auto r = store_->query(sql, {});
    EXPECT_TRUE(r.has_value());
    return r.has_value() ? std::get<int64_t>((*r)[0][0]) : -1;
  }
};

// The labelled set on SQLite only (20,000 units: the store's part is the same on PostgreSQL,
// where the gap-filling test below and the HTTP test of the queue run).
class ResolveLabelledSetTest : public ResolveStoreTest {};

TEST_P(ResolveLabelledSetTest, PrecisionAndRecallOnALabelledSetAndDecisionsKept) {
  testing::TempDir dir;
  const auto gen = testing::run_command(
      "/usr/bin/python3 " +
      (testing::source_dir() / "examples/make_siren_labelled_set.py").string() + " " +
      dir.path().string() + " --units 20000 --queries 1000 --seed 20261130 && cd " +
      dir.path().string() +
      " && /usr/bin/python3 -c \"import zipfile; zipfile.ZipFile('ul.zip', 'w', "
      "zipfile.ZIP_DEFLATED).write('StockUniteLegale.csv')\" && gzip -k StockEtablissement.csv");
  ASSERT_EQ(gen.status, 0) << gen.output;
  import_organisations(testing::read_file(dir / "organisation.csv"));
  if (HasFatalFailure()) return;
  // The stock files as INSEE publishes them: a zip, a gzip.
  auto stock = load_sirene_stock(*store_, (dir / "ul.zip").string(),
                                 (dir / "StockEtablissement.csv.gz").string(), false);
  ASSERT_TRUE(stock.has_value()) << stock.error().to_string();
  EXPECT_EQ(stock->stored, 20000);
  EXPECT_EQ(stock->skipped, 4) << "3 natural persons and 1 unit not open to publication";
  EXPECT_EQ(stock->head_offices, 20000);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sirene_unit WHERE name LIKE '%PERSONNE%' OR name = '[ND]'"),
            0);

  auto r = resolve_organisations(*store_, {}, false, "test");
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->organisations, 1000);
  EXPECT_EQ(r->accepted + r->review + r->none + r->duplicates, 1000);
  std::ifstream in(dir / "truth.json");
  const auto truth = nlohmann::json::parse(in);
  int64_t right = 0, wrong = 0, positives = 0;
  for (const auto& [id, siren] : truth.items()) {
    positives += !siren.is_null();
    const std::string got = field(id, "siren");
    if (got.empty()) continue;
    if (!siren.is_null() && got == siren.get<std::string>()) {
      ++right;
    } else {
      ++wrong;
    }
  }
  const double precision = static_cast<double>(right) / static_cast<double>(right + wrong);
  const double recall = static_cast<double>(right) / static_cast<double>(positives);
  std::cout << fmt::format(
      "labelled set: precision {:.4f}, recall {:.4f} ({} right, {} wrong, "
      "{} to find; {} to review, {} without candidate)\n",
      precision, recall, right, wrong, positives, r->review, r->none);
  EXPECT_GE(precision, 0.98);
  EXPECT_GE(recall, 0.90);
  EXPECT_EQ(right + wrong, r->accepted);

  // A person's decisions: one review item accepted with its second candidate, one rejected.
  auto queue = store_->query(
      "SELECT organisation_id, candidates FROM siren_match WHERE status = 'review' ORDER BY "
      "organisation_id",
      {});
  ASSERT_TRUE(queue.has_value());
  ASSERT_GE(queue->size(), 3u);
  const std::string first = value_to_text((*queue)[0][0]), second = value_to_text((*queue)[1][0]);
  const auto candidates = nlohmann::json::parse(value_to_text((*queue)[0][1]));
  ASSERT_GE(candidates.size(), 1u);
  const std::string chosen = candidates.back()["siren"];
  ASSERT_TRUE(decide_match(*store_, first, chosen, "reviewer").is_ok());
  EXPECT_EQ(field(first, "siren"), chosen);
  ASSERT_TRUE(decide_match(*store_, second, "", "reviewer").is_ok());
  // The SIREN is another organisation's now: refused, nothing written.
  const auto again = decide_match(*store_, second, chosen, "reviewer");
  EXPECT_EQ(again.code(), ErrorCode::kConflict) << again.to_string();
  EXPECT_EQ(field(second, "siren"), "");
  // An unknown organisation, a SIREN failing its check digit, one outside the reference (a
  // natural person's, say: left out of it on purpose).
  EXPECT_EQ(decide_match(*store_, "nobody", "", "x").code(), ErrorCode::kNotFound);
  EXPECT_EQ(decide_match(*store_, second, "123456789", "x").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(decide_match(*store_, second, "732829320", "x").code(), ErrorCode::kNotFound);
  // A third organisation of the queue gets its SIREN from elsewhere (a re-import): the next run
  // takes it out of the queue.
  const std::string third = value_to_text((*queue)[2][0]);
  ASSERT_TRUE(store_
                  ->query("SELECT 1 FROM siren_match WHERE organisation_id = ? AND status = "
                          "'review'",
                          {Value(third)})
                  ->size() == 1);
  {
    auto tx = std::move(store_->begin()).value();
    ASSERT_TRUE(
        tx->execute("UPDATE organisation SET siren = '552100554' WHERE id = ?", {Value(third)})
            .is_ok());
    ASSERT_TRUE(tx->commit().is_ok());
  }

  // The next run: matched organisations are not matched again, the rejection is kept.
  auto next = resolve_organisations(*store_, {}, false, "test");
  ASSERT_TRUE(next.has_value()) << next.error().to_string();
  EXPECT_EQ(next->organisations, 1000 - r->accepted - 2);
  EXPECT_EQ(next->kept, 1);
  EXPECT_EQ(next->accepted, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM siren_match WHERE organisation_id = '" + third + "'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM siren_match WHERE status = 'accepted'"), r->accepted + 1)
      << "the automatic matches stay listed, with the person's";
  EXPECT_EQ(count("SELECT COUNT(*) FROM siren_match WHERE status = 'rejected' AND decided_by = "
                  "'reviewer'"),
            1);
}

TEST_P(ResolveStoreTest, SireneFillsOnlyTheGapsAndSaysWhereTheSizeClassCameFrom) {
  testing::TempDir dir;
  testing::write_file(
      dir / "ul.csv",
      "siren,statutDiffusionUniteLegale,dateCreationUniteLegale,sigleUniteLegale,"
      "trancheEffectifsUniteLegale,categorieEntreprise,etatAdministratifUniteLegale,"
      "denominationUniteLegale,categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,"
      "nomenclatureActivitePrincipaleUniteLegale\n"
      "732829320,O,1990-05-02,,12,PME,A,DURAND USINAGE,5710,25.62A,NAFRev2\n"
      "552100554,O,2001-01-01,,41,ETI,A,AXELIS COMPOSITES,5599,20.16Z,NAFRev2\n"
      "542107651,O,1975-01-01,,00,,A,MOULIN OPTIQUE,5499,57.10,NAP\n"
      "123456789,O,1975-01-01,,00,,A,BAD CHECK DIGIT,5499,,\n");
  testing::write_file(dir / "et.csv",
                      "siren,etablissementSiege,codePostalEtablissement,codeCommuneEtablissement,"
                      "etatAdministratifEtablissement\n"
                      "732829320,true,38000,38185,A\n"
                      "552100554,true,31000,31555,A\n"
                      "552100554,false,75001,75101,A\n");
  auto stock =
      load_sirene_stock(*store_, (dir / "ul.csv").string(), (dir / "et.csv").string(), false);
  ASSERT_TRUE(stock.has_value()) << stock.error().to_string();
  EXPECT_EQ(stock->stored, 3);
  EXPECT_EQ(stock->skipped, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sirene_unit WHERE siren = '542107651' AND naf IS NULL"), 1)
      << "a NAP code is not NAF rev.2";
  // The directory knows Durand's activity and Axelis's headcount.
  import_organisations(
      "id,name,kind,department,naf,headcount\n"
      "annuaire:durand,Durand Usinage,company,38,28.99B,\n"
      "annuaire:axelis,Axelis Composites SA,company,31,,120\n");
  if (HasFatalFailure()) return;
  auto r = resolve_organisations(*store_, {}, false, "test");
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->accepted, 2);
  EXPECT_EQ(r->size_classes, 1);
  EXPECT_EQ(field("annuaire:durand", "siren"), "732829320");
  EXPECT_EQ(field("annuaire:durand", "naf"), "28.99B") << "the directory's activity is kept";
  EXPECT_EQ(field("annuaire:durand", "size_class"), "pme") << "INSEE's category: PME, 20-49";
  EXPECT_EQ(field("annuaire:durand", "founded"), "1990");
  EXPECT_EQ(field("annuaire:durand", "department"), "38");
  EXPECT_EQ(field("annuaire:axelis", "siren"), "552100554");
  EXPECT_EQ(field("annuaire:axelis", "size_class"), "pme")
      << "computed from the directory's headcount, not INSEE's ETI";
  EXPECT_EQ(field("annuaire:axelis", "naf"), "20.16Z");
  // The audit says who set the fields: the resolution, from SIRENE.
  auto audit = store_->audit(0, 1000);
  ASSERT_TRUE(audit.has_value());
  bool found = false;
  for (const auto& a : *audit) {
    found = found || (a.actor == "test" && a.entity == "organisation" &&
                      a.key.find("size_class from categorieEntreprise") != std::string::npos);
  }
  EXPECT_TRUE(found);
  // A stock file missing a required column is refused, nothing stored.
  testing::write_file(dir / "bad.csv", "siren,denominationUniteLegale\n732829320,X\n");
  auto bad = load_sirene_stock(*store_, (dir / "bad.csv").string(), "", false);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field_errors()[0].format(),
            "bad.csv:1: field 'categorieJuridiqueUniteLegale' value '': required column is "
            "missing");
}

POLES_BOTH_BACKENDS(ResolveStoreTest);
INSTANTIATE_TEST_SUITE_P(Sqlite, ResolveLabelledSetTest, ::testing::Values(std::string("sqlite")),
                         ::poles::testing::backend_name);

}  // namespace
}  // namespace poles::import
