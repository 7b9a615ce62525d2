#!/usr/bin/env bash
# Throwaway MariaDB and PostgreSQL servers for BatchDb's tests and benchmarks.
#
#   scripts/test-servers.sh install          install what is missing (apt: mariadb-server, postgresql-15)
#   scripts/test-servers.sh start            start both on 127.0.0.1; prints the environment to export
#   scripts/test-servers.sh stop             stop both and delete their data
#   scripts/test-servers.sh run -- CMD ...   start, run CMD with BATCHDB_TEST_MYSQL/BATCHDB_TEST_POSTGRES set, stop
#   scripts/test-servers.sh restart-mariadb  start MariaDB again on its data after a crash (the crash tests)
#   scripts/test-servers.sh start-postgres-replica  also start a PostgreSQL with wal_level=replica; prints its port
#
# Data lives under $BATCHDB_SERVERS_DIR (default: a folder under /tmp); ports come from
# BATCHDB_MYSQL_PORT (default 33306), BATCHDB_POSTGRES_PORT (default 55432) and
# BATCHDB_POSTGRES_REPLICA_PORT (default the PostgreSQL port + 100).
set -euo pipefail

DIR="${BATCHDB_SERVERS_DIR:-/tmp/batchdb-servers}"
MYSQL_PORT="${BATCHDB_MYSQL_PORT:-33306}"
PG_PORT="${BATCHDB_POSTGRES_PORT:-55432}"
PG_REPLICA_PORT="${BATCHDB_POSTGRES_REPLICA_PORT:-$((PG_PORT + 100))}"
PG_BIN="${BATCHDB_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
TEST_USER=batchdb
TEST_PASSWORD=batchdb-test
TEST_DB=batchdb_test

as_user() { # run a command as a system user (servers refuse to run as root)
  local user=$1; shift
  if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

install() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server mariadb-client)
  [ -x "$PG_BIN/postgres" ] || missing+=(postgresql-15)
  [ -e /usr/share/zoneinfo/Asia/Tokyo ] || missing+=(tzdata)  # schedules' time zones, and the tests' TZ
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "$what did not start within ${seconds}s" >&2
  return 1
}

launch_mariadb() {
  local data="$DIR/mariadb"
  /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$data/data" --bind-address=127.0.0.1 \
    --port="$MYSQL_PORT" --socket="$data/mysqld.sock" --pid-file="$data/mysqld.pid" \
    --local-infile=1 --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    --innodb-buffer-pool-size=512M --max-connections=300 \
    >>"$DIR/mariadb.log" 2>&1 &
  wait_for 60 "MariaDB" mariadb --no-defaults --socket="$data/mysqld.sock" -uroot -e "SELECT 1"
}

start_mariadb() {
  local data="$DIR/mariadb"
  mkdir -p "$data"
  chown -R mysql:mysql "$data" 2>/dev/null || true
  mariadb-install-db --no-defaults --user=mysql --datadir="$data/data" --auth-root-authentication-method=socket \
    >"$DIR/mariadb-install.log" 2>&1
  chown -R mysql:mysql "$data"
  launch_mariadb
  # As mariadb-secure-installation does: the anonymous users would shadow 'login'@'%' for local connections.
  mariadb --no-defaults --socket="$data/mysqld.sock" -uroot <<SQL
DROP USER IF EXISTS ''@'localhost', ''@'$(hostname)';
CREATE DATABASE IF NOT EXISTS $TEST_DB CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '$TEST_USER'@'127.0.0.1' IDENTIFIED BY '$TEST_PASSWORD';
CREATE USER IF NOT EXISTS '$TEST_USER'@'localhost' IDENTIFIED BY '$TEST_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$TEST_USER'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$TEST_USER'@'localhost' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
}

# A PostgreSQL cluster in $1 on port $2 with wal_level $3, with the test login and database.
init_postgres() {
  local data="$1" port="$2" wal_level="$3"
  mkdir -p "$data"
  chown postgres:postgres "$data"
  echo "$TEST_PASSWORD" >"$DIR/pgpass"
  chown postgres:postgres "$DIR/pgpass"
  as_user postgres "$PG_BIN/initdb" -D "$data/data" -U postgres --auth=scram-sha-256 --pwfile="$DIR/pgpass" \
    -E UTF8 --locale=C.UTF-8 >"$data-initdb.log" 2>&1
  as_user postgres "$PG_BIN/pg_ctl" -D "$data/data" -l "$data/postgres.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c wal_level=$wal_level -c max_connections=300 -c fsync=off" \
    start >/dev/null
  PGPASSWORD="$TEST_PASSWORD" psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<SQL
CREATE ROLE $TEST_USER LOGIN SUPERUSER PASSWORD '$TEST_PASSWORD';
CREATE DATABASE $TEST_DB OWNER $TEST_USER;
SQL
}

start_postgres() {
  init_postgres "$DIR/postgres" "$PG_PORT" logical
}

# A second PostgreSQL that decodes no changes (wal_level=replica), started on demand by the change capture tests;
# prints its port. Stopped with the others.
start_postgres_replica() {
  if [ ! -f "$DIR/postgres-replica/data/postmaster.pid" ]; then
    init_postgres "$DIR/postgres-replica" "$PG_REPLICA_PORT" replica
  fi
  echo "$PG_REPLICA_PORT"
}

print_env() {
  echo "export BATCHDB_TEST_MYSQL='Server=127.0.0.1;Port=$MYSQL_PORT;Database=$TEST_DB;User ID=$TEST_USER;Password=$TEST_PASSWORD'"
  echo "export BATCHDB_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Database=$TEST_DB;Username=$TEST_USER;Password=$TEST_PASSWORD'"
}

start() {
  stop >/dev/null 2>&1 || true
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  start_mariadb
  start_postgres
  print_env >"$DIR/env"
  echo "MariaDB on 127.0.0.1:$MYSQL_PORT, PostgreSQL on 127.0.0.1:$PG_PORT; environment in $DIR/env" >&2
  cat "$DIR/env"
}

stop() {
  if [ -f "$DIR/mariadb/mysqld.pid" ]; then
    kill "$(cat "$DIR/mariadb/mysqld.pid")" 2>/dev/null || true
    for _ in $(seq 1 100); do [ -f "$DIR/mariadb/mysqld.pid" ] || break; sleep 0.1; done
  fi
  for cluster in postgres postgres-replica; do
    if [ -f "$DIR/$cluster/data/postmaster.pid" ]; then
      as_user postgres "$PG_BIN/pg_ctl" -D "$DIR/$cluster/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$DIR"
}

case "${1:-}" in
  install) install ;;
  start) install; start ;;
  stop) stop ;;
  restart-mariadb) launch_mariadb ;;
  start-postgres-replica) start_postgres_replica ;;
  run)
    shift
    [ "${1:-}" = "--" ] && shift
    install
    start >/dev/null
    trap stop EXIT
    # shellcheck disable=SC1091
    source "$DIR/env"
    "$@"
    ;;
  *) echo "usage: $0 install|start|stop|run -- COMMAND..." >&2; exit 2 ;;
esac
