// `poles backup` and `poles restore` on both stores (issue #25): a backup restored into a fresh
// store exports every entity byte for byte as the original does; a backup never overwrites a
// file; a restore refuses to replace a SQLite file unless told; --dir names backups by their UTC
// time and --keep removes the older ones.
#include "store/backup.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "app/accounts.h"
#include "cli_support.h"
#include "core/schema.h"
#include "import/importer.h"
#include "store_fixture.h"

namespace poles {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class BackupTest : public testing::StoreTest {
 protected:
  void import(const std::string& entity, const std::string& csv) {
    std::istringstream in(csv);
    auto r = import::import_csv(*store_, *schema::find_entity(entity), in, entity + ".csv", {});
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
  }
  int poles(const std::vector<std::string>& args) {
    return testing::run_poles(args, (*dir_ / "out.txt").string(), (*dir_ / "err.txt").string());
  }
  std::string err() { return slurp(*dir_ / "err.txt"); }
  // Every entity of `url` as CSV, keyed by entity.
  std::map<std::string, std::string> exports(const std::string& url, const std::string& tag) {
    std::map<std::string, std::string> out;
    for (const auto& e : schema::entities()) {
      const std::string name(e.name);
      const auto file = *dir_ / (tag + "-" + name + ".csv");
      EXPECT_EQ(poles({"--db", url, "export", name, "--format", "csv", "-o", file.string()}), 0)
          << name << ": " << err();
      out[name] = slurp(file);
    }
    return out;
  }
};

TEST_P(BackupTest, ARestoredBackupExportsByteIdentically) {
  import("cluster",
         "id,name,region,scale\naero,Aerospace Valley,76,national\nmina,Minalogic,84,regional\n");
  import("organisation",
         "id,name,kind,siren,commune,headcount,turnover\no1,Un « accentué »,company,732829320,"
         "31555,12,1500000\no2,Deux,research,,38185,,\n");
  import("membership",
         "organisation_id,cluster_id,start_date,fee\no1,aero,2019-01-01,100.5\no2,mina,2019-01-01,"
         "100\n");
  import("project", "id,acronym,programme,status\np1,ALPHA,FUI,funded\np2,BETA,ANR,labelled\n");
  ASSERT_TRUE(app::Accounts::add_user(*store_, "officer", "correct horse battery staple",
                                      app::Role::kState, "", "test")
                  .is_ok());
  const bool pg = GetParam() == "postgres";
  const std::string backup = (*dir_ / (pg ? "b.dump" : "b.db")).string();
  ASSERT_EQ(poles({"--db", url_, "backup", "-o", backup}), 0) << err();
  ASSERT_TRUE(std::filesystem::exists(backup));
  EXPECT_EQ(std::filesystem::status(backup).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)
      << "a backup readable by others";
  EXPECT_NE(poles({"--db", url_, "backup", "-o", backup}), 0) << "a backup overwrote a file";
  EXPECT_NE(err().find("never overwrites"), std::string::npos) << err();

  std::string target;
  if (pg) {
    target = testing::PgServer::instance(nullptr)->create_database();
  } else {
    target = (*dir_ / "restored.db").string();
  }
  ASSERT_EQ(poles({"--db", target, "restore", backup}), 0) << err();
  if (!pg) {
    EXPECT_EQ(std::filesystem::status(target).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)
        << "a restored store readable by others";
  }
  const auto before = exports(url_, "original");
  const auto after = exports(target, "restored");
  ASSERT_EQ(before.size(), schema::entities().size());
  for (const auto& [entity, csv] : before) EXPECT_EQ(after.at(entity), csv) << entity;
  EXPECT_NE(before.at("organisation").find("accentué"), std::string::npos);
  EXPECT_NE(before.at("membership").find("100.5"), std::string::npos);
  // The accounts came along.
  auto restored = store::Store::open(target);
  ASSERT_TRUE(restored.has_value());
  auto user = app::Accounts::verify_password(**restored, "officer", "correct horse battery staple");
  EXPECT_TRUE(user.has_value());
  if (!pg) {
    EXPECT_NE(poles({"--db", target, "restore", backup}), 0) << "a SQLite file was replaced";
    EXPECT_NE(err().find("--replace"), std::string::npos) << err();
    // Servers keep answers by data version: a restore moves it past any version the file had.
    const uint64_t before_restore = *(*restored)->data_version() + 5;
    {
      auto tx = (*restored)->begin();
      ASSERT_TRUE((*tx)
                      ->execute("UPDATE \"meta\" SET \"value\" = ? WHERE \"key\" = 'data_version'",
                                {std::to_string(before_restore)})
                      .is_ok());
      ASSERT_TRUE((*tx)->commit().is_ok());
    }
    restored->reset();
    EXPECT_EQ(poles({"--db", target, "restore", backup, "--replace"}), 0) << err();
    auto again = store::Store::open(target);
    ASSERT_TRUE(again.has_value());
    EXPECT_GT(*(*again)->data_version(), before_restore)
        << "a restored store took a version it had had";
    // A dump is not a SQLite file, and a file that is not a database is refused.
    std::ofstream(*dir_ / "junk.db") << "not a database";
    EXPECT_NE(poles({"--db", (*dir_ / "x.db").string(), "restore", (*dir_ / "junk.db").string()}),
              0);
    EXPECT_FALSE(std::filesystem::exists(*dir_ / "x.db"));
  }
}

TEST_P(BackupTest, ADirectoryKeepsTheNewest) {
  const auto dir = *dir_ / "backups";
  ASSERT_EQ(poles({"--db", url_, "backup", "--dir", dir.string(), "--keep", "3"}), 0) << err();
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  ASSERT_EQ(names.size(), 1u);
  EXPECT_TRUE(std::regex_match(names[0],
                               std::regex(GetParam() == "postgres" ? R"(poles-\d{8}T\d{6}Z\.dump)"
                                                                   : R"(poles-\d{8}T\d{6}Z\.db)")))
      << names[0];
  // Older backups (names are UTC times), and a file that is not a backup: the three newest stay.
  for (const char* old : {"poles-20250101T000000Z.db", "poles-20250102T000000Z.db",
                          "poles-20250103T000000Z.dump", "notes.txt"})
    std::ofstream(dir / old) << "x";
  auto removed = store::prune_backups(dir.string(), 3);
  ASSERT_TRUE(removed.has_value());
  ASSERT_EQ(removed->size(), 1u);
  EXPECT_EQ(std::filesystem::path(removed->front()).filename(), "poles-20250101T000000Z.db");
  EXPECT_TRUE(std::filesystem::exists(dir / "notes.txt"));
  EXPECT_TRUE(std::filesystem::exists(dir / names[0]));
}

POLES_BOTH_BACKENDS(BackupTest);

}  // namespace
}  // namespace poles
