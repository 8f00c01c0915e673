import KeelCore

/// The one model contract every forecaster implements (after statsforecast's `models.py`).
///
/// `fit` takes one series and its primary season length and returns a fitted model:
/// - `y` may contain NaN: a missing value (a censored stockout day, a gap), never a zero. Models
///   skip the update at a missing point (the state carries its one-step forecast forward).
/// - `seasonLength` is 1 for no seasonality.
/// - A fit that cannot be done (too short, degenerate, no convergence) throws `ForecastError`; the
///   engine then falls back (see `fallback`) and records the failure on the run.
/// Fitting is deterministic: the same input gives the same fitted model, bit for bit.
public protocol Forecaster: Sendable {
    /// A unique name, stable across releases (written into the forecasts' `model` column).
    var name: String { get }
    func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster
}

public protocol FittedForecaster: Sendable {
    var name: String { get }
    /// One-step-ahead in-sample fitted values, `y.count` long (NaN where undefined, e.g. the
    /// first value or a season's warm-up).
    var fitted: [Double] { get }
    /// Mean forecast for steps 1…horizon and, when the model has a distribution, the variance of
    /// each step's forecast error.
    func forecast(horizon: Int) -> ModelForecast
    /// Mean and quantiles at `levels` (each in (0, 1)) for steps 1…horizon. The default uses the
    /// Normal distribution with the model's variance (or, without one, the in-sample residual
    /// variance growing like a random walk); count models override it.
    func predict(horizon: Int, levels: [Double]) -> Forecast
}

public struct ModelForecast: Sendable, Equatable {
    public var mean: [Double]
    public var variance: [Double]?
    public init(mean: [Double], variance: [Double]? = nil) {
        self.mean = mean
        self.variance = variance
    }
}

/// A forecast with quantiles: `quantiles[k][h]` is the `levels[k]` quantile of step h + 1.
public struct Forecast: Sendable, Equatable {
    public var model: String
    public var mean: [Double]
    public var levels: [Double]
    public var quantiles: [[Double]]
    public init(model: String, mean: [Double], levels: [Double], quantiles: [[Double]]) {
        self.model = model
        self.mean = mean
        self.levels = levels
        self.quantiles = quantiles
    }
}

public enum ForecastError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooShort(model: String, needed: Int, got: Int)
    case degenerate(model: String, reason: String)
    case noConvergence(model: String)
    case invalidInput(String)

    public var description: String {
        switch self {
        case .tooShort(let m, let needed, let got): return "\(m): needs at least \(needed) observed values, got \(got)"
        case .degenerate(let m, let reason): return "\(m): \(reason)"
        case .noConvergence(let m): return "\(m): the optimiser did not converge"
        case .invalidInput(let reason): return reason
        }
    }
}

extension FittedForecaster {
    public func predict(horizon: Int, levels: [Double]) -> Forecast {
        let f = forecast(horizon: horizon)
        let variance = f.variance ?? ResidualVariance.randomWalk(fitted: fitted, horizon: horizon, observed: nil)
        let quantiles = levels.map { level in
            let z = Normal.quantile(level)
            return (0..<horizon).map { h in f.mean[h] + z * max(0, variance[h]).squareRoot() }
        }
        return Forecast(model: name, mean: f.mean, levels: levels, quantiles: quantiles)
    }
}

/// Forecast-error variance from in-sample residuals when a model has no distribution of its own.
public enum ResidualVariance {
    /// σ² × h: the residual variance of the one-step fits, growing linearly with the horizon.
    /// `observed` are the actual values matching `fitted`; nil gives σ² = 0 (no residuals known).
    public static func randomWalk(fitted: [Double], horizon: Int, observed: [Double]?) -> [Double] {
        var s = 0.0, n = 0
        if let observed {
            for (f, y) in zip(fitted, observed) where f.isFinite && y.isFinite { s += (y - f) * (y - f); n += 1 }
        }
        let sigma2 = n > 1 ? s / Double(n - 1) : 0
        return (1...max(1, horizon)).map { sigma2 * Double($0) }.prefix(horizon).map { $0 }
    }
}
