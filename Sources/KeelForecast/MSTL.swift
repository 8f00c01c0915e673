/// MSTL: multiple seasonal-trend decomposition by Loess (Bandara, Hyndman & Bergmeir 2021) and
/// the forecaster built on it, as statsforecast's `MSTL` model.
///
/// Decomposition (`MSTL.decompose`, as statsmodels' `MSTL` and statsforecast's `mstl`): season
/// lengths sorted ascending; those with `2·m ≥ n` are dropped (statsmodels' rule: fewer than two
/// full cycles); then `iterations` sweeps (1 when only one season remains) of: for each season
/// length `mᵢ` add its current seasonal back, run `STL(period: mᵢ, seasonal: windows[i])`, keep its
/// seasonal and subtract it. The trend is the last STL's trend; remainder = y − trend − Σ seasonals.
/// Default windows are statsmodels' and R's `7 + 4·i` (11, 15, …).
///
/// Forecaster: the deseasonalised series (trend + remainder) is forecast by a small ETS of our
/// own — ETS(A,N,N) or ETS(A,Ad,N) fitted by least squares, chosen by AICc (see `MSTLTrendModel`);
/// statsforecast's default is `AutoETS(model="ZZN")`, which also considers multiplicative
/// errors and optimises the initial states, so trend forecasts differ slightly. Each seasonal
/// component is forecast by seasonal naive over its last cycle (exactly statsforecast's
/// `_predict_mstl_components`). The forecast variance is the trend model's (seasonals are
/// treated as known). Missing values (NaN) are linearly interpolated before the decomposition
/// (statsforecast refuses them); fitted values are the trend model's one-step fits plus the
/// seasonals.
public struct MSTL: Forecaster {
    public let name = "MSTL"
    /// Season lengths to use instead of the contract's `seasonLength`; nil uses `[seasonLength]`.
    public var seasonLengths: [Int]?
    /// STL seasonal spans per season length (odd ≥ 3); nil gives 11, 15, 19, ….
    public var windows: [Int]?
    public var iterations: Int
    /// Loess degree of the cycle-subseries smoother: 0 as statsforecast, 1 as statsmodels.
    public var seasonalDegree: Int

    public init(seasonLengths: [Int]? = nil, windows: [Int]? = nil, iterations: Int = 2, seasonalDegree: Int = 0) {
        self.seasonLengths = seasonLengths
        self.windows = windows
        self.iterations = iterations
        self.seasonalDegree = seasonalDegree
    }

    /// The outcome of a decomposition: `seasonals[i]` belongs to `periods[i]` (the kept season
    /// lengths, ascending).
    public struct Decomposition: Sendable, Equatable {
        public var periods: [Int]
        public var trend: [Double]
        public var seasonals: [[Double]]
        public var remainder: [Double]
    }

    /// Decomposes finite `y`. With no season length left after dropping, the trend is `y` itself
    /// and there are no seasonals. O(iterations · Σᵢ n·(windowᵢ + trendᵢ + lowPassᵢ)).
    public static func decompose(
        _ y: [Double], periods: [Int], windows: [Int]? = nil, iterations: Int = 2, seasonalDegree: Int = 1
    ) throws(ForecastError) -> Decomposition {
        let n = y.count
        var pairs: [(period: Int, window: Int)] = []
        for (i, p) in periods.enumerated() {
            let w = windows.map { $0[min(i, $0.count - 1)] } ?? 7 + 4 * (i + 1)
            pairs.append((p, w))
        }
        pairs.sort { $0.period < $1.period }
        if windows == nil { for i in pairs.indices { pairs[i].window = 7 + 4 * (i + 1) } }
        pairs = pairs.filter { $0.period >= 2 && 2 * $0.period < n }
        guard !pairs.isEmpty else {
            return Decomposition(periods: [], trend: y, seasonals: [], remainder: [Double](repeating: 0, count: n))
        }
        let stls = try pairs.map { (p) throws(ForecastError) in try STL(period: p.period, seasonal: p.window, seasonalDegree: seasonalDegree) }
        var seasonals = [[Double]](repeating: [Double](repeating: 0, count: n), count: pairs.count)
        var deseason = y
        var trend = y
        let operators = LoessOperators()
        for _ in 0..<(pairs.count == 1 ? 1 : max(1, iterations)) {
            for i in pairs.indices {
                for t in 0..<n { deseason[t] += seasonals[i][t] }
                let c = try stls[i].decompose(deseason, innerIterations: nil, outerIterations: nil, operators: operators)
                seasonals[i] = c.seasonal
                for t in 0..<n { deseason[t] -= seasonals[i][t] }
                trend = c.trend
            }
        }
        var remainder = deseason
        for t in 0..<n { remainder[t] -= trend[t] }
        return Decomposition(periods: pairs.map(\.period), trend: trend, seasonals: seasonals, remainder: remainder)
    }

    /// Needs at least `2·m + 1` observed values for the smallest requested season length `m > 1`
    /// (one seasonal decomposition), or 4 without seasonality; throws `.tooShort` otherwise.
    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try fitted(y, seasonLength: seasonLength)
    }

    /// `fit` with the concrete type.
    public func fitted(_ y: [Double], seasonLength: Int) throws(ForecastError) -> Fitted {
        let requested = (seasonLengths ?? [seasonLength]).filter { $0 > 1 }
        let observed = y.reduce(0) { $1.isFinite ? $0 + 1 : $0 }
        let needed = requested.min().map { 2 * $0 + 1 } ?? 4
        guard observed >= needed else { throw .tooShort(model: name, needed: needed, got: observed) }
        let filled = MSTL.interpolateMissing(y)
        let d = try MSTL.decompose(filled, periods: requested, windows: windows, iterations: iterations, seasonalDegree: seasonalDegree)
        var deseasonalised = d.remainder
        for t in deseasonalised.indices { deseasonalised[t] += d.trend[t] }
        let trendModel = try MSTLTrendModel.fit(deseasonalised, model: name)
        var fitted = trendModel.fitted
        for s in d.seasonals { for t in fitted.indices { fitted[t] += s[t] } }
        return Fitted(name: name, decomposition: d, trendModel: trendModel, fitted: fitted, observed: y)
    }

    /// NaN replaced by linear interpolation between the nearest observed neighbours (constant
    /// before the first and after the last observed value).
    static func interpolateMissing(_ y: [Double]) -> [Double] {
        var out = y
        var last: Int? = nil
        for t in y.indices where y[t].isFinite {
            if let l = last {
                if t - l > 1 { for u in (l + 1)..<t { out[u] = y[l] + (y[t] - y[l]) * Double(u - l) / Double(t - l) } }
            } else {
                for u in 0..<t { out[u] = y[t] }
            }
            last = t
        }
        if let l = last { for u in (l + 1)..<y.count { out[u] = y[l] } }
        return out
    }

    public struct Fitted: FittedForecaster {
        public let name: String
        public let decomposition: Decomposition
        let trendModel: MSTLTrendModel
        public let fitted: [Double]
        let observed: [Double]

        /// Trend-model forecast plus, for each season length m, the last m seasonal values repeated.
        public func forecast(horizon: Int) -> ModelForecast {
            var f = trendModel.forecast(horizon: horizon)
            for (p, s) in zip(decomposition.periods, decomposition.seasonals) {
                let last = s.suffix(p)
                let start = last.startIndex
                for h in 0..<horizon { f.mean[h] += last[start + h % p] }
            }
            return f
        }
    }
}
