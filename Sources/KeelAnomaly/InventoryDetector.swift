import GRDB
import KeelCore
import KeelStore

/// `inventory_mismatch`, one per (location, sku, day), from three rules:
/// - negative available stock: a snapshot whose `on_hand − reserved − damaged` is below zero
///   (money at risk: the shortfall × unit cost);
/// - sales recorded while on-hand was zero: the latest snapshot before the sale day shows no stock
///   on hand and no receipt, transfer in or restocked return reached the location since
///   (money at risk: units sold × unit cost);
/// - an unexplained stock drop: between two consecutive snapshots of a pair, on-hand fell more
///   than sales, restocked returns, receipts and transfers explain — by at least
///   `max(minimumUnits, relativeShare × earlier on-hand)` — dated on the later snapshot
///   (money at risk: the missing units × unit cost).
enum InventoryDetector: AnomalyDetector {
    static let kinds: [AnomalyKind] = [.inventoryMismatch]
    static let inputs: DetectionInputs = [.sales, .panel]

    struct Pair: Hashable { var location: Int64; var item: Int64 }

    static func detect(_ c: DetectionContext, into findings: inout [AnomalyFinding]) throws {
        var seen = Set<String>()
        func emit(_ location: Int64, _ item: Int64, _ day: Day, _ amount: Double, _ score: Double, _ text: String, txn: String? = nil) {
            let fp = AnomalyFinding.fingerprint(.inventoryMismatch, [c.locationId[Int(location)], c.itemSku[Int(item)], day.description])
            guard seen.insert(fp).inserted else { return }
            findings.append(
                AnomalyFinding(
                    kind: .inventoryMismatch, severity: c.severity(amount), score: score, amountAtRisk: amount, transactionId: txn,
                    locationKey: location, itemKey: item, category: c.itemCategory[Int(item)], day: day, explanation: text, fingerprint: fp))
        }
        // One read of the snapshots (pair and day order) and one of the stock flows, shared by the
        // three rules. Snapshots and flows after the as-of day never matter: a sale is judged by
        // the last count before its day and the arrivals up to its day.
        let snaps = try NumericQuery(
            c.db,
            """
            SELECT location_key, item_key, as_of, on_hand, reserved, damaged FROM inventory_snapshots
            WHERE as_of <= ? ORDER BY location_key, item_key, as_of
            """, [c.day])
        // Flows: (pair, day, units in (+) or out (−), whether stock arrived: a receipt, a transfer in
        // or a restocked return).
        let flowRows = try NumericQuery(
            c.db,
            """
            SELECT location_key, item_key, received_day, IFNULL(received_qty, qty), 1 FROM purchase_orders
              WHERE received_day IS NOT NULL AND received_day <= ?1
            UNION ALL SELECT to_location_key, item_key, received_day, qty, 1 FROM transfers WHERE received_day IS NOT NULL AND received_day <= ?1
            UNION ALL SELECT from_location_key, item_key, shipped_day, -qty, 0 FROM transfers WHERE shipped_day <= ?1
            UNION ALL SELECT location_key, item_key, day, qty, 1 FROM returns WHERE disposition = 'restock' AND day <= ?1
            """, [c.day])
        // 1. Negative available stock.
        for i in 0..<snaps.count where snaps[i, 3] - snaps[i, 4] - snaps[i, 5] < 0 {
            let l = Int64(snaps[i, 0]), k = Int64(snaps[i, 1]), day = Day(rawValue: Int32(snaps[i, 2]))
            let on = snaps[i, 3], res = snaps[i, 4], dam = snaps[i, 5]
            let short = res + dam - on
            emit(
                l, k, day, short * c.itemCost[Int(k)], short,
                "\(c.itemSku[Int(k)]) at \(c.locationId[Int(l)]) on \(day): \(number(on)) on hand but \(number(res)) reserved and \(number(dam)) damaged, "
                    + "so available stock is \(number(on - res - dam)). Shortfall \(number(short)) × unit cost \(money(c.itemCost[Int(k)])) = \(money(short * c.itemCost[Int(k)]))."
            )
        }
        // 2. Sales while the last snapshot before the sale day shows nothing on hand and nothing
        // came in since: every line of the shared sales columns against the pair's snapshots and
        // arrival days (receipts, transfers in, restocked returns), held as sorted arrays.
        let locations = c.locationId.count, items = c.itemSku.count
        func pairIndex(_ l: Int64, _ k: Int64) -> Int? {
            l >= 0 && l < locations && k >= 0 && k < items ? Int(l) * items + Int(k) : nil
        }
        var snapStart = [Int32](repeating: 0, count: locations * items + 1)
        var snapDay: [Int32] = [], snapEmpty: [Bool] = []
        do {
            var counts = [Int32](repeating: 0, count: locations * items)
            var rows: [(Int, Int32, Bool)] = []
            rows.reserveCapacity(snaps.count)
            for i in 0..<snaps.count {
                guard let p = pairIndex(Int64(snaps[i, 0]), Int64(snaps[i, 1])) else { continue }
                counts[p] += 1
                rows.append((p, Int32(snaps[i, 2]), snaps[i, 3] <= 0))
            }
            for p in 0..<counts.count { snapStart[p + 1] = snapStart[p] + counts[p] }
            snapDay = [Int32](repeating: 0, count: rows.count); snapEmpty = [Bool](repeating: false, count: rows.count)
            var fill = snapStart
            for (p, d, e) in rows { let i = Int(fill[p]); snapDay[i] = d; snapEmpty[i] = e; fill[p] += 1 }
        }
        var arrivals: [Int: [Int32]] = [:]
        var flows: [Pair: [(Int32, Double)]] = [:]
        for i in 0..<flowRows.count {
            let l = Int64(flowRows[i, 0]), k = Int64(flowRows[i, 1]), d = Int32(flowRows[i, 2])
            flows[Pair(location: l, item: k), default: []].append((d, flowRows[i, 3]))
            if flowRows[i, 4] != 0, let p = pairIndex(l, k) { arrivals[p, default: []].append(d) }
        }
        for p in arrivals.keys { arrivals[p]!.sort() }
        struct Hit: Hashable { var pair: Int; var day: Int32 }
        var hits: [Hit: (qty: Double, transaction: Int32, snap: Int32)] = [:]
        let sales = c.sales
        for l in 0..<sales.count where sales.day[l] <= c.asOfDay {
            guard let p = pairIndex(Int64(sales.location[l]), Int64(sales.item[l])) else { continue }
            var lo = Int(snapStart[p]), hi = Int(snapStart[p + 1])
            guard lo < hi else { continue }
            let day = sales.day[l]
            // The last snapshot strictly before the sale day.
            while lo < hi { let m = (lo + hi) / 2; if snapDay[m] < day { lo = m + 1 } else { hi = m } }
            guard lo > Int(snapStart[p]), snapEmpty[lo - 1] else { continue }
            let snap = snapDay[lo - 1]
            if let a = arrivals[p] {
                var i = 0, j = a.count
                while i < j { let m = (i + j) / 2; if a[m] <= snap { i = m + 1 } else { j = m } }
                if i < a.count && a[i] <= day { continue }
            }
            let key = Hit(pair: p, day: day)
            if let h = hits[key] {
                hits[key] = (h.qty + sales.qty[l], min(h.transaction, sales.transaction[l]), min(h.snap, snap))
            } else {
                hits[key] = (sales.qty[l], sales.transaction[l], snap)
            }
        }
        for key in hits.keys.sorted(by: { ($0.pair, $0.day) < ($1.pair, $1.day) }) {
            let h = hits[key]!
            let l = Int64(key.pair / items), k = Int64(key.pair % items), day = Day(rawValue: key.day), q = h.qty
            let snap = Day(rawValue: h.snap)
            let txn = sales.transactionId(Int(h.transaction))
            let amount = q * c.itemCost[Int(k)]
            emit(
                l, k, day, amount, q,
                "\(number(q)) × \(c.itemSku[Int(k)]) sold at \(c.locationId[Int(l)]) on \(day) (e.g. \(txn)) while the stock count of \(snap) "
                    + "showed none on hand and no receipt, transfer or restocked return arrived since. Units × unit cost = \(money(amount)).",
                txn: txn)
        }
        try unexplainedDrops(c, snaps: snaps, flows: flows, emit: emit)
    }

