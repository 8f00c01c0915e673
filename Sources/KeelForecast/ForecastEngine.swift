import Foundation
import KeelNumerics

/// Forecasts every series of a panel: automatic (or named) models per series in parallel, then
/// quantiles calibrated across the panel.
///
/// Quantiles are conformal where the panel is large enough: the scaled backtest errors of every
/// series of a demand class are pooled per horizon step (at least `minimumPool` of them), and a
/// series' `p` quantile at step t is its mean plus its scale times the pooled `p` quantile of
/// step t. Smaller pools use the chosen model's own distribution. For non-negative data no
/// quantile (or mean) is negative; for integer data quantiles are whole numbers (floor, which
/// keeps P(y ≤ q) unchanged for integer y).
///
/// Work is split into shards over a bounded task group; OpenBLAS runs single-threaded inside.
public enum ForecastEngine {
    public struct Request: Sendable {
        public var horizon: Int
        public var levels: [Double]
        public var seasonLength: Int
        public var seasonLengths: [Int]
        /// nil: automatic selection from `candidates`; otherwise these models, combined by mean.
        public var models: [String]?
        public var candidates: [DemandClass: [String]]
        public var windows: Int
        public var combine: Int
        public var minimumPool: Int
        /// Models see at most this many of the latest periods (nil: all). Long daily histories cost
        /// time in every fit and rarely help a 28-day horizon.
        public var maxHistory: Int?
        /// Classes forecast by the median of all their candidates (automatic mode; see `AutoForecaster`).
        public var medianClasses: Set<DemandClass>
        /// Automatic mode, series with future regressor values (file mode, `--future`): these
        /// candidates replace the class's, chosen between by backtest as usual; when none of them
        /// fits, the class's own candidates (with the regressions among them) are used. Nil or
        /// empty: the class's candidates always (see `ModelSets.driversKey`).
        public var driverCandidates: [String]?

        public init(horizon: Int, levels: [Double], seasonLength: Int, seasonLengths: [Int]? = nil, models: [String]? = nil,
                    candidates: [DemandClass: [String]], windows: Int = 2, combine: Int = 3, minimumPool: Int = 200,
                    maxHistory: Int? = nil, medianClasses: Set<DemandClass> = [], driverCandidates: [String]? = nil) {
            self.maxHistory = maxHistory
            self.medianClasses = medianClasses
            self.driverCandidates = driverCandidates
            self.horizon = horizon
            self.levels = levels
            self.seasonLength = seasonLength
            self.seasonLengths = seasonLengths ?? [seasonLength]
            self.models = models
            self.candidates = candidates
            self.windows = windows
            self.combine = combine
            self.minimumPool = minimumPool
        }
    }

    public struct SeriesForecast: Sendable {
        public var model: String
        public var demandClass: DemandClass
        public var mean: [Double]
        public var quantiles: [[Double]]  // levels × horizon
        public var scale: Double
        /// Driver effects over the horizon (nil without): `scale` is the baseline's.
        public var effects: [Double]?
        public var fallback: String?
        public var failures: [String]
    }

    public struct Output: Sendable {
        public var levels: [Double]
        public var series: [SeriesForecast]
        /// Pooled scaled backtest errors per class: `errors[class][t]` sorted, for step t + 1.
        public var pooledErrors: [DemandClass: [[Double]]]
        /// Pooled scaled errors of cumulative sums: `cumulative[class][L − 1]` sorted, for L = 1…horizon.
        public var pooledCumulativeErrors: [DemandClass: [[Double]]]
        public var conformal: [DemandClass: Bool]
        /// Wall seconds of the run's phases: `fit_seconds` (selection and final fits of every
        /// series) and `quantile_seconds` (pooling backtest errors, calibrated quantiles).
        public var seconds: [String: Double] = [:]
    }

