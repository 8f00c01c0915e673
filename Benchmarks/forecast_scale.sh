#!/usr/bin/env bash
# make bench-forecast-scale: the forecasting issue's scale target — an M5-sized panel (30,490
# series × 1,941 days, the `keel-bench demand-load` history) from the database to a written
# forecast run (horizon 28, quantiles 0.5, 0.9, 0.95, 0.99) in ≤ 120 s with peak memory ≤ 4 GiB.
#
# The history database is built once and cached under .build/bench-forecast-scale/ (building it
# takes a few minutes: 59.2M series-days written through DemandHistory.writeSeries); every run
# forecasts a fresh copy of it, so runs do not accumulate forecast rows. Prints wall time, peak
# resident memory, CPU use, series per second and the per-phase timings the run recorded.
# BENCH_FORECAST_SCALE_PRICED=1 adds prices and promotions to the copy (every series then carries
# price and promotion drivers). Extra `keel forecast` options: BENCH_FORECAST_SCALE_ARGS (e.g. "--max-history 1941"); another keel
# binary: BENCH_FORECAST_SCALE_KEEL.
# Release build. Run it under the machine's CPU lock when others are building.
set -euo pipefail
cd "$(dirname "$0")/.."
KEEL=${BENCH_FORECAST_SCALE_KEEL:-.build/release/keel}  # another binary to time (e.g. a copy of an earlier build)
BENCH=.build/release/keel-bench
SERIES=${BENCH_FORECAST_SCALE_SERIES:-30490} DAYS=${BENCH_FORECAST_SCALE_DAYS:-1941}
OUT=.build/bench-forecast-scale
BASE=$OUT/history-${SERIES}x${DAYS}.sqlite
DB=$OUT/run.sqlite
mkdir -p "$OUT"
for tool in "$KEEL" "$BENCH"; do [ -x "$tool" ] || { echo "missing $tool: build the release products keel and keel-bench first" >&2; exit 1; }; done
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (apt-get install time)" >&2; exit 1; }

if [ ! -f "$BASE" ]; then
  t=$(date +%s.%N)
  "$BENCH" demand-load --series "$SERIES" --days "$DAYS" --db "$BASE.partial" >/dev/null
  mv "$BASE.partial" "$BASE"
  echo "built the history database $BASE in $(python3 -c "import time,sys; print(f'{time.time()-float(sys.argv[1]):.0f}')" "$t") s (cached for later runs)"
fi
rm -f "$DB" "$DB-wal" "$DB-shm"
cp "$BASE" "$DB"
if [ -n "${BENCH_FORECAST_SCALE_PRICED:-}" ]; then
  # Prices and promotions, so that every series carries price and promotion drivers: a list price
  # per item and a 5 % rise on an item-dependent day; 35 one-week promotions per item (20 % off),
  # each at one store (6,098 price rows, 106,715 promotion rows on the default panel).
  sqlite3 "$DB" <<'SQL'
BEGIN;
INSERT INTO prices(item_key, channel, location_key, price, start_day, end_day)
  SELECT item_key, 'store', NULL, 5 + (item_key % 20), 15000, NULL FROM items;
INSERT INTO prices(item_key, channel, location_key, price, start_day, end_day)
  SELECT item_key, 'store', NULL, round((5 + (item_key % 20)) * 1.05, 2), 16000 + (item_key * 37) % 900, NULL FROM items;
WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 34)
INSERT INTO promotions(promo_id, item_key, channel, location_key, start_day, end_day, promo_price, discount_pct)
  SELECT 'P' || i.item_key || '-' || k.n, i.item_key, 'store', 1 + (i.item_key * 7 + k.n * 3) % 10,
         15002 + k.n * 56 + (i.item_key % 49), 15002 + k.n * 56 + (i.item_key % 49) + 6, NULL, 0.2
  FROM items i, k;
COMMIT;
SQL
  echo "added $(sqlite3 "$DB" 'SELECT COUNT(*) FROM prices') price rows and $(sqlite3 "$DB" 'SELECT COUNT(*) FROM promotions') promotion rows (BENCH_FORECAST_SCALE_PRICED)"
fi

# shellcheck disable=SC2086
/usr/bin/time -v -o "$OUT/time.txt" "$KEEL" forecast --db "$DB" --horizon 28 --quantiles 0.5,0.9,0.95,0.99 --json \
  ${BENCH_FORECAST_SCALE_ARGS:-} > "$OUT/summary.json"

python3 - "$OUT/time.txt" "$OUT/summary.json" "$DB" <<'PY'
import json, re, sqlite3, sys
time_txt, summary_path, db = sys.argv[1:4]
t = open(time_txt).read()
def field(name):
    m = re.search(r"^\s*" + re.escape(name) + r":\s*(.+)$", t, re.M)
    return m.group(1).strip() if m else "?"
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
parts = [float(p) for p in wall.split(":")]
seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
peak_gib = int(field("Maximum resident set size (kbytes)")) / 1024 / 1024
s = json.load(open(summary_path))
con = sqlite3.connect(db)
run_id, timings, rows, status = con.execute(
    "SELECT run_id, timings, rows_written, status FROM runs WHERE run_id = ?", (s["runId"],)).fetchone()
phases = json.loads(timings or "{}")
written = con.execute("SELECT COUNT(*) FROM forecasts WHERE run_id = ?", (run_id,)).fetchone()[0]
print(f"\nM5-sized forecast from the database: {s['series']:,} series, horizon 28, quantiles 0.5/0.9/0.95/0.99")
print(f"  run #{run_id} {status}: {written:,} forecast rows written (runs.rows_written {rows:,})")
print(f"  wall time     {seconds:8.1f} s   target ≤ 120 s   {'PASS' if seconds <= 120 else 'FAIL'}")
print(f"  peak RSS      {peak_gib:8.2f} GiB target ≤ 4 GiB   {'PASS' if peak_gib <= 4 else 'FAIL'}")
print(f"  CPU           {field('Percent of CPU this job got'):>8}     (user {field('User time (seconds)')} s, system {field('System time (seconds)')} s)")
print(f"  throughput    {s['series'] / seconds:8.0f} series/s")
print("  phases recorded by the run (s):")
for k in ["load_seconds", "fit_seconds", "quantile_seconds", "seasonality_seconds", "write_seconds"]:
    if k in phases: print(f"    {k[:-8]:<12} {phases[k]:8.2f}")
for k, v in sorted(phases.items()):
    if k not in ["load_seconds", "fit_seconds", "quantile_seconds", "seasonality_seconds", "write_seconds"]:
        print(f"    {k[:-8] if k.endswith('_seconds') else k:<12} {v:8.2f}")
print("  models chosen: " + ", ".join(f"{m} {c}" for m, c in sorted(s["models"].items(), key=lambda kv: -kv[1])))
print(f"  fallbacks {s['fallbacks']}, series with the category season {s['seasonallyAdjusted']:,}, "
      f"with price and promotion drivers {s.get('driverAdjusted', 0):,}")
PY
rm -f "$DB" "$DB-wal" "$DB-shm"
