#!/usr/bin/env bash
# Provision PostgreSQL and Redis for `make run` and `make test`, then write their URLs.
#
#   scripts/services.sh start        for make run/services/migrate/bench: writes .services/env.sh
#   scripts/services.sh start test   for make test: writes .services/test-env.sh
#   scripts/services.sh stop         stop the private servers (data are kept)
#
# DATABASE_URL / REDIS_URL are used when set and reachable. Otherwise private servers are
# started with their data under .services/, listening on 127.0.0.1 only, on ports that do not
# collide with system servers:
#   .services/postgres        PG_PORT (54329), durable: PostgreSQL's defaults for fsync,
#                             synchronous_commit and full_page_writes
#   .services/postgres-test   PG_TEST_PORT (a free port when it starts), the test suite's own
#                             cluster: it skips flushing to disk, so a crash can lose or
#                             corrupt it
#   .services/redis           REDIS_PORT (63799), shared by both
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.services"
PG_PORT="${PG_PORT:-54329}"
REDIS_PORT="${REDIS_PORT:-63799}"
REDIS_DIR="$STATE/redis"
PRIVATE_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
DURABLE=(fsync=on full_page_writes=on synchronous_commit=on)
FAST=(fsync=off full_page_writes=off synchronous_commit=off)
# The superuser cannot log in over TCP: trust takes any local user at her word, and the server
# may hold a capability that reads any file (see pg_as). The app's role owns its databases.
HBA="# Written by scripts/services.sh on every start.
host all postgres 127.0.0.1/32 reject
host all all 127.0.0.1/32 trust"

# shellcheck source=scripts/os_packages.sh
source "$ROOT/scripts/os_packages.sh"

say() { printf '\033[1m[services]\033[0m %s\n' "$*"; }

pg_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
    [ -n "$dir" ] && echo "$dir"
}

# initdb and postgres refuse to run as root: as root they run as the postgres system user.
# Under a private folder (a home folder, mktemp -d) that user cannot enter the checkout, and
# the folders above it are not ours to open; it then gets CAP_DAC_READ_SEARCH alone, which
# lets it traverse them (and read what it could not: hence the superuser's reject in HBA).
PG_AS=()
pg_as() {
    [ "$(id -u)" -eq 0 ] || return 0
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
    mkdir -p "$STATE"
    if runuser -u postgres -- test -x "$STATE"; then
        PG_AS=(runuser -u postgres --)
    elif (($(printf '%d' "0x$(awk '/^CapEff/ {print $2}' /proc/self/status)") & 1 << 2)); then
        PG_AS=(setpriv --reuid=postgres --regid=postgres --init-groups
            --inh-caps=+dac_read_search --ambient-caps=+dac_read_search --)
    else
        say "The postgres user cannot enter $STATE, and this root lacks CAP_DAC_READ_SEARCH to"
        say "let it through: set DATABASE_URL to a server of your own."
        exit 1
    fi
}

pg_run() { "${PG_AS[@]}" "$@"; }

database_reachable() {
    [ -n "${1:-}" ] && command -v psql >/dev/null &&
        PGCONNECT_TIMEOUT=3 psql "$1" -qtAc 'SELECT 1' >/dev/null 2>&1
}

redis_reachable() {
    [ -n "${1:-}" ] && command -v redis-cli >/dev/null &&
        [ "$(timeout 3 redis-cli -u "$1" ping 2>/dev/null)" = "PONG" ]
}

create_cluster() {
    local bin="$1" data="$2" fresh="$2.new"
    say "Creating a private PostgreSQL cluster in ${data#"$ROOT/"}"
    rm -rf "$fresh"
    mkdir -p "$fresh"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$fresh"
    chmod 700 "$fresh"
    pg_run "$bin/initdb" -D "$fresh" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >/dev/null
    # Made before the server listens: from then on the superuser cannot log in.
    printf '%s\n' "CREATE ROLE momcircle LOGIN CREATEDB" "CREATE DATABASE momcircle OWNER momcircle" |
        pg_run "$bin/postgres" --single -D "$fresh" -c exit_on_error=on -c log_checkpoints=off \
            postgres >/dev/null
    rmdir "$data" 2>/dev/null || true
    mv "$fresh" "$data"
}

# Neighbouring ports are other checkouts' PG_PORT: the test suite's cluster takes a free port
# when it starts, and keeps it while it runs.
test_port() {
    local pid_file="$STATE/postgres-test/postmaster.pid"
    if [ -n "${PG_TEST_PORT:-}" ]; then
        echo "$PG_TEST_PORT"
    elif [ -s "$pid_file" ] && kill -0 "$(head -n1 "$pid_file")" 2>/dev/null; then
        sed -n 4p "$pid_file"
    else
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    fi
}

