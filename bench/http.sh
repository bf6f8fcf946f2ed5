#!/usr/bin/env bash
# HTTP throughput with wrk (Debian) on loopback, bounded in time: cached GET routes of the API
# (the server with its default thread count: 32 threads, a habit of the former thread-per-connection
# library, make Asio's scheduler spend half its time waking threads — 5,500 req/s instead of 15,000)
# and a write route (creating rows, each one a committed, audited transaction on SQLite), on the
# `france` demo. Then scale-out on PostgreSQL: one `poles serve` behind Debian's nginx against two
# behind the same nginx (a throwaway PostgreSQL server, bench/pg.sh), cached reads and writes side
# by side. Checks that every acknowledged write is in the store. Prints a markdown section.
# Usage: bench/http.sh POLES_BINARY [SECONDS]   (POLES_BENCH_SCALE=small: a quick check of the script)
set -euo pipefail
poles=$(realpath "${1:?poles binary}")
seconds=${2:-10}
scale=${POLES_BENCH_SCALE:-france}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/pg.sh"
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
cleanup() {
  for p in ${server:-} ${server_a:-} ${server_b:-}; do kill "$p" 2> /dev/null; done
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2> /dev/null
  wait 2> /dev/null
  pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
"$poles" -q --db bench.db demo --scale "$scale" --seed 2026 >&2
"$poles" --db bench.db serve --listen "127.0.0.1:$port" --web-root /nonexistent > serve.log 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.2; done
password=$(cat bench.db.admin-password)
curl -sf -c cookies -H 'Content-Type: application/json' -d "{\"name\":\"admin\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/login" >/dev/null
csrf=$(curl -sf -b cookies "http://127.0.0.1:$port/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
token=$(curl -sf -b cookies -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d '{"label":"bench"}' "http://127.0.0.1:$port/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
cluster=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/cluster?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')

cat > write.lua <<LUA
local counter = 0
local id = 0
setup = function(thread) id = id + 1; thread:set("tid", id) end
request = function()
  counter = counter + 1
  local body = string.format('{"key":"bench-%s-%d-%d","value":%d,"note":"wrk"}', os.getenv("BENCH_RUN") or "0", tid, counter, counter)
  return wrk.format("POST", "/api/v1/truth", {["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json"}, body)
end
LUA

run() {  # name, connections, url, [lua]
  local name=$1 conns=$2 url=$3 lua=${4:-}
  # One warm-up request fills the cache.
  curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port$url" >/dev/null || true
  local out
  if [ -n "$lua" ]; then
    out=$(wrk -t2 -c"$conns" -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port$url")
  else
    out=$(wrk -t2 -c"$conns" -d"${seconds}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port$url")
  fi
  echo "$out" >&2
  local rps p50 p99 non2xx requests
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "| $name | $conns | ${rps%.*} | $p50 | $p99 | ${non2xx:-0} of $requests |"
  echo "$requests ${non2xx:-0}" > last_counts
}

echo "## HTTP API (wrk, loopback, ${seconds} s per route)"
echo
echo "\`poles serve\` (its default 8 threads) on the \`$scale\` demo in SQLite; wrk with 2 threads on the"
echo "same 2-core machine. Reads are cached until the data version moves; writes create \`truth\`"
echo "rows, each one committed transaction with its audit entry. The partner finder's distinct needs"
echo "are each a page computed (and then kept in the cache, bounded in bytes)."
echo
echo "| Route | Connections | Requests/s | p50 | p99 | Errors |"
echo "|---|---:|---:|---:|---:|---:|"
run "GET /api/v1/stats/clusters (cached)" 16 "/api/v1/stats/clusters?year=2024"
run "GET /api/v1/cluster?limit=50 (cached)" 16 "/api/v1/cluster?limit=50"
run "GET /api/v1/clusters/{id}/profile (cached)" 16 "/api/v1/clusters/$cluster/profile"
# The public portal's pages (HTML; the same page for every caller: with the token, the anonymous
# rate limit of one address is not what is measured).
run "GET /public (portal, cached)" 16 "/public"
run "GET /public/clusters/{id} (portal, cached)" 16 "/public/clusters/$cluster"
run "GET /public/partners (a need, cached)" 16 "/public/partners?naf=26&region=84&kind=sme"
# Every request a need never asked before (a NAF division, a region, a kind and a word that
# changes): the page is computed — the finder's ranking over the snapshot's public graph.
cat > partners.lua <<LUA
local counter = 0
local id = 0
local regions = {"11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"}
local kinds = {"", "sme", "company", "research"}
setup = function(thread) id = id + 1; thread:set("tid", id) end
request = function()
  counter = counter + 1
  local path = string.format("/public/partners?naf=%d&region=%s&kind=%s&q=capteurs+w%dx%d",
    10 + counter % 24, regions[1 + counter % #regions], kinds[1 + counter % #kinds], tid, counter)
  return wrk.format("GET", path, {["Authorization"] = "Bearer $token"})
end
LUA
run "GET /public/partners (distinct needs, computed)" 16 "/public/partners" partners.lua
before=$(sqlite3 bench.db "SELECT count(*) FROM truth")
run "POST /api/v1/truth (write)" 8 "/api/v1/truth" write.lua
read -r requests errors < last_counts
after=$(sqlite3 bench.db "SELECT count(*) FROM truth")
acked=$((requests - errors))
echo
if [ $((after - before)) -ge "$acked" ]; then
  echo "Writes: $acked acknowledged (201), $((after - before)) rows in the store afterwards — none lost."
else
  echo "Writes: $acked acknowledged but only $((after - before)) rows in the store — LOST WRITES." ; exit 1
fi

kill "$server"
wait "$server" 2> /dev/null || true
server=

# --- Scale-out: PostgreSQL, nginx in front of one server, then of two ---------------------------
pg_start
url=$(pg_url http)
"$poles" -q --db "$url" demo --scale "$scale" --seed 2026 >&2
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
POLES_PASSWORD=$password "$poles" -q --db "$url" user add bench --role admin >&2
port_a=$((port + 1))
port_b=$((port + 2))
port_one=$((port + 3))
port_two=$((port + 4))
"$poles" --db "$url" serve --listen "127.0.0.1:$port_a" --web-root /nonexistent > serve-a.log 2>&1 &
server_a=$!
"$poles" --db "$url" serve --listen "127.0.0.1:$port_b" --web-root /nonexistent > serve-b.log 2>&1 &
server_b=$!
mkdir -p nginx
{
  [ "$(id -u)" = 0 ] && echo "user root;"
  cat << EOF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  upstream one { server 127.0.0.1:$port_a; keepalive 64; }
  upstream two { server 127.0.0.1:$port_a; server 127.0.0.1:$port_b; keepalive 64; }
  server {
    listen 127.0.0.1:$port_one;
    location / { proxy_pass http://one; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
  server {
    listen 127.0.0.1:$port_two;
    location / { proxy_pass http://two; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
EOF
} > nginx/nginx.conf
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g "daemon on;"
for p in $port_a $port_b; do
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$p/api/v1/health/ready" > /dev/null && break; sleep 0.2; done
done
# A token made through one server is honoured by the other (tokens live in the store).
port=$port_a
curl -sf -c cookies-pg -H 'Content-Type: application/json' -d "{\"name\":\"bench\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/login" > /dev/null
csrf=$(curl -sf -b cookies-pg "http://127.0.0.1:$port/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])')
token=$(curl -sf -b cookies-pg -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d '{"label":"bench"}' "http://127.0.0.1:$port/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
sed -i "s|Bearer [0-9a-f]*|Bearer $token|" write.lua
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port_b/api/v1/me" > /dev/null
cluster=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/cluster?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')

echo
echo "### Scale-out on PostgreSQL: one server or two behind nginx"
echo
echo "The same \`$scale\` demo in PostgreSQL $(pg_psql postgres -At -c 'SHOW server_version' | cut -d' ' -f1) (loopback, fsync on); Debian's nginx"
echo "(2 workers, keep-alive to the upstreams) in front of one \`poles serve\`, then of two sharing the"
echo "store (round robin). Everything — wrk, nginx, the servers, PostgreSQL — shares the same 2 cores,"
echo "so this shows that a second server adds no error and loses no write, not the gain a second"
echo "machine would bring. Each write waits until its commit is on disk (PostgreSQL's default;"
echo "SQLite above runs WAL with \`synchronous = NORMAL\`, whose commits do not wait for the disk)."
echo
echo "| Route | Servers | Connections | Requests/s | p50 | p99 | Errors |"
echo "|---|---:|---:|---:|---:|---:|---:|"
before=$(pg_psql http -At -c 'SELECT count(*) FROM truth')
acked=0
for n in 1 2; do
  port=$([ "$n" = 1 ] && echo "$port_one" || echo "$port_two")
  run "GET /api/v1/stats/clusters (cached) | $n" 16 "/api/v1/stats/clusters?year=2024"
  run "GET /api/v1/clusters/{id}/profile (cached) | $n" 16 "/api/v1/clusters/$cluster/profile"
  BENCH_RUN=pg$n run "POST /api/v1/truth (write) | $n" 8 "/api/v1/truth" write.lua
  read -r requests errors < last_counts
  acked=$((acked + requests - errors))
done
after=$(pg_psql http -At -c 'SELECT count(*) FROM truth')
echo
if [ $((after - before)) -ge "$acked" ]; then
  echo "Writes: $acked acknowledged (201), $((after - before)) rows in the store afterwards — none lost."
else
  echo "Writes: $acked acknowledged but only $((after - before)) rows in the store — LOST WRITES."
  exit 1
fi
