/// The four Theta models of Fiorucci et al. (2016) as statsforecast implements them
/// (`statsforecast/theta.py`, `src/theta.cpp`), each with the classical seasonal adjustment of
/// Hyndman's `forecast::thetaf`.
///
/// State (level ℓ, running mean ȳ, trend line Aₙ + Bₙ·t, one-step forecast μ) at time index i:
///
///     μᵢ   = ℓᵢ₋₁ + (1 − 1/θ)·(Aᵢ₋₁(1 − α)ⁱ + Bᵢ₋₁(1 − (1 − α)ⁱ⁺¹)/α)
///     ℓᵢ   = α·yᵢ + (1 − α)·ℓᵢ₋₁
///     ȳᵢ   = (i·ȳᵢ₋₁ + yᵢ)/(i + 1)
///     dynamic only:  Bᵢ = ((i − 1)Bᵢ₋₁ + 6(yᵢ − ȳᵢ₋₁)/(i + 1))/(i + 2),  Aᵢ = ȳᵢ − Bᵢ(i + 2)/2
///
/// The standard models fix A, B to the least-squares line through the whole series; the dynamic
/// ones update them. Forecasts run the recursion with yᵢ = μᵢ. A missing value is the same:
/// the update uses μᵢ, so the state carries its one-step forecast forward.
///
/// Parameters: ℓ₀ (initial smoothed level, start y₀/2) and α ∈ [0.1, 0.99] (start 0.5) always;
/// θ ∈ [1, 1e10] (start 2) for the optimised models, θ = 2 for the standard ones. They minimise
/// Σᵢ₌₃ eᵢ² / mean|y| with statsforecast's bounded, adaptive Nelder–Mead (`ThetaOptimizer`).
///
/// Seasonality: when m ≥ 4, n ≥ 2m and |r_m| / √((1 + 2Σₖ₌₁^{m−1} rₖ²)/n) > Φ⁻¹(0.95) (the 90 %
/// two-sided ACF test at lag m), y is divided by the multiplicative classical decomposition's
/// seasonal indices (additive when y has a non-positive value or an index below 0.01), and the
/// forecasts multiplied back. Missing values are interpolated linearly for the test and the
/// decomposition only.
///
/// Intervals: statsforecast simulates 200 paths; Keel computes the same paths' distribution in
/// closed form (`Theta+Intervals.swift`), so quantiles are Normal, without simulation noise.
///
/// Needs 4 observed values (from the first observed one on); `tooShort` otherwise.
public enum ThetaVariant: String, Sendable, CaseIterable {
    /// Standard theta method (STM): θ = 2, fixed trend line.
    case standard = "STM"
    /// Optimised theta method (OTM): θ optimised, fixed trend line.
    case optimized = "OTM"
    /// Dynamic standard theta method (DSTM): θ = 2, trend line updated each step.
    case dynamic = "DSTM"
    /// Dynamic optimised theta method (DOTM).
    case dynamicOptimized = "DOTM"

    var isDynamic: Bool { self == .dynamic || self == .dynamicOptimized }
    var optimizesTheta: Bool { self == .optimized || self == .dynamicOptimized }
}

/// Standard theta method (statsforecast `Theta`): see `ThetaVariant` for the model.
public struct Theta: Forecaster {
    public let name: String
    public init(alias: String = "Theta") { name = alias }
    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try ThetaFit.fit(y, seasonLength: seasonLength, variant: .standard, name: name)
    }
}

/// Optimised theta method (statsforecast `OptimizedTheta`).
public struct OptimizedTheta: Forecaster {
    public let name: String
    public init(alias: String = "OptimizedTheta") { name = alias }
    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try ThetaFit.fit(y, seasonLength: seasonLength, variant: .optimized, name: name)
    }
}

/// Dynamic standard theta method (statsforecast `DynamicTheta`).
public struct DynamicTheta: Forecaster {
    public let name: String
    public init(alias: String = "DynamicTheta") { name = alias }
    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try ThetaFit.fit(y, seasonLength: seasonLength, variant: .dynamic, name: name)
    }
}

/// Dynamic optimised theta method (statsforecast `DynamicOptimizedTheta`).
public struct DynamicOptimizedTheta: Forecaster {
    public let name: String
    public init(alias: String = "DynamicOptimizedTheta") { name = alias }
    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try ThetaFit.fit(y, seasonLength: seasonLength, variant: .dynamicOptimized, name: name)
    }
}
