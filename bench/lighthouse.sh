#!/usr/bin/env bash
# Lighthouse scores of the dashboard (performance, accessibility, best practices) on the home page,
# a cluster profile and the evaluation page, served by `poles serve` on the small demo, logged in
# as the administrator. Prints a markdown section. Needs web/node_modules (npm ci) and chromium.
# Usage: bench/lighthouse.sh POLES_BINARY
set -euo pipefail
poles=$(realpath "${1:?poles binary}")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
echo "## Dashboard (Lighthouse)"
echo
if [ ! -d "$root/web/node_modules/lighthouse" ] || [ ! -x /usr/bin/chromium ]; then
  echo "Skipped: lighthouse (cd web && npm ci) or /usr/bin/chromium missing."
  exit 0
fi
cd "$work"
"$poles" -q --db lh.db demo --scale small --seed 11 >&2
"$poles" --db lh.db serve --listen "127.0.0.1:$port" --web-root "$root/web" > serve.log 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.2; done
password=$(cat lh.db.admin-password)
curl -sf -c cookies -H 'Content-Type: application/json' -d "{\"name\":\"admin\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/login" >/dev/null
cookie=$(awk '!/^#/ && NF >= 7 {print $6 "=" $7}' cookies | head -1)
[ -n "$cookie" ] || cookie=$(awk '/#HttpOnly_/ {print $6 "=" $7}' cookies | head -1)
cluster=$(curl -sf -b cookies "http://127.0.0.1:$port/api/v1/stats/clusters?year=2024" | python3 -c 'import json,sys; print(json.load(sys.stdin)["clusters"][0]["id"])')
echo "Lighthouse 12.2.3, desktop preset (simulated 10 Mbit/s, 40 ms RTT), Debian's chromium, small demo,"
echo "logged in as the administrator; target: 90 or more in each of the three categories."
echo
echo "| Page | URL | Performance | Accessibility | Best practices | FCP | LCP | TBT | CLS |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
node "$root/bench/lighthouse.mjs" "$root/web" "http://127.0.0.1:$port" "$cookie" \
  "Home (map)=#/map" "Cluster profile=#/cluster/$cluster" "Evaluation=#/evaluate"
