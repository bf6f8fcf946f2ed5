#!/usr/bin/env bash
# The Debian package as an operator meets it (issue #25): `cpack -G DEB` builds it; its control
# names the shared libraries it needs and its maintainer scripts; it is unpacked into a fresh
# root and its postinst run there (DPKG_ROOT: the configuration, the metrics token); the service
# unit passes `systemd-analyze security` with a low exposure; then the installed binary is started
# from that root with the configuration the package made (no systemd: supervised by this script),
# behind Debian's nginx with the site file the package ships and a self-signed certificate made
# here. Through nginx over TLS: HTTP/2, the redirect from http, a login whose cookie is Secure,
# HSTS, /metrics not reachable; on the service's own address /metrics with the package's token,
# parsed by an independent parser (python3-prometheus-client); the service's logs parsed as JSON
# lines without the password; SIGTERM stops it cleanly (exit 0).
# Usage: tests/install/package_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=${1:?build dir}
source=${2:?source dir}
skip() { echo "package_test: skipped: $* (scripts/install-deps installs it)"; exit 77; }
for tool in cpack dpkg-deb nginx openssl curl; do command -v "$tool" > /dev/null || skip "no $tool"; done
/usr/bin/python3 -c 'import prometheus_client' 2> /dev/null || skip "no python3-prometheus-client"
[ -x /usr/sbin/nginx ] || skip "no nginx"

work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2> /dev/null
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2> /dev/null
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "package_test: $*" >&2
  for f in serve.log nginx/error.log; do [ -f "$work/$f" ] && { echo "--- $f" >&2; tail -n 30 "$work/$f" >&2; }; done
  exit 1
}
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- the package ----------------------------------------------------------------------------
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" > "$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$work"/pkg/poles_*.deb)
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libsodium libpqxx libsqlite3 libigraph adduser; do
  grep -q "$lib" <<< "$depends" || fail "Depends lacks $lib: $depends"
done
dpkg-deb -e "$deb" "$work/control"
for script in postinst prerm postrm; do
  [ -x "$work/control/$script" ] || fail "no $script in the package"
done
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/poles ./usr/share/poles/web/index.html ./usr/share/poles/methods/default.toml \
         ./usr/share/poles/poles.toml ./usr/share/poles/nginx/poles.conf ./usr/share/doc/poles/ops.md \
         ./usr/lib/systemd/system/poles.service ./usr/lib/systemd/system/poles-backup.timer \
         ./usr/share/man/man1/poles.1.gz; do
  grep -q " $f\$" <<< "$contents" || fail "not in the package: $f"
done

# --- a fresh root: unpacked, then the postinst -----------------------------------------------
root="$work/root"
dpkg-deb -x "$deb" "$root"
DPKG_ROOT="$root" sh "$work/control/postinst" configure
[ "$(stat -c %a "$root/etc/poles/poles.toml")" = 640 ] || fail "poles.toml is not 0640"
[ "$(stat -c %a "$root/etc/poles/metrics-token")" = 640 ] || fail "the token is not 0640"
grep -Eq '^[0-9a-f]{64}$' "$root/etc/poles/metrics-token" || fail "the token is not 32 random bytes"
# An upgrade keeps the operator's configuration and token.
echo "# edited by the operator" >> "$root/etc/poles/poles.toml"
token=$(cat "$root/etc/poles/metrics-token")
DPKG_ROOT="$root" sh "$work/control/postinst" configure
grep -q "edited by the operator" "$root/etc/poles/poles.toml" || fail "postinst overwrote poles.toml"
[ "$(cat "$root/etc/poles/metrics-token")" = "$token" ] || fail "postinst replaced the token"

unit="$root/usr/lib/systemd/system/poles.service"
grep -q '^ExecStart=/usr/bin/poles serve --config /etc/poles/poles.toml$' "$unit" || fail "ExecStart: $(grep ExecStart "$unit")"
if command -v systemd-analyze > /dev/null; then
  # Exposure 0 (locked down) to 10 (unsafe): at most 2.0 ("OK").
  systemd-analyze security --offline=true --threshold=20 "$unit" > "$work/security.txt" 2>&1 ||
    { cat "$work/security.txt" >&2; fail "the unit's exposure is above 2.0"; }
  grep "Overall exposure" "$work/security.txt"
else
  echo "package_test: no systemd-analyze here: the unit's exposure is not scored"
fi
zcat "$root/usr/share/man/man1/poles.1.gz" | grep -q "serve" || fail "the man page lacks serve"

# --- the service, from the root, with the package's configuration -----------------------------
poles="$root/usr/bin/poles"
port=$(free_port)
config="$work/poles.toml"
sed -e "s|^listen = .*|listen = \"127.0.0.1:$port\"|" \
    -e "s|^url = .*|url = \"$work/poles.db\"|" \
    -e "s|/etc/poles/metrics-token|$root/etc/poles/metrics-token|" \
    "$root/etc/poles/poles.toml" > "$config"
"$poles" config check "$config" > "$work/check.txt" || fail "config check refused the package's file"
grep -q "access log on" "$work/check.txt" || fail "config check: $(cat "$work/check.txt")"
# A located error for a broken copy.
printf '[server]\nlisten = "0.0.0.0:1"\nthreads = "eight"\n' > "$work/bad.toml"
if "$poles" config check "$work/bad.toml" 2> "$work/bad.txt"; then fail "a bad file passed the check"; fi
grep -q "bad.toml:3: field 'server.threads' value 'eight'" "$work/bad.txt" || fail "not located: $(cat "$work/bad.txt")"

