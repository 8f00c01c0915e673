/// Automatic model choice for one series by rolling-origin cross-validation.
///
/// For a series of n periods, horizon h and W windows, window w trains on the first n − w·h
/// periods and is scored on the next h. Every candidate of the series' demand class is fitted on
/// every window; the score is the mean squared error scaled by the in-sample mean squared
/// one-step naive error (the RMSSE's square), missing actuals skipped. The forecast is the best
/// candidate, or the mean of the best k (k = 2…`combine`) when that mean scores better on the same
/// windows. Ties go to the single model, then to the earlier candidate: the choice is deterministic.
/// For the demand classes in `medianClasses` there is no choice: the forecast is the per-step
/// median of every candidate that fits (a fixed combination, which on short monthly series beats
/// choosing on two backtest windows; see `Models/README.md`); the backtests still give its errors.
/// A `SeasonalOnlyCandidate` (MSTL) is left out for a series that shows no seasonality at any of
/// its season lengths (`SeasonalityScreen`, run on the whole series).
/// Candidates that fail to fit are dropped; when every candidate fails, the fallback chain
/// (SeasonalNaive, Naive, HistoricAverage, zero) is used and the failure is recorded.
public struct AutoForecaster: Sendable {
    public struct Configuration: Sendable {
        public var horizon: Int
        public var seasonLength: Int
        public var seasonLengths: [Int]
        public var windows: Int
        public var combine: Int
        public var candidates: [DemandClass: [String]]
        /// Leave out `SeasonalOnlyCandidate`s (MSTL) for series without seasonality: automatic
        /// selection; a model the caller named is fitted as asked (`ForecastEngine` turns it off).
        public var screensSeasonalCandidates: Bool
        /// Classes whose forecast is the median of all their candidates instead of a choice.
        public var medianClasses: Set<DemandClass>

        public init(horizon: Int, seasonLength: Int, seasonLengths: [Int]? = nil, windows: Int = 2, combine: Int = 3,
                    candidates: [DemandClass: [String]], screensSeasonalCandidates: Bool = true, medianClasses: Set<DemandClass> = []) {
            self.screensSeasonalCandidates = screensSeasonalCandidates
            self.medianClasses = medianClasses
            self.horizon = horizon
            self.seasonLength = max(1, seasonLength)
            self.seasonLengths = seasonLengths ?? [max(1, seasonLength)]
            self.windows = windows
            self.combine = combine
            self.candidates = candidates
        }
    }

    /// What the engine keeps of one series.
    public struct Result: Sendable {
        public var model: String
        public var demandClass: DemandClass
        public var mean: [Double]
        /// Quantiles from the chosen model's own distribution (`levels` × horizon), used when there
        /// are too few pooled backtest errors for conformal quantiles.
        public var modelQuantiles: [[Double]]
        /// The scale of the scaled errors: root mean squared one-step naive change (≥ a floor) —
        /// of the baseline when the series has driver effects.
        public var scale: Double
        /// Backtest errors of the chosen forecast, (actual − forecast) / scale, window-major
        /// (`windows × horizon`, NaN where the actual was missing). Empty without backtest.
        public var scaledErrors: [Double]
        public var windows: Int
        /// The driver effects over the horizon (nil without): the backtest errors are the
        /// baseline's, so a conformal spread at step t is scaled by `horizonEffects[t]`.
        public var horizonEffects: [Double]? = nil
        /// Candidates whose fit failed, with the reason; and the fallback used, if any.
        public var failures: [String]
        public var fallback: String?
    }

    public let configuration: Configuration
    public init(_ configuration: Configuration) { self.configuration = configuration }

    static let fallbackChain = ["SeasonalNaive", "Naive", "HistoricAverage"]

