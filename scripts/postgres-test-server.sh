#!/usr/bin/env bash
# Start Debian's PostgreSQL on loopback and create a role the test suite may create databases
# with. Idempotent; needs root (CI and `make test-postgres` on a fresh machine).
# Prints the URL to use as TEST_DATABASE_URL.
set -euo pipefail
ROLE=${QUIZAPP_PG_ROLE:-quizapp}
PASSWORD=${QUIZAPP_PG_PASSWORD:-quizapp}
PORT=${QUIZAPP_PG_PORT:-5432}

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
version=$(pg_lsclusters --no-header | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $2}')
if [ -z "$version" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  cluster=main
  pg_createcluster "$version" "$cluster" --port "$PORT" >&2
fi
if ! pg_lsclusters --no-header | awk -v c="$cluster" '$2 == c {print $4}' | grep -q online; then
  pg_ctlcluster "$version" "$cluster" start >&2
fi
port=$(pg_lsclusters --no-header | awk -v c="$cluster" '$2 == c {print $3}')
if [ "${QUIZAPP_PG_FAST:-1}" = 1 ] && [ "$(su postgres -c "psql -tA -p $port -c 'SHOW fsync'")" = on ]; then
  # A throwaway test server: durability costs a checkpoint per CREATE DATABASE, which the
  # suite does for every test. Never do this to a server that holds real data
  # (QUIZAPP_PG_FAST=0 leaves the settings alone).
  su postgres -c "psql -q -p $port" >&2 <<'SQL'
ALTER SYSTEM SET fsync = off;
ALTER SYSTEM SET synchronous_commit = off;
ALTER SYSTEM SET full_page_writes = off;
SQL
  pg_ctlcluster "$version" "$cluster" restart >&2
fi
su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END \$\$;
-- The suite drops its databases WITH (FORCE), which must be allowed to end an autovacuum
-- worker that happens to be busy in one (it has no role, so only pg_signal_backend may).
GRANT pg_signal_backend TO $ROLE;
SQL
echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$port/postgres"
