"""An M5-shaped daily panel: 3,049 series x 1,941 days, about half of all days zero.

Deterministic (numpy seed). Each series: a log-normal base level (a long tail of slow movers),
a weekly profile, a yearly cycle, a slow trend, launches (leading NaN-free zeros) and gamma-Poisson
noise, so the zero share is about 50 % overall, as in M5's SKU-store level.
Usage: python m5_panel.py OUT.csv [--series 3049] [--days 1941]
"""
import sys
import numpy as np

def main():
    out = sys.argv[1]
    n = int(sys.argv[sys.argv.index("--series") + 1]) if "--series" in sys.argv else 3049
    T = int(sys.argv[sys.argv.index("--days") + 1]) if "--days" in sys.argv else 1941
    rng = np.random.default_rng(20110129)
    t = np.arange(T)
    dates = np.datetime64("2011-01-29") + t
    dow = (t + 5) % 7  # 2011-01-29 was a Saturday
    with open(out, "w") as f:
        f.write("unique_id,ds,y\n")
        for i in range(n):
            level = np.exp(rng.normal(-0.2, 1.1))
            weekly = 1 + rng.uniform(0.05, 0.45) * np.array([-.3, -.35, -.25, -.1, .25, .45, .3])[dow]
            yearly = 1 + rng.uniform(0, 0.3) * np.sin(2 * np.pi * (t / 365.25) + rng.uniform(0, 2 * np.pi))
            trend = np.exp(rng.normal(0, 0.25) * t / T)
            mu = level * weekly * yearly * trend
            launch = int(rng.integers(0, T // 3)) if rng.random() < 0.3 else 0
            k = rng.uniform(0.8, 5)
            y = rng.poisson(mu * rng.gamma(k, 1 / k, T)).astype(float)
            y[:launch] = 0
            for d, v in zip(dates, y):
                f.write(f"S{i:05d},{d},{int(v)}\n")

if __name__ == "__main__":
    main()
