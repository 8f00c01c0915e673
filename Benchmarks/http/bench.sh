#!/usr/bin/env bash
# make bench-http: the order-router API under load (release build).
#
# Part 1 — options under load: keel serve on a generated retailer with 50 nodes that ship to
# customers (46 stores, all shipping from store, + 2 DCs + the drop-ship vendor + the 3PL;
# `keel-bench retailer --ship-from-every-store`), imported and forecast; wrk sends POST /v1/sourcing/options with
# pre-generated orders of 1-5 lines (random in-stock SKUs, random zones) over 64 connections
# while `keel plan` runs in a loop against the same database. Two phases: paced at 2,000
# decisions/s offered (open loop, options.lua's delay()) for the latency target, then
# unpaced (closed loop: every connection sends as soon as it has its answer) for the most
# decisions/s. With 64 connections always busy a closed loop's mean latency is 64 / throughput
# (Little's law), so its p99 is not the latency target. Prints p50/p90/p99, decisions/s,
# non-2xx and socket errors and the plan runs committed during each phase. Targets: p99 <= 5 ms
# at 2,000/s, >= 2,000 decisions/s, no errors.
# Part 1b — the peer for the latency target: reference_server.py (two processes, no database, no
# sourcing: a fixed answer of Keel's answer size after burning a set CPU time per request) under the
# same paced load while the same planning loop runs, at several CPU costs per answer, beside Keel's
# own measured CPU per decision, and keel serve itself answering GET /openapi.json (a fixed
# document: Hummingbird's and the kernel's share of a request, no sourcing) at the same rate. It
# shows what p99 any server needing that much CPU gets here.
# Part 2 — reservation storm: storm.py sends 10,000 concurrent reserve / reject / cancel
# requests on 3 hot SKUs (about 20 % replaying an earlier Idempotency-Key), then checks the
# ledger in SQL; a violated invariant fails the bench.
#
# Knobs (environment): BENCH_HTTP_STORES (46), BENCH_HTTP_SKUS (300), BENCH_HTTP_DAYS (240), BENCH_HTTP_SECONDS (30),
# BENCH_HTTP_RATE (2000), BENCH_HTTP_SATURATED_SECONDS (15),
# BENCH_HTTP_THREADS (wrk threads, 1), BENCH_HTTP_CONNECTIONS (64), BENCH_HTTP_STORM (10000),
# BENCH_HTTP_PLAN_NICE (nice level of the planning loop, 0 = same priority as the server),
# BENCH_HTTP_PLANNER (1; 0 = no planning loop, the server alone beside wrk),
# BENCH_HTTP_REFERENCE (reference server CPU costs in µs per answer, "0 100 200 450"; "" = skip part 1b),
# BENCH_HTTP_REFERENCE_SECONDS (15).
set -euo pipefail
cd "$(dirname "$0")/../.."
KEEL=$PWD/.build/release/keel
BENCH=$PWD/.build/release/keel-bench
OUT=$PWD/.build/bench-http
SKUS=${BENCH_HTTP_SKUS:-300} DAYS=${BENCH_HTTP_DAYS:-240}
SECONDS_LOAD=${BENCH_HTTP_SECONDS:-30} THREADS=${BENCH_HTTP_THREADS:-1} CONNECTIONS=${BENCH_HTTP_CONNECTIONS:-64}
STORM=${BENCH_HTTP_STORM:-10000} PLAN_NICE=${BENCH_HTTP_PLAN_NICE:-0} WITH_PLANNER=${BENCH_HTTP_PLANNER:-1}
RATE=${BENCH_HTTP_RATE:-2000} SECONDS_SAT=${BENCH_HTTP_SATURATED_SECONDS:-15}
REFERENCE=${BENCH_HTTP_REFERENCE-0 100 200 450} SECONDS_REF=${BENCH_HTTP_REFERENCE_SECONDS:-15}
PORT=${BENCH_HTTP_PORT:-18787}
STORES=${BENCH_HTTP_STORES:-46}
DATA=$OUT/retailer-allship-${STORES}x2x${SKUS}x${DAYS}
BASE=$OUT/base-allship-${STORES}x${SKUS}x${DAYS}.sqlite
DB=$OUT/load.sqlite
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "bench-http: wrk is not installed (make bench-deps)" >&2; exit 2; }
seconds() { python3 -c "import time,sys; print(f'{time.time()-float(sys.argv[1]):.1f}')" "$1"; }

# The prepared database (generate, import, forecast) is built once and copied for each run.
if [ ! -f "$BASE" ]; then
  if [ ! -f "$DATA/sales.csv" ]; then
    t=$(date +%s.%N); "$BENCH" retailer --out "$DATA" --stores "$STORES" --dcs 2 --skus "$SKUS" --days "$DAYS" --seed 42 --ship-from-every-store >/dev/null
    echo "generated $DATA in $(seconds "$t") s"
  fi
  rm -f "$BASE" "$BASE-wal" "$BASE-shm"
  "$KEEL" init --db "$BASE.tmp" >/dev/null
  t=$(date +%s.%N); "$KEEL" import --db "$BASE.tmp" "$DATA" >/dev/null; echo "import: $(seconds "$t") s"
  t=$(date +%s.%N); "$KEEL" forecast --db "$BASE.tmp" >/dev/null; echo "forecast: $(seconds "$t") s"
  sqlite3 "$BASE.tmp" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  mv "$BASE.tmp" "$BASE"; rm -f "$BASE.tmp-wal" "$BASE.tmp-shm"
