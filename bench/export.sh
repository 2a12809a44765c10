#!/usr/bin/env bash
# The bulk export at 100,000 resources: wall time and bytes of `GET /api/v1/resources/export` in
# both formats, and the service's resident memory before and at its peak (VmHWM), to show the
# export streams in constant memory. Uses the `sma_bench` database of bench/run.sh (seeded here
# if needed).
#
#   bench/export.sh                       # build (release), seed if needed, measure
#   BIN=path/to/social-mission-api bench/export.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary is production unless told otherwise; the bench runs it on demo data.
export APP_ENV=${APP_ENV:-development}
N=${N:-100000}
PORT=${PORT:-18310}
POOL_SIZE=${POOL_SIZE:-4}   # as bench/run.sh runs ours
SERVER=${BENCH_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
URL="$SERVER/${BENCH_DB:-sma_bench}"
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin social-mission-api
  BIN=target/release/social-mission-api
fi

DATABASE_URL="$URL" "$BIN" migrate
have=$(psql "$URL" -tAc "SELECT count(*) FROM resources")
if [ "$have" -lt "$N" ]; then
  DATABASE_URL="$URL" APP_ENV=development "$BIN" seed --demo --resources $((N - have))
fi
published=$(psql "$URL" -tAc "SELECT count(*) FROM resources WHERE status = 'published'")

DATABASE_URL="$URL" PORT="$PORT" DATABASE_POOL_SIZE="$POOL_SIZE" RUST_LOG=warn RATE_LIMIT_READS_PER_MINUTE=100000000 "$BIN" serve > /tmp/sma-export-server.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
until curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do sleep 0.2; done
curl -fsS "http://127.0.0.1:$PORT/api/v1/resources?per_page=1" >/dev/null

rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$PID/status"; }
echo "resources: $N ($published published)"
echo "RSS after start: $(( $(rss VmRSS) / 1024 )) MB (peak so far $(( $(rss VmHWM) / 1024 )) MB)"
for format in ndjson csv; do
  out=$(mktemp)
  start=$(date +%s.%N)
  curl -fsS "http://127.0.0.1:$PORT/api/v1/resources/export?format=$format" -o "$out"
  end=$(date +%s.%N)
  lines=$(wc -l < "$out")
  printf '%s: %.2f s, %d MB, %d lines; RSS now %d MB, peak %d MB\n' "$format" "$(echo "$end - $start" | bc)" \
    $(( $(stat -c %s "$out") / 1048576 )) "$lines" $(( $(rss VmRSS) / 1024 )) $(( $(rss VmHWM) / 1024 ))
  rm -f "$out"
done
