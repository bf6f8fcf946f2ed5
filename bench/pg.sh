# Sourced by the benchmarks that measure the PostgreSQL store: a throwaway cluster of Debian's
# PostgreSQL server, run as it would be in production (fsync and synchronous commit on), on
# loopback, removed by pg_stop.
#   pg_start        starts it (sets PG_PORT, PG_DIR)
#   pg_url NAME     creates database NAME (from template TEMPLATE when given) and prints its URL
#   pg_psql NAME …  runs psql on database NAME
#   pg_stop         stops it and removes its files
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_start() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$PG_BIN/pg_ctl" ] || { echo "bench: PostgreSQL server not found (scripts/install-deps)" >&2; return 1; }
  PG_DIR=$(mktemp -d /tmp/poles-bench-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR"
  pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 > "$PG_DIR/initdb.log" 2>&1
  PG_PORT=$((40000 + RANDOM % 20000))
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start > /dev/null
}

pg_url() {  # NAME [TEMPLATE]
  pg_as "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres ${2:+-T "$2"} "$1"
  echo "postgresql://postgres@127.0.0.1:$PG_PORT/$1"
}

pg_psql() {  # NAME ARGS…
  local db=$1
  shift
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" "$@"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop > /dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=
}
