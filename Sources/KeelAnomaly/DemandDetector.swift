import Foundation
import GRDB
import KeelCore
import KeelStore

/// `sales_spike` and `sales_drop` on every (channel, location, sku) series of the packed demand
/// history, against expectations built from the series' own non-promotion history.
///
/// Spike — either of:
/// - a basket: one line without a promotion whose quantity is at least
///   `max(minimumSpikeUnits, basketMultiple × q)`, q the chain's 99.9% quantile of line quantities
///   without promotion (read on the grid 1, 2, 3, 4, 6, 8, 12, …): demand far beyond what any
///   ordinary basket carries;
/// - a day: units at least `max(minimumDayUnits, dayMultiple × q995)`, q995 the series' 99.5%
///   quantile of its non-promotion days, on a non-promotion day whose location total is not an
///   event (at most `eventMultiple` × the location's median day).
/// Promotion days and lines never count: a promotion explains its lift. Money at risk: the
/// units beyond the series' mean day × the average price paid.
///
/// Drop — a run of trading days (the location sold something) on which the series sold nothing
/// while stock was on hand (a stockout day ends the run; a promotion day without a sale extends
/// it), of at least `minimumDropDays` days, whose chance under the series' own demand is at most
/// `dropSignificance`: daily units over its clean trading days in the `baselineDays` before the
/// run as a negative binomial (method of moments), its mean at the lower 2-standard-error bound
/// and scaled down by the peers' change (same sku and channel: for a store the other locations,
/// online the whole channel, this node included, as orders are routed between nodes) — seasons,
/// markdowns and delistings move the peers too, so they do not fire, and a slow or intermittent
/// series needs a very long run to fire. Reported once per run, dated on its first day. Money at
/// risk: the baseline mean × the peers' change × the run's days × average price.
enum DemandDetector: AnomalyDetector {
    static let kinds: [AnomalyKind] = [.salesSpike, .salesDrop]
    static let inputs: DetectionInputs = [.sales, .panel]

    struct ItemChannel: Hashable { var item: Int64; var channel: Channel }
    struct BasketKey: Hashable { var channel: Channel; var location: Int64; var item: Int64; var day: Int32 }

