"""Reservation storm for make bench-http (part 2): concurrent reserve / reject / cancel requests on a
few hot SKUs against a running keel serve, then the ledger's invariants checked in SQL.

usage: storm.py URL KEY DB [--requests 10000] [--connections 64] [--replay 0.2] [--seed 42]

Orders of 1-2 lines over 3 hot SKUs (chosen from the database: together 50-200 units available at
nodes that ship to customers). Each order runs a script on one connection, in order: reserve, then
maybe reject at a node it holds (once or twice), maybe cancel; a few scripts end with a request that
must conflict (reject after cancel, a second cancel with a new key). About `replay` of all requests
re-send an earlier request's Idempotency-Key and body from another connection — most after the
first answer, some while the first is still in flight. Exits 1 on any violated invariant:

  * available-to-sell of the hot SKUs never below zero (sampled during the storm, and at the end)
  * reserved units per node x SKU == reserved before the storm + active reservation lines there
  * no unit reserved twice: per node x SKU the active lines hold at most what was available before;
    no order line held at two nodes; every held line holds exactly its ordered quantity
  * no cancelled order holds anything; no order holds stock at a node that rejected it
  * every answer to a replayed key is byte-identical (status and body) to the first answer
  * every order's reservations in the database equal its last successful answer
  * every request answered (no transport errors); any 5xx fails the storm
"""
import argparse
import collections
import datetime
import http.client
import json
import random
import sqlite3
import sys
import threading
import time
import urllib.parse

p = argparse.ArgumentParser()
p.add_argument("url"); p.add_argument("key"); p.add_argument("db")
p.add_argument("--requests", type=int, default=10000)
p.add_argument("--connections", type=int, default=64)
p.add_argument("--replay", type=float, default=0.2)
p.add_argument("--seed", type=int, default=42)
p.add_argument("--prefix", default="ST")
a = p.parse_args()
url = urllib.parse.urlparse(a.url)
rng = random.Random(a.seed)

ro = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
as_of = ro.execute("""SELECT MAX(d) FROM (SELECT MAX(day) AS d FROM sales UNION ALL SELECT MAX(day) FROM returns
                      UNION ALL SELECT MAX(created_day) FROM orders)""").fetchone()[0]
promise = (datetime.date(1970, 1, 1) + datetime.timedelta(days=as_of + 10)).isoformat()
zones = [r[0] for r in ro.execute("""SELECT DISTINCT z.zone FROM shipping_rates r JOIN zones z USING (zone_key)
                                     WHERE r.service = 'standard' ORDER BY z.zone""")]
# Candidate hot SKUs: 15-70 units available in total at shipping nodes, no position below zero.
cands = ro.execute("""
    SELECT i.sku, i.item_key, SUM(CASE WHEN l.can_ship_to_customer = 1 THEN MAX(p.on_hand - p.reserved - p.damaged, 0) ELSE 0 END) AS units
    FROM inventory_positions p JOIN items i USING (item_key) JOIN locations l USING (location_key)
    GROUP BY i.item_key HAVING units BETWEEN 15 AND 70 AND MIN(p.on_hand - p.reserved - p.damaged) >= 0 ORDER BY i.sku""").fetchall()
if len(cands) < 3:
    sys.exit("storm.py: fewer than 3 SKUs with 15-70 units available at shipping nodes")
hot = rng.sample(cands, 3)
hot_keys = ",".join(str(h[1]) for h in hot)
hot_skus = [h[0] for h in hot]
held_before = ro.execute(f"SELECT COUNT(*) FROM reservations WHERE item_key IN ({hot_keys})").fetchone()[0]
if held_before:
    sys.exit(f"storm.py: the hot SKUs already have {held_before} reservation lines; use a fresh database copy")
before = {(r[0], r[1]): (r[2], r[3], r[4]) for r in ro.execute(
    f"SELECT location_key, item_key, on_hand, reserved, damaged FROM inventory_positions WHERE item_key IN ({hot_keys})")}
node_ids = [r[0] for r in ro.execute("SELECT location_id FROM locations WHERE can_ship_to_customer = 1 ORDER BY location_id")]
print(f"hot SKUs: " + ", ".join(f"{h[0]} ({h[2]:.0f} units)" for h in hot) + f"; {sum(h[2] for h in hot):.0f} units in all")

# --- scripts: how many requests of each kind, fixed up front (deterministic for the seed) ---------
originals_target = round(a.requests * (1 - a.replay))
replays_target = a.requests - originals_target
scripts, total = [], 0
while total < originals_target:
    n = len(scripts)
    lines = [{"line": i + 1, "sku": s, "qty": rng.randint(1, 3)} for i, s in enumerate(rng.sample(hot_skus, rng.randint(1, 2)))]
    order = {"lines": lines, "ship_to_zone": rng.choice(zones), "service": "standard", "promise_date": promise}
    u = rng.random()
    steps = (["reserve"] if u < 0.30 else ["reserve", "reject"] if u < 0.55 else ["reserve", "cancel"] if u < 0.75
             else ["reserve", "reject", "cancel"] if u < 0.87 else ["reserve", "reject", "reject"] if u < 0.95
             else ["reserve", "cancel", "reject"] if u < 0.98 else ["reserve", "cancel", "cancel"])
    steps = steps[:originals_target - total]
    scripts.append((f"{a.prefix}{n}", order, steps))
    total += len(steps)
