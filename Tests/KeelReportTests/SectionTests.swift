import Foundation
import KeelCore
import KeelStore
@testable import KeelReport
import KeelTestSupport
import Testing

@Suite struct SectionTests {
    func section(_ builder: any ReportSectionBuilder, _ db: KeelDatabase, options: ReportOptions = ReportOptions()) throws -> ReportSection {
        try ReportBuilder.build(db, options: options, sections: [builder]).sections[0]
    }

    func tables(_ s: ReportSection) -> [ReportTable] { s.blocks.compactMap { if case .table(let t) = $0 { return t } else { return nil } } }
    func texts(_ s: ReportSection) -> String { s.blocks.compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined(separator: "\n") }
    func charts(_ s: ReportSection) -> [ReportChart] { s.blocks.compactMap { if case .chart(let c) = $0 { return c } else { return nil } } }

    @Test func emptyTablesSayNoRunYet() throws {
        let dir = try TinyRetailer.importedDatabase()
        // Rows of a failed run do not count as a run.
        try dir.database.pool.write { d in
            let failed = try ReportFixture.run(d, "replenishment", status: "failed")
            let k = try ReportFixture.keys(d)
            try d.execute(sql: "INSERT INTO replenishment_plans(run_id, location_key, item_key, order_qty, order_day, reason) VALUES (?, ?, ?, 1, 20518, 'x')",
                          arguments: [failed, k.s1, k.a])
        }
        let expected: [(any ReportSectionBuilder, String)] = [
            (ReplenishmentSection(), "No replenishment run yet"), (TransferSection(), "No transfer run yet"),
            (SourcingSection(), "No sourcing run yet"), (AnomalySection(), "No anomaly run yet"),
            (ForecastSection(), "No forecast run yet"), (AccuracySection(), "No completed horizon yet"),
        ]
        for (builder, text) in expected {
            let s = try section(builder, dir.database)
            #expect(texts(s).contains(text), "\(s.id): \(texts(s))")
            #expect(charts(s).isEmpty && tables(s).isEmpty)
        }
    }

    // Hand-computed from ReportFixture.planRuns: SUP1 orders 12 × A (cost 4) + 6 × C (cost 5) = 78 at cost,
    // mean target (0.95 + 0.95) / 2, mean projected fill (0.9 + 0.8) / 2, safety stock value 2×4 + 1×5 = 13;
    // SUP2 orders 24 × B (cost 3) = 72, safety stock 4 × 3 = 12.
    @Test func replenishmentBySupplierByHand() throws {
        let dir = try TinyRetailer.importedDatabase()
        try ReportFixture.planRuns(dir.database)
        let s = try section(ReplenishmentSection(), dir.database)
        let t = try #require(tables(s).first)
        #expect(t.rows == [["SUP1", "2", "18", "78.00", "95.0%", "85.0%", "13.00"], ["SUP2", "1", "24", "72.00", "90.0%", "85.0%", "12.00"]])
        #expect(texts(s).contains("3 plan lines for 2 locations, 3 with an order; 42 units worth 150.00 at unit cost"))
        #expect(charts(s).count == 2)
    }

    // DC1 → S1 carries 12 + 6 units (benefit 5 + 1), DC1 → S2 4 units (benefit 2).
    @Test func transfersByLaneByHand() throws {
        let dir = try TinyRetailer.importedDatabase()
        try ReportFixture.planRuns(dir.database)
        let s = try section(TransferSection(), dir.database)
        #expect(tables(s).first?.rows == [["DC1 → S1", "2", "18", "6.00"], ["DC1 → S2", "1", "4", "2.00"]])
        #expect(texts(s).contains("3 transfer lines on 2 lanes, 22 units, expected benefit 8.00"))
    }

    // O9 leaves in two shipments (split), O10 in one; O11 is unsourced: split rate 1 / 2.
    // Promise met on 2 of the 3 lines that carry a promise flag. Costs: shipping 15, handling 3.5,
    // aging credit 1 → net 17.5, 8.75 per sourced order.
    @Test func sourcingSplitRateAndCostsByHand() throws {
        let dir = try TinyRetailer.importedDatabase()
        try ReportFixture.planRuns(dir.database)
        let s = try section(SourcingSection(), dir.database)
        let text = texts(s)
        #expect(text.contains("4 plan lines, 1 unsourced"))
        #expect(text.contains("split rate 50.0% (1 of 2 orders)"))
        #expect(text.contains("promise met on 66.7% of lines"))
        #expect(text.contains("shipping 15.00, handling 3.50, aging credit 1.00, net cost 17.50, 8.75 per sourced order"))
        let rows = try #require(tables(s).first).rows
        #expect(rows.contains(["S1", "2", "3", "10.00", "2.50", "1.00"]))
        #expect(rows.contains(["(unsourced)", "1", "1", "0.00", "0.00", "0.00"]))
    }

