import Foundation
import GRDB
import KeelAnomaly
import KeelCore
import KeelStore
import KeelTestSupport
import Testing

/// A hand-made spike: one basket of 5 units among one-unit baskets (fires), one of 3 (does not).
@Suite struct SalesSpikeTests {
    @Test func basketSpikeFiresNearMissDoesNot() throws {
        let dir = TemporaryDirectory("anomaly-spike")
        _ = dir.write("items.csv", "sku,category,department,unit_cost,unit_price\nA,Toys,Kids,6.00,10.00\n")
        _ = dir.write("locations.csv", "location_id,type,latitude,longitude\nS1,store,0,0\n")
        _ = dir.write("prices.csv", "sku,channel,location_id,price,start_date,end_date\nA,store,,10.00,2025-01-01,\n")
        // 67 one-unit lines a day for 30 days (2,010 lines), plus the two baskets.
        var sales = "transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price,discount,promo_id,customer_id,tender,order_id,cashier_id\n"
        for d in 1...30 {
            for i in 1...67 { sales += "T\(d)-\(i),1,2025-01-\(d < 10 ? "0" : "")\(d)T10:00:00Z,store,S1,A,1,10.00,,,,cash,,K1\n" }
        }
        sales += "T31,1,2025-01-15T12:00:00Z,store,S1,A,5,10.00,,,,cash,,K1\nT32,1,2025-01-20T12:00:00Z,store,S1,A,3,10.00,,,,cash,,K1\n"
        _ = dir.write("sales.csv", sales)
        let db = try KeelDatabase(path: dir.path + "/keel.sqlite")
        _ = try db.importFiles([dir.path])
        _ = try AnomalyDetection.run(db)
        let rows = try db.pool.read {
            try Row.fetchAll(
                $0, sql: "SELECT date(day * 86400, 'unixepoch'), transaction_id, amount_at_risk FROM anomalies WHERE kind = 'sales_spike'")
        }
        // 2,010 of 2,012 lines are 1 unit (99.9%), so the 99.9% line quantity is 1 and the threshold
        // max(4, 1.25 × 1) = 4: T31 (5 units) fires, T32 (3 units) does not.
        #expect(rows.count == 1)
        #expect(rows.first.map { $0[0] as String } == "2025-01-15")
        #expect(rows.first.map { $0[1] as String } == "T31")
        // 72 units that day; the mean day is (2,010 + 5 + 3)/30 = 67.2667; (72 − 67.2667) × 10.00 = 47.33.
        #expect(abs((rows.first.map { $0[2] as Double } ?? 0) - 47.33) < 0.01)
    }
}
