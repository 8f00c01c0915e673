/// The seasonal naive forecast (statsforecast `SeasonalNaive`): step h forecasts the last
/// observed value of the same season position, yₙ₋ₘ₊₁₊((h−1) mod m) (going back whole seasons
/// over missing values).
///
/// - Fitted value at t: the last observed value at t − m, t − 2m, … (NaN in the first season).
/// - Variance: σ²·(⌊(h − 1)/m⌋ + 1), σ² = Σ (yₜ − ŷₜ)² / k over the k residuals (statsforecast
///   divides by n − m, which is k when nothing is missing).
/// - Needs an observed value at every one of the m season positions (`tooShort` otherwise).
/// - `seasonLength` ≤ 1 makes it the naive forecast. O(n).
public struct SeasonalNaive: Forecaster {
    public let name: String
    public init(alias: String = "SeasonalNaive") { self.name = alias }

    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        let m = max(1, seasonLength)
        let n = y.count
        // carry[t]: the last observed value at t, t − m, t − 2m, …
        var carry = [Double](repeating: .nan, count: n)
        var fitted = [Double](repeating: .nan, count: n)
        var sse = 0.0, k = 0
        for t in 0..<n {
            let previous = t >= m ? carry[t - m] : .nan
            fitted[t] = previous
            if y[t].isFinite {
                carry[t] = y[t]
                if previous.isFinite { let e = y[t] - previous; sse += e * e; k += 1 }
            } else {
                carry[t] = previous
            }
        }
        var pattern = [Double](repeating: .nan, count: m)
        var positions = 0
        if n >= m {
            for j in 0..<m {
                pattern[j] = carry[n - m + j]
                if pattern[j].isFinite { positions += 1 }
            }
        }
        guard positions == m else { throw .tooShort(model: name, needed: m, got: Observed.count(y)) }
        return BaselineFit(name: name, fitted: fitted, pattern: pattern, sigma2: k > 0 ? sse / Double(k) : 0, growth: .seasonalRandomWalk(m))
    }
}
