/// The window average (statsforecast `WindowAverage(window_size:)`): every step forecasts the
/// mean of the last `window` observed values (missing values are skipped, not counted).
///
/// - Fitted value at t: the mean of the `window` observed values before t (NaN until there are
///   `window` of them) — statsforecast has no fitted values for this model.
/// - Variance: σ²·(1 + 1/w), σ² the sample variance (denominator w − 1; 0 for w = 1) of the w
///   values in the window. statsforecast gives no intervals without conformal calibration.
/// - Needs `window` observed values. O(n) with a running sum.
public struct WindowAverage: Forecaster {
    public let name: String
    public let window: Int
    public init(window: Int, alias: String = "WindowAverage") {
        precondition(window >= 1, "WindowAverage needs window ≥ 1")
        self.window = window
        self.name = alias
    }

    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        let w = window
        // Ring of the last w observed values and their running sum.
        var ring = [Double](repeating: 0, count: w)
        var sum = 0.0, seen = 0
        var fitted = [Double](repeating: .nan, count: y.count)
        for t in 0..<y.count {
            if seen >= w { fitted[t] = sum / Double(w) }
            guard y[t].isFinite else { continue }
            let slot = seen % w
            if seen >= w { sum -= ring[slot] }
            ring[slot] = y[t]
            sum += y[t]
            seen += 1
        }
        guard seen >= w else { throw .tooShort(model: name, needed: w, got: seen) }
        // Recompute the final mean exactly (the running sum drifts by rounding).
        var total = 0.0
        for v in ring { total += v }
        let mean = total / Double(w)
        var ss = 0.0
        for v in ring { ss += (v - mean) * (v - mean) }
        return BaselineFit(name: name, fitted: fitted, pattern: [mean], sigma2: w > 1 ? ss / Double(w - 1) : 0, growth: .mean(w))
    }
}