    /// - Parameter extra: per-series candidates beyond the catalog's (e.g. a regression on this
    ///   series' exogenous columns), competing on the same backtest windows.
    /// - Parameter effects: multiplicative driver effects (`DriverEffects`), `y.count + horizon`
    ///   values: the models are chosen and fitted on `y / effects` (the baseline) and every
    ///   forecast, backtest and quantile is multiplied by the effects of its days, so the choice is
    ///   scored against the series as observed. Its model name gets a `+drivers` suffix.
    public func forecast(_ observed: [Double], levels: [Double], extra: [any Forecaster] = [], effects: [Double]? = nil) -> Result {
        let h = configuration.horizon
        if let effects { precondition(effects.count == observed.count + h, "effects cover the history and the horizon") }
        // The models see the baseline; scores, scale and class are the observed series'.
        let y = effects.map { m in observed.indices.map { observed[$0] / m[$0] } } ?? observed
        @inline(__always) func effect(_ t: Int) -> Double { effects?[t] ?? 1 }
        let demandClass = DemandClass.classify(observed[...])
        let names = configuration.candidates[demandClass] ?? []
        // Seasonal-only candidates (MSTL) enter when the series shows seasonality at a season length
        // they would use (`SeasonalityScreen`).
        let models = names.compactMap { name -> (any Forecaster)? in
            guard let model = ModelCatalog.model(named: name, seasonLengths: configuration.seasonLengths) else { return nil }
            if configuration.screensSeasonalCandidates, let seasonal = model as? any SeasonalOnlyCandidate,
               !seasonal.passesScreen(y, seasonLength: configuration.seasonLength) {
                return nil
            }
            return model
        } + extra
        // The choice compares candidates on one series, whatever the scale; the scaled errors
        // (conformal quantiles) are the baseline's.
        let scale = AutoForecaster.scale(y)
        var failures: [String] = []

        // Backtest windows that leave enough training data.
        let minTrain = max(2 * configuration.seasonLength, 8)
        var windows = configuration.windows
        while windows > 0 && y.count - windows * h < minTrain { windows -= 1 }

        var scores: [(index: Int, score: Double)] = []
        var cvForecasts: [[Double]] = Array(repeating: [], count: models.count)
        // Models with an expensive structure search are fitted on the whole series first; their
        // backtests then re-estimate that structure only (see `StructureReusing`).
        var fullFits: [Int: any FittedForecaster] = [:]
        if windows > 0 && !models.isEmpty {
            for (m, candidate) in models.enumerated() {
                var model: any Forecaster = candidate
                if let searching = candidate as? any StructureReusing {
                    do {
                        let full = try candidate.fit(y, seasonLength: configuration.seasonLength)
                        fullFits[m] = full
                        model = searching.reusing(full)
                    } catch { failures.append(String(describing: error)); continue }
                }
                var f: [Double] = []
                f.reserveCapacity(windows * h)
                var ok = true
                for w in stride(from: windows, through: 1, by: -1) {
                    let train = Array(y[0..<(y.count - w * h)])
                    do {
                        let fitted = try model.fit(train, seasonLength: configuration.seasonLength)
                        let mean = fitted.forecast(horizon: h).mean
                        if mean.contains(where: { !$0.isFinite }) { ok = false; failures.append("\(candidate.name): non-finite backtest forecast"); break }
                        let origin = train.count
                        f.append(contentsOf: mean.indices.lazy.map { mean[$0] * effect(origin + $0) })
                    } catch { ok = false; failures.append(String(describing: error)); break }
                }
                guard ok else { continue }
                cvForecasts[m] = f
                scores.append((m, AutoForecaster.score(observed, f, windows: windows, horizon: h, scale: scale)))
            }
        }
        scores.sort { $0.score != $1.score ? $0.score < $1.score : $0.index < $1.index }

        // The best single model, or the mean of the best k when it scores better; for a median
        // class every candidate whose backtests ran (all of them when none could run).
        let medianClass = configuration.medianClasses.contains(demandClass)
        var chosen: [Int] = medianClass ? scores.map(\.index).sorted() : scores.first.map { [$0.index] } ?? []
        var bestScore = scores.first?.score ?? .infinity
        if medianClass && windows == 0 { chosen = Array(models.indices) }
        if !medianClass && configuration.combine >= 2 && scores.count >= 2 {
            for k in 2...min(configuration.combine, scores.count) {
                let members = scores.prefix(k).map(\.index)
                let combo = AutoForecaster.average(members.map { cvForecasts[$0] })
                let s = AutoForecaster.score(observed, combo, windows: windows, horizon: h, scale: scale)
                if s < bestScore - 1e-12 { bestScore = s; chosen = members }
            }
        }
        if chosen.isEmpty, let first = models.indices.first { chosen = [first] }  // no backtest possible

        // Final fits on the whole series.
        var means: [[Double]] = [], quantiles: [[[Double]]] = [], usedNames: [String] = [], used: [Int] = []
        for m in chosen {
            do {
                let fitted = try fullFits[m] ?? models[m].fit(y, seasonLength: configuration.seasonLength)
                let p = fitted.predict(horizon: h, levels: levels)
                guard p.mean.allSatisfy(\.isFinite) else { failures.append("\(models[m].name): non-finite forecast"); continue }
                means.append(p.mean); quantiles.append(p.quantiles); usedNames.append(models[m].name); used.append(m)
            } catch { failures.append(String(describing: error)) }
        }
        var fallback: String? = nil
        if means.isEmpty {
            for name in AutoForecaster.fallbackChain {
                guard let model = ModelCatalog.model(named: name, seasonLengths: configuration.seasonLengths),
                      let fitted = try? model.fit(y, seasonLength: configuration.seasonLength) else { continue }
                let p = fitted.predict(horizon: h, levels: levels)
                guard p.mean.allSatisfy(\.isFinite) else { continue }
                means = [p.mean]; quantiles = [p.quantiles]; usedNames = [name]; fallback = name
                break
            }
            if means.isEmpty {
                means = [Array(repeating: 0, count: h)]
                quantiles = [Array(repeating: Array(repeating: 0, count: h), count: levels.count)]
                usedNames = ["Zero"]; fallback = "Zero"
            }
        }
        let byMedian = medianClass && fallback == nil
        func combined(_ arrays: [[Double]]) -> [Double] { byMedian ? AutoForecaster.median(arrays) : AutoForecaster.average(arrays) }
        // Back from the baseline to the days' prices and promotions (a positive factor per day:
        // quantiles keep their order).
        func applied(_ a: [Double]) -> [Double] { effects == nil ? a : a.indices.map { a[$0] * effect(y.count + $0) } }
        let mean = applied(combined(means))
        let modelQuantiles = (0..<levels.count).map { k in applied(combined(quantiles.map { $0[k] })) }
        // Backtest errors describe the forecast only when every chosen member made it into it.
        let errors: [Double]
        if windows > 0 && fallback == nil && used == chosen && chosen.allSatisfy({ !cvForecasts[$0].isEmpty }) {
            let f = combined(chosen.map { cvForecasts[$0] })
            var e = AutoForecaster.scaledErrors(observed, f, windows: windows, horizon: h, scale: scale)
            if effects != nil {
                // (y − f·m)/m = y/m − f: the baseline's error on that day.
                for w in 0..<windows {
                    let origin = y.count - (windows - w) * h
                    for t in 0..<h { e[w * h + t] /= effect(origin + t) }
                }
            }
            errors = e
        } else {
            errors = []
        }
        let name = (usedNames.count == 1
            ? usedNames[0] : (byMedian ? "Median(" : "Combination(") + usedNames.sorted().joined(separator: ",") + ")") + (effects == nil ? "" : "+drivers")
        return Result(model: name, demandClass: demandClass, mean: mean, modelQuantiles: modelQuantiles, scale: scale,
                      scaledErrors: errors, windows: errors.isEmpty ? 0 : windows,
                      horizonEffects: effects.map { Array($0[y.count...]) }, failures: failures, fallback: fallback)
    }

