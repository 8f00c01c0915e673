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
        // 1. Negative available stock.
        let negative = try Row.fetchCursor(
            c.db,
            sql: """
                SELECT location_key, item_key, as_of, on_hand, reserved, damaged FROM inventory_snapshots
                WHERE on_hand - reserved - damaged < 0 AND as_of <= ?
                """, arguments: [c.day])
        while let r = try negative.next() {
            let l: Int64 = r[0], k: Int64 = r[1], day = Day(rawValue: Int32(r[2] as Int64))
            let on: Double = r[3], res: Double = r[4], dam: Double = r[5]
            let short = res + dam - on
            emit(
                l, k, day, short * c.itemCost[Int(k)], short,
                "\(c.itemSku[Int(k)]) at \(c.locationId[Int(l)]) on \(day): \(number(on)) on hand but \(number(res)) reserved and \(number(dam)) damaged, "
                    + "so available stock is \(number(on - res - dam)). Shortfall \(number(short)) × unit cost \(money(c.itemCost[Int(k)])) = \(money(short * c.itemCost[Int(k)]))."
            )
        }
        // 2. Sales while the last snapshot before the sale day shows nothing on hand and nothing came in since.
        // Restocked returns by pair (the returns table is indexed by day only).
        try c.db.execute(
            sql: """
                DROP TABLE IF EXISTS temp.anomaly_restocks;
                CREATE TEMP TABLE anomaly_restocks AS SELECT location_key, item_key, day FROM returns WHERE disposition = 'restock' AND day <= ?;
                CREATE INDEX temp.anomaly_restocks_by_pair ON anomaly_restocks(location_key, item_key, day);
                """, arguments: [c.day])
        defer { try? c.db.execute(sql: "DROP TABLE IF EXISTS temp.anomaly_restocks") }
        let phantom = try Row.fetchCursor(
            c.db,
            sql: """
                WITH l AS (
                  SELECT s.transaction_id, s.location_key, s.item_key, s.day, s.qty,
                         (SELECT v.as_of FROM inventory_snapshots v WHERE v.location_key = s.location_key AND v.item_key = s.item_key
                            AND v.as_of < s.day ORDER BY v.as_of DESC LIMIT 1) AS snap
                  FROM sales s WHERE s.day <= ?1),
                z AS MATERIALIZED (
                  SELECT l.* FROM l JOIN inventory_snapshots v
                    ON v.location_key = l.location_key AND v.item_key = l.item_key AND v.as_of = l.snap
                  WHERE v.on_hand <= 0)
                SELECT location_key, item_key, day, SUM(qty), MIN(transaction_id), MIN(snap) FROM z
                WHERE NOT EXISTS (SELECT 1 FROM purchase_orders p WHERE p.location_key = z.location_key AND p.item_key = z.item_key
                                    AND p.received_day > z.snap AND p.received_day <= z.day)
                  AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.to_location_key = z.location_key AND t.item_key = z.item_key
                                    AND t.received_day > z.snap AND t.received_day <= z.day)
                  AND NOT EXISTS (SELECT 1 FROM anomaly_restocks r WHERE r.location_key = z.location_key AND r.item_key = z.item_key
                                    AND r.day > z.snap AND r.day <= z.day)
                GROUP BY location_key, item_key, day
                """, arguments: [c.day])
        while let r = try phantom.next() {
            let l: Int64 = r[0], k: Int64 = r[1], day = Day(rawValue: Int32(r[2] as Int64)), q: Double = r[3]
            let snap = Day(rawValue: Int32(r[5] as Int64))
            let amount = q * c.itemCost[Int(k)]
            emit(
                l, k, day, amount, q,
                "\(number(q)) × \(c.itemSku[Int(k)]) sold at \(c.locationId[Int(l)]) on \(day) (e.g. \(r[4] as String)) while the stock count of \(snap) "
                    + "showed none on hand and no receipt, transfer or restocked return arrived since. Units × unit cost = \(money(amount)).",
                txn: r[4])
        }
        try unexplainedDrops(c, emit: emit)
    }

    /// Consecutive snapshots of each pair against the flows between them.
    static func unexplainedDrops(_ c: DetectionContext, emit: (Int64, Int64, Day, Double, Double, String, String?) -> Void) throws {
        let cfg = c.configuration.inventory
        // Flows per pair: (day, units in (+) or out (−)), sales excluded.
        var flows: [Pair: [(Int32, Double)]] = [:]
        let f = try Row.fetchCursor(
            c.db,
            sql: """
                SELECT location_key, item_key, day, SUM(q) FROM (
                  SELECT location_key, item_key, received_day AS day, IFNULL(received_qty, qty) AS q FROM purchase_orders WHERE received_day IS NOT NULL
                  UNION ALL SELECT to_location_key, item_key, received_day, qty FROM transfers WHERE received_day IS NOT NULL
                  UNION ALL SELECT from_location_key, item_key, shipped_day, -qty FROM transfers
                  UNION ALL SELECT location_key, item_key, day, qty FROM returns WHERE disposition = 'restock')
                WHERE day <= ? GROUP BY 1, 2, 3
                """, arguments: [c.day])
        while let r = try f.next() { flows[Pair(location: r[0], item: r[1]), default: []].append((Int32(r[2] as Int64), r[3])) }
        // Sales per pair from the packed history (all channels fulfilled by the location).
        let panel = try DemandPanel.load(c.db)
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
        let snaps = try Row.fetchCursor(
            c.db,
            sql: """
                SELECT location_key, item_key, as_of, on_hand FROM inventory_snapshots WHERE as_of <= ? ORDER BY location_key, item_key, as_of
                """, arguments: [c.day])
        var previous: (Pair, Int32, Double)? = nil
        while let r = try snaps.next() {
            let p = Pair(location: r[0], item: r[1]), day = Int32(r[2] as Int64), on: Double = r[3]
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
