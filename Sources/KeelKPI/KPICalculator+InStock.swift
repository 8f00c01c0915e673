import KeelCore
import KeelStore

extension KPICalculator {
    /// In-stock rate from the demand history's stockout censoring: over every (channel, location,
    /// sku) series and every day of the window from the series' first sale on, the share of
    /// series-days whose location had available stock at the end of the day (not flagged stockout;
    /// days before a pair's first inventory snapshot are not flagged, so they count as in stock).
    /// A sales-side view of fill: a stockout day is a day on which that series' demand could not be
    /// served from the shelf. O(series-days in the window).
    func inStock(_ panel: DemandPanel) -> Measured<InStockKPI> {
        guard panel.endDay != nil else { return .unavailable("no demand history (no sales imported)") }
        var days = [Int](repeating: 0, count: Channel.allCases.count), out = days
        for s in 0..<panel.count {
            let r = panel.range(s), start = panel.starts[s]
            let lo = max(r.lowerBound, r.lowerBound + (windowStart - start))
            let hi = min(r.upperBound, r.lowerBound + (asOf - start) + 1)
            guard lo < hi else { continue }
            let c = panel.keys[s].channel.code
            days[c] += hi - lo
            for i in lo..<hi where panel.isStockout(i) { out[c] += 1 }
        }
        let total = days.reduce(0, +)
        guard total > 0 else { return .unavailable("no demand series covers the window \(windowText)") }
        let byChannel = Channel.allCases.indices.filter { days[$0] > 0 }.map {
            InStockLine(key: Channel.allCases[$0].rawValue, seriesDays: days[$0], stockoutDays: out[$0],
                        inStockRate: 1 - Double(out[$0]) / Double(days[$0]))
        }
        let stockouts = out.reduce(0, +)
        return .value(InStockKPI(byChannel: byChannel, total: InStockLine(key: "total", seriesDays: total, stockoutDays: stockouts,
                                                                         inStockRate: 1 - Double(stockouts) / Double(total))))
    }
}
