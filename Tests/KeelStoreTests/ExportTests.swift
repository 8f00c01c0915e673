import Foundation
import GRDB
import KeelCore
import KeelStore
import KeelTestSupport
import Testing

/// Every export writes exactly the contract's columns ("What Keel writes back").
@Suite struct ExportTests {
    func database() throws -> (ImportedTinyRetailer, KeelDatabase) {
        let dir = try TinyRetailer.importedDatabase()
        let db = dir.database
        return (dir, db)
    }

    func rows(_ path: String) throws -> [[String]] {
        let r = try CSVReader(path: path)
        var out: [[String]] = []
        while try r.next() { out.append((0..<r.fieldCount).map { r.string($0)! }) }
        return out
    }

    @Test func nothingToExportIsAClearError() throws {
        let (dir, db) = try database()
        #expect(throws: StoreError.self) { try db.export(.replenishment, to: dir.file("r.csv")) }
        #expect(throws: StoreError.self) { try db.export(.anomalies, runId: 99, to: dir.file("a.csv")) }
    }

    @Test func contractColumnsForEveryExport() throws {
        let (dir, db) = try database()
        try db.pool.write { d in
            func run(_ kind: String) throws -> Int64 {
                try RunLog.record(d, kind: kind, status: "succeeded", startedAt: RunLog.now(), asOf: Day("2026-03-05"),
                                  parameters: "{}", timings: nil, rowsWritten: 1, error: nil)
            }
            let f = try run("forecast")
            try d.execute(sql: "INSERT INTO forecast_levels VALUES (?, 0, 0.5), (?, 1, 0.9)", arguments: [f, f])
            var q: [Double] = [2, 4.25]
            let blob = q.withUnsafeMutableBytes { Data($0) }
            try d.execute(sql: "INSERT INTO forecasts(run_id, channel, location_key, item_key, day, yhat, quantiles, model) VALUES (?, 'store', 2, 1, ?, 2.5, ?, 'ETS')",
                          arguments: [f, Int(Day("2026-03-06")!.rawValue), blob])
            let r = try run("replenishment")
            try d.execute(sql: "INSERT INTO replenishment_plans VALUES (?, 1, 1, 1, 24, ?, ?, 10, 30, 4, 0.95, 0.96, 'below reorder point')",
                          arguments: [r, Int(Day("2026-03-06")!.rawValue), Int(Day("2026-03-13")!.rawValue)])
            let t = try run("transfers")
            try d.execute(sql: "INSERT INTO transfer_plans VALUES (?, 1, 2, 1, 6, ?, ?, 'S1 will stock out', 31.5)",
                          arguments: [t, Int(Day("2026-03-06")!.rawValue), Int(Day("2026-03-07")!.rawValue)])
            let s = try run("sourcing")
            try d.execute(sql: "INSERT INTO sourcing_plans VALUES (?, 'O9', 1, 1, 1, 'O9-DC1-standard', 'standard', 5.9, 0.5, 0, ?, 1, 'cheapest on time'), (?, 'O9', 2, NULL, 2, NULL, 'standard', NULL, NULL, NULL, NULL, 0, 'no stock anywhere')",
                          arguments: [s, Int(Day("2026-03-08")!.rawValue), s])
            let a = try run("anomalies")
            try d.execute(sql: "INSERT INTO anomalies(run_id, kind, severity, score, amount_at_risk, transaction_id, location_key, item_key, channel, day, explanation, fingerprint) VALUES (?, 'price_below_cost', 'high', 3.2, 12.5, 'T4', 2, 1, 'store', ?, 'sold at 3 below cost 4', 'x')",
                          arguments: [a, Int(Day("2026-03-04")!.rawValue)])
        }
        let expected: [ExportKind: [String]] = [
            .forecasts: ["run_id", "channel", "location_id", "sku", "ds", "yhat", "q0.5", "q0.9", "model"],
            .replenishment: ["run_id", "location_id", "sku", "supplier_id", "order_qty", "order_date", "expected_arrival", "reorder_point", "order_up_to", "safety_stock", "service_level_target", "projected_fill_rate", "reason"],
            .transfers: ["run_id", "from_location_id", "to_location_id", "sku", "qty", "ship_date", "expected_arrival", "reason", "expected_benefit"],
            .sourcing: ["run_id", "order_id", "line", "location_id", "qty", "shipment_id", "service", "ship_cost", "handling_cost", "aging_credit", "expected_delivery", "promise_met", "reason"],
            .anomalies: ["run_id", "anomaly_id", "kind", "severity", "score", "amount_at_risk", "transaction_id", "return_id", "settlement_id", "location_id", "sku", "channel", "category", "cashier_id", "customer_id", "date", "explanation", "status"],
        ]
        for kind in ExportKind.allCases {
            let path = dir.file("\(kind.rawValue).csv")
            let result = try db.export(kind, to: path)
            let r = try rows(path)
            #expect(r[0] == expected[kind]!, "\(kind)")
            #expect(r.count == result.rows + 1)
        }
        let f = try rows(dir.file("forecasts.csv"))
        #expect(f[1] == ["2", "store", "S1", "A", "2026-03-06", "2.5", "2", "4.25", "ETS"])
        let s = try rows(dir.file("sourcing.csv"))
        #expect(s[2][3] == "" && s[2][12] == "no stock anywhere" && s[2][11] == "false")
    }
}
