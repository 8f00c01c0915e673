import KeelCore
import KeelForecast
import KeelStore

/// A forecast run and the demand history summed over groups of series (total, department,
/// region, channel, SKU…) on one day window: `historyDays` before the first forecast day up
/// to the last forecast day.
///
/// Means add up exactly. Quantiles do not: the sum of the series' quantiles is the quantile of
/// the sum only if every series moved together, and for intermittent series it is far too
/// narrow (a series with P(0) > 0.95 has q0.95 = 0). So a group's band is a normal
/// approximation from the group's own recent spread: `Σ mean + z_p · s`, clamped at 0, where
/// `z_p` is the standard normal quantile of each band level and `s²` is the sample variance of
/// the group's summed daily demand over the `historyDays` days before the forecast (so common
/// shocks across the group's series are in it). The per-series stored quantiles are scored in
/// the accuracy section instead.
public struct ForecastAggregation {
    public struct Group: Sendable {
        public var name: String
        /// Per window day: demand (NaN after the history ends).
        public var actual: [Double]
        /// Per window day: the summed mean and band (NaN before the first forecast day).
        public var yhat: [Double]
        public var lower: [Double]
        public var upper: [Double]
        /// The sample variance of the group's daily demand before the forecast (the band's spread per day is its root).
        public var variance: Double = 0
        public var forecastTotal: Double { yhat.reduce(0) { $1.isFinite ? $0 + $1 : $0 } }
    }

    public let levels: [Double]
    public let rows: [ForecastRow]
    public let windowStart: Day
    public let firstForecastDay: Day
    public let lastForecastDay: Day
    public let historyEnd: Day?
    /// Indices of the lowest and highest quantile levels (nil: fewer than two levels).
    public let bandLevels: (low: Int, high: Int)?
    let panel: DemandPanel

    /// `rows` must be database-series rows (channel, location and item set); returns nil when empty.
    public init?(levels: [Double], rows: [ForecastRow], panel: DemandPanel, historyDays: Int) {
        guard let first = rows.map(\.day).min(), let last = rows.map(\.day).max() else { return nil }
        self.levels = levels; self.rows = rows; self.panel = panel
        firstForecastDay = first; lastForecastDay = last
        windowStart = first.adding(-historyDays)
        historyEnd = panel.endDay
        if levels.count >= 2, let lo = levels.indices.min(by: { levels[$0] < levels[$1] }), let hi = levels.indices.max(by: { levels[$0] < levels[$1] }) {
            bandLevels = (lo, hi)
        } else { bandLevels = nil }
    }

    public var dayCount: Int { lastForecastDay - windowStart + 1 }

    /// Sums series into groups named by `group(channel, locationKey, itemKey)` (nil: left out).
    /// Only groups with forecast rows are returned, largest forecast total first.
    public func aggregate(_ group: (Channel, Int64, Int64) -> String?) -> [Group] {
        let n = dayCount
        var index: [String: Int] = [:]
        var groups: [Group] = []
        let hEnd = historyEnd.map { min($0 - windowStart, n - 1) } ?? -1
        let fStart = firstForecastDay - windowStart
        func slot(_ name: String) -> Int {
            if let g = index[name] { return g }
            var actual = [Double](repeating: .nan, count: n)
            if hEnd >= 0 { for i in 0...hEnd { actual[i] = 0 } }
            var yhat = [Double](repeating: .nan, count: n)
            for i in fStart..<n { yhat[i] = 0 }
            groups.append(Group(name: name, actual: actual, yhat: yhat, lower: bandLevels == nil ? [] : yhat, upper: bandLevels == nil ? [] : yhat))
            index[name] = groups.count - 1
            return groups.count - 1
        }
        for r in rows {
            guard let ch = r.channel, let l = r.locationKey, let it = r.itemKey, let name = group(ch, l, it) else { continue }
            let g = slot(name), i = r.day - windowStart
            groups[g].yhat[i] += r.yhat
        }
        if hEnd >= 0 {
            for s in 0..<panel.count {
                let k = panel.keys[s]
                guard let name = group(k.channel, k.locationKey, k.itemKey), let g = index[name] else { continue }
                let r = panel.range(s)
                let start = panel.starts[s]
                let from = max(0, start - windowStart), to = min(hEnd, start.adding(r.count - 1) - windowStart)
                guard from <= to else { continue }
                groups[g].actual.withUnsafeMutableBufferPointer { a in
                    for i in from...to { a[i] += Double(panel.units[r.lowerBound + (windowStart.adding(i) - start)]) }
                }
            }
        }
        if let b = bandLevels {
            let zLow = Normal.quantile(levels[b.low]), zHigh = Normal.quantile(levels[b.high])
            for g in groups.indices {
                // Sample variance of the group's daily demand before the forecast (finite days only).
                var count = 0.0, sum = 0.0, sumSquares = 0.0
                for v in groups[g].actual[0..<fStart] where v.isFinite { count += 1; sum += v; sumSquares += v * v }
                let variance = count >= 2 ? max(0, (sumSquares - sum * sum / count) / (count - 1)) : 0
                groups[g].variance = variance
                let sd = variance.squareRoot()
                for i in fStart..<n {
                    groups[g].lower[i] = max(0, groups[g].yhat[i] + zLow * sd)
                    groups[g].upper[i] = max(0, groups[g].yhat[i] + zHigh * sd)
                }
            }
        }
        return groups.sorted { $0.forecastTotal > $1.forecastTotal || ($0.forecastTotal == $1.forecastTotal && $0.name < $1.name) }
    }

