#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster in a temp dir, on a free loopback port, and prints its URL
# (postgres://leadline@127.0.0.1:PORT/leadline) on stdout. No compose, no service, no root
# needed; nothing outside the temp dir is touched.
#
#   scripts/pg-throwaway.sh                  # runs until `pg_ctl -D DIR stop` (DIR on stderr)
#   scripts/pg-throwaway.sh --owner-pid PID  # stops and deletes itself when PID exits (tests)
#
# Authentication is `trust` on loopback unless LEADLINE_PG_PASSWORD is set, in which case the
# role gets that password and TCP logins must give it (scram-sha-256).
# Binaries: $PG_BIN, else /usr/local/bin, else the newest /usr/lib/postgresql/*/bin (Debian's
# `postgresql` package), else whatever initdb is on PATH. Exit 3 when none is found.
# As root (CI), the cluster runs as the unprivileged user `nobody` (initdb refuses root).
# Durability is off (fsync=off): the cluster is for tests and benchmarks, never for data.
set -euo pipefail

owner=""
while [ $# -gt 0 ]; do
    case "$1" in
        --owner-pid) owner="${2:?--owner-pid needs a pid}"; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "pg-throwaway: unknown argument $1" >&2; exit 2 ;;
    esac
done

find_bin() {
    local d
    for d in "${PG_BIN:-}" /usr/local/bin; do
        if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
    return 1
}
if ! bin="$(find_bin)"; then
    echo "pg-throwaway: no PostgreSQL binaries (initdb, pg_ctl) found; install them (Debian: apt-get install postgresql) or set PG_BIN" >&2
    exit 3
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/leadline-pg.XXXXXX")"
as_owner=()
if [ "$(id -u)" = 0 ]; then
    chown nobody "$dir"
    as_owner=(runuser -u nobody --)
fi
run() { (cd "$dir" && "${as_owner[@]}" "$@"); }

pwflags=(--auth=trust)
if [ -n "${LEADLINE_PG_PASSWORD:-}" ]; then
    printf '%s\n' "$LEADLINE_PG_PASSWORD" > "$dir/pw"
    [ "$(id -u)" = 0 ] && chown nobody "$dir/pw"
    pwflags=(--auth-local=trust --auth-host=scram-sha-256 "--pwfile=$dir/pw")
fi
run "$bin/initdb" -D "$dir/data" -U leadline -E UTF8 --locale=C "${pwflags[@]}" >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
}
rm -f "$dir/pw"

# A free port: try random ones until the server starts on one (bounded).
started=""
for _ in 1 2 3 4 5 6 7 8; do
    port=$(( 20000 + RANDOM % 40000 ))
    if run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
        start >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ -z "$started" ]; then
    echo "pg-throwaway: the server did not start; its log:" >&2
    cat "$dir/server.log" >&2 || true
    exit 1
fi

psql="$bin/psql"
[ -x "$psql" ] || psql="$(command -v psql)"
run "$psql" -q -h "$dir" -p "$port" -U leadline -d postgres -c "CREATE DATABASE leadline" >/dev/null

if [ -n "$owner" ]; then
    # The watchdog outlives this script (its own session, no open stdout), and takes the
    # cluster down when the owner goes.
    setsid bash -c '
        while kill -0 "$1" 2>/dev/null; do sleep 1; done
        '"${as_owner[*]:-}"' "$2/pg_ctl" -D "$3/data" -m immediate stop >/dev/null 2>&1
        rm -rf "$3"
    ' _ "$owner" "$bin" "$dir" </dev/null >/dev/null 2>&1 &
fi

echo "pg-throwaway: cluster in $dir (stop: ${as_owner[*]:-} $bin/pg_ctl -D $dir/data stop)" >&2
echo "postgres://leadline@127.0.0.1:$port/leadline"
