#!/usr/bin/env bash
# Demo generation: time and peak memory of `poles demo` at `france` and `national` scale (every
# row checked and written to SQLite in one transaction). Prints a markdown section.
# Usage: bench/demo.sh POLES_BINARY [KEEP_DIR]   (KEEP_DIR: keep france.db and national.db there for later benches)
set -euo pipefail
poles=$(realpath "${1:?poles binary}")
keep=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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
  if [ -n "$keep" ]; then mv "$db" "$keep/$scale.db"; fi
  rm -f "$db"*
done
