#!/usr/bin/env python3
"""Database-mode forecast accuracy at several origins, with and without price and promotion drivers.

`make bench-forecast-db`: for each origin (28, 56 and 84 days before the history's end by default),
runs `keel forecast --db COPY --as-of ORIGIN` twice — with the drivers learned per department
(the default) and with `--no-drivers` (the univariate forecast) — and scores both against the
demand the database holds for the 28 days after the origin (stockout days skipped, as the models
skip them). Printed per origin and run: mean RMSSE over series (scale: root mean squared one-step
change of the series' history up to the origin), WAPE and bias over all series-days, the same on
the series the drivers adjusted, and the share of actuals at or below q0.5 and q0.9.

Usage: db_origins.py KEEL DB [--origins 28,56,84] [--horizon 28]
The database is copied once to a scratch file next to it; the original is not written.
"""
import argparse
import json
import math
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import time
from collections import defaultdict

DAY0 = 0  # Day.rawValue counts days since 1970-01-01


def day_text(d):
    return time.strftime("%Y-%m-%d", time.gmtime(d * 86400))


def load_history(con):
    """(channel, location_key, item_key) -> (start_day, units[list of float or None for stockout])."""
    out = {}
    for ch, loc, item, start, n, units, flags in con.execute(
            "SELECT channel, location_key, item_key, start_day, day_count, units, flags FROM demand_series"):
        u = struct.unpack(f"<{n}f", units)
        f = flags
        out[(ch, loc, item)] = (start, [None if (f[i] & 2) else float(u[i]) for i in range(n)])
    return out


def series_scale(values):
    prev, s, n = None, 0.0, 0
    for v in values:
        if v is None:
            continue
        if prev is not None:
            s += (v - prev) ** 2
            n += 1
        prev = v
    return math.sqrt(s / n) if n else 0.0


def run_forecast(keel, db, origin, horizon, drivers):
    args = [keel, "forecast", "--db", db, "--as-of", day_text(origin), "--horizon", str(horizon),
            "--quantiles", "0.5,0.9", "--json"]
    if not drivers:
        args.append("--no-drivers")
    t = time.time()
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out), time.time() - t


def load_promotions(con):
    """item_key -> [(channel or None, location_key or None, start_day, end_day)]."""
    out = defaultdict(list)
    for item, ch, loc, start, end in con.execute("SELECT item_key, channel, location_key, start_day, end_day FROM promotions"):
        out[item].append((ch, loc, start, end))
    return out


def promoted(promotions, key, day):
    ch, loc, item = key
    return any((c is None or c == ch) and (l is None or l == loc) and s <= day <= e for c, l, s, e in promotions.get(item, ()))