    public static func run(_ panel: SeriesPanel, _ request: Request) async -> Output {
        Threading.useSingleThreadedBLAS()
        let fitStarted = ContinuousClock.now
        let config = AutoForecaster.Configuration(
            horizon: request.horizon, seasonLength: request.seasonLength, seasonLengths: request.seasonLengths,
            windows: request.windows, combine: request.models == nil ? request.combine : 0,
            candidates: request.models.map { names in Dictionary(uniqueKeysWithValues: DemandClass.allCases.map { ($0, names) }) } ?? request.candidates,
            screensSeasonalCandidates: request.models == nil, medianClasses: request.models == nil ? request.medianClasses : [])
        let auto = AutoForecaster(config)
        let n = panel.count
        // Exogenous columns with their future values: the regressions on them (`DynamicRegressionX`,
        // and for daily data `LogLinkRegressionX`) compete in automatic mode, or are used when named.
        let hasExogenous = !panel.exogenousNames.isEmpty && panel.futureHorizon >= request.horizon
        let useExogenous = hasExogenous && (request.models == nil || request.models!.contains(ExogenousRegression.catalogName))
        // The log-link regression needs calendar days (day of week, yearly terms): daily data only.
        let useLogLink = hasExogenous && panel.frequency == .daily
            && (request.models == nil || request.models!.contains(ExogenousLogLinkRegression.catalogName))
        // Series with drivers: the driver candidates first (see `Request.driverCandidates`).
        let drivers = request.models == nil && hasExogenous ? (request.driverCandidates ?? []) : []
        let driversAuto: AutoForecaster? = drivers.isEmpty ? nil : {
            var c = config
            let catalog = drivers.filter { $0 != ExogenousRegression.catalogName && $0 != ExogenousLogLinkRegression.catalogName }
            c.candidates = Dictionary(uniqueKeysWithValues: DemandClass.allCases.map { ($0, catalog) })
            c.medianClasses = []
            return AutoForecaster(c)
        }()
        let shardSize = max(1, min(64, (n + 15) / 16))  // small shards: no lone straggler at the end
        var results = [AutoForecaster.Result?](repeating: nil, count: n)
        await withTaskGroup(of: [(Int, AutoForecaster.Result)].self) { group in
            var next = 0
            let width = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)
            func addShard() {
                guard next < n else { return }
                let range = next..<min(n, next + shardSize)
                next = range.upperBound
                group.addTask {
                    range.map { s in
                        let y = panel.series(s)
                        let seen = request.maxHistory.map { y.suffix($0) } ?? y
                        var extra: [any Forecaster] = []
                        if useExogenous || useLogLink {
                            let k = panel.exogenousNames.count
                            let rows = Array(panel.exogenousRows(s).dropFirst((y.count - seen.count) * k))
                            if useExogenous {
                                extra.append(ExogenousRegression(columns: panel.exogenousNames, rows: rows, seasonLengths: request.seasonLengths))
                            }
                            if useLogLink {
                                extra.append(ExogenousLogLinkRegression(
                                    columns: panel.exogenousNames, rows: rows, firstDay: panel.starts[s] + (y.count - seen.count)))
                            }
                        }
                        // Driver effects (database mode) over the days the models see and the horizon.
                        let effects: [Double]? = panel.effects.isEmpty ? nil : panel.effects[s].map { m in
                            let history = m.count - request.horizon
                            precondition(history >= 0, "driver effects must cover the horizon")
                            if history >= seen.count { return Array(m.suffix(seen.count + request.horizon)) }
                            return [Double](repeating: 1, count: seen.count - history) + m
                        }
                        if let driversAuto {
                            let first = driversAuto.forecast(Array(seen), levels: request.levels, extra: extra.filter { drivers.contains($0.name) })
                            guard first.fallback != nil else { return (s, first) }
                            // None of the driver candidates fitted: the class's candidates (without
                            // the driver candidates that just failed), and those failures kept on record.
                            var second = auto.forecast(Array(seen), levels: request.levels, extra: extra.filter { !drivers.contains($0.name) })
                            second.failures = first.failures + second.failures
                            return (s, second)
                        }
                        return (s, auto.forecast(Array(seen), levels: request.levels, extra: extra, effects: effects))
                    }
                }
            }
            for _ in 0..<width { addShard() }
            while let shard = await group.next() {
                for (s, r) in shard { results[s] = r }
                addShard()
            }
        }
        let all = results.map { $0! }
        let calibrateStarted = ContinuousClock.now
        var out = calibrate(panel, all, request)
        out.seconds = ["fit_seconds": Self.seconds(calibrateStarted - fitStarted),
                       "quantile_seconds": Self.seconds(ContinuousClock.now - calibrateStarted)]
        return out
    }

    static func calibrate(_ panel: SeriesPanel, _ results: [AutoForecaster.Result], _ request: Request) -> Output {
        let h = request.horizon
        var pooled: [DemandClass: [[Double]]] = [:], cumulative: [DemandClass: [[Double]]] = [:]
        for c in DemandClass.allCases {
            pooled[c] = Array(repeating: [], count: h)
            cumulative[c] = Array(repeating: [], count: h)
        }
        for r in results where r.windows > 0 {
            for w in 0..<r.windows {
                var sum = 0.0, complete = true
                for t in 0..<h {
                    let e = r.scaledErrors[w * h + t]
                    if e.isFinite { pooled[r.demandClass]![t].append(e); sum += e } else { complete = false }
                    if complete { cumulative[r.demandClass]![t].append(sum) }
                }
            }
        }
        for c in DemandClass.allCases {
            pooled[c] = pooled[c]!.map { $0.sorted() }
            cumulative[c] = cumulative[c]!.map { $0.sorted() }
        }
        var conformal: [DemandClass: Bool] = [:]
        for c in DemandClass.allCases { conformal[c] = pooled[c]!.allSatisfy { $0.count >= request.minimumPool } }

        let order = request.levels.indices.sorted { request.levels[$0] < request.levels[$1] }
        var out: [SeriesForecast] = []
        out.reserveCapacity(results.count)
        for (s, r) in results.enumerated() {
            let y = panel.series(s)
            let nonNegative = y.allSatisfy { !$0.isFinite || $0 >= 0 }
            let integer = y.allSatisfy { !$0.isFinite || $0 == $0.rounded() }
            var mean = r.mean
            var q: [[Double]]
            if conformal[r.demandClass]! {
                // With driver effects the pooled errors are of the baseline: the spread at step t
                // is scaled by that day's multiplier, like the mean.
                q = request.levels.map { level in
                    (0..<h).map { t in r.mean[t] + (r.horizonEffects?[t] ?? 1) * r.scale * empiricalQuantile(pooled[r.demandClass]![t], level) }
                }
            } else {
                q = r.modelQuantiles
            }
            if nonNegative {
                mean = mean.map { max(0, $0) }
                q = q.map { $0.map { max(0, $0) } }
            }
            if integer { q = q.map { $0.map { ($0 + 1e-9).rounded(.down) } } }
            // Quantiles ordered across levels at every step.
            for t in 0..<h {
                var column = q.map { $0[t] }
                var running = -Double.infinity
                for k in order { running = max(running, column[k]); column[k] = running }
                for k in q.indices { q[k][t] = column[k] }
            }
            out.append(SeriesForecast(model: r.model, demandClass: r.demandClass, mean: mean, quantiles: q, scale: r.scale,
                                      effects: r.horizonEffects, fallback: r.fallback, failures: r.failures))
        }
        return Output(levels: request.levels, series: out, pooledErrors: pooled, pooledCumulativeErrors: cumulative, conformal: conformal)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The `p` quantile of sorted values (type 7, linear interpolation, as numpy's default).
    public static func empiricalQuantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let x = p * Double(sorted.count - 1)
        let i = Int(x.rounded(.down))
        let frac = x - Double(i)
        return i + 1 < sorted.count ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[sorted.count - 1]
    }
}

