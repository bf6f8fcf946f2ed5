#!/usr/bin/env bash
# Import throughput: 1,000,000 participations (20,000 organisations and projects already in the
# store) into SQLite, `poles import` (validating every cell, reference and key) side by side
# with the sqlite3 shell's `.import` of the same CSV into the same table, foreign keys on and
# off; then the same into PostgreSQL (a throwaway server, bench/pg.sh), `poles import` beside
# psql's `\copy`, all in the same run. Each run starts from a fresh copy of the same database;
# hyperfine reports the median of the runs. Prints a markdown section on stdout.
# Usage: bench/import.sh POLES_BINARY [RUNS]
set -euo pipefail
poles=$(realpath "${1:?poles binary}")
runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/pg.sh"
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
cd "$work"

n_org=20000; per_project=50; rows=$((n_org * per_project))
awk -v n=$n_org 'BEGIN { print "id,name,kind"; for (i = 0; i < n; i++) printf "o%d,Organisation %d,company\n", i, i }' > org.csv
awk -v n=$n_org 'BEGIN { print "id,acronym,programme,status"; for (i = 0; i < n; i++) printf "p%d,P%d,FUI,funded\n", i, i }' > proj.csv
awk -v n=$n_org -v k=$per_project 'BEGIN {
  print "project_id,organisation_id,role,cost,aid"
  for (p = 0; p < n; p++) for (j = 0; j < k; j++)
    printf "p%d,o%d,%s,%d,%d\n", p, (p * 7 + j * 401) % n, (j == 0 ? "coordinator" : "partner"), 100000 + j, 40000 + j
}' > part.csv
"$poles" -q --db base.db import organisation org.csv
"$poles" -q --db base.db import project proj.csv

fresh='rm -f run.db run.db-wal run.db-shm && cp base.db run.db'
hyperfine --style none --runs "$runs" --export-json result.json --prepare "$fresh" \
  -n "poles import (validating)" "$poles -q --db run.db import participation part.csv" \
  -n "sqlite3 .import, foreign keys on" "sqlite3 run.db 'PRAGMA foreign_keys=ON' '.import --csv --skip 1 part.csv participation'" \
  -n "sqlite3 .import, foreign keys off" "sqlite3 run.db '.import --csv --skip 1 part.csv participation'" >&2

# Check that every tool really loaded every row (the last run's database).
count=$(sqlite3 run.db 'SELECT count(*) FROM participation')
[ "$count" -eq "$rows" ] || { echo "bench/import.sh: expected $rows rows, found $count" >&2; exit 1; }

echo "## Import: $rows participations into SQLite"
echo
echo "Same CSV, same table (the store's schema), fresh copy of the same database before every run;"
echo "median of $runs runs (hyperfine). \`poles import\` checks every cell, reference, key and"
echo "lifecycle rule and writes one transaction; \`.import\` checks nothing but the SQL constraints."
echo
echo "| Tool | Median (s) | Min (s) | Max (s) | Rows/s |"
echo "|---|---:|---:|---:|---:|"
table() {  # hyperfine's JSON -> rows of the table
  python3 - "$rows" "$1" <<'PY'
import json, sys
rows = int(sys.argv[1])
for r in json.load(open(sys.argv[2]))["results"]:
    print(f"| {r['command']} | {r['median']:.2f} | {r['min']:.2f} | {r['max']:.2f} | {rows / r['median']:,.0f} |")
PY
}
table result.json

# The same into PostgreSQL: `poles import` streams the checked rows with COPY straight into the
# table (empty before the import) and checks its foreign keys as one query each at commit; psql's
# \copy loads the CSV into the table directly, PostgreSQL checking each row's references.
pg_start
base=$(pg_url base)
"$poles" -q --db "$base" import organisation org.csv
"$poles" -q --db "$base" import project proj.csv
run_url="postgresql://postgres@127.0.0.1:$PG_PORT/run"
fresh_pg="pg_psql postgres -c 'DROP DATABASE IF EXISTS run' && pg_psql postgres -c 'CREATE DATABASE run TEMPLATE base'"
export -f pg_psql
export PG_PORT
hyperfine --style none --shell bash --runs "$runs" --export-json result-pg.json --prepare "$fresh_pg" \
  -n "poles import into PostgreSQL (validating)" "$poles -q --db $run_url import participation part.csv" \
  -n "psql \\copy into PostgreSQL, foreign keys on" \
  "pg_psql run -c '\\copy participation (project_id, organisation_id, role, cost, aid) FROM part.csv CSV HEADER'" >&2
count=$(pg_psql run -At -c 'SELECT count(*) FROM participation')
[ "$count" -eq "$rows" ] || { echo "bench/import.sh: expected $rows rows in PostgreSQL, found $count" >&2; exit 1; }
echo
echo "Into PostgreSQL $(pg_psql postgres -At -c 'SHOW server_version' | cut -d' ' -f1) on loopback (fsync and synchronous commit on), from a"
echo "fresh copy of the same database (CREATE DATABASE … TEMPLATE) before every run:"
echo
echo "| Tool | Median (s) | Min (s) | Max (s) | Rows/s |"
echo "|---|---:|---:|---:|---:|"
table result-pg.json
python3 - result.json result-pg.json <<'PY'
import json, sys
sqlite = json.load(open(sys.argv[1]))["results"][0]["median"]
pg = json.load(open(sys.argv[2]))["results"][0]["median"]
print(f"\n`poles import` into PostgreSQL takes {pg / sqlite:.2f}× its time into SQLite (goal: within 2×).")
PY