"$poles" -q --db "$work/poles.db" demo --scale small --seed 3 > /dev/null
password="a long passphrase for the state officer"
POLES_PASSWORD="$password" "$poles" -q --db "$work/poles.db" user add officer --role state
"$poles" serve --config "$config" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/api/v1/health/ready" > /dev/null && break
  kill -0 "$server" 2> /dev/null || fail "the service did not start"
  sleep 0.2
done

# --- nginx in front, TLS with a certificate made here ----------------------------------------
mkdir -p "$work/nginx/cache"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$work/nginx/poles.key" -out "$work/nginx/poles.pem" 2> /dev/null
https_port=$(free_port)
http_port=$(free_port)
sed -e "/listen \[::\]/d" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https_port ssl http2;|" \
    -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
    -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$port;|" \
    -e "s|/var/cache/nginx/poles|$work/nginx/cache|" \
    -e "s|/etc/ssl/certs/poles.pem|$work/nginx/poles.pem|" \
    -e "s|/etc/ssl/private/poles.key|$work/nginx/poles.key|" \
    "$root/usr/share/poles/nginx/poles.conf" > "$work/nginx/site.conf"
{
  [ "$(id -u)" = 0 ] && echo "user root;"
  cat << EOF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  include $work/nginx/site.conf;
}
EOF
} > "$work/nginx/nginx.conf"
/usr/sbin/nginx -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf" 2> "$work/nginx/test.log" ||
  fail "nginx refuses the shipped site: $(cat "$work/nginx/test.log")"
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g "daemon on;" 2>> "$work/nginx/error.log"
base="https://127.0.0.1:$https_port"
for _ in $(seq 50); do curl -sk -o /dev/null "$base/api/v1/health/live" && break; sleep 0.1; done

[ "$(curl -sk -o /dev/null -w '%{http_version}' "$base/api/v1/health/live")" = 2 ] || fail "not HTTP/2"
redirect=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/public")
[ "$redirect" = "301 https://127.0.0.1/public" ] || fail "http is not redirected to https: $redirect"
curl -sk -D "$work/login.headers" -o "$work/login.json" -H 'Content-Type: application/json' \
  --data "{\"name\":\"officer\",\"password\":\"$password\"}" "$base/api/v1/login"
grep -q '^HTTP/2 200' "$work/login.headers" || fail "login over TLS: $(head -1 "$work/login.headers")"
cookie_line=$(grep -i '^set-cookie: poles_session=' "$work/login.headers" | tr -d '\r')
for attr in "; Secure" "; HttpOnly" "; SameSite=Strict"; do
  grep -q -- "$attr" <<< "$cookie_line" || fail "the session cookie lacks '$attr': $cookie_line"
done
hsts=$(grep -ic '^strict-transport-security: max-age=31536000; includeSubDomains' "$work/login.headers")
[ "$hsts" = 1 ] || fail "HSTS sent $hsts times: $(cat "$work/login.headers")"
cookie=$(sed -e 's/^[^:]*: //' -e 's/;.*//' <<< "$cookie_line")
me=$(curl -sk -H "Cookie: $cookie" "$base/api/v1/me")
grep -q '"officer"' <<< "$me" || fail "the session does not work through nginx: $me"
[ "$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/metrics")" = 404 ] ||
  fail "/metrics is reachable through the public site"

# --- metrics on the service's own address, parsed by prometheus_client ------------------------
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/metrics" > "$work/metrics.txt" ||
  fail "no metrics with the package's token"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")" = 401 ] || fail "metrics without a token"
/usr/bin/python3 - "$work/metrics.txt" << 'EOF' || fail "the metrics do not parse as expected"
import sys
from prometheus_client.parser import text_string_to_metric_families
families = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
logins = [s for s in families["poles_http_requests"].samples
          if s.labels.get("route") == "/api/v1/login" and s.labels.get("status") == "200"]
assert logins and logins[0].value == 1, logins
assert families["poles_http_request_duration_seconds"].type == "histogram"
assert families["poles_store_up"].samples[0].value == 1
assert families["poles_data_version"].samples[0].value >= 1
print("package_test: metrics parsed:", len(families), "families")
EOF

# --- logs: JSON lines, the login's request logged, the password nowhere -----------------------
kill -TERM "$server"
code=0
wait "$server" || code=$?
server=""
[ "$code" = 0 ] || fail "SIGTERM: exit $code"
grep -q "stopped" "$work/serve.log" || fail "no 'stopped' line"
! grep -q "$password" "$work/serve.log" || fail "the password is in the logs"
if [ -f "$work/poles.db.admin-password" ]; then
  ! grep -qF "$(cat "$work/poles.db.admin-password")" "$work/serve.log" || fail "the admin's password is in the logs"
fi
/usr/bin/python3 - "$work/serve.log" << 'EOF' || fail "the logs are not JSON lines as expected"
import json, sys
records = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
assert records, "no JSON line"
login = [r for r in records if r.get("route") == "/api/v1/login"]
assert len(login) == 1 and login[0]["status"] == 200 and login[0]["method"] == "POST", login
assert login[0]["client"] == "127.0.0.1" and login[0]["duration_ms"] >= 0, login
assert login[0]["user"] == "officer" and login[0]["role"] == "state", login
me = [r for r in records if r.get("route") == "/api/v1/me"]
assert me and me[0]["user"] == "officer" and me[0]["role"] == "state", me
print("package_test: logs parsed:", len(records), "JSON lines")
EOF
echo "package_test: package built, installed in a fresh root, served behind nginx over TLS"
