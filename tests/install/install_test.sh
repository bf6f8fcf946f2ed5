#!/usr/bin/env bash
# `make install` as an operator would use it: install the build into a temporary prefix, then run
# the installed binary from there. It must serve the dashboard installed beside it (a file that
# exists only there is served) with the npm packages the pages load, and find the evaluation
# methods installed beside it (a method that exists only there is found) — never the build
# machine's source tree (issue #20: the release binary's default web root was the build's path).
# Usage: tests/install/install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=${1:?build dir}
source=${2:?source dir}
prefix=$(mktemp -d)
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$prefix"; }
trap cleanup EXIT
fail() { echo "install_test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" > "$prefix/install.log" || fail "cmake --install failed"
poles="$prefix/bin/poles"
[ -x "$poles" ] || fail "no $poles"
for f in share/poles/web/index.html share/poles/web/app.js share/poles/web/lib/api.js share/poles/web/pages/map.js share/poles/web/vocab.json \
         share/poles/methods/default.toml share/doc/poles/README.md share/doc/poles/api.md \
         share/doc/poles/real-data.md share/doc/poles/examples/mappings/member-directory.toml; do
  [ -f "$prefix/$f" ] || fail "not installed: $f"
done
[ ! -e "$prefix/share/poles/web/package.json" ] || fail "package.json installed"
# What a service needs: the default configuration, the nginx site, the units naming this prefix.
for f in share/poles/poles.toml share/poles/nginx/poles.conf lib/systemd/system/poles.service \
         lib/systemd/system/poles-backup.service lib/systemd/system/poles-backup.timer; do
  [ -f "$prefix/$f" ] || fail "not installed: $f"
done
grep -q "^ExecStart=$prefix/bin/poles serve --config /etc/poles/poles.toml\$" \
  "$prefix/lib/systemd/system/poles.service" || fail "the unit does not name the installed binary"
"$prefix/bin/poles" config check "$prefix/share/poles/poles.toml" > /dev/null 2>&1 ||
  grep -q "token_file" <("$prefix/bin/poles" config check "$prefix/share/poles/poles.toml" 2>&1) ||
  fail "the installed configuration does not pass its check"
if [ -d "$source/web/node_modules/echarts/dist" ]; then
  [ -f "$prefix/share/poles/web/node_modules/echarts/dist/echarts.esm.min.mjs" ] ||
    fail "echarts not installed"
  [ ! -d "$prefix/share/poles/web/node_modules/echarts/src" ] || fail "npm sources installed"
fi

# Files that exist only in the installed tree.
echo "installed copy" > "$prefix/share/poles/web/installed-marker.txt"
cp "$prefix/share/poles/methods/default.toml" "$prefix/share/poles/methods/installed-only.toml"

cd "$prefix"
"$poles" -q --db demo.db demo --scale small > /dev/null
"$poles" --db demo.db evaluate --year 2022 --method installed-only --draws 0 --sobol_n 0 --json \
  > evaluation.json || fail "the installed method was not found"
grep -q '"clusters"' evaluation.json || fail "no evaluation"

# A port the system says is free, and again if another test's server took it meanwhile (a random
# port collided once).
server=""
for _ in 1 2 3 4 5; do
  port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$poles" --db demo.db serve --listen "127.0.0.1:$port" > serve.log 2>&1 &
  server=$!
  for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null && break
    kill -0 "$server" 2>/dev/null || break  # it could not listen
    sleep 0.2
  done
  kill -0 "$server" 2>/dev/null && break
  wait "$server" 2>/dev/null || true
done
[ "$(curl -s "http://127.0.0.1:$port/installed-marker.txt")" = "installed copy" ] ||
  fail "the dashboard is not served from the installed tree: $(cat serve.log)"
# Read whole before grep: grep -q stops at the first match, and curl, cut off, fails the pipe.
page=$(curl -sf "http://127.0.0.1:$port/") || fail "no dashboard page"
grep -q "<html" <<< "$page" || fail "no dashboard page"
if [ -d "$source/web/node_modules/echarts/dist" ]; then
  curl -sf -o /dev/null "http://127.0.0.1:$port/node_modules/echarts/dist/echarts.esm.min.mjs" ||
    fail "echarts not served"
fi
echo "install_test: installed in $prefix, dashboard and methods read from it"
