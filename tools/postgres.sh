#!/usr/bin/env bash
# Starts (or stops) Debian's PostgreSQL cluster for the remote tests, with a
# role and a database of their own; prints the environment the tests read.
#   bash tools/postgres.sh start   start the cluster if it is down, create the
#                                  role and database if missing, and print
#                                  `export GVCLUSTER_PG_...` lines
#   bash tools/postgres.sh stop    stop the cluster if `start` started it
# Needs root (or sudo) and the postgresql package (tools/install-deps.sh
# postgres). VERSION and CLUSTER default to the first cluster pg_lsclusters
# lists (Debian 12: 15 main).
set -euo pipefail
cd "$(dirname "$0")/.."
state="${GVCLUSTER_PG_STATE:-check/postgres-started}"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
if ! command -v pg_lsclusters > /dev/null; then
  echo "tools/postgres.sh: PostgreSQL is not installed (tools/install-deps.sh postgres)" >&2
  exit 1
fi
read -r ver name _ < <(pg_lsclusters -h | head -n 1)
VERSION="${VERSION:-$ver}"; CLUSTER="${CLUSTER:-$name}"
DB="${GVCLUSTER_PG_DBNAME:-gvcluster_test}"
ROLE="${GVCLUSTER_PG_USER:-gvcluster_test}"
PASS="${GVCLUSTER_PG_PASSWORD:-gvcluster_test}"
PORT="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { print $3 }')"

case "${1:-}" in
  start)
    mkdir -p "$(dirname "$state")"
    if pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { print $4 }' | grep -q online; then
      echo "PostgreSQL $VERSION/$CLUSTER already running on port $PORT" >&2
      rm -f "$state"
    else
      # pg_ctlcluster writes notes such as "Removed stale pid file." to
      # stdout; this script's stdout is the environment the caller evaluates
      $SUDO pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
      echo "$VERSION $CLUSTER" > "$state"
      echo "PostgreSQL $VERSION/$CLUSTER started on port $PORT" >&2
    fi
    psql_su() { (cd / && $SUDO su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -qAt $*"); }
    if [ "$(psql_su "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'\"")" != "1" ]; then
      psql_su "-c \"CREATE ROLE $ROLE LOGIN PASSWORD '$PASS'\"" >&2
    fi
    if [ "$(psql_su "-c \"SELECT 1 FROM pg_database WHERE datname = '$DB'\"")" != "1" ]; then
      psql_su "-c \"CREATE DATABASE $DB OWNER $ROLE\"" >&2
    fi
    echo "role $ROLE and database $DB ready" >&2
    echo "export GVCLUSTER_PG_HOST=127.0.0.1 GVCLUSTER_PG_PORT=$PORT GVCLUSTER_PG_DBNAME=$DB GVCLUSTER_PG_USER=$ROLE GVCLUSTER_PG_PASSWORD=$PASS"
    ;;
  stop)
    if [ -f "$state" ]; then
      $SUDO pg_ctlcluster "$VERSION" "$CLUSTER" stop >&2
      rm -f "$state"
      echo "PostgreSQL $VERSION/$CLUSTER stopped" >&2
    else
      echo "PostgreSQL left running (tools/postgres.sh start did not start it)" >&2
    fi
    ;;
  *)
    echo "usage: bash tools/postgres.sh start|stop" >&2
    exit 2
    ;;
esac