fi
nodes=$(sqlite3 "$BASE" "SELECT COUNT(*) FROM locations WHERE can_ship_to_customer = 1")
echo "database: $(sqlite3 "$BASE" "SELECT COUNT(*) FROM locations") locations ($nodes ship to customers), $(sqlite3 "$BASE" "SELECT COUNT(*) FROM items") SKUs, $(sqlite3 "$BASE" "SELECT COUNT(*) FROM zones") zones"

fresh_db() { rm -f "$DB" "$DB-wal" "$DB-shm"; cp "$BASE" "$DB"; }
SERVER=""
PLANNER=""
REFERENCE_PIDS=""
cleanup() {
  [ -n "$PLANNER" ] && touch "$OUT/stop-planning" && wait "$PLANNER" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  [ -n "$REFERENCE_PIDS" ] && kill $REFERENCE_PIDS 2>/dev/null || true
}
# cpu_ticks PID…: user + system CPU of the processes so far, in clock ticks.
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
trap cleanup EXIT
start_server() {
  "$KEEL" serve --db "$DB" --port "$PORT" 2>"$OUT/serve.log" &
  SERVER=$!
  for _ in $(seq 1 200); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER" 2>/dev/null || { cat "$OUT/serve.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "bench-http: keel serve did not answer /healthz" >&2; exit 1
}
stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""; }

# ---------------------------------------------------------------------------------------------
echo; echo "== part 1: POST /v1/sourcing/options under load, keel plan writing the same database"
fresh_db
KEY=$("$KEEL" keys create --db "$DB" --role router 2>/dev/null)
python3 Benchmarks/http/bodies.py "$DB" "$OUT/bodies.jsonl" 4000 42
"$KEEL" plan --db "$DB" >/dev/null   # warm: the first plan run of this copy
start_server
# Warm the server (page cache, first-use paths) for 3 s; not measured.
KEEL_BENCH_KEY=$KEY KEEL_BENCH_BODIES=$OUT/bodies.jsonl wrk -t1 -c8 -d3s -s Benchmarks/http/options.lua \
  "http://127.0.0.1:$PORT/v1/sourcing/options" >/dev/null
rm -f "$OUT/stop-planning" "$OUT/plan-loop.log"
if [ "$WITH_PLANNER" = 1 ]; then
  ( while [ ! -f "$OUT/stop-planning" ]; do
      nice -n "$PLAN_NICE" "$KEEL" plan --db "$DB" >/dev/null 2>>"$OUT/plan-loop.log" || echo "plan failed" >>"$OUT/plan-loop.log"
    done ) &
  PLANNER=$!
  sleep 0.5
