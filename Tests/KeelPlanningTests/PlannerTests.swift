import Foundation
import GRDB
import KeelCore
import KeelEngine
@testable import KeelPlanning
import KeelPolicy
@testable import KeelStore
import KeelTestSupport
import Testing

/// Negative-binomial pmf by moments, written here independently of KeelPolicy.
func negativeBinomialPMF(mean: Double, variance: Double, upTo n: Int) -> [Double] {
    let r = mean * mean / (variance - mean), q = mean / (r + mean)
    let base: Double = r * log(1 - q) - lgamma(r)
    return (0...n).map { (k: Int) -> Double in
        let x = Double(k)
        let logP: Double = lgamma(x + r) - lgamma(x + 1) + x * log(q) + base
        return exp(logP)
    }
}

/// The smallest s with 1 − [G(s) − G(s + Q)]/Q ≥ target, by enumeration.
func smallestReorderPoint(_ pmf: [Double], q: Double, target: Double) -> Int {
    for s in 0..<pmf.count {
        let gap: Double = shortage(pmf, above: Double(s)) - shortage(pmf, above: Double(s) + q)
        if 1 - gap / q >= target { return s }
    }
    return pmf.count
}

@Suite struct ReplenishmentPlannerTests {
    /// A forecast run over the tiny retailer: S1/A (store channel) 2 units a day, Poisson-like
    /// (quantiles no wider than the mean allows), 28 days after 2026-03-05.
    func writeForecast(_ db: KeelDatabase, rows spec: [(String, String, String, Double)]) throws {
        let keys = try db.pool.read { d in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(d, sql: "SELECT location_id, location_key FROM locations").map { ($0[0] as String, $0[1] as Int64) })
        }
        let items = try db.pool.read { d in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(d, sql: "SELECT sku, item_key FROM items").map { ($0[0] as String, $0[1] as Int64) })
        }
        let asOf = Day("2026-03-05")!
        var rows: [ForecastRow] = []
        for (channel, location, sku, mean) in spec {
            for t in 1...28 {
                rows.append(ForecastRow(channel: Channel(rawValue: channel)!, locationKey: keys[location]!, itemKey: items[sku]!, uniqueId: nil,
                                        day: asOf.adding(t), yhat: mean, quantiles: [mean, mean], model: "test"))
            }
        }
        _ = try db.writeForecastRun(startedAt: RunLog.now(), asOf: asOf, parameters: "{}", timings: "{}", notes: nil, levels: [0.5, 0.9], rows: rows)
    }

    @Test func storeAndDCLinesFollowThePolicyMathematics() throws {
        let t = try TinyRetailer.importedDatabase()
        try writeForecast(t.database, rows: [("store", "S1", "A", 6)])
        // DC1 holds 60 of A (the tiny retailer has none there).
        try t.database.pool.write { d in
            try d.execute(sql: """
                INSERT INTO inventory_positions(location_key, item_key, on_hand, in_transit, reserved, damaged, as_of)
                SELECT l.location_key, i.item_key, 60, 0, 0, 0, 20517 FROM locations l, items i WHERE l.location_id = 'DC1' AND i.sku = 'A'
                """)
        }
        let summary = try PlanJob.run(t.database, configuration: .defaults)
        let lines = try t.database.pool.read { d in
            try Row.fetchAll(d, sql: """
                SELECT l.location_id, s.supplier_id, r.order_qty, r.reorder_point, r.order_up_to, r.safety_stock, r.service_level_target,
                       r.projected_fill_rate, r.reason, r.order_day, r.expected_arrival_day
                FROM replenishment_plans r JOIN locations l USING (location_key) LEFT JOIN suppliers s USING (supplier_key)
                WHERE r.run_id = ? ORDER BY l.location_id
                """, arguments: [summary.replenishmentRunId])
        }
        // Store S1, item A: lane DC1 → S1 1 day, review 2 → protection 3 days: Poisson(18). Class AX
        // (its location's only pair; weekly CV √42/42 = 0.15) → fill-rate target 0.98. EOQ with K = 5,
        // λ = 6, h = 4 × 0.25 / 365: √(2·5·6·365) = √21900 = 148.0 → Q = 148.
        let pmf = poissonPMF(18, upTo: 300)
        let s = smallestReorderPoint(pmf, q: 148, target: 0.98)
        let store = try #require(lines.first { ($0[0] as String) == "S1" })
        #expect((store[3] as Double) == Double(s))
        #expect((store[4] as Double) == Double(s) + 148)
        #expect((store[6] as Double) == 0.98)
        // Position: snapshot 4 on 03-04 + the restocked return on 03-05 = 5, nothing inbound; s > 5,
        // so it asks for S − 5 — more than DC1's 60, so the line is rationed to 60.
        #expect(s > 5)
        #expect(Double(s) + 148 - 5 > 60)
        #expect((store[2] as Double) == 60)
        #expect((store[8] as String).contains("DC1 holds 60 of the \(s + 148 - 5) its stores asked for: rationed to 60"))
        #expect((store[1] as String?) == nil)
        #expect((store[8] as String).contains("from DC1"))
        #expect(Day(rawValue: Int32(store[9] as Int64)) == Day("2026-03-05")!)
        #expect(Day(rawValue: Int32(store[10] as Int64)) == Day("2026-03-06")!)
        // DC1, item A, supplier SUP1: one receipt (< 5) → master lead time 7 ± 1.5; protection
        // ⌈7 + 1⌉ + 7 = 15 days of the echelon's 6 a day: mean 90, variance 90 + 6² × 1.5² = 171.
        // Echelon position = DC1's 60 + S1's 5 = 65.
        let dc = try #require(lines.first { ($0[0] as String) == "DC1" && ($0[1] as String?) == "SUP1" })
        let nb = negativeBinomialPMF(mean: 90, variance: 171, upTo: 600)
        // Q: K = 50 (A is SUP1's only line at DC1) → √(2·50·6·365/1) = √219000 = 468.0 → 468 in cases of 6.
        let q = 468.0
        let dcS = smallestReorderPoint(nb, q: q, target: 0.98)
        let storeSafety = max(0, Double(s) - 18)
        #expect(abs((dc[3] as Double) - (Double(dcS) + storeSafety)) < 1e-9)
        #expect(abs((dc[4] as Double) - (Double(dcS) + storeSafety + q)) < 1e-9)
        #expect(Double(dcS) + storeSafety >= 65)
        let expectedOrder = ((Double(dcS) + storeSafety + q - 65) / 6).rounded(.up) * 6
        #expect((dc[2] as Double) == expectedOrder)
        #expect((dc[8] as String).contains("supplier master"))
        // Projected fill rate after the order: 1 − E[(D − y)⁺]/90 with y = 65 + order.
        #expect(abs((dc[7] as Double) - (1 - shortage(nb, above: 65 + expectedOrder) / 90)) < 1e-6)
        // The export writes the contract columns.
        let out = t.file("replenishment.csv")
        _ = try t.database.export(.replenishment, to: out)
        let header = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")[0]
        #expect(header == "run_id,location_id,sku,supplier_id,order_qty,order_date,expected_arrival,reorder_point,order_up_to,safety_stock,service_level_target,projected_fill_rate,reason")
    }

    /// The tiny retailer with S1/A forecast at 0.05 a day, S1 out of A and DC1 holding 60 of it.
    func slowMoverAtS1() throws -> ImportedTinyRetailer {
        let t = try TinyRetailer.importedDatabase()
        try writeForecast(t.database, rows: [("store", "S1", "A", 0.05)])
        try t.database.pool.write { d in
            try d.execute(sql: """
                UPDATE inventory_positions SET on_hand = 0, reserved = 0
                WHERE location_key = (SELECT location_key FROM locations WHERE location_id = 'S1')
                  AND item_key = (SELECT item_key FROM items WHERE sku = 'A');
                INSERT INTO inventory_positions(location_key, item_key, on_hand, in_transit, reserved, damaged, as_of)
                SELECT l.location_key, i.item_key, 60, 0, 0, 0, 20517 FROM locations l, items i WHERE l.location_id = 'DC1' AND i.sku = 'A';
                """)
        }
        return t
    }

    /// A slow mover at a store is planned with the exact lost-sales chain. S1/A sells 0.05 a day
    /// (Poisson), lane 1 day, review 2; with no store order cost Q = 1. Class AZ (its location's only
    /// pair; weekly CV √0.35/0.35 = 1.69) → target 0.95. With (s, S) = (0, 1) every cycle starts
    /// with one unit on day 1, so fill = (1 − e^{−0.1})/0.1 = 0.95163 ≥ 0.95 → s = 0. The backorder
    /// expression over L + R = 3 days gives 1 − (1 − e^{−0.15}) = 0.8607 and would have asked s = 1.
    @Test func slowStoreMoverUsesTheExactLostSalesChain() throws {
        let t = try slowMoverAtS1()
        var configuration = PlanningConfiguration.defaults
        configuration.storeOrderCost = 0
        let summary = try PlanJob.run(t.database, configuration: configuration)
        let store = try #require(try t.database.pool.read { d in
            try Row.fetchOne(d, sql: """
                SELECT r.order_qty, r.reorder_point, r.order_up_to, r.service_level_target, r.reason
                FROM replenishment_plans r JOIN locations l USING (location_key)
                WHERE r.run_id = ? AND l.location_id = 'S1'
                """, arguments: [summary.replenishmentRunId])
        })
        #expect((store[3] as Double) == 0.95)
        #expect((store[1] as Double) == 0)
        #expect((store[2] as Double) == 1)
        #expect((store[0] as Double) == 1)
        let fill = (1 - exp(-0.1)) / 0.1
        #expect(abs(fill - 0.951626) < 1e-6)
        #expect((store[4] as String).contains("fill rate 95.2% by the exact lost-sales chain"))
    }

    /// Stretching: S1/A at 0.05 a day, Q = 1, target AZ lowered to 0.85. With (0, 1) every cycle
    /// of R days starts with one unit, which sells with probability 1 − e^{−Rλ} against demand Rλ:
    /// fill(R) = (1 − e^{−0.05R})/(0.05R) = 0.9516 (R 2), 0.9063 (4), 0.8639 (6), 0.8242 (8). The
    /// longest multiple of 2 up to 14 (set for the test; default 4) meeting 0.85 is 6 days.
    @Test func slowStoreMoverIsReviewedLessOftenWhenItsOrderOverServes() throws {
        for (r, f) in [(2, 0.9516), (4, 0.9063), (6, 0.8639), (8, 0.8242)] {
            #expect(abs((1 - exp(-0.05 * Double(r))) / (0.05 * Double(r)) - f) < 5e-5)
        }
        let t = try slowMoverAtS1()
        var configuration = PlanningConfiguration.defaults
        configuration.storeOrderCost = 0
        configuration.fillRateTargets["AZ"] = 0.85
        configuration.storeMaxReviewPeriodDays = 14
        let summary = try PlanJob.run(t.database, configuration: configuration)
        let (pair, store) = try t.database.pool.read { d in
            let keys = try Row.fetchOne(d, sql: """
                SELECT l.location_key, i.item_key FROM locations l, items i WHERE l.location_id = 'S1' AND i.sku = 'A'
                """)!
            let line = try Row.fetchOne(d, sql: """
                SELECT r.reorder_point, r.order_up_to, r.reason FROM replenishment_plans r JOIN locations l USING (location_key)
                WHERE r.run_id = ? AND l.location_id = 'S1'
                """, arguments: [summary.replenishmentRunId])
            return (PairKey(keys[0] as Int64, keys[1] as Int64), line)
        }
        let asOf = Day("2026-03-05")!
        // The pair's policy, as the planner chose it.
        let forecast = try t.database.loadForecastRun(nil)
        let plan = try ReplenishmentPlanner(data: t.database.loadPlanningData(asOf: forecast.asOf), demand: PairDemand(forecast),
                                            configuration: configuration).plan()
        let policy = try #require(plan.policies.first { $0.pair == pair })
        #expect(policy.reviewDays == 6)
        #expect(policy.policy.reorderPoint == 0 && policy.policy.orderUpTo == 1)
        #expect(abs(policy.policy.fillRate - (1 - exp(-0.3)) / 0.3) < 1e-9)
        // Exactly one day in six is a review day for the pair.
        #expect((0..<6).filter { ReplenishmentPlanner.isReviewDay(asOf.adding($0), pair: pair, every: 6) }.count == 1)
        if ReplenishmentPlanner.isReviewDay(asOf, pair: pair, every: 6) {
            let line = try #require(store)
            #expect((line[0] as Double) == 0)
            #expect((line[1] as Double) == 1)
            #expect((line[2] as String).contains("review 6 d (stretched from 2 d"))
            #expect((line[2] as String).contains("fill rate 86.4% by the exact lost-sales chain"))
        } else {
            #expect(store == nil)
        }
    }

    @Test func minimumOrderValuePullsItemsForwardAndRaisesCases() throws {
        let t = try TinyRetailer.importedDatabase()
        try t.database.pool.write { try $0.execute(sql: "UPDATE suppliers SET min_order_value = 5000 WHERE supplier_id = 'SUP1'") }
        // A sells 2 a day at S1 (orders); C sells 0.05 a day at S2, whose echelon holds 8 (2 + 6 inbound): above its reorder point.
        try writeForecast(t.database, rows: [("store", "S1", "A", 2), ("store", "S2", "C", 0.05)])
        let summary = try PlanJob.run(t.database, configuration: .defaults)
        let rows = try t.database.pool.read { d in
            try Row.fetchAll(d, sql: """
                SELECT i.sku, r.order_qty, i.unit_cost, r.reason FROM replenishment_plans r JOIN items i USING (item_key)
                JOIN suppliers s USING (supplier_key) WHERE r.run_id = ? AND s.supplier_id = 'SUP1'
                """, arguments: [summary.replenishmentRunId])
        }
        let value = rows.reduce(0.0) { $0 + ($1[1] as Double) * ($1[2] as Double) }
        #expect(value >= 5000)
        #expect(rows.contains { ($0[0] as String) == "C" && ($0[3] as String).contains("pulled forward") })
        #expect(rows.contains { ($0[0] as String) == "A" && ($0[3] as String).contains("raised by whole cases") })
        // Raising stopped within one case of the minimum.
        #expect(value - 5000 < 6 * 4 + 1e-9)
    }

    @Test func badInputIsRefusedAndNothingIsWritten() throws {
        let t = try TinyRetailer.importedDatabase()
        try writeForecast(t.database, rows: [("store", "S1", "A", 2)])
        try t.database.pool.write { try $0.execute(sql: "UPDATE suppliers SET lead_time_days = 0 WHERE supplier_id = 'SUP2'") }
        #expect { try PlanJob.run(t.database, configuration: .defaults) } throws: { e in
            (e as? PlanningError)?.message.contains("supplier SUP2 has lead time 0") == true
        }
        var bad = PlanningConfiguration.defaults
        bad.fillRateTargets["AX"] = 0
        try t.database.pool.write { try $0.execute(sql: "UPDATE suppliers SET lead_time_days = 14 WHERE supplier_id = 'SUP2'") }
        #expect { try PlanJob.run(t.database, configuration: bad) } throws: { e in
            (e as? PlanningError)?.message.contains("strictly between 0 and 1") == true
        }
        let counts = try t.database.pool.read { d in
            try (Int.fetchOne(d, sql: "SELECT COUNT(*) FROM replenishment_plans")!, Int.fetchOne(d, sql: "SELECT COUNT(*) FROM transfer_plans")!,
                 Int.fetchOne(d, sql: "SELECT COUNT(*) FROM runs WHERE kind IN ('replenishment','transfers') AND status = 'failed'")!)
        }
        #expect(counts.0 == 0 && counts.1 == 0)
        #expect(counts.2 == 4)
        // No forecast run at all: a clear error.
        let fresh = try TinyRetailer.importedDatabase()
        #expect { try PlanJob.run(fresh.database, configuration: .defaults) } throws: { e in
            "\(e)".contains("no successful forecast run")
        }
    }
}

