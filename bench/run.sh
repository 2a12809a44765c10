#!/usr/bin/env bash
# Load test of the library at 100,000 resources: wrk at 8 and 32 connections on the four questions
# of shared/performance.md, peak RSS of the service, results in bench/out/summary.md.
#
#   bench/run.sh                  # build (release), seed if needed, measure
#   DUR=10 N=100000 bench/run.sh  # seconds per run / resources in the database
#
# The passthrough anchor (../shared/bench-anchor/run.sh) measures the same questions on its own
# data; run it in the same session and compare ratios, not absolute numbers (the machine is shared).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
DUR=${DUR:-10}
PORT=${PORT:-18300}
SERVER=${BENCH_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
URL="$SERVER/${BENCH_DB:-sma_bench}"
OUT=bench/out
mkdir -p "$OUT"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --bin social-mission-api
BIN=target/release/social-mission-api

DATABASE_URL="$URL" "$BIN" migrate
have=$(psql "$URL" -tAc "SELECT count(*) FROM resources")
if [ "$have" -lt "$N" ]; then
  DATABASE_URL="$URL" APP_ENV=development "$BIN" seed --demo --resources $((N - have))
fi
psql "$URL" -qc "VACUUM ANALYZE"
psql "$URL" -tAc "SELECT slug FROM resources WHERE status = 'published' ORDER BY md5(id::text) LIMIT 1000" > "$OUT/slugs.txt"

DATABASE_URL="$URL" PORT="$PORT" RUST_LOG=warn DATABASE_POOL_SIZE=16 \
  RATE_LIMIT_READS_PER_MINUTE=100000000 RATE_LIMIT_FORMS_PER_MINUTE=100000000 \
  "$BIN" serve > "$OUT/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
until curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do sleep 0.2; done

B="http://127.0.0.1:$PORT"
declare -A ARGS=(
  [list]="-s bench/list.lua $B"
  [search]="$B/api/v1/resources?q=community%20health%20equity"
  [detail]="-s bench/detail.lua $B"
  [search_page]="$B/api/v1/resources?q=community%20health%20equity&domain=community-engagement&include=facets"
)
{
  echo "| question | connections | req/s | p50 ms | p99 ms | non-2xx | peak RSS MB |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
} > "$OUT/summary.md"
for q in list search detail search_page; do
  for c in 8 32; do
    ( peak=0; while kill -0 $PID 2>/dev/null; do r=$(awk '/VmRSS/{print $2}' /proc/$PID/status); [ "$r" -gt "$peak" ] && peak=$r && echo $peak > "$OUT/rss.$q.$c"; sleep 0.25; done ) &
    sampler=$!
    # shellcheck disable=SC2086
    wrk -t2 -c"$c" -d"${DUR}s" --timeout 10s --latency ${ARGS[$q]} > "$OUT/wrk.$q.$c.txt"
    kill $sampler 2>/dev/null || true
    rps=$(awk '/^Requests\/sec/{print $2}' "$OUT/wrk.$q.$c.txt")
    p50=$(awk '$1=="50%"{print $2}' "$OUT/wrk.$q.$c.txt")
    p99=$(awk '$1=="99%"{print $2}' "$OUT/wrk.$q.$c.txt")
    bad=$(awk '/Non-2xx/{print $5}' "$OUT/wrk.$q.$c.txt")
    rss=$(awk '{printf "%.1f", $1/1024}' "$OUT/rss.$q.$c" 2>/dev/null || echo NA)
    echo "| $q | $c | $rps | $p50 | $p99 | ${bad:-0} | $rss |" | tee -a "$OUT/summary.md"
  done
done