def score(con, history, run_id, origin, horizon, adjusted, promotions):
    fc = defaultdict(dict)
    model = {}
    for ch, loc, item, day, yhat, q, m in con.execute(
            "SELECT channel, location_key, item_key, day, yhat, quantiles, model FROM forecasts WHERE run_id = ?", (run_id,)):
        fc[(ch, loc, item)][day] = (yhat, struct.unpack("<2d", q))
        model[(ch, loc, item)] = m
    res = {"all": defaultdict(float), "adjusted": defaultdict(float), "promo": defaultdict(float)}
    for key, days in fc.items():
        start, values = history[key]
        hist = values[: max(0, origin - start + 1)]
        scale = series_scale(hist)
        sq, n = 0.0, 0
        groups = ["all"] + (["adjusted"] if key in adjusted else [])
        for d in range(origin + 1, origin + horizon + 1):
            i = d - start
            if i < 0 or i >= len(values) or values[i] is None or d not in days:
                continue
            a = values[i]
            yhat, (q5, q9) = days[d]
            sq += (a - yhat) ** 2
            n += 1
            for g in groups + (["promo"] if promoted(promotions, key, d) else []):
                r = res[g]
                r["abs"] += abs(a - yhat)
                r["sq"] += (a - yhat) ** 2
                r["err"] += yhat - a
                r["actual"] += a
                r["points"] += 1
                r["le50"] += a <= q5 + 1e-9
                r["le90"] += a <= q9 + 1e-9
        if n and scale > 0:
            for g in groups:
                res[g]["rmsse"] += math.sqrt(sq / n) / scale
                res[g]["series"] += 1
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("keel")
    ap.add_argument("db")
    ap.add_argument("--origins", default="28,56,84")
    ap.add_argument("--horizon", type=int, default=28)
    a = ap.parse_args()
    scratch = a.db + ".origins.sqlite"
    shutil.copyfile(a.db, scratch)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(scratch + suffix):
            os.remove(scratch + suffix)
    con = sqlite3.connect(scratch)
    end = con.execute("SELECT value FROM keel_meta WHERE key = 'demand_end_day'").fetchone()[0]
    history = load_history(con)
    promotions = load_promotions(con)
    con.close()
    print(f"database-mode forecast, horizon {a.horizon}, {len(history):,} series, history ends {day_text(end)}")
    header = (f"{'origin':<11} {'drivers':<8} {'sec':>6} {'adj':>5} {'RMSSE':>7} {'WAPE':>6} {'bias%':>6} {'≤q0.5':>6} {'≤q0.9':>6} | adjusted: {'RMSSE':>7} {'WAPE':>6} {'bias%':>6} {'≤q0.9':>6}"
              f" | promotion days (n): WAPE MSE bias% ≤q0.9")
    print(header)
    totals = defaultdict(lambda: defaultdict(float))
    for back in [int(x) for x in a.origins.split(",")]:
        origin = end - back
        runs = {}
        for drivers in (True, False):
            runs[drivers] = run_forecast(a.keel, scratch, origin, a.horizon, drivers)
        con = sqlite3.connect(scratch)
        # The series the drivers adjusted (in the run with drivers), scored in both runs.
        adjusted = {(ch, loc, item) for ch, loc, item in con.execute(
            "SELECT DISTINCT channel, location_key, item_key FROM forecasts WHERE run_id = ? AND model LIKE '%+drivers'",
            (runs[True][0]["runId"],))}
        con.close()
        for drivers in (False, True):
            summary, seconds = runs[drivers]
            con = sqlite3.connect(scratch)
            r = score(con, history, summary["runId"], origin, a.horizon, adjusted, promotions)
            con.close()
            al, ad, pr = r["all"], r["adjusted"], r["promo"]
            label = "on" if drivers else "off"
            def m(x, k):
                return x[k] / x["series"] if x["series"] else float("nan")
            def w(x):
                return x["abs"] / x["actual"] if x["actual"] else float("nan")
            def b(x):
                return 100 * x["err"] / x["actual"] if x["actual"] else float("nan")
            def mse(x):
                return x["sq"] / x["points"] if x["points"] else float("nan")
            def c(x, k):
                return x[k] / x["points"] if x["points"] else float("nan")
            print(f"{day_text(origin):<11} {label:<8} {seconds:6.1f} {summary.get('driverAdjusted', 0):5d} {m(al,'rmsse'):7.4f} {w(al):6.3f} {b(al):6.1f} "
                  f"{c(al,'le50'):6.3f} {c(al,'le90'):6.3f} | adjusted: {m(ad,'rmsse'):7.4f} {w(ad):6.3f} {b(ad):6.1f} {c(ad,'le90'):6.3f}"
                  f" | promotion days ({int(pr['points'])}): {w(pr):6.3f} {mse(pr):6.3f} {b(pr):6.1f} {c(pr,'le90'):6.3f}")
            t = totals[label]
            t["rmsse"] += m(al, "rmsse"); t["wape"] += w(al); t["n"] += 1
            t["adj"] += m(ad, "rmsse"); t["promo_wape"] += w(pr); t["promo_bias"] += b(pr); t["promo_mse"] += mse(pr)
        sys.stdout.flush()
    for label in ("off", "on"):
        t = totals[label]
        print(f"mean over origins, drivers {label}: RMSSE {t['rmsse'] / t['n']:.4f}, WAPE {t['wape'] / t['n']:.4f}; "
              f"adjusted series RMSSE {t['adj'] / t['n']:.4f}; promotion days WAPE {t['promo_wape'] / t['n']:.4f}, "
              f"MSE {t['promo_mse'] / t['n']:.4f}, bias {t['promo_bias'] / t['n']:+.1f}%")
    os.remove(scratch)


if __name__ == "__main__":
    main()
