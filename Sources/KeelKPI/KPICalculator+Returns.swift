import KeelCore
import KeelStore

extension KPICalculator {
    /// Returns in the window against sales in the window, by the channel recorded on each (a
    /// return's own channel). Cycle time = return day − the original transaction's (earliest) sale
    /// day, over returns whose `original_transaction_id` names a sale.
    func returns() throws -> Measured<ReturnsKPI> {
        let sold = try reader.query("""
            SELECT channel, SUM(qty), SUM(qty * unit_price - discount) FROM sales WHERE day BETWEEN ? AND ? GROUP BY channel
            """, window)
        guard !sold.isEmpty else { return .unavailable("no sales in the window \(windowText)") }
        let returned = try reader.query("""
            SELECT r.channel, r.qty, r.refund_amount, r.day - (SELECT MIN(s.day) FROM sales s WHERE s.transaction_id = r.original_transaction_id)
            FROM returns r WHERE r.day BETWEEN ? AND ? ORDER BY r.channel, r.return_id
            """, window)
        struct Tally { var soldUnits = 0.0, soldValue = 0.0, units = 0.0, refunds = 0.0, cycles: [Double] = [] }
        var tallies: [String: Tally] = [:], total = Tally(), unlinked = 0
        for r in sold {
            tallies[r[0].description, default: Tally()].soldUnits += r[1].double ?? 0
            tallies[r[0].description, default: Tally()].soldValue += r[2].double ?? 0
        }
        for r in returned {
            var t = tallies[r[0].description, default: Tally()]
            t.units += r[1].double ?? 0; t.refunds += r[2].double ?? 0
            if let days = r[3].double { t.cycles.append(days); total.cycles.append(days) } else { unlinked += 1 }
            tallies[r[0].description] = t
        }
        func summary(_ channel: String, _ t: Tally) -> ChannelReturns {
            let c = t.cycles.sorted(), n = c.count
            return ChannelReturns(channel: channel, units: Ratio(t.units, of: t.soldUnits), value: Ratio(t.refunds, of: t.soldValue),
                                  linkedReturns: n,
                                  medianCycleDays: n == 0 ? nil : (n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2),
                                  meanCycleDays: n == 0 ? nil : c.reduce(0, +) / Double(n))
        }
        for t in tallies.values {
            total.soldUnits += t.soldUnits; total.soldValue += t.soldValue; total.units += t.units; total.refunds += t.refunds
        }
        return .value(ReturnsKPI(byChannel: tallies.keys.sorted().map { summary($0, tallies[$0]!) }, total: summary("total", total),
                                 unlinkedReturns: unlinked))
    }
}
