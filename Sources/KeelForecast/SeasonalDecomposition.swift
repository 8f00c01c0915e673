/// Classical seasonal decomposition and the seasonality test used by the Theta models (as
/// statsforecast `auto_theta` with statsmodels `acf` and `seasonal_decompose`).
enum SeasonalDecomposition {
    /// NaNs replaced by linear interpolation between neighbours (the nearest value at the ends).
    static func interpolated(_ y: [Double]) -> [Double] {
        var out = y
        var previous = -1
        for t in 0..<y.count where y[t].isFinite {
            if previous < 0 {
                for k in 0..<t { out[k] = y[t] }
            } else if t - previous > 1 {
                let step = (y[t] - y[previous]) / Double(t - previous)
                for k in (previous + 1)..<t { out[k] = y[previous] + step * Double(k - previous) }
            }
            previous = t
        }
        if previous >= 0 { for k in (previous + 1)..<max(previous + 1, y.count) { out[k] = y[previous] } }
        return out
    }

    /// The 90 % test at lag m: with rₖ the sample autocorrelations (denominator Σ(y − ȳ)²),
    /// seasonal when |r_m| / √((1 + 2Σₖ₌₁^{m−1} rₖ²)/n) > Φ⁻¹(0.95). A constant series is not.
    static func isSeasonal(_ y: [Double], m: Int) -> Bool {
        let n = y.count
        guard m >= 4, n >= 2 * m else { return false }
        var mean = 0.0
        for v in y { mean += v }
        mean /= Double(n)
        var c0 = 0.0
        for v in y { c0 += (v - mean) * (v - mean) }
        guard c0 > 0 else { return false }
        var sumSquares = 0.0, rm = 0.0
        for k in 1...m {
            var c = 0.0
            for t in 0..<(n - k) { c += (y[t] - mean) * (y[t + k] - mean) }
            let r = c / c0
            if k < m { sumSquares += r * r } else { rm = r }
        }
        let stat = ((1 + 2 * sumSquares) / Double(n)).squareRoot()
        return abs(rm) / stat > Normal.quantile(0.95)
    }

    /// The m seasonal indices (position t mod m) of the classical decomposition: a centred moving
    /// average of order m (2×m for even m) as trend, y/trend (or y − trend) averaged per position,
    /// normalised to mean 1 (or 0). O(n·m).
    static func indices(_ y: [Double], m: Int, multiplicative: Bool) -> [Double] {
        let n = y.count
        var sums = [Double](repeating: 0, count: m)
        var counts = [Int](repeating: 0, count: m)
        let half = m / 2
        for t in half..<max(half, n - half) {
            let trend = centeredMovingAverage(y, at: t, period: m)
            let detrended = multiplicative ? y[t] / trend : y[t] - trend
            if detrended.isFinite {
                sums[t % m] += detrended
                counts[t % m] += 1
            }
        }
        var averages = [Double](repeating: multiplicative ? 1 : 0, count: m)
        for j in 0..<m where counts[j] > 0 { averages[j] = sums[j] / Double(counts[j]) }
        var mean = 0.0
        for v in averages { mean += v }
        mean /= Double(m)
        for j in 0..<m { averages[j] = multiplicative ? averages[j] / mean : averages[j] - mean }
        return averages
    }
}
