"""Order bodies for make bench-http: orders of 1-5 lines over random in-stock SKUs and random zones.

usage: bodies.py DB OUT COUNT SEED

A SKU is "in stock" when some node that may ship to customers has at least 2 units available to
sell; a zone qualifies when some node has a standard rate to it. Every order gets a standard
(80 %) or express (20 %) service and a promise date 10 days after the database's as-of date (the
latest transaction date, as keel serve uses). Deterministic for a seed. One JSON body per line.
"""
import datetime
import json
import random
import sqlite3
import sys

db, out, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
skus = [r[0] for r in con.execute("""
    SELECT DISTINCT i.sku FROM inventory_positions p JOIN items i USING (item_key) JOIN locations l USING (location_key)
    WHERE l.can_ship_to_customer = 1 AND p.on_hand - p.reserved - p.damaged >= 2 ORDER BY i.sku""")]
zones = [r[0] for r in con.execute("""
    SELECT DISTINCT z.zone FROM shipping_rates r JOIN zones z USING (zone_key) WHERE r.service = 'standard' ORDER BY z.zone""")]
as_of = con.execute("""SELECT MAX(d) FROM (SELECT MAX(day) AS d FROM sales UNION ALL SELECT MAX(day) FROM returns
                       UNION ALL SELECT MAX(created_day) FROM orders)""").fetchone()[0]
if not skus or not zones or as_of is None:
    sys.exit(f"bodies.py: {db} has no in-stock SKUs, zones with rates or transactions")
promise = (datetime.date(1970, 1, 1) + datetime.timedelta(days=as_of + 10)).isoformat()
rng = random.Random(seed)
with open(out, "w") as f:
    for n in range(count):
        lines = [{"line": i + 1, "sku": s, "qty": rng.choice([1, 1, 1, 2])}
                 for i, s in enumerate(rng.sample(skus, rng.randint(1, 5)))]
        body = {"order_id": f"B{n}", "lines": lines, "ship_to_zone": rng.choice(zones),
                "service": "express" if rng.random() < 0.2 else "standard", "promise_date": promise}
        f.write(json.dumps(body, separators=(",", ":")) + "\n")
print(f"{count} bodies over {len(skus)} in-stock SKUs and {len(zones)} zones, promise {promise}")
