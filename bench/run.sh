#!/usr/bin/env bash
# Load test of the library (issue 14, item 4: "a bench that cannot flatter us"). wrk (2 threads) at
# 8 and 32 connections against our service and, interleaved run by run, against the no-logic
# passthrough in bench/anchor/ (its own Postgres cluster on port 55433 and its own generated data of
# the same size, the same question shapes). Prints one table, also written to bench/out/summary.md:
# medians of REPS runs, the ratio to the passthrough, the issue's target and whether it is met,
# with the commit measured and a warning wherever another process competed for the machine.
#
#   bench/run.sh                                   # build (release), seed if needed, measure
#   DUR=10 REPS=3 N=100000 bench/run.sh            # seconds per run / runs (medians) / resources
#   BIN=path/to/social-mission-api bench/run.sh    # a binary built elsewhere
#   BENCH_DB=sma_bench_smoke N=3000 DUR=2 REPS=1 bench/run.sh   # a quick check on a small database
#   QUESTIONS="detail_cold list" bench/run.sh      # a subset of the questions (below)
#   ANCHOR=0 bench/run.sh                          # our service only (no ratios)
#   EXPORT=0 bench/run.sh                          # skip the export (bench/export.sh)
#   POOL_SIZE=16 bench/run.sh                      # our DATABASE_POOL_SIZE (default 4, see below)
#
# The questions (`list` gives two rows, list_cold and list_warm):
#   detail_warm   a detail by slug drawn from 1,000 published slugs (they stay in our card cache)
#   detail_cold   a detail by slug drawn from every published slug, our server restarted just before
#   list          one random domain AND topic, a random page 1–200 of 20: list_cold right after a
#                 restart of our server, list_warm right after that
#   list_p1       the same list, page 1 only, right after a restart (row list_p1_cold): the
#                 passthrough walks its index past every skipped row (OFFSET), ~20 ms at page 100 of
#                 100,000 rows, so the deep pages' ratio says little; on page 1 it is at its fastest
#   taxonomy      GET /api/v1/taxonomy (no passthrough equivalent)
#   search        q=community health equity, ranked (the passthrough ranks with ts_rank_cd), the same
#                 query at every request: after the warm-up ours gives the answer it kept (see
#                 LibraryIndex::search), so this row is the warm search, not the ranking
#   search_cold   a different query at every request (bench/search.lua, QUERIES: two or three of
#                 the library's commonest title words, each matching 1% to 5% of the published
#                 library as the issue's own search did, none asked twice in a run; bench/queries.py),
#                 ours restarted before the run: every answer ranked, as a long tail of searches would be
#   search_cold_broad the same with queries matching 20% or more of the library each (the issue's
#                 broad query, ranked at every request)
#   search_broad  q=$BROAD_Q, a query matching more than 20% of the library (warm, as `search`)
#   search_page   the search with open_access=true&include=facets (the passthrough: api.search_page; warm)
#   search_prefix q=community heal&prefix=true: the last word a prefix, from the index (ours only)
#   search_typo   q=comunity helth equity&typo=true&prefix=true: two misspelt words, as the website asks
#   search_highlight the search with highlight=true (one ts_headline round trip per page; ours only)
#   suggest       /resources/suggest at every keystroke of a phrase (bench/suggest.lua; ours only)
# The passthrough is never restarted: it keeps no cache. The export is bench/export.sh, REPS times.
#
# Honesty checks, per run: the 1-minute load average, the runnable tasks of others just before
# (sampled for a second), any compiler running (cargo, rustc, clippy, cc1, ld), and the CPU that processes
# other than the bench's own (our server, the passthrough, wrk, postgres) used during the run.
set -euo pipefail
cd "$(dirname "$0")/.."
HERE=$(pwd)
# The binary is production unless told otherwise; the bench runs it on demo data.
export APP_ENV=${APP_ENV:-development}
N=${N:-100000}
DUR=${DUR:-10}
REPS=${REPS:-3}
CONNS=${CONNS:-8 32}
ANCHOR=${ANCHOR:-1}
EXPORT=${EXPORT:-1}
WARMUP=${WARMUP:-2}              # seconds of c32 before the first run of a warm question
SETTLE=${SETTLE:-1}              # seconds after a restart's /health/ready before a cold run
PORT=${PORT:-18300}
PASS_PORT=${PASS_PORT:-18301}
# Our DATABASE_POOL_SIZE: 4 (2 per HTTP worker), about twice the cores, since Postgres shares this
# machine's two cores with us. 16 was used until session 16: more connections let more backends run
# at once, which time-slice the cores with the ranking threads (cold list c32 ~3,100 vs ~4,000 req/s,
# p99 21 vs 15 ms; cold search c32 p99 ~31 vs ~20 ms). The passthrough keeps the anchor's own POOL=10.
POOL_SIZE=${POOL_SIZE:-4}
# Both servers reach Postgres over a Unix socket when the local server has one (the passthrough's
# cluster listens on /tmp), so neither pays for loopback TCP and the other does not.
if [ -S /var/run/postgresql/.s.PGSQL.5432 ]; then
  SERVER=${BENCH_SERVER_URL:-postgres://postgres@%2Fvar%2Frun%2Fpostgresql}
else
  SERVER=${BENCH_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
fi
DB=${BENCH_DB:-sma_bench}
URL="$SERVER/$DB"
ANCHOR_DB=${ANCHOR_DB:-anchors_$N}     # the anchor's database: one per size, so a small check keeps the big one
QUESTIONS=${QUESTIONS:-detail_warm detail_cold list list_p1 taxonomy search search_cold search_broad search_cold_broad search_page search_prefix search_typo search_highlight suggest}
SEARCH_Q=${SEARCH_Q:-community health equity}
BROAD_Q=${BROAD_Q:-community health}
PREFIX_Q=${PREFIX_Q:-community heal}    # search_prefix: the last word a prefix (prefix=true)
TYPO_Q=${TYPO_Q:-comunity helth equity} # search_typo: misspelt words (typo=true&prefix=true)
OUT=$HERE/bench/out
ANCHOR_DIR=$HERE/bench/anchor
mkdir -p "$OUT"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
urlq() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

# ---------------------------------------------------------------- honesty: who else is using the machine
CLK=$(getconf CLK_TCK)
COMPILERS='cargo|rustc|clippy-driver|rustdoc|cc1|cc1plus|ld|ld.gold|ld.lld|rust-lld|cargo-nextest'
# pgrep -x refuses a pattern longer than 15 characters, so: the names of all processes, matched whole.
# shellcheck disable=SC2009
compilers() { ps -eo comm= | grep -xE "$COMPILERS" | sort -u | paste -sd, - || true; }
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
# utime+stime (ticks) of our server, the passthrough and every postgres process, by pid.
bench_ticks() {
  local p
  for p in $OURS_PID $PASS_PID $(pgrep -x postgres || true); do
    awk -v p="$p" '{print p, $14 + $15}' "/proc/$p/stat" 2>/dev/null || true
  done
}
# Runnable tasks other than this shell (which reads /proc/loadavg's "running/total" with a builtin),
# averaged over ten samples in one second.
runnable_others() {
  local s=0 rq
  for _ in 1 2 3 4 5 6 7 8 9 10; do read -r _ _ _ rq _ < /proc/loadavg; s=$((s + ${rq%/*} - 1)); sleep 0.1; done
  echo "scale=1; $s / 10" | bc
}
# The machine as the script found it, before its own builds and seeding load it.
LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)
RUNQ_AT_START=$(runnable_others)
COMPILERS_AT_START=$(compilers)

# ---------------------------------------------------------------- what is measured
COMMIT=$(git rev-parse --short HEAD)
[ -z "$(git status --porcelain)" ] || COMMIT="$COMMIT-dirty"
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin social-mission-api
  BIN=target/release/social-mission-api
  BIN_FROM="built by this script from the tree"
else
  BIN_FROM="given as BIN=$BIN, built $(date -r "$BIN" '+%Y-%m-%d %H:%M')"
fi
BIN_SHA=$(sha256sum "$BIN" | cut -c1-12)

# ---------------------------------------------------------------- our database: seeded, vacuumed
SEEDED="seeded by bench/run.sh: realistic abstracts, time-ordered ids"
made_by=$(psql "$SERVER/postgres" -tAc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$DB'")
if [ -n "$(psql "$SERVER/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ] && [ "$made_by" != "$SEEDED" ]; then
  log "dropping $DB: seeded by an older generator"
  psql "$SERVER/postgres" -qc "DROP DATABASE \"$DB\""
fi
DATABASE_URL="$URL" "$BIN" migrate
have=$(psql "$URL" -tAc "SELECT count(*) FROM resources")
if [ "$have" -lt "$N" ]; then
  log "seeding $((N - have)) resources into $DB"
  DATABASE_URL="$URL" APP_ENV=development "$BIN" seed --demo --resources $((N - have))
  psql "$URL" -qc "COMMENT ON DATABASE \"$DB\" IS '$SEEDED'"
fi
psql "$URL" -qc "VACUUM ANALYZE"
psql "$URL" -tAc "SELECT slug FROM resources WHERE status = 'published' ORDER BY md5(id::text) LIMIT 1000" > "$OUT/slugs-1000.txt"
psql "$URL" -tAc "SELECT slug FROM resources WHERE status = 'published'" > "$OUT/slugs-all.txt"
# The cold searches' queries: up to 20,000 distinct two- and three-word queries each, of the
# library's commonest title words, matching 1-5% (queries.txt) and 20% or more (queries-broad.txt) of it.
python3 bench/queries.py "$URL" "$OUT/queries.txt" "$OUT/queries-broad.txt" | tee "$OUT/queries.log"
OURS_ROWS=$(psql "$URL" -tAc "SELECT count(*) || ' resources, ' || count(*) FILTER (WHERE status = 'published') || ' published' FROM resources")

# ---------------------------------------------------------------- our server (restarted for the cold questions)
OURS_PID=""
PASS_PID=""
stop_ours() { if [ -n "$OURS_PID" ]; then kill "$OURS_PID" 2>/dev/null || true; wait "$OURS_PID" 2>/dev/null || true; OURS_PID=""; fi; }
start_ours() {
  local learnt
  learnt=$(grep -c "written words learnt" "$OUT/server.log" 2>/dev/null || true)
  DATABASE_URL="$URL" PORT="$PORT" RUST_LOG=warn,social_mission_api::index=info DATABASE_POOL_SIZE="$POOL_SIZE" \
    RATE_LIMIT_READS_PER_MINUTE=100000000 RATE_LIMIT_FORMS_PER_MINUTE=100000000 RATE_LIMIT_PARTNER_PER_MINUTE=100000000 \
    RATE_LIMIT_SUGGEST_PER_MINUTE=100000000 \
    "$BIN" serve >> "$OUT/server.log" 2>&1 &
  OURS_PID=$!
  until curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do
    kill -0 "$OURS_PID" 2>/dev/null || { echo "our server died; see $OUT/server.log" >&2; exit 1; }
    sleep 0.1
  done
  # The written words (typo tolerance) are learnt in the background after the load: Postgres
  # parses the whole library for seconds, which no measurement may overlap.
  until [ "$(grep -c "written words learnt" "$OUT/server.log" || true)" -gt "${learnt:-0}" ]; do
    kill -0 "$OURS_PID" 2>/dev/null || { echo "our server died; see $OUT/server.log" >&2; exit 1; }
    sleep 0.2
  done
}
restart_ours() { stop_ours; start_ours; sleep "$SETTLE"; }
cleanup() {
  stop_ours
  if [ -n "$PASS_PID" ]; then kill "$PASS_PID" 2>/dev/null || true; wait "$PASS_PID" 2>/dev/null || true; fi
  rm -f "$OUT"/rss.tmp "$OUT"/ticks0.tmp "$OUT"/ticks1.tmp
  if [ "${ANCHOR_STARTED:-0}" = 1 ] && [ "${KEEP_ANCHOR:-0}" != 1 ]; then "$ANCHOR_DIR/setup.sh" stop || true; fi
}
trap cleanup EXIT
: > "$OUT/server.log"
start_ours

B="http://127.0.0.1:$PORT/api/v1"
declare -A OURS=(
  [detail_warm]="-s bench/detail.lua $B"
  [detail_cold]="-s bench/detail.lua $B"
  [list]="-s bench/list.lua $B"
  [list_p1]="-s bench/list.lua $B"
  [taxonomy]="$B/taxonomy"
  [search]="$B/resources?q=$(urlq "$SEARCH_Q")"
  [search_cold]="-s bench/search.lua $B"
  [search_cold_broad]="-s bench/search.lua $B"
  [search_broad]="$B/resources?q=$(urlq "$BROAD_Q")"
  [search_page]="$B/resources?q=$(urlq "$SEARCH_Q")&open_access=true&include=facets"
  [search_prefix]="$B/resources?q=$(urlq "$PREFIX_Q")&prefix=true"
  [search_typo]="$B/resources?q=$(urlq "$TYPO_Q")&typo=true&prefix=true"
  [search_highlight]="$B/resources?q=$(urlq "$SEARCH_Q")&highlight=true"
  [suggest]="-s bench/suggest.lua $B"
)
declare -A OURS_SLUGS=([detail_warm]="$OUT/slugs-1000.txt" [detail_cold]="$OUT/slugs-all.txt")
total() { curl -fsS "$B/resources?q=$(urlq "$1")&per_page=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["meta"]["total"])'; }
OURS_PUBLISHED=$(curl -fsS "$B/resources?per_page=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["meta"]["total"])')
SEARCH_N=$(total "$SEARCH_Q")
BROAD_N=$(total "$BROAD_Q")

# ---------------------------------------------------------------- the passthrough: its cluster, data and server
declare -A PASS=()
declare -A PASS_SLUGS=()
PASS_ROWS="not measured (ANCHOR=0)"
if [ "$ANCHOR" = 1 ]; then
  pg_isready -h /tmp -p 55433 -q || ANCHOR_STARTED=1
  N="$N" ANCHOR_DB="$ANCHOR_DB" "$ANCHOR_DIR/setup.sh" 2> "$OUT/anchor-setup.log" || { cat "$OUT/anchor-setup.log" >&2; exit 1; }
  # Its own crate and target dir (bench/anchor/passthrough/target), whatever CARGO_TARGET_DIR says.
  (cd "$ANCHOR_DIR/passthrough" && CARGO_TARGET_DIR="$ANCHOR_DIR/passthrough/target" cargo build --release -q)
  APSQL=(psql -h /tmp -p 55433 -U postgres -X "$ANCHOR_DB" -tA)
  "${APSQL[@]}" -c "SELECT slug FROM resources WHERE published ORDER BY md5(id::text) LIMIT 1000" > "$OUT/anchor-slugs-1000.txt"
  "${APSQL[@]}" -c "SELECT slug FROM resources WHERE published" > "$OUT/anchor-slugs-all.txt"
  amatch() { "${APSQL[@]}" -c "SELECT count(*) FROM resources WHERE published AND search @@ websearch_to_tsquery('english', \$\$$1\$\$)"; }
  PASS_ROWS="$("${APSQL[@]}" -c "SELECT count(*) || ' resources, ' || count(*) FILTER (WHERE published) || ' published' FROM resources") (database $ANCHOR_DB); \`$SEARCH_Q\` matches $(amatch "$SEARCH_Q"), \`$BROAD_Q\` $(amatch "$BROAD_Q")"
  DATABASE_URL="host=/tmp port=55433 user=postgres dbname=$ANCHOR_DB" POOL=10 WORKERS=2 PGRST_TX=0 BIND="127.0.0.1:$PASS_PORT" \
    "$ANCHOR_DIR/passthrough/target/release/pgpass" 2> "$OUT/passthrough.log" &
  PASS_PID=$!
  until curl -s -o /dev/null "http://127.0.0.1:$PASS_PORT/"; do sleep 0.1; done
  P="http://127.0.0.1:$PASS_PORT"
  PASS=(
    [detail_warm]="-s bench/anchor/wrk/detail.lua $P"
    [detail_cold]="-s bench/anchor/wrk/detail.lua $P"
    [list]="-s bench/anchor/wrk/list.lua $P"
    [list_p1]="-s bench/anchor/wrk/list.lua $P"
    [search]="$P/rpc/search_resources?q=$(urlq "$SEARCH_Q")"
    [search_cold]="-s bench/search.lua $P"
    [search_cold_broad]="-s bench/search.lua $P"
    [search_broad]="$P/rpc/search_resources?q=$(urlq "$BROAD_Q")"
    [search_page]="$P/rpc/search_page?q=$(urlq "$SEARCH_Q")&open_access=true"
  )
  PASS_SLUGS=([detail_warm]="$OUT/anchor-slugs-1000.txt" [detail_cold]="$OUT/anchor-slugs-all.txt")
fi

targets_for() { if [ -n "${PASS[$1]:-}" ]; then echo "ours passthrough"; else echo ours; fi; }
args_for() { if [ "$1" = ours ]; then echo "${OURS[$2]}"; else echo "${PASS[$2]}"; fi; }
queries_for() { if [ "$1" = search_cold_broad ]; then echo "$OUT/queries-broad.txt"; else echo "$OUT/queries.txt"; fi; }
pages_for() { if [ "$1" = list_p1 ]; then echo 1; else echo 200; fi; }
search_path_for() { if [ "$1" = ours ]; then echo "/api/v1/resources?q="; else echo "/rpc/search_resources?q="; fi; }
slugs_for() { if [ "$1" = ours ]; then echo "${OURS_SLUGS[$2]:-/dev/null}"; else echo "${PASS_SLUGS[$2]:-/dev/null}"; fi; }

# One request of each question per target, kept as a sample: status and size show both answer.
: > "$OUT/samples.txt"
for q in $QUESTIONS; do for t in $(targets_for "$q"); do
  read -r -a a <<< "$(args_for "$t" "$q")"
  url=${a[-1]}
  case $q in
    detail_*) if [ "$t" = ours ]; then url="$url/resources/$(head -1 "$(slugs_for "$t" "$q")")";
              else url="$url/resources?select=id,slug,title&slug=eq.$(head -1 "$(slugs_for "$t" "$q")")"; fi ;;
    search_cold*) url="$url$(search_path_for "$t")$(head -1 "$(queries_for "$q")")" ;;
    list*) if [ "$t" = ours ]; then url="$url/resources?domain=community-engagement&topic=specialty-choice&page=2";
          else url="$url/rpc/list_resources?domain=3&topic=3&page=2"; fi ;;
  esac
  curl -s -o /dev/null -w "$t $q: HTTP %{http_code}, %{size_download} bytes, $url\n" "$url" >> "$OUT/samples.txt"
done; done

echo -e "target\tquestion\tconn\trep\trps\tp50\tp99\terrors\trss_kb\tload1\trunq\tcompilers\tother_cores" > "$OUT/raw.tsv"

measure() { # target question-row conn rep wrk-question
  local t=$1 row=$2 c=$3 r=$4 q=$5 f="$OUT/wrk.$1.$2.c$3.$4.txt" pid load1 runq comp sampler b0 b1 w0 w1 t0 t1 cu cs wall other
  local rps p50 p99 err rss
  if [ "$t" = ours ]; then pid=$OURS_PID; else pid=$PASS_PID; fi
  load1=$(cut -d' ' -f1 /proc/loadavg)
  runq=$(runnable_others)
  comp=$(compilers)
  ( while kill -0 "$pid" 2>/dev/null; do awk '/VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null; sleep 0.25; done ) > "$OUT/rss.tmp" &
  sampler=$!
  bench_ticks > "$OUT/ticks0.tmp"; b0=$(busy_ticks); t0=$(date +%s.%N)
  TIMEFORMAT='%U %S'
  # shellcheck disable=SC2046
  { time SLUGS=$(slugs_for "$t" "$q") PAGES=$(pages_for "$q") QUERIES=$(queries_for "$q") SEARCH_PATH=$(search_path_for "$t") wrk -t2 -c"$c" -d"${DUR}s" --timeout 10s --latency $(args_for "$t" "$q") > "$f" 2>&1 ; } 2> "$f.time"
  b1=$(busy_ticks); t1=$(date +%s.%N); bench_ticks > "$OUT/ticks1.tmp"
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  [ -n "$comp" ] || comp=$(compilers)
  read -r cu cs < "$f.time"
  wall=$(echo "$t1 - $t0" | bc -l)
  # Ticks of the bench's processes during the run (a process born during it counts from zero).
  w0=$(awk 'NR == FNR { a[$1] = $2; next } { s += $2 - ($1 in a ? a[$1] : 0) } END { print s + 0 }' "$OUT/ticks0.tmp" "$OUT/ticks1.tmp")
  w1=$(echo "($cu + $cs) * $CLK" | bc -l)
  other=$(echo "x = ($b1 - $b0 - $w0 - $w1) / $CLK / $wall; if (x < 0) x = 0; scale = 2; x / 1" | bc -l)
  rps=$(awk '/^Requests\/sec/{print $2}' "$f")
  p50=$(awk '$1=="50%"{print $2}' "$f")
  p99=$(awk '$1=="99%"{print $2}' "$f")
  err=$(awk '/Non-2xx/{n+=$NF} /Socket errors/{gsub(",","");n+=$4+$6+$8+$10} END{print n+0}' "$f")
  rss=$(sort -n "$OUT/rss.tmp" | tail -1)
  echo -e "$t\t$row\t$c\t$r\t${rps:-0}\t${p50:-NA}\t${p99:-NA}\t$err\t${rss:-0}\t$load1\t$runq\t${comp:--}\t$other" >> "$OUT/raw.tsv"
  log "$t $row c$c rep $r: ${rps:-?} req/s, p50 ${p50:-?}, p99 ${p99:-?}, errors $err, RSS ${rss:-?} kB; before: load $load1, others runnable $runq, compilers ${comp:-none}; others used $other cores"
}

# ---------------------------------------------------------------- measure, interleaved run by run
for r in $(seq 1 "$REPS"); do
  for q in $QUESTIONS; do
    [ -n "${OURS[$q]:-}" ] || { echo "unknown question $q" >&2; exit 1; }
    case $q in
      detail_cold | list | list_p1 | search_cold | search_cold_broad) ;;
      *) # a warm question: warm both servers up on it first (our caches, pools, prepared statements)
        for t in $(targets_for "$q"); do
          # shellcheck disable=SC2046
          SLUGS=$(slugs_for "$t" "$q") wrk -t2 -c32 -d"${WARMUP}s" $(args_for "$t" "$q") > /dev/null 2>&1
        done ;;
    esac
    for c in $CONNS; do
      for t in $(targets_for "$q"); do
        case $q in
          detail_cold | search_cold | search_cold_broad)
            if [ "$t" = ours ]; then restart_ours; fi
            measure "$t" "$q" "$c" "$r" "$q" ;;
          list)
            if [ "$t" = ours ]; then restart_ours; fi
            measure "$t" list_cold "$c" "$r" "$q"
            measure "$t" list_warm "$c" "$r" "$q" ;;
          list_p1)
            if [ "$t" = ours ]; then restart_ours; fi
            measure "$t" list_p1_cold "$c" "$r" "$q" ;;
          *) measure "$t" "$q" "$c" "$r" "$q" ;;
        esac
      done
    done
  done
done
stop_ours
if [ -n "$PASS_PID" ]; then kill "$PASS_PID" 2>/dev/null || true; wait "$PASS_PID" 2>/dev/null || true; PASS_PID=""; fi

# ---------------------------------------------------------------- the export, REPS times (its own server each time)
echo -e "format\trep\tseconds\tpeak_rss_mb\trunq" > "$OUT/export.tsv"
if [ "$EXPORT" = 1 ]; then
  for r in $(seq 1 "$REPS"); do
    runq=$(runnable_others)
    BIN="$BIN" N="$N" BENCH_DB="$DB" POOL_SIZE="$POOL_SIZE" bash bench/export.sh > "$OUT/export.$r.txt" 2>&1 \
      || log "export rep $r failed: see $OUT/export.$r.txt"
    # "ndjson: 1.86 s, 70 MB, 91826 lines; RSS now 61 MB, peak 68 MB"
    awk -v r="$r" -v q="$runq" '/^(ndjson|csv): / { sub(":", "", $1); print $1 "\t" r "\t" $2 "\t" $(NF-1) "\t" q }' "$OUT/export.$r.txt" >> "$OUT/export.tsv"
    log "export rep $r: $(grep -E '^(ndjson|csv):' "$OUT/export.$r.txt" | paste -sd' ')"
  done
fi

# ---------------------------------------------------------------- the table
{
  echo "Commit $COMMIT; binary $BIN ($BIN_FROM, sha256 $BIN_SHA). $(date '+%Y-%m-%d %H:%M %Z'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)), $(psql "$URL" -tAc 'SHOW server_version' | cut -d' ' -f1)."
  echo "Ours: $OURS_ROWS in $DB ($OURS_PUBLISHED served), \`$SEARCH_Q\` matches $SEARCH_N, \`$BROAD_Q\` $BROAD_N; cold searches: $(cat "$OUT/queries.log"). Passthrough: $PASS_ROWS."
  if [ "$ANCHOR" = 1 ]; then how="the passthrough's run right after ours, same question and connections"; else how="ours only (ANCHOR=0)"; fi
  echo "wrk -t2, ${DUR} s a run, medians of $REPS run(s); $how."
  echo "When the script started (before building and seeding): load average $LOAD_AT_START, others runnable $RUNQ_AT_START, compilers: ${COMPILERS_AT_START:-none}."
  echo
} > "$OUT/summary.md"
python3 - "$OUT/raw.tsv" "$OUT/export.tsv" "$LOAD_AT_START" >> "$OUT/summary.md" <<'PY'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
exports = list(csv.DictReader(open(sys.argv[2]), delimiter='\t'))
load_at_start = float(sys.argv[3])
NAN = float('nan')
def ms(v):
    for unit, f in (('us', 1e-3), ('ms', 1), ('s', 1e3)):
        if v.endswith(unit):
            return float(v[:-len(unit)]) * f
    return NAN
def med(xs):
    xs = [x for x in xs if x == x]
    return st.median(xs) if xs else NAN
g = {}
for r in rows:
    g.setdefault((r['question'], r['conn'], r['target']), []).append(r)

def disturbed(rs):
    """Why these runs may be low: another process competed before or during them."""
    why, compilers = set(), set()
    for r in rs:
        if r['compilers'] != '-':
            compilers.update(r['compilers'].split(','))
        if float(r['runq']) > 0.5:
            why.add('others runnable before a run (up to %s)' % max(x['runq'] for x in rs))
        if float(r['other_cores']) > 0.25:
            why.add('others used up to %.2f cores' % max(float(x['other_cores']) for x in rs))
    return (['compilers ran: ' + ', '.join(sorted(compilers))] if compilers else []) + sorted(why)

# question: (target text, test(c, rps, p99, ratio) -> bool or None when the row has no target)
TARGETS = {
    'detail_warm': ('–', lambda c, rps, p99, ratio: None),
    'detail_cold': ('≥ 0.8× passthrough', lambda c, rps, p99, ratio: ratio >= 0.8 if ratio == ratio else None),
    'list_cold': ('≥ 0.8× passthrough, p99 < 20 ms',
                  lambda c, rps, p99, ratio: (ratio >= 0.8 if ratio == ratio else True) and p99 < 20),
    'list_warm': ('p99 < 20 ms', lambda c, rps, p99, ratio: p99 < 20),
    'list_p1_cold': ('≥ 0.8× passthrough, p99 < 20 ms',
                     lambda c, rps, p99, ratio: (ratio >= 0.8 if ratio == ratio else True) and p99 < 20),
    'taxonomy': ('≥ 30,000 req/s', lambda c, rps, p99, ratio: rps >= 30000),
    'search': (None, lambda c, rps, p99, ratio: rps >= 2000 and (c != '32' or p99 < 25)),
    'search_cold': (None, lambda c, rps, p99, ratio: rps >= 2000 and (c != '32' or p99 < 25)),
    'search_broad': (None, lambda c, rps, p99, ratio: rps >= 1000 and (c != '32' or p99 < 50)),
    'search_cold_broad': (None, lambda c, rps, p99, ratio: rps >= 1000 and (c != '32' or p99 < 50)),
    'search_page': ('≥ 1,000 req/s', lambda c, rps, p99, ratio: rps >= 1000),
    'search_prefix': ('as fast as search', lambda c, rps, p99, ratio: None),
    'search_typo': ('–', lambda c, rps, p99, ratio: None),
    'search_highlight': ('–', lambda c, rps, p99, ratio: None),
    'suggest': ('≥ 5,000 req/s, p99 < 10 ms', lambda c, rps, p99, ratio: rps >= 5000 and (c != '32' or p99 < 10)),
}
def target_text(q, c):
    if q in ('search', 'search_cold'):
        return '≥ 2,000 req/s, p99 < 25 ms' if c == '32' else '≥ 2,000 req/s'
    if q in ('search_broad', 'search_cold_broad'):
        return '≥ 1,000 req/s, p99 < 50 ms (2× search)' if c == '32' else '≥ 1,000 req/s (2× search)'
    return TARGETS[q][0]

print('| question | conn | ours req/s | p50 ms | p99 ms | passthrough req/s | ratio | target | met | notes |')
print('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
warned = []
conns = sorted({r['conn'] for r in rows}, key=int)
for q in TARGETS:
    for c in conns:
        o = g.get((q, c, 'ours'), [])
        if not o:
            continue
        p = g.get((q, c, 'passthrough'), [])
        rps = med([float(r['rps']) for r in o])
        p50 = med([ms(r['p50']) for r in o])
        p99 = med([ms(r['p99']) for r in o])
        prps = med([float(r['rps']) for r in p]) if p else NAN
        ratio = rps / prps if prps == prps and prps > 0 else NAN
        errors = sum(int(r['errors']) for r in o)
        perrors = sum(int(r['errors']) for r in p)
        met = TARGETS[q][1](c, rps, p99, ratio)
        notes = []
        if len(o) > 1:
            notes.append('runs ' + ' / '.join(f"{float(r['rps']):,.0f}" for r in o))
        if errors:
            notes.append(f'{errors} errors (non-2xx or socket): not valid')
            met = False if met is not None else None
        if perrors:
            notes.append(f'passthrough {perrors} errors')
        why = disturbed(o + p)
        if why:
            notes.append('⚠ ' + '; '.join(why))
            warned.append(f'{q} c{c}')
        shown = '–' if met is None else ('yes' if met else '**NO**')
        print(f"| {q} | {c} | {rps:,.0f} | {p50:.2f} | {p99:.2f} | "
              + (f"{prps:,.0f} | {ratio:.2f}" if prps == prps else '– | –')
              + f" | {target_text(q, c)} | {shown} | {'; '.join(notes)} |")
ours = [r for r in rows if r['target'] == 'ours']
if ours:
    peak = max(int(r['rss_kb']) for r in ours) / 1024
    print(f"| peak RSS, ours | all | | | | | | ≤ 60 MB | {'yes' if peak <= 60 else '**NO**'} | {peak:.1f} MB, sampled every 0.25 s during every run |")
for fmt in ('ndjson', 'csv'):
    e = [r for r in exports if r['format'] == fmt]
    if not e:
        continue
    secs = med([float(r['seconds']) for r in e])
    note = 'runs ' + ' / '.join(r['seconds'] for r in e) + ' s; peak RSS %s MB' % max(int(r['peak_rss_mb']) for r in e)
    if any(float(r['runq']) > 0.5 for r in e):
        note += '; ⚠ others runnable before a run'
        warned.append(f'export {fmt}')
    print(f"| export {fmt} | 1 | | | | | | < 2 s | {'yes' if secs < 2 else '**NO**'} | {secs:.2f} s median; {note} |")
print()
if load_at_start > 0.5:
    print(f'⚠ **The load average was {load_at_start} when the bench started**: another process was using the machine.')
if warned:
    print(f'⚠ **Another process competed during {len(warned)} row(s)** ({", ".join(warned)}): read those figures as low bounds, not as the service\'s.')
else:
    print('No other process was seen competing: no compiler, no runnable task of others before a run, under 0.25 cores used by others during each run.')
print('The 1-minute load average before each run is in raw.tsv; after the first run it mostly shows the bench\'s own load, so the warnings use the runnable tasks just before a run and the CPU others used during it.')
PY
cat "$OUT/summary.md"