    static func detect(_ c: DetectionContext, into findings: inout [AnomalyFinding]) throws {
        let cfg = c.configuration.demand
        let panel = c.panel
        guard let end = panel.endDay, panel.count > 0 else { return }
        let last = min(end, c.asOf)
        let origin = panel.starts.min()!
        let width = last - origin + 1
        guard width > 0 else { return }
        // Location totals per day (trading days and events).
        var locations: [Int64: [Float]] = [:]
        for s in 0..<panel.count {
            let r = panel.range(s), start = panel.starts[s] - origin
            var row = locations[panel.keys[s].locationKey] ?? Array(repeating: 0, count: width)
            for i in 0..<min(r.count, width - start) { row[start + i] += panel.units[r.lowerBound + i] }
            locations[panel.keys[s].locationKey] = row
        }
        // Chain units per (sku, channel) and day, as prefix sums: the peers' demand on the same days.
        var chain: [ItemChannel: [Double]] = [:]
        for s in 0..<panel.count {
            let r = panel.range(s), start = panel.starts[s] - origin
            let k = ItemChannel(item: panel.keys[s].itemKey, channel: panel.keys[s].channel)
            var row = chain[k] ?? Array(repeating: 0, count: width + 1)
            for i in 0..<min(r.count, width - start) { row[start + i + 1] += Double(panel.units[r.lowerBound + i]) }
            chain[k] = row
        }
        for k in chain.keys { for d in 1...width { chain[k]![d] += chain[k]![d - 1] } }
        var medians: [Int64: Double] = [:]
        for (l, row) in locations { medians[l] = quantile(row.filter { $0 > 0 }.map(Double.init), 0.5) }
        // Spike baskets.
        var baskets: [BasketKey: (txn: String, qty: Double)] = [:]
        let threshold = max(cfg.minimumSpikeUnits, cfg.basketMultiple * (try lineQuantile(c, 0.999)))
        let sales = c.sales
        for l in 0..<sales.count where sales.promo[l] < 0 && sales.qty[l] >= threshold && sales.day[l] <= c.asOfDay {
            guard let channel = Channel(code: Int(sales.channel[l])) else { continue }
            let key = BasketKey(channel: channel, location: Int64(sales.location[l]), item: Int64(sales.item[l]), day: sales.day[l])
            let q = sales.qty[l]
            if q > (baskets[key]?.qty ?? 0) { baskets[key] = (sales.transactionId(Int(sales.transaction[l])), q) }
        }
        var units = [Double]()
        var base = DropBaseline()
        for s in 0..<panel.count {
            let key = panel.keys[s]
            let r = panel.range(s)
            let start = panel.starts[s]
            let n = min(r.count, last - start + 1)
            guard n > 0 else { continue }
            let totals = locations[key.locationKey]!
            units.removeAll(keepingCapacity: true)
            var normal: [Double] = []
            var revenue = 0.0, sold = 0.0
            for i in 0..<n {
                let u = Double(panel.units[r.lowerBound + i]), f = panel.flags[r.lowerBound + i]
                units.append(u)
                let clean = f & (DemandHistory.promoFlag | DemandHistory.stockoutFlag) == 0
                if clean { normal.append(u) }
                let p = panel.price[r.lowerBound + i]
                if p.isFinite && u > 0 { revenue += Double(p) * u; sold += u }
            }
            guard !normal.isEmpty else { continue }
            let price = sold > 0 ? revenue / sold : 0
            let mean = normal.reduce(0, +) / Double(normal.count)
            let q995 = quantile(normal, 0.995)
            let sku = c.itemSku[Int(key.itemKey)], place = c.locationId[Int(key.locationKey)]
            func emitSpike(_ i: Int, _ reason: String, txn: String?) {
                let day = start.adding(i)
                let excess = max(0, units[i] - mean)
                let amount = excess * price
                findings.append(
                    AnomalyFinding(
                        kind: .salesSpike, severity: c.severity(amount), score: units[i] / max(q995, 1), amountAtRisk: amount,
                        transactionId: txn, locationKey: key.locationKey, itemKey: key.itemKey, channel: key.channel.rawValue,
                        category: c.itemCategory[Int(key.itemKey)], day: day,
                        explanation:
                            "\(sku) at \(place) (\(key.channel.rawValue)) sold \(number(units[i])) units on \(day) without a promotion: \(reason). "
                            + "Its normal day is \(money(mean)) units (99.5% of days ≤ \(number(q995))). Units beyond normal × average price \(money(price)) = \(money(amount)).",
                        fingerprint: AnomalyFinding.fingerprint(.salesSpike, [key.channel.rawValue, place, sku, day.description])))
            }
            var i = 0
            var runStart = -1, runLength = 0
            let peers = chain[ItemChannel(item: key.itemKey, channel: key.channel)]!
            let offset = start - origin
            // Prefix sums for the drop baseline: all own units, and over the clean trading days
            // (no promotion, no stockout) their count, empty days, units and squared units.
            base.reset(n)
            for i in 0..<n {
                let d = start - origin + i
                let f = panel.flags[r.lowerBound + i]
                let clean = d >= 0 && totals[d] > 0 && f & (DemandHistory.promoFlag | DemandHistory.stockoutFlag) == 0
                base.append(units[i], clean: clean)
            }
            func drop(_ end: Int) {
                emitDrop(c, key, start, runStart, end, runLength, base, peers, offset, price, sku, place, &findings)
            }
            while i < n {
                let f = panel.flags[r.lowerBound + i]
                let d = start - origin + i
                let day = start.adding(i)
                let trading = d >= 0 && totals[d] > 0
                let promo = f & DemandHistory.promoFlag != 0, stockout = f & DemandHistory.stockoutFlag != 0
                if units[i] > 0 && !promo {
                    if !baskets.isEmpty,
                        let b = baskets[BasketKey(channel: key.channel, location: key.locationKey, item: key.itemKey, day: day.rawValue)]
                    {
                        emitSpike(
                            i, "one basket (\(b.txn)) took \(number(b.qty)), beyond the \(number(threshold)) no ordinary basket reaches", txn: b.txn)
                    } else if units[i] >= max(cfg.minimumDayUnits, cfg.dayMultiple * q995),
                        Double(totals[d]) <= cfg.eventMultiple * (medians[key.locationKey] ?? 0)
                    {
                        emitSpike(i, "\(money(units[i] / max(q995, 1)))× its 99.5% day on an ordinary trading day", txn: nil)
                    }
                }
                // Drops: extend or close the zero run. A promotion day without a sale extends it
                // (a promotion explains more sales, not none); a stockout or a sale ends it; a day
                // the location did not trade is skipped.
                if trading && units[i] == 0 && !stockout {
                    if runStart < 0 { runStart = i; runLength = 0 }
                    runLength += 1
                } else if trading || stockout {
                    if runStart >= 0 { drop(i) }
                    runStart = -1
                }
                i += 1
            }
            if runStart >= 0 { drop(n) }
        }
    }

    /// Prefix sums over one series for the drop test (index i covers days 0..<i).
    struct DropBaseline {
        var own: [Double] = [], days: [Double] = [], units: [Double] = [], squares: [Double] = []

        mutating func reset(_ n: Int) {
            own.removeAll(keepingCapacity: true); days.removeAll(keepingCapacity: true)
            units.removeAll(keepingCapacity: true); squares.removeAll(keepingCapacity: true)
            own.reserveCapacity(n + 1); days.reserveCapacity(n + 1); units.reserveCapacity(n + 1); squares.reserveCapacity(n + 1)
            own.append(0); days.append(0); units.append(0); squares.append(0)
        }

        mutating func append(_ u: Double, clean: Bool) {
            own.append(own.last! + u)
            days.append(days.last! + (clean ? 1 : 0))
            units.append(units.last! + (clean ? u : 0))
            squares.append(squares.last! + (clean ? u * u : 0))
        }
    }