replay_p = replays_target / originals_target

lock = threading.Lock()
answers = collections.defaultdict(list)      # key -> [(status, body)] in completion order
sent_first = {}                              # key -> (method path body) of the first request
last_ok = {}                                 # order -> body of its last successful state-changing answer
replays = collections.deque()
replays_left = [replays_target]
statuses = collections.Counter()
by_op = collections.Counter()
transport_errors = []
work = collections.deque(scripts)
done_scripts = [0]


def send(conn, path, key, body):
    data = json.dumps(body, separators=(",", ":")) if body is not None else ""
    headers = {"Authorization": f"Bearer {a.key}", "Idempotency-Key": key, "Content-Type": "application/json"}
    for attempt in (0, 1):
        try:
            conn.request("POST", path, body=data, headers=headers)
            r = conn.getresponse()
            return r.status, r.read()
        except (http.client.HTTPException, OSError) as e:
            conn.close()
            if attempt:
                raise
    raise RuntimeError("unreachable")


def record(key, op, status, body):
    with lock:
        answers[key].append((status, body))
        statuses[status] += 1
        by_op[(op, status)] += 1


def maybe_replay(key, path, body, op, rnd):
    with lock:
        if replays_left[0] > 0 and rnd.random() < replay_p:
            replays_left[0] -= 1
            replays.append((key, path, body, op))


def worker(i):
    rnd = random.Random(a.seed * 1000 + i)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    while True:
        with lock:
            finished = done_scripts[0] == len(scripts)
            if replays and (rnd.random() < 0.5 or not work):
                job = ("replay", replays.popleft())
            elif work:
                job = ("script", work.popleft())
            elif finished and replays_left[0] > 0:
                # Every script is done but replays are still owed: replay a random earlier key.
                replays_left[0] -= 1
                k = rnd.choice(sorted(sent_first))
                job = ("replay", (k,) + sent_first[k])
            elif finished:
                return
            else:
                job = None  # scripts still running elsewhere may queue replays
        if job is None:
            time.sleep(0.001)
            continue
        try:
            if job[0] == "replay":
                key, path, body, op = job[1]
                status, resp = send(conn, path, key, body)
                record(key, op + "-replay", status, resp)
                continue
            order_id, order, steps = job[1]
            held_nodes = []
            for s, op in enumerate(steps):
                key = f"{order_id}-{s}-{op}"
                if op == "reserve":
                    path, body = f"/v1/orders/{order_id}/reserve", order
                elif op == "reject":
                    node = rnd.choice(held_nodes) if held_nodes else rnd.choice(node_ids)
                    path, body = f"/v1/orders/{order_id}/reject", {"location_id": node, "reason": "storm: cannot fulfil"}
                else:
                    path, body = f"/v1/orders/{order_id}/cancel", None
                with lock:
                    sent_first[key] = (path, body, op)
                in_flight = rnd.random() < 0.1
                if in_flight:
                    maybe_replay(key, path, body, op, rnd)   # another connection may send it while this one is in flight
                status, resp = send(conn, path, key, body)
                record(key, op, status, resp)
                if not in_flight:
                    maybe_replay(key, path, body, op, rnd)
                if 200 <= status < 300:
                    j = json.loads(resp)
                    held_nodes = sorted({r["location_id"] for r in j["reservations"]})
                    with lock:
                        last_ok[order_id] = j
            with lock:
                done_scripts[0] += 1
        except Exception as e:  # a transport failure is a storm failure, not a retry
            with lock:
                transport_errors.append(repr(e))
                if job[0] == "script":
                    done_scripts[0] += 1
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)


# --- sampler: available-to-sell of the hot SKUs while the storm runs ------------------------------
sampling = [True]
samples = [0, float("inf")]


def sampler():
    c = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True, timeout=30)
    while sampling[0]:
        m = c.execute(f"SELECT MIN(on_hand - reserved - damaged) FROM inventory_positions WHERE item_key IN ({hot_keys})").fetchone()[0]
        samples[0] += 1
        samples[1] = min(samples[1], m)
        time.sleep(0.01)


threads = [threading.Thread(target=worker, args=(i,)) for i in range(a.connections)]
st = threading.Thread(target=sampler)
t0 = time.time()
st.start()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.time() - t0
sampling[0] = False
st.join()

sent = sum(len(v) for v in answers.values())
n_replays = sum(n for (op, _), n in by_op.items() if op.endswith("-replay"))
print(f"{sent} requests ({n_replays} replays of an earlier key) "
      f"over {a.connections} connections in {elapsed:.1f} s = {sent / elapsed:.0f} requests/s; {len(scripts)} orders")
