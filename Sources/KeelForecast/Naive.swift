/// The naive forecast (statsforecast `Naive`): every step forecasts the last observed value.
///
/// - Fitted value at t: the last observed value before t (NaN before the first observation), so
///   a missing value is skipped and the previous observation carried forward.
/// - Variance: σ²·h with σ² = Σ (yₜ − ŷₜ)² / k over the k one-step residuals (statsforecast
///   divides by n − 1, which is k when nothing is missing).
/// - Needs one observed value. O(n), one pass, no allocation beyond the fitted array.
public struct Naive: Forecaster {
    public let name: String
    public init(alias: String = "Naive") { self.name = alias }

    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        var fitted = [Double](repeating: .nan, count: y.count)
        var last = Double.nan
        var sse = 0.0, k = 0
        for t in 0..<y.count {
            fitted[t] = last
            if y[t].isFinite {
                if last.isFinite { let e = y[t] - last; sse += e * e; k += 1 }
                last = y[t]
            }
        }
        guard last.isFinite else { throw .tooShort(model: name, needed: 1, got: 0) }
        return BaselineFit(name: name, fitted: fitted, pattern: [last], sigma2: k > 0 ? sse / Double(k) : 0, growth: .randomWalk)
    }
}