    @Test func anomalyTotalsByHand() throws {
        let dir = try TinyRetailer.importedDatabase()
        try ReportFixture.planRuns(dir.database)
        let s = try section(AnomalySection(), dir.database)
        #expect(texts(s).contains("3 anomalies, 35.00 at risk; 2 open with 30.50 at risk"))
        let t = tables(s)
        #expect(t[0].rows == [["refund_exceeds_sale", "1", "0", "20.00", "1", "20.00"], ["price_below_cost", "2", "1", "15.00", "1", "10.50"]])
        // By channel: web 20 (open 20), store 10.5 + 4.5 = 15 (open 10.5); by cashier: K1 10.5, K2 4.5 (resolved).
        #expect(t[2].rows == [["web", "1", "20.00", "20.00"], ["store", "2", "15.00", "10.50"]])
        #expect(t[3].rows == [["K1", "1", "10.50", "10.50"], ["K2", "1", "4.50", "0.00"]])
        // Largest open cases: the refund (20) before the price (10.5); the resolved case is not listed.
        #expect(t[4].rows.map(\.[1]) == ["refund_exceeds_sale", "price_below_cost"])
        #expect(t[4].rows[1].last == "sold <below> cost & no promo")
        // Weekly trend: the week of Monday 03-02 holds 10.5 + 4.5, the week of 03-09 holds 20.
        let trend = try #require(charts(s).last)
        #expect(trend.summary.contains("week of 2026-03-02: 2 anomalies, 15.00 at risk; week of 2026-03-09: 1 anomalies, 20.00 at risk"))
    }