print("status counts: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
print("by request:    " + ", ".join(f"{op} {s}: {n}" for (op, s), n in sorted(by_op.items())))

# --- invariants -----------------------------------------------------------------------------------
failures = []
def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok: failures.append(what)

check(not transport_errors, f"every request answered ({len(transport_errors)} transport errors{': ' + transport_errors[0] if transport_errors else ''})")
check(sent == a.requests, f"{a.requests} requests sent (sent {sent})")
check(not any(s >= 500 for s in statuses), "no 5xx answers")
check(samples[1] >= -1e-9, f"available-to-sell of the hot SKUs never below zero during the storm ({samples[0]} samples, minimum {samples[1]:g})")
db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
after = {(r[0], r[1]): (r[2], r[3], r[4]) for r in db.execute(
    f"SELECT location_key, item_key, on_hand, reserved, damaged FROM inventory_positions WHERE item_key IN ({hot_keys})")}
ledger = {(r[0], r[1]): r[2] for r in db.execute(
    f"SELECT location_key, item_key, SUM(qty) FROM reservations WHERE item_key IN ({hot_keys}) GROUP BY location_key, item_key")}
neg = [k for k, (oh, rs, dm) in after.items() if oh - rs - dm < -1e-9]
check(not neg, f"available-to-sell >= 0 at every hot position after the storm ({len(neg)} below)")
off = [k for k in after if abs(after[k][1] - before[k][1] - ledger.get(k, 0)) > 1e-9]
check(not off, f"reserved == reserved before + active reservation lines at every hot position ({len(off)} differ)")
over = [k for k in after if ledger.get(k, 0) > before[k][0] - before[k][1] - before[k][2] + 1e-9]
check(not over, f"no unit reserved twice: held <= available before at every hot position ({len(over)} over)")
twice = db.execute("SELECT COUNT(*) FROM (SELECT order_id, line FROM reservations GROUP BY order_id, line HAVING COUNT(*) > 1)").fetchone()[0]
check(twice == 0, f"no order line held at two nodes ({twice})")
ordered = {(oid, l["line"]): l["qty"] for oid, o, _ in scripts for l in o["lines"]}
rows = db.execute(f"SELECT order_id, line, qty FROM reservations WHERE order_id LIKE '{a.prefix}%'").fetchall()
wrong_qty = [r for r in rows if abs(ordered.get((r[0], r[1]), -1) - r[2]) > 1e-9]
check(not wrong_qty, f"every held line holds its ordered quantity ({len(wrong_qty)} differ)")
cancelled_holding = db.execute("""SELECT COUNT(*) FROM reservations r JOIN router_orders o USING (order_id) WHERE o.status = 'cancelled'""").fetchone()[0]
check(cancelled_holding == 0, f"no cancelled order holds stock ({cancelled_holding} lines)")
at_rejecting = db.execute("""SELECT COUNT(*) FROM reservations r JOIN order_rejections j ON j.order_id = r.order_id AND j.location_key = r.location_key""").fetchone()[0]
check(at_rejecting == 0, f"no order holds stock at a node that rejected it ({at_rejecting} lines)")
replayed = {k: v for k, v in answers.items() if len(v) > 1}
differ = [k for k, v in replayed.items() if any(x != v[0] for x in v[1:])]
check(not differ, f"every replayed key answered byte-identically ({len(replayed)} keys replayed, {sum(len(v) - 1 for v in replayed.values())} replays, {len(differ)} differ"
      + (f"; e.g. {differ[0]}: {replayed[differ[0]][0]} vs {[x for x in replayed[differ[0]] if x != replayed[differ[0]][0]][0]}" if differ else "") + ")")
held_db = collections.defaultdict(set)
for oid, line, loc, qty in db.execute(f"""SELECT r.order_id, r.line, l.location_id, r.qty FROM reservations r JOIN locations l USING (location_key)
                                         WHERE r.order_id LIKE '{a.prefix}%'"""):
    held_db[oid].add((line, loc, qty))
mismatch = [oid for oid, j in last_ok.items() if held_db.get(oid, set()) != {(r["line"], r["location_id"], r["qty"]) for r in j["reservations"]}]
check(not mismatch, f"every order's reservations equal its last successful answer ({len(last_ok)} orders, {len(mismatch)} differ)")
units = sum(ledger.values())
avail = sum(max(v[0] - v[1] - v[2], 0) for v in before.values())
print(f"units held after the storm: {units:g} of {avail:g} available before; {len(held_db)} orders hold stock")
print(f"STORM requests={sent} seconds={elapsed:.1f} ok2xx={sum(n for s, n in statuses.items() if 200 <= s < 300)} "
      f"c409={statuses.get(409, 0)} other={sum(n for s, n in statuses.items() if not (200 <= s < 300 or s == 409))} violations={len(failures)}")
sys.exit(1 if failures else 0)