    /// The band's legend text, e.g. `≈q0.5–q0.95 (normal)`.
    public var bandName: String? { bandLevels.map { "≈\(Markup.level(levels[$0.low]))–\(Markup.level(levels[$0.high])) (normal approx.)" } }

    /// A line chart of one group: actuals, the forecast mean and its band, the forecast origin marked.
    public func chart(_ g: Group, title: String) -> LineChart {
        let xs = (0..<dayCount).map { Double(windowStart.adding($0).rawValue) }
        var bands: [LineChart.Band] = []
        if let name = bandName { bands.append(.init(name: name, xs: xs, lower: g.lower, upper: g.upper, color: 0)) }
        let horizonActual = actualOverHorizon(g)
        let summary = "\(title): forecast \(Markup.number(g.forecastTotal, decimals: 0)) units over \(lastForecastDay - firstForecastDay + 1) days from \(firstForecastDay)"
            + (horizonBand(g).map { ", horizon total band \(Markup.number($0.low, decimals: 0))–\(Markup.number($0.high, decimals: 0))" } ?? "")
            + "; actual \(Markup.number(sum(Array(g.actual[0..<(firstForecastDay - windowStart)])), decimals: 0)) units in the \(firstForecastDay - windowStart) days before"
            + (horizonActual.map { "; actual over the horizon \(Markup.number($0, decimals: 0))" } ?? "; no actuals yet for the horizon") + "."
        return LineChart(title: title, description: summary,
                         series: [.init(name: "actual", xs: xs, ys: g.actual, color: 7), .init(name: "forecast mean", xs: xs, ys: g.yhat, dashed: true, color: 0)],
                         bands: bands, xAxis: .days, yLabel: "units per day", marker: Double(firstForecastDay.rawValue) - 0.5)
    }

    /// The band of the horizon's total: Σ mean ± z · √(days · variance) (independent days and
    /// series, normal approximation), clamped at 0; nil without two levels.
    public func horizonBand(_ g: Group) -> (low: Double, high: Double)? {
        guard let b = bandLevels else { return nil }
        let sd = (Double(lastForecastDay - firstForecastDay + 1) * g.variance).squareRoot()
        return (max(0, g.forecastTotal + Normal.quantile(levels[b.low]) * sd), max(0, g.forecastTotal + Normal.quantile(levels[b.high]) * sd))
    }

    /// Actual demand summed over the forecast days, when the history covers all of them.
    public func actualOverHorizon(_ g: Group) -> Double? {
        guard let end = historyEnd, end >= lastForecastDay else { return nil }
        return sum(Array(g.actual[(firstForecastDay - windowStart)...]))
    }

    func sum(_ xs: [Double]) -> Double { xs.reduce(0) { $1.isFinite ? $0 + $1 : $0 } }
}
