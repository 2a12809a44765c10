#!/usr/bin/env bash
# Load test of the library at 100,000 resources: wrk at 8 and 32 connections on the four questions
# of shared/performance.md, against our service and, interleaved in the same run, against the
# no-logic passthrough of ../shared/bench-anchor (its own cluster and data, same shapes). Reports
# req/s, p50/p99 and the servers' peak RSS in bench/out/summary.md.
#
#   bench/run.sh                          # build (release), seed if needed, measure
#   DUR=10 REPS=3 N=100000 bench/run.sh   # seconds per run / repetitions (medians) / resources
#   ANCHOR=0 bench/run.sh                 # our service only
#   BIN=path/to/social-mission-api bench/run.sh   # a binary built elsewhere
#   QUESTIONS="list detail_all" bench/run.sh      # a subset of the questions
#
# `detail` draws from 1,000 published slugs (their cards stay cached: the warm path); `detail_all`
# from every published slug (bench/out/slugs-all.txt), so most requests miss the card cache.
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary is production unless told otherwise; the bench runs it on demo data.
export APP_ENV=${APP_ENV:-development}
N=${N:-100000}
DUR=${DUR:-10}
REPS=${REPS:-3}
ANCHOR=${ANCHOR:-1}
PORT=${PORT:-18300}
PASS_PORT=${PASS_PORT:-18301}
SERVER=${BENCH_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
URL="$SERVER/${BENCH_DB:-sma_bench}"
OUT=bench/out
HERE=$(pwd)
ANCHOR_DIR=$(cd .. && pwd)/shared/bench-anchor
mkdir -p "$OUT"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin social-mission-api
  BIN=target/release/social-mission-api
fi

DATABASE_URL="$URL" "$BIN" migrate
have=$(psql "$URL" -tAc "SELECT count(*) FROM resources")
if [ "$have" -lt "$N" ]; then
  DATABASE_URL="$URL" APP_ENV=development "$BIN" seed --demo --resources $((N - have))
fi
psql "$URL" -qc "VACUUM ANALYZE"
psql "$URL" -tAc "SELECT slug FROM resources WHERE status = 'published' ORDER BY md5(id::text) LIMIT 1000" > "$OUT/slugs.txt"
psql "$URL" -tAc "SELECT slug FROM resources WHERE status = 'published'" > "$OUT/slugs-all.txt"
QUESTIONS=${QUESTIONS:-list search detail detail_all search_page}

DATABASE_URL="$URL" PORT="$PORT" RUST_LOG=warn DATABASE_POOL_SIZE=16 \
  RATE_LIMIT_READS_PER_MINUTE=100000000 RATE_LIMIT_FORMS_PER_MINUTE=100000000 RATE_LIMIT_PARTNER_PER_MINUTE=100000000 \
  "$BIN" serve > "$OUT/server.log" 2>&1 &
declare -A PID=([ours]=$!)
trap 'for p in "${PID[@]}"; do kill $p 2>/dev/null; wait $p 2>/dev/null || true; done' EXIT
until curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do sleep 0.2; done

B="http://127.0.0.1:$PORT"
declare -A OURS=(
  [list]="-s bench/list.lua $B"
  [search]="$B/api/v1/resources?q=community%20health%20equity"
  [detail]="-s bench/detail.lua $B"
  [detail_all]="-s bench/detail_all.lua $B"
  [search_page]="$B/api/v1/resources?q=community%20health%20equity&open_access=true&include=facets"
)
declare -A PASS=()
TARGETS=ours
if [ "$ANCHOR" = 1 ]; then
  # The anchor's cluster (port 55433) and its 100,000 generated rows, left running; then its
  # passthrough server on the same questions.
  KEEP=1 HTTP=0 REPS=0 DUR=1 OUT="$HERE/$OUT/anchor" "$ANCHOR_DIR/run.sh" > "$OUT/anchor-setup.log" 2>&1
  (cd "$ANCHOR_DIR/passthrough" && cargo build --release -q)
  DATABASE_URL="host=/tmp port=55433 user=postgres dbname=anchors" POOL=10 WORKERS=2 PGRST_TX=0 BIND="127.0.0.1:$PASS_PORT" \
    "$ANCHOR_DIR/passthrough/target/release/pgpass" 2> "$OUT/passthrough.log" &
  PID[passthrough]=$!
  psql -h /tmp -p 55433 -U postgres anchors -tAc "SELECT slug FROM resources WHERE published ORDER BY md5(id::text) LIMIT 1000" > "$OUT/anchor-slugs.txt"
  until curl -s -o /dev/null "http://127.0.0.1:$PASS_PORT/"; do sleep 0.2; done
  P="http://127.0.0.1:$PASS_PORT"
  PASS=(
    [list]="-s $ANCHOR_DIR/wrk/q1_list.lua $P/"
    [search]="$P/rpc/search_resources?q=community%20health%20equity"
    [detail]="-s $ANCHOR_DIR/wrk/q3_slug.lua $P/"
    [search_page]="$P/rpc/facets?open_access=true"
  )
  TARGETS="ours passthrough"
fi

args() { if [ "$1" = ours ]; then echo "${OURS[$2]}"; else echo "${PASS[$2]:-}"; fi; }
# The passthrough answers the four questions of shared/performance.md only.
targets_for() { if [ -n "${PASS[$1]:-}" ]; then echo "$TARGETS"; else echo ours; fi; }
# Warm-up: pools, prepared statements, caches.
for q in $QUESTIONS; do for t in $(targets_for "$q"); do
  # shellcheck disable=SC2046
  SLUGS="$HERE/$OUT/anchor-slugs.txt" wrk -t2 -c32 -d2s $(args $t $q) > /dev/null 2>&1
done; done

echo -e "target\tquestion\tconn\trep\trps\tp50\tp99\tnon2xx\trss_kb" > "$OUT/raw.tsv"
for r in $(seq 1 "$REPS"); do
  for q in $QUESTIONS; do
    for c in 8 32; do
      for t in $(targets_for "$q"); do
        pid=${PID[$t]}
        ( while kill -0 "$pid" 2>/dev/null; do awk '/VmRSS/{print $2}' "/proc/$pid/status"; sleep 0.25; done ) > "$OUT/rss.tmp" &
        sampler=$!
        f="$OUT/wrk.$t.$q.$c.$r.txt"
        # shellcheck disable=SC2046
        SLUGS="$HERE/$OUT/anchor-slugs.txt" wrk -t2 -c"$c" -d"${DUR}s" --timeout 10s --latency $(args $t $q) > "$f"
        kill $sampler 2>/dev/null; wait $sampler 2>/dev/null || true
        rps=$(awk '/^Requests\/sec/{print $2}' "$f")
        p50=$(awk '$1=="50%"{print $2}' "$f")
        p99=$(awk '$1=="99%"{print $2}' "$f")
        bad=$(awk '/Non-2xx/{print $5}' "$f")
        rss=$(sort -n "$OUT/rss.tmp" | tail -1)
        echo -e "$t\t$q\t$c\t$r\t$rps\t$p50\t$p99\t${bad:-0}\t$rss" >> "$OUT/raw.tsv"
        echo "$t $q c$c rep $r: $rps req/s, p50 $p50, p99 $p99, RSS ${rss} kB" >&2
      done
    done
  done
done

python3 - "$OUT/raw.tsv" > "$OUT/summary.md" <<'PY'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
def ms(v):
    for unit, f in (('us', 1e-3), ('ms', 1), ('s', 1e3)):
        if v.endswith(unit):
            return float(v[:-len(unit)]) * f
    return float('nan')
g = {}
for r in rows:
    g.setdefault((r['question'], r['conn'], r['target']), []).append(r)
print('| question | conn | ours req/s | ours p50 ms | ours p99 ms | passthrough req/s | ratio | ours peak RSS MB | non-2xx |')
print('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for q in ['list', 'search', 'detail', 'detail_all', 'search_page']:
    for c in ['8', '32']:
        o = g.get((q, c, 'ours'), [])
        if not o:
            continue
        p = g.get((q, c, 'passthrough'), [])
        orps = st.median(float(r['rps']) for r in o)
        prps = st.median(float(r['rps']) for r in p) if p else float('nan')
        print(f"| {q} | {c} | {orps:,.0f} | {st.median(ms(r['p50']) for r in o):.2f} | {st.median(ms(r['p99']) for r in o):.2f} | "
              f"{prps:,.0f} | {orps / prps:.2f} | {max(int(r['rss_kb']) for r in o) / 1024:.1f} | {sum(int(r['non2xx']) for r in o)} |")
PY
cat "$OUT/summary.md"
