#!/usr/bin/env python3
# Usage: python3 Scripts/check_kpis_against_history.py DB Datasets/demo kpis.json (kpis.json from keel kpis --json)
# Independent check of the forecast-accuracy KPI: actuals summed from sales.csv, stockout flags from
# the demand_series blobs, forecasts from the forecasts table.
import csv, json, sqlite3, struct, sys, datetime, collections
db, data, kpis = sqlite3.connect(sys.argv[1]), sys.argv[2], json.load(open(sys.argv[3]))
fa = kpis['forecastAccuracy']['value']; run = fa['runId']
epoch = datetime.date(1970, 1, 1)
loc = {k: i for k, i in db.execute('SELECT location_key, location_id FROM locations')}
sku = {k: i for k, i in db.execute('SELECT item_key, sku FROM items')}
units = collections.defaultdict(float)
for s in csv.DictReader(open(f'{data}/sales.csv')):
    units[(s['channel'], s['location_id'], s['sku'], (datetime.date.fromisoformat(s['timestamp'][:10]) - epoch).days)] += float(s['qty'])
series = {}
for ch, l, it, start, n, fl in db.execute('SELECT channel, location_key, item_key, start_day, day_count, flags FROM demand_series'):
    series[(ch, loc[l], sku[it])] = (start, n, fl)
pts = cens = 0; sa = sf = se = 0.0; scored = set(); last = 0
for ch, l, it, d, y in db.execute('SELECT channel, location_key, item_key, day, yhat FROM forecasts WHERE run_id = ?', (run,)):
    last = max(last, d)
    if ch is None or l is None: continue
    k = (ch, loc[l], sku[it]); start, n, fl = series[k]
    if d >= start and fl[d - start] & 2: cens += 1; continue
    a = units.get(k + (d,), 0.0); pts += 1; sa += a; sf += y; se += abs(y - a); scored.add(k)
ns = npairs = 0
for k in scored:
    start, n, fl = series[k]
    for d in range(start + 1, min(start + n, last + 1)):
        if fl[d - start] & 2 or fl[d - 1 - start] & 2: continue
        ns += abs(units.get(k + (d,), 0.0) - units.get(k + (d - 1,), 0.0)); npairs += 1
mae = se / pts
mine = dict(points=pts, censored=cens, wape=se / sa, bias=(sf - sa) / sa, mae=mae, scaled=mae / (ns / npairs), pairs=npairs)
theirs = dict(points=fa['points'], censored=fa['censoredPoints'], wape=fa['wape'], bias=fa['bias'], mae=fa['mae'], scaled=fa['scaledError'], pairs=fa['naivePairs'])
for key in mine: assert abs(mine[key] - theirs[key]) <= 1e-6 * max(1, abs(mine[key])), (key, mine[key], theirs[key])
print('forecast accuracy check OK', {k: round(v, 4) for k, v in mine.items()})

# In-stock rate: series-days of the window from each series' first sale, stockout bit 2 of the flags blob.
asof = (datetime.date.fromisoformat(kpis['asOf']) - epoch).days; ws = asof - kpis['windowDays'] + 1
days = out = 0
for (ch, l, s), (start, n, fl) in series.items():
    for d in range(max(ws, start), min(asof, start + n - 1) + 1):
        days += 1; out += 1 if fl[d - start] & 2 else 0
t = kpis['inStock']['value']['total']
assert (days, out) == (t['seriesDays'], t['stockoutDays']), ((days, out), t)
print('in-stock check OK', days, out, round(1 - out / days, 4))