fi
# runs_since RUN: plan runs (replenishment + transfers in one transaction) committed after run id RUN.
runs_since() { sqlite3 "$DB" "SELECT COUNT(*) FROM runs WHERE kind = 'replenishment' AND status = 'succeeded' AND run_id > $1"; }
failed_since() { sqlite3 "$DB" "SELECT COUNT(*) FROM runs WHERE kind IN ('replenishment','transfers') AND status = 'failed' AND run_id > $1"; }
load() {  # load NAME RATE SECONDS [PORT PID…]: wrk against keel serve (or the reference server on PORT)
  local name=$1 rate=$2 secs=$3 port=${4:-$PORT}; shift 3; [ $# -gt 0 ] && shift
  local pids=${*:-$SERVER}
  local before; before=$(sqlite3 "$DB" "SELECT IFNULL(MAX(run_id), 0) FROM runs")
  local cpu0; cpu0=$(cpu_ticks $pids)
  KEEL_BENCH_KEY=$KEY KEEL_BENCH_BODIES=$OUT/bodies.jsonl KEEL_BENCH_RATE=$rate KEEL_BENCH_THREADS=$THREADS \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 10s --latency -s Benchmarks/http/options.lua \
    "http://127.0.0.1:$port/v1/sourcing/options" > "$OUT/wrk-$name.txt"
  echo "$(runs_since "$before") $(failed_since "$before") $(( $(cpu_ticks $pids) - cpu0 )) $(getconf CLK_TCK)" > "$OUT/wrk-$name.plans"
}
answer_bytes=$(head -1 "$OUT/bodies.jsonl" | curl -s -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \
  --data-binary @- "http://127.0.0.1:$PORT/v1/sourcing/options" | wc -c)
load paced "$RATE" "$SECONDS_LOAD"
load saturated 0 "$SECONDS_SAT"
[ -n "$REFERENCE" ] && KEEL_BENCH_GET=/openapi.json load floor "$RATE" "$SECONDS_REF"
stop_server
# Part 1b: the reference server at each CPU cost, paced like Keel, the planning loop still running.
for burn in $REFERENCE; do
  rport=$((PORT + 1))
  REFERENCE_PIDS=""
  for _ in 1 2; do python3 Benchmarks/http/reference_server.py "$rport" "$answer_bytes" "$burn" & REFERENCE_PIDS="$REFERENCE_PIDS $!"; done
  for _ in $(seq 1 100); do curl -sf -X POST "http://127.0.0.1:$rport/" >/dev/null 2>&1 && break; sleep 0.1; done
  KEEL_BENCH_KEY=$KEY KEEL_BENCH_BODIES=$OUT/bodies.jsonl wrk -t1 -c8 -d2s -s Benchmarks/http/options.lua \
    "http://127.0.0.1:$rport/v1/sourcing/options" >/dev/null
  load "reference-$burn" "$RATE" "$SECONDS_REF" "$rport" $REFERENCE_PIDS
  kill $REFERENCE_PIDS; wait $REFERENCE_PIDS 2>/dev/null || true; REFERENCE_PIDS=""
done
if [ -n "$PLANNER" ]; then touch "$OUT/stop-planning"; wait "$PLANNER" 2>/dev/null || true; PLANNER=""; fi
cp "$OUT/serve.log" "$OUT/serve-part1.log"
python3 - "$OUT" "$THREADS" "$CONNECTIONS" "$RATE" "$WITH_PLANNER" "$REFERENCE" "$answer_bytes" <<'PY'
import re, sys
out, threads, conns, rate, planner, reference, answer_bytes = sys.argv[1:8]
def result(name, quiet=False):
    text = open(f"{out}/wrk-{name}.txt").read()
    m = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", text.split("RESULT", 1)[1].splitlines()[0])}
    plans, failed, ticks, hz = open(f"{out}/wrk-{name}.plans").read().split()
    n, dur = m["requests"], m["duration_us"] / 1e6
    m["cpu_ms"] = int(ticks) / int(hz) * 1000 / max(n, 1)
    errs = m["connect"] + m["read"] + m["write"] + m["timeout"]
    if not quiet:
        print(f"  {name}: {dur:.1f} s, {n:.0f} decisions = {n / dur:.0f}/s; latency p50 {m['p50_us']/1000:.2f} ms, p90 {m['p90_us']/1000:.2f} ms, "
              f"p99 {m['p99_us']/1000:.2f} ms, max {m['max_us']/1000:.1f} ms; non-2xx {m['non2xx']:.0f}; socket errors {errs:.0f} "
              f"(connect {m['connect']:.0f}, read {m['read']:.0f}, write {m['write']:.0f}, timeout {m['timeout']:.0f}); "
              f"server CPU {m['cpu_ms']:.3f} ms per decision; plan runs committed during it: {plans} (failed {failed})")
    return m, n / dur, errs
print(f"\noptions under load (wrk -t{threads} -c{conns}, " + ("keel plan looping on the same database" if planner == "1" else "NO planning loop: the server alone") + "):")
paced, paced_rps, paced_errs = result("paced")
sat, sat_rps, sat_errs = result("saturated")
ok = paced["p99_us"] <= 5000 and paced_rps >= 0.98 * float(rate) and float(rate) >= 2000 and paced["non2xx"] == 0 and paced_errs == 0 \
     and sat_rps >= 2000 and sat["non2xx"] == 0 and sat_errs == 0
print(f"  targets (at {rate}/s offered: p99 <= 5 ms, the rate served, no errors; saturated: >= 2,000 decisions/s, no errors): "
      f"{'met' if ok else 'NOT met'}")
open(f"{out}/part1.verdict", "w").write("met" if ok else "not met")
if reference.split():
    print(f"\npeer for the latency target: reference_server.py (2 processes, a fixed {answer_bytes}-byte answer, no database, no sourcing), "
          f"paced at {rate}/s like Keel, " + ("the same planning loop running" if planner == "1" else "no planning loop") + ":")
    print(f"  {'server':<36}{'CPU ms/answer':>14}{'served/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    rows = [("keel serve (the paced run above)", paced, paced_rps)]
    m, rps, _ = result("floor", quiet=True)
    rows.append(("keel serve, GET /openapi.json", m, rps))
    for burn in reference.split():
        m, rps, _ = result(f"reference-{burn}", quiet=True)
        rows.append((f"reference, {burn} µs burnt per answer", m, rps))
    for label, m, rps in rows:
        print(f"  {label:<36}{m['cpu_ms']:>14.3f}{rps:>10.0f}{m['p50_us']/1000:>9.2f}{m['p99_us']/1000:>9.2f}")
PY

# ---------------------------------------------------------------------------------------------
echo; echo "== part 2: reservation storm ($STORM requests, 64 connections)"
fresh_db
KEY=$("$KEEL" keys create --db "$DB" --role router 2>/dev/null)
start_server
set +e
python3 Benchmarks/http/storm.py "http://127.0.0.1:$PORT" "$KEY" "$DB" --requests "$STORM" --connections 64 --seed 42
storm=$?
set -e
stop_server
echo
echo "part 1 targets: $(cat "$OUT/part1.verdict"); part 2 invariants: $([ $storm = 0 ] && echo held || echo VIOLATED)"
exit $storm
