/// The fitted form of the intermittent-demand models (Croston, SBA, TSB, ADIDA, IMAPA): a flat
/// point forecast μ and, for quantiles, a count distribution.
///
/// Distribution choice: a negative binomial with mean μ (the point forecast) and variance
/// v = max(σ², μ), σ² the mean squared one-step in-sample error Σ(yₜ − ŷₜ)²/k over the k points
/// with a fitted value. Intermittent demand is over-dispersed counts (many zeros, occasional
/// lumps); the negative binomial keeps the model's mean, puts its mass on 0, 1, 2, …, and
/// reduces to a Poisson when the errors show no over-dispersion. Every step has the same
/// distribution (the models forecast a flat per-period rate). Quantiles are integers ≥ 0 when the
/// observed data are non-negative; a series with negative values falls back to Normal quantiles
/// μ ± z·σ. `forecast(horizon:)` reports the variance v.
struct IntermittentFit: FittedForecaster {
    let name: String
    let fitted: [Double]
    let point: Double
    let dispersion: Double
    let nonNegative: Bool

    init(name: String, fitted: [Double], point: Double, observed y: [Double]) {
        self.name = name
        self.fitted = fitted
        self.point = point
        let errors = Observed.squaredErrors(y, fitted)
        self.dispersion = errors.count > 0 ? errors.sum / Double(errors.count) : 0
        var nonNegative = true
        for v in y where v.isFinite && v < 0 { nonNegative = false }
        self.nonNegative = nonNegative
    }

    var distribution: CountDistribution { CountDistribution(mean: point, variance: dispersion) }

    func forecast(horizon: Int) -> ModelForecast {
        let v = nonNegative ? distribution.variance : dispersion
        return ModelForecast(mean: [Double](repeating: point, count: horizon), variance: [Double](repeating: v, count: horizon))
    }

    func predict(horizon: Int, levels: [Double]) -> Forecast {
        let mean = [Double](repeating: point, count: horizon)
        let perLevel: [Double]
        if nonNegative {
            perLevel = distribution.quantiles(levels)
        } else {
            perLevel = levels.map { point + Normal.quantile($0) * dispersion.squareRoot() }
        }
        return Forecast(model: name, mean: mean, levels: levels, quantiles: perLevel.map { [Double](repeating: $0, count: horizon) })
    }
}

/// The observed values of a series, compacted (missing values removed): the intermittent models
/// skip a missing period entirely — neither demand nor a zero — and their fitted values are
/// scattered back to the observed positions (NaN at the missing ones).
struct CompactSeries {
    var values: [Double]
    var positions: [Int]
    let count: Int

    init(_ y: [Double]) {
        values = []
        positions = []
        values.reserveCapacity(y.count)
        positions.reserveCapacity(y.count)
        for (t, v) in y.enumerated() where v.isFinite {
            values.append(v)
            positions.append(t)
        }
        count = y.count
    }

    var allZero: Bool { values.allSatisfy { $0 == 0 } }

    /// The compact fitted values spread to the full length.
    func expand(_ compactFitted: [Double]) -> [Double] {
        var out = [Double](repeating: .nan, count: count)
        for (k, t) in positions.enumerated() { out[t] = compactFitted[k] }
        return out
    }

    /// The mean interval between non-zero values (statsforecast `_intervals(y).mean()`).
    var meanInterval: Double {
        var previous = 0, sum = 0, k = 0
        for (i, v) in values.enumerated() where v != 0 {
            sum += i + 1 - previous
            previous = i + 1
            k += 1
        }
        return k > 0 ? Double(sum) / Double(k) : .nan
    }
}