    /// The chance that a series sells nothing on `days` days when its daily units are negative
    /// binomial with mean `mean` and shape `shape` (Poisson when the shape is infinite):
    /// (1 + mean/shape)^(−shape × days), returned as its natural logarithm.
    static func logChanceOfNoSale(mean: Double, shape: Double, days: Int) -> Double {
        guard mean > 0 else { return 0 }
        if !shape.isFinite { return -mean * Double(days) }
        return -shape * Double(days) * log1p(mean / shape)
    }

    /// A zero run `runStart ..< end` (series indices) holding `length` trading days, judged
    /// against the series' own clean trading days in the `baselineDays` before it: mean μ and
    /// variance v of daily units give a negative binomial (shape μ² / (v − μ); Poisson when
    /// v ≤ μ). The mean is taken at its lower 2-standard-error bound and scaled by the peers'
    /// change (units of the sku on the channel per day during the run against before it, capped
    /// at 1: at the other locations for a store, at every node, this one included, online), so a
    /// season, a markdown or a delisting that moves the whole chain explains the gap. Fired when
    /// P(no sale on all `length` days) ≤ `dropSignificance`.
    static func emitDrop(
        _ c: DetectionContext, _ key: DemandPanel.Key, _ start: Day, _ runStart: Int, _ end: Int, _ length: Int,
        _ b: DropBaseline, _ peers: [Double], _ offset: Int, _ price: Double, _ sku: String, _ place: String,
        _ findings: inout [AnomalyFinding]
    ) {
        let cfg = c.configuration.demand
        guard length >= cfg.minimumDropDays else { return }
        let lo = max(0, runStart - cfg.baselineDays)
        let n = b.days[runStart] - b.days[lo]
        guard n >= 28 else { return }
        let mean = (b.units[runStart] - b.units[lo]) / n
        guard mean > 0 else { return }
        let variance = max(0, ((b.squares[runStart] - b.squares[lo]) / n - mean * mean) * n / (n - 1))
        let shape = variance > mean ? mean * mean / (variance - mean) : .infinity
        let low = mean - 2 * (max(variance, mean) / n).squareRoot()
        guard low > 0 else { return }
        // The comparison's daily units during the run against before it. A store's shoppers are its
        // own: its peers are the other locations. An online channel's orders are one chain-wide
        // demand routed between fulfilment nodes (a DC short of stock passes its orders to the
        // other), so a node is compared with the whole channel, itself included — otherwise a
        // node that lost its orders to its peer would read the peer's gain as unchanged demand.
        let ownBase = key.channel == .store ? b.own[runStart] - b.own[lo] : 0
        let peerBase = (peers[offset + runStart] - peers[offset + lo]) - ownBase
        guard peerBase > 0 else { return }
        let peerRun = peers[offset + end] - peers[offset + runStart]  // own units are zero in the run
        let change = min(1, (peerRun / Double(end - runStart)) / (peerBase / Double(runStart - lo)))
        let logChance = logChanceOfNoSale(mean: low * change, shape: shape, days: length)
        guard logChance <= log(cfg.dropSignificance) else { return }
        let expected = mean * change * Double(length)
        let day = start.adding(runStart)
        let amount = expected * price
        let chance = exp(logChance)
        findings.append(
            AnomalyFinding(
                kind: .salesDrop, severity: c.severity(amount), score: -logChance / log(10), amountAtRisk: amount,
                locationKey: key.locationKey, itemKey: key.itemKey, channel: key.channel.rawValue,
                category: c.itemCategory[Int(key.itemKey)], day: day,
                explanation:
                    "\(sku) at \(place) (\(key.channel.rawValue)) sold nothing on \(length) trading days from \(day) with stock on hand. "
                    + "Over the \(number(n)) ordinary days before, it sold \(money(mean)) units a day (variance \(money(variance))); \(key.channel == .store ? "the other locations" : "all nodes of the channel") "
                    + "sold it at \(percent(change)) of their earlier rate meanwhile. The chance of no sale on \(length) such days is "
                    + String(format: "%.1e", chance) + " (at a cautious \(money(low * change)) units a day). "
                    + "Lost sales ≈ \(money(mean * change)) × \(length) days = \(money(expected)) units × \(money(price)) = \(money(amount)).",
                fingerprint: AnomalyFinding.fingerprint(.salesDrop, [key.channel.rawValue, place, sku, day.description])))
    }

    /// The chain's `q` quantile of line quantities without promotion, read on a grid of
    /// quantities in one scan (no sort of the sales table).
    static func lineQuantile(_ c: DetectionContext, _ q: Double) throws -> Double {
        let grid: [Double] = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128]
        var atMost = [Double](repeating: 0, count: grid.count)
        var total = 0.0
        let sales = c.sales
        for l in 0..<sales.count where sales.promo[l] < 0 && sales.day[l] <= c.asOfDay {
            total += 1
            let x = sales.qty[l]
            for (i, g) in grid.enumerated() where x <= g { atMost[i] += 1 }
        }
        guard total > 0 else { return 1 }
        for (i, g) in grid.enumerated() where atMost[i] >= q * total { return g }
        return grid.last!
    }
}
