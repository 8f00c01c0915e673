import Foundation
import GRDB
import KeelAnomaly
import KeelCore
import KeelStore
import KeelTestSupport
import Testing

/// A hand-made margin leak: six 14-day periods of 100 units at 10.00 (cost 6.00); one period gives
/// 40% line discounts (fires), another 5% (a near miss).
@Suite struct MarginLeakageTests {
    @Test func discountedPeriodFiresNearMissDoesNot() throws {
        let dir = TemporaryDirectory("anomaly-margin")
        _ = dir.write("items.csv", "sku,category,department,unit_cost,unit_price\nA,Toys,Kids,6.00,10.00\n")
        _ = dir.write("locations.csv", "location_id,type,latitude,longitude\nS1,store,0,0\n")
        _ = dir.write("prices.csv", "sku,channel,location_id,price,start_date,end_date\nA,store,,10.00,2025-01-01,\n")
        // Periods are day / 14 since 1970-01-01: 2025-01-02 (day 20090) starts period 1435.
        var sales = "transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price,discount,promo_id,customer_id,tender,order_id,cashier_id\n"
        for p in 0..<6 {
            let day = Day(rawValue: Int32(20090 + 14 * p + 13))
            for i in 0..<100 {
                let discount = p == 3 ? "4.00" : (p == 5 && i < 50 ? "1.00" : "")
                sales += "T\(p)-\(i),1,\(day)T10:00:00Z,store,S1,A,1,10.00,\(discount),,,cash,,K1\n"
            }
        }
        _ = dir.write("sales.csv", sales)
        let db = try KeelDatabase(path: dir.path + "/keel.sqlite")
        _ = try db.importFiles([dir.path])
        _ = try AnomalyDetection.run(db)
        let rows = try db.pool.read {
            try Row.fetchAll(
                $0, sql: "SELECT date(day * 86400, 'unixepoch'), category, channel, amount_at_risk FROM anomalies WHERE kind = 'margin_leakage'")
        }
        // Period 3 (from day 20090 + 42 = 2025-02-13): realized (600 − 600)/600 = 0 against
        // (1000 − 600)/1000 = 40% at the usual 0% discount: shortfall 0.4 × 600 revenue = 240.
        // Period 5: (950 − 600)/950 = 36.8%, 3.2 points short of 40%: under the 8-point minimum.
        #expect(rows.count == 1)
        #expect(rows.first.map { $0[0] as String } == "2025-02-13")
        #expect(rows.first.map { $0[1] as String } == "Toys")
        #expect(rows.first.map { $0[2] as String } == "store")
        #expect(abs((rows.first.map { $0[3] as Double } ?? 0) - 240) < 0.005)
    }
}
