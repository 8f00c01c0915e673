import Foundation
import GRDB
import KeelCore
import KeelStore

/// `channel_price_conflict`: one sku with different effective list prices across channels on
/// the same day, reported per sku and day (cli.md).
///
/// Reads the chain-wide price rows (empty location) of each sku; on every day from the first
/// sale to the as-of day where at least two channels have a price and they differ by more than
/// the tolerance, the channel(s) off the most common price are named (ties: the channel whose
/// price row started later). Promotion prices are not list prices, so a difference a promotion
/// explains never shows here. Money at risk: units sold that day on the deviating channel ×
/// the price difference.
enum ChannelPriceDetector: AnomalyDetector {
    static let kinds: [AnomalyKind] = [.channelPriceConflict]
    static let inputs: DetectionInputs = [.panel]

    struct PriceRow { var channel: String; var price: Double; var start: Int; var end: Int }

    static func detect(_ c: DetectionContext, into findings: inout [AnomalyFinding]) throws {
        guard let first = try Int.fetchOne(c.db, sql: "SELECT MIN(day) FROM sales WHERE day <= ?", arguments: [c.day]) else { return }
        let last = Int(c.day)
        let tolerance = c.configuration.pricing.conflictTolerance
        let rows = try Row.fetchCursor(
            c.db,
            sql: """
                SELECT item_key, channel, price, start_day, IFNULL(end_day, 2147483647) FROM prices
                WHERE location_key IS NULL AND start_day <= ?1 AND IFNULL(end_day, 2147483647) >= ?2
                ORDER BY item_key, channel, start_day
                """, arguments: [last, first])
        // The demand history's series of each item, indexed once (a conflict sums its channel's series).
        let panel = c.panel
        var seriesOfItem: [Int64: [Int]] = [:]
        for s in 0..<panel.count { seriesOfItem[panel.keys[s].itemKey, default: []].append(s) }
        var current: Int64 = -1
        var group: [PriceRow] = []
        func flush() throws {
            if group.count > 1 {
                try judge(
                    c, item: current, group, series: seriesOfItem[current] ?? [], first: first, last: last, tolerance: tolerance,
                    into: &findings)
            }
            group.removeAll(keepingCapacity: true)
        }
        while let r = try rows.next() {
            let item: Int64 = r[0]
            if item != current { try flush(); current = item }
            group.append(PriceRow(channel: r[1], price: r[2], start: r[3], end: r[4]))
        }
        try flush()
    }

    static func judge(
        _ c: DetectionContext, item: Int64, _ rows: [PriceRow], series: [Int], first: Int, last: Int, tolerance: Double,
        into findings: inout [AnomalyFinding]
    ) throws {
        let channels = Array(Set(rows.map(\.channel))).sorted()
        guard channels.count > 1 else { return }
        // Breakpoints where any channel's effective row can change.
        var cuts = Set<Int>([first])
        for r in rows {
            if r.start >= first && r.start <= last { cuts.insert(r.start) }
            if r.end < last && r.end + 1 >= first { cuts.insert(r.end + 1) }
        }
        let sorted = cuts.sorted()
        for (i, a) in sorted.enumerated() {
            let b = i + 1 < sorted.count ? sorted[i + 1] - 1 : last
            guard a <= b else { continue }
            // Effective row per channel on day a (later start wins; constant until b).
            var effective: [(channel: String, price: Double, start: Int)] = []
            for ch in channels {
                if let r = rows.filter({ $0.channel == ch && $0.start <= a && $0.end >= a }).max(by: { $0.start < $1.start }) {
                    effective.append((ch, r.price, r.start))
                }
            }
            guard effective.count > 1 else { continue }
            let lo = effective.map(\.price).min()!, hi = effective.map(\.price).max()!
            guard hi - lo > tolerance else { continue }
            // The most common price; ties go to the price whose rows started earliest.
            var votes: [(price: Double, count: Int, start: Int)] = []
            for e in effective {
                if let j = votes.firstIndex(where: { abs($0.price - e.price) <= tolerance }) {
                    votes[j].count += 1; votes[j].start = min(votes[j].start, e.start)
                } else {
                    votes.append((e.price, 1, e.start))
                }
            }
            let mode = votes.max { $0.count != $1.count ? $0.count < $1.count : $0.start > $1.start }!
            let deviants = effective.filter { abs($0.price - mode.price) > tolerance }
            guard let lead = deviants.first else { continue }
            let sku = c.itemSku[Int(item)]
            let others = effective.filter { abs($0.price - mode.price) <= tolerance }.map(\.channel).joined(separator: ", ")
            let units = unitsByDay(c.panel, series: series, channel: lead.channel, from: a, to: b)
            for d in a...b {
                let day = Day(rawValue: Int32(d))
                let sold = units[d - a]
                let amount = sold * abs(lead.price - mode.price)
                let list = deviants.map { "\($0.channel) \(money($0.price))" }.joined(separator: ", ")
                findings.append(
                    AnomalyFinding(
                        kind: .channelPriceConflict, severity: c.severity(amount), score: abs(lead.price - mode.price) / max(mode.price, 0.01),
                        amountAtRisk: amount, itemKey: item, channel: lead.channel, category: c.itemCategory[Int(item)], day: day,
                        explanation:
                            "\(sku) on \(day): list price \(list) against \(money(mode.price)) on \(others); no promotion explains a list-price difference. "
                            + "\(number(sold)) units sold on \(lead.channel) that day × \(money(abs(lead.price - mode.price))) = \(money(amount)).",
                        fingerprint: AnomalyFinding.fingerprint(.channelPriceConflict, [sku, day.description])))
            }
        }
    }

    /// Units sold on `channel` per day in `from…to`, summed over `series` (one item's series of
    /// the shared packed demand history, all locations and channels).
    static func unitsByDay(_ panel: DemandPanel, series: [Int], channel: String, from: Int, to: Int) -> [Double] {
        var out = Array(repeating: 0.0, count: to - from + 1)
        for s in series where panel.keys[s].channel.rawValue == channel {
            let r = panel.range(s), start = Int(panel.starts[s].rawValue)
            for d in max(from, start)...max(max(from, start), to) where d - start < r.count && d <= to {
                out[d - from] += Double(panel.units[r.lowerBound + d - start])
            }
        }
        return out
    }
}
