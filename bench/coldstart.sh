#!/usr/bin/env bash
# Cold start on the france demo: how long a fresh process takes to answer when the snapshot is
# mapped from its cache file (<db>.snapshot) and when it must be read from the store (the file
# deleted first; that run writes it again). Creates no data: it takes a france demo database
# (and, to query the API, lets `poles serve` create its admin account, which leaves the data
# version, hence the cache file, as they are). Prints a markdown section.
# Usage: bench/coldstart.sh POLES_BINARY DEMO_DB [NATIONAL_DB]  (NATIONAL_DB: one more line, the
# snapshot load of the national demo, whose goal is 3 s)
set -euo pipefail
poles=$(realpath "${1:?poles binary}")
db=$(realpath "${2:?france demo database}")
national=${3:+$(realpath "$3")}
cache="$db.snapshot"
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
server=
stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=
}
trap 'stop_server; rm -rf "$work"' EXIT
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
start_server() {
  "$poles" --db "$db" serve --listen "127.0.0.1:$port" --web-root /nonexistent --threads 4 \
    > "$work/serve.log" 2>&1 &
  server=$!
}

# An API token of the admin account (created by the first `poles serve` when there is none).
start_server
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
password=$(cat "$db.admin-password")
curl -sf -c "$work/cookies" -H 'Content-Type: application/json' \
  -d "{\"name\":\"admin\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/login" >/dev/null
csrf=$(curl -sf -b "$work/cookies" "http://127.0.0.1:$port/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
token=$(curl -sf -b "$work/cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"label":"coldstart"}' "http://127.0.0.1:$port/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
stop_server

load_alone() {  # seconds of the snapshot load, as `poles info --timing` reports it ([DB])
  "$poles" --db "${1:-$db}" info --timing | awk '/^snapshot load:/ {print $3}'
}
evaluate() {  # the whole process of `poles evaluate`
  local t0
  t0=$(now)
  "$poles" -q --db "$db" evaluate --year 2022 > "$work/evaluate.out"
  since "$t0"
}
first_answer() {  # from the start of `poles serve` to the first answer of the evaluation
  local t0 code
  t0=$(now)
  start_server
  while true; do
    code=$(curl -s -o "$work/evaluate.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$port/api/v1/evaluate?year=2022" || true)
    [ "$code" = 200 ] && break
    if [ "$code" != 000 ]; then echo "coldstart: GET /api/v1/evaluate answered $code" >&2; exit 1; fi
    sleep 0.01
  done
  since "$t0"
  stop_server
}

rm -f "$cache"; load_without=$(load_alone)
load_with=$(load_alone)
size=$(du -m "$cache" | cut -f1)
rm -f "$cache"; evaluate_without=$(evaluate)
evaluate_with=$(evaluate)
rm -f "$cache"; serve_without=$(first_answer)
serve_with=$(first_answer)
if [ -n "$national" ]; then
  rm -f "$national.snapshot"; national_without=$(load_alone "$national")
  national_with=$(load_alone "$national")
  national_rows=$("$poles" --db "$national" info | awk 'NR > 3 {n += $2} END {print n}')
fi

rows=$("$poles" --db "$db" info | awk 'NR > 3 {n += $2} END {print n}')
echo "## Cold start"
echo
echo "A fresh process on the france demo ($rows rows): the snapshot mapped from its cache file"
echo "(\`<db>.snapshot\`, $size MB, written after a load from the store and used while the data"
echo "version stays), against the same process with the file deleted first (read from SQLite, then"
echo "the file written). Goal: with the file, the computation starts within 0.5 s of the process start."
echo
echo "| Measure | Without the cache file (s) | With it (s) |"
echo "|---|---:|---:|"
echo "| snapshot load alone, every table (\`poles info --timing\`) | $load_without | $load_with |"
echo "| \`poles evaluate --year 2022\`, whole process | $evaluate_without | $evaluate_with |"
echo "| \`poles serve\` started → first answer of \`GET /api/v1/evaluate?year=2022\` | $serve_without | $serve_with |"
if [ -n "$national" ]; then
  echo "| snapshot load alone, national demo ($national_rows rows; goal 3 s) | $national_without | $national_with |"
fi
