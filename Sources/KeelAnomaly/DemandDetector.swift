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
/// Drop — a run of consecutive trading days (the location sold something) with zero units,
/// no promotion and no stockout flag (available stock ≤ 0 explains no sales), of
/// `minimumDropDays…maximumDropDays` trading days, where the peers make it improbable: the
/// other locations sold the sku on the channel during the run, and at this location's usual
/// ratio to them (over the `baselineDays` before) at least `dropEvidence` units were expected
/// (Poisson P(no sale) ≤ e^−dropEvidence). Seasons, markdowns and delistings move the peers too,
/// so they do not fire. Reported once per run, dated on its first day. Money at risk: expected
/// units × average price.
enum DemandDetector: AnomalyDetector {
    static let kinds: [AnomalyKind] = [.salesSpike, .salesDrop]

    struct ItemChannel: Hashable { var item: Int64; var channel: Channel }
    struct BasketKey: Hashable { var channel: Channel; var location: Int64; var item: Int64; var day: Int32 }

    static func detect(_ c: DetectionContext, into findings: inout [AnomalyFinding]) throws {
        let cfg = c.configuration.demand
        let panel = try DemandPanel.load(c.db)
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
        let lines = try Row.fetchCursor(
            c.db,
            sql: """
                SELECT transaction_id, channel, location_key, item_key, day, qty FROM sales
                WHERE promo_id IS NULL AND qty >= ? AND day <= ?
                """, arguments: [threshold, c.day])
        while let r = try lines.next() {
            guard let channel = Channel(rawValue: r[1]) else { continue }
            let key = BasketKey(channel: channel, location: r[2], item: r[3], day: r[4])
            let q: Double = r[5]
            if q > (baskets[key]?.qty ?? 0) { baskets[key] = (r[0], q) }
        }
        var units = [Double](), prefixUnits = [Double](), prefixDays = [Double]()
        for s in 0..<panel.count {
            let key = panel.keys[s]
            let r = panel.range(s)
            let start = panel.starts[s]
            let n = min(r.count, last - start + 1)
            guard n > 0 else { continue }
            let totals = locations[key.locationKey]!
            units.removeAll(keepingCapacity: true)
            prefixUnits.removeAll(keepingCapacity: true); prefixDays.removeAll(keepingCapacity: true)
            prefixUnits.append(0); prefixDays.append(0)
            var normal: [Double] = []
            var revenue = 0.0, sold = 0.0
            for i in 0..<n {
                let u = Double(panel.units[r.lowerBound + i]), f = panel.flags[r.lowerBound + i]
                units.append(u)
                let clean = f & (DemandHistory.promoFlag | DemandHistory.stockoutFlag) == 0
                if clean { normal.append(u) }
                prefixUnits.append(prefixUnits.last! + (clean ? u : 0)); prefixDays.append(prefixDays.last! + (clean ? 1 : 0))
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
            var ownPrefix = [0.0]
            ownPrefix.reserveCapacity(n + 1)
            for u in units { ownPrefix.append(ownPrefix.last! + u) }
            func drop(_ end: Int) {
                emitDrop(c, key, start, runStart, end, runLength, ownPrefix, peers, offset, price, sku, place, &findings)
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
                // Drops: extend or close the zero run.
                if trading && units[i] == 0 && !promo && !stockout {
                    if runStart < 0 { runStart = i; runLength = 0 }
                    runLength += 1
                } else if trading || stockout || promo {
                    if runStart >= 0 { drop(i) }
                    runStart = -1
                }
                i += 1
            }
            if runStart >= 0 { drop(n) }
        }
    }

    /// A zero run `runStart ..< end` (series indices) with `length` trading days: expected units
    /// from the peers — the other locations' units of the sku on the channel during the run ×
    /// this location's ratio to them over the `baselineDays` before it.
    static func emitDrop(
        _ c: DetectionContext, _ key: DemandPanel.Key, _ start: Day, _ runStart: Int, _ end: Int, _ length: Int,
        _ own: [Double], _ peers: [Double], _ offset: Int, _ price: Double, _ sku: String, _ place: String,
        _ findings: inout [AnomalyFinding]
    ) {
        let cfg = c.configuration.demand
        guard length >= cfg.minimumDropDays, length <= cfg.maximumDropDays else { return }
        let lo = max(0, runStart - cfg.baselineDays)
        guard runStart - lo >= 28 else { return }
        let ownBase = own[runStart] - own[lo]
        let peerBase = (peers[offset + runStart] - peers[offset + lo]) - ownBase
        guard ownBase > 0, peerBase > 0 else { return }
        let peerRun = peers[offset + end] - peers[offset + runStart]  // own units are zero in the run
        let expected = ownBase / peerBase * peerRun
        guard expected >= cfg.dropEvidence else { return }
        let day = start.adding(runStart)
        let amount = expected * price
        findings.append(
            AnomalyFinding(
                kind: .salesDrop, severity: c.severity(amount), score: expected, amountAtRisk: amount,
                locationKey: key.locationKey, itemKey: key.itemKey, channel: key.channel.rawValue,
                category: c.itemCategory[Int(key.itemKey)], day: day,
                explanation:
                    "\(sku) at \(place) (\(key.channel.rawValue)) sold nothing for \(length) trading days from \(day), with stock and no promotion, "
                    + "while the other locations sold \(number(peerRun)) units of it; at its usual share (\(number(ownBase)) to their \(number(peerBase)) over the "
                    + "\(runStart - lo) days before) \(money(expected)) units were expected (chance of none e^-\(money(expected))). "
                    + "Lost sales ≈ \(money(expected)) units × \(money(price)) = \(money(amount)).",
                fingerprint: AnomalyFinding.fingerprint(.salesDrop, [key.channel.rawValue, place, sku, day.description])))
    }

    /// The chain's `q` quantile of line quantities without promotion, read on a grid of
    /// quantities in one scan (no sort of the sales table).
    static func lineQuantile(_ c: DetectionContext, _ q: Double) throws -> Double {
        let grid: [Double] = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128]
        let sums = grid.map { "SUM(qty <= \($0))" }.joined(separator: ", ")
        guard let row = try Row.fetchOne(c.db, sql: "SELECT COUNT(*), \(sums) FROM sales WHERE promo_id IS NULL AND day <= ?", arguments: [c.day])
        else { return 1 }
        let total: Double = row[0]
        guard total > 0 else { return 1 }
        for (i, g) in grid.enumerated() where (row[i + 1] as Double? ?? 0) >= q * total { return g }
        return grid.last!
    }
}
