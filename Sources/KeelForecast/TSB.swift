/// Teunter–Syntetos–Babai (statsforecast `TSB`): SES of the demand probability pₜ = [xₜ ≠ 0]
/// with α_p over every period, SES of the non-zero sizes with α_d, forecast p̂·ẑ for every step.
///
/// Over the observed values (missing periods removed). Fitted value at t: p̂ₜ times the size
/// forecast in force (statsforecast's `expand_fitted_demand`). An all-zero series forecasts 0
/// with fitted values 0 (NaN at the first). Quantiles: `IntermittentFit`. Needs one observed
/// value. O(n).
public struct TSB: Forecaster {
    public let name: String
    public let alphaD: Double
    public let alphaP: Double
    public init(alphaD: Double, alphaP: Double, alias: String = "TSB") {
        self.alphaD = alphaD
        self.alphaP = alphaP
        self.name = alias
    }
    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try TSBKernel.fit(y, name: name, alphaD: alphaD, alphaP: alphaP)
    }
}

/// TSB with optimised smoothing (no statsforecast counterpart): α_d and α_p each minimise their
/// component's in-sample one-step SSE (sizes, and the 0/1 demand indicator) on [0.1, 0.3] by
/// golden-section search — the same rule as `CrostonOptimized`.
public struct TSBOptimized: Forecaster {
    public let name: String
    public init(alias: String = "TSBOptimized") { name = alias }
    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try TSBKernel.fit(y, name: name, alphaD: nil, alphaP: nil)
    }
}

enum TSBKernel {
    static func fit(_ y: [Double], name: String, alphaD: Double?, alphaP: Double?) throws(ForecastError) -> IntermittentFit {
        let compact = CompactSeries(y)
        let x = compact.values, n = x.count
        guard n > 0 else { throw .tooShort(model: name, needed: 1, got: 0) }
        var fitted = [Double](repeating: 0, count: n)
        fitted[0] = .nan
        var sizes: [Double] = []
        sizes.reserveCapacity(n)
        var indicator = [Double](repeating: 0, count: n)
        for i in 0..<n {
            if x[i] > 0 { sizes.append(x[i]) }
            if x[i] != 0 { indicator[i] = 1 }
        }
        guard !sizes.isEmpty else {
            return IntermittentFit(name: name, fitted: compact.expand(fitted), point: 0, observed: y)
        }
        var fp = [Double](repeating: .nan, count: n)
        var fs = [Double](repeating: .nan, count: sizes.count + 1)
        let pHat = indicator.withUnsafeBufferPointer { pb in
            fp.withUnsafeMutableBufferPointer { fb in
                IntermittentSmoothing.forecast(pb, alpha: alphaP ?? IntermittentSmoothing.optimalAlpha(pb), fitted: fb)
            }
        }
        let zHat = sizes.withUnsafeBufferPointer { zb in
            fs.withUnsafeMutableBufferPointer { fb in
                IntermittentSmoothing.forecast(zb, alpha: alphaD ?? IntermittentSmoothing.optimalAlpha(zb),
                                               fitted: UnsafeMutableBufferPointer(rebasing: fb[0..<zb.count]))
            }
        }
        fs[sizes.count] = zHat
        var js = 0
        var size = Double.nan
        for i in 1..<n {
            if x[i - 1] > 0 { js += 1; size = fs[js] } else if js == 0 { size = x[i - 1] }
            fitted[i] = fp[i] * size
        }
        return IntermittentFit(name: name, fitted: compact.expand(fitted), point: pHat * zHat, observed: y)
    }
}