extension ForecastEngine.Output {
    /// The distribution of demand summed over the next `leadTime` periods for series `s`: its mean
    /// (the sum of the step means) and quantiles at `levels` from the pooled backtest errors of
    /// cumulative sums (not the sum of per-step quantiles, which would overstate the spread). Beyond
    /// the backtest horizon the spread grows like √L (independent increments). Never negative for
    /// non-negative series.
    public func leadTimeDemand(series s: Int, leadTime: Int, levels: [Double], nonNegative: Bool = true) -> (mean: Double, quantiles: [Double]) {
        let f = series[s]
        let h = f.mean.count
        precondition(leadTime >= 1)
        let known = min(leadTime, h)
        var mean = f.mean.prefix(known).reduce(0, +)
        if leadTime > h { mean += Double(leadTime - h) * (f.mean.last ?? 0) }
        let pool = pooledCumulativeErrors[f.demandClass]?[known - 1] ?? []
        var stretch = leadTime > h ? (Double(leadTime) / Double(h)).squareRoot() : 1
        // With driver effects the pooled sums are of baseline errors: their spread is scaled by the
        // mean multiplier over the lead time (exact when it is constant, an approximation otherwise).
        if let m = f.effects, known > 0 { stretch *= m.prefix(known).reduce(0, +) / Double(known) }
        // Too few backtests: a Normal whose per-step spread comes from the forecast's own lowest
        // and highest quantile levels (σ = (q_hi − q_lo) / (z_hi − z_lo)), growing like √L; with a
        // single level, the series' scale (its RMS one-step change) stands in for σ.
        var sigma = f.scale
        if pool.count < 30, let lo = self.levels.indices.min(by: { self.levels[$0] < self.levels[$1] }),
           let hi = self.levels.indices.max(by: { self.levels[$0] < self.levels[$1] }), self.levels[hi] > self.levels[lo] {
            let z = Normal.quantile(self.levels[hi]) - Normal.quantile(self.levels[lo])
            sigma = max(0, f.quantiles[hi][known - 1] - f.quantiles[lo][known - 1]) / z
        }
        let q = levels.map { p -> Double in
            let v = pool.count >= 30
                ? mean + f.scale * stretch * ForecastEngine.empiricalQuantile(pool, p)
                : mean + Normal.quantile(p) * sigma * Double(leadTime).squareRoot()
            return nonNegative ? max(0, v) : v
        }
        return (mean, q)
    }
}
