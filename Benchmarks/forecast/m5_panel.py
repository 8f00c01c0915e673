"""An M5-shaped daily panel: 3,049 series x 1,941 days, about half of all days zero.

Deterministic (numpy seed). Each series: a log-normal base level (a long tail of slow movers),
a weekly profile, a yearly cycle, a slow trend, launches (leading NaN-free zeros) and gamma-Poisson
noise, so the zero share is about 50 % overall, as in M5's SKU-store level.

--drivers adds M5's demand drivers, all known in advance (M5 publishes them for the horizon), as
columns `price,promo,snap,event` after `unique_id,ds,y`, and demand that responds to them. Every
series keeps the base draws of the plain panel (level, profiles, trend, launch, NB shape k and its
gamma noise; the seed's stream is consumed exactly as without --drivers); the driver draws come
from a second stream (seed [20110129, 1]) and the counts are Poisson(mu_drivers * gamma noise).
Parameters (per series unless stated):
- price, weekly (weeks start on Saturday, as M5's wm_yr_wk; the panel starts on a Saturday):
  base price p0 = exp(N(log 3.5, 0.8)), at least 0.25, in cents (M5's median is about $3.5);
  permanent changes in a week with probability 1/78 (about one per 1.5 years), factor
  exp(N(0.03, 0.07)) (mostly small rises), in cents; temporary price cuts of U(10 %, 35 %)
  lasting 1-4 weeks (uniform), started in a week without a cut with probability
  s / (2.5 (1 - s)), so that a share s ~ U(0.05, 0.10) of weeks is in a cut. The price cell is
  empty before the week of the series' launch (M5 has no sell price before an item is sold).
- promo: 1 on the days of a temporary cut (cut plus display), else 0.
- snap: 1 on the 1st-10th of every month (one SNAP calendar, as M5's CA stores), else 0.
- event: 1 on 8 annual holidays: Super Bowl (first Sunday in February), Easter Sunday, Mother's
  Day, Memorial Day, Independence Day, Labor Day, Thanksgiving, Christmas; else 0.
- demand: mu = mu_plain * (price / p0)^e * L^promo * S^snap * E_event, with elasticity
  e ~ U(-3, -0.5) (so permanent price changes move demand too), display lift L ~ U(1.1, 1.5),
  SNAP lift S ~ U(1.0, 1.15) for a random half of the series (S = 1 for the others), event
  factor 0.01 on Christmas (stores closed, as in M5) and a lift ~ U(1.0, 1.3) per holiday for
  the others; demand stays zero before the launch day.
Usage: python m5_panel.py OUT.csv [--series 3049] [--days 1941] [--drivers]
"""
import sys
import datetime
import numpy as np

START = np.datetime64("2011-01-29")

