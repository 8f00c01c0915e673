import GRDB
import KeelCore
import KeelStore
import KeelTestSupport

/// Rows the KPI tests add to the imported tiny retailer with plain SQL (the engines that would
/// write them are not under test here).
enum KPIFixture {
    static func day(_ s: String) -> Int64 { Int64(Day(s)!.rawValue) }

    struct Keys { var dc: Int64; var s1: Int64; var s2: Int64; var a: Int64; var b: Int64; var c: Int64 }

    static func keys(_ d: Database) throws -> Keys {
        func loc(_ id: String) throws -> Int64 { try Int64.fetchOne(d, sql: "SELECT location_key FROM locations WHERE location_id = ?", arguments: [id])! }
        func item(_ sku: String) throws -> Int64 { try Int64.fetchOne(d, sql: "SELECT item_key FROM items WHERE sku = ?", arguments: [sku])! }
        return Keys(dc: try loc("DC1"), s1: try loc("S1"), s2: try loc("S2"), a: try item("A"), b: try item("B"), c: try item("C"))
    }

    static func run(_ d: Database, _ kind: String, status: String = "succeeded") throws -> Int64 {
        try d.execute(sql: "INSERT INTO runs(kind, status, started_at, parameters) VALUES (?, ?, '2026-03-05T00:00:00Z', '{}')",
                      arguments: [kind, status])
        return d.lastInsertedRowID
    }

    /// An older sourcing run (O9/1 unsourced), then the latest one:
    ///   O9/1  B ×1 from DC1 (standard)      ship 5.66, handling 0.5
    ///   O9/2  A ×1 from S1  (standard)      ship 7,    handling 1.2
    ///   O9/2  A ×1 unsourced (no stock)
    ///   O10/1 A ×1 at S1 (pickup order)     ship 0,    handling 1.2
    /// then a failed sourcing run (ignored).
    @discardableResult
    static func sourcingRuns(_ db: KeelDatabase) throws -> Int64 {
        try db.pool.write { d in
            let k = try keys(d)
            let old = try run(d, "sourcing")
            try d.execute(sql: "INSERT INTO sourcing_plans(run_id, order_id, line, location_key, qty, reason) VALUES (?, 'O9', 1, NULL, 1, 'no stock')",
                          arguments: [old])
            let r = try run(d, "sourcing")
            let rows: [[DatabaseValueConvertible?]] = [
                ["O9", 1, k.dc, 1, "O9-DC1-standard", "standard", 5.66, 0.5, "cheapest on time"],
                ["O9", 2, k.s1, 1, "O9-S1-standard", "standard", 7.0, 1.2, "cheapest on time"],
                ["O9", 2, nil, 1, nil, nil, nil, nil, "no stock or capacity"],
                ["O10", 1, k.s1, 1, "O10-S1-pickup", "pickup", 0.0, 1.2, "pickup"],
            ]
            for row in rows {
                try d.execute(sql: """
                    INSERT INTO sourcing_plans(run_id, order_id, line, location_key, qty, shipment_id, service, ship_cost, handling_cost, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: StatementArguments([r] + row))
            }
            _ = try run(d, "sourcing", status: "failed")
            return r
        }
    }

    static func forecast(_ d: Database, run: Int64, channel: String?, location: Int64?, item: Int64?, day: String, yhat: Double) throws {
        try d.execute(sql: """
            INSERT INTO forecasts(run_id, unique_id, channel, location_key, item_key, day, yhat, quantiles, model)
            VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'Naive')
            """, arguments: [run, channel == nil ? "total" : nil, channel, location, item, self.day(day), yhat])
    }

    /// A completed forecast run for 03-03…03-05:
    ///   store/S1/A 03-03 yhat 2 (a stockout day), 03-04 yhat 2, 03-05 yhat 1;
    ///   web/DC1/B  03-04 yhat 1, 03-05 yhat 1; an aggregate row ("total", no series) 03-04 yhat 5;
    /// then a later run whose horizon (03-06) is not complete, and a failed forecast run.
    @discardableResult
    static func forecastRuns(_ db: KeelDatabase) throws -> Int64 {
        try db.pool.write { d in
            let k = try keys(d)
            let r = try run(d, "forecast")
            try forecast(d, run: r, channel: "store", location: k.s1, item: k.a, day: "2026-03-03", yhat: 2)
            try forecast(d, run: r, channel: "store", location: k.s1, item: k.a, day: "2026-03-04", yhat: 2)
            try forecast(d, run: r, channel: "store", location: k.s1, item: k.a, day: "2026-03-05", yhat: 1)
            try forecast(d, run: r, channel: "web", location: k.dc, item: k.b, day: "2026-03-04", yhat: 1)
            try forecast(d, run: r, channel: "web", location: k.dc, item: k.b, day: "2026-03-05", yhat: 1)
            try forecast(d, run: r, channel: nil, location: nil, item: nil, day: "2026-03-04", yhat: 5)
            let open = try run(d, "forecast")
            try forecast(d, run: open, channel: "store", location: k.s1, item: k.a, day: "2026-03-06", yhat: 9)
            _ = try run(d, "forecast", status: "failed")
            return r
        }
    }

    /// An anomaly run with: refund_without_sale high 50 (open, 03-05), refund_without_sale medium 20
    /// (open, 03-04), inventory_mismatch low 7 (open, no day), price_conflict high 100 (resolved),
    /// price_conflict high 40 (open but dated 03-06, after the as-of date).
    static func anomalies(_ db: KeelDatabase) throws {
        try db.pool.write { d in
            let r = try run(d, "anomalies")
            let rows: [[DatabaseValueConvertible?]] = [
                ["refund_without_sale", "high", 50.0, day("2026-03-05"), "open"],
                ["refund_without_sale", "medium", 20.0, day("2026-03-04"), "open"],
                ["inventory_mismatch", "low", 7.0, nil, "open"],
                ["price_conflict", "high", 100.0, day("2026-03-05"), "resolved"],
                ["price_conflict", "high", 40.0, day("2026-03-06"), "open"],
            ]
            for (i, row) in rows.enumerated() {
                try d.execute(sql: """
                    INSERT INTO anomalies(run_id, kind, severity, score, amount_at_risk, day, status, explanation, fingerprint)
                    VALUES (?, ?, ?, 1, ?, ?, ?, 'test', ?)
                    """, arguments: StatementArguments([r] + row + ["f\(i)"]))
            }
        }
    }
}
