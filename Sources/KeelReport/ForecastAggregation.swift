import KeelCore
import KeelStore

/// A forecast run and the demand history summed over groups of series (total, department,
/// region, channel, SKU…) on one day window: `historyDays` before the first forecast day up
/// to the last forecast day.
///
/// Means add up exactly. The band is the sum of the series' lowest and highest stored quantiles:
/// a sum of quantiles is the quantile of the sum only when the series move together
/// (comonotone), so at aggregate levels the band is an upper bound on the aggregate interval's
/// width, and the report says so.
public struct ForecastAggregation {
    public struct Group: Sendable {
        public var name: String
        /// Per window day: demand (NaN after the history ends).
        public var actual: [Double]
        /// Per window day: the summed mean and band (NaN before the first forecast day).
        public var yhat: [Double]
        public var lower: [Double]
        public var upper: [Double]
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
            if let b = bandLevels {
                groups[g].lower[i] += r.quantiles[b.low]
                groups[g].upper[i] += r.quantiles[b.high]
            }
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
        return groups.sorted { $0.forecastTotal > $1.forecastTotal || ($0.forecastTotal == $1.forecastTotal && $0.name < $1.name) }
    }

    /// The band's legend text, e.g. `q0.5–q0.95`.
    public var bandName: String? { bandLevels.map { "\(Markup.level(levels[$0.low]))–\(Markup.level(levels[$0.high]))" } }

    /// A line chart of one group: actuals, the forecast mean and its band, the forecast origin marked.
    public func chart(_ g: Group, title: String) -> LineChart {
        let xs = (0..<dayCount).map { Double(windowStart.adding($0).rawValue) }
        var bands: [LineChart.Band] = []
        if let name = bandName { bands.append(.init(name: name, xs: xs, lower: g.lower, upper: g.upper, color: 0)) }
        let horizonActual = actualOverHorizon(g)
        let summary = "\(title): forecast \(Markup.number(g.forecastTotal, decimals: 0)) units over \(lastForecastDay - firstForecastDay + 1) days from \(firstForecastDay)"
            + (bandName.map { name in ", summed \(name) band \(Markup.number(sum(g.lower), decimals: 0))–\(Markup.number(sum(g.upper), decimals: 0))" } ?? "")
            + "; actual \(Markup.number(sum(Array(g.actual[0..<(firstForecastDay - windowStart)])), decimals: 0)) units in the \(firstForecastDay - windowStart) days before"
            + (horizonActual.map { "; actual over the horizon \(Markup.number($0, decimals: 0))" } ?? "; no actuals yet for the horizon") + "."
        return LineChart(title: title, description: summary,
                         series: [.init(name: "actual", xs: xs, ys: g.actual, color: 7), .init(name: "forecast mean", xs: xs, ys: g.yhat, dashed: true, color: 0)],
                         bands: bands, xAxis: .days, yLabel: "units per day", marker: Double(firstForecastDay.rawValue) - 0.5)
    }

    /// Actual demand summed over the forecast days, when the history covers all of them.
    public func actualOverHorizon(_ g: Group) -> Double? {
        guard let end = historyEnd, end >= lastForecastDay else { return nil }
        return sum(Array(g.actual[(firstForecastDay - windowStart)...]))
    }

    func sum(_ xs: [Double]) -> Double { xs.reduce(0) { $1.isFinite ? $0 + $1 : $0 } }
}
