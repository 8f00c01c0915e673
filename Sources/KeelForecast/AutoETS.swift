/// Automatic ETS (forecast::ets with `model = "ZZZ"`): fits every admissible candidate and keeps
/// the one with the smallest AICc.
///
/// Candidates: error A/M × trend N/A/Ad × season N/A/M, except
/// - additive error with multiplicative season (forecast::ets `restrict = TRUE`);
/// - multiplicative error or season unless every observed value is > 0;
/// - any season when `seasonLength` is 1, above 24, or the series has ≤ m values;
/// - candidates with too few observations for their parameters (k ≥ n − 1) are skipped.
/// A constant series gets ETS(A,N,N) with α = 0.9999 (as forecast::ets). Ties keep the first
/// candidate in the order above. Throws `tooShort` when no candidate can be fitted (fewer than
/// 4 observed values) and `noConvergence` when every fit failed.
/// `name` is "AutoETS"; the fitted model's `model` is the selected spec ("ETS(M,Ad,M)").
///
/// With `screensSeason` (the production catalog's AutoETS) the seasonal structures are searched
/// only when the series passes `SeasonalityScreen` at `seasonLength`; otherwise the search is
/// over the non-seasonal ones (6 of 15 structures for positive data, 3 of 6 otherwise, and the
/// cheap ones: a seasonal structure estimates m − 1 more initial states). forecast::ets searches
/// them all.
public struct AutoETS: Forecaster {
    public var optimizer: KeelNumerics.NelderMead
    /// Restrict the search (nil: all).
    public var errors: [ETSSpec.Component]
    /// Leave out the seasonal structures for a series without seasonality (see above).
    public var screensSeason: Bool
    public init(optimizer: KeelNumerics.NelderMead = .init(), errors: [ETSSpec.Component] = [.additive, .multiplicative],
                screensSeason: Bool = false) {
        self.optimizer = optimizer
        self.errors = errors
        self.screensSeason = screensSeason
    }

    public var name: String { "AutoETS" }

    /// The candidate specs for a series, in search order.
    public static func candidates(_ y: [Double], seasonLength: Int, errors: [ETSSpec.Component] = [.additive, .multiplicative]) -> [ETSSpec] {
        let observed = y.filter { !$0.isNaN }
        let positive = !observed.isEmpty && observed.allSatisfy { $0 > 0 }
        let seasonal = seasonLength > 1 && seasonLength <= 24 && y.count > seasonLength
        var out: [ETSSpec] = []
        for e in errors {
            for (t, d) in [(ETSSpec.Component.none, false), (.additive, true), (.additive, false)] {
                for s in [ETSSpec.Component.none, .additive, .multiplicative] {
                    if e == .additive && s == .multiplicative { continue }
                    if !positive && (e == .multiplicative || s == .multiplicative) { continue }
                    if s != .none && !seasonal { continue }
                    out.append(ETSSpec(error: e, trend: t, damped: d, season: s))
                }
            }
        }
        return out
    }

    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try fitAuto(y, seasonLength: seasonLength)
    }

    /// As `fit`, with the concrete type (parameters, AICc, selected `model`).
    public func fitAuto(_ y: [Double], seasonLength: Int) throws(ForecastError) -> FittedETS {
        guard seasonLength >= 1 else { throw .invalidInput("AutoETS: season length \(seasonLength) < 1") }
        let observed = y.filter { !$0.isNaN }
        guard observed.count >= 4 else { throw .tooShort(model: name, needed: 4, got: observed.count) }
        if let first = observed.first, observed.allSatisfy({ $0 == first }) {
            return try ETSModel(ETSSpec(error: .additive, trend: .none, season: .none), alpha: 0.9999, optimizer: optimizer)
                .fitETS(y, seasonLength: 1, name: name)
        }
        var best: FittedETS?
        var lastError: ForecastError?
        let screened = screensSeason && seasonLength > 1 && !SeasonalityScreen.shows(y, seasonLength: seasonLength)
        for spec in Self.candidates(y, seasonLength: screened ? 1 : seasonLength, errors: errors) {
            do {
                let f = try ETSModel(spec, optimizer: optimizer).fitETS(y, seasonLength: seasonLength, name: name)
                if f.aicc.isFinite, f.aicc < (best?.aicc ?? .infinity) { best = f }
            } catch {
                lastError = error
            }
        }
        guard let best else {
            if case .tooShort = lastError { throw lastError! }
            throw lastError ?? .noConvergence(model: name)
        }
        return best
    }
}

import KeelNumerics
