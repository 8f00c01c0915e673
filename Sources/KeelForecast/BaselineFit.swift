/// The fitted form shared by the baseline models (`Naive`, `SeasonalNaive`, `HistoricAverage`,
/// `WindowAverage`, `SeasonalWindowAverage`): a repeating pattern of point forecasts and a
/// forecast-error variance `sigma2 × growth(h)`.
///
/// Step h (1-based) forecasts `pattern[(h − 1) % pattern.count]`; the variance of step h is
/// - `.randomWalk`: σ²·h (naive),
/// - `.seasonalRandomWalk(m)`: σ²·(⌊(h − 1)/m⌋ + 1) (seasonal naive),
/// - `.mean(n)`: σ²·(1 + 1/n) (an average of n values), the same for every step.
/// Quantiles are the Normal ones of the protocol's default `predict`.
struct BaselineFit: FittedForecaster {
    enum Growth: Sendable {
        case randomWalk
        case seasonalRandomWalk(Int)
        case mean(Int)
    }

    let name: String
    let fitted: [Double]
    let pattern: [Double]
    let sigma2: Double
    let growth: Growth

    func forecast(horizon: Int) -> ModelForecast {
        var mean = [Double](repeating: 0, count: horizon)
        var variance = [Double](repeating: 0, count: horizon)
        for h in 0..<horizon {
            mean[h] = pattern[h % pattern.count]
            switch growth {
            case .randomWalk: variance[h] = sigma2 * Double(h + 1)
            case .seasonalRandomWalk(let m): variance[h] = sigma2 * Double(h / m + 1)
            case .mean(let n): variance[h] = sigma2 * (1 + 1 / Double(n))
            }
        }
        return ModelForecast(mean: mean, variance: variance)
    }
}

/// Helpers over series with missing values (NaN = not observed).
enum Observed {
    /// The number of finite values.
    static func count(_ y: [Double]) -> Int {
        var c = 0
        for v in y where v.isFinite { c += 1 }
        return c
    }

    /// Σ (y − f)² over the points where both are finite, and how many there were.
    static func squaredErrors(_ y: [Double], _ f: [Double]) -> (sum: Double, count: Int) {
        var s = 0.0, c = 0
        for i in 0..<min(y.count, f.count) where y[i].isFinite && f[i].isFinite {
            let e = y[i] - f[i]
            s += e * e
            c += 1
        }
        return (s, c)
    }
}
