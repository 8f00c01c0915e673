#!/usr/bin/env bash
# Import benchmark (release build), Keel beside the sqlite3 shell in the same run.
#
# 1. Generates a retailer whose sales.csv has at least 5 million lines.
# 2. Keel: imports the master data and promotions, then times `keel import sales.csv` (full contract
#    validation, duplicate-key checks, inventory positions and demand history refresh, one transaction).
# 3. Peer: times the sqlite3 shell's `.import --csv` of the same file into an unindexed table.
# 4. Streams a sales file of several GB (the 5M-line file repeated with renamed transaction ids)
#    through `keel import` and reports its peak resident memory.
# Target: Keel's rows/s at least half of sqlite3's.
set -euo pipefail
cd "$(dirname "$0")/.."
KEEL=.build/release/keel
OUT=${BENCH_DIR:-.build/bench-import}
STORES=${STORES:-50}; SKUS=${SKUS:-2000}; DAYS=${DAYS:-365}; COPIES=${COPIES:-5}
mkdir -p "$OUT"
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: run make deps"; exit 1; }

if [ ! -f "$OUT/data/sales.csv" ]; then
  echo "generating retailer: $STORES stores, $SKUS skus, $DAYS days …"
  /usr/bin/time -f "generated in %es" $KEEL datasets generate --out "$OUT/data" --stores "$STORES" --dcs 2 --skus "$SKUS" --days "$DAYS" --seed 7
fi
LINES=$(($(wc -l < "$OUT/data/sales.csv") - 1))
BYTES=$(stat -c %s "$OUT/data/sales.csv")
echo "sales.csv: $LINES rows, $((BYTES / 1048576)) MiB"
[ "$LINES" -ge 5000000 ] || echo "warning: fewer than 5 million rows"

rm -rf "$OUT/master" && mkdir -p "$OUT/master"
for f in suppliers items locations zones promotions; do cp "$OUT/data/$f.csv" "$OUT/master/"; done

now() { date +%s.%N; }

rm -f "$OUT/keel.sqlite"*
$KEEL import --db "$OUT/keel.sqlite" "$OUT/master" > /dev/null
t0=$(now); $KEEL import --db "$OUT/keel.sqlite" "$OUT/data/sales.csv" 2>/dev/null | tail -1; t1=$(now)
KEEL_S=$(echo "$t1 - $t0" | bc -l)

rm -f "$OUT/peer.sqlite"*
t0=$(now); sqlite3 "$OUT/peer.sqlite" ".import --csv $OUT/data/sales.csv sales"; t1=$(now)
PEER_S=$(echo "$t1 - $t0" | bc -l)
PEER_ROWS=$(sqlite3 "$OUT/peer.sqlite" "SELECT COUNT(*) FROM sales")

echo
printf "%-58s %10s %12s %12s\n" "import of sales.csv ($LINES rows)" "seconds" "rows/s" "vs sqlite3"
printf "%-58s %10.2f %12.0f %12s\n" "sqlite3 shell .import (unindexed, no validation)" "$PEER_S" "$(echo "$PEER_ROWS / $PEER_S" | bc -l)" "1.00"
RATIO=$(echo "($LINES / $KEEL_S) / ($PEER_ROWS / $PEER_S)" | bc -l)
printf "%-58s %10.2f %12.0f %12.2f\n" "keel import (validated, keyed, demand history refreshed)" "$KEEL_S" "$(echo "$LINES / $KEEL_S" | bc -l)" "$RATIO"
if (( $(echo "$RATIO >= 0.5" | bc -l) )); then echo "target ≥ 0.50 × sqlite3: PASS"; else echo "target ≥ 0.50 × sqlite3: FAIL"; fi

if [ "${SKIP_LARGE:-0}" != 1 ]; then
  echo
  BIG="$OUT/large/sales.csv"
  mkdir -p "$OUT/large"
  if [ ! -f "$BIG" ]; then
    echo "building a $COPIES× sales file by renaming transaction ids …"
    head -1 "$OUT/data/sales.csv" > "$BIG"
    for c in $(seq 1 "$COPIES"); do tail -n +2 "$OUT/data/sales.csv" | sed "s/^/C$c-/" >> "$BIG"; done
  fi
  BIG_BYTES=$(stat -c %s "$BIG")
  rm -f "$OUT/large.sqlite"*
  $KEEL import --db "$OUT/large.sqlite" "$OUT/master" > /dev/null
  /usr/bin/time -f "%e %M" -o "$OUT/large.time" $KEEL import --db "$OUT/large.sqlite" "$BIG" 2>/dev/null | tail -1
  read -r SECS KB < "$OUT/large.time"
  printf "streamed %.2f GB (%d rows) in %.1fs; peak resident memory %d MiB (the file is never loaded whole)\n" \
    "$(echo "$BIG_BYTES / 1000000000" | bc -l)" "$((LINES * COPIES))" "$SECS" "$((KB / 1024))"
  rm -f "$OUT/large.sqlite"*
fi
