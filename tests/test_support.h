// Helpers shared by the test suites.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>

namespace poles::testing {

// ../shared beside the repository (reference data). Tests that need it call
// POLES_REQUIRE_SHARED(path) and are skipped, with a message, when it is absent.
inline std::filesystem::path shared_dir() { return POLES_SHARED_DIR; }
inline std::filesystem::path shared_path(const std::string& rel) { return shared_dir() / rel; }
inline std::filesystem::path source_dir() { return POLES_SOURCE_DIR; }
inline std::filesystem::path binary_dir() { return POLES_BINARY_DIR; }

// A fresh temporary directory removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void write_file(const std::filesystem::path& p, const std::string& content);
std::string read_file(const std::filesystem::path& p);

// Runs a shell command; returns its exit status and its standard output and error, merged.
struct CommandOutput {
  int status = -1;
  std::string output;
};
CommandOutput run_command(const std::string& command);
// Writes `code` to <dir>/<name> and runs it with `rscript --vanilla`.
CommandOutput run_r(const std::string& rscript, const std::filesystem::path& dir,
                    const std::string& name, const std::string& code);
// The lines "TAG KEY estimate se" of a peer's output, by "TAG KEY" (other lines are skipped).
std::map<std::string, std::pair<double, double>> tagged_pairs(const std::string& output);

}  // namespace poles::testing

#define POLES_REQUIRE_SHARED(rel)                                                            \
  do {                                                                                       \
    if (!std::filesystem::exists(::poles::testing::shared_path(rel))) {                      \
      GTEST_SKIP() << "skipped: " << ::poles::testing::shared_path(rel)                      \
                   << " is absent (../shared/data is provided beside the repository in CI)"; \
    }                                                                                        \
  } while (0)
