/// The seasonal window average (statsforecast `SeasonalWindowAverage(season_length:,
/// window_size:)`): step h forecasts the mean of the last `window` observed values at the same
/// season position as n + h (positions t ≡ n + h − 1 mod m).
///
/// - Fitted value at t: the mean of the `window` observed values at t − m, t − 2m, … (NaN until
///   there are that many) — statsforecast has no fitted values for this model.
/// - Variance: σ²·(1 + 1/w), σ² = Σⱼ Σ (y − ȳⱼ)² / (m(w − 1)) pooled over the m windows (0 when
///   w = 1).
/// - Needs `window` observed values at every season position (`tooShort`, needed m·w).
/// - O(n·w) time (w is small), O(n) memory.
public struct SeasonalWindowAverage: Forecaster {
    public let name: String
    public let window: Int
    public init(window: Int, alias: String = "SeasonalWindowAverage") {
        precondition(window >= 1, "SeasonalWindowAverage needs window ≥ 1")
        self.window = window
        self.name = alias
    }

    /// The mean of the `w` observed values at `start`, `start − m`, …, or nil when fewer exist.
    private static func seasonalMean(_ y: [Double], from start: Int, m: Int, w: Int) -> (mean: Double, ss: Double)? {
        var t = start, sum = 0.0, got = 0
        while t >= 0 && got < w {
            if y[t].isFinite { sum += y[t]; got += 1 }
            t -= m
        }
        guard got == w else { return nil }
        let mean = sum / Double(w)
        var ss = 0.0
        t = start; got = 0
        while t >= 0 && got < w {
            if y[t].isFinite { ss += (y[t] - mean) * (y[t] - mean); got += 1 }
            t -= m
        }
        return (mean, ss)
    }

    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        let m = max(1, seasonLength), w = window, n = y.count
        var fitted = [Double](repeating: .nan, count: n)
        for t in stride(from: m, to: n, by: 1) {
            if let s = Self.seasonalMean(y, from: t - m, m: m, w: w) { fitted[t] = s.mean }
        }
        var pattern = [Double](repeating: .nan, count: m)
        var ss = 0.0
        for j in 0..<m {
            guard n - m + j >= 0, let s = Self.seasonalMean(y, from: n - m + j, m: m, w: w) else {
                throw .tooShort(model: name, needed: m * w, got: Observed.count(y))
            }
            pattern[j] = s.mean
            ss += s.ss
        }
        let sigma2 = w > 1 ? ss / Double(m * (w - 1)) : 0
        return BaselineFit(name: name, fitted: fitted, pattern: pattern, sigma2: sigma2, growth: .mean(w))
    }
}
