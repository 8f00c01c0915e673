import KeelCore
import KeelForecast
import KeelStore

/// The forecast of every (location, item) pair, summed over the channels that draw on the
/// location's stock: per day a mean and a variance, in contiguous buffers (`horizon` days per pair).
///
/// A day's variance comes from the forecast's own quantiles: for every level p above one half,
/// σ_p = (q_p − median) / z_p, averaged; it is floored at the mean (retail unit demand is at least
/// as dispersed as Poisson). Channels are independent, so means and variances add.
public struct PairDemand: Sendable {
    public var asOf: Day
    public var horizon: Int
    public var pairs: [PairKey] = []
    public var mean: [Double] = []
    public var variance: [Double] = []
    private var index: [PairKey: Int] = [:]

    public var count: Int { pairs.count }
    public func position(of pair: PairKey) -> Int? { index[pair] }
    public func meanDays(_ p: Int) -> ArraySlice<Double> { mean[(p * horizon)..<((p + 1) * horizon)] }
    public func varianceDays(_ p: Int) -> ArraySlice<Double> { variance[(p * horizon)..<((p + 1) * horizon)] }

    public init(asOf: Day, horizon: Int) {
        precondition(horizon >= 1)
        self.asOf = asOf; self.horizon = horizon
    }

    /// Adds one series' daily mean and variance to its pair.
    public mutating func add(_ pair: PairKey, mean m: some Collection<Double>, variance v: some Collection<Double>) {
        precondition(m.count == horizon && v.count == horizon)
        let p: Int
        if let existing = index[pair] { p = existing } else {
            p = pairs.count
            index[pair] = p
            pairs.append(pair)
            mean.append(contentsOf: repeatElement(0, count: horizon))
            variance.append(contentsOf: repeatElement(0, count: horizon))
        }
        for (t, x) in m.enumerated() { mean[p * horizon + t] += max(0, x) }
        for (t, x) in v.enumerated() { variance[p * horizon + t] += max(0, x) }
    }

    /// The variance implied by one day's mean and quantiles at `levels`.
    public static func dailyVariance(mean: Double, quantiles: [Double], levels: [Double]) -> Double {
        let median = levels.firstIndex(where: { abs($0 - 0.5) < 1e-9 }).map { quantiles[$0] } ?? mean
        var sum = 0.0, n = 0
        for (j, p) in levels.enumerated() where p > 0.5 + 1e-9 {
            let sigma = (quantiles[j] - median) / Normal.quantile(p)
            if sigma.isFinite, sigma > 0 { sum += sigma; n += 1 }
        }
        let sigma = n > 0 ? sum / Double(n) : 0
        return max(sigma * sigma, max(0, mean))
    }

    /// Builds pair demand from a stored forecast run.
    public init(_ forecast: StoredForecast) {
        self.init(asOf: forecast.asOf, horizon: forecast.horizon)
        let h = forecast.horizon, q = forecast.levels.count
        var m = [Double](repeating: 0, count: h), v = [Double](repeating: 0, count: h), qs = [Double](repeating: 0, count: q)
        for s in 0..<forecast.count {
            let key = forecast.keys[s]
            for t in 0..<h {
                m[t] = max(0, forecast.yhat[s * h + t])
                for j in 0..<q { qs[j] = forecast.quantiles[(s * q + j) * h + t] }
                v[t] = Self.dailyVariance(mean: m[t], quantiles: qs, levels: forecast.levels)
            }
            add(PairKey(key.locationKey, key.itemKey), mean: m, variance: v)
        }
    }

    /// Mean and variance of demand over days `from ..< from + days` after the as-of day (day 0 is
    /// the first forecast day). Days past the horizon repeat the horizon's average day.
    public func window(_ p: Int, from: Int = 0, days: Int) -> (mean: Double, variance: Double) {
        Self.window(mean: mean[(p * horizon)..<((p + 1) * horizon)], variance: variance[(p * horizon)..<((p + 1) * horizon)],
                    from: from, days: days)
    }

    /// The same over one pair's daily means and variances (equal lengths, the horizon).
    public static func window(mean: ArraySlice<Double>, variance: ArraySlice<Double>, from: Int = 0, days: Int) -> (mean: Double, variance: Double) {
        let horizon = mean.count
        guard days > 0, horizon > 0 else { return (0, 0) }
        let m0 = mean.startIndex, v0 = variance.startIndex
        var m = 0.0, v = 0.0
        let end = from + days
        let known = max(0, min(end, horizon) - from)
        for t in from..<(from + known) { m += mean[m0 + t]; v += variance[v0 + t] }
        if end > horizon {
            let extra = Double(end - max(from, horizon))
            m += extra * mean.reduce(0, +) / Double(horizon); v += extra * variance.reduce(0, +) / Double(horizon)
        }
        return (m, v)
    }

    /// Average daily mean and variance over the horizon.
    public func daily(_ p: Int) -> (mean: Double, variance: Double) {
        let w = window(p, days: horizon)
        return (w.mean / Double(horizon), w.variance / Double(horizon))
    }
}