    // Accuracy on the completed run (see ReportFixture.forecastRuns). The 03-03 S1/A point is a
    // stockout: censored. Tops (A, ETS): actuals 1, 0; forecasts 2, 1 → MAE (1 + 1) / 2 = 1,
    // WAPE 2 / 1 = 200%, bias (3 − 1) / 1 = 200%, inside [q0.1, q0.9]: 1 of 2 (0 < 0.5) = 50%.
    // Kitchen (B, Naive): actuals 0, 1; forecasts 1, 1 → MAE 0.5, WAPE 100%, bias 100%, coverage 100%.
    @Test func accuracyOnTheLastCompletedHorizonByHand() throws {
        let dir = try TinyRetailer.importedDatabase()
        let runs = try ReportFixture.forecastRuns(dir.database)
        let s = try section(AccuracySection(), dir.database)
        #expect(texts(s).contains("Forecast run #\(runs.completed), scored on 2026-03-04 … 2026-03-05"))
        #expect(texts(s).contains("1 stockout-censored series-days"))
        #expect(texts(s).contains("nominal 80.0%"))
        let byDepartment = tables(s)[0].rows
        #expect(byDepartment == [["Kitchen", "2", "1.0", "2.0", "0.500", "100.0%", "100.0%", "100.0%"],
                                 ["Tops", "2", "1.0", "3.0", "1.000", "200.0%", "200.0%", "50.0%"]])
        #expect(tables(s)[1].rows.map(\.[0]) == ["ETS", "Naive"])
        #expect(charts(s).count == 1)
    }

    // Aggregation by hand, run #completed, 3 days of history before 03-03 (window 02-28 … 03-05):
    // total actual = 0, 0, 3 + 2, 0, 1, 0 + 1 + 1; mean = –, –, –, 1, 2 + 1, 1 + 1;
    // band low 03-04 = 0.5 + 0, high 03-04 = 3 + 2; actual over the horizon = 0 + 1 + 2 = 3.
    @Test func forecastAggregationByHand() throws {
        let dir = try TinyRetailer.importedDatabase()
        let runs = try ReportFixture.forecastRuns(dir.database)
        let (levels, rows, panel) = try dir.database.readSnapshot { r in
            let run = try r.forecastRun(runs.completed)
            return (run.levels, run.rows, try r.demandPanel())
        }
        let agg = try #require(ForecastAggregation(levels: levels, rows: rows, panel: panel, historyDays: 3))
        #expect(agg.windowStart == Day("2026-02-28") && agg.dayCount == 6)
        let total = try #require(agg.aggregate { _, _, _ in "total" }.first)
        #expect(total.actual == [0, 0, 5, 0, 1, 2])
        #expect(total.yhat[0..<3].allSatisfy(\.isNaN) && Array(total.yhat[3...]) == [1, 3, 2])
        #expect(agg.actualOverHorizon(total) == 3)
        // Band: the total's own demand over the 3 days before 03-03 is 0, 0, 5 → mean 5/3, sample
        // variance ((25/9) · 2 + 100/9) / 2 = 25/3, sd 2.886751; z(0.9) = 1.2815516 (Python
        // statistics.NormalDist). On 03-04 (mean 3): 3 + 3.699521 = 6.699521, low end 3 − 3.699521 clamps at 0.
        #expect(abs(total.variance - 25.0 / 3.0) < 1e-12)
        #expect(abs(total.upper[4] - 6.699521) < 1e-6 && total.lower[4] == 0)
        // On 03-05 (mean 2): high 5.699521.
        #expect(abs(total.upper[5] - 5.699521) < 1e-6)
        // Horizon total (3 days, mean 6): 6 ± 1.2815516 × √(3 × 25/3) = 6 ± 6.407758 → 0 … 12.407758.
        let band = try #require(agg.horizonBand(total))
        #expect(band.low == 0 && abs(band.high - 12.407758) < 1e-6)
        #expect(agg.bandName == "≈q0.1–q0.9 (normal approx.)")
        // By channel: the store series forecasts 4 units, the web series 2; largest first.
        let byChannel = agg.aggregate { ch, _, _ in ch.rawValue }
        #expect(byChannel.map(\.name) == ["store", "web"] && byChannel.map(\.forecastTotal) == [4, 2])
        // A group's actuals are all its series' demand: web = B (2 on 03-02, 1 on 03-05) + C (1 on 03-05).
        #expect(Array(byChannel[1].actual) == [0, 0, 2, 0, 0, 2])
    }

    @Test func unknownOrWrongRunIsRefused() throws {
        let dir = try TinyRetailer.importedDatabase()
        try ReportFixture.planRuns(dir.database)
        #expect(throws: StoreError.self) { try ReportBuilder.build(dir.database, options: ReportOptions(forecastRunId: 999)) }
        let plan = try dir.database.readSnapshot { try $0.scalar("SELECT MIN(run_id) FROM runs WHERE kind = 'replenishment'").int! }
        #expect(throws: StoreError.self) { try ReportBuilder.build(dir.database, options: ReportOptions(forecastRunId: plan)) }
    }

    // Tiny retailer sales: store channel = T1 (2 × 10 − 1), T2 (10), T4 (8) of A (cost 4): revenue 37,
    // cost 16, margin 21 (56.8%); web = T3 (18) + T5 (9) of B (cost 3) at DC1 and T5 line 2 (15) of
    // C (cost 5) at store S2: revenue 42, cost 14, margin 28 (66.7%). Refund R1 9.50 in store.
    // Paths: in store 37/16; DC 27/9 (66.7%); C at S2 with no pickup order: 15/5 (66.7%).
    @Test func grossMarginByChannelAndPathByHand() throws {
        let dir = try TinyRetailer.importedDatabase()
        let s = try section(MarginSection(), dir.database)
        let t = tables(s)
        #expect(t[0].rows == [["web", "42.00", "14.00", "28.00", "66.7%", "0.00"], ["store", "37.00", "16.00", "21.00", "56.8%", "9.50"]])
        #expect(t[1].rows == [["in store", "37.00", "16.00", "21.00", "56.8%"], ["DC", "27.00", "9.00", "18.00", "66.7%"],
                              ["store (ship-from-store or pickup)", "15.00", "5.00", "10.00", "66.7%"]])
        #expect(charts(s).count == 2)
    }

    // The report reads through a read-only snapshot: a write through it fails and changes nothing.
    @Test func snapshotReaderIsReadOnly() throws {
        let dir = try TinyRetailer.importedDatabase()
        #expect(throws: (any Error).self) { try dir.database.readSnapshot { try $0.query("DELETE FROM items") } }
        #expect(try dir.database.count("items") == 3)
    }

    /// The KPI section on the tiny retailer: the returns table by hand — store sold 2 + 1 + 1 = 4
    /// units for 19 + 10 + 8 = 37 net; R1 returned 1 unit for 9.50, 3 days after T1 (03-02 → 03-05).
    @Test func kpiSectionTablesByHand() throws {
        let t = try TinyRetailer.importedDatabase()
        let s = try section(KPISection(t.database), t.database)
        #expect(s.title == "KPIs")
        let returns = try #require(tables(s).first { $0.caption == "Returns (by the return's channel)" })
        #expect(returns.columns.first?.name == "channel")
        #expect(returns.rows.first { $0.first == "store" } == ["store", "1", "4", "25.0%", "9.50", "37", "25.7%", "3", "3"])
        // No sourcing run yet: said, not shown as zero.
        #expect(texts(s).contains("Order fill (latest sourcing run): not available"))
        // An empty database has no KPIs, and the section says why.
        let empty = TemporaryDirectory()
        let db = try KeelDatabase(path: empty.file("e.sqlite"))
        #expect(texts(try section(KPISection(db), db)).hasPrefix("No KPIs: "))
    }
}
