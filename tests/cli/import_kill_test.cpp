// Kills `poles import` with SIGKILL in the middle of a 1-million-row import, 20 times at random
// moments, and checks each time that the store is exactly as before (and not corrupt).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "cli_support.h"
#include "import/exporter.h"
#include "store/store.h"
#include "test_support.h"

namespace poles {
namespace {

constexpr int kOrgs = 20000;
constexpr int kProjects = 20000;
constexpr int kPerProject = 50;  // 1,000,000 participations

// One line per fact: data version, integrity, per entity its row count and a hash of its CSV
// export, audit length. Small enough to compare and print when it differs.
std::string digest(const std::string& db) {
  auto s = store::Store::open(db);
  EXPECT_TRUE(s.has_value()) << s.error().to_string();
  if (!s) return "cannot open";
  std::ostringstream out;
  auto version = (*s)->data_version();
  out << "data_version " << (version ? std::to_string(*version) : version.error().to_string())
      << "\n";
  auto check = (*s)->query("PRAGMA integrity_check", {});
  out << "integrity " << (check ? value_to_text((*check)[0][0]) : check.error().to_string())
      << "\n";
  for (const auto& e : schema::entities()) {
    std::ostringstream csv;
    auto n = import::export_stream(**s, e, import::ExportFormat::kCsv, csv);
    out << e.name << " " << (n ? std::to_string(*n) : n.error().to_string()) << " rows, hash "
        << std::hash<std::string>{}(csv.str()) << "\n";
  }
  auto audit = (*s)->audit(0, 1000000);
  out << "audit " << (audit ? std::to_string(audit->size()) : audit.error().to_string()) << "\n";
  return out.str();
}

TEST(ImportKill, StoreIsUnchangedAfterSigkillAtRandomMoments) {
  testing::TempDir dir;
  const std::string db = (dir / "kill.db").string();
  {
    std::ofstream org(dir / "org.csv"), proj(dir / "proj.csv"), part(dir / "part.csv");
    org << "id,name,kind\n";
    for (int i = 0; i < kOrgs; ++i) org << "o" << i << ",Organisation " << i << ",company\n";
    proj << "id,acronym,programme,status\n";
    for (int i = 0; i < kProjects; ++i) proj << "p" << i << ",P" << i << ",FUI,funded\n";
    part << "project_id,organisation_id,role,cost,aid\n";
    for (int p = 0; p < kProjects; ++p) {
      for (int j = 0; j < kPerProject; ++j) {
        part << 'p' << p << ",o" << (p * 7 + j * 401) % kOrgs << ','
             << (j == 0 ? "coordinator" : "partner") << ',' << 100000 + j << ',' << 40000 + j
             << '\n';
      }
    }
  }
  const std::string out = (dir / "out.txt").string(), err = (dir / "err.txt").string();
  ASSERT_EQ(testing::run_poles({"--db", db, "import", "organisation", (dir / "org.csv").string()},
                               out, err),
            0);
  ASSERT_EQ(
      testing::run_poles({"--db", db, "import", "project", (dir / "proj.csv").string()}, out, err),
      0);
  const std::string before = digest(db);
  const std::string pristine = (dir / "pristine.db").string();
  std::filesystem::copy_file(db, pristine);

  // How long a complete import takes, measured on a copy (it must succeed).
  const std::string copy = (dir / "copy.db").string();
  std::filesystem::copy_file(db, copy);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(testing::run_poles(
                {"--db", copy, "import", "participation", (dir / "part.csv").string()}, out, err),
            0)
      << testing::read_file(err);
  const double full_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const std::string after = digest(copy);
  ASSERT_NE(after, before);

  // Each round kills the import at a seeded random moment. When the machine runs faster than
  // during the measurement, the import may commit before the kill arrives: that round's store
  // is then put back, and later moments use the shorter duration. The commit and the final WAL
  // checkpoint take the last ~15% of the run, hence moments up to 75% of it.
  const unsigned seed = 20261122;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> moment(0.02, 0.75);
  int killed = 0;
  double estimate_ms = full_ms;
  for (int round = 0; round < 20; ++round) {
    const double after_ms = moment(rng) * estimate_ms;
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = testing::spawn_poles(
        {"--db", db, "import", "participation", (dir / "part.csv").string()}, out, err);
    ASSERT_GT(pid, 0);
    // Sleep in small steps, watching for an import that ends first.
    int status = 0;
    bool ended = false;
    const auto deadline = start + std::chrono::duration<double, std::milli>(after_ms);
    while (!ended && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      ended = waitpid(pid, &status, WNOHANG) == pid;
    }
    if (!ended) {
      ::kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
    }
    const std::string where =
        fmt::format("round {}, kill sent after {:.0f} ms of {:.0f} ms (seed {})", round, after_ms,
                    estimate_ms, seed);
    // All or nothing: the store is as before, or (the kill came after the commit, or never
    // came) as after a full import, and never anything in between.
    const std::string state = digest(db);
    if (state == before) {
      ++killed;
    } else {
      EXPECT_EQ(state, after) << where;
      if (!WIFSIGNALED(status)) {
        EXPECT_EQ(WEXITSTATUS(status), 0) << where << ": " << testing::read_file(err);
      }
      std::filesystem::copy_file(pristine, db, std::filesystem::copy_options::overwrite_existing);
      // The machine got faster than when measured: later moments use the shorter duration.
      estimate_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
    }
  }
  // A test that never interrupts anything shows nothing: most rounds must have cut an import short.
  EXPECT_GE(killed, 15);
}

}  // namespace
}  // namespace poles
