#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests: scripts/postgres.sh start|stop|url|status
#
#   start   initdb into a fresh temporary folder, start the server on 127.0.0.1 on a free port
#           (trust auth, no password), print its URL (postgresql://...) on stdout
#   url     print the URL of the running server
#   stop    stop it and delete its folder
#
# Uses Debian's postgresql package (apt-get install -y postgresql) or any initdb/pg_ctl on
# PATH. PostgreSQL refuses to run as root: as root the server runs as the user "spinscope-pg"
# (created when missing) or $SPINSCOPE_PG_USER. State lives in $SPINSCOPE_PG_STATE
# (default /tmp/spinscope-postgres), so start and stop can come from different shells.
set -euo pipefail

STATE=${SPINSCOPE_PG_STATE:-/tmp/spinscope-postgres}
RUN_USER=${SPINSCOPE_PG_USER:-spinscope-pg}
DB=spinscope_test

die() { echo "postgres.sh: $*" >&2; exit 1; }

find_bin() {
    local name=$1
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
    local candidate
    candidate=$(ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n "$candidate" ]] || die "$name not found; install PostgreSQL (apt-get install -y postgresql)"
    echo "$candidate"
}

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$RUN_USER" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

url() {
    [[ -f "$STATE/port" ]] || die "no server started (run: scripts/postgres.sh start)"
    local user
    user=$(cat "$STATE/user")
    echo "postgresql://$user@127.0.0.1:$(cat "$STATE/port")/$DB"
}

start() {
    if [[ -f "$STATE/port" ]] && as_owner "$(find_bin pg_ctl)" -D "$STATE/data" status >/dev/null 2>&1; then
        url
        return
    fi
    local initdb pg_ctl createdb port user
    initdb=$(find_bin initdb)
    pg_ctl=$(find_bin pg_ctl)
    createdb=$(find_bin createdb)
    rm -rf "$STATE"
    mkdir -p "$STATE"
    if [[ $(id -u) -eq 0 ]]; then
        id -u "$RUN_USER" >/dev/null 2>&1 || useradd --system --no-create-home \
            --shell /usr/sbin/nologin "$RUN_USER" >/dev/null
        chown "$RUN_USER" "$STATE"
        user=$RUN_USER
    else
        user=$(id -un)
    fi
    port=$(free_port)
    as_owner "$initdb" -D "$STATE/data" -U "$user" --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$STATE/initdb.log" 2>&1 \
        || as_owner "$initdb" -D "$STATE/data" -U "$user" --auth=trust --encoding=UTF8 \
            --no-locale >"$STATE/initdb.log" 2>&1 \
        || { cat "$STATE/initdb.log" >&2; die "initdb failed"; }
    # Sockets in the state folder: /var/run/postgresql may not exist or be writable.
    as_owner "$pg_ctl" -D "$STATE/data" -l "$STATE/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $STATE -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" start \
        >/dev/null || { cat "$STATE/server.log" >&2; die "server did not start"; }
    echo "$port" >"$STATE/port"
    echo "$user" >"$STATE/user"
    as_owner "$createdb" -h 127.0.0.1 -p "$port" -U "$user" "$DB" \
        || die "createdb failed (see $STATE/server.log)"
    url
}

stop() {
    [[ -d "$STATE/data" ]] || return 0
    as_owner "$(find_bin pg_ctl)" -D "$STATE/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$STATE"
}

status() {
    [[ -d "$STATE/data" ]] || { echo "stopped"; return 1; }
    as_owner "$(find_bin pg_ctl)" -D "$STATE/data" status >/dev/null 2>&1 \
        && { echo "running at $(url)"; return 0; }
    echo "stopped"; return 1
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    status) status ;;
    *) echo "usage: scripts/postgres.sh start|stop|url|status" >&2; exit 2 ;;
esac
