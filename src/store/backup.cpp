#include "store/backup.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <sqlite3.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstring>
#include <chrono>
#include <filesystem>

extern char** environ;

namespace poles::store {

namespace fs = std::filesystem;

namespace {

bool is_postgres(const std::string& url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

// Runs a program with its arguments (no shell); its output goes to ours.
Status run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (const int err = ::posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ);
      err != 0) {
    return Status::unavailable(
        fmt::format("cannot run {}: {} (install postgresql-client)", args[0], std::strerror(err)));
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0) return Status::internal("waitpid failed");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return Status::unavailable(
        fmt::format("{} failed (exit {})", args[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  return Status::ok();
}

Status check_sqlite(const std::string& path) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    const std::string answer = db.execAndGet("PRAGMA integrity_check").getString();
    if (answer != "ok")
      return Status::internal(fmt::format("{}: integrity check failed: {}", path, answer));
  } catch (const std::exception& e) {
    return Status::internal(fmt::format("{}: {}", path, e.what()));
  }
  return Status::ok();
}

}  // namespace

std::string backup_name(const std::string& url) {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  return fmt::format("poles-{:%Y%m%dT%H%M%SZ}.{}", fmt::gmtime(now),
                     is_postgres(url) ? "dump" : "db");
}

Status backup(const std::string& url, const std::string& path) {
  if (fs::exists(path))
    return Status::conflict(fmt::format("{}: exists; a backup never overwrites a file", path));
  if (is_postgres(url)) {
    const std::string part = path + ".part";
    if (auto st =
            run({"pg_dump", "--format=custom", "--no-owner", "--file=" + part, "--dbname=" + url});
        !st.is_ok()) {
      fs::remove(part);
      return st;
    }
    if (auto st = run({"pg_restore", "--list", "--file=/dev/null", part}); !st.is_ok()) {
      fs::remove(part);
      return Status::internal(fmt::format("{}: the dump cannot be read back", path));
    }
    fs::permissions(part, fs::perms::owner_read | fs::perms::owner_write);
    fs::rename(part, path);
    return Status::ok();
  }
  if (!fs::exists(url)) return Status::not_found(fmt::format("{}: no such store", url));
  const std::string part = path + ".part";
  try {
    SQLite::Database source(url, SQLite::OPEN_READONLY);
    SQLite::Database target(part, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    SQLite::Backup copy(target, source);
    // Pages in steps, so that a server writing meanwhile is held up only briefly: SQLite starts
    // again when the source changes between steps, and the copy is consistent at its end.
    while (copy.executeStep(1024) != SQLITE_DONE) {
    }
    // A file that opens read-only without leaving -wal and -shm beside it (a WAL database
    // opened read-only cannot remove them); the store sets WAL again when it opens it.
    target.exec("PRAGMA journal_mode=DELETE");
  } catch (const std::exception& e) {
    fs::remove(part);
    return Status::unavailable(fmt::format("backup of {} failed: {}", url, e.what()));
  }
  if (auto st = check_sqlite(part); !st.is_ok()) {
    fs::remove(part);
    return st;
  }
  // Accounts' hashes and firms' figures: readable by the owner only, whatever the umask.
  fs::permissions(part, fs::perms::owner_read | fs::perms::owner_write);
  fs::rename(part, path);
  return Status::ok();
}

Status restore(const std::string& path, const std::string& url, bool replace) {
  if (!fs::exists(path)) return Status::not_found(fmt::format("{}: no such backup", path));
  if (is_postgres(url)) {
    if (!path.ends_with(".dump"))
      return Status::invalid_argument(fmt::format(
          "{}: a PostgreSQL store is restored from a .dump (pg_dump's custom format)", path));
    return run({"pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                "--exit-on-error", "--dbname=" + url, path});
  }
  if (path.ends_with(".dump"))
    return Status::invalid_argument(
        fmt::format("{}: a PostgreSQL dump cannot be restored into a SQLite file", path));
  POLES_RETURN_IF_ERROR(check_sqlite(path));
  if (fs::exists(url) && !replace)
    return Status::conflict(
        fmt::format("{}: exists; restore into a new file, or say --replace", url));
  const std::string part = url + ".restoring";
  try {
    fs::remove(part);
    SQLite::Database source(path, SQLite::OPEN_READONLY);
    SQLite::Database target(part, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    SQLite::Backup copy(target, source);
    copy.executeStep(-1);
  } catch (const std::exception& e) {
    fs::remove(part);
    return Status::unavailable(fmt::format("restore of {} failed: {}", path, e.what()));
  }
  // The old file's journals belong to it: removed with it.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(url + suffix);
  fs::rename(part, url);
  return Status::ok();
}

Result<std::vector<std::string>> prune_backups(const std::string& dir, int keep) {
  std::vector<std::string> backups;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.starts_with("poles-") &&
        (name.ends_with(".db") || name.ends_with(".dump")))
      backups.push_back(e.path().string());
  }
  if (ec) return Status::unavailable(fmt::format("{}: {}", dir, ec.message()));
  // Names hold their UTC time: their order is their age.
  std::sort(backups.begin(), backups.end(), [](const std::string& a, const std::string& b) {
    return fs::path(a).filename() > fs::path(b).filename();
  });
  std::vector<std::string> removed;
  for (size_t i = static_cast<size_t>(std::max(keep, 0)); i < backups.size(); ++i) {
    fs::remove(backups[i]);
    removed.push_back(backups[i]);
  }
  return removed;
}

}  // namespace poles::store