@Suite struct TransferPlannerTests {
    func network(sinkOrderUpTo: Double, minimumTransfer: Double = 2) throws -> TransferPlanner.Result {
        let asOf = Day("2026-03-05")!
        let data = PlanningData(
            asOf: asOf,
            items: [.init(key: 1, sku: "X", category: "c", department: "d", unitCost: 4, unitPrice: 10, casePack: 1, minOrderQty: 0, supplierKey: nil, shelfLifeDays: nil)],
            suppliers: [],
            locations: [.init(key: 1, id: "L1", type: .store, region: nil), .init(key: 2, id: "L2", type: .store, region: nil)],
            lanes: [.init(from: 1, to: 2, costPerUnit: 0.5, costPerShipment: 1, transitDays: 1)],
            positions: [.init(locationKey: 1, itemKey: 1, onHand: 30, reserved: 0, damaged: 0, inbound: []),
                        .init(locationKey: 2, itemKey: 1, onHand: 0, reserved: 0, damaged: 0, inbound: [])],
            leadTimes: [], supplyingDC: [:])
        var demand = PairDemand(asOf: asOf, horizon: 28)
        demand.add(PairKey(1, 1), mean: [Double](repeating: 0, count: 28), variance: [Double](repeating: 0, count: 28))
        demand.add(PairKey(2, 1), mean: [Double](repeating: 1, count: 28), variance: [Double](repeating: 1, count: 28))
        func policy(_ loc: Int64, s: Double, S: Double, position: Double) -> PairPolicy {
            PairPolicy(pair: PairKey(loc, 1), serviceClass: "AX", target: 0.98, supplierKey: nil, sourceLocationKey: 99, leadTimeMean: 1,
                       leadTimeSD: 0, leadTimeSource: "lane", reviewDays: 2, casePack: 1, minOrderQty: 0, unitCost: 4, unitPrice: 10, dailyMean: 1,
                       policy: ReorderPolicy(reorderPoint: s, orderUpTo: S, safetyStock: 0, orderQuantity: S - s, protectionMean: 0,
                                             protectionVariance: 0, fillRate: 1),
                       position: position)
        }
        var config = PlanningConfiguration.defaults
        config.minimumTransferQty = minimumTransfer
        return try TransferPlanner(data: data, demand: demand,
                                   policies: [policy(1, s: 0, S: 5, position: 30), policy(2, s: 3, S: sinkOrderUpTo, position: 0)],
                                   configuration: config, replenishment: [:]).plan()
    }

