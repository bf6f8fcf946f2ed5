#!/usr/bin/env bash
# Import throughput: 1,000,000 participations (20,000 organisations and projects already in the
# store) into SQLite, `poles import` (validating every cell, reference and key) side by side
# with the sqlite3 shell's `.import` of the same CSV into the same table, foreign keys on and
# off, in the same run. Each run starts from a fresh copy of the same database; hyperfine
# reports the median of the runs. Prints a markdown section on stdout.
# Usage: bench/import.sh POLES_BINARY [RUNS]
set -euo pipefail
poles=$(realpath "${1:?poles binary}")
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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
python3 - "$rows" result.json <<'PY'
import json, sys
rows = int(sys.argv[1])
for r in json.load(open(sys.argv[2]))["results"]:
    print(f"| {r['command']} | {r['median']:.2f} | {r['min']:.2f} | {r['max']:.2f} | {rows / r['median']:,.0f} |")
PY
