/// Croston's method and its variants, as statsforecast (`_croston_classic`, `_croston_sba`,
/// `_croston_optimized`; `src/ses.cpp`).
///
/// Over the observed values x (missing periods removed, see `CompactSeries`): the non-zero
/// sizes zⱼ (x > 0) and the intervals qⱼ between successive non-zero periods (the first counted
/// from the start) are each smoothed by SES, ẑ and q̂ their one-step forecasts after the last
/// value, and the forecast is ẑ/q̂ for every step. Fitted values are statsforecast's: the size
/// and interval forecasts in force at each period (q̂ = 1 before the first interval or when it
/// is 0) — for `CrostonOptimized` with the final α rather than statsforecast's expanding refits
/// (O(n) instead of O(n²)). A series without a positive value forecasts its last value
/// (statsforecast's naive fallback): all-zero series forecast 0. Quantiles: `IntermittentFit`.
enum CrostonKernel {
    /// (forecast, fitted values of the compact series). `alpha` nil: golden-section optimum on
    /// [0.1, 0.3] of each component's SES SSE. O(n).
    static func fit(_ x: [Double], alphaSize: Double?, alphaInterval: Double?) -> (mean: Double, fitted: [Double]) {
        let n = x.count
        var sizes: [Double] = [], intervals: [Double] = []
        sizes.reserveCapacity(n)
        intervals.reserveCapacity(n)
        var previous = 0
        for i in 0..<n {
            if x[i] > 0 { sizes.append(x[i]) }
            if x[i] != 0 { intervals.append(Double(i + 1 - previous)); previous = i + 1 }
        }
        var fitted = [Double](repeating: .nan, count: n)
        guard !sizes.isEmpty else {
            for i in 1..<max(1, n) { fitted[i] = x[i - 1] }
            return (x[n - 1], fitted)
        }
        // Size and interval forecasts in force after each non-zero period: f[0] = NaN, f[j] after
        // the j-th, f[count] the final forecast.
        var fs = [Double](repeating: .nan, count: sizes.count + 1)
        var fq = [Double](repeating: .nan, count: intervals.count + 1)
        let zHat = sizes.withUnsafeBufferPointer { zb in
            fs.withUnsafeMutableBufferPointer { fb in
                IntermittentSmoothing.forecast(zb, alpha: alphaSize ?? IntermittentSmoothing.optimalAlpha(zb),
                                               fitted: UnsafeMutableBufferPointer(rebasing: fb[0..<zb.count]))
            }
        }
        let qHat = intervals.withUnsafeBufferPointer { qb in
            fq.withUnsafeMutableBufferPointer { fb in
                IntermittentSmoothing.forecast(qb, alpha: alphaInterval ?? IntermittentSmoothing.optimalAlpha(qb),
                                               fitted: UnsafeMutableBufferPointer(rebasing: fb[0..<qb.count]))
            }
        }
        fs[sizes.count] = zHat
        fq[intervals.count] = qHat
        // statsforecast `expand_fitted_demand` / `expand_fitted_intervals`.
        var js = 0, jq = 0
        var size = Double.nan, interval = 1.0
        for i in 1..<max(1, n) {
            if x[i - 1] > 0 { js += 1; size = fs[js] } else if js == 0 { size = x[i - 1] }
            if x[i - 1] != 0 { jq += 1; interval = fq[jq] == 0 ? 1 : fq[jq] } else if jq == 0 { interval = 1 }
            fitted[i] = size / interval
        }
        return (qHat != 0 ? zHat / qHat : zHat, fitted)
    }

    static func fit(_ y: [Double], name: String, alphaSize: Double?, alphaInterval: Double?, factor: Double) throws(ForecastError) -> IntermittentFit {
        let compact = CompactSeries(y)
        guard !compact.values.isEmpty else { throw .tooShort(model: name, needed: 1, got: 0) }
        var (mean, fitted) = fit(compact.values, alphaSize: alphaSize, alphaInterval: alphaInterval)
        if factor != 1 {
            mean *= factor
            for i in fitted.indices { fitted[i] *= factor }
        }
        return IntermittentFit(name: name, fitted: compact.expand(fitted), point: mean, observed: y)
    }
}

/// Croston's classic method (statsforecast `CrostonClassic`): α = 0.1 for sizes and intervals.
/// See `CrostonKernel` for the model and `IntermittentFit` for the count quantiles.
/// Needs one observed value.
public struct CrostonClassic: Forecaster {
    public let name: String
    public init(alias: String = "CrostonClassic") { name = alias }
    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try CrostonKernel.fit(y, name: name, alphaSize: 0.1, alphaInterval: 0.1, factor: 1)
    }
}

/// The Syntetos–Boylan approximation (statsforecast `CrostonSBA`): Croston classic (α = 0.1)
/// times the debiasing factor 1 − α/2 = 0.95, forecasts and fitted values alike.
public struct CrostonSBA: Forecaster {
    public let name: String
    /// The debiasing factor 1 − α/2 for α = 0.1.
    public static let factor = 1 - 0.1 / 2
    public init(alias: String = "CrostonSBA") { name = alias }
    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try CrostonKernel.fit(y, name: name, alphaSize: 0.1, alphaInterval: 0.1, factor: Self.factor)
    }
}

/// Croston's method with optimised smoothing (statsforecast `CrostonOptimized`): α for the sizes
/// and, separately, for the intervals minimises that component's in-sample one-step SSE on
/// [0.1, 0.3] by golden-section search (statsforecast `golden_section_ses`).
public struct CrostonOptimized: Forecaster {
    public let name: String
    public init(alias: String = "CrostonOptimized") { name = alias }
    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try CrostonKernel.fit(y, name: name, alphaSize: nil, alphaInterval: nil, factor: 1)
    }
}
