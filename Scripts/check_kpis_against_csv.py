#!/usr/bin/env python3
# Usage: keel kpis --db DB [--as-of DATE] --json > kpis.json; python3 Scripts/check_kpis_against_csv.py Datasets/demo kpis.json
# Independent check of keel kpis on the demo database straight from the CSV files (not the database).
import csv, json, sys, statistics, datetime, collections
data, kpis = sys.argv[1], json.load(open(sys.argv[2]))
asof = datetime.date.fromisoformat(kpis['asOf']); start = asof - datetime.timedelta(days=27)
def rows(n): return list(csv.DictReader(open(f'{data}/{n}.csv')))
def day(ts):  # local date of the timestamp as written
    return datetime.date.fromisoformat(ts[:10])
items = {r['sku']: float(r['unit_cost']) for r in rows('items')}
ltype = {r['location_id']: r['type'] for r in rows('locations')}
orders = rows('orders')
pickup_orders = {o['order_id'] for o in orders if o['service'] == 'pickup'}
sales = rows('sales')
by_ch = collections.defaultdict(lambda: [0, 0, 0]); by_path = collections.defaultdict(lambda: [0, 0, 0])
sold = collections.defaultdict(lambda: [0, 0]); sale_day = {}
for s in sales:
    d = day(s['timestamp']); sale_day[s['transaction_id']] = min(d, sale_day.get(s['transaction_id'], d))
    if not (start <= d <= asof): continue
    q = float(s['qty']); net = q * float(s['unit_price']) - float(s['discount'] or 0); cost = q * items[s['sku']]
    ch = s['channel']; t = ltype[s['location_id']]
    path = 'in_store' if ch == 'store' else {'dc': 'dc', 'dropship': 'dropship', '3pl': '3pl'}.get(t) or ('pickup' if s['order_id'] in pickup_orders else 'ship_from_store')
    for acc, k in ((by_ch, ch), (by_path, path)):
        acc[k][0] += q; acc[k][1] += net; acc[k][2] += cost
    sold[ch][0] += q; sold[ch][1] += net
m = kpis['grossMargin']['value']
for name, mine, theirs in (('channel', by_ch, m['byChannel']), ('path', by_path, m['byPath'])):
    for t in theirs:
        u, n, c = mine[t['key']]
        assert abs(u - t['units']) < 1e-6 and abs(n - t['netRevenue']) < 1e-6 and abs(c - t['cost']) < 1e-6, (name, t, mine[t['key']])
    assert set(mine) == {t['key'] for t in theirs}
rets = collections.defaultdict(lambda: [0, 0, []])
for r in rows('returns'):
    d = day(r['timestamp'])
    if not (start <= d <= asof): continue
    x = rets[r['channel']]; x[0] += float(r['qty']); x[1] += float(r['refund_amount'])
    if r['original_transaction_id'] in sale_day: x[2].append((d - sale_day[r['original_transaction_id']]).days)
for t in kpis['returns']['value']['byChannel']:
    u, v, cyc = rets[t['channel']]
    assert abs(u - t['units']['part']) < 1e-6 and abs(v - t['value']['part']) < 1e-6 and abs(sold[t['channel']][0] - t['units']['whole']) < 1e-6
    if not cyc: assert t['medianCycleDays'] is None and t['meanCycleDays'] is None; continue
    assert abs(statistics.median(cyc) - t['medianCycleDays']) < 1e-9 and abs(statistics.mean(cyc) - t['meanCycleDays']) < 1e-9, t
win = [o for o in orders if start <= day(o['created_at']) <= asof]
canc = [o for o in win if o['status'] == 'cancelled']
o = kpis['orders']['value']
if o is None: assert not win; print('independent check OK (no orders in window)'); sys.exit(0)
assert o['cancelledLines']['part'] == len(canc) and o['cancelledLines']['whole'] == len(win)
assert o['cancelledOrders']['whole'] == len({x['order_id'] for x in win}) and o['cancelledOrders']['part'] == len({x['order_id'] for x in canc})
print('independent check OK:', {k: round(v[1], 2) for k, v in by_ch.items()}, 'returns', {k: (v[0], statistics.median(v[2])) for k, v in rets.items()}, 'cancelled', len(canc), '/', len(win))
