import Foundation
import KeelNumerics

/// One series of a pooled group: daily history from `firstDay` (days since 1970-01-01, a
/// Thursday), its regressors, and their values over the forecast horizon.
public struct SeriesWithFeatures: Sendable {
    public var id: String
    public var firstDay: Int
    /// Daily demand; NaN = missing (censored) — the row is left out.
    public var y: [Double]
    /// Daily selling price (> 0), nil when unknown for the whole series (effect then 0). A NaN
    /// price leaves the row out.
    public var price: [Double]?
    /// The price the elasticity is relative to; nil uses the median of the observed prices.
    public var referencePrice: Double?
    /// Promotion flag (0/1) or intensity per day; nil = never on promotion.
    public var promotion: [Double]?
    /// `y.count × eventNames.count` event dummies (columns in `PooledRegression.eventNames` order).
    public var events: Matrix?
    /// Regressors over the horizon. Beyond the given values: the last future price (else the
    /// reference price), no promotion, no event.
    public var futurePrice: [Double]?
    public var futurePromotion: [Double]?
    public var futureEvents: Matrix?

    public init(
        id: String, firstDay: Int, y: [Double], price: [Double]? = nil, referencePrice: Double? = nil,
        promotion: [Double]? = nil, events: Matrix? = nil, futurePrice: [Double]? = nil,
        futurePromotion: [Double]? = nil, futureEvents: Matrix? = nil
    ) {
        self.id = id
        self.firstDay = firstDay
        self.y = y
        self.price = price
        self.referencePrice = referencePrice
        self.promotion = promotion
        self.events = events
        self.futurePrice = futurePrice
        self.futurePromotion = futurePromotion
        self.futureEvents = futureEvents
    }
}

/// A global (pooled) regression over every series of a group (a department, a category), so
/// that sparse series borrow the price and promotion response of their peers.
///
/// Model (quasi-Poisson, log link, one level per series): `E[yᵢₜ] = ℓᵢ·exp(xᵢₜᵀβ)` with shared
/// β over the columns, in order: `log_price` = log(pᵢₜ / p̄ᵢ) (so β₀ is the price elasticity),
/// `promotion` (exp(β₁) is the promotion uplift), day-of-week dummies `dow_tue` … `dow_sun`
/// (Monday = 1), yearly Fourier `sin/cos(2πk·day/365.25)`, k = 1…`yearlyTerms`, then the event
/// dummies. The series' level ℓᵢ plays the role of "y scaled by the series' mean level": it is
/// profiled exactly, ℓᵢ = Σₜyᵢₜ / Σₜexp(xᵢₜᵀβ) (the Poisson MLE of ℓᵢ given β), so no series-level
/// column is needed and zeros need no log1p.
///
/// Fit: iteratively reweighted least squares from β = 0. Each iteration streams the series one
/// at a time: builds that series' block `Xᵢ` (its rows only, in one reused buffer), profiles ℓᵢ,
/// forms working response `z = xᵀβ + (y − μ)/μ` and weight `w = μ`, removes the weighted
/// within-series means (Frisch–Waugh for the series levels), and accumulates `XᵢᵀWXᵢ` (BLAS
/// `dsyrk` via `Matrix.gram`) and `XᵢᵀWz` (`dgemv`). The full stacked matrix is never formed:
/// memory is O(max nᵢ · p + p²). β ← `(A + Λ)⁻¹b` by Cholesky (`dposv`) with the scale-free ridge
/// `Λⱼⱼ = ridge·Aⱼⱼ + 1e-10·maxⱼ Aⱼⱼ`. Stops when max|Δβ| < `tolerance` or after
/// `maxIterations`. Cost per iteration O(Σnᵢ · p²); from β = 0 typically 5 iterations, and groups
/// of ≥ 400 series start from a fit on every 8th series, then need about 3 full iterations.
/// Each iteration runs four fixed shards of series concurrently and sums them in shard order,
/// so the result is bit-identical on any number of cores.
///
/// Forecast of series i at a future day: `ℓᵢ·exp(xᵀβ)`; variance `φ·mean` with the Pearson
/// dispersion φ = Σ(y − μ)²/μ / (N − p − #series). Series with no observed demand get level 0.
public struct PooledRegression: Sendable {
    /// The name its fits and errors carry (`ExogenousLogLinkRegression` fits it under its own).
    public var name: String
    public var eventNames: [String]
    public var yearlyTerms: Int
    public var ridge: Double
    public var maxIterations: Int
    public var tolerance: Double
    /// A Gaussian prior on the coefficients (e.g. a department's effects centred on the whole
    /// chain's): each IRLS step solves `(A + Λ + P)β = b + P·mean` with `P = diag(precision)`, in
    /// the units of `A = XᵀWX` (a precision of φ/τ² for a prior standard deviation τ under
    /// dispersion φ). A precision of 0 leaves that column free. Nil: no prior.
    public var prior: (mean: [Double], precision: [Double])?

