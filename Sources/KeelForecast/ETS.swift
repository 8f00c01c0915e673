import KeelNumerics

/// The innovations state-space exponential smoothing family of Hyndman, Koehler, Ord & Snyder
/// (2008), as in R's `forecast::ets` and statsforecast's `ets.py`: error A/M, trend N/A/Ad,
/// season N/A/M.
///
/// With level ℓ, growth b, seasonal s and damping φ (φ = 1 undamped), one-step forecast
/// μₜ = (ℓₜ₋₁ + φbₜ₋₁) ⊕ sₜ₋ₘ (⊕ is + for additive and × for multiplicative season), the
/// recursions in error-correction form (shared by both error types) are
///     ℓₜ = q + α(p − q),   q = ℓₜ₋₁ + φbₜ₋₁,   p = yₜ ⊖ sₜ₋ₘ
///     bₜ = φbₜ₋₁ + (β/α)(ℓₜ − ℓₜ₋₁ − φbₜ₋₁)
///     sₜ = sₜ₋ₘ + γ(yₜ ⊖ q − sₜ₋ₘ)
/// and the error is εₜ = yₜ − μₜ (additive) or (yₜ − μₜ)/μₜ (multiplicative).
public struct ETSSpec: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Character, Sendable, Hashable {
        case none = "N", additive = "A", multiplicative = "M"
    }

    public var error: Component
    public var trend: Component
    public var damped: Bool
    public var season: Component

    /// `error` must be A or M; `trend` N or A (multiplicative trend is not supported); `damped`
    /// only with a trend.
    public init(error: Component, trend: Component, damped: Bool = false, season: Component) {
        precondition(error != .none, "ETSSpec: the error is additive or multiplicative")
        precondition(trend != .multiplicative, "ETSSpec: multiplicative trend is not supported")
        precondition(!damped || trend != .none, "ETSSpec: damping needs a trend")
        self.error = error
        self.trend = trend
        self.damped = damped
        self.season = season
    }

    /// Parses the compact code of statsforecast/forecast: "ANN", "AAdA", "MAM", "MAdM".
    /// Returns nil for anything else (including a multiplicative trend).
    public init?(_ code: String) {
        let c = Array(code)
        guard c.count == 3 || (c.count == 4 && c[2] == "d") else { return nil }
        guard let e = Component(rawValue: c[0]), e != .none,
              let t = Component(rawValue: c[1]), t != .multiplicative,
              let s = Component(rawValue: c[c.count - 1]) else { return nil }
        let d = c.count == 4
        if d && t == .none { return nil }
        self.init(error: e, trend: t, damped: d, season: s)
    }

    /// "AAdA".
    public var code: String {
        "\(error.rawValue)\(trend.rawValue)\(damped ? "d" : "")\(season.rawValue)"
    }

    /// "ETS(A,Ad,A)", as printed by forecast::ets and statsforecast.
    public var description: String {
        "ETS(\(error.rawValue),\(trend.rawValue)\(damped ? "d" : ""),\(season.rawValue))"
    }

    var hasTrend: Bool { trend != .none }
    var hasSeason: Bool { season != .none }
    /// Excluded by forecast::ets's `restrict = TRUE` (infinite-variance forecasts): additive error
    /// with multiplicative season.
    public var isRestricted: Bool { error == .additive && season == .multiplicative }
}

/// Smoothing parameters. β is 0 without trend, γ is 0 without season, φ is 1 undamped.
public struct ETSParameters: Sendable, Hashable {
    public var alpha: Double
    public var beta: Double
    public var gamma: Double
    public var phi: Double
    public init(alpha: Double, beta: Double = 0, gamma: Double = 0, phi: Double = 1) {
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.phi = phi
    }
}

/// One fixed ETS specification, its parameters estimated by maximum likelihood (see
/// `ETS+Fit.swift`). Any of the parameters may be fixed instead of estimated.
///
/// `name` is the spec's description, e.g. "ETS(A,Ad,A)".
public struct ETSModel: Forecaster {
    public var spec: ETSSpec
    public var alpha: Double?
    public var beta: Double?
    public var gamma: Double?
    public var phi: Double?
    /// The optimiser; the default matches statsforecast's settings (tolerance 1e-4 on the spread
    /// of −2 log L over the simplex, at most 1,000 iterations).
    public var optimizer: NelderMead

    public init(_ spec: ETSSpec, alpha: Double? = nil, beta: Double? = nil, gamma: Double? = nil,
                phi: Double? = nil, optimizer: NelderMead = NelderMead()) {
        self.spec = spec
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.phi = phi
        self.optimizer = optimizer
    }

    public var name: String { spec.description }

    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try fitETS(y, seasonLength: seasonLength)
    }
}

/// A fitted ETS model: its parameters, states, likelihood and information criteria.
public struct FittedETS: FittedForecaster {
    /// The forecaster's name ("ETS(A,Ad,A)" for a fixed spec, "AutoETS" for the automatic one).
    public var name: String
    public var spec: ETSSpec
    /// "ETS(M,Ad,M)": the model actually fitted.
    public var model: String { spec.description }
    public var parameters: ETSParameters
    /// Season length in use (1 when the spec has no season).
    public var seasonLength: Int
    /// ℓ₀, b₀ (with trend) and the m initial seasonal states, oldest first (time order).
    public var initialLevel: Double
    public var initialTrend: Double
    public var initialSeasons: [Double]
    /// States after the last observation: level, growth and the seasonal states for the next m
    /// steps, in time order.
    public var finalLevel: Double
    public var finalTrend: Double
    public var finalSeasons: [Double]
    /// Residual variance Σε²/(n − k − 1) over observed points (ε relative for multiplicative error).
    public var sigma2: Double
    /// −2 log L up to a constant: n log(SSE/n) (+ 2Σ log|μₜ| for multiplicative error).
    public var minus2LogLikelihood: Double
    /// Number of estimated quantities, k (smoothing parameters, free initial states and σ²).
    public var parameterCount: Int
    public var observedCount: Int
    public var aic: Double
    public var aicc: Double
    public var bic: Double
    public var fitted: [Double]
    /// Innovations εₜ (NaN at missing points).
    public var residuals: [Double]
}
