#!/usr/bin/env bash
# The passthrough anchor's own Postgres: creates the cluster if missing, starts it if stopped, loads
# N generated resources (gen_data.sql, deterministic) when the database holds another count, then
# (re)creates the `api` schema (api.sql) and vacuums. Reuses whatever already exists; leaves the
# cluster running (`bench/anchor/setup.sh stop` stops it).
#
#   bench/anchor/setup.sh                 # cluster /tmp/pganchor, port 55433, database anchors, 100,000 rows
#   N=3000 ANCHOR_DB=anchors_smoke bench/anchor/setup.sh
#   RELOAD=1 bench/anchor/setup.sh        # regenerate the rows even if the count matches
#   PGDATA_A=… PGPORT_A=… PGSOCK=…        # where the cluster lives and listens (socket directory)
#
# Trimmed from the anchor study's run.sh (pgbench and the HTTP measurements are bench/run.sh's job).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PGDATA_A=${PGDATA_A:-/tmp/pganchor}
PGPORT_A=${PGPORT_A:-55433}
PGSOCK=${PGSOCK:-/tmp}
DB=${ANCHOR_DB:-anchors}
N=${N:-100000}
log() { echo "[anchor $(date +%H:%M:%S)] $*" >&2; }

PGBIN=$(dirname "$(readlink -f "$(command -v postgres || echo /usr/lib/postgresql/15/bin/postgres)")")
[ -x "$PGBIN/initdb" ] || PGBIN=$(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -1)
# initdb and pg_ctl refuse to run as root: as root, run them as the postgres user.
asdb() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PSQL=("$PGBIN/psql" -h "$PGSOCK" -p "$PGPORT_A" -U postgres -v ON_ERROR_STOP=1 -X -q)

if [ "${1:-}" = stop ]; then
  asdb "$PGBIN/pg_ctl" -D "$PGDATA_A" -m fast -w stop >/dev/null && log "stopped the cluster in $PGDATA_A"
  exit 0
fi

if [ ! -f "$PGDATA_A/PG_VERSION" ]; then
  log "initdb $PGDATA_A"
  if [ "$(id -u)" = 0 ]; then mkdir -p "$PGDATA_A" && chown postgres: "$PGDATA_A"; fi
  asdb "$PGBIN/initdb" -D "$PGDATA_A" -U postgres --auth=trust >/dev/null
fi
if ! "$PGBIN/pg_isready" -h "$PGSOCK" -p "$PGPORT_A" -q; then
  log "starting postgres on port $PGPORT_A"
  asdb "$PGBIN/pg_ctl" -D "$PGDATA_A" -l "$PGDATA_A.log" -w start \
    -o "-p $PGPORT_A -k $PGSOCK -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_connections=200" >/dev/null
fi

"${PSQL[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
have=$("${PSQL[@]}" -d "$DB" -tAc "SELECT count(*) FROM resources" 2>/dev/null || echo 0)
made_by=$("${PSQL[@]}" -d "$DB" -tAc "SELECT obj_description('resources'::regclass)" 2>/dev/null || true)
if [ "${RELOAD:-0}" = 1 ] || [ "$have" != "$N" ] || [ "$made_by" != "gen v2: realistic abstracts" ]; then
  log "generating $N resources in $DB (it had $have, made by: ${made_by:-an older generator})"
  t0=$(date +%s)
  "${PSQL[@]}" -d "$DB" -v n="$N" -f "$HERE/../../src/resources/abstracts.sql" -f "$HERE/gen_data.sql" >/dev/null
  log "generated in $(( $(date +%s) - t0 )) s"
fi
"${PSQL[@]}" -d "$DB" -f "$HERE/api.sql" >/dev/null
"${PSQL[@]}" -d "$DB" -c "VACUUM ANALYZE" >/dev/null
log "$DB ready: $("${PSQL[@]}" -d "$DB" -tAc "SELECT count(*) || ' resources, ' || count(*) FILTER (WHERE published) || ' published' FROM resources")"
