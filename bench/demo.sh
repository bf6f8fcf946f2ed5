#!/usr/bin/env bash
# Demo generation: time and peak memory of `poles demo` at `france` and `national` scale (every
# row checked and written to SQLite in one transaction), then `small` and `france` into SQLite and
# PostgreSQL side by side (a throwaway server, bench/pg.sh). Prints a markdown section.
# Usage: bench/demo.sh POLES_BINARY [KEEP_DIR]   (KEEP_DIR: keep france.db and national.db there for later benches)
set -euo pipefail
poles=$(realpath "${1:?poles binary}")
keep=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/pg.sh"
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
echo "## Demo generation"
echo
echo "\`poles demo\` into a fresh SQLite file: generation, validation of every cell and reference,"
echo "and the write, in one transaction (\`/usr/bin/time\`). Goals: \`france\` in seconds,"
echo "\`national\` within 10 minutes and 8 GB."
echo
echo "| Scale | Rows | Wall time (s) | Peak memory (MB) | Database (MB) | Cooperation edges |"
echo "|---|---:|---:|---:|---:|---:|"
for scale in france national; do
  db="$work/$scale.db"
  /usr/bin/time -f "%e %M" -o "$work/time" "$poles" --db "$db" demo --scale "$scale" > "$work/out" 2>&1
  read -r seconds kb < "$work/time"
  rows=$(awk '/^demo \(/ {print $(NF-4)}' "$work/out")
  size=$(du -m "$db" | cut -f1)
  # Distinct pairs of organisations that share at least one project.
  edges=$(sqlite3 "$db" "SELECT count(*) FROM (SELECT DISTINCT a.organisation_id, b.organisation_id FROM participation a
                         JOIN participation b ON a.project_id = b.project_id AND a.organisation_id < b.organisation_id)")
  echo "| $scale | $rows | $seconds | $((kb / 1024)) | $size | $edges |"
  echo "$seconds" > "$work/sqlite-$scale.seconds"
  if [ -n "$keep" ]; then mv "$db" "$keep/$scale.db"; fi
  rm -f "$db"*
done

# The same demos into PostgreSQL: the rows go through the same checks, then COPY into a staging
# table and one merge per batch, in one transaction.
echo
echo "Into SQLite and PostgreSQL side by side (PostgreSQL on loopback, fsync and synchronous commit"
echo "on; a fresh database each). Goal: PostgreSQL within 2× of SQLite."
echo
echo "| Scale | Rows | SQLite (s) | PostgreSQL (s) | PostgreSQL / SQLite |"
echo "|---|---:|---:|---:|---:|"
pg_start
for scale in small france; do
  if [ ! -f "$work/sqlite-$scale.seconds" ]; then
    /usr/bin/time -f "%e" -o "$work/sqlite-$scale.seconds" "$poles" --db "$work/$scale.db" demo --scale "$scale" > /dev/null 2>&1
    rm -f "$work/$scale.db"*
  fi
  url=$(pg_url "demo_$scale")
  /usr/bin/time -f "%e" -o "$work/pg.seconds" "$poles" --db "$url" demo --scale "$scale" > "$work/out" 2>&1
  rows=$(awk '/^demo \(/ {print $(NF-4)}' "$work/out")
  sqlite=$(cat "$work/sqlite-$scale.seconds")
  pg=$(cat "$work/pg.seconds")
  echo "| $scale | $rows | $sqlite | $pg | $(awk -v a="$pg" -v b="$sqlite" 'BEGIN { printf "%.2f×", a / b }') |"
done
