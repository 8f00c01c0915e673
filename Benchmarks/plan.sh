#!/usr/bin/env bash
# make bench-plan: replenishment and transfers on a generated retailer (50 stores, 2 DCs,
# 2,000 SKUs, 730 days), the simulator against the tuned min/max rule, and the planning speed
# targets (an M5-sized network; a 100,000-arc transfer LP). Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
KEEL=.build/release/keel
BENCH=.build/release/keel-bench
OUT=.build/bench-plan
STORES=${BENCH_PLAN_STORES:-50} SKUS=${BENCH_PLAN_SKUS:-2000} DAYS=${BENCH_PLAN_DAYS:-56}
DATA=$OUT/retailer-${STORES}x${SKUS}
DB=$OUT/plan.sqlite
mkdir -p "$OUT"
seconds() { python3 -c "import time,sys; print(f'{time.time()-float(sys.argv[1]):.1f}')" "$1"; }

if [ ! -f "$DATA/sales.csv" ]; then
  t=$(date +%s.%N); "$KEEL" datasets generate --out "$DATA" --stores "$STORES" --dcs 2 --skus "$SKUS" --days 730 --seed 7 >/dev/null
  echo "generated $DATA in $(seconds "$t") s"
fi
rm -f "$DB" "$DB-wal" "$DB-shm"
"$KEEL" init --db "$DB" >/dev/null
t=$(date +%s.%N); "$KEEL" import --db "$DB" "$DATA" >/dev/null; echo "import: $(seconds "$t") s ($(wc -l < "$DATA/sales.csv") sales lines)"
t=$(date +%s.%N); "$KEEL" forecast --db "$DB" >/dev/null; echo "forecast: $(seconds "$t") s"
t=$(date +%s.%N); "$KEEL" plan --db "$DB"; echo "plan (load + replenishment + transfers + write): $(seconds "$t") s"
t=$(date +%s.%N); "$KEEL" simulate --db "$DB" --days "$DAYS" --json > "$OUT/simulate.json"; echo "simulate: $(seconds "$t") s"
python3 - "$OUT/simulate.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
k, b = s["keel"], s["baseline"]
print(f"\nsimulation of {s['days']} held-out days after {s['asOf'] if 'asOf' in s else ''}")
print(f"{'group':<10} {'target':>7} {'keel fill':>10} {'min/max fill':>13} {'keel inventory':>15} {'min/max inventory':>18}  within 1.5 pt")
classes = {}
for label in sorted(k, key=lambda l: (l == "overall", l)):
    f, g = k[label], b.get(label, {})
    t = f.get("target")
    ok = "" if t is None else ("yes" if abs(f["fillRate"] - t) <= 0.015 else "NO")
    print(f"{label:<10} {'' if t is None else f'{100*t:6.1f}%':>7} {100*f['fillRate']:9.1f}% {100*g.get('fillRate', 0):12.1f}% {f['averageInventoryValue']:15.0f} {g.get('averageInventoryValue', 0):18.0f}  {ok}")
print(f"\nmin/max buffer tuned to {s['baselineBufferDays']:.2f} days; Keel holds {100*s['inventoryReduction']:.1f}% less average inventory value at the same overall fill rate (target ≥ 15 %)")
PY
swift build -c release --product keel-bench >/dev/null
"$BENCH" plan-network
"$BENCH" transfer-lp
