#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the school-store tests: its own data folder and port,
# trust authentication on loopback and a Unix socket, no fsync. Prints the line to eval:
#   eval "$(Tests/throwaway-postgres.sh start)"   # sets TUTOR_TEST_POSTGRES and TUTOR_TEST_POSTGRES_DIR
#   Tests/throwaway-postgres.sh stop "$TUTOR_TEST_POSTGRES_DIR"
# `pause DIR` shuts the server down as an administrator would, keeping its data; `resume DIR`
# starts it again on its port (for a server that goes away in the middle of a session).
# TUTOR_TEST_POSTGRES_FSYNC=on starts it durable, as a school's server is (for the benchmark).
# Needs Debian's postgresql package (initdb and pg_ctl under /usr/lib/postgresql/*/bin).
# As root, the server runs as the postgres user, since PostgreSQL refuses to run as root.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

serve() {
  as_server "$bin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 \
    -o "-p $(cat "$1/port") -k $1 -c listen_addresses=127.0.0.1 -c fsync=${TUTOR_TEST_POSTGRES_FSYNC:-off} -c max_connections=200" start >/dev/null ||
    { cat "$1/server.log" >&2; exit 1; }
}

case "${1:-}" in
  start)
    # The first free port from 55432 (a server left over from another run keeps its own).
    port=${TUTOR_TEST_POSTGRES_PORT:-55432}
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    dir=$(mktemp -d /tmp/tutor-postgres.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_server "$bin/initdb" -D "$dir/data" -A trust -U tutor_ci -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    serve "$dir"
    echo "export TUTOR_TEST_POSTGRES=postgresql://tutor_ci@127.0.0.1:$port/postgres"
    echo "export TUTOR_TEST_POSTGRES_DIR=$dir"
    ;;
  stop)
    dir=${2:?the folder printed by start}
    as_server "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  pause)
    as_server "$bin/pg_ctl" -D "${2:?the folder printed by start}/data" -m fast -w stop >/dev/null
    ;;
  resume)
    serve "${2:?the folder printed by start}"
    ;;
  *)
    echo "usage: $0 start | stop DIR | pause DIR | resume DIR" >&2
    exit 64
    ;;
esac
