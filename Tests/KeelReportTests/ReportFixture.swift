import Foundation
import GRDB
import KeelCore
import KeelStore
import KeelTestSupport

/// The tiny retailer with hand-made runs written straight into the tables, so every figure the
/// report prints can be checked by hand.
///
/// Demand (TinyRetailer): store/S1/A units 03-02…03-05 = 3, 0, 1, 0 (03-03 a stockout);
/// web/DC1/B = 2, 0, 0, 1; web/S2/C = 1 on 03-05 only. History ends 2026-03-05.
enum ReportFixture {
    static func keys(_ d: Database) throws -> (s1: Int64, s2: Int64, dc: Int64, a: Int64, b: Int64, c: Int64, sup1: Int64, sup2: Int64) {
        func k(_ sql: String, _ id: String) throws -> Int64 { try Int64.fetchOne(d, sql: sql, arguments: [id])! }
        let l = "SELECT location_key FROM locations WHERE location_id = ?", i = "SELECT item_key FROM items WHERE sku = ?"
        let s = "SELECT supplier_key FROM suppliers WHERE supplier_id = ?"
        return (try k(l, "S1"), try k(l, "S2"), try k(l, "DC1"), try k(i, "A"), try k(i, "B"), try k(i, "C"), try k(s, "SUP1"), try k(s, "SUP2"))
    }

    static func run(_ d: Database, _ kind: String, status: String = "succeeded") throws -> Int64 {
        try RunLog.record(d, kind: kind, status: status, startedAt: RunLog.now(), asOf: Day("2026-03-05"), parameters: "{}",
                          timings: "{\"fit_seconds\": 0.5, \"load_seconds\": 0.25}", rowsWritten: 1, error: status == "failed" ? "boom" : nil)
    }

