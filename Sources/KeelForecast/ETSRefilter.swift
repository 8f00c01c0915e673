/// An ETS model whose parameters and initial states come from a fit on the whole series, run
/// forward (filtered) over a shorter prefix of it: what automatic selection uses on its backtest
/// windows instead of re-estimating AutoETS on every window (`AutoETS.reusing`).
///
/// "Fitting" is one pass of the state recursion over the training window from the full fit's
/// initial states — O(n), no optimisation — and the forecast starts from the states at the
/// window's end. The window's data are part of the sample the parameters were estimated on, so
/// its backtest errors are slightly optimistic; with daily histories of hundreds of observations
/// and a 28-day window the parameters barely move between the two samples. The window must be a
/// prefix of the series the full fit saw (the same first observed value).
public struct ETSRefilter: Forecaster {
    public let full: FittedETS
    public init(_ full: FittedETS) { self.full = full }

    public var name: String { full.spec.description }

    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        guard let first = y.firstIndex(where: { !$0.isNaN }) else { throw .tooShort(model: name, needed: 1, got: 0) }
        guard first < full.fitted.count, full.fitted[..<first].allSatisfy(\.isNaN) else {
            throw .invalidInput("\(name): a refiltered window must be a prefix of the fitted series")
        }
        let m = full.seasonLength
        var ring = full.spec.hasSeason ? full.initialSeasons : [0]
        let yy = Array(y[first...])
        let outcome = yy.withUnsafeBufferPointer { yb in
            ring.withUnsafeMutableBufferPointer { rb in
                ETSRecursion(spec: full.spec, parameters: full.parameters, seasonLength: m)
                    .run(yb, level: full.initialLevel, trend: full.initialTrend, ring: rb)
            }
        }
        guard outcome.finite else { throw .degenerate(model: name, reason: "non-finite states on the window") }
        var f = full
        f.finalLevel = outcome.level
        f.finalTrend = outcome.trend
        f.finalSeasons = full.spec.hasSeason ? ring : []
        f.observedCount = outcome.observed
        // The same recursion from the same states: the prefix's one-step fits are the full fit's.
        f.fitted = Array(full.fitted.prefix(y.count))
        f.residuals = Array(full.residuals.prefix(y.count))
        return f
    }
}
