// Backups of a store, and their restore: a SQLite store through SQLite's online backup (a
// consistent copy while the server writes), a PostgreSQL one through pg_dump's custom format and
// pg_restore (the PostgreSQL client programs, run without a shell; the password from
// $PGPASSWORD or ~/.pgpass, never on their command line). `poles backup` keeps the newest N.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace poles::store {

// Copies the store at `url` into the new file `path` (refused when it exists; mode 0600: it holds
// the accounts' password hashes and the firms' figures) and checks the copy (SQLite:
// integrity_check; PostgreSQL: pg_restore --list reads it).
Status backup(const std::string& url, const std::string& path);

// Restores `path` into the store at `url`: a SQLite file is written whole (refused when it
// exists, unless `replace`); a PostgreSQL database gets every table of the dump, its own tables
// dropped first (--clean).
Status restore(const std::string& path, const std::string& url, bool replace);

// The backup file name for now: poles-YYYYMMDDTHHMMSSZ.db (SQLite) or .dump (PostgreSQL).
std::string backup_name(const std::string& url);

// Keeps the `keep` newest backups of `dir` (files named as backup_name makes); returns the
// removed ones.
Result<std::vector<std::string>> prune_backups(const std::string& dir, int keep);

}  // namespace poles::store
