#!/usr/bin/env bash
# Provision PostgreSQL and Redis for development and tests, then write .services/env.sh.
#
#   scripts/services.sh start   use DATABASE_URL / REDIS_URL when set and reachable,
#                               otherwise start private servers under .services/
#   scripts/services.sh stop    stop the private servers (data are kept)
#
# Private servers listen on 127.0.0.1 only, on ports that do not collide with system
# servers (PG_PORT, default 54329; REDIS_PORT, default 63799).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.services"
PG_PORT="${PG_PORT:-54329}"
REDIS_PORT="${REDIS_PORT:-63799}"
PG_DATA="$STATE/postgres"
PG_SOCKETS="$STATE/postgres-run"
REDIS_DIR="$STATE/redis"
PRIVATE_DATABASE_URL="postgres://momcircle@127.0.0.1:$PG_PORT/momcircle"
PRIVATE_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

# shellcheck source=scripts/os_packages.sh
source "$ROOT/scripts/os_packages.sh"

say() { printf '\033[1m[services]\033[0m %s\n' "$*"; }

pg_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
    [ -n "$dir" ] && echo "$dir"
}

# initdb and postgres refuse to run as root: run them as an unprivileged system user.
pg_run() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

database_reachable() {
    [ -n "${1:-}" ] && command -v psql >/dev/null &&
        PGCONNECT_TIMEOUT=3 psql "$1" -qtAc 'SELECT 1' >/dev/null 2>&1
}

redis_reachable() {
    [ -n "${1:-}" ] && command -v redis-cli >/dev/null &&
        [ "$(timeout 3 redis-cli -u "$1" ping 2>/dev/null)" = "PONG" ]
}

start_private_postgres() {
    ensure_os_packages postgresql libpq-dev
    local bin
    bin="$(pg_bin)"
    mkdir -p "$STATE"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
        # The server runs as "postgres" and must be able to reach its data directory.
        if ! runuser -u postgres -- test -x "$ROOT"; then
            chmod o+x "$ROOT"
        fi
        if ! runuser -u postgres -- test -x "$ROOT"; then
            say "The postgres user cannot enter $ROOT; make its parent folders traversable (chmod o+x)."
            exit 1
        fi
        mkdir -p "$PG_DATA" "$PG_SOCKETS"
        chown postgres: "$PG_DATA" "$PG_SOCKETS"
        chmod 700 "$PG_DATA"
    else
        mkdir -p "$PG_DATA" "$PG_SOCKETS"
    fi
    if [ ! -s "$PG_DATA/PG_VERSION" ]; then
        say "Creating a private PostgreSQL cluster in .services/postgres"
        pg_run "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 >/dev/null
    fi
    if ! pg_run "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        say "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
        pg_run "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_SOCKETS -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
    fi
    local admin=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qtA -d postgres)
    if [ "$("${admin[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='momcircle'")" != "1" ]; then
        "${admin[@]}" -c "CREATE ROLE momcircle LOGIN CREATEDB" >/dev/null
    fi
    if [ "$("${admin[@]}" -c "SELECT 1 FROM pg_database WHERE datname='momcircle'")" != "1" ]; then
        "${admin[@]}" -c "CREATE DATABASE momcircle OWNER momcircle" >/dev/null
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

start() {
    ensure_os_packages postgresql-client redis-tools
    local database_url redis_url
    if database_reachable "${DATABASE_URL:-}"; then
        say "Using DATABASE_URL from the environment"
        database_url="$DATABASE_URL"
    else
        [ -n "${DATABASE_URL:-}" ] && say "DATABASE_URL is set but does not answer; starting a private server"
        start_private_postgres
        database_url="$PRIVATE_DATABASE_URL"
    fi
    if redis_reachable "${REDIS_URL:-}"; then
        say "Using REDIS_URL from the environment"
        redis_url="$REDIS_URL"
    else
        [ -n "${REDIS_URL:-}" ] && say "REDIS_URL is set but does not answer; starting a private server"
        start_private_redis
        redis_url="$PRIVATE_REDIS_URL"
    fi
    mkdir -p "$STATE"
    printf 'export DATABASE_URL=%q\nexport REDIS_URL=%q\n' "$database_url" "$redis_url" >"$STATE/env.sh"
    echo "DATABASE_URL=$database_url"
    echo "REDIS_URL=$redis_url"
}

stop() {
    local bin
    bin="$(pg_bin || true)"
    if [ -n "$bin" ] && [ -s "$PG_DATA/PG_VERSION" ]; then
        pg_run "$bin/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 && say "PostgreSQL stopped" || true
    fi
    # By its pid, not its port: the port may be another checkout's Redis.
    if [ -s "$REDIS_DIR/redis.pid" ]; then
        kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null && say "Redis stopped" || true
        rm -f "$REDIS_DIR/redis.pid"
    fi
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
