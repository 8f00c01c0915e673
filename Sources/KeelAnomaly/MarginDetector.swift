import GRDB
import KeelCore
import KeelStore

/// `margin_leakage`: a category × channel × location whose gross margin in a period
/// (`periodDays`, aligned on 1970-01-01) falls well below its expected range.
///
/// Revenue and cost come from the packed demand history (units × average net price paid;
/// units × unit cost). Expected margin: the median margin of the same category and channel at
/// the other locations in the same period (so a chain-wide promotion, markdown or season lowers
/// the expectation too) plus the cell's usual deviation from those peers (the median over its
/// other periods). Fired when the margin is below that by at least
/// `max(minimumGap, madMultiple × 1.4826 × MAD)`, MAD the median absolute deviation of the cell's
/// deviations from its peers, on at least `minimumRevenue` revenue. Money at risk:
/// (expected − actual margin) × revenue.
enum MarginDetector: AnomalyDetector {
    static let kinds: [AnomalyKind] = [.marginLeakage]

    struct Cell: Hashable { var category: String; var channel: Channel; var location: Int64 }
    struct Period { var revenue = 0.0; var cost = 0.0 }

    static func detect(_ c: DetectionContext, into findings: inout [AnomalyFinding]) throws {
        let cfg = c.configuration.margin
        let panel = try DemandPanel.load(c.db)
        let len = Int32(max(1, cfg.periodDays))
        var cells: [Cell: [Int32: Period]] = [:]
        for s in 0..<panel.count {
            let key = panel.keys[s]
            let cell = Cell(category: c.itemCategory[Int(key.itemKey)], channel: key.channel, location: key.locationKey)
            let cost = c.itemCost[Int(key.itemKey)]
            let r = panel.range(s), start = panel.starts[s].rawValue
            var periods = cells[cell] ?? [:]
            for i in 0..<r.count {
                let day = start + Int32(i)
                guard day <= c.asOf.rawValue else { break }
                let u = Double(panel.units[r.lowerBound + i])
                guard u > 0 else { continue }
                let p = Double(panel.price[r.lowerBound + i])
                guard p.isFinite else { continue }
                let period = day >= 0 ? day / len : (day - len + 1) / len
                periods[period, default: Period()].revenue += u * p
                periods[period, default: Period()].cost += u * cost
            }
            cells[cell] = periods
        }
        // Only whole periods up to the as-of day.
        let lastWhole = (c.asOf.rawValue + 1) / len - 1
        // Peer medians per (category, channel, period).
        struct Peer: Hashable { var category: String; var channel: Channel; var period: Int32 }
        var peers: [Peer: [(Int64, Double)]] = [:]
        for (cell, periods) in cells {
            for (p, v) in periods where v.revenue >= cfg.minimumRevenue && p <= lastWhole {
                peers[Peer(category: cell.category, channel: cell.channel, period: p), default: []].append((cell.location, 1 - v.cost / v.revenue))
            }
        }
        for (cell, periods) in cells.sorted(by: { ($0.key.category, $0.key.channel.rawValue, $0.key.location) < ($1.key.category, $1.key.channel.rawValue, $1.key.location) }) {
            let margins = periods.filter { $0.value.revenue >= cfg.minimumRevenue && $0.key <= lastWhole }.mapValues { 1 - $0.cost / $0.revenue }
            guard margins.count >= 4 else { continue }
            // Each period's deviation from its peers (same category and channel, other locations, same period).
            var deviation: [Int32: (m: Double, peer: Double)] = [:]
            for (p, m) in margins {
                let peerMargins = (peers[Peer(category: cell.category, channel: cell.channel, period: p)] ?? []).filter { $0.0 != cell.location }.map(\.1)
                guard peerMargins.count >= 2 else { continue }
                deviation[p] = (m, quantile(peerMargins, 0.5))
            }
            guard deviation.count >= 4 else { continue }
            for (p, v0) in deviation.sorted(by: { $0.key < $1.key }) {
                let m = v0.m, peerMedian = v0.peer
                let others = deviation.filter { $0.key != p }.map { $0.value.m - $0.value.peer }
                let usual = quantile(others, 0.5)
                let mad = quantile(others.map { abs($0 - usual) }, 0.5) * 1.4826
                let ownMedian = quantile(deviation.filter { $0.key != p }.map(\.value.m), 0.5)
                let expected = peerMedian + usual
                let gap = expected - m
                guard gap >= max(cfg.minimumGap, cfg.madMultiple * mad) else { continue }
                let v = periods[p]!
                let amount = gap * v.revenue
                let from = Day(rawValue: p * len), to = Day(rawValue: min(p * len + len - 1, c.asOf.rawValue))
                let place = c.locationId[Int(cell.location)]
                findings.append(AnomalyFinding(
                    kind: .marginLeakage, severity: c.severity(amount), score: mad > 0 ? gap / mad : gap / cfg.minimumGap, amountAtRisk: amount,
                    locationKey: cell.location, channel: cell.channel.rawValue, category: cell.category, day: from,
                    explanation: "\(cell.category) on \(cell.channel.rawValue) at \(place), \(from)–\(to): gross margin \(percent(m)) on \(money(v.revenue)) revenue, "
                        + "against \(percent(ownMedian)) in its other periods and \(percent(peerMedian)) at other locations the same period. "
                        + "Shortfall \(percent(gap)) × revenue = \(money(amount)).",
                    fingerprint: AnomalyFinding.fingerprint(.marginLeakage, [cell.category, cell.channel.rawValue, place, from.description])))
            }
        }
    }
}
