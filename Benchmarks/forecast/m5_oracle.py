"""The M5-shaped panel's own generating distribution as a forecast: the yardstick for (a).

Replays m5_panel.py's random draws (same seed, same order) to recover each series' daily mean
mu_t and gamma shape k, so day t's demand is negative binomial (size k, mean mu_t; zero before the
launch). For the last H days it prints, on the same sampled series and split as bench.py:
the RMSSE of the true mean (no forecaster can expect to beat it by much), and the coverage of the
true distribution's own quantiles, P(y <= q) and P(y < q) — for count data P(y <= q) exceeds the
level wherever the quantile falls on an atom (the median of a series that is zero on most days is
0, and P(y <= 0) is its zero share), so a calibrated forecaster's level lies between the two.
A panel with driver columns (m5_panel.py --drivers: price, promo, snap, event) is replayed with
m5_panel.py's own generator, so its true mean includes the drivers' effects over the horizon.
Usage: python m5_oracle.py PANEL.csv [--sample 300] [--horizon 28]
"""
import os, sys
import numpy as np
import pandas as pd
from scipy import stats

def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default

def truth(wanted, drivers):
    """(mu, k, y) for the series in `wanted`, replayed with m5_panel.py's own generator."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from m5_panel import generate
    return {uid: (mu, k, y) for uid, mu, k, y, _ in generate(drivers=drivers) if uid in wanted}

def main():
    panel, sample, H = sys.argv[1], int(arg("--sample", "300")), int(arg("--horizon", "28"))
    df = pd.read_csv(panel, parse_dates=["ds"])
    ids = sorted(df["unique_id"].unique())
    if sample:
        ids = sorted(np.random.default_rng(7).choice(ids, size=min(sample, len(ids)), replace=False))
    drivers = "price" in df.columns
    tr = truth(set(ids), drivers)
    rm, cov_le, cov_lt = [], {lv: [] for lv in (0.5, 0.9, 0.95, 0.99)}, {lv: [] for lv in (0.5, 0.9, 0.95, 0.99)}
    for uid, g in df[df["unique_id"].isin(set(ids))].sort_values(["unique_id", "ds"]).groupby("unique_id"):
        y = g["y"].to_numpy(float)
        mu, k, replay = tr[uid]
        assert np.array_equal(replay, y), f"{uid}: the replay differs from the panel file"
        train, test, m_test = y[:-H], y[-H:], mu[-H:]
        nz = np.flatnonzero(train != 0)
        d1 = np.diff(train[nz[0]:] if len(nz) else train)
        scale = np.mean(d1 ** 2)
        if scale > 0: rm.append(np.sqrt(np.mean((test - m_test) ** 2) / scale))
        p = k / (k + np.maximum(m_test, 1e-12))
        for lv in cov_le:
            q = np.where(m_test > 0, stats.nbinom.ppf(lv, k, p), 0)
            cov_le[lv].extend(test <= q); cov_lt[lv].extend(test < q)
    print(f"generating distribution{' (with drivers)' if drivers else ''} on {len(ids)} series, last {H} days: RMSSE of the true mean {np.mean(rm):.4f}")
    print("coverage of its own quantiles: " + ", ".join(
        f"q{lv}: P(y<=q) {np.mean(cov_le[lv]):.3f}, P(y<q) {np.mean(cov_lt[lv]):.3f}" for lv in cov_le))

if __name__ == "__main__":
    main()