def holidays(dates):
    """Per day: 0, or the 1-based index of its holiday in HOLIDAYS (Christmas is the last)."""
    years = range(int(str(dates[0])[:4]), int(str(dates[-1])[:4]) + 1)
    def nth(year, month, weekday, n):  # n-th weekday (Mon=0) of a month; n=-1: the last
        if n > 0:
            d = datetime.date(year, month, 1)
            return d + datetime.timedelta(days=(weekday - d.weekday()) % 7 + 7 * (n - 1))
        d = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        return d - datetime.timedelta(days=(d.weekday() - weekday) % 7)
    def easter(y):  # anonymous Gregorian algorithm
        a, b, c = y % 19, y // 100, y % 100
        d, e = b // 4, b % 4
        g = (8 * b + 13) // 25
        h = (19 * a + b - d - g + 15) % 30
        i, k = c // 4, c % 4
        l = (32 + 2 * e + 2 * i - h - k) % 7
        m = (a + 11 * h + 22 * l) // 451
        return datetime.date(y, (h + l - 7 * m + 114) // 31, (h + l - 7 * m + 114) % 31 + 1)
    rules = [lambda y: nth(y, 2, 6, 1), easter, lambda y: nth(y, 5, 6, 2), lambda y: nth(y, 5, 0, -1),
             lambda y: datetime.date(y, 7, 4), lambda y: nth(y, 9, 0, 1), lambda y: nth(y, 11, 3, 4),
             lambda y: datetime.date(y, 12, 25)]
    out = np.zeros(len(dates), dtype=int)
    for j, rule in enumerate(rules):
        for y in years:
            p = (np.datetime64(rule(y)) - dates[0]).astype(int)
            if 0 <= p < len(dates): out[p] = j + 1
    return out

HOLIDAYS = ["SuperBowl", "Easter", "MothersDay", "MemorialDay", "IndependenceDay", "LaborDay", "Thanksgiving", "Christmas"]

def calendar(T):
    t = np.arange(T)
    dates = START + t
    day = (dates - dates.astype("datetime64[M]")).astype(int) + 1
    return dates, (day <= 10).astype(int), holidays(dates)

def driver_draws(drv, T, launch, snap, hol):
    """One series' drivers and demand multiplier, from the driver stream `drv`."""
    weeks = (T + 6) // 7
    p0 = max(0.25, round(float(np.exp(drv.normal(np.log(3.5), 0.8))), 2))
    share = drv.uniform(0.05, 0.10)
    start_p = share / (2.5 * (1 - share))
    regular, price, promo_w = np.empty(weeks), np.empty(weeks), np.zeros(weeks, dtype=int)
    r, cut_left, depth = p0, 0, 0.0
    for w in range(weeks):
        if drv.random() < 1 / 78:
            r = max(0.25, round(r * float(np.exp(drv.normal(0.03, 0.07))), 2))
        if cut_left == 0 and drv.random() < start_p:
            cut_left, depth = int(drv.integers(1, 5)), drv.uniform(0.10, 0.35)
        regular[w] = r
        if cut_left > 0:
            price[w] = max(0.01, round(r * (1 - depth), 2)); promo_w[w] = 1; cut_left -= 1
        else:
            price[w] = r
    e = drv.uniform(-3, -0.5)
    lift = drv.uniform(1.1, 1.5)
    snap_lift = drv.uniform(1.0, 1.15) if drv.random() < 0.5 else 1.0
    event_lift = np.concatenate([[1.0], drv.uniform(1.0, 1.3, len(HOLIDAYS) - 1), [0.01]])
    wk = np.arange(T) // 7
    price_d, promo_d = price[wk], promo_w[wk]
    promo_d = np.where(wk < launch // 7, 0, promo_d)
    mult = (price_d / p0) ** e * np.where(promo_d == 1, lift, 1.0) * np.where(snap == 1, snap_lift, 1.0) * event_lift[hol]
    price_out = np.where(wk < launch // 7, np.nan, price_d)
    return mult, price_out, promo_d

def generate(n=3049, T=1941, drivers=False):
    """Yields per series: id, the daily mean mu (zero before the launch), NB shape k, counts y and,
    with drivers, a dict of the driver columns (price NaN before the launch week)."""
    rng = np.random.default_rng(20110129)
    drv = np.random.default_rng([20110129, 1]) if drivers else None
    t = np.arange(T)
    dow = (t + 5) % 7  # 2011-01-29 was a Saturday
    dates, snap, hol = calendar(T)
    for i in range(n):
        level = np.exp(rng.normal(-0.2, 1.1))
        weekly = 1 + rng.uniform(0.05, 0.45) * np.array([-.3, -.35, -.25, -.1, .25, .45, .3])[dow]
        yearly = 1 + rng.uniform(0, 0.3) * np.sin(2 * np.pi * (t / 365.25) + rng.uniform(0, 2 * np.pi))
        trend = np.exp(rng.normal(0, 0.25) * t / T)
        mu = level * weekly * yearly * trend
        launch = int(rng.integers(0, T // 3)) if rng.random() < 0.3 else 0
        k = rng.uniform(0.8, 5)
        g = rng.gamma(k, 1 / k, T)
        y = rng.poisson(mu * g).astype(float)
        cols = None
        if drivers:
            mult, price, promo = driver_draws(drv, T, launch, snap, hol)
            mu = mu * mult
            y = drv.poisson(mu * g).astype(float)
            cols = {"price": price, "promo": promo, "snap": snap, "event": (hol > 0).astype(int)}
        y[:launch] = 0
        mu = mu.copy(); mu[:launch] = 0
        yield f"S{i:05d}", mu, k, y, cols

def main():
    out = sys.argv[1]
    n = int(sys.argv[sys.argv.index("--series") + 1]) if "--series" in sys.argv else 3049
    T = int(sys.argv[sys.argv.index("--days") + 1]) if "--days" in sys.argv else 1941
    drivers = "--drivers" in sys.argv
    dates = [str(d) for d in START + np.arange(T)]
    with open(out, "w") as f:
        f.write("unique_id,ds,y,price,promo,snap,event\n" if drivers else "unique_id,ds,y\n")
        for uid, _, _, y, cols in generate(n, T, drivers):
            if not drivers:
                for d, v in zip(dates, y):
                    f.write(f"{uid},{d},{int(v)}\n")
                continue
            price = ["" if np.isnan(p) else f"{p:.2f}" for p in cols["price"]]
            for d, v, p, pr, s, e in zip(dates, y, price, cols["promo"], cols["snap"], cols["event"]):
                f.write(f"{uid},{d},{int(v)},{p},{pr},{s},{e}\n")

if __name__ == "__main__":
    main()
