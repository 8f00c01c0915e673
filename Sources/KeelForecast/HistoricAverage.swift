/// The historic average (statsforecast `HistoricAverage`): every step forecasts the mean ȳ of the
/// n observed values.
///
/// - Fitted value: ȳ at every point (as statsforecast).
/// - Variance: σ²·(1 + 1/n), σ² = Σ (yₜ − ȳ)² / (n − 1) (0 when n = 1).
/// - Needs one observed value. O(n), two passes.
public struct HistoricAverage: Forecaster {
    public let name: String
    public init(alias: String = "HistoricAverage") { self.name = alias }

    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        var sum = 0.0, n = 0
        for v in y where v.isFinite { sum += v; n += 1 }
        guard n > 0 else { throw .tooShort(model: name, needed: 1, got: 0) }
        let mean = sum / Double(n)
        var ss = 0.0
        for v in y where v.isFinite { ss += (v - mean) * (v - mean) }
        let fitted = [Double](repeating: mean, count: y.count)
        return BaselineFit(name: name, fitted: fitted, pattern: [mean], sigma2: n > 1 ? ss / Double(n - 1) : 0, growth: .mean(n))
    }
}
