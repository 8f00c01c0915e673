import Foundation
import GRDB
import KeelCore
import KeelStore
import KeelTestSupport
import Testing
@testable import KeelKPI

/// Every KPI on the tiny retailer against arithmetic done by hand from the CSV texts in
/// `TinyRetailer.swift` (money to 1e-9 relative; counts exact).
@Suite struct KPIReportTests {
    func close(_ a: Double?, _ b: Double) -> Bool { a.map { isClose($0, b, relative: 1e-9) } ?? false }

    @Test func tinyRetailerBaseline() throws {
        let tiny = try TinyRetailer.importedDatabase()
        let r = try KPIReport.compute(tiny.database)
        // Latest transaction day: T5 (2026-03-05T23:30Z) and R1 (03-05) → 03-05; 28 days back to 02-06.
        #expect(r.asOf == Day("2026-03-05")! && r.windowStart == Day("2026-02-06")! && r.windowDays == 28)

        // Orders (all created 03-05): O9/1 (1 unit), O9/2 (2), O10/1 (1); status open / empty (= open) / open.
        // Cancelled lines 0/3, units 0/4, orders 0/2.
        let o = try #require(r.orders.value)
        #expect(o.cancelledLines == Ratio(0, of: 3) && o.cancelledUnits == Ratio(0, of: 4) && o.cancelledOrders == Ratio(0, of: 2))

        // No sourcing, forecast or anomaly run yet: null with the reason, never 0.
        #expect(r.sourcingFill.value == nil && r.sourcingFill.reason?.contains("no successful sourcing run") == true)
        #expect(r.fulfilmentCost.value == nil && r.fulfilmentCost.reason?.contains("no successful sourcing run") == true)
        #expect(r.forecastAccuracy.value == nil && r.forecastAccuracy.reason == "no successful forecast run yet")
        #expect(r.openAnomalies.value == nil && r.openAnomalies.reason == "no anomaly detection run yet")

        // Inventory: S1/A snapshots 03-01 (5), 03-03 (0), 03-04 (4); DC1/B and S2/C have one snapshot each (nothing to check).
        //   03-03: 5 − sales 03-02 (T1 2 + T2 1) = 2, observed 0 → mismatch, |0 − 2| = 2;
        //   03-04: 0 + TR1 received 03-04 (12) − T4 (1) = 11, observed 4 → mismatch, |4 − 11| = 7.
        // No snapshot has reserved + damaged > on_hand (DC1/B 5 + 2 ≤ 100; S2/C 1 ≤ 3).
        // Snapshots in the window 5, checked 2, mismatches 2, impossible 0 → inaccurate 2, rate 2/5 = 0.4, accuracy 0.6, Σ|difference| = 9.
        let inv = try #require(r.inventoryAccuracy.value)
        #expect(inv.snapshots == 5 && inv.snapshotsChecked == 2 && inv.mismatches == 2 && inv.impossiblePositions == 0 && inv.inaccurate == 2)
        #expect(close(inv.mismatchRate, 0.4) && close(inv.accuracy, 0.6))
        #expect(close(inv.absoluteUnitDifference, 9))

        // Returns: store sold T1 2 (2×10 − 1 = 19) + T2 1 (10) + T4 1 (8) = 4 units, 37; web sold T3 2 (18) + T5 1 (9) + 1 (15) = 4, 42.
        // R1: store, 1 unit, refund 9.5, 03-05 − T1's 03-02 = 3 days.
        let ret = try #require(r.returns.value)
        #expect(ret.byChannel.map(\.channel) == ["store", "web"] && ret.unlinkedReturns == 0)
        let store = ret.byChannel[0], web = ret.byChannel[1]
        #expect(store.units == Ratio(1, of: 4) && close(store.value.part, 9.5) && close(store.value.whole, 37))
        #expect(close(store.value.share, 9.5 / 37))
        #expect(store.linkedReturns == 1 && store.medianCycleDays == 3 && store.meanCycleDays == 3)
        #expect(web.units == Ratio(0, of: 4) && close(web.value.whole, 42) && web.value.share == 0 && web.medianCycleDays == nil)
        #expect(ret.total.units == Ratio(1, of: 8) && close(ret.total.value.share, 9.5 / 79) && ret.total.medianCycleDays == 3)

        // Gross margin (unit costs A 4, B 3, C 5):
        //   store: net 37, cost 4×4 = 16, margin 21; web: net 42, cost 2×3 + 1×3 + 1×5 = 14, margin 28.
        //   paths: in_store = the store channel (37/16/21); dc = T3 + T5/1 from DC1 (18 + 9 = 27, cost 9, margin 18);
        //   ship_from_store = T5/2 from store S2, order O2 not a pickup order (15, cost 5, margin 10).
        //   total 79 − 30 = 49.
        let m = try #require(r.grossMargin.value)
        func line(_ l: MarginLine, _ key: String, _ units: Double, _ net: Double, _ cost: Double) -> Bool {
            l.key == key && l.units == units && close(l.netRevenue, net) && close(l.cost, cost) && close(l.grossMargin, net - cost)
                && close(l.marginRate, (net - cost) / net)
        }
        #expect(m.byChannel.count == 2 && line(m.byChannel[0], "store", 4, 37, 16) && line(m.byChannel[1], "web", 4, 42, 14))
        #expect(m.byPath.count == 3 && line(m.byPath[0], "dc", 3, 27, 9) && line(m.byPath[1], "in_store", 4, 37, 16)
                && line(m.byPath[2], "ship_from_store", 1, 15, 5))
        #expect(line(m.total, "total", 8, 79, 30))
    }

    @Test func inventoryReconciliationCountsEveryMovement() throws {
        let tiny = try TinyRetailer.importedDatabase()
        try tiny.database.pool.write { d in
            let k = try KPIFixture.keys(d)
            func snapshot(_ loc: Int64, _ item: Int64, _ day: String, _ onHand: Double) throws {
                try d.execute(sql: "INSERT INTO inventory_snapshots(location_key, item_key, as_of, on_hand) VALUES (?, ?, ?, ?)",
                              arguments: [loc, item, KPIFixture.day(day), onHand])
            }
            try snapshot(k.s1, k.a, "2026-03-05", 5)
            try snapshot(k.dc, k.a, "2026-02-08", 10)
            try snapshot(k.dc, k.a, "2026-03-02", 128)
            try snapshot(k.dc, k.a, "2026-03-05", 116)
            try snapshot(k.dc, k.b, "2026-03-01", 100)
            // An impossible position: reserved 1 + damaged 1 > on_hand 1.
            try d.execute(sql: "INSERT INTO inventory_snapshots(location_key, item_key, as_of, on_hand, reserved, damaged) VALUES (?, ?, ?, 1, 1, 1)",
                          arguments: [k.s2, k.c, KPIFixture.day("2026-03-04")])
            // A damaged return does not re-enter on_hand.
            try d.execute(sql: """
                INSERT INTO returns(return_id, ts, day, item_key, qty, refund_amount, channel, location_key, disposition)
                VALUES ('R2', 0, ?, ?, 1, 9, 'store', ?, 'damaged')
                """, arguments: [KPIFixture.day("2026-03-05"), k.a, k.s1])
        }
        // Checked (as_of in 02-06…03-05 with an earlier snapshot):
        //   S1/A 03-03: 5 − 3 = 2 vs 0 → |2|;  03-04: 0 + 12 − 1 = 11 vs 4 → |7|;
        //   S1/A 03-05: 4 + R1 restock 1 (R2 damaged: not counted) = 5 vs 5 → match;
        //   DC1/A 03-02: 10 + PO1 received 02-09 118 = 128 vs 128 → match; 03-05: 128 − TR1 shipped 03-03 12 = 116 vs 116 → match;
        //   DC1/B 03-05: 100 − T3 2 (03-02) − T5 1 (03-05) = 97 vs 100 → |3|.
        //   S2/C 03-05: 1 (the 03-04 snapshot) − T5/2 1 (TR2 not yet received) = 0 vs 3 → |3|.
        //   S2/C 03-04 is impossible (1 + 1 > 1) and has no earlier snapshot; DC1/A 02-08 has none either.
        // Snapshots 11, checked 7, mismatches 4, impossible 1, inaccurate 5 → rate 5/11; Σ|difference| = 2 + 7 + 3 + 3 = 15.
        let inv = try #require(try KPIReport.compute(tiny.database).inventoryAccuracy.value)
        #expect(inv.snapshots == 11 && inv.snapshotsChecked == 7 && inv.mismatches == 4 && inv.impossiblePositions == 1 && inv.inaccurate == 5)
        #expect(close(inv.mismatchRate, 5.0 / 11) && close(inv.accuracy, 6.0 / 11) && close(inv.absoluteUnitDifference, 15))
    }

    @Test func inStockFromStockoutCensoring() throws {
        let tiny = try TinyRetailer.importedDatabase()
        // Series (from their first sale to 03-05): store/S1/A 03-02…03-05 (4 days; 03-03 is the stockout day: snapshot on_hand 0),
        // web/DC1/B 03-02…03-05 (4 days; its only snapshot, 03-05, has 100 − 5 − 2 = 93 available), web/S2/C 03-05 (1 day; 3 − 1 = 2).
        // store 1 of 4 out → 0.75; web 0 of 5 → 1; total 1 of 9 → 8/9.
        let s = try #require(try KPIReport.compute(tiny.database).inStock.value)
        #expect(s.byChannel == [InStockLine(key: "store", seriesDays: 4, stockoutDays: 1, inStockRate: 0.75),
                                InStockLine(key: "web", seriesDays: 5, stockoutDays: 0, inStockRate: 1)])
        #expect(s.total.seriesDays == 9 && s.total.stockoutDays == 1 && close(s.total.inStockRate, 8.0 / 9))
        // As of 03-03: A 03-02, 03-03 (1 out), B 03-02, 03-03; C has not sold yet → 1 of 4 out.
        let early = try #require(try KPIReport.compute(tiny.database, asOf: Day("2026-03-03")!, windowDays: 7).inStock.value)
        #expect(early.total == InStockLine(key: "total", seriesDays: 4, stockoutDays: 1, inStockRate: 0.75))
        // A window wholly before the first sale has no series-days.
        #expect(try KPIReport.compute(tiny.database, asOf: Day("2026-03-01")!).inStock.reason?.contains("no demand series covers") == true)
    }

    @Test func asOfMovesTheWindow() throws {
        let tiny = try TinyRetailer.importedDatabase()
        let r = try KPIReport.compute(tiny.database, asOf: Day("2026-03-03")!, windowDays: 7)
        #expect(r.windowStart == Day("2026-02-25")!)
        // Orders were all created 03-05, after the window.
        #expect(r.orders.value == nil && r.orders.reason?.contains("no orders created in the window") == true)
        // Only the 03-03 snapshot of S1/A is checked: expected 2, observed 0.
        let inv = try #require(r.inventoryAccuracy.value)
        #expect(inv.snapshots == 2 && inv.snapshotsChecked == 1 && inv.mismatches == 1 && inv.mismatchRate == 0.5 && close(inv.absoluteUnitDifference, 2))
        // Sales through 03-03: store T1 + T2 = 3 units, 29 net, cost 12; web T3 = 2 units, 18, cost 6. R1 (03-05) is outside.
        let m = try #require(r.grossMargin.value)
        #expect(m.byChannel.map(\.key) == ["store", "web"] && close(m.byChannel[0].netRevenue, 29) && close(m.byChannel[0].cost, 12)
                && close(m.byChannel[1].netRevenue, 18) && close(m.byChannel[1].cost, 6))
        let ret = try #require(r.returns.value)
        #expect(ret.total.units == Ratio(0, of: 5) && ret.total.linkedReturns == 0 && ret.total.medianCycleDays == nil)
        // Before any sale the window has nothing to measure.
        let early = try KPIReport.compute(tiny.database, asOf: Day("2026-01-01")!)
        #expect(early.grossMargin.reason?.contains("no sales in the window") == true && early.returns.value == nil)
        #expect(early.inventoryAccuracy.value == nil)
    }

    @Test func cancelledOrders() throws {
        let tiny = try TinyRetailer.importedDatabase()
        try tiny.database.pool.write { d in
            let k = try KPIFixture.keys(d)
            let z1 = try Int64.fetchOne(d, sql: "SELECT zone_key FROM zones WHERE zone = 'Z1'")!
            try d.execute(sql: """
                INSERT INTO orders(order_id, line, created_ts, created_day, channel, item_key, qty, zone_key, service, status)
                VALUES ('O11', 1, 0, ?, 'web', ?, 3, ?, 'standard', 'cancelled')
                """, arguments: [KPIFixture.day("2026-03-04"), k.a, z1])
        }
        // Lines 3 + O11/1 = 4, one cancelled; units 4 + 3 = 7, 3 cancelled; orders O9, O10, O11, one with a cancelled line.
        let o = try #require(try KPIReport.compute(tiny.database).orders.value)
        #expect(o.cancelledLines == Ratio(1, of: 4) && o.cancelledUnits == Ratio(3, of: 7) && o.cancelledOrders == Ratio(1, of: 3))
        #expect(close(o.cancelledOrders.share, 1.0 / 3))
    }

    @Test func sourcingFillAndFulfilmentCost() throws {
        let tiny = try TinyRetailer.importedDatabase()
        let run = try KPIFixture.sourcingRuns(tiny.database)
        let r = try KPIReport.compute(tiny.database)
        // Latest successful run: units 1 + 1 + 1 + 1 = 4, sourced 3 → 3/4; lines O9/1 (full), O9/2 (1 of 2), O10/1 (full) → 2/3;
        // orders: O10 full, O9 not → 1/2; unfulfillable lines 1/3, units 1/4.
        let f = try #require(r.sourcingFill.value)
        #expect(f.runId == run && f.unitFillRate == Ratio(3, of: 4) && f.lineFillRate == Ratio(2, of: 3) && f.orderFillRate == Ratio(1, of: 2))
        #expect(f.unfulfillableLines == Ratio(1, of: 3) && f.unfulfillableUnits == Ratio(1, of: 4))
        // Cost per order: dc = O9 (5.66 + 0.5) / 1 = 6.16; pickup = O10 (0 + 1.2) / 1 = 1.2 (O10 is a pickup order at store S1);
        // ship_from_store = O9 (7 + 1.2) / 1 = 8.2; total = (12.66 + 2.9) / 2 orders = 7.78. The unsourced row has no cost.
        let c = try #require(r.fulfilmentCost.value)
        #expect(c.runId == run && c.byPath.map(\.path) == ["dc", "pickup", "ship_from_store"])
        #expect(c.byPath.map(\.orders) == [1, 1, 1] && c.byPath.map(\.units) == [1, 1, 1])
        #expect(close(c.byPath[0].costPerOrder, 6.16) && close(c.byPath[1].costPerOrder, 1.2) && close(c.byPath[2].costPerOrder, 8.2))
        #expect(c.total.orders == 2 && c.total.units == 3 && close(c.total.shipCost, 12.66) && close(c.total.handlingCost, 2.9))
        #expect(close(c.total.costPerOrder, 7.78))
    }

    @Test func forecastAccuracyOnTheLastCompletedHorizon() throws {
        let tiny = try TinyRetailer.importedDatabase()
        let run = try KPIFixture.forecastRuns(tiny.database)
        let a = try #require(try KPIReport.compute(tiny.database).forecastAccuracy.value)
        // Actuals: S1/A 03-02 3, 03-03 0 (stockout), 03-04 1, 03-05 0; DC1/B 03-02 2, 03-03 0, 03-04 0, 03-05 1.
        // Scored (f, a): A 03-04 (2, 1), A 03-05 (1, 0), B 03-04 (1, 0), B 03-05 (1, 1); A 03-03 censored; "total" unmatched.
        // Σ|e| = 1 + 1 + 1 + 0 = 3, Σa = 2, Σf = 5 → WAPE 1.5, bias 1.5, MAE 0.75.
        // Naive pairs up to 03-05, no stockout day: A (03-04→03-05) |0 − 1| = 1; B |0−2| + |0−0| + |1−0| = 3 → 4 / 4 = 1 → scaled 0.75.
        #expect(a.runId == run && a.firstDay == Day("2026-03-03")! && a.lastDay == Day("2026-03-05")!)
        #expect(a.points == 4 && a.censoredPoints == 1 && a.unmatchedRows == 1 && a.naivePairs == 4)
        #expect(close(a.actualUnits, 2) && close(a.forecastUnits, 5) && close(a.wape, 1.5) && close(a.bias, 1.5) && close(a.mae, 0.75))
        #expect(close(a.naiveMAE, 1) && close(a.scaledError, 0.75))
        // As of 03-04 no run's horizon is complete.
        let early = try KPIReport.compute(tiny.database, asOf: Day("2026-03-04")!)
        #expect(early.forecastAccuracy.value == nil && early.forecastAccuracy.reason?.contains("no forecast run has a completed horizon") == true)
    }

    @Test func openAnomaliesAndMoneyAtRisk() throws {
        let tiny = try TinyRetailer.importedDatabase()
        // A detection run that found nothing is a true zero.
        try tiny.database.pool.write { d in _ = try KPIFixture.run(d, "anomalies") }
        let none = try #require(try KPIReport.compute(tiny.database).openAnomalies.value)
        #expect(none.count == 0 && none.amountAtRisk == 0 && none.byKind.isEmpty)

        try KPIFixture.anomalies(tiny.database)
        // Open on or before 03-05: refund_without_sale 50 (high) + 20 (medium), inventory_mismatch 7 (low, undated) → 3, 77.
        let a = try #require(try KPIReport.compute(tiny.database).openAnomalies.value)
        #expect(a.count == 3 && close(a.amountAtRisk, 77))
        #expect(a.byKind == [AnomalyGroup(key: "inventory_mismatch", count: 1, amountAtRisk: 7),
                             AnomalyGroup(key: "refund_without_sale", count: 2, amountAtRisk: 70)])
        #expect(a.bySeverity == [AnomalyGroup(key: "high", count: 1, amountAtRisk: 50), AnomalyGroup(key: "low", count: 1, amountAtRisk: 7),
                                 AnomalyGroup(key: "medium", count: 1, amountAtRisk: 20)])
        #expect(a.byKindAndSeverity.count == 3)
        // As of 03-06 the open price conflict (40, high) counts too.
        let later = try #require(try KPIReport.compute(tiny.database, asOf: Day("2026-03-06")!).openAnomalies.value)
        #expect(later.count == 4 && close(later.amountAtRisk, 117))
    }

    @Test func jsonAndTextShowReasons() throws {
        let tiny = try TinyRetailer.importedDatabase()
        let r = try KPIReport.compute(tiny.database)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.jsonText().utf8)) as? [String: Any])
        #expect(object["asOf"] as? String == "2026-03-05")
        let sourcing = try #require(object["sourcingFill"] as? [String: Any])
        #expect(sourcing["value"] is NSNull && (sourcing["reason"] as? String)?.contains("no successful sourcing run") == true)
        let margin = try #require((object["grossMargin"] as? [String: Any])?["value"] as? [String: Any])
        #expect((margin["total"] as? [String: Any])?["netRevenue"] as? Double == 79)
        // An undefined figure is an explicit null: web has no linked return, so no cycle time.
        let returns = try #require((object["returns"] as? [String: Any])?["value"] as? [String: Any])
        let web = try #require((returns["byChannel"] as? [[String: Any]])?.last)
        #expect(web["channel"] as? String == "web" && web["medianCycleDays"] is NSNull && web["meanCycleDays"] is NSNull)
        #expect(((web["units"] as? [String: Any])?["share"] as? Double) == 0)
        let text = r.text()
        #expect(text.contains("n/a: no successful forecast run yet") && text.contains("ship_from_store") && text.contains("KPIs as of 2026-03-05"))
    }

    @Test func refusesWhatItCannotMeasure() throws {
        let dir = TemporaryDirectory()
        let empty = try KeelDatabase(path: dir.file("empty.sqlite"))
        #expect(throws: StoreError.self) { try KPIReport.compute(empty) }
        #expect(throws: StoreError.self) { try KPIReport.compute(empty, asOf: Day("2026-03-05")!, windowDays: 0) }
        // With an as-of, an empty database reports every KPI as unavailable with its reason.
        let r = try KPIReport.compute(empty, asOf: Day("2026-03-05")!)
        #expect(r.orders.reason != nil && r.inventoryAccuracy.reason != nil && r.returns.reason != nil && r.grossMargin.reason != nil
                && r.forecastAccuracy.reason != nil && r.openAnomalies.reason != nil && r.sourcingFill.reason != nil)
    }
}