settings_of() {
    psql -h 127.0.0.1 -p "$1" -U momcircle -d postgres -qtAc \
        "SELECT concat_ws(' ', 'fsync=' || current_setting('fsync'),
                'full_page_writes=' || current_setting('full_page_writes'),
                'synchronous_commit=' || current_setting('synchronous_commit'))" 2>/dev/null || true
}

# start_cluster DATA PORT SETTING...: create, configure and start it; a cluster already
# running with other settings (or on another port) is restarted with these.
start_cluster() {
    local data="$1" port="$2" bin
    shift 2
    ensure_os_packages postgresql libpq-dev
    bin="$(pg_bin)"
    pg_as
    [ -s "$data/PG_VERSION" ] || create_cluster "$bin" "$data"
    local hba_changed=no
    if [ "$(cat "$data/pg_hba.conf")" != "$HBA" ]; then
        printf '%s\n' "$HBA" >"$data/pg_hba.conf"
        hba_changed=yes
    fi
    local options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=''"
    options+=" -c max_connections=200 ${*/#/-c }"
    local pg_ctl=(pg_run "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60)
    if ! "${pg_ctl[@]}" status >/dev/null 2>&1; then
        say "Starting PostgreSQL on 127.0.0.1:$port (${data#"$ROOT/"})"
        "${pg_ctl[@]}" -o "$options" start >/dev/null ||
            { say "PostgreSQL did not start; see ${data#"$ROOT/"}/server.log"; exit 1; }
    elif [ "$(settings_of "$port")" != "$*" ]; then
        say "Restarting PostgreSQL on 127.0.0.1:$port with $*"
        "${pg_ctl[@]}" -m fast -o "$options" restart >/dev/null
    elif [ "$hba_changed" = yes ]; then
        "${pg_ctl[@]}" reload >/dev/null
    fi
}

start_private_redis() {
    ensure_os_packages redis-server
    mkdir -p "$REDIS_DIR"
    if ! redis_reachable "$PRIVATE_REDIS_URL"; then
        say "Starting Redis on 127.0.0.1:$REDIS_PORT"
        redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$REDIS_DIR" \
            --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
            --save "" --appendonly yes >/dev/null
        for _ in $(seq 50); do
            redis_reachable "$PRIVATE_REDIS_URL" && return 0
            sleep 0.1
        done
        say "Redis did not start; see .services/redis/redis.log"
        exit 1
    fi
}

# start [test]
start() {
    ensure_os_packages postgresql-client redis-tools
    local database_url redis_url env_file="$STATE/env.sh"
    if database_reachable "${DATABASE_URL:-}"; then
        say "Using DATABASE_URL from the environment"
        database_url="$DATABASE_URL"
    else
        [ -n "${DATABASE_URL:-}" ] && say "DATABASE_URL is set but does not answer; starting a private server"
        if [ "${1:-}" = test ]; then
            local port
            port="$(test_port)"
            start_cluster "$STATE/postgres-test" "$port" "${FAST[@]}"
            database_url="postgres://momcircle@127.0.0.1:$port/momcircle"
        else
            start_cluster "$STATE/postgres" "$PG_PORT" "${DURABLE[@]}"
            database_url="postgres://momcircle@127.0.0.1:$PG_PORT/momcircle"
        fi
    fi
    [ "${1:-}" = test ] && env_file="$STATE/test-env.sh"
    if redis_reachable "${REDIS_URL:-}"; then
        say "Using REDIS_URL from the environment"
        redis_url="$REDIS_URL"
    else
        [ -n "${REDIS_URL:-}" ] && say "REDIS_URL is set but does not answer; starting a private server"
        start_private_redis
        redis_url="$PRIVATE_REDIS_URL"
    fi
    mkdir -p "$STATE"
    printf 'export DATABASE_URL=%q\nexport REDIS_URL=%q\n' "$database_url" "$redis_url" >"$env_file"
    echo "DATABASE_URL=$database_url"
    echo "REDIS_URL=$redis_url"
}

stop() {
    local bin data
    bin="$(pg_bin || true)"
    for data in "$STATE/postgres" "$STATE/postgres-test"; do
        if [ -n "$bin" ] && [ -s "$data/PG_VERSION" ]; then
            pg_as
            pg_run "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 &&
                say "PostgreSQL stopped (${data#"$ROOT/"})" || true
        fi
    done
    # By its pid, not its port: the port may be another checkout's Redis.
    if [ -s "$REDIS_DIR/redis.pid" ]; then
        kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null && say "Redis stopped" || true
        rm -f "$REDIS_DIR/redis.pid"
    fi
}

case "${1:-start}" in
start) start "${2:-}" ;;
stop) stop ;;
*) echo "usage: $0 start [test] | stop" >&2; exit 2 ;;
esac