    @Test func overstockMovesToTheStoreThatWillSellIt() throws {
        // L1 holds 30 it will not sell (demand 0): each unit left there is marked down, −0.3 × 10 = −3.
        // L2 expects Poisson(42) over the 42-day window: its first 10 units sell almost surely,
        // worth the margin 6 each. Moving a unit gains 6 + 3 − 0.5 = 8.5; L2 needs 10 to reach S = 10.
        let r = try network(sinkOrderUpTo: 10)
        #expect(r.rows.count == 1)
        let row = try #require(r.rows.first)
        #expect(row.fromLocationKey == 1 && row.toLocationKey == 2 && row.qty == 10)
        #expect(row.expectedArrival == Day("2026-03-06")!)
        #expect(abs(row.expectedBenefit - (10 * 8.5 - 1)) < 0.01)
    }

    @Test func smallMovesAreDroppedAndTheSourceKeepsItsProtectedNeed() throws {
        // L2 needs one unit; the minimum transfer is 2 → nothing moves.
        #expect(try network(sinkOrderUpTo: 1).rows.isEmpty)
        // A sink wanting 100: L1 gives at most 30 − s = 30 (its reorder point is 0), here all 30.
        let r = try network(sinkOrderUpTo: 100)
        #expect(r.rows.reduce(0) { $0 + $1.qty } <= 30)
    }
}
