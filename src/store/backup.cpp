#include "store/backup.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "store/store.h"

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

// Creates `path` empty, owner-only, refusing an existing file or a symbolic link planted there
// (a shared directory): what is written next goes into this very file.
Status create_exclusive(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return Status::conflict(fmt::format("{}: cannot be created ({})", path, std::strerror(errno)));
  ::close(fd);
  return Status::ok();
}

// Gives `from` the name `to`, refusing to replace a file that appeared there meanwhile.
Status rename_new(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
    const int err = errno;
    fs::remove(from);
    return Status::conflict(fmt::format("{}: {}", to, std::strerror(err)));
  }
  return Status::ok();
}

// The store's data version, or 0 when it cannot be read (no store there yet).
uint64_t version_of(const std::string& url) {
  auto s = Store::open(url);
  if (!s) return 0;
  auto v = (*s)->data_version();
  return v ? *v : 0;
}

// After a restore the data version must be above any version the store had before: servers
// keep answers and snapshots by version, and a version seen again would serve the old data.
Status move_version_past(const std::string& url, uint64_t before) {
  POLES_ASSIGN_OR_RETURN(auto s, Store::open(url));
  POLES_ASSIGN_OR_RETURN(const uint64_t now, s->data_version());
  POLES_ASSIGN_OR_RETURN(auto tx, s->begin());
  POLES_RETURN_IF_ERROR(
      tx->execute("UPDATE \"meta\" SET \"value\" = ? WHERE \"key\" = 'data_version'",
                  {std::to_string(std::max(before, now) + 1)}));
  return tx->commit();
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
  // Accounts' hashes and firms' figures: readable by the owner only, whatever the umask.
  ::umask(077);
  const std::string part = path + ".part";
  if (is_postgres(url)) {
    POLES_RETURN_IF_ERROR(create_exclusive(part));
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
    return rename_new(part, path);
  }
  if (!fs::exists(url)) return Status::not_found(fmt::format("{}: no such store", url));
  POLES_RETURN_IF_ERROR(create_exclusive(part));
  try {
    SQLite::Database source(url, SQLite::OPEN_READONLY);
    SQLite::Database target(part, SQLite::OPEN_READWRITE);
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
  fs::permissions(part, fs::perms::owner_read | fs::perms::owner_write);
  return rename_new(part, path);
}

Status restore(const std::string& path, const std::string& url, bool replace) {
  if (!fs::exists(path)) return Status::not_found(fmt::format("{}: no such backup", path));
  if (is_postgres(url)) {
    if (!path.ends_with(".dump"))
      return Status::invalid_argument(fmt::format(
          "{}: a PostgreSQL store is restored from a .dump (pg_dump's custom format)", path));
    const uint64_t before = version_of(url);
    POLES_RETURN_IF_ERROR(
        run({"pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--exit-on-error", "--dbname=" + url, path}));
    return move_version_past(url, before);
  }
  if (path.ends_with(".dump"))
    return Status::invalid_argument(
        fmt::format("{}: a PostgreSQL dump cannot be restored into a SQLite file", path));
  POLES_RETURN_IF_ERROR(check_sqlite(path));
  if (fs::exists(url) && !replace)
    return Status::conflict(
        fmt::format("{}: exists; restore into a new file, or say --replace", url));
  const uint64_t before = fs::exists(url) ? version_of(url) : 0;
  // The restored file keeps the owner and mode of the one it replaces (a restore run as root
  // must leave a file the service's user can write).
  struct stat old {};
  const bool had = ::stat(url.c_str(), &old) == 0;
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
  // A new file: owner-only, as a backup is (accounts' hashes, firms' figures).
  if (!had) fs::permissions(part, fs::perms::owner_read | fs::perms::owner_write);
  if (had && (::chown(part.c_str(), old.st_uid, old.st_gid) != 0 ||
              ::chmod(part.c_str(), old.st_mode & 07777) != 0)) {
    fs::remove(part);
    return Status::unavailable(
        fmt::format("{}: cannot give it the owner and mode of {}", part, url));
  }
  // The old file's journals belong to it: removed with it.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(url + suffix);
  fs::rename(part, url);
  return move_version_past(url, before);
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
