/// Point and quantile forecast accuracy (Hyndman & Koehler 2006; the M5 competition guidelines).
///
/// Conventions: `actual` and `forecast` are the same length `h`; a NaN actual (or forecast) skips
/// that step, and means are over the remaining steps (NaN when none remain). Error is
/// `e_t = ŷ_t − y_t` for bias (positive = over-forecast); the absolute metrics are symmetric.
/// Scales come from the in-sample `history` (NaN pairs skipped). A zero or undefined scale gives
/// a non-finite scaled metric (∞ or NaN): callers decide (the M5 scores drop such series).
/// All functions are O(h + history.count).
public enum Metrics {
    /// Mean over the steps where both values are finite of `f(y, ŷ)`.
    static func mean(_ actual: [Double], _ forecast: [Double], _ f: (Double, Double) -> Double) -> Double {
        precondition(actual.count == forecast.count, "Metrics: \(actual.count) actuals for \(forecast.count) forecasts")
        var s = 0.0, n = 0
        for (y, p) in zip(actual, forecast) where !y.isNaN && !p.isNaN { s += f(y, p); n += 1 }
        return n == 0 ? .nan : s / Double(n)
    }

    /// Mean absolute error `(1/h) Σ |y_t − ŷ_t|`.
    public static func mae(actual: [Double], forecast: [Double]) -> Double { mean(actual, forecast) { abs($0 - $1) } }

    /// Mean squared error `(1/h) Σ (y_t − ŷ_t)²`.
    public static func mse(actual: [Double], forecast: [Double]) -> Double { mean(actual, forecast) { ($0 - $1) * ($0 - $1) } }

    /// The MASE scale: in-sample mean absolute seasonal-naive error
    /// `(1/(n − m)) Σ_{t=m+1}^{n} |y_t − y_{t−m}|` (pairs with a NaN skipped).
    public static func maseScale(history: [Double], seasonLength m: Int = 1) -> Double {
        precondition(m >= 1, "maseScale: season length must be ≥ 1")
        var s = 0.0, n = 0
        if history.count > m {
            for t in m..<history.count where !history[t].isNaN && !history[t - m].isNaN { s += abs(history[t] - history[t - m]); n += 1 }
        }
        return n == 0 ? .nan : s / Double(n)
    }

    /// MASE = MAE / `maseScale(history, m)`.
    public static func mase(actual: [Double], forecast: [Double], history: [Double], seasonLength m: Int = 1) -> Double {
        mae(actual: actual, forecast: forecast) / maseScale(history: history, seasonLength: m)
    }

    /// The M5 history: `history` from its first non-zero (and non-NaN) value on (empty if none).
    public static func fromFirstDemand(_ history: [Double]) -> ArraySlice<Double> {
        guard let first = history.firstIndex(where: { !$0.isNaN && $0 != 0 }) else { return [] }
        return history[first...]
    }

    /// The M5 RMSSE scale: over the history from its first non-zero demand on (`y_1…y_n`),
    /// `(1/(n − 1)) Σ_{t=2}^{n} (y_t − y_{t−1})²` (pairs with a NaN skipped).
    public static func rmsseScale(history: [Double]) -> Double { naiveScale(history) { $0 * $0 } }

    /// The M5 SPL scale: `(1/(n − 1)) Σ_{t=2}^{n} |y_t − y_{t−1}|` from the first non-zero demand on.
    public static func splScale(history: [Double]) -> Double { naiveScale(history) { abs($0) } }

    static func naiveScale(_ history: [Double], _ f: (Double) -> Double) -> Double {
        let y = fromFirstDemand(history)
        var s = 0.0, n = 0
        var i = y.startIndex + 1
        while i < y.endIndex {
            if !y[i].isNaN && !y[i - 1].isNaN { s += f(y[i] - y[i - 1]); n += 1 }
            i += 1
        }
        return n == 0 ? .nan : s / Double(n)
    }

    /// RMSSE (M5): `√( (1/h) Σ (y_t − ŷ_t)² / rmsseScale(history) )`.
    public static func rmsse(actual: [Double], forecast: [Double], history: [Double]) -> Double {
        (mse(actual: actual, forecast: forecast) / rmsseScale(history: history)).squareRoot()
    }

    /// sMAPE on the 0–200 scale: `(200/h) Σ |y_t − ŷ_t| / (|y_t| + |ŷ_t|)`, a 0/0 term counting 0.
    public static func smape(actual: [Double], forecast: [Double]) -> Double {
        mean(actual, forecast) { y, p in
            let d = abs(y) + abs(p)
            return d == 0 ? 0 : 200 * abs(y - p) / d
        }
    }

    /// Bias: mean error `(1/h) Σ (ŷ_t − y_t)` and relative bias `Σ (ŷ_t − y_t) / Σ |y_t|`
    /// (NaN when `Σ |y_t| = 0`); positive = over-forecast.
    public static func bias(actual: [Double], forecast: [Double]) -> (meanError: Double, relative: Double) {
        let me = mean(actual, forecast) { $1 - $0 }
        var e = 0.0, a = 0.0
        for (y, p) in zip(actual, forecast) where !y.isNaN && !p.isNaN { e += p - y; a += abs(y) }
        return (me, a == 0 ? .nan : e / a)
    }

    /// Pinball (quantile) loss at level `τ ∈ (0, 1)` for quantile forecasts `q_t`:
    /// `(1/h) Σ [ τ (y_t − q_t) if y_t ≥ q_t, else (1 − τ)(q_t − y_t) ]`.
    public static func pinball(actual: [Double], quantile: [Double], level tau: Double) -> Double {
        mean(actual, quantile) { y, q in y >= q ? tau * (y - q) : (1 - tau) * (q - y) }
    }

    /// Scaled pinball loss (M5): `pinball / splScale(history)`.
    public static func scaledPinball(actual: [Double], quantile: [Double], level tau: Double, history: [Double]) -> Double {
        pinball(actual: actual, quantile: quantile, level: tau) / splScale(history: history)
    }

    /// Coverage: the share of steps with `y_t ≤ q_t` (ideally `τ` for a `τ` quantile).
    public static func coverage(actual: [Double], quantile: [Double]) -> Double {
        mean(actual, quantile) { y, q in y <= q ? 1 : 0 }
    }
}