    /// Root mean squared one-step change over observed pairs; floored so that constant series
    /// still have a usable scale (1e-3 × mean |y|, or 1).
    static func scale(_ y: [Double]) -> Double {
        var s = 0.0, n = 0, level = 0.0, m = 0
        var previous = Double.nan
        for v in y where v.isFinite {
            if previous.isFinite { s += (v - previous) * (v - previous); n += 1 }
            previous = v
            level += abs(v); m += 1
        }
        let rms = n > 0 ? (s / Double(n)).squareRoot() : 0
        let floor = m > 0 && level > 0 ? 1e-3 * level / Double(m) : 1
        return max(rms, floor)
    }

    static func score(_ y: [Double], _ f: [Double], windows: Int, horizon h: Int, scale: Double) -> Double {
        var s = 0.0, n = 0
        for w in 0..<windows {
            let origin = y.count - (windows - w) * h
            for t in 0..<h {
                let a = y[origin + t]
                guard a.isFinite else { continue }
                let e = (a - f[w * h + t]) / scale
                s += e * e; n += 1
            }
        }
        return n > 0 ? s / Double(n) : .infinity
    }

    static func scaledErrors(_ y: [Double], _ f: [Double], windows: Int, horizon h: Int, scale: Double) -> [Double] {
        var out = [Double](repeating: .nan, count: windows * h)
        for w in 0..<windows {
            let origin = y.count - (windows - w) * h
            for t in 0..<h where y[origin + t].isFinite { out[w * h + t] = (y[origin + t] - f[w * h + t]) / scale }
        }
        return out
    }

    /// Per position, the median of the arrays' values (the mean of the two middle ones for an
    /// even count).
    static func median(_ arrays: [[Double]]) -> [Double] {
        guard let first = arrays.first else { return [] }
        if arrays.count == 1 { return first }
        var out = [Double](repeating: 0, count: first.count)
        var column = [Double](repeating: 0, count: arrays.count)
        let n = arrays.count
        for i in out.indices {
            for (j, a) in arrays.enumerated() { column[j] = a[i] }
            column.sort()
            out[i] = n % 2 == 1 ? column[n / 2] : 0.5 * (column[n / 2 - 1] + column[n / 2])
        }
        return out
    }

    static func average(_ arrays: [[Double]]) -> [Double] {
        guard let first = arrays.first else { return [] }
        if arrays.count == 1 { return first }
        var out = [Double](repeating: 0, count: first.count)
        for a in arrays { for i in out.indices { out[i] += a[i] } }
        let n = Double(arrays.count)
        for i in out.indices { out[i] /= n }
        return out
    }
}