    public init(eventNames: [String] = [], yearlyTerms: Int = 3, ridge: Double = 1e-4, maxIterations: Int = 25, tolerance: Double = 1e-7,
                name: String = "PooledRegression") {
        self.name = name
        self.eventNames = eventNames
        self.yearlyTerms = max(0, yearlyTerms)
        self.ridge = max(0, ridge)
        self.maxIterations = max(1, maxIterations)
        self.tolerance = tolerance
    }

    public var columnNames: [String] {
        var names = ["log_price", "promotion", "dow_tue", "dow_wed", "dow_thu", "dow_fri", "dow_sat", "dow_sun"]
        if yearlyTerms > 0 { for k in 1...yearlyTerms { names += ["year_sin\(k)", "year_cos\(k)"] } }
        return names + eventNames
    }

    /// The outcome over a group: shared coefficients and one fitted forecaster per series (in
    /// the order of the group).
    public struct Fit: Sendable {
        public var columnNames: [String]
        public var coefficients: [Double]
        public var dispersion: Double
        public var iterations: Int
        public var converged: Bool
        public var series: [SeriesFit]

        public func coefficient(_ column: String) -> Double? {
            columnNames.firstIndex(of: column).map { coefficients[$0] }
        }
    }

    /// A series' forecaster under the pooled coefficients.
    public struct SeriesFit: FittedForecaster {
        public let name: String
        public let id: String
        /// ℓᵢ: the series' level (the expected demand at reference price, no promotion, Monday,
        /// Fourier and events at 0).
        public let level: Double
        /// In-sample means `ℓᵢ·exp(xᵀβ)` (NaN where a regressor is missing).
        public let fitted: [Double]
        let futureMeans: [Double]
        let coefficients: [Double]
        let yearlyTerms: Int
        /// The day after the history, and the log relative price held beyond the given future.
        let firstFutureDay: Int
        let heldLogPrice: Double
        let dispersion: Double

        /// Means over the given future regressors; beyond them, the held price with no promotion
        /// and no event (day of week and yearly terms continue).
        public func forecast(horizon: Int) -> ModelForecast {
            var mean = [Double](repeating: 0, count: horizon)
            for h in 0..<horizon {
                if h < futureMeans.count { mean[h] = futureMeans[h]; continue }
                var eta = coefficients[0] * heldLogPrice
                let day = firstFutureDay + h
                let dow = PooledRegression.dayOfWeek(day)
                if dow > 0 { eta += coefficients[1 + dow] }
                for k in 0..<yearlyTerms {
                    let a = 2 * Double.pi * Double(k + 1) * Double(day) / 365.25
                    eta += coefficients[8 + 2 * k] * sin(a) + coefficients[9 + 2 * k] * cos(a)
                }
                mean[h] = level * exp(eta)
            }
            return ModelForecast(mean: mean, variance: mean.map { dispersion * $0 })
        }

        /// Normal quantiles with variance φ·mean, clamped at zero.
        public func predict(horizon: Int, levels: [Double]) -> Forecast {
            let f = forecast(horizon: horizon)
            let quantiles = levels.map { level in
                let z = Normal.quantile(level)
                return (0..<horizon).map { h in max(0, f.mean[h] + z * max(0, f.variance![h]).squareRoot()) }
            }
            return Forecast(model: name, mean: f.mean, levels: levels, quantiles: quantiles)
        }
    }
}
