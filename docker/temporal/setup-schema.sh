#!/bin/sh
# One-shot job (temporalio/admin-tools): creates the Temporal persistence and
# visibility databases on the shared PostgreSQL server and applies/upgrades their
# schemas. Safe to re-run on every `docker compose up`: existing databases are
# kept and update-schema only applies missing versions.
#
# Connection settings come from the environment (see compose.yaml):
#   SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD, TEMPORAL_DB, TEMPORAL_VISIBILITY_DB
set -eu

SCHEMA_ROOT=/etc/temporal/schema/postgresql/v12
: "${SQL_HOST:?}" "${SQL_PORT:=5432}" "${SQL_USER:?}" "${SQL_PASSWORD:?}"
: "${TEMPORAL_DB:=temporal}" "${TEMPORAL_VISIBILITY_DB:=temporal_visibility}"
export SQL_PASSWORD

tool() {
  temporal-sql-tool --plugin postgres12 --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" "$@"
}

echo "waiting for postgres at ${SQL_HOST}:${SQL_PORT}"
i=0
until nc -z -w 5 "$SQL_HOST" "$SQL_PORT"; do
  i=$((i + 1))
  if [ "$i" -ge 30 ]; then echo "postgres not reachable" >&2; exit 1; fi
  sleep 2
done

setup_db() {
  db=$1
  dir=$2
  # "create" fails harmlessly when the database already exists; a real
  # connection problem makes the next command fail anyway.
  tool --db "$db" create || echo "database ${db} already exists (or create failed; checking schema)"
  tool --db "$db" setup-schema -v 0.0
  tool --db "$db" update-schema -d "${SCHEMA_ROOT}/${dir}/versioned"
}

setup_db "$TEMPORAL_DB" temporal
setup_db "$TEMPORAL_VISIBILITY_DB" visibility
echo "temporal schema up to date"