    static func forecast(_ d: Database, run: Int64, channel: String, location: Int64, item: Int64, day: String, yhat: Double, q: [Double], model: String) throws {
        var q = q
        let blob = q.withUnsafeMutableBytes { Data($0) }
        try d.execute(sql: "INSERT INTO forecasts(run_id, channel, location_key, item_key, day, yhat, quantiles, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      arguments: [run, channel, location, item, Int(Day(day)!.rawValue), yhat, blob, model])
    }

    /// A forecast run made as of 03-02 for 03-03…03-05 (completed: the history reaches 03-05), levels 0.1 and 0.9:
    /// S1/A (ETS)  03-03 mean 1 [0, 2] (stockout day), 03-04 mean 2 [0.5, 3], 03-05 mean 1 [0.5, 2];
    /// DC1/B (Naive) 03-04 mean 1 [0, 2], 03-05 mean 1 [0, 2].
    /// Then a later run (#2 of kind forecast) for 03-06…, whose horizon is not complete.
    @discardableResult
    static func forecastRuns(_ db: KeelDatabase) throws -> (completed: Int64, open: Int64) {
        try db.pool.write { d in
            let k = try keys(d)
            let r = try run(d, "forecast")
            try d.execute(sql: "INSERT INTO forecast_levels VALUES (?, 0, 0.1), (?, 1, 0.9)", arguments: [r, r])
            try forecast(d, run: r, channel: "store", location: k.s1, item: k.a, day: "2026-03-03", yhat: 1, q: [0, 2], model: "ETS")
            try forecast(d, run: r, channel: "store", location: k.s1, item: k.a, day: "2026-03-04", yhat: 2, q: [0.5, 3], model: "ETS")
            try forecast(d, run: r, channel: "store", location: k.s1, item: k.a, day: "2026-03-05", yhat: 1, q: [0.5, 2], model: "ETS")
            try forecast(d, run: r, channel: "web", location: k.dc, item: k.b, day: "2026-03-04", yhat: 1, q: [0, 2], model: "Naive")
            try forecast(d, run: r, channel: "web", location: k.dc, item: k.b, day: "2026-03-05", yhat: 1, q: [0, 2], model: "Naive")
            let open = try run(d, "forecast")
            try d.execute(sql: "INSERT INTO forecast_levels VALUES (?, 0, 0.5), (?, 1, 0.9)", arguments: [open, open])
            for day in ["2026-03-06", "2026-03-07"] {
                try forecast(d, run: open, channel: "store", location: k.s1, item: k.a, day: day, yhat: 1.5, q: [1.5, 3], model: "ETS")
                try forecast(d, run: open, channel: "web", location: k.s2, item: k.c, day: day, yhat: 0.5, q: [0.5, 1], model: "Croston")
            }
            return (r, open)
        }
    }

    /// Plans, sourcing and anomalies (see each test for the hand-computed figures).
    static func planRuns(_ db: KeelDatabase) throws {
        try db.pool.write { d in
            let k = try keys(d)
            let plan = try run(d, "replenishment")
            let rows: [[DatabaseValueConvertible?]] = [
                [plan, k.dc, k.a, k.sup1, 12, 20518, 0.95, 0.9, 2.0],
                [plan, k.s2, k.c, k.sup1, 6, 20518, 0.95, 0.8, 1.0],
                [plan, k.dc, k.b, k.sup2, 24, 20518, 0.9, 0.85, 4.0],
            ]
            for r in rows {
                try d.execute(sql: """
                    INSERT INTO replenishment_plans(run_id, location_key, item_key, supplier_key, order_qty, order_day, service_level_target, projected_fill_rate, safety_stock, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'below reorder point')
                    """, arguments: StatementArguments(r))
            }
            let transfers = try run(d, "transfers")
            for (to, item, qty, benefit) in [(k.s1, k.a, 12.0, 5.0), (k.s1, k.c, 6.0, 1.0), (k.s2, k.c, 4.0, 2.0)] {
                try d.execute(sql: "INSERT INTO transfer_plans(run_id, from_location_key, to_location_key, item_key, qty, ship_day, reason, expected_benefit) VALUES (?, ?, ?, ?, ?, 20518, 'rebalance', ?)",
                              arguments: [transfers, k.dc, to, item, qty, benefit])
            }
            let sourcing = try run(d, "sourcing")
            let lines: [[DatabaseValueConvertible?]] = [
                ["O9", 1, k.dc, 1, "SH1", 5.0, 1.0, 0.0, 1],
                ["O9", 2, k.s1, 2, "SH2", 7.0, 2.0, 1.0, 0],
                ["O10", 1, k.s1, 1, "SH3", 3.0, 0.5, 0.0, 1],
                ["O11", 1, nil, 1, nil, nil, nil, nil, nil],
            ]
            for l in lines {
                try d.execute(sql: """
                    INSERT INTO sourcing_plans(run_id, order_id, line, location_key, qty, shipment_id, ship_cost, handling_cost, aging_credit, promise_met, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'cheapest feasible')
                    """, arguments: StatementArguments([sourcing] + l))
            }
            let anomalies = try run(d, "anomalies")
            // Days: 2026-03-02 (Monday), 03-04 (same week), 03-10 (next week).
            let cases: [[DatabaseValueConvertible?]] = [
                ["price_below_cost", "high", 10.5, "open", k.s1, "sold <below> cost & no promo", "f1", "store", "K1", Int(Day("2026-03-02")!.rawValue)],
                ["price_below_cost", "low", 4.5, "resolved", k.s1, "minor", "f2", "store", "K2", Int(Day("2026-03-04")!.rawValue)],
                ["refund_exceeds_sale", "medium", 20.0, "open", k.s2, "refund 20 above sale", "f3", "web", nil, Int(Day("2026-03-10")!.rawValue)],
            ]
            for c in cases {
                try d.execute(sql: """
                    INSERT INTO anomalies(run_id, kind, severity, score, amount_at_risk, status, location_key, explanation, fingerprint, channel, cashier_id, day)
                    VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: StatementArguments([anomalies] + c))
            }
        }
    }
}