    /// Consecutive snapshots of each pair (`snaps`: pair and day order) against the flows between
    /// them (`flows`: per pair, (day, units in or out), sales excluded).
    static func unexplainedDrops(
        _ c: DetectionContext, snaps: NumericQuery, flows: [Pair: [(Int32, Double)]],
        emit: (Int64, Int64, Day, Double, Double, String, String?) -> Void
    ) throws {
        let cfg = c.configuration.inventory
        // Sales per pair from the packed history (all channels fulfilled by the location).
        let panel = c.panel
        var series: [Pair: [Int]] = [:]
        for s in 0..<panel.count { series[Pair(location: panel.keys[s].locationKey, item: panel.keys[s].itemKey), default: []].append(s) }
        func sold(_ p: Pair, after a: Int32, through b: Int32) -> Double {
            var total = 0.0
            for s in series[p] ?? [] {
                let r = panel.range(s), start = panel.starts[s].rawValue
                var d = max(a + 1, start)
                while d <= b && Int(d - start) < r.count { total += Double(panel.units[r.lowerBound + Int(d - start)]); d += 1 }
            }
            return total
        }
        var previous: (Pair, Int32, Double)? = nil
        for row in 0..<snaps.count {
            let p = Pair(location: Int64(snaps[row, 0]), item: Int64(snaps[row, 1])), day = Int32(snaps[row, 2]), on = snaps[row, 3]
            defer { previous = (p, day, on) }
            guard let (pp, a, before) = previous, pp == p else { continue }
            var inflow = 0.0
            for (d, q) in flows[p] ?? [] where d > a && d <= day { inflow += q }
            let sales = sold(p, after: a, through: day)
            let expected = before - sales + inflow
            let missing = expected - on
            guard missing >= max(cfg.minimumUnits, cfg.relativeShare * before) else { continue }
            let cost = c.itemCost[Int(p.item)]
            let d0 = Day(rawValue: a), d1 = Day(rawValue: day)
            emit(
                p.location, p.item, d1, missing * cost, missing / max(before, 1),
                "\(c.itemSku[Int(p.item)]) at \(c.locationId[Int(p.location)]): \(number(before)) on hand on \(d0), \(number(sales)) sold and net \(number(inflow)) "
                    + "received or transferred since, so \(number(expected)) expected on \(d1); the count shows \(number(on)). "
                    + "\(number(missing)) units unexplained × unit cost \(money(cost)) = \(money(missing * cost)).", nil)
        }
    }
}
